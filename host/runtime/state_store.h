/*
 * Per-instance durable key/value store behind th_host_api.state_put/get.
 * One file per key under <root>/<instance>/; a put writes a temporary file,
 * fdatasyncs it and renames it over the old one, then syncs the directory, so
 * a crash leaves either the old or the new value, never a torn one.
 */
#ifndef HOST_RUNTIME_STATE_STORE_H
#define HOST_RUNTIME_STATE_STORE_H

#include <stddef.h>

#define STATE_VALUE_MAX ((size_t)1 << 20)

int state_store_valid_key(const char *key);
/* All return th_status codes. */
int state_store_put(const char *root, const char *instance, const char *key, const void *data, size_t len);
int state_store_get(const char *root, const char *instance, const char *key, void *buf, size_t cap, size_t *len);
int state_store_delete(const char *root, const char *instance, const char *key);

#endif
