/*
 * Long-run numeric drift: stream N bars (default 2 M; ctest also runs 10 M as a "slow" test)
 * through every indicator that keeps rolling sums and compare, at checkpoints and at the end,
 * with a direct long-double recomputation over the current window. Relative error must stay
 * below 1e-9 (research target P3); a naive running sum without compensation would not.
 *
 * The series is generated on the fly (no 10 M-element arrays): a mean-reverting random walk
 * around 50 000 with 0.01 ticks plus a slow swing of +-20 000, so magnitudes move a lot.
 *
 * Usage: test_ta_drift [bars]
 */
#include <stdio.h>

#include "ta_test_util.h"

#define W 20 /* window of the rolling indicators */

static size_t g_bars = 2000000;

typedef struct bar {
	double h, l, c, v;
} bar;

static bar next_bar(ta_rng *r, double *px, size_t i)
{
	bar b;
	double target = 50000.0 + 20000.0 * sin((double)i / 150000.0);
	*px += (ta_rng_unit(r) - 0.5) * 40.0 - 0.01 * (*px - target);
	b.c = round(*px * 100.0) / 100.0;
	b.h = b.c + round(ta_rng_unit(r) * 2000.0) / 100.0;
	b.l = b.c - round(ta_rng_unit(r) * 2000.0) / 100.0;
	b.v = round(ta_rng_unit(r) * 1e6) / 100.0;
	return b;
}

static double rel_err(double got, long double want)
{
	long double d = fabsl((long double)got - want);
	long double m = fabsl(want);
	return (double)(m > 1.0L ? d / m : d);
}

static void test_no_drift(void **state)
{
	(void)state;
	ta_rng r = { 12345 };
	double px = 50000.0;
	bar ring[W];
	long double cum_pv = 0, cum_v = 0;
	th_ta_sma sma;
	th_ta_wma wma;
	th_ta_stddev sd;
	th_ta_zscore zs;
	th_ta_linreg lr;
	th_ta_vwap vw, vwc;
	static const char *const names[] = { "sma", "wma", "stddev", "zscore (abs)",
		                             "linreg_slope (per sd)", "vwap(20)", "vwap(cum)" };
	double naive_sum = 0, worst[7] = { 0 }, naive_worst = 0;
	double o_sma = 0, o_wma = 0, o_sd = 0, o_zs = 0, o_lr = 0, o_vw = 0, o_vwc = 0;
	size_t checkpoint = g_bars / 10;

	assert_int_equal(th_ta_sma_init(&sma, W, NULL), 0);
	assert_int_equal(th_ta_wma_init(&wma, W, NULL), 0);
	assert_int_equal(th_ta_stddev_init(&sd, W, NULL), 0);
	assert_int_equal(th_ta_zscore_init(&zs, W, NULL), 0);
	assert_int_equal(th_ta_linreg_init(&lr, W, NULL), 0);
	assert_int_equal(th_ta_vwap_init(&vw, W, NULL), 0);
	assert_int_equal(th_ta_vwap_init(&vwc, 0, NULL), 0);

	for (size_t i = 0; i < g_bars; i++) {
		bar b = next_bar(&r, &px, i);
		double old = i >= W ? ring[i % W].c : 0.0;
		ring[i % W] = b;
		naive_sum += b.c - old; /* what an uncompensated rolling sum would do */
		cum_pv += (long double)((b.h + b.l + b.c) / 3.0 * b.v);
		cum_v += b.v;
		th_ta_sma_update(&sma, b.c, &o_sma);
		th_ta_wma_update(&wma, b.c, &o_wma);
		th_ta_stddev_update(&sd, b.c, &o_sd);
		th_ta_zscore_update(&zs, b.c, &o_zs);
		th_ta_linreg_update(&lr, b.c, &o_lr);
		th_ta_vwap_update(&vw, b.h, b.l, b.c, b.v, &o_vw);
		th_ta_vwap_update(&vwc, b.h, b.l, b.c, b.v, &o_vwc);

		/* Checkpoints off the window boundary too (rebuilds happen on it). */
		if (i + 1 < W || ((i + 1) % checkpoint != 7 && i + 1 != g_bars))
			continue;
		/* Direct recomputation over the window (oldest first). */
		long double sum = 0, wsum = 0, pv = 0, vol = 0, sxy = 0;
		for (size_t j = 0; j < W; j++) {
			const bar *q = &ring[(i + 1 + j) % W];
			sum += q->c;
			wsum += (long double)(j + 1) * q->c;
			sxy += (long double)j * q->c;
			pv += (long double)((q->h + q->l + q->c) / 3.0 * q->v);
			vol += q->v;
		}
		long double mean = sum / W, var = 0;
		for (size_t j = 0; j < W; j++)
			var += (ring[j].c - mean) * (ring[j].c - mean);
		var /= W;
		long double sdv = sqrtl(var);
		long double sx = W * (W - 1) / 2.0L, sxx = (W - 1) * W * (2 * W - 1) / 6.0L;
		long double slope = (W * sxy - sx * sum) / (W * sxx - sx * sx);

		double e[] = {
			rel_err(o_sma, mean),
			rel_err(o_wma, wsum / (W * (W + 1) / 2.0L)),
			rel_err(o_sd, sdv), /* sd is tens here: relative */
			fabs(o_zs - (double)((ring[i % W].c - mean) / sdv)),
			fabs(o_lr - (double)slope) / (double)(sdv > 1 ? sdv : 1), /* per unit of sd */
			rel_err(o_vw, pv / vol),
			rel_err(o_vwc, cum_pv / cum_v),
		};
		for (size_t k = 0; k < sizeof e / sizeof e[0]; k++) {
			if (!(e[k] < 1e-9))
				print_error("bar %zu: %s error %g\n", i, names[k], e[k]);
			assert_true(e[k] < 1e-9);
			if (e[k] > worst[k])
				worst[k] = e[k];
		}
		double ne = rel_err(naive_sum / W, mean);
		if (ne > naive_worst)
			naive_worst = ne;
	}
	printf("%zu bars, worst error against a long-double recompute:\n", g_bars);
	for (size_t k = 0; k < 7; k++)
		printf("  %-22s %.3g\n", names[k], worst[k]);
	printf("  (an uncompensated rolling SMA: %.3g)\n", naive_worst);
	th_ta_sma_free(&sma);
	th_ta_wma_free(&wma);
	th_ta_stddev_free(&sd);
	th_ta_zscore_free(&zs);
	th_ta_linreg_free(&lr);
	th_ta_vwap_free(&vw);
	th_ta_vwap_free(&vwc);
}

int main(int argc, char **argv)
{
	if (argc > 1) {
		char *end;
		unsigned long long n = strtoull(argv[1], &end, 10);
		if (*end != '\0' || n < 100) {
			fprintf(stderr, "usage: %s [bars >= 100]\n", argv[0]);
			return 2;
		}
		g_bars = (size_t)n;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_drift),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
