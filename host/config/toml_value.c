/*
 * TOML value nodes: creation, destruction, deep copy and the read accessors.
 * Table storage (ordered entries + hash index) lives in toml_table.c.
 */
#include "config/toml_internal.h"

#include <stdlib.h>
#include <string.h>

toml_source *toml_source_new(const char *name)
{
	if (!name)
		name = "<input>";
	size_t n = strlen(name);
	toml_source *s = malloc(sizeof(*s) + n + 1);
	if (!s)
		return NULL;
	s->refs = 1;
	memcpy(s->name, name, n + 1);
	return s;
}

void toml_source_ref(toml_source *s)
{
	if (s)
		s->refs++;
}

void toml_source_unref(toml_source *s)
{
	if (s && --s->refs == 0)
		free(s);
}

toml_value *toml_value_new(toml_type type)
{
	toml_value *v = calloc(1, sizeof(*v));
	if (v)
		v->type = type;
	return v;
}

void toml_free(toml_value *v)
{
	if (!v)
		return;
	switch (v->type) {
	case TOML_STRING:
		free(v->u.str.ptr);
		break;
	case TOML_ARRAY:
		for (size_t i = 0; i < v->u.arr.len; i++)
			toml_free(v->u.arr.items[i]);
		free(v->u.arr.items);
		break;
	case TOML_TABLE:
		for (size_t i = 0; i < v->u.tab.len; i++) {
			free(v->u.tab.entries[i].key);
			toml_free(v->u.tab.entries[i].value);
		}
		free(v->u.tab.entries);
		free(v->u.tab.index);
		break;
	default:
		break;
	}
	free(v->raw);
	toml_source_unref(v->source);
	free(v);
}

toml_type toml_type_of(const toml_value *v)
{
	return v ? v->type : (toml_type)0;
}

const char *toml_type_name(toml_type t)
{
	switch (t) {
	case TOML_STRING: return "string";
	case TOML_INTEGER: return "integer";
	case TOML_FLOAT: return "float";
	case TOML_BOOL: return "bool";
	case TOML_DATETIME: return "datetime";
	case TOML_DATETIME_LOCAL: return "datetime-local";
	case TOML_DATE_LOCAL: return "date-local";
	case TOML_TIME_LOCAL: return "time-local";
	case TOML_ARRAY: return "array";
	case TOML_TABLE: return "table";
	}
	return "nothing";
}

size_t toml_array_len(const toml_value *a)
{
	return a && a->type == TOML_ARRAY ? a->u.arr.len : 0;
}

const toml_value *toml_array_at(const toml_value *a, size_t i)
{
	if (!a || a->type != TOML_ARRAY || i >= a->u.arr.len)
		return NULL;
	return a->u.arr.items[i];
}

bool toml_as_string(const toml_value *v, const char **out, size_t *len)
{
	if (!v || v->type != TOML_STRING)
		return false;
	if (out)
		*out = v->u.str.ptr;
	if (len)
		*len = v->u.str.len;
	return true;
}

bool toml_as_int(const toml_value *v, int64_t *out)
{
	if (!v || v->type != TOML_INTEGER)
		return false;
	*out = v->u.i;
	return true;
}

bool toml_as_double(const toml_value *v, double *out)
{
	if (!v || v->type != TOML_FLOAT)
		return false;
	*out = v->u.d;
	return true;
}

bool toml_as_bool(const toml_value *v, bool *out)
{
	if (!v || v->type != TOML_BOOL)
		return false;
	*out = v->u.b;
	return true;
}

static bool is_datetime_type(toml_type t)
{
	return t == TOML_DATETIME || t == TOML_DATETIME_LOCAL || t == TOML_DATE_LOCAL ||
	       t == TOML_TIME_LOCAL;
}

bool toml_as_datetime(const toml_value *v, toml_datetime *out)
{
	if (!v || !is_datetime_type(v->type))
		return false;
	*out = v->u.dt.parts;
	return true;
}

const char *toml_datetime_text(const toml_value *v)
{
	if (!v || !is_datetime_type(v->type))
		return NULL;
	return v->u.dt.text;
}

const char *toml_raw_literal(const toml_value *v)
{
	if (!v || (v->type != TOML_INTEGER && v->type != TOML_FLOAT))
		return NULL;
	return v->raw;
}

const char *toml_source_name(const toml_value *v)
{
	return v && v->source ? v->source->name : NULL;
}

int toml_line(const toml_value *v)
{
	return v ? v->line : 0;
}

int toml_column(const toml_value *v)
{
	return v ? v->column : 0;
}

toml_value *toml_new_table(void)
{
	return toml_value_new(TOML_TABLE);
}

toml_value *toml_new_array(void)
{
	return toml_value_new(TOML_ARRAY);
}

toml_value *toml_new_string(const char *s, size_t len)
{
	toml_value *v = toml_value_new(TOML_STRING);
	if (!v)
		return NULL;
	v->u.str.ptr = malloc(len + 1);
	if (!v->u.str.ptr) {
		free(v);
		return NULL;
	}
	if (len)
		memcpy(v->u.str.ptr, s, len);
	v->u.str.ptr[len] = '\0';
	v->u.str.len = len;
	return v;
}

toml_value *toml_new_int(int64_t i)
{
	toml_value *v = toml_value_new(TOML_INTEGER);
	if (v)
		v->u.i = i;
	return v;
}

toml_value *toml_new_float(double d)
{
	toml_value *v = toml_value_new(TOML_FLOAT);
	if (v)
		v->u.d = d;
	return v;
}

toml_value *toml_new_bool(bool b)
{
	toml_value *v = toml_value_new(TOML_BOOL);
	if (v)
		v->u.b = b;
	return v;
}

bool toml_array_append(toml_value *a, toml_value *value)
{
	if (!a || a->type != TOML_ARRAY || !value) {
		toml_free(value);
		return false;
	}
	if (a->u.arr.len == a->u.arr.cap) {
		size_t ncap = a->u.arr.cap ? a->u.arr.cap * 2 : 4;
		toml_value **n = realloc(a->u.arr.items, ncap * sizeof(*n));
		if (!n) {
			toml_free(value);
			return false;
		}
		a->u.arr.items = n;
		a->u.arr.cap = ncap;
	}
	a->u.arr.items[a->u.arr.len++] = value;
	return true;
}

toml_value *toml_clone(const toml_value *v)
{
	if (!v)
		return NULL;
	toml_value *c = toml_value_new(v->type);
	if (!c)
		return NULL;
	c->flags = v->flags;
	c->section = v->section;
	c->line = v->line;
	c->column = v->column;
	c->source = v->source;
	toml_source_ref(c->source);
	if (v->raw && !(c->raw = strdup(v->raw)))
		goto fail;
	switch (v->type) {
	case TOML_STRING:
		c->u.str.ptr = malloc(v->u.str.len + 1);
		if (!c->u.str.ptr)
			goto fail;
		memcpy(c->u.str.ptr, v->u.str.ptr, v->u.str.len + 1);
		c->u.str.len = v->u.str.len;
		break;
	case TOML_ARRAY:
		for (size_t i = 0; i < v->u.arr.len; i++)
			if (!toml_array_append(c, toml_clone(v->u.arr.items[i])))
				goto fail;
		break;
	case TOML_TABLE:
		for (size_t i = 0; i < v->u.tab.len; i++) {
			const toml_entry *e = &v->u.tab.entries[i];
			toml_value *cv = toml_clone(e->value);
			if (!cv || !toml_table_add(c, e->key, e->keylen, cv)) {
				toml_free(cv);
				goto fail;
			}
		}
		break;
	default:
		c->u = v->u;
		break;
	}
	return c;
fail:
	toml_free(c);
	return NULL;
}

static void set_origin(toml_value *v, toml_source *src, int line, int column)
{
	toml_source_ref(src);
	toml_source_unref(v->source);
	v->source = src;
	v->line = line;
	v->column = column;
	if (v->type == TOML_ARRAY) {
		for (size_t i = 0; i < v->u.arr.len; i++)
			set_origin(v->u.arr.items[i], src, line, column);
	} else if (v->type == TOML_TABLE) {
		for (size_t i = 0; i < v->u.tab.len; i++)
			set_origin(v->u.tab.entries[i].value, src, line, column);
	}
}

void toml_set_origin(toml_value *v, const char *source, int line, int column)
{
	if (!v)
		return;
	toml_source *src = source ? toml_source_new(source) : NULL;
	if (source && !src)
		return; /* out of memory: keeping the old label is harmless */
	set_origin(v, src, line, column);
	toml_source_unref(src);
}
