/*
 * market_maker — the plugin through its descriptor against the fake host,
 * with a small scripted OMS: warm-up, quotes that match the model, requotes
 * on a mid move and on the timer (cancel first, replace after the
 * confirmation), the inventory bound, position from OMS fills only, risk /
 * OMS / venue refusals, bad parameters, determinism, explanations and hot
 * reload. Instrument: BTC-USDT on "sim", price scale 2 (tick 0.01), quantity
 * scale 4 (lot 0.0001); quote size 0.01 = 100 units.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <tradehost/tradehost.h>
#include <tradehost/th_ta.h>

#include "fake_host.h"
#include "kit_world.h"
#include "mm_model.h"

#define MS 1000000LL
#define QTY 100 /* 0.01 at qty scale 4 */
#define MAX_ORDERS 128

static const th_plugin_desc *desc(void)
{
	return TH_ENTRY_NAME();
}

typedef struct fake_order {
	char clid[TH_CLORD_MAX];
	uint32_t side;
	th_price price;
	th_qty qty, filled;
	int live;
} fake_order;

/* The kit's test world plus a scripted OMS: with auto_ack, a place intent
 * is answered SUBMITTED + ACCEPTED under a new client order id "cN", a
 * cancel with CANCELED. */
typedef struct world {
	kit_world k; /* first: the kit's world calls back into pump() with it */
	fake_order orders[MAX_ORDERS];
	size_t norders;
	int auto_ack;
	int max_live_per_side; /* the most orders ever working on one side at once */
} world;

static void pump(world *w);

static void pump_k(kit_world *k)
{
	pump((world *)(void *)k);
}

static void base_config(fake_host *h)
{
	fake_config(h, "symbol", "\"BTC-USDT\"");
	fake_config(h, "venue", "\"sim\"");
	fake_config(h, "vol_window", "5");
	fake_config(h, "order_qty", "\"0.01\"");
	fake_config(h, "max_position", "\"0.03\"");
	fake_config(h, "tick", "\"0.01\"");
	fake_config(h, "lot", "\"0.0001\"");
	fake_config(h, "requote_bps", "5");
	fake_config(h, "refresh_ms", "10000");
}

static void world_init(world *w)
{
	memset(w, 0, sizeof *w);
	kit_world_init(&w->k, desc(), "mia", "BTC-USDT", base_config, pump_k);
	w->auto_ack = 1;
}

static void deliver_order(world *w, const char *clid, uint32_t side, uint32_t state, th_price px, th_qty qty,
	th_qty filled, const char *reason)
{
	kit_world_order(&w->k, "sim", clid, side, state, px, qty, filled, reason);
}

static fake_order *find_order(world *w, const char *clid)
{
	for (size_t i = 0; i < w->norders; i++)
		if (strcmp(w->orders[i].clid, clid) == 0)
			return &w->orders[i];
	return NULL;
}

static int live_on_side(const world *w, uint32_t side)
{
	int n = 0;
	for (size_t i = 0; i < w->norders; i++)
		n += w->orders[i].live && w->orders[i].side == side;
	return n;
}

/* Answers every intent published since the last call (and those the
 * answers provoke). */
static void pump(world *w)
{
	while (w->auto_ack && w->k.seen < w->k.h.nevents) {
		th_event ev = w->k.h.events[w->k.seen++];
		if (ev.h.type != TH_EV_INTENT)
			continue;
		const th_order *o = &ev.u.intent.order;
		if (ev.u.intent.action == TH_INTENT_PLACE) {
			assert_true(w->norders < MAX_ORDERS);
			fake_order *f = &w->orders[w->norders++];
			memset(f, 0, sizeof *f);
			snprintf(f->clid, sizeof f->clid, "c%zu", w->norders - 1);
			f->side = o->side;
			f->price = o->price;
			f->qty = o->qty;
			f->live = 1;
			int live = live_on_side(w, o->side);
			if (live > w->max_live_per_side)
				w->max_live_per_side = live;
			deliver_order(w, f->clid, f->side, TH_ORDER_SUBMITTED, f->price, f->qty, 0, "");
			deliver_order(w, f->clid, f->side, TH_ORDER_ACCEPTED, f->price, f->qty, 0, "");
		} else if (ev.u.intent.action == TH_INTENT_CANCEL) {
			fake_order *f = find_order(w, o->client_order_id);
			assert_non_null(f);
			if (f->live) {
				f->live = 0;
				deliver_order(w, f->clid, f->side, TH_ORDER_CANCELED, f->price, f->qty, f->filled,
					"canceled by request");
			}
		}
	}
}

static void quote_at(world *w, int64_t dt_ms, th_price bid, th_price ask)
{
	kit_world_quote(&w->k, "sim", dt_ms, bid, ask);
}

static void advance(world *w, int64_t dt_ms)
{
	kit_world_advance(&w->k, dt_ms);
}

/* One OMS fill of `qty` on clid (FILL, then its order event). */
static void fill(world *w, const char *clid, th_qty qty, int oms_flag)
{
	fake_order *f = find_order(w, clid);
	assert_non_null(f);
	char id[64];
	snprintf(id, sizeof id, "T-%s-%lld", clid, (long long)f->filled);
	kit_world_fill(&w->k, "sim", clid, id, f->side, TH_LIQ_MAKER, f->price, qty, oms_flag);
	if (!oms_flag)
		return;
	f->filled += qty;
	if (f->filled >= f->qty)
		f->live = 0;
	deliver_order(w, clid, f->side, f->live ? TH_ORDER_PARTIALLY_FILLED : TH_ORDER_FILLED, f->price, f->qty,
		f->filled, "");
	pump(w);
}

/* Mids alternating 65000.00 +- 0.50, one quote a second: 6 quotes give the 5
 * samples of the volatility window. */
static const th_price warm_bid[6] = { 6499999, 6500049, 6499949, 6500049, 6499949, 6500049 };

static void warm_up(world *w, int n)
{
	for (int i = 0; i < n; i++)
		quote_at(w, 1000, warm_bid[i], warm_bid[i] + 2);
}

static size_t intents(const world *w)
{
	return kit_world_intents(&w->k);
}

static const th_intent *intent_at(const world *w, size_t k)
{
	return &kit_world_intent(&w->k, k)->u.intent;
}

/* The last agent message of `kind` containing `needle`, or NULL. */
static const char *msg_with(const world *w, const char *kind, const char *needle)
{
	return kit_world_msg_with(&w->k, kind, needle);
}

static void explain(world *w, char *buf, size_t cap)
{
	kit_world_explain(&w->k, buf, cap);
}

/* ------------------------------------------------------------------ tests */

static void test_no_quotes_before_warm_up(void **state)
{
	(void)state;
	world w;
	world_init(&w);
	w.auto_ack = 0;
	kit_world_start(&w.k);
	warm_up(&w, 5); /* 4 samples of 5 */
	assert_int_equal(intents(&w), 0);
	assert_null(msg_with(&w, "decision", ""));
	char buf[512];
	explain(&w, buf, sizeof buf);
	assert_non_null(strstr(buf, "warming up, 4 of 5"));
	quote_at(&w, 1000, warm_bid[5], warm_bid[5] + 2); /* the 5th sample */
	assert_int_equal(intents(&w), 2);
	kit_world_end(&w.k);
}

/* The two quotes are post-only GTC limits at exactly the model's prices for
 * the realized volatility of the samples the agent saw. */
static void test_quotes_match_the_model(void **state)
{
	(void)state;
	world w;
	world_init(&w);
	w.auto_ack = 0;
	kit_world_start(&w.k);
	warm_up(&w, 6);
	assert_int_equal(intents(&w), 2);

	/* realized volatility: sqrt(sum r^2 / sum dt), r in bp, quotes 1 s apart */
	double r2[5], dt[5], m_r2[5] = { 0 }, m_dt[5] = { 0 };
	for (int i = 1; i < 6; i++) {
		double m0 = (double)(2 * warm_bid[i - 1] + 2), m1 = (double)(2 * warm_bid[i] + 2);
		double r = 1e4 * (m1 - m0) / m0;
		r2[i - 1] = r * r;
		dt[i - 1] = 1.0;
	}
	assert_int_equal(th_ta_sma_batch(r2, 5, 5, m_r2), 0);
	assert_int_equal(th_ta_sma_batch(dt, 5, 5, m_dt), 0);
	double sigma = sqrt(m_r2[4] / m_dt[4]);
	assert_true(sigma > 0.13 && sigma < 0.15); /* moves of 0.50 and 1.00 on 65000: 0.077 and 0.154 bp a second */
	mm_params p = { .gamma = 0.1, .kappa = 0.5, .horizon_s = 60, .min_spread_bps = 2, .max_spread_bps = 200,
		.max_skew_bps = 50 };
	mm_quote q;
	assert_int_equal(mm_model_quote(&p, warm_bid[5], warm_bid[5] + 2, 1, sigma, 0.0, &q), 0);

	const th_intent *bid = intent_at(&w, 0), *ask = intent_at(&w, 1);
	const th_event *bid_ev = fake_event(&w.k.h, TH_EV_INTENT, 0);
	assert_string_equal(bid_ev->h.venue, "sim");
	assert_string_equal(bid_ev->h.symbol, "BTC-USDT");
	assert_int_equal(bid->action, TH_INTENT_PLACE);
	assert_int_equal(bid->order.side, TH_SIDE_BUY);
	assert_int_equal(bid->order.type, TH_ORDER_LIMIT);
	assert_int_equal(bid->order.tif, TH_TIF_GTC);
	assert_int_equal(bid->order.flags, TH_ORDER_POST_ONLY);
	assert_int_equal(bid->order.qty, QTY);
	assert_int_equal(bid->order.price_scale, 2);
	assert_int_equal(bid->order.qty_scale, 4);
	assert_string_equal(bid->order.symbol, "BTC-USDT");
	assert_int_equal(bid->order.price, q.bid);
	assert_int_equal(ask->order.side, TH_SIDE_SELL);
	assert_int_equal(ask->order.price, q.ask);
	assert_true(bid->order.price < warm_bid[5] && ask->order.price > warm_bid[5] + 2);
	assert_true(ask->intent_id != bid->intent_id);
	/* the decision names the inputs and the rule */
	const char *m = msg_with(&w, "decision", "reservation r = mid - q*gamma*sigma^2*tau");
	assert_non_null(m);
	assert_non_null(strstr(m, "place bid"));
	assert_non_null(strstr(m, "place ask"));
	assert_non_null(strstr(m, "mid 65000.500"));
	kit_world_end(&w.k);
}

/* A mid move under the threshold changes nothing; over it, both stale
 * quotes are canceled first and replaced only after the confirmation. */
static void test_requote_on_mid_move(void **state)
{
	(void)state;
	world w;
	world_init(&w);
	kit_world_start(&w.k);
	warm_up(&w, 6);
	assert_int_equal(intents(&w), 2);
	th_price old_bid = intent_at(&w, 0)->order.price;
	quote_at(&w, 0, 6500049, 6500051); /* same instant, same mid */
	quote_at(&w, 500, 6500079, 6500081); /* +0.3 bp */
	assert_int_equal(intents(&w), 2);

	w.auto_ack = 0;
	quote_at(&w, 500, 6505049, 6505051); /* +7.7 bp */
	assert_int_equal(intents(&w), 4);
	assert_int_equal(intent_at(&w, 2)->action, TH_INTENT_CANCEL);
	assert_string_equal(intent_at(&w, 2)->order.client_order_id, "c0");
	assert_int_equal(intent_at(&w, 3)->action, TH_INTENT_CANCEL);
	assert_string_equal(intent_at(&w, 3)->order.client_order_id, "c1");
	assert_non_null(msg_with(&w, "decision", "mid moved"));
	/* no replacement before the cancel is confirmed, even on a new quote */
	quote_at(&w, 100, 6505049, 6505051);
	assert_int_equal(intents(&w), 4);
	w.auto_ack = 1;
	pump(&w); /* CANCELED for both */
	assert_int_equal(intents(&w), 6);
	assert_int_equal(intent_at(&w, 4)->action, TH_INTENT_PLACE);
	assert_int_equal(intent_at(&w, 4)->order.side, TH_SIDE_BUY);
	assert_int_not_equal(intent_at(&w, 4)->order.price, old_bid);
	assert_true(intent_at(&w, 4)->order.price < 6505051);
	assert_int_equal(intent_at(&w, 5)->order.side, TH_SIDE_SELL);
	assert_true(intent_at(&w, 5)->order.price > 6505049);
	assert_int_equal(w.max_live_per_side, 1);
	kit_world_end(&w.k);
}

/* A quote that goes stale before the OMS named it is canceled as soon as it
 * is named; an order of ours we do not know is canceled once. */
static void test_stale_before_named_and_orphans(void **state)
{
	(void)state;
	world w;
	world_init(&w);
	w.auto_ack = 0;
	kit_world_start(&w.k);
	warm_up(&w, 6);
	assert_int_equal(intents(&w), 2);
	quote_at(&w, 500, 6505049, 6505051); /* +7.7 bp while both intents are unanswered */
	assert_int_equal(intents(&w), 2);
	deliver_order(&w, "x1", TH_SIDE_BUY, TH_ORDER_SUBMITTED, intent_at(&w, 0)->order.price, QTY, 0, "");
	assert_int_equal(intents(&w), 3);
	assert_int_equal(intent_at(&w, 2)->action, TH_INTENT_CANCEL);
	assert_string_equal(intent_at(&w, 2)->order.client_order_id, "x1");
	/* the ask, stale as well, is canceled when named */
	deliver_order(&w, "x2", TH_SIDE_SELL, TH_ORDER_ACCEPTED, intent_at(&w, 1)->order.price, QTY, 0, "");
	assert_int_equal(intents(&w), 4);
	assert_string_equal(intent_at(&w, 3)->order.client_order_id, "x2");
	/* an order the agent never placed */
	deliver_order(&w, "zz", TH_SIDE_BUY, TH_ORDER_ACCEPTED, 6400000, QTY, 0, "");
	assert_int_equal(intents(&w), 5);
	assert_int_equal(intent_at(&w, 4)->action, TH_INTENT_CANCEL);
	assert_string_equal(intent_at(&w, 4)->order.client_order_id, "zz");
	deliver_order(&w, "zz", TH_SIDE_BUY, TH_ORDER_PARTIALLY_FILLED, 6400000, QTY, 10, "");
	assert_int_equal(intents(&w), 5); /* once */
	/* the cancels confirmed: both sides re-placed at the new mid */
	deliver_order(&w, "x1", TH_SIDE_BUY, TH_ORDER_CANCELED, 0, QTY, 0, "canceled by request");
	deliver_order(&w, "x2", TH_SIDE_SELL, TH_ORDER_CANCELED, 0, QTY, 0, "canceled by request");
	assert_int_equal(intents(&w), 7);
	assert_int_equal(intent_at(&w, 5)->order.side, TH_SIDE_BUY);
	assert_true(intent_at(&w, 5)->order.price < 6505051);
	assert_int_equal(intent_at(&w, 6)->order.side, TH_SIDE_SELL);
	assert_true(intent_at(&w, 6)->order.price > 6505049);
	kit_world_end(&w.k);
}

/* The timer refreshes quotes whose price went stale without a big mid move. */
static void test_requote_on_timer(void **state)
{
	(void)state;
	world w;
	world_init(&w);
	fake_config(&w.k.h, "requote_bps", "1000");
	kit_world_start(&w.k);
	warm_up(&w, 6);
	assert_int_equal(intents(&w), 2);
	assert_int_equal(fake_pending_timers(&w.k.h), 1);
	th_price old_bid = intent_at(&w, 0)->order.price, old_ask = intent_at(&w, 1)->order.price;
	quote_at(&w, 1000, 6501299, 6501301); /* +2 bp, under the 1000 bp threshold */
	assert_int_equal(intents(&w), 2);
	advance(&w, 10000); /* timer at 10 s after start */
	assert_int_equal(intents(&w), 6);
	assert_int_equal(intent_at(&w, 2)->action, TH_INTENT_CANCEL);
	assert_int_equal(intent_at(&w, 3)->action, TH_INTENT_CANCEL);
	assert_int_equal(intent_at(&w, 4)->action, TH_INTENT_PLACE);
	assert_int_equal(intent_at(&w, 4)->order.side, TH_SIDE_BUY);
	assert_int_equal(intent_at(&w, 5)->order.side, TH_SIDE_SELL);
	assert_int_not_equal(intent_at(&w, 4)->order.price, old_bid);
	assert_int_not_equal(intent_at(&w, 5)->order.price, old_ask);
	assert_non_null(msg_with(&w, "decision", "refresh timer"));
	/* nothing changed since: the next tick sends nothing */
	advance(&w, 10000);
	assert_int_equal(intents(&w), 6);
	kit_world_end(&w.k);
}

/* The host delivers events inside publish() when the agent publishes from
 * a timer: the answers to a cancel or a place arrive before publish()
 * returns. Slots must not be left stuck, nor two orders work on one side. */
static void test_synchronous_answers(void **state)
{
	(void)state;
	world w;
	world_init(&w);
	w.k.sync = 1;
	fake_config(&w.k.h, "requote_bps", "1000");
	kit_world_start(&w.k);
	warm_up(&w, 6);
	assert_int_equal(intents(&w), 2);
	char buf[512];
	for (int i = 0; i < 5; i++) {
		quote_at(&w, 1000, 6501299 + 700 * i, 6501301 + 700 * i);
		advance(&w, 10000); /* timer: cancel inside publish -> CANCELED -> replacement */
		explain(&w, buf, sizeof buf);
		if (!strstr(buf, "bid working") || !strstr(buf, "ask working"))
			fail_msg("round %d: %s", i, buf);
		assert_int_equal(live_on_side(&w, TH_SIDE_BUY), 1);
		assert_int_equal(live_on_side(&w, TH_SIDE_SELL), 1);
	}
	assert_true(intents(&w) >= 2 + 5 * 4);
	assert_int_equal(w.max_live_per_side, 1);
	/* a fill inside publish as well */
	fake_order *bid = NULL;
	for (size_t i = 0; i < w.norders; i++)
		if (w.orders[i].live && w.orders[i].side == TH_SIDE_BUY)
			bid = &w.orders[i];
	assert_non_null(bid);
	char clid[TH_CLORD_MAX];
	strcpy(clid, bid->clid);
	fill(&w, clid, QTY, 1);
	advance(&w, 10000);
	explain(&w, buf, sizeof buf);
	assert_non_null(strstr(buf, "position 0.0100"));
	assert_non_null(strstr(buf, "bid working"));
	assert_non_null(strstr(buf, "ask working"));
	assert_int_equal(w.max_live_per_side, 1);
	kit_world_end(&w.k);
}

/* Position comes from OMS fills only; at the bound the bid is withdrawn and
 * the ask leans toward the mid. */
static void test_inventory_bound(void **state)
{
	(void)state;
	world w;
	world_init(&w);
	fake_config(&w.k.h, "max_position", "\"0.01\"");
	kit_world_start(&w.k);
	warm_up(&w, 6);
	th_price ask0 = intent_at(&w, 1)->order.price;
	char buf[512];
	fill(&w, "c0", QTY, 0); /* the venue's raw copy: not ours to book */
	explain(&w, buf, sizeof buf);
	assert_non_null(strstr(buf, "position 0.0000"));

	fill(&w, "c0", 40, 1); /* partial */
	explain(&w, buf, sizeof buf);
	assert_non_null(strstr(buf, "position 0.0040"));
	fill(&w, "c0", 60, 1); /* the rest: long 0.01 = max_position */
	explain(&w, buf, sizeof buf);
	assert_non_null(strstr(buf, "position 0.0100"));
	assert_non_null(msg_with(&w, "decision", "(off: inventory bound)"));
	/* no new bid after the fill; the ask was replaced lower */
	th_price last_ask = 0;
	for (size_t k = 2; k < intents(&w); k++) {
		const th_intent *in = intent_at(&w, k);
		assert_false(in->action == TH_INTENT_PLACE && in->order.side == TH_SIDE_BUY);
		if (in->action == TH_INTENT_PLACE)
			last_ask = in->order.price;
	}
	assert_true(last_ask > 0 && last_ask < ask0);
	assert_int_equal(live_on_side(&w, TH_SIDE_BUY), 0);
	assert_int_equal(live_on_side(&w, TH_SIDE_SELL), 1);
	/* selling back re-opens the bid */
	fake_order *ask = NULL;
	for (size_t i = 0; i < w.norders; i++)
		if (w.orders[i].live)
			ask = &w.orders[i];
	assert_non_null(ask);
	char clid[TH_CLORD_MAX];
	strcpy(clid, ask->clid);
	fill(&w, clid, QTY, 1);
	explain(&w, buf, sizeof buf);
	assert_non_null(strstr(buf, "position 0.0000"));
	assert_int_equal(live_on_side(&w, TH_SIDE_BUY), 1);
	assert_int_equal(live_on_side(&w, TH_SIDE_SELL), 1);
	assert_int_equal(w.max_live_per_side, 1);
	kit_world_end(&w.k);
}

/* A risk denial, an OMS rejection and a venue (post-only) rejection each
 * block the side until the next forced refresh: no loop of refusals. */
static void test_refusals_back_off(void **state)
{
	(void)state;
	world w;
	world_init(&w);
	w.auto_ack = 0;
	kit_world_start(&w.k);
	warm_up(&w, 6);
	assert_int_equal(intents(&w), 2);
	const th_intent *bid = intent_at(&w, 0);
	/* risk denies the bid */
	kit_world_deny(&w.k, "sim", bid->intent_id, "limits", "max position");
	assert_non_null(msg_with(&w, "explanation", "denied by risk (limits): max position"));
	/* the OMS rejects the ask (no client order id yet) */
	deliver_order(&w, "", TH_SIDE_SELL, TH_ORDER_REJECTED, 0, QTY, 0, "insufficient funds");
	assert_non_null(msg_with(&w, "explanation", "ask quote refused: insufficient funds"));
	quote_at(&w, 100, warm_bid[5], warm_bid[5] + 2);
	assert_int_equal(intents(&w), 2); /* blocked, not re-placed */
	/* the timer's refresh lifts the block (the fake OMS answers from now on) */
	w.k.seen = w.k.h.nevents;
	w.auto_ack = 1;
	advance(&w, 10000);
	assert_int_equal(intents(&w), 4);
	/* the venue refuses the new bid after naming it (post-only would cross) */
	fake_order *b = find_order(&w, "c0");
	assert_non_null(b);
	assert_int_equal(b->side, TH_SIDE_BUY);
	b->live = 0;
	deliver_order(&w, "c0", TH_SIDE_BUY, TH_ORDER_REJECTED, b->price, QTY, 0, "post-only order would cross");
	assert_int_equal(intents(&w), 4);
	assert_non_null(msg_with(&w, "explanation", "bid quote refused: post-only"));
	kit_world_end(&w.k);
}

static void expect_refused(const char *key, const char *literal, const char *needle)
{
	kit_world_refused(desc(), "mia", base_config, key, literal, needle);
}

static void test_bad_parameters_refused(void **state)
{
	(void)state;
	expect_refused("order_qty", "\"0\"", "key 'order_qty'");
	expect_refused("max_position", "\"0.005\"", "key 'max_position': must be a decimal >= order_qty");
	expect_refused("lot", "\"0.003\"", "key 'order_qty': must be a multiple of lot");
	expect_refused("gamma", "0", "key 'gamma'");
	expect_refused("kappa", "-1", "key 'kappa'");
	expect_refused("horizon_seconds", "0", "key 'horizon_seconds'");
	expect_refused("vol_window", "1", "key 'vol_window'");
	expect_refused("min_spread_bps", "300", "key 'max_spread_bps': must be >= min_spread_bps");
	expect_refused("max_spread_bps", "6000", "key 'max_spread_bps'");
	expect_refused("max_skew_bps", "3000", "key 'max_skew_bps'");
	expect_refused("refresh_ms", "-1", "key 'refresh_ms'");
	expect_refused("venue", "\"\"", "key 'venue'");
	/* the symbol is required */
	fake_host h;
	fake_host_init(&h, "mia", desc()->config_schema);
	void *inst = NULL;
	assert_int_not_equal(desc()->create(&h.api, fake_ctx(&h), &inst), TH_OK);
	assert_non_null(strstr(h.error, "key 'symbol'"));
	fake_host_free(&h);
}

/* A tick finer than the instrument's price scale cannot be honoured: the
 * agent says so and never quotes. */
static void test_tick_finer_than_scale_disables(void **state)
{
	(void)state;
	world w;
	world_init(&w);
	fake_config(&w.k.h, "tick", "\"0.005\"");
	kit_world_start(&w.k);
	warm_up(&w, 6);
	assert_int_equal(intents(&w), 0);
	assert_non_null(msg_with(&w, "explanation", "key 'tick'"));
	kit_world_end(&w.k);
}

/* A 50 % jump makes sigma huge: the spread is clamped, prices stay sane. */
static void test_jump_is_clamped(void **state)
{
	(void)state;
	world w;
	world_init(&w);
	kit_world_start(&w.k);
	warm_up(&w, 6);
	quote_at(&w, 1000, 9750049, 9750051);
	size_t n = intents(&w);
	assert_int_equal(n, 6);
	const th_intent *b = intent_at(&w, 4), *a = intent_at(&w, 5);
	assert_int_equal(b->order.side, TH_SIDE_BUY);
	assert_int_equal(a->order.side, TH_SIDE_SELL);
	/* max_spread_bps 200 around 97500.50: 1 % each side, bid down and ask up to the tick */
	assert_int_equal(b->order.price, 9652549);
	assert_int_equal(a->order.price, 9847551);
	kit_world_end(&w.k);
}

/* The script every determinism run plays. */
static void scenario(world *w, int sync)
{
	world_init(w);
	w->k.sync = sync;
	kit_world_start(&w->k);
	warm_up(w, 6);
	quote_at(w, 700, 6504049, 6504051);
	fill(w, "c2", 30, 1);
	quote_at(w, 900, 6490049, 6490051);
	advance(w, 10000);
	quote_at(w, 1300, 6495049, 6495051);
}

static void test_deterministic(void **state)
{
	(void)state;
	world *a = malloc(sizeof *a), *b = malloc(sizeof *b);
	assert_non_null(a);
	assert_non_null(b);
	scenario(a, 0);
	scenario(b, 0);
	assert_true(kit_world_same_intents(&a->k, &b->k) >= 8);
	assert_int_equal(fake_count(&a->k.h, TH_EV_AGENT_MSG), fake_count(&b->k.h, TH_EV_AGENT_MSG));
	kit_world_end(&a->k);
	kit_world_end(&b->k);
	/* the same in sync mode: identical to each other */
	scenario(a, 1);
	scenario(b, 1);
	assert_true(kit_world_same_intents(&a->k, &b->k) >= 8);
	kit_world_end(&a->k);
	kit_world_end(&b->k);
	free(a);
	free(b);
}

/* Hot reload: the new generation knows the working quotes (cancels them by
 * client order id), the position and the volatility without a new warm-up. */
static void test_hot_reload_keeps_state(void **state)
{
	(void)state;
	world *w1 = malloc(sizeof *w1), *w2 = malloc(sizeof *w2);
	assert_non_null(w1);
	assert_non_null(w2);
	world_init(w1);
	kit_world_start(&w1->k);
	warm_up(w1, 6);
	fill(w1, "c0", 50, 1);
	world_init(w2);
	memcpy(w2->orders, w1->orders, sizeof w1->orders);
	w2->norders = w1->norders;
	kit_world_reload(&w1->k, &w2->k);
	char buf[512];
	explain(w2, buf, sizeof buf);
	assert_non_null(strstr(buf, "position 0.0050"));
	assert_non_null(strstr(buf, "bid working"));
	assert_non_null(strstr(buf, "ask working"));

	w2->auto_ack = 0;
	quote_at(w2, 1000, 6510049, 6510051); /* +15 bp */
	assert_int_equal(intents(w2), 2);
	assert_int_equal(intent_at(w2, 0)->action, TH_INTENT_CANCEL);
	assert_int_equal(intent_at(w2, 1)->action, TH_INTENT_CANCEL);
	/* intent ids keep counting from the old generation */
	assert_true(intent_at(w2, 0)->intent_id > 2);
	kit_world_end(&w1->k);
	kit_world_end(&w2->k);
	free(w1);
	free(w2);
}

static void test_import_refuses_other_market(void **state)
{
	(void)state;
	world w1;
	world_init(&w1);
	kit_world_start(&w1.k);
	warm_up(&w1, 6);
	void *data = NULL;
	size_t len = 0;
	assert_int_equal(desc()->export_state(w1.k.inst, &data, &len), TH_OK);
	fake_host h;
	fake_host_init(&h, "mia", desc()->config_schema);
	base_config(&h);
	fake_config(&h, "symbol", "\"ETH-USDT\"");
	void *inst = NULL;
	assert_int_equal(desc()->create(&h.api, fake_ctx(&h), &inst), TH_OK);
	assert_int_equal(desc()->import_state(inst, data, len), TH_ERR_INVALID);
	assert_non_null(strstr(h.error, "state belongs to BTC-USDT on sim"));
	assert_int_equal(desc()->import_state(inst, data, len - 1), TH_ERR_INVALID);
	w1.k.h.api.free(fake_ctx(&w1.k.h), data);
	desc()->destroy(inst);
	assert_int_equal(h.live_allocs, 0);
	fake_host_free(&h);
	kit_world_end(&w1.k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_quotes_before_warm_up),
		cmocka_unit_test(test_quotes_match_the_model),
		cmocka_unit_test(test_requote_on_mid_move),
		cmocka_unit_test(test_stale_before_named_and_orphans),
		cmocka_unit_test(test_requote_on_timer),
		cmocka_unit_test(test_synchronous_answers),
		cmocka_unit_test(test_inventory_bound),
		cmocka_unit_test(test_refusals_back_off),
		cmocka_unit_test(test_bad_parameters_refused),
		cmocka_unit_test(test_tick_finer_than_scale_disables),
		cmocka_unit_test(test_jump_is_clamped),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_hot_reload_keeps_state),
		cmocka_unit_test(test_import_refuses_other_market),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
