/*
 * bus_subs — subscribe, unsubscribe and the cleanup of the subscription tables.
 *
 * Not the hot path: tables grow with realloc here. Safety during dispatch
 * rests on two rules: (1) the dispatch loop re-reads a topic list's array and
 * length after every handler call, so appending (even with realloc) is safe;
 * (2) entries are never moved or removed while dispatching — removal only
 * marks them dead (min_seq = BUS_SEQ_DEAD) and compaction waits for the end
 * of the drain.
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

/* Copy one optional filter string; "" and NULL mean "any". */
static int bus_filter_set(bus_t *b, const char *key, const char *src, char *dst, size_t field, uint8_t *len_out)
{
	*len_out = 0;
	if (!src || !*src)
		return TH_OK;
	size_t n = strnlen(src, field);
	if (n >= field) {
		bus_set_error(b, "subscription filter '%s' (\"%.*s...\") is longer than the header field allows (%zu bytes max)",
		              key, 24, src, field - 1);
		return TH_ERR_INVALID;
	}
	memcpy(dst, src, n + 1);
	*len_out = (uint8_t)n;
	return TH_OK;
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
	bus_filter f;
	memset(&f, 0, sizeof f);
	int rc = bus_filter_set(b, "venue", s->venue, f.venue, sizeof f.venue, &f.venue_len);
	if (rc == TH_OK)
		rc = bus_filter_set(b, "symbol", s->symbol, f.symbol, sizeof f.symbol, &f.symbol_len);
	if (rc == TH_OK)
		rc = bus_filter_set(b, "agent", s->agent, f.agent, sizeof f.agent, &f.agent_len);
	if (rc != TH_OK)
		return rc;

	/* Reserve everything first so nothing below can fail half-way. */
	if (bus_grow((void **)&b->subs, &b->subs_cap, b->nsubs + 1, sizeof *b->subs) != 0)
		goto nomem;
	for (unsigned t = 1; t < TH_EV_TYPE_COUNT_; t++) {
		bus_topic_list *tl = &b->topics[t];
		if ((topics & TH_TOPIC(t)) && bus_grow((void **)&tl->v, &tl->cap, tl->n + 1, sizeof *tl->v) != 0)
			goto nomem;
	}
	bus_filter *fp = NULL;
	if (f.venue_len | f.symbol_len | f.agent_len) {
		fp = malloc(sizeof *fp);
		if (!fp)
			goto nomem;
		*fp = f;
	}

	uint64_t id = b->next_id++;
	/* Receives seq >= next_seq: nothing already queued or being dispatched. */
	bus_entry e = { .fn = fn, .arg = arg, .min_seq = b->next_seq, .filter = fp, .id = id };
	for (unsigned t = 1; t < TH_EV_TYPE_COUNT_; t++) {
		if (topics & TH_TOPIC(t)) {
			bus_topic_list *tl = &b->topics[t];
			tl->v[tl->n++] = e;
		}
	}
	b->subs[b->nsubs++] = (bus_sub){ .id = id, .owner = owner, .topics = topics, .live = true, .filter = fp };
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

void bus_subs_compact(bus_t *b)
{
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
		else
			free(b->subs[r].filter);
	}
	b->nsubs = w;
	b->need_compact = false;
}

void bus_subs_free_all(bus_t *b)
{
	for (size_t i = 0; i < b->nsubs; i++)
		free(b->subs[i].filter);
	free(b->subs);
	b->subs = NULL;
	b->nsubs = b->subs_cap = b->live_subs = 0;
	for (unsigned t = 0; t < TH_EV_TYPE_COUNT_; t++) {
		free(b->topics[t].v);
		memset(&b->topics[t], 0, sizeof b->topics[t]);
	}
}
