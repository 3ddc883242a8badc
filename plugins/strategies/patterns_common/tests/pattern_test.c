/* pattern_test — see pattern_test.h. */
#include "pattern_test.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#define PT_BAR_NS 60000000000LL

void pt_init(pt_run *r, const th_plugin_desc *desc, const char *const *kv)
{
	memset(r, 0, sizeof *r);
	fake_host_init(&r->h, "agent1", desc->config_schema);
	r->desc = desc;
	r->auto_fill = 1;
	r->t_ns = 1767225600000000000LL; /* 2026-01-01 */
	r->h.now_ns = r->t_ns;
	fake_config(&r->h, "symbol", "\"" PT_SYMBOL "\"");
	for (size_t i = 0; kv && kv[i]; i += 2)
		fake_config(&r->h, kv[i], kv[i + 1]);
}

int pt_create(pt_run *r)
{
	r->h.error[0] = '\0';
	return r->desc->create(&r->h.api, fake_ctx(&r->h), &r->inst);
}

void pt_start(pt_run *r, const th_plugin_desc *desc, const char *const *kv)
{
	pt_init(r, desc, kv);
	int rc = pt_create(r);
	if (rc != TH_OK)
		fail_msg("create failed (%d): %s", rc, r->h.error);
	assert_int_equal(r->desc->start(r->inst), TH_OK);
}

void pt_finish(pt_run *r)
{
	if (r->inst) {
		r->desc->stop(r->inst);
		r->desc->destroy(r->inst);
		r->inst = NULL;
	}
	assert_int_equal(r->h.live_allocs, 0);
	fake_host_free(&r->h);
}

static void own_event(pt_run *r, th_event *ev)
{
	th_strlcpy(ev->h.venue, PT_VENUE, sizeof ev->h.venue);
	th_strlcpy(ev->h.symbol, PT_SYMBOL, sizeof ev->h.symbol);
	th_strlcpy(ev->h.agent, r->h.name, sizeof ev->h.agent);
	fake_deliver(&r->h, ev);
}

/* The stand-in OMS: each new intent gets a risk decision and, if approved,
 * a fill of its whole quantity, or of fill_cap (at its limit, or the last
 * close for market orders), and a FILLED (or IOC-CANCELED) order event. */
void pt_answer(pt_run *r)
{
	while (r->answered < r->h.nevents) {
		th_event in = r->h.events[r->answered++];
		if (in.h.type != TH_EV_INTENT || in.u.intent.action != TH_INTENT_PLACE)
			continue;
		const th_order *o = &in.u.intent.order;
		th_event ev;
		th_event_init(&ev, TH_EV_RISK);
		memset(&ev.u, 0, sizeof ev.u);
		ev.u.risk.intent_id = in.u.intent.intent_id;
		ev.u.risk.approved = r->deny ? 0 : 1;
		snprintf(ev.u.risk.message, sizeof ev.u.risk.message, "%s", r->deny ? "test denial" : "");
		own_event(r, &ev);
		if (r->deny)
			continue;
		char clid[TH_CLORD_MAX];
		snprintf(clid, sizeof clid, "th%012llu", (unsigned long long)++r->fills);
		th_event_init(&ev, TH_EV_FILL);
		ev.h.flags = TH_EVENT_FLAG_OMS;
		memset(&ev.u, 0, sizeof ev.u);
		th_strlcpy(ev.u.fill.client_order_id, clid, sizeof ev.u.fill.client_order_id);
		ev.u.fill.side = o->side;
		ev.u.fill.price = o->type == TH_ORDER_LIMIT ? o->price : r->last_close;
		th_qty filled = r->fill_cap > 0 && r->fill_cap < o->qty ? r->fill_cap : o->qty;
		ev.u.fill.qty = filled;
		ev.u.fill.price_scale = o->price_scale;
		ev.u.fill.qty_scale = o->qty_scale;
		own_event(r, &ev);
		th_event_init(&ev, TH_EV_ORDER);
		ev.h.flags = TH_EVENT_FLAG_OMS;
		memset(&ev.u, 0, sizeof ev.u);
		th_strlcpy(ev.u.order.client_order_id, clid, sizeof ev.u.order.client_order_id);
		ev.u.order.state = filled == o->qty ? TH_ORDER_FILLED : TH_ORDER_CANCELED;
		ev.u.order.side = o->side;
		ev.u.order.qty = o->qty;
		ev.u.order.filled_qty = filled;
		own_event(r, &ev);
	}
}

void pt_bar(pt_run *r, th_price open, th_price high, th_price low, th_price close, th_qty volume)
{
	th_event ev;
	th_event_init(&ev, TH_EV_BAR);
	memset(&ev.u, 0, sizeof ev.u);
	th_strlcpy(ev.h.venue, PT_VENUE, sizeof ev.h.venue);
	th_strlcpy(ev.h.symbol, PT_SYMBOL, sizeof ev.h.symbol);
	ev.u.bar.open_time_ns = r->t_ns;
	ev.u.bar.interval_ns = PT_BAR_NS;
	ev.u.bar.open = open;
	ev.u.bar.high = high;
	ev.u.bar.low = low;
	ev.u.bar.close = close;
	ev.u.bar.volume = volume;
	ev.u.bar.trades = 1;
	ev.u.bar.price_scale = PT_PRICE_SCALE;
	ev.u.bar.qty_scale = PT_QTY_SCALE;
	r->t_ns += PT_BAR_NS;
	fake_advance_to(&r->h, r->t_ns);
	fake_deliver(&r->h, &ev);
	r->last_close = close;
	if (r->auto_fill)
		pt_answer(r);
}

void pt_step(pt_run *r, th_price close, th_price wick, th_qty volume)
{
	th_price open = r->last_close > 0 ? r->last_close : close;
	th_price hi = open > close ? open : close, lo = open < close ? open : close;
	pt_bar(r, open, hi + wick, lo - wick, close, volume);
}

size_t pt_intents(const pt_run *r)
{
	return fake_count(&r->h, TH_EV_INTENT);
}

const th_intent *pt_intent(const pt_run *r, size_t k)
{
	const th_event *ev = fake_event(&r->h, TH_EV_INTENT, k);
	return ev ? &ev->u.intent : NULL;
}

const char *pt_message(const pt_run *r, const char *kind, size_t k)
{
	for (size_t i = 0; i < r->h.nevents; i++) {
		const th_event *ev = &r->h.events[i];
		if (ev->h.type == TH_EV_AGENT_MSG && strcmp(ev->u.agent_msg.kind, kind) == 0 && k-- == 0)
			return ev->u.agent_msg.text;
	}
	return NULL;
}

size_t pt_messages(const pt_run *r, const char *kind)
{
	size_t n = 0;
	while (pt_message(r, kind, n))
		n++;
	return n;
}

int pt_handover(pt_run *from, pt_run *to)
{
	void *data = NULL;
	size_t len = 0;
	int rc = from->desc->export_state(from->inst, &data, &len);
	if (rc != TH_OK)
		return rc;
	rc = to->desc->import_state(to->inst, data, len);
	from->h.api.free(fake_ctx(&from->h), data);
	return rc;
}
