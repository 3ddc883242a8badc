/* Hot reload: re-read the configuration, rescan plugin files, and bring the
 * running instances in line — one instance at a time, each all-or-nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "runtime/instance.h"
#include "runtime/runtime_internal.h"
#include "runtime/toml_equal.h"

static slot_t *find_slot(host_t *h, const char *name)
{
	for (size_t i = 0; i < h->nslots; i++)
		if (strcmp(h->slots[i]->name, name) == 0)
			return h->slots[i];
	return NULL;
}

static int add_slot(host_t *h, const host_instance_cfg *ic, char *err, size_t errlen)
{
	slot_t *s = calloc(1, sizeof *s);
	slot_t **grown = s ? realloc(h->slots, (h->nslots + 1) * sizeof *grown) : NULL;
	if (!grown) {
		free(s);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	h->slots = grown;
	th_strlcpy(s->name, ic->name, sizeof s->name);
	th_strlcpy(s->plugin, ic->plugin, sizeof s->plugin);
	s->optional = ic->optional;
	s->present = 1;
	s->config_src = ic->config ? toml_clone(ic->config) : NULL;
	loader_module *m;
	if (module_acquire(h, s->plugin, &m, err, errlen) != 0 ||
		(s->kind = m->kind, slot_swap(h, s, m, s->config_src, err, errlen) != 0)) {
		toml_free(s->config_src);
		free(s);
		return -1;
	}
	h->slots[h->nslots++] = s;
	return 0;
}

/* Returns 1 swapped, 0 unchanged, -1 failed (old generation untouched). */
static int update_slot(host_t *h, slot_t *s, const host_instance_cfg *ic, char *err, size_t errlen)
{
	loader_module *m;
	if (module_acquire(h, ic->plugin, &m, err, errlen) != 0)
		return -1;
	if (s->live && m->kind != s->kind) {
		snprintf(err, errlen, "instance %s: plugin %s is a %s plugin, the running one is a %s; remove the "
			"instance and add it under a new name", s->name, ic->plugin, loader_kind_name(m->kind),
			loader_kind_name(s->kind));
		module_release(h, m);
		return -1;
	}
	int same_module = s->live && s->live->module == m;
	int same_config = toml_equal(s->config_src, ic->config);
	if (same_module && same_config && strcmp(s->plugin, ic->plugin) == 0) {
		module_release(h, m);
		return 0;
	}
	toml_value *config = ic->config ? toml_clone(ic->config) : NULL;
	s->kind = m->kind;
	if (slot_swap(h, s, m, config, err, errlen) != 0) {
		toml_free(config);
		return -1;
	}
	toml_free(s->config_src);
	s->config_src = config;
	th_strlcpy(s->plugin, ic->plugin, sizeof s->plugin);
	s->optional = ic->optional;
	return 1;
}

static void remove_absent_slots(host_t *h, size_t *removed)
{
	for (size_t i = h->nslots; i-- > 0;) {
		slot_t *s = h->slots[i];
		if (s->present)
			continue;
		if (s->live) {
			ctx_destroy(s->live);
			s->live = NULL;
			publish_lifecycle(h, s, TH_LC_STOPPED);
		}
		log_info("reload: instance %s removed", s->name);
		toml_free(s->config_src);
		free(s);
		memmove(&h->slots[i], &h->slots[i + 1], (h->nslots - i - 1) * sizeof *h->slots);
		h->nslots--;
		(*removed)++;
	}
}

static void resort(host_t *h)
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

/* Host settings that only take effect at start; a reload keeps the old ones
 * and says so rather than half-applying them. */
static void keep_restart_only_settings(host_t *h, host_config *nc)
{
	if (strcmp(nc->state_dir, h->cfg.state_dir) != 0 || strcmp(nc->control_socket, h->cfg.control_socket) != 0 ||
		strcmp(nc->mode, h->cfg.mode) != 0)
		log_warn("reload: host.mode, host.state_dir and host.control_socket change only on restart; keeping the "
			 "running values");
	char *t;
	t = nc->state_dir, nc->state_dir = h->cfg.state_dir, h->cfg.state_dir = t;
	t = nc->control_socket, nc->control_socket = h->cfg.control_socket, h->cfg.control_socket = t;
	t = nc->mode, nc->mode = h->cfg.mode, h->cfg.mode = t;
}

int host_reload(host_t *h, char *summary, size_t cap)
{
	char err[1024];
	host_config nc;
	if (host_config_reload(&h->cfg, &nc, err, sizeof err) != 0) {
		snprintf(summary, cap, "configuration refused, nothing changed: %s", err);
		return 1;
	}
	keep_restart_only_settings(h, &nc);
	/* Plugin directories and trust settings apply to the scan below. */
	host_config old = h->cfg;
	h->cfg = nc;
	size_t added = 0, swapped = 0, removed = 0, failed = 0;
	char first_error[1024] = "";
	for (size_t i = 0; i < h->nslots; i++)
		h->slots[i]->present = 0;
	for (size_t i = 0; i < nc.ninstances; i++) {
		const host_instance_cfg *ic = &nc.instances[i];
		slot_t *s = find_slot(h, ic->name);
		int rc;
		if (!s) {
			rc = add_slot(h, ic, err, sizeof err);
			if (rc == 0) {
				added++;
				log_info("reload: instance %s added", ic->name);
			}
		} else {
			s->present = 1;
			rc = update_slot(h, s, ic, err, sizeof err);
			if (rc == 1) {
				swapped++;
				log_info("reload: instance %s swapped to generation %u (%s %s)", s->name, s->generations,
					s->plugin, s->live->module->version);
			}
		}
		if (rc < 0) {
			failed++;
			log_error("reload: %s", err);
			if (!first_error[0])
				snprintf(first_error, sizeof first_error, "%s", err);
		}
	}
	remove_absent_slots(h, &removed);
	resort(h);
	host_config_free(&old);
	int n = snprintf(summary, cap, "%zu added, %zu swapped, %zu removed, %zu failed", added, swapped, removed, failed);
	if (failed && n > 0 && (size_t)n < cap)
		snprintf(summary + n, cap - (size_t)n, "; first error: %s", first_error);
	return (int)failed;
}
