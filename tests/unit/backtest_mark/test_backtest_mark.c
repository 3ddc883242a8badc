/* The backtest marks every bar through trading_view_mark(), which keeps the
 * capital instrument index beside the last price and calls
 * capital_mark_index(); capital_instr_mark() reuses one qty x mark product
 * for the position and the aggregates holding the same quantity. These
 * tests run the same seeded sequence of fills and marks on two capital
 * hierarchies, one marked by name (capital_mark, the reference) and one
 * through a trading view, and require after every step: the same return
 * codes, the same state (capital_dump), the same figures for every wallet,
 * and running totals equal to a full recomputation (capital_check). */
#include "ledger_test_util.h"

#include <stdlib.h>
#include <tradehost/th_status.h>

#include "trading/trading_view.h"

#define NINS 4
#define NAGENTS 4

static const char *const agents[NAGENTS] = { "A", "B", "C", "D" };
static const char *const wallets[] = { "total", "master", "F", "G", "A", "B", "C", "D" };

typedef struct pair {
	capital_t *ref;  /* marked by name */
	capital_t *fast; /* marked through the view */
	trading_view *view;
	th_instrument ins[NINS];
	th_price px[NINS];
	int64_t now;
	unsigned orders;
} pair;

/* No venue lists needed: only prices and marks are used here. */
static int no_list(void *arg, const char *venue, const void *const known[2], const void *owner[2],
	const th_instrument **list, size_t *n)
{
	(void)arg, (void)venue, (void)known, (void)owner, (void)list, (void)n;
	return -1;
}

static capital_t *hierarchy(void)
{
	char err[256];
	capital_t *c = capital_create("USDT", err, sizeof err);
	assert_non_null(c);
	assert_int_equal(capital_add_farm(c, "F", err, sizeof err), 0);
	assert_int_equal(capital_add_farm(c, "G", err, sizeof err), 0);
	/* A and C in different farms, so two farms aggregate one instrument */
	assert_int_equal(capital_add_agent(c, "A", "F", err, sizeof err), 0);
	assert_int_equal(capital_add_agent(c, "B", "F", err, sizeof err), 0);
	assert_int_equal(capital_add_agent(c, "C", "G", err, sizeof err), 0);
	assert_int_equal(capital_add_agent(c, "D", "G", err, sizeof err), 0);
	assert_int_equal(capital_deposit(c, USD(100000)), 0);
	assert_int_equal(capital_allocate(c, "master", "F", USD(40000), err, sizeof err), 0);
	assert_int_equal(capital_allocate(c, "master", "G", USD(40000), err, sizeof err), 0);
	for (int i = 0; i < NAGENTS; i++)
		assert_int_equal(capital_allocate(c, i < 2 ? "F" : "G", agents[i], USD(15000), err, sizeof err), 0);
	return c;
}

static void pair_init(pair *p)
{
	memset(p, 0, sizeof *p);
	p->ref = hierarchy();
	p->fast = hierarchy();
	p->view = trading_view_create(p->fast, no_list, NULL);
	assert_non_null(p->view);
	p->ins[0] = test_instrument("sim", "BTC-USDT", "BTC", 2, 4);
	p->ins[1] = test_instrument("sim", "ETH-USDT", "ETH", 2, 3);
	p->ins[2] = test_instrument("bin", "BTC-USDT", "BTC", 2, 4); /* same symbol, other venue */
	p->ins[3] = test_instrument("sim", "SOL-USDT", "SOL", 3, 2); /* marked long before it is traded */
	p->px[0] = 6500000; /* 65000.00 */
	p->px[1] = 350000;  /* 3500.00 */
	p->px[2] = 6501000;
	p->px[3] = 150000; /* 150.000 */
	p->now = 1000;
}

static void pair_free(pair *p)
{
	trading_view_destroy(p->view);
	capital_destroy(p->ref);
	capital_destroy(p->fast);
}

static void assert_same(const pair *p)
{
	size_t l1, l2;
	char *d1 = capital_dump(p->ref, &l1), *d2 = capital_dump(p->fast, &l2);
	assert_non_null(d1);
	assert_non_null(d2);
	assert_int_equal(l1, l2);
	assert_memory_equal(d1, d2, l1);
	free(d1);
	free(d2);
	for (size_t i = 0; i < sizeof wallets / sizeof wallets[0]; i++) {
		capital_stats a = test_stats(p->ref, wallets[i]), b = test_stats(p->fast, wallets[i]);
		assert_int_equal(a.equity, b.equity);
		assert_int_equal(a.position_value, b.position_value);
		assert_int_equal(a.unrealized_pnl, b.unrealized_pnl);
		assert_int_equal(a.gross_exposure, b.gross_exposure);
		assert_int_equal(a.net_exposure, b.net_exposure);
		assert_int_equal(a.held, b.held);
		assert_int_equal(a.free, b.free);
	}
	assert_capital_ok(p->ref);
	assert_capital_ok(p->fast);
}

/* The same mark both ways; returns the (equal) status. */
static int mark_both(pair *p, int i, th_price px, int scale)
{
	const th_instrument *in = &p->ins[i];
	int r1 = capital_mark(p->ref, in->venue, in->symbol, px, scale, p->now);
	int r2 = trading_view_mark(p->view, in->venue, in->symbol, px, scale, p->now);
	assert_int_equal(r1, r2);
	int32_t got_scale = -1;
	assert_int_equal(trading_view_last_price(p->view, in->venue, in->symbol, &got_scale), px);
	assert_int_equal(got_scale, scale);
	return r1;
}

/* An order filled whole at the current price, on both hierarchies. */
static void trade_both(pair *p, int agent, int i, int side, th_qty qty)
{
	char key[32], err[256];
	const th_instrument *in = &p->ins[i];
	snprintf(key, sizeof key, "o%u", p->orders++);
	capital_t *cs[2] = { p->ref, p->fast };
	int rc[2];
	for (int k = 0; k < 2; k++) {
		rc[k] = capital_reserve(cs[k], agents[agent], key, in, side, p->px[i], qty, USD(1), 0, err, sizeof err);
		if (rc[k] == TH_OK) {
			th_fill f = test_fill(in, key, side, p->px[i], qty, CENTS(3), "USDT");
			rc[k] = capital_fill(cs[k], key, &f, p->now, err, sizeof err);
			if (rc[k] != TH_OK)
				print_error("fill %s: %s\n", key, err);
			assert_int_equal(rc[k], TH_OK);
		}
	}
	assert_int_equal(rc[0], rc[1]);
}

static void test_view_mark_matches_mark_by_name(void **state)
{
	(void)state;
	pair p;
	pair_init(&p);
	srand(20261121);
	size_t invalid = 0, marked_unknown = 0;
	for (int step = 0; step < 3000; step++) {
		p.now += 60;
		int i = rand() % NINS;
		/* the first steps only mark: no instrument is known to capital yet */
		int r = step < 30 ? 99 : rand() % 100;
		if (r < 25) {
			/* a few quantities only, so holders and aggregates often hold equal ones */
			static const th_qty sizes[] = { 10, 20, 30 };
			trade_both(&p, rand() % NAGENTS, i, rand() % 2 ? TH_SIDE_BUY : TH_SIDE_SELL, sizes[rand() % 3]);
		} else if (r < 30) {
			/* at a finer scale: exact (accepted) or not (TH_ERR_INVALID) */
			int exact = rand() % 2;
			int rc = mark_both(&p, i, p.px[i] * 10 + (exact ? 0 : 3), p.ins[i].price_scale + 1);
			invalid += rc == TH_ERR_INVALID;
		} else if (r < 32) {
			invalid += mark_both(&p, i, 0, p.ins[i].price_scale) == TH_ERR_INVALID;
		} else {
			/* a random walk, sometimes standing still (a mark that changes nothing) */
			p.px[i] += (rand() % 5 - 2) * (p.px[i] / 1000);
			if (capital_instrument_index(p.fast, p.ins[i].venue, p.ins[i].symbol) < 0)
				marked_unknown++;
			assert_int_equal(mark_both(&p, i, p.px[i], p.ins[i].price_scale), TH_OK);
		}
		assert_same(&p);
	}
	/* the sequence did exercise the cases it is about */
	assert_true(invalid > 10);
	assert_true(marked_unknown > 10);
	for (int i = 0; i < NINS; i++)
		assert_true(capital_instrument_index(p.fast, p.ins[i].venue, p.ins[i].symbol) >= 0);
	capital_stats t = test_stats(p.fast, "total");
	assert_true(t.held > 0);
	pair_free(&p);
}

static void test_instrument_index(void **state)
{
	(void)state;
	pair p;
	pair_init(&p);
	assert_int_equal(capital_instrument_count(p.fast), 0);
	assert_int_equal(capital_instrument_index(p.fast, "sim", "BTC-USDT"), -1);
	/* unknown instrument: nothing to mark, not an error (like capital_mark) */
	assert_int_equal(trading_view_mark(p.view, "sim", "BTC-USDT", 6500000, 2, 1), TH_OK);
	assert_int_equal(capital_mark_index(p.fast, 0, 6500000, 2, 1), TH_ERR_INVALID);
	assert_int_equal(capital_mark_index(p.fast, -1, 6500000, 2, 1), TH_ERR_INVALID);
	trade_both(&p, 0, 1, TH_SIDE_BUY, 10); /* ETH first: index 0 */
	trade_both(&p, 0, 0, TH_SIDE_BUY, 10); /* BTC: index 1 */
	assert_int_equal(capital_instrument_count(p.fast), 2);
	assert_int_equal(capital_instrument_index(p.fast, "sim", "ETH-USDT"), 0);
	assert_int_equal(capital_instrument_index(p.fast, "sim", "BTC-USDT"), 1);
	assert_int_equal(capital_instrument_index(p.fast, "bin", "BTC-USDT"), -1);
	assert_int_equal(capital_mark_index(p.fast, 2, 6500000, 2, 1), TH_ERR_INVALID);
	/* the view learns the index now that BTC is known, and marks it */
	capital_stats before = test_stats(p.fast, "A");
	assert_int_equal(trading_view_mark(p.view, "sim", "BTC-USDT", 6600000, 2, 2), TH_OK);
	capital_stats after = test_stats(p.fast, "A");
	/* 0.0010 BTC up 1000.00: +1.00 */
	assert_int_equal(after.position_value - before.position_value, USD(1));
	/* names too long for any key: ignored like capital_mark ignores them */
	char longsym[200];
	memset(longsym, 'X', sizeof longsym - 1);
	longsym[sizeof longsym - 1] = '\0';
	assert_int_equal(trading_view_mark(p.view, "sim", longsym, 100, 2, 3), TH_OK);
	assert_int_equal(capital_instrument_index(p.fast, "sim", longsym), -1);
	assert_capital_ok(p.fast);
	pair_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_instrument_index),
		cmocka_unit_test(test_view_mark_matches_mark_by_name),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
