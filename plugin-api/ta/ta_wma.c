/* ta_wma.c — linearly weighted moving average (definition in th_ta.h). */
#include <string.h>

#include "ta_internal.h"

/* Recompute both sums from the window (after an outlier left it; see ta_ksum_stale). */
static void ta_wma_rebuild(th_ta_wma *s)
{
	ta_ksum_clear(&s->sum);
	ta_ksum_clear(&s->wsum);
	for (uint32_t j = 0; j < s->ring.count; j++) {
		uint32_t pos = s->ring.head + j; /* oldest first: the ring is full here */
		if (pos >= s->ring.cap)
			pos -= s->ring.cap;
		double x = s->ring.buf[pos];
		ta_ksum_add(&s->sum, x);
		ta_ksum_add(&s->wsum, (double)(j + 1) * x);
	}
}

static inline int ta_wma_step(th_ta_wma *s, double x, double *out)
{
	double n = (double)s->period;

	if (ta_ring_full(&s->ring)) {
		/* Every weight drops by one (the oldest value's weight 1 reaches 0, which removes
		 * it) and x enters with weight n: W' = W - S + n*x, then S' = S - oldest + x. */
		ta_ksum_add2(&s->wsum, n * x, -ta_ksum_value(&s->sum));
		ta_ksum_add2(&s->sum, x, -ta_ring_oldest(&s->ring));
	} else {
		/* Filling: the value at position c (0 = oldest) has weight c + 1. */
		ta_ksum_add(&s->wsum, (double)(s->ring.count + 1) * x);
		ta_ksum_add(&s->sum, x);
	}
	ta_ring_push(&s->ring, x);
	if (s->ring.count < s->period)
		return 0;
	if (s->ring.head == 0 && (ta_ksum_stale(&s->sum) || ta_ksum_stale(&s->wsum)))
		ta_wma_rebuild(s);
	*out = ta_ksum_value(&s->wsum) / s->denom;
	return 1;
}

int th_ta_wma_init(th_ta_wma *s, uint32_t period, th_ta_error *err)
{
	memset(s, 0, sizeof *s);
	int rc = th_ta__check_period(err, "wma", "period", period, 1);
	if (rc != TH_TA_OK)
		return rc;
	rc = th_ta__ring_init(&s->ring, period);
	if (rc != TH_TA_OK) {
		th_ta__error(err, "wma: cannot allocate a window of %u values", (unsigned)period);
		return rc;
	}
	s->period = period;
	s->denom = (double)period * ((double)period + 1.0) / 2.0;
	return TH_TA_OK;
}

int th_ta_wma_update(th_ta_wma *s, double x, double *out)
{
	if (s->period == 0)
		return TH_TA_EPARAM;
	if (ta_bad(x))
		return TH_TA_EINPUT;
	return ta_wma_step(s, x, out);
}

void th_ta_wma_reset(th_ta_wma *s)
{
	ta_ring_clear(&s->ring);
	ta_ksum_clear(&s->sum);
	ta_ksum_clear(&s->wsum);
}

void th_ta_wma_free(th_ta_wma *s)
{
	th_ta__ring_free(&s->ring);
	memset(s, 0, sizeof *s);
}

int th_ta_wma_batch(const double *in, size_t n, uint32_t period, double *out)
{
	th_ta_wma s;
	int rc;

	if (n != 0 && (in == NULL || out == NULL))
		return TH_TA_EPARAM;
	rc = th_ta_wma_init(&s, period, NULL);
	if (rc != TH_TA_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		double v;
		if (ta_bad(in[i])) {
			rc = TH_TA_EINPUT;
			break;
		}
		if (ta_wma_step(&s, in[i], &v))
			out[i] = v;
	}
	th_ta_wma_free(&s);
	return rc;
}
