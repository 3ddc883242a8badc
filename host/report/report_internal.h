/*
 * report — private helpers shared by the statistics, JSON and HTML code.
 */
#ifndef TH_REPORT_INTERNAL_H
#define TH_REPORT_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "report/report.h"

/* snprintf into err (when usable); always returns -1 so callers can write
 * `return report_err(err, errlen, "...");`. */
__attribute__((format(printf, 3, 4)))
int report_err(char *err, size_t errlen, const char *fmt, ...);

/* ---- growable text buffer (report_buf.c) ---------------------------------
 * Appends never fail loudly: an allocation failure sets `failed`, later
 * appends do nothing, and the writer checks the flag once at the end. */
typedef struct report_buf {
	char *data;
	size_t len, cap;
	int failed;
} report_buf;

void report_buf_free(report_buf *b);
void report_buf_append(report_buf *b, const char *s, size_t n);
void report_buf_puts(report_buf *b, const char *s);
__attribute__((format(printf, 2, 3)))
void report_buf_printf(report_buf *b, const char *fmt, ...);
/* Append s with & < > " ' replaced by entities (safe in text and in
 * attribute values). */
void report_buf_escape(report_buf *b, const char *s);

/* ---- text helpers (report_text.c) ---------------------------------------- */
/* 1 if s is valid UTF-8 without NUL bytes in its first n bytes. */
int report_utf8_valid(const char *s, size_t n);
/* "2024-01-01T00:00:00Z", with ".fffffffff" trimmed of trailing zeros when the
 * time has a sub-second part. buf needs REPORT_TIME_MAX bytes. */
#define REPORT_TIME_MAX 48
void report_time_iso(int64_t ns, char *buf, size_t cap);
/* Exact money text at TH_MONEY_SCALE. buf needs REPORT_MONEY_MAX bytes. */
#define REPORT_MONEY_MAX 32
void report_money_text(th_money v, char *buf, size_t cap);
/* Money rounded half away from zero to `digits` decimals, for display. */
void report_money_rounded(th_money v, int digits, char *buf, size_t cap);
const char *report_side_name(uint32_t side);
const char *report_kind_name(report_kind kind);

/* ---- the validated view both writers print (report_model.c) ------------- */
typedef struct report_entry {
	const report_series *series;
	report_stats stats;
} report_entry;

typedef struct report_model {
	report_entry total;
	report_entry *farms;   /* sorted by name */
	size_t nfarms;
	report_entry *agents;  /* sorted by (parent, name) */
	size_t nagents;
} report_model;

/* Validate every input, compute every series' stats, order farms and agents.
 * On failure returns -1 with the reason in err and leaves nothing to free. */
int report_model_build(report_model *m, const report_meta *meta, const report_series *series,
		       size_t nseries, const report_trade *trades, size_t ntrades, char *err,
		       size_t errlen);
void report_model_free(report_model *m);

/* Validation of single records (report_validate.c), shared by
 * report_compute and the model. */
int report_check_series(const report_series *s, char *err, size_t errlen);
int report_check_trade(const report_trade *t, size_t index, char *err, size_t errlen);

/* ---- file output (report_file.c) ---------------------------------------- */
/* Write data to path through "<path>.tmp.<pid>" + rename, so a reader sees
 * either the old file or the whole new one. */
int report_file_write(const char *path, const char *data, size_t len, char *err, size_t errlen);

/* ---- charts (report_svg.c) ---------------------------------------------- */
/* An inline <svg> line chart of y against t. Text fields are plain text
 * (escaped on output). The caller picks the y range and its labels so money
 * labels can come from exact fixed-point text. */
typedef struct report_chart {
	const char *id;            /* unique within the page, [a-z0-9-] */
	const char *title;         /* SVG <title> and aria label */
	const int64_t *t;          /* x: strictly increasing times */
	const double *y;
	size_t n;
	double y_lo, y_hi;         /* visible range (y_lo < y_hi, else centred) */
	const char *y_lo_label, *y_hi_label;
	int shade_to_top;          /* fill between the line and the top edge */
} report_chart;

/* Append the chart (path downsampled to REPORT_CHART_MAX_POINTS points with
 * report_downsample_minmax). Returns 0, or -1 when out of memory. */
int report_svg_chart(report_buf *b, const report_chart *c);

#endif
