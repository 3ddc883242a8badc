/*
 * sim engine tests — a report recorder and order/market builders.
 *
 * The test instrument is BTC-USDT with price_scale 2 (tick 0.01 = 1) and
 * qty_scale 3 (lot 0.001 = 1): 100.00 is 10000, 1.000 BTC is 1000.
 */
#ifndef SIM_TEST_ENGINE_SUPPORT_H
#define SIM_TEST_ENGINE_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

#include "engine.h"

#define PX(units) ((th_price)(units) * 100) /* whole quote units -> price */
#define QTY(units) ((th_qty)(units) * 1000) /* whole base units -> qty */

typedef struct rec_report {
	uint32_t kind;
	char symbol[TH_SYMBOL_MAX];
	th_order_update order;
	th_fill fill;
} rec_report;

typedef struct recorder {
	rec_report *items;
	size_t n, cap;
} recorder;

/* Test fixture: an engine writing into a recorder. */
typedef struct fixture {
	sim_engine *e;
	recorder rec;
	sim_engine_config cfg;
	th_instrument inst[2];
	size_t ninst;
} fixture;

/* Defaults: no fees, no slippage, participation 1, quote size ignored,
 * retain 100 finished orders, session 7. */
void fixture_defaults(fixture *f);
/* Create the engine from f->cfg / f->inst (asserts success). */
void fixture_start(fixture *f);
void fixture_stop(fixture *f);

void recorder_report(void *arg, const sim_report *r);
void recorder_clear(recorder *r);

th_order mk_order(const char *clid, uint32_t side, uint32_t type, uint32_t tif, th_price price, th_price stop,
                  th_qty qty);
th_order mk_limit(const char *clid, uint32_t side, th_price price, th_qty qty);
th_order mk_market(const char *clid, uint32_t side, th_qty qty);

void feed_trade(fixture *f, th_price px, th_qty qty);
void feed_quote(fixture *f, th_price bid, th_qty bid_qty, th_price ask, th_qty ask_qty);
void feed_bar(fixture *f, th_price o, th_price h, th_price l, th_price c, th_qty volume);

/* Last ORDER report for clid, or NULL. */
const th_order_update *last_update(const recorder *r, const char *clid);
/* Number of FILL reports for clid and their total qty. */
size_t fill_count(const recorder *r, const char *clid);
th_qty fill_total(const recorder *r, const char *clid);
/* The k-th fill report (all orders), or NULL. */
const th_fill *nth_fill(const recorder *r, size_t k);
/* The k-th fill report for clid, or NULL. */
const th_fill *nth_fill_of(const recorder *r, const char *clid, size_t k);
/* Number of ORDER reports for clid in `state`. */
size_t state_count(const recorder *r, const char *clid, uint32_t state);
/* Current state of clid per the engine (asserts it exists). */
uint32_t engine_state(const fixture *f, const char *clid);

#endif
