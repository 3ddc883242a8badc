/*
 * example_llm — an LLM provider that answers every request with a configured
 * text after a delay. Shows the asynchronous contract: complete() returns at
 * once and `done` is called exactly once, later, from a host timer — the
 * plugin never blocks and never starts a thread.
 */
#include <stdlib.h>
#include <string.h>
#include <tradehost/tradehost.h>

#define MAX_PENDING 64

typedef struct pending {
	th_llm_done_fn done;
	void *arg;
	int used;
} pending;

struct provider;
typedef struct timer_arg {
	struct provider *p;
	int slot;
} timer_arg;

typedef struct provider {
	const th_host_api *api;
	th_ctx *ctx;
	const char *reply;
	int64_t delay_ms;
	pending slots[MAX_PENDING];
	timer_arg targs[MAX_PENDING];
} provider;

static const th_config_field schema[] = {
	{ "reply", TH_CONFIG_STRING, 0, "\"HOLD: no edge\"", NULL, NULL, "the text every completion returns" },
	{ "delay_ms", TH_CONFIG_INT, 0, "10", "0", "60000", "simulated response time" },
	TH_CONFIG_END,
};

static void fire(void *arg, uint64_t id)
{
	timer_arg *t = arg;
	pending *slot = &t->p->slots[t->slot];
	(void)id;
	slot->used = 0;
	slot->done(slot->arg, TH_OK, t->p->reply, strlen(t->p->reply));
}

static int l_complete(void *arg, const char *request_json, size_t len, th_llm_done_fn done, void *darg)
{
	provider *p = arg;
	uint64_t id;
	(void)request_json;
	(void)len;
	for (int i = 0; i < MAX_PENDING; i++) {
		if (p->slots[i].used)
			continue;
		p->slots[i] = (pending){ done, darg, 1 };
		p->targs[i] = (timer_arg){ p, i };
		return p->api->timer_add(p->ctx, p->delay_ms * 1000000, 0, fire, &p->targs[i], &id);
	}
	return TH_ERR_LIMIT;
}

static const th_llm_api llm_api = { .struct_size = sizeof(th_llm_api), .complete = l_complete };

static int l_create(const th_host_api *api, th_ctx *ctx, void **out)
{
	provider *p = calloc(1, sizeof *p);
	if (!p)
		return TH_ERR_NOMEM;
	p->api = api;
	p->ctx = ctx;
	api->config_string(ctx, "reply", &p->reply);
	api->config_int(ctx, "delay_ms", &p->delay_ms);
	*out = p;
	return TH_OK;
}

static int l_start(void *arg) { (void)arg; return TH_OK; }
/* The host cancels our timers after stop; answer what is still pending so
 * every caller hears back exactly once. */
static int l_stop(void *arg)
{
	provider *p = arg;
	for (int i = 0; i < MAX_PENDING; i++) {
		if (p->slots[i].used) {
			p->slots[i].used = 0;
			p->slots[i].done(p->slots[i].arg, TH_ERR_STATE, "", 0);
		}
	}
	return TH_OK;
}
static void l_destroy(void *arg) { free(arg); }

static const th_plugin_desc desc = {
	TH_PLUGIN_HEADER(TH_KIND_LLM, "example_llm"),
	.version = "1.0.0",
	.description = "example: canned LLM replies after a delay",
	.config_schema = schema,
	.create = l_create,
	.start = l_start,
	.stop = l_stop,
	.destroy = l_destroy,
	.kind_api = &llm_api,
};

TH_PLUGIN_DEFINE(desc)
