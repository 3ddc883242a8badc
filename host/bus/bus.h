/*
 * bus — the host's in-process event bus.
 *
 * One bus per host, owned by the loop thread (no locks: every call must come
 * from that thread). Publishers hand in typed events (tradehost/th_event.h);
 * subscribers register a handler for a set of topics (event types) with
 * optional exact-match filters on the header's venue, symbol and agent.
 *
 * Delivery rules
 *  - bus_publish() copies the event into a bounded ring (only
 *    th_event_size(ev) bytes), assigns h.seq (1, 2, 3, ... in publication
 *    order) and h.size, and stamps h.ts_ns from the clock callback when it
 *    is 0. Called outside dispatch, it then drains the queue: each queued
 *    event goes to every matching subscriber, events in publication order,
 *    subscribers of one event in subscription order. Called from inside a
 *    handler, it only queues; the running drain delivers the event after the
 *    current one. Handlers are never re-entered recursively.
 *  - A full ring makes publish return TH_ERR_LIMIT and count a drop; the
 *    ring never grows. Nothing is allocated per event.
 *  - Matching: (sub.topics & TH_TOPIC(type)) != 0 and every non-empty filter
 *    string equals the header field exactly.
 *  - "After" for subscribe: a subscription receives exactly the events whose
 *    seq is >= the bus's next seq at the moment bus_subscribe() returns, i.e.
 *    the events published after it. Events already queued (published before
 *    it, not yet delivered) and the event being dispatched are not delivered
 *    to it.
 *  - Unsubscribe takes effect immediately, also inside a handler: the
 *    subscription receives nothing further, not even the rest of the current
 *    event's fan-out. Inside dispatch, table cleanup is deferred to the end
 *    of the drain (so indices stay valid); no event is delivered meanwhile.
 *  - Handlers get a `const th_event *` into the ring, valid for the call only.
 *
 * Deterministic: the bus reads no clock of its own, except CLOCK_MONOTONIC
 * for the optional latency sampler, whose readings never reach an event.
 */
#ifndef TH_BUS_BUS_H
#define TH_BUS_BUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bus/bus_latency.h"
#include "tradehost/th_event.h"
#include "tradehost/th_host.h"
#include "tradehost/th_status.h"

typedef struct bus bus_t;

#define BUS_QUEUE_BYTES_DEFAULT ((size_t)4 << 20) /* 4 MiB */

typedef struct bus_options {
	/* Ring capacity in bytes; 0 = BUS_QUEUE_BYTES_DEFAULT. Rounded up to a
	 * multiple of 64 and to at least BUS_QUEUE_BYTES_MIN (see bus_queue_min_bytes()). */
	size_t queue_bytes;
	/* Stamps h.ts_ns of events published with ts_ns == 0; NULL = leave 0.
	 * Paper/live pass the wall clock, backtests the simulated clock. It is
	 * called from inside bus_publish and must not call into the bus. */
	int64_t (*clock_ns)(void *arg);
	void *clock_arg;
	/* Instead of clock_ns: a clock that is a variable (a backtest's
	 * simulated time), read with one load where the callback cost two calls
	 * on every order and fill event. It must outlive the bus. */
	const int64_t *clock_now_ns;
	/* Dispatch latency sampling: 0 = off (no cost per event beyond one
	 * predictable branch); k in 1..16 = sample events whose seq is a multiple
	 * of 2^k (k = 6: 1 in 64). A sample is the CLOCK_MONOTONIC time from
	 * publish to the end of the event's fan-out (queueing included). */
	unsigned latency_sample_log2;
} bus_options;

typedef struct bus_stats {
	uint64_t published;       /* events accepted (assigned a seq) */
	uint64_t delivered;       /* handler invocations */
	uint64_t dropped_full;    /* publishes refused with TH_ERR_LIMIT */
	uint64_t rejected_invalid;/* publishes refused with TH_ERR_INVALID */
	size_t queue_high_water;  /* most ring bytes ever in use (incl. padding) */
	size_t queue_capacity;    /* ring size in bytes after rounding */
	size_t subscribers;       /* live subscriptions */
} bus_stats;

/* Smallest ring the bus accepts: room for two largest events, so a handler
 * of a maximal event can always queue at least one more. */
size_t bus_queue_min_bytes(void);

/* o may be NULL (all defaults). Returns NULL only when out of memory. */
bus_t *bus_create(const bus_options *o);
/* Frees the bus and every subscription. Must not be called from a handler
 * (aborts with a message: the running drain would use freed memory). */
void bus_destroy(bus_t *b);

/* Register fn(arg, ev) for the events matching *s (copied, strings too).
 * owner: opaque tag (the host passes the plugin instance context) used by
 * bus_unsubscribe_owner(); may be NULL. id_out (may be NULL) gets the
 * subscription id, > 0. Subscription ids are never reused.
 * TH_ERR_INVALID: NULL b/s/fn, s->topics selects no known event type, or a
 * filter string does not fit its header field (see bus_last_error()).
 * TH_ERR_NOMEM: out of memory (nothing is registered). Safe inside a handler. */
int bus_subscribe(bus_t *b, const void *owner, const th_subscription *s, th_event_fn fn, void *arg,
                  uint64_t *id_out);
/* TH_OK, or TH_ERR_NOT_FOUND if id is not a live subscription. Safe inside a handler. */
int bus_unsubscribe(bus_t *b, uint64_t id);
/* Remove all live subscriptions of `owner`; returns how many. Safe inside a handler. */
size_t bus_unsubscribe_owner(bus_t *b, const void *owner);

/* Copy and queue *ev (and deliver the queue when not already dispatching).
 * TH_OK; TH_ERR_INVALID for NULL or an event bus_last_error() explains
 * (unknown type, unterminated header string, book/custom counts too large);
 * TH_ERR_LIMIT when the ring is full (the event is dropped and counted).
 * The bus forces NUL termination of agent_msg kind and text in its copy. */
int bus_publish(bus_t *b, const th_event *ev);
/* bus_publish() for a publisher that owns a scratch event and no longer
 * needs it as it was (the backtest loop, once per market event): at top
 * level (not inside a handler, not held) a fixed-size event is stamped in
 * place (seq, size, ts_ns like the bus's copy) and handlers receive ev
 * itself, which saves the copy into the ring. Otherwise it is exactly
 * bus_publish() (ev untouched). Handlers must not keep the pointer, as
 * with any event; ev must not change until this returns. */
int bus_publish_in_place(bus_t *b, th_event *ev);
/* bus_publish() of *ev as a named speaker: the bus's copy (never *ev) gets
 * venue (NULL: the event's own) and agent (NULL: the event's own; "" clears
 * it) written with th_strlcpy, and its flags cleared; then it is checked and
 * published exactly as bus_publish() of such a stamped copy would be (same
 * bytes, seq, errors and counters). For the host's publish on behalf of a
 * plugin, which thus copies the event once instead of twice. */
int bus_publish_stamped(bus_t *b, const th_event *ev, const char *venue, const char *agent);

/* True while the bus is delivering events (i.e. inside a handler). */
bool bus_dispatching(const bus_t *b);

/* Hold delivery: while held, publish only queues (bounded as ever). The
 * host holds the bus across a hot swap so that nothing published during it
 * reaches the old generation. bus_release drains the queue when the last
 * hold is released (unless called from inside a handler, where the running
 * drain picks the events up). Holds nest. */
void bus_hold(bus_t *b);
void bus_release(bus_t *b);

/* Seq the next accepted event will get. */
uint64_t bus_next_seq(const bus_t *b);

void bus_get_stats(const bus_t *b, bus_stats *out);

/* Sampled dispatch latency, or NULL when sampling is off. Owned by the bus;
 * valid until bus_destroy; updated in place. */
const bus_latency_hist *bus_latency(const bus_t *b);

/* Text describing the most recent failed call on this bus ("" if none).
 * Owned by the bus; valid until the next failing call. */
const char *bus_last_error(const bus_t *b);

#endif
