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
	fake_host h;
	void *inst;
	size_t seen;
	fake_order orders[MAX_ORDERS];
	size_t norders;
	answer_mode mode[2];
	th_qty fill[2];
	int64_t t;
	int sync; /* answer inside publish(), as the host does for publishes from a timer */
} world;

static void pump(world *w);

static int (*fake_publish)(th_ctx *ctx, const th_event *ev);

static int sync_publish(th_ctx *ctx, const th_event *ev)
{
	world *w = (world *)(void *)ctx; /* fake_host is the first member */
	int rc = fake_publish(ctx, ev);
	if (rc == TH_OK && w->sync)
		pump(w);
	return rc;
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
	fake_host_init(&w->h, "ava", desc()->config_schema);
	base_config(&w->h);
	w->fill[0] = w->fill[1] = -1;
	w->t = w->h.now_ns;
	fake_publish = w->h.api.publish;
	w->h.api.publish = sync_publish;
}

static void world_start(world *w)
{
	int rc = desc()->create(&w->h.api, fake_ctx(&w->h), &w->inst);
	if (rc != TH_OK)
		fail_msg("create failed (%d): %s", rc, w->h.error);
	assert_int_equal(desc()->start(w->inst), TH_OK);
}

static void world_end(world *w)
{
	assert_int_equal(desc()->stop(w->inst), TH_OK);
	assert_int_equal(desc()->stop(w->inst), TH_OK);
	desc()->destroy(w->inst);
	assert_int_equal(w->h.live_allocs, 0);
	fake_host_free(&w->h);
}

static void deliver_order(world *w, int venue, const char *clid, uint32_t side, uint32_t state, th_qty qty,
	th_qty filled, const char *reason)
{
	th_event ev;
	memset(&ev, 0, sizeof ev);
	th_event_init(&ev, TH_EV_ORDER);
	ev.h.flags = TH_EVENT_FLAG_OMS;
	strcpy(ev.h.venue, venues[venue]);
	strcpy(ev.h.symbol, "BTC-USDT");
	strcpy(ev.h.agent, "ava");
	th_strlcpy(ev.u.order.client_order_id, clid, sizeof ev.u.order.client_order_id);
	ev.u.order.state = state;
	ev.u.order.side = side;
	ev.u.order.qty = qty;
	ev.u.order.filled_qty = filled;
	ev.u.order.price_scale = 2;
	ev.u.order.qty_scale = 4;
	th_strlcpy(ev.u.order.reason, reason, sizeof ev.u.order.reason);
	fake_deliver(&w->h, &ev);
}

static void deliver_fill(world *w, int venue, const char *clid, uint32_t side, th_price px, th_qty qty, int oms)
{
	th_event ev;
	memset(&ev, 0, sizeof ev);
	th_event_init(&ev, TH_EV_FILL);
	ev.h.flags = oms ? TH_EVENT_FLAG_OMS : 0;
	strcpy(ev.h.venue, venues[venue]);
	strcpy(ev.h.symbol, "BTC-USDT");
	strcpy(ev.h.agent, oms ? "ava" : "");
	th_strlcpy(ev.u.fill.client_order_id, clid, sizeof ev.u.fill.client_order_id);
	snprintf(ev.u.fill.venue_trade_id, sizeof ev.u.fill.venue_trade_id, "T-%s", clid);
	ev.u.fill.side = side;
	ev.u.fill.liquidity = TH_LIQ_TAKER;
	ev.u.fill.price = px;
	ev.u.fill.qty = qty;
	ev.u.fill.price_scale = 2;
	ev.u.fill.qty_scale = 4;
	fake_deliver(&w->h, &ev);
}

static void deny(world *w, uint64_t intent_id)
{
	th_event r;
	memset(&r, 0, sizeof r);
	th_event_init(&r, TH_EV_RISK);
	strcpy(r.h.agent, "ava");
	r.u.risk.intent_id = intent_id;
	r.u.risk.approved = 0;
	r.u.risk.reason_code = 3;
	strcpy(r.u.risk.plugin, "limits");
	strcpy(r.u.risk.message, "exposure");
	fake_deliver(&w->h, &r);
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
	while (w->seen < w->h.nevents) {
		th_event ev = w->h.events[w->seen++];
		if (ev.h.type != TH_EV_INTENT || ev.u.intent.action != TH_INTENT_PLACE)
			continue;
		int v = strcmp(ev.h.venue, "sim") == 0 ? 0 : 1;
		if (w->mode[v] == ANSWER_DENY) {
			deny(w, ev.u.intent.intent_id);
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
	w->t += dt_ms * MS;
	fake_advance_to(&w->h, w->t);
	pump(w);
	th_event ev;
	memset(&ev, 0, sizeof ev);
	th_event_init(&ev, TH_EV_QUOTE);
	strcpy(ev.h.venue, venues[venue]);
	strcpy(ev.h.symbol, "BTC-USDT");
	ev.h.ts_ns = w->t;
	ev.u.quote.bid = bid;
	ev.u.quote.ask = ask;
	ev.u.quote.bid_qty = ev.u.quote.ask_qty = 10000;
	ev.u.quote.price_scale = 2;
	ev.u.quote.qty_scale = 4;
	fake_deliver(&w->h, &ev);
	pump(w);
}

/* a at 65000.00/65000.02; b dearer by `bp` basis points (bid and ask). */
static void pair(world *w, int64_t dt_ms, int64_t b_shift)
{
	quote(w, 0, dt_ms, 6500000, 6500002);
	quote(w, 1, 0, 6500000 + b_shift, 6500002 + b_shift);
}

static size_t intents(const world *w)
{
	return fake_count(&w->h, TH_EV_INTENT);
}

static const th_event *intent_ev(const world *w, size_t k)
{
	const th_event *ev = fake_event(&w->h, TH_EV_INTENT, k);
	assert_non_null(ev);
	return ev;
}

static const char *msg_with(const world *w, const char *kind, const char *needle)
{
	for (size_t i = w->h.nevents; i-- > 0;) {
		const th_event *ev = &w->h.events[i];
		if (ev->h.type == TH_EV_AGENT_MSG && strcmp(ev->u.agent_msg.kind, kind) == 0 &&
			strstr(ev->u.agent_msg.text, needle))
			return ev->u.agent_msg.text;
	}
	return NULL;
}

static void explain(world *w, char *buf, size_t cap)
{
	const th_strategy_api *s = desc()->kind_api;
	assert_int_equal(s->explain(w->inst, buf, cap), TH_OK);
}

static void assert_explains(world *w, const char *needle)
{
	char buf[512];
	explain(w, buf, sizeof buf);
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
	world_start(&w);
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
	world_end(&w);
}

static void test_stale_touch_not_traded(void **state)
{
	(void)state;
	world w;
	world_init(&w);
	fake_config(&w.h, "max_quote_age_ms", "500");
	world_start(&w);
	quote(&w, 1, 1000, 6510000, 6510002); /* b dear, but ... */
	quote(&w, 0, 600, 6500000, 6500002); /* ... 600 ms old when a arrives */
	assert_int_equal(intents(&w), 0);
	quote(&w, 1, 0, 6510000, 6510002); /* refreshed */
	assert_int_equal(intents(&w), 2);
	world_end(&w);
}

/* Complete legs: +q on a, -q on b, no residual; the per-venue bound stops
 * the third... fourth opportunity; the reverse direction unwinds. */
static void test_positions_and_bound(void **state)
{
	(void)state;
	world w;
	world_init(&w);
	world_start(&w);
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
	world_end(&w);
}

/* The sell leg fills 40 %: residual +0.006 is flattened at market on a. */
static void test_partial_leg_flattened(void **state)
{
	(void)state;
	world w;
	world_init(&w);
	world_start(&w);
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
	assert_int_equal(fake_metric(&w.h, "arb_hedges_total"), 1);
	assert_int_equal(fake_metric(&w.h, "arb_residual"), 0);
	/* flat again: the next opportunity is taken */
	w.fill[1] = -1;
	pair(&w, 1000, 2000);
	assert_int_equal(intents(&w), 5);
	world_end(&w);
}

/* Policy retry: the missing part of the sell leg is sold at market on b. */
static void test_partial_leg_retried(void **state)
{
	(void)state;
	world w;
	world_init(&w);
	fake_config(&w.h, "residual_policy", "\"retry\"");
	world_start(&w);
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
	world_end(&w);
}

/* Hedges that keep failing: alert after max_hedge_attempts, no new
 * opportunity while the residual is held, retries on the timer only. */
static void test_failing_hedges_alert_and_retry_on_timer(void **state)
{
	(void)state;
	world w;
	world_init(&w);
	fake_config(&w.h, "max_hedge_attempts", "2");
	world_start(&w);
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
	assert_int_equal(fake_count(&w.h, TH_EV_ALERT), 1);
	const th_event *al = fake_event(&w.h, TH_EV_ALERT, 0);
	assert_string_equal(al->u.alert.code, "arb_hedge_failing");
	assert_explains(&w, "HALTED");
	assert_explains(&w, "residual 0.0100");
	/* quotes neither hedge nor trade while halted */
	pair(&w, 100, 5000);
	assert_int_equal(intents(&w), 4);
	/* the timer retries; this time the market takes it */
	w.mode[0] = ANSWER_FILL;
	w.t += 1000 * MS;
	fake_advance_to(&w.h, w.t);
	pump(&w);
	assert_int_equal(intents(&w), 5);
	assert_non_null(msg_with(&w, "decision", "timer retry"));
	assert_non_null(msg_with(&w, "decision", "residual hedged; taking opportunities again"));
	assert_explains(&w, "residual 0.0000");
	w.fill[1] = -1;
	pair(&w, 100, 5000);
	assert_int_equal(intents(&w), 7);
	world_end(&w);
}

/* Publishing from the timer, the host answers inside publish(): a hedge
 * sent from the timer must still be tracked to its end. */
static void test_synchronous_answers(void **state)
{
	(void)state;
	world w;
	world_init(&w);
	w.sync = 1;
	fake_config(&w.h, "max_hedge_attempts", "1");
	world_start(&w);
	w.mode[0] = ANSWER_SILENT;
	w.fill[1] = 0;
	pair(&w, 1000, 2000);
	assert_int_equal(intents(&w), 2);
	complete(&w, &w.orders[0], QTY); /* buy on a fills, sell on b missed: hedge on a */
	assert_int_equal(intents(&w), 3);
	complete(&w, &w.orders[2], 0);   /* the hedge misses: halted */
	assert_explains(&w, "HALTED");
	w.mode[0] = ANSWER_FILL;
	w.t += 1000 * MS;
	fake_advance_to(&w.h, w.t); /* timer: hedge, answered inside publish() */
	assert_int_equal(intents(&w), 4);
	assert_explains(&w, "residual 0.0000");
	assert_explains(&w, "waiting for an edge");
	w.fill[1] = -1;
	pair(&w, 1000, 2000);
	assert_int_equal(intents(&w), 6);
	assert_explains(&w, "2 opportunities (1 complete, 1 partial), 2 hedges");
	assert_explains(&w, "position sim 0.0100, sim_b -0.0100, residual 0.0000");
	world_end(&w);
}

/* A leg denied by risk or rejected by the OMS counts as unfilled. */
static void test_refused_legs(void **state)
{
	(void)state;
	world w;
	world_init(&w);
	world_start(&w);
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
	world_end(&w);
}

/* Legs are sized to the displayed quantity when asked to. */
static void test_cap_to_quote_size(void **state)
{
	(void)state;
	world w;
	world_init(&w);
	world_start(&w);
	w.mode[0] = w.mode[1] = ANSWER_SILENT;
	quote(&w, 0, 1000, 6500000, 6500002);
	th_event ev;
	memset(&ev, 0, sizeof ev);
	th_event_init(&ev, TH_EV_QUOTE);
	strcpy(ev.h.venue, "sim_b");
	strcpy(ev.h.symbol, "BTC-USDT");
	ev.h.ts_ns = w.t;
	ev.u.quote.bid = 6502000;
	ev.u.quote.ask = 6502002;
	ev.u.quote.bid_qty = 37;
	ev.u.quote.ask_qty = 5;
	ev.u.quote.price_scale = 2;
	ev.u.quote.qty_scale = 4;
	fake_deliver(&w.h, &ev);
	assert_int_equal(intents(&w), 2);
	assert_int_equal(intent_ev(&w, 0)->u.intent.order.qty, 37);
	assert_int_equal(intent_ev(&w, 1)->u.intent.order.qty, 37);
	world_end(&w);
}

static void expect_refused(const char *key, const char *literal, const char *needle)
{
	fake_host h;
	fake_host_init(&h, "ava", desc()->config_schema);
	base_config(&h);
	fake_config(&h, key, literal);
	void *inst = NULL;
	if (desc()->create(&h.api, fake_ctx(&h), &inst) == TH_OK)
		fail_msg("%s = %s was accepted", key, literal);
	if (!strstr(h.error, needle))
		fail_msg("%s = %s: error \"%s\" lacks \"%s\"", key, literal, h.error, needle);
	assert_int_equal(h.live_allocs, 0);
	fake_host_free(&h);
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
	w->sync = sync;
	world_start(w);
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
		size_t n = intents(a);
		assert_true(n >= 9);
		assert_int_equal(n, intents(b));
		for (size_t k = 0; k < n; k++) {
			const th_event *x = intent_ev(a, k), *y = intent_ev(b, k);
			assert_memory_equal(&x->u.intent, &y->u.intent, sizeof x->u.intent);
			assert_string_equal(x->h.venue, y->h.venue);
		}
		world_end(a);
		world_end(b);
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
	world_start(w1);
	pair(w1, 1000, 2000); /* one complete episode */
	w1->mode[0] = w1->mode[1] = ANSWER_SILENT;
	pair(w1, 1000, 2000);
	assert_int_equal(intents(w1), 4);
	void *data = NULL;
	size_t len = 0;
	assert_int_equal(desc()->export_state(w1->inst, &data, &len), TH_OK);

	world_init(w2);
	memcpy(w2->orders, w1->orders, sizeof w1->orders);
	w2->norders = w1->norders;
	w2->t = w2->h.now_ns = w1->t;
	assert_int_equal(desc()->create(&w2->h.api, fake_ctx(&w2->h), &w2->inst), TH_OK);
	assert_int_equal(desc()->import_state(w2->inst, data, len), TH_OK);
	w1->h.api.free(fake_ctx(&w1->h), data);
	assert_int_equal(desc()->start(w2->inst), TH_OK);
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
	void *inst = NULL;
	assert_int_equal(desc()->create(&h.api, fake_ctx(&h), &inst), TH_OK);
	assert_int_equal(desc()->export_state(w2->inst, &data, &len), TH_OK);
	assert_int_equal(desc()->import_state(inst, data, len), TH_ERR_INVALID);
	assert_non_null(strstr(h.error, "state belongs to BTC-USDT on sim/sim_b"));
	w2->h.api.free(fake_ctx(&w2->h), data);
	desc()->destroy(inst);
	fake_host_free(&h);
	world_end(w1);
	world_end(w2);
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
