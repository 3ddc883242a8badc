/*
 * The built var.so, loaded as the host loads it: one exported entry symbol,
 * a risk descriptor with a schema, and a module that runs (create, start,
 * a check with no data denies, stop, destroy) against the fake host.
 */
#include <dlfcn.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fake_host.h"
#include "fake_portfolio.h"

static const char *module_path;

static void test_module(void **state)
{
	(void)state;
	void *so = dlopen(module_path, RTLD_NOW | RTLD_LOCAL);
	assert_non_null(so);
	const th_plugin_desc *(*entry)(void) = (const th_plugin_desc *(*)(void))dlsym(so, TH_ENTRY_SYMBOL);
	assert_non_null(entry);
	assert_null(dlsym(so, "var_check")); /* only the entry symbol is exported */
	const th_plugin_desc *d = entry();
	assert_int_equal(d->abi_major, TH_ABI_MAJOR);
	assert_int_equal(d->kind, TH_KIND_RISK);
	assert_string_equal(d->name, "var");
	assert_non_null(d->kind_api);
	assert_non_null(d->export_state);
	int keys = 0;
	for (const th_config_field *f = d->config_schema; f->key; f++)
		keys++;
	assert_true(keys >= 20);

	static fake_host h;
	static fake_portfolio pf;
	fake_host_init(&h, "var", d->config_schema);
	fake_portfolio_attach(&h, &pf);
	fake_config(&h, "es_limit_host", "\"100\"");
	void *inst;
	assert_int_equal(d->create(&h.api, fake_ctx(&h), &inst), TH_OK);
	assert_int_equal(d->start(inst), TH_OK);
	th_event ev;
	th_event_init(&ev, TH_EV_INTENT);
	memset(&ev.u.intent, 0, sizeof ev.u.intent);
	ev.u.intent.action = TH_INTENT_PLACE;
	ev.u.intent.order.side = TH_SIDE_BUY;
	ev.u.intent.order.qty = 1;
	th_risk_verdict v;
	assert_int_equal(((const th_risk_api *)d->kind_api)->check(inst, &ev, &v), TH_OK);
	assert_int_equal(v.approved, 0);
	assert_int_equal(v.reason_code, TH_RISK_NO_DATA);
	assert_int_equal(d->stop(inst), TH_OK);
	d->destroy(inst);
	assert_int_equal(h.live_allocs, 0);
	fake_host_free(&h);
	dlclose(so);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	module_path = argv[1];
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_module) };
	return cmocka_run_group_tests(tests, NULL, NULL);
}
