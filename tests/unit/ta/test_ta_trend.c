/*
 * ADX, LINREG_SLOPE, VWAP and ZIGZAG: hand-checked values, warm-up, parameters, degenerate
 * inputs, streaming == batch.
 */
#include "ta_test_util.h"

static const double X[] = { 10, 11, 12, 11, 10, 12, 14, 13 };
#define NX (sizeof X / sizeof X[0])

static const double H[] = { 10, 11, 12, 11, 9, 15 };
static const double L[] = { 8, 9, 10, 7, 8.5, 12 };
static const double C[] = { 9, 10, 11, 8, 9, 14 };
#define NB (sizeof H / sizeof H[0])

static void test_adx_values(void **state)
{
	(void)state;
	/* ADX(2) on the six bars.
	 * bar1: up 1, down -1 -> +DM 1; TR 2.   bar2: up 1, down -1 -> +DM 1; TR 2.
	 * bar3: up -1, down 3 -> -DM 3; TR 4.   bar4: up -2, down -1.5 -> none; TR 1.
	 * bar5: up 6, down -3.5 -> +DM 6; TR 6.
	 * Bars 1..n-1 (= bar 1): sums +DM 1, -DM 0, TR 2.
	 * bar2: +DM 1-0.5+1 = 1.5, -DM 0, TR 2-1+2 = 3: +DI 50, -DI 0, DX 100.
	 * bar3: +DM 0.75, -DM 3, TR 3-1.5+4 = 5.5: +DI 150/11, -DI 600/11, DX 100*450/750 = 60.
	 *       first ADX = (100 + 60)/2 = 80 (first valid index 2n-1 = 3).
	 * bar4: +DM 0.375, -DM 1.5, TR 3.75: +DI 10, -DI 40, DX 60; ADX (80*1 + 60)/2 = 70.
	 * bar5: +DM 6.1875, -DM 0.75, TR 7.875: +DI 550/7, -DI 200/21, DX 100*29/37;
	 *       ADX (70 + 2900/37)/2 = 74.189189.. */
	th_ta_adx s;
	th_ta_adx_out o = { -1, -1, -1 };

	assert_int_equal(th_ta_adx_init(&s, 2, NULL), 0);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(th_ta_adx_update(&s, H[i], L[i], C[i], &o), 0);
		assert_true(o.adx == -1 && o.plus_di == -1 && o.minus_di == -1);
	}
	assert_int_equal(th_ta_adx_update(&s, H[3], L[3], C[3], &o), 1);
	assert_near(o.adx, 80, HAND_TOL);
	assert_near(o.plus_di, 150.0 / 11, HAND_TOL);
	assert_near(o.minus_di, 600.0 / 11, HAND_TOL);
	assert_int_equal(th_ta_adx_update(&s, H[4], L[4], C[4], &o), 1);
	assert_near(o.adx, 70, HAND_TOL);
	assert_near(o.plus_di, 10, HAND_TOL);
	assert_near(o.minus_di, 40, HAND_TOL);
	assert_int_equal(th_ta_adx_update(&s, H[5], L[5], C[5], &o), 1);
	assert_near(o.adx, (70 + 2900.0 / 37) / 2, HAND_TOL);
	assert_near(o.adx, 74.189189, HAND_TOL);
	assert_near(o.plus_di, 550.0 / 7, HAND_TOL);
	assert_near(o.minus_di, 200.0 / 21, HAND_TOL);
	th_ta_adx_free(&s);
}

static void test_adx_flat_and_warmup(void **state)
{
	(void)state;
	th_ta_adx s;
	th_ta_adx_out o;

	/* Flat bars: TR 0, no DX at all -> ADX 0, DIs 0, never NaN. */
	assert_int_equal(th_ta_adx_init(&s, 3, NULL), 0);
	for (size_t i = 0; i < 10; i++) {
		int rc = th_ta_adx_update(&s, 5, 5, 5, &o);
		assert_int_equal(rc, i >= 5);
		if (rc == 1)
			assert_true(o.adx == 0 && o.plus_di == 0 && o.minus_di == 0);
	}
	th_ta_adx_free(&s);

	ta_series ser = ta_series_make(200, 40.0, 4);
	for (uint32_t p = 1; p < 30; p += 4) {
		assert_int_equal(th_ta_adx_init(&s, p, NULL), 0);
		for (size_t i = 0; i < ser.n; i++) {
			int rc = th_ta_adx_update(&s, ser.high[i], ser.low[i], ser.close[i], &o);
			assert_int_equal(rc, i >= 2 * (size_t)p - 1); /* TA-Lib lookback 2n-1 */
			if (rc == 1)
				assert_true(o.adx >= 0 && o.adx <= 100);
		}
		th_ta_adx_free(&s);
	}
	ta_series_free(&ser);
}

static void test_linreg_values(void **state)
{
	(void)state;
	/* n = 3: slope = (y2 - y0)/2 over each window of X:
	 * (12-10)/2 = 1, (11-11)/2 = 0, (10-12)/2 = -1, (12-11)/2 = .5, (14-10)/2 = 2, (13-12)/2 = .5 */
	const double want3[NX] = { 0, 0, 1, 0, -1, 0.5, 2, 0.5 };
	/* n = 4: slope = sum((i-1.5)*y_i)/5:
	 * [10 11 12 11] -> 2/5; [11 12 11 10] -> -2/5; [12 11 10 12] -> -0.5/5;
	 * [11 10 12 14] -> 5.5/5; [10 12 14 13] -> 5.5/5. */
	const double want4[NX] = { 0, 0, 0, 0.4, -0.4, -0.1, 1.1, 1.1 };
	th_ta_linreg a, b;
	double v = -1;

	assert_int_equal(th_ta_linreg_init(&a, 3, NULL), 0);
	assert_int_equal(th_ta_linreg_init(&b, 4, NULL), 0);
	for (size_t i = 0; i < NX; i++) {
		int rc = th_ta_linreg_update(&a, X[i], &v);
		assert_int_equal(rc, i >= 2);
		if (rc == 1)
			assert_near(v, want3[i], 1e-12);
		rc = th_ta_linreg_update(&b, X[i], &v);
		assert_int_equal(rc, i >= 3);
		if (rc == 1)
			assert_near(v, want4[i], 1e-12);
	}
	th_ta_linreg_free(&a);
	th_ta_linreg_free(&b);
}

/* On a straight line the slope is exact whatever the price level. */
static void test_linreg_line(void **state)
{
	(void)state;
	th_ta_linreg s;
	double v = 0;

	assert_int_equal(th_ta_linreg_init(&s, 20, NULL), 0);
	for (int i = 0; i < 1000; i++)
		th_ta_linreg_update(&s, 65000.0 + 0.25 * i, &v);
	assert_near(v, 0.25, 1e-9);
	th_ta_linreg_free(&s);
}

static const double V[] = { 0, 100, 200, 50, 0, 150 };

static void test_vwap_values(void **state)
{
	(void)state;
	/* Typical prices (H+L+C)/3: 9, 10, 11, 26/3, 26.5/3, 41/3.
	 * Cumulative: bar0 no volume -> not ready; bar1 10; bar2 (1000+2200)/300;
	 * bar3 (3200 + 26/3*50)/350; bar4 unchanged (volume 0); bar5 (.. + 41/3*150)/500.
	 * Rolling 2: bar1 10; bar2 3200/300; bar3 (2200 + 1300/3)/250; bar4 (1300/3)/50;
	 * bar5 2050/150. */
	const double cum3 = (3200 + 26.0 / 3 * 50) / 350;
	const double want_cum[NB] = { 0, 10, 3200.0 / 300, cum3, cum3,
		                      (3200 + 26.0 / 3 * 50 + 41.0 / 3 * 150) / 500 };
	const double want_roll[NB] = { 0, 10, 3200.0 / 300, (2200 + 1300.0 / 3) / 250, 26.0 / 3,
		                       41.0 / 3 };
	th_ta_vwap c, r;
	double v = -1;

	assert_int_equal(th_ta_vwap_init(&c, 0, NULL), 0);
	assert_int_equal(th_ta_vwap_init(&r, 2, NULL), 0);
	for (size_t i = 0; i < NB; i++) {
		int rc = th_ta_vwap_update(&c, H[i], L[i], C[i], V[i], &v);
		assert_int_equal(rc, i >= 1);
		if (rc == 1)
			assert_near(v, want_cum[i], HAND_TOL);
		else
			assert_true(v == -1);
		rc = th_ta_vwap_update(&r, H[i], L[i], C[i], V[i], &v);
		assert_int_equal(rc, i >= 1);
		if (rc == 1)
			assert_near(v, want_roll[i], HAND_TOL);
	}
	assert_near(want_cum[5], 11.3666667, HAND_TOL);
	th_ta_vwap_free(&c);
	th_ta_vwap_free(&r);
}

static void test_vwap_zero_volume_window(void **state)
{
	(void)state;
	th_ta_vwap r;
	double v = -1;

	assert_int_equal(th_ta_vwap_init(&r, 2, NULL), 0);
	assert_int_equal(th_ta_vwap_update(&r, 3, 3, 3, 5, &v), 0); /* window not full yet */
	assert_int_equal(th_ta_vwap_update(&r, 4, 4, 4, 0, &v), 1);
	assert_true(v == 3);
	v = -1;
	assert_int_equal(th_ta_vwap_update(&r, 5, 5, 5, 0, &v), 0); /* no volume in window */
	assert_true(v == -1);
	assert_int_equal(th_ta_vwap_update(&r, 6, 6, 6, 1e-9, &v), 1);
	assert_near(v, 6, 1e-12);
	/* Negative volume is bad input. */
	assert_int_equal(th_ta_vwap_update(&r, 6, 6, 6, -1, &v), TH_TA_EINPUT);
	th_ta_vwap_free(&r);
}

static void test_zigzag_values(void **state)
{
	(void)state;
	/* pct 10. bar0 (100,95) starts both candidates.
	 * bar1 (105,100): new high, not a new low, and 105 >= 95*1.1 = 104.5 -> LOW pivot bar0 @95.
	 * bar2 (110,104): new high 110.
	 * bar3 (108,98): 98 <= 110*0.9 = 99 -> HIGH pivot bar2 @110; down leg from 98.
	 * bar4 (97,90): new low 90.  bar5 (96,92): 96 < 99, nothing.
	 * bar6 (100,95): 100 >= 90*1.1 = 99 -> LOW pivot bar4 @90.  bar7 (103,99): new high. */
	const double h[] = { 100, 105, 110, 108, 97, 96, 100, 103 };
	const double l[] = { 95, 100, 104, 98, 90, 92, 95, 99 };
	const int kind[] = { 0, -1, 0, +1, 0, 0, -1, 0 };
	const uint64_t idx[] = { 0, 0, 0, 2, 0, 0, 4, 0 };
	const double price[] = { 0, 95, 0, 110, 0, 0, 90, 0 };
	th_ta_zigzag s;
	th_ta_zigzag_pivot p;

	assert_int_equal(th_ta_zigzag_init(&s, 10, NULL), 0);
	for (size_t i = 0; i < 8; i++) {
		memset(&p, 0xAB, sizeof p);
		int rc = th_ta_zigzag_update(&s, h[i], l[i], &p);
		assert_int_equal(rc, kind[i] != 0);
		if (rc == 1) {
			assert_int_equal(p.kind, kind[i]);
			assert_int_equal(p.index, idx[i]);
			assert_true(p.price == price[i]);
		}
	}
	/* Reset forgets the legs: the same bars give the same first pivot again. */
	th_ta_zigzag_reset(&s);
	assert_int_equal(th_ta_zigzag_update(&s, h[0], l[0], &p), 0);
	assert_int_equal(th_ta_zigzag_update(&s, h[1], l[1], &p), 1);
	assert_true(p.kind == -1 && p.index == 0 && p.price == 95);
	th_ta_zigzag_free(&s);
	/* Tie: both first candidates from bar 0 and one bar confirms both -> high pivot wins. */
	assert_int_equal(th_ta_zigzag_init(&s, 5, NULL), 0);
	assert_int_equal(th_ta_zigzag_update(&s, 100, 90, &p), 0);
	assert_int_equal(th_ta_zigzag_update(&s, 95, 94, &p), 1); /* 94 <= 95 and 95 >= 94.5 */
	assert_int_equal(p.kind, +1);
	assert_true(p.price == 100 && p.index == 0);
	/* The down leg then starts at 94; a bar below it moves the candidate. */
	assert_int_equal(th_ta_zigzag_update(&s, 93, 80, &p), 0);
	assert_int_equal(th_ta_zigzag_update(&s, 84, 82, &p), 1); /* 84 >= 80*1.05 */
	assert_int_equal(p.kind, -1);
	assert_true(p.price == 80 && p.index == 2);
	th_ta_zigzag_free(&s);
}

/* On a random walk, pivots alternate, each confirmed move is >= pct, and every pivot is the
 * extreme of its leg. */
static void test_zigzag_properties(void **state)
{
	(void)state;
	const size_t n = 50000;
	ta_series ser = ta_series_make(n, 100.0, 77);
	th_ta_zigzag s;
	th_ta_zigzag_pivot p, prev = { 0, 0, 0 };
	size_t count = 0;

	assert_int_equal(th_ta_zigzag_init(&s, 3, NULL), 0);
	for (size_t i = 0; i < n; i++) {
		if (th_ta_zigzag_update(&s, ser.high[i], ser.low[i], &p) != 1)
			continue;
		assert_true(p.index < i);
		if (count > 0) {
			assert_int_equal(p.kind, -prev.kind);
			assert_true(p.index > prev.index);
			if (p.kind > 0)
				assert_true(p.price >= prev.price * 1.03 - 1e-9);
			else
				assert_true(p.price <= prev.price * 0.97 + 1e-9);
			/* The pivot is the extreme between the previous pivot and now. */
			for (size_t q = prev.index + 1; q < i; q++) {
				if (p.kind > 0)
					assert_true(ser.high[q] <= p.price);
				else
					assert_true(ser.low[q] >= p.price);
			}
		}
		prev = p;
		count++;
	}
	assert_true(count > 20);
	th_ta_zigzag_free(&s);
	ta_series_free(&ser);
}

static void test_params_and_bad_input(void **state)
{
	(void)state;
	th_ta_adx a;
	th_ta_linreg l;
	th_ta_vwap v;
	th_ta_zigzag z;
	th_ta_error err = { "" };
	th_ta_adx_out ao;
	th_ta_zigzag_pivot zp;
	double out;

	assert_int_equal(th_ta_adx_init(&a, 0, &err), TH_TA_EPARAM);
	assert_non_null(strstr(err.msg, "adx: period"));
	assert_int_equal(th_ta_adx_update(&a, 1, 1, 1, &ao), TH_TA_EPARAM);
	assert_int_equal(th_ta_linreg_init(&l, 1, &err), TH_TA_EPARAM);
	assert_non_null(strstr(err.msg, "linreg_slope: period must be between 2"));
	assert_int_equal(th_ta_linreg_update(&l, 1, &out), TH_TA_EPARAM);
	assert_int_equal(th_ta_vwap_init(&v, TH_TA_PERIOD_MAX + 1, &err), TH_TA_EPARAM);
	assert_non_null(strstr(err.msg, "vwap: period"));
	assert_int_equal(th_ta_vwap_update(&v, 1, 1, 1, 1, &out), TH_TA_EPARAM);
	memset(&v, 0, sizeof v); /* a zeroed, never initialised state */
	assert_int_equal(th_ta_vwap_update(&v, 1, 1, 1, 1, &out), TH_TA_EPARAM);
	assert_int_equal(th_ta_zigzag_init(&z, 0, &err), TH_TA_EPARAM);
	assert_non_null(strstr(err.msg, "zigzag: pct"));
	assert_int_equal(th_ta_zigzag_update(&z, 2, 1, &zp), TH_TA_EPARAM);
	assert_int_equal(th_ta_zigzag_init(&z, 100, &err), TH_TA_EPARAM);
	assert_int_equal(th_ta_zigzag_init(&z, NAN, &err), TH_TA_EPARAM);

	assert_int_equal(th_ta_zigzag_init(&z, 5, &err), 0);
	assert_int_equal(th_ta_zigzag_update(&z, 1, 2, &zp), TH_TA_EINPUT);   /* low > high */
	assert_int_equal(th_ta_zigzag_update(&z, 1, 0, &zp), TH_TA_EINPUT);   /* low <= 0 */
	assert_int_equal(th_ta_zigzag_update(&z, NAN, 1, &zp), TH_TA_EINPUT);
	assert_int_equal(th_ta_zigzag_update(&z, 10, 9, &zp), 0);
	assert_int_equal(z.n, 1u); /* rejected bars were not counted */
	assert_int_equal(th_ta_adx_init(&a, 2, NULL), 0);
	assert_int_equal(th_ta_adx_update(&a, 1, NAN, 1, &ao), TH_TA_EINPUT);
	assert_int_equal(th_ta_adx_update(&a, 1, 1, -2e60, &ao), TH_TA_EINPUT);
}

static void test_stream_equals_batch(void **state)
{
	(void)state;
	const size_t n = 30000;
	ta_series ser = ta_series_make(n, 1800.0, 41);
	double *b1 = ta_nan_array(n), *b2 = ta_nan_array(n), *b3 = ta_nan_array(n);
	double *s1 = ta_nan_array(n), *s2 = ta_nan_array(n), *s3 = ta_nan_array(n);
	th_ta_adx a;
	th_ta_linreg l;
	th_ta_vwap v;
	th_ta_zigzag z;

	assert_int_equal(th_ta_adx_batch(ser.high, ser.low, ser.close, n, 14, b1, b2, b3), 0);
	assert_int_equal(th_ta_adx_init(&a, 14, NULL), 0);
	for (size_t i = 0; i < n; i++) {
		th_ta_adx_out o;
		if (th_ta_adx_update(&a, ser.high[i], ser.low[i], ser.close[i], &o) == 1) {
			s1[i] = o.adx;
			s2[i] = o.plus_di;
			s3[i] = o.minus_di;
		}
	}
	ta_assert_same_bits(s1, b1, n, "adx");
	ta_assert_same_bits(s2, b2, n, "adx +di");
	ta_assert_same_bits(s3, b3, n, "adx -di");

	for (size_t i = 0; i < n; i++)
		b1[i] = s1[i] = NAN;
	assert_int_equal(th_ta_linreg_batch(ser.close, n, 25, b1), 0);
	assert_int_equal(th_ta_linreg_init(&l, 25, NULL), 0);
	for (size_t i = 0; i < n; i++)
		th_ta_linreg_update(&l, ser.close[i], &s1[i]);
	ta_assert_same_bits(s1, b1, n, "linreg");
	for (size_t i = 24; i < n; i += 2001) { /* against the textbook formula */
		long double sx = 0, sy = 0, sxy = 0, sxx = 0;
		for (int j = 0; j < 25; j++) {
			long double y = ser.close[i - 24 + (size_t)j];
			sx += j;
			sy += y;
			sxy += j * y;
			sxx += (long double)j * j;
		}
		assert_near(s1[i], (double)((25 * sxy - sx * sy) / (25 * sxx - sx * sx)), 1e-9);
	}
	th_ta_linreg_free(&l);

	for (uint32_t per = 0; per <= 10; per += 10) {
		for (size_t i = 0; i < n; i++)
			b1[i] = s1[i] = NAN;
		assert_int_equal(
			th_ta_vwap_batch(ser.high, ser.low, ser.close, ser.volume, n, per, b1), 0);
		assert_int_equal(th_ta_vwap_init(&v, per, NULL), 0);
		for (size_t i = 0; i < n; i++)
			th_ta_vwap_update(&v, ser.high[i], ser.low[i], ser.close[i], ser.volume[i], &s1[i]);
		ta_assert_same_bits(s1, b1, n, per ? "vwap rolling" : "vwap cumulative");
		th_ta_vwap_free(&v);
	}

	th_ta_zigzag_pivot *zb = calloc(n, sizeof *zb), *zs = calloc(n, sizeof *zs);
	assert_int_equal(th_ta_zigzag_batch(ser.high, ser.low, n, 2.5, zb), 0);
	assert_int_equal(th_ta_zigzag_init(&z, 2.5, NULL), 0);
	for (size_t i = 0; i < n; i++)
		th_ta_zigzag_update(&z, ser.high[i], ser.low[i], &zs[i]);
	/* field by field: the struct has padding that a struct copy may fill with anything */
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(zs[i].index, zb[i].index);
		assert_int_equal(zs[i].kind, zb[i].kind);
		assert_memory_equal(&zs[i].price, &zb[i].price, sizeof zs[i].price);
	}

	free(zb);
	free(zs);
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
		cmocka_unit_test(test_adx_values),
		cmocka_unit_test(test_adx_flat_and_warmup),
		cmocka_unit_test(test_linreg_values),
		cmocka_unit_test(test_linreg_line),
		cmocka_unit_test(test_vwap_values),
		cmocka_unit_test(test_vwap_zero_volume_window),
		cmocka_unit_test(test_zigzag_values),
		cmocka_unit_test(test_zigzag_properties),
		cmocka_unit_test(test_params_and_bad_input),
		cmocka_unit_test(test_stream_equals_batch),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
