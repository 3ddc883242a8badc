/*
 * Configuration layering: the TOML file, then environment overrides, then command-line
 * overrides, each later layer replacing single values of the earlier ones
 * (file < environment < flags).
 *
 *   environment  TRADEHOST__RISK__MAX_ORDERS=30      sets risk.max_orders = 30
 *   flag         --set risk.max_orders=30            same, given as "risk.max_orders=30"
 *
 * An override's value is read as a TOML value literal when it is one (30, true, "x",
 * [1,2], 0.001, 2024-01-01) and otherwise taken as a plain string (paper -> "paper").
 * Text that starts like a string, array or inline table ('"', '\'', '[', '{') but is not
 * a valid literal is an error rather than silently becoming a string.
 *
 * Every overridden value remembers its origin ("environment TRADEHOST__RISK__MAX_ORDERS",
 * "flag --set risk.max_orders=30") so later validation errors name it.
 */
#ifndef TRADEHOST_CONFIG_CONFIG_H
#define TRADEHOST_CONFIG_CONFIG_H

#include <stddef.h>

#include "config/toml.h"
#include <tradehost/th_status.h>

/* Prefix of environment overrides; path segments are separated by "__" and lower-cased. */
#define CONFIG_ENV_PREFIX "TRADEHOST__"

/* Loads `path` (NULL: start from an empty table), then applies every TRADEHOST__* entry
 * of envp (NULL-terminated "NAME=value" strings; NULL for none) in order, then every
 * "a.b.c=value" string of sets[0..nsets). Returns the merged tree or NULL with a message
 * in err naming the file position, variable or flag at fault. */
toml_value *config_load(const char *path, char *const *envp, const char *const *sets, size_t nsets,
                        char *err, size_t errlen);

/* The two override layers, usable on any tree (e.g. for `tradehost check`). */
th_status config_apply_env(toml_value *root, char *const *envp, char *err, size_t errlen);
th_status config_apply_set(toml_value *root, const char *assignment, char *err, size_t errlen);

/* The literal-or-plain-string rule above, for one override value. `source` labels the
 * value (and error messages). Returns NULL with err filled on a malformed literal. */
toml_value *config_value_from_text(const char *text, const char *source, char *err, size_t errlen);

#endif
