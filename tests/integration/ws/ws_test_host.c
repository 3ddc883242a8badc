/*
 * ws_test_host — a real HTTP server (host/http) with the WebSocket hub on
 * GET /ws, for the node client tests (tests/node/ws). Prints "port=<n>" on
 * stdout once listening on 127.0.0.1 (an ephemeral port) and runs until
 * SIGTERM/SIGINT, then tears everything down (exit 0 unless teardown fails,
 * so a sanitizer build catches leaks here).
 *
 * Topics: "ticks" ({"seq":n} every 10 ms from a timer), "bulk" (4 messages
 * of 16 KiB every 10 ms, to fill a slow client's queue), "orders" and
 * "market" (published only through POST /publish).
 *
 *   GET  /ws        the upgrade
 *   GET  /stats     ws_hub_stats as JSON
 *   POST /publish   {"topic":"market","key":"BTC-USDT","data":{...}} -> {"queued":n}
 *
 * Options: --ping-ms N, --max-queue BYTES, --max-message BYTES, --max-clients N.
 */
#include "http/http.h"
#include "ws/ws.h"

#include <event2/event.h>
#include <jansson.h>

#include <signal.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static ws_hub *g_hub;
static uint64_t g_tick;
static char g_bulk[16 * 1024];

static void on_ws(http_request *req, void *arg)
{
	(void)arg;
	ws_hub_accept(g_hub, req, "test");
}

static void on_stats(http_request *req, void *arg)
{
	(void)arg;
	ws_hub_stats st;
	ws_hub_stats_get(g_hub, &st);
	json_t *o = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "clients", (json_int_t)st.clients, "messages_sent",
		(json_int_t)st.messages_sent, "messages_received", (json_int_t)st.messages_received, "dropped_slow",
		(json_int_t)st.dropped_slow, "closed_protocol", (json_int_t)st.closed_protocol, "queued_bytes",
		(json_int_t)st.queued_bytes);
	char *text = json_dumps(o, JSON_COMPACT);
	http_respond(req, 200, "application/json", text, strlen(text));
	free(text);
	json_decref(o);
}

static void on_publish(http_request *req, void *arg)
{
	(void)arg;
	size_t len;
	const char *body = http_request_body(req, &len);
	json_error_t jerr;
	json_t *o = json_loadb(body, len, 0, &jerr);
	const char *topic = json_string_value(json_object_get(o, "topic"));
	const char *key = json_string_value(json_object_get(o, "key"));
	json_t *data = json_object_get(o, "data");
	if (!topic || !json_is_object(data)) {
		http_respond_error(req, 400, "bad_request", "body must be {\"topic\":..., \"key\"?:..., \"data\":{...}}");
		json_decref(o);
		return;
	}
	char *text = json_dumps(data, JSON_COMPACT);
	size_t n = ws_hub_publish(g_hub, topic, key, text, strlen(text));
	free(text);
	json_decref(o);
	char reply[64];
	int rn = snprintf(reply, sizeof(reply), "{\"queued\":%zu}", n);
	http_respond(req, 200, "application/json", reply, (size_t)rn);
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	char msg[64];
	int n = snprintf(msg, sizeof(msg), "{\"seq\":%llu}", (unsigned long long)++g_tick);
	ws_hub_publish(g_hub, "ticks", NULL, msg, (size_t)n);
	for (int i = 0; i < 4; i++)
		ws_hub_publish(g_hub, "bulk", NULL, g_bulk, sizeof(g_bulk) - 1);
}

static void on_signal(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	event_base_loopbreak(arg);
}

static long arg_num(int argc, char **argv, const char *name, long dflt)
{
	for (int i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return strtol(argv[i + 1], NULL, 10);
	return dflt;
}

int main(int argc, char **argv)
{
	/* a valid JSON object of ~16 KiB: {"pad":"xxxx..."} */
	memset(g_bulk, 'x', sizeof(g_bulk) - 1);
	memcpy(g_bulk, "{\"pad\":\"", 8);
	memcpy(g_bulk + sizeof(g_bulk) - 3, "\"}", 3);

	struct event_base *base = event_base_new();
	http_server_options ho = { .bind_addr = "127.0.0.1", .port = 0 };
	char err[256];
	http_server *srv = http_server_create(base, &ho, err, sizeof(err));
	if (!srv) {
		fprintf(stderr, "ws_test_host: %s\n", err);
		return 1;
	}
	static const char *const topics[] = { "ticks", "bulk", "orders", "market", NULL };
	ws_hub_options wo = {
		.max_clients = (size_t)arg_num(argc, argv, "--max-clients", 64),
		.max_queue_bytes = (size_t)arg_num(argc, argv, "--max-queue", 256 * 1024),
		.max_message_bytes = (size_t)arg_num(argc, argv, "--max-message", 64 * 1024),
		.ping_interval_ms = (uint32_t)arg_num(argc, argv, "--ping-ms", 60000),
		.topics = topics,
	};
	g_hub = ws_hub_create(base, &wo);
	if (!g_hub || http_server_route(srv, "GET", "/ws", 0, on_ws, NULL) != 0 ||
		http_server_route(srv, "GET", "/stats", 0, on_stats, NULL) != 0 ||
		http_server_route(srv, "POST", "/publish", 0, on_publish, NULL) != 0) {
		fprintf(stderr, "ws_test_host: setup failed\n");
		return 1;
	}
	struct event *timer = event_new(base, -1, EV_PERSIST, on_timer, NULL);
	struct timeval tv = { 0, 10 * 1000 };
	event_add(timer, &tv);
	struct event *sigterm = evsignal_new(base, SIGTERM, on_signal, base);
	struct event *sigint = evsignal_new(base, SIGINT, on_signal, base);
	event_add(sigterm, NULL);
	event_add(sigint, NULL);

	printf("port=%u\n", (unsigned)http_server_port(srv));
	fflush(stdout);
	event_base_dispatch(base);

	event_free(timer);
	event_free(sigterm);
	event_free(sigint);
	ws_hub_free(g_hub);
	http_server_free(srv);
	event_base_free(base);
	fprintf(stderr, "ws_test_host: clean shutdown\n");
	return 0;
}
