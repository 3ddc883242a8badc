/*
 * TOML parser: keys, tables, arrays of tables and every redefinition rule of TOML 1.0.
 */
#include "test_util.h"

static void test_keys(void **state)
{
	(void)state;
	toml_value *r = parse_ok("bare_key-1 = 1\n"
	                         "\"quoted key\" = 2\n"
	                         "'literal \\ key' = 3\n"
	                         "\"\" = 4\n"
	                         "1234 = 5\n"
	                         "3.14159 = \"pi\"\n"
	                         "site.\"google.com\" = true\n"
	                         "a . b . c = 6\n"
	                         "\"\\u0041\" = 7\n");
	assert_int_equal(int_at(r, "bare_key-1"), 1);
	assert_int_equal(int_at(r, "quoted key"), 2);
	assert_int_equal(int_at(r, "literal \\ key"), 3);
	int64_t i;
	assert_true(toml_as_int(toml_table_getn(r, "", 0), &i));
	assert_int_equal(i, 4);
	assert_int_equal(int_at(r, "1234"), 5);
	assert_string_equal(str_at(r, "3.14159"), "pi"); /* at_path splits on '.': 3 -> 14159 */
	bool b;
	assert_true(toml_as_bool(toml_table_get(toml_table_get(r, "site"), "google.com"), &b));
	assert_int_equal(int_at(r, "a.b.c"), 6);
	assert_int_equal(int_at(r, "A"), 7);
	toml_free(r);
}

static void test_tables_and_implicit_parents(void **state)
{
	(void)state;
	toml_value *r = parse_ok("[a.b.c]\nx = 1\n[a]\ny = 2\n[a.b]\nz = 3\n[ d . \"e f\" ]\nw = 4\n");
	assert_int_equal(int_at(r, "a.b.c.x"), 1);
	assert_int_equal(int_at(r, "a.y"), 2);
	assert_int_equal(int_at(r, "a.b.z"), 3);
	assert_int_equal(toml_type_of(toml_table_get(r, "d")), TOML_TABLE);
	assert_true(toml_table_get(toml_table_get(r, "d"), "e f") != NULL);
	toml_free(r);
}

static void test_dotted_keys_define_tables(void **state)
{
	(void)state;
	toml_value *r = parse_ok("[fruit]\napple.color = \"red\"\napple.taste.sweet = true\n"
	                         "[fruit.apple.texture]\nsmooth = true\n");
	assert_string_equal(str_at(r, "fruit.apple.color"), "red");
	bool b = false;
	assert_true(toml_as_bool(at_path(r, "fruit.apple.taste.sweet"), &b));
	assert_true(b);
	assert_true(toml_as_bool(at_path(r, "fruit.apple.texture.smooth"), &b));
	toml_free(r);
	/* dotted keys may add to a table that a header only created as a parent */
	r = parse_ok("[a.b.c]\n[a]\nb.d = 1\n");
	assert_int_equal(int_at(r, "a.b.d"), 1);
	toml_free(r);
}

static void test_arrays_of_tables(void **state)
{
	(void)state;
	toml_value *r = parse_ok("[[products]]\nname = \"Hammer\"\nsku = 738594937\n"
	                         "[[products]]  # empty table\n"
	                         "[[products]]\nname = \"Nail\"\ncolor = \"gray\"\n"
	                         "[[fruits]]\nname = \"apple\"\n[fruits.physical]\ncolor = \"red\"\n"
	                         "[[fruits.varieties]]\nname = \"red delicious\"\n"
	                         "[[fruits.varieties]]\nname = \"granny smith\"\n"
	                         "[[fruits]]\nname = \"banana\"\n[[fruits.varieties]]\nname = \"plantain\"\n");
	const toml_value *products = toml_table_get(r, "products");
	assert_int_equal(toml_type_of(products), TOML_ARRAY);
	assert_int_equal(toml_array_len(products), 3);
	assert_int_equal(toml_table_size(toml_array_at(products, 1)), 0);
	assert_string_equal(str_at(toml_array_at(products, 2), "name"), "Nail");
	const toml_value *fruits = toml_table_get(r, "fruits");
	assert_int_equal(toml_array_len(fruits), 2);
	assert_string_equal(str_at(toml_array_at(fruits, 0), "physical.color"), "red");
	assert_int_equal(toml_array_len(toml_table_get(toml_array_at(fruits, 0), "varieties")), 2);
	const toml_value *v1 = toml_table_get(toml_array_at(fruits, 1), "varieties");
	assert_int_equal(toml_array_len(v1), 1);
	assert_string_equal(str_at(toml_array_at(v1, 0), "name"), "plantain");
	toml_free(r);
}

static void test_redefinition_rules(void **state)
{
	(void)state;
	/* the same table defined twice */
	assert_parse_error("[a]\nx = 1\n[a]\ny = 2\n", "test.toml:3:2: table defined more than once: key 'a' is already defined as a table by a [header] at 1:1");
	assert_parse_error("[a]\n[b]\n[a]\n", "table defined more than once");
	/* an implicit table may be defined once, not twice */
	assert_parse_error("[a.b]\n[a]\n[a]\n", "table defined more than once");
	/* duplicate keys, including a key and a table of the same name */
	assert_parse_error("name = 1\nname = 2\n", "test.toml:2:1: duplicate key: key 'name' is already defined as a value of type integer at 1:8");
	assert_parse_error("[fruit]\ntype = 1\n[fruit.type]\n", "cannot define a table: key 'fruit.type' is already defined as a value of type integer");
	assert_parse_error("[a.b]\n[a]\nb = 1\n", "duplicate key: key 'b' is already defined as a table by a [header]");
	/* a table made by dotted keys cannot get a header later */
	assert_parse_error("[fruit]\napple.color = 'red'\n[fruit.apple]\n", "key 'fruit.apple' is already defined as a table by dotted keys at 2:1");
	assert_parse_error("[fruit]\napple.taste.sweet = true\n[fruit.apple.taste]\n", "already defined as a table by dotted keys");
	/* dotted keys cannot extend a table defined by a header */
	assert_parse_error("[a.b.c]\nz = 9\n[a]\nb.c.t = 1\n", "dotted keys cannot extend it: key 'b.c' is already defined as a table by a [header] at 1:1");
	/* dotted keys cannot go through a value */
	assert_parse_error("a.b = 1\na.b.c = 2\n", "dotted keys cannot extend it: key 'a.b' is already defined as a value of type integer");
	/* inline tables are complete once closed */
	assert_parse_error("a = {}\n[a.b]\n", "a [header] cannot extend it: key 'a' is already defined as an inline table at 1:5");
	assert_parse_error("a = { b = 1 }\na.c = 2\n", "dotted keys cannot extend it: key 'a' is already defined as an inline table");
	assert_parse_error("[t]\na = { b = 1 }\n[t.a]\n", "already defined as an inline table");
	assert_parse_error("a = { b.c = 1 }\n[a.b]\n", "already defined as an inline table");
	/* static arrays versus arrays of tables */
	assert_parse_error("fruits = []\n[[fruits]]\n", "cannot define an array of tables: key 'fruits' is already defined as a value of type array");
	assert_parse_error("a = [{ b = 1 }]\n[a.c]\n", "a [header] cannot extend it");
	assert_parse_error("[[a]]\n[a]\n", "cannot define a table: key 'a' is already defined as an array of tables");
	assert_parse_error("[a]\n[[a]]\n", "cannot define an array of tables: key 'a' is already defined as a table by a [header]");
	/* [[a.b]] made a a table; [[a]] cannot turn it into an array afterwards */
	assert_parse_error("[[albums.songs]]\nname = 'x'\n[[albums]]\n", "cannot define an array of tables: key 'albums' is already defined as a table at 1:3");
	/* headers cannot go through a value */
	assert_parse_error("a = 1\n[a.b]\n", "a [header] cannot extend it: key 'a' is already defined as a value of type integer");
}

static void test_header_syntax_errors(void **state)
{
	(void)state;
	assert_parse_error("[]\n", "test.toml:1:2: expected a key");
	assert_parse_error("[a.]\n", "expected a key after '.'");
	assert_parse_error("[a\n", "expected ']' to close the [table] header, found end of line");
	assert_parse_error("[[a]\n", "expected ']]' to close the [[array of tables]] header, found ']'");
	assert_parse_error("[a] b = 1\n", "expected end of line after a table header, found 'b'");
	assert_parse_error("[\"\"\"a\"\"\"]\n", "a multi-line string cannot be used as a key");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_tables_and_implicit_parents),
		cmocka_unit_test(test_dotted_keys_define_tables),
		cmocka_unit_test(test_arrays_of_tables),
		cmocka_unit_test(test_redefinition_rules),
		cmocka_unit_test(test_header_syntax_errors),
	};
	return cmocka_run_group_tests_name("toml_tables", tests, NULL, NULL);
}
