/*
 * The opening handshake: the RFC 6455 example key, key validation, the
 * server's request checks (status + message), and the client helper round
 * trip against the server's own response, including refusals.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ws/ws_handshake.h"

static void test_rfc_example_accept(void **state)
{
	(void)state;
	char out[WS_ACCEPT_LEN + 1];
	assert_int_equal(ws_handshake_accept("dGhlIHNhbXBsZSBub25jZQ==", out), 0);
	assert_string_equal(out, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

static void test_key_validation(void **state)
{
	(void)state;
	assert_true(ws_handshake_key_valid("dGhlIHNhbXBsZSBub25jZQ=="));
	assert_true(ws_handshake_key_valid("AAAAAAAAAAAAAAAAAAAAAA=="));
	assert_false(ws_handshake_key_valid(NULL));
	assert_false(ws_handshake_key_valid(""));
	assert_false(ws_handshake_key_valid("dGhlIHNhbXBsZSBub25jZQ="));    /* 23 chars */
	assert_false(ws_handshake_key_valid("dGhlIHNhbXBsZSBub25jZQ==="));  /* 25 chars */
	assert_false(ws_handshake_key_valid("dGhlIHNhbXBsZSBub25jZQAA"));   /* 18 bytes, no padding */
	assert_false(ws_handshake_key_valid("dGhlIHNhbXBsZSBub25j!Q=="));   /* not base64 */
}

static void test_header_tokens(void **state)
{
	(void)state;
	assert_true(ws_header_has_token("Upgrade", "upgrade"));
	assert_true(ws_header_has_token("keep-alive, Upgrade", "upgrade"));
	assert_true(ws_header_has_token(" keep-alive ,  UPGRADE  ", "upgrade"));
	assert_false(ws_header_has_token("keep-alive", "upgrade"));
	assert_false(ws_header_has_token("upgraded", "upgrade"));
	assert_false(ws_header_has_token("", "upgrade"));
	assert_false(ws_header_has_token(NULL, "upgrade"));
}

static void test_request_checks(void **state)
{
	(void)state;
	char err[256];
	const char *key = "dGhlIHNhbXBsZSBub25jZQ==";
	assert_int_equal(ws_handshake_check("GET", "websocket", "Upgrade", "13", key, err, sizeof(err)), 0);
	assert_int_equal(ws_handshake_check("GET", "WebSocket", "keep-alive, Upgrade", "13", key, err, sizeof(err)), 0);

	assert_int_equal(ws_handshake_check("POST", "websocket", "Upgrade", "13", key, err, sizeof(err)), 400);
	assert_non_null(strstr(err, "GET"));
	assert_int_equal(ws_handshake_check("GET", NULL, "Upgrade", "13", key, err, sizeof(err)), 400);
	assert_non_null(strstr(err, "Upgrade"));
	assert_int_equal(ws_handshake_check("GET", "h2c", "Upgrade", "13", key, err, sizeof(err)), 400);
	assert_int_equal(ws_handshake_check("GET", "websocket", "keep-alive", "13", key, err, sizeof(err)), 400);
	assert_non_null(strstr(err, "Connection"));
	assert_int_equal(ws_handshake_check("GET", "websocket", "Upgrade", "8", key, err, sizeof(err)), 426);
	assert_non_null(strstr(err, "Sec-WebSocket-Version"));
	assert_int_equal(ws_handshake_check("GET", "websocket", "Upgrade", NULL, key, err, sizeof(err)), 426);
	assert_int_equal(ws_handshake_check("GET", "websocket", "Upgrade", "13", "short", err, sizeof(err)), 400);
	assert_non_null(strstr(err, "Sec-WebSocket-Key"));
	assert_int_equal(ws_handshake_check("GET", "websocket", "Upgrade", "13", NULL, err, sizeof(err)), 400);
}

static void test_server_response(void **state)
{
	(void)state;
	char out[256];
	size_t n = ws_handshake_response(out, sizeof(out), "dGhlIHNhbXBsZSBub25jZQ==");
	assert_true(n > 0);
	assert_int_equal(strlen(out), n);
	assert_non_null(strstr(out, "HTTP/1.1 101 Switching Protocols\r\n"));
	assert_non_null(strstr(out, "\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"));
	assert_int_equal(memcmp(out + n - 4, "\r\n\r\n", 4), 0);
	assert_int_equal(ws_handshake_response(out, 20, "dGhlIHNhbXBsZSBub25jZQ=="), 0);
	assert_int_equal(ws_handshake_response(out, sizeof(out), "bad"), 0);
}

static void test_client_round_trip(void **state)
{
	(void)state;
	const uint8_t nonce[16] = { 't', 'h', 'e', ' ', 's', 'a', 'm', 'p', 'l', 'e', ' ', 'n', 'o', 'n', 'c', 'e' };
	char req[512], key[WS_KEY_LEN + 1], err[256];
	size_t n = ws_handshake_client_request(req, sizeof(req), "127.0.0.1:8080", "/ws", nonce, key);
	assert_true(n > 0);
	assert_string_equal(key, "dGhlIHNhbXBsZSBub25jZQ==");
	assert_non_null(strstr(req, "GET /ws HTTP/1.1\r\n"));
	assert_non_null(strstr(req, "\r\nHost: 127.0.0.1:8080\r\n"));
	assert_non_null(strstr(req, "\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"));
	assert_non_null(strstr(req, "\r\nSec-WebSocket-Version: 13\r\n"));
	assert_int_equal(ws_handshake_client_request(req, 40, "h", "/ws", nonce, key), 0);

	char resp[512];
	size_t rn = ws_handshake_response(resp, sizeof(resp), key);
	/* a frame right behind the head is not part of it */
	memcpy(resp + rn, "\x81\x01x", 3);
	for (size_t i = 0; i < rn; i++)
		assert_int_equal(ws_handshake_client_verify(resp, i, key, err, sizeof(err)), 0);
	assert_int_equal(ws_handshake_client_verify(resp, rn + 3, key, err, sizeof(err)), (long)rn);

	/* wrong key: the accept value does not match */
	assert_int_equal(ws_handshake_client_verify(resp, rn, "AAAAAAAAAAAAAAAAAAAAAA==", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "Sec-WebSocket-Accept"));

	const char *refused = "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n";
	assert_int_equal(ws_handshake_client_verify(refused, strlen(refused), key, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "403"));

	char ext[512];
	snprintf(ext, sizeof(ext),
		"HTTP/1.1 101 Switching Protocols\r\nupgrade: WebSocket\r\nconnection: upgrade\r\n"
		"sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n");
	assert_int_equal(ws_handshake_client_verify(ext, strlen(ext), key, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "extension"));

	const char *noup = "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n"
			   "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";
	assert_int_equal(ws_handshake_client_verify(noup, strlen(noup), key, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "Upgrade"));

	/* a head that never ends is refused once it passes 8 KiB */
	static char junk[9000];
	memset(junk, 'a', sizeof(junk));
	assert_int_equal(ws_handshake_client_verify(junk, sizeof(junk), key, err, sizeof(err)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc_example_accept),
		cmocka_unit_test(test_key_validation),
		cmocka_unit_test(test_header_tokens),
		cmocka_unit_test(test_request_checks),
		cmocka_unit_test(test_server_response),
		cmocka_unit_test(test_client_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
