/*
 * limits — a small open-addressing hash map from short strings (agent, farm
 * and wallet names, "venue:symbol" keys) to 32-bit indices. Keys are stored
 * inline in the slots, so inserting never allocates per key; the table grows
 * by doubling through the host allocator (counted per instance). check()
 * only reads maps, or inserts the first time it sees a name.
 */
#ifndef LIMITS_LIM_MAP_H
#define LIMITS_LIM_MAP_H

#include <stddef.h>
#include <stdint.h>

#include <tradehost/tradehost.h>

/* Longest key incl. NUL: "venue:symbol" needs TH_VENUE_MAX + TH_SYMBOL_MAX. */
#define LIM_KEY_MAX (TH_VENUE_MAX + TH_SYMBOL_MAX)

typedef struct lim_map_slot {
	uint32_t used;
	uint32_t hash;
	uint32_t value;
	char key[LIM_KEY_MAX];
} lim_map_slot;

typedef struct lim_map {
	const th_host_api *api;
	th_ctx *ctx;
	lim_map_slot *slots;
	size_t cap; /* power of two, or 0 before the first insert */
	size_t n;
} lim_map;

void lim_map_init(lim_map *m, const th_host_api *api, th_ctx *ctx);
void lim_map_free(lim_map *m);
/* Forget every key, keep the memory (for rebuilding an index). */
void lim_map_clear(lim_map *m);
/* Insert or replace. TH_ERR_INVALID if the key is too long, TH_ERR_NOMEM. */
int lim_map_put(lim_map *m, const char *key, uint32_t value);
/* 1 and *value when found, else 0. */
int lim_map_get(const lim_map *m, const char *key, uint32_t *value);

/* "venue:symbol" into out (LIM_KEY_MAX bytes); 0, or -1 if a part is empty or too long. */
int lim_inst_key(char *out, const char *venue, const char *symbol);

#endif
