/*
 * Library-wide behaviour: th_ta_price conversion, error strings, and that every indicator's
 * update refuses a zeroed (never initialised) state and _free is safe on one.
 */
#include "ta_test_util.h"

static void test_price_conversion(void **state)
{
	(void)state;
	assert_true(th_ta_price(12345, 2) == 123.45);
	assert_true(th_ta_price(-12345, 2) == -123.45);
	assert_true(th_ta_price(7, 0) == 7.0);
	assert_true(th_ta_price(1, 8) == 1e-8);
	assert_true(th_ta_price(6543210987654321LL, 8) == 65432109.87654321);
	assert_true(th_ta_price(INT64_MAX, 18) > 9.22 && th_ta_price(INT64_MAX, 18) < 9.23);
	/* A bad scale gives NaN, which every update then rejects instead of using. */
	assert_true(isnan(th_ta_price(1, -1)));
	assert_true(isnan(th_ta_price(1, 19)));
	th_ta_sma s;
	double v;
	assert_int_equal(th_ta_sma_init(&s, 1, NULL), 0);
	assert_int_equal(th_ta_sma_update(&s, th_ta_price(100, 42), &v), TH_TA_EINPUT);
	assert_int_equal(th_ta_sma_update(&s, th_ta_price(100, 1), &v), 1);
	assert_true(v == 10.0);
	th_ta_sma_free(&s);
}

static void test_strerror(void **state)
{
	(void)state;
	assert_string_equal(th_ta_strerror(TH_TA_OK), "ok");
	assert_non_null(strstr(th_ta_strerror(TH_TA_EPARAM), "parameter"));
	assert_non_null(strstr(th_ta_strerror(TH_TA_ENOMEM), "memory"));
	assert_non_null(strstr(th_ta_strerror(TH_TA_EINPUT), "input"));
	assert_non_null(th_ta_strerror(12345));
	/* The codes shared with th_status.h keep their values. */
	assert_int_equal(TH_TA_EPARAM, -2);
	assert_int_equal(TH_TA_ENOMEM, -3);
}

static void test_zeroed_states_refuse(void **state)
{
	(void)state;
	th_ta_sma sma;
	th_ta_ema ema;
	th_ta_smma smma;
	th_ta_wma wma;
	th_ta_rsi rsi;
	th_ta_atr atr;
	th_ta_bbands bb;
	th_ta_stddev sd;
	th_ta_zscore zs;
	th_ta_macd macd;
	th_ta_stoch st;
	th_ta_adx adx;
	th_ta_donchian dc;
	th_ta_vwap vw;
	th_ta_linreg lr;
	th_ta_zigzag zz;
	double v;
	th_ta_bands b;
	th_ta_macd_out mo;
	th_ta_stoch_out so;
	th_ta_adx_out ao;
	th_ta_zigzag_pivot zp;

#define ZERO(x) memset(&(x), 0, sizeof(x))
	ZERO(sma), ZERO(ema), ZERO(smma), ZERO(wma), ZERO(rsi), ZERO(atr), ZERO(bb), ZERO(sd);
	ZERO(zs), ZERO(macd), ZERO(st), ZERO(adx), ZERO(dc), ZERO(vw), ZERO(lr), ZERO(zz);
#undef ZERO
	assert_int_equal(th_ta_sma_update(&sma, 1, &v), TH_TA_EPARAM);
	assert_int_equal(th_ta_ema_update(&ema, 1, &v), TH_TA_EPARAM);
	assert_int_equal(th_ta_smma_update(&smma, 1, &v), TH_TA_EPARAM);
	assert_int_equal(th_ta_wma_update(&wma, 1, &v), TH_TA_EPARAM);
	assert_int_equal(th_ta_rsi_update(&rsi, 1, &v), TH_TA_EPARAM);
	assert_int_equal(th_ta_atr_update(&atr, 1, 1, 1, &v), TH_TA_EPARAM);
	assert_int_equal(th_ta_bbands_update(&bb, 1, &b), TH_TA_EPARAM);
	assert_int_equal(th_ta_stddev_update(&sd, 1, &v), TH_TA_EPARAM);
	assert_int_equal(th_ta_zscore_update(&zs, 1, &v), TH_TA_EPARAM);
	assert_int_equal(th_ta_macd_update(&macd, 1, &mo), TH_TA_EPARAM);
	assert_int_equal(th_ta_stoch_update(&st, 1, 1, 1, &so), TH_TA_EPARAM);
	assert_int_equal(th_ta_adx_update(&adx, 1, 1, 1, &ao), TH_TA_EPARAM);
	assert_int_equal(th_ta_donchian_update(&dc, 1, 1, &b), TH_TA_EPARAM);
	assert_int_equal(th_ta_vwap_update(&vw, 1, 1, 1, 1, &v), TH_TA_EPARAM);
	assert_int_equal(th_ta_linreg_update(&lr, 1, &v), TH_TA_EPARAM);
	assert_int_equal(th_ta_zigzag_update(&zz, 2, 1, &zp), TH_TA_EPARAM);

	/* _free on a zeroed state, and twice in a row, is safe (ASan would object otherwise). */
	for (int k = 0; k < 2; k++) {
		th_ta_sma_free(&sma);
		th_ta_ema_free(&ema);
		th_ta_smma_free(&smma);
		th_ta_wma_free(&wma);
		th_ta_rsi_free(&rsi);
		th_ta_atr_free(&atr);
		th_ta_bbands_free(&bb);
		th_ta_stddev_free(&sd);
		th_ta_zscore_free(&zs);
		th_ta_macd_free(&macd);
		th_ta_stoch_free(&st);
		th_ta_adx_free(&adx);
		th_ta_donchian_free(&dc);
		th_ta_vwap_free(&vw);
		th_ta_linreg_free(&lr);
		th_ta_zigzag_free(&zz);
	}
	/* After _free an initialised state refuses updates too. */
	assert_int_equal(th_ta_bbands_init(&bb, 5, 2, NULL), 0);
	th_ta_bbands_free(&bb);
	assert_int_equal(th_ta_bbands_update(&bb, 1, &b), TH_TA_EPARAM);
}

/* A penny instrument (price ~1e-4, moves ~1e-7) gets one absurd bar (a timestamp read as a
 * price, or a value near TH_TA_INPUT_MAX). Once it has left the window, every windowed
 * indicator must again agree with a direct recomputation over the window: the rounding
 * residue such a value leaves in a compensated sum would otherwise dominate for good. */
static void test_outliers_leave_no_trace(void **state)
{
	(void)state;
	const double spikes[] = { 1.7e12, 1e45 };
	enum { W = 10, N = 200, SPIKE_AT = 50 };

	for (size_t k = 0; k < 2; k++) {
		double x[N], vol[N];
		ta_rng r = { 5 + k };
		th_ta_sma sma;
		th_ta_wma wma;
		th_ta_stddev sd;
		th_ta_linreg lr;
		th_ta_vwap vw;
		double o_sma = 0, o_wma = 0, o_sd = 0, o_lr = 0, o_vw = 0;

		assert_int_equal(th_ta_sma_init(&sma, W, NULL), 0);
		assert_int_equal(th_ta_wma_init(&wma, W, NULL), 0);
		assert_int_equal(th_ta_stddev_init(&sd, W, NULL), 0);
		assert_int_equal(th_ta_linreg_init(&lr, W, NULL), 0);
		assert_int_equal(th_ta_vwap_init(&vw, W, NULL), 0);
		for (size_t i = 0; i < N; i++) {
			x[i] = 1e-4 + floor(ta_rng_unit(&r) * 10) * 1e-8;
			vol[i] = 1.0 + floor(ta_rng_unit(&r) * 10);
			if (i == SPIKE_AT) {
				x[i] = spikes[k];
				vol[i] = spikes[k];
			}
			th_ta_sma_update(&sma, x[i], &o_sma);
			th_ta_wma_update(&wma, x[i], &o_wma);
			th_ta_stddev_update(&sd, x[i], &o_sd);
			th_ta_linreg_update(&lr, x[i], &o_lr);
			th_ta_vwap_update(&vw, x[i], x[i], x[i], vol[i], &o_vw);
			if (i < SPIKE_AT + 2 * W)
				continue; /* the spike left at SPIKE_AT + W; the rebuild runs within W more */
			long double m = 0, ws = 0, sxy = 0, pv = 0, v = 0, var = 0;
			for (size_t j = 0; j < W; j++) {
				long double y = x[i + 1 - W + j];
				m += y;
				ws += (j + 1) * y;
				sxy += j * y;
				pv += y * vol[i + 1 - W + j];
				v += vol[i + 1 - W + j];
			}
			long double sum = m;
			m /= W;
			for (size_t j = 0; j < W; j++)
				var += (x[i + 1 - W + j] - m) * (x[i + 1 - W + j] - m);
			long double sdv = sqrtl(var / W);
			long double slope = (W * sxy - 45.0L * sum) / (W * 285.0L - 45.0L * 45.0L);
			assert_near(o_sma, (double)m, 1e-9 * 1e-4);
			assert_near(o_wma, (double)(ws / 55), 1e-9 * 1e-4);
			assert_near(o_sd, (double)sdv, 1e-9 * (double)sdv);
			assert_near(o_lr, (double)slope, 1e-6 * (double)sdv);
			assert_near(o_vw, (double)(pv / v), 1e-9 * 1e-4);
		}
		th_ta_sma_free(&sma);
		th_ta_wma_free(&wma);
		th_ta_stddev_free(&sd);
		th_ta_linreg_free(&lr);
		th_ta_vwap_free(&vw);
	}
}

/* Inconsistent bars (a close far outside a microscopic high-low range) must not produce
 * Inf in STOCH or ADX, whose ratios divide by data-dependent ranges. */
static void test_no_overflow_on_inconsistent_bars(void **state)
{
	(void)state;
	th_ta_stoch st;
	th_ta_adx adx;
	th_ta_stoch_out so;
	th_ta_adx_out ao;
	int ready = 0;

	assert_int_equal(th_ta_stoch_init(&st, 2, 1, 1, NULL), 0);
	assert_int_equal(th_ta_adx_init(&adx, 2, NULL), 0);
	for (int i = 0; i < 20; i++) {
		double lo = 1e-300 * (1 + (i % 2)), hi = lo * (1 + 1e-15);
		double close = (i % 3) ? 1e40 : -1e40;
		if (th_ta_stoch_update(&st, hi, lo, close, &so) == 1) {
			assert_true(isfinite(so.k) && isfinite(so.d));
			ready++;
		}
		if (th_ta_adx_update(&adx, hi * (i + 1), lo * (i + 1), close, &ao) == 1) {
			assert_true(isfinite(ao.adx) && isfinite(ao.plus_di) && isfinite(ao.minus_di));
			assert_true(ao.adx >= 0 && ao.adx <= 100);
			ready++;
		}
	}
	assert_true(ready > 20);
	th_ta_stoch_free(&st);
	th_ta_adx_free(&adx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_price_conversion),
		cmocka_unit_test(test_strerror),
		cmocka_unit_test(test_zeroed_states_refuse),
		cmocka_unit_test(test_outliers_leave_no_trace),
		cmocka_unit_test(test_no_overflow_on_inconsistent_bars),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
