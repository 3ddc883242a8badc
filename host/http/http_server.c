/*
 * The listener: binds, accepts (up to max_connections), owns the route table
 * and every connection. When accept fails for lack of descriptors the
 * listener pauses for a moment instead of spinning on the ready socket.
 */
#include "http/http_internal.h"

#include "common/log.h"

#include <event2/event.h>
#include <event2/listener.h>
#include <event2/util.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#define ACCEPT_RETRY_MS 100

static void accept_cb(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa, int salen, void *arg)
{
	(void)l;
	http_conn_accept(arg, fd, sa, salen);
}

static void accept_retry_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	http_server *s = arg;
	evconnlistener_enable(s->listener);
}

static void accept_error_cb(struct evconnlistener *l, void *arg)
{
	http_server *s = arg;
	int e = EVUTIL_SOCKET_ERROR();
	log_warn("http: accept on port %u failed: %s", (unsigned)s->port, evutil_socket_error_to_string(e));
	if (e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM) {
		evconnlistener_disable(l);
		struct timeval tv = { 0, ACCEPT_RETRY_MS * 1000 };
		event_add(s->accept_retry, &tv);
	}
}

static void apply_defaults(http_server_options *o)
{
	if (!o->bind_addr || !o->bind_addr[0])
		o->bind_addr = "127.0.0.1";
	if (!o->max_header_bytes)
		o->max_header_bytes = 16 * 1024;
	if (!o->max_headers)
		o->max_headers = 64;
	if (!o->max_body_bytes)
		o->max_body_bytes = 1024 * 1024;
	if (!o->idle_timeout_ms)
		o->idle_timeout_ms = 30000;
	if (!o->max_connections)
		o->max_connections = 4096;
	if (!o->max_stream_backlog)
		o->max_stream_backlog = 4 * 1024 * 1024;
}

static int bind_listener(http_server *s, char *err, size_t errlen)
{
	char addr[128];
	const char *b = s->opt.bind_addr;
	int v6 = strchr(b, ':') != NULL;
	snprintf(addr, sizeof(addr), v6 ? "[%s]:%u" : "%s:%u", b, (unsigned)s->opt.port);
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof(ss));
	int sslen;
	if (v6) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(s->opt.port);
		sslen = (int)sizeof(*in6);
		if (evutil_inet_pton(AF_INET6, b, &in6->sin6_addr) != 1)
			sslen = 0;
	} else {
		struct sockaddr_in *in = (struct sockaddr_in *)&ss;
		in->sin_family = AF_INET;
		in->sin_port = htons(s->opt.port);
		sslen = (int)sizeof(*in);
		if (evutil_inet_pton(AF_INET, b, &in->sin_addr) != 1)
			sslen = 0;
	}
	if (!sslen) {
		snprintf(err, errlen, "cannot bind %s: not a numeric IPv4 or IPv6 address", addr);
		return -1;
	}
	s->listener = evconnlistener_new_bind(s->base, accept_cb, s,
		LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE | LEV_OPT_CLOSE_ON_EXEC, 511, (struct sockaddr *)&ss, sslen);
	if (!s->listener) {
		snprintf(err, errlen, "cannot bind %s: %s", addr, evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()));
		return -1;
	}
	evconnlistener_set_error_cb(s->listener, accept_error_cb);
	struct sockaddr_storage bound;
	socklen_t blen = sizeof(bound);
	if (getsockname(evconnlistener_get_fd(s->listener), (struct sockaddr *)&bound, &blen) == 0) {
		if (bound.ss_family == AF_INET)
			s->port = ntohs(((struct sockaddr_in *)&bound)->sin_port);
		else if (bound.ss_family == AF_INET6)
			s->port = ntohs(((struct sockaddr_in6 *)&bound)->sin6_port);
	}
	return 0;
}

http_server *http_server_create(struct event_base *base, const http_server_options *opt, char *err, size_t errlen)
{
	http_server *s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->base = base;
	if (opt)
		s->opt = *opt;
	apply_defaults(&s->opt);
	if (!s->opt.tls_cert_file != !s->opt.tls_key_file) {
		snprintf(err, errlen, "TLS needs both tls_cert_file and tls_key_file (only %s is set)",
			s->opt.tls_cert_file ? "tls_cert_file" : "tls_key_file");
		free(s);
		return NULL;
	}
	if (s->opt.tls_cert_file &&
		!(s->ssl_ctx = http_tls_ctx_new(s->opt.tls_cert_file, s->opt.tls_key_file, err, errlen))) {
		free(s);
		return NULL;
	}
	s->accept_retry = evtimer_new(base, accept_retry_cb, s);
	if (!s->accept_retry || bind_listener(s, err, errlen) != 0) {
		if (!s->accept_retry)
			snprintf(err, errlen, "out of memory");
		http_server_free(s);
		return NULL;
	}
	/* the option strings belong to the caller; nothing keeps them after create */
	s->opt.bind_addr = NULL;
	s->opt.tls_cert_file = s->opt.tls_key_file = NULL;
	return s;
}

/* Must not be called from inside a handler or guard of this server. */
void http_server_free(http_server *s)
{
	if (!s)
		return;
	if (s->listener)
		evconnlistener_free(s->listener);
	while (s->conns)
		http_conn_free(s->conns);
	if (s->accept_retry)
		event_free(s->accept_retry);
	if (s->ssl_ctx)
		http_tls_ctx_free(s->ssl_ctx);
	http_routes_free(s);
	free(s);
}

uint16_t http_server_port(const http_server *s)
{
	return s->port;
}
