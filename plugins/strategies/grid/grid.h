/*
 * grid — resting limit orders on a ladder of price levels (internal header).
 *
 * N levels L0 < L1 < ... < L(N-1) between `lower` and `upper` (arithmetic:
 * equal steps; geometric: equal ratios) make N-1 cells [Li, Li+1]. A cell
 * trades one round trip at a time:
 *   long cell  : rest a buy of `qty` at Li; once it has filled, rest a sell of
 *                what was bought at Li+1; when that has filled, start again;
 *   short cell : (allow_short) rest a sell at Li+1, then a buy back at Li.
 * An empty cell (nothing held, no order) is long if Li is below the last
 * close, short if Li is at or above it (only with allow_short), else idle.
 * Entries (the first leg) are placed on bar closes, nearest to the price
 * first, and only while the agent's worst-case position (position plus every
 * resting buy, or minus every resting sell) stays within +/- max_position;
 * exits (the second leg) are placed as soon as the entry has finished.
 *
 * "Relaying": a fresh instance (and one whose hot-reload hand-over describes
 * another grid) first cancels every order the agent has on the symbol, waits
 * until none is left (its own book, and the host's open-order view when the
 * host has one), takes the position (from the host's ledger after a restart,
 * from the hand-over after a reload) and gives it to the cells nearest the
 * price as inventory to sell (long) or buy back (short), then trades.
 */
#ifndef GRID_H
#define GRID_H

#include <stddef.h>
#include <stdint.h>
#include <tradehost/tradehost.h>

#include "kit_inst.h"
#include "kit_orders.h"
#include "kit_pos.h"

#define GRID_PLUGIN "grid"
#define GRID_STATE_MAGIC "GRID"
#define GRID_STATE_VERSION 1u
#define GRID_LEVELS_MAX 200
#define GRID_CELLS_MAX (GRID_LEVELS_MAX - 1)

typedef enum grid_spacing { GRID_ARITHMETIC = 1, GRID_GEOMETRIC = 2 } grid_spacing;
typedef enum grid_mode { GRID_IDLE = 0, GRID_LONG = 1, GRID_SHORT = -1 } grid_mode;

typedef struct grid_params {
	char symbol[TH_SYMBOL_MAX];
	char venue[TH_VENUE_MAX];
	int spacing;               /* grid_spacing */
	uint32_t nlevels;
	th_price lower_cfg, upper_cfg;     /* KIT_CFG_SCALE */
	th_qty qty_cfg, max_pos_cfg;       /* KIT_CFG_SCALE; max 0 = (levels - 1) x qty */
	int allow_short;
	int post_only;
} grid_params;

typedef struct grid_cell {
	int32_t mode;              /* grid_mode; fixed while the cell holds something */
	int32_t pad_;
	th_qty held;               /* long: bought, not yet sold; short: sold, not yet bought back */
} grid_cell;

/* Plain data: the hot-reload hand-over. */
typedef struct grid_persist {
	char symbol[TH_SYMBOL_MAX];
	uint32_t nlevels;
	th_price level_cfg[GRID_LEVELS_MAX];  /* the geometry, at KIT_CFG_SCALE (compared on reload) */
	kit_inst inst;
	kit_book book;
	kit_pos pos;
	th_price level[GRID_LEVELS_MAX];      /* at the instrument's price scale, once known */
	grid_cell cell[GRID_CELLS_MAX];
	th_qty qty, max_pos;                  /* at the instrument's qty scale, once known */
	th_price last_close;
	uint32_t relay;            /* 1: cancel everything and re-seed before trading */
	uint32_t relay_cancel_sent;
	uint32_t relay_from_host;  /* 1: take the position from the host's ledger when seeding */
	uint32_t halted;
	char halt_reason[160];
} grid_persist;

typedef struct grid {
	const th_host_api *api;
	th_ctx *ctx;
	grid_params p;
	grid_persist s;
} grid;

/* grid_levels.c: the ladder at KIT_CFG_SCALE, each level rounded to tick_cfg.
 * 0, or -1 with the reason (naming the key) in why. */
int grid_levels_build(const grid_params *p, th_price tick_cfg, th_price *levels, char *why, size_t cap);
/* Move the ladder to the instrument's scale and tick; -1 if levels collapse. */
int grid_levels_fit(const th_price *level_cfg, uint32_t n, const kit_inst *in, th_price *levels, char *why,
	size_t cap);

/* grid_cells.c: the trading logic (host calls only through g->api). */
/* Once per bar close: relay if needed, else place missing exits and entries. */
void grid_on_close(grid *g, th_price close);
/* An own ORDER / FILL / RISK event. */
void grid_on_own(grid *g, const th_event *ev);
/* The cell an order (tag) belongs to and the role it plays. */
int grid_is_entry(const grid_cell *c, uint32_t side);
int grid_status(const grid *g, char *buf, size_t cap);

#endif
