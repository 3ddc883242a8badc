/* The WebSocket server hub (ws.h): upgrade, publish, pings, stats, teardown. */
#include "ws/ws_hub_internal.h"
#include "ws/ws_handshake.h"

#include "common/log.h"
#include "http/http.h"

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static void ping_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	ws_hub *h = arg;
	for (ws_client *c = h->head; c; c = c->next) {
		if (c->state != WS_CLIENT_OPEN)
			continue;
		if (c->missed_pongs >= 2) {
			log_info("ws: %s (%s) answered no ping for two intervals, closing", c->peer, c->user);
			ws_client_close(c, WS_CLOSE_GOING_AWAY, "ping timeout");
			continue;
		}
		c->missed_pongs++;
		ws_client_send(c, WS_OP_PING, NULL, 0);
	}
}

ws_hub *ws_hub_create(struct event_base *base, const ws_hub_options *opt)
{
	ws_hub *h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	h->base = base;
	if (opt)
		h->opt = *opt;
	if (!h->opt.max_clients)
		h->opt.max_clients = 4096;
	if (!h->opt.max_queue_bytes)
		h->opt.max_queue_bytes = 1024 * 1024;
	if (!h->opt.max_message_bytes)
		h->opt.max_message_bytes = 64 * 1024;
	if (!h->opt.ping_interval_ms)
		h->opt.ping_interval_ms = 20000;
	if (h->opt.topics) {
		while (h->opt.topics[h->ntopics])
			h->ntopics++;
		h->topics = calloc(h->ntopics + 1, sizeof(char *));
		if (!h->topics)
			goto fail;
		for (size_t i = 0; i < h->ntopics; i++)
			if (!(h->topics[i] = strdup(h->opt.topics[i])))
				goto fail;
	}
	h->opt.topics = (const char *const *)h->topics;
	h->ping_timer = event_new(base, -1, EV_PERSIST, ping_cb, h);
	if (!h->ping_timer)
		goto fail;
	struct timeval tv = { h->opt.ping_interval_ms / 1000, (h->opt.ping_interval_ms % 1000) * 1000 };
	evtimer_add(h->ping_timer, &tv);
	return h;
fail:
	ws_hub_free(h);
	return NULL;
}

void ws_hub_free(ws_hub *h)
{
	if (!h)
		return;
	while (h->head) {
		ws_client *c = h->head;
		/* Best effort: tell an idle client why it goes, without waiting for the loop. */
		if (c->state == WS_CLIENT_OPEN && evbuffer_get_length(bufferevent_get_output(c->bev)) == 0) {
			uint8_t payload[WS_MAX_CONTROL_PAYLOAD], frame[WS_MAX_HEADER + WS_MAX_CONTROL_PAYLOAD];
			size_t n = ws_close_payload(payload, WS_CLOSE_GOING_AWAY, "server shutting down");
			size_t flen = ws_frame_encode(frame, sizeof(frame), WS_ROLE_SERVER, NULL, NULL, true, WS_OP_CLOSE,
				payload, n);
			evutil_socket_t fd = bufferevent_getfd(c->bev);
			if (fd >= 0 && send(fd, frame, flen, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
				log_debug("ws: could not send the shutdown close frame to %s", c->peer);
		}
		ws_client_destroy(c);
	}
	if (h->ping_timer)
		event_free(h->ping_timer);
	if (h->topics)
		for (size_t i = 0; i < h->ntopics; i++)
			free(h->topics[i]);
	free(h->topics);
	free(h);
}

int ws_hub_accept(ws_hub *h, http_request *req, const char *user)
{
	char err[256];
	const char *key = http_request_header(req, "Sec-WebSocket-Key");
	int status = ws_handshake_check(http_request_method(req), http_request_header(req, "Upgrade"),
		http_request_header(req, "Connection"), http_request_header(req, "Sec-WebSocket-Version"), key, err,
		sizeof(err));
	if (status == 426) {
		http_response_header(req, "Sec-WebSocket-Version", "13");
		http_respond_error(req, 426, "upgrade_required", err);
		return -1;
	}
	if (status) {
		http_respond_error(req, status, "bad_handshake", err);
		return -1;
	}
	if (h->nclients >= h->opt.max_clients) {
		snprintf(err, sizeof(err), "too many WebSocket clients (limit %zu)", h->opt.max_clients);
		http_respond_error(req, 503, "too_many_clients", err);
		return -1;
	}
	char resp[256];
	size_t rlen = ws_handshake_response(resp, sizeof(resp), key);
	if (!rlen) {
		http_respond_error(req, 500, "internal", "cannot compute Sec-WebSocket-Accept");
		return -1;
	}
	char peer[64];
	const char *p = http_request_peer(req);
	snprintf(peer, sizeof(peer), "%s", p ? p : "?");
	struct bufferevent *bev = http_request_take(req);
	if (!bev) {
		http_respond_error(req, 400, "bad_handshake",
			"a WebSocket upgrade cannot be pipelined behind other requests");
		return -1;
	}
	if (bufferevent_write(bev, resp, rlen) != 0) {
		bufferevent_free(bev);
		return -1;
	}
	if (!ws_hub_adopt(h, bev, user, peer))
		return -1;
	log_debug("ws: %s (%s) connected", peer, user ? user : "-");
	return 0;
}

/* Append s as the inside of a JSON string. */
static size_t json_escape(char *out, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\') {
			out[n++] = '\\';
			out[n++] = (char)ch;
		} else if (ch < 0x20) {
			memcpy(out + n, "\\u00", 4);
			out[n + 4] = hex[ch >> 4];
			out[n + 5] = hex[ch & 15];
			n += 6;
		} else {
			out[n++] = (char)ch;
		}
	}
	return n;
}

/* A published frame referenced (not copied) by every subscriber's output buffer; freed when
 * the last of them has written it out. Worth it only for large frames: small ones are cheaper
 * to copy into the buffers' existing chains. */
#define WS_SHARED_FRAME_MIN 4096

typedef struct shared_frame {
	size_t refs;
	uint8_t bytes[];
} shared_frame;

static void shared_frame_unref(const void *data, size_t len, void *arg)
{
	(void)data;
	(void)len;
	shared_frame *f = arg;
	if (--f->refs == 0)
		free(f);
}

size_t ws_hub_publish(ws_hub *h, const char *topic, const char *key, const char *json, size_t len)
{
	static const char pre[] = "{\"topic\":\"", mid[] = "\",\"data\":";
	size_t tlen = strlen(topic), klen = key ? strlen(key) : 0;
	/* Escaping at most sextuples a byte. */
	size_t cap = WS_MAX_HEADER + sizeof(pre) + 6 * (tlen + 1 + klen) + sizeof(mid) + len + 1;
	shared_frame *sf = malloc(sizeof(*sf) + cap);
	if (!sf)
		return 0;
	sf->refs = 1; /* ours, dropped at the end */
	char *body = (char *)sf->bytes + WS_MAX_HEADER;
	size_t n = 0;
	memcpy(body, pre, sizeof(pre) - 1);
	n += sizeof(pre) - 1;
	n += json_escape(body + n, topic);
	if (key) {
		body[n++] = ':';
		n += json_escape(body + n, key);
	}
	memcpy(body + n, mid, sizeof(mid) - 1);
	n += sizeof(mid) - 1;
	memcpy(body + n, json, len);
	n += len;
	body[n++] = '}';
	/* Encode the frame once, header placed right before the body, and queue the same bytes everywhere. */
	uint8_t hdr[WS_MAX_HEADER];
	size_t hl = ws_frame_header_encode(hdr, true, WS_OP_TEXT, n, NULL);
	uint8_t *start = sf->bytes + WS_MAX_HEADER - hl;
	memcpy(start, hdr, hl);
	size_t flen = hl + n;
	bool shared = flen >= WS_SHARED_FRAME_MIN;

	size_t count = 0;
	for (ws_client *c = h->head; c; c = c->next) {
		if (c->state != WS_CLIENT_OPEN || !ws_subs_match(c, topic, tlen, key))
			continue;
		if (!shared) {
			if (ws_client_send_raw(c, start, flen) == 0)
				count++;
		} else if (ws_client_has_room(c, flen)) {
			sf->refs++;
			if (evbuffer_add_reference(bufferevent_get_output(c->bev), start, flen, shared_frame_unref, sf) == 0)
				count++;
			else
				sf->refs--;
		}
	}
	h->messages_sent += count;
	shared_frame_unref(NULL, 0, sf);
	return count;
}

void ws_hub_stats_get(const ws_hub *h, ws_hub_stats *out)
{
	memset(out, 0, sizeof(*out));
	out->clients = h->nclients;
	out->messages_sent = h->messages_sent;
	out->messages_received = h->messages_received;
	out->dropped_slow = h->dropped_slow;
	out->closed_protocol = h->closed_protocol;
	for (const ws_client *c = h->head; c; c = c->next)
		out->queued_bytes += evbuffer_get_length(bufferevent_get_output(c->bev));
}
