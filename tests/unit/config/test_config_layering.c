/*
 * Configuration layering: file < environment (TRADEHOST__A__B) < --set flags, typed
 * literal parsing of override values, and error messages naming the source.
 */
#include "test_util.h"

#include "config/config.h"

#include <stdlib.h>
#include <unistd.h>

typedef struct fixture {
	char dir[64];
	char path[128];
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/th_config_test_XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/tradehost.toml", f->dir);
	FILE *fp = fopen(f->path, "w");
	if (!fp)
		return -1;
	fputs("[host]\n"
	      "mode = \"paper\"\n"
	      "port = 8080\n"
	      "[risk]\n"
	      "max_orders = 10\n"
	      "fee = 0.001\n"
	      "[[strategies]]\n"
	      "plugin = \"momentum\"\n"
	      "fast = 5\n",
	      fp);
	fclose(fp);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	unlink(f->path);
	rmdir(f->dir);
	free(f);
	return 0;
}

static void test_file_only(void **state)
{
	fixture *f = *state;
	char err[512];
	toml_value *r = config_load(f->path, NULL, NULL, 0, err, sizeof(err));
	assert_non_null(r);
	assert_string_equal(str_at(r, "host.mode"), "paper");
	assert_int_equal(int_at(r, "host.port"), 8080);
	toml_free(r);
}

static void test_precedence_file_env_flags(void **state)
{
	fixture *f = *state;
	char *envp[] = {
		"PATH=/usr/bin",
		"TRADEHOST__HOST__MODE=live",
		"TRADEHOST__HOST__PORT=9090",
		"TRADEHOST__RISK__MAX_ORDERS=30",
		"TRADEHOST_SINGLE_UNDERSCORE=ignored",
		"OTHER__HOST__MODE=ignored",
		NULL,
	};
	const char *sets[] = { "host.port=7070", "risk.max_orders = 40" };
	char err[512];
	toml_value *r = config_load(f->path, envp, sets, 2, err, sizeof(err));
	assert_non_null(r);
	assert_string_equal(str_at(r, "host.mode"), "live"); /* env over file */
	assert_int_equal(int_at(r, "host.port"), 7070);      /* flag over env over file */
	assert_int_equal(int_at(r, "risk.max_orders"), 40);
	assert_null(toml_table_get(r, "single_underscore"));
	/* overridden values remember where they came from */
	assert_string_equal(toml_source_name(at_path(r, "host.mode")), "environment TRADEHOST__HOST__MODE");
	assert_string_equal(toml_source_name(at_path(r, "host.port")), "flag --set host.port=7070");
	assert_string_equal(toml_source_name(at_path(r, "risk.fee")), f->path);
	toml_free(r);
}

static void test_typed_literals(void **state)
{
	(void)state;
	char *envp[] = {
		"TRADEHOST__A__INT=30",
		"TRADEHOST__A__BOOL=true",
		"TRADEHOST__A__QUOTED=\"x\"",
		"TRADEHOST__A__LIST=[1,2]",
		"TRADEHOST__A__DEC=0.001",
		"TRADEHOST__A__WORD=paper",
		"TRADEHOST__A__SPACED=hello world",
		"TRADEHOST__A__EMPTY=",
		"TRADEHOST__A__DATE=2024-01-31",
		"TRADEHOST__NEW_SECTION__MAX_NOTIONAL=1_000",
		NULL,
	};
	char err[512];
	toml_value *r = config_load(NULL, envp, NULL, 0, err, sizeof(err));
	assert_non_null(r);
	assert_int_equal(int_at(r, "a.int"), 30);
	bool b = false;
	assert_true(toml_as_bool(at_path(r, "a.bool"), &b) && b);
	assert_string_equal(str_at(r, "a.quoted"), "x");
	assert_int_equal(toml_array_len(at_path(r, "a.list")), 2);
	assert_int_equal(toml_type_of(at_path(r, "a.dec")), TOML_FLOAT);
	assert_string_equal(toml_raw_literal(at_path(r, "a.dec")), "0.001");
	assert_string_equal(str_at(r, "a.word"), "paper");
	assert_string_equal(str_at(r, "a.spaced"), "hello world");
	assert_string_equal(str_at(r, "a.empty"), "");
	assert_int_equal(toml_type_of(at_path(r, "a.date")), TOML_DATE_LOCAL);
	assert_int_equal(int_at(r, "new_section.max_notional"), 1000);
	toml_free(r);
}

static void test_flags_with_quoted_keys_and_arrays(void **state)
{
	fixture *f = *state;
	const char *sets[] = { "plugins.\"sim.venue\".fee=0.5", "strategies.0.fast=8", "host.name=my host" };
	char err[512];
	toml_value *r = config_load(f->path, NULL, sets, 3, err, sizeof(err));
	assert_non_null(r);
	double d = 0;
	assert_true(toml_as_double(toml_table_get(toml_table_get(toml_table_get(r, "plugins"), "sim.venue"), "fee"), &d));
	assert_true(d == 0.5);
	int64_t i = 0;
	assert_true(toml_as_int(toml_table_get(toml_array_at(toml_table_get(r, "strategies"), 0), "fast"), &i));
	assert_int_equal(i, 8);
	assert_string_equal(str_at(r, "host.name"), "my host");
	toml_free(r);
}

static void test_error_messages_name_source(void **state)
{
	fixture *f = *state;
	char err[512];
	char *env_bad_literal[] = { "TRADEHOST__HOST__MODE=\"unterminated", NULL };
	assert_null(config_load(f->path, env_bad_literal, NULL, 0, err, sizeof(err)));
	assert_string_equal(err, "environment TRADEHOST__HOST__MODE: value looks like a TOML string, array or inline table but is not valid: expected '\"' to close the string started at 1:1, found end of file (at column 14)");

	char *env_through_value[] = { "TRADEHOST__HOST__MODE__X=1", NULL };
	assert_null(config_load(f->path, env_through_value, NULL, 0, err, sizeof(err)));
	assert_string_equal(err, "environment TRADEHOST__HOST__MODE__X: 'host.mode' is a string, not a table, so keys cannot be set under it");

	char *env_empty_segment[] = { "TRADEHOST__HOST____MODE=1", NULL };
	assert_null(config_load(f->path, env_empty_segment, NULL, 0, err, sizeof(err)));
	assert_non_null(strstr(err, "environment TRADEHOST__HOST____MODE: empty key segment"));

	const char *no_eq[] = { "host.mode" };
	assert_null(config_load(f->path, NULL, no_eq, 1, err, sizeof(err)));
	assert_string_equal(err, "flag --set host.mode: expected '=' after the key (key=value such as host.mode=paper)");

	const char *replace_table[] = { "host=1" };
	assert_null(config_load(f->path, NULL, replace_table, 1, err, sizeof(err)));
	assert_string_equal(err, "flag --set host=1: 'host' is a table; set one of its keys instead of replacing it");

	const char *bad_array[] = { "risk.list=[1,", };
	assert_null(config_load(f->path, NULL, bad_array, 1, err, sizeof(err)));
	assert_non_null(strstr(err, "flag --set risk.list=[1,: value looks like a TOML string, array or inline table but is not valid"));

	char missing[200];
	snprintf(missing, sizeof(missing), "%s/nope.toml", f->dir);
	assert_null(config_load(missing, NULL, NULL, 0, err, sizeof(err)));
	char want[400];
	snprintf(want, sizeof(want), "%s: cannot open file: No such file or directory", missing);
	assert_string_equal(err, want);
}

static void test_value_from_text(void **state)
{
	(void)state;
	char err[256];
	toml_value *v = config_value_from_text(" 42 ", "test", err, sizeof(err));
	int64_t i;
	assert_true(toml_as_int(v, &i));
	assert_int_equal(i, 42);
	assert_string_equal(toml_source_name(v), "test");
	assert_int_equal(toml_line(v), 0);
	toml_free(v);
	v = config_value_from_text("1.2.3", "test", err, sizeof(err));
	const char *s;
	assert_true(toml_as_string(v, &s, NULL));
	assert_string_equal(s, "1.2.3");
	toml_free(v);
	assert_null(config_value_from_text("{a=", "test", err, sizeof(err)));
	assert_null(config_value_from_text("caf\xC3", "test", err, sizeof(err)));
	assert_string_equal(err, "test: value is not valid UTF-8 text");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_file_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_precedence_file_env_flags, setup, teardown),
		cmocka_unit_test(test_typed_literals),
		cmocka_unit_test_setup_teardown(test_flags_with_quoted_keys_and_arrays, setup, teardown),
		cmocka_unit_test_setup_teardown(test_error_messages_name_source, setup, teardown),
		cmocka_unit_test(test_value_from_text),
	};
	return cmocka_run_group_tests_name("config_layering", tests, NULL, NULL);
}
