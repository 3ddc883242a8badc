/*
 * bus_internal — the bus object and its subscription tables, shared by
 * bus.c (publish / dispatch) and bus_subs.c (subscribe / unsubscribe).
 *
 * Subscriptions live in two places:
 *  - the registry (`subs`), one bus_sub per subscription in subscription
 *    order (= id order), which answers "by id" and "by owner" questions;
 *  - one list per topic (`topics[type]`) of bus_entry copies, in
 *    subscription order, so dispatching an event walks only the
 *    subscribers of its type. An entry carries everything dispatch needs,
 *    its filter included (compiled to header words, see bus_filter.c), so
 *    a subscriber costs one or two cache lines and no pointer chase.
 * A subscription to several topics has one entry in each topic's list.
 */
#ifndef TH_BUS_INTERNAL_H
#define TH_BUS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
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

/* Marks a rarely taken path (errors, latency samples) so the compiler keeps
 * it out of line and off the hot path's registers. */
#if defined(__GNUC__)
#define BUS_COLD __attribute__((cold, noinline))
#else
#define BUS_COLD
#endif

/* Sampled events in flight at once (publish done, fan-out not finished);
 * more simply go unsampled. */
#define BUS_SAMPLE_SLOTS 8u

/* Header words a filter can need: venue 16 + symbol 24 + agent 32 bytes =
 * 9 words of 8 bytes (the three fields are 8-byte aligned in th_event_header). */
#define BUS_FILTER_WORDS ((TH_VENUE_MAX + TH_SYMBOL_MAX + TH_NAME_MAX) / 8)

/* One 8-byte word of the header that a filter constrains: the event matches
 * when (word ^ val) & mask == 0. val holds the filter string's bytes (and
 * its NUL) at their place in the word; mask has 0xff on exactly those bytes,
 * so bytes after the NUL (which publishers may leave as garbage) are ignored. */
typedef struct bus_fword {
	uint64_t val;
	uint64_t mask;
} bus_fword;

/* Entries are aligned to a cache line and sized in whole lines: the first
 * line holds the call (fn, arg), the seq gate, the filter's word offsets and
 * its first word; a filter on venue and symbol reaches into the second. */
#define BUS_LINE 64u

typedef struct bus_entry {
	th_event_fn fn;
	void *arg;
	uint64_t min_seq;           /* first seq this subscription receives; BUS_SEQ_DEAD once removed */
	uint8_t nwords;             /* filter words to check; 0 = no filter (one branch) */
	uint8_t off[BUS_FILTER_WORDS]; /* byte offset in th_event_header of filter word k */
	uint64_t id;                /* for unsubscribe; not read by dispatch */
	bus_fword w[BUS_FILTER_WORDS];
} bus_entry;

_Static_assert(sizeof(bus_entry) % BUS_LINE == 0, "bus_entry must fill whole cache lines");
_Static_assert(offsetof(th_event_header, venue) % 8 == 0 && offsetof(th_event_header, symbol) % 8 == 0 &&
                   offsetof(th_event_header, agent) % 8 == 0 && TH_VENUE_MAX % 8 == 0 && TH_SYMBOL_MAX % 8 == 0 &&
                   TH_NAME_MAX % 8 == 0,
               "filter fields must be whole 8-byte words of the header");

/* Does the header pass the entry's filter? Every constrained word is
 * checked and the differences OR-ed, with one branch at the end: a match
 * (the common case on a hot path) costs ~4 instructions per word, with no
 * per-call length arithmetic or variable shifts. */
static inline bool bus_entry_match(const bus_entry *e, const th_event_header *h)
{
	const unsigned char *hb = (const unsigned char *)h;
	uint64_t diff = 0;
	for (unsigned k = 0; k < e->nwords; k++) {
		uint64_t x;
		memcpy(&x, hb + e->off[k], sizeof x);
		diff |= (x ^ e->w[k].val) & e->w[k].mask;
	}
	return diff == 0;
}

/* bus_filter.c: compile a subscription's optional filter strings (NULL or
 * "" = any) into e->nwords/off/w. TH_ERR_INVALID (with bus_last_error set)
 * when a string does not fit its header field. */
int bus_filter_compile(bus_t *b, const th_subscription *s, bus_entry *e);

typedef struct bus_topic_list {
	bus_entry *v;             /* BUS_LINE-aligned (bus_subs.c grows it by hand, not realloc) */
	size_t n;
	size_t cap;
} bus_topic_list;

typedef struct bus_sub {
	uint64_t id;
	const void *owner;
	uint32_t topics;          /* known topic bits only */
	bool live;
} bus_sub;

typedef struct bus_sample {
	uint64_t seq;
	uint64_t t0_ns;
} bus_sample;

struct bus {
	/* Hot: what every publish reads or writes, first. */
	bus_ring ring;
	uint64_t next_seq;        /* also the count of accepted events + 1 (stats "published") */
	/* Both 32-bit so publish can ask "dispatching or held?" with one OR. */
	uint32_t dispatching;     /* 1 while delivering (inside a handler) */
	uint32_t held;            /* bus_hold depth: publishes only queue while > 0 */
	bool need_compact;        /* dead entries or retired arrays await cleanup (deferred while dispatching) */
	bool topics_moved;        /* a topic list got a new array: a running fan-out must re-find its place */
	uint64_t delivered;
	size_t high_water;
	uint64_t sample_mask;     /* sample seqs with (seq & mask) == 0; UINT64_MAX = off (no seq >= 1 qualifies) */
	uint64_t sample_wait_seq; /* seq of the oldest sampled event still in flight; 0 (no seq) = none */
	int64_t (*clock_ns)(void *arg);
	void *clock_arg;
	const int64_t *clock_now_ns; /* preferred over clock_ns when set */

	bus_topic_list topics[TH_EV_TYPE_COUNT_]; /* index = event type; [0] unused */
	bus_sub *subs;            /* registry, id order */
	size_t nsubs;
	size_t subs_cap;
	size_t live_subs;
	uint64_t next_id;
	void *retired;            /* topic arrays replaced during a drain, freed after it (bus_subs.c) */

	uint64_t dropped_full;
	uint64_t rejected_invalid;

	/* Latency sampler: a FIFO of sampled events in seq order. */
	unsigned sample_head;
	unsigned sample_count;
	bus_sample samples[BUS_SAMPLE_SLOTS];
	bus_latency_hist *lat;    /* NULL when off */

	const char *err;          /* static text, or errbuf */
	char errbuf[192];
};

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
