/*
 * market — decimal text to fixed-point (see market_decimal.h).
 */
#include "market/market_decimal.h"

#include "tradehost/th_fixed.h"

/* Length of s without trailing fractional zeros (and a then-bare '.'),
 * so exact values written with extra decimals still fit the scale. */
static size_t trim_fraction_zeros(const char *s, size_t len)
{
	size_t dot = len;
	for (size_t i = 0; i < len; i++)
		if (s[i] == '.') {
			dot = i;
			break;
		}
	if (dot == len)
		return len;
	while (len > dot + 1 && s[len - 1] == '0')
		len--;
	if (len == dot + 1 && dot > 0 && s[dot - 1] >= '0' && s[dot - 1] <= '9')
		len = dot; /* "12." → "12"; keep "." alone so it stays a syntax error */
	return len;
}

/* Slow path once th_fixed_parse said no: classify, and round if asked. */
static market_decimal_status parse_slow(const char *s, size_t len, int scale, market_rounding mode, int64_t *out)
{
	size_t i = 0;
	int neg = 0, ndigits = 0;
	if (scale < 0 || scale > TH_SCALE_MAX)
		return MARKET_DEC_RANGE;
	if (i < len && (s[i] == '+' || s[i] == '-')) {
		neg = s[i] == '-';
		i++;
	}
	size_t int_start = i;
	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++;
	size_t int_end = i;
	ndigits += (int)(int_end - int_start);
	size_t frac_start = i, frac_end = i;
	if (i < len && s[i] == '.') {
		frac_start = ++i;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
		frac_end = i;
		ndigits += (int)(frac_end - frac_start);
	}
	if (i != len || ndigits == 0)
		return MARKET_DEC_SYNTAX;

	/* value = integer digits then the first `scale` fraction digits */
	int64_t v = 0;
	for (size_t k = int_start; k < int_end; k++)
		if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, s[k] - '0', &v))
			return MARKET_DEC_RANGE;
	size_t nfrac = frac_end - frac_start;
	for (size_t k = 0; k < (size_t)scale; k++) {
		int d = k < nfrac ? s[frac_start + k] - '0' : 0;
		if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, d, &v))
			return MARKET_DEC_RANGE;
	}
	if (nfrac > (size_t)scale) {
		/* excess digits: first dropped digit decides, later ones break ties */
		int first = s[frac_start + (size_t)scale] - '0', rest_nonzero = 0;
		for (size_t k = frac_start + (size_t)scale + 1; k < frac_end; k++)
			if (s[k] != '0')
				rest_nonzero = 1;
		if (first != 0 || rest_nonzero) {
			if (mode == MARKET_ROUND_REJECT)
				return MARKET_DEC_PRECISION;
			int up;
			if (first > 5 || (first == 5 && rest_nonzero))
				up = 1;
			else if (first < 5)
				up = 0;
			else /* exactly half */
				up = (mode == MARKET_ROUND_HALF_AWAY) ? 1 : (int)(v & 1);
			if (up && __builtin_add_overflow(v, 1, &v))
				return MARKET_DEC_RANGE;
		}
	}
	*out = neg ? -v : v;
	return MARKET_DEC_OK;
}

market_decimal_status market_decimal_parse(const char *s, size_t len, int scale, market_rounding mode,
                                           int64_t *out)
{
	size_t n = trim_fraction_zeros(s, len);
	if (th_fixed_parse(s, n, scale, out) == 0)
		return MARKET_DEC_OK;
	return parse_slow(s, len, scale, mode, out);
}

int market_parse_u64(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	if (len == 0)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, (uint64_t)(s[i] - '0'), &v))
			return -1;
	}
	*out = v;
	return 0;
}
