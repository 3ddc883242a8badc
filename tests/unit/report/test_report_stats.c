/*
 * Known-value tests for every statistic in report.h on tiny series computed
 * by hand, the degenerate-input conventions, and input validation.
 * Tolerance: REL_TOL (1e-12 relative, absolute below magnitude 1).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "report/report.h"
#include "report_test_util.h"

static report_series series_of(const char *name, report_kind kind, const int64_t *t,
			       const th_money *e, size_t n)
{
	report_series s;
	memset(&s, 0, sizeof s);
	s.name = name;
	s.kind = kind;
	s.t_ns = t;
	s.equity = e;
	s.n = n;
	s.initial_capital = n ? e[0] : M(100);
	return s;
}

static report_trade trade_of(const char *agent, const char *farm, th_money pnl)
{
	report_trade t;
	memset(&t, 0, sizeof t);
	t.agent = agent;
	t.farm = farm;
	t.venue = "sim";
	t.symbol = "BTCUSDT";
	t.side = TH_SIDE_BUY;
	t.entry_ns = T0;
	t.exit_ns = T0 + MINUTE;
	t.qty = 1000;
	t.qty_scale = 3;
	t.entry_price = 4200000;
	t.exit_price = 4210000;
	t.price_scale = 2;
	t.net_pnl = pnl;
	t.fees = M(1) / 10;
	return t;
}

/* Equity 100 -> 110 -> 99 -> 108.9 on daily samples: returns +10 %, -10 %,
 * +10 %. mean = 1/30, sample stdev = 1/(5*sqrt 3), so per period
 * Sharpe = sqrt(3)/6; downside deviation = sqrt(0.01/3), Sortino = sqrt(3)/3. */
static const int64_t T4[4] = { T0, T0 + DAY, T0 + 2 * DAY, T0 + 3 * DAY };
static const th_money E4[4] = { M(100), M(110), M(99), 10890000000LL };

static void test_known_values_host(void **state)
{
	(void)state;
	report_series s = series_of("total", REPORT_KIND_HOST, T4, E4, 4);
	s.fees = 12345678;
	s.exposure_ns = 3 * DAY / 2;
	report_trade tr[5] = { trade_of("a1", "f1", M(50)), trade_of("a1", "f1", -M(20)),
			       trade_of("a1", "f1", 0), trade_of("a1", "f1", M(30)),
			       trade_of("a2", "f2", -M(10)) };
	report_stats st;
	char err[256] = "";
	assert_int_equal(report_compute(&s, tr, 5, 0, &st, err, sizeof err), 0);

	assert_int_equal(st.start_equity, M(100));
	assert_int_equal(st.end_equity, 10890000000LL);
	assert_int_equal(st.net_profit, 890000000LL);
	assert_int_equal(st.fees, 12345678);
	assert_int_equal(st.max_drawdown_money, M(11));
	assert_int_equal(st.samples, 4);
	assert_int_equal(st.returns, 3);
	assert_int_equal(st.elapsed_ns, 3 * DAY);
	assert_int_equal(st.undefined, 0);

	assert_close(st.periods_per_year, 365.0);
	assert_close(st.total_return, 0.089);
	assert_close(st.sharpe, sqrt(3.0) / 6.0 * sqrt(365.0));
	assert_close(st.sortino, sqrt(3.0) / 3.0 * sqrt(365.0));
	assert_close(st.max_drawdown, 0.1);
	double cagr = pow(1.089, 365.25 / 3.0) - 1.0;
	assert_close(st.cagr, cagr);
	assert_close(st.calmar, cagr / 0.1);
	assert_close(st.exposure, 0.5);

	/* the host takes every trade: +50, -20, 0, +30, -10 */
	assert_int_equal(st.trades, 5);
	assert_int_equal(st.wins, 2);
	assert_int_equal(st.losses, 2);
	assert_int_equal(st.gross_profit, M(80));
	assert_int_equal(st.gross_loss, M(30));
	assert_close(st.win_rate, 0.4);
	assert_close(st.profit_factor, 80.0 / 30.0);
}

static void test_trades_filtered_by_farm_and_agent(void **state)
{
	(void)state;
	report_trade tr[5] = { trade_of("a1", "f1", M(50)), trade_of("a1", "f1", -M(20)),
			       trade_of("a1", "f1", 0), trade_of("a1", "f1", M(30)),
			       trade_of("a1", "f2", -M(10)) /* same agent name, other farm */ };
	report_stats st;
	char err[256] = "";

	report_series farm = series_of("f1", REPORT_KIND_FARM, T4, E4, 4);
	assert_int_equal(report_compute(&farm, tr, 5, 0, &st, err, sizeof err), 0);
	assert_int_equal(st.trades, 4);
	assert_int_equal(st.wins, 2);
	assert_int_equal(st.losses, 1);
	assert_close(st.win_rate, 0.5);
	assert_close(st.profit_factor, 4.0);

	report_series agent = series_of("a1", REPORT_KIND_AGENT, T4, E4, 4);
	agent.parent = "f2";
	assert_int_equal(report_compute(&agent, tr, 5, 0, &st, err, sizeof err), 0);
	assert_int_equal(st.trades, 1);
	assert_int_equal(st.losses, 1);
	assert_close(st.win_rate, 0.0);
	assert_close(st.profit_factor, 0.0);
	assert_false(st.undefined & REPORT_UNDEF_PROFIT_FACTOR);

	agent.parent = NULL; /* no parent: matched by agent name alone */
	assert_int_equal(report_compute(&agent, tr, 5, 0, &st, err, sizeof err), 0);
	assert_int_equal(st.trades, 5);
	assert_int_equal(report_trade_belongs(&agent, &tr[4]), 1);
	assert_int_equal(report_trade_belongs(&farm, &tr[4]), 0);

	/* an agent outside any farm: its trades count for the host only */
	report_trade solo[2] = { trade_of("solo", NULL, M(3)), trade_of("solo", "", M(4)) };
	report_series host = series_of("total", REPORT_KIND_HOST, T4, E4, 4);
	assert_int_equal(report_compute(&host, solo, 2, 0, &st, err, sizeof err), 0);
	assert_int_equal(st.trades, 2);
	assert_int_equal(report_compute(&farm, solo, 2, 0, &st, err, sizeof err), 0);
	assert_int_equal(st.trades, 0);
}

static void test_periods_per_year_from_median_spacing(void **state)
{
	(void)state;
	report_stats st;
	char err[256] = "";
	/* 1-minute bars with one gap: median stays 1 minute */
	int64_t t1[5] = { T0, T0 + MINUTE, T0 + 2 * MINUTE, T0 + 3 * MINUTE, T0 + 63 * MINUTE };
	th_money e1[5] = { M(100), M(101), M(100), M(102), M(103) };
	report_series s = series_of("total", REPORT_KIND_HOST, t1, e1, 5);
	assert_int_equal(report_compute(&s, NULL, 0, 0, &st, err, sizeof err), 0);
	assert_close(st.periods_per_year, 525600.0);

	/* two spacings (60 s, 120 s): median of an even count = their mean, 90 s */
	int64_t t2[3] = { T0, T0 + MINUTE, T0 + 3 * MINUTE };
	th_money e2[3] = { M(100), M(101), M(100) };
	s = series_of("total", REPORT_KIND_HOST, t2, e2, 3);
	assert_int_equal(report_compute(&s, NULL, 0, 0, &st, err, sizeof err), 0);
	assert_close(st.periods_per_year, 350400.0);

	/* the hint overrides: 252 trading days; Sharpe scales with sqrt(P) */
	s = series_of("total", REPORT_KIND_HOST, T4, E4, 4);
	assert_int_equal(report_compute(&s, NULL, 0, 252, &st, err, sizeof err), 0);
	assert_close(st.periods_per_year, 252.0);
	assert_close(st.sharpe, sqrt(3.0) / 6.0 * sqrt(252.0));
	assert_close(st.sortino, sqrt(3.0) / 3.0 * sqrt(252.0));
}

static const unsigned ALL_RATIOS_BUT_RETURN =
	REPORT_UNDEF_CAGR | REPORT_UNDEF_SHARPE | REPORT_UNDEF_SORTINO | REPORT_UNDEF_CALMAR |
	REPORT_UNDEF_WIN_RATE | REPORT_UNDEF_PROFIT_FACTOR | REPORT_UNDEF_EXPOSURE;

static void test_empty_and_single_point(void **state)
{
	(void)state;
	report_stats st;
	char err[256] = "";
	report_series s = series_of("total", REPORT_KIND_HOST, NULL, NULL, 0);
	s.initial_capital = M(1000);
	assert_int_equal(report_compute(&s, NULL, 0, 0, &st, err, sizeof err), 0);
	assert_int_equal(st.start_equity, M(1000));
	assert_int_equal(st.end_equity, M(1000));
	assert_int_equal(st.net_profit, 0);
	assert_int_equal(st.undefined, ALL_RATIOS_BUT_RETURN);
	assert_true(st.total_return == 0.0 && st.sharpe == 0.0 && st.cagr == 0.0);
	assert_true(st.max_drawdown == 0.0 && st.periods_per_year == 0.0);

	int64_t t = T0;
	th_money e = M(250);
	s = series_of("total", REPORT_KIND_HOST, &t, &e, 1);
	s.initial_capital = M(1000); /* the curve wins over initial_capital */
	assert_int_equal(report_compute(&s, NULL, 0, 0, &st, err, sizeof err), 0);
	assert_int_equal(st.start_equity, M(250));
	assert_int_equal(st.end_equity, M(250));
	assert_int_equal(st.returns, 0);
	assert_int_equal(st.elapsed_ns, 0);
	assert_int_equal(st.undefined, ALL_RATIOS_BUT_RETURN);
}

static void test_flat_and_constant_growth(void **state)
{
	(void)state;
	report_stats st;
	char err[256] = "";
	int64_t t[4] = { T0, T0 + DAY, T0 + 2 * DAY, T0 + 3 * DAY };
	th_money flat[4] = { M(100), M(100), M(100), M(100) };
	report_series s = series_of("total", REPORT_KIND_HOST, t, flat, 4);
	assert_int_equal(report_compute(&s, NULL, 0, 0, &st, err, sizeof err), 0);
	assert_true(st.undefined & REPORT_UNDEF_SHARPE);   /* zero stdev */
	assert_true(st.undefined & REPORT_UNDEF_SORTINO);  /* no downside */
	assert_true(st.undefined & REPORT_UNDEF_CALMAR);   /* zero drawdown */
	assert_false(st.undefined & REPORT_UNDEF_CAGR);
	assert_true(st.cagr == 0.0 && st.max_drawdown == 0.0 && st.total_return == 0.0);

	/* +10 % every day: the returns are equal up to rounding of the mean, so
	 * stdev is noise, not risk: Sharpe must be undefined, not 1e16 */
	th_money grow[4] = { M(100), M(110), M(121), 13310000000LL };
	s = series_of("total", REPORT_KIND_HOST, t, grow, 4);
	assert_int_equal(report_compute(&s, NULL, 0, 0, &st, err, sizeof err), 0);
	assert_true(st.undefined & REPORT_UNDEF_SHARPE);
	assert_true(st.undefined & REPORT_UNDEF_SORTINO);
	assert_close(st.cagr, pow(1.331, 365.25 / 3.0) - 1.0);
	assert_close(st.total_return, 0.331);
	assert_true(st.sharpe == 0.0 && st.sortino == 0.0);
}

static void test_trade_degenerates(void **state)
{
	(void)state;
	report_stats st;
	char err[256] = "";
	report_series s = series_of("total", REPORT_KIND_HOST, T4, E4, 4);
	report_trade wins[2] = { trade_of("a", "f", M(5)), trade_of("a", "f", M(7)) };
	assert_int_equal(report_compute(&s, wins, 2, 0, &st, err, sizeof err), 0);
	assert_close(st.win_rate, 1.0);
	assert_true(st.undefined & REPORT_UNDEF_PROFIT_FACTOR); /* no losses: infinite */
	assert_true(st.profit_factor == 0.0);
	assert_int_equal(st.gross_profit, M(12));
	assert_int_equal(st.gross_loss, 0);

	report_trade even[1] = { trade_of("a", "f", 0) };
	assert_int_equal(report_compute(&s, even, 1, 0, &st, err, sizeof err), 0);
	assert_int_equal(st.trades, 1);
	assert_int_equal(st.wins + st.losses, 0);
	assert_close(st.win_rate, 0.0);
	assert_true(st.undefined & REPORT_UNDEF_PROFIT_FACTOR); /* 0/0 */
}

static void test_cagr_overflow_and_wipeout(void **state)
{
	(void)state;
	report_stats st;
	char err[256] = "";
	/* doubling within two minutes annualises past DBL_MAX */
	int64_t t[3] = { T0, T0 + MINUTE, T0 + 2 * MINUTE };
	th_money spike[3] = { M(100), M(50), M(200) };
	report_series s = series_of("total", REPORT_KIND_HOST, t, spike, 3);
	assert_int_equal(report_compute(&s, NULL, 0, 0, &st, err, sizeof err), 0);
	assert_true(st.undefined & REPORT_UNDEF_CAGR);
	assert_true(st.undefined & REPORT_UNDEF_CALMAR);
	assert_true(st.cagr == 0.0 && st.calmar == 0.0);
	assert_close(st.max_drawdown, 0.5);
	assert_close(st.total_return, 1.0);

	/* equity goes negative: CAGR is -1 (all lost), drawdown exceeds 100 % */
	th_money wipe[3] = { M(100), M(50), -M(10) };
	s = series_of("total", REPORT_KIND_HOST, t, wipe, 3);
	assert_int_equal(report_compute(&s, NULL, 0, 0, &st, err, sizeof err), 0);
	assert_close(st.cagr, -1.0);
	assert_close(st.max_drawdown, 1.1);
	assert_int_equal(st.max_drawdown_money, M(110));
	assert_close(st.calmar, -1.0 / 1.1);
	assert_int_equal(st.returns, 2); /* -50 %, then -120 % from 50 */

	/* a non-positive base has no return; total return needs a positive start */
	th_money neg[3] = { -M(5), M(10), M(20) };
	s = series_of("total", REPORT_KIND_HOST, t, neg, 3);
	assert_int_equal(report_compute(&s, NULL, 0, 0, &st, err, sizeof err), 0);
	assert_int_equal(st.returns, 1);
	assert_true(st.undefined & REPORT_UNDEF_TOTAL_RETURN);
	assert_true(st.undefined & REPORT_UNDEF_CAGR);
	assert_int_equal(st.net_profit, M(25));
}

static void test_exposure_clipped(void **state)
{
	(void)state;
	report_stats st;
	char err[256] = "";
	report_series s = series_of("total", REPORT_KIND_HOST, T4, E4, 4);
	s.exposure_ns = 5 * DAY; /* counted from before the first sample */
	assert_int_equal(report_compute(&s, NULL, 0, 0, &st, err, sizeof err), 0);
	assert_close(st.exposure, 1.0);
	s.exposure_ns = DAY;
	assert_int_equal(report_compute(&s, NULL, 0, 0, &st, err, sizeof err), 0);
	assert_close(st.exposure, 1.0 / 3.0);
}

static void test_bad_input_messages(void **state)
{
	(void)state;
	report_stats st;
	char err[256] = "";
	int64_t t[3] = { T0, T0 + MINUTE, T0 + MINUTE };
	th_money e[3] = { M(1), M(2), M(3) };
	report_series s = series_of("alpha", REPORT_KIND_FARM, t, e, 3);
	assert_int_equal(report_compute(&s, NULL, 0, 0, &st, err, sizeof err), -1);
	assert_non_null(strstr(err, "farm 'alpha'"));
	assert_non_null(strstr(err, "t_ns[2]"));
	assert_non_null(strstr(err, "strictly increasing"));

	s = series_of("alpha", REPORT_KIND_FARM, NULL, e, 3);
	assert_int_equal(report_compute(&s, NULL, 0, 0, &st, err, sizeof err), -1);
	assert_non_null(strstr(err, "no t_ns array"));

	s = series_of("total", REPORT_KIND_HOST, T4, E4, 4);
	report_trade bad = trade_of("bob", "f", M(1));
	bad.side = 7;
	assert_int_equal(report_compute(&s, &bad, 1, 0, &st, err, sizeof err), -1);
	assert_non_null(strstr(err, "trade 0 (agent 'bob'): side 7"));
	bad = trade_of("bob", "f", M(1));
	bad.exit_ns = bad.entry_ns - 1;
	assert_int_equal(report_compute(&s, &bad, 1, 0, &st, err, sizeof err), -1);
	assert_non_null(strstr(err, "before entry_ns"));
	bad = trade_of("bob", "f", M(1));
	bad.symbol = "";
	assert_int_equal(report_compute(&s, &bad, 1, 0, &st, err, sizeof err), -1);
	assert_non_null(strstr(err, "symbol is missing"));

	report_trade big[2] = { trade_of("a", "f", INT64_MAX), trade_of("a", "f", 1) };
	assert_int_equal(report_compute(&s, big, 2, 0, &st, err, sizeof err), -1);
	assert_non_null(strstr(err, "overflows money"));

	assert_int_equal(report_compute(&s, NULL, 0, -1, &st, err, sizeof err), -1);
	assert_non_null(strstr(err, "periods_per_year"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_values_host),
		cmocka_unit_test(test_trades_filtered_by_farm_and_agent),
		cmocka_unit_test(test_periods_per_year_from_median_spacing),
		cmocka_unit_test(test_empty_and_single_point),
		cmocka_unit_test(test_flat_and_constant_growth),
		cmocka_unit_test(test_trade_degenerates),
		cmocka_unit_test(test_cagr_overflow_and_wipeout),
		cmocka_unit_test(test_exposure_clipped),
		cmocka_unit_test(test_bad_input_messages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
