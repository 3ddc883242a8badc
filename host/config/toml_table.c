/*
 * TOML table storage: entries kept in insertion order (documents and generated output
 * stay in the author's order), plus an open-addressing hash index once a table grows past
 * a handful of keys, so hostile inputs with many keys do not turn parsing quadratic.
 */
#include "config/toml_internal.h"

#include <stdlib.h>
#include <string.h>

enum { SMALL_TABLE = 8 };

static uint64_t hash_key(const char *key, size_t len)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)key[i];
		h *= 1099511628211ull;
	}
	return h;
}

static void index_insert(toml_value *t, size_t pos)
{
	const toml_entry *e = &t->u.tab.entries[pos];
	size_t mask = t->u.tab.index_cap - 1;
	size_t slot = (size_t)hash_key(e->key, e->keylen) & mask;
	while (t->u.tab.index[slot])
		slot = (slot + 1) & mask;
	t->u.tab.index[slot] = (uint32_t)(pos + 1);
}

/* Rebuilds the index so it holds every entry at a load factor of at most one half. */
static bool index_rebuild(toml_value *t)
{
	if (t->u.tab.len <= SMALL_TABLE) {
		free(t->u.tab.index);
		t->u.tab.index = NULL;
		t->u.tab.index_cap = 0;
		return true;
	}
	size_t cap = 16;
	while (cap < t->u.tab.len * 2)
		cap *= 2;
	uint32_t *idx = calloc(cap, sizeof(*idx));
	if (!idx)
		return false;
	free(t->u.tab.index);
	t->u.tab.index = idx;
	t->u.tab.index_cap = cap;
	for (size_t i = 0; i < t->u.tab.len; i++)
		index_insert(t, i);
	return true;
}

static toml_entry *find_entry(const toml_value *t, const char *key, size_t keylen)
{
	if (!t || t->type != TOML_TABLE)
		return NULL;
	if (t->u.tab.index) {
		size_t mask = t->u.tab.index_cap - 1;
		size_t slot = (size_t)hash_key(key, keylen) & mask;
		uint32_t pos;
		while ((pos = t->u.tab.index[slot]) != 0) {
			toml_entry *e = &t->u.tab.entries[pos - 1];
			if (e->keylen == keylen && memcmp(e->key, key, keylen) == 0)
				return e;
			slot = (slot + 1) & mask;
		}
		return NULL;
	}
	for (size_t i = 0; i < t->u.tab.len; i++) {
		toml_entry *e = &t->u.tab.entries[i];
		if (e->keylen == keylen && memcmp(e->key, key, keylen) == 0)
			return e;
	}
	return NULL;
}

toml_value *toml_table_find(toml_value *table, const char *key, size_t keylen)
{
	toml_entry *e = find_entry(table, key, keylen);
	return e ? e->value : NULL;
}

const toml_value *toml_table_getn(const toml_value *table, const char *key, size_t keylen)
{
	toml_entry *e = find_entry(table, key, keylen);
	return e ? e->value : NULL;
}

const toml_value *toml_table_get(const toml_value *table, const char *key)
{
	return key ? toml_table_getn(table, key, strlen(key)) : NULL;
}

bool toml_table_add(toml_value *t, const char *key, size_t keylen, toml_value *value)
{
	if (!t || t->type != TOML_TABLE || !value || t->u.tab.len >= UINT32_MAX - 1)
		return false;
	if (t->u.tab.len == t->u.tab.cap) {
		size_t ncap = t->u.tab.cap ? t->u.tab.cap * 2 : 4;
		toml_entry *n = realloc(t->u.tab.entries, ncap * sizeof(*n));
		if (!n)
			return false;
		t->u.tab.entries = n;
		t->u.tab.cap = ncap;
	}
	char *k = malloc(keylen + 1);
	if (!k)
		return false;
	if (keylen)
		memcpy(k, key, keylen);
	k[keylen] = '\0';
	size_t pos = t->u.tab.len++;
	t->u.tab.entries[pos] = (toml_entry){ .key = k, .keylen = keylen, .value = value };
	if (t->u.tab.len > SMALL_TABLE) {
		if (t->u.tab.len * 2 > t->u.tab.index_cap) {
			if (!index_rebuild(t)) {
				t->u.tab.len--;
				free(k);
				return false;
			}
		} else {
			index_insert(t, pos);
		}
	}
	return true;
}

bool toml_table_set(toml_value *table, const char *key, size_t keylen, toml_value *value)
{
	if (!table || table->type != TOML_TABLE || !value) {
		toml_free(value);
		return false;
	}
	toml_entry *e = find_entry(table, key, keylen);
	if (e) {
		toml_free(e->value);
		e->value = value;
		return true;
	}
	if (!toml_table_add(table, key, keylen, value)) {
		toml_free(value);
		return false;
	}
	return true;
}

bool toml_table_remove(toml_value *table, const char *key, size_t keylen)
{
	toml_entry *e = find_entry(table, key, keylen);
	if (!e)
		return false;
	size_t pos = (size_t)(e - table->u.tab.entries);
	free(e->key);
	toml_free(e->value);
	memmove(e, e + 1, (table->u.tab.len - pos - 1) * sizeof(*e));
	table->u.tab.len--;
	/* Positions shifted, so the index must be rebuilt; if that fails for lack of memory,
	 * dropping the index keeps lookups correct (linear scan). */
	if (table->u.tab.index && !index_rebuild(table)) {
		free(table->u.tab.index);
		table->u.tab.index = NULL;
		table->u.tab.index_cap = 0;
	}
	return true;
}

size_t toml_table_size(const toml_value *t)
{
	return t && t->type == TOML_TABLE ? t->u.tab.len : 0;
}

const char *toml_table_key_at(const toml_value *t, size_t i, size_t *keylen)
{
	if (!t || t->type != TOML_TABLE || i >= t->u.tab.len)
		return NULL;
	if (keylen)
		*keylen = t->u.tab.entries[i].keylen;
	return t->u.tab.entries[i].key;
}

const toml_value *toml_table_value_at(const toml_value *t, size_t i)
{
	if (!t || t->type != TOML_TABLE || i >= t->u.tab.len)
		return NULL;
	return t->u.tab.entries[i].value;
}
