#include "rb_plugins.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static rb_plugin *P(th_ctx *ctx)
{
	return (rb_plugin *)(void *)ctx;
}

static th_ctx *overflow_ctx(rb_plugin *p)
{
	return fake_ctx(&p->overflow);
}

/* ------------------------------------------- getters: first host, then overflow */

static int get_string(th_ctx *ctx, const char *key, const char **out)
{
	int rc = P(ctx)->base.config_string(ctx, key, out);
	return rc == TH_ERR_NOT_FOUND ? P(ctx)->overflow.api.config_string(overflow_ctx(P(ctx)), key, out) : rc;
}

static int get_int(th_ctx *ctx, const char *key, int64_t *out)
{
	int rc = P(ctx)->base.config_int(ctx, key, out);
	return rc == TH_ERR_NOT_FOUND ? P(ctx)->overflow.api.config_int(overflow_ctx(P(ctx)), key, out) : rc;
}

static int get_double(th_ctx *ctx, const char *key, double *out)
{
	int rc = P(ctx)->base.config_double(ctx, key, out);
	return rc == TH_ERR_NOT_FOUND ? P(ctx)->overflow.api.config_double(overflow_ctx(P(ctx)), key, out) : rc;
}

static int get_bool(th_ctx *ctx, const char *key, int *out)
{
	int rc = P(ctx)->base.config_bool(ctx, key, out);
	return rc == TH_ERR_NOT_FOUND ? P(ctx)->overflow.api.config_bool(overflow_ctx(P(ctx)), key, out) : rc;
}

static int get_decimal(th_ctx *ctx, const char *key, int scale, int64_t *out)
{
	int rc = P(ctx)->base.config_decimal(ctx, key, scale, out);
	return rc == TH_ERR_NOT_FOUND ? P(ctx)->overflow.api.config_decimal(overflow_ctx(P(ctx)), key, scale, out) : rc;
}

static int get_list_len(th_ctx *ctx, const char *key, size_t *out)
{
	int rc = P(ctx)->base.config_list_len(ctx, key, out);
	return rc == TH_ERR_NOT_FOUND ? P(ctx)->overflow.api.config_list_len(overflow_ctx(P(ctx)), key, out) : rc;
}

static int get_list_at(th_ctx *ctx, const char *key, size_t index, const char **out)
{
	int rc = P(ctx)->base.config_list_at(ctx, key, index, out);
	return rc == TH_ERR_NOT_FOUND ? P(ctx)->overflow.api.config_list_at(overflow_ctx(P(ctx)), key, index, out) : rc;
}

/* ------------------------------------------------------------------ loading */

static const th_config_field *schema_field(const rb_plugin *p, const char *key)
{
	for (const th_config_field *f = p->desc->config_schema; f && f->key; f++)
		if (strcmp(f->key, key) == 0)
			return f;
	return NULL;
}

int rb_plugin_load(rb_plugin *p, const char *dir, const char *name, fake_portfolio *pf, char *err, size_t cap)
{
	char path[4096];
	memset(p, 0, sizeof *p);
	p->name = name;
	snprintf(path, sizeof path, "%s/%s.so", dir, name);
	if (!(p->dl = dlopen(path, RTLD_NOW | RTLD_LOCAL))) {
		snprintf(err, cap, "dlopen: %s", dlerror());
		return -1;
	}
	void *sym = dlsym(p->dl, TH_ENTRY_SYMBOL);
	const th_plugin_desc *(*entry)(void);
	if (!sym) {
		snprintf(err, cap, "%s: no entry symbol %s", path, TH_ENTRY_SYMBOL);
		return -1;
	}
	memcpy(&entry, &sym, sizeof entry); /* POSIX: a dlsym result may name a function */
	const th_plugin_desc *d = entry();
	if (!d || d->abi_major != TH_ABI_MAJOR || d->abi_minor > TH_ABI_MINOR || d->struct_size < TH_DESC_MIN_SIZE_1_0) {
		snprintf(err, cap, "%s: descriptor ABI %u.%u (size %u) does not match this host's %d.%d", path,
			d ? d->abi_major : 0, d ? d->abi_minor : 0, d ? d->struct_size : 0, TH_ABI_MAJOR, TH_ABI_MINOR);
		return -1;
	}
	if (d->kind != TH_KIND_RISK || !d->kind_api || !d->name || strcmp(d->name, name) != 0) {
		snprintf(err, cap, "%s: not the risk plugin '%s' (kind %u, name '%s')", path, name, d->kind,
			d->name ? d->name : "");
		return -1;
	}
	p->desc = d;
	p->risk = d->kind_api;
	if (p->risk->struct_size < sizeof(th_risk_api) || !p->risk->check) {
		snprintf(err, cap, "%s: risk table without check()", path);
		return -1;
	}
	fake_host_init(&p->h, name, d->config_schema);
	fake_host_init(&p->overflow, name, d->config_schema);
	fake_portfolio_attach(&p->h, pf);
	p->base = p->h.api;
	p->h.api.config_string = get_string;
	p->h.api.config_int = get_int;
	p->h.api.config_double = get_double;
	p->h.api.config_bool = get_bool;
	p->h.api.config_decimal = get_decimal;
	p->h.api.config_list_len = get_list_len;
	p->h.api.config_list_at = get_list_at;
	return 0;
}

__attribute__((noreturn)) static void config_fail(const rb_plugin *p, const char *key, const char *why)
{
	fprintf(stderr, "bench_risk: %s config key '%s': %s\n", p->name, key, why);
	exit(2);
}

void rb_config(rb_plugin *p, const char *key, const char *literal)
{
	const th_config_field *f = schema_field(p, key);
	if (!f)
		config_fail(p, key, "not in the plugin's schema");
	if (p->nkeys == RB_MAX_KEYS)
		config_fail(p, key, "more keys than RB_MAX_KEYS");
	fake_host *to = f->default_value ? &p->h : p->overflow.nconfig < FAKE_MAX_CONFIG ? &p->overflow : &p->h;
	if (to->nconfig == FAKE_MAX_CONFIG)
		config_fail(p, key, "both fake hosts are full (FAKE_MAX_CONFIG)");
	fake_config(to, key, literal);
	p->keys[p->nkeys++] = key;
}

/* Read a key back through the instance's getters, by its schema type. */
static int read_back(rb_plugin *p, const th_config_field *f)
{
	th_ctx *ctx = fake_ctx(&p->h);
	const char *s;
	int64_t i;
	double d;
	int b;
	size_t n;
	switch (f->type) {
	case TH_CONFIG_STRING: return p->h.api.config_string(ctx, f->key, &s);
	case TH_CONFIG_INT: return p->h.api.config_int(ctx, f->key, &i);
	case TH_CONFIG_FLOAT: return p->h.api.config_double(ctx, f->key, &d);
	case TH_CONFIG_BOOL: return p->h.api.config_bool(ctx, f->key, &b);
	case TH_CONFIG_DECIMAL: return p->h.api.config_decimal(ctx, f->key, TH_MONEY_SCALE, &i);
	case TH_CONFIG_STRING_LIST: return p->h.api.config_list_len(ctx, f->key, &n);
	default: return TH_ERR_INVALID;
	}
}

int rb_plugin_start(rb_plugin *p, char *err, size_t cap)
{
	if (p->desc->create(&p->h.api, fake_ctx(&p->h), &p->inst) != TH_OK) {
		snprintf(err, cap, "%s: create refused: %s", p->name, p->h.error);
		return -1;
	}
	p->created = 1;
	for (size_t k = 0; k < p->nkeys; k++) {
		int rc = read_back(p, schema_field(p, p->keys[k]));
		if (rc != TH_OK) {
			snprintf(err, cap, "%s: config key '%s' does not read back (%d)", p->name, p->keys[k], rc);
			return -1;
		}
	}
	if (p->desc->start(p->inst) != TH_OK) {
		snprintf(err, cap, "%s: start failed: %s", p->name, p->h.error);
		return -1;
	}
	p->started = 1;
	return 0;
}

void rb_plugin_advance(rb_plugin *p, int64_t t_ns)
{
	fake_advance_to(&p->h, t_ns);
	fake_clear_events(&p->h); /* published figures and alerts are not looked at */
}

long rb_plugin_unload(rb_plugin *p)
{
	if (p->started)
		p->desc->stop(p->inst);
	if (p->created)
		p->desc->destroy(p->inst);
	long leaked = p->h.live_allocs;
	fake_host_free(&p->h);
	fake_host_free(&p->overflow);
	if (p->dl)
		dlclose(p->dl);
	memset(p, 0, sizeof *p);
	return leaked;
}
