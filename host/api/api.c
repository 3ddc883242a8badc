/* host/api: registration of the route table, request dispatch (trading
 * check, body decoding), replies and the small shared reads. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <tradehost/th_exchange.h>

#include "api/api_internal.h"
#include "common/log.h"
#include "trading/trading.h"

struct api_route_ctx {
	api *a;
	const api_route *r;
};

void api_reply(http_request *req, int status, json_t *j)
{
	char *text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	if (!text) {
		http_respond_error(req, 500, "internal", "cannot encode the response");
		return;
	}
	http_respond(req, status, "application/json", text, strlen(text));
	free(text);
}

void api_error(http_request *req, int status, const char *code, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	http_respond_error(req, status, code, msg);
}

int api_query_int(http_request *req, const char *name, int64_t min, int64_t max, int64_t dflt, int64_t *out)
{
	const char *s = http_request_query(req, name);
	*out = dflt;
	if (!s)
		return 0;
	char *end;
	long long v = strtoll(s, &end, 10);
	if (!*s || *end || v < min || v > max) {
		api_error(req, 400, "bad_field", "query parameter %s must be an integer in %lld..%lld, got \"%.40s\"", name,
			(long long)min, (long long)max, s);
		return -1;
	}
	*out = v;
	return 0;
}

static void dispatch(http_request *req, void *arg)
{
	struct api_route_ctx *c = arg;
	api *a = c->a;
	if ((c->r->flags & API_NEEDS_TRADING) && !a->t) {
		api_error(req, 503, "no_trading", "this host runs without a [market] section: %s %s%s is not available",
			c->r->method, API_PREFIX, c->r->path);
		return;
	}
	json_t *body = NULL;
	if (c->r->body) {
		size_t len;
		const char *data = http_request_body(req, &len);
		api_body_error e;
		body = api_body_decode(c->r->body, data, len, &e);
		if (!body) {
			http_respond_error(req, 400, e.code, e.message);
			return;
		}
	}
	c->r->fn(a, req, body);
	json_decref(body);
}

/* --- rings --- */

int api_ring_init(api_ring *r, size_t cap)
{
	memset(r, 0, sizeof *r);
	r->items = calloc(cap, sizeof *r->items);
	r->seq = calloc(cap, sizeof *r->seq);
	r->cap = cap;
	r->next_seq = 1;
	return r->items && r->seq ? 0 : -1;
}

void api_ring_free(api_ring *r)
{
	for (size_t i = 0; i < r->n; i++)
		json_decref(r->items[(r->head + i) % r->cap]);
	free(r->items);
	free(r->seq);
	memset(r, 0, sizeof *r);
}

void api_ring_push(api_ring *r, json_t *item)
{
	if (!r->cap || !item) {
		json_decref(item);
		return;
	}
	size_t at;
	if (r->n == r->cap) {
		at = r->head;
		json_decref(r->items[at]);
		r->head = (r->head + 1) % r->cap;
	} else {
		at = (r->head + r->n) % r->cap;
		r->n++;
	}
	r->items[at] = item;
	r->seq[at] = r->next_seq++;
}

size_t api_ring_count(const api_ring *r)
{
	return r->n;
}

const json_t *api_ring_at(const api_ring *r, size_t i, uint64_t *seq)
{
	if (i >= r->n)
		return NULL;
	size_t at = (r->head + r->n - 1 - i) % r->cap;
	if (seq)
		*seq = r->seq[at];
	return r->items[at];
}

/* --- shared reads --- */

th_money api_track_peak(api *a, const char *wallet, th_money equity)
{
	for (size_t i = 0; i < a->npeaks; i++) {
		if (strcmp(a->peaks[i].name, wallet) == 0) {
			if (equity > a->peaks[i].peak)
				a->peaks[i].peak = equity;
			return a->peaks[i].peak;
		}
	}
	if (a->npeaks < sizeof a->peaks / sizeof a->peaks[0]) {
		th_strlcpy(a->peaks[a->npeaks].name, wallet, sizeof a->peaks[0].name);
		a->peaks[a->npeaks++].peak = equity;
	}
	return equity;
}

int api_is_manual(const api *a, const char *clid)
{
	size_t n = a->nmanual < API_MANUAL_KEEP ? a->nmanual : API_MANUAL_KEEP;
	for (size_t i = 0; i < n; i++)
		if (strcmp(a->manual[i], clid) == 0)
			return 1;
	return 0;
}

const th_instrument *api_instrument(api *a, const char *venue, const char *symbol)
{
	for (size_t i = 0; i < host_instance_count(a->host); i++) {
		host_instance_info info;
		if (host_instance_info_at(a->host, i, &info) != 0 || strcmp(info.kind, "exchange") != 0 ||
			strcmp(info.name, venue) != 0)
			continue;
		const void *kapi = NULL;
		void *inst = host_instance_handle(a->host, info.name, &kapi);
		const th_exchange_api *x = kapi;
		const th_instrument *list;
		size_t n;
		if (!inst || !x || x->instruments(inst, &list, &n) != TH_OK)
			return NULL;
		for (size_t k = 0; k < n; k++)
			if (strcmp(list[k].symbol, symbol) == 0)
				return &list[k];
	}
	return NULL;
}

static int64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* --- lifecycle --- */

static int load_trading_config(api *a, char *err, size_t errlen)
{
	const host_config *hc = host_get_config(a->host);
	a->tcfg = calloc(1, sizeof *a->tcfg);
	if (!a->tcfg) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	/* the same file trading was started with; only names, weights and rules are read */
	if (trading_config_load(hc->tree, hc->base_dir, host_now_ns(a->host), a->tcfg, err, errlen) != 0)
		return -1;
	return 0;
}

int api_register(frontdoor *fd, char *err, size_t errlen)
{
	api *a = calloc(1, sizeof *a);
	if (!a) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	fd->api = a;
	a->fd = fd;
	a->host = fd->host;
	a->t = fd->trading;
	a->bus = host_bus(fd->host);
	a->started_mono_ns = mono_ns();
	a->manual_next = 1ULL << 63;
	if (a->t) {
		a->oms = trading_oms(a->t);
		a->capital = trading_capital(a->t);
		if (load_trading_config(a, err, errlen) != 0)
			return -1;
	}
	if (api_ring_init(&a->alerts, 500) || api_ring_init(&a->decisions, 500) || api_ring_init(&a->fills, 5000) ||
		api_ring_init(&a->risk_events, 200)) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	a->ctx = calloc(api_route_count, sizeof *a->ctx);
	if (!a->ctx) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < api_route_count; i++) {
		const api_route *r = &api_routes[i];
		char path[256];
		snprintf(path, sizeof path, "%s%s", API_PREFIX, r->path);
		int tag = r->role;
		if ((r->flags & API_HEALTH_ROLE) && !fd->cfg.public_health)
			tag = AUTH_VIEWER;
		a->ctx[i].a = a;
		a->ctx[i].r = r;
		if (http_server_route(fd->http, r->method, path, tag, dispatch, &a->ctx[i]) != 0) {
			snprintf(err, errlen, "cannot register route %s %s (duplicate or bad pattern)", r->method, path);
			return -1;
		}
	}
	a->openapi = api_openapi_build(fd, &a->openapi_len);
	if (!a->openapi) {
		snprintf(err, errlen, "cannot build the OpenAPI document");
		return -1;
	}
	if (api_stream_start(a, err, errlen) != 0 || api_goals_start(a, err, errlen) != 0)
		return -1;
	return 0;
}

void api_free(struct api *a)
{
	if (!a)
		return;
	api_backtests_stop(a);
	api_goals_stop(a);
	api_stream_stop(a);
	api_ring_free(&a->alerts);
	api_ring_free(&a->decisions);
	api_ring_free(&a->fills);
	api_ring_free(&a->risk_events);
	free(a->bars);
	free(a->ctx);
	free(a->openapi);
	free(a->tcfg);
	free(a);
}

int64_t api_uptime_s(const api *a)
{
	return (mono_ns() - a->started_mono_ns) / 1000000000LL;
}
