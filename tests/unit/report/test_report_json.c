/*
 * report.json: parse the written file back with jansson and check fields,
 * exact money strings, ordering, omitted undefined ratios, determinism
 * (byte-identical across runs and input orders) and error messages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <jansson.h>

#include "report_test_fixture.h"

static json_t *write_and_load(const char *dir, const char *name, const fixture *f,
			      const report_series *series, size_t nseries)
{
	char path[512], err[256] = "";
	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (report_write_json(path, &f->meta, series, nseries, f->trades, 4, err, sizeof err) != 0)
		fail_msg("report_write_json: %s", err);
	json_error_t jerr;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		fail_msg("%s:%d:%d: %s", path, jerr.line, jerr.column, jerr.text);
	return root;
}

static const char *str_at(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	if (!json_is_string(v))
		fail_msg("key '%s' is not a string", key);
	return json_string_value(v);
}

static double num_at(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	if (!json_is_number(v))
		fail_msg("key '%s' is not a number", key);
	return json_number_value(v);
}

static void test_fields_and_exact_money(void **state)
{
	const char *dir = *state;
	fixture f;
	fixture_init(&f);
	json_t *root = write_and_load(dir, "a.json", &f, f.series, 6);

	json_t *meta = json_object_get(root, "meta");
	assert_int_equal(json_integer_value(json_object_get(meta, "format_version")), 1);
	assert_string_equal(str_at(meta, "config"), "config/back<test>.toml");
	assert_string_equal(str_at(meta, "seed"), "18446744073709551615");
	assert_string_equal(str_at(meta, "from"), "2024-01-01T00:00:00Z");
	assert_string_equal(str_at(meta, "to"), "2024-01-04T00:00:00Z");
	assert_int_equal(json_integer_value(json_object_get(meta, "bars")), 4320);
	assert_string_equal(str_at(meta, "generated_by"), "tradehost 0.1.0");

	json_t *total = json_object_get(root, "total");
	assert_string_equal(str_at(total, "name"), "total");
	assert_string_equal(str_at(total, "initial_capital"), "100.00000000");
	assert_string_equal(str_at(total, "start_equity"), "100.00000000");
	assert_string_equal(str_at(total, "end_equity"), "108.90000000");
	assert_string_equal(str_at(total, "net_profit"), "8.90000000");
	assert_string_equal(str_at(total, "fees"), "0.08400100");
	assert_string_equal(str_at(total, "max_drawdown_money"), "11.00000000");
	assert_string_equal(str_at(total, "gross_profit"), "1.23456790");
	assert_string_equal(str_at(total, "gross_loss"), "0.50000003");
	assert_close(num_at(total, "sharpe"), sqrt(3.0) / 6.0 * sqrt(365.0));
	assert_close(num_at(total, "max_drawdown"), 0.1);
	assert_close(num_at(total, "win_rate"), 0.5);
	assert_close(num_at(total, "profit_factor"), 123456790.0 / 50000003.0);
	assert_close(num_at(total, "exposure"), 1.0 / 3.0);
	assert_close(num_at(total, "periods_per_year"), 365.0);
	assert_int_equal(json_integer_value(json_object_get(total, "trades")), 4);
	assert_int_equal(json_integer_value(json_object_get(total, "wins")), 2);
	assert_int_equal(json_integer_value(json_object_get(total, "losses")), 2);
	assert_int_equal(json_array_size(json_object_get(total, "undefined")), 0);

	/* farms sorted by name although given as zeta, alpha */
	json_t *farms = json_object_get(root, "farms");
	assert_int_equal(json_array_size(farms), 2);
	assert_string_equal(str_at(json_array_get(farms, 0), "name"), "alpha");
	assert_string_equal(str_at(json_array_get(farms, 0), "end_equity"), "60.12345678");
	json_t *zeta = json_array_get(farms, 1);
	assert_string_equal(str_at(zeta, "name"), "zeta");
	/* a flat curve with no trades: undefined ratios are omitted and listed */
	assert_null(json_object_get(zeta, "sharpe"));
	assert_null(json_object_get(zeta, "profit_factor"));
	assert_close(num_at(zeta, "cagr"), 0.0);
	json_t *undef = json_object_get(zeta, "undefined");
	const char *want[] = { "sharpe", "sortino", "calmar", "win_rate", "profit_factor" };
	assert_int_equal(json_array_size(undef), 5);
	for (size_t i = 0; i < 5; i++)
		assert_string_equal(json_string_value(json_array_get(undef, i)), want[i]);

	/* agents sorted by (farm, name): '<' sorts before 'b' */
	json_t *agents = json_object_get(root, "agents");
	assert_int_equal(json_array_size(agents), 3);
	assert_string_equal(str_at(json_array_get(agents, 0), "name"), EVIL_NAME);
	assert_string_equal(str_at(json_array_get(agents, 1), "name"), "bob");
	assert_string_equal(str_at(json_array_get(agents, 1), "farm"), "alpha");
	assert_string_equal(str_at(json_array_get(agents, 2), "name"), "mm");
	assert_string_equal(str_at(json_array_get(agents, 2), "farm"), "zeta");
	json_t *bob = json_array_get(agents, 1);
	assert_int_equal(json_integer_value(json_object_get(bob, "trades")), 3);
	assert_int_equal(json_integer_value(json_object_get(bob, "wins")), 2);
	assert_string_equal(str_at(bob, "gross_loss"), "0.00000003");

	/* trades in the given order with exact decimals at their own scales */
	json_t *trades = json_object_get(root, "trades");
	assert_int_equal(json_array_size(trades), 4);
	json_t *t0 = json_array_get(trades, 0);
	assert_string_equal(str_at(t0, "agent"), "bob");
	assert_string_equal(str_at(t0, "side"), "long");
	assert_string_equal(str_at(t0, "qty"), "0.500");
	assert_string_equal(str_at(t0, "entry_price"), "42000.50");
	assert_string_equal(str_at(t0, "exit_price"), "42100.00");
	assert_string_equal(str_at(t0, "net_pnl"), "1.23456789");
	assert_string_equal(str_at(t0, "fees"), "0.02100025");
	assert_string_equal(str_at(t0, "entry_time"), "2024-01-01T00:00:01Z");
	assert_string_equal(str_at(t0, "exit_time"), "2024-01-01T00:01:31Z");
	assert_int_equal(json_integer_value(json_object_get(t0, "entry_ns")), T0 + SEC);
	json_t *t1 = json_array_get(trades, 1);
	assert_string_equal(str_at(t1, "side"), "short");
	assert_string_equal(str_at(t1, "net_pnl"), "-0.50000000");
	assert_string_equal(str_at(json_array_get(trades, 3), "entry_time"),
			    "2024-01-03T00:00:00.000000005Z");

	json_decref(root);
}

static void test_deterministic_bytes(void **state)
{
	const char *dir = *state;
	char pa[128], pb[128], pc[128], err[256] = "";
	fixture f;
	fixture_init(&f);
	snprintf(pa, sizeof pa, "%s/a.json", dir);
	snprintf(pb, sizeof pb, "%s/b.json", dir);
	snprintf(pc, sizeof pc, "%s/c.json", dir);
	assert_int_equal(report_write_json(pa, &f.meta, f.series, 6, f.trades, 4, err, sizeof err), 0);
	assert_int_equal(report_write_json(pb, &f.meta, f.series, 6, f.trades, 4, err, sizeof err), 0);
	/* the same series in another order must give the same file */
	report_series rev[6];
	for (int i = 0; i < 6; i++)
		rev[i] = f.series[5 - i];
	assert_int_equal(report_write_json(pc, &f.meta, rev, 6, f.trades, 4, err, sizeof err), 0);
	size_t la = 0, lb = 0, lc = 0;
	char *a = slurp(pa, &la), *b = slurp(pb, &lb), *c = slurp(pc, &lc);
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(c);
	assert_true(la > 1000);
	assert_int_equal(la, lb);
	assert_int_equal(la, lc);
	assert_memory_equal(a, b, la);
	assert_memory_equal(a, c, la);
	assert_int_equal(a[la - 1], '\n');
	assert_null(strstr(a, "NaN"));
	assert_null(strstr(a, "Infinity"));
	free(a);
	free(b);
	free(c);
}

static void test_degenerate_report_is_valid_json(void **state)
{
	const char *dir = *state;
	fixture f;
	fixture_init(&f);
	report_series host = { .name = "total", .kind = REPORT_KIND_HOST,
			       .initial_capital = M(1000) };
	char path[128], err[256] = "";
	snprintf(path, sizeof path, "%s/a.json", dir);
	assert_int_equal(report_write_json(path, &f.meta, &host, 1, NULL, 0, err, sizeof err), 0);
	json_error_t jerr;
	json_t *root = json_load_file(path, 0, &jerr);
	assert_non_null(root);
	json_t *total = json_object_get(root, "total");
	assert_string_equal(str_at(total, "end_equity"), "1000.00000000");
	assert_close(num_at(total, "total_return"), 0.0);
	assert_close(num_at(total, "max_drawdown"), 0.0);
	assert_null(json_object_get(total, "sharpe"));
	assert_null(json_object_get(total, "cagr"));
	assert_int_equal(json_array_size(json_object_get(total, "undefined")), 7);
	assert_int_equal(json_array_size(json_object_get(root, "farms")), 0);
	assert_int_equal(json_array_size(json_object_get(root, "trades")), 0);
	json_decref(root);
}

static int dir_entries(const char *dir)
{
	DIR *d = opendir(dir);
	int n = 0;
	for (struct dirent *e; d && (e = readdir(d));)
		n += e->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

static void test_bad_input_is_named(void **state)
{
	const char *dir = *state;
	char path[128], err[256] = "";
	snprintf(path, sizeof path, "%s/a.json", dir);
	fixture f;
	fixture_init(&f);

	/* no host series */
	assert_int_equal(report_write_json(path, &f.meta, f.series + 2, 4, f.trades, 4, err, sizeof err), -1);
	assert_non_null(strstr(err, "exactly one host"));
	/* a farm twice */
	report_series dup[7];
	memcpy(dup, f.series, sizeof f.series);
	dup[6] = f.series[0];
	assert_int_equal(report_write_json(path, &f.meta, dup, 7, f.trades, 4, err, sizeof err), -1);
	assert_non_null(strstr(err, "farm 'zeta' appears twice"));
	dup[6] = f.series[5];
	assert_int_equal(report_write_json(path, &f.meta, dup, 7, f.trades, 4, err, sizeof err), -1);
	assert_non_null(strstr(err, "agent 'bob' (farm 'alpha') appears twice"));
	/* bytes that are not UTF-8 cannot go into JSON */
	f.trades[2].agent = "b\xff";
	assert_int_equal(report_write_json(path, &f.meta, f.series, 6, f.trades, 4, err, sizeof err), -1);
	if (!strstr(err, "trade 2"))
		fail_msg("err: %s", err);
	assert_non_null(strstr(err, "agent is not valid UTF-8"));
	assert_int_equal(dir_entries(dir), 0); /* nothing written on failure */

	fixture_init(&f);
	assert_int_equal(report_write_json("/nonexistent-dir/x/report.json", &f.meta, f.series, 6,
					   f.trades, 4, err, sizeof err), -1);
	assert_non_null(strstr(err, "cannot create /nonexistent-dir/x/report.json"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fields_and_exact_money, tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_setup_teardown(test_deterministic_bytes, tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_setup_teardown(test_degenerate_report_is_valid_json, tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_setup_teardown(test_bad_input_is_named, tmpdir_setup, tmpdir_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
