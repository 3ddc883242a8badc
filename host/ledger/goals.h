/*
 * goals — targets on an agent, a farm or the whole host, evaluated against
 * the capital hierarchy (capital.h), with actions on hit or miss.
 *
 * A goal measures from the moment it is created (its baseline):
 *   profit      net PnL since start = (equity - flow) now - at start, i.e.
 *               realized - fees + change in unrealized, funding excluded
 *   return      profit x 10000 / equity at start, in basis points
 *               (never met when the equity at start was <= 0)
 *   trades      trades finished since start (capital.h defines a trade)
 *   win rate    wins x 10000 / trades since start, in bp (needs >= 1 trade)
 *   drawdown    the largest fall of the target's nav from its peak since
 *               start, in bp, over every equity snapshot since start and the
 *               live nav at each evaluation
 *
 * Criteria (spec.criteria bits): PROFIT, RETURN, TRADES, WIN_RATE are
 * targets, all of which must be met; DRAWDOWN is a ceiling; DEADLINE a time.
 * The seeds' "200 trades with a $5 profit target each" is
 * TRADES = 200 AND PROFIT >= 200 x $5.
 *
 * goals_evaluate() reports each transition exactly once:
 *   MISSED (drawdown)  the drawdown since start exceeded the ceiling;
 *   HIT                every target met, at or before the deadline;
 *   MISSED (deadline)  now > deadline with a target unmet.
 * A goal with a deadline and no targets (a "survive until" goal) is HIT
 * once now > deadline without breaching its ceiling. The drawdown check
 * comes first, so a goal whose targets are met in the same evaluation in
 * which the ceiling is breached is MISSED. Finished goals stay readable and
 * are never evaluated again. Active goals whose figures changed since
 * their last event get a PROGRESS event.
 *
 * Actions (per goal, one set on hit, one on miss), applied in this order
 * through the capital API before the event is delivered:
 *   COLLECT      capital_collect_profits(target) (host: every farm)
 *   SET_AMOUNT   capital_set_allocation(target, amount)  (agent / farm)
 *   SET_WEIGHT   capital_set_weight(target, weight)      (agent / farm)
 *   PAUSE        goals_is_paused() is true for the target from then on;
 *                the OMS stops the target's new orders. goals_resume()
 *                lifts it.
 * A failing action does not stop the others; the first failure is in the
 * event (action_status, action_error).
 *
 * Pure and deterministic like capital: goals are kept in id order (ids 1, 2,
 * 3 ... never reused), time comes in as now_ns, and every call that changes
 * state is an operation the host journals (evaluate included, with its now).
 */
#ifndef HOST_LEDGER_GOALS_H
#define HOST_LEDGER_GOALS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ledger/capital.h"

typedef struct goals goals_t;

typedef enum goals_scope {
	GOALS_SCOPE_AGENT = 1,
	GOALS_SCOPE_FARM = 2,
	GOALS_SCOPE_HOST = 3 /* target "" : the "total" wallet */
} goals_scope;

/* goals_spec.criteria */
#define GOALS_PROFIT 0x01u   /* profit >= spec.profit (> 0) */
#define GOALS_RETURN 0x02u   /* return >= spec.return_bps (> 0) */
#define GOALS_TRADES 0x04u   /* trades >= spec.trades (> 0) */
#define GOALS_WIN_RATE 0x08u /* win rate >= spec.win_rate_bps (1..10000) */
#define GOALS_DRAWDOWN 0x10u /* drawdown > spec.max_drawdown_bps (>= 0) misses */
#define GOALS_DEADLINE 0x20u /* spec.deadline_ns, after the creation time */
#define GOALS_TARGETS (GOALS_PROFIT | GOALS_RETURN | GOALS_TRADES | GOALS_WIN_RATE)

/* goals_actions.flags */
#define GOALS_ACT_COLLECT 0x1u
#define GOALS_ACT_PAUSE 0x2u
#define GOALS_ACT_SET_WEIGHT 0x4u
#define GOALS_ACT_SET_AMOUNT 0x8u

typedef struct goals_actions {
	uint32_t flags;
	double weight;   /* SET_WEIGHT: the target's new fixed-rule weight */
	th_money amount; /* SET_AMOUNT: the target's new allocated capital */
} goals_actions;

typedef struct goals_spec {
	char label[64];           /* free text for people */
	int scope;                /* goals_scope */
	char target[TH_NAME_MAX]; /* agent or farm name; "" for the host */
	uint32_t criteria;
	th_money profit;
	int64_t return_bps;
	uint32_t trades;
	int64_t win_rate_bps;
	int64_t max_drawdown_bps;
	int64_t deadline_ns;
	goals_actions on_hit, on_miss;
} goals_spec;

typedef enum goals_state { GOALS_ACTIVE = 1, GOALS_HIT = 2, GOALS_MISSED = 3 } goals_state;
typedef enum goals_miss { GOALS_MISS_NONE = 0, GOALS_MISS_DEADLINE = 1, GOALS_MISS_DRAWDOWN = 2 } goals_miss;

typedef struct goals_metrics {
	th_money profit;
	int64_t return_bps;
	uint32_t trades, wins, losses;
	int64_t win_rate_bps;
	int64_t drawdown_bps; /* max since start */
} goals_metrics;

/* Progress 0..1 per criterion (1 = met; 0 for criteria not set);
 * drawdown = drawdown / ceiling (may exceed 1 when breached);
 * time = share of the time to the deadline elapsed; overall = the smallest
 * progress of the target criteria (1 when the goal has none). */
typedef struct goals_progress {
	double profit, ret, trades, win_rate, drawdown, time, overall;
} goals_progress;

typedef struct goals_info {
	uint32_t id;
	goals_spec spec;
	int state;                /* goals_state */
	int miss_reason;          /* goals_miss */
	int64_t start_ns, end_ns; /* end_ns: when it was hit or missed, else 0 */
	th_money start_equity;
	goals_metrics m;          /* as of the last evaluation */
	goals_progress p;
} goals_info;

typedef enum goals_event_kind { GOALS_EV_PROGRESS = 1, GOALS_EV_HIT = 2, GOALS_EV_MISSED = 3 } goals_event_kind;

typedef struct goals_event {
	int kind;                 /* goals_event_kind */
	int64_t now_ns;
	goals_info goal;          /* state after the transition */
	int action_status;        /* TH_OK, or the first failing action's status */
	char action_error[200];
} goals_event;

/* Runs inside goals_evaluate: it may read goals and capital, but must not
 * create, update or delete goals. */
typedef void (*goals_cb)(void *arg, const goals_event *ev);

goals_t *goals_new(void);
void goals_free(goals_t *g);

/* CRUD. create validates the spec (criteria values, target exists with the
 * right kind, deadline after now, at least one target or a deadline) and
 * takes the baseline from `c` at now_ns. */
int goals_create(goals_t *g, const capital_t *c, const goals_spec *spec, int64_t now_ns, uint32_t *id, char *err,
	size_t errlen);
int goals_get(const goals_t *g, uint32_t id, goals_info *out);
/* Replaces criteria, values, label and actions; scope and target cannot
 * change (delete and create instead). A finished goal stays finished. */
int goals_update(goals_t *g, const capital_t *c, uint32_t id, const goals_spec *spec, char *err, size_t errlen);
int goals_delete(goals_t *g, uint32_t id);
/* Ids in increasing order; returns how many goals exist. */
size_t goals_list(const goals_t *g, uint32_t *ids, size_t max);

/* Evaluates every active goal in id order (see above). `cb` may be NULL.
 * Returns the number of HIT / MISSED transitions, or a negative status. */
int goals_evaluate(goals_t *g, capital_t *c, int64_t now_ns, goals_cb cb, void *arg);

/* True when the host, `name` itself, or (for an agent) its farm is paused. */
bool goals_is_paused(const goals_t *g, const capital_t *c, const char *name);
/* Pause / resume by hand ("" = the host). resume of a name not paused is TH_OK. */
int goals_pause(goals_t *g, const char *name);
int goals_resume(goals_t *g, const char *name);

/* Canonical text of all goals and pauses (for replay comparison); malloc'd. */
char *goals_dump(const goals_t *g, size_t *len);

#endif
