/* Frame decoding and message reassembly (ws_reader_* in ws_frame.h). */
#include "ws/ws_frame.h"

#include <stdlib.h>
#include <string.h>

void ws_reader_init(ws_reader *r, ws_role role, size_t max_message)
{
	memset(r, 0, sizeof(*r));
	r->role = role;
	r->max_message = max_message;
	ws_utf8_init(&r->utf8);
}

void ws_reader_free(ws_reader *r)
{
	free(r->buf);
	r->buf = NULL;
	r->len = r->cap = 0;
}

static size_t fail(ws_reader *r, ws_event *ev, size_t consumed, uint16_t code, const char *why)
{
	r->failed = true;
	r->fail_code = code;
	r->fail_why = why;
	ev->type = WS_EV_ERROR;
	ev->close_code = code;
	ev->reason = why;
	ev->reason_len = strlen(why);
	return consumed;
}

static bool append(ws_reader *r, const uint8_t *p, size_t n)
{
	if (n == 0)
		return true;
	if (r->len + n > r->cap) {
		size_t cap = r->cap ? r->cap : 256;
		while (cap < r->len + n)
			cap *= 2;
		uint8_t *nb = realloc(r->buf, cap);
		if (!nb)
			return false;
		r->buf = nb;
		r->cap = cap;
	}
	memcpy(r->buf + r->len, p, n);
	r->len += n;
	return true;
}

/* A data frame (already checked against the message sequence and the size limit) whose
 * payload is unmasked at p: start, continue or finish a message. Returns true when ev holds
 * a complete message; false with *err 0 when a fragment was absorbed. */
static bool data_frame(ws_reader *r, const ws_frame_header *h, const uint8_t *p, size_t n, ws_event *ev,
	uint16_t *err, const char **why)
{
	*err = 0;
	if (h->opcode != WS_OP_CONTINUATION) {
		r->msg_opcode = h->opcode;
		r->len = 0;
		ws_utf8_init(&r->utf8);
	}
	if (r->msg_opcode == WS_OP_TEXT) {
		if (!ws_utf8_feed(&r->utf8, p, n) || (h->fin && !ws_utf8_complete(&r->utf8))) {
			*err = WS_CLOSE_INVALID_DATA;
			*why = "text message is not valid UTF-8";
			return false;
		}
	}
	if (h->fin && !r->in_message) {
		/* Unfragmented: hand out the payload where it lies, no copy. */
		ev->data = p;
		ev->len = n;
	} else {
		if (!append(r, p, n)) {
			*err = WS_CLOSE_INTERNAL;
			*why = "out of memory reassembling a message";
			return false;
		}
		if (!h->fin) {
			r->in_message = true;
			return false;
		}
		ev->data = r->buf;
		ev->len = r->len;
		r->in_message = false;
	}
	ev->type = r->msg_opcode == WS_OP_TEXT ? WS_EV_TEXT : WS_EV_BINARY;
	return true;
}

size_t ws_reader_feed(ws_reader *r, uint8_t *buf, size_t len, ws_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	if (r->failed)
		return fail(r, ev, 0, r->fail_code, r->fail_why);
	size_t off = 0;
	for (;;) {
		ws_frame_header h;
		int rc = ws_frame_header_parse(buf + off, len - off, &h);
		if (rc < 0)
			return fail(r, ev, off, WS_CLOSE_PROTOCOL, "payload length has its most significant bit set");
		if (rc == 0) {
			ev->type = WS_EV_NEED_MORE;
			return off;
		}
		const char *why;
		uint16_t code = ws_frame_check(&h, r->role, &why);
		if (code)
			return fail(r, ev, off, code, why);
		/* Sequence and size of data frames are judged from the header, before the payload
		 * arrives, so a peer cannot make us wait for (or buffer) bytes we would refuse. */
		if (!(h.opcode & 0x8)) {
			if (h.opcode == WS_OP_CONTINUATION && !r->in_message)
				return fail(r, ev, off, WS_CLOSE_PROTOCOL, "continuation frame without a message in progress");
			if (h.opcode != WS_OP_CONTINUATION && r->in_message)
				return fail(r, ev, off, WS_CLOSE_PROTOCOL,
					"new message started before the fragmented one finished");
			size_t have = r->in_message ? r->len : 0; /* never above max_message */
			if (h.payload_len > (uint64_t)(r->max_message - have))
				return fail(r, ev, off, WS_CLOSE_TOO_BIG, "message exceeds the size limit");
		}
		size_t n = (size_t)h.payload_len;
		if (len - off - h.header_len < n) {
			ev->type = WS_EV_NEED_MORE;
			return off;
		}
		uint8_t *p = buf + off + h.header_len;
		if (h.masked)
			ws_mask(p, n, h.mask, 0);
		size_t start = off; /* errors report the bytes before the offending frame as consumed */
		off += h.header_len + n;

		switch (h.opcode) {
		case WS_OP_PING:
		case WS_OP_PONG:
			ev->type = h.opcode == WS_OP_PING ? WS_EV_PING : WS_EV_PONG;
			ev->data = p;
			ev->len = n;
			return off;
		case WS_OP_CLOSE: {
			uint16_t peer;
			const char *reason;
			size_t rlen;
			uint16_t bad = ws_close_parse(p, n, &peer, &reason, &rlen);
			if (bad)
				return fail(r, ev, start, bad,
					bad == WS_CLOSE_INVALID_DATA ? "close reason is not valid UTF-8"
								     : "invalid close frame payload");
			ev->type = WS_EV_CLOSE;
			ev->data = p;
			ev->len = n;
			ev->close_code = peer;
			ev->reason = reason;
			ev->reason_len = rlen;
			return off;
		}
		default:
			if (data_frame(r, &h, p, n, ev, &code, &why))
				return off;
			if (code)
				return fail(r, ev, start, code, why);
			break; /* a fragment was absorbed: look at the next frame */
		}
	}
}
