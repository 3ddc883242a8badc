/*
 * Configuration layering (see config.h): file < environment < --set flags.
 */
#include "config/config.h"

#include "config/toml_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set_err(char *err, size_t errlen, const char *source, const char *detail)
{
	if (err && errlen)
		snprintf(err, errlen, "%s: %s", source, detail);
}

static bool valid_utf8(const char *text)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t n = strlen(text);
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = toml_utf8_decode(s + i, n - i, &cp);
		if (k == 0)
			return false;
		i += k;
	}
	return true;
}

static bool looks_like_literal(const char *text)
{
	while (*text == ' ' || *text == '\t')
		text++;
	return *text == '"' || *text == '\'' || *text == '[' || *text == '{';
}

toml_value *config_value_from_text(const char *text, const char *source, char *err, size_t errlen)
{
	if (!text)
		text = "";
	toml_error terr;
	toml_value *v = toml_parse_value_literal(text, strlen(text), source, &terr);
	if (!v) {
		if (looks_like_literal(text)) {
			char detail[700];
			snprintf(detail, sizeof(detail),
			         "value looks like a TOML string, array or inline table but is not valid: %s (at column %d)",
			         terr.message, terr.column);
			set_err(err, errlen, source, detail);
			return NULL;
		}
		if (!valid_utf8(text)) {
			set_err(err, errlen, source, "value is not valid UTF-8 text");
			return NULL;
		}
		v = toml_new_string(text, strlen(text));
		if (!v) {
			set_err(err, errlen, source, "out of memory");
			return NULL;
		}
	}
	/* Positions inside a one-line override are noise; the source name says it all. */
	toml_set_origin(v, source, 0, 0);
	return v;
}

/* Splits NAME (after the prefix) on "__" into lower-cased path parts. */
static bool env_path(const char *name, size_t len, toml_key_path *path, const char **why)
{
	memset(path, 0, sizeof(*path));
	size_t cap = 1;
	for (size_t i = 0; i + 1 < len; i++)
		if (name[i] == '_' && name[i + 1] == '_')
			cap++;
	path->parts = calloc(cap, sizeof(*path->parts));
	path->lens = calloc(cap, sizeof(*path->lens));
	if (!path->parts || !path->lens) {
		*why = "out of memory";
		goto fail;
	}
	size_t start = 0;
	for (size_t i = 0; i <= len; i++) {
		bool sep = i + 1 < len && name[i] == '_' && name[i + 1] == '_';
		if (!sep && i < len)
			continue;
		size_t n = i - start;
		if (n == 0) {
			*why = "empty key segment (the name must look like TRADEHOST__SECTION__KEY, segments separated by '__')";
			goto fail;
		}
		char *part = malloc(n + 1);
		if (!part) {
			*why = "out of memory";
			goto fail;
		}
		for (size_t k = 0; k < n; k++) {
			char c = name[start + k];
			part[k] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
		}
		part[n] = '\0';
		path->parts[path->count] = part;
		path->lens[path->count] = n;
		path->count++;
		if (i == len)
			break;
		i++; /* skip the second '_' of the separator */
		start = i + 1;
	}
	return true;
fail:
	toml_key_path_free(path);
	return false;
}

th_status config_apply_env(toml_value *root, char *const *envp, char *err, size_t errlen)
{
	if (!envp)
		return TH_OK;
	size_t plen = strlen(CONFIG_ENV_PREFIX);
	for (size_t e = 0; envp[e]; e++) {
		const char *entry = envp[e];
		const char *eq = strchr(entry, '=');
		if (!eq || strncmp(entry, CONFIG_ENV_PREFIX, plen) != 0)
			continue;
		char source[300];
		snprintf(source, sizeof(source), "environment %.*s", (int)(eq - entry), entry);
		const char *why = NULL;
		toml_key_path path;
		if (!env_path(entry + plen, (size_t)(eq - entry) - plen, &path, &why)) {
			set_err(err, errlen, source, why);
			return TH_ERR_INVALID;
		}
		toml_value *v = config_value_from_text(eq + 1, source, err, errlen);
		if (!v) {
			toml_key_path_free(&path);
			return TH_ERR_INVALID;
		}
		toml_error terr;
		bool ok = toml_set_path(root, &path, v, &terr);
		toml_key_path_free(&path);
		if (!ok) {
			set_err(err, errlen, source, terr.message);
			return TH_ERR_INVALID;
		}
	}
	return TH_OK;
}

th_status config_apply_set(toml_value *root, const char *assignment, char *err, size_t errlen)
{
	char source[300];
	snprintf(source, sizeof(source), "flag --set %s", assignment ? assignment : "");
	if (!assignment) {
		set_err(err, errlen, source, "missing key=value");
		return TH_ERR_INVALID;
	}
	toml_key_path path;
	size_t used = 0;
	toml_error terr;
	if (!toml_parse_key_path(assignment, strlen(assignment), &used, &path, &terr)) {
		char detail[700];
		snprintf(detail, sizeof(detail), "expected key=value such as host.mode=paper: %s", terr.message);
		set_err(err, errlen, source, detail);
		return TH_ERR_INVALID;
	}
	if (assignment[used] != '=') {
		toml_key_path_free(&path);
		set_err(err, errlen, source, "expected '=' after the key (key=value such as host.mode=paper)");
		return TH_ERR_INVALID;
	}
	toml_value *v = config_value_from_text(assignment + used + 1, source, err, errlen);
	if (!v) {
		toml_key_path_free(&path);
		return TH_ERR_INVALID;
	}
	bool ok = toml_set_path(root, &path, v, &terr);
	toml_key_path_free(&path);
	if (!ok) {
		set_err(err, errlen, source, terr.message);
		return TH_ERR_INVALID;
	}
	return TH_OK;
}

toml_value *config_load(const char *path, char *const *envp, const char *const *sets, size_t nsets,
                        char *err, size_t errlen)
{
	toml_value *root;
	if (path) {
		toml_error terr;
		root = toml_parse_file(path, &terr);
		if (!root) {
			if (err && errlen)
				toml_error_format(&terr, err, errlen);
			return NULL;
		}
	} else {
		root = toml_new_table();
		if (!root) {
			set_err(err, errlen, "configuration", "out of memory");
			return NULL;
		}
	}
	if (config_apply_env(root, envp, err, errlen) != TH_OK)
		goto fail;
	for (size_t i = 0; i < nsets; i++)
		if (config_apply_set(root, sets[i], err, errlen) != TH_OK)
			goto fail;
	return root;
fail:
	toml_free(root);
	return NULL;
}
