/*
 * One client connection: reads bytes into the parser, dispatches one request
 * at a time, closes on errors, timeouts and "Connection: close".
 *
 * Deadlines (one timer per connection, idle_timeout_ms each):
 *  - idle: from the end of the last response to the first byte of the next;
 *  - head: from the first byte of a request to the end of its head;
 *  - body: between two pieces of the body.
 * While a handler owns the request there is no read deadline (streams and
 * late responses may take long); the client leaving is noticed by EOF. Slow
 * readers are cut off by the bufferevent's write timeout.
 *
 * Lifetime: server code up the stack "holds" the connection; freeing it
 * while held only marks it dead, and the last release frees it. So a
 * handler may take or close the connection and the code that called the
 * handler still finds it valid.
 */
#include "http/http_internal.h"

#include "common/log.h"

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/util.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static void conn_process(http_conn *c);

static void arm_deadline(http_conn *c, uint32_t ms)
{
	struct timeval tv = { (time_t)(ms / 1000), (suseconds_t)((ms % 1000) * 1000) };
	event_add(c->deadline_ev, &tv);
}

static void conn_destroy(http_conn *c)
{
	http_server *s = c->server;
	http_request *r = c->active;
	c->active = NULL;
	if (r) {
		int unfinished = r->state != HTTP_REQ_DONE;
		/* DONE first: API calls from inside on_close become no-ops */
		r->state = HTTP_REQ_DONE;
		if (unfinished && r->on_close)
			r->on_close(r->on_close_arg);
		http_request_free(r);
	}
	if (c->bev)
		bufferevent_free(c->bev);
	event_free(c->resume_ev);
	event_free(c->deadline_ev);
	http_message_free(&c->parser.msg);
	if (c->prev)
		c->prev->next = c->next;
	else
		s->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	s->nconns--;
	free(c);
}

void http_conn_free(http_conn *c)
{
	c->dead = 1;
	if (c->holds == 0)
		conn_destroy(c);
}

void http_conn_hold(http_conn *c)
{
	c->holds++;
}

void http_conn_release(http_conn *c)
{
	if (--c->holds == 0 && c->dead)
		conn_destroy(c);
}

/* The last response is queued: half-close once it is sent, then drain what the
 * client still sends, so the kernel does not answer unread bytes with a reset
 * that would destroy the response in flight. */
static void conn_linger(http_conn *c)
{
	if (c->tls || c->peer_eof) {
		http_conn_free(c);
		return;
	}
	shutdown(bufferevent_getfd(c->bev), SHUT_WR);
	c->lingering = 1;
	bufferevent_enable(c->bev, EV_READ);
	uint32_t idle = c->server->opt.idle_timeout_ms;
	arm_deadline(c, idle < HTTP_LINGER_MS ? idle : HTTP_LINGER_MS);
}

static void conn_close_after_response(http_conn *c)
{
	c->closing = 1;
	event_del(c->deadline_ev);
	if (evbuffer_get_length(bufferevent_get_output(c->bev)) == 0)
		conn_linger(c);
}

static const char *error_code(int status)
{
	switch (status) {
	case 400: return "bad_request";
	case 408: return "request_timeout";
	case 413: return "payload_too_large";
	case 417: return "expectation_failed";
	case 431: return "header_fields_too_large";
	case 501: return "not_implemented";
	case 505: return "http_version_not_supported";
	default: return "server_error";
	}
}

/* The request cannot be parsed: answer with the error and close. */
static void conn_fail(http_conn *c, int status, const char *message)
{
	http_message msg;
	http_parser_take(&c->parser, &msg);
	http_request *r = http_request_new(c, &msg);
	if (!r) {
		http_message_free(&msg);
		http_conn_free(c);
		return;
	}
	r->close_after = 1;
	c->active = r;
	event_del(c->deadline_ev);
	http_respond_error(r, status, error_code(status), message);
}

void http_conn_request_done(http_request *r)
{
	http_conn *c = r->conn;
	http_server *s = r->server;
	int close_after = r->close_after;
	r->state = HTTP_REQ_DONE;
	if (s->observer)
		s->observer(r, r->status, s->observer_arg);
	c->active = NULL;
	http_request_free(r);
	if (c->dead || !c->bev)
		return;
	if (close_after) {
		conn_close_after_response(c);
		return;
	}
	arm_deadline(c, s->opt.idle_timeout_ms);
	/* A late response (timer, stream end): pipelined requests may be waiting.
	 * Parse them from the loop, not from inside the caller's stack. */
	if (!c->in_process && evbuffer_get_length(bufferevent_get_input(c->bev)) > 0)
		event_active(c->resume_ev, EV_TIMEOUT, 1);
}

struct bufferevent *http_conn_detach(http_conn *c)
{
	struct bufferevent *bev = c->bev;
	bufferevent_setcb(bev, NULL, NULL, NULL, NULL);
	bufferevent_set_timeouts(bev, NULL, NULL);
	bufferevent_setwatermark(bev, EV_READ | EV_WRITE, 0, 0);
	event_del(c->deadline_ev);
	c->bev = NULL;
	return bev;
}

static void conn_dispatch(http_conn *c)
{
	http_message msg;
	http_parser_take(&c->parser, &msg);
	http_request *r = http_request_new(c, &msg);
	if (!r) {
		http_message_free(&msg);
		http_conn_free(c);
		return;
	}
	c->active = r;
	event_del(c->deadline_ev);
	const char *err = NULL;
	if (http_target_parse(r->msg.target, &r->target, &err) != 0) {
		http_respond_error(r, 400, "bad_request", err);
		return;
	}
	http_route_dispatch(c->server, r);
}

/* Feeds buffered input to the parser and answers complete requests until
 * one is still being answered, the input runs dry, or the output is full. */
static void conn_process(http_conn *c)
{
	if (c->in_process)
		return;
	http_conn_hold(c);
	c->in_process = 1;
	while (!c->active && !c->closing && !c->dead && c->bev) {
		struct evbuffer *in = bufferevent_get_input(c->bev);
		if (evbuffer_get_length(bufferevent_get_output(c->bev)) > HTTP_OUTPUT_PAUSE_BYTES) {
			c->paused = 1; /* the write callback resumes */
			break;
		}
		if (evbuffer_get_length(in) == 0)
			break;
		int was_started = http_parser_started(&c->parser);
		struct evbuffer_iovec v[8];
		int nv = evbuffer_peek(in, -1, NULL, v, 8);
		size_t used = 0;
		http_parse_result pr = HTTP_PARSE_MORE;
		for (int i = 0; i < nv && i < 8 && pr == HTTP_PARSE_MORE; i++) {
			size_t n = 0;
			pr = http_parser_feed(&c->parser, v[i].iov_base, v[i].iov_len, &n);
			used += n;
		}
		evbuffer_drain(in, used);
		if (!was_started && http_parser_started(&c->parser))
			arm_deadline(c, c->server->opt.idle_timeout_ms); /* the head deadline */
		switch (pr) {
		case HTTP_PARSE_MORE:
			if (c->parser.state != HTTP_PS_HEAD && used > 0)
				arm_deadline(c, c->server->opt.idle_timeout_ms); /* body progress */
			break;
		case HTTP_PARSE_HEAD:
			arm_deadline(c, c->server->opt.idle_timeout_ms);
			/* 100 Continue unless the client already sent body bytes anyway */
			if (c->parser.msg.expect_continue && evbuffer_get_length(in) == 0)
				bufferevent_write(c->bev, "HTTP/1.1 100 Continue\r\n\r\n", 25);
			break;
		case HTTP_PARSE_ERROR:
			conn_fail(c, c->parser.status, c->parser.error);
			break;
		case HTTP_PARSE_DONE:
			conn_dispatch(c);
			break;
		}
	}
	c->in_process = 0;
	http_conn_release(c);
}

static void conn_read_cb(struct bufferevent *bev, void *arg)
{
	http_conn *c = arg;
	if (c->closing) { /* the answer is final; what else arrives is dropped */
		struct evbuffer *in = bufferevent_get_input(bev);
		evbuffer_drain(in, evbuffer_get_length(in));
		return;
	}
	conn_process(c);
}

static void conn_write_cb(struct bufferevent *bev, void *arg)
{
	(void)bev;
	http_conn *c = arg;
	if (c->closing) {
		if (!c->lingering)
			conn_linger(c);
		return;
	}
	if (c->paused) {
		c->paused = 0;
		conn_process(c);
	}
}

static void conn_event_cb(struct bufferevent *bev, short what, void *arg)
{
	http_conn *c = arg;
	if (what & BEV_EVENT_CONNECTED)
		return;
	if (what & BEV_EVENT_EOF) {
		c->peer_eof = 1;
		if (!c->active && evbuffer_get_length(bufferevent_get_output(bev)) > 0) {
			c->closing = 1; /* a half-close: send what is queued, then close */
			event_del(c->deadline_ev);
			return;
		}
	}
	/* an error, a write timeout, the end of lingering, or the client left
	 * while its request was being answered (on_close runs) */
	http_conn_free(c);
}

static void conn_deadline_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	http_conn *c = arg;
	if (c->active)
		return;
	if (c->lingering || c->closing || !http_parser_started(&c->parser)) {
		http_conn_free(c);
		return;
	}
	http_conn_hold(c);
	conn_fail(c, 408, "the request did not arrive within idle_timeout_ms");
	http_conn_release(c);
}

static void conn_resume_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	conn_process(arg);
}

static void format_peer(const struct sockaddr *sa, char *out, size_t cap)
{
	char host[INET6_ADDRSTRLEN] = "?";
	unsigned port = 0;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
		inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
		port = ntohs(in->sin_port);
		snprintf(out, cap, "%s:%u", host, port);
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
		inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
		port = ntohs(in6->sin6_port);
		snprintf(out, cap, "[%s]:%u", host, port);
	} else {
		snprintf(out, cap, "unknown");
	}
}

void http_conn_accept(http_server *s, int fd, const struct sockaddr *sa, int salen)
{
	(void)salen;
	if (s->nconns >= s->opt.max_connections) {
		log_debug("http: %zu connections open (max_connections); refusing another", s->nconns);
		evutil_closesocket(fd);
		return;
	}
	http_conn *c = calloc(1, sizeof(*c));
	if (!c) {
		evutil_closesocket(fd);
		return;
	}
	/* small responses must not wait for delayed ACKs */
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	c->server = s;
	c->tls = s->ssl_ctx != NULL;
	c->bev = c->tls ? http_tls_bufferevent(s->base, s->ssl_ctx, fd)
			: bufferevent_socket_new(s->base, fd, BEV_OPT_CLOSE_ON_FREE);
	c->resume_ev = event_new(s->base, -1, 0, conn_resume_cb, c);
	c->deadline_ev = evtimer_new(s->base, conn_deadline_cb, c);
	if (!c->bev || !c->resume_ev || !c->deadline_ev) {
		if (c->bev)
			bufferevent_free(c->bev);
		else
			evutil_closesocket(fd);
		if (c->resume_ev)
			event_free(c->resume_ev);
		if (c->deadline_ev)
			event_free(c->deadline_ev);
		free(c);
		return;
	}
	format_peer(sa, c->peer, sizeof(c->peer));
	http_parser_limits lim = { s->opt.max_header_bytes, s->opt.max_headers, s->opt.max_body_bytes };
	http_parser_init(&c->parser, &lim);
	bufferevent_setcb(c->bev, conn_read_cb, conn_write_cb, conn_event_cb, c);
	bufferevent_setwatermark(c->bev, EV_READ, 0, HTTP_INPUT_HIGH_WATER);
	uint32_t ms = s->opt.idle_timeout_ms;
	struct timeval wt = { (time_t)(ms / 1000), (suseconds_t)((ms % 1000) * 1000) };
	bufferevent_set_timeouts(c->bev, NULL, &wt);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
	c->next = s->conns;
	if (s->conns)
		s->conns->prev = c;
	s->conns = c;
	s->nconns++;
	arm_deadline(c, ms);
}
