/*
 * market — CSV bar reader internals shared by csv_bars.c (row parsing) and
 * csv_bars_layout.c (format detection and header mapping).
 */
#ifndef TH_MARKET_CSV_BARS_INTERNAL_H
#define TH_MARKET_CSV_BARS_INTERNAL_H

#include "market/csv_bars.h"
#include "market/market_lines.h"

#define CSV_MAX_FIELDS 64
#define CSV_LINE_MAX (64 * 1024)
#define CSV_BINANCE_COLUMNS 12
#define CSV_GENERIC_COLUMNS 6
#define CSV_COLNAME_MAX 24

/* What a column means to the importer. */
typedef enum csv_role {
	CSV_ROLE_TIME = 0,
	CSV_ROLE_OPEN,
	CSV_ROLE_HIGH,
	CSV_ROLE_LOW,
	CSV_ROLE_CLOSE,
	CSV_ROLE_VOLUME,
	CSV_ROLE_TRADES,     /* optional */
	CSV_ROLE_CLOSE_TIME, /* Binance only */
	CSV_ROLE_COUNT_
} csv_role;

/* One split row: field i is line[start[i], start[i] + len[i]), trimmed. */
typedef struct csv_fields {
	size_t n; /* number of fields in the row (may exceed CSV_MAX_FIELDS) */
	const char *ptr[CSV_MAX_FIELDS];
	size_t len[CSV_MAX_FIELDS];
} csv_fields;

struct csv_bars {
	market_lines lines;
	char *path;
	csv_bars_options opt;
	csv_bars_format format;          /* resolved: GENERIC or BINANCE */
	int col[CSV_ROLE_COUNT_];        /* 0-based column per role, -1 = absent */
	size_t ncols;                    /* columns every row must have */
	char colname[CSV_MAX_FIELDS][CSV_COLNAME_MAX]; /* for messages */

	const char *first_line;          /* the detection line when it is data */
	size_t first_len;
	int first_pending;

	th_bar lookahead;                /* second row read to infer the interval */
	int have_lookahead;

	int64_t prev_ts;
	int have_prev;
	int64_t interval;                /* 0 until known */
	const char *interval_origin;     /* "given", "from the first two rows", ... */
	int failed;
};

/* Split a line at commas; fields are trimmed of blanks and one pair of double quotes. */
void csv_split(const char *line, size_t len, csv_fields *f);

/* Read the first non-blank line and settle format, column map and ncols.
 * 0, or -1 with a message. */
int csv_detect_layout(csv_bars *r, char *err, size_t errlen);

#endif
