/*
 * ta_test_util.h — helpers for the indicator tests: a tolerance assertion that prints both
 * numbers, a deterministic synthetic OHLCV series, and streaming-vs-batch comparison.
 */
#ifndef TA_TEST_UTIL_H
#define TA_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <tradehost/th_ta.h>

/* |got - want| <= tol, reported with both values and the expression on failure. */
#define assert_near(got, want, tol) ta_assert_near((got), (want), (tol), #got, __FILE__, __LINE__)

static inline void ta_assert_near(double got, double want, double tol, const char *what,
                                  const char *file, int line)
{
	if (!(fabs(got - want) <= tol)) {
		print_error("%s:%d: %s = %.17g, expected %.17g (tolerance %g)\n", file, line, what, got,
		            want, tol);
		_fail(file, line);
	}
}

/* Hand-checked values are quoted to 6-9 digits; 1e-6 absolute is well inside their rounding
 * and far below any real mistake (which moves values by >= 1e-3 on these small series). */
#define HAND_TOL 1e-6

/* Deterministic xorshift64* so every run and machine sees the same series. */
typedef struct ta_rng {
	uint64_t s;
} ta_rng;

static inline double ta_rng_unit(ta_rng *r) /* uniform in [0, 1) */
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return (double)((r->s * 2685821657736338717ULL) >> 11) * (1.0 / 9007199254740992.0);
}

typedef struct ta_series {
	size_t n;
	double *open, *high, *low, *close, *volume;
} ta_series;

/* A random walk around `level` with ticks of 0.01, high >= max(open, close) and
 * low <= min(open, close), volume in [0, 1000) with ~5 % zero-volume bars. Prices are rounded
 * to the tick like real fixed-point prices converted with th_ta_price. */
static inline ta_series ta_series_make(size_t n, double level, uint64_t seed)
{
	ta_series s = { n, NULL, NULL, NULL, NULL, NULL };
	ta_rng r = { seed | 1 };
	double px = level;

	s.open = malloc(n * sizeof(double));
	s.high = malloc(n * sizeof(double));
	s.low = malloc(n * sizeof(double));
	s.close = malloc(n * sizeof(double));
	s.volume = malloc(n * sizeof(double));
	if (!s.open || !s.high || !s.low || !s.close || !s.volume)
		abort();
	for (size_t i = 0; i < n; i++) {
		double o = px;
		double c = round((o + (ta_rng_unit(&r) - 0.5) * level * 0.004) * 100.0) / 100.0;
		if (c <= 0.01)
			c = 0.01;
		double hi = (o > c ? o : c) + round(ta_rng_unit(&r) * level * 0.001 * 100.0) / 100.0;
		double lo = (o < c ? o : c) - round(ta_rng_unit(&r) * level * 0.001 * 100.0) / 100.0;
		if (lo <= 0.005)
			lo = 0.005;
		s.open[i] = o;
		s.high[i] = hi;
		s.low[i] = lo;
		s.close[i] = c;
		s.volume[i] = ta_rng_unit(&r) < 0.05 ? 0.0 : round(ta_rng_unit(&r) * 100000.0) / 100.0;
		px = c;
	}
	return s;
}

static inline void ta_series_free(ta_series *s)
{
	free(s->open);
	free(s->high);
	free(s->low);
	free(s->close);
	free(s->volume);
	memset(s, 0, sizeof *s);
}

/* A double array pre-filled with a sentinel NaN so "left untouched" is checkable. */
static inline double *ta_nan_array(size_t n)
{
	double *a = malloc((n ? n : 1) * sizeof(double));
	if (a == NULL)
		abort();
	for (size_t i = 0; i < n; i++)
		a[i] = NAN;
	return a;
}

/* Bit-exact equality of two arrays, NaN sentinels included (memcmp, not ==). */
static inline void ta_assert_same_bits(const double *a, const double *b, size_t n, const char *what)
{
	for (size_t i = 0; i < n; i++) {
		if (memcmp(&a[i], &b[i], sizeof(double)) != 0) {
			print_error("%s: index %zu differs: %.17g vs %.17g\n", what, i, a[i], b[i]);
			fail();
		}
	}
}

#endif
