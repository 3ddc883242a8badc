/*
 * bus_internal — the bus object and its subscription tables, shared by
 * bus.c (publish / dispatch) and bus_subs.c (subscribe / unsubscribe).
 *
 * Subscriptions live in two places:
 *  - the registry (`subs`), one bus_sub per subscription in subscription
 *    order (= id order), which owns the filter and answers "by id" and
 *    "by owner" questions;
 *  - one list per topic (`topics[type]`) of compact bus_entry copies, in
 *    subscription order, so dispatching an event walks only the
 *    subscribers of its type and touches one 40-byte entry per subscriber.
 * A subscription to several topics has one entry in each topic's list.
 */
#ifndef TH_BUS_INTERNAL_H
#define TH_BUS_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "bus/bus.h"
#include "bus/bus_latency.h"
#include "bus/bus_ring.h"

/* Topic bits that name an event type this host knows. */
#define BUS_TOPICS_KNOWN (((1u << TH_EV_TYPE_COUNT_) - 1u) & ~1u)

/* min_seq of a removed entry: no seq ever reaches it, so the one compare the
 * dispatch loop already makes (seq >= min_seq) also skips dead entries. */
#define BUS_SEQ_DEAD UINT64_MAX

/* Sampled events in flight at once (publish done, fan-out not finished);
 * more simply go unsampled. */
#define BUS_SAMPLE_SLOTS 8u

typedef struct bus_filter {
	uint8_t venue_len;  /* 0 = any venue */
	uint8_t symbol_len;
	uint8_t agent_len;
	char venue[TH_VENUE_MAX];
	char symbol[TH_SYMBOL_MAX];
	char agent[TH_NAME_MAX];
} bus_filter;

typedef struct bus_entry {
	th_event_fn fn;
	void *arg;
	uint64_t min_seq;         /* first seq this subscription receives; BUS_SEQ_DEAD once removed */
	const bus_filter *filter; /* NULL: no filter (the common case, checked with one branch) */
	uint64_t id;
} bus_entry;

typedef struct bus_topic_list {
	bus_entry *v;
	size_t n;
	size_t cap;
} bus_topic_list;

typedef struct bus_sub {
	uint64_t id;
	const void *owner;
	uint32_t topics;          /* known topic bits only */
	bool live;
	bus_filter *filter;       /* owned; freed when the sub is compacted away */
} bus_sub;

typedef struct bus_sample {
	uint64_t seq;
	uint64_t t0_ns;
} bus_sample;

struct bus {
	bus_ring ring;
	uint64_t next_seq;
	bool dispatching;
	unsigned held;            /* bus_hold depth: publishes only queue while > 0 */
	bool need_compact;        /* dead entries await removal (deferred while dispatching) */

	int64_t (*clock_ns)(void *arg);
	void *clock_arg;

	bus_topic_list topics[TH_EV_TYPE_COUNT_]; /* index = event type; [0] unused */
	bus_sub *subs;            /* registry, id order */
	size_t nsubs;
	size_t subs_cap;
	size_t live_subs;
	uint64_t next_id;

	uint64_t published;
	uint64_t delivered;
	uint64_t dropped_full;
	uint64_t rejected_invalid;
	size_t high_water;

	/* Latency sampler: a FIFO of sampled events in seq order. */
	uint64_t sample_mask;     /* 0 = off */
	unsigned sample_head;
	unsigned sample_count;
	bus_sample samples[BUS_SAMPLE_SLOTS];
	bus_latency_hist *lat;    /* NULL when off */

	const char *err;          /* static text, or errbuf */
	char errbuf[192];
};

/* The first n bytes of two name fields are equal. Both fields are arrays of
 * `field` bytes, a multiple of 8 (TH_VENUE_MAX 16, TH_SYMBOL_MAX 24,
 * TH_NAME_MAX 32), and n <= field, so reading whole 8-byte words stays inside
 * them; the bytes past n of the last word are masked off. Every bar meets up
 * to three of these (sim venue, strategy symbol), and a memcmp call for
 * 4..10 bytes cost more than the words. */
static inline bool bus_name_eq(const char *a, const char *b, size_t n, size_t field)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (field % 8 == 0) {
		for (size_t k = 0; k < n; k += 8) {
			uint64_t x, y;
			memcpy(&x, a + k, 8);
			memcpy(&y, b + k, 8);
			uint64_t d = x ^ y;
			if (n - k < 8)
				d &= (UINT64_C(1) << (8 * (n - k))) - 1u; /* little-endian: the first bytes are the low ones */
			if (d)
				return false;
		}
		return true;
	}
#endif
	(void)field;
	return memcmp(a, b, n) == 0;
}

static inline bool bus_filter_match(const bus_filter *f, const th_event_header *h)
{
	/* len + 1 compares the terminating NUL too, so "BTC" does not match
	 * "BTCUSDT"; the header fields are known NUL-terminated and at least
	 * len + 1 bytes long. */
	if (f->venue_len && !bus_name_eq(h->venue, f->venue, (size_t)f->venue_len + 1, sizeof h->venue))
		return false;
	if (f->symbol_len && !bus_name_eq(h->symbol, f->symbol, (size_t)f->symbol_len + 1, sizeof h->symbol))
		return false;
	if (f->agent_len && !bus_name_eq(h->agent, f->agent, (size_t)f->agent_len + 1, sizeof h->agent))
		return false;
	return true;
}

/* bus_subs.c */
/* Remove dead entries from every topic list and dead subs from the registry. */
void bus_subs_compact(bus_t *b);
/* Free every subscription (bus_destroy). */
void bus_subs_free_all(bus_t *b);

/* bus.c: record a formatted error. */
void bus_set_error(bus_t *b, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

#endif
