/*
 * ma_cross — trend following on a moving-average crossover, the simplest
 * useful agent: it goes long (buys `qty`) when the fast SMA of closes crosses
 * above the slow SMA and goes flat (sells what it holds) when it crosses
 * below. Position comes from the OMS's fill events for this agent, so the
 * agent never sells what it does not hold. Every decision is explained.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tradehost/tradehost.h>

#define MA_MAX_PERIOD 512

typedef struct agent {
	const th_host_api *api;
	th_ctx *ctx;
	const char *symbol;
	int64_t fast, slow;
	th_qty qty8;                 /* configured quantity at scale 8 */
	th_price closes[MA_MAX_PERIOD];
	int64_t count;
	th_price fast_sum, slow_sum;   /* running sums of the last fast / slow closes: O(1) per bar */
	int last_sign;
	th_qty position;             /* from our fills, at the instrument's qty scale */
	int order_open;              /* an order is working: wait for its outcome */
	uint64_t next_intent;
	/* "SYM: SMA(f) crossed above|below SMA(s) at close ", formatted once:
	 * a decision's text is then two copies and the close price */
	char said[2][96];
	size_t said_len[2];
} agent;

static const th_config_field schema[] = {
	{ "symbol", TH_CONFIG_STRING, 1, NULL, NULL, NULL, "instrument to trade, e.g. \"BTC-USDT\"" },
	{ "venue", TH_CONFIG_STRING, 0, "\"sim\"", NULL, NULL, "venue instance to trade on" },
	{ "fast", TH_CONFIG_INT, 0, "10", "1", "511", "fast moving-average period, bars" },
	{ "slow", TH_CONFIG_INT, 0, "30", "2", "511", "slow moving-average period, bars (greater than fast)" },
	{ "qty", TH_CONFIG_DECIMAL, 0, "\"0.01\"", "0", NULL, "quantity bought on a bullish cross" },
	TH_CONFIG_END,
};

static void explain(agent *a, const th_bar *b, int sign, const char *action)
{
	th_event msg;
	th_event_init(&msg, TH_EV_AGENT_MSG);
	th_strlcpy(msg.h.symbol, a->symbol, sizeof msg.h.symbol);
	th_strlcpy(msg.u.agent_msg.kind, "decision", sizeof msg.u.agent_msg.kind);
	/* "<said> <close> -> <action>": at most 95 + 21 + 4 + 13 bytes, far below the 512 of text */
	char *p = msg.u.agent_msg.text;
	const int k = sign > 0 ? 0 : 1;
	memcpy(p, a->said[k], a->said_len[k]);
	p += a->said_len[k];
	int n = th_fixed_format(b->close, b->price_scale, p, 32);
	p += n > 0 ? n : 0;
	memcpy(p, " -> ", 4);
	p += 4;
	th_strlcpy(p, action, 16);
	a->api->publish(a->ctx, &msg);
}

static void trade(agent *a, const th_event *bar_ev, int side, th_qty qty)
{
	const th_bar *b = &bar_ev->u.bar;
	th_event ev;
	th_event_init(&ev, TH_EV_INTENT);
	memset(&ev.u.intent, 0, sizeof ev.u.intent);
	th_strlcpy(ev.h.venue, bar_ev->h.venue, sizeof ev.h.venue);
	th_strlcpy(ev.h.symbol, a->symbol, sizeof ev.h.symbol);
	ev.u.intent.intent_id = ++a->next_intent;
	ev.u.intent.action = TH_INTENT_PLACE;
	th_order *o = &ev.u.intent.order;
	th_strlcpy(o->symbol, a->symbol, sizeof o->symbol);
	o->side = (uint32_t)side;
	o->type = TH_ORDER_MARKET;
	o->tif = TH_TIF_IOC;
	o->qty = qty;
	o->price_scale = b->price_scale;
	o->qty_scale = b->qty_scale;
	if (a->api->publish(a->ctx, &ev) == TH_OK)
		a->order_open = 1;
}

/* A cross while no order works: trade if it changes what we hold. Out of
 * line (about one bar in 35 gets here) so the per-bar path of on_bar saves
 * no registers. */
static __attribute__((noinline)) void decide(agent *a, const th_event *ev, int sign)
{
	const th_bar *b = &ev->u.bar;
	th_qty qty;
	if (sign > 0 && a->position == 0) {
		if (th_fixed_rescale(a->qty8, 8, b->qty_scale, &qty) != 0 || qty <= 0)
			return;
		explain(a, b, sign, "buy");
		trade(a, ev, TH_SIDE_BUY, qty);
	} else if (sign < 0 && a->position > 0) {
		explain(a, b, sign, "sell to flat");
		trade(a, ev, TH_SIDE_SELL, a->position);
	}
}

/* fast/slow averages compared without division: the sign of
 * fast_sum*slow - slow_sum*fast. Out of line and at 128 bits: only prices
 * near the int64 limit get here (see on_bar). */
static __attribute__((noinline)) int sign_wide(const agent *a)
{
	__extension__ __int128 lhs = (__int128)a->fast_sum * a->slow;
	__extension__ __int128 rhs = (__int128)a->slow_sum * a->fast;
	return lhs > rhs ? 1 : lhs < rhs ? -1 : 0;
}

static void on_bar(void *arg, const th_event *ev)
{
	agent *a = arg;
	const th_bar *b = &ev->u.bar;
	const th_price close = b->close;
	/* This runs for every bar of a replay. `count` never goes negative, so
	 * as unsigned its ring position is a mask (a signed `%` is not). */
	const uint64_t mask = MA_MAX_PERIOD - 1, at = (uint64_t)a->count;
	a->closes[at & mask] = close;
	a->count++;
	/* the ring holds more than `slow` closes, so the ones leaving are still there */
	if (a->count > a->slow) {
		/* the usual case: both windows full, one close enters and one leaves each sum */
		a->fast_sum += close - a->closes[(at - (uint64_t)a->fast) & mask];
		a->slow_sum += close - a->closes[(at - (uint64_t)a->slow) & mask];
	} else {
		a->fast_sum += close;
		a->slow_sum += close;
		if (a->count > a->fast)
			a->fast_sum -= a->closes[(at - (uint64_t)a->fast) & mask];
		if (a->count < a->slow)
			return; /* not enough history: no signal */
	}
	/* fast/slow averages compared without division: fast_sum*slow vs
	 * slow_sum*fast, in int64 when the products fit (any realistic price),
	 * else at 128 bits; the sign is the same either way */
	int64_t lhs, rhs;
	int sign;
	if (!__builtin_mul_overflow(a->fast_sum, a->slow, &lhs) && !__builtin_mul_overflow(a->slow_sum, a->fast, &rhs))
		sign = (lhs > rhs) - (lhs < rhs);
	else
		sign = sign_wide(a);
	if (sign == 0)
		return; /* equal averages neither cross nor change the side we were on */
	int crossed = a->last_sign != 0 && sign != a->last_sign;
	a->last_sign = sign;
	if (!crossed || a->order_open)
		return;
	decide(a, ev, sign);
}

/* The OMS re-publishes fills and order outcomes to the owning agent; the
 * pipeline's decision arrives as TH_EV_RISK (a denied intent makes no order). */
static void on_own_order(void *arg, const th_event *ev)
{
	agent *a = arg;
	if (ev->h.type == TH_EV_RISK) {
		if (!ev->u.risk.approved && ev->u.risk.intent_id == a->next_intent)
			a->order_open = 0;
		return;
	}
	if (!(ev->h.flags & TH_EVENT_FLAG_OMS))
		return;
	if (ev->h.type == TH_EV_FILL) {
		a->position += ev->u.fill.side == TH_SIDE_BUY ? ev->u.fill.qty : -ev->u.fill.qty;
	} else if (ev->h.type == TH_EV_ORDER) {
		uint32_t s = ev->u.order.state;
		if (s == TH_ORDER_FILLED || s == TH_ORDER_CANCELED || s == TH_ORDER_REJECTED || s == TH_ORDER_EXPIRED)
			a->order_open = 0;
	}
}

static int s_create(const th_host_api *api, th_ctx *ctx, void **out)
{
	agent *a = calloc(1, sizeof *a);
	if (!a)
		return TH_ERR_NOMEM;
	a->api = api;
	a->ctx = ctx;
	api->config_string(ctx, "symbol", &a->symbol);
	api->config_int(ctx, "fast", &a->fast);
	api->config_int(ctx, "slow", &a->slow);
	if (a->slow <= a->fast) {
		api->set_error(ctx, "slow (%lld) must be greater than fast (%lld)", (long long)a->slow, (long long)a->fast);
		free(a);
		return TH_ERR_INVALID;
	}
	if (api->config_decimal(ctx, "qty", 8, &a->qty8) != TH_OK || a->qty8 <= 0) {
		api->set_error(ctx, "qty must be a positive decimal with at most 8 digits");
		free(a);
		return TH_ERR_INVALID;
	}
	for (int k = 0; k < 2; k++) {
		int n = snprintf(a->said[k], sizeof a->said[k], "%s: SMA(%lld) crossed %s SMA(%lld) at close ", a->symbol,
			(long long)a->fast, k == 0 ? "above" : "below", (long long)a->slow);
		a->said_len[k] = n > 0 && (size_t)n < sizeof a->said[k] ? (size_t)n : 0;
	}
	*out = a;
	return TH_OK;
}

static int s_start(void *arg)
{
	agent *a = arg;
	const char *venue;
	uint64_t id;
	a->api->config_string(a->ctx, "venue", &venue);
	th_subscription bars = { .topics = TH_TOPIC(TH_EV_BAR), .venue = venue, .symbol = a->symbol };
	th_subscription own = { .topics = TH_TOPIC(TH_EV_FILL) | TH_TOPIC(TH_EV_ORDER) | TH_TOPIC(TH_EV_RISK),
		.agent = a->api->instance_name(a->ctx) };
	int rc = a->api->subscribe(a->ctx, &bars, on_bar, a, &id);
	return rc != TH_OK ? rc : a->api->subscribe(a->ctx, &own, on_own_order, a, &id);
}

static int s_stop(void *arg)
{
	(void)arg;
	return TH_OK;
}

static void s_destroy(void *arg)
{
	free(arg);
}

/* Hot reload keeps the history, position and signal state. */
static int s_export(void *arg, void **data, size_t *len)
{
	agent *a = arg;
	agent *copy = a->api->alloc(a->ctx, sizeof *a);
	if (!copy)
		return TH_ERR_NOMEM;
	memcpy(copy, a, sizeof *a);
	*data = copy;
	*len = sizeof *a;
	return TH_OK;
}

static int s_import(void *arg, const void *data, size_t len)
{
	agent *a = arg;
	const agent *old = data;
	if (len != sizeof *a)
		return TH_ERR_INVALID;
	memcpy(a->closes, old->closes, sizeof a->closes);
	a->count = old->count;
	a->fast_sum = old->fast_sum;
	a->slow_sum = old->slow_sum;
	a->last_sign = old->last_sign;
	a->position = old->position;
	a->order_open = old->order_open;
	a->next_intent = old->next_intent;
	return TH_OK;
}

static const th_strategy_api strategy_api = { .struct_size = sizeof(th_strategy_api) };

static const th_plugin_desc desc = {
	TH_PLUGIN_HEADER(TH_KIND_STRATEGY, "ma_cross"),
	.version = "1.0.0",
	.description = "trend following: long on a fast/slow SMA cross up, flat on a cross down",
	.config_schema = schema,
	.create = s_create,
	.start = s_start,
	.stop = s_stop,
	.destroy = s_destroy,
	.export_state = s_export,
	.import_state = s_import,
	.kind_api = &strategy_api,
};

TH_PLUGIN_DEFINE(desc)
