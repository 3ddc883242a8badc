/*
 * mean_reversion — unit tests through the descriptor against the fake host
 * and fake OMS: entries below the lower band only with RSI confirmation,
 * exits at the middle band / RSI level / stop, the mirrored short side,
 * warm-up, bad parameters (relations between RSI levels included),
 * determinism, explanations, hot reload.
 *
 * Scales: price 2 digits (PX(100) = 100.00), qty 4 digits.
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

#include "kit_rig.h"

#define SYM "ETH-USDT"
#define PX(x) ((th_price)((x) * 100.0 + 0.5))
#define VOL 100000

static const th_plugin_desc *desc(void)
{
	return TH_ENTRY_NAME();
}

/* BB(10, 2), RSI(3): 30 / 70, exit above 60; qty 1.5 */
static void base_config(fake_host *h)
{
	fake_config(h, "symbol", "\"" SYM "\"");
	fake_config(h, "bb_period", "10");
	fake_config(h, "bb_k", "2.0");
	fake_config(h, "rsi_period", "3");
	fake_config(h, "qty", "\"1.5\"");
}

static void open_rig(kit_rig *r, const char *k1, const char *v1, const char *k2, const char *v2)
{
	const char *const kv[] = { k1, v1, k2, v2, NULL };
	kit_rig_open(r, desc(), "mr", base_config, kv);
}

static void close_rig(kit_rig *r)
{
	assert_int_equal(kit_rig_close(r), 0);
}

static void bar(kit_rig *r, double close)
{
	kit_rig_bar1(r, SYM, PX(close), VOL);
}

/* 12 quiet bars around 100. */
static void quiet(kit_rig *r)
{
	for (int i = 0; i < 12; i++)
		bar(r, i % 2 ? 100.5 : 99.5);
}

static const th_intent *nth(const kit_rig *r, size_t k)
{
	const th_intent *in = kit_rig_intent(r, k);
	assert_non_null(in);
	return in;
}

static void test_descriptor(void **state)
{
	(void)state;
	assert_int_equal(desc()->kind, TH_KIND_STRATEGY);
	assert_string_equal(desc()->name, "mean_reversion");
	assert_non_null(desc()->export_state);
	assert_non_null(((const th_strategy_api *)desc()->kind_api)->explain);
}

static void expect_refused3(const char *key, const char *literal, const char *key2, const char *literal2,
	const char *key3, const char *literal3, const char *needle)
{
	const char *const kv[] = { key, literal, key2 ? key2 : key3, key2 ? literal2 : literal3, key2 ? key3 : NULL,
		literal3, NULL };
	kit_rig_refused(desc(), "mr", base_config, kv, needle);
}

static void expect_refused(const char *key, const char *literal, const char *key2, const char *literal2,
	const char *needle)
{
	expect_refused3(key, literal, key2, literal2, NULL, NULL, needle);
}

static void test_bad_parameters(void **state)
{
	(void)state;
	expect_refused("bb_period", "1", NULL, NULL, "'bb_period'");
	expect_refused("bb_period", "0", NULL, NULL, "'bb_period'");
	expect_refused("rsi_period", "1", NULL, NULL, "'rsi_period'");
	expect_refused("bb_k", "0", NULL, NULL, "'bb_k'");
	expect_refused("bb_k", "11", NULL, NULL, "'bb_k'");
	expect_refused("oversold", "80", NULL, NULL, "'oversold'");          /* above overbought 70 */
	expect_refused("rsi_exit", "25", NULL, NULL, "'rsi_exit'");          /* below oversold 30 */
	expect_refused("rsi_exit", "20", "allow_short", "true", "'rsi_exit'");
	/* long side fine (25 > 10), but the short exit level 75 is above overbought 70 */
	expect_refused3("allow_short", "true", "rsi_exit", "25", "oversold", "10", "100 - rsi_exit");
	expect_refused("stop_pct", "-1", NULL, NULL, "'stop_pct'");
	expect_refused("qty", "\"0\"", NULL, NULL, "'qty'");
	expect_refused("symbol", "\"\"", NULL, NULL, "'symbol'");
}

/* BB(10) is ready at bar 10: a crash on bar 9 does nothing; bar 10 below the band does. */
static void test_warmup(void **state)
{
	(void)state;
	kit_rig r;
	open_rig(&r, NULL, NULL, NULL, NULL);
	for (int i = 0; i < 8; i++)
		bar(&r, 100);
	bar(&r, 90);
	assert_int_equal(kit_rig_intents(&r), 0);
	bar(&r, 85);
	assert_int_equal(kit_rig_intents(&r), 1);
	assert_int_equal(nth(&r, 0)->order.side, TH_SIDE_BUY);
	close_rig(&r);
}

static void test_entry_and_exit_at_middle(void **state)
{
	(void)state;
	kit_rig r;
	open_rig(&r, "rsi_exit", "99.9", NULL, NULL); /* only the middle band exits */
	quiet(&r);
	assert_int_equal(kit_rig_intents(&r), 0);
	bar(&r, 95);
	assert_int_equal(kit_rig_intents(&r), 1);
	const th_intent *in = nth(&r, 0);
	assert_int_equal(in->order.side, TH_SIDE_BUY);
	assert_int_equal(in->order.type, TH_ORDER_MARKET);
	assert_int_equal(in->order.qty, 15000);
	const char *d = kit_rig_last_msg(&r, "decision");
	assert_non_null(d);
	assert_non_null(strstr(d, "enter long"));
	assert_non_null(strstr(d, "BB(10, 2)"));
	assert_non_null(strstr(d, "RSI(3)"));
	bar(&r, 96);
	bar(&r, 97);
	assert_int_equal(kit_rig_intents(&r), 1); /* still below the middle (~99) */
	bar(&r, 100);
	assert_int_equal(kit_rig_intents(&r), 2);
	assert_int_equal(nth(&r, 1)->order.side, TH_SIDE_SELL);
	assert_int_equal(nth(&r, 1)->order.qty, 15000);
	assert_non_null(strstr(kit_rig_last_msg(&r, "decision"), "middle band"));
	close_rig(&r);
}

static void test_exit_on_rsi(void **state)
{
	(void)state;
	kit_rig r;
	open_rig(&r, "rsi_exit", "40", NULL, NULL);
	quiet(&r);
	bar(&r, 95); /* RSI(3) 16 */
	assert_int_equal(kit_rig_intents(&r), 1);
	bar(&r, 97.5); /* RSI(3) 44 > 40 while the close is still below the middle band (99.25) */
	assert_int_equal(kit_rig_intents(&r), 2);
	assert_int_equal(nth(&r, 1)->order.side, TH_SIDE_SELL);
	assert_non_null(strstr(kit_rig_last_msg(&r, "decision"), "RSI above 40"));
	close_rig(&r);
}

static void test_no_entry_without_rsi_or_band(void **state)
{
	(void)state;
	kit_rig r;
	/* below the band, but RSI must be below 5: not confirmed */
	open_rig(&r, "oversold", "5", NULL, NULL);
	quiet(&r);
	bar(&r, 97);
	assert_int_equal(kit_rig_intents(&r), 0);
	assert_int_equal(kit_rig_close(&r), 0);
	/* a steady decline: RSI near 0 every bar, but the close never leaves the bands */
	open_rig(&r, NULL, NULL, NULL, NULL);
	quiet(&r);
	for (int i = 1; i <= 30; i++)
		bar(&r, 100 - 0.3 * i);
	assert_int_equal(kit_rig_intents(&r), 0);
	/* a spike up with shorts disabled */
	bar(&r, 110);
	assert_int_equal(kit_rig_intents(&r), 0);
	close_rig(&r);
}

static void test_stop_loss(void **state)
{
	(void)state;
	kit_rig r;
	open_rig(&r, "stop_pct", "2", "rsi_exit", "99.9");
	quiet(&r);
	bar(&r, 95);
	assert_int_equal(kit_rig_intents(&r), 1);
	bar(&r, 94);
	assert_int_equal(kit_rig_intents(&r), 1); /* 94 > 95 x 0.98 = 93.1 */
	bar(&r, 93);
	assert_int_equal(kit_rig_intents(&r), 2);
	assert_int_equal(nth(&r, 1)->order.side, TH_SIDE_SELL);
	assert_non_null(strstr(kit_rig_last_msg(&r, "decision"), "stop loss"));
	close_rig(&r);
}

static void test_short_side(void **state)
{
	(void)state;
	kit_rig r;
	open_rig(&r, "allow_short", "true", NULL, NULL);
	quiet(&r);
	bar(&r, 105);
	assert_int_equal(kit_rig_intents(&r), 1);
	assert_int_equal(nth(&r, 0)->order.side, TH_SIDE_SELL);
	assert_non_null(strstr(kit_rig_last_msg(&r, "decision"), "enter short"));
	bar(&r, 104);
	bar(&r, 101);
	assert_int_equal(kit_rig_intents(&r), 2);
	assert_int_equal(nth(&r, 1)->order.side, TH_SIDE_BUY);
	assert_int_equal(nth(&r, 1)->order.qty, 15000);
	close_rig(&r);
}

static void wave(kit_rig *r, int from, int to)
{
	for (int i = from; i < to; i++) {
		/* slow swing plus sudden dips and spikes every 17 / 23 bars */
		double p = 100 + 3 * ((i / 20) % 2 ? 1 : -1) * ((i % 20) / 20.0);
		if (i % 17 == 16)
			p -= 6;
		if (i % 23 == 22)
			p += 6;
		bar(r, p);
	}
}

static void test_deterministic(void **state)
{
	(void)state;
	kit_rig a, b;
	open_rig(&a, "allow_short", "true", NULL, NULL);
	open_rig(&b, "allow_short", "true", NULL, NULL);
	wave(&a, 0, 300);
	wave(&b, 0, 300);
	size_t n = kit_rig_intents(&a);
	assert_true(n >= 6);
	assert_int_equal(n, kit_rig_intents(&b));
	for (size_t k = 0; k < n; k++)
		assert_memory_equal(nth(&a, k), nth(&b, k), sizeof(th_intent));
	assert_int_equal(kit_rig_msgs_with(&a, "->"), kit_rig_msgs_with(&b, "->"));
	close_rig(&a);
	close_rig(&b);
}

static void test_reload_keeps_state(void **state)
{
	(void)state;
	kit_rig a, b;
	open_rig(&a, "allow_short", "true", NULL, NULL);
	wave(&a, 0, 141);
	void *blob = NULL;
	size_t len = 0;
	assert_int_equal(desc()->export_state(a.inst, &blob, &len), TH_OK);
	kit_rig_init(&b, desc(), "mr");
	base_config(&b.h);
	fake_config(&b.h, "allow_short", "true");
	b.oms.next_clid = a.oms.next_clid;
	assert_int_equal(desc()->create(&b.h.api, fake_ctx(&b.h), &b.inst), TH_OK);
	assert_int_equal(desc()->import_state(b.inst, blob, len), TH_OK);
	a.h.api.free(fake_ctx(&a.h), blob);
	assert_int_equal(desc()->start(b.inst), TH_OK);
	b.t = a.t;
	b.last[0] = a.last[0];
	size_t before = kit_rig_intents(&a);
	wave(&a, 141, 400);
	wave(&b, 141, 400);
	size_t n = kit_rig_intents(&b);
	assert_true(n >= 3);
	assert_int_equal(kit_rig_intents(&a) - before, n);
	for (size_t k = 0; k < n; k++)
		assert_memory_equal(nth(&a, before + k), nth(&b, k), sizeof(th_intent));
	close_rig(&a);
	close_rig(&b);
}

static void test_explain(void **state)
{
	(void)state;
	kit_rig r;
	open_rig(&r, NULL, NULL, NULL, NULL);
	const th_strategy_api *s = desc()->kind_api;
	char buf[512];
	assert_int_equal(s->explain(r.inst, buf, sizeof buf), TH_OK);
	assert_non_null(strstr(buf, "warming up"));
	quiet(&r);
	bar(&r, 95);
	assert_int_equal(s->explain(r.inst, buf, sizeof buf), TH_OK);
	assert_non_null(strstr(buf, "RSI(3)"));
	assert_non_null(strstr(buf, "position 1.5"));
	close_rig(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_descriptor),
		cmocka_unit_test(test_bad_parameters),
		cmocka_unit_test(test_warmup),
		cmocka_unit_test(test_entry_and_exit_at_middle),
		cmocka_unit_test(test_exit_on_rsi),
		cmocka_unit_test(test_no_entry_without_rsi_or_band),
		cmocka_unit_test(test_stop_loss),
		cmocka_unit_test(test_short_side),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_reload_keeps_state),
		cmocka_unit_test(test_explain),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
