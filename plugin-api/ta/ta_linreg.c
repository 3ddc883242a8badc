/* ta_linreg.c — rolling least-squares slope, TA-Lib LINEARREG_SLOPE (see th_ta.h). */
#include <string.h>

#include "ta_internal.h"

/* Once per turn of the window: recompute both sums from the buffer, centred on the current
 * window mean, so the W recurrence never accumulates more than n rounding errors. */
static void ta_linreg_rebuild(th_ta_linreg *s)
{
	double centre = s->shift + ta_ksum_value(&s->sum) / (double)s->period;
	ta_ksum_clear(&s->sum);
	ta_ksum_clear(&s->wsum);
	for (uint32_t j = 0; j < s->ring.count; j++) {
		uint32_t pos = s->ring.head + j; /* oldest first: the ring is full here */
		if (pos >= s->ring.cap)
			pos -= s->ring.cap;
		double y = s->ring.buf[pos] - centre;
		ta_ksum_add(&s->sum, y);
		ta_ksum_add(&s->wsum, (double)j * y);
	}
	s->shift = centre;
}

static inline int ta_linreg_step(th_ta_linreg *s, double x, double *out)
{
	if (s->ring.count == 0)
		s->shift = x; /* slope is shift-invariant; shifting keeps the sums small */
	double y = x - s->shift;
	double n = (double)s->period;

	if (ta_ring_full(&s->ring)) {
		/* W = sum of j*y_j with j = 0 (oldest) .. n-1 (newest). Sliding by one lowers every
		 * surviving weight by one and adds y with weight n-1:
		 * W' = W - (S - y_oldest) + (n-1)*y. */
		double old = ta_ring_oldest(&s->ring) - s->shift;
		ta_ksum_add2(&s->wsum, (n - 1.0) * y, old - ta_ksum_value(&s->sum));
		ta_ksum_add2(&s->sum, y, -old);
	} else {
		ta_ksum_add(&s->wsum, (double)s->ring.count * y);
		ta_ksum_add(&s->sum, y);
	}
	ta_ring_push(&s->ring, x);
	if (s->ring.count < s->period)
		return 0;
	if (s->ring.head == 0)
		ta_linreg_rebuild(s);
	*out = (n * ta_ksum_value(&s->wsum) - s->sum_x * ta_ksum_value(&s->sum)) / s->denom;
	return 1;
}

int th_ta_linreg_init(th_ta_linreg *s, uint32_t period, th_ta_error *err)
{
	memset(s, 0, sizeof *s);
	int rc = th_ta__check_period(err, "linreg_slope", "period", period, 2);
	if (rc != TH_TA_OK)
		return rc;
	rc = th_ta__ring_init(&s->ring, period);
	if (rc != TH_TA_OK) {
		th_ta__error(err, "linreg_slope: cannot allocate a window of %u values", (unsigned)period);
		return rc;
	}
	double n = (double)period;
	s->period = period;
	s->sum_x = n * (n - 1.0) / 2.0;
	/* n * sum(i^2) - (sum i)^2 over i = 0..n-1, which simplifies to n^2 (n^2 - 1) / 12. */
	s->denom = n * n * (n * n - 1.0) / 12.0;
	return TH_TA_OK;
}

int th_ta_linreg_update(th_ta_linreg *s, double x, double *out)
{
	if (s->period == 0)
		return TH_TA_EPARAM;
	if (ta_bad(x))
		return TH_TA_EINPUT;
	return ta_linreg_step(s, x, out);
}

void th_ta_linreg_reset(th_ta_linreg *s)
{
	ta_ring_clear(&s->ring);
	s->shift = 0.0;
	ta_ksum_clear(&s->sum);
	ta_ksum_clear(&s->wsum);
}

void th_ta_linreg_free(th_ta_linreg *s)
{
	th_ta__ring_free(&s->ring);
	memset(s, 0, sizeof *s);
}

int th_ta_linreg_batch(const double *in, size_t n, uint32_t period, double *out)
{
	th_ta_linreg s;
	int rc;

	if (n != 0 && (in == NULL || out == NULL))
		return TH_TA_EPARAM;
	rc = th_ta_linreg_init(&s, period, NULL);
	if (rc != TH_TA_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		double v;
		if (ta_bad(in[i])) {
			rc = TH_TA_EINPUT;
			break;
		}
		if (ta_linreg_step(&s, in[i], &v))
			out[i] = v;
	}
	th_ta_linreg_free(&s);
	return rc;
}
