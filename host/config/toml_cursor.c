/*
 * The parser's cursor: position tracking (line and column in code points), error
 * recording, and the whole-document encoding check that runs before parsing so the
 * scanners can assume valid UTF-8 without stray control characters.
 */
#include "config/toml_parser.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void tp_init(toml_parser *p, const char *text, size_t len, toml_source *src, toml_error *err)
{
	memset(p, 0, sizeof(*p));
	p->s = text ? text : "";
	p->len = text ? len : 0;
	p->line = 1;
	p->col = 1;
	p->source = src;
	p->err = err;
	p->section = 1;
	p->next_section = 2;
}

void tp_advance(toml_parser *p, size_t n)
{
	for (size_t i = 0; i < n && p->pos < p->len; i++) {
		unsigned char c = (unsigned char)p->s[p->pos++];
		if (c == '\n') {
			p->line++;
			p->col = 1;
		} else if ((c & 0xC0) != 0x80) {
			p->col++;
		}
	}
}

bool tp_fail_at(toml_parser *p, int line, int col, const char *fmt, ...)
{
	if (p->failed)
		return false;
	p->failed = true;
	if (p->err) {
		snprintf(p->err->file, sizeof(p->err->file), "%s", p->source ? p->source->name : "<input>");
		p->err->line = line;
		p->err->column = col;
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(p->err->message, sizeof(p->err->message), fmt, ap);
		va_end(ap);
	}
	return false;
}

void tp_describe_here(const toml_parser *p, char *buf, size_t n)
{
	int c = tp_peek(p, 0);
	if (c < 0) {
		snprintf(buf, n, "end of file");
	} else if (c == '\n' || (c == '\r' && tp_peek(p, 1) == '\n')) {
		snprintf(buf, n, "end of line");
	} else if (c == ' ' || c == '\t') {
		snprintf(buf, n, "whitespace");
	} else if (c > 0x20 && c < 0x7F) {
		snprintf(buf, n, "'%c'", c);
	} else {
		uint32_t cp = 0;
		if (toml_utf8_decode((const unsigned char *)p->s + p->pos, p->len - p->pos, &cp))
			snprintf(buf, n, "U+%04X", (unsigned)cp);
		else
			snprintf(buf, n, "byte 0x%02X", (unsigned)c);
	}
}

bool tp_expected(toml_parser *p, const char *what)
{
	char found[32];
	tp_describe_here(p, found, sizeof(found));
	return tp_fail_at(p, p->line, p->col, "expected %s, found %s", what, found);
}

static bool is_word_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
	       c == '-' || c == '.' || c == '+';
}

bool tp_expected_value(toml_parser *p)
{
	/* Show the whole word ("found 'paper'") rather than its first letter: unquoted text
	 * is the most common mistake in hand-written values. */
	size_t n = 0;
	while (n < 40 && is_word_char(tp_peek(p, n)))
		n++;
	if (n > 1)
		return tp_fail_at(p, p->line, p->col,
		                  "expected a value (string, number, boolean, date-time, array or inline table), found '%.*s'",
		                  (int)n, p->s + p->pos);
	return tp_expected(p, "a value (string, number, boolean, date-time, array or inline table)");
}

bool tp_check_encoding(toml_parser *p)
{
	int line = 1, col = 1;
	const unsigned char *s = (const unsigned char *)p->s;
	size_t i = 0;
	while (i < p->len) {
		unsigned char c = s[i];
		if (c == '\n') {
			line++;
			col = 1;
			i++;
			continue;
		}
		if (c == '\r') {
			if (i + 1 >= p->len || s[i + 1] != '\n')
				return tp_fail_at(p, line, col,
				                  "carriage return (U+000D) must be followed by a line feed");
			i++;
			col++;
			continue;
		}
		if ((c < 0x20 && c != '\t') || c == 0x7F)
			return tp_fail_at(p, line, col,
			                  "control character U+%04X is not allowed (use an escape inside a basic string)",
			                  (unsigned)c);
		if (c < 0x80) {
			i++;
			col++;
			continue;
		}
		uint32_t cp;
		size_t n = toml_utf8_decode(s + i, p->len - i, &cp);
		if (n == 0)
			return tp_fail_at(p, line, col, "invalid UTF-8 byte sequence (byte 0x%02X)", (unsigned)c);
		i += n;
		col++;
	}
	return true;
}

void tp_skip_ws(toml_parser *p)
{
	while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t')) {
		p->pos++;
		p->col++;
	}
}

bool tp_eat_newline(toml_parser *p)
{
	if (tp_peek(p, 0) == '\n') {
		tp_advance(p, 1);
		return true;
	}
	if (tp_peek(p, 0) == '\r' && tp_peek(p, 1) == '\n') {
		tp_advance(p, 2);
		return true;
	}
	return false;
}

toml_value *tp_new_value(toml_parser *p, toml_type type, int line, int col)
{
	toml_value *v = toml_value_new(type);
	if (!v) {
		tp_fail_at(p, line, col, "out of memory");
		return NULL;
	}
	v->line = line;
	v->column = col;
	v->source = p->source;
	toml_source_ref(v->source);
	return v;
}
