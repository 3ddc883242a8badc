/*
 * core_kit — reading a strategy's configuration with checks that name the key.
 *
 * The host validates types and the schema's min/max before create(), but a
 * strategy must not trust that alone (tests run it against a fake host, and
 * relations between keys are the strategy's to check). Every reader calls
 * set_error("<plugin>: key '<key>': <what is wrong>") and returns
 * TH_ERR_INVALID on failure.
 */
#ifndef KIT_CFG_H
#define KIT_CFG_H

#include <stddef.h>
#include <stdint.h>
#include <tradehost/tradehost.h>

/* Fractional digits of every decimal config key read by the kit and the
 * strategies (prices, quantities, notionals): 10 digits keep prices up to
 * ~9.2e8 inside int64. */
#define KIT_CFG_SCALE 10

/* Decimal at KIT_CFG_SCALE. */
int kit_cfg_decimal(const th_host_api *api, th_ctx *ctx, const char *plugin, const char *key, int64_t *out);
/* Integer in [min, max]. */
int kit_cfg_int(const th_host_api *api, th_ctx *ctx, const char *plugin, const char *key, int64_t min, int64_t max,
	int64_t *out);
/* Finite float in [min, max]. */
int kit_cfg_double(const th_host_api *api, th_ctx *ctx, const char *plugin, const char *key, double min, double max,
	double *out);
int kit_cfg_bool(const th_host_api *api, th_ctx *ctx, const char *plugin, const char *key, int *out);
/* Non-empty string copied into buf (cap bytes incl. NUL); too long is an error. */
int kit_cfg_string(const th_host_api *api, th_ctx *ctx, const char *plugin, const char *key, char *buf, size_t cap);

#endif
