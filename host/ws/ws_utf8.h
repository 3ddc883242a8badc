/*
 * Incremental UTF-8 validation for WebSocket text messages (RFC 6455 8.1):
 * a message may be split across fragments at any byte, and an invalid
 * sequence must be reported as soon as it is seen (fail fast), so the state
 * carries a partly read code point from one call to the next.
 */
#ifndef HOST_WS_WS_UTF8_H
#define HOST_WS_WS_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ws_utf8_state {
	uint8_t need; /* continuation bytes still expected for the current code point */
	uint8_t lo;   /* allowed range of the next continuation byte (rules out */
	uint8_t hi;   /* overlong forms, surrogates and code points above U+10FFFF) */
} ws_utf8_state;

static inline void ws_utf8_init(ws_utf8_state *s)
{
	s->need = 0;
	s->lo = 0x80;
	s->hi = 0xBF;
}

/* Feed bytes; false as soon as they cannot be part of valid UTF-8. */
bool ws_utf8_feed(ws_utf8_state *s, const uint8_t *p, size_t len);

/* True when the bytes fed so far end on a code point boundary. */
static inline bool ws_utf8_complete(const ws_utf8_state *s)
{
	return s->need == 0;
}

/* Whole-buffer check. */
bool ws_utf8_valid(const uint8_t *p, size_t len);

#endif
