/*
 * arbitrage — the exact edge test: the threshold boundary in both
 * directions, fees, rounding of the touch to the tick, and unusable touches.
 * Prices at scale 2; fees and threshold in units of 10^-8 (1 bp = 10000).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "arb_edge.h"

#define BP 10000LL

static arb_touch touch(th_price bid, th_price ask)
{
	arb_touch t = { .bid = bid, .ask = ask, .bid_qty = 100, .ask_qty = 100, .ts_ns = 1, .valid = 1 };
	return t;
}

/* 1 bp fee each side and a 1 bp threshold: buying at 100.00 needs a bid
 * above 100.00 x 1.0002 / 0.9999 = 100.030003: 100.04 passes, 100.03 does not. */
static void test_threshold_boundary(void **state)
{
	(void)state;
	const int64_t fee[2] = { BP, BP };
	arb_signal s;
	arb_touch t[2] = { touch(9999, 10000), touch(10003, 10005) };
	assert_int_equal(arb_edge_find(t, fee, BP, 1, &s), 0);
	t[1].bid = 10004;
	assert_int_equal(arb_edge_find(t, fee, BP, 1, &s), 1);
	assert_int_equal(s.buy, 0);
	assert_int_equal(s.buy_px, 10000);
	assert_int_equal(s.sell_px, 10004);
	assert_true(s.gross_bps > 3.99 && s.gross_bps < 4.01);
	assert_true(s.fees_bps > 1.99 && s.fees_bps < 2.01);
	assert_true(s.net_bps > 1.0 && s.net_bps < 2.0);
	/* the mirror image: venue b cheaper */
	arb_touch m[2] = { touch(10004, 10006), touch(9998, 10000) };
	assert_int_equal(arb_edge_find(m, fee, BP, 1, &s), 1);
	assert_int_equal(s.buy, 1);
	assert_int_equal(s.buy_px, 10000);
	assert_int_equal(s.sell_px, 10004);
	m[0].bid = 10003;
	assert_int_equal(arb_edge_find(m, fee, BP, 1, &s), 0);
}

/* Without fees and threshold a strictly positive price difference is enough;
 * equal prices are not an edge. */
static void test_no_fees(void **state)
{
	(void)state;
	const int64_t fee[2] = { 0, 0 };
	arb_signal s;
	arb_touch t[2] = { touch(9999, 10000), touch(10000, 10002) };
	assert_int_equal(arb_edge_find(t, fee, 0, 1, &s), 0);
	t[1].bid = 10001;
	assert_int_equal(arb_edge_find(t, fee, 0, 1, &s), 1);
	/* fees eat a 1-tick edge */
	const int64_t fees[2] = { BP / 2, BP / 2 };
	assert_int_equal(arb_edge_find(t, fees, 0, 1, &s), 0);
}

/* A touch off the tick is rounded against us before the test. */
static void test_tick_rounding(void **state)
{
	(void)state;
	const int64_t fee[2] = { 0, 0 };
	arb_signal s;
	arb_touch t[2] = { touch(9990, 10001), touch(10009, 10020) };
	assert_int_equal(arb_edge_find(t, fee, 0, 10, &s), 0); /* buy at 100.10, sell at 100.00 */
	t[1].bid = 10021;
	assert_int_equal(arb_edge_find(t, fee, 0, 10, &s), 1);
	assert_int_equal(s.buy_px, 10010);
	assert_int_equal(s.sell_px, 10020);
}

static void test_unusable(void **state)
{
	(void)state;
	const int64_t fee[2] = { 0, 0 };
	arb_signal s;
	arb_touch t[2] = { touch(9999, 10000), touch(10100, 10102) };
	t[1].valid = 0;
	assert_int_equal(arb_edge_find(t, fee, 0, 1, &s), 0);
	t[1].valid = 1;
	assert_int_equal(arb_edge_find(t, fee, 0, 0, &s), 0); /* no tick */
	t[0].ask = 0;
	assert_int_equal(arb_edge_find(t, fee, 0, 1, &s), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threshold_boundary),
		cmocka_unit_test(test_no_fees),
		cmocka_unit_test(test_tick_rounding),
		cmocka_unit_test(test_unusable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
