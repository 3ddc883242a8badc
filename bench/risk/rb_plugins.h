/*
 * bench_risk — one risk plugin module (the built .so, through dlopen) and one
 * instance of it on its own fake host (tests/support/fake_host.h) that reads
 * the shared fake portfolio.
 *
 * The fake host keeps at most FAKE_MAX_CONFIG (24) keys and silently drops
 * the rest; limits with every rule on needs 30. So each plugin has a second
 * fake host, `overflow`, with the same schema, and the instance's config
 * getters ask the first host, then the overflow one when the first answers
 * NOT_FOUND. Keys with a schema default always go to the first host (the
 * first host answers with the default, so the overflow would never be
 * asked); keys without one fill the overflow host first. After create every
 * key set is read back through the instance's own getters, so a key that
 * went nowhere stops the benchmark instead of switching a rule off.
 */
#ifndef BENCH_RISK_RB_PLUGINS_H
#define BENCH_RISK_RB_PLUGINS_H

#include <stddef.h>

#include <tradehost/tradehost.h>

#include "fake_host.h"
#include "fake_portfolio.h"

#define RB_MAX_KEYS 64

typedef struct rb_plugin {
	fake_host h;        /* first member: the th_ctx the instance gets is &h */
	fake_host overflow; /* config keys that do not fit in h */
	th_host_api base;   /* h's own config getters, before wrapping */
	const char *name;
	void *dl;
	const th_plugin_desc *desc;
	const th_risk_api *risk;
	void *inst;
	int created, started;
	const char *keys[RB_MAX_KEYS];
	size_t nkeys;
} rb_plugin;

/* dlopen("<dir>/<name>.so"), check the descriptor (ABI, kind risk, name),
 * and set up the fake hosts on `pf`. 0, or -1 with err filled. */
int rb_plugin_load(rb_plugin *p, const char *dir, const char *name, fake_portfolio *pf, char *err, size_t cap);

/* Set a config key to a TOML literal (strings stay borrowed). Exits the
 * benchmark, naming the key, if it cannot be stored. */
void rb_config(rb_plugin *p, const char *key, const char *literal);

/* create + start, then read every key set back through the instance's
 * getters. 0, or -1 with err filled. */
int rb_plugin_start(rb_plugin *p, char *err, size_t cap);

/* Move the instance's host clock to t (timers due by then fire). */
void rb_plugin_advance(rb_plugin *p, int64_t t_ns);

/* stop + destroy + dlclose; returns the allocations the instance did not give back. */
long rb_plugin_unload(rb_plugin *p);

#endif
