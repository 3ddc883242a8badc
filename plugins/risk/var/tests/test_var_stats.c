/*
 * The estimators on their own: VaR / ES ranks and values against an
 * independent sort-based computation, EWMA moments against hand numbers and
 * the RiskMetrics recursion, the worst-window replay, and the config parsers.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "var_config.h"
#include "var_stats.h"

static uint64_t seed = 99;
static int64_t rnd(int64_t span)
{
	seed = seed * 6364136223846793005ull + 1442695040888963407ull;
	return (int64_t)((seed >> 20) % (uint64_t)(2 * span + 1)) - span;
}

static int cmp_i64_desc(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x < y) - (x > y);
}

static void test_span_recent(void **state)
{
	(void)state;
	var_span s = var_span_recent(10, 6, 4); /* 3..6 */
	assert_int_equal(s.a0, 3);
	assert_int_equal(s.n0, 4);
	assert_int_equal(s.n1, 0);
	s = var_span_recent(10, 2, 5); /* 8, 9, 0, 1, 2 */
	assert_int_equal(s.a0, 8);
	assert_int_equal(s.n0, 2);
	assert_int_equal(s.a1, 0);
	assert_int_equal(s.n1, 3);
	s = var_span_recent(10, 9, 10);
	assert_int_equal(s.a0, 0);
	assert_int_equal(s.n0, 10);
	assert_int_equal(var_span_size(var_span_recent(10, 4, 0)), 0);
}

static void test_money_round(void **state)
{
	(void)state;
	assert_int_equal(var_money_round(0.5), 1);
	assert_int_equal(var_money_round(-0.5), -1);
	assert_int_equal(var_money_round(2.4999), 2);
	assert_int_equal(var_money_round(-2.5001), -3);
	assert_int_equal(var_money_round(1e30), (int64_t)VAR_TERM_CAP);
	assert_int_equal(var_money_round(-1e30), -(int64_t)VAR_TERM_CAP);
	assert_int_equal(var_add_sat(INT64_MAX, 5), VAR_SUM_CAP);
	assert_int_equal(var_add_sat(VAR_SUM_CAP, 5), VAR_SUM_CAP);
	assert_int_equal(var_add_sat(-VAR_SUM_CAP, -5), -VAR_SUM_CAP);
	assert_int_equal(var_add_sat(-7, 5), -2);
}

static void test_ranks(void **state)
{
	(void)state;
	/* VaR rank among the worst: n - ceil(n a) + 1 */
	assert_int_equal(var_var_rank(250, VAR_CONF_95), 13);  /* ceil(237.5) = 238 */
	assert_int_equal(var_var_rank(250, VAR_CONF_99), 3);   /* ceil(247.5) = 248 */
	assert_int_equal(var_var_rank(1000, VAR_CONF_95), 51); /* ceil(950) = 950 exactly */
	assert_int_equal(var_var_rank(1000, VAR_CONF_99), 11);
	/* ES reads floor(m) + 1 entries when m is fractional, m when whole */
	assert_int_equal(var_es_need(250, VAR_CONF_975), 7);   /* m = 6.25 */
	assert_int_equal(var_es_need(1000, VAR_CONF_975), 25); /* m = 25 */
	assert_int_equal(var_es_need(20, VAR_CONF_975), 1);    /* m = 0.5 */
}

/* Sort-based reference, independent of the heap: losses sorted worst first. */
static void reference(const int64_t *pnl, size_t n, double *var95, double *var99, double *es)
{
	int64_t *loss = malloc(n * sizeof *loss);
	for (size_t i = 0; i < n; i++)
		loss[i] = -pnl[i];
	qsort(loss, n, sizeof *loss, cmp_i64_desc);
	size_t r95 = (size_t)ceil(n * 0.95 - 1e-9), r99 = (size_t)ceil(n * 0.99 - 1e-9);
	*var95 = (double)loss[n - r95];
	*var99 = (double)loss[n - r99];
	double m = n * 0.025, sum = 0;
	size_t whole = (size_t)floor(m + 1e-9);
	for (size_t j = 0; j < whole; j++)
		sum += (double)loss[j];
	if (m - whole > 1e-9)
		sum += (m - whole) * (double)loss[whole];
	*es = sum / m;
	free(loss);
}

static void check_against_reference(size_t n)
{
	int64_t *ring = malloc(n * sizeof *ring), *tail = malloc(n * sizeof *tail);
	for (size_t i = 0; i < n; i++)
		ring[i] = rnd(100000000000LL); /* +-1000 money units */
	/* read it as a wrapped ring: the newest entry at n/3 */
	var_span sp = var_span_recent(n, n / 3, n);
	size_t k = var_var_rank(n, VAR_CONF_95);
	if (var_es_need(n, VAR_CONF_975) > k)
		k = var_es_need(n, VAR_CONF_975);
	var_tail(ring, NULL, sp, tail, k);
	for (size_t i = 1; i < k; i++)
		assert_true(tail[i - 1] <= tail[i]);
	double v95, v99, es;
	reference(ring, n, &v95, &v99, &es);
	/* tolerance: VaR exact; ES within 1 money unit (1e-8: the rounding of the division) */
	assert_int_equal(var_value_at_risk(tail, n, VAR_CONF_95), (int64_t)v95);
	assert_int_equal(var_value_at_risk(tail, n, VAR_CONF_99), (int64_t)v99);
	assert_true(fabs((double)var_expected_shortfall(tail, n, VAR_CONF_975) - es) <= 1.0);
	free(ring);
	free(tail);
}

static void test_var_es_against_sort(void **state)
{
	(void)state;
	check_against_reference(250);  /* m = 6.25: fractional boundary scenario */
	check_against_reference(1000); /* m = 25, n a = 950: whole numbers */
	check_against_reference(100);  /* m = 2.5 */
	check_against_reference(37);   /* m < 1: ES = the worst loss */
	check_against_reference(20);
}

static void test_es_by_hand(void **state)
{
	(void)state;
	/* 40 scenarios, P&L -40 .. -1 (money units) -> losses 1..40 */
	int64_t ring[40], tail[40];
	for (int i = 0; i < 40; i++)
		ring[i] = -(i + 1);
	var_span sp = var_span_recent(40, 39, 40);
	var_tail(ring, NULL, sp, tail, 3);
	assert_int_equal(tail[0], -40);
	assert_int_equal(tail[2], -38);
	assert_int_equal(var_value_at_risk(tail, 40, VAR_CONF_95), 38); /* ceil(38) = 38th smallest loss */
	assert_int_equal(var_expected_shortfall(tail, 40, VAR_CONF_975), 40); /* m = 1: the worst */
	/* 200 scenarios, m = 5: mean of the 5 worst of losses 1..200 = 198 */
	int64_t big[200], t2[200];
	for (int i = 0; i < 200; i++)
		big[i] = -(i + 1) * 100;
	var_tail(big, NULL, var_span_recent(200, 199, 200), t2, 5);
	assert_int_equal(var_expected_shortfall(t2, 200, VAR_CONF_975), 19800);
	/* 60 scenarios, m = 1.5: (loss1 + 0.5 loss2) / 1.5 = (6000 + 0.5 * 5900) / 1.5 = 5966.67 -> 5967 */
	int64_t r60[60], t60[60];
	for (int i = 0; i < 60; i++)
		r60[i] = -(i + 1) * 100;
	var_tail(r60, NULL, var_span_recent(60, 59, 60), t60, 2);
	assert_int_equal(var_expected_shortfall(t60, 60, VAR_CONF_975), 5967);
}

static void test_tail_with_delta(void **state)
{
	(void)state;
	int64_t base[6] = { 10, -5, 3, INT64_MAX - 1, -20, 0 };
	int64_t delta[6] = { -30, 0, 0, 10, 25, -1 };
	int64_t tail[3];
	var_tail(base, delta, var_span_recent(6, 5, 6), tail, 3);
	assert_int_equal(tail[0], -20); /* 10 - 30 */
	assert_int_equal(tail[1], -5);
	assert_int_equal(tail[2], -1);
}

/* The bounded scan gives the same tail as the full one, from far fewer
 * candidates when the delta is small against the spread of the base. */
static void test_tail_bounded(void **state)
{
	(void)state;
	enum { n = 1000, k = 25 };
	static int64_t base[n], delta[n], cand[n], full[k], fast[k], tmp[n];
	for (int round = 0; round < 20; round++) {
		int64_t dspan = round < 10 ? 1000000 : 100000000000LL; /* small, then as large as the base */
		int64_t dmax = INT64_MIN;
		for (size_t i = 0; i < n; i++) {
			base[i] = rnd(100000000000LL);
			delta[i] = rnd(dspan);
			dmax = delta[i] > dmax ? delta[i] : dmax;
		}
		var_span sp = var_span_recent(n, (size_t)round * 37 % n, n - (size_t)round);
		size_t nn = var_span_size(sp);
		var_tail(base, NULL, sp, tmp, k);
		var_tail(base, delta, sp, full, k);
		size_t c = var_tail_bounded(base, delta, sp, tmp[k - 1] + dmax, cand, fast, k);
		assert_true(c >= k && c <= nn);
		if (round < 10)
			assert_true(c < 3 * k);
		assert_memory_equal(full, fast, sizeof full);
	}
}

/* var_tail_index finds the k worst entries (as indices), and the bound they
 * give for base + delta (max over them) leaves the tail exactly as the full
 * scan finds it, with about k candidates: what check() relies on. Ties
 * (a narrow value range) included. */
static void test_tail_index_bound(void **state)
{
	(void)state;
	enum { n = 1000, k = 25 };
	static int64_t base[n], delta[n], cand[n], full[k], fast[k], worst[k], got[k];
	static uint32_t idx[k];
	for (int round = 0; round < 30; round++) {
		int64_t bspan = round % 3 == 0 ? 5 : 100000000000LL; /* every third round: many ties */
		int64_t dspan = round < 15 ? 1000000 : 100000000000LL;
		for (size_t i = 0; i < n; i++) {
			base[i] = rnd(bspan);
			delta[i] = rnd(dspan);
		}
		var_span sp = var_span_recent(n, (size_t)round * 41 % n, n - (size_t)round);
		var_tail_index(base, sp, k, idx);
		var_tail(base, NULL, sp, worst, k);
		int64_t bound = INT64_MIN;
		for (size_t j = 0; j < k; j++) {
			int inside = (idx[j] >= sp.a0 && idx[j] < sp.a0 + sp.n0) || (idx[j] >= sp.a1 && idx[j] < sp.a1 + sp.n1);
			assert_true(inside);
			for (size_t q = 0; q < j; q++)
				assert_true(idx[q] != idx[j]); /* distinct */
			got[j] = base[idx[j]];
			bound = base[idx[j]] + delta[idx[j]] > bound ? base[idx[j]] + delta[idx[j]] : bound;
		}
		/* the same multiset of values as the k smallest */
		var_tail(got, NULL, var_span_recent(k, k - 1, k), fast, k);
		assert_memory_equal(worst, fast, sizeof worst);
		var_tail(base, delta, sp, full, k);
		size_t c = var_tail_bounded(base, delta, sp, bound, cand, fast, k);
		assert_true(c >= k);
		if (round < 15 && bspan > 5)
			assert_true(c < 2 * k);
		assert_memory_equal(full, fast, sizeof full);
	}
}

/* Partial selection gives the k smallest in front, the k-th in place, and
 * the same ES as the sorted tail; ties and tiny arrays included. */
static void test_select_smallest(void **state)
{
	(void)state;
	enum { cap = 300 };
	static int64_t a[cap], sorted[cap];
	for (int round = 0; round < 400; round++) {
		size_t n = 1 + (size_t)rnd(cap - 1) % cap;
		if (n > cap)
			n = cap;
		size_t k = 1 + (size_t)rnd((int64_t)n - 1) % n;
		if (k > n)
			k = n;
		int64_t span = round % 4 == 0 ? 3 : 1000000000LL;
		for (size_t i = 0; i < n; i++)
			a[i] = rnd(span);
		var_tail(a, NULL, var_span_recent(n, n - 1, n), sorted, n); /* all of them, ascending */
		var_select_smallest(a, n, k);
		assert_true(a[k - 1] == sorted[k - 1]);
		for (size_t i = 0; i < k; i++)
			assert_true(a[i] <= a[k - 1]);
		for (size_t i = k; i < n; i++)
			assert_true(a[i] >= a[k - 1]);
		/* ES over n scenarios reads the worst need(n) entries */
		size_t need = var_es_need(n, VAR_CONF_975);
		int64_t want = var_expected_shortfall(sorted, n, VAR_CONF_975);
		var_select_smallest(a, n, need);
		assert_true(var_expected_shortfall(a, n, VAR_CONF_975) == want);
	}
}

static void test_ewma_by_hand(void **state)
{
	(void)state;
	/* x, y oldest first; lambda 0.94: weights newest 0.06, 0.0564, 0.053016,
	 * sum 0.169416 = 1 - 0.94^3.
	 * cov = (0.06*(0.03*-0.01) + 0.0564*(-0.02*0.01) + 0.053016*(0.01*0.02)) / 0.169416
	 *     = -1.86768e-5 / 0.169416 = -1.1024224e-4
	 * var x = (0.06*9e-4 + 0.0564*4e-4 + 0.053016*1e-4) / 0.169416 = 4.8319875e-4 */
	const double x[3] = { 0.01, -0.02, 0.03 }, y[3] = { 0.02, 0.01, -0.01 };
	assert_true(fabs(var_ewma_cov(x, y, 3, 0.94) - -1.1024224394e-4) < 1e-12);
	assert_true(fabs(var_ewma_cov(x, x, 3, 0.94) - 4.8319875336e-4) < 1e-12);
	assert_true(fabs(var_ewma_cov(y, y, 3, 0.94) - 1.9388015300e-4) < 1e-12);

	/* the same through a ring (wrapped), and through the RiskMetrics recursion
	 * S_t = l S_{t-1} + (1-l) x_t^2 from S_0 = 0, normalised by 1 - l^n */
	double ring[5] = { 0.03, 0, 0, 0.01, -0.02 }; /* oldest at 3: 0.01, -0.02, 0.03 */
	var_span sp = var_span_recent(5, 0, 3);
	assert_true(fabs(var_ewma_var_ring(ring, sp, 0.94) - 4.8319875336e-4) < 1e-12);
	double s = 0, l = 0.94;
	for (int t = 0; t < 3; t++)
		s = l * s + (1 - l) * x[t] * x[t];
	assert_true(fabs(s / (1 - l * l * l) - var_ewma_var_ring(ring, sp, l)) < 1e-15);
}

static void test_portfolio_variance_identity(void **state)
{
	(void)state;
	/* sigma_p^2 = v' S v with S the EWMA covariance, equals the EWMA second
	 * moment of the P&L vector v1 x_k + v2 y_k */
	const double x[3] = { 0.01, -0.02, 0.03 }, y[3] = { 0.02, 0.01, -0.01 };
	const double v1 = 5e11, v2 = -3e11; /* 5000 and -3000 money units at scale 8 */
	double sxx = var_ewma_cov(x, x, 3, 0.94), syy = var_ewma_cov(y, y, 3, 0.94), sxy = var_ewma_cov(x, y, 3, 0.94);
	double want = v1 * v1 * sxx + 2 * v1 * v2 * sxy + v2 * v2 * syy;
	int64_t pnl[3];
	for (int k = 0; k < 3; k++)
		pnl[k] = var_money_round(v1 * x[k] + v2 * y[k]);
	double got = var_ewma_var_pnl(pnl, var_span_recent(3, 2, 3), 0.94);
	assert_true(fabs(got - want) / want < 1e-12);
}

static void test_worst_windows(void **state)
{
	(void)state;
	/* two dips: bars 2-4 (-10 -20 -5) and bars 10-12 (-8 -8 -8) */
	int64_t pnl[16] = { 1, 1, -10, -20, -5, 2, 2, 2, 2, 2, -8, -8, -8, 3, 3, 3 };
	int64_t loss[4], scratch[16];
	uint32_t age[4];
	size_t n = var_worst_windows(pnl, var_span_recent(16, 15, 16), 3, 4, loss, age, scratch);
	assert_int_equal(n, 4);
	assert_int_equal(loss[0], 35); /* -10 -20 -5 */
	assert_int_equal(age[0], 11);  /* ends at bar 4, newest is 15 */
	assert_int_equal(loss[1], 24); /* -8 -8 -8 */
	assert_int_equal(age[1], 3);
	/* the next ones do not overlap those two */
	assert_true(loss[2] <= 24 && loss[3] <= loss[2]);
	assert_int_equal(var_worst_windows(pnl, var_span_recent(16, 15, 2), 3, 2, loss, age, scratch), 0);
}

static void test_parse_scenario(void **state)
{
	(void)state;
	var_scenario s;
	char err[160];
	assert_int_equal(var_parse_scenario("crash: BTC=-0.2 ETH=-0.3, *=-0.1 sim:SOL-USDT=-0.5", &s, err, sizeof err), 0);
	assert_string_equal(s.name, "crash");
	assert_int_equal(s.nshocks, 4);
	assert_string_equal(s.shocks[3].key, "sim:SOL-USDT");
	assert_true(fabs(s.shocks[1].shock + 0.3) < 1e-15);
	assert_int_equal(var_parse_scenario("BTC=-0.2", &s, err, sizeof err), -1);
	assert_non_null(strstr(err, "name"));
	assert_int_equal(var_parse_scenario("x: BTC=-2", &s, err, sizeof err), -1);
	assert_non_null(strstr(err, "between -1 and 10"));
	assert_int_equal(var_parse_scenario("x: BTC=abc", &s, err, sizeof err), -1);
	assert_int_equal(var_parse_scenario("x: BTC=-0.1 BTC=0.1", &s, err, sizeof err), -1);
	assert_non_null(strstr(err, "twice"));
	assert_int_equal(var_parse_scenario("x:", &s, err, sizeof err), -1);
	assert_int_equal(var_parse_scenario("bad name: BTC=0.1", &s, err, sizeof err), -1);

	/* matching order: venue:symbol, symbol, base asset, * */
	assert_int_equal(var_parse_scenario("m: *=-0.1 BTC=-0.2 BTC-USDT=-0.3 sim:BTC-USDT=-0.4", &s, err, sizeof err), 0);
}

static void test_parse_override(void **state)
{
	(void)state;
	var_limit_override o;
	char err[160];
	assert_int_equal(var_parse_override("agent:Marcus Momentum=1500.25", &o, err, sizeof err), 0);
	assert_int_equal(o.kind, VAR_SCOPE_AGENT);
	assert_string_equal(o.name, "Marcus Momentum");
	assert_int_equal(o.limit, 150025000000LL);
	assert_int_equal(var_parse_override("farm:alpha=0", &o, err, sizeof err), 0);
	assert_int_equal(o.kind, VAR_SCOPE_FARM);
	assert_int_equal(o.limit, 0);
	assert_int_equal(var_parse_override("desk:alpha=10", &o, err, sizeof err), -1);
	assert_non_null(strstr(err, "\"agent\" or \"farm\""));
	assert_int_equal(var_parse_override("agent:alpha=-1", &o, err, sizeof err), -1);
	assert_int_equal(var_parse_override("agent:alpha=1.123456789", &o, err, sizeof err), -1);
	assert_int_equal(var_parse_override("agent:=5", &o, err, sizeof err), -1);
	assert_int_equal(var_parse_override("alpha", &o, err, sizeof err), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_span_recent),
		cmocka_unit_test(test_money_round),
		cmocka_unit_test(test_ranks),
		cmocka_unit_test(test_var_es_against_sort),
		cmocka_unit_test(test_es_by_hand),
		cmocka_unit_test(test_tail_with_delta),
		cmocka_unit_test(test_tail_bounded),
		cmocka_unit_test(test_tail_index_bound),
		cmocka_unit_test(test_select_smallest),
		cmocka_unit_test(test_ewma_by_hand),
		cmocka_unit_test(test_portfolio_variance_identity),
		cmocka_unit_test(test_worst_windows),
		cmocka_unit_test(test_parse_scenario),
		cmocka_unit_test(test_parse_override),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
