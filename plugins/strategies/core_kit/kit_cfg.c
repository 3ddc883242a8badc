/* core_kit — config readers whose errors name the key. */
#include "kit_cfg.h"

#include <math.h>
#include <string.h>

int kit_cfg_decimal(const th_host_api *api, th_ctx *ctx, const char *plugin, const char *key, int64_t *out)
{
	if (api->config_decimal(ctx, key, KIT_CFG_SCALE, out) != TH_OK) {
		api->set_error(ctx, "%s: key '%s': not a decimal with at most %d fractional digits", plugin, key,
			KIT_CFG_SCALE);
		return TH_ERR_INVALID;
	}
	return TH_OK;
}

int kit_cfg_int(const th_host_api *api, th_ctx *ctx, const char *plugin, const char *key, int64_t min, int64_t max,
	int64_t *out)
{
	int64_t v;
	if (api->config_int(ctx, key, &v) != TH_OK) {
		api->set_error(ctx, "%s: key '%s': not an integer", plugin, key);
		return TH_ERR_INVALID;
	}
	if (v < min || v > max) {
		api->set_error(ctx, "%s: key '%s': %lld is outside %lld..%lld", plugin, key, (long long)v, (long long)min,
			(long long)max);
		return TH_ERR_INVALID;
	}
	*out = v;
	return TH_OK;
}

int kit_cfg_double(const th_host_api *api, th_ctx *ctx, const char *plugin, const char *key, double min, double max,
	double *out)
{
	double v;
	if (api->config_double(ctx, key, &v) != TH_OK) {
		api->set_error(ctx, "%s: key '%s': not a number", plugin, key);
		return TH_ERR_INVALID;
	}
	if (!isfinite(v) || v < min || v > max) {
		api->set_error(ctx, "%s: key '%s': %g is outside %g..%g", plugin, key, v, min, max);
		return TH_ERR_INVALID;
	}
	*out = v;
	return TH_OK;
}

int kit_cfg_bool(const th_host_api *api, th_ctx *ctx, const char *plugin, const char *key, int *out)
{
	if (api->config_bool(ctx, key, out) != TH_OK) {
		api->set_error(ctx, "%s: key '%s': not a boolean", plugin, key);
		return TH_ERR_INVALID;
	}
	return TH_OK;
}

int kit_cfg_string(const th_host_api *api, th_ctx *ctx, const char *plugin, const char *key, char *buf, size_t cap)
{
	const char *s = NULL;
	if (api->config_string(ctx, key, &s) != TH_OK || !s) {
		api->set_error(ctx, "%s: key '%s': missing or not a string", plugin, key);
		return TH_ERR_INVALID;
	}
	if (!s[0]) {
		api->set_error(ctx, "%s: key '%s': must not be empty", plugin, key);
		return TH_ERR_INVALID;
	}
	if (strlen(s) >= cap) {
		api->set_error(ctx, "%s: key '%s': \"%s\" is longer than %zu characters", plugin, key, s, cap - 1);
		return TH_ERR_INVALID;
	}
	memcpy(buf, s, strlen(s) + 1);
	return TH_OK;
}
