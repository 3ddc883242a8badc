#include "oms/oms_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"

int oms_is_terminal(uint32_t s)
{
	return s == TH_ORDER_FILLED || s == TH_ORDER_CANCELED || s == TH_ORDER_REJECTED || s == TH_ORDER_EXPIRED;
}

oms_t *oms_create(const oms_env *env, const oms_options *opt, journal_t *journal, capital_t *capital, char *err,
	size_t errlen)
{
	oms_t *o = calloc(1, sizeof *o);
	if (!o) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	o->env = *env;
	if (opt)
		o->opt = *opt;
	if (!o->opt.clid_prefix)
		o->opt.clid_prefix = "th";
	if (strlen(o->opt.clid_prefix) > 8) {
		snprintf(err, errlen, "oms: client order id prefix \"%s\" is longer than 8 characters", o->opt.clid_prefix);
		free(o);
		return NULL;
	}
	if (o->opt.market_reserve_bps <= 0)
		o->opt.market_reserve_bps = 100;
	if (o->opt.fee_reserve_bps <= 0)
		o->opt.fee_reserve_bps = 10;
	if (o->opt.requery_ns <= 0)
		o->opt.requery_ns = 1000000000LL;
	o->prefix_len = strlen(o->opt.clid_prefix);
	o->journal = journal;
	o->capital = capital;
	o->by_clid = strmap_create();
	o->next_counter = 1;
	o->next_api_goal = 1;
	if (!o->by_clid) {
		oms_destroy(o);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	return o;
}

void oms_destroy(oms_t *o)
{
	if (!o)
		return;
	strmap_destroy(o->by_clid);
	free(o->by_counter);
	for (size_t i = 0; i < o->norders; i++)
		strmap_destroy(oms_order_ref(o, i)->more_trades);
	for (size_t k = 0; k < o->nchunks; k++)
		oms_chunk_free(o->chunks[k]);
	free(o->chunks);
	free(o->open);
	free(o->paused);
	free(o->pending);
	free(o->api_goals);
	free(o);
}

/* The counter of a clid that is exactly what oms_submit.c makes of it with
 * this host's prefix: the prefix, then the counter in decimal, zero-padded
 * to 12 digits and otherwise without leading zeros. That text and the
 * counter determine each other, so two different clids never share a
 * counter. 1 and *counter, or 0 for anything else (another prefix, an
 * older journal's ids, padding that differs, a number past 64 bits). */
static int own_counter(const oms_t *o, const char *clid, uint64_t *counter)
{
	/* Every venue report runs this: the prefix (at most 8 characters) is
	 * compared in line and the overflow test, a division, is only needed
	 * for a 20th digit (19 digits always fit in 64 bits). */
	const char *p = o->opt.clid_prefix;
	for (size_t k = 0; k < o->prefix_len; k++)
		if (clid[k] != p[k])
			return 0;
	const char *d = clid + o->prefix_len;
	size_t n = 0;
	uint64_t c = 0;
	for (; n < 12; n++) { /* the 12 digits every canonical id has (a NUL is not a digit) */
		unsigned digit = (unsigned)(d[n] - '0');
		if (digit > 9)
			return 0;
		c = c * 10 + digit;
	}
	for (; d[n]; n++) {
		unsigned digit = (unsigned)(d[n] - '0');
		if (digit > 9 || n == 20 || (n == 19 && c > (UINT64_MAX - digit) / 10))
			return 0;
		c = c * 10 + digit;
	}
	if (n > 12 && d[0] == '0')
		return 0;
	*counter = c;
	return 1;
}

/* Counters past this stay in the hash: a stray huge id (a hand-edited or
 * foreign journal) must not allocate a huge array. Ours run from 1 up. */
static int dense_covers(const oms_t *o, uint64_t c)
{
	uint64_t room = (uint64_t)o->norders > o->next_counter ? (uint64_t)o->norders : o->next_counter;
	return c < 65536 || c / 2 <= room;
}

oms_order *oms_find_own(oms_t *o, const char *clid, uint64_t c)
{
	int64_t i;
	if (c < o->nby_counter && o->by_counter[c])
		return oms_order_ref(o, o->by_counter[c] - 1);
	if (!o->own_in_hash)
		return NULL; /* every own canonical clid is in the array */
	return strmap_get(o->by_clid, clid, &i) ? oms_order_ref(o, (size_t)i) : NULL;
}

static oms_order *find_indexed(oms_t *o, const char *clid)
{
	int64_t i;
	uint64_t c;
	if (own_counter(o, clid, &c))
		return oms_find_own(o, clid, c);
	return strmap_get(o->by_clid, clid, &i) ? oms_order_ref(o, (size_t)i) : NULL;
}

oms_order *oms_find(oms_t *o, const char *clid)
{
	/* A venue reports on one order several times in a row (accepted, fill,
	 * done): the last order found answers those with one compare. Nothing
	 * can make it stale: records never move (chunks), are never removed and
	 * never change their client order id. */
	oms_order *last = o->last_found;
	if (last && strcmp(last->order.client_order_id, clid) == 0)
		return last;
	oms_order *ord = find_indexed(o, clid);
	if (ord)
		o->last_found = ord;
	return ord;
}

int oms_index_put(oms_t *o, const char *clid, size_t idx)
{
	uint64_t c;
	if (own_counter(o, clid, &c))
		return oms_index_put_own(o, clid, c, idx);
	return strmap_put(o->by_clid, clid, (int64_t)idx) < 0 ? -1 : 0;
}

int oms_index_put_own(oms_t *o, const char *clid, uint64_t c, size_t idx)
{
	if (dense_covers(o, c) && idx < UINT32_MAX) {
		if (c >= o->nby_counter) {
			size_t n = o->nby_counter ? o->nby_counter : 1024;
			while (n <= c)
				n *= 2;
			uint32_t *grown = realloc(o->by_counter, n * sizeof *grown);
			if (!grown)
				return -1;
			memset(grown + o->nby_counter, 0, (n - o->nby_counter) * sizeof *grown);
			o->by_counter = grown;
			o->nby_counter = n;
		}
		o->by_counter[c] = (uint32_t)idx + 1;
		return 0;
	}
	int rc = strmap_put(o->by_clid, clid, (int64_t)idx);
	if (rc < 0)
		return -1;
	if (rc == 0)
		o->own_in_hash++;
	return 0;
}

void oms_halt_journal(oms_t *o)
{
	if (o->halt_text[0])
		return;
	snprintf(o->halt_text, sizeof o->halt_text, "journal failure, trading halted: %s",
		o->journal ? journal_error(o->journal) : "unknown");
	log_error("%s", o->halt_text);
	th_event ev;
	th_event_init(&ev, TH_EV_ALERT);
	memset(&ev.u.alert, 0, sizeof ev.u.alert);
	ev.u.alert.level = TH_ALERT_CRITICAL;
	th_strlcpy(ev.u.alert.code, "journal_failed", sizeof ev.u.alert.code);
	th_strlcpy(ev.u.alert.text, o->halt_text, sizeof ev.u.alert.text);
	o->env.publish(o->env.ctx, &ev);
}

oms_halt_reason oms_halted(const oms_t *o)
{
	if (o->journal && journal_failed(o->journal))
		return OMS_HALT_JOURNAL;
	if (o->operator_halt)
		return OMS_HALT_OPERATOR;
	if (o->unresolved)
		return OMS_HALT_RECONCILING;
	return OMS_RUNNING;
}

const char *oms_halt_text(const oms_t *o)
{
	switch (oms_halted(o)) {
	case OMS_HALT_JOURNAL: return "trading halted: the journal failed (no order can be made durable)";
	case OMS_HALT_OPERATOR: return "trading halted by the operator";
	case OMS_HALT_RECONCILING: return "trading halted: reconciling orders with the venues after a restart";
	default: return "running";
	}
}

void oms_set_operator_halt(oms_t *o, int halted)
{
	o->operator_halt = halted;
}

static void no_follow_up(void *arg, uint64_t lsn, int status)
{
	(void)lsn;
	if (status != 0)
		oms_halt_journal(arg);
}

int oms_pending_push(oms_t *o, size_t idx)
{
	if (o->pending_len == o->pending_cap) {
		size_t cap = o->pending_cap ? o->pending_cap * 2 : 64;
		size_t *p = realloc(o->pending, cap * sizeof *p);
		if (!p)
			return -1;
		o->pending = p;
		o->pending_cap = cap;
	}
	o->pending[o->pending_len++] = idx;
	return 0;
}

/* Every record goes through the worker (group commit): the loop never waits
 * for a disk. Only ORDER_NEW has a follow-up (the send). */
int oms_journal(oms_t *o, uint16_t type, size_t len, journal_done_fn done, void *arg)
{
	if (o->replaying || !o->journal)
		return 0;
	if (!done) {
		done = no_follow_up;
		arg = o;
	}
	int rc = journal_append_async(o->journal, type, o->env.now_ns(o->env.ctx), o->buf, len, done, arg, NULL);
	if (rc != 0) {
		oms_halt_journal(o);
		return -1;
	}
	return 0;
}

void oms_publish_order(oms_t *o, const oms_order *ord)
{
	if (o->replaying)
		return;
	/* One per order event: the record's string fields are NUL-padded to
	 * the event's field sizes (oms_order), so whole-field copies give the
	 * same bytes as th_strlcpy into a zeroed event, without a strlen each. */
	_Static_assert(sizeof ord->venue == sizeof ((th_event *)0)->h.venue, "venue field sizes");
	_Static_assert(sizeof ord->order.symbol == sizeof ((th_event *)0)->h.symbol, "symbol field sizes");
	_Static_assert(sizeof ord->agent == sizeof ((th_event *)0)->h.agent, "agent field sizes");
	_Static_assert(sizeof ord->order.client_order_id == sizeof ((th_order_update *)0)->client_order_id,
		"client order id field sizes");
	_Static_assert(sizeof ord->venue_order_id == sizeof ((th_order_update *)0)->venue_order_id,
		"venue order id field sizes");
	_Static_assert(sizeof ord->reason == sizeof ((th_order_update *)0)->reason, "reason field sizes");
	th_event ev;
	th_event_init(&ev, TH_EV_ORDER);
	ev.h.flags = TH_EVENT_FLAG_OMS;
	memcpy(ev.h.venue, ord->venue, sizeof ev.h.venue);
	memcpy(ev.h.symbol, ord->order.symbol, sizeof ev.h.symbol);
	memcpy(ev.h.agent, ord->agent, sizeof ev.h.agent);
	th_order_update *u = &ev.u.order;
	memset(u, 0, sizeof *u);
	memcpy(u->client_order_id, ord->order.client_order_id, sizeof u->client_order_id);
	memcpy(u->venue_order_id, ord->venue_order_id, sizeof u->venue_order_id);
	u->state = ord->state;
	u->side = ord->order.side;
	u->qty = ord->order.qty;
	u->filled_qty = ord->filled;
	u->price = ord->order.price;
	u->price_scale = ord->order.price_scale;
	u->qty_scale = ord->order.qty_scale;
	memcpy(u->reason, ord->reason, sizeof u->reason);
	u->intent_id = ord->intent_id;
	o->env.publish(o->env.ctx, &ev);
}

void oms_finish(oms_t *o, oms_order *ord)
{
	if (ord->reserved) {
		capital_release(o->capital, ord->order.client_order_id);
		ord->reserved = 0;
	}
}

/* --- read side --- */

size_t oms_order_count(const oms_t *o)
{
	return o->norders;
}

int oms_order_at(const oms_t *o, size_t i, oms_order_view *out)
{
	if (i >= o->norders)
		return -1;
	const oms_order *ord = oms_order_ref(o, i);
	out->client_order_id = ord->order.client_order_id;
	out->agent = ord->agent;
	out->farm = ord->farm;
	out->venue = ord->venue;
	out->order = &ord->order;
	out->state = ord->state;
	out->filled_qty = ord->filled;
	out->created_ns = ord->created_ns;
	out->updated_ns = ord->updated_ns;
	out->reason = ord->reason;
	return 0;
}

/* Final states are final, so the open list only ever loses members:
 * dropping the terminal ones keeps every scan O(open orders), not O(all
 * orders ever made). */
size_t oms_open_orders(oms_t *o)
{
	size_t k = 0;
	for (size_t i = 0; i < o->nopen; i++)
		if (!oms_is_terminal(oms_order_ref(o, o->open[i])->state))
			o->open[k++] = o->open[i];
	o->nopen = k;
	return k;
}

int oms_open_order_at(const oms_t *o, size_t k, oms_order_view *out)
{
	return k < o->nopen ? oms_order_at(o, o->open[k], out) : -1;
}

size_t oms_open_order_count(const oms_t *o)
{
	size_t n = 0;
	for (size_t i = 0; i < o->nopen; i++)
		n += !oms_is_terminal(oms_order_ref(o, o->open[i])->state);
	return n;
}

uint64_t oms_fill_count(const oms_t *o)
{
	return o->fills;
}

uint64_t oms_sent_count(const oms_t *o)
{
	return o->sent;
}

void oms_poll(oms_t *o)
{
	if (o->journal)
		journal_poll_completions(o->journal);
}
