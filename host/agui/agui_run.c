/*
 * One AG-UI run: an SSE stream of AG-UI 1.0 events built from the host bus.
 *
 *   RUN_STARTED
 *   STATE_SNAPSHOT                 the portfolio (agui_state.c)
 *   [TEXT_MESSAGE_*]               the answer to the user's question, if any
 *   ... live part, for forwardedProps.duration_ms:
 *     STEP_STARTED "<agent> cycle <n>"      an agent's decision cycle opens
 *       TEXT_MESSAGE_START/CONTENT/END      each agent message (name = agent)
 *       TOOL_CALL_START/ARGS/END            each intent: place_order / cancel_order
 *     STEP_FINISHED                         see "Decision cycles" below
 *     TOOL_CALL_START/ARGS/END place_order  an order placed without an agent
 *                                           intent on the bus (operator, REST)
 *     TOOL_CALL_RESULT                      the order's outcome once known
 *     TOOL_CALL_START/ARGS/END reallocate   + its result, when a farm's or
 *                                           agent's allocation changed
 *     STATE_DELTA                           JSON Patch, at most every 500 ms
 *   STEP_FINISHED (if one is open), RUN_FINISHED
 *
 * Decision cycles: a cycle is what one agent publishes in reaction to one
 * market event. The bus delivers an agent's reactions right after the market
 * event that caused them (it drains in publication order), so a step opens
 * at the first message or intent of an agent and closes when another agent
 * speaks, when the next market event arrives, or at the next tick (every
 * 100 ms; the drain is over by then). Only one step is open at a time, so
 * steps never interleave; names are unique because n counts per agent
 * within the run.
 * Messages and tool calls are written whole (START..END together), so
 * nothing but the step is ever open between two events.
 *
 * Tool call results: a place_order result comes from the risk decision when
 * it is a denial, else from the order manager's first order update that
 * settles it (accepted, filled, partially filled, canceled, rejected,
 * expired; submitted/unknown wait). A cancel_order result comes with the
 * canceled order's final state; cancel-all is answered at once (the order
 * manager does not report it as one outcome). Results wait in a bounded
 * table (256 calls, oldest dropped), so a call whose outcome never comes
 * has no result (clients list it as pending).
 *
 * Files: agui_run.c (this: lifetime, deltas), agui_emit.c (writing
 * events), agui_feed.c (bus events -> AG-UI events).
 *
 * Lifetime: every entry point (bus handler, timers, on_close, start, stop)
 * runs between enter() and leave(); a run that must end (deadline, write
 * failure = client gone or too slow, connection closed) is finished and
 * freed only by the outermost leave(), so nothing is freed under a caller.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agui/agui_patch.h"
#include "agui/agui_run_internal.h"
#include "bus/bus.h"
#include "common/log.h"

static void send_delta(agui_run *r)
{
	json_t *doc = agui_state_build(r->a);
	if (!doc)
		return; /* out of memory: try again at the next tick */
	json_t *ops = json_array();
	if (!ops || agui_patch_diff(r->state, doc, ops) != 0) {
		json_decref(ops);
		json_decref(doc);
		return;
	}
	if (json_array_size(ops) > 0) {
		agui_feed_reallocations(r, r->state, doc, "farms", "farm");
		agui_feed_reallocations(r, r->state, doc, "agents", "agent");
		json_t *stamp = agui_with_str(json_object(), "op", "replace");
		stamp = agui_with(agui_with_str(stamp, "path", "/updated_ms"), "value", json_integer(agui_now_ms(r->a)));
		if (!stamp || json_array_append_new(ops, stamp) != 0) {
			json_decref(ops);
			json_decref(doc);
			r->failed = 1;
			return;
		}
		agui_send_ev(r, agui_with(agui_ev_new("STATE_DELTA"), "delta", ops));
		r->n_deltas++;
		r->last_delta_ms = agui_now_ms(r->a);
	} else {
		json_decref(ops);
	}
	json_decref(r->state);
	r->state = doc;
}

/* --- lifetime --- */

static void destroy(agui_run *r)
{
	struct agui *a = r->a;
	for (agui_run **pp = &a->runs; *pp; pp = &(*pp)->next) {
		if (*pp == r) {
			*pp = r->next;
			a->nruns--;
			break;
		}
	}
	if (r->sub)
		bus_unsubscribe(host_bus(a->fd->host), r->sub);
	if (r->tick)
		event_free(r->tick);
	if (r->deadline)
		event_free(r->deadline);
	json_decref(r->state);
	free(r->cycles);
	free(r->thread_id);
	free(r->run_id);
	free(r);
}

static void finish(agui_run *r)
{
	agui_step_close(r);
	/* the latest figures, so the client ends with them, unless that would
	 * break the promise of at most one delta per interval */
	if (agui_now_ms(r->a) - r->last_delta_ms >= AGUI_DELTA_INTERVAL_MS)
		send_delta(r);
	json_t *result = json_object();
	result = agui_with(result, "duration_ms", json_integer(agui_now_ms(r->a) - r->started_ms));
	result = agui_with(result, "steps", json_integer((json_int_t)r->n_steps));
	result = agui_with(result, "messages", json_integer((json_int_t)r->n_messages));
	result = agui_with(result, "tool_calls", json_integer((json_int_t)r->n_tool_calls));
	result = agui_with(result, "state_deltas", json_integer((json_int_t)r->n_deltas));
	json_t *e = agui_with_str(agui_with_str(agui_ev_new("RUN_FINISHED"), "threadId", r->thread_id), "runId", r->run_id);
	agui_send_ev(r, agui_with(agui_with(e, "outcome", agui_with_str(json_object(), "type", "success")), "result", result));
}

static void enter(agui_run *r)
{
	r->busy++;
}

static void leave(agui_run *r)
{
	if (--r->busy > 0)
		return;
	if (!r->closed && (r->failed || r->ending)) {
		r->busy++; /* http_stream_end may close the connection: on_close must not free us */
		if (!r->failed)
			finish(r);
		if (r->req)
			http_stream_end(r->req);
		r->req = NULL;
		r->closed = 1;
		r->busy--;
	}
	if (r->closed)
		destroy(r);
}

static void on_close(void *arg)
{
	agui_run *r = arg;
	r->req = NULL;
	r->closed = 1;
	enter(r);
	leave(r);
}

static void on_bus(void *arg, const th_event *ev)
{
	agui_run *r = arg;
	if (r->failed || r->closed || r->ending)
		return;
	enter(r);
	agui_feed_event(r, ev);
	leave(r);
}

static void on_tick(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	agui_run *r = arg;
	enter(r);
	agui_step_close(r); /* the bus drain that opened it is over */
	/* Deltas only at checks at least an interval apart (the persistent
	 * timer drifts by a few ms under load, so count from the clock). */
	int64_t now = agui_now_ms(r->a);
	if (now - r->last_check_ms >= AGUI_DELTA_INTERVAL_MS) {
		r->last_check_ms = now;
		send_delta(r);
	}
	if (!r->failed && agui_now_ms(r->a) - r->last_write_ms >= AGUI_KEEPALIVE_MS)
		agui_write_raw(r, ": keepalive\n\n", 13); /* SSE comment: keeps proxies from timing out */
	leave(r);
}

static void on_deadline(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	agui_run *r = arg;
	enter(r);
	r->ending = 1;
	leave(r);
}

static int go_live(agui_run *r, int64_t duration_ms)
{
	struct event_base *base = host_event_base(r->a->fd->host);
	th_subscription s = { 0 };
	s.topics = TH_TOPIC_MARKET | TH_TOPIC(TH_EV_AGENT_MSG) | TH_TOPIC(TH_EV_INTENT) | TH_TOPIC(TH_EV_RISK) |
		TH_TOPIC(TH_EV_ORDER);
	if (bus_subscribe(host_bus(r->a->fd->host), r, &s, on_bus, r, &r->sub) != TH_OK)
		return -1;
	r->tick = event_new(base, -1, EV_PERSIST, on_tick, r);
	r->deadline = event_new(base, -1, 0, on_deadline, r);
	struct timeval tick = { 0, AGUI_TICK_MS * 1000 };
	struct timeval end = { (time_t)(duration_ms / 1000), (suseconds_t)((duration_ms % 1000) * 1000) };
	if (!r->tick || !r->deadline || event_add(r->tick, &tick) != 0 || event_add(r->deadline, &end) != 0)
		return -1;
	return 0;
}

void agui_run_start(struct agui *a, http_request *req, agui_input *in)
{
	agui_run *r = calloc(1, sizeof *r);
	json_t *state = agui_state_build(a);
	if (!r || !state) {
		free(r);
		json_decref(state);
		agui_input_free(in);
		http_respond_error(req, 500, "internal", "out of memory building the portfolio state");
		return;
	}
	r->a = a;
	r->state = state;
	r->thread_id = in->thread_id;
	r->run_id = in->run_id;
	in->thread_id = in->run_id = NULL;
	r->started_ms = r->last_write_ms = r->last_delta_ms = r->last_check_ms = agui_now_ms(a);
	snprintf(r->idp, sizeof r->idp, "agui%" PRIx64 "-%" PRIu64, (uint64_t)a->started_ms, ++a->next_run);
	http_response_header(req, "Cache-Control", "no-cache");
	http_response_header(req, "X-Accel-Buffering", "no"); /* reverse proxies: do not buffer the stream */
	if (http_stream_begin(req, 200, "text/event-stream") != 0) {
		json_decref(r->state);
		free(r->thread_id);
		free(r->run_id);
		free(r);
		agui_input_free(in);
		return; /* the client is gone; the server cleans up the request */
	}
	r->req = req;
	r->next = a->runs;
	a->runs = r;
	a->nruns++;
	http_request_on_close(req, on_close, r);

	enter(r);
	json_t *e = agui_with_str(agui_with_str(agui_ev_new("RUN_STARTED"), "threadId", r->thread_id), "runId", r->run_id);
	agui_send_ev(r, agui_with_str(e, "protocolVersion", "1.0"));
	/* a shallow copy: updated_ms belongs to the client's copy only */
	json_t *snap = json_copy(r->state);
	snap = agui_with(snap, "updated_ms", json_integer(r->started_ms));
	agui_send_ev(r, agui_with(agui_ev_new("STATE_SNAPSHOT"), "snapshot", snap));
	if (in->question) {
		char *answer = agui_answer(a, r->state, in->question);
		if (answer)
			agui_text_message(r, "tradehost", answer, NULL, NULL);
		else
			r->failed = 1;
		free(answer);
	}
	if (in->duration_ms > 0 && !r->failed && go_live(r, in->duration_ms) != 0)
		log_error("agui: run %s cannot subscribe to the host bus or arm its timers; finishing it now", r->run_id);
	if (in->duration_ms == 0 || !r->sub || !r->deadline)
		r->ending = 1;
	agui_input_free(in);
	leave(r);
}

void agui_run_stop(agui_run *r)
{
	enter(r);
	r->ending = 1;
	leave(r);
}
