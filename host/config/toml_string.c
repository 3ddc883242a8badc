/*
 * The four TOML string forms: basic "..." (escapes), literal '...' (verbatim), and their
 * multi-line variants """...""" and '''...'''. Encoding and control characters were already
 * checked for the whole document (tp_check_encoding), so only the string grammar is
 * enforced here. Line endings inside multi-line strings are normalised to "\n".
 */
#include "config/toml_parser.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct strbuf {
	char *ptr;
	size_t len, cap;
} strbuf;

static bool sb_put(strbuf *b, const char *data, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t ncap = b->cap ? b->cap : 32;
		while (ncap < b->len + n + 1)
			ncap *= 2;
		char *nb = realloc(b->ptr, ncap);
		if (!nb)
			return false;
		b->ptr = nb;
		b->cap = ncap;
	}
	memcpy(b->ptr + b->len, data, n);
	b->len += n;
	b->ptr[b->len] = '\0';
	return true;
}

static bool sb_putc(strbuf *b, char c)
{
	return sb_put(b, &c, 1);
}

static int hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The cursor is on a backslash that is not a line-ending backslash. */
static bool parse_escape(toml_parser *p, strbuf *b)
{
	int line = p->line, col = p->col;
	int c = tp_peek(p, 1);
	char simple = 0;
	switch (c) {
	case 'b': simple = '\b'; break;
	case 't': simple = '\t'; break;
	case 'n': simple = '\n'; break;
	case 'f': simple = '\f'; break;
	case 'r': simple = '\r'; break;
	case '"': simple = '"'; break;
	case '\\': simple = '\\'; break;
	case 'u':
	case 'U': {
		int digits = c == 'u' ? 4 : 8;
		uint32_t cp = 0;
		for (int i = 0; i < digits; i++) {
			int h = hex_value(tp_peek(p, 2 + (size_t)i));
			if (h < 0)
				return tp_fail_at(p, line, col,
				                  "expected %d hex digits after \\%c in escape sequence", digits, c);
			cp = cp * 16 + (uint32_t)h;
		}
		if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return tp_fail_at(p, line, col,
			                  "escape \\%c%0*X is not a Unicode scalar value (surrogates and values above 10FFFF are invalid)",
			                  c, digits, (unsigned)cp);
		char enc[4];
		size_t n = toml_utf8_encode(cp, enc);
		tp_advance(p, 2 + (size_t)digits);
		return sb_put(b, enc, n) || tp_fail_at(p, line, col, "out of memory");
	}
	default:
		break;
	}
	if (!simple) {
		if (c < 0 || c == '\n' || c == '\r')
			return tp_fail_at(p, line, col, "expected an escape character after '\\', found end of line");
		if (c > 0x20 && c < 0x7F)
			return tp_fail_at(p, line, col,
			                  "unknown escape sequence '\\%c' (valid: \\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX \\UXXXXXXXX)",
			                  c);
		return tp_fail_at(p, line, col,
		                  "unknown escape sequence after '\\' (valid: \\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX \\UXXXXXXXX)");
	}
	tp_advance(p, 2);
	return sb_putc(b, simple) || tp_fail_at(p, line, col, "out of memory");
}

/* In a multi-line basic string, a backslash followed by optional spaces and a newline
 * removes itself and all following whitespace and newlines. Returns true if it did. */
static bool eat_line_ending_backslash(toml_parser *p)
{
	size_t off = 1;
	while (tp_peek(p, off) == ' ' || tp_peek(p, off) == '\t')
		off++;
	int c = tp_peek(p, off);
	if (!(c == '\n' || (c == '\r' && tp_peek(p, off + 1) == '\n')))
		return false;
	tp_advance(p, off);
	for (;;) {
		int d = tp_peek(p, 0);
		if (d == ' ' || d == '\t')
			tp_advance(p, 1);
		else if (!tp_eat_newline(p))
			break;
	}
	return true;
}

static bool parse_single_line(toml_parser *p, char quote, strbuf *b)
{
	int line = p->line, col = p->col;
	tp_advance(p, 1);
	for (;;) {
		int c = tp_peek(p, 0);
		if (c == quote) {
			tp_advance(p, 1);
			return true;
		}
		if (c < 0 || c == '\n' || c == '\r') {
			char what[80];
			snprintf(what, sizeof(what), "'%c' to close the string started at %d:%d", quote, line, col);
			return tp_expected(p, what);
		}
		if (c == '\\' && quote == '"') {
			if (!parse_escape(p, b))
				return false;
			continue;
		}
		if (!sb_putc(b, (char)c))
			return tp_fail_at(p, line, col, "out of memory");
		tp_advance(p, 1);
	}
}

static bool parse_multi_line(toml_parser *p, char quote, strbuf *b)
{
	int line = p->line, col = p->col;
	tp_advance(p, 3);
	tp_eat_newline(p); /* a newline right after the opening delimiter is trimmed */
	for (;;) {
		int c = tp_peek(p, 0);
		if (c < 0) {
			char what[80];
			snprintf(what, sizeof(what), "'%c%c%c' to close the string started at %d:%d", quote, quote,
			         quote, line, col);
			return tp_expected(p, what);
		}
		if (c == quote) {
			size_t run = 0;
			while (tp_peek(p, run) == quote)
				run++;
			if (run < 3) {
				if (!sb_put(b, run == 1 ? &quote : (char[]){ quote, quote }, run))
					return tp_fail_at(p, line, col, "out of memory");
				tp_advance(p, run);
				continue;
			}
			/* Up to two quotes may sit right before the closing delimiter; a longer run is
			 * left for the caller to reject as text after the string. */
			size_t extra = run - 3 > 2 ? 2 : run - 3;
			for (size_t i = 0; i < extra; i++)
				if (!sb_putc(b, quote))
					return tp_fail_at(p, line, col, "out of memory");
			tp_advance(p, extra + 3);
			return true;
		}
		if (c == '\\' && quote == '"') {
			if (eat_line_ending_backslash(p))
				continue;
			if (!parse_escape(p, b))
				return false;
			continue;
		}
		if (tp_eat_newline(p)) {
			if (!sb_putc(b, '\n'))
				return tp_fail_at(p, line, col, "out of memory");
			continue;
		}
		if (!sb_putc(b, (char)c))
			return tp_fail_at(p, line, col, "out of memory");
		tp_advance(p, 1);
	}
}

bool tp_parse_string(toml_parser *p, bool allow_multiline, char **out, size_t *len)
{
	char quote = (char)tp_peek(p, 0);
	bool multi = tp_peek(p, 1) == quote && tp_peek(p, 2) == quote;
	strbuf b = { 0 };
	if (!sb_put(&b, "", 0))
		return tp_fail_at(p, p->line, p->col, "out of memory");
	bool ok;
	if (multi && !allow_multiline)
		ok = tp_fail_at(p, p->line, p->col, "a multi-line string cannot be used as a key");
	else if (multi)
		ok = parse_multi_line(p, quote, &b);
	else
		ok = parse_single_line(p, quote, &b);
	if (!ok) {
		free(b.ptr);
		return false;
	}
	*out = b.ptr;
	*len = b.len;
	return true;
}
