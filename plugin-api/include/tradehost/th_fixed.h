/*
 * tradehost SDK — fixed-point arithmetic for prices, quantities and money.
 *
 * A value is an int64 mantissa with a number of fractional decimal digits (its
 * scale): 12345 at scale 2 is 123.45. Prices and quantities use the scale of
 * their instrument (th_instrument.price_scale / qty_scale); money (balances,
 * PnL, fees, notional) always uses TH_MONEY_SCALE. No double ever holds money.
 *
 * Everything here is static inline so plugins link nothing. Functions report
 * overflow or bad text through their return value (0 = ok, -1 = failure) and
 * never leave *out half-written on failure.
 * Depends on the C standard headers only.
 */
#ifndef TRADEHOST_TH_FIXED_H
#define TRADEHOST_TH_FIXED_H

#include <stddef.h>
#include <stdint.h>

typedef int64_t th_price; /* mantissa at the instrument's price_scale */
typedef int64_t th_qty;   /* mantissa at the instrument's qty_scale */
typedef int64_t th_money; /* mantissa at TH_MONEY_SCALE, in the quote currency */

#define TH_MONEY_SCALE 8
#define TH_SCALE_MAX 18

static inline int64_t th_pow10(int scale)
{
	static const int64_t p[19] = { 1LL, 10LL, 100LL, 1000LL, 10000LL, 100000LL, 1000000LL,
		10000000LL, 100000000LL, 1000000000LL, 10000000000LL, 100000000000LL,
		1000000000000LL, 10000000000000LL, 100000000000000LL, 1000000000000000LL,
		10000000000000000LL, 100000000000000000LL, 1000000000000000000LL };
	return (scale >= 0 && scale <= TH_SCALE_MAX) ? p[scale] : 0;
}

/* Change the scale of v. Going to a finer scale multiplies (fails on overflow);
 * going coarser divides, truncating toward zero — callers that must not lose
 * digits compare the round trip. */
static inline int th_fixed_rescale(int64_t v, int from_scale, int to_scale, int64_t *out)
{
	if (from_scale < 0 || from_scale > TH_SCALE_MAX || to_scale < 0 || to_scale > TH_SCALE_MAX)
		return -1;
	if (to_scale >= from_scale) {
		int64_t m = th_pow10(to_scale - from_scale), r;
		if (__builtin_mul_overflow(v, m, &r))
			return -1;
		*out = r;
	} else {
		*out = v / th_pow10(from_scale - to_scale);
	}
	return 0;
}

/* a * b / d with a 128-bit intermediate, rounding half away from zero; d > 0. */
static inline int th_fixed_muldiv(int64_t a, int64_t b, int64_t d, int64_t *out)
{
	__extension__ typedef __int128 th_i128;
	int64_t p64;
	if (d <= 0)
		return -1;
	/* When a * b fits 64 bits (prices times quantities nearly always do)
	 * 64-bit division gives the same quotient and remainder as the 128-bit
	 * one without a call to the compiler's 128-bit division routine.
	 * 2|r| >= d is written |r| >= d - |r| (|r| < d, so neither overflows),
	 * and q +- 1 cannot overflow: r != 0 means d >= 2, so |q| <= INT64_MAX / 2. */
	if (!__builtin_mul_overflow(a, b, &p64)) {
		int64_t q64 = p64 / d, r64 = p64 % d, ar = r64 < 0 ? -r64 : r64;
		if (r64 != 0 && ar >= d - ar)
			q64 += (p64 < 0) ? -1 : 1;
		*out = q64;
		return 0;
	}
	th_i128 p = (th_i128)a * (th_i128)b;
	th_i128 q = p / d, r = p % d;
	if (r != 0 && (r < 0 ? -r : r) * 2 >= d)
		q += (p < 0) ? -1 : 1;
	if (q > INT64_MAX || q < INT64_MIN)
		return -1;
	*out = (int64_t)q;
	return 0;
}

/* Notional in money units of price (price_scale) times qty (qty_scale),
 * rounded half away from zero. */
static inline int th_notional(th_price px, int price_scale, th_qty qty, int qty_scale, th_money *out)
{
	__extension__ typedef __int128 th_i128;
	int shift = price_scale + qty_scale - TH_MONEY_SCALE;
	if (price_scale < 0 || price_scale > TH_SCALE_MAX || qty_scale < 0 || qty_scale > TH_SCALE_MAX)
		return -1;
	if (shift >= 0)
		return th_fixed_muldiv(px, qty, th_pow10(shift), out);
	/* Range-check before scaling up: px * qty fits 128 bits, but times
	 * 10^-shift it may not (undefined behaviour), and a product already
	 * outside int64 only grows. */
	th_i128 p = (th_i128)px * (th_i128)qty;
	if (p > INT64_MAX || p < INT64_MIN)
		return -1;
	p *= th_pow10(-shift);
	if (p > INT64_MAX || p < INT64_MIN)
		return -1;
	*out = (int64_t)p;
	return 0;
}

/* Parse decimal text ("-12.5", "0.001", "+3") exactly at `scale` digits.
 * Fails on empty text, junk, more fractional digits than scale, or overflow. */
static inline int th_fixed_parse(const char *s, size_t len, int scale, int64_t *out)
{
	size_t i = 0;
	int neg = 0, frac = -1, digits = 0;
	int64_t v = 0;
	if (scale < 0 || scale > TH_SCALE_MAX || len == 0)
		return -1;
	if (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-';
		i = 1;
	}
	for (; i < len; i++) {
		char c = s[i];
		if (c == '.' && frac < 0) {
			frac = 0;
			continue;
		}
		if (c < '0' || c > '9')
			return -1;
		if (frac >= 0 && ++frac > scale)
			return -1;
		if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, c - '0', &v))
			return -1;
		digits++;
	}
	if (digits == 0)
		return -1;
	for (int k = frac < 0 ? 0 : frac; k < scale; k++)
		if (__builtin_mul_overflow(v, 10, &v))
			return -1;
	*out = neg ? -v : v;
	return 0;
}

/* Format v at `scale` into buf ("-123.45"); always writes all `scale` digits.
 * Returns the length, or -1 if cap is too small. */
static inline int th_fixed_format(int64_t v, int scale, char *buf, size_t cap)
{
	char tmp[48];
	int n = 0;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	if (scale < 0 || scale > TH_SCALE_MAX)
		return -1;
	do {
		tmp[n++] = (char)('0' + (int)(u % 10));
		u /= 10;
		if (n == scale)
			tmp[n++] = '.';
	} while (u != 0 || n <= scale);
	if (tmp[n - 1] == '.')
		tmp[n++] = '0';
	if (v < 0)
		tmp[n++] = '-';
	if ((size_t)n + 1 > cap)
		return -1;
	for (int k = 0; k < n; k++)
		buf[k] = tmp[n - 1 - k];
	buf[n] = '\0';
	return n;
}

#endif
