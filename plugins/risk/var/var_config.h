/*
 * var_config — the plugin's schema and the validated configuration read from
 * it. Everything that can be inconsistent across keys (min_history above
 * window, a stress window longer than the window, a malformed stress scenario
 * or limit override) is refused here, at create, naming the key.
 */
#ifndef PLUGINS_RISK_VAR_CONFIG_H
#define PLUGINS_RISK_VAR_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <tradehost/tradehost.h>

#define VAR_MAX_SCENARIOS 16  /* stress_scenarios entries */
#define VAR_MAX_SHOCKS 32     /* KEY=shock pairs per scenario */
#define VAR_MAX_OVERRIDES 64  /* es_limits entries */
#define VAR_MAX_WINDOWS 8     /* stress_windows (k) */
#define VAR_KEY_MAX (TH_VENUE_MAX + TH_SYMBOL_MAX) /* "venue:symbol" incl. NUL */

/* The scopes ES is computed and limited for. Values follow th_state_scope. */
typedef enum var_scope_kind {
	VAR_SCOPE_HOST = TH_SCOPE_HOST,   /* the whole portfolio: wallet "total" */
	VAR_SCOPE_FARM = TH_SCOPE_FARM,
	VAR_SCOPE_AGENT = TH_SCOPE_AGENT
} var_scope_kind;

typedef struct var_shock {
	char key[VAR_KEY_MAX]; /* "*", an asset ("BTC"), a symbol ("BTC-USDT") or "venue:symbol" */
	double shock;          /* relative price move, e.g. -0.2 */
} var_shock;

typedef struct var_scenario {
	char name[TH_NAME_MAX];
	var_shock shocks[VAR_MAX_SHOCKS];
	size_t nshocks;
} var_scenario;

typedef struct var_limit_override {
	int kind;                /* VAR_SCOPE_FARM or VAR_SCOPE_AGENT */
	char name[TH_NAME_MAX];
	th_money limit;          /* 0 = no limit for this one */
} var_limit_override;

typedef struct var_config {
	int64_t window;            /* scenarios kept (bars) */
	int64_t min_history;       /* fewest scenarios an ES may use */
	int64_t max_stale_bars;    /* bars an instrument may miss before its data is stale */
	int64_t horizon_bars;      /* sqrt-of-time horizon */
	int64_t bar_interval_ns;   /* 0 = adopt the first bar's interval */
	int64_t publish_ns;
	int64_t max_instruments;
	int64_t max_scopes;
	int64_t stress_windows;    /* k worst windows */
	int64_t stress_window_bars;/* n bars per window */
	th_money es_limit[4];      /* by var_scope_kind; 0 = no limit */
	var_limit_override overrides[VAR_MAX_OVERRIDES];
	size_t noverrides;
	int allow_risk_reducing;
	int sync_on_check;
	int publish_events;
	int metrics_per_scope;
	double ewma_lambda;
	double stress_vol_multiplier;
	var_scenario scenarios[VAR_MAX_SCENARIOS];
	size_t nscenarios;
} var_config;

extern const th_config_field var_schema[];

/* Reads and validates; on failure writes a message naming the key into err. */
int var_config_load(const th_host_api *api, th_ctx *ctx, var_config *c, char *err, size_t errcap);

/* The limit that applies to a scope (override first, then the kind's default). */
th_money var_config_limit(const var_config *c, int kind, const char *name);
/* 1 if any scope can have a limit (else the plugin only measures). */
int var_config_has_limits(const var_config *c);

/* Parsers, exposed for the tests. Return 0, or -1 with a reason in err. */
int var_parse_scenario(const char *text, var_scenario *out, char *err, size_t errcap);
int var_parse_override(const char *text, var_limit_override *out, char *err, size_t errcap);

#endif
