/*
 * bench_risk — latency samples and their summaries: percentiles of one
 * repetition, then the median (and spread) of each figure over repetitions.
 */
#ifndef BENCH_RISK_RB_STATS_H
#define BENCH_RISK_RB_STATS_H

#include <stddef.h>
#include <stdint.h>

/* Most repetitions a median is taken over. */
#define RB_MAX_REPS 64

/* Figures of one repetition, in nanoseconds. */
typedef struct rb_summary {
	double p50, p99, p999, mean, max;
} rb_summary;

/* Sorts `ns` in place (n > 0) and summarises it. Percentiles are nearest-rank:
 * the ceil(q x n)-th smallest sample. */
rb_summary rb_summarise(int64_t *ns, size_t n);

/* Per figure, the median over `nreps` (at most RB_MAX_REPS) summaries, and
 * the smallest / largest, for the spread. */
void rb_median_of(const rb_summary *reps, size_t nreps, rb_summary *median, rb_summary *lo, rb_summary *hi);

#endif
