/*
 * The feed the trading layer replays or paces: the configured market source,
 * plus optional mirror venues. A mirror venue receives a copy of every
 * market event of the primary venue with its prices shifted by a small
 * mean-reverting basis (an AR(1) in basis points, seeded from the market
 * seed, rounded to the tick), so cross-venue strategies have two slightly
 * different prices to trade on. Deterministic like the source itself.
 */
#ifndef HOST_TRADING_FEED_H
#define HOST_TRADING_FEED_H

#include <stddef.h>
#include <tradehost/th_event.h>

#include "market/market_prng.h"
#include "market/source.h"

#define FEED_MAX_MIRRORS 4
#define FEED_MAX_SYMBOLS 16

typedef struct feed {
	market_source *source;       /* owned */
	size_t nmirrors;
	char mirrors[FEED_MAX_MIRRORS][TH_VENUE_MAX];
	double basis_bps;            /* stdev of the stationary basis */
	double basis[FEED_MAX_MIRRORS][FEED_MAX_SYMBOLS];
	market_prng rng;
	th_event queue[FEED_MAX_MIRRORS];
	size_t qhead, qlen;
} feed;

/* Takes ownership of `source`. */
int feed_init(feed *f, market_source *source, const char (*mirrors)[TH_VENUE_MAX], size_t nmirrors, double basis_bps,
	uint64_t seed, char *err, size_t errlen);
void feed_destroy(feed *f);
/* 1 = event, 0 = end, -1 = error (err set). */
int feed_next(feed *f, th_event *out, char *err, size_t errlen);

#endif
