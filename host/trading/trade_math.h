/*
 * trade_math — the trade book's per-fill arithmetic in 64 bits where it fits,
 * giving exactly what the 128-bit forms give (tests/unit/trading_fast holds
 * them equal on edge and random inputs). Private to host/trading.
 */
#ifndef HOST_TRADING_TRADE_MATH_H
#define HOST_TRADING_TRADE_MATH_H

#include <stdint.h>
#include <tradehost/th_fixed.h>

/* a x b / d rounded half away from zero, exactly as th_fixed_muldiv
 * (whose failure leaves *out alone), in 64-bit arithmetic when a x b fits:
 * every closing fill runs it, and the 128-bit division is a library call.
 * 2|r| >= d is asked as |r| >= d - |r|, which cannot overflow. */
static inline void muldiv_round(int64_t a, int64_t b, int64_t d, int64_t *out)
{
	int64_t p;
	if (d > 0 && !__builtin_mul_overflow(a, b, &p)) {
		int64_t q = p / d, r = p % d, ar = r < 0 ? -r : r;
		if (r != 0 && ar >= d - ar)
			q += p < 0 ? -1 : 1;
		*out = q;
		return;
	}
	th_fixed_muldiv(a, b, d, out);
}

/* (price_a x qty_a + price_b x qty_b) / (qty_a + qty_b), truncated toward
 * zero like the 128-bit expression it replaces, in 64 bits when the sum
 * fits (a positive divisor: no INT64_MIN / -1). */
static inline th_price weighted_price(th_price pa, th_qty qa, th_price pb, th_qty qb)
{
	int64_t x, y, sum;
	th_qty d = qa + qb;
	if (d > 0 && !__builtin_mul_overflow(pa, qa, &x) && !__builtin_mul_overflow(pb, qb, &y) &&
		!__builtin_add_overflow(x, y, &sum))
		return (th_price)(sum / d);
	__extension__ __int128 wide = (__int128)pa * qa + (__int128)pb * qb;
	return (th_price)(wide / d);
}

#endif
