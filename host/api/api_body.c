/* The validating body decoder (see api_body.h). */
#include "api/api_body.h"

#include <stdio.h>
#include <string.h>

#include <tradehost/th_fixed.h>

#define API_STRING_MAX_DEFAULT 255

/* Plain decimal text: [-]digits[.digits], no exponent, no '+', no spaces,
 * at most `scale` fractional digits and at most 18 significant digits (so
 * it fits an int64 at any scale the instrument may use). The value is not
 * converted here: the scale that matters (the instrument's) is known later. */
int api_decimal_check(const char *s, int scale, unsigned flags)
{
	if (!s || !*s || scale < 0 || scale > TH_SCALE_MAX || (flags && s[0] == '-'))
		return -1;
	size_t i = s[0] == '-' ? 1 : 0, n = strlen(s);
	size_t int_digits = 0, frac_digits = 0, significant = 0;
	int dot = 0, nonzero = 0;
	for (; i < n; i++) {
		if (s[i] == '.' && !dot) {
			dot = 1;
			continue;
		}
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (s[i] != '0')
			nonzero = 1;
		if (nonzero)
			significant++;
		if (dot)
			frac_digits++;
		else
			int_digits++;
	}
	if (int_digits == 0 || (dot && frac_digits == 0))
		return -1; /* ".5", "5." and "-" are not accepted: people write 0.5 */
	if (frac_digits > (size_t)scale || significant > 18)
		return -1;
	if ((flags & API_DEC_POSITIVE) && !nonzero)
		return -1;
	return 0;
}

int api_decimal_parse(const char *s, int scale, int64_t *out)
{
	if (!s || !*s || s[0] == '+')
		return -1;
	return th_fixed_parse(s, strlen(s), scale, out);
}

static const char *json_kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	default: return "null";
	}
}

static const api_field *find_field(const api_body_spec *spec, const char *name)
{
	for (size_t i = 0; i < spec->nfields; i++)
		if (strcmp(spec->fields[i].name, name) == 0)
			return &spec->fields[i];
	return NULL;
}

static int fail(api_body_error *e, const char *code, const char *fmt, const char *a, const char *b)
{
	e->code = code;
	/* fmt is one of the literals below; names come from the spec or the
	 * client (cut to fit, never interpreted) */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	snprintf(e->message, sizeof e->message, fmt, a, b ? b : "");
#pragma GCC diagnostic pop
	return -1;
}

static void enum_list(const api_field *f, char *buf, size_t cap)
{
	size_t pos = 0;
	buf[0] = '\0';
	for (size_t i = 0; f->values && f->values[i] && pos < cap; i++)
		pos += (size_t)snprintf(buf + pos, cap - pos, "%s%s", i ? ", " : "", f->values[i]);
}

static int check_value(const api_field *f, const json_t *v, api_body_error *e)
{
	char detail[160];
	switch (f->type) {
	case API_F_STRING: {
		size_t max = f->max > 0 ? (size_t)f->max : API_STRING_MAX_DEFAULT;
		if (!json_is_string(v))
			return fail(e, "bad_field", "field \"%s\" must be a string, got %s", f->name, json_kind(v));
		size_t len = json_string_length(v);
		if (len == 0 || len > max || strlen(json_string_value(v)) != len) {
			snprintf(detail, sizeof detail, "1..%zu characters without NUL", max);
			return fail(e, "bad_field", "field \"%s\" must be %s", f->name, detail);
		}
		return 0;
	}
	case API_F_DECIMAL:
		if (!json_is_string(v))
			return fail(e, "bad_field", "field \"%s\" must be a decimal string such as \"12.5\", got %s", f->name,
				json_kind(v));
		if (api_decimal_check(json_string_value(v), f->scale, f->flags) != 0) {
			snprintf(detail, sizeof detail, "%s decimal string with at most %d fractional digits",
				f->flags & API_DEC_POSITIVE ? "a positive" : f->flags & API_DEC_NONNEG ? "a non-negative" : "a",
				f->scale);
			return fail(e, "bad_field", "field \"%s\" must be %s", f->name, detail);
		}
		return 0;
	case API_F_INT:
		if (!json_is_integer(v))
			return fail(e, "bad_field", "field \"%s\" must be an integer, got %s", f->name, json_kind(v));
		if (json_integer_value(v) < f->min || json_integer_value(v) > f->max) {
			snprintf(detail, sizeof detail, "%lld..%lld", (long long)f->min, (long long)f->max);
			return fail(e, "bad_field", "field \"%s\" must be in %s", f->name, detail);
		}
		return 0;
	case API_F_BOOL:
		if (!json_is_boolean(v))
			return fail(e, "bad_field", "field \"%s\" must be true or false, got %s", f->name, json_kind(v));
		return 0;
	case API_F_ENUM:
		if (json_is_string(v))
			for (size_t i = 0; f->values && f->values[i]; i++)
				if (strcmp(f->values[i], json_string_value(v)) == 0)
					return 0;
		enum_list(f, detail, sizeof detail);
		return fail(e, "bad_field", "field \"%s\" must be one of: %s", f->name, detail);
	}
	return fail(e, "bad_field", "field \"%s\" has an unknown kind%s", f->name, NULL);
}

json_t *api_body_decode(const api_body_spec *spec, const char *data, size_t len, api_body_error *e)
{
	json_error_t jerr;
	json_t *root;
	e->code = NULL;
	e->message[0] = '\0';
	size_t i = 0;
	while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
		i++;
	/* no body at all is an empty object: fine when no field is required */
	root = i == len ? json_object() : json_loadb(data, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
	if (!root) {
		char pos[64];
		snprintf(pos, sizeof pos, "line %d column %d", jerr.line, jerr.column);
		fail(e, "bad_json", "request body is not valid JSON (%s): %s", pos, jerr.text);
		return NULL;
	}
	if (!json_is_object(root)) {
		fail(e, "bad_json", "request body must be a JSON object, got %s%s", json_kind(root), NULL);
		json_decref(root);
		return NULL;
	}
	const char *key;
	json_t *v;
	json_object_foreach(root, key, v) {
		const api_field *f = find_field(spec, key);
		if (!f) {
			char accepted[200];
			size_t pos = 0;
			accepted[0] = '\0';
			for (size_t k = 0; k < spec->nfields && pos < sizeof accepted; k++)
				pos += (size_t)snprintf(accepted + pos, sizeof accepted - pos, "%s%s", k ? ", " : "",
					spec->fields[k].name);
			fail(e, "unknown_field", "unknown field \"%s\" (accepted: %s)", key, spec->nfields ? accepted : "none");
			json_decref(root);
			return NULL;
		}
		if (check_value(f, v, e) != 0) {
			json_decref(root);
			return NULL;
		}
	}
	for (size_t k = 0; k < spec->nfields; k++) {
		if (spec->fields[k].required && !json_object_get(root, spec->fields[k].name)) {
			fail(e, "missing_field", "missing required field \"%s\"%s", spec->fields[k].name, NULL);
			json_decref(root);
			return NULL;
		}
	}
	return root;
}

const char *api_body_str(const json_t *body, const char *name)
{
	const json_t *v = json_object_get(body, name);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

int64_t api_body_int(const json_t *body, const char *name, int64_t dflt)
{
	const json_t *v = json_object_get(body, name);
	return json_is_integer(v) ? (int64_t)json_integer_value(v) : dflt;
}

int api_body_bool(const json_t *body, const char *name, int dflt)
{
	const json_t *v = json_object_get(body, name);
	return json_is_boolean(v) ? json_is_true(v) : dflt;
}

/* The field's JSON Schema, matching check_value(). */
static json_t *field_schema(const api_field *f)
{
	json_t *s = json_object();
	switch (f->type) {
	case API_F_STRING:
		json_object_set_new(s, "type", json_string("string"));
		json_object_set_new(s, "minLength", json_integer(1));
		json_object_set_new(s, "maxLength", json_integer(f->max > 0 ? f->max : API_STRING_MAX_DEFAULT));
		break;
	case API_F_DECIMAL: {
		char pattern[96];
		/* the sign is a plain '-' when negatives are allowed; the scale bounds the fraction */
		if (f->scale > 0)
			snprintf(pattern, sizeof pattern, "^%s[0-9]+(\\.[0-9]{1,%d})?$", f->flags ? "" : "-?", f->scale);
		else
			snprintf(pattern, sizeof pattern, "^%s[0-9]+$", f->flags ? "" : "-?");
		json_object_set_new(s, "type", json_string("string"));
		json_object_set_new(s, "pattern", json_string(pattern));
		break;
	}
	case API_F_INT:
		json_object_set_new(s, "type", json_string("integer"));
		json_object_set_new(s, "minimum", json_integer(f->min));
		json_object_set_new(s, "maximum", json_integer(f->max));
		break;
	case API_F_BOOL:
		json_object_set_new(s, "type", json_string("boolean"));
		break;
	case API_F_ENUM: {
		json_t *vals = json_array();
		for (size_t i = 0; f->values && f->values[i]; i++)
			json_array_append_new(vals, json_string(f->values[i]));
		json_object_set_new(s, "type", json_string("string"));
		json_object_set_new(s, "enum", vals);
		break;
	}
	}
	if (f->description)
		json_object_set_new(s, "description", json_string(f->description));
	return s;
}

json_t *api_body_schema(const api_body_spec *spec)
{
	json_t *s = json_object(), *props = json_object(), *req = json_array();
	json_object_set_new(s, "type", json_string("object"));
	for (size_t i = 0; i < spec->nfields; i++) {
		json_object_set_new(props, spec->fields[i].name, field_schema(&spec->fields[i]));
		if (spec->fields[i].required)
			json_array_append_new(req, json_string(spec->fields[i].name));
	}
	json_object_set_new(s, "properties", props);
	if (json_array_size(req))
		json_object_set_new(s, "required", req);
	else
		json_decref(req);
	json_object_set_new(s, "additionalProperties", json_false());
	return s;
}
