/*
 * Lifecycle: configuration refused at create with the keys named, no leak on
 * a failed create, the history handed over on hot reload (same and smaller
 * window) and kept across a quick restart, malformed state refused, the bar
 * timeframe filter, and the scope cache under eviction.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "var_rig.h"

#define BTC "BTC-USDT"
#define ETH "ETH-USDT"
#define QTY(x) ((th_qty)((x) * 100000000.0 + 0.5))

static const char *const both[2] = { BTC, ETH };

static void refused(const char *key, const char *literal, const char *key2, const char *literal2, const char *needle,
	const char *needle2)
{
	rig r;
	rig_init(&r);
	fake_config(&r.h, key, literal);
	if (key2)
		fake_config(&r.h, key2, literal2);
	int rc = rig_create(&r);
	if (rc == TH_OK)
		fail_msg("%s = %s was accepted", key, literal);
	if (!strstr(r.h.error, needle) || (needle2 && !strstr(r.h.error, needle2)))
		fail_msg("error \"%s\" does not name \"%s\" / \"%s\"", r.h.error, needle, needle2 ? needle2 : "");
	r.inst = NULL;
	rig_free(&r); /* also: nothing leaked by the failed create */
}

static void test_config_refused(void **state)
{
	(void)state;
	refused("min_history", "60", NULL, NULL, "'min_history' (60)", "'window' (50)");
	refused("window", "100", "min_history", "101", "'min_history'", "'window'");
	refused("max_stale_bars", "50", NULL, NULL, "'max_stale_bars'", "'window'");
	refused("stress_window_bars", "51", NULL, NULL, "'stress_window_bars'", "'window'");
	refused("window", "10", NULL, NULL, "key 'window' must be between 20 and 5000", NULL);
	refused("ewma_lambda", "1.5", NULL, NULL, "key 'ewma_lambda'", NULL);
	refused("es_limit_host", "\"-5\"", NULL, NULL, "key 'es_limit_host'", NULL);
	refused("es_limit_agent", "\"1.123456789\"", NULL, NULL, "key 'es_limit_agent'", NULL);
	refused("stress_scenarios", "[\"crash BTC=-0.2\"]", NULL, NULL, "'stress_scenarios' entry 0", "name");
	refused("stress_scenarios", "[\"a: BTC=-0.2\", \"b: BTC=-3\"]", NULL, NULL, "'stress_scenarios' entry 1",
		"between -1 and 10");
	refused("stress_scenarios", "[\"a: BTC=-0.2\", \"a: ETH=-0.3\"]", NULL, NULL, "used twice", NULL);
	refused("es_limits", "[\"agent:x=1\", \"agent:x=2\"]", NULL, NULL, "'es_limits' entry 1", "twice");
	refused("es_limits", "[\"desk:x=1\"]", NULL, NULL, "'es_limits' entry 0", "\"agent\" or \"farm\"");
	refused("stress_windows", "9", NULL, NULL, "key 'stress_windows'", NULL);
}

static void test_host_without_portfolio_views(void **state)
{
	(void)state;
	rig r;
	rig_init(&r);
	r.h.api.positions = NULL;
	assert_int_equal(rig_create(&r), TH_ERR_UNSUPPORTED);
	assert_non_null(strstr(r.h.error, "positions()"));
	r.inst = NULL;
	rig_free(&r);
}

static void book(rig *r)
{
	rig_pos(r, "total", BTC, QTY(1));
	rig_pos(r, "total", ETH, QTY(5));
}

static void test_hot_reload(void **state)
{
	(void)state;
	rig a;
	rig_init(&a);
	rig_start(&a);
	book(&a);
	rig_walk(&a, both, 2, RIG_SLOT0, 61);
	rig_refresh(&a);
	void *data;
	size_t len;
	assert_int_equal(a.desc->export_state(a.inst, &data, &len), TH_OK);

	/* same window: the new instance has the same figures without one new bar */
	for (int smaller = 0; smaller < 2; smaller++) {
		rig b;
		rig_init(&b);
		if (smaller)
			fake_config(&b.h, "window", "30");
		b.h.now_ns = a.h.now_ns;
		b.pf = a.pf;
		assert_int_equal(rig_create(&b), TH_OK);
		assert_int_equal(b.desc->import_state(b.inst, data, len), TH_OK);
		assert_int_equal(b.desc->start(b.inst), TH_OK);
		b.started = 1;
		rig_refresh(&b);
		if (!smaller) {
			assert_int_equal(fake_metric(&b.h, "var_scenarios_host"), 50);
			assert_int_equal(fake_metric(&b.h, "es975_host"), fake_metric(&a.h, "es975_host"));
			assert_int_equal(fake_metric(&b.h, "pvar99_host"), fake_metric(&a.h, "pvar99_host"));
		} else {
			/* the 30 newest scenarios, against the reference from a's closes */
			double pnl[30], vb = (double)rig_value(QTY(1), rig_last(&a, BTC)),
					 ve = (double)rig_value(QTY(5), rig_last(&a, ETH));
			for (size_t k = 0; k < 30; k++)
				pnl[k] = vb * rig_ret(&a, BTC, k) + ve * rig_ret(&a, ETH, k);
			assert_int_equal(fake_metric(&b.h, "var_scenarios_host"), 30);
			assert_true(fabs((double)fake_metric(&b.h, "es975_host") - rig_es975(pnl, 30)) <= 2);
		}
		/* and it goes on with new bars */
		b.series[0] = a.series[0];
		b.series[1] = a.series[1];
		b.seed = a.seed;
		rig_walk(&b, both, 2, RIG_SLOT0 + 61, 1);
		rig_refresh(&b);
		assert_int_equal(fake_metric(&b.h, "var_scenarios_host"), smaller ? 30 : 50);
		rig_free(&b);
	}
	a.h.api.free(fake_ctx(&a.h), data);

	/* junk is refused whole */
	rig c;
	rig_init(&c);
	assert_int_equal(rig_create(&c), TH_OK);
	unsigned char junk[64] = { 1, 2, 3 };
	assert_int_equal(c.desc->import_state(c.inst, junk, sizeof junk), TH_ERR_INVALID);
	assert_non_null(strstr(c.h.error, "malformed"));
	c.desc->destroy(c.inst);
	c.inst = NULL;
	rig_free(&c);
	rig_free(&a);
}

static void test_restart_keeps_history(void **state)
{
	(void)state;
	rig r;
	rig_init(&r);
	fake_config(&r.h, "es_limit_host", "\"1000000\"");
	rig_start(&r);
	book(&r);
	rig_walk(&r, both, 2, RIG_SLOT0, 61);
	rig_refresh(&r);
	int64_t es = fake_metric(&r.h, "es975_host");
	assert_int_equal(r.desc->stop(r.inst), TH_OK);
	assert_int_equal(r.desc->stop(r.inst), TH_OK); /* idempotent */
	r.desc->destroy(r.inst);
	r.inst = NULL;
	assert_int_equal(r.h.live_allocs, 0);
	/* a quick restart: the same state store, one bar later */
	fake_advance_to(&r.h, r.h.now_ns + RIG_INTERVAL);
	r.h.nmetrics = 0; /* the real host hands the same series back; the fake appends */
	rig_start(&r);
	assert_int_equal(rig_check(&r, "marcus", "", BTC, TH_SIDE_BUY, 0, QTY(0.1)).approved, 1);
	rig_refresh(&r);
	assert_int_equal(fake_metric(&r.h, "es975_host"), es);
	rig_free(&r);
}

static void test_timeframe_filter(void **state)
{
	(void)state;
	rig r;
	rig_init(&r);
	fake_config(&r.h, "bar_interval_ms", "60000");
	fake_config(&r.h, "es_limit_host", "\"1000000\"");
	rig_start(&r);
	/* 5-minute bars of another feed are ignored */
	th_event ev;
	th_event_init(&ev, TH_EV_BAR);
	th_strlcpy(ev.h.venue, "sim", sizeof ev.h.venue);
	th_strlcpy(ev.h.symbol, "SOL-USDT", sizeof ev.h.symbol);
	memset(&ev.u.bar, 0, sizeof ev.u.bar);
	ev.u.bar.interval_ns = 5 * RIG_INTERVAL;
	ev.u.bar.price_scale = 2;
	for (int i = 0; i < 30; i++) {
		ev.u.bar.open_time_ns = (RIG_SLOT0 + 5 * i) * RIG_INTERVAL;
		ev.u.bar.close = 1000 + i;
		fake_advance_to(&r.h, (RIG_SLOT0 + 5 * i + 5) * RIG_INTERVAL);
		fake_deliver(&r.h, &ev);
	}
	th_risk_verdict v = rig_check(&r, "a", "", "SOL-USDT", TH_SIDE_BUY, 0, QTY(1));
	assert_int_equal(v.reason_code, TH_RISK_NO_DATA);
	rig_free(&r);

	/* adopting: the first timeframe seen wins, the other is ignored */
	rig_init(&r);
	fake_config(&r.h, "es_limit_host", "\"1000000\"");
	rig_start(&r);
	rig_walk(&r, both, 2, RIG_SLOT0, 25);
	ev.u.bar.open_time_ns = (RIG_SLOT0 + 25) * RIG_INTERVAL;
	fake_deliver(&r.h, &ev); /* a 5-minute bar of BTC in between: ignored */
	th_strlcpy(ev.h.symbol, BTC, sizeof ev.h.symbol);
	ev.u.bar.close = 1;
	fake_deliver(&r.h, &ev);
	assert_int_equal(rig_check(&r, "a", "", BTC, TH_SIDE_BUY, 0, QTY(1)).approved, 1);
	v = rig_check(&r, "a", "", "SOL-USDT", TH_SIDE_BUY, 0, QTY(1));
	assert_int_equal(v.reason_code, TH_RISK_NO_DATA);
	rig_free(&r);
}

static void test_scope_eviction(void **state)
{
	(void)state;
	rig r;
	rig_init(&r);
	fake_config(&r.h, "max_scopes", "3");
	fake_config(&r.h, "es_limit_agent", "\"500\"");
	fake_config(&r.h, "publish_ms", "3600000");
	rig_start(&r);
	rig_walk(&r, both, 2, RIG_SLOT0, 61);
	/* big agents hold 10 BTC (ES far above 500), small ones 0.001 BTC */
	const char *agents[6] = { "big1", "small1", "big2", "small2", "big3", "small3" };
	for (int i = 0; i < 6; i++)
		rig_pos(&r, agents[i], BTC, i % 2 ? QTY(0.001) : QTY(10));
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 6; i++) {
			th_risk_verdict v = rig_check(&r, agents[i], "", BTC, TH_SIDE_BUY, 0, QTY(0.001));
			if (v.approved != (unsigned)(i % 2))
				fail_msg("round %d agent %s: approved %u (%s)", round, agents[i], v.approved, v.message);
		}
	}
	rig_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_refused),
		cmocka_unit_test(test_host_without_portfolio_views),
		cmocka_unit_test(test_hot_reload),
		cmocka_unit_test(test_restart_keeps_history),
		cmocka_unit_test(test_timeframe_filter),
		cmocka_unit_test(test_scope_eviction),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
