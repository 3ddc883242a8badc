/*
 * report — min/max-preserving downsampling for chart paths. Plain decimation
 * (every k-th point) would drop the very spikes and troughs a trader looks
 * for; keeping each bucket's extremes draws the same envelope with at most
 * REPORT_CHART_MAX_POINTS points however long the backtest was.
 */
#include "report/report_internal.h"

size_t report_downsample_minmax(const double *y, size_t n, size_t max_points, size_t *idx)
{
	if (max_points < 4)
		max_points = 4;
	if (n <= max_points) {
		for (size_t i = 0; i < n; i++)
			idx[i] = i;
		return n;
	}
	/* The first and last points are always kept so the path spans the whole
	 * time axis; the interior [1, n-1) is cut into equal buckets. */
	__extension__ typedef unsigned __int128 wide; /* b * interior cannot overflow */
	size_t k = 0, interior = n - 2, buckets = (max_points - 2) / 2;
	idx[k++] = 0;
	for (size_t b = 0; b < buckets; b++) {
		size_t lo = 1 + (size_t)((wide)b * interior / buckets);
		size_t hi = 1 + (size_t)((wide)(b + 1) * interior / buckets);
		if (lo >= hi)
			continue;
		size_t imin = lo, imax = lo;
		for (size_t i = lo + 1; i < hi; i++) {
			if (y[i] < y[imin])
				imin = i;
			if (y[i] > y[imax])
				imax = i;
		}
		if (imin == imax) {
			idx[k++] = imin;
		} else {
			idx[k++] = imin < imax ? imin : imax;
			idx[k++] = imin < imax ? imax : imin;
		}
	}
	idx[k++] = n - 1;
	return k;
}
