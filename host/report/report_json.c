/*
 * report — report.json.
 *
 * Layout (keys in this fixed order; no "now" timestamp anywhere, so the same
 * inputs give a byte-identical file):
 *   {
 *     "meta":   { "format_version": 1, "generated_by", "config", "seed" (decimal
 *                 string: exact for any 64-bit seed, which JavaScript numbers
 *                 are not), "from", "to" (ISO-8601 UTC), "from_ns", "to_ns",
 *                 "bars", "periods_per_year_hint" },
 *     "total":  { "name", <stats> },
 *     "farms":  [ { "name", <stats> } ... ]            sorted by name
 *     "agents": [ { "name", "farm", <stats> } ... ]    sorted by (farm, name)
 *     "trades": [ { "agent", "farm", "venue", "symbol", "side" ("long" |
 *                 "short": the entry side), "entry_time", "exit_time",
 *                 "entry_ns", "exit_ns", "qty", "entry_price", "exit_price",
 *                 "net_pnl", "fees" } ... ]            in the given order
 *   }
 * <stats>: "samples", "initial_capital", "start_equity", "end_equity",
 * "net_profit", "fees", "max_drawdown_money", "gross_profit", "gross_loss"
 * (money: decimal strings with all TH_MONEY_SCALE digits), then the ratios
 * "total_return", "cagr", "sharpe", "sortino", "calmar", "max_drawdown",
 * "win_rate", "profit_factor", "exposure" (numbers, 15 significant digits; a
 * ratio that is undefined for the input is OMITTED and named in "undefined"),
 * then "periods_per_year", "returns", "trades", "wins", "losses",
 * "elapsed_ns", "exposure_ns", "undefined" (array of omitted ratio names).
 * Trade qty and prices are decimal strings at the trade's own scales.
 */
#include "report/report_internal.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPORT_JSON_FORMAT_VERSION 1

typedef struct jctx {
	int failed;
} jctx;

static void put(jctx *c, json_t *obj, const char *key, json_t *v)
{
	/* json_object_set_new takes the reference even when it fails */
	if (!obj || !v || json_object_set_new(obj, key, v) != 0)
		c->failed = 1;
}

static void put_str(jctx *c, json_t *obj, const char *key, const char *s)
{
	put(c, obj, key, json_string(s ? s : ""));
}

static void put_int(jctx *c, json_t *obj, const char *key, int64_t v)
{
	put(c, obj, key, json_integer((json_int_t)v));
}

static void put_money(jctx *c, json_t *obj, const char *key, th_money v)
{
	char buf[REPORT_MONEY_MAX];
	report_money_text(v, buf, sizeof buf);
	put_str(c, obj, key, buf);
}

static void put_fixed(jctx *c, json_t *obj, const char *key, int64_t v, int scale)
{
	char buf[48];
	if (th_fixed_format(v, scale, buf, sizeof buf) < 0)
		c->failed = 1;
	else
		put_str(c, obj, key, buf);
}

static void put_time(jctx *c, json_t *obj, const char *key, int64_t ns)
{
	char buf[REPORT_TIME_MAX];
	report_time_iso(ns, buf, sizeof buf);
	put_str(c, obj, key, buf);
}

static void put_ratio(jctx *c, json_t *obj, json_t *undef, const report_stats *st,
		      const char *key, double v, unsigned bit)
{
	if (st->undefined & bit) {
		if (json_array_append_new(undef, json_string(key)) != 0)
			c->failed = 1;
		return;
	}
	put(c, obj, key, json_real(v));
}

static json_t *stats_object(jctx *c, const report_entry *e)
{
	const report_series *s = e->series;
	const report_stats *st = &e->stats;
	json_t *o = json_object(), *undef = json_array();
	if (!undef)
		c->failed = 1;
	put_str(c, o, "name", s->name);
	if (s->kind == REPORT_KIND_AGENT && s->parent)
		put_str(c, o, "farm", s->parent);
	put_int(c, o, "samples", (int64_t)st->samples);
	put_money(c, o, "initial_capital", s->initial_capital);
	put_money(c, o, "start_equity", st->start_equity);
	put_money(c, o, "end_equity", st->end_equity);
	put_money(c, o, "net_profit", st->net_profit);
	put_money(c, o, "fees", st->fees);
	put_money(c, o, "max_drawdown_money", st->max_drawdown_money);
	put_money(c, o, "gross_profit", st->gross_profit);
	put_money(c, o, "gross_loss", st->gross_loss);
	put_ratio(c, o, undef, st, "total_return", st->total_return, REPORT_UNDEF_TOTAL_RETURN);
	put_ratio(c, o, undef, st, "cagr", st->cagr, REPORT_UNDEF_CAGR);
	put_ratio(c, o, undef, st, "sharpe", st->sharpe, REPORT_UNDEF_SHARPE);
	put_ratio(c, o, undef, st, "sortino", st->sortino, REPORT_UNDEF_SORTINO);
	put_ratio(c, o, undef, st, "calmar", st->calmar, REPORT_UNDEF_CALMAR);
	put(c, o, "max_drawdown", json_real(st->max_drawdown));
	put_ratio(c, o, undef, st, "win_rate", st->win_rate, REPORT_UNDEF_WIN_RATE);
	put_ratio(c, o, undef, st, "profit_factor", st->profit_factor, REPORT_UNDEF_PROFIT_FACTOR);
	put_ratio(c, o, undef, st, "exposure", st->exposure, REPORT_UNDEF_EXPOSURE);
	put(c, o, "periods_per_year", json_real(st->periods_per_year));
	put_int(c, o, "returns", (int64_t)st->returns);
	put_int(c, o, "trades", (int64_t)st->trades);
	put_int(c, o, "wins", (int64_t)st->wins);
	put_int(c, o, "losses", (int64_t)st->losses);
	put_int(c, o, "elapsed_ns", st->elapsed_ns);
	put_int(c, o, "exposure_ns", s->exposure_ns);
	put(c, o, "undefined", undef);
	return o;
}

static json_t *meta_object(jctx *c, const report_meta *meta)
{
	json_t *o = json_object();
	char seed[24];
	snprintf(seed, sizeof seed, "%llu", (unsigned long long)meta->seed);
	put_int(c, o, "format_version", REPORT_JSON_FORMAT_VERSION);
	put_str(c, o, "generated_by", meta->generated_by ? meta->generated_by : "tradehost");
	put_str(c, o, "config", meta->config);
	put_str(c, o, "seed", seed);
	put_time(c, o, "from", meta->from_ns);
	put_time(c, o, "to", meta->to_ns);
	put_int(c, o, "from_ns", meta->from_ns);
	put_int(c, o, "to_ns", meta->to_ns);
	put_int(c, o, "bars", (int64_t)meta->bars);
	put_int(c, o, "periods_per_year_hint", meta->periods_per_year);
	return o;
}

static json_t *trade_object(jctx *c, const report_trade *t)
{
	json_t *o = json_object();
	put_str(c, o, "agent", t->agent);
	put_str(c, o, "farm", t->farm);
	put_str(c, o, "venue", t->venue);
	put_str(c, o, "symbol", t->symbol);
	put_str(c, o, "side", report_side_name(t->side));
	put_time(c, o, "entry_time", t->entry_ns);
	put_time(c, o, "exit_time", t->exit_ns);
	put_int(c, o, "entry_ns", t->entry_ns);
	put_int(c, o, "exit_ns", t->exit_ns);
	put_fixed(c, o, "qty", t->qty, t->qty_scale);
	put_fixed(c, o, "entry_price", t->entry_price, t->price_scale);
	put_fixed(c, o, "exit_price", t->exit_price, t->price_scale);
	put_money(c, o, "net_pnl", t->net_pnl);
	put_money(c, o, "fees", t->fees);
	return o;
}

static json_t *entries_array(jctx *c, const report_entry *e, size_t n)
{
	json_t *a = json_array();
	if (!a)
		c->failed = 1;
	for (size_t i = 0; i < n && a; i++)
		if (json_array_append_new(a, stats_object(c, &e[i])) != 0)
			c->failed = 1;
	return a;
}

int report_write_json(const char *path, const report_meta *meta, const report_series *series,
		      size_t nseries, const report_trade *trades, size_t ntrades, char *err,
		      size_t errlen)
{
	if (meta && meta->bars > (uint64_t)INT64_MAX)
		return report_err(err, errlen, "report: meta bars %llu does not fit a JSON integer",
				  (unsigned long long)meta->bars);
	report_model m;
	if (report_model_build(&m, meta, series, nseries, trades, ntrades, err, errlen) != 0)
		return -1;
	jctx c = { 0 };
	json_t *root = json_object();
	put(&c, root, "meta", meta_object(&c, meta));
	put(&c, root, "total", stats_object(&c, &m.total));
	put(&c, root, "farms", entries_array(&c, m.farms, m.nfarms));
	put(&c, root, "agents", entries_array(&c, m.agents, m.nagents));
	json_t *ta = json_array();
	for (size_t i = 0; i < ntrades && ta; i++)
		if (json_array_append_new(ta, trade_object(&c, &trades[i])) != 0)
			c.failed = 1;
	put(&c, root, "trades", ta);
	report_model_free(&m);

	char *text = c.failed ? NULL : json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
	json_decref(root);
	if (!text)
		return report_err(err, errlen, "report: out of memory building %s",
				  path ? path : "report.json");
	size_t len = strlen(text);
	char *withnl = realloc(text, len + 2);
	if (!withnl) {
		free(text);
		return report_err(err, errlen, "report: out of memory building %s", path);
	}
	withnl[len] = '\n';
	withnl[len + 1] = '\0';
	int rc = report_file_write(path, withnl, len + 1, err, errlen);
	free(withnl);
	return rc;
}
