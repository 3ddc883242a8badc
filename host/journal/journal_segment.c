/* Creating segment files and keeping the list of segments. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "journal/journal_internal.h"

int journal_segment_list_add(journal_t *j, uint64_t first_lsn)
{
	pthread_mutex_lock(&j->mu);
	if (j->nsegs == j->segs_cap) {
		size_t cap = j->segs_cap ? j->segs_cap * 2 : 16;
		uint64_t *segs = realloc(j->segs, cap * sizeof *segs);
		if (!segs) {
			pthread_mutex_unlock(&j->mu);
			return -1;
		}
		j->segs = segs;
		j->segs_cap = cap;
	}
	j->segs[j->nsegs++] = first_lsn;
	pthread_mutex_unlock(&j->mu);
	return 0;
}

/* Preallocates the whole segment so later appends overwrite allocated
 * space: fdatasync then has no file-size change to commit, which on ext4
 * is worth about 1.4x in synced appends/s. fallocate (not posix_fallocate)
 * because glibc's fallback would write the zeros itself. */
int journal_segment_preallocate(journal_t *j, int fd, uint64_t from, const char *name, char *why, size_t whylen)
{
	if (!j->prealloc || from >= j->opt.segment_bytes)
		return 0;
	if (fallocate(fd, 0, (off_t)from, (off_t)(j->opt.segment_bytes - from)) == 0)
		return 0;
	int e = errno;
	if (e == EOPNOTSUPP || e == ENOSYS) {
		j->prealloc = false;
		journal_logf(j, TH_LOG_INFO, "%s: filesystem cannot preallocate segments; growing them by appending", j->dir);
		return 0;
	}
	snprintf(why, whylen, "fallocate(%s, %llu bytes) failed: %s", name,
	         (unsigned long long)(j->opt.segment_bytes - from), strerror(e));
	return -e;
}

int journal_segment_create(journal_t *j, uint64_t first_lsn, char *why, size_t whylen)
{
	char name[JOURNAL_SEG_NAME_LEN + 1];
	journal_seg_name(name, first_lsn);
	int fd = openat(j->dir_fd, name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
	if (fd < 0) {
		int e = errno;
		snprintf(why, whylen, "cannot create segment %s/%s: %s", j->dir, name, strerror(e));
		return -e;
	}
	uint8_t hdr[JOURNAL_SEG_HEADER_BYTES];
	journal_seg_header_encode(hdr, first_lsn);
	int rc = journal_io_write_all(j, fd, hdr, sizeof hdr, name, why, whylen);
	if (rc == 0)
		rc = journal_segment_preallocate(j, fd, JOURNAL_SEG_HEADER_BYTES, name, why, whylen);
	/* The header and the directory entry must be durable before any record
	 * in this segment can be called durable. */
	if (rc == 0 && j->opt.mode != JOURNAL_SYNC_NONE)
		rc = journal_io_datasync(j, fd, name, why, whylen);
	if (rc == 0 && j->opt.mode != JOURNAL_SYNC_NONE)
		rc = journal_io_fsync(j, j->dir_fd, j->dir, why, whylen);
	if (rc != 0) {
		close(fd);
		return rc;
	}
	j->seg_fd = fd;
	j->seg_first_lsn = first_lsn;
	j->seg_pos = JOURNAL_SEG_HEADER_BYTES;
	return 0;
}
