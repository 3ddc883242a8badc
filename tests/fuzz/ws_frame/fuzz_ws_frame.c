/*
 * Fuzz target for the WebSocket frame decoder and message reassembly (host/ws/ws_frame.h).
 * The first input byte picks the role, the message limit and how the rest is split into
 * reads; the rest is the byte stream from the peer. Any stream must end in "need more" or
 * one error with a valid close code; it must never crash, read out of bounds, leak, or
 * break the codec's own promises, which are checked here:
 *  - consumed bytes never exceed what was given and events never repeat without progress;
 *  - text messages are valid UTF-8, messages respect the limit, control payloads <= 125;
 *  - close codes from the peer are valid; error codes are 1002, 1007, 1009 or 1011;
 *  - splitting the stream differently gives the same events (decoding is incremental);
 *  - every received message re-encoded in the peer's role decodes back to the same bytes.
 */
#include "fuzz_ws_frame.h"

#include "ws/ws_frame.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
	uint64_t hash; /* digest of the event sequence, to compare two splittings */
	size_t events;
} trace;

static void mix(trace *t, uint64_t v)
{
	t->hash = (t->hash ^ v) * 0x100000001b3ULL;
}

static void key_source(void *arg, uint8_t key[4])
{
	(void)arg;
	memcpy(key, "\x12\x34\x56\x78", 4);
}

static void check_event(const ws_event *ev, ws_role role, size_t max)
{
	switch (ev->type) {
	case WS_EV_TEXT:
		if (!ws_utf8_valid(ev->data, ev->len))
			abort();
		/* fall through */
	case WS_EV_BINARY:
		if (ev->len > max)
			abort();
		break;
	case WS_EV_PING:
	case WS_EV_PONG:
		if (ev->len > WS_MAX_CONTROL_PAYLOAD)
			abort();
		break;
	case WS_EV_CLOSE:
		if (ev->close_code != WS_CLOSE_NO_STATUS && !ws_close_code_valid(ev->close_code))
			abort();
		break;
	case WS_EV_ERROR:
		if (ev->close_code != 1002 && ev->close_code != 1007 && ev->close_code != 1009 &&
			ev->close_code != 1011)
			abort();
		break;
	case WS_EV_NEED_MORE:
		break;
	}
	if (ev->type == WS_EV_TEXT || ev->type == WS_EV_BINARY || ev->type == WS_EV_PING) {
		/* Re-encode as the peer would have sent it and decode again as ourselves. */
		ws_role peer = role == WS_ROLE_SERVER ? WS_ROLE_CLIENT : WS_ROLE_SERVER;
		size_t cap = ws_frame_size(peer, ev->len);
		uint8_t *frame = malloc(cap);
		if (!frame)
			return;
		ws_opcode op = ev->type == WS_EV_TEXT ? WS_OP_TEXT : ev->type == WS_EV_BINARY ? WS_OP_BINARY : WS_OP_PING;
		size_t n = ws_frame_encode(frame, cap, peer, key_source, NULL, true, op, ev->data, ev->len);
		if (n != cap)
			abort();
		ws_reader r;
		ws_reader_init(&r, role, max);
		ws_event back;
		if (ws_reader_feed(&r, frame, n, &back) != n || back.len != ev->len ||
			(ev->len && memcmp(back.data, ev->data, ev->len) != 0))
			abort();
		ws_reader_free(&r);
		free(frame);
	}
}

/* Decode `len` bytes delivered in reads of `chunk` bytes, as a socket would. */
static trace run(const uint8_t *data, size_t len, ws_role role, size_t max, size_t chunk)
{
	trace t = { 14695981039346656037ULL, 0 };
	uint8_t *buf = malloc(len ? len : 1);
	if (!buf)
		abort();
	ws_reader r;
	ws_reader_init(&r, role, max);
	size_t have = 0, off = 0;
	bool failed = false;
	while (!failed && have < len) {
		size_t add = len - have < chunk ? len - have : chunk;
		memcpy(buf + have, data + have, add);
		have += add;
		for (;;) {
			ws_event ev;
			size_t used = ws_reader_feed(&r, buf + off, have - off, &ev);
			if (used > have - off)
				abort();
			off += used;
			if (ev.type == WS_EV_NEED_MORE)
				break;
			check_event(&ev, role, max);
			mix(&t, ev.type);
			mix(&t, ev.len);
			mix(&t, ev.close_code);
			for (size_t i = 0; i < ev.len; i++)
				mix(&t, ev.data[i]);
			t.events++;
			if (ev.type == WS_EV_ERROR) {
				failed = true;
				break;
			}
			if (used == 0)
				abort(); /* an event must consume its frame */
		}
	}
	ws_reader_free(&r);
	free(buf);
	return t;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t cfg = data[0];
	ws_role role = (cfg & 1) ? WS_ROLE_CLIENT : WS_ROLE_SERVER;
	static const size_t limits[] = { 0, 1, 16, 125, 1024, 65536 };
	size_t max = limits[(cfg >> 1) % 6];
	size_t chunk = 1 + (cfg >> 4); /* 1..16 bytes per read */
	data++;
	size--;
	trace whole = run(data, size, role, max, size ? size : 1);
	trace split = run(data, size, role, max, chunk);
	if (whole.hash != split.hash || whole.events != split.events)
		abort();
	/* Close payload parser and builder on the same bytes. */
	uint16_t code;
	const char *reason;
	size_t rlen;
	size_t plen = size < WS_MAX_CONTROL_PAYLOAD ? size : WS_MAX_CONTROL_PAYLOAD;
	if (ws_close_parse(data, plen, &code, &reason, &rlen) == 0 && rlen) {
		char text[WS_MAX_CONTROL_PAYLOAD + 1];
		memcpy(text, reason, rlen);
		text[rlen] = '\0';
		uint8_t out[WS_MAX_CONTROL_PAYLOAD];
		size_t n = ws_close_payload(out, code, text);
		if (code != WS_CLOSE_NO_STATUS && strlen(text) == rlen && (n != 2 + rlen || memcmp(out + 2, text, rlen)))
			abort();
	}
	return 0;
}
