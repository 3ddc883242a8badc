/*
 * drawdown tests — a fake host with a portfolio: agent "alice" in farm
 * "trend" trading BTC-USDT on venue "sim" (price scale 2, qty scale 6, lot
 * 0.001, min_qty 0.002). Every wallet (alice, trend, total) starts at equity =
 * peak = 1000 USDT, flat. Default levels: agent 10/20/30 %, farm 5/10/15 %,
 * host 3/6/10 %.
 */
#ifndef DRAWDOWN_TESTS_DD_TEST_UTIL_H
#define DRAWDOWN_TESTS_DD_TEST_UTIL_H

#include <tradehost/tradehost.h>

#include "fake_host.h"
#include "fake_portfolio.h"

#define USDT 100000000LL  /* 1 USDT at TH_MONEY_SCALE */
#define BTC 1000000LL     /* 1 BTC at qty scale 6 */
#define SEC 1000000000LL

typedef struct dd_rig {
	fake_host h;
	fake_portfolio pf;
	void *inst;
} dd_rig;

const th_plugin_desc *dd_desc(void);
const th_risk_api *dd_api(void);

/* Host, portfolio and wallets; no instance yet (set config first). */
void rig_init(dd_rig *r);
/* create + start; fails the test with the host error if create fails. */
void rig_start(dd_rig *r);
/* create only: returns the status, the instance in r->inst on success. */
int rig_create(dd_rig *r);
/* stop + destroy, and check the instance gave back all its memory. */
void rig_stop(dd_rig *r);
/* rig_stop, then fake_host_free. */
void rig_free(dd_rig *r);

/* Wallet figures: equity and peak in money units; positions / open orders counts. */
void rig_wallet(dd_rig *r, const char *wallet, th_money equity, th_money peak, uint32_t positions, uint32_t open_orders);
/* alice's position in BTC-USDT (signed, qty scale 6). */
void rig_position(dd_rig *r, th_qty qty);

th_event rig_intent(const char *agent, const char *farm, uint32_t side, th_qty qty);
/* Runs check() on a fresh verdict and returns it. */
th_risk_verdict rig_check(dd_rig *r, uint32_t side, th_qty qty);
th_risk_verdict rig_check_ev(dd_rig *r, const th_event *ev);

/* Move host time forward by `ns`, firing due timers. */
void rig_advance(dd_rig *r, int64_t ns);
/* Fire timers due now (e.g. the evaluation scheduled by check()). */
void rig_settle(dd_rig *r);

int rig_state(const dd_rig *r, int scope, const char *name);
size_t rig_count_alerts(const dd_rig *r, const char *code);

#endif
