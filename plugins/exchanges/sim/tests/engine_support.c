/*
 * sim engine tests — shared helpers (see engine_support.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine_support.h"

void recorder_report(void *arg, const sim_report *r)
{
	recorder *rec = arg;
	if (rec->n == rec->cap) {
		rec->cap = rec->cap ? rec->cap * 2 : 64;
		rec->items = realloc(rec->items, rec->cap * sizeof *rec->items);
		assert_non_null(rec->items);
	}
	rec_report *x = &rec->items[rec->n++];
	memset(x, 0, sizeof *x);
	x->kind = r->kind;
	th_strlcpy(x->symbol, r->symbol, sizeof x->symbol);
	if (r->kind == SIM_REPORT_ORDER)
		x->order = r->u.order;
	else
		x->fill = r->u.fill;
}

void recorder_clear(recorder *r)
{
	r->n = 0;
}

void fixture_defaults(fixture *f)
{
	memset(f, 0, sizeof *f);
	f->cfg.participation_ppm = SIM_PPM;
	f->cfg.retain_closed = 100;
	f->cfg.session = 7;
	th_instrument *in = &f->inst[0];
	strcpy(in->venue, "sim");
	strcpy(in->symbol, "BTC-USDT");
	strcpy(in->base, "BTC");
	strcpy(in->quote, "USDT");
	in->price_scale = 2;
	in->qty_scale = 3;
	in->tick = 1;
	in->lot = 1;
	in->min_qty = 1;
	in->min_notional = 0;
	f->inst[1] = *in;
	strcpy(f->inst[1].symbol, "ETH-USDT");
	strcpy(f->inst[1].base, "ETH");
	f->ninst = 2;
}

void fixture_start(fixture *f)
{
	assert_int_equal(sim_engine_create(&f->cfg, f->inst, f->ninst, NULL, recorder_report, &f->rec, &f->e), TH_OK);
}

void fixture_stop(fixture *f)
{
	sim_engine_destroy(f->e);
	f->e = NULL;
	free(f->rec.items);
	memset(&f->rec, 0, sizeof f->rec);
}

th_order mk_order(const char *clid, uint32_t side, uint32_t type, uint32_t tif, th_price price, th_price stop,
                  th_qty qty)
{
	th_order o;
	memset(&o, 0, sizeof o);
	th_strlcpy(o.client_order_id, clid, sizeof o.client_order_id);
	strcpy(o.symbol, "BTC-USDT");
	o.side = side;
	o.type = type;
	o.tif = tif;
	o.price = price;
	o.stop_price = stop;
	o.qty = qty;
	o.price_scale = 2;
	o.qty_scale = 3;
	return o;
}

th_order mk_limit(const char *clid, uint32_t side, th_price price, th_qty qty)
{
	return mk_order(clid, side, TH_ORDER_LIMIT, TH_TIF_GTC, price, 0, qty);
}

th_order mk_market(const char *clid, uint32_t side, th_qty qty)
{
	return mk_order(clid, side, TH_ORDER_MARKET, TH_TIF_GTC, 0, 0, qty);
}

void feed_trade(fixture *f, th_price px, th_qty qty)
{
	th_trade t;
	memset(&t, 0, sizeof t);
	t.price = px;
	t.qty = qty;
	t.price_scale = 2;
	t.qty_scale = 3;
	sim_engine_on_trade(f->e, "BTC-USDT", &t);
}

void feed_quote(fixture *f, th_price bid, th_qty bid_qty, th_price ask, th_qty ask_qty)
{
	th_quote q;
	memset(&q, 0, sizeof q);
	q.bid = bid;
	q.ask = ask;
	q.bid_qty = bid_qty;
	q.ask_qty = ask_qty;
	q.price_scale = 2;
	q.qty_scale = 3;
	sim_engine_on_quote(f->e, "BTC-USDT", &q);
}

void feed_bar(fixture *f, th_price o, th_price h, th_price l, th_price c, th_qty volume)
{
	th_bar b;
	memset(&b, 0, sizeof b);
	b.open = o;
	b.high = h;
	b.low = l;
	b.close = c;
	b.volume = volume;
	b.price_scale = 2;
	b.qty_scale = 3;
	sim_engine_on_bar(f->e, "BTC-USDT", &b);
}

const th_order_update *last_update(const recorder *r, const char *clid)
{
	for (size_t i = r->n; i-- > 0;)
		if (r->items[i].kind == SIM_REPORT_ORDER && strcmp(r->items[i].order.client_order_id, clid) == 0)
			return &r->items[i].order;
	return NULL;
}

size_t fill_count(const recorder *r, const char *clid)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n; i++)
		n += r->items[i].kind == SIM_REPORT_FILL && strcmp(r->items[i].fill.client_order_id, clid) == 0;
	return n;
}

th_qty fill_total(const recorder *r, const char *clid)
{
	th_qty q = 0;
	for (size_t i = 0; i < r->n; i++)
		if (r->items[i].kind == SIM_REPORT_FILL && strcmp(r->items[i].fill.client_order_id, clid) == 0)
			q += r->items[i].fill.qty;
	return q;
}

const th_fill *nth_fill(const recorder *r, size_t k)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->items[i].kind == SIM_REPORT_FILL && k-- == 0)
			return &r->items[i].fill;
	return NULL;
}

const th_fill *nth_fill_of(const recorder *r, const char *clid, size_t k)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->items[i].kind == SIM_REPORT_FILL && strcmp(r->items[i].fill.client_order_id, clid) == 0 && k-- == 0)
			return &r->items[i].fill;
	return NULL;
}

size_t state_count(const recorder *r, const char *clid, uint32_t state)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n; i++)
		n += r->items[i].kind == SIM_REPORT_ORDER && r->items[i].order.state == state &&
		     strcmp(r->items[i].order.client_order_id, clid) == 0;
	return n;
}

uint32_t engine_state(const fixture *f, const char *clid)
{
	th_order_update u;
	assert_int_equal(sim_engine_order(f->e, clid, &u), TH_OK);
	return u.state;
}
