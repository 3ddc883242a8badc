/* THE route table of the REST API. api_register() registers every entry on
 * the front door's HTTP server and the OpenAPI document is generated from
 * the same table (api_openapi.c), so the two cannot drift apart. */
#include "api/api_body_specs.h"
#include "api/api_internal.h"

/* Response schemas: JSON Schema text; "#/components/schemas/X" are in api_schemas.c. */
#define REF(x) "{\"$ref\":\"#/components/schemas/" x "\"}"
#define LIST(key, x) \
	"{\"type\":\"object\",\"required\":[\"" key "\"],\"properties\":{\"" key "\":{\"type\":\"array\",\"items\":" REF(x) "}}}"
#define PAGE(key, x)                                                                                          \
	"{\"type\":\"object\",\"required\":[\"" key "\",\"next_cursor\"],\"properties\":{\"" key                 \
	"\":{\"type\":\"array\",\"items\":" REF(x) "},\"next_cursor\":{\"type\":\"string\"}}}"
#define PAGING "limit:integer:1..500, default 100;cursor:string:next_cursor of the previous page"

const api_route api_routes[] = {
	/* health, plugins, configuration (api_health.c) */
	{ "GET", "/health", AUTH_PUBLIC, API_HEALTH_ROLE, api_h_health, NULL, NULL, 200, REF("Health"), NULL,
		"liveness, version, uptime and mode", NULL },
	{ "GET", "/ready", AUTH_PUBLIC, API_HEALTH_ROLE, api_h_ready, NULL, NULL, 200, REF("Ready"), NULL,
		"ready to trade (503 with a reason while reconciling or halted by a journal failure)", "503" },
	{ "GET", "/openapi.json", AUTH_PUBLIC, 0, api_h_openapi, NULL, NULL, 200, "{\"type\":\"object\"}", NULL,
		"this document", NULL },
	{ "GET", "/me", AUTH_VIEWER, 0, api_h_me, NULL, NULL, 200, REF("Me"), NULL, "the calling token's name and role",
		NULL },
	{ "GET", "/plugins", AUTH_VIEWER, 0, api_h_plugins, NULL, NULL, 200, LIST("plugins", "Plugin"), NULL,
		"plugin instances", NULL },
	{ "POST", "/plugins/reload", AUTH_ADMIN, 0, api_h_reload, &api_spec_empty, NULL, 200, REF("ReloadResult"),
		NULL, "re-read the configuration and rescan plugins (hot swap)", NULL },
	{ "GET", "/config", AUTH_ADMIN, 0, api_h_config, NULL, NULL, 200, "{\"type\":\"object\"}", NULL,
		"the running configuration, secrets redacted as \\\"***\\\"", NULL },
	{ "GET", "/ws", AUTH_VIEWER, 0, api_h_ws, NULL, NULL, 101, NULL, NULL,
		"WebSocket upgrade (topics: market:<symbol>, orders, fills, positions, equity, risk, goals, alerts, "
		"decisions); ?access_token= is accepted here", "400,426" },

	/* farms, agents, wallets (api_capital.c) */
	{ "GET", "/farms", AUTH_VIEWER, API_NEEDS_TRADING, api_h_farms, NULL, NULL, 200, LIST("farms", "Farm"), NULL,
		"farms with their agents and wallet", "503" },
	{ "GET", "/farms/{name}", AUTH_VIEWER, API_NEEDS_TRADING, api_h_farm, NULL, NULL, 200, REF("Farm"), NULL,
		"one farm", "404,503" },
	{ "POST", "/farms/{name}/pause", AUTH_TRADER, API_NEEDS_TRADING, api_h_farm_pause, &api_spec_empty, NULL, 200,
		REF("Paused"), NULL, "stop new orders of every agent of the farm (journaled)", "404,503" },
	{ "POST", "/farms/{name}/resume", AUTH_TRADER, API_NEEDS_TRADING, api_h_farm_resume, &api_spec_empty, NULL,
		200, REF("Paused"), NULL, "lift the farm's pause (journaled)", "404,503" },
	{ "GET", "/agents", AUTH_VIEWER, API_NEEDS_TRADING, api_h_agents, NULL, NULL, 200, LIST("agents", "Agent"),
		NULL, "agents (strategy instances with a farm)", "503" },
	{ "GET", "/agents/{name}", AUTH_VIEWER, API_NEEDS_TRADING, api_h_agent, NULL, NULL, 200, REF("AgentDetail"),
		NULL, "one agent with its positions and open order count", "404,503" },
	{ "POST", "/agents/{name}/pause", AUTH_TRADER, API_NEEDS_TRADING, api_h_agent_pause, &api_spec_empty, NULL,
		200, REF("Paused"), NULL, "stop the agent's new orders (journaled)", "404,503" },
	{ "POST", "/agents/{name}/resume", AUTH_TRADER, API_NEEDS_TRADING, api_h_agent_resume, &api_spec_empty, NULL,
		200, REF("Paused"), NULL, "lift the agent's pause (journaled)", "404,503" },
	{ "GET", "/wallets", AUTH_VIEWER, API_NEEDS_TRADING, api_h_wallets, NULL, NULL, 200, REF("WalletList"), NULL,
		"every wallet (master, farms, agents) and the host total", "503" },
	{ "GET", "/wallets/{name}", AUTH_VIEWER, API_NEEDS_TRADING, api_h_wallet, NULL, NULL, 200, REF("Wallet"),
		NULL, "one wallet (also \\\"total\\\")", "404,503" },
	{ "POST", "/wallets/transfer", AUTH_TRADER, API_NEEDS_TRADING, api_h_transfer, &api_spec_transfer, NULL, 200,
		REF("TransferResult"), NULL, "move cash along one edge of the hierarchy (journaled)", "404,409,503" },
	{ "POST", "/wallets/{name}/allocation", AUTH_TRADER, API_NEEDS_TRADING, api_h_allocation,
		&api_spec_allocation, NULL, 200, REF("Wallet"), NULL, "set a farm's or agent's allocated capital (journaled)",
		"404,409,503" },
	{ "POST", "/wallets/rebalance", AUTH_TRADER, API_NEEDS_TRADING, api_h_rebalance, &api_spec_rebalance, NULL,
		200, REF("WalletList"), NULL, "rebalance a scope's children by its rule (journaled)", "404,409,503" },

	/* goals (api_goals.c) */
	{ "GET", "/goals", AUTH_VIEWER, API_NEEDS_TRADING, api_h_goals, NULL, NULL, 200, LIST("goals", "Goal"), NULL,
		"configured goals (id cfg-N) and goals created here (id g-N, journaled: kept across restarts)", "503" },
	{ "POST", "/goals", AUTH_TRADER, API_NEEDS_TRADING, api_h_goal_create, &api_spec_goal, NULL, 201, REF("Goal"),
		NULL, "create a goal (journaled: it keeps its id across restarts; a finished goal stays finished)", "404,409,503" },
	{ "GET", "/goals/{id}", AUTH_VIEWER, API_NEEDS_TRADING, api_h_goal_get, NULL, NULL, 200, REF("Goal"), NULL,
		"one goal", "404,503" },
	{ "PUT", "/goals/{id}", AUTH_TRADER, API_NEEDS_TRADING, api_h_goal_update, &api_spec_goal_update, NULL, 200,
		REF("Goal"), NULL, "update value, deadline, action or label (configured or finished goals: 409)", "404,409,503" },
	{ "DELETE", "/goals/{id}", AUTH_TRADER, API_NEEDS_TRADING, api_h_goal_delete, NULL, NULL, 200, REF("Deleted"),
		NULL, "delete a goal (configured goals: 409)", "404,409,503" },

	/* orders (api_orders.c) */
	{ "GET", "/orders", AUTH_VIEWER, API_NEEDS_TRADING, api_h_orders, NULL,
		"state:string:open|closed|all (default all);agent:string:;venue:string:;symbol:string:;" PAGING, 200,
		PAGE("orders", "Order"), NULL, "orders, newest first", "503" },
	{ "POST", "/orders", AUTH_TRADER, API_NEEDS_TRADING, api_h_order_place, &api_spec_order, NULL, 202,
		REF("Order"), NULL, "place a manual order for an agent through the risk pipeline", "404,422,503" },
	{ "GET", "/orders/{id}", AUTH_VIEWER, API_NEEDS_TRADING, api_h_order_get, NULL, NULL, 200, REF("Order"), NULL,
		"one order by client order id", "404,503" },
	{ "DELETE", "/orders/{id}", AUTH_TRADER, API_NEEDS_TRADING, api_h_order_cancel, NULL, NULL, 202, REF("Order"),
		NULL, "cancel an open order", "404,409,503" },

	/* market and portfolio (api_market.c) */
	{ "GET", "/fills", AUTH_VIEWER, API_NEEDS_TRADING, api_h_fills, NULL, "agent:string:;symbol:string:;" PAGING,
		200, PAGE("fills", "Fill"), NULL, "recent fills (kept in memory since start), newest first", "503" },
	{ "GET", "/positions", AUTH_VIEWER, API_NEEDS_TRADING, api_h_positions, NULL, NULL, 200,
		LIST("positions", "Position"), NULL, "every agent's open positions", "503" },
	{ "GET", "/balances", AUTH_VIEWER, API_NEEDS_TRADING, api_h_balances, NULL, NULL, 200,
		LIST("balances", "Balance"), NULL, "quote balances per wallet", "503" },
	{ "GET", "/instruments", AUTH_VIEWER, 0, api_h_instruments, NULL, NULL, 200,
		LIST("instruments", "Instrument"), NULL, "instruments of every venue", NULL },
	{ "GET", "/market/{symbol}/bars", AUTH_VIEWER, API_NEEDS_TRADING, api_h_bars, NULL,
		"venue:string:default the market venue;limit:integer:1..1000, default 500", 200, REF("Bars"), NULL,
		"recent bars (a ring kept by the host)", "404,503" },
	{ "GET", "/alerts", AUTH_VIEWER, 0, api_h_alerts, NULL, "limit:integer:1..500, default 100", 200,
		LIST("alerts", "Alert"), NULL, "recent alerts, newest first", NULL },
	{ "GET", "/decisions", AUTH_VIEWER, 0, api_h_decisions, NULL, "agent:string:;limit:integer:1..500, default 100",
		200, LIST("decisions", "Decision"), NULL, "recent agent messages, newest first", NULL },

	/* risk (api_risk.c) */
	{ "GET", "/risk", AUTH_VIEWER, API_NEEDS_TRADING, api_h_risk, NULL, NULL, 200, REF("Risk"), NULL,
		"trading states, breakers, VaR figures, limits and decision counters", "503" },
	{ "POST", "/risk/state", AUTH_ADMIN, API_NEEDS_TRADING, api_h_risk_state, &api_spec_risk_state, NULL, 200,
		REF("RiskStateResult"), NULL, "set a scope's trading state (journaled)", "404,409,503" },
	{ "POST", "/risk/kill", AUTH_ADMIN, API_NEEDS_TRADING, api_h_risk_kill, &api_spec_reason, NULL, 200,
		REF("KillResult"), NULL, "kill switch: halt everything, cancel every open order", "409,503" },
	{ "POST", "/risk/resume", AUTH_ADMIN, API_NEEDS_TRADING, api_h_risk_resume, &api_spec_reason, NULL, 200,
		REF("KillResult"), NULL, "re-arm after a kill (host state active)", "409,503" },

	/* backtests (api_backtests.c) */
	{ "GET", "/backtests", AUTH_VIEWER, 0, api_h_backtests, NULL, NULL, 200, LIST("backtests", "Backtest"), NULL,
		"backtests started since the host started (reports stay in <state_dir>/backtests)", NULL },
	{ "POST", "/backtests", AUTH_TRADER, 0, api_h_backtest_start, &api_spec_backtest, NULL, 202, REF("Backtest"),
		NULL, "run a backtest of the running configuration in a child process", "429,503" },
	{ "GET", "/backtests/{id}", AUTH_VIEWER, 0, api_h_backtest_get, NULL, NULL, 200, REF("Backtest"), NULL,
		"one backtest", "404" },
	{ "GET", "/backtests/{id}/report", AUTH_VIEWER, 0, api_h_backtest_report, NULL, NULL, 200,
		"{\"type\":\"object\"}", NULL, "report.json of a finished backtest", "404,409" },
	{ "GET", "/backtests/{id}/report.html", AUTH_VIEWER, 0, api_h_backtest_report_html, NULL, NULL, 200,
		"{\"type\":\"string\"}", "text/html", "the HTML report of a finished backtest", "404,409" },
};

const size_t api_route_count = sizeof api_routes / sizeof api_routes[0];
