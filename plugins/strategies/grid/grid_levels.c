/* grid — building the ladder of levels (arithmetic or geometric), exactly. */
#include <math.h>
#include <stdio.h>

#include "grid.h"

/* nearest multiple of tick (ties up), at least one tick */
static th_price to_tick(th_price v, th_price tick)
{
	th_price r = (v + tick / 2) / tick * tick;
	return r < tick ? tick : r;
}

int grid_levels_build(const grid_params *p, th_price tick_cfg, th_price *levels, char *why, size_t cap)
{
	uint32_t n = p->nlevels;
	th_price lo = p->lower_cfg, hi = p->upper_cfg, span = hi - lo;
	for (uint32_t i = 0; i < n; i++) {
		th_price v;
		if (i == 0) {
			v = lo;
		} else if (i == n - 1) {
			v = hi;
		} else if (p->spacing == GRID_ARITHMETIC) {
			if (th_fixed_muldiv(span, (int64_t)i, (int64_t)(n - 1), &v) != 0) {
				snprintf(why, cap, "key 'upper': the range overflows");
				return -1;
			}
			v += lo;
		} else {
			/* equal ratios: lower x (upper/lower)^(i/(n-1)); the dimensionless
			 * factor is computed in double and applied in integers at 1e-12 */
			double f = pow((double)hi / (double)lo, (double)i / (double)(n - 1));
			if (!isfinite(f) || f < 1.0 || f > 1e6 || th_fixed_muldiv(lo, llround(f * 1e12), 1000000000000LL, &v) != 0) {
				snprintf(why, cap, "key 'upper': the geometric ratio is out of range");
				return -1;
			}
		}
		levels[i] = to_tick(v, tick_cfg);
		if (i > 0 && levels[i] <= levels[i - 1]) {
			snprintf(why, cap, "key 'levels': %u levels between lower and upper are closer than one tick", n);
			return -1;
		}
	}
	return 0;
}

int grid_levels_fit(const th_price *level_cfg, uint32_t n, const kit_inst *in, th_price *levels, char *why,
	size_t cap)
{
	for (uint32_t i = 0; i < n; i++) {
		th_price v;
		/* truncation toward the coarser scale is fine: the tick rounding follows */
		if (th_fixed_rescale(level_cfg[i], KIT_CFG_SCALE, in->price_scale, &v) != 0) {
			snprintf(why, cap, "level %u does not fit the market's price scale", i);
			return -1;
		}
		levels[i] = kit_price_round(in, v, 0);
		if (i > 0 && levels[i] <= levels[i - 1]) {
			snprintf(why, cap, "levels %u and %u fall on the same tick of the venue", i - 1, i);
			return -1;
		}
	}
	return 0;
}
