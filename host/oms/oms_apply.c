/* State changes shared by live operation and journal replay: the same
 * functions run in the same order either way, so replay rebuilds the exact
 * state (orders, counters, capital). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "common/log.h"
#include "oms/oms_internal.h"

/* A chunk's pages are faulted in by the kernel in one go (MAP_POPULATE):
 * every order record is fresh memory, and taking one page fault per 4 KiB
 * on first touch (apply_order_new's memset) cost a trap per ~9 orders: 32 k
 * faults per 10 M-bar backtest, ~1.3 % of its cycles in the fault path.
 * The price is populating ~450 KiB at once every 1024 orders. Pages come
 * zeroed; records are still cleared one by one when used (a slot whose
 * order was refused is reused), so nothing relies on that. */
static size_t chunk_bytes(void)
{
	return OMS_CHUNK_ORDERS * sizeof(oms_order);
}

static oms_order *chunk_alloc(void)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS;
#ifdef MAP_POPULATE
	flags |= MAP_POPULATE;
#endif
	void *p = mmap(NULL, chunk_bytes(), PROT_READ | PROT_WRITE, flags, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

void oms_chunk_free(oms_order *chunk)
{
	if (chunk)
		munmap(chunk, chunk_bytes());
}

/* Room for one more order record: a new chunk when the last one is full. */
static oms_order *next_slot(oms_t *o)
{
	if (o->norders == o->nchunks * OMS_CHUNK_ORDERS) {
		if (o->nchunks == o->cap_chunks) {
			size_t cap = o->cap_chunks ? o->cap_chunks * 2 : 16;
			oms_order **grown = realloc(o->chunks, cap * sizeof *grown);
			if (!grown)
				return NULL;
			o->chunks = grown;
			o->cap_chunks = cap;
		}
		oms_order *chunk = chunk_alloc();
		if (!chunk)
			return NULL;
		o->chunks[o->nchunks++] = chunk;
	}
	return oms_order_ref(o, o->norders);
}

/* own: the clid is the canonical text of r->counter (place()), or NULL. */
static int apply_order_new(oms_t *o, const oms_rec_order_new *r, const th_instrument *known, const uint64_t *own,
	oms_order **out, char *err, size_t errlen)
{
	const th_order *ord = &r->order;
	if (own ? oms_find_own(o, ord->client_order_id, *own) != NULL : oms_find(o, ord->client_order_id) != NULL) {
		snprintf(err, errlen, "duplicate client order id %s", ord->client_order_id);
		return -1;
	}
	oms_order *x = next_slot(o);
	if (!x) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	/* Live, the venue's instrument exists (place() validated against it).
	 * During replay it may be gone: the order's own scales stand in. */
	th_instrument fallback;
	if (!known)
		known = o->env.instrument(o->env.ctx, r->venue, ord->symbol);
	if (!known) {
		memset(&fallback, 0, sizeof fallback);
		th_strlcpy(fallback.venue, r->venue, sizeof fallback.venue);
		th_strlcpy(fallback.symbol, ord->symbol, sizeof fallback.symbol);
		fallback.price_scale = ord->price_scale;
		fallback.qty_scale = ord->qty_scale;
		known = &fallback;
	}
	/* During replay the reservation was already accepted once: it is
	 * re-applied without the limit check (marks differ after a restart). */
	if (capital_reserve(o->capital, r->agent, ord->client_order_id, known, (int)ord->side, r->reserve_price, ord->qty,
		    r->fee_budget, o->replaying, err, errlen) != 0)
		return -1;
	memset(x, 0, sizeof *x);
	x->order = *ord;
	oms_copy_padded(x->order.client_order_id, ord->client_order_id, sizeof x->order.client_order_id);
	oms_copy_padded(x->order.symbol, ord->symbol, sizeof x->order.symbol);
	th_strlcpy(x->agent, r->agent, sizeof x->agent);
	th_strlcpy(x->farm, r->farm, sizeof x->farm);
	th_strlcpy(x->venue, r->venue, sizeof x->venue);
	x->intent_id = r->intent_id;
	x->state = TH_ORDER_SUBMITTED;
	x->reserved = 1;
	x->created_ns = x->updated_ns = o->env.now_ns(o->env.ctx);
	const char *clid = x->order.client_order_id;
	if ((own ? oms_index_put_own(o, clid, *own, o->norders) : oms_index_put(o, clid, o->norders)) != 0) {
		capital_release(o->capital, clid);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (o->nopen == o->cap_open) {
		size_t cap = o->cap_open ? o->cap_open * 2 : 64;
		size_t *grown = realloc(o->open, cap * sizeof *grown);
		if (!grown) {
			capital_release(o->capital, clid);
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
	/* The venue's reports on the new order come next: oms_find's cache
	 * answers them with one compare (it can never be stale, see oms_find). */
	o->last_found = x;
	if (out)
		*out = x;
	return 0;
}

int oms_apply_order_new(oms_t *o, const oms_rec_order_new *r, const th_instrument *known, oms_order **out, char *err,
	size_t errlen)
{
	return apply_order_new(o, r, known, NULL, out, err, errlen);
}

int oms_apply_order_new_own(oms_t *o, const oms_rec_order_new *r, const th_instrument *known, oms_order **out,
	char *err, size_t errlen)
{
	return apply_order_new(o, r, known, &r->counter, out, err, errlen);
}

void oms_apply_update(oms_t *o, oms_order *ord, const oms_rec_order_update *r)
{
	oms_apply_update_fields(o, ord, r->state, r->venue_order_id, r->reason);
}

void oms_apply_update_fields(oms_t *o, oms_order *ord, uint32_t state, const char *venue_order_id,
	const char *reason)
{
	ord->state = state;
	ord->updated_ns = o->env.now_ns(o->env.ctx);
	if (venue_order_id[0])
		oms_update_padded(ord->venue_order_id, venue_order_id, sizeof ord->venue_order_id);
	oms_update_padded(ord->reason, reason, sizeof ord->reason);
	/* A FILLED order keeps its reservation until its last fill arrived. */
	if (oms_is_terminal(ord->state) && (ord->state != TH_ORDER_FILLED || ord->filled >= ord->order.qty))
		oms_finish(o, ord);
}

/* 1 if this order already applied a fill with this venue trade id. */
static int trade_seen(const oms_order *ord, const char *trade_id)
{
	if (ord->ntrades == 0)
		return 0;
	if (strcmp(ord->trade0, trade_id) == 0)
		return 1;
	return ord->more_trades && strmap_get(ord->more_trades, trade_id, NULL);
}

static int trade_remember(oms_order *ord, const char *trade_id)
{
	if (ord->ntrades == 0) {
		th_strlcpy(ord->trade0, trade_id, sizeof ord->trade0);
	} else {
		if (!ord->more_trades && !(ord->more_trades = strmap_create()))
			return -1;
		if (strmap_put(ord->more_trades, trade_id, 1) < 0)
			return -1;
	}
	ord->ntrades++;
	return 0;
}

int oms_apply_fill(oms_t *o, const oms_rec_fill *r, oms_order **out)
{
	oms_order *ord = oms_find(o, r->fill.client_order_id);
	_Static_assert(sizeof ord->venue == sizeof r->venue, "venue field sizes");
	if (!ord || !oms_field_eq(ord->venue, r->venue, sizeof ord->venue))
		return -1;
	/* Truncated like the event field it came from, so a stored id and a
	 * replayed one compare equal. */
	char trade_id[TH_VENUE_ID_MAX];
	th_strlcpy(trade_id, r->fill.venue_trade_id, sizeof trade_id);
	if (trade_seen(ord, trade_id))
		return 1; /* already applied: a venue replayed it */
	const char *clid = ord->order.client_order_id;
	char err[256];
	int64_t now = o->env.now_ns(o->env.ctx);
	int rc = capital_fill(o->capital, clid, &r->fill, now, err, sizeof err);
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
		log_error("fill %s on %s for %s could not be booked: %s", r->fill.venue_trade_id, r->venue, clid, err);
		return -1;
	}
	if (trade_remember(ord, trade_id) != 0)
		log_error("fill %s on %s for %s: out of memory remembering its trade id; a replay of it would be booked "
			"again", trade_id, r->venue, clid);
	ord->filled += r->fill.qty;
	/* The reservation was for the order's qty and every fill of it went
	 * through capital_fill (or found it gone): once the order is filled
	 * the capital has finished it, so oms_finish need not ask again. */
	if (ord->filled >= ord->order.qty)
		ord->reserved = 0;
	ord->updated_ns = o->env.now_ns(o->env.ctx);
	o->fills++;
	if (ord->state == TH_ORDER_FILLED && ord->filled >= ord->order.qty)
		oms_finish(o, ord);
	if (out)
		*out = ord;
	return 0;
}
