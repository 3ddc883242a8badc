#include "runtime/instance.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/log.h"
#include "config/schema.h"
#include "loader/image.h"
#include "loader/trust.h"

int kind_rank(uint32_t kind)
{
	switch (kind) {
	case TH_KIND_EXCHANGE: return 0; /* venues first: strategies may query them at start */
	case TH_KIND_RISK: return 1;
	case TH_KIND_LLM: return 2;
	case TH_KIND_STRATEGY: return 3;
	default: return 4;
	}
}

void publish_lifecycle(host_t *h, const slot_t *slot, th_lifecycle_state state)
{
	th_event ev;
	th_event_init(&ev, TH_EV_LIFECYCLE);
	memset(&ev.u.lifecycle, 0, sizeof ev.u.lifecycle);
	th_strlcpy(ev.u.lifecycle.instance, slot->name, sizeof ev.u.lifecycle.instance);
	th_strlcpy(ev.u.lifecycle.plugin, slot->plugin, sizeof ev.u.lifecycle.plugin);
	ev.u.lifecycle.state = (uint32_t)state;
	ev.u.lifecycle.generation = slot->generations;
	bus_publish(h->bus, &ev);
}

static int find_plugin_file(host_t *h, const char *plugin, char *path, size_t cap, char *err, size_t errlen)
{
	int found = 0;
	char first[PATH_MAX] = "";
	for (size_t i = 0; i < h->cfg.nplugin_dirs; i++) {
		const char *dir = h->cfg.plugin_dirs[i];
		char candidate[PATH_MAX];
		struct stat st;
		if (trust_check_dir(dir, err, errlen) != 0)
			return -1;
		if (snprintf(candidate, sizeof candidate, "%s/%s.so", dir, plugin) >= (int)sizeof candidate)
			continue;
		if (stat(candidate, &st) != 0)
			continue;
		if (found) {
			snprintf(err, errlen, "duplicate plugin \"%s\": both %s and %s; remove one", plugin, first,
				candidate);
			return -1;
		}
		found = 1;
		snprintf(first, sizeof first, "%s", candidate);
	}
	if (!found) {
		size_t pos = (size_t)snprintf(err, errlen, "plugin \"%s\" not found: no %s.so in", plugin, plugin);
		for (size_t i = 0; i < h->cfg.nplugin_dirs && pos < errlen; i++)
			pos += (size_t)snprintf(err + pos, errlen - pos, "%s %s", i ? "," : "", h->cfg.plugin_dirs[i]);
		return -1;
	}
	snprintf(path, cap, "%s", first);
	return 0;
}

int module_acquire(host_t *h, const char *plugin, loader_module **out, char *err, size_t errlen)
{
	char path[PATH_MAX];
	uint8_t hash[32];
	*out = NULL;
	if (find_plugin_file(h, plugin, path, sizeof path, err, errlen) != 0)
		return -1;
	if (image_hash_file(path, hash, err, errlen) != 0)
		return -1;
	for (size_t i = 0; i < h->nmodules; i++) {
		loader_module *m = h->modules[i];
		if (strcmp(m->path, path) == 0 && memcmp(m->hash, hash, sizeof hash) == 0) {
			m->instances++;
			*out = m;
			return 0;
		}
	}
	loader_policy policy = { h->cfg.require_signed, (const uint8_t(*)[32])h->cfg.trusted_keys, h->cfg.ntrusted };
	loader_module *m;
	if (loader_load(path, &policy, &m, err, errlen) != 0)
		return -1;
	if (strcmp(m->name, plugin) != 0) {
		snprintf(err, errlen, "%s: descriptor name is \"%s\" but the file is named %s.so; they must match", path,
			m->name, plugin);
		loader_unload(m);
		return -1;
	}
	loader_module **grown = realloc(h->modules, (h->nmodules + 1) * sizeof *grown);
	if (!grown) {
		loader_unload(m);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	h->modules = grown;
	h->modules[h->nmodules++] = m;
	m->instances = 1;
	log_debug("loaded plugin %s %s (%s, ABI %u.%u) from %s", m->name, m->version, loader_kind_name(m->kind),
		m->abi_major, m->abi_minor, path);
	*out = m;
	return 0;
}

void module_release(host_t *h, loader_module *m)
{
	if (!m || --m->instances > 0)
		return;
	for (size_t i = 0; i < h->nmodules; i++) {
		if (h->modules[i] == m) {
			h->modules[i] = h->modules[--h->nmodules];
			break;
		}
	}
	log_debug("unloading plugin %s %s", m->name, m->version);
	loader_unload(m);
}

int ctx_create(host_t *h, slot_t *slot, loader_module *m, const toml_value *config, th_ctx **out, char *err,
	size_t errlen)
{
	char where[96], verr[768];
	toml_value *effective = NULL;
	*out = NULL;
	snprintf(where, sizeof where, "instances.%s.config", slot->name);
	if (config_validate(config, loader_module_schema(m), where, &effective, verr, sizeof verr) != 0) {
		snprintf(err, errlen, "instance %s (plugin %s): %s", slot->name, m->name, verr);
		return -1;
	}
	th_ctx *ctx = calloc(1, sizeof *ctx);
	if (!ctx) {
		toml_free(effective);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	ctx->host = h;
	ctx->slot = slot;
	ctx->module = m;
	ctx->config = effective;
	ctx->generation = slot->generations + 1;
	int rc = m->desc->create(&h->api, ctx, &ctx->instance);
	if (rc != TH_OK) {
		snprintf(err, errlen, "instance %s (plugin %s): create failed (%d): %s", slot->name, m->name, rc,
			ctx->error[0] ? ctx->error : "no detail given");
		bus_unsubscribe_owner(h->bus, ctx);
		timers_cancel_owner(h->timers, ctx);
		toml_free(ctx->config);
		free(ctx);
		return -1;
	}
	*out = ctx;
	return 0;
}

int ctx_start(th_ctx *ctx, char *err, size_t errlen)
{
	ctx->error[0] = '\0';
	int rc = ctx->module->desc->start(ctx->instance);
	if (rc != TH_OK) {
		snprintf(err, errlen, "instance %s (plugin %s): start failed (%d): %s", ctx->slot->name,
			ctx->module->name, rc, ctx->error[0] ? ctx->error : "no detail given");
		ctx->started = 1; /* so ctx_stop runs stop() and drops what start() registered */
		ctx_stop(ctx);
		return -1;
	}
	ctx->started = 1;
	return 0;
}

void ctx_stop(th_ctx *ctx)
{
	if (!ctx || !ctx->started)
		return;
	ctx->module->desc->stop(ctx->instance);
	bus_unsubscribe_owner(ctx->host->bus, ctx);
	if (timers_cancel_owner(ctx->host->timers, ctx))
		host_timers_changed(ctx->host);
	ctx->started = 0;
}

void ctx_destroy(th_ctx *ctx)
{
	if (!ctx)
		return;
	host_t *h = ctx->host;
	ctx_stop(ctx);
	ctx->module->desc->destroy(ctx->instance);
	/* Whatever create() registered without start() is released too. */
	bus_unsubscribe_owner(h->bus, ctx);
	timers_cancel_owner(h->timers, ctx);
	if (ctx->alloc_live != 0)
		log_warn("instance %s (plugin %s, generation %u) leaked %lld allocation(s), %lld bytes", ctx->slot->name,
			ctx->module->name, ctx->generation, (long long)ctx->alloc_live, (long long)ctx->alloc_bytes);
	module_release(h, ctx->module);
	toml_free(ctx->config);
	free(ctx);
}

/* State hand-over from the live generation to the new one, when both sides
 * support it. The exported buffer belongs to the old context's allocator. */
static int hand_over_state(th_ctx *old, th_ctx *nu, char *err, size_t errlen)
{
	const th_plugin_desc *od = old->module->desc, *nd = nu->module->desc;
	if (!od->export_state || !nd->import_state)
		return 0;
	void *data = NULL;
	size_t len = 0;
	old->error[0] = '\0';
	int rc = od->export_state(old->instance, &data, &len);
	if (rc != TH_OK) {
		snprintf(err, errlen, "instance %s: export_state failed (%d): %s", old->slot->name, rc,
			old->error[0] ? old->error : "no detail given");
		return -1;
	}
	nu->error[0] = '\0';
	rc = nd->import_state(nu->instance, data, len);
	old->host->api.free(old, data);
	if (rc != TH_OK) {
		snprintf(err, errlen, "instance %s: import_state failed (%d): %s", nu->slot->name, rc,
			nu->error[0] ? nu->error : "no detail given");
		return -1;
	}
	return 0;
}

int slot_swap(host_t *h, slot_t *slot, loader_module *m, const toml_value *config, char *err, size_t errlen)
{
	th_ctx *old = slot->live, *nu = NULL;
	/* Nothing is dispatched while the swap runs: events published meanwhile
	 * (by the new instance's start, say) are queued and delivered after the
	 * switch, to the new generation only. */
	bus_hold(h->bus);
	if (ctx_create(h, slot, m, config, &nu, err, errlen) != 0) {
		module_release(h, m);
		bus_release(h->bus);
		return -1;
	}
	if ((old && hand_over_state(old, nu, err, errlen) != 0) || ctx_start(nu, err, errlen) != 0) {
		ctx_destroy(nu); /* releases m */
		bus_release(h->bus);
		return -1;
	}
	slot->live = nu;                 /* routing switches here */
	slot->generations = nu->generation;
	if (old)
		ctx_destroy(old);        /* stop, drop its subscriptions and timers, destroy, maybe dlclose */
	publish_lifecycle(h, slot, old ? TH_LC_SWAPPED : TH_LC_STARTED);
	bus_release(h->bus);
	return 0;
}
