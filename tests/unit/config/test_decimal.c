/*
 * Exact decimals: parsing, normal form, comparison and fixed-point conversion.
 */
#include "test_util.h"

#include "config/config_decimal.h"

static config_decimal dec(const char *text)
{
	config_decimal d;
	char err[128];
	if (!config_decimal_parse(text, strlen(text), true, &d, err, sizeof(err))) {
		print_error("'%s' did not parse: %s\n", text, err);
		fail();
	}
	return d;
}

static void test_normal_form(void **state)
{
	(void)state;
	config_decimal d = dec("0010.500");
	assert_string_equal(d.digits, "105");
	assert_int_equal(d.exp10, -1);
	assert_false(d.neg);
	d = dec("-0.000");
	assert_int_equal(d.ndigits, 0);
	assert_false(d.neg); /* -0 is 0 */
	d = dec("1_200e-2");
	assert_string_equal(d.digits, "12");
	assert_int_equal(d.exp10, 0);
	d = dec("-1.5E+3");
	assert_true(d.neg);
	char buf[64];
	config_decimal_format(&d, buf, sizeof(buf));
	assert_string_equal(buf, "-1500");
	d = dec("0.00012");
	config_decimal_format(&d, buf, sizeof(buf));
	assert_string_equal(buf, "0.00012");
	d = dec("123.45");
	config_decimal_format(&d, buf, sizeof(buf));
	assert_string_equal(buf, "123.45");
}

static void test_parse_errors(void **state)
{
	(void)state;
	config_decimal d;
	char err[128];
	const char *bad[] = { "", "-", "1.", ".5", "1e", "abc", "1.2.3", "inf", "nan", "1 ", "0x10" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (config_decimal_parse(bad[i], strlen(bad[i]), false, &d, err, sizeof(err))) {
			print_error("'%s' should not parse\n", bad[i]);
			fail();
		}
	}
	/* underscores only where TOML allows them, and only when asked */
	assert_false(config_decimal_parse("1_000", 5, false, &d, err, sizeof(err)));
	assert_true(config_decimal_parse("1_000", 5, true, &d, err, sizeof(err)));
	assert_false(config_decimal_parse("1__000", 6, true, &d, err, sizeof(err)));
	char many[120];
	memset(many, '7', 100);
	many[100] = '\0';
	assert_false(config_decimal_parse(many, 100, false, &d, err, sizeof(err)));
	assert_string_equal(err, "too many significant digits (at most 79)");
}

static void test_compare(void **state)
{
	(void)state;
	config_decimal a = dec("0.1"), b = dec("0.10"), c = dec("0.099999"), n = dec("-2"), m = dec("-10"),
	               z = dec("0");
	assert_int_equal(config_decimal_cmp(&a, &b), 0);
	assert_int_equal(config_decimal_cmp(&a, &c), 1);
	assert_int_equal(config_decimal_cmp(&c, &a), -1);
	assert_int_equal(config_decimal_cmp(&n, &m), 1);
	assert_int_equal(config_decimal_cmp(&m, &n), -1);
	assert_int_equal(config_decimal_cmp(&z, &n), 1);
	assert_int_equal(config_decimal_cmp(&z, &a), -1);
	config_decimal big = dec("1e30"), small = dec("999999999999999999999999999999");
	assert_int_equal(config_decimal_cmp(&big, &small), 1);
}

static void test_to_fixed(void **state)
{
	(void)state;
	char err[128];
	int64_t v;
	config_decimal d = dec("0.1");
	assert_true(config_decimal_to_fixed(&d, 8, &v, err, sizeof(err)));
	assert_int_equal(v, 10000000);
	d = dec("0.123456789");
	assert_false(config_decimal_to_fixed(&d, 8, &v, err, sizeof(err)));
	assert_string_equal(err, "0.123456789 has more than 8 fractional digits");
	d = dec("9223372036854775807");
	assert_true(config_decimal_to_fixed(&d, 0, &v, err, sizeof(err)));
	assert_true(v == INT64_MAX);
	d = dec("9223372036854775808");
	assert_false(config_decimal_to_fixed(&d, 0, &v, err, sizeof(err)));
	d = dec("-9223372036854775808");
	assert_true(config_decimal_to_fixed(&d, 0, &v, err, sizeof(err)));
	assert_true(v == INT64_MIN);
	d = dec("12345678901234567890123");
	assert_false(config_decimal_to_fixed(&d, 0, &v, err, sizeof(err)));
	d = dec("5");
	assert_false(config_decimal_to_fixed(&d, 19, &v, err, sizeof(err)));
	assert_string_equal(err, "scale must be between 0 and 18");
	d = dec("1e-30");
	assert_false(config_decimal_to_fixed(&d, 18, &v, err, sizeof(err)));
	d = dec("0");
	assert_true(config_decimal_to_fixed(&d, 18, &v, err, sizeof(err)));
	assert_int_equal(v, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normal_form),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_compare),
		cmocka_unit_test(test_to_fixed),
	};
	return cmocka_run_group_tests_name("config_decimal", tests, NULL, NULL);
}
