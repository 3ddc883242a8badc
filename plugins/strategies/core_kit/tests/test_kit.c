/*
 * core_kit — unit tests of the shared strategy helpers: tick/lot rounding,
 * safe double -> price conversion, sizing from a notional, the instrument
 * from the host versus the config, the order book's matching of OMS answers
 * to intents (risk denial, rejection without a client order id, cancel
 * before the id is known), positions from fills, the bar history, reload
 * blobs, bar checks and the chart-pattern agents' tick/lot rule.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <tradehost/tradehost.h>

#include "fake_host.h"
#include "fake_portfolio.h"
#include "kit_bar.h"
#include "kit_blob.h"
#include "kit_fake_oms.h"
#include "kit_hist.h"
#include "kit_inst.h"
#include "kit_orders.h"
#include "kit_pos.h"

static const th_config_field schema[] = {
	KIT_SCHEMA_TICK_LOT,
	TH_CONFIG_END,
};

static kit_inst inst_2_4(void)
{
	kit_inst in;
	memset(&in, 0, sizeof in);
	in.tick_cfg = 500000000LL; /* 0.05 at 10 digits */
	in.lot_cfg = 1000000;              /* 0.0001 */
	char why[128];
	assert_int_equal(kit_inst_learn(&in, NULL, NULL, "sim", "X-Y", 2, 4, why, sizeof why), 0);
	return in;
}

static void test_rounding(void **state)
{
	(void)state;
	kit_inst in = inst_2_4();
	assert_int_equal(in.tick, 5);
	assert_int_equal(in.lot, 1);
	assert_int_equal(kit_price_round(&in, 10002, 0), 10000);
	assert_int_equal(kit_price_round(&in, 10003, 0), 10005);
	assert_int_equal(kit_price_round(&in, 10001, 1), 10005);
	assert_int_equal(kit_price_round(&in, 10004, -1), 10000);
	assert_int_equal(kit_price_round(&in, 2, -1), 5); /* never below one tick */
	th_price p;
	assert_int_equal(kit_price_from_double(&in, 100.026, 0, &p), 0);
	assert_int_equal(p, 10005);
	assert_int_equal(kit_price_from_double(&in, NAN, 0, &p), -1);
	assert_int_equal(kit_price_from_double(&in, INFINITY, 0, &p), -1);
	assert_int_equal(kit_price_from_double(&in, -1.0, 0, &p), -1);
	assert_int_equal(kit_price_from_double(&in, 1e30, 0, &p), -1);
	/* 1000 quote at 64000.00 with lot 0.0001: 0.0156 */
	th_qty q;
	assert_int_equal(kit_qty_for_notional(&in, 1000LL * 10000000000LL, 6400000, &q), 0);
	assert_int_equal(q, 156);
	assert_int_equal(kit_qty_for_notional(&in, 1000LL * 10000000000LL, 0, &q), -1);
	/* config decimals that the scale cannot hold */
	int64_t v;
	assert_int_equal(kit_cfg_to_scale(123, 2, &v), -1);
	assert_int_equal(kit_cfg_to_scale(1000000000000LL, 2, &v), 0);
	assert_int_equal(v, 10000);
	char why[128];
	kit_inst bad;
	memset(&bad, 0, sizeof bad);
	bad.tick_cfg = 1000000; /* 0.0001 */
	bad.lot_cfg = 1000000;
	assert_int_equal(kit_inst_learn(&bad, NULL, NULL, "sim", "X-Y", 2, 4, why, sizeof why), -1);
	assert_non_null(strstr(why, "tick"));
}

/* A host whose instrument table has X-Y on sim at scales 2/4. */
static void host_with_instrument(fake_host *h, fake_portfolio *pf, th_price tick, th_qty lot, th_qty min_qty)
{
	fake_host_init(h, "k", schema);
	memset(pf, 0, sizeof *pf);
	fake_portfolio_attach(h, pf);
	th_instrument *ins = &pf->instruments[pf->ninstruments++];
	memset(ins, 0, sizeof *ins);
	snprintf(ins->venue, sizeof ins->venue, "sim");
	snprintf(ins->symbol, sizeof ins->symbol, "X-Y");
	ins->price_scale = 2;
	ins->qty_scale = 4;
	ins->tick = tick;
	ins->lot = lot;
	ins->min_qty = min_qty;
}

static void test_instrument_from_host(void **state)
{
	(void)state;
	fake_host h;
	fake_portfolio pf;
	host_with_instrument(&h, &pf, 10, 100, 500);
	kit_inst in;
	assert_int_equal(kit_inst_config(&in, &h.api, fake_ctx(&h), "t"), TH_OK);
	char why[128];
	assert_int_equal(kit_inst_learn(&in, &h.api, fake_ctx(&h), "sim", "X-Y", 2, 4, why, sizeof why), 0);
	assert_true(in.from_host);
	assert_int_equal(in.tick, 10);
	assert_int_equal(in.lot, 100);
	th_qty q;
	assert_int_equal(kit_inst_qty(&in, 1234LL * 1000000, &q), 0); /* 0.1234 -> 0.12 */
	assert_int_equal(q, 1200);
	assert_int_equal(kit_inst_qty(&in, 400LL * 1000000, &q), -1); /* 0.04 < min 0.05 */
	/* another symbol: the config's tick/lot */
	kit_inst other;
	assert_int_equal(kit_inst_config(&other, &h.api, fake_ctx(&h), "t"), TH_OK);
	assert_int_equal(kit_inst_learn(&other, &h.api, fake_ctx(&h), "sim", "Z-Y", 2, 4, why, sizeof why), 0);
	assert_false(other.from_host);
	assert_int_equal(other.tick, 1);
	/* bad config */
	fake_config(&h, "tick", "\"0\"");
	assert_int_equal(kit_inst_config(&other, &h.api, fake_ctx(&h), "t"), TH_ERR_INVALID);
	assert_non_null(strstr(h.error, "t: key 'tick'"));
	fake_host_free(&h);
}

static th_order market(const char *sym, uint32_t side, th_qty q)
{
	th_order o;
	memset(&o, 0, sizeof o);
	snprintf(o.symbol, sizeof o.symbol, "%s", sym);
	o.side = side;
	o.type = TH_ORDER_MARKET;
	o.qty = q;
	o.price_scale = 2;
	o.qty_scale = 4;
	return o;
}

/* The book fed from the fake OMS's answers, through a recording subscription. */
typedef struct feed {
	kit_book book;
	kit_update ups[64];
	size_t n;
	fake_host *h;
} feed;

static void on_own(void *arg, const th_event *ev)
{
	feed *f = arg;
	kit_update up;
	if (kit_book_on_event(&f->book, &f->h->api, fake_ctx(f->h), ev, &up) != KIT_UP_NONE && f->n < 64)
		f->ups[f->n++] = up;
}

/* state: NULL = a host that names intents in order updates, non-NULL = one that does not */
static void test_book_matching(void **state)
{
	fake_host h;
	kit_fake_oms oms;
	static feed f;
	fake_host_init(&h, "agent", schema);
	kit_oms_init(&oms, &h, "sim");
	oms.no_intent_ids = *state != NULL;
	memset(&f, 0, sizeof f);
	f.h = &h;
	kit_book_init(&f.book);
	uint64_t id;
	th_subscription own = { .topics = TH_TOPIC(TH_EV_ORDER) | TH_TOPIC(TH_EV_FILL) | TH_TOPIC(TH_EV_RISK),
		.agent = "agent" };
	assert_int_equal(h.api.subscribe(fake_ctx(&h), &own, on_own, &f, &id), TH_OK);
	kit_oms_set_price(&oms, "X-Y", 10000);

	/* 1: denied by risk; 2: rejected by the OMS (no clid); 3: filled */
	th_order o = market("X-Y", TH_SIDE_BUY, 100);
	oms.deny_next = 1;
	assert_int_equal(kit_place(&f.book, &h.api, fake_ctx(&h), "sim", &o, 7, &id), TH_OK);
	assert_int_equal(id, 1);
	kit_oms_pump(&oms);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.ups[0].kind, KIT_UP_CLOSED);
	assert_int_equal(f.ups[0].state, TH_ORDER_REJECTED);
	assert_int_equal(f.ups[0].order.tag, 7);
	assert_non_null(strstr(f.ups[0].reason, "denied by risk limits"));
	assert_int_equal(kit_book_live(&f.book, "X-Y"), 0);

	oms.reject_next = 1;
	assert_int_equal(kit_place(&f.book, &h.api, fake_ctx(&h), "sim", &o, 8, NULL), TH_OK);
	kit_oms_pump(&oms);
	assert_int_equal(f.n, 2);
	assert_int_equal(f.ups[1].state, TH_ORDER_REJECTED);
	assert_int_equal(f.ups[1].order.tag, 8);
	assert_int_equal(kit_book_live(&f.book, ""), 0);

	assert_int_equal(kit_place(&f.book, &h.api, fake_ctx(&h), "sim", &o, 9, NULL), TH_OK);
	kit_oms_pump(&oms);
	/* OPEN (clid), FILL, CLOSED */
	assert_int_equal(f.n, 5);
	assert_int_equal(f.ups[2].kind, KIT_UP_OPEN);
	assert_string_equal(f.ups[2].order.clid, "c000001");
	assert_int_equal(f.ups[3].kind, KIT_UP_FILL);
	assert_int_equal(f.ups[3].qty, 100);
	assert_int_equal(f.ups[3].order.tag, 9);
	assert_int_equal(f.ups[4].kind, KIT_UP_CLOSED);
	assert_int_equal(f.ups[4].state, TH_ORDER_FILLED);

	/* a cancel asked before the OMS named the order goes out once it has */
	th_order lim = market("X-Y", TH_SIDE_SELL, 100);
	lim.type = TH_ORDER_LIMIT;
	lim.price = 20000;
	assert_int_equal(kit_place(&f.book, &h.api, fake_ctx(&h), "sim", &lim, 10, NULL), TH_OK);
	kit_order *w = kit_book_by_tag(&f.book, "X-Y", 10);
	assert_non_null(w);
	assert_int_equal(kit_cancel(&f.book, &h.api, fake_ctx(&h), "sim", w), TH_OK);
	assert_true(w->cancel_wanted);
	kit_oms_pump(&oms);
	assert_int_equal(oms.canceled, 1);
	assert_int_equal(kit_book_live(&f.book, ""), 0);
	assert_int_equal(f.ups[f.n - 1].state, TH_ORDER_CANCELED);
	/* a fill of an order this book never placed is reported as unknown */
	th_event ev;
	memset(&ev, 0, sizeof ev);
	th_event_init(&ev, TH_EV_FILL);
	ev.h.flags = TH_EVENT_FLAG_OMS;
	snprintf(ev.h.agent, sizeof ev.h.agent, "agent");
	snprintf(ev.h.symbol, sizeof ev.h.symbol, "X-Y");
	snprintf(ev.u.fill.client_order_id, sizeof ev.u.fill.client_order_id, "old1");
	ev.u.fill.qty = 5;
	ev.u.fill.side = TH_SIDE_SELL;
	kit_update up;
	assert_int_equal(kit_book_on_event(&f.book, &h.api, fake_ctx(&h), &ev, &up), KIT_UP_FILL);
	assert_false(up.known);
	/* events without the OMS flag are the venue's raw ones: ignored */
	ev.h.flags = 0;
	assert_int_equal(kit_book_on_event(&f.book, &h.api, fake_ctx(&h), &ev, &up), KIT_UP_NONE);
	fake_host_free(&h);
}

/* With intent ids from the host, an order the host made for the agent (a
 * de-leveraging order: intent id 0) never takes a waiting intent's place. */
static void test_host_orders_not_taken_for_intents(void **state)
{
	(void)state;
	fake_host h;
	static kit_book b;
	fake_host_init(&h, "agent", schema);
	kit_book_init(&b);
	th_order o = market("X-Y", TH_SIDE_SELL, 100);
	uint64_t first, second;
	assert_int_equal(kit_place(&b, &h.api, fake_ctx(&h), "sim", &o, 1, &first), TH_OK);
	assert_int_equal(kit_place(&b, &h.api, fake_ctx(&h), "sim", &o, 2, &second), TH_OK);
	th_event ev;
	memset(&ev, 0, sizeof ev);
	th_event_init(&ev, TH_EV_ORDER);
	ev.h.flags = TH_EVENT_FLAG_OMS;
	snprintf(ev.h.symbol, sizeof ev.h.symbol, "X-Y");
	snprintf(ev.u.order.client_order_id, sizeof ev.u.order.client_order_id, "th1");
	ev.u.order.state = TH_ORDER_SUBMITTED;
	ev.u.order.side = TH_SIDE_SELL;
	ev.u.order.intent_id = second; /* answers may name any intent, not only the oldest */
	kit_update up;
	assert_int_equal(kit_book_on_event(&b, &h.api, fake_ctx(&h), &ev, &up), KIT_UP_OPEN);
	assert_int_equal(up.order.tag, 2);
	snprintf(ev.u.order.client_order_id, sizeof ev.u.order.client_order_id, "host-made");
	ev.u.order.intent_id = 0;
	assert_int_equal(kit_book_on_event(&b, &h.api, fake_ctx(&h), &ev, &up), KIT_UP_NONE);
	assert_false(up.known);
	kit_order *w = kit_book_by_tag(&b, "X-Y", 1);
	assert_non_null(w);
	assert_string_equal(w->clid, ""); /* still waiting for its own answer */
	fake_host_free(&h);
}

/* An intent nobody answers is forgotten after 3 bars, with an explanation;
 * an order the OMS acknowledged is never dropped. */
static void test_unanswered_intents_expire(void **state)
{
	(void)state;
	fake_host h;
	static kit_book b;
	fake_host_init(&h, "agent", schema);
	kit_book_init(&b);
	th_order o = market("X-Y", TH_SIDE_BUY, 100);
	assert_int_equal(kit_place(&b, &h.api, fake_ctx(&h), "sim", &o, 1, NULL), TH_OK);
	assert_int_equal(kit_place(&b, &h.api, fake_ctx(&h), "sim", &o, 2, NULL), TH_OK);
	b.o[1].state = TH_ORDER_ACCEPTED; /* the second was acknowledged */
	snprintf(b.o[1].clid, sizeof b.o[1].clid, "c1");
	int64_t bar = 60000000000LL;
	fake_advance_to(&h, h.now_ns + 3 * bar);
	kit_book_sweep(&b, &h.api, fake_ctx(&h), "X-Y", bar);
	assert_int_equal(kit_book_live(&b, "X-Y"), 2); /* not older than 3 bars yet */
	fake_advance_to(&h, h.now_ns + 1);
	kit_book_sweep(&b, &h.api, fake_ctx(&h), "X-Y", bar);
	assert_int_equal(kit_book_live(&b, "X-Y"), 1);
	assert_non_null(kit_book_by_tag(&b, "X-Y", 2));
	assert_int_equal(fake_count(&h, TH_EV_AGENT_MSG), 1);
	assert_non_null(strstr(fake_event(&h, TH_EV_AGENT_MSG, 0)->u.agent_msg.text, "never answered"));
	fake_host_free(&h);
}

static void test_positions(void **state)
{
	(void)state;
	kit_pos p = { 0, 0 };
	kit_pos_apply(&p, TH_SIDE_BUY, 10000, 100);
	kit_pos_apply(&p, TH_SIDE_BUY, 11000, 100);
	assert_int_equal(p.qty, 200);
	assert_int_equal(p.avg, 10500);
	kit_pos_apply(&p, TH_SIDE_SELL, 12000, 50);
	assert_int_equal(p.qty, 150);
	assert_int_equal(p.avg, 10500); /* reducing keeps the average */
	kit_pos_apply(&p, TH_SIDE_SELL, 9000, 250); /* flip to short 100 at 9000 */
	assert_int_equal(p.qty, -100);
	assert_int_equal(p.avg, 9000);
	kit_pos_apply(&p, TH_SIDE_BUY, 9500, 100);
	assert_int_equal(p.qty, 0);
	assert_int_equal(p.avg, 0);
}

static void test_history_and_blob(void **state)
{
	(void)state;
	static kit_hist h;
	kit_hist_init(&h);
	th_bar b;
	memset(&b, 0, sizeof b);
	b.price_scale = 2;
	b.qty_scale = 4;
	for (int i = 0; i < (int)KIT_HIST_CAP + 10; i++) {
		b.close = 1000 + i;
		kit_hist_push(&h, &b);
	}
	assert_int_equal(h.count, KIT_HIST_CAP);
	assert_int_equal(h.total, KIT_HIST_CAP + 10);
	assert_int_equal(kit_hist_back(&h, 0)->close, 1000 + KIT_HIST_CAP + 9);
	assert_int_equal(kit_hist_at(&h, 0)->close, 1010);
	assert_null(kit_hist_back(&h, KIT_HIST_CAP));

	fake_host fh;
	fake_host_init(&fh, "k", schema);
	void *blob;
	size_t len;
	int payload[4] = { 1, 2, 3, 4 };
	char why[128];
	assert_int_equal(kit_blob_export(&fh.api, fake_ctx(&fh), "TEST", 3, payload, sizeof payload, &blob, &len), TH_OK);
	const int *back = kit_blob_payload(blob, len, "TEST", 3, sizeof payload, why, sizeof why);
	assert_non_null(back);
	assert_int_equal(back[3], 4);
	assert_null(kit_blob_payload(blob, len, "TEST", 4, sizeof payload, why, sizeof why));
	assert_non_null(strstr(why, "version 3"));
	assert_null(kit_blob_payload(blob, len, "OTHER", 3, sizeof payload, why, sizeof why));
	assert_null(kit_blob_payload(blob, len - 1, "TEST", 3, sizeof payload, why, sizeof why));
	assert_null(kit_blob_payload(blob, 4, "TEST", 3, sizeof payload, why, sizeof why));
	fh.api.free(fake_ctx(&fh), blob);
	assert_int_equal(fh.live_allocs, 0);
	fake_host_free(&fh);
}

/* The pattern agents' rule: a configured step wins (one unit if finer than
 * the scale), 0 asks the venue, else one unit; quantities are floored. */
static void test_steps_config_first(void **state)
{
	(void)state;
	fake_host h;
	fake_portfolio pf;
	host_with_instrument(&h, &pf, 5, 100, 500);
	kit_inst in;
	fake_config(&h, "tick", "\"0\"");
	fake_config(&h, "lot", "\"0\"");
	assert_int_equal(kit_inst_config(&in, &h.api, fake_ctx(&h), "t"), TH_ERR_INVALID); /* 0 is not a tick here */
	assert_int_equal(kit_inst_config_steps(&in, &h.api, fake_ctx(&h), "t"), TH_OK);
	kit_inst_learn_steps(&in, &h.api, fake_ctx(&h), "sim", "X-Y", 2, 4);
	assert_true(in.from_host);
	assert_int_equal(in.tick, 5);
	assert_int_equal(in.lot, 100);
	assert_int_equal(in.min_qty, 500);
	th_qty q;
	assert_int_equal(kit_inst_qty_down(&in, 123456LL * 10000, &q), 0); /* 0.123456 -> 0.12 */
	assert_int_equal(q, 1200);
	assert_int_equal(kit_inst_qty_down(&in, 4LL * 100000000, &q), -1); /* 0.04 < min 0.05 */
	/* the venue knows nothing of Z-Y: one unit of each scale */
	assert_int_equal(kit_inst_config_steps(&in, &h.api, fake_ctx(&h), "t"), TH_OK);
	kit_inst_learn_steps(&in, &h.api, fake_ctx(&h), "sim", "Z-Y", 2, 4);
	assert_false(in.from_host);
	assert_int_equal(in.tick, 1);
	assert_int_equal(in.lot, 1);
	/* a configured step wins over the venue's; finer than the scale = one unit */
	fake_config(&h, "tick", "\"0.25\"");
	fake_config(&h, "lot", "\"0.00001\"");
	assert_int_equal(kit_inst_config_steps(&in, &h.api, fake_ctx(&h), "t"), TH_OK);
	kit_inst_learn_steps(&in, &h.api, fake_ctx(&h), "sim", "X-Y", 2, 4);
	assert_int_equal(in.tick, 25);
	assert_int_equal(in.lot, 1);
	assert_int_equal(in.min_qty, 500);
	fake_config(&h, "tick", "\"-1\"");
	assert_int_equal(kit_inst_config_steps(&in, &h.api, fake_ctx(&h), "t"), TH_ERR_INVALID);
	assert_non_null(strstr(h.error, "t: key 'tick': must be 0 or more"));
	int64_t m;
	assert_int_equal(kit_mantissa_from_double(123.456, 2, &m), 0);
	assert_int_equal(m, 12346);
	assert_int_equal(kit_mantissa_from_double(-1.5, 0, &m), 0); /* levels may be negative (offsets) */
	assert_int_equal(m, -2);
	assert_int_equal(kit_mantissa_from_double(NAN, 2, &m), -1);
	assert_int_equal(kit_mantissa_from_double(1e300, 2, &m), -1);
	assert_int_equal(kit_mantissa_from_double(1.0, 19, &m), -1);
	fake_host_free(&h);
}

static void test_bar_problems(void **state)
{
	(void)state;
	th_bar b;
	memset(&b, 0, sizeof b);
	b.price_scale = 2;
	b.qty_scale = 4;
	b.open = 100;
	b.high = 110;
	b.low = 90;
	b.close = 105;
	b.volume = 1;
	assert_null(kit_bar_problem(&b, -1, -1));
	assert_null(kit_bar_problem(&b, 2, 4));
	assert_non_null(strstr(kit_bar_problem(&b, 3, 4), "scales differ"));
	b.close = 111;
	assert_non_null(strstr(kit_bar_problem(&b, 2, 4), "inconsistent OHLC"));
	b.close = 105;
	b.low = 0;
	assert_non_null(strstr(kit_bar_problem(&b, 2, 4), "inconsistent OHLC"));
	b.low = 90;
	b.volume = -1;
	assert_non_null(strstr(kit_bar_problem(&b, 2, 4), "negative volume"));
	b.volume = 0;
	b.price_scale = 19;
	assert_non_null(strstr(kit_bar_problem(&b, -1, -1), "scale outside"));
}

static void test_blob_parts(void **state)
{
	(void)state;
	fake_host fh;
	fake_host_init(&fh, "k", schema);
	int64_t a = 7, b[2] = { 8, 9 };
	const kit_blob_part parts[2] = { { &a, sizeof a }, { b, sizeof b } };
	void *blob;
	size_t len;
	char why[128];
	assert_int_equal(kit_blob_export_parts(&fh.api, fake_ctx(&fh), "PARTS", 1, parts, 2, &blob, &len), TH_OK);
	const int64_t *back = kit_blob_payload(blob, len, "PARTS", 1, sizeof a + sizeof b, why, sizeof why);
	assert_non_null(back);
	assert_int_equal(back[0], 7);
	assert_int_equal(back[2], 9);
	assert_null(kit_blob_payload(blob, len, "PARTS", 1, sizeof a, why, sizeof why));
	assert_non_null(strstr(why, "state size"));
	fh.api.free(fake_ctx(&fh), blob);
	fake_host_free(&fh);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rounding),
		cmocka_unit_test(test_instrument_from_host),
		cmocka_unit_test_prestate(test_book_matching, NULL),
		cmocka_unit_test_prestate(test_book_matching, (void *)"legacy"),
		cmocka_unit_test(test_host_orders_not_taken_for_intents),
		cmocka_unit_test(test_unanswered_intents_expire),
		cmocka_unit_test(test_positions),
		cmocka_unit_test(test_history_and_blob),
		cmocka_unit_test(test_steps_config_first),
		cmocka_unit_test(test_bar_problems),
		cmocka_unit_test(test_blob_parts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
