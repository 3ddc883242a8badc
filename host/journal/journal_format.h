/*
 * On-disk encoding of journal segments and records. Everything is
 * little-endian and encoded field by field (never by dumping structs), so
 * the files read the same on any compiler or architecture.
 *
 * Segment header (32 bytes):
 *   0  magic "THJRNL01"           8
 *   8  u32 format version (1)     4
 *  12  u32 header bytes (32)      4
 *  16  u64 first LSN              8   (must match the file name)
 *  24  u32 reserved (0)           4
 *  28  u32 CRC32 of bytes 0..27   4
 *
 * Record (28 + len bytes), records follow each other without padding:
 *   0  u32 payload length         4   (<= JOURNAL_MAX_PAYLOAD)
 *   4  u16 type                   2
 *   6  u16 flags (0)              2
 *   8  u64 LSN                    8   (>= 1, so a valid header is never all zero)
 *  16  i64 timestamp ns           8
 *  24  payload                    len
 *  24+len u32 CRC32 (zlib) of bytes 0..23+len
 *
 * Segments are preallocated with zeros, so an all-zero record header marks
 * the end of the data in a segment.
 */
#ifndef HOST_JOURNAL_JOURNAL_FORMAT_H
#define HOST_JOURNAL_JOURNAL_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JOURNAL_MAGIC "THJRNL01"
#define JOURNAL_MAGIC_BYTES 8u
#define JOURNAL_FORMAT_VERSION 1u
#define JOURNAL_SEG_HEADER_BYTES 32u
#define JOURNAL_REC_HEADER_BYTES 24u
#define JOURNAL_REC_TRAILER_BYTES 4u
#define JOURNAL_REC_OVERHEAD (JOURNAL_REC_HEADER_BYTES + JOURNAL_REC_TRAILER_BYTES)
/* "journal-" + 16 hex digits + ".seg" */
#define JOURNAL_SEG_NAME_LEN 28u

typedef struct journal_rec_header {
	uint32_t len;
	uint16_t type;
	uint16_t flags;
	uint64_t lsn;
	int64_t ts_ns;
} journal_rec_header;

static inline void journal_put_u16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void journal_put_u32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline void journal_put_u64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline uint16_t journal_get_u16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t journal_get_u32(const uint8_t *p)
{
	uint32_t v = 0;
	for (int i = 3; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static inline uint64_t journal_get_u64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static inline size_t journal_rec_size(uint32_t payload_len)
{
	return JOURNAL_REC_OVERHEAD + (size_t)payload_len;
}

uint32_t journal_crc32(const void *data, size_t len);

void journal_seg_header_encode(uint8_t out[JOURNAL_SEG_HEADER_BYTES], uint64_t first_lsn);
/* 0 if valid (sets *first_lsn); -1 with the reason in why. */
int journal_seg_header_decode(const uint8_t in[JOURNAL_SEG_HEADER_BYTES], uint64_t *first_lsn, char *why,
                              size_t whylen);

/* Encodes a whole record (header, payload, CRC) into out, which must hold
 * journal_rec_size(len) bytes. Returns the bytes written. */
size_t journal_rec_encode(uint8_t *out, uint16_t type, uint16_t flags, uint64_t lsn, int64_t ts_ns,
                          const void *payload, uint32_t len);
void journal_rec_header_decode(const uint8_t in[JOURNAL_REC_HEADER_BYTES], journal_rec_header *h);
/* CRC stored in a complete encoded record vs. the one computed over it. */
uint32_t journal_rec_stored_crc(const uint8_t *rec, uint32_t len);
uint32_t journal_rec_computed_crc(const uint8_t *rec, uint32_t len);

bool journal_all_zero(const uint8_t *p, size_t n);

/* Segment file names: "journal-%016x.seg" (lower-case hex, exactly). */
void journal_seg_name(char out[JOURNAL_SEG_NAME_LEN + 1], uint64_t first_lsn);
bool journal_seg_name_parse(const char *name, uint64_t *first_lsn);

#endif
