/*
 * sim — the plugin glue: descriptor, lifecycle, th_exchange_api, latency
 * queues, persistence and market subscription around the pure engine.
 *
 * Message path:  host --submit/cancel/query--> inbox --(latency_ms)--> engine
 *                engine --reports--> outbox --(latency_ms)--> bus (TH_EV_ORDER/FILL)
 * Both delays run on host timers, so a backtest (simulated clock) and a paper
 * run (wall clock) behave the same. With latency 0 a request is handled inside
 * the call and its reports are published at once: publish() only queues, so
 * the host never sees a callback inside submit().
 *
 * Persistence (persist = true): after every engine change the whole state is
 * written with state_put *before* the reports it caused are published, like a
 * venue that commits before it acknowledges; so after a SIGKILL the venue
 * never has fewer fills than the host was told about. On a crash, requests
 * and reports still in a latency queue were in flight on the "network" and
 * are lost with the process; the host recovers them with query(). A hot
 * reload hands them over instead (export_state, sim_handover.h).
 */
#include <stdio.h>
#include <string.h>

#include <tradehost/tradehost.h>

#include "engine.h"
#include "engine_internal.h" /* sim_engine_bar_idle: the per-bar fast path, inline */
#include "sim_config.h"
#include "sim_fifo.h"
#include "sim_handover.h"
#include "sim_market_key.h"

#define SIM_STATE_KEY "sim.state"
#define SIM_DUPLICATES_KEY "sim.duplicates" /* ASCII decimal: resubmitted client order ids */
#define SIM_STATE_MAX ((size_t)1 << 20) /* th_host_api.state_put limit */
#define SIM_RETRY_NS 1000000            /* bus full: try publishing again after 1 ms */

typedef struct sim_timer {
	int armed;
	uint64_t id;
} sim_timer;

typedef struct sim_venue {
	/* What every market event reads (sim_on_market, once per bar of a
	 * replay), together at the start so it spans one or two cache lines
	 * rather than five: the engine, the symbol keys (described below), the
	 * flush check and the outbox's count (sim_fifo keeps it first). */
	sim_engine *engine;
	sim_key *symbol_keys;
	size_t last_book;
	uint64_t quiet_changes;
	int started, stopped;
	sim_fifo outbox;

	const th_host_api *api;
	th_ctx *ctx;
	sim_settings set;
	sim_fifo inbox;
	sim_timer in_timer, out_timer;
	int subscribed;
	uint64_t sub_id;
	uint64_t saved_changes; /* engine change count last written to the state store */
	uint64_t duplicates;    /* submits of a client order id the venue already had */
	int persist_failing;    /* log a failing state_put once, not at every change */
	int metrics_ok;
	int64_t open_reported;      /* last value given to the sim_open_orders gauge (-1: none yet) */
	uint32_t m_accepted, m_rejected, m_fills, m_open;

	/* symbol_keys: market events are matched to instruments by key, not by
	 * string compares (see sim_market_key.h): one per instrument, in the
	 * engine's instrument order, so a key's index is the engine's book
	 * index. `last_book` is the instrument of the previous event: a replay
	 * usually streams one symbol. Fixed at create. */
	char venue_name[TH_VENUE_MAX]; /* h.venue of our reports, zero-padded: copied whole per report */

	/* quiet_changes: a flush that would do nothing is skipped after market
	 * events (a replay calls it for every bar). It is the engine change
	 * count at which the last sim_flush ran to its end with everything
	 * persisted and the gauge updated, or SIM_NOT_QUIET when it did not; any
	 * engine change since, or a queued report, makes the next flush a full
	 * one (sim_flush_if_needed). */
} sim_venue;

#define SIM_NOT_QUIET UINT64_MAX /* no engine reaches this change count */

/* ----------------------------------------------------------------- helpers */

static void *sim_host_alloc(void *ud, size_t n)
{
	sim_venue *v = ud;
	return v->api->alloc(v->ctx, n);
}

static void sim_host_free(void *ud, void *p)
{
	sim_venue *v = ud;
	v->api->free(v->ctx, p);
}

static void sim_arm(sim_venue *v, sim_timer *t, int64_t due_ns, th_timer_fn fn)
{
	if (t->armed || v->stopped)
		return;
	int64_t delay = due_ns - v->api->now_ns(v->ctx);
	if (delay < 0)
		delay = 0;
	if (v->api->timer_add(v->ctx, delay, 0, fn, v, &t->id) == TH_OK)
		t->armed = 1;
	else
		v->api->logf(v->ctx, TH_LOG_ERROR, "sim: timer_add failed; %zu queued messages wait for the next call",
		             sim_fifo_count(&v->inbox) + sim_fifo_count(&v->outbox));
}

static void sim_out_timer_fn(void *arg, uint64_t id);
static void sim_in_timer_fn(void *arg, uint64_t id);

/* ------------------------------------------------------------- persistence */

static __attribute__((noinline)) void sim_persist_changes(sim_venue *v);

static inline void sim_persist(sim_venue *v)
{
	if (v->set.persist) /* off by default; checked inline: this runs after every request */
		sim_persist_changes(v);
}

static void sim_persist_changes(sim_venue *v)
{
	const th_host_api *api = v->api;
	uint64_t changes = sim_engine_changes(v->engine);
	if (changes == v->saved_changes)
		return;
	size_t len = 0;
	sim_engine_encode(v->engine, NULL, 0, &len);
	/* Too big for one state value: forget the oldest finished orders first
	 * (open orders and positions always stay). */
	while (len > SIM_STATE_MAX && sim_engine_closed_orders(v->engine) > 0) {
		size_t n = sim_engine_closed_orders(v->engine) / 4 + 1;
		sim_engine_forget_closed(v->engine, n);
		sim_engine_encode(v->engine, NULL, 0, &len);
	}
	changes = sim_engine_changes(v->engine);
	if (len > SIM_STATE_MAX) {
		if (!v->persist_failing)
			api->logf(v->ctx, TH_LOG_ERROR, "sim: state of %zu bytes exceeds the %zu-byte state limit; not saved",
			          len, SIM_STATE_MAX);
		v->persist_failing = 1;
		return;
	}
	void *buf = api->alloc(v->ctx, len);
	if (!buf) {
		api->logf(v->ctx, TH_LOG_ERROR, "sim: out of memory saving %zu bytes of state", len);
		return;
	}
	int rc = sim_engine_encode(v->engine, buf, len, &len);
	if (rc == TH_OK)
		rc = api->state_put(v->ctx, SIM_STATE_KEY, buf, len);
	api->free(v->ctx, buf);
	if (rc != TH_OK) {
		if (!v->persist_failing)
			api->logf(v->ctx, TH_LOG_ERROR, "sim: saving state '%s' failed (status %d); will retry at the next change",
			          SIM_STATE_KEY, rc);
		v->persist_failing = 1;
		return;
	}
	v->persist_failing = 0;
	v->saved_changes = changes;
}

/* A duplicate submit means the host sent an order twice (the OMS must never
 * resend). The venue stays idempotent, but it keeps count, durably, so a
 * crash test can prove the count stayed 0 across restarts. */
static void sim_count_duplicate(sim_venue *v, const char *clid)
{
	const th_host_api *api = v->api;
	char text[24];
	v->duplicates++;
	api->logf(v->ctx, TH_LOG_WARN, "sim: order '%s' submitted again (%llu duplicate submit(s) so far)", clid,
	          (unsigned long long)v->duplicates);
	if (!v->set.persist)
		return;
	int n = snprintf(text, sizeof text, "%llu", (unsigned long long)v->duplicates);
	int rc = api->state_put(v->ctx, SIM_DUPLICATES_KEY, text, (size_t)n);
	if (rc != TH_OK)
		api->logf(v->ctx, TH_LOG_ERROR, "sim: saving state '%s' failed (status %d)", SIM_DUPLICATES_KEY, rc);
}

/* The duplicate count of earlier runs; absent means 0. */
static int sim_restore_duplicates(sim_venue *v)
{
	char text[24];
	size_t len = 0;
	int rc = v->api->state_get(v->ctx, SIM_DUPLICATES_KEY, text, sizeof text - 1, &len);
	if (rc == TH_ERR_NOT_FOUND)
		return TH_OK;
	if (rc != TH_OK || len == 0 || len >= sizeof text) {
		v->api->set_error(v->ctx, "sim: persisted state '%s' cannot be read (status %d, %zu bytes)",
		                  SIM_DUPLICATES_KEY, rc, len);
		return rc != TH_OK ? rc : TH_ERR_INVALID;
	}
	uint64_t n = 0;
	for (size_t i = 0; i < len; i++) {
		if (text[i] < '0' || text[i] > '9' || n > (UINT64_MAX - 9) / 10) {
			v->api->set_error(v->ctx, "sim: persisted state '%s' is not a decimal count", SIM_DUPLICATES_KEY);
			return TH_ERR_INVALID;
		}
		n = n * 10 + (uint64_t)(text[i] - '0');
	}
	v->duplicates = n;
	return TH_OK;
}

static int sim_restore(sim_venue *v)
{
	const th_host_api *api = v->api;
	char probe[16], err[192];
	size_t len = 0;
	int rc = sim_restore_duplicates(v);
	if (rc != TH_OK)
		return rc;
	rc = api->state_get(v->ctx, SIM_STATE_KEY, probe, sizeof probe, &len);
	if (rc == TH_ERR_NOT_FOUND)
		return TH_OK; /* first run */
	if (rc != TH_OK && rc != TH_ERR_LIMIT) {
		api->set_error(v->ctx, "sim: cannot read persisted state '%s' (status %d)", SIM_STATE_KEY, rc);
		return rc;
	}
	void *buf = api->alloc(v->ctx, len ? len : 1);
	if (!buf) {
		api->set_error(v->ctx, "sim: out of memory reading %zu bytes of state", len);
		return TH_ERR_NOMEM;
	}
	size_t got = 0;
	rc = api->state_get(v->ctx, SIM_STATE_KEY, buf, len, &got);
	if (rc == TH_OK && got == len) {
		rc = sim_engine_decode(v->engine, buf, len, err, sizeof err);
	} else {
		snprintf(err, sizeof err, "state changed while reading (status %d)", rc);
		rc = TH_ERR_IO;
	}
	api->free(v->ctx, buf);
	if (rc != TH_OK) {
		/* Fail closed: a venue that silently forgot its orders would tell the
		 * host they never existed. */
		api->set_error(v->ctx, "sim: persisted state '%s' cannot be restored: %s", SIM_STATE_KEY, err);
		return rc;
	}
	v->saved_changes = sim_engine_changes(v->engine);
	api->logf(v->ctx, TH_LOG_INFO, "sim: restored %zu open and %zu finished orders from '%s'",
	          sim_engine_open_orders(v->engine), sim_engine_closed_orders(v->engine), SIM_STATE_KEY);
	return TH_OK;
}

/* ----------------------------------------------------------------- outbox */

static int sim_publish(sim_venue *v, const sim_outgoing *m)
{
	/* The bus copies th_event_size bytes: the header and the payload, both
	 * written whole by sim_on_report (see there), so identical runs publish
	 * identical bytes. */
	return v->api->publish(v->ctx, sim_outgoing_event(m));
}

/* Publish every report that is due; persist first (see the file comment). */
static void sim_flush(sim_venue *v)
{
	v->quiet_changes = SIM_NOT_QUIET;
	sim_persist(v);
	if (!v->started || v->stopped)
		return; /* reports wait for start(); after stop they are in flight and lost */
	sim_outgoing *m = sim_fifo_peek(&v->outbox);
	/* after most market events nothing is waiting: no clock read needed */
	int64_t now = m ? v->api->now_ns(v->ctx) : 0;
	for (; m && m->due_ns <= now; m = sim_fifo_peek(&v->outbox)) {
		int rc = sim_publish(v, m);
		if (rc == TH_ERR_LIMIT) {
			sim_arm(v, &v->out_timer, now + SIM_RETRY_NS, sim_out_timer_fn);
			return;
		}
		if (rc != TH_OK)
			v->api->logf(v->ctx, TH_LOG_ERROR, "sim: publish failed (status %d); report for '%s' dropped", rc,
			             m->kind == SIM_REPORT_FILL ? m->ev.u.fill.client_order_id : m->ev.u.order.client_order_id);
		sim_fifo_pop(&v->outbox);
	}
	if (m)
		sim_arm(v, &v->out_timer, m->due_ns, sim_out_timer_fn);
	/* only on change: this runs after every market event, and an unchanged
	 * gauge needs no registry update */
	int64_t open = (int64_t)sim_engine_open_orders(v->engine);
	if (v->metrics_ok && open != v->open_reported) {
		v->api->metric_set(v->ctx, v->m_open, open);
		v->open_reported = open;
	}
	uint64_t changes = sim_engine_changes(v->engine);
	if (!v->set.persist || v->saved_changes == changes) /* else the next flush retries persisting */
		v->quiet_changes = changes;
}

/* sim_flush, unless it would do nothing: no report waits, and the engine (now
 * at change count `changes`) has not changed since a flush that persisted it
 * and updated the gauge (the open order count only changes with the change
 * count). */
static void sim_flush_if_needed(sim_venue *v, uint64_t changes)
{
	if (changes == v->quiet_changes && v->outbox.count == 0)
		return;
	sim_flush(v);
}

static void sim_out_timer_fn(void *arg, uint64_t id)
{
	sim_venue *v = arg;
	(void)id;
	v->out_timer.armed = 0;
	sim_flush(v);
}

/* Engine report -> outbox, due after the report latency. */
static void sim_on_report(void *arg, const sim_report *r)
{
	sim_venue *v = arg;
	if (r->kind == SIM_REPORT_FILL && v->metrics_ok)
		v->api->metric_add(v->ctx, v->m_fills, 1);
	/* Built in place in the queue as the event it is published as: a report
	 * is copied once on its way in, and the bus copies it out. The unused
	 * part of the union is left as it is: publish() and the hand-over
	 * encoder read only the member of `kind`. */
	sim_outgoing *m = sim_fifo_push_slot(&v->outbox);
	if (!m) {
		v->api->logf(v->ctx, TH_LOG_ERROR, "sim: out of memory queueing a report for '%s'",
		             r->kind == SIM_REPORT_FILL ? r->u.fill.client_order_id : r->u.order.client_order_id);
		return;
	}
	/* With latency 0 a report is due at once: INT64_MIN is never later than
	 * the clock (even a simulated one before 1970), and keeps the queue's
	 * order, without a clock read per report. */
	m->due_ns = v->set.latency_ns ? v->api->now_ns(v->ctx) + v->set.latency_ns : INT64_MIN;
	m->kind = r->kind;
	/* The header whole: zeroed, then the fields with their zero padding
	 * (the venue name is zero-padded at create, a report's symbol by the
	 * engine, engine.h), as th_event_init and bounded copies would leave it. */
	static const th_event_header zero_header; /* copied, not memset: GCC makes a short memset a slow `rep stos` */
	sim_report_event *ev = &m->ev;
	memcpy(&ev->h, &zero_header, sizeof ev->h);
	memcpy(ev->h.venue, v->venue_name, sizeof ev->h.venue);
	memcpy(ev->h.symbol, r->symbol, sizeof ev->h.symbol);
	if (r->kind == SIM_REPORT_FILL) {
		ev->h.type = TH_EV_FILL;
		ev->h.size = (uint32_t)(offsetof(th_event, u) + sizeof ev->u.fill);
		memcpy(&ev->u.fill, &r->u.fill, sizeof ev->u.fill);
	} else {
		ev->h.type = TH_EV_ORDER;
		ev->h.size = (uint32_t)(offsetof(th_event, u) + sizeof ev->u.order);
		memcpy(&ev->u.order, &r->u.order, sizeof ev->u.order);
	}
}

/* ------------------------------------------------------------------ inbox */

static void sim_handle_submit(sim_venue *v, const th_order *order)
{
	int rc = sim_engine_submit(v->engine, order);
	if (rc == TH_ERR_NOMEM)
		v->api->logf(v->ctx, TH_LOG_ERROR, "sim: out of memory taking order '%s'", order->client_order_id);
	if (v->metrics_ok && rc == TH_OK)
		v->api->metric_add(v->ctx, v->m_accepted, 1);
	if (v->metrics_ok && rc == TH_ERR_INVALID)
		v->api->metric_add(v->ctx, v->m_rejected, 1);
	if (rc == TH_ERR_EXISTS)
		sim_count_duplicate(v, order->client_order_id);
}

static void sim_handle(sim_venue *v, const sim_request *q)
{
	switch (q->kind) {
	case SIM_REQ_SUBMIT:
		sim_handle_submit(v, &q->order);
		break;
	case SIM_REQ_CANCEL:
		sim_engine_cancel(v->engine, q->order.client_order_id);
		break;
	case SIM_REQ_QUERY:
		sim_engine_query(v->engine, q->order.client_order_id);
		break;
	default:
		break;
	}
}

static void sim_drain_inbox(sim_venue *v)
{
	int64_t now = v->api->now_ns(v->ctx);
	sim_request *q;
	while ((q = sim_fifo_peek(&v->inbox)) && q->due_ns <= now) {
		sim_request copy = *q; /* the engine's reports may not touch the inbox, but keep it simple */
		sim_fifo_pop(&v->inbox);
		sim_handle(v, &copy);
	}
	if (q)
		sim_arm(v, &v->in_timer, q->due_ns, sim_in_timer_fn);
	sim_flush(v);
}

static void sim_in_timer_fn(void *arg, uint64_t id)
{
	sim_venue *v = arg;
	(void)id;
	v->in_timer.armed = 0;
	sim_drain_inbox(v);
}

static int sim_request_push(sim_venue *v, const sim_request *q_in)
{
	if (v->stopped)
		return TH_ERR_STATE;
	if (v->set.latency_ns == 0 && sim_fifo_count(&v->inbox) == 0) {
		sim_handle(v, q_in); /* handled now: no due time, no copy */
		sim_flush(v);
		return TH_OK;
	}
	sim_request q = *q_in;
	q.due_ns = v->api->now_ns(v->ctx) + v->set.latency_ns;
	if (sim_fifo_push(&v->inbox, &q) != TH_OK) {
		v->api->set_error(v->ctx, "sim: out of memory queueing a request");
		return TH_ERR_NOMEM;
	}
	sim_arm(v, &v->in_timer, q.due_ns, sim_in_timer_fn);
	return TH_OK;
}

/* ------------------------------------------------------------ exchange api */

static int sim_instruments(void *instance, const th_instrument **out, size_t *count)
{
	sim_venue *v = instance;
	*out = v->set.instruments;
	*count = v->set.ninstruments;
	return TH_OK;
}

static int sim_submit(void *instance, const th_order *order)
{
	sim_venue *v = instance;
	sim_request q;
	if (!order)
		return TH_ERR_INVALID;
	/* Malformed strings are the caller's bug, refused at once rather than
	 * carried through the latency queue (and a hot-reload hand-over). */
	if (!memchr(order->client_order_id, 0, sizeof order->client_order_id) ||
	    !memchr(order->symbol, 0, sizeof order->symbol)) {
		v->api->set_error(v->ctx, "sim: order client_order_id or symbol is not NUL-terminated");
		return TH_ERR_INVALID;
	}
	if (v->set.latency_ns == 0 && sim_fifo_count(&v->inbox) == 0 && !v->stopped) {
		/* handled now (as sim_request_push would): the order needs no
		 * zeroed request copy, one per order in a backtest */
		sim_handle_submit(v, order);
		sim_flush(v);
		return TH_OK;
	}
	memset(&q, 0, sizeof q);
	q.kind = SIM_REQ_SUBMIT;
	q.order = *order;
	return sim_request_push(v, &q);
}

static int sim_clid_request(sim_venue *v, uint32_t kind, const char *clid)
{
	sim_request q;
	memset(&q, 0, sizeof q);
	if (!clid || !clid[0] || th_strlcpy(q.order.client_order_id, clid, sizeof q.order.client_order_id) != 0) {
		v->api->set_error(v->ctx, "sim: client order id is empty or longer than %d characters", TH_CLORD_MAX - 1);
		return TH_ERR_INVALID;
	}
	q.kind = kind;
	return sim_request_push(v, &q);
}

static int sim_cancel(void *instance, const char *client_order_id)
{
	return sim_clid_request(instance, SIM_REQ_CANCEL, client_order_id);
}

static int sim_query(void *instance, const char *client_order_id)
{
	return sim_clid_request(instance, SIM_REQ_QUERY, client_order_id);
}

static const th_exchange_api sim_exchange_api = {
	.struct_size = sizeof(th_exchange_api),
	.instruments = sim_instruments,
	.submit = sim_submit,
	.cancel = sim_cancel,
	.query = sim_query,
};

/* ------------------------------------------------------------------ market */

/* One key per instrument, in the engine's instrument order: a key's index
 * is the engine's book index. */
static int sim_keys_init(sim_venue *v)
{
	v->symbol_keys = v->api->alloc(v->ctx, v->set.ninstruments * sizeof *v->symbol_keys);
	if (!v->symbol_keys)
		return TH_ERR_NOMEM;
	for (size_t i = 0; i < v->set.ninstruments; i++)
		sim_key_init(&v->symbol_keys[i], v->set.instruments[i].symbol);
	memset(v->venue_name, 0, sizeof v->venue_name);
	th_strlcpy(v->venue_name, v->set.instruments[0].venue, sizeof v->venue_name);
	v->last_book = 0;
	return TH_OK;
}

/* The engine book index of the event's symbol when it is not the previous
 * event's, or -1 (the venue does not list it). Out of line: a replay usually
 * streams one symbol, and the common path stays short. */
static __attribute__((noinline)) long sim_event_book_scan(sim_venue *v, const th_event *ev)
{
	for (size_t i = 0; i < v->set.ninstruments; i++) {
		if (sim_key_match(&v->symbol_keys[i], &ev->h)) {
			v->last_book = i;
			return (long)i;
		}
	}
	return -1;
}

/* A market event of book `book` (or, at book -1, of a symbol the venue does
 * not list) through the engine, then the flush. */
static __attribute__((noinline)) void sim_on_market_at(sim_venue *v, long book, const th_event *ev)
{
	uint64_t changes;
	if (book < 0) /* a symbol the venue does not list: ignored */
		changes = sim_engine_changes(v->engine);
	else if (ev->h.type == TH_EV_BAR)
		changes = sim_engine_on_bar_at(v->engine, (size_t)book, &ev->u.bar);
	else if (ev->h.type == TH_EV_TRADE)
		changes = sim_engine_on_trade_at(v->engine, (size_t)book, &ev->u.trade);
	else if (ev->h.type == TH_EV_QUOTE)
		changes = sim_engine_on_quote_at(v->engine, (size_t)book, &ev->u.quote);
	else
		return; /* not subscribed */
	sim_flush_if_needed(v, changes);
}

/* An event of another symbol than the previous one. */
static __attribute__((noinline)) void sim_on_market_scan(sim_venue *v, const th_event *ev)
{
	sim_on_market_at(v, sim_event_book_scan(v, ev), ev);
}

/* Market events of `market_venue` only: the subscription's venue and topic
 * filters are exact matches done by the host (th_subscription), so the
 * handler does not compare the venue again.
 *
 * A replay calls this for every bar, and nearly every bar meets an empty
 * book: that case (sim_engine_bar_idle, inline) runs here without a call or
 * a saved register; everything else goes out of line. The flush check
 * still follows every event, as on the full path. */
static void sim_on_market(void *arg, const th_event *ev)
{
	sim_venue *v = arg;
	if (v->stopped)
		return;
	size_t book = v->last_book;
	if (!sim_key_match(&v->symbol_keys[book], &ev->h)) {
		sim_on_market_scan(v, ev);
		return;
	}
	if (ev->h.type != TH_EV_BAR || !sim_engine_bar_idle(v->engine, book, &ev->u.bar)) {
		sim_on_market_at(v, (long)book, ev);
		return;
	}
	sim_flush_if_needed(v, sim_engine_changes_inline(v->engine));
}

/* --------------------------------------------------------------- lifecycle */

static void sim_venue_free(sim_venue *v)
{
	const th_host_api *api = v->api;
	th_ctx *ctx = v->ctx;
	sim_engine_destroy(v->engine);
	if (v->symbol_keys)
		api->free(ctx, v->symbol_keys);
	sim_fifo_free(&v->inbox);
	sim_fifo_free(&v->outbox);
	sim_settings_free(api, ctx, &v->set);
	api->free(ctx, v);
}

static void sim_register_metrics(sim_venue *v)
{
	const th_host_api *api = v->api;
	v->open_reported = -1;
	v->metrics_ok =
	        api->metric_register(v->ctx, TH_METRIC_COUNTER, "sim_orders_accepted_total",
	                             "Orders the sim venue accepted", &v->m_accepted) == TH_OK &&
	        api->metric_register(v->ctx, TH_METRIC_COUNTER, "sim_orders_rejected_total",
	                             "Orders the sim venue rejected", &v->m_rejected) == TH_OK &&
	        api->metric_register(v->ctx, TH_METRIC_COUNTER, "sim_fills_total", "Executions reported by the sim venue",
	                             &v->m_fills) == TH_OK &&
	        api->metric_register(v->ctx, TH_METRIC_GAUGE, "sim_open_orders", "Orders open at the sim venue",
	                             &v->m_open) == TH_OK;
}

static int sim_create(const th_host_api *api, th_ctx *ctx, void **instance)
{
	*instance = NULL;
	if (api->struct_size < offsetof(th_host_api, free) + sizeof api->free) {
		api->set_error(ctx, "sim: host function table too small (%u bytes)", api->struct_size);
		return TH_ERR_UNSUPPORTED;
	}
	sim_venue *v = api->alloc(ctx, sizeof *v);
	if (!v) {
		api->set_error(ctx, "sim: out of memory");
		return TH_ERR_NOMEM;
	}
	memset(v, 0, sizeof *v);
	v->api = api;
	v->ctx = ctx;
	v->quiet_changes = SIM_NOT_QUIET;
	sim_alloc al = { sim_host_alloc, sim_host_free, v };
	sim_fifo_init(&v->inbox, sizeof(sim_request), &al);
	sim_fifo_init(&v->outbox, sizeof(sim_outgoing), &al);

	int rc = sim_settings_read(api, ctx, &v->set);
	if (rc != TH_OK) {
		api->free(ctx, v);
		return rc;
	}
	/* The creation time makes ids of a non-persistent venue unique across
	 * restarts; it is simulated (deterministic) time in backtests. */
	v->set.engine.session = api->now_ns(ctx);
	rc = sim_engine_create(&v->set.engine, v->set.instruments, v->set.ninstruments, &al, sim_on_report, v,
	                       &v->engine);
	if (rc != TH_OK) {
		api->set_error(ctx, "sim: cannot create the matching engine (status %d)", rc);
		sim_venue_free(v);
		return rc;
	}
	if (v->set.persist && (rc = sim_restore(v)) != TH_OK) {
		sim_venue_free(v);
		return rc;
	}
	if (sim_keys_init(v) != TH_OK) {
		api->set_error(ctx, "sim: out of memory");
		sim_venue_free(v);
		return TH_ERR_NOMEM;
	}
	sim_register_metrics(v);
	api->logf(ctx, TH_LOG_INFO, "sim: %zu symbols, latency %lld ms, market from '%s'%s", v->set.ninstruments,
	          (long long)(v->set.latency_ns / 1000000), v->set.market_venue, v->set.persist ? ", persistent" : "");
	*instance = v;
	return TH_OK;
}

static int sim_start(void *instance)
{
	sim_venue *v = instance;
	th_subscription sub = {
		.topics = TH_TOPIC(TH_EV_TRADE) | TH_TOPIC(TH_EV_QUOTE) | TH_TOPIC(TH_EV_BAR),
		.venue = v->set.market_venue,
		.symbol = NULL,
		.agent = NULL,
	};
	int rc = v->api->subscribe(v->ctx, &sub, sim_on_market, v, &v->sub_id);
	if (rc != TH_OK) {
		v->api->set_error(v->ctx, "sim: cannot subscribe to market events of venue '%s' (status %d)",
		                  v->set.market_venue, rc);
		return rc;
	}
	v->subscribed = 1;
	v->started = 1;
	/* Messages handed over by a hot reload (or produced before start) go on
	 * with their original due times. */
	sim_drain_inbox(v);
	return TH_OK;
}

static int sim_stop(void *instance)
{
	sim_venue *v = instance;
	if (v->stopped)
		return TH_OK;
	v->stopped = 1;
	if (v->subscribed)
		v->api->unsubscribe(v->ctx, v->sub_id);
	v->subscribed = 0;
	if (v->in_timer.armed)
		v->api->timer_cancel(v->ctx, v->in_timer.id);
	if (v->out_timer.armed)
		v->api->timer_cancel(v->ctx, v->out_timer.id);
	v->in_timer.armed = v->out_timer.armed = 0;
	sim_persist(v);
	if (sim_fifo_count(&v->inbox) || sim_fifo_count(&v->outbox))
		v->api->logf(v->ctx, TH_LOG_WARN, "sim: stopped with %zu requests and %zu reports in flight",
		             sim_fifo_count(&v->inbox), sim_fifo_count(&v->outbox));
	return TH_OK;
}

static void sim_destroy(void *instance)
{
	if (instance)
		sim_venue_free(instance);
}

/* Hot reload: the engine state plus the requests and reports still in the
 * latency queues (sim_handover.h), so the swap loses no event. */
static int sim_export_state(void *instance, void **data, size_t *len)
{
	sim_venue *v = instance;
	size_t n = 0;
	sim_handover_encode(v->engine, &v->inbox, &v->outbox, NULL, 0, &n);
	void *buf = v->api->alloc(v->ctx, n);
	if (!buf) {
		v->api->set_error(v->ctx, "sim: out of memory exporting %zu bytes of state", n);
		return TH_ERR_NOMEM;
	}
	int rc = sim_handover_encode(v->engine, &v->inbox, &v->outbox, buf, n, len);
	if (rc != TH_OK) {
		v->api->free(v->ctx, buf);
		v->api->set_error(v->ctx, "sim: state export failed (status %d)", rc);
		return rc;
	}
	*data = buf;
	return TH_OK;
}

static int sim_import_state(void *instance, const void *data, size_t len)
{
	sim_venue *v = instance;
	char err[192];
	int rc = sim_handover_decode(v->engine, &v->inbox, &v->outbox, data, len, err, sizeof err);
	if (rc != TH_OK) {
		v->api->set_error(v->ctx, "sim: cannot import state: %s", err);
		return rc;
	}
	/* Reports handed over are published under this instance's name, as
	 * sim_on_report stamps its own. */
	for (size_t i = 0; i < sim_fifo_count(&v->outbox); i++) {
		sim_outgoing *m = sim_fifo_at(&v->outbox, i);
		memcpy(m->ev.h.venue, v->venue_name, sizeof m->ev.h.venue);
	}
	sim_persist(v);
	return TH_OK;
}

static const th_plugin_desc sim_desc = {
	TH_PLUGIN_HEADER(TH_KIND_EXCHANGE, "sim"),
	.version = "1.0.0",
	.description = "Simulated venue: price-time matching engine for backtest and paper trading",
	.config_schema = sim_config_schema,
	.create = sim_create,
	.start = sim_start,
	.stop = sim_stop,
	.destroy = sim_destroy,
	.export_state = sim_export_state,
	.import_state = sim_import_state,
	.kind_api = &sim_exchange_api,
};

TH_PLUGIN_DEFINE(sim_desc)
