/* Orders, fills and positions with hand-computed fixed-point values.
 * Instrument sim/BTCUSDT: price scale 2 (100.00 = 10000), qty scale 3
 * (1.000 BTC = 1000); money at scale 8 (USD(1) = 100000000). Agent A starts
 * with 1000 USDT of its farm F's 10000. */
#include "ledger_test_util.h"

#include <stdlib.h>
#include <tradehost/th_status.h>

#define PX(whole, cents) ((th_price)(whole) * 100 + (cents)) /* price scale 2 */
#define QTY(milli) ((th_qty)(milli))                         /* qty scale 3 */

typedef struct fx {
	capital_t *c;
	th_instrument btc;
	char err[512];
} fx;

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	f->c = capital_create("USDT", f->err, sizeof f->err);
	assert_non_null(f->c);
	assert_int_equal(capital_add_farm(f->c, "F", f->err, sizeof f->err), 0);
	assert_int_equal(capital_add_agent(f->c, "A", "F", f->err, sizeof f->err), 0);
	assert_int_equal(capital_add_agent(f->c, "B", "F", f->err, sizeof f->err), 0);
	assert_int_equal(capital_deposit(f->c, USD(10000)), 0);
	assert_int_equal(capital_allocate(f->c, "master", "F", USD(10000), f->err, sizeof f->err), 0);
	assert_int_equal(capital_allocate(f->c, "F", "A", USD(1000), f->err, sizeof f->err), 0);
	f->btc = test_instrument("sim", "BTCUSDT", "BTC", 2, 3);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	capital_destroy(f->c);
	free(f);
	return 0;
}

static int reserve(fx *f, const char *key, int side, th_price px, th_qty qty, th_money fee_budget)
{
	return capital_reserve(f->c, "A", key, &f->btc, side, px, qty, fee_budget, 0, f->err, sizeof f->err);
}

static int fill(fx *f, const char *key, int side, th_price px, th_qty qty, th_money fee)
{
	th_fill fl = test_fill(&f->btc, key, side, px, qty, fee, "USDT");
	int rc = capital_fill(f->c, key, &fl, 1000, f->err, sizeof f->err);
	if (rc != 0)
		print_error("fill: %s\n", f->err);
	return rc;
}

static capital_position position_of(fx *f, const char *agent)
{
	capital_position p[4];
	memset(p, 0, sizeof p);
	size_t n = capital_positions(f->c, agent, 1, p, 4);
	assert_true(n >= 1);
	return p[0];
}

/* Buy 2 BTC at 99.50 (reserved at 100.00), sell in two fills at 101 and 102. */
static void test_round_trip_with_fees(void **state)
{
	fx *f = *state;
	/* reserve: 2.000 x 100.00 = 200 + fee budget 0.20 = 200.20 */
	assert_int_equal(reserve(f, "o1", TH_SIDE_BUY, PX(100, 0), QTY(2000), CENTS(20)), 0);
	capital_stats s = test_stats(f->c, "A");
	assert_int_equal(s.cash, USD(1000) - USD(200) - CENTS(20)); /* 799.80 */
	assert_int_equal(s.reserved, USD(200) + CENTS(20));
	assert_int_equal(s.free, USD(799) + CENTS(80));
	assert_capital_ok(f->c);
	/* fill all at 99.50, fee 0.10: releases 200.20, pays 199.00 + 0.10 */
	assert_int_equal(fill(f, "o1", TH_SIDE_BUY, PX(99, 50), QTY(2000), CENTS(10)), 0);
	assert_int_equal(capital_order_count(f->c), 0); /* finished by its last fill */
	s = test_stats(f->c, "A");
	assert_int_equal(s.cash, USD(800) + CENTS(90)); /* 799.80 + 200.20 - 199.00 - 0.10 */
	assert_int_equal(s.reserved, 0);
	assert_int_equal(s.equity, USD(999) + CENTS(90)); /* 800.90 + 2 x 99.50 */
	assert_int_equal(s.committed, USD(199));
	assert_int_equal(s.fees, CENTS(10));
	assert_int_equal(s.unrealized_pnl, 0);
	capital_position p = position_of(f, "A");
	assert_int_equal(p.p.qty, QTY(2000));
	assert_int_equal(p.cost, USD(199));
	assert_int_equal(p.p.avg_price, PX(99, 50));
	assert_int_equal(test_balance(f->c, "agent/A/pos/sim/BTCUSDT"), 200000000); /* 2 BTC at scale 8 */
	assert_int_equal(test_balance(f->c, "market/BTC"), -200000000);
	assert_capital_ok(f->c);
	/* mark 101.00: value 202, unrealized +3 */
	assert_int_equal(capital_mark(f->c, "sim", "BTCUSDT", PX(101, 0), 2, 2000), 0);
	s = test_stats(f->c, "A");
	assert_int_equal(s.unrealized_pnl, USD(3));
	assert_int_equal(s.equity, USD(1002) + CENTS(90));
	/* unrealized gains do not add buying power: free = cash */
	assert_int_equal(s.free, USD(800) + CENTS(90));
	/* sell 2.000: it only reduces the long, so it reserves nothing */
	assert_int_equal(reserve(f, "o2", TH_SIDE_SELL, PX(101, 0), QTY(2000), CENTS(20)), 0);
	capital_order_info oi;
	assert_int_equal(capital_order_get(f->c, "o2", &oi), 0);
	assert_int_equal(oi.reserved, 0);
	assert_int_equal(oi.reduce_remaining, QTY(2000));
	assert_int_equal(oi.open_remaining, 0);
	/* 1.000 at 101.00, fee 0.05: removes cost 99.50, realizes 1.50 */
	assert_int_equal(fill(f, "o2", TH_SIDE_SELL, PX(101, 0), QTY(1000), CENTS(5)), 0);
	s = test_stats(f->c, "A");
	assert_int_equal(s.cash, USD(901) + CENTS(85)); /* 800.90 + 101.00 - 0.05 */
	assert_int_equal(s.realized_pnl, USD(1) + CENTS(50));
	assert_int_equal(s.trades, 0); /* the order is not finished yet */
	p = position_of(f, "A");
	assert_int_equal(p.p.qty, QTY(1000));
	assert_int_equal(p.cost, USD(99) + CENTS(50));
	assert_capital_ok(f->c);
	/* 1.000 at 102.00, fee 0.05: realizes 2.50; the order (one trade) closes
	 * with PnL 1.50 + 2.50 - 0.10 entry fees - 0.10 exit fees = 3.80 */
	assert_int_equal(fill(f, "o2", TH_SIDE_SELL, PX(102, 0), QTY(1000), CENTS(5)), 0);
	s = test_stats(f->c, "A");
	assert_int_equal(s.cash, USD(1003) + CENTS(80));
	assert_int_equal(s.equity, USD(1003) + CENTS(80));
	assert_int_equal(s.realized_pnl, USD(4));
	assert_int_equal(s.fees, CENTS(20));
	assert_int_equal(s.net_pnl, USD(3) + CENTS(80));
	assert_int_equal(s.unrealized_pnl, 0);
	assert_int_equal(s.trades, 1);
	assert_int_equal(s.wins, 1);
	assert_int_equal(s.losses, 0);
	assert_int_equal(s.positions, 0);
	p = position_of(f, "A");
	assert_int_equal(p.p.qty, 0);
	assert_int_equal(p.cost, 0);
	assert_int_equal(p.trades, 1);
	/* the fees went to the world's fee account, the market paid the rest */
	assert_int_equal(test_balance(f->c, "fees/USDT"), CENTS(20));
	assert_int_equal(test_balance(f->c, "market/USDT"), -(USD(3) + CENTS(80)) - CENTS(20));
	capital_stats t = test_stats(f->c, "total");
	assert_int_equal(t.equity, USD(10003) + CENTS(80));
	assert_capital_ok(f->c);
}

/* Partial fill, release of the rest, then a second buy: average price. */
static void test_partial_fill_release_and_average(void **state)
{
	fx *f = *state;
	/* 1.000 at 100.00 + fee budget 0.10 -> 100.10 reserved */
	assert_int_equal(reserve(f, "b1", TH_SIDE_BUY, PX(100, 0), QTY(1000), CENTS(10)), 0);
	/* 0.400 at 100.00, fee 0.04: releases 100.10 x 0.4 = 40.04, pays 40.04 */
	assert_int_equal(fill(f, "b1", TH_SIDE_BUY, PX(100, 0), QTY(400), CENTS(4)), 0);
	capital_order_info oi;
	assert_int_equal(capital_order_get(f->c, "b1", &oi), 0);
	assert_int_equal(oi.remaining, QTY(600));
	assert_int_equal(oi.reserved, USD(60) + CENTS(6)); /* 100.10 - 40.04 */
	capital_stats s = test_stats(f->c, "A");
	assert_int_equal(s.cash, USD(899) + CENTS(90)); /* 1000 - 100.10 + 40.04 - 40.00 - 0.04 */
	assert_capital_ok(f->c);
	/* cancel: the 60.06 left comes back */
	assert_int_equal(capital_release(f->c, "b1"), 0);
	assert_int_equal(capital_release(f->c, "b1"), TH_ERR_NOT_FOUND);
	s = test_stats(f->c, "A");
	assert_int_equal(s.cash, USD(959) + CENTS(96));
	assert_int_equal(s.reserved, 0);
	assert_int_equal(s.trades, 0); /* buying into a position is not a trade */
	/* 0.600 more, reserved at 110.00 (66.00), filled at 105.00 (63.00) */
	assert_int_equal(reserve(f, "b2", TH_SIDE_BUY, PX(110, 0), QTY(600), 0), 0);
	assert_int_equal(fill(f, "b2", TH_SIDE_BUY, PX(105, 0), QTY(600), 0), 0);
	s = test_stats(f->c, "A");
	assert_int_equal(s.cash, USD(896) + CENTS(96));
	capital_position p = position_of(f, "A");
	assert_int_equal(p.p.qty, QTY(1000));
	assert_int_equal(p.cost, USD(103)); /* 40 + 63 */
	assert_int_equal(p.p.avg_price, PX(103, 0));
	assert_int_equal(p.unrealized_pnl, USD(2)); /* marked at the last fill, 105 */
	assert_int_equal(s.equity, USD(1001) + CENTS(96));
	/* average cost on a reduction: sell 0.300 at 110 removes 103 x 0.3 = 30.90 */
	assert_int_equal(reserve(f, "s1", TH_SIDE_SELL, PX(110, 0), QTY(300), 0), 0);
	assert_int_equal(fill(f, "s1", TH_SIDE_SELL, PX(110, 0), QTY(300), 0), 0);
	p = position_of(f, "A");
	assert_int_equal(p.p.qty, QTY(700));
	assert_int_equal(p.cost, USD(72) + CENTS(10));
	assert_int_equal(p.p.avg_price, PX(103, 0));
	assert_int_equal(p.p.realized_pnl, USD(2) + CENTS(10)); /* 33.00 - 30.90 */
	s = test_stats(f->c, "A");
	assert_int_equal(s.trades, 1);
	assert_int_equal(s.wins, 1);
	assert_capital_ok(f->c);
}

static void test_average_price_rounding(void **state)
{
	fx *f = *state;
	/* 1.000 at 100.00 + 2.000 at 100.01: cost 300.02 over 3.000 = 100.00666..
	 * -> 100.01 (half away from zero); the cost basis stays exact. */
	assert_int_equal(reserve(f, "r1", TH_SIDE_BUY, PX(100, 0), QTY(1000), 0), 0);
	assert_int_equal(fill(f, "r1", TH_SIDE_BUY, PX(100, 0), QTY(1000), 0), 0);
	assert_int_equal(reserve(f, "r2", TH_SIDE_BUY, PX(100, 1), QTY(2000), 0), 0);
	assert_int_equal(fill(f, "r2", TH_SIDE_BUY, PX(100, 1), QTY(2000), 0), 0);
	capital_position p = position_of(f, "A");
	assert_int_equal(p.cost, USD(300) + CENTS(2));
	assert_int_equal(p.p.avg_price, PX(100, 1));
	/* Selling 1.000 removes 300.02 / 3 = 100.006666.. -> 100.00666667 */
	assert_int_equal(reserve(f, "r3", TH_SIDE_SELL, PX(100, 0), QTY(1000), 0), 0);
	assert_int_equal(fill(f, "r3", TH_SIDE_SELL, PX(100, 0), QTY(1000), 0), 0);
	p = position_of(f, "A");
	assert_int_equal(p.cost, USD(300) + CENTS(2) - 10000666667LL);
	assert_int_equal(p.p.realized_pnl, USD(100) - 10000666667LL); /* -0.00666667 */
	capital_stats s = test_stats(f->c, "A");
	assert_int_equal(s.losses, 1);
	assert_capital_ok(f->c);
}

/* Short 5 at 100, mark against it, cover at 90. */
static void test_short_round_trip(void **state)
{
	fx *f = *state;
	/* no long to reduce: 5.000 x 100 + 0.50 = 500.50 reserved */
	assert_int_equal(reserve(f, "s1", TH_SIDE_SELL, PX(100, 0), QTY(5000), CENTS(50)), 0);
	capital_stats s = test_stats(f->c, "A");
	assert_int_equal(s.reserved, USD(500) + CENTS(50));
	/* fill 5.000 at 100, fee 0.50: proceeds 500 and margin 500 -> collateral */
	assert_int_equal(fill(f, "s1", TH_SIDE_SELL, PX(100, 0), QTY(5000), CENTS(50)), 0);
	s = test_stats(f->c, "A");
	assert_int_equal(s.cash, USD(499) + CENTS(50));
	assert_int_equal(s.collateral, USD(1000));
	assert_int_equal(s.position_value, -USD(500));
	assert_int_equal(s.equity, USD(999) + CENTS(50));
	assert_int_equal(s.committed, USD(500));
	assert_int_equal(s.free, USD(499) + CENTS(50));
	capital_position p = position_of(f, "A");
	assert_int_equal(p.p.qty, -QTY(5000));
	assert_int_equal(p.cost, -USD(500));
	assert_int_equal(p.p.avg_price, PX(100, 0));
	assert_int_equal(test_balance(f->c, "agent/A/pos/sim/BTCUSDT"), -500000000);
	assert_capital_ok(f->c);
	/* mark 110: the short loses 50; free capital shrinks by the loss */
	capital_mark(f->c, "sim", "BTCUSDT", PX(110, 0), 2, 3000);
	s = test_stats(f->c, "A");
	assert_int_equal(s.unrealized_pnl, -USD(50));
	assert_int_equal(s.equity, USD(949) + CENTS(50));
	assert_int_equal(s.free, USD(449) + CENTS(50));
	/* the cover only reduces: nothing reserved even at 110 */
	assert_int_equal(reserve(f, "c1", TH_SIDE_BUY, PX(110, 0), QTY(5000), CENTS(50)), 0);
	assert_int_equal(test_stats(f->c, "A").reserved, 0);
	/* cover at 90, fee 0.45: collateral 1000 back, 450 paid; realized +50 */
	assert_int_equal(fill(f, "c1", TH_SIDE_BUY, PX(90, 0), QTY(5000), CENTS(45)), 0);
	s = test_stats(f->c, "A");
	assert_int_equal(s.cash, USD(1049) + CENTS(5)); /* 499.50 + 1000 - 450 - 0.45 */
	assert_int_equal(s.collateral, 0);
	assert_int_equal(s.realized_pnl, USD(50));
	assert_int_equal(s.fees, CENTS(95));
	assert_int_equal(s.equity, USD(1049) + CENTS(5));
	assert_int_equal(s.trades, 1);
	assert_int_equal(s.wins, 1); /* 50 - 0.50 - 0.45 = 49.05 */
	assert_capital_ok(f->c);
}

/* A single fill that flips long 1 -> short 1 is split in two parts. */
static void test_flip_through_zero(void **state)
{
	fx *f = *state;
	assert_int_equal(reserve(f, "l", TH_SIDE_BUY, PX(100, 0), QTY(1000), 0), 0);
	assert_int_equal(fill(f, "l", TH_SIDE_BUY, PX(100, 0), QTY(1000), 0), 0);
	/* sell 2.000 at 100: 1.000 reduces (free), 1.000 opens a short: 100 reserved */
	assert_int_equal(reserve(f, "x", TH_SIDE_SELL, PX(100, 0), QTY(2000), CENTS(20)), 0);
	capital_order_info oi;
	assert_int_equal(capital_order_get(f->c, "x", &oi), 0);
	assert_int_equal(oi.reduce_remaining, QTY(1000));
	assert_int_equal(oi.reserved, USD(100) + CENTS(10)); /* fee budget in proportion */
	/* fill 2.000 at 105, fee 0.20 */
	assert_int_equal(fill(f, "x", TH_SIDE_SELL, PX(105, 0), QTY(2000), CENTS(20)), 0);
	capital_position p = position_of(f, "A");
	assert_int_equal(p.p.qty, -QTY(1000));
	assert_int_equal(p.cost, -USD(105));
	assert_int_equal(p.p.realized_pnl, USD(5));
	capital_stats s = test_stats(f->c, "A");
	/* 1000 - 100 (buy) - 100.10 (reserve) + 100.10 + 105 (sale) - 105 (margin) - 0.20 */
	assert_int_equal(s.cash, USD(899) + CENTS(80));
	assert_int_equal(s.collateral, USD(210));
	assert_int_equal(s.equity, USD(1004) + CENTS(80)); /* 899.80 + 210 - 105 */
	assert_int_equal(s.trades, 1);
	assert_int_equal(s.wins, 1); /* 5 - 0.10 exit fee share */
	assert_capital_ok(f->c);
}

static void test_reservation_refused_beyond_subwallet(void **state)
{
	fx *f = *state;
	char *before = capital_dump(f->c, NULL);
	/* 20.000 x 100 + 1.00 = 2001 > 1000 free */
	assert_int_equal(reserve(f, "big", TH_SIDE_BUY, PX(100, 0), QTY(20000), USD(1)), TH_ERR_LIMIT);
	assert_non_null(strstr(f->err, "agent 'A' cannot reserve 2001.00000000 USDT"));
	assert_non_null(strstr(f->err, "free capital is 1000.00000000 USDT"));
	assert_non_null(strstr(f->err, "order 'big'"));
	char *after = capital_dump(f->c, NULL);
	assert_string_equal(before, after); /* refused means nothing changed */
	free(before);
	free(after);
	/* 9 BTC at 100 commits 900; 2 more would need 200 of the 100 left */
	assert_int_equal(reserve(f, "b9", TH_SIDE_BUY, PX(100, 0), QTY(9000), 0), 0);
	assert_int_equal(fill(f, "b9", TH_SIDE_BUY, PX(100, 0), QTY(9000), 0), 0);
	assert_int_equal(reserve(f, "b2", TH_SIDE_BUY, PX(100, 0), QTY(2000), 0), TH_ERR_LIMIT);
	assert_non_null(strstr(f->err, "free capital is 100.00000000"));
	assert_non_null(strstr(f->err, "committed 900.00000000"));
	/* an unrealized loss of 90 (mark 90) leaves 10 of buying power */
	capital_mark(f->c, "sim", "BTCUSDT", PX(90, 0), 2, 5000);
	assert_int_equal(test_stats(f->c, "A").free, USD(10));
	assert_int_equal(reserve(f, "b3", TH_SIDE_BUY, PX(90, 0), QTY(200), 0), TH_ERR_LIMIT); /* 18 > 10 */
	assert_int_equal(reserve(f, "b4", TH_SIDE_BUY, PX(90, 0), QTY(100), 0), 0);             /* 9 <= 10 */
	/* replay (unchecked) skips the mark-dependent limit but not the cash */
	assert_int_equal(capital_reserve(f->c, "A", "b5", &f->btc, TH_SIDE_BUY, PX(90, 0), QTY(1000), 0, 1, f->err,
				 sizeof f->err),
		0); /* 90 <= cash 91 */
	assert_int_equal(capital_reserve(f->c, "A", "b6", &f->btc, TH_SIDE_BUY, PX(90, 0), QTY(1000), 0, 1, f->err,
				 sizeof f->err),
		TH_ERR_LIMIT);
	assert_non_null(strstr(f->err, "only 1.00000000 USDT of cash"));
	/* duplicate key, unknown agent, bad instrument */
	assert_int_equal(reserve(f, "b4", TH_SIDE_BUY, PX(90, 0), QTY(1), 0), TH_ERR_EXISTS);
	assert_int_equal(capital_reserve(f->c, "Z", "z", &f->btc, 1, 1, 1, 0, 0, f->err, sizeof f->err), TH_ERR_NOT_FOUND);
	assert_non_null(strstr(f->err, "unknown agent 'Z'"));
	th_instrument eth = test_instrument("sim", "ETHBTC", "ETH", 2, 3);
	snprintf(eth.quote, sizeof eth.quote, "BTC");
	assert_int_equal(capital_reserve(f->c, "A", "e", &eth, 1, 1, 1, 0, 0, f->err, sizeof f->err), TH_ERR_INVALID);
	assert_non_null(strstr(f->err, "quoted in 'BTC'"));
	assert_capital_ok(f->c);
}

/* Planned reductions are shared: a second sell cannot reuse the first's. */
static void test_pending_reductions(void **state)
{
	fx *f = *state;
	assert_int_equal(reserve(f, "l", TH_SIDE_BUY, PX(100, 0), QTY(2000), 0), 0);
	assert_int_equal(fill(f, "l", TH_SIDE_BUY, PX(100, 0), QTY(2000), 0), 0);
	assert_int_equal(reserve(f, "s1", TH_SIDE_SELL, PX(100, 0), QTY(2000), 0), 0);
	assert_int_equal(reserve(f, "s2", TH_SIDE_SELL, PX(100, 0), QTY(1000), 0), 0);
	capital_order_info oi;
	assert_int_equal(capital_order_get(f->c, "s2", &oi), 0);
	assert_int_equal(oi.reduce_remaining, 0);
	assert_int_equal(oi.reserved, USD(100)); /* would open a short */
	/* s2 fills first (reducing in fact): its reservation comes back */
	assert_int_equal(fill(f, "s2", TH_SIDE_SELL, PX(100, 0), QTY(1000), 0), 0);
	assert_int_equal(test_stats(f->c, "A").reserved, 0);
	/* s1 then opens a 1.000 short with nothing reserved: paid from cash */
	assert_int_equal(fill(f, "s1", TH_SIDE_SELL, PX(100, 0), QTY(2000), 0), 0);
	capital_position p = position_of(f, "A");
	assert_int_equal(p.p.qty, -QTY(1000));
	capital_stats s = test_stats(f->c, "A");
	assert_int_equal(s.collateral, USD(200));
	/* 1000 - 200 (buy) - 100 (s2 reserve) + 100 (release) + 100 (s2 sale)
	 * + 100 (s1 sale, reducing) - 100 (s1 short margin) = 900 */
	assert_int_equal(s.cash, USD(900));
	assert_capital_ok(f->c);
	/* release after a cancel drops the planned reduction too */
	assert_int_equal(reserve(f, "c", TH_SIDE_BUY, PX(100, 0), QTY(1000), 0), 0);
	assert_int_equal(capital_order_get(f->c, "c", &oi), 0);
	assert_int_equal(oi.reduce_remaining, QTY(1000));
	assert_int_equal(capital_release(f->c, "c"), 0);
	assert_capital_ok(f->c);
}

/* A fill worse than the reserved price, and a short covered beyond its
 * margin: the farm and then the master pay the shortfall. */
static void test_shortfall_drawn_from_farm_and_master(void **state)
{
	fx *f = *state;
	/* slippage: reserved at 100, filled at 101 -> 1 more from free cash */
	assert_int_equal(reserve(f, "m", TH_SIDE_BUY, PX(100, 0), QTY(1000), 0), 0);
	assert_int_equal(fill(f, "m", TH_SIDE_BUY, PX(101, 0), QTY(1000), 0), 0);
	assert_int_equal(test_stats(f->c, "A").cash, USD(899));
	assert_int_equal(reserve(f, "m2", TH_SIDE_SELL, PX(101, 0), QTY(1000), 0), 0);
	assert_int_equal(fill(f, "m2", TH_SIDE_SELL, PX(101, 0), QTY(1000), 0), 0);
	/* short 5 at 200 (reserve 1000, all the cash), cover at 700: loss 2500 */
	assert_int_equal(reserve(f, "s", TH_SIDE_SELL, PX(200, 0), QTY(5000), 0), 0);
	assert_int_equal(fill(f, "s", TH_SIDE_SELL, PX(200, 0), QTY(5000), 0), 0);
	assert_int_equal(test_stats(f->c, "A").cash, 0);
	assert_int_equal(reserve(f, "c", TH_SIDE_BUY, PX(700, 0), QTY(5000), 0), 0);
	/* collateral 2000 back, pay 3500: 1500 short; the farm has 9000 */
	assert_int_equal(fill(f, "c", TH_SIDE_BUY, PX(700, 0), QTY(5000), 0), 0);
	capital_stats a = test_stats(f->c, "A"), fm = test_stats(f->c, "F");
	assert_int_equal(a.cash, 0);
	assert_int_equal(a.equity, 0);
	assert_int_equal(a.realized_pnl, -USD(2500));
	assert_int_equal(a.allocated, USD(2500));
	assert_int_equal(fm.cash, USD(7500));
	assert_int_equal(fm.equity, USD(7500));
	assert_capital_ok(f->c);
	/* Now beyond the farm: move the farm's cash up, then lose more than it has. */
	assert_int_equal(capital_allocate(f->c, "F", "master", USD(7400), f->err, sizeof f->err), 0);
	assert_int_equal(capital_allocate(f->c, "F", "A", USD(100), f->err, sizeof f->err), 0);
	assert_int_equal(reserve(f, "s2", TH_SIDE_SELL, PX(20, 0), QTY(5000), 0), 0);  /* 100 */
	assert_int_equal(fill(f, "s2", TH_SIDE_SELL, PX(20, 0), QTY(5000), 0), 0);
	assert_int_equal(reserve(f, "c2", TH_SIDE_BUY, PX(100, 0), QTY(5000), 0), 0);
	/* collateral 200 back, pay 500: 300 short; farm 0, master 7400 pays */
	assert_int_equal(fill(f, "c2", TH_SIDE_BUY, PX(100, 0), QTY(5000), 0), 0);
	assert_int_equal(test_stats(f->c, "master").cash, USD(7100));
	assert_int_equal(test_stats(f->c, "F").allocated, USD(10000) - USD(7400) + USD(300));
	assert_capital_ok(f->c);
	/* when nobody can pay, the fill is refused and nothing changes */
	assert_int_equal(capital_allocate(f->c, "F", "A", 0, f->err, sizeof f->err), TH_ERR_INVALID);
	assert_int_equal(capital_withdraw(f->c, USD(7100), f->err, sizeof f->err), 0);
	assert_int_equal(capital_allocate(f->c, "F", "B", 0, f->err, sizeof f->err), TH_ERR_INVALID);
	assert_int_equal(capital_reserve(f->c, "A", "u", &f->btc, TH_SIDE_BUY, PX(1, 0), QTY(1000), 0, 1, f->err,
				 sizeof f->err),
		TH_ERR_LIMIT); /* no cash at all */
	th_fill fl = test_fill(&f->btc, "late", TH_SIDE_BUY, PX(1, 0), QTY(1000), 0, "USDT");
	char *before = capital_dump(f->c, NULL);
	capital_position pos[2];
	assert_int_equal(capital_positions(f->c, "A", 1, pos, 2), 1); /* the position exists already */
	assert_int_equal(capital_fill_unreserved(f->c, "A", &f->btc, &fl, 9, f->err, sizeof f->err), TH_ERR_LIMIT);
	assert_non_null(strstr(f->err, "cannot cover it"));
	char *after = capital_dump(f->c, NULL);
	assert_string_equal(before, after);
	free(after);
	/* same on an instrument the agent never traded: no position, instrument
	 * or account may be left behind */
	th_instrument eth = test_instrument("bin", "ETHUSDT", "ETH", 2, 4);
	fl = test_fill(&eth, "late", TH_SIDE_BUY, 200000, 10000, 0, "USDT");
	assert_int_equal(capital_fill_unreserved(f->c, "A", &eth, &fl, 9, f->err, sizeof f->err), TH_ERR_LIMIT);
	after = capital_dump(f->c, NULL);
	assert_string_equal(before, after);
	free(before);
	free(after);
	assert_capital_ok(f->c);
}

/* A reducing order released after a partial fill is one trade. */
static void test_release_after_partial_reduce_counts_trade(void **state)
{
	fx *f = *state;
	assert_int_equal(reserve(f, "l", TH_SIDE_BUY, PX(100, 0), QTY(2000), 0), 0);
	assert_int_equal(fill(f, "l", TH_SIDE_BUY, PX(100, 0), QTY(2000), 0), 0);
	assert_int_equal(reserve(f, "s", TH_SIDE_SELL, PX(103, 0), QTY(2000), 0), 0);
	assert_int_equal(fill(f, "s", TH_SIDE_SELL, PX(103, 0), QTY(500), CENTS(1)), 0);
	assert_int_equal(test_stats(f->c, "A").trades, 0);
	assert_int_equal(capital_release(f->c, "s"), 0);
	capital_stats s = test_stats(f->c, "A");
	assert_int_equal(s.trades, 1);
	assert_int_equal(s.wins, 1); /* 0.5 x 3 - 0.01 */
	assert_int_equal(s.realized_pnl, USD(1) + CENTS(50));
	/* the planned reduction went with the order: a new sell may reduce 1.500 */
	assert_int_equal(reserve(f, "s2", TH_SIDE_SELL, PX(103, 0), QTY(1500), 0), 0);
	capital_order_info oi;
	assert_int_equal(capital_order_get(f->c, "s2", &oi), 0);
	assert_int_equal(oi.reduce_remaining, QTY(1500));
	assert_int_equal(oi.reserved, 0);
	assert_capital_ok(f->c);
}

static void test_fees_in_base_and_other_assets(void **state)
{
	fx *f = *state;
	assert_int_equal(reserve(f, "b", TH_SIDE_BUY, PX(100, 0), QTY(1000), CENTS(20)), 0);
	/* fee 0.001 BTC valued at the fill price 100 = 0.10 USDT */
	th_fill fl = test_fill(&f->btc, "b", TH_SIDE_BUY, PX(100, 0), QTY(1000), 100000, "BTC");
	assert_int_equal(capital_fill(f->c, "b", &fl, 1, f->err, sizeof f->err), 0);
	capital_stats s = test_stats(f->c, "A");
	assert_int_equal(s.fees, CENTS(10));
	assert_int_equal(s.cash, USD(899) + CENTS(90));
	/* fee 0.01 BNB: booked in BNB, owed by the agent, not in PnL */
	assert_int_equal(reserve(f, "s", TH_SIDE_SELL, PX(100, 0), QTY(1000), 0), 0);
	fl = test_fill(&f->btc, "s", TH_SIDE_SELL, PX(100, 0), QTY(1000), 1000000, "BNB");
	assert_int_equal(capital_fill(f->c, "s", &fl, 2, f->err, sizeof f->err), 0);
	assert_int_equal(test_balance(f->c, "agent/A/owed/BNB"), -1000000);
	assert_int_equal(test_balance(f->c, "fees/BNB"), 1000000);
	s = test_stats(f->c, "A");
	assert_int_equal(s.fees, CENTS(10));
	assert_int_equal(s.cash, USD(999) + CENTS(90));
	/* a maker rebate (negative fee) adds cash */
	assert_int_equal(reserve(f, "r", TH_SIDE_BUY, PX(100, 0), QTY(1000), 0), 0);
	assert_int_equal(fill(f, "r", TH_SIDE_BUY, PX(100, 0), QTY(1000), -CENTS(3)), 0);
	assert_int_equal(test_stats(f->c, "A").cash, USD(899) + CENTS(93));
	assert_capital_ok(f->c);
}

static void test_fill_validation_and_marks(void **state)
{
	fx *f = *state;
	assert_int_equal(reserve(f, "o", TH_SIDE_BUY, PX(100, 0), QTY(1000), 0), 0);
	th_fill fl = test_fill(&f->btc, "o", TH_SIDE_SELL, PX(100, 0), QTY(1000), 0, "USDT");
	assert_int_equal(capital_fill(f->c, "o", &fl, 1, f->err, sizeof f->err), TH_ERR_INVALID);
	assert_non_null(strstr(f->err, "is a SELL, the order a BUY"));
	fl = test_fill(&f->btc, "o", TH_SIDE_BUY, PX(100, 0), QTY(1001), 0, "USDT");
	assert_int_equal(capital_fill(f->c, "o", &fl, 1, f->err, sizeof f->err), TH_ERR_INVALID);
	assert_non_null(strstr(f->err, "exceeds the order's unfilled 1000"));
	fl.qty = QTY(1000);
	fl.price_scale = 4;
	assert_int_equal(capital_fill(f->c, "o", &fl, 1, f->err, sizeof f->err), TH_ERR_INVALID);
	assert_non_null(strstr(f->err, "scales 4/3 differ"));
	assert_int_equal(capital_fill(f->c, "nope", &fl, 1, f->err, sizeof f->err), TH_ERR_NOT_FOUND);
	assert_non_null(strstr(f->err, "unknown order 'nope'"));
	assert_int_equal(fill(f, "o", TH_SIDE_BUY, PX(100, 0), QTY(1000), 0), 0);
	/* a mark at another scale converts when exact */
	assert_int_equal(capital_mark(f->c, "sim", "BTCUSDT", 1020000, 4, 7), 0); /* 102.0000 */
	assert_int_equal(position_of(f, "A").mark, PX(102, 0));
	assert_int_equal(capital_mark(f->c, "sim", "BTCUSDT", 1020001, 4, 7), TH_ERR_INVALID);
	assert_int_equal(capital_mark(f->c, "sim", "ETHUSDT", 5, 2, 7), 0); /* unknown: ignored */
	assert_int_equal(test_stats(f->c, "A").unrealized_pnl, USD(2));
	/* venue view */
	capital_stats v;
	assert_int_equal(capital_venue_stats(f->c, "sim", &v), 0);
	assert_int_equal(v.position_value, USD(102));
	assert_int_equal(v.unrealized_pnl, USD(2));
	assert_int_equal(capital_venue_stats(f->c, "binance", &v), TH_ERR_NOT_FOUND);
	/* the unreserved path counts each reducing fill as a trade */
	fl = test_fill(&f->btc, "late", TH_SIDE_SELL, PX(99, 0), QTY(500), 0, "USDT");
	assert_int_equal(capital_fill_unreserved(f->c, "A", &f->btc, &fl, 8, f->err, sizeof f->err), 0);
	capital_stats s = test_stats(f->c, "A");
	assert_int_equal(s.trades, 1);
	assert_int_equal(s.losses, 1);
	assert_int_equal(s.realized_pnl, -CENTS(50));
	assert_capital_ok(f->c);
}

static void test_positions_aggregate(void **state)
{
	fx *f = *state;
	assert_int_equal(capital_allocate(f->c, "F", "B", USD(1000), f->err, sizeof f->err), 0);
	assert_int_equal(reserve(f, "a", TH_SIDE_BUY, PX(100, 0), QTY(1000), 0), 0);
	assert_int_equal(fill(f, "a", TH_SIDE_BUY, PX(100, 0), QTY(1000), 0), 0);
	assert_int_equal(capital_reserve(f->c, "B", "b", &f->btc, TH_SIDE_BUY, PX(110, 0), QTY(3000), 0, 0, f->err,
				 sizeof f->err),
		0);
	th_fill fl = test_fill(&f->btc, "b", TH_SIDE_BUY, PX(110, 0), QTY(3000), 0, "USDT");
	assert_int_equal(capital_fill(f->c, "b", &fl, 1, f->err, sizeof f->err), 0);
	capital_position p[2];
	assert_int_equal(capital_positions(f->c, "F", 0, p, 2), 1);
	assert_int_equal(p[0].p.qty, QTY(4000));
	assert_int_equal(p[0].cost, USD(430));
	assert_int_equal(p[0].p.avg_price, PX(107, 50));
	assert_string_equal(p[0].agent, "");
	assert_int_equal(capital_positions(f->c, "total", 0, p, 2), 1);
	assert_int_equal(capital_positions(f->c, "master", 0, p, 2), 0);
	char names[4][TH_NAME_MAX];
	assert_int_equal(capital_children(f->c, "F", names, 4), 2);
	assert_string_equal(names[0], "A");
	assert_string_equal(names[1], "B");
	char parent[TH_NAME_MAX];
	assert_int_equal(capital_kind_of(f->c, "B", parent, sizeof parent), CAPITAL_KIND_AGENT);
	assert_string_equal(parent, "F");
	assert_int_equal(capital_kind_of(f->c, "total", NULL, 0), CAPITAL_KIND_TOTAL);
	assert_int_equal(capital_kind_of(f->c, "nobody", NULL, 0), -1);
	capital_stats fm = test_stats(f->c, "F");
	/* marked at the last fill, 110: A's 1.000 is worth 110, B's 3.000 330 */
	assert_int_equal(fm.position_value, USD(440));
	assert_int_equal(fm.equity, USD(10010)); /* 8000 + (900 + 110) + (670 + 330) */
	assert_int_equal(fm.unrealized_pnl, USD(10));
	assert_capital_ok(f->c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip_with_fees, setup, teardown),
		cmocka_unit_test_setup_teardown(test_partial_fill_release_and_average, setup, teardown),
		cmocka_unit_test_setup_teardown(test_average_price_rounding, setup, teardown),
		cmocka_unit_test_setup_teardown(test_short_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flip_through_zero, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reservation_refused_beyond_subwallet, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pending_reductions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shortfall_drawn_from_farm_and_master, setup, teardown),
		cmocka_unit_test_setup_teardown(test_release_after_partial_reduce_counts_trade, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fees_in_base_and_other_assets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fill_validation_and_marks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_positions_aggregate, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
