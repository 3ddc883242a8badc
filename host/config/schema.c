/*
 * Schema self-check and instance validation (see schema.h). Getters are in
 * schema_get.c, documentation output in schema_describe.c.
 */
#include "config/schema.h"

#include "config/config_decimal.h"
#include "config/schema_internal.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const char *config_type_name(uint32_t type)
{
	switch (type) {
	case TH_CONFIG_STRING: return "string";
	case TH_CONFIG_INT: return "int";
	case TH_CONFIG_FLOAT: return "float";
	case TH_CONFIG_BOOL: return "bool";
	case TH_CONFIG_DECIMAL: return "decimal";
	case TH_CONFIG_STRING_LIST: return "string list";
	}
	return "unknown type";
}

static void errf(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void errf(char *err, size_t errlen, const char *fmt, ...)
{
	if (!err || !errlen)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* "file:12:9: " / "environment X: " / "" for a value, so messages point at its origin. */
static void origin_prefix(const toml_value *v, char *buf, size_t n)
{
	const char *src = toml_source_name(v);
	if (src && toml_line(v) > 0)
		snprintf(buf, n, "%s:%d:%d: ", src, toml_line(v), toml_column(v));
	else if (src)
		snprintf(buf, n, "%s: ", src);
	else
		buf[0] = '\0';
}

void schema_describe_value(const toml_value *v, char *buf, size_t n)
{
	const char *s;
	size_t len;
	int64_t i;
	bool b;
	switch (toml_type_of(v)) {
	case TOML_STRING:
		toml_as_string(v, &s, &len);
		snprintf(buf, n, "string \"%.*s\"%s", len > 40 ? 40 : (int)len, s, len > 40 ? "..." : "");
		break;
	case TOML_INTEGER:
		toml_as_int(v, &i);
		snprintf(buf, n, "integer %" PRId64, i);
		break;
	case TOML_FLOAT:
		snprintf(buf, n, "float %s", toml_raw_literal(v) ? toml_raw_literal(v) : "");
		break;
	case TOML_BOOL:
		toml_as_bool(v, &b);
		snprintf(buf, n, "bool %s", b ? "true" : "false");
		break;
	case TOML_ARRAY:
		snprintf(buf, n, "array of %zu element%s", toml_array_len(v), toml_array_len(v) == 1 ? "" : "s");
		break;
	case TOML_TABLE:
		snprintf(buf, n, "table");
		break;
	default:
		snprintf(buf, n, "%s %s", toml_type_name(toml_type_of(v)), toml_datetime_text(v));
		break;
	}
}

bool schema_value_decimal(const toml_value *v, config_decimal *out, char *why, size_t whylen)
{
	char text[32];
	switch (toml_type_of(v)) {
	case TOML_INTEGER: {
		int64_t i = 0;
		toml_as_int(v, &i);
		snprintf(text, sizeof(text), "%" PRId64, i); /* also covers 0x/0o/0b literals */
		return config_decimal_parse(text, strlen(text), false, out, why, whylen);
	}
	case TOML_FLOAT: {
		const char *raw = toml_raw_literal(v);
		if (!raw) {
			snprintf(why, whylen, "float value has no literal text to read exactly");
			return false;
		}
		return config_decimal_parse(raw, strlen(raw), true, out, why, whylen);
	}
	case TOML_STRING: {
		const char *s;
		size_t len;
		toml_as_string(v, &s, &len);
		return config_decimal_parse(s, len, false, out, why, whylen);
	}
	default:
		snprintf(why, whylen, "not a number");
		return false;
	}
}

/* Whether v has a TOML type the field accepts; *why explains when not. */
static bool type_fits(const th_config_field *f, const toml_value *v, char *why, size_t whylen)
{
	toml_type t = toml_type_of(v);
	char found[96];
	schema_describe_value(v, found, sizeof(found));
	switch (f->type) {
	case TH_CONFIG_STRING:
		if (t == TOML_STRING)
			return true;
		break;
	case TH_CONFIG_INT:
		if (t == TOML_INTEGER)
			return true;
		break;
	case TH_CONFIG_FLOAT:
		if (t == TOML_FLOAT || t == TOML_INTEGER)
			return true;
		break;
	case TH_CONFIG_BOOL:
		if (t == TOML_BOOL)
			return true;
		break;
	case TH_CONFIG_DECIMAL:
		if (t == TOML_INTEGER || t == TOML_FLOAT || t == TOML_STRING) {
			config_decimal d;
			char dwhy[160];
			if (schema_value_decimal(v, &d, dwhy, sizeof(dwhy)))
				return true;
			snprintf(why, whylen, "key '%s' expects a decimal (integer, float or string such as \"0.001\"), found %s: %s",
			         f->key, found, dwhy);
			return false;
		}
		snprintf(why, whylen, "key '%s' expects a decimal (integer, float or string such as \"0.001\"), found %s",
		         f->key, found);
		return false;
	case TH_CONFIG_STRING_LIST:
		if (t == TOML_ARRAY) {
			for (size_t i = 0; i < toml_array_len(v); i++) {
				const toml_value *e = toml_array_at(v, i);
				if (toml_type_of(e) != TOML_STRING) {
					char efound[96];
					schema_describe_value(e, efound, sizeof(efound));
					snprintf(why, whylen, "key '%s' expects a string list, but element %zu is %s", f->key, i,
					         efound);
					return false;
				}
			}
			return true;
		}
		break;
	default:
		break;
	}
	snprintf(why, whylen, "key '%s' expects %s, found %s", f->key, config_type_name(f->type), found);
	return false;
}

/* Parses a schema literal (default/min/max) into a value; NULL with *why on error. */
static toml_value *schema_literal(const th_config_field *f, const char *which, const char *text, char *why,
                                  size_t whylen)
{
	char source[160];
	snprintf(source, sizeof(source), "schema %s of '%s'", which, f->key);
	toml_error terr;
	toml_value *v = toml_parse_value_literal(text, strlen(text), source, &terr);
	if (!v) {
		/* bounded parts: the whole message fits the callers' 200-byte buffers */
		snprintf(why, whylen, "%s literal '%.40s' is not a valid TOML value: %.100s", which, text, terr.message);
		return NULL;
	}
	toml_set_origin(v, source, 0, 0);
	return v;
}

/* Compares a value with a bound literal of the field's numeric type: <0, 0, >0.
 * Both were type-checked already. */
static int compare_to_bound(const th_config_field *f, const toml_value *v, const toml_value *bound)
{
	if (f->type == TH_CONFIG_INT) {
		int64_t a = 0, b = 0;
		toml_as_int(v, &a);
		toml_as_int(bound, &b);
		return a < b ? -1 : a > b;
	}
	if (f->type == TH_CONFIG_FLOAT) {
		double a, b;
		int64_t i;
		if (!toml_as_double(v, &a))
			a = toml_as_int(v, &i) ? (double)i : 0;
		if (!toml_as_double(bound, &b))
			b = toml_as_int(bound, &i) ? (double)i : 0;
		if (isnan(a))
			return 2; /* NaN is outside every range */
		return a < b ? -1 : a > b;
	}
	config_decimal a, b;
	char why[160];
	if (!schema_value_decimal(v, &a, why, sizeof(why)) || !schema_value_decimal(bound, &b, why, sizeof(why)))
		return 2;
	return config_decimal_cmp(&a, &b);
}

static bool is_numeric(uint32_t type)
{
	return type == TH_CONFIG_INT || type == TH_CONFIG_FLOAT || type == TH_CONFIG_DECIMAL;
}

/* Checks min <= v <= max for numeric fields; bounds were validated by the schema check. */
static bool range_ok(const th_config_field *f, const toml_value *v, char *why, size_t whylen)
{
	if (!is_numeric(f->type))
		return true;
	const char *lits[2] = { f->min_value, f->max_value };
	for (int k = 0; k < 2; k++) {
		if (!lits[k])
			continue;
		char dummy[200];
		toml_value *bound = schema_literal(f, k ? "max" : "min", lits[k], dummy, sizeof(dummy));
		if (!bound)
			continue; /* cannot happen after config_schema_check */
		int c = compare_to_bound(f, v, bound);
		toml_free(bound);
		bool bad = k == 0 ? (c < 0 || c == 2) : (c > 0);
		if (bad) {
			char found[96];
			schema_describe_value(v, found, sizeof(found));
			if (f->min_value && f->max_value)
				snprintf(why, whylen, "key '%s' must be between %s and %s, found %s", f->key, f->min_value,
				         f->max_value, found);
			else if (k == 0)
				snprintf(why, whylen, "key '%s' must be at least %s, found %s", f->key, f->min_value, found);
			else
				snprintf(why, whylen, "key '%s' must be at most %s, found %s", f->key, f->max_value, found);
			return false;
		}
	}
	return true;
}

static bool is_nan_value(const toml_value *v)
{
	double d;
	return toml_as_double(v, &d) && isnan(d);
}

static bool valid_key_name(const char *k)
{
	if (!*k)
		return false;
	for (; *k; k++)
		if (!((*k >= 'a' && *k <= 'z') || (*k >= '0' && *k <= '9') || *k == '_'))
			return false;
	return true;
}

th_status config_schema_check(const th_config_field *schema, char *err, size_t errlen)
{
	if (!schema) {
		errf(err, errlen, "plugin schema: no schema (a plugin without settings declares { TH_CONFIG_END })");
		return TH_ERR_INVALID;
	}
	for (size_t i = 0; schema[i].key; i++) {
		const th_config_field *f = &schema[i];
		if (!valid_key_name(f->key)) {
			errf(err, errlen, "plugin schema: field %zu: key '%s' must be lower-case letters, digits and '_'", i,
			     f->key);
			return TH_ERR_INVALID;
		}
		for (size_t j = 0; j < i; j++) {
			if (strcmp(schema[j].key, f->key) == 0) {
				errf(err, errlen, "plugin schema: key '%s' is declared twice (fields %zu and %zu)", f->key, j, i);
				return TH_ERR_INVALID;
			}
		}
		if (f->type < TH_CONFIG_STRING || f->type > TH_CONFIG_STRING_LIST) {
			errf(err, errlen, "plugin schema: key '%s' has unknown type %u", f->key, (unsigned)f->type);
			return TH_ERR_INVALID;
		}
		if (!is_numeric(f->type) && (f->min_value || f->max_value)) {
			errf(err, errlen, "plugin schema: key '%s': min/max apply only to int, float and decimal, not %s",
			     f->key, config_type_name(f->type));
			return TH_ERR_INVALID;
		}
		char why[700];
		toml_value *bounds[2] = { NULL, NULL };
		const char *lits[2] = { f->min_value, f->max_value };
		th_status st = TH_OK;
		for (int k = 0; k < 2 && st == TH_OK; k++) {
			if (!lits[k])
				continue;
			bounds[k] = schema_literal(f, k ? "max" : "min", lits[k], why, sizeof(why));
			if (!bounds[k]) {
				errf(err, errlen, "plugin schema: key '%s': %s", f->key, why);
				st = TH_ERR_INVALID;
			} else if (!type_fits(f, bounds[k], why, sizeof(why))) {
				errf(err, errlen, "plugin schema: %s literal '%s' of key '%s' does not fit type %s (%s)", k ? "max" : "min",
				     lits[k], f->key, config_type_name(f->type), why);
				st = TH_ERR_INVALID;
			} else if (is_nan_value(bounds[k])) {
				errf(err, errlen, "plugin schema: %s literal of key '%s' is nan, which bounds nothing",
				     k ? "max" : "min", f->key);
				st = TH_ERR_INVALID;
			}
		}
		if (st == TH_OK && bounds[0] && bounds[1] && compare_to_bound(f, bounds[0], bounds[1]) > 0) {
			errf(err, errlen, "plugin schema: key '%s': min %s is greater than max %s", f->key, f->min_value,
			     f->max_value);
			st = TH_ERR_INVALID;
		}
		toml_free(bounds[0]);
		toml_free(bounds[1]);
		if (st != TH_OK)
			return st;
		if (f->default_value && !f->required) {
			toml_value *d = schema_literal(f, "default", f->default_value, why, sizeof(why));
			if (!d) {
				errf(err, errlen, "plugin schema: key '%s': %s", f->key, why);
				return TH_ERR_INVALID;
			}
			bool ok = type_fits(f, d, why, sizeof(why)) && range_ok(f, d, why, sizeof(why));
			toml_free(d);
			if (!ok) {
				errf(err, errlen, "plugin schema: default '%s' of key '%s' is invalid: %s", f->default_value,
				     f->key, why);
				return TH_ERR_INVALID;
			}
		}
	}
	return TH_OK;
}

/* Edit distance for "did you mean" hints, capped since keys are short. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 63 || lb > 63)
		return 99;
	size_t row[64];
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t prev = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t cur = row[j];
			size_t sub = prev + (a[i - 1] != b[j - 1]);
			size_t del = row[j] + 1, ins = row[j - 1] + 1;
			row[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
			prev = cur;
		}
	}
	return row[lb];
}

static void unknown_key_message(const th_config_field *schema, const char *key, size_t keylen, char *why,
                                size_t whylen)
{
	size_t used = 0;
	const char *best = NULL;
	size_t best_d = 3;
	char keybuf[128];
	snprintf(keybuf, sizeof(keybuf), "%.*s", (int)(keylen < 100 ? keylen : 100), key);
	used += (size_t)snprintf(why, whylen, "unknown key '%s'", keybuf);
	for (size_t i = 0; schema[i].key; i++) {
		size_t d = edit_distance(keybuf, schema[i].key);
		if (d < best_d) {
			best_d = d;
			best = schema[i].key;
		}
	}
	if (best && used < whylen)
		used += (size_t)snprintf(why + used, whylen - used, " (did you mean '%s'?)", best);
	if (used < whylen)
		used += (size_t)snprintf(why + used, whylen - used, "; accepted keys:");
	if (!schema[0].key && used < whylen)
		used += (size_t)snprintf(why + used, whylen - used, " none (this plugin takes no settings)");
	for (size_t i = 0; schema[i].key && used < whylen; i++)
		used += (size_t)snprintf(why + used, whylen - used, "%s %s", i ? "," : "", schema[i].key);
}

static const th_config_field *find_field(const th_config_field *schema, const char *key, size_t keylen)
{
	for (size_t i = 0; schema[i].key; i++)
		if (strlen(schema[i].key) == keylen && memcmp(schema[i].key, key, keylen) == 0)
			return &schema[i];
	return NULL;
}

static bool ignored(const char *const *ignore_keys, const char *key, size_t keylen)
{
	for (size_t i = 0; ignore_keys && ignore_keys[i]; i++)
		if (strlen(ignore_keys[i]) == keylen && memcmp(ignore_keys[i], key, keylen) == 0)
			return true;
	return false;
}

th_status config_validate_ex(const toml_value *table, const th_config_field *schema, const char *where,
                             const char *const *ignore_keys, toml_value **out_effective, char *err,
                             size_t errlen)
{
	if (out_effective)
		*out_effective = NULL;
	if (!where)
		where = "configuration";
	th_status st = config_schema_check(schema, err, errlen);
	if (st != TH_OK)
		return st;
	if (table && toml_type_of(table) != TOML_TABLE) {
		char prefix[300], found[96];
		origin_prefix(table, prefix, sizeof(prefix));
		schema_describe_value(table, found, sizeof(found));
		errf(err, errlen, "%s%s: expected a table of settings, found %s", prefix, where, found);
		return TH_ERR_INVALID;
	}
	char why[900], prefix[300];
	for (size_t i = 0; i < toml_table_size(table); i++) {
		size_t keylen;
		const char *key = toml_table_key_at(table, i, &keylen);
		const toml_value *v = toml_table_value_at(table, i);
		if (ignored(ignore_keys, key, keylen))
			continue;
		origin_prefix(v, prefix, sizeof(prefix));
		const th_config_field *f = find_field(schema, key, keylen);
		if (!f) {
			unknown_key_message(schema, key, keylen, why, sizeof(why));
			errf(err, errlen, "%s%s: %s", prefix, where, why);
			return TH_ERR_INVALID;
		}
		if (!type_fits(f, v, why, sizeof(why)) || !range_ok(f, v, why, sizeof(why))) {
			errf(err, errlen, "%s%s: %s", prefix, where, why);
			return TH_ERR_INVALID;
		}
	}
	for (size_t i = 0; schema[i].key; i++) {
		if (schema[i].required && !toml_table_get(table, schema[i].key)) {
			if (table)
				origin_prefix(table, prefix, sizeof(prefix));
			else
				prefix[0] = '\0';
			errf(err, errlen, "%s%s: required key '%s' (%s) is missing%s%s", prefix, where, schema[i].key,
			     config_type_name(schema[i].type), schema[i].description ? ": " : "",
			     schema[i].description ? schema[i].description : "");
			return TH_ERR_INVALID;
		}
	}
	if (!out_effective)
		return TH_OK;
	toml_value *eff = toml_new_table();
	if (!eff)
		goto nomem;
	for (size_t i = 0; schema[i].key; i++) {
		const th_config_field *f = &schema[i];
		const toml_value *v = toml_table_get(table, f->key);
		toml_value *copy = NULL;
		if (v) {
			copy = toml_clone(v);
		} else if (f->default_value && !f->required) {
			copy = schema_literal(f, "default", f->default_value, why, sizeof(why));
		} else {
			continue;
		}
		if (!copy || !toml_table_set(eff, f->key, strlen(f->key), copy)) {
			toml_free(eff);
			goto nomem;
		}
	}
	*out_effective = eff;
	return TH_OK;
nomem:
	errf(err, errlen, "%s: out of memory", where);
	return TH_ERR_NOMEM;
}

th_status config_validate(const toml_value *table, const th_config_field *schema, const char *where,
                          toml_value **out_effective, char *err, size_t errlen)
{
	return config_validate_ex(table, schema, where, NULL, out_effective, err, errlen);
}
