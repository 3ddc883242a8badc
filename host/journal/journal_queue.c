#include "journal/journal_queue.h"

#include <stdlib.h>
#include <string.h>

int journal_buf_reserve(journal_buf *b, size_t extra)
{
	if (b->cap - b->len >= extra)
		return 0;
	size_t cap = b->cap ? b->cap : 64 * 1024;
	while (cap - b->len < extra) {
		if (cap > SIZE_MAX / 2)
			return -1;
		cap *= 2;
	}
	uint8_t *p = realloc(b->data, cap);
	if (!p)
		return -1;
	b->data = p;
	b->cap = cap;
	return 0;
}

void journal_buf_free(journal_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof *b);
}

static int cq_grow(journal_cq *q)
{
	size_t cap = q->cap ? q->cap * 2 : 256;
	journal_completion *items = malloc(cap * sizeof *items);
	if (!items)
		return -1;
	/* Unwrap the ring into the new array so head restarts at 0. */
	for (size_t i = 0; i < q->count; i++)
		items[i] = q->items[(q->head + i) & (q->cap - 1)];
	free(q->items);
	q->items = items;
	q->cap = cap;
	q->head = 0;
	return 0;
}

int journal_cq_reserve_one(journal_cq *q)
{
	return q->count == q->cap ? cq_grow(q) : 0;
}

int journal_cq_push(journal_cq *q, const journal_completion *c)
{
	if (q->count == q->cap && cq_grow(q) != 0)
		return -1;
	q->items[(q->head + q->count) & (q->cap - 1)] = *c;
	q->count++;
	return 0;
}

journal_completion *journal_cq_front(journal_cq *q)
{
	return q->count ? &q->items[q->head] : NULL;
}

void journal_cq_pop(journal_cq *q)
{
	if (q->count == 0)
		return;
	q->head = (q->head + 1) & (q->cap - 1);
	q->count--;
}

void journal_cq_free(journal_cq *q)
{
	free(q->items);
	memset(q, 0, sizeof *q);
}
