/*
 * market_maker — private types shared by the plugin's files.
 *
 *   mm_model.c   the quote formula (no host calls)
 *   mm_plugin.c  descriptor, configuration, lifecycle, market data, timer, explain
 *   mm_orders.c  the two quote slots: place, cancel, and the OMS's answers
 *   mm_state.c   export/import for hot reload
 */
#ifndef MM_INTERNAL_H
#define MM_INTERNAL_H

#include <stdint.h>
#include <tradehost/tradehost.h>
#include <tradehost/th_ta.h>

#include "mm_model.h"

/* A quote slot (bid or ask): at most one working order per side. */
typedef enum mm_slot_state {
	MM_IDLE = 0,      /* no order */
	MM_PENDING = 1,   /* place intent sent; client order id not known yet */
	MM_WORKING = 2,   /* the OMS named it; resting or about to rest */
	MM_CANCELING = 3  /* cancel sent; waiting for the final state */
} mm_slot_state;

enum { MM_BID = 0, MM_ASK = 1 };

typedef struct mm_slot {
	uint32_t state;         /* mm_slot_state */
	uint32_t blocked;       /* refused (risk, OMS or venue): not re-placed before the next refresh */
	uint32_t cancel_on_ack; /* went stale while PENDING: cancel as soon as its id is known */
	uint32_t reserved_;
	uint64_t intent_id;
	char clid[TH_CLORD_MAX];
	th_price price;
	th_qty qty, filled;
} mm_slot;

/* One mid change: its return (bp) and the time it took (s). */
typedef struct mm_sample {
	double r_bps, dt_s;
} mm_sample;

/* Everything that survives a hot reload (plain data, no pointers). */
typedef struct mm_book {
	int32_t have_scales, price_scale, qty_scale, reserved_;
	th_price bid, ask;          /* last touch */
	th_price ref_mid2;          /* volatility sampling reference */
	int64_t ref_ns;
	th_price quoted_mid2;       /* mid (x2) at the last full refresh; 0 = never */
	th_qty position;            /* from our OMS fills, at qty_scale */
	mm_slot slots[2];
	uint64_t next_intent;
	uint64_t samples_seen;      /* volatility samples ever taken */
	uint64_t placed, canceled, fills, refused;
	char orphan[TH_CLORD_MAX];  /* last foreign order we asked to cancel (once) */
} mm_book;

typedef struct mm_agent {
	const th_host_api *api;
	th_ctx *ctx;
	const char *symbol, *venue;
	mm_params params;
	int64_t qty8, max_pos8, tick8, lot8; /* configured at scale 8; 0 tick/lot = one unit */
	double requote_bps;
	int64_t refresh_ns;
	uint32_t vol_window;
	/* at the instrument's scales, derived when the scales are learned */
	th_price tick;
	th_qty lot, order_qty, max_pos;
	int disabled;               /* configuration cannot fit the instrument: never quote */
	/* volatility: realized variance per second over the last vol_window mid
	 * changes, sigma^2 = sum(r^2) / sum(dt) = SMA(r^2) / SMA(dt) (th_ta SMA);
	 * the samples are kept in a ring too so export_state can hand them over */
	th_ta_sma mean_r2, mean_dt;
	mm_sample *ring;            /* vol_window samples, api->alloc */
	double sigma;               /* bp per sqrt(s), valid once sigma_ready */
	int sigma_ready;
	uint64_t timer_id;
	int refreshing, again, again_forced; /* re-entrancy guard of mm_refresh */
	char again_why[96];
	mm_book b;
} mm_agent;

/* mm_plugin.c */
int mm_learn_scales(mm_agent *a, int32_t price_scale, int32_t qty_scale);
void mm_vol_push(mm_agent *a, double r_bps, double dt_s);

/* mm_orders.c */
/* Recompute the quotes and bring both slots in line. `forced` (timer, mid moved)
 * also lifts the back-off of refused slots. `why` goes into the explanation. */
void mm_refresh(mm_agent *a, int forced, const char *why);
void mm_on_own_event(void *arg, const th_event *ev);
void mm_publish_msg(mm_agent *a, const char *kind, const char *text);

/* mm_state.c */
int mm_export(void *instance, void **data, size_t *len);
int mm_import(void *instance, const void *data, size_t len);

#endif
