/* ta_sma.c — simple moving average (definition in th_ta.h). */
#include <string.h>

#include "ta_avg.h"

int th_ta_sma_init(th_ta_sma *s, uint32_t period, th_ta_error *err)
{
	memset(s, 0, sizeof *s);
	int rc = th_ta__check_period(err, "sma", "period", period, 1);
	if (rc != TH_TA_OK)
		return rc;
	rc = th_ta__ring_init(&s->ring, period);
	if (rc != TH_TA_OK) {
		th_ta__error(err, "sma: cannot allocate a window of %u values", (unsigned)period);
		return rc;
	}
	s->period = period;
	return TH_TA_OK;
}

void th_ta__sma_rebuild(th_ta_sma *s)
{
	ta_ksum_clear(&s->sum);
	for (uint32_t i = 0; i < s->ring.count; i++)
		ta_ksum_add(&s->sum, s->ring.buf[i]);
}

int th_ta_sma_update(th_ta_sma *s, double x, double *out)
{
	if (s->period == 0)
		return TH_TA_EPARAM;
	if (ta_bad(x))
		return TH_TA_EINPUT;
	return ta_sma_step(s, x, out);
}

void th_ta_sma_reset(th_ta_sma *s)
{
	ta_ring_clear(&s->ring);
	ta_ksum_clear(&s->sum);
}

void th_ta_sma_free(th_ta_sma *s)
{
	th_ta__ring_free(&s->ring);
	memset(s, 0, sizeof *s);
}

int th_ta_sma_batch(const double *in, size_t n, uint32_t period, double *out)
{
	th_ta_sma s;
	int rc;

	if (n != 0 && (in == NULL || out == NULL))
		return TH_TA_EPARAM;
	rc = th_ta_sma_init(&s, period, NULL);
	if (rc != TH_TA_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		double v;
		if (ta_bad(in[i])) {
			rc = TH_TA_EINPUT;
			break;
		}
		if (ta_sma_step(&s, in[i], &v))
			out[i] = v;
	}
	th_ta_sma_free(&s);
	return rc;
}
