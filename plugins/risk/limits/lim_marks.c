/*
 * limits — last prices of the instruments the cached wallets hold, kept from
 * the bus (trades and bar closes, the same inputs as the host's last_price)
 * so the HHI rule can value every position without one host call each. A
 * slot is created when a wallet is read and seeded from the host.
 */
#include <string.h>

#include "lim_internal.h"

int lim_marks_slot(lim *L, const char *venue, const char *symbol, uint32_t *slot)
{
	char key[LIM_KEY_MAX];
	lim_marks *m = &L->marks;
	if (lim_inst_key(key, venue, symbol) != 0)
		return -1;
	if (lim_map_get(&m->index, key, slot))
		return 0;
	if (lim_grow(L->api, L->ctx, (void **)&m->arr, &m->cap, m->n + 1, sizeof *m->arr) != TH_OK ||
		lim_map_put(&m->index, key, (uint32_t)m->n) != TH_OK)
		return -1;
	lim_mark *k = &m->arr[m->n];
	int32_t scale = 0;
	k->price = L->api->last_price(L->ctx, venue, symbol, &scale);
	k->scale = scale;
	if (k->price < 0 || scale < 0 || scale > TH_SCALE_MAX)
		k->price = 0;
	*slot = (uint32_t)m->n++;
	return 0;
}

void lim_on_market(void *arg, const th_event *ev)
{
	lim *L = arg;
	char key[LIM_KEY_MAX];
	uint32_t slot;
	th_price px;
	int32_t scale;
	if (ev->h.type == TH_EV_TRADE) {
		px = ev->u.trade.price;
		scale = ev->u.trade.price_scale;
	} else if (ev->h.type == TH_EV_BAR) {
		px = ev->u.bar.close;
		scale = ev->u.bar.price_scale;
	} else {
		return;
	}
	/* only instruments some wallet holds have a slot; others are not needed */
	if (px <= 0 || scale < 0 || scale > TH_SCALE_MAX || lim_inst_key(key, ev->h.venue, ev->h.symbol) != 0 ||
		!lim_map_get(&L->marks.index, key, &slot))
		return;
	if (L->marks.arr[slot].price == px && L->marks.arr[slot].scale == scale)
		return;
	L->marks.arr[slot].price = px;
	L->marks.arr[slot].scale = scale;
	lim_books_mark_moved(L, key, slot);
}

void lim_marks_free(lim *L)
{
	lim_map_free(&L->marks.index);
	if (L->marks.arr)
		L->api->free(L->ctx, L->marks.arr);
	L->marks.arr = NULL;
	L->marks.n = L->marks.cap = 0;
}
