/*
 * elliott_count — Elliott wave counts on zig-zag pivots, checked against the
 * three hard rules and Fibonacci ratio bands. Pure functions on exact prices
 * (ratios of exact wave lengths are computed in double: they are
 * dimensionless analytics, never prices).
 *
 * Pivots are given oldest first. `dir` is the direction of the impulse: +1
 * bullish (p[0] is a low: waves 1, 3, 5 rise), -1 bearish (mirror: every
 * check runs on -price). Wave lengths are |p[i+1] - p[i]|.
 *
 * Hard rules (never relaxed by the tolerance):
 *   - wave 2 never retraces beyond the start of wave 1 (end of 2 strictly
 *     above the start of 1, bullish);
 *   - wave 3 ends beyond the end of wave 1, and is never the shortest of
 *     waves 1, 3 and 5;
 *   - wave 4 does not enter wave 1's price territory (end of 4 strictly above
 *     the end of 1).
 * Ratio bands (each widened by `tol` on both sides):
 *   - wave 2 retraces w2_min..w2_max of wave 1 (default 0.382..0.786);
 *   - wave 3 is at least w3_min x wave 1 (default 1.0);
 *   - wave 4 retraces w4_min..w4_max of wave 3 (default 0.236..0.618).
 * Corrective zig-zag A-B-C after an impulse (fixed bands, widened by tol):
 *   - B retraces 0.382..0.886 of A and does not go beyond the start of A;
 *   - C ends beyond the end of A and is 0.618..1.618 x A.
 */
#ifndef ELLIOTT_ELLIOTT_COUNT_H
#define ELLIOTT_ELLIOTT_COUNT_H

#include <stdint.h>
#include <tradehost/th_fixed.h>

typedef struct ew_rules {
	double w2_min, w2_max; /* wave 2 / wave 1 */
	double w3_min;         /* wave 3 / wave 1, at least */
	double w4_min, w4_max; /* wave 4 / wave 3 */
	double tol;            /* every band widened by this on both sides */
} ew_rules;

#define EW_B_MIN 0.382
#define EW_B_MAX 0.886
#define EW_C_MIN 0.618
#define EW_C_MAX 1.618

typedef enum ew_verdict {
	EW_VALID = 0,
	EW_SHAPE = 1,              /* a wave has no length in its direction */
	EW_W2_BEYOND_START = 2,    /* rule: wave 2 retraced beyond the start of wave 1 */
	EW_W2_RATIO = 3,
	EW_W3_NOT_BEYOND_W1 = 4,   /* wave 3 did not pass the end of wave 1 */
	EW_W3_RATIO = 5,
	EW_W4_OVERLAP = 6,         /* rule: wave 4 entered wave 1's territory */
	EW_W4_RATIO = 7,
	EW_W3_SHORTEST = 8,        /* rule: wave 3 is the shortest of 1, 3, 5 */
	EW_B_BEYOND_A_START = 9,   /* zig-zag B went beyond the start of A */
	EW_B_RATIO = 10,
	EW_C_NOT_BEYOND_A = 11,
	EW_C_RATIO = 12
} ew_verdict;

/* Ratios of the last check (0 where not reached). */
typedef struct ew_ratios {
	double r2, r3, r4; /* wave2/wave1, wave3/wave1, wave4/wave3 */
	double rb, rc;     /* B/A, C/A */
} ew_ratios;

/* Waves 1-2 done: p[0] start of 1, p[1] end of 1, p[2] end of 2. */
int ew_check_12(const th_price p[3], int dir, const ew_rules *r, ew_ratios *out);
/* Waves 1-2-3-4 done: p[0..4]. */
int ew_check_1234(const th_price p[5], int dir, const ew_rules *r, ew_ratios *out);
/* A complete impulse 1-2-3-4-5: p[0..5]. */
int ew_check_impulse(const th_price p[6], int dir, const ew_rules *r, ew_ratios *out);
/* A zig-zag A-B-C against an impulse of direction dir: p[0] the impulse's
 * end (start of A), p[1] end of A, p[2] end of B, p[3] end of C. */
int ew_check_abc(const th_price p[4], int dir, double tol, ew_ratios *out);

/* One line naming the rule a verdict refers to. */
const char *ew_verdict_text(int verdict);

#endif
