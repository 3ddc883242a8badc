#include "ledger/ledger_map.h"

#include <stdlib.h>
#include <string.h>

typedef struct map_slot {
	char *key; /* NULL = empty */
	uint64_t hash;
	int32_t value;
} map_slot;

struct ledger_map {
	map_slot *slots;
	size_t cap, len; /* cap is a power of two; len <= cap / 2 */
};

/* FNV-1a: fixed (unseeded) on purpose, the map never decides an order. */
static uint64_t map_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 1099511628211ULL;
	return h;
}

ledger_map *ledger_map_create(void)
{
	ledger_map *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->cap = 32;
	m->slots = calloc(m->cap, sizeof *m->slots);
	if (!m->slots) {
		free(m);
		return NULL;
	}
	return m;
}

void ledger_map_destroy(ledger_map *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
	free(m);
}

static size_t map_find(const ledger_map *m, const char *key, uint64_t h)
{
	size_t mask = m->cap - 1;
	for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
		const map_slot *s = &m->slots[i];
		if (!s->key || (s->hash == h && strcmp(s->key, key) == 0))
			return i;
	}
}

static int map_grow(ledger_map *m)
{
	size_t ncap = m->cap * 2;
	map_slot *ns = calloc(ncap, sizeof *ns);
	if (!ns)
		return -1;
	for (size_t i = 0; i < m->cap; i++) {
		map_slot *s = &m->slots[i];
		if (!s->key)
			continue;
		size_t j = (size_t)s->hash & (ncap - 1);
		while (ns[j].key)
			j = (j + 1) & (ncap - 1);
		ns[j] = *s;
	}
	free(m->slots);
	m->slots = ns;
	m->cap = ncap;
	return 0;
}

int ledger_map_put(ledger_map *m, const char *key, int32_t value)
{
	uint64_t h = map_hash(key);
	size_t i = map_find(m, key, h);
	if (m->slots[i].key) {
		m->slots[i].value = value;
		return 1;
	}
	if ((m->len + 1) * 2 > m->cap) {
		if (map_grow(m) != 0)
			return -1;
		i = map_find(m, key, h);
	}
	char *copy = strdup(key);
	if (!copy)
		return -1;
	m->slots[i] = (map_slot){ copy, h, value };
	m->len++;
	return 0;
}

int ledger_map_get(const ledger_map *m, const char *key, int32_t *out)
{
	size_t i = map_find(m, key, map_hash(key));
	if (!m->slots[i].key)
		return 0;
	if (out)
		*out = m->slots[i].value;
	return 1;
}

int ledger_map_del(ledger_map *m, const char *key)
{
	size_t mask = m->cap - 1;
	size_t i = map_find(m, key, map_hash(key));
	if (!m->slots[i].key)
		return 0;
	free(m->slots[i].key);
	m->slots[i].key = NULL;
	m->len--;
	/* Backward-shift: move later members of the probe run into the hole when
	 * their home slot does not lie (cyclically) between the hole and them. */
	size_t hole = i;
	for (size_t j = (i + 1) & mask; m->slots[j].key; j = (j + 1) & mask) {
		size_t home = (size_t)m->slots[j].hash & mask;
		int between = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
		if (between)
			continue;
		m->slots[hole] = m->slots[j];
		m->slots[j].key = NULL;
		hole = j;
	}
	return 1;
}

size_t ledger_map_size(const ledger_map *m)
{
	return m->len;
}
