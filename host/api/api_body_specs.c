/* The request bodies of the REST routes: one spec per body, used by the
 * route table (decoding) and the OpenAPI document (schemas). */
#include "api/api_body_specs.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const scopes_goal[] = { "agent", "farm", "host", NULL };
static const char *const goal_kinds[] = { "profit", "return", "trades", "win_rate", "drawdown", NULL };
static const char *const goal_actions[] = { "none", "pause", "collect", NULL };
static const char *const sides[] = { "buy", "sell", NULL };
static const char *const order_types[] = { "market", "limit", "stop", "stop_limit", NULL };
static const char *const tifs[] = { "gtc", "ioc", "fok", "post_only", NULL };
static const char *const risk_scopes[] = { "host", "farm", "agent", "instrument", NULL };
static const char *const risk_states[] = { "active", "reducing", "halted", NULL };
static const char *const rules[] = { "configured", "fixed", "equal", "perf_sharpe", "perf_invvol", NULL };

const api_body_spec api_spec_empty = { "Empty", NULL, 0 };

static const api_field transfer_fields[] = {
	{ "from", API_F_STRING, 1, NULL, 0, 31, 0, 0, "wallet giving the cash: \"master\", a farm or an agent" },
	{ "to", API_F_STRING, 1, NULL, 0, 31, 0, 0, "wallet receiving it (parent or child of `from`)" },
	{ "amount", API_F_DECIMAL, 1, NULL, 0, 0, 8, API_DEC_POSITIVE, "quote amount, e.g. \"1000\"" },
};
const api_body_spec api_spec_transfer = { "TransferRequest", transfer_fields, N(transfer_fields) };

static const api_field allocation_fields[] = {
	{ "amount", API_F_DECIMAL, 1, NULL, 0, 0, 8, API_DEC_NONNEG, "the wallet's new allocated capital" },
};
const api_body_spec api_spec_allocation = { "AllocationRequest", allocation_fields, N(allocation_fields) };

static const api_field rebalance_fields[] = {
	{ "scope", API_F_STRING, 1, NULL, 0, 31, 0, 0, "\"master\" (over the farms) or a farm (over its agents)" },
	{ "rule", API_F_ENUM, 0, rules, 0, 0, 0, 0, "default: the rule configured for the scope" },
};
const api_body_spec api_spec_rebalance = { "RebalanceRequest", rebalance_fields, N(rebalance_fields) };

static const api_field goal_fields[] = {
	{ "scope", API_F_ENUM, 1, scopes_goal, 0, 0, 0, 0, NULL },
	{ "target", API_F_STRING, 0, NULL, 0, 31, 0, 0, "agent or farm name; omitted for the host" },
	{ "kind", API_F_ENUM, 1, goal_kinds, 0, 0, 0, 0, NULL },
	{ "value", API_F_DECIMAL, 1, NULL, 0, 0, 8, API_DEC_POSITIVE,
		"profit: quote amount; return, win_rate, drawdown: percent (\"5\" = 5 %); trades: a count" },
	{ "deadline_ms", API_F_INT, 0, NULL, 0, INT64_MAX / 1000000, 0, 0, "unix ms; 0 or omitted = none" },
	{ "action", API_F_ENUM, 0, goal_actions, 0, 0, 0, 0,
		"applied when the goal is hit (drawdown: when the ceiling is breached); default none" },
	{ "label", API_F_STRING, 0, NULL, 0, 63, 0, 0, NULL },
};
const api_body_spec api_spec_goal = { "GoalRequest", goal_fields, N(goal_fields) };

static const api_field goal_update_fields[] = {
	{ "value", API_F_DECIMAL, 0, NULL, 0, 0, 8, API_DEC_POSITIVE, NULL },
	{ "deadline_ms", API_F_INT, 0, NULL, 0, INT64_MAX / 1000000, 0, 0, "unix ms; 0 = none" },
	{ "action", API_F_ENUM, 0, goal_actions, 0, 0, 0, 0, NULL },
	{ "label", API_F_STRING, 0, NULL, 0, 63, 0, 0, NULL },
};
const api_body_spec api_spec_goal_update = { "GoalUpdate", goal_update_fields, N(goal_update_fields) };

static const api_field order_fields[] = {
	{ "agent", API_F_STRING, 1, NULL, 0, 31, 0, 0, "an existing agent; its sub-wallet pays" },
	{ "venue", API_F_STRING, 1, NULL, 0, 15, 0, 0, NULL },
	{ "symbol", API_F_STRING, 1, NULL, 0, 23, 0, 0, NULL },
	{ "side", API_F_ENUM, 1, sides, 0, 0, 0, 0, NULL },
	{ "type", API_F_ENUM, 1, order_types, 0, 0, 0, 0, NULL },
	{ "qty", API_F_DECIMAL, 1, NULL, 0, 0, 18, API_DEC_POSITIVE, "at most the instrument's qty decimals" },
	{ "price", API_F_DECIMAL, 0, NULL, 0, 0, 18, API_DEC_POSITIVE, "limit price (limit, stop_limit)" },
	{ "stop_price", API_F_DECIMAL, 0, NULL, 0, 0, 18, API_DEC_POSITIVE, "trigger (stop, stop_limit)" },
	{ "tif", API_F_ENUM, 0, tifs, 0, 0, 0, 0, "default gtc (ioc for market orders)" },
};
const api_body_spec api_spec_order = { "OrderRequest", order_fields, N(order_fields) };

static const api_field risk_state_fields[] = {
	{ "scope", API_F_ENUM, 1, risk_scopes, 0, 0, 0, 0, NULL },
	{ "name", API_F_STRING, 0, NULL, 0, 40, 0, 0, "farm, agent or \"venue:symbol\"; omitted for the host" },
	{ "state", API_F_ENUM, 1, risk_states, 0, 0, 0, 0, NULL },
	{ "reason", API_F_STRING, 0, NULL, 0, 200, 0, 0, NULL },
};
const api_body_spec api_spec_risk_state = { "RiskStateRequest", risk_state_fields, N(risk_state_fields) };

static const api_field reason_fields[] = {
	{ "reason", API_F_STRING, 0, NULL, 0, 200, 0, 0, NULL },
};
const api_body_spec api_spec_reason = { "ReasonRequest", reason_fields, N(reason_fields) };

static const api_field backtest_fields[] = {
	{ "bars", API_F_INT, 0, NULL, 1, 100000000, 0, 0, "synthetic market: bars per symbol" },
	{ "from", API_F_STRING, 0, NULL, 0, 40, 0, 0, "UTC, e.g. 2026-01-01T00:00:00Z" },
	{ "to", API_F_STRING, 0, NULL, 0, 40, 0, 0, "UTC, exclusive" },
	{ "seed", API_F_INT, 0, NULL, 0, INT64_MAX, 0, 0, "synthetic market seed" },
};
const api_body_spec api_spec_backtest = { "BacktestRequest", backtest_fields, N(backtest_fields) };

const api_body_spec *const api_body_specs[] = {
	&api_spec_empty, &api_spec_transfer, &api_spec_allocation, &api_spec_rebalance, &api_spec_goal,
	&api_spec_goal_update, &api_spec_order, &api_spec_risk_state, &api_spec_reason, &api_spec_backtest, NULL,
};
