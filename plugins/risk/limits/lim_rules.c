/*
 * limits — the rule table (see lim_rules.h). The order of entries follows the
 * lim_rule enum; tests check it against the schema in lim_schema.c.
 */
#include "lim_rules.h"

#include <string.h>

#define A LIM_SCOPE_AGENT
#define F LIM_SCOPE_FARM
#define I LIM_SCOPE_INSTRUMENT
#define BIG INT64_MAX

/* The seven post-trade rules of one level. Per-instrument measures (position,
 * concentration share) may also be overridden per instrument; portfolio-wide
 * ones (gross, net, HHI, leverage) only per agent or farm. */
#define POST_RULES(lvl, scopes)                                                                  \
	{ lvl "_max_position_qty", LIM_K_QTY, (scopes) | I, TH_RISK_POSITION, 0, BIG },           \
	{ lvl "_max_position_notional", LIM_K_MONEY, (scopes) | I, TH_RISK_POSITION, 0, BIG },    \
	{ lvl "_max_gross_exposure", LIM_K_MONEY, (scopes), TH_RISK_EXPOSURE, 0, BIG },           \
	{ lvl "_max_net_exposure", LIM_K_MONEY, (scopes), TH_RISK_EXPOSURE, 0, BIG },             \
	{ lvl "_max_concentration_bps", LIM_K_INT, (scopes) | I, TH_RISK_CONCENTRATION, 1, 1000000 }, \
	{ lvl "_max_hhi", LIM_K_INT, (scopes), TH_RISK_CONCENTRATION, 1, 10000 },                 \
	{ lvl "_max_leverage", LIM_K_RATIO, (scopes), TH_RISK_LEVERAGE, 0, BIG }

const lim_rule_def lim_rules[LIM_RULE_COUNT] = {
	{ "max_order_notional", LIM_K_MONEY, A | F | I, TH_RISK_NOTIONAL, 0, BIG },
	{ "price_band_bps", LIM_K_INT, A | F | I, TH_RISK_PRICE_BAND, 1, 100000 },
	{ "conformity", LIM_K_BOOL, A | F | I, TH_RISK_CONFORMITY, 0, 1 },
	{ "self_trade_prevention", LIM_K_BOOL, A | F | I, TH_RISK_SELF_TRADE, 0, 1 },
	{ "max_open_orders", LIM_K_INT, A | F, TH_RISK_OPEN_ORDERS, 0, 1000000 },
	{ "max_orders_per_second", LIM_K_INT, A | F, TH_RISK_RATE, 1, 100000 },
	{ "max_orders_per_minute", LIM_K_INT, A | F, TH_RISK_RATE, 1, 1000000 },
	POST_RULES("agent", A | F),
	POST_RULES("farm", F),
	POST_RULES("host", 0),
};

int lim_rule_find(const char *key)
{
	for (int r = 0; r < LIM_RULE_COUNT; r++)
		if (strcmp(lim_rules[r].key, key) == 0)
			return r;
	return -1;
}
