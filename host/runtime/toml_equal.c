#include "runtime/toml_equal.h"

#include <string.h>

int toml_equal(const toml_value *a, const toml_value *b)
{
	if (!a || !b)
		return a == b;
	toml_type t = toml_type_of(a);
	if (t != toml_type_of(b))
		return 0;
	switch (t) {
	case TOML_TABLE: {
		size_t n = toml_table_size(a);
		if (n != toml_table_size(b))
			return 0;
		for (size_t i = 0; i < n; i++) {
			size_t klen;
			const char *k = toml_table_key_at(a, i, &klen);
			if (!toml_equal(toml_table_value_at(a, i), toml_table_getn(b, k, klen)))
				return 0;
		}
		return 1;
	}
	case TOML_ARRAY: {
		size_t n = toml_array_len(a);
		if (n != toml_array_len(b))
			return 0;
		for (size_t i = 0; i < n; i++)
			if (!toml_equal(toml_array_at(a, i), toml_array_at(b, i)))
				return 0;
		return 1;
	}
	case TOML_STRING: {
		const char *x, *y;
		size_t lx, ly;
		toml_as_string(a, &x, &lx);
		toml_as_string(b, &y, &ly);
		return lx == ly && memcmp(x, y, lx) == 0;
	}
	case TOML_INTEGER: {
		int64_t x, y;
		toml_as_int(a, &x);
		toml_as_int(b, &y);
		return x == y;
	}
	case TOML_BOOL: {
		bool x, y;
		toml_as_bool(a, &x);
		toml_as_bool(b, &y);
		return x == y;
	}
	case TOML_FLOAT: {
		/* Compare the literal text: exact, and NaN equals NaN as a configuration. */
		const char *x = toml_raw_literal(a), *y = toml_raw_literal(b);
		return x && y && strcmp(x, y) == 0;
	}
	default: {
		const char *x = toml_datetime_text(a), *y = toml_datetime_text(b);
		return x && y && strcmp(x, y) == 0;
	}
	}
}
