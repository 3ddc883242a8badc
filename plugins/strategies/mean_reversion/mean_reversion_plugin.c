/*
 * mean_reversion — plugin glue: configuration (with the relations between
 * the RSI levels checked), subscriptions, decisions and hot-reload state. The
 * rule is in mean_reversion_signal.c; orders, fills and scales in
 * core_kit/kit_solo.c.
 */
#include <stdio.h>
#include <string.h>

#include "kit_blob.h"
#include "kit_cfg.h"
#include "mean_reversion.h"

static const th_config_field schema[] = {
	KIT_SCHEMA_SOLO,
	{ "bb_period", TH_CONFIG_INT, 0, "20", "2", "1000", "Bollinger band period (SMA and standard deviation), bars" },
	{ "bb_k", TH_CONFIG_FLOAT, 0, "2.0", "0.1", "10", "band half-width in standard deviations" },
	{ "rsi_period", TH_CONFIG_INT, 0, "14", "2", "1000", "RSI period (Wilder), bars" },
	{ "oversold", TH_CONFIG_FLOAT, 0, "30", "0", "100", "long entry needs RSI below this" },
	{ "overbought", TH_CONFIG_FLOAT, 0, "70", "0", "100", "short entry needs RSI above this" },
	{ "rsi_exit", TH_CONFIG_FLOAT, 0, "60", "0", "100",
		"a long also exits when RSI rises above this (a short when RSI falls below 100 - rsi_exit)" },
	{ "stop_pct", TH_CONFIG_FLOAT, 0, "0", "0", "100", "stop loss distance from the entry, percent (0 = none)" },
	{ "allow_short", TH_CONFIG_BOOL, 0, "false", NULL, NULL, "also trade the mirrored short side" },
	TH_CONFIG_END,
};

static int read_params(const th_host_api *api, th_ctx *ctx, mr_params *p, kit_solo *solo)
{
	int64_t bb, rsi;
	memset(p, 0, sizeof *p);
	if (kit_solo_config(solo, api, ctx, MR_PLUGIN) != TH_OK ||
		kit_cfg_int(api, ctx, MR_PLUGIN, "bb_period", 2, MR_PERIOD_MAX, &bb) != TH_OK ||
		kit_cfg_int(api, ctx, MR_PLUGIN, "rsi_period", 2, MR_PERIOD_MAX, &rsi) != TH_OK ||
		kit_cfg_double(api, ctx, MR_PLUGIN, "bb_k", 0.1, 10, &p->bb_k) != TH_OK ||
		kit_cfg_double(api, ctx, MR_PLUGIN, "oversold", 0, 100, &p->oversold) != TH_OK ||
		kit_cfg_double(api, ctx, MR_PLUGIN, "overbought", 0, 100, &p->overbought) != TH_OK ||
		kit_cfg_double(api, ctx, MR_PLUGIN, "rsi_exit", 0, 100, &p->rsi_exit) != TH_OK ||
		kit_cfg_double(api, ctx, MR_PLUGIN, "stop_pct", 0, 100, &p->stop_pct) != TH_OK ||
		kit_cfg_bool(api, ctx, MR_PLUGIN, "allow_short", &p->allow_short) != TH_OK)
		return TH_ERR_INVALID;
	th_strlcpy(p->symbol, solo->symbol, sizeof p->symbol);
	p->bb_period = (uint32_t)bb;
	p->rsi_period = (uint32_t)rsi;
	if (p->oversold >= p->overbought) {
		api->set_error(ctx, "%s: key 'oversold' (%g) must be below 'overbought' (%g)", MR_PLUGIN, p->oversold,
			p->overbought);
		return TH_ERR_INVALID;
	}
	/* An exit level at or below the entry level would close the trade on the
	 * bar that opened it. */
	if (p->rsi_exit <= p->oversold) {
		api->set_error(ctx, "%s: key 'rsi_exit' (%g) must be above 'oversold' (%g)", MR_PLUGIN, p->rsi_exit,
			p->oversold);
		return TH_ERR_INVALID;
	}
	if (p->allow_short && 100.0 - p->rsi_exit >= p->overbought) {
		api->set_error(ctx, "%s: key 'rsi_exit' (%g): the short exit level 100 - rsi_exit must be below "
			"'overbought' (%g)", MR_PLUGIN, p->rsi_exit, p->overbought);
		return TH_ERR_INVALID;
	}
	return TH_OK;
}

static int r_create(const th_host_api *api, th_ctx *ctx, void **out)
{
	mean_reversion *m = api->alloc(ctx, sizeof *m);
	if (!m)
		return TH_ERR_NOMEM;
	memset(m, 0, sizeof *m);
	m->api = api;
	m->ctx = ctx;
	if (read_params(api, ctx, &m->p, &m->s.solo) != TH_OK) {
		api->free(ctx, m);
		return TH_ERR_INVALID;
	}
	th_ta_error err;
	int rc = mr_ind_init(&m->ind, &m->p, &err);
	if (rc != TH_TA_OK) {
		api->set_error(ctx, "%s: indicators: %s", MR_PLUGIN, rc == TH_TA_EPARAM ? err.msg : "out of memory");
		api->free(ctx, m);
		return rc == TH_TA_EPARAM ? TH_ERR_INVALID : TH_ERR_NOMEM;
	}
	*out = m;
	return TH_OK;
}

static void on_bar(void *arg, const th_event *ev)
{
	mean_reversion *m = arg;
	kit_solo *s = &m->s.solo;
	if (!kit_solo_bar(s, m->api, m->ctx, ev))
		return;
	mr_ind_feed(&m->ind, &ev->u.bar);
	if (kit_solo_busy(s))
		return; /* one working order at a time */
	mr_signal sig;
	mr_evaluate(&m->p, &m->ind, &s->hist, s->pos.qty, s->pos.avg, &sig);
	if (sig.action == MR_NONE)
		return;
	char text[TH_AGENT_TEXT_MAX - 64];
	mr_describe(&m->p, &sig, text, sizeof text);
	th_qty qty = sig.exit ? (s->pos.qty > 0 ? s->pos.qty : -s->pos.qty) : s->qty;
	kit_solo_market(s, m->api, m->ctx, sig.action == MR_BUY ? TH_SIDE_BUY : TH_SIDE_SELL, qty, text);
}

static void on_own(void *arg, const th_event *ev)
{
	mean_reversion *m = arg;
	kit_solo_on_own(&m->s.solo, m->api, m->ctx, ev);
}

static int r_start(void *arg)
{
	mean_reversion *m = arg;
	return kit_solo_subscribe(&m->s.solo, m->api, m->ctx, on_bar, on_own, m);
}

/* Nothing to undo: orders are market IOC, and the host drops subscriptions. */
static int r_stop(void *arg)
{
	(void)arg;
	return TH_OK;
}

static void r_destroy(void *arg)
{
	mean_reversion *m = arg;
	mr_ind_free(&m->ind);
	m->api->free(m->ctx, m);
}

static int r_export(void *arg, void **data, size_t *len)
{
	mean_reversion *m = arg;
	return kit_blob_export(m->api, m->ctx, MR_STATE_MAGIC, MR_STATE_VERSION, &m->s, sizeof m->s, data, len);
}

/* Keep this configuration, take over bars, orders and position, rebuild
 * the indicators from the bars. */
static int r_import(void *arg, const void *data, size_t len)
{
	mean_reversion *m = arg;
	char why[160];
	const mr_persist *old = kit_blob_payload(data, len, MR_STATE_MAGIC, MR_STATE_VERSION, sizeof *old, why,
		sizeof why);
	if (!old) {
		m->api->set_error(m->ctx, "%s: import: %s", MR_PLUGIN, why);
		return TH_ERR_INVALID;
	}
	int rc = kit_solo_adopt(&m->s.solo, &old->solo, m->api, m->ctx);
	if (rc != TH_OK)
		return rc;
	if (mr_ind_replay(&m->ind, &m->p, &m->s.solo.hist) != TH_TA_OK) {
		m->api->set_error(m->ctx, "%s: import: cannot rebuild the indicators", MR_PLUGIN);
		return TH_ERR_NOMEM;
	}
	return TH_OK;
}

static int r_explain(void *arg, char *buf, size_t cap)
{
	mean_reversion *m = arg;
	const kit_solo *s = &m->s.solo;
	mr_signal sig;
	if (s->halted) {
		snprintf(buf, cap, "%s: not trading: %s", s->symbol, s->halt_reason);
		return TH_OK;
	}
	mr_evaluate(&m->p, &m->ind, &s->hist, s->pos.qty, s->pos.avg, &sig);
	int n = mr_describe(&m->p, &sig, buf, cap);
	if (n >= 0 && (size_t)n + 2 < cap) {
		memcpy(buf + n, "; ", 3);
		kit_solo_status(s, buf + n + 2, cap - (size_t)n - 2);
	}
	return TH_OK;
}

static const th_strategy_api strategy_api = { .struct_size = sizeof(th_strategy_api), .explain = r_explain };

static const th_plugin_desc desc = {
	TH_PLUGIN_HEADER(TH_KIND_STRATEGY, MR_PLUGIN),
	.version = "1.0.0",
	.description = "mean reversion: buy below the lower Bollinger band with RSI oversold, exit at the middle band",
	.config_schema = schema,
	.create = r_create,
	.start = r_start,
	.stop = r_stop,
	.destroy = r_destroy,
	.export_state = r_export,
	.import_state = r_import,
	.kind_api = &strategy_api,
};

TH_PLUGIN_DEFINE(desc)
