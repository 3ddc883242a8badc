#include "runtime/timers.h"

#include <stdlib.h>

typedef struct timer {
	uint64_t id;
	int64_t due_ns;
	int64_t interval_ns;
	const void *owner;
	th_timer_fn fn;
	void *arg;
} timer;

struct timers {
	timers_head head; /* first: timers_next_due() reads it through the opaque pointer */
	timer *heap;
	size_t len, cap;
	uint64_t next_id;
};

timers_t *timers_create(void)
{
	timers_t *t = calloc(1, sizeof *t);
	if (t) {
		t->next_id = 1;
		t->head.next_due_ns = INT64_MAX;
	}
	return t;
}

void timers_destroy(timers_t *t)
{
	if (!t)
		return;
	free(t->heap);
	free(t);
}

static int before(const timer *a, const timer *b)
{
	return a->due_ns < b->due_ns || (a->due_ns == b->due_ns && a->id < b->id);
}

static void swap(timer *a, timer *b)
{
	timer x = *a;
	*a = *b;
	*b = x;
}

static void sift_up(timers_t *t, size_t i)
{
	while (i > 0) {
		size_t p = (i - 1) / 2;
		if (!before(&t->heap[i], &t->heap[p]))
			break;
		swap(&t->heap[i], &t->heap[p]);
		i = p;
	}
}

static void sift_down(timers_t *t, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < t->len && before(&t->heap[l], &t->heap[m]))
			m = l;
		if (r < t->len && before(&t->heap[r], &t->heap[m]))
			m = r;
		if (m == i)
			return;
		swap(&t->heap[i], &t->heap[m]);
		i = m;
	}
}

/* Every heap change ends here: the cached earliest due time follows the heap. */
static void refresh_due(timers_t *t)
{
	t->head.next_due_ns = t->len ? t->heap[0].due_ns : INT64_MAX;
}

static void remove_at(timers_t *t, size_t i)
{
	t->heap[i] = t->heap[--t->len];
	if (i < t->len) {
		sift_down(t, i);
		sift_up(t, i);
	}
	refresh_due(t);
}

int timers_add(timers_t *t, const void *owner, int64_t due_ns, int64_t interval_ns, th_timer_fn fn, void *arg,
	uint64_t *id_out)
{
	if (!fn || interval_ns < 0)
		return TH_ERR_INVALID;
	if (t->len == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 32;
		timer *h = realloc(t->heap, cap * sizeof *h);
		if (!h)
			return TH_ERR_NOMEM;
		t->heap = h;
		t->cap = cap;
	}
	timer *e = &t->heap[t->len++];
	e->id = t->next_id++;
	e->due_ns = due_ns;
	e->interval_ns = interval_ns;
	e->owner = owner;
	e->fn = fn;
	e->arg = arg;
	if (id_out)
		*id_out = e->id;
	sift_up(t, t->len - 1);
	refresh_due(t);
	return TH_OK;
}

int timers_cancel(timers_t *t, const void *owner, uint64_t id)
{
	for (size_t i = 0; i < t->len; i++) {
		if (t->heap[i].id == id) {
			if (owner && t->heap[i].owner != owner)
				return TH_ERR_NOT_FOUND;
			remove_at(t, i);
			return TH_OK;
		}
	}
	return TH_ERR_NOT_FOUND;
}

size_t timers_cancel_owner(timers_t *t, const void *owner)
{
	size_t n = 0;
	for (size_t i = 0; i < t->len;) {
		if (t->heap[i].owner == owner) {
			remove_at(t, i);
			n++;
			i = 0; /* heap order changed; restart (stop is rare, timers are few) */
		} else {
			i++;
		}
	}
	return n;
}

const int64_t *timers_next_due_ptr(const timers_t *t)
{
	return &t->head.next_due_ns;
}

size_t timers_pending(const timers_t *t)
{
	return t->len;
}

size_t timers_run_due(timers_t *t, int64_t now_ns, int catch_up)
{
	size_t fired = 0;
	while (t->len && t->heap[0].due_ns <= now_ns) {
		timer e = t->heap[0];
		/* Re-arm or remove before calling out: the callback may add or cancel timers. */
		if (e.interval_ns > 0) {
			int64_t next = e.due_ns + e.interval_ns;
			if (!catch_up && next <= now_ns)
				next = now_ns + e.interval_ns; /* skip the periods a stall swallowed */
			t->heap[0].due_ns = next;
			sift_down(t, 0);
			refresh_due(t);
		} else {
			remove_at(t, 0);
		}
		e.fn(e.arg, e.id);
		fired++;
	}
	return fired;
}
