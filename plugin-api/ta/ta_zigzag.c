/* ta_zigzag.c — percentage zig-zag pivots, confirmed without repainting (see th_ta.h). */
#include <string.h>

#include "ta_internal.h"

static inline int ta_zigzag_pivot(th_ta_zigzag_pivot *out, uint64_t index, double price, int kind)
{
	out->index = index;
	out->price = price;
	out->kind = kind;
	return 1;
}

static inline int ta_zigzag_step(th_ta_zigzag *s, double high, double low, th_ta_zigzag_pivot *out)
{
	uint64_t bar = s->n++;
	double drop = s->hi * (1.0 - s->p);  /* a low at or below this confirms the high */
	double rise = s->lo * (1.0 + s->p);  /* a high at or above this confirms the low */

	if (s->dir == 0) {
		if (bar == 0) {
			s->hi = high;
			s->lo = low;
			s->hi_idx = s->lo_idx = 0;
			return 0;
		}
		int new_hi = high > s->hi, new_lo = low < s->lo;
		if (new_hi) {
			s->hi = high;
			s->hi_idx = bar;
		}
		if (new_lo) {
			s->lo = low;
			s->lo_idx = bar;
		}
		/* A bar that moved a candidate cannot confirm it (order inside a bar is unknown). */
		if (!new_hi && low <= drop) {
			s->dir = -1;
			s->lo = low;
			s->lo_idx = bar;
			return ta_zigzag_pivot(out, s->hi_idx, s->hi, +1);
		}
		if (!new_lo && high >= rise) {
			s->dir = +1;
			s->hi = high;
			s->hi_idx = bar;
			return ta_zigzag_pivot(out, s->lo_idx, s->lo, -1);
		}
		return 0;
	}
	if (s->dir > 0) {
		if (high > s->hi) {
			s->hi = high;
			s->hi_idx = bar;
			return 0;
		}
		if (low <= drop) {
			s->dir = -1;
			s->lo = low;
			s->lo_idx = bar;
			return ta_zigzag_pivot(out, s->hi_idx, s->hi, +1);
		}
		return 0;
	}
	if (low < s->lo) {
		s->lo = low;
		s->lo_idx = bar;
		return 0;
	}
	if (high >= rise) {
		s->dir = +1;
		s->hi = high;
		s->hi_idx = bar;
		return ta_zigzag_pivot(out, s->lo_idx, s->lo, -1);
	}
	return 0;
}

static inline int ta_zigzag_bad(double high, double low)
{
	return ta_bad(high) || ta_bad(low) || !(low > 0.0) || low > high;
}

int th_ta_zigzag_init(th_ta_zigzag *s, double pct, th_ta_error *err)
{
	memset(s, 0, sizeof *s);
	if (!(pct > 0.0 && pct < 100.0)) {
		th_ta__error(err, "zigzag: pct (reversal in percent) must be greater than 0 and less "
		                  "than 100, got %g", pct);
		return TH_TA_EPARAM;
	}
	s->p = pct / 100.0;
	return TH_TA_OK;
}

int th_ta_zigzag_update(th_ta_zigzag *s, double high, double low, th_ta_zigzag_pivot *out)
{
	if (!(s->p > 0.0))
		return TH_TA_EPARAM;
	if (ta_zigzag_bad(high, low))
		return TH_TA_EINPUT;
	return ta_zigzag_step(s, high, low, out);
}

void th_ta_zigzag_reset(th_ta_zigzag *s)
{
	double p = s->p;
	memset(s, 0, sizeof *s);
	s->p = p;
}

void th_ta_zigzag_free(th_ta_zigzag *s)
{
	memset(s, 0, sizeof *s);
}

int th_ta_zigzag_batch(const double *high, const double *low, size_t n, double pct,
                       th_ta_zigzag_pivot *out)
{
	th_ta_zigzag s;
	int rc;

	if (n != 0 && (high == NULL || low == NULL || out == NULL))
		return TH_TA_EPARAM;
	rc = th_ta_zigzag_init(&s, pct, NULL);
	if (rc != TH_TA_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		th_ta_zigzag_pivot pv;
		if (ta_zigzag_bad(high[i], low[i]))
			return TH_TA_EINPUT;
		if (ta_zigzag_step(&s, high[i], low[i], &pv))
			out[i] = pv;
	}
	return TH_TA_OK;
}
