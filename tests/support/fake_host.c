/*
 * Fake host for plugin tests (see fake_host.h). Mirrors the contract written
 * in th_host.h: config getters read the plugin's schema (defaults filled, type
 * checked, unknown keys NOT_FOUND), state keys and sizes are checked, timers
 * due at the same instant fire in creation order.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_host.h"

static fake_host *H(th_ctx *ctx)
{
	return (fake_host *)(void *)ctx;
}

th_ctx *fake_ctx(fake_host *h)
{
	return (th_ctx *)(void *)h;
}

/* ----------------------------------------------------------------- config */

static const th_config_field *schema_field(const fake_host *h, const char *key)
{
	for (const th_config_field *f = h->schema; f && f->key; f++)
		if (strcmp(f->key, key) == 0)
			return f;
	return NULL;
}

/* The literal for key (override or default), its field, or an error status. */
static int literal_for(fake_host *h, const char *key, uint32_t type, const char **lit)
{
	const th_config_field *f = schema_field(h, key);
	if (!f)
		return TH_ERR_NOT_FOUND;
	if (f->type != type && !(type == TH_CONFIG_FLOAT && f->type == TH_CONFIG_INT))
		return TH_ERR_INVALID;
	for (size_t i = h->nconfig; i-- > 0;) {
		if (strcmp(h->config[i].key, key) == 0) {
			*lit = h->config[i].literal;
			return TH_OK;
		}
	}
	if (f->required || !f->default_value)
		return TH_ERR_NOT_FOUND;
	*lit = f->default_value;
	return TH_OK;
}

static const char *pool_copy(fake_host *h, const char *s, size_t n)
{
	if (h->pool_used + n + 1 > sizeof h->pool)
		return NULL;
	char *d = h->pool + h->pool_used;
	memcpy(d, s, n);
	d[n] = '\0';
	h->pool_used += n + 1;
	return d;
}

/* "\"text\"" -> text (no escapes in test literals). */
static int unquote(const char *lit, const char **s, size_t *n)
{
	size_t len = strlen(lit);
	if (len < 2 || lit[0] != '"' || lit[len - 1] != '"')
		return -1;
	*s = lit + 1;
	*n = len - 2;
	return 0;
}

static int cfg_string(th_ctx *ctx, const char *key, const char **out)
{
	const char *lit, *s;
	size_t n;
	int rc = literal_for(H(ctx), key, TH_CONFIG_STRING, &lit);
	if (rc != TH_OK)
		return rc;
	if (unquote(lit, &s, &n) != 0 || !(*out = pool_copy(H(ctx), s, n)))
		return TH_ERR_INVALID;
	return TH_OK;
}

static int cfg_int(th_ctx *ctx, const char *key, int64_t *out)
{
	const char *lit;
	char *end;
	int rc = literal_for(H(ctx), key, TH_CONFIG_INT, &lit);
	if (rc != TH_OK)
		return rc;
	long long v = strtoll(lit, &end, 10);
	if (end == lit || *end)
		return TH_ERR_INVALID;
	*out = v;
	return TH_OK;
}

static int cfg_double(th_ctx *ctx, const char *key, double *out)
{
	const char *lit;
	char *end;
	int rc = literal_for(H(ctx), key, TH_CONFIG_FLOAT, &lit);
	if (rc != TH_OK)
		return rc;
	double v = strtod(lit, &end);
	if (end == lit || *end)
		return TH_ERR_INVALID;
	*out = v;
	return TH_OK;
}

static int cfg_bool(th_ctx *ctx, const char *key, int *out)
{
	const char *lit;
	int rc = literal_for(H(ctx), key, TH_CONFIG_BOOL, &lit);
	if (rc != TH_OK)
		return rc;
	if (strcmp(lit, "true") == 0)
		*out = 1;
	else if (strcmp(lit, "false") == 0)
		*out = 0;
	else
		return TH_ERR_INVALID;
	return TH_OK;
}

static int cfg_decimal(th_ctx *ctx, const char *key, int scale, int64_t *out)
{
	const char *lit, *s;
	size_t n;
	int rc = literal_for(H(ctx), key, TH_CONFIG_DECIMAL, &lit);
	if (rc != TH_OK)
		return rc;
	if (unquote(lit, &s, &n) != 0) {
		s = lit;
		n = strlen(lit);
	}
	return th_fixed_parse(s, n, scale, out) == 0 ? TH_OK : TH_ERR_INVALID;
}

/* Parses ["a", "b"]; stores item pointers (pool strings) into items. */
static int parse_list(fake_host *h, const char *lit, const char **items, size_t cap, size_t *count)
{
	const char *p = lit;
	size_t n = 0;
	while (*p == ' ')
		p++;
	if (*p++ != '[')
		return TH_ERR_INVALID;
	for (;;) {
		while (*p == ' ')
			p++;
		if (*p == ']')
			break;
		if (*p++ != '"')
			return TH_ERR_INVALID;
		const char *q = strchr(p, '"');
		if (!q || n == cap)
			return TH_ERR_INVALID;
		if (!(items[n++] = pool_copy(h, p, (size_t)(q - p))))
			return TH_ERR_INVALID;
		p = q + 1;
		while (*p == ' ')
			p++;
		if (*p == ',')
			p++;
		else if (*p != ']')
			return TH_ERR_INVALID;
	}
	*count = n;
	return TH_OK;
}

static int cfg_list_len(th_ctx *ctx, const char *key, size_t *out)
{
	const char *lit, *items[64];
	int rc = literal_for(H(ctx), key, TH_CONFIG_STRING_LIST, &lit);
	if (rc != TH_OK)
		return rc;
	return parse_list(H(ctx), lit, items, 64, out);
}

static int cfg_list_at(th_ctx *ctx, const char *key, size_t index, const char **out)
{
	const char *lit, *items[64];
	size_t n;
	int rc = literal_for(H(ctx), key, TH_CONFIG_STRING_LIST, &lit);
	if (rc != TH_OK)
		return rc;
	if ((rc = parse_list(H(ctx), lit, items, 64, &n)) != TH_OK)
		return rc;
	if (index >= n)
		return TH_ERR_NOT_FOUND;
	*out = items[index];
	return TH_OK;
}

/* ------------------------------------------------------- identity and logs */

static const char *api_instance_name(th_ctx *ctx)
{
	return H(ctx)->name;
}

__attribute__((format(printf, 2, 3))) static void api_set_error(th_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(H(ctx)->error, sizeof H(ctx)->error, fmt, ap);
	va_end(ap);
}

static void api_log(th_ctx *ctx, int level, const char *msg, const th_log_field *fields, size_t nfields)
{
	(void)level;
	(void)fields;
	(void)nfields;
	snprintf(H(ctx)->last_log, sizeof H(ctx)->last_log, "%s", msg);
}

__attribute__((format(printf, 3, 4))) static void api_logf(th_ctx *ctx, int level, const char *fmt, ...)
{
	va_list ap;
	(void)level;
	va_start(ap, fmt);
	vsnprintf(H(ctx)->last_log, sizeof H(ctx)->last_log, fmt, ap);
	va_end(ap);
}

/* ------------------------------------------------------------ clock/timers */

static int64_t api_now_ns(th_ctx *ctx)
{
	return H(ctx)->now_ns;
}

static int api_timer_add(th_ctx *ctx, int64_t delay_ns, int64_t interval_ns, th_timer_fn fn, void *arg,
                         uint64_t *timer_id)
{
	fake_host *h = H(ctx);
	if (delay_ns < 0 || !fn)
		return TH_ERR_INVALID;
	for (size_t i = 0; i < FAKE_MAX_TIMERS; i++) {
		fake_timer *t = &h->timers[i];
		if (t->live)
			continue;
		t->id = ++h->next_timer_id;
		t->due_ns = h->now_ns + delay_ns;
		t->interval_ns = interval_ns;
		t->fn = fn;
		t->arg = arg;
		t->live = 1;
		if (timer_id)
			*timer_id = t->id;
		return TH_OK;
	}
	return TH_ERR_LIMIT;
}

static int api_timer_cancel(th_ctx *ctx, uint64_t timer_id)
{
	fake_host *h = H(ctx);
	for (size_t i = 0; i < FAKE_MAX_TIMERS; i++) {
		if (h->timers[i].live && h->timers[i].id == timer_id) {
			h->timers[i].live = 0;
			return TH_OK;
		}
	}
	return TH_ERR_NOT_FOUND;
}

void fake_advance_to(fake_host *h, int64_t t_ns)
{
	for (;;) {
		fake_timer *next = NULL;
		for (size_t i = 0; i < FAKE_MAX_TIMERS; i++) {
			fake_timer *t = &h->timers[i];
			if (t->live && t->due_ns <= t_ns &&
			    (!next || t->due_ns < next->due_ns || (t->due_ns == next->due_ns && t->id < next->id)))
				next = t;
		}
		if (!next)
			break;
		if (next->due_ns > h->now_ns)
			h->now_ns = next->due_ns;
		uint64_t id = next->id;
		th_timer_fn fn = next->fn;
		void *arg = next->arg;
		if (next->interval_ns > 0)
			next->due_ns += next->interval_ns;
		else
			next->live = 0;
		fn(arg, id);
	}
	if (t_ns > h->now_ns)
		h->now_ns = t_ns;
}

size_t fake_pending_timers(const fake_host *h)
{
	size_t n = 0;
	for (size_t i = 0; i < FAKE_MAX_TIMERS; i++)
		n += h->timers[i].live != 0;
	return n;
}

/* --------------------------------------------------------------------- bus */

static int api_subscribe(th_ctx *ctx, const th_subscription *sub, th_event_fn fn, void *arg, uint64_t *sub_id)
{
	fake_host *h = H(ctx);
	for (size_t i = 0; i < FAKE_MAX_SUBS; i++) {
		fake_sub *s = &h->subs[i];
		if (s->live)
			continue;
		memset(s, 0, sizeof *s);
		s->id = ++h->next_sub_id;
		s->topics = sub->topics;
		if (sub->venue)
			snprintf(s->venue, sizeof s->venue, "%s", sub->venue);
		if (sub->symbol)
			snprintf(s->symbol, sizeof s->symbol, "%s", sub->symbol);
		if (sub->agent)
			snprintf(s->agent, sizeof s->agent, "%s", sub->agent);
		s->fn = fn;
		s->arg = arg;
		s->live = 1;
		*sub_id = s->id;
		return TH_OK;
	}
	return TH_ERR_LIMIT;
}

static int api_unsubscribe(th_ctx *ctx, uint64_t sub_id)
{
	fake_host *h = H(ctx);
	for (size_t i = 0; i < FAKE_MAX_SUBS; i++) {
		if (h->subs[i].live && h->subs[i].id == sub_id) {
			h->subs[i].live = 0;
			return TH_OK;
		}
	}
	return TH_ERR_NOT_FOUND;
}

static int api_publish(th_ctx *ctx, const th_event *ev)
{
	fake_host *h = H(ctx);
	if (h->publish_failures > 0) {
		h->publish_failures--;
		return TH_ERR_LIMIT;
	}
	if (h->nevents == h->capevents) {
		h->capevents = h->capevents ? h->capevents * 2 : 64;
		h->events = realloc(h->events, h->capevents * sizeof *h->events);
		if (!h->events)
			abort();
	}
	th_event *c = &h->events[h->nevents++];
	memset(c, 0, sizeof *c);
	memcpy(c, ev, th_event_size(ev));
	c->h.size = th_event_size(ev);
	c->h.seq = ++h->next_seq;
	if (c->h.ts_ns == 0)
		c->h.ts_ns = h->now_ns;
	return TH_OK;
}

void fake_deliver(fake_host *h, const th_event *ev)
{
	for (size_t i = 0; i < FAKE_MAX_SUBS; i++) {
		fake_sub *s = &h->subs[i];
		if (!s->live || !(s->topics & TH_TOPIC(ev->h.type)))
			continue;
		if (s->venue[0] && strcmp(s->venue, ev->h.venue) != 0)
			continue;
		if (s->agent[0] && strcmp(s->agent, ev->h.agent) != 0)
			continue;
		if (s->symbol[0] && strcmp(s->symbol, ev->h.symbol) != 0)
			continue;
		s->fn(s->arg, ev);
	}
}

size_t fake_live_subs(const fake_host *h)
{
	size_t n = 0;
	for (size_t i = 0; i < FAKE_MAX_SUBS; i++)
		n += h->subs[i].live != 0;
	return n;
}

void fake_kill(fake_host *h)
{
	memset(h->subs, 0, sizeof h->subs);
	memset(h->timers, 0, sizeof h->timers);
}

void fake_clear_events(fake_host *h)
{
	h->nevents = 0;
}

const th_event *fake_event(const fake_host *h, uint16_t type, size_t k)
{
	for (size_t i = 0; i < h->nevents; i++)
		if (h->events[i].h.type == type && k-- == 0)
			return &h->events[i];
	return NULL;
}

size_t fake_count(const fake_host *h, uint16_t type)
{
	size_t n = 0;
	for (size_t i = 0; i < h->nevents; i++)
		n += h->events[i].h.type == type;
	return n;
}

const th_event *fake_last_order(const fake_host *h, const char *clid)
{
	for (size_t i = h->nevents; i-- > 0;)
		if (h->events[i].h.type == TH_EV_ORDER && strcmp(h->events[i].u.order.client_order_id, clid) == 0)
			return &h->events[i];
	return NULL;
}

/* ----------------------------------------------------------------- metrics */

static int api_metric_register(th_ctx *ctx, int kind, const char *name, const char *help, uint32_t *metric_id)
{
	fake_host *h = H(ctx);
	(void)kind;
	(void)help;
	if (h->nmetrics == FAKE_MAX_METRICS)
		return TH_ERR_LIMIT;
	snprintf(h->metrics[h->nmetrics].name, sizeof h->metrics[h->nmetrics].name, "%s", name);
	h->metrics[h->nmetrics].value = 0;
	*metric_id = (uint32_t)h->nmetrics++;
	return TH_OK;
}

static void api_metric_add(th_ctx *ctx, uint32_t id, int64_t delta)
{
	if (id < H(ctx)->nmetrics)
		H(ctx)->metrics[id].value += delta;
}

static void api_metric_set(th_ctx *ctx, uint32_t id, int64_t value)
{
	if (id < H(ctx)->nmetrics)
		H(ctx)->metrics[id].value = value;
}

int64_t fake_metric(const fake_host *h, const char *name)
{
	for (size_t i = 0; i < h->nmetrics; i++)
		if (strcmp(h->metrics[i].name, name) == 0)
			return h->metrics[i].value;
	return -1;
}

/* ------------------------------------------------------------------- state */

static int key_ok(const char *key)
{
	size_t n = strlen(key);
	if (n == 0 || n > 64)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = key[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
		      c == '-'))
			return 0;
	}
	return 1;
}

static fake_kv *kv_find(fake_host *h, const char *key)
{
	for (size_t i = 0; i < FAKE_MAX_KV; i++)
		if (h->kv[i].live && strcmp(h->kv[i].key, key) == 0)
			return &h->kv[i];
	return NULL;
}

static int api_state_put(th_ctx *ctx, const char *key, const void *data, size_t len)
{
	fake_host *h = H(ctx);
	if (!key_ok(key) || len > ((size_t)1 << 20) || (!data && len))
		return TH_ERR_INVALID;
	fake_kv *kv = kv_find(h, key);
	for (size_t i = 0; !kv && i < FAKE_MAX_KV; i++)
		if (!h->kv[i].live)
			kv = &h->kv[i];
	if (!kv)
		return TH_ERR_LIMIT;
	unsigned char *copy = malloc(len ? len : 1);
	if (!copy)
		return TH_ERR_NOMEM;
	if (len)
		memcpy(copy, data, len);
	free(kv->data);
	snprintf(kv->key, sizeof kv->key, "%s", key);
	kv->data = copy;
	kv->len = len;
	kv->live = 1;
	h->state_puts++;
	return TH_OK;
}

static int api_state_get(th_ctx *ctx, const char *key, void *buf, size_t cap, size_t *len)
{
	fake_kv *kv = kv_find(H(ctx), key);
	if (!key_ok(key) || (!buf && cap))
		return TH_ERR_INVALID;
	if (!kv)
		return TH_ERR_NOT_FOUND;
	*len = kv->len;
	memcpy(buf, kv->data, kv->len < cap ? kv->len : cap);
	return kv->len <= cap ? TH_OK : TH_ERR_LIMIT;
}

static int api_state_delete(th_ctx *ctx, const char *key)
{
	fake_kv *kv = kv_find(H(ctx), key);
	if (!kv)
		return TH_ERR_NOT_FOUND;
	free(kv->data);
	memset(kv, 0, sizeof *kv);
	return TH_OK;
}

/* ------------------------------------------------------------------ memory */

static void *api_alloc(th_ctx *ctx, size_t size)
{
	void *p = malloc(size ? size : 1);
	if (p)
		H(ctx)->live_allocs++;
	return p;
}

static void api_free(th_ctx *ctx, void *ptr)
{
	if (!ptr)
		return;
	H(ctx)->live_allocs--;
	free(ptr);
}

/* ------------------------------------------------------------------- setup */

void fake_host_init(fake_host *h, const char *name, const th_config_field *schema)
{
	memset(h, 0, sizeof *h);
	snprintf(h->name, sizeof h->name, "%s", name);
	h->schema = schema;
	h->now_ns = 1700000000000000000LL;
	th_host_api *a = &h->api;
	a->struct_size = sizeof *a;
	a->abi_major = TH_ABI_MAJOR;
	a->abi_minor = TH_ABI_MINOR;
	a->instance_name = api_instance_name;
	a->set_error = api_set_error;
	a->now_ns = api_now_ns;
	a->timer_add = api_timer_add;
	a->timer_cancel = api_timer_cancel;
	a->subscribe = api_subscribe;
	a->unsubscribe = api_unsubscribe;
	a->publish = api_publish;
	a->log = api_log;
	a->logf = api_logf;
	a->config_string = cfg_string;
	a->config_int = cfg_int;
	a->config_double = cfg_double;
	a->config_bool = cfg_bool;
	a->config_decimal = cfg_decimal;
	a->config_list_len = cfg_list_len;
	a->config_list_at = cfg_list_at;
	a->metric_register = api_metric_register;
	a->metric_add = api_metric_add;
	a->metric_set = api_metric_set;
	a->state_put = api_state_put;
	a->state_get = api_state_get;
	a->state_delete = api_state_delete;
	a->alloc = api_alloc;
	a->free = api_free;
}

void fake_host_free(fake_host *h)
{
	free(h->events);
	h->events = NULL;
	h->nevents = h->capevents = 0;
	for (size_t i = 0; i < FAKE_MAX_KV; i++)
		free(h->kv[i].data);
	memset(h->kv, 0, sizeof h->kv);
}

void fake_config(fake_host *h, const char *key, const char *literal)
{
	if (h->nconfig < FAKE_MAX_CONFIG) {
		h->config[h->nconfig].key = key;
		h->config[h->nconfig].literal = literal;
		h->nconfig++;
	}
}

void fake_config_clear(fake_host *h)
{
	h->nconfig = 0;
	h->pool_used = 0;
}
