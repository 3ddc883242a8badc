/* The Avellaneda–Stoikov quote computation (see mm_model.h). */
#include "mm_model.h"

#include <math.h>

#define PPB 1000000000LL   /* offsets are applied as parts per 10^9 of the mid */
#define PPB_PER_BP 100000.0

th_price mm_floor_tick(th_price p, th_price tick)
{
	return p - p % tick;
}

th_price mm_ceil_tick(th_price p, th_price tick)
{
	th_price r = p % tick;
	return r == 0 ? p : p - r + tick;
}

static double clamp(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static int params_ok(const mm_params *p)
{
	return isfinite(p->gamma) && p->gamma > 0 && isfinite(p->kappa) && p->kappa > 0 && isfinite(p->horizon_s) &&
		p->horizon_s > 0 && p->min_spread_bps >= 0 && p->min_spread_bps <= p->max_spread_bps &&
		p->max_spread_bps <= MM_MAX_SPREAD_BPS && p->max_skew_bps >= 0 && p->max_skew_bps <= MM_MAX_SKEW_BPS;
}

/* mid2 * (10^9 + off_ppb) / (2 * 10^9): a price offset from the mid, rounded
 * down (round < 0), up (> 0) or to the nearest unit (0) -- a bid is never
 * rounded up into the spread the model asked for, nor an ask down. */
static int offset_price(th_price mid2, int64_t off_ppb, int round, th_price *out)
{
	__extension__ typedef __int128 i128;
	if (round == 0)
		return th_fixed_muldiv(mid2, PPB + off_ppb, 2 * PPB, out);
	i128 n = (i128)mid2 * (i128)(PPB + off_ppb), d = 2 * PPB;
	i128 q = n / d, r = n % d;
	if (r != 0 && ((round < 0) == (n < 0)))
		q += round < 0 ? -1 : 1; /* C truncates toward zero; step to the floor or the ceiling */
	if (q > INT64_MAX || q < INT64_MIN)
		return -1;
	*out = (th_price)q;
	return 0;
}

int mm_model_quote(const mm_params *p, th_price bid, th_price ask, th_price tick, double sigma_bps, double q,
	mm_quote *out)
{
	if (!params_ok(p) || tick <= 0 || bid <= 0 || ask <= bid || !isfinite(sigma_bps) || sigma_bps < 0 ||
		!isfinite(q))
		return -1;
	if (__builtin_add_overflow(bid, ask, &out->mid2))
		return -1;
	double var = p->gamma * sigma_bps * sigma_bps * p->horizon_s;
	double raw = var + 2.0 / p->gamma * log1p(p->gamma / p->kappa);
	double skew = q == 0 ? 0 : q * var; /* 0 * Inf would be NaN */
	/* huge sigma or inventory give Inf: the clamps below turn it into the limits, NaN is refused */
	if (isnan(raw) || isnan(skew))
		return -1;
	out->var_bps = var;
	out->raw_spread_bps = raw;
	out->spread_bps = clamp(raw, p->min_spread_bps, p->max_spread_bps);
	out->skew_bps = clamp(skew, -p->max_skew_bps, p->max_skew_bps);
	/* bounded by the clamps (|x| <= 7500 bp), so the conversions cannot overflow */
	int64_t skew_ppb = llround(out->skew_bps * PPB_PER_BP);
	int64_t half_ppb = llround(out->spread_bps / 2.0 * PPB_PER_BP);
	th_price r, b, a;
	if (offset_price(out->mid2, -skew_ppb, 0, &r) != 0 || offset_price(out->mid2, -skew_ppb - half_ppb, -1, &b) != 0 ||
		offset_price(out->mid2, -skew_ppb + half_ppb, 1, &a) != 0)
		return -1;
	out->reservation = r;
	b = mm_floor_tick(b, tick);
	a = mm_ceil_tick(a, tick);
	/* post-only: a bid must stay below the ask of the touch, an ask above its bid */
	th_price bid_cap = mm_floor_tick(ask - 1, tick);
	th_price ask_floor = mm_ceil_tick(bid + 1, tick);
	if (b > bid_cap)
		b = bid_cap;
	if (a < ask_floor)
		a = ask_floor;
	out->bid = b >= tick ? b : 0;
	out->ask = a;
	if (out->bid && out->ask <= out->bid)
		return -1; /* cannot happen with a sane touch; refuse rather than quote crossed */
	return 0;
}
