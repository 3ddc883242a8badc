/*
 * core_kit — checks on a bar before any indicator sees it. A venue or a bar
 * file can deliver nonsense (a low above the high, a zero price, a scale that
 * changed mid-run); feeding it to an indicator would poison it for as long
 * as its window, so a strategy skips such a bar and says why.
 */
#ifndef KIT_BAR_H
#define KIT_BAR_H

#include <stdint.h>
#include <tradehost/tradehost.h>

/* NULL if the bar is usable, else why not: scales outside 0..18, scales
 * other than the earlier bars' (known_ps/known_qs; pass -1 before the first
 * bar), not 0 < low <= open, close <= high, or a negative volume. */
const char *kit_bar_problem(const th_bar *b, int32_t known_ps, int32_t known_qs);

#endif
