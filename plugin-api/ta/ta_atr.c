/* ta_atr.c — average true range, TA-Lib seeding (definition in th_ta.h). */
#include <string.h>

#include "ta_avg.h"
#include "ta_true_range.h"

static inline int ta_atr_step(th_ta_atr *s, double high, double low, double close, double *out)
{
	if (!s->have_prev) {
		s->prev_close = close; /* bar 0 has no true range, only a close for bar 1 */
		s->have_prev = 1;
		return 0;
	}
	double tr = ta_true_range(high, low, s->prev_close);
	s->prev_close = close;
	return ta_smma_step(&s->tr, tr, out);
}

int th_ta_atr_init(th_ta_atr *s, uint32_t period, th_ta_error *err)
{
	memset(s, 0, sizeof *s);
	int rc = th_ta__check_period(err, "atr", "period", period, 1);
	if (rc != TH_TA_OK)
		return rc;
	th_ta_smma_init(&s->tr, period, NULL);
	s->period = period;
	return TH_TA_OK;
}

int th_ta_atr_update(th_ta_atr *s, double high, double low, double close, double *out)
{
	if (s->period == 0)
		return TH_TA_EPARAM;
	if (ta_bad(high) || ta_bad(low) || ta_bad(close))
		return TH_TA_EINPUT;
	return ta_atr_step(s, high, low, close, out);
}

void th_ta_atr_reset(th_ta_atr *s)
{
	s->have_prev = 0;
	s->prev_close = 0.0;
	th_ta_smma_reset(&s->tr);
}

void th_ta_atr_free(th_ta_atr *s)
{
	memset(s, 0, sizeof *s);
}

int th_ta_atr_batch(const double *high, const double *low, const double *close, size_t n,
                    uint32_t period, double *out)
{
	th_ta_atr s;
	int rc;

	if (n != 0 && (high == NULL || low == NULL || close == NULL || out == NULL))
		return TH_TA_EPARAM;
	rc = th_ta_atr_init(&s, period, NULL);
	if (rc != TH_TA_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		double v;
		if (ta_bad(high[i]) || ta_bad(low[i]) || ta_bad(close[i]))
			return TH_TA_EINPUT;
		if (ta_atr_step(&s, high[i], low[i], close[i], &v))
			out[i] = v;
	}
	return TH_TA_OK;
}
