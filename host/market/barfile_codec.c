/*
 * market — bar file header encoding and the CRC-32 both sides use.
 */
#include "market/barfile_codec.h"

#include <string.h>
#include <zlib.h>

uint32_t barfile_crc32(uint32_t crc, const void *data, size_t len)
{
	/* zlib takes a uInt length: feed large buffers in pieces */
	const Bytef *p = data;
	uLong c = crc;
	while (len > 0) {
		uInt n = len > 0x40000000u ? 0x40000000u : (uInt)len;
		c = crc32(c, p, n);
		p += n;
		len -= n;
	}
	return (uint32_t)c;
}

void barfile_encode_header(unsigned char *out, const barfile_symbol *syms, size_t nsym, uint64_t bar_count)
{
	size_t header_bytes = BARFILE_HEADER_BYTES + BARFILE_SYMBOL_BYTES * nsym;
	memset(out, 0, header_bytes);
	memcpy(out, BARFILE_MAGIC, 8);
	barfile_put_u32(out + BARFILE_OFF_VERSION, BARFILE_VERSION);
	barfile_put_u32(out + BARFILE_OFF_HEADER_BYTES, (uint32_t)header_bytes);
	barfile_put_u32(out + BARFILE_OFF_RECORD_BYTES, BARFILE_RECORD_BYTES);
	barfile_put_u32(out + BARFILE_OFF_BLOCK_RECORDS, BARFILE_BLOCK_RECORDS);
	barfile_put_u64(out + BARFILE_OFF_BAR_COUNT, bar_count);
	barfile_put_u32(out + BARFILE_OFF_NSYMBOLS, (uint32_t)nsym);
	for (size_t i = 0; i < nsym; i++) {
		unsigned char *e = out + BARFILE_HEADER_BYTES + BARFILE_SYMBOL_BYTES * i;
		/* strncpy semantics on purpose: the field is NUL-padded */
		size_t n = strnlen(syms[i].symbol, TH_SYMBOL_MAX - 1);
		memcpy(e, syms[i].symbol, n);
		barfile_put_u32(e + BARFILE_SYM_OFF_PRICE_SCALE, (uint32_t)syms[i].price_scale);
		barfile_put_u32(e + BARFILE_SYM_OFF_QTY_SCALE, (uint32_t)syms[i].qty_scale);
		barfile_put_i64(e + BARFILE_SYM_OFF_INTERVAL, syms[i].interval_ns);
	}
	barfile_put_u32(out + BARFILE_OFF_HEADER_CRC, barfile_crc32(0, out, header_bytes));
}
