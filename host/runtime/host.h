/*
 * The host runtime: owns the loop, clock, timers, bus, loaded modules and the
 * configured plugin instances, and performs hot reload as a generation swap.
 *
 * Everything here runs on the one loop thread.
 */
#ifndef HOST_RUNTIME_HOST_H
#define HOST_RUNTIME_HOST_H

#include <stddef.h>
#include <stdint.h>

#include <tradehost/th_types.h>

#include "runtime/host_config.h"

typedef struct host host_t;

typedef enum host_clock_mode { HOST_CLOCK_REAL = 0, HOST_CLOCK_SIM = 1 } host_clock_mode;

/* Takes ownership of *cfg (it is moved; the caller's struct is zeroed). */
host_t *host_create(host_config *cfg, host_clock_mode clock, char *err, size_t errlen);
void host_destroy(host_t *h);

/* Validate without starting anything: every instance's plugin is found,
 * trusted, loadable and ABI-compatible, and its config passes the plugin's
 * schema. Optional instances that fail are reported as warnings only. */
int host_check(host_t *h, char *err, size_t errlen);

/* Load modules and create + start every configured instance in kind order
 * (exchanges, risk, llm, strategies). A failing non-optional instance stops
 * everything already started and returns -1 with err set: nothing starts
 * half-way. */
int host_start(host_t *h, char *err, size_t errlen);
/* Stop instances in reverse start order and destroy them. Idempotent. */
void host_stop(host_t *h);

/* Real-time run: libevent loop with SIGINT/SIGTERM (stop), SIGHUP (reload)
 * and the control socket. Returns when stopped. */
int host_run(host_t *h);
/* Hold SIGINT/SIGTERM/SIGHUP from process start until host_run has its
 * handlers in place (it releases them): a stop request that arrives while
 * plugins, trading or the front door are still starting is then handled as
 * a clean stop instead of killing the process. Call before any thread starts
 * (threads inherit the mask, so the signals go to the loop thread). */
void host_hold_signals(void);
void host_request_stop(host_t *h);

/* Re-read the configuration file (with the same environment and flag
 * overrides) and rescan the plugin directories; swap changed instances,
 * start added ones, stop removed ones. Per instance all-or-nothing: on any
 * failure the old generation stays live. Returns the number of failures and
 * writes a one-line summary into `summary`. */
int host_reload(host_t *h, char *summary, size_t cap);

/* Clock */
int64_t host_now_ns(const host_t *h);
void host_set_sim_time(host_t *h, int64_t now_ns); /* HOST_CLOCK_SIM only; fires due timers */

/* The simulated clock as hot paths read it: a backtest moves it on every
 * event and reads it on every bar, and two calls per event (with a third,
 * timers_next_due, inside) cost more than the work they guard. The host
 * owns it; host_sim_clock() hands it out (stable for the host's life) so
 * readers load now_ns directly and the driver advances it inline. */
typedef struct host_sim_clock {
	int64_t now_ns;
	const int64_t *next_due_ns; /* the host timers' earliest due time (INT64_MAX: none) */
} host_sim_clock;
/* NULL unless the host runs on HOST_CLOCK_SIM. */
host_sim_clock *host_sim_clock_of(host_t *h);
/* host_set_sim_time(h, now_ns) for c = host_sim_clock_of(h): when no timer
 * falls due by now_ns (nearly every event) only the time moves. */
static inline void host_sim_advance(host_t *h, host_sim_clock *c, int64_t now_ns)
{
	if (now_ns >= c->now_ns && now_ns < *c->next_due_ns)
		c->now_ns = now_ns;
	else
		host_set_sim_time(h, now_ns);
}

/* Access for other host subsystems (OMS, backtest driver, front door). */
struct bus;
struct bus *host_bus(host_t *h);
/* Plugin-registered metric series (runtime/metrics_registry.h), for /metrics. */
struct metrics_registry;
const struct metrics_registry *host_metrics(const host_t *h);
const host_config *host_get_config(const host_t *h);

/* Loop and timers for host subsystems (trading, front door). Timers added
 * with an owner are canceled by host_cancel_timers(owner). */
struct event_base *host_event_base(host_t *h);
int host_add_timer(host_t *h, const void *owner, int64_t delay_ns, int64_t interval_ns,
	void (*fn)(void *arg, uint64_t id), void *arg, uint64_t *id);
void host_cancel_timers(host_t *h, const void *owner);

/* The configured farm of a strategy instance ("" if none), or NULL if no
 * such instance. */
const char *host_instance_farm(const host_t *h, const char *name);

/* The portfolio and trading-state slots of th_host_api (ABI 1.1) are served
 * by whoever runs trading (host/trading) through this table; without one
 * they answer "not found" / 0. All calls happen on the loop thread. */
typedef struct host_portfolio_provider {
	void *ctx;
	const th_instrument *(*instrument)(void *ctx, const char *venue, const char *symbol);
	th_price (*last_price)(void *ctx, const char *venue, const char *symbol, int32_t *scale);
	int (*wallet_stats)(void *ctx, const char *wallet, th_wallet_stats *out);
	size_t (*positions)(void *ctx, const char *wallet, th_position *out, size_t cap);
	size_t (*open_orders)(void *ctx, const char *agent, th_order *out, char (*agents)[TH_NAME_MAX],
		char (*venues)[TH_VENUE_MAX], size_t cap);
	int (*trading_state)(void *ctx, int scope, const char *name);
	int (*set_trading_state)(void *ctx, int scope, const char *name, int state, const char *reason, const char *who);
	int (*reduce_exposure)(void *ctx, int scope, const char *name, uint32_t step_bps);
} host_portfolio_provider;
void host_set_portfolio_provider(host_t *h, const host_portfolio_provider *p); /* NULL clears */

/* Operator commands on the control socket beyond reload/status (e.g. the
 * kill switch): `fn` writes one reply line into `reply`; returns 0 for "ok". */
typedef int (*host_command_fn)(void *arg, const char *args, char *reply, size_t cap);
int host_register_command(host_t *h, const char *name, host_command_fn fn, void *arg);
int host_run_command(host_t *h, const char *name, const char *args, char *reply, size_t cap); /* -1 unknown */

/* Introspection: instance count and the n-th instance's public facts. */
typedef struct host_instance_info {
	const char *name, *plugin, *kind, *version;
	uint32_t generation;
	int running;
} host_instance_info;
size_t host_instance_count(const host_t *h);
int host_instance_info_at(const host_t *h, size_t i, host_instance_info *out);
/* The n-th instance's plugin kind (TH_KIND_*; 0 past the end), for a loop
 * that looks for one kind on every intent (the risk checks) without filling
 * a whole host_instance_info per instance. Its info's kind is
 * loader_kind_name() of this. */
uint32_t host_instance_kind_at(const host_t *h, size_t i);
/* The live plugin instance pointer and descriptor for a named instance
 * (NULL if none), e.g. for the OMS to call an exchange's table. */
void *host_instance_handle(host_t *h, const char *name, const void **kind_api);

#endif
