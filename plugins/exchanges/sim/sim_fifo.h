/*
 * sim — a growable FIFO of fixed-size items, for the venue's latency queues
 * (requests on their way to the engine, reports on their way to the host).
 * Items keep their order: with one constant latency, first in is first due.
 */
#ifndef SIM_FIFO_H
#define SIM_FIFO_H

#include <stddef.h>

#include "engine.h"

typedef struct sim_fifo {
	size_t count; /* first: the venue's per-event flush check reads only this (sim_plugin.c) */
	unsigned char *buf;
	size_t elem, cap, head;
	sim_alloc al;
} sim_fifo;

void sim_fifo_init(sim_fifo *f, size_t elem, const sim_alloc *al);
void sim_fifo_free(sim_fifo *f);
/* Copies `item` (elem bytes) to the tail. TH_OK or TH_ERR_NOMEM. */
int sim_fifo_push(sim_fifo *f, const void *item);
/* Appends an item the caller fills in place (its bytes are not cleared);
 * NULL when out of memory. Valid until the next push/pop. */
void *sim_fifo_push_slot(sim_fifo *f);
/* The oldest item, or NULL when empty; valid until the next push/pop. */
void *sim_fifo_peek(const sim_fifo *f);
void sim_fifo_pop(sim_fifo *f);
/* The i-th item, oldest first (i < count), without removing it. */
void *sim_fifo_at(const sim_fifo *f, size_t i);
size_t sim_fifo_count(const sim_fifo *f);

#endif
