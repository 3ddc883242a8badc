/*
 * Tests for replay sources: merge order across CSV files (ties by input
 * order), from/to filtering, resampling inside the source (with and without
 * a partial last bar), error propagation, and the synthetic source.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "market/source.h"

#define DATA TH_MARKET_DATA_DIR "/"
#define SEC 1000000000LL
#define MIN (60 * SEC)
#define T0 (1704067200LL * SEC) /* 2024-01-01T00:00:00Z */

static market_csv_input input(const char *path, const char *symbol)
{
	market_csv_input in;
	memset(&in, 0, sizeof in);
	in.path = path;
	th_strlcpy(in.instrument.venue, "binance", sizeof in.instrument.venue);
	th_strlcpy(in.instrument.symbol, symbol, sizeof in.instrument.symbol);
	in.instrument.price_scale = 2;
	in.instrument.qty_scale = 1;
	in.instrument.tick = 1;
	in.instrument.lot = 1;
	in.format = CSV_BARS_AUTO;
	return in;
}

typedef struct seen {
	char symbol[TH_SYMBOL_MAX];
	int64_t ts_minute;   /* h.ts_ns in minutes after T0 */
	int64_t open_minute; /* bar open in minutes after T0 */
	th_bar bar;
} seen;

/* Drain a source; returns the number of events. */
static size_t drain(market_source *src, seen *out, size_t cap)
{
	char err[512];
	th_event ev;
	size_t n = 0;
	int rc;
	while ((rc = market_source_next(src, &ev, err, sizeof err)) == 1) {
		assert_true(n < cap);
		assert_int_equal(ev.h.type, TH_EV_BAR);
		assert_string_equal(ev.h.venue, "binance");
		assert_int_equal(ev.h.size, th_event_size(&ev));
		assert_int_equal(ev.h.ts_ns, ev.u.bar.open_time_ns + ev.u.bar.interval_ns);
		th_strlcpy(out[n].symbol, ev.h.symbol, sizeof out[n].symbol);
		out[n].ts_minute = (ev.h.ts_ns - T0) / MIN;
		out[n].open_minute = (ev.u.bar.open_time_ns - T0) / MIN;
		out[n].bar = ev.u.bar;
		n++;
	}
	if (rc != 0)
		fail_msg("source: %s", err);
	return n;
}

static void expect_seq(const seen *got, size_t n, const char *const *symbols, const int *open_minutes, size_t want)
{
	assert_int_equal(n, want);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(got[i].symbol, symbols[i]);
		assert_int_equal(got[i].open_minute, open_minutes[i]);
	}
}

static void test_merge_order(void **state)
{
	(void)state;
	char err[512];
	seen got[32];
	market_csv_input in[2] = { input(DATA "source_btc.csv", "BTCUSDT"), input(DATA "source_eth.csv", "ETHUSDT") };
	market_source *src = market_source_csv(in, 2, NULL, err, sizeof err);
	assert_non_null(src);
	size_t ni;
	const th_instrument *ins = market_source_instruments(src, &ni);
	assert_int_equal(ni, 2);
	assert_string_equal(ins[1].symbol, "ETHUSDT");
	size_t n = drain(src, got, 32);
	market_source_destroy(src);
	/* by close time; at equal times the first input goes first */
	static const char *const sym[] = { "BTCUSDT", "BTCUSDT", "ETHUSDT", "BTCUSDT", "ETHUSDT",
		                               "ETHUSDT", "BTCUSDT", "BTCUSDT", "ETHUSDT", "BTCUSDT" };
	static const int open[] = { 0, 1, 1, 2, 2, 3, 4, 5, 5, 6 };
	expect_seq(got, n, sym, open, 10);
	assert_int_equal(got[0].bar.open, 10000); /* "100" at price scale 2 */
	assert_int_equal(got[0].bar.volume, 10);  /* "1" at qty scale 1 */
	assert_int_equal(got[5].bar.close, 1300);
	for (size_t i = 1; i < n; i++)
		assert_true(got[i].ts_minute >= got[i - 1].ts_minute);

	/* swapping the inputs swaps the ties, nothing else */
	market_csv_input rev[2] = { in[1], in[0] };
	src = market_source_csv(rev, 2, NULL, err, sizeof err);
	n = drain(src, got, 32);
	market_source_destroy(src);
	static const char *const sym2[] = { "BTCUSDT", "ETHUSDT", "BTCUSDT", "ETHUSDT", "BTCUSDT",
		                                "ETHUSDT", "BTCUSDT", "ETHUSDT", "BTCUSDT", "BTCUSDT" };
	static const int open2[] = { 0, 1, 1, 2, 2, 3, 4, 5, 5, 6 };
	expect_seq(got, n, sym2, open2, 10);
}

static void test_from_to(void **state)
{
	(void)state;
	char err[512];
	seen got[32];
	market_csv_input in[2] = { input(DATA "source_btc.csv", "BTCUSDT"), input(DATA "source_eth.csv", "ETHUSDT") };
	market_source_options o = { T0 + 2 * MIN, T0 + 5 * MIN, 0, 0 };
	market_source *src = market_source_csv(in, 2, &o, err, sizeof err);
	assert_non_null(src);
	size_t n = drain(src, got, 32);
	market_source_destroy(src);
	static const char *const sym[] = { "BTCUSDT", "ETHUSDT", "ETHUSDT", "BTCUSDT" };
	static const int open[] = { 2, 2, 3, 4 };
	expect_seq(got, n, sym, open, 4);

	/* only a start */
	o.to_ns = 0;
	o.from_ns = T0 + 5 * MIN;
	src = market_source_csv(in, 2, &o, err, sizeof err);
	n = drain(src, got, 32);
	market_source_destroy(src);
	static const char *const sym2[] = { "BTCUSDT", "ETHUSDT", "BTCUSDT" };
	static const int open2[] = { 5, 5, 6 };
	expect_seq(got, n, sym2, open2, 3);

	/* an empty range is refused */
	o.from_ns = T0 + 5 * MIN;
	o.to_ns = T0 + 5 * MIN;
	assert_null(market_source_csv(in, 2, &o, err, sizeof err));
	assert_non_null(strstr(err, "must be after from_ns"));
}

static void check_bar(const th_bar *b, th_price o, th_price h, th_price l, th_price c, th_qty v)
{
	assert_int_equal(b->interval_ns, 5 * MIN);
	assert_int_equal(b->open, o);
	assert_int_equal(b->high, h);
	assert_int_equal(b->low, l);
	assert_int_equal(b->close, c);
	assert_int_equal(b->volume, v);
}

static void test_resampled(void **state)
{
	(void)state;
	char err[512];
	seen got[32];
	market_csv_input in[2] = { input(DATA "source_btc.csv", "BTCUSDT"), input(DATA "source_eth.csv", "ETHUSDT") };

	/* without flush the open 00:05 period is dropped at the end of the data */
	market_source_options o = { 0, 0, 5 * MIN, 0 };
	market_source *src = market_source_csv(in, 2, &o, err, sizeof err);
	size_t n = drain(src, got, 32);
	market_source_destroy(src);
	assert_int_equal(n, 2);
	assert_string_equal(got[0].symbol, "BTCUSDT");
	assert_int_equal(got[0].ts_minute, 5);
	check_bar(&got[0].bar, 10000, 10500, 9900, 10400, 100); /* minutes 0,1,2,4 (gap at 3) */
	assert_string_equal(got[1].symbol, "ETHUSDT");
	check_bar(&got[1].bar, 1000, 1400, 900, 1300, 600); /* minutes 1,2,3 */

	/* with flush the partial period is emitted too */
	o.flush_partial = 1;
	src = market_source_csv(in, 2, &o, err, sizeof err);
	n = drain(src, got, 32);
	market_source_destroy(src);
	assert_int_equal(n, 4);
	assert_string_equal(got[2].symbol, "BTCUSDT");
	assert_int_equal(got[2].open_minute, 5);
	check_bar(&got[2].bar, 10400, 10700, 10300, 10600, 110);
	assert_string_equal(got[3].symbol, "ETHUSDT");
	check_bar(&got[3].bar, 1300, 1500, 1200, 1400, 400);

	/* a `to` at the period end proves it complete without any flush */
	o.flush_partial = 0;
	o.to_ns = T0 + 10 * MIN;
	src = market_source_csv(in, 2, &o, err, sizeof err);
	n = drain(src, got, 32);
	market_source_destroy(src);
	assert_int_equal(n, 4);

	/* 90 s is not a multiple of the files' 1m */
	o.resample_ns = 90 * SEC;
	o.to_ns = 0;
	src = market_source_csv(in, 2, &o, err, sizeof err);
	assert_non_null(src);
	th_event ev;
	assert_int_equal(market_source_next(src, &ev, err, sizeof err), -1);
	assert_string_equal(err, DATA "source_btc.csv: resample: target interval 90s is not a multiple of the source "
	                              "interval 1m");
	market_source_destroy(src);
}

static void test_errors(void **state)
{
	(void)state;
	char err[512];
	th_event ev;
	market_csv_input in[2] = { input(DATA "source_btc.csv", "BTCUSDT"), input(DATA "bad_junk.csv", "ETHUSDT") };
	in[1].instrument.price_scale = 2;
	market_source *src = market_source_csv(in, 2, NULL, err, sizeof err);
	assert_non_null(src);
	int rc;
	while ((rc = market_source_next(src, &ev, err, sizeof err)) == 1)
		;
	assert_int_equal(rc, -1);
	assert_string_equal(err, DATA "bad_junk.csv:3: column 3 (high): \"abc\" is not a decimal number");
	assert_int_equal(market_source_next(src, &ev, err, sizeof err), -1); /* stays failed */
	market_source_destroy(src);

	in[1] = input(DATA "no_such_file.csv", "ETHUSDT");
	assert_null(market_source_csv(in, 2, NULL, err, sizeof err));
	assert_string_equal(err, DATA "no_such_file.csv: cannot open: No such file or directory");

	in[1] = input(DATA "source_eth.csv", "BTCUSDT");
	assert_null(market_source_csv(in, 2, NULL, err, sizeof err));
	assert_non_null(strstr(err, "symbol BTCUSDT on venue \"binance\" is already fed by"));
}

static void synth_cfg(synth_config *c)
{
	synth_config_defaults(c);
	synth_config_add_symbol(c, "BTCUSDT", 2, 5, 6000000, 1, 1);
	synth_config_add_symbol(c, "ETHUSDT", 2, 4, 300000, 1, 1);
	c->trades_per_bar = 5;
	c->max_bars = 50;
}

static void test_synth_source(void **state)
{
	(void)state;
	char err[512];
	synth_config c;
	synth_cfg(&c);
	synth_t *direct = synth_create(&c, err, sizeof err);
	market_source *src = market_source_synth(&c, NULL, err, sizeof err);
	assert_non_null(direct);
	assert_non_null(src);
	th_event a, b;
	size_t n = 0;
	while (synth_next(direct, &a) == 1) {
		assert_int_equal(market_source_next(src, &b, err, sizeof err), 1);
		/* the bytes that travel on the bus (header + used payload) */
		assert_int_equal(th_event_size(&a), th_event_size(&b));
		assert_memory_equal(&a, &b, th_event_size(&a));
		n++;
	}
	assert_int_equal(n, 50 * 2 * (2 * 5 + 1));
	assert_int_equal(market_source_next(src, &b, err, sizeof err), 0);
	market_source_destroy(src);
	synth_destroy(direct);

	/* a range: only events inside it, and it ends without max_bars */
	c.max_bars = 0;
	market_source_options o = { c.start_time_ns + 10 * MIN, c.start_time_ns + 20 * MIN, 0, 0 };
	src = market_source_synth(&c, &o, err, sizeof err);
	size_t bars = 0, others = 0;
	while (market_source_next(src, &b, err, sizeof err) == 1) {
		if (b.h.type == TH_EV_BAR) {
			assert_true(b.u.bar.open_time_ns >= o.from_ns && b.u.bar.open_time_ns < o.to_ns);
			bars++;
		} else {
			assert_true(b.h.ts_ns >= o.from_ns && b.h.ts_ns < o.to_ns);
			others++;
		}
	}
	assert_int_equal(bars, 20);
	assert_int_equal(others, 10 * 2 * 2 * 5);
	market_source_destroy(src);
}

static void test_synth_source_resampled(void **state)
{
	(void)state;
	char err[512];
	synth_config c;
	synth_cfg(&c);
	c.max_bars = 12; /* 00:00–00:11: two whole 5m bars and a partial one */
	synth_t *direct = synth_create(&c, err, sizeof err);
	th_event ev;
	th_bar one[2][12];
	size_t k[2] = { 0, 0 };
	while (synth_next(direct, &ev) == 1)
		if (ev.h.type == TH_EV_BAR) {
			size_t sym = strcmp(ev.h.symbol, "BTCUSDT") == 0 ? 0 : 1;
			one[sym][k[sym]++] = ev.u.bar;
		}
	synth_destroy(direct);

	market_source_options o = { 0, 0, 5 * MIN, 0 };
	market_source *src = market_source_synth(&c, &o, err, sizeof err);
	size_t nbars = 0, ntrades = 0;
	while (market_source_next(src, &ev, err, sizeof err) == 1) {
		if (ev.h.type != TH_EV_BAR) {
			ntrades++;
			continue;
		}
		size_t sym = strcmp(ev.h.symbol, "BTCUSDT") == 0 ? 0 : 1;
		const th_bar *b = &ev.u.bar;
		size_t first = (size_t)((b->open_time_ns - c.start_time_ns) / MIN);
		assert_int_equal(b->interval_ns, 5 * MIN);
		assert_int_equal(ev.h.ts_ns, b->open_time_ns + 5 * MIN);
		assert_int_equal(b->open, one[sym][first].open);
		assert_int_equal(b->close, one[sym][first + 4].close);
		th_price hi = 0, lo = INT64_MAX;
		th_qty v = 0;
		for (size_t m = first; m < first + 5; m++) {
			hi = one[sym][m].high > hi ? one[sym][m].high : hi;
			lo = one[sym][m].low < lo ? one[sym][m].low : lo;
			v += one[sym][m].volume;
		}
		assert_int_equal(b->high, hi);
		assert_int_equal(b->low, lo);
		assert_int_equal(b->volume, v);
		assert_int_equal(b->trades, 25);
		nbars++;
	}
	assert_int_equal(nbars, 4); /* the partial 00:10 period is not flushed */
	assert_int_equal(ntrades, 12 * 2 * 2 * 5);
	market_source_destroy(src);

	/* 90 s is not a multiple of the generator's 60 s bars */
	o.resample_ns = 90 * SEC;
	assert_null(market_source_synth(&c, &o, err, sizeof err));
	assert_string_equal(err, "resample: target interval 90s is not a multiple of the source interval 1m");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_merge_order),
		cmocka_unit_test(test_from_to),
		cmocka_unit_test(test_resampled),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_synth_source),
		cmocka_unit_test(test_synth_source_resampled),
	};
	return cmocka_run_group_tests_name("market_source", tests, NULL, NULL);
}
