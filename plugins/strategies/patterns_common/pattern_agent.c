/*
 * pattern_agent — shared plumbing of the chart-pattern agents (see the header).
 */
#include "pattern_agent.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Read a positive-or-zero decimal key at PA_CONFIG_SCALE. */
static int read_decimal(pa_agent *a, const char *key, int64_t *out, int positive)
{
	if (a->api->config_decimal(a->ctx, key, PA_CONFIG_SCALE, out) != TH_OK) {
		a->api->set_error(a->ctx, "%s: key '%s' must be a decimal with at most %d fractional digits", a->plugin,
			key, PA_CONFIG_SCALE);
		return TH_ERR_INVALID;
	}
	if (positive ? *out <= 0 : *out < 0) {
		a->api->set_error(a->ctx, "%s: key '%s' must be %s", a->plugin, key,
			positive ? "greater than 0" : "0 or more");
		return TH_ERR_INVALID;
	}
	return TH_OK;
}

int pa_configure(pa_agent *a, const char *plugin, const th_host_api *api, th_ctx *ctx)
{
	memset(a, 0, sizeof *a);
	a->api = api;
	a->ctx = ctx;
	a->plugin = plugin;
	a->book.price_scale = a->book.qty_scale = -1;
	if (api->config_string(ctx, "symbol", &a->symbol) != TH_OK || !a->symbol[0] ||
		strlen(a->symbol) >= TH_SYMBOL_MAX) {
		api->set_error(ctx, "%s: key 'symbol' must name an instrument (1..%d characters)", plugin,
			TH_SYMBOL_MAX - 1);
		return TH_ERR_INVALID;
	}
	if (api->config_string(ctx, "venue", &a->venue) != TH_OK || !a->venue[0] || strlen(a->venue) >= TH_VENUE_MAX) {
		api->set_error(ctx, "%s: key 'venue' must name a venue instance (1..%d characters)", plugin,
			TH_VENUE_MAX - 1);
		return TH_ERR_INVALID;
	}
	int rc;
	if ((rc = read_decimal(a, "qty", &a->qty8, 1)) != TH_OK || (rc = read_decimal(a, "tick", &a->tick8, 0)) != TH_OK ||
		(rc = read_decimal(a, "lot", &a->lot8, 0)) != TH_OK)
		return rc;
	if (a->lot8 > 0 && a->qty8 < a->lot8) {
		api->set_error(ctx, "%s: key 'qty' is smaller than one lot: every order would round to zero", plugin);
		return TH_ERR_INVALID;
	}
	if (api->config_int(ctx, "max_slippage_bps", &a->slippage_bps) != TH_OK || a->slippage_bps < 0 ||
		a->slippage_bps > 1000) {
		api->set_error(ctx, "%s: key 'max_slippage_bps' must be an integer in 0..1000", plugin);
		return TH_ERR_INVALID;
	}
	return TH_OK;
}

int pa_subscribe(pa_agent *a, th_event_fn on_bar, void *arg)
{
	uint64_t id;
	th_subscription bars = { .topics = TH_TOPIC(TH_EV_BAR), .venue = a->venue, .symbol = a->symbol };
	/* Order and fill events reach us re-published by the OMS with h.agent set;
	 * risk decisions too (a denied intent produces no order event at all). */
	th_subscription own = { .topics = TH_TOPIC(TH_EV_FILL) | TH_TOPIC(TH_EV_ORDER) | TH_TOPIC(TH_EV_RISK),
		.agent = a->api->instance_name(a->ctx) };
	int rc = a->api->subscribe(a->ctx, &bars, on_bar, arg, &id);
	return rc != TH_OK ? rc : a->api->subscribe(a->ctx, &own, pa_on_own_event, a, &id);
}

int pa_accept_bar(pa_agent *a, const th_bar *b)
{
	const char *why = NULL;
	if (b->price_scale < 0 || b->price_scale > TH_SCALE_MAX || b->qty_scale < 0 || b->qty_scale > TH_SCALE_MAX)
		why = "scale outside 0..18";
	else if (a->book.price_scale >= 0 &&
		(b->price_scale != a->book.price_scale || b->qty_scale != a->book.qty_scale))
		why = "scales differ from the earlier bars";
	else if (!(b->low > 0 && b->low <= b->high && b->open >= b->low && b->open <= b->high && b->close >= b->low &&
			 b->close <= b->high))
		why = "inconsistent OHLC (need 0 < low <= open, close <= high)";
	else if (b->volume < 0)
		why = "negative volume";
	if (why) {
		/* Log the first few only: a broken feed must not flood the log. */
		if (a->book.bad_bars++ < 5)
			a->api->logf(a->ctx, TH_LOG_WARN, "%s %s: bar at %lld ignored: %s", a->plugin, a->symbol,
				(long long)b->open_time_ns, why);
		return 0;
	}
	a->book.price_scale = b->price_scale;
	a->book.qty_scale = b->qty_scale;
	a->book.bars++;
	return 1;
}

int pa_busy(const pa_agent *a)
{
	return a->book.inflight != 0;
}

const char *pa_px(th_price v, int scale, char *buf, size_t cap)
{
	if (th_fixed_format(v, scale, buf, cap) < 0)
		snprintf(buf, cap, "?");
	return buf;
}

/* A config value at PA_CONFIG_SCALE as a step at `scale`, or 0 if it is 0
 * ("ask the venue"); a step finer than the scale is one unit. */
static int64_t step_at(int64_t v8, int scale)
{
	int64_t out;
	if (v8 <= 0)
		return 0;
	if (th_fixed_rescale(v8, PA_CONFIG_SCALE, scale, &out) != 0 || out < 1)
		return 1;
	return out;
}

/* The venue's instrument, when the host can tell (ABI 1.1 slot) and it is at
 * the bars' scales. */
static const th_instrument *venue_instrument(const pa_agent *a)
{
	if (a->book.price_scale < 0 || !TH_HOST_HAS(a->api, instrument))
		return NULL;
	const th_instrument *ins = a->api->instrument(a->ctx, a->venue, a->symbol);
	if (!ins || ins->price_scale != a->book.price_scale || ins->qty_scale != a->book.qty_scale)
		return NULL;
	return ins;
}

th_price pa_tick(const pa_agent *a)
{
	th_price t = step_at(a->tick8, a->book.price_scale < 0 ? PA_CONFIG_SCALE : a->book.price_scale);
	const th_instrument *ins;
	if (t == 0)
		t = (ins = venue_instrument(a)) && ins->tick > 0 ? ins->tick : 1;
	return t;
}

th_qty pa_lot(const pa_agent *a)
{
	th_qty l = step_at(a->lot8, a->book.qty_scale < 0 ? PA_CONFIG_SCALE : a->book.qty_scale);
	const th_instrument *ins;
	if (l == 0)
		l = (ins = venue_instrument(a)) && ins->lot > 0 ? ins->lot : 1;
	return l;
}

th_price pa_round_tick(th_price px, th_price tick, int dir)
{
	if (tick <= 1)
		return px < 1 ? 1 : px;
	th_price r = px % tick;
	if (r != 0) {
		px -= r;
		if (dir > 0 && px <= INT64_MAX - tick)
			px += tick;
	}
	return px < tick ? tick : px;
}

int pa_from_double(double v, int scale, th_price *out)
{
	if (!isfinite(v) || scale < 0 || scale > TH_SCALE_MAX)
		return 0;
	double m = v * (double)th_pow10(scale);
	/* 2^62: far from int64 overflow, and beyond any price we would compare */
	if (!(fabs(m) < 4.6e18))
		return 0;
	*out = (th_price)llround(m);
	return 1;
}

void pa_message(pa_agent *a, const char *kind, const char *fmt, ...)
{
	th_event msg;
	th_event_init(&msg, TH_EV_AGENT_MSG);
	th_strlcpy(msg.h.venue, a->venue, sizeof msg.h.venue);
	th_strlcpy(msg.h.symbol, a->symbol, sizeof msg.h.symbol);
	memset(&msg.u.agent_msg, 0, sizeof msg.u.agent_msg);
	th_strlcpy(msg.u.agent_msg.kind, kind, sizeof msg.u.agent_msg.kind);
	int n = snprintf(msg.u.agent_msg.text, sizeof msg.u.agent_msg.text, "%s: ", a->symbol);
	va_list ap;
	va_start(ap, fmt);
	if (n > 0 && (size_t)n < sizeof msg.u.agent_msg.text)
		vsnprintf(msg.u.agent_msg.text + n, sizeof msg.u.agent_msg.text - (size_t)n, fmt, ap);
	va_end(ap);
	if (a->api->publish(a->ctx, &msg) != TH_OK)
		a->api->logf(a->ctx, TH_LOG_WARN, "%s %s: decision message not published: %s", a->plugin, a->symbol,
			msg.u.agent_msg.text);
}

/* Publish an order intent; on success the order is in flight. */
static int send_order(pa_agent *a, int side, int type, th_price price, th_qty qty)
{
	th_event ev;
	th_event_init(&ev, TH_EV_INTENT);
	memset(&ev.u.intent, 0, sizeof ev.u.intent);
	th_strlcpy(ev.h.venue, a->venue, sizeof ev.h.venue);
	th_strlcpy(ev.h.symbol, a->symbol, sizeof ev.h.symbol);
	ev.u.intent.intent_id = a->book.next_intent + 1;
	ev.u.intent.action = TH_INTENT_PLACE;
	th_order *o = &ev.u.intent.order;
	th_strlcpy(o->symbol, a->symbol, sizeof o->symbol);
	o->side = (uint32_t)side;
	o->type = (uint32_t)type;
	o->tif = TH_TIF_IOC;
	o->price = price;
	o->qty = qty;
	o->price_scale = a->book.price_scale;
	o->qty_scale = a->book.qty_scale;
	int rc = a->api->publish(a->ctx, &ev);
	if (rc != TH_OK)
		return rc;
	a->book.next_intent++;
	a->book.inflight = 1;
	a->book.inflight_intent = ev.u.intent.intent_id;
	return TH_OK;
}

/* The configured quantity at the bars' scale, rounded down to the lot. */
static int entry_qty(const pa_agent *a, th_qty *out)
{
	th_qty q, lot = pa_lot(a);
	if (th_fixed_rescale(a->qty8, PA_CONFIG_SCALE, a->book.qty_scale, &q) != 0)
		return -1;
	q -= q % lot;
	const th_instrument *ins = venue_instrument(a);
	if (q <= 0 || (ins && q < ins->min_qty))
		return -1;
	*out = q;
	return 0;
}

/* close * (1 +- bps/10^4), rounded away from the market to the tick. */
static int entry_limit(const pa_agent *a, th_price close, int side, th_price *out)
{
	__extension__ typedef __int128 i128;
	int64_t f = side == TH_SIDE_BUY ? 10000 + a->slippage_bps : 10000 - a->slippage_bps;
	i128 p = (i128)close * f;
	i128 q = p / 10000;
	if (side == TH_SIDE_BUY && p % 10000 != 0)
		q++; /* a buyer's cap rounds up, a seller's floor down: never tighter than asked */
	if (q <= 0 || q > INT64_MAX / 2)
		return -1;
	*out = pa_round_tick((th_price)q, pa_tick(a), side == TH_SIDE_BUY ? 1 : -1);
	return 0;
}

int pa_enter(pa_agent *a, const th_bar *b, int side, const char *why)
{
	th_qty qty;
	th_price limit;
	char qbuf[32], pbuf[32];
	if (pa_busy(a) || a->book.position != 0)
		return TH_ERR_STATE;
	if (entry_qty(a, &qty) != 0) {
		pa_message(a, "decision", "%s -> no order: qty rounds below one lot / the minimum at quantity scale %d", why,
			a->book.qty_scale);
		return TH_ERR_INVALID;
	}
	if (entry_limit(a, b->close, side, &limit) != 0) {
		pa_message(a, "decision", "%s -> no order: limit price out of range", why);
		return TH_ERR_INVALID;
	}
	int rc = send_order(a, side, TH_ORDER_LIMIT, limit, qty);
	if (rc != TH_OK) {
		pa_message(a, "decision", "%s -> %s not sent (bus refused: %d)", why, side == TH_SIDE_BUY ? "buy" : "sell",
			rc);
		return rc;
	}
	pa_message(a, "decision", "%s -> %s %s limit %s IOC (intent %llu)", why, side == TH_SIDE_BUY ? "buy" : "sell short",
		pa_px(qty, a->book.qty_scale, qbuf, sizeof qbuf), pa_px(limit, a->book.price_scale, pbuf, sizeof pbuf),
		(unsigned long long)a->book.inflight_intent);
	return TH_OK;
}

int pa_exit(pa_agent *a, const th_bar *b, const char *why)
{
	char qbuf[32];
	(void)b;
	if (pa_busy(a) || a->book.position == 0)
		return TH_ERR_STATE;
	int side = a->book.position > 0 ? TH_SIDE_SELL : TH_SIDE_BUY;
	th_qty qty = a->book.position > 0 ? a->book.position : -a->book.position;
	a->book.exiting = 1; /* until flat, even if this order is refused or fills only in part */
	int rc = send_order(a, side, TH_ORDER_MARKET, 0, qty);
	if (rc != TH_OK) {
		pa_message(a, "decision", "%s -> exit not sent (bus refused: %d)", why, rc);
		return rc;
	}
	pa_message(a, "decision", "%s -> %s %s at market IOC (intent %llu)", why,
		side == TH_SIDE_SELL ? "sell to flat" : "buy to cover", pa_px(qty, a->book.qty_scale, qbuf, sizeof qbuf),
		(unsigned long long)a->book.inflight_intent);
	return TH_OK;
}

void pa_finish_exit(pa_agent *a, const th_bar *b)
{
	if (!a->book.exiting)
		return;
	if (a->book.position == 0)
		a->book.exiting = 0;
	else if (!pa_busy(a))
		pa_exit(a, b, "finishing the exit decided earlier (position not flat yet)");
}

static int terminal(uint32_t state)
{
	return state == TH_ORDER_FILLED || state == TH_ORDER_CANCELED || state == TH_ORDER_REJECTED ||
		state == TH_ORDER_EXPIRED || state == TH_ORDER_ABSENT;
}

void pa_on_own_event(void *arg, const th_event *ev)
{
	pa_agent *a = arg;
	if (ev->h.type == TH_EV_RISK) {
		/* A denial is final for that intent: nothing else will come back for it. */
		const th_risk_decision *r = &ev->u.risk;
		if (!r->approved && a->book.inflight && r->intent_id == a->book.inflight_intent) {
			a->book.inflight = 0;
			a->api->logf(a->ctx, TH_LOG_INFO, "%s %s: intent %llu denied by %s: %s", a->plugin, a->symbol,
				(unsigned long long)r->intent_id, r->plugin, r->message);
		}
		return;
	}
	/* Only the OMS's copies count: the venue's raw events carry no owner. A
	 * venue that leaves h.symbol empty still moves our position. */
	if (!(ev->h.flags & TH_EVENT_FLAG_OMS) || (ev->h.symbol[0] && strcmp(ev->h.symbol, a->symbol) != 0))
		return;
	if (ev->h.type == TH_EV_FILL) {
		const th_fill *f = &ev->u.fill;
		th_qty q = f->qty;
		if (a->book.qty_scale < 0)
			a->book.qty_scale = f->qty_scale;
		else if (f->qty_scale != a->book.qty_scale && th_fixed_rescale(f->qty, f->qty_scale, a->book.qty_scale, &q) != 0)
			return;
		a->book.position += f->side == TH_SIDE_BUY ? q : -q;
		if (a->book.position == 0)
			a->book.exiting = 0;
	} else if (ev->h.type == TH_EV_ORDER) {
		const th_order_update *u = &ev->u.order;
		if (terminal(u->state)) {
			a->book.inflight = 0;
			if (u->state == TH_ORDER_REJECTED)
				a->api->logf(a->ctx, TH_LOG_WARN, "%s %s: order rejected: %s", a->plugin, a->symbol, u->reason);
		}
	}
}
