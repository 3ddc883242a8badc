/*
 * Fuzz target for the REST body decoder: every input goes through every
 * route's body spec (api_body_specs). A decode must either succeed with an
 * object whose every field is declared and well-typed, or fail with one of
 * the four documented error codes and a message; never crash, leak or read
 * out of bounds. Accepted decimal fields must also convert at their scale.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_body.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_accepted(const api_body_spec *spec, json_t *obj)
{
	if (!json_is_object(obj))
		abort();
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v) {
		const api_field *f = NULL;
		for (size_t i = 0; i < spec->nfields; i++)
			if (!strcmp(spec->fields[i].name, key))
				f = &spec->fields[i];
		if (!f)
			abort(); /* an undeclared field got through */
		if (f->type == API_F_DECIMAL) {
			int64_t out;
			const char *s = json_string_value(v);
			/* syntax-checked text converts exactly at its own scale (at most 18 significant digits) */
			if (!s || api_decimal_check(s, f->scale, f->flags) != 0)
				abort();
			const char *dot = strchr(s, '.');
			int frac = dot ? (int)strlen(dot + 1) : 0;
			if (api_decimal_parse(s, frac, &out) != 0)
				abort();
		}
	}
	for (size_t i = 0; i < spec->nfields; i++)
		if (spec->fields[i].required && !json_object_get(obj, spec->fields[i].name))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (size_t i = 0; api_body_specs[i]; i++) {
		api_body_error e;
		json_t *obj = api_body_decode(api_body_specs[i], (const char *)data, size, &e);
		if (obj) {
			check_accepted(api_body_specs[i], obj);
			json_decref(obj);
			continue;
		}
		if (!e.code || !e.message[0])
			abort();
		if (strcmp(e.code, "bad_json") && strcmp(e.code, "bad_field") && strcmp(e.code, "unknown_field") &&
			strcmp(e.code, "missing_field"))
			abort();
	}
	return 0;
}
