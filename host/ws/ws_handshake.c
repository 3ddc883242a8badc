/* The RFC 6455 opening handshake, server and client side (ws_handshake.h). */
#include "ws/ws_handshake.h"

#include <openssl/evp.h>

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* RFC 6455 1.3: the fixed GUID appended to the client's key. */
static const char ws_guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

#define WS_MAX_RESPONSE_HEAD 8192

static bool b64_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

bool ws_handshake_key_valid(const char *key)
{
	if (!key || strlen(key) != WS_KEY_LEN)
		return false;
	for (int i = 0; i < 22; i++)
		if (!b64_char(key[i]))
			return false;
	return key[22] == '=' && key[23] == '=';
}

int ws_handshake_accept(const char *key, char out[WS_ACCEPT_LEN + 1])
{
	char buf[128];
	size_t klen = strlen(key);
	if (klen + sizeof(ws_guid) > sizeof(buf))
		return -1;
	memcpy(buf, key, klen);
	memcpy(buf + klen, ws_guid, sizeof(ws_guid) - 1);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	if (EVP_Digest(buf, klen + sizeof(ws_guid) - 1, md, &mdlen, EVP_sha1(), NULL) != 1 || mdlen != 20)
		return -1;
	if (EVP_EncodeBlock((unsigned char *)out, md, 20) != WS_ACCEPT_LEN)
		return -1;
	out[WS_ACCEPT_LEN] = '\0';
	return 0;
}

bool ws_header_has_token(const char *value, const char *token)
{
	if (!value)
		return false;
	size_t tlen = strlen(token);
	const char *p = value;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		const char *start = p;
		while (*p && *p != ',')
			p++;
		const char *end = p;
		while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if ((size_t)(end - start) == tlen && strncasecmp(start, token, tlen) == 0)
			return true;
	}
	return false;
}

int ws_handshake_check(const char *method, const char *upgrade, const char *connection, const char *version,
	const char *key, char *err, size_t errlen)
{
	if (!method || strcmp(method, "GET") != 0) {
		snprintf(err, errlen, "a WebSocket upgrade must be a GET request, not %s", method ? method : "(none)");
		return 400;
	}
	if (!ws_header_has_token(upgrade, "websocket")) {
		snprintf(err, errlen, "header Upgrade: websocket is missing (got %s)", upgrade ? upgrade : "none");
		return 400;
	}
	if (!ws_header_has_token(connection, "upgrade")) {
		snprintf(err, errlen, "header Connection must contain \"Upgrade\" (got %s)",
			connection ? connection : "none");
		return 400;
	}
	if (!version || strcmp(version, "13") != 0) {
		snprintf(err, errlen, "unsupported Sec-WebSocket-Version %s (this server speaks 13)",
			version ? version : "(none)");
		return 426;
	}
	if (!ws_handshake_key_valid(key)) {
		snprintf(err, errlen, "Sec-WebSocket-Key must be base64 of 16 bytes (got %s)", key ? key : "none");
		return 400;
	}
	return 0;
}

size_t ws_handshake_response(char *out, size_t cap, const char *key)
{
	char accept[WS_ACCEPT_LEN + 1];
	if (!ws_handshake_key_valid(key) || ws_handshake_accept(key, accept) != 0)
		return 0;
	int n = snprintf(out, cap,
		"HTTP/1.1 101 Switching Protocols\r\n"
		"Upgrade: websocket\r\n"
		"Connection: Upgrade\r\n"
		"Sec-WebSocket-Accept: %s\r\n"
		"\r\n",
		accept);
	return (n < 0 || (size_t)n >= cap) ? 0 : (size_t)n;
}

size_t ws_handshake_client_request(char *out, size_t cap, const char *host, const char *path,
	const uint8_t nonce[16], char key_out[WS_KEY_LEN + 1])
{
	if (EVP_EncodeBlock((unsigned char *)key_out, nonce, 16) != WS_KEY_LEN)
		return 0;
	key_out[WS_KEY_LEN] = '\0';
	int n = snprintf(out, cap,
		"GET %s HTTP/1.1\r\n"
		"Host: %s\r\n"
		"Upgrade: websocket\r\n"
		"Connection: Upgrade\r\n"
		"Sec-WebSocket-Key: %s\r\n"
		"Sec-WebSocket-Version: 13\r\n"
		"\r\n",
		path, host, key_out);
	return (n < 0 || (size_t)n >= cap) ? 0 : (size_t)n;
}

/* The value of header `name` in the response head [p, end), copied into out. */
static bool find_header(const char *p, const char *end, const char *name, char *out, size_t outlen)
{
	size_t nlen = strlen(name);
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		if ((size_t)(eol - p) > nlen && strncasecmp(p, name, nlen) == 0 && p[nlen] == ':') {
			const char *v = p + nlen + 1;
			const char *ve = eol;
			while (v < ve && (*v == ' ' || *v == '\t'))
				v++;
			while (ve > v && (ve[-1] == '\r' || ve[-1] == ' ' || ve[-1] == '\t'))
				ve--;
			size_t n = (size_t)(ve - v);
			if (n >= outlen)
				n = outlen - 1;
			memcpy(out, v, n);
			out[n] = '\0';
			return true;
		}
		p = eol + 1;
	}
	return false;
}

long ws_handshake_client_verify(const char *buf, size_t len, const char *key, char *err, size_t errlen)
{
	const char *end = NULL;
	size_t scan = len < WS_MAX_RESPONSE_HEAD ? len : WS_MAX_RESPONSE_HEAD;
	for (size_t i = 0; i + 3 < scan; i++) {
		if (buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' && buf[i + 3] == '\n') {
			end = buf + i + 4;
			break;
		}
	}
	if (!end) {
		if (len >= WS_MAX_RESPONSE_HEAD) {
			snprintf(err, errlen, "handshake response head longer than %d bytes", WS_MAX_RESPONSE_HEAD);
			return -1;
		}
		return 0;
	}
	int status = 0;
	if (strncmp(buf, "HTTP/1.1 ", 9) != 0 || !isdigit((unsigned char)buf[9]) ||
		sscanf(buf + 9, "%3d", &status) != 1) {
		snprintf(err, errlen, "handshake response is not HTTP/1.1");
		return -1;
	}
	if (status != 101) {
		snprintf(err, errlen, "server refused the WebSocket upgrade with HTTP %d", status);
		return -1;
	}
	const char *hdrs = memchr(buf, '\n', (size_t)(end - buf));
	hdrs = hdrs ? hdrs + 1 : end;
	char v[256];
	if (!find_header(hdrs, end, "Upgrade", v, sizeof(v)) || !ws_header_has_token(v, "websocket")) {
		snprintf(err, errlen, "handshake response lacks Upgrade: websocket");
		return -1;
	}
	if (!find_header(hdrs, end, "Connection", v, sizeof(v)) || !ws_header_has_token(v, "upgrade")) {
		snprintf(err, errlen, "handshake response lacks Connection: Upgrade");
		return -1;
	}
	char want[WS_ACCEPT_LEN + 1];
	if (ws_handshake_accept(key, want) != 0) {
		snprintf(err, errlen, "cannot compute Sec-WebSocket-Accept");
		return -1;
	}
	if (!find_header(hdrs, end, "Sec-WebSocket-Accept", v, sizeof(v)) || strcmp(v, want) != 0) {
		snprintf(err, errlen, "Sec-WebSocket-Accept is missing or wrong (want %s)", want);
		return -1;
	}
	/* We offer no extension and no subprotocol, so the server must not pick one (RFC 6455 4.1). */
	if (find_header(hdrs, end, "Sec-WebSocket-Extensions", v, sizeof(v))) {
		snprintf(err, errlen, "server selected extension %s that was not offered", v);
		return -1;
	}
	if (find_header(hdrs, end, "Sec-WebSocket-Protocol", v, sizeof(v))) {
		snprintf(err, errlen, "server selected subprotocol %s that was not offered", v);
		return -1;
	}
	return (long)(end - buf);
}
