/*
 * limits — the table of rules: one entry per configurable limit, naming its
 * config key, the kind of value it takes, the reason code a denial carries
 * and the scopes that may override it. Configuration parsing, override
 * resolution and the schema test are all driven by this table.
 */
#ifndef LIMITS_LIM_RULES_H
#define LIMITS_LIM_RULES_H

#include <stdint.h>

#include <tradehost/tradehost.h>

/* Post-trade rules exist once per level: the agent's wallet, its farm's
 * wallet, the whole host ("total"). */
typedef enum lim_level { LIM_LEVEL_AGENT = 0, LIM_LEVEL_FARM = 1, LIM_LEVEL_HOST = 2, LIM_LEVEL_COUNT = 3 } lim_level;

/* What a post-trade rule measures (same order in every level). */
typedef enum lim_measure {
	LIM_M_POSITION_QTY = 0,
	LIM_M_POSITION_NOTIONAL,
	LIM_M_GROSS,
	LIM_M_NET,
	LIM_M_CONCENTRATION,
	LIM_M_HHI,
	LIM_M_LEVERAGE,
	LIM_M_COUNT
} lim_measure;

typedef enum lim_rule {
	/* order-level rules */
	LIM_R_ORDER_NOTIONAL = 0,
	LIM_R_PRICE_BAND,
	LIM_R_CONFORMITY,
	LIM_R_SELF_TRADE,
	LIM_R_OPEN_ORDERS,
	LIM_R_RATE_SECOND,
	LIM_R_RATE_MINUTE,
	/* post-trade rules: LIM_R_POST + level * LIM_M_COUNT + measure */
	LIM_R_POST,
	LIM_RULE_COUNT = LIM_R_POST + LIM_LEVEL_COUNT * LIM_M_COUNT
} lim_rule;

#define LIM_POST_RULE(level, measure) ((int)LIM_R_POST + (int)(level) * (int)LIM_M_COUNT + (int)(measure))

/* How a rule's value is written and stored (every value is an int64). */
typedef enum lim_kind {
	LIM_K_MONEY = 1, /* decimal at TH_MONEY_SCALE */
	LIM_K_QTY,       /* decimal at LIM_QTY_SCALE, instrument units */
	LIM_K_INT,       /* integer (counts, bps) */
	LIM_K_RATIO,     /* decimal at LIM_RATIO_SCALE (leverage) */
	LIM_K_BOOL       /* 0 / 1 */
} lim_kind;

#define LIM_QTY_SCALE 8
#define LIM_RATIO_SCALE 4

/* Which override lists may set a rule. */
#define LIM_SCOPE_AGENT 0x1u
#define LIM_SCOPE_FARM 0x2u
#define LIM_SCOPE_INSTRUMENT 0x4u

/* A numeric rule switched off (unset key, or "off" in an override). */
#define LIM_OFF INT64_MAX

typedef struct lim_rule_def {
	const char *key;
	uint32_t kind;     /* lim_kind */
	uint32_t scopes;   /* LIM_SCOPE_* allowed in overrides */
	uint32_t reason;   /* th_risk_reason of a denial */
	int64_t min, max;  /* inclusive bounds of the stored value */
} lim_rule_def;

extern const lim_rule_def lim_rules[LIM_RULE_COUNT];

/* The plugin's configuration schema (the host validates against it). */
extern const th_config_field lim_schema[];

/* Rule index of a key, or -1. */
int lim_rule_find(const char *key);

#endif
