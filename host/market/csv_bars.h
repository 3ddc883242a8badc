/*
 * market — streaming OHLCV bar import from CSV files.
 *
 * Two layouts, detected from the first non-blank line unless forced:
 *
 *  - Generic, with a header row naming the columns (any order, case-
 *    insensitive, extra columns ignored): timestamp (or time, ts, date,
 *    datetime, open_time), open, high, low, close, volume (or vol), and an
 *    optional trades (or count, number_of_trades). A headerless file with
 *    exactly 6 columns is read as timestamp,open,high,low,close,volume.
 *    Timestamps may be Unix seconds, milliseconds, microseconds or
 *    nanoseconds (unit detected per value by magnitude, see market_time.h),
 *    decimal seconds ("1700000000.5"), or ISO-8601 UTC
 *    ("2024-01-01T00:00:00Z", "2024-01-01 00:00:00+00:00", "2024-01-01").
 *
 *  - Binance klines as published on data.binance.vision: no header, 12
 *    columns — open time, open, high, low, close, volume, close time, quote
 *    asset volume, number of trades, taker buy base volume, taker buy quote
 *    volume, ignore. Times are milliseconds, except spot files from
 *    2025-01-01 on, which use microseconds: each value is classified by
 *    magnitude (< 1e14 → ms, else µs), so both eras, even concatenated, work.
 *    A header row (futures files have one) is skipped when the format is
 *    forced to Binance; in auto mode such a file is read as generic through
 *    its header, which gives the same bars.
 *
 * Values are converted exactly to fixed-point at the given scales. Extra
 * trailing zeros are fine ("42000.01000000" at price scale 2); a nonzero digit
 * past the scale is an error naming the value, unless `rounding` asks for
 * round-half-even or round-half-away-from-zero. Every row is checked:
 * high >= low, high >= max(open, close), low <= min(open, close),
 * volume >= 0, timestamps strictly increasing and a whole number of bar
 * intervals apart (gaps are fine, overlaps are not). Errors name the file,
 * line, column and problem, e.g.
 *     data/BTCUSDT-1m.csv:42: column 3 (high): "abc" is not a decimal number
 *
 * Bar interval: `interval_ns` when given; otherwise, for Binance, close time −
 * open time + 1 unit of the first row; for generic files, the difference of
 * the first two rows' timestamps (so the first next() reads two rows, and a
 * one-row file needs interval_ns). Bars are emitted with open_time_ns = the
 * row's timestamp (the bar's start).
 *
 * Syntax: comma-separated; "\n" or "\r\n" line ends; a UTF-8 byte-order
 * mark and blank lines are skipped; fields may be padded with blanks or
 * wrapped in double quotes, but a quoted field may not contain a comma
 * (numeric market data never needs one).
 *
 * Memory: one read buffer per file (lines up to 64 KiB), no allocation per row.
 */
#ifndef TH_MARKET_CSV_BARS_H
#define TH_MARKET_CSV_BARS_H

#include <stddef.h>
#include <stdint.h>

#include "market/market_decimal.h"
#include "tradehost/th_types.h"

typedef enum csv_bars_format {
	CSV_BARS_AUTO = 0,
	CSV_BARS_GENERIC = 1,
	CSV_BARS_BINANCE = 2
} csv_bars_format;

typedef struct csv_bars_options {
	csv_bars_format format;   /* AUTO detects */
	int32_t price_scale;      /* 0..18: the instrument's price scale */
	int32_t qty_scale;        /* 0..18: the instrument's quantity scale */
	int64_t interval_ns;      /* 0 = infer (see above) */
	market_rounding rounding; /* MARKET_ROUND_REJECT (default) errors on excess digits */
} csv_bars_options;

typedef struct csv_bars csv_bars;

/* Open and detect the layout. NULL with a message (file:line: ...) on failure. */
csv_bars *csv_bars_open(const char *path, const csv_bars_options *opt, char *err, size_t errlen);

/* Next bar: 1 = *out filled, 0 = end of file, -1 = bad row / read error (message in err).
 * After an error the reader stays failed: further calls return -1 again. */
int csv_bars_next(csv_bars *r, th_bar *out, char *err, size_t errlen);

void csv_bars_close(csv_bars *r);

/* The layout in use (GENERIC or BINANCE) after detection. */
csv_bars_format csv_bars_detected_format(const csv_bars *r);

/* The bar interval, or 0 while it is still to be inferred. */
int64_t csv_bars_interval(const csv_bars *r);

#endif
