/*
 * market — timestamp parsing and formatting (see market_time.h).
 * The calendar arithmetic is the standard era-based conversion between a
 * proleptic Gregorian date and a day count (400-year eras of 146097 days).
 */
#include "market/market_time.h"

#include <stdio.h>

int64_t market_days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;                                  /* [0, 399] */
	int64_t mp = (m + 9) % 12;                                    /* March = 0 */
	int64_t doy = (153 * mp + 2) / 5 + d - 1;                     /* [0, 365] */
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;          /* [0, 146096] */
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int64_t y, int m)
{
	static const int dm[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

int market_parse_epoch(const char *s, size_t len, int64_t *ns)
{
	int64_t v = 0, frac_ns = 0;
	size_t i = 0, digits = 0;
	if (len > 0 && s[0] == '+')
		i = 1;
	for (; i < len && s[i] != '.'; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, s[i] - '0', &v))
			return -1;
		digits++;
	}
	if (digits == 0)
		return -1;
	if (i < len) { /* fractional seconds */
		int64_t scale = 100000000;
		if (v >= 100000000000LL || i + 1 == len)
			return -1; /* a fraction only makes sense on seconds */
		for (i++; i < len; i++) {
			if (s[i] < '0' || s[i] > '9' || scale == 0)
				return -1;
			frac_ns += (s[i] - '0') * scale;
			scale /= 10;
		}
		*ns = v * MARKET_NS_PER_SEC + frac_ns;
		return 0;
	}
	int64_t mult;
	if (v < 100000000000LL)
		mult = MARKET_NS_PER_SEC;
	else if (v < 100000000000000LL)
		mult = 1000000;
	else if (v < 100000000000000000LL)
		mult = 1000;
	else
		mult = 1;
	if (__builtin_mul_overflow(v, mult, ns))
		return -1;
	return 0;
}

/* exactly n digits at s[*i] */
static int take_digits(const char *s, size_t len, size_t *i, int n, int *out)
{
	int v = 0;
	if (*i + (size_t)n > len)
		return -1;
	for (int k = 0; k < n; k++) {
		char c = s[*i + (size_t)k];
		if (c < '0' || c > '9')
			return -1;
		v = v * 10 + (c - '0');
	}
	*i += (size_t)n;
	*out = v;
	return 0;
}

static int take_char(const char *s, size_t len, size_t *i, char c)
{
	if (*i >= len || s[*i] != c)
		return -1;
	(*i)++;
	return 0;
}

int market_parse_iso8601(const char *s, size_t len, int64_t *ns)
{
	size_t i = 0;
	int y = 0, mo = 0, d = 0, hh = 0, mi = 0, ss = 0;
	int64_t frac = 0, offset_s = 0;
	if (take_digits(s, len, &i, 4, &y) || take_char(s, len, &i, '-') || take_digits(s, len, &i, 2, &mo) ||
	    take_char(s, len, &i, '-') || take_digits(s, len, &i, 2, &d))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
		return -1;
	if (i < len) {
		if (s[i] != 'T' && s[i] != 't' && s[i] != ' ')
			return -1;
		i++;
		if (take_digits(s, len, &i, 2, &hh) || take_char(s, len, &i, ':') || take_digits(s, len, &i, 2, &mi) ||
		    take_char(s, len, &i, ':') || take_digits(s, len, &i, 2, &ss))
			return -1;
		if (hh > 23 || mi > 59 || ss > 59)
			return -1; /* leap seconds do not occur in exchange data */
		if (i < len && s[i] == '.') {
			int64_t scale = 100000000;
			size_t start = ++i;
			for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
				if (scale == 0)
					return -1; /* finer than a nanosecond */
				frac += (s[i] - '0') * scale;
				scale /= 10;
			}
			if (i == start)
				return -1;
		}
		if (i >= len)
			return -1; /* no zone: never guess local time */
		if (s[i] == 'Z' || s[i] == 'z') {
			i++;
		} else if (s[i] == '+' || s[i] == '-') {
			int sign = s[i] == '-' ? -1 : 1, oh, om;
			i++;
			if (take_digits(s, len, &i, 2, &oh) || take_char(s, len, &i, ':') || take_digits(s, len, &i, 2, &om) ||
			    oh > 23 || om > 59)
				return -1;
			offset_s = sign * (oh * 3600 + om * 60);
		} else {
			return -1;
		}
		if (i != len)
			return -1;
	}
	int64_t secs = market_days_from_civil(y, mo, d) * 86400 + hh * 3600 + mi * 60 + ss - offset_s;
	int64_t v;
	/* int64 nanoseconds end in 2262; later dates do not fit */
	if (secs < 0 || __builtin_mul_overflow(secs, MARKET_NS_PER_SEC, &v) || __builtin_add_overflow(v, frac, &v))
		return -1;
	*ns = v;
	return 0;
}

void market_format_time(int64_t ns, char *buf, size_t cap)
{
	int64_t secs = ns / MARKET_NS_PER_SEC, sub = ns % MARKET_NS_PER_SEC;
	if (sub < 0) {
		sub += MARKET_NS_PER_SEC;
		secs--;
	}
	int64_t days = secs / 86400, rem = secs % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	int64_t y;
	int m, d;
	civil_from_days(days, &y, &m, &d);
	if (sub)
		snprintf(buf, cap, "%04lld-%02d-%02dT%02d:%02d:%02d.%09lldZ", (long long)y, m, d, (int)(rem / 3600),
		         (int)(rem / 60 % 60), (int)(rem % 60), (long long)sub);
	else
		snprintf(buf, cap, "%04lld-%02d-%02dT%02d:%02d:%02dZ", (long long)y, m, d, (int)(rem / 3600),
		         (int)(rem / 60 % 60), (int)(rem % 60));
}

void market_format_duration(int64_t ns, char *buf, size_t cap)
{
	static const struct {
		int64_t ns;
		const char *unit;
	} units[] = {
		{ 86400LL * MARKET_NS_PER_SEC, "d" }, { 3600LL * MARKET_NS_PER_SEC, "h" }, { 60LL * MARKET_NS_PER_SEC, "m" },
		{ MARKET_NS_PER_SEC, "s" },           { 1000000LL, "ms" },                 { 1000LL, "us" },
	};
	for (size_t k = 0; k < sizeof units / sizeof units[0]; k++)
		if (ns != 0 && ns % units[k].ns == 0) {
			snprintf(buf, cap, "%lld%s", (long long)(ns / units[k].ns), units[k].unit);
			return;
		}
	snprintf(buf, cap, "%lldns", (long long)ns);
}
