/* The bus queue: bip-buffer mechanics, ring full -> TH_ERR_LIMIT and recovery, and
 * byte-exact delivery across many wrap-arounds with variable-size events. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bus/bus.h"
#include "bus/bus_internal.h" /* to observe the ring's regions (white-box) */
#include "bus/bus_ring.h"
#include "bus_test_util.h"

/* ---- bus_ring on its own ---- */

/* bus_ring_unpush takes back exactly the last push, whichever region it
 * went to: A growing, the wrap that starts B, and B growing. */
static void test_ring_unpush(void **state)
{
	(void)state;
	bus_ring r;
	assert_int_equal(bus_ring_init(&r, 128), 0);
	/* A grows: 0 -> 40 -> back to 0, then the same bytes are pushed again */
	unsigned char *a = bus_ring_push(&r, 40);
	assert_ptr_equal(a, r.buf);
	bus_ring_unpush(&r, 40);
	assert_true(bus_ring_empty(&r));
	assert_int_equal(r.a_end, 0);
	assert_ptr_equal(bus_ring_push(&r, 40), r.buf);
	assert_ptr_equal(bus_ring_push(&r, 40), r.buf + 40);
	assert_ptr_equal(bus_ring_push(&r, 48), r.buf + 80); /* A is full: 128 */
	bus_ring_pop(&r, 40);                                 /* 40 free below A */
	/* the wrap: B starts at 0 and is taken back to nothing */
	assert_ptr_equal(bus_ring_push(&r, 24), r.buf);
	assert_int_equal(r.b_end, 24);
	bus_ring_unpush(&r, 24);
	assert_int_equal(r.b_end, 0);
	assert_int_equal(r.a_start, 40);
	assert_int_equal(r.a_end, 128);
	/* B grows: 16 -> 32 -> back to 16 */
	assert_ptr_equal(bus_ring_push(&r, 16), r.buf);
	assert_ptr_equal(bus_ring_push(&r, 16), r.buf + 16);
	bus_ring_unpush(&r, 16);
	assert_int_equal(r.b_end, 16);
	assert_int_equal(r.a_end, 128);
	assert_int_equal(bus_ring_used(&r), 88 + 16);
	bus_ring_free(&r);
}

static void test_ring_mechanics(void **state)
{
	(void)state;
	bus_ring r;
	assert_int_equal(bus_ring_init(&r, 100), 0);
	assert_int_equal(r.cap, 128); /* rounded up to a cache line */
	assert_true(bus_ring_empty(&r));
	assert_int_equal(bus_ring_footprint(1), 8);
	assert_int_equal(bus_ring_footprint(8), 8);
	assert_int_equal(bus_ring_footprint(9), 16);

	/* Fill A: 3 x 40 = 120 bytes; 8 left at the top. */
	unsigned char *p[8];
	for (int i = 0; i < 3; i++) {
		p[i] = bus_ring_push(&r, 40);
		assert_non_null(p[i]);
		memset(p[i], 'a' + i, 40);
	}
	assert_ptr_equal(p[0], r.buf);
	assert_ptr_equal(p[2], r.buf + 80);
	assert_null(bus_ring_push(&r, 16)); /* no room at top, none below a_start (0) */
	assert_non_null(bus_ring_push(&r, 8)); /* exactly the 8 at the top */
	assert_int_equal(bus_ring_used(&r), 128);
	assert_null(bus_ring_push(&r, 8));

	/* Pop the first record: 40 bytes free below A -> the next push wraps into B. */
	assert_int_equal(*(unsigned char *)bus_ring_front(&r), 'a');
	bus_ring_pop(&r, 40);
	assert_null(bus_ring_push(&r, 48));
	p[3] = bus_ring_push(&r, 24);
	assert_ptr_equal(p[3], r.buf);
	assert_int_equal(r.b_end, 24);
	memset(p[3], 'd', 24);
	p[4] = bus_ring_push(&r, 16); /* B grows up to a_start (40) */
	assert_ptr_equal(p[4], r.buf + 24);
	memset(p[4], 'e', 16);
	assert_null(bus_ring_push(&r, 8)); /* B touches A */

	/* FIFO: A's remaining records, then B's. */
	assert_int_equal(*(unsigned char *)bus_ring_front(&r), 'b');
	bus_ring_pop(&r, 40);
	assert_int_equal(*(unsigned char *)bus_ring_front(&r), 'c');
	bus_ring_pop(&r, 40);
	bus_ring_pop(&r, 8); /* the 8-byte record; A is exhausted -> B becomes A */
	assert_int_equal(r.a_start, 0);
	assert_int_equal(r.a_end, 40);
	assert_int_equal(r.b_end, 0);
	assert_int_equal(*(unsigned char *)bus_ring_front(&r), 'd');
	bus_ring_pop(&r, 24);
	assert_int_equal(*(unsigned char *)bus_ring_front(&r), 'e');
	bus_ring_pop(&r, 16);
	assert_true(bus_ring_empty(&r));
	assert_int_equal(r.a_end, 0); /* empty collapses to offset 0 */
	assert_non_null(bus_ring_push(&r, 128)); /* whole ring usable again */
	bus_ring_free(&r);
	assert_int_equal(bus_ring_init(&r, 0), -1);
}

/* ---- ring full ---- */

typedef struct flood_ctx {
	bus_t *b;
	int accepted;
	int refused;
	int delivered_nested;
	bool flood;  /* the next trade handled floods the queue */
} flood_ctx;

static void flood_handler(void *arg, const th_event *ev)
{
	flood_ctx *c = arg;
	if (ev->h.type == TH_EV_QUOTE) {
		c->delivered_nested++;
		return;
	}
	if (!c->flood)
		return;
	c->flood = false;
	th_event q = bt_typed(TH_EV_QUOTE, 1);
	for (;;) {
		int rc = bus_publish(c->b, &q);
		if (rc == TH_ERR_LIMIT) {
			c->refused++;
			assert_non_null(strstr(bus_last_error(c->b), "queue full"));
			/* Still full: refusals do not change anything. */
			assert_int_equal(bus_publish(c->b, &q), TH_ERR_LIMIT);
			c->refused++;
			break;
		}
		assert_int_equal(rc, TH_OK);
		c->accepted++;
	}
}

static void test_ring_full_and_recovery(void **state)
{
	(void)state;
	flood_ctx c;
	memset(&c, 0, sizeof c);
	bus_options o = { .queue_bytes = 16 * 1024 };
	c.b = bus_create(&o);
	assert_non_null(c.b);
	th_subscription s = { .topics = TH_TOPIC(TH_EV_TRADE) | TH_TOPIC(TH_EV_QUOTE) };
	assert_int_equal(bus_subscribe(c.b, NULL, &s, flood_handler, &c, NULL), TH_OK);

	const size_t trade_fp = bus_ring_footprint(offsetof(th_event, u) + sizeof(th_trade));
	const size_t quote_fp = bus_ring_footprint(offsetof(th_event, u) + sizeof(th_quote));
	for (int round = 0; round < 3; round++) {
		c.flood = true;
		c.accepted = c.refused = c.delivered_nested = 0;
		th_event t = bt_trade("sim", "X", "", (uint64_t)round);
		assert_int_equal(bus_publish(c.b, &t), TH_OK);
		/* The trade occupies its slot while its handler runs; quotes fill the rest. */
		assert_int_equal((size_t)c.accepted, (16 * 1024 - trade_fp) / quote_fp);
		assert_int_equal(c.refused, 2);
		assert_int_equal(c.delivered_nested, c.accepted); /* every accepted event delivered */
		bus_stats st;
		bus_get_stats(c.b, &st);
		assert_int_equal(st.dropped_full, 2u * (unsigned)(round + 1));
		assert_true(st.queue_high_water <= st.queue_capacity);
		assert_true(st.queue_high_water >= st.queue_capacity - quote_fp);
		/* Recovered: a plain publish works after the drain. */
		th_event t2 = bt_trade("sim", "X", "", 100);
		assert_int_equal(bus_publish(c.b, &t2), TH_OK);
	}
	bus_destroy(c.b);
}

/* ---- wrap-around with variable sizes, byte for byte ---- */

#define WR_EXPECT_MAX 128 /* more than the 8 KiB ring can ever hold (smallest record: 104 bytes) */

typedef struct wrap_ctx {
	bus_t *b;
	uint64_t rng;
	th_event expect[WR_EXPECT_MAX]; /* FIFO of what was accepted, as published */
	uint32_t expect_size[WR_EXPECT_MAX];
	uint64_t expect_seq[WR_EXPECT_MAX];
	size_t head, count;
	uint64_t next_seq;
	size_t budget;         /* events still to publish from handlers */
	size_t delivered;
	size_t refused;
	size_t wraps_seen;     /* deliveries while region B existed */
	size_t bytes_delivered;
	size_t by_type[TH_EV_TYPE_COUNT_];
} wrap_ctx;

static th_event random_event(uint64_t *rng)
{
	th_event ev;
	memset(&ev, 0, sizeof ev);
	uint64_t pick = bt_rand(rng) % 4;
	th_event_type t = pick == 0 ? TH_EV_BOOK : pick == 1 ? TH_EV_AGENT_MSG : pick == 2 ? TH_EV_CUSTOM : TH_EV_TRADE;
	th_event_init(&ev, t);
	ev.h.ts_ns = (int64_t)(bt_rand(rng) >> 2) + 1;
	snprintf(ev.h.venue, sizeof ev.h.venue, "v%u", (unsigned)(bt_rand(rng) % 100));
	snprintf(ev.h.symbol, sizeof ev.h.symbol, "SYM%u", (unsigned)(bt_rand(rng) % 1000));
	switch (t) {
	case TH_EV_BOOK:
		ev.u.book.nbids = (uint32_t)(bt_rand(rng) % (TH_BOOK_LEVELS_MAX + 1));
		ev.u.book.nasks = (uint32_t)(bt_rand(rng) % (TH_BOOK_LEVELS_MAX + 1));
		ev.u.book.first_seq = bt_rand(rng);
		for (uint32_t i = 0; i < ev.u.book.nbids + ev.u.book.nasks; i++) {
			ev.u.book.levels[i].price = (th_price)(bt_rand(rng) >> 1);
			ev.u.book.levels[i].qty = (th_qty)(bt_rand(rng) >> 1);
		}
		break;
	case TH_EV_AGENT_MSG: {
		size_t len = (size_t)(bt_rand(rng) % TH_AGENT_TEXT_MAX); /* 0..511 */
		for (size_t i = 0; i < len; i++)
			ev.u.agent_msg.text[i] = (char)('a' + bt_rand(rng) % 26);
		ev.u.agent_msg.text[len] = '\0';
		th_strlcpy(ev.u.agent_msg.kind, "chat", sizeof ev.u.agent_msg.kind);
		break;
	}
	case TH_EV_CUSTOM:
		ev.u.custom.len = (uint32_t)(bt_rand(rng) % (TH_CUSTOM_MAX + 1));
		ev.u.custom.tag = (uint32_t)bt_rand(rng);
		for (uint32_t i = 0; i < ev.u.custom.len; i++)
			ev.u.custom.data[i] = (uint8_t)bt_rand(rng);
		break;
	default:
		ev.u.trade.price = (th_price)bt_rand(rng);
		ev.u.trade.qty = (th_qty)bt_rand(rng);
		ev.u.trade.trade_id = bt_rand(rng);
		break;
	}
	return ev;
}

static int wrap_publish(wrap_ctx *c)
{
	th_event ev = random_event(&c->rng);
	/* Expect it before publishing: at top level the bus delivers inside bus_publish. */
	assert_true(c->count < WR_EXPECT_MAX);
	size_t slot = (c->head + c->count) % WR_EXPECT_MAX;
	c->expect[slot] = ev;
	c->expect_size[slot] = th_event_size(&ev);
	c->expect_seq[slot] = c->next_seq++;
	c->count++;
	int rc = bus_publish(c->b, &ev);
	if (rc != TH_OK) {
		/* Refused (only inside a handler, so nothing was delivered meanwhile): take it back. */
		assert_int_equal(rc, TH_ERR_LIMIT);
		c->count--;
		c->next_seq--;
		c->refused++;
	}
	return rc;
}

static void wrap_handler(void *arg, const th_event *ev)
{
	wrap_ctx *c = arg;
	assert_true(c->count > 0);
	const th_event *want = &c->expect[c->head];
	uint32_t size = c->expect_size[c->head];
	assert_int_equal(ev->h.seq, c->expect_seq[c->head]);
	assert_int_equal(ev->h.size, size);
	assert_int_equal(ev->h.type, want->h.type);
	assert_int_equal(ev->h.ts_ns, want->h.ts_ns);
	assert_string_equal(ev->h.venue, want->h.venue);
	assert_string_equal(ev->h.symbol, want->h.symbol);
	assert_memory_equal((const char *)ev + offsetof(th_event, u), (const char *)want + offsetof(th_event, u),
	                    size - offsetof(th_event, u));
	assert_int_equal((uintptr_t)ev % 8, 0);
	c->head = (c->head + 1) % WR_EXPECT_MAX;
	c->count--;
	c->delivered++;
	c->bytes_delivered += size;
	c->by_type[ev->h.type]++;
	if (c->b->ring.b_end != 0)
		c->wraps_seen++;

	/* Keep the queue busy: publish 0..3 more (mean 1.5) while the budget lasts. */
	unsigned k = (unsigned)(bt_rand(&c->rng) % 4);
	for (unsigned i = 0; i < k && c->budget > 0; i++) {
		c->budget--;
		(void)wrap_publish(c);
	}
}

static void test_wraparound_variable_sizes(void **state)
{
	(void)state;
	static wrap_ctx c; /* large: keep it off the stack */
	memset(&c, 0, sizeof c);
	c.rng = UINT64_C(0x9E3779B97F4A7C15);
	c.next_seq = 1;
	c.budget = 200000;
	bus_options o = { .queue_bytes = 8 * 1024 };
	c.b = bus_create(&o);
	assert_non_null(c.b);
	th_subscription s = { .topics = TH_TOPIC_ALL };
	assert_int_equal(bus_subscribe(c.b, NULL, &s, wrap_handler, &c, NULL), TH_OK);
	while (c.budget > 0) {
		c.budget--;
		assert_int_equal(wrap_publish(&c), TH_OK); /* top level: the ring is empty, always fits */
		assert_int_equal(c.count, 0);             /* fully drained on return */
	}
	bus_stats st;
	bus_get_stats(c.b, &st);
	assert_int_equal(st.published, c.delivered);
	assert_int_equal(st.delivered, c.delivered);
	assert_int_equal(st.dropped_full, c.refused);
	assert_true(st.queue_high_water <= st.queue_capacity);
	/* The test exercised what it claims: many laps, region B in use, drops, all types. */
	assert_true(c.bytes_delivered > 1000 * st.queue_capacity);
	assert_true(c.wraps_seen > 1000);
	assert_true(c.refused > 0);
	assert_true(c.by_type[TH_EV_BOOK] > 1000 && c.by_type[TH_EV_AGENT_MSG] > 1000 && c.by_type[TH_EV_CUSTOM] > 1000);
	print_message("wrap: %zu events, %zu bytes, %zu deliveries with region B, %zu refused (full)\n", c.delivered,
	              c.bytes_delivered, c.wraps_seen, c.refused);
	bus_destroy(c.b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ring_mechanics),
		cmocka_unit_test(test_ring_unpush),
		cmocka_unit_test(test_ring_full_and_recovery),
		cmocka_unit_test(test_wraparound_variable_sizes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
