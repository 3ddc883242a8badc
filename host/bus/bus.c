/*
 * bus — create/destroy, publish and the synchronous drain (the hot path).
 *
 * Per event the hot path does: validate + size (inline, a few compares),
 * reserve ring bytes (inline), one memcpy, stamp seq/size/ts, then walk the
 * event type's subscriber list calling each matching handler. No allocation,
 * no clock read unless ts_ns == 0 and a clock is set, no lock.
 */
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
	b->err = "";
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
static void bus_sample_start(bus_t *b, uint64_t seq)
{
	if (b->sample_count == BUS_SAMPLE_SLOTS)
		return; /* too many in flight (deeply nested publishing): skip this one */
	unsigned slot = (b->sample_head + b->sample_count) % BUS_SAMPLE_SLOTS;
	b->samples[slot] = (bus_sample){ .seq = seq, .t0_ns = bus_mono_ns() };
	b->sample_count++;
}

/* Cold: the fan-out of the oldest sampled event just finished. */
static void bus_sample_finish(bus_t *b)
{
	uint64_t now = bus_mono_ns();
	const bus_sample *s = &b->samples[b->sample_head];
	bus_latency_record(b->lat, now >= s->t0_ns ? now - s->t0_ns : 0);
	b->sample_head = (b->sample_head + 1) % BUS_SAMPLE_SLOTS;
	b->sample_count--;
}

/* Fan one event out to its type's subscribers. Handlers may publish (appends
 * to the ring, never over this record), subscribe (may realloc the topic
 * list: re-read each iteration) and unsubscribe (marks entries dead in
 * place: caught by the seq compare). */
static inline void bus_deliver(bus_t *b, const th_event *ev, uint32_t type, uint64_t seq)
{
	const bus_topic_list *tl = &b->topics[type];
	for (size_t i = 0; i < tl->n; i++) {
		const bus_entry *e = &tl->v[i];
		if (seq < e->min_seq)
			continue; /* subscribed after this event, or removed */
		if (e->filter && !bus_filter_match(e->filter, &ev->h))
			continue;
		b->delivered++;
		e->fn(e->arg, ev);
	}
	if (b->sample_count && b->samples[b->sample_head].seq == seq)
		bus_sample_finish(b);
}

/* Deliver the event just published at top level (the ring held nothing else,
 * so it is the front record; its type/seq/size are still in registers), then
 * whatever its handlers queued, oldest first. */
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

static void bus_drain(bus_t *b, const th_event *first, uint32_t type, uint64_t seq, size_t foot)
{
	b->dispatching = true;
	bus_deliver(b, first, type, seq);
	bus_ring_pop(&b->ring, foot);
	bus_drain_queue(b);
	b->dispatching = false;
	if (b->need_compact)
		bus_subs_compact(b);
}

void bus_hold(bus_t *b)
{
	b->held++;
}

void bus_release(bus_t *b)
{
	if (b->held == 0 || --b->held > 0 || b->dispatching)
		return;
	b->dispatching = true;
	bus_drain_queue(b);
	b->dispatching = false;
	if (b->need_compact)
		bus_subs_compact(b);
}

static const char bus_err_full[] = "bus queue full: event dropped (raise bus queue_bytes or publish less from handlers)";

int bus_publish(bus_t *b, const th_event *ev)
{
	if (!b)
		return TH_ERR_INVALID;
	if (!ev) {
		b->rejected_invalid++;
		bus_set_error(b, "bus_publish: event is NULL");
		return TH_ERR_INVALID;
	}
	uint32_t size = bus_event_checked_size(ev);
	if (size == 0) {
		b->rejected_invalid++;
		bus_event_explain(ev, b->errbuf, sizeof b->errbuf);
		b->err = b->errbuf;
		return TH_ERR_INVALID;
	}
	const size_t foot = bus_ring_footprint(size);
	th_event *rec = bus_ring_push(&b->ring, foot);
	if (!rec) {
		b->dropped_full++;
		b->err = bus_err_full;
		return TH_ERR_LIMIT;
	}
	bus_event_copy(rec, ev, size);
	rec->h.size = size;
	const uint64_t seq = b->next_seq++;
	rec->h.seq = seq;
	if (rec->h.ts_ns == 0 && b->clock_ns)
		rec->h.ts_ns = b->clock_ns(b->clock_arg);
	if (rec->h.type == TH_EV_AGENT_MSG) {
		/* th_event_size() counted an unterminated text as 511 chars + NUL:
		 * make that last copied byte the NUL. */
		((char *)rec)[size - 1] = '\0';
		rec->u.agent_msg.kind[sizeof rec->u.agent_msg.kind - 1] = '\0';
	}
	b->published++;
	size_t used = bus_ring_used(&b->ring);
	if (used > b->high_water)
		b->high_water = used;
	if (b->sample_mask && (seq & b->sample_mask) == 0)
		bus_sample_start(b, seq);
	if (!b->dispatching && !b->held)
		bus_drain(b, rec, ev->h.type, seq, foot);
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
	out->published = b->published;
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
