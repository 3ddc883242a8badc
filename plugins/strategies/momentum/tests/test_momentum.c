/*
 * momentum — unit tests through the plugin descriptor against the fake host
 * and the fake OMS: rule fires / does not fire on scripted paths, warm-up,
 * volume confirmation, trend and trailing-stop exits, shorts, one working
 * order, rejections, bad parameters, determinism, explanations, hot reload.
 *
 * Scales: price 2 digits (10000 = 100.00), qty 4 digits (qty "0.5" = 5000).
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

#include "fake_host.h"
#include "fake_portfolio.h"
#include "kit_fake_oms.h"
#include "kit_rig.h"

#define SYM "BTC-USDT"
#define MIN 60000000000LL
#define PX(x) ((th_price)((x) * 100)) /* whole units -> mantissa at scale 2 */

static const th_plugin_desc *desc(void)
{
	return TH_ENTRY_NAME();
}

typedef struct rig {
	fake_host h;
	kit_fake_oms oms;
	void *inst;
	int64_t t;
	th_price last;
} rig;

/* Small periods so paths stay short: EMA 5, ROC 3 (1 %), volume 4 (x1.5), ATR 3 (x1). */
static void base_config(fake_host *h)
{
	fake_config(h, "symbol", "\"" SYM "\"");
	fake_config(h, "ema_period", "5");
	fake_config(h, "roc_period", "3");
	fake_config(h, "roc_threshold", "1.0");
	fake_config(h, "volume_period", "4");
	fake_config(h, "volume_factor", "1.5");
	fake_config(h, "atr_period", "3");
	fake_config(h, "atr_mult", "1.0");
	fake_config(h, "qty", "\"0.5\"");
}

static void rig_open(rig *r, const char *extra_key, const char *extra_val)
{
	memset(r, 0, sizeof *r);
	fake_host_init(&r->h, "mo", desc()->config_schema);
	base_config(&r->h);
	if (extra_key)
		fake_config(&r->h, extra_key, extra_val);
	kit_oms_init(&r->oms, &r->h, "sim");
	int rc = desc()->create(&r->h.api, fake_ctx(&r->h), &r->inst);
	if (rc != TH_OK)
		fail_msg("create failed (%d): %s", rc, r->h.error);
	assert_int_equal(desc()->start(r->inst), TH_OK);
	r->t = 1767225600000000000LL;
	r->last = PX(100);
}

static void rig_close(rig *r)
{
	assert_int_equal(desc()->stop(r->inst), TH_OK);
	desc()->destroy(r->inst);
	assert_int_equal(r->h.live_allocs, 0);
	fake_host_free(&r->h);
}

/* One bar from the previous close to `close` (whole units, x100 = mantissa),
 * range widened by 0.5; market orders fill at the close. */
static void bar(rig *r, double close_units, int64_t volume_units)
{
	th_price c = (th_price)(close_units * 100 + 0.5);
	th_price o = r->last;
	th_price hi = (o > c ? o : c) + 50, lo = (o < c ? o : c) - 50;
	kit_oms_set_price(&r->oms, SYM, c);
	kit_test_bar(&r->h, "sim", SYM, r->t, o, hi, lo, c, volume_units * 10000, 2, 4);
	kit_oms_pump(&r->oms);
	r->t += MIN;
	r->last = c;
}

static size_t intents(const rig *r)
{
	return fake_count(&r->h, TH_EV_INTENT);
}

static const th_intent *intent(const rig *r, size_t k)
{
	const th_event *ev = fake_event(&r->h, TH_EV_INTENT, k);
	assert_non_null(ev);
	return &ev->u.intent;
}

/* The last agent message of kind "decision". */
static const char *last_decision(const rig *r)
{
	const char *text = NULL;
	for (size_t i = 0; i < r->h.nevents; i++)
		if (r->h.events[i].h.type == TH_EV_AGENT_MSG && strcmp(r->h.events[i].u.agent_msg.kind, "decision") == 0)
			text = r->h.events[i].u.agent_msg.text;
	return text;
}

/* 6 flat bars at 100 (volume 10), then a rise of 1 per bar; the first rising
 * bar with a volume of 20 confirms. */
static void flat_then_rise(rig *r, int rising, int64_t spike)
{
	for (int i = 0; i < 6; i++)
		bar(r, 100, 10);
	for (int i = 1; i <= rising; i++)
		bar(r, 100 + i, i == 3 ? spike : 10);
}

static void test_descriptor(void **state)
{
	(void)state;
	const th_plugin_desc *d = desc();
	assert_int_equal(d->kind, TH_KIND_STRATEGY);
	assert_string_equal(d->name, "momentum");
	assert_non_null(d->export_state);
	assert_non_null(d->import_state);
	const th_strategy_api *s = d->kind_api;
	assert_non_null(s->explain);
	size_t required = 0;
	for (const th_config_field *f = d->config_schema; f->key; f++) {
		if (f->required)
			required++;
		else
			assert_non_null(f->default_value);
		if (f->type == TH_CONFIG_INT)
			assert_non_null(f->min_value); /* periods have bounds */
	}
	assert_int_equal(required, 1); /* symbol */
}

/* literal NULL: nothing configured at all (the symbol is missing). */
static void expect_refused(const char *key, const char *literal, const char *needle)
{
	const char *const kv[] = { literal ? key : NULL, literal, NULL };
	kit_rig_refused(desc(), "mo", literal ? base_config : NULL, kv, needle);
}

static void test_bad_parameters(void **state)
{
	(void)state;
	expect_refused("symbol", NULL, "'symbol'");
	expect_refused("symbol", "\"THIS-SYMBOL-IS-FAR-TOO-LONG-X\"", "'symbol'");
	expect_refused("ema_period", "0", "'ema_period'");
	expect_refused("roc_period", "0", "'roc_period'");
	expect_refused("roc_period", "1001", "'roc_period'");
	expect_refused("volume_period", "-3", "'volume_period'");
	expect_refused("atr_period", "0", "'atr_period'");
	expect_refused("roc_threshold", "-1", "'roc_threshold'");
	expect_refused("volume_factor", "101", "'volume_factor'");
	expect_refused("atr_mult", "-0.5", "'atr_mult'");
	expect_refused("qty", "\"0\"", "'qty'");
	expect_refused("qty", "\"0.00005\"", "'qty'"); /* not a multiple of the 0.0001 lot */
	expect_refused("tick", "\"0\"", "'tick'");
	expect_refused("lot", "\"-1\"", "'lot'");
	expect_refused("qty", "\"abc\"", "'qty'");
}

/* EMA(5) needs 5 bars, ROC(3) 4, the previous bars' volume average 5, ATR(3)
 * 4: nothing may happen before bar 5 even on a screaming signal. */
static void test_warmup(void **state)
{
	(void)state;
	rig r;
	rig_open(&r, NULL, NULL);
	for (int i = 1; i <= 4; i++) {
		bar(&r, 100 + 3 * i, 10 * i * i); /* rising hard, volume exploding */
		assert_int_equal(intents(&r), 0);
	}
	bar(&r, 115, 400);
	assert_int_equal(intents(&r), 1);
	assert_int_equal(intent(&r, 0)->order.side, TH_SIDE_BUY);
	rig_close(&r);
}

static void test_long_entry_with_volume(void **state)
{
	(void)state;
	rig r;
	rig_open(&r, NULL, NULL);
	flat_then_rise(&r, 2, 20);
	assert_int_equal(intents(&r), 0); /* rising but volume 10 = average: not confirmed */
	bar(&r, 103, 20);                 /* volume 20 > 1.5 x 10 */
	assert_int_equal(intents(&r), 1);
	const th_intent *in = intent(&r, 0);
	assert_int_equal(in->action, TH_INTENT_PLACE);
	assert_int_equal(in->order.side, TH_SIDE_BUY);
	assert_int_equal(in->order.type, TH_ORDER_MARKET);
	assert_int_equal(in->order.tif, TH_TIF_IOC);
	assert_int_equal(in->order.qty, 5000);
	assert_int_equal(in->order.price_scale, 2);
	assert_int_equal(in->order.qty_scale, 4);
	assert_string_equal(in->order.symbol, SYM);
	assert_string_equal(fake_event(&r.h, TH_EV_INTENT, 0)->h.venue, "sim");
	const char *d = last_decision(&r);
	assert_non_null(d);
	assert_non_null(strstr(d, "enter long"));
	assert_non_null(strstr(d, "EMA(5)"));
	assert_non_null(strstr(d, "ROC(3)"));
	assert_non_null(strstr(d, "buy 0.5"));
	/* holding: more rising bars with volume do not add */
	bar(&r, 104, 40);
	bar(&r, 105, 40);
	assert_int_equal(intents(&r), 1);
	rig_close(&r);
}

static void test_no_entry_without_trend_or_volume(void **state)
{
	(void)state;
	rig r;
	rig_open(&r, NULL, NULL);
	/* sideways with volume spikes: ROC stays below 1 % */
	for (int i = 0; i < 30; i++)
		bar(&r, 100 + (i % 2 ? 0.4 : -0.4), i % 5 == 0 ? 100 : 10);
	assert_int_equal(intents(&r), 0);
	/* steady rise at constant volume: never confirmed */
	for (int i = 1; i <= 20; i++)
		bar(&r, 100 + i, 10);
	assert_int_equal(intents(&r), 0);
	rig_close(&r);
}

static void test_exit_on_trend_reversal(void **state)
{
	(void)state;
	rig r;
	rig_open(&r, "atr_mult", "0"); /* no trailing stop: only the trend exit */
	flat_then_rise(&r, 5, 20);
	assert_int_equal(intents(&r), 1);
	for (double p = 104; p >= 96; p -= 2)
		bar(&r, p, 10);
	assert_int_equal(intents(&r), 2);
	const th_intent *in = intent(&r, 1);
	assert_int_equal(in->order.side, TH_SIDE_SELL);
	assert_int_equal(in->order.qty, 5000); /* the whole position */
	assert_non_null(strstr(last_decision(&r), "trend reversed"));
	/* flat again: a falling market does not short by default */
	for (double p = 94; p >= 80; p -= 2)
		bar(&r, p, 40);
	assert_int_equal(intents(&r), 2);
	rig_close(&r);
}

/* Rise to 120, then one bar to 117: ROC(3) is only -0.85 % (no trend exit),
 * but 117 is below 120 - 1 x ATR(3). */
static void test_trailing_stop(void **state)
{
	(void)state;
	rig r;
	rig_open(&r, NULL, NULL);
	flat_then_rise(&r, 20, 20);
	assert_int_equal(intents(&r), 1);
	bar(&r, 117, 10);
	assert_int_equal(intents(&r), 2);
	assert_int_equal(intent(&r, 1)->order.side, TH_SIDE_SELL);
	assert_non_null(strstr(last_decision(&r), "trailing stop"));
	rig_close(&r);
}

static void test_short_side(void **state)
{
	(void)state;
	rig r;
	rig_open(&r, "allow_short", "true");
	for (int i = 0; i < 6; i++)
		bar(&r, 100, 10);
	bar(&r, 99, 10);
	bar(&r, 98, 10);
	bar(&r, 97, 20);
	assert_int_equal(intents(&r), 1);
	assert_int_equal(intent(&r, 0)->order.side, TH_SIDE_SELL);
	assert_non_null(strstr(last_decision(&r), "enter short"));
	/* back up hard: exit the short with a buy of the whole position */
	bar(&r, 100, 10);
	bar(&r, 103, 10);
	assert_int_equal(intents(&r), 2);
	assert_int_equal(intent(&r, 1)->order.side, TH_SIDE_BUY);
	assert_int_equal(intent(&r, 1)->order.qty, 5000);
	rig_close(&r);
}

static void test_one_working_order(void **state)
{
	(void)state;
	rig r;
	rig_open(&r, NULL, NULL);
	r.oms.hold_market = 1; /* acknowledged, never filled */
	flat_then_rise(&r, 3, 20);
	assert_int_equal(intents(&r), 1);
	for (int i = 0; i < 5; i++)
		bar(&r, 104 + i, 40);
	assert_int_equal(intents(&r), 1);
	rig_close(&r);
}

static void test_rejection_explained_and_retried(void **state)
{
	(void)state;
	rig r;
	rig_open(&r, NULL, NULL);
	r.oms.reject_next = 1;
	flat_then_rise(&r, 3, 20);
	assert_int_equal(intents(&r), 1);
	int explained = 0;
	for (size_t i = 0; i < r.h.nevents; i++)
		if (r.h.events[i].h.type == TH_EV_AGENT_MSG && strstr(r.h.events[i].u.agent_msg.text, "rejected"))
			explained = 1;
	assert_true(explained);
	bar(&r, 104, 40); /* still a confirmed uptrend, nothing working, flat: tries again */
	assert_int_equal(intents(&r), 2);
	assert_int_equal(intent(&r, 1)->order.side, TH_SIDE_BUY);
	/* a risk denial frees the slot too */
	rig_close(&r);
}

static void test_risk_denial_frees_the_slot(void **state)
{
	(void)state;
	rig r;
	rig_open(&r, NULL, NULL);
	r.oms.deny_next = 1;
	flat_then_rise(&r, 3, 20);
	assert_int_equal(intents(&r), 1);
	bar(&r, 104, 40);
	assert_int_equal(intents(&r), 2);
	rig_close(&r);
}

/* A deterministic wavy path with volume bursts; returns the intents. */
static size_t run_wave(rig *r, int from, int to)
{
	for (int i = from; i < to; i++) {
		double p = 100 + 10 * ((i / 15) % 2 ? (15 - i % 15) : i % 15) / 15.0 + (i % 3) * 0.3;
		bar(r, p, (i % 4 == 0) ? 30 : 10);
	}
	return intents(r);
}

static void test_deterministic(void **state)
{
	(void)state;
	rig a, b;
	rig_open(&a, "allow_short", "true");
	rig_open(&b, "allow_short", "true");
	size_t na = run_wave(&a, 0, 200), nb = run_wave(&b, 0, 200);
	assert_true(na >= 4); /* the wave must make it trade */
	assert_int_equal(na, nb);
	for (size_t k = 0; k < na; k++)
		assert_memory_equal(intent(&a, k), intent(&b, k), sizeof(th_intent));
	assert_int_equal(a.h.nevents, b.h.nevents);
	for (size_t i = 0; i < a.h.nevents; i++)
		if (a.h.events[i].h.type == TH_EV_AGENT_MSG)
			assert_string_equal(a.h.events[i].u.agent_msg.text, b.h.events[i].u.agent_msg.text);
	rig_close(&a);
	rig_close(&b);
}

/* Hot reload half-way: the new instance continues exactly like the old one. */
static void test_reload_keeps_state(void **state)
{
	(void)state;
	rig a, b;
	rig_open(&a, "allow_short", "true");
	run_wave(&a, 0, 97);
	void *blob = NULL;
	size_t len = 0;
	assert_int_equal(desc()->export_state(a.inst, &blob, &len), TH_OK);

	/* b: a fresh instance that imports a's state, on its own bus */
	memset(&b, 0, sizeof b);
	fake_host_init(&b.h, "mo", desc()->config_schema);
	base_config(&b.h);
	fake_config(&b.h, "allow_short", "true");
	kit_oms_init(&b.oms, &b.h, "sim");
	b.oms.next_clid = a.oms.next_clid; /* the same OMS continues */
	assert_int_equal(desc()->create(&b.h.api, fake_ctx(&b.h), &b.inst), TH_OK);
	assert_int_equal(desc()->import_state(b.inst, blob, len), TH_OK);
	a.h.api.free(fake_ctx(&a.h), blob);
	assert_int_equal(desc()->start(b.inst), TH_OK);
	b.t = a.t;
	b.last = a.last;

	size_t before = intents(&a);
	size_t na = run_wave(&a, 97, 260) - before;
	size_t nb = run_wave(&b, 97, 260);
	assert_true(na >= 2);
	assert_int_equal(na, nb);
	for (size_t k = 0; k < nb; k++)
		assert_memory_equal(intent(&a, before + k), intent(&b, k), sizeof(th_intent));
	rig_close(&a);
	rig_close(&b);
}

static void test_import_refuses_foreign_state(void **state)
{
	(void)state;
	rig a, b;
	rig_open(&a, NULL, NULL);
	run_wave(&a, 0, 20);
	void *blob = NULL;
	size_t len = 0;
	assert_int_equal(desc()->export_state(a.inst, &blob, &len), TH_OK);
	rig_open(&b, "symbol", "\"ETH-USDT\"");
	assert_int_equal(desc()->import_state(b.inst, blob, len), TH_ERR_INVALID);
	assert_non_null(strstr(b.h.error, "BTC-USDT"));
	assert_int_equal(desc()->import_state(b.inst, blob, 10), TH_ERR_INVALID);
	assert_non_null(strstr(b.h.error, "too short"));
	((unsigned char *)blob)[0] ^= 0xFF;
	assert_int_equal(desc()->import_state(b.inst, blob, len), TH_ERR_INVALID);
	assert_non_null(strstr(b.h.error, "not a"));
	a.h.api.free(fake_ctx(&a.h), blob);
	rig_close(&a);
	rig_close(&b);
}

/* The configured tick (0.01) cannot be expressed at price scale 1: the agent
 * says why and never trades. */
static void test_scale_mismatch_halts(void **state)
{
	(void)state;
	rig r;
	rig_open(&r, NULL, NULL);
	for (int i = 0; i < 20; i++) {
		kit_test_bar(&r.h, "sim", SYM, r.t, 1000 + i * 10, 1000 + i * 10 + 5, 1000 + i * 10 - 5, 1000 + i * 10 + 10,
			i == 8 ? 400000 : 100000, 1, 4);
		kit_oms_pump(&r.oms);
		r.t += MIN;
	}
	assert_int_equal(intents(&r), 0);
	int said = 0;
	for (size_t i = 0; i < r.h.nevents; i++)
		if (r.h.events[i].h.type == TH_EV_AGENT_MSG && strstr(r.h.events[i].u.agent_msg.text, "tick"))
			said++;
	assert_int_equal(said, 1); /* once, not on every bar */
	rig_close(&r);
}

static void test_explain(void **state)
{
	(void)state;
	rig r;
	rig_open(&r, NULL, NULL);
	const th_strategy_api *s = desc()->kind_api;
	char buf[512];
	assert_int_equal(s->explain(r.inst, buf, sizeof buf), TH_OK);
	assert_non_null(strstr(buf, "warming up"));
	flat_then_rise(&r, 3, 20);
	assert_int_equal(s->explain(r.inst, buf, sizeof buf), TH_OK);
	assert_non_null(strstr(buf, "EMA(5)"));
	assert_non_null(strstr(buf, "position 0.5"));
	rig_close(&r);
}

/* Fills that are not ours (another symbol) do not move the position; a
 * partial fill is a position of what filled, and the exit sells just that. */
static void test_partial_fill_position(void **state)
{
	(void)state;
	rig r;
	rig_open(&r, "atr_mult", "0");
	r.oms.fill_cap = 2000; /* 0.2 of the 0.5 */
	flat_then_rise(&r, 3, 20);
	assert_int_equal(intents(&r), 1);
	r.oms.fill_cap = 0;
	for (double p = 102; p >= 94; p -= 2)
		bar(&r, p, 10);
	assert_int_equal(intents(&r), 2);
	assert_int_equal(intent(&r, 1)->order.side, TH_SIDE_SELL);
	assert_int_equal(intent(&r, 1)->order.qty, 2000);
	rig_close(&r);
}

static void add_instrument(fake_portfolio *pf, th_qty lot)
{
	th_instrument *ins = &pf->instruments[pf->ninstruments++];
	memset(ins, 0, sizeof *ins);
	snprintf(ins->venue, sizeof ins->venue, "sim");
	snprintf(ins->symbol, sizeof ins->symbol, SYM);
	ins->price_scale = 2;
	ins->qty_scale = 4;
	ins->tick = 1;
	ins->lot = lot;
	ins->min_qty = lot;
}

/* A restarted agent takes its position from the host's ledger: the first
 * signal on a falling market is the exit of that position, not an entry. */
static void test_restart_takes_ledger_position(void **state)
{
	(void)state;
	rig r;
	fake_portfolio pf;
	memset(&r, 0, sizeof r);
	memset(&pf, 0, sizeof pf);
	fake_host_init(&r.h, "mo", desc()->config_schema);
	base_config(&r.h);
	fake_config(&r.h, "atr_mult", "0");
	fake_portfolio_attach(&r.h, &pf);
	fake_pf_position(&pf, "mo", "sim", SYM, 7000, PX(100), 2, 4);
	kit_oms_init(&r.oms, &r.h, "sim");
	assert_int_equal(desc()->create(&r.h.api, fake_ctx(&r.h), &r.inst), TH_OK);
	assert_int_equal(desc()->start(r.inst), TH_OK);
	r.t = 1767225600000000000LL;
	r.last = PX(100);
	for (int i = 0; i < 6; i++)
		bar(&r, 100, 10);
	assert_int_equal(last_decision(&r) == NULL, 1);
	for (double p = 99; p >= 92; p -= 1)
		bar(&r, p, 10);
	assert_int_equal(intents(&r), 1);
	assert_int_equal(intent(&r, 0)->order.side, TH_SIDE_SELL);
	assert_int_equal(intent(&r, 0)->order.qty, 7000);
	int said = 0;
	for (size_t i = 0; i < r.h.nevents; i++)
		if (r.h.events[i].h.type == TH_EV_AGENT_MSG && strstr(r.h.events[i].u.agent_msg.text, "0.7 taken over"))
			said = 1;
	assert_true(said);
	rig_close(&r);
}

/* The venue's lot (from the host) wins over the config's: 0.5 fits a 0.1
 * lot; 0.05 does not and the agent says so instead of trading. */
static void test_host_instrument(void **state)
{
	(void)state;
	for (int k = 0; k < 2; k++) {
		rig r;
		fake_portfolio pf;
		memset(&r, 0, sizeof r);
		memset(&pf, 0, sizeof pf);
		fake_host_init(&r.h, "mo", desc()->config_schema);
		base_config(&r.h);
		if (k == 1)
			fake_config(&r.h, "qty", "\"0.05\"");
		fake_portfolio_attach(&r.h, &pf);
		add_instrument(&pf, 1000);
		kit_oms_init(&r.oms, &r.h, "sim");
		assert_int_equal(desc()->create(&r.h.api, fake_ctx(&r.h), &r.inst), TH_OK);
		assert_int_equal(desc()->start(r.inst), TH_OK);
		r.t = 1767225600000000000LL;
		r.last = PX(100);
		flat_then_rise(&r, 3, 20);
		if (k == 0) {
			assert_int_equal(intents(&r), 1);
			assert_int_equal(intent(&r, 0)->order.qty, 5000);
		} else {
			assert_int_equal(intents(&r), 0);
			int said = 0;
			for (size_t i = 0; i < r.h.nevents; i++)
				if (r.h.events[i].h.type == TH_EV_AGENT_MSG && strstr(r.h.events[i].u.agent_msg.text, "qty does not fit"))
					said++;
			assert_int_equal(said, 1);
		}
		rig_close(&r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_descriptor),
		cmocka_unit_test(test_bad_parameters),
		cmocka_unit_test(test_warmup),
		cmocka_unit_test(test_long_entry_with_volume),
		cmocka_unit_test(test_no_entry_without_trend_or_volume),
		cmocka_unit_test(test_exit_on_trend_reversal),
		cmocka_unit_test(test_trailing_stop),
		cmocka_unit_test(test_short_side),
		cmocka_unit_test(test_one_working_order),
		cmocka_unit_test(test_rejection_explained_and_retried),
		cmocka_unit_test(test_risk_denial_frees_the_slot),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_reload_keeps_state),
		cmocka_unit_test(test_import_refuses_foreign_state),
		cmocka_unit_test(test_scale_mismatch_halts),
		cmocka_unit_test(test_explain),
		cmocka_unit_test(test_partial_fill_position),
		cmocka_unit_test(test_restart_takes_ledger_position),
		cmocka_unit_test(test_host_instrument),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
