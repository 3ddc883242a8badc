/*
 * Tests for the OHLCV CSV importer: generic (Unix s/ms, ISO-8601, header
 * mapping, quotes/CRLF/BOM) and Binance klines (ms, µs, mixed), exact
 * fixed-point values, rounding, and the exact file:line message for each
 * kind of bad row.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "market/csv_bars.h"
#include "market/market_time.h"

#define DATA TH_MARKET_DATA_DIR "/"
#define SEC 1000000000LL

static csv_bars_options opts(int32_t ps, int32_t qs)
{
	csv_bars_options o = { CSV_BARS_AUTO, ps, qs, 0, MARKET_ROUND_REJECT };
	return o;
}

/* Read all bars of a file into out[]; returns the count, fails the test on error. */
static size_t read_all(const char *path, const csv_bars_options *o, th_bar *out, size_t cap)
{
	char err[512] = "";
	csv_bars *r = csv_bars_open(path, o, err, sizeof err);
	if (!r)
		fail_msg("open %s: %s", path, err);
	size_t n = 0;
	int rc;
	while ((rc = csv_bars_next(r, &out[n], err, sizeof err)) == 1) {
		n++;
		assert_true(n <= cap);
	}
	if (rc != 0)
		fail_msg("read %s: %s", path, err);
	csv_bars_close(r);
	return n;
}

/* Read a file that must fail; returns the message. */
static void expect_error(const char *name, const csv_bars_options *o, const char *expected_tail)
{
	char path[512], err[512] = "", want[1024];
	snprintf(path, sizeof path, DATA "%s", name);
	csv_bars *r = csv_bars_open(path, o, err, sizeof err);
	int rc = 1;
	if (r) {
		th_bar b;
		while ((rc = csv_bars_next(r, &b, err, sizeof err)) == 1)
			;
		csv_bars_close(r);
	}
	assert_int_equal(rc, -1);
	snprintf(want, sizeof want, "%s%s", path, expected_tail);
	assert_string_equal(err, want);
}

static void test_generic_unix_seconds(void **state)
{
	(void)state;
	th_bar b[8];
	csv_bars_options o = opts(2, 8);
	size_t n = read_all(DATA "generic_unix.csv", &o, b, 8);
	assert_int_equal(n, 5);
	assert_int_equal(b[0].open_time_ns, 1704067200LL * SEC);
	assert_int_equal(b[0].interval_ns, 60 * SEC);
	assert_int_equal(b[0].open, 4200010);
	assert_int_equal(b[0].high, 4201000);
	assert_int_equal(b[0].low, 4199050);
	assert_int_equal(b[0].close, 4200525);
	assert_int_equal(b[0].volume, 150000000);
	assert_int_equal(b[0].price_scale, 2);
	assert_int_equal(b[0].qty_scale, 8);
	assert_int_equal(b[3].high, 4199999);
	assert_int_equal(b[3].volume, 300000000);
	assert_int_equal(b[4].open_time_ns, 1704067440LL * SEC);
	assert_int_equal(b[4].interval_ns, 60 * SEC);
	assert_int_equal(b[4].volume, 112500000);
}

static void test_generic_iso_header_mapping(void **state)
{
	(void)state;
	th_bar b[8];
	csv_bars_options o = opts(2, 3);
	size_t n = read_all(DATA "generic_iso.csv", &o, b, 8);
	assert_int_equal(n, 3);
	/* columns in a different order, plus Trades and an ignored Note column */
	assert_int_equal(b[0].open_time_ns, 1704067200LL * SEC);
	assert_int_equal(b[0].open, 10000);
	assert_int_equal(b[0].high, 10100);
	assert_int_equal(b[0].low, 9950);
	assert_int_equal(b[0].close, 10050);
	assert_int_equal(b[0].volume, 10000);
	assert_int_equal(b[0].trades, 3);
	assert_int_equal(b[0].interval_ns, 300 * SEC); /* inferred from the first two rows */
	assert_int_equal(b[1].low, 10025);
	assert_int_equal(b[1].volume, 12500);
	assert_int_equal(b[2].open_time_ns, (1704067200LL + 900) * SEC); /* a gap is fine */
	assert_int_equal(b[2].volume, 0);
}

static void test_generic_ms_crlf_quotes_bom(void **state)
{
	(void)state;
	th_bar b[4];
	csv_bars_options o = opts(4, 0);
	size_t n = read_all(DATA "generic_ms_crlf.csv", &o, b, 4);
	assert_int_equal(n, 2);
	assert_int_equal(b[0].open_time_ns, 1704067200000LL * 1000000);
	assert_int_equal(b[0].open, 11000);
	assert_int_equal(b[0].close, 11500);
	assert_int_equal(b[1].volume, 2000);
	assert_int_equal(b[1].interval_ns, 60 * SEC);
}

static void test_binance_milliseconds(void **state)
{
	(void)state;
	th_bar b[4];
	csv_bars_options o = opts(2, 5);
	char err[256];
	csv_bars *r = csv_bars_open(DATA "binance_ms.csv", &o, err, sizeof err);
	assert_non_null(r);
	assert_int_equal(csv_bars_detected_format(r), CSV_BARS_BINANCE);
	csv_bars_close(r);
	size_t n = read_all(DATA "binance_ms.csv", &o, b, 4);
	assert_int_equal(n, 3);
	assert_int_equal(b[0].open_time_ns, 1704067200000LL * 1000000);
	assert_int_equal(b[0].interval_ns, 60 * SEC); /* close time − open time + 1 ms */
	assert_int_equal(b[0].open, 4228358);
	assert_int_equal(b[0].high, 4229862);
	assert_int_equal(b[0].low, 4226102);
	assert_int_equal(b[0].close, 4229861);
	assert_int_equal(b[0].volume, 3592724); /* 35.92724 at qty scale 5 */
	assert_int_equal(b[0].trades, 1327);
	assert_int_equal(b[2].open_time_ns, 1704067320000LL * 1000000);
	assert_int_equal(b[2].close, 4232550);
}

static void test_binance_microseconds(void **state)
{
	(void)state;
	th_bar b[4];
	csv_bars_options o = opts(2, 8);
	size_t n = read_all(DATA "binance_us.csv", &o, b, 4);
	assert_int_equal(n, 3);
	assert_int_equal(b[0].open_time_ns, 1735689600000000LL * 1000); /* 2025-01-01T00:00:00Z */
	assert_int_equal(b[0].interval_ns, 60 * SEC);                   /* close − open + 1 µs */
	assert_int_equal(b[0].open, 9357600);
	assert_int_equal(b[0].volume, 821827000);
	assert_int_equal(b[1].high, 9365281);
	assert_int_equal(b[2].trades, 1266);
}

static void test_binance_mixed_eras(void **state)
{
	(void)state;
	th_bar b[4];
	csv_bars_options o = opts(2, 8);
	o.format = CSV_BARS_BINANCE;
	size_t n = read_all(DATA "binance_mixed.csv", &o, b, 4);
	assert_int_equal(n, 2);
	assert_int_equal(b[0].open_time_ns, 1735689540000LL * 1000000);
	assert_int_equal(b[1].open_time_ns, 1735689600000000LL * 1000);
	assert_int_equal(b[1].open_time_ns - b[0].open_time_ns, 60 * SEC);
}

static void test_trailing_zeros_are_exact_but_digits_are_not(void **state)
{
	(void)state;
	/* 8-decimal Binance values at price scale 2 are exact; at scale 1 they are not */
	th_bar b[4];
	csv_bars_options o = opts(1, 8);
	char err[512], want[512];
	csv_bars *r = csv_bars_open(DATA "binance_ms.csv", &o, err, sizeof err);
	assert_non_null(r);
	assert_int_equal(csv_bars_next(r, &b[0], err, sizeof err), -1);
	snprintf(want, sizeof want,
	         DATA "binance_ms.csv:1: column 2 (open): \"42283.58000000\" has more fractional digits than the price "
	              "scale 1 allows");
	assert_string_equal(err, want);
	/* stays failed */
	assert_int_equal(csv_bars_next(r, &b[0], err, sizeof err), -1);
	csv_bars_close(r);
}

static void test_rounding_modes(void **state)
{
	(void)state;
	th_bar b[4];
	csv_bars_options o = opts(2, 0);
	o.rounding = MARKET_ROUND_HALF_EVEN;
	assert_int_equal(read_all(DATA "bad_decimals.csv", &o, b, 4), 2);
	assert_int_equal(b[1].open, 10050); /* 100.505 → tie → even */
	o.rounding = MARKET_ROUND_HALF_AWAY;
	assert_int_equal(read_all(DATA "bad_decimals.csv", &o, b, 4), 2);
	assert_int_equal(b[1].open, 10051);
}

static void test_decimal_parser(void **state)
{
	(void)state;
	int64_t v = 0;
	assert_int_equal(market_decimal_parse("12.3400", 7, 2, MARKET_ROUND_REJECT, &v), MARKET_DEC_OK);
	assert_int_equal(v, 1234);
	assert_int_equal(market_decimal_parse("-0.005", 6, 2, MARKET_ROUND_HALF_AWAY, &v), MARKET_DEC_OK);
	assert_int_equal(v, -1);
	assert_int_equal(market_decimal_parse("-0.005", 6, 2, MARKET_ROUND_HALF_EVEN, &v), MARKET_DEC_OK);
	assert_int_equal(v, 0);
	assert_int_equal(market_decimal_parse("0.0151", 6, 2, MARKET_ROUND_HALF_EVEN, &v), MARKET_DEC_OK);
	assert_int_equal(v, 2);
	assert_int_equal(market_decimal_parse("7.", 2, 3, MARKET_ROUND_REJECT, &v), MARKET_DEC_OK);
	assert_int_equal(v, 7000);
	assert_int_equal(market_decimal_parse(".5", 2, 1, MARKET_ROUND_REJECT, &v), MARKET_DEC_OK);
	assert_int_equal(v, 5);
	assert_int_equal(market_decimal_parse("1.2.3", 5, 2, MARKET_ROUND_REJECT, &v), MARKET_DEC_SYNTAX);
	assert_int_equal(market_decimal_parse(".", 1, 2, MARKET_ROUND_REJECT, &v), MARKET_DEC_SYNTAX);
	assert_int_equal(market_decimal_parse("1e5", 3, 2, MARKET_ROUND_REJECT, &v), MARKET_DEC_SYNTAX);
	assert_int_equal(market_decimal_parse("0.001", 5, 2, MARKET_ROUND_REJECT, &v), MARKET_DEC_PRECISION);
	assert_int_equal(market_decimal_parse("99999999999", 11, 9, MARKET_ROUND_REJECT, &v), MARKET_DEC_RANGE);
}

static int64_t iso(const char *s)
{
	int64_t ns = -1;
	return market_parse_iso8601(s, strlen(s), &ns) == 0 ? ns : -1;
}

static int64_t epoch(const char *s)
{
	int64_t ns = -1;
	return market_parse_epoch(s, strlen(s), &ns) == 0 ? ns : -1;
}

static void test_time_parsing(void **state)
{
	(void)state;
	char buf[64];
	/* units by magnitude */
	assert_int_equal(epoch("1700000000"), 1700000000LL * SEC);
	assert_int_equal(epoch("1700000000123"), 1700000000123LL * 1000000);
	assert_int_equal(epoch("1700000000123456"), 1700000000123456LL * 1000);
	assert_int_equal(epoch("1700000000123456789"), 1700000000123456789LL);
	assert_int_equal(epoch("1700000000.25"), 1700000000LL * SEC + 250000000);
	assert_int_equal(epoch("-5"), -1);
	assert_int_equal(epoch("17e8"), -1);
	/* ISO-8601 forms */
	assert_int_equal(iso("1970-01-01T00:00:00Z"), 0);
	assert_int_equal(iso("2024-01-01"), 1704067200LL * SEC);
	assert_int_equal(iso("2024-02-29T12:34:56Z"), (1704067200LL + 59 * 86400 + 12 * 3600 + 34 * 60 + 56) * SEC);
	assert_int_equal(iso("2024-02-29 13:34:56.5+01:00"),
	                 (1704067200LL + 59 * 86400 + 12 * 3600 + 34 * 60 + 56) * SEC + 500000000);
	assert_int_equal(iso("2023-02-29"), -1);           /* not a leap year */
	assert_int_equal(iso("2024-01-01T00:00:00"), -1);  /* no zone */
	assert_int_equal(iso("2024-01-01T24:00:00Z"), -1);
	assert_int_equal(iso("2300-01-01T00:00:00Z"), -1); /* past int64 ns */
	market_format_time(1704067200LL * SEC + 5, buf, sizeof buf);
	assert_string_equal(buf, "2024-01-01T00:00:00.000000005Z");
	market_format_time(iso("2100-12-31T23:59:59Z"), buf, sizeof buf);
	assert_string_equal(buf, "2100-12-31T23:59:59Z");
	market_format_duration(15 * 60 * SEC, buf, sizeof buf);
	assert_string_equal(buf, "15m");
	market_format_duration(86400 * SEC, buf, sizeof buf);
	assert_string_equal(buf, "1d");
	market_format_duration(1500 * 1000000LL, buf, sizeof buf);
	assert_string_equal(buf, "1500ms");
}

static void test_bad_junk_number(void **state)
{
	(void)state;
	csv_bars_options o = opts(2, 0);
	expect_error("bad_junk.csv", &o, ":3: column 3 (high): \"abc\" is not a decimal number");
}

static void test_bad_missing_column(void **state)
{
	(void)state;
	csv_bars_options o = opts(2, 0);
	expect_error("bad_missing.csv", &o, ":4: missing column 6 (volume): the row has 5 columns, expected 6");
}

static void test_bad_high_below_low(void **state)
{
	(void)state;
	csv_bars_options o = opts(2, 0);
	expect_error("bad_high_low.csv", &o, ":2: column 3 (high): \"99.00\" is below the low \"101.00\"");
}

static void test_bad_non_increasing_time(void **state)
{
	(void)state;
	csv_bars_options o = opts(2, 0);
	expect_error("bad_time.csv", &o,
	             ":4: column 1 (timestamp): \"1704067260\" (2024-01-01T00:01:00Z) is not after the previous row's "
	             "time (2024-01-01T00:01:00Z)");
}

static void test_bad_too_many_decimals(void **state)
{
	(void)state;
	csv_bars_options o = opts(2, 0);
	expect_error("bad_decimals.csv", &o,
	             ":3: column 2 (open): \"100.505\" has more fractional digits than the price scale 2 allows");
}

static void test_bad_binance_negative_volume(void **state)
{
	(void)state;
	csv_bars_options o = opts(2, 8);
	expect_error("bad_binance_volume.csv", &o, ":2: column 6 (volume): \"-1.00000000\" is negative");
}

static void test_bad_interval_multiple(void **state)
{
	(void)state;
	csv_bars_options o = opts(2, 0);
	expect_error("bad_interval.csv", &o,
	             ":4: column 1 (timestamp): \"1704067290\" is 30s after the previous row, not a whole number of bar "
	             "intervals (1m, inferred from the first two rows)");
}

/* ---- files written on the fly ---- */

typedef struct tmpdir {
	char dir[64];
	char path[128];
} tmpdir;

static int setup_tmp(void **state)
{
	tmpdir *t = calloc(1, sizeof *t);
	snprintf(t->dir, sizeof t->dir, "/tmp/th_market_csv_XXXXXX");
	if (!mkdtemp(t->dir)) {
		free(t);
		return -1;
	}
	snprintf(t->path, sizeof t->path, "%s/bars.csv", t->dir);
	*state = t;
	return 0;
}

static int teardown_tmp(void **state)
{
	tmpdir *t = *state;
	unlink(t->path);
	rmdir(t->dir);
	free(t);
	return 0;
}

static const char *write_file(tmpdir *t, const char *text)
{
	FILE *f = fopen(t->path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return t->path;
}

static void test_single_row_needs_interval(void **state)
{
	tmpdir *t = *state;
	const char *p = write_file(t, "timestamp,open,high,low,close,volume\n1704067200,1,1,1,1,1\n");
	csv_bars_options o = opts(0, 0);
	char err[512], want[512];
	th_bar b;
	csv_bars *r = csv_bars_open(p, &o, err, sizeof err);
	assert_non_null(r);
	assert_int_equal(csv_bars_next(r, &b, err, sizeof err), -1);
	snprintf(want, sizeof want, "%s: cannot infer the bar interval from a file with a single row; give the interval", p);
	assert_string_equal(err, want);
	csv_bars_close(r);

	o.interval_ns = 3600 * SEC;
	assert_int_equal(read_all(p, &o, &b, 1), 1);
	assert_int_equal(b.interval_ns, 3600 * SEC);
}

static void test_header_only_and_empty(void **state)
{
	tmpdir *t = *state;
	th_bar b;
	csv_bars_options o = opts(2, 2);
	assert_int_equal(read_all(write_file(t, "timestamp,open,high,low,close,volume\n"), &o, &b, 1), 0);
	assert_int_equal(read_all(write_file(t, ""), &o, &b, 1), 0);
}

static void test_headerless_generic_and_forced(void **state)
{
	tmpdir *t = *state;
	th_bar b[4];
	csv_bars_options o = opts(1, 0);
	const char *p = write_file(t, "2024-01-01,10.5,11,10,10.5,7\n2024-01-02,10.5,12,10.5,11.5,8\n");
	assert_int_equal(read_all(p, &o, b, 4), 2);
	assert_int_equal(b[1].open_time_ns, 1704153600LL * SEC);
	assert_int_equal(b[1].interval_ns, 86400 * SEC);
	assert_int_equal(b[1].close, 115);

	/* forcing Binance on a 6-column file reports the missing column */
	char err[512], want[512];
	o.format = CSV_BARS_BINANCE;
	csv_bars *r = csv_bars_open(p, &o, err, sizeof err);
	assert_non_null(r);
	assert_int_equal(csv_bars_next(r, b, err, sizeof err), -1);
	snprintf(want, sizeof want, "%s:1: missing column 7 (close_time): the row has 6 columns, expected 12", p);
	assert_string_equal(err, want);
	csv_bars_close(r);
}

static void test_binance_futures_header(void **state)
{
	tmpdir *t = *state;
	/* futures kline files carry a header row; both ways of reading agree */
	const char *p = write_file(t, "open_time,open,high,low,close,volume,close_time,quote_volume,count,"
	                              "taker_buy_volume,taker_buy_quote_volume,ignore\n"
	                              "1704067200000,42283.5,42298.6,42261.0,42298.6,35.927,1704067259999,1519032.99,1327,"
	                              "20.181,853251.64,0\n"
	                              "1704067260000,42298.6,42320.0,42289.6,42320.0,21.072,1704067319999,891567.48,992,"
	                              "12.054,510040.85,0\n");
	th_bar forced[2], autod[2];
	csv_bars_options o = opts(1, 3);
	o.format = CSV_BARS_BINANCE;
	assert_int_equal(read_all(p, &o, forced, 2), 2);
	o.format = CSV_BARS_AUTO;
	assert_int_equal(read_all(p, &o, autod, 2), 2);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(forced[i].open_time_ns, autod[i].open_time_ns);
		assert_int_equal(forced[i].interval_ns, 60 * SEC);
		assert_int_equal(autod[i].interval_ns, 60 * SEC);
		assert_int_equal(forced[i].close, autod[i].close);
		assert_int_equal(forced[i].volume, autod[i].volume);
		assert_int_equal(forced[i].trades, autod[i].trades);
	}
	assert_int_equal(forced[1].close, 423200);
	assert_int_equal(forced[1].volume, 21072);
	assert_int_equal(forced[1].trades, 992);
}

static void test_header_errors(void **state)
{
	tmpdir *t = *state;
	csv_bars_options o = opts(1, 0);
	char err[512], want[512];
	const char *p = write_file(t, "time,open,high,low,close\n1,1,1,1,1\n");
	assert_null(csv_bars_open(p, &o, err, sizeof err));
	snprintf(want, sizeof want,
	         "%s:1: header has no volume column (need timestamp, open, high, low, close, volume)", p);
	assert_string_equal(err, want);

	p = write_file(t, "1704067200,1,1,1,1,1,1\n");
	assert_null(csv_bars_open(p, &o, err, sizeof err));
	assert_non_null(strstr(err, ":1: no header row and 7 columns"));

	assert_null(csv_bars_open("/nonexistent/x.csv", &o, err, sizeof err));
	assert_string_equal(err, "/nonexistent/x.csv: cannot open: No such file or directory");
}

static void test_high_below_open_and_low_above_close(void **state)
{
	tmpdir *t = *state;
	csv_bars_options o = opts(0, 0);
	o.interval_ns = 60 * SEC;
	char err[512], want[512];
	th_bar b;
	const char *p = write_file(t, "timestamp,open,high,low,close,volume\n60,10,9,8,9,1\n");
	csv_bars *r = csv_bars_open(p, &o, err, sizeof err);
	assert_int_equal(csv_bars_next(r, &b, err, sizeof err), -1);
	snprintf(want, sizeof want, "%s:2: column 3 (high): \"9\" is below the open \"10\"", p);
	assert_string_equal(err, want);
	csv_bars_close(r);

	p = write_file(t, "timestamp,open,high,low,close,volume\n60,10,12,9.5,9,1\n");
	o.price_scale = 1;
	r = csv_bars_open(p, &o, err, sizeof err);
	assert_int_equal(csv_bars_next(r, &b, err, sizeof err), -1);
	snprintf(want, sizeof want, "%s:2: column 4 (low): \"9.5\" is above the close \"9\"", p);
	assert_string_equal(err, want);
	csv_bars_close(r);
}

static void test_bad_timestamp_text(void **state)
{
	tmpdir *t = *state;
	csv_bars_options o = opts(0, 0);
	char err[512], want[512];
	th_bar b;
	const char *p = write_file(t, "timestamp,open,high,low,close,volume\n2024-01-01T00:00:00,1,1,1,1,1\n");
	csv_bars *r = csv_bars_open(p, &o, err, sizeof err);
	assert_int_equal(csv_bars_next(r, &b, err, sizeof err), -1);
	snprintf(want, sizeof want,
	         "%s:2: column 1 (timestamp): \"2024-01-01T00:00:00\" is not a timestamp (Unix seconds/ms/us/ns, or "
	         "ISO-8601 UTC like 2024-01-31T23:59:00Z)",
	         p);
	assert_string_equal(err, want);
	csv_bars_close(r);
}

static void test_large_file_streams(void **state)
{
	tmpdir *t = *state;
	/* more rows than fit one read buffer: lines straddle refills */
	FILE *f = fopen(t->path, "w");
	assert_non_null(f);
	fputs("timestamp,open,high,low,close,volume\n", f);
	const int rows = 50000;
	for (int i = 0; i < rows; i++)
		fprintf(f, "%d,%d.25,%d.75,%d.00,%d.50,%d.125\n", 1704067200 + 60 * i, 100 + i % 7, 101 + i % 7,
		        99 + i % 7, 100 + i % 7, i);
	fclose(f);
	csv_bars_options o = opts(2, 3);
	char err[512];
	csv_bars *r = csv_bars_open(t->path, &o, err, sizeof err);
	assert_non_null(r);
	th_bar b;
	int n = 0, rc;
	int64_t vol = 0;
	while ((rc = csv_bars_next(r, &b, err, sizeof err)) == 1) {
		assert_int_equal(b.open_time_ns, (1704067200LL + 60 * n) * SEC);
		assert_int_equal(b.open, (100 + n % 7) * 100 + 25);
		vol += b.volume;
		n++;
	}
	assert_int_equal(rc, 0);
	assert_int_equal(n, rows);
	/* sum of i.125 for i < rows, at scale 3 */
	assert_int_equal(vol, (int64_t)rows * (rows - 1) / 2 * 1000 + (int64_t)rows * 125);
	csv_bars_close(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generic_unix_seconds),
		cmocka_unit_test(test_generic_iso_header_mapping),
		cmocka_unit_test(test_generic_ms_crlf_quotes_bom),
		cmocka_unit_test(test_binance_milliseconds),
		cmocka_unit_test(test_binance_microseconds),
		cmocka_unit_test(test_binance_mixed_eras),
		cmocka_unit_test(test_trailing_zeros_are_exact_but_digits_are_not),
		cmocka_unit_test(test_rounding_modes),
		cmocka_unit_test(test_decimal_parser),
		cmocka_unit_test(test_time_parsing),
		cmocka_unit_test(test_bad_junk_number),
		cmocka_unit_test(test_bad_missing_column),
		cmocka_unit_test(test_bad_high_below_low),
		cmocka_unit_test(test_bad_non_increasing_time),
		cmocka_unit_test(test_bad_too_many_decimals),
		cmocka_unit_test(test_bad_binance_negative_volume),
		cmocka_unit_test(test_bad_interval_multiple),
		cmocka_unit_test_setup_teardown(test_single_row_needs_interval, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_header_only_and_empty, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_headerless_generic_and_forced, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_binance_futures_header, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_header_errors, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_high_below_open_and_low_above_close, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_bad_timestamp_text, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_large_file_streams, setup_tmp, teardown_tmp),
	};
	return cmocka_run_group_tests_name("market_csv_bars", tests, NULL, NULL);
}
