/*
 * Round-trip trades for the backtest report, derived from the OMS's fills:
 * every order that reduces or closes a position is one trade (the same
 * definition the capital hierarchy counts), with its entry price (the
 * position's average before the fill), exit price, and net PnL taken from
 * the capital's own realized-PnL and fee figures, so report and ledger
 * reconcile. Also tracks time in market per wallet for the exposure figure.
 */
#ifndef HOST_TRADING_TRADES_H
#define HOST_TRADING_TRADES_H

#include <stddef.h>
#include <stdint.h>
#include <tradehost/th_event.h>

#include "ledger/capital.h"
#include "report/report.h"

typedef struct trade_book trade_book;

trade_book *trade_book_create(capital_t *c);
void trade_book_destroy(trade_book *b);
/* Call for every fill the OMS re-publishes (h.agent set), after capital booked it. */
void trade_book_on_fill(trade_book *b, const th_event *fill, int64_t now_ns);
/* Closes the exposure clocks at the end of the run. */
void trade_book_finish(trade_book *b, int64_t now_ns);

size_t trade_book_count(const trade_book *b);
/* The trades' strings belong to the book: valid until trade_book_destroy(). */
const report_trade *trade_book_trades(const trade_book *b);
/* Time with a non-zero position: wallet = an agent, a farm, or "total". */
int64_t trade_book_exposure(const trade_book *b, const char *wallet);

#endif
