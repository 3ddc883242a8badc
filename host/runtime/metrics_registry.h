/*
 * Plugin-registered metrics: counters and gauges keyed by (instance, name).
 * A new generation of an instance that registers the same name gets the same
 * series back, so counters survive hot reload. Rendering to the Prometheus
 * text format belongs to the front door; this only keeps the values.
 */
#ifndef HOST_RUNTIME_METRICS_REGISTRY_H
#define HOST_RUNTIME_METRICS_REGISTRY_H

#include <stddef.h>
#include <stdint.h>

typedef struct metrics_registry metrics_registry;

typedef struct metric_series {
	char instance[32];
	char plugin[32];
	char name[64];
	char help[128];
	int kind;        /* TH_METRIC_* */
	int64_t value;
	/* Cache of the ownership check: the owner key (see metrics_registry_add_as)
	 * last seen to name this series' instance, 0 = none yet. */
	uint64_t owner_key;
} metric_series;

metrics_registry *metrics_registry_create(void);
void metrics_registry_destroy(metrics_registry *r);
/* Returns a th_status; *id is stable for (instance, name). A second
 * registration with another kind is TH_ERR_EXISTS. */
int metrics_registry_register(metrics_registry *r, const char *instance, const char *plugin, int kind,
	const char *name, const char *help, uint32_t *id);
/* Only the owning instance may change a series; others are ignored. */
void metrics_registry_add(metrics_registry *r, const char *instance, uint32_t id, int64_t delta);
void metrics_registry_set(metrics_registry *r, const char *instance, uint32_t id, int64_t value);
/* The same, for a caller that also names itself by `owner_key`: a non-zero
 * number that stands for one instance name and is never given to another
 * name (the host numbers its slots, which never rename, and never reuses a
 * number). Plugins move their metrics on every order; the key spares the
 * name compare after the first call. 0 means no key: compare names. */
void metrics_registry_add_as(metrics_registry *r, const char *instance, uint64_t owner_key, uint32_t id,
	int64_t delta);
void metrics_registry_set_as(metrics_registry *r, const char *instance, uint64_t owner_key, uint32_t id,
	int64_t value);
size_t metrics_registry_count(const metrics_registry *r);
const metric_series *metrics_registry_at(const metrics_registry *r, size_t i);

#endif
