/*
 * TOML value tree building and mutation: single value literals, key paths, set at a path,
 * deep copies and origins (the pieces configuration layering is built on).
 */
#include "test_util.h"

#include <stdlib.h>

static toml_value *literal(const char *text)
{
	toml_error err;
	toml_value *v = toml_parse_value_literal(text, strlen(text), "lit", &err);
	if (!v) {
		print_error("literal '%s' failed: %s\n", text, err.message);
		fail();
	}
	return v;
}

static void test_value_literals(void **state)
{
	(void)state;
	toml_value *v = literal("30");
	int64_t i;
	assert_true(toml_as_int(v, &i));
	assert_int_equal(i, 30);
	toml_free(v);

	v = literal("  true ");
	bool b = false;
	assert_true(toml_as_bool(v, &b) && b);
	toml_free(v);

	v = literal("\"x y\"");
	const char *s;
	assert_true(toml_as_string(v, &s, NULL));
	assert_string_equal(s, "x y");
	toml_free(v);

	v = literal("[1,2]");
	assert_int_equal(toml_array_len(v), 2);
	toml_free(v);

	v = literal("0.001");
	assert_int_equal(toml_type_of(v), TOML_FLOAT);
	assert_string_equal(toml_raw_literal(v), "0.001");
	toml_free(v);

	v = literal("{ a = 1, b.c = 'd' }");
	assert_string_equal(str_at(v, "b.c"), "d");
	toml_free(v);

	toml_error err;
	assert_null(toml_parse_value_literal("paper", 5, "lit", &err));
	assert_string_equal(err.message, "expected a value (string, number, boolean, date-time, array or inline table), found 'paper'");
	assert_null(toml_parse_value_literal("1 2", 3, "lit", &err));
	assert_string_equal(err.message, "expected end of the value, found '2'");
	assert_null(toml_parse_value_literal("", 0, "lit", &err));
	assert_null(toml_parse_value_literal("1\n", 2, "lit", &err));
}

static void test_key_paths(void **state)
{
	(void)state;
	toml_key_path p;
	size_t used = 0;
	toml_error err;
	const char *text = "plugins . \"sim.venue\".fee = 3";
	assert_true(toml_parse_key_path(text, strlen(text), &used, &p, &err));
	assert_int_equal(p.count, 3);
	assert_string_equal(p.parts[0], "plugins");
	assert_string_equal(p.parts[1], "sim.venue");
	assert_string_equal(p.parts[2], "fee");
	assert_int_equal(text[used], '=');
	char buf[128];
	toml_key_path_format(&p, p.count, buf, sizeof(buf));
	assert_string_equal(buf, "plugins.\"sim.venue\".fee");
	toml_key_path_format(&p, 1, buf, sizeof(buf));
	assert_string_equal(buf, "plugins");
	toml_key_path_free(&p);
	assert_false(toml_parse_key_path(".a", 2, &used, &p, &err));
	assert_non_null(strstr(err.message, "expected a key"));
}

static bool set(toml_value *root, const char *path, toml_value *v, toml_error *err)
{
	toml_key_path p;
	size_t used;
	assert_true(toml_parse_key_path(path, strlen(path), &used, &p, err));
	bool ok = toml_set_path(root, &p, v, err);
	toml_key_path_free(&p);
	return ok;
}

static void test_set_path(void **state)
{
	(void)state;
	toml_value *r = parse_ok("[host]\nmode = \"paper\"\n[[strategies]]\nfast = 5\n[[strategies]]\nfast = 7\n");
	toml_error err;
	/* replace a value */
	assert_true(set(r, "host.mode", toml_new_string("live", 4), &err));
	assert_string_equal(str_at(r, "host.mode"), "live");
	/* create intermediate tables */
	assert_true(set(r, "risk.limits.max_orders", toml_new_int(30), &err));
	assert_int_equal(int_at(r, "risk.limits.max_orders"), 30);
	/* index into an array of tables */
	assert_true(set(r, "strategies.1.fast", toml_new_int(9), &err));
	int64_t i;
	assert_true(toml_as_int(toml_table_get(toml_array_at(toml_table_get(r, "strategies"), 1), "fast"), &i));
	assert_int_equal(i, 9);
	/* errors name the offending part */
	assert_false(set(r, "host.mode.x", toml_new_int(1), &err));
	assert_string_equal(err.message, "'host.mode' is a string, not a table, so keys cannot be set under it");
	assert_false(set(r, "host", toml_new_int(1), &err));
	assert_string_equal(err.message, "'host' is a table; set one of its keys instead of replacing it");
	assert_false(set(r, "strategies.5.fast", toml_new_int(1), &err));
	assert_string_equal(err.message, "'strategies' is an array; the next key part must be an index below 2");
	/* the text form of the same */
	assert_true(toml_set(r, "new.\"quoted key\"", toml_new_bool(true), &err));
	assert_int_equal(toml_type_of(toml_table_get(toml_table_get(r, "new"), "quoted key")), TOML_BOOL);
	assert_false(toml_set(r, "a b", toml_new_int(1), &err));
	assert_string_equal(err.message, "unexpected text after the key in 'a b'");
	/* the tree is unchanged by failed sets */
	assert_string_equal(str_at(r, "host.mode"), "live");
	toml_free(r);
}

static void test_clone_and_origin(void **state)
{
	(void)state;
	toml_value *r = parse_ok("a = { b = [1, 'x', 2.5] }\nc = 1979-05-27\n");
	toml_value *c = toml_clone(r);
	toml_free(r); /* the copy must not share anything that was freed */
	assert_non_null(c);
	const toml_value *arr = at_path(c, "a.b");
	assert_int_equal(toml_array_len(arr), 3);
	assert_string_equal(toml_raw_literal(toml_array_at(arr, 2)), "2.5");
	assert_string_equal(toml_datetime_text(toml_table_get(c, "c")), "1979-05-27");
	assert_string_equal(toml_source_name(arr), "test.toml");
	assert_int_equal(toml_line(arr), 1);
	toml_set_origin(c, "environment X", 0, 0);
	assert_string_equal(toml_source_name(toml_array_at(arr, 0)), "environment X");
	assert_int_equal(toml_line(toml_array_at(arr, 0)), 0);
	toml_free(c);
}

static void test_table_set_remove(void **state)
{
	(void)state;
	toml_value *t = toml_new_table();
	char key[16];
	for (int k = 0; k < 40; k++) {
		snprintf(key, sizeof(key), "k%d", k);
		assert_true(toml_table_set(t, key, strlen(key), toml_new_int(k)));
	}
	assert_true(toml_table_set(t, "k3", 2, toml_new_bool(true))); /* replace keeps size */
	assert_int_equal(toml_table_size(t), 40);
	assert_true(toml_table_remove(t, "k0", 2));
	assert_false(toml_table_remove(t, "k0", 2));
	assert_int_equal(toml_table_size(t), 39);
	assert_string_equal(toml_table_key_at(t, 0, NULL), "k1");
	for (int k = 1; k < 40; k++) {
		snprintf(key, sizeof(key), "k%d", k);
		assert_non_null(toml_table_get(t, key));
	}
	assert_int_equal(toml_type_of(toml_table_get(t, "k3")), TOML_BOOL);
	toml_value *a = toml_new_array();
	assert_true(toml_array_append(a, toml_new_float(1.5)));
	assert_true(toml_table_set(t, "arr", 3, a));
	assert_int_equal(toml_array_len(toml_table_get(t, "arr")), 1);
	/* appending to something that is not an array frees the value and fails */
	assert_false(toml_array_append(t, toml_new_int(1)));
	toml_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_value_literals),
		cmocka_unit_test(test_key_paths),
		cmocka_unit_test(test_set_path),
		cmocka_unit_test(test_clone_and_origin),
		cmocka_unit_test(test_table_set_remove),
	};
	return cmocka_run_group_tests_name("toml_mutation", tests, NULL, NULL);
}
