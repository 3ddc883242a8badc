/*
 * Plugin schema validation: unknown keys, wrong types, required keys, min/max, defaults,
 * schema self-check, typed getters (decimal exactness) and generated documentation.
 */
#include "test_util.h"

#include "config/schema.h"

#include <stdlib.h>

static const th_config_field momentum_schema[] = {
	{ "symbol", TH_CONFIG_STRING, 1, NULL, NULL, NULL, "Instrument to trade." },
	{ "fast", TH_CONFIG_INT, 0, "10", "1", "500", "Fast EMA period in bars." },
	{ "slow", TH_CONFIG_INT, 0, "30", "2", NULL, "Slow EMA period in bars." },
	{ "threshold", TH_CONFIG_FLOAT, 0, "0.5", "0", "1", "Signal strength needed to trade." },
	{ "enabled", TH_CONFIG_BOOL, 0, "true", NULL, NULL, "Whether the agent trades." },
	{ "order_qty", TH_CONFIG_DECIMAL, 0, "\"0.001\"", "0", "\"1000\"", "Order size in base units." },
	{ "venues", TH_CONFIG_STRING_LIST, 0, "[\"sim\"]", NULL, NULL, "Venues | in order of preference." },
	TH_CONFIG_END
};

static toml_value *instance(const char *text)
{
	return parse_ok(text);
}

/* Validates a document's [s] table against momentum_schema; returns status, fills err. */
static th_status validate(const char *doc, char *err, size_t errlen, toml_value **eff)
{
	toml_value *r = instance(doc);
	th_status st = config_validate(toml_table_get(r, "s"), momentum_schema, "strategies.momentum", eff, err, errlen);
	toml_free(r);
	return st;
}

static void expect_error(const char *doc, const char *want)
{
	char err[1024];
	th_status st = validate(doc, err, sizeof(err), NULL);
	if (st != TH_ERR_INVALID || strcmp(err, want) != 0) {
		print_error("doc:\n%s\nstatus %d\nwant: %s\ngot:  %s\n", doc, st, want, err);
		fail();
	}
}

static void test_valid_instance_and_defaults(void **state)
{
	(void)state;
	char err[512];
	toml_value *eff = NULL;
	assert_int_equal(validate("[s]\nsymbol = \"BTCUSDT\"\nfast = 12\nthreshold = 1\n", err, sizeof(err), &eff), TH_OK);
	assert_non_null(eff);
	/* schema order, given values kept, defaults filled */
	assert_int_equal(toml_table_size(eff), 7);
	assert_string_equal(toml_table_key_at(eff, 0, NULL), "symbol");
	assert_string_equal(toml_table_key_at(eff, 6, NULL), "venues");
	int64_t i;
	assert_int_equal(config_get_int(eff, "fast", &i), TH_OK);
	assert_int_equal(i, 12);
	assert_int_equal(config_get_int(eff, "slow", &i), TH_OK);
	assert_int_equal(i, 30);
	double d;
	assert_int_equal(config_get_double(eff, "threshold", &d), TH_OK); /* integer accepted for float */
	assert_true(d == 1.0);
	bool b = false;
	assert_int_equal(config_get_bool(eff, "enabled", &b), TH_OK);
	assert_true(b);
	const char *s;
	size_t len;
	assert_int_equal(config_get_string(eff, "symbol", &s, &len), TH_OK);
	assert_string_equal(s, "BTCUSDT");
	assert_int_equal(len, 7);
	const char *list[4];
	size_t count = 0;
	assert_int_equal(config_get_string_list(eff, "venues", list, 4, &count), TH_OK);
	assert_int_equal(count, 1);
	assert_string_equal(list[0], "sim");
	int64_t qty;
	assert_int_equal(config_get_decimal(eff, "order_qty", 8, &qty, err, sizeof(err)), TH_OK);
	assert_int_equal(qty, 100000);
	/* getters are strict */
	assert_int_equal(config_get_int(eff, "symbol", &i), TH_ERR_INVALID);
	assert_int_equal(config_get_int(eff, "nope", &i), TH_ERR_NOT_FOUND);
	assert_int_equal(config_get_bool(eff, "fast", &b), TH_ERR_INVALID);
	toml_free(eff);
}

static void test_unknown_key(void **state)
{
	(void)state;
	expect_error("[s]\nsymbol = \"X\"\nfats = 3\n",
	             "test.toml:3:8: strategies.momentum: unknown key 'fats' (did you mean 'fast'?); accepted keys: "
	             "symbol, fast, slow, threshold, enabled, order_qty, venues");
	expect_error("[s]\nsymbol = \"X\"\ncompletely_different = 3\n",
	             "test.toml:3:24: strategies.momentum: unknown key 'completely_different'; accepted keys: "
	             "symbol, fast, slow, threshold, enabled, order_qty, venues");
}

static void test_wrong_types(void **state)
{
	(void)state;
	expect_error("[s]\nsymbol = 5\n", "test.toml:2:10: strategies.momentum: key 'symbol' expects string, found integer 5");
	expect_error("[s]\nsymbol = \"X\"\nfast = 1.5\n", "test.toml:3:8: strategies.momentum: key 'fast' expects int, found float 1.5");
	expect_error("[s]\nsymbol = \"X\"\nenabled = \"yes\"\n",
	             "test.toml:3:11: strategies.momentum: key 'enabled' expects bool, found string \"yes\"");
	expect_error("[s]\nsymbol = \"X\"\nvenues = [\"a\", 2]\n",
	             "test.toml:3:10: strategies.momentum: key 'venues' expects a string list, but element 1 is integer 2");
	expect_error("[s]\nsymbol = \"X\"\norder_qty = \"abc\"\n",
	             "test.toml:3:13: strategies.momentum: key 'order_qty' expects a decimal (integer, float or string such as \"0.001\"), "
	             "found string \"abc\": expected digits (a decimal such as 12, -0.5 or 0.001)");
	expect_error("[s]\nsymbol = \"X\"\norder_qty = true\n",
	             "test.toml:3:13: strategies.momentum: key 'order_qty' expects a decimal (integer, float or string such as \"0.001\"), found bool true");
	expect_error("[s]\nsymbol = \"X\"\norder_qty = nan\n",
	             "test.toml:3:13: strategies.momentum: key 'order_qty' expects a decimal (integer, float or string such as \"0.001\"), "
	             "found float nan: expected digits (a decimal such as 12, -0.5 or 0.001)");
	/* DECIMAL accepts integers, float literals and decimal strings */
	char err[256];
	assert_int_equal(validate("[s]\nsymbol = \"X\"\norder_qty = 2\n", err, sizeof(err), NULL), TH_OK);
	assert_int_equal(validate("[s]\nsymbol = \"X\"\norder_qty = 12.5\n", err, sizeof(err), NULL), TH_OK);
	assert_int_equal(validate("[s]\nsymbol = \"X\"\norder_qty = \"12.5\"\n", err, sizeof(err), NULL), TH_OK);
	/* a non-table instance */
	toml_value *r = instance("s = 3\n");
	assert_int_equal(config_validate(toml_table_get(r, "s"), momentum_schema, "x", NULL, err, sizeof(err)), TH_ERR_INVALID);
	assert_string_equal(err, "test.toml:1:5: x: expected a table of settings, found integer 3");
	toml_free(r);
}

static void test_required_missing(void **state)
{
	(void)state;
	expect_error("[s]\nfast = 3\n",
	             "test.toml:1:1: strategies.momentum: required key 'symbol' (string) is missing: Instrument to trade.");
	char err[256];
	assert_int_equal(config_validate(NULL, momentum_schema, "m", NULL, err, sizeof(err)), TH_ERR_INVALID);
	assert_string_equal(err, "m: required key 'symbol' (string) is missing: Instrument to trade.");
}

static void test_min_max(void **state)
{
	(void)state;
	expect_error("[s]\nsymbol = \"X\"\nfast = 0\n", "test.toml:3:8: strategies.momentum: key 'fast' must be between 1 and 500, found integer 0");
	expect_error("[s]\nsymbol = \"X\"\nfast = 501\n", "test.toml:3:8: strategies.momentum: key 'fast' must be between 1 and 500, found integer 501");
	expect_error("[s]\nsymbol = \"X\"\nslow = 1\n", "test.toml:3:8: strategies.momentum: key 'slow' must be at least 2, found integer 1");
	expect_error("[s]\nsymbol = \"X\"\nthreshold = 1.0001\n",
	             "test.toml:3:13: strategies.momentum: key 'threshold' must be between 0 and 1, found float 1.0001");
	expect_error("[s]\nsymbol = \"X\"\norder_qty = \"1000.00000001\"\n",
	             "test.toml:3:13: strategies.momentum: key 'order_qty' must be between 0 and \"1000\", found string \"1000.00000001\"");
	expect_error("[s]\nsymbol = \"X\"\norder_qty = -0.1\n",
	             "test.toml:3:13: strategies.momentum: key 'order_qty' must be between 0 and \"1000\", found float -0.1");
	char err[256];
	/* bounds are inclusive; decimal comparison is exact */
	assert_int_equal(validate("[s]\nsymbol = \"X\"\nfast = 500\norder_qty = 1000.000\n", err, sizeof(err), NULL), TH_OK);
	assert_int_equal(validate("[s]\nsymbol = \"X\"\nfast = 1\norder_qty = 0\nthreshold = 0\n", err, sizeof(err), NULL), TH_OK);
}

static void test_ignore_keys(void **state)
{
	(void)state;
	toml_value *r = instance("[s]\nplugin = \"momentum\"\nname = \"Marcus\"\nsymbol = \"X\"\n");
	const char *const host_keys[] = { "plugin", "name", NULL };
	char err[256];
	toml_value *eff = NULL;
	assert_int_equal(config_validate_ex(toml_table_get(r, "s"), momentum_schema, "m", host_keys, &eff, err, sizeof(err)), TH_OK);
	assert_null(toml_table_get(eff, "plugin"));
	assert_non_null(toml_table_get(eff, "symbol"));
	toml_free(eff);
	assert_int_equal(config_validate(toml_table_get(r, "s"), momentum_schema, "m", NULL, err, sizeof(err)), TH_ERR_INVALID);
	assert_non_null(strstr(err, "unknown key 'plugin'"));
	toml_free(r);
}

static void test_override_origin_in_message(void **state)
{
	(void)state;
	toml_value *r = instance("[s]\nsymbol = \"X\"\n");
	toml_value *s = (toml_value *)toml_table_get(r, "s");
	toml_value *v = toml_new_string("many", 4);
	toml_set_origin(v, "environment TRADEHOST__S__FAST", 0, 0);
	assert_true(toml_table_set(s, "fast", 4, v));
	char err[256];
	assert_int_equal(config_validate(s, momentum_schema, "strategies.momentum", NULL, err, sizeof(err)), TH_ERR_INVALID);
	assert_string_equal(err, "environment TRADEHOST__S__FAST: strategies.momentum: key 'fast' expects int, found string \"many\"");
	toml_free(r);
}

static void expect_schema_error(const th_config_field *schema, const char *want)
{
	char err[512];
	th_status st = config_schema_check(schema, err, sizeof(err));
	if (st != TH_ERR_INVALID || strcmp(err, want) != 0) {
		print_error("want: %s\ngot:  %s (status %d)\n", want, err, st);
		fail();
	}
	/* validation refuses to run against a broken schema */
	toml_value *t = toml_new_table();
	assert_int_equal(config_validate(t, schema, "x", NULL, err, sizeof(err)), TH_ERR_INVALID);
	toml_free(t);
}

static void test_schema_check(void **state)
{
	(void)state;
	char err[256];
	assert_int_equal(config_schema_check(momentum_schema, err, sizeof(err)), TH_OK);
	const th_config_field empty[] = { TH_CONFIG_END };
	assert_int_equal(config_schema_check(empty, err, sizeof(err)), TH_OK);

	const th_config_field bad_default[] = { { "fast", TH_CONFIG_INT, 0, "ten", NULL, NULL, "" }, TH_CONFIG_END };
	expect_schema_error(bad_default, "plugin schema: key 'fast': default literal 'ten' is not a valid TOML value: "
	                                 "expected a value (string, number, boolean, date-time, array or inline table), found 'ten'");
	const th_config_field wrong_type_default[] = { { "fast", TH_CONFIG_INT, 0, "\"10\"", NULL, NULL, "" }, TH_CONFIG_END };
	expect_schema_error(wrong_type_default, "plugin schema: default '\"10\"' of key 'fast' is invalid: key 'fast' expects int, found string \"10\"");
	const th_config_field out_of_range_default[] = { { "fast", TH_CONFIG_INT, 0, "0", "1", NULL, "" }, TH_CONFIG_END };
	expect_schema_error(out_of_range_default, "plugin schema: default '0' of key 'fast' is invalid: key 'fast' must be at least 1, found integer 0");
	const th_config_field bad_key[] = { { "Fast", TH_CONFIG_INT, 0, NULL, NULL, NULL, "" }, TH_CONFIG_END };
	expect_schema_error(bad_key, "plugin schema: field 0: key 'Fast' must be lower-case letters, digits and '_'");
	const th_config_field dup[] = { { "a", TH_CONFIG_INT, 0, NULL, NULL, NULL, "" },
		                            { "a", TH_CONFIG_BOOL, 0, NULL, NULL, NULL, "" },
		                            TH_CONFIG_END };
	expect_schema_error(dup, "plugin schema: key 'a' is declared twice (fields 0 and 1)");
	const th_config_field bad_type[] = { { "a", 99, 0, NULL, NULL, NULL, "" }, TH_CONFIG_END };
	expect_schema_error(bad_type, "plugin schema: key 'a' has unknown type 99");
	const th_config_field min_on_string[] = { { "a", TH_CONFIG_STRING, 0, NULL, "1", NULL, "" }, TH_CONFIG_END };
	expect_schema_error(min_on_string, "plugin schema: key 'a': min/max apply only to int, float and decimal, not string");
	const th_config_field min_gt_max[] = { { "a", TH_CONFIG_DECIMAL, 0, NULL, "\"0.5\"", "0.25", "" }, TH_CONFIG_END };
	expect_schema_error(min_gt_max, "plugin schema: key 'a': min \"0.5\" is greater than max 0.25");
	const th_config_field bad_bound[] = { { "a", TH_CONFIG_INT, 0, NULL, "1.5", NULL, "" }, TH_CONFIG_END };
	expect_schema_error(bad_bound, "plugin schema: min literal '1.5' of key 'a' does not fit type int (key 'a' expects int, found float 1.5)");
	/* a required key's default is ignored, even if malformed */
	const th_config_field req[] = { { "a", TH_CONFIG_INT, 1, "junk", NULL, NULL, "" }, TH_CONFIG_END };
	assert_int_equal(config_schema_check(req, err, sizeof(err)), TH_OK);
}

static void test_decimal_getter_exactness(void **state)
{
	(void)state;
	toml_value *r = instance("a = \"0.1\"\nb = \"0.123456789\"\nc = 0.1\nd = 1_000.25\ne = 7\nf = \"-12.5\"\n"
	                         "g = 92233720368.54775807\nh = 92233720368.54775808\ni = 1.5e-3\nj = \"1e3\"\nk = 0x10\n"
	                         "l = -92233720368.54775808\nm = \"0.10000000000\"\nn = true\n");
	char err[256];
	int64_t v = 0;
	assert_int_equal(config_get_decimal(r, "a", 8, &v, err, sizeof(err)), TH_OK);
	assert_int_equal(v, 10000000);
	assert_int_equal(config_get_decimal(r, "b", 8, &v, err, sizeof(err)), TH_ERR_INVALID);
	assert_string_equal(err, "key 'b': 0.123456789 has more than 8 fractional digits");
	assert_int_equal(config_get_decimal(r, "b", 9, &v, err, sizeof(err)), TH_OK);
	assert_int_equal(v, 123456789);
	assert_int_equal(config_get_decimal(r, "c", 8, &v, err, sizeof(err)), TH_OK); /* float literal read from text */
	assert_int_equal(v, 10000000);
	assert_int_equal(config_get_decimal(r, "d", 2, &v, err, sizeof(err)), TH_OK);
	assert_int_equal(v, 100025);
	assert_int_equal(config_get_decimal(r, "d", 1, &v, err, sizeof(err)), TH_ERR_INVALID);
	assert_int_equal(config_get_decimal(r, "e", 4, &v, err, sizeof(err)), TH_OK);
	assert_int_equal(v, 70000);
	assert_int_equal(config_get_decimal(r, "f", 1, &v, err, sizeof(err)), TH_OK);
	assert_int_equal(v, -125);
	assert_int_equal(config_get_decimal(r, "g", 8, &v, err, sizeof(err)), TH_OK);
	assert_true(v == INT64_MAX);
	assert_int_equal(config_get_decimal(r, "h", 8, &v, err, sizeof(err)), TH_ERR_INVALID);
	assert_string_equal(err, "key 'h': 92233720368.54775808 is too large for a 64-bit fixed-point value at scale 8");
	assert_int_equal(config_get_decimal(r, "l", 8, &v, err, sizeof(err)), TH_OK);
	assert_true(v == INT64_MIN);
	assert_int_equal(config_get_decimal(r, "i", 4, &v, err, sizeof(err)), TH_OK);
	assert_int_equal(v, 15);
	assert_int_equal(config_get_decimal(r, "j", 0, &v, err, sizeof(err)), TH_OK);
	assert_int_equal(v, 1000);
	assert_int_equal(config_get_decimal(r, "k", 2, &v, err, sizeof(err)), TH_OK);
	assert_int_equal(v, 1600);
	assert_int_equal(config_get_decimal(r, "m", 1, &v, err, sizeof(err)), TH_OK); /* trailing zeros lose nothing */
	assert_int_equal(v, 1);
	assert_int_equal(config_get_decimal(r, "n", 1, &v, err, sizeof(err)), TH_ERR_INVALID);
	assert_int_equal(config_get_decimal(r, "zz", 1, &v, err, sizeof(err)), TH_ERR_NOT_FOUND);
	toml_free(r);
}

static char *describe(config_describe_format fmt)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(config_schema_describe(momentum_schema, f, fmt), TH_OK);
	fclose(f);
	return buf;
}

static void test_describe(void **state)
{
	(void)state;
	char *md = describe(CONFIG_DESCRIBE_MARKDOWN);
	const char *want_md =
		"| key | type | default | required | description |\n"
		"|---|---|---|---|---|\n"
		"| `symbol` | string |  | yes | Instrument to trade. |\n"
		"| `fast` | int | `10` | no | Fast EMA period in bars. Range: 1 to 500. |\n"
		"| `slow` | int | `30` | no | Slow EMA period in bars. Range: at least 2. |\n"
		"| `threshold` | float | `0.5` | no | Signal strength needed to trade. Range: 0 to 1. |\n"
		"| `enabled` | bool | `true` | no | Whether the agent trades. |\n"
		"| `order_qty` | decimal | `\"0.001\"` | no | Order size in base units. Range: 0 to \"1000\". |\n"
		"| `venues` | string list | `[\"sim\"]` | no | Venues \\| in order of preference. |\n";
	assert_string_equal(md, want_md);
	free(md);
	char *text = describe(CONFIG_DESCRIBE_TEXT);
	assert_non_null(strstr(text, "  symbol (string, required)\n      Instrument to trade.\n"));
	assert_non_null(strstr(text, "  fast (int, default 10, 1 to 500)\n      Fast EMA period in bars.\n"));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_instance_and_defaults),
		cmocka_unit_test(test_unknown_key),
		cmocka_unit_test(test_wrong_types),
		cmocka_unit_test(test_required_missing),
		cmocka_unit_test(test_min_max),
		cmocka_unit_test(test_ignore_keys),
		cmocka_unit_test(test_override_origin_in_message),
		cmocka_unit_test(test_schema_check),
		cmocka_unit_test(test_decimal_getter_exactness),
		cmocka_unit_test(test_describe),
	};
	return cmocka_run_group_tests_name("config_schema", tests, NULL, NULL);
}
