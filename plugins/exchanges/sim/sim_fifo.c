/*
 * sim — growable ring-buffer FIFO (see sim_fifo.h).
 */
#include <stdlib.h>
#include <string.h>

#include "sim_fifo.h"

static void *sim_fifo_alloc(const sim_fifo *f, size_t n)
{
	return f->al.alloc ? f->al.alloc(f->al.ud, n) : malloc(n);
}

static void sim_fifo_release(const sim_fifo *f, void *p)
{
	if (!p)
		return;
	if (f->al.free)
		f->al.free(f->al.ud, p);
	else
		free(p);
}

void sim_fifo_init(sim_fifo *f, size_t elem, const sim_alloc *al)
{
	memset(f, 0, sizeof *f);
	f->elem = elem;
	if (al)
		f->al = *al;
}

void sim_fifo_free(sim_fifo *f)
{
	sim_fifo_release(f, f->buf);
	f->buf = NULL;
	f->cap = f->head = f->count = 0;
}

void *sim_fifo_push_slot(sim_fifo *f)
{
	if (f->count == f->cap) {
		size_t ncap = f->cap ? f->cap * 2 : 16;
		if (ncap > SIZE_MAX / f->elem)
			return NULL;
		unsigned char *n = sim_fifo_alloc(f, ncap * f->elem);
		if (!n)
			return NULL;
		/* Unwrap the ring into the new buffer, oldest first. */
		for (size_t i = 0; i < f->count; i++)
			memcpy(n + i * f->elem, f->buf + ((f->head + i) % f->cap) * f->elem, f->elem);
		sim_fifo_release(f, f->buf);
		f->buf = n;
		f->cap = ncap;
		f->head = 0;
	}
	size_t tail = f->head + f->count;
	if (tail >= f->cap)
		tail -= f->cap;
	f->count++;
	return f->buf + tail * f->elem;
}

int sim_fifo_push(sim_fifo *f, const void *item)
{
	void *slot = sim_fifo_push_slot(f);
	if (!slot)
		return TH_ERR_NOMEM;
	memcpy(slot, item, f->elem);
	return TH_OK;
}

void *sim_fifo_peek(const sim_fifo *f)
{
	return f->count ? f->buf + f->head * f->elem : NULL;
}

void *sim_fifo_at(const sim_fifo *f, size_t i)
{
	return i < f->count ? f->buf + ((f->head + i) % f->cap) * f->elem : NULL;
}

void sim_fifo_pop(sim_fifo *f)
{
	if (!f->count)
		return;
	/* Emptied: start again at the first slot. The venue's queues hold a
	 * few items at a time and are emptied after every request and market
	 * event, so they keep reusing the same few (cache-hot) slots instead
	 * of walking the whole ring, a slot per report. */
	if (--f->count == 0)
		f->head = 0;
	else if (++f->head == f->cap) /* not %: a division per report */
		f->head = 0;
}

size_t sim_fifo_count(const sim_fifo *f)
{
	return f->count;
}
