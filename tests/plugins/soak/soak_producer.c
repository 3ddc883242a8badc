/*
 * Test-only plugin for the reload soak: publishes a continuous stream of
 * TH_EV_CUSTOM events carrying a sequence number (burst events every
 * interval), and records how many it published in its state store on stop.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tradehost/tradehost.h>

typedef struct producer {
	const th_host_api *api;
	th_ctx *ctx;
	uint64_t next_seq;
	int64_t burst;
	int64_t interval_us;
	uint64_t timer;
} producer;

static const th_config_field schema[] = {
	{ "burst", TH_CONFIG_INT, 0, "50", "1", "100000", "events published per tick" },
	{ "interval_us", TH_CONFIG_INT, 0, "200", "1", "10000000", "microseconds between ticks" },
	TH_CONFIG_END,
};

static void tick(void *arg, uint64_t id)
{
	producer *p = arg;
	(void)id;
	for (int64_t i = 0; i < p->burst; i++) {
		th_event ev;
		th_event_init(&ev, TH_EV_CUSTOM);
		ev.u.custom.tag = 0x50414b; /* "SOAK" */
		ev.u.custom.len = sizeof p->next_seq;
		memcpy(ev.u.custom.data, &p->next_seq, sizeof p->next_seq);
		if (p->api->publish(p->ctx, &ev) != TH_OK)
			return; /* queue full: the sequence number is not consumed */
		p->next_seq++;
	}
}

static int p_create(const th_host_api *api, th_ctx *ctx, void **out)
{
	producer *p = calloc(1, sizeof *p);
	if (!p)
		return TH_ERR_NOMEM;
	p->api = api;
	p->ctx = ctx;
	api->config_int(ctx, "burst", &p->burst);
	api->config_int(ctx, "interval_us", &p->interval_us);
	*out = p;
	return TH_OK;
}

static int p_start(void *arg)
{
	producer *p = arg;
	return p->api->timer_add(p->ctx, 0, p->interval_us * 1000, tick, p, &p->timer);
}

static int p_stop(void *arg)
{
	producer *p = arg;
	char buf[64];
	int n = snprintf(buf, sizeof buf, "%llu\n", (unsigned long long)p->next_seq);
	return p->api->state_put(p->ctx, "published", buf, (size_t)n);
}

static void p_destroy(void *arg)
{
	free(arg);
}

static const th_plugin_desc desc = {
	TH_PLUGIN_HEADER(TH_KIND_STRATEGY, "soak_producer"),
	.version = "1.0.0",
	.description = "test-only: publishes numbered custom events",
	.config_schema = schema,
	.create = p_create,
	.start = p_start,
	.stop = p_stop,
	.destroy = p_destroy,
};

TH_PLUGIN_DEFINE(desc)
