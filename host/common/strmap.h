/*
 * A string -> int64 hash map (open addressing, linear probing) for host
 * indexes such as client order id -> order slot and the fill de-duplication
 * set. Keys are copied. Iteration order is never exposed, so nothing that
 * depends on it can leak into deterministic output.
 */
#ifndef HOST_COMMON_STRMAP_H
#define HOST_COMMON_STRMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct strmap strmap;

strmap *strmap_create(void);
void strmap_destroy(strmap *m);
/* 0 inserted, 1 replaced, -1 out of memory. */
int strmap_put(strmap *m, const char *key, int64_t value);
/* 1 found (value in *out), 0 absent. */
int strmap_get(const strmap *m, const char *key, int64_t *out);
/* 1 removed, 0 absent. */
int strmap_del(strmap *m, const char *key);
size_t strmap_size(const strmap *m);

#endif
