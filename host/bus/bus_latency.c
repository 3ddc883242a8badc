/* bus_latency — log-linear histogram; see bus_latency.h for the bucket layout. */
#include "bus/bus_latency.h"

#include <stddef.h>

unsigned bus_latency_bucket(uint64_t ns)
{
	if (ns < 4)
		return (unsigned)ns;
	unsigned msb = 63u - (unsigned)__builtin_clzll(ns); /* >= 2 */
	unsigned sub = (unsigned)(ns >> (msb - 2)) & 3u;    /* the two bits below the top one */
	return (msb - 1u) * 4u + sub;
}

uint64_t bus_latency_bucket_lower_ns(unsigned i)
{
	if (i < 4)
		return i;
	if (i >= BUS_LAT_BUCKETS)
		i = BUS_LAT_BUCKETS - 1u;
	unsigned msb = i / 4u + 1u;
	uint64_t sub = i % 4u;
	return (4u + sub) << (msb - 2);
}

uint64_t bus_latency_bucket_upper_ns(unsigned i)
{
	if (i < 4)
		return i;
	if (i >= BUS_LAT_BUCKETS)
		i = BUS_LAT_BUCKETS - 1u;
	unsigned msb = i / 4u + 1u;
	return bus_latency_bucket_lower_ns(i) + ((UINT64_C(1) << (msb - 2)) - 1u);
}

void bus_latency_record(bus_latency_hist *h, uint64_t ns)
{
	h->count++;
	h->sum_ns = (h->sum_ns > UINT64_MAX - ns) ? UINT64_MAX : h->sum_ns + ns;
	if (ns > h->max_ns)
		h->max_ns = ns;
	h->buckets[bus_latency_bucket(ns)]++;
}

uint64_t bus_latency_quantile_ns(const bus_latency_hist *h, double q)
{
	if (h->count == 0)
		return 0;
	if (q < 0.0)
		q = 0.0;
	if (q > 1.0)
		q = 1.0;
	/* Rank of the sample we want, 1-based: ceil(q * count), at least 1. */
	uint64_t rank = (uint64_t)(q * (double)h->count);
	if ((double)rank < q * (double)h->count)
		rank++;
	if (rank == 0)
		rank = 1;
	uint64_t seen = 0;
	for (unsigned i = 0; i < BUS_LAT_BUCKETS; i++) {
		seen += h->buckets[i];
		if (seen >= rank) {
			uint64_t up = bus_latency_bucket_upper_ns(i);
			return up < h->max_ns ? up : h->max_ns;
		}
	}
	return h->max_ns;
}
