/* The ledger's name -> index maps: the host's string map (common/strmap.h)
 * with int32 values. The map never decides an order, so nothing that depends
 * on hash order can reach the ledger's results. */
#include "ledger/ledger_map.h"

#include "common/strmap.h"

ledger_map *ledger_map_create(void)
{
	return (ledger_map *)strmap_create();
}

void ledger_map_destroy(ledger_map *m)
{
	strmap_destroy((strmap *)m);
}

int ledger_map_put(ledger_map *m, const char *key, int32_t value)
{
	return strmap_put((strmap *)m, key, value);
}

int ledger_map_get(const ledger_map *m, const char *key, int32_t *out)
{
	int64_t v;
	if (!strmap_get((const strmap *)m, key, &v))
		return 0;
	if (out)
		*out = (int32_t)v;
	return 1;
}

int ledger_map_del(ledger_map *m, const char *key)
{
	return strmap_del((strmap *)m, key);
}

size_t ledger_map_size(const ledger_map *m)
{
	return strmap_size((const strmap *)m);
}
