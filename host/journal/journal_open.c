/* journal_open: options, directory, lock, then the scan (journal_scan.c). */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "journal/journal_internal.h"

static int resolve_options(journal_options *o, const journal_options *in, char *err, size_t errlen)
{
	if (in)
		*o = *in;
	else
		memset(o, 0, sizeof *o);
	if (o->segment_bytes == 0)
		o->segment_bytes = JOURNAL_DEFAULT_SEGMENT_BYTES;
	if (o->segment_bytes < JOURNAL_SEG_HEADER_BYTES + JOURNAL_REC_OVERHEAD) {
		snprintf(err, errlen, "journal option segment_bytes = %zu is too small (minimum %u)", o->segment_bytes,
		         JOURNAL_SEG_HEADER_BYTES + JOURNAL_REC_OVERHEAD);
		return -1;
	}
	if (o->mode != JOURNAL_SYNC_EACH && o->mode != JOURNAL_SYNC_BATCH && o->mode != JOURNAL_SYNC_NONE) {
		snprintf(err, errlen, "journal option mode = %d is not a journal_sync_mode", (int)o->mode);
		return -1;
	}
	if (o->batch_max_records == 0)
		o->batch_max_records = JOURNAL_DEFAULT_BATCH_RECORDS;
	if (o->batch_max_delay_us < 0) {
		snprintf(err, errlen, "journal option batch_max_delay_us = %lld must not be negative",
		         (long long)o->batch_max_delay_us);
		return -1;
	}
	if (o->batch_max_delay_us == 0)
		o->batch_max_delay_us = JOURNAL_DEFAULT_BATCH_DELAY_US;
	return 0;
}

/* A directory we just created must itself be made durable by syncing its
 * parent, or a crash could lose the whole journal directory entry. */
static int sync_parent(const char *dir, char *err, size_t errlen)
{
	char *copy = strdup(dir);
	if (!copy) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	const char *parent = dirname(copy);
	int fd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = 0;
	if (fd < 0 || fsync(fd) != 0) {
		snprintf(err, errlen, "cannot sync directory %s after creating %s: %s", parent, dir, strerror(errno));
		rc = -1;
	}
	if (fd >= 0)
		close(fd);
	free(copy);
	return rc;
}

static int open_dir(const char *dir, char *err, size_t errlen)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		if (mkdir(dir, 0750) != 0 && errno != EEXIST) {
			snprintf(err, errlen, "cannot create journal directory %s: %s", dir, strerror(errno));
			return -1;
		}
		if (sync_parent(dir, err, errlen) != 0)
			return -1;
		fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	}
	if (fd < 0) {
		snprintf(err, errlen, "cannot open journal directory %s: %s", dir,
		         errno == ENOTDIR ? "it exists but is not a directory" : strerror(errno));
		return -1;
	}
	/* Two writers on one journal would interleave LSNs and tear each
	 * other's tails; the lock dies with the process, so a crash never
	 * leaves it stuck. */
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		snprintf(err, errlen, "journal directory %s is locked by another process (%s)", dir,
		         errno == EWOULDBLOCK ? "already open elsewhere" : strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

int journal_open(const char *dir, const journal_options *opts, journal_t **out, char *err, size_t errlen)
{
	*out = NULL;
	if (!dir || !*dir) {
		snprintf(err, errlen, "journal directory path is empty");
		return -1;
	}
	journal_t *j = calloc(1, sizeof *j);
	if (!j) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	j->dir_fd = j->seg_fd = j->notify_fd = -1;
	pthread_mutex_init(&j->mu, NULL);
	pthread_mutex_init(&j->io_mu, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC); /* batch deadlines ignore wall-clock jumps */
	pthread_cond_init(&j->work_cv, &ca);
	pthread_condattr_destroy(&ca);
	atomic_init(&j->failed, false);
	atomic_init(&j->durable_lsn, 0);

	if (resolve_options(&j->opt, opts, err, errlen) != 0)
		goto fail;
	journal_io_resolve(&j->io, j->opt.io);
	j->opt.io = NULL; /* copied; the caller's struct need not outlive open */
	j->prealloc = !j->opt.no_preallocate;
	j->dir = strdup(dir);
	if (!j->dir || journal_reader_init(&j->reader) != 0) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	j->notify_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (j->notify_fd < 0) {
		snprintf(err, errlen, "eventfd: %s", strerror(errno));
		goto fail;
	}
	j->dir_fd = open_dir(dir, err, errlen);
	if (j->dir_fd < 0)
		goto fail;
	if (journal_scan(j, err, errlen) != 0)
		goto fail;
	*out = j;
	return 0;
fail:
	journal_destroy(j);
	return -1;
}
