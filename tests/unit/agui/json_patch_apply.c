/* Strict RFC 6902 applier for the tests (see json_patch_apply.h). */
#include "json_patch_apply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Decodes one RFC 6901 reference token [s, s+n) into out; -1 on a bad escape. */
static int unescape(const char *s, size_t n, char *out, size_t cap)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '~') {
			if (i + 1 >= n || (s[i + 1] != '0' && s[i + 1] != '1'))
				return -1;
			c = s[++i] == '0' ? '~' : '/';
		}
		if (k + 1 >= cap)
			return -1;
		out[k++] = c;
	}
	out[k] = '\0';
	return 0;
}

/* An array index per RFC 6901: "0" or digits without a leading zero. */
static int parse_index(const char *tok, size_t *out)
{
	size_t n = strlen(tok), v = 0;
	if (n == 0 || (n > 1 && tok[0] == '0'))
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (tok[i] < '0' || tok[i] > '9' || v > 100000000)
			return -1;
		v = v * 10 + (size_t)(tok[i] - '0');
	}
	*out = v;
	return 0;
}

/* Resolves every token of `path` but the last; the last is decoded into
 * `last`. Returns the container, or NULL. */
static json_t *resolve_parent(json_t *root, const char *path, char *last, size_t cap)
{
	json_t *cur = root;
	const char *p = path;
	if (*p != '/')
		return NULL;
	for (;;) {
		p++; /* past '/' */
		const char *end = strchr(p, '/');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (unescape(p, n, last, cap) != 0)
			return NULL;
		if (!end)
			return cur;
		if (json_is_object(cur)) {
			cur = json_object_get(cur, last);
		} else if (json_is_array(cur)) {
			size_t i;
			if (parse_index(last, &i) != 0)
				return NULL;
			cur = json_array_get(cur, i);
		} else {
			return NULL;
		}
		if (!cur)
			return NULL;
		p = end;
	}
}

static int apply_one(json_t **doc, const json_t *op, char *why, size_t cap)
{
	const char *name = json_string_value(json_object_get(op, "op"));
	const char *path = json_string_value(json_object_get(op, "path"));
	json_t *value = json_object_get(op, "value");
	if (!name || !path)
		return snprintf(why, cap, "op or path missing"), -1;
	int is_add = strcmp(name, "add") == 0, is_remove = strcmp(name, "remove") == 0,
	    is_replace = strcmp(name, "replace") == 0;
	if (!is_add && !is_remove && !is_replace)
		return snprintf(why, cap, "unsupported op %s", name), -1;
	if ((is_add || is_replace) && !value)
		return snprintf(why, cap, "%s without value", name), -1;
	if (is_remove && value)
		return snprintf(why, cap, "remove with a value"), -1;
	if (path[0] == '\0') { /* the whole document */
		if (is_remove)
			return snprintf(why, cap, "remove of the root"), -1;
		json_decref(*doc);
		*doc = json_deep_copy(value);
		return *doc ? 0 : -1;
	}
	char *last = malloc(strlen(path) + 1);
	if (!last)
		return -1;
	json_t *parent = resolve_parent(*doc, path, last, strlen(path) + 1);
	int rc = -1;
	if (!parent) {
		snprintf(why, cap, "parent of %s does not resolve", path);
	} else if (json_is_object(parent)) {
		int exists = json_object_get(parent, last) != NULL;
		if (!is_add && !exists)
			snprintf(why, cap, "%s: no member", path);
		else if (is_remove)
			rc = json_object_del(parent, last);
		else
			rc = json_object_set_new(parent, last, json_deep_copy(value));
	} else if (json_is_array(parent)) {
		size_t i, n = json_array_size(parent);
		if (is_add && strcmp(last, "-") == 0)
			rc = json_array_append_new(parent, json_deep_copy(value));
		else if (parse_index(last, &i) != 0)
			snprintf(why, cap, "%s: bad array index", path);
		else if (is_add ? i > n : i >= n)
			snprintf(why, cap, "%s: index out of range (size %zu)", path, n);
		else if (is_add)
			rc = json_array_insert_new(parent, i, json_deep_copy(value));
		else if (is_remove)
			rc = json_array_remove(parent, i);
		else
			rc = json_array_set_new(parent, i, json_deep_copy(value));
	} else {
		snprintf(why, cap, "%s: parent is a scalar", path);
	}
	free(last);
	return rc;
}

int jp_apply(json_t **doc, const json_t *ops, char *err, size_t errlen)
{
	if (!json_is_array(ops))
		return snprintf(err, errlen, "patch is not an array"), -1;
	for (size_t i = 0; i < json_array_size(ops); i++) {
		char why[256] = "out of memory";
		const json_t *op = json_array_get(ops, i);
		if (apply_one(doc, op, why, sizeof why) != 0) {
			snprintf(err, errlen, "op %zu: %s", i, why);
			return -1;
		}
	}
	return 0;
}
