/*
 * The published figures: historical VaR 95/99 and ES 97.5 against an
 * independent computation from the recorded closes (tolerance: 2e-8 money,
 * the per-position rounding of the plugin's integer scenario P&L), the
 * parametric VaR against an EWMA covariance matrix built here by hand
 * (relative 1e-6), the stress figures, horizon scaling, the TH_EV_CUSTOM
 * layout, and the incremental P&L equal to a fresh rebuild.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "var_figures.h"
#include "var_rig.h"

#define BTC "BTC-USDT"
#define ETH "ETH-USDT"
#define QTY(x) ((th_qty)((x) * 100000000.0 + 0.5))
#define N 50

static const char *const both[2] = { BTC, ETH };

/* The host book: 1.5 BTC long, 10 ETH short. */
static void book(rig *r)
{
	rig_pos(r, "total", BTC, QTY(1.5));
	rig_pos(r, "total", ETH, -QTY(10));
	rig_pos(r, "marcus", BTC, QTY(0.5));
	rig_pos(r, "alpha", BTC, QTY(0.5));
	fake_pf_farm(&r->pf, "marcus", "alpha");
}

static void values(rig *r, double *vb, double *ve)
{
	*vb = (double)rig_value(QTY(1.5), rig_last(r, BTC));
	*ve = (double)rig_value(-QTY(10), rig_last(r, ETH));
}

static void host_pnl(rig *r, double *pnl, size_t n)
{
	double vb, ve;
	values(r, &vb, &ve);
	for (size_t k = 0; k < n; k++)
		pnl[k] = vb * rig_ret(r, BTC, k) + ve * rig_ret(r, ETH, k);
}

static void near(int64_t got, double want, double tol, const char *what)
{
	if (fabs((double)got - want) > tol)
		fail_msg("%s: got %lld, want %.3f (tolerance %.3g)", what, (long long)got, want, tol);
}

static void ready(rig *r)
{
	rig_start(r);
	book(r);
	rig_walk(r, both, 2, RIG_SLOT0, 61);
	rig_refresh(r);
}

static void test_historical_against_independent(void **state)
{
	(void)state;
	rig r;
	rig_init(&r);
	ready(&r);
	double pnl[N];
	host_pnl(&r, pnl, N);
	assert_int_equal(fake_metric(&r.h, "var_scenarios_host"), N);
	near(fake_metric(&r.h, "var95_host"), rig_var(pnl, N, 0.95), 2, "var95");
	near(fake_metric(&r.h, "var99_host"), rig_var(pnl, N, 0.99), 2, "var99");
	near(fake_metric(&r.h, "es975_host"), rig_es975(pnl, N), 2, "es975");
	/* sanity of the ordering of the figures */
	assert_true(fake_metric(&r.h, "var95_host") > 0);
	assert_true(fake_metric(&r.h, "var99_host") >= fake_metric(&r.h, "var95_host"));
	assert_true(fake_metric(&r.h, "es975_host") >= fake_metric(&r.h, "var95_host"));
	rig_free(&r);
}

static void test_short_window_uses_what_exists(void **state)
{
	(void)state;
	rig r;
	rig_init(&r);
	rig_start(&r);
	book(&r);
	rig_walk(&r, both, 2, RIG_SLOT0, 31); /* 30 returns in a 50-bar window */
	rig_refresh(&r);
	double pnl[30];
	host_pnl(&r, pnl, 30);
	assert_int_equal(fake_metric(&r.h, "var_scenarios_host"), 30);
	near(fake_metric(&r.h, "es975_host"), rig_es975(pnl, 30), 2, "es975 over 30");
	near(fake_metric(&r.h, "var95_host"), rig_var(pnl, 30, 0.95), 2, "var95 over 30");
	rig_free(&r);
}

/* EWMA covariance matrix of (BTC, ETH) by hand, k = 0 newest. */
static double hand_sigma(rig *r, double lambda, size_t n)
{
	double s[2][2] = { { 0, 0 }, { 0, 0 } }, w = 1 - lambda, wsum = 0;
	for (size_t k = 0; k < n; k++) {
		double x[2] = { rig_ret(r, BTC, k), rig_ret(r, ETH, k) };
		for (int a = 0; a < 2; a++)
			for (int b = 0; b < 2; b++)
				s[a][b] += w * x[a] * x[b];
		wsum += w;
		w *= lambda;
	}
	double v[2];
	values(r, &v[0], &v[1]);
	double var = 0;
	for (int a = 0; a < 2; a++)
		for (int b = 0; b < 2; b++)
			var += v[a] * v[b] * s[a][b] / wsum;
	return sqrt(var);
}

static void test_parametric_ewma(void **state)
{
	(void)state;
	const char *lambdas[2] = { "0.94", "0.97" };
	for (int i = 0; i < 2; i++) {
		rig r;
		rig_init(&r);
		if (i == 1)
			fake_config(&r.h, "ewma_lambda", lambdas[1]);
		ready(&r);
		double sigma = hand_sigma(&r, i ? 0.97 : 0.94, N);
		double p99 = (double)fake_metric(&r.h, "pvar99_host"), p95 = (double)fake_metric(&r.h, "pvar95_host");
		assert_true(fabs(p99 - 2.3263478740408408 * sigma) / p99 < 1e-6);
		assert_true(fabs(p95 - 1.6448536269514722 * sigma) / p95 < 1e-6);
		rig_free(&r);
	}
}

static const var_figures_wire *figures_of(rig *r, const char *name, var_figures_wire *out)
{
	for (size_t i = fake_count(&r->h, TH_EV_CUSTOM); i-- > 0;) {
		const th_event *ev = fake_event(&r->h, TH_EV_CUSTOM, i);
		assert_int_equal(ev->u.custom.tag, VAR_FIGURES_TAG);
		assert_int_equal(ev->u.custom.len, sizeof *out);
		memcpy(out, ev->u.custom.data, sizeof *out);
		if (strcmp(out->name, name) == 0)
			return out;
	}
	return NULL;
}

static void test_stress(void **state)
{
	(void)state;
	rig r;
	rig_init(&r);
	fake_config(&r.h, "stress_scenarios", "[\"crash: BTC=-0.2 *=-0.1\", \"pump: *=0.05\"]");
	fake_config(&r.h, "stress_vol_multiplier", "2.5");
	fake_config(&r.h, "stress_windows", "3");
	fake_config(&r.h, "stress_window_bars", "5");
	ready(&r);
	double vb, ve;
	values(&r, &vb, &ve);
	/* shocks: BTC by its asset key, ETH by "*" (the base asset comes from the symbol) */
	double crash = -(-0.2 * vb + -0.1 * ve), pump = -(0.05 * vb + 0.05 * ve);
	near(fake_metric(&r.h, "stress_shock_host"), crash > pump ? crash : pump, 2, "shock");
	/* volatility x 2.5 */
	double sigma = hand_sigma(&r, 0.94, N);
	near(fake_metric(&r.h, "stress_vol_host"), 2.5 * 2.3263478740408408 * sigma, 1e-6 * sigma * 6, "vol");
	/* correlations one: sum of stand-alone VaRs */
	double sb = 0, se = 0, w = 0.06, wsum = 0;
	for (size_t k = 0; k < N; k++) {
		sb += w * rig_ret(&r, BTC, k) * rig_ret(&r, BTC, k);
		se += w * rig_ret(&r, ETH, k) * rig_ret(&r, ETH, k);
		wsum += w;
		w *= 0.94;
	}
	double corr1 = 2.3263478740408408 * (fabs(vb) * sqrt(sb / wsum) + fabs(ve) * sqrt(se / wsum));
	near(fake_metric(&r.h, "stress_corr1_host"), corr1, corr1 * 1e-9 + 2, "corr1");
	assert_true(corr1 >= 2.3263478740408408 * sigma); /* diversification can only lower it */
	/* the worst 5-bar window of this book's P&L, by brute force */
	double pnl[N], worst = -1e300;
	host_pnl(&r, pnl, N);
	for (size_t end = 0; end + 5 <= N; end++) {
		double sum = 0;
		for (size_t k = end; k < end + 5; k++)
			sum += pnl[k];
		if (-sum > worst)
			worst = -sum;
	}
	near(fake_metric(&r.h, "stress_hist_host"), worst, 5, "hist");
	var_figures_wire f;
	assert_non_null(figures_of(&r, "", &f));
	assert_int_equal(f.nwindows, 3);
	assert_int_equal(f.window_loss[0], fake_metric(&r.h, "stress_hist_host"));
	assert_true(f.window_loss[1] <= f.window_loss[0] && f.window_loss[2] <= f.window_loss[1]);
	for (int i = 0; i < 3; i++)
		for (int j = i + 1; j < 3; j++) /* not overlapping */
			assert_true(f.window_end_age[i] >= f.window_end_age[j] + 5 || f.window_end_age[j] >= f.window_end_age[i] + 5);
	rig_free(&r);
}

static void test_horizon_scaling(void **state)
{
	(void)state;
	rig a, b;
	rig_init(&a);
	ready(&a);
	rig_init(&b);
	fake_config(&b.h, "horizon_bars", "4");
	ready(&b);
	/* sqrt(4) = 2 */
	near(fake_metric(&b.h, "es975_host"), 2.0 * (double)fake_metric(&a.h, "es975_host"), 1, "es h=4");
	near(fake_metric(&b.h, "var99_host"), 2.0 * (double)fake_metric(&a.h, "var99_host"), 1, "var99 h=4");
	near(fake_metric(&b.h, "pvar99_host"), 2.0 * (double)fake_metric(&a.h, "pvar99_host"), 2, "pvar99 h=4");
	rig_free(&a);
	rig_free(&b);
}

static void test_events_and_scope_metrics(void **state)
{
	(void)state;
	rig r;
	rig_init(&r);
	rig_start(&r);
	book(&r);
	rig_walk(&r, both, 2, RIG_SLOT0, 61);
	rig_fill(&r, "marcus", BTC); /* marcus and his farm alpha get their own figures */
	fake_clear_events(&r.h);
	rig_refresh(&r);
	var_figures_wire host, agent, farm;
	assert_non_null(figures_of(&r, "", &host));
	assert_non_null(figures_of(&r, "marcus", &agent));
	assert_non_null(figures_of(&r, "alpha", &farm));
	assert_int_equal(fake_count(&r.h, TH_EV_CUSTOM), 3);
	assert_int_equal(host.version, 1);
	assert_int_equal(host.scope_kind, TH_SCOPE_HOST);
	assert_int_equal(agent.scope_kind, TH_SCOPE_AGENT);
	assert_int_equal(farm.scope_kind, TH_SCOPE_FARM);
	assert_int_equal(host.flags, 0);
	assert_int_equal(host.scenarios, N);
	assert_int_equal(host.positions, 2);
	assert_int_equal(host.es975, fake_metric(&r.h, "es975_host"));
	assert_int_equal(host.pvar99, fake_metric(&r.h, "pvar99_host"));
	/* 0.5 BTC alone: ES = 1/3 of the 1.5 BTC leg's; check against the reference */
	double pnl[N], vb = (double)rig_value(QTY(0.5), rig_last(&r, BTC));
	for (size_t k = 0; k < N; k++)
		pnl[k] = vb * rig_ret(&r, BTC, k);
	near(agent.es975, rig_es975(pnl, N), 1, "agent es");
	assert_int_equal(agent.es975, farm.es975);
	assert_int_equal(agent.gross_value, (int64_t)vb);
	/* gauges per scope (the fake host keeps 16 metrics: the agent's fit) */
	assert_int_equal(fake_metric(&r.h, "es975_agent_marcus"), agent.es975);
	assert_int_equal(fake_metric(&r.h, "var95_agent_marcus"), agent.var95);
	rig_free(&r);
}

static void test_no_data_figures(void **state)
{
	(void)state;
	rig r;
	rig_init(&r);
	rig_start(&r);
	book(&r);
	rig_walk(&r, both, 2, RIG_SLOT0, 10);
	fake_clear_events(&r.h);
	rig_refresh(&r);
	var_figures_wire f;
	assert_non_null(figures_of(&r, "", &f));
	assert_int_equal(f.flags, VAR_FIG_NO_DATA);
	assert_int_equal(f.scenarios, 0);
	assert_int_equal(f.es975, 0);
	assert_int_equal(fake_metric(&r.h, "var_scenarios_host"), 0);
	rig_free(&r);
}

/* Positions that changed along the way, then revalued at every bar, give
 * exactly the ring a fresh instance builds from the final positions. */
static void test_incremental_equals_rebuild(void **state)
{
	(void)state;
	rig a, b;
	rig_init(&a);
	fake_config(&a.h, "publish_ms", "3600000");
	rig_start(&a);
	rig_pos(&a, "total", BTC, QTY(3));
	rig_walk(&a, both, 2, RIG_SLOT0, 20);
	rig_fill(&a, "x", BTC);
	rig_pos(&a, "total", ETH, -QTY(7));
	rig_fill(&a, "x", ETH);
	rig_walk(&a, both, 2, RIG_SLOT0 + 20, 25);
	rig_pos(&a, "total", BTC, QTY(1.25));
	rig_pos(&a, "total", ETH, QTY(2));
	rig_fill(&a, "x", BTC);
	rig_walk(&a, both, 2, RIG_SLOT0 + 45, 16);
	fake_advance_to(&a.h, a.h.now_ns + 3600000000000LL);

	rig_init(&b);
	fake_config(&b.h, "publish_ms", "3600000");
	rig_start(&b);
	rig_pos(&b, "total", BTC, QTY(1.25));
	rig_pos(&b, "total", ETH, QTY(2));
	rig_walk(&b, both, 2, RIG_SLOT0, 61);
	fake_advance_to(&b.h, b.h.now_ns + 3600000000000LL);

	const char *names[] = { "var95_host", "var99_host", "es975_host", "pvar99_host", "stress_hist_host" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		assert_int_equal(fake_metric(&a.h, names[i]), fake_metric(&b.h, names[i]));
	assert_true(fake_metric(&a.h, "es975_host") > 0);
	rig_free(&a);
	rig_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_historical_against_independent),
		cmocka_unit_test(test_short_window_uses_what_exists),
		cmocka_unit_test(test_parametric_ewma),
		cmocka_unit_test(test_stress),
		cmocka_unit_test(test_horizon_scaling),
		cmocka_unit_test(test_events_and_scope_metrics),
		cmocka_unit_test(test_no_data_figures),
		cmocka_unit_test(test_incremental_equals_rebuild),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
