/* ta_donchian.c — Donchian channel: rolling highest high / lowest low (see th_ta.h). */
#include <string.h>

#include "ta_internal.h"

static inline int ta_donchian_step(th_ta_donchian *s, double high, double low, th_ta_bands *out)
{
	double hh = ta_winmax_push(&s->hh, high);
	double ll = -ta_winmax_push(&s->ll, -low);
	if (ta_winmax_seen(&s->hh) < s->period)
		return 0;
	out->upper = hh;
	out->middle = (hh + ll) / 2.0;
	out->lower = ll;
	return 1;
}

int th_ta_donchian_init(th_ta_donchian *s, uint32_t period, th_ta_error *err)
{
	memset(s, 0, sizeof *s);
	int rc = th_ta__check_period(err, "donchian", "period", period, 1);
	if (rc != TH_TA_OK)
		return rc;
	if (th_ta__winmax_init(&s->hh, period) != TH_TA_OK ||
	    th_ta__winmax_init(&s->ll, period) != TH_TA_OK) {
		th_ta_donchian_free(s);
		th_ta__error(err, "donchian: cannot allocate a window of %u values", (unsigned)period);
		return TH_TA_ENOMEM;
	}
	s->period = period;
	return TH_TA_OK;
}

int th_ta_donchian_update(th_ta_donchian *s, double high, double low, th_ta_bands *out)
{
	if (s->period == 0)
		return TH_TA_EPARAM;
	if (ta_bad(high) || ta_bad(low))
		return TH_TA_EINPUT;
	return ta_donchian_step(s, high, low, out);
}

void th_ta_donchian_reset(th_ta_donchian *s)
{
	th_ta__winmax_clear(&s->hh);
	th_ta__winmax_clear(&s->ll);
}

void th_ta_donchian_free(th_ta_donchian *s)
{
	th_ta__winmax_free(&s->hh);
	th_ta__winmax_free(&s->ll);
	memset(s, 0, sizeof *s);
}

int th_ta_donchian_batch(const double *high, const double *low, size_t n, uint32_t period,
                         double *upper, double *middle, double *lower)
{
	th_ta_donchian s;
	int rc;

	if (n != 0 && (high == NULL || low == NULL))
		return TH_TA_EPARAM;
	rc = th_ta_donchian_init(&s, period, NULL);
	if (rc != TH_TA_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		th_ta_bands b;
		if (ta_bad(high[i]) || ta_bad(low[i])) {
			rc = TH_TA_EINPUT;
			break;
		}
		if (ta_donchian_step(&s, high[i], low[i], &b)) {
			if (upper != NULL)
				upper[i] = b.upper;
			if (middle != NULL)
				middle[i] = b.middle;
			if (lower != NULL)
				lower[i] = b.lower;
		}
	}
	th_ta_donchian_free(&s);
	return rc;
}
