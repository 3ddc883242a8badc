/*
 * A stand-alone server over th_http for the curl interoperability test
 * (curl_interop.sh): prints "port N" once listening, serves until SIGTERM.
 *   http_serve [max_body_bytes] [cert.pem key.pem]
 * Routes: GET /hello, POST /echo (the body back), GET /stream (three SSE events,
 * 20 ms apart, from a timer), GET /slow (answered 100 ms later from a timer).
 */
#include "http/http.h"

#include <event2/event.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct pending {
	http_request *req;
	struct event *timer;
	int sent;
	int gone;
} pending;

static void pending_gone(void *arg)
{
	((pending *)arg)->gone = 1;
}

static void h_hello(http_request *r, void *arg)
{
	(void)arg;
	http_respond(r, 200, "text/plain", "hello\n", 6);
}

static void h_echo(http_request *r, void *arg)
{
	(void)arg;
	size_t len;
	const char *b = http_request_body(r, &len);
	http_respond(r, 200, "application/octet-stream", b, len);
}

static void finish(pending *p)
{
	event_free(p->timer);
	free(p);
}

static void stream_tick(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	pending *p = arg;
	if (p->gone) {
		finish(p);
		return;
	}
	char line[64];
	int n = snprintf(line, sizeof(line), "data: event %d\n\n", ++p->sent);
	if (http_stream_write(p->req, line, (size_t)n) != 0 || p->sent == 3) {
		http_stream_end(p->req);
		finish(p);
		return;
	}
	struct timeval tv = { 0, 20000 };
	evtimer_add(p->timer, &tv);
}

static void slow_tick(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	pending *p = arg;
	if (!p->gone)
		http_respond(p->req, 200, "text/plain", "slow\n", 5);
	finish(p);
}

static pending *later(http_request *r, struct event_base *base, event_callback_fn fn, int ms)
{
	pending *p = calloc(1, sizeof(*p));
	p->req = r;
	p->timer = evtimer_new(base, fn, p);
	http_request_on_close(r, pending_gone, p);
	struct timeval tv = { 0, ms * 1000 };
	evtimer_add(p->timer, &tv);
	return p;
}

static void h_stream(http_request *r, void *arg)
{
	http_stream_begin(r, 200, "text/event-stream");
	later(r, arg, stream_tick, 20);
}

static void h_slow(http_request *r, void *arg)
{
	later(r, arg, slow_tick, 100);
}

static void on_term(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	event_base_loopbreak(arg);
}

int main(int argc, char **argv)
{
	struct event_base *base = event_base_new();
	http_server_options o = { .port = 0 };
	if (argc > 1)
		o.max_body_bytes = strtoul(argv[1], NULL, 10);
	if (argc > 3) {
		o.tls_cert_file = argv[2];
		o.tls_key_file = argv[3];
	}
	char err[512];
	http_server *s = http_server_create(base, &o, err, sizeof(err));
	if (!s) {
		fprintf(stderr, "http_serve: %s\n", err);
		return 1;
	}
	http_server_route(s, "GET", "/hello", 0, h_hello, NULL);
	http_server_route(s, "POST", "/echo", 0, h_echo, NULL);
	http_server_route(s, "GET", "/stream", 0, h_stream, base);
	http_server_route(s, "GET", "/slow", 0, h_slow, base);
	struct event *term = evsignal_new(base, SIGTERM, on_term, base);
	event_add(term, NULL);
	signal(SIGPIPE, SIG_IGN);
	printf("port %u\n", (unsigned)http_server_port(s));
	fflush(stdout);
	event_base_dispatch(base);
	http_server_free(s);
	event_free(term);
	event_base_free(base);
	return 0;
}
