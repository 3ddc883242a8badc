/* ta_bbands.c — Bollinger bands over the rolling moments (definition in th_ta.h). */
#include <math.h>
#include <string.h>

#include "ta_moments.h"

static inline int ta_bbands_step(th_ta_bbands *s, double x, th_ta_bands *out)
{
	ta_moments_out mo;

	if (!ta_moments_push(&s->m, x, &mo))
		return 0;
	double width = s->k * sqrt(mo.var);
	out->upper = mo.mean + width;
	out->middle = mo.mean;
	out->lower = mo.mean - width;
	return 1;
}

int th_ta_bbands_init(th_ta_bbands *s, uint32_t period, double k, th_ta_error *err)
{
	memset(s, 0, sizeof *s);
	int rc = th_ta__check_period(err, "bbands", "period", period, 2);
	if (rc != TH_TA_OK)
		return rc;
	if (!(k >= 0.0 && k <= 1000.0)) {
		th_ta__error(err, "bbands: k (band width in standard deviations) must be between 0 and "
		                  "1000, got %g", k);
		return TH_TA_EPARAM;
	}
	rc = th_ta__moments_init(&s->m, period);
	if (rc != TH_TA_OK) {
		th_ta__error(err, "bbands: cannot allocate a window of %u values", (unsigned)period);
		return rc;
	}
	s->k = k;
	return TH_TA_OK;
}

int th_ta_bbands_update(th_ta_bbands *s, double x, th_ta_bands *out)
{
	if (s->m.period == 0)
		return TH_TA_EPARAM;
	if (ta_bad(x))
		return TH_TA_EINPUT;
	return ta_bbands_step(s, x, out);
}

void th_ta_bbands_reset(th_ta_bbands *s)
{
	th_ta__moments_clear(&s->m);
}

void th_ta_bbands_free(th_ta_bbands *s)
{
	th_ta__moments_free(&s->m);
	memset(s, 0, sizeof *s);
}

int th_ta_bbands_batch(const double *in, size_t n, uint32_t period, double k, double *upper,
                       double *middle, double *lower)
{
	th_ta_bbands s;
	int rc;

	if (n != 0 && in == NULL)
		return TH_TA_EPARAM;
	rc = th_ta_bbands_init(&s, period, k, NULL);
	if (rc != TH_TA_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		th_ta_bands b;
		if (ta_bad(in[i])) {
			rc = TH_TA_EINPUT;
			break;
		}
		if (ta_bbands_step(&s, in[i], &b)) {
			if (upper != NULL)
				upper[i] = b.upper;
			if (middle != NULL)
				middle[i] = b.middle;
			if (lower != NULL)
				lower[i] = b.lower;
		}
	}
	th_ta_bbands_free(&s);
	return rc;
}
