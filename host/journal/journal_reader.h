/*
 * Buffered sequential reader over one segment file, shared by the open-time
 * scan and replay. Reads big chunks with pread so scanning a 64 MiB segment
 * of small records costs a handful of syscalls, not two per record.
 */
#ifndef HOST_JOURNAL_JOURNAL_READER_H
#define HOST_JOURNAL_JOURNAL_READER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "journal/journal_format.h"

typedef struct journal_reader {
	int fd;
	uint8_t *buf;
	size_t cap;
	uint64_t buf_off; /* file offset of buf[0] */
	size_t buf_len;   /* valid bytes in buf */
} journal_reader;

/* Allocates a buffer big enough for the largest record. 0 / -1 (ENOMEM). */
int journal_reader_init(journal_reader *r);
void journal_reader_free(journal_reader *r);
/* Points the reader at a new file and forgets buffered data. */
void journal_reader_attach(journal_reader *r, int fd);

/*
 * Makes bytes [off, off+n) available in *out (n <= the reader's capacity).
 * Returns how many are available: n, or fewer when the file ends sooner;
 * -1 with errno on a read error.
 */
ssize_t journal_reader_get(journal_reader *r, uint64_t off, size_t n, const uint8_t **out);

typedef enum journal_rec_status {
	JOURNAL_REC_OK,      /* *h and *payload describe a valid record */
	JOURNAL_REC_END,     /* clean end of data: EOF or all-zero (preallocated) space */
	JOURNAL_REC_TORN,    /* bad length, short record or CRC mismatch: a torn write or damage */
	JOURNAL_REC_INVALID, /* CRC is right but the record is inconsistent (LSN, flags) */
	JOURNAL_REC_IOERR,   /* read error; errno set */
} journal_rec_status;

/*
 * Decodes the record at file offset off, which must carry expect_lsn.
 * *payload stays valid until the next reader call. On TORN/INVALID/IOERR
 * the reason is written to why.
 */
journal_rec_status journal_read_record(journal_reader *r, uint64_t off, uint64_t expect_lsn, journal_rec_header *h,
                                       const uint8_t **payload, char *why, size_t whylen);

#endif
