/*
 * ta_avg.h — the per-update steps of the three moving averages (SMA, EMA, SMMA). Other
 * indicators are built from them (MACD from EMAs, RSI and ATR from SMMAs, STOCH from SMAs),
 * so they live here as static inline code that every caller compiles in.
 *
 * A step assumes valid state and a checked input; it returns 1 and writes *out when the
 * average is valid, else 0 with *out untouched.
 */
#ifndef TH_TA_AVG_H
#define TH_TA_AVG_H

#include "ta_internal.h"

/* Recompute the SMA's sum from its window (after an outlier left it; see ta_ksum_stale). */
void th_ta__sma_rebuild(th_ta_sma *s);

static inline int ta_sma_step(th_ta_sma *s, double x, double *out)
{
	/* Remove exactly the value that was added n updates ago, so the compensated sum does
	 * not drift however long the series is. */
	if (ta_ring_full(&s->ring))
		ta_ksum_add2(&s->sum, x, -ta_ring_oldest(&s->ring));
	else
		ta_ksum_add(&s->sum, x);
	ta_ring_push(&s->ring, x);
	if (s->ring.count < s->period)
		return 0;
	if (s->ring.head == 0 && ta_ksum_stale(&s->sum)) /* once per turn of the window */
		th_ta__sma_rebuild(s);
	*out = ta_ksum_value(&s->sum) / (double)s->period;
	return 1;
}

static inline int ta_ema_step(th_ta_ema *s, double x, double *out)
{
	if (s->count < s->period) {
		/* TA-Lib seed: the SMA of the first n inputs. */
		ta_ksum_add(&s->seed, x);
		if (++s->count < s->period)
			return 0;
		s->value = ta_ksum_value(&s->seed) / (double)s->period;
	} else {
		s->value = (x - s->value) * s->k + s->value;
	}
	*out = s->value;
	return 1;
}

static inline int ta_smma_step(th_ta_smma *s, double x, double *out)
{
	if (s->count < s->period) {
		ta_ksum_add(&s->seed, x);
		if (++s->count < s->period)
			return 0;
		s->value = ta_ksum_value(&s->seed) / (double)s->period;
	} else {
		/* The operation order of TA-Lib's RSI/ATR: multiply by n-1, add, divide by n. */
		s->value = (s->value * (double)(s->period - 1) + x) / (double)s->period;
	}
	*out = s->value;
	return 1;
}

#endif
