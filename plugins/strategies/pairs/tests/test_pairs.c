/*
 * pairs — unit tests: the statistics on constructed series (hedge ratio,
 * Engle-Granger decision, half-life, MacKinnon values), and the plugin
 * through the fake host and fake OMS: warm-up, entry on a spread shock with
 * legs sized by the hedge ratio, exit on convergence, no trade without
 * co-integration, leg unwinding, bar alignment, bad parameters,
 * determinism, explanations, hot reload.
 *
 * Scales: price 2 digits, qty 4 digits. A ~ 164.87 (e^0.5 x B), B ~ 100.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <tradehost/tradehost.h>

#include "kit_rig.h"
#include "pairs.h"

#define SA "AAA-USDT"
#define SB "BBB-USDT"
#define W 60

static const th_plugin_desc *desc(void)
{
	return TH_ENTRY_NAME();
}

/* --------------------------------------------------------- path generator */

typedef struct gen {
	uint64_t s;
	double lb, e;     /* log B, spread residual */
	double phi;       /* AR(1) of the spread; 1 = random walk (no co-integration) */
	double beta;
} gen;

static double unif(gen *g)
{
	g->s = g->s * 6364136223846793005ULL + 1442695040888963407ULL;
	return ((double)(g->s >> 11) + 0.5) / 9007199254740992.0;
}

static double gauss(gen *g)
{
	double u = unif(g), v = unif(g);
	return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

static void gen_init(gen *g, uint64_t seed, double phi, double beta)
{
	memset(g, 0, sizeof *g);
	g->s = seed;
	g->lb = log(100.0);
	g->phi = phi;
	g->beta = beta;
}

/* next log prices */
static void gen_step(gen *g, double *la, double *lb)
{
	g->lb += 0.004 * gauss(g);
	g->e = g->phi * g->e + 0.003 * gauss(g);
	*lb = g->lb;
	*la = 0.5 + g->beta * (g->lb - log(100.0)) + log(100.0) + g->e;
}

/* ------------------------------------------------------------- statistics */

static pairs_params stat_params(void)
{
	pairs_params p;
	memset(&p, 0, sizeof p);
	p.window = 200;
	p.level = 5;
	return p;
}

static void test_stats_cointegrated(void **state)
{
	(void)state;
	gen g;
	double y[200], x[200], scratch[200];
	gen_init(&g, 7, 0.5, 1.3);
	for (int i = 0; i < 200; i++)
		gen_step(&g, &y[i], &x[i]);
	pairs_params p = stat_params();
	pairs_fit f;
	pairs_fit_window(y, x, 200, &p, scratch, &f);
	assert_true(f.ok);
	assert_true(f.coint);
	assert_true(fabs(f.beta - 1.3) < 0.1);
	assert_true(f.adf_t < f.adf_crit);
	assert_true(f.half_life > 0.5 && f.half_life < 3); /* phi 0.5: 1 bar */
	assert_true(fabs(f.phi - 0.5) < 0.15);
}

static void test_stats_random_walks_refused(void **state)
{
	(void)state;
	gen g;
	double y[200], x[200], scratch[200];
	pairs_params p = stat_params();
	int passed = 0;
	/* the spread is itself a random walk: the check must refuse (nearly always) */
	for (uint64_t seed = 1; seed <= 20; seed++) {
		gen_init(&g, seed, 1.0, 1.0);
		for (int i = 0; i < 200; i++)
			gen_step(&g, &y[i], &x[i]);
		pairs_fit f;
		pairs_fit_window(y, x, 200, &p, scratch, &f);
		assert_true(f.ok);
		passed += f.coint;
		if (!f.coint)
			assert_non_null(strstr(f.why, "co-integration") ? f.why : (strstr(f.why, "half-life") ? f.why : NULL));
	}
	assert_true(passed <= 3); /* a 5 % test: a couple of false positives at most */
}

static void test_stats_degenerate_inputs(void **state)
{
	(void)state;
	double y[50], x[50], scratch[50];
	pairs_params p = stat_params();
	pairs_fit f;
	for (int i = 0; i < 50; i++) {
		x[i] = 4.6;           /* B never moves */
		y[i] = 5.0 + 0.001 * i;
	}
	pairs_fit_window(y, x, 50, &p, scratch, &f);
	assert_false(f.ok);
	assert_false(f.coint);
	for (int i = 0; i < 50; i++) {
		x[i] = 4.6 + 0.01 * i;
		y[i] = 1.0 + 2.0 * x[i]; /* exact line: no spread at all */
	}
	pairs_fit_window(y, x, 50, &p, scratch, &f);
	assert_false(f.ok);
	assert_true(isfinite(f.z));
}

static void test_mackinnon_values(void **state)
{
	(void)state;
	assert_true(fabs(pairs_mackinnon_crit(5, 1e12) - -3.33613) < 1e-6);
	assert_true(fabs(pairs_mackinnon_crit(1, 1e12) - -3.89644) < 1e-6);
	assert_true(fabs(pairs_mackinnon_crit(10, 1e12) - -3.04445) < 1e-6);
	/* T = 100: -3.33613 - 6.1101/100 - 6.823/10000 */
	assert_true(fabs(pairs_mackinnon_crit(5, 100) - -3.3979133) < 1e-6);
}

/* ---------------------------------------------------------------- plugin */

static void base_config(fake_host *h)
{
	fake_config(h, "symbol_a", "\"" SA "\"");
	fake_config(h, "symbol_b", "\"" SB "\"");
	fake_config(h, "window", "60");
	fake_config(h, "entry_z", "2.0");
	fake_config(h, "exit_z", "1.0");
	fake_config(h, "notional", "\"1000\"");
}

static void open_rig(kit_rig *r, const char *k, const char *v)
{
	const char *const kv[] = { k, v, NULL };
	kit_rig_open(r, desc(), "pa", base_config, kv);
}

static th_price px(double logp)
{
	return (th_price)llround(exp(logp) * 100.0);
}

/* One aligned pair of bars; `shock` is added to log A. */
static void pair_bar(kit_rig *r, double la, double lb)
{
	kit_rig_bar(r, SA, px(la), 1000000);
	kit_rig_bar(r, SB, px(lb), 1000000);
	kit_rig_step(r);
}

static void run(kit_rig *r, gen *g, int n)
{
	for (int i = 0; i < n; i++) {
		double la, lb;
		gen_step(g, &la, &lb);
		pair_bar(r, la, lb);
	}
}

static const th_intent *nth(const kit_rig *r, size_t k)
{
	const th_intent *in = kit_rig_intent(r, k);
	assert_non_null(in);
	return in;
}

static void test_bad_parameters(void **state)
{
	(void)state;
	static const struct {
		const char *key, *lit, *needle;
	} cases[] = {
		{ "symbol_b", "\"" SA "\"", "'symbol_b'" },
		{ "exit_z", "2.5", "'exit_z'" },
		{ "exit_z", "2.0", "'exit_z'" },
		{ "stop_z", "1.5", "'stop_z'" },
		{ "significance", "\"2%\"", "'significance'" },
		{ "window", "10", "'window'" },
		{ "window", "1001", "'window'" },
		{ "notional", "\"0\"", "'notional'" },
		{ "entry_z", "0", "'entry_z'" },
		{ "max_half_life", "-1", "'max_half_life'" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *const kv[] = { cases[i].key, cases[i].lit, NULL };
		kit_rig_refused(desc(), "pa", base_config, kv, cases[i].needle);
	}
	kit_rig r;
	kit_rig_init(&r, desc(), "pa");
	fake_config(&r.h, "symbol_b", "\"" SB "\"");
	assert_true(kit_rig_start(&r) < 0);
	assert_non_null(strstr(r.h.error, "'symbol_a'"));
	assert_int_equal(kit_rig_close(&r), 0);
}

/* Warm-up, then a shock of +4 % on A: short the spread (sell A, buy B),
 * sized by notional and the hedge ratio; back to fair value: exit. */
static void test_entry_and_exit(void **state)
{
	(void)state;
	kit_rig r;
	gen g;
	open_rig(&r, NULL, NULL);
	gen_init(&g, 11, 0.5, 1.0);
	run(&r, &g, W - 1);
	assert_int_equal(kit_rig_intents(&r), 0);
	const th_strategy_api *s = desc()->kind_api;
	char buf[512];
	assert_int_equal(s->explain(r.inst, buf, sizeof buf), TH_OK);
	assert_non_null(strstr(buf, "warming up (59 of 60 pairs)"));
	run(&r, &g, 5);
	assert_int_equal(kit_rig_intents(&r), 0); /* no shock, no trade */
	assert_int_equal(s->explain(r.inst, buf, sizeof buf), TH_OK);
	assert_non_null(strstr(buf, "co-integrated"));

	double la, lb;
	gen_step(&g, &la, &lb);
	th_price pa = px(la + 0.04), pb = px(lb);
	pair_bar(&r, la + 0.04, lb);
	assert_int_equal(kit_rig_intents(&r), 2);
	const th_intent *a = nth(&r, 0), *b = nth(&r, 1);
	assert_string_equal(a->order.symbol, SA);
	assert_int_equal(a->order.side, TH_SIDE_SELL);
	assert_int_equal(a->order.type, TH_ORDER_MARKET);
	assert_string_equal(b->order.symbol, SB);
	assert_int_equal(b->order.side, TH_SIDE_BUY);
	/* leg A: floor(1000 / price to the 0.0001 lot) */
	assert_int_equal(a->order.qty, (th_qty)(1000LL * 10000 * 100 / pa));
	/* leg B: about beta (~1) x 1000 / price */
	double qb = (double)b->order.qty / 10000.0, want = 1000.0 / ((double)pb / 100.0);
	assert_true(qb > 0.8 * want && qb < 1.25 * want);
	const char *d = kit_rig_last_msg(&r, "decision");
	assert_non_null(strstr(d, "enter short spread"));
	assert_non_null(strstr(d, "hedge ratio"));
	assert_non_null(strstr(d, "ADF t"));

	/* back at fair value: |z| < 1 -> both legs closed */
	g.e = 0;
	gen_step(&g, &la, &lb);
	g.e = 0;
	pair_bar(&r, la - g.e, lb);
	size_t n = kit_rig_intents(&r);
	if (n == 2) { /* allow one more bar for the refit to settle */
		gen_step(&g, &la, &lb);
		pair_bar(&r, la - g.e, lb);
		n = kit_rig_intents(&r);
	}
	assert_int_equal(n, 4);
	assert_int_equal(nth(&r, 2)->order.side, TH_SIDE_BUY); /* buy back A */
	assert_int_equal(nth(&r, 2)->order.qty, a->order.qty);
	assert_int_equal(nth(&r, 3)->order.side, TH_SIDE_SELL);
	assert_int_equal(nth(&r, 3)->order.qty, b->order.qty);
	assert_non_null(strstr(kit_rig_last_msg(&r, "decision"), "converged"));
	assert_int_equal(kit_rig_close(&r), 0);
}

/* The same shock on a pair whose spread is a random walk: no trade. */
static void test_no_trade_without_cointegration(void **state)
{
	(void)state;
	kit_rig r;
	gen g;
	open_rig(&r, NULL, NULL);
	gen_init(&g, 3, 1.0, 1.0);
	run(&r, &g, 200);
	double la, lb;
	size_t before = kit_rig_intents(&r);
	gen_step(&g, &la, &lb);
	pair_bar(&r, la + 0.06, lb);
	const th_strategy_api *s = desc()->kind_api;
	char buf[512];
	assert_int_equal(s->explain(r.inst, buf, sizeof buf), TH_OK);
	if (strstr(buf, "co-integrated"))
		fail_msg("seed 3 happens to pass the test; pick another: %s", buf);
	assert_int_equal(kit_rig_intents(&r), before);
	assert_int_equal(before, 0);
	assert_int_equal(kit_rig_close(&r), 0);
}

/* Leg B rejected: the filled leg A is unwound on the next pair. */
static void test_leg_unwind(void **state)
{
	(void)state;
	kit_rig r;
	gen g;
	open_rig(&r, NULL, NULL);
	gen_init(&g, 11, 0.5, 1.0);
	run(&r, &g, W + 4);
	r.oms.reject_next = 1;
	r.oms.reject_after = 1; /* A goes through, B is rejected */
	double la, lb;
	gen_step(&g, &la, &lb);
	pair_bar(&r, la + 0.04, lb);
	assert_int_equal(kit_rig_intents(&r), 2);
	assert_true(kit_rig_msgs_with(&r, "rejected") >= 1);
	gen_step(&g, &la, &lb);
	pair_bar(&r, la + 0.04, lb);
	assert_int_equal(kit_rig_intents(&r), 3);
	const th_intent *u = nth(&r, 2);
	assert_string_equal(u->order.symbol, SA);
	assert_int_equal(u->order.side, TH_SIDE_BUY);
	assert_int_equal(u->order.qty, nth(&r, 0)->order.qty);
	assert_non_null(strstr(kit_rig_last_msg(&r, "decision"), "unwinding"));
	assert_int_equal(kit_rig_close(&r), 0);
}

/* Only aligned bars count: a bar of A alone is dropped when B's next bar is later. */
static void test_alignment(void **state)
{
	(void)state;
	kit_rig r;
	open_rig(&r, NULL, NULL);
	kit_rig_bar(&r, SA, 16487, 1000000);
	kit_rig_step(&r); /* B never came for that time */
	kit_rig_bar(&r, SB, 10000, 1000000);
	kit_rig_bar(&r, SA, 16490, 1000000);
	kit_rig_step(&r);
	kit_rig_bar(&r, SB, 10001, 1000000);
	kit_rig_bar(&r, SA, 16491, 1000000);
	kit_rig_step(&r);
	const th_strategy_api *s = desc()->kind_api;
	char buf[512];
	assert_int_equal(s->explain(r.inst, buf, sizeof buf), TH_OK);
	assert_non_null(strstr(buf, "warming up (2 of 60 pairs)"));
	assert_int_equal(kit_rig_close(&r), 0);
}

static void test_deterministic(void **state)
{
	(void)state;
	kit_rig a, b;
	gen ga, gb;
	open_rig(&a, "exit_z", "0.5");
	open_rig(&b, "exit_z", "0.5");
	gen_init(&ga, 5, 0.6, 0.9);
	gen_init(&gb, 5, 0.6, 0.9);
	run(&a, &ga, 600);
	run(&b, &gb, 600);
	size_t n = kit_rig_intents(&a);
	assert_true(n >= 4);
	assert_int_equal(n, kit_rig_intents(&b));
	for (size_t k = 0; k < n; k++)
		assert_memory_equal(nth(&a, k), nth(&b, k), sizeof(th_intent));
	assert_int_equal(kit_rig_close(&a), 0);
	assert_int_equal(kit_rig_close(&b), 0);
}

static void test_reload_keeps_state(void **state)
{
	(void)state;
	kit_rig a, b;
	gen ga;
	open_rig(&a, "exit_z", "0.5");
	gen_init(&ga, 5, 0.6, 0.9);
	run(&a, &ga, 300);
	void *blob = NULL;
	size_t len = 0;
	assert_int_equal(desc()->export_state(a.inst, &blob, &len), TH_OK);
	kit_rig_init(&b, desc(), "pa");
	base_config(&b.h);
	fake_config(&b.h, "exit_z", "0.5");
	assert_int_equal(desc()->create(&b.h.api, fake_ctx(&b.h), &b.inst), TH_OK);
	assert_int_equal(desc()->import_state(b.inst, blob, len), TH_OK);
	a.h.api.free(fake_ctx(&a.h), blob);
	assert_int_equal(desc()->start(b.inst), TH_OK);
	b.oms = a.oms;
	b.oms.h = &b.h;
	b.oms.seen = 0;
	b.t = a.t;
	memcpy(b.last, a.last, sizeof b.last);
	gen gb = ga;
	size_t before = kit_rig_intents(&a);
	run(&a, &ga, 400);
	run(&b, &gb, 400);
	size_t n = kit_rig_intents(&b);
	assert_true(n >= 2);
	assert_int_equal(kit_rig_intents(&a) - before, n);
	for (size_t k = 0; k < n; k++)
		assert_memory_equal(nth(&a, before + k), nth(&b, k), sizeof(th_intent));
	/* a state for another pair is refused */
	kit_rig c;
	kit_rig_init(&c, desc(), "pa");
	base_config(&c.h);
	fake_config(&c.h, "symbol_b", "\"CCC-USDT\"");
	assert_int_equal(desc()->create(&c.h.api, fake_ctx(&c.h), &c.inst), TH_OK);
	assert_int_equal(desc()->export_state(b.inst, &blob, &len), TH_OK);
	assert_int_equal(desc()->import_state(c.inst, blob, len), TH_ERR_INVALID);
	assert_non_null(strstr(c.h.error, SB));
	b.h.api.free(fake_ctx(&b.h), blob);
	assert_int_equal(kit_rig_close(&a), 0);
	assert_int_equal(kit_rig_close(&b), 0);
	desc()->destroy(c.inst);
	c.inst = NULL;
	assert_int_equal(kit_rig_close(&c), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stats_cointegrated),
		cmocka_unit_test(test_stats_random_walks_refused),
		cmocka_unit_test(test_stats_degenerate_inputs),
		cmocka_unit_test(test_mackinnon_values),
		cmocka_unit_test(test_bad_parameters),
		cmocka_unit_test(test_entry_and_exit),
		cmocka_unit_test(test_no_trade_without_cointegration),
		cmocka_unit_test(test_leg_unwind),
		cmocka_unit_test(test_alignment),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_reload_keeps_state),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
