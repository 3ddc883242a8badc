/*
 * sim plugin — the built .so as the host loads it: dlopen with RTLD_NOW |
 * RTLD_LOCAL, exactly one exported entry point, a sane descriptor, and none
 * of the engine's internal symbols visible.
 * Usage: sim_module_test /path/to/sim.so
 */
#include <dlfcn.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <tradehost/tradehost.h>

static const char *module_path;

static void test_module_exports_only_entry(void **state)
{
	(void)state;
	void *h = dlopen(module_path, RTLD_NOW | RTLD_LOCAL);
	if (!h)
		fail_msg("dlopen(%s): %s", module_path, dlerror());
	typedef const th_plugin_desc *(*entry_fn)(void);
	entry_fn entry;
	void *sym = dlsym(h, TH_ENTRY_SYMBOL);
	assert_non_null(sym);
	memcpy(&entry, &sym, sizeof entry);
	const th_plugin_desc *d = entry();
	assert_non_null(d);
	assert_int_equal(d->abi_major, TH_ABI_MAJOR);
	assert_true(d->abi_minor <= TH_ABI_MINOR);
	assert_int_equal(d->struct_size, sizeof(th_plugin_desc));
	assert_int_equal(d->kind, TH_KIND_EXCHANGE);
	assert_string_equal(d->name, "sim");
	assert_string_equal(d->build_signature, TH_BUILD_SIGNATURE);
	assert_non_null(d->create);
	assert_non_null(d->kind_api);
	assert_string_equal(d->config_schema[0].key, "symbols");

	const char *hidden[] = { "sim_engine_create", "sim_engine_submit", "sim_config_schema", "sim_settings_read",
		                 "sim_fifo_push" };
	for (size_t i = 0; i < sizeof hidden / sizeof hidden[0]; i++)
		if (dlsym(h, hidden[i]))
			fail_msg("%s is exported; only %s should be", hidden[i], TH_ENTRY_SYMBOL);
	dlclose(h);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		print_error("usage: %s /path/to/sim.so\n", argv[0]);
		return 2;
	}
	module_path = argv[1];
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_module_exports_only_entry),
	};
	return cmocka_run_group_tests_name("sim_module", tests, NULL, NULL);
}
