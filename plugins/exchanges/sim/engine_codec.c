/*
 * sim engine — the venue's state as bytes, for persistence (host state_put
 * after every change) and hot reload (export_state / import_state).
 *
 * The format is explicit and versioned, never a struct dump: every field is
 * written one by one, integers little-endian, strings as a 1-byte length and
 * their bytes (no NUL). Version 1:
 *
 *   "SIMV"  u16 version=1  u16 reserved=0
 *   i64 session  u64 next_order_no  u64 next_trade_no  u64 next_seq
 *   u32 nbooks, then per book:
 *     str symbol  i32 price_scale  i32 qty_scale  i64 position  i64 fees
 *   u32 norders, then per order (open orders in arrival order, then finished
 *   ones oldest first):
 *     str client_order_id  u32 book (index in the list above)
 *     u8 side  u8 type  u8 tif  u32 flags  u8 state  u8 phase
 *     i64 price  i64 stop_price  i64 qty  i64 filled  i64 fees
 *     u64 order_no  u64 seq  str reason
 *     u32 nfills, then per fill: u64 trade_no  i64 price  i64 qty  i64 fee  u8 liquidity
 *
 * Decoding checks everything (ranges, states, sums, references, trailing
 * bytes) and names the first problem. The market view (last quote, last
 * price) is not state: it is rebuilt from the next market events.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"
#include "sim_bytes.h"

#define SIM_STATE_MAGIC "SIMV"
#define SIM_STATE_VERSION 1

static void wr_order(sim_wr *w, const sim_order *o)
{
	sim_wr_str(w, o->o.client_order_id);
	sim_wr_u32(w, o->book);
	sim_wr_u8(w, o->o.side);
	sim_wr_u8(w, o->o.type);
	sim_wr_u8(w, o->o.tif);
	sim_wr_u32(w, o->o.flags);
	sim_wr_u8(w, o->state);
	sim_wr_u8(w, o->phase);
	sim_wr_i64(w, o->o.price);
	sim_wr_i64(w, o->o.stop_price);
	sim_wr_i64(w, o->o.qty);
	sim_wr_i64(w, o->filled);
	sim_wr_i64(w, o->fees);
	sim_wr_u64(w, o->order_no);
	sim_wr_u64(w, o->seq);
	sim_wr_str(w, o->reason);
	sim_wr_u32(w, (uint32_t)o->nfills);
	for (size_t i = 0; i < o->nfills; i++) {
		const sim_fill_rec *f = &o->fills[i];
		sim_wr_u64(w, f->trade_no);
		sim_wr_i64(w, f->price);
		sim_wr_i64(w, f->qty);
		sim_wr_i64(w, f->fee);
		sim_wr_u8(w, f->liquidity);
	}
}

int sim_engine_encode(const sim_engine *e, void *buf, size_t cap, size_t *len)
{
	sim_wr w = { .p = buf, .cap = buf ? cap : 0, .len = 0 };
	size_t norders = e->closed_count;
	for (size_t i = 0; i < e->nbooks; i++)
		norders += e->books[i].nopen;

	sim_wr_bytes(&w, SIM_STATE_MAGIC, 4);
	sim_wr_u16(&w, SIM_STATE_VERSION);
	sim_wr_u16(&w, 0);
	sim_wr_i64(&w, e->cfg.session);
	sim_wr_u64(&w, e->next_order_no);
	sim_wr_u64(&w, e->next_trade_no);
	sim_wr_u64(&w, e->next_seq);
	sim_wr_u32(&w, (uint32_t)e->nbooks);
	for (size_t i = 0; i < e->nbooks; i++) {
		const sim_book *b = &e->books[i];
		sim_wr_str(&w, b->inst.symbol);
		sim_wr_i32(&w, b->inst.price_scale);
		sim_wr_i32(&w, b->inst.qty_scale);
		sim_wr_i64(&w, b->position);
		sim_wr_i64(&w, b->fees);
	}
	sim_wr_u32(&w, (uint32_t)norders);
	for (size_t i = 0; i < e->nbooks; i++)
		for (size_t k = 0; k < e->books[i].nopen; k++)
			wr_order(&w, e->books[i].open[k]);
	for (size_t k = 0; k < e->closed_count; k++)
		wr_order(&w, e->closed[(e->closed_head + k) % e->cfg.retain_closed]);
	*len = w.len;
	return w.len <= w.cap ? TH_OK : TH_ERR_LIMIT;
}

static int sim_errf(char *err, size_t cap, const char *what, const char *detail)
{
	snprintf(err, cap, "%s%s%s", what, detail[0] ? ": " : "", detail);
	return TH_ERR_INVALID;
}

static int sim_state_is_open(uint32_t state)
{
	return state == TH_ORDER_ACCEPTED || state == TH_ORDER_PARTIALLY_FILLED;
}

static int sim_state_is_final(uint32_t state)
{
	return state == TH_ORDER_FILLED || state == TH_ORDER_CANCELED || state == TH_ORDER_REJECTED ||
	       state == TH_ORDER_EXPIRED;
}

/* Decodes one order into a new allocation of `t`; NULL with err set. */
static sim_order *rd_order(sim_engine *t, sim_rd *r, const int32_t *bookmap, uint32_t nbooks, char *err,
                           size_t errcap)
{
	char what[96];
	sim_order *o = sim_order_new(t);
	if (!o) {
		sim_errf(err, errcap, "out of memory", "");
		return NULL;
	}
	int name_ok = sim_rd_str(r, o->o.client_order_id, sizeof o->o.client_order_id) == 0;
	snprintf(what, sizeof what, "order '%s'", name_ok ? o->o.client_order_id : "?");
	uint32_t book = sim_rd_u32(r);
	o->o.side = sim_rd_u8(r);
	o->o.type = sim_rd_u8(r);
	o->o.tif = sim_rd_u8(r);
	o->o.flags = sim_rd_u32(r);
	o->state = sim_rd_u8(r);
	o->phase = sim_rd_u8(r);
	o->o.price = sim_rd_i64(r);
	o->o.stop_price = sim_rd_i64(r);
	o->o.qty = sim_rd_i64(r);
	o->filled = sim_rd_i64(r);
	o->fees = sim_rd_i64(r);
	o->order_no = sim_rd_u64(r);
	o->seq = sim_rd_u64(r);
	int reason_ok = sim_rd_str(r, o->reason, sizeof o->reason) == 0;
	uint32_t nfills = sim_rd_u32(r);
	const char *problem = NULL;

	if (r->bad)
		problem = "truncated";
	else if (!name_ok || !o->o.client_order_id[0])
		problem = "client order id is empty or too long";
	else if (!reason_ok)
		problem = "reason too long";
	else if (book >= nbooks || bookmap[book] < 0)
		problem = "refers to a symbol that is not configured";
	else if (sim_find(t, o->o.client_order_id))
		problem = "client order id appears twice";
	else if (o->o.side < TH_SIDE_BUY || o->o.side > TH_SIDE_SELL || o->o.type < TH_ORDER_MARKET ||
	         o->o.type > TH_ORDER_STOP_LIMIT || o->o.tif < TH_TIF_GTC || o->o.tif > TH_TIF_FOK ||
	         (o->o.flags & ~(TH_ORDER_POST_ONLY | TH_ORDER_REDUCE_ONLY)))
		problem = "side, type, time in force or flags out of range";
	else if (!(sim_state_is_open(o->state) && o->phase >= SIM_PH_TRIGGER && o->phase <= SIM_PH_RESTING) &&
	         !(sim_state_is_final(o->state) && o->phase == SIM_PH_DONE))
		problem = "state and phase disagree";
	else if (o->state != TH_ORDER_REJECTED && (o->o.qty <= 0 || o->filled < 0 || o->filled > o->o.qty))
		problem = "filled quantity out of range";
	else if ((o->state == TH_ORDER_FILLED) != (o->state != TH_ORDER_REJECTED && o->filled == o->o.qty))
		problem = "filled quantity disagrees with the state";
	else if (o->order_no == 0 || o->order_no >= t->next_order_no || o->seq >= t->next_seq)
		problem = "order number or sequence beyond the counters";
	else if (nfills > r->len - r->off) /* each fill takes 33 bytes: cheap bound before allocating */
		problem = "truncated";
	if (problem) {
		sim_errf(err, errcap, what, problem);
		sim_order_free(t, o);
		return NULL;
	}
	o->book = (uint32_t)bookmap[book];
	const th_instrument *in = &t->books[o->book].inst;
	th_strlcpy(o->o.symbol, in->symbol, sizeof o->o.symbol);
	o->o.price_scale = in->price_scale;
	o->o.qty_scale = in->qty_scale;

	if (nfills && sim_mem_reserve(t, &o->fills, &o->capfills, sizeof *o->fills, nfills) != TH_OK) {
		sim_errf(err, errcap, "out of memory", "");
		sim_order_free(t, o);
		return NULL;
	}
	th_qty sum = 0;
	for (uint32_t i = 0; i < nfills && !problem; i++) {
		sim_fill_rec *f = &o->fills[o->nfills++];
		f->trade_no = sim_rd_u64(r);
		f->price = sim_rd_i64(r);
		f->qty = sim_rd_i64(r);
		f->fee = sim_rd_i64(r);
		f->liquidity = sim_rd_u8(r);
		if (r->bad)
			problem = "truncated fill";
		else if (f->trade_no == 0 || f->trade_no >= t->next_trade_no || f->price <= 0 || f->qty <= 0 ||
		         (f->liquidity != TH_LIQ_MAKER && f->liquidity != TH_LIQ_TAKER) ||
		         __builtin_add_overflow(sum, f->qty, &sum))
			problem = "fill out of range";
	}
	if (!problem && sum != o->filled)
		problem = "fills do not add up to the filled quantity";
	if (problem) {
		sim_errf(err, errcap, what, problem);
		sim_order_free(t, o);
		return NULL;
	}
	return o;
}

static int sim_seq_cmp(const void *pa, const void *pb)
{
	const sim_order *a = *(sim_order *const *)pa, *b = *(sim_order *const *)pb;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void sim_noop_report(void *arg, const sim_report *r)
{
	(void)arg;
	(void)r;
}

/* Decodes into the fresh engine `t`. */
static int sim_decode_into(sim_engine *t, sim_rd *r, char *err, size_t errcap)
{
	char detail[160];
	const uint8_t *magic = sim_rd_take(r, 4);
	if (!magic || memcmp(magic, SIM_STATE_MAGIC, 4) != 0)
		return sim_errf(err, errcap, "not a sim venue state", "bad magic");
	uint32_t version = sim_rd_u16(r);
	sim_rd_u16(r);
	if (version != SIM_STATE_VERSION) {
		snprintf(detail, sizeof detail, "version %u, this build reads %d", version, SIM_STATE_VERSION);
		return sim_errf(err, errcap, "unsupported sim venue state", detail);
	}
	t->cfg.session = sim_rd_i64(r);
	sim_ids_reset(t);
	t->next_order_no = sim_rd_u64(r);
	t->next_trade_no = sim_rd_u64(r);
	t->next_seq = sim_rd_u64(r);
	uint32_t nbooks = sim_rd_u32(r);
	if (r->bad || t->next_order_no == 0 || t->next_trade_no == 0 || t->next_seq == 0 || nbooks > r->len)
		return sim_errf(err, errcap, "sim venue state", "header truncated or out of range");

	int32_t *bookmap = sim_mem_alloc(t, (nbooks ? nbooks : 1) * sizeof *bookmap);
	if (!bookmap)
		return sim_errf(err, errcap, "out of memory", "");
	int rc = TH_OK;
	for (uint32_t i = 0; i < nbooks && rc == TH_OK; i++) {
		char symbol[TH_SYMBOL_MAX];
		int sym_ok = sim_rd_str(r, symbol, sizeof symbol) == 0;
		int32_t ps = sim_rd_i32(r), qs = sim_rd_i32(r);
		int64_t position = sim_rd_i64(r), fees = sim_rd_i64(r);
		bookmap[i] = -1;
		if (r->bad || !sym_ok) {
			rc = sim_errf(err, errcap, "sim venue state", "symbol list truncated or malformed");
			break;
		}
		sim_book *b = sim_book_find(t, symbol);
		if (!b) {
			/* A symbol dropped from the configuration is fine if nothing is left on it. */
			if (position != 0) {
				snprintf(detail, sizeof detail, "symbol '%s' holds a position but is no longer configured",
				         symbol);
				rc = sim_errf(err, errcap, "sim venue state", detail);
			}
			continue;
		}
		if (b->inst.price_scale != ps || b->inst.qty_scale != qs) {
			snprintf(detail, sizeof detail,
			         "symbol '%s' was saved with price_scale %d / qty_scale %d, configured %d / %d", symbol, ps,
			         qs, b->inst.price_scale, b->inst.qty_scale);
			rc = sim_errf(err, errcap, "sim venue state", detail);
			break;
		}
		b->position = position;
		b->fees = fees;
		bookmap[i] = (int32_t)(b - t->books);
	}
	uint32_t norders = rc == TH_OK ? sim_rd_u32(r) : 0;
	if (rc == TH_OK && (r->bad || norders > r->len))
		rc = sim_errf(err, errcap, "sim venue state", "order count truncated or out of range");
	for (uint32_t i = 0; i < norders && rc == TH_OK; i++) {
		sim_order *o = rd_order(t, r, bookmap, nbooks, err, errcap);
		if (!o) {
			rc = TH_ERR_INVALID;
			break;
		}
		if (sim_index_add(t, o, sim_clid_hash(o->o.client_order_id)) != TH_OK) {
			sim_order_free(t, o);
			rc = sim_errf(err, errcap, "out of memory", "");
			break;
		}
		if (o->phase == SIM_PH_DONE) {
			sim_retire(t, o);
		} else if (sim_book_add(t, &t->books[o->book], o) != TH_OK) {
			/* Indexed but not owned by a book: drop it from the index first. */
			sim_retire(t, o);
			rc = sim_errf(err, errcap, "out of memory", "");
		}
	}
	sim_mem_free(t, bookmap);
	if (rc == TH_OK && r->off != r->len) {
		snprintf(detail, sizeof detail, "%zu unexpected bytes after the last order", r->len - r->off);
		rc = sim_errf(err, errcap, "sim venue state", detail);
	}
	if (rc == TH_OK)
		for (size_t i = 0; i < t->nbooks; i++)
			if (t->books[i].nopen > 1)
				qsort(t->books[i].open, t->books[i].nopen, sizeof *t->books[i].open, sim_seq_cmp);
	return rc;
}

int sim_engine_decode(sim_engine *e, const void *buf, size_t len, char *err, size_t errcap)
{
	sim_engine *t;
	sim_rd r = { .p = buf, .len = len, .off = 0, .bad = 0 };
	if (errcap)
		err[0] = '\0';
	if (!buf && len)
		return sim_errf(err, errcap, "sim venue state", "no data");
	int rc = sim_engine_create(&e->cfg, e->instruments, e->nbooks, &e->al, sim_noop_report, NULL, &t);
	if (rc != TH_OK)
		return sim_errf(err, errcap, "out of memory", "");
	rc = sim_decode_into(t, &r, err, errcap);
	if (rc != TH_OK) {
		sim_engine_destroy(t);
		return rc;
	}
	/* Swap contents: e keeps its address (the plugin holds it), t takes the
	 * old state and is destroyed with it. No pointer refers to the engine
	 * struct itself, so a struct swap is safe. */
	t->report = e->report;
	t->report_arg = e->report_arg;
	t->changes = e->changes + 1;
	sim_engine old = *e;
	*e = *t;
	*t = old;
	sim_engine_destroy(t);
	return TH_OK;
}
