/*
 * pattern_test — drives one pattern-agent plugin through the fake host in
 * unit tests: scripted bars (price scale 2, qty scale 4, BTC-USDT on "sim"),
 * a stand-in OMS that answers each intent (risk approval, fill, terminal
 * order event, all flagged TH_EVENT_FLAG_OMS for the agent) or denies it, and
 * accessors for what the agent published.
 */
#ifndef PATTERNS_COMMON_TESTS_PATTERN_TEST_H
#define PATTERNS_COMMON_TESTS_PATTERN_TEST_H

#include <stddef.h>
#include <stdint.h>

#include "fake_host.h"

#define PT_SYMBOL "BTC-USDT"
#define PT_VENUE "sim"
#define PT_PRICE_SCALE 2
#define PT_QTY_SCALE 4

typedef struct pt_run {
	fake_host h;
	const th_plugin_desc *desc;
	void *inst;
	int64_t t_ns;        /* open time of the next bar */
	size_t answered;     /* published events already answered by the stand-in OMS */
	int auto_fill;       /* 1 (default): fill every intent right after the bar that caused it */
	int deny;            /* 1: deny intents at risk instead */
	th_qty fill_cap;     /* > 0: fill at most this much of each order, cancel the rest (IOC) */
	th_price last_close;
	uint64_t fills;
} pt_run;

/* Fake host named "agent1" reading config against the plugin's schema;
 * `kv` is NULL or a NULL-terminated list of key, TOML-literal pairs. */
void pt_init(pt_run *r, const th_plugin_desc *desc, const char *const *kv);
/* create(); returns its status (the error text is in r->h.error). */
int pt_create(pt_run *r);
/* create() and start(), asserting both succeed. */
void pt_start(pt_run *r, const th_plugin_desc *desc, const char *const *kv);
void pt_finish(pt_run *r);

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
