/*
 * Private to the schema files: helpers shared by validation (schema.c), the getters
 * (schema_get.c) and documentation output (schema_describe.c).
 */
#ifndef TRADEHOST_CONFIG_SCHEMA_INTERNAL_H
#define TRADEHOST_CONFIG_SCHEMA_INTERNAL_H

#include "config/config_decimal.h"
#include "config/toml.h"

/* "string \"abc\"", "integer 5", "float 0.5", "array of 2 elements"... for messages. */
void schema_describe_value(const toml_value *v, char *buf, size_t n);

/* Exact decimal of an integer, float (from its literal text) or decimal string. */
bool schema_value_decimal(const toml_value *v, config_decimal *out, char *why, size_t whylen);

#endif
