/*
 * sim — explicit little-endian byte writer/reader for the venue's state
 * formats (engine_codec.c, sim_handover.c). No struct is ever dumped: every
 * field goes through these, so the format is the same on every build.
 *
 * Writer: writes while there is room and always counts, so one pass with
 * cap 0 measures and a second pass writes (snprintf style).
 * Reader: on running past the end it sets `bad` and returns zeros.
 */
#ifndef SIM_BYTES_H
#define SIM_BYTES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct sim_wr {
	uint8_t *p;
	size_t cap, len;
} sim_wr;

static inline void sim_wr_bytes(sim_wr *w, const void *src, size_t n)
{
	if (w->p && n && w->len <= w->cap && w->cap - w->len >= n)
		memcpy(w->p + w->len, src, n);
	w->len += n;
}

static inline void sim_wr_uint(sim_wr *w, uint64_t v, size_t nbytes)
{
	uint8_t b[8];
	for (size_t i = 0; i < nbytes; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	sim_wr_bytes(w, b, nbytes);
}

static inline void sim_wr_u8(sim_wr *w, uint32_t v) { sim_wr_uint(w, v, 1); }
static inline void sim_wr_u16(sim_wr *w, uint32_t v) { sim_wr_uint(w, v, 2); }
static inline void sim_wr_u32(sim_wr *w, uint32_t v) { sim_wr_uint(w, v, 4); }
static inline void sim_wr_u64(sim_wr *w, uint64_t v) { sim_wr_uint(w, v, 8); }
static inline void sim_wr_i64(sim_wr *w, int64_t v) { sim_wr_uint(w, (uint64_t)v, 8); }
static inline void sim_wr_i32(sim_wr *w, int32_t v) { sim_wr_uint(w, (uint32_t)v, 4); }

/* A NUL-terminated string as a 1-byte length and its bytes (no NUL); every
 * string field of the SDK types is shorter than 256. */
static inline void sim_wr_str(sim_wr *w, const char *s)
{
	size_t n = strlen(s);
	if (n > 255)
		n = 255;
	sim_wr_u8(w, (uint32_t)n);
	sim_wr_bytes(w, s, n);
}

typedef struct sim_rd {
	const uint8_t *p;
	size_t len, off;
	int bad; /* ran past the end */
} sim_rd;

static inline const uint8_t *sim_rd_take(sim_rd *r, size_t n)
{
	static const uint8_t none[1];
	if (r->bad || r->len - r->off < n) {
		r->bad = 1;
		return NULL;
	}
	if (!r->p)
		return none; /* n is 0 here: an empty read of an empty buffer */
	const uint8_t *p = r->p + r->off;
	r->off += n;
	return p;
}

static inline uint64_t sim_rd_uint(sim_rd *r, size_t nbytes)
{
	const uint8_t *p = sim_rd_take(r, nbytes);
	uint64_t v = 0;
	if (!p)
		return 0;
	for (size_t i = 0; i < nbytes; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static inline uint32_t sim_rd_u8(sim_rd *r) { return (uint32_t)sim_rd_uint(r, 1); }
static inline uint32_t sim_rd_u16(sim_rd *r) { return (uint32_t)sim_rd_uint(r, 2); }
static inline uint32_t sim_rd_u32(sim_rd *r) { return (uint32_t)sim_rd_uint(r, 4); }
static inline uint64_t sim_rd_u64(sim_rd *r) { return sim_rd_uint(r, 8); }
static inline int64_t sim_rd_i64(sim_rd *r) { return (int64_t)sim_rd_uint(r, 8); }
static inline int32_t sim_rd_i32(sim_rd *r) { return (int32_t)(uint32_t)sim_rd_uint(r, 4); }

/* Reads a string into dst (cap incl. NUL); -1 if malformed or too long. */
static inline int sim_rd_str(sim_rd *r, char *dst, size_t cap)
{
	size_t n = sim_rd_u8(r);
	const uint8_t *p = sim_rd_take(r, n);
	if (!p || n >= cap || memchr(p, 0, n))
		return -1;
	memcpy(dst, p, n);
	dst[n] = '\0';
	return 0;
}

#endif
