/*
 * Private to the TOML parser: the cursor over the input and the scanning entry points
 * shared by toml_parser.c (document structure, keys, tables), toml_string.c (the four
 * string forms) and toml_scalar.c (numbers, booleans, date-times).
 */
#ifndef TRADEHOST_CONFIG_TOML_PARSER_H
#define TRADEHOST_CONFIG_TOML_PARSER_H

#include "config/toml_internal.h"

/* Deepest allowed value nesting (tables, arrays). Keeps hostile documents from exhausting
 * the stack in the recursive code that walks trees (free, clone, JSON output). */
enum { TOML_MAX_DEPTH = 256 };

typedef struct toml_parser {
	const char *s;
	size_t len;
	size_t pos;
	int line, col;       /* position of s[pos], 1-based; col counts code points */
	toml_source *source; /* label for every node created */
	toml_error *err;
	bool failed;
	unsigned section;      /* id of the [table] section (or inline table) being filled */
	unsigned next_section;
} toml_parser;

/* Byte at pos + off, or -1 past the end. */
static inline int tp_peek(const toml_parser *p, size_t off)
{
	return p->pos + off < p->len ? (unsigned char)p->s[p->pos + off] : -1;
}

void tp_init(toml_parser *p, const char *text, size_t len, toml_source *src, toml_error *err);
void tp_advance(toml_parser *p, size_t n);
/* Records the first error only (later ones are consequences); always returns false. */
bool tp_fail_at(toml_parser *p, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Fails at the current position with "expected <what>, found <what is here>". */
bool tp_expected(toml_parser *p, const char *what);
/* Fails with "expected a value (...), found 'word'" at the current position. */
bool tp_expected_value(toml_parser *p);
/* Describes the input at the current position: "end of file", "end of line", "'x'". */
void tp_describe_here(const toml_parser *p, char *buf, size_t n);
/* Rejects invalid UTF-8, control characters and bare carriage returns anywhere. */
bool tp_check_encoding(toml_parser *p);

void tp_skip_ws(toml_parser *p);
/* At '\n' or "\r\n": consumes it and returns true. */
bool tp_eat_newline(toml_parser *p);
static inline bool tp_at_newline(const toml_parser *p)
{
	int c = tp_peek(p, 0);
	return c == '\n' || (c == '\r' && tp_peek(p, 1) == '\n');
}

/* Strings: the cursor is on the opening quote. On success *out is a malloc'd NUL-terminated
 * buffer of *len bytes (which may contain NUL). Keys pass allow_multiline = false. */
bool tp_parse_string(toml_parser *p, bool allow_multiline, char **out, size_t *len);

/* Numbers and date-times: the cursor is on a digit, sign, 'i' or 'n'. */
toml_value *tp_parse_number_or_datetime(toml_parser *p);
/* Booleans: the cursor is on 't' or 'f'. */
toml_value *tp_parse_bool(toml_parser *p);

/* A node stamped with the current position and source. */
toml_value *tp_new_value(toml_parser *p, toml_type type, int line, int col);

#endif
