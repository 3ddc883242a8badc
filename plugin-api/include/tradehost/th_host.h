/*
 * tradehost SDK — the table of host functions a plugin may call.
 *
 * The host passes `const th_host_api *` to create(); it stays valid until the
 * instance is destroyed. Every function takes the instance's `th_ctx *` (an
 * opaque host handle, also passed to create()) so the host can account timers,
 * subscriptions, memory and metrics per instance and release them when the
 * instance stops.
 *
 * Threading: call these only from the callback that the host is running on
 * your behalf (the host's loop thread). Plugins never start threads and never
 * read the system clock: now_ns() is wall time in paper/live and simulated
 * time in backtests.
 *
 * Compatibility: the table is append-only. `struct_size` tells how many slots
 * the running host has; check TH_HOST_HAS(api, slot) before calling a slot
 * added after ABI 1.0.
 * Depends on the C standard headers only.
 */
#ifndef TRADEHOST_TH_HOST_H
#define TRADEHOST_TH_HOST_H

#include <stddef.h>
#include <stdint.h>
#include "th_event.h"
#include "th_status.h"

typedef struct th_ctx th_ctx; /* opaque, owned by the host */

typedef enum th_log_level { TH_LOG_DEBUG = 10, TH_LOG_INFO = 20, TH_LOG_WARN = 30, TH_LOG_ERROR = 40 } th_log_level;

typedef struct th_log_field {
	const char *key;   /* borrowed for the call */
	const char *value; /* borrowed for the call */
} th_log_field;

typedef enum th_metric_kind { TH_METRIC_COUNTER = 1, TH_METRIC_GAUGE = 2 } th_metric_kind;

/* Timer callback: runs on the loop thread at (or, in backtests, exactly at)
 * the scheduled host time. `arg` is the pointer given to timer_add. Events
 * published inside it are delivered after it returns, as from a handler. */
typedef void (*th_timer_fn)(void *arg, uint64_t timer_id);

/* Event handler: `ev` is borrowed for the call. Publishing from inside a
 * handler is allowed: the event is queued and dispatched after the current
 * one, never recursively. */
typedef void (*th_event_fn)(void *arg, const th_event *ev);

typedef struct th_host_api {
	uint32_t struct_size;  /* sizeof(th_host_api) of the running host */
	uint32_t abi_major;
	uint32_t abi_minor;

	/* --- identity and errors --- */
	/* The instance's configured name; host-owned, valid until destroy. */
	const char *(*instance_name)(th_ctx *ctx);
	/* Record why the current callback failed (shown in the host's error and
	 * logs). printf-style; the text is copied. */
	void (*set_error)(th_ctx *ctx, const char *fmt, ...)
#if defined(__GNUC__)
		__attribute__((format(printf, 2, 3)))
#endif
		;

	/* --- clock and timers --- */
	int64_t (*now_ns)(th_ctx *ctx);  /* nanoseconds since the Unix epoch, host clock */
	/* Fire `fn` once after `delay_ns`, then every `interval_ns` if > 0.
	 * Timers are canceled automatically when the instance stops. In a
	 * backtest a periodic timer fires once for every period the simulated
	 * clock steps over, each at its own time (as live would): a half-second
	 * timer fires 120 times across a one-minute bar, so keep periodic work
	 * cheap or skip runs in which nothing happened. */
	int (*timer_add)(th_ctx *ctx, int64_t delay_ns, int64_t interval_ns, th_timer_fn fn, void *arg, uint64_t *timer_id);
	int (*timer_cancel)(th_ctx *ctx, uint64_t timer_id);

	/* --- event bus --- */
	/* `sub` and its strings are copied. Subscriptions are removed
	 * automatically when the instance stops. */
	int (*subscribe)(th_ctx *ctx, const th_subscription *sub, th_event_fn fn, void *arg, uint64_t *sub_id);
	int (*unsubscribe)(th_ctx *ctx, uint64_t sub_id);
	/* The event is copied (th_event_size(ev) bytes); h.seq is assigned by the
	 * bus, h.ts_ns by the host clock when 0, h.agent is forced to the
	 * instance's name for strategy plugins. TH_ERR_LIMIT if the queue is full. */
	int (*publish)(th_ctx *ctx, const th_event *ev);

	/* --- structured logging --- */
	void (*log)(th_ctx *ctx, int level, const char *msg, const th_log_field *fields, size_t nfields);
	void (*logf)(th_ctx *ctx, int level, const char *fmt, ...)
#if defined(__GNUC__)
		__attribute__((format(printf, 3, 4)))
#endif
		;

	/* --- configuration (validated against the plugin's schema; defaults filled) --- */
	/* *out is host-owned and valid until destroy. TH_ERR_NOT_FOUND if the key
	 * is not in the schema, TH_ERR_INVALID if it has another type. */
	int (*config_string)(th_ctx *ctx, const char *key, const char **out);
	int (*config_int)(th_ctx *ctx, const char *key, int64_t *out);
	int (*config_double)(th_ctx *ctx, const char *key, double *out); /* dimensionless parameters only */
	int (*config_bool)(th_ctx *ctx, const char *key, int *out);
	/* Exact decimal at `scale` fractional digits (money, prices, quantities). */
	int (*config_decimal)(th_ctx *ctx, const char *key, int scale, int64_t *out);
	/* String lists: count, then item i (host-owned, valid until destroy). */
	int (*config_list_len)(th_ctx *ctx, const char *key, size_t *out);
	int (*config_list_at)(th_ctx *ctx, const char *key, size_t index, const char **out);

	/* --- metrics (exported on /metrics with instance and plugin labels) --- */
	/* `name` matches [a-z_][a-z0-9_]*; counters must end in _total. */
	int (*metric_register)(th_ctx *ctx, int kind, const char *name, const char *help, uint32_t *metric_id);
	void (*metric_add)(th_ctx *ctx, uint32_t metric_id, int64_t delta);
	void (*metric_set)(th_ctx *ctx, uint32_t metric_id, int64_t value);

	/* --- per-instance durable key/value state (survives restarts and reloads) --- */
	/* Keys match [A-Za-z0-9_.-]{1,64}; values up to 1 MiB; data is copied. */
	int (*state_put)(th_ctx *ctx, const char *key, const void *data, size_t len);
	/* Copies up to `cap` bytes into buf and sets *len to the full size;
	 * TH_ERR_NOT_FOUND if absent, TH_ERR_LIMIT if cap was too small. */
	int (*state_get)(th_ctx *ctx, const char *key, void *buf, size_t cap, size_t *len);
	int (*state_delete)(th_ctx *ctx, const char *key);

	/* --- memory, counted per instance; free only what alloc returned --- */
	void *(*alloc)(th_ctx *ctx, size_t size);
	void (*free)(th_ctx *ctx, void *ptr);

	/* ===== ABI 1.1: portfolio views and trading-state control (risk models) =====
	 * Check TH_HOST_HAS(api, slot) before use. All views copy into caller-owned
	 * memory and reflect the state at the moment of the call. */

	/* The instrument `symbol` on venue instance `venue`, or NULL. Host-owned,
	 * valid until the venue instance stops. */
	const th_instrument *(*instrument)(th_ctx *ctx, const char *venue, const char *symbol);
	/* Last traded or bar-close price seen on the bus; 0 if none yet. */
	th_price (*last_price)(th_ctx *ctx, const char *venue, const char *symbol, int32_t *price_scale);
	/* Figures of a wallet: an agent, a farm, "master" or "total". */
	int (*wallet_stats)(th_ctx *ctx, const char *wallet, th_wallet_stats *out);
	/* Non-flat positions of a wallet (agent: its own; farm / "total":
	 * aggregated per instrument). Writes at most `cap`, returns how many exist. */
	size_t (*positions)(th_ctx *ctx, const char *wallet, th_position *out, size_t cap);
	/* Open orders (agent NULL = all), each with what is left to trade in qty.
	 * `out_agents` / `out_venues` may be NULL; else arrays of `cap` entries
	 * receiving each order's agent / venue instance. Returns how many exist. */
	size_t (*open_orders)(th_ctx *ctx, const char *agent, th_order *out, char (*out_agents)[TH_NAME_MAX],
		char (*out_venues)[TH_VENUE_MAX], size_t cap);
	/* The farm of an agent ("" if none). Host-owned string. */
	const char *(*agent_farm)(th_ctx *ctx, const char *agent);
	/* Trading state of a scope (th_state_scope, name as documented there). */
	int (*trading_state)(th_ctx *ctx, int scope, const char *name);
	/* Set a trading state; persisted (journaled) and published as an alert.
	 * `reason` is copied. */
	int (*set_trading_state)(th_ctx *ctx, int scope, const char *name, int state, const char *reason);
	/* De-leverage: cancel the scope's open orders and send orders that cut
	 * each of its positions by `step_bps` of its size (10000 = flatten), at
	 * market, reduce-only, through the OMS. Returns the number of orders sent. */
	int (*reduce_exposure)(th_ctx *ctx, int scope, const char *name, uint32_t step_bps);
} th_host_api;

#define TH_HOST_HAS(api, slot) \
	((api)->struct_size >= offsetof(th_host_api, slot) + sizeof((api)->slot) && (api)->slot != NULL)

#endif
