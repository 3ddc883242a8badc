/* Torn tails, flipped bits, damaged middle segments, incomplete segments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
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

static int try_open(fixture *f, journal_options o, journal_t **j, char *err, size_t errlen)
{
	tj_log_clear(&f->log);
	o.log_fn = tj_log_fn;
	o.log_arg = &f->log;
	return journal_open(f->dir, &o, j, err, errlen);
}

static journal_t *open_ok(fixture *f, journal_options o)
{
	char err[512] = "";
	journal_t *j = NULL;
	if (try_open(f, o, &j, err, sizeof err) != 0)
		fail_msg("journal_open failed: %s", err);
	return j;
}

static void build(fixture *f, journal_options o, uint64_t n)
{
	journal_t *j = open_ok(f, o);
	assert_int_equal(tj_append_n(j, n), 0);
	assert_int_equal(journal_close(j), 0);
}

/* After a torn final record: reopen works, the record is gone, appends
 * continue with its LSN, and the new record survives another reopen. */
static void expect_cut_to(fixture *f, journal_options o, uint64_t good)
{
	journal_t *j = open_ok(f, o);
	assert_int_equal(journal_next_lsn(j), good + 1);
	assert_int_equal(journal_durable_lsn(j), good);
	tj_collect c;
	assert_int_equal(tj_replay(j, 1, &c), 0);
	assert_int_equal(c.count, good);
	assert_int_equal(c.mismatches, 0);
	assert_int_equal(c.gaps, 0);
	uint64_t lsn = 0;
	uint8_t buf[TJ_PAYLOAD_MAX];
	size_t len = tj_payload(good + 1, buf, sizeof buf);
	assert_int_equal(journal_append(j, tj_type_for(good + 1), tj_ts_for(good + 1), buf, len, &lsn), 0);
	assert_int_equal(lsn, good + 1);
	assert_int_equal(journal_close(j), 0);
}

static void check_torn_tail(void **state, bool zero_fill)
{
	fixture *f = *state;
	journal_options o = { .segment_bytes = 64 * 1024, .mode = JOURNAL_SYNC_BATCH };
	build(f, o, 5);
	char path[600];
	tj_seg_path(path, sizeof path, f->dir, 1);
	size_t len;
	uint8_t *orig = tj_read_file(path, &len);
	assert_int_equal(len, 64 * 1024);
	uint64_t offs[8];
	assert_int_equal(tj_record_offsets(orig, len, offs, 8), 5);
	uint64_t start = offs[4];
	uint64_t end = start + journal_rec_size(journal_get_u32(orig + start));
	uint8_t *img = malloc(len);
	int tested = 0;
	for (uint64_t k = start; k < end; k++) {
		size_t img_len = (size_t)k;
		memcpy(img, orig, (size_t)k);
		if (zero_fill) {
			/* A preallocated file torn at k: zeros from k on. Skip cuts
			 * that do not change any byte. */
			if (journal_all_zero(orig + k, (size_t)(end - k)))
				continue;
			memset(img + k, 0, len - (size_t)k);
			img_len = len;
		}
		tj_write_file(path, img, img_len);
		expect_cut_to(f, o, 4);
		if (k > start) {
			char where[64];
			snprintf(where, sizeof where, "offset %" PRIu64, start);
			if (!tj_log_contains(&f->log, "torn tail") || !tj_log_contains(&f->log, where) ||
			    !tj_log_contains(&f->log, "journal-0000000000000001.seg"))
				fail_msg("cut at %" PRIu64 ": log does not name file/offset: %s", k,
				         f->log.n ? f->log.lines[0] : "(no log)");
			bool reason = tj_log_contains(&f->log, "short record") || tj_log_contains(&f->log, "CRC mismatch") ||
			              tj_log_contains(&f->log, "bad length");
			if (!reason)
				fail_msg("cut at %" PRIu64 ": log gives no reason: %s", k, f->log.lines[0]);
			if (!zero_fill && k - start < JOURNAL_REC_HEADER_BYTES)
				assert_true(tj_log_contains(&f->log, "short record header"));
		}
		/* The re-appended record 5 must be readable after another reopen. */
		journal_t *j = open_ok(f, o);
		assert_int_equal(journal_next_lsn(j), 6);
		assert_int_equal(f->log.n, 0);
		journal_close(j);
		tested++;
	}
	assert_true(tested > (int)(end - start) / 2);
	free(img);
	free(orig);
}

static void test_torn_tail_truncated_at_every_offset(void **state)
{
	check_torn_tail(state, false);
}

static void test_torn_tail_zero_filled_at_every_offset(void **state)
{
	check_torn_tail(state, true);
}

static void flip_bit(const char *path, uint64_t off, uint8_t mask)
{
	size_t len;
	uint8_t *img = tj_read_file(path, &len);
	assert_non_null(img);
	assert_true(off < len);
	img[off] ^= mask;
	tj_write_file(path, img, len);
	free(img);
}

static void test_flipped_payload_bit_in_last_record(void **state)
{
	fixture *f = *state;
	journal_options o = { .segment_bytes = 64 * 1024, .mode = JOURNAL_SYNC_BATCH };
	build(f, o, 5);
	char path[600];
	tj_seg_path(path, sizeof path, f->dir, 1);
	size_t len;
	uint8_t *img = tj_read_file(path, &len);
	uint64_t offs[8];
	assert_int_equal(tj_record_offsets(img, len, offs, 8), 5);
	free(img);
	flip_bit(path, offs[4] + JOURNAL_REC_HEADER_BYTES + 1, 0x08);
	expect_cut_to(f, o, 4);
	char where[64];
	snprintf(where, sizeof where, "offset %" PRIu64, offs[4]);
	assert_true(tj_log_contains(&f->log, "CRC mismatch"));
	assert_true(tj_log_contains(&f->log, where));
}

/* Damage in an earlier record of the LAST segment also cuts from there:
 * the journal cannot tell it from a torn multi-record write, so everything
 * from the bad record on is dropped (and logged). */
static void test_flipped_bit_mid_last_segment_cuts_from_there(void **state)
{
	fixture *f = *state;
	journal_options o = { .segment_bytes = 64 * 1024, .mode = JOURNAL_SYNC_BATCH };
	build(f, o, 5);
	char path[600];
	tj_seg_path(path, sizeof path, f->dir, 1);
	size_t len;
	uint8_t *img = tj_read_file(path, &len);
	uint64_t offs[8];
	assert_int_equal(tj_record_offsets(img, len, offs, 8), 5);
	free(img);
	flip_bit(path, offs[2] + JOURNAL_REC_HEADER_BYTES, 0x01);
	expect_cut_to(f, o, 2);
	assert_true(tj_log_contains(&f->log, "LSN 3"));
}

static void test_bad_length_in_tail(void **state)
{
	fixture *f = *state;
	journal_options o = { .segment_bytes = 64 * 1024, .mode = JOURNAL_SYNC_BATCH };
	build(f, o, 3);
	char path[600];
	tj_seg_path(path, sizeof path, f->dir, 1);
	size_t len;
	uint8_t *img = tj_read_file(path, &len);
	uint64_t offs[4];
	assert_int_equal(tj_record_offsets(img, len, offs, 4), 3);
	journal_put_u32(img + offs[2], 0x7fffffffu);
	tj_write_file(path, img, len);
	free(img);
	expect_cut_to(f, o, 2);
	assert_true(tj_log_contains(&f->log, "bad length 2147483647"));
}

/* Builds several 4 KiB segments; returns how many. */
static size_t build_segments(fixture *f, uint64_t *segs, size_t max)
{
	journal_options o = { .segment_bytes = 4096, .mode = JOURNAL_SYNC_BATCH };
	build(f, o, 120);
	size_t n = tj_segments(f->dir, segs, max);
	assert_true(n >= 4);
	return n;
}

static void test_corruption_in_middle_segment_refuses(void **state)
{
	fixture *f = *state;
	uint64_t segs[64];
	build_segments(f, segs, 64);
	char path[600], name[JOURNAL_SEG_NAME_LEN + 1];
	tj_seg_path(path, sizeof path, f->dir, segs[1]);
	journal_seg_name(name, segs[1]);
	size_t len;
	uint8_t *img = tj_read_file(path, &len);
	uint64_t offs[64];
	size_t nrec = tj_record_offsets(img, len, offs, 64);
	assert_true(nrec >= 4);
	free(img);
	flip_bit(path, offs[3] + JOURNAL_REC_HEADER_BYTES + 2, 0x40);

	char err[512] = "";
	journal_t *j = NULL;
	assert_int_equal(try_open(f, (journal_options){ .segment_bytes = 4096 }, &j, err, sizeof err), -1);
	assert_null(j);
	char where[64];
	snprintf(where, sizeof where, "offset %" PRIu64, offs[3]);
	if (!strstr(err, name) || !strstr(err, where) || !strstr(err, "CRC mismatch"))
		fail_msg("error does not name file+offset+reason: %s", err);
	char lsn[64];
	snprintf(lsn, sizeof lsn, "LSN %" PRIu64, segs[1] + 3);
	assert_non_null(strstr(err, lsn));
	/* Refusing must not have modified anything: the damage is still there. */
	assert_int_equal(try_open(f, (journal_options){ .segment_bytes = 4096 }, &j, err, sizeof err), -1);
}

static void test_truncated_middle_segment_refuses(void **state)
{
	fixture *f = *state;
	uint64_t segs[64];
	build_segments(f, segs, 64);
	char path[600];
	tj_seg_path(path, sizeof path, f->dir, segs[2]);
	size_t len;
	uint8_t *img = tj_read_file(path, &len);
	uint64_t offs[64];
	size_t nrec = tj_record_offsets(img, len, offs, 64);
	assert_true(nrec >= 2);
	tj_write_file(path, img, (size_t)offs[nrec - 1] + 10);
	free(img);
	char err[512] = "";
	journal_t *j = NULL;
	assert_int_equal(try_open(f, (journal_options){ .segment_bytes = 4096 }, &j, err, sizeof err), -1);
	assert_non_null(strstr(err, "short record"));
	assert_non_null(strstr(err, "only the last segment may have a torn tail"));
}

static void test_missing_middle_segment_is_lsn_gap(void **state)
{
	fixture *f = *state;
	uint64_t segs[64];
	build_segments(f, segs, 64);
	char path[600];
	tj_seg_path(path, sizeof path, f->dir, segs[1]);
	assert_int_equal(unlink(path), 0);
	char err[512] = "";
	journal_t *j = NULL;
	assert_int_equal(try_open(f, (journal_options){ .segment_bytes = 4096 }, &j, err, sizeof err), -1);
	assert_non_null(strstr(err, "LSN gap"));
	char name[JOURNAL_SEG_NAME_LEN + 1];
	journal_seg_name(name, segs[2]);
	assert_non_null(strstr(err, name));
}

static void test_bad_header_in_middle_segment_refuses(void **state)
{
	fixture *f = *state;
	uint64_t segs[64];
	build_segments(f, segs, 64);
	char path[600];
	tj_seg_path(path, sizeof path, f->dir, segs[1]);
	flip_bit(path, 3, 0x02);
	char err[512] = "";
	journal_t *j = NULL;
	assert_int_equal(try_open(f, (journal_options){ .segment_bytes = 4096 }, &j, err, sizeof err), -1);
	assert_non_null(strstr(err, "bad segment header"));
	assert_non_null(strstr(err, "magic"));
}

static void test_renamed_segment_refuses(void **state)
{
	fixture *f = *state;
	uint64_t segs[64];
	size_t n = build_segments(f, segs, 64);
	char from[600], to[600];
	tj_seg_path(from, sizeof from, f->dir, segs[n - 1]);
	tj_seg_path(to, sizeof to, f->dir, segs[n - 1] + 1000);
	assert_int_equal(rename(from, to), 0);
	char err[512] = "";
	journal_t *j = NULL;
	assert_int_equal(try_open(f, (journal_options){ .segment_bytes = 4096 }, &j, err, sizeof err), -1);
	assert_non_null(strstr(err, "file name says"));
}

/* A crash while creating a segment leaves a file whose header is missing
 * or partial and nothing else: it is removed and appends go on. */
static void test_incomplete_last_segment_removed(void **state)
{
	fixture *f = *state;
	uint64_t segs[64];
	size_t n = build_segments(f, segs, 64);
	char path[600];
	tj_seg_path(path, sizeof path, f->dir, 121);
	uint8_t hdr[JOURNAL_SEG_HEADER_BYTES];
	journal_seg_header_encode(hdr, 121);
	uint8_t *img = calloc(1, 4096);
	memcpy(img, hdr, 10); /* header torn after 10 bytes, preallocated zeros after */
	tj_write_file(path, img, 4096);
	free(img);

	journal_t *j = open_ok(f, (journal_options){ .segment_bytes = 4096 });
	assert_true(tj_log_contains(&f->log, "incomplete segment"));
	assert_int_equal(journal_next_lsn(j), 121);
	assert_int_equal(tj_append_n(j, 30), 0);
	assert_int_equal(journal_close(j), 0);
	uint64_t after[64];
	assert_true(tj_segments(f->dir, after, 64) > n);
	j = open_ok(f, (journal_options){ .segment_bytes = 4096 });
	tj_collect c;
	assert_int_equal(tj_replay(j, 1, &c), 0);
	assert_int_equal(c.count, 150);
	assert_int_equal(c.gaps, 0);
	assert_int_equal(c.mismatches, 0);
	journal_close(j);

	/* An empty file (crash right after create) is handled the same way. */
	tj_seg_path(path, sizeof path, f->dir, 151);
	tj_write_file(path, NULL, 0);
	j = open_ok(f, (journal_options){ .segment_bytes = 4096 });
	assert_true(tj_log_contains(&f->log, "incomplete segment"));
	assert_int_equal(journal_next_lsn(j), 151);
	journal_close(j);
}

static void test_bad_last_header_with_data_refuses(void **state)
{
	fixture *f = *state;
	uint64_t segs[64];
	size_t n = build_segments(f, segs, 64);
	char path[600];
	tj_seg_path(path, sizeof path, f->dir, segs[n - 1]);
	flip_bit(path, 20, 0x01); /* header CRC now wrong; records follow */
	char err[512] = "";
	journal_t *j = NULL;
	assert_int_equal(try_open(f, (journal_options){ .segment_bytes = 4096 }, &j, err, sizeof err), -1);
	assert_non_null(strstr(err, "bad segment header"));
	assert_non_null(strstr(err, "CRC"));
}

/* Stale bytes after an all-zero header (a crash can persist a later page
 * of an unsynced write but not an earlier one) must be wiped on open, so a
 * later reopen can never read them as records. */
static void test_stale_bytes_after_end_are_wiped(void **state)
{
	fixture *f = *state;
	journal_options o = { .segment_bytes = 64 * 1024, .mode = JOURNAL_SYNC_BATCH };
	build(f, o, 6);
	char path[600];
	tj_seg_path(path, sizeof path, f->dir, 1);
	size_t len;
	uint8_t *img = tj_read_file(path, &len);
	uint64_t offs[8];
	assert_int_equal(tj_record_offsets(img, len, offs, 8), 6);
	/* Zero records 4 and 5 but keep 6: records 4..6 were "unsynced". */
	memset(img + offs[3], 0, (size_t)(offs[5] - offs[3]));
	tj_write_file(path, img, len);
	free(img);

	journal_t *j = open_ok(f, o);
	assert_int_equal(journal_next_lsn(j), 4);
	assert_int_equal(journal_close(j), 0);
	img = tj_read_file(path, &len);
	assert_true(journal_all_zero(img + offs[3], len - (size_t)offs[3]));
	free(img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_torn_tail_truncated_at_every_offset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_torn_tail_zero_filled_at_every_offset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flipped_payload_bit_in_last_record, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flipped_bit_mid_last_segment_cuts_from_there, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_length_in_tail, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corruption_in_middle_segment_refuses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated_middle_segment_refuses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_middle_segment_is_lsn_gap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_header_in_middle_segment_refuses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_renamed_segment_refuses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_incomplete_last_segment_removed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_last_header_with_data_refuses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_bytes_after_end_are_wiped, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
