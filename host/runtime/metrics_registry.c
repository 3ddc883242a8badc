#include "runtime/metrics_registry.h"

#include <stdlib.h>
#include <string.h>
#include <tradehost/th_event.h>
#include <tradehost/th_host.h>

struct metrics_registry {
	metric_series *series;
	size_t len, cap;
};

metrics_registry *metrics_registry_create(void)
{
	return calloc(1, sizeof(metrics_registry));
}

void metrics_registry_destroy(metrics_registry *r)
{
	if (!r)
		return;
	free(r->series);
	free(r);
}

static int valid_metric_name(const char *s, int kind)
{
	size_t n = strlen(s);
	if (n == 0 || n >= 64 || !((s[0] >= 'a' && s[0] <= 'z') || s[0] == '_'))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	if (kind == TH_METRIC_COUNTER && (n < 6 || strcmp(s + n - 6, "_total") != 0))
		return 0;
	return 1;
}

int metrics_registry_register(metrics_registry *r, const char *instance, const char *plugin, int kind,
	const char *name, const char *help, uint32_t *id)
{
	if (!name || (kind != TH_METRIC_COUNTER && kind != TH_METRIC_GAUGE) || !valid_metric_name(name, kind))
		return TH_ERR_INVALID;
	for (size_t i = 0; i < r->len; i++) {
		metric_series *s = &r->series[i];
		if (strcmp(s->instance, instance) == 0 && strcmp(s->name, name) == 0) {
			if (s->kind != kind)
				return TH_ERR_EXISTS;
			*id = (uint32_t)i;
			return TH_OK;
		}
	}
	if (r->len == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		metric_series *grown = realloc(r->series, cap * sizeof *grown);
		if (!grown)
			return TH_ERR_NOMEM;
		r->series = grown;
		r->cap = cap;
	}
	metric_series *s = &r->series[r->len];
	memset(s, 0, sizeof *s);
	th_strlcpy(s->instance, instance, sizeof s->instance);
	th_strlcpy(s->plugin, plugin, sizeof s->plugin);
	th_strlcpy(s->name, name, sizeof s->name);
	th_strlcpy(s->help, help ? help : "", sizeof s->help);
	s->kind = kind;
	*id = (uint32_t)r->len++;
	return TH_OK;
}

/* The series `id` if `instance` owns it. Ownership is by name; a key that
 * already matched the name answers without the compare. It cannot go stale:
 * a key only ever stands for one name and a series never changes its name
 * (a slot that is removed and re-added gets a new key, which is checked by
 * name once and then remembered). */
static metric_series *owned(metrics_registry *r, const char *instance, uint64_t owner_key, uint32_t id)
{
	if (id >= r->len)
		return NULL;
	metric_series *s = &r->series[id];
	if (owner_key != 0 && s->owner_key == owner_key)
		return s;
	if (strcmp(s->instance, instance) != 0)
		return NULL;
	if (owner_key != 0)
		s->owner_key = owner_key;
	return s;
}

void metrics_registry_add_as(metrics_registry *r, const char *instance, uint64_t owner_key, uint32_t id,
	int64_t delta)
{
	metric_series *s = owned(r, instance, owner_key, id);
	if (s && !(s->kind == TH_METRIC_COUNTER && delta < 0))
		s->value += delta;
}

void metrics_registry_set_as(metrics_registry *r, const char *instance, uint64_t owner_key, uint32_t id,
	int64_t value)
{
	metric_series *s = owned(r, instance, owner_key, id);
	if (s && s->kind == TH_METRIC_GAUGE)
		s->value = value;
}

void metrics_registry_add(metrics_registry *r, const char *instance, uint32_t id, int64_t delta)
{
	metrics_registry_add_as(r, instance, 0, id, delta);
}

void metrics_registry_set(metrics_registry *r, const char *instance, uint32_t id, int64_t value)
{
	metrics_registry_set_as(r, instance, 0, id, value);
}

size_t metrics_registry_count(const metrics_registry *r)
{
	return r->len;
}

const metric_series *metrics_registry_at(const metrics_registry *r, size_t i)
{
	return i < r->len ? &r->series[i] : NULL;
}
