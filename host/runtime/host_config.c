#include "runtime/host_config.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "config/config.h"
#include "config/schema.h"
#include "loader/signature.h"

static const th_config_field host_schema[] = {
	{ "mode", TH_CONFIG_STRING, 0, "\"paper\"", NULL, NULL,
		"paper (real time, sim venue), backtest (simulated time) or live (real venues)" },
	{ "plugin_dirs", TH_CONFIG_STRING_LIST, 0, "[]", NULL, NULL,
		"directories searched for <plugin>.so; empty: <executable dir>/../lib/tradehost/plugins" },
	{ "require_signed", TH_CONFIG_BOOL, 0, "false", NULL, NULL,
		"load only plugins with a valid detached Ed25519 signature (<plugin>.so.sig)" },
	{ "trusted_keys", TH_CONFIG_STRING_LIST, 0, "[]", NULL, NULL,
		"public key files (from `tradehost keygen`) whose signatures are accepted" },
	{ "state_dir", TH_CONFIG_STRING, 0, "\"var\"", NULL, NULL,
		"directory for the journal, per-instance state and the control socket" },
	{ "control_socket", TH_CONFIG_STRING, 0, "\"\"", NULL, NULL,
		"Unix socket that `tradehost reload` talks to; empty: <state_dir>/tradehost.sock" },
	{ "log_level", TH_CONFIG_STRING, 0, "\"info\"", NULL, NULL, "debug, info, warn or error" },
	TH_CONFIG_END
};

/* host and instances are read here; market, capital, oms and backtest by
 * host/trading (trading_config.c), which validates them the same way (goals
 * is an array of tables); http by host/frontdoor (frontdoor_config.c). */
static const char *const top_level_sections[] = { "host", "instances", "market", "capital", "oms", "risk", "backtest",
	"goals", "http", NULL };
static const char *const instance_keys[] = { "plugin", "optional", "farm", "config", NULL };

void host_config_describe(FILE *out, int markdown)
{
	config_schema_describe(host_schema, out, markdown ? CONFIG_DESCRIBE_MARKDOWN : CONFIG_DESCRIBE_TEXT);
}

int host_default_plugin_dir(char *buf, size_t cap)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return -1;
	exe[n] = '\0';
	char *dir = dirname(exe);
	char joined[PATH_MAX + 32];
	snprintf(joined, sizeof joined, "%s/../lib/tradehost/plugins", dir);
	if (!realpath(joined, buf) || strlen(buf) >= cap) {
		if ((size_t)snprintf(buf, cap, "%s", joined) >= cap)
			return -1;
	}
	return 0;
}

/* Absolute path of `p`, relative paths taken from `base`. */
static char *resolve(const char *base, const char *p)
{
	char *out;
	if (p[0] == '/')
		return strdup(p);
	if (asprintf(&out, "%s/%s", base, p) < 0)
		return NULL;
	return out;
}

static int in_list(const char *key, size_t klen, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (strlen(list[i]) == klen && memcmp(list[i], key, klen) == 0)
			return 1;
	return 0;
}

static void list_names(char *buf, size_t cap, const char *const *list)
{
	size_t pos = 0;
	buf[0] = '\0';
	for (size_t i = 0; list[i] && pos < cap; i++)
		pos += (size_t)snprintf(buf + pos, cap - pos, "%s%s", i ? ", " : "", list[i]);
}

static int check_instance(const char *name, size_t nlen, const toml_value *t, host_instance_cfg *ic, char *err,
	size_t errlen)
{
	char accepted[128];
	if (nlen == 0 || nlen >= TH_NAME_MAX) {
		snprintf(err, errlen, "instances: instance name \"%.*s\" must be 1 to %d characters", (int)nlen, name,
			TH_NAME_MAX - 1);
		return -1;
	}
	for (size_t i = 0; i < nlen; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
			snprintf(err, errlen, "instances.%.*s: instance names may use letters, digits, _ and - only",
				(int)nlen, name);
			return -1;
		}
	}
	memcpy(ic->name, name, nlen);
	ic->name[nlen] = '\0';
	if (toml_type_of(t) != TOML_TABLE) {
		snprintf(err, errlen, "%s:%d: instances.%s must be a table", toml_source_name(t), toml_line(t), ic->name);
		return -1;
	}
	for (size_t i = 0; i < toml_table_size(t); i++) {
		size_t klen;
		const char *k = toml_table_key_at(t, i, &klen);
		if (!in_list(k, klen, instance_keys)) {
			const toml_value *v = toml_table_value_at(t, i);
			list_names(accepted, sizeof accepted, instance_keys);
			snprintf(err, errlen, "%s:%d:%d: unknown key instances.%s.%.*s (accepted: %s; plugin settings go "
				"under instances.%s.config)", toml_source_name(v), toml_line(v), toml_column(v), ic->name,
				(int)klen, k, accepted, ic->name);
			return -1;
		}
	}
	const toml_value *plugin = toml_table_get(t, "plugin");
	const char *ps;
	size_t plen;
	if (!plugin || !toml_as_string(plugin, &ps, &plen) || plen == 0 || plen >= TH_NAME_MAX) {
		snprintf(err, errlen, "instances.%s: key \"plugin\" (the plugin name, a string) is required", ic->name);
		return -1;
	}
	memcpy(ic->plugin, ps, plen);
	ic->plugin[plen] = '\0';
	const toml_value *opt = toml_table_get(t, "optional");
	bool b = false;
	if (opt && !toml_as_bool(opt, &b)) {
		snprintf(err, errlen, "%s:%d:%d: instances.%s.optional must be a boolean, found %s", toml_source_name(opt),
			toml_line(opt), toml_column(opt), ic->name, toml_type_name(toml_type_of(opt)));
		return -1;
	}
	ic->optional = b;
	const toml_value *farm = toml_table_get(t, "farm");
	const char *fs = "";
	size_t flen = 0;
	if (farm && (!toml_as_string(farm, &fs, &flen) || flen == 0 || flen >= TH_NAME_MAX)) {
		snprintf(err, errlen, "%s:%d:%d: instances.%s.farm must be a farm name (a non-empty string)",
			toml_source_name(farm), toml_line(farm), toml_column(farm), ic->name);
		return -1;
	}
	memcpy(ic->farm, fs, flen);
	ic->farm[flen] = '\0';
	const toml_value *cfg = toml_table_get(t, "config");
	if (cfg && toml_type_of(cfg) != TOML_TABLE) {
		snprintf(err, errlen, "%s:%d:%d: instances.%s.config must be a table", toml_source_name(cfg),
			toml_line(cfg), toml_column(cfg), ic->name);
		return -1;
	}
	ic->config = cfg;
	return 0;
}

static int load_trusted_keys(host_config *c, const toml_value *host, char *err, size_t errlen)
{
	const char *paths[64];
	size_t n = 0;
	if (config_get_string_list(host, "trusted_keys", paths, 64, &n) != TH_OK || n > 64) {
		snprintf(err, errlen, "host.trusted_keys: at most 64 key files");
		return -1;
	}
	c->trusted_keys = calloc(n ? n : 1, sizeof *c->trusted_keys);
	if (!c->trusted_keys)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char *p = resolve(c->base_dir, paths[i]);
		char kerr[512];
		int rc = p ? sig_load_public(p, c->trusted_keys[i], kerr, sizeof kerr) : -1;
		free(p);
		if (rc != 0) {
			snprintf(err, errlen, "host.trusted_keys[%zu]: %s", i, kerr);
			return -1;
		}
	}
	c->ntrusted = n;
	if (c->require_signed && n == 0) {
		snprintf(err, errlen, "host.require_signed is true but host.trusted_keys is empty: no signature could "
			"ever verify");
		return -1;
	}
	return 0;
}

static int apply_host_section(host_config *c, char *err, size_t errlen)
{
	const toml_value *raw = toml_table_get(c->tree, "host");
	toml_value *host = NULL;
	char verr[768];
	if (config_validate(raw, host_schema, "host", &host, verr, sizeof verr) != TH_OK) {
		snprintf(err, errlen, "%s: %s", c->path, verr);
		return -1;
	}
	const char *s;
	int rc = -1;
	config_get_string(host, "mode", &s, NULL);
	if (strcmp(s, "paper") && strcmp(s, "backtest") && strcmp(s, "live")) {
		snprintf(err, errlen, "host.mode is \"%s\"; expected paper, backtest or live", s);
		goto out;
	}
	c->mode = strdup(s);
	config_get_string(host, "log_level", &s, NULL);
	if ((c->log_level = log_level_parse(s)) < 0) {
		snprintf(err, errlen, "host.log_level is \"%s\"; expected debug, info, warn or error", s);
		goto out;
	}
	bool b;
	config_get_bool(host, "require_signed", &b);
	c->require_signed = b;
	config_get_string(host, "state_dir", &s, NULL);
	c->state_dir = resolve(c->base_dir, s);
	config_get_string(host, "control_socket", &s, NULL);
	if (s[0])
		c->control_socket = resolve(c->base_dir, s);
	else if (c->state_dir && asprintf(&c->control_socket, "%s/tradehost.sock", c->state_dir) < 0)
		c->control_socket = NULL;
	const char *dirs[32];
	size_t n = 0;
	if (config_get_string_list(host, "plugin_dirs", dirs, 32, &n) != TH_OK || n > 32) {
		snprintf(err, errlen, "host.plugin_dirs: at most 32 directories");
		goto out;
	}
	c->plugin_dirs = calloc(n ? n : 1, sizeof *c->plugin_dirs);
	if (!c->plugin_dirs)
		goto out;
	for (size_t i = 0; i < n; i++)
		c->plugin_dirs[c->nplugin_dirs++] = resolve(c->base_dir, dirs[i]);
	if (n == 0) {
		char def[PATH_MAX];
		if (host_default_plugin_dir(def, sizeof def) != 0) {
			snprintf(err, errlen, "host.plugin_dirs is empty and the default directory cannot be located");
			goto out;
		}
		c->plugin_dirs[c->nplugin_dirs++] = strdup(def);
	}
	rc = load_trusted_keys(c, host, err, errlen);
out:
	toml_free(host);
	return rc;
}

static int apply_instances(host_config *c, char *err, size_t errlen)
{
	const toml_value *inst = toml_table_get(c->tree, "instances");
	if (!inst)
		return 0;
	if (toml_type_of(inst) != TOML_TABLE) {
		snprintf(err, errlen, "%s:%d: instances must be a table of [instances.<name>] tables", c->path,
			toml_line(inst));
		return -1;
	}
	size_t n = toml_table_size(inst);
	c->instances = calloc(n ? n : 1, sizeof *c->instances);
	if (!c->instances)
		return -1;
	for (size_t i = 0; i < n; i++) {
		size_t nlen;
		const char *name = toml_table_key_at(inst, i, &nlen);
		if (check_instance(name, nlen, toml_table_value_at(inst, i), &c->instances[i], err, errlen) != 0)
			return -1;
		c->ninstances++;
	}
	return 0;
}

static int check_top_level(const host_config *c, char *err, size_t errlen)
{
	char accepted[128];
	for (size_t i = 0; i < toml_table_size(c->tree); i++) {
		size_t klen;
		const char *k = toml_table_key_at(c->tree, i, &klen);
		if (!in_list(k, klen, top_level_sections)) {
			const toml_value *v = toml_table_value_at(c->tree, i);
			list_names(accepted, sizeof accepted, top_level_sections);
			snprintf(err, errlen, "%s:%d:%d: unknown section or key \"%.*s\" (accepted: %s)",
				toml_source_name(v), toml_line(v), toml_column(v), (int)klen, k, accepted);
			return -1;
		}
	}
	return 0;
}

static char **copy_strings(char *const *src, size_t n, int only_tradehost_env)
{
	char **out = calloc(n + 1, sizeof *out);
	size_t k = 0;
	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (only_tradehost_env && strncmp(src[i], "TRADEHOST__", 11) != 0)
			continue;
		out[k++] = strdup(src[i]);
	}
	return out;
}

int host_config_load(const char *path, char *const *envp, char *const *overrides, size_t noverrides,
	host_config *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	if (errlen)
		err[0] = '\0';
	size_t nenv = 0;
	while (envp && envp[nenv])
		nenv++;
	out->path = strdup(path);
	char *tmp = strdup(path), abs[PATH_MAX];
	const char *dir = tmp ? dirname(tmp) : ".";
	out->base_dir = realpath(dir, abs) ? strdup(abs) : strdup(dir);
	free(tmp);
	out->env = copy_strings(envp, nenv, 1);
	out->overrides = copy_strings(overrides, noverrides, 0);
	out->noverrides = noverrides;
	if (!out->path || !out->base_dir || !out->env || !out->overrides) {
		snprintf(err, errlen, "out of memory");
		host_config_free(out);
		return -1;
	}
	out->tree = config_load(path, out->env, (const char *const *)out->overrides, noverrides, err, errlen);
	if (!out->tree || check_top_level(out, err, errlen) != 0 || apply_host_section(out, err, errlen) != 0 ||
		apply_instances(out, err, errlen) != 0) {
		if (!err[0])
			snprintf(err, errlen, "out of memory");
		host_config_free(out);
		return -1;
	}
	return 0;
}

int host_config_reload(const host_config *old, host_config *out, char *err, size_t errlen)
{
	return host_config_load(old->path, old->env, old->overrides, old->noverrides, out, err, errlen);
}

void host_config_free(host_config *c)
{
	toml_free(c->tree);
	free(c->path);
	free(c->base_dir);
	free(c->mode);
	for (size_t i = 0; i < c->nplugin_dirs; i++)
		free(c->plugin_dirs[i]);
	free(c->plugin_dirs);
	free(c->trusted_keys);
	free(c->state_dir);
	free(c->control_socket);
	free(c->instances);
	for (size_t i = 0; c->env && c->env[i]; i++)
		free(c->env[i]);
	free(c->env);
	for (size_t i = 0; c->overrides && c->overrides[i]; i++)
		free(c->overrides[i]);
	free(c->overrides);
	memset(c, 0, sizeof *c);
}
