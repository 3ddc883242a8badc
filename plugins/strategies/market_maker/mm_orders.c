/*
 * market_maker — the two quote slots and the OMS's answers.
 *
 * A slot moves IDLE -> PENDING (place intent sent) -> WORKING (the OMS named
 * the order: its client order id is what a cancel needs) -> CANCELING ->
 * IDLE. The OMS answers a place intent first with an order event carrying
 * the new client order id (or a REJECTED without one), so an unnamed event
 * of the slot's side is the answer to the slot's pending intent: there is
 * never more than one pending intent per side. A risk denial arrives as a
 * TH_EV_RISK with our intent id. A refused slot is not re-placed until the
 * next forced refresh (timer or mid move), so a refusal cannot loop.
 *
 * Re-entrancy: publish() may deliver events synchronously (the host drains
 * its bus at once when we publish from a timer, outside any handler), so
 * our own order events can arrive INSIDE publish(). Every slot is therefore
 * put in its new state before the intent is published (and put back only if
 * the publish failed and nothing changed it meanwhile), and a refresh asked
 * for while one runs is deferred and run again by the outer one.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mm_internal.h"

void mm_publish_msg(mm_agent *a, const char *kind, const char *text)
{
	th_event ev;
	th_event_init(&ev, TH_EV_AGENT_MSG);
	th_strlcpy(ev.h.venue, a->venue, sizeof ev.h.venue);
	th_strlcpy(ev.h.symbol, a->symbol, sizeof ev.h.symbol);
	th_strlcpy(ev.u.agent_msg.kind, kind, sizeof ev.u.agent_msg.kind);
	th_strlcpy(ev.u.agent_msg.text, text, sizeof ev.u.agent_msg.text);
	a->api->publish(a->ctx, &ev);
	a->api->logf(a->ctx, TH_LOG_DEBUG, "%s: %s", kind, text); /* the same words in a debug log */
}

static void intent_init(mm_agent *a, th_event *ev, uint32_t action)
{
	th_event_init(ev, TH_EV_INTENT);
	memset(&ev->u.intent, 0, sizeof ev->u.intent);
	th_strlcpy(ev->h.venue, a->venue, sizeof ev->h.venue);
	th_strlcpy(ev->h.symbol, a->symbol, sizeof ev->h.symbol);
	ev->u.intent.intent_id = ++a->b.next_intent;
	ev->u.intent.action = action;
	th_strlcpy(ev->u.intent.order.symbol, a->symbol, sizeof ev->u.intent.order.symbol);
	ev->u.intent.order.price_scale = a->b.price_scale;
	ev->u.intent.order.qty_scale = a->b.qty_scale;
}

static int place(mm_agent *a, int side, th_price price)
{
	th_event ev;
	intent_init(a, &ev, TH_INTENT_PLACE);
	th_order *o = &ev.u.intent.order;
	o->side = side == MM_BID ? TH_SIDE_BUY : TH_SIDE_SELL;
	o->type = TH_ORDER_LIMIT;
	o->tif = TH_TIF_GTC;
	o->flags = TH_ORDER_POST_ONLY; /* a quote provides liquidity or does not trade */
	o->price = price;
	o->qty = a->order_qty;
	mm_slot *s = &a->b.slots[side];
	memset(s, 0, sizeof *s);
	s->state = MM_PENDING;
	s->intent_id = ev.u.intent.intent_id;
	s->price = price;
	s->qty = a->order_qty;
	a->b.placed++;
	if (a->api->publish(a->ctx, &ev) != TH_OK) {
		/* bus full: the slot goes back to idle, the next refresh tries again */
		if (s->state == MM_PENDING && s->intent_id == ev.u.intent.intent_id && !s->clid[0])
			memset(s, 0, sizeof *s);
		a->b.placed--;
		return -1;
	}
	return 0;
}

static int send_cancel(mm_agent *a, const char *clid)
{
	th_event ev;
	intent_init(a, &ev, TH_INTENT_CANCEL);
	th_strlcpy(ev.u.intent.order.client_order_id, clid, sizeof ev.u.intent.order.client_order_id);
	return a->api->publish(a->ctx, &ev) == TH_OK ? 0 : -1;
}

static int cancel_slot(mm_agent *a, mm_slot *s)
{
	char clid[TH_CLORD_MAX];
	th_strlcpy(clid, s->clid, sizeof clid);
	s->state = MM_CANCELING;
	s->cancel_on_ack = 0;
	a->b.canceled++;
	if (send_cancel(a, clid) != 0) {
		if (s->state == MM_CANCELING && strcmp(s->clid, clid) == 0)
			s->state = MM_WORKING; /* the next refresh retries */
		a->b.canceled--;
		return -1;
	}
	return 0;
}

/* Appends to an explanation buffer, never overflowing it. */
static void say(char *buf, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(char *buf, size_t cap, const char *fmt, ...)
{
	size_t n = strlen(buf);
	if (n + 1 >= cap)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf + n, cap - n, fmt, ap);
	va_end(ap);
}

static const char *side_name(int side)
{
	return side == MM_BID ? "bid" : "ask";
}

/* Brings one slot to `want` (0 = no quote on this side). Returns 1 if an
 * intent was sent, describing it in `acts`. */
static int sync_slot(mm_agent *a, int side, th_price want, char *acts, size_t cap)
{
	mm_slot *s = &a->b.slots[side];
	char px[32];
	switch (s->state) {
	case MM_IDLE:
		if (!want || s->blocked || place(a, side, want) != 0)
			return 0;
		th_fixed_format(want, a->b.price_scale, px, sizeof px);
		say(acts, cap, "; place %s %s", side_name(side), px);
		return 1;
	case MM_PENDING:
		s->cancel_on_ack = !want || want != s->price;
		return 0;
	case MM_WORKING:
		if (want && want == s->price)
			return 0;
		th_fixed_format(s->price, a->b.price_scale, px, sizeof px);
		if (cancel_slot(a, s) != 0)
			return 0;
		say(acts, cap, "; cancel %s %s (%s)", side_name(side), px, want ? "stale price" : "side off");
		return 1;
	default:
		return 0; /* CANCELING: the replacement follows the confirmation */
	}
}

static void refresh_once(mm_agent *a, int forced, const char *why)
{
	mm_book *b = &a->b;
	if (forced) {
		b->slots[MM_BID].blocked = b->slots[MM_ASK].blocked = 0;
		b->quoted_mid2 = b->bid + b->ask;
	}
	double q = (double)b->position / (double)a->order_qty;
	mm_quote mq;
	int ok = mm_model_quote(&a->params, b->bid, b->ask, a->tick, a->sigma, q, &mq) == 0;
	/* inventory bound: never quote the side whose fill would pass max_position */
	int bid_room = b->position + a->order_qty <= a->max_pos;
	int ask_room = b->position - a->order_qty >= -a->max_pos;
	th_price want_bid = ok && bid_room ? mq.bid : 0;
	th_price want_ask = ok && ask_room ? mq.ask : 0;

	char acts[256] = "";
	int sent = sync_slot(a, MM_BID, want_bid, acts, sizeof acts);
	sent |= sync_slot(a, MM_ASK, want_ask, acts, sizeof acts);
	if (!sent)
		return;

	char text[TH_AGENT_TEXT_MAX] = "", mid[32], pos[32], r[32], wb[32], wa[32];
	th_fixed_format(b->position, b->qty_scale, pos, sizeof pos);
	if (!ok) {
		say(text, sizeof text, "%s: model gave no usable quote (sigma %.3f bp/sqrt(s), position %s)%s [%s]",
			a->symbol, a->sigma, pos, acts, why);
	} else {
		/* mid2 is twice the mid: format it at one more digit and halve exactly */
		th_fixed_format(mq.mid2 * 5, b->price_scale + 1, mid, sizeof mid);
		th_fixed_format(mq.reservation, b->price_scale, r, sizeof r);
		th_fixed_format(mq.bid, b->price_scale, wb, sizeof wb);
		th_fixed_format(mq.ask, b->price_scale, wa, sizeof wa);
		say(text, sizeof text,
			"%s: mid %s, sigma %.3f bp/sqrt(s), position %s (q %.2f): reservation r = mid - q*gamma*sigma^2*tau "
			"= %s (skew %.2f bp), A-S spread %.2f bp -> %.2f bp after [%.2f, %.2f] -> bid %s%s, ask %s%s%s [%s]",
			a->symbol, mid, a->sigma, pos, q, r, mq.skew_bps, mq.raw_spread_bps, mq.spread_bps,
			a->params.min_spread_bps, a->params.max_spread_bps, wb, bid_room ? "" : " (off: inventory bound)", wa,
			ask_room ? "" : " (off: inventory bound)", acts, why);
	}
	mm_publish_msg(a, "decision", text);
}

void mm_refresh(mm_agent *a, int forced, const char *why)
{
	if (a->disabled || !a->b.have_scales || !a->sigma_ready || a->b.bid <= 0)
		return;
	if (a->refreshing) {
		/* asked from inside our own publish(): run again once the outer refresh is done */
		if (!a->again)
			th_strlcpy(a->again_why, why, sizeof a->again_why);
		a->again = 1;
		a->again_forced |= forced;
		return;
	}
	a->refreshing = 1;
	char reason[sizeof a->again_why];
	th_strlcpy(reason, why, sizeof reason);
	/* bounded: each round only follows up on what the previous one provoked */
	for (int round = 0; round < 8; round++) {
		a->again = 0;
		a->again_forced = 0;
		refresh_once(a, forced, reason);
		if (!a->again)
			break;
		forced = a->again_forced;
		th_strlcpy(reason, a->again_why, sizeof reason);
	}
	a->refreshing = 0;
}

static int is_final(uint32_t state)
{
	return state == TH_ORDER_FILLED || state == TH_ORDER_CANCELED || state == TH_ORDER_REJECTED ||
		state == TH_ORDER_EXPIRED || state == TH_ORDER_ABSENT;
}

/* The slot an order event belongs to: by client order id, or the pending
 * slot of its side when the OMS names the order for the first time. */
static mm_slot *slot_of(mm_agent *a, const th_order_update *u)
{
	for (int i = 0; i < 2; i++) {
		mm_slot *s = &a->b.slots[i];
		if (s->state != MM_IDLE && s->clid[0] && strcmp(s->clid, u->client_order_id) == 0)
			return s;
	}
	int side = u->side == TH_SIDE_BUY ? MM_BID : u->side == TH_SIDE_SELL ? MM_ASK : -1;
	if (side < 0)
		return NULL;
	mm_slot *s = &a->b.slots[side];
	return s->state == MM_PENDING && !s->clid[0] ? s : NULL;
}

static void on_order(mm_agent *a, const th_order_update *u)
{
	mm_slot *s = slot_of(a, u);
	if (!s) {
		/* Not a quote we know (say, left over from a run whose state was
		 * lost): one cancel, so nothing unaccounted rests in our name. */
		if (u->client_order_id[0] && !is_final(u->state) && strcmp(a->b.orphan, u->client_order_id) != 0) {
			th_strlcpy(a->b.orphan, u->client_order_id, sizeof a->b.orphan);
			send_cancel(a, u->client_order_id);
		}
		return;
	}
	int side = (int)(s - a->b.slots);
	if (!s->clid[0] && u->client_order_id[0])
		th_strlcpy(s->clid, u->client_order_id, sizeof s->clid);
	if (is_final(u->state)) {
		int was_canceling = s->state == MM_CANCELING;
		uint32_t blocked = 0;
		if (u->state == TH_ORDER_REJECTED && !was_canceling) {
			char text[TH_AGENT_TEXT_MAX];
			snprintf(text, sizeof text, "%s: %s quote refused: %s; not re-placed before the next refresh", a->symbol,
				side_name(side), u->reason[0] ? u->reason : "no reason given");
			mm_publish_msg(a, "explanation", text);
			a->b.refused++;
			blocked = 1;
		}
		memset(s, 0, sizeof *s);
		s->blocked = blocked;
		mm_refresh(a, 0, was_canceling ? "stale quote canceled" : u->state == TH_ORDER_FILLED ? "quote filled" : "quote closed");
		return;
	}
	if (s->state == MM_PENDING && s->clid[0])
		s->state = MM_WORKING;
	s->filled = u->filled_qty;
	if (s->state == MM_WORKING && s->cancel_on_ack)
		cancel_slot(a, s);
	if (u->state == TH_ORDER_PARTIALLY_FILLED)
		mm_refresh(a, 0, "quote partially filled");
}

static void on_fill(mm_agent *a, const th_fill *f)
{
	th_qty q;
	if (!a->b.have_scales && mm_learn_scales(a, f->price_scale, f->qty_scale) != 0)
		return;
	if (th_fixed_rescale(f->qty, f->qty_scale, a->b.qty_scale, &q) != 0) {
		a->api->logf(a->ctx, TH_LOG_ERROR, "fill %s at quantity scale %d cannot be booked at scale %d",
			f->venue_trade_id, (int)f->qty_scale, (int)a->b.qty_scale);
		return;
	}
	a->b.position += f->side == TH_SIDE_BUY ? q : -q;
	a->b.fills++;
	/* A fill of a slot's order is followed by its order event, which
	 * refreshes; a fill of anything else changes the inventory now. */
	for (int i = 0; i < 2; i++)
		if (a->b.slots[i].state != MM_IDLE && strcmp(a->b.slots[i].clid, f->client_order_id) == 0)
			return;
	mm_refresh(a, 0, "inventory changed");
}

static void on_risk(mm_agent *a, const th_risk_decision *r)
{
	if (r->approved)
		return;
	for (int i = 0; i < 2; i++) {
		mm_slot *s = &a->b.slots[i];
		if (s->state == MM_PENDING && s->intent_id == r->intent_id) {
			char text[TH_AGENT_TEXT_MAX];
			snprintf(text, sizeof text, "%s: %s quote denied by risk (%s): %s; not re-placed before the next refresh",
				a->symbol, side_name(i), r->plugin, r->message);
			mm_publish_msg(a, "explanation", text);
			memset(s, 0, sizeof *s);
			s->blocked = 1;
			a->b.refused++;
		}
	}
}

void mm_on_own_event(void *arg, const th_event *ev)
{
	mm_agent *a = arg;
	if (ev->h.type == TH_EV_RISK) {
		on_risk(a, &ev->u.risk);
		return;
	}
	/* only the OMS's copies: they carry the agent, and each comes once */
	if (!(ev->h.flags & TH_EVENT_FLAG_OMS) || strcmp(ev->h.venue, a->venue) != 0 ||
		strcmp(ev->h.symbol, a->symbol) != 0)
		return;
	if (ev->h.type == TH_EV_ORDER)
		on_order(a, &ev->u.order);
	else if (ev->h.type == TH_EV_FILL)
		on_fill(a, &ev->u.fill);
}
