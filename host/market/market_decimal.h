/*
 * market — decimal text to fixed-point, with a reason when it fails.
 *
 * th_fixed_parse (SDK) does the exact conversion; this wrapper adds what a
 * data importer needs on top: trailing zeros past the scale are accepted
 * ("42000.01000000" is exactly 4200001 at scale 2 — Binance writes every
 * value with 8 decimals), a failure says *why* (not a number, too precise,
 * out of range), and an explicit rounding mode can round excess digits
 * instead of rejecting them.
 */
#ifndef TH_MARKET_DECIMAL_H
#define TH_MARKET_DECIMAL_H

#include <stddef.h>
#include <stdint.h>

typedef enum market_rounding {
	MARKET_ROUND_REJECT = 0,    /* default: nonzero digits past the scale are an error */
	MARKET_ROUND_HALF_EVEN = 1, /* round to nearest, ties to even (banker's rounding) */
	MARKET_ROUND_HALF_AWAY = 2  /* round to nearest, ties away from zero */
} market_rounding;

typedef enum market_decimal_status {
	MARKET_DEC_OK = 0,
	MARKET_DEC_SYNTAX = 1,    /* not [+-]digits[.digits] */
	MARKET_DEC_PRECISION = 2, /* nonzero digits past the scale and mode is REJECT */
	MARKET_DEC_RANGE = 3      /* does not fit int64 at this scale */
} market_decimal_status;

/* Parse s[0..len) at `scale` fractional digits into *out (untouched on failure). */
market_decimal_status market_decimal_parse(const char *s, size_t len, int scale, market_rounding mode,
                                           int64_t *out);

/* Parse a plain unsigned integer ("0".."9999..."); 0 ok, -1 junk or overflow. */
int market_parse_u64(const char *s, size_t len, uint64_t *out);

#endif
