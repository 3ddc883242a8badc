/*
 * Typed getters over a validated ("effective") plugin configuration table. They are what
 * the host API hands to plugins, so they are strict: no silent conversions except
 * integer -> double, and decimals are read exactly from their text.
 */
#include "config/schema.h"

#include "config/schema_internal.h"

#include <stdio.h>

static const toml_value *lookup(const toml_value *table, const char *key)
{
	return key ? toml_table_get(table, key) : NULL;
}

th_status config_get_string(const toml_value *table, const char *key, const char **out, size_t *len)
{
	const toml_value *v = lookup(table, key);
	if (!v)
		return TH_ERR_NOT_FOUND;
	return toml_as_string(v, out, len) ? TH_OK : TH_ERR_INVALID;
}

th_status config_get_int(const toml_value *table, const char *key, int64_t *out)
{
	const toml_value *v = lookup(table, key);
	if (!v)
		return TH_ERR_NOT_FOUND;
	return toml_as_int(v, out) ? TH_OK : TH_ERR_INVALID;
}

th_status config_get_double(const toml_value *table, const char *key, double *out)
{
	const toml_value *v = lookup(table, key);
	if (!v)
		return TH_ERR_NOT_FOUND;
	int64_t i;
	if (toml_as_int(v, &i)) {
		*out = (double)i;
		return TH_OK;
	}
	return toml_as_double(v, out) ? TH_OK : TH_ERR_INVALID;
}

th_status config_get_bool(const toml_value *table, const char *key, bool *out)
{
	const toml_value *v = lookup(table, key);
	if (!v)
		return TH_ERR_NOT_FOUND;
	return toml_as_bool(v, out) ? TH_OK : TH_ERR_INVALID;
}

th_status config_get_string_list(const toml_value *table, const char *key, const char **out, size_t max,
                                 size_t *count)
{
	const toml_value *v = lookup(table, key);
	if (!v)
		return TH_ERR_NOT_FOUND;
	if (toml_type_of(v) != TOML_ARRAY)
		return TH_ERR_INVALID;
	size_t n = toml_array_len(v);
	for (size_t i = 0; i < n; i++)
		if (toml_type_of(toml_array_at(v, i)) != TOML_STRING)
			return TH_ERR_INVALID;
	for (size_t i = 0; i < n && i < max && out; i++)
		toml_as_string(toml_array_at(v, i), &out[i], NULL);
	if (count)
		*count = n;
	return TH_OK;
}

th_status config_get_decimal(const toml_value *table, const char *key, int scale, int64_t *out, char *err,
                             size_t errlen)
{
	const toml_value *v = lookup(table, key);
	if (!v) {
		if (err && errlen)
			snprintf(err, errlen, "key '%s' is not set", key ? key : "(null)");
		return TH_ERR_NOT_FOUND;
	}
	config_decimal d;
	char why[200];
	if (!schema_value_decimal(v, &d, why, sizeof(why)) || !config_decimal_to_fixed(&d, scale, out, why, sizeof(why))) {
		if (err && errlen)
			snprintf(err, errlen, "key '%s': %s", key, why);
		return TH_ERR_INVALID;
	}
	return TH_OK;
}
