/* Request parser: good requests in every byte split, and each error class with its status. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "http/http_parse.h"
#include "http/http_query.h"

static const http_parser_limits LIM = { .max_header_bytes = 1024, .max_headers = 8, .max_body_bytes = 64 };

typedef struct parsed {
	http_parse_result result;
	int status;
	const char *error;
	size_t consumed; /* bytes of the input that made up the request */
	int saw_head;    /* HTTP_PARSE_HEAD was returned before DONE */
	http_message msg;
} parsed;

/* Feeds `text` in pieces of `step` bytes (0 = all at once) until DONE or ERROR. */
static parsed parse_split(const char *text, size_t len, size_t step)
{
	parsed out = { 0 };
	http_parser p;
	http_parser_init(&p, &LIM);
	size_t off = 0;
	http_parse_result r = HTTP_PARSE_MORE;
	while (off < len) {
		size_t n = step && len - off > step ? step : len - off;
		size_t used = 0;
		r = http_parser_feed(&p, text + off, n, &used);
		assert_true(used <= n);
		off += used;
		if (r == HTTP_PARSE_HEAD) {
			out.saw_head = 1;
			continue;
		}
		if (r != HTTP_PARSE_MORE)
			break;
		assert_int_equal(used, n); /* MORE means everything was taken */
	}
	out.result = r;
	out.consumed = off;
	out.status = p.status;
	out.error = p.error;
	if (r == HTTP_PARSE_DONE)
		http_parser_take(&p, &out.msg);
	http_parser_reset(&p);
	return out;
}

/* The same request in every split from 1 byte to whole must parse the same. */
static parsed parse_all_splits(const char *text)
{
	size_t len = strlen(text);
	parsed whole = parse_split(text, len, 0);
	for (size_t step = 1; step < len; step++) {
		parsed s = parse_split(text, len, step);
		assert_int_equal(s.result, whole.result);
		assert_int_equal(s.status, whole.status);
		if (s.result == HTTP_PARSE_DONE) {
			assert_int_equal(s.consumed, whole.consumed);
			assert_int_equal(s.msg.body_len, whole.msg.body_len);
			if (s.msg.body_len)
				assert_memory_equal(s.msg.body, whole.msg.body, s.msg.body_len);
		}
		http_message_free(&s.msg);
	}
	return whole;
}

static void test_simple_get(void **state)
{
	(void)state;
	parsed p = parse_all_splits("GET /api/v1/x?a=1 HTTP/1.1\r\nHost: h\r\nX-Thing:  spaced value \t\r\n\r\n");
	assert_int_equal(p.result, HTTP_PARSE_DONE);
	assert_string_equal(p.msg.method, "GET");
	assert_string_equal(p.msg.target, "/api/v1/x?a=1");
	assert_int_equal(p.msg.version_minor, 1);
	assert_true(p.msg.keep_alive);
	assert_int_equal(p.msg.nheaders, 2);
	assert_string_equal(http_message_header(&p.msg, "x-thing"), "spaced value");
	assert_string_equal(http_message_header(&p.msg, "HOST"), "h");
	assert_null(http_message_header(&p.msg, "missing"));
	assert_null(p.msg.body);
	assert_false(p.saw_head);
	http_message_free(&p.msg);
}

static void test_keep_alive_rules(void **state)
{
	(void)state;
	parsed p = parse_split("GET / HTTP/1.0\r\n\r\n", 18, 0);
	assert_int_equal(p.result, HTTP_PARSE_DONE);
	assert_int_equal(p.msg.version_minor, 0);
	assert_false(p.msg.keep_alive);
	http_message_free(&p.msg);
	const char *ka = "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n";
	p = parse_split(ka, strlen(ka), 0);
	assert_true(p.msg.keep_alive);
	http_message_free(&p.msg);
	const char *cl = "GET / HTTP/1.1\r\nHost: h\r\nConnection: foo, close\r\n\r\n";
	p = parse_split(cl, strlen(cl), 0);
	assert_int_equal(p.result, HTTP_PARSE_DONE);
	assert_false(p.msg.keep_alive);
	http_message_free(&p.msg);
}

static void test_content_length_body(void **state)
{
	(void)state;
	parsed p = parse_all_splits("POST /o HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhelloGET");
	assert_int_equal(p.result, HTTP_PARSE_DONE);
	assert_true(p.saw_head);
	assert_int_equal(p.msg.body_len, 5);
	assert_string_equal(p.msg.body, "hello");
	/* the bytes of the next request are not consumed */
	assert_int_equal(p.consumed, strlen("POST /o HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello"));
	http_message_free(&p.msg);
	/* equal duplicates are one value */
	p = parse_all_splits("POST /o HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nContent-Length: 2, 2\r\n\r\nok");
	assert_int_equal(p.result, HTTP_PARSE_DONE);
	assert_string_equal(p.msg.body, "ok");
	http_message_free(&p.msg);
}

static void test_chunked_body(void **state)
{
	(void)state;
	parsed p = parse_all_splits("POST /o HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: Chunked\r\n\r\n"
				    "5;ext=1\r\nhello\r\n1 ; x\r\n \r\nA\r\n0123456789\r\n0\r\nTrailer: t\r\n\r\nNEXT");
	assert_int_equal(p.result, HTTP_PARSE_DONE);
	assert_true(p.msg.chunked);
	assert_int_equal(p.msg.body_len, 16);
	assert_string_equal(p.msg.body, "hello 0123456789");
	http_message_free(&p.msg);
	p = parse_all_splits("POST /o HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
	assert_int_equal(p.result, HTTP_PARSE_DONE);
	assert_int_equal(p.msg.body_len, 0);
	http_message_free(&p.msg);
}

static void test_leading_crlf_and_absolute_form(void **state)
{
	(void)state;
	parsed p = parse_all_splits("\r\n\r\nGET http://example.com/a/b?q HTTP/1.1\r\nHost: example.com\r\n\r\n");
	assert_int_equal(p.result, HTTP_PARSE_DONE);
	assert_string_equal(p.msg.method, "GET");
	assert_string_equal(p.msg.target, "http://example.com/a/b?q");
	http_target t;
	const char *err = NULL;
	assert_int_equal(http_target_parse(p.msg.target, &t, &err), 0);
	assert_string_equal(t.path, "/a/b");
	assert_int_equal(t.nquery, 1);
	assert_string_equal(t.qnames[0], "q");
	assert_string_equal(t.qvalues[0], "");
	http_target_free(&t);
	http_message_free(&p.msg);
}

static void test_expect_continue(void **state)
{
	(void)state;
	const char *t = "POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n";
	parsed p = parse_split(t, strlen(t), 0);
	assert_int_equal(p.result, HTTP_PARSE_HEAD); /* the body has not come yet */
	assert_int_equal(p.consumed, strlen(t));
	http_message_free(&p.msg);
}

typedef struct bad_case {
	const char *text;
	int status;
	const char *why; /* a word the error message must contain */
} bad_case;

static const bad_case bad_cases[] = {
	{ "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400, "both" },
	{ "GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n", 400, "both" },
	{ "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n", 400, "differing" },
	{ "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 3, 4\r\n\r\n", 400, "differing" },
	{ "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", 400, "Content-Length" },
	{ "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 0x10\r\n\r\n", 400, "Content-Length" },
	{ "GET / HTTP/1.1\r\nHost: h\r\nContent-Length:\r\n\r\n", 400, "Content-Length" },
	{ "GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n folded\r\n\r\n", 400, "obs-fold" },
	{ "GET / HTTP/1.1\r\nHost: h\r\nX-A : 1\r\n\r\n", 400, "whitespace" },
	{ "GET / HTTP/1.1\nHost: h\r\n\r\n", 400, "bare LF" },
	{ "GET / HTTP/1.1\r\nHost: h\rX: 1\r\n\r\n", 400, "bare CR" },
	{ "GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501, "transfer coding" },
	{ "GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", 400, "more than once" },
	{ "GET / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400, "HTTP/1.0" },
	{ "GET / HTTP/1.1\r\n\r\n", 400, "Host" },
	{ "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, "Host" },
	{ "GET / HTTP/2.0\r\nHost: h\r\n\r\n", 505, "version" },
	{ "GET / HTTP/1.1x\r\nHost: h\r\n\r\n", 400, "version" },
	{ "GET /\r\nHost: h\r\n\r\n", 400, "request line" },
	{ "GET  / HTTP/1.1\r\nHost: h\r\n\r\n", 400, "request line" },
	{ "G(T / HTTP/1.1\r\nHost: h\r\n\r\n", 400, "method" },
	{ "GET a/b HTTP/1.1\r\nHost: h\r\n\r\n", 400, "absolute" },
	{ "GET /\x01 HTTP/1.1\r\nHost: h\r\n\r\n", 400, "target" },
	{ "GET / HTTP/1.1\r\nHost: h\r\nX-A: a\x01b\r\n\r\n", 400, "control" },
	{ "GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n", 400, "colon" },
	{ "GET / HTTP/1.1\r\nHost: h\r\n: v\r\n\r\n", 400, "empty header name" },
	{ "GET / HTTP/1.1\r\nHost: h\r\nExpect: 200-ok\r\n\r\n", 417, "Expect" },
	{ "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 65\r\n\r\n", 413, "limit" },
	{ "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999999\r\n\r\n", 413, "limit" },
	{ "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n41\r\n", 413, "limit" },
	{ "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n20\r\n" "0123456789abcdef0123456789abcdef\r\n"
	  "20\r\n" "0123456789abcdef0123456789abcdef\r\n1\r\n", 413, "limit" },
	{ "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffffff\r\n", 413, "limit" },
	{ "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400, "chunk size" },
	{ "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n\r\n", 400, "chunk size" },
	{ "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n", 400, "CRLF" },
	{ "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\nab\r\n", 400, "bare LF" },
	{ "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2;a\x01\r\nab\r\n", 400, "chunk-size line" },
	{ "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nT: 1\n\r\n", 400, "trailer" },
};

static void test_errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const bad_case *b = &bad_cases[i];
		parsed p = parse_all_splits(b->text);
		if (p.result != HTTP_PARSE_ERROR || p.status != b->status || !strstr(p.error, b->why))
			fail_msg("case %zu: result %d status %d (%s), want %d with \"%s\"", i, p.result, p.status,
				p.error ? p.error : "-", b->status, b->why);
	}
}

static void test_nul_in_head(void **state)
{
	(void)state;
	const char t[] = "GET / HTTP/1.1\r\nHost: h\0x\r\n\r\n";
	parsed p = parse_split(t, sizeof(t) - 1, 0);
	assert_int_equal(p.result, HTTP_PARSE_ERROR);
	assert_int_equal(p.status, 400);
}

static void test_header_limits(void **state)
{
	(void)state;
	char big[2048];
	snprintf(big, sizeof(big), "GET / HTTP/1.1\r\nHost: h\r\nX-Big: %01000d\r\n\r\n", 0);
	parsed p = parse_split(big, strlen(big), 0);
	assert_int_equal(p.result, HTTP_PARSE_ERROR);
	assert_int_equal(p.status, 431);
	/* byte by byte, the limit is hit as soon as it is passed, long before the
	 * end of the head: an endless head is never buffered */
	p = parse_split(big, strlen(big), 1);
	assert_int_equal(p.status, 431);
	assert_int_equal(p.consumed, LIM.max_header_bytes);

	char many[1024] = "GET / HTTP/1.1\r\nHost: h\r\n";
	for (int i = 0; i < 8; i++)
		snprintf(many + strlen(many), sizeof(many) - strlen(many), "X-%d: v\r\n", i);
	strcat(many, "\r\n");
	p = parse_split(many, strlen(many), 0);
	assert_int_equal(p.result, HTTP_PARSE_ERROR);
	assert_int_equal(p.status, 431);

	/* exactly max_headers is fine */
	char ok[1024] = "GET / HTTP/1.1\r\nHost: h\r\n";
	for (int i = 0; i < 7; i++)
		snprintf(ok + strlen(ok), sizeof(ok) - strlen(ok), "X-%d: v\r\n", i);
	strcat(ok, "\r\n");
	p = parse_split(ok, strlen(ok), 0);
	assert_int_equal(p.result, HTTP_PARSE_DONE);
	assert_int_equal(p.msg.nheaders, 8);
	http_message_free(&p.msg);

	/* a huge chunked trailer is a 431 as well */
	char tr[4096] = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n";
	for (int i = 0; i < 100; i++)
		strcat(tr, "T: 0123456789012345\r\n");
	p = parse_split(tr, strlen(tr), 0);
	assert_int_equal(p.result, HTTP_PARSE_ERROR);
	assert_int_equal(p.status, 431);
}

static void test_pipelined_reuse(void **state)
{
	(void)state;
	const char *two = "GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\n";
	http_parser p;
	http_parser_init(&p, &LIM);
	size_t used = 0, off = 0;
	assert_int_equal(http_parser_feed(&p, two, strlen(two), &used), HTTP_PARSE_DONE);
	http_message m;
	http_parser_take(&p, &m);
	assert_string_equal(m.target, "/1");
	http_message_free(&m);
	off += used;
	assert_false(http_parser_started(&p));
	assert_int_equal(http_parser_feed(&p, two + off, strlen(two) - off, &used), HTTP_PARSE_DONE);
	http_parser_take(&p, &m);
	assert_string_equal(m.target, "/2");
	assert_int_equal(off + used, strlen(two));
	http_message_free(&m);
	http_parser_reset(&p);
}

static void test_target_decoding(void **state)
{
	(void)state;
	http_target t;
	const char *err = NULL;
	assert_int_equal(http_target_parse("/a%20b/c%2Bd/?x=1+2&y=%41&&flag&x=second&e=", &t, &err), 0);
	assert_string_equal(t.path, "/a b/c+d/");
	assert_int_equal(t.nsegs, 3);
	assert_string_equal(t.segs[0], "a b");
	assert_string_equal(t.segs[1], "c+d");
	assert_string_equal(t.segs[2], "");
	assert_int_equal(t.nquery, 5);
	assert_string_equal(t.qnames[0], "x");
	assert_string_equal(t.qvalues[0], "1 2");
	assert_string_equal(t.qvalues[1], "A");
	assert_string_equal(t.qnames[2], "flag");
	assert_string_equal(t.qvalues[2], "");
	assert_string_equal(t.qvalues[3], "second");
	assert_string_equal(t.qnames[4], "e");
	assert_string_equal(t.qvalues[4], "");
	http_target_free(&t);

	assert_int_equal(http_target_parse("/", &t, &err), 0);
	assert_string_equal(t.path, "/");
	assert_int_equal(t.nsegs, 0);
	http_target_free(&t);

	static const char *const bad[] = { "/a/%2F", "/a/%2f/b", "/a/../b", "/./a", "/a/%2e%2E", "/%zz", "/%4",
		"/a%00b", "/a?x=%0", "/a?x=%00" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err = NULL;
		if (http_target_parse(bad[i], &t, &err) != -1 || !err)
			fail_msg("target %s was accepted", bad[i]);
	}
	char out[16];
	assert_int_equal(http_pct_decode("a+b%7e", 6, out, 0), 4);
	assert_string_equal(out, "a+b~");
	assert_int_equal(http_pct_decode("a+b", 3, out, 1), 3);
	assert_string_equal(out, "a b");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple_get),
		cmocka_unit_test(test_keep_alive_rules),
		cmocka_unit_test(test_content_length_body),
		cmocka_unit_test(test_chunked_body),
		cmocka_unit_test(test_leading_crlf_and_absolute_form),
		cmocka_unit_test(test_expect_continue),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_nul_in_head),
		cmocka_unit_test(test_header_limits),
		cmocka_unit_test(test_pipelined_reuse),
		cmocka_unit_test(test_target_decoding),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
