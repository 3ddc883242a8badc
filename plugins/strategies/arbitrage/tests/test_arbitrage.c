/*
 * arbitrage — the plugin through its descriptor against the fake host, with
 * a scripted OMS per venue: when it fires and when not (threshold, missing or
 * stale touch), the legs, positions from OMS fills per venue, the position
 * bound, partial legs hedged by both policies, failing hedges (alert, timer
 * retries), risk and OMS refusals, bad parameters, determinism,
 * explanations and hot reload with orders in flight.
 * BTC-USDT on "sim" (a) and "sim_b" (b); price scale 2, quantity scale 4;
 * leg qty 0.01 = 100 units; fees 1 bp each, threshold 1 bp.
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
#include "kit_world.h"

#define MS 1000000LL
#define QTY 100
#define MAX_ORDERS 128

static const char *const venues[2] = { "sim", "sim_b" };

static const th_plugin_desc *desc(void)
{
	return TH_ENTRY_NAME();
}

typedef struct fake_order {
	char clid[TH_CLORD_MAX];
	int venue;
	uint32_t side, type, tif;
	th_price price;
	th_qty qty, filled;
} fake_order;

/* How the scripted OMS answers the next orders on a venue: fill `fill` of
 * each (capped at its qty; -1 = all of it), or deny it at risk, or stay
 * silent (the test answers by hand). */
typedef enum { ANSWER_FILL = 0, ANSWER_DENY = 1, ANSWER_SILENT = 2, ANSWER_REJECT = 3 } answer_mode;

typedef struct world {
	kit_world k; /* first: the kit's world calls back into pump() with it */
	fake_order orders[MAX_ORDERS];
	size_t norders;
	answer_mode mode[2];
	th_qty fill[2];
} world;

static void pump(world *w);

static void pump_k(kit_world *k)
{
	pump((world *)(void *)k);
}

static void base_config(fake_host *h)
{
	fake_config(h, "symbol", "\"BTC-USDT\"");
	fake_config(h, "venue_a", "\"sim\"");
	fake_config(h, "venue_b", "\"sim_b\"");
	fake_config(h, "qty", "\"0.01\"");
	fake_config(h, "max_position", "\"0.03\"");
	fake_config(h, "max_residual", "\"0.01\"");
	fake_config(h, "fee_a_bps", "\"1\"");
	fake_config(h, "fee_b_bps", "\"1\"");
	fake_config(h, "threshold_bps", "\"1\"");
	fake_config(h, "tick", "\"0.01\"");
	fake_config(h, "lot", "\"0.0001\"");
	fake_config(h, "max_quote_age_ms", "500"); /* pairs 1 s apart: each opportunity is seen once */
}

static void world_init(world *w)
{
	memset(w, 0, sizeof *w);
	kit_world_init(&w->k, desc(), "ava", "BTC-USDT", base_config, pump_k);
	w->fill[0] = w->fill[1] = -1;
}

static void deliver_order(world *w, int venue, const char *clid, uint32_t side, uint32_t state, th_qty qty,
	th_qty filled, const char *reason)
{
	kit_world_order(&w->k, venues[venue], clid, side, state, 0, qty, filled, reason);
}

static void deliver_fill(world *w, int venue, const char *clid, uint32_t side, th_price px, th_qty qty, int oms)
{
	char id[64];
	snprintf(id, sizeof id, "T-%s", clid);
	kit_world_fill(&w->k, venues[venue], clid, id, side, TH_LIQ_TAKER, px, qty, oms);
}

/* Answer one order to the end: fill `qty` (may be 0), then its final state. */
static void complete(world *w, fake_order *f, th_qty qty)
{
	if (qty > f->qty - f->filled)
		qty = f->qty - f->filled;
	if (qty > 0) {
		f->filled += qty;
		deliver_fill(w, f->venue, f->clid, f->side, f->price ? f->price : 6500000, qty, 1);
	}
	deliver_order(w, f->venue, f->clid, f->side, f->filled == f->qty ? TH_ORDER_FILLED : TH_ORDER_CANCELED, f->qty,
		f->filled, f->filled == f->qty ? "" : "IOC: unfilled remainder canceled");
}

static void pump(world *w)
{
	while (w->k.seen < w->k.h.nevents) {
		th_event ev = w->k.h.events[w->k.seen++];
		if (ev.h.type != TH_EV_INTENT || ev.u.intent.action != TH_INTENT_PLACE)
			continue;
		int v = strcmp(ev.h.venue, "sim") == 0 ? 0 : 1;
		if (w->mode[v] == ANSWER_DENY) {
			kit_world_deny(&w->k, NULL, ev.u.intent.intent_id, "limits", "exposure");
			continue;
		}
		if (w->mode[v] == ANSWER_REJECT) {
			deliver_order(w, v, "", ev.u.intent.order.side, TH_ORDER_REJECTED, ev.u.intent.order.qty, 0,
				"insufficient funds");
			continue;
		}
		assert_true(w->norders < MAX_ORDERS);
		fake_order *f = &w->orders[w->norders++];
		memset(f, 0, sizeof *f);
		snprintf(f->clid, sizeof f->clid, "c%zu", w->norders - 1);
		f->venue = v;
		f->side = ev.u.intent.order.side;
		f->type = ev.u.intent.order.type;
		f->tif = ev.u.intent.order.tif;
		f->price = ev.u.intent.order.price;
		f->qty = ev.u.intent.order.qty;
		deliver_order(w, v, f->clid, f->side, TH_ORDER_SUBMITTED, f->qty, 0, "");
		if (w->mode[v] == ANSWER_SILENT)
			continue;
		deliver_order(w, v, f->clid, f->side, TH_ORDER_ACCEPTED, f->qty, 0, "");
		complete(w, f, w->fill[v] < 0 ? f->qty : w->fill[v]);
	}
}

static void quote(world *w, int venue, int64_t dt_ms, th_price bid, th_price ask)
{
	kit_world_quote(&w->k, venues[venue], dt_ms, bid, ask);
}

/* a at 65000.00/65000.02; b dearer by `bp` basis points (bid and ask). */
static void pair(world *w, int64_t dt_ms, int64_t b_shift)
{
	quote(w, 0, dt_ms, 6500000, 6500002);
	quote(w, 1, 0, 6500000 + b_shift, 6500002 + b_shift);
}

static size_t intents(const world *w)
{
	return kit_world_intents(&w->k);
}

static const th_event *intent_ev(const world *w, size_t k)
{
	return kit_world_intent(&w->k, k);
}

static const char *msg_with(const world *w, const char *kind, const char *needle)
{
	return kit_world_msg_with(&w->k, kind, needle);
}

static void assert_explains(world *w, const char *needle)
{
	char buf[512];
	kit_world_explain(&w->k, buf, sizeof buf);
	if (!strstr(buf, needle))
		fail_msg("explain \"%s\" lacks \"%s\"", buf, needle);
}

/* ------------------------------------------------------------------ tests */

/* 1 bp fees each and a 1 bp threshold need b's bid above
 * 65000.02 x 1.0002 / 0.9999 = 65019.5202 for a buy at 65000.02. */
static void test_fires_only_past_threshold(void **state)
{
	(void)state;
	world w;
	world_init(&w);
	kit_world_start(&w.k);
	quote(&w, 0, 1000, 6500000, 6500002);
	assert_int_equal(intents(&w), 0); /* one venue known: nothing to compare */
	quote(&w, 1, 0, 6501900, 6501902);
	assert_int_equal(intents(&w), 0);
	quote(&w, 1, 0, 6501952, 6501954); /* net 0.9997 bp */
	assert_int_equal(intents(&w), 0);
	assert_null(msg_with(&w, "decision", ""));
	w.mode[0] = w.mode[1] = ANSWER_SILENT;
	quote(&w, 1, 0, 6501953, 6501955);
	assert_int_equal(intents(&w), 2);
	const th_event *buy = intent_ev(&w, 0), *sell = intent_ev(&w, 1);
	assert_string_equal(buy->h.venue, "sim");
	assert_string_equal(buy->h.symbol, "BTC-USDT");
	assert_int_equal(buy->u.intent.action, TH_INTENT_PLACE);
	assert_int_equal(buy->u.intent.order.side, TH_SIDE_BUY);
	assert_int_equal(buy->u.intent.order.type, TH_ORDER_LIMIT);
	assert_int_equal(buy->u.intent.order.tif, TH_TIF_IOC);
	assert_int_equal(buy->u.intent.order.price, 6500002);
	assert_int_equal(buy->u.intent.order.qty, QTY);
	assert_int_equal(buy->u.intent.order.price_scale, 2);
	assert_int_equal(buy->u.intent.order.qty_scale, 4);
	assert_string_equal(sell->h.venue, "sim_b");
	assert_int_equal(sell->u.intent.order.side, TH_SIDE_SELL);
	assert_int_equal(sell->u.intent.order.tif, TH_TIF_IOC);
	assert_int_equal(sell->u.intent.order.price, 6501953);
	assert_int_equal(sell->u.intent.order.qty, QTY);
	const char *m = msg_with(&w, "decision", "buy sim at 65000.02 (ask) < sell sim_b at 65019.53 (bid)");
	assert_non_null(m);
	assert_non_null(strstr(m, "fees 2.00 bp"));
	assert_non_null(strstr(m, "> threshold 1.00 bp"));
	/* in flight: nothing new, however good the quotes */
	quote(&w, 1, 0, 6510000, 6510002);
	assert_int_equal(intents(&w), 2);
	kit_world_end(&w.k);
}

static void test_stale_touch_not_traded(void **state)
{
	(void)state;
	world w;
	world_init(&w);
	fake_config(&w.k.h, "max_quote_age_ms", "500");
	kit_world_start(&w.k);
	quote(&w, 1, 1000, 6510000, 6510002); /* b dear, but ... */
	quote(&w, 0, 600, 6500000, 6500002); /* ... 600 ms old when a arrives */
	assert_int_equal(intents(&w), 0);
	quote(&w, 1, 0, 6510000, 6510002); /* refreshed */
	assert_int_equal(intents(&w), 2);
	kit_world_end(&w.k);
}

/* Complete legs: +q on a, -q on b, no residual; the per-venue bound stops
 * the third... fourth opportunity; the reverse direction unwinds. */
static void test_positions_and_bound(void **state)
{
	(void)state;
	world w;
	world_init(&w);
	kit_world_start(&w.k);
	for (int i = 0; i < 4; i++)
		pair(&w, 1000, 2000);
	assert_int_equal(intents(&w), 6); /* 3 episodes: 0.03 = max_position */
	assert_explains(&w, "position sim 0.0300, sim_b -0.0300, residual 0.0000");
	assert_explains(&w, "3 opportunities (3 complete, 0 partial), 0 hedges");
	/* raw venue copies are not ours to book */
	deliver_fill(&w, 0, "c0", TH_SIDE_BUY, 6500002, QTY, 0);
	assert_explains(&w, "position sim 0.0300");
	/* b cheaper now: buy b, sell a */
	pair(&w, 1000, -2000);
	assert_int_equal(intents(&w), 8);
	assert_string_equal(intent_ev(&w, 6)->h.venue, "sim_b");
	assert_int_equal(intent_ev(&w, 6)->u.intent.order.side, TH_SIDE_BUY);
	assert_string_equal(intent_ev(&w, 7)->h.venue, "sim");
	assert_int_equal(intent_ev(&w, 7)->u.intent.order.side, TH_SIDE_SELL);
	assert_explains(&w, "position sim 0.0200, sim_b -0.0200");
	assert_null(msg_with(&w, "decision", "residual"));
	kit_world_end(&w.k);
}

/* The sell leg fills 40 %: residual +0.006 is flattened at market on a. */
static void test_partial_leg_flattened(void **state)
{
	(void)state;
	world w;
	world_init(&w);
	kit_world_start(&w.k);
	w.fill[1] = 40;
	pair(&w, 1000, 2000);
	assert_int_equal(intents(&w), 3);
	const th_event *h = intent_ev(&w, 2);
	assert_string_equal(h->h.venue, "sim");
	assert_int_equal(h->u.intent.order.side, TH_SIDE_SELL);
	assert_int_equal(h->u.intent.order.type, TH_ORDER_MARKET);
	assert_int_equal(h->u.intent.order.tif, TH_TIF_IOC);
	assert_int_equal(h->u.intent.order.qty, 60);
	const char *m = msg_with(&w, "decision", "residual 0.0060 (sim 0.0100, sim_b -0.0040)");
	assert_non_null(m);
	assert_non_null(strstr(m, "policy flatten"));
	assert_non_null(strstr(m, "sell 0.0060 at market (IOC) on sim"));
	assert_explains(&w, "position sim 0.0040, sim_b -0.0040, residual 0.0000");
	assert_explains(&w, "1 opportunities (0 complete, 1 partial), 1 hedges");
	assert_int_equal(fake_metric(&w.k.h, "arb_hedges_total"), 1);
	assert_int_equal(fake_metric(&w.k.h, "arb_residual"), 0);
	/* flat again: the next opportunity is taken */
	w.fill[1] = -1;
	pair(&w, 1000, 2000);
	assert_int_equal(intents(&w), 5);
	kit_world_end(&w.k);
}

/* Policy retry: the missing part of the sell leg is sold at market on b. */
static void test_partial_leg_retried(void **state)
{
	(void)state;
	world w;
	world_init(&w);
	fake_config(&w.k.h, "residual_policy", "\"retry\"");
	kit_world_start(&w.k);
	w.fill[1] = 0; /* the sell leg misses entirely */
	pair(&w, 1000, 2000);
	/* the retry on b misses too (fill 0): the next hedge flattens on a */
	assert_int_equal(intents(&w), 4);
	const th_event *r = intent_ev(&w, 2), *f = intent_ev(&w, 3);
	assert_string_equal(r->h.venue, "sim_b");
	assert_int_equal(r->u.intent.order.side, TH_SIDE_SELL);
	assert_int_equal(r->u.intent.order.qty, QTY);
	assert_non_null(msg_with(&w, "decision", "policy retry: complete the missing leg -> sell 0.0100"));
	assert_string_equal(f->h.venue, "sim");
	assert_int_equal(f->u.intent.order.side, TH_SIDE_SELL);
	assert_int_equal(f->u.intent.order.type, TH_ORDER_MARKET);
	assert_non_null(msg_with(&w, "decision", "after hedge 1 of 3; policy flatten"));
	assert_explains(&w, "position sim 0.0000, sim_b 0.0000, residual 0.0000");
	kit_world_end(&w.k);
}

/* Hedges that keep failing: alert after max_hedge_attempts, no new
 * opportunity while the residual is held, retries on the timer only. */
static void test_failing_hedges_alert_and_retry_on_timer(void **state)
{
	(void)state;
	world w;
	world_init(&w);
	fake_config(&w.k.h, "max_hedge_attempts", "2");
	kit_world_start(&w.k);
	w.fill[1] = 0;
	w.mode[0] = ANSWER_SILENT; /* answer a's orders by hand */
	pair(&w, 1000, 2000);
	assert_int_equal(intents(&w), 2);
	complete(&w, &w.orders[0], QTY); /* the buy leg on a fills */
	pump(&w);
	assert_int_equal(intents(&w), 3); /* hedge 1: sell on a */
	complete(&w, &w.orders[2], 0);
	pump(&w);
	assert_int_equal(intents(&w), 4); /* hedge 2 */
	complete(&w, &w.orders[3], 0);
	pump(&w);
	assert_int_equal(intents(&w), 4); /* halted */
	assert_int_equal(fake_count(&w.k.h, TH_EV_ALERT), 1);
	const th_event *al = fake_event(&w.k.h, TH_EV_ALERT, 0);
	assert_string_equal(al->u.alert.code, "arb_hedge_failing");
	assert_explains(&w, "HALTED");
	assert_explains(&w, "residual 0.0100");
	/* quotes neither hedge nor trade while halted */
	pair(&w, 100, 5000);
	assert_int_equal(intents(&w), 4);
	/* the timer retries; this time the market takes it */
	w.mode[0] = ANSWER_FILL;
	w.k.t += 1000 * MS;
	fake_advance_to(&w.k.h, w.k.t);
	pump(&w);
	assert_int_equal(intents(&w), 5);
	assert_non_null(msg_with(&w, "decision", "timer retry"));
	assert_non_null(msg_with(&w, "decision", "residual hedged; taking opportunities again"));
	assert_explains(&w, "residual 0.0000");
	w.fill[1] = -1;
	pair(&w, 100, 5000);
	assert_int_equal(intents(&w), 7);
	kit_world_end(&w.k);
}

/* Publishing from the timer, the host answers inside publish(): a hedge
 * sent from the timer must still be tracked to its end. */
static void test_synchronous_answers(void **state)
{
	(void)state;
	world w;
	world_init(&w);
	w.k.sync = 1;
	fake_config(&w.k.h, "max_hedge_attempts", "1");
	kit_world_start(&w.k);
	w.mode[0] = ANSWER_SILENT;
	w.fill[1] = 0;
	pair(&w, 1000, 2000);
	assert_int_equal(intents(&w), 2);
	complete(&w, &w.orders[0], QTY); /* buy on a fills, sell on b missed: hedge on a */
	assert_int_equal(intents(&w), 3);
	complete(&w, &w.orders[2], 0);   /* the hedge misses: halted */
	assert_explains(&w, "HALTED");
	w.mode[0] = ANSWER_FILL;
	w.k.t += 1000 * MS;
	fake_advance_to(&w.k.h, w.k.t); /* timer: hedge, answered inside publish() */
	assert_int_equal(intents(&w), 4);
	assert_explains(&w, "residual 0.0000");
	assert_explains(&w, "waiting for an edge");
	w.fill[1] = -1;
	pair(&w, 1000, 2000);
	assert_int_equal(intents(&w), 6);
	assert_explains(&w, "2 opportunities (1 complete, 1 partial), 2 hedges");
	assert_explains(&w, "position sim 0.0100, sim_b -0.0100, residual 0.0000");
	kit_world_end(&w.k);
}

/* A leg denied by risk or rejected by the OMS counts as unfilled. */
static void test_refused_legs(void **state)
{
	(void)state;
	world w;
	world_init(&w);
	kit_world_start(&w.k);
	w.mode[1] = ANSWER_DENY;
	pair(&w, 1000, 2000);
	assert_int_equal(intents(&w), 3);
	assert_non_null(msg_with(&w, "explanation", "leg order on sim_b denied by risk (limits): exposure"));
	assert_string_equal(intent_ev(&w, 2)->h.venue, "sim");
	assert_int_equal(intent_ev(&w, 2)->u.intent.order.side, TH_SIDE_SELL);
	assert_explains(&w, "residual 0.0000");
	/* both rejected by the OMS: nothing filled, nothing to hedge */
	w.mode[0] = w.mode[1] = ANSWER_REJECT;
	pair(&w, 1000, 2000);
	assert_int_equal(intents(&w), 5);
	assert_non_null(msg_with(&w, "explanation", "refused: insufficient funds"));
	w.mode[0] = w.mode[1] = ANSWER_FILL;
	pair(&w, 1000, 2000);
	assert_int_equal(intents(&w), 7); /* not stuck */
	kit_world_end(&w.k);
}

/* Legs are sized to the displayed quantity when asked to. */
static void test_cap_to_quote_size(void **state)
{
	(void)state;
	world w;
	world_init(&w);
	kit_world_start(&w.k);
	w.mode[0] = w.mode[1] = ANSWER_SILENT;
	quote(&w, 0, 1000, 6500000, 6500002);
	th_event ev;
	memset(&ev, 0, sizeof ev);
	th_event_init(&ev, TH_EV_QUOTE);
	strcpy(ev.h.venue, "sim_b");
	strcpy(ev.h.symbol, "BTC-USDT");
	ev.h.ts_ns = w.k.t;
	ev.u.quote.bid = 6502000;
	ev.u.quote.ask = 6502002;
	ev.u.quote.bid_qty = 37;
	ev.u.quote.ask_qty = 5;
	ev.u.quote.price_scale = 2;
	ev.u.quote.qty_scale = 4;
	fake_deliver(&w.k.h, &ev);
	assert_int_equal(intents(&w), 2);
	assert_int_equal(intent_ev(&w, 0)->u.intent.order.qty, 37);
	assert_int_equal(intent_ev(&w, 1)->u.intent.order.qty, 37);
	kit_world_end(&w.k);
}

static void expect_refused(const char *key, const char *literal, const char *needle)
{
	kit_world_refused(desc(), "ava", base_config, key, literal, needle);
}

static void test_bad_parameters_refused(void **state)
{
	(void)state;
	expect_refused("venue_b", "\"sim\"", "key 'venue_b': must name another venue than venue_a");
	expect_refused("qty", "\"0\"", "key 'qty'");
	expect_refused("max_residual", "\"0.005\"", "key 'max_residual': must be >= qty");
	expect_refused("max_position", "\"0.001\"", "key 'max_position'");
	expect_refused("residual_policy", "\"hope\"", "key 'residual_policy'");
	expect_refused("fee_a_bps", "\"2000\"", "key 'fee_a_bps'");
	expect_refused("threshold_bps", "\"-1\"", "key 'threshold_bps'");
	expect_refused("lot", "\"0.003\"", "key 'qty': must be a multiple of lot");
	expect_refused("max_hedge_attempts", "0", "key 'max_hedge_attempts'");
}

static void scenario(world *w, int sync)
{
	world_init(w);
	w->k.sync = sync;
	kit_world_start(&w->k);
	pair(w, 1000, 2000);
	w->fill[1] = 30;
	pair(w, 1000, 2500);
	w->fill[1] = -1;
	pair(w, 1000, -3000);
	pair(w, 1000, 100);
	pair(w, 1000, -4000);
}

static void test_deterministic(void **state)
{
	(void)state;
	world *a = malloc(sizeof *a), *b = malloc(sizeof *b);
	assert_non_null(a);
	assert_non_null(b);
	for (int sync = 0; sync < 2; sync++) {
		scenario(a, sync);
		scenario(b, sync);
		assert_true(kit_world_same_intents(&a->k, &b->k) >= 9);
		kit_world_end(&a->k);
		kit_world_end(&b->k);
	}
	free(a);
	free(b);
}

/* Hot reload with both legs in flight: the new generation finishes the
 * episode and hedges what the old one started. */
static void test_hot_reload_with_legs_in_flight(void **state)
{
	(void)state;
	world *w1 = malloc(sizeof *w1), *w2 = malloc(sizeof *w2);
	assert_non_null(w1);
	assert_non_null(w2);
	world_init(w1);
	kit_world_start(&w1->k);
	pair(w1, 1000, 2000); /* one complete episode */
	w1->mode[0] = w1->mode[1] = ANSWER_SILENT;
	pair(w1, 1000, 2000);
	assert_int_equal(intents(w1), 4);
	world_init(w2);
	memcpy(w2->orders, w1->orders, sizeof w1->orders);
	w2->norders = w1->norders;
	kit_world_reload(&w1->k, &w2->k);
	assert_explains(w2, "position sim 0.0100, sim_b -0.0100");
	assert_explains(w2, "orders in flight");
	complete(w2, &w2->orders[2], QTY); /* the buy on a fills */
	complete(w2, &w2->orders[3], 0);   /* the sell on b misses */
	pump(w2);
	assert_int_equal(intents(w2), 1);
	assert_int_equal(intent_ev(w2, 0)->u.intent.order.side, TH_SIDE_SELL);
	assert_string_equal(intent_ev(w2, 0)->h.venue, "sim");
	assert_true(intent_ev(w2, 0)->u.intent.intent_id > 4);
	assert_explains(w2, "position sim 0.0100, sim_b -0.0100, residual 0.0000");
	/* another market's state is refused */
	fake_host h;
	fake_host_init(&h, "ava", desc()->config_schema);
	base_config(&h);
	fake_config(&h, "venue_b", "\"other\"");
	void *inst = NULL, *data = NULL;
	size_t len = 0;
	assert_int_equal(desc()->create(&h.api, fake_ctx(&h), &inst), TH_OK);
	assert_int_equal(desc()->export_state(w2->k.inst, &data, &len), TH_OK);
	assert_int_equal(desc()->import_state(inst, data, len), TH_ERR_INVALID);
	assert_non_null(strstr(h.error, "state belongs to BTC-USDT on sim/sim_b"));
	w2->k.h.api.free(fake_ctx(&w2->k.h), data);
	desc()->destroy(inst);
	fake_host_free(&h);
	kit_world_end(&w1->k);
	kit_world_end(&w2->k);
	free(w1);
	free(w2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fires_only_past_threshold),
		cmocka_unit_test(test_stale_touch_not_traded),
		cmocka_unit_test(test_positions_and_bound),
		cmocka_unit_test(test_partial_leg_flattened),
		cmocka_unit_test(test_partial_leg_retried),
		cmocka_unit_test(test_failing_hedges_alert_and_retry_on_timer),
		cmocka_unit_test(test_synchronous_answers),
		cmocka_unit_test(test_refused_legs),
		cmocka_unit_test(test_cap_to_quote_size),
		cmocka_unit_test(test_bad_parameters_refused),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_hot_reload_with_legs_in_flight),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
