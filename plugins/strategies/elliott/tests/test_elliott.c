/* Unit tests of the elliott agent: the wave rules and ratio bands on their
 * own, then a scripted five-wave impulse and A-B-C correction through the
 * plugin (zig-zag 2 %): wave-3 and wave-5 entries, stop, target and wave-end
 * exits, a bearish wave-3 short, labels, warm-up, invalid counts, bad
 * parameters, determinism and hot reload. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "elliott_count.h"
#include "kit_pat_rig.h"

static const ew_rules rules = { .w2_min = 0.382, .w2_max = 0.786, .w3_min = 1.0, .w4_min = 0.236, .w4_max = 0.618,
	.tol = 0.05 };

static const th_plugin_desc *plugin(void)
{
	return th_plugin_entry_v1();
}

/* --- the rules on their own --- */

static void test_waves_12(void **state)
{
	(void)state;
	ew_ratios r;
	th_price ok[3] = { 100, 200, 140 }; /* wave 2 retraces 0.6 */
	assert_int_equal(ew_check_12(ok, 1, &rules, &r), EW_VALID);
	assert_true(r.r2 > 0.5999 && r.r2 < 0.6001);
	th_price beyond[3] = { 100, 200, 100 }; /* back to the start: the rule, not the band */
	assert_int_equal(ew_check_12(beyond, 1, &rules, &r), EW_W2_BEYOND_START);
	th_price beyond2[3] = { 100, 200, 90 };
	assert_int_equal(ew_check_12(beyond2, 1, &rules, &r), EW_W2_BEYOND_START);
	th_price shallow[3] = { 100, 200, 170 }; /* 0.30 < 0.382 - 0.05 */
	assert_int_equal(ew_check_12(shallow, 1, &rules, &r), EW_W2_RATIO);
	th_price tolerated[3] = { 100, 200, 166 }; /* 0.34: inside the band widened by 0.05 */
	assert_int_equal(ew_check_12(tolerated, 1, &rules, &r), EW_VALID);
	th_price deep[3] = { 100, 200, 115 }; /* 0.85 > 0.786 + 0.05 */
	assert_int_equal(ew_check_12(deep, 1, &rules, &r), EW_W2_RATIO);
	th_price flat[3] = { 100, 100, 90 };
	assert_int_equal(ew_check_12(flat, 1, &rules, &r), EW_SHAPE);
	/* bearish: the mirror image */
	th_price bear[3] = { 200, 100, 160 };
	assert_int_equal(ew_check_12(bear, -1, &rules, &r), EW_VALID);
	th_price bear_beyond[3] = { 200, 100, 210 };
	assert_int_equal(ew_check_12(bear_beyond, -1, &rules, &r), EW_W2_BEYOND_START);
	assert_int_equal(ew_check_12(ok, -1, &rules, &r), EW_SHAPE);
}

static void test_waves_1234_and_impulse(void **state)
{
	(void)state;
	ew_ratios r;
	/* W1 100, W2 60 (0.6), W3 160 (1.6), W4 40 (0.25), W5 100 */
	th_price ok[6] = { 100, 200, 140, 300, 260, 360 };
	assert_int_equal(ew_check_1234(ok, 1, &rules, &r), EW_VALID);
	assert_true(r.r3 > 1.5999 && r.r3 < 1.6001);
	assert_true(r.r4 > 0.2499 && r.r4 < 0.2501);
	assert_int_equal(ew_check_impulse(ok, 1, &rules, &r), EW_VALID);
	th_price overlap[5] = { 100, 200, 140, 300, 195 }; /* wave 4 below the end of wave 1 */
	assert_int_equal(ew_check_1234(overlap, 1, &rules, &r), EW_W4_OVERLAP);
	th_price short3[5] = { 100, 200, 140, 220, 200 }; /* wave 3 = 0.8 x wave 1 */
	assert_int_equal(ew_check_1234(short3, 1, &rules, &r), EW_W3_RATIO);
	th_price not_beyond[5] = { 100, 200, 140, 195, 180 };
	assert_int_equal(ew_check_1234(not_beyond, 1, &rules, &r), EW_W3_NOT_BEYOND_W1);
	th_price deep4[5] = { 100, 200, 140, 300, 210 }; /* wave 4 = 90/160 = 0.5625 of wave 3: in the band */
	assert_int_equal(ew_check_1234(deep4, 1, &rules, &r), EW_VALID);
	th_price deeper4[5] = { 100, 200, 140, 400, 210 }; /* 0.73 of wave 3 > 0.618 + 0.05 */
	assert_int_equal(ew_check_1234(deeper4, 1, &rules, &r), EW_W4_RATIO);
	/* wave 3 the shortest: only possible within the tolerance (W3 = 0.96 x W1), then W5 longer */
	th_price shortest[6] = { 100, 200, 140, 236, 210, 320 };
	assert_int_equal(ew_check_1234(shortest, 1, &rules, &r), EW_VALID);
	assert_int_equal(ew_check_impulse(shortest, 1, &rules, &r), EW_W3_SHORTEST);
	th_price bear[6] = { 360, 260, 300, 140, 180, 80 };
	assert_int_equal(ew_check_impulse(bear, -1, &rules, &r), EW_VALID);
}

static void test_abc(void **state)
{
	(void)state;
	ew_ratios r;
	th_price ok[4] = { 1265, 1180, 1225, 1130 }; /* A 85, B 0.53, C 95 = 1.12 x A */
	assert_int_equal(ew_check_abc(ok, 1, 0.05, &r), EW_VALID);
	assert_true(r.rb > 0.529 && r.rb < 0.53);
	th_price b_beyond[4] = { 1265, 1180, 1270, 1130 };
	assert_int_equal(ew_check_abc(b_beyond, 1, 0.05, &r), EW_B_BEYOND_A_START);
	th_price c_short[4] = { 1265, 1180, 1225, 1190 };
	assert_int_equal(ew_check_abc(c_short, 1, 0.05, &r), EW_C_NOT_BEYOND_A);
	th_price c_long[4] = { 1265, 1180, 1225, 1000 }; /* 2.6 x A */
	assert_int_equal(ew_check_abc(c_long, 1, 0.05, &r), EW_C_RATIO);
	th_price b_small[4] = { 1265, 1180, 1190, 1100 }; /* 0.12 x A */
	assert_int_equal(ew_check_abc(b_small, 1, 0.05, &r), EW_B_RATIO);
	assert_string_equal(ew_verdict_text(EW_W4_OVERLAP), "wave 4 entered wave 1's price territory");
}

/* --- the plugin on a scripted path (prices in cents, zig-zag 2 %) ---
 * P0 99.50 (bar 0) -> P1 110.50 (bar 10) -> P2 104.00 (bar 14, confirmed 16)
 * -> break of 110.50 on bar 19 (wave-3 long) -> P3 120.50 (bar 24, confirmed 25)
 * -> P4 115.00 (bar 27, confirmed 29: wave-5 long) -> target 126.00 hit on bar 33
 * -> P5 126.50 (confirmed 34: impulse) -> A 118 (37) -> B 122.50 (39: bearish 1-2)
 * -> close 116.50 < 118 on bar 40 (wave-3 short) -> C 113 (confirmed 42: A-B-C, cover). */
typedef struct hlc {
	th_price h, l, c;
} hlc;

static const hlc wave_path[] = {
	{ 10050, 9950, 10000 }, { 10150, 10050, 10100 }, { 10250, 10150, 10200 }, { 10350, 10250, 10300 },
	{ 10450, 10350, 10400 }, { 10550, 10450, 10500 }, { 10650, 10550, 10600 }, { 10750, 10650, 10700 },
	{ 10850, 10750, 10800 }, { 10950, 10850, 10900 }, { 11050, 10950, 11000 },                /* 10: P1 */
	{ 11000, 10800, 10850 }, { 10850, 10650, 10700 }, { 10700, 10500, 10550 }, { 10550, 10400, 10450 }, /* 14: P2 */
	{ 10550, 10420, 10520 }, { 10650, 10500, 10620 },                                         /* 16: P2 confirmed */
	{ 10800, 10600, 10780 }, { 11000, 10750, 10980 }, { 11150, 10950, 11100 },                /* 19: wave-3 buy */
	{ 11300, 11050, 11250 }, { 11500, 11200, 11450 }, { 11700, 11400, 11650 }, { 11950, 11600, 11900 },
	{ 12050, 11850, 12000 },                                                                  /* 24: P3 */
	{ 12000, 11750, 11800 },                                                                  /* 25: P3 confirmed, sell */
	{ 11850, 11600, 11650 }, { 11700, 11500, 11550 },                                         /* 27: P4 */
	{ 11650, 11520, 11630 }, { 11780, 11600, 11750 },                                         /* 29: wave-5 buy */
	{ 11950, 11700, 11900 }, { 12150, 11850, 12100 }, { 12400, 12050, 12350 },
	{ 12650, 12300, 12600 },                                                                  /* 33: target, sell */
	{ 12600, 12250, 12300 },                                                                  /* 34: P5 confirmed */
	{ 12350, 12000, 12050 }, { 12100, 11800, 11850 },                                         /* 36: A */
	{ 12050, 11850, 12020 }, { 12250, 12000, 12200 },                                         /* 38: B */
	{ 12200, 11950, 12000 },                                                                  /* 39: B confirmed */
	{ 12050, 11600, 11650 },                                                                  /* 40: wave-3 short */
	{ 11700, 11300, 11350 },                                                                  /* 41: C */
	{ 11550, 11350, 11530 },                                                                  /* 42: C confirmed, cover */
};
#define WAVE_N (sizeof wave_path / sizeof wave_path[0])

static const char *const cfg[] = { "zigzag_pct", "2.0", "qty", "\"0.05\"", "tick", "\"0.01\"", "lot", "\"0.0001\"",
	NULL };

static void feed(pt_run *r, const hlc *p, size_t from, size_t to, size_t *at, size_t *nat)
{
	for (size_t i = from; i < to; i++) {
		size_t before = pt_intents(r);
		th_price o = r->last_close ? r->last_close : p[i].c;
		if (o > p[i].h)
			o = p[i].h;
		if (o < p[i].l)
			o = p[i].l;
		pt_bar(r, o, p[i].h, p[i].l, p[i].c, 10000);
		for (size_t k = before; k < pt_intents(r); k++)
			if (at)
				at[(*nat)++] = i;
	}
}

/* base + one more key/value pair, into out (NULL-terminated). */
static void with(const char *const *base, const char *key, const char *value, const char **out)
{
	size_t k = 0;
	for (; base[k]; k++)
		out[k] = base[k];
	out[k++] = key;
	out[k++] = value;
	out[k] = NULL;
}

static void test_impulse_trades_wave3_wave5_and_short(void **state)
{
	(void)state;
	pt_run r;
	size_t at[16], n = 0;
	pt_start(&r, plugin(), cfg);
	feed(&r, wave_path, 0, WAVE_N, at, &n);
	static const size_t want_at[] = { 19, 25, 29, 33, 40, 42 };
	static const uint32_t want_side[] = { TH_SIDE_BUY, TH_SIDE_SELL, TH_SIDE_BUY, TH_SIDE_SELL, TH_SIDE_SELL,
		TH_SIDE_BUY };
	assert_int_equal(n, 6);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(at[i], want_at[i]);
		assert_int_equal(pt_intent(&r, i)->order.side, want_side[i]);
		assert_int_equal(pt_intent(&r, i)->order.qty, 500);
	}
	/* entries are IOC limits at the close +- 0.5 %, on the tick */
	assert_int_equal(pt_intent(&r, 0)->order.price, 11156); /* 111.00 x 1.005 = 111.555 -> up */
	assert_int_equal(pt_intent(&r, 4)->order.price, 11591); /* 116.50 x 0.995 = 115.9175 -> down */
	assert_int_equal(pt_intent(&r, 1)->order.type, TH_ORDER_MARKET);

	const char *d = pt_message(&r, "decision", 0);
	assert_non_null(strstr(d, "Elliott wave-3 long: 1-2 at 99.50 110.50 104.00 (wave 2 retraced 0.591 of wave 1"));
	assert_non_null(strstr(d, "close 111.00 broke the end of wave 1 110.50; stop 104.00 (end of wave 2), target 121.80"));
	d = pt_message(&r, "decision", 1);
	assert_non_null(strstr(d, "confirmed the high pivot 120.50 that ends wave 3"));
	d = pt_message(&r, "decision", 2);
	assert_non_null(strstr(d, "Elliott wave-5 long: 1-2-3-4 at 99.50 110.50 104.00 120.50 115.00"));
	assert_non_null(strstr(d, "wave 3 = 1.500 x wave 1, wave 4 = 0.333 x wave 3"));
	assert_non_null(strstr(d, "stop 110.50 (end of wave 1), target 126.00"));
	d = pt_message(&r, "decision", 3);
	assert_non_null(strstr(d, "bar high 126.50 reached the target 126.00"));
	d = pt_message(&r, "decision", 4);
	assert_non_null(strstr(d, "Elliott wave-3 short: 1-2 at 126.50 118.00 122.50"));
	assert_non_null(strstr(d, "stop 122.50 (end of wave 2), target 108.75"));
	d = pt_message(&r, "decision", 5);
	assert_non_null(strstr(d, "confirmed the low pivot 113.00 that ends wave 3"));
	assert_non_null(strstr(d, "buy to cover 0.0500"));

	/* the completed structures are labelled */
	int impulse = 0, abc = 0;
	for (size_t i = 0; i < pt_messages(&r, "explanation"); i++) {
		const char *x = pt_message(&r, "explanation", i);
		impulse += strstr(x, "bullish impulse 1-2-3-4-5 complete: 99.50 110.50 104.00 120.50 115.00 126.50") != NULL;
		abc += strstr(x, "A-B-C correction of the bullish impulse complete: from 126.50, A 118.00, B 122.50, C 113.00") !=
			NULL;
	}
	assert_int_equal(impulse, 1);
	assert_int_equal(abc, 1);
	pt_finish(&r);
}

static void test_long_only_and_wave3_only(void **state)
{
	(void)state;
	const char *c[32];
	pt_run r;
	size_t at[16], n = 0;
	with(cfg, "allow_short", "false", c);
	pt_start(&r, plugin(), c);
	feed(&r, wave_path, 0, WAVE_N, at, &n);
	assert_int_equal(n, 4); /* the short at bar 40 is gone */
	assert_int_equal(at[3], 33);
	pt_finish(&r);

	/* without wave-5 trades, the 1-2 read of P2-P3-P4 is traded as a wave 3 instead:
	 * close 121.00 > 120.50 on bar 31, out when P5 is confirmed on bar 34 */
	n = 0;
	with(cfg, "trade_wave5", "false", c);
	pt_start(&r, plugin(), c);
	feed(&r, wave_path, 0, WAVE_N, at, &n);
	static const size_t want_at[] = { 19, 25, 31, 34, 40, 42 };
	assert_int_equal(n, 6);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(at[i], want_at[i]);
	assert_non_null(strstr(pt_message(&r, "decision", 2), "1-2 at 104.00 120.50 115.00"));
	pt_finish(&r);
}

static void test_stop_at_the_invalidation_level(void **state)
{
	(void)state;
	pt_run r;
	size_t at[8], n = 0;
	pt_start(&r, plugin(), cfg);
	feed(&r, wave_path, 0, 20, at, &n); /* long from bar 19 */
	assert_int_equal(n, 1);
	pt_bar(&r, 11100, 11150, 10390, 10420, 10000); /* low 103.90 <= stop 104.00 */
	assert_int_equal(pt_intents(&r), 2);
	assert_int_equal(pt_intent(&r, 1)->order.side, TH_SIDE_SELL);
	assert_non_null(strstr(pt_message(&r, "decision", 1), "bar low 103.90 reached the stop 104.00"));
	pt_finish(&r);
}

static void test_invalid_wave2_does_not_trade(void **state)
{
	(void)state;
	hlc p[WAVE_N];
	pt_run r;
	/* wave 2 falls to 99.00, beyond the start of wave 1 (99.50) */
	memcpy(p, wave_path, sizeof p);
	p[14].l = 9900;
	p[15].l = 9920;
	pt_start(&r, plugin(), cfg);
	feed(&r, p, 0, 22, NULL, NULL);
	assert_int_equal(pt_intents(&r), 0);
	pt_finish(&r);
	/* wave 2 only 0.23 of wave 1 (low 108.00): too shallow for the band */
	memcpy(p, wave_path, sizeof p);
	static const hlc shallow[] = { { 11000, 10800, 10850 }, { 10900, 10820, 10880 }, { 11050, 10900, 11040 },
		{ 11150, 11000, 11120 }, { 11300, 11100, 11250 } };
	pt_start(&r, plugin(), cfg);
	feed(&r, p, 0, 11, NULL, NULL);
	feed(&r, shallow, 0, sizeof shallow / sizeof shallow[0], NULL, NULL);
	assert_int_equal(pt_intents(&r), 0);
	assert_int_equal(pt_messages(&r, "decision"), 0);
	pt_finish(&r);
}

static void test_warm_up_gives_no_signal(void **state)
{
	(void)state;
	pt_run r;
	pt_start(&r, plugin(), cfg);
	/* until bar 16 there are only two pivots: no count, nothing armed */
	feed(&r, wave_path, 0, 16, NULL, NULL);
	const th_strategy_api *s = r.desc->kind_api;
	char buf[400];
	assert_int_equal(s->explain(r.inst, buf, sizeof buf), TH_OK);
	assert_non_null(strstr(buf, "2 pivots"));
	assert_null(strstr(buf, "armed"));
	/* one more bar that does not yet confirm P2 (high 105.60 < 104.00 x 1.02) trades nothing */
	pt_bar(&r, 10520, 10560, 10420, 10540, 10000);
	assert_int_equal(pt_intents(&r), 0);
	pt_finish(&r);
	/* a steady climb never confirms a pivot after the first */
	pt_start(&r, plugin(), cfg);
	for (th_price c = 10000; c < 14000; c += 50)
		pt_bar(&r, c - 50, c + 10, c - 60, c, 10000);
	assert_int_equal(pt_intents(&r), 0);
	pt_finish(&r);
}

static void test_explain_shows_the_armed_setup(void **state)
{
	(void)state;
	pt_run r;
	pt_start(&r, plugin(), cfg);
	feed(&r, wave_path, 0, 17, NULL, NULL);
	const th_strategy_api *s = r.desc->kind_api;
	char buf[400];
	assert_int_equal(s->explain(r.inst, buf, sizeof buf), TH_OK);
	assert_non_null(strstr(buf, "3 pivots (L 99.50, H 110.50, L 104.00)"));
	assert_non_null(strstr(buf, "wave-3 long armed: close above 110.50, dropped at or below 99.50"));
	pt_finish(&r);
}

static void test_bad_parameters_refused(void **state)
{
	(void)state;
	static const pt_bad cases[] = {
		{ "zigzag_pct", "0", "'zigzag_pct'" },
		{ "zigzag_pct", "60", "'zigzag_pct'" },
		{ "tolerance", "0.9", "'tolerance'" },
		{ "w2_max", "0.3", "'w2_max' must be greater than w2_min" },
		{ "w4_min", "0.7", "'w4_max' must be greater than w4_min" },
		{ "w3_min", "0", "'w3_min'" },
		{ "w3_target", "-1", "'w3_target'" },
		{ "qty", "\"0\"", "'qty'" },
	};
	pt_refused_each(plugin(), cases, sizeof cases / sizeof cases[0]);
	const char *const none[] = { "trade_wave3", "false", "trade_wave5", "false", NULL };
	pt_refused(plugin(), none, "'trade_wave3' and trade_wave5 are both false");
}

#define WALK_N 1500
static void walk(hlc *p, uint64_t seed)
{
	th_price c = 10000;
	for (size_t i = 0; i < WALK_N; i++) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		int step = (int)((seed >> 33) % 121) - 60;
		th_price o = c;
		c += step;
		if (c < 2000)
			c = 2000;
		th_price wick = (th_price)((seed >> 20) % 40);
		p[i].h = (o > c ? o : c) + wick;
		p[i].l = (o < c ? o : c) - wick;
		p[i].c = c;
	}
}

static void test_deterministic_on_a_random_walk(void **state)
{
	(void)state;
	static hlc p[WALK_N];
	walk(p, 3);
	static const char *const walk_cfg[] = { "zigzag_pct", "1.0", "qty", "\"0.05\"", "tolerance", "0.1", NULL };
	pt_run a, b;
	pt_start(&a, plugin(), walk_cfg);
	pt_start(&b, plugin(), walk_cfg);
	feed(&a, p, 0, WALK_N, NULL, NULL);
	feed(&b, p, 0, WALK_N, NULL, NULL);
	assert_true(pt_intents(&a) >= 2);
	assert_int_equal(pt_intents(&a), pt_intents(&b));
	for (size_t i = 0; i < pt_intents(&a); i++)
		assert_memory_equal(pt_intent(&a, i), pt_intent(&b, i), sizeof(th_intent));
	assert_int_equal(pt_messages(&a, "decision"), pt_intents(&a));
	pt_finish(&a);
	pt_finish(&b);
}

static void test_hot_reload_mid_trade(void **state)
{
	(void)state;
	pt_run whole, first, second;
	size_t at_w[16], nw = 0, at_s[16], ns = 0;
	pt_start(&whole, plugin(), cfg);
	feed(&whole, wave_path, 0, WAVE_N, at_w, &nw);

	pt_start(&first, plugin(), cfg);
	feed(&first, wave_path, 0, 22, NULL, NULL); /* in the wave-3 long */
	assert_int_equal(pt_intents(&first), 1);
	pt_init(&second, plugin(), cfg);
	assert_int_equal(pt_create(&second), TH_OK);
	assert_int_equal(pt_handover(&first, &second), TH_OK);
	assert_int_equal(second.desc->start(second.inst), TH_OK);
	second.last_close = first.last_close;
	second.t_ns = first.t_ns;
	feed(&second, wave_path, 22, WAVE_N, at_s, &ns);
	assert_int_equal(ns, nw - 1);
	for (size_t i = 0; i < ns; i++) {
		assert_int_equal(at_s[i], at_w[i + 1]);
		assert_memory_equal(pt_intent(&second, i), pt_intent(&whole, i + 1), sizeof(th_intent));
	}
	/* changed parameters: the open trade carries over, the pivots start again */
	const char *c[32];
	pt_run third;
	with(cfg, "tolerance", "0.1", c);
	pt_init(&third, plugin(), c);
	assert_int_equal(pt_create(&third), TH_OK);
	assert_int_equal(pt_handover(&first, &third), TH_OK);
	assert_int_equal(third.desc->start(third.inst), TH_OK);
	third.last_close = first.last_close;
	third.t_ns = first.t_ns;
	pt_bar(&third, 11450, 11500, 10300, 10350, 10000); /* through the stop 104.00 */
	assert_int_equal(pt_intents(&third), 1);
	assert_int_equal(pt_intent(&third, 0)->order.side, TH_SIDE_SELL);
	assert_non_null(strstr(pt_message(&third, "decision", 0), "reached the stop 104.00"));
	pt_finish(&whole);
	pt_finish(&first);
	pt_finish(&second);
	pt_finish(&third);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_waves_12),
		cmocka_unit_test(test_waves_1234_and_impulse),
		cmocka_unit_test(test_abc),
		cmocka_unit_test(test_impulse_trades_wave3_wave5_and_short),
		cmocka_unit_test(test_long_only_and_wave3_only),
		cmocka_unit_test(test_stop_at_the_invalidation_level),
		cmocka_unit_test(test_invalid_wave2_does_not_trade),
		cmocka_unit_test(test_warm_up_gives_no_signal),
		cmocka_unit_test(test_explain_shows_the_armed_setup),
		cmocka_unit_test(test_bad_parameters_refused),
		cmocka_unit_test(test_deterministic_on_a_random_walk),
		cmocka_unit_test(test_hot_reload_mid_trade),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
