/*
 * core_kit testing — a strategy under test: fake host + fake OMS + the
 * plugin instance, with helpers to play scripted bars and read back intents
 * and agent messages. Prices/quantities are mantissas at the rig's scales
 * (default price 2, qty 4 digits).
 */
#ifndef KIT_RIG_H
#define KIT_RIG_H

#include <stddef.h>
#include <stdint.h>

#include "kit_fake_oms.h"

typedef struct kit_rig {
	fake_host h;
	kit_fake_oms oms;
	const th_plugin_desc *d;
	void *inst;
	int64_t t;                 /* open time of the next bar */
	int32_t ps, qs;            /* scales of the bars played */
	struct {
		char symbol[TH_SYMBOL_MAX];
		th_price close;
	} last[KIT_OMS_MAX_SYMBOLS];
} kit_rig;

/* Host named `name` with the plugin's schema; add config with fake_config(&r->h, ...). */
void kit_rig_init(kit_rig *r, const th_plugin_desc *d, const char *name);
/* create + start; returns create's status (the error text is in r->h.error). */
int kit_rig_start(kit_rig *r);
/* kit_rig_init, then config(&r->h) (may be NULL) and the pairs of kv (NULL
 * or a NULL-terminated key, TOML-literal list), then kit_rig_start: the test
 * fails if that does. */
void kit_rig_open(kit_rig *r, const th_plugin_desc *d, const char *name, void (*config)(fake_host *h),
	const char *const *kv);
/* The same configuration must be refused at create with an error containing
 * needle, leaving no instance and no allocation. */
void kit_rig_refused(const th_plugin_desc *d, const char *name, void (*config)(fake_host *h), const char *const *kv,
	const char *needle);
/* stop + destroy + free; returns the allocations the instance leaked (0). */
long kit_rig_close(kit_rig *r);

/* A bar of symbol at the current time, from the previous close to `close`
 * (range widened by 50 mantissa units), market orders filling at the close;
 * then the OMS answers. The clock does not move (see kit_rig_step). */
void kit_rig_bar(kit_rig *r, const char *symbol, th_price close, th_qty volume);
/* Next bar time. */
void kit_rig_step(kit_rig *r);
/* kit_rig_bar + kit_rig_step */
void kit_rig_bar1(kit_rig *r, const char *symbol, th_price close, th_qty volume);

size_t kit_rig_intents(const kit_rig *r);
/* The k-th intent (NULL if fewer). */
const th_intent *kit_rig_intent(const kit_rig *r, size_t k);
/* Intents of action PLACE only. */
size_t kit_rig_places(const kit_rig *r);
/* Text of the last agent message of kind ("decision" ...), or NULL. */
const char *kit_rig_last_msg(const kit_rig *r, const char *kind);
/* Agent messages whose text contains needle. */
size_t kit_rig_msgs_with(const kit_rig *r, const char *needle);

#endif
