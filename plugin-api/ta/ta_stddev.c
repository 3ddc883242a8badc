/* ta_stddev.c — rolling population standard deviation (definition in th_ta.h). */
#include <math.h>
#include <string.h>

#include "ta_moments.h"

static inline int ta_stddev_step(th_ta_stddev *s, double x, double *out)
{
	ta_moments_out mo;

	if (!ta_moments_push(&s->m, x, &mo))
		return 0;
	*out = sqrt(mo.var);
	return 1;
}

int th_ta_stddev_init(th_ta_stddev *s, uint32_t period, th_ta_error *err)
{
	memset(s, 0, sizeof *s);
	int rc = th_ta__check_period(err, "stddev", "period", period, 2);
	if (rc != TH_TA_OK)
		return rc;
	rc = th_ta__moments_init(&s->m, period);
	if (rc != TH_TA_OK)
		th_ta__error(err, "stddev: cannot allocate a window of %u values", (unsigned)period);
	return rc;
}

int th_ta_stddev_update(th_ta_stddev *s, double x, double *out)
{
	if (s->m.period == 0)
		return TH_TA_EPARAM;
	if (ta_bad(x))
		return TH_TA_EINPUT;
	return ta_stddev_step(s, x, out);
}

void th_ta_stddev_reset(th_ta_stddev *s)
{
	th_ta__moments_clear(&s->m);
}

void th_ta_stddev_free(th_ta_stddev *s)
{
	th_ta__moments_free(&s->m);
}

int th_ta_stddev_batch(const double *in, size_t n, uint32_t period, double *out)
{
	th_ta_stddev s;
	int rc;

	if (n != 0 && (in == NULL || out == NULL))
		return TH_TA_EPARAM;
	rc = th_ta_stddev_init(&s, period, NULL);
	if (rc != TH_TA_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		double v;
		if (ta_bad(in[i])) {
			rc = TH_TA_EINPUT;
			break;
		}
		if (ta_stddev_step(&s, in[i], &v))
			out[i] = v;
	}
	th_ta_stddev_free(&s);
	return rc;
}
