/*
 * sim engine — internal structures shared by engine*.c (not part of the
 * engine's API; tests use engine.h only).
 */
#ifndef SIM_ENGINE_INTERNAL_H
#define SIM_ENGINE_INTERNAL_H

#include <string.h>

#include "engine.h"

#define SIM_REASON_MAX 96 /* == sizeof(th_order_update.reason) */

#define SIM_SPARE_MAX 16 /* freed orders kept for reuse (sim_engine.spare) */

/* Where an open order is in its life. */
typedef enum sim_phase {
	SIM_PH_TRIGGER = 1,  /* stop / stop-limit waiting for its stop price */
	SIM_PH_ARRIVING = 2, /* IOC/FOK or market order that met no standing liquidity yet:
	                        its first execution opportunity is the next market event */
	SIM_PH_TAKING = 3,   /* market remainder: takes liquidity whenever it appears */
	SIM_PH_RESTING = 4,  /* limit in the book: filled as maker when the market trades through */
	SIM_PH_DONE = 5      /* terminal; leaves the book at the next sweep */
} sim_phase;

typedef struct sim_fill_rec {
	uint64_t trade_no; /* venue trade number, unique per engine */
	th_price price;
	th_qty qty;
	th_money fee;
	uint32_t liquidity; /* th_liquidity */
} sim_fill_rec;

typedef struct sim_order {
	th_order o;        /* as submitted, rescaled to the instrument's scales */
	uint32_t book;     /* index into engine->books */
	uint32_t state;    /* th_order_state */
	uint32_t phase;    /* sim_phase */
	th_qty filled;
	th_money fees;
	uint64_t order_no; /* venue order number */
	uint64_t seq;      /* arrival (or trigger) order: time priority */
	uint64_t hash;     /* sim_clid_hash(o.client_order_id), set by sim_index_add (the id never changes) */
	int ending;        /* set by sim_activate while an IOC/FOK takes: whatever the take leaves
	                      open is canceled at once, so a fill reports no interim PARTIALLY_FILLED */
	char reason[SIM_REASON_MAX];
	sim_fill_rec *fills;
	size_t nfills, capfills;
} sim_order;

typedef struct sim_book {
	th_instrument inst;
	sim_order **open; /* open orders in seq order */
	size_t nopen, capopen;
	th_qty position;  /* net, signed, from fills */
	th_money fees;    /* fees paid on this symbol */

	/* Market view (not persisted: rebuilt from the next events). */
	int has_quote;
	th_price bid, ask;          /* at price_scale; 0 = side empty */
	th_qty bid_left, ask_left;  /* displayed size not yet taken by the host (respect_quote_size) */
	th_price last_price;        /* last trade or bar close; 0 = none yet */
	uint64_t ticks_since_bar;   /* trades/quotes seen since the last bar */
} sim_book;

/* A point of liquidity the market offers right now: a quote, a trade, or a
 * point on a bar's path. */
typedef struct sim_liq {
	th_price buy_px;   /* price a buyer can take at; 0 = none */
	th_price sell_px;  /* price a seller can take at; 0 = none */
	th_qty *buy_avail; /* quantity buyers may still take; NULL = unlimited */
	th_qty *sell_avail;
	int gap;           /* bar open: resting orders crossed by a gap fill at the open */
} sim_liq;

struct sim_engine {
	sim_engine_config cfg;
	sim_alloc al;
	sim_report_fn report;
	void *report_arg;

	sim_book *books;
	size_t nbooks;
	th_instrument *instruments; /* same order as books, for sim_engine_instruments */

	/* client order id -> order (open addressing, linear probing;
	 * power-of-two size). Beside each slot a control byte says empty,
	 * deleted, or full with 7 bits of the id's hash (engine.c), in an array
	 * of its own: a probe reads the small, dense control bytes and touches
	 * a slot, let alone the order (cold memory for most retained orders),
	 * only on a tag match. So the lookup of a new id, one per submit, is
	 * usually one read of the control bytes. `ctrl` lives in the same
	 * allocation as `slots`, right after it. */
	sim_order **slots;
	uint8_t *ctrl;
	size_t nslots, nfull; /* nfull counts live entries and deleted slots */

	/* finished orders, oldest first (ring of cfg.retain_closed) */
	sim_order **closed;
	size_t closed_head, closed_count;

	uint64_t next_order_no, next_trade_no, next_seq;
	uint64_t changes;

	/* "<cfg.session>-", the fixed head of every venue order and trade id,
	 * formatted once: formatting the 19-digit session for every report cost
	 * more than the rest of the report. Stale when cfg.session changes, so
	 * sim_ids_reset() runs after create and after decode (the only places
	 * that set the session). */
	char id_prefix[24];
	size_t id_prefix_len;

	sim_order **scratch; /* candidates of one matching pass */
	size_t capscratch;

	/* Freed orders kept for reuse, with their fill arrays: in a long run
	 * every new order replaces one that leaves the finished-order window, so
	 * this saves two allocations and two frees per order. sim_order_new
	 * hands them out reset (no fills, every field zero). */
	sim_order *spare[SIM_SPARE_MAX];
	size_t nspare;
};

/* The usual bar of a backtest: nothing rests or waits in book `index` and
 * the bar is at the instrument's scales (no rescale can fail), so only the
 * market view changes — exactly what the full bar model (sim_bar in
 * engine_match.c) does in that case, with no change to count. Returns 1 when
 * it handled the bar, 0 when the full model must run. Inline so the plugin
 * glue's per-bar handler runs it without a call (sim_plugin.c); it is
 * sim_engine_on_bar_at's fast path too, so both stay the same. */
_Static_assert(offsetof(th_bar, qty_scale) == offsetof(th_bar, price_scale) + sizeof(int32_t), "th_bar scales");
_Static_assert(offsetof(th_instrument, qty_scale) == offsetof(th_instrument, price_scale) + sizeof(int32_t),
               "th_instrument scales");

static inline int sim_engine_bar_idle(sim_engine *e, size_t index, const th_bar *bar)
{
	sim_book *b = &e->books[index];
	/* price_scale and qty_scale are adjacent int32 fields of both structs:
	 * compared as one 8-byte block */
	uint64_t bs, is;
	memcpy(&bs, (const char *)bar + offsetof(th_bar, price_scale), sizeof bs);
	memcpy(&is, (const char *)&b->inst + offsetof(th_instrument, price_scale), sizeof is);
	if (b->nopen != 0 || bs != is)
		return 0;
	if (bar->open > 0 && bar->close > 0 && bar->low > 0) {
		b->ticks_since_bar = 0;
		b->last_price = bar->close;
	}
	return 1;
}

/* sim_engine_changes, for the glue's per-bar path without a call */
static inline uint64_t sim_engine_changes_inline(const sim_engine *e)
{
	return e->changes;
}

/* engine.c: memory, index, book membership, reports */
void *sim_mem_alloc(sim_engine *e, size_t size);
void sim_mem_free(sim_engine *e, void *ptr);
/* Grow the array whose pointer is at `arr_ptr` (elements of `elem` bytes) to
 * hold at least `need`: sim_mem_reserve(e, &b->open, &b->capopen, ...). */
int sim_mem_reserve(sim_engine *e, void *arr_ptr, size_t *cap, size_t elem, size_t need);
uint64_t sim_clid_hash(const char *clid);
sim_order *sim_find(const sim_engine *e, const char *clid);
/* sim_find with the id's sim_clid_hash already computed. */
sim_order *sim_find_hashed(const sim_engine *e, const char *clid, uint64_t hash);
/* Index `o` under its client order id, whose sim_clid_hash is `hash`. */
int sim_index_add(sim_engine *e, sim_order *o, uint64_t hash);
/* A zeroed order (possibly a reused one); NULL when out of memory. */
sim_order *sim_order_new(sim_engine *e);
int sim_book_add(sim_engine *e, sim_book *b, sim_order *o);
/* Move finished orders of `b` out of the book into the closed ring. */
void sim_sweep(sim_engine *e, sim_book *b);
void sim_retire(sim_engine *e, sim_order *o);
void sim_order_free(sim_engine *e, sim_order *o);
sim_book *sim_book_find(const sim_engine *e, const char *symbol);
void sim_order_snapshot(const sim_engine *e, const sim_order *o, th_order_update *out);
void sim_emit_order(sim_engine *e, const sim_order *o);
void sim_emit_fill(sim_engine *e, const sim_order *o, const sim_fill_rec *f);
/* Sets o->reason, keeping it zero after its end. */
void sim_set_reason(sim_order *o, const char *reason);
/* Zero the bytes after the string in s[0..cap) (which holds a NUL). */
void sim_zero_tail(char *s, size_t cap);
/* Rebuild id_prefix from cfg.session. */
void sim_ids_reset(sim_engine *e);
void sim_finish(sim_engine *e, sim_order *o, uint32_t state, const char *reason);

/* engine_match.c: execution */
/* Execute `qty` of `o` at `px`; returns the quantity filled (reduce-only may clamp it). */
th_qty sim_execute(sim_engine *e, sim_book *b, sim_order *o, th_price px, th_qty qty, uint32_t liquidity);
/* An accepted (or just triggered) order meets the liquidity `L` (NULL: none
 * standing, so it waits for the next market event). Post-only and FOK
 * refusals here CANCEL (ACCEPTED was already sent). Returns 1 if refused. */
int sim_activate(sim_engine *e, sim_book *b, sim_order *o, const sim_liq *L);
/* Post-only and FOK checks of `o` against `L` (NULL: nothing to check yet);
 * returns -1 with `reason` set when `o` must be refused. */
int sim_precheck(const sim_engine *e, const sim_book *b, const th_order *o, th_qty remaining, const sim_liq *L,
                 char *reason, size_t cap);
/* If `L` reached the stop price of `o` (phase TRIGGER), trigger and activate
 * it against `L`. Returns 1 if it triggered. */
int sim_trigger(sim_engine *e, sim_book *b, sim_order *o, const sim_liq *L);
/* The book's standing liquidity (its current quote), or NULL. */
const sim_liq *sim_standing(sim_book *b, int respect_quote_size, sim_liq *storage);
/* One market point: takers, triggers, then resting makers, then sweep. */
void sim_market_point(sim_engine *e, sim_book *b, const sim_liq *L);
/* Reduce-only: how much of `side` may still trade without growing the position. */
th_qty sim_reduce_capacity(const sim_book *b, uint32_t side);

/* engine_validate.c */
/* Rescale and check `in` for book `b`; on success *out is the normalised
 * order. Returns 0, or -1 with `reason` set. */
int sim_validate(const sim_engine *e, const sim_book *b, const th_order *in, th_order *out, char *reason,
                 size_t cap);

#endif
