/*
 * TOML parser: exact error positions (line:col) and message text for malformed input,
 * encoding errors, and reading files.
 */
#include "test_util.h"

#include <stdlib.h>
#include <unistd.h>

static void expect_message(const char *text, const char *want)
{
	char msg[1024];
	parse_fail(text, msg, sizeof(msg));
	if (strcmp(msg, want) != 0) {
		print_error("input:\n%s\nwant: %s\ngot:  %s\n", text, want, msg);
		fail();
	}
}

static void test_exact_messages(void **state)
{
	(void)state;
	expect_message("a = 1\nb = \n", "test.toml:2:5: expected a value after '=', found end of line");
	expect_message("a = 1\nkey value\n", "test.toml:2:5: expected '=' after key 'key', found 'v'");
	expect_message("s = \"abc\n", "test.toml:1:9: expected '\"' to close the string started at 1:5, found end of line");
	expect_message("s = \"\"\"abc\n\n", "test.toml:3:1: expected '\"\"\"' to close the string started at 1:5, found end of file");
	expect_message("x = [1, 2\n", "test.toml:2:1: expected ',' or ']' after an array element, found end of file");
	expect_message("x = \"a\\qb\"\n", "test.toml:1:7: unknown escape sequence '\\q' (valid: \\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX \\UXXXXXXXX)");
	expect_message("x = \"\\uD800\"\n", "test.toml:1:6: escape \\uD800 is not a Unicode scalar value (surrogates and values above 10FFFF are invalid)");
	expect_message("x = \"\\u12\"\n", "test.toml:1:6: expected 4 hex digits after \\u in escape sequence");
	expect_message("n = 1_000_\n", "test.toml:1:10: invalid number '1_000_': underscore must be between digits of the integer part");
	expect_message("  d = 2021-02-29T10:00:00Z\n", "test.toml:1:7: invalid datetime '2021-02-29T10:00:00Z': day is out of range for the month");
	expect_message("a = 1 # ok\nb = 2 c\n", "test.toml:2:7: expected end of line after a key/value pair, found 'c'");
	expect_message("a = @\n", "test.toml:1:5: expected a value (string, number, boolean, date-time, array or inline table), found '@'");
	expect_message("t = {a = 1 b = 2}\n", "test.toml:1:12: expected ',' or '}' in inline table, found 'b'");
	expect_message("= 1\n", "test.toml:1:1: expected a key (letters, digits, '_', '-' or a quoted string), found '='");
}

static void test_control_characters_and_encoding(void **state)
{
	(void)state;
	/* raw control characters are invalid everywhere, including comments and strings */
	expect_message("a = 1 # bell \x07\n", "test.toml:1:14: control character U+0007 is not allowed (use an escape inside a basic string)");
	expect_message("a = \"x\x7Fy\"\n", "test.toml:1:7: control character U+007F is not allowed (use an escape inside a basic string)");
	expect_message("a = 'x\x1Fy'\n", "test.toml:1:7: control character U+001F is not allowed (use an escape inside a basic string)");
	/* a tab is fine in strings and comments */
	toml_value *r = parse_ok("a = \"x\ty\" # tab\there\n");
	assert_string_equal(str_at(r, "a"), "x\ty");
	toml_free(r);
	/* a bare carriage return is not a line ending */
	expect_message("a = 1\rb = 2\n", "test.toml:1:6: carriage return (U+000D) must be followed by a line feed");
	/* invalid UTF-8: a lone continuation byte, an overlong encoding, a surrogate */
	expect_message("a = \"\x80\"\n", "test.toml:1:6: invalid UTF-8 byte sequence (byte 0x80)");
	expect_message("# \xC0\xAF\n", "test.toml:1:3: invalid UTF-8 byte sequence (byte 0xC0)");
	expect_message("a = '\xED\xA0\x80'\n", "test.toml:1:6: invalid UTF-8 byte sequence (byte 0xED)");
	/* NUL bytes in the input are control characters too (length is explicit) */
	toml_error err;
	assert_null(toml_parse("a = 1\0", 6, "nul.toml", &err));
	assert_int_equal(err.line, 1);
	assert_int_equal(err.column, 6);
	assert_string_equal(err.file, "nul.toml");
}

static void test_crlf_positions(void **state)
{
	(void)state;
	expect_message("a = 1\r\nb = 2\r\nc = ?\r\n", "test.toml:3:5: expected a value (string, number, boolean, date-time, array or inline table), found '?'");
	expect_message("a = 1\r\nb = \r\n", "test.toml:2:5: expected a value after '=', found end of line");
}

static void test_error_struct_fields(void **state)
{
	(void)state;
	toml_error err;
	assert_null(toml_parse("x = [\n1,\n2 3]\n", 14, NULL, &err));
	assert_string_equal(err.file, "<input>");
	assert_int_equal(err.line, 3);
	assert_int_equal(err.column, 3);
	assert_string_equal(err.message, "expected ',' or ']' after an array element, found '3'");
	/* the empty document is valid */
	toml_value *r = toml_parse("", 0, NULL, &err);
	assert_non_null(r);
	assert_int_equal(toml_table_size(r), 0);
	toml_free(r);
}

static void test_parse_file(void **state)
{
	(void)state;
	char dir[] = "/tmp/th_toml_test_XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[256];
	snprintf(path, sizeof(path), "%s/ok.toml", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("[host]\nmode = \"paper\"\nport = 8080\n", f);
	fclose(f);
	toml_error err;
	toml_value *r = toml_parse_file(path, &err);
	assert_non_null(r);
	assert_string_equal(str_at(r, "host.mode"), "paper");
	assert_string_equal(toml_source_name(at_path(r, "host.port")), path);
	toml_free(r);

	char bad[256];
	snprintf(bad, sizeof(bad), "%s/bad.toml", dir);
	f = fopen(bad, "w");
	assert_non_null(f);
	fputs("ok = 1\nport = 80 80\n", f);
	fclose(f);
	assert_null(toml_parse_file(bad, &err));
	char msg[1024], want[1024];
	toml_error_format(&err, msg, sizeof(msg));
	snprintf(want, sizeof(want), "%s:2:11: expected end of line after a key/value pair, found '8'", bad);
	assert_string_equal(msg, want);

	char missing[256];
	snprintf(missing, sizeof(missing), "%s/missing.toml", dir);
	assert_null(toml_parse_file(missing, &err));
	toml_error_format(&err, msg, sizeof(msg));
	snprintf(want, sizeof(want), "%s: cannot open file: No such file or directory", missing);
	assert_string_equal(msg, want);
	assert_int_equal(err.line, 0);

	/* a directory opens but cannot be read */
	assert_null(toml_parse_file(dir, &err));
	assert_non_null(strstr(err.message, "Is a directory"));

	unlink(path);
	unlink(bad);
	assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_messages),
		cmocka_unit_test(test_control_characters_and_encoding),
		cmocka_unit_test(test_crlf_positions),
		cmocka_unit_test(test_error_struct_fields),
		cmocka_unit_test(test_parse_file),
	};
	return cmocka_run_group_tests_name("toml_errors", tests, NULL, NULL);
}
