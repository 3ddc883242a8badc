/*
 * One WebSocket connection of the hub: reading frames, the bounded send
 * queue, and the close handshake (see the lifetime notes in ws_hub_internal.h).
 */
#include "ws/ws_hub_internal.h"

#include "common/log.h"

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static void client_read_cb(struct bufferevent *bev, void *arg);

void ws_client_destroy(ws_client *c)
{
	ws_hub *h = c->hub;
	if (c->prev)
		c->prev->next = c->next;
	else
		h->head = c->next;
	if (c->next)
		c->next->prev = c->prev;
	h->nclients--;
	if (c->close_timer)
		event_free(c->close_timer);
	bufferevent_free(c->bev);
	ws_reader_free(&c->reader);
	ws_subs_clear(c);
	free(c->user);
	free(c);
}

static void close_timeout_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	ws_client *c = arg;
	log_debug("ws: %s (%s) close handshake timed out", c->peer, c->user);
	ws_client_destroy(c);
}

static size_t queued(const ws_client *c)
{
	return evbuffer_get_length(bufferevent_get_output(c->bev));
}

/* Our close frame went out whole: send FIN but keep reading, so the peer's
 * remaining bytes are consumed rather than answered with a reset (which can
 * destroy the close frame in the peer's receive buffer). */
static void shut_write(ws_client *c)
{
	if (c->write_shut)
		return;
	c->write_shut = true;
	evutil_socket_t fd = bufferevent_getfd(c->bev);
	if (fd >= 0)
		shutdown(fd, SHUT_WR);
}

void ws_client_close(ws_client *c, uint16_t code, const char *reason)
{
	if (c->state != WS_CLIENT_OPEN)
		return;
	c->state = WS_CLIENT_CLOSING;
	uint8_t payload[WS_MAX_CONTROL_PAYLOAD];
	size_t n = ws_close_payload(payload, code, reason);
	uint8_t frame[WS_MAX_HEADER + WS_MAX_CONTROL_PAYLOAD];
	size_t flen = ws_frame_encode(frame, sizeof(frame), WS_ROLE_SERVER, NULL, NULL, true, WS_OP_CLOSE, payload, n);
	/* The close frame may exceed the queue bound: it is the last thing this client gets. */
	bufferevent_write(c->bev, frame, flen);
	bufferevent_enable(c->bev, EV_WRITE);
	c->close_timer = evtimer_new(c->hub->base, close_timeout_cb, c);
	if (c->close_timer) {
		struct timeval tv = { WS_CLOSE_TIMEOUT_MS / 1000, (WS_CLOSE_TIMEOUT_MS % 1000) * 1000 };
		evtimer_add(c->close_timer, &tv);
	}
	log_debug("ws: closing %s (%s) with %u %s", c->peer, c->user, (unsigned)code, reason ? reason : "");
}

bool ws_client_has_room(ws_client *c, size_t len)
{
	if (c->state != WS_CLIENT_OPEN)
		return false;
	size_t q = queued(c);
	if (q + len <= c->hub->opt.max_queue_bytes)
		return true;
	c->hub->dropped_slow++;
	log_warn("ws: dropping slow client %s (%s): %zu bytes queued, limit %zu", c->peer, c->user, q,
		c->hub->opt.max_queue_bytes);
	ws_client_close(c, WS_CLOSE_POLICY, "client too slow: send queue limit exceeded");
	return false;
}

int ws_client_send_raw(ws_client *c, const void *frame, size_t len)
{
	if (!ws_client_has_room(c, len))
		return -1;
	return bufferevent_write(c->bev, frame, len) == 0 ? 0 : -1;
}

int ws_client_send(ws_client *c, ws_opcode op, const void *payload, size_t len)
{
	uint8_t small[WS_MAX_HEADER + 256];
	size_t cap = ws_frame_size(WS_ROLE_SERVER, len);
	uint8_t *frame = cap <= sizeof(small) ? small : malloc(cap);
	if (!frame)
		return -1;
	size_t n = ws_frame_encode(frame, cap, WS_ROLE_SERVER, NULL, NULL, true, op, payload, len);
	int rc = n ? ws_client_send_raw(c, frame, n) : -1;
	if (rc == 0 && !(op & 0x8))
		c->hub->messages_sent++; /* data messages only, not pings and pongs */
	if (frame != small)
		free(frame);
	return rc;
}

int ws_client_send_text(ws_client *c, const char *text)
{
	return ws_client_send(c, WS_OP_TEXT, text, strlen(text));
}

/* Returns false when the client stopped reading (closing). */
static bool handle_event(ws_client *c, const ws_event *ev)
{
	ws_hub *h = c->hub;
	switch (ev->type) {
	case WS_EV_TEXT:
		h->messages_received++;
		ws_control_handle(c, ev->data, ev->len);
		break;
	case WS_EV_BINARY:
		h->messages_received++;
		ws_client_close(c, WS_CLOSE_UNSUPPORTED, "binary messages are not supported");
		break;
	case WS_EV_PING:
		/* Pongs bypass nothing: a client that pings but never reads is still bounded. */
		ws_client_send(c, WS_OP_PONG, ev->data, ev->len);
		break;
	case WS_EV_PONG:
		c->missed_pongs = 0;
		break;
	case WS_EV_CLOSE:
		/* Echo the peer's code (RFC 6455 5.5.1); 1005 means it sent none, so neither do we. */
		ws_client_close(c, ev->close_code == WS_CLOSE_NO_STATUS ? 0 : ev->close_code, NULL);
		break;
	case WS_EV_ERROR:
		h->closed_protocol++;
		log_debug("ws: protocol error from %s (%s): %s, closing with %u", c->peer, c->user, ev->reason,
			(unsigned)ev->close_code);
		ws_client_close(c, ev->close_code, ev->reason);
		break;
	case WS_EV_NEED_MORE:
		break;
	}
	return c->state == WS_CLIENT_OPEN;
}

static void client_read_cb(struct bufferevent *bev, void *arg)
{
	ws_client *c = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	size_t len = evbuffer_get_length(in);
	if (c->state != WS_CLIENT_OPEN) {
		evbuffer_drain(in, len); /* after a close frame nothing the peer sends matters */
		return;
	}
	/* Look at the first header before making the input contiguous: a large frame
	 * arriving in pieces is then copied once, not once per read. */
	size_t hl = len < WS_MAX_HEADER ? len : WS_MAX_HEADER;
	ws_frame_header fh;
	int hrc = ws_frame_header_parse(evbuffer_pullup(in, (ev_ssize_t)hl), hl, &fh);
	if (hrc == 0)
		return;
	const char *why;
	if (hrc == 1 && ws_frame_check(&fh, WS_ROLE_SERVER, &why) == 0 && fh.payload_len <= c->reader.max_message &&
		len < fh.header_len + fh.payload_len)
		return; /* an acceptable frame, not complete yet */
	size_t off = 0;
	uint8_t *p = evbuffer_pullup(in, (ev_ssize_t)len);
	while (off < len) {
		ws_event ev;
		off += ws_reader_feed(&c->reader, p + off, len - off, &ev);
		if (ev.type == WS_EV_NEED_MORE)
			break;
		if (!handle_event(c, &ev)) {
			off = len;
			break;
		}
	}
	evbuffer_drain(in, off);
}

static void client_write_cb(struct bufferevent *bev, void *arg)
{
	ws_client *c = arg;
	if (c->state != WS_CLIENT_CLOSING || evbuffer_get_length(bufferevent_get_output(bev)) != 0)
		return;
	if (c->peer_eof)
		ws_client_destroy(c); /* both directions are done */
	else
		shut_write(c);
}

static void client_event_cb(struct bufferevent *bev, short what, void *arg)
{
	ws_client *c = arg;
	if ((what & BEV_EVENT_EOF) && !(what & BEV_EVENT_ERROR) && c->state == WS_CLIENT_CLOSING &&
		evbuffer_get_length(bufferevent_get_output(bev)) > 0) {
		/* The peer sent its close and FIN together: our close frame (already queued)
		 * still goes out; the write callback or the close timer ends the connection. */
		c->peer_eof = true;
		bufferevent_disable(bev, EV_READ);
		return;
	}
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR)) {
		if (c->state == WS_CLIENT_OPEN)
			log_debug("ws: %s (%s) disconnected without a close frame", c->peer, c->user);
		ws_client_destroy(c);
	}
}

ws_client *ws_hub_adopt(ws_hub *h, struct bufferevent *bev, const char *user, const char *peer)
{
	ws_client *c = calloc(1, sizeof(*c));
	if (!c || !(c->user = strdup(user ? user : "-"))) {
		free(c);
		bufferevent_free(bev);
		return NULL;
	}
	c->hub = h;
	c->bev = bev;
	snprintf(c->peer, sizeof(c->peer), "%s", peer ? peer : "?");
	ws_reader_init(&c->reader, WS_ROLE_SERVER, h->opt.max_message_bytes);
	c->next = h->head;
	if (h->head)
		h->head->prev = c;
	h->head = c;
	h->nclients++;

	evutil_socket_t fd = bufferevent_getfd(bev);
	if (fd >= 0) {
		/* Messages are already coalesced per loop iteration by the output buffer; Nagle would only add delay. */
		int one = 1;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	}
	bufferevent_set_timeouts(bev, NULL, NULL); /* liveness is the ping's job now */
	/* A whole frame (header + largest payload) always fits under the read watermark. */
	bufferevent_setwatermark(bev, EV_READ, 0, h->opt.max_message_bytes + WS_MAX_HEADER + 4096);
	bufferevent_setwatermark(bev, EV_WRITE, 0, 0);
	bufferevent_setcb(bev, client_read_cb, client_write_cb, client_event_cb, c);
	bufferevent_enable(bev, EV_READ | EV_WRITE);
	if (evbuffer_get_length(bufferevent_get_input(bev)) > 0)
		client_read_cb(bev, c); /* frames the client sent right behind its request */
	return c;
}
