/*
 * sim — hot-reload hand-over: engine state plus in-flight queues (see
 * sim_handover.h). Field by field, little-endian, via sim_bytes.h.
 *
 *   request: i64 due_ns  u8 kind  str client_order_id
 *            SUBMIT only: str symbol  u8 side  u8 type  u8 tif  u32 flags
 *                         i64 price  i64 stop_price  i64 qty  i32 price_scale  i32 qty_scale
 *   report:  i64 due_ns  u8 kind  str symbol
 *            ORDER: str client_order_id  str venue_order_id  u8 state  u8 side
 *                   i64 qty  i64 filled_qty  i64 price  i32 price_scale  i32 qty_scale  str reason
 *            FILL:  str client_order_id  str venue_trade_id  u8 side  u8 liquidity
 *                   i64 price  i64 qty  i64 fee  str fee_asset  i32 price_scale  i32 qty_scale
 */
#include <stdio.h>
#include <string.h>

#include "sim_bytes.h"
#include "sim_handover.h"

#define SIM_HANDOVER_MAGIC "SIMX"
#define SIM_HANDOVER_VERSION 1

static void wr_request(sim_wr *w, const sim_request *q)
{
	const th_order *o = &q->order;
	sim_wr_i64(w, q->due_ns);
	sim_wr_u8(w, q->kind);
	sim_wr_str(w, o->client_order_id);
	if (q->kind != SIM_REQ_SUBMIT)
		return;
	sim_wr_str(w, o->symbol);
	sim_wr_u8(w, o->side);
	sim_wr_u8(w, o->type);
	sim_wr_u8(w, o->tif);
	sim_wr_u32(w, o->flags);
	sim_wr_i64(w, o->price);
	sim_wr_i64(w, o->stop_price);
	sim_wr_i64(w, o->qty);
	sim_wr_i32(w, o->price_scale);
	sim_wr_i32(w, o->qty_scale);
}

static void wr_report(sim_wr *w, const sim_outgoing *m)
{
	sim_wr_i64(w, m->due_ns);
	sim_wr_u8(w, m->kind);
	sim_wr_str(w, m->ev.h.symbol);
	if (m->kind == SIM_REPORT_ORDER) {
		const th_order_update *u = &m->ev.u.order;
		sim_wr_str(w, u->client_order_id);
		sim_wr_str(w, u->venue_order_id);
		sim_wr_u8(w, u->state);
		sim_wr_u8(w, u->side);
		sim_wr_i64(w, u->qty);
		sim_wr_i64(w, u->filled_qty);
		sim_wr_i64(w, u->price);
		sim_wr_i32(w, u->price_scale);
		sim_wr_i32(w, u->qty_scale);
		sim_wr_str(w, u->reason);
	} else {
		const th_fill *f = &m->ev.u.fill;
		sim_wr_str(w, f->client_order_id);
		sim_wr_str(w, f->venue_trade_id);
		sim_wr_u8(w, f->side);
		sim_wr_u8(w, f->liquidity);
		sim_wr_i64(w, f->price);
		sim_wr_i64(w, f->qty);
		sim_wr_i64(w, f->fee);
		sim_wr_str(w, f->fee_asset);
		sim_wr_i32(w, f->price_scale);
		sim_wr_i32(w, f->qty_scale);
	}
}

int sim_handover_encode(const sim_engine *e, const sim_fifo *inbox, const sim_fifo *outbox, void *buf, size_t cap,
                        size_t *len)
{
	sim_wr w = { .p = buf, .cap = buf ? cap : 0, .len = 0 };
	size_t elen = 0;
	sim_engine_encode(e, NULL, 0, &elen);
	sim_wr_bytes(&w, SIM_HANDOVER_MAGIC, 4);
	sim_wr_u16(&w, SIM_HANDOVER_VERSION);
	sim_wr_u16(&w, 0);
	sim_wr_u32(&w, (uint32_t)elen);
	if (w.p && w.len <= w.cap && w.cap - w.len >= elen)
		sim_engine_encode(e, w.p + w.len, elen, &elen);
	w.len += elen;
	sim_wr_u32(&w, (uint32_t)sim_fifo_count(inbox));
	for (size_t i = 0; i < sim_fifo_count(inbox); i++)
		wr_request(&w, sim_fifo_at(inbox, i));
	sim_wr_u32(&w, (uint32_t)sim_fifo_count(outbox));
	for (size_t i = 0; i < sim_fifo_count(outbox); i++)
		wr_report(&w, sim_fifo_at(outbox, i));
	*len = w.len;
	return w.len <= w.cap && elen <= UINT32_MAX ? TH_OK : TH_ERR_LIMIT;
}

static int rd_request(sim_rd *r, sim_request *q)
{
	th_order *o = &q->order;
	memset(q, 0, sizeof *q);
	q->due_ns = sim_rd_i64(r);
	q->kind = sim_rd_u8(r);
	if (sim_rd_str(r, o->client_order_id, sizeof o->client_order_id) != 0)
		return -1;
	if (q->kind == SIM_REQ_CANCEL || q->kind == SIM_REQ_QUERY)
		return r->bad ? -1 : 0;
	if (q->kind != SIM_REQ_SUBMIT || sim_rd_str(r, o->symbol, sizeof o->symbol) != 0)
		return -1;
	o->side = sim_rd_u8(r);
	o->type = sim_rd_u8(r);
	o->tif = sim_rd_u8(r);
	o->flags = sim_rd_u32(r);
	o->price = sim_rd_i64(r);
	o->stop_price = sim_rd_i64(r);
	o->qty = sim_rd_i64(r);
	o->price_scale = sim_rd_i32(r);
	o->qty_scale = sim_rd_i32(r);
	return r->bad ? -1 : 0; /* the engine validates the order itself when it arrives */
}

static int rd_report(sim_rd *r, sim_outgoing *m)
{
	memset(m, 0, sizeof *m);
	m->due_ns = sim_rd_i64(r);
	m->kind = sim_rd_u8(r);
	if (sim_rd_str(r, m->ev.h.symbol, sizeof m->ev.h.symbol) != 0)
		return -1;
	/* The venue name is the receiving instance's: sim_import_state sets it. */
	m->ev.h.type = m->kind == SIM_REPORT_FILL ? TH_EV_FILL : TH_EV_ORDER;
	m->ev.h.size = (uint32_t)(offsetof(th_event, u) +
	                          (m->kind == SIM_REPORT_FILL ? sizeof m->ev.u.fill : sizeof m->ev.u.order));
	if (m->kind == SIM_REPORT_ORDER) {
		th_order_update *u = &m->ev.u.order;
		if (sim_rd_str(r, u->client_order_id, sizeof u->client_order_id) != 0 ||
		    sim_rd_str(r, u->venue_order_id, sizeof u->venue_order_id) != 0)
			return -1;
		u->state = sim_rd_u8(r);
		u->side = sim_rd_u8(r);
		u->qty = sim_rd_i64(r);
		u->filled_qty = sim_rd_i64(r);
		u->price = sim_rd_i64(r);
		u->price_scale = sim_rd_i32(r);
		u->qty_scale = sim_rd_i32(r);
		if (sim_rd_str(r, u->reason, sizeof u->reason) != 0)
			return -1;
		return r->bad || u->state < TH_ORDER_SUBMITTED || u->state > TH_ORDER_ABSENT ? -1 : 0;
	}
	if (m->kind != SIM_REPORT_FILL)
		return -1;
	th_fill *f = &m->ev.u.fill;
	if (sim_rd_str(r, f->client_order_id, sizeof f->client_order_id) != 0 ||
	    sim_rd_str(r, f->venue_trade_id, sizeof f->venue_trade_id) != 0)
		return -1;
	f->side = sim_rd_u8(r);
	f->liquidity = sim_rd_u8(r);
	f->price = sim_rd_i64(r);
	f->qty = sim_rd_i64(r);
	f->fee = sim_rd_i64(r);
	if (sim_rd_str(r, f->fee_asset, sizeof f->fee_asset) != 0)
		return -1;
	f->price_scale = sim_rd_i32(r);
	f->qty_scale = sim_rd_i32(r);
	return r->bad ? -1 : 0;
}

/* Moves the contents of `from` into `to` (same element size). */
static void fifo_replace(sim_fifo *to, sim_fifo *from)
{
	sim_fifo_free(to);
	*to = *from;
	memset(from, 0, sizeof *from);
}

int sim_handover_decode(sim_engine *e, sim_fifo *inbox, sim_fifo *outbox, const void *buf, size_t len, char *err,
                        size_t errcap)
{
	sim_rd r = { .p = buf, .len = len, .off = 0, .bad = 0 };
	if (errcap)
		err[0] = '\0';
	if (len < 4 || memcmp(buf, SIM_HANDOVER_MAGIC, 4) != 0)
		return sim_engine_decode(e, buf, len, err, errcap); /* a bare engine state */
	sim_rd_take(&r, 4);
	uint32_t version = sim_rd_u16(&r);
	sim_rd_u16(&r);
	if (version != SIM_HANDOVER_VERSION) {
		snprintf(err, errcap, "unsupported hand-over version %u, this build reads %d", version,
		         SIM_HANDOVER_VERSION);
		return TH_ERR_INVALID;
	}
	uint32_t elen = sim_rd_u32(&r);
	const uint8_t *engine_bytes = sim_rd_take(&r, elen);
	if (!engine_bytes) {
		snprintf(err, errcap, "hand-over truncated in the engine state");
		return TH_ERR_INVALID;
	}

	sim_fifo in, out;
	sim_fifo_init(&in, inbox->elem, &inbox->al);
	sim_fifo_init(&out, outbox->elem, &outbox->al);
	const char *problem = NULL;
	uint32_t n = sim_rd_u32(&r);
	for (uint32_t i = 0; i < n && !problem; i++) {
		sim_request q;
		if (rd_request(&r, &q) != 0)
			problem = "malformed in-flight request";
		else if (sim_fifo_push(&in, &q) != TH_OK)
			problem = "out of memory";
	}
	n = problem ? 0 : sim_rd_u32(&r);
	for (uint32_t i = 0; i < n && !problem; i++) {
		sim_outgoing m;
		if (rd_report(&r, &m) != 0)
			problem = "malformed in-flight report";
		else if (sim_fifo_push(&out, &m) != TH_OK)
			problem = "out of memory";
	}
	if (!problem && (r.bad || r.off != r.len))
		problem = r.bad ? "hand-over truncated" : "unexpected bytes after the in-flight reports";
	int rc = TH_ERR_INVALID;
	if (problem)
		snprintf(err, errcap, "%s", problem);
	else
		rc = sim_engine_decode(e, engine_bytes, elen, err, errcap);
	if (rc == TH_OK) {
		fifo_replace(inbox, &in);
		fifo_replace(outbox, &out);
	}
	sim_fifo_free(&in);
	sim_fifo_free(&out);
	return rc;
}
