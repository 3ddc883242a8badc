/*
 * Private to the TOML parser: the value node layout and helpers shared by the parser's
 * files. Nothing outside host/config/toml*.c includes this.
 */
#ifndef TRADEHOST_CONFIG_TOML_INTERNAL_H
#define TRADEHOST_CONFIG_TOML_INTERNAL_H

#include "config/toml.h"

/* How a table came to exist; drives TOML's redefinition rules (spec "Table" section). */
enum {
	TOML_TF_IMPLICIT = 1u << 0, /* created as a parent by a [a.b.c] header; may be defined later */
	TOML_TF_EXPLICIT = 1u << 1, /* defined by its own [header] or [[header]] element */
	TOML_TF_DOTTED = 1u << 2,   /* defined by dotted keys; only the same section may extend it */
	TOML_TF_INLINE = 1u << 3,   /* inline table (or inside one): frozen once closed */
	TOML_AF_TABLES = 1u << 4    /* array created by [[header]]: more elements may be appended */
};

/* Source names are shared by every node of one parse; reference counted so clones and
 * partial frees stay cheap. */
typedef struct toml_source {
	unsigned refs;
	char name[];
} toml_source;

typedef struct toml_entry {
	char *key;
	size_t keylen;
	toml_value *value;
} toml_entry;

struct toml_value {
	toml_type type;
	unsigned flags;
	unsigned section;    /* for TOML_TF_DOTTED: id of the section whose keys created it */
	int line, column;
	toml_source *source;
	char *raw;           /* integer/float literal text; NULL otherwise */
	union {
		struct {
			char *ptr; /* NUL-terminated as a convenience; may contain NUL */
			size_t len;
		} str;
		int64_t i;
		double d;
		bool b;
		struct {
			toml_datetime parts;
			char text[48];
		} dt;
		struct {
			toml_value **items;
			size_t len, cap;
		} arr;
		struct {
			toml_entry *entries;
			size_t len, cap;
			uint32_t *index; /* open addressing: entry position + 1, 0 empty; NULL while small */
			size_t index_cap;
		} tab;
	} u;
};

toml_value *toml_value_new(toml_type type);
toml_source *toml_source_new(const char *name);
void toml_source_ref(toml_source *s);
void toml_source_unref(toml_source *s);

/* Table entry lookup that returns a mutable pointer (the public one is const). */
toml_value *toml_table_find(toml_value *table, const char *key, size_t keylen);
/* Appends without checking for duplicates (caller did); takes ownership of key copy. */
bool toml_table_add(toml_value *table, const char *key, size_t keylen, toml_value *value);

/* UTF-8: encodes cp into out (>= 4 bytes), returns byte count. */
size_t toml_utf8_encode(uint32_t cp, char *out);
/* Decodes one scalar value at s (n bytes available); returns its length, 0 if invalid
 * (overlong, surrogate, > U+10FFFF, truncated). */
size_t toml_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/* Range-checks the fields a date-time of this kind has (month 1-12, day within the month,
 * leap years, hour/minute/second). Returns NULL when valid, else a static message. */
const char *toml_datetime_validate(toml_type kind, const toml_datetime *dt);
void toml_datetime_format(toml_type kind, const toml_datetime *dt, char *out, size_t outlen);

/* Whether a key can be written bare ([A-Za-z0-9_-]+). */
bool toml_is_bare_key(const char *key, size_t len);

#endif
