/*
 * Key paths outside of documents: writing a path back as TOML key text (for messages) and
 * setting a value at a path in an existing tree, which is how environment variables and
 * --set flags are layered over the configuration file.
 */
#include "config/toml_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void toml_key_path_free(toml_key_path *path)
{
	if (!path)
		return;
	for (size_t i = 0; i < path->count; i++)
		free(path->parts[i]);
	free(path->parts);
	free(path->lens);
	memset(path, 0, sizeof(*path));
}

/* Appends one key part, quoting it as a basic string when it is not a bare key. */
static void append_part(char *buf, size_t buflen, size_t *used, const char *part, size_t len)
{
#define PUT(...)                                                                         \
	do {                                                                                 \
		if (*used < buflen) {                                                            \
			int n_ = snprintf(buf + *used, buflen - *used, __VA_ARGS__);                 \
			if (n_ > 0)                                                                  \
				*used = *used + (size_t)n_ < buflen ? *used + (size_t)n_ : buflen - 1;   \
		}                                                                                \
	} while (0)
	if (toml_is_bare_key(part, len)) {
		PUT("%.*s", (int)len, part);
		return;
	}
	PUT("\"");
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)part[i];
		if (c == '"' || c == '\\')
			PUT("\\%c", c);
		else if (c < 0x20 || c == 0x7F)
			PUT("\\u%04X", (unsigned)c);
		else
			PUT("%c", c);
	}
	PUT("\"");
#undef PUT
}

void toml_key_path_format(const toml_key_path *path, size_t count, char *buf, size_t buflen)
{
	if (!buf || buflen == 0)
		return;
	buf[0] = '\0';
	size_t used = 0;
	if (!path)
		return;
	if (count > path->count)
		count = path->count;
	for (size_t i = 0; i < count; i++) {
		if (i > 0 && used + 1 < buflen) {
			buf[used++] = '.';
			buf[used] = '\0';
		}
		append_part(buf, buflen, &used, path->parts[i], path->lens[i]);
	}
}

/* Fills err with "'<path up to upto>' <detail>"; always returns false. */
static bool fail(toml_error *err, const toml_key_path *path, size_t upto, const char *detail)
{
	if (err) {
		char key[200];
		toml_key_path_format(path, upto, key, sizeof(key));
		memset(err, 0, sizeof(*err));
		snprintf(err->message, sizeof(err->message), "'%s' %s", key, detail);
	}
	return false;
}

/* An all-digit part used to index an array (strategies.0.fast). */
static bool part_index(const char *part, size_t len, size_t *out)
{
	if (len == 0 || len > 9)
		return false;
	size_t v = 0;
	for (size_t i = 0; i < len; i++) {
		if (part[i] < '0' || part[i] > '9')
			return false;
		v = v * 10 + (size_t)(part[i] - '0');
	}
	*out = v;
	return true;
}

bool toml_set_path(toml_value *root, const toml_key_path *path, toml_value *value, toml_error *err)
{
	if (!root || root->type != TOML_TABLE || !path || path->count == 0 || !value) {
		toml_free(value);
		if (err) {
			memset(err, 0, sizeof(*err));
			snprintf(err->message, sizeof(err->message), "empty key or no table to set it in");
		}
		return false;
	}
	toml_value *t = root;
	for (size_t i = 0; i + 1 < path->count; i++) {
		const char *part = path->parts[i];
		size_t len = path->lens[i];
		toml_value *child;
		if (t->type == TOML_ARRAY) {
			size_t idx;
			if (!part_index(part, len, &idx) || idx >= t->u.arr.len) {
				toml_free(value);
				char what[96];
				snprintf(what, sizeof(what), "is an array; the next key part must be an index below %zu",
				         t->u.arr.len);
				return fail(err, path, i, what);
			}
			child = t->u.arr.items[idx];
		} else {
			child = toml_table_find(t, part, len);
			if (!child) {
				child = toml_new_table();
				if (!child || !toml_table_add(t, part, len, child)) {
					toml_free(child);
					toml_free(value);
					return fail(err, path, i + 1, "could not be created: out of memory");
				}
			}
		}
		if (child->type != TOML_TABLE && child->type != TOML_ARRAY) {
			toml_free(value);
			char what[96];
			snprintf(what, sizeof(what), "is a %s, not a table, so keys cannot be set under it",
			         toml_type_name(child->type));
			return fail(err, path, i + 1, what);
		}
		t = child;
	}
	const char *last = path->parts[path->count - 1];
	size_t lastlen = path->lens[path->count - 1];
	if (t->type == TOML_ARRAY) {
		size_t idx;
		if (!part_index(last, lastlen, &idx) || idx >= t->u.arr.len) {
			toml_free(value);
			char what[96];
			snprintf(what, sizeof(what), "is an array; the last key part must be an index below %zu",
			         t->u.arr.len);
			return fail(err, path, path->count - 1, what);
		}
		if ((t->u.arr.items[idx]->type == TOML_TABLE) != (value->type == TOML_TABLE)) {
			char what[96];
			snprintf(what, sizeof(what), "is a %s and cannot be replaced by a value of another kind",
			         toml_type_name(t->u.arr.items[idx]->type));
			toml_free(value);
			return fail(err, path, path->count, what);
		}
		toml_free(t->u.arr.items[idx]);
		t->u.arr.items[idx] = value;
		return true;
	}
	const toml_value *existing = toml_table_find(t, last, lastlen);
	if (existing && (existing->type == TOML_TABLE) != (value->type == TOML_TABLE)) {
		char what[96];
		if (existing->type == TOML_TABLE)
			snprintf(what, sizeof(what), "is a table; set one of its keys instead of replacing it");
		else
			snprintf(what, sizeof(what), "is a %s and cannot be replaced by a table",
			         toml_type_name(existing->type));
		toml_free(value);
		return fail(err, path, path->count, what);
	}
	if (!toml_table_set(t, last, lastlen, value))
		return fail(err, path, path->count, "could not be set: out of memory");
	return true;
}

bool toml_set(toml_value *root, const char *dotted_key, toml_value *value, toml_error *err)
{
	toml_key_path path;
	size_t used = 0;
	size_t len = dotted_key ? strlen(dotted_key) : 0;
	if (!dotted_key || !toml_parse_key_path(dotted_key, len, &used, &path, err)) {
		toml_free(value);
		return false;
	}
	if (used != len) {
		toml_key_path_free(&path);
		toml_free(value);
		if (err) {
			memset(err, 0, sizeof(*err));
			snprintf(err->message, sizeof(err->message), "unexpected text after the key in '%s'", dotted_key);
		}
		return false;
	}
	bool ok = toml_set_path(root, &path, value, err);
	toml_key_path_free(&path);
	return ok;
}
