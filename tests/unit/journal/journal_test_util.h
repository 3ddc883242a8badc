/* Shared helpers for the journal tests: temp dirs, log capture, fault
 * injection through journal_io_ops, and deterministic payloads. */
#ifndef TESTS_UNIT_JOURNAL_TEST_UTIL_H
#define TESTS_UNIT_JOURNAL_TEST_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "journal/journal.h"

/* mkdtemp("/tmp/thjrnl-XXXXXX"); aborts on failure. Caller frees. */
char *tj_mkdtemp(void);
/* Removes every file in dir (one level), then dir. */
void tj_rmrf(const char *dir);

/* Captured log lines. */
typedef struct tj_log {
	char lines[64][1024];
	int n;
} tj_log;
void tj_log_fn(void *arg, int level, const char *msg);
bool tj_log_contains(const tj_log *l, const char *needle);
void tj_log_clear(tj_log *l);

/* Fault injection. Counters count every call; *_at are 1-based call
 * numbers (0 = never). */
typedef struct tj_faults {
	int writes, datasyncs, fsyncs;
	int fail_write_at;    /* that write returns -1/fail_errno */
	int short_write_at;   /* that write writes half, later writes fail with ENOSPC */
	int eintr_write_at;   /* that write returns -1/EINTR without writing */
	int partial_write_at; /* that write writes half and returns the short count */
	int fail_datasync_at; /* that fdatasync returns -1/fail_errno */
	int fail_fsync_at;    /* that fsync returns -1/fail_errno */
	int fail_errno;       /* default EIO */
	bool disk_full;       /* set after a short write */
} tj_faults;
journal_io_ops tj_fault_ops(tj_faults *f);

/* Deterministic payload for an LSN: 1..max bytes, never zero bytes. */
size_t tj_payload(uint64_t lsn, uint8_t *buf, size_t max);
#define TJ_PAYLOAD_MAX 300u

/* Replay collector: checks each record against tj_payload(lsn) and
 * type/timestamp derived from the LSN. */
typedef struct tj_collect {
	uint64_t count;
	uint64_t first, last;
	uint64_t gaps;       /* records whose LSN is not last+1 */
	uint64_t mismatches; /* payload/type/ts not what tj_append_n wrote */
	int stop_after;      /* >0: return 7 after this many records */
} tj_collect;
int tj_collect_fn(void *arg, const journal_record *r);
/* Replays from from_lsn into a fresh collector; returns journal_replay's rc. */
int tj_replay(journal_t *j, uint64_t from_lsn, tj_collect *c);

uint16_t tj_type_for(uint64_t lsn);
int64_t tj_ts_for(uint64_t lsn);
/* Appends records j->next .. +n-1 with tj_payload; returns 0 or the first failing rc. */
int tj_append_n(journal_t *j, uint64_t n);

/* Segment files of dir, ascending first LSN; returns how many (<= max). */
size_t tj_segments(const char *dir, uint64_t *out, size_t max);
void tj_seg_path(char *out, size_t outlen, const char *dir, uint64_t first_lsn);
/* Whole-file helpers; read returns a malloc'd buffer. */
uint8_t *tj_read_file(const char *path, size_t *len);
void tj_write_file(const char *path, const uint8_t *data, size_t len);
/* Offsets of the records in a segment image (walking the length fields). */
size_t tj_record_offsets(const uint8_t *seg, size_t len, uint64_t *offs, size_t max);

#endif
