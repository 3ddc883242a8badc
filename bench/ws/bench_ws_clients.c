/*
 * The benchmark's clients: one event loop thread holding every connection.
 * WS mode is a real RFC 6455 client built from host/ws's codec (handshake
 * helper, masked subscribe frame, ws_reader in the client role); raw mode
 * reads newline-delimited messages. Both parse the publish timestamp "t"
 * of every message and record now - t.
 */
#include "bench_ws.h"

#include "ws/ws_frame.h"
#include "ws/ws_handshake.h"

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct bw_client {
	bw_run *run;
	struct bufferevent *bev;
	bool upgraded;
	bool counted;
	char key[WS_KEY_LEN + 1];
	ws_reader reader;
	uint64_t rng;
} bw_client;

uint64_t bw_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t bw_thread_cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Masking keys for a benchmark client: xorshift is enough here (nothing to protect on loopback). */
static void bench_key(void *arg, uint8_t key[4])
{
	uint64_t *s = arg;
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	memcpy(key, s, 4);
}

static void record(bw_client *c, const uint8_t *msg, size_t len)
{
	uint64_t now = bw_now_ns();
	const uint8_t *t = memmem(msg, len, "\"t\":", 4);
	if (!t)
		return;
	uint64_t sent = strtoull((const char *)t + 4, NULL, 10);
	uint64_t d = now > sent ? now - sent : 0;
	size_t i = atomic_fetch_add(&c->run->nlat, 1);
	if (i < c->run->clients * c->run->messages)
		c->run->lat_ns[i] = d > UINT32_MAX ? UINT32_MAX : (uint32_t)d;
	atomic_fetch_add(&c->run->delivered, 1);
}

static void ws_read(bw_client *c, struct evbuffer *in)
{
	size_t len = evbuffer_get_length(in);
	uint8_t *p = evbuffer_pullup(in, (ev_ssize_t)len);
	size_t off = 0;
	if (!c->upgraded) {
		char err[256];
		long head = ws_handshake_client_verify((const char *)p, len, c->key, err, sizeof(err));
		if (head == 0)
			return;
		if (head < 0) {
			fprintf(stderr, "bench_ws_fanout: handshake failed: %s\n", err);
			atomic_fetch_add(&c->run->failed, 1);
			bufferevent_disable(c->bev, EV_READ);
			return;
		}
		c->upgraded = true;
		off = (size_t)head;
		static const char sub[] = "{\"op\":\"subscribe\",\"topics\":[\"bench\"]}";
		uint8_t frame[128];
		size_t n = ws_frame_encode(frame, sizeof(frame), WS_ROLE_CLIENT, bench_key, &c->rng, true, WS_OP_TEXT, sub,
			sizeof(sub) - 1);
		bufferevent_write(c->bev, frame, n);
	}
	while (off < len) {
		ws_event ev;
		off += ws_reader_feed(&c->reader, p + off, len - off, &ev);
		if (ev.type == WS_EV_NEED_MORE)
			break;
		if (ev.type == WS_EV_TEXT) {
			if (!c->counted && memmem(ev.data, ev.len, "\"subscribed\"", 12)) {
				c->counted = true;
				atomic_fetch_add(&c->run->connected, 1);
			} else {
				record(c, ev.data, ev.len);
			}
		} else if (ev.type == WS_EV_CLOSE || ev.type == WS_EV_ERROR) {
			fprintf(stderr, "bench_ws_fanout: server closed a client (%u)\n", (unsigned)ev.close_code);
			atomic_fetch_add(&c->run->failed, 1);
			off = len;
			bufferevent_disable(c->bev, EV_READ);
			break;
		}
		/* server pings are not expected within a run (20 s interval) */
	}
	evbuffer_drain(in, off);
}

static void raw_read(bw_client *c, struct evbuffer *in)
{
	size_t len = evbuffer_get_length(in);
	uint8_t *p = evbuffer_pullup(in, (ev_ssize_t)len);
	size_t off = 0;
	for (;;) {
		uint8_t *nl = memchr(p + off, '\n', len - off);
		if (!nl)
			break;
		record(c, p + off, (size_t)(nl - (p + off)));
		off = (size_t)(nl - p) + 1;
	}
	evbuffer_drain(in, off);
}

static void read_cb(struct bufferevent *bev, void *arg)
{
	bw_client *c = arg;
	if (c->run->mode == BW_MODE_WS)
		ws_read(c, bufferevent_get_input(bev));
	else
		raw_read(c, bufferevent_get_input(bev));
}

static void event_cb(struct bufferevent *bev, short what, void *arg)
{
	bw_client *c = arg;
	if (what & BEV_EVENT_CONNECTED) {
		if (c->run->mode == BW_MODE_WS) {
			uint8_t nonce[16];
			for (int i = 0; i < 4; i++)
				bench_key(&c->rng, nonce + 4 * i);
			char req[512];
			size_t n = ws_handshake_client_request(req, sizeof(req), "127.0.0.1", "/ws", nonce, c->key);
			bufferevent_write(bev, req, n);
		} else if (!c->counted) {
			c->counted = true;
			atomic_fetch_add(&c->run->connected, 1);
		}
		return;
	}
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR)) {
		if (!atomic_load(&c->run->stop))
			atomic_fetch_add(&c->run->failed, 1);
		bufferevent_disable(bev, EV_READ | EV_WRITE);
	}
}

static void stop_check_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	bw_run *run = ((void **)arg)[0];
	struct event_base *base = ((void **)arg)[1];
	if (atomic_load(&run->stop))
		event_base_loopbreak(base);
}

void *bw_client_thread(void *arg)
{
	bw_run *run = arg;
	struct event_base *base = event_base_new();
	bw_client *cs = calloc(run->clients, sizeof(*cs));
	if (!base || !cs) {
		atomic_fetch_add(&run->failed, run->clients);
		return NULL;
	}
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(run->port) };
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (size_t i = 0; i < run->clients; i++) {
		bw_client *c = &cs[i];
		c->run = run;
		c->rng = 0x9E3779B97F4A7C15ULL ^ (i + 1);
		ws_reader_init(&c->reader, WS_ROLE_CLIENT, 1 << 20);
		c->bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
		bufferevent_setcb(c->bev, read_cb, NULL, event_cb, c);
		bufferevent_enable(c->bev, EV_READ | EV_WRITE);
		if (bufferevent_socket_connect(c->bev, (struct sockaddr *)&sin, sizeof(sin)) != 0)
			atomic_fetch_add(&run->failed, 1);
	}
	void *targ[2] = { run, base };
	struct event *check = event_new(base, -1, EV_PERSIST, stop_check_cb, targ);
	struct timeval tv = { 0, 5000 };
	event_add(check, &tv);
	event_base_dispatch(base);
	event_free(check);
	for (size_t i = 0; i < run->clients; i++) {
		bufferevent_free(cs[i].bev);
		ws_reader_free(&cs[i].reader);
	}
	free(cs);
	event_base_free(base);
	return NULL;
}
