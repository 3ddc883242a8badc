/*
 * Instance lifecycle inside the host: module lookup by plugin name, context
 * create / start / stop / destroy, and the hot-reload generation swap.
 */
#ifndef HOST_RUNTIME_INSTANCE_H
#define HOST_RUNTIME_INSTANCE_H

#include "runtime/runtime_internal.h"

/* Find <plugin>.so in the configured plugin directories (refusing untrusted
 * directories and duplicates) and return a loaded module for it, reusing an
 * already-loaded module when the file's bytes are unchanged. The caller owns
 * one reference; drop it with module_release. */
int module_acquire(host_t *h, const char *plugin, loader_module **out, char *err, size_t errlen);
void module_release(host_t *h, loader_module *m);

/* Validate the slot's config against the module's schema and call create().
 * The new context is not started. */
int ctx_create(host_t *h, slot_t *slot, loader_module *m, const toml_value *config, th_ctx **out, char *err,
	size_t errlen);
int ctx_start(th_ctx *ctx, char *err, size_t errlen);
/* stop() plus removal of every subscription and timer the instance still holds. */
void ctx_stop(th_ctx *ctx);
/* destroy() and release of the module reference; reports leaked allocations. */
void ctx_destroy(th_ctx *ctx);

/* Replace slot->live by a new generation built from `m` and `config`:
 * create -> hand over state -> start -> switch -> stop and destroy the old.
 * On any failure the old generation stays live and untouched. Consumes the
 * caller's reference on `m` in every case. */
int slot_swap(host_t *h, slot_t *slot, loader_module *m, const toml_value *config, char *err, size_t errlen);

/* Ordering of kinds at start (stop runs in reverse). */
int kind_rank(uint32_t kind);

void publish_lifecycle(host_t *h, const slot_t *slot, th_lifecycle_state state);

#endif
