/*
 * sim engine — matching tests: priority, partial fills, order types, TIF,
 * post-only, reduce-only, fees, slippage, quote sizes and the OHLC bar model.
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

/* Two orders at the same price fill in arrival order; a better price first. */
static void test_price_time_priority(void **state)
{
	(void)state;
	fixture f;
	fixture_defaults(&f);
	fixture_start(&f);
	submit_ok(&f, mk_limit("A", TH_SIDE_BUY, PX(100), QTY(1)));
	submit_ok(&f, mk_limit("B", TH_SIDE_BUY, PX(100), QTY(1)));
	submit_ok(&f, mk_limit("C", TH_SIDE_BUY, PX(101), QTY(1)));
	recorder_clear(&f.rec);

	feed_trade(&f, PX(100), QTY(2)); /* enough for two of the three */
	assert_string_equal(nth_fill(&f.rec, 0)->client_order_id, "C");
	assert_int_equal(nth_fill(&f.rec, 0)->price, PX(101)); /* maker at its own limit */
	assert_int_equal(nth_fill(&f.rec, 0)->liquidity, TH_LIQ_MAKER);
	assert_string_equal(nth_fill(&f.rec, 1)->client_order_id, "A");
	assert_null(nth_fill(&f.rec, 2));
	assert_int_equal(engine_state(&f, "B"), TH_ORDER_ACCEPTED);

	/* Sells: the lowest ask first. */
	submit_ok(&f, mk_limit("S1", TH_SIDE_SELL, PX(110), QTY(1)));
	submit_ok(&f, mk_limit("S2", TH_SIDE_SELL, PX(109), QTY(1)));
	recorder_clear(&f.rec);
	feed_trade(&f, PX(111), QTY(1));
	assert_string_equal(nth_fill(&f.rec, 0)->client_order_id, "S2");
	assert_null(nth_fill(&f.rec, 1));
	fixture_stop(&f);
}

static void test_partial_fills_across_trades(void **state)
{
	(void)state;
	fixture f;
	fixture_defaults(&f);
	fixture_start(&f);
	submit_ok(&f, mk_limit("P", TH_SIDE_BUY, PX(100), 3000));
	feed_trade(&f, PX(100), 1000);
	assert_int_equal(last_update(&f.rec, "P")->state, TH_ORDER_PARTIALLY_FILLED);
	assert_int_equal(last_update(&f.rec, "P")->filled_qty, 1000);
	feed_trade(&f, PX(101), 5000); /* above the bid: no fill */
	assert_int_equal(fill_count(&f.rec, "P"), 1);
	feed_trade(&f, 9950, 1500); /* 99.50: trades through, fills at the limit */
	assert_int_equal(fill_count(&f.rec, "P"), 2);
	assert_int_equal(nth_fill_of(&f.rec, "P", 1)->price, PX(100));
	assert_int_equal(last_update(&f.rec, "P")->filled_qty, 2500);
	feed_trade(&f, PX(100), 4000); /* only 500 left */
	assert_int_equal(fill_count(&f.rec, "P"), 3);
	assert_int_equal(nth_fill_of(&f.rec, "P", 2)->qty, 500);
	assert_int_equal(last_update(&f.rec, "P")->state, TH_ORDER_FILLED);
	assert_int_equal(last_update(&f.rec, "P")->filled_qty, 3000);
	assert_int_equal(state_count(&f.rec, "P", TH_ORDER_PARTIALLY_FILLED), 2);
	assert_int_equal(sim_engine_open_orders(f.e), 0);

	th_qty pos;
	assert_int_equal(sim_engine_position(f.e, "BTC-USDT", &pos, NULL), TH_OK);
	assert_int_equal(pos, 3000);
	/* Trade ids are unique and carry the session. */
	assert_string_equal(nth_fill(&f.rec, 0)->venue_trade_id, "7-T1");
	assert_string_equal(nth_fill(&f.rec, 2)->venue_trade_id, "7-T3");
	fixture_stop(&f);
}

static void test_participation_limits_trade_volume(void **state)
{
	(void)state;
	fixture f;
	fixture_defaults(&f);
	f.cfg.participation_ppm = 250000; /* 25 % */
	fixture_start(&f);
	submit_ok(&f, mk_limit("P", TH_SIDE_SELL, PX(100), QTY(10)));
	feed_trade(&f, PX(100), 4003); /* 25 % of 4.003 = 1.00075 -> 1.000 (whole lots) */
	assert_int_equal(fill_total(&f.rec, "P"), 1000);
	fixture_stop(&f);
}

static void test_market_order_takes_quote(void **state)
{
	(void)state;
	fixture f;
	fixture_defaults(&f);
	fixture_start(&f);
	feed_quote(&f, PX(99), QTY(5), PX(100), QTY(5));
	submit_ok(&f, mk_market("M", TH_SIDE_BUY, QTY(2)));
	assert_int_equal(state_count(&f.rec, "M", TH_ORDER_ACCEPTED), 1);
	assert_int_equal(fill_count(&f.rec, "M"), 1);
	assert_int_equal(nth_fill_of(&f.rec, "M", 0)->price, PX(100));
	assert_int_equal(nth_fill_of(&f.rec, "M", 0)->liquidity, TH_LIQ_TAKER);
	assert_int_equal(last_update(&f.rec, "M")->state, TH_ORDER_FILLED);

	submit_ok(&f, mk_market("N", TH_SIDE_SELL, QTY(1)));
	assert_int_equal(nth_fill_of(&f.rec, "N", 0)->price, PX(99));
	/* Order reports come in the instrument's scales, fee asset is the quote. */
	assert_int_equal(last_update(&f.rec, "N")->qty_scale, 3);
	assert_string_equal(nth_fill_of(&f.rec, "N", 0)->fee_asset, "USDT");
	fixture_stop(&f);
}

/* With no standing quote a market order waits for the next market event. */
static void test_market_order_without_quote_waits(void **state)
{
	(void)state;
	fixture f;
	fixture_defaults(&f);
	fixture_start(&f);
	submit_ok(&f, mk_market("M", TH_SIDE_BUY, QTY(2)));
	assert_int_equal(fill_count(&f.rec, "M"), 0);
	assert_int_equal(engine_state(&f, "M"), TH_ORDER_ACCEPTED);
	feed_trade(&f, 10050, QTY(1)); /* 1 of 2 available at 100.50 */
	assert_int_equal(fill_total(&f.rec, "M"), QTY(1));
	assert_int_equal(nth_fill_of(&f.rec, "M", 0)->price, 10050);
	assert_int_equal(engine_state(&f, "M"), TH_ORDER_PARTIALLY_FILLED);
	feed_trade(&f, 10060, QTY(3));
	assert_int_equal(fill_total(&f.rec, "M"), QTY(2));
	assert_int_equal(nth_fill_of(&f.rec, "M", 1)->price, 10060);
	assert_int_equal(engine_state(&f, "M"), TH_ORDER_FILLED);
	fixture_stop(&f);
}

static void test_limit_gtc_rests_then_fills(void **state)
{
	(void)state;
	fixture f;
	fixture_defaults(&f);
	fixture_start(&f);
	feed_quote(&f, PX(99), QTY(5), PX(100), QTY(5));
	submit_ok(&f, mk_limit("L", TH_SIDE_BUY, PX(98), QTY(1)));
	assert_int_equal(engine_state(&f, "L"), TH_ORDER_ACCEPTED);
	assert_int_equal(fill_count(&f.rec, "L"), 0);
	/* A new quote whose ask comes down through the bid fills it, as maker, at 98. */
	feed_quote(&f, PX(96), QTY(5), PX(97), QTY(5));
	assert_int_equal(nth_fill_of(&f.rec, "L", 0)->price, PX(98));
	assert_int_equal(nth_fill_of(&f.rec, "L", 0)->liquidity, TH_LIQ_MAKER);

	/* A marketable limit takes at the quote (price improvement), as taker. */
	submit_ok(&f, mk_limit("T", TH_SIDE_BUY, PX(99), QTY(1)));
	assert_int_equal(nth_fill_of(&f.rec, "T", 0)->price, PX(97));
	assert_int_equal(nth_fill_of(&f.rec, "T", 0)->liquidity, TH_LIQ_TAKER);
	fixture_stop(&f);
}

static void test_ioc_cancels_remainder(void **state)
{
	(void)state;
	fixture f;
	fixture_defaults(&f);
	f.cfg.respect_quote_size = 1;
	fixture_start(&f);
	feed_quote(&f, PX(99), QTY(1), PX(100), QTY(1));
	submit_ok(&f, mk_order("I", TH_SIDE_BUY, TH_ORDER_LIMIT, TH_TIF_IOC, PX(100), 0, QTY(3)));
	assert_int_equal(fill_total(&f.rec, "I"), QTY(1));
	const th_order_update *u = last_update(&f.rec, "I");
	assert_int_equal(u->state, TH_ORDER_CANCELED);
	assert_int_equal(u->filled_qty, QTY(1));
	assert_non_null(strstr(u->reason, "IOC"));

	/* A non-marketable IOC fills nothing and is canceled at once. */
	submit_ok(&f, mk_order("J", TH_SIDE_BUY, TH_ORDER_LIMIT, TH_TIF_IOC, PX(95), 0, QTY(1)));
	assert_int_equal(fill_count(&f.rec, "J"), 0);
	assert_int_equal(last_update(&f.rec, "J")->state, TH_ORDER_CANCELED);
	fixture_stop(&f);
}

static void test_fok_all_or_nothing(void **state)
{
	(void)state;
	fixture f;
	fixture_defaults(&f);
	f.cfg.respect_quote_size = 1;
	fixture_start(&f);
	feed_quote(&f, PX(99), QTY(2), PX(100), QTY(2));
	assert_int_equal(sim_engine_submit(f.e, &(th_order){ 0 }), TH_ERR_INVALID); /* empty id */
	th_order big = mk_order("F1", TH_SIDE_BUY, TH_ORDER_MARKET, TH_TIF_FOK, 0, 0, QTY(3));
	assert_int_equal(sim_engine_submit(f.e, &big), TH_ERR_INVALID);
	assert_int_equal(last_update(&f.rec, "F1")->state, TH_ORDER_REJECTED);
	assert_string_equal(last_update(&f.rec, "F1")->reason, "FOK order cannot be filled completely");
	assert_int_equal(state_count(&f.rec, "F1", TH_ORDER_ACCEPTED), 0);
	assert_int_equal(fill_count(&f.rec, "F1"), 0);

	submit_ok(&f, mk_order("F2", TH_SIDE_BUY, TH_ORDER_MARKET, TH_TIF_FOK, 0, 0, QTY(2)));
	assert_int_equal(fill_total(&f.rec, "F2"), QTY(2));
	assert_int_equal(last_update(&f.rec, "F2")->state, TH_ORDER_FILLED);

	/* The quote's size is used up now: the same FOK is refused. */
	th_order again = mk_order("F3", TH_SIDE_BUY, TH_ORDER_MARKET, TH_TIF_FOK, 0, 0, QTY(1));
	assert_int_equal(sim_engine_submit(f.e, &again), TH_ERR_INVALID);
	/* A limit FOK whose price does not reach the ask is refused too. */
	th_order lim = mk_order("F4", TH_SIDE_BUY, TH_ORDER_LIMIT, TH_TIF_FOK, PX(98), 0, QTY(1));
	assert_int_equal(sim_engine_submit(f.e, &lim), TH_ERR_INVALID);
	fixture_stop(&f);
}

static void test_stop_market_triggers_on_trade(void **state)
{
	(void)state;
	fixture f;
	fixture_defaults(&f);
	fixture_start(&f);
	submit_ok(&f, mk_order("S", TH_SIDE_BUY, TH_ORDER_STOP, TH_TIF_GTC, 0, PX(105), QTY(1)));
	assert_int_equal(engine_state(&f, "S"), TH_ORDER_ACCEPTED);
	feed_trade(&f, PX(104), QTY(5));
	assert_int_equal(fill_count(&f.rec, "S"), 0);
	feed_trade(&f, 10520, QTY(5));
	assert_int_equal(fill_count(&f.rec, "S"), 1);
	assert_int_equal(nth_fill_of(&f.rec, "S", 0)->price, 10520);
	assert_int_equal(nth_fill_of(&f.rec, "S", 0)->liquidity, TH_LIQ_TAKER);

	/* Sell stop triggers when the bid falls to it, and takes the bid. */
	submit_ok(&f, mk_order("SS", TH_SIDE_SELL, TH_ORDER_STOP, TH_TIF_GTC, 0, PX(95), QTY(1)));
	feed_quote(&f, PX(96), QTY(1), PX(97), QTY(1));
	assert_int_equal(fill_count(&f.rec, "SS"), 0);
	feed_quote(&f, PX(94), QTY(1), PX(95), QTY(1));
	assert_int_equal(nth_fill_of(&f.rec, "SS", 0)->price, PX(94));
	fixture_stop(&f);
}

static void test_stop_limit(void **state)
{
	(void)state;
	fixture f;
	fixture_defaults(&f);
	fixture_start(&f);
	/* Triggered and marketable: fills at the trade price. */
	submit_ok(&f, mk_order("A", TH_SIDE_SELL, TH_ORDER_STOP_LIMIT, TH_TIF_GTC, PX(94), PX(95), QTY(1)));
	/* Triggered above its limit: rests, fills later as maker at 104. */
	submit_ok(&f, mk_order("B", TH_SIDE_BUY, TH_ORDER_STOP_LIMIT, TH_TIF_GTC, PX(104), PX(105), QTY(1)));
	feed_trade(&f, PX(95), QTY(1));
	assert_int_equal(nth_fill_of(&f.rec, "A", 0)->price, PX(95));
	assert_int_equal(last_update(&f.rec, "A")->state, TH_ORDER_FILLED);
	feed_trade(&f, PX(106), QTY(1));
	assert_int_equal(fill_count(&f.rec, "B"), 0);
	assert_int_equal(engine_state(&f, "B"), TH_ORDER_ACCEPTED);
	feed_trade(&f, 10450, QTY(1));
	assert_int_equal(fill_count(&f.rec, "B"), 0);
	feed_trade(&f, PX(104), QTY(1));
	assert_int_equal(nth_fill_of(&f.rec, "B", 0)->price, PX(104));
	assert_int_equal(nth_fill_of(&f.rec, "B", 0)->liquidity, TH_LIQ_MAKER);
	fixture_stop(&f);
}

/* A stop whose price the standing quote already passed triggers on arrival. */
static void test_stop_triggers_against_standing_quote(void **state)
{
	(void)state;
	fixture f;
	fixture_defaults(&f);
	fixture_start(&f);
	feed_quote(&f, PX(109), QTY(1), PX(110), QTY(1));
	submit_ok(&f, mk_order("S", TH_SIDE_BUY, TH_ORDER_STOP, TH_TIF_GTC, 0, PX(105), QTY(1)));
	assert_int_equal(nth_fill_of(&f.rec, "S", 0)->price, PX(110));
	fixture_stop(&f);
}

static void test_post_only(void **state)
{
	(void)state;
	fixture f;
	fixture_defaults(&f);
	fixture_start(&f);
	feed_quote(&f, PX(99), QTY(1), PX(100), QTY(1));
	th_order cross = mk_limit("P1", TH_SIDE_BUY, PX(100), QTY(1));
	cross.flags = TH_ORDER_POST_ONLY;
	assert_int_equal(sim_engine_submit(f.e, &cross), TH_ERR_INVALID);
	assert_int_equal(last_update(&f.rec, "P1")->state, TH_ORDER_REJECTED);
	assert_string_equal(last_update(&f.rec, "P1")->reason, "post-only order would take liquidity");
	assert_int_equal(fill_count(&f.rec, "P1"), 0);

	th_order rest = mk_limit("P2", TH_SIDE_BUY, PX(99), QTY(1));
	rest.flags = TH_ORDER_POST_ONLY;
	submit_ok(&f, rest);
	assert_int_equal(engine_state(&f, "P2"), TH_ORDER_ACCEPTED);
	feed_trade(&f, PX(99), QTY(1));
	assert_int_equal(nth_fill_of(&f.rec, "P2", 0)->liquidity, TH_LIQ_MAKER);

	th_order mkt = mk_market("P3", TH_SIDE_BUY, QTY(1));
	mkt.flags = TH_ORDER_POST_ONLY;
	assert_int_equal(sim_engine_submit(f.e, &mkt), TH_ERR_INVALID);
	assert_non_null(strstr(last_update(&f.rec, "P3")->reason, "post-only"));
	fixture_stop(&f);
}

static void test_reduce_only(void **state)
{
	(void)state;
	fixture f;
	fixture_defaults(&f);
	fixture_start(&f);
	feed_quote(&f, PX(99), 0, PX(100), 0);
	th_order r1 = mk_market("R1", TH_SIDE_SELL, QTY(1));
	r1.flags = TH_ORDER_REDUCE_ONLY;
	assert_int_equal(sim_engine_submit(f.e, &r1), TH_ERR_INVALID); /* flat: nothing to reduce */
	assert_string_equal(last_update(&f.rec, "R1")->reason, "reduce-only order would increase the position");

	submit_ok(&f, mk_market("B", TH_SIDE_BUY, QTY(2)));
	th_order r2 = mk_market("R2", TH_SIDE_SELL, QTY(3));
	r2.flags = TH_ORDER_REDUCE_ONLY;
	assert_int_equal(sim_engine_submit(f.e, &r2), TH_ERR_INVALID);
	assert_non_null(strstr(last_update(&f.rec, "R2")->reason, "exceeds the position"));
	th_order r3 = mk_market("R3", TH_SIDE_BUY, QTY(1));
	r3.flags = TH_ORDER_REDUCE_ONLY;
	assert_int_equal(sim_engine_submit(f.e, &r3), TH_ERR_INVALID); /* long: a buy would grow it */

	/* Two resting reduce-only sells of 1.5 against a position of 2: the
	 * second is clamped to what is left, then canceled. */
	th_order a = mk_limit("RA", TH_SIDE_SELL, PX(101), 1500);
	a.flags = TH_ORDER_REDUCE_ONLY;
	th_order b = mk_limit("RB", TH_SIDE_SELL, PX(102), 1500);
	b.flags = TH_ORDER_REDUCE_ONLY;
	submit_ok(&f, a);
	submit_ok(&f, b);
	feed_trade(&f, PX(103), QTY(10));
	assert_int_equal(fill_total(&f.rec, "RA"), 1500);
	assert_int_equal(fill_total(&f.rec, "RB"), 500);
	assert_int_equal(last_update(&f.rec, "RB")->state, TH_ORDER_CANCELED);
	assert_non_null(strstr(last_update(&f.rec, "RB")->reason, "reduce-only"));
	th_qty pos;
	sim_engine_position(f.e, "BTC-USDT", &pos, NULL);
	assert_int_equal(pos, 0);
	fixture_stop(&f);
}

/* Fees: notional * bps / 10^4 at TH_MONEY_SCALE, half away from zero. */
static void test_fees_exact(void **state)
{
	(void)state;
	fixture f;
	fixture_defaults(&f);
	f.cfg.maker_fee_bps = 20000;  /* 2 bp */
	f.cfg.taker_fee_bps = 75000;  /* 7.5 bp */
	fixture_start(&f);
	/* Maker: 1.5 BTC at 20000.00 = 30000 USDT; 2 bp = 6 USDT. */
	submit_ok(&f, mk_limit("MK", TH_SIDE_BUY, PX(20000), 1500));
	feed_trade(&f, PX(20000), QTY(5));
	assert_int_equal(nth_fill_of(&f.rec, "MK", 0)->fee, 600000000);
	/* Taker: 30000 USDT at 7.5 bp = 22.5 USDT. */
	feed_quote(&f, PX(19999), QTY(5), PX(20000), QTY(5));
	submit_ok(&f, mk_market("TK", TH_SIDE_SELL, 1500));
	assert_int_equal(nth_fill_of(&f.rec, "TK", 0)->price, PX(19999));
	/* 1.5 * 19999 = 29998.5 USDT; * 0.00075 = 22.498875 */
	assert_int_equal(nth_fill_of(&f.rec, "TK", 0)->fee, 2249887500);
	/* Tiny: 0.001 BTC at 0.01 = 0.00001 USDT (1000 units); 7.5 bp = 0.75 unit -> 1. */
	feed_quote(&f, 1, QTY(5), 1, QTY(5));
	submit_ok(&f, mk_market("TINY", TH_SIDE_BUY, 1));
	assert_int_equal(nth_fill_of(&f.rec, "TINY", 0)->fee, 1);
	th_money fees;
	sim_engine_position(f.e, "BTC-USDT", NULL, &fees);
	assert_int_equal(fees, 600000000 + 2249887500 + 1);
	fixture_stop(&f);

	/* Rebates: negative maker fee, rounded away from zero too. */
	fixture_defaults(&f);
	f.cfg.maker_fee_bps = -12500; /* -1.25 bp */
	fixture_start(&f);
	submit_ok(&f, mk_limit("RB", TH_SIDE_SELL, PX(20000), 1500));
	feed_trade(&f, PX(20000), QTY(5));
	assert_int_equal(nth_fill_of(&f.rec, "RB", 0)->fee, -375000000); /* -3.75 USDT */
	submit_ok(&f, mk_limit("RT", TH_SIDE_SELL, 2, 1)); /* 0.001 at 0.02 = 2000 units; -0.25 -> 0 */
	feed_trade(&f, 2, 1);
	assert_int_equal(nth_fill_of(&f.rec, "RT", 0)->fee, 0);
	submit_ok(&f, mk_limit("RU", TH_SIDE_SELL, 4, 1)); /* 4000 units * -1.25e-4 = -0.5 -> -1 */
	feed_trade(&f, 4, 1);
	assert_int_equal(nth_fill_of(&f.rec, "RU", 0)->fee, -1);
	fixture_stop(&f);
}

static void test_slippage(void **state)
{
	(void)state;
	fixture f;
	fixture_defaults(&f);
	f.cfg.slippage_bps = 100000; /* 10 bp */
	fixture_start(&f);
	feed_quote(&f, 9999, QTY(5), PX(100), QTY(5));
	submit_ok(&f, mk_market("B", TH_SIDE_BUY, QTY(1)));
	assert_int_equal(nth_fill_of(&f.rec, "B", 0)->price, 10010); /* 100 * 1.001 */
	submit_ok(&f, mk_market("S", TH_SIDE_SELL, QTY(1)));
	assert_int_equal(nth_fill_of(&f.rec, "S", 0)->price, 9989); /* 99.99 * 0.999 = 99.89001 -> 99.89 */
	/* A marketable limit gets slippage too, but never beyond its limit. */
	submit_ok(&f, mk_limit("L", TH_SIDE_BUY, 10005, QTY(1)));
	assert_int_equal(nth_fill_of(&f.rec, "L", 0)->price, 10005);
	/* Makers get no slippage. */
	submit_ok(&f, mk_limit("M", TH_SIDE_BUY, PX(90), QTY(1)));
	feed_trade(&f, PX(90), QTY(1));
	assert_int_equal(nth_fill_of(&f.rec, "M", 0)->price, PX(90));
	fixture_stop(&f);

	/* Half a basis point of 100.00 is 0.005: rounded up to the next tick. */
	fixture_defaults(&f);
	f.cfg.slippage_bps = 5000;
	fixture_start(&f);
	feed_quote(&f, PX(99), QTY(5), PX(100), QTY(5));
	submit_ok(&f, mk_market("H", TH_SIDE_BUY, QTY(1)));
	assert_int_equal(nth_fill_of(&f.rec, "H", 0)->price, 10001);
	fixture_stop(&f);
}

/* respect_quote_size: the remainder waits for the next quote (or trade). */
static void test_quote_size_remainder_waits(void **state)
{
	(void)state;
	fixture f;
	fixture_defaults(&f);
	f.cfg.respect_quote_size = 1;
	fixture_start(&f);
	feed_quote(&f, PX(99), QTY(1), PX(100), 1500);
	submit_ok(&f, mk_market("M", TH_SIDE_BUY, QTY(4)));
	assert_int_equal(fill_total(&f.rec, "M"), 1500);
	assert_int_equal(engine_state(&f, "M"), TH_ORDER_PARTIALLY_FILLED);
	/* Another order sees the displayed size already taken. */
	submit_ok(&f, mk_market("N", TH_SIDE_BUY, QTY(1)));
	assert_int_equal(fill_count(&f.rec, "N"), 0);
	feed_quote(&f, PX(100), QTY(1), PX(101), QTY(2));
	assert_int_equal(fill_total(&f.rec, "M"), 3500); /* first in line takes the whole 2.000 */
	assert_int_equal(nth_fill_of(&f.rec, "M", 1)->price, PX(101));
	assert_int_equal(fill_count(&f.rec, "N"), 0);
	feed_quote(&f, PX(100), QTY(1), PX(102), QTY(9));
	assert_int_equal(fill_total(&f.rec, "M"), QTY(4));
	assert_int_equal(fill_total(&f.rec, "N"), QTY(1));
	fixture_stop(&f);
}

/* Bar opens below a resting buy: filled at the open, not the limit. */
static void test_bar_gap_through_limit(void **state)
{
	(void)state;
	fixture f;
	fixture_defaults(&f);
	fixture_start(&f);
	submit_ok(&f, mk_limit("G", TH_SIDE_BUY, PX(100), QTY(1)));
	feed_bar(&f, PX(98), PX(101), PX(97), PX(100), 0);
	assert_int_equal(nth_fill_of(&f.rec, "G", 0)->price, PX(98));
	assert_int_equal(nth_fill_of(&f.rec, "G", 0)->liquidity, TH_LIQ_MAKER);
	/* Reached inside the bar: filled at the limit. */
	submit_ok(&f, mk_limit("H", TH_SIDE_BUY, PX(99), QTY(1)));
	feed_bar(&f, PX(101), PX(102), PX(98), PX(100), 0);
	assert_int_equal(nth_fill_of(&f.rec, "H", 0)->price, PX(99));
	/* Not reached: no fill. */
	submit_ok(&f, mk_limit("I", TH_SIDE_BUY, PX(95), QTY(1)));
	feed_bar(&f, PX(101), PX(102), PX(96), PX(100), 0);
	assert_int_equal(fill_count(&f.rec, "I"), 0);
	fixture_stop(&f);
}

static void test_bar_stop_trigger_inside_bar(void **state)
{
	(void)state;
	fixture f;
	fixture_defaults(&f);
	f.cfg.slippage_bps = 100000; /* 10 bp */
	fixture_start(&f);
	submit_ok(&f, mk_order("S", TH_SIDE_BUY, TH_ORDER_STOP, TH_TIF_GTC, 0, PX(105), QTY(1)));
	/* Rising bar: O 100 -> L 99 -> H 110 -> C 108; the stop fills at 105 + 10 bp. */
	feed_bar(&f, PX(100), PX(110), PX(99), PX(108), 0);
	assert_int_equal(nth_fill_of(&f.rec, "S", 0)->price, 10511); /* 105.105 rounded up */
	/* Gap: a sell stop at 100 when the bar opens at 95 fills at the open - slippage. */
	submit_ok(&f, mk_order("G", TH_SIDE_SELL, TH_ORDER_STOP, TH_TIF_GTC, 0, PX(100), QTY(1)));
	feed_bar(&f, PX(95), PX(97), PX(94), PX(96), 0);
	assert_int_equal(nth_fill_of(&f.rec, "G", 0)->price, 9490); /* 95 * 0.999 = 94.905 -> 94.90 */
	/* Stop-limit triggered inside the bar whose limit is reached later in the path. */
	submit_ok(&f, mk_order("SL", TH_SIDE_BUY, TH_ORDER_STOP_LIMIT, TH_TIF_GTC, PX(101), PX(103), QTY(1)));
	/* Falling bar: O 100 -> H 104 (triggers at 103, limit 101 below) -> L 99 (reaches 101) -> C 99.50 */
	feed_bar(&f, PX(100), PX(104), PX(99), 9950, 0);
	assert_int_equal(nth_fill_of(&f.rec, "SL", 0)->price, PX(101));
	assert_int_equal(nth_fill_of(&f.rec, "SL", 0)->liquidity, TH_LIQ_MAKER);
	fixture_stop(&f);
}

/* O->H->L->C for a falling bar: the sell above fills before the buy below. */
static void test_bar_path_order(void **state)
{
	(void)state;
	fixture f;
	fixture_defaults(&f);
	fixture_start(&f);
	submit_ok(&f, mk_limit("BUY", TH_SIDE_BUY, PX(98), QTY(1)));
	submit_ok(&f, mk_limit("SELL", TH_SIDE_SELL, PX(102), QTY(1)));
	feed_bar(&f, PX(100), PX(103), PX(97), PX(99), 0);
	assert_string_equal(nth_fill(&f.rec, 0)->client_order_id, "SELL");
	assert_string_equal(nth_fill(&f.rec, 1)->client_order_id, "BUY");
	recorder_clear(&f.rec);
	/* Rising bar: O->L->H->C, the buy first. */
	submit_ok(&f, mk_limit("BUY2", TH_SIDE_BUY, PX(98), QTY(1)));
	submit_ok(&f, mk_limit("SELL2", TH_SIDE_SELL, PX(102), QTY(1)));
	feed_bar(&f, PX(100), PX(103), PX(97), PX(101), 0);
	assert_string_equal(nth_fill(&f.rec, 0)->client_order_id, "BUY2");
	assert_string_equal(nth_fill(&f.rec, 1)->client_order_id, "SELL2");
	fixture_stop(&f);
}

static void test_bar_market_order_fills_next_open(void **state)
{
	(void)state;
	fixture f;
	fixture_defaults(&f);
	f.cfg.slippage_bps = 100000;
	f.cfg.participation_ppm = 500000;
	fixture_start(&f);
	feed_bar(&f, PX(100), PX(101), PX(99), PX(100), QTY(10));
	submit_ok(&f, mk_market("M", TH_SIDE_BUY, QTY(3)));
	assert_int_equal(fill_count(&f.rec, "M"), 0);
	/* Next bar opens at 102: 102 * 1.001 = 102.102 -> 102.11; volume 4 * 50 % = 2 available. */
	feed_bar(&f, PX(102), PX(103), PX(101), PX(102), QTY(4));
	assert_int_equal(nth_fill_of(&f.rec, "M", 0)->price, 10211);
	assert_int_equal(fill_total(&f.rec, "M"), QTY(2));
	feed_bar(&f, PX(104), PX(105), PX(103), PX(104), QTY(4));
	assert_int_equal(fill_total(&f.rec, "M"), QTY(3));
	assert_int_equal(nth_fill_of(&f.rec, "M", 1)->price, 10411); /* 104.104 -> 104.11 */

	/* An IOC market order with no quote meets the next open and cancels the rest. */
	submit_ok(&f, mk_order("I", TH_SIDE_BUY, TH_ORDER_MARKET, TH_TIF_IOC, 0, 0, QTY(5)));
	feed_bar(&f, PX(104), PX(105), PX(103), PX(104), QTY(2));
	assert_int_equal(fill_total(&f.rec, "I"), QTY(1));
	assert_int_equal(last_update(&f.rec, "I")->state, TH_ORDER_CANCELED);
	fixture_stop(&f);
}

/* Bars built from trades the venue already matched do not fill again. */
static void test_bar_ignored_after_trades(void **state)
{
	(void)state;
	fixture f;
	fixture_defaults(&f);
	fixture_start(&f);
	submit_ok(&f, mk_limit("L", TH_SIDE_BUY, PX(98), QTY(1)));
	feed_trade(&f, PX(99), QTY(1));
	feed_bar(&f, PX(99), PX(99), PX(97), PX(97), QTY(1));
	assert_int_equal(fill_count(&f.rec, "L"), 0);
	/* The next bar with no trades before it drives matching again. */
	feed_bar(&f, PX(97), PX(98), PX(96), PX(97), QTY(1));
	assert_int_equal(fill_count(&f.rec, "L"), 1);
	fixture_stop(&f);
}

/* Same inputs, same reports, byte for byte. */
static void run_scenario(recorder *out)
{
	fixture f;
	fixture_defaults(&f);
	f.cfg.maker_fee_bps = 10000;
	f.cfg.taker_fee_bps = 40000;
	f.cfg.slippage_bps = 20000;
	f.cfg.respect_quote_size = 1;
	f.cfg.participation_ppm = 300000;
	fixture_start(&f);
	char id[16];
	for (int i = 0; i < 40; i++) {
		snprintf(id, sizeof id, "o%d", i);
		th_price px = PX(100) + (i % 7) * 13 - 40;
		uint32_t side = i % 3 ? TH_SIDE_BUY : TH_SIDE_SELL;
		th_order o = i % 5 == 0 ? mk_market(id, side, QTY(1) + i) : mk_limit(id, side, px, QTY(1) + i * 7);
		sim_engine_submit(f.e, &o);
		feed_quote(&f, px - 10, QTY(2), px + 10, QTY(1));
		feed_trade(&f, px + (i % 2 ? 25 : -25), QTY(3));
		if (i % 9 == 0)
			feed_bar(&f, px, px + 90, px - 90, px + 5, 0);
	}
	*out = f.rec;
	f.rec.items = NULL;
	fixture_stop(&f);
}

static void test_deterministic(void **state)
{
	(void)state;
	recorder a, b;
	run_scenario(&a);
	run_scenario(&b);
	assert_true(a.n > 40);
	assert_int_equal(a.n, b.n);
	assert_memory_equal(a.items, b.items, a.n * sizeof *a.items);
	free(a.items);
	free(b.items);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_price_time_priority),
		cmocka_unit_test(test_partial_fills_across_trades),
		cmocka_unit_test(test_participation_limits_trade_volume),
		cmocka_unit_test(test_market_order_takes_quote),
		cmocka_unit_test(test_market_order_without_quote_waits),
		cmocka_unit_test(test_limit_gtc_rests_then_fills),
		cmocka_unit_test(test_ioc_cancels_remainder),
		cmocka_unit_test(test_fok_all_or_nothing),
		cmocka_unit_test(test_stop_market_triggers_on_trade),
		cmocka_unit_test(test_stop_limit),
		cmocka_unit_test(test_stop_triggers_against_standing_quote),
		cmocka_unit_test(test_post_only),
		cmocka_unit_test(test_reduce_only),
		cmocka_unit_test(test_fees_exact),
		cmocka_unit_test(test_slippage),
		cmocka_unit_test(test_quote_size_remainder_waits),
		cmocka_unit_test(test_bar_gap_through_limit),
		cmocka_unit_test(test_bar_stop_trigger_inside_bar),
		cmocka_unit_test(test_bar_path_order),
		cmocka_unit_test(test_bar_market_order_fills_next_open),
		cmocka_unit_test(test_bar_ignored_after_trades),
		cmocka_unit_test(test_deterministic),
	};
	return cmocka_run_group_tests_name("sim_engine_match", tests, NULL, NULL);
}
