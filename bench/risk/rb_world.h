/*
 * bench_risk — the synthetic book the three risk plugins look at, held in
 * one shared fake_portfolio (tests/support):
 *
 *   500 instruments sim:S000-USDT .. sim:S499-USDT (price scale 2, qty scale 6,
 *   tick 0.01, lot 0.001);
 *   10 agents a0..a9 in 2 farms (f0: a0..a4 on instruments 0..249,
 *   f1: a5..a9 on 250..499), each holding 100 positions, so 1,000 open agent
 *   positions; every instrument is held by two agents of its farm. The farm
 *   wallets f0 / f1 hold the per-instrument sums (up to 250 each: a sum that
 *   cancels to 0 is flat), "total" all of them (up to 500).
 *   4 resting limit orders per agent, far from the market (never crossed).
 *   Wallet figures for every agent, farm and "total": gross / net from the
 *   positions at the last prices, equity constant and equal to the peak (no
 *   drawdown level is in force, so every intent passes all three plugins).
 *
 * One-minute bars move every price by a random walk of at most +-0.5 %; the
 * last prices in the portfolio and the wallet figures follow each round.
 */
#ifndef BENCH_RISK_RB_WORLD_H
#define BENCH_RISK_RB_WORLD_H

#include <stdint.h>

#include <tradehost/tradehost.h>

#include "fake_portfolio.h"

#define RB_VENUE "sim"
#define RB_NINST 500
#define RB_NFARMS 2
#define RB_AGENTS_PER_FARM 5
#define RB_NAGENTS (RB_NFARMS * RB_AGENTS_PER_FARM)
#define RB_POS_PER_AGENT 100
#define RB_ORDERS_PER_AGENT 4
#define RB_PRICE_SCALE 2
#define RB_QTY_SCALE 6
#define RB_BAR_NS 60000000000LL
/* First bar slot: its close, (slot + 1) x 1 min, is just after the fake host's initial clock. */
#define RB_SLOT0 28333334LL

typedef struct rb_world {
	fake_portfolio pf;
	char symbol[RB_NINST][TH_SYMBOL_MAX];
	char agent[RB_NAGENTS][TH_NAME_MAX];
	char farm[RB_NFARMS][TH_NAME_MAX];
	th_price px[RB_NINST];              /* last close, RB_PRICE_SCALE */
	int held[RB_NAGENTS][RB_POS_PER_AGENT]; /* instrument index of each agent position */
	th_qty qty[RB_NAGENTS][RB_POS_PER_AGENT];
	int64_t next_slot;                  /* slot of the next bar round */
	uint64_t rng;
} rb_world;

/* Fills the portfolio (instruments, last prices, positions, wallets, orders, farms). */
void rb_world_init(rb_world *w, uint64_t seed);

/* Host time at which the next bar round closes (deliver it then). */
int64_t rb_world_next_close_ns(const rb_world *w);

/* One bar (the next slot) for every instrument: prices move, each bar is
 * handed to deliver(arg, bar), then the portfolio's last prices and wallet
 * figures follow. */
void rb_world_bar_round(rb_world *w, void (*deliver)(void *arg, const th_event *bar), void *arg);

/* A limit intent every plugin approves: a random agent (its farm stamped as
 * the host does), half the time an instrument it holds, else any; random
 * side; 1-5 units within two ticks of the last price. */
void rb_world_intent(rb_world *w, th_event *ev, uint64_t intent_id);

uint64_t rb_world_rand(rb_world *w);

/* Non-flat positions of a wallet as its figures report them (an aggregate
 * is flat where the two agents' positions cancel). */
uint32_t rb_world_positions(const rb_world *w, const char *wallet);

#endif
