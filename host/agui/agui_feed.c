/*
 * Bus events -> AG-UI events for one run: agent messages as text messages
 * inside the agent's step, intents (agents' and operators') as place_order /
 * cancel_order tool calls, their outcomes (risk denial, the order manager's
 * updates) as tool call results, orders without an intent on the bus as
 * place_order calls of their own, and allocation changes as reallocate calls
 * (see agui_run.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tradehost/th_fixed.h>

#include "agui/agui_run_internal.h"

static pending_call *pend_add(agui_run *r, int kind, const char *call_id, const char *agent)
{
	/* a ring: when full, the oldest waiting call loses its result */
	pending_call *p = &r->pend[r->pend_next];
	r->pend_next = (r->pend_next + 1) % AGUI_PENDING_MAX;
	memset(p, 0, sizeof *p);
	p->kind = kind;
	snprintf(p->id, sizeof p->id, "%s", call_id);
	th_strlcpy(p->agent, agent, sizeof p->agent);
	return p;
}

static pending_call *pend_find_place(agui_run *r, const char *agent, uint64_t intent_id)
{
	for (size_t i = 0; i < AGUI_PENDING_MAX; i++) {
		pending_call *p = &r->pend[i];
		if (p->kind == PEND_PLACE && p->intent_id == intent_id && strcmp(p->agent, agent) == 0)
			return p;
	}
	return NULL;
}

static pending_call *pend_find_cancel(agui_run *r, const char *agent, const char *clid)
{
	for (size_t i = 0; i < AGUI_PENDING_MAX; i++) {
		pending_call *p = &r->pend[i];
		if (p->kind == PEND_CANCEL && strcmp(p->clid, clid) == 0 && strcmp(p->agent, agent) == 0)
			return p;
	}
	return NULL;
}

/* --- bus events --- */

static void on_agent_msg(agui_run *r, const th_event *ev)
{
	agui_step_ensure(r, ev->h.agent);
	json_t *meta = json_object();
	meta = agui_with_str(meta, "kind", ev->u.agent_msg.kind);
	meta = agui_with_str(meta, "agent", ev->h.agent);
	if (ev->h.symbol[0])
		meta = agui_with_str(meta, "symbol", ev->h.symbol);
	if (!meta) {
		r->failed = 1;
		return;
	}
	agui_text_message(r, ev->h.agent, ev->u.agent_msg.text, meta, r->step_msg);
}

static json_t *intent_args(const th_event *ev)
{
	const th_intent *in = &ev->u.intent;
	const th_order *o = &in->order;
	json_t *a = json_object();
	a = agui_with_str(a, "agent", ev->h.agent);
	if (in->farm[0])
		a = agui_with_str(a, "farm", in->farm);
	a = agui_with_str(a, "venue", ev->h.venue);
	if (in->action == TH_INTENT_CANCEL) {
		a = agui_with_str(a, "client_order_id", o->client_order_id);
		return a;
	}
	if (in->action == TH_INTENT_CANCEL_ALL) {
		a = agui_with(a, "all", json_true());
		if (o->symbol[0])
			a = agui_with_str(a, "symbol", o->symbol);
		return a;
	}
	a = agui_with_str(a, "symbol", o->symbol[0] ? o->symbol : ev->h.symbol);
	a = agui_with_str(a, "side", trade_side_name(o->side));
	a = agui_with_str(a, "type", trade_order_type_name(o->type));
	a = agui_with(a, "qty", agui_fixed(o->qty, o->qty_scale));
	if (o->type == TH_ORDER_LIMIT || o->type == TH_ORDER_STOP_LIMIT)
		a = agui_with(a, "price", agui_fixed(o->price, o->price_scale));
	if (o->type == TH_ORDER_STOP || o->type == TH_ORDER_STOP_LIMIT)
		a = agui_with(a, "stop_price", agui_fixed(o->stop_price, o->price_scale));
	a = agui_with_str(a, "tif", trade_tif_name(o->tif, o->flags));
	if (o->flags & TH_ORDER_REDUCE_ONLY)
		a = agui_with(a, "reduce_only", json_true());
	if (in->intent_id <= (uint64_t)INT64_MAX)
		a = agui_with(a, "intent_id", json_integer((json_int_t)in->intent_id));
	return a;
}

/* An agent's intent is a call inside its decision cycle. An operator's
 * (REST, published by the pipeline with the host's flag) stands on its own,
 * outside any cycle, and says who asked ("by": "operator"); its denial,
 * order updates or cancel confirmation become its result the same way. */
static void on_intent(agui_run *r, const th_event *ev)
{
	const th_intent *in = &ev->u.intent;
	int operator = (ev->h.flags & TH_EVENT_FLAG_OMS) != 0;
	json_t *args = intent_args(ev);
	if (operator) {
		agui_step_close(r);
		args = agui_with_str(args, "by", "operator");
	} else {
		agui_step_ensure(r, ev->h.agent);
	}
	char id[AGUI_EVENT_ID_MAX] = "";
	agui_tool_call(r, in->action == TH_INTENT_PLACE ? "place_order" : "cancel_order", args, operator ? NULL : r->step_msg,
		id);
	if (!id[0])
		return;
	if (in->action == TH_INTENT_PLACE) {
		pend_add(r, PEND_PLACE, id, ev->h.agent)->intent_id = in->intent_id;
	} else if (in->action == TH_INTENT_CANCEL) {
		pending_call *p = pend_add(r, PEND_CANCEL, id, ev->h.agent);
		th_strlcpy(p->clid, in->order.client_order_id, sizeof p->clid);
	} else {
		json_t *res = agui_with_str(json_object(), "outcome", "requested");
		char msg[160];
		snprintf(msg, sizeof msg, "cancel of every open order of %s%s%s sent to the order manager", ev->h.agent,
			in->order.symbol[0] ? " on " : "", in->order.symbol);
		agui_tool_result(r, id, agui_with_str(res, "message", msg));
	}
}

static void on_risk(agui_run *r, const th_event *ev)
{
	const th_risk_decision *d = &ev->u.risk;
	pending_call *p = pend_find_place(r, ev->h.agent, d->intent_id);
	if (!p || d->approved)
		return; /* approved: the order manager's update settles it */
	char msg[sizeof d->message + TH_NAME_MAX + 32];
	snprintf(msg, sizeof msg, "denied by %s: %s", d->plugin, d->message);
	json_t *res = agui_with_str(json_object(), "outcome", "denied");
	res = agui_with_str(agui_with_str(res, "decided_by", d->plugin), "message", msg);
	agui_tool_result(r, p->id, res);
	p->kind = PEND_FREE;
}

static int order_settled(uint32_t state)
{
	return state != TH_ORDER_SUBMITTED && state != TH_ORDER_UNKNOWN;
}

static int order_final(uint32_t state)
{
	return state == TH_ORDER_FILLED || state == TH_ORDER_CANCELED || state == TH_ORDER_REJECTED ||
		state == TH_ORDER_EXPIRED || state == TH_ORDER_ABSENT;
}

static json_t *order_result(const th_event *ev, const char *what)
{
	const th_order_update *u = &ev->u.order;
	const char *state = trade_order_state_name(u->state);
	char qty[48], filled[48], msg[512];
	agui_fixed_text(u->qty, u->qty_scale, qty, sizeof qty);
	agui_fixed_text(u->filled_qty, u->qty_scale, filled, sizeof filled);
	snprintf(msg, sizeof msg, "%sorder %s on %s %s: filled %s of %s %s%s%s", what, u->client_order_id, ev->h.venue,
		state, filled, qty, ev->h.symbol, u->reason[0] ? "; " : "", u->reason);
	json_t *res = agui_with_str(json_object(), "outcome", state);
	res = agui_with_str(agui_with_str(res, "client_order_id", u->client_order_id), "venue", ev->h.venue);
	res = agui_with(res, "qty", agui_fixed(u->qty, u->qty_scale));
	res = agui_with(res, "filled_qty", agui_fixed(u->filled_qty, u->qty_scale));
	if (u->reason[0])
		res = agui_with_str(res, "reason", u->reason);
	return agui_with_str(res, "message", msg);
}

/* A new order whose intent this run never saw on the bus: an intent a farm
 * coordinator held since before the run, or an operator's order whose
 * intent came before the run started. Shown as a
 * place_order call of its own, outside any decision cycle, with the client
 * order id the order manager gave it. */
static pending_call *unseen_order(agui_run *r, const th_event *ev)
{
	const th_order_update *u = &ev->u.order;
	agui_step_close(r);
	json_t *a = agui_with_str(json_object(), "agent", ev->h.agent);
	a = agui_with_str(agui_with_str(a, "venue", ev->h.venue), "symbol", ev->h.symbol);
	a = agui_with_str(a, "side", trade_side_name(u->side));
	a = agui_with(a, "qty", agui_fixed(u->qty, u->qty_scale));
	if (u->price)
		a = agui_with(a, "price", agui_fixed(u->price, u->price_scale));
	a = agui_with_str(a, "client_order_id", u->client_order_id);
	if (u->intent_id <= (uint64_t)INT64_MAX)
		a = agui_with(a, "intent_id", json_integer((json_int_t)u->intent_id));
	char id[AGUI_EVENT_ID_MAX] = "";
	agui_tool_call(r, "place_order", a, NULL, id);
	if (!id[0])
		return NULL;
	pending_call *p = pend_add(r, PEND_PLACE, id, ev->h.agent);
	p->intent_id = u->intent_id;
	return p;
}

static void on_order(agui_run *r, const th_event *ev)
{
	const th_order_update *u = &ev->u.order;
	if (!(ev->h.flags & TH_EVENT_FLAG_OMS))
		return; /* the venue's raw report: the OMS re-publishes it with the agent */
	pending_call *p = u->intent_id ? pend_find_place(r, ev->h.agent, u->intent_id) : NULL;
	if (!p && u->state == TH_ORDER_SUBMITTED && ev->h.agent[0])
		p = unseen_order(r, ev);
	if (p && order_settled(u->state)) {
		agui_tool_result(r, p->id, order_result(ev, ""));
		p->kind = PEND_FREE;
	}
	p = pend_find_cancel(r, ev->h.agent, u->client_order_id);
	if (p && order_final(u->state)) {
		agui_tool_result(r, p->id, order_result(ev, u->state == TH_ORDER_CANCELED ? "" : "nothing left to cancel: "));
		p->kind = PEND_FREE;
	}
}

/* --- state deltas and reallocations --- */

/* An allocation that changed between two documents is a reallocation (by
 * the scheduled rebalance, an operator transfer or a goal action): shown as
 * a finished reallocate call. */
void agui_feed_reallocations(agui_run *r, const json_t *old, const json_t *cur, const char *group, const char *kind)
{
	const char *name;
	json_t *w;
	json_object_foreach(json_object_get(cur, group), name, w) {
		const char *now = json_string_value(json_object_get(json_object_get(w, "wallet"), "allocated"));
		const json_t *prev_w = json_object_get(json_object_get(json_object_get(old, group), name), "wallet");
		const char *before = json_string_value(json_object_get(prev_w, "allocated"));
		if (!now || !before || strcmp(now, before) == 0)
			continue;
		th_money a = 0, b = 0;
		char change[48] = "";
		if (th_fixed_parse(before, strlen(before), TH_MONEY_SCALE, &b) == 0 &&
			th_fixed_parse(now, strlen(now), TH_MONEY_SCALE, &a) == 0)
			agui_money_text(a - b, change, sizeof change);
		json_t *args = agui_with_str(agui_with_str(json_object(), "wallet", name), "kind", kind);
		args = agui_with_str(agui_with_str(args, "from", before), "to", now);
		if (change[0])
			args = agui_with_str(args, "change", change);
		char id[AGUI_EVENT_ID_MAX] = "";
		agui_tool_call(r, "reallocate", args, NULL, id);
		if (id[0])
			agui_tool_result(r, id, agui_with_str(agui_with_str(json_object(), "outcome", "done"), "allocated", now));
	}
}


/* --- dispatch --- */

void agui_feed_event(agui_run *r, const th_event *ev)
{
	switch (ev->h.type) {
	case TH_EV_TRADE:
	case TH_EV_QUOTE:
	case TH_EV_BOOK:
	case TH_EV_BAR: agui_step_close(r); break; /* a new market event: a new cycle */
	case TH_EV_AGENT_MSG:
		if (ev->h.agent[0])
			on_agent_msg(r, ev);
		break;
	case TH_EV_INTENT:
		if (ev->h.agent[0])
			on_intent(r, ev);
		break;
	case TH_EV_RISK: on_risk(r, ev); break;
	case TH_EV_ORDER: on_order(r, ev); break;
	default: break;
	}
}
