/*
 * core_kit testing — a quote-driven strategy plugin (market_maker, arbitrage)
 * under test: the fake host, the instance, the clock, and the events a
 * scripted OMS sends back (order updates, fills, risk denials), all at price
 * scale 2 and quantity scale 4. The test supplies the scripted OMS as `pump`
 * (it answers the intents published since w->seen); with `sync` set it runs
 * inside publish(), as the host answers publishes made from a timer.
 */
#ifndef KIT_WORLD_H
#define KIT_WORLD_H

#include <stddef.h>
#include <stdint.h>

#include "fake_host.h"

typedef struct kit_world kit_world;
typedef void (*kit_world_pump_fn)(kit_world *w);

struct kit_world {
	fake_host h;                  /* first: the world is its own th_ctx */
	const th_plugin_desc *d;
	void *inst;
	size_t seen;                  /* published events the scripted OMS has answered */
	int64_t t;                    /* host time */
	int sync;                     /* answer inside publish() */
	kit_world_pump_fn pump;       /* the test's scripted OMS */
	int (*publish)(th_ctx *ctx, const th_event *ev); /* the fake host's own */
	char symbol[TH_SYMBOL_MAX];
};

/* Host named `agent`, config from `config` (may be NULL), events about symbol. */
void kit_world_init(kit_world *w, const th_plugin_desc *d, const char *agent, const char *symbol,
	void (*config)(fake_host *h), kit_world_pump_fn pump);
/* create + start, asserting both succeed. */
void kit_world_start(kit_world *w);
/* stop (twice: idempotent) + destroy, asserting nothing leaked. */
void kit_world_end(kit_world *w);

/* A TH_EV_ORDER from the OMS (flagged, for the agent). */
void kit_world_order(kit_world *w, const char *venue, const char *clid, uint32_t side, uint32_t state, th_price px,
	th_qty qty, th_qty filled, const char *reason);
/* A TH_EV_FILL: the OMS's copy (oms = 1, for the agent) or the venue's raw one. */
void kit_world_fill(kit_world *w, const char *venue, const char *clid, const char *trade_id, uint32_t side,
	uint32_t liquidity, th_price px, th_qty qty, int oms);
/* A risk denial of intent_id by plugin; venue NULL: no venue/symbol in the header. */
void kit_world_deny(kit_world *w, const char *venue, uint64_t intent_id, const char *plugin, const char *message);
/* Move the clock dt_ms on (timers fire), then let the OMS answer. */
void kit_world_advance(kit_world *w, int64_t dt_ms);
/* advance, then a top-of-book quote on venue (size 1.0000 each side), then the OMS answers. */
void kit_world_quote(kit_world *w, const char *venue, int64_t dt_ms, th_price bid, th_price ask);

/* Hot reload: export from `from`, then `to` (initialised, not started) takes
 * from's clock, is created, imports the state and starts; all asserted. */
void kit_world_reload(kit_world *from, kit_world *to);
/* Determinism: a and b published the same intents (order, venue, time);
 * returns how many. */
size_t kit_world_same_intents(const kit_world *a, const kit_world *b);

size_t kit_world_intents(const kit_world *w);
/* The k-th intent event (asserted to exist). */
const th_event *kit_world_intent(const kit_world *w, size_t k);
/* The last agent message of `kind` containing `needle`, or NULL. */
const char *kit_world_msg_with(const kit_world *w, const char *kind, const char *needle);
/* explain() of the instance into buf, asserted TH_OK. */
void kit_world_explain(kit_world *w, char *buf, size_t cap);
/* create() with config + key = literal must fail, with an error containing
 * needle, allocating nothing. */
void kit_world_refused(const th_plugin_desc *d, const char *agent, void (*config)(fake_host *h), const char *key,
	const char *literal, const char *needle);

#endif
