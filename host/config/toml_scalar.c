/*
 * Scalars that are not strings: integers (decimal, 0x, 0o, 0b), floats (fraction,
 * exponent, inf, nan), booleans and the four date-time kinds. Each literal's text is kept
 * on the node (toml_raw_literal) so money can later be read exactly from the text.
 */
#include "config/toml_parser.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Characters that can belong to a number token; anything else ends it. */
static bool is_number_char(int c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       c == '.' || c == '+' || c == '-';
}

static bool is_digit_of(int c, int base)
{
	switch (base) {
	case 2: return c == '0' || c == '1';
	case 8: return c >= '0' && c <= '7';
	case 16: return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
	default: return is_digit(c);
	}
}

static int digit_value(int c)
{
	if (is_digit(c))
		return c - '0';
	return (c | 0x20) - 'a' + 10;
}

typedef struct numtok {
	toml_parser *p;
	const char *s; /* token start */
	size_t len;
	int line, col; /* of the token start */
} numtok;

static bool num_fail(const numtok *t, size_t at, const char *what)
{
	/* Tokens are ASCII, so the column of byte `at` is col + at. */
	return tp_fail_at(t->p, t->line, t->col + (int)at, "invalid number '%.*s': %s", (int)t->len, t->s,
	                  what);
}

/* Scans digits of `base` with single underscores between digits, starting at *i.
 * `what` names the part for messages ("exponent", "fraction"). */
static bool scan_digits(const numtok *t, size_t *i, int base, const char *what)
{
	char msg[96];
	if (*i >= t->len || !is_digit_of(t->s[*i], base)) {
		if (*i < t->len && t->s[*i] == '_')
			snprintf(msg, sizeof(msg), "underscore must be between digits (at the start of the %s)", what);
		else
			snprintf(msg, sizeof(msg), "expected a digit in the %s", what);
		return num_fail(t, *i, msg);
	}
	while (*i < t->len) {
		char c = t->s[*i];
		if (is_digit_of(c, base)) {
			(*i)++;
		} else if (c == '_') {
			if (*i + 1 >= t->len || !is_digit_of(t->s[*i + 1], base)) {
				snprintf(msg, sizeof(msg), "underscore must be between digits of the %s", what);
				return num_fail(t, *i, msg);
			}
			(*i)++;
		} else {
			break;
		}
	}
	return true;
}

/* Accumulates the digits in s[from, to) (underscores skipped) into a magnitude, failing
 * past `limit` (INT64_MAX, or INT64_MAX + 1 for a negative decimal). */
static bool accumulate(const numtok *t, size_t from, size_t to, int base, uint64_t limit, uint64_t *out)
{
	uint64_t v = 0;
	for (size_t i = from; i < to; i++) {
		if (t->s[i] == '_')
			continue;
		uint64_t d = (uint64_t)digit_value(t->s[i]);
		if (v > (limit - d) / (uint64_t)base)
			return tp_fail_at(t->p, t->line, t->col, "integer '%.*s' does not fit in 64 bits (range %s)",
			                  (int)t->len, t->s, "-9223372036854775808 to 9223372036854775807");
		v = v * (uint64_t)base + d;
	}
	*out = v;
	return true;
}

static toml_value *finish_number(const numtok *t, toml_type type)
{
	toml_value *v = tp_new_value(t->p, type, t->line, t->col);
	if (!v)
		return NULL;
	v->raw = malloc(t->len + 1);
	if (!v->raw) {
		toml_free(v);
		tp_fail_at(t->p, t->line, t->col, "out of memory");
		return NULL;
	}
	memcpy(v->raw, t->s, t->len);
	v->raw[t->len] = '\0';
	return v;
}

static toml_value *parse_prefixed_integer(const numtok *t, int base)
{
	size_t i = 2;
	const char *name = base == 16 ? "hexadecimal digits" : base == 8 ? "octal digits" : "binary digits";
	if (!scan_digits(t, &i, base, name))
		return NULL;
	if (i != t->len) {
		num_fail(t, i, base == 16 ? "unexpected character after hexadecimal digits"
		                          : base == 8 ? "unexpected character after octal digits (0-7)"
		                                      : "unexpected character after binary digits (0-1)");
		return NULL;
	}
	uint64_t mag = 0; /* set by accumulate on success; 0 only quiets -O3's flow analysis */
	if (!accumulate(t, 2, t->len, base, (uint64_t)INT64_MAX, &mag))
		return NULL;
	toml_value *v = finish_number(t, TOML_INTEGER);
	if (v)
		v->u.i = (int64_t)mag;
	return v;
}

static toml_value *parse_special_float(const numtok *t, bool neg, size_t at)
{
	const char *w = t->s + at;
	size_t n = t->len - at;
	bool inf = n == 3 && memcmp(w, "inf", 3) == 0;
	bool nan = n == 3 && memcmp(w, "nan", 3) == 0;
	if (!inf && !nan) {
		num_fail(t, at, "expected inf or nan");
		return NULL;
	}
	toml_value *v = finish_number(t, TOML_FLOAT);
	if (v)
		v->u.d = inf ? (neg ? -INFINITY : INFINITY) : (neg ? -NAN : NAN);
	return v;
}

static toml_value *parse_decimal(const numtok *t)
{
	size_t i = 0;
	bool neg = false;
	if (t->s[0] == '+' || t->s[0] == '-') {
		neg = t->s[0] == '-';
		i = 1;
	}
	if (i < t->len && (t->s[i] == 'i' || t->s[i] == 'n'))
		return parse_special_float(t, neg, i);
	size_t int_start = i;
	if (i < t->len && t->s[i] == '0' && i + 1 < t->len && (t->s[i + 1] == 'x' || t->s[i + 1] == 'o' || t->s[i + 1] == 'b')) {
		num_fail(t, i, "a sign is not allowed on hexadecimal, octal or binary integers");
		return NULL;
	}
	if (i < t->len && t->s[i] == '0' && i + 1 < t->len && (t->s[i + 1] == 'X' || t->s[i + 1] == 'O' || t->s[i + 1] == 'B')) {
		num_fail(t, i + 1, "prefixes must be lower case: 0x, 0o, 0b");
		return NULL;
	}
	if (!scan_digits(t, &i, 10, "integer part"))
		return NULL;
	if (t->s[int_start] == '0' && i - int_start > 1) {
		num_fail(t, int_start, "leading zeros are not allowed");
		return NULL;
	}
	size_t int_end = i;
	bool is_float = false;
	if (i < t->len && t->s[i] == '.') {
		i++;
		if (!scan_digits(t, &i, 10, "fraction"))
			return NULL;
		is_float = true;
	}
	if (i < t->len && (t->s[i] == 'e' || t->s[i] == 'E')) {
		i++;
		if (i < t->len && (t->s[i] == '+' || t->s[i] == '-'))
			i++;
		if (!scan_digits(t, &i, 10, "exponent"))
			return NULL;
		is_float = true;
	}
	if (i != t->len) {
		char msg[64];
		snprintf(msg, sizeof(msg), "unexpected '%c'", t->s[i]);
		num_fail(t, i, msg);
		return NULL;
	}
	if (!is_float) {
		uint64_t mag = 0; /* see parse_prefixed_integer */
		uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
		if (!accumulate(t, int_start, int_end, 10, limit, &mag))
			return NULL;
		toml_value *v = finish_number(t, TOML_INTEGER);
		if (v)
			v->u.i = neg ? (int64_t)(0 - mag) : (int64_t)mag;
		return v;
	}
	/* strtod on the literal without underscores; the grammar was checked above. */
	char buf[512];
	char *dyn = NULL;
	char *b = t->len < sizeof(buf) ? buf : (dyn = malloc(t->len + 1));
	if (!b) {
		tp_fail_at(t->p, t->line, t->col, "out of memory");
		return NULL;
	}
	size_t n = 0;
	for (size_t k = 0; k < t->len; k++)
		if (t->s[k] != '_')
			b[n++] = t->s[k];
	b[n] = '\0';
	errno = 0;
	double d = strtod(b, NULL);
	bool overflow = errno == ERANGE && isinf(d);
	free(dyn);
	if (overflow) {
		num_fail(t, 0, "too large for a 64-bit float");
		return NULL;
	}
	toml_value *v = finish_number(t, TOML_FLOAT);
	if (v)
		v->u.d = d;
	return v;
}

/* Reads exactly `n` digits at off into *out; false if any is not a digit. */
static bool fixed_digits(const toml_parser *p, size_t off, size_t n, int *out)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		int c = tp_peek(p, off + i);
		if (!is_digit(c))
			return false;
		v = v * 10 + (c - '0');
	}
	*out = v;
	return true;
}

static bool dt_fail(toml_parser *p, size_t off, const char *what)
{
	toml_parser at = *p;
	tp_advance(&at, off);
	char found[32];
	tp_describe_here(&at, found, sizeof(found));
	return tp_fail_at(p, at.line, at.col, "invalid date-time: expected %s, found %s", what, found);
}

/* Time HH:MM:SS[.frac] at off; advances *off past it. */
static bool scan_time(toml_parser *p, size_t *off, toml_datetime *dt)
{
	size_t o = *off;
	if (!fixed_digits(p, o, 2, &dt->hour))
		return dt_fail(p, o, "2-digit hour");
	if (tp_peek(p, o + 2) != ':')
		return dt_fail(p, o + 2, "':' after the hour");
	if (!fixed_digits(p, o + 3, 2, &dt->minute))
		return dt_fail(p, o + 3, "2-digit minute");
	if (tp_peek(p, o + 5) != ':')
		return dt_fail(p, o + 5, "':' and seconds after the minute (seconds are required in TOML 1.0)");
	if (!fixed_digits(p, o + 6, 2, &dt->second))
		return dt_fail(p, o + 6, "2-digit second");
	o += 8;
	if (tp_peek(p, o) == '.') {
		o++;
		if (!is_digit(tp_peek(p, o)))
			return dt_fail(p, o, "digits after '.' in the seconds");
		int digits = 0, ns = 0;
		while (is_digit(tp_peek(p, o))) {
			if (digits < 9) { /* the spec says to truncate, not round, extra precision */
				ns = ns * 10 + (tp_peek(p, o) - '0');
				digits++;
			}
			o++;
		}
		dt->frac_digits = digits;
		for (int k = digits; k < 9; k++)
			ns *= 10;
		dt->nanosecond = ns;
	}
	*off = o;
	return true;
}

static toml_value *parse_datetime(toml_parser *p, bool starts_with_date)
{
	int line = p->line, col = p->col;
	toml_datetime dt = { 0 };
	toml_type kind;
	size_t o = 0;
	if (starts_with_date) {
		fixed_digits(p, 0, 4, &dt.year);
		if (!fixed_digits(p, 5, 2, &dt.month) || tp_peek(p, 7) != '-') {
			dt_fail(p, 5, "2-digit month followed by '-' (YYYY-MM-DD)");
			return NULL;
		}
		if (!fixed_digits(p, 8, 2, &dt.day)) {
			dt_fail(p, 8, "2-digit day (YYYY-MM-DD)");
			return NULL;
		}
		o = 10;
		int sep = tp_peek(p, o);
		bool has_time = sep == 'T' || sep == 't' ||
		                (sep == ' ' && is_digit(tp_peek(p, o + 1)) && is_digit(tp_peek(p, o + 2)) &&
		                 tp_peek(p, o + 3) == ':');
		if (has_time) {
			o++;
			if (!scan_time(p, &o, &dt))
				return NULL;
			int z = tp_peek(p, o);
			if (z == 'Z' || z == 'z') {
				kind = TOML_DATETIME;
				o++;
			} else if (z == '+' || z == '-') {
				int oh, om;
				if (!fixed_digits(p, o + 1, 2, &oh) || tp_peek(p, o + 3) != ':' ||
				    !fixed_digits(p, o + 4, 2, &om)) {
					dt_fail(p, o, "a UTC offset of the form +HH:MM or -HH:MM");
					return NULL;
				}
				if (oh > 23 || om > 59) {
					tp_fail_at(p, line, col, "invalid date-time: offset hours must be 00-23 and minutes 00-59");
					return NULL;
				}
				dt.offset_minutes = (z == '-' ? -1 : 1) * (oh * 60 + om);
				dt.offset_unknown = z == '-' && oh == 0 && om == 0;
				kind = TOML_DATETIME;
				o += 6;
			} else {
				kind = TOML_DATETIME_LOCAL;
			}
		} else {
			kind = TOML_DATE_LOCAL;
		}
	} else {
		if (!scan_time(p, &o, &dt))
			return NULL;
		kind = TOML_TIME_LOCAL;
	}
	const char *bad = toml_datetime_validate(kind, &dt);
	if (bad) {
		tp_fail_at(p, line, col, "invalid %s '%.*s': %s", toml_type_name(kind), (int)o, p->s + p->pos, bad);
		return NULL;
	}
	toml_value *v = tp_new_value(p, kind, line, col);
	if (!v)
		return NULL;
	v->u.dt.parts = dt;
	toml_datetime_format(kind, &dt, v->u.dt.text, sizeof(v->u.dt.text));
	tp_advance(p, o);
	return v;
}

toml_value *tp_parse_number_or_datetime(toml_parser *p)
{
	int d;
	if (fixed_digits(p, 0, 4, &d) && tp_peek(p, 4) == '-')
		return parse_datetime(p, true);
	if (fixed_digits(p, 0, 2, &d) && tp_peek(p, 2) == ':')
		return parse_datetime(p, false);

	numtok t = { .p = p, .s = p->s + p->pos, .line = p->line, .col = p->col };
	while (is_number_char(tp_peek(p, t.len)))
		t.len++;
	toml_value *v;
	if (t.len >= 2 && t.s[0] == '0' && (t.s[1] == 'x' || t.s[1] == 'o' || t.s[1] == 'b'))
		v = parse_prefixed_integer(&t, t.s[1] == 'x' ? 16 : t.s[1] == 'o' ? 8 : 2);
	else
		v = parse_decimal(&t);
	if (v)
		tp_advance(p, t.len);
	return v;
}

toml_value *tp_parse_bool(toml_parser *p)
{
	int line = p->line, col = p->col;
	bool val = tp_peek(p, 0) == 't';
	const char *word = val ? "true" : "false";
	size_t n = strlen(word);
	bool match = p->len - p->pos >= n && memcmp(p->s + p->pos, word, n) == 0;
	int next = tp_peek(p, n);
	bool word_continues = (next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z') ||
	                      is_digit(next) || next == '_' || next == '-';
	if (!match || word_continues) {
		tp_expected_value(p);
		return NULL;
	}
	toml_value *v = tp_new_value(p, TOML_BOOL, line, col);
	if (v) {
		v->u.b = val;
		tp_advance(p, n);
	}
	return v;
}
