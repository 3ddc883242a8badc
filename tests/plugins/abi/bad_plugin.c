/*
 * Test-only plugins, one per way a plugin can be wrong. Each variant is the
 * same small strategy with exactly one defect, selected by a BAD_* macro at
 * build time (see CMakeLists.txt). The loader test and the CLI tests expect
 * each to be refused with a message naming the defect.
 */
#include <stdlib.h>
#include <tradehost/tradehost.h>

typedef struct inst {
	const th_host_api *api;
	th_ctx *ctx;
	void *leak;
} inst;

static int p_create(const th_host_api *api, th_ctx *ctx, void **out)
{
#ifdef BAD_CREATE_FAILS
	api->set_error(ctx, "simulated failure: cannot reach the moon");
	return TH_ERR;
#endif
	inst *i = calloc(1, sizeof *i);
	if (!i)
		return TH_ERR_NOMEM;
	i->api = api;
	i->ctx = ctx;
	*out = i;
	return TH_OK;
}

#ifndef BAD_MISSING_START
static int p_start(void *p)
{
#ifdef BAD_START_FAILS
	inst *i = p;
	i->api->set_error(i->ctx, "simulated start failure");
	return TH_ERR;
#endif
#ifdef BAD_LEAKS
	inst *i = p;
	i->leak = i->api->alloc(i->ctx, 100); /* never freed: the host must report it */
#endif
	(void)p;
	return TH_OK;
}
#endif

static int p_stop(void *p)
{
	(void)p;
	return TH_OK;
}

static void p_destroy(void *p)
{
	free(p);
}

#ifdef BAD_SCHEMA
static const th_config_field schema[] = {
	{ "period", TH_CONFIG_INT, 0, "\"twenty\"", NULL, NULL, "default of the wrong type" },
	TH_CONFIG_END,
};
#else
static const th_config_field schema[] = {
	{ "period", TH_CONFIG_INT, 0, "20", "1", "1000", "a period" },
	TH_CONFIG_END,
};
#endif

#ifdef BAD_EXCHANGE_TABLE
static int x_submit(void *i, const th_order *o)
{
	(void)i;
	(void)o;
	return TH_OK;
}
/* instruments, cancel and query missing */
static const th_exchange_api xapi = { .struct_size = sizeof(th_exchange_api), .submit = x_submit };
#endif

#ifndef BAD_NAME
#define BAD_NAME "bad"
#endif

static const th_plugin_desc desc = {
#ifdef BAD_ABI_MAJOR_FIELD
	.abi_major = 2,
#else
	.abi_major = TH_ABI_MAJOR,
#endif
#if defined(BAD_ABI_MINOR)
	.abi_minor = TH_ABI_MINOR + 1,
#elif defined(OLD_ABI_MINOR)
	.abi_minor = 0, /* built against ABI 1.0: must still load */
#else
	.abi_minor = TH_ABI_MINOR,
#endif
#ifdef BAD_STRUCT_SIZE
	.struct_size = 16,
#else
	.struct_size = sizeof(th_plugin_desc),
#endif
#if defined(BAD_KIND)
	.kind = 9,
#elif defined(BAD_EXCHANGE_TABLE)
	.kind = TH_KIND_EXCHANGE,
	.kind_api = &xapi,
#else
	.kind = TH_KIND_STRATEGY,
#endif
	.name = BAD_NAME,
	.version = "0.0.1",
	.description = "test-only plugin with one defect",
#ifdef BAD_SIGNATURE_STRING
	.build_signature = "ptr4-be",
#else
	.build_signature = TH_BUILD_SIGNATURE,
#endif
	.config_schema = schema,
	.create = p_create,
#ifndef BAD_MISSING_START
	.start = p_start,
#endif
	.stop = p_stop,
	.destroy = p_destroy,
};

#if defined(BAD_OTHER_MAJOR_ENTRY)
/* Built as if for ABI 2: exports only th_plugin_entry_v2. */
TH_EXPORT const th_plugin_desc *th_plugin_entry_v2(void);
TH_EXPORT const th_plugin_desc *th_plugin_entry_v2(void) { return &desc; }
#elif defined(BAD_NO_ENTRY)
TH_EXPORT int not_a_plugin(void);
TH_EXPORT int not_a_plugin(void) { return desc.kind == 0; }
#else
TH_PLUGIN_DEFINE(desc)
#endif
