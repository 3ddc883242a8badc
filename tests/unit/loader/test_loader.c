/* Loader: every test-only plugin with a defect is refused before any of its
 * callbacks run, with a message that names the defect; the good one loads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "loader/loader.h"

static const char *g_root; /* tests/plugin-dirs in the build tree */

static int load(const char *name, char *err, size_t errlen, loader_module **m)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s/%s.so", g_root, name, name);
	loader_policy policy = { 0 };
	return loader_load(path, &policy, m, err, errlen);
}

static void expect_refused(const char *name, const char *needle)
{
	char err[1024] = "";
	loader_module *m = (loader_module *)1;
	assert_int_equal(load(name, err, sizeof err, &m), -1);
	assert_null(m);
	if (!strstr(err, needle))
		fail_msg("plugin %s: error \"%s\" does not mention \"%s\"", name, err, needle);
}

static void test_good_plugin_loads(void **state)
{
	(void)state;
	char err[1024] = "";
	loader_module *m = NULL;
	assert_int_equal(load("good", err, sizeof err, &m), 0);
	assert_non_null(m);
	assert_string_equal(m->name, "good");
	assert_string_equal(m->version, "0.0.1");
	assert_int_equal(m->kind, TH_KIND_STRATEGY);
	assert_int_equal(m->abi_major, TH_ABI_MAJOR);
	loader_unload(m);
}

static void test_abi_major_field(void **s) { (void)s; expect_refused("abi_major_field", "abi_major is 2"); }
static void test_other_major_entry(void **s) { (void)s; expect_refused("other_major", "abi_major: plugin exports th_plugin_entry_v2"); }
static void test_newer_minor(void **s)
{
	char want[64];
	(void)s;
	snprintf(want, sizeof want, "abi_minor is %d, newer than this host", TH_ABI_MINOR + 1);
	expect_refused("abi_minor", want);
}

/* A plugin built against an older minor of the same major still loads. */
static void test_older_minor_loads(void **state)
{
	(void)state;
	char err[1024] = "";
	loader_module *m = NULL;
	assert_int_equal(load("old_minor", err, sizeof err, &m), 0);
	assert_int_equal(m->abi_minor, 0);
	loader_unload(m);
}
static void test_small_descriptor(void **s) { (void)s; expect_refused("struct_size", "struct_size is 16"); }
static void test_bad_kind(void **s) { (void)s; expect_refused("bad_kind", "kind is 9"); }
static void test_build_signature(void **s) { (void)s; expect_refused("build_sig", "build_signature is \"ptr4-be\""); }
static void test_missing_callback(void **s) { (void)s; expect_refused("no_start", "missing mandatory callback start"); }
static void test_bad_schema(void **s) { (void)s; expect_refused("bad_schema", "config_schema"); }
static void test_exchange_table(void **s) { (void)s; expect_refused("exchange_table", "th_exchange_api.instruments"); }
static void test_no_entry(void **s) { (void)s; expect_refused("no_entry", "no exported symbol th_plugin_entry_v1"); }

static void test_missing_file(void **state)
{
	(void)state;
	expect_refused("does_not_exist", "does_not_exist.so");
}

static void test_check_desc_direct(void **state)
{
	(void)state;
	char err[256];
	assert_int_equal(loader_check_desc(NULL, err, sizeof err), -1);
	assert_non_null(strstr(err, "no descriptor"));
	th_plugin_desc d = { 0 };
	d.abi_major = TH_ABI_MAJOR;
	d.abi_minor = TH_ABI_MINOR;
	d.struct_size = sizeof d;
	d.kind = TH_KIND_STRATEGY;
	d.name = "Bad Name";
	assert_int_equal(loader_check_desc(&d, err, sizeof err), -1);
	assert_non_null(strstr(err, "not a valid plugin name"));
	d.name = "ok";
	d.build_signature = TH_BUILD_SIGNATURE;
	assert_int_equal(loader_check_desc(&d, err, sizeof err), -1);
	assert_non_null(strstr(err, "missing mandatory callback create"));
}

static void test_kind_names(void **state)
{
	(void)state;
	for (int k = TH_KIND_STRATEGY; k <= TH_KIND_LLM; k++)
		assert_int_equal(loader_kind_parse(loader_kind_name((uint32_t)k)), k);
	assert_int_equal(loader_kind_parse("printer"), -1);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s PLUGIN_DIRS_ROOT\n", argv[0]);
		return 2;
	}
	g_root = argv[1];
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_plugin_loads),
		cmocka_unit_test(test_abi_major_field),
		cmocka_unit_test(test_other_major_entry),
		cmocka_unit_test(test_newer_minor),
		cmocka_unit_test(test_older_minor_loads),
		cmocka_unit_test(test_small_descriptor),
		cmocka_unit_test(test_bad_kind),
		cmocka_unit_test(test_build_signature),
		cmocka_unit_test(test_missing_callback),
		cmocka_unit_test(test_bad_schema),
		cmocka_unit_test(test_exchange_table),
		cmocka_unit_test(test_no_entry),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_check_desc_direct),
		cmocka_unit_test(test_kind_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
