/*
 * limits — cached positions per wallet. Reading every position of a large
 * wallet on every check would dominate check(); instead a wallet is re-read
 * only when an order or fill event arrived since (lim.gen_positions), when
 * the host reports another position count, or when the copy is older than
 * cache_max_age_ms (0: always re-read).
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

static int book_read(lim *L, lim_book *b, int64_t now_ns, char *why, size_t cap)
{
	size_t n;
	b->valid = 0;
	/* the wallet may grow between the two calls: read until it fits */
	while ((n = L->api->positions(L->ctx, b->wallet, b->pos, b->cap)) > b->cap) {
		if (lim_grow(L->api, L->ctx, (void **)&b->pos, &b->cap, n, sizeof *b->pos) != TH_OK) {
			snprintf(why, cap, "out of memory reading the positions of '%s'", b->wallet);
			return -1;
		}
	}
	b->n = n;
	lim_map_clear(&b->index);
	if (L->any_hhi &&
		lim_grow(L->api, L->ctx, (void **)&b->mark_slot, &b->cap_slots, n, sizeof *b->mark_slot) != TH_OK) {
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
	b->gen = L->gen_positions;
	b->read_ns = now_ns;
	b->valid = 1;
	return 0;
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
		if (b->mark_slot)
			L->api->free(L->ctx, b->mark_slot);
		L->api->free(L->ctx, b);
	}
	if (L->books)
		L->api->free(L->ctx, L->books);
	lim_map_free(&L->book_index);
	L->books = NULL;
	L->nbooks = L->capbooks = 0;
}
