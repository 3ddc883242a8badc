/*
 * Schema and validation of the var plugin's configuration (see var_config.h).
 * The host enforces the schema's min/max before create; the same ranges are
 * checked again here so a host (or test double) that does not still gets a
 * clear refusal instead of a model running on nonsense.
 */
#include "var_config.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const th_config_field var_schema[] = {
	{ "window", TH_CONFIG_INT, 0, "250", "20", "5000",
		"scenarios kept: the last N bar returns of every instrument (historical simulation window)" },
	{ "min_history", TH_CONFIG_INT, 0, "100", "10", "5000",
		"fewest scenarios an ES may rest on; below it intents are denied with NO_DATA (at most window)" },
	{ "max_stale_bars", TH_CONFIG_INT, 0, "3", "0", "1000",
		"bars an instrument may miss before its data is stale (deny) and, when it resumes, restarts (below window)" },
	{ "horizon_bars", TH_CONFIG_INT, 0, "1", "1", "10000",
		"risk horizon in bars; one-bar figures are scaled by sqrt(horizon_bars)" },
	{ "bar_interval_ms", TH_CONFIG_INT, 0, "0", "0", "604800000",
		"bar timeframe used for returns, ms; 0 adopts the interval of the first bar seen" },
	{ "es_limit_host", TH_CONFIG_DECIMAL, 0, "\"0\"", "0", NULL,
		"limit on the post-trade ES 97.5% of the whole portfolio, money; 0 = none" },
	{ "es_limit_farm", TH_CONFIG_DECIMAL, 0, "\"0\"", "0", NULL,
		"limit on the post-trade ES 97.5% of each farm, money; 0 = none" },
	{ "es_limit_agent", TH_CONFIG_DECIMAL, 0, "\"0\"", "0", NULL,
		"limit on the post-trade ES 97.5% of each agent, money; 0 = none" },
	{ "es_limits", TH_CONFIG_STRING_LIST, 0, "[]", NULL, NULL,
		"per-name limits overriding the defaults: \"agent:NAME=AMOUNT\" or \"farm:NAME=AMOUNT\" (0 = none)" },
	{ "allow_risk_reducing", TH_CONFIG_BOOL, 0, "true", NULL, NULL,
		"approve an intent above the limit when it lowers that scope's ES (lets a breached book de-risk)" },
	{ "ewma_lambda", TH_CONFIG_FLOAT, 0, "0.94", "0.5", "0.9999",
		"decay of the EWMA covariance of the parametric VaR (RiskMetrics: 0.94)" },
	{ "stress_scenarios", TH_CONFIG_STRING_LIST, 0, "[]", NULL, NULL,
		"shock scenarios \"name: KEY=shock ...\", KEY an asset, symbol, venue:symbol or *, shock e.g. -0.2" },
	{ "stress_vol_multiplier", TH_CONFIG_FLOAT, 0, "3.0", "1", "100",
		"volatility multiplier of the volatility stress (parametric VaR 99% x multiplier)" },
	{ "stress_windows", TH_CONFIG_INT, 0, "3", "0", "8",
		"historical stress: how many worst windows of the data to replay (k)" },
	{ "stress_window_bars", TH_CONFIG_INT, 0, "10", "1", "5000",
		"historical stress: bars per replayed window (n, at most window)" },
	{ "publish_ms", TH_CONFIG_INT, 0, "10000", "100", "86400000",
		"period of the figure refresh: positions resync, metrics and the TH_EV_CUSTOM figures event" },
	{ "max_instruments", TH_CONFIG_INT, 0, "2048", "1", "16384",
		"instruments tracked (bars and positions)" },
	{ "max_scopes", TH_CONFIG_INT, 0, "64", "3", "512",
		"host, farm and agent portfolios kept precomputed; the least recently used is dropped" },
	{ "sync_on_check", TH_CONFIG_BOOL, 0, "false", NULL, NULL,
		"re-read the scopes' positions on every check instead of on fills and timer (slower, no lag)" },
	{ "publish_events", TH_CONFIG_BOOL, 0, "true", NULL, NULL,
		"publish the figures of every scope as TH_EV_CUSTOM (tag 'VaR1') at each refresh" },
	{ "metrics_per_scope", TH_CONFIG_BOOL, 0, "true", NULL, NULL,
		"register var95/var99/es975 gauges for each farm and agent, not only for the host" },
	TH_CONFIG_END,
};

static void errf(char *err, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void errf(char *err, size_t cap, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, cap, fmt, ap);
	va_end(ap);
}

static int get_int(const th_host_api *api, th_ctx *ctx, const char *key, int64_t lo, int64_t hi, int64_t *out,
	char *err, size_t cap)
{
	if (api->config_int(ctx, key, out) != TH_OK) {
		errf(err, cap, "key '%s': not readable as an integer", key);
		return -1;
	}
	if (*out < lo || *out > hi) {
		errf(err, cap, "key '%s' must be between %lld and %lld, found %lld", key, (long long)lo, (long long)hi,
			(long long)*out);
		return -1;
	}
	return 0;
}

static int get_money(const th_host_api *api, th_ctx *ctx, const char *key, th_money *out, char *err, size_t cap)
{
	if (api->config_decimal(ctx, key, TH_MONEY_SCALE, out) != TH_OK) {
		errf(err, cap, "key '%s': not a decimal amount with at most %d decimals", key, TH_MONEY_SCALE);
		return -1;
	}
	if (*out < 0) {
		errf(err, cap, "key '%s' must be at least 0 (0 = no limit)", key);
		return -1;
	}
	return 0;
}

static int get_bool(const th_host_api *api, th_ctx *ctx, const char *key, int *out, char *err, size_t cap)
{
	if (api->config_bool(ctx, key, out) != TH_OK) {
		errf(err, cap, "key '%s': not a boolean", key);
		return -1;
	}
	return 0;
}

static int get_double(const th_host_api *api, th_ctx *ctx, const char *key, double lo, double hi, double *out,
	char *err, size_t cap)
{
	if (api->config_double(ctx, key, out) != TH_OK) {
		errf(err, cap, "key '%s': not a number", key);
		return -1;
	}
	if (!(*out >= lo && *out <= hi)) {
		errf(err, cap, "key '%s' must be between %g and %g, found %g", key, lo, hi, *out);
		return -1;
	}
	return 0;
}

static int is_sep(char c)
{
	return c == ' ' || c == '\t' || c == ',';
}

int var_parse_scenario(const char *text, var_scenario *out, char *err, size_t errcap)
{
	memset(out, 0, sizeof *out);
	const char *colon = strchr(text, ':');
	if (!colon) {
		errf(err, errcap, "expected \"name: KEY=shock ...\" (no ':' after the scenario name)");
		return -1;
	}
	const char *p = text;
	while (*p == ' ')
		p++;
	size_t nlen = (size_t)(colon - p);
	while (nlen > 0 && p[nlen - 1] == ' ')
		nlen--;
	if (nlen == 0 || nlen >= sizeof out->name) {
		errf(err, errcap, "scenario name must have 1 to %zu characters", sizeof out->name - 1);
		return -1;
	}
	for (size_t i = 0; i < nlen; i++) {
		if (!(isalnum((unsigned char)p[i]) || p[i] == '_' || p[i] == '-')) {
			errf(err, errcap, "scenario name may hold only letters, digits, '_' and '-'");
			return -1;
		}
	}
	memcpy(out->name, p, nlen);
	p = colon + 1;
	for (;;) {
		while (is_sep(*p))
			p++;
		if (!*p)
			break;
		const char *start = p;
		while (*p && !is_sep(*p) && *p != '=')
			p++;
		size_t klen = (size_t)(p - start);
		if (*p != '=' || klen == 0) {
			errf(err, errcap, "expected KEY=shock at \"%s\"", start);
			return -1;
		}
		if (klen >= VAR_KEY_MAX) {
			errf(err, errcap, "key \"%.*s\" is too long", (int)klen, start);
			return -1;
		}
		if (out->nshocks == VAR_MAX_SHOCKS) {
			errf(err, errcap, "more than %d shocks", VAR_MAX_SHOCKS);
			return -1;
		}
		var_shock *s = &out->shocks[out->nshocks];
		memcpy(s->key, start, klen);
		s->key[klen] = '\0';
		for (size_t i = 0; i < out->nshocks; i++) {
			if (strcmp(out->shocks[i].key, s->key) == 0) {
				errf(err, errcap, "key \"%s\" given twice", s->key);
				return -1;
			}
		}
		p++;
		char *end;
		double v = strtod(p, &end);
		if (end == p || (*end && !is_sep(*end))) {
			errf(err, errcap, "shock of \"%s\" is not a number", s->key);
			return -1;
		}
		if (!isfinite(v) || v < -1.0 || v > 10.0) {
			errf(err, errcap, "shock of \"%s\" must be between -1 and 10 (a relative move), found %g", s->key, v);
			return -1;
		}
		s->shock = v;
		out->nshocks++;
		p = end;
	}
	if (out->nshocks == 0) {
		errf(err, errcap, "scenario \"%s\" has no KEY=shock", out->name);
		return -1;
	}
	return 0;
}

int var_parse_override(const char *text, var_limit_override *out, char *err, size_t errcap)
{
	memset(out, 0, sizeof *out);
	const char *colon = strchr(text, ':');
	const char *eq = strrchr(text, '=');
	if (!colon || !eq || eq < colon) {
		errf(err, errcap, "expected \"agent:NAME=AMOUNT\" or \"farm:NAME=AMOUNT\"");
		return -1;
	}
	size_t klen = (size_t)(colon - text);
	if (klen == 5 && strncmp(text, "agent", 5) == 0)
		out->kind = VAR_SCOPE_AGENT;
	else if (klen == 4 && strncmp(text, "farm", 4) == 0)
		out->kind = VAR_SCOPE_FARM;
	else {
		errf(err, errcap, "scope must be \"agent\" or \"farm\", found \"%.*s\"", (int)klen, text);
		return -1;
	}
	size_t nlen = (size_t)(eq - colon - 1);
	if (nlen == 0 || nlen >= sizeof out->name) {
		errf(err, errcap, "name must have 1 to %zu characters", sizeof out->name - 1);
		return -1;
	}
	memcpy(out->name, colon + 1, nlen);
	const char *amt = eq + 1;
	size_t alen = strlen(amt);
	while (alen > 0 && amt[alen - 1] == ' ')
		alen--;
	while (alen > 0 && *amt == ' ') {
		amt++;
		alen--;
	}
	if (th_fixed_parse(amt, alen, TH_MONEY_SCALE, &out->limit) != 0 || out->limit < 0) {
		errf(err, errcap, "amount \"%.*s\" is not a decimal >= 0 with at most %d decimals", (int)alen, amt,
			TH_MONEY_SCALE);
		return -1;
	}
	return 0;
}

static int load_lists(const th_host_api *api, th_ctx *ctx, var_config *c, char *err, size_t cap)
{
	char why[160];
	size_t n;
	const char *item;
	if (api->config_list_len(ctx, "es_limits", &n) != TH_OK) {
		errf(err, cap, "key 'es_limits': not a list of strings");
		return -1;
	}
	if (n > VAR_MAX_OVERRIDES) {
		errf(err, cap, "key 'es_limits': at most %d entries, found %zu", VAR_MAX_OVERRIDES, n);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		item = NULL;
		if (api->config_list_at(ctx, "es_limits", i, &item) != TH_OK ||
			var_parse_override(item, &c->overrides[i], why, sizeof why) != 0) {
			errf(err, cap, "key 'es_limits' entry %zu \"%s\": %s", i, item ? item : "?", why);
			return -1;
		}
		for (size_t j = 0; j < i; j++) {
			if (c->overrides[j].kind == c->overrides[i].kind && strcmp(c->overrides[j].name, c->overrides[i].name) == 0) {
				errf(err, cap, "key 'es_limits' entry %zu \"%s\": %s given twice", i, item,
					c->overrides[i].name);
				return -1;
			}
		}
	}
	c->noverrides = n;

	if (api->config_list_len(ctx, "stress_scenarios", &n) != TH_OK) {
		errf(err, cap, "key 'stress_scenarios': not a list of strings");
		return -1;
	}
	if (n > VAR_MAX_SCENARIOS) {
		errf(err, cap, "key 'stress_scenarios': at most %d entries, found %zu", VAR_MAX_SCENARIOS, n);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		item = NULL;
		if (api->config_list_at(ctx, "stress_scenarios", i, &item) != TH_OK ||
			var_parse_scenario(item, &c->scenarios[i], why, sizeof why) != 0) {
			errf(err, cap, "key 'stress_scenarios' entry %zu \"%s\": %s", i, item ? item : "?", why);
			return -1;
		}
		for (size_t j = 0; j < i; j++) {
			if (strcmp(c->scenarios[j].name, c->scenarios[i].name) == 0) {
				errf(err, cap, "key 'stress_scenarios' entry %zu: scenario name \"%s\" used twice", i,
					c->scenarios[i].name);
				return -1;
			}
		}
	}
	c->nscenarios = n;
	return 0;
}

int var_config_load(const th_host_api *api, th_ctx *ctx, var_config *c, char *err, size_t cap)
{
	int64_t interval_ms, publish_ms;
	memset(c, 0, sizeof *c);
	if (get_int(api, ctx, "window", 20, 5000, &c->window, err, cap) ||
		get_int(api, ctx, "min_history", 10, 5000, &c->min_history, err, cap) ||
		get_int(api, ctx, "max_stale_bars", 0, 1000, &c->max_stale_bars, err, cap) ||
		get_int(api, ctx, "horizon_bars", 1, 10000, &c->horizon_bars, err, cap) ||
		get_int(api, ctx, "bar_interval_ms", 0, 604800000, &interval_ms, err, cap) ||
		get_int(api, ctx, "publish_ms", 100, 86400000, &publish_ms, err, cap) ||
		get_int(api, ctx, "max_instruments", 1, 16384, &c->max_instruments, err, cap) ||
		get_int(api, ctx, "max_scopes", 3, 512, &c->max_scopes, err, cap) ||
		get_int(api, ctx, "stress_windows", 0, VAR_MAX_WINDOWS, &c->stress_windows, err, cap) ||
		get_int(api, ctx, "stress_window_bars", 1, 5000, &c->stress_window_bars, err, cap) ||
		get_money(api, ctx, "es_limit_host", &c->es_limit[VAR_SCOPE_HOST], err, cap) ||
		get_money(api, ctx, "es_limit_farm", &c->es_limit[VAR_SCOPE_FARM], err, cap) ||
		get_money(api, ctx, "es_limit_agent", &c->es_limit[VAR_SCOPE_AGENT], err, cap) ||
		get_bool(api, ctx, "allow_risk_reducing", &c->allow_risk_reducing, err, cap) ||
		get_bool(api, ctx, "sync_on_check", &c->sync_on_check, err, cap) ||
		get_bool(api, ctx, "publish_events", &c->publish_events, err, cap) ||
		get_bool(api, ctx, "metrics_per_scope", &c->metrics_per_scope, err, cap) ||
		get_double(api, ctx, "ewma_lambda", 0.5, 0.9999, &c->ewma_lambda, err, cap) ||
		get_double(api, ctx, "stress_vol_multiplier", 1.0, 100.0, &c->stress_vol_multiplier, err, cap))
		return -1;
	c->bar_interval_ns = interval_ms * 1000000LL;
	c->publish_ns = publish_ms * 1000000LL;
	if (c->min_history > c->window) {
		errf(err, cap, "key 'min_history' (%lld) must not exceed key 'window' (%lld)", (long long)c->min_history,
			(long long)c->window);
		return -1;
	}
	if (c->max_stale_bars >= c->window) {
		errf(err, cap, "key 'max_stale_bars' (%lld) must be below key 'window' (%lld)", (long long)c->max_stale_bars,
			(long long)c->window);
		return -1;
	}
	if (c->stress_window_bars > c->window) {
		errf(err, cap, "key 'stress_window_bars' (%lld) must not exceed key 'window' (%lld)",
			(long long)c->stress_window_bars, (long long)c->window);
		return -1;
	}
	return load_lists(api, ctx, c, err, cap);
}

th_money var_config_limit(const var_config *c, int kind, const char *name)
{
	for (size_t i = 0; i < c->noverrides; i++)
		if (c->overrides[i].kind == kind && strcmp(c->overrides[i].name, name) == 0)
			return c->overrides[i].limit;
	return (kind >= VAR_SCOPE_HOST && kind <= VAR_SCOPE_AGENT) ? c->es_limit[kind] : 0;
}

int var_config_has_limits(const var_config *c)
{
	if (c->es_limit[VAR_SCOPE_HOST] || c->es_limit[VAR_SCOPE_FARM] || c->es_limit[VAR_SCOPE_AGENT])
		return 1;
	for (size_t i = 0; i < c->noverrides; i++)
		if (c->overrides[i].limit > 0)
			return 1;
	return 0;
}
