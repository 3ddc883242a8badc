/*
 * drawdown — the arithmetic of the breaker, free of host calls so the tests
 * can pin it exactly: drawdown from a peak, whether a level is reached, the
 * peak a scope measures from, and soft-level quantity scaling.
 *
 * All in integers: a level is in parts per million of the peak (10 % =
 * 100000 ppm) and "reached" is decided by cross-multiplication in 128 bits,
 * so a drawdown of exactly the level trips and one money unit less does not.
 */
#ifndef DRAWDOWN_DD_MATH_H
#define DRAWDOWN_DD_MATH_H

#include <stdint.h>
#include <tradehost/tradehost.h>

#include "dd_internal.h"

/* 1 if (peak - equity) / peak >= level_ppm / 1e6. Never reached when the level
 * is off (<= 0) or the peak is not positive (nothing to draw down from). */
int dd_reached(int64_t level_ppm, th_money peak, th_money equity);

/* Highest level of `kind` reached for this peak and equity (DD_NONE..DD_KILL). */
int dd_level_reached(const dd_config *c, int kind, th_money peak, th_money equity);

/* Drawdown in ppm, rounded down, for messages and gauges (0 if peak <= 0). */
int64_t dd_ppm(th_money peak, th_money equity);

/* The peak a scope measures from right now: the larger of its stored peak,
 * the current equity and (unless peak_self) the host's peak_equity when that
 * is above the floor set at the last manual re-arm. */
th_money dd_effective_peak(const dd_scope *s, const th_wallet_stats *st, int peak_self);

/* Soft scaling: qty x scale_bps / 10000, rounded down to a multiple of lot.
 * Returns 0 and *out, or -1 if lot <= 0 or qty < 0. *out may be 0 or below
 * min_qty: the caller decides (it denies). */
int dd_scale_qty(th_qty qty, int64_t scale_bps, th_qty lot, th_qty *out);

/* "12.5" from 125000 ppm: percent with trailing zeros trimmed. */
void dd_fmt_pct(int64_t ppm, char *buf, size_t cap);

#endif
