/*
 * The order manager (OMS): the only way an order reaches a venue.
 *
 *   approved intent -> validate against the instrument -> reserve capital ->
 *   journal ORDER_NEW -> (durable) -> venue submit -> order events / fills from
 *   the venue -> journal -> capital -> re-published to the owning agent.
 *
 * Invariants:
 *  - an order is sent only after its ORDER_NEW record is durable;
 *  - client order ids are deterministic ("<prefix><counter>", the counter
 *    rebuilt from the journal) and never reused, so a resend is idempotent;
 *  - a fill is applied once per (order, venue_trade_id) (the order names
 *    its venue): a venue replaying a fill is ignored; a fill of an order
 *    that is not ours, or names another venue, is never booked;
 *  - after a restart every order whose outcome is not known is queried by
 *    client order id, never resent; trading stays halted until every query is
 *    answered; an order the venue never received is closed as rejected;
 *  - a journal write or fsync failure halts trading for good (no retry).
 *
 * The OMS is a library on the loop thread; the host provides venues and the
 * bus through oms_env so the OMS can be tested against fakes.
 */
#ifndef HOST_OMS_OMS_H
#define HOST_OMS_OMS_H

#include <stddef.h>
#include <stdint.h>
#include <tradehost/th_event.h>
#include <tradehost/th_status.h>

#include "journal/journal.h"
#include "ledger/capital.h"
#include "ledger/goals.h"

typedef struct oms oms_t;

typedef struct oms_env {
	void *ctx;
	int64_t (*now_ns)(void *ctx);
	/* Venue calls (exchange plugin table of the instance named `venue`). */
	const th_instrument *(*instrument)(void *ctx, const char *venue, const char *symbol);
	int (*submit)(void *ctx, const char *venue, const th_order *order);
	int (*cancel)(void *ctx, const char *venue, const char *client_order_id);
	int (*query)(void *ctx, const char *venue, const char *client_order_id);
	/* Publish an event on the bus (copied). */
	int (*publish)(void *ctx, const th_event *ev);
	/* Last known price for a symbol (for reserving market orders); 0 if none. */
	th_price (*last_price)(void *ctx, const char *venue, const char *symbol, int32_t *price_scale);
} oms_env;

typedef struct oms_options {
	const char *clid_prefix;        /* default "th"; at most 8 characters */
	int64_t market_reserve_bps;     /* extra reserved on market/stop orders over the last price, default 100 */
	int64_t fee_reserve_bps;        /* fee budget reserved per order, default 10 */
	int64_t requery_ns;             /* re-query unanswered reconciliation queries, default 1 s */
} oms_options;

typedef enum oms_halt_reason {
	OMS_RUNNING = 0,
	OMS_HALT_RECONCILING = 1,  /* unresolved orders after restart: waiting for the venues */
	OMS_HALT_JOURNAL = 2,      /* journal failure: nothing durable can be written */
	OMS_HALT_OPERATOR = 3      /* kill switch / operator */
} oms_halt_reason;

/* `journal` may be NULL (backtests): records are then "durable" at once and
 * nothing survives the process. The OMS does not own the journal or capital. */
oms_t *oms_create(const oms_env *env, const oms_options *opt, journal_t *journal, capital_t *capital, char *err,
	size_t errlen);
void oms_destroy(oms_t *o);

/* Startup: replay the journal into OMS and capital state (call before any
 * other capital operation), then oms_reconcile() once venues are running. */
int oms_recover(oms_t *o, char *err, size_t errlen);
int oms_reconcile(oms_t *o);

/* Capital operations that must survive restarts go through the OMS so they
 * are journaled. */
int oms_deposit(oms_t *o, th_money amount, char *err, size_t errlen);
int oms_allocate(oms_t *o, const char *from, const char *to, th_money amount, char *err, size_t errlen);
int oms_collect_profits(oms_t *o, const char *wallet, char *err, size_t errlen);
/* Rebalance a scope ("master" or a farm) by rule (CAPITAL_RULE_*): applied
 * by the capital hierarchy and journaled as the transfers it made, so a
 * restart replays exactly the same movements. */
int oms_rebalance(oms_t *o, const char *scope, int rule, int64_t now_ns, char *err, size_t errlen);
int oms_set_allocation(oms_t *o, const char *wallet, th_money amount, char *err, size_t errlen);
int oms_set_weight(oms_t *o, const char *wallet, double weight, char *err, size_t errlen);

/* Paused agents or farms get no new orders (cancels still pass). Journaled. */
int oms_set_paused(oms_t *o, const char *name, int paused);
int oms_is_paused(const oms_t *o, const char *agent, const char *farm);

/* Trading states per scope (th_state_scope, th_trading_state), journaled so
 * they survive restarts. Unset scopes are ACTIVE. */
int oms_set_trading_state(oms_t *o, int scope, const char *name, int state);
int oms_trading_state(const oms_t *o, int scope, const char *name);
/* Iterate the scopes that are not ACTIVE: returns 0 past the end. */
int oms_trading_state_at(const oms_t *o, size_t i, int *scope, const char **name, int *state);

/* The risk pipeline's verdict on an intent, journaled for the audit trail. */
int oms_journal_decision(oms_t *o, const th_event *intent, int approved, uint32_t reason, const char *who,
	const char *message);

/* Goals from the configuration that already finished (journaled), so a
 * restart does not re-arm them: returns TH_GOAL_HIT / TH_GOAL_MISSED or 0. */
int oms_goal_done(oms_t *o, uint32_t index, int state);
int oms_goal_state(const oms_t *o, uint32_t index);

/* Goals created at runtime (the REST API), journaled so they survive a
 * restart under the same id (1, 2, 3 ... never reused, rebuilt from the
 * journal). The OMS keeps each definition as the operator gave it
 * (`kind`, `value`, `action` are the API's words for the spec) and how it
 * ended; evaluating them is the caller's job (goals.h), which re-arms the
 * active ones at start and reports the end with oms_api_goal_end(). */
typedef struct oms_api_goal {
	uint32_t id;
	goals_spec spec;
	char kind[16], value[40], action[16];
	int64_t created_ns;
	int state;              /* 0 active, TH_GOAL_HIT or TH_GOAL_MISSED */
	int64_t progress_ppm;   /* when it ended */
} oms_api_goal;

/* Journals `def` as a new goal (def->id and state ignored): *id gets its id.
 * 0, or -1 with err (journal failed). */
int oms_api_goal_create(oms_t *o, const oms_api_goal *def, uint32_t *id, char *err, size_t errlen);
/* Replaces the definition of goal def->id (its state stays). */
int oms_api_goal_update(oms_t *o, const oms_api_goal *def, char *err, size_t errlen);
int oms_api_goal_delete(oms_t *o, uint32_t id, char *err, size_t errlen);
/* The goal was hit or missed (TH_GOAL_HIT / TH_GOAL_MISSED): final. */
int oms_api_goal_end(oms_t *o, uint32_t id, int state, int64_t progress_ppm, char *err, size_t errlen);
/* NULL when unknown (or deleted). */
const oms_api_goal *oms_api_goal_get(const oms_t *o, uint32_t id);
/* In id order; NULL past the end. */
const oms_api_goal *oms_api_goal_at(const oms_t *o, size_t i);

/* An intent the risk pipeline approved. `approved` must come from the
 * pipeline; max_qty > 0 scales the order down. Returns TH_OK when the order
 * was accepted for sending (or canceled), else an error with err set and a
 * TH_EV_ORDER REJECTED published to the agent. */
int oms_submit(oms_t *o, const th_event *intent, th_qty max_qty, char *err, size_t errlen);

/* Venue reports: call for every TH_EV_ORDER / TH_EV_FILL a venue publishes. */
void oms_on_venue_event(oms_t *o, const th_event *ev);

/* Drive async journal completions (the host calls this when the journal's
 * notify fd is readable, and the backtest after each step). */
void oms_poll(oms_t *o);
/* Re-query unanswered reconciliation queries (the host calls it from a timer). */
void oms_tick(oms_t *o);

oms_halt_reason oms_halted(const oms_t *o);
void oms_set_operator_halt(oms_t *o, int halted);
const char *oms_halt_text(const oms_t *o);

/* Cancel every open order (kill switch, shutdown policies). */
size_t oms_cancel_all(oms_t *o, const char *agent_or_null);

/* Read side. */
typedef struct oms_order_view {
	const char *client_order_id, *agent, *farm, *venue;
	const th_order *order;
	uint32_t state;         /* th_order_state */
	th_qty filled_qty;
	int64_t created_ns, updated_ns;
	const char *reason;
} oms_order_view;
size_t oms_order_count(const oms_t *o);
int oms_order_at(const oms_t *o, size_t i, oms_order_view *out);
size_t oms_open_order_count(const oms_t *o);
/* The orders that are not final: call oms_open_orders() first (it drops
 * the finished ones and returns how many remain), then read them with
 * oms_open_order_at(o, 0 .. n-1). */
size_t oms_open_orders(oms_t *o);
int oms_open_order_at(const oms_t *o, size_t k, oms_order_view *out);
uint64_t oms_fill_count(const oms_t *o);
uint64_t oms_sent_count(const oms_t *o);

#endif
