/*
 * bench_risk --host real / both: the risk plugins read the host's own
 * portfolio code instead of the fake portfolio's table.
 *
 * The book of rb_world (1,000 agent positions over 500 instruments, 10 agents
 * in 2 farms) is booked into a real capital hierarchy (host/ledger: every
 * position a fill, agents funded through the master and farm wallets), and a
 * real trading_view (host/trading/trading_view.c, what the host's portfolio
 * provider answers with) is put over it. The plugins' instrument(),
 * last_price(), wallet_stats() and positions() go to that view, the way
 * host_api.c hands them to the provider. Each bar round sets the view's last
 * prices and marks the capital hierarchy, as trading_on_market() does.
 *
 * What stays fake: the venue behind instrument() (the view indexes the
 * world's instrument list as it would a venue instance's), open_orders()
 * (the OMS's list), and the host clock and config of each plugin.
 */
#ifndef BENCH_RISK_RB_HOST_H
#define BENCH_RISK_RB_HOST_H

#include <stddef.h>

#include "ledger/capital.h"
#include "rb_plugins.h"
#include "rb_world.h"
#include "trading/trading_view.h"

typedef struct rb_host {
	rb_world *world;
	capital_t *capital;
	trading_view *view;
} rb_host;

/* The world's book as capital: 20 M USDT deposited, 10 M per farm, 2 M per
 * agent (the fake wallets' equities), every position filled at its price.
 * Exits the benchmark with a message on any refusal. */
capital_t *rb_host_book(const rb_world *w);

/* Book + view + the world's last prices. 0, or -1 with err filled. */
int rb_host_init(rb_host *h, rb_world *w, char *err, size_t cap);
void rb_host_free(rb_host *h);

/* Points p's instrument / last_price / wallet_stats / positions slots at h
 * (one rb_host per process: the slots have no argument for it). */
void rb_host_install(rb_host *h, rb_plugin *p);

/* After rb_world_bar_round: last prices and marks for every instrument. */
void rb_host_on_bars(rb_host *h);

#endif
