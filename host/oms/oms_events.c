/* Venue reports in: order state changes and fills, journaled, applied once,
 * and re-published to the owning agent. */
#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "oms/oms_internal.h"

static void resolve_query(oms_t *o, oms_order *ord)
{
	if (ord->querying) {
		ord->querying = 0;
		if (o->unresolved)
			o->unresolved--;
		if (!o->unresolved)
			log_info("reconciliation complete: every order's outcome is known, trading resumes");
	}
}

static void on_order(oms_t *o, const th_event *ev)
{
	const th_order_update *u = &ev->u.order;
	oms_order *ord = oms_find(o, u->client_order_id);
	_Static_assert(sizeof ord->venue == sizeof ev->h.venue, "venue field sizes");
	if (!ord || !oms_field_eq(ord->venue, ev->h.venue, sizeof ord->venue))
		return; /* not one of ours */
	uint32_t state = u->state;
	if (state == TH_ORDER_ABSENT) {
		/* Only a query answers ABSENT. An order still in flight that the
		 * venue never saw was lost before it arrived: close it. */
		if (!ord->querying || oms_is_terminal(ord->state)) {
			resolve_query(o, ord);
			return;
		}
		state = TH_ORDER_REJECTED;
	}
	if (oms_is_terminal(ord->state)) {
		resolve_query(o, ord);
		return; /* final states are final */
	}
	const char *reason = u->state == TH_ORDER_ABSENT ? "the venue has no record of it: never received" : u->reason;
	if (oms_journaling(o)) {
		oms_rec_order_update r = { 0 };
		th_strlcpy(r.client_order_id, ord->order.client_order_id, sizeof r.client_order_id);
		th_strlcpy(r.venue_order_id, u->venue_order_id, sizeof r.venue_order_id);
		r.state = state;
		r.filled_qty = u->filled_qty;
		th_strlcpy(r.reason, reason, sizeof r.reason);
		oms_journal(o, OMS_REC_ORDER_UPDATE, oms_enc_order_update(o->buf, sizeof o->buf, &r), NULL, NULL);
	}
	/* Straight from the event: the record's fields are the event's, cut
	 * to the same sizes, so the order ends up with the same text. */
	_Static_assert(sizeof ((oms_rec_order_update *)0)->venue_order_id == sizeof u->venue_order_id &&
			       sizeof ((oms_rec_order_update *)0)->reason == sizeof u->reason,
		"record and event field sizes");
	oms_apply_update_fields(o, ord, state, u->venue_order_id, reason);
	if (state == TH_ORDER_UNKNOWN) {
		if (!ord->querying) {
			ord->querying = 1;
			o->unresolved++;
		}
		ord->query_ns = o->env.now_ns(o->env.ctx);
		o->env.query(o->env.ctx, ord->venue, ord->order.client_order_id);
	} else {
		resolve_query(o, ord);
	}
	oms_publish_order(o, ord);
}

static void on_fill(oms_t *o, const th_event *ev)
{
	oms_rec_fill r = { 0 };
	th_strlcpy(r.venue, ev->h.venue, sizeof r.venue);
	r.fill = ev->u.fill;
	oms_order *ord;
	int rc = oms_apply_fill(o, &r, &ord);
	if (rc != 0) {
		if (rc < 0)
			log_warn("fill %s for unknown order %s on %s ignored", r.fill.venue_trade_id, r.fill.client_order_id,
				r.venue);
		return;
	}
	if (oms_journaling(o))
		oms_journal(o, OMS_REC_FILL, oms_enc_fill(o->buf, sizeof o->buf, &r), NULL, NULL);
	th_event out;
	memcpy(&out, ev, th_event_size(ev));
	out.h.flags = TH_EVENT_FLAG_OMS;
	out.h.ts_ns = 0;
	th_strlcpy(out.h.agent, ord->agent, sizeof out.h.agent);
	o->env.publish(o->env.ctx, &out);
}

void oms_on_venue_event(oms_t *o, const th_event *ev)
{
	if (ev->h.flags & TH_EVENT_FLAG_OMS)
		return; /* our own re-publication */
	if (ev->h.type == TH_EV_ORDER)
		on_order(o, ev);
	else if (ev->h.type == TH_EV_FILL)
		on_fill(o, ev);
}
