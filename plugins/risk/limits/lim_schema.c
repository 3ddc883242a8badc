/*
 * limits — configuration schema. Numeric limits have no default: an unset key
 * switches its rule off host-wide (overrides may still switch it on for one
 * agent, farm or instrument). Bounds here match lim_rules.c (a test checks).
 */
#include "lim_rules.h"

#define MONEY(key, what) { key, TH_CONFIG_DECIMAL, 0, NULL, "0", NULL, what " (quote currency; unset: off)" }

#define POST_FIELDS(lvl, whose)                                                                              \
	{ lvl "_max_position_qty", TH_CONFIG_DECIMAL, 0, NULL, "0", NULL,                                        \
		"largest post-trade |position| of " whose " in one instrument, in instrument units (unset: off)" }, \
	MONEY(lvl "_max_position_notional", "largest post-trade |position| x last price of " whose " in one instrument"), \
	MONEY(lvl "_max_gross_exposure", "largest post-trade gross exposure (sum of |position value|) of " whose),          \
	MONEY(lvl "_max_net_exposure", "largest post-trade |net exposure| (sum of signed position values) of " whose),      \
	{ lvl "_max_concentration_bps", TH_CONFIG_INT, 0, NULL, "1", "1000000",                                  \
		"largest post-trade |position value| in one instrument as a share of the equity of " whose ", bps (unset: off)" }, \
	{ lvl "_max_hhi", TH_CONFIG_INT, 0, NULL, "1", "10000",                                                  \
		"largest post-trade Herfindahl index of the position values of " whose ", 0-10000 (unset: off)" },  \
	{ lvl "_max_leverage", TH_CONFIG_DECIMAL, 0, NULL, "0", NULL,                                            \
		"largest post-trade gross exposure / equity of " whose ", e.g. \"3\" (unset: off)" }

const th_config_field lim_schema[] = {
	MONEY("max_order_notional", "largest notional of one order"),
	{ "price_band_bps", TH_CONFIG_INT, 0, NULL, "1", "100000",
		"fat-finger band: a limit price may differ from the last price by at most this many bps (unset: off)" },
	{ "conformity", TH_CONFIG_BOOL, 0, "true", NULL, NULL,
		"check tick, lot, min quantity and min notional against the venue's instrument definition" },
	{ "self_trade_prevention", TH_CONFIG_BOOL, 0, "true", NULL, NULL,
		"deny an order that would cross a resting order of this host (any agent) on the same symbol" },
	{ "max_open_orders", TH_CONFIG_INT, 0, NULL, "0", "1000000",
		"most open orders one agent may have, counting the new one (unset: off)" },
	{ "max_orders_per_second", TH_CONFIG_INT, 0, NULL, "1", "100000",
		"most orders one agent may place in any sliding 1 s window of the host clock (unset: off)" },
	{ "max_orders_per_minute", TH_CONFIG_INT, 0, NULL, "1", "1000000",
		"most orders one agent may place in any sliding 60 s window of the host clock (unset: off)" },
	POST_FIELDS("agent", "the ordering agent"),
	POST_FIELDS("farm", "the agent's farm"),
	POST_FIELDS("host", "the whole host"),
	{ "hhi_min_positions", TH_CONFIG_INT, 0, "3", "2", "1000000",
		"the HHI rules apply only when the wallet holds at least this many positions after the trade" },
	{ "cache_max_age_ms", TH_CONFIG_INT, 0, "1000", "0", "60000",
		"re-read cached positions and open orders at least this often even without order/fill events (0: every check)" },
	{ "agent_overrides", TH_CONFIG_STRING_LIST, 0, "[]", NULL, NULL,
		"per-agent limits, \"AGENT:rule=value\" (value \"off\" switches the rule off), e.g. \"marcus:max_order_notional=5000\"" },
	{ "farm_overrides", TH_CONFIG_STRING_LIST, 0, "[]", NULL, NULL,
		"per-farm limits, \"FARM:rule=value\", applying to the farm and every agent in it" },
	{ "instrument_overrides", TH_CONFIG_STRING_LIST, 0, "[]", NULL, NULL,
		"per-instrument limits, \"VENUE:SYMBOL:rule=value\", e.g. \"sim:BTCUSDT:agent_max_position_qty=2\"" },
	{ "restricted", TH_CONFIG_STRING_LIST, 0, "[]", NULL, NULL,
		"instruments nobody may trade (\"VENUE:SYMBOL\", '*' for a whole part), or one agent or farm may not "
		"(\"agent:NAME=VENUE:SYMBOL\", \"farm:NAME=VENUE:SYMBOL\")" },
	TH_CONFIG_END,
};
