/*
 * Shared helpers for the configuration unit tests (cmocka).
 */
#ifndef TRADEHOST_TESTS_CONFIG_TEST_UTIL_H
#define TRADEHOST_TESTS_CONFIG_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "config/toml.h"

/* Parses a document that must be valid; fails the test with the parser's message if not. */
static inline toml_value *parse_ok(const char *text)
{
	toml_error err;
	toml_value *v = toml_parse(text, strlen(text), "test.toml", &err);
	if (!v) {
		char msg[1024];
		toml_error_format(&err, msg, sizeof(msg));
		print_error("unexpected parse error: %s\n--- input ---\n%s\n", msg, text);
		fail();
	}
	return v;
}

/* Parses a document that must be invalid; returns the formatted "file:line:col: msg". */
static inline void parse_fail(const char *text, char *msg, size_t msglen)
{
	toml_error err;
	toml_value *v = toml_parse(text, strlen(text), "test.toml", &err);
	if (v) {
		toml_free(v);
		print_error("expected a parse error for:\n%s\n", text);
		fail();
	}
	toml_error_format(&err, msg, msglen);
}

/* Asserts that `text` is rejected and the message contains `needle`. */
#define assert_parse_error(text, needle)                                               \
	do {                                                                               \
		char msg_[1024];                                                               \
		parse_fail((text), msg_, sizeof(msg_));                                        \
		if (!strstr(msg_, (needle))) {                                                 \
			print_error("error message \"%s\" lacks \"%s\"\n", msg_, (needle));       \
			fail();                                                                    \
		}                                                                              \
	} while (0)

/* Follows a dotted path of plain keys ("a.b.c") for assertions. */
static inline const toml_value *at_path(const toml_value *root, const char *path)
{
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", path);
	const toml_value *v = root;
	for (char *save = NULL, *part = strtok_r(buf, ".", &save); part && v; part = strtok_r(NULL, ".", &save))
		v = toml_table_get(v, part);
	return v;
}

static inline int64_t int_at(const toml_value *root, const char *path)
{
	int64_t i = -424242;
	assert_true(toml_as_int(at_path(root, path), &i));
	return i;
}

static inline const char *str_at(const toml_value *root, const char *path)
{
	const char *s = NULL;
	assert_true(toml_as_string(at_path(root, path), &s, NULL));
	return s;
}

#endif
