/*
 * toml-test decoder (https://github.com/toml-lang/toml-test): reads TOML on stdin until
 * EOF; valid input is printed on stdout as "tagged JSON" (every scalar becomes
 * {"type": T, "value": "<text>"}) with exit status 0; invalid input is reported on stderr
 * with exit status 1. Used by the conformance test and handy for checking the parser by hand.
 */
#include "config/toml.h"

#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static json_t *tagged(const char *type, const char *value)
{
	return json_pack("{s:s, s:s}", "type", type, "value", value);
}

static json_t *to_json(const toml_value *v)
{
	char buf[64];
	switch (toml_type_of(v)) {
	case TOML_TABLE: {
		json_t *o = json_object();
		for (size_t i = 0; o && i < toml_table_size(v); i++) {
			size_t klen;
			const char *k = toml_table_key_at(v, i, &klen);
			json_t *child = to_json(toml_table_value_at(v, i));
			if (!child || json_object_setn_new(o, k, klen, child) != 0) {
				json_decref(o);
				return NULL;
			}
		}
		return o;
	}
	case TOML_ARRAY: {
		json_t *a = json_array();
		for (size_t i = 0; a && i < toml_array_len(v); i++) {
			json_t *child = to_json(toml_array_at(v, i));
			if (!child || json_array_append_new(a, child) != 0) {
				json_decref(a);
				return NULL;
			}
		}
		return a;
	}
	case TOML_STRING: {
		const char *s;
		size_t len;
		toml_as_string(v, &s, &len);
		json_t *str = json_stringn(s, len);
		return str ? json_pack("{s:s, s:o}", "type", "string", "value", str) : NULL;
	}
	case TOML_INTEGER: {
		int64_t i = 0;
		toml_as_int(v, &i);
		snprintf(buf, sizeof(buf), "%" PRId64, i);
		return tagged("integer", buf);
	}
	case TOML_FLOAT: {
		double d = 0;
		toml_as_double(v, &d);
		if (isnan(d))
			snprintf(buf, sizeof(buf), "nan");
		else if (isinf(d))
			snprintf(buf, sizeof(buf), "%sinf", d < 0 ? "-" : "");
		else
			snprintf(buf, sizeof(buf), "%.17g", d);
		return tagged("float", buf);
	}
	case TOML_BOOL: {
		bool b = false;
		toml_as_bool(v, &b);
		return tagged("bool", b ? "true" : "false");
	}
	case TOML_DATETIME:
	case TOML_DATETIME_LOCAL:
	case TOML_DATE_LOCAL:
	case TOML_TIME_LOCAL:
		return tagged(toml_type_name(toml_type_of(v)), toml_datetime_text(v));
	}
	return NULL;
}

static char *read_all(int fd, size_t *len)
{
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap);
	while (buf) {
		if (n == cap) {
			char *nb = realloc(buf, cap * 2);
			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
		ssize_t r = read(fd, buf + n, cap - n);
		if (r == 0) {
			*len = n;
			return buf;
		}
		if (r < 0)
			break;
		n += (size_t)r;
	}
	free(buf);
	return NULL;
}

int main(int argc, char **argv)
{
	(void)argv;
	if (argc > 1) {
		fprintf(stderr, "usage: toml-test-decoder < file.toml\n"
		                "Prints the document as toml-test tagged JSON; exit 1 if it is invalid.\n");
		return 2;
	}
	size_t len = 0;
	char *text = read_all(0, &len);
	if (!text) {
		perror("toml-test-decoder: reading stdin");
		return 2;
	}
	toml_error err;
	toml_value *root = toml_parse(text, len, "<stdin>", &err);
	free(text);
	if (!root) {
		char msg[1024];
		toml_error_format(&err, msg, sizeof(msg));
		fprintf(stderr, "%s\n", msg);
		return 1;
	}
	json_t *json = to_json(root);
	toml_free(root);
	if (!json) {
		fprintf(stderr, "toml-test-decoder: out of memory building JSON\n");
		return 2;
	}
	int rc = json_dumpf(json, stdout, JSON_INDENT(2)) == 0 && fputc('\n', stdout) != EOF ? 0 : 2;
	json_decref(json);
	if (fflush(stdout) != 0)
		rc = 2;
	return rc;
}
