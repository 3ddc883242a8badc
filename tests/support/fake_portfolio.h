/*
 * The ABI 1.1 portfolio and trading-state slots of the fake host, backed by
 * plain arrays the test fills: instruments, last prices, wallet stats,
 * positions, open orders, agent farms, trading states, and a log of the
 * set_trading_state / reduce_exposure calls a risk plugin made.
 */
#ifndef TESTS_SUPPORT_FAKE_PORTFOLIO_H
#define TESTS_SUPPORT_FAKE_PORTFOLIO_H

#include <tradehost/tradehost.h>

#define FAKE_PF_MAX 2048 /* bench_risk: 1,000 agent positions + farm and host aggregates */

typedef struct fake_state_entry {
	int scope;
	char name[64];
	int state;
	char reason[128];
} fake_state_entry;

typedef struct fake_reduce_call {
	int scope;
	char name[64];
	uint32_t step_bps;
} fake_reduce_call;

typedef struct fake_portfolio {
	th_instrument instruments[FAKE_PF_MAX];
	size_t ninstruments;
	struct { char venue[TH_VENUE_MAX], symbol[TH_SYMBOL_MAX]; th_price price; int32_t scale; } prices[FAKE_PF_MAX];
	size_t nprices;
	struct { char wallet[TH_NAME_MAX]; th_wallet_stats stats; } wallets[FAKE_PF_MAX];
	size_t nwallets;
	struct { char wallet[TH_NAME_MAX]; th_position pos; } positions[FAKE_PF_MAX];
	size_t npositions;
	struct { char agent[TH_NAME_MAX]; char venue[TH_VENUE_MAX]; th_order order; } orders[FAKE_PF_MAX];
	char default_venue[TH_VENUE_MAX]; /* venue of orders added by fake_pf_order ("" = "sim") */
	size_t norders;
	struct { char agent[TH_NAME_MAX], farm[TH_NAME_MAX]; } farms[FAKE_PF_MAX];
	size_t nfarms;
	fake_state_entry states[FAKE_PF_MAX];
	size_t nstates;
	fake_reduce_call reduces[FAKE_PF_MAX];
	size_t nreduces;
} fake_portfolio;

struct fake_host;
/* Installs the 1.1 slots on the fake host's table, backed by `pf` (borrowed). */
void fake_portfolio_attach(struct fake_host *h, fake_portfolio *pf);

/* Helpers to fill it. */
void fake_pf_price(fake_portfolio *pf, const char *venue, const char *symbol, th_price price, int32_t scale);
void fake_pf_wallet(fake_portfolio *pf, const char *wallet, const th_wallet_stats *stats);
/* A position of `wallet` (agent or aggregate name). */
void fake_pf_position(fake_portfolio *pf, const char *wallet, const char *venue, const char *symbol, th_qty qty,
	th_price avg, int32_t price_scale, int32_t qty_scale);
void fake_pf_order(fake_portfolio *pf, const char *agent, const th_order *order);
void fake_pf_farm(fake_portfolio *pf, const char *agent, const char *farm);
int fake_pf_state(const fake_portfolio *pf, int scope, const char *name);

#endif
