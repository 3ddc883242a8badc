/*
 * TOML 1.0.0 parser and value tree (https://toml.io/en/v1.0.0), written for tradehost.
 *
 * The parser builds an immutable-looking tree of toml_value nodes. Every node remembers
 * where it came from (source name, line, column) so that configuration errors found long
 * after parsing (schema validation, plugin getters) can still point at the exact spot.
 * Integers and floats also keep their literal text, because money must be converted to
 * fixed point from the text, never through a double.
 *
 * Ownership: toml_parse*() return a tree owned by the caller, released with toml_free() on
 * the root. Pointers returned by the accessors point into the tree and live as long as it.
 * Columns are counted in Unicode code points, starting at 1. Line endings inside
 * multi-line strings are returned as "\n" whether the file used LF or CRLF.
 */
#ifndef TRADEHOST_CONFIG_TOML_H
#define TRADEHOST_CONFIG_TOML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum toml_type {
	TOML_STRING = 1,
	TOML_INTEGER,
	TOML_FLOAT,
	TOML_BOOL,
	TOML_DATETIME,       /* offset date-time: 1979-05-27T07:32:00Z */
	TOML_DATETIME_LOCAL, /* 1979-05-27T07:32:00 */
	TOML_DATE_LOCAL,     /* 1979-05-27 */
	TOML_TIME_LOCAL,     /* 07:32:00 */
	TOML_ARRAY,
	TOML_TABLE
} toml_type;

typedef struct toml_value toml_value;

typedef struct toml_error {
	char file[256];    /* source name given to the parser ("<input>" when none) */
	int line, column;  /* 1-based; 0 when the error has no position */
	char message[512]; /* "expected X, found Y" style text, without the position prefix */
} toml_error;

/* Broken-down date-time. Fields that the kind does not have are zero. */
typedef struct toml_datetime {
	int year, month, day;
	int hour, minute, second;
	int nanosecond;      /* fractional seconds, truncated to nanoseconds */
	int frac_digits;     /* digits of the fraction as written (max 9 kept), 0 if none */
	int offset_minutes;  /* TOML_DATETIME only: minutes east of UTC */
	bool offset_unknown; /* TOML_DATETIME only: written as -00:00 (RFC 3339 "unknown local offset") */
} toml_datetime;

/* ---- parsing ---------------------------------------------------------------------- */

/* Parses a whole TOML document. `filename` only labels positions (may be NULL).
 * Returns the root table, or NULL with *err filled. */
toml_value *toml_parse(const char *text, size_t len, const char *filename, toml_error *err);

/* Reads and parses a file. An unreadable file yields NULL and an error naming the file
 * and the reason (errno text) at line 0. */
toml_value *toml_parse_file(const char *path, toml_error *err);

/* Parses exactly one TOML value literal ("30", "true", "\"x\"", "[1,2]", "0.001",
 * "{ a = 1 }"), surrounded by optional spaces/tabs. Anything else is an error. */
toml_value *toml_parse_value_literal(const char *text, size_t len, const char *source, toml_error *err);

/* "file:line:col: message" (or "file: message" without a position) into buf. */
void toml_error_format(const toml_error *err, char *buf, size_t buflen);

void toml_free(toml_value *v);

/* ---- reading ---------------------------------------------------------------------- */

toml_type toml_type_of(const toml_value *v);
/* "string", "integer", "float", "bool", "datetime", "datetime-local", "date-local",
 * "time-local", "array", "table" (the toml-test names). */
const char *toml_type_name(toml_type t);

/* Tables: keys may contain NUL (quoted keys with \u0000), hence the length variants. */
const toml_value *toml_table_get(const toml_value *table, const char *key);
const toml_value *toml_table_getn(const toml_value *table, const char *key, size_t keylen);
size_t toml_table_size(const toml_value *table);
/* Entries in insertion order; NULL when out of range. */
const char *toml_table_key_at(const toml_value *table, size_t index, size_t *keylen);
const toml_value *toml_table_value_at(const toml_value *table, size_t index);

size_t toml_array_len(const toml_value *array);
const toml_value *toml_array_at(const toml_value *array, size_t index);

/* Scalars: return false (and leave *out alone) when the type does not match. */
bool toml_as_string(const toml_value *v, const char **out, size_t *len);
bool toml_as_int(const toml_value *v, int64_t *out);
bool toml_as_double(const toml_value *v, double *out); /* TOML_FLOAT only */
bool toml_as_bool(const toml_value *v, bool *out);
/* Any of the four date-time kinds. */
bool toml_as_datetime(const toml_value *v, toml_datetime *out);
/* Normalised RFC 3339 text of a date-time value ("1979-05-27T07:32:00.5-07:00",
 * "07:32:00", "1979-05-27"); NULL for other types. */
const char *toml_datetime_text(const toml_value *v);
/* Literal text exactly as written in the source ("1_000", "0x1F", "-0.001e3"), for
 * TOML_INTEGER and TOML_FLOAT; NULL for other types and for built values. */
const char *toml_raw_literal(const toml_value *v);

/* Where the value was written: source name (file path, "environment X", ...), 1-based
 * line and column. Line 0 means "no position" (values built in code). */
const char *toml_source_name(const toml_value *v);
int toml_line(const toml_value *v);
int toml_column(const toml_value *v);

/* ---- building and mutation (used by configuration layering) ------------------------ */

toml_value *toml_new_table(void);
toml_value *toml_new_array(void);
toml_value *toml_new_string(const char *s, size_t len);
toml_value *toml_new_int(int64_t i);
toml_value *toml_new_float(double d);
toml_value *toml_new_bool(bool b);
/* Deep copy, positions and literal text included. */
toml_value *toml_clone(const toml_value *v);
/* Relabels v and everything under it as coming from `source` at `line` (0: no position). */
void toml_set_origin(toml_value *v, const char *source, int line, int column);

/* Inserts or replaces key in table; takes ownership of value (freed on failure).
 * Returns false only when out of memory or table is not a table. */
bool toml_table_set(toml_value *table, const char *key, size_t keylen, toml_value *value);
/* Removes key; returns whether it existed. */
bool toml_table_remove(toml_value *table, const char *key, size_t keylen);
/* Appends to an array; takes ownership of value. */
bool toml_array_append(toml_value *array, toml_value *value);

/* A dotted key such as  host.mode  or  plugins."sim.venue".fee  split into parts. */
typedef struct toml_key_path {
	size_t count;
	char **parts;
	size_t *lens;
} toml_key_path;

/* Parses a TOML key (bare, quoted, dotted) at the start of text; *consumed receives the
 * number of bytes used, trailing spaces/tabs included. */
bool toml_parse_key_path(const char *text, size_t len, size_t *consumed, toml_key_path *out,
                         toml_error *err);
void toml_key_path_free(toml_key_path *path);
/* "a.b.\"c d\"": the path written back as TOML key text (quoting parts that need it). */
void toml_key_path_format(const toml_key_path *path, size_t count, char *buf, size_t buflen);

/* Sets root.path = value, creating missing intermediate tables. A numeric part indexes
 * into an array (e.g. strategies.0.fast). Takes ownership of value (freed on failure).
 * Fails when an intermediate part is a non-table value, or when a table would be replaced
 * by a non-table (or the reverse); err->message explains which part. */
bool toml_set_path(toml_value *root, const toml_key_path *path, toml_value *value, toml_error *err);
/* Same with the path given as TOML key text ("risk.limits.max_orders"). */
bool toml_set(toml_value *root, const char *dotted_key, toml_value *value, toml_error *err);

#endif
