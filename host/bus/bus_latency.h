/*
 * bus_latency — a log-linear latency histogram (nanoseconds) for sampled
 * dispatch latency, shaped so the metrics endpoint can export it directly.
 *
 * Buckets: values 0..3 get one bucket each; above that every power of two is
 * split into 4 equal sub-buckets, so a bucket's width is at most 25% of its
 * lower bound (quantiles are accurate to that). 252 buckets cover all of
 * uint64_t. Recording is a few instructions and never allocates.
 */
#ifndef TH_BUS_LATENCY_H
#define TH_BUS_LATENCY_H

#include <stdint.h>

#define BUS_LAT_BUCKETS 252u /* (63 - 1) * 4 + 4: the top bucket ends at UINT64_MAX */

typedef struct bus_latency_hist {
	uint64_t count;                    /* samples recorded */
	uint64_t sum_ns;                   /* saturating sum, for a mean */
	uint64_t max_ns;
	uint64_t buckets[BUS_LAT_BUCKETS]; /* counts, not cumulative */
} bus_latency_hist;

/* Bucket index for a latency of `ns`. */
unsigned bus_latency_bucket(uint64_t ns);
/* Smallest and largest value (inclusive) that fall into bucket i (< BUS_LAT_BUCKETS). */
uint64_t bus_latency_bucket_lower_ns(unsigned i);
uint64_t bus_latency_bucket_upper_ns(unsigned i);

void bus_latency_record(bus_latency_hist *h, uint64_t ns);
/* Upper bound of the bucket holding quantile q in [0, 1] (0 when empty). */
uint64_t bus_latency_quantile_ns(const bus_latency_hist *h, double q);

#endif
