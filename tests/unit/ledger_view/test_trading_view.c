/* trading_view: the hashed last prices, the per-venue instrument index and
 * the wallet figures answer exactly what a plain scan / the capital library
 * answers, including after a venue's list is replaced (hot reload). */
#include "ledger_test_util.h"

#include <stdio.h>
#include <tradehost/th_status.h>

#include "trading/trading_view.h"

#define NSYM 300

typedef struct venue_src {
	th_instrument a[NSYM], b[NSYM]; /* two generations of one venue's list */
	int gen;                        /* which one is live */
	size_t calls;
} venue_src;

static int list_fn(void *arg, const char *venue, const void *const known[2], const void *owner[2],
	const th_instrument **list, size_t *n)
{
	venue_src *v = arg;
	(void)known;
	v->calls++;
	if (strcmp(venue, "sim") != 0)
		return -1;
	owner[0] = v;
	owner[1] = v->gen ? v->b : v->a;
	*list = v->gen ? v->b : v->a;
	*n = NSYM;
	return 0;
}

static const th_instrument *scan(const th_instrument *list, const char *symbol)
{
	for (size_t i = 0; i < NSYM; i++)
		if (strcmp(list[i].symbol, symbol) == 0)
			return &list[i];
	return NULL;
}

static void test_prices_and_instruments(void **state)
{
	(void)state;
	char err[256], sym[16];
	capital_t *c = capital_create("USDT", err, sizeof err);
	static venue_src src;
	memset(&src, 0, sizeof src);
	for (int i = 0; i < NSYM; i++) {
		snprintf(sym, sizeof sym, "S%03d-USDT", i);
		src.a[i] = test_instrument("sim", sym, "S", 2, 3);
		snprintf(sym, sizeof sym, "S%03d-USDT", NSYM - 1 - i); /* same symbols, another order */
		src.b[i] = test_instrument("sim", sym, "S", 2, 3);
		src.b[i].lot = 7;
	}
	trading_view *v = trading_view_create(c, list_fn, &src);
	assert_non_null(v);
	/* last prices on two venues with the same symbols, interleaved */
	for (int round = 0; round < 3; round++)
		for (int i = 0; i < NSYM; i++) {
			snprintf(sym, sizeof sym, "S%03d-USDT", i);
			trading_view_set_price(v, "sim", sym, 1000 * round + i, 2);
			trading_view_set_price(v, "bin", sym, 5000 + i, 4);
		}
	for (int i = 0; i < NSYM; i++) {
		int32_t scale = -1;
		snprintf(sym, sizeof sym, "S%03d-USDT", i);
		assert_int_equal(trading_view_last_price(v, "sim", sym, &scale), 2000 + i);
		assert_int_equal(scale, 2);
		assert_int_equal(trading_view_last_price(v, "bin", sym, &scale), 5000 + i);
		assert_int_equal(scale, 4);
	}
	int32_t scale = 0;
	assert_int_equal(trading_view_last_price(v, "sim", "NOPE", &scale), 0);
	assert_int_equal(trading_view_last_price(v, "x", "S001-USDT", &scale), 0);
	/* instruments: the index answers like a scan, also after the list changes */
	for (int gen = 0; gen < 2; gen++) {
		src.gen = gen;
		for (int i = 0; i < NSYM; i++) {
			snprintf(sym, sizeof sym, "S%03d-USDT", i);
			const th_instrument *got = trading_view_instrument(v, "sim", sym);
			assert_ptr_equal(got, scan(gen ? src.b : src.a, sym));
		}
		assert_null(trading_view_instrument(v, "sim", "S999-USDT"));
		assert_null(trading_view_instrument(v, "bin", "S001-USDT")); /* no such venue */
	}
	assert_int_equal(trading_view_instrument(v, "sim", "S010-USDT")->lot, 7);
	trading_view_destroy(v);
	capital_destroy(c);
}

/* wallet_stats() is the capital figures plus a peak that only rises. */
static void test_wallet_stats_and_positions(void **state)
{
	(void)state;
	char err[256];
	capital_t *c = capital_create("USDT", err, sizeof err);
	assert_int_equal(capital_deposit(c, USD(100000)), TH_OK);
	assert_int_equal(capital_add_farm(c, "F", err, sizeof err), TH_OK);
	assert_int_equal(capital_add_agent(c, "A", "F", err, sizeof err), TH_OK);
	assert_int_equal(capital_add_agent(c, "B", "F", err, sizeof err), TH_OK);
	assert_int_equal(capital_allocate(c, "master", "F", USD(50000), err, sizeof err), TH_OK);
	assert_int_equal(capital_allocate(c, "F", "A", USD(20000), err, sizeof err), TH_OK);
	assert_int_equal(capital_allocate(c, "F", "B", USD(20000), err, sizeof err), TH_OK);
	th_instrument btc = test_instrument("sim", "BTCUSDT", "BTC", 2, 5), eth = test_instrument("sim", "ETHUSDT", "ETH", 2, 4);
	th_fill f = test_fill(&btc, "x1", TH_SIDE_BUY, 3000000, 10000, 0, "USDT"); /* 0.1 BTC at 30000 */
	assert_int_equal(capital_fill_unreserved(c, "A", &btc, &f, 1, err, sizeof err), TH_OK);
	f = test_fill(&btc, "x2", TH_SIDE_SELL, 3000000, 10000, 0, "USDT");       /* B short the same */
	assert_int_equal(capital_fill_unreserved(c, "B", &btc, &f, 1, err, sizeof err), TH_OK);
	f = test_fill(&eth, "x3", TH_SIDE_BUY, 200000, 20000, 0, "USDT");          /* 2 ETH at 2000 */
	assert_int_equal(capital_fill_unreserved(c, "B", &eth, &f, 1, err, sizeof err), TH_OK);
	trading_view *v = trading_view_create(c, list_fn, NULL);
	assert_non_null(v);
	const char *wallets[] = { "A", "B", "F", "master", "total" };
	th_money first_equity[5];
	for (int round = 0; round < 2; round++) {
		if (round == 1) /* BTC down 10 %: A loses, B gains, the farm nets to 0 on BTC */
			assert_int_equal(capital_mark(c, "sim", "BTCUSDT", 2700000, 2, 2), TH_OK);
		for (size_t w = 0; w < 5; w++) {
			th_wallet_stats ws;
			capital_stats st;
			assert_int_equal(trading_view_wallet_stats(v, wallets[w], &ws), TH_OK);
			assert_int_equal(capital_stats_recompute(c, wallets[w], &st), TH_OK);
			assert_int_equal(ws.equity, st.equity);
			assert_int_equal(ws.gross_exposure, st.gross_exposure);
			assert_int_equal(ws.net_exposure, st.net_exposure);
			assert_int_equal(ws.positions, st.held);
			if (round == 0)
				first_equity[w] = ws.equity;
			assert_int_equal(ws.peak_equity, ws.equity > first_equity[w] ? ws.equity : first_equity[w]);
			/* positions(): what capital_positions lists, gross / net from them */
			th_position pos[8];
			capital_position cp[8];
			size_t n = trading_view_positions(v, wallets[w], pos, 8);
			assert_int_equal(n, capital_positions(c, wallets[w], 0, cp, 8));
			assert_int_equal(n, ws.positions);
			th_money gross = 0;
			for (size_t i = 0; i < n; i++) {
				assert_string_equal(pos[i].symbol, cp[i].p.symbol);
				assert_int_equal(pos[i].qty, cp[i].p.qty);
				gross += cp[i].value < 0 ? -cp[i].value : cp[i].value;
			}
			assert_int_equal(gross, ws.gross_exposure);
		}
	}
	/* the farm's BTC nets to zero: only ETH is held at farm and host level */
	th_wallet_stats fs;
	assert_int_equal(trading_view_wallet_stats(v, "F", &fs), TH_OK);
	assert_int_equal(fs.positions, 1);
	assert_int_equal(fs.gross_exposure, USD(4000));
	assert_int_equal(trading_view_wallet_stats(v, "nobody", &fs), TH_ERR_NOT_FOUND);
	trading_view_destroy(v);
	capital_destroy(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prices_and_instruments),
		cmocka_unit_test(test_wallet_stats_and_positions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
