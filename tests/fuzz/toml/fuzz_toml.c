/*
 * Fuzz target for the TOML parser and the code that consumes its trees. Any input must
 * either parse or fail with a positioned message; it must never crash, hang, leak or read
 * out of bounds. A successful parse is walked through every accessor, deep-copied, and
 * overlaid with a few configuration-style overrides, so those paths see hostile trees too.
 */
#include "fuzz_toml.h"

#include "config/config_decimal.h"
#include "config/toml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void walk(const toml_value *v, bool parsed)
{
	const char *s;
	size_t len;
	int64_t i;
	double d;
	bool b;
	toml_datetime dt;
	(void)toml_source_name(v);
	if (parsed && (toml_line(v) < 1 || toml_column(v) < 1))
		abort(); /* every parsed node has a position */
	switch (toml_type_of(v)) {
	case TOML_TABLE:
		for (size_t k = 0; k < toml_table_size(v); k++) {
			size_t klen;
			const char *key = toml_table_key_at(v, k, &klen);
			/* lookup by key must find the same entry it came from */
			if (toml_table_getn(v, key, klen) != toml_table_value_at(v, k))
				abort();
			walk(toml_table_value_at(v, k), parsed);
		}
		break;
	case TOML_ARRAY:
		for (size_t k = 0; k < toml_array_len(v); k++)
			walk(toml_array_at(v, k), parsed);
		break;
	case TOML_STRING:
		if (!toml_as_string(v, &s, &len) || s[len] != '\0')
			abort();
		break;
	case TOML_INTEGER:
		if (!toml_as_int(v, &i) || (parsed && !toml_raw_literal(v)))
			abort();
		break;
	case TOML_FLOAT: {
		const char *raw = toml_raw_literal(v);
		if (!toml_as_double(v, &d) || !raw)
			abort();
		config_decimal dec;
		char err[128];
		int64_t fixed;
		if (config_decimal_parse(raw, strlen(raw), true, &dec, err, sizeof(err)))
			(void)config_decimal_to_fixed(&dec, 8, &fixed, err, sizeof(err));
		break;
	}
	case TOML_BOOL:
		if (!toml_as_bool(v, &b))
			abort();
		break;
	default:
		if (!toml_as_datetime(v, &dt) || !toml_datetime_text(v))
			abort();
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	toml_error err;
	toml_value *root = toml_parse((const char *)data, size, "fuzz", &err);
	if (!root) {
		/* errors must carry a message and a sane position */
		if (!err.message[0] || err.line < 0 || err.column < 0)
			abort();
		char buf[1024];
		toml_error_format(&err, buf, sizeof(buf));
	} else {
		walk(root, true);
		toml_value *copy = toml_clone(root);
		if (copy) {
			static const char *paths[] = { "a", "a.b", "a.b.c", "\"\".x", "a.0.b", "a.1" };
			for (size_t k = 0; k < sizeof(paths) / sizeof(paths[0]); k++) {
				toml_key_path p;
				size_t used;
				if (toml_parse_key_path(paths[k], strlen(paths[k]), &used, &p, &err)) {
					(void)toml_set_path(copy, &p, toml_new_int((int64_t)k), &err);
					toml_key_path_free(&p);
				}
			}
			walk(copy, false);
			toml_free(copy);
		}
		toml_free(root);
	}
	/* the same bytes as a single override value */
	toml_value *lit = toml_parse_value_literal((const char *)data, size, "fuzz", &err);
	toml_free(lit);
	return 0;
}
