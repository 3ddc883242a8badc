/*
 * The WebSocket frame codec: RFC 6455 section 5.7 example frames (decode and
 * encode, both roles), incremental decoding, every framing rule with the
 * close code it must produce, message reassembly and its size limit, UTF-8
 * across fragments, and close payloads.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ws/ws_frame.h"

/* RFC 6455 5.7 */
static const uint8_t rfc_text_unmasked[] = { 0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f };
static const uint8_t rfc_text_masked[] = { 0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58 };
static const uint8_t rfc_frag[] = { 0x01, 0x03, 0x48, 0x65, 0x6c, 0x80, 0x02, 0x6c, 0x6f };
static const uint8_t rfc_ping_unmasked[] = { 0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f };
static const uint8_t rfc_pong_masked[] = { 0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58 };
static const uint8_t rfc_key[4] = { 0x37, 0xfa, 0x21, 0x3d };

/* Feed a copy of `bytes` to a fresh reader of `role`; returns the event and the bytes consumed. */
typedef struct {
	ws_reader r;
	uint8_t buf[70000];
	size_t len;
	ws_event ev;
	size_t used;
} fixture;

static fixture *fx_new(ws_role role, size_t max)
{
	fixture *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	ws_reader_init(&f->r, role, max);
	return f;
}

static void fx_free(fixture *f)
{
	ws_reader_free(&f->r);
	free(f);
}

static ws_event_type fx_feed(fixture *f, const void *bytes, size_t n)
{
	assert_true(n <= sizeof(f->buf));
	memcpy(f->buf, bytes, n);
	f->len = n;
	f->used = ws_reader_feed(&f->r, f->buf, n, &f->ev);
	return f->ev.type;
}

static void fixed_key(void *arg, uint8_t key[4])
{
	memcpy(key, arg, 4);
}

static void counter_key(void *arg, uint8_t key[4])
{
	unsigned *n = arg;
	(*n)++;
	for (int i = 0; i < 4; i++)
		key[i] = (uint8_t)(*n * 31 + (unsigned)i * 77 + 1);
}

static void test_rfc_examples_decode(void **state)
{
	(void)state;
	fixture *f = fx_new(WS_ROLE_CLIENT, 1 << 20);
	assert_int_equal(fx_feed(f, rfc_text_unmasked, sizeof(rfc_text_unmasked)), WS_EV_TEXT);
	assert_int_equal(f->used, sizeof(rfc_text_unmasked));
	assert_int_equal(f->ev.len, 5);
	assert_memory_equal(f->ev.data, "Hello", 5);

	assert_int_equal(fx_feed(f, rfc_frag, sizeof(rfc_frag)), WS_EV_TEXT);
	assert_int_equal(f->used, sizeof(rfc_frag));
	assert_int_equal(f->ev.len, 5);
	assert_memory_equal(f->ev.data, "Hello", 5);

	assert_int_equal(fx_feed(f, rfc_ping_unmasked, sizeof(rfc_ping_unmasked)), WS_EV_PING);
	assert_memory_equal(f->ev.data, "Hello", 5);
	fx_free(f);

	f = fx_new(WS_ROLE_SERVER, 1 << 20);
	assert_int_equal(fx_feed(f, rfc_text_masked, sizeof(rfc_text_masked)), WS_EV_TEXT);
	assert_int_equal(f->used, sizeof(rfc_text_masked));
	assert_memory_equal(f->ev.data, "Hello", 5);
	assert_int_equal(fx_feed(f, rfc_pong_masked, sizeof(rfc_pong_masked)), WS_EV_PONG);
	assert_int_equal(f->ev.len, 5);
	assert_memory_equal(f->ev.data, "Hello", 5);
	fx_free(f);

	/* 256 bytes and 64 KiB binary messages in one unmasked frame (16- and 64-bit lengths). */
	static uint8_t big[10 + 65536];
	f = fx_new(WS_ROLE_CLIENT, 1 << 20);
	uint8_t h256[] = { 0x82, 0x7E, 0x01, 0x00 };
	memcpy(big, h256, 4);
	memset(big + 4, 'x', 256);
	assert_int_equal(fx_feed(f, big, 4 + 256), WS_EV_BINARY);
	assert_int_equal(f->ev.len, 256);
	uint8_t h64k[] = { 0x82, 0x7F, 0, 0, 0, 0, 0, 1, 0, 0 };
	memcpy(big, h64k, 10);
	memset(big + 10, 'y', 65536);
	assert_int_equal(fx_feed(f, big, sizeof(big)), WS_EV_BINARY);
	assert_int_equal(f->ev.len, 65536);
	assert_int_equal(f->used, sizeof(big));
	fx_free(f);
}

static void test_rfc_examples_encode(void **state)
{
	(void)state;
	uint8_t out[128];
	size_t n = ws_frame_encode(out, sizeof(out), WS_ROLE_SERVER, NULL, NULL, true, WS_OP_TEXT, "Hello", 5);
	assert_int_equal(n, sizeof(rfc_text_unmasked));
	assert_memory_equal(out, rfc_text_unmasked, n);

	uint8_t key[4];
	memcpy(key, rfc_key, 4);
	n = ws_frame_encode(out, sizeof(out), WS_ROLE_CLIENT, fixed_key, key, true, WS_OP_TEXT, "Hello", 5);
	assert_int_equal(n, sizeof(rfc_text_masked));
	assert_memory_equal(out, rfc_text_masked, n);

	n = ws_frame_encode(out, sizeof(out), WS_ROLE_CLIENT, fixed_key, key, true, WS_OP_PONG, "Hello", 5);
	assert_memory_equal(out, rfc_pong_masked, n);

	n = ws_frame_encode(out, sizeof(out), WS_ROLE_SERVER, NULL, NULL, false, WS_OP_TEXT, "Hel", 3);
	n += ws_frame_encode(out + n, sizeof(out) - n, WS_ROLE_SERVER, NULL, NULL, true, WS_OP_CONTINUATION, "lo", 2);
	assert_int_equal(n, sizeof(rfc_frag));
	assert_memory_equal(out, rfc_frag, n);

	/* Header length boundaries: 125 / 126 / 65535 / 65536. */
	uint8_t hdr[WS_MAX_HEADER];
	assert_int_equal(ws_frame_header_encode(hdr, true, WS_OP_BINARY, 125, NULL), 2);
	assert_int_equal(ws_frame_header_encode(hdr, true, WS_OP_BINARY, 126, NULL), 4);
	assert_int_equal(hdr[1], 126);
	assert_int_equal(ws_frame_header_encode(hdr, true, WS_OP_BINARY, 65535, NULL), 4);
	assert_int_equal(ws_frame_header_encode(hdr, true, WS_OP_BINARY, 65536, NULL), 10);
	assert_int_equal(hdr[1], 127);
	assert_int_equal(ws_frame_header_encode(hdr, true, WS_OP_BINARY, 65536, rfc_key), 14);
	assert_int_equal(ws_frame_size(WS_ROLE_SERVER, 125), 127);
	assert_int_equal(ws_frame_size(WS_ROLE_CLIENT, 126), 4 + 4 + 126);
	assert_int_equal(ws_frame_size(WS_ROLE_SERVER, 70000), 10 + 70000);
}

static void test_encoder_rules(void **state)
{
	(void)state;
	uint8_t out[512], payload[200] = { 0 };
	unsigned ctr = 0;
	/* control frames: at most 125 bytes, never fragmented */
	assert_int_equal(ws_frame_encode(out, sizeof(out), WS_ROLE_SERVER, NULL, NULL, true, WS_OP_PING, payload, 126), 0);
	assert_int_equal(ws_frame_encode(out, sizeof(out), WS_ROLE_SERVER, NULL, NULL, true, WS_OP_PING, payload, 125),
		127);
	assert_int_equal(ws_frame_encode(out, sizeof(out), WS_ROLE_SERVER, NULL, NULL, false, WS_OP_CLOSE, payload, 2), 0);
	/* a client must mask, so it needs a key source */
	assert_int_equal(ws_frame_encode(out, sizeof(out), WS_ROLE_CLIENT, NULL, NULL, true, WS_OP_TEXT, "a", 1), 0);
	/* unknown opcode, too small a buffer */
	assert_int_equal(ws_frame_encode(out, sizeof(out), WS_ROLE_SERVER, NULL, NULL, true, (ws_opcode)3, "a", 1), 0);
	assert_int_equal(ws_frame_encode(out, 6, WS_ROLE_SERVER, NULL, NULL, true, WS_OP_TEXT, "abcde", 5), 0);
	assert_int_equal(ws_frame_encode(out, 7, WS_ROLE_SERVER, NULL, NULL, true, WS_OP_TEXT, "abcde", 5), 7);
	/* every client frame gets a fresh key */
	uint8_t a[16], b[16];
	ws_frame_encode(a, sizeof(a), WS_ROLE_CLIENT, counter_key, &ctr, true, WS_OP_TEXT, "abc", 3);
	ws_frame_encode(b, sizeof(b), WS_ROLE_CLIENT, counter_key, &ctr, true, WS_OP_TEXT, "abc", 3);
	assert_int_equal(ctr, 2);
	assert_memory_not_equal(a + 2, b + 2, 4);
}

static void test_round_trip_sizes(void **state)
{
	(void)state;
	static const size_t sizes[] = { 0, 1, 7, 8, 9, 125, 126, 127, 1000, 65535, 65536, 65537 };
	static uint8_t payload[65537], frame[65537 + WS_MAX_HEADER];
	for (size_t i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(i * 7 + 3);
	unsigned ctr = 0;
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		for (int role = 0; role < 2; role++) {
			size_t n = ws_frame_encode(frame, sizeof(frame), (ws_role)role, counter_key, &ctr, true, WS_OP_BINARY,
				payload, sizes[k]);
			assert_int_equal(n, ws_frame_size((ws_role)role, sizes[k]));
			/* the receiving side has the other role */
			ws_reader r;
			ws_reader_init(&r, role == WS_ROLE_CLIENT ? WS_ROLE_SERVER : WS_ROLE_CLIENT, 1 << 20);
			ws_event ev;
			/* all but the last byte: nothing yet, nothing consumed */
			assert_int_equal(ws_reader_feed(&r, frame, n - 1, &ev), 0);
			assert_int_equal(ev.type, WS_EV_NEED_MORE);
			assert_int_equal(ws_reader_feed(&r, frame, n, &ev), n);
			assert_int_equal(ev.type, WS_EV_BINARY);
			assert_int_equal(ev.len, sizes[k]);
			if (sizes[k])
				assert_memory_equal(ev.data, payload, sizes[k]);
			ws_reader_free(&r);
		}
	}
}

static void test_incremental_byte_by_byte(void **state)
{
	(void)state;
	/* A fragmented masked message with a ping in the middle, fed one byte more each time. */
	uint8_t stream[256];
	size_t n = 0;
	uint8_t key[4] = { 1, 2, 3, 4 };
	n += ws_frame_encode(stream + n, sizeof(stream) - n, WS_ROLE_CLIENT, fixed_key, key, false, WS_OP_TEXT, "caf\xc3", 4);
	n += ws_frame_encode(stream + n, sizeof(stream) - n, WS_ROLE_CLIENT, fixed_key, key, true, WS_OP_PING, "p", 1);
	n += ws_frame_encode(stream + n, sizeof(stream) - n, WS_ROLE_CLIENT, fixed_key, key, true, WS_OP_CONTINUATION,
		"\xa9!", 2);
	ws_reader r;
	ws_reader_init(&r, WS_ROLE_SERVER, 1024);
	uint8_t in[256];
	size_t have = 0, off = 0;
	int pings = 0, texts = 0;
	for (size_t i = 0; i < n; i++) {
		in[have++] = stream[i];
		ws_event ev;
		for (;;) {
			size_t used = ws_reader_feed(&r, in + off, have - off, &ev);
			off += used;
			if (ev.type == WS_EV_NEED_MORE)
				break;
			if (ev.type == WS_EV_PING) {
				pings++;
				assert_memory_equal(ev.data, "p", 1);
			} else {
				assert_int_equal(ev.type, WS_EV_TEXT);
				texts++;
				assert_int_equal(ev.len, 6);
				assert_memory_equal(ev.data, "caf\xc3\xa9!", 6);
			}
		}
	}
	assert_int_equal(off, n);
	assert_int_equal(pings, 1);
	assert_int_equal(texts, 1);
	ws_reader_free(&r);
}

static void expect_error(ws_role role, size_t max, const uint8_t *bytes, size_t n, uint16_t code)
{
	fixture *f = fx_new(role, max);
	assert_int_equal(fx_feed(f, bytes, n), WS_EV_ERROR);
	assert_int_equal(f->ev.close_code, code);
	assert_non_null(f->ev.reason);
	assert_true(strlen(f->ev.reason) > 0);
	/* a failed reader stays failed */
	assert_int_equal(fx_feed(f, rfc_text_masked, sizeof(rfc_text_masked)), WS_EV_ERROR);
	assert_int_equal(f->ev.close_code, code);
	fx_free(f);
}

static void test_reserved_bits_and_opcodes(void **state)
{
	(void)state;
	for (uint8_t rsv = 1; rsv < 8; rsv++) {
		uint8_t fr[] = { (uint8_t)(0x81 | (rsv << 4)), 0x80, 0, 0, 0, 0 };
		expect_error(WS_ROLE_SERVER, 1024, fr, sizeof(fr), 1002);
	}
	static const uint8_t bad_ops[] = { 3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF };
	for (size_t i = 0; i < sizeof(bad_ops); i++) {
		uint8_t fr[] = { (uint8_t)(0x80 | bad_ops[i]), 0x80, 0, 0, 0, 0 };
		expect_error(WS_ROLE_SERVER, 1024, fr, sizeof(fr), 1002);
	}
}

static void test_masking_rules(void **state)
{
	(void)state;
	/* a server refuses unmasked frames, a client refuses masked ones */
	expect_error(WS_ROLE_SERVER, 1024, rfc_text_unmasked, sizeof(rfc_text_unmasked), 1002);
	expect_error(WS_ROLE_CLIENT, 1024, rfc_text_masked, sizeof(rfc_text_masked), 1002);
	/* decided from the first two bytes, before the payload arrives */
	expect_error(WS_ROLE_SERVER, 1024, rfc_text_unmasked, 2, 1002);
}

static void test_control_frame_rules(void **state)
{
	(void)state;
	/* ping with a 126-byte payload (16-bit length) */
	uint8_t big_ping[4 + 4 + 126] = { 0x89, 0x80 | 126, 0, 126 };
	expect_error(WS_ROLE_SERVER, 1024, big_ping, sizeof(big_ping), 1002);
	/* fragmented (FIN clear) ping and close */
	uint8_t frag_ping[] = { 0x09, 0x80, 0, 0, 0, 0 };
	expect_error(WS_ROLE_SERVER, 1024, frag_ping, sizeof(frag_ping), 1002);
	uint8_t frag_close[] = { 0x08, 0x80, 0, 0, 0, 0 };
	expect_error(WS_ROLE_SERVER, 1024, frag_close, sizeof(frag_close), 1002);
	/* 125 is fine */
	uint8_t ok_ping[2 + 4 + 125] = { 0x89, 0x80 | 125 };
	fixture *f = fx_new(WS_ROLE_SERVER, 16);
	assert_int_equal(fx_feed(f, ok_ping, sizeof(ok_ping)), WS_EV_PING);
	assert_int_equal(f->ev.len, 125); /* control frames are not bound by the message limit */
	fx_free(f);
}

static void test_fragment_sequence_rules(void **state)
{
	(void)state;
	uint8_t s[64];
	size_t n;
	/* continuation with nothing to continue */
	n = ws_frame_encode(s, sizeof(s), WS_ROLE_SERVER, NULL, NULL, true, WS_OP_CONTINUATION, "x", 1);
	expect_error(WS_ROLE_CLIENT, 1024, s, n, 1002);
	/* a new text message while one is open */
	n = ws_frame_encode(s, sizeof(s), WS_ROLE_SERVER, NULL, NULL, false, WS_OP_TEXT, "a", 1);
	n += ws_frame_encode(s + n, sizeof(s) - n, WS_ROLE_SERVER, NULL, NULL, true, WS_OP_BINARY, "b", 1);
	expect_error(WS_ROLE_CLIENT, 1024, s, n, 1002);
	/* zero-length fragments are legal */
	n = ws_frame_encode(s, sizeof(s), WS_ROLE_SERVER, NULL, NULL, false, WS_OP_TEXT, "", 0);
	n += ws_frame_encode(s + n, sizeof(s) - n, WS_ROLE_SERVER, NULL, NULL, false, WS_OP_CONTINUATION, "ab", 2);
	n += ws_frame_encode(s + n, sizeof(s) - n, WS_ROLE_SERVER, NULL, NULL, true, WS_OP_CONTINUATION, "", 0);
	fixture *f = fx_new(WS_ROLE_CLIENT, 1024);
	assert_int_equal(fx_feed(f, s, n), WS_EV_TEXT);
	assert_int_equal(f->ev.len, 2);
	assert_memory_equal(f->ev.data, "ab", 2);
	assert_int_equal(f->used, n);
	fx_free(f);
}

static void test_size_limit(void **state)
{
	(void)state;
	static uint8_t s[4096];
	size_t n;
	static uint8_t payload[2048];
	memset(payload, 'a', sizeof(payload));
	/* exactly the limit passes */
	n = ws_frame_encode(s, sizeof(s), WS_ROLE_SERVER, NULL, NULL, true, WS_OP_TEXT, payload, 100);
	fixture *f = fx_new(WS_ROLE_CLIENT, 100);
	assert_int_equal(fx_feed(f, s, n), WS_EV_TEXT);
	fx_free(f);
	/* one more: refused from the header alone, the payload never has to arrive */
	n = ws_frame_encode(s, sizeof(s), WS_ROLE_SERVER, NULL, NULL, true, WS_OP_TEXT, payload, 101);
	expect_error(WS_ROLE_CLIENT, 100, s, 2, 1009);
	/* a huge 64-bit length */
	uint8_t huge[] = { 0x82, 0x7F, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };
	expect_error(WS_ROLE_CLIENT, 100, huge, sizeof(huge), 1009);
	/* the most significant bit of a 64-bit length must be 0 */
	uint8_t msb[] = { 0x82, 0x7F, 0x80, 0, 0, 0, 0, 0, 0, 1 };
	expect_error(WS_ROLE_CLIENT, 100, msb, sizeof(msb), 1002);
	/* fragments that add up past the limit */
	n = ws_frame_encode(s, sizeof(s), WS_ROLE_SERVER, NULL, NULL, false, WS_OP_BINARY, payload, 60);
	size_t first = n;
	n += ws_frame_encode(s + n, sizeof(s) - n, WS_ROLE_SERVER, NULL, NULL, true, WS_OP_CONTINUATION, payload, 41);
	f = fx_new(WS_ROLE_CLIENT, 100);
	assert_int_equal(fx_feed(f, s, n), WS_EV_ERROR);
	assert_int_equal(f->ev.close_code, 1009);
	assert_int_equal(f->used, first); /* the offending frame is not consumed */
	fx_free(f);
	/* ... and up to it exactly */
	n = ws_frame_encode(s, sizeof(s), WS_ROLE_SERVER, NULL, NULL, false, WS_OP_BINARY, payload, 60);
	n += ws_frame_encode(s + n, sizeof(s) - n, WS_ROLE_SERVER, NULL, NULL, true, WS_OP_CONTINUATION, payload, 40);
	f = fx_new(WS_ROLE_CLIENT, 100);
	assert_int_equal(fx_feed(f, s, n), WS_EV_BINARY);
	assert_int_equal(f->ev.len, 100);
	fx_free(f);
}

static void test_utf8_validator(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		bool ok;
	} cases[] = {
		{ "", true },
		{ "plain ascii text that is longer than eight bytes", true },
		{ "\xc2\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", true },   /* (c) euro emoji */
		{ "\xed\x9f\xbf", true },                             /* U+D7FF */
		{ "\xee\x80\x80", true },                             /* U+E000 */
		{ "\xf4\x8f\xbf\xbf", true },                         /* U+10FFFF */
		{ "\xc0\x80", false },                                /* overlong NUL */
		{ "\xc1\xbf", false },                                /* overlong */
		{ "\xe0\x9f\xbf", false },                            /* overlong 3-byte */
		{ "\xf0\x8f\xbf\xbf", false },                        /* overlong 4-byte */
		{ "\xed\xa0\x80", false },                            /* surrogate U+D800 */
		{ "\xed\xbf\xbf", false },                            /* surrogate U+DFFF */
		{ "\xf4\x90\x80\x80", false },                        /* U+110000 */
		{ "\xf5\x80\x80\x80", false },
		{ "\xff", false },
		{ "\x80", false },                                    /* lone continuation */
		{ "abc\xe2\x82", false },                             /* truncated */
		{ "\xe2\x28\xa1", false },                            /* bad continuation */
		{ "12345678\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5", true },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (ws_utf8_valid((const uint8_t *)cases[i].s, strlen(cases[i].s)) != cases[i].ok)
			fail_msg("case %zu (\"%s\") expected %s", i, cases[i].s, cases[i].ok ? "valid" : "invalid");
	}
	/* split anywhere, the incremental state gives the same answer */
	const char *s = "x\xf0\x9f\x98\x80y\xe2\x82\xacz";
	size_t len = strlen(s);
	for (size_t cut = 0; cut <= len; cut++) {
		ws_utf8_state st;
		ws_utf8_init(&st);
		assert_true(ws_utf8_feed(&st, (const uint8_t *)s, cut));
		assert_true(ws_utf8_feed(&st, (const uint8_t *)s + cut, len - cut));
		assert_true(ws_utf8_complete(&st));
	}
}

static void test_utf8_in_messages(void **state)
{
	(void)state;
	uint8_t s[128];
	size_t n;
	/* invalid UTF-8 in a single text frame */
	n = ws_frame_encode(s, sizeof(s), WS_ROLE_SERVER, NULL, NULL, true, WS_OP_TEXT, "ab\xff", 3);
	expect_error(WS_ROLE_CLIENT, 1024, s, n, 1007);
	/* the same bytes as binary are fine */
	n = ws_frame_encode(s, sizeof(s), WS_ROLE_SERVER, NULL, NULL, true, WS_OP_BINARY, "ab\xff", 3);
	fixture *f = fx_new(WS_ROLE_CLIENT, 1024);
	assert_int_equal(fx_feed(f, s, n), WS_EV_BINARY);
	fx_free(f);
	/* a code point split across fragments is fine */
	n = ws_frame_encode(s, sizeof(s), WS_ROLE_SERVER, NULL, NULL, false, WS_OP_TEXT, "\xe2", 1);
	n += ws_frame_encode(s + n, sizeof(s) - n, WS_ROLE_SERVER, NULL, NULL, false, WS_OP_CONTINUATION, "\x82", 1);
	n += ws_frame_encode(s + n, sizeof(s) - n, WS_ROLE_SERVER, NULL, NULL, true, WS_OP_CONTINUATION, "\xac", 1);
	f = fx_new(WS_ROLE_CLIENT, 1024);
	assert_int_equal(fx_feed(f, s, n), WS_EV_TEXT);
	assert_memory_equal(f->ev.data, "\xe2\x82\xac", 3);
	fx_free(f);
	/* invalid across fragments fails at the fragment that breaks it (fail fast), before FIN */
	n = ws_frame_encode(s, sizeof(s), WS_ROLE_SERVER, NULL, NULL, false, WS_OP_TEXT, "ok\xed", 3);
	size_t first = n;
	n += ws_frame_encode(s + n, sizeof(s) - n, WS_ROLE_SERVER, NULL, NULL, false, WS_OP_CONTINUATION, "\xa0\x80", 2);
	f = fx_new(WS_ROLE_CLIENT, 1024);
	assert_int_equal(fx_feed(f, s, n), WS_EV_ERROR);
	assert_int_equal(f->ev.close_code, 1007);
	assert_int_equal(f->used, first);
	fx_free(f);
	/* a message that ends inside a code point */
	n = ws_frame_encode(s, sizeof(s), WS_ROLE_SERVER, NULL, NULL, false, WS_OP_TEXT, "ok", 2);
	n += ws_frame_encode(s + n, sizeof(s) - n, WS_ROLE_SERVER, NULL, NULL, true, WS_OP_CONTINUATION, "\xc3", 1);
	expect_error(WS_ROLE_CLIENT, 1024, s, n, 1007);
}

static void test_close_frames(void **state)
{
	(void)state;
	uint16_t code;
	const char *reason;
	size_t rlen;
	assert_int_equal(ws_close_parse((const uint8_t *)"", 0, &code, &reason, &rlen), 0);
	assert_int_equal(code, 1005);
	assert_int_equal(ws_close_parse((const uint8_t *)"\x03", 1, &code, &reason, &rlen), 1002);
	assert_int_equal(ws_close_parse((const uint8_t *)"\x03\xe8" "bye", 5, &code, &reason, &rlen), 0);
	assert_int_equal(code, 1000);
	assert_int_equal(rlen, 3);
	assert_memory_equal(reason, "bye", 3);
	assert_int_equal(ws_close_parse((const uint8_t *)"\x03\xe8\xff", 3, &code, &reason, &rlen), 1007);

	static const uint16_t bad[] = { 0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535 };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint8_t p[2] = { (uint8_t)(bad[i] >> 8), (uint8_t)bad[i] };
		if (ws_close_parse(p, 2, &code, &reason, &rlen) != 1002)
			fail_msg("close code %u should be refused", bad[i]);
	}
	static const uint16_t good[] = { 1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999 };
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		uint8_t p[2] = { (uint8_t)(good[i] >> 8), (uint8_t)good[i] };
		if (ws_close_parse(p, 2, &code, &reason, &rlen) != 0 || code != good[i])
			fail_msg("close code %u should be accepted", good[i]);
	}

	/* through the reader */
	uint8_t pl[WS_MAX_CONTROL_PAYLOAD], s[256];
	size_t pn = ws_close_payload(pl, 1001, "going");
	assert_int_equal(pn, 7);
	size_t n = ws_frame_encode(s, sizeof(s), WS_ROLE_SERVER, NULL, NULL, true, WS_OP_CLOSE, pl, pn);
	fixture *f = fx_new(WS_ROLE_CLIENT, 1024);
	assert_int_equal(fx_feed(f, s, n), WS_EV_CLOSE);
	assert_int_equal(f->ev.close_code, 1001);
	assert_int_equal(f->ev.reason_len, 5);
	assert_memory_equal(f->ev.reason, "going", 5);
	fx_free(f);
	uint8_t one[] = { 0x88, 0x01, 0x03 };
	expect_error(WS_ROLE_CLIENT, 1024, one, sizeof(one), 1002);
	uint8_t badcode[] = { 0x88, 0x02, 0x03, 0xed }; /* 1005 may not be sent */
	expect_error(WS_ROLE_CLIENT, 1024, badcode, sizeof(badcode), 1002);
	uint8_t badutf[] = { 0x88, 0x03, 0x03, 0xe8, 0xc0 };
	expect_error(WS_ROLE_CLIENT, 1024, badutf, sizeof(badutf), 1007);

	/* building: no code -> empty, long reasons cut on a code point boundary */
	assert_int_equal(ws_close_payload(pl, 0, "x"), 0);
	assert_int_equal(ws_close_payload(pl, 1005, "x"), 0);
	char longr[300];
	memset(longr, 'a', sizeof(longr));
	memcpy(longr + 121, "\xe2\x82\xac", 3); /* euro sign straddles byte 123 */
	longr[299] = '\0';
	pn = ws_close_payload(pl, 1000, longr);
	assert_int_equal(pn, 2 + 121);
	assert_true(ws_utf8_valid(pl + 2, pn - 2));
}

static void test_multiple_frames_one_buffer(void **state)
{
	(void)state;
	uint8_t s[128];
	size_t n = 0;
	uint8_t key[4] = { 9, 8, 7, 6 };
	n += ws_frame_encode(s + n, sizeof(s) - n, WS_ROLE_CLIENT, fixed_key, key, true, WS_OP_TEXT, "one", 3);
	n += ws_frame_encode(s + n, sizeof(s) - n, WS_ROLE_CLIENT, fixed_key, key, true, WS_OP_TEXT, "two", 3);
	n += ws_frame_encode(s + n, sizeof(s) - n, WS_ROLE_CLIENT, fixed_key, key, true, WS_OP_CLOSE, "\x03\xe8", 2);
	n += 3; /* and a partial header of something after */
	s[n - 3] = 0x81;
	s[n - 2] = 0x85;
	s[n - 1] = 0x00;
	ws_reader r;
	ws_reader_init(&r, WS_ROLE_SERVER, 1024);
	ws_event ev;
	size_t off = 0;
	off += ws_reader_feed(&r, s + off, n - off, &ev);
	assert_int_equal(ev.type, WS_EV_TEXT);
	assert_memory_equal(ev.data, "one", 3);
	off += ws_reader_feed(&r, s + off, n - off, &ev);
	assert_int_equal(ev.type, WS_EV_TEXT);
	assert_memory_equal(ev.data, "two", 3);
	off += ws_reader_feed(&r, s + off, n - off, &ev);
	assert_int_equal(ev.type, WS_EV_CLOSE);
	assert_int_equal(ev.close_code, 1000);
	size_t used = ws_reader_feed(&r, s + off, n - off, &ev);
	assert_int_equal(ev.type, WS_EV_NEED_MORE);
	assert_int_equal(used, 0);
	assert_int_equal(off, n - 3);
	ws_reader_free(&r);
}

static void test_mask_in_pieces(void **state)
{
	(void)state;
	uint8_t key[4] = { 0xde, 0xad, 0xbe, 0xef };
	uint8_t whole[37], pieces[37];
	for (size_t i = 0; i < sizeof(whole); i++)
		whole[i] = pieces[i] = (uint8_t)i;
	ws_mask(whole, sizeof(whole), key, 0);
	for (size_t i = 0; i < sizeof(whole); i++)
		assert_int_equal(whole[i], (uint8_t)i ^ key[i & 3]);
	ws_mask(pieces, 5, key, 0);
	ws_mask(pieces + 5, 13, key, 5);
	ws_mask(pieces + 18, 19, key, 18);
	assert_memory_equal(whole, pieces, sizeof(whole));
}

static void test_header_parse_needs_more(void **state)
{
	(void)state;
	ws_frame_header h;
	uint8_t b[] = { 0x82, 0xFF, 0, 0, 0, 0, 0, 0, 1, 0, 1, 2, 3, 4 };
	for (size_t i = 0; i < sizeof(b); i++)
		assert_int_equal(ws_frame_header_parse(b, i, &h), 0);
	assert_int_equal(ws_frame_header_parse(b, sizeof(b), &h), 1);
	assert_int_equal(h.header_len, 14);
	assert_int_equal(h.payload_len, 256);
	assert_true(h.masked);
	assert_memory_equal(h.mask, "\x01\x02\x03\x04", 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc_examples_decode),
		cmocka_unit_test(test_rfc_examples_encode),
		cmocka_unit_test(test_encoder_rules),
		cmocka_unit_test(test_round_trip_sizes),
		cmocka_unit_test(test_incremental_byte_by_byte),
		cmocka_unit_test(test_reserved_bits_and_opcodes),
		cmocka_unit_test(test_masking_rules),
		cmocka_unit_test(test_control_frame_rules),
		cmocka_unit_test(test_fragment_sequence_rules),
		cmocka_unit_test(test_size_limit),
		cmocka_unit_test(test_utf8_validator),
		cmocka_unit_test(test_utf8_in_messages),
		cmocka_unit_test(test_close_frames),
		cmocka_unit_test(test_multiple_frames_one_buffer),
		cmocka_unit_test(test_mask_in_pieces),
		cmocka_unit_test(test_header_parse_needs_more),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
