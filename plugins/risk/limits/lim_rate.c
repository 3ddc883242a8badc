/*
 * limits — per-agent sliding windows of order times on the host clock. Each
 * agent keeps the times of the orders this plugin approved, oldest first, in
 * a ring that grows (doubling) up to the largest limit it is held to; times
 * older than the widest window in use are dropped as checks go by.
 */
#include <string.h>

#include "lim_internal.h"

lim_rate *lim_rate_get(lim *L, const char *agent)
{
	uint32_t ix;
	if (lim_map_get(&L->rate_index, agent, &ix))
		return L->rates[ix];
	if (lim_grow(L->api, L->ctx, (void **)&L->rates, &L->caprates, L->nrates + 1, sizeof *L->rates) != TH_OK)
		return NULL;
	lim_rate *r = L->api->alloc(L->ctx, sizeof *r);
	if (!r)
		return NULL;
	memset(r, 0, sizeof *r);
	th_strlcpy(r->agent, agent, sizeof r->agent);
	if (lim_map_put(&L->rate_index, agent, (uint32_t)L->nrates) != TH_OK) {
		L->api->free(L->ctx, r);
		return NULL;
	}
	L->rates[L->nrates++] = r;
	return r;
}

static int64_t at(const lim_rate *r, size_t i)
{
	return r->ts[(r->head + i) % r->cap];
}

size_t lim_rate_count(lim_rate *r, int64_t now_ns, int64_t window_ns, int64_t keep_ns)
{
	/* drop what no window can see any more */
	while (r->n > 0 && at(r, 0) <= now_ns - keep_ns) {
		r->head = (r->head + 1) % r->cap;
		r->n--;
	}
	/* first entry inside (now - window, now]: binary search, the ring is sorted */
	size_t lo = 0, hi = r->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (at(r, mid) <= now_ns - window_ns)
			lo = mid + 1;
		else
			hi = mid;
	}
	return r->n - lo;
}

int lim_rate_record(lim *L, lim_rate *r, int64_t now_ns)
{
	if (r->n > 0 && now_ns < at(r, r->n - 1))
		now_ns = at(r, r->n - 1); /* the host clock never runs back; if it did, keep the ring sorted */
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		int64_t *ts = L->api->alloc(L->ctx, cap * sizeof *ts);
		if (!ts)
			return TH_ERR_NOMEM;
		for (size_t i = 0; i < r->n; i++)
			ts[i] = at(r, i);
		if (r->ts)
			L->api->free(L->ctx, r->ts);
		r->ts = ts;
		r->cap = cap;
		r->head = 0;
	}
	r->ts[(r->head + r->n) % r->cap] = now_ns;
	r->n++;
	return TH_OK;
}

void lim_rates_free(lim *L)
{
	for (size_t i = 0; i < L->nrates; i++) {
		if (L->rates[i]->ts)
			L->api->free(L->ctx, L->rates[i]->ts);
		L->api->free(L->ctx, L->rates[i]);
	}
	if (L->rates)
		L->api->free(L->ctx, L->rates);
	lim_map_free(&L->rate_index);
	L->rates = NULL;
	L->nrates = L->caprates = 0;
}
