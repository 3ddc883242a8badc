/*
 * Growable containers reused for the life of a journal so the append hot
 * path does not allocate per record: a byte buffer for encoded records and
 * a FIFO ring of async completions. Both only grow (doubling), so after
 * warm-up they never touch the allocator.
 */
#ifndef HOST_JOURNAL_JOURNAL_QUEUE_H
#define HOST_JOURNAL_JOURNAL_QUEUE_H

#include <stddef.h>
#include <stdint.h>

#include "journal/journal.h"

typedef struct journal_buf {
	uint8_t *data;
	size_t len;
	size_t cap;
} journal_buf;

/* Ensures room for `extra` more bytes. 0 / -1 (ENOMEM). */
int journal_buf_reserve(journal_buf *b, size_t extra);
void journal_buf_free(journal_buf *b);

typedef struct journal_completion {
	uint64_t lsn;
	journal_done_fn fn;
	void *arg;
	int status;
} journal_completion;

typedef struct journal_cq {
	journal_completion *items;
	size_t cap;  /* power of two (or 0) */
	size_t head; /* index of the oldest entry */
	size_t count;
} journal_cq;

/* Makes room for one more entry so the following push cannot fail. 0 / -1 (ENOMEM). */
int journal_cq_reserve_one(journal_cq *q);
int journal_cq_push(journal_cq *q, const journal_completion *c); /* 0 / -1 (ENOMEM) */
journal_completion *journal_cq_front(journal_cq *q);             /* NULL when empty */
void journal_cq_pop(journal_cq *q);
void journal_cq_free(journal_cq *q);

#endif
