/*
 * drawdown — the breaker over time: de-leveraging steps on the timer (until
 * flat or the hard level is cleared), kill flatten retries, re-arm of each
 * level after its time below, manual re-arm by an operator, never loosening
 * a state someone else set, and the breaker surviving destroy/create with
 * the same state store (and a hot-reload hand-over); corrupt state refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dd_test_util.h"

#define DD_TEST_KIND_HOST 2 /* enum dd_kind in the blob */

static void assert_approved(th_risk_verdict v, th_qty max_qty)
{
	if (!v.approved)
		fail_msg("denied (%u): %s", v.reason_code, v.message);
	assert_int_equal(v.max_qty, max_qty);
}

static void assert_denied(th_risk_verdict v, const char *needle)
{
	if (v.approved)
		fail_msg("approved (max_qty %lld): %s", (long long)v.max_qty, v.message);
	assert_int_equal(v.reason_code, TH_RISK_DRAWDOWN);
	if (needle && !strstr(v.message, needle))
		fail_msg("message \"%s\" lacks \"%s\"", v.message, needle);
}

/* Operator action through the host's own slot, as the REST API would. */
static void operator_sets(dd_rig *r, int scope, const char *name, int state)
{
	assert_int_equal(r->h.api.set_trading_state(fake_ctx(&r->h), scope, name, state, "operator"), TH_OK);
}

static void watch_alice(dd_rig *r)
{
	fake_config(&r->h, "watch_agents", "[\"alice\"]");
	fake_config(&r->h, "farm_soft_pct", "0"); /* only the agent scope in these tests */
	fake_config(&r->h, "farm_hard_pct", "0");
	fake_config(&r->h, "farm_kill_pct", "0");
	fake_config(&r->h, "host_soft_pct", "0");
	fake_config(&r->h, "host_hard_pct", "0");
	fake_config(&r->h, "host_kill_pct", "0");
}

/* ------------------------------------------------------- de-leveraging */

static void hard_deleverages_in_steps_on_the_timer(void **state)
{
	(void)state;
	dd_rig r;
	rig_init(&r);
	watch_alice(&r);
	fake_config(&r.h, "step_seconds", "10");
	fake_config(&r.h, "step_bps", "2000");
	rig_start(&r);
	rig_wallet(&r, "alice", 800 * USDT, 1000 * USDT, 1, 0);
	rig_advance(&r, SEC); /* trip: first step now */
	assert_int_equal(rig_state(&r, TH_SCOPE_AGENT, "alice"), TH_STATE_REDUCING);
	assert_int_equal(r.pf.nreduces, 1);
	assert_int_equal(r.pf.reduces[0].step_bps, 2000);
	rig_advance(&r, 9 * SEC);
	assert_int_equal(r.pf.nreduces, 1);
	rig_advance(&r, SEC); /* 10 s after the first */
	assert_int_equal(r.pf.nreduces, 2);
	rig_advance(&r, 10 * SEC);
	assert_int_equal(r.pf.nreduces, 3);
	for (size_t i = 0; i < r.pf.nreduces; i++) {
		assert_int_equal(r.pf.reduces[i].scope, TH_SCOPE_AGENT);
		assert_string_equal(r.pf.reduces[i].name, "alice");
		assert_int_equal(r.pf.reduces[i].step_bps, 2000);
	}
	/* Flat: no more steps. */
	rig_wallet(&r, "alice", 800 * USDT, 1000 * USDT, 0, 0);
	rig_advance(&r, 30 * SEC);
	assert_int_equal(r.pf.nreduces, 3);
	/* An open order is not flat yet. */
	rig_wallet(&r, "alice", 800 * USDT, 1000 * USDT, 0, 1);
	rig_advance(&r, 10 * SEC);
	assert_int_equal(r.pf.nreduces, 4);
	/* Drawdown back below the hard level: de-leveraging stops, the state stays until re-armed. */
	rig_wallet(&r, "alice", 850 * USDT, 1000 * USDT, 1, 0);
	rig_advance(&r, 60 * SEC);
	assert_int_equal(r.pf.nreduces, 4);
	assert_int_equal(rig_state(&r, TH_SCOPE_AGENT, "alice"), TH_STATE_REDUCING);
	/* And back above it: steps resume at once (the last one was long ago). */
	rig_wallet(&r, "alice", 799 * USDT, 1000 * USDT, 1, 0);
	rig_advance(&r, SEC);
	assert_int_equal(r.pf.nreduces, 5);
	assert_int_equal(fake_metric(&r.h, "drawdown_deleverage_steps_total"), 5);
	rig_free(&r);
}

static void kill_flattens_and_retries_until_flat(void **state)
{
	(void)state;
	dd_rig r;
	rig_init(&r);
	watch_alice(&r);
	fake_config(&r.h, "step_seconds", "5");
	rig_start(&r);
	rig_wallet(&r, "alice", 700 * USDT, 1000 * USDT, 2, 1);
	rig_advance(&r, SEC);
	assert_int_equal(rig_state(&r, TH_SCOPE_AGENT, "alice"), TH_STATE_HALTED);
	assert_int_equal(r.pf.nreduces, 1); /* hard and kill tripped together: one flatten */
	assert_int_equal(r.pf.reduces[0].step_bps, 10000);
	rig_advance(&r, 4 * SEC);
	assert_int_equal(r.pf.nreduces, 1);
	rig_advance(&r, SEC);
	assert_int_equal(r.pf.nreduces, 2);
	assert_int_equal(r.pf.reduces[1].step_bps, 10000);
	rig_wallet(&r, "alice", 700 * USDT, 1000 * USDT, 0, 0);
	rig_advance(&r, 60 * SEC);
	assert_int_equal(r.pf.nreduces, 2);
	rig_free(&r);
}

/* -------------------------------------------------------------- re-arm */

static void each_level_rearms_after_its_time_below(void **state)
{
	(void)state;
	dd_rig r;
	rig_init(&r);
	watch_alice(&r);
	fake_config(&r.h, "soft_rearm_seconds", "30");
	fake_config(&r.h, "hard_rearm_seconds", "60");
	fake_config(&r.h, "kill_rearm_seconds", "120");
	rig_start(&r);
	rig_wallet(&r, "alice", 650 * USDT, 1000 * USDT, 0, 0);
	rig_advance(&r, SEC);
	assert_int_equal(rig_state(&r, TH_SCOPE_AGENT, "alice"), TH_STATE_HALTED);
	assert_int_equal(fake_metric(&r.h, "drawdown_trips_total"), 3);

	rig_wallet(&r, "alice", 950 * USDT, 1000 * USDT, 0, 0); /* 5 %: below every level */
	rig_advance(&r, SEC);                                   /* t_b: the re-arm clocks start */
	rig_advance(&r, 29 * SEC);
	assert_int_equal(rig_count_alerts(&r, "drawdown_rearm"), 0);
	rig_advance(&r, SEC); /* t_b + 30 */
	assert_int_equal(rig_count_alerts(&r, "drawdown_rearm"), 1);
	assert_denied(rig_check(&r, TH_SIDE_BUY, 10000), "kill level 30%, latched");
	rig_advance(&r, 29 * SEC);
	assert_int_equal(rig_count_alerts(&r, "drawdown_rearm"), 1);
	rig_advance(&r, SEC); /* t_b + 60: hard re-armed, kill still holds the state */
	assert_int_equal(rig_count_alerts(&r, "drawdown_rearm"), 2);
	assert_int_equal(rig_state(&r, TH_SCOPE_AGENT, "alice"), TH_STATE_HALTED);
	rig_advance(&r, 59 * SEC);
	assert_int_equal(rig_state(&r, TH_SCOPE_AGENT, "alice"), TH_STATE_HALTED);
	rig_advance(&r, SEC); /* t_b + 120 */
	assert_int_equal(rig_count_alerts(&r, "drawdown_rearm"), 3);
	assert_int_equal(rig_state(&r, TH_SCOPE_AGENT, "alice"), TH_STATE_ACTIVE);
	assert_approved(rig_check(&r, TH_SIDE_BUY, 10000), 0);
	assert_int_equal(fake_metric(&r.h, "drawdown_rearms_total"), 3);
	rig_free(&r);
}

static void kill_rearming_first_leaves_reducing(void **state)
{
	(void)state;
	dd_rig r;
	rig_init(&r);
	watch_alice(&r);
	fake_config(&r.h, "kill_rearm_seconds", "10");
	fake_config(&r.h, "hard_rearm_seconds", "100");
	rig_start(&r);
	rig_wallet(&r, "alice", 700 * USDT, 1000 * USDT, 0, 0);
	rig_advance(&r, SEC);
	assert_int_equal(rig_state(&r, TH_SCOPE_AGENT, "alice"), TH_STATE_HALTED);
	rig_wallet(&r, "alice", 750 * USDT, 1000 * USDT, 0, 0); /* 25 %: below kill, above hard */
	rig_advance(&r, 11 * SEC);
	assert_int_equal(rig_state(&r, TH_SCOPE_AGENT, "alice"), TH_STATE_REDUCING);
	assert_denied(rig_check(&r, TH_SIDE_BUY, 10000), "hard level 20%)");
	rig_free(&r);
}

static void rearm_clock_restarts_when_the_drawdown_returns(void **state)
{
	(void)state;
	dd_rig r;
	rig_init(&r);
	watch_alice(&r);
	fake_config(&r.h, "hard_rearm_seconds", "20");
	rig_start(&r);
	rig_wallet(&r, "alice", 800 * USDT, 1000 * USDT, 0, 0);
	rig_advance(&r, SEC);
	rig_wallet(&r, "alice", 850 * USDT, 1000 * USDT, 0, 0);
	rig_advance(&r, 15 * SEC);
	rig_wallet(&r, "alice", 800 * USDT, 1000 * USDT, 0, 0); /* back at the level */
	rig_advance(&r, SEC);
	rig_wallet(&r, "alice", 850 * USDT, 1000 * USDT, 0, 0);
	rig_advance(&r, SEC);      /* the clock restarts on this tick */
	rig_advance(&r, 19 * SEC); /* 19 s below since */
	assert_int_equal(rig_state(&r, TH_SCOPE_AGENT, "alice"), TH_STATE_REDUCING);
	rig_advance(&r, SEC);
	assert_int_equal(rig_state(&r, TH_SCOPE_AGENT, "alice"), TH_STATE_ACTIVE);
	rig_free(&r);
}

static void operator_active_rearms_manually(void **state)
{
	(void)state;
	dd_rig r;
	rig_init(&r);
	watch_alice(&r);
	rig_start(&r);
	rig_wallet(&r, "alice", 800 * USDT, 1000 * USDT, 0, 0);
	rig_advance(&r, SEC);
	assert_int_equal(rig_state(&r, TH_SCOPE_AGENT, "alice"), TH_STATE_REDUCING);
	operator_sets(&r, TH_SCOPE_AGENT, "alice", TH_STATE_ACTIVE);
	rig_advance(&r, SEC);
	assert_int_equal(rig_state(&r, TH_SCOPE_AGENT, "alice"), TH_STATE_ACTIVE); /* not re-tripped */
	assert_int_equal(rig_count_alerts(&r, "drawdown_rearm"), 1);
	assert_approved(rig_check(&r, TH_SIDE_BUY, 10000), 0);
	/* The peak was re-based to 800: the levels now count from there. */
	rig_wallet(&r, "alice", 720 * USDT, 1000 * USDT, 0, 0); /* 10 % of 800 */
	assert_approved(rig_check(&r, TH_SIDE_BUY, 10000), 5000);
	rig_wallet(&r, "alice", 640 * USDT, 1000 * USDT, 0, 0); /* 20 % of 800 */
	assert_denied(rig_check(&r, TH_SIDE_BUY, 10000), "hard level");
	rig_settle(&r);
	assert_int_equal(rig_state(&r, TH_SCOPE_AGENT, "alice"), TH_STATE_REDUCING);
	/* A new host high after the re-base counts again. */
	operator_sets(&r, TH_SCOPE_AGENT, "alice", TH_STATE_ACTIVE);
	rig_advance(&r, SEC);
	rig_wallet(&r, "alice", 900 * USDT, 1100 * USDT, 0, 0); /* 18.18 % of the new host peak */
	assert_approved(rig_check(&r, TH_SIDE_BUY, 10000), 5000);
	rig_free(&r);
}

static void never_loosens_a_state_set_by_someone_else(void **state)
{
	(void)state;
	dd_rig r;
	rig_init(&r);
	watch_alice(&r);
	fake_config(&r.h, "hard_rearm_seconds", "0");
	rig_start(&r);
	/* Already HALTED by someone else: the hard trip does not downgrade it. */
	operator_sets(&r, TH_SCOPE_AGENT, "alice", TH_STATE_HALTED);
	rig_wallet(&r, "alice", 800 * USDT, 1000 * USDT, 0, 0);
	rig_advance(&r, SEC);
	assert_int_equal(rig_state(&r, TH_SCOPE_AGENT, "alice"), TH_STATE_HALTED);
	/* Re-armed (0 s) once below: still not ours to lift. */
	rig_wallet(&r, "alice", 850 * USDT, 1000 * USDT, 0, 0);
	rig_advance(&r, SEC);
	assert_int_equal(rig_state(&r, TH_SCOPE_AGENT, "alice"), TH_STATE_HALTED);
	assert_approved(rig_check(&r, TH_SIDE_BUY, 10000), 5000); /* the breaker itself is re-armed (soft remains) */

	/* Ours, then escalated by an operator: our re-arm leaves theirs alone. */
	operator_sets(&r, TH_SCOPE_AGENT, "alice", TH_STATE_ACTIVE);
	rig_advance(&r, SEC);
	rig_wallet(&r, "alice", 760 * USDT, 1000 * USDT, 0, 0);
	rig_advance(&r, SEC);
	assert_int_equal(rig_state(&r, TH_SCOPE_AGENT, "alice"), TH_STATE_REDUCING);
	operator_sets(&r, TH_SCOPE_AGENT, "alice", TH_STATE_HALTED);
	rig_advance(&r, SEC);
	rig_wallet(&r, "alice", 900 * USDT, 1000 * USDT, 0, 0);
	rig_advance(&r, 5 * SEC);
	assert_int_equal(rig_state(&r, TH_SCOPE_AGENT, "alice"), TH_STATE_HALTED);
	rig_free(&r);
}

/* ---------------------------------------------------------- persistence */

static void breaker_survives_destroy_and_create(void **state)
{
	(void)state;
	dd_rig r;
	rig_init(&r);
	watch_alice(&r);
	fake_config(&r.h, "hard_rearm_seconds", "60");
	fake_config(&r.h, "step_seconds", "30");
	rig_start(&r);
	rig_wallet(&r, "alice", 800 * USDT, 1000 * USDT, 1, 0);
	rig_advance(&r, SEC);
	assert_int_equal(r.pf.nreduces, 1);
	size_t puts = r.h.state_puts;
	rig_advance(&r, 5 * SEC); /* quiet ticks write nothing */
	assert_int_equal(r.h.state_puts, puts);

	rig_wallet(&r, "alice", 900 * USDT, 1000 * USDT, 1, 0);
	rig_advance(&r, SEC); /* below the hard level: the re-arm clock starts (persisted) */
	int64_t below_at = r.h.now_ns;
	assert_true(r.h.state_puts > puts);

	rig_stop(&r); /* process gone; the state store and the trading states stay */
	rig_advance(&r, 30 * SEC);
	rig_start(&r);
	/* Still latched after the restart, though the drawdown recovered. */
	assert_denied(rig_check(&r, TH_SIDE_BUY, 10000), "hard level 20%, latched");
	assert_int_equal(rig_state(&r, TH_SCOPE_AGENT, "alice"), TH_STATE_REDUCING);
	/* The re-arm clock kept its start across the restart. */
	fake_advance_to(&r.h, below_at + 59 * SEC);
	assert_int_equal(rig_state(&r, TH_SCOPE_AGENT, "alice"), TH_STATE_REDUCING);
	fake_advance_to(&r.h, below_at + 60 * SEC);
	assert_int_equal(rig_state(&r, TH_SCOPE_AGENT, "alice"), TH_STATE_ACTIVE);
	rig_free(&r);
}

static void deleverage_schedule_survives_a_restart(void **state)
{
	(void)state;
	dd_rig r;
	rig_init(&r);
	watch_alice(&r);
	fake_config(&r.h, "step_seconds", "30");
	rig_start(&r);
	rig_wallet(&r, "alice", 800 * USDT, 1000 * USDT, 1, 0);
	rig_advance(&r, SEC);
	int64_t first = r.h.now_ns;
	assert_int_equal(r.pf.nreduces, 1);
	rig_stop(&r);
	rig_start(&r); /* no double step because of the restart */
	assert_int_equal(r.pf.nreduces, 1);
	fake_advance_to(&r.h, first + 29 * SEC);
	assert_int_equal(r.pf.nreduces, 1);
	fake_advance_to(&r.h, first + 30 * SEC);
	assert_int_equal(r.pf.nreduces, 2);
	rig_free(&r);
}

static void operator_active_while_down_rearms_at_start(void **state)
{
	(void)state;
	dd_rig r;
	rig_init(&r);
	watch_alice(&r);
	rig_start(&r);
	rig_wallet(&r, "alice", 800 * USDT, 1000 * USDT, 0, 0);
	rig_advance(&r, SEC);
	rig_stop(&r);
	operator_sets(&r, TH_SCOPE_AGENT, "alice", TH_STATE_ACTIVE);
	rig_start(&r);
	assert_int_equal(rig_count_alerts(&r, "drawdown_rearm"), 1);
	assert_approved(rig_check(&r, TH_SIDE_BUY, 10000), 0);
	rig_free(&r);
}

static void hot_reload_hands_the_breakers_over(void **state)
{
	(void)state;
	dd_rig a, b;
	rig_init(&a);
	watch_alice(&a);
	rig_start(&a);
	rig_wallet(&a, "alice", 750 * USDT, 1000 * USDT, 0, 0);
	rig_advance(&a, SEC);
	void *data = NULL;
	size_t len = 0;
	assert_int_equal(dd_desc()->export_state(a.inst, &data, &len), TH_OK);
	assert_true(len > 12);

	rig_init(&b); /* a new instance with an empty state store */
	rig_wallet(&b, "alice", 950 * USDT, 1000 * USDT, 0, 0);
	assert_int_equal(rig_create(&b), TH_OK);
	assert_int_equal(dd_desc()->import_state(b.inst, data, len), TH_OK);
	a.h.api.free(fake_ctx(&a.h), data);
	assert_int_equal(dd_desc()->start(b.inst), TH_OK);
	assert_denied(rig_check(&b, TH_SIDE_BUY, 10000), "hard level 20%, latched");
	/* A bad hand-over is refused with the reason. */
	static const uint8_t junk[16] = { 'T', 'H', 'D', 'D', 9 };
	assert_int_not_equal(dd_desc()->import_state(b.inst, junk, sizeof junk), TH_OK);
	assert_non_null(strstr(b.h.error, "version 9"));
	rig_free(&a);
	rig_free(&b);
}

static void restart_with_a_level_switched_off_lifts_it(void **state)
{
	(void)state;
	dd_rig r;
	rig_init(&r);
	watch_alice(&r);
	rig_start(&r);
	rig_wallet(&r, "alice", 800 * USDT, 1000 * USDT, 0, 0);
	rig_advance(&r, SEC);
	assert_int_equal(rig_state(&r, TH_SCOPE_AGENT, "alice"), TH_STATE_REDUCING);
	rig_stop(&r);
	fake_config(&r.h, "agent_hard_pct", "0"); /* later keys win in the fake's config */
	fake_config(&r.h, "agent_soft_pct", "0");
	rig_start(&r);
	/* 20 %: below the kill level, and hard is off now: nothing holds the scope. */
	assert_int_equal(rig_state(&r, TH_SCOPE_AGENT, "alice"), TH_STATE_ACTIVE);
	assert_approved(rig_check(&r, TH_SIDE_BUY, 10000), 0);
	rig_free(&r);
}

static void corrupt_state_is_refused_at_create(void **state)
{
	(void)state;
	dd_rig r;
	rig_init(&r);
	watch_alice(&r);
	rig_start(&r);
	rig_wallet(&r, "alice", 800 * USDT, 1000 * USDT, 0, 0);
	rig_advance(&r, SEC);
	rig_stop(&r);

	uint8_t blob[4096];
	size_t len = 0;
	th_ctx *ctx = fake_ctx(&r.h);
	assert_int_equal(r.h.api.state_get(ctx, "drawdown.breakers", blob, sizeof blob, &len), TH_OK);

	/* One byte short. */
	assert_int_equal(r.h.api.state_put(ctx, "drawdown.breakers", blob, len - 1), TH_OK);
	assert_int_not_equal(rig_create(&r), TH_OK);
	assert_non_null(strstr(r.h.error, "state key drawdown.breakers: scope"));
	assert_non_null(strstr(r.h.error, "truncated"));
	/* One byte too many. */
	blob[len] = 0;
	assert_int_equal(r.h.api.state_put(ctx, "drawdown.breakers", blob, len + 1), TH_OK);
	assert_int_not_equal(rig_create(&r), TH_OK);
	if (!strstr(r.h.error, "1 trailing bytes"))
		fail_msg("%s", r.h.error);
	/* Bad magic. */
	assert_int_equal(r.h.api.state_put(ctx, "drawdown.breakers", "nonsense-nonsense", 17), TH_OK);
	assert_int_not_equal(rig_create(&r), TH_OK);
	assert_non_null(strstr(r.h.error, "bad magic"));
	/* A bad kind in the first record (offset 12). */
	blob[12] = 7;
	assert_int_equal(r.h.api.state_put(ctx, "drawdown.breakers", blob, len), TH_OK);
	assert_int_not_equal(rig_create(&r), TH_OK);
	assert_non_null(strstr(r.h.error, "bad kind 7"));
	assert_int_equal(r.h.live_allocs, 0);
	/* The host kind with a name is inconsistent too. */
	blob[12] = DD_TEST_KIND_HOST;
	assert_int_equal(r.h.api.state_put(ctx, "drawdown.breakers", blob, len), TH_OK);
	assert_int_not_equal(rig_create(&r), TH_OK);
	assert_non_null(strstr(r.h.error, "empty name"));
	/* Repaired: accepted, and the breaker is back. */
	blob[12] = 0;
	assert_int_equal(r.h.api.state_put(ctx, "drawdown.breakers", blob, len), TH_OK);
	rig_wallet(&r, "alice", 950 * USDT, 1000 * USDT, 0, 0);
	rig_start(&r);
	assert_denied(rig_check(&r, TH_SIDE_BUY, 10000), "hard level 20%, latched");
	rig_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hard_deleverages_in_steps_on_the_timer),
		cmocka_unit_test(kill_flattens_and_retries_until_flat),
		cmocka_unit_test(each_level_rearms_after_its_time_below),
		cmocka_unit_test(kill_rearming_first_leaves_reducing),
		cmocka_unit_test(rearm_clock_restarts_when_the_drawdown_returns),
		cmocka_unit_test(operator_active_rearms_manually),
		cmocka_unit_test(never_loosens_a_state_set_by_someone_else),
		cmocka_unit_test(breaker_survives_destroy_and_create),
		cmocka_unit_test(deleverage_schedule_survives_a_restart),
		cmocka_unit_test(operator_active_while_down_rearms_at_start),
		cmocka_unit_test(hot_reload_hands_the_breakers_over),
		cmocka_unit_test(restart_with_a_level_switched_off_lifts_it),
		cmocka_unit_test(corrupt_state_is_refused_at_create),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
