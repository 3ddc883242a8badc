/*
 * Fixed-point figures as the decimal text the front door shows (REST, AG-UI):
 * exact, never through a double.
 */
#ifndef HOST_COMMON_MONEY_TEXT_H
#define HOST_COMMON_MONEY_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <tradehost/th_fixed.h>

/* v at `scale` decimals, every decimal kept ("0.0150"); "0" if it does not fit. */
void fixed_text(int64_t v, int32_t scale, char *buf, size_t cap);
/* Money (TH_MONEY_SCALE): at least two decimals, further trailing zeros
 * dropped ("12.50", "0.00012345"); the value stays exact. */
void money_text(th_money v, char *buf, size_t cap);

#endif
