/* Unit tests of the alligator agent: shifted lines and fractals, fractal and
 * AO confirmations, exits when the lines cross back, shorts, warm-up, bad
 * parameters, determinism, an independent oracle on a random walk, and hot
 * reload. Small periods (jaw 5/3, teeth 3/2, lips 2/1, AO 2/4) keep the
 * scripted paths short; the values quoted in comments were computed with
 * th_ta_smma_batch / th_ta_sma_batch. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <tradehost/th_ta.h>

#include "alligator_lines.h"
#include "kit_pat_rig.h"

#define BAR_VOL 10000

static const char *const fractal_cfg[] = { "jaw_period", "5", "jaw_shift", "3", "teeth_period", "3", "teeth_shift",
	"2", "lips_period", "2", "lips_shift", "1", "confirm", "\"fractal\"", "qty", "\"0.05\"", "tick", "\"0.01\"",
	"lot", "\"0.0001\"", NULL };
static const char *const ao_cfg[] = { "jaw_period", "5", "jaw_shift", "3", "teeth_period", "3", "teeth_shift", "2",
	"lips_period", "2", "lips_shift", "1", "confirm", "\"ao\"", "ao_fast", "2", "ao_slow", "4", "qty", "\"0.05\"",
	"tick", "\"0.01\"", "lot", "\"0.0001\"", NULL };

typedef struct hlc {
	th_price h, l, c;
} hlc;

/* Flat at 100, a climb (lines fan out up from bar 14), an up fractal at bar 18
 * (high 109.00, confirmed on bar 20 with the teeth at 105.13), the close 110.00
 * of bar 21 breaks it, then a crash: on bar 25 lips 109.17 < teeth 109.32. */
static const hlc rally[] = {
	{ 10100, 9900, 10000 }, { 10100, 9900, 10000 }, { 10100, 9900, 10000 }, { 10100, 9900, 10000 },
	{ 10100, 9900, 10000 }, { 10100, 9900, 10000 }, { 10100, 9900, 10000 }, { 10100, 9900, 10000 },
	{ 10100, 9900, 10000 }, { 10100, 9900, 10000 }, { 10100, 9900, 10000 }, { 10100, 9900, 10000 },
	{ 10150, 10000, 10100 }, { 10250, 10100, 10200 }, { 10350, 10200, 10300 }, { 10450, 10300, 10400 },
	{ 10550, 10400, 10500 }, { 10650, 10500, 10600 }, { 10900, 10600, 10800 }, { 10850, 10650, 10700 },
	{ 10800, 10600, 10650 }, { 11050, 10700, 11000 }, { 11150, 10950, 11100 }, { 11250, 11050, 11200 },
	{ 11200, 10400, 10500 }, { 10500, 9900, 10000 }, { 10000, 9500, 9600 }, { 9700, 9400, 9500 },
};
#define RALLY_N (sizeof rally / sizeof rally[0])

static const th_plugin_desc *plugin(void)
{
	return th_plugin_entry_v1();
}

static void bar(pt_run *r, const hlc *b, int mirror)
{
	/* the mirror image around 100.00 turns the rally into a sell-off */
	th_price h = mirror ? 20000 - b->l : b->h, l = mirror ? 20000 - b->h : b->l, c = mirror ? 20000 - b->c : b->c;
	th_price o = r->last_close ? r->last_close : c;
	if (o > h)
		o = h;
	if (o < l)
		o = l;
	pt_bar(r, o, h, l, c, BAR_VOL);
}

/* Feed bars [from, to) of a path; returns the bar index of each new intent in at[]. */
static void feed(pt_run *r, const hlc *p, size_t from, size_t to, int mirror, size_t *at, size_t *nat)
{
	for (size_t i = from; i < to; i++) {
		size_t before = pt_intents(r);
		bar(r, &p[i], mirror);
		for (size_t k = before; k < pt_intents(r); k++)
			if (at)
				at[(*nat)++] = i;
	}
}

/* --- lines and fractals on their own --- */

static void test_line_is_shifted_smma(void **state)
{
	(void)state;
	double in[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 }, smma[12] = { 0 };
	assert_int_equal(th_ta_smma_batch(in, 12, 3, smma), TH_TA_OK);
	allig_line l;
	assert_int_equal(allig_line_init(&l, 3, 2, NULL), TH_TA_OK);
	for (int i = 0; i < 12; i++) {
		double v = -1;
		int rc = allig_line_update(&l, in[i], &v);
		if (i < 2 + 2) {
			assert_int_equal(rc, 0); /* SMMA(3) is ready at index 2, then 2 bars of shift */
		} else {
			assert_int_equal(rc, 1);
			assert_true(v == smma[i - 2]); /* bit-identical: the value of 2 bars ago */
		}
	}
	th_ta_error err;
	assert_int_equal(allig_line_init(&l, 3, ALLIGATOR_MAX_SHIFT + 1, &err), TH_TA_EPARAM);
	assert_non_null(strstr(err.msg, "shift"));
}

static void test_fractals(void **state)
{
	(void)state;
	allig_fractals f;
	memset(&f, 0, sizeof f);
	th_price h[] = { 100, 105, 110, 104, 103, 103, 108, 103, 103 };
	th_price l[] = { 90, 88, 95, 85, 89, 89, 89, 89, 89 };
	int got[9];
	th_price up[9] = { 0 }, down[9] = { 0 };
	for (int i = 0; i < 9; i++)
		got[i] = allig_fractals_update(&f, h[i], l[i], &up[i], &down[i]);
	for (int i = 0; i < 4; i++)
		assert_int_equal(got[i], 0);
	assert_int_equal(got[4], ALLIG_FRACTAL_UP); /* bar 2's high 110 above two bars each side */
	assert_int_equal(up[4], 110);
	assert_int_equal(got[5], ALLIG_FRACTAL_DOWN); /* bar 3's low 85 */
	assert_int_equal(down[5], 85);
	assert_int_equal(got[6], 0);
	assert_int_equal(got[7], 0);
	assert_int_equal(got[8], ALLIG_FRACTAL_UP); /* bar 6's 108; equal lows 89 make no down fractal */
	assert_int_equal(up[8], 108);
}

/* --- the plugin --- */

static void test_fractal_breakout_in_fanned_lines_buys_and_cross_back_sells(void **state)
{
	(void)state;
	pt_run r;
	size_t at[8], n = 0;
	pt_start(&r, plugin(), fractal_cfg);
	feed(&r, rally, 0, RALLY_N, 0, at, &n);
	assert_int_equal(n, 2);
	assert_int_equal(at[0], 21);
	assert_int_equal(at[1], 25);
	const th_intent *buy = pt_intent(&r, 0), *sell = pt_intent(&r, 1);
	assert_int_equal(buy->order.side, TH_SIDE_BUY);
	assert_int_equal(buy->order.type, TH_ORDER_LIMIT);
	assert_int_equal(buy->order.price, 11055); /* 110.00 x 1.005 */
	assert_int_equal(buy->order.qty, 500);
	assert_int_equal(sell->order.side, TH_SIDE_SELL);
	assert_int_equal(sell->order.type, TH_ORDER_MARKET);
	assert_int_equal(sell->order.qty, 500);
	const char *why = pt_message(&r, "decision", 0);
	assert_non_null(strstr(why, "Alligator eats up (lips 106.91, teeth 105.92, jaw 103.79"));
	assert_non_null(strstr(why, "close broke the up fractal at 109.00"));
	why = pt_message(&r, "decision", 1);
	assert_non_null(strstr(why, "crossed back (lips 109.17, teeth 109.32, jaw 106.72)"));
	assert_non_null(strstr(why, "sell to flat 0.0500"));
	pt_finish(&r);
}

static void test_ao_confirmation_waits_for_the_fan(void **state)
{
	(void)state;
	pt_run r;
	size_t at[8], n = 0;
	pt_start(&r, plugin(), ao_cfg);
	/* AO is positive and rising from bar 12, but the lines fan out only on bar 14 */
	feed(&r, rally, 0, RALLY_N, 0, at, &n);
	assert_int_equal(n, 2);
	assert_int_equal(at[0], 14);
	assert_int_equal(at[1], 25);
	const char *why = pt_message(&r, "decision", 0);
	assert_non_null(strstr(why, "AO 0.9375 above zero and rising"));
	assert_null(strstr(why, "fractal"));
	pt_finish(&r);
}

static void test_short_side_and_allow_short(void **state)
{
	(void)state;
	pt_run r;
	size_t at[8], n = 0;
	pt_start(&r, plugin(), fractal_cfg);
	feed(&r, rally, 0, RALLY_N, 1, at, &n);
	assert_int_equal(n, 2);
	assert_int_equal(at[0], 21);
	assert_int_equal(at[1], 25);
	assert_int_equal(pt_intent(&r, 0)->order.side, TH_SIDE_SELL);
	assert_int_equal(pt_intent(&r, 0)->order.price, 8955); /* 90.00 x 0.995, rounded down */
	assert_int_equal(pt_intent(&r, 1)->order.side, TH_SIDE_BUY);
	assert_int_equal(pt_intent(&r, 1)->order.qty, 500);
	assert_non_null(strstr(pt_message(&r, "decision", 0), "close broke the down fractal at 91.00"));
	assert_non_null(strstr(pt_message(&r, "decision", 1), "buy to cover 0.0500"));
	pt_finish(&r);

	const char *cfg[40];
	size_t k = 0;
	for (; fractal_cfg[k]; k++)
		cfg[k] = fractal_cfg[k];
	cfg[k++] = "allow_short";
	cfg[k++] = "false";
	cfg[k] = NULL;
	pt_start(&r, plugin(), cfg);
	feed(&r, rally, 0, RALLY_N, 1, NULL, NULL);
	assert_int_equal(pt_intents(&r), 0);
	pt_finish(&r);
}

static void test_fanned_lines_without_confirmation_do_not_trade(void **state)
{
	(void)state;
	pt_run r;
	pt_start(&r, plugin(), fractal_cfg);
	/* the climb of the rally without its pullback: fanned out, but no fractal to break */
	feed(&r, rally, 0, 18, 0, NULL, NULL);
	for (th_price c = 10700; c < 12000; c += 100)
		pt_bar(&r, c - 100, c + 50, c - 100, c, BAR_VOL);
	assert_int_equal(pt_intents(&r), 0);
	const th_strategy_api *s = r.desc->kind_api;
	char buf[256];
	assert_int_equal(s->explain(r.inst, buf, sizeof buf), TH_OK);
	assert_non_null(strstr(buf, "eating up"));
	pt_finish(&r);
}

static void test_warm_up_gives_no_signal(void **state)
{
	(void)state;
	/* an up fractal (bar 2) broken on bar 5, all before the jaw exists (bar 7) */
	static const hlc early[] = { { 10100, 9900, 10000 }, { 10200, 10000, 10100 }, { 10500, 10100, 10400 },
		{ 10400, 10200, 10300 }, { 10300, 10100, 10200 }, { 10700, 10300, 10600 }, { 10800, 10500, 10700 },
		{ 10900, 10600, 10800 } };
	pt_run r;
	pt_start(&r, plugin(), fractal_cfg);
	feed(&r, early, 0, sizeof early / sizeof early[0], 0, NULL, NULL);
	assert_int_equal(pt_intents(&r), 0);
	pt_finish(&r);
	/* default periods (13/8, 8/5, 5/3): the whole rally is shorter than the warm-up it needs */
	static const char *const defaults[] = { "qty", "\"0.05\"", NULL };
	pt_start(&r, plugin(), defaults);
	feed(&r, rally, 0, 20, 0, NULL, NULL);
	assert_int_equal(pt_intents(&r), 0);
	const th_strategy_api *s = r.desc->kind_api;
	char buf[256];
	assert_int_equal(s->explain(r.inst, buf, sizeof buf), TH_OK);
	assert_non_null(strstr(buf, "warming up"));
	pt_finish(&r);
}

static void test_bad_parameters_refused(void **state)
{
	(void)state;
	static const pt_bad cases[] = {
		{ "teeth_period", "13", "'teeth_period' must be smaller than jaw_period" },
		{ "lips_period", "8", "'lips_period' must be smaller than teeth_period" },
		{ "jaw_period", "1", "'jaw_period'" },
		{ "jaw_shift", "65", "'jaw_shift'" },
		{ "ao_slow", "5", "'ao_slow' must be greater than ao_fast" },
		{ "ao_fast", "0", "'ao_fast'" },
		{ "confirm", "\"macd\"", "'confirm' must be \"fractal\", \"ao\", \"either\" or \"both\"" },
		{ "qty", "\"-1\"", "'qty'" },
	};
	pt_refused_each(plugin(), cases, sizeof cases / sizeof cases[0]);
}

/* A seeded random walk: no clock, no rand(). */
#define WALK_N 400
static void walk(hlc *p, uint64_t seed)
{
	th_price c = 10000;
	for (size_t i = 0; i < WALK_N; i++) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		int step = (int)((seed >> 33) % 161) - 78; /* -78..82 cents: a slight drift up */
		th_price o = c;
		c += step;
		if (c < 1000)
			c = 1000;
		th_price wick = (th_price)((seed >> 20) % 60);
		p[i].h = (o > c ? o : c) + wick;
		p[i].l = (o < c ? o : c) - wick / 2;
		p[i].c = c;
	}
}

static void test_deterministic(void **state)
{
	(void)state;
	hlc p[WALK_N];
	walk(p, 11);
	pt_run a, b;
	pt_start(&a, plugin(), fractal_cfg);
	pt_start(&b, plugin(), fractal_cfg);
	feed(&a, p, 0, WALK_N, 0, NULL, NULL);
	feed(&b, p, 0, WALK_N, 0, NULL, NULL);
	assert_true(pt_intents(&a) >= 4);
	assert_int_equal(pt_intents(&a), pt_intents(&b));
	for (size_t i = 0; i < pt_intents(&a); i++)
		assert_memory_equal(pt_intent(&a, i), pt_intent(&b, i), sizeof(th_intent));
	/* every intent comes with its decision */
	assert_int_equal(pt_messages(&a, "decision"), pt_intents(&a));
	pt_finish(&a);
	pt_finish(&b);
}

/* The AO rules recomputed independently from th_ta batch outputs must give
 * the agent's decisions bar for bar. */
static void test_ao_rules_match_an_oracle(void **state)
{
	(void)state;
	static hlc p[WALK_N];
	static double med[WALK_N], jaw[WALK_N], teeth[WALK_N], lips[WALK_N], f[WALK_N], s[WALK_N];
	walk(p, 5);
	for (size_t i = 0; i < WALK_N; i++)
		med[i] = th_ta_price(p[i].h, 2) / 2.0 + th_ta_price(p[i].l, 2) / 2.0;
	assert_int_equal(th_ta_smma_batch(med, WALK_N, 5, jaw), TH_TA_OK);
	assert_int_equal(th_ta_smma_batch(med, WALK_N, 3, teeth), TH_TA_OK);
	assert_int_equal(th_ta_smma_batch(med, WALK_N, 2, lips), TH_TA_OK);
	assert_int_equal(th_ta_sma_batch(med, WALK_N, 2, f), TH_TA_OK);
	assert_int_equal(th_ta_sma_batch(med, WALK_N, 4, s), TH_TA_OK);
	size_t want_at[WALK_N], want_side[WALK_N], nwant = 0;
	int pos = 0;
	for (size_t i = 4 + 3; i < WALK_N; i++) {
		double J = jaw[i - 3], T = teeth[i - 2], L = lips[i - 1];
		int up = L > T && T > J, down = L < T && T < J;
		double ao = f[i] - s[i], prev = f[i - 1] - s[i - 1];
		if ((pos > 0 && !up) || (pos < 0 && !down)) {
			want_side[nwant] = pos > 0 ? TH_SIDE_SELL : TH_SIDE_BUY;
			want_at[nwant++] = i;
			pos = 0;
		} else if (pos == 0 && up && ao > 0 && ao > prev) {
			want_side[nwant] = TH_SIDE_BUY;
			want_at[nwant++] = i;
			pos = 1;
		} else if (pos == 0 && down && ao < 0 && ao < prev) {
			want_side[nwant] = TH_SIDE_SELL;
			want_at[nwant++] = i;
			pos = -1;
		}
	}
	assert_true(nwant >= 6);
	pt_run r;
	size_t at[WALK_N], n = 0;
	pt_start(&r, plugin(), ao_cfg);
	feed(&r, p, 0, WALK_N, 0, at, &n);
	assert_int_equal(n, nwant);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(at[i], want_at[i]);
		assert_int_equal(pt_intent(&r, i)->order.side, want_side[i]);
	}
	pt_finish(&r);
}

static void test_hot_reload_keeps_lines_position_and_ao(void **state)
{
	(void)state;
	static hlc p[WALK_N];
	walk(p, 5);
	pt_run whole, first, second;
	size_t at_whole[WALK_N], nw = 0, at_second[WALK_N], ns = 0;
	pt_start(&whole, plugin(), ao_cfg);
	feed(&whole, p, 0, WALK_N, 0, at_whole, &nw);

	pt_start(&first, plugin(), ao_cfg);
	feed(&first, p, 0, WALK_N / 2, 0, NULL, NULL);
	size_t before = pt_intents(&first);
	pt_init(&second, plugin(), ao_cfg);
	assert_int_equal(pt_create(&second), TH_OK);
	assert_int_equal(pt_handover(&first, &second), TH_OK);
	assert_int_equal(second.desc->start(second.inst), TH_OK);
	second.last_close = first.last_close;
	second.t_ns = first.t_ns;
	feed(&second, p, WALK_N / 2, WALK_N, 0, at_second, &ns);
	/* the new generation continues exactly where the old one was */
	assert_true(ns > 0);
	assert_int_equal(before + ns, nw);
	for (size_t i = 0; i < ns; i++) {
		assert_int_equal(at_second[i], at_whole[before + i]);
		assert_memory_equal(pt_intent(&second, i), pt_intent(&whole, before + i), sizeof(th_intent));
	}
	pt_finish(&whole);
	pt_finish(&first);
	pt_finish(&second);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_is_shifted_smma),
		cmocka_unit_test(test_fractals),
		cmocka_unit_test(test_fractal_breakout_in_fanned_lines_buys_and_cross_back_sells),
		cmocka_unit_test(test_ao_confirmation_waits_for_the_fan),
		cmocka_unit_test(test_short_side_and_allow_short),
		cmocka_unit_test(test_fanned_lines_without_confirmation_do_not_trade),
		cmocka_unit_test(test_warm_up_gives_no_signal),
		cmocka_unit_test(test_bad_parameters_refused),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_ao_rules_match_an_oracle),
		cmocka_unit_test(test_hot_reload_keeps_lines_position_and_ao),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
