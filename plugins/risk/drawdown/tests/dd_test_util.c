#include "dd_test_util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

const th_plugin_desc *dd_desc(void)
{
	return TH_ENTRY_NAME();
}

const th_risk_api *dd_api(void)
{
	return dd_desc()->kind_api;
}

void rig_wallet(dd_rig *r, const char *wallet, th_money equity, th_money peak, uint32_t positions, uint32_t open_orders)
{
	th_wallet_stats st;
	memset(&st, 0, sizeof st);
	st.equity = equity;
	st.cash = equity;
	st.peak_equity = peak;
	st.positions = positions;
	st.open_orders = open_orders;
	fake_pf_wallet(&r->pf, wallet, &st);
}

void rig_position(dd_rig *r, th_qty qty)
{
	for (size_t i = 0; i < r->pf.npositions; i++) {
		if (strcmp(r->pf.positions[i].wallet, "alice") == 0) {
			r->pf.positions[i].pos.qty = qty;
			return;
		}
	}
	fake_pf_position(&r->pf, "alice", "sim", "BTC-USDT", qty, 3000000, 2, 6);
}

void rig_init(dd_rig *r)
{
	memset(r, 0, sizeof *r);
	fake_host_init(&r->h, "dd", dd_desc()->config_schema);
	fake_portfolio_attach(&r->h, &r->pf);
	th_instrument *ins = &r->pf.instruments[r->pf.ninstruments++];
	memset(ins, 0, sizeof *ins);
	th_strlcpy(ins->venue, "sim", sizeof ins->venue);
	th_strlcpy(ins->symbol, "BTC-USDT", sizeof ins->symbol);
	th_strlcpy(ins->base, "BTC", sizeof ins->base);
	th_strlcpy(ins->quote, "USDT", sizeof ins->quote);
	ins->price_scale = 2;
	ins->qty_scale = 6;
	ins->tick = 1;
	ins->lot = 1000;     /* 0.001 BTC */
	ins->min_qty = 2000; /* 0.002 BTC */
	fake_pf_price(&r->pf, "sim", "BTC-USDT", 3000000, 2);
	fake_pf_farm(&r->pf, "alice", "trend");
	rig_wallet(r, "alice", 1000 * USDT, 1000 * USDT, 0, 0);
	rig_wallet(r, "trend", 1000 * USDT, 1000 * USDT, 0, 0);
	rig_wallet(r, "total", 1000 * USDT, 1000 * USDT, 0, 0);
}

int rig_create(dd_rig *r)
{
	r->inst = NULL;
	r->h.error[0] = '\0';
	r->h.nmetrics = 0; /* a new instance registers its metrics afresh (the host drops a destroyed one's) */
	return dd_desc()->create(&r->h.api, fake_ctx(&r->h), &r->inst);
}

void rig_start(dd_rig *r)
{
	int rc = rig_create(r);
	if (rc != TH_OK)
		fail_msg("create failed (%d): %s", rc, r->h.error);
	assert_non_null(r->inst);
	assert_int_equal(dd_desc()->start(r->inst), TH_OK);
	rig_settle(r); /* the first evaluation, scheduled by start */
}

void rig_stop(dd_rig *r)
{
	if (!r->inst)
		return;
	assert_int_equal(dd_desc()->stop(r->inst), TH_OK);
	assert_int_equal(dd_desc()->stop(r->inst), TH_OK); /* idempotent */
	dd_desc()->destroy(r->inst);
	r->inst = NULL;
	fake_kill(&r->h); /* the host drops the instance's timers after stop */
	assert_int_equal(r->h.live_allocs, 0);
}

void rig_free(dd_rig *r)
{
	rig_stop(r);
	fake_host_free(&r->h);
}

th_event rig_intent(const char *agent, const char *farm, uint32_t side, th_qty qty)
{
	th_event ev;
	memset(&ev, 0, sizeof ev);
	th_event_init(&ev, TH_EV_INTENT);
	th_strlcpy(ev.h.venue, "sim", sizeof ev.h.venue);
	th_strlcpy(ev.h.symbol, "BTC-USDT", sizeof ev.h.symbol);
	th_strlcpy(ev.h.agent, agent, sizeof ev.h.agent);
	ev.u.intent.intent_id = 1;
	ev.u.intent.action = TH_INTENT_PLACE;
	th_strlcpy(ev.u.intent.farm, farm, sizeof ev.u.intent.farm);
	th_order *o = &ev.u.intent.order;
	th_strlcpy(o->symbol, "BTC-USDT", sizeof o->symbol);
	o->side = side;
	o->type = TH_ORDER_LIMIT;
	o->tif = TH_TIF_GTC;
	o->price = 3000000;
	o->qty = qty;
	o->price_scale = 2;
	o->qty_scale = 6;
	return ev;
}

th_risk_verdict rig_check_ev(dd_rig *r, const th_event *ev)
{
	th_risk_verdict v;
	memset(&v, 0xA5, sizeof v); /* garbage in: the plugin must fill every field */
	v.message[sizeof v.message - 1] = '\0';
	assert_int_equal(dd_api()->check(r->inst, ev, &v), TH_OK);
	assert_non_null(memchr(v.message, '\0', sizeof v.message));
	return v;
}

th_risk_verdict rig_check(dd_rig *r, uint32_t side, th_qty qty)
{
	th_event ev = rig_intent("alice", "trend", side, qty);
	return rig_check_ev(r, &ev);
}

void rig_advance(dd_rig *r, int64_t ns)
{
	fake_advance_to(&r->h, r->h.now_ns + ns);
}

void rig_settle(dd_rig *r)
{
	fake_advance_to(&r->h, r->h.now_ns);
}

int rig_state(const dd_rig *r, int scope, const char *name)
{
	return fake_pf_state(&r->pf, scope, name);
}

size_t rig_count_alerts(const dd_rig *r, const char *code)
{
	size_t n = 0;
	for (size_t k = 0;; k++) {
		const th_event *ev = fake_event(&r->h, TH_EV_ALERT, k);
		if (!ev)
			return n;
		n += strcmp(ev->u.alert.code, code) == 0;
	}
}
