/*
 * The request body: a Content-Length body copied as it comes, or a chunked
 * body decoded chunk by chunk (sizes in hex, extensions ignored, trailer
 * fields read and dropped). The body limit is checked against every chunk
 * size before its data arrives, so an oversized body is refused (413)
 * without being buffered.
 */
#include "http/http_parse.h"

#include <stdlib.h>
#include <string.h>

/* line_flags of a chunk-size or trailer line */
enum { LF_DIGITS = 1, LF_EXT = 2, LF_CR = 4 };

static int body_reserve(http_message *m, size_t need)
{
	if (need <= m->body_cap)
		return 0;
	size_t cap = m->body_cap ? m->body_cap : 1024;
	while (cap < need)
		cap *= 2;
	char *nb = realloc(m->body, cap);
	if (!nb)
		return -1;
	m->body = nb;
	m->body_cap = cap;
	return 0;
}

static http_parse_result finish(http_parser *p)
{
	if (p->msg.body)
		p->msg.body[p->msg.body_len] = '\0';
	p->state = HTTP_PS_DONE;
	return HTTP_PARSE_DONE;
}

http_parse_result http_parse_body_start(http_parser *p)
{
	http_message *m = &p->msg;
	if (m->chunked) {
		p->state = HTTP_PS_CHUNK_SIZE;
		p->line_len = 0;
		p->line_flags = 0;
		p->chunk_left = 0;
		return HTTP_PARSE_HEAD;
	}
	if (m->has_length && m->content_length > 0) {
		if (body_reserve(m, (size_t)m->content_length + 1) != 0)
			return http_parse_fail(p, 503, "out of memory");
		p->state = HTTP_PS_BODY_LENGTH;
		return HTTP_PARSE_HEAD;
	}
	return finish(p);
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* One byte of a chunk-size line: 1*HEXDIG [ BWS ";" ext ] CRLF.
 * Returns MORE to go on, DONE when the line ended, ERROR. */
static http_parse_result size_line_byte(http_parser *p, char c)
{
	if (++p->line_len > HTTP_CHUNK_LINE_MAX)
		return http_parse_fail(p, 400, "chunk-size line too long");
	if (p->line_flags & LF_CR) {
		if (c != '\n')
			return http_parse_fail(p, 400, "bare CR in a chunk-size line");
		return HTTP_PARSE_DONE;
	}
	if (c == '\r') {
		if (!(p->line_flags & LF_DIGITS))
			return http_parse_fail(p, 400, "missing chunk size");
		p->line_flags |= LF_CR;
		return HTTP_PARSE_MORE;
	}
	if (c == '\n')
		return http_parse_fail(p, 400, "bare LF in a chunk-size line");
	int h = hex_value(c);
	if (h >= 0 && !(p->line_flags & LF_EXT)) {
		if (p->chunk_left > (UINT64_MAX >> 4))
			return http_parse_fail(p, 413, "chunk size is larger than the body limit");
		p->chunk_left = (p->chunk_left << 4) | (uint64_t)h;
		p->line_flags |= LF_DIGITS;
		return HTTP_PARSE_MORE;
	}
	if (!(p->line_flags & LF_DIGITS))
		return http_parse_fail(p, 400, "invalid chunk size");
	if (c == ';' || c == ' ' || c == '\t') {
		p->line_flags |= LF_EXT;
		return HTTP_PARSE_MORE;
	}
	unsigned char u = (unsigned char)c;
	if (!(p->line_flags & LF_EXT) || (u < 0x20 && c != '\t') || u == 0x7f)
		return http_parse_fail(p, 400, "invalid character in a chunk-size line");
	return HTTP_PARSE_MORE;
}

/* One byte of the trailer section; DONE after its final empty line. */
static http_parse_result trailer_byte(http_parser *p, char c)
{
	if (++p->trailer_bytes > p->lim.max_header_bytes)
		return http_parse_fail(p, 431, "chunked trailer section is larger than the header limit");
	if (p->line_flags & LF_CR) {
		if (c != '\n')
			return http_parse_fail(p, 400, "bare CR in the chunked trailer");
		int empty = p->line_len == 0;
		p->line_len = 0;
		p->line_flags = 0;
		return empty ? HTTP_PARSE_DONE : HTTP_PARSE_MORE;
	}
	if (c == '\r') {
		p->line_flags |= LF_CR;
		return HTTP_PARSE_MORE;
	}
	if (c == '\n')
		return http_parse_fail(p, 400, "bare LF in the chunked trailer");
	if (c == '\0')
		return http_parse_fail(p, 400, "NUL byte in the chunked trailer");
	p->line_len++;
	return HTTP_PARSE_MORE;
}

static http_parse_result chunk_size_done(http_parser *p)
{
	http_message *m = &p->msg;
	p->line_len = 0;
	p->line_flags = 0;
	if (p->chunk_left == 0) {
		p->state = HTTP_PS_TRAILER;
		return HTTP_PARSE_MORE;
	}
	if (p->chunk_left > p->lim.max_body_bytes - m->body_len)
		return http_parse_fail(p, 413, "chunked body is larger than the body limit");
	if (body_reserve(m, m->body_len + (size_t)p->chunk_left + 1) != 0)
		return http_parse_fail(p, 503, "out of memory");
	p->state = HTTP_PS_CHUNK_DATA;
	return HTTP_PARSE_MORE;
}

static http_parse_result feed_chunked(http_parser *p, const char *data, size_t len, size_t *consumed)
{
	http_message *m = &p->msg;
	size_t i = 0;
	http_parse_result r = HTTP_PARSE_MORE;
	while (i < len && r == HTTP_PARSE_MORE) {
		switch (p->state) {
		case HTTP_PS_CHUNK_SIZE:
			r = size_line_byte(p, data[i++]);
			if (r == HTTP_PARSE_DONE)
				r = chunk_size_done(p);
			break;
		case HTTP_PS_CHUNK_DATA: {
			size_t n = len - i < p->chunk_left ? len - i : (size_t)p->chunk_left;
			memcpy(m->body + m->body_len, data + i, n);
			m->body_len += n;
			p->chunk_left -= n;
			i += n;
			if (p->chunk_left == 0)
				p->state = HTTP_PS_CHUNK_CR;
			break;
		}
		case HTTP_PS_CHUNK_CR:
			if (data[i++] != '\r')
				r = http_parse_fail(p, 400, "chunk data not followed by CRLF");
			else
				p->state = HTTP_PS_CHUNK_LF;
			break;
		case HTTP_PS_CHUNK_LF:
			if (data[i++] != '\n')
				r = http_parse_fail(p, 400, "chunk data not followed by CRLF");
			else
				p->state = HTTP_PS_CHUNK_SIZE;
			break;
		case HTTP_PS_TRAILER:
			r = trailer_byte(p, data[i++]);
			if (r == HTTP_PARSE_DONE)
				r = finish(p);
			break;
		default:
			r = http_parse_fail(p, 500, "parser in an impossible state");
			break;
		}
	}
	*consumed = i;
	p->seen += i;
	return r;
}

http_parse_result http_parse_body(http_parser *p, const char *data, size_t len, size_t *consumed)
{
	http_message *m = &p->msg;
	if (p->state != HTTP_PS_BODY_LENGTH)
		return feed_chunked(p, data, len, consumed);
	size_t want = (size_t)m->content_length - m->body_len;
	size_t n = len < want ? len : want;
	memcpy(m->body + m->body_len, data, n);
	m->body_len += n;
	*consumed = n;
	p->seen += n;
	return m->body_len == m->content_length ? finish(p) : HTTP_PARSE_MORE;
}
