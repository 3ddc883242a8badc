/*
 * Estimators on scenario P&L vectors (see var_stats.h). The tail selection is
 * the only part on the check() path: a bounded max-heap of the k worst values,
 * so a 1,000-scenario ES reads the vector once and sorts ~26 entries.
 */
#include "var_stats.h"

#include <math.h>

__extension__ typedef __int128 var_i128;

var_span var_span_recent(size_t len, size_t newest, size_t n)
{
	var_span s = { 0, 0, 0, 0 };
	if (len == 0 || n == 0)
		return s;
	if (n > len)
		n = len;
	size_t start = (newest + len + 1 - n) % len;
	if (start + n <= len) {
		s.a0 = start;
		s.n0 = n;
	} else {
		s.a0 = start;
		s.n0 = len - start;
		s.a1 = 0;
		s.n1 = n - s.n0;
	}
	return s;
}

size_t var_var_rank(size_t n, uint32_t conf_bp)
{
	if (n == 0)
		return 0;
	/* ceil(n*a) in exact integers: the rank of VaR among ascending losses */
	size_t up = (size_t)(((uint64_t)n * conf_bp + 9999u) / 10000u);
	if (up == 0)
		up = 1;
	return n - up + 1;
}

size_t var_es_need(size_t n, uint32_t conf_bp)
{
	if (n == 0)
		return 0;
	uint64_t m_num = (uint64_t)n * (10000u - conf_bp);
	size_t need = (size_t)(m_num / 10000u) + (m_num % 10000u ? 1 : 0);
	if (need == 0)
		need = 1;
	return need > n ? n : need;
}

static void sift_down(int64_t *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < n && h[l] > h[m])
			m = l;
		if (r < n && h[r] > h[m])
			m = r;
		if (m == i)
			return;
		int64_t t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

static void sift_up(int64_t *h, size_t i)
{
	while (i > 0) {
		size_t p = (i - 1) / 2;
		if (h[p] >= h[i])
			return;
		int64_t t = h[i];
		h[i] = h[p];
		h[p] = t;
		i = p;
	}
}

/* Offers one value to a max-heap holding the k smallest seen so far. Most
 * values are not among them: one compare against the heap's top rejects them. */
static inline void offer(int64_t *h, size_t k, size_t *count, int64_t x)
{
	if (__builtin_expect(*count == k, 1)) {
		if (x < h[0]) {
			h[0] = x;
			sift_down(h, k, 0);
		}
	} else {
		h[*count] = x;
		sift_up(h, *count);
		(*count)++;
	}
}

static void tail_piece(const int64_t *base, const int64_t *delta, size_t a, size_t n, int64_t *h, size_t k,
	size_t *count)
{
	if (delta) {
		for (size_t i = a; i < a + n; i++)
			offer(h, k, count, var_add_sat(base[i], delta[i]));
	} else {
		for (size_t i = a; i < a + n; i++)
			offer(h, k, count, base[i]);
	}
}

void var_tail(const int64_t *base, const int64_t *delta, var_span sp, int64_t *out, size_t k)
{
	size_t count = 0;
	if (k == 0)
		return;
	tail_piece(base, delta, sp.a0, sp.n0, out, k, &count);
	tail_piece(base, delta, sp.a1, sp.n1, out, k, &count);
	/* heap sort: the max goes to the end, leaving out[] ascending */
	for (size_t end = count; end-- > 1;) {
		int64_t t = out[0];
		out[0] = out[end];
		out[end] = t;
		sift_down(out, end, 0);
	}
}

/* Max-heap of ring indices keyed by base[]. */
static void isift_down(const int64_t *base, uint32_t *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < n && base[h[l]] > base[h[m]])
			m = l;
		if (r < n && base[h[r]] > base[h[m]])
			m = r;
		if (m == i)
			return;
		uint32_t t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

void var_tail_index(const int64_t *base, var_span sp, size_t k, uint32_t *idx)
{
	size_t count = 0;
	const size_t a[2] = { sp.a0, sp.a1 }, n[2] = { sp.n0, sp.n1 };
	if (k == 0)
		return;
	for (int part = 0; part < 2; part++) {
		for (size_t i = a[part]; i < a[part] + n[part]; i++) {
			if (count < k) {
				/* sift up */
				size_t c = count++;
				idx[c] = (uint32_t)i;
				while (c > 0 && base[idx[(c - 1) / 2]] < base[idx[c]]) {
					uint32_t t = idx[c];
					idx[c] = idx[(c - 1) / 2];
					idx[(c - 1) / 2] = t;
					c = (c - 1) / 2;
				}
			} else if (base[i] < base[idx[0]]) {
				idx[0] = (uint32_t)i;
				isift_down(base, idx, k, 0);
			}
		}
	}
}

void var_select_smallest(int64_t *a, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1, want = k - 1;
	while (lo < hi) {
		/* median of three as the pivot, then a Hoare partition */
		size_t mid = lo + (hi - lo) / 2;
		int64_t x = a[lo], y = a[mid], z = a[hi];
		int64_t pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
		size_t i = lo, j = hi;
		for (;;) {
			while (a[i] < pivot)
				i++;
			while (a[j] > pivot)
				j--;
			if (i >= j)
				break;
			int64_t t = a[i];
			a[i] = a[j];
			a[j] = t;
			i++;
			j--;
		}
		/* now a[lo..j] <= pivot <= a[j+1..hi] */
		if (want <= j)
			hi = j;
		else
			lo = j + 1;
	}
	/* a[want] is in place; everything before it is <= it */
}

static size_t gather(const int64_t *base, const int64_t *delta, size_t a, size_t n, int64_t bound, int64_t *cand,
	size_t c)
{
	/* no branch on the data: write every entry, advance only past candidates */
	for (size_t i = a; i < a + n; i++) {
		int64_t x = base[i] + delta[i];
		cand[c] = x;
		c += x <= bound;
	}
	return c;
}

size_t var_tail_bounded(const int64_t *base, const int64_t *delta, var_span sp, int64_t bound, int64_t *cand,
	int64_t *out, size_t k)
{
	size_t c = gather(base, delta, sp.a0, sp.n0, bound, cand, 0);
	c = gather(base, delta, sp.a1, sp.n1, bound, cand, c);
	var_tail(cand, NULL, var_span_recent(c ? c : 1, c ? c - 1 : 0, c), out, k < c ? k : c);
	return c;
}

int64_t var_value_at_risk(const int64_t *tail, size_t n, uint32_t conf_bp)
{
	size_t rank = var_var_rank(n, conf_bp);
	if (rank == 0)
		return 0;
	return -tail[rank - 1];
}

int64_t var_expected_shortfall(const int64_t *tail, size_t n, uint32_t conf_bp)
{
	if (n == 0)
		return 0;
	uint64_t m_num = (uint64_t)n * (10000u - conf_bp); /* m = m_num / 10000 scenarios */
	size_t whole = (size_t)(m_num / 10000u);
	uint64_t frac = m_num % 10000u;
	var_i128 num = 0;
	for (size_t j = 0; j < whole && j < n; j++)
		num += (var_i128)(-tail[j]) * 10000;
	if (frac && whole < n)
		num += (var_i128)(-tail[whole]) * (var_i128)frac;
	/* round half away from zero */
	var_i128 d = (var_i128)m_num, q = num / d, r = num % d;
	if (r != 0 && (r < 0 ? -r : r) * 2 >= d)
		q += num < 0 ? -1 : 1;
	if (q > INT64_MAX)
		return INT64_MAX;
	if (q < -INT64_MAX)
		return -INT64_MAX;
	return (int64_t)q;
}

double var_ewma_cov(const double *x, const double *y, size_t n, double lambda)
{
	double w = 1.0 - lambda, acc = 0.0, ln = 1.0;
	if (n == 0)
		return 0.0;
	for (size_t j = n; j-- > 0;) {
		acc += w * x[j] * y[j];
		w *= lambda;
		ln *= lambda;
	}
	return acc / (1.0 - ln);
}

double var_ewma_var_ring(const double *ring, var_span sp, double lambda)
{
	double w = 1.0 - lambda, acc = 0.0, ln = 1.0;
	if (var_span_size(sp) == 0)
		return 0.0;
	for (size_t j = sp.n1; j-- > 0;) {
		double v = ring[sp.a1 + j];
		acc += w * v * v;
		w *= lambda;
		ln *= lambda;
	}
	for (size_t j = sp.n0; j-- > 0;) {
		double v = ring[sp.a0 + j];
		acc += w * v * v;
		w *= lambda;
		ln *= lambda;
	}
	return acc / (1.0 - ln);
}

double var_ewma_var_pnl(const int64_t *ring, var_span sp, double lambda)
{
	double w = 1.0 - lambda, acc = 0.0, ln = 1.0;
	if (var_span_size(sp) == 0)
		return 0.0;
	for (size_t j = sp.n1; j-- > 0;) {
		double v = (double)ring[sp.a1 + j];
		acc += w * v * v;
		w *= lambda;
		ln *= lambda;
	}
	for (size_t j = sp.n0; j-- > 0;) {
		double v = (double)ring[sp.a0 + j];
		acc += w * v * v;
		w *= lambda;
		ln *= lambda;
	}
	return acc / (1.0 - ln);
}

double var_normal_pdf(double z)
{
	return exp(-0.5 * z * z) / sqrt(2.0 * 3.14159265358979323846);
}

static inline int64_t span_at(const int64_t *ring, var_span sp, size_t i)
{
	return i < sp.n0 ? ring[sp.a0 + i] : ring[sp.a1 + (i - sp.n0)];
}

static int64_t clamp128(var_i128 v)
{
	if (v > INT64_MAX)
		return INT64_MAX - 1; /* INT64_MAX marks a taken window below */
	if (v < -INT64_MAX)
		return -INT64_MAX;
	return (int64_t)v;
}

size_t var_worst_windows(const int64_t *ring, var_span sp, size_t len, size_t k, int64_t *loss, uint32_t *end_age,
	int64_t *scratch)
{
	size_t n = var_span_size(sp);
	if (len == 0 || n < len || k == 0)
		return 0;
	size_t nw = n - len + 1;
	var_i128 s = 0;
	for (size_t i = 0; i < len; i++)
		s += span_at(ring, sp, i);
	scratch[0] = clamp128(s);
	for (size_t t = len; t < n; t++) {
		s += span_at(ring, sp, t) - (var_i128)span_at(ring, sp, t - len);
		scratch[t - len + 1] = clamp128(s);
	}
	size_t found = 0;
	while (found < k) {
		size_t best = nw;
		for (size_t t = 0; t < nw; t++)
			if (scratch[t] != INT64_MAX && (best == nw || scratch[t] < scratch[best]))
				best = t;
		if (best == nw)
			break;
		loss[found] = -scratch[best];
		end_age[found] = (uint32_t)(nw - 1 - best);
		found++;
		/* windows sharing a bar with the chosen one are the same episode */
		size_t lo = best >= len - 1 ? best - (len - 1) : 0;
		size_t hi = best + len - 1 < nw ? best + len - 1 : nw - 1;
		for (size_t t = lo; t <= hi; t++)
			scratch[t] = INT64_MAX;
	}
	return found;
}
