/*
 * bus_ring — the bus queue: a bounded byte ring of contiguous, variable-length
 * records (a "bip buffer").
 *
 * Why this shape: a handler receives `const th_event *` pointing straight into
 * the ring, so every record must be contiguous and 8-byte aligned; a classic
 * byte ring would split records at the end of the buffer. A bip buffer keeps
 * two regions instead:
 *
 *     [0, b_end)            region B: newest records, written after a wrap
 *     [a_start, a_end)      region A: oldest records, read from a_start
 *
 * Writes append to A while it has room at the top of the buffer, then start
 * B at offset 0 (only if the record fits below a_start). Once B exists, all
 * writes go to B until A is fully read; then B becomes A. Reads are FIFO
 * (A before B), so publication order is kept.
 *
 * When the ring becomes empty both regions collapse to offset 0. Because the
 * bus drains synchronously, the ring is empty at the start of almost every
 * top-level publish, so the hot path keeps writing the same cache lines.
 *
 * The record at the front is never overwritten while it is being read: a
 * record is released by bus_ring_pop() only after its fan-out completes, and
 * writes never touch [a_start, a_end).
 *
 * Single-threaded (the loop thread owns the bus); no locks.
 */
#ifndef TH_BUS_RING_H
#define TH_BUS_RING_H

#include <stdbool.h>
#include <stddef.h>

#define BUS_RING_ALIGN 8u

typedef struct bus_ring {
	unsigned char *buf;
	size_t cap;      /* bytes; a multiple of BUS_RING_ALIGN */
	size_t a_start;  /* region A: [a_start, a_end) */
	size_t a_end;
	size_t b_end;    /* region B: [0, b_end); 0 = no region B */
} bus_ring;

/* Round n up to the record alignment. */
static inline size_t bus_ring_footprint(size_t n)
{
	return (n + (BUS_RING_ALIGN - 1)) & ~(size_t)(BUS_RING_ALIGN - 1);
}

/* Allocate `cap` bytes (rounded up to a cache line). Returns 0 or -1 (out of memory). */
int bus_ring_init(bus_ring *r, size_t cap);
void bus_ring_free(bus_ring *r);

static inline bool bus_ring_empty(const bus_ring *r)
{
	return r->a_start == r->a_end;
}

/* Bytes currently held, including alignment padding. */
static inline size_t bus_ring_used(const bus_ring *r)
{
	return (r->a_end - r->a_start) + r->b_end;
}

/* Reserve `n` bytes (n must be a multiple of BUS_RING_ALIGN) at the back of
 * the queue and commit them: the caller fills the record before the next
 * ring call. Returns NULL when the ring has no contiguous room for n bytes. */
static inline void *bus_ring_push(bus_ring *r, size_t n)
{
	size_t at;
	if (r->b_end != 0) {
		/* B exists: it may grow up to the start of A. */
		if (r->a_start - r->b_end < n)
			return NULL;
		at = r->b_end;
		r->b_end += n;
		return r->buf + at;
	}
	if (r->cap - r->a_end >= n) {
		at = r->a_end;
		r->a_end += n;
		return r->buf + at;
	}
	/* No room at the top: wrap into B if the record fits below A. */
	if (r->a_start >= n) {
		r->b_end = n;
		return r->buf;
	}
	return NULL;
}

/* Take back the record that the last bus_ring_push(r, n) returned, with no
 * other push or pop since: a publish that finds its record refused after
 * filling it (bus_publish_stamped). A push either grew region B (possibly
 * from nothing: the wrap) or, with no region B, grew region A. */
static inline void bus_ring_unpush(bus_ring *r, size_t n)
{
	if (r->b_end != 0)
		r->b_end -= n;
	else
		r->a_end -= n;
}

/* The oldest record; only valid when the ring is not empty. */
static inline void *bus_ring_front(const bus_ring *r)
{
	return r->buf + r->a_start;
}

/* Release the oldest record, whose footprint is `n` bytes. */
static inline void bus_ring_pop(bus_ring *r, size_t n)
{
	r->a_start += n;
	if (r->a_start == r->a_end) {
		/* A is exhausted: B (possibly empty) becomes the new A. */
		r->a_start = 0;
		r->a_end = r->b_end;
		r->b_end = 0;
	}
}

#endif
