/*
 * sim engine — the deterministic matching core of the sim venue.
 *
 * Pure C: no host calls, no clock, no randomness, no double. The plugin glue
 * (sim_plugin.c) feeds it the host's orders and the replayed or generated
 * market (trades, quotes, bars); the engine answers through a report callback
 * with order updates and fills. The same inputs always produce the same
 * reports in the same order, so a backtest is reproducible byte for byte.
 *
 * The book of each symbol holds only the host's orders: liquidity comes from
 * the market events (the market is the counterparty), host orders never match
 * each other. The exact fill rules are in README.md ("Fill model").
 *
 * Ownership: the engine copies every order and string it keeps; pointers
 * passed in are borrowed for the call. Reports are borrowed for the callback.
 * The callback must not call back into the engine.
 */
#ifndef SIM_ENGINE_H
#define SIM_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include <tradehost/tradehost.h>

/* Fee and slippage rates are basis points with this many fractional digits
 * (0.0001 bp resolution): 7.5 bp is 75000. */
#define SIM_BPS_SCALE 4
/* participation is a fraction in parts per million: 1.0 is 1000000. */
#define SIM_PPM 1000000

/* Optional allocator so the plugin can count the engine's memory per
 * instance (host alloc/free). NULL members mean malloc/free. */
typedef struct sim_alloc {
	void *(*alloc)(void *ud, size_t size);
	void (*free)(void *ud, void *ptr);
	void *ud;
} sim_alloc;

typedef struct sim_engine_config {
	int64_t maker_fee_bps;     /* at SIM_BPS_SCALE; negative = rebate */
	int64_t taker_fee_bps;     /* at SIM_BPS_SCALE; negative = rebate */
	int64_t slippage_bps;      /* at SIM_BPS_SCALE, >= 0, applied to taker fills */
	int64_t participation_ppm; /* share of each trade's (or bar's) volume the host may get, 0..SIM_PPM */
	int respect_quote_size;    /* 1: takers are limited by the displayed quote size */
	size_t retain_closed;      /* finished orders remembered for query/idempotency */
	/* Prefix of venue order and trade ids, so ids stay unique when a
	 * non-persistent venue is restarted (the plugin uses the host time at
	 * creation, which is deterministic in backtests). */
	int64_t session;
} sim_engine_config;

typedef enum sim_report_kind { SIM_REPORT_ORDER = 1, SIM_REPORT_FILL = 2 } sim_report_kind;

typedef struct sim_report {
	uint32_t kind;      /* sim_report_kind */
	/* The order's symbol; "" for TH_ORDER_ABSENT. Always points at a whole
	 * field of TH_SYMBOL_MAX bytes, zero after the string, so a receiver
	 * may copy it whole (the plugin glue does, once per report). */
	const char *symbol;
	union {
		th_order_update order;
		th_fill fill;
	} u;
} sim_report;

typedef void (*sim_report_fn)(void *arg, const sim_report *report);

typedef struct sim_engine sim_engine;

/* `instruments` (copied) define the symbols, scales, tick, lot, minimums and
 * the quote asset fees are charged in. Returns TH_OK, TH_ERR_INVALID (bad
 * instrument or config; see sim_engine_config) or TH_ERR_NOMEM. */
int sim_engine_create(const sim_engine_config *cfg, const th_instrument *instruments, size_t ninstruments,
                      const sim_alloc *alloc, sim_report_fn report, void *report_arg, sim_engine **out);
void sim_engine_destroy(sim_engine *e);

/* --- requests from the host (all answered through reports) --- */

/* Validate and take an order. Returns TH_OK when accepted (it may also have
 * filled), TH_ERR_INVALID when rejected (a REJECTED report says why),
 * TH_ERR_EXISTS for a duplicate client order id (nothing is created; the
 * existing order's state is reported), TH_ERR_NOMEM. */
int sim_engine_submit(sim_engine *e, const th_order *order);
/* TH_OK: canceled (CANCELED report). TH_ERR_NOT_FOUND: unknown (ABSENT
 * report). TH_ERR_STATE: already finished (its current state is reported). */
int sim_engine_cancel(sim_engine *e, const char *client_order_id);
/* Reports every fill of the order, then its state. TH_ERR_NOT_FOUND: an
 * ABSENT report. */
int sim_engine_query(sim_engine *e, const char *client_order_id);

/* --- market (prices and sizes at the event's own scales; unknown symbols ignored) --- */
void sim_engine_on_trade(sim_engine *e, const char *symbol, const th_trade *trade);
void sim_engine_on_quote(sim_engine *e, const char *symbol, const th_quote *quote);
void sim_engine_on_bar(sim_engine *e, const char *symbol, const th_bar *bar);
/* The same, for the instrument at `index` in sim_engine_instruments() order
 * (index < count): for callers that resolve the symbol once and keep it,
 * since a replay calls these for every market event. They return
 * sim_engine_changes() after the event, which such a caller wants next. */
uint64_t sim_engine_on_trade_at(sim_engine *e, size_t index, const th_trade *trade);
uint64_t sim_engine_on_quote_at(sim_engine *e, size_t index, const th_quote *quote);
uint64_t sim_engine_on_bar_at(sim_engine *e, size_t index, const th_bar *bar);

/* --- inspection --- */
const th_instrument *sim_engine_instruments(const sim_engine *e, size_t *count);
/* Net position (signed, at qty_scale) and fees paid (TH_MONEY_SCALE).
 * TH_ERR_NOT_FOUND for an unknown symbol. */
int sim_engine_position(const sim_engine *e, const char *symbol, th_qty *qty, th_money *fees);
/* The order's current state as a report would carry it. */
int sim_engine_order(const sim_engine *e, const char *client_order_id, th_order_update *out);
size_t sim_engine_open_orders(const sim_engine *e);
/* Read-only walk over every order the venue remembers, each as a report
 * would carry it with its symbol: open orders book by book in time priority,
 * then finished ones oldest first. `fn` must not call into the engine.
 * Returns how many orders were visited. (For tools that audit the venue,
 * e.g. the crash-recovery checker; the venue itself never needs it.) */
size_t sim_engine_each_order(const sim_engine *e, void (*fn)(void *arg, const char *symbol, const th_order_update *u),
                             void *arg);
size_t sim_engine_closed_orders(const sim_engine *e);
/* Grows by one at every change worth persisting (orders, fills, positions);
 * market events that change nothing leave it alone. */
uint64_t sim_engine_changes(const sim_engine *e);

/* --- state (persistence and hot reload; format in engine_codec.c) --- */

/* Write the state into buf (up to cap bytes) and set *len to the full size,
 * like snprintf: call with cap 0 to learn the size. TH_ERR_LIMIT if cap was
 * too small (nothing useful written). */
int sim_engine_encode(const sim_engine *e, void *buf, size_t cap, size_t *len);
/* Replace the engine's orders, positions and counters with a decoded state.
 * On failure the engine is unchanged and `err` names what is wrong. */
int sim_engine_decode(sim_engine *e, const void *buf, size_t len, char *err, size_t errcap);
/* Forget the `n` oldest finished orders (to fit a size limit). Returns how
 * many were dropped. */
size_t sim_engine_forget_closed(sim_engine *e, size_t n);

#endif
