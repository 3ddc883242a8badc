/*
 * core_kit testing — drives one chart-pattern agent (kit_pat) plugin through
 * the fake host in unit tests: scripted bars (price scale 2, qty scale 4,
 * BTC-USDT on "sim"), the kit's fake OMS answering each intent like the host
 * (risk decision, SUBMITTED, fill, final order state; or a risk denial), and
 * accessors for what the agent published.
 */
#ifndef KIT_PAT_RIG_H
#define KIT_PAT_RIG_H

#include <stddef.h>
#include <stdint.h>

#include "fake_host.h"
#include "kit_fake_oms.h"

#define PT_SYMBOL "BTC-USDT"
#define PT_VENUE "sim"
#define PT_PRICE_SCALE 2
#define PT_QTY_SCALE 4

typedef struct pt_run {
	fake_host h;
	kit_fake_oms oms;
	const th_plugin_desc *desc;
	void *inst;
	int64_t t_ns;        /* open time of the next bar */
	int auto_fill;       /* 1 (default): answer every intent right after the bar that caused it */
	int deny;            /* 1: deny intents at risk instead */
	th_qty fill_cap;     /* > 0: fill at most this much of each order, cancel the rest (IOC) */
	th_price last_close; /* market orders fill here */
} pt_run;

/* Fake host named "agent1" reading config against the plugin's schema;
 * `kv` is NULL or a NULL-terminated list of key, TOML-literal pairs. */
void pt_init(pt_run *r, const th_plugin_desc *desc, const char *const *kv);
/* create(); returns its status (the error text is in r->h.error). */
int pt_create(pt_run *r);
/* create() and start(), asserting both succeed. */
void pt_start(pt_run *r, const th_plugin_desc *desc, const char *const *kv);
void pt_finish(pt_run *r);
/* create() with the config pairs kv must fail with TH_ERR_INVALID and an
 * error containing `expect` (which names the key). */
void pt_refused(const th_plugin_desc *desc, const char *const *kv, const char *expect);

/* One bad value and what its error must contain. */
typedef struct pt_bad {
	const char *key, *value, *expect;
} pt_bad;
/* pt_refused for each of n cases (one key = value each). */
void pt_refused_each(const th_plugin_desc *desc, const pt_bad *cases, size_t n);

/* Deliver a bar (prices in cents, volume at 4 decimals), then answer intents. */
void pt_bar(pt_run *r, th_price open, th_price high, th_price low, th_price close, th_qty volume);
/* A bar with open = previous close, high/low = max/min(open, close) +- wick. */
void pt_step(pt_run *r, th_price close, th_price wick, th_qty volume);
/* Answer the intents not answered yet (fill, or deny when r->deny). */
void pt_answer(pt_run *r);

size_t pt_intents(const pt_run *r);
const th_intent *pt_intent(const pt_run *r, size_t k);
/* The k-th agent message of `kind` ("decision", "explanation"), or NULL. */
const char *pt_message(const pt_run *r, const char *kind, size_t k);
size_t pt_messages(const pt_run *r, const char *kind);

/* Hot reload: export from `from`, import into `to` (created, not started); returns import's status. */
int pt_handover(pt_run *from, pt_run *to);

#endif
