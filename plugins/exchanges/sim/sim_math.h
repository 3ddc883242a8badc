/*
 * sim — exact integer arithmetic for prices, quantities, fees and slippage.
 *
 * Everything rounds in a stated direction so results never depend on a
 * floating-point unit: slippage rounds against the trader (a buyer pays the
 * next tick up, a seller gets the next tick down), fees round half away from
 * zero at 1e-8 of the quote asset (th_fixed_muldiv), volumes round down to a
 * whole lot.
 */
#ifndef SIM_MATH_H
#define SIM_MATH_H

#include <stdint.h>

#include <tradehost/th_fixed.h>

typedef enum sim_round { SIM_ROUND_DOWN = 0, SIM_ROUND_UP = 1, SIM_ROUND_NEAREST = 2 } sim_round;

/* Largest multiple of m (> 0) that is <= v (v >= 0). */
static inline int64_t sim_floor_to(int64_t v, int64_t m)
{
	return v - v % m;
}

/* Smallest multiple of m (> 0) that is >= v (v >= 0); saturates at the
 * largest multiple when the next one would overflow. */
static inline int64_t sim_ceil_to(int64_t v, int64_t m)
{
	int64_t r = v % m;
	if (r == 0)
		return v;
	if (v > INT64_MAX - (m - r))
		return v - r;
	return v + (m - r);
}

/* floor(a * b / d) for a, b >= 0, d > 0; saturates at INT64_MAX. */
static inline int64_t sim_muldiv_floor(int64_t a, int64_t b, int64_t d)
{
	__extension__ typedef unsigned __int128 sim_u128;
	sim_u128 q = (sim_u128)a * (sim_u128)b / (sim_u128)d;
	return q > (sim_u128)INT64_MAX ? INT64_MAX : (int64_t)q;
}

/* ceil(a * b / d) for a, b >= 0, d > 0; saturates at INT64_MAX. */
static inline int64_t sim_muldiv_ceil(int64_t a, int64_t b, int64_t d)
{
	__extension__ typedef unsigned __int128 sim_u128;
	sim_u128 p = (sim_u128)a * (sim_u128)b;
	sim_u128 q = p / (sim_u128)d + (p % (sim_u128)d != 0);
	return q > (sim_u128)INT64_MAX ? INT64_MAX : (int64_t)q;
}

/* Change the scale of v (>= 0 for DOWN/UP) from `from` to `to` digits,
 * rounding as asked when digits are lost. Returns 0, or -1 on a bad scale or
 * overflow. Market data may come at a finer scale than the instrument's. */
static inline int sim_rescale(int64_t v, int from, int to, sim_round mode, int64_t *out)
{
	if (from < 0 || from > TH_SCALE_MAX || to < 0 || to > TH_SCALE_MAX)
		return -1;
	if (to == from) { /* the usual case (market data at the instrument's scales): nothing to do */
		*out = v;
		return 0;
	}
	if (to > from)
		return th_fixed_rescale(v, from, to, out);
	int64_t d = th_pow10(from - to);
	int64_t q = v / d, r = v % d;
	if (r != 0) {
		if (mode == SIM_ROUND_UP && v > 0)
			q++;
		else if (mode == SIM_ROUND_NEAREST && (r < 0 ? -r : r) * 2 >= d)
			q += v < 0 ? -1 : 1;
	}
	*out = q;
	return 0;
}

/* Exact rescale: fails (-1) when digits would be lost. */
static inline int sim_rescale_exact(int64_t v, int from, int to, int64_t *out)
{
	int64_t r, back;
	if (sim_rescale(v, from, to, SIM_ROUND_DOWN, &r) != 0)
		return -1;
	if (sim_rescale(r, to, from, SIM_ROUND_DOWN, &back) != 0 || back != v)
		return -1;
	*out = r;
	return 0;
}

/* The price a taker gets after slippage of `bps` (SIM_BPS_SCALE digits):
 * a buyer pays px*(1+bps/10^4) rounded up to the tick, a seller gets
 * px*(1-bps/10^4) rounded down to the tick and never less than one tick.
 * With bps 0 the price is returned unchanged (even if off-tick). */
static inline th_price sim_slip(th_price px, int is_buy, int64_t bps, th_price tick)
{
	const int64_t one = 100000000; /* 10^4 bp per unit, at 10^SIM_BPS_SCALE */
	if (bps <= 0 || px <= 0)
		return px;
	if (is_buy)
		return sim_ceil_to(sim_muldiv_ceil(px, one + bps, one), tick);
	int64_t keep = bps >= one ? 0 : one - bps;
	th_price p = sim_floor_to(sim_muldiv_floor(px, keep, one), tick);
	return p < tick ? tick : p;
}

/* Fee on `notional` (TH_MONEY_SCALE) at `bps` (SIM_BPS_SCALE digits), half
 * away from zero; negative bps is a rebate (negative fee). */
static inline int sim_fee(th_money notional, int64_t bps, th_money *out)
{
	return th_fixed_muldiv(notional, bps, 100000000, out);
}

#endif
