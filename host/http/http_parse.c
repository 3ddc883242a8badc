/*
 * The request head: find its end (CR LF CR LF), then split the request line
 * and header fields in place and derive the framing (Content-Length or
 * chunked), keep-alive and Expect from them. The body stage is in
 * http_parse_body.c.
 */
#include "http/http_parse.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

void http_parser_init(http_parser *p, const http_parser_limits *lim)
{
	memset(p, 0, sizeof(*p));
	p->lim = *lim;
	p->state = HTTP_PS_HEAD;
}

void http_message_free(http_message *m)
{
	free(m->head);
	free(m->headers);
	free(m->body);
	memset(m, 0, sizeof(*m));
}

void http_parser_reset(http_parser *p)
{
	http_parser_limits lim = p->lim;
	http_message_free(&p->msg);
	http_parser_init(p, &lim);
}

void http_parser_take(http_parser *p, http_message *out)
{
	*out = p->msg;
	memset(&p->msg, 0, sizeof(p->msg));
	http_parser_reset(p);
}

int http_parser_started(const http_parser *p)
{
	return p->seen > 0;
}

http_parse_result http_parse_fail(http_parser *p, int status, const char *error)
{
	p->state = HTTP_PS_ERROR;
	p->status = status;
	p->error = error;
	return HTTP_PARSE_ERROR;
}

const char *http_message_header(const http_message *m, const char *name)
{
	for (size_t i = 0; i < m->nheaders; i++)
		if (strcasecmp(m->headers[i].name, name) == 0)
			return m->headers[i].value;
	return NULL;
}

/* RFC 9110 token characters (method names, header names). */
static int is_tchar(unsigned char c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return 1;
	return c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static int is_ows(char c)
{
	return c == ' ' || c == '\t';
}

/* Calls fn on each element of a comma-separated header list, trimmed of OWS;
 * empty elements are skipped (RFC 9110 section 5.6.1). Stops at a non-zero return. */
static int each_element(const char *v, int (*fn)(const char *s, size_t n, void *ctx), void *ctx)
{
	while (*v) {
		const char *end = strchr(v, ',');
		size_t n = end ? (size_t)(end - v) : strlen(v);
		const char *s = v;
		while (n && is_ows(*s))
			s++, n--;
		while (n && is_ows(s[n - 1]))
			n--;
		if (n) {
			int rc = fn(s, n, ctx);
			if (rc)
				return rc;
		}
		if (!end)
			break;
		v = end + 1;
	}
	return 0;
}

static int token_is(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && strncasecmp(s, word, n) == 0;
}

struct framing {
	http_parser *p;
	int te_seen, conn_close, conn_keep, hosts;
};

/* Content-Length: 1*DIGIT, possibly repeated as a list of equal values. */
static int length_element(const char *s, size_t n, void *ctx)
{
	http_message *m = &((struct framing *)ctx)->p->msg;
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 400;
		if (v > (UINT64_MAX - 9) / 10)
			return 413; /* digits only, just enormous */
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (m->has_length && m->content_length != v)
		return 409; /* marker: differing values */
	m->has_length = 1;
	m->content_length = v;
	return 0;
}

static int coding_element(const char *s, size_t n, void *ctx)
{
	http_message *m = &((struct framing *)ctx)->p->msg;
	if (!token_is(s, n, "chunked"))
		return 501;
	if (m->chunked)
		return 400; /* chunked twice */
	m->chunked = 1;
	return 0;
}

static int connection_element(const char *s, size_t n, void *ctx)
{
	struct framing *f = ctx;
	if (token_is(s, n, "close"))
		f->conn_close = 1;
	else if (token_is(s, n, "keep-alive"))
		f->conn_keep = 1;
	return 0;
}

/* Framing, persistence and expectations from the parsed header fields. */
static http_parse_result head_semantics(http_parser *p)
{
	http_message *m = &p->msg;
	struct framing f = { .p = p };
	for (size_t i = 0; i < m->nheaders; i++) {
		const char *name = m->headers[i].name, *value = m->headers[i].value;
		if (strcasecmp(name, "content-length") == 0) {
			int rc = *value ? each_element(value, length_element, &f) : 400;
			if (!rc && !m->has_length)
				rc = 400; /* only commas */
			if (rc == 409)
				return http_parse_fail(p, 400, "differing Content-Length values");
			if (rc == 413)
				return http_parse_fail(p, 413, "Content-Length is larger than the body limit");
			if (rc)
				return http_parse_fail(p, 400, "invalid Content-Length value");
		} else if (strcasecmp(name, "transfer-encoding") == 0) {
			f.te_seen = 1;
			int rc = each_element(value, coding_element, &f);
			if (rc == 501)
				return http_parse_fail(p, 501, "unsupported transfer coding (only chunked is accepted)");
			if (rc)
				return http_parse_fail(p, 400, "chunked transfer coding applied more than once");
		} else if (strcasecmp(name, "host") == 0) {
			f.hosts++;
		} else if (strcasecmp(name, "connection") == 0) {
			each_element(value, connection_element, &f);
		} else if (strcasecmp(name, "expect") == 0 && m->version_minor == 1) {
			if (strcasecmp(value, "100-continue") != 0)
				return http_parse_fail(p, 417, "unsupported Expect value (only 100-continue)");
			m->expect_continue = 1;
		}
	}
	if (f.te_seen && m->has_length)
		return http_parse_fail(p, 400, "both Content-Length and Transfer-Encoding");
	if (f.te_seen && m->version_minor == 0)
		return http_parse_fail(p, 400, "Transfer-Encoding in an HTTP/1.0 request");
	if (f.te_seen && !m->chunked)
		return http_parse_fail(p, 400, "empty Transfer-Encoding");
	if (f.hosts > 1)
		return http_parse_fail(p, 400, "more than one Host header");
	if (f.hosts == 0 && m->version_minor == 1)
		return http_parse_fail(p, 400, "missing Host header (required in HTTP/1.1)");
	if (m->has_length && m->content_length > p->lim.max_body_bytes)
		return http_parse_fail(p, 413, "Content-Length is larger than the body limit");
	m->keep_alive = m->version_minor == 1 ? !f.conn_close : (f.conn_keep && !f.conn_close);
	return http_parse_body_start(p);
}

static http_parse_result parse_request_line(http_parser *p, char *line, char *eol)
{
	http_message *m = &p->msg;
	char *sp1 = memchr(line, ' ', (size_t)(eol - line));
	if (!sp1 || sp1 == line)
		return http_parse_fail(p, 400, "malformed request line");
	for (char *c = line; c < sp1; c++)
		if (!is_tchar((unsigned char)*c))
			return http_parse_fail(p, 400, "invalid character in the method");
	char *target = sp1 + 1;
	char *sp2 = memchr(target, ' ', (size_t)(eol - target));
	if (!sp2 || sp2 == target)
		return http_parse_fail(p, 400, "malformed request line");
	for (char *c = target; c < sp2; c++)
		if ((unsigned char)*c <= 0x20 || (unsigned char)*c >= 0x7f)
			return http_parse_fail(p, 400, "invalid character in the request target");
	if (target[0] != '/' && strncasecmp(target, "http://", 7) != 0 && strncasecmp(target, "https://", 8) != 0)
		return http_parse_fail(p, 400, "request target is neither an absolute path nor an absolute URI");
	const char *v = sp2 + 1;
	if (eol - v != 8 || memcmp(v, "HTTP/", 5) != 0 || v[5] < '0' || v[5] > '9' || v[6] != '.' || v[7] < '0' ||
		v[7] > '9')
		return http_parse_fail(p, 400, "malformed HTTP version in the request line");
	if (v[5] != '1')
		return http_parse_fail(p, 505, "HTTP version not supported (only HTTP/1.0 and HTTP/1.1)");
	m->version_minor = v[7] == '0' ? 0 : 1;
	*sp1 = '\0';
	*sp2 = '\0';
	m->method = line;
	m->target = target;
	return HTTP_PARSE_MORE;
}

static http_parse_result parse_header_line(http_parser *p, char *line, char *eol)
{
	if (is_ows(*line))
		return http_parse_fail(p, 400, "obsolete line folding (obs-fold) in a header");
	char *colon = memchr(line, ':', (size_t)(eol - line));
	if (!colon)
		return http_parse_fail(p, 400, "header line without a colon");
	if (colon == line)
		return http_parse_fail(p, 400, "empty header name");
	if (is_ows(colon[-1]))
		return http_parse_fail(p, 400, "whitespace between a header name and its colon");
	for (char *c = line; c < colon; c++)
		if (!is_tchar((unsigned char)*c))
			return http_parse_fail(p, 400, "invalid character in a header name");
	char *v = colon + 1, *end = eol;
	while (v < end && is_ows(*v))
		v++;
	while (end > v && is_ows(end[-1]))
		end--;
	for (char *c = v; c < end; c++) {
		unsigned char u = (unsigned char)*c;
		if ((u < 0x20 && u != '\t') || u == 0x7f)
			return http_parse_fail(p, 400, "control character in a header value");
	}
	*colon = '\0';
	*end = '\0';
	p->msg.headers[p->msg.nheaders++] = (http_header){ line, v };
	return HTTP_PARSE_MORE;
}

/* The head is complete (it ends with CR LF CR LF and has no bare CR or LF). */
static http_parse_result parse_head(http_parser *p)
{
	http_message *m = &p->msg;
	char *h = m->head, *end = h + m->head_len - 2; /* the final empty line */
	if (memchr(h, '\0', m->head_len))
		return http_parse_fail(p, 400, "NUL byte in the request head");
	size_t lines = 0;
	for (char *c = h; c < end; c++)
		lines += *c == '\r';
	if (lines - 1 > p->lim.max_headers)
		return http_parse_fail(p, 431, "too many header fields");
	m->headers = lines > 1 ? malloc((lines - 1) * sizeof(*m->headers)) : NULL;
	if (lines > 1 && !m->headers)
		return http_parse_fail(p, 503, "out of memory");
	char *line = h;
	for (size_t i = 0; i < lines; i++) {
		char *eol = memchr(line, '\r', (size_t)(end - line));
		http_parse_result r =
			i == 0 ? parse_request_line(p, line, eol) : parse_header_line(p, line, eol);
		if (r == HTTP_PARSE_ERROR)
			return r;
		*eol = '\0';
		line = eol + 2;
	}
	return head_semantics(p);
}

static int head_append(http_parser *p, const char *src, size_t n)
{
	http_message *m = &p->msg;
	if (m->head_len + n + 1 > m->head_cap) {
		size_t cap = m->head_cap ? m->head_cap : 256;
		while (cap < m->head_len + n + 1)
			cap *= 2;
		char *nh = realloc(m->head, cap);
		if (!nh)
			return -1;
		m->head = nh;
		m->head_cap = cap;
	}
	memcpy(m->head + m->head_len, src, n);
	m->head_len += n;
	m->head[m->head_len] = '\0';
	return 0;
}

/* Scans for the end of the head, copying it; `term` is how much of CR LF CR LF
 * has been seen. CR LF pairs before the request line are skipped (RFC 9112 2.2). */
static http_parse_result feed_head(http_parser *p, const char *data, size_t len, size_t *consumed)
{
	size_t start = 0, i;
	int done = 0;
	for (i = 0; i < len && !done; i++) {
		char c = data[i];
		int leading = p->msg.head_len == 0 && i == start;
		if (c == '\r') {
			if (p->term == 1 || p->term == 3)
				return http_parse_fail(p, 400, "bare CR in the request head");
			p->term++;
		} else if (c == '\n') {
			if (p->term != 1 && p->term != 3)
				return http_parse_fail(p, 400, "bare LF in the request head");
			p->term++;
			done = p->term == 4;
		} else {
			if (p->term == 1 || p->term == 3)
				return http_parse_fail(p, 400, "bare CR in the request head");
			p->term = 0;
		}
		if (leading && (p->term == 1 || p->term == 2)) {
			/* still before the request line: drop the CR LF */
			if (p->term == 2)
				p->term = 0;
			start = i + 1;
		} else if (p->msg.head_len + (i + 1 - start) > p->lim.max_header_bytes) {
			return http_parse_fail(p, 431, "request head is larger than the header limit");
		}
	}
	p->seen += i;
	if (i > start && head_append(p, data + start, i - start) != 0)
		return http_parse_fail(p, 503, "out of memory");
	*consumed = i;
	if (!done)
		return HTTP_PARSE_MORE;
	return parse_head(p);
}

http_parse_result http_parser_feed(http_parser *p, const char *data, size_t len, size_t *consumed)
{
	*consumed = 0;
	switch (p->state) {
	case HTTP_PS_HEAD:
		return feed_head(p, data, len, consumed);
	case HTTP_PS_DONE:
		return HTTP_PARSE_DONE;
	case HTTP_PS_ERROR:
		return HTTP_PARSE_ERROR;
	default:
		return http_parse_body(p, data, len, consumed);
	}
}
