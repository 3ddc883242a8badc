/*
 * market — streaming OHLCV CSV reader: row parsing and checks.
 * Layout detection and header mapping are in csv_bars_layout.c.
 */
#include "market/csv_bars.h"
#include "market/csv_bars_internal.h"
#include "market/market_err.h"
#include "market/market_time.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHOW_MAX 48 /* longest value quoted back in a message */

csv_bars *csv_bars_open(const char *path, const csv_bars_options *opt, char *err, size_t errlen)
{
	if (opt->price_scale < 0 || opt->price_scale > TH_SCALE_MAX || opt->qty_scale < 0 ||
	    opt->qty_scale > TH_SCALE_MAX) {
		market_err(err, errlen, "%s: price_scale %d / qty_scale %d must be in 0..%d", path, (int)opt->price_scale,
		           (int)opt->qty_scale, TH_SCALE_MAX);
		return NULL;
	}
	if (opt->interval_ns < 0) {
		market_err(err, errlen, "%s: interval_ns %lld must be >= 0 (0 = infer)", path, (long long)opt->interval_ns);
		return NULL;
	}
	csv_bars *r = calloc(1, sizeof *r);
	if (!r || !(r->path = strdup(path))) {
		free(r);
		market_err(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	r->opt = *opt;
	r->interval = opt->interval_ns;
	r->interval_origin = "given";
	if (market_lines_open(&r->lines, r->path, CSV_LINE_MAX, err, errlen) != 0) {
		free(r->path);
		free(r);
		return NULL;
	}
	if (csv_detect_layout(r, err, errlen) != 0) {
		csv_bars_close(r);
		return NULL;
	}
	return r;
}

void csv_bars_close(csv_bars *r)
{
	if (!r)
		return;
	market_lines_close(&r->lines);
	free(r->path);
	free(r);
}

csv_bars_format csv_bars_detected_format(const csv_bars *r)
{
	return r->format;
}

int64_t csv_bars_interval(const csv_bars *r)
{
	return r->interval;
}

/* ---- per-row parsing ---- */

typedef struct row_ctx {
	csv_bars *r;
	const csv_fields *f;
	char *err;
	size_t errlen;
} row_ctx;

static int col_err(const row_ctx *c, int col, const char *fmt_tail, const char *value, size_t vlen)
{
	return market_err(c->err, c->errlen, "%s:%llu: column %d (%s): \"%.*s\"%s%s", c->r->path,
	                  (unsigned long long)c->r->lines.lineno, col + 1,
	                  col < CSV_MAX_FIELDS ? c->r->colname[col] : "?", (int)(vlen > SHOW_MAX ? SHOW_MAX : vlen),
	                  value, vlen > SHOW_MAX ? "..." : "", fmt_tail);
}

static int parse_decimal(const row_ctx *c, csv_role role, int scale, const char *what, int64_t *out)
{
	int col = c->r->col[role];
	const char *s = c->f->ptr[col];
	size_t len = c->f->len[col];
	char tail[96];
	switch (market_decimal_parse(s, len, scale, c->r->opt.rounding, out)) {
	case MARKET_DEC_OK:
		return 0;
	case MARKET_DEC_SYNTAX:
		return col_err(c, col, " is not a decimal number", s, len);
	case MARKET_DEC_PRECISION:
		snprintf(tail, sizeof tail, " has more fractional digits than the %s scale %d allows", what, scale);
		return col_err(c, col, tail, s, len);
	case MARKET_DEC_RANGE:
	default:
		snprintf(tail, sizeof tail, " is out of range at %s scale %d", what, scale);
		return col_err(c, col, tail, s, len);
	}
}

/* Binance open/close time: integer ms, or µs from 2025 on (by magnitude). */
static int parse_binance_time(const row_ctx *c, csv_role role, int64_t *ns, int64_t *unit_ns)
{
	int col = c->r->col[role];
	const char *s = c->f->ptr[col];
	size_t len = c->f->len[col];
	uint64_t v;
	if (market_parse_u64(s, len, &v) != 0 || v >= 100000000000000000ULL)
		return col_err(c, col, " is not a Unix time in milliseconds or microseconds", s, len);
	*unit_ns = v < 100000000000000ULL ? 1000000 : 1000;
	*ns = (int64_t)v * *unit_ns;
	return 0;
}

static int parse_generic_time(const row_ctx *c, int64_t *ns)
{
	int col = c->r->col[CSV_ROLE_TIME];
	const char *s = c->f->ptr[col];
	size_t len = c->f->len[col];
	if (market_parse_epoch(s, len, ns) == 0 || market_parse_iso8601(s, len, ns) == 0)
		return 0;
	return col_err(c, col,
	               " is not a timestamp (Unix seconds/ms/us/ns, or ISO-8601 UTC like 2024-01-31T23:59:00Z)", s,
	               len);
}

/* The values of two columns for an ordering message. */
static int order_err(const row_ctx *c, csv_role a, const char *rel, csv_role b)
{
	int ca = c->r->col[a], cb = c->r->col[b];
	const csv_fields *f = c->f;
	return market_err(c->err, c->errlen, "%s:%llu: column %d (%s): \"%.*s\" is %s the %s \"%.*s\"", c->r->path,
	                  (unsigned long long)c->r->lines.lineno, ca + 1, c->r->colname[ca],
	                  (int)(f->len[ca] > SHOW_MAX ? SHOW_MAX : f->len[ca]), f->ptr[ca], rel, c->r->colname[cb],
	                  (int)(f->len[cb] > SHOW_MAX ? SHOW_MAX : f->len[cb]), f->ptr[cb]);
}

static int check_columns(const row_ctx *c)
{
	csv_bars *r = c->r;
	size_t n = c->f->n;
	if (n == r->ncols)
		return 0;
	unsigned long long line = (unsigned long long)r->lines.lineno;
	if (n < r->ncols)
		return market_err(c->err, c->errlen, "%s:%llu: missing column %zu (%s): the row has %zu column%s, expected %zu",
		                  r->path, line, n + 1, n < CSV_MAX_FIELDS ? r->colname[n] : "?", n, n == 1 ? "" : "s",
		                  r->ncols);
	return market_err(c->err, c->errlen, "%s:%llu: the row has %zu columns, expected %zu", r->path, line, n,
	                  r->ncols);
}

static int check_time(const row_ctx *c, int64_t ts)
{
	csv_bars *r = c->r;
	int col = r->col[CSV_ROLE_TIME];
	char tail[192], a[48], b[48];
	if (!r->have_prev)
		return 0;
	if (ts <= r->prev_ts) {
		market_format_time(ts, a, sizeof a);
		market_format_time(r->prev_ts, b, sizeof b);
		snprintf(tail, sizeof tail, " (%s) is not after the previous row's time (%s)", a, b);
		return col_err(c, col, tail, c->f->ptr[col], c->f->len[col]);
	}
	if (r->interval > 0 && (ts - r->prev_ts) % r->interval != 0) {
		market_format_duration(ts - r->prev_ts, a, sizeof a);
		market_format_duration(r->interval, b, sizeof b);
		snprintf(tail, sizeof tail, " is %s after the previous row, not a whole number of bar intervals (%s, %s)", a,
		         b, r->interval_origin);
		return col_err(c, col, tail, c->f->ptr[col], c->f->len[col]);
	}
	return 0;
}

static int parse_row(csv_bars *r, const char *line, size_t len, th_bar *out, char *err, size_t errlen)
{
	csv_fields f;
	csv_split(line, len, &f);
	row_ctx c = { r, &f, err, errlen };
	if (check_columns(&c) != 0)
		return -1;

	int64_t ts;
	if (r->format == CSV_BARS_BINANCE) {
		int64_t unit = 0, close_ts = 0, close_unit = 0; /* set by parse_binance_time before any use */
		if (parse_binance_time(&c, CSV_ROLE_TIME, &ts, &unit) != 0 ||
		    parse_binance_time(&c, CSV_ROLE_CLOSE_TIME, &close_ts, &close_unit) != 0)
			return -1;
		if (close_ts <= ts)
			return order_err(&c, CSV_ROLE_CLOSE_TIME, "not after", CSV_ROLE_TIME);
		if (r->interval == 0) {
			/* close time is the bar's last unit: open + interval − 1 ms (or µs) */
			r->interval = close_ts - ts + unit;
			r->interval_origin = "from the first row's close time";
		}
	} else if (parse_generic_time(&c, &ts) != 0) {
		return -1;
	}

	memset(out, 0, sizeof *out);
	int ps = r->opt.price_scale, qs = r->opt.qty_scale;
	if (parse_decimal(&c, CSV_ROLE_OPEN, ps, "price", &out->open) != 0 ||
	    parse_decimal(&c, CSV_ROLE_HIGH, ps, "price", &out->high) != 0 ||
	    parse_decimal(&c, CSV_ROLE_LOW, ps, "price", &out->low) != 0 ||
	    parse_decimal(&c, CSV_ROLE_CLOSE, ps, "price", &out->close) != 0 ||
	    parse_decimal(&c, CSV_ROLE_VOLUME, qs, "quantity", &out->volume) != 0)
		return -1;
	if (r->col[CSV_ROLE_TRADES] >= 0) {
		int col = r->col[CSV_ROLE_TRADES];
		uint64_t n;
		if (market_parse_u64(f.ptr[col], f.len[col], &n) != 0 || n > UINT32_MAX)
			return col_err(&c, col, " is not a trade count (0..4294967295)", f.ptr[col], f.len[col]);
		out->trades = (uint32_t)n;
	}

	if (out->volume < 0)
		return col_err(&c, r->col[CSV_ROLE_VOLUME], " is negative", f.ptr[r->col[CSV_ROLE_VOLUME]],
		               f.len[r->col[CSV_ROLE_VOLUME]]);
	if (out->high < out->low)
		return order_err(&c, CSV_ROLE_HIGH, "below", CSV_ROLE_LOW);
	if (out->high < out->open)
		return order_err(&c, CSV_ROLE_HIGH, "below", CSV_ROLE_OPEN);
	if (out->high < out->close)
		return order_err(&c, CSV_ROLE_HIGH, "below", CSV_ROLE_CLOSE);
	if (out->low > out->open)
		return order_err(&c, CSV_ROLE_LOW, "above", CSV_ROLE_OPEN);
	if (out->low > out->close)
		return order_err(&c, CSV_ROLE_LOW, "above", CSV_ROLE_CLOSE);
	if (check_time(&c, ts) != 0)
		return -1;
	if (r->interval > 0 && ts > INT64_MAX - r->interval)
		return col_err(&c, r->col[CSV_ROLE_TIME], " is too late: the bar's close does not fit int64 nanoseconds",
		               f.ptr[r->col[CSV_ROLE_TIME]], f.len[r->col[CSV_ROLE_TIME]]);

	r->prev_ts = ts;
	r->have_prev = 1;
	out->open_time_ns = ts;
	out->interval_ns = r->interval;
	out->price_scale = ps;
	out->qty_scale = qs;
	return 0;
}

/* Next data row as a bar: 1, 0 at end, -1 on error. Blank lines are skipped. */
static int read_bar(csv_bars *r, th_bar *out, char *err, size_t errlen)
{
	const char *line;
	size_t len;
	for (;;) {
		if (r->first_pending) {
			r->first_pending = 0;
			line = r->first_line;
			len = r->first_len;
		} else {
			int rc = market_lines_next(&r->lines, &line, &len, err, errlen);
			if (rc <= 0)
				return rc;
		}
		while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t'))
			len--;
		if (len == 0)
			continue;
		return parse_row(r, line, len, out, err, errlen) == 0 ? 1 : -1;
	}
}

int csv_bars_next(csv_bars *r, th_bar *out, char *err, size_t errlen)
{
	if (r->failed)
		return market_err(err, errlen, "%s: reader already failed at line %llu", r->path,
		                  (unsigned long long)r->lines.lineno);
	if (r->have_lookahead) {
		*out = r->lookahead;
		r->have_lookahead = 0;
		return 1;
	}
	int rc = read_bar(r, out, err, errlen);
	if (rc == 1 && r->interval == 0) {
		/* generic file without a given interval: the first two rows decide */
		int rc2 = read_bar(r, &r->lookahead, err, errlen);
		if (rc2 == 0) {
			market_err(err, errlen,
			           "%s: cannot infer the bar interval from a file with a single row; give the interval",
			           r->path);
			rc = -1;
		} else if (rc2 < 0) {
			rc = -1;
		} else {
			r->interval = r->lookahead.open_time_ns - out->open_time_ns; /* > 0: checked as increasing */
			if (r->lookahead.open_time_ns > INT64_MAX - r->interval) {
				market_err(err, errlen, "%s:%llu: timestamp too late: the bar's close does not fit int64 nanoseconds",
				           r->path, (unsigned long long)r->lines.lineno);
				r->failed = 1;
				return -1;
			}
			r->interval_origin = "inferred from the first two rows";
			out->interval_ns = r->interval;
			r->lookahead.interval_ns = r->interval;
			r->have_lookahead = 1;
		}
	}
	if (rc < 0)
		r->failed = 1;
	return rc;
}
