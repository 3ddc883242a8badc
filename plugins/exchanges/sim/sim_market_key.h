/*
 * sim — cheap matching of a market event's symbol against one instrument of
 * the venue.
 *
 * The venue sees every market event of a replay (millions), and copying
 * h.symbol and comparing it with strcmp through the PLT was most of its
 * per-event cost. A key holds the instrument's symbol bytes up to and
 * including its NUL (only as many as the string comparison it replaces looks
 * at) and a mask of those bytes, so a match is three masked word compares.
 * Bytes after the NUL of the event's field are never looked at (they need not
 * be zero), so the result is exactly that of the string comparison (see
 * sim_key_init).
 */
#ifndef SIM_MARKET_KEY_H
#define SIM_MARKET_KEY_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <tradehost/tradehost.h>

_Static_assert(TH_SYMBOL_MAX == 24, "sim_key_match compares h.symbol as three 8-byte words");

typedef struct sim_key {
	uint64_t word[3];
	uint64_t mask[3];
} sim_key;

/* A key that matches when h.symbol, cut to its first TH_SYMBOL_MAX - 1 bytes
 * (a copy with its last byte forced to NUL), equals `symbol` (strcmp): that
 * comparison looks at min(strlen(symbol) + 1, TH_SYMBOL_MAX - 1) bytes. */
static inline void sim_key_init(sim_key *k, const char *symbol)
{
	unsigned char bytes[TH_SYMBOL_MAX] = { 0 }, mask[TH_SYMBOL_MAX] = { 0 };
	size_t n = strlen(symbol) + 1;
	if (n > TH_SYMBOL_MAX - 1)
		n = TH_SYMBOL_MAX - 1;
	memcpy(bytes, symbol, n);
	memset(mask, 0xff, n);
	memcpy(k->word, bytes, sizeof k->word);
	memcpy(k->mask, mask, sizeof k->mask);
}

/* Bytes of word i of the field that differ from the key. */
static inline uint64_t sim_key_diff(const sim_key *k, const char *field, size_t i)
{
	uint64_t w;
	memcpy(&w, field + 8 * i, sizeof w);
	return (w ^ k->word[i]) & k->mask[i];
}

static inline int sim_key_match(const sim_key *k, const th_event_header *h)
{
	/* written out (-O2 does not unroll even a constant three-step loop);
	 * the third word only for symbols of 16 characters or more */
	uint64_t diff = sim_key_diff(k, h->symbol, 0) | sim_key_diff(k, h->symbol, 1);
	if (k->mask[2])
		diff |= sim_key_diff(k, h->symbol, 2);
	return diff == 0;
}

#endif
