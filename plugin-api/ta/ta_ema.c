/* ta_ema.c — exponential moving average, TA-Lib seeding (definition in th_ta.h). */
#include <string.h>

#include "ta_avg.h"

int th_ta_ema_init(th_ta_ema *s, uint32_t period, th_ta_error *err)
{
	memset(s, 0, sizeof *s);
	int rc = th_ta__check_period(err, "ema", "period", period, 1);
	if (rc != TH_TA_OK)
		return rc;
	s->period = period;
	s->k = 2.0 / ((double)period + 1.0);
	return TH_TA_OK;
}

int th_ta_ema_update(th_ta_ema *s, double x, double *out)
{
	if (s->period == 0)
		return TH_TA_EPARAM;
	if (ta_bad(x))
		return TH_TA_EINPUT;
	return ta_ema_step(s, x, out);
}

void th_ta_ema_reset(th_ta_ema *s)
{
	s->count = 0;
	ta_ksum_clear(&s->seed);
	s->value = 0.0;
}

void th_ta_ema_free(th_ta_ema *s)
{
	memset(s, 0, sizeof *s);
}

int th_ta_ema_batch(const double *in, size_t n, uint32_t period, double *out)
{
	th_ta_ema s;
	int rc;

	if (n != 0 && (in == NULL || out == NULL))
		return TH_TA_EPARAM;
	rc = th_ta_ema_init(&s, period, NULL);
	if (rc != TH_TA_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		double v;
		if (ta_bad(in[i]))
			return TH_TA_EINPUT;
		if (ta_ema_step(&s, in[i], &v))
			out[i] = v;
	}
	return TH_TA_OK;
}
