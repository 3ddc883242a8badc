/* Frame headers, masking, whole-frame encoding and close payloads (ws_frame.h). */
#include "ws/ws_frame.h"

#include <string.h>

int ws_frame_header_parse(const uint8_t *buf, size_t len, ws_frame_header *h)
{
	if (len < 2)
		return 0;
	h->fin = (buf[0] & 0x80) != 0;
	h->rsv = (uint8_t)((buf[0] >> 4) & 0x7);
	h->opcode = buf[0] & 0x0F;
	h->masked = (buf[1] & 0x80) != 0;
	uint8_t len7 = buf[1] & 0x7F;
	size_t need = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + (h->masked ? 4 : 0);
	if (len < need)
		return 0;
	size_t pos = 2;
	if (len7 == 126) {
		h->payload_len = ((uint64_t)buf[2] << 8) | buf[3];
		pos = 4;
	} else if (len7 == 127) {
		if (buf[2] & 0x80)
			return -1; /* RFC 6455 5.2: the most significant bit must be 0 */
		uint64_t v = 0;
		for (int i = 0; i < 8; i++)
			v = (v << 8) | buf[2 + i];
		h->payload_len = v;
		pos = 10;
	} else {
		h->payload_len = len7;
	}
	if (h->masked) {
		memcpy(h->mask, buf + pos, 4);
		pos += 4;
	} else {
		memset(h->mask, 0, 4);
	}
	h->header_len = pos;
	return 1;
}

static bool opcode_known(uint8_t op)
{
	return op == WS_OP_CONTINUATION || op == WS_OP_TEXT || op == WS_OP_BINARY || op == WS_OP_CLOSE ||
		op == WS_OP_PING || op == WS_OP_PONG;
}

uint16_t ws_frame_check(const ws_frame_header *h, ws_role role, const char **why)
{
	if (h->rsv) {
		*why = "reserved bits set but no extension was negotiated";
		return WS_CLOSE_PROTOCOL;
	}
	if (!opcode_known(h->opcode)) {
		*why = "reserved opcode";
		return WS_CLOSE_PROTOCOL;
	}
	if (role == WS_ROLE_SERVER && !h->masked) {
		*why = "client frame is not masked";
		return WS_CLOSE_PROTOCOL;
	}
	if (role == WS_ROLE_CLIENT && h->masked) {
		*why = "server frame is masked";
		return WS_CLOSE_PROTOCOL;
	}
	if (h->opcode & 0x8) {
		if (h->payload_len > WS_MAX_CONTROL_PAYLOAD) {
			*why = "control frame payload longer than 125 bytes";
			return WS_CLOSE_PROTOCOL;
		}
		if (!h->fin) {
			*why = "fragmented control frame";
			return WS_CLOSE_PROTOCOL;
		}
	}
	*why = NULL;
	return 0;
}

size_t ws_frame_header_encode(uint8_t out[WS_MAX_HEADER], bool fin, ws_opcode op, uint64_t payload_len,
	const uint8_t *mask)
{
	size_t pos;
	out[0] = (uint8_t)((fin ? 0x80 : 0) | (op & 0x0F));
	uint8_t mbit = mask ? 0x80 : 0;
	if (payload_len < 126) {
		out[1] = (uint8_t)(mbit | payload_len);
		pos = 2;
	} else if (payload_len <= 0xFFFF) {
		out[1] = mbit | 126;
		out[2] = (uint8_t)(payload_len >> 8);
		out[3] = (uint8_t)payload_len;
		pos = 4;
	} else {
		out[1] = mbit | 127;
		for (int i = 0; i < 8; i++)
			out[2 + i] = (uint8_t)(payload_len >> (56 - 8 * i));
		pos = 10;
	}
	if (mask) {
		memcpy(out + pos, mask, 4);
		pos += 4;
	}
	return pos;
}

void ws_mask(uint8_t *data, size_t len, const uint8_t key[4], uint64_t offset)
{
	size_t i = 0;
	/* Word at a time once aligned to the key: the rotated key repeats every 4 bytes. */
	uint8_t rot[8];
	for (int k = 0; k < 8; k++)
		rot[k] = key[(offset + (uint64_t)k) & 3];
	uint64_t w8;
	memcpy(&w8, rot, 8);
	for (; i + 8 <= len; i += 8) {
		uint64_t d;
		memcpy(&d, data + i, 8);
		d ^= w8;
		memcpy(data + i, &d, 8);
	}
	for (; i < len; i++)
		data[i] ^= rot[i & 7];
}

size_t ws_frame_size(ws_role role, size_t payload_len)
{
	size_t h = payload_len < 126 ? 2 : payload_len <= 0xFFFF ? 4 : 10;
	return h + (role == WS_ROLE_CLIENT ? 4 : 0) + payload_len;
}

size_t ws_frame_encode(uint8_t *out, size_t cap, ws_role role, ws_mask_key_fn key_fn, void *key_arg, bool fin,
	ws_opcode op, const void *payload, size_t payload_len)
{
	if (!opcode_known((uint8_t)op))
		return 0;
	if ((op & 0x8) && (!fin || payload_len > WS_MAX_CONTROL_PAYLOAD))
		return 0;
	if (role == WS_ROLE_CLIENT && !key_fn)
		return 0;
	size_t total = ws_frame_size(role, payload_len);
	if (total < payload_len || cap < total)
		return 0;
	uint8_t key[4];
	if (role == WS_ROLE_CLIENT)
		key_fn(key_arg, key);
	size_t h = ws_frame_header_encode(out, fin, op, payload_len, role == WS_ROLE_CLIENT ? key : NULL);
	if (payload_len)
		memmove(out + h, payload, payload_len);
	if (role == WS_ROLE_CLIENT)
		ws_mask(out + h, payload_len, key, 0);
	return total;
}

bool ws_close_code_valid(uint16_t code)
{
	if (code >= 3000 && code <= 4999)
		return true; /* registered (3xxx) and private (4xxx) codes */
	switch (code) {
	case 1000: case 1001: case 1002: case 1003:
	case 1007: case 1008: case 1009: case 1010: case 1011:
	case 1012: case 1013: case 1014:
		return true;
	default:
		return false; /* 1004-1006 and 1015 are reserved, the rest unassigned */
	}
}

uint16_t ws_close_parse(const uint8_t *payload, size_t len, uint16_t *code, const char **reason,
	size_t *reason_len)
{
	*reason = "";
	*reason_len = 0;
	if (len == 0) {
		*code = WS_CLOSE_NO_STATUS;
		return 0;
	}
	if (len == 1) {
		*code = 0;
		return WS_CLOSE_PROTOCOL; /* a code is two bytes */
	}
	*code = (uint16_t)((payload[0] << 8) | payload[1]);
	if (!ws_close_code_valid(*code))
		return WS_CLOSE_PROTOCOL;
	if (!ws_utf8_valid(payload + 2, len - 2))
		return WS_CLOSE_INVALID_DATA;
	*reason = (const char *)payload + 2;
	*reason_len = len - 2;
	return 0;
}

size_t ws_close_payload(uint8_t out[WS_MAX_CONTROL_PAYLOAD], uint16_t code, const char *reason)
{
	if (code == 0 || code == WS_CLOSE_NO_STATUS)
		return 0;
	out[0] = (uint8_t)(code >> 8);
	out[1] = (uint8_t)code;
	size_t n = reason ? strlen(reason) : 0;
	if (n > WS_MAX_CONTROL_PAYLOAD - 2) {
		n = WS_MAX_CONTROL_PAYLOAD - 2;
		/* step back over continuation bytes so the cut is on a code point boundary */
		while (n > 0 && ((uint8_t)reason[n] & 0xC0) == 0x80)
			n--;
	}
	if (n)
		memcpy(out + 2, reason, n);
	return 2 + n;
}
