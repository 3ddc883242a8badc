/*
 * pattern_agent — the plumbing shared by the chart-pattern agents (darvas,
 * alligator, elliott), so each plugin's source is only its trading rules:
 *
 *   - the common configuration keys (symbol, venue, qty, tick, lot,
 *     max_slippage_bps) and their validation;
 *   - subscriptions: bars of symbol@venue, and the agent's own order, fill and
 *     risk events (the OMS re-publishes them with TH_EVENT_FLAG_OMS);
 *   - the agent's position, summed from its own OMS fills;
 *   - one order in flight at a time: a new order is sent only once the last
 *     one reached a terminal state or its intent was denied by risk;
 *   - order intents at the instrument's scales, the price rounded to the tick
 *     and the quantity to the lot, and a "decision" message for each.
 *
 * This file is compiled into every plugin that uses it (plugins link nothing
 * from the host or from each other); it only uses the SDK.
 * Everything in pa_book is plain data with no pointers, so a plugin can copy
 * it into its hot-reload state as is.
 */
#ifndef PATTERNS_COMMON_PATTERN_AGENT_H
#define PATTERNS_COMMON_PATTERN_AGENT_H

#include <stddef.h>
#include <stdint.h>
#include <tradehost/tradehost.h>

/* Schema entries every pattern agent accepts; put them first in its schema. */
#define PA_COMMON_CONFIG \
	{ "symbol", TH_CONFIG_STRING, 1, NULL, NULL, NULL, "instrument to trade, e.g. \"BTC-USDT\"" }, \
	{ "venue", TH_CONFIG_STRING, 0, "\"sim\"", NULL, NULL, \
		"venue instance: bars are read from it and orders sent to it" }, \
	{ "qty", TH_CONFIG_DECIMAL, 0, "\"0.01\"", "0", NULL, \
		"quantity per entry (positive, rounded down to the lot)" }, \
	{ "tick", TH_CONFIG_DECIMAL, 0, "\"0\"", "0", NULL, \
		"price increment; 0 = the venue's tick (one unit of the price scale if the host cannot tell)" }, \
	{ "lot", TH_CONFIG_DECIMAL, 0, "\"0\"", "0", NULL, \
		"quantity increment; 0 = the venue's lot (one unit of the quantity scale if the host cannot tell)" }, \
	{ "max_slippage_bps", TH_CONFIG_INT, 0, "50", "0", "1000", \
		"entries are IOC limit orders this many basis points beyond the close; 0 = at the close" }

/* Scale at which the decimal keys qty / tick / lot are read. */
#define PA_CONFIG_SCALE 8

/* Persistent trading bookkeeping (plain data: copied as is on hot reload). */
typedef struct pa_book {
	th_qty position;         /* signed, at qty_scale: the sum of our own OMS fills */
	int32_t price_scale;     /* of the bars (and so of our orders); -1 before the first bar */
	int32_t qty_scale;
	uint64_t next_intent;    /* last intent id used */
	uint64_t inflight_intent;/* intent id of the order in flight, 0 if none */
	int32_t inflight;        /* 1 while an order of ours is working */
	int32_t exiting;         /* 1 from an exit decision until the position is flat */
	int32_t bad_bars;        /* bars refused (inconsistent OHLC, bad scale) */
	int32_t pad_;
	uint64_t bars;           /* usable bars seen */
} pa_book;

typedef struct pa_agent {
	const th_host_api *api;
	th_ctx *ctx;
	const char *plugin;      /* plugin name, for messages (static) */
	const char *symbol;      /* host-owned config strings, valid until destroy */
	const char *venue;
	th_qty qty8;             /* qty / tick / lot at PA_CONFIG_SCALE; tick8/lot8 0 = one unit */
	th_price tick8;
	th_qty lot8;
	int64_t slippage_bps;
	pa_book book;
} pa_agent;

/* Read and check the common keys; on failure api->set_error names the key and
 * a th_status < 0 is returned. */
int pa_configure(pa_agent *a, const char *plugin, const th_host_api *api, th_ctx *ctx);

/* Subscribe to bars of symbol@venue (on_bar gets `arg`) and to the agent's own
 * order / fill / risk events (handled here). */
int pa_subscribe(pa_agent *a, th_event_fn on_bar, void *arg);

/* Check a bar before any indicator sees it: scales in 0..18 and unchanged,
 * 0 < low <= open, close <= high, volume >= 0. Returns 1 if usable (and counts
 * it), 0 if it must be ignored (logged). */
int pa_accept_bar(pa_agent *a, const th_bar *b);

/* 1 while an order is in flight: no new order may be sent. */
int pa_busy(const pa_agent *a);

/* Open a position: an IOC limit `max_slippage_bps` beyond the bar's close
 * (rounded away from the market to the tick) for the configured quantity
 * (rounded down to the lot). `why` names the indicators and the rule; it is
 * published as a "decision" message with the order. TH_OK if the intent was
 * published. Refuses (TH_ERR_STATE) while busy or not flat. */
int pa_enter(pa_agent *a, const th_bar *b, int side, const char *why);

/* Close the whole position at market (IOC), with a "decision" message. */
int pa_exit(pa_agent *a, const th_bar *b, const char *why);

/* An exit that left part of the position (IOC partly filled, refused, denied)
 * is sent again for the rest: call on every bar before the strategy's rules.
 * The order it sends makes pa_busy() true, which keeps the rules from acting. */
void pa_finish_exit(pa_agent *a, const th_bar *b);

/* Publish an agent message of `kind` ("decision", "explanation"), prefixed
 * with the symbol. */
void pa_message(pa_agent *a, const char *kind, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

/* Format a price at `scale` into buf ("?" if it does not fit); returns buf. */
const char *pa_px(th_price v, int scale, char *buf, size_t cap);

/* The tick and lot at the bars' scales (at least 1 unit): the configured
 * value, else the venue's (host ABI 1.1 `instrument` slot), else one unit. */
th_price pa_tick(const pa_agent *a);
th_qty pa_lot(const pa_agent *a);

/* Round a price to the tick: down (dir < 0) or up (dir > 0). Prices stay >= one tick. */
th_price pa_round_tick(th_price px, th_price tick, int dir);

/* An indicator value (double) as a price mantissa at `scale`, rounded to
 * nearest. 0 if it is not finite or out of range. */
int pa_from_double(double v, int scale, th_price *out);

/* Handle the agent's own order / fill / risk event (exposed for tests; the
 * subscription made by pa_subscribe calls it). */
void pa_on_own_event(void *arg, const th_event *ev);

#endif
