/*
 * market_maker — the quote formula on its own: exact prices for known
 * inputs, inventory skew, the clamps, post-only safety, and unusable inputs.
 * Prices at scale 2 with a 0.01 tick (1 unit).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "mm_model.h"

static mm_params defaults(void)
{
	mm_params p = { .gamma = 0.1, .kappa = 0.5, .horizon_s = 60, .min_spread_bps = 0, .max_spread_bps = 200,
		.max_skew_bps = 50 };
	return p;
}

/* gamma 0.1, sigma 1 bp/sqrt(s), tau 60 s: var = 6 bp; spread = 6 + 20 ln 1.2 = 9.6464 bp
 * around 65000.00: 64968.649.. (down) and 65031.350.. (up). */
static void test_flat_inventory_is_symmetric(void **state)
{
	(void)state;
	mm_params p = defaults();
	mm_quote q;
	assert_int_equal(mm_model_quote(&p, 6499999, 6500001, 1, 1.0, 0.0, &q), 0);
	assert_true(fabs(q.var_bps - 6.0) < 1e-12);
	assert_true(fabs(q.raw_spread_bps - 9.646431135879093) < 1e-9);
	assert_int_equal(q.mid2, 13000000);
	assert_int_equal(q.reservation, 6500000);
	assert_int_equal(q.bid, 6496864);
	assert_int_equal(q.ask, 6503136);
	/* a coarser tick rounds the bid down and the ask up, never inward */
	assert_int_equal(mm_model_quote(&p, 6499990, 6500010, 10, 1.0, 0.0, &q), 0);
	assert_int_equal(q.bid, 6496860);
	assert_int_equal(q.ask, 6503140);
}

/* Long 2 quote sizes: r = mid (1 - 2 * 6 bp) = 64922.00; both quotes move down. */
static void test_inventory_skews_the_reservation(void **state)
{
	(void)state;
	mm_params p = defaults();
	mm_quote q;
	assert_int_equal(mm_model_quote(&p, 6499999, 6500001, 1, 1.0, 2.0, &q), 0);
	assert_true(fabs(q.skew_bps - 12.0) < 1e-9);
	assert_int_equal(q.reservation, 6492200);
	assert_int_equal(q.bid, 6489064);
	/* the model's ask (64953.36) would cross the market's bid: held one tick above it */
	assert_int_equal(q.ask, 6500000);
	/* short: mirror image */
	assert_int_equal(mm_model_quote(&p, 6499999, 6500001, 1, 1.0, -2.0, &q), 0);
	assert_int_equal(q.reservation, 6507800);
	assert_int_equal(q.bid, 6500000); /* held one tick behind the market's ask */
	assert_true(q.ask > 6507800);
}

static void test_clamps(void **state)
{
	(void)state;
	mm_params p = defaults();
	mm_quote q;
	/* the skew is clamped: 100 quote sizes long would be 600 bp */
	assert_int_equal(mm_model_quote(&p, 6499999, 6500001, 1, 1.0, 100.0, &q), 0);
	assert_true(fabs(q.skew_bps - 50.0) < 1e-12);
	assert_int_equal(q.reservation, 6467500);
	/* the spread is clamped from above and below */
	p.max_spread_bps = 4;
	assert_int_equal(mm_model_quote(&p, 6499999, 6500001, 1, 1.0, 0.0, &q), 0);
	assert_true(fabs(q.spread_bps - 4.0) < 1e-12);
	assert_int_equal(q.bid, 6498700);
	assert_int_equal(q.ask, 6501300);
	p = defaults();
	p.min_spread_bps = 30;
	assert_int_equal(mm_model_quote(&p, 6499999, 6500001, 1, 0.0, 0.0, &q), 0);
	assert_true(q.raw_spread_bps < 30);
	assert_true(fabs(q.spread_bps - 30.0) < 1e-12);
	assert_int_equal(q.bid, 6490250);
	assert_int_equal(q.ask, 6509750);
}

/* Quotes never cross the touch (post-only): a big long skew pulls the ask
 * below the market's bid, and it is held one tick above it. */
static void test_post_only_safety(void **state)
{
	(void)state;
	mm_params p = defaults();
	p.max_skew_bps = 2500;
	mm_quote q;
	assert_int_equal(mm_model_quote(&p, 6499999, 6500001, 1, 1.0, 50.0, &q), 0);
	assert_int_equal(q.ask, 6500000); /* > bid 64999.99 by one tick */
	assert_true(q.bid < q.ask);
	assert_int_equal(mm_model_quote(&p, 6499999, 6500001, 1, 1.0, -50.0, &q), 0);
	assert_int_equal(q.bid, 6500000);
	assert_true(q.ask > q.bid);
}

/* NaN and Inf never become prices; an overflowing variance is clamped to the widest spread. */
static void test_unusable_inputs(void **state)
{
	(void)state;
	mm_params p = defaults();
	mm_quote q;
	assert_int_equal(mm_model_quote(&p, 6499999, 6500001, 1, NAN, 0.0, &q), -1);
	assert_int_equal(mm_model_quote(&p, 6499999, 6500001, 1, 1.0, NAN, &q), -1);
	assert_int_equal(mm_model_quote(&p, 6499999, 6500001, 1, -1.0, 0.0, &q), -1);
	assert_int_equal(mm_model_quote(&p, 6500001, 6499999, 1, 1.0, 0.0, &q), -1); /* crossed */
	assert_int_equal(mm_model_quote(&p, 0, 6499999, 1, 1.0, 0.0, &q), -1);
	assert_int_equal(mm_model_quote(&p, 6499999, 6500001, 0, 1.0, 0.0, &q), -1); /* no tick */
	assert_int_equal(mm_model_quote(&p, 6499999, 6500001, 1, INFINITY, 0.0, &q), -1);
	/* a finite sigma whose square overflows: the spread is clamped to the widest */
	assert_int_equal(mm_model_quote(&p, 6499999, 6500001, 1, 1e200, 0.0, &q), 0);
	assert_true(fabs(q.spread_bps - 200.0) < 1e-12);
	assert_int_equal(q.bid, 6435000);
	assert_int_equal(q.ask, 6565000);
	p.gamma = 0;
	assert_int_equal(mm_model_quote(&p, 6499999, 6500001, 1, 1.0, 0.0, &q), -1);
}

static void test_tick_rounding(void **state)
{
	(void)state;
	assert_int_equal(mm_floor_tick(1234, 5), 1230);
	assert_int_equal(mm_ceil_tick(1234, 5), 1235);
	assert_int_equal(mm_ceil_tick(1235, 5), 1235);
	assert_int_equal(mm_floor_tick(1235, 5), 1235);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flat_inventory_is_symmetric),
		cmocka_unit_test(test_inventory_skews_the_reservation),
		cmocka_unit_test(test_clamps),
		cmocka_unit_test(test_post_only_safety),
		cmocka_unit_test(test_unusable_inputs),
		cmocka_unit_test(test_tick_rounding),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
