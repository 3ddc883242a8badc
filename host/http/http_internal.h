/*
 * Private to host/http: the server, connection, route and request structs
 * and the functions the files of the server call on each other.
 *
 * Connection life: a connection parses one request at a time. While that
 * request is being answered (now, from a timer later, or as a stream) the
 * bytes of later pipelined requests wait in the input buffer; when the
 * response is complete the next one is parsed. So responses always leave in
 * request order and at most one request per connection exists.
 */
#ifndef HOST_HTTP_HTTP_INTERNAL_H
#define HOST_HTTP_HTTP_INTERNAL_H

#include "http/http.h"
#include "http/http_parse.h"
#include "http/http_query.h"

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

struct event;
struct evconnlistener;

/* Stop parsing pipelined requests while this much response data waits to be
 * sent; resume when the client has read it. Bounds memory per connection. */
#define HTTP_OUTPUT_PAUSE_BYTES (256u * 1024u)
/* Stop reading from the socket while this much unparsed input is buffered. */
#define HTTP_INPUT_HIGH_WATER (256u * 1024u)
/* After an error response the server half-closes and drains the client's
 * remaining bytes for at most this long, so the response is not lost to a
 * TCP reset caused by unread data. */
#define HTTP_LINGER_MS 2000u

typedef struct http_route {
	char method[8];
	char *pattern;
	char **segs;     /* literal text, or the parameter name when is_param */
	unsigned char *is_param;
	size_t nsegs;
	int tag;
	http_handler_fn fn;
	void *arg;
} http_route;

typedef struct http_conn http_conn;

struct http_server {
	struct event_base *base;
	http_server_options opt;
	struct evconnlistener *listener;
	struct event *accept_retry; /* re-enables accepting after EMFILE */
	void *ssl_ctx;              /* SSL_CTX *, NULL for plain TCP */
	uint16_t port;
	http_route *routes;
	size_t nroutes, route_cap;
	http_handler_fn fallback;
	void *fallback_arg;
	int fallback_tag;
	http_guard_fn guard;
	void *guard_arg;
	http_observer_fn observer;
	void *observer_arg;
	http_conn *conns; /* doubly linked */
	size_t nconns;
	time_t date_at;
	char date[40]; /* the Date header value for second date_at */
};

enum http_req_state { HTTP_REQ_HANDLING, HTTP_REQ_STREAMING, HTTP_REQ_DONE };
enum http_body_mode { HTTP_BODY_LENGTH, HTTP_BODY_CHUNKED, HTTP_BODY_UNTIL_CLOSE, HTTP_BODY_NONE };

struct http_request {
	http_conn *conn;
	http_server *server;
	http_message msg;
	http_target target;
	const http_route *route;
	char *resp_headers; /* "Name: value\r\n" lines added by the handler */
	size_t rh_len, rh_cap;
	void *user;
	void (*on_close)(void *arg);
	void *on_close_arg;
	int state;        /* enum http_req_state */
	int status;
	int is_head;
	int body_mode;    /* of a stream */
	int close_after;  /* the connection closes after this response */
};

struct http_conn {
	http_server *server;
	struct bufferevent *bev; /* NULL once taken */
	http_conn *prev, *next;
	http_parser parser;
	http_request *active;
	struct event *resume_ev;   /* parses pipelined input after a late response */
	struct event *deadline_ev; /* idle, slow request, linger */
	char peer[64];
	int tls;
	int holds;       /* > 0 while server code up the stack uses the connection */
	int in_process;  /* inside conn_process: it picks up the next request itself */
	int paused;      /* waiting for the output to drain before parsing more */
	int closing;     /* last response written: close once it is sent */
	int lingering;   /* write side shut, discarding input until EOF or timeout */
	int peer_eof;
	int dead;        /* free when the last hold is released */
};

/* http_conn.c */
void http_conn_accept(http_server *s, int fd, const struct sockaddr *sa, int salen);
void http_conn_free(http_conn *c); /* deferred while held; runs on_close of an unfinished request */
void http_conn_hold(http_conn *c);
void http_conn_release(http_conn *c);
/* The response of the active request is complete (all bytes queued). */
void http_conn_request_done(http_request *r);
/* Detaches the bufferevent for http_request_take. */
struct bufferevent *http_conn_detach(http_conn *c);

/* http_request.c */
http_request *http_request_new(http_conn *c, http_message *msg);
void http_request_free(http_request *r);

/* http_route.c */
void http_route_dispatch(http_server *s, http_request *r);
void http_routes_free(http_server *s);

/* http_tls.c */
void *http_tls_ctx_new(const char *cert_file, const char *key_file, char *err, size_t errlen);
void http_tls_ctx_free(void *ctx);
struct bufferevent *http_tls_bufferevent(struct event_base *base, void *ctx, int fd);

#endif
