/* Connection behaviour over real loopback sockets: keep-alive, pipelining with a late
 * response, bodies, 100-continue, 413/431/400 with close, streaming and its backlog limit,
 * take(), on_close, idle/slow-request timeouts, max_connections. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include "http/http.h"
#include "http_test_client.h"

typedef struct fixture {
	struct event_base *base;
	http_server *srv;
	char log[512];         /* handler events in order */
	http_request *held;    /* a request a test answers itself */
	struct bufferevent *taken;
	int closed;            /* on_close calls */
	int observed[16];
	int nobserved;
	struct event *timer;
	http_request *late;
} fixture;

static void logf_(fixture *f, const char *what)
{
	snprintf(f->log + strlen(f->log), sizeof(f->log) - strlen(f->log), "%s;", what);
}

static void on_close(void *arg)
{
	((fixture *)arg)->closed++;
}

static void late_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	fixture *f = arg;
	logf_(f, "slow-done");
	http_respond(f->late, 200, "text/plain", "slow", 4);
	f->late = NULL;
}

static void h_slow(http_request *r, void *arg)
{
	fixture *f = arg;
	logf_(f, "slow");
	f->late = r;
	http_request_on_close(r, on_close, f);
	struct timeval tv = { 0, 50 * 1000 };
	evtimer_add(f->timer, &tv);
}

static void h_fast(http_request *r, void *arg)
{
	fixture *f = arg;
	logf_(f, "fast");
	http_request_on_close(r, on_close, f); /* answered at once: must never run */
	const char *n = http_request_query(r, "n");
	http_respond(r, 200, "text/plain", n ? n : "fast", n ? strlen(n) : 4);
}

static void h_echo(http_request *r, void *arg)
{
	(void)arg;
	size_t len;
	const char *b = http_request_body(r, &len);
	http_respond(r, 200, "application/octet-stream", b, len);
}

static void h_hold(http_request *r, void *arg)
{
	fixture *f = arg;
	f->held = r;
	http_request_on_close(r, on_close, f);
}

static void h_stream(http_request *r, void *arg)
{
	fixture *f = arg;
	f->held = r;
	http_request_on_close(r, on_close, f);
	assert_int_equal(http_stream_begin(r, 200, "text/event-stream"), 0);
	/* a stream cannot be taken over */
	assert_null(http_request_take(r));
}

static void h_big(http_request *r, void *arg)
{
	(void)arg;
	static char big[16384];
	const char *n = http_request_query(r, "n");
	memset(big, n ? n[0] : '?', sizeof(big));
	http_respond(r, 200, "text/plain", big, sizeof(big));
}

static void h_upgrade(http_request *r, void *arg)
{
	fixture *f = arg;
	f->taken = http_request_take(r);
}

static void observer(http_request *r, int status, void *arg)
{
	(void)r;
	fixture *f = arg;
	if (f->nobserved < 16)
		f->observed[f->nobserved++] = status;
}

static http_server *make_server(fixture *f, http_server_options o)
{
	char err[256];
	http_server *s = http_server_create(f->base, &o, err, sizeof(err));
	if (!s)
		fail_msg("http_server_create: %s", err);
	assert_int_equal(http_server_route(s, "GET", "/slow", 0, h_slow, f), 0);
	assert_int_equal(http_server_route(s, "GET", "/fast", 0, h_fast, f), 0);
	assert_int_equal(http_server_route(s, "POST", "/echo", 0, h_echo, f), 0);
	assert_int_equal(http_server_route(s, "GET", "/hold", 0, h_hold, f), 0);
	assert_int_equal(http_server_route(s, "GET", "/stream", 0, h_stream, f), 0);
	assert_int_equal(http_server_route(s, "GET", "/upgrade", 0, h_upgrade, f), 0);
	assert_int_equal(http_server_route(s, "GET", "/big", 0, h_big, f), 0);
	http_server_set_observer(s, observer, f);
	return s;
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	f->base = event_base_new();
	f->timer = evtimer_new(f->base, late_cb, f);
	f->srv = make_server(f, (http_server_options){ .max_body_bytes = 1024, .max_header_bytes = 4096,
					.idle_timeout_ms = 3000, .max_stream_backlog = 64 * 1024 });
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	if (f->taken)
		bufferevent_free(f->taken);
	http_server_free(f->srv);
	event_free(f->timer);
	event_base_free(f->base);
	free(f);
	return 0;
}

static uint16_t port(fixture *f)
{
	return http_server_port(f->srv);
}

/* Reads one response and checks status and body. */
static void expect(ht_client *c, int status, const char *body)
{
	ht_response r;
	if (ht_read(c, &r, 0, 5000) != 0)
		fail_msg("no response (wanted %d %s)", status, body ? body : "*");
	if (r.status != status || (body && strcmp(r.body, body) != 0))
		fail_msg("got %d \"%s\", want %d \"%s\"", r.status, r.body ? r.body : "(none)", status, body ? body : "*");
	ht_response_free(&r);
}

/* The connection is still open: no EOF arrives within a short wait. */
static void expect_open(ht_client *c)
{
	assert_int_equal(ht_wait_closed(c, 100), -1);
}

static void test_keep_alive(void **state)
{
	fixture *f = *state;
	ht_client c;
	assert_int_equal(ht_connect(&c, f->base, port(f), 0), 0);
	for (int i = 0; i < 3; i++) {
		ht_sends(&c, "GET /fast?n=again HTTP/1.1\r\nHost: x\r\n\r\n");
		expect(&c, 200, "again");
	}
	expect_open(&c);
	ht_sends(&c, "GET /fast HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
	ht_response r;
	assert_int_equal(ht_read(&c, &r, 0, 5000), 0);
	assert_string_equal(ht_header(&r, "Connection"), "close");
	ht_response_free(&r);
	assert_int_equal(ht_wait_closed(&c, 3000), 0);
	ht_close(&c);

	/* HTTP/1.0: closes by default, stays with Connection: keep-alive */
	assert_int_equal(ht_connect(&c, f->base, port(f), 0), 0);
	ht_sends(&c, "GET /fast HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
	assert_int_equal(ht_read(&c, &r, 0, 5000), 0);
	assert_string_equal(ht_header(&r, "Connection"), "keep-alive");
	ht_response_free(&r);
	expect_open(&c);
	ht_sends(&c, "GET /fast HTTP/1.0\r\n\r\n");
	expect(&c, 200, "fast");
	assert_int_equal(ht_wait_closed(&c, 3000), 0);
	ht_close(&c);
}

static void test_pipelining_in_order(void **state)
{
	fixture *f = *state;
	ht_client c;
	assert_int_equal(ht_connect(&c, f->base, port(f), 0), 0);
	/* the first answer comes 50 ms late from a timer; the others must wait for it */
	ht_sends(&c, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /fast?n=2 HTTP/1.1\r\nHost: x\r\n\r\n"
		     "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\n3GET /fast?n=4 HTTP/1.1\r\nHost: x\r\n\r\n");
	expect(&c, 200, "slow");
	expect(&c, 200, "2");
	expect(&c, 200, "3");
	expect(&c, 200, "4");
	assert_string_equal(f->log, "slow;slow-done;fast;fast;");
	expect_open(&c);
	ht_close(&c);
	ht_pump(f->base, 20);
	assert_int_equal(f->closed, 0); /* every request finished: no on_close */
}

static void test_bodies(void **state)
{
	fixture *f = *state;
	ht_client c;
	assert_int_equal(ht_connect(&c, f->base, port(f), 0), 0);
	ht_sends(&c, "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
		     "4\r\nWiki\r\n6;note=x\r\npedia \r\nE\r\nin \r\n\r\nchunks.\r\n0\r\nX-Trailer: 1\r\n\r\n");
	expect(&c, 200, "Wikipedia in \r\n\r\nchunks.");
	/* a Content-Length body in pieces, with the loop running between them */
	ht_sends(&c, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello");
	ht_pump(f->base, 20);
	ht_sends(&c, " ");
	ht_pump(f->base, 20);
	ht_sends(&c, "world");
	expect(&c, 200, "hello world");
	expect_open(&c);
	ht_close(&c);
}

static void test_expect_continue(void **state)
{
	fixture *f = *state;
	ht_client c;
	assert_int_equal(ht_connect(&c, f->base, port(f), 0), 0);
	ht_sends(&c, "POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
	expect(&c, 100, NULL);
	ht_sends(&c, "body");
	expect(&c, 200, "body");
	/* too large: 413 at once, no 100, and the connection closes */
	ht_sends(&c, "POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5000\r\n\r\n");
	ht_response r;
	assert_int_equal(ht_read(&c, &r, 0, 5000), 0);
	assert_int_equal(r.status, 413);
	assert_non_null(strstr(r.body, "payload_too_large"));
	assert_string_equal(ht_header(&r, "Connection"), "close");
	ht_response_free(&r);
	assert_int_equal(ht_wait_closed(&c, 3000), 0);
	ht_close(&c);
}

static void test_limits_close(void **state)
{
	fixture *f = *state;
	ht_client c;
	/* 413 while the client is still sending the body: the answer must survive the close */
	assert_int_equal(ht_connect(&c, f->base, port(f), 0), 0);
	ht_sends(&c, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 200000\r\n\r\n");
	char junk[8192];
	memset(junk, 'j', sizeof(junk));
	for (int i = 0; i < 8; i++)
		ht_send(&c, junk, sizeof(junk));
	expect(&c, 413, NULL);
	assert_int_equal(ht_wait_closed(&c, 5000), 0);
	ht_close(&c);

	/* chunked over the limit */
	assert_int_equal(ht_connect(&c, f->base, port(f), 0), 0);
	ht_sends(&c, "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n800\r\n");
	expect(&c, 413, NULL);
	assert_int_equal(ht_wait_closed(&c, 5000), 0);
	ht_close(&c);

	/* 431 for an oversized head */
	assert_int_equal(ht_connect(&c, f->base, port(f), 0), 0);
	ht_sends(&c, "GET /fast HTTP/1.1\r\nHost: x\r\nX-Big: ");
	for (int i = 0; i < 1; i++)
		ht_send(&c, junk, 5000);
	ht_response r;
	assert_int_equal(ht_read(&c, &r, 0, 5000), 0);
	assert_int_equal(r.status, 431);
	assert_non_null(strstr(r.body, "header_fields_too_large"));
	ht_response_free(&r);
	assert_int_equal(ht_wait_closed(&c, 5000), 0);
	ht_close(&c);

	/* smuggling: CL + TE is refused and the hidden request never runs */
	f->log[0] = '\0';
	assert_int_equal(ht_connect(&c, f->base, port(f), 0), 0);
	ht_sends(&c, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 30\r\nTransfer-Encoding: chunked\r\n\r\n"
		     "0\r\n\r\nGET /fast HTTP/1.1\r\nHost: x\r\n\r\n");
	assert_int_equal(ht_read(&c, &r, 0, 5000), 0);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "both Content-Length and Transfer-Encoding"));
	ht_response_free(&r);
	assert_int_equal(ht_wait_closed(&c, 5000), 0);
	assert_int_equal(c.len, 0); /* nothing after the 400 */
	assert_string_equal(f->log, "");
	ht_close(&c);
	assert_int_equal(f->observed[f->nobserved - 1], 400);
}

static void fill_pattern(char *b, size_t n, size_t offset)
{
	for (size_t i = 0; i < n; i++)
		b[i] = (char)('a' + (offset + i) % 26);
}

static void test_stream_backlog(void **state)
{
	fixture *f = *state;
	ht_client c;
	/* a small receive window: the client reads nothing until the end */
	assert_int_equal(ht_connect(&c, f->base, port(f), 4096), 0);
	ht_sends(&c, "GET /stream HTTP/1.1\r\nHost: x\r\n\r\n");
	for (int i = 0; i < 200 && !f->held; i++)
		ht_pump(f->base, 5);
	http_request *r = f->held;
	assert_non_null(r);
	char chunk[16384];
	size_t written = 0, max_backlog = 0;
	int refused = 0;
	for (int i = 0; i < 4000 && !refused; i++) {
		fill_pattern(chunk, sizeof(chunk), written);
		if (http_stream_write(r, chunk, sizeof(chunk)) != 0) {
			refused = 1;
			break;
		}
		written += sizeof(chunk);
		size_t b = http_stream_backlog(r);
		if (b > max_backlog)
			max_backlog = b;
		ht_pump(f->base, 1);
	}
	assert_true(refused); /* the slow reader hit the limit ... */
	assert_true(max_backlog <= 64 * 1024); /* ... and the server never buffered more than it */
	assert_true(written >= 64 * 1024 - sizeof(chunk));
	http_stream_end(r);
	f->held = NULL;
	ht_response resp;
	assert_int_equal(ht_read(&c, &resp, 0, 10000), 0);
	assert_int_equal(resp.status, 200);
	assert_true(resp.chunked);
	assert_string_equal(ht_header(&resp, "Content-Type"), "text/event-stream");
	assert_int_equal(resp.body_len, written);
	char *want = malloc(written);
	fill_pattern(want, written, 0);
	assert_memory_equal(resp.body, want, written);
	free(want);
	ht_response_free(&resp);
	/* the stream ended cleanly: the connection serves the next request */
	ht_sends(&c, "GET /fast HTTP/1.1\r\nHost: x\r\n\r\n");
	expect(&c, 200, "fast");
	ht_close(&c);
	ht_pump(f->base, 20);
	assert_int_equal(f->closed, 0);
	assert_int_equal(f->observed[f->nobserved - 2], 200);
}

static void test_stream_http10(void **state)
{
	fixture *f = *state;
	ht_client c;
	assert_int_equal(ht_connect(&c, f->base, port(f), 0), 0);
	ht_sends(&c, "GET /stream HTTP/1.0\r\n\r\n");
	for (int i = 0; i < 200 && !f->held; i++)
		ht_pump(f->base, 5);
	assert_non_null(f->held);
	assert_int_equal(http_stream_write(f->held, "data: 1\n\n", 9), 0);
	assert_int_equal(http_stream_write(f->held, "data: 2\n\n", 9), 0);
	http_stream_end(f->held);
	f->held = NULL;
	ht_response r;
	assert_int_equal(ht_read(&c, &r, 0, 5000), 0); /* body until close: no chunked coding in 1.0 */
	assert_false(r.chunked);
	assert_string_equal(r.body, "data: 1\n\ndata: 2\n\n");
	ht_response_free(&r);
	ht_close(&c);
}

static void test_on_close(void **state)
{
	fixture *f = *state;
	ht_client c;
	/* a handler that has not answered yet */
	assert_int_equal(ht_connect(&c, f->base, port(f), 0), 0);
	ht_sends(&c, "GET /hold HTTP/1.1\r\nHost: x\r\n\r\n");
	for (int i = 0; i < 200 && !f->held; i++)
		ht_pump(f->base, 5);
	assert_non_null(f->held);
	ht_close(&c);
	for (int i = 0; i < 200 && !f->closed; i++)
		ht_pump(f->base, 5);
	assert_int_equal(f->closed, 1);
	f->held = NULL;

	/* a stream whose client disappears */
	assert_int_equal(ht_connect(&c, f->base, port(f), 0), 0);
	ht_sends(&c, "GET /stream HTTP/1.1\r\nHost: x\r\n\r\n");
	for (int i = 0; i < 200 && !f->held; i++)
		ht_pump(f->base, 5);
	assert_non_null(f->held);
	assert_int_equal(http_stream_write(f->held, "x", 1), 0);
	ht_close(&c);
	for (int i = 0; i < 200 && f->closed < 2; i++)
		ht_pump(f->base, 5);
	assert_int_equal(f->closed, 2);
	f->held = NULL;

	/* freeing the server closes a pending request too */
	assert_int_equal(ht_connect(&c, f->base, port(f), 0), 0);
	ht_sends(&c, "GET /hold HTTP/1.1\r\nHost: x\r\n\r\n");
	for (int i = 0; i < 200 && !f->held; i++)
		ht_pump(f->base, 5);
	assert_non_null(f->held);
	http_server_free(f->srv);
	f->srv = make_server(f, (http_server_options){ 0 });
	assert_int_equal(f->closed, 3);
	f->held = NULL;
	assert_int_equal(ht_wait_closed(&c, 3000), 0);
	ht_close(&c);
}

static void test_take(void **state)
{
	fixture *f = *state;
	ht_client c;
	assert_int_equal(ht_connect(&c, f->base, port(f), 0), 0);
	ht_sends(&c, "GET /upgrade HTTP/1.1\r\nHost: x\r\n\r\nEXTRA");
	for (int i = 0; i < 200 && !f->taken; i++)
		ht_pump(f->base, 5);
	assert_non_null(f->taken);
	assert_int_equal(f->observed[f->nobserved - 1], 101);
	/* the bytes after the request are left for the new owner */
	struct evbuffer *in = bufferevent_get_input(f->taken);
	for (int i = 0; i < 100 && evbuffer_get_length(in) < 5; i++)
		ht_pump(f->base, 5);
	char extra[6] = "";
	assert_int_equal(evbuffer_remove(in, extra, 5), 5);
	assert_string_equal(extra, "EXTRA");
	/* the HTTP server no longer answers on it: raw bytes flow both ways */
	bufferevent_write(f->taken, "raw bytes", 9);
	bufferevent_enable(f->taken, EV_READ | EV_WRITE);
	char got[64];
	size_t glen = 0;
	for (int i = 0; i < 200 && glen < 9; i++) {
		ssize_t n = recv(c.fd, got + glen, sizeof(got) - glen, 0);
		if (n > 0)
			glen += (size_t)n;
		ht_pump(f->base, 5);
	}
	assert_int_equal(glen, 9);
	assert_memory_equal(got, "raw bytes", 9);
	ht_sends(&c, "GET /fast HTTP/1.1\r\nHost: x\r\n\r\n");
	for (int i = 0; i < 100 && evbuffer_get_length(in) == 0; i++)
		ht_pump(f->base, 5);
	assert_true(evbuffer_get_length(in) > 0);
	assert_null(strstr(f->log, "fast")); /* not parsed by the server */
	ht_close(&c);
}

static void test_idle_and_slow_request(void **state)
{
	fixture *f = *state;
	http_server *s = make_server(f, (http_server_options){ .idle_timeout_ms = 200 });
	ht_client c;
	/* idle: closed silently */
	assert_int_equal(ht_connect(&c, f->base, http_server_port(s), 0), 0);
	assert_int_equal(ht_wait_closed(&c, 3000), 0);
	assert_int_equal(c.len, 0);
	ht_close(&c);
	/* a head that never ends: 408, even though bytes keep trickling in */
	assert_int_equal(ht_connect(&c, f->base, http_server_port(s), 0), 0);
	ht_sends(&c, "GET /fast HTTP/1.1\r\n");
	for (int i = 0; i < 6; i++) {
		ht_pump(f->base, 50);
		ht_sends(&c, "X");
	}
	expect(&c, 408, NULL);
	assert_int_equal(ht_wait_closed(&c, 3000), 0);
	ht_close(&c);
	/* keep-alive idle after a response */
	assert_int_equal(ht_connect(&c, f->base, http_server_port(s), 0), 0);
	ht_sends(&c, "GET /fast HTTP/1.1\r\nHost: x\r\n\r\n");
	expect(&c, 200, "fast");
	assert_int_equal(ht_wait_closed(&c, 3000), 0);
	ht_close(&c);
	/* a late response is not cut by the idle timeout */
	assert_int_equal(ht_connect(&c, f->base, http_server_port(s), 0), 0);
	ht_sends(&c, "GET /hold HTTP/1.1\r\nHost: x\r\n\r\n");
	ht_pump(f->base, 500);
	assert_non_null(f->held);
	expect_open(&c);
	http_respond(f->held, 200, "text/plain", "late", 4);
	f->held = NULL;
	expect(&c, 200, "late");
	ht_close(&c);
	http_server_free(s);
}

static void test_max_connections(void **state)
{
	fixture *f = *state;
	http_server *s = make_server(f, (http_server_options){ .max_connections = 2 });
	ht_client c[3];
	for (int i = 0; i < 3; i++) {
		assert_int_equal(ht_connect(&c[i], f->base, http_server_port(s), 0), 0);
		ht_pump(f->base, 20);
	}
	assert_int_equal(ht_wait_closed(&c[2], 3000), 0);
	for (int i = 0; i < 2; i++) {
		ht_sends(&c[i], "GET /fast HTTP/1.1\r\nHost: x\r\n\r\n");
		expect(&c[i], 200, "fast");
	}
	ht_close(&c[0]);
	ht_pump(f->base, 50);
	/* a slot is free again */
	ht_client d;
	assert_int_equal(ht_connect(&d, f->base, http_server_port(s), 0), 0);
	ht_sends(&d, "GET /fast HTTP/1.1\r\nHost: x\r\n\r\n");
	expect(&d, 200, "fast");
	ht_close(&d);
	ht_close(&c[1]);
	ht_close(&c[2]);
	http_server_free(s);
}

/* 100 pipelined requests whose answers (1.6 MB) far exceed the output pause threshold:
 * the server stops parsing while the client does not read and resumes when it does. */
static void test_pipeline_flood(void **state)
{
	fixture *f = *state;
	ht_client c;
	assert_int_equal(ht_connect(&c, f->base, port(f), 4096), 0);
	char req[128];
	for (int i = 0; i < 100; i++) {
		snprintf(req, sizeof(req), "GET /big?n=%c HTTP/1.1\r\nHost: x\r\n\r\n", 'A' + i % 26);
		ht_sends(&c, req);
	}
	ht_pump(f->base, 100);
	for (int i = 0; i < 100; i++) {
		ht_response r;
		assert_int_equal(ht_read(&c, &r, 0, 10000), 0);
		assert_int_equal(r.status, 200);
		assert_int_equal(r.body_len, 16384);
		assert_int_equal(r.body[0], 'A' + i % 26);
		assert_int_equal(r.body[16383], 'A' + i % 26);
		ht_response_free(&r);
	}
	expect_open(&c);
	ht_close(&c);
}

static void test_half_close(void **state)
{
	fixture *f = *state;
	ht_client c;
	assert_int_equal(ht_connect(&c, f->base, port(f), 0), 0);
	ht_sends(&c, "GET /fast?n=bye HTTP/1.0\r\n\r\n");
	shutdown(c.fd, SHUT_WR);
	expect(&c, 200, "bye");
	ht_close(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_keep_alive, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pipelining_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bodies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_expect_continue, setup, teardown),
		cmocka_unit_test_setup_teardown(test_limits_close, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stream_backlog, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stream_http10, setup, teardown),
		cmocka_unit_test_setup_teardown(test_on_close, setup, teardown),
		cmocka_unit_test_setup_teardown(test_take, setup, teardown),
		cmocka_unit_test_setup_teardown(test_idle_and_slow_request, setup, teardown),
		cmocka_unit_test_setup_teardown(test_max_connections, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pipeline_flood, setup, teardown),
		cmocka_unit_test_setup_teardown(test_half_close, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
