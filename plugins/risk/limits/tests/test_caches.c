/*
 * limits — the caches behind check(): a wallet's positions are re-read after
 * an order/fill event, when the host reports another position count, or when
 * older than cache_max_age_ms; large wallets index correctly; the rate
 * windows survive a hot reload through export/import.
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

static void set_qty(rig *r, size_t i, double qty)
{
	r->pf.positions[i].pos.qty = QTY(qty);
}

static void test_positions_reread_after_event_or_age(void **state)
{
	(void)state;
	rig r;
	rig_init(&r);
	fake_pf_price(&r.pf, "sim", "BTCUSDT", PX(20000), PS);
	fake_config(&r.h, "agent_max_position_qty", "1");
	fake_config(&r.h, "cache_max_age_ms", "60000");
	fake_pf_position(&r.pf, "marcus", "sim", "BTCUSDT", QTY(0.5), 0, PS, QS);
	start_ok(&r);
	th_event e = rig_market(&r, "marcus", TH_SIDE_BUY, QTY(0.5));
	rig_expect_ok(&r, &e);
	set_qty(&r, 0, 0.9); /* changed behind the plugin's back: no event yet */
	rig_expect_ok(&r, &e); /* still the cached 0.5 */
	rig_fill_event(&r);
	rig_expect_deny(&r, &e, TH_RISK_POSITION);
	set_qty(&r, 0, 0.1);
	rig_expect_deny(&r, &e, TH_RISK_POSITION);
	fake_advance_to(&r.h, r.h.now_ns + 60 * SEC); /* too old: re-read */
	rig_expect_ok(&r, &e);
	rig_end(&r);
}

static void test_positions_reread_on_count_change(void **state)
{
	(void)state;
	rig r;
	rig_init(&r);
	fake_pf_price(&r.pf, "sim", "BTCUSDT", PX(20000), PS);
	fake_config(&r.h, "agent_max_position_qty", "1");
	fake_config(&r.h, "agent_max_gross_exposure", "1000000000");
	fake_config(&r.h, "cache_max_age_ms", "60000");
	fake_pf_position(&r.pf, "marcus", "sim", "ETHUSDT", QTY(1), 0, PS, QS);
	rig_wallet(&r, "marcus", M(100000), M(2000), M(2000), 1);
	start_ok(&r);
	th_event e = rig_market(&r, "marcus", TH_SIDE_BUY, QTY(0.9));
	rig_expect_ok(&r, &e);
	fake_pf_position(&r.pf, "marcus", "sim", "BTCUSDT", QTY(0.5), 0, PS, QS);
	rig_wallet(&r, "marcus", M(100000), M(12000), M(12000), 2);
	rig_expect_deny(&r, &e, TH_RISK_POSITION);
	rig_end(&r);
}

static size_t (*g_positions)(th_ctx *, const char *, th_position *, size_t);
static size_t g_reads;

static size_t counted_positions(th_ctx *ctx, const char *wallet, th_position *out, size_t cap)
{
	g_reads++;
	return g_positions(ctx, wallet, out, cap);
}

/* The age limit is kept by a timer between checks (every half
 * cache_max_age_ms), so a check does not re-read an aged copy itself, and a
 * change behind the plugin's back is still seen within cache_max_age_ms. */
/* A started rig with a one-second cache age, position reads counted, and
 * one approved 0.5 BTC buy for marcus checked at *t0. */
static th_event timer_rig_start(rig *r, int64_t *t0)
{
	rig_init(r);
	fake_pf_price(&r->pf, "sim", "BTCUSDT", PX(20000), PS);
	fake_config(&r->h, "agent_max_position_qty", "1");
	fake_config(&r->h, "cache_max_age_ms", "1000");
	fake_pf_position(&r->pf, "marcus", "sim", "BTCUSDT", QTY(0.5), 0, PS, QS);
	g_positions = r->h.api.positions;
	r->h.api.positions = counted_positions;
	g_reads = 0;
	start_ok(r);
	*t0 = r->h.now_ns;
	th_event e = rig_market(r, "marcus", TH_SIDE_BUY, QTY(0.5));
	rig_expect_ok(r, &e);
	return e;
}

static void test_positions_refreshed_by_timer(void **state)
{
	(void)state;
	rig r;
	int64_t t0;
	th_event e = timer_rig_start(&r, &t0);
	size_t first = g_reads;
	assert_true(first >= 1);
	set_qty(&r, 0, 0.9); /* behind the plugin's back */
	fake_advance_to(&r.h, t0 + SEC / 2); /* the timer re-reads the half-second-old copy */
	assert_true(g_reads > first);
	size_t before = g_reads;
	rig_expect_deny(&r, &e, TH_RISK_POSITION); /* seen without a read in the check */
	assert_int_equal(g_reads, before);
	/* checks between timer ticks never find an aged copy */
	for (int k = 1; k <= 40; k++) {
		fake_advance_to(&r.h, t0 + SEC / 2 + k * (SEC / 20));
		size_t reads = g_reads;
		rig_expect_deny(&r, &e, TH_RISK_POSITION);
		assert_int_equal(g_reads, reads);
	}
	rig_end(&r);
}

/* A quiet spell (no check, no order or fill event) spanning many refresh
 * periods re-reads at most once: a backtest's one-minute step fires the
 * half-second timer 120 times, and every run used to re-read the copies.
 * The next check still sees an aged copy re-read (a change behind the
 * plugin's back is caught). */
static void test_quiet_timer_runs_do_not_reread(void **state)
{
	(void)state;
	rig r;
	int64_t t0;
	th_event e = timer_rig_start(&r, &t0);
	size_t after_check = g_reads;
	fake_advance_to(&r.h, t0 + 60 * SEC); /* 120 timer periods, nothing happening */
	/* one timer run re-reads each cached wallet copy (two here); without the
	 * quiet-spell rule every one of the 120 runs did */
	assert_true(g_reads - after_check <= 2);
	set_qty(&r, 0, 0.9); /* behind the plugin's back */
	rig_expect_deny(&r, &e, TH_RISK_POSITION); /* the aged copy is re-read by the check */
	rig_end(&r);
}

static void test_cache_age_zero_reads_every_time(void **state)
{
	(void)state;
	rig r;
	rig_init(&r);
	fake_pf_price(&r.pf, "sim", "BTCUSDT", PX(20000), PS);
	fake_config(&r.h, "agent_max_position_qty", "1");
	fake_config(&r.h, "cache_max_age_ms", "0");
	fake_pf_position(&r.pf, "marcus", "sim", "BTCUSDT", QTY(0.5), 0, PS, QS);
	start_ok(&r);
	th_event e = rig_market(&r, "marcus", TH_SIDE_BUY, QTY(0.5));
	rig_expect_ok(&r, &e);
	set_qty(&r, 0, 0.9);
	rig_expect_deny(&r, &e, TH_RISK_POSITION);
	/* open orders too */
	rig_resting(&r, "sophia", "BTCUSDT", TH_SIDE_SELL, PX(20000), QTY(0.1));
	e = rig_limit(&r, "marcus", TH_SIDE_BUY, PX(20000), QTY(0.05));
	rig_expect_deny(&r, &e, TH_RISK_SELF_TRADE);
	rig_end(&r);
}

/* 30 positions S00..S29, 1 unit each at 10 + i (S25: `s25` units). */
static void large_rig(rig *r, double s25, const char *key, const char *value)
{
	static char sym[30][16];
	rig_init(r);
	r->pf.ninstruments = 0;
	fake_config(&r->h, "conformity", "false");
	fake_config(&r->h, "hhi_min_positions", "2");
	fake_config(&r->h, key, value);
	for (int i = 0; i < 30; i++) {
		snprintf(sym[i], sizeof sym[i], "S%02d", i);
		fake_pf_price(&r->pf, "sim", sym[i], PX(10 + i), PS);
		fake_pf_position(&r->pf, "marcus", "sim", sym[i], QTY(i == 25 ? s25 : 1), 0, PS, QS);
	}
	rig_wallet(r, "marcus", M(1000000), M(1000), M(1000), 30);
	start_ok(r);
}

/* The book and its index grow past their first sizes and find the right
 * position; HHI sums all of them: 374.9 at the start, buying S00 crosses
 * 380 between 4.3772 and 4.3773 units. */
static void test_large_wallet(void **state)
{
	(void)state;
	rig r;
	large_rig(&r, 16, "agent_max_position_qty", "20");
	th_event e = rig_intent(&r, "marcus", "S25", TH_SIDE_SELL, TH_ORDER_MARKET, 0, QTY(36));
	rig_expect_ok(&r, &e); /* 16 -> -20 */
	e.u.intent.order.qty = QTY(36.0001);
	rig_expect_deny(&r, &e, TH_RISK_POSITION);
	e = rig_intent(&r, "marcus", "S07", TH_SIDE_BUY, TH_ORDER_MARKET, 0, QTY(19));
	rig_expect_ok(&r, &e);
	e.u.intent.order.qty = QTY(19.0001);
	rig_expect_deny(&r, &e, TH_RISK_POSITION);
	rig_end(&r);

	large_rig(&r, 1, "agent_max_hhi", "380");
	e = rig_intent(&r, "marcus", "S00", TH_SIDE_BUY, TH_ORDER_MARKET, 0, QTY(4.3772));
	rig_expect_ok(&r, &e);
	e.u.intent.order.qty = QTY(4.3773);
	rig_expect_deny(&r, &e, TH_RISK_CONCENTRATION);
	rig_end(&r);
}

/* The rate windows move from the old instance to the new one on reload. */
static void test_handover_keeps_rate_windows(void **state)
{
	(void)state;
	rig r;
	rig_init(&r);
	fake_config(&r.h, "max_orders_per_second", "2");
	start_ok(&r);
	int64_t t0 = r.h.now_ns;
	th_event e = rig_limit(&r, "marcus", TH_SIDE_BUY, PX(100), QTY(1));
	th_event s = rig_limit(&r, "sophia", TH_SIDE_BUY, PX(100), QTY(1));
	rig_expect_ok(&r, &e);
	rig_expect_ok(&r, &e);
	rig_expect_ok(&r, &s);
	rig_expect_deny(&r, &e, TH_RISK_RATE);

	void *blob;
	size_t len;
	assert_int_equal(r.desc->export_state(r.inst, &blob, &len), TH_OK);
	void *old = r.inst;
	assert_int_equal(rig_start(&r), TH_OK); /* the new instance */
	void *fresh = r.inst;
	/* a truncated blob is refused */
	assert_int_equal(r.desc->import_state(fresh, blob, len - 1), TH_ERR_INVALID);
	assert_int_equal(r.desc->stop(old), TH_OK);
	r.desc->destroy(old);
	r.desc->destroy(fresh);
	assert_int_equal(rig_start(&r), TH_OK);
	assert_int_equal(r.desc->import_state(r.inst, blob, len), TH_OK);
	r.h.api.free(fake_ctx(&r.h), blob);
	rig_expect_deny(&r, &e, TH_RISK_RATE);
	rig_expect_ok(&r, &s);
	rig_expect_deny(&r, &s, TH_RISK_RATE);
	fake_advance_to(&r.h, t0 + SEC);
	rig_expect_ok(&r, &e);
	rig_end(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_positions_reread_after_event_or_age),
		cmocka_unit_test(test_positions_reread_on_count_change),
		cmocka_unit_test(test_positions_refreshed_by_timer),
		cmocka_unit_test(test_quiet_timer_runs_do_not_reread),
		cmocka_unit_test(test_cache_age_zero_reads_every_time),
		cmocka_unit_test(test_large_wallet),
		cmocka_unit_test(test_handover_keeps_rate_windows),
	};
	return cmocka_run_group_tests_name("limits_caches", tests, NULL, NULL);
}
