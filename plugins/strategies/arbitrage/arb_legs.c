/*
 * arbitrage — episodes and residual hedging.
 *
 * An episode is either two IOC legs (buy on one venue, sell on the other,
 * sent together) or one market IOC hedge. Nothing new starts while an
 * episode is in flight. The OMS names each order in its first order event;
 * an unnamed event of the right venue and side is the answer to that
 * order's intent (one order per venue and side at most). An order is done
 * when its state is final or risk denied its intent.
 *
 * When an episode is done, the residual R = pos_a + pos_b (a completed arb
 * leaves it at 0) is hedged at market at once:
 *   flatten: trade -R on the venue whose position carries R's sign (the leg
 *            that filled more), undoing the excess;
 *   retry:   the first hedge trades -R on the other venue, completing the
 *            missing leg; if a residual remains, later hedges flatten.
 * After max_hedge_attempts hedges in a row that leave a residual, the agent
 * raises an alert and retries only on its timer; no new opportunity is
 * taken while any residual is held. Legs are never larger than qty and
 * qty <= max_residual, so one failed leg cannot exceed the bound.
 *
 * Re-entrancy: publish() may deliver events synchronously (the host drains
 * its bus at once when we publish from a timer, outside any handler), so the
 * answers to an order can arrive INSIDE its publish(). Slots are therefore
 * filled in before the intents are published -- both legs before the first
 * one goes out, so an episode can never look finished after one leg -- and
 * the explanation is published first, so the event stream reads in order.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "arb_internal.h"

th_qty arb_residual(const arb_agent *a)
{
	return a->b.pos[ARB_A] + a->b.pos[ARB_B];
}

int arb_busy(const arb_agent *a)
{
	for (int i = 0; i < ARB_MAX_ORDERS; i++)
		if (a->b.orders[i].state != ARB_ORD_FREE)
			return 1;
	return 0;
}

static void set_residual_gauge(arb_agent *a)
{
	if (a->metrics)
		a->api->metric_set(a->ctx, a->m_residual, arb_residual(a));
}

static void fmt_qty(const arb_agent *a, th_qty q, char *buf, size_t cap)
{
	th_fixed_format(q, a->b.qty_scale, buf, cap);
}

static void fmt_px(const arb_agent *a, th_price p, char *buf, size_t cap)
{
	th_fixed_format(p, a->b.price_scale, buf, cap);
}

static void msg(arb_agent *a, const char *kind, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void msg(arb_agent *a, const char *kind, const char *fmt, ...)
{
	char text[TH_AGENT_TEXT_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	arb_publish_msg(a, kind, text);
}

static void alert(arb_agent *a, uint32_t level, const char *code, const char *text)
{
	th_event ev;
	th_event_init(&ev, TH_EV_ALERT);
	th_strlcpy(ev.h.symbol, a->symbol, sizeof ev.h.symbol);
	memset(&ev.u.alert, 0, sizeof ev.u.alert);
	ev.u.alert.level = level;
	th_strlcpy(ev.u.alert.code, code, sizeof ev.u.alert.code);
	th_strlcpy(ev.u.alert.text, text, sizeof ev.u.alert.text);
	a->api->publish(a->ctx, &ev);
}

/* Reserves slot `k` for one IOC order and fills in `ev`; the slot is in its
 * new state before anything is published. */
static void prepare_order(arb_agent *a, int k, int venue, uint32_t side, th_price limit, th_qty qty, uint32_t role,
	th_event *ev)
{
	th_event_init(ev, TH_EV_INTENT);
	memset(&ev->u.intent, 0, sizeof ev->u.intent);
	th_strlcpy(ev->h.venue, a->venue[venue], sizeof ev->h.venue);
	th_strlcpy(ev->h.symbol, a->symbol, sizeof ev->h.symbol);
	ev->u.intent.intent_id = ++a->b.next_intent;
	ev->u.intent.action = TH_INTENT_PLACE;
	th_order *o = &ev->u.intent.order;
	th_strlcpy(o->symbol, a->symbol, sizeof o->symbol);
	o->side = side;
	o->type = limit > 0 ? TH_ORDER_LIMIT : TH_ORDER_MARKET;
	o->tif = TH_TIF_IOC; /* never rests: an unfilled leg ends at once and becomes a residual to hedge */
	o->price = limit;
	o->qty = qty;
	o->price_scale = a->b.price_scale;
	o->qty_scale = a->b.qty_scale;
	arb_order *s = &a->b.orders[k];
	memset(s, 0, sizeof *s);
	s->state = ARB_ORD_PENDING;
	s->venue = (uint32_t)venue;
	s->side = side;
	s->role = role;
	s->intent_id = ev->u.intent.intent_id;
	s->price = limit;
	s->qty = qty;
}

/* Publishes a prepared order. If the bus refuses it, the slot is closed as
 * an order that filled nothing. Returns 0 or -1. */
static int publish_order(arb_agent *a, int k, const th_event *ev)
{
	if (a->api->publish(a->ctx, ev) == TH_OK)
		return 0;
	arb_order *s = &a->b.orders[k];
	if (s->state == ARB_ORD_PENDING && s->intent_id == ev->u.intent.intent_id)
		s->state = ARB_ORD_DONE;
	a->api->logf(a->ctx, TH_LOG_WARN, "%s: order on %s not sent: the bus refused it", a->symbol,
		ev->h.venue);
	return -1;
}

static void finish_episode(arb_agent *a);

static void hedge(arb_agent *a, const char *context)
{
	arb_book *b = &a->b;
	th_qty r = arb_residual(a);
	if (r == 0)
		return;
	/* the venue carrying the residual's sign, the larger position if both do */
	int carrier = -1;
	for (int v = 0; v < 2; v++)
		if ((r > 0 ? b->pos[v] > 0 : b->pos[v] < 0) &&
			(carrier < 0 || (b->pos[v] > 0 ? b->pos[v] : -b->pos[v]) >
				(b->pos[carrier] > 0 ? b->pos[carrier] : -b->pos[carrier])))
			carrier = v;
	if (carrier < 0)
		carrier = ARB_A; /* cannot happen: r is the sum of the two */
	int retry = a->policy == ARB_RETRY && b->hedge_failures == 0;
	int venue = retry ? 1 - carrier : carrier;
	uint32_t side = r > 0 ? TH_SIDE_SELL : TH_SIDE_BUY;
	th_qty q = r > 0 ? r : -r;
	char rs[32], pa[32], pb[32], qs[32];
	fmt_qty(a, r, rs, sizeof rs);
	fmt_qty(a, b->pos[ARB_A], pa, sizeof pa);
	fmt_qty(a, b->pos[ARB_B], pb, sizeof pb);
	fmt_qty(a, q, qs, sizeof qs);
	if (q > a->max_res) {
		char text[256];
		snprintf(text, sizeof text, "%s: residual %s exceeds max_residual; hedging it at market", a->symbol, rs);
		alert(a, TH_ALERT_CRITICAL, "arb_residual_over_limit", text);
	}
	b->hedges++;
	if (a->metrics)
		a->api->metric_add(a->ctx, a->m_hedges, 1);
	msg(a, "decision", "%s: residual %s (%s %s, %s %s) %s; policy %s -> %s %s at market (IOC) on %s", a->symbol, rs,
		a->venue[ARB_A], pa, a->venue[ARB_B], pb, context,
		retry ? "retry: complete the missing leg" : "flatten: undo the excess where it filled",
		side == TH_SIDE_BUY ? "buy" : "sell", qs, a->venue[venue]);
	th_event ev;
	prepare_order(a, 0, venue, side, 0, q, ARB_HEDGE, &ev);
	if (publish_order(a, 0, &ev) != 0)
		memset(b->orders, 0, sizeof b->orders); /* nothing out: the next quote or timer tick tries again */
}

static int fresh(const arb_agent *a, const arb_touch *t, int64_t now)
{
	return t->valid && now - t->ts_ns <= a->max_age_ns;
}

static th_qty min_qty(th_qty x, th_qty y)
{
	return x < y ? x : y;
}

void arb_evaluate(arb_agent *a)
{
	arb_book *b = &a->b;
	if (a->disabled || !b->have_scales || arb_busy(a))
		return;
	if (arb_residual(a) != 0) {
		if (!b->halted)
			hedge(a, "still open");
		return; /* never a new opportunity on top of an unhedged residual */
	}
	int64_t now = a->api->now_ns(a->ctx);
	if (!fresh(a, &b->touch[ARB_A], now) || !fresh(a, &b->touch[ARB_B], now))
		return;
	arb_signal s;
	if (!arb_edge_find(b->touch, a->fee, a->threshold, a->tick, &s))
		return;
	int x = s.buy, y = 1 - s.buy;
	th_qty q = a->qty;
	if (a->cap_to_quote) {
		if (b->touch[x].ask_qty > 0)
			q = min_qty(q, b->touch[x].ask_qty);
		if (b->touch[y].bid_qty > 0)
			q = min_qty(q, b->touch[y].bid_qty);
	}
	/* per-venue bound: long on the buy venue, short on the sell venue */
	q = min_qty(q, a->max_pos - b->pos[x]);
	q = min_qty(q, a->max_pos + b->pos[y]);
	q -= q % a->lot;
	if (q <= 0)
		return; /* at the position bound in this direction: wait for the basis to turn */
	char bp[32], sp[32], qs[32], pa[32], pb[32];
	fmt_px(a, s.buy_px, bp, sizeof bp);
	fmt_px(a, s.sell_px, sp, sizeof sp);
	fmt_qty(a, q, qs, sizeof qs);
	fmt_qty(a, b->pos[ARB_A], pa, sizeof pa);
	fmt_qty(a, b->pos[ARB_B], pb, sizeof pb);
	b->episodes++;
	b->last = s;
	if (a->metrics)
		a->api->metric_add(a->ctx, a->m_episodes, 1);
	msg(a, "decision",
		"%s: buy %s at %s (ask) < sell %s at %s (bid): gross %.2f bp - fees %.2f bp = net %.2f bp > threshold %.2f "
		"bp -> IOC legs of %s (positions %s %s, %s %s)",
		a->symbol, a->venue[x], bp, a->venue[y], sp, s.gross_bps, s.fees_bps, s.net_bps, (double)a->threshold / 1e4,
		qs, a->venue[ARB_A], pa, a->venue[ARB_B], pb);
	th_event buy, sell;
	prepare_order(a, 0, x, TH_SIDE_BUY, s.buy_px, q, ARB_LEG, &buy);
	prepare_order(a, 1, y, TH_SIDE_SELL, s.sell_px, q, ARB_LEG, &sell);
	if (publish_order(a, 0, &buy) != 0) {
		memset(b->orders, 0, sizeof b->orders); /* nothing went out */
		return;
	}
	if (publish_order(a, 1, &sell) != 0)
		finish_episode(a); /* the buy leg is out alone: once done, its fill is a residual to hedge */
}

/* The timer only retries hedges: an opportunity is taken once, on the quote
 * that shows it -- re-trading an old touch would assume liquidity our own
 * IOC may already have taken. */
void arb_check(arb_agent *a)
{
	arb_book *b = &a->b;
	if (a->disabled || !b->have_scales || arb_busy(a) || arb_residual(a) == 0)
		return;
	hedge(a, b->halted ? "still open (timer retry)" : "still open");
}

/* Every order of the episode is final: account it and hedge what is left. */
static void finish_episode(arb_agent *a)
{
	arb_book *b = &a->b;
	for (int i = 0; i < ARB_MAX_ORDERS; i++)
		if (b->orders[i].state != ARB_ORD_FREE && b->orders[i].state != ARB_ORD_DONE)
			return;
	int was_hedge = 0, legs = 0;
	th_qty bought = 0, sold = 0, wanted = 0;
	for (int i = 0; i < ARB_MAX_ORDERS; i++) {
		const arb_order *o = &b->orders[i];
		if (o->state == ARB_ORD_FREE)
			continue;
		was_hedge |= o->role == ARB_HEDGE;
		if (o->role == ARB_LEG) {
			legs++;
			wanted = o->qty;
			if (o->side == TH_SIDE_BUY)
				bought = o->filled;
			else
				sold = o->filled;
		}
	}
	memset(b->orders, 0, sizeof b->orders);
	if (legs == 2) {
		if (bought == wanted && sold == wanted)
			b->full++;
		else if (bought || sold)
			b->partial++;
	}
	set_residual_gauge(a);
	if (arb_residual(a) == 0) {
		b->hedge_failures = 0;
		if (b->halted) {
			b->halted = 0;
			msg(a, "decision", "%s: residual hedged; taking opportunities again", a->symbol);
		}
		return;
	}
	if (was_hedge)
		b->hedge_failures++;
	if (b->hedge_failures >= a->max_hedges) {
		if (!b->halted) {
			char text[256];
			b->halted = 1;
			snprintf(text, sizeof text, "%s: %u hedges in a row left a residual; retrying every %lld ms only",
				a->symbol, b->hedge_failures, (long long)(a->check_ns / 1000000));
			alert(a, TH_ALERT_WARNING, "arb_hedge_failing", text);
			arb_publish_msg(a, "explanation", text);
		}
		return;
	}
	char bs[32], ss[32];
	fmt_qty(a, bought, bs, sizeof bs);
	fmt_qty(a, sold, ss, sizeof ss);
	char context[96];
	if (was_hedge)
		snprintf(context, sizeof context, "after hedge %u of %u", b->hedge_failures, a->max_hedges);
	else
		snprintf(context, sizeof context, "after legs filled %s bought / %s sold", bs, ss);
	hedge(a, context);
}

static void mark_done(arb_agent *a, arb_order *o)
{
	o->state = ARB_ORD_DONE;
	finish_episode(a);
}

static int is_final(uint32_t state)
{
	return state == TH_ORDER_FILLED || state == TH_ORDER_CANCELED || state == TH_ORDER_REJECTED ||
		state == TH_ORDER_EXPIRED || state == TH_ORDER_ABSENT;
}

static arb_order *order_of(arb_agent *a, int venue, const th_order_update *u)
{
	for (int i = 0; i < ARB_MAX_ORDERS; i++) {
		arb_order *o = &a->b.orders[i];
		if ((o->state == ARB_ORD_PENDING || o->state == ARB_ORD_OPEN) && o->clid[0] &&
			strcmp(o->clid, u->client_order_id) == 0)
			return o;
	}
	for (int i = 0; i < ARB_MAX_ORDERS; i++) {
		arb_order *o = &a->b.orders[i];
		if (o->state == ARB_ORD_PENDING && !o->clid[0] && o->venue == (uint32_t)venue && o->side == u->side)
			return o;
	}
	return NULL;
}

static void on_order(arb_agent *a, int venue, const th_order_update *u)
{
	arb_order *o = order_of(a, venue, u);
	if (!o)
		return; /* not in flight (IOC orders of an earlier generation end on their own) */
	if (!o->clid[0] && u->client_order_id[0])
		th_strlcpy(o->clid, u->client_order_id, sizeof o->clid);
	if (u->filled_qty > o->filled)
		o->filled = u->filled_qty;
	if (is_final(u->state)) {
		if (u->state == TH_ORDER_REJECTED) {
			a->b.refused++;
			msg(a, "explanation", "%s: %s order on %s refused: %s", a->symbol, o->role == ARB_HEDGE ? "hedge" : "leg",
				a->venue[o->venue], u->reason[0] ? u->reason : "no reason given");
		}
		mark_done(a, o);
		return;
	}
	if (o->clid[0])
		o->state = ARB_ORD_OPEN;
}

static void on_fill(arb_agent *a, int venue, const th_fill *f)
{
	th_qty q;
	if (!a->b.have_scales && arb_learn_scales(a, f->price_scale, f->qty_scale) != 0)
		return;
	if (th_fixed_rescale(f->qty, f->qty_scale, a->b.qty_scale, &q) != 0) {
		a->api->logf(a->ctx, TH_LOG_ERROR, "fill %s at quantity scale %d cannot be booked at scale %d",
			f->venue_trade_id, (int)f->qty_scale, (int)a->b.qty_scale);
		return;
	}
	a->b.pos[venue] += f->side == TH_SIDE_BUY ? q : -q;
	set_residual_gauge(a);
}

static void on_risk(arb_agent *a, const th_risk_decision *r)
{
	if (r->approved)
		return;
	for (int i = 0; i < ARB_MAX_ORDERS; i++) {
		arb_order *o = &a->b.orders[i];
		if (o->state == ARB_ORD_PENDING && o->intent_id == r->intent_id) {
			a->b.refused++;
			msg(a, "explanation", "%s: %s order on %s denied by risk (%s): %s", a->symbol,
				o->role == ARB_HEDGE ? "hedge" : "leg", a->venue[o->venue], r->plugin, r->message);
			mark_done(a, o);
			return;
		}
	}
}

void arb_on_own_event(void *arg, const th_event *ev)
{
	arb_agent *a = arg;
	if (ev->h.type == TH_EV_RISK) {
		on_risk(a, &ev->u.risk);
		return;
	}
	if (!(ev->h.flags & TH_EVENT_FLAG_OMS) || strcmp(ev->h.symbol, a->symbol) != 0)
		return;
	int v = arb_venue_index(a, ev->h.venue);
	if (v < 0)
		return;
	if (ev->h.type == TH_EV_ORDER)
		on_order(a, v, &ev->u.order);
	else if (ev->h.type == TH_EV_FILL)
		on_fill(a, v, &ev->u.fill);
}
