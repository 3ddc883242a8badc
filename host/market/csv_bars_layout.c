/*
 * market — CSV bar layout: splitting rows, detecting generic vs Binance, and
 * mapping a header row's column names to roles.
 */
#include "market/csv_bars_internal.h"
#include "market/market_err.h"

#include <strings.h>
#include <string.h>

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

void csv_split(const char *line, size_t len, csv_fields *f)
{
	size_t pos = 0;
	f->n = 0;
	for (;;) {
		const char *start = line + pos;
		const char *comma = memchr(start, ',', len - pos);
		size_t flen = comma ? (size_t)(comma - start) : len - pos;
		const char *p = start;
		while (flen > 0 && is_blank(p[0])) {
			p++;
			flen--;
		}
		while (flen > 0 && is_blank(p[flen - 1]))
			flen--;
		if (flen >= 2 && p[0] == '"' && p[flen - 1] == '"') {
			p++;
			flen -= 2;
		}
		if (f->n < CSV_MAX_FIELDS) {
			f->ptr[f->n] = p;
			f->len[f->n] = flen;
		}
		f->n++;
		if (!comma)
			return;
		pos = (size_t)(comma - line) + 1;
	}
}

static const char *const generic_names[CSV_ROLE_COUNT_] = { "timestamp", "open", "high", "low",
	                                                        "close", "volume", "trades", "close_time" };

static const char *const binance_names[CSV_BINANCE_COLUMNS] = {
	"open_time", "open", "high", "low", "close", "volume", "close_time", "quote_volume",
	"number_of_trades", "taker_buy_base_volume", "taker_buy_quote_volume", "ignore"
};

/* Header aliases per role; the first is the canonical name used in messages. */
static const char *const aliases_time[] = { "timestamp", "time", "ts", "date", "datetime", "open_time", "opentime", NULL };
static const char *const aliases_open[] = { "open", "o", NULL };
static const char *const aliases_high[] = { "high", "h", NULL };
static const char *const aliases_low[] = { "low", "l", NULL };
static const char *const aliases_close[] = { "close", "c", NULL };
static const char *const aliases_volume[] = { "volume", "vol", "v", NULL };
static const char *const aliases_trades[] = { "trades", "count", "number_of_trades", "num_trades", NULL };
static const char *const *const role_aliases[CSV_ROLE_TRADES + 1] = { aliases_time, aliases_open,  aliases_high,
	                                                                  aliases_low,  aliases_close, aliases_volume,
	                                                                  aliases_trades };

static int role_of(const char *name, size_t len)
{
	for (int role = 0; role <= CSV_ROLE_TRADES; role++)
		for (const char *const *a = role_aliases[role]; *a; a++)
			if (strlen(*a) == len && strncasecmp(*a, name, len) == 0)
				return role;
	return -1;
}

static void set_name(csv_bars *r, size_t col, const char *name, size_t len)
{
	if (col >= CSV_MAX_FIELDS)
		return;
	if (len >= CSV_COLNAME_MAX)
		len = CSV_COLNAME_MAX - 1;
	memcpy(r->colname[col], name, len);
	r->colname[col][len] = '\0';
}

static int map_header(csv_bars *r, const csv_fields *f, char *err, size_t errlen)
{
	if (f->n > CSV_MAX_FIELDS)
		return market_err(err, errlen, "%s:%llu: header has %zu columns; at most %d are supported", r->path,
		                  (unsigned long long)r->lines.lineno, f->n, CSV_MAX_FIELDS);
	for (size_t c = 0; c < f->n; c++) {
		set_name(r, c, f->ptr[c], f->len[c]);
		int role = role_of(f->ptr[c], f->len[c]);
		if (role < 0)
			continue; /* extra columns are allowed and ignored */
		if (r->col[role] >= 0)
			return market_err(err, errlen, "%s:%llu: header names the %s column twice (columns %d and %zu)",
			                  r->path, (unsigned long long)r->lines.lineno, generic_names[role],
			                  r->col[role] + 1, c + 1);
		r->col[role] = (int)c;
	}
	for (int role = 0; role < CSV_ROLE_TRADES; role++)
		if (r->col[role] < 0)
			return market_err(err, errlen,
			                  "%s:%llu: header has no %s column (need timestamp, open, high, low, close, volume)",
			                  r->path, (unsigned long long)r->lines.lineno, generic_names[role]);
	r->ncols = f->n;
	return 0;
}

static void use_fixed_generic(csv_bars *r)
{
	for (int role = 0; role < CSV_ROLE_TRADES; role++) {
		r->col[role] = role;
		set_name(r, (size_t)role, generic_names[role], strlen(generic_names[role]));
	}
	r->ncols = CSV_GENERIC_COLUMNS;
}

static void use_binance(csv_bars *r)
{
	static const int cols[CSV_ROLE_COUNT_] = { 0, 1, 2, 3, 4, 5, 8, 6 }; /* by csv_role */
	for (int role = 0; role < CSV_ROLE_COUNT_; role++)
		r->col[role] = cols[role];
	for (size_t c = 0; c < CSV_BINANCE_COLUMNS; c++)
		set_name(r, c, binance_names[c], strlen(binance_names[c]));
	r->ncols = CSV_BINANCE_COLUMNS;
}

/* A data row starts with a number (epoch time) or a date; a header with a name. */
static int looks_like_header(const csv_fields *f)
{
	if (f->n == 0 || f->len[0] == 0)
		return 1;
	char c = f->ptr[0][0];
	return !((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.');
}

int csv_detect_layout(csv_bars *r, char *err, size_t errlen)
{
	const char *line;
	size_t len;
	int rc;
	for (int role = 0; role < CSV_ROLE_COUNT_; role++)
		r->col[role] = -1;
	do {
		rc = market_lines_next(&r->lines, &line, &len, err, errlen);
		if (rc <= 0) {
			/* an empty file is valid and simply has no bars */
			if (rc == 0)
				r->format = r->opt.format == CSV_BARS_BINANCE ? CSV_BARS_BINANCE : CSV_BARS_GENERIC;
			return rc;
		}
		while (len > 0 && is_blank(line[len - 1]))
			len--;
	} while (len == 0);

	csv_fields f;
	csv_split(line, len, &f);
	int header = looks_like_header(&f);
	switch (r->opt.format) {
	case CSV_BARS_BINANCE:
		r->format = CSV_BARS_BINANCE;
		use_binance(r);
		break;
	case CSV_BARS_GENERIC:
		r->format = CSV_BARS_GENERIC;
		if (header)
			return map_header(r, &f, err, errlen);
		use_fixed_generic(r);
		break;
	case CSV_BARS_AUTO:
	default:
		if (header) {
			r->format = CSV_BARS_GENERIC;
			return map_header(r, &f, err, errlen);
		}
		if (f.n == CSV_BINANCE_COLUMNS) {
			r->format = CSV_BARS_BINANCE;
			use_binance(r);
		} else if (f.n == CSV_GENERIC_COLUMNS) {
			r->format = CSV_BARS_GENERIC;
			use_fixed_generic(r);
		} else {
			return market_err(err, errlen,
			                  "%s:%llu: no header row and %zu columns: expected a Binance kline row (12 columns) or "
			                  "timestamp,open,high,low,close,volume (6); add a header row or force the format",
			                  r->path, (unsigned long long)r->lines.lineno, f.n);
		}
		break;
	}
	if (!header) {
		r->first_line = line;
		r->first_len = len;
		r->first_pending = 1;
	}
	return 0;
}
