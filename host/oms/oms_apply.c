/* State changes shared by live operation and journal replay: the same
 * functions run in the same order either way, so replay rebuilds the exact
 * state (orders, counters, capital). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "oms/oms_internal.h"

int oms_apply_order_new(oms_t *o, const oms_rec_order_new *r, char *err, size_t errlen)
{
	const th_order *ord = &r->order;
	if (oms_find(o, ord->client_order_id)) {
		snprintf(err, errlen, "duplicate client order id %s", ord->client_order_id);
		return -1;
	}
	if (o->norders == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 256;
		oms_order *grown = realloc(o->orders, cap * sizeof *grown);
		if (!grown) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		o->orders = grown;
		o->cap = cap;
	}
	th_instrument ins = { 0 };
	th_strlcpy(ins.venue, r->venue, sizeof ins.venue);
	th_strlcpy(ins.symbol, ord->symbol, sizeof ins.symbol);
	ins.price_scale = ord->price_scale;
	ins.qty_scale = ord->qty_scale;
	if (o->replaying) {
		const th_instrument *known = o->env.instrument(o->env.ctx, r->venue, ord->symbol);
		if (known)
			ins = *known;
	} else {
		ins = *o->env.instrument(o->env.ctx, r->venue, ord->symbol);
	}
	/* During replay the reservation was already accepted once: it is
	 * re-applied without the limit check (marks differ after a restart). */
	if (capital_reserve(o->capital, r->agent, ord->client_order_id, &ins, (int)ord->side, r->reserve_price, ord->qty,
		    r->fee_budget, o->replaying, err, errlen) != 0)
		return -1;
	oms_order *x = &o->orders[o->norders];
	memset(x, 0, sizeof *x);
	th_strlcpy(x->clid, ord->client_order_id, sizeof x->clid);
	th_strlcpy(x->agent, r->agent, sizeof x->agent);
	th_strlcpy(x->farm, r->farm, sizeof x->farm);
	th_strlcpy(x->venue, r->venue, sizeof x->venue);
	x->order = *ord;
	x->intent_id = r->intent_id;
	x->state = TH_ORDER_SUBMITTED;
	x->reserved = 1;
	x->created_ns = x->updated_ns = o->env.now_ns(o->env.ctx);
	if (oms_index_put(o, x->clid, o->norders) != 0) {
		capital_release(o->capital, x->clid);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (o->nopen == o->cap_open) {
		size_t cap = o->cap_open ? o->cap_open * 2 : 64;
		size_t *grown = realloc(o->open, cap * sizeof *grown);
		if (!grown) {
			capital_release(o->capital, x->clid);
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		o->open = grown;
		o->cap_open = cap;
	}
	o->open[o->nopen++] = o->norders;
	o->norders++;
	if (r->counter >= o->next_counter)
		o->next_counter = r->counter + 1;
	return 0;
}

void oms_apply_update(oms_t *o, oms_order *ord, const oms_rec_order_update *r)
{
	ord->state = r->state;
	ord->updated_ns = o->env.now_ns(o->env.ctx);
	if (r->venue_order_id[0])
		th_strlcpy(ord->venue_order_id, r->venue_order_id, sizeof ord->venue_order_id);
	th_strlcpy(ord->reason, r->reason, sizeof ord->reason);
	/* A FILLED order keeps its reservation until its last fill arrived. */
	if (oms_is_terminal(ord->state) && (ord->state != TH_ORDER_FILLED || ord->filled >= ord->order.qty))
		oms_finish(o, ord);
}

/* snprintf(key, cap, "%s|%s", venue, trade_id) without snprintf (one per
 * fill, and it cost more than the lookup): same text, same truncation. */
static void fill_key(char *key, size_t cap, const char *venue, const char *trade_id)
{
	size_t n = 0;
	for (const char *parts[3] = { venue, "|", trade_id }, **p = parts; p < parts + 3; p++) {
		size_t len = strlen(*p);
		if (len > cap - 1 - n)
			len = cap - 1 - n;
		memcpy(key + n, *p, len);
		n += len;
	}
	key[n] = '\0';
}

int oms_apply_fill(oms_t *o, const oms_rec_fill *r)
{
	char key[TH_VENUE_MAX + TH_VENUE_ID_MAX + 2];
	fill_key(key, sizeof key, r->venue, r->fill.venue_trade_id);
	if (strmap_get(o->fills_seen, key, NULL))
		return 1; /* already applied: a venue replayed it */
	oms_order *ord = oms_find(o, r->fill.client_order_id);
	if (!ord || strcmp(ord->venue, r->venue) != 0)
		return -1;
	char err[256];
	int64_t now = o->env.now_ns(o->env.ctx);
	int rc = capital_fill(o->capital, ord->clid, &r->fill, now, err, sizeof err);
	if (rc == TH_ERR_NOT_FOUND) {
		/* The order's reservation is already gone (a fill reported after its
		 * final state): book it without one. */
		const th_instrument *ins = o->env.instrument(o->env.ctx, ord->venue, ord->order.symbol);
		th_instrument fallback = { 0 };
		if (!ins) {
			th_strlcpy(fallback.venue, ord->venue, sizeof fallback.venue);
			th_strlcpy(fallback.symbol, ord->order.symbol, sizeof fallback.symbol);
			fallback.price_scale = ord->order.price_scale;
			fallback.qty_scale = ord->order.qty_scale;
			ins = &fallback;
		}
		rc = capital_fill_unreserved(o->capital, ord->agent, ins, &r->fill, now, err, sizeof err);
	}
	if (rc != 0) {
		log_error("fill %s on %s for %s could not be booked: %s", r->fill.venue_trade_id, r->venue, ord->clid, err);
		return -1;
	}
	strmap_put(o->fills_seen, key, 1);
	ord->filled += r->fill.qty;
	ord->updated_ns = o->env.now_ns(o->env.ctx);
	o->fills++;
	if (ord->state == TH_ORDER_FILLED && ord->filled >= ord->order.qty)
		oms_finish(o, ord);
	return 0;
}
