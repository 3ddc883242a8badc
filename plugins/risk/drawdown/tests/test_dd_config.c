/*
 * drawdown — configuration: defaults accepted; inconsistent levels (soft
 * above / equal to hard, hard above kill, soft above kill with hard off)
 * refused at create naming both keys; out-of-range values and bad strings
 * refused naming the key; a host without the ABI 1.1 slots refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dd_test_util.h"

static void expect_refused(dd_rig *r, const char *needle1, const char *needle2)
{
	int rc = rig_create(r);
	assert_int_not_equal(rc, TH_OK);
	assert_null(r->inst);
	if (!strstr(r->h.error, needle1) || (needle2 && !strstr(r->h.error, needle2)))
		fail_msg("error \"%s\" does not name %s%s%s", r->h.error, needle1, needle2 ? " and " : "", needle2 ? needle2 : "");
	assert_int_equal(r->h.live_allocs, 0); /* a refused create frees what it took */
}

static void defaults_accepted(void **state)
{
	(void)state;
	dd_rig r;
	rig_init(&r);
	rig_start(&r);
	/* The host scope is watched from the start: one scope persisted. */
	assert_true(r.h.state_puts >= 1);
	rig_free(&r);
}

static void soft_above_hard_refused(void **state)
{
	(void)state;
	dd_rig r;
	rig_init(&r);
	fake_config(&r.h, "agent_soft_pct", "25");
	fake_config(&r.h, "agent_hard_pct", "20");
	expect_refused(&r, "agent_soft_pct = 25", "agent_hard_pct = 20");
	fake_host_free(&r.h);
}

static void soft_equal_hard_refused(void **state)
{
	(void)state;
	dd_rig r;
	rig_init(&r);
	fake_config(&r.h, "farm_soft_pct", "\"10.5\"");
	fake_config(&r.h, "farm_hard_pct", "\"10.5\"");
	expect_refused(&r, "farm_soft_pct = 10.5 must be below farm_hard_pct = 10.5", NULL);
	fake_host_free(&r.h);
}

static void hard_above_kill_refused(void **state)
{
	(void)state;
	dd_rig r;
	rig_init(&r);
	fake_config(&r.h, "host_hard_pct", "12");
	fake_config(&r.h, "host_kill_pct", "\"11.9999\"");
	expect_refused(&r, "host_hard_pct = 12", "host_kill_pct = 11.9999");
	fake_host_free(&r.h);
}

static void soft_above_kill_with_hard_off_refused(void **state)
{
	(void)state;
	dd_rig r;
	rig_init(&r);
	fake_config(&r.h, "agent_soft_pct", "35");
	fake_config(&r.h, "agent_hard_pct", "0");
	fake_config(&r.h, "agent_kill_pct", "30");
	expect_refused(&r, "agent_soft_pct = 35", "agent_kill_pct = 30");
	fake_host_free(&r.h);
}

static void disabled_levels_skip_the_order_check(void **state)
{
	(void)state;
	dd_rig r;
	rig_init(&r);
	fake_config(&r.h, "agent_soft_pct", "0");
	fake_config(&r.h, "agent_hard_pct", "25");
	fake_config(&r.h, "agent_kill_pct", "0");
	fake_config(&r.h, "farm_soft_pct", "0");
	fake_config(&r.h, "farm_hard_pct", "0");
	fake_config(&r.h, "farm_kill_pct", "0");
	rig_start(&r);
	rig_free(&r);
}

static void out_of_range_refused(void **state)
{
	(void)state;
	static const struct {
		const char *key, *literal, *needle;
	} cases[] = {
		{ "agent_kill_pct", "101", "agent_kill_pct = 101 is out of range" },
		{ "farm_soft_pct", "-1", "farm_soft_pct = -1 is out of range" },
		{ "host_soft_pct", "\"1.00001\"", "host_soft_pct" },
		{ "soft_scale_pct", "0", "soft_scale_pct" },
		{ "soft_scale_pct", "\"100.01\"", "soft_scale_pct" },
		{ "step_bps", "0", "step_bps = 0 is out of range 1..10000" },
		{ "step_bps", "10001", "step_bps = 10001" },
		{ "step_seconds", "0", "step_seconds = 0" },
		{ "hard_rearm_seconds", "-5", "hard_rearm_seconds = -5" },
		{ "eval_seconds", "0", "eval_seconds" },
		{ "max_scopes", "0", "max_scopes" },
		{ "max_scopes", "5000", "max_scopes = 5000" },
		{ "position_scan_max", "0", "position_scan_max" },
		{ "peak_source", "\"peak\"", "peak_source = \"peak\": expected \"host\" or \"self\"" },
		{ "watch_agents", "[\"bob\", \"\"]", "watch_agents[1]" },
		{ "watch_farms", "[\"a_name_that_is_far_too_long_for_tradehost\"]", "watch_farms[0]" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		dd_rig r;
		rig_init(&r);
		fake_config(&r.h, cases[i].key, cases[i].literal);
		expect_refused(&r, cases[i].needle, NULL);
		fake_host_free(&r.h);
	}
}

static void old_host_refused(void **state)
{
	(void)state;
	dd_rig r;
	rig_init(&r);
	r.h.api.reduce_exposure = NULL;
	expect_refused(&r, "reduce_exposure", NULL);
	/* A 1.0 host: the table ends before the portfolio slots. */
	rig_init(&r);
	r.h.api.struct_size = (uint32_t)offsetof(th_host_api, instrument);
	expect_refused(&r, "instrument", NULL);
	fake_host_free(&r.h);
}

static void too_many_watched_refused(void **state)
{
	(void)state;
	dd_rig r;
	rig_init(&r);
	fake_config(&r.h, "max_scopes", "2");
	fake_config(&r.h, "watch_agents", "[\"a\", \"b\"]");
	expect_refused(&r, "max_scopes = 2", NULL);
	fake_host_free(&r.h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults_accepted),
		cmocka_unit_test(soft_above_hard_refused),
		cmocka_unit_test(soft_equal_hard_refused),
		cmocka_unit_test(hard_above_kill_refused),
		cmocka_unit_test(soft_above_kill_with_hard_off_refused),
		cmocka_unit_test(disabled_levels_skip_the_order_check),
		cmocka_unit_test(out_of_range_refused),
		cmocka_unit_test(old_host_refused),
		cmocka_unit_test(too_many_watched_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
