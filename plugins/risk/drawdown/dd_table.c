#include "dd_table.h"

#include <string.h>

static uint32_t hash_key(int kind, const char *name)
{
	uint32_t h = 2166136261u ^ (uint32_t)kind; /* FNV-1a */
	h *= 16777619u;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		h ^= *p;
		h *= 16777619u;
	}
	return h;
}

int dd_table_init(dd_table *t, const th_host_api *api, th_ctx *ctx, uint32_t cap)
{
	uint32_t nslots = 4;
	memset(t, 0, sizeof *t);
	while (nslots < cap * 2) /* load factor <= 1/2: short probe chains */
		nslots <<= 1;
	t->scopes = api->alloc(ctx, (size_t)cap * sizeof *t->scopes);
	t->slots = api->alloc(ctx, (size_t)nslots * sizeof *t->slots);
	if (!t->scopes || !t->slots) {
		dd_table_free(t, api, ctx);
		return TH_ERR_NOMEM;
	}
	t->cap = cap;
	t->mask = nslots - 1;
	dd_table_clear(t);
	return TH_OK;
}

void dd_table_free(dd_table *t, const th_host_api *api, th_ctx *ctx)
{
	api->free(ctx, t->scopes);
	api->free(ctx, t->slots);
	memset(t, 0, sizeof *t);
}

void dd_table_clear(dd_table *t)
{
	t->count = 0;
	memset(t->slots, 0, ((size_t)t->mask + 1) * sizeof *t->slots);
}

/* The slot holding (kind, name), or the empty slot where it would go. */
static uint32_t *probe(const dd_table *t, int kind, const char *name)
{
	uint32_t i = hash_key(kind, name) & t->mask;
	for (;;) {
		uint32_t *slot = &t->slots[i];
		if (*slot == 0)
			return slot;
		const dd_scope *s = &t->scopes[*slot - 1];
		if (s->kind == kind && strcmp(s->name, name) == 0)
			return slot;
		i = (i + 1) & t->mask;
	}
}

dd_scope *dd_table_find(const dd_table *t, int kind, const char *name)
{
	uint32_t *slot = probe(t, kind, name);
	return *slot ? &t->scopes[*slot - 1] : NULL;
}

dd_scope *dd_table_add(dd_table *t, int kind, const char *name, int *added)
{
	if (added)
		*added = 0;
	if (strlen(name) >= TH_NAME_MAX)
		return NULL;
	uint32_t *slot = probe(t, kind, name);
	if (*slot)
		return &t->scopes[*slot - 1];
	if (t->count == t->cap)
		return NULL;
	dd_scope *s = &t->scopes[t->count];
	memset(s, 0, sizeof *s);
	s->kind = (uint8_t)kind;
	memcpy(s->name, name, strlen(name) + 1);
	s->host_peak_floor = INT64_MIN;
	*slot = ++t->count;
	if (added)
		*added = 1;
	return s;
}
