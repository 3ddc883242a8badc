/*
 * sim engine — order handling tests: validation rejections with their
 * reasons, duplicate client order ids, cancel and query, the finished-order
 * window, and the state codec (round trip and refusal of bad input).
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

/* Submit, expect a rejection whose reason contains `needle`. */
static void expect_reject(fixture *f, th_order o, const char *needle)
{
	assert_int_equal(sim_engine_submit(f->e, &o), TH_ERR_INVALID);
	const th_order_update *u = last_update(&f->rec, o.client_order_id);
	assert_non_null(u);
	assert_int_equal(u->state, TH_ORDER_REJECTED);
	if (!strstr(u->reason, needle))
		fail_msg("reason '%s' does not contain '%s'", u->reason, needle);
	assert_int_equal(state_count(&f->rec, o.client_order_id, TH_ORDER_ACCEPTED), 0);
}

/* lot 0.005, min_qty 0.010, tick 0.05, min_notional 10 USDT */
static void strict_fixture(fixture *f)
{
	fixture_defaults(f);
	f->inst[0].lot = 5;
	f->inst[0].min_qty = 10;
	f->inst[0].tick = 5;
	f->inst[0].min_notional = 1000000000;
	fixture_start(f);
}

static void test_validation_rejections(void **state)
{
	(void)state;
	fixture f;
	strict_fixture(&f);
	th_order o = mk_limit("U", TH_SIDE_BUY, PX(100), QTY(1));
	strcpy(o.symbol, "XRP-USDT");
	expect_reject(&f, o, "unknown symbol 'XRP-USDT'");
	expect_reject(&f, mk_limit("L", TH_SIDE_BUY, PX(100), 1002), "qty 1.002 is not a multiple of lot 0.005");
	expect_reject(&f, mk_limit("M", TH_SIDE_BUY, PX(100), 5), "qty 0.005 is below min_qty 0.010");
	expect_reject(&f, mk_limit("Z", TH_SIDE_BUY, PX(100), 0), "qty 0.000 must be positive");
	expect_reject(&f, mk_limit("T", TH_SIDE_BUY, 10002, QTY(1)), "price 100.02 is not a multiple of tick 0.05");
	expect_reject(&f, mk_limit("P", TH_SIDE_BUY, 0, QTY(1)), "price 0.00 must be positive");
	expect_reject(&f, mk_order("S", TH_SIDE_BUY, TH_ORDER_STOP, TH_TIF_GTC, 0, 10001, QTY(1)),
	              "stop_price 100.01 is not a multiple of tick 0.05");
	expect_reject(&f, mk_limit("N", TH_SIDE_BUY, PX(100), 10), "notional 1.00000000 is below min_notional 10.00000000");
	expect_reject(&f, mk_order("SD", 0, TH_ORDER_LIMIT, TH_TIF_GTC, PX(100), 0, QTY(1)), "invalid side 0");
	expect_reject(&f, mk_order("TY", TH_SIDE_BUY, 9, TH_TIF_GTC, PX(100), 0, QTY(1)), "invalid order type 9");
	expect_reject(&f, mk_order("TF", TH_SIDE_BUY, TH_ORDER_LIMIT, 7, PX(100), 0, QTY(1)), "invalid time in force 7");
	th_order fl = mk_limit("FL", TH_SIDE_BUY, PX(100), QTY(1));
	fl.flags = 0x8;
	expect_reject(&f, fl, "unknown order flags 0x8");
	th_order po = mk_order("PO", TH_SIDE_BUY, TH_ORDER_LIMIT, TH_TIF_IOC, PX(100), 0, QTY(1));
	po.flags = TH_ORDER_POST_ONLY;
	expect_reject(&f, po, "post-only order must be GTC");
	th_order sc = mk_limit("SC", TH_SIDE_BUY, 100005, QTY(1));
	sc.price_scale = 3; /* 100.005 does not fit 2 digits */
	expect_reject(&f, sc, "price at price_scale 3 does not fit");

	/* A finer scale that converts exactly is fine, and reported at the instrument's scale. */
	th_order fine = mk_limit("FINE", TH_SIDE_BUY, 1000500, 10000);
	fine.price_scale = 4; /* 100.0500 */
	fine.qty_scale = 4;   /* 1.0000 */
	assert_int_equal(sim_engine_submit(f.e, &fine), TH_OK);
	assert_int_equal(last_update(&f.rec, "FINE")->price, 10005);
	assert_int_equal(last_update(&f.rec, "FINE")->qty, 1000);
	assert_int_equal(last_update(&f.rec, "FINE")->price_scale, 2);

	/* Unterminated strings are refused without reading past them. */
	th_order raw = mk_limit("x", TH_SIDE_BUY, PX(100), QTY(1));
	memset(raw.client_order_id, 'A', sizeof raw.client_order_id);
	assert_int_equal(sim_engine_submit(f.e, &raw), TH_ERR_INVALID);
	assert_int_equal(strlen(f.rec.items[f.rec.n - 1].order.client_order_id), TH_CLORD_MAX - 1);
	assert_non_null(strstr(f.rec.items[f.rec.n - 1].order.reason, "client_order_id"));
	raw = mk_limit("unterminated-symbol", TH_SIDE_BUY, PX(100), QTY(1));
	memset(raw.symbol, 'B', sizeof raw.symbol);
	expect_reject(&f, raw, "symbol is not terminated");

	/* Market orders: min_notional needs a reference price; with none known it is not checked. */
	assert_int_equal(sim_engine_submit(f.e, &(th_order){ 0 }), TH_ERR_INVALID);
	th_order mk = mk_market("MK0", TH_SIDE_BUY, 10);
	assert_int_equal(sim_engine_submit(f.e, &mk), TH_OK);
	feed_quote(&f, PX(99), QTY(1), PX(100), QTY(1));
	expect_reject(&f, mk_market("MK1", TH_SIDE_BUY, 10), "below min_notional");

	/* Unknown symbols are not remembered; other rejections are (idempotency). */
	th_order_update u;
	assert_int_equal(sim_engine_order(f.e, "U", &u), TH_ERR_NOT_FOUND);
	assert_int_equal(sim_engine_order(f.e, "L", &u), TH_OK);
	assert_int_equal(u.state, TH_ORDER_REJECTED);
	assert_string_equal(u.reason, "qty 1.002 is not a multiple of lot 0.005");
	fixture_stop(&f);
}

static void test_duplicate_client_order_id(void **state)
{
	(void)state;
	fixture f;
	fixture_defaults(&f);
	fixture_start(&f);
	th_order a = mk_limit("D", TH_SIDE_BUY, PX(100), QTY(1));
	assert_int_equal(sim_engine_submit(f.e, &a), TH_OK);
	const th_order_update *first = last_update(&f.rec, "D");
	char venue_id[TH_VENUE_ID_MAX];
	strcpy(venue_id, first->venue_order_id);
	recorder_clear(&f.rec);

	th_order b = mk_limit("D", TH_SIDE_SELL, PX(90), QTY(5));
	assert_int_equal(sim_engine_submit(f.e, &b), TH_ERR_EXISTS);
	assert_int_equal(f.rec.n, 1);
	const th_order_update *u = last_update(&f.rec, "D");
	assert_int_equal(u->state, TH_ORDER_ACCEPTED);
	assert_int_equal(u->side, TH_SIDE_BUY);
	assert_int_equal(u->qty, QTY(1));
	assert_int_equal(u->price, PX(100));
	assert_string_equal(u->venue_order_id, venue_id);
	assert_non_null(strstr(u->reason, "duplicate client order id"));
	assert_int_equal(sim_engine_open_orders(f.e), 1);

	/* Also for a finished (rejected) order: the resend is answered, never re-run. */
	th_order bad = mk_limit("R", TH_SIDE_BUY, PX(100), 0);
	assert_int_equal(sim_engine_submit(f.e, &bad), TH_ERR_INVALID);
	th_order good = mk_limit("R", TH_SIDE_BUY, PX(100), QTY(1));
	assert_int_equal(sim_engine_submit(f.e, &good), TH_ERR_EXISTS);
	assert_int_equal(last_update(&f.rec, "R")->state, TH_ORDER_REJECTED);
	assert_int_equal(sim_engine_open_orders(f.e), 1);
	fixture_stop(&f);
}

static void test_cancel(void **state)
{
	(void)state;
	fixture f;
	fixture_defaults(&f);
	fixture_start(&f);
	assert_int_equal(sim_engine_cancel(f.e, "nope"), TH_ERR_NOT_FOUND);
	assert_int_equal(last_update(&f.rec, "nope")->state, TH_ORDER_ABSENT);

	th_order a = mk_limit("A", TH_SIDE_BUY, PX(100), QTY(2));
	assert_int_equal(sim_engine_submit(f.e, &a), TH_OK);
	feed_trade(&f, PX(100), QTY(1));
	assert_int_equal(sim_engine_cancel(f.e, "A"), TH_OK);
	const th_order_update *u = last_update(&f.rec, "A");
	assert_int_equal(u->state, TH_ORDER_CANCELED);
	assert_int_equal(u->filled_qty, QTY(1));
	assert_string_equal(u->reason, "canceled by request");
	assert_int_equal(sim_engine_open_orders(f.e), 0);
	/* A canceled order no longer fills. */
	feed_trade(&f, PX(99), QTY(5));
	assert_int_equal(fill_total(&f.rec, "A"), QTY(1));

	assert_int_equal(sim_engine_cancel(f.e, "A"), TH_ERR_STATE);
	assert_int_equal(last_update(&f.rec, "A")->state, TH_ORDER_CANCELED);
	assert_non_null(strstr(last_update(&f.rec, "A")->reason, "already finished"));

	th_order b = mk_limit("B", TH_SIDE_SELL, PX(100), QTY(1));
	assert_int_equal(sim_engine_submit(f.e, &b), TH_OK);
	feed_trade(&f, PX(100), QTY(1));
	assert_int_equal(engine_state(&f, "B"), TH_ORDER_FILLED);
	recorder_clear(&f.rec);
	assert_int_equal(sim_engine_cancel(f.e, "B"), TH_ERR_STATE);
	assert_int_equal(f.rec.n, 1);
	assert_int_equal(last_update(&f.rec, "B")->state, TH_ORDER_FILLED);
	assert_int_equal(last_update(&f.rec, "B")->filled_qty, QTY(1));
	fixture_stop(&f);
}

static void test_query(void **state)
{
	(void)state;
	fixture f;
	fixture_defaults(&f);
	fixture_start(&f);
	assert_int_equal(sim_engine_query(f.e, "ghost"), TH_ERR_NOT_FOUND);
	assert_int_equal(f.rec.n, 1);
	assert_int_equal(f.rec.items[0].kind, SIM_REPORT_ORDER);
	assert_int_equal(f.rec.items[0].order.state, TH_ORDER_ABSENT);
	assert_string_equal(f.rec.items[0].order.client_order_id, "ghost");

	th_order a = mk_limit("Q", TH_SIDE_BUY, PX(100), QTY(3));
	assert_int_equal(sim_engine_submit(f.e, &a), TH_OK);
	feed_trade(&f, PX(100), QTY(1));
	feed_trade(&f, PX(99), QTY(1));
	char t0[TH_VENUE_ID_MAX], t1[TH_VENUE_ID_MAX];
	strcpy(t0, nth_fill_of(&f.rec, "Q", 0)->venue_trade_id);
	strcpy(t1, nth_fill_of(&f.rec, "Q", 1)->venue_trade_id);
	recorder_clear(&f.rec);

	assert_int_equal(sim_engine_query(f.e, "Q"), TH_OK);
	assert_int_equal(f.rec.n, 3); /* two fills, then the state */
	assert_int_equal(f.rec.items[0].kind, SIM_REPORT_FILL);
	assert_string_equal(f.rec.items[0].fill.venue_trade_id, t0);
	assert_string_equal(f.rec.items[1].fill.venue_trade_id, t1);
	assert_int_equal(f.rec.items[2].kind, SIM_REPORT_ORDER);
	assert_int_equal(f.rec.items[2].order.state, TH_ORDER_PARTIALLY_FILLED);
	assert_int_equal(f.rec.items[2].order.filled_qty, QTY(2));
	assert_string_equal(f.rec.items[2].symbol, "BTC-USDT");
	fixture_stop(&f);
}

static void test_finished_order_window(void **state)
{
	(void)state;
	fixture f;
	fixture_defaults(&f);
	f.cfg.retain_closed = 2;
	fixture_start(&f);
	const char *ids[] = { "c1", "c2", "c3" };
	for (int i = 0; i < 3; i++) {
		th_order o = mk_limit(ids[i], TH_SIDE_BUY, PX(100), QTY(1));
		assert_int_equal(sim_engine_submit(f.e, &o), TH_OK);
		assert_int_equal(sim_engine_cancel(f.e, ids[i]), TH_OK);
	}
	assert_int_equal(sim_engine_closed_orders(f.e), 2);
	assert_int_equal(sim_engine_query(f.e, "c1"), TH_ERR_NOT_FOUND);
	assert_int_equal(sim_engine_query(f.e, "c2"), TH_OK);
	assert_int_equal(sim_engine_forget_closed(f.e, 5), 2);
	assert_int_equal(sim_engine_query(f.e, "c3"), TH_ERR_NOT_FOUND);
	fixture_stop(&f);

	/* retain_closed 0: finished orders are forgotten at once (rejections too). */
	fixture_defaults(&f);
	f.cfg.retain_closed = 0;
	fixture_start(&f);
	th_order bad = mk_limit("r0", TH_SIDE_BUY, PX(100), 0);
	assert_int_equal(sim_engine_submit(f.e, &bad), TH_ERR_INVALID);
	assert_true(last_update(&f.rec, "r0")->venue_order_id[0] != '\0');
	th_order ok = mk_limit("f0", TH_SIDE_BUY, PX(100), QTY(1));
	assert_int_equal(sim_engine_submit(f.e, &ok), TH_OK);
	feed_trade(&f, PX(100), QTY(1));
	assert_int_equal(last_update(&f.rec, "f0")->state, TH_ORDER_FILLED);
	assert_int_equal(sim_engine_closed_orders(f.e), 0);
	assert_int_equal(sim_engine_query(f.e, "r0"), TH_ERR_NOT_FOUND);
	assert_int_equal(sim_engine_query(f.e, "f0"), TH_ERR_NOT_FOUND);
	fixture_stop(&f);
}

/* Open orders of every phase, finished orders with fills, positions. */
static void build_state(fixture *f)
{
	th_order o;
	feed_quote(f, PX(99), QTY(5), PX(100), QTY(5));
	o = mk_limit("rest", TH_SIDE_BUY, PX(95), QTY(2));
	sim_engine_submit(f->e, &o);
	o = mk_limit("part", TH_SIDE_BUY, PX(96), QTY(3));
	sim_engine_submit(f->e, &o);
	o = mk_order("stop", TH_SIDE_SELL, TH_ORDER_STOP_LIMIT, TH_TIF_GTC, PX(80), PX(81), QTY(1));
	o.flags = TH_ORDER_REDUCE_ONLY;
	o.qty = 0; /* rejected: kept as finished */
	sim_engine_submit(f->e, &o);
	o = mk_market("done", TH_SIDE_BUY, QTY(1));
	sim_engine_submit(f->e, &o);
	o = mk_order("stop2", TH_SIDE_SELL, TH_ORDER_STOP, TH_TIF_GTC, 0, PX(81), QTY(1));
	sim_engine_submit(f->e, &o);
	o = mk_limit("gone", TH_SIDE_SELL, PX(120), QTY(1));
	sim_engine_submit(f->e, &o);
	sim_engine_cancel(f->e, "gone");
	feed_trade(f, PX(96), QTY(1)); /* part: 1 of 3 */
}

static void test_codec_round_trip(void **state)
{
	(void)state;
	fixture a, b;
	fixture_defaults(&a);
	a.cfg.maker_fee_bps = 10000;
	fixture_start(&a);
	build_state(&a);
	size_t len = 0;
	assert_int_equal(sim_engine_encode(a.e, NULL, 0, &len), TH_ERR_LIMIT);
	assert_true(len > 100);
	unsigned char *buf = malloc(len);
	size_t len2 = 0;
	assert_int_equal(sim_engine_encode(a.e, buf, len, &len2), TH_OK);
	assert_int_equal(len2, len);

	fixture_defaults(&b);
	b.cfg.maker_fee_bps = 10000;
	b.cfg.session = 99; /* replaced by the saved session */
	fixture_start(&b);
	char err[192];
	assert_int_equal(sim_engine_decode(b.e, buf, len, err, sizeof err), TH_OK);
	assert_int_equal(sim_engine_open_orders(b.e), sim_engine_open_orders(a.e));
	assert_int_equal(sim_engine_open_orders(b.e), 3);
	assert_int_equal(sim_engine_closed_orders(b.e), sim_engine_closed_orders(a.e));
	th_qty pa, pb;
	th_money fa, fb;
	sim_engine_position(a.e, "BTC-USDT", &pa, &fa);
	sim_engine_position(b.e, "BTC-USDT", &pb, &fb);
	assert_int_equal(pa, pb);
	assert_int_equal(fa, fb);
	assert_int_equal(pa, QTY(2));

	/* Re-encoding gives the same bytes. */
	unsigned char *buf2 = malloc(len);
	assert_int_equal(sim_engine_encode(b.e, buf2, len, &len2), TH_OK);
	assert_int_equal(len2, len);
	assert_memory_equal(buf, buf2, len);

	/* Both venues go on identically: same fills, same ids. */
	recorder_clear(&a.rec);
	recorder_clear(&b.rec);
	feed_trade(&a, PX(80), QTY(10));
	feed_trade(&b, PX(80), QTY(10));
	sim_engine_query(a.e, "part");
	sim_engine_query(b.e, "part");
	sim_engine_query(a.e, "stop");
	sim_engine_query(b.e, "stop");
	assert_true(a.rec.n >= 8);
	assert_int_equal(a.rec.n, b.rec.n);
	assert_memory_equal(a.rec.items, b.rec.items, a.rec.n * sizeof *a.rec.items);
	assert_int_equal(last_update(&b.rec, "stop")->state, TH_ORDER_REJECTED);
	assert_int_equal(last_update(&b.rec, "part")->state, TH_ORDER_FILLED);

	/* The restored index refuses duplicates of restored orders. */
	th_order dup = mk_limit("rest", TH_SIDE_BUY, PX(95), QTY(2));
	assert_int_equal(sim_engine_submit(b.e, &dup), TH_ERR_EXISTS);
	free(buf);
	free(buf2);
	fixture_stop(&a);
	fixture_stop(&b);
}

typedef struct visit_log {
	char clid[8][TH_CLORD_MAX];
	uint32_t state[8];
	th_qty filled[8];
	size_t n;
} visit_log;

static void visit(void *arg, const char *symbol, const th_order_update *u)
{
	visit_log *v = arg;
	assert_string_equal(symbol, "BTC-USDT");
	assert_true(v->n < 8);
	snprintf(v->clid[v->n], sizeof v->clid[v->n], "%s", u->client_order_id);
	v->state[v->n] = u->state;
	v->filled[v->n] = u->filled_qty;
	v->n++;
}

/* The audit walk sees every remembered order once: open ones in time
 * priority, then finished ones oldest first; a decoded copy walks the same. */
static void test_each_order(void **state)
{
	(void)state;
	static const char *const want[] = { "rest", "part", "stop2", "stop", "done", "gone" };
	static const uint32_t want_state[] = { TH_ORDER_ACCEPTED, TH_ORDER_PARTIALLY_FILLED, TH_ORDER_ACCEPTED,
		                               TH_ORDER_REJECTED, TH_ORDER_FILLED,           TH_ORDER_CANCELED };
	static const th_qty want_filled[] = { 0, QTY(1), 0, 0, QTY(1), 0 };
	fixture a, b;
	fixture_defaults(&a);
	fixture_start(&a);
	build_state(&a);
	visit_log va = { .n = 0 }, vb = { .n = 0 };
	size_t reports = a.rec.n;
	assert_int_equal(sim_engine_each_order(a.e, visit, &va), 6);
	assert_int_equal(va.n, 6);
	assert_int_equal(a.rec.n, reports); /* read-only: no reports */
	for (size_t i = 0; i < 6; i++) {
		assert_string_equal(va.clid[i], want[i]);
		assert_int_equal(va.state[i], want_state[i]);
		assert_int_equal(va.filled[i], want_filled[i]);
	}

	size_t len = 0;
	sim_engine_encode(a.e, NULL, 0, &len);
	unsigned char *buf = malloc(len);
	assert_int_equal(sim_engine_encode(a.e, buf, len, &len), TH_OK);
	fixture_defaults(&b);
	fixture_start(&b);
	char err[192];
	assert_int_equal(sim_engine_decode(b.e, buf, len, err, sizeof err), TH_OK);
	assert_int_equal(sim_engine_each_order(b.e, visit, &vb), 6);
	assert_memory_equal(&va, &vb, sizeof va);
	free(buf);
	fixture_stop(&a);
	fixture_stop(&b);
}

static void test_codec_refuses_bad_input(void **state)
{
	(void)state;
	fixture a, b;
	fixture_defaults(&a);
	fixture_start(&a);
	build_state(&a);
	size_t len = 0;
	sim_engine_encode(a.e, NULL, 0, &len);
	unsigned char *buf = malloc(len + 1);
	sim_engine_encode(a.e, buf, len, &len);
	fixture_defaults(&b);
	fixture_start(&b);
	char err[192];

	/* Every truncation fails cleanly and leaves the engine untouched. */
	for (size_t n = 0; n < len; n++) {
		if (sim_engine_decode(b.e, buf, n, err, sizeof err) == TH_OK)
			fail_msg("decoding %zu of %zu bytes succeeded", n, len);
		assert_true(err[0] != '\0');
	}
	assert_int_equal(sim_engine_open_orders(b.e), 0);

	buf[len] = 0;
	assert_int_equal(sim_engine_decode(b.e, buf, len + 1, err, sizeof err), TH_ERR_INVALID);
	assert_non_null(strstr(err, "unexpected bytes"));

	buf[0] = 'X';
	assert_int_equal(sim_engine_decode(b.e, buf, len, err, sizeof err), TH_ERR_INVALID);
	assert_non_null(strstr(err, "magic"));
	buf[0] = 'S';
	buf[4] = 2; /* version 2 */
	assert_int_equal(sim_engine_decode(b.e, buf, len, err, sizeof err), TH_ERR_INVALID);
	assert_non_null(strstr(err, "version 2"));
	buf[4] = 1;
	assert_int_equal(sim_engine_decode(b.e, buf, len, err, sizeof err), TH_OK);
	fixture_stop(&b);

	/* Same symbol, other scale: refused, naming it. */
	fixture_defaults(&b);
	b.inst[0].price_scale = 3;
	fixture_start(&b);
	assert_int_equal(sim_engine_decode(b.e, buf, len, err, sizeof err), TH_ERR_INVALID);
	assert_non_null(strstr(err, "price_scale"));
	fixture_stop(&b);

	/* The symbol with orders is no longer configured: refused. */
	fixture_defaults(&b);
	strcpy(b.inst[0].symbol, "SOL-USDT");
	fixture_start(&b);
	assert_int_equal(sim_engine_decode(b.e, buf, len, err, sizeof err), TH_ERR_INVALID);
	assert_non_null(strstr(err, "BTC-USDT"));
	fixture_stop(&b);

	free(buf);
	fixture_stop(&a);
}

/* Every report's symbol is a whole TH_SYMBOL_MAX-byte field, zero after the
 * string (engine.h): the plugin glue copies it whole into the published
 * event. Under ASan a shorter string (a "" literal) fails here too. */
static void check_symbol_field(void *arg, const sim_report *r)
{
	size_t *n = arg;
	const char *end = memchr(r->symbol, 0, TH_SYMBOL_MAX);
	assert_non_null(end);
	for (const char *p = end; p < r->symbol + TH_SYMBOL_MAX; p++)
		assert_int_equal(*p, 0);
	(*n)++;
}

static void test_report_symbol_is_zero_padded(void **state)
{
	(void)state;
	fixture f;
	fixture_defaults(&f);
	strcpy(f.inst[1].symbol, "ETH"); /* "ETH\0USDT": bytes after the NUL */
	sim_engine *e = NULL;
	size_t n = 0;
	assert_int_equal(sim_engine_create(&f.cfg, f.inst, f.ninst, NULL, check_symbol_field, &n, &e), TH_OK);
	th_order a = mk_limit("A", TH_SIDE_BUY, PX(100), QTY(1));
	strcpy(a.symbol, "ETH");
	assert_int_equal(sim_engine_submit(e, &a), TH_OK); /* ACCEPTED */
	th_order u = mk_limit("U", TH_SIDE_BUY, PX(100), QTY(1));
	memset(u.symbol, 'z', sizeof u.symbol);
	strcpy(u.symbol, "NOPE"); /* unknown, with bytes after its NUL */
	assert_int_equal(sim_engine_submit(e, &u), TH_ERR_INVALID);                 /* REJECTED */
	assert_int_equal(sim_engine_cancel(e, "missing"), TH_ERR_NOT_FOUND);          /* ABSENT */
	assert_int_equal(sim_engine_query(e, "missing"), TH_ERR_NOT_FOUND);           /* ABSENT */
	assert_int_equal(sim_engine_cancel(e, "A"), TH_OK);                           /* CANCELED */
	assert_int_equal(sim_engine_submit(e, &a), TH_ERR_EXISTS);                    /* duplicate */
	assert_int_equal(n, 6);
	sim_engine_destroy(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validation_rejections),
		cmocka_unit_test(test_duplicate_client_order_id),
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_query),
		cmocka_unit_test(test_finished_order_window),
		cmocka_unit_test(test_codec_round_trip),
		cmocka_unit_test(test_each_order),
		cmocka_unit_test(test_codec_refuses_bad_input),
		cmocka_unit_test(test_report_symbol_is_zero_padded),
	};
	return cmocka_run_group_tests_name("sim_engine_orders", tests, NULL, NULL);
}
