/*
 * Trading: wires the market feed, the intent pipeline, the order manager,
 * the journal and the capital hierarchy into a running host, for paper/live
 * (real time, journaled, recovered on restart) and backtests (simulated
 * time, full speed, a report at the end).
 */
#ifndef HOST_TRADING_TRADING_H
#define HOST_TRADING_TRADING_H

#include <stddef.h>
#include <stdint.h>

#include "runtime/host.h"
#include "trading/trading_config.h"

typedef struct trading trading_t;

typedef enum trading_mode { TRADING_PAPER = 0, TRADING_BACKTEST = 1 } trading_mode;

/* Create after host_start (venues and strategies are running). Paper:
 * opens the journal under <state_dir>/journal, replays it, makes the first
 * deposit on a fresh journal, reconciles open orders with the venues and
 * starts the real-time feed. Backtest: no journal, simulated clock. */
trading_t *trading_create(host_t *h, const trading_config *cfg, trading_mode mode, char *err, size_t errlen);
int trading_start(trading_t *t, char *err, size_t errlen);
void trading_stop(trading_t *t);     /* stop the feed; orders stay as they are */
void trading_destroy(trading_t *t);  /* closes (syncs) the journal */

/* Backtest: replay the whole source at full speed, then write the report
 * (report.json, report.html) into cfg->out_dir. Returns 0 or -1 with err. */
int trading_backtest(trading_t *t, const char *config_path, char *err, size_t errlen);
/* Machine-readable progress for a parent process (`tradehost backtest
 * --progress-fd N`): lines "progress <bars> <total>" (total 0 = unknown) about
 * every 1 % of the run, and a last one when the replay ends. -1 = off. */
void trading_backtest_progress_fd(int fd);

/* Benchmark baseline: only pull the same events from the source (no bus,
 * no venue, no agents); reports how many bars and the wall time. */
int trading_decode_only(trading_t *t, uint64_t *bars, double *seconds, char *err, size_t errlen);

/* Read side for other host parts. */
struct oms;
struct capital;
struct oms *trading_oms(trading_t *t);
struct capital *trading_capital(trading_t *t);

/* An operator's order for an agent (REST API, host/api): the same path an
 * agent's intent takes — the agent's farm is stamped on it, trading states
 * and pauses apply, every risk instance checks it, the decision is published
 * and journaled, then the OMS places it — decided synchronously. The farm's
 * coordinator is skipped (an operator's order is not put to the farm's vote
 * or leader). A CANCEL / CANCEL_ALL intent goes straight to the OMS (cancels
 * are never blocked). Returns 1 placed (or cancel sent), 0 denied (by a
 * trading state, a pause or a risk instance; `reason` says which and why),
 * -1 refused by the OMS (`reason` has its error). */
int trading_submit_manual(trading_t *t, const th_event *intent, char *reason, size_t cap);

/* The configured [[goals]] for the front door: the i-th goal's figures.
 * Returns 0 and fills *out, 1 if the goal finished before a restart (only
 * out->spec and out->state are set), -1 past the end. */
struct goals_info;
int trading_goal_at(trading_t *t, size_t i, struct goals_info *out);
/* Risk pipeline counters (for /metrics): intents approved and denied, and
 * the denials per th_risk_reason in by_reason[0..cap). Returns how many
 * reason slots exist (copies min(cap, that)). */
size_t trading_decision_counts(const trading_t *t, uint64_t *approved, uint64_t *denied, uint64_t *by_reason,
	size_t cap);

#endif
