/*
 * limits — string-keyed hash map (see lim_map.h). FNV-1a hashing, linear
 * probing, load factor at most one half so probes stay short.
 */
#include "lim_map.h"

#include <string.h>

static uint32_t hash_key(const char *s, size_t *len)
{
	uint32_t h = 2166136261u;
	size_t n = 0;
	for (; s[n]; n++) {
		h ^= (uint8_t)s[n];
		h *= 16777619u;
	}
	*len = n;
	return h;
}

void lim_map_init(lim_map *m, const th_host_api *api, th_ctx *ctx)
{
	memset(m, 0, sizeof *m);
	m->api = api;
	m->ctx = ctx;
}

void lim_map_free(lim_map *m)
{
	if (m->slots)
		m->api->free(m->ctx, m->slots);
	m->slots = NULL;
	m->cap = m->n = 0;
}

void lim_map_clear(lim_map *m)
{
	if (m->slots)
		memset(m->slots, 0, m->cap * sizeof *m->slots);
	m->n = 0;
}

static lim_map_slot *probe(lim_map_slot *slots, size_t cap, const char *key, size_t len, uint32_t h)
{
	size_t mask = cap - 1;
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		lim_map_slot *s = &slots[i];
		if (!s->used || (s->hash == h && memcmp(s->key, key, len + 1) == 0))
			return s;
	}
}

static int grow(lim_map *m)
{
	size_t cap = m->cap ? m->cap * 2 : 16;
	lim_map_slot *slots = m->api->alloc(m->ctx, cap * sizeof *slots);
	if (!slots)
		return TH_ERR_NOMEM;
	memset(slots, 0, cap * sizeof *slots);
	for (size_t i = 0; i < m->cap; i++) {
		lim_map_slot *old = &m->slots[i];
		if (old->used)
			*probe(slots, cap, old->key, strlen(old->key), old->hash) = *old;
	}
	if (m->slots)
		m->api->free(m->ctx, m->slots);
	m->slots = slots;
	m->cap = cap;
	return TH_OK;
}

int lim_map_put(lim_map *m, const char *key, uint32_t value)
{
	size_t len;
	uint32_t h = hash_key(key, &len);
	if (len >= LIM_KEY_MAX)
		return TH_ERR_INVALID;
	if ((m->n + 1) * 2 > m->cap && grow(m) != TH_OK)
		return TH_ERR_NOMEM;
	lim_map_slot *s = probe(m->slots, m->cap, key, len, h);
	if (!s->used) {
		s->used = 1;
		s->hash = h;
		memcpy(s->key, key, len + 1);
		m->n++;
	}
	s->value = value;
	return TH_OK;
}

int lim_map_get(const lim_map *m, const char *key, uint32_t *value)
{
	size_t len;
	if (m->n == 0)
		return 0;
	uint32_t h = hash_key(key, &len);
	if (len >= LIM_KEY_MAX)
		return 0;
	const lim_map_slot *s = probe(m->slots, m->cap, key, len, h);
	if (!s->used)
		return 0;
	*value = s->value;
	return 1;
}

int lim_inst_key(char *out, const char *venue, const char *symbol)
{
	size_t nv = strlen(venue), ns = strlen(symbol);
	if (nv == 0 || ns == 0 || nv + 1 + ns >= LIM_KEY_MAX)
		return -1;
	memcpy(out, venue, nv);
	out[nv] = ':';
	memcpy(out + nv + 1, symbol, ns + 1);
	return 0;
}
