/* darvas_box — the box state machine (see darvas_box.h). */
#include "darvas_box.h"

#include <string.h>

void darvas_box_init(darvas_box *s, int32_t lookback, int32_t confirm)
{
	memset(s, 0, sizeof *s);
	s->lookback = lookback;
	s->confirm = confirm;
	s->phase = DARVAS_SEEK;
}

/* Highest high of the previous lookback-1 bars; 0 if there are not that many yet. */
static int prior_high(const darvas_box *s, th_price *out)
{
	uint64_t need = (uint64_t)s->lookback - 1;
	if (s->n < need)
		return 0;
	th_price m = 0;
	for (uint64_t k = 1; k <= need; k++) {
		th_price h = s->highs[(s->n - k) % DARVAS_MAX_LOOKBACK];
		if (h > m)
			m = h;
	}
	*out = m;
	return 1;
}

static void start_top(darvas_box *s, th_price high)
{
	s->phase = DARVAS_FORMING;
	s->top = high;
	s->top_count = 0;
	s->have_bottom = 0;
	s->bottom_count = 0;
	s->bottom = 0;
}

int darvas_box_update(darvas_box *s, th_price high, th_price low, th_price close)
{
	int ev = DARVAS_NONE;
	th_price prev_max;
	switch (s->phase) {
	case DARVAS_BOX:
		if (close > s->box_top) {
			ev = DARVAS_BREAKOUT;
			start_top(s, high); /* the next box builds on the breakout's high */
		} else if (close < s->box_bottom) {
			ev = DARVAS_BREAKDOWN;
			s->phase = DARVAS_SEEK;
		}
		break;
	case DARVAS_FORMING:
		if (high > s->top) {
			start_top(s, high);
			break;
		}
		s->top_count++;
		if (!s->have_bottom || low < s->bottom) {
			s->bottom = low;
			s->have_bottom = 1;
			s->bottom_count = 0;
		} else {
			s->bottom_count++;
		}
		if (s->top_count >= s->confirm && s->have_bottom && s->bottom_count >= s->confirm) {
			s->box_top = s->top;
			s->box_bottom = s->bottom;
			s->have_box = 1;
			s->phase = DARVAS_BOX;
			ev = DARVAS_CONFIRMED;
		}
		break;
	default: /* DARVAS_SEEK */
		if (prior_high(s, &prev_max) && high > prev_max) {
			start_top(s, high);
			ev = DARVAS_NEW_TOP;
		}
		break;
	}
	s->highs[s->n % DARVAS_MAX_LOOKBACK] = high;
	s->n++;
	return ev;
}

const char *darvas_phase_name(int phase)
{
	switch (phase) {
	case DARVAS_FORMING: return "forming";
	case DARVAS_BOX: return "box";
	default: return "seeking a new high";
	}
}
