/* Group commit: completions arrive on the caller's thread, in LSN order,
 * exactly once, only after the record is durable. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journal/journal.h"
#include "journal_test_util.h"

#define N_RECORDS 3000u

typedef struct fixture {
	char *dir;
	tj_log log;
	tj_faults faults;
	journal_io_ops ops;
} fixture;

typedef struct done_log {
	journal_t *j;
	pthread_t owner;
	uint64_t n;
	uint64_t out_of_order;  /* lsn <= previous */
	uint64_t gaps;          /* lsn != previous + 1 */
	uint64_t not_durable;   /* durable_lsn < lsn when the completion ran */
	uint64_t durable_back;  /* durable_lsn went backwards between completions */
	uint64_t bad_status;
	uint64_t wrong_thread;
	uint64_t last_lsn;
	uint64_t last_durable;
	uint64_t reappend;      /* >0: append another async record from the callback */
} done_log;

static void on_done(void *arg, uint64_t lsn, int status)
{
	done_log *d = arg;
	uint64_t durable = journal_durable_lsn(d->j);
	if (lsn <= d->last_lsn)
		d->out_of_order++;
	if (lsn != d->last_lsn + 1)
		d->gaps++;
	if (durable < lsn)
		d->not_durable++;
	if (durable < d->last_durable)
		d->durable_back++;
	if (status != 0)
		d->bad_status++;
	if (!pthread_equal(pthread_self(), d->owner))
		d->wrong_thread++;
	d->last_lsn = lsn;
	d->last_durable = durable;
	d->n++;
	if (d->reappend > 0) {
		d->reappend--;
		uint8_t buf[TJ_PAYLOAD_MAX];
		uint64_t next = journal_next_lsn(d->j);
		size_t len = tj_payload(next, buf, sizeof buf);
		if (journal_append_async(d->j, tj_type_for(next), tj_ts_for(next), buf, len, on_done, d, NULL) != 0)
			d->bad_status++;
	}
}

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

static journal_t *open_ok(fixture *f, journal_options o)
{
	char err[512] = "";
	journal_t *j = NULL;
	o.log_fn = tj_log_fn;
	o.log_arg = &f->log;
	o.io = &f->ops; /* counting only; no faults armed */
	if (journal_open(f->dir, &o, &j, err, sizeof err) != 0)
		fail_msg("journal_open failed: %s", err);
	return j;
}

static void wait_for(journal_t *j, done_log *d, uint64_t want)
{
	struct pollfd pfd = { .fd = journal_notify_fd(j), .events = POLLIN };
	for (int spins = 0; d->n < want && spins < 3000; spins++) {
		poll(&pfd, 1, 10);
		journal_poll_completions(j);
	}
}

static void run_group_commit(fixture *f, journal_options o)
{
	journal_t *j = open_ok(f, o);
	done_log d = { .j = j, .owner = pthread_self() };
	uint8_t buf[TJ_PAYLOAD_MAX];
	uint64_t prev_durable = 0;
	for (uint64_t i = 1; i <= N_RECORDS; i++) {
		size_t len = tj_payload(i, buf, sizeof buf);
		uint64_t lsn = 0;
		assert_int_equal(journal_append_async(j, tj_type_for(i), tj_ts_for(i), buf, len, on_done, &d, &lsn), 0);
		assert_int_equal(lsn, i);
		/* Poll now and then, as an event loop would between events. */
		if (i % 100 == 0)
			journal_poll_completions(j);
		uint64_t dl = journal_durable_lsn(j);
		assert_true(dl >= prev_durable);
		assert_true(dl <= i);
		prev_durable = dl;
	}
	wait_for(j, &d, N_RECORDS);
	assert_int_equal(d.n, N_RECORDS);
	assert_int_equal(d.last_lsn, N_RECORDS);
	assert_int_equal(d.out_of_order, 0);
	assert_int_equal(d.gaps, 0);
	assert_int_equal(d.not_durable, 0);
	assert_int_equal(d.durable_back, 0);
	assert_int_equal(d.bad_status, 0);
	assert_int_equal(d.wrong_thread, 0);
	assert_int_equal(journal_durable_lsn(j), N_RECORDS);
	/* Nothing is delivered twice. */
	assert_int_equal(journal_poll_completions(j), 0);
	print_message("mode %d: %u records, %d fdatasync calls\n", (int)o.mode, N_RECORDS, f->faults.datasyncs);
	if (o.mode != JOURNAL_SYNC_NONE)
		assert_true(f->faults.datasyncs >= 1);
	else
		assert_int_equal(f->faults.datasyncs, 0);
	assert_int_equal(journal_close(j), 0);

	j = open_ok(f, (journal_options){ .segment_bytes = o.segment_bytes });
	tj_collect c;
	assert_int_equal(tj_replay(j, 1, &c), 0);
	assert_int_equal(c.count, N_RECORDS);
	assert_int_equal(c.gaps, 0);
	assert_int_equal(c.mismatches, 0);
	journal_close(j);
}

static void test_group_commit_sync_each(void **state)
{
	run_group_commit(*state, (journal_options){ .mode = JOURNAL_SYNC_EACH, .segment_bytes = 64 * 1024 });
}

static void test_group_commit_batch(void **state)
{
	run_group_commit(*state, (journal_options){ .mode = JOURNAL_SYNC_BATCH, .segment_bytes = 64 * 1024,
	                                            .batch_max_records = 64, .batch_max_delay_us = 1000 });
}

static void test_group_commit_none(void **state)
{
	run_group_commit(*state, (journal_options){ .mode = JOURNAL_SYNC_NONE, .segment_bytes = 64 * 1024 });
}

/* The delay alone (no full batch) must make records durable. */
static void test_batch_delay_trigger(void **state)
{
	fixture *f = *state;
	journal_t *j = open_ok(f, (journal_options){ .mode = JOURNAL_SYNC_BATCH, .batch_max_records = 1000,
	                                             .batch_max_delay_us = 2000 });
	done_log d = { .j = j, .owner = pthread_self() };
	uint8_t buf[TJ_PAYLOAD_MAX];
	for (uint64_t i = 1; i <= 3; i++) {
		size_t len = tj_payload(i, buf, sizeof buf);
		assert_int_equal(journal_append_async(j, tj_type_for(i), tj_ts_for(i), buf, len, on_done, &d, NULL), 0);
	}
	struct pollfd pfd = { .fd = journal_notify_fd(j), .events = POLLIN };
	assert_int_equal(poll(&pfd, 1, 10000), 1); /* the notify fd becomes readable */
	wait_for(j, &d, 3);
	assert_int_equal(d.n, 3);
	assert_int_equal(d.out_of_order, 0);
	assert_int_equal(d.not_durable, 0);
	journal_close(j);
}

static void test_close_delivers_outstanding(void **state)
{
	fixture *f = *state;
	journal_t *j = open_ok(f, (journal_options){ .mode = JOURNAL_SYNC_BATCH, .batch_max_records = 100000,
	                                             .batch_max_delay_us = 60000000 });
	done_log d = { .j = j, .owner = pthread_self() };
	uint8_t buf[TJ_PAYLOAD_MAX];
	for (uint64_t i = 1; i <= 100; i++) {
		size_t len = tj_payload(i, buf, sizeof buf);
		assert_int_equal(journal_append_async(j, tj_type_for(i), tj_ts_for(i), buf, len, on_done, &d, NULL), 0);
	}
	assert_int_equal(d.n, 0); /* nothing durable yet: the batch is not full */
	d.j = j;
	/* on_done reads journal_durable_lsn(j) during close; j is still valid then. */
	assert_int_equal(journal_close(j), 0);
	assert_int_equal(d.n, 100);
	assert_int_equal(d.out_of_order, 0);
	assert_int_equal(d.gaps, 0);
	assert_int_equal(d.bad_status, 0);
	assert_int_equal(d.not_durable, 0);

	j = open_ok(f, (journal_options){ 0 });
	assert_int_equal(journal_next_lsn(j), 101);
	journal_close(j);
}

static void test_callbacks_may_append_again(void **state)
{
	fixture *f = *state;
	journal_t *j = open_ok(f, (journal_options){ .mode = JOURNAL_SYNC_EACH });
	done_log d = { .j = j, .owner = pthread_self(), .reappend = 50 };
	uint8_t buf[TJ_PAYLOAD_MAX];
	size_t len = tj_payload(1, buf, sizeof buf);
	assert_int_equal(journal_append_async(j, tj_type_for(1), tj_ts_for(1), buf, len, on_done, &d, NULL), 0);
	wait_for(j, &d, 51);
	assert_int_equal(d.n, 51);
	assert_int_equal(d.out_of_order, 0);
	assert_int_equal(d.bad_status, 0);
	journal_close(j);
}

/* Synchronous appends and journal_sync() interleave with the worker. */
static void test_mixed_sync_and_async(void **state)
{
	fixture *f = *state;
	journal_t *j = open_ok(f, (journal_options){ .mode = JOURNAL_SYNC_BATCH, .segment_bytes = 8192,
	                                             .batch_max_records = 8, .batch_max_delay_us = 500 });
	done_log d = { .j = j, .owner = pthread_self() };
	uint8_t buf[TJ_PAYLOAD_MAX];
	uint64_t async_count = 0;
	for (uint64_t i = 1; i <= 600; i++) {
		size_t len = tj_payload(i, buf, sizeof buf);
		if (i % 3 == 0) {
			assert_int_equal(journal_append(j, tj_type_for(i), tj_ts_for(i), buf, len, NULL), 0);
		} else {
			assert_int_equal(journal_append_async(j, tj_type_for(i), tj_ts_for(i), buf, len, on_done, &d, NULL), 0);
			async_count++;
		}
		if (i % 50 == 0)
			assert_int_equal(journal_sync(j), 0);
	}
	wait_for(j, &d, async_count);
	assert_int_equal(d.n, async_count);
	assert_int_equal(d.out_of_order, 0);
	assert_int_equal(d.bad_status, 0);
	assert_int_equal(d.not_durable, 0);
	assert_int_equal(journal_close(j), 0);
	j = open_ok(f, (journal_options){ .segment_bytes = 8192 });
	tj_collect c;
	assert_int_equal(tj_replay(j, 1, &c), 0);
	assert_int_equal(c.count, 600);
	assert_int_equal(c.gaps, 0);
	assert_int_equal(c.mismatches, 0);
	journal_close(j);
}

static void test_async_oversized_refused(void **state)
{
	fixture *f = *state;
	journal_t *j = open_ok(f, (journal_options){ 0 });
	done_log d = { .j = j, .owner = pthread_self() };
	uint8_t *big = calloc(1, (size_t)JOURNAL_MAX_PAYLOAD + 1);
	assert_int_equal(journal_append_async(j, 1, 1, big, (size_t)JOURNAL_MAX_PAYLOAD + 1, on_done, &d, NULL), -1);
	assert_non_null(strstr(journal_error(j), "exceeds"));
	assert_false(journal_failed(j));
	assert_int_equal(journal_next_lsn(j), 1);
	assert_int_equal(journal_close(j), 0);
	assert_int_equal(d.n, 0);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_group_commit_sync_each, setup, teardown),
		cmocka_unit_test_setup_teardown(test_group_commit_batch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_group_commit_none, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batch_delay_trigger, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_delivers_outstanding, setup, teardown),
		cmocka_unit_test_setup_teardown(test_callbacks_may_append_again, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mixed_sync_and_async, setup, teardown),
		cmocka_unit_test_setup_teardown(test_async_oversized_refused, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
