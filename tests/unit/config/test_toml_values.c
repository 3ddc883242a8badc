/*
 * TOML parser: every value kind (strings, integers, floats, booleans, date-times, arrays,
 * inline tables), their accessors, literal text and source positions.
 */
#include "test_util.h"

#include <math.h>

static void test_basic_string_escapes(void **state)
{
	(void)state;
	toml_value *r = parse_ok("s = \"tab\\there \\\"q\\\" \\\\ \\b\\f\\r\\n \\u00E9 \\U0001F600\"\n");
	const char *s;
	size_t len;
	assert_true(toml_as_string(toml_table_get(r, "s"), &s, &len));
	const char *want = "tab\there \"q\" \\ \b\f\r\n \xC3\xA9 \xF0\x9F\x98\x80";
	assert_int_equal(len, strlen(want));
	assert_memory_equal(s, want, len);
	toml_free(r);
}

static void test_string_with_nul_escape(void **state)
{
	(void)state;
	toml_value *r = parse_ok("s = \"a\\u0000b\"\n");
	const char *s;
	size_t len;
	assert_true(toml_as_string(toml_table_get(r, "s"), &s, &len));
	assert_int_equal(len, 3);
	assert_memory_equal(s, "a\0b", 3);
	toml_free(r);
}

static void test_literal_strings(void **state)
{
	(void)state;
	toml_value *r = parse_ok("path = 'C:\\Users\\nodejs\\templates'\n"
	                         "regex = '<\\i\\c*\\s*>'\n"
	                         "empty = ''\n");
	assert_string_equal(str_at(r, "path"), "C:\\Users\\nodejs\\templates");
	assert_string_equal(str_at(r, "regex"), "<\\i\\c*\\s*>");
	assert_string_equal(str_at(r, "empty"), "");
	toml_free(r);
}

static void test_multiline_strings(void **state)
{
	(void)state;
	toml_value *r = parse_ok("a = \"\"\"\nRoses are red\nViolets are blue\"\"\"\n"
	                         "b = \"\"\"\\\n   The quick \\\n\n   brown fox.\\\n   \"\"\"\n"
	                         "c = \"\"\"Here are two quotes: \"\". And three: \"\"\\\".\"\"\"\n"
	                         "d = \"\"\"ends in quotes\"\"\"\"\"\n"
	                         "e = '''\nThe first newline is\ntrimmed in raw strings.\n   \\n stays'''\n"
	                         "f = ''''That,' she said.''''\n");
	assert_string_equal(str_at(r, "a"), "Roses are red\nViolets are blue");
	assert_string_equal(str_at(r, "b"), "The quick brown fox.");
	assert_string_equal(str_at(r, "c"), "Here are two quotes: \"\". And three: \"\"\".");
	assert_string_equal(str_at(r, "d"), "ends in quotes\"\"");
	assert_string_equal(str_at(r, "e"), "The first newline is\ntrimmed in raw strings.\n   \\n stays");
	assert_string_equal(str_at(r, "f"), "'That,' she said.'");
	toml_free(r);
}

static void test_crlf_document_and_multiline(void **state)
{
	(void)state;
	toml_value *r = parse_ok("a = 1\r\n# comment\r\n[t]\r\nb = \"\"\"x\r\ny\"\"\"\r\nc = \"\"\"\\\r\n  z\"\"\"\r\n");
	assert_int_equal(int_at(r, "a"), 1);
	assert_string_equal(str_at(r, "t.b"), "x\ny"); /* line endings are normalised to \n */
	assert_string_equal(str_at(r, "t.c"), "z");
	assert_int_equal(toml_line(at_path(r, "t.c")), 6);
	toml_free(r);
}

static void test_integers(void **state)
{
	(void)state;
	toml_value *r = parse_ok("a = +99\nb = 42\nc = 0\nd = -17\ne = 1_000_000\n"
	                         "f = 0xDEAD_beef\ng = 0o755\nh = 0b1101_0110\n"
	                         "max = 9223372036854775807\nmin = -9223372036854775808\n"
	                         "hmax = 0x7FFFFFFFFFFFFFFF\nz = -0\n");
	assert_int_equal(int_at(r, "a"), 99);
	assert_int_equal(int_at(r, "b"), 42);
	assert_int_equal(int_at(r, "c"), 0);
	assert_int_equal(int_at(r, "d"), -17);
	assert_int_equal(int_at(r, "e"), 1000000);
	assert_int_equal(int_at(r, "f"), 0xDEADBEEF);
	assert_int_equal(int_at(r, "g"), 0755);
	assert_int_equal(int_at(r, "h"), 0xD6);
	assert_true(int_at(r, "max") == INT64_MAX);
	assert_true(int_at(r, "min") == INT64_MIN);
	assert_true(int_at(r, "hmax") == INT64_MAX);
	assert_int_equal(int_at(r, "z"), 0);
	assert_string_equal(toml_raw_literal(toml_table_get(r, "e")), "1_000_000");
	assert_string_equal(toml_raw_literal(toml_table_get(r, "f")), "0xDEAD_beef");
	assert_int_equal(toml_type_of(toml_table_get(r, "a")), TOML_INTEGER);
	toml_free(r);
}

static void test_integer_overflow_and_form_errors(void **state)
{
	(void)state;
	assert_parse_error("a = 9223372036854775808\n", "does not fit in 64 bits");
	assert_parse_error("a = -9223372036854775809\n", "does not fit in 64 bits");
	assert_parse_error("a = 0x8000000000000000\n", "does not fit in 64 bits");
	assert_parse_error("a = 0123\n", "leading zeros are not allowed");
	assert_parse_error("a = 1__2\n", "underscore must be between digits");
	assert_parse_error("a = 12_\n", "underscore must be between digits");
	assert_parse_error("a = -0x1\n", "a sign is not allowed on hexadecimal");
	assert_parse_error("a = 0X1\n", "prefixes must be lower case");
	assert_parse_error("a = 0o8\n", "expected a digit in the octal digits");
	assert_parse_error("a = 0b102\n", "unexpected character after binary digits");
}

static void test_floats(void **state)
{
	(void)state;
	toml_value *r = parse_ok("a = +1.0\nb = 3.1415\nc = -0.01\nd = 5e+22\ne = 1e06\nf = -2E-2\n"
	                         "g = 6.626e-34\nh = 224_617.445_991\ni = inf\nj = -inf\nk = nan\nl = +nan\n"
	                         "m = -0.0\nn = 0e0\n");
	double d;
	assert_true(toml_as_double(toml_table_get(r, "a"), &d));
	assert_true(d == 1.0);
	toml_as_double(toml_table_get(r, "b"), &d);
	assert_true(d == 3.1415);
	toml_as_double(toml_table_get(r, "c"), &d);
	assert_true(d == -0.01);
	toml_as_double(toml_table_get(r, "d"), &d);
	assert_true(d == 5e22);
	toml_as_double(toml_table_get(r, "e"), &d);
	assert_true(d == 1e6);
	toml_as_double(toml_table_get(r, "f"), &d);
	assert_true(d == -2e-2);
	toml_as_double(toml_table_get(r, "g"), &d);
	assert_true(d == 6.626e-34);
	toml_as_double(toml_table_get(r, "h"), &d);
	assert_true(d == 224617.445991);
	toml_as_double(toml_table_get(r, "i"), &d);
	assert_true(isinf(d) && d > 0);
	toml_as_double(toml_table_get(r, "j"), &d);
	assert_true(isinf(d) && d < 0);
	toml_as_double(toml_table_get(r, "k"), &d);
	assert_true(isnan(d));
	toml_as_double(toml_table_get(r, "l"), &d);
	assert_true(isnan(d));
	toml_as_double(toml_table_get(r, "m"), &d);
	assert_true(d == 0.0 && signbit(d));
	assert_string_equal(toml_raw_literal(toml_table_get(r, "h")), "224_617.445_991");
	assert_string_equal(toml_raw_literal(toml_table_get(r, "c")), "-0.01");
	/* accessors are strict about types */
	int64_t i;
	assert_false(toml_as_int(toml_table_get(r, "a"), &i));
	assert_false(toml_as_double(NULL, &d));
	toml_free(r);
}

static void test_float_form_errors(void **state)
{
	(void)state;
	assert_parse_error("a = 1.\n", "expected a digit in the fraction");
	assert_parse_error("a = .5\n", "expected a value");
	assert_parse_error("a = 1e\n", "expected a digit in the exponent");
	assert_parse_error("a = 1.2.3\n", "unexpected '.'");
	assert_parse_error("a = 03.14\n", "leading zeros are not allowed");
	assert_parse_error("a = 1_.5\n", "underscore must be between digits");
	assert_parse_error("a = infinity\n", "expected inf or nan");
	assert_parse_error("a = 1e400\n", "too large for a 64-bit float");
}

static void test_booleans(void **state)
{
	(void)state;
	toml_value *r = parse_ok("t = true\nf = false\n");
	bool b = false;
	assert_true(toml_as_bool(toml_table_get(r, "t"), &b));
	assert_true(b);
	assert_true(toml_as_bool(toml_table_get(r, "f"), &b));
	assert_false(b);
	toml_free(r);
	assert_parse_error("a = True\n", "expected a value");
	assert_parse_error("a = truex\n", "found 'truex'");
}

static void test_datetimes(void **state)
{
	(void)state;
	toml_value *r = parse_ok("odt1 = 1979-05-27T07:32:00Z\n"
	                         "odt2 = 1979-05-27T00:32:00-07:00\n"
	                         "odt3 = 1979-05-27t00:32:00.999999+07:30\n"
	                         "odt4 = 1979-05-27 07:32:00z\n"
	                         "odt5 = 1979-05-27T07:32:00.1234567891Z\n"
	                         "ldt = 1979-05-27T07:32:00.5\n"
	                         "ld = 1979-05-27\n"
	                         "lt = 00:32:00.999\n"
	                         "leap = 2024-02-29\n");
	assert_int_equal(toml_type_of(toml_table_get(r, "odt1")), TOML_DATETIME);
	assert_int_equal(toml_type_of(toml_table_get(r, "ldt")), TOML_DATETIME_LOCAL);
	assert_int_equal(toml_type_of(toml_table_get(r, "ld")), TOML_DATE_LOCAL);
	assert_int_equal(toml_type_of(toml_table_get(r, "lt")), TOML_TIME_LOCAL);
	assert_string_equal(toml_datetime_text(toml_table_get(r, "odt1")), "1979-05-27T07:32:00Z");
	assert_string_equal(toml_datetime_text(toml_table_get(r, "odt2")), "1979-05-27T00:32:00-07:00");
	assert_string_equal(toml_datetime_text(toml_table_get(r, "odt3")), "1979-05-27T00:32:00.999999+07:30");
	assert_string_equal(toml_datetime_text(toml_table_get(r, "odt4")), "1979-05-27T07:32:00Z");
	/* precision beyond nanoseconds is truncated, not rounded */
	assert_string_equal(toml_datetime_text(toml_table_get(r, "odt5")), "1979-05-27T07:32:00.123456789Z");
	assert_string_equal(toml_datetime_text(toml_table_get(r, "ldt")), "1979-05-27T07:32:00.5");
	assert_string_equal(toml_datetime_text(toml_table_get(r, "ld")), "1979-05-27");
	assert_string_equal(toml_datetime_text(toml_table_get(r, "lt")), "00:32:00.999");
	toml_datetime dt;
	assert_true(toml_as_datetime(toml_table_get(r, "odt3"), &dt));
	assert_int_equal(dt.year, 1979);
	assert_int_equal(dt.month, 5);
	assert_int_equal(dt.day, 27);
	assert_int_equal(dt.minute, 32);
	assert_int_equal(dt.nanosecond, 999999000);
	assert_int_equal(dt.offset_minutes, 7 * 60 + 30);
	assert_string_equal(toml_datetime_text(toml_table_get(r, "leap")), "2024-02-29");
	toml_free(r);
}

static void test_datetime_range_errors(void **state)
{
	(void)state;
	assert_parse_error("d = 2023-02-29\n", "day is out of range for the month");
	assert_parse_error("d = 2024-02-30\n", "day is out of range for the month");
	assert_parse_error("d = 1900-02-29\n", "day is out of range for the month");
	assert_parse_error("d = 2024-04-31\n", "day is out of range for the month");
	assert_parse_error("d = 2024-13-01\n", "month must be 01 to 12");
	assert_parse_error("d = 24:00:00\n", "hour must be 00 to 23");
	assert_parse_error("d = 2024-01-01T10:60:00Z\n", "minute must be 00 to 59");
	assert_parse_error("d = 2024-01-01T10:00Z\n", "seconds are required");
	assert_parse_error("d = 2024-01-01T10:00:00+24:00\n", "offset hours must be 00-23");
	assert_parse_error("d = 2024-1-01\n", "2-digit month");
	assert_parse_error("d = 2024-01-01T\n", "2-digit hour");
}

static void test_arrays(void **state)
{
	(void)state;
	toml_value *r = parse_ok("ints = [ 1, 2, 3 ]\n"
	                         "mixed = [ 1, \"two\", 3.0, [4], { five = 5 } ]\n"
	                         "nested = [ [ 1, 2 ], [\"a\", 'b'] ]\n"
	                         "multi = [  # comment\n  1,\n\n  2, # another\n]\n"
	                         "empty = []\n");
	const toml_value *ints = toml_table_get(r, "ints");
	assert_int_equal(toml_type_of(ints), TOML_ARRAY);
	assert_int_equal(toml_array_len(ints), 3);
	int64_t i;
	assert_true(toml_as_int(toml_array_at(ints, 2), &i));
	assert_int_equal(i, 3);
	assert_null(toml_array_at(ints, 3));
	const toml_value *mixed = toml_table_get(r, "mixed");
	assert_int_equal(toml_array_len(mixed), 5);
	assert_int_equal(toml_type_of(toml_array_at(mixed, 1)), TOML_STRING);
	assert_int_equal(toml_type_of(toml_array_at(mixed, 2)), TOML_FLOAT);
	assert_int_equal(toml_type_of(toml_array_at(mixed, 3)), TOML_ARRAY);
	assert_true(toml_as_int(toml_table_get(toml_array_at(mixed, 4), "five"), &i));
	assert_int_equal(i, 5);
	assert_int_equal(toml_array_len(toml_array_at(toml_table_get(r, "nested"), 1)), 2);
	assert_int_equal(toml_array_len(toml_table_get(r, "multi")), 2);
	assert_int_equal(toml_array_len(toml_table_get(r, "empty")), 0);
	toml_free(r);
	assert_parse_error("a = [1 2]\n", "expected ',' or ']' after an array element, found '2'");
	assert_parse_error("a = [1,,2]\n", "expected a value");
	assert_parse_error("a = [,]\n", "expected a value");
	assert_parse_error("a = [1,\n", "found end of file");
}

static void test_inline_tables(void **state)
{
	(void)state;
	toml_value *r = parse_ok("name = { first = \"Tom\", last = \"Preston-Werner\" }\n"
	                         "point = {x=1,y=2}\n"
	                         "animal = { type.name = \"pug\", type.size = 'small' }\n"
	                         "empty = {}\n"
	                         "nested = { a = { b = [ { c = 1 } ] } }\n");
	assert_string_equal(str_at(r, "name.first"), "Tom");
	assert_string_equal(str_at(r, "name.last"), "Preston-Werner");
	assert_int_equal(int_at(r, "point.y"), 2);
	assert_string_equal(str_at(r, "animal.type.name"), "pug");
	assert_string_equal(str_at(r, "animal.type.size"), "small");
	assert_int_equal(toml_table_size(toml_table_get(r, "empty")), 0);
	const toml_value *b = at_path(r, "nested.a.b");
	int64_t c;
	assert_true(toml_as_int(toml_table_get(toml_array_at(b, 0), "c"), &c));
	assert_int_equal(c, 1);
	toml_free(r);
	assert_parse_error("a = { x = 1, }\n", "trailing commas are not allowed");
	assert_parse_error("a = { x = 1,\n y = 2 }\n", "inline tables must stay on one line");
	assert_parse_error("a = { x = 1, x = 2 }\n", "duplicate key");
}

static void test_positions_and_order(void **state)
{
	(void)state;
	toml_value *r = parse_ok("# header\nzeta = 1\n  alpha = \"x\"\n[tbl]\nmid =   [1,\n   2]\n");
	const toml_value *alpha = toml_table_get(r, "alpha");
	assert_int_equal(toml_line(alpha), 3);
	assert_int_equal(toml_column(alpha), 11);
	assert_string_equal(toml_source_name(alpha), "test.toml");
	const toml_value *second = toml_array_at(at_path(r, "tbl.mid"), 1);
	assert_int_equal(toml_line(second), 6);
	assert_int_equal(toml_column(second), 4);
	/* insertion order is kept */
	size_t klen;
	assert_string_equal(toml_table_key_at(r, 0, &klen), "zeta");
	assert_int_equal(klen, 4);
	assert_string_equal(toml_table_key_at(r, 1, NULL), "alpha");
	assert_string_equal(toml_table_key_at(r, 2, NULL), "tbl");
	assert_null(toml_table_key_at(r, 3, NULL));
	assert_int_equal(toml_type_of(toml_table_value_at(r, 2)), TOML_TABLE);
	toml_free(r);
}

static void test_unicode_columns_and_bom(void **state)
{
	(void)state;
	/* columns count code points: "é" is one column although two bytes */
	char msg[512];
	parse_fail("k = \"\xC3\xA9\" x\n", msg, sizeof(msg));
	assert_string_equal(msg, "test.toml:1:9: expected end of line after a key/value pair, found 'x'");
	toml_value *r = parse_ok("\xEF\xBB\xBFk = 1\n");
	assert_int_equal(int_at(r, "k"), 1);
	toml_free(r);
}

static void test_many_keys_use_index(void **state)
{
	(void)state;
	/* Enough keys to switch the table to its hash index; every key must stay reachable. */
	char doc[64 * 1024];
	size_t used = 0;
	for (int i = 0; i < 2000; i++)
		used += (size_t)snprintf(doc + used, sizeof(doc) - used, "k%d = %d\n", i, i * 3);
	toml_value *r = parse_ok(doc);
	assert_int_equal(toml_table_size(r), 2000);
	for (int i = 0; i < 2000; i += 7) {
		char key[16];
		snprintf(key, sizeof(key), "k%d", i);
		assert_int_equal(int_at(r, key), i * 3);
	}
	assert_null(toml_table_get(r, "k2000"));
	toml_free(r);
	/* duplicates are caught through the index too */
	memcpy(doc + used, "k1500 = 0\n", 11);
	assert_parse_error(doc, "duplicate key: key 'k1500'");
}

static void test_deep_nesting_is_refused(void **state)
{
	(void)state;
	char doc[4096] = "a = ";
	for (int i = 0; i < 1000; i++)
		strcat(doc, "[");
	assert_parse_error(doc, "nesting deeper than 256 levels");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic_string_escapes),
		cmocka_unit_test(test_string_with_nul_escape),
		cmocka_unit_test(test_literal_strings),
		cmocka_unit_test(test_multiline_strings),
		cmocka_unit_test(test_crlf_document_and_multiline),
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_integer_overflow_and_form_errors),
		cmocka_unit_test(test_floats),
		cmocka_unit_test(test_float_form_errors),
		cmocka_unit_test(test_booleans),
		cmocka_unit_test(test_datetimes),
		cmocka_unit_test(test_datetime_range_errors),
		cmocka_unit_test(test_arrays),
		cmocka_unit_test(test_inline_tables),
		cmocka_unit_test(test_positions_and_order),
		cmocka_unit_test(test_unicode_columns_and_bom),
		cmocka_unit_test(test_many_keys_use_index),
		cmocka_unit_test(test_deep_nesting_is_refused),
	};
	return cmocka_run_group_tests_name("toml_values", tests, NULL, NULL);
}
