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

/* The fake host plus a scripted OMS: with auto_ack, a place intent is
 * answered SUBMITTED + ACCEPTED under a new client order id "cN", a cancel
 * with CANCELED. */
typedef struct world {
	fake_host h;
	void *inst;
	size_t seen;
	fake_order orders[MAX_ORDERS];
	size_t norders;
	int auto_ack;
	int64_t t;
	int max_live_per_side; /* the most orders ever working on one side at once */
	int sync;              /* answer inside publish(), as the host does for publishes from a timer */
} world;

static void pump(world *w);

static int (*fake_publish)(th_ctx *ctx, const th_event *ev);

/* The fake host queues what the plugin publishes; in sync mode the scripted
 * OMS answers before publish() returns, re-entering the plugin. */
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
	fake_host_init(&w->h, "mia", desc()->config_schema);
	base_config(&w->h);
	w->auto_ack = 1;
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
	assert_int_equal(desc()->stop(w->inst), TH_OK); /* idempotent */
	desc()->destroy(w->inst);
	assert_int_equal(w->h.live_allocs, 0);
	fake_host_free(&w->h);
}

static void deliver_order(world *w, const char *clid, uint32_t side, uint32_t state, th_price px, th_qty qty,
	th_qty filled, const char *reason)
{
	th_event ev;
	memset(&ev, 0, sizeof ev);
	th_event_init(&ev, TH_EV_ORDER);
	ev.h.flags = TH_EVENT_FLAG_OMS;
	strcpy(ev.h.venue, "sim");
	strcpy(ev.h.symbol, "BTC-USDT");
	strcpy(ev.h.agent, "mia");
	th_strlcpy(ev.u.order.client_order_id, clid, sizeof ev.u.order.client_order_id);
	ev.u.order.state = state;
	ev.u.order.side = side;
	ev.u.order.price = px;
	ev.u.order.qty = qty;
	ev.u.order.filled_qty = filled;
	ev.u.order.price_scale = 2;
	ev.u.order.qty_scale = 4;
	th_strlcpy(ev.u.order.reason, reason, sizeof ev.u.order.reason);
	fake_deliver(&w->h, &ev);
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
	while (w->auto_ack && w->seen < w->h.nevents) {
		th_event ev = w->h.events[w->seen++];
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
	w->t += dt_ms * MS;
	fake_advance_to(&w->h, w->t);
	pump(w);
	th_event ev;
	memset(&ev, 0, sizeof ev);
	th_event_init(&ev, TH_EV_QUOTE);
	strcpy(ev.h.venue, "sim");
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

static void advance(world *w, int64_t dt_ms)
{
	w->t += dt_ms * MS;
	fake_advance_to(&w->h, w->t);
	pump(w);
}

/* One OMS fill of `qty` on clid (FILL, then its order event). */
static void fill(world *w, const char *clid, th_qty qty, int oms_flag)
{
	fake_order *f = find_order(w, clid);
	assert_non_null(f);
	th_event ev;
	memset(&ev, 0, sizeof ev);
	th_event_init(&ev, TH_EV_FILL);
	ev.h.flags = oms_flag ? TH_EVENT_FLAG_OMS : 0;
	strcpy(ev.h.venue, "sim");
	strcpy(ev.h.symbol, "BTC-USDT");
	strcpy(ev.h.agent, oms_flag ? "mia" : "");
	th_strlcpy(ev.u.fill.client_order_id, clid, sizeof ev.u.fill.client_order_id);
	snprintf(ev.u.fill.venue_trade_id, sizeof ev.u.fill.venue_trade_id, "T-%s-%lld", clid, (long long)f->filled);
	ev.u.fill.side = f->side;
	ev.u.fill.liquidity = TH_LIQ_MAKER;
	ev.u.fill.price = f->price;
	ev.u.fill.qty = qty;
	ev.u.fill.price_scale = 2;
	ev.u.fill.qty_scale = 4;
	fake_deliver(&w->h, &ev);
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
	return fake_count(&w->h, TH_EV_INTENT);
}

static const th_intent *intent_at(const world *w, size_t k)
{
	const th_event *ev = fake_event(&w->h, TH_EV_INTENT, k);
	assert_non_null(ev);
	return &ev->u.intent;
}

/* The last agent message of `kind` containing `needle`, or NULL. */
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
	assert_non_null(s->explain);
	assert_int_equal(s->explain(w->inst, buf, cap), TH_OK);
}

/* ------------------------------------------------------------------ tests */

static void test_no_quotes_before_warm_up(void **state)
{
	(void)state;
	world w;
	world_init(&w);
	w.auto_ack = 0;
	world_start(&w);
	warm_up(&w, 5); /* 4 samples of 5 */
	assert_int_equal(intents(&w), 0);
	assert_null(msg_with(&w, "decision", ""));
	char buf[512];
	explain(&w, buf, sizeof buf);
	assert_non_null(strstr(buf, "warming up, 4 of 5"));
	quote_at(&w, 1000, warm_bid[5], warm_bid[5] + 2); /* the 5th sample */
	assert_int_equal(intents(&w), 2);
	world_end(&w);
}

/* The two quotes are post-only GTC limits at exactly the model's prices for
 * the realized volatility of the samples the agent saw. */
static void test_quotes_match_the_model(void **state)
{
	(void)state;
	world w;
	world_init(&w);
	w.auto_ack = 0;
	world_start(&w);
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
	const th_event *bid_ev = fake_event(&w.h, TH_EV_INTENT, 0);
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
	world_end(&w);
}

/* A mid move under the threshold changes nothing; over it, both stale
 * quotes are canceled first and replaced only after the confirmation. */
static void test_requote_on_mid_move(void **state)
{
	(void)state;
	world w;
	world_init(&w);
	world_start(&w);
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
	world_end(&w);
}

/* A quote that goes stale before the OMS named it is canceled as soon as it
 * is named; an order of ours we do not know is canceled once. */
static void test_stale_before_named_and_orphans(void **state)
{
	(void)state;
	world w;
	world_init(&w);
	w.auto_ack = 0;
	world_start(&w);
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
	world_end(&w);
}

/* The timer refreshes quotes whose price went stale without a big mid move. */
static void test_requote_on_timer(void **state)
{
	(void)state;
	world w;
	world_init(&w);
	fake_config(&w.h, "requote_bps", "1000");
	world_start(&w);
	warm_up(&w, 6);
	assert_int_equal(intents(&w), 2);
	assert_int_equal(fake_pending_timers(&w.h), 1);
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
	world_end(&w);
}

/* The host delivers events inside publish() when the agent publishes from
 * a timer: the answers to a cancel or a place arrive before publish()
 * returns. Slots must not be left stuck, nor two orders work on one side. */
static void test_synchronous_answers(void **state)
{
	(void)state;
	world w;
	world_init(&w);
	w.sync = 1;
	fake_config(&w.h, "requote_bps", "1000");
	world_start(&w);
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
	world_end(&w);
}

/* Position comes from OMS fills only; at the bound the bid is withdrawn and
 * the ask leans toward the mid. */
static void test_inventory_bound(void **state)
{
	(void)state;
	world w;
	world_init(&w);
	fake_config(&w.h, "max_position", "\"0.01\"");
	world_start(&w);
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
	world_end(&w);
}

/* A risk denial, an OMS rejection and a venue (post-only) rejection each
 * block the side until the next forced refresh: no loop of refusals. */
static void test_refusals_back_off(void **state)
{
	(void)state;
	world w;
	world_init(&w);
	w.auto_ack = 0;
	world_start(&w);
	warm_up(&w, 6);
	assert_int_equal(intents(&w), 2);
	const th_intent *bid = intent_at(&w, 0);
	/* risk denies the bid */
	th_event r;
	memset(&r, 0, sizeof r);
	th_event_init(&r, TH_EV_RISK);
	strcpy(r.h.venue, "sim");
	strcpy(r.h.symbol, "BTC-USDT");
	strcpy(r.h.agent, "mia");
	r.u.risk.intent_id = bid->intent_id;
	r.u.risk.approved = 0;
	r.u.risk.reason_code = 3;
	strcpy(r.u.risk.plugin, "limits");
	strcpy(r.u.risk.message, "max position");
	fake_deliver(&w.h, &r);
	assert_non_null(msg_with(&w, "explanation", "denied by risk (limits): max position"));
	/* the OMS rejects the ask (no client order id yet) */
	deliver_order(&w, "", TH_SIDE_SELL, TH_ORDER_REJECTED, 0, QTY, 0, "insufficient funds");
	assert_non_null(msg_with(&w, "explanation", "ask quote refused: insufficient funds"));
	quote_at(&w, 100, warm_bid[5], warm_bid[5] + 2);
	assert_int_equal(intents(&w), 2); /* blocked, not re-placed */
	/* the timer's refresh lifts the block (the fake OMS answers from now on) */
	w.seen = w.h.nevents;
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
	world_end(&w);
}

static void expect_refused(const char *key, const char *literal, const char *needle)
{
	fake_host h;
	fake_host_init(&h, "mia", desc()->config_schema);
	base_config(&h);
	fake_config(&h, key, literal);
	void *inst = NULL;
	int rc = desc()->create(&h.api, fake_ctx(&h), &inst);
	if (rc == TH_OK)
		fail_msg("%s = %s was accepted", key, literal);
	assert_null(inst);
	if (!strstr(h.error, needle))
		fail_msg("%s = %s: error \"%s\" lacks \"%s\"", key, literal, h.error, needle);
	assert_int_equal(h.live_allocs, 0);
	fake_host_free(&h);
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
	fake_config(&w.h, "tick", "\"0.005\"");
	world_start(&w);
	warm_up(&w, 6);
	assert_int_equal(intents(&w), 0);
	assert_non_null(msg_with(&w, "explanation", "key 'tick'"));
	world_end(&w);
}

/* A 50 % jump makes sigma huge: the spread is clamped, prices stay sane. */
static void test_jump_is_clamped(void **state)
{
	(void)state;
	world w;
	world_init(&w);
	world_start(&w);
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
	world_end(&w);
}

/* The script every determinism run plays. */
static void scenario(world *w, int sync)
{
	world_init(w);
	w->sync = sync;
	world_start(w);
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
	size_t n = intents(a);
	assert_true(n >= 8);
	assert_int_equal(n, intents(b));
	for (size_t k = 0; k < n; k++) {
		const th_event *x = fake_event(&a->h, TH_EV_INTENT, k), *y = fake_event(&b->h, TH_EV_INTENT, k);
		assert_memory_equal(&x->u.intent, &y->u.intent, sizeof x->u.intent);
		assert_int_equal(x->h.ts_ns, y->h.ts_ns);
	}
	assert_int_equal(fake_count(&a->h, TH_EV_AGENT_MSG), fake_count(&b->h, TH_EV_AGENT_MSG));
	world_end(a);
	world_end(b);
	/* the same in sync mode: identical to each other */
	scenario(a, 1);
	scenario(b, 1);
	n = intents(a);
	assert_true(n >= 8);
	assert_int_equal(n, intents(b));
	for (size_t k = 0; k < n; k++)
		assert_memory_equal(&fake_event(&a->h, TH_EV_INTENT, k)->u.intent, &fake_event(&b->h, TH_EV_INTENT, k)->u.intent,
			sizeof(th_intent));
	world_end(a);
	world_end(b);
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
	world_start(w1);
	warm_up(w1, 6);
	fill(w1, "c0", 50, 1);
	void *data = NULL;
	size_t len = 0;
	assert_int_equal(desc()->export_state(w1->inst, &data, &len), TH_OK);

	world_init(w2);
	memcpy(w2->orders, w1->orders, sizeof w1->orders);
	w2->norders = w1->norders;
	w2->t = w1->t;
	w2->h.now_ns = w1->h.now_ns;
	int rc = desc()->create(&w2->h.api, fake_ctx(&w2->h), &w2->inst);
	assert_int_equal(rc, TH_OK);
	assert_int_equal(desc()->import_state(w2->inst, data, len), TH_OK);
	w1->h.api.free(fake_ctx(&w1->h), data);
	assert_int_equal(desc()->start(w2->inst), TH_OK);
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
	world_end(w1);
	world_end(w2);
	free(w1);
	free(w2);
}

static void test_import_refuses_other_market(void **state)
{
	(void)state;
	world w1;
	world_init(&w1);
	world_start(&w1);
	warm_up(&w1, 6);
	void *data = NULL;
	size_t len = 0;
	assert_int_equal(desc()->export_state(w1.inst, &data, &len), TH_OK);
	fake_host h;
	fake_host_init(&h, "mia", desc()->config_schema);
	base_config(&h);
	fake_config(&h, "symbol", "\"ETH-USDT\"");
	void *inst = NULL;
	assert_int_equal(desc()->create(&h.api, fake_ctx(&h), &inst), TH_OK);
	assert_int_equal(desc()->import_state(inst, data, len), TH_ERR_INVALID);
	assert_non_null(strstr(h.error, "state belongs to BTC-USDT on sim"));
	assert_int_equal(desc()->import_state(inst, data, len - 1), TH_ERR_INVALID);
	w1.h.api.free(fake_ctx(&w1.h), data);
	desc()->destroy(inst);
	assert_int_equal(h.live_allocs, 0);
	fake_host_free(&h);
	world_end(&w1);
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
