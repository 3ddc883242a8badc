#include "dd_config.h"

#include <string.h>

#include "dd_math.h"

#define NS_PER_S 1000000000LL
#define REARM_MAX_S 315360000LL /* ten years: "practically manual only" */

/* Level keys indexed [kind][level - 1]. */
static const char *const level_keys[DD_KINDS][DD_LEVELS] = {
	{ "agent_soft_pct", "agent_hard_pct", "agent_kill_pct" },
	{ "farm_soft_pct", "farm_hard_pct", "farm_kill_pct" },
	{ "host_soft_pct", "host_hard_pct", "host_kill_pct" },
};

static const char *const rearm_keys[DD_LEVELS] = { "soft_rearm_seconds", "hard_rearm_seconds", "kill_rearm_seconds" };

const th_config_field dd_schema[] = {
	{ "agent_soft_pct", TH_CONFIG_DECIMAL, 0, "10", "0", "100", "agent drawdown (% of peak) at which growing intents are scaled down; 0 = off" },
	{ "agent_hard_pct", TH_CONFIG_DECIMAL, 0, "20", "0", "100", "agent drawdown (%) that sets the agent REDUCING and de-leverages it; 0 = off" },
	{ "agent_kill_pct", TH_CONFIG_DECIMAL, 0, "30", "0", "100", "agent drawdown (%) that HALTs the agent and flattens it; 0 = off" },
	{ "farm_soft_pct", TH_CONFIG_DECIMAL, 0, "5", "0", "100", "farm drawdown (% of peak) at which growing intents are scaled down; 0 = off" },
	{ "farm_hard_pct", TH_CONFIG_DECIMAL, 0, "10", "0", "100", "farm drawdown (%) that sets the farm REDUCING and de-leverages it; 0 = off" },
	{ "farm_kill_pct", TH_CONFIG_DECIMAL, 0, "15", "0", "100", "farm drawdown (%) that HALTs the farm and flattens it; 0 = off" },
	{ "host_soft_pct", TH_CONFIG_DECIMAL, 0, "3", "0", "100", "host drawdown (% of peak of the total wallet) at which growing intents are scaled down; 0 = off" },
	{ "host_hard_pct", TH_CONFIG_DECIMAL, 0, "6", "0", "100", "host drawdown (%) that sets the host REDUCING and de-leverages it; 0 = off" },
	{ "host_kill_pct", TH_CONFIG_DECIMAL, 0, "10", "0", "100", "host drawdown (%) that HALTs the host and flattens everything; 0 = off" },
	{ "soft_scale_pct", TH_CONFIG_DECIMAL, 0, "50", "0.01", "100", "share (%) of a growing intent approved at the soft level, rounded down to the lot" },
	{ "step_bps", TH_CONFIG_INT, 0, "2500", "1", "10000", "hard level: share of each position cut per de-leveraging step, basis points" },
	{ "step_seconds", TH_CONFIG_INT, 0, "60", "1", "86400", "seconds of host time between de-leveraging (and kill flatten retry) steps" },
	{ "soft_rearm_seconds", TH_CONFIG_INT, 0, "300", "0", "315360000", "seconds the drawdown must stay below the soft level before it re-arms" },
	{ "hard_rearm_seconds", TH_CONFIG_INT, 0, "3600", "0", "315360000", "seconds below the hard level before it re-arms (state back to ACTIVE)" },
	{ "kill_rearm_seconds", TH_CONFIG_INT, 0, "86400", "0", "315360000", "seconds below the kill level before it re-arms (state HALTED lifted)" },
	{ "eval_seconds", TH_CONFIG_INT, 0, "1", "1", "3600", "evaluation tick: trips, re-arms and de-leveraging steps happen on it" },
	{ "peak_source", TH_CONFIG_STRING, 0, "\"host\"", NULL, NULL, "\"host\": peak from wallet_stats.peak_equity; \"self\": peak of the equity the plugin sampled" },
	{ "watch_agents", TH_CONFIG_STRING_LIST, 0, "[]", NULL, NULL, "agents watched from start (others are added when they first send an intent)" },
	{ "watch_farms", TH_CONFIG_STRING_LIST, 0, "[]", NULL, NULL, "farms watched from start (others are added when one of their agents sends an intent)" },
	{ "max_scopes", TH_CONFIG_INT, 0, "1024", "1", "4096", "most agents + farms (+ host) tracked; an intent of a new scope beyond it is denied" },
	{ "position_scan_max", TH_CONFIG_INT, 0, "2048", "1", "65536", "most positions / open orders of an agent read to tell reducing from growing; beyond it: growing" },
	TH_CONFIG_END,
};

const char *dd_level_key(int kind, int level)
{
	return level_keys[kind][level - 1];
}

static int read_int(const th_host_api *api, th_ctx *ctx, const char *key, int64_t lo, int64_t hi, int64_t *out)
{
	int rc = api->config_int(ctx, key, out);
	if (rc != TH_OK) {
		api->set_error(ctx, "drawdown: config key %s: %s", key, rc == TH_ERR_NOT_FOUND ? "missing" : "not an integer");
		return TH_ERR_INVALID;
	}
	if (*out < lo || *out > hi) {
		api->set_error(ctx, "drawdown: config key %s = %lld is out of range %lld..%lld", key, (long long)*out,
			(long long)lo, (long long)hi);
		return TH_ERR_INVALID;
	}
	return TH_OK;
}

/* A percentage read exactly at 4 decimals: percent x 10^4 is ppm of 1. */
static int read_pct(const th_host_api *api, th_ctx *ctx, const char *key, int64_t lo_ppm, int64_t *ppm)
{
	int rc = api->config_decimal(ctx, key, 4, ppm);
	if (rc != TH_OK) {
		api->set_error(ctx, "drawdown: config key %s: %s", key,
			rc == TH_ERR_NOT_FOUND ? "missing" : "not a decimal percentage with at most 4 decimals");
		return TH_ERR_INVALID;
	}
	if (*ppm < lo_ppm || *ppm > 1000000) {
		char v[32], lo[32];
		dd_fmt_pct(*ppm, v, sizeof v);
		dd_fmt_pct(lo_ppm, lo, sizeof lo);
		api->set_error(ctx, "drawdown: config key %s = %s is out of range %s..100 (percent)", key, v, lo);
		return TH_ERR_INVALID;
	}
	return TH_OK;
}

/* Enabled levels of one scope must strictly increase: soft < hard < kill. */
static int check_order(const th_host_api *api, th_ctx *ctx, const dd_config *c, int kind)
{
	for (int lo = DD_SOFT; lo < DD_KILL; lo++) {
		int64_t a = c->level_ppm[kind][lo - 1];
		if (a == 0)
			continue;
		for (int hi = lo + 1; hi <= DD_KILL; hi++) {
			int64_t b = c->level_ppm[kind][hi - 1];
			if (b == 0)
				continue;
			if (a >= b) {
				char as[32], bs[32];
				dd_fmt_pct(a, as, sizeof as);
				dd_fmt_pct(b, bs, sizeof bs);
				api->set_error(ctx, "drawdown: inconsistent levels: %s = %s must be below %s = %s", dd_level_key(kind, lo),
					as, dd_level_key(kind, hi), bs);
				return TH_ERR_INVALID;
			}
			break; /* the next enabled level is the only one to compare with; it checks the rest */
		}
	}
	return TH_OK;
}

static int check_names(const th_host_api *api, th_ctx *ctx, const char *key)
{
	size_t n;
	if (api->config_list_len(ctx, key, &n) != TH_OK) {
		api->set_error(ctx, "drawdown: config key %s: not a list of strings", key);
		return TH_ERR_INVALID;
	}
	for (size_t i = 0; i < n; i++) {
		const char *s;
		if (api->config_list_at(ctx, key, i, &s) != TH_OK || s[0] == '\0' || strlen(s) >= TH_NAME_MAX) {
			api->set_error(ctx, "drawdown: config key %s[%zu]: a name of 1..%d characters is required", key, i,
				TH_NAME_MAX - 1);
			return TH_ERR_INVALID;
		}
	}
	return TH_OK;
}

int dd_config_read(const th_host_api *api, th_ctx *ctx, dd_config *c)
{
	int64_t v;
	const char *src;
	memset(c, 0, sizeof *c);
	for (int k = 0; k < DD_KINDS; k++)
		for (int l = DD_SOFT; l <= DD_KILL; l++)
			if (read_pct(api, ctx, dd_level_key(k, l), 0, &c->level_ppm[k][l - 1]) != TH_OK)
				return TH_ERR_INVALID;
	for (int k = 0; k < DD_KINDS; k++)
		if (check_order(api, ctx, c, k) != TH_OK)
			return TH_ERR_INVALID;

	/* soft_scale_pct read at 2 decimals: percent x 100 = basis points. */
	int rc = api->config_decimal(ctx, "soft_scale_pct", 2, &c->scale_bps);
	if (rc != TH_OK || c->scale_bps < 1 || c->scale_bps > 10000) {
		api->set_error(ctx, "drawdown: config key soft_scale_pct must be a percentage in 0.01..100 with at most 2 decimals");
		return TH_ERR_INVALID;
	}
	if (read_int(api, ctx, "step_bps", 1, 10000, &v) != TH_OK)
		return TH_ERR_INVALID;
	c->step_bps = (uint32_t)v;
	if (read_int(api, ctx, "step_seconds", 1, 86400, &v) != TH_OK)
		return TH_ERR_INVALID;
	c->step_ns = v * NS_PER_S;
	for (int l = 0; l < DD_LEVELS; l++) {
		if (read_int(api, ctx, rearm_keys[l], 0, REARM_MAX_S, &v) != TH_OK)
			return TH_ERR_INVALID;
		c->rearm_ns[l] = v * NS_PER_S;
	}
	if (read_int(api, ctx, "eval_seconds", 1, 3600, &v) != TH_OK)
		return TH_ERR_INVALID;
	c->eval_ns = v * NS_PER_S;
	if (read_int(api, ctx, "max_scopes", 1, 4096, &v) != TH_OK)
		return TH_ERR_INVALID;
	c->max_scopes = (uint32_t)v;
	if (read_int(api, ctx, "position_scan_max", 1, 65536, &v) != TH_OK)
		return TH_ERR_INVALID;
	c->scan_max = (uint32_t)v;

	if (api->config_string(ctx, "peak_source", &src) != TH_OK) {
		api->set_error(ctx, "drawdown: config key peak_source: not a string");
		return TH_ERR_INVALID;
	}
	if (strcmp(src, "host") == 0) {
		c->peak_self = 0;
	} else if (strcmp(src, "self") == 0) {
		c->peak_self = 1;
	} else {
		api->set_error(ctx, "drawdown: config key peak_source = \"%s\": expected \"host\" or \"self\"", src);
		return TH_ERR_INVALID;
	}
	if (check_names(api, ctx, "watch_agents") != TH_OK || check_names(api, ctx, "watch_farms") != TH_OK)
		return TH_ERR_INVALID;
	return TH_OK;
}
