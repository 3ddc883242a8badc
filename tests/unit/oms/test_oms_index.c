/* The OMS's order index by client order id: own ids ("<prefix><counter>")
 * are found through a dense array by counter, everything else through the
 * hash. Whatever the route, oms_find must answer exactly what a plain
 * clid -> order map answers: checked here against a reference strmap for
 * random ids of this host's prefix, near misses of its format (other
 * padding, leading zeros, huge counters, digits past 64 bits) and foreign
 * prefixes, the way an older journal could hold them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/strmap.h"
#include "oms/oms_internal.h"

static th_instrument ins;

static int64_t f_now(void *c) { (void)c; return 1000; }
static const th_instrument *f_instrument(void *c, const char *venue, const char *symbol)
{
	(void)c;
	return strcmp(venue, "sim") == 0 && strcmp(symbol, ins.symbol) == 0 ? &ins : NULL;
}
static int f_submit(void *c, const char *venue, const th_order *o) { (void)c, (void)venue, (void)o; return TH_OK; }
static int f_clid(void *c, const char *venue, const char *clid) { (void)c, (void)venue, (void)clid; return TH_OK; }
static int f_publish(void *c, const th_event *ev) { (void)c, (void)ev; return TH_OK; }
static th_price f_last(void *c, const char *venue, const char *symbol, int32_t *scale)
{
	(void)c, (void)venue, (void)symbol;
	*scale = 2;
	return 6500000;
}

/* A deterministic generator: a failure reproduces. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* One random id: mostly this host's canonical form (dense counters, some
 * huge), the rest shapes that must take the hash or match nothing. */
static void random_clid(char *out, size_t cap, const char *prefix, uint64_t dense_max)
{
	uint64_t c = rnd() % dense_max;
	switch (rnd() % 12) {
	case 0: snprintf(out, cap, "%s%012llu", prefix, (unsigned long long)(rnd() % 1000000000000ULL)); break;
	case 1: snprintf(out, cap, "%s%llu", prefix, (unsigned long long)rnd()); break; /* up to 20 digits */
	case 2: snprintf(out, cap, "%s%llu", prefix, (unsigned long long)c); break;     /* short: not canonical */
	case 3: snprintf(out, cap, "%s%013llu", prefix, (unsigned long long)c); break;  /* extra leading zero */
	case 4: snprintf(out, cap, "%s%012llu9", prefix, (unsigned long long)rnd()); break; /* past 64 bits */
	case 5: snprintf(out, cap, "xy%012llu", (unsigned long long)c); break;          /* foreign prefix */
	case 6: snprintf(out, cap, "t%012llu", (unsigned long long)c); break;           /* part of ours */
	case 7: snprintf(out, cap, "%s%011llux", prefix, (unsigned long long)c); break;
	case 8: snprintf(out, cap, "%s", prefix); break;
	default: snprintf(out, cap, "%s%012llu", prefix, (unsigned long long)c); break;
	}
}

static void fund(oms_t *o)
{
	char err[256];
	assert_int_equal(oms_deposit(o, 1000000 * 100000000LL, err, sizeof err), 0);
	assert_int_equal(oms_allocate(o, "master", "farm", 1000000 * 100000000LL, err, sizeof err), 0);
	assert_int_equal(oms_allocate(o, "farm", "alice", 1000000 * 100000000LL, err, sizeof err), 0);
}

static void check_against_reference(const char *prefix)
{
	char err[256];
	oms_env env = { NULL, f_now, f_instrument, f_submit, f_clid, f_clid, f_publish, f_last };
	capital_t *cap = capital_create("USDT", err, sizeof err);
	assert_non_null(cap);
	assert_int_equal(capital_add_farm(cap, "farm", err, sizeof err), 0);
	assert_int_equal(capital_add_agent(cap, "alice", "farm", err, sizeof err), 0);
	oms_options opt = { 0 };
	opt.clid_prefix = prefix;
	oms_t *o = oms_create(&env, &opt, NULL, cap, err, sizeof err);
	assert_non_null(o);
	fund(o);
	/* As in a journal replay: reservations are re-applied without the limit check. */
	o->replaying = 1;
	strmap *ref = strmap_create();
	assert_non_null(ref);

	const uint64_t dense_max = 5000;
	size_t added = 0, dups = 0;
	for (int i = 0; i < 4000; i++) {
		oms_rec_order_new r = { 0 };
		r.counter = rnd() % dense_max;
		th_strlcpy(r.agent, "alice", sizeof r.agent);
		th_strlcpy(r.farm, "farm", sizeof r.farm);
		th_strlcpy(r.venue, "sim", sizeof r.venue);
		th_strlcpy(r.order.symbol, "BTC-USDT", sizeof r.order.symbol);
		r.order.side = TH_SIDE_BUY;
		r.order.type = TH_ORDER_LIMIT;
		r.order.price_scale = 2;
		r.order.qty_scale = 4;
		r.order.price = 100;
		r.order.qty = 10;
		r.reserve_price = 100;
		random_clid(r.order.client_order_id, sizeof r.order.client_order_id, prefix, dense_max);
		int known = strmap_get(ref, r.order.client_order_id, NULL);
		err[0] = 0;
		int rc = oms_apply_order_new(o, &r, NULL, NULL, err, sizeof err);
		if (!known && rc != 0)
			fail_msg("order %s: %s", r.order.client_order_id, err);
		if (known) {
			assert_int_equal(rc, -1); /* a duplicate is refused, whichever index holds it */
			assert_non_null(strstr(err, "duplicate"));
			dups++;
			continue;
		}
		assert_int_equal(rc, 0);
		assert_int_equal(strmap_put(ref, r.order.client_order_id, (int64_t)o->norders - 1), 0);
		added++;
	}
	assert_int_equal(o->norders, added);
	assert_true(dups > 0);
	/* Both routes were taken. */
	assert_true(o->nby_counter > 0);
	assert_true(strmap_size(o->by_clid) > 0);
	assert_true(strmap_size(o->by_clid) < added);

	/* Every order is found under its own clid, and random ids (most of them
	 * never placed) are found exactly when the reference knows them. */
	for (size_t i = 0; i < o->norders; i++)
		assert_ptr_equal(oms_find(o, oms_order_ref(o, i)->order.client_order_id), oms_order_ref(o, i));
	size_t hits = 0;
	for (int i = 0; i < 20000; i++) {
		char q[TH_CLORD_MAX];
		random_clid(q, sizeof q, prefix, dense_max);
		int64_t want;
		oms_order *got = oms_find(o, q);
		if (strmap_get(ref, q, &want)) {
			assert_ptr_equal(got, oms_order_ref(o, (size_t)want));
			assert_string_equal(got->order.client_order_id, q);
			hits++;
		} else {
			assert_null(got);
		}
	}
	assert_true(hits > 0);

	strmap_destroy(ref);
	oms_destroy(o);
	capital_destroy(cap);
}

static void test_index_agrees_default_prefix(void **state)
{
	(void)state;
	check_against_reference("th");
}

static void test_index_agrees_long_prefix(void **state)
{
	(void)state;
	check_against_reference("desk7-a");
}

/* A stray huge counter with our prefix (a foreign or hand-edited journal)
 * takes the hash, not a giant array, and is still found. */
static void test_huge_counter_uses_hash(void **state)
{
	(void)state;
	char err[256];
	oms_env env = { NULL, f_now, f_instrument, f_submit, f_clid, f_clid, f_publish, f_last };
	capital_t *cap = capital_create("USDT", err, sizeof err);
	assert_non_null(cap);
	assert_int_equal(capital_add_farm(cap, "farm", err, sizeof err), 0);
	assert_int_equal(capital_add_agent(cap, "alice", "farm", err, sizeof err), 0);
	oms_t *o = oms_create(&env, NULL, NULL, cap, err, sizeof err);
	assert_non_null(o);
	fund(o);
	o->replaying = 1;
	oms_rec_order_new r = { 0 };
	th_strlcpy(r.agent, "alice", sizeof r.agent);
	th_strlcpy(r.farm, "farm", sizeof r.farm);
	th_strlcpy(r.venue, "sim", sizeof r.venue);
	th_strlcpy(r.order.symbol, "BTC-USDT", sizeof r.order.symbol);
	r.order.side = TH_SIDE_BUY;
	r.order.type = TH_ORDER_LIMIT;
	r.order.price_scale = 2;
	r.order.qty_scale = 4;
	r.order.price = 100;
	r.order.qty = 10;
	r.reserve_price = 100;
	th_strlcpy(r.order.client_order_id, "th000000000007", sizeof r.order.client_order_id);
	assert_int_equal(oms_apply_order_new(o, &r, NULL, NULL, err, sizeof err), 0);
	assert_int_equal(o->own_in_hash, 0);
	assert_ptr_equal(oms_find(o, "th000000000007"), oms_order_ref(o, 0));
	assert_null(oms_find(o, "th000000000008")); /* answered by the array alone */
	assert_null(oms_find(o, "th7"));
	size_t dense = o->nby_counter;
	th_strlcpy(r.order.client_order_id, "th18446744073709551615", sizeof r.order.client_order_id);
	assert_int_equal(oms_apply_order_new(o, &r, NULL, NULL, err, sizeof err), 0);
	assert_int_equal(o->nby_counter, dense);
	assert_int_equal(o->own_in_hash, 1);
	assert_ptr_equal(oms_find(o, "th18446744073709551615"), oms_order_ref(o, 1));
	assert_ptr_equal(oms_find(o, "th000000000007"), oms_order_ref(o, 0));
	assert_null(oms_find(o, "th18446744073709551614"));
	assert_null(oms_find(o, "th18446744073709551616")); /* past 64 bits: never canonical */
	assert_int_equal(oms_apply_order_new(o, &r, NULL, NULL, err, sizeof err), -1);
	oms_destroy(o);
	capital_destroy(cap);
}

int main(void)
{
	th_strlcpy(ins.venue, "sim", sizeof ins.venue);
	th_strlcpy(ins.symbol, "BTC-USDT", sizeof ins.symbol);
	th_strlcpy(ins.base, "BTC", sizeof ins.base);
	th_strlcpy(ins.quote, "USDT", sizeof ins.quote);
	ins.price_scale = 2;
	ins.qty_scale = 4;
	ins.tick = 1;
	ins.lot = 10;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_index_agrees_default_prefix),
		cmocka_unit_test(test_index_agrees_long_prefix),
		cmocka_unit_test(test_huge_counter_uses_hash),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
