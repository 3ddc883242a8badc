/*
 * In-memory per-instance key/value store: what th_host_api.state_* use in
 * backtests, so a replay never writes into (or reads from) the paper/live
 * state directory, and nothing of it outlives the run.
 */
#ifndef HOST_RUNTIME_STATE_MEM_H
#define HOST_RUNTIME_STATE_MEM_H

#include <stddef.h>

typedef struct state_mem state_mem;

state_mem *state_mem_create(void);
void state_mem_destroy(state_mem *m);
/* Same contracts and th_status codes as state_store_put/get/delete. */
int state_mem_put(state_mem *m, const char *instance, const char *key, const void *data, size_t len);
int state_mem_get(const state_mem *m, const char *instance, const char *key, void *buf, size_t cap, size_t *len);
int state_mem_delete(state_mem *m, const char *instance, const char *key);

#endif
