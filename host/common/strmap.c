#include "common/strmap.h"

#include <stdlib.h>
#include <string.h>

typedef struct slot {
	char *key; /* NULL = empty */
	uint64_t hash;
	int64_t value;
} slot;

struct strmap {
	slot *slots;
	size_t cap, len; /* cap is a power of two */
};

/* FNV-1a, then a final mix. FNV-1a alone carries a byte only towards the
 * high bits, so the low bits that pick the slot barely differ between ids that
 * differ only in their last digits ("...-000123", "...-000124"): linear probing
 * then walked runs of hundreds of slots. The murmur3 finaliser spreads every
 * input bit over the low bits. */
static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 1099511628211ULL;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

strmap *strmap_create(void)
{
	strmap *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->cap = 64;
	m->slots = calloc(m->cap, sizeof *m->slots);
	if (!m->slots) {
		free(m);
		return NULL;
	}
	return m;
}

void strmap_destroy(strmap *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
	free(m);
}

static slot *find(const strmap *m, const char *key, uint64_t h)
{
	size_t mask = m->cap - 1;
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		slot *s = &m->slots[i];
		if (!s->key || (s->hash == h && strcmp(s->key, key) == 0))
			return s;
	}
}

static int grow(strmap *m)
{
	size_t ncap = m->cap * 2;
	slot *ns = calloc(ncap, sizeof *ns);
	if (!ns)
		return -1;
	for (size_t i = 0; i < m->cap; i++) {
		slot *s = &m->slots[i];
		if (!s->key)
			continue;
		size_t j = s->hash & (ncap - 1);
		while (ns[j].key)
			j = (j + 1) & (ncap - 1);
		ns[j] = *s;
	}
	free(m->slots);
	m->slots = ns;
	m->cap = ncap;
	return 0;
}

int strmap_put(strmap *m, const char *key, int64_t value)
{
	if ((m->len + 1) * 4 > m->cap * 3 && grow(m) != 0)
		return -1;
	uint64_t h = hash_str(key);
	slot *s = find(m, key, h);
	if (s->key) {
		s->value = value;
		return 1;
	}
	s->key = strdup(key);
	if (!s->key)
		return -1;
	s->hash = h;
	s->value = value;
	m->len++;
	return 0;
}

int strmap_get(const strmap *m, const char *key, int64_t *out)
{
	slot *s = find(m, key, hash_str(key));
	if (!s->key)
		return 0;
	if (out)
		*out = s->value;
	return 1;
}

size_t strmap_size(const strmap *m)
{
	return m->len;
}

int strmap_del(strmap *m, const char *key)
{
	size_t mask = m->cap - 1;
	slot *s = find(m, key, hash_str(key));
	if (!s->key)
		return 0;
	free(s->key);
	s->key = NULL;
	m->len--;
	/* Backward shift: later members of the probe run move into the hole when
	 * their home slot does not lie (cyclically) between the hole and them,
	 * so lookups never stop early at the hole. */
	size_t hole = (size_t)(s - m->slots);
	for (size_t j = (hole + 1) & mask; m->slots[j].key; j = (j + 1) & mask) {
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
