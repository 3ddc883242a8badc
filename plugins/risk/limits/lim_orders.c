/*
 * limits — cached open orders of the whole host (every agent), for the
 * self-trade and open-order rules. Re-read after any order or fill event,
 * after this plugin approved an order (the OMS places it before the next
 * intent is checked), and at least every cache_max_age_ms (by the refresh
 * timer, see lim_book.c, or by check() when the timer is late).
 */
#include <stdio.h>
#include <string.h>

#include "lim_internal.h"

static const lim_orders *orders_read(lim *L, int64_t now_ns, char *why, size_t cap)
{
	lim_orders *c = &L->orders;
	size_t n;
	c->valid = 0;
	while ((n = L->api->open_orders(L->ctx, NULL, c->o, c->agent, c->venue, c->cap)) > c->cap) {
		if (lim_grow(L->api, L->ctx, (void **)&c->o, &c->cap, n, sizeof *c->o) != TH_OK ||
			lim_grow(L->api, L->ctx, (void **)&c->agent, &c->cap_agents, c->cap, sizeof *c->agent) != TH_OK ||
			lim_grow(L->api, L->ctx, (void **)&c->venue, &c->cap_venues, c->cap, sizeof *c->venue) != TH_OK) {
			snprintf(why, cap, "out of memory reading the open orders");
			return NULL;
		}
	}
	c->n = n;
	c->gen = L->gen_orders;
	c->read_ns = now_ns;
	c->valid = 1;
	return c;
}

const lim_orders *lim_orders_get(lim *L, int64_t now_ns, char *why, size_t cap)
{
	lim_orders *c = &L->orders;
	int stale = !c->valid || c->gen != L->gen_orders || L->cache_max_age_ns == 0 || now_ns < c->read_ns ||
		now_ns - c->read_ns >= L->cache_max_age_ns;
	return stale ? orders_read(L, now_ns, why, cap) : c;
}

void lim_orders_refresh(lim *L, int64_t now_ns, int64_t min_age_ns)
{
	char why[96];
	const lim_orders *c = &L->orders;
	if (c->valid && now_ns >= c->read_ns && now_ns - c->read_ns >= min_age_ns)
		orders_read(L, now_ns, why, sizeof why);
}

void lim_orders_free(lim *L)
{
	if (L->orders.o)
		L->api->free(L->ctx, L->orders.o);
	if (L->orders.agent)
		L->api->free(L->ctx, L->orders.agent);
	if (L->orders.venue)
		L->api->free(L->ctx, L->orders.venue);
	memset(&L->orders, 0, sizeof L->orders);
}
