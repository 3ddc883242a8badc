/*
 * bus — create/destroy, publish and the synchronous drain (the hot path).
 *
 * Per event the hot path does: validate + size (a few compares and a table
 * load), reserve ring bytes (at top level: the ring's first bytes, it is
 * empty), one copy, stamp seq/size/ts, then walk the event type's
 * subscriber list calling each matching handler. No allocation, no clock
 * read unless ts_ns == 0 and a clock is set, no lock.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bus/bus_event.h"
#include "bus/bus_internal.h"

/* Room for two largest events (see bus.h). */
static size_t bus_queue_min(void)
{
	return 2 * bus_ring_footprint(TH_EVENT_MAX_SIZE);
}

size_t bus_queue_min_bytes(void)
{
	return bus_queue_min();
}

void bus_set_error(bus_t *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(b->errbuf, sizeof b->errbuf, fmt, ap);
	va_end(ap);
	b->err = b->errbuf;
}

bus_t *bus_create(const bus_options *o)
{
	bus_options d;
	memset(&d, 0, sizeof d);
	if (!o)
		o = &d;
	size_t qbytes = o->queue_bytes ? o->queue_bytes : BUS_QUEUE_BYTES_DEFAULT;
	if (qbytes < bus_queue_min())
		qbytes = bus_queue_min();

	bus_t *b = calloc(1, sizeof *b);
	if (!b)
		return NULL;
	if (bus_ring_init(&b->ring, qbytes) != 0) {
		free(b);
		return NULL;
	}
	b->next_seq = 1;
	b->next_id = 1;
	b->clock_ns = o->clock_ns;
	b->clock_arg = o->clock_arg;
	b->clock_now_ns = o->clock_now_ns;
	b->err = "";
	b->sample_mask = UINT64_MAX; /* off: seq & mask is never 0 for a seq >= 1 */
	if (o->latency_sample_log2) {
		unsigned k = o->latency_sample_log2 > 16 ? 16 : o->latency_sample_log2;
		b->lat = calloc(1, sizeof *b->lat);
		if (!b->lat) {
			bus_ring_free(&b->ring);
			free(b);
			return NULL;
		}
		b->sample_mask = (UINT64_C(1) << k) - 1u;
	}
	return b;
}

void bus_destroy(bus_t *b)
{
	if (!b)
		return;
	if (b->dispatching) {
		/* The drain that called this handler would touch freed memory next. */
		fprintf(stderr, "tradehost: bus_destroy called from inside an event handler; aborting\n");
		abort();
	}
	bus_subs_free_all(b);
	bus_ring_free(&b->ring);
	free(b->lat);
	free(b);
}

static uint64_t bus_mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * UINT64_C(1000000000) + (uint64_t)ts.tv_nsec;
}

/* Cold: remember when sampled event `seq` was published. */
BUS_COLD static void bus_sample_start(bus_t *b, uint64_t seq)
{
	if (b->sample_count == BUS_SAMPLE_SLOTS)
		return; /* too many in flight (deeply nested publishing): skip this one */
	unsigned slot = (b->sample_head + b->sample_count) % BUS_SAMPLE_SLOTS;
	b->samples[slot] = (bus_sample){ .seq = seq, .t0_ns = bus_mono_ns() };
	if (b->sample_count++ == 0)
		b->sample_wait_seq = seq;
}

/* Cold: the fan-out of the oldest sampled event just finished. */
BUS_COLD static void bus_sample_finish(bus_t *b)
{
	uint64_t now = bus_mono_ns();
	const bus_sample *s = &b->samples[b->sample_head];
	bus_latency_record(b->lat, now >= s->t0_ns ? now - s->t0_ns : 0);
	b->sample_head = (b->sample_head + 1) % BUS_SAMPLE_SLOTS;
	b->sample_count--;
	b->sample_wait_seq = b->sample_count ? b->samples[b->sample_head].seq : 0;
}

/* Fan one event out to its type's subscribers. Handlers may publish (appends
 * to the ring, never over this record), subscribe (may move a topic list's
 * array, and then sets b->topics_moved: the loop re-finds its place; the new
 * entry has min_seq > seq, so the loop may stop at the length it saw at the
 * start) and unsubscribe (marks entries dead in place: caught by the seq
 * compare). Checking a flag after each call instead of re-reading the array
 * keeps the loop's state in registers. */
static inline void bus_deliver(bus_t *b, const th_event *ev, uint32_t type, uint64_t seq)
{
	const bus_entry *v = b->topics[type].v;
	for (const bus_entry *e = v, *end = v + b->topics[type].n; e != end; e++) {
		if (seq < e->min_seq)
			continue; /* subscribed after this event, or removed */
		if (e->nwords && !bus_entry_match(e, &ev->h))
			continue;
		b->delivered++;
		e->fn(e->arg, ev);
		if (b->topics_moved) {
			/* Rare: the same position in the new array (ev->h.type is the
			 * record's own type; nothing overwrites the record meanwhile). */
			b->topics_moved = false;
			const bus_entry *nv = b->topics[ev->h.type].v;
			e = nv + (e - v);
			end = nv + (end - v); /* the length seen at the start, as before */
			v = nv;
		}
	}
	if (seq == b->sample_wait_seq)
		bus_sample_finish(b);
}

/* Deliver queued events, oldest first, until the ring is empty. */
static void bus_drain_queue(bus_t *b)
{
	while (!bus_ring_empty(&b->ring)) {
		const th_event *ev = bus_ring_front(&b->ring);
		/* Read what the loop needs before handlers run. */
		const uint64_t s = ev->h.seq;
		const size_t f = bus_ring_footprint(ev->h.size);
		bus_deliver(b, ev, ev->h.type, s);
		bus_ring_pop(&b->ring, f);
	}
}

void bus_hold(bus_t *b)
{
	b->held++;
}

void bus_release(bus_t *b)
{
	if (b->held == 0 || --b->held > 0 || b->dispatching)
		return;
	b->dispatching = 1;
	bus_drain_queue(b);
	b->dispatching = 0;
	if (b->need_compact)
		bus_subs_compact(b);
}

static const char bus_err_full[] = "bus queue full: event dropped (raise bus queue_bytes or publish less from handlers)";

/* Bytes the bus stores for each fixed-size type (header + payload); 0 for
 * the variable-size ones (book, agent_msg, custom) and the unused index 0.
 * A table load instead of th_event_size()'s switch on the hot path;
 * bus_event_checked_size() stays the definition (the bus tests compare
 * both for every type). */
#define BUS_FIXED(t, payload) [t] = (uint16_t)(offsetof(th_event, u) + sizeof(payload))
static const uint16_t bus_fixed_size[TH_EV_TYPE_COUNT_] = {
	BUS_FIXED(TH_EV_TRADE, th_trade),           BUS_FIXED(TH_EV_QUOTE, th_quote),
	BUS_FIXED(TH_EV_BAR, th_bar),               BUS_FIXED(TH_EV_INTENT, th_intent),
	BUS_FIXED(TH_EV_ORDER, th_order_update),    BUS_FIXED(TH_EV_FILL, th_fill),
	BUS_FIXED(TH_EV_RISK, th_risk_decision),    BUS_FIXED(TH_EV_ALERT, th_alert),
	BUS_FIXED(TH_EV_LIFECYCLE, th_lifecycle),   BUS_FIXED(TH_EV_GOAL, th_goal),
};
#undef BUS_FIXED

/* Cold: count and explain a refused event. */
BUS_COLD static int bus_reject(bus_t *b, const th_event *ev)
{
	b->rejected_invalid++;
	if (!ev) {
		bus_set_error(b, "bus_publish: event is NULL");
		return TH_ERR_INVALID;
	}
	bus_event_explain(ev, b->errbuf, sizeof b->errbuf);
	b->err = b->errbuf;
	return TH_ERR_INVALID;
}

/* Fill a reserved ring record from *ev (size bytes; variable: the type's size
 * is not fixed). */
static inline void bus_fill(th_event *rec, const th_event *ev, uint32_t size, bool variable)
{
	if (variable) {
		bus_event_copy_bytes(rec, ev, size);
		if (rec->h.type == TH_EV_AGENT_MSG) {
			/* th_event_size() counted an unterminated text as 511 chars + NUL:
			 * make that last copied byte the NUL. */
			((char *)rec)[size - 1] = '\0';
			rec->u.agent_msg.kind[sizeof rec->u.agent_msg.kind - 1] = '\0';
		}
	} else {
		bus_event_copy(rec, ev, size);
	}
}

/* Stamp a filled record: size, seq, time. Returns its seq. */
static inline uint64_t bus_stamp_filled(bus_t *b, th_event *rec, uint32_t size)
{
	rec->h.size = size;
	const uint64_t seq = b->next_seq++;
	rec->h.seq = seq;
	if (rec->h.ts_ns == 0) {
		if (b->clock_now_ns)
			rec->h.ts_ns = *b->clock_now_ns;
		else if (b->clock_ns)
			rec->h.ts_ns = b->clock_ns(b->clock_arg);
	}
	if ((seq & b->sample_mask) == 0)
		bus_sample_start(b, seq);
	return seq;
}

static inline uint64_t bus_stamp(bus_t *b, th_event *rec, const th_event *ev, uint32_t size, bool variable)
{
	bus_fill(rec, ev, size, variable);
	return bus_stamp_filled(b, rec, size);
}

/* A filled and stamped record of `foot` ring bytes: queued (pushed already)
 * when dispatching or held; at top level it sits at the ring's first bytes
 * and is delivered with everything its handlers publish. */
static inline int bus_commit(bus_t *b, th_event *rec, size_t foot, uint32_t type, uint64_t seq, bool top)
{
	if (!top) {
		size_t used = bus_ring_used(&b->ring);
		if (used > b->high_water)
			b->high_water = used;
		return TH_OK;
	}
	b->ring.a_end = foot;
	if (foot > b->high_water)
		b->high_water = foot;
	b->dispatching = 1;
	bus_deliver(b, rec, type, seq);
	/* Each queued publish took a seq: none taken means the ring holds only this record. */
	if (b->next_seq == seq + 1) {
		b->ring.a_end = 0; /* the handlers queued nothing: empty again */
	} else {
		/* Release this record and deliver what the handlers queued. While
		 * this first record was in the ring nothing could wrap into region B
		 * (the ring only wraps below a_start, which was 0). */
		bus_ring_pop(&b->ring, foot);
		bus_drain_queue(b);
	}
	b->dispatching = 0;
	if (b->need_compact)
		bus_subs_compact(b);
	return TH_OK;
}

int bus_publish(bus_t *b, const th_event *ev)
{
	if (!b)
		return TH_ERR_INVALID;
	if (!ev)
		return bus_reject(b, ev);
	/* Validation (the same rules as bus_event_checked_size, which is the
	 * reference): known type, NUL-terminated filter fields; then the size
	 * from the table, or from the payload for the variable-size types. */
	const uint32_t type = ev->h.type;
	if (type - 1u >= (uint32_t)TH_EV_TYPE_COUNT_ - 1u ||
	    (ev->h.venue[TH_VENUE_MAX - 1] | ev->h.symbol[TH_SYMBOL_MAX - 1] | ev->h.agent[TH_NAME_MAX - 1]))
		return bus_reject(b, ev);
	uint32_t size = bus_fixed_size[type];
	const bool variable = size == 0;
	if (variable) {
		size = bus_event_checked_size(ev);
		if (size == 0)
			return bus_reject(b, ev);
	}
	const size_t foot = bus_ring_footprint(size);

	if (b->dispatching | b->held) {
		/* Inside a handler, or held: only queue; the running drain (or
		 * bus_release) delivers it. */
		th_event *rec = bus_ring_push(&b->ring, foot);
		if (!rec) {
			b->dropped_full++;
			b->err = bus_err_full;
			return TH_ERR_LIMIT;
		}
		return bus_commit(b, rec, foot, type, bus_stamp(b, rec, ev, size, variable), false);
	}

	/* Top level: neither dispatching nor held means every earlier event has
	 * been delivered, so the ring is empty and this record goes to its
	 * first bytes (which always fit: the ring holds two largest events). */
	assert(bus_ring_empty(&b->ring) && b->ring.a_start == 0 && b->ring.b_end == 0);
	th_event *rec = (th_event *)b->ring.buf;
	return bus_commit(b, rec, foot, type, bus_stamp(b, rec, ev, size, variable), true);
}

static void bus_write_names(th_event *ev, const char *venue, const char *agent)
{
	if (venue)
		th_strlcpy(ev->h.venue, venue, sizeof ev->h.venue);
	if (agent)
		th_strlcpy(ev->h.agent, agent, sizeof ev->h.agent);
	ev->h.flags = 0;
}

/* Cold: bus_publish_stamped() for an event that is refused or finds the
 * ring full. The stamped copy is made on the stack, as the host did before
 * the bus could stamp, so bus_publish() refuses or drops it with exactly its
 * own counters and message. */
BUS_COLD static int bus_publish_stamped_slow(bus_t *b, const th_event *ev, const char *venue, const char *agent)
{
	th_event copy;
	uint32_t size = th_event_size(ev);
	if (size > sizeof copy)
		return bus_reject(b, ev);
	memcpy(&copy, ev, size);
	bus_write_names(&copy, venue, agent);
	return bus_publish(b, &copy);
}

int bus_publish_stamped(bus_t *b, const th_event *ev, const char *venue, const char *agent)
{
	if (!b)
		return TH_ERR_INVALID;
	if (!ev)
		return bus_reject(b, ev);
	/* The names are checked after they are written (a plugin's unterminated
	 * agent field is fine: it gets overwritten), so only the type and the
	 * payload decide the size here. */
	const uint32_t type = ev->h.type;
	if (type - 1u >= (uint32_t)TH_EV_TYPE_COUNT_ - 1u)
		return bus_publish_stamped_slow(b, ev, venue, agent);
	uint32_t size = bus_fixed_size[type];
	const bool variable = size == 0;
	if (variable && (size = bus_event_body_size(ev)) == 0)
		return bus_publish_stamped_slow(b, ev, venue, agent);
	const size_t foot = bus_ring_footprint(size);
	const bool top = !(b->dispatching | b->held);
	th_event *rec;
	if (top) {
		assert(bus_ring_empty(&b->ring) && b->ring.a_start == 0 && b->ring.b_end == 0);
		rec = (th_event *)b->ring.buf; /* taken only by bus_commit (a_end) */
	} else if (!(rec = bus_ring_push(&b->ring, foot))) {
		return bus_publish_stamped_slow(b, ev, venue, agent); /* full: dropped and counted there */
	}
	bus_fill(rec, ev, size, variable);
	bus_write_names(rec, venue, agent);
	if (rec->h.venue[TH_VENUE_MAX - 1] | rec->h.symbol[TH_SYMBOL_MAX - 1] | rec->h.agent[TH_NAME_MAX - 1]) {
		if (!top)
			bus_ring_unpush(&b->ring, foot);
		return bus_publish_stamped_slow(b, ev, venue, agent);
	}
	return bus_commit(b, rec, foot, type, bus_stamp_filled(b, rec, size), top);
}

int bus_publish_in_place(bus_t *b, th_event *ev)
{
	if (!b || !ev || (b->dispatching | b->held))
		return bus_publish(b, ev);
	/* the same validation as bus_publish */
	const uint32_t type = ev->h.type;
	if (type - 1u >= (uint32_t)TH_EV_TYPE_COUNT_ - 1u ||
	    (ev->h.venue[TH_VENUE_MAX - 1] | ev->h.symbol[TH_SYMBOL_MAX - 1] | ev->h.agent[TH_NAME_MAX - 1]))
		return bus_reject(b, ev);
	const uint32_t size = bus_fixed_size[type];
	if (size == 0)
		return bus_publish(b, ev); /* variable size (book, custom, agent_msg): the copy normalises it */
	/* Top level: the ring is empty and stays so until a handler publishes;
	 * the event is delivered from the caller's buffer instead of ring bytes. */
	assert(bus_ring_empty(&b->ring));
	const uint64_t seq = bus_stamp_filled(b, ev, size);
	b->dispatching = 1;
	bus_deliver(b, ev, type, seq);
	/* Each queued publish took a seq: none taken means nothing is queued.
	 * (Compared as a difference: with `seq + 1` the compiler kept that sum
	 * in a stack slot across the handler calls.) */
	if (b->next_seq - seq != 1)
		bus_drain_queue(b);
	b->dispatching = 0;
	if (b->need_compact)
		bus_subs_compact(b);
	return TH_OK;
}

bool bus_dispatching(const bus_t *b)
{
	return b && b->dispatching;
}

uint64_t bus_next_seq(const bus_t *b)
{
	return b ? b->next_seq : 0;
}

void bus_get_stats(const bus_t *b, bus_stats *out)
{
	memset(out, 0, sizeof *out);
	if (!b)
		return;
	out->published = b->next_seq - 1; /* every accepted event took one seq, from 1 */
	out->delivered = b->delivered;
	out->dropped_full = b->dropped_full;
	out->rejected_invalid = b->rejected_invalid;
	out->queue_high_water = b->high_water;
	out->queue_capacity = b->ring.cap;
	out->subscribers = b->live_subs;
}

const bus_latency_hist *bus_latency(const bus_t *b)
{
	return b ? b->lat : NULL;
}

const char *bus_last_error(const bus_t *b)
{
	return b ? b->err : "no bus";
}
