/*
 * ta_internal.h — private helpers of the indicator library: input and parameter checks,
 * error text, compensated sums, the ring buffer and the rolling-max deque.
 *
 * Everything on the per-update path is static inline so that an indicator's _update and its
 * _batch loop run the same instructions (bit-identical results) while the batch loop can keep
 * the state in registers. Out-of-line helpers are named th_ta__* (double underscore: private)
 * because the library is linked into plugins, where a short name could clash with theirs.
 */
#ifndef TH_TA_INTERNAL_H
#define TH_TA_INTERNAL_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include <tradehost/th_ta.h>

/* NaN, +-Inf and |x| > TH_TA_INPUT_MAX are unusable inputs. Written as !(a <= b) so that a
 * NaN, which fails every comparison, is caught by the same test. */
static inline int ta_bad(double x)
{
	return !(fabs(x) <= TH_TA_INPUT_MAX);
}

/* Write a message into err (if not NULL). */
void th_ta__error(th_ta_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* 0 if min <= v <= TH_TA_PERIOD_MAX, else TH_TA_EPARAM with "who: name must be ..." in err. */
int th_ta__check_period(th_ta_error *err, const char *who, const char *name, uint32_t v,
                        uint32_t min);

/* ---- compensated sum (Knuth two-sum: exact error term whatever the magnitudes) ---- */

static inline void ta_ksum_add(th_ta_ksum *k, double x)
{
	double t = k->sum + x;
	double bp = t - k->sum;
	double err = (k->sum - (t - bp)) + (x - bp);
	double mag = fabs(t);
	k->sum = t;
	k->comp += err;
	if (mag > k->peak)
		k->peak = mag;
}

static inline double ta_ksum_value(const th_ta_ksum *k)
{
	return k->sum + k->comp;
}

/* Add a + b (typically the new value and minus the one leaving the window) as compensated
 * as two ta_ksum_add calls, but with one addition instead of two on the running sum: the
 * dependency chain from one update to the next is what a streaming update waits on. */
static inline void ta_ksum_add2(th_ta_ksum *k, double a, double b)
{
	double d = a + b; /* exact: d + e == a + b */
	double bb = d - a;
	double e = (a - (d - bb)) + (b - bb);
	double t = k->sum + d;
	double bp = t - k->sum;
	double err = (k->sum - (t - bp)) + (d - bp);
	double mag = fabs(t);
	k->sum = t;
	k->comp += err + e;
	if (mag > k->peak)
		k->peak = mag;
}

static inline void ta_ksum_clear(th_ta_ksum *k)
{
	k->sum = 0.0;
	k->comp = 0.0;
	k->peak = 0.0;
}

/* comp collects the rounding errors of sums up to `peak`, so its own rounding leaves a residue
 * of roughly 1e-32 * peak. Harmless while the value is of the same order; when a huge value
 * has passed through a window and left (a bad tick), the value can be far smaller than the
 * residue. Past this ratio the owner rebuilds the sum from its window. */
static inline int ta_ksum_stale(const th_ta_ksum *k)
{
	return k->peak > 0x1p32 * fabs(ta_ksum_value(k));
}

/* ---- ring of the last cap values ---- */

int th_ta__ring_init(th_ta_ring *r, uint32_t cap);
void th_ta__ring_free(th_ta_ring *r);

static inline void ta_ring_clear(th_ta_ring *r)
{
	r->head = 0;
	r->count = 0;
}

static inline int ta_ring_full(const th_ta_ring *r)
{
	return r->count == r->cap;
}

/* The value the next push overwrites; meaningful only when the ring is full. */
static inline double ta_ring_oldest(const th_ta_ring *r)
{
	return r->buf[r->head];
}

static inline void ta_ring_push(th_ta_ring *r, double x)
{
	r->buf[r->head] = x;
	if (++r->head == r->cap)
		r->head = 0;
	if (r->count < r->cap)
		r->count++;
}

/* ---- rolling maximum of the last cap values (van Herk / Gil-Werman blocks) ---- */

int th_ta__winmax_init(th_ta_winmax *m, uint32_t cap);
void th_ta__winmax_free(th_ta_winmax *m);
void th_ta__winmax_clear(th_ta_winmax *m);
/* A block just completed: suffix maxima of it, for the windows of the next block. */
void th_ta__winmax_close_block(th_ta_winmax *m);

/* Values pushed since init/clear. */
static inline uint64_t ta_winmax_seen(const th_ta_winmax *m)
{
	return m->seen;
}

/* Push x and return the maximum of the last cap values pushed (x included): the window is
 * offsets pos+1..cap-1 of the previous block (suf) plus offsets 0..pos of this one (prefix). */
static inline double ta_winmax_push(th_ta_winmax *m, double x)
{
	uint32_t j = m->pos;
	m->val[j] = x;
	m->prefix = (j == 0 || x > m->prefix) ? x : m->prefix;
	double above = m->suf[j + 1];
	double max = above > m->prefix ? above : m->prefix;
	m->seen++;
	if (++m->pos == m->cap)
		th_ta__winmax_close_block(m);
	return max;
}

#endif
