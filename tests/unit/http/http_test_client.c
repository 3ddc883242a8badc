/* The loopback test client (see http_test_client.h). */
#include "http_test_client.h"

#include <event2/event.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

void ht_pump(struct event_base *base, int ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };
	event_base_loopexit(base, &tv);
	event_base_dispatch(base);
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int ht_connect(ht_client *c, struct event_base *base, uint16_t port, int rcvbuf)
{
	memset(c, 0, sizeof(*c));
	c->base = base;
	c->fd = socket(AF_INET, SOCK_STREAM, 0);
	if (c->fd < 0)
		return -1;
	if (rcvbuf > 0)
		setsockopt(c->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	/* the kernel completes the handshake from the listen backlog: no loop needed */
	if (connect(c->fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		close(c->fd);
		c->fd = -1;
		return -1;
	}
	fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK);
	return 0;
}

void ht_close(ht_client *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	free(c->buf);
	c->buf = NULL;
	c->len = c->cap = 0;
}

void ht_send(ht_client *c, const char *data, size_t len)
{
	size_t off = 0;
	int64_t deadline = now_ms() + 5000;
	while (off < len && now_ms() < deadline) {
		ssize_t n = send(c->fd, data + off, len - off, MSG_NOSIGNAL);
		if (n > 0)
			off += (size_t)n;
		else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
			return; /* the server closed: the test's read will say so */
		else
			ht_pump(c->base, 2);
	}
}

void ht_sends(ht_client *c, const char *text)
{
	ht_send(c, text, strlen(text));
}

/* Reads what the socket has; returns 1 if bytes arrived. */
static int fill(ht_client *c)
{
	if (c->eof)
		return 0;
	if (c->cap - c->len < 65536) {
		size_t cap = c->cap ? c->cap * 2 : 131072;
		char *nb = realloc(c->buf, cap);
		if (!nb)
			return 0;
		c->buf = nb;
		c->cap = cap;
	}
	ssize_t n = recv(c->fd, c->buf + c->len, c->cap - c->len - 1, 0);
	if (n > 0) {
		c->len += (size_t)n;
		c->buf[c->len] = '\0';
		return 1;
	}
	if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
		c->eof = 1;
	return 0;
}

static void consume(ht_client *c, size_t n)
{
	memmove(c->buf, c->buf + n, c->len - n);
	c->len -= n;
	if (c->buf)
		c->buf[c->len] = '\0';
}

const char *ht_header(const ht_response *r, const char *name)
{
	static char value[4096];
	size_t nl = strlen(name);
	const char *line = strstr(r->head, "\r\n");
	while (line && line[2]) {
		line += 2;
		if (strncasecmp(line, name, nl) == 0 && line[nl] == ':') {
			const char *v = line + nl + 1;
			while (*v == ' ')
				v++;
			size_t vl = strcspn(v, "\r");
			if (vl >= sizeof(value))
				vl = sizeof(value) - 1;
			memcpy(value, v, vl);
			value[vl] = '\0';
			return value;
		}
		line = strstr(line, "\r\n");
	}
	return NULL;
}

/* Decodes a complete chunked body at p; returns bytes used or 0 if incomplete. */
static size_t dechunk(const char *p, size_t len, ht_response *r)
{
	size_t off = 0;
	for (;;) {
		const char *eol = memmem(p + off, len - off, "\r\n", 2);
		if (!eol)
			return 0;
		size_t size = strtoul(p + off, NULL, 16);
		off = (size_t)(eol - p) + 2;
		if (size == 0) {
			if (len - off < 2)
				return 0;
			return memcmp(p + off, "\r\n", 2) == 0 ? off + 2 : 0; /* no trailers from our server */
		}
		if (len - off < size + 2)
			return 0;
		memcpy(r->body + r->body_len, p + off, size);
		r->body_len += size;
		off += size + 2;
	}
}

/* Tries to take one complete response from the buffer. */
static int parse(ht_client *c, ht_response *r, int is_head)
{
	char *end = c->buf ? strstr(c->buf, "\r\n\r\n") : NULL;
	if (!end)
		return 0;
	size_t hlen = (size_t)(end - c->buf) + 4;
	memset(r, 0, sizeof(*r));
	if (hlen >= sizeof(r->head))
		return -1;
	memcpy(r->head, c->buf, hlen);
	r->head[hlen] = '\0';
	if (sscanf(r->head, "HTTP/1.%*d %d", &r->status) != 1)
		return -1;
	const char *cl = ht_header(r, "Content-Length");
	size_t need = cl ? strtoul(cl, NULL, 10) : 0;
	const char *te = ht_header(r, "Transfer-Encoding");
	r->chunked = te && strcasecmp(te, "chunked") == 0;
	r->body = calloc(1, c->len + 1);
	if (is_head || r->status < 200 || r->status == 204 || r->status == 304) {
		consume(c, hlen);
		return 1;
	}
	if (r->chunked) {
		size_t used = dechunk(c->buf + hlen, c->len - hlen, r);
		if (!used) {
			ht_response_free(r);
			return 0;
		}
		consume(c, hlen + used);
		return 1;
	}
	if (!cl) { /* until close */
		if (!c->eof) {
			ht_response_free(r);
			return 0;
		}
		need = c->len - hlen;
	}
	if (c->len - hlen < need) {
		ht_response_free(r);
		return 0;
	}
	memcpy(r->body, c->buf + hlen, need);
	r->body_len = need;
	consume(c, hlen + need);
	return 1;
}

int ht_read(ht_client *c, ht_response *r, int is_head, int timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms;
	for (;;) {
		int rc = parse(c, r, is_head);
		if (rc == 1)
			return 0;
		if (rc < 0)
			return -1;
		if (fill(c))
			continue;
		if (c->eof) {
			rc = parse(c, r, is_head);
			return rc == 1 ? 0 : -1;
		}
		if (now_ms() >= deadline)
			return -1;
		ht_pump(c->base, 2);
	}
}

int ht_wait_closed(ht_client *c, int timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms;
	while (!c->eof && now_ms() < deadline) {
		if (!fill(c))
			ht_pump(c->base, 5);
	}
	return c->eof ? 0 : -1;
}

void ht_response_free(ht_response *r)
{
	free(r->body);
	r->body = NULL;
}

int ht_request(struct event_base *base, uint16_t port, const char *raw, ht_response *r)
{
	ht_client c;
	if (ht_connect(&c, base, port, 0) != 0)
		return -1;
	ht_sends(&c, raw);
	int is_head = strncmp(raw, "HEAD ", 5) == 0;
	int rc = ht_read(&c, r, is_head, 5000);
	ht_close(&c);
	return rc == 0 ? r->status : -1;
}
