/*
 * momentum — plugin glue: configuration, subscriptions, intents, fills,
 * explanations and hot-reload state. The rule itself is in momentum_signal.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kit_blob.h"
#include "kit_cfg.h"
#include "kit_msg.h"
#include "momentum.h"

static const th_config_field schema[] = {
	{ "symbol", TH_CONFIG_STRING, 1, NULL, NULL, NULL, "instrument to trade, e.g. \"BTC-USDT\"" },
	{ "venue", TH_CONFIG_STRING, 0, "\"sim\"", NULL, NULL, "venue instance whose bars are read and traded on" },
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
	{ "qty", TH_CONFIG_DECIMAL, 0, "\"0.01\"", "0", NULL, "quantity of each entry" },
	KIT_SCHEMA_TICK_LOT,
	TH_CONFIG_END,
};

static int read_params(const th_host_api *api, th_ctx *ctx, mom_params *p, kit_inst *inst)
{
	int64_t v[4];
	static const char *const periods[4] = { "ema_period", "roc_period", "volume_period", "atr_period" };
	memset(p, 0, sizeof *p);
	if (kit_cfg_string(api, ctx, MOM_PLUGIN, "symbol", p->symbol, sizeof p->symbol) != TH_OK ||
		kit_cfg_string(api, ctx, MOM_PLUGIN, "venue", p->venue, sizeof p->venue) != TH_OK)
		return TH_ERR_INVALID;
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
		kit_cfg_bool(api, ctx, MOM_PLUGIN, "allow_short", &p->allow_short) != TH_OK ||
		kit_cfg_decimal(api, ctx, MOM_PLUGIN, "qty", &p->qty_cfg) != TH_OK ||
		kit_inst_config(inst, api, ctx, MOM_PLUGIN) != TH_OK)
		return TH_ERR_INVALID;
	if (p->qty_cfg <= 0) {
		api->set_error(ctx, "%s: key 'qty': must be greater than 0", MOM_PLUGIN);
		return TH_ERR_INVALID;
	}
	if (p->qty_cfg % inst->lot_cfg != 0) {
		api->set_error(ctx, "%s: key 'qty': not a multiple of 'lot'", MOM_PLUGIN);
		return TH_ERR_INVALID;
	}
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
	if (read_params(api, ctx, &m->p, &m->s.inst) != TH_OK) {
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
	kit_hist_init(&m->s.hist);
	kit_book_init(&m->s.book);
	th_strlcpy(m->s.symbol, m->p.symbol, sizeof m->s.symbol);
	*out = m;
	return TH_OK;
}

static void halt(momentum *m, const char *why)
{
	m->s.halted = 1;
	th_strlcpy(m->s.halt_reason, why, sizeof m->s.halt_reason);
	m->api->logf(m->ctx, TH_LOG_ERROR, "%s: not trading %s: %s", MOM_PLUGIN, m->p.symbol, why);
	kit_say(m->api, m->ctx, m->p.symbol, "explanation", "%s: not trading: %s", m->p.symbol, why);
}

/* Scales come from the first bar; the configured qty must fit them. */
static int learn(momentum *m, const th_bar *b)
{
	char why[160];
	int was = m->s.inst.known;
	if (kit_inst_learn(&m->s.inst, b->price_scale, b->qty_scale, why, sizeof why) != 0) {
		halt(m, why);
		return -1;
	}
	if (!was && (kit_cfg_to_scale(m->p.qty_cfg, b->qty_scale, &m->s.qty) != 0 || m->s.qty <= 0)) {
		halt(m, "qty has more digits than the market's quantity scale");
		return -1;
	}
	return 0;
}

static void act(momentum *m, const th_event *bar_ev, const mom_signal *sig)
{
	th_qty qty = sig->exit ? (m->s.pos.qty > 0 ? m->s.pos.qty : -m->s.pos.qty) : m->s.qty;
	th_order o;
	memset(&o, 0, sizeof o);
	th_strlcpy(o.symbol, m->p.symbol, sizeof o.symbol);
	o.side = sig->action == MOM_BUY ? TH_SIDE_BUY : TH_SIDE_SELL;
	o.type = TH_ORDER_MARKET;
	o.tif = TH_TIF_IOC;
	o.qty = qty;
	o.price_scale = bar_ev->u.bar.price_scale;
	o.qty_scale = bar_ev->u.bar.qty_scale;
	uint64_t id = 0;
	int rc = kit_place(&m->s.book, m->api, m->ctx, m->p.venue, &o, 0, &id);
	char text[TH_AGENT_TEXT_MAX], q[40];
	mom_describe(&m->p, sig, text, sizeof text);
	kit_fmt_short(q, sizeof q, qty, o.qty_scale);
	if (rc == TH_OK)
		kit_say(m->api, m->ctx, m->p.symbol, "decision", "%s: %s %s at market (intent %llu)", text,
			o.side == TH_SIDE_BUY ? "buy" : "sell", q, (unsigned long long)id);
	else
		m->api->logf(m->ctx, TH_LOG_WARN, "%s: intent for %s not published (status %d)", MOM_PLUGIN,
			m->p.symbol, rc);
}

static void on_bar(void *arg, const th_event *ev)
{
	momentum *m = arg;
	const th_bar *b = &ev->u.bar;
	if (ev->h.type != TH_EV_BAR || strcmp(ev->h.symbol, m->p.symbol) != 0 || m->s.halted || learn(m, b) != 0)
		return;
	kit_hist_push(&m->s.hist, b);
	mom_ind_feed(&m->ind, b);
	if ((m->s.pos.qty > 0 && b->close > m->s.extreme) || (m->s.pos.qty < 0 && b->close < m->s.extreme))
		m->s.extreme = b->close;
	if (kit_book_live(&m->s.book, m->p.symbol) > 0)
		return; /* one working order at a time: wait for its outcome */
	mom_signal sig;
	mom_evaluate(&m->p, &m->ind, &m->s.hist, m->s.pos.qty, m->s.extreme, &sig);
	if (sig.action != MOM_NONE)
		act(m, ev, &sig);
}

static void on_own(void *arg, const th_event *ev)
{
	momentum *m = arg;
	kit_update up;
	int k = kit_book_on_event(&m->s.book, m->api, m->ctx, ev, &up);
	if (strcmp(up.symbol, m->p.symbol) != 0)
		return;
	if (k == KIT_UP_FILL) {
		if (!m->s.inst.known || up.price_scale != m->s.inst.price_scale || up.qty_scale != m->s.inst.qty_scale) {
			m->api->logf(m->ctx, TH_LOG_WARN, "%s: fill at scales %d/%d ignored", MOM_PLUGIN, up.price_scale,
				up.qty_scale);
			return;
		}
		th_qty before = kit_pos_apply(&m->s.pos, up.side, up.price, up.qty);
		if (m->s.pos.qty == 0)
			m->s.extreme = 0;
		else if (before == 0 || (before > 0) != (m->s.pos.qty > 0))
			m->s.extreme = up.price; /* a new position: the trailing stop starts at its entry */
	} else if (k == KIT_UP_CLOSED && up.state == TH_ORDER_REJECTED) {
		kit_say(m->api, m->ctx, m->p.symbol, "explanation", "%s: order rejected: %s", m->p.symbol, up.reason);
	}
}

static int m_start(void *arg)
{
	momentum *m = arg;
	uint64_t id;
	th_subscription bars = { .topics = TH_TOPIC(TH_EV_BAR), .venue = m->p.venue, .symbol = m->p.symbol };
	th_subscription own = { .topics = TH_TOPIC(TH_EV_ORDER) | TH_TOPIC(TH_EV_FILL) | TH_TOPIC(TH_EV_RISK),
		.agent = m->api->instance_name(m->ctx) };
	int rc = m->api->subscribe(m->ctx, &bars, on_bar, m, &id);
	return rc != TH_OK ? rc : m->api->subscribe(m->ctx, &own, on_own, m, &id);
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
	mom_persist *s = m->api->alloc(m->ctx, sizeof *s);
	if (!s)
		return TH_ERR_NOMEM;
	memcpy(s, old, sizeof *s);
	/* this configuration's tick/lot/qty, the old market's scales */
	s->inst = m->s.inst;
	s->halted = 0;
	s->halt_reason[0] = '\0';
	int rc = TH_OK;
	if (old->inst.known) {
		if (kit_inst_learn(&s->inst, old->inst.price_scale, old->inst.qty_scale, why, sizeof why) != 0 ||
			kit_cfg_to_scale(m->p.qty_cfg, old->inst.qty_scale, &s->qty) != 0) {
			m->api->set_error(m->ctx, "%s: import: %s", MOM_PLUGIN, why);
			rc = TH_ERR_INVALID;
		}
	}
	if (rc == TH_OK && strcmp(old->symbol, m->p.symbol) != 0) {
		m->api->set_error(m->ctx, "%s: import: the state is for %s, the configuration trades %s", MOM_PLUGIN,
			old->symbol, m->p.symbol);
		rc = TH_ERR_INVALID;
	}
	if (rc == TH_OK && mom_ind_replay(&m->ind, &m->p, &s->hist) != TH_TA_OK) {
		m->api->set_error(m->ctx, "%s: import: cannot rebuild the indicators", MOM_PLUGIN);
		rc = TH_ERR_NOMEM;
	}
	if (rc == TH_OK)
		m->s = *s;
	m->api->free(m->ctx, s);
	return rc;
}

static int m_explain(void *arg, char *buf, size_t cap)
{
	momentum *m = arg;
	mom_signal sig;
	char pos[40] = "0";
	if (m->s.halted)
		return snprintf(buf, cap, "%s: not trading: %s", m->p.symbol, m->s.halt_reason) < 0 ? TH_ERR : TH_OK;
	mom_evaluate(&m->p, &m->ind, &m->s.hist, m->s.pos.qty, m->s.extreme, &sig);
	int n = mom_describe(&m->p, &sig, buf, cap);
	if (m->s.inst.known)
		kit_fmt_short(pos, sizeof pos, m->s.pos.qty, m->s.inst.qty_scale);
	if (n >= 0 && (size_t)n < cap)
		snprintf(buf + n, cap - (size_t)n, "; position %s, %zu working order(s)", pos,
			kit_book_live(&m->s.book, m->p.symbol));
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
