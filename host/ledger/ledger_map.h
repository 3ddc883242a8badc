/*
 * ledger_map — a string -> int32 map with deletion, used by the ledger and the
 * capital hierarchy to find accounts, wallets, instruments and open orders by
 * name. Open addressing with linear probing; deletion shifts the following
 * entries back, so no tombstones pile up under a churn of order keys.
 *
 * Keys are copied. There is deliberately no iteration: callers keep their
 * own arrays in creation order, so hash order can never leak into results
 * (replay must produce byte-identical state).
 */
#ifndef HOST_LEDGER_LEDGER_MAP_H
#define HOST_LEDGER_LEDGER_MAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct ledger_map ledger_map;

ledger_map *ledger_map_create(void);
void ledger_map_destroy(ledger_map *m);
/* 0 inserted, 1 replaced the value of an existing key, -1 out of memory. */
int ledger_map_put(ledger_map *m, const char *key, int32_t value);
/* 1 found (value in *out when out != NULL), 0 absent. */
int ledger_map_get(const ledger_map *m, const char *key, int32_t *out);
/* 1 removed, 0 absent. */
int ledger_map_del(ledger_map *m, const char *key);
size_t ledger_map_size(const ledger_map *m);

#endif
