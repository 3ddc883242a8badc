/* ta_true_range.h — Wilder's true range, shared by ATR and ADX. */
#ifndef TH_TA_TRUE_RANGE_H
#define TH_TA_TRUE_RANGE_H

#include <math.h>

/* max(high - low, |high - prev_close|, |low - prev_close|), compared in TA-Lib's order. */
static inline double ta_true_range(double high, double low, double prev_close)
{
	double tr = high - low;
	double a = fabs(high - prev_close);
	if (a > tr)
		tr = a;
	a = fabs(low - prev_close);
	if (a > tr)
		tr = a;
	return tr;
}

#endif
