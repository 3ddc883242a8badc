/*
 * Open-time scan: list the segments, validate every header and record,
 * repair the tail of the last segment, and leave it open for appending.
 *
 * Why only the last segment may be repaired: a segment is fdatasync'd
 * before the next one is created, so a crash can tear only the newest one.
 * Damage anywhere else is real corruption of acknowledged data, and
 * silently dropping it would let the OMS rebuild the wrong state.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/log.h"
#include "journal/journal_internal.h"

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Fills j->segs with the first LSN of every segment file, ascending. */
static int list_segments(journal_t *j, char *err, size_t errlen)
{
	int fd = dup(j->dir_fd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		snprintf(err, errlen, "cannot list journal directory %s: %s", j->dir, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	rewinddir(d);
	struct dirent *e;
	int rc = 0;
	while ((e = readdir(d)) != NULL) {
		uint64_t lsn;
		if (journal_seg_name_parse(e->d_name, &lsn)) {
			if (journal_segment_list_add(j, lsn) != 0) {
				snprintf(err, errlen, "out of memory");
				rc = -1;
				break;
			}
		} else if (strncmp(e->d_name, "journal-", 8) == 0) {
			journal_logf(j, TH_LOG_WARN, "%s/%s: ignoring file that is not named like a segment", j->dir,
			             e->d_name);
		}
	}
	closedir(d);
	if (rc == 0 && j->nsegs > 1)
		qsort(j->segs, j->nsegs, sizeof *j->segs, cmp_u64);
	return rc;
}

static int read_header(journal_t *j, int fd, uint64_t name_lsn, char *why, size_t whylen)
{
	const uint8_t *p;
	journal_reader_attach(&j->reader, fd);
	ssize_t got = journal_reader_get(&j->reader, 0, JOURNAL_SEG_HEADER_BYTES, &p);
	if (got < 0) {
		snprintf(why, whylen, "read error: %s", strerror(errno));
		return -1;
	}
	if ((size_t)got < JOURNAL_SEG_HEADER_BYTES) {
		snprintf(why, whylen, "file is %zd bytes, shorter than the %u-byte segment header", got,
		         JOURNAL_SEG_HEADER_BYTES);
		return -1;
	}
	uint64_t first;
	if (journal_seg_header_decode(p, &first, why, whylen) != 0)
		return -1;
	if (first != name_lsn) {
		snprintf(why, whylen, "header says first LSN %" PRIu64 " but the file name says %" PRIu64, first, name_lsn);
		return -1;
	}
	return 0;
}

/* True if nothing but zeros follows the header slot: the segment was being
 * created when the process died and cannot hold any record. */
static int holds_no_data(journal_t *j, int fd, bool *empty)
{
	const uint8_t *p;
	uint64_t off = JOURNAL_SEG_HEADER_BYTES;
	journal_reader_attach(&j->reader, fd);
	*empty = true;
	for (;;) {
		ssize_t got = journal_reader_get(&j->reader, off, j->reader.cap, &p);
		if (got < 0)
			return -1;
		if (got == 0)
			return 0;
		if (!journal_all_zero(p, (size_t)got)) {
			*empty = false;
			return 0;
		}
		off += (uint64_t)got;
	}
}

/* A last segment whose header never made it to disk is removed, because it
 * cannot contain records (they are written only after the header is
 * synced). Anything else wrong with a header is a hard error. */
static int drop_incomplete_last(journal_t *j, uint64_t *dropped, char *err, size_t errlen)
{
	char name[JOURNAL_SEG_NAME_LEN + 1], why[256];
	uint64_t lsn = j->segs[j->nsegs - 1];
	journal_seg_name(name, lsn);
	int fd = openat(j->dir_fd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open %s/%s: %s", j->dir, name, strerror(errno));
		return -1;
	}
	if (read_header(j, fd, lsn, why, sizeof why) == 0) {
		close(fd);
		return 0;
	}
	bool empty = false;
	int rc = holds_no_data(j, fd, &empty);
	close(fd);
	if (rc != 0 || !empty) {
		snprintf(err, errlen, "%s/%s: bad segment header at offset 0: %s", j->dir, name, why);
		return -1;
	}
	journal_logf(j, TH_LOG_WARN, "%s/%s: removing incomplete segment (%s); it holds no records", j->dir, name, why);
	if (unlinkat(j->dir_fd, name, 0) != 0 || fsync(j->dir_fd) != 0) {
		snprintf(err, errlen, "cannot remove incomplete segment %s/%s: %s", j->dir, name, strerror(errno));
		return -1;
	}
	j->nsegs--;
	*dropped = lsn;
	return 0;
}

/*
 * Makes everything after `end` in the last segment zero again (truncate,
 * then re-preallocate) and syncs it. Done on every open, not only after a
 * detected tear: a crash can leave stale bytes beyond an all-zero record
 * header, and new records must never be followed by old ones that could
 * be mistaken for their successors.
 */
static int reset_tail(journal_t *j, int fd, const char *name, uint64_t end, char *err, size_t errlen)
{
	char why[256];
	if (ftruncate(fd, (off_t)end) != 0) {
		snprintf(err, errlen, "%s/%s: cannot truncate to %" PRIu64 " bytes: %s", j->dir, name, end, strerror(errno));
		return -1;
	}
	if (journal_segment_preallocate(j, fd, end, name, why, sizeof why) != 0 ||
	    journal_io_fsync(j, fd, name, why, sizeof why) != 0) {
		snprintf(err, errlen, "%s/%s: %s", j->dir, name, why);
		return -1;
	}
	if (lseek(fd, (off_t)end, SEEK_SET) < 0) {
		snprintf(err, errlen, "%s/%s: lseek: %s", j->dir, name, strerror(errno));
		return -1;
	}
	return 0;
}

/* Validates segment i; on return *expect is the LSN after its last record.
 * For the last segment, *fd_out is left open (read-write) and *end_out is
 * the offset after the last good record. */
static int scan_segment(journal_t *j, size_t i, uint64_t *expect, int *fd_out, uint64_t *end_out, char *err,
                        size_t errlen)
{
	char name[JOURNAL_SEG_NAME_LEN + 1], why[256];
	bool last = i + 1 == j->nsegs;
	uint64_t first = j->segs[i];
	journal_seg_name(name, first);
	int fd = openat(j->dir_fd, name, (last ? O_RDWR : O_RDONLY) | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open %s/%s: %s", j->dir, name, strerror(errno));
		return -1;
	}
	if (read_header(j, fd, first, why, sizeof why) != 0) {
		snprintf(err, errlen, "%s/%s: bad segment header at offset 0: %s", j->dir, name, why);
		goto fail;
	}
	if (i > 0 && first != *expect) {
		snprintf(err, errlen,
		         "%s/%s: LSN gap: segment starts at LSN %" PRIu64 " but the previous segment ends at LSN %" PRIu64,
		         j->dir, name, first, *expect - 1);
		goto fail;
	}
	*expect = first;
	uint64_t off = JOURNAL_SEG_HEADER_BYTES;
	for (;;) {
		journal_rec_header h;
		const uint8_t *payload;
		journal_rec_status st = journal_read_record(&j->reader, off, *expect, &h, &payload, why, sizeof why);
		if (st == JOURNAL_REC_OK) {
			off += journal_rec_size(h.len);
			(*expect)++;
			continue;
		}
		if (st == JOURNAL_REC_END)
			break;
		if (st == JOURNAL_REC_TORN && last) {
			struct stat sb;
			long long size = fstat(fd, &sb) == 0 ? (long long)sb.st_size : -1;
			journal_logf(j, TH_LOG_WARN,
			             "%s/%s: torn tail at offset %" PRIu64 " (LSN %" PRIu64 "): %s; cutting the segment "
			             "there (file was %lld bytes), next LSN %" PRIu64,
			             j->dir, name, off, *expect, why, size, *expect);
			break;
		}
		snprintf(err, errlen, "%s/%s: corrupt record at offset %" PRIu64 " (LSN %" PRIu64 " expected): %s%s", j->dir,
		         name, off, *expect, why,
		         st == JOURNAL_REC_TORN ? "; only the last segment may have a torn tail, refusing to open" : "");
		goto fail;
	}
	if (last) {
		*fd_out = fd;
		*end_out = off;
	} else {
		close(fd);
	}
	return 0;
fail:
	close(fd);
	return -1;
}

int journal_scan(journal_t *j, char *err, size_t errlen)
{
	char why[256];
	if (list_segments(j, err, errlen) != 0)
		return -1;
	uint64_t dropped = 0;
	if (j->nsegs > 0 && drop_incomplete_last(j, &dropped, err, errlen) != 0)
		return -1;
	if (j->nsegs == 0) {
		/* A fresh journal; if an incomplete segment was just dropped its
		 * name still tells where the LSNs continue. */
		uint64_t first = dropped > 0 ? dropped : 1;
		if (journal_segment_create(j, first, why, sizeof why) != 0) {
			snprintf(err, errlen, "%s", why);
			return -1;
		}
		if (journal_segment_list_add(j, first) != 0) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		j->next_lsn = first;
		j->written_lsn = j->synced_lsn = first - 1;
		atomic_store(&j->durable_lsn, first - 1);
		return 0;
	}
	uint64_t expect = 0, end = 0;
	int fd = -1;
	for (size_t i = 0; i < j->nsegs; i++)
		if (scan_segment(j, i, &expect, &fd, &end, err, errlen) != 0)
			return -1;
	char name[JOURNAL_SEG_NAME_LEN + 1];
	journal_seg_name(name, j->segs[j->nsegs - 1]);
	if (reset_tail(j, fd, name, end, err, errlen) != 0) {
		close(fd);
		return -1;
	}
	j->seg_fd = fd;
	j->seg_first_lsn = j->segs[j->nsegs - 1];
	j->seg_pos = end;
	j->next_lsn = expect;
	j->written_lsn = j->synced_lsn = expect - 1;
	atomic_store(&j->durable_lsn, expect - 1);
	return 0;
}
