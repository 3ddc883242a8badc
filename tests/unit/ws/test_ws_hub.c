/*
 * The hub on a real event loop with real sockets (socketpairs), driven from
 * the test with the codec in the client role: subscriptions and keys, the
 * bounded queue (a client that never reads is closed with 1008 and counted),
 * pings and the ping timeout, the close handshake (echo, then FIN), frames
 * already buffered at adoption, protocol errors, stats, and teardown with
 * clients still connected (ASan checks nothing leaks).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <errno.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ws/ws_hub_internal.h"

typedef struct peer {
	int fd;
	uint8_t *buf;
	size_t len, cap, off;
	bool eof;
	ws_reader rd;
} peer;

static struct event_base *g_base;

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void test_key(void *arg, uint8_t key[4])
{
	(void)arg;
	memcpy(key, "\xa1\xb2\xc3\xd4", 4);
}

/* Read whatever the hub sent to this peer (non-blocking). */
static void peer_read(peer *p)
{
	for (;;) {
		if (p->cap - p->len < 65536) {
			p->cap = p->cap ? p->cap * 2 : 1 << 16;
			p->buf = realloc(p->buf, p->cap);
			assert_non_null(p->buf);
		}
		ssize_t n = read(p->fd, p->buf + p->len, p->cap - p->len);
		if (n > 0) {
			p->len += (size_t)n;
			continue;
		}
		if (n == 0)
			p->eof = true;
		break;
	}
}

/* Run the loop for ms milliseconds, reading for the peers given. */
static void pump(peer **ps, size_t n, unsigned ms)
{
	uint64_t end = now_ms() + ms;
	do {
		event_base_loop(g_base, EVLOOP_NONBLOCK);
		for (size_t i = 0; i < n; i++)
			if (ps[i])
				peer_read(ps[i]);
		usleep(1000);
	} while (now_ms() < end);
}

/* A connected client: a socketpair whose other end the hub adopts. `pre`
 * bytes are written before adoption (frames right behind the handshake). */
static peer *peer_new(ws_hub *h, const void *pre, size_t prelen)
{
	int sv[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	peer *p = calloc(1, sizeof(*p));
	p->fd = sv[0];
	fcntl(p->fd, F_SETFL, O_NONBLOCK);
	ws_reader_init(&p->rd, WS_ROLE_CLIENT, 1 << 20);
	if (prelen)
		assert_int_equal(write(p->fd, pre, prelen), (ssize_t)prelen);
	evutil_make_socket_nonblocking(sv[1]);
	struct bufferevent *bev = bufferevent_socket_new(g_base, sv[1], BEV_OPT_CLOSE_ON_FREE);
	if (prelen) {
		/* as the HTTP server leaves it: bytes after the request already in the input buffer */
		bufferevent_enable(bev, EV_READ);
		pump(NULL, 0, 5);
		bufferevent_disable(bev, EV_READ);
	}
	assert_non_null(ws_hub_adopt(h, bev, "tester", "socketpair"));
	return p;
}

static void peer_free(peer *p)
{
	close(p->fd);
	ws_reader_free(&p->rd);
	free(p->buf);
	free(p);
}

static void peer_send(peer *p, ws_opcode op, const void *data, size_t len)
{
	uint8_t frame[70000 + WS_MAX_HEADER];
	size_t n = ws_frame_encode(frame, sizeof(frame), WS_ROLE_CLIENT, test_key, NULL, true, op, data, len);
	assert_true(n > 0);
	assert_int_equal(write(p->fd, frame, n), (ssize_t)n);
}

static void peer_text(peer *p, const char *s)
{
	peer_send(p, WS_OP_TEXT, s, strlen(s));
}

/* Next event from what was received, or NEED_MORE. */
static ws_event peer_next(peer *p)
{
	ws_event ev;
	p->off += ws_reader_feed(&p->rd, p->buf + p->off, p->len - p->off, &ev);
	return ev;
}

/* Pump until the next event of `type` (skipping others), failing after ms. */
static ws_event peer_expect(peer *p, ws_event_type type, unsigned ms)
{
	uint64_t end = now_ms() + ms;
	for (;;) {
		ws_event ev = peer_next(p);
		if (ev.type == type)
			return ev;
		if (ev.type == WS_EV_NEED_MORE) {
			if (now_ms() > end)
				fail_msg("expected event %d within %u ms (eof=%d)", type, ms, p->eof);
			peer *ps[1] = { p };
			pump(ps, 1, 2);
		}
	}
}

static bool text_has(const ws_event *ev, const char *needle)
{
	return memmem(ev->data, ev->len, needle, strlen(needle)) != NULL;
}

static int setup(void **state)
{
	(void)state;
	g_base = event_base_new();
	return g_base ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	event_base_free(g_base);
	return 0;
}

static const char *const topics[] = { "orders", "market", NULL };

static void test_subscriptions_and_keys(void **state)
{
	(void)state;
	ws_hub_options o = { .topics = topics };
	ws_hub *h = ws_hub_create(g_base, &o);
	peer *a = peer_new(h, NULL, 0), *b = peer_new(h, NULL, 0);
	peer_text(a, "{\"op\":\"subscribe\",\"topics\":[\"orders\",\"market:BTC-USDT\"]}");
	peer_text(b, "{\"op\":\"subscribe\",\"topics\":[\"market\"]}");
	ws_event ev = peer_expect(a, WS_EV_TEXT, 2000);
	assert_true(text_has(&ev, "\"subscribed\""));
	ev = peer_expect(b, WS_EV_TEXT, 2000);
	assert_true(text_has(&ev, "\"subscribed\""));

	assert_int_equal(ws_hub_publish(h, "orders", NULL, "{\"n\":1}", 7), 1);
	assert_int_equal(ws_hub_publish(h, "market", "BTC-USDT", "{\"n\":2}", 7), 2);
	assert_int_equal(ws_hub_publish(h, "market", "ETH-USDT", "{\"n\":3}", 7), 1);
	assert_int_equal(ws_hub_publish(h, "market", NULL, "{\"n\":4}", 7), 1);  /* keyed subscription wants a key */
	assert_int_equal(ws_hub_publish(h, "fills", NULL, "{\"n\":5}", 7), 0);
	/* a key that needs escaping stays valid JSON */
	assert_int_equal(ws_hub_publish(h, "market", "a\"b", "{\"n\":6}", 7), 1);

	ev = peer_expect(a, WS_EV_TEXT, 2000);
	assert_int_equal(ev.len, strlen("{\"topic\":\"orders\",\"data\":{\"n\":1}}"));
	assert_memory_equal(ev.data, "{\"topic\":\"orders\",\"data\":{\"n\":1}}", ev.len);
	ev = peer_expect(a, WS_EV_TEXT, 2000);
	assert_memory_equal(ev.data, "{\"topic\":\"market:BTC-USDT\",\"data\":{\"n\":2}}", ev.len);
	static const char *const bwant[] = { "{\"topic\":\"market:BTC-USDT\",\"data\":{\"n\":2}}",
		"{\"topic\":\"market:ETH-USDT\",\"data\":{\"n\":3}}", "{\"topic\":\"market\",\"data\":{\"n\":4}}",
		"{\"topic\":\"market:a\\\"b\",\"data\":{\"n\":6}}" };
	for (size_t i = 0; i < 4; i++) {
		ev = peer_expect(b, WS_EV_TEXT, 2000);
		assert_int_equal(ev.len, strlen(bwant[i]));
		assert_memory_equal(ev.data, bwant[i], ev.len);
	}
	/* a large message is shared between the subscribers' buffers, not copied: same bytes */
	static char big[20000];
	memset(big, 'z', sizeof(big));
	memcpy(big, "{\"s\":\"", 6);
	memcpy(big + sizeof(big) - 2, "\"}", 2);
	assert_int_equal(ws_hub_publish(h, "market", "BTC-USDT", big, sizeof(big)), 2);
	peer *both[2] = { a, b };
	for (int i = 0; i < 2; i++) {
		ev = peer_expect(both[i], WS_EV_TEXT, 2000);
		assert_int_equal(ev.len, strlen("{\"topic\":\"market:BTC-USDT\",\"data\":}") + sizeof(big));
		assert_memory_equal(ev.data + ev.len - 1 - sizeof(big), big, sizeof(big));
	}
	peer *ps[2] = { a, b };
	pump(ps, 2, 20);
	assert_int_equal(peer_next(a).type, WS_EV_NEED_MORE); /* nothing else arrived */

	ws_hub_stats st;
	ws_hub_stats_get(h, &st);
	assert_int_equal(st.clients, 2);
	assert_int_equal(st.messages_received, 2);
	assert_int_equal(st.messages_sent, 2 + 6 + 2); /* two replies, eight deliveries */
	ws_hub_free(h);
	peer_free(a);
	peer_free(b);
}

static void test_slow_client_dropped(void **state)
{
	(void)state;
	ws_hub_options o = { .topics = topics, .max_queue_bytes = 8192 };
	ws_hub *h = ws_hub_create(g_base, &o);
	peer *slow = peer_new(h, NULL, 0), *fast = peer_new(h, NULL, 0);
	peer_text(slow, "{\"op\":\"subscribe\",\"topics\":[\"orders\"]}");
	peer_text(fast, "{\"op\":\"subscribe\",\"topics\":[\"orders\"]}");
	peer_expect(slow, WS_EV_TEXT, 2000);
	peer_expect(fast, WS_EV_TEXT, 2000);

	char msg[1024];
	memset(msg, ' ', sizeof(msg));
	msg[0] = '{';
	msg[sizeof(msg) - 1] = '}';
	/* the slow peer does not read: the socket buffer fills, then the hub's queue */
	size_t to_slow = 0, rounds = 0;
	ws_hub_stats st;
	do {
		size_t q = ws_hub_publish(h, "orders", NULL, msg, sizeof(msg));
		assert_true(q >= 1); /* the fast client always gets it */
		to_slow += q - 1;
		peer *ps[1] = { fast };
		pump(ps, 1, 0);
		ws_hub_stats_get(h, &st);
		assert_true(st.queued_bytes <= 2 * (8192 + 256)); /* bounded: never more than the limit per client */
		rounds++;
	} while (st.dropped_slow == 0 && rounds < 100000);
	assert_int_equal(st.dropped_slow, 1);
	/* after the drop, publishing reaches only the fast client */
	assert_int_equal(ws_hub_publish(h, "orders", NULL, "{}", 2), 1);

	/* when the slow peer finally reads: every queued message, then close 1008, then EOF */
	size_t got = 0;
	ws_event ev;
	for (;;) {
		ev = peer_expect(slow, WS_EV_TEXT, 5000); /* fails if the close came first */
		got++;
		if (got == to_slow)
			break;
	}
	ev = peer_expect(slow, WS_EV_CLOSE, 5000);
	assert_int_equal(ev.close_code, 1008);
	peer *ps[1] = { slow };
	uint64_t end = now_ms() + 5000;
	while (!slow->eof && now_ms() < end)
		pump(ps, 1, 5);
	assert_true(slow->eof);
	shutdown(slow->fd, SHUT_WR); /* our EOF ends the connection on the hub's side */
	pump(ps, 1, 20);
	ws_hub_stats_get(h, &st);
	assert_int_equal(st.clients, 1);
	ws_hub_free(h);
	peer_free(slow);
	peer_free(fast);
}

static void test_close_handshake(void **state)
{
	(void)state;
	ws_hub *h = ws_hub_create(g_base, NULL);
	peer *p = peer_new(h, NULL, 0);
	peer_send(p, WS_OP_CLOSE, "\x0f\xa0" "done", 6); /* 4000 */
	ws_event ev = peer_expect(p, WS_EV_CLOSE, 2000);
	assert_int_equal(ev.close_code, 4000);
	peer *ps[1] = { p };
	uint64_t end = now_ms() + 2000;
	while (!p->eof && now_ms() < end)
		pump(ps, 1, 2);
	assert_true(p->eof); /* the hub sent FIN after its close frame */
	shutdown(p->fd, SHUT_WR);
	pump(ps, 1, 20);
	ws_hub_stats st;
	ws_hub_stats_get(h, &st);
	assert_int_equal(st.clients, 0); /* our EOF completed the close */
	ws_hub_free(h);
	peer_free(p);
}

/* A client that sends its close frame and its FIN together still gets the echo. */
static void test_close_then_fin(void **state)
{
	(void)state;
	ws_hub *h = ws_hub_create(g_base, NULL);
	peer *p = peer_new(h, NULL, 0);
	peer_send(p, WS_OP_CLOSE, "\x03\xe8", 2);
	shutdown(p->fd, SHUT_WR);
	ws_event ev = peer_expect(p, WS_EV_CLOSE, 2000);
	assert_int_equal(ev.close_code, 1000);
	peer *ps[1] = { p };
	uint64_t end = now_ms() + 2000;
	while (!p->eof && now_ms() < end)
		pump(ps, 1, 2);
	assert_true(p->eof);
	ws_hub_stats st;
	ws_hub_stats_get(h, &st);
	assert_int_equal(st.clients, 0);
	ws_hub_free(h);
	peer_free(p);
}

static void test_protocol_errors(void **state)
{
	(void)state;
	ws_hub_options o = { .max_message_bytes = 1000 };
	ws_hub *h = ws_hub_create(g_base, &o);
	peer *big = peer_new(h, NULL, 0), *bin = peer_new(h, NULL, 0), *unmasked = peer_new(h, NULL, 0);
	char payload[1001];
	memset(payload, 'a', sizeof(payload));
	peer_send(big, WS_OP_TEXT, payload, sizeof(payload));
	assert_int_equal(peer_expect(big, WS_EV_CLOSE, 2000).close_code, 1009);
	peer_send(bin, WS_OP_BINARY, "\x01", 1);
	assert_int_equal(peer_expect(bin, WS_EV_CLOSE, 2000).close_code, 1003);
	uint8_t frame[16];
	size_t n = ws_frame_encode(frame, sizeof(frame), WS_ROLE_SERVER, NULL, NULL, true, WS_OP_TEXT, "{}", 2);
	assert_int_equal(write(unmasked->fd, frame, n), (ssize_t)n);
	ws_event ev = peer_expect(unmasked, WS_EV_CLOSE, 2000);
	assert_int_equal(ev.close_code, 1002);
	assert_true(ev.reason_len > 0); /* the reason names the rule */
	ws_hub_stats st;
	ws_hub_stats_get(h, &st);
	assert_int_equal(st.closed_protocol, 2); /* 1009 and 1002; a binary message is well-formed */
	ws_hub_free(h);
	peer_free(big);
	peer_free(bin);
	peer_free(unmasked);
}

static void test_ping_and_timeout(void **state)
{
	(void)state;
	ws_hub_options o = { .ping_interval_ms = 100 };
	ws_hub *h = ws_hub_create(g_base, &o);
	peer *answers = peer_new(h, NULL, 0), *silent = peer_new(h, NULL, 0);
	/* our own ping is answered with the same payload */
	peer_send(answers, WS_OP_PING, "abc", 3);
	ws_event ev = peer_expect(answers, WS_EV_PONG, 2000);
	assert_int_equal(ev.len, 3);
	assert_memory_equal(ev.data, "abc", 3);
	uint64_t end = now_ms() + 450;
	int pings = 0;
	while (now_ms() < end) {
		ev = peer_next(answers);
		if (ev.type == WS_EV_PING) {
			pings++;
			peer_send(answers, WS_OP_PONG, ev.data, ev.len);
		} else if (ev.type == WS_EV_NEED_MORE) {
			peer *ps[2] = { answers, silent };
			pump(ps, 2, 2);
		}
	}
	assert_true(pings >= 3);
	ev = peer_expect(silent, WS_EV_CLOSE, 2000);
	assert_int_equal(ev.close_code, 1001);
	ws_hub_stats st;
	ws_hub_stats_get(h, &st);
	assert_true(st.clients >= 1);
	/* the answering client is still open: it still gets a reply */
	peer_text(answers, "{\"op\":\"ping\"}");
	for (;;) {
		ev = peer_expect(answers, WS_EV_TEXT, 2000);
		if (text_has(&ev, "\"pong\""))
			break;
	}
	ws_hub_free(h);
	peer_free(answers);
	peer_free(silent);
}

static void test_frames_buffered_before_adoption(void **state)
{
	(void)state;
	uint8_t frames[256];
	const char *sub = "{\"op\":\"subscribe\",\"topics\":[\"x\"]}";
	size_t n = ws_frame_encode(frames, sizeof(frames), WS_ROLE_CLIENT, test_key, NULL, true, WS_OP_TEXT, sub,
		strlen(sub));
	n += ws_frame_encode(frames + n, sizeof(frames) - n, WS_ROLE_CLIENT, test_key, NULL, true, WS_OP_PING, "p", 1);
	ws_hub *h = ws_hub_create(g_base, NULL); /* no topic list: any topic */
	peer *p = peer_new(h, frames, n);
	ws_event ev = peer_expect(p, WS_EV_TEXT, 2000);
	assert_true(text_has(&ev, "\"subscribed\""));
	assert_int_equal(peer_expect(p, WS_EV_PONG, 2000).len, 1);
	assert_int_equal(ws_hub_publish(h, "x", "k", "{}", 2), 1);
	ws_hub_free(h);
	peer_free(p);
}

static void test_free_with_clients(void **state)
{
	(void)state;
	ws_hub *h = ws_hub_create(g_base, NULL);
	peer *p[3];
	for (int i = 0; i < 3; i++) {
		p[i] = peer_new(h, NULL, 0);
		peer_text(p[i], "{\"op\":\"subscribe\",\"topics\":[\"a\"]}");
	}
	pump(p, 3, 20);
	ws_hub_free(h);
	for (int i = 0; i < 3; i++) {
		peer *ps[1] = { p[i] };
		pump(ps, 1, 5);
		ws_event ev;
		do
			ev = peer_next(p[i]);
		while (ev.type == WS_EV_TEXT);
		assert_int_equal(ev.type, WS_EV_CLOSE);
		assert_int_equal(ev.close_code, 1001);
		assert_true(p[i]->eof);
		peer_free(p[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_subscriptions_and_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_slow_client_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_handshake, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_then_fin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_protocol_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ping_and_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_frames_buffered_before_adoption, setup, teardown),
		cmocka_unit_test_setup_teardown(test_free_with_clients, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
