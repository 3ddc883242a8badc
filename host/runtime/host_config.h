/*
 * The host's view of its configuration file:
 *
 *   [host]                      host-wide settings (schema in host_config.c)
 *   [instances.<name>]          one plugin instance per table
 *   plugin   = "sim"            plugin name (= file name without .so)
 *   optional = false            true: a failing create/start is logged, not fatal
 *   farm     = "momentum"       strategies: the farm (capital and coordination group)
 *   [instances.<name>.config]   the plugin's own keys, validated by its schema
 *
 * Layering: file, then TRADEHOST__SECTION__KEY environment variables, then
 * --set section.key=value flags. Relative paths are relative to the file.
 */
#ifndef HOST_RUNTIME_HOST_CONFIG_H
#define HOST_RUNTIME_HOST_CONFIG_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <tradehost/th_types.h>

#include "config/toml.h"

typedef struct host_instance_cfg {
	char name[TH_NAME_MAX];
	char plugin[TH_NAME_MAX];
	int optional;
	char farm[TH_NAME_MAX];     /* strategies: the farm the agent belongs to ("" = none) */
	const toml_value *config;   /* the instance's config table, or NULL; borrowed from host_config.tree */
} host_instance_cfg;

typedef struct host_config {
	toml_value *tree;           /* owned: the layered document */
	char *path;                 /* the file as given */
	char *base_dir;             /* its directory (for relative paths) */
	char *mode;                 /* "paper" | "backtest" | "live" */
	char **plugin_dirs;         /* absolute */
	size_t nplugin_dirs;
	int require_signed;
	uint8_t (*trusted_keys)[32];
	size_t ntrusted;
	char *state_dir;            /* absolute */
	char *control_socket;       /* absolute */
	int log_level;              /* TH_LOG_* */
	host_instance_cfg *instances;
	size_t ninstances;
	/* The layering inputs, kept so reload re-applies the same overrides. */
	char **env;                 /* TRADEHOST__* entries only */
	char **overrides;           /* "a.b=value" */
	size_t noverrides;
} host_config;

/* Parse `path`, apply env (NULL-terminated envp, only TRADEHOST__ entries
 * are used) and overrides, validate the [host] section and the shape of
 * every [instances.*] table. Plugin configs are validated later, against the
 * plugin's schema, when the plugin is loaded. Returns 0, or -1 with a message
 * naming the file/line, key or source. */
int host_config_load(const char *path, char *const *envp, char *const *overrides, size_t noverrides,
	host_config *out, char *err, size_t errlen);
/* Load again with the same inputs (for reload). */
int host_config_reload(const host_config *old, host_config *out, char *err, size_t errlen);
void host_config_free(host_config *c);

/* The default plugin directory: <dir of the executable>/../lib/tradehost/plugins. */
int host_default_plugin_dir(char *buf, size_t cap);

/* Print the [host] section's schema (key, type, default, description). */
void host_config_describe(FILE *out, int markdown);

#endif
