/* fsyncgate policy: injected write/fdatasync failures put the journal into
 * a permanent FAILED state and the failed call is never retried. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journal/journal.h"
#include "journal_test_util.h"

typedef struct fixture {
	char *dir;
	tj_log log;
	tj_faults faults;
	journal_io_ops ops;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	f->dir = tj_mkdtemp();
	f->ops = tj_fault_ops(&f->faults);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	tj_rmrf(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static journal_t *open_ok(fixture *f, journal_options o, bool faulty)
{
	char err[512] = "";
	journal_t *j = NULL;
	tj_log_clear(&f->log);
	o.log_fn = tj_log_fn;
	o.log_arg = &f->log;
	if (faulty)
		o.io = &f->ops;
	if (journal_open(f->dir, &o, &j, err, sizeof err) != 0)
		fail_msg("journal_open failed: %s", err);
	return j;
}

static void test_fdatasync_failure_is_permanent_and_not_retried(void **state)
{
	fixture *f = *state;
	journal_t *j = open_ok(f, (journal_options){ .mode = JOURNAL_SYNC_EACH }, true);
	assert_int_equal(tj_append_n(j, 3), 0);
	assert_int_equal(journal_durable_lsn(j), 3);
	f->faults.fail_datasync_at = f->faults.datasyncs + 1;
	int syncs_before = f->faults.datasyncs;

	uint8_t p[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	uint64_t lsn = 0;
	assert_int_equal(journal_append(j, 1, 1, p, sizeof p, &lsn), -1);
	assert_int_equal(lsn, 4);
	assert_int_equal(f->faults.datasyncs, syncs_before + 1);
	assert_true(journal_failed(j));
	assert_non_null(strstr(journal_error(j), "fdatasync"));
	assert_non_null(strstr(journal_error(j), "Input/output error"));
	assert_non_null(strstr(journal_error(j), "not retried"));
	assert_int_equal(journal_durable_lsn(j), 3);
	assert_true(tj_log_contains(&f->log, "FAILED"));

	/* Nothing afterwards touches the disk again: no retry of the sync, no
	 * writes, through any entry point. */
	int writes = f->faults.writes, syncs = f->faults.datasyncs, fsyncs = f->faults.fsyncs;
	assert_int_equal(journal_append(j, 1, 1, p, sizeof p, &lsn), -1);
	assert_int_equal(journal_sync(j), -1);
	assert_int_equal(journal_append_async(j, 1, 1, p, sizeof p, (journal_done_fn)abort, NULL, NULL), -1);
	assert_int_equal(journal_durable_lsn(j), 3);
	assert_true(journal_failed(j));
	assert_non_null(strstr(journal_error(j), "fdatasync")); /* first reason kept */
	assert_int_equal(journal_close(j), -1);
	assert_int_equal(f->faults.writes, writes);
	assert_int_equal(f->faults.datasyncs, syncs);
	assert_int_equal(f->faults.fsyncs, fsyncs);

	/* The acknowledged records survived. */
	j = open_ok(f, (journal_options){ 0 }, false);
	tj_collect c;
	assert_int_equal(tj_replay(j, 1, &c), 0);
	assert_true(c.count >= 3); /* record 4 was written before its sync failed */
	assert_int_equal(c.first, 1);
	assert_int_equal(c.gaps, 0);
	journal_close(j);
}

static void test_batch_sync_failure(void **state)
{
	fixture *f = *state;
	f->faults.fail_errno = EIO;
	journal_t *j = open_ok(f, (journal_options){ .mode = JOURNAL_SYNC_BATCH }, true);
	assert_int_equal(tj_append_n(j, 10), 0);
	f->faults.fail_datasync_at = f->faults.datasyncs + 1;
	assert_int_equal(journal_sync(j), -1);
	assert_true(journal_failed(j));
	assert_int_equal(journal_durable_lsn(j), 0);
	int syncs = f->faults.datasyncs;
	assert_int_equal(journal_sync(j), -1);
	assert_int_equal(f->faults.datasyncs, syncs);
	assert_int_equal(journal_close(j), -1);
	assert_int_equal(f->faults.datasyncs, syncs);
}

static void test_enospc_short_write(void **state)
{
	fixture *f = *state;
	journal_t *j = open_ok(f, (journal_options){ .mode = JOURNAL_SYNC_EACH }, true);
	assert_int_equal(tj_append_n(j, 3), 0);
	f->faults.short_write_at = f->faults.writes + 1; /* half a record, then ENOSPC */
	int syncs = f->faults.datasyncs;
	assert_int_equal(tj_append_n(j, 1), -1);
	assert_true(journal_failed(j));
	assert_non_null(strstr(journal_error(j), "No space left on device"));
	assert_non_null(strstr(journal_error(j), "write("));
	assert_int_equal(f->faults.datasyncs, syncs); /* no sync after a failed write */
	assert_int_equal(tj_append_n(j, 1), -1);
	assert_int_equal(journal_close(j), -1);

	/* The half record is a torn tail on the next open. */
	j = open_ok(f, (journal_options){ 0 }, false);
	assert_true(tj_log_contains(&f->log, "torn tail"));
	assert_int_equal(journal_next_lsn(j), 4);
	tj_collect c;
	assert_int_equal(tj_replay(j, 1, &c), 0);
	assert_int_equal(c.count, 3);
	assert_int_equal(c.mismatches, 0);
	journal_close(j);
}

static void test_write_error(void **state)
{
	fixture *f = *state;
	f->faults.fail_errno = EIO;
	journal_t *j = open_ok(f, (journal_options){ .mode = JOURNAL_SYNC_EACH }, true);
	f->faults.fail_write_at = f->faults.writes + 1;
	assert_int_equal(tj_append_n(j, 1), -1);
	assert_true(journal_failed(j));
	assert_non_null(strstr(journal_error(j), "write("));
	assert_non_null(strstr(journal_error(j), "Input/output error"));
	journal_close(j);
}

/* EINTR before anything was written and a short count that is followed by
 * a successful write are ordinary POSIX behaviour, not failures. */
static void test_eintr_and_partial_write_are_not_failures(void **state)
{
	fixture *f = *state;
	journal_t *j = open_ok(f, (journal_options){ .mode = JOURNAL_SYNC_EACH }, true);
	f->faults.eintr_write_at = f->faults.writes + 1;
	f->faults.partial_write_at = f->faults.writes + 3;
	int writes = f->faults.writes;
	assert_int_equal(tj_append_n(j, 2), 0);
	assert_int_equal(f->faults.writes, writes + 4); /* EINTR + retry, half + rest */
	assert_false(journal_failed(j));
	assert_int_equal(journal_close(j), 0);
	j = open_ok(f, (journal_options){ 0 }, false);
	assert_int_equal(journal_next_lsn(j), 3);
	assert_int_equal(f->log.n, 0);
	journal_close(j);
}

/*
 * Failures while rolling to a new segment. With 1024-byte segments and
 * 128-byte records (100-byte payloads), 7 records fill segment 1 and the
 * 8th append rolls: fdatasync(old), write(header of new), fdatasync(new),
 * fsync(dir), then the record's own write + fdatasync.
 */
static int append_fixed(journal_t *j)
{
	uint8_t p[100];
	memset(p, 0x5A, sizeof p);
	return journal_append(j, 2, 3, p, sizeof p, NULL);
}

typedef struct count_only {
	uint64_t n, last, gaps;
} count_only;

static int count_fn(void *arg, const journal_record *r)
{
	count_only *c = arg;
	if (c->n > 0 && r->lsn != c->last + 1)
		c->gaps++;
	c->last = r->lsn;
	c->n++;
	return 0;
}

static journal_t *fill_first_segment(fixture *f)
{
	journal_t *j = open_ok(f, (journal_options){ .segment_bytes = 1024, .mode = JOURNAL_SYNC_EACH }, true);
	for (int i = 0; i < 7; i++)
		assert_int_equal(append_fixed(j), 0);
	uint64_t segs[4];
	assert_int_equal(tj_segments(f->dir, segs, 4), 1);
	return j;
}

static void reopen_expect(fixture *f, uint64_t records, size_t segments)
{
	journal_t *j = open_ok(f, (journal_options){ .segment_bytes = 1024 }, false);
	count_only c = { 0, 0, 0 };
	assert_int_equal(journal_replay(j, 1, count_fn, &c), 0);
	assert_int_equal(c.n, records);
	assert_int_equal(c.gaps, 0);
	assert_int_equal(journal_next_lsn(j), records + 1);
	/* And appending rolls normally again. */
	assert_int_equal(append_fixed(j), 0);
	assert_int_equal(journal_close(j), 0);
	uint64_t segs[4];
	assert_int_equal(tj_segments(f->dir, segs, 4), segments);
}

static void test_roll_old_segment_sync_failure(void **state)
{
	fixture *f = *state;
	journal_t *j = fill_first_segment(f);
	f->faults.fail_datasync_at = f->faults.datasyncs + 1;
	assert_int_equal(append_fixed(j), -1);
	assert_true(journal_failed(j));
	assert_non_null(strstr(journal_error(j), "fdatasync(journal-0000000000000001.seg)"));
	uint64_t segs[4];
	assert_int_equal(tj_segments(f->dir, segs, 4), 1); /* no new segment after a failed sync */
	assert_int_equal(journal_close(j), -1);
	reopen_expect(f, 7, 2);
}

static void test_roll_header_write_failure(void **state)
{
	fixture *f = *state;
	journal_t *j = fill_first_segment(f);
	f->faults.fail_write_at = f->faults.writes + 1;
	assert_int_equal(append_fixed(j), -1);
	assert_true(journal_failed(j));
	assert_non_null(strstr(journal_error(j), "write(journal-0000000000000008.seg)"));
	assert_int_equal(journal_close(j), -1);
	/* The empty segment 8 is removed on open, then recreated by the append. */
	reopen_expect(f, 7, 2);
	assert_true(tj_log_contains(&f->log, "incomplete segment"));
}

static void test_roll_dir_fsync_failure(void **state)
{
	fixture *f = *state;
	journal_t *j = fill_first_segment(f);
	int writes = f->faults.writes;
	f->faults.fail_fsync_at = f->faults.fsyncs + 1;
	assert_int_equal(append_fixed(j), -1);
	assert_true(journal_failed(j));
	assert_non_null(strstr(journal_error(j), "fsync("));
	assert_non_null(strstr(journal_error(j), f->dir));
	assert_int_equal(f->faults.writes, writes + 1); /* the header, but not the record */
	assert_int_equal(journal_close(j), -1);
	/* Segment 8 has a valid header and no records: LSNs continue at 8. */
	reopen_expect(f, 7, 2);
}

/* Async path: a failing sync delivers every outstanding completion exactly
 * once, in LSN order: durable ones with 0, the rest with -EIO. */
typedef struct async_log {
	uint64_t n;
	uint64_t lsn[1000];
	int status[1000];
} async_log;

static void record_done(void *arg, uint64_t lsn, int status)
{
	async_log *l = arg;
	if (l->n < 1000) {
		l->lsn[l->n] = lsn;
		l->status[l->n] = status;
	}
	l->n++;
}

static void test_async_failure_fails_pending_completions(void **state)
{
	fixture *f = *state;
	/* A huge delay makes "16 records pending" the only sync trigger, so
	 * the test does not depend on scheduling. */
	journal_options o = { .mode = JOURNAL_SYNC_BATCH, .batch_max_records = 16, .batch_max_delay_us = 60000000 };
	journal_t *j = open_ok(f, o, true);
	f->faults.fail_datasync_at = f->faults.datasyncs + 3;
	static async_log l;
	memset(&l, 0, sizeof l);
	uint8_t buf[TJ_PAYLOAD_MAX];
	uint64_t accepted = 0, next = 1;
	struct pollfd pfd = { .fd = journal_notify_fd(j), .events = POLLIN };
	/* Waves of 16 appends, each waited for, so every wave costs a sync
	 * and the third sync (the failing one) is reached deterministically. */
	for (int wave = 0; wave < 20 && !journal_failed(j); wave++) {
		for (int k = 0; k < 16; k++, next++) {
			size_t len = tj_payload(next, buf, sizeof buf);
			assert_int_equal(
				journal_append_async(j, tj_type_for(next), tj_ts_for(next), buf, len, record_done, &l, NULL), 0);
			accepted++;
		}
		for (int spins = 0; l.n < accepted && spins < 1000; spins++) {
			poll(&pfd, 1, 10);
			journal_poll_completions(j);
		}
	}
	assert_int_equal(l.n, accepted);
	assert_true(journal_failed(j));
	uint64_t ok = 0;
	for (uint64_t i = 0; i < l.n; i++) {
		assert_int_equal(l.lsn[i], i + 1); /* order, exactly once */
		if (l.status[i] == 0) {
			assert_int_equal(ok, i); /* all successes come first */
			ok++;
		} else {
			assert_int_equal(l.status[i], -EIO);
		}
	}
	assert_int_equal(ok, journal_durable_lsn(j));
	assert_int_equal(ok, 32); /* two waves were synced before the failing sync */
	assert_int_equal(accepted, 48);
	assert_int_equal(journal_append_async(j, 1, 1, buf, 4, record_done, &l, NULL), -1);
	uint64_t before = l.n;
	assert_int_equal(journal_close(j), -1);
	assert_int_equal(l.n, before); /* the refused append never completes */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fdatasync_failure_is_permanent_and_not_retried, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batch_sync_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enospc_short_write, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_eintr_and_partial_write_are_not_failures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_roll_old_segment_sync_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_roll_header_write_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_roll_dir_fsync_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_async_failure_fails_pending_completions, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
