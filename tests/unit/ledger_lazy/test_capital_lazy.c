/* The capital hierarchy's caches and fast paths, each held to what it
 * replaces:
 *  - lazy revaluation: a mark only records the price; every reader must see
 *    figures as if the holders had been revalued at once. Two identical
 *    hierarchies get the same marks; one is settled by capital_check(), the
 *    other is read first, straight after the mark. Any reader that forgot to
 *    settle reads values at the previous mark and differs.
 *  - capital_check() catches an instrument whose holders are not at its mark
 *    but which is not listed stale (the bookkeeping the laziness rests on);
 *  - the one-entry name hints (wallet, instrument, open order) never answer
 *    for a different name, also after orders moved in the array;
 *  - the 64-bit nav and average-price paths equal the 128-bit definitions;
 *  - ledger_post's per-asset sums still name the first unbalanced asset. */
#include "ledger_test_util.h"

#include <stdlib.h>
#include <tradehost/th_status.h>

#include "ledger/capital_internal.h"

static th_instrument btc(void)
{
	return test_instrument("sim", "BTCUSDT", "BTC", 2, 5);
}

static th_instrument eth(void)
{
	return test_instrument("bin", "ETHUSDT", "ETH", 2, 4);
}

static void reserve_fill(capital_t *c, const char *agent, const char *key, th_instrument in, int side, th_price px,
	th_qty qty)
{
	char err[256] = "";
	int rc = capital_reserve(c, agent, key, &in, side, px, qty, 0, 0, err, sizeof err);
	if (rc != TH_OK)
		print_error("reserve %s: %s\n", key, err);
	assert_int_equal(rc, TH_OK);
	th_fill f = test_fill(&in, key, side, px, qty, CENTS(7), "USDT");
	rc = capital_fill(c, key, &f, 10, err, sizeof err);
	if (rc != TH_OK)
		print_error("fill %s: %s\n", key, err);
	assert_int_equal(rc, TH_OK);
}

/* Two farms, three agents, long and short positions in two instruments, an
 * open order and one curve point. */
static capital_t *build(void)
{
	char err[256];
	capital_t *c = capital_create("USDT", err, sizeof err);
	assert_non_null(c);
	assert_int_equal(capital_deposit(c, USD(100000)), TH_OK);
	assert_int_equal(capital_add_farm(c, "F1", err, sizeof err), TH_OK);
	assert_int_equal(capital_add_farm(c, "F2", err, sizeof err), TH_OK);
	assert_int_equal(capital_add_agent(c, "A1", "F1", err, sizeof err), TH_OK);
	assert_int_equal(capital_add_agent(c, "A2", "F1", err, sizeof err), TH_OK);
	assert_int_equal(capital_add_agent(c, "B1", "F2", err, sizeof err), TH_OK);
	assert_int_equal(capital_allocate(c, "master", "F1", USD(40000), err, sizeof err), TH_OK);
	assert_int_equal(capital_allocate(c, "master", "F2", USD(30000), err, sizeof err), TH_OK);
	assert_int_equal(capital_allocate(c, "F1", "A1", USD(10000), err, sizeof err), TH_OK);
	assert_int_equal(capital_allocate(c, "F1", "A2", USD(10000), err, sizeof err), TH_OK);
	assert_int_equal(capital_allocate(c, "F2", "B1", USD(10000), err, sizeof err), TH_OK);
	reserve_fill(c, "A1", "a1-btc", btc(), TH_SIDE_BUY, 3000000, 10000); /* 0.1 BTC at 30000.00 */
	reserve_fill(c, "A2", "a2-btc", btc(), TH_SIDE_SELL, 3000000, 5000); /* short 0.05 */
	reserve_fill(c, "B1", "b1-eth", eth(), TH_SIDE_BUY, 200000, 10000);  /* 1 ETH at 2000.00 */
	reserve_fill(c, "A1", "a1-eth", eth(), TH_SIDE_BUY, 200000, 5000);   /* 0.5 ETH */
	th_instrument in = btc();
	assert_int_equal(capital_reserve(c, "A1", "a1-open", &in, TH_SIDE_BUY, 2900000, 1000, 0, 0, err, sizeof err),
		TH_OK);
	assert_int_equal(capital_snapshot_equity(c, 20), TH_OK);
	assert_capital_ok(c);
	return c;
}

typedef struct twins {
	capital_t *lazy;    /* read straight after a mark */
	capital_t *settled; /* settled by capital_check() after the mark */
	th_price px_btc, px_eth;
	int64_t now;
} twins;

static void twins_init(twins *t)
{
	t->lazy = build();
	t->settled = build();
	t->px_btc = 3000000;
	t->px_eth = 200000;
	t->now = 100;
}

static void twins_free(twins *t)
{
	capital_destroy(t->lazy);
	capital_destroy(t->settled);
}

/* Moves both marks on both hierarchies; only `settled` is settled. */
static void twins_mark(twins *t, th_price dbtc, th_price deth)
{
	t->px_btc += dbtc;
	t->px_eth += deth;
	t->now += 10;
	capital_t *both[2] = { t->lazy, t->settled };
	for (int i = 0; i < 2; i++) {
		assert_int_equal(capital_mark(both[i], "sim", "BTCUSDT", t->px_btc, 2, t->now), TH_OK);
		assert_int_equal(capital_mark(both[i], "bin", "ETHUSDT", t->px_eth, 2, t->now), TH_OK);
	}
	/* the mark really was deferred on the lazy side */
	assert_int_equal(t->lazy->nstale, 2);
	assert_capital_ok(t->settled);
	assert_int_equal(t->settled->nstale, 0);
}

static const char *wallets[] = { "A1", "A2", "B1", "F1", "F2", "master", "total" };
#define NWALLETS (sizeof wallets / sizeof wallets[0])

static void test_stats_after_mark(void **state)
{
	(void)state;
	twins t;
	twins_init(&t);
	for (size_t i = 0; i < NWALLETS; i++) {
		twins_mark(&t, -(th_price)(17000 + 3001 * i), 2345);
		capital_stats a, b, full;
		assert_int_equal(capital_stats_get(t.lazy, wallets[i], &a), TH_OK);
		assert_int_equal(capital_stats_get(t.settled, wallets[i], &b), TH_OK);
		assert_int_equal(capital_stats_recompute(t.settled, wallets[i], &full), TH_OK);
		if (memcmp(&a, &b, sizeof a) != 0 || memcmp(&a, &full, sizeof a) != 0)
			fail_msg("'%s' read after a mark: equity %lld, settled %lld, recomputed %lld", wallets[i],
				(long long)a.equity, (long long)b.equity, (long long)full.equity);
	}
	twins_free(&t);
}

static void test_nav_and_curve_after_mark(void **state)
{
	(void)state;
	twins t;
	twins_init(&t);
	for (size_t i = 0; i < NWALLETS; i++) {
		int64_t before, a, b;
		assert_int_equal(capital_nav_live(t.settled, wallets[i], &before), TH_OK);
		twins_mark(&t, -50000, 30000);
		assert_int_equal(capital_nav_live(t.lazy, wallets[i], &a), TH_OK);
		assert_int_equal(capital_nav_live(t.settled, wallets[i], &b), TH_OK);
		assert_int_equal(a, b);
		if (strcmp(wallets[i], "master") != 0)
			assert_true(a != before); /* the mark does move it: the comparison means something */
	}
	/* a snapshot straight after a mark records the revalued equity */
	twins_mark(&t, 123456, -7777);
	assert_int_equal(capital_snapshot_equity(t.lazy, t.now), TH_OK);
	assert_int_equal(capital_snapshot_equity(t.settled, t.now), TH_OK);
	for (size_t i = 0; i < NWALLETS; i++) {
		capital_point pa[8], pb[8];
		size_t na = capital_curve(t.lazy, wallets[i], 0, pa, 8), nb = capital_curve(t.settled, wallets[i], 0, pb, 8);
		assert_int_equal(na, 2);
		assert_int_equal(nb, 2);
		assert_memory_equal(pa, pb, sizeof pa[0] * na);
	}
	twins_free(&t);
}

/* The free-capital check of a reservation reads the revalued equity: after a
 * drop, an order the old mark would allow must be refused. */
static void test_reserve_check_after_mark(void **state)
{
	(void)state;
	twins t;
	twins_init(&t);
	capital_stats before = test_stats(t.settled, "A1");
	twins_mark(&t, -1000000, 0); /* BTC 30000 -> 20000: A1's 0.1 BTC loses 1000 */
	capital_stats after;
	assert_int_equal(capital_stats_recompute(t.settled, "A1", &after), TH_OK);
	assert_true(after.free + USD(500) < before.free);
	/* ETH at 2000.00, qty at 4 decimals: the notional is px x qty x 100 */
	th_qty qty = (after.free / 100 + 1) / t.px_eth + 1;
	th_money notional = t.px_eth * qty * 100;
	assert_true(notional > after.free && notional <= before.free);
	th_instrument in = eth();
	char err[256] = "";
	assert_int_equal(capital_reserve(t.lazy, "A1", "big", &in, TH_SIDE_BUY, t.px_eth, qty, 0, 0, err, sizeof err),
		TH_ERR_LIMIT);
	assert_non_null(strstr(err, "free capital"));
	assert_int_equal(capital_reserve(t.settled, "A1", "big", &in, TH_SIDE_BUY, t.px_eth, qty, 0, 0, err, sizeof err),
		TH_ERR_LIMIT);
	assert_capital_ok(t.lazy);
	twins_free(&t);
}

/* Rebalancing moves cash by equity: the same moves either way. */
static void test_rebalance_after_mark(void **state)
{
	(void)state;
	twins t;
	twins_init(&t);
	const char *scopes[] = { "F1", "master" };
	for (int i = 0; i < 2; i++) {
		twins_mark(&t, 400000, -20000);
		char err[256];
		assert_int_equal(capital_rebalance(t.lazy, scopes[i], CAPITAL_RULE_EQUAL, NULL, 0, t.now, err, sizeof err),
			TH_OK);
		assert_int_equal(capital_rebalance(t.settled, scopes[i], CAPITAL_RULE_EQUAL, NULL, 0, t.now, err, sizeof err),
			TH_OK);
		char *a = capital_dump(t.lazy, NULL), *b = capital_dump(t.settled, NULL);
		assert_string_equal(a, b);
		free(a);
		free(b);
	}
	assert_capital_ok(t.lazy);
	twins_free(&t);
}

/* Positions are valued from the marks directly, fills revalue in between. */
static void test_positions_and_fills_after_mark(void **state)
{
	(void)state;
	twins t;
	twins_init(&t);
	twins_mark(&t, 77, -55);
	for (size_t i = 0; i < NWALLETS; i++) {
		capital_position a[4], b[4];
		size_t na = capital_positions(t.lazy, wallets[i], 1, a, 4), nb = capital_positions(t.settled, wallets[i], 1, b, 4);
		assert_int_equal(na, nb);
		if (na)
			assert_memory_equal(a, b, sizeof a[0] * (na < 4 ? na : 4));
	}
	/* a fill while the instrument is stale, then reads */
	twins_mark(&t, -3000, 1000);
	capital_t *both[2] = { t.lazy, t.settled };
	for (int i = 0; i < 2; i++) {
		char err[256];
		th_instrument in = btc();
		th_fill f = test_fill(&in, "a1-open", TH_SIDE_BUY, 2899000, 400, 0, "USDT");
		assert_int_equal(capital_fill(both[i], "a1-open", &f, t.now, err, sizeof err), TH_OK);
	}
	assert_int_equal(t.lazy->nstale, 2); /* still deferred: the fill re-marked BTC */
	for (size_t i = 0; i < NWALLETS; i++) {
		capital_stats a, b;
		assert_int_equal(capital_stats_get(t.lazy, wallets[i], &a), TH_OK);
		assert_capital_ok(t.settled);
		assert_int_equal(capital_stats_get(t.settled, wallets[i], &b), TH_OK);
		assert_memory_equal(&a, &b, sizeof a);
	}
	twins_free(&t);
}

/* capital_check() holds the stale list to the values: an instrument whose
 * holders are behind its mark must be listed. */
static void test_check_catches_unlisted_stale_mark(void **state)
{
	(void)state;
	capital_t *c = build();
	assert_int_equal(capital_mark(c, "sim", "BTCUSDT", 3100000, 2, 50), TH_OK);
	assert_int_equal(c->nstale, 1);
	int32_t ii = c->stale[0];
	/* as if the mark had forgotten to list it */
	c->ins[ii].stale = 0;
	c->nstale = 0;
	char err[512] = "";
	assert_int_equal(capital_check(c, err, sizeof err), TH_ERR);
	assert_non_null(strstr(err, "not at the current mark"));
	/* listed again, the next read settles it and everything agrees */
	c->ins[ii].stale = 1;
	c->stale[c->nstale++] = ii;
	assert_capital_ok(c);
	assert_int_equal(c->nstale, 0);
	/* a flag without a list entry is caught as well */
	assert_int_equal(capital_mark(c, "sim", "BTCUSDT", 3200000, 2, 60), TH_OK);
	c->nstale = 0;
	assert_int_equal(capital_check(c, err, sizeof err), TH_ERR);
	assert_non_null(strstr(err, "flagged stale"));
	c->nstale = 1;
	assert_capital_ok(c);
	capital_destroy(c);
}

static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

/* A magnitude of random bit length (0 .. 2^63 - 1). */
static int64_t rnd_mag(uint64_t *s)
{
	int bits = (int)(rng_next(s) % 63);
	return (int64_t)(rng_next(s) >> (63 - bits));
}

static int64_t rnd_signed(uint64_t *s)
{
	int64_t v = rnd_mag(s);
	return rng_next(s) & 1 ? -v : v;
}

static void nav_case(int64_t nav, th_money last_equity, th_money equity, th_money flow, th_money last_flow)
{
	cap_curve cv;
	memset(&cv, 0, sizeof cv);
	cv.seq = 1;
	cv.nav = nav;
	cv.last_equity = last_equity;
	cv.last_flow = last_flow;
	cap_i128 adj = (cap_i128)equity - ((cap_i128)flow - last_flow);
	int64_t want = cap_nav_scale_exact(nav, adj, last_equity), got = cap_curve_nav_live(&cv, equity, flow);
	if (got != want)
		fail_msg("nav %lld x (equity %lld, flow %lld - %lld) / %lld: fast %lld, exact %lld", (long long)nav,
			(long long)equity, (long long)flow, (long long)last_flow, (long long)last_equity, (long long)got,
			(long long)want);
}

static void test_nav_fast_path_is_exact(void **state)
{
	(void)state;
	/* halves round away from zero, negatives clamp to 0, overflow saturates */
	nav_case(1, 2, 3, 0, 0);   /* 1.5 -> 2 */
	nav_case(1, 2, 1, 0, 0);   /* 0.5 -> 1 */
	nav_case(3, 2, 1, 0, 0);   /* 1.5 -> 2 */
	nav_case(1, 2, -1, 0, 0);  /* -0.5 -> 0 */
	nav_case(5, 4, -3, 0, 0);  /* -3.75 -> 0 */
	nav_case(0, 7, 99, 0, 0);
	nav_case(INT64_MAX, 1, 2, 0, 0);
	nav_case(INT64_MAX, INT64_MAX, INT64_MAX - 1, 0, 0);
	nav_case(CAPITAL_NAV_ONE, USD(100000), USD(100000), USD(5), USD(5));
	nav_case(CAPITAL_NAV_ONE, USD(100000), USD(100001), USD(6), USD(5));
	nav_case(CAPITAL_NAV_ONE, 1, INT64_MAX, INT64_MIN, INT64_MAX);
	nav_case(CAPITAL_NAV_ONE, INT64_MAX, INT64_MIN, INT64_MAX, INT64_MIN);
	uint64_t s = 0x9E3779B97F4A7C15ULL;
	for (int i = 0; i < 2000000; i++) {
		int64_t nav = i % 4 == 0 ? CAPITAL_NAV_ONE + rnd_signed(&s) % CAPITAL_NAV_ONE : rnd_mag(&s);
		/* halved, so the moves below cannot overflow int64 (E near its limit
		 * is among the fixed cases above) */
		th_money e = rnd_mag(&s) / 2, last_flow = rnd_signed(&s) / 2, flow = last_flow, equity;
		if (e == 0)
			e = 1;
		switch (i % 3) {
		case 0: /* a small move around the last equity, as between snapshots */
			equity = e + rnd_signed(&s) % (e / 8 + 1);
			break;
		case 1: /* anything, with a flow */
			equity = rnd_signed(&s);
			flow = rnd_signed(&s);
			break;
		default: /* a flow that offsets the move exactly or nearly */
			flow = last_flow + rnd_signed(&s) % 1000;
			equity = e + (flow - last_flow) + rnd_signed(&s) % 3;
			break;
		}
		nav_case(nav, e, equity, flow, last_flow);
	}
}

/* avg_price (capital_positions) from the 64-bit path and the 128-bit one:
 * scales 8/8 push |cost| x 10^8 beyond 64 bits. */
static void test_avg_price_both_paths(void **state)
{
	(void)state;
	char err[256];
	capital_t *c = capital_create("USDT", err, sizeof err);
	assert_non_null(c);
	assert_int_equal(capital_deposit(c, USD(1000000)), TH_OK);
	assert_int_equal(capital_add_farm(c, "F", err, sizeof err), TH_OK);
	assert_int_equal(capital_add_agent(c, "A", "F", err, sizeof err), TH_OK);
	assert_int_equal(capital_allocate(c, "master", "F", USD(1000000), err, sizeof err), TH_OK);
	assert_int_equal(capital_allocate(c, "F", "A", USD(1000000), err, sizeof err), TH_OK);
	struct {
		th_instrument in;
		th_price px[2];
		th_qty q[2];
	} cases[] = {
		{ test_instrument("v", "X", "X", 2, 5), { 3000001, 2999999 }, { 333, 667 } },
		{ test_instrument("v", "Y", "Y", 8, 8), { 300000000007LL, 299999999999LL }, { 33333333, 66666667 } },
		{ test_instrument("v", "Z", "Z", 0, 3), { 7, 8 }, { 1000, 1000 } }, /* 7.5 exactly: rounds to 8 */
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		for (int j = 0; j < 2; j++) {
			char key[32];
			snprintf(key, sizeof key, "o%zu-%d", k, j);
			reserve_fill(c, "A", key, cases[k].in, TH_SIDE_BUY, cases[k].px[j], cases[k].q[j]);
		}
	}
	capital_position pos[3];
	assert_int_equal(capital_positions(c, "A", 0, pos, 3), 3);
	for (size_t k = 0; k < 3; k++) {
		const th_instrument *in = &cases[k].in;
		int e = in->price_scale + in->qty_scale - TH_MONEY_SCALE;
		cap_i128 num = pos[k].cost < 0 ? -(cap_i128)pos[k].cost : pos[k].cost, den = pos[k].p.qty;
		if (e >= 0)
			num *= th_pow10(e);
		else
			den *= th_pow10(-e);
		cap_i128 q = num / den, r = num % den;
		if (r * 2 >= den)
			q++;
		if (k == 1)
			assert_true(num > (cap_i128)UINT64_MAX); /* the 128-bit path */
		else
			assert_true(num <= (cap_i128)UINT64_MAX);
		assert_int_equal(pos[k].p.avg_price, (th_price)q);
	}
	assert_int_equal(pos[2].p.avg_price, 8);
	assert_capital_ok(c);
	capital_destroy(c);
}

/* The hints answer only for their own name. */
static void test_hints_follow_names(void **state)
{
	(void)state;
	char err[256];
	capital_t *c = build();
	th_instrument in = btc();
	/* orders: the array moves on removal, the hint must not follow blindly */
	const char *keys[] = { "k1", "k10", "k2", "k3" };
	for (int i = 0; i < 4; i++)
		assert_int_equal(capital_reserve(c, "A2", keys[i], &in, TH_SIDE_BUY, 2000000 + i, 100 + i, 0, 0, err, sizeof err),
			TH_OK);
	/* "k1" is a prefix of "k10": with the hint on k10, k1 is still k1 */
	capital_order_info oi;
	assert_int_equal(capital_order_get(c, "k10", &oi), TH_OK);
	assert_int_equal(capital_order_get(c, "k1", &oi), TH_OK);
	assert_int_equal(oi.price, 2000000);
	assert_int_equal(capital_release(c, "k1"), TH_OK); /* the last order moves into its slot */
	assert_int_equal(capital_release(c, "k1"), TH_ERR_NOT_FOUND);
	for (int i = 1; i < 4; i++) {
		assert_int_equal(capital_order_get(c, keys[i], &oi), TH_OK);
		assert_int_equal(oi.price, 2000000 + i);
		assert_int_equal(oi.qty, 100 + i);
	}
	th_fill f = test_fill(&in, "k3", TH_SIDE_BUY, 2000003, 103, 0, "USDT");
	assert_int_equal(capital_fill(c, "k3", &f, 30, err, sizeof err), TH_OK); /* finishes and removes k3 */
	assert_int_equal(capital_order_get(c, "k3", &oi), TH_ERR_NOT_FOUND);
	assert_int_equal(capital_order_get(c, "k10", &oi), TH_OK);
	assert_int_equal(oi.qty, 101);
	f = test_fill(&in, "k2", TH_SIDE_BUY, 2000002, 1, 0, "USDT");
	assert_int_equal(capital_fill(c, "k2", &f, 31, err, sizeof err), TH_OK);
	assert_int_equal(capital_order_get(c, "k2", &oi), TH_OK);
	assert_int_equal(oi.remaining, 101);
	/* wallets */
	for (size_t i = 0; i < NWALLETS; i++) {
		capital_stats s = test_stats(c, wallets[i]);
		assert_string_equal(s.name, wallets[i]);
	}
	assert_int_equal(capital_kind_of(c, "A1", NULL, 0), CAPITAL_KIND_AGENT);
	assert_int_equal(capital_kind_of(c, "A", NULL, 0), -1);
	assert_int_equal(capital_kind_of(c, "F2", NULL, 0), CAPITAL_KIND_FARM);
	assert_int_equal(capital_kind_of(c, "A10", NULL, 0), -1);
	/* instruments: a hit needs every field to match, else the full checks */
	th_instrument changed = btc();
	changed.qty_scale = 4;
	assert_int_equal(capital_reserve(c, "A1", "x1", &changed, TH_SIDE_BUY, 1, 1, 0, 0, err, sizeof err), TH_ERR_INVALID);
	assert_non_null(strstr(err, "changed"));
	changed = btc();
	snprintf(changed.base, sizeof changed.base, "XBT");
	assert_int_equal(capital_reserve(c, "A1", "x2", &changed, TH_SIDE_BUY, 1, 1, 0, 0, err, sizeof err), TH_ERR_INVALID);
	assert_non_null(strstr(err, "changed"));
	changed = btc();
	snprintf(changed.quote, sizeof changed.quote, "USDC");
	assert_int_equal(capital_reserve(c, "A1", "x3", &changed, TH_SIDE_BUY, 1, 1, 0, 0, err, sizeof err), TH_ERR_INVALID);
	assert_non_null(strstr(err, "quoted in"));
	changed = btc();
	snprintf(changed.venue, sizeof changed.venue, "other");
	size_t n = capital_instrument_count(c);
	assert_int_equal(capital_reserve(c, "A1", "x4", &changed, TH_SIDE_BUY, 100, 1, 0, 0, err, sizeof err), TH_OK);
	assert_int_equal(capital_instrument_count(c), n + 1);
	assert_int_equal(capital_order_get(c, "x4", &oi), TH_OK);
	assert_string_equal(oi.venue, "other");
	assert_int_equal(capital_reserve(c, "A1", "x5", &in, TH_SIDE_BUY, 100, 1, 0, 0, err, sizeof err), TH_OK);
	assert_int_equal(capital_order_get(c, "x5", &oi), TH_OK);
	assert_string_equal(oi.venue, "sim");
	assert_capital_ok(c);
	capital_destroy(c);
}

/* capital.ins_seen: byte-equal input is answered from the copy, anything
 * else takes the full checks (and a bad one is refused even right after a
 * hit); switching between instruments returns each one's own index. */
static void test_instrument_bytes_cache(void **state)
{
	(void)state;
	char err[256];
	capital_t *c = build();
	th_instrument b = btc(), e = eth();
	int32_t ib = capital_instrument_index(c, "sim", "BTCUSDT"), ie = capital_instrument_index(c, "bin", "ETHUSDT");
	assert_true(ib >= 0 && ie >= 0 && ib != ie);
	int32_t idx = -2;
	assert_int_equal(cap_instr_lookup(c, &b, &idx, err, sizeof err), TH_OK);
	assert_int_equal(idx, ib);
	assert_true(c->ins_seen_set);
	assert_int_equal(c->ins_seen_idx, ib);
	assert_int_equal(cap_instr_lookup(c, &b, &idx, err, sizeof err), TH_OK); /* the hit */
	assert_int_equal(idx, ib);
	assert_int_equal(cap_instr_lookup(c, &e, &idx, err, sizeof err), TH_OK);
	assert_int_equal(idx, ie);
	assert_int_equal(c->ins_seen_idx, ie);
	/* junk after the symbol's NUL: other bytes, same instrument */
	th_instrument junk = b;
	memset(junk.symbol + strlen(junk.symbol) + 1, 'Z', sizeof junk.symbol - strlen(junk.symbol) - 1);
	assert_int_equal(cap_instr_lookup(c, &junk, &idx, err, sizeof err), TH_OK);
	assert_int_equal(idx, ib);
	assert_int_equal(cap_instr_lookup(c, &b, &idx, err, sizeof err), TH_OK);
	assert_int_equal(idx, ib);
	/* right after a hit on b: one changed field is checked in full */
	th_instrument bad = b;
	bad.price_scale = 3;
	assert_int_equal(cap_instr_lookup(c, &bad, &idx, err, sizeof err), TH_ERR_INVALID);
	assert_non_null(strstr(err, "changed"));
	bad = b;
	snprintf(bad.quote, sizeof bad.quote, "EUR");
	assert_int_equal(cap_instr_lookup(c, &bad, &idx, err, sizeof err), TH_ERR_INVALID);
	/* an unknown instrument is not registered: -1, and the copy stays b's */
	th_instrument fresh = test_instrument("sim", "SOLUSDT", "SOL", 2, 3);
	assert_int_equal(cap_instr_lookup(c, &fresh, &idx, err, sizeof err), TH_OK);
	assert_int_equal(idx, -1);
	assert_int_equal(cap_instr_lookup(c, &b, &idx, err, sizeof err), TH_OK);
	assert_int_equal(idx, ib);
	assert_capital_ok(c);
	capital_destroy(c);
}

/* The ring does not store seq (cap_point): capital_curve() derives it. The
 * seqs stay consecutive and end at the curve's seq through ring wraps,
 * shrinking and growing the limit, and after_seq filters by them. */
static void test_curve_seq_derived(void **state)
{
	(void)state;
	char err[256];
	capital_t *c = build();
	assert_int_equal(capital_set_curve_limit(c, 5, err, sizeof err), TH_OK);
	capital_point pts[16];
	uint64_t base = capital_curve_seq(c, "A1");
	for (int i = 0; i < 12; i++) {
		assert_int_equal(capital_deposit(c, USD(1)), TH_OK); /* moves the total's flow */
		assert_int_equal(capital_snapshot_equity(c, 1000 + i), TH_OK);
	}
	uint64_t last = capital_curve_seq(c, "A1");
	assert_int_equal(last, base + 12);
	size_t n = capital_curve(c, "A1", 0, pts, 16);
	assert_int_equal(n, 5);
	for (size_t k = 0; k < n; k++) {
		assert_int_equal(pts[k].seq, last - 4 + k);
		assert_int_equal(pts[k].t_ns, 1000 + 7 + (int64_t)k);
	}
	/* after_seq: only newer points, counted even past max */
	assert_int_equal(capital_curve(c, "A1", last - 2, pts, 1), 2);
	assert_int_equal(pts[0].seq, last - 1);
	assert_int_equal(capital_curve(c, "A1", last, pts, 16), 0);
	/* the total: flows differ per point, seqs as well */
	uint64_t tl = capital_curve_seq(c, "total");
	n = capital_curve(c, "total", 0, pts, 16);
	assert_int_equal(n, 5);
	for (size_t k = 0; k < n; k++) {
		assert_int_equal(pts[k].seq, tl - 4 + k);
		if (k)
			assert_int_equal(pts[k].flow - pts[k - 1].flow, USD(1));
	}
	/* shrink: the newest 3 stay, with their seqs */
	assert_int_equal(capital_set_curve_limit(c, 3, err, sizeof err), TH_OK);
	n = capital_curve(c, "A1", 0, pts, 16);
	assert_int_equal(n, 3);
	for (size_t k = 0; k < n; k++) {
		assert_int_equal(pts[k].seq, last - 2 + k);
		assert_int_equal(pts[k].t_ns, 1000 + 9 + (int64_t)k);
	}
	/* grow, then append across the old size */
	assert_int_equal(capital_set_curve_limit(c, 10, err, sizeof err), TH_OK);
	for (int i = 0; i < 4; i++)
		assert_int_equal(capital_snapshot_equity(c, 2000 + i), TH_OK);
	n = capital_curve(c, "A1", 0, pts, 16);
	assert_int_equal(n, 7);
	for (size_t k = 0; k < n; k++)
		assert_int_equal(pts[k].seq, last - 2 + k);
	assert_int_equal(pts[6].t_ns, 2003);
	assert_int_equal(capital_curve_seq(c, "A1"), last + 4);
	/* the dump prints the same seqs */
	size_t len = 0;
	char *dump = capital_dump(c, &len);
	assert_non_null(dump);
	char want[64];
	snprintf(want, sizeof want, "pt %llu t=2003 ", (unsigned long long)(last + 4));
	assert_non_null(strstr(dump, want));
	free(dump);
	assert_capital_ok(c);
	capital_destroy(c);
}

/* capital.fee_quote_seen: the same fills with the remembered fee asset
 * dropped before every fill (the full checks each time) leave the capital
 * exactly as with it; a bad fee asset right after a hit is still refused. */
static void test_fee_asset_cache(void **state)
{
	(void)state;
	char err[256];
	capital_t *c[2] = { build(), build() };
	th_instrument in = btc();
	/* fee assets in turn: quote, junk after the quote's NUL, base, other,
	 * empty (quote), quote again */
	const char *assets[] = { "USDT", "USDT", "BTC", "BNB", "", "USDT" };
	for (int k = 0; k < 2; k++) {
		for (int i = 0; i < 6; i++) {
			char key[16];
			snprintf(key, sizeof key, "fee%d", i);
			assert_int_equal(capital_reserve(c[k], "A1", key, &in, TH_SIDE_BUY, 2000000, 10, USD(1), 0, err, sizeof err),
				TH_OK);
			th_fill f = test_fill(&in, key, TH_SIDE_BUY, 2000000, 10, CENTS(3), assets[i]);
			if (i == 1)
				memset(f.fee_asset + 5, 'Q', sizeof f.fee_asset - 5);
			if (k == 1)
				c[k]->fee_quote_set = 0;
			assert_int_equal(capital_fill(c[k], key, &f, 40 + i, err, sizeof err), TH_OK);
		}
		/* just after a hit on "USDT": invalid assets take the checks */
		assert_int_equal(capital_reserve(c[k], "A1", "bad", &in, TH_SIDE_BUY, 2000000, 10, USD(1), 0, err, sizeof err),
			TH_OK);
		th_fill f = test_fill(&in, "bad", TH_SIDE_BUY, 2000000, 10, CENTS(3), "USDT/X");
		assert_int_equal(capital_fill(c[k], "bad", &f, 50, err, sizeof err), TH_ERR_INVALID);
		assert_non_null(strstr(err, "fee asset is invalid"));
		memset(f.fee_asset, 'U', sizeof f.fee_asset); /* no NUL at all */
		assert_int_equal(capital_fill(c[k], "bad", &f, 50, err, sizeof err), TH_ERR_INVALID);
		assert_capital_ok(c[k]);
	}
	assert_true(c[0]->fee_quote_set);
	size_t la = 0, lb = 0;
	char *a = capital_dump(c[0], &la), *b = capital_dump(c[1], &lb);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, la);
	free(a);
	free(b);
	capital_destroy(c[0]);
	capital_destroy(c[1]);
}

/* ledger_post sums per asset in one pass: the message still names the first
 * unbalanced asset, and a balanced two-asset transaction passes. */
static void test_ledger_names_first_unbalanced_asset(void **state)
{
	(void)state;
	char err[256];
	ledger_t *l = ledger_create();
	assert_non_null(l);
	int32_t u1 = ledger_open(l, "u1", "USDT", 0, err, sizeof err), u2 = ledger_open(l, "u2", "USDT", 0, err, sizeof err);
	int32_t b1 = ledger_open(l, "b1", "BTC", 0, err, sizeof err), b2 = ledger_open(l, "b2", "BTC", 0, err, sizeof err);
	ledger_posting bad1[] = { { u1, 5 }, { b1, 3 }, { u2, -5 } };
	assert_int_equal(ledger_post(l, bad1, 3, "t1", err, sizeof err), TH_ERR_INVALID);
	assert_non_null(strstr(err, "in BTC sum to"));
	ledger_posting bad2[] = { { u1, 5 }, { b1, 3 }, { u1, -4 }, { b2, -3 } };
	assert_int_equal(ledger_post(l, bad2, 4, "t2", err, sizeof err), TH_ERR_INVALID);
	assert_non_null(strstr(err, "in USDT sum to"));
	ledger_posting ok[] = { { u1, 5 }, { b1, 3 }, { u2, -5 }, { b2, -1 }, { b2, -2 } };
	assert_int_equal(ledger_post(l, ok, 5, "t3", err, sizeof err), TH_OK);
	assert_int_equal(ledger_balance(l, b2), -3);
	assert_int_equal(ledger_check(l, err, sizeof err), TH_OK);
	ledger_destroy(l);
}

/* Open orders are found by scanning while there are few and by the key map
 * past CAP_ORDER_SCAN_MAX (capital.ord_indexed): through both regimes and
 * back, every key finds its own order, duplicates are refused, and
 * capital_check() (which checks the map against the orders) passes. */
static void test_order_index_scan_and_map(void **state)
{
	(void)state;
	char err[256], key[32];
	capital_t *c = build();
	th_instrument in = btc();
	capital_order_info oi;
	size_t base = c->nord; /* build() leaves one open order */
	int n = 3 * CAP_ORDER_SCAN_MAX;
	for (int i = 0; i < n; i++) {
		snprintf(key, sizeof key, "ix%d", i);
		assert_int_equal(capital_reserve(c, "A2", key, &in, TH_SIDE_BUY, 1000000 + i, 10 + i, 0, 0, err, sizeof err),
			TH_OK);
		assert_int_equal(c->ord_indexed, base + (size_t)i + 1 > CAP_ORDER_SCAN_MAX);
		/* a second reservation under the same key is refused in either regime */
		assert_int_equal(capital_reserve(c, "A2", key, &in, TH_SIDE_BUY, 1000000, 10, 0, 0, err, sizeof err),
			TH_ERR_EXISTS);
		assert_capital_ok(c);
	}
	/* release from both ends and the middle: removed orders move others */
	for (int k = 0; k < n; k++) {
		int i = k % 3 == 0 ? k / 3 : k % 3 == 1 ? n - 1 - k / 3 : n / 2 + (k / 3) % (n / 2);
		snprintf(key, sizeof key, "ix%d", i);
		if (capital_order_get(c, key, &oi) != TH_OK)
			continue; /* the middle walk repeats some */
		assert_int_equal(oi.price, 1000000 + i);
		assert_int_equal(capital_release(c, key), TH_OK);
		assert_int_equal(capital_release(c, key), TH_ERR_NOT_FOUND);
		assert_capital_ok(c);
		for (int j = 0; j < n; j++) {
			char other[32];
			snprintf(other, sizeof other, "ix%d", j);
			if (capital_order_get(c, other, &oi) == TH_OK)
				assert_int_equal(oi.qty, 10 + j);
		}
	}
	for (int i = 0; i < n; i++) {
		snprintf(key, sizeof key, "ix%d", i);
		capital_release(c, key);
	}
	assert_capital_ok(c);
	assert_int_equal(capital_release(c, "a1-open"), TH_OK);
	/* no open order left: the map is empty and lookups scan again */
	assert_int_equal(c->nord, 0);
	assert_int_equal(c->ord_indexed, 0);
	assert_int_equal(ledger_map_size(c->ord_by_key), 0);
	assert_int_equal(capital_reserve(c, "A2", "again", &in, TH_SIDE_BUY, 1000000, 10, 0, 0, err, sizeof err), TH_OK);
	assert_int_equal(capital_order_get(c, "again", &oi), TH_OK);
	assert_int_equal(c->ord_indexed, 0);
	assert_capital_ok(c);
	capital_destroy(c);
}

/* The curve's shortcut for a point equal to the last one (equity and flow
 * unchanged) against the rules written out: nav by the 128-bit definition,
 * peaks and drawdowns, over a walk that repeats itself half of the time and
 * wraps a small ring. */
typedef struct ref_curve {
	uint64_t seq;
	int64_t nav, peak_nav, max_dd_bps;
	th_money last_equity, last_flow, peak_perf, max_dd_money;
} ref_curve;

static void ref_append(ref_curve *r, th_money equity, th_money flow)
{
	int64_t nav = r->seq == 0	     ? CAPITAL_NAV_ONE
		: r->last_equity <= 0 ? r->nav
				      : cap_nav_scale_exact(r->nav, (cap_i128)equity - ((cap_i128)flow - r->last_flow),
					      r->last_equity);
	th_money perf = cap_sat((cap_i128)equity - flow);
	if (r->seq == 0) {
		r->peak_nav = nav;
		r->peak_perf = perf;
	}
	if (nav > r->peak_nav)
		r->peak_nav = nav;
	if (r->peak_nav > 0 && nav < r->peak_nav) {
		int64_t dd = (int64_t)((cap_i128)(r->peak_nav - nav) * 10000 / r->peak_nav);
		if (dd > r->max_dd_bps)
			r->max_dd_bps = dd;
	}
	if (perf > r->peak_perf)
		r->peak_perf = perf;
	th_money ddm = cap_sat((cap_i128)r->peak_perf - perf);
	if (ddm > r->max_dd_money)
		r->max_dd_money = ddm;
	r->seq++;
	r->nav = nav;
	r->last_equity = equity;
	r->last_flow = flow;
}

static void test_curve_repeated_points(void **state)
{
	(void)state;
	cap_curve cv;
	memset(&cv, 0, sizeof cv);
	assert_int_equal(cap_curve_init(&cv, 16), 0);
	ref_curve r;
	memset(&r, 0, sizeof r);
	uint64_t s = 0x243F6A8885A308D3ULL;
	th_money equity = USD(1000), flow = USD(1000);
	for (int i = 0; i < 200000; i++) {
		switch (rng_next(&s) % 8) {
		case 0: case 1: case 2: case 3:
			break; /* the same point again */
		case 4:
			flow += (th_money)(rng_next(&s) % USD(10));
			equity += (th_money)(rng_next(&s) % USD(10));
			break;
		case 5:
			equity = i % 97 == 0 ? 0 : (th_money)(rng_next(&s) % USD(2000)); /* incl. no equity at all */
			break;
		default:
			equity += (th_money)(rng_next(&s) % USD(20)) - USD(10);
			break;
		}
		cap_curve_append(&cv, i, equity, flow);
		ref_append(&r, equity, flow);
		assert_int_equal(cv.seq, r.seq);
		assert_int_equal(cv.nav, r.nav);
		assert_int_equal(cv.peak_nav, r.peak_nav);
		assert_int_equal(cv.max_dd_bps, r.max_dd_bps);
		assert_int_equal(cv.peak_perf, r.peak_perf);
		assert_int_equal(cv.max_dd_money, r.max_dd_money);
		const capital_point p = cap_curve_point(&cv, cv.n - 1);
		assert_int_equal(p.seq, r.seq);
		assert_int_equal(p.t_ns, i);
		assert_int_equal(p.equity, equity);
		assert_int_equal(p.flow, flow);
		assert_int_equal(p.nav, r.nav);
	}
	free(cv.pts);
}

/* ledger_post nets an account's postings by a per-account mark: a refused
 * transaction's marks must not leak into the next one. */
static void test_ledger_netting_after_refusal(void **state)
{
	(void)state;
	char err[256];
	ledger_t *l = ledger_create();
	assert_non_null(l);
	int32_t a = ledger_open(l, "a", "USDT", LEDGER_NO_OVERDRAFT, err, sizeof err);
	int32_t b = ledger_open(l, "b", "USDT", 0, err, sizeof err), x = ledger_open(l, "x", "USDT", 0, err, sizeof err);
	ledger_posting over[] = { { b, 5 }, { a, -2 }, { x, 1 }, { a, -4 } }; /* a would go negative */
	assert_int_equal(ledger_post(l, over, 4, "over", err, sizeof err), TH_ERR_LIMIT);
	assert_int_equal(ledger_balance(l, a), 0);
	ledger_posting twice[] = { { a, 3 }, { x, -1 }, { a, 4 }, { b, -6 }, { x, -1 }, { a, 1 } };
	assert_int_equal(ledger_post(l, twice, 6, "twice", err, sizeof err), TH_OK);
	assert_int_equal(ledger_balance(l, a), 8);
	assert_int_equal(ledger_balance(l, x), -2);
	assert_int_equal(ledger_balance(l, b), -6);
	ledger_posting net_zero_overdraft[] = { { a, -8 }, { b, 8 }, { a, -1 }, { x, 1 } };
	assert_int_equal(ledger_post(l, net_zero_overdraft, 4, "nz", err, sizeof err), TH_ERR_LIMIT);
	ledger_posting back[] = { { a, -8 }, { b, 6 }, { x, 2 } };
	assert_int_equal(ledger_post(l, back, 3, "back", err, sizeof err), TH_OK);
	assert_int_equal(ledger_balance(l, a), 0);
	assert_int_equal(ledger_check(l, err, sizeof err), TH_OK);
	assert_int_equal(ledger_tx_count(l), 2);
	ledger_destroy(l);
}

/* The curve's 64-bit shortcuts (nav move, perf, money drawdown, and the
 * drawdown compared by multiplication before dividing) against the rules
 * written out, on magnitudes up to int64's limits so that every overflow
 * fallback is taken as well as the fast paths. */
static void test_curve_extreme_values(void **state)
{
	(void)state;
	cap_curve cv;
	memset(&cv, 0, sizeof cv);
	assert_int_equal(cap_curve_init(&cv, 8), 0);
	ref_curve r;
	memset(&r, 0, sizeof r);
	uint64_t s = 0x13198A2E03707344ULL;
	th_money equity = USD(1000), flow = 0;
	for (int i = 0; i < 200000; i++) {
		switch (rng_next(&s) % 4) {
		case 0:
			equity = rnd_signed(&s);
			break;
		case 1:
			flow = rnd_signed(&s);
			break;
		case 2:
			equity = i % 3 ? INT64_MAX - (th_money)(rng_next(&s) % 1000) : INT64_MIN + (th_money)(rng_next(&s) % 1000);
			break;
		default:
			equity = rnd_mag(&s); /* mostly a drop from a high peak */
			break;
		}
		cap_curve_append(&cv, i, equity, flow);
		ref_append(&r, equity, flow);
		assert_int_equal(cv.nav, r.nav);
		assert_int_equal(cv.peak_nav, r.peak_nav);
		assert_int_equal(cv.max_dd_bps, r.max_dd_bps);
		assert_int_equal(cv.peak_perf, r.peak_perf);
		assert_int_equal(cv.max_dd_money, r.max_dd_money);
	}
	free(cv.pts);
}

/* The drawdown maximum moves when gap x 10000 / peak reaches max + 1
 * exactly (the boundary of the multiplied comparison). */
static void test_curve_drawdown_boundary(void **state)
{
	(void)state;
	cap_curve cv;
	memset(&cv, 0, sizeof cv);
	assert_int_equal(cap_curve_init(&cv, 8), 0);
	cap_curve_append(&cv, 1, USD(1000), 0);
	cap_curve_append(&cv, 2, USD(1000) - USD(99) / 10, 0); /* 990.1: exactly 99 bps below */
	assert_int_equal(cv.max_dd_bps, 99);
	cap_curve_append(&cv, 3, USD(990), 0);                 /* exactly 100 bps below */
	assert_int_equal(cv.nav, CAPITAL_NAV_ONE / 100 * 99);
	assert_int_equal(cv.max_dd_bps, 100);
	cap_curve_append(&cv, 4, USD(995), 0); /* a recovery leaves the maximum */
	assert_int_equal(cv.max_dd_bps, 100);
	free(cv.pts);
}

/* A position found with capital_position_ref_of() and read with
 * capital_position_core_at() gives exactly capital_position_of()'s four
 * figures, for long, short, stale-marked and closed positions, and the
 * same "not found" answers. */
static void check_core(const capital_t *c, const char *agent, const char *venue, const char *symbol)
{
	capital_position full;
	capital_position_core core;
	int rf = capital_position_of(c, agent, venue, symbol, &full);
	capital_position_ref ref;
	int rc = capital_position_ref_of(c, agent, venue, symbol, &ref);
	assert_int_equal(rc, rf);
	if (rc == TH_OK)
		assert_int_equal(capital_position_core_at(c, ref, &core), TH_OK);
	if (rf != TH_OK)
		return;
	assert_int_equal(core.qty, full.p.qty);
	assert_int_equal(core.avg_price, full.p.avg_price);
	assert_int_equal(core.realized_pnl, full.p.realized_pnl);
	assert_int_equal(core.fees, full.p.fees);
}

static void test_position_core_matches(void **state)
{
	(void)state;
	capital_t *c = build();
	const char *agents[] = { "A1", "A2", "B1", "F1", "nobody" };
	for (int round = 0; round < 3; round++) {
		for (size_t a = 0; a < sizeof agents / sizeof agents[0]; a++) {
			check_core(c, agents[a], "sim", "BTCUSDT");
			check_core(c, agents[a], "bin", "ETHUSDT");
			check_core(c, agents[a], "sim", "ETHUSDT");
		}
		if (round == 0) { /* a stale mark, then a partial close at another price */
			assert_int_equal(capital_mark(c, "sim", "BTCUSDT", 3100000, 2, 50), TH_OK);
			reserve_fill(c, "A1", "a1-sell", btc(), TH_SIDE_SELL, 3123457, 3333);
		} else if (round == 1) { /* A2 closes its short: flat with history */
			reserve_fill(c, "A2", "a2-cover", btc(), TH_SIDE_BUY, 2987654, 5000);
		}
	}
	assert_capital_ok(c);
	capital_destroy(c);
}

/* cap_value_of's 64-bit product against th_notional (the definition) over
 * every scale pair and random marks and quantities, overflow included. */
static void test_value_of_fast_path(void **state)
{
	(void)state;
	uint64_t s = 0xA4093822299F31D0ULL;
	cap_instr in;
	memset(&in, 0, sizeof in);
	for (int ps = 0; ps <= 10; ps++)
		for (int qs = 0; qs <= 10; qs++)
			for (int i = 0; i < 2000; i++) {
				in.price_scale = ps;
				in.qty_scale = qs;
				in.mark = i % 5 == 0 ? rnd_signed(&s) : rnd_mag(&s) % 100000000000LL;
				/* never both near 2^63: th_notional's own 128-bit product
				 * (the reference) would overflow */
				th_qty qty = i % 7 == 0 && i % 5 != 0 ? rnd_signed(&s) : rnd_signed(&s) % 10000000000LL;
				th_money want;
				if (qty == 0)
					want = 0;
				else if (th_notional(in.mark, ps, qty, qs, &want) != 0)
					want = (qty > 0) == (in.mark > 0) ? INT64_MAX : INT64_MIN;
				th_money got = cap_value_of(&in, qty);
				if (got != want)
					fail_msg("scales %d/%d mark %lld qty %lld: %lld, want %lld", ps, qs, (long long)in.mark,
						(long long)qty, (long long)got, (long long)want);
			}
}

/* ledger_balances() reads like ledger_balance() for each id, unknown ones 0. */
static void test_ledger_balances_match(void **state)
{
	(void)state;
	char err[256];
	ledger_t *l = ledger_create();
	assert_non_null(l);
	int32_t a = ledger_open(l, "a", "USDT", 0, err, sizeof err);
	int32_t b = ledger_open(l, "b", "USDT", 0, err, sizeof err);
	ledger_posting p[] = { { a, 7 }, { b, -7 } };
	assert_int_equal(ledger_post(l, p, 2, "p", err, sizeof err), TH_OK);
	const int32_t ids[5] = { b, -1, a, 99, a };
	th_money out[5];
	ledger_balances(l, ids, 5, out);
	for (int i = 0; i < 5; i++)
		assert_int_equal(out[i], ledger_balance(l, ids[i]));
	assert_int_equal(out[0], -7);
	assert_int_equal(out[2], 7);
	assert_int_equal(out[1], 0);
	assert_int_equal(out[3], 0);
	ledger_destroy(l);
}

/* ledger_post's direct way for simple transactions against a model of the
 * rules (net per account, zero per asset, no overflow, no overdraft where
 * flagged) on random transactions: repeats, two assets, unbalanced and
 * overflowing ones, and amounts that would overdraw. */
static void test_ledger_post_simple_matches_model(void **state)
{
	(void)state;
	char err[256];
	ledger_t *l = ledger_create();
	assert_non_null(l);
	enum { NA = 6 };
	int32_t id[NA];
	int asset[NA] = { 0, 0, 0, 1, 1, 0 };
	unsigned flags[NA] = { LEDGER_NO_OVERDRAFT, 0, LEDGER_NO_OVERDRAFT, 0, LEDGER_NO_OVERDRAFT, 0 };
	cap_i128 model[NA] = { 0 };
	for (int a = 0; a < NA; a++) {
		char name[16];
		snprintf(name, sizeof name, "acct%d", a);
		id[a] = ledger_open(l, name, asset[a] ? "BTC" : "USDT", flags[a], err, sizeof err);
		assert_true(id[a] >= 0);
	}
	uint64_t s = 0x082EFA98EC4E6C89ULL;
	int applied = 0;
	for (int t = 0; t < 100000; t++) {
		ledger_posting p[6];
		size_t n = 1 + rng_next(&s) % 6;
		int64_t sum = 0;
		for (size_t i = 0; i < n; i++) {
			p[i].account = id[rng_next(&s) % NA];
			if (i + 1 == n && rng_next(&s) % 8 != 0 && sum != INT64_MIN)
				p[i].amount = -sum; /* balanced when all are in one asset */
			else
				p[i].amount = rng_next(&s) % 16 == 0 ? rnd_signed(&s) : (int64_t)(rng_next(&s) % 2001) - 1000;
			sum = (int64_t)((uint64_t)sum + (uint64_t)p[i].amount); /* wraps: only a test input */
		}
		/* the rules, written out */
		cap_i128 net[NA] = { 0 }, per_asset[2] = { 0 };
		for (size_t i = 0; i < n; i++) {
			int a = 0;
			while (id[a] != p[i].account)
				a++;
			net[a] += p[i].amount;
			per_asset[asset[a]] += p[i].amount;
		}
		int ok = per_asset[0] == 0 && per_asset[1] == 0;
		for (int a = 0; a < NA && ok; a++) {
			cap_i128 nb = model[a] + net[a];
			if (nb > INT64_MAX || nb < INT64_MIN || ((flags[a] & LEDGER_NO_OVERDRAFT) && nb < 0))
				ok = 0;
		}
		int rc = ledger_post(l, p, n, "t", err, sizeof err);
		assert_int_equal(rc == TH_OK, ok);
		if (ok) {
			applied++;
			for (int a = 0; a < NA; a++)
				model[a] += net[a];
		}
		for (int a = 0; a < NA; a++)
			assert_true(ledger_balance(l, id[a]) == (th_money)model[a]);
	}
	assert_true(applied > 1000);
	assert_int_equal(ledger_tx_count(l), (uint64_t)applied);
	assert_int_equal(ledger_check(l, err, sizeof err), TH_OK);
	ledger_destroy(l);
}

/* cap_sat's one-comparison form against the definition at the edges. */
static void test_cap_sat_edges(void **state)
{
	(void)state;
	const cap_i128 one = 1, big = (cap_i128)INT64_MAX;
	const cap_i128 cases[] = { 0, 1, -1, big, big + 1, -big, -big - 1, -big - 2, big * 3, -big * 3, one << 64,
		(one << 64) - 1, -(one << 64), (one << 64) + 5, -(one << 64) + 5, (one << 126), -(one << 126) };
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cap_i128 v = cases[i];
		th_money want = v > INT64_MAX ? INT64_MAX : v < INT64_MIN ? INT64_MIN : (th_money)v;
		assert_int_equal(cap_sat(v), want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stats_after_mark),
		cmocka_unit_test(test_nav_and_curve_after_mark),
		cmocka_unit_test(test_reserve_check_after_mark),
		cmocka_unit_test(test_rebalance_after_mark),
		cmocka_unit_test(test_positions_and_fills_after_mark),
		cmocka_unit_test(test_check_catches_unlisted_stale_mark),
		cmocka_unit_test(test_nav_fast_path_is_exact),
		cmocka_unit_test(test_avg_price_both_paths),
		cmocka_unit_test(test_hints_follow_names),
		cmocka_unit_test(test_instrument_bytes_cache),
		cmocka_unit_test(test_curve_seq_derived),
		cmocka_unit_test(test_fee_asset_cache),
		cmocka_unit_test(test_ledger_names_first_unbalanced_asset),
		cmocka_unit_test(test_order_index_scan_and_map),
		cmocka_unit_test(test_curve_repeated_points),
		cmocka_unit_test(test_ledger_netting_after_refusal),
		cmocka_unit_test(test_curve_extreme_values),
		cmocka_unit_test(test_cap_sat_edges),
		cmocka_unit_test(test_ledger_post_simple_matches_model),
		cmocka_unit_test(test_position_core_matches),
		cmocka_unit_test(test_curve_drawdown_boundary),
		cmocka_unit_test(test_value_of_fast_path),
		cmocka_unit_test(test_ledger_balances_match),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
