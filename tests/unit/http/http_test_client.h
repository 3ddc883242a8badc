/*
 * A small HTTP client for the loopback tests: plain sockets on 127.0.0.1,
 * driven from the test thread while it runs the server's event loop in short
 * slices, so server and client share one thread and no locks.
 */
#ifndef TESTS_UNIT_HTTP_TEST_CLIENT_H
#define TESTS_UNIT_HTTP_TEST_CLIENT_H

#include <stddef.h>
#include <stdint.h>

struct event_base;

typedef struct ht_client {
	int fd;
	struct event_base *base;
	char *buf; /* received, not yet parsed */
	size_t len, cap;
	int eof;
} ht_client;

typedef struct ht_response {
	int status;
	char head[16384]; /* status line and headers, NUL-terminated */
	char *body;       /* decoded (chunked is undone), NUL-terminated; free with ht_response_free */
	size_t body_len;
	int chunked;
} ht_response;

/* Runs the loop for about ms milliseconds. */
void ht_pump(struct event_base *base, int ms);
/* Connects to 127.0.0.1:port; rcvbuf > 0 shrinks the receive buffer first. */
int ht_connect(ht_client *c, struct event_base *base, uint16_t port, int rcvbuf);
void ht_close(ht_client *c);
/* Sends every byte, running the loop while the socket is full. */
void ht_send(ht_client *c, const char *data, size_t len);
void ht_sends(ht_client *c, const char *text);
/* Reads one response. is_head: no body expected. Returns 0, or -1 on
 * timeout or on EOF before a complete response. */
int ht_read(ht_client *c, ht_response *r, int is_head, int timeout_ms);
/* Waits until the server closes the connection; 0 if it did within timeout_ms. */
int ht_wait_closed(ht_client *c, int timeout_ms);
/* The value of a response header (case-insensitive), copied into a static buffer; NULL if absent. */
const char *ht_header(const ht_response *r, const char *name);
void ht_response_free(ht_response *r);
/* One request and its response on a fresh connection. Returns the status, -1 on failure. */
int ht_request(struct event_base *base, uint16_t port, const char *raw, ht_response *r);

#endif
