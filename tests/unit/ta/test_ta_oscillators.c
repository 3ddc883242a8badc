/*
 * RSI, MACD and STOCH: hand-checked values, warm-up length (TA-Lib lookback), parameter
 * validation, degenerate inputs, reset, streaming == batch bit for bit.
 */
#include "ta_test_util.h"

static const double X[] = { 10, 11, 12, 11, 10, 12, 14, 13 };
#define NX (sizeof X / sizeof X[0])

/* Six bars used by the HLC indicators (high, low, close). */
static const double H[] = { 10, 11, 12, 11, 9, 15 };
static const double L[] = { 8, 9, 10, 7, 8.5, 12 };
static const double C[] = { 9, 10, 11, 8, 9, 14 };
#define NB (sizeof H / sizeof H[0])

static void test_rsi_values(void **state)
{
	(void)state;
	/* RSI(3) on X. Changes: +1 +1 -1 -1 +2 +2 -1.
	 * Seed (index 3): avg gain = (1+1+0)/3 = 2/3, avg loss = (0+0+1)/3 = 1/3 -> 100*(2/3)/1.
	 * idx4 (-1): gain (2/3*2+0)/3 = 4/9, loss (1/3*2+1)/3 = 5/9 -> 100*4/9 = 44.44..
	 * idx5 (+2): gain (8/9+2)/3 = 26/27, loss (10/9)/3 = 10/27 -> 100*26/36
	 * idx6 (+2): gain (52/27+2)/3 = 106/81, loss 20/81 -> 100*106/126
	 * idx7 (-1): gain 212/243, loss (40/81+1)/3 = 121/243 -> 100*212/333 */
	const double want[NX] = { 0, 0, 0, 200.0 / 3, 400.0 / 9, 2600.0 / 36, 10600.0 / 126,
		                  21200.0 / 333 };
	th_ta_rsi s;
	double out = -1;

	assert_int_equal(th_ta_rsi_init(&s, 3, NULL), 0);
	for (size_t i = 0; i < NX; i++) {
		int rc = th_ta_rsi_update(&s, X[i], &out);
		assert_int_equal(rc, i >= 3); /* first valid index = period */
		if (i >= 3)
			assert_near(out, want[i], HAND_TOL);
		else
			assert_true(out == -1);
	}
	th_ta_rsi_free(&s);
}

static void test_rsi_degenerate(void **state)
{
	(void)state;
	th_ta_rsi s;
	double out;

	/* Flat prices: no gain, no loss -> 0 (TA-Lib's convention), never NaN. */
	assert_int_equal(th_ta_rsi_init(&s, 2, NULL), 0);
	for (int i = 0; i < 10; i++) {
		int rc = th_ta_rsi_update(&s, 5.0, &out);
		if (i >= 2) {
			assert_int_equal(rc, 1);
			assert_true(out == 0.0);
		}
	}
	/* Only rises: 100. Only falls: 0. */
	th_ta_rsi_reset(&s);
	for (int i = 0; i < 10; i++)
		th_ta_rsi_update(&s, 5.0 + i, &out);
	assert_true(out == 100.0);
	th_ta_rsi_reset(&s);
	for (int i = 0; i < 10; i++)
		th_ta_rsi_update(&s, 50.0 - i, &out);
	assert_true(out == 0.0);
	th_ta_rsi_free(&s);
}

static void test_macd_values(void **state)
{
	(void)state;
	/* MACD(2,3,2) on X. Slow EMA(3), k = 1/2, seed at idx2 = SMA(10,11,12) = 11.
	 * Fast EMA(2), k = 2/3, TA-Lib alignment: seeded at idx2 on SMA(x1, x2) = 11.5.
	 * idx2: macd = 11.5 - 11 = 0.5
	 * idx3: slow = 11; fast = (11-11.5)*2/3 + 11.5 = 67/6; macd = 1/6.
	 *       signal EMA(2) seed = (0.5 + 1/6)/2 = 1/3; hist = 1/6 - 1/3 = -1/6.
	 * idx4: slow = (10-11)/2 + 11 = 10.5; fast = (10-67/6)*2/3 + 67/6 = 187/18;
	 *       macd = 187/18 - 189/18 = -1/9; signal = (-1/9 - 1/3)*2/3 + 1/3 = 1/27;
	 *       hist = -1/9 - 1/27 = -4/27. */
	th_ta_macd s;
	th_ta_macd_out o = { -1, -1, -1 };

	assert_int_equal(th_ta_macd_init(&s, 2, 3, 2, NULL), 0);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(th_ta_macd_update(&s, X[i], &o), 0);
		assert_true(o.macd == -1 && o.signal == -1 && o.hist == -1);
	}
	assert_int_equal(th_ta_macd_update(&s, X[3], &o), 1); /* slow + signal - 2 = 3 */
	assert_near(o.macd, 1.0 / 6, HAND_TOL);
	assert_near(o.signal, 1.0 / 3, HAND_TOL);
	assert_near(o.hist, -1.0 / 6, HAND_TOL);
	assert_int_equal(th_ta_macd_update(&s, X[4], &o), 1);
	assert_near(o.macd, -1.0 / 9, HAND_TOL);
	assert_near(o.signal, 1.0 / 27, HAND_TOL);
	assert_near(o.hist, -4.0 / 27, HAND_TOL);
	th_ta_macd_free(&s);
}

/* The fast EMA really is seeded on x[slow-fast .. slow-1] (TA-Lib), not on x[0 .. fast-1]:
 * with a spike in x[0], the MACD line at idx slow-1 is unaffected by it. */
static void test_macd_fast_seed_alignment(void **state)
{
	(void)state;
	const double in[] = { 1000, 10, 10, 10, 10, 10, 10, 10 };
	th_ta_macd s;
	th_ta_macd_out o;
	double slow_seed = (1000 + 10 * 4) / 5.0; /* slow EMA(5) seed */

	assert_int_equal(th_ta_macd_init(&s, 2, 5, 1, NULL), 0);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(th_ta_macd_update(&s, in[i], &o), 0);
	assert_int_equal(th_ta_macd_update(&s, in[4], &o), 1); /* 5 + 1 - 2 = 4 */
	/* fast seed = SMA(x3, x4) = 10, untouched by the spike. */
	assert_near(o.macd, 10.0 - slow_seed, 1e-12);
	assert_near(o.signal, o.macd, 1e-12); /* signal period 1 */
	th_ta_macd_free(&s);
}

static void test_macd_warmup_default(void **state)
{
	(void)state;
	ta_series ser = ta_series_make(200, 100.0, 3);
	th_ta_macd s;
	th_ta_macd_out o;

	assert_int_equal(th_ta_macd_init(&s, 12, 26, 9, NULL), 0);
	for (size_t i = 0; i < ser.n; i++)
		assert_int_equal(th_ta_macd_update(&s, ser.close[i], &o), i >= 33); /* TA-Lib: 33 */
	th_ta_macd_free(&s);
	ta_series_free(&ser);
}

static void test_stoch_values(void **state)
{
	(void)state;
	/* STOCH(3,2,2). raw %K = (C - LL3) / ((HH3 - LL3)/100):
	 * idx2: HH 12, LL 8, C 11 -> 75;  idx3: HH 12, LL 7, C 8 -> 20;
	 * idx4: HH 12, LL 7, C 9 -> 40;   idx5: HH 15, LL 7, C 14 -> 87.5.
	 * %K = SMA2(raw): idx3 47.5, idx4 30, idx5 63.75.
	 * %D = SMA2(%K): idx4 38.75, idx5 46.875. First valid index 3+2+2-3 = 4. */
	th_ta_stoch s;
	th_ta_stoch_out o = { -1, -1 };

	assert_int_equal(th_ta_stoch_init(&s, 3, 2, 2, NULL), 0);
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(th_ta_stoch_update(&s, H[i], L[i], C[i], &o), 0);
		assert_true(o.k == -1 && o.d == -1);
	}
	assert_int_equal(th_ta_stoch_update(&s, H[4], L[4], C[4], &o), 1);
	assert_near(o.k, 30, HAND_TOL);
	assert_near(o.d, 38.75, HAND_TOL);
	assert_int_equal(th_ta_stoch_update(&s, H[5], L[5], C[5], &o), 1);
	assert_near(o.k, 63.75, HAND_TOL);
	assert_near(o.d, 46.875, HAND_TOL);
	th_ta_stoch_free(&s);
}

static void test_stoch_flat_and_window(void **state)
{
	(void)state;
	th_ta_stoch s;
	th_ta_stoch_out o;

	/* HH == LL: raw %K = 0 as TA-Lib (no division by zero). */
	assert_int_equal(th_ta_stoch_init(&s, 2, 1, 1, NULL), 0);
	assert_int_equal(th_ta_stoch_update(&s, 5, 5, 5, &o), 0);
	assert_int_equal(th_ta_stoch_update(&s, 5, 5, 5, &o), 1);
	assert_true(o.k == 0.0 && o.d == 0.0);
	/* The window really slides: an old extreme leaves after k_period bars.
	 * bars (h,l,c): (5,5,5) (5,5,5) (100,1,50) (10,9,10) (10,9,9.5) */
	assert_int_equal(th_ta_stoch_update(&s, 100, 1, 50, &o), 1);
	assert_near(o.k, 49.0 / 99 * 100, 1e-9); /* HH 100, LL 1 */
	assert_int_equal(th_ta_stoch_update(&s, 10, 9, 10, &o), 1);
	assert_near(o.k, 9.0 / 99 * 100, 1e-9); /* window still holds bar 2 */
	assert_int_equal(th_ta_stoch_update(&s, 10, 9, 9.5, &o), 1);
	assert_near(o.k, 50, 1e-9); /* bar 2 left: HH 10, LL 9 */
	th_ta_stoch_free(&s);
}

static void test_params(void **state)
{
	(void)state;
	th_ta_rsi r;
	th_ta_macd m;
	th_ta_stoch s;
	th_ta_error err = { "" };
	double v = -1, in[4] = { 1, 2, 3, 4 }, out[4];
	th_ta_macd_out mo;
	th_ta_stoch_out so;

	assert_int_equal(th_ta_rsi_init(&r, 1, &err), TH_TA_EPARAM);
	assert_non_null(strstr(err.msg, "rsi: period must be between 2"));
	assert_int_equal(th_ta_rsi_update(&r, 1.0, &v), TH_TA_EPARAM);
	assert_int_equal(th_ta_rsi_batch(in, 4, 0, out), TH_TA_EPARAM);

	assert_int_equal(th_ta_macd_init(&m, 26, 12, 9, &err), TH_TA_EPARAM);
	assert_non_null(strstr(err.msg, "slow period (12) must be greater than fast period (26)"));
	assert_int_equal(th_ta_macd_update(&m, 1.0, &mo), TH_TA_EPARAM);
	assert_int_equal(th_ta_macd_init(&m, 12, 12, 9, &err), TH_TA_EPARAM);
	assert_int_equal(th_ta_macd_init(&m, 12, 26, 0, &err), TH_TA_EPARAM);
	assert_non_null(strstr(err.msg, "signal period"));
	assert_int_equal(th_ta_macd_init(&m, 0, 26, 9, &err), TH_TA_EPARAM);
	assert_non_null(strstr(err.msg, "fast period"));
	assert_int_equal(th_ta_macd_batch(in, 4, 3, 2, 1, out, NULL, NULL), TH_TA_EPARAM);

	assert_int_equal(th_ta_stoch_init(&s, 14, 0, 3, &err), TH_TA_EPARAM);
	assert_non_null(strstr(err.msg, "stoch: k smoothing"));
	assert_int_equal(th_ta_stoch_update(&s, 1, 1, 1, &so), TH_TA_EPARAM);
	th_ta_stoch_free(&s);
	assert_int_equal(th_ta_stoch_init(&s, 0, 3, 3, &err), TH_TA_EPARAM);
	assert_non_null(strstr(err.msg, "k period"));
	assert_int_equal(th_ta_stoch_init(&s, 14, 3, TH_TA_PERIOD_MAX + 1, &err), TH_TA_EPARAM);
	assert_non_null(strstr(err.msg, "d period"));
}

static void test_bad_input(void **state)
{
	(void)state;
	th_ta_rsi r;
	th_ta_stoch s;
	double v = 7;
	th_ta_stoch_out o;

	assert_int_equal(th_ta_rsi_init(&r, 2, NULL), 0);
	assert_int_equal(th_ta_rsi_update(&r, NAN, &v), TH_TA_EINPUT);
	assert_int_equal(th_ta_rsi_update(&r, 1, &v), 0);
	assert_int_equal(th_ta_rsi_update(&r, INFINITY, &v), TH_TA_EINPUT);
	assert_int_equal(th_ta_rsi_update(&r, 2, &v), 0);
	assert_int_equal(th_ta_rsi_update(&r, 3, &v), 1);
	assert_true(v == 100.0);
	assert_int_equal(th_ta_stoch_init(&s, 2, 1, 1, NULL), 0);
	assert_int_equal(th_ta_stoch_update(&s, 1, NAN, 1, &o), TH_TA_EINPUT);
	assert_int_equal(th_ta_stoch_update(&s, 1, 1, -INFINITY, &o), TH_TA_EINPUT);
	assert_int_equal(th_ta_stoch_update(&s, 2, 1, 1.5, &o), 0); /* the bad ones never counted */
	th_ta_stoch_free(&s);
}

static void test_warmup_lengths(void **state)
{
	(void)state;
	ta_series ser = ta_series_make(300, 50.0, 5);
	const uint32_t kp[] = { 1, 5, 14 }, ks[] = { 1, 3 }, dp[] = { 1, 3, 7 };

	for (size_t a = 0; a < 3; a++)
		for (size_t b = 0; b < 2; b++)
			for (size_t c = 0; c < 3; c++) {
				th_ta_stoch s;
				th_ta_stoch_out o;
				size_t first = kp[a] + ks[b] + dp[c] - 3;
				assert_int_equal(th_ta_stoch_init(&s, kp[a], ks[b], dp[c], NULL), 0);
				for (size_t i = 0; i < ser.n; i++)
					assert_int_equal(th_ta_stoch_update(&s, ser.high[i], ser.low[i],
					                                    ser.close[i], &o),
					                 i >= first);
				th_ta_stoch_free(&s);
			}
	for (uint32_t p = 2; p < 40; p += 7) {
		th_ta_rsi r;
		double v;
		assert_int_equal(th_ta_rsi_init(&r, p, NULL), 0);
		for (size_t i = 0; i < ser.n; i++)
			assert_int_equal(th_ta_rsi_update(&r, ser.close[i], &v), i >= p);
		th_ta_rsi_free(&r);
	}
	ta_series_free(&ser);
}

static void test_reset(void **state)
{
	(void)state;
	th_ta_macd m;
	th_ta_stoch s;
	th_ta_macd_out mo;
	th_ta_stoch_out so;

	assert_int_equal(th_ta_macd_init(&m, 2, 3, 2, NULL), 0);
	assert_int_equal(th_ta_stoch_init(&s, 3, 2, 2, NULL), 0);
	for (int i = 0; i < 9; i++) {
		th_ta_macd_update(&m, 500.0 - i, &mo);
		th_ta_stoch_update(&s, 600.0 + i, 400.0, 500.0, &so);
	}
	th_ta_macd_reset(&m);
	th_ta_stoch_reset(&s);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(th_ta_macd_update(&m, X[i], &mo), i == 3);
	assert_near(mo.macd, 1.0 / 6, HAND_TOL);
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(th_ta_stoch_update(&s, H[i], L[i], C[i], &so), i == 4);
	assert_near(so.d, 38.75, HAND_TOL);
	th_ta_macd_free(&m);
	th_ta_stoch_free(&s);
}

static void test_stream_equals_batch(void **state)
{
	(void)state;
	const size_t n = 30000;
	ta_series ser = ta_series_make(n, 3000.0, 21);
	double *b1 = ta_nan_array(n), *b2 = ta_nan_array(n), *b3 = ta_nan_array(n);
	double *s1 = ta_nan_array(n), *s2 = ta_nan_array(n), *s3 = ta_nan_array(n);
	th_ta_rsi r;
	th_ta_macd m;
	th_ta_stoch st;

	assert_int_equal(th_ta_rsi_batch(ser.close, n, 14, b1), 0);
	assert_int_equal(th_ta_rsi_init(&r, 14, NULL), 0);
	for (size_t i = 0; i < n; i++)
		th_ta_rsi_update(&r, ser.close[i], &s1[i]);
	ta_assert_same_bits(s1, b1, n, "rsi");
	for (size_t i = 14; i < n; i++)
		assert_true(s1[i] >= 0.0 && s1[i] <= 100.0);

	for (size_t i = 0; i < n; i++)
		b1[i] = s1[i] = NAN;
	assert_int_equal(th_ta_macd_batch(ser.close, n, 12, 26, 9, b1, b2, b3), 0);
	assert_int_equal(th_ta_macd_init(&m, 12, 26, 9, NULL), 0);
	for (size_t i = 0; i < n; i++) {
		th_ta_macd_out o;
		if (th_ta_macd_update(&m, ser.close[i], &o) == 1) {
			s1[i] = o.macd;
			s2[i] = o.signal;
			s3[i] = o.hist;
		}
	}
	ta_assert_same_bits(s1, b1, n, "macd");
	ta_assert_same_bits(s2, b2, n, "macd signal");
	ta_assert_same_bits(s3, b3, n, "macd hist");

	for (size_t i = 0; i < n; i++)
		b1[i] = s1[i] = b2[i] = s2[i] = NAN;
	assert_int_equal(th_ta_stoch_batch(ser.high, ser.low, ser.close, n, 14, 3, 3, b1, b2), 0);
	assert_int_equal(th_ta_stoch_init(&st, 14, 3, 3, NULL), 0);
	for (size_t i = 0; i < n; i++) {
		th_ta_stoch_out o;
		if (th_ta_stoch_update(&st, ser.high[i], ser.low[i], ser.close[i], &o) == 1) {
			s1[i] = o.k;
			s2[i] = o.d;
		}
	}
	ta_assert_same_bits(s1, b1, n, "stoch k");
	ta_assert_same_bits(s2, b2, n, "stoch d");
	/* Cross-check %K's raw value against a direct window scan at a few bars. */
	for (size_t i = 100; i < n; i += 1777) {
		double raw[3];
		for (int j = 0; j < 3; j++) {
			size_t t = i - (size_t)j;
			double hh = -INFINITY, ll = INFINITY;
			for (size_t q = t - 13; q <= t; q++) {
				hh = fmax(hh, ser.high[q]);
				ll = fmin(ll, ser.low[q]);
			}
			raw[j] = hh > ll ? (ser.close[t] - ll) / ((hh - ll) / 100.0) : 0.0;
		}
		assert_near(s1[i], (raw[0] + raw[1] + raw[2]) / 3.0, 1e-9);
	}
	th_ta_stoch_free(&st);
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
		cmocka_unit_test(test_rsi_values),
		cmocka_unit_test(test_rsi_degenerate),
		cmocka_unit_test(test_macd_values),
		cmocka_unit_test(test_macd_fast_seed_alignment),
		cmocka_unit_test(test_macd_warmup_default),
		cmocka_unit_test(test_stoch_values),
		cmocka_unit_test(test_stoch_flat_and_window),
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_warmup_lengths),
		cmocka_unit_test(test_reset),
		cmocka_unit_test(test_stream_equals_batch),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
