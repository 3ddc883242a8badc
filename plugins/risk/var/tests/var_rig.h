/*
 * Test rig for the var plugin: the plugin (linked in as var_core) on the fake
 * host with a fake portfolio, plus a test-side record of every close fed, so
 * tests can recompute returns, VaR and ES on their own.
 */
#ifndef PLUGINS_RISK_VAR_TESTS_RIG_H
#define PLUGINS_RISK_VAR_TESTS_RIG_H

#include <stddef.h>
#include <stdint.h>

#include "fake_host.h"
#include "fake_portfolio.h"

#define RIG_INTERVAL 60000000000LL /* 1-minute bars */
#define RIG_SLOT0 28333334LL        /* first slot after the fake clock's start */
#define RIG_MAX_BARS 400
#define RIG_MAX_SYMBOLS 4

typedef struct rig_series {
	char symbol[24];
	int64_t slot[RIG_MAX_BARS];
	th_price close[RIG_MAX_BARS]; /* scale 2 */
	size_t n;
} rig_series;

typedef struct rig {
	fake_host h;
	fake_portfolio pf;
	const th_plugin_desc *desc;
	const th_risk_api *risk;
	void *inst;
	int started;
	rig_series series[RIG_MAX_SYMBOLS];
	uint64_t seed;
} rig;

/* Fake host "var" with the plugin's schema; sets window 50, min_history 20,
 * publish_ms 60000 unless the test overrides them (later fake_config wins). */
void rig_init(rig *r);
int rig_create(rig *r);  /* desc->create; returns its status */
void rig_start(rig *r);  /* create (must succeed) + start */
void rig_free(rig *r);   /* stop, destroy, and check nothing leaked */

/* One bar of venue "sim" at `slot` (close at scale 2): the clock moves to the
 * bar's end first, then the bar is delivered. */
void rig_bar(rig *r, const char *symbol, int64_t slot, th_price close);
/* `count` bars of each symbol, slots from `first`, closes a deterministic
 * random walk (+-3 %) continuing each series. */
void rig_walk(rig *r, const char *const *symbols, size_t nsym, int64_t first, size_t count);
rig_series *rig_find(rig *r, const char *symbol);
th_price rig_last(rig *r, const char *symbol);
/* The return of `symbol` over its k-th newest bar (k = 0 newest), computed
 * here from the recorded closes. */
double rig_ret(rig *r, const char *symbol, size_t k);

/* Fires the refresh timer once (moves the clock by publish_ms = 1 bar). */
void rig_refresh(rig *r);

/* Sets a wallet's quantity (scale 8) of sim:symbol, adding the entry if new. */
void rig_pos(rig *r, const char *wallet, const char *symbol, th_qty qty);
/* The same quantity for the agent, its farm and "total". */
void rig_pos3(rig *r, const char *agent, const char *farm, const char *symbol, th_qty qty);
/* An OMS fill event of `agent` (positions must already be updated). */
void rig_fill(rig *r, const char *agent, const char *symbol);

/* A PLACE intent on sim:symbol from agent/farm; price 0 = market. */
th_risk_verdict rig_check(rig *r, const char *agent, const char *farm, const char *symbol, int side, th_price price,
	th_qty qty);

/* Money value (scale 8) of qty (scale 8) at close (scale 2): qty*close/100. */
int64_t rig_value(th_qty qty, th_price close);

/* Independent ES / VaR from a vector of scenario P&L in money (double):
 * sorts the losses; ES at 97.5 % = mean of the worst n*2.5 % with the
 * boundary scenario weighted by its fraction; VaR = ceil(n*a)-th smallest loss. */
double rig_es975(const double *pnl, size_t n);
double rig_var(const double *pnl, size_t n, double conf);

#endif
