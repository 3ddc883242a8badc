/*
 * Date-time range checks and normalised RFC 3339 output. The scanner (toml_scalar.c)
 * extracts the fields; here we decide whether they name a real calendar date and time,
 * because TOML requires e.g. 2021-02-29 and 24:00:00 to be rejected.
 */
#include "config/toml_internal.h"

#include <stdio.h>

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Checks only the fields the kind has: a local time has no date, a local date no time. */
const char *toml_datetime_validate(toml_type kind, const toml_datetime *dt)
{
	if (kind != TOML_TIME_LOCAL) {
		if (dt->month < 1 || dt->month > 12)
			return "month must be 01 to 12";
		if (dt->day < 1 || dt->day > days_in_month(dt->year, dt->month))
			return "day is out of range for the month";
	}
	if (kind == TOML_DATE_LOCAL)
		return NULL;
	if (dt->hour > 23)
		return "hour must be 00 to 23";
	if (dt->minute > 59)
		return "minute must be 00 to 59";
	/* RFC 3339 allows 60 for a leap second. */
	if (dt->second > 60)
		return "second must be 00 to 60";
	return NULL;
}

void toml_datetime_format(toml_type kind, const toml_datetime *dt, char *out, size_t outlen)
{
	char frac[16] = "";
	if (dt->frac_digits > 0) {
		/* Keep the digits the author wrote (up to nanoseconds), not a rounded form. */
		int ns = dt->nanosecond;
		char all[10];
		snprintf(all, sizeof(all), "%09d", ns);
		snprintf(frac, sizeof(frac), ".%.*s", dt->frac_digits, all);
	}
	switch (kind) {
	case TOML_DATE_LOCAL:
		snprintf(out, outlen, "%04d-%02d-%02d", dt->year, dt->month, dt->day);
		break;
	case TOML_TIME_LOCAL:
		snprintf(out, outlen, "%02d:%02d:%02d%s", dt->hour, dt->minute, dt->second, frac);
		break;
	case TOML_DATETIME_LOCAL:
		snprintf(out, outlen, "%04d-%02d-%02dT%02d:%02d:%02d%s", dt->year, dt->month, dt->day,
		         dt->hour, dt->minute, dt->second, frac);
		break;
	default: {
		char off[16];
		if (dt->offset_minutes == 0 && !dt->offset_unknown) {
			snprintf(off, sizeof(off), "Z");
		} else {
			int m = dt->offset_minutes < 0 ? -dt->offset_minutes : dt->offset_minutes;
			snprintf(off, sizeof(off), "%c%02d:%02d",
			         dt->offset_minutes < 0 || dt->offset_unknown ? '-' : '+', m / 60, m % 60);
		}
		snprintf(out, outlen, "%04d-%02d-%02dT%02d:%02d:%02d%s%s", dt->year, dt->month, dt->day,
		         dt->hour, dt->minute, dt->second, frac, off);
		break;
	}
	}
}
