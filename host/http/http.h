/*
 * http — the front door's HTTP/1.1 server, written here over libevent
 * bufferevents on the host's loop (plain TCP or TLS through
 * bufferevent_openssl). One loop thread, no locks.
 *
 * What it does for every connection, before any handler runs:
 *  - parses the request line and headers (limits: header bytes, header
 *    count), the body by Content-Length or chunked transfer coding (limit:
 *    body bytes -> 413), keep-alive and pipelining (responses in order);
 *  - routes by method + path pattern ("/api/v1/orders/{id}"): unknown path
 *    -> 404, known path with another method -> 405 with an Allow header;
 *  - runs the guard (authentication) with the route's tag before the handler;
 *  - answers malformed requests with 400 (431 for oversized headers, 501 for
 *    an unknown transfer coding) and closes the connection.
 * Every error the server itself produces uses the JSON error body of
 * http_respond_error().
 *
 * Ownership: the server owns every http_request. A request is valid from the
 * handler call until the handler (or later code) responds, ends its stream,
 * takes the connection, or the connection closes (then the on_close callback
 * runs and the request is freed right after it returns). Strings returned by
 * accessors are owned by the request and live as long as it does.
 */
#ifndef HOST_HTTP_HTTP_H
#define HOST_HTTP_HTTP_H

#include <stddef.h>
#include <stdint.h>

struct event_base;
struct bufferevent;

typedef struct http_server http_server;
typedef struct http_request http_request;

typedef struct http_server_options {
	const char *bind_addr;        /* default "127.0.0.1" */
	uint16_t port;                /* 0 = an ephemeral port (see http_server_port) */
	const char *tls_cert_file;    /* PEM; both set = TLS only, both NULL = plain */
	const char *tls_key_file;
	size_t max_header_bytes;      /* request line + headers; default 16 KiB -> 431 */
	size_t max_headers;           /* default 64 -> 431 */
	size_t max_body_bytes;        /* default 1 MiB -> 413 */
	uint32_t idle_timeout_ms;     /* keep-alive idle / slow request; default 30000 */
	size_t max_connections;       /* default 4096; beyond it new connections are closed */
	size_t max_stream_backlog;    /* bytes buffered on a streaming response before http_stream_write fails; default 4 MiB */
} http_server_options;

/* Binds and listens. Returns NULL with err set ("cannot bind 127.0.0.1:8080: Address in use"). */
http_server *http_server_create(struct event_base *base, const http_server_options *opt, char *err, size_t errlen);
/* Closes the listener and every connection (on_close callbacks run). */
void http_server_free(http_server *s);
uint16_t http_server_port(const http_server *s);

typedef void (*http_handler_fn)(http_request *req, void *arg);

/* Register a route. `method` is "GET", "POST", "PUT", "PATCH" or "DELETE"
 * (HEAD is answered for every GET route with the GET handler's headers and
 * no body). `pattern` is an absolute path whose segments are literals or
 * "{name}" (one segment, read with http_request_param). `tag` is passed to
 * the guard (the front door uses it for the required role). Returns 0, or -1
 * on a duplicate (method, pattern) or a bad pattern. */
int http_server_route(http_server *s, const char *method, const char *pattern, int tag, http_handler_fn fn,
	void *arg);
/* GET/HEAD requests that match no route go here instead of 404 (static
 * files of the dashboard); NULL restores 404. */
void http_server_fallback(http_server *s, int tag, http_handler_fn fn, void *arg);
/* The guard runs before every handler (also the fallback). Return 0 to let
 * the request through; otherwise it must have responded (401/403/429). */
typedef int (*http_guard_fn)(http_request *req, int tag, void *arg);
void http_server_set_guard(http_server *s, http_guard_fn fn, void *arg);

/* Called after every response is complete (also the server's own errors
 * and the end of a stream) with its status: the audit log and the request
 * metrics. */
typedef void (*http_observer_fn)(http_request *req, int status, void *arg);
void http_server_set_observer(http_server *s, http_observer_fn fn, void *arg);

/* Route table, for the OpenAPI document and tests: the i-th registered route. */
size_t http_server_route_count(const http_server *s);
int http_server_route_at(const http_server *s, size_t i, const char **method, const char **pattern, int *tag);

/* Request accessors. */
const char *http_request_method(const http_request *r);
const char *http_request_path(const http_request *r);    /* percent-decoded, without the query */
const char *http_request_target(const http_request *r);  /* as received, with the query */
/* The percent-decoded value of a query parameter (first occurrence), or NULL. */
const char *http_request_query(const http_request *r, const char *name);
/* Iterate query parameters: returns 0 past the end. */
int http_request_query_at(const http_request *r, size_t i, const char **name, const char **value);
const char *http_request_param(const http_request *r, const char *name); /* "{name}" segment of the route */
const char *http_request_header(const http_request *r, const char *name); /* case-insensitive; NULL if absent */
const char *http_request_body(const http_request *r, size_t *len);        /* NUL-terminated; "" if none */
const char *http_request_peer(const http_request *r);                     /* "127.0.0.1:54321" */
/* A value the guard can leave for the handler (e.g. the token's identity). Not owned. */
void http_request_set_user(http_request *r, void *user);
void *http_request_user(const http_request *r);

/* Responses. Headers added before responding are sent with the response.
 * Content-Length, Date, Connection and Server are set by the server. */
void http_response_header(http_request *r, const char *name, const char *value);
void http_respond(http_request *r, int status, const char *content_type, const char *body, size_t len);
/* {"error":{"code":"<code>","message":"<message>"}} with the status. */
void http_respond_error(http_request *r, int status, const char *code, const char *message);

/* Streaming responses (Server-Sent Events): headers go out at once with
 * chunked transfer coding; each write is sent as it comes. Returns -1 when
 * the client is gone or more than max_stream_backlog bytes are waiting (the
 * caller should then end the stream). */
int http_stream_begin(http_request *r, int status, const char *content_type);
int http_stream_write(http_request *r, const char *data, size_t len);
size_t http_stream_backlog(const http_request *r);
void http_stream_end(http_request *r);
/* Called once if the connection closes before the request is finished. */
void http_request_on_close(http_request *r, void (*fn)(void *arg), void *arg);

/* Protocol upgrade (WebSocket): detach the connection from the HTTP server.
 * The caller owns the returned bufferevent (its callbacks are cleared; bytes
 * after the request are still in its input buffer); the request is freed.
 * Returns NULL if the request was pipelined behind others or is streaming. */
struct bufferevent *http_request_take(http_request *r);

/* Standard reason phrase ("Not Found"); "Unknown" for others. */
const char *http_status_text(int status);

#endif
