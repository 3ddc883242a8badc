/* Round trips, segments, LSN continuity, limits and option errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "journal/journal.h"
#include "journal/journal_format.h"
#include "journal_test_util.h"

typedef struct fixture {
	char *dir;
	tj_log log;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	f->dir = tj_mkdtemp();
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
	int rc = journal_open(f->dir, &o, &j, err, sizeof err);
	if (rc != 0)
		fail_msg("journal_open failed: %s", err);
	assert_non_null(j);
	return j;
}

static void test_empty_journal(void **state)
{
	fixture *f = *state;
	journal_t *j = open_ok(f, (journal_options){ 0 });
	assert_int_equal(journal_next_lsn(j), 1);
	assert_int_equal(journal_durable_lsn(j), 0);
	assert_int_equal(journal_first_lsn(j), 1);
	assert_false(journal_failed(j));
	tj_collect c;
	assert_int_equal(tj_replay(j, 1, &c), 0);
	assert_int_equal(c.count, 0);
	assert_int_equal(journal_close(j), 0);
	/* The first segment exists from the start, with a valid header. */
	uint64_t segs[4];
	assert_int_equal(tj_segments(f->dir, segs, 4), 1);
	assert_int_equal(segs[0], 1);
}

static void test_roundtrip_across_segments(void **state)
{
	fixture *f = *state;
	journal_options o = { .segment_bytes = 4096, .mode = JOURNAL_SYNC_BATCH };
	journal_t *j = open_ok(f, o);
	assert_int_equal(tj_append_n(j, 500), 0);
	assert_int_equal(journal_next_lsn(j), 501);
	assert_int_equal(journal_sync(j), 0);
	assert_int_equal(journal_durable_lsn(j), 500);

	tj_collect c;
	assert_int_equal(tj_replay(j, 1, &c), 0);
	assert_int_equal(c.count, 500);
	assert_int_equal(c.first, 1);
	assert_int_equal(c.last, 500);
	assert_int_equal(c.gaps, 0);
	assert_int_equal(c.mismatches, 0);
	assert_int_equal(journal_close(j), 0);

	/* ~165 bytes per record on average -> 500 records need >= 20 segments
	 * of 4 KiB; every segment is named after the LSN of its first record. */
	uint64_t segs[256];
	size_t n = tj_segments(f->dir, segs, 256);
	assert_true(n >= 15);
	assert_int_equal(segs[0], 1);
	for (size_t i = 1; i < n; i++) {
		char path[600];
		size_t len;
		tj_seg_path(path, sizeof path, f->dir, segs[i]);
		uint8_t *img = tj_read_file(path, &len);
		assert_non_null(img);
		assert_true(len >= 4096); /* preallocated */
		uint64_t first;
		char why[128];
		assert_int_equal(journal_seg_header_decode(img, &first, why, sizeof why), 0);
		assert_int_equal(first, segs[i]);
		assert_int_equal(journal_get_u64(img + JOURNAL_SEG_HEADER_BYTES + 8), segs[i]); /* first record's LSN */
		free(img);
	}

	/* Reopen: same records, LSNs continue. */
	j = open_ok(f, o);
	assert_int_equal(journal_next_lsn(j), 501);
	assert_int_equal(journal_durable_lsn(j), 500);
	assert_int_equal(tj_replay(j, 1, &c), 0);
	assert_int_equal(c.count, 500);
	assert_int_equal(c.mismatches, 0);
	assert_int_equal(tj_append_n(j, 10), 0);
	assert_int_equal(journal_close(j), 0); /* close syncs */

	j = open_ok(f, o);
	assert_int_equal(journal_next_lsn(j), 511);
	assert_int_equal(tj_replay(j, 1, &c), 0);
	assert_int_equal(c.count, 510);
	assert_int_equal(c.last, 510);
	assert_int_equal(c.gaps, 0);
	assert_int_equal(c.mismatches, 0);
	assert_int_equal(journal_close(j), 0);
	assert_int_equal(f->log.n, 0); /* clean opens log nothing */
}

static void test_lsn_continuity_many_reopens(void **state)
{
	fixture *f = *state;
	journal_options o = { .segment_bytes = 2048, .mode = JOURNAL_SYNC_EACH };
	for (int round = 0; round < 8; round++) {
		journal_t *j = open_ok(f, o);
		assert_int_equal(journal_next_lsn(j), (uint64_t)round * 13 + 1);
		assert_int_equal(tj_append_n(j, 13), 0);
		assert_int_equal(journal_durable_lsn(j), (uint64_t)(round + 1) * 13);
		assert_int_equal(journal_close(j), 0);
	}
	journal_t *j = open_ok(f, o);
	tj_collect c;
	assert_int_equal(tj_replay(j, 1, &c), 0);
	assert_int_equal(c.count, 104);
	assert_int_equal(c.gaps, 0);
	assert_int_equal(c.mismatches, 0);
	journal_close(j);
}

static void test_replay_from_and_stop(void **state)
{
	fixture *f = *state;
	journal_options o = { .segment_bytes = 4096, .mode = JOURNAL_SYNC_BATCH };
	journal_t *j = open_ok(f, o);
	assert_int_equal(tj_append_n(j, 300), 0);
	assert_int_equal(journal_sync(j), 0);
	tj_collect c;
	assert_int_equal(tj_replay(j, 250, &c), 0);
	assert_int_equal(c.count, 51);
	assert_int_equal(c.first, 250);
	assert_int_equal(c.last, 300);
	assert_int_equal(c.mismatches, 0);
	assert_int_equal(tj_replay(j, 301, &c), 0);
	assert_int_equal(c.count, 0);
	assert_int_equal(tj_replay(j, 0, &c), 0);
	assert_int_equal(c.count, 300);

	memset(&c, 0, sizeof c);
	c.stop_after = 5;
	assert_int_equal(journal_replay(j, 100, tj_collect_fn, &c), 7);
	assert_int_equal(c.count, 5);
	assert_int_equal(c.first, 100);
	journal_close(j);
}

static void test_buffered_records_not_replayed_until_synced(void **state)
{
	fixture *f = *state;
	journal_t *j = open_ok(f, (journal_options){ .mode = JOURNAL_SYNC_BATCH });
	assert_int_equal(tj_append_n(j, 3), 0);
	assert_int_equal(journal_durable_lsn(j), 0);
	tj_collect c;
	assert_int_equal(tj_replay(j, 1, &c), 0);
	assert_int_equal(c.count, 0);
	assert_int_equal(journal_sync(j), 0);
	assert_int_equal(journal_durable_lsn(j), 3);
	assert_int_equal(tj_replay(j, 1, &c), 0);
	assert_int_equal(c.count, 3);
	journal_close(j);
}

static void test_sync_each_durable_on_return(void **state)
{
	fixture *f = *state;
	journal_t *j = open_ok(f, (journal_options){ .mode = JOURNAL_SYNC_EACH });
	for (uint64_t i = 1; i <= 20; i++) {
		assert_int_equal(tj_append_n(j, 1), 0);
		assert_int_equal(journal_durable_lsn(j), i);
	}
	journal_close(j);
}

static void test_oversized_payload_refused(void **state)
{
	fixture *f = *state;
	journal_t *j = open_ok(f, (journal_options){ .mode = JOURNAL_SYNC_EACH, .segment_bytes = 4096 });
	assert_int_equal(tj_append_n(j, 2), 0);
	size_t big = (size_t)JOURNAL_MAX_PAYLOAD + 1;
	uint8_t *buf = calloc(1, big);
	uint64_t lsn = 99;
	assert_int_equal(journal_append(j, 1, 0, buf, big, &lsn), -1);
	assert_int_equal(lsn, 99); /* untouched */
	assert_non_null(strstr(journal_error(j), "exceeds"));
	assert_non_null(strstr(journal_error(j), "1048577"));
	assert_false(journal_failed(j));
	assert_int_equal(journal_next_lsn(j), 3); /* no LSN consumed */

	/* Exactly the limit is fine, and bigger than a whole segment too. */
	memset(buf, 0xA5, big);
	assert_int_equal(journal_append(j, 9, 42, buf, JOURNAL_MAX_PAYLOAD, &lsn), 0);
	assert_int_equal(lsn, 3);
	assert_int_equal(tj_append_n(j, 2), 0);
	assert_int_equal(journal_close(j), 0);

	j = open_ok(f, (journal_options){ .segment_bytes = 4096 });
	assert_int_equal(journal_next_lsn(j), 6);
	journal_close(j);
	free(buf);
}

typedef struct big_check {
	int seen_big;
	int ok;
} big_check;

static int check_big(void *arg, const journal_record *r)
{
	big_check *b = arg;
	if (r->lsn == 1) {
		b->seen_big = 1;
		b->ok = r->len == JOURNAL_MAX_PAYLOAD && r->type == 9 && r->ts_ns == 42 &&
		        ((const uint8_t *)r->payload)[0] == 0xA5 &&
		        ((const uint8_t *)r->payload)[JOURNAL_MAX_PAYLOAD - 1] == 0xA5;
	}
	return 0;
}

static void test_max_payload_roundtrip(void **state)
{
	fixture *f = *state;
	journal_t *j = open_ok(f, (journal_options){ .mode = JOURNAL_SYNC_EACH, .segment_bytes = 4096 });
	uint8_t *buf = malloc(JOURNAL_MAX_PAYLOAD);
	memset(buf, 0xA5, JOURNAL_MAX_PAYLOAD);
	assert_int_equal(journal_append(j, 9, 42, buf, JOURNAL_MAX_PAYLOAD, NULL), 0);
	journal_close(j);
	j = open_ok(f, (journal_options){ .segment_bytes = 4096 });
	big_check b = { 0, 0 };
	assert_int_equal(journal_replay(j, 1, check_big, &b), 0);
	assert_true(b.seen_big);
	assert_true(b.ok);
	journal_close(j);
	free(buf);
}

static void test_empty_payload(void **state)
{
	fixture *f = *state;
	journal_t *j = open_ok(f, (journal_options){ .mode = JOURNAL_SYNC_EACH });
	uint64_t lsn = 0;
	assert_int_equal(journal_append(j, 3, 7, NULL, 0, &lsn), 0);
	assert_int_equal(lsn, 1);
	assert_int_equal(journal_close(j), 0);
	j = open_ok(f, (journal_options){ 0 });
	assert_int_equal(journal_next_lsn(j), 2);
	journal_close(j);
}

static void test_no_preallocate(void **state)
{
	fixture *f = *state;
	journal_options o = { .segment_bytes = 4096, .mode = JOURNAL_SYNC_BATCH, .no_preallocate = true };
	journal_t *j = open_ok(f, o);
	assert_int_equal(tj_append_n(j, 100), 0);
	assert_int_equal(journal_close(j), 0);
	uint64_t segs[64];
	size_t n = tj_segments(f->dir, segs, 64);
	assert_true(n > 2);
	char path[600];
	struct stat sb;
	tj_seg_path(path, sizeof path, f->dir, segs[0]);
	assert_int_equal(stat(path, &sb), 0);
	assert_true(sb.st_size <= 4096 && sb.st_size > 3000); /* exactly the used bytes */
	j = open_ok(f, o);
	tj_collect c;
	assert_int_equal(tj_replay(j, 1, &c), 0);
	assert_int_equal(c.count, 100);
	assert_int_equal(c.mismatches, 0);
	journal_close(j);
}

static void test_option_and_dir_errors(void **state)
{
	fixture *f = *state;
	char err[512];
	journal_t *j = NULL;
	journal_options o = { .segment_bytes = 10 };
	assert_int_equal(journal_open(f->dir, &o, &j, err, sizeof err), -1);
	assert_null(j);
	assert_non_null(strstr(err, "segment_bytes"));

	o = (journal_options){ .batch_max_delay_us = -1 };
	assert_int_equal(journal_open(f->dir, &o, &j, err, sizeof err), -1);
	assert_non_null(strstr(err, "batch_max_delay_us"));

	o = (journal_options){ .mode = (journal_sync_mode)7 };
	assert_int_equal(journal_open(f->dir, &o, &j, err, sizeof err), -1);
	assert_non_null(strstr(err, "mode"));

	char path[600];
	snprintf(path, sizeof path, "%s/plainfile", f->dir);
	tj_write_file(path, (const uint8_t *)"x", 1);
	assert_int_equal(journal_open(path, NULL, &j, err, sizeof err), -1);
	assert_non_null(strstr(err, "not a directory"));
	assert_non_null(strstr(err, "plainfile"));
}

static void test_creates_missing_dir_and_locks(void **state)
{
	fixture *f = *state;
	char sub[600], err[512];
	snprintf(sub, sizeof sub, "%s/journal", f->dir);
	journal_t *a = NULL, *b = NULL;
	assert_int_equal(journal_open(sub, NULL, &a, err, sizeof err), 0);
	struct stat sb;
	assert_int_equal(stat(sub, &sb), 0);
	assert_true(S_ISDIR(sb.st_mode));
	/* A second open of the same directory is refused while the first lives. */
	assert_int_equal(journal_open(sub, NULL, &b, err, sizeof err), -1);
	assert_non_null(strstr(err, "locked"));
	assert_non_null(strstr(err, sub));
	assert_int_equal(journal_close(a), 0);
	assert_int_equal(journal_open(sub, NULL, &b, err, sizeof err), 0);
	journal_close(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_empty_journal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_roundtrip_across_segments, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lsn_continuity_many_reopens, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replay_from_and_stop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_buffered_records_not_replayed_until_synced, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sync_each_durable_on_return, setup, teardown),
		cmocka_unit_test_setup_teardown(test_oversized_payload_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_max_payload_roundtrip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_payload, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_preallocate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_option_and_dir_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_creates_missing_dir_and_locks, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
