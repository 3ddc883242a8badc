/*
 * market — streaming resampling of bars (or trades) into a coarser timeframe.
 *
 * Target bars are aligned to whole multiples of the target interval since the
 * Unix epoch: a 5m bar opens at :00, :05, ...; a 1d bar at 00:00 UTC. The
 * target must be a whole multiple of the source interval (1m → 5m, 15m, 1h,
 * 1d), and source bars must be aligned to their own interval so none straddles
 * a target boundary.
 *
 * A target bar is emitted as soon as it is known to be complete:
 *   - when the source bar that ends exactly at its close arrives, or
 *   - when a source bar (or trade) from a later target period arrives
 *     (the missing source bars at the end were a gap).
 * Gaps never produce bars: a target period without any source data yields
 * nothing, and O/H/L/C/volume come only from the data that exists.
 * The bar still open when the data ends is partial; it is emitted only by
 * resample_flush() — callers decide whether a partial last bar is wanted.
 * For trades, which have no interval to tell completion, resample_advance()
 * closes the open bar once the clock has passed its end.
 *
 * No allocation: a resampler is a plain struct the caller owns.
 */
#ifndef TH_MARKET_RESAMPLE_H
#define TH_MARKET_RESAMPLE_H

#include <stddef.h>
#include <stdint.h>

#include "tradehost/th_types.h"

#define RESAMPLE_MAX_OUT 2 /* bars one push can complete: the previous period and this one */

typedef struct resampler {
	int64_t source_ns;       /* source bar interval; 0 = the input is trades */
	int64_t target_ns;
	th_bar cur;              /* the target bar being built */
	int have_cur;
	int64_t last_time;       /* last input open time (bars) or timestamp (trades) */
	int have_last;
	int32_t price_scale, qty_scale;
	int have_scales;
} resampler;

/* 0, or -1 with a message (target not a positive multiple of the source, ...).
 * source_interval_ns = 0 sets the resampler up for trades. */
int resample_init(resampler *rs, int64_t source_interval_ns, int64_t target_interval_ns, char *err, size_t errlen);

/* Feed one source bar (open times strictly increasing). Writes the completed
 * target bars to out[] in time order and returns how many (0..2), or -1 with
 * a message for a bar of the wrong interval, out of order, straddling a
 * target boundary, with different scales, or overflowing the volume. */
int resample_bar(resampler *rs, const th_bar *in, th_bar out[RESAMPLE_MAX_OUT], char *err, size_t errlen);

/* Feed one trade at ts_ns (non-decreasing). Same return convention; at most 1. */
int resample_trade(resampler *rs, int64_t ts_ns, const th_trade *t, th_bar out[RESAMPLE_MAX_OUT], char *err,
                   size_t errlen);

/* If the open target bar ends at or before now_ns, emit it: 1 = *out filled, 0 = nothing. */
int resample_advance(resampler *rs, int64_t now_ns, th_bar *out);

/* Emit the open (possibly partial) target bar: 1 = *out filled, 0 = nothing open. */
int resample_flush(resampler *rs, th_bar *out);

/* Start of the target period containing t (floor to a multiple of interval). */
int64_t resample_align(int64_t t, int64_t interval_ns);

#endif
