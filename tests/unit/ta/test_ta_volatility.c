/*
 * ATR, BBANDS, STDDEV, ZSCORE and DONCHIAN: hand-checked values, warm-up, parameters,
 * degenerate (flat) windows, numeric accuracy on large prices, streaming == batch.
 */
#include <float.h>

#include "ta_test_util.h"

static const double X[] = { 10, 11, 12, 11, 10, 12, 14, 13 };
#define NX (sizeof X / sizeof X[0])

static const double H[] = { 10, 11, 12, 11, 9, 15 };
static const double L[] = { 8, 9, 10, 7, 8.5, 12 };
static const double C[] = { 9, 10, 11, 8, 9, 14 };
#define NB (sizeof H / sizeof H[0])

static void test_atr_values(void **state)
{
	(void)state;
	/* True ranges from bar 1: max(H-L, |H-Cprev|, |L-Cprev|)
	 * bar1: max(2, 2, 0) = 2; bar2: max(2, 2, 0) = 2; bar3: max(4, 0, 4) = 4;
	 * bar4: max(0.5, 1, 0.5) = 1; bar5: max(3, 6, 3) = 6.
	 * ATR(3): seed at bar 3 = (2+2+4)/3 = 8/3; bar4: (8/3*2+1)/3 = 19/9;
	 * bar5: (19/9*2+6)/3 = 92/27. */
	const double want[NB] = { 0, 0, 0, 8.0 / 3, 19.0 / 9, 92.0 / 27 };
	th_ta_atr s;
	double out = -1;

	assert_int_equal(th_ta_atr_init(&s, 3, NULL), 0);
	for (size_t i = 0; i < NB; i++) {
		int rc = th_ta_atr_update(&s, H[i], L[i], C[i], &out);
		assert_int_equal(rc, i >= 3); /* first valid index = period */
		if (i >= 3)
			assert_near(out, want[i], HAND_TOL);
		else
			assert_true(out == -1);
	}
	th_ta_atr_free(&s);

	/* Period 1: ATR is the true range itself from bar 1 on. */
	assert_int_equal(th_ta_atr_init(&s, 1, NULL), 0);
	assert_int_equal(th_ta_atr_update(&s, H[0], L[0], C[0], &out), 0);
	const double tr[] = { 0, 2, 2, 4, 1, 6 };
	for (size_t i = 1; i < NB; i++) {
		assert_int_equal(th_ta_atr_update(&s, H[i], L[i], C[i], &out), 1);
		assert_true(out == tr[i]);
	}
	th_ta_atr_free(&s);
}

static void test_bbands_stddev_zscore_values(void **state)
{
	(void)state;
	/* Window 3 on X.
	 * idx2: 10 11 12, mean 11, population variance (1+0+1)/3 = 2/3, sd = sqrt(2/3);
	 *       bbands(3,2) = 11 +- 2*sqrt(2/3); z = (12-11)/sqrt(2/3) = 1.2247449.
	 * idx3: 11 12 11, mean 34/3, deviations -1/3 2/3 -1/3, variance (1+4+1)/27 = 2/9;
	 *       z = (11 - 34/3)/sqrt(2/9) = -0.70710678.
	 * idx4: 12 11 10, mean 11, variance 2/3, z = -1.2247449. */
	th_ta_bbands b;
	th_ta_stddev d;
	th_ta_zscore z;
	th_ta_bands bo = { -1, -1, -1 };
	double so = -1, zo = -1;

	assert_int_equal(th_ta_bbands_init(&b, 3, 2.0, NULL), 0);
	assert_int_equal(th_ta_stddev_init(&d, 3, NULL), 0);
	assert_int_equal(th_ta_zscore_init(&z, 3, NULL), 0);
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(th_ta_bbands_update(&b, X[i], &bo), 0);
		assert_int_equal(th_ta_stddev_update(&d, X[i], &so), 0);
		assert_int_equal(th_ta_zscore_update(&z, X[i], &zo), 0);
	}
	assert_true(bo.upper == -1 && so == -1 && zo == -1);

	assert_int_equal(th_ta_bbands_update(&b, X[2], &bo), 1);
	assert_int_equal(th_ta_stddev_update(&d, X[2], &so), 1);
	assert_int_equal(th_ta_zscore_update(&z, X[2], &zo), 1);
	assert_near(bo.middle, 11, HAND_TOL);
	assert_near(bo.upper, 11 + 2 * sqrt(2.0 / 3), HAND_TOL);
	assert_near(bo.lower, 11 - 2 * sqrt(2.0 / 3), HAND_TOL);
	assert_near(bo.upper, 12.6329932, HAND_TOL);
	assert_near(so, 0.81649658, HAND_TOL);
	assert_near(zo, 1.22474487, HAND_TOL);

	assert_int_equal(th_ta_bbands_update(&b, X[3], &bo), 1);
	assert_int_equal(th_ta_stddev_update(&d, X[3], &so), 1);
	assert_int_equal(th_ta_zscore_update(&z, X[3], &zo), 1);
	assert_near(bo.middle, 34.0 / 3, HAND_TOL);
	assert_near(so, sqrt(2.0 / 9), HAND_TOL);
	assert_near(bo.upper - bo.middle, 2 * sqrt(2.0 / 9), HAND_TOL);
	assert_near(zo, -0.70710678, HAND_TOL);

	assert_int_equal(th_ta_zscore_update(&z, X[4], &zo), 1);
	assert_near(zo, -1.22474487, HAND_TOL);
	th_ta_bbands_free(&b);
	th_ta_stddev_free(&d);
	th_ta_zscore_free(&z);
}

/* A flat window has exactly zero deviation and z-score 0, also after the window held other
 * values (the sums must cancel exactly, not leave noise that a z-score would amplify). */
static void test_flat_window(void **state)
{
	(void)state;
	th_ta_stddev d;
	th_ta_zscore z;
	th_ta_bbands b;
	double so, zo;
	th_ta_bands bo;
	const double noisy[] = { 43210.17, 43199.99, 43250.01, 43187.3, 43222.22 };

	assert_int_equal(th_ta_stddev_init(&d, 4, NULL), 0);
	assert_int_equal(th_ta_zscore_init(&z, 4, NULL), 0);
	assert_int_equal(th_ta_bbands_init(&b, 4, 2.5, NULL), 0);
	for (size_t i = 0; i < 5; i++) {
		th_ta_stddev_update(&d, noisy[i], &so);
		th_ta_zscore_update(&z, noisy[i], &zo);
		th_ta_bbands_update(&b, noisy[i], &bo);
	}
	for (int i = 0; i < 4; i++) {
		assert_int_equal(th_ta_stddev_update(&d, 43200.05, &so), 1);
		assert_int_equal(th_ta_zscore_update(&z, 43200.05, &zo), 1);
		assert_int_equal(th_ta_bbands_update(&b, 43200.05, &bo), 1);
	}
	assert_true(so == 0.0);
	assert_true(zo == 0.0);
	assert_true(bo.upper == bo.middle && bo.lower == bo.middle);
	assert_near(bo.middle, 43200.05, 1e-9);
	th_ta_stddev_free(&d);
	th_ta_zscore_free(&z);
	th_ta_bbands_free(&b);
}

/* Large price, tiny moves: the naive sum-of-squares variance loses most digits here; the
 * shifted, re-centred sums must not. Price 1e9 + small steps, window 5. */
static void test_variance_accuracy_large_prices(void **state)
{
	(void)state;
	th_ta_stddev d;
	double so = 0;

	assert_int_equal(th_ta_stddev_init(&d, 5, NULL), 0);
	/* Start far away so the internal shift is far from the later window mean. */
	for (int i = 0; i < 5; i++)
		th_ta_stddev_update(&d, 1.0e6, &so);
	for (int i = 0; i < 1000; i++) {
		double x = 1.0e9 + (i % 5) * 0.01; /* window is always {0,.01,.02,.03,.04} + 1e9 */
		assert_int_equal(th_ta_stddev_update(&d, x, &so), 1);
	}
	/* Population sd of {0, .01, .02, .03, .04} = sqrt(0.0002) = 0.0141421356, but 1e9 + 0.01
	 * is not exactly a double (ulp 1.2e-7), so compare with a two-pass computation on the
	 * doubles actually fed. The naive sum-of-squares formula fails completely here (x^2 ~ 1e18
	 * carries rounding errors ~1e2, far above the variance 2e-4); so does an un-re-centred
	 * shift (checked: it reports 0). */
	long double m = 0, v = 0;
	for (int i = 0; i < 5; i++)
		m += 1.0e9 + i * 0.01;
	m /= 5;
	for (int i = 0; i < 5; i++)
		v += ((1.0e9 + i * 0.01) - m) * ((1.0e9 + i * 0.01) - m);
	assert_near(so, sqrt((double)(v / 5)), 1e-12);
	assert_near(so, sqrt(0.0002), 1e-7);
	th_ta_stddev_free(&d);
}

static void test_donchian_values(void **state)
{
	(void)state;
	/* Donchian(3): idx2 HH 12 LL 8; idx3 HH 12 LL 7; idx4 HH 12 LL 7; idx5 HH 15 LL 7. */
	const double up[] = { 0, 0, 12, 12, 12, 15 }, lo[] = { 0, 0, 8, 7, 7, 7 };
	th_ta_donchian s;
	th_ta_bands o = { -1, -1, -1 };

	assert_int_equal(th_ta_donchian_init(&s, 3, NULL), 0);
	for (size_t i = 0; i < NB; i++) {
		int rc = th_ta_donchian_update(&s, H[i], L[i], &o);
		assert_int_equal(rc, i >= 2);
		if (i >= 2) {
			assert_true(o.upper == up[i]);
			assert_true(o.lower == lo[i]);
			assert_true(o.middle == (up[i] + lo[i]) / 2);
		} else {
			assert_true(o.upper == -1);
		}
	}
	th_ta_donchian_free(&s);
}

/* Rolling max/min against a brute-force scan, including runs of equal values and strictly
 * monotonic stretches (the worst cases of rolling-maximum schemes). */
static void test_donchian_brute_force(void **state)
{
	(void)state;
	const size_t n = 5000;
	ta_rng r = { 99 };
	double *h = malloc(n * sizeof *h), *l = malloc(n * sizeof *l);
	const uint32_t periods[] = { 1, 2, 7, 64 };

	for (size_t i = 0; i < n; i++) {
		if (i % 1000 < 200)
			h[i] = 100.0; /* plateau */
		else if (i % 1000 < 400)
			h[i] = (double)(i % 1000); /* rising */
		else if (i % 1000 < 600)
			h[i] = (double)(1000 - i % 1000); /* falling */
		else
			h[i] = floor(ta_rng_unit(&r) * 20.0); /* many ties */
		l[i] = h[i] - floor(ta_rng_unit(&r) * 5.0);
	}
	for (size_t p = 0; p < 4; p++) {
		th_ta_donchian s;
		th_ta_bands o;
		uint32_t per = periods[p];
		assert_int_equal(th_ta_donchian_init(&s, per, NULL), 0);
		for (size_t i = 0; i < n; i++) {
			int rc = th_ta_donchian_update(&s, h[i], l[i], &o);
			assert_int_equal(rc, i + 1 >= per);
			if (rc != 1)
				continue;
			double hh = -INFINITY, ll = INFINITY;
			for (size_t q = i + 1 - per; q <= i; q++) {
				hh = fmax(hh, h[q]);
				ll = fmin(ll, l[q]);
			}
			assert_true(o.upper == hh);
			assert_true(o.lower == ll);
		}
		th_ta_donchian_free(&s);
	}
	free(h);
	free(l);
}

static void test_params(void **state)
{
	(void)state;
	th_ta_atr a;
	th_ta_bbands b;
	th_ta_stddev d;
	th_ta_zscore z;
	th_ta_donchian dc;
	th_ta_error err = { "" };
	double v, in[3] = { 1, 2, 3 }, out[3];
	th_ta_bands bo;

	assert_int_equal(th_ta_atr_init(&a, 0, &err), TH_TA_EPARAM);
	assert_non_null(strstr(err.msg, "atr: period"));
	assert_int_equal(th_ta_atr_update(&a, 1, 1, 1, &v), TH_TA_EPARAM);
	assert_int_equal(th_ta_bbands_init(&b, 1, 2.0, &err), TH_TA_EPARAM);
	assert_non_null(strstr(err.msg, "bbands: period must be between 2"));
	assert_int_equal(th_ta_bbands_update(&b, 1, &bo), TH_TA_EPARAM);
	assert_int_equal(th_ta_bbands_init(&b, 20, -1.0, &err), TH_TA_EPARAM);
	assert_non_null(strstr(err.msg, "bbands: k"));
	assert_int_equal(th_ta_bbands_init(&b, 20, NAN, &err), TH_TA_EPARAM);
	assert_int_equal(th_ta_bbands_init(&b, 20, INFINITY, &err), TH_TA_EPARAM);
	assert_int_equal(th_ta_bbands_update(&b, 1, &bo), TH_TA_EPARAM);
	assert_int_equal(th_ta_bbands_batch(in, 3, 2, NAN, out, out, out), TH_TA_EPARAM);
	assert_int_equal(th_ta_stddev_init(&d, 1, &err), TH_TA_EPARAM);
	assert_non_null(strstr(err.msg, "stddev: period"));
	assert_int_equal(th_ta_stddev_update(&d, 1, &v), TH_TA_EPARAM);
	assert_int_equal(th_ta_zscore_init(&z, 0, &err), TH_TA_EPARAM);
	assert_non_null(strstr(err.msg, "zscore: period"));
	assert_int_equal(th_ta_zscore_update(&z, 1, &v), TH_TA_EPARAM);
	assert_int_equal(th_ta_donchian_init(&dc, 0, &err), TH_TA_EPARAM);
	assert_non_null(strstr(err.msg, "donchian: period"));
	assert_int_equal(th_ta_donchian_update(&dc, 1, 1, &bo), TH_TA_EPARAM);
	th_ta_donchian_free(&dc);
	/* k = 0 is allowed: all three bands on the mean. */
	assert_int_equal(th_ta_bbands_init(&b, 2, 0.0, NULL), 0);
	th_ta_bbands_update(&b, 1, &bo);
	assert_int_equal(th_ta_bbands_update(&b, 3, &bo), 1);
	assert_true(bo.upper == 2 && bo.lower == 2);
	th_ta_bbands_free(&b);
}

static void test_warmup_and_reset(void **state)
{
	(void)state;
	ta_series ser = ta_series_make(300, 80.0, 8);
	for (uint32_t p = 2; p < 60; p += 11) {
		th_ta_atr a;
		th_ta_bbands b;
		th_ta_donchian dc;
		double v;
		th_ta_bands bo;
		assert_int_equal(th_ta_atr_init(&a, p, NULL), 0);
		assert_int_equal(th_ta_bbands_init(&b, p, 2, NULL), 0);
		assert_int_equal(th_ta_donchian_init(&dc, p, NULL), 0);
		for (int round = 0; round < 2; round++) {
			for (size_t i = 0; i < ser.n; i++) {
				assert_int_equal(
					th_ta_atr_update(&a, ser.high[i], ser.low[i], ser.close[i], &v), i >= p);
				assert_int_equal(th_ta_bbands_update(&b, ser.close[i], &bo), i >= p - 1);
				assert_int_equal(th_ta_donchian_update(&dc, ser.high[i], ser.low[i], &bo),
				                 i >= p - 1);
			}
			/* After a reset the warm-up starts over. */
			th_ta_atr_reset(&a);
			th_ta_bbands_reset(&b);
			th_ta_donchian_reset(&dc);
		}
		th_ta_atr_free(&a);
		th_ta_bbands_free(&b);
		th_ta_donchian_free(&dc);
	}
	ta_series_free(&ser);
}

static void test_bad_input(void **state)
{
	(void)state;
	th_ta_atr a;
	th_ta_donchian dc;
	th_ta_bands bo;
	double v = 3;

	assert_int_equal(th_ta_atr_init(&a, 1, NULL), 0);
	assert_int_equal(th_ta_atr_update(&a, 10, 8, 9, &v), 0);
	assert_int_equal(th_ta_atr_update(&a, NAN, 8, 9, &v), TH_TA_EINPUT);
	assert_int_equal(th_ta_atr_update(&a, 10, 8, 1e300, &v), TH_TA_EINPUT);
	assert_true(v == 3);
	/* The rejected bars did not replace the previous close (9). */
	assert_int_equal(th_ta_atr_update(&a, 12, 11, 11, &v), 1);
	assert_true(v == 3); /* max(1, |12-9|, |11-9|) */
	assert_int_equal(th_ta_donchian_init(&dc, 2, NULL), 0);
	assert_int_equal(th_ta_donchian_update(&dc, INFINITY, 1, &bo), TH_TA_EINPUT);
	assert_int_equal(th_ta_donchian_update(&dc, 2, 1, &bo), 0);
	th_ta_donchian_free(&dc);
}

static void test_stream_equals_batch(void **state)
{
	(void)state;
	const size_t n = 30000;
	ta_series ser = ta_series_make(n, 65000.0, 31);
	double *b1 = ta_nan_array(n), *b2 = ta_nan_array(n), *b3 = ta_nan_array(n);
	double *s1 = ta_nan_array(n), *s2 = ta_nan_array(n), *s3 = ta_nan_array(n);
	th_ta_atr a;
	th_ta_bbands b;
	th_ta_stddev d;
	th_ta_zscore z;
	th_ta_donchian dc;

	assert_int_equal(th_ta_atr_batch(ser.high, ser.low, ser.close, n, 14, b1), 0);
	assert_int_equal(th_ta_atr_init(&a, 14, NULL), 0);
	for (size_t i = 0; i < n; i++)
		th_ta_atr_update(&a, ser.high[i], ser.low[i], ser.close[i], &s1[i]);
	ta_assert_same_bits(s1, b1, n, "atr");

	for (size_t i = 0; i < n; i++)
		b1[i] = s1[i] = NAN;
	assert_int_equal(th_ta_bbands_batch(ser.close, n, 20, 2.0, b1, b2, b3), 0);
	assert_int_equal(th_ta_bbands_init(&b, 20, 2.0, NULL), 0);
	for (size_t i = 0; i < n; i++) {
		th_ta_bands o;
		if (th_ta_bbands_update(&b, ser.close[i], &o) == 1) {
			s1[i] = o.upper;
			s2[i] = o.middle;
			s3[i] = o.lower;
		} else {
			s1[i] = s2[i] = s3[i] = NAN;
		}
	}
	ta_assert_same_bits(s1, b1, n, "bbands upper");
	ta_assert_same_bits(s2, b2, n, "bbands middle");
	ta_assert_same_bits(s3, b3, n, "bbands lower");
	/* Values against a direct two-pass computation at a few bars. */
	for (size_t i = 19; i < n; i += 1234) {
		long double m = 0, v = 0;
		for (size_t q = i - 19; q <= i; q++)
			m += ser.close[q];
		m /= 20;
		for (size_t q = i - 19; q <= i; q++)
			v += (ser.close[q] - m) * (ser.close[q] - m);
		double sd = sqrt((double)(v / 20));
		assert_near(s2[i], (double)m, 1e-9);
		assert_near(s1[i], (double)m + 2 * sd, 1e-8);
	}

	for (size_t i = 0; i < n; i++)
		b1[i] = s1[i] = NAN;
	assert_int_equal(th_ta_stddev_batch(ser.close, n, 30, b1), 0);
	assert_int_equal(th_ta_stddev_init(&d, 30, NULL), 0);
	for (size_t i = 0; i < n; i++)
		th_ta_stddev_update(&d, ser.close[i], &s1[i]);
	ta_assert_same_bits(s1, b1, n, "stddev");

	for (size_t i = 0; i < n; i++)
		b1[i] = s1[i] = NAN;
	assert_int_equal(th_ta_zscore_batch(ser.close, n, 30, b1), 0);
	assert_int_equal(th_ta_zscore_init(&z, 30, NULL), 0);
	for (size_t i = 0; i < n; i++)
		th_ta_zscore_update(&z, ser.close[i], &s1[i]);
	ta_assert_same_bits(s1, b1, n, "zscore");
	for (size_t i = 29; i < n; i++)
		assert_true(fabs(s1[i]) <= sqrt(29.0) + 1e-9); /* |z| <= sqrt(n-1) always */

	for (size_t i = 0; i < n; i++)
		b1[i] = s1[i] = b3[i] = s3[i] = NAN;
	assert_int_equal(th_ta_donchian_batch(ser.high, ser.low, n, 55, b1, NULL, b3), 0);
	assert_int_equal(th_ta_donchian_init(&dc, 55, NULL), 0);
	for (size_t i = 0; i < n; i++) {
		th_ta_bands o;
		if (th_ta_donchian_update(&dc, ser.high[i], ser.low[i], &o) == 1) {
			s1[i] = o.upper;
			s3[i] = o.lower;
		}
	}
	ta_assert_same_bits(s1, b1, n, "donchian upper");
	ta_assert_same_bits(s3, b3, n, "donchian lower");

	th_ta_bbands_free(&b);
	th_ta_stddev_free(&d);
	th_ta_zscore_free(&z);
	th_ta_donchian_free(&dc);
	free(b1);
	free(b2);
	free(b3);
	free(s1);
	free(s2);
	free(s3);
	ta_series_free(&ser);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_atr_values),
		cmocka_unit_test(test_bbands_stddev_zscore_values),
		cmocka_unit_test(test_flat_window),
		cmocka_unit_test(test_variance_accuracy_large_prices),
		cmocka_unit_test(test_donchian_values),
		cmocka_unit_test(test_donchian_brute_force),
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_warmup_and_reset),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_stream_equals_batch),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
