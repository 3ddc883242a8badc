/*
 * ta_moments.h — rolling mean and population variance over a window (STDDEV, ZSCORE, BBANDS).
 *
 * Numerics: the sums are of d = x - shift, compensated, and a value leaves the sums as exactly
 * the d it entered with, so nothing drifts. The variance m2 - m1^2 loses about
 * log10(1 + m1^2/var) digits to cancellation, m1 being the window mean measured from the
 * shift; so once per turn of the ring, if the mean has drifted more than 4 standard
 * deviations from the shift, the shift moves to the mean and the sums are recomputed from the
 * window (O(n) at most every n updates: amortised O(1)). The same rebuild runs when an outlier
 * has passed through (ta_ksum_stale on the squares, whose residue would otherwise swamp the
 * variance of a low-priced instrument for good).
 */
#ifndef TH_TA_MOMENTS_H
#define TH_TA_MOMENTS_H

#include <float.h>

#include "ta_internal.h"

typedef struct ta_moments_out {
	double mean; /* window mean */
	double var;  /* population variance, >= 0 */
	double dev;  /* newest input minus the mean, computed without cancellation */
} ta_moments_out;

int th_ta__moments_init(th_ta_moments *m, uint32_t period);
void th_ta__moments_free(th_ta_moments *m);
void th_ta__moments_clear(th_ta_moments *m);
void th_ta__moments_recentre(th_ta_moments *m);

static inline int ta_moments_push(th_ta_moments *m, double x, ta_moments_out *o)
{
	if (m->ring.count == 0)
		m->shift = x; /* centre on the first input: its window has d values near 0 */
	double d = x - m->shift;
	if (ta_ring_full(&m->ring)) {
		double od = ta_ring_oldest(&m->ring) - m->shift;
		ta_ksum_add2(&m->s1, d, -od);
		ta_ksum_add2(&m->s2, d * d, -(od * od));
	} else {
		ta_ksum_add(&m->s1, d);
		ta_ksum_add(&m->s2, d * d);
	}
	ta_ring_push(&m->ring, x);
	if (m->ring.count < m->period)
		return 0;

	double n = (double)m->period;
	double m1 = ta_ksum_value(&m->s1) / n;
	double m2 = ta_ksum_value(&m->s2) / n;
	double var = m2 - m1 * m1;
	if (m->ring.head == 0 && (m1 * m1 > 16.0 * var || ta_ksum_stale(&m->s2))) {
		th_ta__moments_recentre(m);
		d = x - m->shift;
		m1 = ta_ksum_value(&m->s1) / n;
		m2 = ta_ksum_value(&m->s2) / n;
		var = m2 - m1 * m1;
	}
	/* What is left below the rounding noise of m2 is not a variance (a flat window would
	 * otherwise report a tiny positive deviation and a z-score of noise). */
	if (var < 64.0 * DBL_EPSILON * m2)
		var = 0.0;
	o->mean = m->shift + m1;
	o->var = var;
	o->dev = d - m1;
	return 1;
}

#endif
