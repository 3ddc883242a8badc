/* SDK th_fixed_muldiv: its 64-bit fast path (taken when a * b fits int64)
 * must give exactly what the 128-bit computation gives — same quotient,
 * same half-away-from-zero rounding, same failures. The reference below is
 * the plain 128-bit formula, checked on edge values (products just inside
 * and just outside int64, halves, INT64_MIN/MAX, d = 1, 2, 3, INT64_MAX)
 * and on many pseudo-random inputs of every magnitude. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tradehost/th_fixed.h"

__extension__ typedef __int128 i128;

static int reference_muldiv(int64_t a, int64_t b, int64_t d, int64_t *out)
{
	if (d <= 0)
		return -1;
	i128 p = (i128)a * (i128)b;
	i128 q = p / d, r = p % d;
	if (r != 0 && (r < 0 ? -r : r) * 2 >= d)
		q += (p < 0) ? -1 : 1;
	if (q > INT64_MAX || q < INT64_MIN)
		return -1;
	*out = (int64_t)q;
	return 0;
}

static unsigned long checked, fast_checked;

static void check(int64_t a, int64_t b, int64_t d)
{
	int64_t got = 0x5a5a, want = 0x5a5a, p;
	int rc_got = th_fixed_muldiv(a, b, d, &got);
	int rc_want = reference_muldiv(a, b, d, &want);
	if (rc_got != rc_want || got != want)
		fail_msg("th_fixed_muldiv(%lld, %lld, %lld): rc %d value %lld, 128-bit reference rc %d value %lld",
			(long long)a, (long long)b, (long long)d, rc_got, (long long)got, rc_want, (long long)want);
	checked++;
	if (d > 0 && !__builtin_mul_overflow(a, b, &p))
		fast_checked++;
}

static const int64_t edges[] = { 0, 1, -1, 2, -2, 3, -3, 5, -5, 7, 10, -10, 99, 100, 101, 10000, -10000,
	3037000499LL, -3037000499LL, 3037000500LL, -3037000500LL, 4294967296LL, -4294967296LL,
	INT64_MAX / 2, INT64_MAX / 2 + 1, INT64_MIN / 2, INT64_MIN / 2 - 1, INT64_MAX - 1, INT64_MAX,
	INT64_MIN + 1, INT64_MIN };

static void test_edges_match_128bit(void **state)
{
	(void)state;
	size_t n = sizeof edges / sizeof edges[0];
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++)
			for (size_t k = 0; k < n; k++)
				check(edges[i], edges[j], edges[k]);
	/* Exact halves round away from zero on both sides. */
	int64_t v;
	assert_int_equal(th_fixed_muldiv(5, 1, 2, &v), 0);
	assert_int_equal(v, 3);
	assert_int_equal(th_fixed_muldiv(-5, 1, 2, &v), 0);
	assert_int_equal(v, -3);
	assert_int_equal(th_fixed_muldiv(7, 1, 3, &v), 0);
	assert_int_equal(v, 2);
	/* Largest remainder with d near INT64_MAX: 2|r| would overflow int64. */
	assert_int_equal(th_fixed_muldiv(INT64_MAX - 1, 1, INT64_MAX, &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(th_fixed_muldiv(INT64_MIN + 1, 1, INT64_MAX, &v), 0);
	assert_int_equal(v, -1);
	assert_int_equal(th_fixed_muldiv(1, 1, 0, &v), -1);
}

/* xorshift64*: deterministic, so a failure reproduces. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

/* A value of random magnitude (0..63 bits) and sign. */
static int64_t rnd_value(void)
{
	unsigned bits = (unsigned)(rnd() % 64);
	uint64_t m = bits == 0 ? 0 : rnd() >> (64 - bits);
	return (rnd() & 1) ? -(int64_t)m : (int64_t)m;
}

static void test_random_match_128bit(void **state)
{
	(void)state;
	for (int i = 0; i < 2000000; i++) {
		int64_t a = rnd_value(), b = rnd_value(), d = rnd_value();
		check(a, b, d < 0 ? -d : d);
		check(a, b, d);
	}
	/* Products around the money scale: prices x quantities / 10^k. */
	for (int i = 0; i < 200000; i++)
		check((int64_t)(rnd() % 10000000000000LL), (int64_t)(rnd() % 100000000LL) - 50000000LL,
			th_pow10((int)(rnd() % 19)));
	/* Both paths were exercised, not just one. */
	assert_true(fast_checked > checked / 4);
	assert_true(fast_checked < checked);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edges_match_128bit),
		cmocka_unit_test(test_random_match_128bit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
