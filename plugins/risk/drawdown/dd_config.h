/*
 * drawdown — configuration schema and its reading. The host validates types
 * and min/max against the schema; dd_config_read() checks the same ranges
 * again (a host that skipped them must not get an unsafe breaker) and the
 * cross-key rules: within a scope, enabled levels must strictly increase
 * soft < hard < kill. Every refusal names the key(s).
 */
#ifndef DRAWDOWN_DD_CONFIG_H
#define DRAWDOWN_DD_CONFIG_H

#include <tradehost/tradehost.h>

#include "dd_internal.h"

extern const th_config_field dd_schema[];

/* Reads and validates the configuration into *c. On failure calls
 * api->set_error naming the key(s) and returns TH_ERR_INVALID. */
int dd_config_read(const th_host_api *api, th_ctx *ctx, dd_config *c);

/* The config key of a scope kind and level, e.g. "farm_hard_pct". */
const char *dd_level_key(int kind, int level);

#endif
