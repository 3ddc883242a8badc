/*
 * trading_view — the portfolio queries risk plugins make on every intent
 * (instrument, last price, wallet figures, positions), answered over the
 * capital hierarchy in O(1) per call:
 *   - last prices: a hash on (venue, symbol), with the last hit tried first
 *     (market events tend to repeat an instrument; an event's names are
 *     compared word-wise, see name_key.h);
 *   - instruments: per venue, a hash of its instrument list, rebuilt when the
 *     list or what serves it (the live venue instance) changes;
 *   - wallet figures: capital_stats_get(), which reads running totals, and a
 *     hashed peak per wallet;
 *   - positions: capital_positions() into a scratch buffer that only grows.
 *
 * It is the part of the trading layer's portfolio provider that does not
 * need a running host (trading_provider.c installs it), so the risk
 * benchmark can run the plugins against exactly this code over a real
 * capital hierarchy. Loop thread only, like the rest of the trading layer.
 */
#ifndef HOST_TRADING_VIEW_H
#define HOST_TRADING_VIEW_H

#include <stddef.h>
#include <tradehost/tradehost.h>

#include "ledger/capital.h"

typedef struct trading_view trading_view;

/* A venue's instrument list as of now and owner[0..1], the identity of what
 * serves it (the live instance and its kind table): the view re-indexes a
 * venue whenever owner, list or count differ from the last call. `known` is
 * the owner the view validated last time for this venue ({NULL, NULL} at
 * first), so the callback may skip checks it already made for it. 0, or -1
 * when there is no such venue. */
typedef int (*trading_view_list_fn)(void *arg, const char *venue, const void *const known[2], const void *owner[2],
	const th_instrument **list, size_t *n);

/* NULL when out of memory. `capital` must outlive the view. */
trading_view *trading_view_create(capital_t *capital, trading_view_list_fn list, void *arg);
void trading_view_destroy(trading_view *v);

/* Last price per instrument (market data). Out of memory leaves the old one. */
void trading_view_set_price(trading_view *v, const char *venue, const char *symbol, th_price px, int32_t scale);
/* trading_view_set_price() and capital_mark() of the same instrument in one
 * lookup (a bar close): the capital index is kept beside the price. Returns
 * what capital_mark() would. */
int trading_view_mark(trading_view *v, const char *venue, const char *symbol, th_price px, int32_t scale,
	int64_t now_ns);
/* The two above for a market event's instrument (ev->h.venue, ev->h.symbol).
 * The header's name fields are compared as fixed-size words (name_key.h), so
 * a run of events for one instrument finds its slot without string work; a
 * bar whose name fields repeat the last marked bar's bytes exactly takes one
 * five-word compare: the per-bar path of a backtest. */
void trading_view_set_event_price(trading_view *v, const th_event *ev, th_price px, int32_t scale);
int trading_view_mark_event(trading_view *v, const th_event *ev, th_price px, int32_t scale, int64_t now_ns);
/* 0 when none was seen; *scale set otherwise. */
th_price trading_view_last_price(trading_view *v, const char *venue, const char *symbol, int32_t *scale);

/* NULL when the venue or symbol is unknown. */
const th_instrument *trading_view_instrument(trading_view *v, const char *venue, const char *symbol);

/* The host API's wallet_stats(): capital figures, exposure of the wallet's
 * (aggregated) positions, and the highest equity seen (updated here). */
int trading_view_wallet_stats(trading_view *v, const char *wallet, th_wallet_stats *out);
/* Records an equity observation for the wallet's peak; returns the peak. */
th_money trading_view_peak(trading_view *v, const char *wallet, th_money equity);

/* The host API's positions(): non-flat positions, at most cap written,
 * returns how many exist. No allocation once the scratch has grown. */
size_t trading_view_positions(trading_view *v, const char *wallet, th_position *out, size_t cap);

#endif
