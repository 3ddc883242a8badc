/*
 * Explicit little-endian encoding for records the host persists (journal
 * payloads): fields are written one by one, never as raw structs, so the
 * format does not depend on padding, and a reader of a short or corrupt
 * record sets `err` instead of reading past the end.
 */
#ifndef HOST_COMMON_CODEC_H
#define HOST_COMMON_CODEC_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct codec_w {
	uint8_t *p;
	size_t len, cap;
	int err;
} codec_w;

typedef struct codec_r {
	const uint8_t *p;
	size_t len, pos;
	int err;
} codec_r;

static inline void cw_bytes(codec_w *w, const void *b, size_t n)
{
	if (w->err || w->len + n > w->cap) {
		w->err = 1;
		return;
	}
	memcpy(w->p + w->len, b, n);
	w->len += n;
}

static inline void cw_u64(codec_w *w, uint64_t v)
{
	uint8_t b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	cw_bytes(w, b, 8);
}

static inline void cw_u32(codec_w *w, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };
	cw_bytes(w, b, 4);
}

static inline void cw_i64(codec_w *w, int64_t v) { cw_u64(w, (uint64_t)v); }
static inline void cw_i32(codec_w *w, int32_t v) { cw_u32(w, (uint32_t)v); }

/* A string as u16 length + bytes (no NUL). */
static inline void cw_str(codec_w *w, const char *s)
{
	size_t n = strlen(s);
	if (n > 0xFFFF) {
		w->err = 1;
		return;
	}
	uint8_t b[2] = { (uint8_t)n, (uint8_t)(n >> 8) };
	cw_bytes(w, b, 2);
	cw_bytes(w, s, n);
}

static inline const uint8_t *cr_take(codec_r *r, size_t n)
{
	if (r->err || r->pos + n > r->len) {
		r->err = 1;
		return NULL;
	}
	const uint8_t *p = r->p + r->pos;
	r->pos += n;
	return p;
}

static inline uint64_t cr_u64(codec_r *r)
{
	const uint8_t *b = cr_take(r, 8);
	uint64_t v = 0;
	for (int i = 0; b && i < 8; i++)
		v |= (uint64_t)b[i] << (8 * i);
	return v;
}

static inline uint32_t cr_u32(codec_r *r)
{
	const uint8_t *b = cr_take(r, 4);
	return b ? (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24 : 0;
}

static inline int64_t cr_i64(codec_r *r) { return (int64_t)cr_u64(r); }
static inline int32_t cr_i32(codec_r *r) { return (int32_t)cr_u32(r); }

/* Reads a string into dst (cap bytes incl. NUL); too long -> err. */
static inline void cr_str(codec_r *r, char *dst, size_t cap)
{
	const uint8_t *b = cr_take(r, 2);
	size_t n = b ? (size_t)b[0] | (size_t)b[1] << 8 : 0;
	const uint8_t *s = cr_take(r, n);
	if (!s || n >= cap) {
		r->err = 1;
		if (cap)
			dst[0] = '\0';
		return;
	}
	memcpy(dst, s, n);
	dst[n] = '\0';
}

#endif
