/*
 * momentum — plugin glue: configuration, subscriptions, decisions and
 * hot-reload state. The rule itself is in momentum_signal.c; the common
 * single-symbol machinery (orders, fills, scales) in core_kit/kit_solo.c.
 */
#include <stdio.h>
#include <string.h>

#include "kit_blob.h"
#include "kit_cfg.h"
#include "momentum.h"

static const th_config_field schema[] = {
	KIT_SCHEMA_SOLO,
	{ "ema_period", TH_CONFIG_INT, 0, "20", "1", "1000", "trend filter: EMA period of closes, bars" },
	{ "roc_period", TH_CONFIG_INT, 0, "10", "1", "1000", "rate of change look-back, bars" },
	{ "roc_threshold", TH_CONFIG_FLOAT, 0, "1.0", "0", "100",
		"minimum rate of change over roc_period for an entry, percent" },
	{ "volume_period", TH_CONFIG_INT, 0, "20", "1", "1000", "bars in the average volume" },
	{ "volume_factor", TH_CONFIG_FLOAT, 0, "1.5", "0", "100",
		"entry needs the bar's volume above this multiple of the previous bars' average" },
	{ "atr_period", TH_CONFIG_INT, 0, "14", "1", "1000", "ATR period for the trailing stop, bars" },
	{ "atr_mult", TH_CONFIG_FLOAT, 0, "3.0", "0", "100",
		"trailing stop distance from the best close since entry, in ATRs (0 = no trailing stop)" },
	{ "allow_short", TH_CONFIG_BOOL, 0, "false", NULL, NULL, "also trade the mirrored short side" },
	TH_CONFIG_END,
};

static int read_params(const th_host_api *api, th_ctx *ctx, mom_params *p, kit_solo *solo)
{
	int64_t v[4];
	static const char *const periods[4] = { "ema_period", "roc_period", "volume_period", "atr_period" };
	memset(p, 0, sizeof *p);
	if (kit_solo_config(solo, api, ctx, MOM_PLUGIN) != TH_OK)
		return TH_ERR_INVALID;
	th_strlcpy(p->symbol, solo->symbol, sizeof p->symbol);
	for (int i = 0; i < 4; i++)
		if (kit_cfg_int(api, ctx, MOM_PLUGIN, periods[i], 1, MOM_PERIOD_MAX, &v[i]) != TH_OK)
			return TH_ERR_INVALID;
	p->ema_period = (uint32_t)v[0];
	p->roc_period = (uint32_t)v[1];
	p->volume_period = (uint32_t)v[2];
	p->atr_period = (uint32_t)v[3];
	if (kit_cfg_double(api, ctx, MOM_PLUGIN, "roc_threshold", 0, 100, &p->roc_threshold) != TH_OK ||
		kit_cfg_double(api, ctx, MOM_PLUGIN, "volume_factor", 0, 100, &p->volume_factor) != TH_OK ||
		kit_cfg_double(api, ctx, MOM_PLUGIN, "atr_mult", 0, 100, &p->atr_mult) != TH_OK ||
		kit_cfg_bool(api, ctx, MOM_PLUGIN, "allow_short", &p->allow_short) != TH_OK)
		return TH_ERR_INVALID;
	return TH_OK;
}

static int m_create(const th_host_api *api, th_ctx *ctx, void **out)
{
	momentum *m = api->alloc(ctx, sizeof *m);
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
	int rc = mom_ind_init(&m->ind, &m->p, &err);
	if (rc != TH_TA_OK) {
		api->set_error(ctx, "%s: indicators: %s", MOM_PLUGIN, rc == TH_TA_EPARAM ? err.msg : "out of memory");
		api->free(ctx, m);
		return rc == TH_TA_EPARAM ? TH_ERR_INVALID : TH_ERR_NOMEM;
	}
	*out = m;
	return TH_OK;
}

static void on_bar(void *arg, const th_event *ev)
{
	momentum *m = arg;
	kit_solo *s = &m->s.solo;
	if (!kit_solo_bar(s, m->api, m->ctx, ev))
		return;
	mom_ind_feed(&m->ind, &ev->u.bar);
	if (kit_solo_busy(s))
		return; /* one working order at a time: wait for its outcome */
	mom_signal sig;
	mom_evaluate(&m->p, &m->ind, &s->hist, s->pos.qty, s->extreme, &sig);
	if (sig.action == MOM_NONE)
		return;
	char text[TH_AGENT_TEXT_MAX - 64];
	mom_describe(&m->p, &sig, text, sizeof text);
	th_qty qty = sig.exit ? (s->pos.qty > 0 ? s->pos.qty : -s->pos.qty) : s->qty;
	kit_solo_market(s, m->api, m->ctx, sig.action == MOM_BUY ? TH_SIDE_BUY : TH_SIDE_SELL, qty, text);
}

static void on_own(void *arg, const th_event *ev)
{
	momentum *m = arg;
	kit_solo_on_own(&m->s.solo, m->api, m->ctx, ev);
}

static int m_start(void *arg)
{
	momentum *m = arg;
	return kit_solo_subscribe(&m->s.solo, m->api, m->ctx, on_bar, on_own, m);
}

/* Nothing to undo: orders are market IOC, and the host drops subscriptions. */
static int m_stop(void *arg)
{
	(void)arg;
	return TH_OK;
}

static void m_destroy(void *arg)
{
	momentum *m = arg;
	mom_ind_free(&m->ind);
	m->api->free(m->ctx, m);
}

static int m_export(void *arg, void **data, size_t *len)
{
	momentum *m = arg;
	return kit_blob_export(m->api, m->ctx, MOM_STATE_MAGIC, MOM_STATE_VERSION, &m->s, sizeof m->s, data, len);
}

/* The new instance keeps its own configuration (periods may have changed),
 * takes over bars, orders and position, and rebuilds its indicators from the
 * bars. */
static int m_import(void *arg, const void *data, size_t len)
{
	momentum *m = arg;
	char why[160];
	const mom_persist *old = kit_blob_payload(data, len, MOM_STATE_MAGIC, MOM_STATE_VERSION, sizeof *old, why,
		sizeof why);
	if (!old) {
		m->api->set_error(m->ctx, "%s: import: %s", MOM_PLUGIN, why);
		return TH_ERR_INVALID;
	}
	int rc = kit_solo_adopt(&m->s.solo, &old->solo, m->api, m->ctx);
	if (rc != TH_OK)
		return rc;
	if (mom_ind_replay(&m->ind, &m->p, &m->s.solo.hist) != TH_TA_OK) {
		m->api->set_error(m->ctx, "%s: import: cannot rebuild the indicators", MOM_PLUGIN);
		return TH_ERR_NOMEM;
	}
	return TH_OK;
}

static int m_explain(void *arg, char *buf, size_t cap)
{
	momentum *m = arg;
	const kit_solo *s = &m->s.solo;
	mom_signal sig;
	if (s->halted) {
		snprintf(buf, cap, "%s: not trading: %s", s->symbol, s->halt_reason);
		return TH_OK;
	}
	mom_evaluate(&m->p, &m->ind, &s->hist, s->pos.qty, s->extreme, &sig);
	int n = mom_describe(&m->p, &sig, buf, cap);
	if (n >= 0 && (size_t)n + 2 < cap) {
		memcpy(buf + n, "; ", 3);
		kit_solo_status(s, buf + n + 2, cap - (size_t)n - 2);
	}
	return TH_OK;
}

static const th_strategy_api strategy_api = { .struct_size = sizeof(th_strategy_api), .explain = m_explain };

static const th_plugin_desc desc = {
	TH_PLUGIN_HEADER(TH_KIND_STRATEGY, MOM_PLUGIN),
	.version = "1.0.0",
	.description = "trend following: close above EMA with rate of change and volume confirmation, ATR trailing stop",
	.config_schema = schema,
	.create = m_create,
	.start = m_start,
	.stop = m_stop,
	.destroy = m_destroy,
	.export_state = m_export,
	.import_state = m_import,
	.kind_api = &strategy_api,
};

TH_PLUGIN_DEFINE(desc)
