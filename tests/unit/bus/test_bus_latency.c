/* Latency histogram bucket math and the bus's sampled dispatch latency. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bus/bus.h"
#include "bus/bus_latency.h"
#include "bus_test_util.h"

static void test_buckets(void **state)
{
	(void)state;
	for (uint64_t v = 0; v < 4; v++)
		assert_int_equal(bus_latency_bucket(v), v);
	assert_int_equal(bus_latency_bucket(4), 4);
	assert_int_equal(bus_latency_bucket(7), 7);
	assert_int_equal(bus_latency_bucket(8), 8);
	assert_int_equal(bus_latency_bucket(9), 8);
	assert_int_equal(bus_latency_bucket(10), 9);
	assert_int_equal(bus_latency_bucket(15), 11);
	assert_int_equal(bus_latency_bucket(16), 12);
	assert_int_equal(bus_latency_bucket(1000), bus_latency_bucket(1023));
	assert_int_equal(bus_latency_bucket(UINT64_MAX), BUS_LAT_BUCKETS - 1);
	/* Buckets tile uint64_t without gaps or overlaps, each at most 25% wide. */
	assert_int_equal(bus_latency_bucket_lower_ns(0), 0);
	for (unsigned i = 0; i < BUS_LAT_BUCKETS; i++) {
		uint64_t lo = bus_latency_bucket_lower_ns(i), hi = bus_latency_bucket_upper_ns(i);
		assert_true(lo <= hi);
		assert_int_equal(bus_latency_bucket(lo), i);
		assert_int_equal(bus_latency_bucket(hi), i);
		if (i + 1 < BUS_LAT_BUCKETS)
			assert_int_equal(bus_latency_bucket_lower_ns(i + 1), hi + 1);
		if (lo >= 4)
			assert_true(hi - lo + 1 <= lo / 4);
	}
	assert_int_equal(bus_latency_bucket_upper_ns(BUS_LAT_BUCKETS - 1), UINT64_MAX);
}

static void test_quantiles(void **state)
{
	(void)state;
	bus_latency_hist h;
	memset(&h, 0, sizeof h);
	assert_int_equal(bus_latency_quantile_ns(&h, 0.5), 0);
	for (uint64_t v = 1; v <= 1000; v++)
		bus_latency_record(&h, v);
	assert_int_equal(h.count, 1000);
	assert_int_equal(h.max_ns, 1000);
	assert_int_equal(h.sum_ns, 500500);
	uint64_t p50 = bus_latency_quantile_ns(&h, 0.5);
	uint64_t p99 = bus_latency_quantile_ns(&h, 0.99);
	/* Upper bound of the bucket holding the true value (500, 990): within 25% above. */
	assert_true(p50 >= 500 && p50 <= 625);
	assert_true(p99 >= 990 && p99 <= 1000); /* clamped to the max seen */
	assert_int_equal(bus_latency_quantile_ns(&h, 1.0), 1000);
	assert_int_equal(bus_latency_quantile_ns(&h, 0.0), 1);
	/* A bimodal distribution: p50 in the low mode, p99 in the high one. */
	memset(&h, 0, sizeof h);
	for (int i = 0; i < 980; i++)
		bus_latency_record(&h, 20);
	for (int i = 0; i < 20; i++)
		bus_latency_record(&h, 5000);
	assert_int_equal(bus_latency_quantile_ns(&h, 0.5), 23); /* bucket [20, 23] */
	assert_true(bus_latency_quantile_ns(&h, 0.99) >= 5000);
	bus_latency_record(&h, UINT64_MAX);
	assert_int_equal(h.sum_ns, UINT64_MAX); /* saturates */
}

typedef struct nest {
	bus_t *b;
	int left;
} nest;

static void maybe_nest(void *arg, const th_event *ev)
{
	nest *n = arg;
	if (ev->h.type == TH_EV_TRADE && n->left > 0) {
		n->left--;
		th_event q = bt_typed(TH_EV_QUOTE, 1);
		assert_int_equal(bus_publish(n->b, &q), TH_OK);
	}
}

static void test_sampling(void **state)
{
	(void)state;
	bus_options o = { .latency_sample_log2 = 2 }; /* 1 in 4, by seq */
	bus_t *b = bus_create(&o);
	assert_non_null(b);
	const bus_latency_hist *h = bus_latency(b);
	assert_non_null(h);
	nest n = { b, 10 };
	th_subscription s = { .topics = TH_TOPIC_ALL };
	assert_int_equal(bus_subscribe(b, NULL, &s, maybe_nest, &n, NULL), TH_OK);
	for (int i = 0; i < 90; i++) {
		th_event t = bt_trade("sim", "X", "", (uint64_t)i);
		assert_int_equal(bus_publish(b, &t), TH_OK);
	}
	/* 100 events (90 + 10 nested): seqs 4, 8, ..., 100 are sampled. */
	assert_int_equal(bus_next_seq(b), 101);
	assert_int_equal(h->count, 25);
	uint64_t total = 0;
	for (unsigned i = 0; i < BUS_LAT_BUCKETS; i++)
		total += h->buckets[i];
	assert_int_equal(total, 25);
	assert_true(h->max_ns < UINT64_C(10000000000)); /* sane: under 10 s */
	bus_destroy(b);

	/* Off: no histogram. */
	bus_options off = { .latency_sample_log2 = 0 };
	b = bus_create(&off);
	assert_null(bus_latency(b));
	bus_destroy(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buckets),
		cmocka_unit_test(test_quantiles),
		cmocka_unit_test(test_sampling),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
