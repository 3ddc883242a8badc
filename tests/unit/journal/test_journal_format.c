/* Byte-exact encoding of segment headers and records, CRC, file names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "journal/journal.h"
#include "journal/journal_format.h"

static void test_crc32_known_answer(void **state)
{
	(void)state;
	/* The standard CRC-32 check value. */
	assert_int_equal(journal_crc32("123456789", 9), 0xCBF43926u);
	assert_int_equal(journal_crc32("", 0), 0);
}

static void test_segment_header_layout(void **state)
{
	(void)state;
	uint8_t h[JOURNAL_SEG_HEADER_BYTES];
	journal_seg_header_encode(h, 0x0102030405060708ull);
	assert_memory_equal(h, "THJRNL01", 8);
	assert_int_equal(h[8], 1); /* version, little-endian */
	assert_int_equal(h[9] | h[10] | h[11], 0);
	assert_int_equal(h[12], 32); /* header size */
	const uint8_t lsn_le[8] = { 8, 7, 6, 5, 4, 3, 2, 1 };
	assert_memory_equal(h + 16, lsn_le, 8);
	assert_int_equal(journal_get_u32(h + 28), journal_crc32(h, 28));

	uint64_t first = 0;
	char why[200];
	assert_int_equal(journal_seg_header_decode(h, &first, why, sizeof why), 0);
	assert_int_equal(first, 0x0102030405060708ull);

	uint8_t bad[JOURNAL_SEG_HEADER_BYTES];
	memcpy(bad, h, sizeof bad);
	bad[0] = 'X';
	assert_int_equal(journal_seg_header_decode(bad, &first, why, sizeof why), -1);
	assert_non_null(strstr(why, "magic"));

	memcpy(bad, h, sizeof bad);
	bad[17] ^= 0x10;
	assert_int_equal(journal_seg_header_decode(bad, &first, why, sizeof why), -1);
	assert_non_null(strstr(why, "CRC"));

	/* A future version with a correct CRC is refused by name. */
	memcpy(bad, h, sizeof bad);
	journal_put_u32(bad + 8, 2);
	journal_put_u32(bad + 28, journal_crc32(bad, 28));
	assert_int_equal(journal_seg_header_decode(bad, &first, why, sizeof why), -1);
	assert_non_null(strstr(why, "version 2"));
}

static void test_record_layout(void **state)
{
	(void)state;
	uint8_t rec[64];
	const char payload[] = "hello";
	size_t n = journal_rec_encode(rec, 0xBEEF, 0, 0x1122334455667788ull, -2, payload, 5);
	assert_int_equal(n, JOURNAL_REC_OVERHEAD + 5);
	assert_int_equal(journal_rec_size(5), n);
	const uint8_t expect_hdr[24] = {
		5,    0,    0,    0,    /* len */
		0xEF, 0xBE,             /* type */
		0,    0,                /* flags */
		0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, /* LSN */
		0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, /* ts -2 */
	};
	assert_memory_equal(rec, expect_hdr, 24);
	assert_memory_equal(rec + 24, "hello", 5);
	assert_int_equal(journal_rec_stored_crc(rec, 5), journal_crc32(rec, 29));
	assert_int_equal(journal_rec_computed_crc(rec, 5), journal_rec_stored_crc(rec, 5));

	journal_rec_header h;
	journal_rec_header_decode(rec, &h);
	assert_int_equal(h.len, 5);
	assert_int_equal(h.type, 0xBEEF);
	assert_int_equal(h.flags, 0);
	assert_int_equal(h.lsn, 0x1122334455667788ull);
	assert_int_equal(h.ts_ns, -2);

	rec[26] ^= 0x01; /* one payload bit */
	assert_int_not_equal(journal_rec_computed_crc(rec, 5), journal_rec_stored_crc(rec, 5));
}

static void test_segment_names(void **state)
{
	(void)state;
	char name[JOURNAL_SEG_NAME_LEN + 1];
	journal_seg_name(name, 0xabcdef0123ull);
	assert_string_equal(name, "journal-000000abcdef0123.seg");
	uint64_t lsn = 0;
	assert_true(journal_seg_name_parse(name, &lsn));
	assert_int_equal(lsn, 0xabcdef0123ull);
	assert_false(journal_seg_name_parse("journal-000000ABCDEF0123.seg", &lsn));
	assert_false(journal_seg_name_parse("journal-00000abcdef0123.seg", &lsn));
	assert_false(journal_seg_name_parse("journal-000000abcdef0123.seg.tmp", &lsn));
	assert_false(journal_seg_name_parse("journal-000000abcdef012g.seg", &lsn));
	assert_false(journal_seg_name_parse("xournal-000000abcdef0123.seg", &lsn));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc32_known_answer),
		cmocka_unit_test(test_segment_header_layout),
		cmocka_unit_test(test_record_layout),
		cmocka_unit_test(test_segment_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
