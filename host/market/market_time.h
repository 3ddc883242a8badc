/*
 * market — timestamps in market data files, and formatting for messages.
 *
 * All times inside tradehost are int64 nanoseconds since the Unix epoch (UTC).
 */
#ifndef TH_MARKET_TIME_H
#define TH_MARKET_TIME_H

#include <stddef.h>
#include <stdint.h>

#define MARKET_NS_PER_SEC 1000000000LL

/*
 * Integer Unix time with its unit detected by magnitude (documented for the
 * CSV importer):
 *   v < 1e11  → seconds       (1e11 s  is the year 5138)
 *   v < 1e14  → milliseconds  (1e14 ms is the year 5138; Binance before 2025)
 *   v < 1e17  → microseconds  (Binance spot files from 2025-01-01 on)
 *   otherwise → nanoseconds
 * "1700000000.25" (seconds with a fraction, up to 9 digits) is accepted too.
 * Negative times (before 1970) are rejected. 0 ok, -1 otherwise.
 */
int market_parse_epoch(const char *s, size_t len, int64_t *ns);

/*
 * ISO-8601 / RFC 3339 in UTC: "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SSZ",
 * optional fraction ".fffffffff", a space instead of 'T', and a zone that is
 * 'Z' or "+HH:MM" / "-HH:MM". A date-time without a zone is rejected: the
 * importer never guesses a local time. 0 ok, -1 otherwise.
 */
int market_parse_iso8601(const char *s, size_t len, int64_t *ns);

/* Days since 1970-01-01 of a proleptic Gregorian date (m 1..12, d 1..31). */
int64_t market_days_from_civil(int64_t y, int m, int d);

/* "2024-01-01T00:00:00Z" (with ".fffffffff" only if there are nanoseconds). */
void market_format_time(int64_t ns, char *buf, size_t cap);

/* Short duration for messages: "1m", "5m", "1h", "1d", "90s", "250ms", "7ns". */
void market_format_duration(int64_t ns, char *buf, size_t cap);

#endif
