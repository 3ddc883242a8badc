/* ta_rsi.c — relative strength index with Wilder smoothing (definition in th_ta.h). */
#include <string.h>

#include "ta_avg.h"

static inline int ta_rsi_step(th_ta_rsi *s, double x, double *out)
{
	double avg_gain, avg_loss;

	if (s->count == 0) {
		s->prev = x; /* the first price only provides the base of the first change */
		s->count = 1;
		return 0;
	}
	double change = x - s->prev;
	s->prev = x;
	/* Both averages take a value every bar (0 for the side that did not move), which is
	 * TA-Lib's "multiply by n-1, add today's gain or loss, divide by n". */
	int ready = ta_smma_step(&s->gain, change > 0.0 ? change : 0.0, &avg_gain);
	ta_smma_step(&s->loss, change < 0.0 ? -change : 0.0, &avg_loss);
	if (!ready)
		return 0;
	avg_loss = s->loss.value; /* both averages become ready on the same bar */
	double total = avg_gain + avg_loss;
	*out = total != 0.0 ? 100.0 * (avg_gain / total) : 0.0;
	return 1;
}

int th_ta_rsi_init(th_ta_rsi *s, uint32_t period, th_ta_error *err)
{
	memset(s, 0, sizeof *s);
	int rc = th_ta__check_period(err, "rsi", "period", period, 2);
	if (rc != TH_TA_OK)
		return rc;
	th_ta_smma_init(&s->gain, period, NULL);
	th_ta_smma_init(&s->loss, period, NULL);
	s->period = period;
	return TH_TA_OK;
}

int th_ta_rsi_update(th_ta_rsi *s, double x, double *out)
{
	if (s->period == 0)
		return TH_TA_EPARAM;
	if (ta_bad(x))
		return TH_TA_EINPUT;
	return ta_rsi_step(s, x, out);
}

void th_ta_rsi_reset(th_ta_rsi *s)
{
	s->count = 0;
	s->prev = 0.0;
	th_ta_smma_reset(&s->gain);
	th_ta_smma_reset(&s->loss);
}

void th_ta_rsi_free(th_ta_rsi *s)
{
	memset(s, 0, sizeof *s);
}

int th_ta_rsi_batch(const double *in, size_t n, uint32_t period, double *out)
{
	th_ta_rsi s;
	int rc;

	if (n != 0 && (in == NULL || out == NULL))
		return TH_TA_EPARAM;
	rc = th_ta_rsi_init(&s, period, NULL);
	if (rc != TH_TA_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		double v;
		if (ta_bad(in[i]))
			return TH_TA_EINPUT;
		if (ta_rsi_step(&s, in[i], &v))
			out[i] = v;
	}
	return TH_TA_OK;
}
