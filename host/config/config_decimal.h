/*
 * Exact decimal text for money, prices and quantities in configuration. A value such as
 * "0.1" is kept as digits and a power of ten, compared exactly and converted to a
 * fixed-point int64 at a chosen scale, never through a double (0.1 has no exact double).
 */
#ifndef TRADEHOST_CONFIG_DECIMAL_H
#define TRADEHOST_CONFIG_DECIMAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* value = (neg ? -1 : 1) * digits * 10^exp10; digits has no leading or trailing zeros,
 * so every value has exactly one representation (zero is ndigits == 0, neg false). */
typedef struct config_decimal {
	bool neg;
	char digits[80];
	size_t ndigits;
	long exp10;
} config_decimal;

/* Parses [+-]digits[.digits][(e|E)[+-]digits]. allow_underscores accepts TOML's digit
 * separators (the literal was already checked by the TOML parser). Returns false with a
 * reason in err for anything else (inf, nan, empty, stray characters, more than 80
 * significant digits). */
bool config_decimal_parse(const char *text, size_t len, bool allow_underscores, config_decimal *out,
                          char *err, size_t errlen);

/* -1, 0, 1 like strcmp. */
int config_decimal_cmp(const config_decimal *a, const config_decimal *b);

/* a * 10^scale as int64. Fails when a has more fractional digits than scale (nonzero
 * digits would be lost) or the result is outside int64. 0 <= scale <= 18. */
bool config_decimal_to_fixed(const config_decimal *a, int scale, int64_t *out, char *err, size_t errlen);

/* Shortest plain text of the value ("0.001", "-12.5", "1000"); for messages. */
void config_decimal_format(const config_decimal *a, char *buf, size_t buflen);

#endif
