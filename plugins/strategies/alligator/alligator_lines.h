/*
 * alligator_lines — Bill Williams's indicators for the alligator agent:
 *
 *   - a line: SMMA(period) of the median price (H+L)/2, shifted forward
 *     `shift` bars, i.e. its value at bar t is the SMMA computed at bar
 *     t - shift (jaw 13/8, teeth 8/5, lips 5/3);
 *   - fractals: an up fractal is a bar whose high is strictly above the highs
 *     of the two bars before and the two bars after it (a down fractal
 *     mirrors this on lows); it is known two bars after it formed;
 *   - the awesome oscillator, SMA(fast) - SMA(slow) of the median price, is
 *     computed by the agent with th_ta_sma.
 *
 * The SMMA comes from th_ta (it has no window buffer, so a line is plain data
 * and is copied as is on hot reload). Fractal levels stay exact prices.
 */
#ifndef ALLIGATOR_ALLIGATOR_LINES_H
#define ALLIGATOR_ALLIGATOR_LINES_H

#include <stdint.h>
#include <tradehost/th_fixed.h>
#include <tradehost/th_ta.h>

#define ALLIGATOR_MAX_SHIFT 64

typedef struct allig_line {
	th_ta_smma smma;
	uint32_t period, shift;
	uint64_t n;                              /* SMMA values produced */
	double hist[ALLIGATOR_MAX_SHIFT + 1];    /* ring of the last shift+1 SMMA values */
} allig_line;

/* period in 1..TH_TA_PERIOD_MAX, shift in 0..ALLIGATOR_MAX_SHIFT. */
int allig_line_init(allig_line *l, uint32_t period, uint32_t shift, th_ta_error *err);
/* Feed a median price. 1 and *out = the line's value at this bar once the
 * SMMA has `shift` values behind it; 0 while warming up; TH_TA_EINPUT. */
int allig_line_update(allig_line *l, double median, double *out);

/* Fractal detection on exact prices. */
typedef struct allig_fractals {
	th_price hi[5], lo[5];  /* the last five bars, oldest first once n >= 5 */
	uint64_t n;
	th_price up, down;      /* the last up / down fractal accepted as a breakout level */
	int32_t has_up, has_down; /* 1 until price breaks that level (one signal per fractal) */
} allig_fractals;

#define ALLIG_FRACTAL_UP 1
#define ALLIG_FRACTAL_DOWN 2

/* Feed a bar; returns ALLIG_FRACTAL_UP and/or _DOWN for fractals confirmed by
 * this bar (formed two bars ago), with their prices in *up / *down. */
int allig_fractals_update(allig_fractals *f, th_price high, th_price low, th_price *up, th_price *down);

#endif
