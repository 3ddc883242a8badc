/*
 * sim plugin — tests through the plugin descriptor against a fake host:
 * configuration (good and bad), latency on the host clock, events on the
 * bus, market subscription, query/ABSENT, back-pressure, persistence across
 * a "restart" and export/import.
 *
 * Default instrument scales: price_scale 2, qty_scale 6 (1 BTC = 1000000).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <tradehost/tradehost.h>

#include "fake_host.h"
#include "sim_fifo.h"

#define MS 1000000LL
#define BTC 1000000LL

static const th_plugin_desc *desc(void)
{
	return TH_ENTRY_NAME();
}

static const th_exchange_api *xapi(void)
{
	return desc()->kind_api;
}

static void host_setup(fake_host *h, const char *name)
{
	fake_host_init(h, name, desc()->config_schema);
	fake_config(h, "symbols", "[\"BTC-USDT\", \"ETH-USDT\"]");
}

static void *create_ok(fake_host *h)
{
	void *inst = NULL;
	int rc = desc()->create(&h->api, fake_ctx(h), &inst);
	if (rc != TH_OK)
		fail_msg("create failed (%d): %s", rc, h->error);
	assert_non_null(inst);
	return inst;
}

static void *start_ok(fake_host *h)
{
	void *inst = create_ok(h);
	assert_int_equal(desc()->start(inst), TH_OK);
	return inst;
}

static void finish(fake_host *h, void *inst)
{
	assert_int_equal(desc()->stop(inst), TH_OK);
	desc()->destroy(inst);
	assert_int_equal(h->live_allocs, 0); /* everything the instance allocated came back */
}

static th_order order(const char *clid, uint32_t side, uint32_t type, th_price price, th_qty qty)
{
	th_order o;
	memset(&o, 0, sizeof o);
	snprintf(o.client_order_id, sizeof o.client_order_id, "%s", clid);
	snprintf(o.symbol, sizeof o.symbol, "BTC-USDT");
	o.side = side;
	o.type = type;
	o.tif = TH_TIF_GTC;
	o.price = price;
	o.qty = qty;
	o.price_scale = 2;
	o.qty_scale = 6;
	return o;
}

static void deliver_quote(fake_host *h, const char *venue, th_price bid, th_price ask)
{
	th_event ev;
	memset(&ev, 0, sizeof ev);
	th_event_init(&ev, TH_EV_QUOTE);
	snprintf(ev.h.venue, sizeof ev.h.venue, "%s", venue);
	snprintf(ev.h.symbol, sizeof ev.h.symbol, "BTC-USDT");
	ev.u.quote.bid = bid;
	ev.u.quote.ask = ask;
	ev.u.quote.bid_qty = 5 * BTC;
	ev.u.quote.ask_qty = 5 * BTC;
	ev.u.quote.price_scale = 2;
	ev.u.quote.qty_scale = 6;
	fake_deliver(h, &ev);
}

static void deliver_trade(fake_host *h, const char *venue, th_price px, th_qty qty)
{
	th_event ev;
	memset(&ev, 0, sizeof ev);
	th_event_init(&ev, TH_EV_TRADE);
	snprintf(ev.h.venue, sizeof ev.h.venue, "%s", venue);
	snprintf(ev.h.symbol, sizeof ev.h.symbol, "BTC-USDT");
	ev.u.trade.price = px;
	ev.u.trade.qty = qty;
	ev.u.trade.price_scale = 2;
	ev.u.trade.qty_scale = 6;
	fake_deliver(h, &ev);
}

static void test_descriptor(void **state)
{
	(void)state;
	const th_plugin_desc *d = desc();
	assert_int_equal(d->abi_major, TH_ABI_MAJOR);
	assert_int_equal(d->struct_size, sizeof(th_plugin_desc));
	assert_int_equal(d->kind, TH_KIND_EXCHANGE);
	assert_string_equal(d->name, "sim");
	assert_non_null(d->export_state);
	assert_non_null(d->import_state);
	assert_int_equal(xapi()->struct_size, sizeof(th_exchange_api));
	/* Only `symbols` is required; every other key has a default. */
	size_t required = 0, keys = 0;
	for (const th_config_field *f = d->config_schema; f->key; f++, keys++)
		if (f->required) {
			required++;
			assert_string_equal(f->key, "symbols");
		} else {
			assert_non_null(f->default_value);
		}
	assert_int_equal(required, 1);
	assert_true(keys >= 15);
}

static void test_create_with_defaults(void **state)
{
	(void)state;
	fake_host h;
	host_setup(&h, "paper");
	void *inst = create_ok(&h);
	const th_instrument *in;
	size_t n;
	assert_int_equal(xapi()->instruments(inst, &in, &n), TH_OK);
	assert_int_equal(n, 2);
	assert_string_equal(in[0].venue, "paper");
	assert_string_equal(in[0].symbol, "BTC-USDT");
	assert_string_equal(in[0].base, "BTC");
	assert_string_equal(in[0].quote, "USDT");
	assert_string_equal(in[1].base, "ETH");
	assert_int_equal(in[0].price_scale, 2);
	assert_int_equal(in[0].qty_scale, 6);
	assert_int_equal(in[0].tick, 1);
	assert_int_equal(in[0].lot, 1);
	assert_int_equal(in[0].min_qty, 1); /* 0 = one lot */
	assert_int_equal(in[0].min_notional, 0);
	assert_int_equal(desc()->start(inst), TH_OK);
	assert_int_equal(fake_live_subs(&h), 1);
	assert_int_equal(h.subs[0].topics, TH_TOPIC(TH_EV_TRADE) | TH_TOPIC(TH_EV_QUOTE) | TH_TOPIC(TH_EV_BAR));
	assert_string_equal(h.subs[0].venue, "paper"); /* market_venue defaults to the instance name */
	finish(&h, inst);
	assert_int_equal(fake_live_subs(&h), 0);
	fake_host_free(&h);
}

static void expect_bad_config(const char *name, const char *key, const char *literal, const char *needle)
{
	fake_host h;
	fake_host_init(&h, name, desc()->config_schema);
	if (strcmp(key, "symbols") != 0)
		fake_config(&h, "symbols", "[\"BTC-USDT\"]");
	if (literal)
		fake_config(&h, key, literal);
	void *inst = (void *)&h;
	int rc = desc()->create(&h.api, fake_ctx(&h), &inst);
	if (rc >= 0)
		fail_msg("%s = %s was accepted", key, literal ? literal : "(missing)");
	assert_null(inst);
	if (!strstr(h.error, needle))
		fail_msg("error for %s = %s is '%s', expected it to mention '%s'", key, literal ? literal : "(missing)",
		         h.error, needle);
	assert_int_equal(h.live_allocs, 0);
	fake_host_free(&h);
}

static void test_create_refuses_bad_config(void **state)
{
	(void)state;
	expect_bad_config("sim", "symbols", NULL, "'symbols'");
	expect_bad_config("sim", "symbols", "[]", "at least one");
	expect_bad_config("sim", "symbols", "[\"BTCUSDT\"]", "BASE-QUOTE");
	expect_bad_config("sim", "symbols", "[\"BTC-USDT\", \"BTC-USDT\"]", "listed twice");
	expect_bad_config("sim", "symbols", "[\"BTC-US DT\"]", "'symbols'");
	expect_bad_config("sim", "tick", "\"0.001\"", "'tick'");
	expect_bad_config("sim", "tick", "\"0\"", "'tick'");
	expect_bad_config("sim", "lot", "\"-1\"", "'lot'");
	expect_bad_config("sim", "min_qty", "\"0.0000001\"", "'min_qty'");
	expect_bad_config("sim", "min_notional", "\"-5\"", "'min_notional'");
	expect_bad_config("sim", "price_scale", "19", "'price_scale'");
	expect_bad_config("sim", "qty_scale", "-1", "'qty_scale'");
	expect_bad_config("sim", "participation", "1.5", "'participation'");
	expect_bad_config("sim", "maker_fee_bps", "\"2000\"", "'maker_fee_bps'");
	expect_bad_config("sim", "taker_fee_bps", "\"0.00001\"", "'taker_fee_bps'"); /* 5 decimals */
	expect_bad_config("sim", "slippage_bps", "\"-1\"", "'slippage_bps'");
	expect_bad_config("sim", "latency_ms", "-5", "'latency_ms'");
	expect_bad_config("sim", "retain_closed", "-1", "'retain_closed'");
	expect_bad_config("sim", "respect_quote_size", "\"yes\"", "'respect_quote_size'");
	expect_bad_config("sim", "market_venue", "\"a-much-too-long-venue\"", "'market_venue'");
	expect_bad_config("an-instance-name-too-long", "tick", NULL, "instance name");

	/* min_qty must be a multiple of lot. */
	fake_host h;
	host_setup(&h, "sim");
	fake_config(&h, "lot", "\"0.000002\"");
	fake_config(&h, "min_qty", "\"0.000003\"");
	void *inst = NULL;
	assert_true(desc()->create(&h.api, fake_ctx(&h), &inst) < 0);
	assert_non_null(strstr(h.error, "multiple of lot"));
	assert_int_equal(h.live_allocs, 0);
	fake_host_free(&h);
}

static void test_submit_events_after_latency(void **state)
{
	(void)state;
	fake_host h;
	host_setup(&h, "sim");
	fake_config(&h, "latency_ms", "50");
	void *inst = start_ok(&h);
	int64_t t0 = h.now_ns;
	deliver_quote(&h, "sim", 10000, 10001);
	th_order o = order("A1", TH_SIDE_BUY, TH_ORDER_MARKET, 0, BTC / 2);
	assert_int_equal(xapi()->submit(inst, &o), TH_OK);
	assert_int_equal(h.nevents, 0);
	fake_advance_to(&h, t0 + 49 * MS);
	assert_int_equal(h.nevents, 0);
	fake_advance_to(&h, t0 + 50 * MS); /* reaches the engine; reports still travelling */
	assert_int_equal(h.nevents, 0);
	fake_advance_to(&h, t0 + 99 * MS);
	assert_int_equal(h.nevents, 0);
	fake_advance_to(&h, t0 + 100 * MS);
	assert_int_equal(h.nevents, 3); /* ACCEPTED, FILL, FILLED */
	const th_event *acc = fake_event(&h, TH_EV_ORDER, 0);
	assert_int_equal(acc->u.order.state, TH_ORDER_ACCEPTED);
	assert_string_equal(acc->h.venue, "sim");
	assert_string_equal(acc->h.symbol, "BTC-USDT");
	assert_int_equal(acc->h.ts_ns, t0 + 100 * MS);
	const th_event *fill = fake_event(&h, TH_EV_FILL, 0);
	assert_non_null(fill);
	assert_int_equal(fill->u.fill.price, 10001);
	assert_int_equal(fill->u.fill.qty, BTC / 2);
	assert_int_equal(fill->u.fill.liquidity, TH_LIQ_TAKER);
	/* default taker fee 10 bp of 50.005 USDT = 0.050005 USDT */
	assert_int_equal(fill->u.fill.fee, 5000500);
	assert_string_equal(fill->u.fill.fee_asset, "USDT");
	assert_int_equal(fake_last_order(&h, "A1")->u.order.state, TH_ORDER_FILLED);
	assert_true(fake_event(&h, TH_EV_FILL, 0) < fake_last_order(&h, "A1"));
	assert_int_equal(fake_pending_timers(&h), 0);

	/* A cancel sent right after a submit arrives after it (one latency each way). */
	fake_clear_events(&h);
	th_order l = order("L1", TH_SIDE_BUY, TH_ORDER_LIMIT, 9000, BTC);
	assert_int_equal(xapi()->submit(inst, &l), TH_OK);
	h.now_ns += MS;
	assert_int_equal(xapi()->cancel(inst, "L1"), TH_OK);
	fake_advance_to(&h, h.now_ns + 49 * MS); /* L1 rests at the venue; the cancel is 1 ms behind */
	assert_int_equal(fake_metric(&h, "sim_open_orders"), 1);
	fake_advance_to(&h, h.now_ns + 200 * MS);
	assert_int_equal(fake_count(&h, TH_EV_ORDER), 2);
	assert_int_equal(fake_event(&h, TH_EV_ORDER, 0)->u.order.state, TH_ORDER_ACCEPTED);
	assert_int_equal(fake_event(&h, TH_EV_ORDER, 1)->u.order.state, TH_ORDER_CANCELED);
	assert_int_equal(fake_metric(&h, "sim_fills_total"), 1);
	assert_int_equal(fake_metric(&h, "sim_orders_accepted_total"), 2);
	assert_int_equal(fake_metric(&h, "sim_open_orders"), 0);
	finish(&h, inst);
	fake_host_free(&h);
}

static void test_latency_zero_publishes_from_submit(void **state)
{
	(void)state;
	fake_host h;
	host_setup(&h, "sim");
	void *inst = start_ok(&h);
	th_order o = order("Z1", TH_SIDE_SELL, TH_ORDER_LIMIT, 10000, BTC);
	assert_int_equal(xapi()->submit(inst, &o), TH_OK);
	assert_int_equal(h.nevents, 1);
	assert_int_equal(h.events[0].u.order.state, TH_ORDER_ACCEPTED);
	th_order bad = order("Z2", TH_SIDE_SELL, TH_ORDER_LIMIT, 10000, 0);
	assert_int_equal(xapi()->submit(inst, &bad), TH_OK); /* taken; the answer is an event */
	assert_int_equal(fake_last_order(&h, "Z2")->u.order.state, TH_ORDER_REJECTED);
	assert_int_equal(fake_metric(&h, "sim_orders_rejected_total"), 1);
	finish(&h, inst);
	fake_host_free(&h);
}

static void test_market_venue_filter(void **state)
{
	(void)state;
	fake_host h;
	host_setup(&h, "simx");
	fake_config(&h, "market_venue", "\"feed\"");
	void *inst = start_ok(&h);
	th_order o = order("M1", TH_SIDE_BUY, TH_ORDER_LIMIT, 10000, BTC);
	assert_int_equal(xapi()->submit(inst, &o), TH_OK);
	deliver_trade(&h, "simx", 9900, BTC); /* not the configured market */
	assert_int_equal(fake_count(&h, TH_EV_FILL), 0);
	deliver_trade(&h, "feed", 9900, BTC);
	assert_int_equal(fake_count(&h, TH_EV_FILL), 1);
	const th_event *f = fake_event(&h, TH_EV_FILL, 0);
	assert_string_equal(f->h.venue, "simx"); /* reports carry the venue's own name */
	assert_int_equal(f->u.fill.price, 10000);
	finish(&h, inst);
	fake_host_free(&h);
}

static void test_query_and_absent(void **state)
{
	(void)state;
	fake_host h;
	host_setup(&h, "sim");
	void *inst = start_ok(&h);
	assert_int_equal(xapi()->query(inst, "unknown-1"), TH_OK);
	const th_event *ev = fake_last_order(&h, "unknown-1");
	assert_non_null(ev);
	assert_int_equal(ev->u.order.state, TH_ORDER_ABSENT);
	assert_string_equal(ev->h.venue, "sim");

	char longid[64];
	memset(longid, 'x', sizeof longid - 1);
	longid[sizeof longid - 1] = '\0';
	assert_int_equal(xapi()->query(inst, longid), TH_ERR_INVALID);
	assert_non_null(strstr(h.error, "client order id"));
	assert_int_equal(xapi()->submit(inst, NULL), TH_ERR_INVALID);
	th_order raw = order("x", TH_SIDE_BUY, TH_ORDER_LIMIT, 10000, BTC);
	memset(raw.client_order_id, 'A', sizeof raw.client_order_id);
	assert_int_equal(xapi()->submit(inst, &raw), TH_ERR_INVALID);
	assert_non_null(strstr(h.error, "NUL-terminated"));

	th_order o = order("Q1", TH_SIDE_BUY, TH_ORDER_LIMIT, 10000, 2 * BTC);
	xapi()->submit(inst, &o);
	deliver_trade(&h, "sim", 10000, BTC);
	fake_clear_events(&h);
	assert_int_equal(xapi()->query(inst, "Q1"), TH_OK);
	assert_int_equal(fake_count(&h, TH_EV_FILL), 1);
	assert_int_equal(fake_last_order(&h, "Q1")->u.order.state, TH_ORDER_PARTIALLY_FILLED);
	finish(&h, inst);
	fake_host_free(&h);
}

static void test_publish_backpressure_retries(void **state)
{
	(void)state;
	fake_host h;
	host_setup(&h, "sim");
	void *inst = start_ok(&h);
	deliver_quote(&h, "sim", 10000, 10001);
	h.publish_failures = 2;
	th_order o = order("B1", TH_SIDE_BUY, TH_ORDER_MARKET, 0, BTC);
	assert_int_equal(xapi()->submit(inst, &o), TH_OK);
	assert_int_equal(h.nevents, 0);
	assert_int_equal(fake_pending_timers(&h), 1);
	fake_advance_to(&h, h.now_ns + 1 * MS); /* second failure, rescheduled */
	assert_int_equal(h.nevents, 0);
	fake_advance_to(&h, h.now_ns + 1 * MS);
	assert_int_equal(h.nevents, 3); /* nothing lost, order kept */
	assert_int_equal(h.events[0].u.order.state, TH_ORDER_ACCEPTED);
	assert_int_equal(h.events[1].h.type, TH_EV_FILL);
	assert_int_equal(h.events[2].u.order.state, TH_ORDER_FILLED);
	finish(&h, inst);
	fake_host_free(&h);
}

static void test_stop_is_idempotent(void **state)
{
	(void)state;
	fake_host h;
	host_setup(&h, "sim");
	fake_config(&h, "latency_ms", "5");
	void *inst = start_ok(&h);
	th_order o = order("S1", TH_SIDE_BUY, TH_ORDER_LIMIT, 10000, BTC);
	assert_int_equal(xapi()->submit(inst, &o), TH_OK); /* in flight at stop */
	assert_int_equal(desc()->stop(inst), TH_OK);
	assert_int_equal(desc()->stop(inst), TH_OK);
	assert_int_equal(fake_live_subs(&h), 0);
	assert_int_equal(fake_pending_timers(&h), 0);
	assert_int_equal(xapi()->submit(inst, &o), TH_ERR_STATE);
	desc()->destroy(inst);
	assert_int_equal(h.live_allocs, 0);
	fake_host_free(&h);
}

/* persist = true: destroy and create again on the same state store; the
 * venue's orders, fills and positions are exactly as they were. */
static void test_persist_restart_restores_orders(void **state)
{
	(void)state;
	fake_host h;
	host_setup(&h, "sim");
	fake_config(&h, "persist", "true");
	void *inst = start_ok(&h);
	deliver_quote(&h, "sim", 9999, 10001);
	th_order r = order("R", TH_SIDE_BUY, TH_ORDER_LIMIT, 9900, BTC);
	th_order p = order("P", TH_SIDE_BUY, TH_ORDER_LIMIT, 10000, 2 * BTC);
	assert_int_equal(xapi()->submit(inst, &r), TH_OK);
	assert_int_equal(xapi()->submit(inst, &p), TH_OK);
	deliver_trade(&h, "sim", 10000, BTC);
	assert_int_equal(fake_last_order(&h, "P")->u.order.state, TH_ORDER_PARTIALLY_FILLED);
	char trade1[TH_VENUE_ID_MAX], venue_r[TH_VENUE_ID_MAX];
	snprintf(trade1, sizeof trade1, "%s", fake_event(&h, TH_EV_FILL, 0)->u.fill.venue_trade_id);
	snprintf(venue_r, sizeof venue_r, "%s", fake_last_order(&h, "R")->u.order.venue_order_id);
	assert_true(h.state_puts >= 3);
	/* "SIGKILL": no stop, nothing flushed; the process's subscriptions and
	 * timers vanish with it (destroy here only returns the test's memory). */
	desc()->destroy(inst);
	fake_kill(&h);
	assert_int_equal(h.live_allocs, 0);

	h.now_ns += 3600 * 1000 * MS; /* a later session: ids must not restart */
	fake_clear_events(&h);
	inst = start_ok(&h);
	assert_int_equal(xapi()->query(inst, "R"), TH_OK);
	assert_int_equal(fake_last_order(&h, "R")->u.order.state, TH_ORDER_ACCEPTED);
	assert_string_equal(fake_last_order(&h, "R")->u.order.venue_order_id, venue_r);
	assert_int_equal(xapi()->query(inst, "P"), TH_OK);
	assert_int_equal(fake_count(&h, TH_EV_FILL), 1);
	assert_string_equal(fake_event(&h, TH_EV_FILL, 0)->u.fill.venue_trade_id, trade1);
	assert_int_equal(fake_last_order(&h, "P")->u.order.filled_qty, BTC);

	/* A resend of a restored order is answered, not doubled, and counted durably. */
	char dups[32];
	size_t dlen = 0;
	assert_int_equal(h.api.state_get(fake_ctx(&h), "sim.duplicates", dups, sizeof dups, &dlen), TH_ERR_NOT_FOUND);
	fake_clear_events(&h);
	assert_int_equal(xapi()->submit(inst, &r), TH_OK);
	assert_int_equal(fake_count(&h, TH_EV_ORDER), 1);
	assert_non_null(strstr(fake_last_order(&h, "R")->u.order.reason, "duplicate"));
	assert_int_equal(h.api.state_get(fake_ctx(&h), "sim.duplicates", dups, sizeof dups, &dlen), TH_OK);
	assert_int_equal(dlen, 1);
	assert_memory_equal(dups, "1", 1);

	/* The restored book keeps matching, with fresh trade ids. */
	fake_clear_events(&h);
	deliver_trade(&h, "sim", 9900, 5 * BTC);
	assert_int_equal(fake_last_order(&h, "P")->u.order.state, TH_ORDER_FILLED);
	assert_int_equal(fake_last_order(&h, "R")->u.order.state, TH_ORDER_FILLED);
	for (size_t k = 0; k < fake_count(&h, TH_EV_FILL); k++)
		assert_string_not_equal(fake_event(&h, TH_EV_FILL, k)->u.fill.venue_trade_id, trade1);
	finish(&h, inst);

	/* And the positions survived the restart too: a reduce-only sell of 3 BTC fits. */
	inst = start_ok(&h);
	deliver_quote(&h, "sim", 9999, 10001);
	th_order ro = order("RO", TH_SIDE_SELL, TH_ORDER_MARKET, 0, 3 * BTC);
	ro.flags = TH_ORDER_REDUCE_ONLY;
	assert_int_equal(xapi()->submit(inst, &ro), TH_OK);
	assert_int_equal(fake_last_order(&h, "RO")->u.order.state, TH_ORDER_FILLED);
	/* The duplicate count continues from the earlier run's. */
	assert_int_equal(xapi()->submit(inst, &p), TH_OK);
	assert_int_equal(h.api.state_get(fake_ctx(&h), "sim.duplicates", dups, sizeof dups, &dlen), TH_OK);
	assert_int_equal(dlen, 1);
	assert_memory_equal(dups, "2", 1);
	finish(&h, inst);
	fake_host_free(&h);
}

static void test_persist_refuses_corrupt_state(void **state)
{
	(void)state;
	fake_host h;
	host_setup(&h, "sim");
	fake_config(&h, "persist", "true");
	assert_int_equal(h.api.state_put(fake_ctx(&h), "sim.state", "garbage!", 8), TH_OK);
	void *inst = NULL;
	assert_true(desc()->create(&h.api, fake_ctx(&h), &inst) < 0);
	assert_null(inst);
	assert_non_null(strstr(h.error, "sim.state"));
	assert_non_null(strstr(h.error, "magic"));
	assert_int_equal(h.live_allocs, 0);

	/* Without persist the stored value is not read at all. */
	fake_config(&h, "persist", "false");
	inst = create_ok(&h);
	desc()->destroy(inst);
	fake_host_free(&h);

	/* A duplicate count that is not a decimal number fails closed too. */
	host_setup(&h, "sim");
	fake_config(&h, "persist", "true");
	assert_int_equal(h.api.state_put(fake_ctx(&h), "sim.duplicates", "1x", 2), TH_OK);
	inst = NULL;
	assert_true(desc()->create(&h.api, fake_ctx(&h), &inst) < 0);
	assert_null(inst);
	assert_non_null(strstr(h.error, "sim.duplicates"));
	assert_int_equal(h.live_allocs, 0);
	fake_host_free(&h);
}

static void test_export_import_round_trip(void **state)
{
	(void)state;
	fake_host a, b;
	host_setup(&a, "sim");
	host_setup(&b, "sim");
	void *ia = start_ok(&a);
	deliver_quote(&a, "sim", 9999, 10001);
	th_order o1 = order("E1", TH_SIDE_BUY, TH_ORDER_LIMIT, 9900, BTC);
	th_order o2 = order("E2", TH_SIDE_SELL, TH_ORDER_LIMIT, 10100, 2 * BTC);
	th_order o3 = order("E3", TH_SIDE_BUY, TH_ORDER_MARKET, 0, BTC);
	xapi()->submit(ia, &o1);
	xapi()->submit(ia, &o2);
	xapi()->submit(ia, &o3);
	deliver_trade(&a, "sim", 10100, BTC);

	void *data = NULL;
	size_t len = 0;
	assert_int_equal(desc()->export_state(ia, &data, &len), TH_OK);
	assert_true(len > 50);

	void *ib = create_ok(&b);
	assert_int_equal(desc()->import_state(ib, data, len), TH_OK);
	assert_int_equal(desc()->start(ib), TH_OK);
	void *data2 = NULL;
	size_t len2 = 0;
	assert_int_equal(desc()->export_state(ib, &data2, &len2), TH_OK);
	assert_int_equal(len2, len);
	assert_memory_equal(data, data2, len);

	assert_int_equal(xapi()->query(ib, "E2"), TH_OK);
	assert_int_equal(fake_last_order(&b, "E2")->u.order.state, TH_ORDER_PARTIALLY_FILLED);
	assert_int_equal(xapi()->query(ib, "E3"), TH_OK);
	assert_int_equal(fake_last_order(&b, "E3")->u.order.state, TH_ORDER_FILLED);

	/* Garbage is refused and the instance keeps what it had. */
	assert_true(desc()->import_state(ib, "nonsense", 8) < 0);
	assert_non_null(strstr(b.error, "import"));
	assert_int_equal(xapi()->query(ib, "E1"), TH_OK);
	assert_int_equal(fake_last_order(&b, "E1")->u.order.state, TH_ORDER_ACCEPTED);

	a.api.free(fake_ctx(&a), data);
	b.api.free(fake_ctx(&b), data2);
	finish(&a, ia);
	finish(&b, ib);
	fake_host_free(&a);
	fake_host_free(&b);
}

/* A hot reload in the middle of latency: requests not yet matched and
 * reports not yet published move to the new instance and arrive on time. */
static void test_hot_reload_keeps_in_flight_messages(void **state)
{
	(void)state;
	fake_host h;
	host_setup(&h, "sim");
	fake_config(&h, "latency_ms", "50");
	void *old = start_ok(&h);
	int64_t t0 = h.now_ns;
	deliver_quote(&h, "sim", 10000, 10001);
	th_order a = order("H1", TH_SIDE_BUY, TH_ORDER_MARKET, 0, BTC);
	th_order b = order("H2", TH_SIDE_BUY, TH_ORDER_LIMIT, 9000, BTC);
	assert_int_equal(xapi()->submit(old, &a), TH_OK);
	fake_advance_to(&h, t0 + 60 * MS); /* H1 matched; its reports are due at t0+100 */
	assert_int_equal(xapi()->submit(old, &b), TH_OK); /* due at the engine at t0+110 */
	fake_advance_to(&h, t0 + 70 * MS);
	assert_int_equal(h.nevents, 0);

	/* The host's swap: create the new generation, hand over, start it, destroy the old. */
	void *data = NULL;
	size_t len = 0;
	assert_int_equal(desc()->export_state(old, &data, &len), TH_OK);
	void *nu = create_ok(&h);
	assert_int_equal(desc()->import_state(nu, data, len), TH_OK);
	h.api.free(fake_ctx(&h), data);
	assert_int_equal(desc()->start(nu), TH_OK);
	assert_int_equal(desc()->stop(old), TH_OK);
	desc()->destroy(old);
	deliver_quote(&h, "sim", 10000, 10001); /* the new generation's market view */

	fake_advance_to(&h, t0 + 99 * MS);
	assert_int_equal(h.nevents, 0);
	fake_advance_to(&h, t0 + 100 * MS);
	assert_int_equal(h.nevents, 3); /* H1: ACCEPTED, FILL, FILLED, each once */
	assert_int_equal(fake_last_order(&h, "H1")->u.order.state, TH_ORDER_FILLED);
	assert_int_equal(fake_last_order(&h, "H1")->h.ts_ns, t0 + 100 * MS);
	/* Handed-over reports are whole events under the new instance's venue
	 * name (sim_import_state stamps it; the blob carries none). */
	for (size_t i = 0; i < 3; i++) {
		const th_event *ev = &h.events[i];
		assert_string_equal(ev->h.venue, "sim");
		assert_string_equal(ev->h.symbol, "BTC-USDT");
		assert_int_equal(ev->h.type, i == 1 ? TH_EV_FILL : TH_EV_ORDER);
		assert_int_equal(ev->h.size, th_event_size(ev));
	}
	fake_advance_to(&h, t0 + 159 * MS);
	assert_null(fake_last_order(&h, "H2"));
	fake_advance_to(&h, t0 + 160 * MS);
	assert_int_equal(fake_last_order(&h, "H2")->u.order.state, TH_ORDER_ACCEPTED);
	assert_int_equal(h.nevents, 4);

	/* The new generation knows H1 (the duplicate is answered, not re-run). */
	assert_int_equal(xapi()->submit(nu, &a), TH_OK);
	fake_advance_to(&h, t0 + 300 * MS);
	assert_int_equal(fake_count(&h, TH_EV_FILL), 1);
	assert_non_null(strstr(fake_last_order(&h, "H1")->u.order.reason, "duplicate"));
	finish(&h, nu);
	fake_host_free(&h);
}

/* Market events are matched to instruments by their symbol bytes (a key per
 * instrument, sim_market_key.h): exactly like the string comparison it
 * replaces, whatever follows the NUL, with longer, shorter and unknown
 * symbols ignored, and the 24-byte field cut at 23 bytes. */
static void deliver_trade_sym(fake_host *h, const char *symbol, size_t n, th_price px)
{
	th_event ev;
	memset(&ev, 0, sizeof ev);
	th_event_init(&ev, TH_EV_TRADE);
	snprintf(ev.h.venue, sizeof ev.h.venue, "sim");
	memset(ev.h.symbol, 'Z', sizeof ev.h.symbol); /* bytes after the NUL are not zero */
	memcpy(ev.h.symbol, symbol, n);
	ev.u.trade.price = px;
	ev.u.trade.qty = 10 * BTC;
	ev.u.trade.price_scale = 2;
	ev.u.trade.qty_scale = 6;
	fake_deliver(h, &ev);
}

static size_t fills_of(const fake_host *h, const char *clid)
{
	size_t n = 0;
	for (size_t i = 0; i < h->nevents; i++)
		n += h->events[i].h.type == TH_EV_FILL && strcmp(h->events[i].u.fill.client_order_id, clid) == 0;
	return n;
}

static void test_market_symbols_matched_exactly(void **state)
{
	(void)state;
	static const char longsym[] = "ABCDEFGHIJK-LMNOPQRSTUV"; /* 23 characters: the longest symbol */
	fake_host h;
	fake_host_init(&h, "sim", desc()->config_schema);
	fake_config(&h, "symbols", "[\"BTC-USDT\", \"ETH-USDT\", \"ABCDEFGHIJK-LMNOPQRSTUV\"]");
	void *inst = start_ok(&h);
	th_order b = order("B1", TH_SIDE_BUY, TH_ORDER_LIMIT, 10000, BTC);
	th_order e = order("E1", TH_SIDE_BUY, TH_ORDER_LIMIT, 10000, BTC);
	th_order x = order("X1", TH_SIDE_BUY, TH_ORDER_LIMIT, 10000, BTC);
	snprintf(e.symbol, sizeof e.symbol, "ETH-USDT");
	snprintf(x.symbol, sizeof x.symbol, "%s", longsym);
	assert_int_equal(xapi()->submit(inst, &b), TH_OK);
	assert_int_equal(xapi()->submit(inst, &e), TH_OK);
	assert_int_equal(xapi()->submit(inst, &x), TH_OK);

	deliver_trade_sym(&h, "ETH-USDTX", 10, 9900); /* longer: not ETH-USDT */
	deliver_trade_sym(&h, "ETH-USD", 8, 9900);    /* shorter */
	deliver_trade_sym(&h, "DOGE-USDT", 10, 9900); /* not listed */
	deliver_trade_sym(&h, "ABCDEFGHIJK-LMNOPQRSTU", 23, 9900); /* the long one minus its last letter */
	assert_int_equal(fake_count(&h, TH_EV_FILL), 0);

	deliver_trade_sym(&h, "BTC-USDT", 9, 9900);
	assert_int_equal(fills_of(&h, "B1"), 1);
	deliver_trade_sym(&h, "ETH-USDT", 9, 9900); /* another instrument than the last event's */
	assert_int_equal(fills_of(&h, "E1"), 1);
	/* 23 letters and no NUL in the field: the venue reads the field cut at 23 bytes. */
	deliver_trade_sym(&h, longsym, 23, 9900);
	assert_int_equal(fills_of(&h, "X1"), 1);
	assert_int_equal(fake_count(&h, TH_EV_FILL), 3);
	finish(&h, inst);
	fake_host_free(&h);
}

/* After a market event the venue skips its flush when it would do nothing;
 * whatever is left to do must still be done at the next market event:
 * reports the bus refused, a state save that failed, the open-orders gauge. */
static void test_market_event_flushes_what_is_pending(void **state)
{
	(void)state;
	fake_host h;
	host_setup(&h, "sim");
	fake_config(&h, "persist", "true");
	void *inst = start_ok(&h);
	deliver_quote(&h, "sim", 10000, 10001);

	/* The bus refuses: reports wait; the next market event (before the retry timer) publishes them. */
	h.publish_failures = 1;
	th_order m = order("M1", TH_SIDE_BUY, TH_ORDER_MARKET, 0, BTC);
	assert_int_equal(xapi()->submit(inst, &m), TH_OK);
	assert_int_equal(h.nevents, 0);
	deliver_quote(&h, "sim", 10000, 10001);
	assert_int_equal(h.nevents, 3);

	/* The state store is full (the saved state lost too): the save fails;
	 * the next market event retries it. */
	for (size_t i = 0; i < FAKE_MAX_KV; i++) {
		if (h.kv[i].live)
			free(h.kv[i].data);
		snprintf(h.kv[i].key, sizeof h.kv[i].key, "filler.%zu", i);
		h.kv[i].data = malloc(1);
		h.kv[i].len = 1;
		h.kv[i].live = 1;
	}
	size_t puts = h.state_puts;
	th_order l = order("L1", TH_SIDE_BUY, TH_ORDER_LIMIT, 9000, BTC);
	assert_int_equal(xapi()->submit(inst, &l), TH_OK);
	assert_int_equal(h.state_puts, puts); /* refused */
	assert_int_equal(fake_metric(&h, "sim_open_orders"), 1);
	for (size_t i = 0; i < FAKE_MAX_KV; i++) {
		if (strncmp(h.kv[i].key, "filler.", 7) == 0) { /* room again */
			free(h.kv[i].data);
			h.kv[i].data = NULL;
			h.kv[i].live = 0;
			break;
		}
	}
	deliver_quote(&h, "sim", 10000, 10001); /* changes nothing at the venue */
	assert_int_equal(h.state_puts, puts + 1);

	/* A market event that fills: the gauge follows. */
	deliver_trade(&h, "sim", 8900, BTC);
	assert_int_equal(fake_last_order(&h, "L1")->u.order.state, TH_ORDER_FILLED);
	assert_int_equal(fake_metric(&h, "sim_open_orders"), 0);
	finish(&h, inst);
	fake_host_free(&h);

	/* With latency, reports that fell due are published by a market event
	 * that comes before their timer fires. */
	host_setup(&h, "sim");
	fake_config(&h, "latency_ms", "50");
	inst = start_ok(&h);
	int64_t t0 = h.now_ns;
	th_order r = order("R1", TH_SIDE_BUY, TH_ORDER_LIMIT, 9000, BTC);
	assert_int_equal(xapi()->submit(inst, &r), TH_OK);
	fake_advance_to(&h, t0 + 50 * MS); /* at the engine; ACCEPTED due at t0 + 100 ms */
	deliver_quote(&h, "sim", 10000, 10001);
	assert_int_equal(h.nevents, 0);
	h.now_ns = t0 + 100 * MS; /* the clock moves on; the timer has not run yet */
	deliver_quote(&h, "sim", 10000, 10001);
	assert_int_equal(h.nevents, 1);
	assert_int_equal(h.events[0].u.order.state, TH_ORDER_ACCEPTED);
	finish(&h, inst);
	fake_host_free(&h);
}

static void deliver_bar(fake_host *h, th_price close, int32_t price_scale)
{
	th_event ev;
	memset(&ev, 0, sizeof ev);
	th_event_init(&ev, TH_EV_BAR);
	snprintf(ev.h.venue, sizeof ev.h.venue, "sim");
	snprintf(ev.h.symbol, sizeof ev.h.symbol, "BTC-USDT");
	ev.u.bar.open = ev.u.bar.high = ev.u.bar.low = ev.u.bar.close = close;
	ev.u.bar.volume = 100 * BTC;
	ev.u.bar.price_scale = price_scale;
	ev.u.bar.qty_scale = 6;
	fake_deliver(h, &ev);
}

/* The per-bar fast path of the market handler (a bar at the instrument's
 * scales meeting an empty book, handled inline without the full bar model)
 * must keep what the full path does: the close becomes the reference price
 * of the next market order's notional check, and reports still waiting (the
 * bus refused them) are published by that bar. */
static void test_idle_bar_fast_path(void **state)
{
	(void)state;
	fake_host h;
	host_setup(&h, "sim");
	fake_config(&h, "min_notional", "\"10\"");
	void *inst = start_ok(&h);

	deliver_bar(&h, 10000, 2); /* 100.00, idle book: fast path */
	th_order m1 = order("M1", TH_SIDE_BUY, TH_ORDER_MARKET, 0, BTC / 20); /* 0.05 x 100.00 = 5 < 10 */
	assert_int_equal(xapi()->submit(inst, &m1), TH_OK);
	assert_int_equal(fake_last_order(&h, "M1")->u.order.state, TH_ORDER_REJECTED);
	deliver_bar(&h, 30000, 2); /* 300.00, still idle (the rejected order is not in the book) */
	th_order m2 = order("M2", TH_SIDE_BUY, TH_ORDER_MARKET, 0, BTC / 20); /* 0.05 x 300.00 = 15 */
	assert_int_equal(xapi()->submit(inst, &m2), TH_OK);
	assert_int_equal(fake_last_order(&h, "M2")->u.order.state, TH_ORDER_ACCEPTED);
	deliver_bar(&h, 300000, 3); /* other scale and an order waits: the full model fills it at the open */
	assert_int_equal(fake_last_order(&h, "M2")->u.order.state, TH_ORDER_FILLED);

	/* the bus refuses: the reports of an order that fills on the spot wait
	 * in the outbox, and the next bar (idle book again) publishes them */
	deliver_quote(&h, "sim", 29900, 30000);
	size_t before = h.nevents;
	h.publish_failures = 1;
	th_order m3 = order("M3", TH_SIDE_BUY, TH_ORDER_MARKET, 0, BTC / 20);
	assert_int_equal(xapi()->submit(inst, &m3), TH_OK);
	assert_int_equal(h.nevents, before);
	deliver_bar(&h, 30000, 2);
	assert_int_equal(h.nevents, before + 3); /* ACCEPTED, the fill, FILLED */
	assert_int_equal(fake_last_order(&h, "M3")->u.order.state, TH_ORDER_FILLED);
	finish(&h, inst);
	fake_host_free(&h);
}

/* The latency queues: first in, first out across wrap-around and growth,
 * and an emptied queue starts again at its first slot (sim_fifo_pop: the
 * venue's queues keep reusing a few cache-hot slots). */
static void test_fifo_order_and_slot_reuse(void **state)
{
	(void)state;
	sim_fifo f;
	sim_fifo_init(&f, sizeof(int), NULL);
	int next_in = 0, next_out = 0;
	/* Uneven pushes and pops: the ring wraps and grows past 16 items. */
	for (int round = 0; round < 40; round++) {
		for (int k = 0; k < round % 7 + 1; k++, next_in++)
			assert_int_equal(sim_fifo_push(&f, &next_in), TH_OK);
		for (int k = 0; k < round % 5 && sim_fifo_count(&f) > 0; k++) {
			assert_int_equal(*(int *)sim_fifo_peek(&f), next_out++);
			sim_fifo_pop(&f);
		}
		for (size_t i = 0; i < sim_fifo_count(&f); i++)
			assert_int_equal(*(int *)sim_fifo_at(&f, i), next_out + (int)i);
	}
	assert_true(next_in - next_out > 16); /* it grew while wrapped */
	void *first = NULL;
	while (sim_fifo_count(&f) > 0) {
		assert_int_equal(*(int *)sim_fifo_peek(&f), next_out++);
		sim_fifo_pop(&f);
	}
	for (int k = 0; k < 3; k++) {
		int *slot = sim_fifo_push_slot(&f);
		assert_non_null(slot);
		*slot = k;
		if (!first)
			first = slot;
		assert_ptr_equal(sim_fifo_peek(&f), first); /* emptied: back at the first slot */
		sim_fifo_pop(&f);
	}
	sim_fifo_pop(&f); /* popping an empty queue does nothing */
	assert_int_equal(sim_fifo_count(&f), 0);
	assert_null(sim_fifo_peek(&f));
	sim_fifo_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_descriptor),
		cmocka_unit_test(test_fifo_order_and_slot_reuse),
		cmocka_unit_test(test_create_with_defaults),
		cmocka_unit_test(test_create_refuses_bad_config),
		cmocka_unit_test(test_submit_events_after_latency),
		cmocka_unit_test(test_latency_zero_publishes_from_submit),
		cmocka_unit_test(test_market_venue_filter),
		cmocka_unit_test(test_query_and_absent),
		cmocka_unit_test(test_publish_backpressure_retries),
		cmocka_unit_test(test_stop_is_idempotent),
		cmocka_unit_test(test_persist_restart_restores_orders),
		cmocka_unit_test(test_persist_refuses_corrupt_state),
		cmocka_unit_test(test_export_import_round_trip),
		cmocka_unit_test(test_hot_reload_keeps_in_flight_messages),
		cmocka_unit_test(test_market_symbols_matched_exactly),
		cmocka_unit_test(test_market_event_flushes_what_is_pending),
		cmocka_unit_test(test_idle_bar_fast_path),
	};
	return cmocka_run_group_tests_name("sim_plugin", tests, NULL, NULL);
}
