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
#include "trading/trading_view.h"

#define COORD_BALLOT_MAX 16
typedef struct coord_ballot {      /* a voting farm's intents for the current round */
	th_event intents[COORD_BALLOT_MAX];
	size_t n;
} coord_ballot;

#define COORD_DIRECTIONS_MAX 128
typedef struct coord_direction {   /* a hierarchical farm's leader direction per symbol */
	int farm;
	char symbol[TH_SYMBOL_MAX];
	uint32_t side;
} coord_direction;

struct trading {
	host_t *host;
	host_sim_clock *sim;   /* the host's simulated clock; NULL on the wall clock */
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
	trading_view *view;        /* last prices, instruments, wallet figures for risk plugins */
	const void *venue_checked[2]; /* the live venue instance and kind table last found to be an exchange */
	uint64_t bars;
	uint64_t intents, approved, denied;
	coord_ballot *ballots;     /* one per farm */
	coord_direction directions[COORD_DIRECTIONS_MAX];
	size_t ndirections;
	goals_t *goals;            /* NULL without [[goals]] */
	uint32_t goal_ids[TRADING_MAX_GOALS];   /* goals library id per configured goal (0 = finished) */
	int64_t goal_last_ppm[TRADING_MAX_GOALS];
	int64_t last_rebalance_ns;
	int flatten_pending;
	uint64_t denials_by_reason[32]; /* th_risk_reason -> count */       /* an emergency farm must be flattened once trading runs */
	uint64_t events_seen;      /* backtest: events pulled from the source */
	double replay_seconds;     /* backtest: wall time of the replay loop */
};

/* Venue adapter for the OMS (trading_venues.c). */
const th_instrument *tv_instrument(void *ctx, const char *venue, const char *symbol);
int tv_list(void *ctx, const char *venue, const void *const known[2], const void *owner[2], const th_instrument **list,
	size_t *n);
int tv_submit(void *ctx, const char *venue, const th_order *order);
int tv_cancel(void *ctx, const char *venue, const char *clid);
int tv_query(void *ctx, const char *venue, const char *clid);

/* Intents -> farm coordinator -> risk plugins -> OMS (trading_pipeline.c,
 * trading_coord.c). */
void trading_on_intent(void *arg, const th_event *ev);
void trading_coordinate(trading_t *t, const th_event *intent);
void trading_on_coord_flush(void *arg, const th_event *ev);
void trading_flatten_farm(trading_t *t, const char *farm);
int trading_intent_reduces(trading_t *t, const th_event *intent);
/* After the coordinator: risk plugins in order, then the OMS. coord_max_qty
 * > 0 caps the quantity; `who` names a coordinator that approved it. */
void trading_proceed(trading_t *t, const th_event *intent, th_qty coord_max_qty, const char *who);
void trading_deny(trading_t *t, const th_event *intent, uint32_t reason, const char *message, const char *who);

/* Portfolio views and trading-state control for risk plugins and the
 * operator (trading_provider.c). */
void trading_install_provider(trading_t *t);
int trading_set_state(trading_t *t, int scope, const char *name, int state, const char *reason, const char *who);
int trading_reduce_exposure(trading_t *t, int scope, const char *name, uint32_t step_bps);

/* Goals and scheduled rebalancing (trading_goals.c). */
int trading_goals_start(trading_t *t, int64_t now, char *err, size_t errlen);
void trading_goals_evaluate(trading_t *t, int64_t now);
void trading_rebalance(trading_t *t, int64_t now);

/* Market data bookkeeping (trading.c). */
void trading_on_market(void *arg, const th_event *ev);
th_price trading_last_price(void *ctx, const char *venue, const char *symbol, int32_t *scale);

#endif
