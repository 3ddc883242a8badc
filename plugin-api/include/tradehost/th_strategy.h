/*
 * tradehost SDK — strategy agents.
 *
 * A strategy instance is an agent: it subscribes to market data through the
 * host bus in start(), and publishes TH_EV_INTENT events (what it wants to
 * trade) and TH_EV_AGENT_MSG events (why). The host stamps h.agent with the
 * instance name; the farm coordinator and the risk pipeline decide what
 * becomes an order. Strategies never talk to venues.
 *
 * What comes back, for the agent's own intents (subscribe with .agent set to
 * the instance name; these events carry TH_EVENT_FLAG_OMS):
 *   - TH_EV_RISK: the pipeline's decision on each intent (intent_id); a denied
 *     intent produces no order at all;
 *   - TH_EV_ORDER: every state of each order (u.order.intent_id names the
 *     intent; REJECTED also when the OMS refused it: tick, lot, capital ...);
 *   - TH_EV_FILL: each execution (the agent's position is the sum of these).
 * Everything published from a handler or a timer is delivered after it
 * returns, never inside publish().
 * The table may grow through minor versions (append-only; check struct_size).
 * Depends on the C standard headers only.
 */
#ifndef TRADEHOST_TH_STRATEGY_H
#define TRADEHOST_TH_STRATEGY_H

#include <stddef.h>
#include <stdint.h>

typedef struct th_strategy_api {
	uint32_t struct_size; /* sizeof(th_strategy_api) as compiled */
	/* Optional: write a short account of the agent's current view (indicator
	 * values, the rule it is waiting for) into buf (NUL-terminated, at most
	 * cap bytes, owned by the caller). */
	int (*explain)(void *instance, char *buf, size_t cap);
} th_strategy_api;

#endif
