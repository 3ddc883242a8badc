/*
 * Private to host/runtime: the host, its instance slots and the per-generation
 * context that plugins see as th_ctx.
 */
#ifndef HOST_RUNTIME_INTERNAL_H
#define HOST_RUNTIME_INTERNAL_H

#include <event2/event.h>
#include <stdint.h>
#include <tradehost/th_plugin.h>

#include "bus/bus.h"
#include "loader/loader.h"
#include "runtime/host.h"
#include "runtime/metrics_registry.h"
#include "runtime/timers.h"

typedef struct slot slot_t;

/* One live plugin instance: the thing a plugin's th_ctx points at. A hot
 * swap creates a new context for the same slot; the old one is destroyed
 * after routing switched. */
struct th_ctx {
	host_t *host;
	slot_t *slot;
	loader_module *module;
	void *instance;            /* the plugin's, from create() */
	toml_value *config;        /* effective config (schema-validated, defaults filled); owned */
	uint32_t generation;
	int started;
	char error[512];           /* set_error text */
	int64_t alloc_live;        /* allocations not yet freed, for leak reports */
	int64_t alloc_bytes;
};

struct slot {
	char name[TH_NAME_MAX];
	char plugin[TH_NAME_MAX];
	uint32_t kind;
	int optional;
	int present;               /* still in the configuration (reload bookkeeping) */
	uint32_t generations;      /* how many contexts this slot has had */
	struct th_ctx *live;       /* NULL when not running */
	loader_module *pending;    /* module acquired for the next start (host_start only) */
	toml_value *config_src;    /* clone of the instance's config table as written, for change detection */
	uint64_t metric_key;       /* this slot's owner key in h->metrics, 0 until first used (host_api.c) */
};

struct host {
	host_config cfg;
	host_clock_mode clock_mode;
	host_sim_clock sim;        /* HOST_CLOCK_SIM: now_ns is the host's time */
	struct event_base *base;
	struct event *timer_ev;    /* real mode: fires at the earliest timer */
	struct event *sig_int, *sig_term, *sig_hup;
	struct event *reload_ev;   /* deferred reload when asked for inside a dispatch */
	struct control *control;
	bus_t *bus;
	timers_t *timers;
	metrics_registry *metrics;
	uint64_t metric_keys;      /* last slot metric_key handed out; keys are never reused */
	struct state_mem *state_mem; /* backtests: instance state lives in memory, never in state_dir */
	th_host_api api;
	slot_t **slots;            /* in start order */
	size_t nslots;
	loader_module **modules;   /* loaded modules; a module is unloaded when no instance uses it */
	size_t nmodules;
	int stopping;
	host_portfolio_provider portfolio; /* ctx NULL: none */
	struct { char name[32]; host_command_fn fn; void *arg; } commands[16];
	size_t ncommands;
};

void host_api_init(th_host_api *api);
void host_timers_changed(host_t *h); /* re-arm the real-time driver */
void host_schedule_reload(host_t *h); /* reload on the next loop turn */

#endif
