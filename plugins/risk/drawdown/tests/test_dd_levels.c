/*
 * drawdown — levels and check(): the exact drawdown math, each level of each
 * scope tripping exactly at its threshold (one money unit inside / outside),
 * soft scaling rounded down to the lot, reducing intents passing at the hard
 * level, missing data denied, latched levels outliving a recovery, and the
 * host vs self peak.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dd_math.h"
#include "dd_test_util.h"

/* ------------------------------------------------------------------ math */

static void math_reached_is_exact(void **state)
{
	(void)state;
	const th_money peak = 1000 * USDT;
	assert_true(dd_reached(100000, peak, 900 * USDT));      /* exactly 10 % */
	assert_false(dd_reached(100000, peak, 900 * USDT + 1)); /* one unit short */
	assert_true(dd_reached(100000, peak, 900 * USDT - 1));
	assert_true(dd_reached(123456, peak, peak - peak / 1000000 * 123456)); /* 12.3456 % */
	assert_false(dd_reached(0, peak, 0));                   /* level off */
	assert_false(dd_reached(100000, 0, -5 * USDT));         /* nothing to draw down from */
	assert_true(dd_reached(1000000, peak, 0));              /* 100 % */
	assert_true(dd_reached(1000000, peak, -1));
	/* Large values do not overflow. */
	assert_true(dd_reached(500000, INT64_MAX, INT64_MAX / 2));
	assert_false(dd_reached(500000, INT64_MAX, INT64_MAX / 2 + 2));
	assert_int_equal(dd_ppm(peak, 875 * USDT), 125000);
	assert_int_equal(dd_ppm(peak, peak + 1), 0);
	char buf[32];
	dd_fmt_pct(125000, buf, sizeof buf);
	assert_string_equal(buf, "12.5");
	dd_fmt_pct(100000, buf, sizeof buf);
	assert_string_equal(buf, "10");
	dd_fmt_pct(1, buf, sizeof buf);
	assert_string_equal(buf, "0.0001");
}

static void math_scaling_rounds_down_to_the_lot(void **state)
{
	(void)state;
	th_qty q;
	assert_int_equal(dd_scale_qty(10000, 5000, 1000, &q), 0);
	assert_int_equal(q, 5000);
	assert_int_equal(dd_scale_qty(3000, 5000, 1000, &q), 0); /* 1500 -> 1000 */
	assert_int_equal(q, 1000);
	assert_int_equal(dd_scale_qty(1000000, 3333, 1000, &q), 0); /* 333300 -> 333000 */
	assert_int_equal(q, 333000);
	assert_int_equal(dd_scale_qty(999, 10000, 1000, &q), 0); /* below one lot -> 0 */
	assert_int_equal(q, 0);
	assert_int_equal(dd_scale_qty(INT64_MAX, 9999, 1, &q), 0); /* no overflow */
	assert_true(q < INT64_MAX && q > INT64_MAX / 10000 * 9998);
	assert_int_equal(dd_scale_qty(1000, 5000, 0, &q), -1);
}

static void math_effective_peak(void **state)
{
	(void)state;
	dd_scope s;
	memset(&s, 0, sizeof s);
	s.host_peak_floor = INT64_MIN;
	th_wallet_stats st;
	memset(&st, 0, sizeof st);
	st.equity = 800;
	st.peak_equity = 1000;
	assert_int_equal(dd_effective_peak(&s, &st, 0), 1000); /* host peak */
	assert_int_equal(dd_effective_peak(&s, &st, 1), 800);  /* self: only what we saw */
	s.peak = 900;
	s.host_peak_floor = 1000; /* re-based at 900 when the host peak was 1000 */
	assert_int_equal(dd_effective_peak(&s, &st, 0), 900);
	st.peak_equity = 1001; /* a new host high after the re-base counts again */
	assert_int_equal(dd_effective_peak(&s, &st, 0), 1001);
}

/* --------------------------------------------------------------- helpers */

static void assert_approved(th_risk_verdict v, th_qty max_qty)
{
	if (!v.approved)
		fail_msg("denied (%u): %s", v.reason_code, v.message);
	assert_int_equal(v.reason_code, TH_RISK_APPROVED);
	assert_int_equal(v.max_qty, max_qty);
}

static void assert_denied(th_risk_verdict v, uint32_t reason, const char *needle)
{
	if (v.approved)
		fail_msg("approved (max_qty %lld): %s", (long long)v.max_qty, v.message);
	assert_int_equal(v.reason_code, reason);
	if (needle && !strstr(v.message, needle))
		fail_msg("message \"%s\" lacks \"%s\"", v.message, needle);
}

/* ---------------------------------------------------- each level, agent */

static void agent_soft_trips_exactly_at_its_level(void **state)
{
	(void)state;
	dd_rig r;
	rig_init(&r);
	rig_start(&r);
	rig_wallet(&r, "alice", 900 * USDT + 1, 1000 * USDT, 0, 0); /* 9.999999999 % */
	assert_approved(rig_check(&r, TH_SIDE_BUY, 10000), 0);
	rig_settle(&r);
	assert_int_equal(rig_count_alerts(&r, "drawdown_soft"), 0);

	rig_wallet(&r, "alice", 900 * USDT, 1000 * USDT, 0, 0); /* exactly 10 % */
	th_risk_verdict v = rig_check(&r, TH_SIDE_BUY, 10000);
	assert_approved(v, 5000); /* 0.01 BTC x 50 % */
	assert_non_null(strstr(v.message, "agent alice drawdown 10% (soft level 10%)"));
	rig_settle(&r);
	assert_int_equal(rig_count_alerts(&r, "drawdown_soft"), 1);
	assert_int_equal(rig_state(&r, TH_SCOPE_AGENT, "alice"), TH_STATE_ACTIVE); /* soft never touches the state */
	assert_int_equal(r.pf.nreduces, 0);
	assert_int_equal(fake_metric(&r.h, "drawdown_scaled_total"), 1);
	assert_int_equal(fake_metric(&r.h, "drawdown_trips_total"), 1);
	rig_free(&r);
}

static void agent_hard_trips_exactly_at_its_level(void **state)
{
	(void)state;
	dd_rig r;
	rig_init(&r);
	rig_start(&r);
	rig_wallet(&r, "alice", 800 * USDT + 1, 1000 * USDT, 1, 0);
	assert_approved(rig_check(&r, TH_SIDE_BUY, 10000), 5000); /* still soft */
	rig_settle(&r);
	assert_int_equal(rig_state(&r, TH_SCOPE_AGENT, "alice"), TH_STATE_ACTIVE);

	rig_wallet(&r, "alice", 800 * USDT, 1000 * USDT, 1, 0);
	assert_denied(rig_check(&r, TH_SIDE_BUY, 10000), TH_RISK_DRAWDOWN, "agent alice drawdown 20% (hard level 20%)");
	assert_int_equal(fake_pending_timers(&r.h), 2); /* the tick + the evaluation check() asked for */
	rig_settle(&r);
	assert_int_equal(rig_state(&r, TH_SCOPE_AGENT, "alice"), TH_STATE_REDUCING);
	assert_int_equal(r.pf.nreduces, 1); /* first de-leveraging step right at the trip */
	assert_int_equal(r.pf.reduces[0].scope, TH_SCOPE_AGENT);
	assert_string_equal(r.pf.reduces[0].name, "alice");
	assert_int_equal(r.pf.reduces[0].step_bps, 2500);
	assert_int_equal(rig_count_alerts(&r, "drawdown_hard"), 1);
	rig_free(&r);
}

static void agent_kill_trips_exactly_at_its_level(void **state)
{
	(void)state;
	dd_rig r;
	rig_init(&r);
	rig_start(&r);
	rig_wallet(&r, "alice", 700 * USDT + 1, 1000 * USDT, 1, 0);
	rig_advance(&r, SEC);
	assert_int_equal(rig_state(&r, TH_SCOPE_AGENT, "alice"), TH_STATE_ACTIVE); /* alice not known yet */
	assert_denied(rig_check(&r, TH_SIDE_BUY, 10000), TH_RISK_DRAWDOWN, "hard level");
	rig_settle(&r);
	assert_int_equal(rig_state(&r, TH_SCOPE_AGENT, "alice"), TH_STATE_REDUCING);

	rig_wallet(&r, "alice", 700 * USDT, 1000 * USDT, 1, 0);
	assert_denied(rig_check(&r, TH_SIDE_BUY, 10000), TH_RISK_DRAWDOWN, "(kill level 30%)");
	rig_settle(&r);
	assert_int_equal(rig_state(&r, TH_SCOPE_AGENT, "alice"), TH_STATE_HALTED);
	assert_int_equal(r.pf.nreduces, 2);
	assert_int_equal(r.pf.reduces[1].step_bps, 10000); /* flatten */
	assert_int_equal(rig_count_alerts(&r, "drawdown_kill"), 1);
	rig_free(&r);
}

/* ------------------------------------------------------ farm and host */

static void farm_levels_trip_exactly(void **state)
{
	(void)state;
	dd_rig r;
	rig_init(&r);
	rig_start(&r);
	rig_wallet(&r, "trend", 950 * USDT + 1, 1000 * USDT, 0, 0);
	assert_approved(rig_check(&r, TH_SIDE_BUY, 10000), 0);
	rig_wallet(&r, "trend", 950 * USDT, 1000 * USDT, 0, 0);
	assert_approved(rig_check(&r, TH_SIDE_BUY, 10000), 5000);
	rig_wallet(&r, "trend", 900 * USDT + 1, 1000 * USDT, 0, 0);
	assert_approved(rig_check(&r, TH_SIDE_BUY, 10000), 5000);
	rig_wallet(&r, "trend", 900 * USDT, 1000 * USDT, 0, 0);
	assert_denied(rig_check(&r, TH_SIDE_BUY, 10000), TH_RISK_DRAWDOWN, "farm trend drawdown 10% (hard level 10%)");
	rig_settle(&r);
	assert_int_equal(rig_state(&r, TH_SCOPE_FARM, "trend"), TH_STATE_REDUCING);
	assert_int_equal(rig_state(&r, TH_SCOPE_AGENT, "alice"), TH_STATE_ACTIVE);
	rig_wallet(&r, "trend", 850 * USDT + 1, 1000 * USDT, 0, 0);
	rig_advance(&r, SEC);
	assert_int_equal(rig_state(&r, TH_SCOPE_FARM, "trend"), TH_STATE_REDUCING);
	rig_wallet(&r, "trend", 850 * USDT, 1000 * USDT, 0, 0);
	rig_advance(&r, SEC);
	assert_int_equal(rig_state(&r, TH_SCOPE_FARM, "trend"), TH_STATE_HALTED);
	rig_free(&r);
}

static void host_levels_trip_exactly(void **state)
{
	(void)state;
	dd_rig r;
	rig_init(&r);
	rig_start(&r);
	/* The host is watched from the start: the tick alone trips it. */
	rig_wallet(&r, "total", 940 * USDT + 1, 1000 * USDT, 3, 0);
	rig_advance(&r, SEC);
	assert_int_equal(rig_count_alerts(&r, "drawdown_soft"), 1);
	assert_int_equal(rig_state(&r, TH_SCOPE_HOST, ""), TH_STATE_ACTIVE);
	assert_int_equal(fake_metric(&r.h, "drawdown_host_ppm"), 59999);
	rig_wallet(&r, "total", 940 * USDT, 1000 * USDT, 3, 0);
	rig_advance(&r, SEC);
	assert_int_equal(rig_state(&r, TH_SCOPE_HOST, ""), TH_STATE_REDUCING);
	assert_denied(rig_check(&r, TH_SIDE_BUY, 10000), TH_RISK_DRAWDOWN, "host drawdown 6% (hard level 6%)");
	rig_wallet(&r, "total", 900 * USDT + 1, 1000 * USDT, 3, 0);
	rig_advance(&r, SEC);
	assert_int_equal(rig_state(&r, TH_SCOPE_HOST, ""), TH_STATE_REDUCING);
	rig_wallet(&r, "total", 900 * USDT, 1000 * USDT, 3, 0);
	rig_advance(&r, SEC);
	assert_int_equal(rig_state(&r, TH_SCOPE_HOST, ""), TH_STATE_HALTED);
	assert_int_equal(r.pf.reduces[r.pf.nreduces - 1].scope, TH_SCOPE_HOST);
	assert_string_equal(r.pf.reduces[r.pf.nreduces - 1].name, "");
	assert_int_equal(r.pf.reduces[r.pf.nreduces - 1].step_bps, 10000);
	rig_free(&r);
}

/* ------------------------------------------------------------- scaling */

static void soft_scaling_cases(void **state)
{
	(void)state;
	dd_rig r;
	rig_init(&r);
	fake_config(&r.h, "soft_scale_pct", "\"33.33\"");
	rig_start(&r);
	rig_wallet(&r, "alice", 850 * USDT, 1000 * USDT, 0, 0); /* 15 %: soft */
	assert_approved(rig_check(&r, TH_SIDE_BUY, 1 * BTC), 333000);
	assert_approved(rig_check(&r, TH_SIDE_BUY, 9000), 2000); /* 2999.7 -> 2000 */
	/* 0.006 x 33.33 % = 0.0019998 -> 0.001: below min_qty 0.002 -> denied */
	assert_denied(rig_check(&r, TH_SIDE_BUY, 6000), TH_RISK_DRAWDOWN, "below the lot / min_qty");
	/* Order at a finer qty scale than the instrument: the lot is rescaled. */
	th_event ev = rig_intent("alice", "trend", TH_SIDE_BUY, 1 * BTC * 100);
	ev.u.intent.order.qty_scale = 8;
	assert_approved(rig_check_ev(&r, &ev), 33300000);
	/* ... and a coarser one cannot express the lot: no data to round with. */
	ev = rig_intent("alice", "trend", TH_SIDE_BUY, 100);
	ev.u.intent.order.qty_scale = 2;
	assert_denied(rig_check_ev(&r, &ev), TH_RISK_NO_DATA, "lot");
	/* No instrument: cannot round, deny. */
	ev = rig_intent("alice", "trend", TH_SIDE_BUY, 10000);
	th_strlcpy(ev.u.intent.order.symbol, "ETH-USDT", sizeof ev.u.intent.order.symbol);
	assert_denied(rig_check_ev(&r, &ev), TH_RISK_NO_DATA, "no instrument sim:ETH-USDT");
	rig_free(&r);
}

static void scale_of_100_pct_approves_as_asked(void **state)
{
	(void)state;
	dd_rig r;
	rig_init(&r);
	fake_config(&r.h, "soft_scale_pct", "100");
	rig_start(&r);
	rig_wallet(&r, "alice", 850 * USDT, 1000 * USDT, 0, 0);
	assert_approved(rig_check(&r, TH_SIDE_BUY, 10000), 0);
	rig_free(&r);
}

/* --------------------------------------------------- reducing vs growing */

static void reducing_intents_pass_at_hard_and_kill(void **state)
{
	(void)state;
	dd_rig r;
	rig_init(&r);
	rig_start(&r);
	rig_position(&r, 10000); /* alice long 0.01 BTC */
	rig_wallet(&r, "alice", 800 * USDT, 1000 * USDT, 1, 0);
	assert_approved(rig_check(&r, TH_SIDE_SELL, 10000), 0);  /* to flat */
	assert_approved(rig_check(&r, TH_SIDE_SELL, 4000), 0);   /* part */
	assert_denied(rig_check(&r, TH_SIDE_SELL, 10001), TH_RISK_DRAWDOWN, NULL); /* flip */
	assert_denied(rig_check(&r, TH_SIDE_BUY, 1000), TH_RISK_DRAWDOWN, NULL);   /* grow */

	/* A resting sell of 0.005 already reduces the same position. */
	th_order o;
	memset(&o, 0, sizeof o);
	th_strlcpy(o.symbol, "BTC-USDT", sizeof o.symbol);
	o.side = TH_SIDE_SELL;
	o.qty = 5000;
	o.qty_scale = 6;
	fake_pf_order(&r.pf, "alice", &o);
	assert_approved(rig_check(&r, TH_SIDE_SELL, 5000), 0);
	assert_denied(rig_check(&r, TH_SIDE_SELL, 5001), TH_RISK_DRAWDOWN, NULL);

	/* A position at another qty scale is compared exactly. */
	r.pf.positions[0].pos.qty = 1000; /* 0.01 at scale 5 */
	r.pf.positions[0].pos.qty_scale = 5;
	assert_approved(rig_check(&r, TH_SIDE_SELL, 5000), 0);

	/* Same on the kill level; short positions mirror it. */
	rig_wallet(&r, "alice", 600 * USDT, 1000 * USDT, 1, 0);
	r.pf.positions[0].pos.qty = -20000;
	r.pf.positions[0].pos.qty_scale = 6;
	r.pf.norders = 0;
	assert_approved(rig_check(&r, TH_SIDE_BUY, 20000), 0);
	assert_denied(rig_check(&r, TH_SIDE_BUY, 20001), TH_RISK_DRAWDOWN, "kill level");
	assert_denied(rig_check(&r, TH_SIDE_SELL, 1000), TH_RISK_DRAWDOWN, "kill level");
	/* The position on another venue is not this one. */
	th_event ev = rig_intent("alice", "trend", TH_SIDE_BUY, 1000);
	th_strlcpy(ev.h.venue, "binance", sizeof ev.h.venue);
	assert_denied(rig_check_ev(&r, &ev), TH_RISK_DRAWDOWN, NULL);
	rig_free(&r);
}

static void reducing_intents_are_not_scaled(void **state)
{
	(void)state;
	dd_rig r;
	rig_init(&r);
	rig_start(&r);
	rig_position(&r, 10000);
	rig_wallet(&r, "alice", 850 * USDT, 1000 * USDT, 1, 0);
	assert_approved(rig_check(&r, TH_SIDE_SELL, 10000), 0);
	assert_approved(rig_check(&r, TH_SIDE_BUY, 10000), 5000);
	rig_free(&r);
}

static void scan_limit_fails_closed(void **state)
{
	(void)state;
	dd_rig r;
	rig_init(&r);
	fake_config(&r.h, "position_scan_max", "1");
	rig_start(&r);
	fake_pf_position(&r.pf, "alice", "sim", "ETH-USDT", 5, 1, 2, 6);
	rig_position(&r, 10000);
	rig_wallet(&r, "alice", 800 * USDT, 1000 * USDT, 2, 0);
	/* Two positions, one read: cannot prove the sell reduces. */
	assert_denied(rig_check(&r, TH_SIDE_SELL, 1000), TH_RISK_DRAWDOWN, NULL);
	rig_free(&r);
}

/* ------------------------------------------- missing data, cancels, latch */

static void missing_wallet_figures_deny(void **state)
{
	(void)state;
	dd_rig r;
	rig_init(&r);
	rig_start(&r);
	th_event ev = rig_intent("bob", "trend", TH_SIDE_BUY, 1000);
	assert_denied(rig_check_ev(&r, &ev), TH_RISK_NO_DATA, "no wallet figures for agent bob");
	ev = rig_intent("alice", "meanrev", TH_SIDE_BUY, 1000);
	assert_denied(rig_check_ev(&r, &ev), TH_RISK_NO_DATA, "farm meanrev");
	assert_int_equal(fake_metric(&r.h, "drawdown_no_data_total"), 2);
	assert_int_equal(fake_metric(&r.h, "drawdown_denied_total"), 2);
	/* The farm comes from the host when the intent lacks it. */
	ev = rig_intent("alice", "", TH_SIDE_BUY, 1000);
	rig_wallet(&r, "trend", 900 * USDT, 1000 * USDT, 0, 0);
	assert_denied(rig_check_ev(&r, &ev), TH_RISK_DRAWDOWN, "farm trend");
	rig_free(&r);
}

static void cancels_always_pass(void **state)
{
	(void)state;
	dd_rig r;
	rig_init(&r);
	rig_start(&r);
	rig_wallet(&r, "total", 1 * USDT, 1000 * USDT, 3, 0);
	th_event ev = rig_intent("alice", "trend", TH_SIDE_BUY, 1000);
	ev.u.intent.action = TH_INTENT_CANCEL_ALL;
	assert_approved(rig_check_ev(&r, &ev), 0);
	ev.u.intent.action = TH_INTENT_PLACE;
	assert_denied(rig_check_ev(&r, &ev), TH_RISK_DRAWDOWN, NULL);
	ev.h.type = TH_EV_FILL;
	assert_denied(rig_check_ev(&r, &ev), TH_RISK_ERROR, "not an intent");
	rig_free(&r);
}

static void latched_level_outlives_a_recovery(void **state)
{
	(void)state;
	dd_rig r;
	rig_init(&r);
	rig_start(&r);
	rig_wallet(&r, "alice", 800 * USDT, 1000 * USDT, 0, 0);
	assert_denied(rig_check(&r, TH_SIDE_BUY, 1000), TH_RISK_DRAWDOWN, NULL);
	rig_settle(&r);
	rig_wallet(&r, "alice", 950 * USDT, 1000 * USDT, 0, 0); /* back to 5 % */
	assert_denied(rig_check(&r, TH_SIDE_BUY, 1000), TH_RISK_DRAWDOWN, "drawdown 5% (hard level 20%, latched)");
	rig_free(&r);
}

static void peak_source_self_ignores_the_host_peak(void **state)
{
	(void)state;
	dd_rig r;
	rig_init(&r);
	fake_config(&r.h, "peak_source", "\"self\"");
	fake_config(&r.h, "watch_agents", "[\"alice\"]");
	rig_start(&r);
	rig_wallet(&r, "alice", 800 * USDT, 1000 * USDT, 0, 0); /* host says 20 % */
	rig_wallet(&r, "alice", 1000 * USDT, 2000 * USDT, 0, 0);
	rig_advance(&r, SEC); /* we saw 1000 */
	rig_wallet(&r, "alice", 900 * USDT, 2000 * USDT, 0, 0); /* 10 % from what we saw */
	assert_approved(rig_check(&r, TH_SIDE_BUY, 10000), 5000);
	rig_wallet(&r, "alice", 900 * USDT + 1, 2000 * USDT, 0, 0);
	assert_approved(rig_check(&r, TH_SIDE_BUY, 10000), 0);
	rig_free(&r);
}

static void full_scope_table_denies(void **state)
{
	(void)state;
	dd_rig r;
	rig_init(&r);
	fake_config(&r.h, "max_scopes", "1");
	rig_start(&r); /* the host scope takes the only slot */
	assert_denied(rig_check(&r, TH_SIDE_BUY, 1000), TH_RISK_ERROR, "max_scopes = 1 reached");
	rig_free(&r);
}

static void agentless_intent_skips_the_agent_scope(void **state)
{
	(void)state;
	dd_rig r;
	rig_init(&r);
	rig_start(&r);
	th_event ev = rig_intent("", "", TH_SIDE_BUY, 1000);
	assert_approved(rig_check_ev(&r, &ev), 0);
	rig_wallet(&r, "total", 900 * USDT, 1000 * USDT, 0, 0);
	assert_denied(rig_check_ev(&r, &ev), TH_RISK_DRAWDOWN, "host");
	rig_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(math_reached_is_exact),
		cmocka_unit_test(math_scaling_rounds_down_to_the_lot),
		cmocka_unit_test(math_effective_peak),
		cmocka_unit_test(agent_soft_trips_exactly_at_its_level),
		cmocka_unit_test(agent_hard_trips_exactly_at_its_level),
		cmocka_unit_test(agent_kill_trips_exactly_at_its_level),
		cmocka_unit_test(farm_levels_trip_exactly),
		cmocka_unit_test(host_levels_trip_exactly),
		cmocka_unit_test(soft_scaling_cases),
		cmocka_unit_test(scale_of_100_pct_approves_as_asked),
		cmocka_unit_test(reducing_intents_pass_at_hard_and_kill),
		cmocka_unit_test(reducing_intents_are_not_scaled),
		cmocka_unit_test(scan_limit_fails_closed),
		cmocka_unit_test(missing_wallet_figures_deny),
		cmocka_unit_test(cancels_always_pass),
		cmocka_unit_test(latched_level_outlives_a_recovery),
		cmocka_unit_test(peak_source_self_ignores_the_host_peak),
		cmocka_unit_test(full_scope_table_denies),
		cmocka_unit_test(agentless_intent_skips_the_agent_scope),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
