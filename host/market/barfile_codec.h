/*
 * market — byte-level encoding shared by the bar file writer and reader
 * (barfile.h documents the layout). Explicit little-endian loads and stores:
 * on x86 the compiler turns each into a single move, and the file stays
 * readable on a big-endian host.
 */
#ifndef TH_MARKET_BARFILE_CODEC_H
#define TH_MARKET_BARFILE_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "market/barfile.h"

/* header field offsets */
#define BARFILE_OFF_VERSION 8
#define BARFILE_OFF_HEADER_BYTES 12
#define BARFILE_OFF_RECORD_BYTES 16
#define BARFILE_OFF_BLOCK_RECORDS 20
#define BARFILE_OFF_BAR_COUNT 24
#define BARFILE_OFF_NSYMBOLS 32
#define BARFILE_OFF_HEADER_CRC 36

/* symbol entry offsets */
#define BARFILE_SYM_OFF_PRICE_SCALE 24
#define BARFILE_SYM_OFF_QTY_SCALE 28
#define BARFILE_SYM_OFF_INTERVAL 32

/* record offsets */
#define BARFILE_REC_OFF_OPEN_TIME 0
#define BARFILE_REC_OFF_OPEN 8
#define BARFILE_REC_OFF_HIGH 16
#define BARFILE_REC_OFF_LOW 24
#define BARFILE_REC_OFF_CLOSE 32
#define BARFILE_REC_OFF_VOLUME 40
#define BARFILE_REC_OFF_TRADES 48
#define BARFILE_REC_OFF_SYMBOL 52
#define BARFILE_REC_OFF_RESERVED 54

/* Bar counts above this are refused (the byte arithmetic stays far from
 * overflow; 2^40 bars would be a 60 TB file). */
#define BARFILE_MAX_BARS (UINT64_C(1) << 40)

static inline void barfile_put_u16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static inline void barfile_put_u32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static inline void barfile_put_u64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static inline void barfile_put_i64(unsigned char *p, int64_t v)
{
	barfile_put_u64(p, (uint64_t)v);
}

static inline uint16_t barfile_get_u16(const unsigned char *p)
{
	return (uint16_t)(p[0] | (unsigned)p[1] << 8);
}

static inline uint32_t barfile_get_u32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t barfile_get_u64(const unsigned char *p)
{
	return (uint64_t)barfile_get_u32(p) | (uint64_t)barfile_get_u32(p + 4) << 32;
}

static inline int64_t barfile_get_i64(const unsigned char *p)
{
	return (int64_t)barfile_get_u64(p);
}

/* CRC-32 (zlib's polynomial) of len bytes, continuing from crc (0 to start). */
uint32_t barfile_crc32(uint32_t crc, const void *data, size_t len);

/* Encodes the 64-byte header plus symbol table into out (header_bytes long),
 * header CRC included. */
void barfile_encode_header(unsigned char *out, const barfile_symbol *syms, size_t nsym, uint64_t bar_count);

/* The byte offset of record i. */
static inline uint64_t barfile_record_offset(size_t nsym, uint64_t i)
{
	return BARFILE_HEADER_BYTES + (uint64_t)BARFILE_SYMBOL_BYTES * nsym + (uint64_t)BARFILE_RECORD_BYTES * i;
}

#endif
