/* api_publish(): a venue's order and fill events carry its instance name
 * and no agent, an agent's events its own name, the flags only the OMS sets
 * are cleared, and events that already say the right thing pass unchanged,
 * whatever bytes follow the names in their header fields. A real bus with
 * a handler that records what it delivers; the calling instance is a
 * hand-made context (a slot and a host holding only the bus). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/runtime_internal.h"

typedef struct seen {
	th_event last;
	int n;
} seen;

static void record(void *arg, const th_event *ev)
{
	seen *s = arg;
	memcpy(&s->last, ev, th_event_size(ev));
	s->n++;
}

typedef struct rig {
	host_t host;
	slot_t slot;
	struct th_ctx ctx;
	th_host_api api;
	seen seen;
} rig;

static void rig_init(rig *r, const char *name, uint32_t kind)
{
	memset(r, 0, sizeof *r);
	r->host.bus = bus_create(NULL);
	assert_non_null(r->host.bus);
	snprintf(r->slot.name, sizeof r->slot.name, "%s", name);
	r->slot.kind = kind;
	r->ctx.host = &r->host;
	r->ctx.slot = &r->slot;
	host_api_init(&r->api);
	th_subscription all = { .topics = TH_TOPIC_ALL };
	assert_int_equal(bus_subscribe(r->host.bus, NULL, &all, record, &r->seen, NULL), TH_OK);
}

/* A header name field holding s, then junk up to its last byte (the bus
 * refuses a field whose last byte is not NUL). */
static void name_field(char *dst, size_t cap, const char *s, char junk)
{
	memset(dst, junk, cap - 1);
	dst[cap - 1] = '\0';
	memcpy(dst, s, strlen(s) + 1);
}

static th_event event(int type, const char *venue, const char *agent, char junk)
{
	th_event ev;
	memset(&ev, 0, sizeof ev);
	ev.h.type = (uint16_t)type;
	ev.h.ts_ns = 5;
	name_field(ev.h.venue, sizeof ev.h.venue, venue, junk);
	name_field(ev.h.symbol, sizeof ev.h.symbol, "BTC-USDT", junk);
	name_field(ev.h.agent, sizeof ev.h.agent, agent, junk);
	return ev;
}

static void publish(rig *r, const th_event *ev)
{
	int before = r->seen.n;
	assert_int_equal(r->api.publish(&r->ctx, ev), TH_OK);
	assert_int_equal(r->seen.n, before + 1);
	assert_string_equal(r->seen.last.h.symbol, "BTC-USDT");
	assert_int_equal(r->seen.last.h.flags, 0);
}

static void test_venue_events(void **state)
{
	(void)state;
	rig r;
	rig_init(&r, "sim", TH_KIND_EXCHANGE);
	static const int types[] = { TH_EV_ORDER, TH_EV_FILL };
	for (int k = 0; k < 2; k++) {
		for (int junk = 0; junk < 3; junk++) {
			th_event ev = event(types[k], "sim", "", (char)(junk * 77));
			publish(&r, &ev); /* already right: passed as is */
			assert_string_equal(r.seen.last.h.venue, "sim");
			assert_string_equal(r.seen.last.h.agent, "");
		}
		const char *wrong[] = { "other", "si", "sim2", "", "simsimsimsimsim" };
		for (size_t w = 0; w < sizeof wrong / sizeof wrong[0]; w++) {
			th_event ev = event(types[k], wrong[w], "", 'x');
			publish(&r, &ev); /* speaks for its own venue only */
			assert_string_equal(r.seen.last.h.venue, "sim");
		}
		th_event ev = event(types[k], "sim", "victim", 0);
		publish(&r, &ev); /* and for no agent */
		assert_string_equal(r.seen.last.h.agent, "");
		assert_string_equal(r.seen.last.h.venue, "sim");
		ev = event(types[k], "sim", "", 0);
		ev.h.flags = TH_EVENT_FLAG_OMS; /* the OMS's mark: cleared */
		publish(&r, &ev);
		assert_string_equal(r.seen.last.h.venue, "sim");
	}
	/* market data keeps the venue it names (mirrors, other feeds) */
	th_event bar = event(TH_EV_BAR, "elsewhere", "", 0);
	publish(&r, &bar);
	assert_string_equal(r.seen.last.h.venue, "elsewhere");
	/* a venue may not propose intents */
	th_event intent = event(TH_EV_INTENT, "sim", "", 0);
	assert_int_equal(r.api.publish(&r.ctx, &intent), TH_ERR_STATE);
	bus_destroy(r.host.bus);
}

static void test_agent_events(void **state)
{
	(void)state;
	rig r;
	/* the longest instance name: it fills the agent field exactly */
	rig_init(&r, "an-agent-name-of-31-characters-", TH_KIND_STRATEGY);
	assert_int_equal(strlen(r.slot.name), TH_NAME_MAX - 1);
	const char *agents[] = { "", "victim", "an-agent-name-of-31-characters", "an-agent-name-of-31-characters-" };
	for (size_t a = 0; a < sizeof agents / sizeof agents[0]; a++) {
		th_event ev = event(TH_EV_INTENT, "sim", agents[a], 'j');
		publish(&r, &ev);
		assert_string_equal(r.seen.last.h.agent, r.slot.name);
		assert_string_equal(r.seen.last.h.venue, "sim"); /* an agent's venue is its choice */
	}
	th_event msg = event(TH_EV_AGENT_MSG, "", "", 0);
	msg.h.flags = TH_EVENT_FLAG_OMS;
	publish(&r, &msg);
	assert_string_equal(r.seen.last.h.agent, r.slot.name);
	th_event fill = event(TH_EV_FILL, "sim", "", 0);
	assert_int_equal(r.api.publish(&r.ctx, &fill), TH_ERR_STATE); /* no forged fills */
	bus_destroy(r.host.bus);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_venue_events),
		cmocka_unit_test(test_agent_events),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
