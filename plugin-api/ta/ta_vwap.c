/* ta_vwap.c — volume-weighted average price, cumulative or over n bars (see th_ta.h). */
#include <math.h>
#include <string.h>

#include "ta_internal.h"

/* Recompute the rolling sums from the window (after an outlier left it; ta_ksum_stale). */
static void ta_vwap_rebuild(th_ta_vwap *s)
{
	ta_ksum_clear(&s->pv);
	ta_ksum_clear(&s->vol);
	for (uint32_t i = 0; i < s->vol_ring.count; i++) {
		ta_ksum_add(&s->pv, s->pv_ring.buf[i]);
		ta_ksum_add(&s->vol, s->vol_ring.buf[i]);
	}
}

static inline int ta_vwap_step(th_ta_vwap *s, double high, double low, double close,
                               double volume, double *out)
{
	double pv = (high + low + close) / 3.0 * volume;

	if (s->period != 0 && ta_ring_full(&s->vol_ring)) {
		double old_vol = ta_ring_oldest(&s->vol_ring);
		ta_ksum_add2(&s->pv, pv, -ta_ring_oldest(&s->pv_ring));
		ta_ksum_add2(&s->vol, volume, -old_vol);
		if (old_vol > 0.0)
			s->traded--;
	} else {
		ta_ksum_add(&s->pv, pv);
		ta_ksum_add(&s->vol, volume);
	}
	if (s->period != 0) {
		ta_ring_push(&s->pv_ring, pv);
		ta_ring_push(&s->vol_ring, volume);
	}
	if (volume > 0.0)
		s->traded++;
	if (s->period != 0) {
		if (s->vol_ring.count < s->period)
			return 0;
		if (s->vol_ring.head == 0 && (ta_ksum_stale(&s->pv) || ta_ksum_stale(&s->vol)))
			ta_vwap_rebuild(s);
	}
	/* The exact count, not the float sum, decides whether there is volume: a window whose
	 * volume left again can hold a rounding residue instead of 0. */
	double vol = ta_ksum_value(&s->vol);
	if (s->traded == 0 || !(vol > 0.0))
		return 0;
	double vwap = ta_ksum_value(&s->pv) / vol;
	/* A typical price is within TH_TA_INPUT_MAX; beyond it the ratio is rounding residue of an
	 * extreme outlier that left the window before this turn's rebuild: not a value. */
	if (!(fabs(vwap) <= TH_TA_INPUT_MAX))
		return 0;
	*out = vwap;
	return 1;
}

int th_ta_vwap_init(th_ta_vwap *s, uint32_t period, th_ta_error *err)
{
	memset(s, 0, sizeof *s);
	if (period != 0) {
		int rc = th_ta__check_period(err, "vwap", "period", period, 1);
		if (rc != TH_TA_OK)
			return rc;
		if (th_ta__ring_init(&s->pv_ring, period) != TH_TA_OK ||
		    th_ta__ring_init(&s->vol_ring, period) != TH_TA_OK) {
			th_ta_vwap_free(s);
			th_ta__error(err, "vwap: cannot allocate a window of %u bars", (unsigned)period);
			return TH_TA_ENOMEM;
		}
	}
	s->period = period;
	s->live = 1;
	return TH_TA_OK;
}

int th_ta_vwap_update(th_ta_vwap *s, double high, double low, double close, double volume,
                      double *out)
{
	if (!s->live)
		return TH_TA_EPARAM;
	if (ta_bad(high) || ta_bad(low) || ta_bad(close) || ta_bad(volume) || volume < 0.0)
		return TH_TA_EINPUT;
	return ta_vwap_step(s, high, low, close, volume, out);
}

void th_ta_vwap_reset(th_ta_vwap *s)
{
	s->traded = 0;
	ta_ring_clear(&s->pv_ring);
	ta_ring_clear(&s->vol_ring);
	ta_ksum_clear(&s->pv);
	ta_ksum_clear(&s->vol);
}

void th_ta_vwap_free(th_ta_vwap *s)
{
	th_ta__ring_free(&s->pv_ring);
	th_ta__ring_free(&s->vol_ring);
	memset(s, 0, sizeof *s);
}

int th_ta_vwap_batch(const double *high, const double *low, const double *close,
                     const double *volume, size_t n, uint32_t period, double *out)
{
	th_ta_vwap s;
	int rc;

	if (n != 0 && (high == NULL || low == NULL || close == NULL || volume == NULL || out == NULL))
		return TH_TA_EPARAM;
	rc = th_ta_vwap_init(&s, period, NULL);
	if (rc != TH_TA_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		double v;
		if (ta_bad(high[i]) || ta_bad(low[i]) || ta_bad(close[i]) || ta_bad(volume[i]) ||
		    volume[i] < 0.0) {
			rc = TH_TA_EINPUT;
			break;
		}
		if (ta_vwap_step(&s, high[i], low[i], close[i], volume[i], &v))
			out[i] = v;
	}
	th_ta_vwap_free(&s);
	return rc;
}
