#include "runtime/state_mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tradehost/th_status.h>

#include "runtime/state_store.h"

typedef struct entry {
	char *name; /* "instance/key" */
	void *data;
	size_t len;
} entry;

struct state_mem {
	entry *v;
	size_t n, cap;
};

state_mem *state_mem_create(void)
{
	return calloc(1, sizeof(state_mem));
}

void state_mem_destroy(state_mem *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n; i++) {
		free(m->v[i].name);
		free(m->v[i].data);
	}
	free(m->v);
	free(m);
}

static entry *find(const state_mem *m, const char *instance, const char *key)
{
	size_t il = strlen(instance);
	for (size_t i = 0; i < m->n; i++) {
		const char *nm = m->v[i].name;
		if (strncmp(nm, instance, il) == 0 && nm[il] == '/' && strcmp(nm + il + 1, key) == 0)
			return &m->v[i];
	}
	return NULL;
}

int state_mem_put(state_mem *m, const char *instance, const char *key, const void *data, size_t len)
{
	if (!state_store_valid_key(key) || len > STATE_VALUE_MAX)
		return TH_ERR_INVALID;
	void *copy = malloc(len ? len : 1);
	if (!copy)
		return TH_ERR_NOMEM;
	if (len)
		memcpy(copy, data, len);
	entry *e = find(m, instance, key);
	if (!e) {
		if (m->n == m->cap) {
			size_t cap = m->cap ? m->cap * 2 : 16;
			entry *v = realloc(m->v, cap * sizeof *v);
			if (!v) {
				free(copy);
				return TH_ERR_NOMEM;
			}
			m->v = v;
			m->cap = cap;
		}
		e = &m->v[m->n];
		if (asprintf(&e->name, "%s/%s", instance, key) < 0) {
			free(copy);
			return TH_ERR_NOMEM;
		}
		e->data = NULL;
		m->n++;
	}
	free(e->data);
	e->data = copy;
	e->len = len;
	return TH_OK;
}

int state_mem_get(const state_mem *m, const char *instance, const char *key, void *buf, size_t cap, size_t *len)
{
	if (!state_store_valid_key(key))
		return TH_ERR_INVALID;
	const entry *e = find(m, instance, key);
	if (!e)
		return TH_ERR_NOT_FOUND;
	memcpy(buf, e->data, e->len < cap ? e->len : cap);
	if (len)
		*len = e->len;
	return e->len > cap ? TH_ERR_LIMIT : TH_OK;
}

int state_mem_delete(state_mem *m, const char *instance, const char *key)
{
	if (!state_store_valid_key(key))
		return TH_ERR_INVALID;
	entry *e = find(m, instance, key);
	if (!e)
		return TH_ERR_NOT_FOUND;
	free(e->name);
	free(e->data);
	*e = m->v[--m->n];
	return TH_OK;
}
