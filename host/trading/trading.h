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

/* Benchmark baseline: only pull the same events from the source (no bus,
 * no venue, no agents); reports how many bars and the wall time. */
int trading_decode_only(trading_t *t, uint64_t *bars, double *seconds, char *err, size_t errlen);

/* Read side for other host parts. */
struct oms;
struct capital;
struct oms *trading_oms(trading_t *t);
struct capital *trading_capital(trading_t *t);

#endif
