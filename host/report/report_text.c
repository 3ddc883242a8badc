/*
 * report — text formatting: UTF-8 checks, ISO-8601 times, money, enum names.
 */
#include "report/report_internal.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

int report_utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		size_t len;
		uint32_t cp;
		if (c == 0)
			return 0;
		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xC2 && c <= 0xDF) {
			len = 2;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			len = 3;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			len = 4;
			cp = c & 0x07;
		} else {
			return 0;
		}
		if (n - i < len)
			return 0;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		/* reject overlong forms, UTF-16 surrogates and values past U+10FFFF */
		if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += len;
	}
	return 1;
}

void report_time_iso(int64_t ns, char *buf, size_t cap)
{
	const int64_t ns_per_s = 1000000000LL;
	int64_t sec = ns / ns_per_s, frac = ns % ns_per_s;
	if (frac < 0) { /* floor for times before the epoch */
		frac += ns_per_s;
		sec -= 1;
	}
	time_t tt = (time_t)sec;
	struct tm tm;
	if (!gmtime_r(&tt, &tm)) {
		snprintf(buf, cap, "%lldns", (long long)ns);
		return;
	}
	char fracs[16] = "";
	if (frac != 0) {
		snprintf(fracs, sizeof fracs, ".%09lld", (long long)frac);
		size_t l = strlen(fracs);
		while (l > 1 && fracs[l - 1] == '0')
			fracs[--l] = '\0';
	}
	snprintf(buf, cap, "%04d-%02d-%02dT%02d:%02d:%02d%sZ", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, fracs);
}

void report_money_text(th_money v, char *buf, size_t cap)
{
	if (th_fixed_format(v, TH_MONEY_SCALE, buf, cap) < 0 && cap > 0)
		buf[0] = '\0';
}

void report_money_rounded(th_money v, int digits, char *buf, size_t cap)
{
	int64_t r;
	if (digits < 0 || digits > TH_MONEY_SCALE ||
	    th_fixed_muldiv(v, 1, th_pow10(TH_MONEY_SCALE - digits), &r) != 0 ||
	    th_fixed_format(r, digits, buf, cap) < 0)
		report_money_text(v, buf, cap);
}

const char *report_side_name(uint32_t side)
{
	switch (side) {
	case TH_SIDE_BUY: return "long";
	case TH_SIDE_SELL: return "short";
	default: return "?";
	}
}

const char *report_kind_name(report_kind kind)
{
	switch (kind) {
	case REPORT_KIND_HOST: return "host";
	case REPORT_KIND_FARM: return "farm";
	case REPORT_KIND_AGENT: return "agent";
	default: return "?";
	}
}
