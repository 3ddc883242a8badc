/* Bus basics: topics, filters, delivery order, seq/size/ts stamping, validation, stats. */
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

/* Fill the payload of each type so th_event_size is well defined. */
static th_event any_event(th_event_type t, int64_t id)
{
	th_event ev = bt_typed(t, id);
	switch (t) {
	case TH_EV_BOOK: ev.u.book.nbids = 2; ev.u.book.nasks = 1; break;
	case TH_EV_AGENT_MSG: th_strlcpy(ev.u.agent_msg.text, "hello", sizeof ev.u.agent_msg.text); break;
	case TH_EV_CUSTOM: ev.u.custom.len = 3; break;
	default: break;
	}
	return ev;
}

static void test_topics(void **state)
{
	(void)state;
	bus_t *b = new_bus();
	bt_log log = { 0 };
	bt_rec trade = { &log, 1 }, qb = { &log, 2 }, all = { &log, 3 }, market = { &log, 4 };
	th_subscription s = { .topics = TH_TOPIC(TH_EV_TRADE) };
	assert_int_equal(bus_subscribe(b, NULL, &s, bt_record, &trade, NULL), TH_OK);
	s.topics = TH_TOPIC(TH_EV_QUOTE) | TH_TOPIC(TH_EV_BOOK);
	assert_int_equal(bus_subscribe(b, NULL, &s, bt_record, &qb, NULL), TH_OK);
	s.topics = TH_TOPIC_ALL;
	assert_int_equal(bus_subscribe(b, NULL, &s, bt_record, &all, NULL), TH_OK);
	s.topics = TH_TOPIC_MARKET;
	assert_int_equal(bus_subscribe(b, NULL, &s, bt_record, &market, NULL), TH_OK);

	for (int t = 1; t < TH_EV_TYPE_COUNT_; t++) {
		th_event ev = any_event((th_event_type)t, t);
		assert_int_equal(bus_publish(b, &ev), TH_OK);
	}
	/* Expected (type, tag) pairs, in order. */
	size_t k = 0;
	for (int t = 1; t < TH_EV_TYPE_COUNT_; t++) {
		uint64_t want[4];
		size_t nw = 0;
		if (t == TH_EV_TRADE)
			want[nw++] = 1;
		if (t == TH_EV_QUOTE || t == TH_EV_BOOK)
			want[nw++] = 2;
		want[nw++] = 3;
		if (t <= TH_EV_BAR)
			want[nw++] = 4;
		for (size_t j = 0; j < nw; j++, k++) {
			assert_true(k < log.n);
			assert_int_equal(log.type[k], t);
			assert_int_equal(log.tag[k], want[j]);
		}
	}
	assert_int_equal(log.n, k);
	bus_stats st;
	bus_get_stats(b, &st);
	assert_int_equal(st.published, TH_EV_TYPE_COUNT_ - 1);
	assert_int_equal(st.delivered, k);
	assert_int_equal(st.subscribers, 4);
	bus_destroy(b);
}

/* One subscriber per filter kind; check which of a grid of events each gets. */
static void test_filters(void **state)
{
	(void)state;
	bus_t *b = new_bus();
	bt_log log = { 0 };
	bt_rec rv = { &log, 1 }, rs = { &log, 2 }, ra = { &log, 3 }, rall3 = { &log, 4 }, rempty = { &log, 5 };
	th_subscription s = { .topics = TH_TOPIC(TH_EV_TRADE), .venue = "binance" };
	assert_int_equal(bus_subscribe(b, NULL, &s, bt_record, &rv, NULL), TH_OK);
	s = (th_subscription){ .topics = TH_TOPIC(TH_EV_TRADE), .symbol = "BTC" };
	assert_int_equal(bus_subscribe(b, NULL, &s, bt_record, &rs, NULL), TH_OK);
	s = (th_subscription){ .topics = TH_TOPIC(TH_EV_TRADE), .agent = "momo" };
	assert_int_equal(bus_subscribe(b, NULL, &s, bt_record, &ra, NULL), TH_OK);
	s = (th_subscription){ .topics = TH_TOPIC(TH_EV_TRADE), .venue = "sim", .symbol = "BTCUSDT", .agent = "momo" };
	assert_int_equal(bus_subscribe(b, NULL, &s, bt_record, &rall3, NULL), TH_OK);
	s = (th_subscription){ .topics = TH_TOPIC(TH_EV_TRADE), .venue = "", .symbol = "", .agent = NULL };
	assert_int_equal(bus_subscribe(b, NULL, &s, bt_record, &rempty, NULL), TH_OK);

	struct { const char *v, *s, *a; uint64_t mask; } cases[] = {
		/* mask bit (tag-1) set = subscriber `tag` must receive it */
		{ "binance", "ETHUSDT", "", (1u << 0) | (1u << 4) },
		{ "sim", "BTC", "", (1u << 1) | (1u << 4) },
		{ "sim", "BTCUSDT", "", (1u << 4) },               /* "BTC" is not a prefix match */
		{ "sim", "BTCUSDT", "momo", (1u << 2) | (1u << 3) | (1u << 4) },
		{ "sim", "BTCUSDT", "momo2", (1u << 4) },
		{ "binanc", "BTC", "mom", (1u << 1) | (1u << 4) },
		{ "binance", "BTC", "momo", (1u << 0) | (1u << 1) | (1u << 2) | (1u << 4) },
		{ "", "", "", (1u << 4) },
	};
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		log.n = 0;
		th_event ev = bt_trade(cases[c].v, cases[c].s, cases[c].a, c);
		assert_int_equal(bus_publish(b, &ev), TH_OK);
		uint64_t got = 0;
		for (size_t i = 0; i < log.n; i++)
			got |= 1u << (log.tag[i] - 1);
		if (got != cases[c].mask)
			fail_msg("case %zu (%s/%s/%s): got mask 0x%llx, want 0x%llx", c, cases[c].v, cases[c].s, cases[c].a,
			         (unsigned long long)got, (unsigned long long)cases[c].mask);
		assert_int_equal(log.n, (size_t)__builtin_popcountll(cases[c].mask));
	}
	/* A filter on a topic list the event's type is not in never matters. */
	log.n = 0;
	th_event q = any_event(TH_EV_QUOTE, 1);
	assert_int_equal(bus_publish(b, &q), TH_OK);
	assert_int_equal(log.n, 0);
	bus_destroy(b);
}

static void test_order(void **state)
{
	(void)state;
	bus_t *b = new_bus();
	bt_log log = { 0 };
	bt_rec r[3] = { { &log, 10 }, { &log, 20 }, { &log, 30 } };
	th_subscription s = { .topics = TH_TOPIC_MARKET };
	for (int i = 0; i < 3; i++)
		assert_int_equal(bus_subscribe(b, NULL, &s, bt_record, &r[i], NULL), TH_OK);
	for (int i = 0; i < 5; i++) {
		th_event ev = bt_trade("sim", "X", "", (uint64_t)i);
		ev.h.ts_ns = 100 + i;
		assert_int_equal(bus_publish(b, &ev), TH_OK);
	}
	assert_int_equal(log.n, 15);
	for (size_t i = 0; i < 15; i++) {
		assert_int_equal(log.ts[i], 100 + (int64_t)(i / 3));  /* publication order */
		assert_int_equal(log.seq[i], 1 + i / 3);             /* seq from 1, strictly increasing */
		assert_int_equal(log.tag[i], 10 * (i % 3 + 1));      /* subscription order */
	}
	bus_destroy(b);
}

typedef struct clock_state {
	int calls;
	int64_t now;
} clock_state;

static int64_t fake_clock(void *arg)
{
	clock_state *c = arg;
	c->calls++;
	return c->now += 1000;
}

typedef struct seen {
	th_event copy;
	int n;
} seen;

static void keep_copy(void *arg, const th_event *ev)
{
	seen *s = arg;
	memcpy(&s->copy, ev, ev->h.size);
	s->n++;
}

/* A clock given as a variable (a backtest's simulated time) stamps events
 * published with ts_ns == 0 with its value at that moment, and is preferred
 * over the callback; an event's own time is kept. */
static void test_stamping_clock_variable(void **state)
{
	(void)state;
	clock_state clk = { 0, 5000 };
	int64_t now = 123;
	bus_options o = { .clock_ns = fake_clock, .clock_arg = &clk, .clock_now_ns = &now };
	bus_t *b = bus_create(&o);
	assert_non_null(b);
	seen sn;
	memset(&sn, 0, sizeof sn);
	th_subscription s = { .topics = TH_TOPIC_ALL };
	assert_int_equal(bus_subscribe(b, NULL, &s, keep_copy, &sn, NULL), TH_OK);
	th_event ev = bt_trade("sim", "BTCUSDT", "", 1);
	ev.h.ts_ns = 0;
	assert_int_equal(bus_publish(b, &ev), TH_OK);
	assert_int_equal(sn.copy.h.ts_ns, 123);
	now = 456; /* read at each publish, never cached */
	assert_int_equal(bus_publish(b, &ev), TH_OK);
	assert_int_equal(sn.copy.h.ts_ns, 456);
	ev.h.ts_ns = 42;
	assert_int_equal(bus_publish(b, &ev), TH_OK);
	assert_int_equal(sn.copy.h.ts_ns, 42);
	assert_int_equal(clk.calls, 0);
	bus_destroy(b);
}

/* bus_publish_in_place: at top level handlers get the caller's buffer,
 * stamped like the bus's copy, and what they publish follows in order;
 * inside a handler, while held, and for a variable-size type it is
 * bus_publish (a copy; the caller's buffer untouched). */
typedef struct in_place_probe {
	bus_t *b;
	const th_event *top; /* the caller's buffer at top level */
	int same_ptr, n;
	uint64_t seqs[8];
	int64_t ts[8];
	th_event nested;
} in_place_probe;

static void in_place_handler(void *arg, const th_event *ev)
{
	in_place_probe *p = arg;
	if (p->n < 8) {
		p->seqs[p->n] = ev->h.seq;
		p->ts[p->n] = ev->h.ts_ns;
	}
	p->n++;
	if (ev == p->top) {
		p->same_ptr++;
		/* nested: queued as a copy, delivered after this fan-out */
		p->nested = bt_trade("sim", "NESTED", "", 9);
		p->nested.h.ts_ns = 0;
		p->nested.h.seq = 777;
		assert_int_equal(bus_publish_in_place(p->b, &p->nested), TH_OK);
		assert_int_equal(p->nested.h.seq, 777); /* untouched: it was copied */
	}
}

static void test_publish_in_place(void **state)
{
	(void)state;
	int64_t now = 5;
	bus_options o = { .clock_now_ns = &now };
	bus_t *b = bus_create(&o);
	assert_non_null(b);
	in_place_probe p;
	memset(&p, 0, sizeof p);
	p.b = b;
	th_subscription s = { .topics = TH_TOPIC_ALL };
	assert_int_equal(bus_subscribe(b, NULL, &s, in_place_handler, &p, NULL), TH_OK);

	th_event ev = bt_trade("sim", "BTCUSDT", "", 1);
	ev.h.ts_ns = 0;
	ev.h.seq = 999;
	ev.h.size = 7;
	p.top = &ev;
	assert_int_equal(bus_publish_in_place(b, &ev), TH_OK);
	assert_int_equal(p.same_ptr, 1);
	assert_int_equal(p.n, 2);
	assert_int_equal(p.seqs[0], 1);
	assert_int_equal(p.seqs[1], 2);
	assert_int_equal(p.ts[0], 5);
	assert_int_equal(p.ts[1], 5);
	/* stamped in place like the copy would be */
	assert_int_equal(ev.h.seq, 1);
	assert_int_equal(ev.h.size, offsetof(th_event, u) + sizeof(th_trade));
	assert_int_equal(ev.h.ts_ns, 5);

	/* held: queued as a copy, delivered at release */
	th_event held = bt_trade("sim", "BTCUSDT", "", 2);
	held.h.seq = 555;
	bus_hold(b);
	assert_int_equal(bus_publish_in_place(b, &held), TH_OK);
	assert_int_equal(p.n, 2);
	assert_int_equal(held.h.seq, 555);
	bus_release(b);
	assert_int_equal(p.n, 3);
	assert_int_equal(p.seqs[2], 3);

	/* a variable-size type goes through the copy */
	th_event c = bt_typed(TH_EV_CUSTOM, 4);
	c.u.custom.len = 3;
	c.h.seq = 444;
	assert_int_equal(bus_publish_in_place(b, &c), TH_OK);
	assert_int_equal(p.n, 4);
	assert_int_equal(c.h.seq, 444);
	assert_int_equal(p.same_ptr, 1);

	/* refused like bus_publish */
	th_event bad = bt_trade("sim", "BTCUSDT", "", 5);
	bad.h.type = 0;
	assert_int_equal(bus_publish_in_place(b, &bad), TH_ERR_INVALID);
	assert_int_equal(bus_publish_in_place(b, NULL), TH_ERR_INVALID);
	assert_int_equal(bus_publish_in_place(NULL, &ev), TH_ERR_INVALID);
	bus_stats st;
	bus_get_stats(b, &st);
	assert_int_equal(st.published, 4);
	assert_int_equal(st.delivered, 4);
	assert_int_equal(st.rejected_invalid, 2);
	bus_destroy(b);
}

static void test_stamping(void **state)
{
	(void)state;
	clock_state clk = { 0, 5000 };
	bus_options o = { .queue_bytes = 0, .clock_ns = fake_clock, .clock_arg = &clk };
	bus_t *b = bus_create(&o);
	assert_non_null(b);
	seen sn;
	memset(&sn, 0, sizeof sn);
	th_subscription s = { .topics = TH_TOPIC_ALL };
	assert_int_equal(bus_subscribe(b, NULL, &s, keep_copy, &sn, NULL), TH_OK);

	th_event ev = bt_trade("sim", "BTCUSDT", "", 1);
	ev.h.ts_ns = 0;
	ev.h.seq = 999;   /* ignored: the bus assigns seq */
	ev.h.size = 7;    /* ignored: the bus computes size */
	assert_int_equal(bus_publish(b, &ev), TH_OK);
	assert_int_equal(clk.calls, 1);
	assert_int_equal(sn.copy.h.ts_ns, 6000);
	assert_int_equal(sn.copy.h.seq, 1);
	assert_int_equal(sn.copy.h.size, offsetof(th_event, u) + sizeof(th_trade));
	assert_int_equal(sn.copy.u.trade.trade_id, 1);
	/* The publisher's buffer is untouched. */
	assert_int_equal(ev.h.seq, 999);
	assert_int_equal(ev.h.ts_ns, 0);

	ev.h.ts_ns = 42; /* the event's own time: kept, no clock read */
	assert_int_equal(bus_publish(b, &ev), TH_OK);
	assert_int_equal(clk.calls, 1);
	assert_int_equal(sn.copy.h.ts_ns, 42);
	assert_int_equal(sn.copy.h.seq, 2);
	assert_int_equal(bus_next_seq(b), 3);

	/* Variable sizes: book with 3 levels, custom with 5 bytes. */
	th_event bk = bt_typed(TH_EV_BOOK, 7);
	bk.u.book.nbids = 2;
	bk.u.book.nasks = 1;
	bk.u.book.levels[2].price = 77;
	assert_int_equal(bus_publish(b, &bk), TH_OK);
	assert_int_equal(sn.copy.h.size, offsetof(th_event, u) + offsetof(th_book, levels) + 3 * sizeof(th_book_level));
	assert_int_equal(sn.copy.u.book.levels[2].price, 77);
	th_event cu = bt_typed(TH_EV_CUSTOM, 8);
	cu.u.custom.len = 5;
	memcpy(cu.u.custom.data, "abcde", 5);
	assert_int_equal(bus_publish(b, &cu), TH_OK);
	assert_int_equal(sn.copy.h.size, offsetof(th_event, u) + offsetof(th_custom, data) + 5);
	assert_memory_equal(sn.copy.u.custom.data, "abcde", 5);
	bus_destroy(b);
}

/* Every type, published at top level and from inside a handler: the stored
 * size is th_event_size() (the bus's fixed-size table in bus.c must agree
 * with it for each fixed type), and the handler sees the publisher's bytes
 * up to that size, apart from the stamped seq/size. */
typedef struct size_ctx {
	bus_t *b;
	th_event nested;  /* published from inside the first delivery */
	int publish_nested;
	size_t n;
	uint32_t size[4];
	unsigned char bytes[4][sizeof(th_event)];
} size_ctx;

static void size_recorder(void *arg, const th_event *ev)
{
	size_ctx *c = arg;
	if (c->n < 4) {
		c->size[c->n] = ev->h.size;
		memcpy(c->bytes[c->n], ev, ev->h.size);
		c->n++;
	}
	if (c->publish_nested) {
		c->publish_nested = 0;
		assert_int_equal(bus_publish(c->b, &c->nested), TH_OK);
	}
}

static void test_sizes_every_type(void **state)
{
	(void)state;
	bus_t *b = new_bus();
	static size_ctx c;
	memset(&c, 0, sizeof c);
	c.b = b;
	th_subscription s = { .topics = TH_TOPIC_ALL };
	assert_int_equal(bus_subscribe(b, NULL, &s, size_recorder, &c, NULL), TH_OK);
	uint64_t seed = 12345;
	for (int t = 1; t < TH_EV_TYPE_COUNT_; t++) {
		th_event ev;
		/* Random payload bytes, then the counts that bound variable payloads. */
		unsigned char *p = (unsigned char *)&ev;
		for (size_t i = 0; i < sizeof ev; i++)
			p[i] = (unsigned char)bt_rand(&seed);
		memset(&ev.h, 0, sizeof ev.h);
		ev.h.type = (uint16_t)t;
		ev.h.ts_ns = 77;
		th_strlcpy(ev.h.venue, "sim", sizeof ev.h.venue);
		if (t == TH_EV_BOOK) {
			ev.u.book.nbids = 3;
			ev.u.book.nasks = 2;
		} else if (t == TH_EV_CUSTOM) {
			ev.u.custom.len = 11;
		} else if (t == TH_EV_AGENT_MSG) {
			ev.u.agent_msg.kind[sizeof ev.u.agent_msg.kind - 1] = '\0';
			ev.u.agent_msg.text[40] = '\0';
		}
		const uint32_t want = th_event_size(&ev);
		c.n = 0;
		c.nested = ev;
		c.publish_nested = 1;
		assert_int_equal(bus_publish(b, &ev), TH_OK);
		assert_int_equal(c.n, 2); /* the event, then its copy queued from the handler */
		for (size_t k = 0; k < 2; k++) {
			if (c.size[k] != want)
				fail_msg("type %d (%s): stored size %u, th_event_size %u", t, k ? "nested" : "top level",
				         (unsigned)c.size[k], (unsigned)want);
			th_event got;
			memcpy(&got, c.bytes[k], want);
			/* Only seq and size are stamped (ts_ns was set). */
			assert_int_equal(got.h.seq, bus_next_seq(b) - 2 + k);
			got.h.seq = ev.h.seq;
			got.h.size = ev.h.size;
			assert_memory_equal(&got, &ev, want);
		}
	}
	bus_destroy(b);
}

static void test_agent_msg_termination(void **state)
{
	(void)state;
	bus_t *b = new_bus();
	seen sn;
	memset(&sn, 0, sizeof sn);
	th_subscription s = { .topics = TH_TOPIC(TH_EV_AGENT_MSG) };
	assert_int_equal(bus_subscribe(b, NULL, &s, keep_copy, &sn, NULL), TH_OK);

	th_event ev = bt_typed(TH_EV_AGENT_MSG, 1);
	memset(ev.u.agent_msg.kind, 'k', sizeof ev.u.agent_msg.kind);       /* no NUL */
	memset(ev.u.agent_msg.text, 'x', sizeof ev.u.agent_msg.text);       /* no NUL */
	assert_int_equal(bus_publish(b, &ev), TH_OK);
	assert_int_equal(sn.n, 1);
	assert_int_equal(strlen(sn.copy.u.agent_msg.text), TH_AGENT_TEXT_MAX - 1);
	assert_int_equal(strlen(sn.copy.u.agent_msg.kind), sizeof ev.u.agent_msg.kind - 1);
	assert_int_equal(sn.copy.h.size, offsetof(th_event, u) + offsetof(th_agent_msg, text) + TH_AGENT_TEXT_MAX);

	/* A short text travels with only strlen + 1 bytes. */
	th_strlcpy(ev.u.agent_msg.kind, "chat", sizeof ev.u.agent_msg.kind);
	th_strlcpy(ev.u.agent_msg.text, "buy the dip", sizeof ev.u.agent_msg.text);
	assert_int_equal(bus_publish(b, &ev), TH_OK);
	assert_string_equal(sn.copy.u.agent_msg.text, "buy the dip");
	assert_string_equal(sn.copy.u.agent_msg.kind, "chat");
	assert_int_equal(sn.copy.h.size, offsetof(th_event, u) + offsetof(th_agent_msg, text) + 12);
	bus_destroy(b);
}

static void expect_invalid(bus_t *b, const th_event *ev, const char *needle)
{
	assert_int_equal(bus_publish(b, ev), TH_ERR_INVALID);
	const char *msg = bus_last_error(b);
	if (!strstr(msg, needle))
		fail_msg("error \"%s\" does not mention \"%s\"", msg, needle);
}

static void test_invalid_events(void **state)
{
	(void)state;
	bus_t *b = new_bus();
	bt_log log = { 0 };
	bt_rec r = { &log, 1 };
	th_subscription s = { .topics = TH_TOPIC_ALL };
	assert_int_equal(bus_subscribe(b, NULL, &s, bt_record, &r, NULL), TH_OK);

	th_event ev = bt_typed(TH_EV_TRADE, 1);
	ev.h.type = 0;
	expect_invalid(b, &ev, "type 0 is unknown");
	ev.h.type = TH_EV_TYPE_COUNT_;
	char first_free[64];
	snprintf(first_free, sizeof first_free, "type %d is unknown", TH_EV_TYPE_COUNT_);
	expect_invalid(b, &ev, first_free);
	ev.h.type = 0xFFFF;
	expect_invalid(b, &ev, "type 65535 is unknown");

	ev = bt_typed(TH_EV_BOOK, 1);
	ev.u.book.nbids = TH_BOOK_LEVELS_MAX + 1;
	expect_invalid(b, &ev, "nbids=51");
	ev.u.book.nbids = 0;
	ev.u.book.nasks = UINT32_MAX; /* would overflow nbids + nasks */
	expect_invalid(b, &ev, "nasks=4294967295");

	ev = bt_typed(TH_EV_CUSTOM, 1);
	ev.u.custom.len = TH_CUSTOM_MAX + 1;
	expect_invalid(b, &ev, "len=257");

	ev = bt_trade("sim", "BTC", "", 1);
	memset(ev.h.venue, 'v', sizeof ev.h.venue);
	expect_invalid(b, &ev, "'venue' is not NUL-terminated");
	ev = bt_trade("sim", "BTC", "", 1);
	memset(ev.h.symbol, 's', sizeof ev.h.symbol);
	expect_invalid(b, &ev, "'symbol' is not NUL-terminated");
	ev = bt_trade("sim", "BTC", "", 1);
	memset(ev.h.agent, 'a', sizeof ev.h.agent);
	expect_invalid(b, &ev, "'agent' is not NUL-terminated");

	assert_int_equal(bus_publish(b, NULL), TH_ERR_INVALID);
	assert_int_equal(bus_publish(NULL, &ev), TH_ERR_INVALID);

	/* Nothing was delivered and no seq was consumed. */
	assert_int_equal(log.n, 0);
	bus_stats st;
	bus_get_stats(b, &st);
	assert_int_equal(st.rejected_invalid, 10);
	assert_int_equal(st.published, 0);
	ev = bt_trade("sim", "BTC", "", 1);
	assert_int_equal(bus_publish(b, &ev), TH_OK);
	assert_int_equal(log.n, 1);
	assert_int_equal(log.seq[0], 1);
	bus_destroy(b);
}

static void nop_handler(void *arg, const th_event *ev)
{
	(void)arg;
	(void)ev;
}

static void test_invalid_subscriptions(void **state)
{
	(void)state;
	bus_t *b = new_bus();
	uint64_t id = 0;
	th_subscription s = { .topics = 0 };
	assert_int_equal(bus_subscribe(b, NULL, &s, nop_handler, NULL, &id), TH_ERR_INVALID);
	assert_non_null(strstr(bus_last_error(b), "select no known event type"));
	s.topics = 1u; /* bit 0 is not a type */
	assert_int_equal(bus_subscribe(b, NULL, &s, nop_handler, NULL, &id), TH_ERR_INVALID);
	s.topics = 1u << 20; /* a future type only */
	assert_int_equal(bus_subscribe(b, NULL, &s, nop_handler, NULL, &id), TH_ERR_INVALID);
	s.topics = TH_TOPIC(TH_EV_TRADE);
	assert_int_equal(bus_subscribe(b, NULL, &s, NULL, NULL, &id), TH_ERR_INVALID);
	assert_non_null(strstr(bus_last_error(b), "handler is NULL"));
	assert_int_equal(bus_subscribe(b, NULL, NULL, nop_handler, NULL, &id), TH_ERR_INVALID);
	s.venue = "a-venue-name-longer-than-15";
	assert_int_equal(bus_subscribe(b, NULL, &s, nop_handler, NULL, &id), TH_ERR_INVALID);
	assert_non_null(strstr(bus_last_error(b), "filter 'venue'"));
	s.venue = "exactly15chars!"; /* 15 chars + NUL fits TH_VENUE_MAX */
	assert_int_equal(bus_subscribe(b, NULL, &s, nop_handler, NULL, &id), TH_OK);
	assert_int_equal(id, 1);
	s.venue = NULL;
	s.symbol = "SYMBOL-NAME-OF-24-CHARS!"; /* 24 chars: one too many */
	assert_int_equal(bus_subscribe(b, NULL, &s, nop_handler, NULL, &id), TH_ERR_INVALID);
	assert_non_null(strstr(bus_last_error(b), "filter 'symbol'"));
	s.symbol = NULL;
	s.agent = "an-agent-name-that-is-32-chars-x";
	assert_int_equal(bus_subscribe(b, NULL, &s, nop_handler, NULL, &id), TH_ERR_INVALID);
	assert_non_null(strstr(bus_last_error(b), "filter 'agent'"));

	/* TH_TOPIC_ALL (with its future bits) is fine. */
	s = (th_subscription){ .topics = TH_TOPIC_ALL };
	assert_int_equal(bus_subscribe(b, NULL, &s, nop_handler, NULL, &id), TH_OK);
	assert_int_equal(id, 2);
	bus_stats st;
	bus_get_stats(b, &st);
	assert_int_equal(st.subscribers, 2);

	assert_int_equal(bus_unsubscribe(b, 77), TH_ERR_NOT_FOUND);
	assert_non_null(strstr(bus_last_error(b), "77"));
	assert_int_equal(bus_unsubscribe(b, 1), TH_OK);
	assert_int_equal(bus_unsubscribe(b, 1), TH_ERR_NOT_FOUND);
	assert_int_equal(bus_unsubscribe(b, 0), TH_ERR_NOT_FOUND);
	bus_get_stats(b, &st);
	assert_int_equal(st.subscribers, 1);
	bus_destroy(b);
}

static void test_unsubscribe_stops_delivery(void **state)
{
	(void)state;
	bus_t *b = new_bus();
	bt_log log = { 0 };
	bt_rec r1 = { &log, 1 }, r2 = { &log, 2 };
	th_subscription s = { .topics = TH_TOPIC(TH_EV_TRADE) | TH_TOPIC(TH_EV_FILL) };
	uint64_t id1, id2;
	assert_int_equal(bus_subscribe(b, NULL, &s, bt_record, &r1, &id1), TH_OK);
	assert_int_equal(bus_subscribe(b, NULL, &s, bt_record, &r2, &id2), TH_OK);
	assert_true(id2 > id1);
	th_event ev = bt_trade("sim", "X", "", 1);
	assert_int_equal(bus_publish(b, &ev), TH_OK);
	assert_int_equal(bus_unsubscribe(b, id1), TH_OK);
	assert_int_equal(bus_publish(b, &ev), TH_OK);
	th_event fill = bt_typed(TH_EV_FILL, 3);
	assert_int_equal(bus_publish(b, &fill), TH_OK);
	assert_int_equal(log.n, 4);
	assert_int_equal(log.tag[0], 1);
	assert_int_equal(log.tag[1], 2);
	assert_int_equal(log.tag[2], 2);
	assert_int_equal(log.tag[3], 2);
	assert_int_equal(log.type[3], TH_EV_FILL);
	bus_destroy(b);
}

static void test_create_options(void **state)
{
	(void)state;
	bus_t *b = bus_create(NULL);
	assert_non_null(b);
	bus_stats st;
	bus_get_stats(b, &st);
	assert_int_equal(st.queue_capacity, BUS_QUEUE_BYTES_DEFAULT);
	assert_null(bus_latency(b)); /* sampling off by default */
	assert_false(bus_dispatching(b));
	assert_string_equal(bus_last_error(b), "");
	bus_destroy(b);

	bus_options o = { .queue_bytes = 100 }; /* too small: rounded up */
	b = bus_create(&o);
	assert_non_null(b);
	bus_get_stats(b, &st);
	assert_true(st.queue_capacity >= bus_queue_min_bytes());
	assert_true(bus_queue_min_bytes() >= 2 * TH_EVENT_MAX_SIZE);
	assert_int_equal(st.queue_capacity % 64, 0);
	/* Two maximal events fit, so the largest event can always be published. */
	th_event bk = bt_typed(TH_EV_BOOK, 1);
	bk.u.book.nbids = TH_BOOK_LEVELS_MAX;
	bk.u.book.nasks = TH_BOOK_LEVELS_MAX;
	assert_int_equal(bus_publish(b, &bk), TH_OK);
	bus_destroy(b);
	bus_destroy(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_topics),
		cmocka_unit_test(test_stamping_clock_variable),
		cmocka_unit_test(test_publish_in_place),
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_stamping),
		cmocka_unit_test(test_sizes_every_type),
		cmocka_unit_test(test_agent_msg_termination),
		cmocka_unit_test(test_invalid_events),
		cmocka_unit_test(test_invalid_subscriptions),
		cmocka_unit_test(test_unsubscribe_stops_delivery),
		cmocka_unit_test(test_create_options),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
