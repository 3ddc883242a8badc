/*
 * A small th_host_api for plugin tests: a fake clock, a timer queue, a bus
 * that records what the plugin publishes and lets the test deliver events to
 * the plugin's subscriptions, a config table read through the plugin's own
 * schema (defaults included), an in-memory state store that outlives plugin
 * instances (for "restart" tests), and counted allocations (leak checks).
 */
#ifndef TESTS_SUPPORT_FAKE_HOST_H
#define TESTS_SUPPORT_FAKE_HOST_H

#include <stddef.h>
#include <stdint.h>

#include <tradehost/tradehost.h>

#define FAKE_MAX_TIMERS 64
#define FAKE_MAX_SUBS 16
#define FAKE_MAX_CONFIG 24
#define FAKE_MAX_KV 8
#define FAKE_MAX_METRICS 64 /* var: 12 host gauges + 3 per agent or farm scope */

typedef struct fake_timer {
	uint64_t id;
	int64_t due_ns;
	int64_t interval_ns;
	th_timer_fn fn;
	void *arg;
	int live;
} fake_timer;

typedef struct fake_sub {
	uint64_t id;
	uint32_t topics;
	char venue[TH_VENUE_MAX];
	char symbol[TH_SYMBOL_MAX];
	char agent[TH_NAME_MAX];
	th_event_fn fn;
	void *arg;
	int live;
} fake_sub;

typedef struct fake_kv {
	char key[65];
	unsigned char *data;
	size_t len;
	int live;
} fake_kv;

typedef struct fake_host {
	th_host_api api;
	const th_config_field *schema;
	char name[TH_NAME_MAX];
	char error[512];
	char last_log[512];
	int64_t now_ns;

	fake_timer timers[FAKE_MAX_TIMERS];
	uint64_t next_timer_id;

	fake_sub subs[FAKE_MAX_SUBS];
	uint64_t next_sub_id;

	th_event *events; /* everything published, in order */
	size_t nevents, capevents;
	uint64_t next_seq;
	int publish_failures; /* the next N publishes answer TH_ERR_LIMIT */

	struct {
		const char *key;
		const char *literal; /* TOML literal text, as in a config file */
	} config[FAKE_MAX_CONFIG];
	size_t nconfig;
	char pool[8192]; /* strings handed out by config getters */
	size_t pool_used;

	fake_kv kv[FAKE_MAX_KV];
	size_t state_puts;

	struct {
		char name[64];
		int64_t value;
	} metrics[FAKE_MAX_METRICS];
	size_t nmetrics;

	long live_allocs;
	struct fake_portfolio *portfolio; /* ABI 1.1 slots: see fake_portfolio.h */
} fake_host;

/* Instance name `name`; config read against `schema`. */
void fake_host_init(fake_host *h, const char *name, const th_config_field *schema);
/* Frees events and the state store. */
void fake_host_free(fake_host *h);
th_ctx *fake_ctx(fake_host *h);

/* Set a config key to a TOML literal ("[\"BTC-USDT\"]", "2", "\"0.01\"", "true"). */
void fake_config(fake_host *h, const char *key, const char *literal);
/* Forget the config (keep the state store), e.g. before a restart with other keys. */
void fake_config_clear(fake_host *h);

/* Move the clock to `t`, firing due timers in (due, id) order at their due time. */
void fake_advance_to(fake_host *h, int64_t t_ns);
size_t fake_pending_timers(const fake_host *h);

/* Deliver a market event to matching subscriptions (as the bus would). */
void fake_deliver(fake_host *h, const th_event *ev);
size_t fake_live_subs(const fake_host *h);

/* The process died: drop every subscription and timer (the state store stays). */
void fake_kill(fake_host *h);

void fake_clear_events(fake_host *h);
/* The k-th published event of `type`, or NULL. */
const th_event *fake_event(const fake_host *h, uint16_t type, size_t k);
size_t fake_count(const fake_host *h, uint16_t type);
/* Last TH_EV_ORDER for clid, or NULL. */
const th_event *fake_last_order(const fake_host *h, const char *clid);

int64_t fake_metric(const fake_host *h, const char *name);

#endif
