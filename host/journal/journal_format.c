#include "journal/journal_format.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

uint32_t journal_crc32(const void *data, size_t len)
{
	/* zlib's crc32 takes a uInt length; feed it in chunks so sizes above
	 * 4 GiB (impossible for one record, but cheap to get right) work. */
	uLong crc = crc32(0L, Z_NULL, 0);
	const Bytef *p = data;
	while (len > 0) {
		uInt n = len > 0x40000000u ? 0x40000000u : (uInt)len;
		crc = crc32(crc, p, n);
		p += n;
		len -= n;
	}
	return (uint32_t)crc;
}

void journal_seg_header_encode(uint8_t out[JOURNAL_SEG_HEADER_BYTES], uint64_t first_lsn)
{
	memcpy(out, JOURNAL_MAGIC, JOURNAL_MAGIC_BYTES);
	journal_put_u32(out + 8, JOURNAL_FORMAT_VERSION);
	journal_put_u32(out + 12, JOURNAL_SEG_HEADER_BYTES);
	journal_put_u64(out + 16, first_lsn);
	journal_put_u32(out + 24, 0);
	journal_put_u32(out + 28, journal_crc32(out, 28));
}

int journal_seg_header_decode(const uint8_t in[JOURNAL_SEG_HEADER_BYTES], uint64_t *first_lsn, char *why,
                              size_t whylen)
{
	if (memcmp(in, JOURNAL_MAGIC, JOURNAL_MAGIC_BYTES) != 0) {
		snprintf(why, whylen, "bad magic (not a THJRNL01 segment)");
		return -1;
	}
	uint32_t stored = journal_get_u32(in + 28), computed = journal_crc32(in, 28);
	if (stored != computed) {
		snprintf(why, whylen, "header CRC mismatch (stored 0x%08" PRIx32 ", computed 0x%08" PRIx32 ")", stored,
		         computed);
		return -1;
	}
	uint32_t version = journal_get_u32(in + 8);
	if (version != JOURNAL_FORMAT_VERSION) {
		snprintf(why, whylen, "unsupported format version %" PRIu32 " (this build reads %u)", version,
		         JOURNAL_FORMAT_VERSION);
		return -1;
	}
	uint32_t hdr = journal_get_u32(in + 12);
	if (hdr != JOURNAL_SEG_HEADER_BYTES) {
		snprintf(why, whylen, "unexpected header size %" PRIu32 " (expected %u)", hdr, JOURNAL_SEG_HEADER_BYTES);
		return -1;
	}
	*first_lsn = journal_get_u64(in + 16);
	if (*first_lsn == 0) {
		snprintf(why, whylen, "first LSN is 0 (LSNs start at 1)");
		return -1;
	}
	return 0;
}

size_t journal_rec_encode(uint8_t *out, uint16_t type, uint16_t flags, uint64_t lsn, int64_t ts_ns,
                          const void *payload, uint32_t len)
{
	journal_put_u32(out, len);
	journal_put_u16(out + 4, type);
	journal_put_u16(out + 6, flags);
	journal_put_u64(out + 8, lsn);
	journal_put_u64(out + 16, (uint64_t)ts_ns);
	if (len > 0)
		memcpy(out + JOURNAL_REC_HEADER_BYTES, payload, len);
	size_t body = JOURNAL_REC_HEADER_BYTES + (size_t)len;
	journal_put_u32(out + body, journal_crc32(out, body));
	return body + JOURNAL_REC_TRAILER_BYTES;
}

void journal_rec_header_decode(const uint8_t in[JOURNAL_REC_HEADER_BYTES], journal_rec_header *h)
{
	h->len = journal_get_u32(in);
	h->type = journal_get_u16(in + 4);
	h->flags = journal_get_u16(in + 6);
	h->lsn = journal_get_u64(in + 8);
	h->ts_ns = (int64_t)journal_get_u64(in + 16);
}

uint32_t journal_rec_stored_crc(const uint8_t *rec, uint32_t len)
{
	return journal_get_u32(rec + JOURNAL_REC_HEADER_BYTES + len);
}

uint32_t journal_rec_computed_crc(const uint8_t *rec, uint32_t len)
{
	return journal_crc32(rec, JOURNAL_REC_HEADER_BYTES + (size_t)len);
}

bool journal_all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != 0)
			return false;
	return true;
}

void journal_seg_name(char out[JOURNAL_SEG_NAME_LEN + 1], uint64_t first_lsn)
{
	snprintf(out, JOURNAL_SEG_NAME_LEN + 1, "journal-%016" PRIx64 ".seg", first_lsn);
}

bool journal_seg_name_parse(const char *name, uint64_t *first_lsn)
{
	if (strlen(name) != JOURNAL_SEG_NAME_LEN || strncmp(name, "journal-", 8) != 0 ||
	    strcmp(name + 24, ".seg") != 0)
		return false;
	uint64_t v = 0;
	for (int i = 8; i < 24; i++) {
		char c = name[i];
		unsigned d;
		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else
			return false;
		v = (v << 4) | d;
	}
	*first_lsn = v;
	return true;
}
