/* ta_adx.c — average directional index with +DI/-DI, as TA-Lib ADX (see th_ta.h). */
#include <math.h>
#include <string.h>

#include "ta_internal.h"
#include "ta_true_range.h"

static inline int ta_adx_step(th_ta_adx *s, double high, double low, double close,
                              th_ta_adx_out *out)
{
	uint32_t bar = s->count; /* index of this bar, saturating at 2n */
	double n = (double)s->period;

	if (bar == 0) {
		s->prev_high = high;
		s->prev_low = low;
		s->prev_close = close;
		s->count = 1;
		return 0;
	}
	double up = high - s->prev_high;
	double down = s->prev_low - low;
	double plus_dm1 = 0.0, minus_dm1 = 0.0;
	if (down > 0.0 && up < down)
		minus_dm1 = down;
	else if (up > 0.0 && up > down)
		plus_dm1 = up;
	double tr1 = ta_true_range(high, low, s->prev_close);
	s->prev_high = high;
	s->prev_low = low;
	s->prev_close = close;

	if (bar < s->period) {
		/* Bars 1..n-1: plain sums, Wilder's start of the smoothed sums. */
		s->plus_dm += plus_dm1;
		s->minus_dm += minus_dm1;
		s->tr += tr1;
		s->count++;
		return 0;
	}
	/* Wilder's smoothing of sums (not averages), in TA-Lib's operation order. */
	s->plus_dm = (s->plus_dm - s->plus_dm / n) + plus_dm1;
	s->minus_dm = (s->minus_dm - s->minus_dm / n) + minus_dm1;
	s->tr = (s->tr - s->tr / n) + tr1;

	double plus_di = 0.0, minus_di = 0.0, dx = 0.0;
	int have_dx = 0;
	/* TRn == 0, or so small beside a DM (only possible with closes outside the bars'
	 * ranges) that the ratio would overflow: no direction this bar. */
	if (s->tr != 0.0 && s->plus_dm <= s->tr * 1e250 && s->minus_dm <= s->tr * 1e250) {
		minus_di = 100.0 * (s->minus_dm / s->tr);
		plus_di = 100.0 * (s->plus_dm / s->tr);
		double di_sum = minus_di + plus_di;
		if (di_sum != 0.0) {
			dx = 100.0 * (fabs(minus_di - plus_di) / di_sum);
			have_dx = 1;
		}
	}
	if (bar < 2 * s->period - 1) {
		if (have_dx)
			s->sum_dx += dx;
		s->count++;
		return 0;
	}
	if (bar == 2 * s->period - 1) {
		if (have_dx)
			s->sum_dx += dx;
		s->adx = s->sum_dx / n; /* seed: the mean of the first n DX (a skipped DX counts 0) */
		s->count++;
	} else if (have_dx) {
		s->adx = (s->adx * (n - 1.0) + dx) / n;
	}
	out->adx = s->adx;
	out->plus_di = plus_di;
	out->minus_di = minus_di;
	return 1;
}

int th_ta_adx_init(th_ta_adx *s, uint32_t period, th_ta_error *err)
{
	memset(s, 0, sizeof *s);
	int rc = th_ta__check_period(err, "adx", "period", period, 1);
	if (rc != TH_TA_OK)
		return rc;
	s->period = period;
	return TH_TA_OK;
}

int th_ta_adx_update(th_ta_adx *s, double high, double low, double close, th_ta_adx_out *out)
{
	if (s->period == 0)
		return TH_TA_EPARAM;
	if (ta_bad(high) || ta_bad(low) || ta_bad(close))
		return TH_TA_EINPUT;
	return ta_adx_step(s, high, low, close, out);
}

void th_ta_adx_reset(th_ta_adx *s)
{
	uint32_t period = s->period;
	memset(s, 0, sizeof *s);
	s->period = period;
}

void th_ta_adx_free(th_ta_adx *s)
{
	memset(s, 0, sizeof *s);
}

int th_ta_adx_batch(const double *high, const double *low, const double *close, size_t n,
                    uint32_t period, double *adx, double *plus_di, double *minus_di)
{
	th_ta_adx s;
	int rc;

	if (n != 0 && (high == NULL || low == NULL || close == NULL))
		return TH_TA_EPARAM;
	rc = th_ta_adx_init(&s, period, NULL);
	if (rc != TH_TA_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		th_ta_adx_out o;
		if (ta_bad(high[i]) || ta_bad(low[i]) || ta_bad(close[i]))
			return TH_TA_EINPUT;
		if (ta_adx_step(&s, high[i], low[i], close[i], &o)) {
			if (adx != NULL)
				adx[i] = o.adx;
			if (plus_di != NULL)
				plus_di[i] = o.plus_di;
			if (minus_di != NULL)
				minus_di[i] = o.minus_di;
		}
	}
	return TH_TA_OK;
}
