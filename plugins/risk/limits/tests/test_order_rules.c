/*
 * limits — order-level rules, each with an intent just inside and just
 * outside its limit: order notional, price band (and NO_DATA without a last
 * price), conformity, restricted list, self-trade, open orders, order rate.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "lim_rig.h"

static void start_ok(rig *r)
{
	int rc = rig_start(r);
	if (rc != TH_OK)
		fail_msg("create failed (%d): %s", rc, r->h.error);
}

/* ------------------------------------------------------------ notional */

static void test_order_notional(void **state)
{
	(void)state;
	rig r;
	rig_init(&r);
	fake_config(&r.h, "max_order_notional", "1000");
	start_ok(&r);
	th_event e = rig_limit(&r, "marcus", TH_SIDE_BUY, PX(20000), QTY(0.05)); /* exactly 1000 */
	rig_expect_ok(&r, &e);
	e = rig_limit(&r, "marcus", TH_SIDE_BUY, PX(20000.01), QTY(0.05)); /* 1000.0005 */
	rig_expect_deny(&r, &e, TH_RISK_NOTIONAL);
	th_risk_verdict v = rig_check(&r, &e);
	assert_non_null(strstr(v.message, "max_order_notional"));
	assert_non_null(strstr(v.message, "1000.0005"));
	e = rig_limit(&r, "marcus", TH_SIDE_SELL, PX(20000), QTY(0.0501)); /* sells count the same */
	rig_expect_deny(&r, &e, TH_RISK_NOTIONAL);

	/* a market order is valued at the last price; none: NO_DATA */
	e = rig_market(&r, "marcus", TH_SIDE_BUY, QTY(0.05));
	rig_expect_deny(&r, &e, TH_RISK_NO_DATA);
	fake_pf_price(&r.pf, "sim", "BTCUSDT", 2000000, PS);
	rig_expect_ok(&r, &e);
	e = rig_market(&r, "marcus", TH_SIDE_BUY, QTY(0.0501));
	rig_expect_deny(&r, &e, TH_RISK_NOTIONAL);
	/* a last price at another scale (3 digits) values the same */
	fake_pf_price(&r.pf, "sim", "BTCUSDT", 20000000, 3);
	e = rig_market(&r, "marcus", TH_SIDE_BUY, QTY(0.05));
	rig_expect_ok(&r, &e);
	/* a stop is valued at its trigger */
	e = rig_intent(&r, "marcus", "BTCUSDT", TH_SIDE_SELL, TH_ORDER_STOP, 0, QTY(0.05));
	e.u.intent.order.stop_price = PX(20000.02);
	rig_expect_deny(&r, &e, TH_RISK_NOTIONAL);
	e.u.intent.order.stop_price = PX(20000);
	rig_expect_ok(&r, &e);

	assert_int_equal(fake_metric(&r.h, "limits_checks_total"), 10);
	assert_int_equal(fake_metric(&r.h, "limits_denials_total"), 6);
	rig_end(&r);
}

/* ---------------------------------------------------------- price band */

static void test_price_band(void **state)
{
	(void)state;
	rig r;
	rig_init(&r);
	fake_config(&r.h, "price_band_bps", "100");
	start_ok(&r);
	th_event e = rig_limit(&r, "marcus", TH_SIDE_BUY, PX(20200), QTY(0.1));
	rig_expect_deny(&r, &e, TH_RISK_NO_DATA); /* no last price */
	e = rig_market(&r, "marcus", TH_SIDE_BUY, QTY(0.1));
	rig_expect_deny(&r, &e, TH_RISK_NO_DATA);
	fake_pf_price(&r.pf, "sim", "BTCUSDT", PX(20000), PS);
	rig_expect_ok(&r, &e);

	e = rig_limit(&r, "marcus", TH_SIDE_BUY, PX(20200), QTY(0.1)); /* +100 bps */
	rig_expect_ok(&r, &e);
	e = rig_limit(&r, "marcus", TH_SIDE_BUY, PX(20200.01), QTY(0.1));
	rig_expect_deny(&r, &e, TH_RISK_PRICE_BAND);
	th_risk_verdict v = rig_check(&r, &e);
	assert_non_null(strstr(v.message, "price_band_bps"));
	e = rig_limit(&r, "marcus", TH_SIDE_SELL, PX(19800), QTY(0.1)); /* -100 bps */
	rig_expect_ok(&r, &e);
	e = rig_limit(&r, "marcus", TH_SIDE_SELL, PX(19799.99), QTY(0.1));
	rig_expect_deny(&r, &e, TH_RISK_PRICE_BAND);
	/* stops trigger away from the market by design: not banded */
	e = rig_intent(&r, "marcus", "BTCUSDT", TH_SIDE_SELL, TH_ORDER_STOP_LIMIT, PX(15000), QTY(0.1));
	e.u.intent.order.stop_price = PX(15000);
	rig_expect_ok(&r, &e);
	rig_end(&r);
}

static void test_price_band_override(void **state)
{
	(void)state;
	rig r;
	rig_init(&r);
	fake_pf_price(&r.pf, "sim", "ETHUSDT", PX(2000), PS);
	fake_config(&r.h, "price_band_bps", "100");
	fake_config(&r.h, "instrument_overrides", "[\"sim:ETHUSDT:price_band_bps=500\"]");
	start_ok(&r);
	th_event e = rig_intent(&r, "marcus", "ETHUSDT", TH_SIDE_BUY, TH_ORDER_LIMIT, PX(2100), QTY(1));
	rig_expect_ok(&r, &e);
	e.u.intent.order.price = PX(2100.01);
	rig_expect_deny(&r, &e, TH_RISK_PRICE_BAND);
	rig_end(&r);
}

/* ----------------------------------------------------------- conformity */

static void test_conformity(void **state)
{
	(void)state;
	rig r;
	rig_init(&r);
	th_instrument *btc = &r.pf.instruments[0];
	btc->tick = 50;             /* 0.50 */
	btc->lot = 10;              /* 0.001 */
	btc->min_qty = 20;          /* 0.002 */
	btc->min_notional = M(50);
	start_ok(&r);

	th_event e = rig_limit(&r, "marcus", TH_SIDE_BUY, PX(20000), QTY(0.003)); /* 60 */
	rig_expect_ok(&r, &e);
	e = rig_limit(&r, "marcus", TH_SIDE_BUY, PX(20000), QTY(0.0031)); /* off the lot */
	rig_expect_deny(&r, &e, TH_RISK_CONFORMITY);
	th_risk_verdict v = rig_check(&r, &e);
	assert_non_null(strstr(v.message, "lot 0.001"));
	e = rig_limit(&r, "marcus", TH_SIDE_BUY, PX(25000), QTY(0.002)); /* min qty, notional 50 */
	rig_expect_ok(&r, &e);
	e = rig_limit(&r, "marcus", TH_SIDE_BUY, PX(24999.50), QTY(0.002)); /* 49.999 */
	rig_expect_deny(&r, &e, TH_RISK_CONFORMITY);
	v = rig_check(&r, &e);
	assert_non_null(strstr(v.message, "minimum 50"));
	e = rig_limit(&r, "marcus", TH_SIDE_BUY, PX(30000), QTY(0.001)); /* below min qty */
	rig_expect_deny(&r, &e, TH_RISK_CONFORMITY);
	v = rig_check(&r, &e);
	assert_non_null(strstr(v.message, "below the minimum 0.002"));
	e = rig_limit(&r, "marcus", TH_SIDE_BUY, PX(20000.50), QTY(0.003)); /* on tick */
	rig_expect_ok(&r, &e);
	e = rig_limit(&r, "marcus", TH_SIDE_BUY, PX(20000.49), QTY(0.003)); /* off tick */
	rig_expect_deny(&r, &e, TH_RISK_CONFORMITY);
	v = rig_check(&r, &e);
	assert_non_null(strstr(v.message, "tick 0.5"));
	/* stop trigger off tick */
	e = rig_intent(&r, "marcus", "BTCUSDT", TH_SIDE_SELL, TH_ORDER_STOP, 0, QTY(0.003));
	e.u.intent.order.stop_price = PX(19000.25);
	rig_expect_deny(&r, &e, TH_RISK_CONFORMITY);
	e.u.intent.order.stop_price = PX(19000.50);
	rig_expect_ok(&r, &e);
	/* an order at a finer scale that still sits on the grid conforms */
	e = rig_limit(&r, "marcus", TH_SIDE_BUY, 0, 0);
	e.u.intent.order.price_scale = 4;
	e.u.intent.order.price = 200005000; /* 20000.5000 */
	e.u.intent.order.qty_scale = 6;
	e.u.intent.order.qty = 3000; /* 0.003000 */
	rig_expect_ok(&r, &e);
	e.u.intent.order.qty = 3001;
	rig_expect_deny(&r, &e, TH_RISK_CONFORMITY);
	/* market order: min notional needs the last price */
	e = rig_market(&r, "marcus", TH_SIDE_BUY, QTY(0.003));
	rig_expect_deny(&r, &e, TH_RISK_NO_DATA);
	fake_pf_price(&r.pf, "sim", "BTCUSDT", PX(20000), PS);
	rig_expect_ok(&r, &e);
	/* always-on sanity, even with conformity off */
	e = rig_limit(&r, "marcus", TH_SIDE_BUY, PX(20000), 0);
	rig_expect_deny(&r, &e, TH_RISK_CONFORMITY);
	e = rig_limit(&r, "marcus", 7, PX(20000), QTY(0.003));
	rig_expect_deny(&r, &e, TH_RISK_CONFORMITY);
	e = rig_limit(&r, "marcus", TH_SIDE_BUY, 0, QTY(0.003));
	rig_expect_deny(&r, &e, TH_RISK_CONFORMITY);
	rig_end(&r);
}

/* ----------------------------------------------------------- restricted */

static void test_restricted(void **state)
{
	(void)state;
	rig r;
	rig_init(&r);
	fake_config(&r.h, "conformity", "false");
	fake_config(&r.h, "restricted",
		"[\"sim:LUNAUSDT\", \"*:SHIBUSDT\", \"agent:marcus=sim:BTCUSDT\", \"farm:beta=sim:ETHUSDT\", \"agent:alex=kraken:*\"]");
	start_ok(&r);
	th_event e = rig_intent(&r, "sophia", "LUNAUSDT", TH_SIDE_BUY, TH_ORDER_LIMIT, PX(1), QTY(1));
	rig_expect_deny(&r, &e, TH_RISK_RESTRICTED);
	th_risk_verdict v = rig_check(&r, &e);
	assert_non_null(strstr(v.message, "restricted[0]"));
	e = rig_intent(&r, "sophia", "LUNAUSDX", TH_SIDE_BUY, TH_ORDER_LIMIT, PX(1), QTY(1));
	rig_expect_ok(&r, &e);
	e = rig_intent(&r, "alex", "SHIBUSDT", TH_SIDE_BUY, TH_ORDER_LIMIT, PX(1), QTY(1));
	th_strlcpy(e.h.venue, "binance", sizeof e.h.venue);
	rig_expect_deny(&r, &e, TH_RISK_RESTRICTED);
	e = rig_limit(&r, "marcus", TH_SIDE_SELL, PX(1), QTY(1));
	rig_expect_deny(&r, &e, TH_RISK_RESTRICTED);
	v = rig_check(&r, &e);
	assert_non_null(strstr(v.message, "agent marcus"));
	e = rig_limit(&r, "alex", TH_SIDE_SELL, PX(1), QTY(1));
	rig_expect_ok(&r, &e);
	e = rig_intent(&r, "sophia", "ETHUSDT", TH_SIDE_BUY, TH_ORDER_LIMIT, PX(1), QTY(1));
	rig_expect_deny(&r, &e, TH_RISK_RESTRICTED);
	e = rig_intent(&r, "marcus", "ETHUSDT", TH_SIDE_BUY, TH_ORDER_LIMIT, PX(1), QTY(1));
	rig_expect_ok(&r, &e);
	e = rig_limit(&r, "alex", TH_SIDE_BUY, PX(1), QTY(1));
	th_strlcpy(e.h.venue, "kraken", sizeof e.h.venue);
	rig_expect_deny(&r, &e, TH_RISK_RESTRICTED);
	rig_end(&r);
}

/* ----------------------------------------------------------- self-trade */

static void test_self_trade(void **state)
{
	(void)state;
	rig r;
	rig_init(&r);
	fake_pf_price(&r.pf, "sim", "BTCUSDT", PX(19500), PS);
	fake_config(&r.h, "agent_overrides", "[\"alex:self_trade_prevention=false\"]");
	rig_resting(&r, "sophia", "BTCUSDT", TH_SIDE_SELL, PX(20000), QTY(0.1));
	rig_resting(&r, "sophia", "BTCUSDT", TH_SIDE_BUY, PX(19000), QTY(0.1));
	rig_resting(&r, "sophia", "ETHUSDT", TH_SIDE_SELL, PX(1000), QTY(1));
	start_ok(&r);

	th_event e = rig_limit(&r, "marcus", TH_SIDE_BUY, PX(19999.99), QTY(0.1));
	rig_expect_ok(&r, &e);
	e = rig_limit(&r, "marcus", TH_SIDE_BUY, PX(20000), QTY(0.1));
	rig_expect_deny(&r, &e, TH_RISK_SELF_TRADE);
	th_risk_verdict v = rig_check(&r, &e);
	assert_non_null(strstr(v.message, "sell 20000 of sophia"));
	e = rig_limit(&r, "marcus", TH_SIDE_SELL, PX(19000.01), QTY(0.1));
	rig_expect_ok(&r, &e);
	e = rig_limit(&r, "marcus", TH_SIDE_SELL, PX(19000), QTY(0.1));
	rig_expect_deny(&r, &e, TH_RISK_SELF_TRADE);
	/* the agent's own orders count too */
	e = rig_limit(&r, "sophia", TH_SIDE_BUY, PX(20001), QTY(0.1));
	rig_expect_deny(&r, &e, TH_RISK_SELF_TRADE);
	/* a market order against any resting opposite order */
	e = rig_market(&r, "marcus", TH_SIDE_BUY, QTY(0.1));
	rig_expect_deny(&r, &e, TH_RISK_SELF_TRADE);
	/* other symbol: only a sell rests on ETH */
	e = rig_intent(&r, "marcus", "ETHUSDT", TH_SIDE_SELL, TH_ORDER_MARKET, 0, QTY(1));
	fake_pf_price(&r.pf, "sim", "ETHUSDT", PX(1000), PS);
	rig_expect_ok(&r, &e);
	e = rig_intent(&r, "marcus", "ETHUSDT", TH_SIDE_BUY, TH_ORDER_LIMIT, PX(999.99), QTY(1));
	rig_expect_ok(&r, &e);
	/* switched off for alex */
	e = rig_limit(&r, "alex", TH_SIDE_BUY, PX(20000), QTY(0.1));
	rig_expect_ok(&r, &e);
	rig_end(&r);
}

/* An order this plugin approved is resting before the next check (the OMS
 * placed it): the next crossing order must see it. */
static void test_self_trade_sees_just_approved_order(void **state)
{
	(void)state;
	rig r;
	rig_init(&r);
	fake_config(&r.h, "cache_max_age_ms", "60000");
	start_ok(&r);
	th_event e = rig_limit(&r, "marcus", TH_SIDE_BUY, PX(100), QTY(1));
	rig_expect_ok(&r, &e);
	rig_resting(&r, "marcus", "BTCUSDT", TH_SIDE_BUY, PX(100), QTY(1)); /* what the OMS did */
	e = rig_limit(&r, "marcus", TH_SIDE_SELL, PX(99.99), QTY(1));
	rig_expect_deny(&r, &e, TH_RISK_SELF_TRADE);
	rig_end(&r);
}

/* ---------------------------------------------------------- open orders */

static void test_open_orders(void **state)
{
	(void)state;
	rig r;
	rig_init(&r);
	fake_config(&r.h, "max_open_orders", "2");
	fake_config(&r.h, "farm_overrides", "[\"beta:max_open_orders=0\"]");
	fake_config(&r.h, "cache_max_age_ms", "0");
	rig_resting(&r, "marcus", "BTCUSDT", TH_SIDE_BUY, PX(90), QTY(1));
	rig_resting(&r, "alex", "BTCUSDT", TH_SIDE_BUY, PX(90), QTY(1));
	rig_resting(&r, "alex", "BTCUSDT", TH_SIDE_BUY, PX(91), QTY(1));
	start_ok(&r);
	th_event e = rig_limit(&r, "marcus", TH_SIDE_BUY, PX(95), QTY(1)); /* 1 open + this = 2 */
	rig_expect_ok(&r, &e);
	e = rig_limit(&r, "alex", TH_SIDE_BUY, PX(95), QTY(1)); /* 2 open + this = 3 */
	rig_expect_deny(&r, &e, TH_RISK_OPEN_ORDERS);
	th_risk_verdict v = rig_check(&r, &e);
	assert_non_null(strstr(v.message, "agent alex already has 2 open orders (max 2)"));
	rig_resting(&r, "marcus", "BTCUSDT", TH_SIDE_BUY, PX(92), QTY(1));
	e = rig_limit(&r, "marcus", TH_SIDE_BUY, PX(95), QTY(1));
	rig_expect_deny(&r, &e, TH_RISK_OPEN_ORDERS);
	e = rig_limit(&r, "sophia", TH_SIDE_BUY, PX(95), QTY(1)); /* farm beta: none allowed */
	rig_expect_deny(&r, &e, TH_RISK_OPEN_ORDERS);
	rig_end(&r);
}

/* ----------------------------------------------------------------- rate */

static void test_rate_per_second(void **state)
{
	(void)state;
	rig r;
	rig_init(&r);
	fake_config(&r.h, "max_orders_per_second", "3");
	start_ok(&r);
	int64_t t0 = r.h.now_ns;
	th_event e = rig_limit(&r, "marcus", TH_SIDE_BUY, PX(100), QTY(1));
	for (int i = 0; i < 3; i++) {
		fake_advance_to(&r.h, t0 + i * 100000000LL);
		rig_expect_ok(&r, &e);
	}
	fake_advance_to(&r.h, t0 + SEC - 1); /* first order still inside (now - 1 s, now] */
	rig_expect_deny(&r, &e, TH_RISK_RATE);
	th_risk_verdict v = rig_check(&r, &e);
	assert_non_null(strstr(v.message, "placed 3 orders in the last second (max 3)"));
	th_event other = rig_limit(&r, "alex", TH_SIDE_BUY, PX(100), QTY(1)); /* per agent */
	rig_expect_ok(&r, &other);
	fake_advance_to(&r.h, t0 + SEC); /* the first one left the window */
	rig_expect_ok(&r, &e);
	rig_expect_deny(&r, &e, TH_RISK_RATE); /* denials did not count, this approval did */
	fake_advance_to(&r.h, t0 + SEC + 100000000LL);
	rig_expect_ok(&r, &e);
	rig_end(&r);
}

static void test_rate_per_minute_and_override(void **state)
{
	(void)state;
	rig r;
	rig_init(&r);
	fake_config(&r.h, "max_orders_per_minute", "5");
	fake_config(&r.h, "farm_overrides", "[\"beta:max_orders_per_minute=2\"]");
	start_ok(&r);
	int64_t t0 = r.h.now_ns;
	th_event e = rig_limit(&r, "marcus", TH_SIDE_BUY, PX(100), QTY(1));
	for (int i = 0; i < 5; i++) {
		fake_advance_to(&r.h, t0 + i * 10 * SEC);
		rig_expect_ok(&r, &e);
	}
	fake_advance_to(&r.h, t0 + 60 * SEC - 1);
	rig_expect_deny(&r, &e, TH_RISK_RATE);
	fake_advance_to(&r.h, t0 + 60 * SEC);
	rig_expect_ok(&r, &e);
	fake_advance_to(&r.h, t0 + 65 * SEC);
	rig_expect_deny(&r, &e, TH_RISK_RATE);
	fake_advance_to(&r.h, t0 + 70 * SEC);
	rig_expect_ok(&r, &e);

	th_event s = rig_limit(&r, "sophia", TH_SIDE_BUY, PX(100), QTY(1));
	rig_expect_ok(&r, &s);
	rig_expect_ok(&r, &s);
	rig_expect_deny(&r, &s, TH_RISK_RATE);
	rig_end(&r);
}

/* Both windows on: the 1 s window is counted inside the kept minute. */
static void test_rate_both_windows(void **state)
{
	(void)state;
	rig r;
	rig_init(&r);
	fake_config(&r.h, "max_orders_per_second", "2");
	fake_config(&r.h, "max_orders_per_minute", "4");
	start_ok(&r);
	int64_t t0 = r.h.now_ns;
	th_event e = rig_limit(&r, "marcus", TH_SIDE_BUY, PX(100), QTY(1));
	rig_expect_ok(&r, &e);
	fake_advance_to(&r.h, t0 + SEC / 2);
	rig_expect_ok(&r, &e);
	rig_expect_deny(&r, &e, TH_RISK_RATE);
	fake_advance_to(&r.h, t0 + SEC); /* the order at t0 is exactly 1 s old: out */
	rig_expect_ok(&r, &e);
	fake_advance_to(&r.h, t0 + 3 * SEC / 2); /* t0 + 0.5 s is exactly 1 s old */
	rig_expect_ok(&r, &e);
	fake_advance_to(&r.h, t0 + 3 * SEC); /* 1 s window empty, 4 in the minute */
	th_risk_verdict v = rig_check(&r, &e);
	assert_int_equal(v.approved, 0);
	assert_non_null(strstr(v.message, "max_orders_per_minute"));
	fake_advance_to(&r.h, t0 + 60 * SEC);
	rig_expect_ok(&r, &e);
	rig_end(&r);
}

/* Many orders in one window: the ring grows past its first size and wraps. */
static void test_rate_ring_growth(void **state)
{
	(void)state;
	rig r;
	rig_init(&r);
	fake_config(&r.h, "max_orders_per_second", "100");
	start_ok(&r);
	int64_t t0 = r.h.now_ns;
	th_event e = rig_limit(&r, "marcus", TH_SIDE_BUY, PX(100), QTY(1));
	for (int round = 0; round < 5; round++) {
		for (int i = 0; i < 100; i++) {
			fake_advance_to(&r.h, t0 + round * SEC + i * 1000000LL);
			rig_expect_ok(&r, &e);
		}
		rig_expect_deny(&r, &e, TH_RISK_RATE);
	}
	rig_end(&r);
}

/* Cancels are never limited; other event types are refused. */
static void test_non_place_intents(void **state)
{
	(void)state;
	rig r;
	rig_init(&r);
	fake_config(&r.h, "max_open_orders", "0");
	start_ok(&r);
	th_event e = rig_limit(&r, "marcus", TH_SIDE_BUY, PX(100), QTY(1));
	rig_expect_deny(&r, &e, TH_RISK_OPEN_ORDERS);
	e.u.intent.action = TH_INTENT_CANCEL;
	rig_expect_ok(&r, &e);
	e.u.intent.action = TH_INTENT_CANCEL_ALL;
	rig_expect_ok(&r, &e);
	e.u.intent.action = TH_INTENT_PLACE;
	e.h.type = TH_EV_ORDER;
	rig_expect_deny(&r, &e, TH_RISK_ERROR);
	e = rig_limit(&r, "", TH_SIDE_BUY, PX(100), QTY(1));
	rig_expect_deny(&r, &e, TH_RISK_ERROR);
	e = rig_limit(&r, "marcus", TH_SIDE_BUY, PX(100), QTY(1));
	e.h.venue[0] = '\0';
	rig_expect_deny(&r, &e, TH_RISK_CONFORMITY);
	rig_end(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_notional),
		cmocka_unit_test(test_price_band),
		cmocka_unit_test(test_price_band_override),
		cmocka_unit_test(test_conformity),
		cmocka_unit_test(test_restricted),
		cmocka_unit_test(test_self_trade),
		cmocka_unit_test(test_self_trade_sees_just_approved_order),
		cmocka_unit_test(test_open_orders),
		cmocka_unit_test(test_rate_per_second),
		cmocka_unit_test(test_rate_per_minute_and_override),
		cmocka_unit_test(test_rate_both_windows),
		cmocka_unit_test(test_rate_ring_growth),
		cmocka_unit_test(test_non_place_intents),
	};
	return cmocka_run_group_tests_name("limits_order_rules", tests, NULL, NULL);
}
