/* Private to host/trading. */
#ifndef HOST_TRADING_INTERNAL_H
#define HOST_TRADING_INTERNAL_H

#include <event2/event.h>

#include "bus/bus.h"
#include "common/strmap.h"
#include "journal/journal.h"
#include "ledger/capital.h"
#include "ledger/goals.h"
#include "market/source.h"
#include "oms/oms.h"
#include "trading/trading.h"
#include "trading/trading_feed.h"

typedef struct last_price {
	th_price price;
	int32_t scale;
	char venue[TH_VENUE_MAX], symbol[TH_SYMBOL_MAX];
} last_price;

struct trading {
	host_t *host;
	bus_t *bus;
	trading_config cfg;
	trading_mode mode;
	journal_t *journal;
	capital_t *capital;
	oms_t *oms;
	feed feed;                 /* the market source plus mirror venues */
	int feed_open;
	struct event *journal_ev;  /* journal completions ready */
	th_event pending;          /* paper feed: the next event, due at pending.h.ts_ns */
	int have_pending;
	uint64_t feed_timer;
	last_price *prices;
	size_t nprices, cap_prices, last_hit;
	int64_t last_snapshot_ns;
	uint64_t bars, events;
	uint64_t intents, approved, denied;
	goals_t *goals;            /* NULL without [[goals]] */
	uint32_t goal_ids[TRADING_MAX_GOALS];   /* goals library id per configured goal (0 = finished) */
	int64_t goal_last_ppm[TRADING_MAX_GOALS];
	int64_t last_rebalance_ns;
	uint64_t events_seen;      /* backtest: events pulled from the source */
	double replay_seconds;     /* backtest: wall time of the replay loop */
};

/* Venue adapter for the OMS (trading_venues.c). */
const th_instrument *tv_instrument(void *ctx, const char *venue, const char *symbol);
int tv_submit(void *ctx, const char *venue, const th_order *order);
int tv_cancel(void *ctx, const char *venue, const char *clid);
int tv_query(void *ctx, const char *venue, const char *clid);

/* Intents -> farm -> risk plugins -> OMS (trading_pipeline.c). */
void trading_on_intent(void *arg, const th_event *ev);

/* Goals and scheduled rebalancing (trading_goals.c). */
int trading_goals_start(trading_t *t, int64_t now, char *err, size_t errlen);
void trading_goals_evaluate(trading_t *t, int64_t now);
void trading_rebalance(trading_t *t, int64_t now);

/* Market data bookkeeping (trading.c). */
void trading_on_market(void *arg, const th_event *ev);
th_price trading_last_price(void *ctx, const char *venue, const char *symbol, int32_t *scale);

#endif
