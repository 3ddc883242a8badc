/*
 * grid — unit tests through the descriptor against the fake host and the
 * fake OMS: the ladder (arithmetic, geometric), the first lay-out, exits one
 * level up after fills, re-arming after round trips, the inventory bound,
 * the short side, bad parameters, relaying after a restart (host ledger) or
 * a reload with another grid, determinism, explanations.
 *
 * Scales: price 2 digits (PX(105) = 105.00), qty 4 digits (Q(0.01) = 100).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <tradehost/tradehost.h>

#include "fake_portfolio.h"
#include "kit_rig.h"

#define SYM "SOL-USDT"
#define PX(x) ((th_price)((x) * 100.0 + 0.5))
#define Q(x) ((th_qty)((x) * 10000.0 + 0.5))

static const th_plugin_desc *desc(void)
{
	return TH_ENTRY_NAME();
}

/* 100..110 in 11 levels (step 1), qty 0.01 */
static void base_config(fake_host *h)
{
	fake_config(h, "symbol", "\"" SYM "\"");
	fake_config(h, "lower", "\"100\"");
	fake_config(h, "upper", "\"110\"");
	fake_config(h, "levels", "11");
	fake_config(h, "qty", "\"0.01\"");
}

static void open_rig(kit_rig *r, const char *k1, const char *v1, const char *k2, const char *v2)
{
	const char *const kv[] = { k1, v1, k2, v2, NULL };
	kit_rig_open(r, desc(), "gr", base_config, kv);
}

static void close_rig(kit_rig *r)
{
	assert_int_equal(kit_rig_close(r), 0);
}

/* A bar closing at `close`; the venue first fills resting orders the bar's
 * range [lo, hi] reaches. */
static void bar_range(kit_rig *r, double lo, double hi, double close)
{
	kit_oms_cross(&r->oms, SYM, PX(lo), PX(hi));
	kit_rig_bar1(r, SYM, PX(close), 1000000);
}

static void bar(kit_rig *r, double close)
{
	bar_range(r, close, close, close);
}

static size_t resting(const kit_rig *r, uint32_t side)
{
	return kit_oms_resting(&r->oms, SYM, side);
}

static int rests(const kit_rig *r, uint32_t side, double px)
{
	return kit_oms_find_resting(&r->oms, SYM, side, PX(px)) != NULL;
}

static void test_descriptor(void **state)
{
	(void)state;
	assert_string_equal(desc()->name, "grid");
	assert_int_equal(desc()->kind, TH_KIND_STRATEGY);
	size_t required = 0;
	for (const th_config_field *f = desc()->config_schema; f->key; f++)
		required += f->required;
	assert_int_equal(required, 3); /* symbol, lower, upper */
}

static void expect_refused(const char *key, const char *literal, const char *key2, const char *literal2,
	const char *needle)
{
	const char *const kv[] = { key, literal, key2, literal2, NULL };
	kit_rig_refused(desc(), "gr", base_config, kv, needle);
}

static void test_bad_parameters(void **state)
{
	(void)state;
	expect_refused("levels", "1", NULL, NULL, "at least 2 levels");
	expect_refused("levels", "0", NULL, NULL, "'levels'");
	expect_refused("levels", "201", NULL, NULL, "'levels'");
	expect_refused("lower", "\"110\"", NULL, NULL, "'lower' (110) must be below 'upper' (110)");
	expect_refused("lower", "\"120\"", NULL, NULL, "'lower'");
	expect_refused("lower", "\"0\"", NULL, NULL, "'lower'");
	expect_refused("spacing", "\"fibonacci\"", NULL, NULL, "'spacing'");
	expect_refused("upper", "\"100.05\"", NULL, NULL, "closer than one tick"); /* 11 levels in 5 ticks */
	expect_refused("qty", "\"0\"", NULL, NULL, "'qty'");
	expect_refused("qty", "\"0.00001\"", NULL, NULL, "'qty'");
	expect_refused("max_position", "\"0.005\"", NULL, NULL, "'max_position'");
	expect_refused("max_position", "\"-1\"", NULL, NULL, "'max_position'");
	expect_refused("lower", "\"abc\"", NULL, NULL, "'lower'");
	/* required keys */
	kit_rig r;
	kit_rig_init(&r, desc(), "gr");
	fake_config(&r.h, "symbol", "\"" SYM "\"");
	fake_config(&r.h, "upper", "\"110\"");
	assert_true(kit_rig_start(&r) < 0);
	assert_non_null(strstr(r.h.error, "'lower'"));
	assert_int_equal(kit_rig_close(&r), 0);
}

/* Nothing before a price is known; then buys at every level below the close. */
static void test_first_layout(void **state)
{
	(void)state;
	kit_rig r;
	open_rig(&r, NULL, NULL, NULL, NULL);
	assert_int_equal(kit_rig_intents(&r), 0);
	bar(&r, 105.5);
	/* a fresh grid first cancels whatever the agent may have left, then lays the grid */
	assert_int_equal(kit_rig_intent(&r, 0)->action, TH_INTENT_CANCEL_ALL);
	assert_string_equal(kit_rig_intent(&r, 0)->order.symbol, SYM);
	assert_int_equal(kit_rig_places(&r), 6);
	assert_int_equal(resting(&r, TH_SIDE_BUY), 6);
	assert_int_equal(resting(&r, TH_SIDE_SELL), 0); /* long only, nothing held */
	for (int p = 100; p <= 105; p++)
		assert_true(rests(&r, TH_SIDE_BUY, p));
	const th_intent *in = kit_rig_intent(&r, 1);
	assert_int_equal(in->order.type, TH_ORDER_LIMIT);
	assert_int_equal(in->order.tif, TH_TIF_GTC);
	assert_int_equal(in->order.qty, Q(0.01));
	assert_int_equal(in->order.price, PX(105)); /* nearest first */
	assert_int_equal(in->order.flags, 0);
	const char *d = kit_rig_last_msg(&r, "decision");
	assert_non_null(d);
	assert_non_null(strstr(d, "grid rule"));
	assert_non_null(strstr(d, "buy 0.01@105.00"));
	/* a quiet bar changes nothing */
	size_t n = kit_rig_intents(&r);
	bar(&r, 105.6);
	assert_int_equal(kit_rig_intents(&r), n);
	close_rig(&r);
}

static void test_round_trip_and_rearm(void **state)
{
	(void)state;
	kit_rig r;
	open_rig(&r, NULL, NULL, NULL, NULL);
	bar(&r, 105.5);
	/* a dip to 103.5 fills the buys at 105 and 104: each cell sells one level up */
	bar_range(&r, 103.5, 105.5, 104.2);
	assert_int_equal(resting(&r, TH_SIDE_BUY), 4);
	assert_true(rests(&r, TH_SIDE_SELL, 106));
	assert_true(rests(&r, TH_SIDE_SELL, 105));
	assert_int_equal(resting(&r, TH_SIDE_SELL), 2);
	assert_true(kit_rig_msgs_with(&r, "bought 0.01 at 104.00 filled -> sell 0.01@105.00") == 1);
	/* the price comes back to 106.3: both sells fill; the close re-arms buys at 106, 105, 104 */
	bar_range(&r, 104.2, 106.3, 106.3);
	assert_int_equal(resting(&r, TH_SIDE_SELL), 0);
	assert_true(rests(&r, TH_SIDE_BUY, 106));
	assert_true(rests(&r, TH_SIDE_BUY, 105));
	assert_true(rests(&r, TH_SIDE_BUY, 104));
	assert_int_equal(resting(&r, TH_SIDE_BUY), 7);
	const th_strategy_api *s = desc()->kind_api;
	char buf[512];
	assert_int_equal(s->explain(r.inst, buf, sizeof buf), TH_OK);
	assert_non_null(strstr(buf, "position 0"));
	assert_non_null(strstr(buf, "working buys 7, sells 0"));
	close_rig(&r);
}

static void test_inventory_bound(void **state)
{
	(void)state;
	kit_rig r;
	open_rig(&r, "max_position", "\"0.03\"", NULL, NULL);
	bar(&r, 105.5);
	assert_int_equal(resting(&r, TH_SIDE_BUY), 3); /* 105, 104, 103: 0.03 worst case */
	assert_true(rests(&r, TH_SIDE_BUY, 103));
	assert_false(rests(&r, TH_SIDE_BUY, 102));
	/* all three fill on a crash to 102.5: position 0.03, no new buy below */
	bar_range(&r, 102.5, 105.5, 102.6);
	assert_int_equal(resting(&r, TH_SIDE_BUY), 0);
	assert_int_equal(resting(&r, TH_SIDE_SELL), 3);
	bar(&r, 102.4);
	assert_int_equal(resting(&r, TH_SIDE_BUY), 0);
	/* one sells at 104: room for one buy again, at the nearest empty level below the close */
	bar_range(&r, 102.4, 104.1, 103.6);
	assert_int_equal(resting(&r, TH_SIDE_SELL), 2);
	assert_int_equal(resting(&r, TH_SIDE_BUY), 1);
	assert_true(rests(&r, TH_SIDE_BUY, 103));
	close_rig(&r);
}

static void test_short_side(void **state)
{
	(void)state;
	kit_rig r;
	open_rig(&r, "allow_short", "true", "post_only", "true");
	bar(&r, 105.5);
	assert_int_equal(resting(&r, TH_SIDE_BUY), 6);
	assert_int_equal(resting(&r, TH_SIDE_SELL), 4); /* cells from 106 up sell at their top: 107..110 */
	assert_true(rests(&r, TH_SIDE_SELL, 107));
	assert_true(rests(&r, TH_SIDE_SELL, 110));
	assert_false(rests(&r, TH_SIDE_SELL, 106));
	assert_int_equal(kit_rig_intent(&r, 1)->order.flags, TH_ORDER_POST_ONLY);
	/* a spike to 107.5 sells at 107: that cell buys back at 106 */
	bar_range(&r, 105.5, 107.5, 107.2);
	assert_true(rests(&r, TH_SIDE_BUY, 106));
	assert_true(kit_rig_msgs_with(&r, "sold 0.01 at 107.00 filled -> buy 0.01@106.00") == 1);
	close_rig(&r);
}

static void test_geometric_levels(void **state)
{
	(void)state;
	kit_rig r;
	kit_rig_init(&r, desc(), "gr");
	fake_config(&r.h, "symbol", "\"" SYM "\"");
	fake_config(&r.h, "lower", "\"100\"");
	fake_config(&r.h, "upper", "\"400\"");
	fake_config(&r.h, "levels", "5");
	fake_config(&r.h, "spacing", "\"geometric\"");
	assert_int_equal(kit_rig_start(&r), TH_OK);
	kit_rig_bar1(&r, SYM, PX(500), 1000000);
	/* 100 x sqrt(2)^i: 100, 141.42, 200, 282.84, 400 */
	assert_int_equal(resting(&r, TH_SIDE_BUY), 4);
	assert_true(rests(&r, TH_SIDE_BUY, 100));
	assert_true(rests(&r, TH_SIDE_BUY, 141.42));
	assert_true(rests(&r, TH_SIDE_BUY, 200));
	assert_true(rests(&r, TH_SIDE_BUY, 282.84));
	assert_int_equal(kit_rig_close(&r), 0);
}

static void test_rejection_rearmed(void **state)
{
	(void)state;
	kit_rig r;
	open_rig(&r, NULL, NULL, NULL, NULL);
	r.oms.reject_next = 1;
	bar(&r, 105.5);
	assert_int_equal(resting(&r, TH_SIDE_BUY), 5);
	assert_false(rests(&r, TH_SIDE_BUY, 105));
	assert_true(kit_rig_msgs_with(&r, "rejected") >= 1);
	bar(&r, 105.4);
	assert_true(rests(&r, TH_SIDE_BUY, 105));
	close_rig(&r);
}

/* A random-looking but fixed path through the grid. */
static void wander(kit_rig *r, int from, int to)
{
	uint32_t x = 12345;
	double p = 105;
	for (int i = 0; i < to; i++) {
		x = x * 1103515245u + 12345u;
		double step = ((double)((x >> 16) % 200) - 100) / 100.0; /* -1 .. +1 */
		double lo = p, hi = p;
		p += step;
		if (p < 98)
			p = 98;
		if (p > 112)
			p = 112;
		if (i >= from) {
			lo = lo < p ? lo : p;
			hi = hi > p ? hi : p;
			bar_range(r, lo - 0.2, hi + 0.2, p);
		}
	}
}

static void test_deterministic(void **state)
{
	(void)state;
	kit_rig a, b;
	open_rig(&a, "allow_short", "true", NULL, NULL);
	open_rig(&b, "allow_short", "true", NULL, NULL);
	wander(&a, 0, 300);
	wander(&b, 0, 300);
	size_t n = kit_rig_intents(&a);
	assert_true(a.oms.fills > 20);
	assert_int_equal(n, kit_rig_intents(&b));
	for (size_t k = 0; k < n; k++)
		assert_memory_equal(kit_rig_intent(&a, k), kit_rig_intent(&b, k), sizeof(th_intent));
	close_rig(&a);
	close_rig(&b);
}

static void start_from_blob(kit_rig *b, kit_rig *a, void *blob, size_t len, const char *k, const char *v)
{
	kit_rig_init(b, desc(), "gr");
	base_config(&b->h);
	fake_config(&b->h, "allow_short", "true");
	if (k)
		fake_config(&b->h, k, v);
	assert_int_equal(desc()->create(&b->h.api, fake_ctx(&b->h), &b->inst), TH_OK);
	int rc = desc()->import_state(b->inst, blob, len);
	if (rc != TH_OK)
		fail_msg("import failed: %s", b->h.error);
	assert_int_equal(desc()->start(b->inst), TH_OK);
	/* the same venue and OMS carry on */
	b->oms = a->oms;
	b->oms.h = &b->h;
	b->oms.seen = 0;
	b->t = a->t;
	memcpy(b->last, a->last, sizeof b->last);
}

static void test_reload_same_grid(void **state)
{
	(void)state;
	kit_rig a, b;
	open_rig(&a, "allow_short", "true", NULL, NULL);
	wander(&a, 0, 120);
	void *blob = NULL;
	size_t len = 0;
	assert_int_equal(desc()->export_state(a.inst, &blob, &len), TH_OK);
	start_from_blob(&b, &a, blob, len, NULL, NULL);
	a.h.api.free(fake_ctx(&a.h), blob);
	size_t before = kit_rig_intents(&a);
	wander(&a, 120, 300);
	wander(&b, 120, 300);
	size_t n = kit_rig_intents(&b);
	assert_true(n > 5);
	assert_int_equal(kit_rig_intents(&a) - before, n);
	for (size_t k = 0; k < n; k++)
		assert_memory_equal(kit_rig_intent(&a, before + k), kit_rig_intent(&b, k), sizeof(th_intent));
	for (size_t i = 0; i < b.h.nevents; i++)
		if (b.h.events[i].h.type == TH_EV_INTENT)
			assert_int_not_equal(b.h.events[i].u.intent.action, TH_INTENT_CANCEL_ALL); /* no relay */
	close_rig(&a);
	close_rig(&b);
}

/* Reload with other levels: cancel the old orders, keep the position, give it
 * to the new cells. */
static void test_reload_other_grid_relays(void **state)
{
	(void)state;
	kit_rig a, b;
	open_rig(&a, "allow_short", "true", NULL, NULL);
	bar(&a, 105.5);
	bar_range(&a, 103.5, 105.5, 103.7); /* buys at 105 and 104 fill: position 0.02 */
	void *blob = NULL;
	size_t len = 0;
	assert_int_equal(desc()->export_state(a.inst, &blob, &len), TH_OK);
	start_from_blob(&b, &a, blob, len, "levels", "21"); /* step 0.5 now */
	a.h.api.free(fake_ctx(&a.h), blob);
	size_t live = kit_oms_resting(&b.oms, SYM, 0);
	assert_true(live > 0);
	bar(&b, 103.8);
	assert_int_equal(kit_rig_intent(&b, 0)->action, TH_INTENT_CANCEL_ALL);
	assert_int_equal(kit_oms_resting(&b.oms, SYM, 0), 0);
	assert_int_equal(kit_rig_places(&b), 0); /* waits for the cancels */
	bar(&b, 103.8);
	/* position 0.02 goes to the cells [103.5,104] and [104,104.5]: sells at 104 and 104.5 */
	assert_true(rests(&b, TH_SIDE_SELL, 104));
	assert_true(rests(&b, TH_SIDE_SELL, 104.5));
	/* the cell holding the close owes its sell: the nearest buy is one cell lower */
	assert_false(rests(&b, TH_SIDE_BUY, 103.5));
	assert_true(rests(&b, TH_SIDE_BUY, 103));
	assert_true(kit_rig_msgs_with(&b, "laid at close 103.80 with position 0.02") == 1);
	close_rig(&a);
	close_rig(&b);
}

/* Restart: a fresh instance asks the host for its position and open orders. */
static void test_restart_takes_ledger_position(void **state)
{
	(void)state;
	kit_rig r;
	fake_portfolio pf;
	memset(&pf, 0, sizeof pf);
	kit_rig_init(&r, desc(), "gr");
	base_config(&r.h);
	fake_portfolio_attach(&r.h, &pf);
	fake_pf_position(&pf, "gr", "sim", SYM, Q(0.03), PX(104), 2, 4);
	th_order old;
	memset(&old, 0, sizeof old);
	snprintf(old.symbol, sizeof old.symbol, SYM);
	old.side = TH_SIDE_SELL;
	fake_pf_order(&pf, "gr", &old);
	assert_int_equal(kit_rig_start(&r), TH_OK);
	bar(&r, 104.5);
	assert_int_equal(kit_rig_intents(&r), 1);
	assert_int_equal(kit_rig_intent(&r, 0)->action, TH_INTENT_CANCEL_ALL);
	bar(&r, 104.5);
	assert_int_equal(kit_rig_places(&r), 0); /* the host still shows the old order */
	pf.norders = 0;                           /* the cancel went through */
	bar(&r, 104.5);
	/* 0.03 in the cells from the one holding 104.5 up: sells at 105, 106, 107 */
	assert_true(rests(&r, TH_SIDE_SELL, 105));
	assert_true(rests(&r, TH_SIDE_SELL, 106));
	assert_true(rests(&r, TH_SIDE_SELL, 107));
	assert_int_equal(resting(&r, TH_SIDE_SELL), 3);
	/* buys in the empty cells below (103 .. 100): 0.03 held + 0.04 within the bound 10 x 0.01 */
	assert_int_equal(resting(&r, TH_SIDE_BUY), 4);
	assert_true(rests(&r, TH_SIDE_BUY, 103));
	assert_false(rests(&r, TH_SIDE_BUY, 104));
	assert_true(kit_rig_msgs_with(&r, "with position 0.03") == 1);
	close_rig(&r);
}

static void test_scale_mismatch_halts(void **state)
{
	(void)state;
	kit_rig r;
	open_rig(&r, NULL, NULL, NULL, NULL);
	r.ps = 1; /* the configured tick 0.01 does not exist at 1 digit */
	kit_rig_bar1(&r, SYM, 1055, 1000000);
	kit_rig_bar1(&r, SYM, 1054, 1000000);
	assert_int_equal(kit_rig_intents(&r), 0);
	assert_int_equal(kit_rig_msgs_with(&r, "not trading"), 1);
	close_rig(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_descriptor),
		cmocka_unit_test(test_bad_parameters),
		cmocka_unit_test(test_first_layout),
		cmocka_unit_test(test_round_trip_and_rearm),
		cmocka_unit_test(test_inventory_bound),
		cmocka_unit_test(test_short_side),
		cmocka_unit_test(test_geometric_levels),
		cmocka_unit_test(test_rejection_rearmed),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_reload_same_grid),
		cmocka_unit_test(test_reload_other_grid_relays),
		cmocka_unit_test(test_restart_takes_ledger_position),
		cmocka_unit_test(test_scale_mismatch_halts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
