/*
 * core_kit — the common body of a single-symbol bar strategy (momentum,
 * mean reversion): symbol/venue/qty/tick/lot configuration, scales learnt
 * from the first bar (or a halt that says why), the bar history, one working
 * market order at a time, the position from the agent's own fills, the best
 * close since entry, rejections explained, and taking over an old
 * instance's state on hot reload. Plain data: it travels in export_state.
 */
#ifndef KIT_SOLO_H
#define KIT_SOLO_H

#include <stddef.h>
#include <stdint.h>
#include <tradehost/tradehost.h>
#include <tradehost/th_ta.h>

#include "kit_hist.h"
#include "kit_inst.h"
#include "kit_orders.h"
#include "kit_pos.h"

typedef struct kit_solo {
	char plugin[TH_NAME_MAX];   /* for messages */
	char symbol[TH_SYMBOL_MAX];
	char venue[TH_VENUE_MAX];
	kit_inst inst;
	kit_hist hist;
	kit_book book;
	kit_pos pos;
	th_qty qty_cfg;             /* entry size at KIT_CFG_SCALE */
	th_qty qty;                 /* entry size at the instrument's qty scale, once known */
	th_price extreme;           /* best close since the position opened (long: highest, short: lowest) */
	uint32_t seeded;            /* position taken over (reload) or read from the host (fresh start) */
	uint32_t halted;            /* the configuration does not fit the market: no trading */
	char halt_reason[160];
} kit_solo;

/* Schema rows for symbol, venue, qty, tick and lot. */
#define KIT_SCHEMA_SOLO \
	{ "symbol", TH_CONFIG_STRING, 1, NULL, NULL, NULL, "instrument to trade, e.g. \"BTC-USDT\"" }, \
	{ "venue", TH_CONFIG_STRING, 0, "\"sim\"", NULL, NULL, "venue instance whose bars are read and traded on" }, \
	{ "qty", TH_CONFIG_DECIMAL, 0, "\"0.01\"", "0", NULL, "quantity of each entry (a multiple of lot)" }, \
	KIT_SCHEMA_TICK_LOT

/* Read symbol, venue, qty, tick, lot (qty > 0 and a multiple of lot). */
int kit_solo_config(kit_solo *s, const th_host_api *api, th_ctx *ctx, const char *plugin);

/* Subscribe to the symbol's bars on the venue and to the agent's own
 * ORDER / FILL / RISK events. */
int kit_solo_subscribe(const kit_solo *s, const th_host_api *api, th_ctx *ctx, th_event_fn on_bar,
	th_event_fn on_own, void *arg);

/* Take in a bar of the agent's symbol: learn the scales (halting with an
 * explanation if they do not fit), on a fresh instance read its position from
 * the host (a restart must not forget what it holds), record the bar, move
 * the trailing extreme.
 * Returns 1 if the strategy should evaluate its rule on this bar. */
int kit_solo_bar(kit_solo *s, const th_host_api *api, th_ctx *ctx, const th_event *ev);

/* An order is working: wait for its outcome. */
int kit_solo_busy(const kit_solo *s);

/* Send a market IOC order and publish the decision ("<text> -> buy 0.5 at
 * market (intent n)"). */
int kit_solo_market(kit_solo *s, const th_host_api *api, th_ctx *ctx, uint32_t side, th_qty qty, const char *text);

/* Feed the agent's own ORDER / FILL / RISK events. */
void kit_solo_on_own(kit_solo *s, const th_host_api *api, th_ctx *ctx, const th_event *ev);

/* Hot reload: `s` is configured (kit_solo_config); take bars, orders,
 * position from `old`, re-learning scales for this configuration. Fails,
 * with set_error, if the old state is about another symbol or its scales do
 * not fit this tick/lot/qty. */
int kit_solo_adopt(kit_solo *s, const kit_solo *old, const th_host_api *api, th_ctx *ctx);

/* "position 0.5, 1 working order(s)" */
int kit_solo_status(const kit_solo *s, char *buf, size_t cap);

/*
 * The plugin lifecycle of a single-symbol bar strategy, so that its source is
 * its rule: the plugin's instance struct starts with a kit_solo_agent, holds
 * its kit_solo (the hot-reload state) at `solo_off`, and gives the kit its
 * indicator hooks. The kit's th_plugin_desc entries then take the instance
 * as `arg`.
 */
typedef struct kit_solo_rule {
	size_t size;            /* of the instance */
	/* Read the configuration (kit_solo_config among it); on failure
	 * set_error and return the status. */
	int (*configure)(void *agent, const th_host_api *api, th_ctx *ctx);
	/* Set up the indicators (th_ta: TH_TA_OK, or TH_TA_EPARAM with err->msg,
	 * or TH_TA_ENOMEM), undoing what it did on failure. */
	int (*init_ind)(void *agent, th_ta_error *err);
	void (*fini)(void *agent); /* free the indicators */
	const char *magic;      /* hot-reload blob magic (up to 8 characters) */
	uint32_t version;       /* layout version of the kit_solo state */
	size_t solo_off;        /* offset of the kit_solo in the instance */
	/* Feed one bar to the indicators (after it was recorded in the history). */
	void (*feed)(void *agent, const th_bar *b);
	/* The rule on the latest bar: text (always, for decisions and explain),
	 * and if it returns 1 the order: *side, *exit (1: close the position). */
	int (*evaluate)(const void *agent, uint32_t *side, int *exit, char *text, size_t cap);
	/* Rebuild the indicators from the history after an import; 0 if done. */
	int (*replay)(void *agent);
} kit_solo_rule;

typedef struct kit_solo_agent {
	const kit_solo_rule *rule;
	const th_host_api *api;
	th_ctx *ctx;
} kit_solo_agent;

/* create: allocate (host allocator, zeroed), configure, init_ind (an error
 * "<plugin>: indicators: ..."); destroy: fini and free. */
int kit_solo_create(const kit_solo_rule *rule, const th_host_api *api, th_ctx *ctx, void **out);
void kit_solo_destroy(void *arg);
/* start: subscribe; bars run kit_solo_bar, feed, then (no order working)
 * evaluate and send its market order; own events go to kit_solo_on_own. */
int kit_solo_start(void *arg);
int kit_solo_export_state(void *arg, void **data, size_t *len);
/* The new instance keeps its own configuration (periods may have changed),
 * takes over bars, orders and position (kit_solo_adopt) and replays its
 * indicators from the bars. */
int kit_solo_import_state(void *arg, const void *data, size_t len);
/* The rule's text on the latest bar and the status, or why it does not trade. */
int kit_solo_explain(void *arg, char *buf, size_t cap);

/* The th_plugin_desc entries the kit runs for such a plugin (its create
 * calls kit_solo_create with its rule; kind_api's explain is kit_solo_explain). */
#define KIT_SOLO_DESC_ENTRIES \
	.start = kit_solo_start, .stop = kit_no_stop, .destroy = kit_solo_destroy, \
	.export_state = kit_solo_export_state, .import_state = kit_solo_import_state

#endif
