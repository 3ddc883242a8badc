/* Allocation along the hierarchy, rebalancing rules (fixed, equal, Sharpe,
 * inverse volatility), profit collection, equity curves and drawdown. */
#include "ledger_test_util.h"

#include <math.h>
#include <stdlib.h>
#include <tradehost/th_status.h>

typedef struct fx {
	capital_t *c;
	char err[512];
} fx;

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	f->c = capital_create("USDT", f->err, sizeof f->err);
	assert_non_null(f->c);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	capital_destroy(f->c);
	free(f);
	return 0;
}

static void add_farm(fx *f, const char *name)
{
	assert_int_equal(capital_add_farm(f->c, name, f->err, sizeof f->err), 0);
}

static void add_agent(fx *f, const char *name, const char *farm)
{
	assert_int_equal(capital_add_agent(f->c, name, farm, f->err, sizeof f->err), 0);
}

static void alloc(fx *f, const char *from, const char *to, th_money amount)
{
	int rc = capital_allocate(f->c, from, to, amount, f->err, sizeof f->err);
	if (rc != 0)
		print_error("allocate: %s\n", f->err);
	assert_int_equal(rc, 0);
}

static th_money equity(fx *f, const char *w)
{
	return test_stats(f->c, w).equity;
}

static void test_names_and_edges(void **state)
{
	fx *f = *state;
	add_farm(f, "F");
	add_farm(f, "G");
	add_agent(f, "A", "F");
	add_agent(f, "B", "G");
	assert_int_equal(capital_add_farm(f->c, "A", f->err, sizeof f->err), TH_ERR_EXISTS);
	assert_non_null(strstr(f->err, "'A' is already used"));
	assert_int_equal(capital_add_agent(f->c, "master", "F", f->err, sizeof f->err), TH_ERR_INVALID);
	assert_int_equal(capital_add_agent(f->c, "x/y", "F", f->err, sizeof f->err), TH_ERR_INVALID);
	assert_non_null(strstr(f->err, "must not contain '/'"));
	assert_int_equal(capital_add_agent(f->c, "C", "nofarm", f->err, sizeof f->err), TH_ERR_NOT_FOUND);
	assert_non_null(strstr(f->err, "farm 'nofarm' does not exist"));
	assert_int_equal(capital_deposit(f->c, 0), TH_ERR_INVALID);
	assert_int_equal(capital_deposit(f->c, USD(1000)), 0);
	assert_int_equal(capital_allocate(f->c, "master", "A", USD(1), f->err, sizeof f->err), TH_ERR_INVALID);
	assert_non_null(strstr(f->err, "master wallet 'master' -> agent 'A' is not allowed"));
	assert_int_equal(capital_allocate(f->c, "F", "B", USD(1), f->err, sizeof f->err), TH_ERR_INVALID);
	assert_int_equal(capital_allocate(f->c, "master", "F", USD(1001), f->err, sizeof f->err), TH_ERR_LIMIT);
	assert_non_null(strstr(f->err, "has 1000.00000000 USDT of free cash, 1001.00000000 USDT requested"));
	assert_int_equal(capital_allocate(f->c, "master", "nobody", USD(1), f->err, sizeof f->err), TH_ERR_NOT_FOUND);
	alloc(f, "master", "F", USD(600));
	alloc(f, "F", "A", USD(250));
	alloc(f, "A", "F", USD(50));
	capital_stats a = test_stats(f->c, "A"), fm = test_stats(f->c, "F"), m = test_stats(f->c, "master");
	assert_int_equal(a.cash, USD(200));
	assert_int_equal(a.allocated, USD(200));
	assert_int_equal(a.flow, USD(200));
	assert_int_equal(fm.cash, USD(400));
	assert_int_equal(fm.equity, USD(600));
	assert_int_equal(fm.allocated, USD(600));
	assert_int_equal(fm.flow, USD(600)); /* farm <-> agent moves are internal to the farm */
	assert_int_equal(m.cash, USD(400));
	assert_int_equal(m.allocated, USD(1000));
	assert_int_equal(m.flow, USD(400));
	/* withdraw from the master only */
	assert_int_equal(capital_withdraw(f->c, USD(500), f->err, sizeof f->err), TH_ERR_LIMIT);
	assert_non_null(strstr(f->err, "holds 400.00000000 USDT in cash"));
	assert_int_equal(capital_withdraw(f->c, USD(100), f->err, sizeof f->err), 0);
	assert_int_equal(test_stats(f->c, "total").equity, USD(900));
	/* set an allocation directly */
	assert_int_equal(capital_set_allocation(f->c, "A", USD(300), f->err, sizeof f->err), 0);
	assert_int_equal(test_stats(f->c, "A").cash, USD(300));
	assert_int_equal(test_stats(f->c, "F").cash, USD(300));
	assert_int_equal(capital_set_allocation(f->c, "F", USD(100), f->err, sizeof f->err), TH_ERR_LIMIT);
	assert_int_equal(capital_set_allocation(f->c, "F", USD(400), f->err, sizeof f->err), 0); /* gives 200 back */
	assert_int_equal(test_stats(f->c, "master").cash, USD(500));
	assert_int_equal(capital_set_allocation(f->c, "master", 0, f->err, sizeof f->err), TH_ERR_NOT_FOUND);
	assert_capital_ok(f->c);
}

static void test_rebalance_fixed_and_tied_capital(void **state)
{
	fx *f = *state;
	add_farm(f, "F1");
	add_farm(f, "F2");
	add_farm(f, "F3");
	add_agent(f, "A1", "F1");
	assert_int_equal(capital_deposit(f->c, USD(10000)), 0);
	assert_int_equal(capital_set_weight(f->c, "F1", 0.5, f->err, sizeof f->err), 0);
	assert_int_equal(capital_set_weight(f->c, "F2", 0.3, f->err, sizeof f->err), 0);
	assert_int_equal(capital_set_weight(f->c, "F3", 0.2, f->err, sizeof f->err), 0);
	assert_int_equal(capital_set_weight(f->c, "F3", -1, f->err, sizeof f->err), TH_ERR_INVALID);
	assert_int_equal(capital_rebalance(f->c, "master", CAPITAL_RULE_FIXED, NULL, 0, 100, f->err, sizeof f->err), 0);
	assert_int_equal(equity(f, "F1"), USD(5000));
	assert_int_equal(equity(f, "F2"), USD(3000));
	assert_int_equal(equity(f, "F3"), USD(2000));
	assert_int_equal(test_stats(f->c, "master").cash, 0);
	assert_int_equal(test_stats(f->c, "F2").allocated, USD(3000));
	/* explicit weights 1:1:2 of 10000 -> 2500 / 2500 / 5000 */
	double w[3] = { 1, 1, 2 };
	assert_int_equal(capital_rebalance(f->c, "master", CAPITAL_RULE_FIXED, w, 3, 200, f->err, sizeof f->err), 0);
	assert_int_equal(equity(f, "F1"), USD(2500));
	assert_int_equal(equity(f, "F2"), USD(2500));
	assert_int_equal(equity(f, "F3"), USD(5000));
	assert_int_equal(test_stats(f->c, "F1").allocated, USD(2500));
	/* F1 hands 2000 to its agent: that capital is tied up for the master */
	alloc(f, "F1", "A1", USD(2000));
	double w2[3] = { 0, 1, 1 };
	assert_int_equal(capital_rebalance(f->c, "master", CAPITAL_RULE_FIXED, w2, 3, 300, f->err, sizeof f->err), 0);
	/* targets 0 / 5000 / 5000: F1 can give only its 500 of cash, all to F2 */
	assert_int_equal(equity(f, "F1"), USD(2000));
	assert_int_equal(equity(f, "F2"), USD(3000));
	assert_int_equal(equity(f, "F3"), USD(5000));
	assert_capital_ok(f->c);
	/* errors */
	assert_int_equal(capital_rebalance(f->c, "master", CAPITAL_RULE_FIXED, w, 2, 0, f->err, sizeof f->err),
		TH_ERR_INVALID);
	assert_non_null(strstr(f->err, "2 weights given for 3 children"));
	double zero[3] = { 0, 0, 0 };
	assert_int_equal(capital_rebalance(f->c, "master", CAPITAL_RULE_FIXED, zero, 3, 0, f->err, sizeof f->err),
		TH_ERR_INVALID);
	assert_non_null(strstr(f->err, "every weight is zero"));
	assert_int_equal(capital_rebalance(f->c, "master", 9, NULL, 0, 0, f->err, sizeof f->err), TH_ERR_INVALID);
	assert_non_null(strstr(f->err, "unknown rule 9"));
	assert_int_equal(capital_rebalance(f->c, "A1", CAPITAL_RULE_EQUAL, NULL, 0, 0, f->err, sizeof f->err),
		TH_ERR_NOT_FOUND);
	assert_int_equal(capital_rebalance(f->c, "F2", CAPITAL_RULE_EQUAL, NULL, 0, 0, f->err, sizeof f->err),
		TH_ERR_INVALID);
	assert_non_null(strstr(f->err, "'F2' has no agents"));
}

static void test_rebalance_equal(void **state)
{
	fx *f = *state;
	add_farm(f, "F1");
	add_farm(f, "F2");
	add_farm(f, "F3");
	assert_int_equal(capital_deposit(f->c, USD(10000)), 0);
	assert_int_equal(capital_rebalance(f->c, "master", CAPITAL_RULE_EQUAL, NULL, 0, 1, f->err, sizeof f->err), 0);
	/* 10000 / 3 = 3333.33333333 each (rounded down); 0.00000001 stays home */
	assert_int_equal(equity(f, "F1"), 333333333333LL);
	assert_int_equal(equity(f, "F2"), 333333333333LL);
	assert_int_equal(equity(f, "F3"), 333333333333LL);
	assert_int_equal(test_stats(f->c, "master").cash, 1);
	/* again: nothing to do, nothing moves */
	assert_int_equal(capital_rebalance(f->c, "master", CAPITAL_RULE_EQUAL, NULL, 0, 2, f->err, sizeof f->err), 0);
	assert_int_equal(test_stats(f->c, "master").cash, 1);
	assert_capital_ok(f->c);
}

/* Two agents each hold 100 units of their own instrument bought at 100 with
 * all their cash; marks then give them crafted return series. A3 has no
 * equity, hence no returns: it gets the equal share 1/3. */
static void perf_fixture(fx *f, const th_price *m1, const th_price *m2, size_t n)
{
	add_farm(f, "F");
	add_agent(f, "A1", "F");
	add_agent(f, "A2", "F");
	add_agent(f, "A3", "F");
	assert_int_equal(capital_deposit(f->c, USD(30000)), 0);
	alloc(f, "master", "F", USD(30000));
	alloc(f, "F", "A1", USD(10000));
	alloc(f, "F", "A2", USD(10000));
	th_instrument x1 = test_instrument("sim", "X1USDT", "X1", 10, 0);
	th_instrument x2 = test_instrument("sim", "X2USDT", "X2", 10, 0);
	const th_price p100 = 1000000000000LL; /* 100 at scale 10 */
	assert_int_equal(capital_reserve(f->c, "A1", "a1", &x1, TH_SIDE_BUY, p100, 100, 0, 0, f->err, sizeof f->err), 0);
	assert_int_equal(capital_reserve(f->c, "A2", "a2", &x2, TH_SIDE_BUY, p100, 100, 0, 0, f->err, sizeof f->err), 0);
	th_fill fl = test_fill(&x1, "a1", TH_SIDE_BUY, p100, 100, 0, "USDT");
	assert_int_equal(capital_fill(f->c, "a1", &fl, 0, f->err, sizeof f->err), 0);
	fl = test_fill(&x2, "a2", TH_SIDE_BUY, p100, 100, 0, "USDT");
	assert_int_equal(capital_fill(f->c, "a2", &fl, 0, f->err, sizeof f->err), 0);
	assert_int_equal(capital_snapshot_equity(f->c, 1), 0);
	for (size_t k = 0; k < n; k++) {
		assert_int_equal(capital_mark(f->c, "sim", "X1USDT", m1[k], 10, (int64_t)k + 2), 0);
		assert_int_equal(capital_mark(f->c, "sim", "X2USDT", m2[k], 10, (int64_t)k + 2), 0);
		assert_int_equal(capital_snapshot_equity(f->c, (int64_t)k + 2), 0);
	}
	assert_int_equal(capital_set_perf_window(f->c, 30, 3, f->err, sizeof f->err), 0);
}

/* Expected result of a farm rebalance with weights w (farm cash 10000, A2
 * above target with no cash to give): A1 and A3 share the farm's cash in
 * proportion to their deficits. The weights come from doubles, so compare
 * within 0.0002 USDT (a one part-per-10^9 step of the weight moves a target
 * by about 0.00003). e1, e2: equity of A1 and A2 before, in money units. */
static void check_perf_result(fx *f, const double w[3], th_money e1, th_money e2)
{
	double E1 = (double)e1 / 1e8, E2 = (double)e2 / 1e8;
	double total = 10000.0 + E1 + E2;
	double d1 = total * w[0] - E1, d3 = total * w[2];
	assert_true(total * w[1] < E2); /* A2 stays above its target */
	double give1 = 10000.0 * d1 / (d1 + d3), give3 = 10000.0 * d3 / (d1 + d3);
	double got1 = (double)(equity(f, "A1") - e1) / 1e8, got3 = (double)equity(f, "A3") / 1e8;
	if (fabs(got1 - give1) > 2e-4 || fabs(got3 - give3) > 2e-4)
		print_error("A1 got %.8f (want %.8f), A3 got %.8f (want %.8f)\n", got1, give1, got3, give3);
	assert_true(fabs(got1 - give1) <= 2e-4);
	assert_true(fabs(got3 - give3) <= 2e-4);
	assert_true(test_stats(f->c, "F").cash <= 2); /* only rounding dust stays */
	assert_int_equal(equity(f, "A2"), e2);
	assert_capital_ok(f->c);
}

static void test_rebalance_sharpe(void **state)
{
	fx *f = *state;
	/* A1 returns 2%, 0, 2%, 0 (mean 1%); A2 1.5%, -0.5%, 1.5%, -0.5% (mean
	 * 0.5%); same stdev, so Sharpe A1 = 2 x Sharpe A2. Scored share 2/3 ->
	 * weights 4/9, 2/9, and A3 1/3. */
	const th_price m1[4] = { 1020000000000LL, 1020000000000LL, 1040400000000LL, 1040400000000LL };
	const th_price m2[4] = { 1015000000000LL, 1009925000000LL, 1025073875000LL, 1019948505625LL };
	perf_fixture(f, m1, m2, 4);
	assert_int_equal(capital_rebalance(f->c, "F", CAPITAL_RULE_PERF_SHARPE, NULL, 0, 9, f->err, sizeof f->err), 0);
	const double w[3] = { 4.0 / 9, 2.0 / 9, 1.0 / 3 };
	check_perf_result(f, w, USD(10404), 1019948505625LL);
}

static void test_rebalance_inverse_vol(void **state)
{
	fx *f = *state;
	/* A1 returns +-1%, A2 +-2%: weights 1/sd give 2:1 -> 4/9, 2/9, 1/3. */
	const th_price m1[4] = { 1010000000000LL, 999900000000LL, 1009899000000LL, 999800010000LL };
	const th_price m2[4] = { 1020000000000LL, 999600000000LL, 1019592000000LL, 999200160000LL };
	perf_fixture(f, m1, m2, 4);
	assert_int_equal(capital_rebalance(f->c, "F", CAPITAL_RULE_PERF_INVVOL, NULL, 0, 9, f->err, sizeof f->err), 0);
	const double w[3] = { 4.0 / 9, 2.0 / 9, 1.0 / 3 };
	check_perf_result(f, w, 999800010000LL, 999200160000LL);
}

static void test_rebalance_perf_too_little_history(void **state)
{
	fx *f = *state;
	/* Only 2 returns each with min_history 3: everybody gets 1/3. */
	const th_price m1[2] = { 1020000000000LL, 1020000000000LL };
	const th_price m2[2] = { 1015000000000LL, 1009925000000LL };
	perf_fixture(f, m1, m2, 2);
	assert_int_equal(capital_rebalance(f->c, "F", CAPITAL_RULE_PERF_SHARPE, NULL, 0, 9, f->err, sizeof f->err), 0);
	/* total = 10000 + 10200 + 10099.25 = 30299.25 -> 1/3 = 10099.75 each.
	 * A1 (10200) stays above: no cash. Deficits A2 0.5 and A3 10099.75 exceed
	 * the farm's 10000, which is split by deficit, rounded down:
	 *   A2: 0.5 x 10000 / 10100.25      = 0.49503725 (0.4950372515...)
	 *   A3: 10099.75 x 10000 / 10100.25 = 9999.50496274 (...274.8)
	 * and 0.00000001 stays with the farm. */
	assert_int_equal(equity(f, "A1"), USD(10200));
	assert_int_equal(equity(f, "A2"), 1009925000000LL + 49503725LL);
	assert_int_equal(equity(f, "A3"), 999950496274LL);
	assert_int_equal(test_stats(f->c, "F").cash, 1);
	assert_capital_ok(f->c);
	assert_int_equal(capital_set_perf_window(f->c, 2, 1, f->err, sizeof f->err), TH_ERR_INVALID);
}

static void test_collect_profits(void **state)
{
	fx *f = *state;
	add_farm(f, "F");
	add_agent(f, "A", "F");
	add_agent(f, "B", "F");
	assert_int_equal(capital_deposit(f->c, USD(10000)), 0);
	alloc(f, "master", "F", USD(10000));
	alloc(f, "F", "A", USD(1000));
	alloc(f, "F", "B", USD(500));
	th_instrument in = test_instrument("sim", "BTCUSDT", "BTC", 2, 3);
	/* A: buy 1 at 100, sell at 150 (+50 realized), buy 1 at 100 again, mark 200 */
	const struct {
		const char *agent, *key;
		int side;
		th_price px;
	} steps[] = { { "A", "a1", TH_SIDE_BUY, 10000 }, { "A", "a2", TH_SIDE_SELL, 15000 },
		{ "A", "a3", TH_SIDE_BUY, 10000 }, { "B", "b1", TH_SIDE_BUY, 10000 }, { "B", "b2", TH_SIDE_SELL, 12000 } };
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		assert_int_equal(capital_reserve(f->c, steps[i].agent, steps[i].key, &in, steps[i].side, steps[i].px, 1000, 0,
					 0, f->err, sizeof f->err),
			0);
		th_fill fl = test_fill(&in, steps[i].key, steps[i].side, steps[i].px, 1000, 0, "USDT");
		assert_int_equal(capital_fill(f->c, steps[i].key, &fl, 0, f->err, sizeof f->err), 0);
	}
	capital_mark(f->c, "sim", "BTCUSDT", 20000, 2, 1);
	capital_stats a = test_stats(f->c, "A");
	assert_int_equal(a.unrealized_pnl, USD(100));
	assert_int_equal(a.cash, USD(950));
	/* only the realized 50 moves; the unrealized 100 stays */
	assert_int_equal(capital_collect_profits(f->c, "A", f->err, sizeof f->err), 0);
	a = test_stats(f->c, "A");
	assert_int_equal(a.cash, USD(900));
	assert_int_equal(a.allocated, USD(1000));
	assert_int_equal(a.flow, USD(950));
	assert_int_equal(test_stats(f->c, "master").cash, USD(50));
	assert_int_equal(test_stats(f->c, "F").flow, USD(9950));
	/* nothing left to collect: not an error, nothing moves */
	assert_int_equal(capital_collect_profits(f->c, "A", f->err, sizeof f->err), 0);
	assert_int_equal(test_stats(f->c, "A").cash, USD(900));
	/* the farm: B's 20 comes up, the farm itself has no profit of its own */
	assert_int_equal(capital_collect_profits(f->c, "F", f->err, sizeof f->err), 0);
	assert_int_equal(test_stats(f->c, "B").cash, USD(500));
	assert_int_equal(test_stats(f->c, "master").cash, USD(70));
	assert_int_equal(test_stats(f->c, "F").cash, USD(8500));
	assert_int_equal(capital_collect_profits(f->c, "master", f->err, sizeof f->err), TH_ERR_INVALID);
	assert_int_equal(capital_collect_profits(f->c, "nobody", f->err, sizeof f->err), TH_ERR_NOT_FOUND);
	/* farm-level profit: an agent hands cash back above its allocation */
	alloc(f, "A", "F", USD(900)); /* A's allocated drops to 100 */
	assert_int_equal(capital_collect_profits(f->c, "F", f->err, sizeof f->err), 0);
	assert_int_equal(test_stats(f->c, "master").cash, USD(70)); /* still no profit at farm level */
	assert_capital_ok(f->c);
}

static void test_curves_flows_and_drawdown(void **state)
{
	fx *f = *state;
	add_farm(f, "F");
	add_agent(f, "A", "F");
	assert_int_equal(capital_deposit(f->c, USD(1000)), 0);
	alloc(f, "master", "F", USD(1000));
	alloc(f, "F", "A", USD(1000));
	th_instrument in = test_instrument("sim", "BTCUSDT", "BTC", 2, 3);
	assert_int_equal(capital_snapshot_equity(f->c, 10), 0);
	assert_int_equal(capital_reserve(f->c, "A", "b", &in, TH_SIDE_BUY, 10000, 10000, 0, 0, f->err, sizeof f->err), 0);
	th_fill fl = test_fill(&in, "b", TH_SIDE_BUY, 10000, 10000, 0, "USDT");
	assert_int_equal(capital_fill(f->c, "b", &fl, 0, f->err, sizeof f->err), 0);
	capital_mark(f->c, "sim", "BTCUSDT", 9000, 2, 20); /* 10 x 90 = 900 */
	assert_int_equal(capital_snapshot_equity(f->c, 20), 0);
	capital_stats a = test_stats(f->c, "A");
	assert_int_equal(a.nav, 900000000);
	assert_int_equal(a.max_drawdown_bps, 1000);
	assert_int_equal(a.max_drawdown, USD(100));
	/* new money is not performance: +1000 in, mark 99 -> equity 1990 */
	assert_int_equal(capital_deposit(f->c, USD(1000)), 0);
	alloc(f, "master", "F", USD(1000));
	alloc(f, "F", "A", USD(1000));
	capital_mark(f->c, "sim", "BTCUSDT", 9900, 2, 30);
	int64_t live;
	assert_int_equal(capital_nav_live(f->c, "A", &live), 0);
	assert_int_equal(live, 990000000); /* 0.9 x (1990 - 1000) / 900 */
	assert_int_equal(capital_snapshot_equity(f->c, 30), 0);
	a = test_stats(f->c, "A");
	assert_int_equal(a.equity, USD(1990));
	assert_int_equal(a.nav, 990000000);
	assert_int_equal(a.max_drawdown_bps, 1000);
	assert_int_equal(a.max_drawdown, USD(100));
	capital_stats fm = test_stats(f->c, "F");
	assert_int_equal(fm.nav, 990000000); /* the farm saw the same performance */
	capital_stats t = test_stats(f->c, "total");
	assert_int_equal(t.nav, 990000000);
	assert_int_equal(t.curve_points, 3);
	capital_point pts[4];
	assert_int_equal(capital_curve(f->c, "A", 0, pts, 4), 3);
	assert_int_equal(pts[0].seq, 1);
	assert_int_equal(pts[0].t_ns, 10);
	assert_int_equal(pts[0].equity, USD(1000));
	assert_int_equal(pts[2].flow, USD(2000));
	assert_int_equal(capital_curve(f->c, "A", 2, pts, 4), 1);
	assert_int_equal(pts[0].seq, 3);
	assert_int_equal(capital_curve_seq(f->c, "A"), 3);
	/* the master's own curve: 1000 in, 1000 out to F twice */
	assert_int_equal(test_stats(f->c, "master").equity, 0);
	/* keep only 2 points: the oldest goes, seqs stay */
	assert_int_equal(capital_set_curve_limit(f->c, 2, f->err, sizeof f->err), 0);
	assert_int_equal(capital_curve(f->c, "A", 0, pts, 4), 2);
	assert_int_equal(pts[0].seq, 2);
	assert_int_equal(capital_snapshot_equity(f->c, 40), 0);
	assert_int_equal(capital_curve(f->c, "A", 0, pts, 4), 2);
	assert_int_equal(pts[1].seq, 4);
	assert_int_equal(capital_set_curve_limit(f->c, 1, f->err, sizeof f->err), TH_ERR_INVALID);
	assert_capital_ok(f->c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_names_and_edges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rebalance_fixed_and_tied_capital, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rebalance_equal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rebalance_sharpe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rebalance_inverse_vol, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rebalance_perf_too_little_history, setup, teardown),
		cmocka_unit_test_setup_teardown(test_collect_profits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_curves_flows_and_drawdown, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
