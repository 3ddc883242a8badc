/* core_kit testing — fake OMS answering a strategy's intents (see kit_fake_oms.h). */
#include "kit_fake_oms.h"

#include <stdio.h>
#include <string.h>

void kit_oms_init(kit_fake_oms *m, fake_host *h, const char *venue)
{
	memset(m, 0, sizeof *m);
	m->h = h;
	snprintf(m->venue, sizeof m->venue, "%s", venue);
}

void kit_oms_set_price(kit_fake_oms *m, const char *symbol, th_price px)
{
	for (int i = 0; i < KIT_OMS_MAX_SYMBOLS; i++) {
		if (!m->market[i].symbol[0] || strcmp(m->market[i].symbol, symbol) == 0) {
			snprintf(m->market[i].symbol, sizeof m->market[i].symbol, "%s", symbol);
			m->market[i].px = px;
			return;
		}
	}
}

static th_price price_of(const kit_fake_oms *m, const char *symbol)
{
	for (int i = 0; i < KIT_OMS_MAX_SYMBOLS; i++)
		if (strcmp(m->market[i].symbol, symbol) == 0)
			return m->market[i].px;
	return 0;
}

static void header(kit_fake_oms *m, th_event *ev, uint16_t type, const char *symbol, int oms_flag)
{
	memset(ev, 0, sizeof *ev);
	th_event_init(ev, (th_event_type)type);
	ev->h.flags = oms_flag ? TH_EVENT_FLAG_OMS : 0;
	snprintf(ev->h.venue, sizeof ev->h.venue, "%s", m->venue);
	snprintf(ev->h.symbol, sizeof ev->h.symbol, "%s", symbol);
	snprintf(ev->h.agent, sizeof ev->h.agent, "%s", m->h->name);
}

static void send_order(kit_fake_oms *m, const kit_oms_order *r, uint32_t state, const char *reason)
{
	th_event ev;
	header(m, &ev, TH_EV_ORDER, r->o.symbol, 1);
	snprintf(ev.u.order.client_order_id, sizeof ev.u.order.client_order_id, "%s", r->clid);
	ev.u.order.state = state;
	ev.u.order.side = r->o.side;
	ev.u.order.qty = r->o.qty;
	ev.u.order.filled_qty = r->filled;
	ev.u.order.price = r->o.price;
	ev.u.order.price_scale = r->o.price_scale;
	ev.u.order.qty_scale = r->o.qty_scale;
	ev.u.order.intent_id = m->no_intent_ids ? 0 : r->intent_id;
	snprintf(ev.u.order.reason, sizeof ev.u.order.reason, "%s", reason);
	fake_deliver(m->h, &ev);
}

static void send_fill(kit_fake_oms *m, kit_oms_order *r, th_price px, th_qty qty)
{
	th_event ev;
	header(m, &ev, TH_EV_FILL, r->o.symbol, 1);
	snprintf(ev.u.fill.client_order_id, sizeof ev.u.fill.client_order_id, "%s", r->clid);
	snprintf(ev.u.fill.venue_trade_id, sizeof ev.u.fill.venue_trade_id, "T%zu", ++m->fills);
	ev.u.fill.side = r->o.side;
	ev.u.fill.liquidity = r->o.type == TH_ORDER_LIMIT ? TH_LIQ_MAKER : TH_LIQ_TAKER;
	ev.u.fill.price = px;
	ev.u.fill.qty = qty;
	ev.u.fill.price_scale = r->o.price_scale;
	ev.u.fill.qty_scale = r->o.qty_scale;
	r->filled += qty;
	fake_deliver(m->h, &ev);
	send_order(m, r, r->filled == r->o.qty ? TH_ORDER_FILLED : TH_ORDER_PARTIALLY_FILLED, "");
	if (r->filled == r->o.qty)
		r->live = 0;
}

static void place(kit_fake_oms *m, const th_event *in)
{
	const th_intent *it = &in->u.intent;
	th_event ev;
	header(m, &ev, TH_EV_RISK, it->order.symbol, 0);
	ev.u.risk.intent_id = it->intent_id;
	if (m->deny_next > 0) {
		m->deny_next--;
		snprintf(ev.u.risk.plugin, sizeof ev.u.risk.plugin, "limits");
		snprintf(ev.u.risk.message, sizeof ev.u.risk.message, "test denial");
		fake_deliver(m->h, &ev);
		return;
	}
	ev.u.risk.approved = 1;
	fake_deliver(m->h, &ev);
	int reject = m->reject_next > 0 && m->reject_after == 0;
	if (m->reject_next > 0 && m->reject_after > 0)
		m->reject_after--;
	if (reject || m->norders == KIT_OMS_MAX_ORDERS) {
		kit_oms_order tmp;
		memset(&tmp, 0, sizeof tmp);
		tmp.o = it->order;
		tmp.intent_id = it->intent_id;
		if (reject)
			m->reject_next--;
		send_order(m, &tmp, TH_ORDER_REJECTED, "test rejection: insufficient funds");
		return;
	}
	kit_oms_order *r = &m->orders[m->norders++];
	memset(r, 0, sizeof *r);
	r->intent_id = it->intent_id;
	snprintf(r->clid, sizeof r->clid, "c%06llu", (unsigned long long)++m->next_clid);
	r->o = it->order;
	memcpy(r->o.client_order_id, r->clid, sizeof r->o.client_order_id);
	r->live = 1;
	m->placed++;
	send_order(m, r, TH_ORDER_SUBMITTED, "");
	int ioc_limit = r->o.type == TH_ORDER_LIMIT && r->o.tif == TH_TIF_IOC;
	if ((r->o.type == TH_ORDER_MARKET && !m->hold_market) || ioc_limit) {
		th_price px = ioc_limit ? r->o.price : price_of(m, r->o.symbol);
		th_qty q = m->fill_cap > 0 && m->fill_cap < r->o.qty ? m->fill_cap : r->o.qty;
		if (px > 0 && q > 0)
			send_fill(m, r, px, q);
		if (r->live) {
			r->live = 0;
			send_order(m, r, TH_ORDER_CANCELED, "IOC: unfilled remainder canceled");
		}
	} else if (r->o.type != TH_ORDER_MARKET) {
		send_order(m, r, TH_ORDER_ACCEPTED, "");
	}
}

static void cancel(kit_fake_oms *m, const th_event *in)
{
	const th_intent *it = &in->u.intent;
	for (size_t i = 0; i < m->norders; i++) {
		kit_oms_order *r = &m->orders[i];
		if (!r->live)
			continue;
		int hit = it->action == TH_INTENT_CANCEL_ALL
			? (!it->order.symbol[0] || strcmp(r->o.symbol, it->order.symbol) == 0)
			: strcmp(r->clid, it->order.client_order_id) == 0;
		if (hit) {
			r->live = 0;
			m->canceled++;
			send_order(m, r, TH_ORDER_CANCELED, "canceled by request");
		}
	}
}

void kit_oms_pump(kit_fake_oms *m)
{
	/* index-based: answering may make the strategy publish (and the event array grow) */
	while (m->seen < m->h->nevents) {
		th_event in = m->h->events[m->seen++];
		if (in.h.type != TH_EV_INTENT)
			continue;
		if (in.u.intent.action == TH_INTENT_PLACE)
			place(m, &in);
		else
			cancel(m, &in);
	}
}

size_t kit_oms_cross(kit_fake_oms *m, const char *symbol, th_price low, th_price high)
{
	size_t n = 0, before = m->norders; /* orders placed in reaction wait for the next range */
	for (size_t i = 0; i < before; i++) {
		kit_oms_order *r = &m->orders[i];
		if (!r->live || r->o.type != TH_ORDER_LIMIT || strcmp(r->o.symbol, symbol) != 0)
			continue;
		if ((r->o.side == TH_SIDE_BUY && r->o.price >= low) || (r->o.side == TH_SIDE_SELL && r->o.price <= high)) {
			send_fill(m, r, r->o.price, r->o.qty - r->filled);
			n++;
			kit_oms_pump(m);
		}
	}
	return n;
}

size_t kit_oms_resting(const kit_fake_oms *m, const char *symbol, uint32_t side)
{
	size_t n = 0;
	for (size_t i = 0; i < m->norders; i++)
		n += m->orders[i].live && strcmp(m->orders[i].o.symbol, symbol) == 0 && (!side || m->orders[i].o.side == side);
	return n;
}

const kit_oms_order *kit_oms_find_resting(const kit_fake_oms *m, const char *symbol, uint32_t side, th_price price)
{
	for (size_t i = 0; i < m->norders; i++)
		if (m->orders[i].live && strcmp(m->orders[i].o.symbol, symbol) == 0 && m->orders[i].o.side == side &&
			m->orders[i].o.price == price)
			return &m->orders[i];
	return NULL;
}

void kit_test_bar(fake_host *h, const char *venue, const char *symbol, int64_t open_time_ns, th_price open,
	th_price high, th_price low, th_price close, th_qty volume, int32_t price_scale, int32_t qty_scale)
{
	th_event ev;
	memset(&ev, 0, sizeof ev);
	th_event_init(&ev, TH_EV_BAR);
	snprintf(ev.h.venue, sizeof ev.h.venue, "%s", venue);
	snprintf(ev.h.symbol, sizeof ev.h.symbol, "%s", symbol);
	ev.u.bar.open_time_ns = open_time_ns;
	ev.u.bar.interval_ns = 60000000000LL;
	ev.h.ts_ns = open_time_ns + ev.u.bar.interval_ns;
	ev.u.bar.open = open;
	ev.u.bar.high = high;
	ev.u.bar.low = low;
	ev.u.bar.close = close;
	ev.u.bar.volume = volume;
	ev.u.bar.trades = 1;
	ev.u.bar.price_scale = price_scale;
	ev.u.bar.qty_scale = qty_scale;
	if (h->now_ns < ev.h.ts_ns)
		fake_advance_to(h, ev.h.ts_ns);
	fake_deliver(h, &ev);
}
