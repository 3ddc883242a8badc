/*
 * api_body — the validating decoder for REST request bodies.
 *
 * A body is parsed with jansson and then checked against a field spec: every
 * field of the object must be declared (else unknown_field), every required
 * field present (missing_field), and each value of the declared kind
 * (bad_field). Decimal fields are strings of plain decimal text ("1000",
 * "-0.015") with at most `scale` fractional digits — never JSON numbers, so
 * no money ever passes through a double. The same spec generates the
 * requestBody schema of the OpenAPI document (api_openapi.c), so what is
 * documented is what is enforced.
 *
 * Pure: no I/O, no host; the fuzz target drives it directly.
 */
#ifndef HOST_API_API_BODY_H
#define HOST_API_API_BODY_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

typedef enum api_ftype {
	API_F_STRING = 1,  /* JSON string, 1..max_len bytes (max_len 0 = 255) */
	API_F_DECIMAL = 2, /* decimal text with at most `scale` fractional digits */
	API_F_INT = 3,     /* JSON integer in [min, max] */
	API_F_BOOL = 4,
	API_F_ENUM = 5     /* JSON string, one of `values` */
} api_ftype;

/* API_F_DECIMAL flags */
#define API_DEC_POSITIVE 0x1u /* > 0 */
#define API_DEC_NONNEG 0x2u   /* >= 0 */

typedef struct api_field {
	const char *name;
	api_ftype type;
	int required;
	const char *const *values; /* API_F_ENUM: NULL-terminated */
	int64_t min, max;          /* API_F_INT range; API_F_STRING: max = max length */
	int scale;                 /* API_F_DECIMAL: most fractional digits accepted */
	unsigned flags;            /* API_DEC_* */
	const char *description;
} api_field;

typedef struct api_body_spec {
	const char *name;          /* schema name in the OpenAPI components, e.g. "OrderRequest" */
	const api_field *fields;
	size_t nfields;
} api_body_spec;

/* The error of a failed decode: HTTP 400 with this code and message. */
typedef struct api_body_error {
	const char *code;          /* "bad_json", "bad_field", "unknown_field", "missing_field" */
	char message[512];
} api_body_error;

/* Parses `len` bytes (need not be NUL-terminated) and checks them against
 * `spec`. Returns the object (the caller owns the reference) or NULL with
 * *e filled. An empty body is an empty object. */
json_t *api_body_decode(const api_body_spec *spec, const char *data, size_t len, api_body_error *e);

/* Checks only the decimal text syntax and scale of `s` (used by the decoder
 * and for query parameters). 0 ok, -1 otherwise. */
int api_decimal_check(const char *s, int scale, unsigned flags);

/* Decimal text -> fixed point at `scale` (exact: more fractional digits than
 * scale, junk or overflow fail). 0 ok, -1 otherwise (*out untouched). */
int api_decimal_parse(const char *s, int scale, int64_t *out);

/* Accessors for a decoded body (NULL / the default when absent). */
const char *api_body_str(const json_t *body, const char *name);
int64_t api_body_int(const json_t *body, const char *name, int64_t dflt);
int api_body_bool(const json_t *body, const char *name, int dflt);

/* The JSON Schema of a body spec (new reference). */
json_t *api_body_schema(const api_body_spec *spec);

/* Every body spec the REST routes use (api_body_specs.c), for the fuzz target. */
extern const api_body_spec *const api_body_specs[];

#endif
