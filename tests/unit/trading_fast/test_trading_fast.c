/* The trading layer's fast paths give what the slow paths give:
 *   - name_key: a header field matches the remembered name exactly when the
 *     strings are equal, whatever follows the NUL in the field;
 *   - trading_view_mark_event / _set_event_price: the slot found by the
 *     word-wise "same instrument as last time" check is the one a lookup by
 *     name finds, also when events alternate instruments or carry garbage
 *     after their names (and capital is marked exactly as by name);
 *   - capital_position_of: the same record capital_positions() lists;
 *   - the trade book: its remembered position, farm and exposure clocks give
 *     the trades and exposure times computed by hand. */
#include "ledger_test_util.h"

#include <stdlib.h>
#include <tradehost/th_status.h>

#include "trading/name_key.h"
#include "trading/trade_math.h"
#include "trading/trading_trades.h"
#include "trading/trading_view.h"

/* A header-sized field holding `s`, the rest filled with `junk`. */
static void field(char *dst, size_t cap, const char *s, char junk)
{
	memset(dst, junk, cap);
	memcpy(dst, s, strlen(s) + 1);
}

static void test_name_key(void **state)
{
	(void)state;
	name_key k;
	char f[TH_SYMBOL_MAX];
	memset(&k, 0, sizeof k);
	field(f, sizeof f, "BTC-USDT", 0);
	assert_false(name_key_is(&k, f, sizeof f)); /* a zeroed key matches nothing */
	assert_false(name_key_is_str(&k, ""));
	name_key_set(&k, "BTC-USDT", TH_SYMBOL_MAX);
	for (int junk = 0; junk < 256; junk += 51) {
		field(f, sizeof f, "BTC-USDT", (char)junk);
		assert_true(name_key_is(&k, f, sizeof f));
		field(f, sizeof f, "BTC-USDC", (char)junk);
		assert_false(name_key_is(&k, f, sizeof f));
		field(f, sizeof f, "BTC", (char)junk); /* a prefix: the NUL position differs */
		assert_false(name_key_is(&k, f, sizeof f));
		field(f, sizeof f, "BTC-USDT2", (char)junk); /* longer */
		assert_false(name_key_is(&k, f, sizeof f));
		field(f, sizeof f, "", (char)junk);
		assert_false(name_key_is(&k, f, sizeof f));
	}
	/* a name that ends exactly at a word boundary (7 chars + NUL), and the
	 * longest name that fits (cap - 1 chars) */
	const char *names[] = { "ABCDEFG", "ABCDEFGHIJKLMNOPQRSTUVW", "", "X" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		name_key_set(&k, names[i], TH_SYMBOL_MAX);
		field(f, sizeof f, names[i], 'z');
		assert_true(name_key_is(&k, f, sizeof f));
		assert_true(name_key_is_str(&k, names[i]));
		for (size_t j = 0; j < sizeof names / sizeof names[0]; j++) {
			if (j == i)
				continue;
			field(f, sizeof f, names[j], 'z');
			assert_false(name_key_is(&k, f, sizeof f));
			assert_false(name_key_is_str(&k, names[j]));
		}
	}
	/* too long for the field: matches nothing */
	name_key_set(&k, "ABCDEFGHIJKLMNOPQRSTUVWX", TH_SYMBOL_MAX);
	memset(f, 'A', sizeof f);
	f[sizeof f - 1] = '\0';
	assert_false(name_key_is(&k, f, sizeof f));
	assert_false(name_key_is_str(&k, "ABCDEFGHIJKLMNOPQRSTUVWX"));
	/* venue-sized and agent-sized fields */
	char v[TH_VENUE_MAX], a[TH_NAME_MAX];
	name_key_set(&k, "sim", TH_VENUE_MAX);
	field(v, sizeof v, "sim", 'q');
	assert_true(name_key_is(&k, v, sizeof v));
	field(v, sizeof v, "sim2", 'q');
	assert_false(name_key_is(&k, v, sizeof v));
	name_key_set(&k, "an-agent-with-a-long-name-30ch", TH_NAME_MAX);
	field(a, sizeof a, "an-agent-with-a-long-name-30ch", 'q');
	assert_true(name_key_is(&k, a, sizeof a));
	field(a, sizeof a, "an-agent-with-a-long-name-30cX", 'q');
	assert_false(name_key_is(&k, a, sizeof a));
}

static int no_list(void *arg, const char *venue, const void *const known[2], const void *owner[2],
	const th_instrument **list, size_t *n)
{
	(void)arg, (void)venue, (void)known, (void)owner, (void)list, (void)n;
	return -1;
}

static th_event market_event(int type, const char *venue, const char *symbol, th_price px, char junk)
{
	th_event ev;
	memset(&ev, 0, sizeof ev);
	ev.h.type = (uint16_t)type;
	field(ev.h.venue, sizeof ev.h.venue, venue, junk);
	field(ev.h.symbol, sizeof ev.h.symbol, symbol, junk);
	if (type == TH_EV_BAR) {
		ev.u.bar.close = px;
		ev.u.bar.price_scale = 2;
	} else {
		ev.u.trade.price = px;
		ev.u.trade.price_scale = 2;
	}
	return ev;
}

/* Interleaved events for instruments whose names share prefixes, with junk
 * after the names: every price lands in its own slot, and capital is marked
 * as capital_mark() by name marks a reference hierarchy. */
static void test_view_event_slots(void **state)
{
	(void)state;
	char err[256];
	const char *venues[] = { "sim", "sim", "sim", "sim2", "sim" };
	const char *symbols[] = { "BTC-USDT", "BTC-USDT2", "BTC", "BTC-USDT", "ETH-USDT" };
	enum { N = 5 };
	capital_t *ref = capital_create("USDT", err, sizeof err), *fast = capital_create("USDT", err, sizeof err);
	assert_non_null(ref);
	assert_non_null(fast);
	capital_t *both[2] = { ref, fast };
	for (int k = 0; k < 2; k++) {
		assert_int_equal(capital_add_farm(both[k], "F", err, sizeof err), 0);
		assert_int_equal(capital_add_agent(both[k], "A", "F", err, sizeof err), 0);
		assert_int_equal(capital_deposit(both[k], USD(100000)), 0);
		assert_int_equal(capital_allocate(both[k], "master", "F", USD(100000), err, sizeof err), 0);
		assert_int_equal(capital_allocate(both[k], "F", "A", USD(100000), err, sizeof err), 0);
	}
	trading_view *v = trading_view_create(fast, no_list, NULL);
	assert_non_null(v);
	th_instrument ins[N];
	th_price last[N] = { 0 };
	unsigned seed = 7;
	for (int step = 0; step < 400; step++) {
		seed = seed * 1103515245u + 12345u;
		int i = (int)((seed >> 16) % N);
		if (step % 3 == 0)
			i = (step / 3) % N; /* also runs of one instrument */
		th_price px = 1000 + (th_price)((seed >> 8) % 5000);
		int type = (seed & 1) ? TH_EV_BAR : TH_EV_TRADE;
		/* junk after the names on odd steps (those miss the event table) */
		th_event ev = market_event(type, venues[i], symbols[i], px, (char)(step % 2 ? step * 37 : 0));
		if (step == 100) {
			/* capital learns the instruments mid-run: positions make the
			 * marks matter (an open buy of each) */
			for (int j = 0; j < N; j++) {
				ins[j] = test_instrument(venues[j], symbols[j], "X", 2, 3);
				char key[32];
				snprintf(key, sizeof key, "o%d", j);
				for (int k = 0; k < 2; k++) {
					assert_int_equal(capital_reserve(both[k], "A", key, &ins[j], TH_SIDE_BUY, 1000, 1000, 0, 1,
								 err, sizeof err),
						0);
					th_fill fl = test_fill(&ins[j], key, TH_SIDE_BUY, 1000, 1000, 0, "USDT");
					assert_int_equal(capital_fill(both[k], key, &fl, step, err, sizeof err), 0);
				}
			}
		}
		if (type == TH_EV_BAR) {
			int r1 = capital_mark(ref, venues[i], symbols[i], px, 2, step);
			int r2 = trading_view_mark_event(v, &ev, px, 2, step);
			assert_int_equal(r1, r2);
		} else {
			trading_view_set_event_price(v, &ev, px, 2);
		}
		last[i] = px;
		for (int j = 0; j < N; j++) {
			int32_t scale = -1;
			assert_int_equal(trading_view_last_price(v, venues[j], symbols[j], &scale), last[j]);
			if (last[j])
				assert_int_equal(scale, 2);
		}
		if (step >= 100) {
			capital_stats a = test_stats(ref, "A"), b = test_stats(fast, "A");
			assert_int_equal(a.equity, b.equity);
			assert_int_equal(a.unrealized_pnl, b.unrealized_pnl);
		}
	}
	assert_capital_ok(fast);
	trading_view_destroy(v);
	capital_destroy(ref);
	capital_destroy(fast);
}

/* The bar fast path's hot entry (exact header bytes -> slot): a bar of the
 * same instrument after the price slots have moved (many new instruments:
 * realloc) still lands in its own slot and marks capital as by name; a bar
 * with other bytes after the name, or another instrument sharing the first
 * words, is not taken for the hot one. */
static void test_view_hot_mark(void **state)
{
	(void)state;
	char err[256], sym[TH_SYMBOL_MAX];
	capital_t *ref = capital_create("USDT", err, sizeof err), *fast = capital_create("USDT", err, sizeof err);
	assert_non_null(ref);
	assert_non_null(fast);
	capital_t *both[2] = { ref, fast };
	const char *symbols[] = { "BTC-USDT", "BTC-USDT2" };
	th_instrument ins[2];
	for (int k = 0; k < 2; k++) {
		assert_int_equal(capital_add_farm(both[k], "F", err, sizeof err), 0);
		assert_int_equal(capital_add_agent(both[k], "A", "F", err, sizeof err), 0);
		assert_int_equal(capital_deposit(both[k], USD(100000)), 0);
		assert_int_equal(capital_allocate(both[k], "master", "F", USD(100000), err, sizeof err), 0);
		assert_int_equal(capital_allocate(both[k], "F", "A", USD(100000), err, sizeof err), 0);
		for (int j = 0; j < 2; j++) {
			ins[j] = test_instrument("sim", symbols[j], "X", 2, 3);
			char key[32];
			snprintf(key, sizeof key, "o%d", j);
			assert_int_equal(
				capital_reserve(both[k], "A", key, &ins[j], TH_SIDE_BUY, 1000, 1000, 0, 1, err, sizeof err), 0);
			th_fill fl = test_fill(&ins[j], key, TH_SIDE_BUY, 1000, 1000, 0, "USDT");
			assert_int_equal(capital_fill(both[k], key, &fl, 1, err, sizeof err), 0);
		}
	}
	trading_view *v = trading_view_create(fast, no_list, NULL);
	assert_non_null(v);
	int64_t t = 10;
	for (int round = 0; round < 3; round++) {
		for (int rep = 0; rep < 3; rep++) { /* the hot entry fills, then hits */
			th_price px = 1100 + 10 * round + rep;
			th_event ev = market_event(TH_EV_BAR, "sim", symbols[0], px, 0);
			assert_int_equal(trading_view_mark_event(v, &ev, px, 2, t),
				capital_mark(ref, "sim", symbols[0], px, 2, t));
			t++;
			int32_t scale = -1;
			assert_int_equal(trading_view_last_price(v, "sim", symbols[0], &scale), px);
			assert_int_equal(scale, 2);
		}
		/* the same name with junk after it, then the instrument sharing its first word */
		th_price px2 = 900 + round;
		th_event junk = market_event(TH_EV_BAR, "sim", symbols[0], px2, 'z');
		assert_int_equal(trading_view_mark_event(v, &junk, px2, 2, t), capital_mark(ref, "sim", symbols[0], px2, 2, t));
		t++;
		th_event other = market_event(TH_EV_BAR, "sim", symbols[1], px2 + 1, 0);
		assert_int_equal(
			trading_view_mark_event(v, &other, px2 + 1, 2, t), capital_mark(ref, "sim", symbols[1], px2 + 1, 2, t));
		t++;
		int32_t scale;
		assert_int_equal(trading_view_last_price(v, "sim", symbols[0], &scale), px2);
		assert_int_equal(trading_view_last_price(v, "sim", symbols[1], &scale), px2 + 1);
		capital_stats a = test_stats(ref, "A"), b = test_stats(fast, "A");
		assert_int_equal(a.equity, b.equity);
		assert_int_equal(a.unrealized_pnl, b.unrealized_pnl);
		/* move the price slots: many instruments seen for the first time */
		for (int j = 0; j < 40; j++) {
			snprintf(sym, sizeof sym, "N%d-%03d", round, j);
			trading_view_set_price(v, "sim", sym, 1, 2);
		}
	}
	assert_capital_ok(fast);
	trading_view_destroy(v);
	capital_destroy(ref);
	capital_destroy(fast);
}

/* Many instruments, more than the event table has entries: colliding
 * events must still land in their own slots. */
static void test_view_event_table(void **state)
{
	(void)state;
	char err[256], sym[TH_SYMBOL_MAX];
	enum { N = 300 };
	capital_t *c = capital_create("USDT", err, sizeof err);
	trading_view *v = trading_view_create(c, no_list, NULL);
	assert_non_null(v);
	static th_price last[N];
	memset(last, 0, sizeof last);
	unsigned seed = 99;
	for (int step = 0; step < 20000; step++) {
		seed = seed * 1103515245u + 12345u;
		int i = (int)((seed >> 12) % N);
		snprintf(sym, sizeof sym, "S%03d-%s", i % 150, i < 150 ? "USDT" : "USDC");
		th_price px = 1 + (th_price)step;
		th_event ev = market_event(TH_EV_BAR, i % 2 ? "sim" : "sim2", sym, px, 0);
		assert_int_equal(trading_view_mark_event(v, &ev, px, 2, step), TH_OK);
		last[i] = px;
		if (step % 1000 == 999)
			for (int j = 0; j < N; j++) {
				int32_t scale;
				snprintf(sym, sizeof sym, "S%03d-%s", j % 150, j < 150 ? "USDT" : "USDC");
				assert_int_equal(trading_view_last_price(v, j % 2 ? "sim" : "sim2", sym, &scale), last[j]);
			}
	}
	trading_view_destroy(v);
	capital_destroy(c);
}

/* A venue whose list is replaced (hot reload): two generations, the same
 * symbols at different positions. */
typedef struct two_lists {
	th_instrument a[3], b[3];
	int gen;
} two_lists;

static int two_list_fn(void *arg, const char *venue, const void *const known[2], const void *owner[2],
	const th_instrument **list, size_t *n)
{
	two_lists *l = arg;
	(void)known;
	if (strcmp(venue, "sim") != 0)
		return -1;
	owner[0] = l;
	owner[1] = l->gen ? l->b : l->a;
	*list = l->gen ? l->b : l->a;
	*n = 3;
	return 0;
}

/* The instrument found last is answered again without the hash, but never
 * from a list that has been replaced since. */
static void test_view_instrument_after_reload(void **state)
{
	(void)state;
	char err[256];
	capital_t *c = capital_create("USDT", err, sizeof err);
	two_lists l;
	memset(&l, 0, sizeof l);
	const char *syms[3] = { "BTC-USDT", "ETH-USDT", "SOL-USDT" };
	for (int i = 0; i < 3; i++) {
		l.a[i] = test_instrument("sim", syms[i], "X", 2, 3);
		l.b[2 - i] = test_instrument("sim", syms[i], "X", 2, 3);
	}
	trading_view *v = trading_view_create(c, two_list_fn, &l);
	assert_non_null(v);
	for (int round = 0; round < 4; round++) {
		l.gen = round & 1;
		const th_instrument *list = l.gen ? l.b : l.a;
		/* each round starts with the symbol the previous one asked last,
		 * from a list replaced in between */
		static const int order[4] = { 2, 1, 0, 2 };
		for (int k = 0; k < 4; k++) {
			const char *sym = syms[order[k]];
			const th_instrument *got = trading_view_instrument(v, "sim", sym);
			assert_non_null(got);
			assert_true(got >= list && got < list + 3);
			assert_string_equal(got->symbol, sym);
			/* asked again: the remembered answer */
			assert_ptr_equal(trading_view_instrument(v, "sim", sym), got);
		}
	}
	assert_null(trading_view_instrument(v, "sim", "XRP-USDT"));
	assert_null(trading_view_instrument(v, "bin", "BTC-USDT"));
	trading_view_destroy(v);
	capital_destroy(c);
}

/* capital_position_of() returns the record capital_positions() lists for
 * that instrument, flat or not, and NOT_FOUND otherwise. */
static void test_position_of(void **state)
{
	(void)state;
	char err[256];
	capital_t *c = capital_create("USDT", err, sizeof err);
	assert_non_null(c);
	assert_int_equal(capital_add_farm(c, "F", err, sizeof err), 0);
	assert_int_equal(capital_add_agent(c, "A", "F", err, sizeof err), 0);
	assert_int_equal(capital_add_agent(c, "B", "F", err, sizeof err), 0);
	assert_int_equal(capital_deposit(c, USD(100000)), 0);
	assert_int_equal(capital_allocate(c, "master", "F", USD(100000), err, sizeof err), 0);
	assert_int_equal(capital_allocate(c, "F", "A", USD(50000), err, sizeof err), 0);
	th_instrument ins[3] = { test_instrument("sim", "BTC-USDT", "BTC", 2, 3),
		test_instrument("sim", "ETH-USDT", "ETH", 2, 3), test_instrument("sim2", "BTC-USDT", "BTC", 2, 3) };
	const char *keys[] = { "b0", "b1", "b2", "s1" };
	for (int j = 0; j < 3; j++) {
		assert_int_equal(capital_reserve(c, "A", keys[j], &ins[j], TH_SIDE_BUY, 1000 * (j + 1), 2000, USD(1), 0, err,
					 sizeof err),
			0);
		th_fill fl = test_fill(&ins[j], keys[j], TH_SIDE_BUY, 1000 * (j + 1), 2000, CENTS(3), "USDT");
		assert_int_equal(capital_fill(c, keys[j], &fl, 5, err, sizeof err), 0);
	}
	/* ETH closed again: flat, with history */
	assert_int_equal(capital_reserve(c, "A", "s1", &ins[1], TH_SIDE_SELL, 2100, 2000, USD(1), 0, err, sizeof err), 0);
	th_fill fl = test_fill(&ins[1], "s1", TH_SIDE_SELL, 2100, 2000, CENTS(3), "USDT");
	assert_int_equal(capital_fill(c, "s1", &fl, 6, err, sizeof err), 0);
	assert_int_equal(capital_mark(c, "sim", "BTC-USDT", 1234, 2, 7), TH_OK);
	capital_position list[8], one;
	size_t n = capital_positions(c, "A", 1, list, 8);
	assert_int_equal(n, 3);
	for (size_t k = 0; k < n; k++) {
		memset(&one, 0x5A, sizeof one);
		assert_int_equal(capital_position_of(c, "A", list[k].p.venue, list[k].p.symbol, &one), TH_OK);
		assert_memory_equal(&one, &list[k], sizeof one);
	}
	assert_int_equal(capital_position_of(c, "A", "sim", "XRP-USDT", &one), TH_ERR_NOT_FOUND);
	assert_int_equal(capital_position_of(c, "A", "sim3", "BTC-USDT", &one), TH_ERR_NOT_FOUND);
	assert_int_equal(capital_position_of(c, "B", "sim", "BTC-USDT", &one), TH_ERR_NOT_FOUND); /* never traded */
	assert_int_equal(capital_position_of(c, "F", "sim", "BTC-USDT", &one), TH_ERR_NOT_FOUND); /* a farm */
	assert_int_equal(capital_position_of(c, "total", "sim", "BTC-USDT", &one), TH_ERR_NOT_FOUND);
	assert_int_equal(capital_position_of(c, "nobody", "sim", "BTC-USDT", &one), TH_ERR_NOT_FOUND);
	capital_destroy(c);
}

/* A fill as the OMS re-publishes it (header names with junk after them). */
static th_event fill_event(const th_instrument *in, const char *agent, const th_fill *f, int64_t t, char junk)
{
	th_event ev;
	memset(&ev, 0, sizeof ev);
	ev.h.type = TH_EV_FILL;
	ev.h.flags = TH_EVENT_FLAG_OMS;
	ev.h.ts_ns = t;
	field(ev.h.venue, sizeof ev.h.venue, in->venue, junk);
	field(ev.h.symbol, sizeof ev.h.symbol, in->symbol, junk);
	field(ev.h.agent, sizeof ev.h.agent, agent, junk);
	ev.u.fill = *f;
	return ev;
}

typedef struct book_fx {
	capital_t *c;
	trade_book *tb;
	th_instrument btc, eth;
	unsigned n;
	char err[256];
} book_fx;

/* One order of `qty` filled in `parts` fills at time t, booked in capital
 * then shown to the trade book, as the backtest does. */
static void trade(book_fx *f, const char *agent, const th_instrument *in, int side, th_price px, th_qty qty, int parts,
	int64_t t)
{
	char key[32];
	snprintf(key, sizeof key, "k%u", f->n++);
	assert_int_equal(capital_reserve(f->c, agent, key, in, side, px, qty, USD(1), 1, f->err, sizeof f->err), 0);
	for (int p = 0; p < parts; p++) {
		th_fill fl = test_fill(in, key, side, px, qty / parts, CENTS(1), "USDT");
		snprintf(fl.venue_trade_id, sizeof fl.venue_trade_id, "%s-%d", key, p);
		assert_int_equal(capital_fill(f->c, key, &fl, t, f->err, sizeof f->err), 0);
		th_event ev = fill_event(in, agent, &fl, t, (char)(0x41 + p));
		trade_book_on_fill(f->tb, &ev, t);
	}
}

static void test_trade_book(void **state)
{
	(void)state;
	book_fx f;
	memset(&f, 0, sizeof f);
	f.c = capital_create("USDT", f.err, sizeof f.err);
	assert_non_null(f.c);
	assert_int_equal(capital_add_farm(f.c, "F", f.err, sizeof f.err), 0);
	assert_int_equal(capital_add_farm(f.c, "G", f.err, sizeof f.err), 0);
	assert_int_equal(capital_add_agent(f.c, "A", "F", f.err, sizeof f.err), 0);
	assert_int_equal(capital_add_agent(f.c, "C", "G", f.err, sizeof f.err), 0);
	assert_int_equal(capital_deposit(f.c, USD(100000)), 0);
	assert_int_equal(capital_allocate(f.c, "master", "F", USD(50000), f.err, sizeof f.err), 0);
	assert_int_equal(capital_allocate(f.c, "master", "G", USD(50000), f.err, sizeof f.err), 0);
	assert_int_equal(capital_allocate(f.c, "F", "A", USD(50000), f.err, sizeof f.err), 0);
	assert_int_equal(capital_allocate(f.c, "G", "C", USD(50000), f.err, sizeof f.err), 0);
	f.btc = test_instrument("sim", "BTC-USDT", "BTC", 2, 3);
	f.eth = test_instrument("sim", "ETH-USDT", "ETH", 2, 3);
	f.tb = trade_book_create(f.c);
	assert_non_null(f.tb);
	/* A: BTC open 10..30 (closed in two fills of one order: one trade),
	 * ETH open 20..50; C (farm G): BTC open 25..40, then 60..70 */
	trade(&f, "A", &f.btc, TH_SIDE_BUY, 10000, 2000, 2, 10);
	trade(&f, "A", &f.eth, TH_SIDE_BUY, 2000, 1000, 1, 20);
	trade(&f, "C", &f.btc, TH_SIDE_BUY, 10100, 1000, 1, 25);
	trade(&f, "A", &f.btc, TH_SIDE_SELL, 10200, 2000, 2, 30);
	trade(&f, "C", &f.btc, TH_SIDE_SELL, 10000, 1000, 1, 40);
	trade(&f, "A", &f.eth, TH_SIDE_SELL, 2100, 1000, 1, 50);
	trade(&f, "C", &f.btc, TH_SIDE_SELL, 10000, 1000, 1, 60); /* short */
	trade(&f, "C", &f.btc, TH_SIDE_BUY, 9900, 1000, 1, 70);
	trade_book_finish(f.tb, 100);
	assert_int_equal(trade_book_count(f.tb), 4);
	const report_trade *t = trade_book_trades(f.tb);
	const char *agent[] = { "A", "C", "A", "C" }, *farm[] = { "F", "G", "F", "G" };
	const char *sym[] = { "BTC-USDT", "BTC-USDT", "ETH-USDT", "BTC-USDT" };
	int64_t entry[] = { 10, 25, 20, 60 }, exit_[] = { 30, 40, 50, 70 };
	th_qty qty[] = { 2000, 1000, 1000, 1000 };
	th_price exit_px[] = { 10200, 10000, 2100, 9900 };
	for (int i = 0; i < 4; i++) {
		assert_string_equal(t[i].agent, agent[i]);
		assert_string_equal(t[i].farm, farm[i]);
		assert_string_equal(t[i].symbol, sym[i]);
		assert_string_equal(t[i].venue, "sim");
		assert_int_equal(t[i].entry_ns, entry[i]);
		assert_int_equal(t[i].exit_ns, exit_[i]);
		assert_int_equal(t[i].qty, qty[i]);
		assert_int_equal(t[i].exit_price, exit_px[i]);
	}
	assert_int_equal(t[3].side, TH_SIDE_SELL);
	/* PnL: the capital's realized PnL less fees (1 cent per fill) */
	capital_stats a = test_stats(f.c, "A");
	assert_int_equal(t[0].net_pnl + t[2].net_pnl, a.realized_pnl - a.fees);
	/* time in market: A 10..50 = 40, C 25..40 + 60..70 = 25, F = A, G = C,
	 * total: 10..50 and 60..70 = 50 */
	assert_int_equal(trade_book_exposure(f.tb, "A"), 40);
	assert_int_equal(trade_book_exposure(f.tb, "C"), 25);
	assert_int_equal(trade_book_exposure(f.tb, "F"), 40);
	assert_int_equal(trade_book_exposure(f.tb, "G"), 25);
	assert_int_equal(trade_book_exposure(f.tb, "total"), 50);
	trade_book_destroy(f.tb);
	capital_destroy(f.c);
}

/* Trades borrow their names from the book's positions: those must stay put
 * while more positions arrive (a position table that moved on growth left
 * the earlier trades' strings dangling; ASan sees that read). 40 symbols,
 * each opened and closed, so the table grows twice after the first trades. */
static void test_trade_book_many_positions(void **state)
{
	(void)state;
	book_fx f;
	enum { NSYM = 40 };
	th_instrument ins[NSYM];
	char sym[NSYM][16];
	memset(&f, 0, sizeof f);
	f.c = capital_create("USDT", f.err, sizeof f.err);
	assert_non_null(f.c);
	assert_int_equal(capital_add_farm(f.c, "F", f.err, sizeof f.err), 0);
	assert_int_equal(capital_add_agent(f.c, "A", "F", f.err, sizeof f.err), 0);
	assert_int_equal(capital_deposit(f.c, USD(1000000)), 0);
	assert_int_equal(capital_allocate(f.c, "master", "F", USD(1000000), f.err, sizeof f.err), 0);
	assert_int_equal(capital_allocate(f.c, "F", "A", USD(1000000), f.err, sizeof f.err), 0);
	f.tb = trade_book_create(f.c);
	assert_non_null(f.tb);
	for (int i = 0; i < NSYM; i++) {
		ins[i] = test_instrument(i % 2 ? "simB" : "simA", "X", "X", 2, 3);
		snprintf(ins[i].base, sizeof ins[i].base, "C%d", i);
		snprintf(sym[i], sizeof sym[i], "C%d-USDT", i);
		memcpy(ins[i].symbol, sym[i], sizeof sym[i]);
		trade(&f, "A", &ins[i], TH_SIDE_BUY, 1000 + i, 1000, 1, 10 * i + 1);
		trade(&f, "A", &ins[i], TH_SIDE_SELL, 1100 + i, 1000, 1, 10 * i + 5);
	}
	assert_int_equal(trade_book_count(f.tb), NSYM);
	const report_trade *t = trade_book_trades(f.tb);
	for (int i = 0; i < NSYM; i++) {
		assert_string_equal(t[i].agent, "A");
		assert_string_equal(t[i].farm, "F");
		assert_string_equal(t[i].symbol, sym[i]);
		assert_string_equal(t[i].venue, i % 2 ? "simB" : "simA");
		assert_int_equal(t[i].entry_ns, 10 * i + 1);
		assert_int_equal(t[i].exit_ns, 10 * i + 5);
		assert_int_equal(t[i].exit_price, 1100 + i);
	}
	trade_book_destroy(f.tb);
	capital_destroy(f.c);
}

/* capital_position_ref_of / _core_at answer the four figures capital_position_of
 * gives, and a reference taken early still names its position after other
 * agents, instruments and positions were added (what could invalidate it:
 * wallets or positions moving, which capital never does). */
static void test_position_ref(void **state)
{
	(void)state;
	char err[256];
	capital_t *c = capital_create("USDT", err, sizeof err);
	assert_non_null(c);
	assert_int_equal(capital_add_farm(c, "F", err, sizeof err), 0);
	assert_int_equal(capital_add_agent(c, "A", "F", err, sizeof err), 0);
	assert_int_equal(capital_deposit(c, USD(100000)), 0);
	assert_int_equal(capital_allocate(c, "master", "F", USD(100000), err, sizeof err), 0);
	assert_int_equal(capital_allocate(c, "F", "A", USD(50000), err, sizeof err), 0);
	th_instrument btc = test_instrument("sim", "BTC-USDT", "BTC", 2, 3);
	th_instrument eth = test_instrument("sim", "ETH-USDT", "ETH", 2, 3);
	capital_position_ref ref, other;
	capital_position_core a;
	capital_position full;
	assert_int_equal(capital_position_ref_of(c, "A", "sim", "BTC-USDT", &ref), TH_ERR_NOT_FOUND);
	assert_int_equal(capital_reserve(c, "A", "k1", &btc, TH_SIDE_BUY, 10000, 2000, USD(1), 1, err, sizeof err), 0);
	th_fill fl = test_fill(&btc, "k1", TH_SIDE_BUY, 10000, 2000, CENTS(1), "USDT");
	assert_int_equal(capital_fill(c, "k1", &fl, 1, err, sizeof err), 0);
	assert_int_equal(capital_position_ref_of(c, "A", "sim", "BTC-USDT", &ref), TH_OK);
	/* more wallets and positions after the reference was taken */
	assert_int_equal(capital_add_agent(c, "B", "F", err, sizeof err), 0);
	assert_int_equal(capital_allocate(c, "F", "B", USD(50000), err, sizeof err), 0);
	assert_int_equal(capital_reserve(c, "A", "k2", &eth, TH_SIDE_BUY, 2000, 1000, USD(1), 1, err, sizeof err), 0);
	fl = test_fill(&eth, "k2", TH_SIDE_BUY, 2000, 1000, CENTS(1), "USDT");
	assert_int_equal(capital_fill(c, "k2", &fl, 2, err, sizeof err), 0);
	assert_int_equal(capital_reserve(c, "A", "k3", &btc, TH_SIDE_SELL, 10500, 500, USD(1), 1, err, sizeof err), 0);
	fl = test_fill(&btc, "k3", TH_SIDE_SELL, 10500, 500, CENTS(1), "USDT");
	assert_int_equal(capital_fill(c, "k3", &fl, 3, err, sizeof err), 0);
	memset(&a, 0x5A, sizeof a);
	assert_int_equal(capital_position_core_at(c, ref, &a), TH_OK);
	assert_int_equal(capital_position_of(c, "A", "sim", "BTC-USDT", &full), TH_OK);
	assert_int_equal(a.qty, full.p.qty);
	assert_int_equal(a.avg_price, full.p.avg_price);
	assert_int_equal(a.realized_pnl, full.p.realized_pnl);
	assert_int_equal(a.fees, full.p.fees);
	assert_int_equal(a.qty, 1500);
	assert_int_equal(capital_position_ref_of(c, "A", "sim", "ETH-USDT", &other), TH_OK);
	assert_int_equal(capital_position_core_at(c, other, &a), TH_OK);
	assert_int_equal(a.qty, 1000);
	/* not agents' positions */
	assert_int_equal(capital_position_ref_of(c, "F", "sim", "BTC-USDT", &other), TH_ERR_NOT_FOUND);
	assert_int_equal(capital_position_ref_of(c, "B", "sim", "BTC-USDT", &other), TH_ERR_NOT_FOUND);
	capital_position_ref bad = { ref.wallet, 7 };
	assert_int_equal(capital_position_core_at(c, bad, &a), TH_ERR_NOT_FOUND);
	bad = (capital_position_ref){ 0, 0 }; /* the master wallet */
	assert_int_equal(capital_position_core_at(c, bad, &a), TH_ERR_NOT_FOUND);
	bad = (capital_position_ref){ -1, 0 };
	assert_int_equal(capital_position_core_at(c, bad, &a), TH_ERR_NOT_FOUND);
	bad = (capital_position_ref){ 99, 0 };
	assert_int_equal(capital_position_core_at(c, bad, &a), TH_ERR_NOT_FOUND);
	capital_destroy(c);
}

/* The 128-bit references the trade book's arithmetic replaced. */
static int ref_muldiv(int64_t a, int64_t b, int64_t d, int64_t *out)
{
	return th_fixed_muldiv(a, b, d, out);
}

static th_price ref_weighted(th_price pa, th_qty qa, th_price pb, th_qty qb)
{
	__extension__ __int128 sum = (__int128)pa * qa + (__int128)pb * qb;
	return (th_price)(sum / (qa + qb));
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static int64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	/* mostly small magnitudes (the usual fees and prices), some huge */
	int64_t v = (int64_t)(rng_state >> 1);
	switch (rng_state & 3) {
	case 0: return v % 1000;
	case 1: return v % 100000000;
	case 2: return v % 4000000000LL;
	default: return (rng_state & 4) ? v : -v;
	}
}

static void test_trade_math_matches_128(void **state)
{
	(void)state;
	const int64_t edge[] = { 0, 1, -1, 2, -2, 3, 7, -7, 999, 1000, -1000, 3037000499LL, 3037000500LL, -3037000500LL,
		INT64_MAX, INT64_MIN + 1, INT64_MAX / 2, INT64_MIN / 2 };
	const size_t ne = sizeof edge / sizeof edge[0];
	for (size_t i = 0; i < ne; i++)
		for (size_t j = 0; j < ne; j++)
			for (size_t k = 0; k < ne; k++) {
				int64_t d = edge[k], fast = 12345, ref = 12345;
				muldiv_round(edge[i], edge[j], d, &fast);
				ref_muldiv(edge[i], edge[j], d, &ref);
				assert_int_equal(fast, ref);
				/* weighted price: positive quantities whose sum fits */
				int64_t qa = edge[j] < 0 ? -edge[j] : edge[j], qb = d < 0 ? -d : d;
				if (qa == INT64_MIN || qb == INT64_MIN || qa > INT64_MAX - qb || qa + qb == 0)
					continue;
				__extension__ __int128 wide = (__int128)edge[i] * qa + (__int128)edge[k] * qb;
				if (wide / (qa + qb) > INT64_MAX || wide / (qa + qb) < INT64_MIN)
					continue;
				assert_int_equal(weighted_price(edge[i], qa, edge[k], qb), ref_weighted(edge[i], qa, edge[k], qb));
			}
	for (int n = 0; n < 200000; n++) {
		int64_t a = rnd(), b = rnd(), d = rnd(), fast = 1, ref = 1;
		muldiv_round(a, b, d, &fast);
		ref_muldiv(a, b, d, &ref);
		assert_int_equal(fast, ref);
		int64_t pa = rnd(), pb = rnd(), qa = rnd(), qb = rnd();
		qa = qa < 0 ? -(qa / 2) : qa / 2;
		qb = qb < 0 ? -(qb / 2) : qb / 2;
		if (qa + qb <= 0)
			continue;
		__extension__ __int128 wide = (__int128)pa * qa + (__int128)pb * qb;
		if (wide / (qa + qb) > INT64_MAX || wide / (qa + qb) < INT64_MIN)
			continue;
		assert_int_equal(weighted_price(pa, qa, pb, qb), ref_weighted(pa, qa, pb, qb));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_key),
		cmocka_unit_test(test_view_event_slots),
		cmocka_unit_test(test_view_event_table),
		cmocka_unit_test(test_view_hot_mark),
		cmocka_unit_test(test_view_instrument_after_reload),
		cmocka_unit_test(test_position_of),
		cmocka_unit_test(test_trade_book),
		cmocka_unit_test(test_trade_book_many_positions),
		cmocka_unit_test(test_position_ref),
		cmocka_unit_test(test_trade_math_matches_128),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
