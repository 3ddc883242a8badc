/* Unit tests of the darvas agent: box formation, breakout with and without
 * volume, exits (box bottom, trailing box), warm-up, bad parameters,
 * determinism, explanations, risk denials and hot reload. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "darvas_box.h"
#include "kit_pat_rig.h"

#define V(x) ((th_qty)((x) * 10000)) /* volume at 4 decimals */

static const char *const base_cfg[] = { "lookback", "5", "confirm_bars", "3", "volume_period", "5", "volume_factor",
	"\"1.5\"", "qty", "\"0.05\"", "tick", "\"0.01\"", "lot", "\"0.0001\"", NULL };

typedef struct bar {
	th_price o, h, l, c;
	th_qty v;
} bar;

/* Five quiet bars, a new high at 105, a box [101, 105] confirmed on bar 11
 * (index 10), a bar inside it, then the breakout bar (index 12). */
static const bar box_path[] = {
	{ 10000, 10100, 9900, 10000, V(1) }, { 10000, 10100, 9900, 10000, V(1) }, { 10000, 10100, 9900, 10000, V(1) },
	{ 10000, 10100, 9900, 10000, V(1) }, { 10000, 10100, 9900, 10000, V(1) },
	{ 10000, 10500, 10000, 10400, V(1) }, /* 5: new high -> top 105 */
	{ 10400, 10450, 10200, 10300, V(1) }, /* 6: bottom candidate 102 */
	{ 10300, 10400, 10100, 10200, V(1) }, /* 7: bottom 101, top held 2 */
	{ 10200, 10400, 10150, 10300, V(1) }, /* 8: top held 3, bottom held 1 */
	{ 10300, 10400, 10200, 10300, V(1) }, /* 9: bottom held 2 */
	{ 10300, 10450, 10300, 10400, V(1) }, /* 10: bottom held 3 -> box [101, 105] */
	{ 10400, 10480, 10300, 10400, V(1) }, /* 11: inside the box */
};

static void feed(pt_run *r, const bar *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		pt_bar(r, p[i].o, p[i].h, p[i].l, p[i].c, p[i].v);
}

static const th_plugin_desc *plugin(void)
{
	return th_plugin_entry_v1();
}

/* --- the box machine on its own --- */

static void test_box_machine_events(void **state)
{
	(void)state;
	darvas_box b;
	darvas_box_init(&b, 5, 3);
	int ev[16];
	size_t n = sizeof box_path / sizeof box_path[0];
	for (size_t i = 0; i < n; i++)
		ev[i] = darvas_box_update(&b, box_path[i].h, box_path[i].l, box_path[i].c);
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(ev[i], DARVAS_NONE); /* warm-up: fewer than lookback-1 earlier bars, or no new high */
	assert_int_equal(ev[5], DARVAS_NEW_TOP);
	for (size_t i = 6; i < 10; i++)
		assert_int_equal(ev[i], DARVAS_NONE);
	assert_int_equal(ev[10], DARVAS_CONFIRMED);
	assert_int_equal(b.phase, DARVAS_BOX);
	assert_int_equal(b.box_top, 10500);
	assert_int_equal(b.box_bottom, 10100);
	assert_int_equal(ev[11], DARVAS_NONE);
	/* a close above the top breaks out and starts the next box at the breakout high */
	assert_int_equal(darvas_box_update(&b, 10650, 10400, 10600), DARVAS_BREAKOUT);
	assert_int_equal(b.phase, DARVAS_FORMING);
	assert_int_equal(b.top, 10650);
}

static void test_box_top_moves_and_bottom_resets(void **state)
{
	(void)state;
	darvas_box b;
	darvas_box_init(&b, 3, 2);
	assert_int_equal(darvas_box_update(&b, 100, 90, 95), DARVAS_NONE);
	assert_int_equal(darvas_box_update(&b, 100, 90, 95), DARVAS_NONE);
	assert_int_equal(darvas_box_update(&b, 110, 100, 105), DARVAS_NEW_TOP); /* above the previous 2 highs */
	assert_int_equal(darvas_box_update(&b, 108, 101, 105), DARVAS_NONE);    /* top held 1, bottom 101 */
	assert_int_equal(darvas_box_update(&b, 112, 104, 110), DARVAS_NONE);    /* higher high: top 112, counts reset */
	assert_int_equal(b.top, 112);
	assert_int_equal(b.have_bottom, 0);
	assert_int_equal(darvas_box_update(&b, 111, 105, 108), DARVAS_NONE); /* top held 1, bottom 105 */
	assert_int_equal(darvas_box_update(&b, 111, 103, 108), DARVAS_NONE); /* top held 2, lower low: bottom 103 */
	assert_int_equal(darvas_box_update(&b, 110, 104, 108), DARVAS_NONE); /* bottom held 1 */
	assert_int_equal(darvas_box_update(&b, 110, 103, 108), DARVAS_CONFIRMED); /* equal low holds: 2 */
	assert_int_equal(b.box_top, 112);
	assert_int_equal(b.box_bottom, 103);
	/* a close below the bottom breaks the box down: a new lookback high is needed */
	assert_int_equal(darvas_box_update(&b, 104, 100, 102), DARVAS_BREAKDOWN);
	assert_int_equal(b.phase, DARVAS_SEEK);
	assert_int_equal(darvas_box_update(&b, 109, 100, 105), DARVAS_NONE); /* 109 < 110, the high 2 bars back */
	assert_int_equal(darvas_box_update(&b, 113, 100, 105), DARVAS_NEW_TOP);
}

/* --- the plugin --- */

static void test_breakout_with_volume_buys_and_box_bottom_exits(void **state)
{
	(void)state;
	pt_run r;
	pt_start(&r, plugin(), base_cfg);
	feed(&r, box_path, sizeof box_path / sizeof box_path[0]);
	assert_int_equal(pt_intents(&r), 0);
	pt_bar(&r, 10400, 10650, 10400, 10600, V(2)); /* close 106 > 105, volume 2 > 1.5 x 1 */
	assert_int_equal(pt_intents(&r), 1);
	const th_intent *in = pt_intent(&r, 0);
	assert_int_equal(in->action, TH_INTENT_PLACE);
	assert_int_equal(in->order.side, TH_SIDE_BUY);
	assert_int_equal(in->order.type, TH_ORDER_LIMIT);
	assert_int_equal(in->order.tif, TH_TIF_IOC);
	assert_int_equal(in->order.qty, 500);          /* 0.05 at qty scale 4 */
	assert_int_equal(in->order.price, 10653);      /* 106.00 x 1.005 = 106.53 */
	assert_int_equal(in->order.price_scale, 2);
	assert_string_equal(in->order.symbol, PT_SYMBOL);
	const char *why = pt_message(&r, "decision", 0);
	assert_non_null(why);
	assert_non_null(strstr(why, "Darvas breakout"));
	assert_non_null(strstr(why, "box [101.00, 105.00]"));
	assert_non_null(strstr(why, "volume 2.0000 > 1.5000 x average 1.0000"));
	assert_non_null(strstr(why, "buy 0.0500 limit 106.53"));
	/* holding: a close still above 101 keeps the position */
	pt_bar(&r, 10600, 10620, 10150, 10200, V(1));
	assert_int_equal(pt_intents(&r), 1);
	/* a close below the box bottom 101.00 sells the whole position at market */
	pt_bar(&r, 10200, 10210, 10050, 10090, V(1));
	assert_int_equal(pt_intents(&r), 2);
	in = pt_intent(&r, 1);
	assert_int_equal(in->order.side, TH_SIDE_SELL);
	assert_int_equal(in->order.type, TH_ORDER_MARKET);
	assert_int_equal(in->order.qty, 500);
	why = pt_message(&r, "decision", 1);
	assert_non_null(strstr(why, "close 100.90 below the box bottom stop 101.00"));
	assert_non_null(strstr(why, "sell to flat 0.0500"));
	/* flat now: further falls send nothing */
	pt_bar(&r, 10090, 10100, 9800, 9850, V(1));
	assert_int_equal(pt_intents(&r), 2);
	pt_finish(&r);
}

static void test_breakout_without_volume_does_not_buy(void **state)
{
	(void)state;
	pt_run r;
	pt_start(&r, plugin(), base_cfg);
	feed(&r, box_path, sizeof box_path / sizeof box_path[0]);
	pt_bar(&r, 10400, 10650, 10400, 10600, V(1.5)); /* 1.5 is not > 1.5 x 1 */
	assert_int_equal(pt_intents(&r), 0);
	assert_int_equal(pt_messages(&r, "decision"), 0);
	const char *ex = pt_message(&r, "explanation", 0);
	assert_non_null(ex);
	assert_non_null(strstr(ex, "volume 1.5000 <= 1.5000 x average 1.0000"));
	/* a close inside the old box does not buy either */
	pt_bar(&r, 10600, 10600, 10400, 10450, V(5));
	assert_int_equal(pt_intents(&r), 0);
	pt_finish(&r);
}

static void test_volume_filter_off(void **state)
{
	(void)state;
	static const char *const cfg[] = { "lookback", "5", "confirm_bars", "3", "volume_factor", "\"0\"", "qty", "\"0.05\"",
		NULL };
	pt_run r;
	pt_start(&r, plugin(), cfg);
	feed(&r, box_path, sizeof box_path / sizeof box_path[0]);
	pt_bar(&r, 10400, 10650, 10400, 10600, 0); /* no volume at all */
	assert_int_equal(pt_intents(&r), 1);
	assert_non_null(strstr(pt_message(&r, "decision", 0), "volume filter off"));
	pt_finish(&r);
}

static void test_warm_up_gives_no_signal(void **state)
{
	(void)state;
	/* lookback 20: the new high at bar 6 has too little history behind it */
	static const char *const cfg[] = { "lookback", "20", "confirm_bars", "3", "volume_period", "5", "qty", "\"0.05\"",
		NULL };
	pt_run r;
	pt_start(&r, plugin(), cfg);
	feed(&r, box_path, sizeof box_path / sizeof box_path[0]);
	pt_bar(&r, 10400, 10650, 10400, 10600, V(3));
	assert_int_equal(pt_intents(&r), 0);
	pt_finish(&r);
	/* volume_period 30: a box exists but the breakout has no volume average yet */
	static const char *const cfg2[] = { "lookback", "5", "confirm_bars", "3", "volume_period", "30", "qty", "\"0.05\"",
		NULL };
	pt_start(&r, plugin(), cfg2);
	feed(&r, box_path, sizeof box_path / sizeof box_path[0]);
	pt_bar(&r, 10400, 10650, 10400, 10600, V(3));
	assert_int_equal(pt_intents(&r), 0);
	assert_non_null(strstr(pt_message(&r, "explanation", 0), "before 30 bars of volume history"));
	pt_finish(&r);
}

/* After the entry a second box forms above: its bottom becomes the stop. */
static const bar trail_path[] = {
	{ 10600, 10800, 10550, 10750, V(1) }, /* higher high: top 108 */
	{ 10750, 10780, 10560, 10700, V(1) }, /* bottom 105.60 */
	{ 10700, 10790, 10600, 10700, V(1) },
	{ 10700, 10790, 10600, 10700, V(1) }, /* top held 3, bottom held 2 */
	{ 10700, 10790, 10600, 10700, V(1) }, /* bottom held 3 -> box [105.60, 108] */
	{ 10700, 10700, 10500, 10520, V(1) }, /* close 105.20: below the new box, above the old 101 */
};

static void run_trailing(int trailing, size_t *intents, const char **last)
{
	const char *cfg[32];
	size_t k = 0;
	for (; base_cfg[k]; k++)
		cfg[k] = base_cfg[k];
	cfg[k++] = "trailing";
	cfg[k++] = trailing ? "true" : "false";
	cfg[k] = NULL;
	pt_run r;
	pt_start(&r, plugin(), cfg);
	feed(&r, box_path, sizeof box_path / sizeof box_path[0]);
	pt_bar(&r, 10400, 10650, 10400, 10600, V(2));
	feed(&r, trail_path, sizeof trail_path / sizeof trail_path[0]);
	*intents = pt_intents(&r);
	static char text[TH_AGENT_TEXT_MAX];
	const char *m = pt_message(&r, "explanation", 0);
	snprintf(text, sizeof text, "%s", m ? m : "");
	*last = text;
	pt_finish(&r);
}

static void test_trailing_box_raises_the_stop(void **state)
{
	(void)state;
	size_t n;
	const char *ex;
	run_trailing(1, &n, &ex);
	assert_int_equal(n, 2); /* buy, then sell on the close below the new box */
	assert_non_null(strstr(ex, "stop raised to 105.60"));
	run_trailing(0, &n, &ex);
	assert_int_equal(n, 1); /* without trailing the stop stays at 101 */
}

static void test_bad_parameters_refused(void **state)
{
	(void)state;
	static const pt_bad cases[] = {
		{ "lookback", "1", "'lookback'" },
		{ "confirm_bars", "0", "'confirm_bars'" },
		{ "volume_period", "0", "'volume_period'" },
		{ "volume_factor", "\"-1\"", "'volume_factor'" },
		{ "qty", "\"0\"", "'qty'" },
		{ "lot", "\"1\"", "'qty' is smaller than one lot" },
		{ "max_slippage_bps", "5000", "'max_slippage_bps'" },
	};
	pt_refused_each(plugin(), cases, sizeof cases / sizeof cases[0]);
	/* the symbol is required */
	pt_run r;
	pt_init(&r, plugin(), NULL);
	fake_config_clear(&r.h);
	assert_int_equal(pt_create(&r), TH_ERR_INVALID);
	assert_non_null(strstr(r.h.error, "'symbol'"));
	r.inst = NULL;
	pt_finish(&r);
}

static void run_full(pt_run *r)
{
	pt_start(r, plugin(), base_cfg);
	feed(r, box_path, sizeof box_path / sizeof box_path[0]);
	pt_bar(r, 10400, 10650, 10400, 10600, V(2));
	feed(r, trail_path, sizeof trail_path / sizeof trail_path[0]);
}

static void test_deterministic(void **state)
{
	(void)state;
	pt_run a, b;
	run_full(&a);
	run_full(&b);
	assert_int_equal(pt_intents(&a), 2);
	assert_int_equal(pt_intents(&a), pt_intents(&b));
	for (size_t i = 0; i < pt_intents(&a); i++)
		assert_memory_equal(pt_intent(&a, i), pt_intent(&b, i), sizeof(th_intent));
	for (size_t i = 0; i < pt_messages(&a, "decision"); i++)
		assert_string_equal(pt_message(&a, "decision", i), pt_message(&b, "decision", i));
	pt_finish(&a);
	pt_finish(&b);
}

static void test_risk_denial_frees_the_agent(void **state)
{
	(void)state;
	pt_run r;
	pt_start(&r, plugin(), base_cfg);
	feed(&r, box_path, sizeof box_path / sizeof box_path[0]);
	r.deny = 1;
	pt_bar(&r, 10400, 10650, 10400, 10600, V(2));
	assert_int_equal(pt_intents(&r), 1);
	r.deny = 0;
	/* flat (the buy was denied): the fall below 101 sends no sell */
	pt_bar(&r, 10600, 10600, 10050, 10090, V(1));
	assert_int_equal(pt_intents(&r), 1);
	pt_finish(&r);
}

/* An exit that fills only in part is finished on the next bars. */
static void test_partial_exit_is_finished(void **state)
{
	(void)state;
	pt_run r;
	pt_start(&r, plugin(), base_cfg);
	feed(&r, box_path, sizeof box_path / sizeof box_path[0]);
	pt_bar(&r, 10400, 10650, 10400, 10600, V(2)); /* bought 0.05 */
	r.fill_cap = 200;
	pt_bar(&r, 10200, 10210, 10050, 10090, V(1)); /* exit: only 0.02 fills */
	assert_int_equal(pt_intents(&r), 2);
	pt_bar(&r, 10090, 10300, 10000, 10250, V(1)); /* back above the stop: still getting out */
	assert_int_equal(pt_intents(&r), 3);
	assert_int_equal(pt_intent(&r, 2)->order.side, TH_SIDE_SELL);
	assert_int_equal(pt_intent(&r, 2)->order.qty, 300);
	assert_non_null(strstr(pt_message(&r, "decision", 2), "finishing the exit"));
	r.fill_cap = 0;
	pt_bar(&r, 10250, 10300, 10000, 10250, V(1));
	assert_int_equal(pt_intents(&r), 4); /* the last 0.01 */
	assert_int_equal(pt_intent(&r, 3)->order.qty, 100);
	pt_bar(&r, 10250, 10300, 10000, 10250, V(1));
	assert_int_equal(pt_intents(&r), 4); /* flat: done */
	pt_finish(&r);
}

static void test_bad_bar_ignored(void **state)
{
	(void)state;
	pt_run r;
	pt_start(&r, plugin(), base_cfg);
	feed(&r, box_path, sizeof box_path / sizeof box_path[0]);
	pt_bar(&r, 10400, 10300, 10650, 10600, V(9)); /* high < low: ignored */
	pt_bar(&r, 0, 0, 0, 0, V(9));                 /* zero prices: ignored */
	assert_int_equal(pt_intents(&r), 0);
	pt_bar(&r, 10400, 10650, 10400, 10600, V(2)); /* the box is intact */
	assert_int_equal(pt_intents(&r), 1);
	pt_finish(&r);
}

static void test_hot_reload_keeps_boxes_and_position(void **state)
{
	(void)state;
	pt_run whole, first, second;
	run_full(&whole);

	pt_start(&first, plugin(), base_cfg);
	feed(&first, box_path, sizeof box_path / sizeof box_path[0]);
	pt_bar(&first, 10400, 10650, 10400, 10600, V(2)); /* bought */
	feed(&first, trail_path, 3);
	pt_init(&second, plugin(), base_cfg);
	assert_int_equal(pt_create(&second), TH_OK);
	assert_int_equal(pt_handover(&first, &second), TH_OK);
	assert_int_equal(second.desc->start(second.inst), TH_OK);
	second.last_close = first.last_close;
	second.t_ns = first.t_ns;
	feed(&second, trail_path + 3, sizeof trail_path / sizeof trail_path[0] - 3);
	/* the new generation sells exactly as the uninterrupted run did */
	assert_int_equal(pt_intents(&second), 1);
	assert_memory_equal(pt_intent(&second, 0), pt_intent(&whole, 1), sizeof(th_intent));
	/* a blob of another size is refused with a reason */
	assert_int_equal(second.desc->import_state(second.inst, "x", 1), TH_ERR_INVALID);
	assert_non_null(strstr(second.h.error, "format"));
	pt_finish(&whole);
	pt_finish(&first);
	pt_finish(&second);
}

static th_instrument stub_ins;

static const th_instrument *stub_instrument(th_ctx *ctx, const char *venue, const char *symbol)
{
	(void)ctx;
	return strcmp(venue, PT_VENUE) == 0 && strcmp(symbol, PT_SYMBOL) == 0 ? &stub_ins : NULL;
}

/* With tick and lot left at 0 the venue's instrument decides (host ABI 1.1). */
static void test_tick_and_lot_from_the_venue(void **state)
{
	(void)state;
	static const char *const cfg[] = { "lookback", "5", "confirm_bars", "3", "volume_period", "5", "qty", "\"0.057\"",
		NULL };
	memset(&stub_ins, 0, sizeof stub_ins);
	stub_ins.price_scale = PT_PRICE_SCALE;
	stub_ins.qty_scale = PT_QTY_SCALE;
	stub_ins.tick = 5;   /* 0.05 */
	stub_ins.lot = 100;  /* 0.01 */
	stub_ins.min_qty = 100;
	pt_run r;
	pt_start(&r, plugin(), cfg);
	r.h.api.instrument = stub_instrument;
	feed(&r, box_path, sizeof box_path / sizeof box_path[0]);
	pt_bar(&r, 10400, 10650, 10400, 10600, V(2));
	assert_int_equal(pt_intents(&r), 1);
	assert_int_equal(pt_intent(&r, 0)->order.qty, 500);     /* 0.057 rounded down to 0.05 */
	assert_int_equal(pt_intent(&r, 0)->order.price, 10655); /* 106.53 rounded up to the 0.05 tick */
	pt_finish(&r);
	/* below the venue's minimum quantity: no order, and the decision says why */
	stub_ins.min_qty = 1000;
	pt_start(&r, plugin(), cfg);
	r.h.api.instrument = stub_instrument;
	feed(&r, box_path, sizeof box_path / sizeof box_path[0]);
	pt_bar(&r, 10400, 10650, 10400, 10600, V(2));
	assert_int_equal(pt_intents(&r), 0);
	assert_non_null(strstr(pt_message(&r, "decision", 0), "no order"));
	pt_finish(&r);
}

static void test_explain_reports_the_box(void **state)
{
	(void)state;
	pt_run r;
	pt_start(&r, plugin(), base_cfg);
	feed(&r, box_path, sizeof box_path / sizeof box_path[0]);
	const th_strategy_api *s = r.desc->kind_api;
	char buf[256];
	assert_int_equal(s->explain(r.inst, buf, sizeof buf), TH_OK);
	assert_non_null(strstr(buf, "box [101.00, 105.00]"));
	pt_finish(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_box_machine_events),
		cmocka_unit_test(test_box_top_moves_and_bottom_resets),
		cmocka_unit_test(test_breakout_with_volume_buys_and_box_bottom_exits),
		cmocka_unit_test(test_breakout_without_volume_does_not_buy),
		cmocka_unit_test(test_volume_filter_off),
		cmocka_unit_test(test_warm_up_gives_no_signal),
		cmocka_unit_test(test_trailing_box_raises_the_stop),
		cmocka_unit_test(test_bad_parameters_refused),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_risk_denial_frees_the_agent),
		cmocka_unit_test(test_partial_exit_is_finished),
		cmocka_unit_test(test_bad_bar_ignored),
		cmocka_unit_test(test_hot_reload_keeps_boxes_and_position),
		cmocka_unit_test(test_tick_and_lot_from_the_venue),
		cmocka_unit_test(test_explain_reports_the_box),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
