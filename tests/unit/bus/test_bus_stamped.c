/* bus_publish_stamped() against its definition: bus_publish() of a stack
 * copy of the event with the names written (th_strlcpy) and the flags
 * cleared — what the host's publish did before the bus could stamp. Two
 * buses with the same subscribers get the same events, one through each
 * path, and must deliver the same bytes and agree on every return code,
 * error message and counter: at top level, queued (held), from inside a
 * handler, with the ring full, and for events whose header or payload the
 * bus refuses (some of them made acceptable by the stamp). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bus/bus.h"

/* What a subscriber saw: a hash of each delivered event's bytes. */
#define MAX_SEEN 200000
typedef struct seen {
	size_t n;
	uint64_t h[MAX_SEEN];
} seen;

static uint64_t fnv(const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ull;
	return h;
}

static void record(void *arg, const th_event *ev)
{
	seen *s = arg;
	assert_true(s->n < MAX_SEEN);
	s->h[s->n++] = fnv(ev, ev->h.size) ^ ev->h.seq;
}

/* The reference: the host's former restamping publish. */
static int ref_publish(bus_t *b, const th_event *ev, const char *venue, const char *agent)
{
	th_event copy;
	memset(&copy, 0xa5, sizeof copy);
	memcpy(&copy, ev, th_event_size(ev));
	if (venue)
		th_strlcpy(copy.h.venue, venue, sizeof copy.h.venue);
	if (agent)
		th_strlcpy(copy.h.agent, agent, sizeof copy.h.agent);
	copy.h.flags = 0;
	return bus_publish(b, &copy);
}

typedef struct side {
	bus_t *bus;
	seen *all;     /* every event */
	seen *intents; /* a second, filtered subscriber: intents for agent "a1" */
	int stamped;   /* 1: publish with bus_publish_stamped */
	/* a handler that publishes `inner` (from inside the dispatch) when it sees a lifecycle event */
	const th_event *inner;
	const char *inner_venue, *inner_agent;
	int inner_rc;
} side;

static int side_publish(side *s, const th_event *ev, const char *venue, const char *agent)
{
	return s->stamped ? bus_publish_stamped(s->bus, ev, venue, agent) : ref_publish(s->bus, ev, venue, agent);
}

static void nested(void *arg, const th_event *ev)
{
	side *s = arg;
	if (ev->h.type == TH_EV_LIFECYCLE && s->inner)
		s->inner_rc = side_publish(s, s->inner, s->inner_venue, s->inner_agent);
}

static void side_init(side *s, int stamped, size_t queue_bytes)
{
	memset(s, 0, sizeof *s);
	bus_options o = { .queue_bytes = queue_bytes };
	s->bus = bus_create(&o);
	assert_non_null(s->bus);
	s->all = calloc(1, sizeof *s->all);
	s->intents = calloc(1, sizeof *s->intents);
	assert_non_null(s->all);
	assert_non_null(s->intents);
	s->stamped = stamped;
	th_subscription all = { .topics = TH_TOPIC_ALL };
	th_subscription mine = { .topics = TH_TOPIC(TH_EV_INTENT), .agent = "a1" };
	th_subscription life = { .topics = TH_TOPIC(TH_EV_LIFECYCLE) };
	assert_int_equal(bus_subscribe(s->bus, NULL, &all, record, s->all, NULL), TH_OK);
	assert_int_equal(bus_subscribe(s->bus, NULL, &mine, record, s->intents, NULL), TH_OK);
	assert_int_equal(bus_subscribe(s->bus, NULL, &life, nested, s, NULL), TH_OK);
}

static void side_free(side *s)
{
	bus_destroy(s->bus);
	free(s->all);
	free(s->intents);
}

static void assert_same(side *a, side *b)
{
	bus_stats x, y;
	bus_get_stats(a->bus, &x);
	bus_get_stats(b->bus, &y);
	assert_int_equal(x.published, y.published);
	assert_int_equal(x.delivered, y.delivered);
	assert_int_equal(x.dropped_full, y.dropped_full);
	assert_int_equal(x.rejected_invalid, y.rejected_invalid);
	assert_int_equal(x.queue_high_water, y.queue_high_water);
	assert_int_equal(a->all->n, b->all->n);
	assert_memory_equal(a->all->h, b->all->h, a->all->n * sizeof a->all->h[0]);
	assert_int_equal(a->intents->n, b->intents->n);
	assert_memory_equal(a->intents->h, b->intents->h, a->intents->n * sizeof a->intents->h[0]);
}

static uint64_t rng_state;
static uint32_t rnd(uint32_t n)
{
	rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(rng_state >> 33) % n;
}

/* A header name field: a short name with junk after its NUL, or (1 in 6)
 * junk up to and including the last byte (unterminated). */
static void junk_field(char *f, size_t cap)
{
	static const char *names[] = { "", "sim", "a1", "other", "BTC-USDT" };
	for (size_t i = 0; i < cap; i++)
		f[i] = (char)('A' + rnd(26));
	if (rnd(6) == 0)
		return;
	const char *n = names[rnd(5)];
	memcpy(f, n, strlen(n) + 1);
	if (rnd(2))
		f[cap - 1] = '\0';
	else
		memset(f + strlen(n), 0, cap - strlen(n));
}

static void random_event(th_event *ev)
{
	static const uint16_t types[] = { TH_EV_INTENT, TH_EV_ORDER, TH_EV_FILL, TH_EV_AGENT_MSG, TH_EV_BAR,
		TH_EV_BOOK, TH_EV_CUSTOM, TH_EV_ALERT, 0, 99 };
	unsigned char *p = (unsigned char *)ev;
	for (size_t i = 0; i < sizeof *ev; i++)
		p[i] = (unsigned char)rnd(256);
	ev->h.type = types[rnd(sizeof types / sizeof types[0])];
	ev->h.flags = (uint16_t)(rnd(3) == 0 ? TH_EVENT_FLAG_OMS : 0);
	ev->h.ts_ns = rnd(4) == 0 ? 0 : (int64_t)rnd(1000000) + 1;
	junk_field(ev->h.venue, sizeof ev->h.venue);
	junk_field(ev->h.symbol, sizeof ev->h.symbol);
	junk_field(ev->h.agent, sizeof ev->h.agent);
	if (rnd(8))
		ev->h.symbol[sizeof ev->h.symbol - 1] = '\0'; /* mostly acceptable: the stamp does not write it */
	switch (ev->h.type) {
	case TH_EV_BOOK:
		ev->u.book.nbids = (uint16_t)rnd(TH_BOOK_LEVELS_MAX + 3);
		ev->u.book.nasks = (uint16_t)rnd(TH_BOOK_LEVELS_MAX + 1);
		break;
	case TH_EV_CUSTOM:
		ev->u.custom.len = (uint16_t)rnd(TH_CUSTOM_MAX + 8);
		break;
	case TH_EV_AGENT_MSG:
		if (rnd(4)) /* else: text and kind without a NUL */
			ev->u.agent_msg.text[rnd(TH_AGENT_TEXT_MAX)] = '\0';
		break;
	default:
		break;
	}
}

static const char *pick_venue(void)
{
	static const char *v[] = { NULL, "sim", "", "venue-of-15-chr", "a-venue-name-longer-than-the-field" };
	return v[rnd(5)];
}

static const char *pick_agent(void)
{
	static const char *v[] = { NULL, "", "a1", "an-agent-name-of-31-characters-",
		"an-agent-name-much-longer-than-the-32-byte-field" };
	return v[rnd(5)];
}

/* Top level, queued while held, and from inside a handler, on both buses. */
static void test_matches_reference(void **state)
{
	(void)state;
	side a, b;
	side_init(&a, 0, 0);
	side_init(&b, 1, 0);
	static th_event ev, life;
	th_event_init(&life, TH_EV_LIFECYCLE);
	life.h.ts_ns = 1;
	rng_state = 42;
	for (int i = 0; i < 20000; i++) {
		random_event(&ev);
		const char *venue = pick_venue(), *agent = pick_agent();
		int mode = (int)rnd(3);
		if (mode == 0) {
			int ra = side_publish(&a, &ev, venue, agent), rb = side_publish(&b, &ev, venue, agent);
			assert_int_equal(ra, rb);
			if (ra != TH_OK)
				assert_string_equal(bus_last_error(a.bus), bus_last_error(b.bus));
		} else if (mode == 1) {
			bus_hold(a.bus);
			bus_hold(b.bus);
			for (int k = 0; k < 3; k++) {
				int ra = side_publish(&a, &ev, venue, agent), rb = side_publish(&b, &ev, venue, agent);
				assert_int_equal(ra, rb);
				ev.h.symbol[0] ^= 1; /* the next one differs a little */
			}
			bus_release(a.bus);
			bus_release(b.bus);
		} else {
			a.inner = b.inner = &ev;
			a.inner_venue = b.inner_venue = venue;
			a.inner_agent = b.inner_agent = agent;
			assert_int_equal(bus_publish(a.bus, &life), TH_OK);
			assert_int_equal(bus_publish(b.bus, &life), TH_OK);
			assert_int_equal(a.inner_rc, b.inner_rc);
			if (a.inner_rc != TH_OK)
				assert_string_equal(bus_last_error(a.bus), bus_last_error(b.bus));
			a.inner = b.inner = NULL;
		}
	}
	assert_same(&a, &b);
	/* the comparison saw all kinds of outcome */
	bus_stats st;
	bus_get_stats(b.bus, &st);
	assert_true(st.published > 5000);
	assert_true(st.rejected_invalid > 1000);
	assert_true(b.intents->n > 10);
	side_free(&a);
	side_free(&b);
}

/* A smallest ring, held: publishes fill it, then refuse (dropped) on both
 * sides at the same point; refused-after-stamp records are taken back. */
static void test_ring_full_and_refusals(void **state)
{
	(void)state;
	side a, b;
	side_init(&a, 0, bus_queue_min_bytes());
	side_init(&b, 1, bus_queue_min_bytes());
	static th_event ev;
	rng_state = 7;
	for (int round = 0; round < 200; round++) {
		bus_hold(a.bus);
		bus_hold(b.bus);
		int limited = 0;
		for (int k = 0; k < 40; k++) {
			random_event(&ev);
			const char *venue = pick_venue(), *agent = pick_agent();
			int ra = side_publish(&a, &ev, venue, agent), rb = side_publish(&b, &ev, venue, agent);
			assert_int_equal(ra, rb);
			if (ra != TH_OK)
				assert_string_equal(bus_last_error(a.bus), bus_last_error(b.bus));
			limited |= ra == TH_ERR_LIMIT;
		}
		if (round == 0)
			assert_true(limited);
		bus_release(a.bus);
		bus_release(b.bus);
	}
	assert_same(&a, &b);
	bus_stats st;
	bus_get_stats(b.bus, &st);
	assert_true(st.dropped_full > 100);
	side_free(&a);
	side_free(&b);
}

/* The stamp decides: an unterminated agent field is refused when it is
 * kept, and when a short name leaves its last byte as it was (th_strlcpy
 * writes the name and one NUL), accepted once a name that fills the field
 * is stamped; the caller's event is never written. */
static void test_stamp_decides(void **state)
{
	(void)state;
	bus_t *bus = bus_create(NULL);
	seen *s = calloc(1, sizeof *s);
	assert_non_null(s);
	th_subscription all = { .topics = TH_TOPIC_ALL };
	assert_int_equal(bus_subscribe(bus, NULL, &all, record, s, NULL), TH_OK);
	th_event ev, before;
	memset(&ev, 0, sizeof ev);
	th_event_init(&ev, TH_EV_INTENT);
	ev.h.ts_ns = 3;
	ev.h.flags = TH_EVENT_FLAG_OMS;
	th_strlcpy(ev.h.venue, "sim", sizeof ev.h.venue);
	memset(ev.h.agent, 'x', sizeof ev.h.agent);
	memcpy(&before, &ev, sizeof ev);
	assert_int_equal(bus_publish_stamped(bus, &ev, NULL, NULL), TH_ERR_INVALID);
	assert_non_null(strstr(bus_last_error(bus), "'agent'"));
	assert_int_equal(bus_publish_stamped(bus, &ev, NULL, "a1"), TH_ERR_INVALID);
	assert_int_equal(bus_publish_stamped(bus, &ev, NULL, "an-agent-name-of-31-characters-"), TH_OK);
	assert_memory_equal(&ev, &before, sizeof ev);
	assert_int_equal(s->n, 1);
	bus_stats st;
	bus_get_stats(bus, &st);
	assert_int_equal(st.published, 1);
	assert_int_equal(st.rejected_invalid, 2);
	assert_int_equal(bus_publish_stamped(NULL, &ev, NULL, NULL), TH_ERR_INVALID);
	assert_int_equal(bus_publish_stamped(bus, NULL, NULL, NULL), TH_ERR_INVALID);
	bus_destroy(bus);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matches_reference),
		cmocka_unit_test(test_ring_full_and_refusals),
		cmocka_unit_test(test_stamp_decides),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
