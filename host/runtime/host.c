#include "runtime/host.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/fsutil.h"
#include "common/log.h"
#include "config/schema.h"
#include "runtime/control.h"
#include "runtime/instance.h"
#include "runtime/runtime_internal.h"
#include "runtime/state_mem.h"

static int64_t bus_clock(void *arg)
{
	return host_now_ns(arg);
}

int64_t host_now_ns(const host_t *h)
{
	if (h->clock_mode == HOST_CLOCK_SIM)
		return h->sim.now_ns;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

host_sim_clock *host_sim_clock_of(host_t *h)
{
	return h->clock_mode == HOST_CLOCK_SIM ? &h->sim : NULL;
}

void host_set_sim_time(host_t *h, int64_t now_ns)
{
	if (h->clock_mode != HOST_CLOCK_SIM || now_ns < h->sim.now_ns)
		return;
	/* Fire timers in order, each at its own due time, so a plugin that reads
	 * now() inside a timer sees the time it was scheduled for. */
	while (timers_next_due(h->timers) <= now_ns) {
		h->sim.now_ns = timers_next_due(h->timers);
		/* like handlers, timer callbacks see what they publish delivered
		 * after they return, never inside their own publish() */
		bus_hold(h->bus);
		timers_run_due(h->timers, h->sim.now_ns, 1);
		bus_release(h->bus);
	}
	h->sim.now_ns = now_ns;
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	host_t *h = arg;
	bus_hold(h->bus);
	timers_run_due(h->timers, host_now_ns(h), 0);
	bus_release(h->bus);
	host_timers_changed(h);
}

void host_timers_changed(host_t *h)
{
	if (h->clock_mode != HOST_CLOCK_REAL || !h->timer_ev)
		return;
	int64_t due = timers_next_due(h->timers);
	if (due == INT64_MAX) {
		evtimer_del(h->timer_ev);
		return;
	}
	int64_t delay = due - host_now_ns(h);
	if (delay < 0)
		delay = 0;
	struct timeval tv = { (time_t)(delay / 1000000000LL), (suseconds_t)((delay % 1000000000LL) / 1000) };
	evtimer_add(h->timer_ev, &tv);
}

host_t *host_create(host_config *cfg, host_clock_mode clock, char *err, size_t errlen)
{
	host_t *h = calloc(1, sizeof *h);
	if (!h) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	h->cfg = *cfg;
	memset(cfg, 0, sizeof *cfg);
	h->clock_mode = clock;
	h->base = event_base_new();
	bus_options bo = { 0 };
	bo.clock_ns = bus_clock;
	bo.clock_arg = h;
	/* the simulated clock is a variable: the bus reads it without a call */
	if (clock == HOST_CLOCK_SIM)
		bo.clock_now_ns = &h->sim.now_ns;
	/* Real time: sample 1 in 64 dispatches for the /metrics latency histogram. */
	bo.latency_sample_log2 = clock == HOST_CLOCK_REAL ? 6 : 0;
	h->bus = bus_create(&bo);
	h->timers = timers_create();
	h->metrics = metrics_registry_create();
	if (clock == HOST_CLOCK_SIM)
		h->state_mem = state_mem_create();
	if (!h->base || !h->bus || !h->timers || !h->metrics || (clock == HOST_CLOCK_SIM && !h->state_mem)) {
		snprintf(err, errlen, "out of memory creating the host");
		host_destroy(h);
		return NULL;
	}
	h->sim.next_due_ns = timers_next_due_ptr(h->timers);
	h->timer_ev = evtimer_new(h->base, on_timer, h);
	host_api_init(&h->api);
	for (size_t i = 0; i < h->cfg.ninstances; i++) {
		const host_instance_cfg *ic = &h->cfg.instances[i];
		slot_t *s = calloc(1, sizeof *s);
		slot_t **grown = s ? realloc(h->slots, (h->nslots + 1) * sizeof *grown) : NULL;
		if (!grown) {
			free(s);
			snprintf(err, errlen, "out of memory");
			host_destroy(h);
			return NULL;
		}
		h->slots = grown;
		th_strlcpy(s->name, ic->name, sizeof s->name);
		th_strlcpy(s->plugin, ic->plugin, sizeof s->plugin);
		s->optional = ic->optional;
		s->present = 1;
		s->config_src = ic->config ? toml_clone(ic->config) : NULL;
		h->slots[h->nslots++] = s;
	}
	return h;
}

static void slot_free(slot_t *s)
{
	toml_free(s->config_src);
	free(s);
}

void host_destroy(host_t *h)
{
	if (!h)
		return;
	host_stop(h);
	for (size_t i = 0; i < h->nslots; i++)
		slot_free(h->slots[i]);
	free(h->slots);
	for (size_t i = 0; i < h->nmodules; i++)
		loader_unload(h->modules[i]);
	free(h->modules);
	control_close(h->control);
	if (h->timer_ev) event_free(h->timer_ev);
	if (h->sig_int) event_free(h->sig_int);
	if (h->sig_term) event_free(h->sig_term);
	if (h->sig_hup) event_free(h->sig_hup);
	if (h->reload_ev) event_free(h->reload_ev);
	bus_destroy(h->bus);
	timers_destroy(h->timers);
	metrics_registry_destroy(h->metrics);
	state_mem_destroy(h->state_mem);
	if (h->base) event_base_free(h->base);
	host_config_free(&h->cfg);
	free(h);
}

/* Stable sort of slots by kind rank (insertion sort: keeps config order within a kind). */
static void sort_slots(host_t *h)
{
	for (size_t i = 1; i < h->nslots; i++) {
		slot_t *s = h->slots[i];
		size_t j = i;
		while (j > 0 && kind_rank(h->slots[j - 1]->kind) > kind_rank(s->kind)) {
			h->slots[j] = h->slots[j - 1];
			j--;
		}
		h->slots[j] = s;
	}
}

int host_check(host_t *h, char *err, size_t errlen)
{
	for (size_t i = 0; i < h->nslots; i++) {
		slot_t *s = h->slots[i];
		loader_module *m;
		char merr[1024];
		int rc = module_acquire(h, s->plugin, &m, merr, sizeof merr);
		if (rc == 0) {
			/* create (never start) the instance, so checks a plugin makes
			 * across keys (slow > fast, ...) are reported too; then drop it */
			th_ctx *ctx;
			s->kind = m->kind;
			rc = ctx_create(h, s, m, s->config_src, &ctx, merr, sizeof merr);
			if (rc == 0)
				ctx_destroy(ctx); /* releases the module */
			else
				module_release(h, m);
		}
		if (rc != 0) {
			if (s->optional) {
				log_warn("optional instance %s would not start: %s", s->name, merr);
				continue;
			}
			snprintf(err, errlen, "instance %s: %s", s->name, merr);
			return -1;
		}
	}
	return 0;
}

int host_start(host_t *h, char *err, size_t errlen)
{
	/* Paper/live keep instance state, the journal and the control socket here. */
	if (h->clock_mode == HOST_CLOCK_REAL && fs_mkdir_p(h->cfg.state_dir, 0700) != 0) {
		snprintf(err, errlen, "cannot create state directory %s: %s", h->cfg.state_dir, strerror(errno));
		return -1;
	}
	/* Load every module first: a bad plugin file fails before anything runs. */
	loader_module **mods = calloc(h->nslots ? h->nslots : 1, sizeof *mods);
	if (!mods) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < h->nslots; i++) {
		slot_t *s = h->slots[i];
		char merr[1024];
		if (module_acquire(h, s->plugin, &mods[i], merr, sizeof merr) != 0) {
			if (s->optional) {
				log_warn("optional instance %s not started: %s", s->name, merr);
				continue;
			}
			snprintf(err, errlen, "instance %s: %s", s->name, merr);
			for (size_t k = 0; k < i; k++)
				module_release(h, mods[k]);
			free(mods);
			return -1;
		}
		s->kind = mods[i]->kind;
	}
	for (size_t i = 0; i < h->nslots; i++)
		h->slots[i]->pending = mods[i]; /* travels with its slot through the sort */
	free(mods);
	sort_slots(h);
	for (size_t i = 0; i < h->nslots; i++) {
		slot_t *s = h->slots[i];
		loader_module *m = s->pending;
		s->pending = NULL;
		if (!m)
			continue;
		char serr[1024];
		if (slot_swap(h, s, m, s->config_src, serr, sizeof serr) != 0) {
			if (s->optional) {
				log_warn("optional instance %s not started: %s", s->name, serr);
				continue;
			}
			snprintf(err, errlen, "%s", serr);
			for (size_t k = i + 1; k < h->nslots; k++) {
				module_release(h, h->slots[k]->pending);
				h->slots[k]->pending = NULL;
			}
			host_stop(h);
			return -1;
		}
		log_info("started instance %s (%s %s, %s)", s->name, s->plugin, s->live->module->version,
			loader_kind_name(s->kind));
	}
	return 0;
}

void host_stop(host_t *h)
{
	for (size_t i = h->nslots; i-- > 0;) {
		slot_t *s = h->slots[i];
		if (!s->live)
			continue;
		ctx_stop(s->live);
		log_info("stopped instance %s", s->name);
	}
	for (size_t i = h->nslots; i-- > 0;) {
		slot_t *s = h->slots[i];
		if (!s->live)
			continue;
		ctx_destroy(s->live);
		s->live = NULL;
		publish_lifecycle(h, s, TH_LC_STOPPED);
	}
}

bus_t *host_bus(host_t *h)
{
	return h->bus;
}

const struct metrics_registry *host_metrics(const host_t *h)
{
	return h->metrics;
}

const host_config *host_get_config(const host_t *h)
{
	return &h->cfg;
}

size_t host_instance_count(const host_t *h)
{
	return h->nslots;
}

int host_instance_info_at(const host_t *h, size_t i, host_instance_info *out)
{
	if (i >= h->nslots)
		return -1;
	const slot_t *s = h->slots[i];
	out->name = s->name;
	out->plugin = s->plugin;
	out->kind = loader_kind_name(s->kind);
	out->version = s->live ? s->live->module->version : "";
	out->generation = s->generations;
	out->running = s->live != NULL;
	return 0;
}

uint32_t host_instance_kind_at(const host_t *h, size_t i)
{
	return i < h->nslots ? h->slots[i]->kind : 0;
}

void *host_instance_handle(host_t *h, const char *name, const void **kind_api)
{
	for (size_t i = 0; i < h->nslots; i++) {
		slot_t *s = h->slots[i];
		if (strcmp(s->name, name) == 0 && s->live) {
			if (kind_api)
				*kind_api = s->live->module->desc->kind_api;
			return s->live->instance;
		}
	}
	return NULL;
}

/* --- real-time run --- */

void host_request_stop(host_t *h)
{
	h->stopping = 1;
	event_base_loopexit(h->base, NULL);
}

static void on_stop_signal(evutil_socket_t sig, short what, void *arg)
{
	(void)what;
	log_info("received %s, stopping", sig == SIGINT ? "SIGINT" : "SIGTERM");
	host_request_stop(arg);
}

static void do_reload(host_t *h)
{
	char summary[1024];
	int failures = host_reload(h, summary, sizeof summary);
	if (failures)
		log_error("reload: %s", summary);
	else
		log_info("reload: %s", summary);
}

static void on_reload_event(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	do_reload(arg);
}

static void on_hup(evutil_socket_t sig, short what, void *arg)
{
	(void)sig;
	(void)what;
	log_info("received SIGHUP, reloading");
	do_reload(arg);
}

static void stop_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
}

void host_hold_signals(void)
{
	sigset_t set;
	stop_signals(&set);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
}

int host_run(host_t *h)
{
	char err[512];
	signal(SIGPIPE, SIG_IGN);
	h->sig_int = evsignal_new(h->base, SIGINT, on_stop_signal, h);
	h->sig_term = evsignal_new(h->base, SIGTERM, on_stop_signal, h);
	h->sig_hup = evsignal_new(h->base, SIGHUP, on_hup, h);
	h->reload_ev = event_new(h->base, -1, 0, on_reload_event, h);
	if (!h->sig_int || !h->sig_term || !h->sig_hup || !h->reload_ev) {
		log_error("cannot install signal handlers");
		return -1;
	}
	evsignal_add(h->sig_int, NULL);
	evsignal_add(h->sig_term, NULL);
	evsignal_add(h->sig_hup, NULL);
	sigset_t held; /* delivered now if one arrived during start-up */
	stop_signals(&held);
	pthread_sigmask(SIG_UNBLOCK, &held, NULL);
	if (h->cfg.control_socket && h->cfg.control_socket[0]) {
		h->control = control_open(h, h->base, h->cfg.control_socket, err, sizeof err);
		if (!h->control) {
			log_error("%s", err);
			return -1;
		}
	}
	host_timers_changed(h);
	log_info("tradehost running (%s mode, %zu instance(s)); SIGHUP or `tradehost reload` reloads, SIGTERM stops",
		h->cfg.mode, h->nslots);
	event_base_dispatch(h->base);
	control_close(h->control);
	h->control = NULL;
	return 0;
}

void host_schedule_reload(host_t *h)
{
	event_active(h->reload_ev, 0, 0);
}

struct event_base *host_event_base(host_t *h)
{
	return h->base;
}

int host_add_timer(host_t *h, const void *owner, int64_t delay_ns, int64_t interval_ns,
	void (*fn)(void *arg, uint64_t id), void *arg, uint64_t *id)
{
	int rc = timers_add(h->timers, owner, host_now_ns(h) + (delay_ns > 0 ? delay_ns : 0), interval_ns, fn, arg, id);
	if (rc == TH_OK)
		host_timers_changed(h);
	return rc;
}

void host_cancel_timers(host_t *h, const void *owner)
{
	if (timers_cancel_owner(h->timers, owner))
		host_timers_changed(h);
}

const char *host_instance_farm(const host_t *h, const char *name)
{
	/* Asked for every intent an agent sends: the first letter skips most
	 * other instances (the venues ahead of the agents) without a strcmp
	 * call. Same answer: unequal first bytes are unequal names. */
	for (size_t i = 0; i < h->cfg.ninstances; i++) {
		const char *n = h->cfg.instances[i].name;
		if (n[0] == name[0] && strcmp(n, name) == 0)
			return h->cfg.instances[i].farm;
	}
	return NULL;
}

void host_set_portfolio_provider(host_t *h, const host_portfolio_provider *p)
{
	if (p)
		h->portfolio = *p;
	else
		memset(&h->portfolio, 0, sizeof h->portfolio);
}

int host_register_command(host_t *h, const char *name, host_command_fn fn, void *arg)
{
	for (size_t i = 0; i < h->ncommands; i++) {
		if (strcmp(h->commands[i].name, name) == 0) {
			h->commands[i].fn = fn;
			h->commands[i].arg = arg;
			return 0;
		}
	}
	if (h->ncommands == sizeof h->commands / sizeof h->commands[0] || strlen(name) >= sizeof h->commands[0].name)
		return -1;
	th_strlcpy(h->commands[h->ncommands].name, name, sizeof h->commands[0].name);
	h->commands[h->ncommands].fn = fn;
	h->commands[h->ncommands].arg = arg;
	h->ncommands++;
	return 0;
}

int host_run_command(host_t *h, const char *name, const char *args, char *reply, size_t cap)
{
	for (size_t i = 0; i < h->ncommands; i++)
		if (strcmp(h->commands[i].name, name) == 0)
			return h->commands[i].fn(h->commands[i].arg, args ? args : "", reply, cap) == 0 ? 0 : 1;
	return -1;
}
