/* GET /metrics: the Prometheus text exposition format 0.0.4.
 *
 * Host series (bus, loop lateness, instances, plugin-registered series),
 * the front door's own (HTTP requests by route and status, WebSocket
 * clients) and trading series (fd_metrics_trading.c). Everything is read on
 * the loop thread at scrape time; only the loop timer and the request
 * counters keep state between scrapes. */
#include "frontdoor/fd_metrics.h"

#include <event2/event.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bus/bus.h"
#include "runtime/metrics_registry.h"

#ifndef TH_VERSION
#define TH_VERSION "0.0.0"
#endif

#define LOOP_PERIOD_NS 100000000LL

const uint64_t fdm_le_ns[FD_LOOP_BUCKETS] = { 10000, 50000, 100000, 500000, 1000000, 2500000, 5000000, 10000000,
	25000000, 50000000, 100000000, 1000000000 };

static int64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int64_t wall_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void fdm_header(fd_text *t, const char *name, const char *type, const char *help)
{
	fd_text_printf(t, "# HELP %s ", name);
	for (const char *p = help; *p; p++) {
		if (*p == '\\')
			fd_text_puts(t, "\\\\");
		else if (*p == '\n')
			fd_text_puts(t, "\\n");
		else
			fd_text_put(t, p, 1);
	}
	fd_text_printf(t, "\n# TYPE %s %s\n", name, type);
}

void fdm_histogram(fd_text *t, const char *name, const char *labels, const uint64_t *counts, uint64_t count,
	uint64_t sum_ns)
{
	uint64_t cum = 0;
	const char *sep = labels[0] ? "," : "";
	for (size_t i = 0; i < FD_LOOP_BUCKETS; i++) {
		cum += counts[i];
		fd_text_printf(t, "%s_bucket{%s%sle=\"", name, labels, sep);
		fd_text_fixed_u(t, fdm_le_ns[i], 9);
		fd_text_printf(t, "\"} %llu\n", (unsigned long long)cum);
	}
	fd_text_printf(t, "%s_bucket{%s%sle=\"+Inf\"} %llu\n", name, labels, sep, (unsigned long long)count);
	fd_text_printf(t, "%s_sum%s%s%s ", name, labels[0] ? "{" : "", labels, labels[0] ? "}" : "");
	fd_text_fixed_u(t, sum_ns, 9);
	fd_text_printf(t, "\n%s_count%s%s%s %llu\n", name, labels[0] ? "{" : "", labels, labels[0] ? "}" : "",
		(unsigned long long)count);
}

static size_t le_index(uint64_t ns)
{
	size_t i = 0;
	while (i < FD_LOOP_BUCKETS && ns > fdm_le_ns[i])
		i++;
	return i;
}

/* --- loop lateness --- */

static void on_loop_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct fd_metrics *m = arg;
	int64_t now = mono_ns();
	uint64_t late = now > m->loop_due_ns ? (uint64_t)(now - m->loop_due_ns) : 0;
	m->loop_buckets[le_index(late)]++;
	m->loop_count++;
	m->loop_sum_ns += late;
	m->loop_due_ns = now + LOOP_PERIOD_NS;
	struct timeval tv = { 0, LOOP_PERIOD_NS / 1000 };
	evtimer_add(m->loop_ev, &tv);
}

/* --- request counters (the observer) --- */

void fd_metrics_observe(struct fd_metrics *m, const http_request *req, int status)
{
	const char *method = http_request_method(req);
	const char *path = http_request_path(req);
	const char *route = fd_route_of(m->fd->http, method, path);
	if (!route)
		route = (strncmp(path, "/api/", 5) != 0 && (!strcmp(method, "GET") || !strcmp(method, "HEAD"))) ?
			"static" : "unmatched";
	if (strlen(method) >= sizeof m->http[0].method)
		method = "OTHER";
	for (size_t i = 0; i < m->nhttp; i++) {
		fd_http_series *s = &m->http[i];
		if (s->status == status && strcmp(s->method, method) == 0 && strcmp(s->route, route) == 0) {
			s->count++;
			return;
		}
	}
	if (m->nhttp == FD_HTTP_SERIES_MAX) {
		m->http_overflow++;
		return;
	}
	fd_http_series *s = &m->http[m->nhttp++];
	snprintf(s->method, sizeof s->method, "%s", method);
	snprintf(s->route, sizeof s->route, "%s", route);
	s->status = status;
	s->count = 1;
}

/* --- rendering --- */

static void render_host(fd_text *t, struct fd_metrics *m)
{
	frontdoor *fd = m->fd;
	const host_config *hc = host_get_config(fd->host);
	fdm_header(t, "tradehost_build_info", "gauge", "Version and mode of the running host (always 1).");
	fd_text_puts(t, "tradehost_build_info{version=\"");
	fd_text_label(t, TH_VERSION);
	fd_text_puts(t, "\",mode=\"");
	fd_text_label(t, hc && hc->mode ? hc->mode : "");
	fd_text_puts(t, "\"} 1\n");
	fdm_header(t, "tradehost_uptime_seconds", "gauge", "Seconds since the front door started.");
	fd_text_printf(t, "tradehost_uptime_seconds %lld\n", (long long)((wall_ns() - m->started_ns) / 1000000000LL));

	bus_stats bs;
	bus_get_stats(host_bus(fd->host), &bs);
	fdm_header(t, "tradehost_bus_events_published_total", "counter", "Events accepted by the bus.");
	fd_text_printf(t, "tradehost_bus_events_published_total %llu\n", (unsigned long long)bs.published);
	fdm_header(t, "tradehost_bus_events_delivered_total", "counter", "Handler invocations by the bus.");
	fd_text_printf(t, "tradehost_bus_events_delivered_total %llu\n", (unsigned long long)bs.delivered);
	fdm_header(t, "tradehost_bus_events_dropped_total", "counter", "Events refused because the bus queue was full.");
	fd_text_printf(t, "tradehost_bus_events_dropped_total %llu\n", (unsigned long long)bs.dropped_full);
	fdm_header(t, "tradehost_bus_events_rejected_total", "counter", "Invalid events refused by the bus.");
	fd_text_printf(t, "tradehost_bus_events_rejected_total %llu\n", (unsigned long long)bs.rejected_invalid);
	fdm_header(t, "tradehost_bus_queue_high_water_bytes", "gauge", "Most bus queue bytes ever in use.");
	fd_text_printf(t, "tradehost_bus_queue_high_water_bytes %zu\n", bs.queue_high_water);
	fdm_header(t, "tradehost_bus_subscribers", "gauge", "Live bus subscriptions.");
	fd_text_printf(t, "tradehost_bus_subscribers %zu\n", bs.subscribers);

	const bus_latency_hist *lh = bus_latency(host_bus(fd->host));
	if (lh) {
		/* Regroup the bus's log-linear buckets onto fixed bounds: a source
		 * bucket counts under the first bound at or above its upper end. */
		uint64_t counts[FD_LOOP_BUCKETS + 1] = { 0 }, n = 0;
		for (unsigned i = 0; i < BUS_LAT_BUCKETS; i++) {
			if (!lh->buckets[i])
				continue;
			counts[le_index(bus_latency_bucket_upper_ns(i))] += lh->buckets[i];
			n += lh->buckets[i];
		}
		fdm_header(t, "tradehost_bus_dispatch_latency_seconds", "histogram",
			"Sampled time from publish to the end of an event's fan-out.");
		fdm_histogram(t, "tradehost_bus_dispatch_latency_seconds", "", counts, n, lh->sum_ns);
	}
	fdm_header(t, "tradehost_loop_lateness_seconds", "histogram",
		"How late a 100 ms timer fires on the host loop (loop responsiveness).");
	fdm_histogram(t, "tradehost_loop_lateness_seconds", "", m->loop_buckets, m->loop_count, m->loop_sum_ns);

	size_t ni = host_instance_count(fd->host);
	fdm_header(t, "tradehost_instance_up", "gauge", "1 if the plugin instance is running.");
	for (size_t i = 0; i < ni; i++) {
		host_instance_info in;
		if (host_instance_info_at(fd->host, i, &in) != 0)
			continue;
		fd_text_puts(t, "tradehost_instance_up{instance=\"");
		fd_text_label(t, in.name);
		fd_text_puts(t, "\",plugin=\"");
		fd_text_label(t, in.plugin);
		fd_text_puts(t, "\",kind=\"");
		fd_text_label(t, in.kind);
		fd_text_printf(t, "\"} %d\n", in.running ? 1 : 0);
	}
	fdm_header(t, "tradehost_instance_generation", "gauge", "Generation of the instance (grows with each hot swap).");
	for (size_t i = 0; i < ni; i++) {
		host_instance_info in;
		if (host_instance_info_at(fd->host, i, &in) != 0)
			continue;
		fd_text_puts(t, "tradehost_instance_generation{instance=\"");
		fd_text_label(t, in.name);
		fd_text_puts(t, "\",plugin=\"");
		fd_text_label(t, in.plugin);
		fd_text_printf(t, "\"} %u\n", in.generation);
	}
}

static int by_name(const void *a, const void *b)
{
	const metric_series *x = *(const metric_series *const *)a, *y = *(const metric_series *const *)b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x < y ? -1 : x > y);
}

/* Plugin series: one HELP/TYPE per name, a sample per instance. */
static void render_plugins(fd_text *t, frontdoor *fd)
{
	const metrics_registry *r = host_metrics(fd->host);
	size_t n = r ? metrics_registry_count(r) : 0;
	if (n == 0)
		return;
	const metric_series **v = malloc(n * sizeof *v);
	if (!v) {
		t->failed = 1;
		return;
	}
	for (size_t i = 0; i < n; i++)
		v[i] = metrics_registry_at(r, i);
	qsort(v, n, sizeof *v, by_name);
	for (size_t i = 0; i < n;) {
		size_t j = i;
		int kind = v[i]->kind;
		fdm_header(t, v[i]->name, kind == TH_METRIC_COUNTER ? "counter" : "gauge",
			v[i]->help[0] ? v[i]->help : v[i]->name);
		for (; j < n && strcmp(v[j]->name, v[i]->name) == 0; j++) {
			if (v[j]->kind != kind)
				continue; /* same name, other kind in another plugin: not expressible */
			fd_text_printf(t, "%s{instance=\"", v[j]->name);
			fd_text_label(t, v[j]->instance);
			fd_text_puts(t, "\",plugin=\"");
			fd_text_label(t, v[j]->plugin);
			fd_text_printf(t, "\"} %lld\n", (long long)v[j]->value);
		}
		i = j;
	}
	free(v);
}

static void render_frontdoor(fd_text *t, struct fd_metrics *m)
{
	fdm_header(t, "tradehost_http_requests_total", "counter", "HTTP requests answered, by route pattern and status.");
	for (size_t i = 0; i < m->nhttp; i++) {
		const fd_http_series *s = &m->http[i];
		fd_text_printf(t, "tradehost_http_requests_total{method=\"%s\",route=\"", s->method);
		fd_text_label(t, s->route);
		fd_text_printf(t, "\",status=\"%d\"} %llu\n", s->status, (unsigned long long)s->count);
	}
	fdm_header(t, "tradehost_http_requests_unlabeled_total", "counter",
		"Requests not counted by route because the label table was full.");
	fd_text_printf(t, "tradehost_http_requests_unlabeled_total %llu\n", (unsigned long long)m->http_overflow);
	ws_hub_stats ws;
	memset(&ws, 0, sizeof ws);
	if (m->fd->hub)
		ws_hub_stats_get(m->fd->hub, &ws);
	fdm_header(t, "tradehost_ws_clients", "gauge", "Connected WebSocket clients.");
	fd_text_printf(t, "tradehost_ws_clients %zu\n", ws.clients);
	fdm_header(t, "tradehost_ws_messages_sent_total", "counter", "WebSocket messages queued to clients.");
	fd_text_printf(t, "tradehost_ws_messages_sent_total %llu\n", (unsigned long long)ws.messages_sent);
	fdm_header(t, "tradehost_ws_messages_received_total", "counter", "WebSocket messages received from clients.");
	fd_text_printf(t, "tradehost_ws_messages_received_total %llu\n", (unsigned long long)ws.messages_received);
	fdm_header(t, "tradehost_ws_dropped_slow_total", "counter", "WebSocket clients disconnected for reading too slowly.");
	fd_text_printf(t, "tradehost_ws_dropped_slow_total %llu\n", (unsigned long long)ws.dropped_slow);
	fdm_header(t, "tradehost_ws_closed_protocol_total", "counter", "WebSocket clients closed for protocol errors.");
	fd_text_printf(t, "tradehost_ws_closed_protocol_total %llu\n", (unsigned long long)ws.closed_protocol);
	fdm_header(t, "tradehost_ws_queued_bytes", "gauge", "Bytes waiting in WebSocket client queues.");
	fd_text_printf(t, "tradehost_ws_queued_bytes %zu\n", ws.queued_bytes);
}

static void serve_metrics(http_request *req, void *arg)
{
	struct fd_metrics *m = arg;
	fd_text t = { 0 };
	render_host(&t, m);
	render_plugins(&t, m->fd);
	render_frontdoor(&t, m);
	if (m->fd->trading)
		fdm_render_trading(&t, m->fd);
	if (t.failed) {
		http_respond_error(req, 500, "internal", "out of memory rendering the metrics");
	} else {
		http_response_header(req, "Cache-Control", "no-store");
		http_respond(req, 200, "text/plain; version=0.0.4; charset=utf-8", t.p ? t.p : "", t.len);
	}
	fd_text_free(&t);
}

int fd_metrics_register(frontdoor *fd, char *err, size_t errlen)
{
	struct fd_metrics *m = calloc(1, sizeof *m);
	if (!m) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	m->fd = fd;
	m->started_ns = wall_ns();
	m->loop_ev = evtimer_new(host_event_base(fd->host), on_loop_timer, m);
	if (!m->loop_ev) {
		free(m);
		snprintf(err, errlen, "cannot create the loop-lateness timer");
		return -1;
	}
	m->loop_due_ns = mono_ns() + LOOP_PERIOD_NS;
	struct timeval tv = { 0, LOOP_PERIOD_NS / 1000 };
	evtimer_add(m->loop_ev, &tv);
	fd->metrics = m;
	if (http_server_route(fd->http, "GET", "/metrics", AUTH_PUBLIC, serve_metrics, m) != 0) {
		snprintf(err, errlen, "cannot register GET /metrics (already registered?)");
		return -1; /* fd->metrics is freed with the front door */
	}
	return 0;
}

void fd_metrics_free(struct fd_metrics *m)
{
	if (!m)
		return;
	if (m->loop_ev)
		event_free(m->loop_ev);
	free(m);
}
