/*
 * Test-only plugin for the reload soak: counts the producer's numbered events
 * and checks that each arrives exactly once and in order, across hot swaps.
 * Its counters travel to the next generation through export/import_state; on
 * every stop it writes a summary line to its state store.
 * SOAK_VARIANT makes two builds with different bytes (and versions) so the
 * host sees a changed file on every swap.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tradehost/tradehost.h>

#ifndef SOAK_VARIANT
#define SOAK_VARIANT "a"
#endif

typedef struct counter_state {
	uint64_t expected; /* next sequence number */
	uint64_t received;
	uint64_t gaps;     /* events never seen */
	uint64_t dups;     /* events seen twice or out of order */
	uint64_t generations;
} counter_state;

typedef struct counter {
	const th_host_api *api;
	th_ctx *ctx;
	counter_state s;
} counter;

static void on_event(void *arg, const th_event *ev)
{
	counter *c = arg;
	uint64_t seq;
	if (ev->u.custom.tag != 0x50414b || ev->u.custom.len != sizeof seq)
		return;
	memcpy(&seq, ev->u.custom.data, sizeof seq);
	c->s.received++;
	if (seq == c->s.expected) {
		c->s.expected++;
	} else if (seq > c->s.expected) {
		c->s.gaps += seq - c->s.expected;
		c->s.expected = seq + 1;
	} else {
		c->s.dups++;
	}
}

static int c_create(const th_host_api *api, th_ctx *ctx, void **out)
{
	counter *c = calloc(1, sizeof *c);
	if (!c)
		return TH_ERR_NOMEM;
	c->api = api;
	c->ctx = ctx;
	c->s.generations = 1;
	*out = c;
	return TH_OK;
}

static int c_start(void *arg)
{
	counter *c = arg;
	th_subscription sub = { .topics = TH_TOPIC(TH_EV_CUSTOM) };
	uint64_t id;
	return c->api->subscribe(c->ctx, &sub, on_event, c, &id);
}

static int c_stop(void *arg)
{
	counter *c = arg;
	char buf[256];
	int n = snprintf(buf, sizeof buf, "received=%llu expected=%llu gaps=%llu dups=%llu generations=%llu variant=%s\n",
		(unsigned long long)c->s.received, (unsigned long long)c->s.expected, (unsigned long long)c->s.gaps,
		(unsigned long long)c->s.dups, (unsigned long long)c->s.generations, SOAK_VARIANT);
	return c->api->state_put(c->ctx, "summary", buf, (size_t)n);
}

static void c_destroy(void *arg)
{
	free(arg);
}

static int c_export(void *arg, void **data, size_t *len)
{
	counter *c = arg;
	void *buf = c->api->alloc(c->ctx, sizeof c->s);
	if (!buf)
		return TH_ERR_NOMEM;
	memcpy(buf, &c->s, sizeof c->s);
	*data = buf;
	*len = sizeof c->s;
	return TH_OK;
}

static int c_import(void *arg, const void *data, size_t len)
{
	counter *c = arg;
#ifdef SOAK_FAIL_IMPORT
	(void)data;
	c->api->set_error(c->ctx, "this build refuses state of %zu bytes on purpose", len);
	return TH_ERR_INVALID;
#endif
	if (len != sizeof c->s) {
		c->api->set_error(c->ctx, "state is %zu bytes, expected %zu", len, sizeof c->s);
		return TH_ERR_INVALID;
	}
	memcpy(&c->s, data, sizeof c->s);
	c->s.generations++;
	return TH_OK;
}

static const th_plugin_desc desc = {
	TH_PLUGIN_HEADER(TH_KIND_STRATEGY, "soak_counter"),
	.version = "1.0.0-" SOAK_VARIANT,
	.description = "test-only: counts numbered events exactly once across reloads",
	.create = c_create,
	.start = c_start,
	.stop = c_stop,
	.destroy = c_destroy,
	.export_state = c_export,
	.import_state = c_import,
};

TH_PLUGIN_DEFINE(desc)
