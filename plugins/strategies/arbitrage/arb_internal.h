/*
 * arbitrage — private types shared by the plugin's files.
 *
 *   arb_edge.c    the exact edge test (no host calls)
 *   arb_plugin.c  descriptor, configuration, lifecycle, quotes, timer, explain
 *   arb_legs.c    episodes: the two IOC legs, the OMS's answers, residual hedging
 *   arb_state.c   export/import for hot reload
 */
#ifndef ARB_INTERNAL_H
#define ARB_INTERNAL_H

#include <stdint.h>
#include <tradehost/tradehost.h>

#include "arb_edge.h"

enum { ARB_A = 0, ARB_B = 1 };

typedef enum arb_policy {
	ARB_FLATTEN = 0, /* undo the excess on the venue where it filled */
	ARB_RETRY = 1    /* complete the missing leg at market on the other venue */
} arb_policy;

typedef enum arb_order_state {
	ARB_ORD_FREE = 0,
	ARB_ORD_PENDING = 1, /* intent sent, the OMS has not named the order yet */
	ARB_ORD_OPEN = 2,    /* client order id known, not final */
	ARB_ORD_DONE = 3     /* final (filled, canceled, rejected, denied) */
} arb_order_state;

typedef enum arb_role { ARB_LEG = 1, ARB_HEDGE = 2 } arb_role;

#define ARB_MAX_ORDERS 2 /* an episode is two legs, or one hedge */

typedef struct arb_order {
	uint32_t state;       /* arb_order_state */
	uint32_t venue;       /* ARB_A / ARB_B */
	uint32_t side;        /* th_side */
	uint32_t role;        /* arb_role */
	uint64_t intent_id;
	char clid[TH_CLORD_MAX];
	th_price price;       /* limit; 0 for a market hedge */
	th_qty qty, filled;
} arb_order;

/* Everything that survives a hot reload (plain data). */
typedef struct arb_book {
	int32_t have_scales, price_scale, qty_scale, halted;
	arb_touch touch[2];
	th_qty pos[2];              /* per-venue position from our OMS fills */
	arb_order orders[ARB_MAX_ORDERS];
	uint32_t hedge_failures;    /* consecutive hedges that left a residual */
	uint32_t reserved_;
	uint64_t next_intent;
	uint64_t episodes, full, partial, hedges, refused;
	arb_signal last;            /* the last opportunity taken */
} arb_book;

typedef struct arb_agent {
	const th_host_api *api;
	th_ctx *ctx;
	const char *symbol;
	const char *venue[2];
	int64_t qty8, max_pos8, max_res8, tick8, lot8;
	int64_t fee[2], threshold;  /* 10^-8 units (bp at 4 decimals) */
	int policy;                 /* arb_policy */
	uint32_t max_hedges;
	int64_t check_ns, max_age_ns;
	int cap_to_quote;
	/* at the instrument's scales */
	th_price tick;
	th_qty lot, qty, max_pos, max_res;
	int disabled;
	uint32_t m_episodes, m_hedges, m_residual; /* metric ids */
	int metrics;
	arb_book b;
} arb_agent;

/* arb_plugin.c */
int arb_learn_scales(arb_agent *a, int32_t price_scale, int32_t qty_scale);
void arb_publish_msg(arb_agent *a, const char *kind, const char *text);
int arb_venue_index(const arb_agent *a, const char *venue);

/* arb_legs.c */
/* Nothing in flight: take an opportunity if the touches show one, after any residual is hedged. */
void arb_evaluate(arb_agent *a);
/* Timer: retry a residual hedge (after failures, or when the bus refused one). */
void arb_check(arb_agent *a);
void arb_on_own_event(void *arg, const th_event *ev);
th_qty arb_residual(const arb_agent *a);
int arb_busy(const arb_agent *a);

/* arb_state.c */
int arb_export(void *instance, void **data, size_t *len);
int arb_import(void *instance, const void *data, size_t len);

#endif
