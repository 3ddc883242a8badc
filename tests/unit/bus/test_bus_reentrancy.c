/* Bus re-entrancy: publish, subscribe and unsubscribe from inside handlers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bus/bus.h"
#include "bus_test_util.h"

static bus_t *new_bus(void)
{
	bus_options o = { .queue_bytes = 64 * 1024 };
	bus_t *b = bus_create(&o);
	assert_non_null(b);
	return b;
}

/* ---- nested publish is queued, never recursed ---- */

typedef struct nest_ctx {
	bus_t *b;
	int depth;          /* handlers currently running */
	int max_depth;
	bt_log log;         /* every delivery, in order */
	int chain_len;      /* each trade with ts < chain_len publishes ts + 1 */
	bool seen_nested_during_publish;
	bool dispatching_seen;
} nest_ctx;

static void nest_enter(nest_ctx *c)
{
	c->depth++;
	if (c->depth > c->max_depth)
		c->max_depth = c->depth;
}

/* Publishes two quotes while handling trade #1, then checks the quotes were not delivered yet. */
static void publisher_handler(void *arg, const th_event *ev)
{
	nest_ctx *c = arg;
	nest_enter(c);
	bt_rec r = { &c->log, 1 };
	bt_record(&r, ev);
	c->dispatching_seen = bus_dispatching(c->b);
	if (ev->h.type == TH_EV_TRADE && ev->h.ts_ns == 1) {
		size_t before = c->log.n;
		th_event q = bt_typed(TH_EV_QUOTE, 2);
		assert_int_equal(bus_publish(c->b, &q), TH_OK);
		q.h.ts_ns = 3;
		assert_int_equal(bus_publish(c->b, &q), TH_OK);
		if (c->log.n != before)
			c->seen_nested_during_publish = true;
	}
	c->depth--;
}

static void observer_handler(void *arg, const th_event *ev)
{
	nest_ctx *c = arg;
	nest_enter(c);
	bt_rec r = { &c->log, 2 };
	bt_record(&r, ev);
	c->depth--;
}

static void test_nested_publish_is_queued(void **state)
{
	(void)state;
	nest_ctx c;
	memset(&c, 0, sizeof c);
	c.b = new_bus();
	th_subscription s = { .topics = TH_TOPIC(TH_EV_TRADE) | TH_TOPIC(TH_EV_QUOTE) };
	assert_int_equal(bus_subscribe(c.b, NULL, &s, publisher_handler, &c, NULL), TH_OK);
	assert_int_equal(bus_subscribe(c.b, NULL, &s, observer_handler, &c, NULL), TH_OK);

	th_event t = bt_trade("sim", "X", "", 1);
	t.h.ts_ns = 1;
	assert_false(bus_dispatching(c.b));
	assert_int_equal(bus_publish(c.b, &t), TH_OK);
	assert_false(bus_dispatching(c.b));
	assert_true(c.dispatching_seen);

	assert_int_equal(c.max_depth, 1);
	assert_false(c.seen_nested_during_publish);
	/* trade(1) to both, then quote(2) to both, then quote(3) to both. */
	assert_int_equal(c.log.n, 6);
	const int64_t want_ts[6] = { 1, 1, 2, 2, 3, 3 };
	const uint64_t want_tag[6] = { 1, 2, 1, 2, 1, 2 };
	for (size_t i = 0; i < 6; i++) {
		assert_int_equal(c.log.ts[i], want_ts[i]);
		assert_int_equal(c.log.tag[i], want_tag[i]);
		assert_int_equal(c.log.seq[i], 1 + i / 2);
	}
	bus_destroy(c.b);
}

/* Each event publishes the next one: a chain of 50 runs iteratively (depth stays 1). */
static void chain_handler(void *arg, const th_event *ev)
{
	nest_ctx *c = arg;
	nest_enter(c);
	bt_rec r = { &c->log, 1 };
	bt_record(&r, ev);
	if (ev->h.ts_ns < c->chain_len) {
		th_event next = bt_trade("sim", "X", "", 0);
		next.h.ts_ns = ev->h.ts_ns + 1;
		assert_int_equal(bus_publish(c->b, &next), TH_OK);
	}
	c->depth--;
}

static void test_publish_chain_is_iterative(void **state)
{
	(void)state;
	nest_ctx c;
	memset(&c, 0, sizeof c);
	c.b = new_bus();
	c.chain_len = 50;
	th_subscription s = { .topics = TH_TOPIC(TH_EV_TRADE) };
	assert_int_equal(bus_subscribe(c.b, NULL, &s, chain_handler, &c, NULL), TH_OK);
	th_event t = bt_trade("sim", "X", "", 0);
	t.h.ts_ns = 1;
	assert_int_equal(bus_publish(c.b, &t), TH_OK);
	assert_int_equal(c.max_depth, 1);
	assert_int_equal(c.log.n, 50);
	for (size_t i = 0; i < 50; i++) {
		assert_int_equal(c.log.ts[i], (int64_t)i + 1);
		assert_int_equal(c.log.seq[i], i + 1);
	}
	bus_destroy(c.b);
}

/* ---- unsubscribe inside a handler ---- */

typedef struct unsub_ctx {
	bus_t *b;
	bt_log log;
	uint64_t ids[4];
	int action;  /* what sub 0 does on its first event */
	int done;
} unsub_ctx;

enum { ACT_SELF = 1, ACT_LATER = 2, ACT_EARLIER = 3, ACT_QUEUED = 4 };

typedef struct unsub_arg {
	unsub_ctx *c;
	int idx;
} unsub_arg;

static void unsub_handler(void *arg, const th_event *ev)
{
	unsub_arg *a = arg;
	unsub_ctx *c = a->c;
	bt_rec r = { &c->log, (uint64_t)a->idx };
	bt_record(&r, ev);
	if (c->done)
		return;
	switch (c->action) {
	case ACT_SELF:
		if (a->idx == 1) {
			assert_int_equal(bus_unsubscribe(c->b, c->ids[1]), TH_OK);
			assert_int_equal(bus_unsubscribe(c->b, c->ids[1]), TH_ERR_NOT_FOUND);
			c->done = 1;
		}
		break;
	case ACT_LATER: /* sub 1 removes sub 3 before 3's turn for this very event */
		if (a->idx == 1) {
			assert_int_equal(bus_unsubscribe(c->b, c->ids[3]), TH_OK);
			c->done = 1;
		}
		break;
	case ACT_EARLIER: /* sub 2 removes sub 0, which already got this event */
		if (a->idx == 2) {
			assert_int_equal(bus_unsubscribe(c->b, c->ids[0]), TH_OK);
			c->done = 1;
		}
		break;
	case ACT_QUEUED: /* sub 0 queues an event, then removes sub 2: 2 must not get it */
		if (a->idx == 0) {
			th_event q = bt_trade("sim", "X", "", 0);
			q.h.ts_ns = 99;
			assert_int_equal(bus_publish(c->b, &q), TH_OK);
			assert_int_equal(bus_unsubscribe(c->b, c->ids[2]), TH_OK);
			c->done = 1;
		}
		break;
	default:
		break;
	}
}

/* Runs 4 subs over 2 events; returns the log (tags in delivery order) as a string like "0123|012". */
static void run_unsub(int action, char *out, size_t cap)
{
	unsub_ctx c;
	memset(&c, 0, sizeof c);
	c.b = new_bus();
	c.action = action;
	unsub_arg args[4];
	th_subscription s = { .topics = TH_TOPIC(TH_EV_TRADE) };
	for (int i = 0; i < 4; i++) {
		args[i] = (unsub_arg){ &c, i };
		assert_int_equal(bus_subscribe(c.b, NULL, &s, unsub_handler, &args[i], &c.ids[i]), TH_OK);
	}
	for (int e = 1; e <= 2; e++) {
		th_event t = bt_trade("sim", "X", "", 0);
		t.h.ts_ns = e;
		assert_int_equal(bus_publish(c.b, &t), TH_OK);
	}
	size_t k = 0;
	uint64_t last_seq = 0;
	for (size_t i = 0; i < c.log.n && k + 3 < cap; i++) {
		if (i > 0 && c.log.seq[i] != last_seq)
			out[k++] = '|';
		last_seq = c.log.seq[i];
		out[k++] = (char)('0' + c.log.tag[i]);
	}
	out[k] = '\0';
	bus_stats st;
	bus_get_stats(c.b, &st);
	assert_int_equal(st.subscribers, 3);
	bus_destroy(c.b);
}

static void test_unsubscribe_inside_handler(void **state)
{
	(void)state;
	char got[64];
	run_unsub(ACT_SELF, got, sizeof got);
	assert_string_equal(got, "0123|023");       /* 1 got its own event, nothing after */
	run_unsub(ACT_LATER, got, sizeof got);
	assert_string_equal(got, "012|012");        /* 3 misses the rest of the current fan-out */
	run_unsub(ACT_EARLIER, got, sizeof got);
	assert_string_equal(got, "0123|123");       /* 0 had its turn already */
	run_unsub(ACT_QUEUED, got, sizeof got);
	assert_string_equal(got, "013|013|013");    /* 2 gets neither the rest of #1 nor queued #2 */
}

/* ---- subscribe inside a handler ---- */

typedef struct sub_ctx {
	bus_t *b;
	bt_log log;
	bt_rec late;     /* the subscription made from inside the handler */
	uint64_t min_seq_at_subscribe;
	int subscribed;
	int many;        /* also add this many subscriptions to force a realloc mid-fan-out */
} sub_ctx;

static void counting_handler(void *arg, const th_event *ev)
{
	(void)ev;
	(*(int *)arg)++;
}

static int g_many_count;

static void subscriber_handler(void *arg, const th_event *ev)
{
	sub_ctx *c = arg;
	bt_rec r = { &c->log, 1 };
	bt_record(&r, ev);
	if (c->subscribed)
		return;
	c->subscribed = 1;
	/* Queued before the subscription: must not reach the new subscriber. */
	th_event before = bt_trade("sim", "X", "", 0);
	before.h.ts_ns = 2;
	assert_int_equal(bus_publish(c->b, &before), TH_OK);
	c->min_seq_at_subscribe = bus_next_seq(c->b);
	th_subscription s = { .topics = TH_TOPIC(TH_EV_TRADE) };
	assert_int_equal(bus_subscribe(c->b, NULL, &s, bt_record, &c->late, NULL), TH_OK);
	for (int i = 0; i < c->many; i++)
		assert_int_equal(bus_subscribe(c->b, NULL, &s, counting_handler, &g_many_count, NULL), TH_OK);
	/* Queued after: must reach it. */
	th_event after = bt_trade("sim", "X", "", 0);
	after.h.ts_ns = 3;
	assert_int_equal(bus_publish(c->b, &after), TH_OK);
}

static void test_subscribe_inside_handler(void **state)
{
	(void)state;
	sub_ctx c;
	memset(&c, 0, sizeof c);
	c.b = new_bus();
	c.late = (bt_rec){ &c.log, 9 };
	c.many = 100; /* grows the trade list from 8 entries well past its first capacity */
	g_many_count = 0;
	th_subscription s = { .topics = TH_TOPIC(TH_EV_TRADE) };
	bt_rec tail = { &c.log, 5 }; /* subscribed before: sees everything */
	assert_int_equal(bus_subscribe(c.b, NULL, &s, subscriber_handler, &c, NULL), TH_OK);
	assert_int_equal(bus_subscribe(c.b, NULL, &s, bt_record, &tail, NULL), TH_OK);

	th_event t = bt_trade("sim", "X", "", 0);
	t.h.ts_ns = 1;
	assert_int_equal(bus_publish(c.b, &t), TH_OK);
	t.h.ts_ns = 4;
	assert_int_equal(bus_publish(c.b, &t), TH_OK);

	assert_int_equal(c.min_seq_at_subscribe, 3);
	/* Deliveries: ev1 -> 1,5; ev2 -> 1,5; ev3 -> 1,5,9; ev4 -> 1,5,9 */
	const int64_t want_ts[] = { 1, 1, 2, 2, 3, 3, 3, 4, 4, 4 };
	const uint64_t want_tag[] = { 1, 5, 1, 5, 1, 5, 9, 1, 5, 9 };
	assert_int_equal(c.log.n, 10);
	for (size_t i = 0; i < 10; i++) {
		assert_int_equal(c.log.ts[i], want_ts[i]);
		assert_int_equal(c.log.tag[i], want_tag[i]);
	}
	for (size_t i = 0; i < c.log.n; i++) {
		if (c.log.tag[i] == 9)
			assert_true(c.log.seq[i] >= c.min_seq_at_subscribe);
	}
	/* The 100 extra subscribers got events 3 and 4 only. */
	assert_int_equal(g_many_count, 200);
	bus_destroy(c.b);
}

/* ---- the subscriber array moves mid-fan-out ---- */

/* The first subscriber adds enough subscriptions to move the event type's
 * array (the fan-out then continues in the new one: host/bus/bus.c
 * bus_deliver, b->topics_moved), then unsubscribes the third: it must get
 * nothing more, while the second still gets this event exactly once. A loop
 * that kept walking the old array would read freed memory there (ASan) and
 * see the third subscriber still live. */
typedef struct move_ctx {
	bus_t *b;
	bt_log log;
	uint64_t victim;
	int fired;
} move_ctx;

static void mover(void *arg, const th_event *ev)
{
	move_ctx *c = arg;
	bt_rec r = { &c->log, 1 };
	bt_record(&r, ev);
	if (c->fired)
		return;
	c->fired = 1;
	th_subscription s = { .topics = TH_TOPIC(TH_EV_TRADE) };
	for (int i = 0; i < 300; i++)
		assert_int_equal(bus_subscribe(c->b, NULL, &s, counting_handler, &g_many_count, NULL), TH_OK);
	assert_int_equal(bus_unsubscribe(c->b, c->victim), TH_OK);
}

static void test_array_moves_mid_fan_out(void **state)
{
	(void)state;
	move_ctx c;
	memset(&c, 0, sizeof c);
	c.b = new_bus();
	g_many_count = 0;
	bt_rec second = { &c.log, 2 }, third = { &c.log, 3 };
	th_subscription s = { .topics = TH_TOPIC(TH_EV_TRADE) };
	assert_int_equal(bus_subscribe(c.b, NULL, &s, mover, &c, NULL), TH_OK);
	assert_int_equal(bus_subscribe(c.b, NULL, &s, bt_record, &second, NULL), TH_OK);
	/* The victim filters on venue, so its entry carries filter words too. */
	th_subscription sv = { .topics = TH_TOPIC(TH_EV_TRADE), .venue = "sim" };
	assert_int_equal(bus_subscribe(c.b, NULL, &sv, bt_record, &third, &c.victim), TH_OK);
	bt_rec fourth = { &c.log, 4 };
	assert_int_equal(bus_subscribe(c.b, NULL, &s, bt_record, &fourth, NULL), TH_OK);

	th_event t = bt_trade("sim", "X", "", 1);
	assert_int_equal(bus_publish(c.b, &t), TH_OK);
	assert_int_equal(g_many_count, 0); /* subscribed during the event: not delivered it */
	assert_int_equal(bus_publish(c.b, &t), TH_OK);

	/* ev1 -> 1, 2, 4 (3 removed mid-fan-out); ev2 -> 1, 2, 4 and the 300 new ones. */
	const uint64_t want_tag[] = { 1, 2, 4, 1, 2, 4 };
	assert_int_equal(c.log.n, 6);
	for (size_t i = 0; i < 6; i++) {
		assert_int_equal(c.log.tag[i], want_tag[i]);
		assert_int_equal(c.log.seq[i], i < 3 ? 1 : 2);
	}
	assert_int_equal(g_many_count, 300);
	bus_stats st;
	bus_get_stats(c.b, &st);
	assert_int_equal(st.subscribers, 303);
	assert_int_equal(st.published, 2);
	assert_int_equal(st.delivered, 6 + 300);
	bus_destroy(c.b);
}

/* ---- unsubscribe_owner ---- */

typedef struct owner_ctx {
	bus_t *b;
	bt_log log;
	const void *victim;
	size_t removed;
	int fired;
} owner_ctx;

static void owner_killer(void *arg, const th_event *ev)
{
	owner_ctx *c = arg;
	bt_rec r = { &c->log, 0 };
	bt_record(&r, ev);
	if (!c->fired) {
		c->fired = 1;
		c->removed = bus_unsubscribe_owner(c->b, c->victim);
	}
}

static void test_unsubscribe_owner(void **state)
{
	(void)state;
	bus_t *b = new_bus();
	bt_log log = { 0 };
	int owner_a, owner_b;
	bt_rec ra[3] = { { &log, 1 }, { &log, 2 }, { &log, 3 } };
	bt_rec rb[2] = { { &log, 4 }, { &log, 5 } };
	th_subscription s = { .topics = TH_TOPIC(TH_EV_TRADE) };
	/* Interleave owners: a1 b4 a2 b5 a3 */
	assert_int_equal(bus_subscribe(b, &owner_a, &s, bt_record, &ra[0], NULL), TH_OK);
	assert_int_equal(bus_subscribe(b, &owner_b, &s, bt_record, &rb[0], NULL), TH_OK);
	s.topics = TH_TOPIC(TH_EV_TRADE) | TH_TOPIC(TH_EV_ALERT);
	assert_int_equal(bus_subscribe(b, &owner_a, &s, bt_record, &ra[1], NULL), TH_OK);
	assert_int_equal(bus_subscribe(b, &owner_b, &s, bt_record, &rb[1], NULL), TH_OK);
	assert_int_equal(bus_subscribe(b, &owner_a, &s, bt_record, &ra[2], NULL), TH_OK);

	int nobody;
	assert_int_equal(bus_unsubscribe_owner(b, &nobody), 0);
	assert_int_equal(bus_unsubscribe_owner(b, &owner_a), 3);
	assert_int_equal(bus_unsubscribe_owner(b, &owner_a), 0);
	bus_stats st;
	bus_get_stats(b, &st);
	assert_int_equal(st.subscribers, 2);
	th_event t = bt_trade("sim", "X", "", 0);
	assert_int_equal(bus_publish(b, &t), TH_OK);
	th_event al = bt_typed(TH_EV_ALERT, 5);
	assert_int_equal(bus_publish(b, &al), TH_OK);
	assert_int_equal(log.n, 3);
	assert_int_equal(log.tag[0], 4);
	assert_int_equal(log.tag[1], 5);
	assert_int_equal(log.tag[2], 5);
	bus_destroy(b);

	/* From inside a handler: the owner's later subscriptions miss the current event. */
	owner_ctx c;
	memset(&c, 0, sizeof c);
	c.b = new_bus();
	c.victim = &owner_a;
	bt_rec r1 = { &c.log, 1 }, r2 = { &c.log, 2 }, r3 = { &c.log, 3 };
	s.topics = TH_TOPIC(TH_EV_TRADE);
	assert_int_equal(bus_subscribe(c.b, &owner_a, &s, bt_record, &r1, NULL), TH_OK);
	assert_int_equal(bus_subscribe(c.b, &owner_b, &s, owner_killer, &c, NULL), TH_OK);
	assert_int_equal(bus_subscribe(c.b, &owner_a, &s, bt_record, &r2, NULL), TH_OK);
	assert_int_equal(bus_subscribe(c.b, &owner_b, &s, bt_record, &r3, NULL), TH_OK);
	assert_int_equal(bus_publish(c.b, &t), TH_OK);
	assert_int_equal(bus_publish(c.b, &t), TH_OK);
	assert_int_equal(c.removed, 2);
	/* ev1: 1, killer(0), 3 ; ev2: killer(0), 3 */
	const uint64_t want[] = { 1, 0, 3, 0, 3 };
	assert_int_equal(c.log.n, 5);
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(c.log.tag[i], want[i]);
	bus_destroy(c.b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nested_publish_is_queued),
		cmocka_unit_test(test_publish_chain_is_iterative),
		cmocka_unit_test(test_unsubscribe_inside_handler),
		cmocka_unit_test(test_subscribe_inside_handler),
		cmocka_unit_test(test_array_moves_mid_fan_out),
		cmocka_unit_test(test_unsubscribe_owner),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
