#include "journal/journal_reader.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "journal/journal.h"

/* One maximal record plus room to read ahead past it. */
#define READER_CAP ((size_t)JOURNAL_MAX_PAYLOAD + JOURNAL_REC_OVERHEAD + 256u * 1024u)

int journal_reader_init(journal_reader *r)
{
	memset(r, 0, sizeof *r);
	r->fd = -1;
	r->buf = malloc(READER_CAP);
	if (!r->buf)
		return -1;
	r->cap = READER_CAP;
	return 0;
}

void journal_reader_free(journal_reader *r)
{
	free(r->buf);
	r->buf = NULL;
	r->cap = 0;
}

void journal_reader_attach(journal_reader *r, int fd)
{
	r->fd = fd;
	r->buf_off = 0;
	r->buf_len = 0;
}

ssize_t journal_reader_get(journal_reader *r, uint64_t off, size_t n, const uint8_t **out)
{
	if (n > r->cap) {
		errno = EINVAL;
		return -1;
	}
	if (off >= r->buf_off && off + n <= r->buf_off + r->buf_len) {
		*out = r->buf + (off - r->buf_off);
		return (ssize_t)n;
	}
	/* Refill starting at off. A short pread is either EOF or a signal;
	 * keep reading until the buffer is full or pread reports EOF. */
	r->buf_off = off;
	r->buf_len = 0;
	while (r->buf_len < r->cap) {
		ssize_t got = pread(r->fd, r->buf + r->buf_len, r->cap - r->buf_len, (off_t)(off + r->buf_len));
		if (got < 0) {
			if (errno == EINTR)
				continue;
			r->buf_len = 0;
			return -1;
		}
		if (got == 0)
			break;
		r->buf_len += (size_t)got;
	}
	*out = r->buf;
	return (ssize_t)(r->buf_len < n ? r->buf_len : n);
}

journal_rec_status journal_read_record(journal_reader *r, uint64_t off, uint64_t expect_lsn, journal_rec_header *h,
                                       const uint8_t **payload, char *why, size_t whylen)
{
	const uint8_t *p;
	ssize_t got = journal_reader_get(r, off, JOURNAL_REC_HEADER_BYTES, &p);
	if (got < 0) {
		snprintf(why, whylen, "read error: %s", strerror(errno));
		return JOURNAL_REC_IOERR;
	}
	/* Zero bytes are unwritten preallocated space: the data ends here. */
	if (journal_all_zero(p, (size_t)got))
		return JOURNAL_REC_END;
	if ((size_t)got < JOURNAL_REC_HEADER_BYTES) {
		snprintf(why, whylen, "short record header: file ends %zd bytes into a %u-byte header", got,
		         JOURNAL_REC_HEADER_BYTES);
		return JOURNAL_REC_TORN;
	}
	journal_rec_header_decode(p, h);
	if (h->len > JOURNAL_MAX_PAYLOAD) {
		snprintf(why, whylen, "bad length %" PRIu32 " (max %u)", h->len, JOURNAL_MAX_PAYLOAD);
		return JOURNAL_REC_TORN;
	}
	size_t need = journal_rec_size(h->len);
	got = journal_reader_get(r, off, need, &p);
	if (got < 0) {
		snprintf(why, whylen, "read error: %s", strerror(errno));
		return JOURNAL_REC_IOERR;
	}
	if ((size_t)got < need) {
		snprintf(why, whylen, "short record: needs %zu bytes, file ends after %zd", need, got);
		return JOURNAL_REC_TORN;
	}
	uint32_t stored = journal_rec_stored_crc(p, h->len), computed = journal_rec_computed_crc(p, h->len);
	if (stored != computed) {
		snprintf(why, whylen, "CRC mismatch (stored 0x%08" PRIx32 ", computed 0x%08" PRIx32 ")", stored, computed);
		return JOURNAL_REC_TORN;
	}
	if (h->lsn != expect_lsn) {
		snprintf(why, whylen, "record carries LSN %" PRIu64 " where %" PRIu64 " was expected", h->lsn, expect_lsn);
		return JOURNAL_REC_INVALID;
	}
	if (h->flags != 0) {
		snprintf(why, whylen, "record LSN %" PRIu64 " has unsupported flags 0x%04x", h->lsn, (unsigned)h->flags);
		return JOURNAL_REC_INVALID;
	}
	*payload = p + JOURNAL_REC_HEADER_BYTES;
	return JOURNAL_REC_OK;
}
