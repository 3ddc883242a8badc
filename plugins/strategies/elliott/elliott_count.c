/* elliott_count — wave rules and ratio bands (see elliott_count.h). */
#include "elliott_count.h"

#include <string.h>

/* Prices seen in the count's direction: a bearish count is a mirrored bullish one. */
static void oriented(const th_price *p, int n, int dir, th_price *y)
{
	for (int i = 0; i < n; i++)
		y[i] = dir < 0 ? -p[i] : p[i];
}

static int in_band(double v, double lo, double hi, double tol)
{
	return v >= lo - tol && v <= hi + tol;
}

int ew_check_12(const th_price p[3], int dir, const ew_rules *r, ew_ratios *out)
{
	th_price y[3];
	memset(out, 0, sizeof *out);
	oriented(p, 3, dir, y);
	th_price w1 = y[1] - y[0], w2 = y[1] - y[2];
	if (w1 <= 0 || w2 <= 0)
		return EW_SHAPE;
	if (y[2] <= y[0])
		return EW_W2_BEYOND_START;
	out->r2 = (double)w2 / (double)w1;
	if (!in_band(out->r2, r->w2_min, r->w2_max, r->tol))
		return EW_W2_RATIO;
	return EW_VALID;
}

int ew_check_1234(const th_price p[5], int dir, const ew_rules *r, ew_ratios *out)
{
	int v = ew_check_12(p, dir, r, out);
	if (v != EW_VALID)
		return v;
	th_price y[5];
	oriented(p, 5, dir, y);
	th_price w1 = y[1] - y[0], w3 = y[3] - y[2], w4 = y[3] - y[4];
	if (w3 <= 0 || w4 <= 0)
		return EW_SHAPE;
	if (y[3] <= y[1])
		return EW_W3_NOT_BEYOND_W1;
	out->r3 = (double)w3 / (double)w1;
	if (out->r3 < r->w3_min - r->tol)
		return EW_W3_RATIO;
	if (y[4] <= y[1])
		return EW_W4_OVERLAP;
	out->r4 = (double)w4 / (double)w3;
	if (!in_band(out->r4, r->w4_min, r->w4_max, r->tol))
		return EW_W4_RATIO;
	return EW_VALID;
}

int ew_check_impulse(const th_price p[6], int dir, const ew_rules *r, ew_ratios *out)
{
	int v = ew_check_1234(p, dir, r, out);
	if (v != EW_VALID)
		return v;
	th_price y[6];
	oriented(p, 6, dir, y);
	th_price w1 = y[1] - y[0], w3 = y[3] - y[2], w5 = y[5] - y[4];
	if (w5 <= 0)
		return EW_SHAPE;
	if (w3 < w1 && w3 < w5)
		return EW_W3_SHORTEST;
	return EW_VALID;
}

int ew_check_abc(const th_price p[4], int dir, double tol, ew_ratios *out)
{
	th_price y[4];
	memset(out, 0, sizeof *out);
	oriented(p, 4, dir, y);
	th_price a = y[0] - y[1], b = y[2] - y[1], c = y[2] - y[3];
	if (a <= 0 || b <= 0 || c <= 0)
		return EW_SHAPE;
	if (y[2] >= y[0])
		return EW_B_BEYOND_A_START;
	out->rb = (double)b / (double)a;
	if (!in_band(out->rb, EW_B_MIN, EW_B_MAX, tol))
		return EW_B_RATIO;
	if (y[3] >= y[1])
		return EW_C_NOT_BEYOND_A;
	out->rc = (double)c / (double)a;
	if (!in_band(out->rc, EW_C_MIN, EW_C_MAX, tol))
		return EW_C_RATIO;
	return EW_VALID;
}

const char *ew_verdict_text(int verdict)
{
	switch (verdict) {
	case EW_VALID: return "valid";
	case EW_SHAPE: return "a wave has no length in its direction";
	case EW_W2_BEYOND_START: return "wave 2 retraced beyond the start of wave 1";
	case EW_W2_RATIO: return "wave 2 retracement outside its Fibonacci band";
	case EW_W3_NOT_BEYOND_W1: return "wave 3 did not pass the end of wave 1";
	case EW_W3_RATIO: return "wave 3 shorter than its minimum multiple of wave 1";
	case EW_W4_OVERLAP: return "wave 4 entered wave 1's price territory";
	case EW_W4_RATIO: return "wave 4 retracement outside its Fibonacci band";
	case EW_W3_SHORTEST: return "wave 3 is the shortest of waves 1, 3 and 5";
	case EW_B_BEYOND_A_START: return "wave B went beyond the start of wave A";
	case EW_B_RATIO: return "wave B retracement outside 0.382..0.886 of A";
	case EW_C_NOT_BEYOND_A: return "wave C did not pass the end of wave A";
	case EW_C_RATIO: return "wave C outside 0.618..1.618 x A";
	default: return "unknown verdict";
	}
}
