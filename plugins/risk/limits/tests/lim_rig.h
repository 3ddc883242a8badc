/*
 * limits tests — a rig around the fake host: the plugin created through its
 * descriptor with the config the test set, a fake portfolio (instruments,
 * last prices, wallets, positions, open orders, farms), and intent builders.
 *
 * Scales used everywhere: price 2 digits (PX(20000) = 20000.00), quantity 4
 * digits (QTY(0.5) = 0.5000), money 8 digits (M(1000) = 1000.00000000).
 */
#ifndef LIMITS_TESTS_LIM_RIG_H
#define LIMITS_TESTS_LIM_RIG_H

#include <stdint.h>

#include <tradehost/tradehost.h>

#include "fake_host.h"
#include "fake_portfolio.h"

#define PS 2
#define QS 4
#define PX(x) ((th_price)((x) * 100.0 + ((x) >= 0 ? 0.5 : -0.5)))
#define QTY(x) ((th_qty)((x) * 10000.0 + ((x) >= 0 ? 0.5 : -0.5)))
#define M(x) ((th_money)((x) * 100000000.0 + ((x) >= 0 ? 0.5 : -0.5)))
#define SEC 1000000000LL

typedef struct rig {
	fake_host h;
	fake_portfolio pf;
	void *inst;
	const th_plugin_desc *desc;
	const th_risk_api *risk;
	uint64_t next_intent;
} rig;

/* Fake host and portfolio with instruments sim:BTCUSDT, sim:ETHUSDT, sim:SOLUSDT
 * (tick 0.01, lot 0.0001, no minimums), farms alpha = {marcus, alex},
 * beta = {sophia}, and no config yet. */
void rig_init(rig *r);
/* create + start; returns create's status (the error text is in r->h.error). */
int rig_start(rig *r);
/* stop + destroy, checks every allocation was freed. */
void rig_end(rig *r);

/* A PLACE intent of `agent` on sim:symbol (farm left for the host stamp: ""). */
th_event rig_intent(rig *r, const char *agent, const char *symbol, uint32_t side, uint32_t type, th_price price,
	th_qty qty);
th_event rig_limit(rig *r, const char *agent, uint32_t side, th_price price, th_qty qty); /* BTCUSDT */
th_event rig_market(rig *r, const char *agent, uint32_t side, th_qty qty);               /* BTCUSDT */

/* Run check(); asserts it returned TH_OK and gives the verdict. */
th_risk_verdict rig_check(rig *r, const th_event *ev);
/* Shorthands: assert approved / denied with `reason`. */
void rig_expect_ok(rig *r, const th_event *ev);
void rig_expect_deny(rig *r, const th_event *ev, uint32_t reason);

/* Wallet with the given equity, gross, net (other figures 0). */
void rig_wallet(rig *r, const char *wallet, th_money equity, th_money gross, th_money net, uint32_t positions);
/* Resting limit order of `agent`. */
void rig_resting(rig *r, const char *agent, const char *symbol, uint32_t side, th_price price, th_qty qty);
/* Tell the plugin an order/fill happened (cache invalidation). */
void rig_fill_event(rig *r);

#endif
