/*
 * Plugin configuration schemas (tradehost/th_config.h): checking a schema itself,
 * validating an instance's TOML table against it, the typed getters over the validated
 * ("effective") table, and generating human and Markdown documentation from it.
 *
 * Error texts start with the position of the offending value when known
 * ("config/tradehost.toml:12:9: strategies.momentum: ...", or
 * "environment TRADEHOST__...: strategies.momentum: ..." for overrides), then the
 * instance name given as `where`, then what is wrong.
 */
#ifndef TRADEHOST_CONFIG_SCHEMA_H
#define TRADEHOST_CONFIG_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "config/toml.h"
#include <tradehost/th_config.h>
#include <tradehost/th_status.h>

/* A schema is itself checked before use: keys must be bare lower-case [a-z0-9_]+ and
 * unique, types known, default/min/max literals well formed and of the field's type,
 * min <= default <= max. Returns TH_ERR_INVALID naming the field. */
th_status config_schema_check(const th_config_field *schema, char *err, size_t errlen);

/* Validates `table` (an instance's TOML table; NULL means empty) against `schema`:
 * unknown keys (the message lists the accepted ones), wrong types, missing required keys
 * and min/max violations are errors. On success, when out_effective is not NULL, it
 * receives a new table holding every schema key that is set or has a default, in schema
 * order (free with toml_free). `where` names the instance in messages. */
th_status config_validate(const toml_value *table, const th_config_field *schema, const char *where,
                          toml_value **out_effective, char *err, size_t errlen);

/* Same, but keys listed in ignore_keys (NULL-terminated; e.g. the host's own "plugin" and
 * "name" keys in an instance table) are neither validated nor copied. */
th_status config_validate_ex(const toml_value *table, const th_config_field *schema, const char *where,
                             const char *const *ignore_keys, toml_value **out_effective, char *err,
                             size_t errlen);

/* Typed getters over an effective table. TH_ERR_NOT_FOUND when the key is absent,
 * TH_ERR_INVALID when its type does not fit. Returned pointers live as long as the table. */
th_status config_get_string(const toml_value *table, const char *key, const char **out, size_t *len);
th_status config_get_int(const toml_value *table, const char *key, int64_t *out);
/* Integer or float. */
th_status config_get_double(const toml_value *table, const char *key, double *out);
th_status config_get_bool(const toml_value *table, const char *key, bool *out);
/* Fills out[0..min(count, max)) with the strings and sets *count to the list length. */
th_status config_get_string_list(const toml_value *table, const char *key, const char **out, size_t max,
                                 size_t *count);
/* Exact fixed point: value * 10^scale from the decimal *text* (integer, float literal or
 * decimal string), never via double. Values with more fractional digits than `scale`
 * (e.g. "0.123456789" at scale 8) or outside int64 are refused with a message in err. */
th_status config_get_decimal(const toml_value *table, const char *key, int scale, int64_t *out, char *err,
                             size_t errlen);

typedef enum config_describe_format {
	CONFIG_DESCRIBE_TEXT = 1, /* indented list for `tradehost plugins` / --help */
	CONFIG_DESCRIBE_MARKDOWN  /* | key | type | default | required | description | table */
} config_describe_format;

/* Prints the schema; returns TH_ERR_IO if writing failed. */
th_status config_schema_describe(const th_config_field *schema, FILE *out, config_describe_format format);

/* "string", "int", "float", "bool", "decimal", "string list". */
const char *config_type_name(uint32_t type);

#endif
