/*
 * ws_handshake — the opening handshake of RFC 6455 section 4, both sides.
 *
 * Server: ws_handshake_check() judges the request headers (the hub calls it
 * with what the HTTP server parsed), ws_handshake_accept() computes
 * Sec-WebSocket-Accept = base64(SHA-1(key + GUID)).
 * Client: ws_handshake_client_request() writes the GET request with a fresh
 * key, ws_handshake_client_verify() checks the server's 101 reply.
 */
#ifndef HOST_WS_WS_HANDSHAKE_H
#define HOST_WS_WS_HANDSHAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WS_KEY_LEN 24    /* base64 of 16 bytes */
#define WS_ACCEPT_LEN 28 /* base64 of a 20-byte SHA-1 */

/* True if key is base64 of exactly 16 bytes (RFC 6455 4.2.1 item 5). */
bool ws_handshake_key_valid(const char *key);

/* out gets the 28-character accept value and a NUL. Returns 0, -1 if
 * hashing failed. */
int ws_handshake_accept(const char *key, char out[WS_ACCEPT_LEN + 1]);

/* True if the comma-separated header value contains token (case-insensitive). */
bool ws_header_has_token(const char *value, const char *token);

/* Check an upgrade request's method and headers (NULL = absent). Returns 0
 * if it is a valid WebSocket handshake, else the HTTP status to answer (400,
 * or 426 for an unsupported Sec-WebSocket-Version: then answer with
 * "Sec-WebSocket-Version: 13") with err set to a message naming the problem. */
int ws_handshake_check(const char *method, const char *upgrade, const char *connection, const char *version,
	const char *key, char *err, size_t errlen);

/* Write the server's 101 response for key into out. Returns its length, or
 * 0 if cap is too small or the key is invalid. */
size_t ws_handshake_response(char *out, size_t cap, const char *key);

/* Client: write a GET upgrade request for host ("example.com:443") and
 * path ("/ws?x=1"), the key made from the 16 random bytes in nonce (the
 * caller's strong random source). key_out receives the key for
 * ws_handshake_client_verify(). Returns the length, or 0 if cap is too small. */
size_t ws_handshake_client_request(char *out, size_t cap, const char *host, const char *path,
	const uint8_t nonce[16], char key_out[WS_KEY_LEN + 1]);

/* Client: check the server's reply in buf (len bytes received so far).
 * Returns the length of the response head (the bytes that follow are
 * WebSocket frames) when it is a valid 101 for key; 0 if the head is not
 * complete yet; -1 with err set if the server refused or answered wrongly. */
long ws_handshake_client_verify(const char *buf, size_t len, const char *key, char *err, size_t errlen);

#endif
