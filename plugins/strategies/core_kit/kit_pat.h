/*
 * core_kit — the common body of a chart-pattern agent (darvas, alligator,
 * elliott): the plugin's source is only its trading rules. Built from the
 * same kit parts as kit_solo (config readers, subscriptions, the order book,
 * positions, messages, instrument steps); what differs is the trading style:
 *
 *   - entries are IOC limit orders `max_slippage_bps` beyond the bar's close
 *     (rounded away from the market to the tick), exits IOC market orders for
 *     the whole position, each with a "decision" message that carries the
 *     agent's reason and the order;
 *   - tick and lot: a configured value wins, 0 means the venue's
 *     (kit_inst_learn_steps);
 *   - bars are checked before any indicator sees them (kit_bar_problem);
 *   - an exit that left part of the position (partial IOC fill, rejection,
 *     risk denial) is sent again for the rest on the next bar.
 *
 * One order at a time: while the book holds a working order of the symbol
 * (kit_book, matched to the OMS's answers) no other is sent.
 * kit_pat_book is plain data: it travels in the hot-reload blob as is.
 */
#ifndef KIT_PAT_H
#define KIT_PAT_H

#include <stddef.h>
#include <stdint.h>
#include <tradehost/tradehost.h>

#include "kit_inst.h"
#include "kit_orders.h"
#include "kit_pos.h"

/* Schema entries every pattern agent accepts; put them first in its schema. */
#define KIT_SCHEMA_PATTERN \
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

/* Persistent trading bookkeeping (plain data: copied as is on hot reload). */
typedef struct kit_pat_book {
	kit_book orders;         /* intents and the OMS's answers: at most one working order */
	kit_pos pos;             /* from our own OMS fills, at qty_scale / price_scale */
	kit_inst inst;           /* tick / lot at the bars' scales, once the first bar is in */
	int32_t price_scale;     /* of the bars (and so of our orders); -1 before the first bar */
	int32_t qty_scale;
	int32_t exiting;         /* 1 from an exit decision until the position is flat */
	int32_t bad_bars;        /* bars refused (inconsistent OHLC, bad scale) */
	uint64_t bars;           /* usable bars seen */
} kit_pat_book;

/* How the kit runs a pattern plugin's lifecycle (start, export/import of the
 * hot-reload state): the agent struct starts with its kit_pat (so the plugin
 * instance pointer is also the kit_pat's), and its parameters and state are
 * plain-data members found at these offsets. */
typedef struct kit_pat_plugin {
	const char *name;              /* plugin name, for messages */
	size_t size;                   /* of the agent struct */
	/* After the common keys: read the plugin's own and set up its state; on
	 * failure set_error, undo what it did, return the status. */
	int (*configure)(void *agent, const th_host_api *api, th_ctx *ctx);
	void (*fini)(void *agent);     /* optional: free what configure set up */
	th_event_fn on_bar;            /* gets the agent */
	const char *magic;             /* hot-reload blob magic (up to 8 characters) */
	uint32_t version;              /* layout version of params + state */
	size_t params_off, params_len; /* the parameters: a state of other parameters is not taken */
	size_t state_off, state_len;   /* the strategy's state */
	/* Optional, after an import: same_params 1 = the state was taken; 0 =
	 * parameters changed, the state restarts, old_state is the saved one to
	 * pick from (e.g. an open trade's stop). */
	void (*reloaded)(void *agent, int same_params, const void *old_state);
} kit_pat_plugin;

typedef struct kit_pat {
	const kit_pat_plugin *plug;
	const th_host_api *api;
	th_ctx *ctx;
	const char *plugin;      /* plugin name, for messages (static) */
	char symbol[TH_SYMBOL_MAX];
	char venue[TH_VENUE_MAX];
	th_qty qty_cfg;          /* at KIT_CFG_SCALE */
	int64_t slippage_bps;
	kit_pat_book book;
} kit_pat;

/* Read and check the common keys; on failure set_error names the key and
 * TH_ERR_INVALID is returned. */
int kit_pat_config(kit_pat *a, const kit_pat_plugin *plug, const th_host_api *api, th_ctx *ctx);

/* Subscribe to bars of symbol@venue (on_bar gets `arg`) and to the agent's
 * own order / fill / risk events (handled here). */
int kit_pat_subscribe(kit_pat *a, th_event_fn on_bar, void *arg);

/* Take in a bar before any indicator sees it: refuse (log, the first five
 * only) a bar kit_bar_problem() finds fault with; learn the steps on the
 * first; forget intents the host never answered; and send again the rest of
 * an exit decided earlier. Returns 1 if the strategy should use the bar. */
int kit_pat_bar(kit_pat *a, const th_bar *b);

/* 1 while an order is working: no new order may be sent. */
int kit_pat_busy(const kit_pat *a);

/* Signed position at the bars' qty scale. */
th_qty kit_pat_position(const kit_pat *a);

/* Open a position: an IOC limit `max_slippage_bps` beyond the bar's close
 * (rounded away from the market to the tick) for the configured quantity
 * (rounded down to the lot). `why` names the indicators and the rule; it is
 * published as a "decision" message with the order. TH_OK if the intent was
 * published. Refuses (TH_ERR_STATE) while busy or not flat. */
int kit_pat_enter(kit_pat *a, const th_bar *b, int side, const char *why);

/* Close the whole position at market (IOC), with a "decision" message. */
int kit_pat_exit(kit_pat *a, const char *why);

/* Publish an agent message of `kind` ("decision", "explanation"), prefixed
 * with the symbol. */
void kit_pat_say(kit_pat *a, const char *kind, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Handle the agent's own order / fill / risk event (the subscription made by
 * kit_pat_subscribe calls it). */
void kit_pat_on_own(void *arg, const th_event *ev);

/* th_plugin_desc entries of a pattern plugin (arg: the agent, whose first
 * member is its kit_pat). create allocates the agent zeroed, reads the common
 * keys (kit_pat_config), then calls plug->configure; destroy calls plug->fini
 * and frees. start subscribes (bars to plug->on_bar). The
 * hot-reload blob holds the book, the parameters and the state behind a
 * kit_blob header; import always takes the book (position, working order),
 * the state only if the saved parameters equal this instance's, and refuses
 * a blob of another format with set_error("<plugin>: hot-reload state has
 * another format: ..."). */
int kit_pat_create(const kit_pat_plugin *plug, const th_host_api *api, th_ctx *ctx, void **out);
void kit_pat_destroy(void *arg);
int kit_pat_start(void *arg);
int kit_pat_export_state(void *arg, void **data, size_t *len);
int kit_pat_import_state(void *arg, const void *data, size_t len);

/* The kit_pat_plugin entries locating the agent's parameters and state. */
#define KIT_PAT_STATE(agent_type, params_member, state_member) \
	.params_off = offsetof(agent_type, params_member), \
	.params_len = sizeof(((agent_type *)0)->params_member), \
	.state_off = offsetof(agent_type, state_member), \
	.state_len = sizeof(((agent_type *)0)->state_member)

/* The th_plugin_desc entries the kit runs for a pattern plugin (its create
 * calls kit_pat_create with its kit_pat_plugin). */
#define KIT_PAT_DESC_ENTRIES \
	.start = kit_pat_start, .stop = kit_no_stop, .destroy = kit_pat_destroy, \
	.export_state = kit_pat_export_state, .import_state = kit_pat_import_state

#endif
