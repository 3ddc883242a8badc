/*
 * sim engine — tests of the fast paths and caches added for replay speed,
 * each written to fail if its cache went stale or its shortcut changed a
 * result: the formatted id prefix after a decode changes the session, reused
 * (pooled) orders carry nothing of their previous life, the clid hash index
 * survives growth and eviction (its hash tags and deleted slots too), an order that ends in the same step reports
 * no interim PARTIALLY_FILLED, and the indexed bar entry point (with its fast
 * path for books without orders) keeps the market view exactly as the full
 * bar model does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine_support.h"

static void submit_ok(fixture *f, th_order o)
{
	assert_int_equal(sim_engine_submit(f->e, &o), TH_OK);
}

static th_bar mk_bar(th_price o, th_price h, th_price l, th_price c, th_qty volume)
{
	th_bar b;
	memset(&b, 0, sizeof b);
	b.open = o;
	b.high = h;
	b.low = l;
	b.close = c;
	b.volume = volume;
	b.price_scale = 2;
	b.qty_scale = 3;
	return b;
}

/* Ids are "<session>-O<n>" / "<session>-T<n>" with the session formatted once
 * per engine: a decoded state brings its own session, and every id made after
 * the decode must use it. */
static void test_ids_follow_decoded_session(void **state)
{
	(void)state;
	fixture a, b;
	fixture_defaults(&a);
	a.cfg.session = 1700000000000000000LL;
	fixture_start(&a);
	submit_ok(&a, mk_limit("A1", TH_SIDE_BUY, PX(100), QTY(1)));
	assert_string_equal(last_update(&a.rec, "A1")->venue_order_id, "1700000000000000000-O1");
	feed_trade(&a, PX(100), QTY(1));
	assert_string_equal(nth_fill_of(&a.rec, "A1", 0)->venue_trade_id, "1700000000000000000-T1");

	size_t len = 0;
	sim_engine_encode(a.e, NULL, 0, &len);
	unsigned char *buf = malloc(len);
	assert_non_null(buf);
	assert_int_equal(sim_engine_encode(a.e, buf, len, &len), TH_OK);

	fixture_defaults(&b);
	b.cfg.session = -42; /* a different (and negative) session before the decode */
	fixture_start(&b);
	submit_ok(&b, mk_limit("B0", TH_SIDE_BUY, PX(100), QTY(1)));
	assert_string_equal(last_update(&b.rec, "B0")->venue_order_id, "-42-O1");
	char err[160];
	assert_int_equal(sim_engine_decode(b.e, buf, len, err, sizeof err), TH_OK);
	submit_ok(&b, mk_limit("B1", TH_SIDE_BUY, PX(100), QTY(1)));
	assert_string_equal(last_update(&b.rec, "B1")->venue_order_id, "1700000000000000000-O2");
	feed_trade(&b, PX(100), QTY(1));
	assert_string_equal(nth_fill_of(&b.rec, "B1", 0)->venue_trade_id, "1700000000000000000-T2");
	free(buf);
	fixture_stop(&a);
	fixture_stop(&b);
}

/* Finished orders leave the window and their memory is reused for new
 * orders: a new order must start with no fills, no fees and its own id, and
 * the index must find exactly the orders still remembered. */
static void test_reused_orders_start_clean(void **state)
{
	(void)state;
	fixture f;
	fixture_defaults(&f);
	f.cfg.retain_closed = 2;
	fixture_start(&f);
	char clid[16];
	/* 300 orders: the index grows several times while old ids are evicted. */
	for (int i = 0; i < 300; i++) {
		snprintf(clid, sizeof clid, "o%d", i);
		th_order o = mk_limit(clid, TH_SIDE_BUY, PX(100), QTY(3));
		submit_ok(&f, o);
		feed_trade(&f, PX(100), QTY(1)); /* three fills each */
		feed_trade(&f, PX(100), QTY(1));
		feed_trade(&f, PX(100), QTY(1));
		assert_int_equal(last_update(&f.rec, clid)->state, TH_ORDER_FILLED);
		/* order number i + 1, trade numbers 3i + 1 .. 3i + 3: ids across digit-pair boundaries */
		char want[48];
		snprintf(want, sizeof want, "7-O%d", i + 1);
		assert_string_equal(last_update(&f.rec, clid)->venue_order_id, want);
		snprintf(want, sizeof want, "7-T%d", 3 * i + 3);
		assert_string_equal(nth_fill_of(&f.rec, clid, 2)->venue_trade_id, want);
	}
	assert_int_equal(sim_engine_closed_orders(f.e), 2);
	for (int i = 0; i < 298; i++) {
		snprintf(clid, sizeof clid, "o%d", i);
		assert_int_equal(sim_engine_query(f.e, clid), TH_ERR_NOT_FOUND);
	}
	/* A new order in reused memory: one fill only, its own. */
	recorder_clear(&f.rec);
	submit_ok(&f, mk_limit("fresh", TH_SIDE_BUY, PX(100), QTY(1)));
	feed_trade(&f, PX(100), QTY(1));
	recorder_clear(&f.rec);
	assert_int_equal(sim_engine_query(f.e, "fresh"), TH_OK);
	assert_int_equal(f.rec.n, 2); /* exactly one fill, then the state */
	assert_int_equal(f.rec.items[0].kind, SIM_REPORT_FILL);
	assert_string_equal(f.rec.items[0].fill.client_order_id, "fresh");
	assert_int_equal(f.rec.items[0].fill.qty, QTY(1));
	assert_int_equal(f.rec.items[1].order.filled_qty, QTY(1));
	assert_int_equal(f.rec.items[1].order.state, TH_ORDER_FILLED);
	assert_string_equal(f.rec.items[1].order.reason, "");
	/* The two remembered orders are still duplicates; evicted ids are new again. */
	th_order again = mk_limit("o299", TH_SIDE_BUY, PX(100), QTY(1));
	assert_int_equal(sim_engine_submit(f.e, &again), TH_ERR_EXISTS);
	th_order reborn = mk_limit("o0", TH_SIDE_BUY, PX(90), QTY(1));
	assert_int_equal(sim_engine_submit(f.e, &reborn), TH_OK);
	assert_int_equal(engine_state(&f, "o0"), TH_ORDER_ACCEPTED);
	fixture_stop(&f);
}

/* The clid index probes by 7-bit hash tags in control bytes and leaves
 * deleted markers behind evicted orders; the window evicts in a known order
 * (prefetched ahead). With 2000 ids most tags are shared by many ids, many
 * open orders stay indexed while others are evicted through several
 * rehashes: every lookup must still find exactly the orders the venue
 * remembers, by their full id, and every venue order id must be exact
 * across digit-count boundaries (9 -> 10, 99 -> 100, 999 -> 1000). */
static void test_index_tags_deleted_slots_and_ids(void **state)
{
	(void)state;
	enum { N = 2000, KEEP = 50 };
	fixture f;
	fixture_defaults(&f);
	f.cfg.retain_closed = KEEP;
	fixture_start(&f);
	char clid[16], want[48];
	for (int i = 0; i < N; i++) {
		snprintf(clid, sizeof clid, "ix%d", i);
		submit_ok(&f, mk_limit(clid, TH_SIDE_BUY, PX(90), QTY(1)));
		snprintf(want, sizeof want, "7-O%d", i + 1);
		assert_string_equal(last_update(&f.rec, clid)->venue_order_id, want);
		if (i % 3 != 0) /* every third stays open (indexed for good) */
			assert_int_equal(sim_engine_cancel(f.e, clid), TH_OK);
		if (i % 100 == 99)
			recorder_clear(&f.rec);
	}
	/* The last KEEP canceled ids are remembered, older canceled ids are gone. */
	int canceled_seen = 0;
	for (int i = N - 1; i >= 0; i--) {
		th_order_update u;
		snprintf(clid, sizeof clid, "ix%d", i);
		int rc = sim_engine_order(f.e, clid, &u);
		if (i % 3 == 0) {
			assert_int_equal(rc, TH_OK);
			assert_int_equal(u.state, TH_ORDER_ACCEPTED);
			assert_string_equal(u.client_order_id, clid);
			snprintf(want, sizeof want, "7-O%d", i + 1);
			assert_string_equal(u.venue_order_id, want);
		} else if (canceled_seen++ < KEEP) {
			assert_int_equal(rc, TH_OK);
			assert_int_equal(u.state, TH_ORDER_CANCELED);
			assert_string_equal(u.client_order_id, clid);
		} else {
			assert_int_equal(rc, TH_ERR_NOT_FOUND);
		}
	}
	assert_int_equal(sim_engine_open_orders(f.e), (N + 2) / 3);
	assert_int_equal(sim_engine_closed_orders(f.e), KEEP);
	/* Remembered ids are duplicates; an evicted id is new again (its slot was deleted, not lost). */
	th_order dup = mk_limit("ix0", TH_SIDE_BUY, PX(90), QTY(1));
	assert_int_equal(sim_engine_submit(f.e, &dup), TH_ERR_EXISTS);
	th_order dup2 = mk_limit("ix1999", TH_SIDE_BUY, PX(90), QTY(1));
	assert_int_equal(sim_engine_submit(f.e, &dup2), TH_ERR_EXISTS);
	th_order reborn = mk_limit("ix1", TH_SIDE_BUY, PX(90), QTY(1));
	assert_int_equal(sim_engine_submit(f.e, &reborn), TH_OK);
	assert_int_equal(engine_state(&f, "ix1"), TH_ORDER_ACCEPTED);
	assert_int_equal(sim_engine_query(f.e, "never"), TH_ERR_NOT_FOUND);
	fixture_stop(&f);
}

/* Reports copy the order's client order id and reason, and the fee asset,
 * as whole fields (no strlen per report): the engine keeps those strings
 * zero after their end. A request whose fields carry garbage after the NUL
 * must still produce reports with nothing but zeros after each string, as
 * the bounded string copies into zeroed reports did. */
static void assert_zero_after_string(const char *field, size_t cap)
{
	const char *end = memchr(field, 0, cap);
	assert_non_null(end);
	for (const char *p = end; p < field + cap; p++)
		if (*p != 0)
			fail_msg("byte %d after the string '%s' is 0x%02x, not 0", (int)(p - field), field, (unsigned char)*p);
}

static th_order with_garbage_tail(th_order o)
{
	char clid[TH_CLORD_MAX];
	memcpy(clid, o.client_order_id, sizeof clid);
	memset(o.client_order_id, 'x', sizeof o.client_order_id);
	memcpy(o.client_order_id, clid, strlen(clid) + 1);
	return o;
}

static void test_reports_zero_after_strings(void **state)
{
	(void)state;
	fixture f;
	fixture_defaults(&f);
	memset(f.inst[0].quote, 'q', sizeof f.inst[0].quote);
	strcpy(f.inst[0].quote, "USDT");
	f.cfg.respect_quote_size = 1; /* the IOC below takes only the displayed 1.000 */
	fixture_start(&f);
	/* an IOC that fills in part (reason set), a GTC limit that fills, a rejection */
	feed_quote(&f, PX(99), QTY(1), PX(100), QTY(1));
	th_order ioc = with_garbage_tail(mk_order("g-ioc", TH_SIDE_BUY, TH_ORDER_LIMIT, TH_TIF_IOC, PX(100), 0, QTY(2)));
	submit_ok(&f, ioc);
	submit_ok(&f, with_garbage_tail(mk_limit("g-gtc", TH_SIDE_BUY, PX(98), QTY(1))));
	feed_trade(&f, PX(98), QTY(1));
	th_order bad = with_garbage_tail(mk_limit("g-bad", TH_SIDE_BUY, PX(98), 0));
	assert_int_equal(sim_engine_submit(f.e, &bad), TH_ERR_INVALID);
	/* queries report the stored orders again (the rejected one included) */
	assert_int_equal(sim_engine_query(f.e, "g-ioc"), TH_OK);
	assert_int_equal(sim_engine_query(f.e, "g-gtc"), TH_OK);
	assert_int_equal(sim_engine_query(f.e, "g-bad"), TH_OK);
	assert_int_equal(last_update(&f.rec, "g-ioc")->state, TH_ORDER_CANCELED);
	assert_true(last_update(&f.rec, "g-ioc")->reason[0] != '\0');
	assert_int_equal(last_update(&f.rec, "g-gtc")->state, TH_ORDER_FILLED);
	assert_int_equal(last_update(&f.rec, "g-bad")->state, TH_ORDER_REJECTED);
	size_t fills = 0;
	for (size_t i = 0; i < f.rec.n; i++) {
		const rec_report *r = &f.rec.items[i];
		if (r->kind == SIM_REPORT_FILL) {
			fills++;
			assert_zero_after_string(r->fill.client_order_id, sizeof r->fill.client_order_id);
			assert_zero_after_string(r->fill.venue_trade_id, sizeof r->fill.venue_trade_id);
			assert_zero_after_string(r->fill.fee_asset, sizeof r->fill.fee_asset);
			assert_string_equal(r->fill.fee_asset, "USDT");
		} else {
			assert_zero_after_string(r->order.client_order_id, sizeof r->order.client_order_id);
			assert_zero_after_string(r->order.venue_order_id, sizeof r->order.venue_order_id);
			assert_zero_after_string(r->order.reason, sizeof r->order.reason);
		}
	}
	assert_int_equal(fills, 4); /* two fills, each reported again by its query */
	fixture_stop(&f);
}

/* An IOC that fills in part and is canceled in the same step reports its
 * fill, then CANCELED with the cumulative filled_qty: no interim
 * PARTIALLY_FILLED. A GTC order that stays open still reports it. */
static void test_ioc_partial_reports_final_state_only(void **state)
{
	(void)state;
	fixture f;
	fixture_defaults(&f);
	fixture_start(&f);
	/* No quote: the IOC market order meets the next bar's open, whose volume is 1 of 3. */
	submit_ok(&f, mk_order("I", TH_SIDE_BUY, TH_ORDER_MARKET, TH_TIF_IOC, 0, 0, QTY(3)));
	assert_int_equal(f.rec.n, 1);
	feed_bar(&f, PX(100), PX(101), PX(99), PX(100), QTY(1));
	assert_int_equal(f.rec.n, 3);
	assert_int_equal(f.rec.items[0].order.state, TH_ORDER_ACCEPTED);
	assert_int_equal(f.rec.items[1].kind, SIM_REPORT_FILL);
	assert_int_equal(f.rec.items[1].fill.qty, QTY(1));
	assert_int_equal(f.rec.items[2].kind, SIM_REPORT_ORDER);
	assert_int_equal(f.rec.items[2].order.state, TH_ORDER_CANCELED);
	assert_int_equal(f.rec.items[2].order.filled_qty, QTY(1));
	assert_non_null(strstr(f.rec.items[2].order.reason, "IOC"));
	assert_int_equal(state_count(&f.rec, "I", TH_ORDER_PARTIALLY_FILLED), 0);

	/* The same fill on a GTC market order leaves it open: PARTIALLY_FILLED. */
	recorder_clear(&f.rec);
	submit_ok(&f, mk_market("G", TH_SIDE_BUY, QTY(3)));
	feed_bar(&f, PX(100), PX(101), PX(99), PX(100), QTY(1));
	assert_int_equal(state_count(&f.rec, "G", TH_ORDER_PARTIALLY_FILLED), 1);
	assert_int_equal(engine_state(&f, "G"), TH_ORDER_PARTIALLY_FILLED);

	/* A query still tells the whole story of the IOC: its fill, then CANCELED. */
	recorder_clear(&f.rec);
	assert_int_equal(sim_engine_query(f.e, "I"), TH_OK);
	assert_int_equal(f.rec.n, 2);
	assert_int_equal(f.rec.items[1].order.state, TH_ORDER_CANCELED);
	assert_int_equal(f.rec.items[1].order.filled_qty, QTY(1));
	fixture_stop(&f);
}

/* A reduce-only order whose fill closes the position is canceled in the same
 * step: fill, then CANCELED, nothing in between. */
static void test_reduce_only_closing_fill_reports_final_state_only(void **state)
{
	(void)state;
	fixture f;
	fixture_defaults(&f);
	fixture_start(&f);
	submit_ok(&f, mk_market("long", TH_SIDE_BUY, QTY(2)));
	feed_trade(&f, PX(100), QTY(5)); /* position +2 */
	th_order ro = mk_limit("ro", TH_SIDE_SELL, PX(110), QTY(2));
	ro.flags = TH_ORDER_REDUCE_ONLY;
	submit_ok(&f, ro);
	submit_ok(&f, mk_limit("plain", TH_SIDE_SELL, PX(105), QTY(1)));
	feed_trade(&f, PX(105), QTY(1)); /* plain sells 1: position +1 */
	recorder_clear(&f.rec);
	feed_trade(&f, PX(110), QTY(5)); /* ro may sell only 1 of its 2 */
	assert_int_equal(f.rec.n, 2);
	assert_int_equal(f.rec.items[0].kind, SIM_REPORT_FILL);
	assert_int_equal(f.rec.items[0].fill.qty, QTY(1));
	assert_int_equal(f.rec.items[1].order.state, TH_ORDER_CANCELED);
	assert_int_equal(f.rec.items[1].order.filled_qty, QTY(1));
	assert_non_null(strstr(f.rec.items[1].order.reason, "reduce-only"));
	th_qty pos = -1;
	assert_int_equal(sim_engine_position(f.e, "BTC-USDT", &pos, NULL), TH_OK);
	assert_int_equal(pos, 0);
	fixture_stop(&f);
}

/* The indexed bar entry point, with and without orders, and its fast path's
 * market view: the last close (seen by min_notional checks of market orders)
 * and the "trades since the last bar" mark that decides whether a bar
 * drives matching. */
static void test_indexed_bars_keep_market_view(void **state)
{
	(void)state;
	fixture f;
	fixture_defaults(&f);
	f.inst[1].min_notional = 10000000000LL; /* ETH-USDT (index 1): 100 USDT */
	fixture_start(&f);
	size_t count = 0;
	const th_instrument *ins = sim_engine_instruments(f.e, &count);
	assert_int_equal(count, 2);
	assert_string_equal(ins[1].symbol, "ETH-USDT");

	th_order m = mk_market("m1", TH_SIDE_BUY, QTY(1) / 2);
	strcpy(m.symbol, "ETH-USDT");
	th_bar bar = mk_bar(PX(100), PX(101), PX(99), PX(100), QTY(10));
	uint64_t changes = sim_engine_on_bar_at(f.e, 1, &bar); /* no orders: fast path */
	assert_int_equal(changes, sim_engine_changes(f.e));
	assert_int_equal(sim_engine_submit(f.e, &m), TH_ERR_INVALID); /* 0.5 * 100 < 100 */
	assert_non_null(strstr(last_update(&f.rec, "m1")->reason, "min_notional"));

	bar = mk_bar(PX(300), PX(301), PX(299), PX(300), QTY(10));
	sim_engine_on_bar_at(f.e, 1, &bar);
	/* An invalid bar (low 0) is ignored by the fast path too: the close stays 300. */
	bar = mk_bar(PX(100), PX(101), 0, PX(100), QTY(10));
	sim_engine_on_bar_at(f.e, 1, &bar);
	/* A bar at a finer scale (the full path) is rescaled: 1000.000 -> 1000.00. */
	strcpy(m.client_order_id, "m2");
	assert_int_equal(sim_engine_submit(f.e, &m), TH_OK); /* 0.5 * 300 >= 100 */
	assert_int_equal(engine_state(&f, "m2"), TH_ORDER_ACCEPTED);
	bar = mk_bar(1000000, 1000000, 1000000, 1000000, 10000);
	bar.price_scale = 3;
	bar.qty_scale = 4;
	sim_engine_on_bar_at(f.e, 1, &bar); /* fills m2 at the open, 1000.00 */
	assert_int_equal(nth_fill_of(&f.rec, "m2", 0)->price, PX(1000));

	/* Trades mark the book; a following bar with no orders (fast path) must
	 * clear the mark, or the next bar would be taken as covered by trades
	 * and would not fill the order below. */
	th_trade t;
	memset(&t, 0, sizeof t);
	t.price = PX(100);
	t.qty = QTY(1);
	t.price_scale = 2;
	t.qty_scale = 3;
	sim_engine_on_trade_at(f.e, 0, &t);
	bar = mk_bar(PX(100), PX(101), PX(99), PX(100), QTY(10));
	sim_engine_on_bar_at(f.e, 0, &bar);
	submit_ok(&f, mk_limit("L", TH_SIDE_BUY, PX(99), QTY(1)));
	bar = mk_bar(PX(100), PX(100), PX(98), PX(99), QTY(10));
	changes = sim_engine_on_bar_at(f.e, 0, &bar);
	assert_int_equal(last_update(&f.rec, "L")->state, TH_ORDER_FILLED);
	assert_int_equal(changes, sim_engine_changes(f.e));

	/* Quotes through the indexed entry point. */
	th_quote q;
	memset(&q, 0, sizeof q);
	q.bid = PX(99);
	q.ask = PX(100);
	q.bid_qty = QTY(5);
	q.ask_qty = QTY(5);
	q.price_scale = 2;
	q.qty_scale = 3;
	submit_ok(&f, mk_limit("Q", TH_SIDE_BUY, PX(100), QTY(1)));
	sim_engine_on_quote_at(f.e, 0, &q);
	assert_int_equal(last_update(&f.rec, "Q")->state, TH_ORDER_FILLED);
	fixture_stop(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ids_follow_decoded_session),
		cmocka_unit_test(test_reused_orders_start_clean),
		cmocka_unit_test(test_index_tags_deleted_slots_and_ids),
		cmocka_unit_test(test_reports_zero_after_strings),
		cmocka_unit_test(test_ioc_partial_reports_final_state_only),
		cmocka_unit_test(test_reduce_only_closing_fill_reports_final_state_only),
		cmocka_unit_test(test_indexed_bars_keep_market_view),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
