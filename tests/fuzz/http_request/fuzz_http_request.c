/*
 * Fuzz target for the HTTP request parser and target decoding (host/http/http_parse.c,
 * http_parse_body.c, http_query.c). Any input must parse or fail with a status and a
 * message; never crash, leak, hang or read out of bounds. Checked as well:
 *  - the result does not depend on how the bytes are split (the server feeds whatever
 *    arrived; a split-dependent parser is a request-smuggling hole);
 *  - every parsed request satisfies the limits and its target decodes to a sane path;
 *  - what follows a request is parsed as the next pipelined request.
 */
#include "http/http_parse.h"
#include "http/http_query.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const http_parser_limits LIM = { .max_header_bytes = 2048, .max_headers = 16, .max_body_bytes = 4096 };

typedef struct outcome {
	http_parse_result result;
	int status;
	size_t consumed;
	size_t body_len;
	uint64_t body_hash;
} outcome;

static uint64_t hash(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 1099511628211ull;
	return h;
}

static void check_message(const http_message *m)
{
	if (!m->method || !m->target || m->body_len > LIM.max_body_bytes || m->nheaders > LIM.max_headers)
		abort();
	if (m->body && m->body[m->body_len] != '\0')
		abort();
	if (m->has_length && m->chunked)
		abort(); /* must have been refused */
	for (size_t i = 0; i < m->nheaders; i++)
		if (!m->headers[i].name[0] || strpbrk(m->headers[i].value, "\r\n"))
			abort();
	http_target t;
	const char *err = NULL;
	if (http_target_parse(m->target, &t, &err) == 0) {
		if (t.path[0] != '/')
			abort();
		for (size_t i = 0; i < t.nsegs; i++)
			if (strchr(t.segs[i], '/') || strcmp(t.segs[i], "..") == 0)
				abort();
		http_target_free(&t);
	} else if (!err) {
		abort();
	}
}

/* Parses one request from data, fed in pieces of `step` bytes (0 = at once). */
static outcome parse_one(const uint8_t *data, size_t size, size_t step, int check)
{
	outcome o = { HTTP_PARSE_MORE, 0, 0, 0, 0 };
	http_parser p;
	http_parser_init(&p, &LIM);
	size_t off = 0;
	while (off < size) {
		size_t n = step && size - off > step ? step : size - off, used = 0;
		o.result = http_parser_feed(&p, (const char *)data + off, n, &used);
		if (used > n)
			abort();
		off += used;
		if (o.result == HTTP_PARSE_DONE || o.result == HTTP_PARSE_ERROR)
			break;
		if (o.result == HTTP_PARSE_MORE && used != n)
			abort();
	}
	o.consumed = off;
	if (o.result == HTTP_PARSE_ERROR) {
		o.status = p.status;
		if (!p.error || !p.error[0] || p.status < 400 || p.status > 599)
			abort();
	} else if (o.result == HTTP_PARSE_DONE) {
		http_message m;
		http_parser_take(&p, &m);
		o.body_len = m.body_len;
		o.body_hash = m.body ? hash(m.body, m.body_len) : 0;
		if (check)
			check_message(&m);
		http_message_free(&m);
	}
	http_parser_reset(&p);
	return o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t off = 0;
	/* up to 8 pipelined requests */
	for (int k = 0; k < 8 && off < size; k++) {
		outcome whole = parse_one(data + off, size - off, 0, 1);
		/* the same bytes one at a time and in an input-chosen piece size */
		size_t steps[2] = { 1, 1 + (size ? data[0] % 13 : 0) };
		for (int s = 0; s < 2; s++) {
			outcome split = parse_one(data + off, size - off, steps[s], 0);
			int same = split.result == whole.result && split.status == whole.status;
			if (whole.result == HTTP_PARSE_DONE)
				same = same && split.consumed == whole.consumed && split.body_len == whole.body_len &&
				       split.body_hash == whole.body_hash;
			/* a HEAD result at the end of the input is MORE for the caller */
			if (!same && !((whole.result == HTTP_PARSE_HEAD || whole.result == HTTP_PARSE_MORE) &&
					      (split.result == HTTP_PARSE_HEAD || split.result == HTTP_PARSE_MORE)))
				abort();
		}
		if (whole.result != HTTP_PARSE_DONE || whole.consumed == 0)
			break;
		off += whole.consumed;
	}
	/* the decoder on raw bytes too */
	if (size < 4096) {
		char *buf = malloc(size + 1);
		if (buf) {
			memcpy(buf, data, size);
			buf[size] = '\0';
			char *dec = malloc(size + 1);
			if (dec) {
				long n = http_pct_decode(buf, size, dec, size ? data[0] & 1 : 0);
				if (n > (long)size)
					abort();
				free(dec);
			}
			http_target t;
			const char *err;
			if (buf[0] == '/' && strlen(buf) == size && http_target_parse(buf, &t, &err) == 0)
				http_target_free(&t);
			free(buf);
		}
	}
	return 0;
}
