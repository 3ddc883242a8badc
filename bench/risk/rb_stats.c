#include "rb_stats.h"

#include <stdlib.h>

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The ceil(q x n)-th smallest of n sorted samples; q in permille so the
 * rank is exact integer arithmetic (p99.9 of 100,000 = the 99,900th). */
static double rank_permille(const int64_t *sorted, size_t n, size_t permille)
{
	size_t k = (n * permille + 999) / 1000;
	if (k == 0)
		k = 1;
	return (double)sorted[k - 1];
}

rb_summary rb_summarise(int64_t *ns, size_t n)
{
	rb_summary s = { 0, 0, 0, 0, 0 };
	if (n == 0)
		return s;
	qsort(ns, n, sizeof ns[0], cmp_i64);
	double sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += (double)ns[i];
	s.p50 = rank_permille(ns, n, 500);
	s.p99 = rank_permille(ns, n, 990);
	s.p999 = rank_permille(ns, n, 999);
	s.mean = sum / (double)n;
	s.max = (double)ns[n - 1];
	return s;
}

/* The five figures, by index, so one loop takes the median of each. */
enum { F_P50, F_P99, F_P999, F_MEAN, F_MAX, F_COUNT };

static double *field(rb_summary *s, int f)
{
	switch (f) {
	case F_P50: return &s->p50;
	case F_P99: return &s->p99;
	case F_P999: return &s->p999;
	case F_MEAN: return &s->mean;
	default: return &s->max;
	}
}

void rb_median_of(const rb_summary *reps, size_t nreps, rb_summary *median, rb_summary *lo, rb_summary *hi)
{
	double v[RB_MAX_REPS];
	if (nreps > RB_MAX_REPS)
		nreps = RB_MAX_REPS;
	*median = *lo = *hi = (rb_summary){ 0, 0, 0, 0, 0 };
	if (nreps == 0)
		return;
	for (int f = 0; f < F_COUNT; f++) {
		for (size_t i = 0; i < nreps; i++) {
			rb_summary r = reps[i];
			v[i] = *field(&r, f);
		}
		qsort(v, nreps, sizeof v[0], cmp_double);
		*field(median, f) = nreps % 2 ? v[nreps / 2] : (v[nreps / 2 - 1] + v[nreps / 2]) / 2;
		*field(lo, f) = v[0];
		*field(hi, f) = v[nreps - 1];
	}
}
