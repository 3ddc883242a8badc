/* JSON Patch (RFC 6902) writer: see agui_patch.h for what it emits. */
#include "agui/agui_patch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The pointer of the value being diffed, grown as the walk goes deeper and
 * cut back when it returns. */
typedef struct path_buf {
	char *s;
	size_t len, cap;
} path_buf;

static int path_reserve(path_buf *p, size_t more)
{
	if (p->len + more + 1 <= p->cap)
		return 0;
	size_t cap = p->cap ? p->cap : 128;
	while (cap < p->len + more + 1)
		cap *= 2;
	char *s = realloc(p->s, cap);
	if (!s)
		return -1;
	p->s = s;
	p->cap = cap;
	return 0;
}

/* Appends "/<escaped key>". */
static int path_push_key(path_buf *p, const char *key)
{
	size_t extra = 1;
	for (const char *c = key; *c; c++)
		extra += (*c == '~' || *c == '/') ? 2 : 1;
	if (path_reserve(p, extra) != 0)
		return -1;
	p->s[p->len++] = '/';
	for (const char *c = key; *c; c++) {
		if (*c == '~') {
			p->s[p->len++] = '~';
			p->s[p->len++] = '0';
		} else if (*c == '/') {
			p->s[p->len++] = '~';
			p->s[p->len++] = '1';
		} else {
			p->s[p->len++] = *c;
		}
	}
	p->s[p->len] = '\0';
	return 0;
}

static int path_push_index(path_buf *p, size_t i)
{
	char tok[32];
	int n = snprintf(tok, sizeof tok, "/%zu", i);
	if (path_reserve(p, (size_t)n) != 0)
		return -1;
	memcpy(p->s + p->len, tok, (size_t)n + 1);
	p->len += (size_t)n;
	return 0;
}

static void path_pop(path_buf *p, size_t len)
{
	p->len = len;
	if (p->s)
		p->s[len] = '\0';
}

/* {"op":op,"path":path[,"value":deep copy of value]} appended to ops. */
static int emit(json_t *ops, const char *op, const path_buf *p, const json_t *value)
{
	json_t *o = json_object();
	if (!o)
		return -1;
	int bad = json_object_set_new(o, "op", json_string(op)) != 0;
	bad |= json_object_set_new(o, "path", json_string(p->s ? p->s : "")) != 0;
	if (value) {
		/* json_deep_copy takes a non-const pointer in jansson 2.14 but
		 * does not modify its argument. */
		json_t *copy = json_deep_copy((json_t *)value);
		bad |= json_object_set_new(o, "value", copy) != 0;
	}
	if (bad) {
		json_decref(o);
		return -1;
	}
	/* append_new releases o itself when it fails */
	return json_array_append_new(ops, o) == 0 ? 0 : -1;
}

static int diff(const json_t *a, const json_t *b, path_buf *p, json_t *ops);

static int diff_objects(const json_t *a, const json_t *b, path_buf *p, json_t *ops)
{
	size_t base = p->len;
	const char *key;
	json_t *va;
	/* The const casts: jansson's iteration macros take json_t *, they do not
	 * modify the object. */
	json_object_foreach((json_t *)a, key, va) {
		if (json_object_get(b, key))
			continue;
		if (path_push_key(p, key) != 0 || emit(ops, "remove", p, NULL) != 0)
			return -1;
		path_pop(p, base);
	}
	json_t *vb;
	json_object_foreach((json_t *)b, key, vb) {
		if (path_push_key(p, key) != 0)
			return -1;
		const json_t *old = json_object_get(a, key);
		int rc = old ? diff(old, vb, p, ops) : emit(ops, "add", p, vb);
		if (rc != 0)
			return -1;
		path_pop(p, base);
	}
	return 0;
}

static int diff_arrays(const json_t *a, const json_t *b, path_buf *p, json_t *ops)
{
	size_t base = p->len, na = json_array_size(a), nb = json_array_size(b);
	size_t common = na < nb ? na : nb;
	for (size_t i = 0; i < common; i++) {
		if (path_push_index(p, i) != 0 || diff(json_array_get(a, i), json_array_get(b, i), p, ops) != 0)
			return -1;
		path_pop(p, base);
	}
	for (size_t i = common; i < nb; i++) {
		if (path_push_index(p, i) != 0 || emit(ops, "add", p, json_array_get(b, i)) != 0)
			return -1;
		path_pop(p, base);
	}
	/* From the end, so each index is still in range when it is removed. */
	for (size_t i = na; i > common; i--) {
		if (path_push_index(p, i - 1) != 0 || emit(ops, "remove", p, NULL) != 0)
			return -1;
		path_pop(p, base);
	}
	return 0;
}

static int diff(const json_t *a, const json_t *b, path_buf *p, json_t *ops)
{
	if (json_typeof(a) == JSON_OBJECT && json_typeof(b) == JSON_OBJECT)
		return diff_objects(a, b, p, ops);
	if (json_typeof(a) == JSON_ARRAY && json_typeof(b) == JSON_ARRAY)
		return diff_arrays(a, b, p, ops);
	if (json_equal((json_t *)a, (json_t *)b))
		return 0;
	return emit(ops, "replace", p, b);
}

int agui_patch_diff(const json_t *from, const json_t *to, json_t *ops)
{
	if (!from || !to || !json_is_array(ops))
		return -1;
	path_buf p = { 0 };
	if (path_reserve(&p, 0) != 0)
		return -1;
	p.s[0] = '\0';
	int rc = diff(from, to, &p, ops);
	free(p.s);
	return rc;
}

int agui_pointer_escape(const char *key, char *out, size_t cap)
{
	size_t n = 0;
	for (const char *c = key; *c; c++) {
		const char *rep = *c == '~' ? "~0" : *c == '/' ? "~1" : NULL;
		size_t k = rep ? 2 : 1;
		if (n + k + 1 > cap)
			return -1;
		if (rep) {
			out[n++] = rep[0];
			out[n++] = rep[1];
		} else {
			out[n++] = *c;
		}
	}
	if (n + 1 > cap)
		return -1;
	out[n] = '\0';
	return (int)n;
}
