/*
 * limits — cached positions per wallet. Reading every position of a large
 * wallet on every check would dominate check(); instead a wallet is re-read
 * only when a fill event arrived since (lim.gen_positions), when the host
 * reports another position count, or when the copy is older than
 * cache_max_age_ms (0: always re-read). A re-read that finds the same
 * instruments in the same order keeps the index and revalues only the
 * positions whose quantity changed.
 *
 * The age limit is kept by a timer (lim_books_refresh, every half
 * cache_max_age_ms): it re-reads aged copies between checks, so a check
 * re-reads only after a fill or a count change, not because a second went
 * by. check() still re-reads a copy that did reach the age (timer late).
 */
#include <stdio.h>
#include <string.h>

#include "lim_internal.h"

static lim_book *book_of(lim *L, const char *wallet)
{
	uint32_t ix;
	if (lim_map_get(&L->book_index, wallet, &ix))
		return L->books[ix];
	if (lim_grow(L->api, L->ctx, (void **)&L->books, &L->capbooks, L->nbooks + 1, sizeof *L->books) != TH_OK)
		return NULL;
	lim_book *b = L->api->alloc(L->ctx, sizeof *b);
	if (!b)
		return NULL;
	memset(b, 0, sizeof *b);
	th_strlcpy(b->wallet, wallet, sizeof b->wallet);
	lim_map_init(&b->index, L->api, L->ctx);
	if (lim_map_put(&L->book_index, wallet, (uint32_t)L->nbooks) != TH_OK) {
		L->api->free(L->ctx, b);
		return NULL;
	}
	L->books[L->nbooks++] = b;
	return b;
}

/* Same instruments in the same order as the current copy? Then the index
 * and the mark slots still hold (the usual case: a fill changed a quantity). */
static int same_layout(const lim_book *b, size_t n)
{
	if (!b->indexed || n != b->n)
		return 0;
	/* byte compare of the two fixed name fields: equal bytes are equal names;
	 * differing bytes after a NUL only cost a needless re-index */
	for (size_t i = 0; i < n; i++)
		if (memcmp(b->spare[i].venue, b->pos[i].venue, sizeof b->pos[i].venue) != 0 ||
			memcmp(b->spare[i].symbol, b->pos[i].symbol, sizeof b->pos[i].symbol) != 0)
			return 0;
	return 1;
}

static int book_index(lim *L, lim_book *b, char *why, size_t cap)
{
	size_t n = b->n;
	lim_map_clear(&b->index);
	if (L->any_hhi &&
		(lim_grow(L->api, L->ctx, (void **)&b->mark_slot, &b->cap_slots, n, sizeof *b->mark_slot) != TH_OK ||
			lim_grow(L->api, L->ctx, (void **)&b->val, &b->cap_val, n, sizeof *b->val) != TH_OK)) {
		snprintf(why, cap, "out of memory reading the positions of '%s'", b->wallet);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		char key[LIM_KEY_MAX];
		const th_position *p = &b->pos[i];
		if (lim_inst_key(key, p->venue, p->symbol) != 0 || lim_map_put(&b->index, key, (uint32_t)i) != TH_OK ||
			(L->any_hhi && lim_marks_slot(L, p->venue, p->symbol, &b->mark_slot[i]) != 0)) {
			snprintf(why, cap, "cannot index position %s:%s of '%s'", p->venue, p->symbol, b->wallet);
			return -1;
		}
	}
	b->indexed = 1;
	return 0;
}

static void revalue_changed(lim *L, lim_book *b);

static int book_read(lim *L, lim_book *b, int64_t now_ns, char *why, size_t cap)
{
	size_t n;
	b->valid = 0;
	/* the wallet may grow between the two calls: read until it fits */
	while ((n = L->api->positions(L->ctx, b->wallet, b->spare, b->cap_spare)) > b->cap_spare) {
		if (lim_grow(L->api, L->ctx, (void **)&b->spare, &b->cap_spare, n, sizeof *b->spare) != TH_OK) {
			snprintf(why, cap, "out of memory reading the positions of '%s'", b->wallet);
			b->indexed = 0; /* marks moved unseen meanwhile: the next read starts over */
			return -1;
		}
	}
	int keep_index = same_layout(b, n);
	th_position *t = b->pos;
	size_t tc = b->cap;
	b->pos = b->spare;
	b->cap = b->cap_spare;
	b->spare = t;
	b->cap_spare = tc;
	b->n = n;
	if (!keep_index) {
		b->indexed = 0;
		if (book_index(L, b, why, cap) != 0)
			return -1;
	}
	b->gen = L->gen_positions;
	b->read_ns = now_ns;
	b->valid = 1;
	if (L->any_hhi) {
		/* a fill changes one quantity: revalue just what changed, and
		 * recompute in full now and then so rounding cannot pile up */
		if (keep_index && b->partial_reads < 64) {
			revalue_changed(L, b);
			b->partial_reads++;
		} else {
			lim_book_revalue(L, b);
		}
	}
	return 0;
}

static const double inv_pow10[TH_SCALE_MAX + 1] = { 1e0, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9,
	1e-10, 1e-11, 1e-12, 1e-13, 1e-14, 1e-15, 1e-16, 1e-17, 1e-18 };

/* Value of position i at its mark; 0 with *missing when there is none. */
static double mark_value(const lim *L, const lim_book *b, size_t i, int *missing)
{
	const th_position *p = &b->pos[i];
	const lim_mark *m = &L->marks.arr[b->mark_slot[i]];
	*missing = 0;
	if (p->qty == 0)
		return 0;
	if (m->price <= 0 || p->qty_scale < 0 || p->qty_scale > TH_SCALE_MAX) {
		*missing = 1;
		return 0;
	}
	return (double)p->qty * inv_pow10[p->qty_scale] * (double)m->price * inv_pow10[m->scale];
}

void lim_book_revalue(lim *L, lim_book *b)
{
	b->partial_reads = 0;
	b->sum_abs = b->sum_sq = 0;
	b->n_missing = b->n_live = 0;
	for (size_t i = 0; i < b->n; i++) {
		int missing;
		lim_mark *m = &L->marks.arr[b->mark_slot[i]];
		if (m->price <= 0) {
			int32_t scale = 0;
			th_price px = L->api->last_price(L->ctx, b->pos[i].venue, b->pos[i].symbol, &scale);
			if (px > 0 && scale >= 0 && scale <= TH_SCALE_MAX) {
				m->price = px;
				m->scale = scale;
			}
		}
		double x = mark_value(L, b, i, &missing);
		b->val[i] = x;
		b->sum_abs += x < 0 ? -x : x;
		b->sum_sq += x * x;
		b->n_missing += (size_t)missing;
		b->n_live += b->pos[i].qty != 0;
	}
}

/* After a re-read with the same layout: b->spare holds the previous copy. */
static void revalue_changed(lim *L, lim_book *b)
{
	for (size_t i = 0; i < b->n; i++) {
		const th_position *now = &b->pos[i], *was = &b->spare[i];
		int missing;
		if (now->qty == was->qty && now->qty_scale == was->qty_scale)
			continue;
		double old = b->val[i], x = mark_value(L, b, i, &missing);
		b->n_live += (size_t)(now->qty != 0) - (size_t)(was->qty != 0);
		b->n_missing += (size_t)missing - (size_t)(was->qty != 0 && old == 0);
		b->val[i] = x;
		b->sum_abs += (x < 0 ? -x : x) - (old < 0 ? -old : old);
		b->sum_sq += x * x - old * old;
	}
	if (b->sum_abs < 0)
		b->sum_abs = 0;
	if (b->sum_sq < 0)
		b->sum_sq = 0;
}

void lim_books_mark_moved(lim *L, const char *inst_key, uint32_t slot)
{
	for (size_t k = 0; k < L->nbooks; k++) {
		lim_book *b = L->books[k];
		uint32_t i;
		int missing;
		if (!b->valid || !lim_map_get(&b->index, inst_key, &i) || b->mark_slot[i] != slot)
			continue;
		double old = b->val[i], x = mark_value(L, b, i, &missing);
		if (b->pos[i].qty != 0 && old == 0 && !missing && b->n_missing > 0)
			b->n_missing--; /* it had no mark until now */
		b->val[i] = x;
		b->sum_abs += (x < 0 ? -x : x) - (old < 0 ? -old : old);
		b->sum_sq += x * x - old * old;
		if (b->sum_abs < 0)
			b->sum_abs = 0; /* rounding; the next re-read recomputes exactly */
		if (b->sum_sq < 0)
			b->sum_sq = 0;
	}
}

lim_book *lim_book_get(lim *L, const char *wallet, int64_t now_ns, long expect, char *why, size_t cap)
{
	lim_book *b = book_of(L, wallet);
	if (!b) {
		snprintf(why, cap, "out of memory caching the positions of '%s'", wallet);
		return NULL;
	}
	int stale = !b->valid || b->gen != L->gen_positions || (expect >= 0 && (size_t)expect != b->n) ||
		L->cache_max_age_ns == 0 || now_ns < b->read_ns || now_ns - b->read_ns >= L->cache_max_age_ns;
	if (stale && book_read(L, b, now_ns, why, cap) != 0)
		return NULL;
	return b;
}

void lim_books_refresh(lim *L, int64_t now_ns, int64_t min_age_ns)
{
	char why[160];
	for (size_t i = 0; i < L->nbooks; i++) {
		lim_book *b = L->books[i];
		if (b->valid && now_ns >= b->read_ns && now_ns - b->read_ns >= min_age_ns)
			book_read(L, b, now_ns, why, sizeof why); /* a failure leaves it invalid */
	}
}

const th_position *lim_book_find(const lim_book *b, const char *inst_key)
{
	uint32_t ix;
	return lim_map_get(&b->index, inst_key, &ix) ? &b->pos[ix] : NULL;
}

void lim_books_free(lim *L)
{
	for (size_t i = 0; i < L->nbooks; i++) {
		lim_book *b = L->books[i];
		lim_map_free(&b->index);
		if (b->pos)
			L->api->free(L->ctx, b->pos);
		if (b->spare)
			L->api->free(L->ctx, b->spare);
		if (b->mark_slot)
			L->api->free(L->ctx, b->mark_slot);
		if (b->val)
			L->api->free(L->ctx, b->val);
		L->api->free(L->ctx, b);
	}
	if (L->books)
		L->api->free(L->ctx, L->books);
	lim_map_free(&L->book_index);
	L->books = NULL;
	L->nbooks = L->capbooks = 0;
}
