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
/* The ring of closes is the first ring_mask(slow) + 1 slots of `closes`.
 * With the usual periods (slow below 64) it is 64 slots: a replay then
 * cycles through 8 cache lines of closes, which stay in L1, instead of the
 * array's 64, where each new line of 8 closes missed. */
#define MA_RING_SHORT 64

typedef struct agent {
	/* What on_bar reads and writes on every bar, first and together: a bar
	 * touches this one cache line of the agent and the ring slots it uses. */
	int64_t fast, slow;
	int64_t count;
	th_price fast_sum, slow_sum;   /* running sums of the last fast / slow closes: O(1) per bar */
	int last_sign;
	int order_open;              /* an order is working: wait for its outcome */
	th_price closes[MA_MAX_PERIOD];
	/* per decision (about one bar in 35) and per own order event */
	const th_host_api *api;
	th_ctx *ctx;
	const char *symbol;
	th_qty qty8;                 /* configured quantity at scale 8 */
	th_qty position;             /* from our fills, at the instrument's qty scale */
	uint64_t next_intent;
	/* The parts of a decision's two events that never change, built once at
	 * create from the configuration and the instance name (both fixed for
	 * the instance's life; a hot reload creates a new instance and builds
	 * them again). `hdr` is a zeroed header with our symbol and our own
	 * name as agent, stamped exactly as the host would stamp them: the host
	 * then publishes the event as it is instead of copying it to restamp. */
	th_event_header hdr;
	th_intent intent;            /* a zeroed market IOC order for our symbol */
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

/* The close as th_fixed_format() writes it ("-123.45", all `scale`
 * digits), without its NUL; returns the length, or -1 (nothing written) for
 * a scale out of range. th_fixed_format() collects the digits backwards
 * and then reverses them into place; a decision's text is built here about
 * once per 35 bars, so this writes them from the right end of a scratch
 * buffer, already in order, and copies them once. The test
 * test_decision_text_formats_close compares the two. */
static int format_close(int64_t v, int scale, char *out)
{
	char buf[32]; /* at most 21 bytes: 19 digits, '.' and '-' */
	char *const end = buf + sizeof buf;
	char *q = end;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	if (scale < 0 || scale > TH_SCALE_MAX)
		return -1;
	for (int k = 0; k < scale; k++) {
		*--q = (char)('0' + (int)(u % 10));
		u /= 10;
	}
	if (scale > 0)
		*--q = '.';
	do {
		*--q = (char)('0' + (int)(u % 10));
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--q = '-';
	memcpy(out, q, (size_t)(end - q));
	return (int)(end - q);
}

/* What a decision does, with its NUL: copied with a length known at compile time. */
static const char act_buy[] = "buy", act_flat[] = "sell to flat";

static void explain(agent *a, const th_bar *b, int sign, const char *action, size_t action_size)
{
	/* "decision" padded with zeros: the bytes after the text are the same
	 * in every message (the header template is zeroed the same way) */
	static const char kind[sizeof(((th_agent_msg *)0)->kind)] = "decision";
	th_event msg;
	memcpy(&msg.h, &a->hdr, sizeof msg.h);
	msg.h.type = TH_EV_AGENT_MSG;
	memcpy(msg.u.agent_msg.kind, kind, sizeof kind);
	/* "<said> <close> -> <action>": at most 95 + 21 + 4 + 13 bytes, far below the 512 of text */
	char *p = msg.u.agent_msg.text;
	const int k = sign > 0 ? 0 : 1;
	memcpy(p, a->said[k], a->said_len[k]);
	p += a->said_len[k];
	int n = format_close(b->close, b->price_scale, p);
	p += n > 0 ? n : 0;
	memcpy(p, " -> ", 4);
	p += 4;
	memcpy(p, action, action_size); /* with its NUL */
	a->api->publish(a->ctx, &msg);
}

static void trade(agent *a, const th_event *bar_ev, int side, th_qty qty)
{
	const th_bar *b = &bar_ev->u.bar;
	th_event ev;
	memcpy(&ev.h, &a->hdr, sizeof ev.h);
	ev.h.type = TH_EV_INTENT;
	th_strlcpy(ev.h.venue, bar_ev->h.venue, sizeof ev.h.venue);
	memcpy(&ev.u.intent, &a->intent, sizeof ev.u.intent);
	ev.u.intent.intent_id = ++a->next_intent;
	th_order *o = &ev.u.intent.order;
	o->side = (uint32_t)side;
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
		explain(a, b, sign, act_buy, sizeof act_buy);
		trade(a, ev, TH_SIDE_BUY, qty);
	} else if (sign < 0 && a->position > 0) {
		explain(a, b, sign, act_flat, sizeof act_flat);
		trade(a, ev, TH_SIDE_SELL, a->position);
	}
}

/* The side the averages are on this bar: +1 fast above slow, -1 below.
 * Nearly every bar stays on the side it was on: that costs one compare and
 * no store. A change of side is a cross unless it is the first side ever
 * seen (last_sign 0). */
static inline void side_seen(agent *a, const th_event *ev, int sign)
{
	if (sign == a->last_sign)
		return;
	const int crossed = a->last_sign != 0;
	a->last_sign = sign;
	if (!crossed || a->order_open)
		return;
	decide(a, ev, sign);
}

/* on_bar's compare when a product overflows int64: the sign of
 * fast_sum*slow - slow_sum*fast at 128 bits. Out of line, and entered by
 * a tail call, so that on_bar calls nothing on its way back and needs no
 * stack frame: only prices near the int64 limit get here. */
static __attribute__((noinline)) void side_seen_wide(agent *a, const th_event *ev)
{
	__extension__ __int128 lhs = (__int128)a->fast_sum * a->slow;
	__extension__ __int128 rhs = (__int128)a->slow_sum * a->fast;
	if (lhs != rhs) /* equal averages neither cross nor change the side we were on */
		side_seen(a, ev, lhs > rhs ? 1 : -1);
}

/* The ring must keep the close `slow` bars back while a new one enters:
 * more than `slow` slots, a power of two so that a position is a mask. */
static uint64_t ring_mask(int64_t slow)
{
	return slow < MA_RING_SHORT ? MA_RING_SHORT - 1 : MA_MAX_PERIOD - 1;
}

/* One bar, for a ring of mask + 1 slots. Inlined into one handler per ring
 * size (chosen at start) so the mask is a constant there: read from the
 * agent it would take a register, which this path does not have to spare
 * (measured: 5 more instructions a bar, saving and restoring registers). */
static inline __attribute__((always_inline)) void bar_step(agent *a, const th_event *ev, const uint64_t mask)
{
	const th_bar *b = &ev->u.bar;
	const th_price close = b->close;
	/* This runs for every bar of a replay. `count` never goes negative, so
	 * as unsigned its ring position is a mask (a signed `%` is not). */
	const uint64_t at = (uint64_t)a->count;
	a->closes[at & mask] = close;
	a->count = (int64_t)at + 1;
	/* the ring holds more than `slow` closes, so the ones leaving are still there */
	if ((int64_t)at >= a->slow) {
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
	 * else at 128 bits; the sign is the same either way. Equal averages
	 * neither cross nor change the side we were on. */
	int64_t lhs, rhs;
	if (__builtin_mul_overflow(a->fast_sum, a->slow, &lhs) || __builtin_mul_overflow(a->slow_sum, a->fast, &rhs)) {
		side_seen_wide(a, ev);
		return;
	}
	if (lhs != rhs)
		side_seen(a, ev, lhs > rhs ? 1 : -1);
}

static void on_bar_short(void *arg, const th_event *ev)
{
	bar_step(arg, ev, MA_RING_SHORT - 1);
}

static void on_bar_long(void *arg, const th_event *ev)
{
	bar_step(arg, ev, MA_MAX_PERIOD - 1);
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
	/* the templates of explain() and trade(): zeroed by calloc, then what never changes */
	th_strlcpy(a->hdr.symbol, a->symbol, sizeof a->hdr.symbol);
	th_strlcpy(a->hdr.agent, api->instance_name(ctx), sizeof a->hdr.agent);
	a->intent.action = TH_INTENT_PLACE;
	th_strlcpy(a->intent.order.symbol, a->symbol, sizeof a->intent.order.symbol);
	a->intent.order.type = TH_ORDER_MARKET;
	a->intent.order.tif = TH_TIF_IOC;
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
	th_event_fn on_bar = ring_mask(a->slow) == MA_RING_SHORT - 1 ? on_bar_short : on_bar_long;
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
	if (old->count < 0 || old->slow < 2 || old->slow >= MA_MAX_PERIOD)
		return TH_ERR_INVALID;
	const uint64_t old_mask = ring_mask(old->slow), mask = ring_mask(a->slow);
	/* The two rings may differ in size (it follows `slow`): the last closes
	 * that fit in both move to our slots 0..n-1, and the sums are
	 * recomputed from them (exact integers: with the same periods they are
	 * the running sums the old instance had; with other periods they are
	 * right for ours). */
	uint64_t n = (uint64_t)old->count;
	if (n > old_mask + 1)
		n = old_mask + 1;
	if (n > mask + 1)
		n = mask + 1;
	const uint64_t first = (uint64_t)old->count - n;
	a->fast_sum = a->slow_sum = 0;
	for (uint64_t j = 0; j < n; j++) {
		th_price c = old->closes[(first + j) & old_mask];
		a->closes[j] = c;
		if (n - j <= (uint64_t)a->slow)
			a->slow_sum += c;
		if (n - j <= (uint64_t)a->fast)
			a->fast_sum += c;
	}
	a->count = (int64_t)n;
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
