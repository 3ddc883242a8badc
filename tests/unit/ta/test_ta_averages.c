/*
 * SMA, EMA, SMMA/RMA and WMA: hand-checked values, warm-up length, parameter validation,
 * reset, and streaming == batch bit for bit.
 *
 * The small series X = 10 11 12 11 10 12 14 13 is used throughout; expected values are worked
 * out from the definitions in th_ta.h in the comments.
 */
#include "ta_test_util.h"

static const double X[] = { 10, 11, 12, 11, 10, 12, 14, 13 };
#define NX (sizeof X / sizeof X[0])

static void test_sma_values(void **state)
{
	(void)state;
	/* SMA(3): (10+11+12)/3 = 11, (11+12+11)/3 = 34/3, (12+11+10)/3 = 11, (11+10+12)/3 = 11,
	 * (10+12+14)/3 = 12, (12+14+13)/3 = 13. */
	const double want[NX] = { 0, 0, 11, 34.0 / 3, 11, 11, 12, 13 };
	th_ta_sma s;
	double out = -1;

	assert_int_equal(th_ta_sma_init(&s, 3, NULL), 0);
	for (size_t i = 0; i < NX; i++) {
		int rc = th_ta_sma_update(&s, X[i], &out);
		if (i < 2) {
			assert_int_equal(rc, 0);
			assert_true(out == -1); /* untouched while warming up */
		} else {
			assert_int_equal(rc, 1);
			assert_near(out, want[i], HAND_TOL);
		}
	}
	th_ta_sma_free(&s);
}

static void test_ema_values(void **state)
{
	(void)state;
	/* EMA(3): k = 2/(3+1) = 0.5; seed at index 2 = SMA(10,11,12) = 11;
	 * then (11-11)*.5+11 = 11, (10-11)*.5+11 = 10.5, (12-10.5)*.5+10.5 = 11.25,
	 * (14-11.25)*.5+11.25 = 12.625, (13-12.625)*.5+12.625 = 12.8125 (all exact in binary). */
	const double want[NX] = { 0, 0, 11, 11, 10.5, 11.25, 12.625, 12.8125 };
	th_ta_ema s;
	double out = -1;

	assert_int_equal(th_ta_ema_init(&s, 3, NULL), 0);
	for (size_t i = 0; i < NX; i++) {
		int rc = th_ta_ema_update(&s, X[i], &out);
		assert_int_equal(rc, i >= 2);
		if (i >= 2)
			assert_true(out == want[i]);
	}
	th_ta_ema_free(&s);
}

static void test_smma_values(void **state)
{
	(void)state;
	/* SMMA(3): seed 11; (11*2+11)/3 = 11; (11*2+10)/3 = 32/3; (32/3*2+12)/3 = 100/9;
	 * (100/9*2+14)/3 = 326/27; (326/27*2+13)/3 = 1003/81. */
	const double want[NX] = { 0, 0, 11, 11, 32.0 / 3, 100.0 / 9, 326.0 / 27, 1003.0 / 81 };
	th_ta_smma s;
	double out = -1;

	assert_int_equal(th_ta_smma_init(&s, 3, NULL), 0);
	for (size_t i = 0; i < NX; i++) {
		int rc = th_ta_smma_update(&s, X[i], &out);
		assert_int_equal(rc, i >= 2);
		if (i >= 2)
			assert_near(out, want[i], HAND_TOL);
	}
	th_ta_smma_free(&s);
}

static void test_wma_values(void **state)
{
	(void)state;
	/* WMA(3), weights 1,2,3 (newest 3), denominator 6:
	 * (10+22+36)/6 = 68/6; (11+24+33)/6 = 68/6; (12+22+30)/6 = 64/6; (11+20+36)/6 = 67/6;
	 * (10+24+42)/6 = 76/6; (12+28+39)/6 = 79/6. */
	const double want[NX] = { 0, 0, 68.0 / 6, 68.0 / 6, 64.0 / 6, 67.0 / 6, 76.0 / 6, 79.0 / 6 };
	th_ta_wma s;
	double out = -1;

	assert_int_equal(th_ta_wma_init(&s, 3, NULL), 0);
	for (size_t i = 0; i < NX; i++) {
		int rc = th_ta_wma_update(&s, X[i], &out);
		assert_int_equal(rc, i >= 2);
		if (i >= 2)
			assert_near(out, want[i], HAND_TOL);
	}
	th_ta_wma_free(&s);
}

/* Period 1 is the identity for all four averages. */
static void test_period_one_is_identity(void **state)
{
	(void)state;
	th_ta_sma a;
	th_ta_ema b;
	th_ta_smma c;
	th_ta_wma d;
	double o1, o2, o3, o4;

	assert_int_equal(th_ta_sma_init(&a, 1, NULL), 0);
	assert_int_equal(th_ta_ema_init(&b, 1, NULL), 0);
	assert_int_equal(th_ta_smma_init(&c, 1, NULL), 0);
	assert_int_equal(th_ta_wma_init(&d, 1, NULL), 0);
	for (size_t i = 0; i < NX; i++) {
		assert_int_equal(th_ta_sma_update(&a, X[i], &o1), 1);
		assert_int_equal(th_ta_ema_update(&b, X[i], &o2), 1);
		assert_int_equal(th_ta_smma_update(&c, X[i], &o3), 1);
		assert_int_equal(th_ta_wma_update(&d, X[i], &o4), 1);
		assert_true(o1 == X[i] && o2 == X[i] && o3 == X[i] && o4 == X[i]);
	}
	th_ta_sma_free(&a);
	th_ta_wma_free(&d);
}

/* Not ready for exactly period-1 updates, then ready on every update. */
static void test_warmup_lengths(void **state)
{
	(void)state;
	ta_series ser = ta_series_make(400, 100.0, 7);
	const uint32_t periods[] = { 1, 2, 5, 14, 50, 200 };

	for (size_t p = 0; p < sizeof periods / sizeof periods[0]; p++) {
		uint32_t n = periods[p];
		th_ta_sma a;
		th_ta_ema b;
		th_ta_smma c;
		th_ta_wma d;
		assert_int_equal(th_ta_sma_init(&a, n, NULL), 0);
		assert_int_equal(th_ta_ema_init(&b, n, NULL), 0);
		assert_int_equal(th_ta_smma_init(&c, n, NULL), 0);
		assert_int_equal(th_ta_wma_init(&d, n, NULL), 0);
		for (size_t i = 0; i < ser.n; i++) {
			double v;
			int want = i >= n - 1;
			assert_int_equal(th_ta_sma_update(&a, ser.close[i], &v), want);
			assert_int_equal(th_ta_ema_update(&b, ser.close[i], &v), want);
			assert_int_equal(th_ta_smma_update(&c, ser.close[i], &v), want);
			assert_int_equal(th_ta_wma_update(&d, ser.close[i], &v), want);
		}
		th_ta_sma_free(&a);
		th_ta_ema_free(&b);
		th_ta_smma_free(&c);
		th_ta_wma_free(&d);
	}
	ta_series_free(&ser);
}

static void test_params(void **state)
{
	(void)state;
	th_ta_sma a;
	th_ta_ema b;
	th_ta_smma c;
	th_ta_wma d;
	th_ta_error err = { "" };
	double v = -1, in[3] = { 1, 2, 3 }, out[3];

	assert_int_equal(th_ta_sma_init(&a, 0, &err), TH_TA_EPARAM);
	assert_non_null(strstr(err.msg, "sma: period"));
	assert_non_null(strstr(err.msg, "got 0"));
	/* A failed init leaves a state whose update refuses to run. */
	assert_int_equal(th_ta_sma_update(&a, 1.0, &v), TH_TA_EPARAM);
	assert_true(v == -1);
	th_ta_sma_free(&a); /* safe on a failed state */

	assert_int_equal(th_ta_ema_init(&b, TH_TA_PERIOD_MAX + 1, &err), TH_TA_EPARAM);
	assert_non_null(strstr(err.msg, "ema: period"));
	assert_int_equal(th_ta_ema_update(&b, 1.0, &v), TH_TA_EPARAM);
	assert_int_equal(th_ta_smma_init(&c, 0, NULL), TH_TA_EPARAM); /* err may be NULL */
	assert_int_equal(th_ta_smma_update(&c, 1.0, &v), TH_TA_EPARAM);
	assert_int_equal(th_ta_wma_init(&d, 0, &err), TH_TA_EPARAM);
	assert_non_null(strstr(err.msg, "wma"));
	assert_int_equal(th_ta_wma_update(&d, 1.0, &v), TH_TA_EPARAM);

	assert_int_equal(th_ta_sma_batch(in, 3, 0, out), TH_TA_EPARAM);
	assert_int_equal(th_ta_ema_batch(in, 3, 0, out), TH_TA_EPARAM);
	assert_int_equal(th_ta_smma_batch(in, 3, 0, out), TH_TA_EPARAM);
	assert_int_equal(th_ta_wma_batch(in, 3, 0, out), TH_TA_EPARAM);
	assert_int_equal(th_ta_sma_batch(NULL, 3, 2, out), TH_TA_EPARAM);
	assert_int_equal(th_ta_sma_batch(NULL, 0, 2, NULL), 0); /* empty input is fine */

	/* The largest period is accepted (one allocation of TH_TA_PERIOD_MAX doubles). */
	assert_int_equal(th_ta_sma_init(&a, TH_TA_PERIOD_MAX, NULL), 0);
	th_ta_sma_free(&a);
}

/* A bad input is rejected and leaves the state exactly as before. */
static void test_bad_input_is_ignored(void **state)
{
	(void)state;
	const double bad[] = { NAN, INFINITY, -INFINITY, 2e50, -1e51 };
	th_ta_sma a, a2;
	th_ta_wma d, d2;
	th_ta_ema b, b2;
	double v1 = 0, v2 = 0;

	assert_int_equal(th_ta_sma_init(&a, 3, NULL), 0);
	assert_int_equal(th_ta_sma_init(&a2, 3, NULL), 0);
	assert_int_equal(th_ta_wma_init(&d, 3, NULL), 0);
	assert_int_equal(th_ta_wma_init(&d2, 3, NULL), 0);
	assert_int_equal(th_ta_ema_init(&b, 3, NULL), 0);
	assert_int_equal(th_ta_ema_init(&b2, 3, NULL), 0);
	for (size_t i = 0; i < NX; i++) {
		for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
			double untouched = 42;
			assert_int_equal(th_ta_sma_update(&a, bad[k], &untouched), TH_TA_EINPUT);
			assert_int_equal(th_ta_wma_update(&d, bad[k], &untouched), TH_TA_EINPUT);
			assert_int_equal(th_ta_ema_update(&b, bad[k], &untouched), TH_TA_EINPUT);
			assert_true(untouched == 42);
		}
		assert_int_equal(th_ta_sma_update(&a, X[i], &v1), th_ta_sma_update(&a2, X[i], &v2));
		assert_true(v1 == v2);
		assert_int_equal(th_ta_wma_update(&d, X[i], &v1), th_ta_wma_update(&d2, X[i], &v2));
		assert_true(v1 == v2);
		assert_int_equal(th_ta_ema_update(&b, X[i], &v1), th_ta_ema_update(&b2, X[i], &v2));
		assert_true(v1 == v2);
	}
	/* TH_TA_INPUT_MAX itself is accepted. */
	assert_int_equal(th_ta_sma_update(&a, TH_TA_INPUT_MAX, &v1), 1);
	th_ta_sma_free(&a);
	th_ta_sma_free(&a2);
	th_ta_wma_free(&d);
	th_ta_wma_free(&d2);
	th_ta_ema_free(&b);
	th_ta_ema_free(&b2);

	/* Batch stops at the first bad input: entries before it written, none after. */
	double in[6] = { 1, 2, 3, NAN, 5, 6 };
	double *out = ta_nan_array(6);
	assert_int_equal(th_ta_sma_batch(in, 6, 2, out), TH_TA_EINPUT);
	assert_true(isnan(out[0]) && out[1] == 1.5 && out[2] == 2.5 && isnan(out[3]) && isnan(out[4]));
	free(out);
}

/* After reset, the indicator behaves exactly like a fresh one. */
static void test_reset(void **state)
{
	(void)state;
	th_ta_sma a;
	th_ta_ema b;
	th_ta_smma c;
	th_ta_wma d;
	double v;

	assert_int_equal(th_ta_sma_init(&a, 3, NULL), 0);
	assert_int_equal(th_ta_ema_init(&b, 3, NULL), 0);
	assert_int_equal(th_ta_smma_init(&c, 3, NULL), 0);
	assert_int_equal(th_ta_wma_init(&d, 3, NULL), 0);
	for (int i = 0; i < 5; i++) {
		th_ta_sma_update(&a, 1000.0 + i, &v);
		th_ta_ema_update(&b, 1000.0 + i, &v);
		th_ta_smma_update(&c, 1000.0 + i, &v);
		th_ta_wma_update(&d, 1000.0 + i, &v);
	}
	th_ta_sma_reset(&a);
	th_ta_ema_reset(&b);
	th_ta_smma_reset(&c);
	th_ta_wma_reset(&d);
	for (size_t i = 0; i < 3; i++) {
		int want = i == 2;
		assert_int_equal(th_ta_sma_update(&a, X[i], &v), want);
		if (want)
			assert_true(v == 11);
		assert_int_equal(th_ta_ema_update(&b, X[i], &v), want);
		if (want)
			assert_true(v == 11);
		assert_int_equal(th_ta_smma_update(&c, X[i], &v), want);
		if (want)
			assert_true(v == 11);
		assert_int_equal(th_ta_wma_update(&d, X[i], &v), want);
		if (want)
			assert_near(v, 68.0 / 6, 1e-12);
	}
	th_ta_sma_free(&a);
	th_ta_ema_free(&b);
	th_ta_smma_free(&c);
	th_ta_wma_free(&d);
}

/* Streaming and batch give the same bits (NaN sentinel where not ready). */
static void test_stream_equals_batch(void **state)
{
	(void)state;
	const size_t n = 20000;
	ta_series ser = ta_series_make(n, 25000.0, 11);
	const uint32_t periods[] = { 1, 3, 20, 333 };

	for (size_t p = 0; p < sizeof periods / sizeof periods[0]; p++) {
		uint32_t per = periods[p];
		double *b1 = ta_nan_array(n), *s1 = ta_nan_array(n);
		th_ta_sma a;
		th_ta_ema e;
		th_ta_smma m;
		th_ta_wma w;

		assert_int_equal(th_ta_sma_batch(ser.close, n, per, b1), 0);
		assert_int_equal(th_ta_sma_init(&a, per, NULL), 0);
		for (size_t i = 0; i < n; i++)
			th_ta_sma_update(&a, ser.close[i], &s1[i]);
		ta_assert_same_bits(s1, b1, n, "sma");
		th_ta_sma_free(&a);

		for (size_t i = 0; i < n; i++)
			b1[i] = s1[i] = NAN;
		assert_int_equal(th_ta_ema_batch(ser.close, n, per, b1), 0);
		assert_int_equal(th_ta_ema_init(&e, per, NULL), 0);
		for (size_t i = 0; i < n; i++)
			th_ta_ema_update(&e, ser.close[i], &s1[i]);
		ta_assert_same_bits(s1, b1, n, "ema");

		for (size_t i = 0; i < n; i++)
			b1[i] = s1[i] = NAN;
		assert_int_equal(th_ta_smma_batch(ser.close, n, per, b1), 0);
		assert_int_equal(th_ta_smma_init(&m, per, NULL), 0);
		for (size_t i = 0; i < n; i++)
			th_ta_smma_update(&m, ser.close[i], &s1[i]);
		ta_assert_same_bits(s1, b1, n, "smma");

		for (size_t i = 0; i < n; i++)
			b1[i] = s1[i] = NAN;
		assert_int_equal(th_ta_wma_batch(ser.close, n, per, b1), 0);
		assert_int_equal(th_ta_wma_init(&w, per, NULL), 0);
		for (size_t i = 0; i < n; i++)
			th_ta_wma_update(&w, ser.close[i], &s1[i]);
		ta_assert_same_bits(s1, b1, n, "wma");
		th_ta_wma_free(&w);

		/* And the values are right: compare with a direct recomputation at a few bars. */
		for (size_t i = per - 1; i < n; i += 997) {
			long double wsum = 0;
			for (uint32_t j = 0; j < per; j++)
				wsum += (long double)(per - j) * ser.close[i - j];
			assert_near(s1[i], (double)(wsum / ((long double)per * (per + 1) / 2)), 1e-8);
		}
		free(b1);
		free(s1);
	}
	ta_series_free(&ser);
}

/* Batch output may overwrite its input. */
static void test_batch_in_place(void **state)
{
	(void)state;
	double buf[NX];
	memcpy(buf, X, sizeof buf);
	assert_int_equal(th_ta_ema_batch(buf, NX, 3, buf), 0);
	assert_true(buf[0] == 10 && buf[1] == 11); /* not ready: input left as it was */
	assert_true(buf[2] == 11 && buf[7] == 12.8125);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sma_values),
		cmocka_unit_test(test_ema_values),
		cmocka_unit_test(test_smma_values),
		cmocka_unit_test(test_wma_values),
		cmocka_unit_test(test_period_one_is_identity),
		cmocka_unit_test(test_warmup_lengths),
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_bad_input_is_ignored),
		cmocka_unit_test(test_reset),
		cmocka_unit_test(test_stream_equals_batch),
		cmocka_unit_test(test_batch_in_place),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
