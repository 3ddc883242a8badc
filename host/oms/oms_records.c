#include "oms/oms_records.h"

#include <string.h>

#include "common/codec.h"

#define W_BEGIN(buf, cap) codec_w w = { buf, 0, cap, 0 }; cw_u32(&w, OMS_REC_VERSION)
#define W_END() return w.err ? 0 : w.len
#define R_BEGIN(p, len, r) codec_r rd = { p, len, 0, 0 }; memset(r, 0, sizeof *r); if (cr_u32(&rd) != OMS_REC_VERSION) return -1
#define R_END() return (rd.err || rd.pos != rd.len) ? -1 : 0

static void w_order(codec_w *w, const th_order *o)
{
	cw_str(w, o->client_order_id);
	cw_str(w, o->symbol);
	cw_u32(w, o->side);
	cw_u32(w, o->type);
	cw_u32(w, o->tif);
	cw_u32(w, o->flags);
	cw_i64(w, o->price);
	cw_i64(w, o->stop_price);
	cw_i64(w, o->qty);
	cw_i32(w, o->price_scale);
	cw_i32(w, o->qty_scale);
}

static void r_order(codec_r *r, th_order *o)
{
	cr_str(r, o->client_order_id, sizeof o->client_order_id);
	cr_str(r, o->symbol, sizeof o->symbol);
	o->side = cr_u32(r);
	o->type = cr_u32(r);
	o->tif = cr_u32(r);
	o->flags = cr_u32(r);
	o->price = cr_i64(r);
	o->stop_price = cr_i64(r);
	o->qty = cr_i64(r);
	o->price_scale = cr_i32(r);
	o->qty_scale = cr_i32(r);
}

size_t oms_enc_deposit(uint8_t *buf, size_t cap, const oms_rec_deposit *r)
{
	W_BEGIN(buf, cap);
	cw_i64(&w, r->amount);
	W_END();
}

int oms_dec_deposit(const void *p, size_t len, oms_rec_deposit *r)
{
	R_BEGIN(p, len, r);
	r->amount = cr_i64(&rd);
	R_END();
}

size_t oms_enc_allocate(uint8_t *buf, size_t cap, const oms_rec_allocate *r)
{
	W_BEGIN(buf, cap);
	cw_str(&w, r->from);
	cw_str(&w, r->to);
	cw_i64(&w, r->amount);
	W_END();
}

int oms_dec_allocate(const void *p, size_t len, oms_rec_allocate *r)
{
	R_BEGIN(p, len, r);
	cr_str(&rd, r->from, sizeof r->from);
	cr_str(&rd, r->to, sizeof r->to);
	r->amount = cr_i64(&rd);
	R_END();
}

size_t oms_enc_order_new(uint8_t *buf, size_t cap, const oms_rec_order_new *r)
{
	W_BEGIN(buf, cap);
	cw_u64(&w, r->counter);
	cw_u64(&w, r->intent_id);
	cw_str(&w, r->agent);
	cw_str(&w, r->farm);
	cw_str(&w, r->venue);
	w_order(&w, &r->order);
	cw_i64(&w, r->reserve_price);
	cw_i64(&w, r->fee_budget);
	W_END();
}

int oms_dec_order_new(const void *p, size_t len, oms_rec_order_new *r)
{
	R_BEGIN(p, len, r);
	r->counter = cr_u64(&rd);
	r->intent_id = cr_u64(&rd);
	cr_str(&rd, r->agent, sizeof r->agent);
	cr_str(&rd, r->farm, sizeof r->farm);
	cr_str(&rd, r->venue, sizeof r->venue);
	r_order(&rd, &r->order);
	r->reserve_price = cr_i64(&rd);
	r->fee_budget = cr_i64(&rd);
	R_END();
}

size_t oms_enc_order_update(uint8_t *buf, size_t cap, const oms_rec_order_update *r)
{
	W_BEGIN(buf, cap);
	cw_str(&w, r->client_order_id);
	cw_str(&w, r->venue_order_id);
	cw_u32(&w, r->state);
	cw_i64(&w, r->filled_qty);
	cw_str(&w, r->reason);
	W_END();
}

int oms_dec_order_update(const void *p, size_t len, oms_rec_order_update *r)
{
	R_BEGIN(p, len, r);
	cr_str(&rd, r->client_order_id, sizeof r->client_order_id);
	cr_str(&rd, r->venue_order_id, sizeof r->venue_order_id);
	r->state = cr_u32(&rd);
	r->filled_qty = cr_i64(&rd);
	cr_str(&rd, r->reason, sizeof r->reason);
	R_END();
}

size_t oms_enc_fill(uint8_t *buf, size_t cap, const oms_rec_fill *r)
{
	const th_fill *f = &r->fill;
	W_BEGIN(buf, cap);
	cw_str(&w, r->venue);
	cw_str(&w, f->client_order_id);
	cw_str(&w, f->venue_trade_id);
	cw_u32(&w, f->side);
	cw_u32(&w, f->liquidity);
	cw_i64(&w, f->price);
	cw_i64(&w, f->qty);
	cw_i64(&w, f->fee);
	cw_str(&w, f->fee_asset);
	cw_i32(&w, f->price_scale);
	cw_i32(&w, f->qty_scale);
	W_END();
}

int oms_dec_fill(const void *p, size_t len, oms_rec_fill *r)
{
	th_fill *f = &r->fill;
	R_BEGIN(p, len, r);
	cr_str(&rd, r->venue, sizeof r->venue);
	cr_str(&rd, f->client_order_id, sizeof f->client_order_id);
	cr_str(&rd, f->venue_trade_id, sizeof f->venue_trade_id);
	f->side = cr_u32(&rd);
	f->liquidity = cr_u32(&rd);
	f->price = cr_i64(&rd);
	f->qty = cr_i64(&rd);
	f->fee = cr_i64(&rd);
	cr_str(&rd, f->fee_asset, sizeof f->fee_asset);
	f->price_scale = cr_i32(&rd);
	f->qty_scale = cr_i32(&rd);
	R_END();
}

size_t oms_enc_collect(uint8_t *buf, size_t cap, const oms_rec_collect *r)
{
	W_BEGIN(buf, cap);
	cw_str(&w, r->wallet);
	W_END();
}

int oms_dec_collect(const void *p, size_t len, oms_rec_collect *r)
{
	R_BEGIN(p, len, r);
	cr_str(&rd, r->wallet, sizeof r->wallet);
	R_END();
}

size_t oms_enc_named(uint8_t *buf, size_t cap, const oms_rec_named *r)
{
	W_BEGIN(buf, cap);
	cw_str(&w, r->name);
	cw_i64(&w, r->value);
	W_END();
}

int oms_dec_named(const void *p, size_t len, oms_rec_named *r)
{
	R_BEGIN(p, len, r);
	cr_str(&rd, r->name, sizeof r->name);
	r->value = cr_i64(&rd);
	R_END();
}

size_t oms_enc_decision(uint8_t *buf, size_t cap, const oms_rec_decision *r)
{
	W_BEGIN(buf, cap);
	cw_str(&w, r->agent);
	cw_str(&w, r->who);
	cw_u64(&w, r->intent_id);
	cw_u32(&w, r->approved);
	cw_u32(&w, r->reason_code);
	cw_str(&w, r->message);
	W_END();
}

int oms_dec_decision(const void *p, size_t len, oms_rec_decision *r)
{
	R_BEGIN(p, len, r);
	cr_str(&rd, r->agent, sizeof r->agent);
	cr_str(&rd, r->who, sizeof r->who);
	r->intent_id = cr_u64(&rd);
	r->approved = cr_u32(&rd);
	r->reason_code = cr_u32(&rd);
	cr_str(&rd, r->message, sizeof r->message);
	R_END();
}

static void w_actions(codec_w *w, const goals_actions *a)
{
	/* a configuration ratio, journaled as parts per 10^9 like SET_WEIGHT */
	double ppb = a->weight >= 0 && a->weight < 9e9 ? a->weight * 1e9 + 0.5 : 0;
	cw_u32(w, a->flags);
	cw_i64(w, (int64_t)ppb);
	cw_i64(w, a->amount);
}

static void r_actions(codec_r *r, goals_actions *a)
{
	a->flags = cr_u32(r);
	a->weight = (double)cr_i64(r) / 1e9;
	a->amount = cr_i64(r);
}

size_t oms_enc_goal(uint8_t *buf, size_t cap, const oms_rec_goal *r)
{
	const goals_spec *s = &r->spec;
	W_BEGIN(buf, cap);
	cw_u32(&w, r->id);
	cw_str(&w, s->label);
	cw_i32(&w, s->scope);
	cw_str(&w, s->target);
	cw_u32(&w, s->criteria);
	cw_i64(&w, s->profit);
	cw_i64(&w, s->return_bps);
	cw_u32(&w, s->trades);
	cw_i64(&w, s->win_rate_bps);
	cw_i64(&w, s->max_drawdown_bps);
	cw_i64(&w, s->deadline_ns);
	w_actions(&w, &s->on_hit);
	w_actions(&w, &s->on_miss);
	cw_str(&w, r->kind);
	cw_str(&w, r->value);
	cw_str(&w, r->action);
	cw_i64(&w, r->created_ns);
	W_END();
}

int oms_dec_goal(const void *p, size_t len, oms_rec_goal *r)
{
	goals_spec *s = &r->spec;
	R_BEGIN(p, len, r);
	r->id = cr_u32(&rd);
	cr_str(&rd, s->label, sizeof s->label);
	s->scope = cr_i32(&rd);
	cr_str(&rd, s->target, sizeof s->target);
	s->criteria = cr_u32(&rd);
	s->profit = cr_i64(&rd);
	s->return_bps = cr_i64(&rd);
	s->trades = cr_u32(&rd);
	s->win_rate_bps = cr_i64(&rd);
	s->max_drawdown_bps = cr_i64(&rd);
	s->deadline_ns = cr_i64(&rd);
	r_actions(&rd, &s->on_hit);
	r_actions(&rd, &s->on_miss);
	cr_str(&rd, r->kind, sizeof r->kind);
	cr_str(&rd, r->value, sizeof r->value);
	cr_str(&rd, r->action, sizeof r->action);
	r->created_ns = cr_i64(&rd);
	R_END();
}

size_t oms_enc_goal_ref(uint8_t *buf, size_t cap, const oms_rec_goal_ref *r)
{
	W_BEGIN(buf, cap);
	cw_u32(&w, r->id);
	cw_u32(&w, r->state);
	cw_i64(&w, r->progress_ppm);
	W_END();
}

int oms_dec_goal_ref(const void *p, size_t len, oms_rec_goal_ref *r)
{
	R_BEGIN(p, len, r);
	r->id = cr_u32(&rd);
	r->state = cr_u32(&rd);
	r->progress_ppm = cr_i64(&rd);
	R_END();
}
