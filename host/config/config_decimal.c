/*
 * Exact decimal parsing, comparison and fixed-point conversion (see config_decimal.h).
 */
#include "config/config_decimal.h"

#include <stdio.h>
#include <string.h>

static bool fail(char *err, size_t errlen, const char *msg)
{
	if (err && errlen)
		snprintf(err, errlen, "%s", msg);
	return false;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Digits with optional single underscores between them; returns count of digits seen. */
static bool scan_digit_run(const char *s, size_t len, size_t *i, bool allow_us, size_t *count)
{
	*count = 0;
	while (*i < len) {
		if (is_digit(s[*i])) {
			(*i)++;
			(*count)++;
		} else if (allow_us && s[*i] == '_' && *count > 0 && *i + 1 < len && is_digit(s[*i + 1])) {
			(*i)++;
		} else {
			break;
		}
	}
	return *count > 0;
}

bool config_decimal_parse(const char *s, size_t len, bool allow_us, config_decimal *out, char *err,
                          size_t errlen)
{
	memset(out, 0, sizeof(*out));
	size_t i = 0;
	bool neg = false;
	if (i < len && (s[i] == '+' || s[i] == '-')) {
		neg = s[i] == '-';
		i++;
	}
	size_t int_start = i, n_int, n_frac = 0;
	if (!scan_digit_run(s, len, &i, allow_us, &n_int))
		return fail(err, errlen, "expected digits (a decimal such as 12, -0.5 or 0.001)");
	size_t int_end = i, frac_start = i, frac_end = i;
	if (i < len && s[i] == '.') {
		i++;
		frac_start = i;
		if (!scan_digit_run(s, len, &i, allow_us, &n_frac))
			return fail(err, errlen, "expected digits after the decimal point");
		frac_end = i;
	}
	long exp = 0;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		bool eneg = false;
		if (i < len && (s[i] == '+' || s[i] == '-')) {
			eneg = s[i] == '-';
			i++;
		}
		size_t n_exp = 0;
		size_t exp_start = i;
		if (!scan_digit_run(s, len, &i, allow_us, &n_exp))
			return fail(err, errlen, "expected digits in the exponent");
		for (size_t k = exp_start; k < i; k++) {
			if (!is_digit(s[k]))
				continue;
			if (exp < 100000000L) /* saturate: such values fail range checks anyway */
				exp = exp * 10 + (s[k] - '0');
		}
		if (eneg)
			exp = -exp;
	}
	if (i != len)
		return fail(err, errlen, "unexpected characters after the number (a decimal such as 12, -0.5 or 0.001)");

	/* Collect significant digits: skip leading zeros, hold back zeros until a nonzero
	 * digit follows so trailing zeros become exponent instead. */
	size_t pending = 0;
	long dropped_trailing = 0;
	bool started = false;
	for (int part = 0; part < 2; part++) {
		size_t from = part == 0 ? int_start : frac_start, to = part == 0 ? int_end : frac_end;
		for (size_t k = from; k < to; k++) {
			char c = s[k];
			if (!is_digit(c))
				continue;
			if (c == '0') {
				if (started)
					pending++;
				continue;
			}
			if (out->ndigits + pending + 1 > sizeof(out->digits) - 1)
				return fail(err, errlen, "too many significant digits (at most 79)");
			for (; pending > 0; pending--)
				out->digits[out->ndigits++] = '0';
			out->digits[out->ndigits++] = c;
			started = true;
		}
	}
	dropped_trailing = (long)pending;
	out->digits[out->ndigits] = '\0';
	out->exp10 = exp - (long)n_frac + dropped_trailing;
	out->neg = neg && out->ndigits > 0;
	if (out->ndigits == 0)
		out->exp10 = 0;
	return true;
}

int config_decimal_cmp(const config_decimal *a, const config_decimal *b)
{
	if (a->ndigits == 0 && b->ndigits == 0)
		return 0;
	int sa = a->ndigits == 0 ? 0 : a->neg ? -1 : 1;
	int sb = b->ndigits == 0 ? 0 : b->neg ? -1 : 1;
	if (sa != sb)
		return sa < sb ? -1 : 1;
	/* Same sign, both nonzero: compare magnitudes, then flip for negatives. */
	long ma = (long)a->ndigits + a->exp10, mb = (long)b->ndigits + b->exp10;
	int mag;
	if (ma != mb) {
		mag = ma < mb ? -1 : 1;
	} else {
		mag = 0;
		size_t n = a->ndigits > b->ndigits ? a->ndigits : b->ndigits;
		for (size_t i = 0; i < n && mag == 0; i++) {
			char da = i < a->ndigits ? a->digits[i] : '0';
			char db = i < b->ndigits ? b->digits[i] : '0';
			if (da != db)
				mag = da < db ? -1 : 1;
		}
	}
	return sa < 0 ? -mag : mag;
}

bool config_decimal_to_fixed(const config_decimal *a, int scale, int64_t *out, char *err, size_t errlen)
{
	if (scale < 0 || scale > 18)
		return fail(err, errlen, "scale must be between 0 and 18");
	if (a->ndigits == 0) {
		*out = 0;
		return true;
	}
	long shift = a->exp10 + scale;
	if (shift < 0) {
		char text[128], msg[200];
		config_decimal_format(a, text, sizeof(text));
		snprintf(msg, sizeof(msg), "%s has more than %d fractional digit%s", text, scale, scale == 1 ? "" : "s");
		return fail(err, errlen, msg);
	}
	uint64_t limit = a->neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	uint64_t v = 0;
	bool overflow = (long)a->ndigits + shift > 19;
	for (size_t i = 0; !overflow && i < a->ndigits; i++) {
		uint64_t d = (uint64_t)(a->digits[i] - '0');
		if (v > (limit - d) / 10)
			overflow = true;
		else
			v = v * 10 + d;
	}
	for (long k = 0; !overflow && k < shift; k++) {
		if (v > limit / 10)
			overflow = true;
		else
			v *= 10;
	}
	if (overflow) {
		char text[128], msg[220];
		config_decimal_format(a, text, sizeof(text));
		snprintf(msg, sizeof(msg), "%s is too large for a 64-bit fixed-point value at scale %d", text, scale);
		return fail(err, errlen, msg);
	}
	*out = a->neg ? (int64_t)(0 - v) : (int64_t)v;
	return true;
}

void config_decimal_format(const config_decimal *a, char *buf, size_t buflen)
{
	if (!buf || buflen == 0)
		return;
	if (a->ndigits == 0) {
		snprintf(buf, buflen, "0");
		return;
	}
	size_t used = 0;
#define PUTC(c)                          \
	do {                                 \
		if (used + 1 < buflen)           \
			buf[used++] = (c);           \
	} while (0)
	if (a->neg)
		PUTC('-');
	long nd = (long)a->ndigits;
	if (a->exp10 >= 0) {
		if (a->exp10 > 40) { /* absurd magnitudes: scientific form keeps messages short */
			snprintf(buf + used, buflen - used, "%se%ld", a->digits, a->exp10);
			return;
		}
		for (long i = 0; i < nd; i++)
			PUTC(a->digits[i]);
		for (long i = 0; i < a->exp10; i++)
			PUTC('0');
	} else {
		long point = nd + a->exp10; /* digits before the decimal point */
		if (point < -40) {
			snprintf(buf + used, buflen - used, "%se%ld", a->digits, a->exp10);
			return;
		}
		if (point <= 0) {
			PUTC('0');
			PUTC('.');
			for (long i = 0; i < -point; i++)
				PUTC('0');
			for (long i = 0; i < nd; i++)
				PUTC(a->digits[i]);
		} else {
			for (long i = 0; i < nd; i++) {
				if (i == point)
					PUTC('.');
				PUTC(a->digits[i]);
			}
		}
	}
	buf[used] = '\0';
#undef PUTC
}
