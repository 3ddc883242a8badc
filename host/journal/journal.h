/*
 * Write-ahead journal: the order manager's source of truth.
 *
 * The OMS writes every order intent and order event here and lets an order
 * leave the host only once its record is durable; on restart it replays the
 * journal to rebuild state. The journal itself knows nothing about orders:
 * a record is a typed byte payload with a caller-supplied timestamp (the
 * journal never reads the wall clock for record data) and a strictly
 * increasing log sequence number (LSN, first record = 1).
 *
 * On disk: a directory of segment files `journal-<16 hex first LSN>.seg`,
 * each a 32-byte header followed by CRC-protected records (see
 * journal_format.h). Segments are preallocated to their full size so that
 * fdatasync() does not also have to commit a file-size change per record.
 *
 * Threading: a journal_t belongs to ONE thread (the event loop). Every
 * function here must be called from that thread. Internally a worker thread
 * (started by the first journal_append_async) performs group commits; its
 * completions are handed back to the owner thread by journal_poll_completions.
 *
 * Failure policy ("fsyncgate"): if write() or fdatasync() fails, the kernel
 * may already have dropped the dirty pages, so a retried fsync could report
 * success without the data. The journal therefore enters a permanent FAILED
 * state: the failed call is never retried, every later append/sync fails,
 * pending completions are delivered with an error status, and
 * journal_failed()/journal_error() say why. The OMS halts trading on that.
 */
#ifndef HOST_JOURNAL_JOURNAL_H
#define HOST_JOURNAL_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Largest payload a record may carry; larger appends are refused. */
#define JOURNAL_MAX_PAYLOAD (1024u * 1024u)
#define JOURNAL_DEFAULT_SEGMENT_BYTES ((size_t)64 * 1024 * 1024)
#define JOURNAL_DEFAULT_BATCH_RECORDS 64u
#define JOURNAL_DEFAULT_BATCH_DELAY_US 1000

typedef struct journal journal_t;

typedef enum journal_sync_mode {
	/* journal_append() returns only after write + fdatasync; the worker
	 * syncs as soon as anything is pending (batches still form naturally
	 * while a sync is in flight). */
	JOURNAL_SYNC_EACH = 0,
	/* journal_append() only buffers (journal_sync() makes it durable); the
	 * worker syncs when batch_max_records are pending or batch_max_delay_us
	 * have passed since it saw the first pending record. */
	JOURNAL_SYNC_BATCH = 1,
	/* Writes reach the kernel but fdatasync is never called; "durable" then
	 * only means "written". For tests and benchmarks, never for orders. */
	JOURNAL_SYNC_NONE = 2,
} journal_sync_mode;

/*
 * Fault-injection hook. Every write of segment data and every sync goes
 * through these; NULL members mean the real syscall. `fsync` is used for
 * directories (new segment entries) and the open-time tail repair.
 */
typedef struct journal_io_ops {
	ssize_t (*write)(void *ctx, int fd, const void *buf, size_t len);
	int (*fdatasync)(void *ctx, int fd);
	int (*fsync)(void *ctx, int fd);
	void *ctx;
} journal_io_ops;

/* level is a TH_LOG_* value; msg is one line without newline. */
typedef void (*journal_log_fn)(void *arg, int level, const char *msg);

/* All-zero options mean the defaults. */
typedef struct journal_options {
	size_t segment_bytes;        /* 0 = 64 MiB; a segment rolls once full */
	journal_sync_mode mode;      /* default JOURNAL_SYNC_EACH */
	uint32_t batch_max_records;  /* 0 = 64 (SYNC_BATCH worker trigger) */
	int64_t batch_max_delay_us;  /* 0 = 1000 (SYNC_BATCH worker trigger) */
	bool no_preallocate;         /* true: grow segments by appending */
	const journal_io_ops *io;    /* NULL = real syscalls; copied at open */
	journal_log_fn log_fn;       /* NULL = host log (common/log.h) */
	void *log_arg;
} journal_options;

/* Valid only for the duration of the replay callback. */
typedef struct journal_record {
	uint64_t lsn;
	int64_t ts_ns;
	uint16_t type;
	uint16_t flags;   /* always 0 in format version 1 */
	uint32_t len;
	const void *payload;
} journal_record;

/* Completion of an async append, run on the owner thread from
 * journal_poll_completions(): status 0 = durable, otherwise -errno of the
 * failure that put the journal into FAILED state (the record may or may not
 * be on disk; it was never acknowledged durable). */
typedef void (*journal_done_fn)(void *arg, uint64_t lsn, int status);

/*
 * Opens (creating the directory if missing) and validates every record.
 * A torn or corrupt tail (bad length, CRC mismatch, short record) in the
 * LAST segment is cut away with a log line naming file, offset and reason;
 * corruption anywhere else, an LSN gap, or a second process holding the
 * directory lock refuses the open with a message in err. Returns 0 / -1.
 */
int journal_open(const char *dir, const journal_options *opts, journal_t **out, char *err, size_t errlen);

/*
 * Calls fn for every durable record with lsn >= from_lsn, in LSN order,
 * reading the segment files (records appended but not yet durable are not
 * visible). fn returning non-zero stops the replay and that value is
 * returned. Returns 0 when done, -1 on a read error or corruption found
 * since open (see journal_error()). Not re-entrant: do not call
 * journal_replay from its own callback.
 */
int journal_replay(journal_t *j, uint64_t from_lsn, int (*fn)(void *arg, const journal_record *r), void *arg);

/*
 * Appends one record and returns its LSN in *lsn_out (may be NULL). With
 * SYNC_EACH it is durable on return; otherwise it is only buffered (and
 * written, not synced, once 1 MiB has piled up without a worker).
 * Returns -1 without consuming an LSN if the payload exceeds
 * JOURNAL_MAX_PAYLOAD or the journal had already FAILED; returns -1 after
 * consuming the LSN if writing/syncing it failed just now (the journal is
 * FAILED from then on and the record must be treated as not durable).
 */
int journal_append(journal_t *j, uint16_t type, int64_t ts_ns, const void *payload, size_t len, uint64_t *lsn_out);

/* Writes and fdatasyncs everything appended so far. 0 / -1 (FAILED). */
int journal_sync(journal_t *j);

/* Highest LSN known durable (0 when the journal is empty). */
uint64_t journal_durable_lsn(const journal_t *j);
/* LSN the next append will get. */
uint64_t journal_next_lsn(const journal_t *j);
/* Lowest LSN still held on disk (1 unless old segments were removed). */
uint64_t journal_first_lsn(const journal_t *j);

/*
 * Group commit for the event loop: appends like journal_append() but never
 * blocks on I/O; the worker thread makes it durable and done(arg, lsn,
 * status) runs later on this thread from journal_poll_completions().
 * Completions arrive in LSN order, exactly once each (journal_close
 * delivers any still outstanding). Returns -1 (done will never be called)
 * on an oversized payload, a FAILED journal, or if the worker cannot start.
 */
int journal_append_async(journal_t *j, uint16_t type, int64_t ts_ns, const void *payload, size_t len,
                         journal_done_fn done, void *arg, uint64_t *lsn_out);

/* Readable (eventfd) when completions are waiting. Never closed by the caller. */
int journal_notify_fd(const journal_t *j);

/* Runs every ready completion on the calling thread; returns how many.
 * Callbacks may append again but must not close the journal. */
size_t journal_poll_completions(journal_t *j);

/* True once the journal has entered the permanent FAILED state. */
bool journal_failed(const journal_t *j);
/* The failure reason when FAILED, otherwise the last error message ("" if none). */
const char *journal_error(const journal_t *j);

/*
 * Syncs everything still buffered, stops the worker, delivers outstanding
 * completions, and frees j. Returns -1 if the journal was or became FAILED
 * (the reason is logged), 0 otherwise. j is freed in both cases.
 */
int journal_close(journal_t *j);

#endif
