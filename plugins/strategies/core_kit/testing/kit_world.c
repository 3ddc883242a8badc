/* core_kit testing — quote-driven strategy world (see kit_world.h). */
#include "kit_world.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#define KIT_WORLD_MS 1000000LL

/* The fake host queues what the plugin publishes; in sync mode the scripted
 * OMS answers before publish() returns, re-entering the plugin. */
static int sync_publish(th_ctx *ctx, const th_event *ev)
{
	kit_world *w = (kit_world *)(void *)ctx; /* fake_host is the first member */
	int rc = w->publish(ctx, ev);
	if (rc == TH_OK && w->sync)
		w->pump(w);
	return rc;
}

void kit_world_init(kit_world *w, const th_plugin_desc *d, const char *agent, const char *symbol,
	void (*config)(fake_host *h), kit_world_pump_fn pump)
{
	memset(w, 0, sizeof *w);
	fake_host_init(&w->h, agent, d->config_schema);
	if (config)
		config(&w->h);
	w->d = d;
	w->pump = pump;
	th_strlcpy(w->symbol, symbol, sizeof w->symbol);
	w->t = w->h.now_ns;
	w->publish = w->h.api.publish;
	w->h.api.publish = sync_publish;
}

void kit_world_start(kit_world *w)
{
	int rc = w->d->create(&w->h.api, fake_ctx(&w->h), &w->inst);
	if (rc != TH_OK)
		fail_msg("create failed (%d): %s", rc, w->h.error);
	assert_int_equal(w->d->start(w->inst), TH_OK);
}

void kit_world_end(kit_world *w)
{
	assert_int_equal(w->d->stop(w->inst), TH_OK);
	assert_int_equal(w->d->stop(w->inst), TH_OK); /* idempotent */
	w->d->destroy(w->inst);
	assert_int_equal(w->h.live_allocs, 0);
	fake_host_free(&w->h);
}

static void header(kit_world *w, th_event *ev, th_event_type type, const char *venue, int oms)
{
	memset(ev, 0, sizeof *ev);
	th_event_init(ev, type);
	ev->h.flags = oms ? TH_EVENT_FLAG_OMS : 0;
	if (venue) {
		th_strlcpy(ev->h.venue, venue, sizeof ev->h.venue);
		th_strlcpy(ev->h.symbol, w->symbol, sizeof ev->h.symbol);
	}
}

void kit_world_order(kit_world *w, const char *venue, const char *clid, uint32_t side, uint32_t state, th_price px,
	th_qty qty, th_qty filled, const char *reason)
{
	th_event ev;
	header(w, &ev, TH_EV_ORDER, venue, 1);
	th_strlcpy(ev.h.agent, w->h.name, sizeof ev.h.agent);
	th_strlcpy(ev.u.order.client_order_id, clid, sizeof ev.u.order.client_order_id);
	ev.u.order.state = state;
	ev.u.order.side = side;
	ev.u.order.price = px;
	ev.u.order.qty = qty;
	ev.u.order.filled_qty = filled;
	ev.u.order.price_scale = 2;
	ev.u.order.qty_scale = 4;
	th_strlcpy(ev.u.order.reason, reason, sizeof ev.u.order.reason);
	fake_deliver(&w->h, &ev);
}

void kit_world_fill(kit_world *w, const char *venue, const char *clid, const char *trade_id, uint32_t side,
	uint32_t liquidity, th_price px, th_qty qty, int oms)
{
	th_event ev;
	header(w, &ev, TH_EV_FILL, venue, oms);
	if (oms)
		th_strlcpy(ev.h.agent, w->h.name, sizeof ev.h.agent);
	th_strlcpy(ev.u.fill.client_order_id, clid, sizeof ev.u.fill.client_order_id);
	th_strlcpy(ev.u.fill.venue_trade_id, trade_id, sizeof ev.u.fill.venue_trade_id);
	ev.u.fill.side = side;
	ev.u.fill.liquidity = liquidity;
	ev.u.fill.price = px;
	ev.u.fill.qty = qty;
	ev.u.fill.price_scale = 2;
	ev.u.fill.qty_scale = 4;
	fake_deliver(&w->h, &ev);
}

void kit_world_deny(kit_world *w, const char *venue, uint64_t intent_id, const char *plugin, const char *message)
{
	th_event ev;
	header(w, &ev, TH_EV_RISK, venue, 0);
	th_strlcpy(ev.h.agent, w->h.name, sizeof ev.h.agent);
	ev.u.risk.intent_id = intent_id;
	ev.u.risk.approved = 0;
	ev.u.risk.reason_code = 3;
	th_strlcpy(ev.u.risk.plugin, plugin, sizeof ev.u.risk.plugin);
	th_strlcpy(ev.u.risk.message, message, sizeof ev.u.risk.message);
	fake_deliver(&w->h, &ev);
}

void kit_world_advance(kit_world *w, int64_t dt_ms)
{
	w->t += dt_ms * KIT_WORLD_MS;
	fake_advance_to(&w->h, w->t);
	w->pump(w);
}

void kit_world_quote(kit_world *w, const char *venue, int64_t dt_ms, th_price bid, th_price ask)
{
	kit_world_advance(w, dt_ms);
	th_event ev;
	header(w, &ev, TH_EV_QUOTE, venue, 0);
	ev.h.ts_ns = w->t;
	ev.u.quote.bid = bid;
	ev.u.quote.ask = ask;
	ev.u.quote.bid_qty = ev.u.quote.ask_qty = 10000;
	ev.u.quote.price_scale = 2;
	ev.u.quote.qty_scale = 4;
	fake_deliver(&w->h, &ev);
	w->pump(w);
}

void kit_world_reload(kit_world *from, kit_world *to)
{
	void *data = NULL;
	size_t len = 0;
	assert_int_equal(from->d->export_state(from->inst, &data, &len), TH_OK);
	to->t = from->t;
	to->h.now_ns = from->h.now_ns;
	int rc = to->d->create(&to->h.api, fake_ctx(&to->h), &to->inst);
	if (rc != TH_OK)
		fail_msg("create failed (%d): %s", rc, to->h.error);
	rc = to->d->import_state(to->inst, data, len);
	if (rc != TH_OK)
		fail_msg("import_state failed (%d): %s", rc, to->h.error);
	from->h.api.free(fake_ctx(&from->h), data);
	assert_int_equal(to->d->start(to->inst), TH_OK);
}

size_t kit_world_same_intents(const kit_world *a, const kit_world *b)
{
	size_t n = kit_world_intents(a);
	assert_int_equal(n, kit_world_intents(b));
	for (size_t k = 0; k < n; k++) {
		const th_event *x = kit_world_intent(a, k), *y = kit_world_intent(b, k);
		assert_memory_equal(&x->u.intent, &y->u.intent, sizeof x->u.intent);
		assert_string_equal(x->h.venue, y->h.venue);
		assert_int_equal(x->h.ts_ns, y->h.ts_ns);
	}
	return n;
}

size_t kit_world_intents(const kit_world *w)
{
	return fake_count(&w->h, TH_EV_INTENT);
}

const th_event *kit_world_intent(const kit_world *w, size_t k)
{
	const th_event *ev = fake_event(&w->h, TH_EV_INTENT, k);
	assert_non_null(ev);
	return ev;
}

const char *kit_world_msg_with(const kit_world *w, const char *kind, const char *needle)
{
	for (size_t i = w->h.nevents; i-- > 0;) {
		const th_event *ev = &w->h.events[i];
		if (ev->h.type == TH_EV_AGENT_MSG && strcmp(ev->u.agent_msg.kind, kind) == 0 &&
			strstr(ev->u.agent_msg.text, needle))
			return ev->u.agent_msg.text;
	}
	return NULL;
}

void kit_world_explain(kit_world *w, char *buf, size_t cap)
{
	const th_strategy_api *s = w->d->kind_api;
	assert_non_null(s);
	assert_non_null(s->explain);
	assert_int_equal(s->explain(w->inst, buf, cap), TH_OK);
}

void kit_world_refused(const th_plugin_desc *d, const char *agent, void (*config)(fake_host *h), const char *key,
	const char *literal, const char *needle)
{
	fake_host h;
	fake_host_init(&h, agent, d->config_schema);
	if (config)
		config(&h);
	fake_config(&h, key, literal);
	void *inst = NULL;
	if (d->create(&h.api, fake_ctx(&h), &inst) == TH_OK)
		fail_msg("%s = %s was accepted", key, literal);
	assert_null(inst);
	if (!strstr(h.error, needle))
		fail_msg("%s = %s: error \"%s\" lacks \"%s\"", key, literal, h.error, needle);
	assert_int_equal(h.live_allocs, 0);
	fake_host_free(&h);
}
