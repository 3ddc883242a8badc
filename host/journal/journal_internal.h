/*
 * The journal object and the helpers its source files share. Private to
 * host/journal.
 *
 * Locking: `mu` guards what the owner thread and the worker both touch
 * (fill buffer, next LSN, completion queues, FAILED state, segment list).
 * `io_mu` serialises flushes, i.e. all segment-file I/O, so the owner's
 * journal_sync() and the worker never write at the same time. Lock order is
 * io_mu then mu; nobody takes io_mu while holding mu.
 */
#ifndef HOST_JOURNAL_JOURNAL_INTERNAL_H
#define HOST_JOURNAL_JOURNAL_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "journal/journal.h"
#include "journal/journal_format.h"
#include "journal/journal_queue.h"
#include "journal/journal_reader.h"

/* Scans the directory, validates every segment, repairs a torn tail and
 * leaves the last segment open as the current one (journal_scan.c). */
int journal_scan(journal_t *j, char *err, size_t errlen);

/* Without a worker, journal_append() writes (not syncs) the buffer out once
 * it reaches this size, so SYNC_BATCH/SYNC_NONE memory stays bounded. */
#define JOURNAL_WRITE_CHUNK ((size_t)1024 * 1024)

struct journal {
	char *dir;
	int dir_fd; /* holds the flock that keeps a second process out */
	journal_options opt; /* defaults resolved */
	journal_io_ops io;   /* NULL members replaced by the real syscalls */

	/* --- flusher state: touched only while holding io_mu (or before the
	 * worker exists) --- */
	int seg_fd;
	uint64_t seg_first_lsn;
	uint64_t seg_pos;      /* write offset in the current segment */
	bool prealloc;         /* false once fallocate proved unsupported */
	uint64_t written_lsn;  /* highest LSN handed to write() */
	uint64_t synced_lsn;   /* highest LSN covered by a successful fdatasync */
	journal_buf io_buf;    /* the batch being written (swapped with fill) */

	/* --- shared, guarded by mu --- */
	pthread_mutex_t mu;
	pthread_mutex_t io_mu;
	pthread_cond_t work_cv;
	journal_buf fill;          /* encoded records not yet handed to a flush */
	uint64_t next_lsn;
	uint32_t pending_records;  /* records in fill */
	/* Async completions in LSN order. An entry is ready once its LSN is
	 * <= durable_lsn (status 0) or the journal has FAILED (status -errno);
	 * journal_poll_completions() pops ready entries from the front. */
	journal_cq pending;
	uint64_t *segs;            /* first LSN of every segment, ascending */
	size_t nsegs, segs_cap;
	int fail_errno;
	char fail_reason[512];
	bool worker_running;
	bool stop;
	pthread_t worker;

	atomic_bool failed;
	_Atomic uint64_t durable_lsn;

	int notify_fd;

	/* --- owner thread only --- */
	journal_reader reader;
	char err[512];
};

/* Logs through opt.log_fn (printf-style). */
void journal_logf(const journal_t *j, int level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Sets the owner-thread error text returned by journal_error(). */
void journal_set_err(journal_t *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* io: fill NULL members of ops with the real syscalls. */
void journal_io_resolve(journal_io_ops *out, const journal_io_ops *in);
/* Writes all of buf through the hook, looping over short counts and EINTR
 * (a short count on a regular file is usually the disk filling up: the
 * next call then reports ENOSPC). Returns 0 or -errno, reason in why. */
int journal_io_write_all(const journal_t *j, int fd, const void *buf, size_t len, const char *what, char *why,
                         size_t whylen);
/* One fdatasync (or fsync for directories), never retried. 0 or -errno. */
int journal_io_datasync(const journal_t *j, int fd, const char *what, char *why, size_t whylen);
int journal_io_fsync(const journal_t *j, int fd, const char *what, char *why, size_t whylen);

/* Creates segment `first_lsn` (header, preallocation, file + dir sync) and
 * makes it current. 0 or -errno, reason in why. Caller holds io_mu. */
int journal_segment_create(journal_t *j, uint64_t first_lsn, char *why, size_t whylen);
/* Preallocates [from, segment_bytes) of fd unless disabled/unsupported. 0 or -errno. */
int journal_segment_preallocate(journal_t *j, int fd, uint64_t from, const char *name, char *why, size_t whylen);
/* Records a new segment in the list (takes mu itself). 0 / -1. */
int journal_segment_list_add(journal_t *j, uint64_t first_lsn);

/*
 * Hands everything in fill to write(); with do_sync also fdatasyncs, then
 * advances durable_lsn (which makes covered completions ready). Any I/O
 * error puts the journal into FAILED. Ready completions are signalled on
 * notify_fd. 0 / -1.
 */
int journal_flush(journal_t *j, bool do_sync);

/* Releases every resource of j (no flushing); used by close and failed opens. */
void journal_destroy(journal_t *j);

/* Makes notify_fd readable. */
void journal_notify(journal_t *j);

/* Worker control (journal_async.c). start: caller holds mu; stop: caller
 * does not hold mu (it joins the thread after its final flush). */
int journal_worker_start(journal_t *j);
void journal_worker_stop(journal_t *j);

#endif
