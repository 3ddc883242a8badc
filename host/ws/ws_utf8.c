/* Incremental UTF-8 validation (see ws_utf8.h). */
#include "ws/ws_utf8.h"

#include <string.h>

bool ws_utf8_feed(ws_utf8_state *s, const uint8_t *p, size_t len)
{
	size_t i = 0;
	while (i < len) {
		if (s->need == 0) {
			/* Market data and control messages are almost all ASCII: skip it 8 bytes at a time. */
			while (len - i >= 8) {
				uint64_t w;
				memcpy(&w, p + i, 8);
				if (w & UINT64_C(0x8080808080808080))
					break;
				i += 8;
			}
			if (i == len)
				break;
			uint8_t b = p[i++];
			if (b < 0x80)
				continue;
			s->lo = 0x80;
			s->hi = 0xBF;
			if (b >= 0xC2 && b <= 0xDF) {
				s->need = 1;
			} else if (b >= 0xE0 && b <= 0xEF) {
				s->need = 2;
				if (b == 0xE0)
					s->lo = 0xA0; /* overlong */
				else if (b == 0xED)
					s->hi = 0x9F; /* UTF-16 surrogates */
			} else if (b >= 0xF0 && b <= 0xF4) {
				s->need = 3;
				if (b == 0xF0)
					s->lo = 0x90; /* overlong */
				else if (b == 0xF4)
					s->hi = 0x8F; /* above U+10FFFF */
			} else {
				return false; /* 0x80..0xC1 as a lead byte, or 0xF5..0xFF */
			}
		} else {
			uint8_t b = p[i++];
			if (b < s->lo || b > s->hi)
				return false;
			s->need--;
			s->lo = 0x80;
			s->hi = 0xBF;
		}
	}
	return true;
}

bool ws_utf8_valid(const uint8_t *p, size_t len)
{
	ws_utf8_state s;
	ws_utf8_init(&s);
	return ws_utf8_feed(&s, p, len) && ws_utf8_complete(&s);
}
