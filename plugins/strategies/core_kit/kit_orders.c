/* core_kit — intents out, OMS answers matched back to them (see kit_orders.h). */
#include "kit_orders.h"

#include <stdio.h>
#include <string.h>

#include "kit_msg.h"

void kit_book_init(kit_book *b)
{
	memset(b, 0, sizeof *b);
}

int kit_state_final(uint32_t state)
{
	return state == TH_ORDER_FILLED || state == TH_ORDER_CANCELED || state == TH_ORDER_REJECTED ||
		state == TH_ORDER_EXPIRED;
}

static int publish_intent(const th_host_api *api, th_ctx *ctx, const char *venue, uint64_t id, uint32_t action,
	const th_order *o)
{
	th_event ev;
	th_event_init(&ev, TH_EV_INTENT);
	memset(&ev.u.intent, 0, sizeof ev.u.intent);
	th_strlcpy(ev.h.venue, venue, sizeof ev.h.venue);
	th_strlcpy(ev.h.symbol, o->symbol, sizeof ev.h.symbol);
	ev.u.intent.intent_id = id;
	ev.u.intent.action = action;
	ev.u.intent.order = *o;
	return api->publish(ctx, &ev);
}

int kit_place(kit_book *b, const th_host_api *api, th_ctx *ctx, const char *venue, const th_order *o,
	int32_t tag, uint64_t *intent_id)
{
	kit_order *slot = NULL;
	for (size_t i = 0; i < KIT_MAX_ORDERS && !slot; i++)
		if (!b->o[i].used)
			slot = &b->o[i];
	if (!slot)
		return TH_ERR_LIMIT;
	th_order copy = *o;
	copy.client_order_id[0] = '\0'; /* the OMS names orders */
	uint64_t id = b->next_intent + 1;
	int rc = publish_intent(api, ctx, venue, id, TH_INTENT_PLACE, &copy);
	if (rc != TH_OK)
		return rc;
	b->next_intent = id;
	memset(slot, 0, sizeof *slot);
	slot->used = 1;
	slot->intent_id = id;
	slot->sent_ns = api->now_ns(ctx);
	th_strlcpy(slot->symbol, o->symbol, sizeof slot->symbol);
	slot->side = o->side;
	slot->type = o->type;
	slot->price = o->price;
	slot->qty = o->qty;
	slot->tag = tag;
	if (intent_id)
		*intent_id = id;
	return TH_OK;
}

int kit_place_ioc(kit_book *b, const th_host_api *api, th_ctx *ctx, const char *venue, const char *symbol,
	uint32_t side, uint32_t type, th_price price, th_qty qty, int32_t price_scale, int32_t qty_scale, int32_t tag,
	uint64_t *intent_id)
{
	th_order o;
	memset(&o, 0, sizeof o);
	th_strlcpy(o.symbol, symbol, sizeof o.symbol);
	o.side = side;
	o.type = type;
	o.tif = TH_TIF_IOC;
	o.price = type == TH_ORDER_MARKET ? 0 : price;
	o.qty = qty;
	o.price_scale = price_scale;
	o.qty_scale = qty_scale;
	return kit_place(b, api, ctx, venue, &o, tag, intent_id);
}

int kit_subscribe_bars(const th_host_api *api, th_ctx *ctx, const char *venue, const char *symbol, th_event_fn on_bar,
	void *arg)
{
	uint64_t id;
	th_subscription bars = { .topics = TH_TOPIC(TH_EV_BAR), .venue = venue, .symbol = symbol };
	return api->subscribe(ctx, &bars, on_bar, arg, &id);
}

int kit_subscribe_own(const th_host_api *api, th_ctx *ctx, th_event_fn on_own, void *arg)
{
	uint64_t id;
	th_subscription own = { .topics = TH_TOPIC(TH_EV_ORDER) | TH_TOPIC(TH_EV_FILL) | TH_TOPIC(TH_EV_RISK),
		.agent = api->instance_name(ctx) };
	return api->subscribe(ctx, &own, on_own, arg, &id);
}

int kit_subscribe(const th_host_api *api, th_ctx *ctx, const char *venue, const char *symbol, th_event_fn on_bar,
	void *bar_arg, th_event_fn on_own, void *own_arg)
{
	int rc = kit_subscribe_bars(api, ctx, venue, symbol, on_bar, bar_arg);
	return rc != TH_OK ? rc : kit_subscribe_own(api, ctx, on_own, own_arg);
}

static int send_cancel(kit_book *b, const th_host_api *api, th_ctx *ctx, const char *venue, kit_order *o)
{
	th_order c;
	memset(&c, 0, sizeof c);
	th_strlcpy(c.client_order_id, o->clid, sizeof c.client_order_id);
	th_strlcpy(c.symbol, o->symbol, sizeof c.symbol);
	c.side = o->side;
	int rc = publish_intent(api, ctx, venue, ++b->next_intent, TH_INTENT_CANCEL, &c);
	if (rc == TH_OK) {
		o->cancel_sent = 1;
		o->cancel_wanted = 0;
	}
	return rc;
}

int kit_cancel(kit_book *b, const th_host_api *api, th_ctx *ctx, const char *venue, kit_order *o)
{
	if (!o->used || o->cancel_sent)
		return TH_OK;
	if (!o->clid[0]) {
		o->cancel_wanted = 1;
		return TH_OK;
	}
	return send_cancel(b, api, ctx, venue, o);
}

int kit_cancel_all(kit_book *b, const th_host_api *api, th_ctx *ctx, const char *venue, const char *symbol)
{
	th_order c;
	memset(&c, 0, sizeof c);
	th_strlcpy(c.symbol, symbol ? symbol : "", sizeof c.symbol);
	int rc = publish_intent(api, ctx, venue, ++b->next_intent, TH_INTENT_CANCEL_ALL, &c);
	if (rc != TH_OK)
		return rc;
	for (size_t i = 0; i < KIT_MAX_ORDERS; i++) {
		kit_order *o = &b->o[i];
		if (o->used && (!c.symbol[0] || strcmp(o->symbol, c.symbol) == 0)) {
			if (o->clid[0])
				o->cancel_sent = 1;
			else
				o->cancel_wanted = 1; /* not yet at the OMS when the cancel-all ran */
		}
	}
	return TH_OK;
}

static kit_order *by_clid(kit_book *b, const char *clid)
{
	for (size_t i = 0; i < KIT_MAX_ORDERS; i++)
		if (b->o[i].used && b->o[i].clid[0] && strcmp(b->o[i].clid, clid) == 0)
			return &b->o[i];
	return NULL;
}

/* The oldest intent of symbol/side the OMS has not answered yet. */
static kit_order *oldest_pending(kit_book *b, const char *symbol, uint32_t side)
{
	kit_order *best = NULL;
	for (size_t i = 0; i < KIT_MAX_ORDERS; i++) {
		kit_order *o = &b->o[i];
		if (o->used && o->state == 0 && !o->clid[0] && o->side == side && strcmp(o->symbol, symbol) == 0 &&
			(!best || o->intent_id < best->intent_id))
			best = o;
	}
	return best;
}

static int close_order(kit_order *o, kit_update *up, uint32_t state, const char *reason)
{
	o->state = state;
	up->kind = KIT_UP_CLOSED;
	up->known = 1;
	up->state = state;
	th_strlcpy(up->reason, reason, sizeof up->reason);
	up->order = *o;
	memset(o, 0, sizeof *o);
	return up->kind;
}

static int on_risk(kit_book *b, const th_event *ev, kit_update *up)
{
	const th_risk_decision *r = &ev->u.risk;
	if (r->approved)
		return KIT_UP_NONE;
	for (size_t i = 0; i < KIT_MAX_ORDERS; i++) {
		kit_order *o = &b->o[i];
		if (o->used && o->state == 0 && !o->clid[0] && o->intent_id == r->intent_id) {
			char why[128];
			snprintf(why, sizeof why, "denied by risk %.31s: %.72s", r->plugin, r->message);
			th_strlcpy(up->symbol, o->symbol, sizeof up->symbol);
			return close_order(o, up, TH_ORDER_REJECTED, why);
		}
	}
	return KIT_UP_NONE;
}

static kit_order *by_intent(kit_book *b, uint64_t intent_id)
{
	for (size_t i = 0; i < KIT_MAX_ORDERS; i++)
		if (b->o[i].used && b->o[i].intent_id == intent_id)
			return &b->o[i];
	return NULL;
}

static int on_order(kit_book *b, const th_host_api *api, th_ctx *ctx, const th_event *ev, kit_update *up)
{
	const th_order_update *u = &ev->u.order;
	kit_order *o = u->client_order_id[0] ? by_clid(b, u->client_order_id) : NULL;
	if (u->intent_id != 0)
		b->host_ids = 1;
	if (!o && u->intent_id != 0) {
		o = by_intent(b, u->intent_id);
		if (o && strcmp(o->symbol, ev->h.symbol) != 0)
			o = NULL;
		if (o && !o->clid[0] && u->client_order_id[0])
			th_strlcpy(o->clid, u->client_order_id, sizeof o->clid);
	} else if (!o && !b->host_ids && (u->state == TH_ORDER_SUBMITTED || u->state == TH_ORDER_REJECTED)) {
		/* no intent ids from this host: the OMS's first word on an order it
		 * accepted is SUBMITTED (with the new clid); on one it refused,
		 * REJECTED without a clid */
		o = oldest_pending(b, ev->h.symbol, u->side);
		if (o && u->client_order_id[0] && u->state == TH_ORDER_SUBMITTED)
			th_strlcpy(o->clid, u->client_order_id, sizeof o->clid);
		else if (o && (u->client_order_id[0] || u->state != TH_ORDER_REJECTED))
			o = NULL;
	}
	up->state = u->state;
	th_strlcpy(up->reason, u->reason, sizeof up->reason);
	if (!o) {
		/* not one this book placed (e.g. from before a restart) */
		up->known = 0;
		up->kind = kit_state_final(u->state) ? KIT_UP_CLOSED : KIT_UP_NONE;
		memset(&up->order, 0, sizeof up->order);
		th_strlcpy(up->order.clid, u->client_order_id, sizeof up->order.clid);
		th_strlcpy(up->order.symbol, ev->h.symbol, sizeof up->order.symbol);
		up->order.side = u->side;
		up->order.filled = u->filled_qty;
		return up->kind;
	}
	uint32_t was = o->state;
	if (u->qty > 0)
		o->qty = u->qty;
	if (u->filled_qty > o->filled)
		o->filled = u->filled_qty;
	if (kit_state_final(u->state))
		return close_order(o, up, u->state, u->reason);
	o->state = u->state;
	up->known = 1;
	up->order = *o;
	if (was == 0 && o->clid[0]) {
		if (o->cancel_wanted && !o->cancel_sent)
			send_cancel(b, api, ctx, ev->h.venue, o);
		up->order = *o;
		up->kind = KIT_UP_OPEN;
		return up->kind;
	}
	up->kind = KIT_UP_NONE;
	return up->kind;
}

static int on_fill(kit_book *b, const th_event *ev, kit_update *up)
{
	const th_fill *f = &ev->u.fill;
	kit_order *o = by_clid(b, f->client_order_id);
	up->kind = KIT_UP_FILL;
	up->side = f->side;
	up->price = f->price;
	up->qty = f->qty;
	up->price_scale = f->price_scale;
	up->qty_scale = f->qty_scale;
	if (o) {
		o->filled += f->qty;
		up->known = 1;
		up->order = *o;
	} else {
		up->known = 0;
		memset(&up->order, 0, sizeof up->order);
		th_strlcpy(up->order.clid, f->client_order_id, sizeof up->order.clid);
		th_strlcpy(up->order.symbol, ev->h.symbol, sizeof up->order.symbol);
		up->order.side = f->side;
	}
	return up->kind;
}

int kit_book_on_event(kit_book *b, const th_host_api *api, th_ctx *ctx, const th_event *ev, kit_update *up)
{
	memset(up, 0, sizeof *up);
	th_strlcpy(up->symbol, ev->h.symbol, sizeof up->symbol);
	if (ev->h.type == TH_EV_RISK)
		return on_risk(b, ev, up);
	if (!(ev->h.flags & TH_EVENT_FLAG_OMS))
		return KIT_UP_NONE; /* only the OMS's view of our orders counts */
	if (ev->h.type == TH_EV_ORDER)
		return on_order(b, api, ctx, ev, up);
	if (ev->h.type == TH_EV_FILL)
		return on_fill(b, ev, up);
	return KIT_UP_NONE;
}

size_t kit_book_expire(kit_book *b, int64_t now_ns, int64_t max_age_ns)
{
	size_t n = 0;
	for (size_t i = 0; i < KIT_MAX_ORDERS; i++) {
		kit_order *o = &b->o[i];
		if (o->used && o->state == 0 && !o->clid[0] && now_ns - o->sent_ns > max_age_ns) {
			memset(o, 0, sizeof *o);
			n++;
		}
	}
	return n;
}

void kit_book_sweep(kit_book *b, const th_host_api *api, th_ctx *ctx, const char *symbol, int64_t bar_interval_ns)
{
	int64_t bar = bar_interval_ns > 0 ? bar_interval_ns : 60000000000LL;
	size_t lost = kit_book_expire(b, api->now_ns(ctx), 3 * bar);
	if (lost)
		kit_say(api, ctx, symbol, "explanation", "%s: %zu intent(s) never answered by the host: forgotten", symbol,
			lost);
}

size_t kit_book_live(const kit_book *b, const char *symbol)
{
	size_t n = 0;
	for (size_t i = 0; i < KIT_MAX_ORDERS; i++)
		n += b->o[i].used && (!symbol || !symbol[0] || strcmp(b->o[i].symbol, symbol) == 0);
	return n;
}

kit_order *kit_book_by_tag(kit_book *b, const char *symbol, int32_t tag)
{
	for (size_t i = 0; i < KIT_MAX_ORDERS; i++)
		if (b->o[i].used && b->o[i].tag == tag && strcmp(b->o[i].symbol, symbol) == 0)
			return &b->o[i];
	return NULL;
}

int kit_no_stop(void *arg)
{
	(void)arg;
	return TH_OK;
}
