/*
 * Writing responses: the status line and the server's own headers (Server,
 * Date, Content-Length or Transfer-Encoding, Connection), the handler's
 * headers, the body (none for HEAD, 1xx, 204, 304), and streams sent chunk
 * by chunk (HTTP/1.1) or until close (HTTP/1.0).
 */
#include "http/http_internal.h"

#include "common/log.h"

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>

const char *http_status_text(int status)
{
	switch (status) {
	case 100: return "Continue";
	case 101: return "Switching Protocols";
	case 200: return "OK";
	case 201: return "Created";
	case 202: return "Accepted";
	case 204: return "No Content";
	case 206: return "Partial Content";
	case 301: return "Moved Permanently";
	case 302: return "Found";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 307: return "Temporary Redirect";
	case 308: return "Permanent Redirect";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 406: return "Not Acceptable";
	case 408: return "Request Timeout";
	case 409: return "Conflict";
	case 410: return "Gone";
	case 411: return "Length Required";
	case 412: return "Precondition Failed";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 415: return "Unsupported Media Type";
	case 416: return "Range Not Satisfiable";
	case 417: return "Expectation Failed";
	case 422: return "Unprocessable Content";
	case 426: return "Upgrade Required";
	case 428: return "Precondition Required";
	case 429: return "Too Many Requests";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 504: return "Gateway Timeout";
	case 505: return "HTTP Version Not Supported";
	default: return "Unknown";
	}
}

/* IMF-fixdate, formatted by hand so the locale cannot change it; once a second. */
static const char *date_now(http_server *s)
{
	struct timeval tv;
	if (event_base_gettimeofday_cached(s->base, &tv) != 0)
		gettimeofday(&tv, NULL);
	if (tv.tv_sec != s->date_at || !s->date[0]) {
		static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
		static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
			"Oct", "Nov", "Dec" };
		struct tm tm;
		time_t t = tv.tv_sec;
		gmtime_r(&t, &tm);
		snprintf(s->date, sizeof(s->date), "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday % 7], tm.tm_mday,
			months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
		s->date_at = tv.tv_sec;
	}
	return s->date;
}

static int is_token(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		int ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			strchr("!#$%&'*+-.^_`|~", c) != NULL;
		if (!ok)
			return 0;
	}
	return 1;
}

/* No CR, LF or other control characters: a value must not start a new header. */
static int is_field_value(const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return 0;
	}
	return 1;
}

void http_response_header(http_request *r, const char *name, const char *value)
{
	static const char *const owned[] = { "content-length", "transfer-encoding", "connection", "date", "server" };
	if (r->state != HTTP_REQ_HANDLING)
		return;
	if (!is_token(name) || !value || !is_field_value(value)) {
		log_warn("http: response header %s dropped: invalid name or value (control characters?)", name);
		return;
	}
	for (size_t i = 0; i < sizeof(owned) / sizeof(owned[0]); i++)
		if (strcasecmp(name, owned[i]) == 0) {
			log_warn("http: response header %s dropped: the server sets it", name);
			return;
		}
	size_t need = strlen(name) + strlen(value) + 4;
	if (r->rh_len + need + 1 > r->rh_cap) {
		size_t cap = r->rh_cap ? r->rh_cap * 2 : 256;
		while (cap < r->rh_len + need + 1)
			cap *= 2;
		char *nb = realloc(r->resp_headers, cap);
		if (!nb)
			return;
		r->resp_headers = nb;
		r->rh_cap = cap;
	}
	r->rh_len += (size_t)snprintf(r->resp_headers + r->rh_len, r->rh_cap - r->rh_len, "%s: %s\r\n", name, value);
}

static int status_has_body(int status)
{
	return status >= 200 && status != 204 && status != 304;
}

/* Queues the status line and headers. */
static void write_head(http_request *r, int status, const char *content_type, int mode, size_t length)
{
	http_conn *c = r->conn;
	if (!r->msg.keep_alive || c->peer_eof || mode == HTTP_BODY_UNTIL_CLOSE)
		r->close_after = 1;
	if (content_type && !is_field_value(content_type)) {
		log_warn("http: %s %s: Content-Type dropped: control characters", http_request_method(r),
			http_request_path(r));
		content_type = NULL;
	}
	struct evbuffer *out = bufferevent_get_output(c->bev);
	char head[256];
	int n = snprintf(head, sizeof(head), "HTTP/1.1 %d %s\r\nServer: tradehost\r\nDate: %s\r\n", status,
		http_status_text(status), date_now(r->server));
	if (content_type) {
		evbuffer_add(out, head, (size_t)n);
		evbuffer_add_printf(out, "Content-Type: %s\r\n", content_type);
		n = 0;
	}
	if (mode == HTTP_BODY_LENGTH)
		n += snprintf(head + n, sizeof(head) - (size_t)n, "Content-Length: %zu\r\n", length);
	else if (mode == HTTP_BODY_CHUNKED)
		n += snprintf(head + n, sizeof(head) - (size_t)n, "Transfer-Encoding: chunked\r\n");
	n += snprintf(head + n, sizeof(head) - (size_t)n, "Connection: %s\r\n",
		r->close_after ? "close" : "keep-alive");
	evbuffer_add(out, head, (size_t)n);
	if (r->rh_len)
		evbuffer_add(out, r->resp_headers, r->rh_len);
	evbuffer_add(out, "\r\n", 2);
}

/* False when the request can no longer be answered (already answered,
 * its connection gone or taken). */
static int answerable(const http_request *r)
{
	return r->state == HTTP_REQ_HANDLING && !r->conn->dead && r->conn->bev;
}

void http_respond(http_request *r, int status, const char *content_type, const char *body, size_t len)
{
	if (!answerable(r)) {
		if (r->state == HTTP_REQ_STREAMING)
			log_warn("http: %s %s: http_respond on a streaming response ignored", http_request_method(r),
				http_request_path(r));
		return;
	}
	if (status < 100 || status > 599)
		status = 500;
	http_conn *c = r->conn;
	http_conn_hold(c);
	r->status = status;
	int has_body = status_has_body(status);
	write_head(r, status, content_type, has_body ? HTTP_BODY_LENGTH : HTTP_BODY_NONE, len);
	if (has_body && !r->is_head && len)
		evbuffer_add(bufferevent_get_output(c->bev), body, len);
	http_conn_request_done(r);
	http_conn_release(c);
}

/* Appends s as the inside of a JSON string. */
static void json_escape(struct evbuffer *b, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			evbuffer_add_printf(b, "\\%c", ch);
		else if (ch < 0x20)
			evbuffer_add_printf(b, "\\u%04x", ch);
		else
			evbuffer_add(b, s, 1);
	}
}

void http_respond_error(http_request *r, int status, const char *code, const char *message)
{
	struct evbuffer *b = evbuffer_new();
	if (!b) {
		http_respond(r, status, NULL, NULL, 0);
		return;
	}
	evbuffer_add_printf(b, "{\"error\":{\"code\":\"");
	json_escape(b, code ? code : "error");
	evbuffer_add_printf(b, "\",\"message\":\"");
	json_escape(b, message ? message : "");
	evbuffer_add_printf(b, "\"}}");
	size_t len = evbuffer_get_length(b);
	const char *body = (const char *)evbuffer_pullup(b, -1);
	http_respond(r, status, "application/json", body, len);
	evbuffer_free(b);
}

int http_stream_begin(http_request *r, int status, const char *content_type)
{
	if (!answerable(r))
		return -1;
	http_conn *c = r->conn;
	http_conn_hold(c);
	r->status = status;
	/* HTTP/1.0 has no chunked coding: the body ends when the connection does */
	r->body_mode = r->msg.version_minor == 0 ? HTTP_BODY_UNTIL_CLOSE : HTTP_BODY_CHUNKED;
	write_head(r, status, content_type, r->body_mode, 0);
	r->state = HTTP_REQ_STREAMING;
	http_conn_release(c);
	return 0;
}

int http_stream_write(http_request *r, const char *data, size_t len)
{
	http_conn *c = r->conn;
	if (r->state != HTTP_REQ_STREAMING || c->dead || !c->bev || c->peer_eof)
		return -1;
	if (r->is_head || len == 0)
		return 0; /* a zero-length chunk would end the stream */
	struct evbuffer *out = bufferevent_get_output(c->bev);
	if (evbuffer_get_length(out) + len > r->server->opt.max_stream_backlog)
		return -1;
	http_conn_hold(c);
	if (r->body_mode == HTTP_BODY_CHUNKED) {
		evbuffer_add_printf(out, "%zx\r\n", len);
		evbuffer_add(out, data, len);
		evbuffer_add(out, "\r\n", 2);
	} else {
		evbuffer_add(out, data, len);
	}
	http_conn_release(c);
	return 0;
}

size_t http_stream_backlog(const http_request *r)
{
	const http_conn *c = r->conn;
	if (r->state != HTTP_REQ_STREAMING || !c->bev)
		return 0;
	return evbuffer_get_length(bufferevent_get_output(c->bev));
}

void http_stream_end(http_request *r)
{
	http_conn *c = r->conn;
	if (r->state != HTTP_REQ_STREAMING)
		return;
	http_conn_hold(c);
	if (!c->dead && c->bev && r->body_mode == HTTP_BODY_CHUNKED && !r->is_head)
		evbuffer_add(bufferevent_get_output(c->bev), "0\r\n\r\n", 5);
	http_conn_request_done(r);
	http_conn_release(c);
}
