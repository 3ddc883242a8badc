/*
 * darvas_box — Nicolas Darvas's box, as a bar-by-bar state machine on exact
 * fixed-point prices (no indicator doubles: box edges are compared to closes
 * at the tick, so they must be exact).
 *
 * Variant implemented (README.md spells it out with examples):
 *   SEEK     wait for a new high: a bar whose high is strictly above every high
 *            of the previous lookback-1 bars. That high is the candidate top.
 *   FORMING  a bar with a higher high moves the top candidate there and starts
 *            the count again. Otherwise the bar counts toward the top (its high
 *            did not exceed it) and its low toward the bottom: the bottom
 *            candidate is the lowest low of the bars after the top bar; a lower
 *            low moves it (and restarts its count), a low at or above it counts.
 *            The box is confirmed when `confirm` bars have not exceeded the top
 *            AND `confirm` bars after the bottom bar have not undercut it.
 *   BOX      the confirmed box [bottom, top]. A close above the top is a
 *            breakout: the breakout bar becomes the next top candidate (FORMING)
 *            so the next box stacks above. A close below the bottom breaks the
 *            box down: back to SEEK.
 */
#ifndef DARVAS_DARVAS_BOX_H
#define DARVAS_DARVAS_BOX_H

#include <stdint.h>
#include <tradehost/th_fixed.h>

#define DARVAS_MAX_LOOKBACK 512

typedef enum darvas_phase { DARVAS_SEEK = 0, DARVAS_FORMING = 1, DARVAS_BOX = 2 } darvas_phase;

/* What a bar did to the box. */
typedef enum darvas_event {
	DARVAS_NONE = 0,
	DARVAS_NEW_TOP = 1,   /* SEEK -> FORMING: a new lookback high */
	DARVAS_CONFIRMED = 2, /* FORMING -> BOX: top and bottom held for `confirm` bars */
	DARVAS_BREAKOUT = 3,  /* BOX: close above the top (now FORMING above it) */
	DARVAS_BREAKDOWN = 4  /* BOX: close below the bottom (now SEEK) */
} darvas_event;

/* Plain data (no pointers): copied as is on hot reload. */
typedef struct darvas_box {
	int32_t lookback, confirm;
	int32_t phase;                 /* darvas_phase */
	int32_t top_count, bottom_count, have_bottom;
	th_price top, bottom;          /* candidates while FORMING */
	th_price box_top, box_bottom;  /* the last confirmed box (valid once have_box) */
	int32_t have_box;
	uint64_t n;                    /* bars seen */
	th_price highs[DARVAS_MAX_LOOKBACK]; /* ring: highs of the last bars */
} darvas_box;

/* lookback in 2..DARVAS_MAX_LOOKBACK, confirm >= 1 (checked by the caller). */
void darvas_box_init(darvas_box *s, int32_t lookback, int32_t confirm);

/* Feed one bar (low <= close <= high, checked by the caller); returns a darvas_event. */
int darvas_box_update(darvas_box *s, th_price high, th_price low, th_price close);

const char *darvas_phase_name(int phase);

#endif
