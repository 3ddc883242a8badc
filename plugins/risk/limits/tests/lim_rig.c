/* limits tests — the rig (see lim_rig.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "lim_rig.h"

static void add_instrument(rig *r, const char *symbol)
{
	th_instrument *i = &r->pf.instruments[r->pf.ninstruments++];
	memset(i, 0, sizeof *i);
	th_strlcpy(i->venue, "sim", sizeof i->venue);
	th_strlcpy(i->symbol, symbol, sizeof i->symbol);
	th_strlcpy(i->quote, "USDT", sizeof i->quote);
	i->price_scale = PS;
	i->qty_scale = QS;
	i->tick = 1;
	i->lot = 1;
	i->min_qty = 1;
	i->min_notional = 0;
}

void rig_init(rig *r)
{
	memset(r, 0, sizeof *r);
	r->desc = TH_ENTRY_NAME();
	r->risk = r->desc->kind_api;
	fake_host_init(&r->h, "limits", r->desc->config_schema);
	fake_portfolio_attach(&r->h, &r->pf);
	add_instrument(r, "BTCUSDT");
	add_instrument(r, "ETHUSDT");
	add_instrument(r, "SOLUSDT");
	fake_pf_farm(&r->pf, "marcus", "alpha");
	fake_pf_farm(&r->pf, "alex", "alpha");
	fake_pf_farm(&r->pf, "sophia", "beta");
	r->next_intent = 1;
}

int rig_start(rig *r)
{
	int rc = r->desc->create(&r->h.api, fake_ctx(&r->h), &r->inst);
	if (rc != TH_OK) {
		r->inst = NULL;
		return rc;
	}
	assert_int_equal(r->desc->start(r->inst), TH_OK);
	return TH_OK;
}

void rig_end(rig *r)
{
	if (r->inst) {
		assert_int_equal(r->desc->stop(r->inst), TH_OK);
		assert_int_equal(r->desc->stop(r->inst), TH_OK); /* idempotent */
		r->desc->destroy(r->inst);
		r->inst = NULL;
	}
	assert_int_equal(r->h.live_allocs, 0);
	fake_host_free(&r->h);
}

th_event rig_intent(rig *r, const char *agent, const char *symbol, uint32_t side, uint32_t type, th_price price,
	th_qty qty)
{
	th_event ev;
	memset(&ev, 0, sizeof ev);
	th_event_init(&ev, TH_EV_INTENT);
	th_strlcpy(ev.h.venue, "sim", sizeof ev.h.venue);
	th_strlcpy(ev.h.symbol, symbol, sizeof ev.h.symbol);
	th_strlcpy(ev.h.agent, agent, sizeof ev.h.agent);
	ev.u.intent.intent_id = r->next_intent++;
	ev.u.intent.action = TH_INTENT_PLACE;
	th_order *o = &ev.u.intent.order;
	th_strlcpy(o->symbol, symbol, sizeof o->symbol);
	o->side = side;
	o->type = type;
	o->tif = TH_TIF_GTC;
	o->price = price;
	o->qty = qty;
	o->price_scale = PS;
	o->qty_scale = QS;
	return ev;
}

th_event rig_limit(rig *r, const char *agent, uint32_t side, th_price price, th_qty qty)
{
	return rig_intent(r, agent, "BTCUSDT", side, TH_ORDER_LIMIT, price, qty);
}

th_event rig_market(rig *r, const char *agent, uint32_t side, th_qty qty)
{
	return rig_intent(r, agent, "BTCUSDT", side, TH_ORDER_MARKET, 0, qty);
}

th_risk_verdict rig_check(rig *r, const th_event *ev)
{
	th_risk_verdict v;
	memset(&v, 0xAB, sizeof v); /* the plugin must fill every field */
	assert_int_equal(r->risk->check(r->inst, ev, &v), TH_OK);
	return v;
}

void rig_expect_ok(rig *r, const th_event *ev)
{
	th_risk_verdict v = rig_check(r, ev);
	if (v.approved != 1)
		fail_msg("expected approval, got denial %u: %s", v.reason_code, v.message);
	assert_int_equal(v.reason_code, TH_RISK_APPROVED);
	assert_int_equal(v.max_qty, 0);
}

void rig_expect_deny(rig *r, const th_event *ev, uint32_t reason)
{
	th_risk_verdict v = rig_check(r, ev);
	if (v.approved != 0)
		fail_msg("expected denial %u, got approval", reason);
	if (v.reason_code != reason)
		fail_msg("expected reason %u, got %u: %s", reason, v.reason_code, v.message);
	assert_non_null(memchr(v.message, 0, sizeof v.message));
	assert_true(strlen(v.message) > 0);
}

void rig_wallet(rig *r, const char *wallet, th_money equity, th_money gross, th_money net, uint32_t positions)
{
	th_wallet_stats st;
	memset(&st, 0, sizeof st);
	st.equity = equity;
	st.cash = equity;
	st.gross_exposure = gross;
	st.net_exposure = net;
	st.peak_equity = equity;
	st.positions = positions;
	fake_pf_wallet(&r->pf, wallet, &st);
}

void rig_resting(rig *r, const char *agent, const char *symbol, uint32_t side, th_price price, th_qty qty)
{
	th_order o;
	memset(&o, 0, sizeof o);
	snprintf(o.client_order_id, sizeof o.client_order_id, "c%zu", r->pf.norders);
	th_strlcpy(o.symbol, symbol, sizeof o.symbol);
	o.side = side;
	o.type = TH_ORDER_LIMIT;
	o.tif = TH_TIF_GTC;
	o.price = price;
	o.qty = qty;
	o.price_scale = PS;
	o.qty_scale = QS;
	fake_pf_order(&r->pf, agent, &o);
}

void rig_fill_event(rig *r)
{
	th_event ev;
	memset(&ev, 0, sizeof ev);
	th_event_init(&ev, TH_EV_FILL);
	th_strlcpy(ev.h.venue, "sim", sizeof ev.h.venue);
	th_strlcpy(ev.h.symbol, "BTCUSDT", sizeof ev.h.symbol);
	fake_deliver(&r->h, &ev);
}
