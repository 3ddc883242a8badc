/*
 * bus_subs — subscribe, unsubscribe and the cleanup of the subscription tables.
 *
 * Not the hot path: tables grow here. Safety during dispatch rests on
 * three rules: (1) moving a topic list to a new array sets b->topics_moved,
 * which the dispatch loop checks after every handler call, so appending is safe;
 * (2) an appended entry's min_seq is the bus's next seq, above the seq of
 * every event already published, so the loop may stop at the length it saw
 * when the event's fan-out began; (3) entries are never moved or removed
 * while dispatching — removal only marks them dead (min_seq = BUS_SEQ_DEAD)
 * and compaction waits for the end of the drain.
 */
#include <stdlib.h>
#include <string.h>

#include "bus/bus_internal.h"

static int bus_grow(void **v, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t ncap = *cap ? *cap * 2 : 8;
	while (ncap < need)
		ncap *= 2;
	if (ncap > SIZE_MAX / elem)
		return -1;
	void *nv = realloc(*v, ncap * elem);
	if (!nv)
		return -1;
	*v = nv;
	*cap = ncap;
	return 0;
}

/* Room for `need` entries in a topic list. Entries are cache-line aligned
 * (bus_internal.h), which realloc does not promise: allocate aligned and copy. */
static int bus_topic_grow(bus_t *b, bus_topic_list *tl, size_t need)
{
	if (need <= tl->cap)
		return 0;
	size_t ncap = tl->cap ? tl->cap * 2 : 4;
	while (ncap < need)
		ncap *= 2;
	if (ncap > SIZE_MAX / sizeof *tl->v)
		return -1;
	bus_entry *nv = aligned_alloc(BUS_LINE, ncap * sizeof *nv);
	if (!nv)
		return -1;
	if (tl->n)
		memcpy(nv, tl->v, tl->n * sizeof *nv);
	if (b->dispatching && tl->v) {
		/* A running fan-out still holds pointers into the old array (it
		 * re-finds its place by pointer difference): keep it allocated until
		 * the drain ends. Its first bytes become the retired-list link; the
		 * loop reads no entry of it once it sees topics_moved. */
		memcpy(tl->v, &b->retired, sizeof b->retired);
		b->retired = tl->v;
		b->need_compact = true;
	} else {
		free(tl->v);
	}
	tl->v = nv;
	tl->cap = ncap;
	b->topics_moved = true; /* see bus_deliver */
	return 0;
}

int bus_subscribe(bus_t *b, const void *owner, const th_subscription *s, th_event_fn fn, void *arg,
                  uint64_t *id_out)
{
	if (!b)
		return TH_ERR_INVALID;
	if (!s || !fn) {
		bus_set_error(b, "bus_subscribe: %s is NULL", !s ? "the subscription" : "the handler");
		return TH_ERR_INVALID;
	}
	uint32_t topics = s->topics & BUS_TOPICS_KNOWN;
	if (topics == 0) {
		bus_set_error(b, "subscription topics 0x%08x select no known event type (use TH_TOPIC(type))",
		              (unsigned)s->topics);
		return TH_ERR_INVALID;
	}
	bus_entry e;
	memset(&e, 0, sizeof e);
	int rc = bus_filter_compile(b, s, &e);
	if (rc != TH_OK)
		return rc;

	/* Reserve everything first so nothing below can fail half-way. */
	if (bus_grow((void **)&b->subs, &b->subs_cap, b->nsubs + 1, sizeof *b->subs) != 0)
		goto nomem;
	for (unsigned t = 1; t < TH_EV_TYPE_COUNT_; t++) {
		bus_topic_list *tl = &b->topics[t];
		if ((topics & TH_TOPIC(t)) && bus_topic_grow(b, tl, tl->n + 1) != 0)
			goto nomem;
	}

	uint64_t id = b->next_id++;
	e.fn = fn;
	e.arg = arg;
	/* Receives seq >= next_seq: nothing already queued or being dispatched. */
	e.min_seq = b->next_seq;
	e.id = id;
	for (unsigned t = 1; t < TH_EV_TYPE_COUNT_; t++) {
		if (topics & TH_TOPIC(t)) {
			bus_topic_list *tl = &b->topics[t];
			tl->v[tl->n++] = e;
		}
	}
	b->subs[b->nsubs++] = (bus_sub){ .id = id, .owner = owner, .topics = topics, .live = true };
	b->live_subs++;
	if (id_out)
		*id_out = id;
	return TH_OK;

nomem:
	bus_set_error(b, "bus_subscribe: out of memory growing the subscription tables");
	return TH_ERR_NOMEM;
}

/* Registry index of live or dead sub `id`, or nsubs. The registry is in id order. */
static size_t bus_sub_find(const bus_t *b, uint64_t id)
{
	size_t lo = 0, hi = b->nsubs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (b->subs[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (lo < b->nsubs && b->subs[lo].id == id) ? lo : b->nsubs;
}

/* Mark a live sub and its topic entries dead; the tables are compacted later. */
static void bus_sub_kill(bus_t *b, bus_sub *s)
{
	for (unsigned t = 1; t < TH_EV_TYPE_COUNT_; t++) {
		if (!(s->topics & TH_TOPIC(t)))
			continue;
		bus_topic_list *tl = &b->topics[t];
		for (size_t i = 0; i < tl->n; i++) {
			if (tl->v[i].id == s->id) {
				tl->v[i].min_seq = BUS_SEQ_DEAD;
				break;
			}
		}
	}
	s->live = false;
	b->live_subs--;
	b->need_compact = true;
}

int bus_unsubscribe(bus_t *b, uint64_t id)
{
	if (!b)
		return TH_ERR_INVALID;
	size_t i = bus_sub_find(b, id);
	if (i == b->nsubs || !b->subs[i].live) {
		bus_set_error(b, "bus_unsubscribe: subscription %llu is not live", (unsigned long long)id);
		return TH_ERR_NOT_FOUND;
	}
	bus_sub_kill(b, &b->subs[i]);
	if (!b->dispatching)
		bus_subs_compact(b);
	return TH_OK;
}

size_t bus_unsubscribe_owner(bus_t *b, const void *owner)
{
	if (!b)
		return 0;
	size_t n = 0;
	for (size_t i = 0; i < b->nsubs; i++) {
		if (b->subs[i].live && b->subs[i].owner == owner) {
			bus_sub_kill(b, &b->subs[i]);
			n++;
		}
	}
	if (n && !b->dispatching)
		bus_subs_compact(b);
	return n;
}

/* Free the arrays bus_topic_grow retired during a drain. */
static void bus_free_retired(bus_t *b)
{
	while (b->retired) {
		void *next;
		memcpy(&next, b->retired, sizeof next);
		free(b->retired);
		b->retired = next;
	}
}

void bus_subs_compact(bus_t *b)
{
	bus_free_retired(b);
	for (unsigned t = 1; t < TH_EV_TYPE_COUNT_; t++) {
		bus_topic_list *tl = &b->topics[t];
		size_t w = 0;
		for (size_t r = 0; r < tl->n; r++) {
			if (tl->v[r].min_seq != BUS_SEQ_DEAD)
				tl->v[w++] = tl->v[r];
		}
		tl->n = w;
	}
	size_t w = 0;
	for (size_t r = 0; r < b->nsubs; r++) {
		if (b->subs[r].live)
			b->subs[w++] = b->subs[r];
	}
	b->nsubs = w;
	b->need_compact = false;
}

void bus_subs_free_all(bus_t *b)
{
	bus_free_retired(b);
	free(b->subs);
	b->subs = NULL;
	b->nsubs = b->subs_cap = b->live_subs = 0;
	for (unsigned t = 0; t < TH_EV_TYPE_COUNT_; t++) {
		free(b->topics[t].v);
		memset(&b->topics[t], 0, sizeof b->topics[t]);
	}
}
