/*
 * ws_frame — the RFC 6455 frame codec, for either role. Pure functions over
 * byte buffers: nothing here reads a socket, so the host's server hub and
 * the exchange connectors (clients) share it.
 *
 * Roles: `role` is always *our* side of the connection. A server expects
 * masked frames and sends unmasked ones; a client the reverse (RFC 6455
 * 5.1: the wrong masking is a protocol error, close code 1002).
 *
 * Reading: ws_reader_feed() takes the bytes received so far, decodes whole
 * frames, unmasks them in place, reassembles fragmented messages (size
 * limit -> 1009), validates UTF-8 of text messages across fragments (->
 * 1007) and returns the next event: a complete message, a control frame,
 * "need more bytes", or an error carrying the close code to send.
 *
 * Writing: ws_frame_encode() builds one frame; a client masks it with a key
 * from the caller's key source (use a strong random source: RFC 6455 10.3).
 */
#ifndef HOST_WS_WS_FRAME_H
#define HOST_WS_WS_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ws/ws_utf8.h"

typedef enum ws_role { WS_ROLE_SERVER = 0, WS_ROLE_CLIENT = 1 } ws_role;

typedef enum ws_opcode {
	WS_OP_CONTINUATION = 0x0,
	WS_OP_TEXT = 0x1,
	WS_OP_BINARY = 0x2,
	WS_OP_CLOSE = 0x8,
	WS_OP_PING = 0x9,
	WS_OP_PONG = 0xA,
} ws_opcode;

/* Close codes (RFC 6455 7.4.1). 1005 and 1006 are never sent on the wire. */
enum {
	WS_CLOSE_NORMAL = 1000,
	WS_CLOSE_GOING_AWAY = 1001,
	WS_CLOSE_PROTOCOL = 1002,
	WS_CLOSE_UNSUPPORTED = 1003,
	WS_CLOSE_NO_STATUS = 1005,
	WS_CLOSE_ABNORMAL = 1006,
	WS_CLOSE_INVALID_DATA = 1007,
	WS_CLOSE_POLICY = 1008,
	WS_CLOSE_TOO_BIG = 1009,
	WS_CLOSE_MANDATORY_EXT = 1010,
	WS_CLOSE_INTERNAL = 1011,
};

#define WS_MAX_HEADER 14        /* 2 + 8 (64-bit length) + 4 (mask key) */
#define WS_MAX_CONTROL_PAYLOAD 125

/* ---- frame headers ------------------------------------------------------ */

typedef struct ws_frame_header {
	bool fin;
	uint8_t rsv;          /* RSV1..3 as bits 0x4, 0x2, 0x1 */
	uint8_t opcode;
	bool masked;
	uint8_t mask[4];
	uint64_t payload_len;
	size_t header_len;    /* bytes of the header, 2..14 */
} ws_frame_header;

/* Parse a frame header from buf. Returns 1 with *h filled, 0 if more bytes
 * are needed, -1 if the bytes can never be a header (the 64-bit length has
 * its most significant bit set: RFC 6455 5.2). Checks nothing else: the
 * protocol rules are applied by ws_frame_check(). */
int ws_frame_header_parse(const uint8_t *buf, size_t len, ws_frame_header *h);

/* Apply the per-frame rules for a frame received by `role`: reserved bits
 * (no extension is negotiated), known opcodes, masking direction, control
 * frames at most 125 bytes and not fragmented. Returns 0, or the close code
 * (1002) with *why set to a static description. */
uint16_t ws_frame_check(const ws_frame_header *h, ws_role role, const char **why);

/* Encode a header into out. `mask` NULL means unmasked. Returns its length. */
size_t ws_frame_header_encode(uint8_t out[WS_MAX_HEADER], bool fin, ws_opcode op, uint64_t payload_len,
	const uint8_t *mask);

/* XOR data with the mask key; `offset` is the position of data[0] within the
 * frame payload, so a payload can be (un)masked in pieces. */
void ws_mask(uint8_t *data, size_t len, const uint8_t key[4], uint64_t offset);

/* ---- whole frames ------------------------------------------------------- */

/* The caller's source of client masking keys (4 unpredictable bytes). */
typedef void (*ws_mask_key_fn)(void *arg, uint8_t key[4]);

/* Bytes needed for a frame of `payload_len` sent by `role`. */
size_t ws_frame_size(ws_role role, size_t payload_len);

/* Encode one frame sent by `role` into out. A client needs key_fn (every
 * frame gets a fresh key). Control frames must be final and at most 125
 * bytes. Returns the frame size, or 0 when a rule is broken, the opcode is
 * unknown or cap is too small. */
size_t ws_frame_encode(uint8_t *out, size_t cap, ws_role role, ws_mask_key_fn key_fn, void *key_arg, bool fin,
	ws_opcode op, const void *payload, size_t payload_len);

/* ---- close frames ------------------------------------------------------- */

/* True for a code that may appear in a received close frame: 1000-1003,
 * 1007-1011 (1012-1014 are registered by IANA too), 3000-4999. */
bool ws_close_code_valid(uint16_t code);

/* Parse a close frame payload. Empty: *code = 1005, no reason. Returns 0,
 * or the code to close with: 1002 for a 1-byte payload or an invalid code,
 * 1007 for a reason that is not UTF-8. */
uint16_t ws_close_parse(const uint8_t *payload, size_t len, uint16_t *code, const char **reason,
	size_t *reason_len);

/* Build a close payload (code + reason, the reason cut at a code point
 * boundary to fit 125 bytes). code 0 or 1005 gives an empty payload.
 * Returns its length. */
size_t ws_close_payload(uint8_t out[WS_MAX_CONTROL_PAYLOAD], uint16_t code, const char *reason);

/* ---- reading messages --------------------------------------------------- */

typedef enum ws_event_type {
	WS_EV_NEED_MORE = 0, /* no complete frame yet: feed more bytes */
	WS_EV_TEXT,          /* a complete text message (valid UTF-8) */
	WS_EV_BINARY,        /* a complete binary message */
	WS_EV_PING,
	WS_EV_PONG,
	WS_EV_CLOSE,         /* a valid close frame: close_code, reason */
	WS_EV_ERROR,         /* protocol violation: close with close_code; the reader stays failed */
} ws_event_type;

typedef struct ws_event {
	ws_event_type type;
	const uint8_t *data; /* message or control payload, unmasked; valid until the next feed */
	size_t len;
	uint16_t close_code; /* CLOSE: the peer's code (1005 if none); ERROR: the code to send */
	const char *reason;  /* CLOSE: the peer's reason (not NUL-terminated); ERROR: static text */
	size_t reason_len;
} ws_event;

typedef struct ws_reader {
	ws_role role;
	size_t max_message;     /* data message limit (after reassembly) */
	bool failed;
	uint16_t fail_code;
	const char *fail_why;
	/* the fragmented message being reassembled */
	bool in_message;
	uint8_t msg_opcode;
	uint8_t *buf;
	size_t len, cap;
	ws_utf8_state utf8;
} ws_reader;

void ws_reader_init(ws_reader *r, ws_role role, size_t max_message);
void ws_reader_free(ws_reader *r);

/* Decode from buf (len bytes received and not yet consumed). Masked
 * payloads are unmasked in place. Returns the bytes consumed (drop them
 * from the input) and fills *ev. Fragments are absorbed without an event,
 * so one call consumes every frame up to the next event. An event's data
 * may point into buf, so use it before changing buf or feeding again. */
size_t ws_reader_feed(ws_reader *r, uint8_t *buf, size_t len, ws_event *ev);

#endif
