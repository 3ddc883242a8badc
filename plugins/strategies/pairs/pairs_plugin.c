/*
 * pairs — plugin glue: configuration (thresholds in order, the two symbols
 * distinct), aligning the two symbols' bars, hot-reload state. Statistics
 * are in pairs_stats.c, decisions and legs in pairs_legs.c.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "kit_blob.h"
#include "kit_cfg.h"
#include "kit_msg.h"
#include "pairs.h"

static const th_config_field schema[] = {
	{ "symbol_a", TH_CONFIG_STRING, 1, NULL, NULL, NULL, "first leg, regressed on the second: log A = a + b log B" },
	{ "symbol_b", TH_CONFIG_STRING, 1, NULL, NULL, NULL, "second leg (the hedge)" },
	{ "venue", TH_CONFIG_STRING, 0, "\"sim\"", NULL, NULL, "venue instance whose bars are read and traded on" },
	{ "window", TH_CONFIG_INT, 0, "120", "20", "1000", "aligned bar pairs in the rolling regression and tests" },
	{ "entry_z", TH_CONFIG_FLOAT, 0, "2.0", "0.1", "20", "enter when |z| of the spread exceeds this" },
	{ "exit_z", TH_CONFIG_FLOAT, 0, "0.5", "0", "20", "exit when |z| falls below this (below entry_z)" },
	{ "stop_z", TH_CONFIG_FLOAT, 0, "0", "0", "50", "exit when |z| exceeds this (0 = no stop; above entry_z)" },
	{ "significance", TH_CONFIG_STRING, 0, "\"5%\"", NULL, NULL,
		"Engle-Granger test level: \"1%\", \"5%\" or \"10%\" (MacKinnon 2010 critical values)" },
	{ "max_half_life", TH_CONFIG_FLOAT, 0, "0", "0", "100000",
		"longest accepted half-life of the spread's mean reversion, bars (0 = window / 2)" },
	{ "exit_on_break", TH_CONFIG_BOOL, 0, "true", NULL, NULL, "close the pair when the co-integration check fails" },
	{ "notional", TH_CONFIG_DECIMAL, 0, "\"1000\"", "0", NULL,
		"size of leg A in quote currency; leg B is |hedge ratio| x notional" },
	KIT_SCHEMA_TICK_LOT,
	TH_CONFIG_END,
};

static int read_params(const th_host_api *api, th_ctx *ctx, pairs_params *p, kit_inst *inst)
{
	int64_t w;
	const char *lv = NULL;
	memset(p, 0, sizeof *p);
	if (kit_cfg_string(api, ctx, PAIRS_PLUGIN, "symbol_a", p->sym[0], sizeof p->sym[0]) != TH_OK ||
		kit_cfg_string(api, ctx, PAIRS_PLUGIN, "symbol_b", p->sym[1], sizeof p->sym[1]) != TH_OK ||
		kit_cfg_string(api, ctx, PAIRS_PLUGIN, "venue", p->venue, sizeof p->venue) != TH_OK ||
		kit_cfg_int(api, ctx, PAIRS_PLUGIN, "window", PAIRS_WINDOW_MIN, PAIRS_WINDOW_MAX, &w) != TH_OK ||
		kit_cfg_double(api, ctx, PAIRS_PLUGIN, "entry_z", 0.1, 20, &p->entry_z) != TH_OK ||
		kit_cfg_double(api, ctx, PAIRS_PLUGIN, "exit_z", 0, 20, &p->exit_z) != TH_OK ||
		kit_cfg_double(api, ctx, PAIRS_PLUGIN, "stop_z", 0, 50, &p->stop_z) != TH_OK ||
		kit_cfg_double(api, ctx, PAIRS_PLUGIN, "max_half_life", 0, 100000, &p->max_half_life) != TH_OK ||
		kit_cfg_bool(api, ctx, PAIRS_PLUGIN, "exit_on_break", &p->exit_on_break) != TH_OK ||
		kit_cfg_decimal(api, ctx, PAIRS_PLUGIN, "notional", &p->notional_cfg) != TH_OK ||
		kit_inst_config(&inst[0], api, ctx, PAIRS_PLUGIN) != TH_OK)
		return TH_ERR_INVALID;
	inst[1] = inst[0];
	p->window = (uint32_t)w;
	if (strcmp(p->sym[0], p->sym[1]) == 0) {
		api->set_error(ctx, "%s: key 'symbol_b': must differ from 'symbol_a' (%s)", PAIRS_PLUGIN, p->sym[0]);
		return TH_ERR_INVALID;
	}
	if (p->exit_z >= p->entry_z) {
		api->set_error(ctx, "%s: key 'exit_z' (%g) must be below 'entry_z' (%g)", PAIRS_PLUGIN, p->exit_z,
			p->entry_z);
		return TH_ERR_INVALID;
	}
	if (p->stop_z > 0 && p->stop_z <= p->entry_z) {
		api->set_error(ctx, "%s: key 'stop_z' (%g) must be 0 or above 'entry_z' (%g)", PAIRS_PLUGIN, p->stop_z,
			p->entry_z);
		return TH_ERR_INVALID;
	}
	if (api->config_string(ctx, "significance", &lv) != TH_OK || !lv) {
		api->set_error(ctx, "%s: key 'significance': missing or not a string", PAIRS_PLUGIN);
		return TH_ERR_INVALID;
	}
	p->level = strcmp(lv, "1%") == 0 ? 1 : strcmp(lv, "5%") == 0 ? 5 : strcmp(lv, "10%") == 0 ? 10 : 0;
	if (!p->level) {
		api->set_error(ctx, "%s: key 'significance': \"%s\" is not \"1%%\", \"5%%\" or \"10%%\"", PAIRS_PLUGIN, lv);
		return TH_ERR_INVALID;
	}
	if (p->notional_cfg <= 0) {
		api->set_error(ctx, "%s: key 'notional': must be greater than 0", PAIRS_PLUGIN);
		return TH_ERR_INVALID;
	}
	return TH_OK;
}

static int p_create(const th_host_api *api, th_ctx *ctx, void **out)
{
	pairs *g = api->alloc(ctx, sizeof *g);
	if (!g)
		return TH_ERR_NOMEM;
	memset(g, 0, sizeof *g);
	g->api = api;
	g->ctx = ctx;
	if (read_params(api, ctx, &g->p, g->s.inst) != TH_OK) {
		api->free(ctx, g);
		return TH_ERR_INVALID;
	}
	memcpy(g->s.sym, g->p.sym, sizeof g->s.sym);
	kit_book_init(&g->s.book);
	snprintf(g->fit.why, sizeof g->fit.why, "warming up (0 of %u pairs)", g->p.window);
	*out = g;
	return TH_OK;
}

static void halt(pairs *g, const char *why)
{
	g->s.halted = 1;
	th_strlcpy(g->s.halt_reason, why, sizeof g->s.halt_reason);
	g->api->logf(g->ctx, TH_LOG_ERROR, "%s: not trading %s/%s: %s", PAIRS_PLUGIN, g->p.sym[0], g->p.sym[1], why);
	kit_say(g->api, g->ctx, g->p.sym[0], "explanation", "%s/%s: not trading: %s", g->p.sym[0], g->p.sym[1], why);
}

static void record_pair(pairs *g)
{
	pairs_persist *s = &g->s;
	double a = kit_px(s->pend[0].close, s->inst[0].price_scale);
	double b = kit_px(s->pend[1].close, s->inst[1].price_scale);
	s->pend[0].valid = s->pend[1].valid = 0;
	if (!(a > 0) || !(b > 0))
		return;
	s->ly[s->head] = log(a);
	s->lx[s->head] = log(b);
	s->head = (s->head + 1) % PAIRS_WINDOW_MAX;
	if (s->count < PAIRS_WINDOW_MAX)
		s->count++;
	s->pairs_seen++;
	pairs_decide(g);
}

static void on_bar(void *arg, const th_event *ev)
{
	pairs *g = arg;
	pairs_persist *s = &g->s;
	const th_bar *b = &ev->u.bar;
	char why[160];
	int leg = strcmp(ev->h.symbol, g->p.sym[0]) == 0 ? 0 : strcmp(ev->h.symbol, g->p.sym[1]) == 0 ? 1 : -1;
	if (ev->h.type != TH_EV_BAR || leg < 0 || s->halted)
		return;
	if (kit_inst_learn(&s->inst[leg], g->api, g->ctx, g->p.venue, g->p.sym[leg], b->price_scale, b->qty_scale, why,
		    sizeof why) != 0) {
		char msg[200];
		snprintf(msg, sizeof msg, "%s: %s", g->p.sym[leg], why);
		halt(g, msg);
		return;
	}
	int other = 1 - leg;
	if (leg == 0)
		kit_book_sweep(&s->book, g->api, g->ctx, g->p.sym[0], b->interval_ns);
	s->last_close[leg] = b->close;
	s->pend[leg].open_time_ns = b->open_time_ns;
	s->pend[leg].close = b->close;
	s->pend[leg].valid = 1;
	if (!s->pend[other].valid)
		return;
	if (s->pend[other].open_time_ns == b->open_time_ns)
		record_pair(g);
	else if (s->pend[other].open_time_ns < b->open_time_ns)
		s->pend[other].valid = 0; /* the other leg has no bar for that time: only aligned pairs count */
	else
		s->pend[leg].valid = 0;
}

static void on_own(void *arg, const th_event *ev)
{
	pairs_on_own(arg, ev);
}

static int p_start(void *arg)
{
	pairs *g = arg;
	int rc = TH_OK;
	for (int leg = 0; leg < 2 && rc == TH_OK; leg++)
		rc = kit_subscribe_bars(g->api, g->ctx, g->p.venue, g->p.sym[leg], on_bar, g);
	return rc != TH_OK ? rc : kit_subscribe_own(g->api, g->ctx, on_own, g);
}

/* Market IOC legs only: nothing rests, nothing to undo. */
static int p_stop(void *arg)
{
	(void)arg;
	return TH_OK;
}

static void p_destroy(void *arg)
{
	pairs *g = arg;
	g->api->free(g->ctx, g);
}

static int p_export(void *arg, void **data, size_t *len)
{
	pairs *g = arg;
	return kit_blob_export(g->api, g->ctx, PAIRS_STATE_MAGIC, PAIRS_STATE_VERSION, &g->s, sizeof g->s, data, len);
}

/* Keep this configuration (window and thresholds may change), take over the
 * price history, the legs' orders and positions. */
static int p_import(void *arg, const void *data, size_t len)
{
	pairs *g = arg;
	char why[160];
	const pairs_persist *old = kit_blob_payload(data, len, PAIRS_STATE_MAGIC, PAIRS_STATE_VERSION, sizeof *old, why,
		sizeof why);
	if (!old) {
		g->api->set_error(g->ctx, "%s: import: %s", PAIRS_PLUGIN, why);
		return TH_ERR_INVALID;
	}
	if (strcmp(old->sym[0], g->p.sym[0]) != 0 || strcmp(old->sym[1], g->p.sym[1]) != 0) {
		g->api->set_error(g->ctx, "%s: import: the state is for %s/%s, the configuration trades %s/%s", PAIRS_PLUGIN,
			old->sym[0], old->sym[1], g->p.sym[0], g->p.sym[1]);
		return TH_ERR_INVALID;
	}
	pairs_persist *s = g->api->alloc(g->ctx, sizeof *s);
	if (!s)
		return TH_ERR_NOMEM;
	memcpy(s, old, sizeof *s);
	s->halted = 0;
	s->halt_reason[0] = '\0';
	int rc = TH_OK;
	for (int leg = 0; leg < 2 && rc == TH_OK; leg++) {
		s->inst[leg] = g->s.inst[leg]; /* this configuration's tick/lot */
		if (old->inst[leg].known &&
			kit_inst_learn(&s->inst[leg], g->api, g->ctx, g->p.venue, g->p.sym[leg], old->inst[leg].price_scale,
				old->inst[leg].qty_scale, why, sizeof why) != 0) {
			g->api->set_error(g->ctx, "%s: import: %s: %s", PAIRS_PLUGIN, g->p.sym[leg], why);
			rc = TH_ERR_INVALID;
		}
	}
	if (rc == TH_OK) {
		g->s = *s;
		memset(&g->fit, 0, sizeof g->fit);
		snprintf(g->fit.why, sizeof g->fit.why, "taken over (%u pairs kept); no reading since", s->count);
	}
	g->api->free(g->ctx, s);
	return rc;
}

static int p_explain(void *arg, char *buf, size_t cap)
{
	pairs *g = arg;
	char a[40] = "0", b[40] = "0";
	int n = pairs_describe(g, buf, cap);
	if (g->s.inst[0].known)
		kit_fmt_short(a, sizeof a, g->s.pos[0].qty, g->s.inst[0].qty_scale);
	if (g->s.inst[1].known)
		kit_fmt_short(b, sizeof b, g->s.pos[1].qty, g->s.inst[1].qty_scale);
	if (n >= 0 && (size_t)n < cap)
		snprintf(buf + n, cap - (size_t)n, "; positions %s %s, %s %s%s%s", a, g->p.sym[0], b, g->p.sym[1],
			g->s.halted ? "; not trading: " : "", g->s.halted ? g->s.halt_reason : "");
	return TH_OK;
}

static const th_strategy_api strategy_api = { .struct_size = sizeof(th_strategy_api), .explain = p_explain };

static const th_plugin_desc desc = {
	TH_PLUGIN_HEADER(TH_KIND_STRATEGY, PAIRS_PLUGIN),
	.version = "1.0.0",
	.description = "pairs trading: rolling OLS hedge ratio of log prices, z-score entries, Engle-Granger check",
	.config_schema = schema,
	.create = p_create,
	.start = p_start,
	.stop = p_stop,
	.destroy = p_destroy,
	.export_state = p_export,
	.import_state = p_import,
	.kind_api = &strategy_api,
};

TH_PLUGIN_DEFINE(desc)
