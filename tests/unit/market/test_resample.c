/*
 * Tests for streaming resampling: known OHLCV values, epoch alignment, gaps
 * that must not create bars, partial bars only on flush, invalid multiples,
 * misuse errors, and trades → bars.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "market/resample.h"

#define SEC 1000000000LL
#define MIN (60 * SEC)
#define T0 (1704067200LL * SEC) /* 2024-01-01T00:00:00Z, a multiple of 1d */

static th_bar bar1m(int64_t minute, th_price o, th_price h, th_price l, th_price c, th_qty v)
{
	th_bar b;
	memset(&b, 0, sizeof b);
	b.open_time_ns = T0 + minute * MIN;
	b.interval_ns = MIN;
	b.open = o;
	b.high = h;
	b.low = l;
	b.close = c;
	b.volume = v;
	b.trades = 1;
	b.price_scale = 2;
	b.qty_scale = 3;
	return b;
}

static void test_five_minutes_known_values(void **state)
{
	(void)state;
	resampler rs;
	char err[256];
	th_bar out[RESAMPLE_MAX_OUT];
	assert_int_equal(resample_init(&rs, MIN, 5 * MIN, err, sizeof err), 0);
	th_bar in[5] = {
		bar1m(0, 10000, 10100, 9950, 10050, 1000), bar1m(1, 10050, 10200, 10000, 10150, 2000),
		bar1m(2, 10150, 10160, 9900, 9920, 1500),   bar1m(3, 9920, 10010, 9910, 10000, 500),
		bar1m(4, 10000, 10090, 9990, 10080, 250),
	};
	for (int i = 0; i < 4; i++)
		assert_int_equal(resample_bar(&rs, &in[i], out, err, sizeof err), 0);
	/* the bar that ends the period completes it at once */
	assert_int_equal(resample_bar(&rs, &in[4], out, err, sizeof err), 1);
	assert_int_equal(out[0].open_time_ns, T0);
	assert_int_equal(out[0].interval_ns, 5 * MIN);
	assert_int_equal(out[0].open, 10000);
	assert_int_equal(out[0].high, 10200);
	assert_int_equal(out[0].low, 9900);
	assert_int_equal(out[0].close, 10080);
	assert_int_equal(out[0].volume, 5250);
	assert_int_equal(out[0].trades, 5);
	assert_int_equal(out[0].price_scale, 2);
	assert_int_equal(out[0].qty_scale, 3);
	assert_int_equal(resample_flush(&rs, out), 0); /* nothing left open */
}

static void test_alignment_to_epoch(void **state)
{
	(void)state;
	resampler rs;
	char err[256];
	th_bar out[RESAMPLE_MAX_OUT];
	assert_int_equal(resample_init(&rs, MIN, 15 * MIN, err, sizeof err), 0);
	/* data starting at 00:07 belongs to the 00:00 bucket, which ends at 00:15 */
	int got = 0;
	for (int m = 7; m < 31; m++) {
		th_bar b = bar1m(m, 100 + m, 200 + m, 50, 100 + m, 1);
		int n = resample_bar(&rs, &b, out, err, sizeof err);
		assert_true(n >= 0);
		if (m == 14) {
			assert_int_equal(n, 1);
			assert_int_equal(out[0].open_time_ns, T0);
			assert_int_equal(out[0].open, 107);
			assert_int_equal(out[0].close, 114);
			assert_int_equal(out[0].volume, 8);
			got++;
		} else if (m == 29) {
			assert_int_equal(n, 1);
			assert_int_equal(out[0].open_time_ns, T0 + 15 * MIN);
			assert_int_equal(out[0].volume, 15);
			got++;
		} else {
			assert_int_equal(n, 0);
		}
	}
	assert_int_equal(got, 2);
	/* 00:30 is open and partial: only flush gives it */
	assert_int_equal(resample_flush(&rs, out), 1);
	assert_int_equal(out[0].open_time_ns, T0 + 30 * MIN);
	assert_int_equal(out[0].volume, 1);
	assert_int_equal(resample_flush(&rs, out), 0);

	/* 1d buckets start at 00:00 UTC */
	assert_int_equal(resample_init(&rs, MIN, 1440 * MIN, err, sizeof err), 0);
	th_bar late = bar1m(1439, 1, 2, 1, 2, 3), next = bar1m(1440, 2, 2, 2, 2, 4);
	assert_int_equal(resample_bar(&rs, &late, out, err, sizeof err), 1);
	assert_int_equal(out[0].open_time_ns, T0);
	assert_int_equal(resample_bar(&rs, &next, out, err, sizeof err), 0);
	assert_int_equal(resample_flush(&rs, out), 1);
	assert_int_equal(out[0].open_time_ns, T0 + 86400 * SEC);
	assert_int_equal(resample_align(-1, 10), -10);
}

static void test_gaps_make_no_bars(void **state)
{
	(void)state;
	resampler rs;
	char err[256];
	th_bar out[RESAMPLE_MAX_OUT], all[16];
	int nall = 0;
	assert_int_equal(resample_init(&rs, MIN, 5 * MIN, err, sizeof err), 0);
	/* 00:00–00:02, nothing until 00:17, then 00:17–00:19 */
	int minutes[] = { 0, 1, 2, 17, 18, 19 };
	for (size_t i = 0; i < sizeof minutes / sizeof minutes[0]; i++) {
		th_bar b = bar1m(minutes[i], 100, 110, 90, 105, 10);
		int n = resample_bar(&rs, &b, out, err, sizeof err);
		assert_true(n >= 0);
		for (int k = 0; k < n; k++)
			all[nall++] = out[k];
	}
	assert_int_equal(resample_flush(&rs, out), 0);
	assert_int_equal(nall, 2); /* no 00:05 or 00:10 bar */
	assert_int_equal(all[0].open_time_ns, T0);
	assert_int_equal(all[0].volume, 30);
	assert_int_equal(all[0].trades, 3);
	assert_int_equal(all[1].open_time_ns, T0 + 15 * MIN);
	assert_int_equal(all[1].volume, 30);
}

static void test_one_push_completes_two(void **state)
{
	(void)state;
	resampler rs;
	char err[256];
	th_bar out[RESAMPLE_MAX_OUT];
	assert_int_equal(resample_init(&rs, MIN, 2 * MIN, err, sizeof err), 0);
	th_bar a = bar1m(0, 1, 1, 1, 1, 1), b = bar1m(3, 2, 2, 2, 2, 2);
	assert_int_equal(resample_bar(&rs, &a, out, err, sizeof err), 0);
	assert_int_equal(resample_bar(&rs, &b, out, err, sizeof err), 2);
	assert_int_equal(out[0].open_time_ns, T0);
	assert_int_equal(out[0].close, 1);
	assert_int_equal(out[1].open_time_ns, T0 + 2 * MIN);
	assert_int_equal(out[1].close, 2);
}

static void test_invalid_multiple(void **state)
{
	(void)state;
	resampler rs;
	char err[256];
	assert_int_equal(resample_init(&rs, 5 * MIN, 7 * MIN, err, sizeof err), -1);
	assert_string_equal(err, "resample: target interval 7m is not a multiple of the source interval 5m");
	assert_int_equal(resample_init(&rs, MIN, 90 * SEC, err, sizeof err), -1);
	assert_string_equal(err, "resample: target interval 90s is not a multiple of the source interval 1m");
	assert_int_equal(resample_init(&rs, MIN, 0, err, sizeof err), -1);
	assert_int_equal(resample_init(&rs, MIN, MIN, err, sizeof err), 0); /* identity is allowed */
}

static void test_misuse_errors(void **state)
{
	(void)state;
	resampler rs;
	char err[256];
	th_bar out[RESAMPLE_MAX_OUT];
	assert_int_equal(resample_init(&rs, MIN, 5 * MIN, err, sizeof err), 0);
	th_bar a = bar1m(3, 1, 1, 1, 1, 1), b = bar1m(2, 1, 1, 1, 1, 1);
	assert_int_equal(resample_bar(&rs, &a, out, err, sizeof err), 0);
	assert_int_equal(resample_bar(&rs, &b, out, err, sizeof err), -1);
	assert_string_equal(err, "resample: bar at 2024-01-01T00:02:00Z is not after the previous bar at "
	                         "2024-01-01T00:03:00Z");
	th_bar c = bar1m(10, 1, 1, 1, 1, 1);
	c.interval_ns = 5 * MIN;
	assert_int_equal(resample_bar(&rs, &c, out, err, sizeof err), -1);
	assert_string_equal(err, "resample: a 5m bar was fed to a resampler of 1m bars");
	th_bar d = bar1m(11, 1, 1, 1, 1, 1);
	d.price_scale = 4;
	assert_int_equal(resample_bar(&rs, &d, out, err, sizeof err), -1);
	assert_string_equal(err, "resample: scales changed from 2/3 to 4/3 (price/qty)");
	th_bar e = bar1m(14, 1, 1, 1, 1, 1);
	e.open_time_ns += 30 * SEC; /* unaligned: 00:14:30–00:15:30 crosses 00:15 */
	assert_int_equal(resample_bar(&rs, &e, out, err, sizeof err), -1);
	assert_non_null(strstr(err, "straddles a target boundary"));
}

static void test_trades_to_bars(void **state)
{
	(void)state;
	resampler rs;
	char err[256];
	th_bar out[RESAMPLE_MAX_OUT];
	assert_int_equal(resample_init(&rs, 0, MIN, err, sizeof err), 0);
	struct {
		int64_t ts;
		th_price px;
		th_qty q;
	} tr[] = { { T0 + 1 * SEC, 500, 2 }, { T0 + 20 * SEC, 520, 1 }, { T0 + 20 * SEC, 480, 4 },
		       { T0 + 59 * SEC, 505, 3 }, { T0 + 61 * SEC, 510, 7 } };
	int emitted = 0;
	for (size_t i = 0; i < sizeof tr / sizeof tr[0]; i++) {
		th_trade t = { tr[i].px, tr[i].q, i + 1, 0, 2, 0 };
		int n = resample_trade(&rs, tr[i].ts, &t, out, err, sizeof err);
		assert_true(n >= 0);
		if (n) {
			emitted++;
			assert_int_equal(i, 4);
			assert_int_equal(out[0].open_time_ns, T0);
			assert_int_equal(out[0].open, 500);
			assert_int_equal(out[0].high, 520);
			assert_int_equal(out[0].low, 480);
			assert_int_equal(out[0].close, 505);
			assert_int_equal(out[0].volume, 10);
			assert_int_equal(out[0].trades, 4);
		}
	}
	assert_int_equal(emitted, 1);
	/* the clock passing the end closes the open bar without another trade */
	assert_int_equal(resample_advance(&rs, T0 + 119 * SEC, out), 0);
	assert_int_equal(resample_advance(&rs, T0 + 120 * SEC, out), 1);
	assert_int_equal(out[0].open_time_ns, T0 + MIN);
	assert_int_equal(out[0].volume, 7);
	assert_int_equal(resample_flush(&rs, out), 0);
	/* time going backwards is refused */
	th_trade t = { 1, 1, 9, 0, 2, 0 };
	assert_int_equal(resample_trade(&rs, T0, &t, out, err, sizeof err), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_five_minutes_known_values),
		cmocka_unit_test(test_alignment_to_epoch),
		cmocka_unit_test(test_gaps_make_no_bars),
		cmocka_unit_test(test_one_push_completes_two),
		cmocka_unit_test(test_invalid_multiple),
		cmocka_unit_test(test_misuse_errors),
		cmocka_unit_test(test_trades_to_bars),
	};
	return cmocka_run_group_tests_name("market_resample", tests, NULL, NULL);
}
