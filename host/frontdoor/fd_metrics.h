/* Private to host/frontdoor: the /metrics module's state and the Prometheus
 * text writers its files share. */
#ifndef HOST_FRONTDOOR_FD_METRICS_H
#define HOST_FRONTDOOR_FD_METRICS_H

#include "frontdoor/fd_internal.h"

#define FD_LOOP_BUCKETS 12
#define FD_HTTP_SERIES_MAX 512

typedef struct fd_http_series {
	char method[8];
	char route[96];
	int status;
	uint64_t count;
} fd_http_series;

struct fd_metrics {
	frontdoor *fd;
	int64_t started_ns;          /* wall clock at registration, for uptime */
	/* Loop lateness: a 100 ms timer records how late it fires. */
	struct event *loop_ev;
	int64_t loop_due_ns;         /* CLOCK_MONOTONIC */
	uint64_t loop_buckets[FD_LOOP_BUCKETS + 1]; /* not cumulative; last = +Inf */
	uint64_t loop_count, loop_sum_ns;
	fd_http_series http[FD_HTTP_SERIES_MAX];
	size_t nhttp;
	uint64_t http_overflow;      /* requests whose series did not fit */
};

/* "# HELP name help\n# TYPE name type\n" */
void fdm_header(fd_text *t, const char *name, const char *type, const char *help);
/* Histogram upper bounds shared by the latency histograms, in ns. */
extern const uint64_t fdm_le_ns[FD_LOOP_BUCKETS];
/* Writes name_bucket{labels,le=..}, name_sum, name_count from per-bucket
 * (not cumulative) counts over fdm_le_ns plus +Inf. `labels` may be "". */
void fdm_histogram(fd_text *t, const char *name, const char *labels, const uint64_t *counts, uint64_t count,
	uint64_t sum_ns);

/* fd_metrics_trading.c: orders, fills, risk decisions, trading states and
 * wallets (nothing when the host runs without trading). */
void fdm_render_trading(fd_text *t, frontdoor *fd);

#endif
