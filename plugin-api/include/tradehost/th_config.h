/*
 * tradehost SDK — per-plugin configuration schema.
 *
 * A plugin declares its configuration as a static array of th_config_field,
 * terminated by an entry whose key is NULL. The host validates every instance's
 * TOML table against it before create(): unknown keys are refused (the error
 * lists the accepted keys), types are checked, min/max enforced, defaults filled,
 * and required keys demanded. `tradehost plugins` and the README's configuration
 * reference are generated from the same array.
 *
 * Ownership: the array and all its strings are owned by the plugin and must be
 * static (they live as long as the loaded .so). The host copies what it keeps.
 * Depends on the C standard headers only.
 */
#ifndef TRADEHOST_TH_CONFIG_H
#define TRADEHOST_TH_CONFIG_H

#include <stdint.h>

typedef enum th_config_type {
	TH_CONFIG_STRING = 1,      /* TOML string */
	TH_CONFIG_INT = 2,         /* TOML integer (int64) */
	TH_CONFIG_FLOAT = 3,       /* TOML float or integer; for dimensionless parameters only, never money */
	TH_CONFIG_BOOL = 4,        /* TOML boolean */
	TH_CONFIG_DECIMAL = 5,     /* exact decimal for money/price/qty: TOML integer, float literal or string
	                              such as "0.001"; read with get_decimal() at a chosen scale, never via double */
	TH_CONFIG_STRING_LIST = 6  /* TOML array of strings */
} th_config_type;

typedef struct th_config_field {
	const char *key;           /* bare key, [a-z0-9_]+; NULL terminates the array */
	uint32_t type;             /* th_config_type */
	uint32_t required;         /* 1: the instance table must set it; default_value is then ignored */
	const char *default_value; /* TOML literal text ("20", "0.5", "\"BTCUSDT\"", "true", "[\"a\"]") or NULL */
	const char *min_value;     /* TOML literal inclusive lower bound for INT/FLOAT/DECIMAL, or NULL */
	const char *max_value;     /* TOML literal inclusive upper bound for INT/FLOAT/DECIMAL, or NULL */
	const char *description;   /* one sentence for --help output and generated docs */
} th_config_field;

#define TH_CONFIG_END { 0, 0, 0, 0, 0, 0, 0 }

#endif
