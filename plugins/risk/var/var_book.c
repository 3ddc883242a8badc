/*
 * The incremental engine (see the invariant in var_model.h): every event that
 * changes a return, a close or a position updates the scope P&L rings by the
 * difference of the affected terms only, so a bar costs O(window) per scope
 * holding that instrument and a check never rebuilds anything.
 */
#include <stdio.h>
#include <string.h>

#include "var_model.h"

static inline int64_t term(th_money value, double r)
{
	return var_money_round((double)value * r);
}

/* Applies value -> new_value of one instrument to a scope's ring. */
static void revalue(const var_hist *h, var_scope *sc, const var_inst *in, th_money old_value, th_money new_value)
{
	if (old_value == new_value || !h->started)
		return;
	var_span sp = var_hist_recent(h, h->n);
	const size_t a[2] = { sp.a0, sp.a1 }, n[2] = { sp.n0, sp.n1 };
	sc->pnl_gen++;
	for (int part = 0; part < 2; part++) {
		for (size_t i = a[part]; i < a[part] + n[part]; i++) {
			double r = in->ret[i];
			if (r != 0.0)
				sc->pnl[i] = var_add_sat(var_add_sat(sc->pnl[i], term(new_value, r)), -term(old_value, r));
		}
	}
}

static int value_of(const var_inst *in, th_qty qty, int32_t qty_scale, th_money *out)
{
	*out = 0;
	if (qty == 0 || !in->has_close)
		return 0;
	return th_notional(in->close, in->close_scale, qty, qty_scale, out);
}

static void mark_broken(var_scope *sc, const var_inst *in)
{
	sc->broken = 1;
	snprintf(sc->why, sizeof sc->why, "value of %s:%s overflows the money range", in->venue, in->symbol);
}

int var_book_set_position(var_model *m, var_scope *sc, uint32_t id, th_qty qty, int32_t qty_scale)
{
	var_inst *in = &m->hist.inst[id];
	th_money v;
	if (value_of(in, qty, qty_scale, &v) != 0) {
		mark_broken(sc, in);
		return -1;
	}
	revalue(&m->hist, sc, in, sc->value[id], v);
	if (sc->qty[id] != qty || sc->qscale[id] != (int8_t)qty_scale)
		sc->pos_gen++;
	sc->value[id] = v;
	sc->qty[id] = qty;
	sc->qscale[id] = (int8_t)qty_scale;
	if (qty != 0 && sc->held_at[id] < 0) {
		sc->held_at[id] = (int32_t)sc->nheld;
		sc->held[sc->nheld++] = id;
	} else if (qty == 0 && sc->held_at[id] >= 0) {
		size_t at = (size_t)sc->held_at[id];
		uint32_t last = sc->held[--sc->nheld];
		sc->held[at] = last;
		sc->held_at[last] = (int32_t)at;
		sc->held_at[id] = -1;
	}
	return 0;
}

/* New slots enter the window: every instrument made no return there yet, so
 * the entries (and every scope's P&L there) start at exactly 0. */
static void advance(var_model *m, int64_t slot)
{
	var_hist *h = &m->hist;
	int64_t steps = slot - h->s;
	size_t from = 0, count = h->window;
	if (steps < (int64_t)h->window) {
		from = var_hist_idx(h, h->s + 1);
		count = (size_t)steps;
	}
	for (size_t k = 0; k < count; k++) {
		size_t idx = (from + k) % h->window;
		for (size_t i = 0; i < h->ninst; i++)
			h->inst[i].ret[idx] = 0.0;
		for (size_t j = 0; j < m->max_scopes; j++) {
			if (m->scopes[j].live) {
				m->scopes[j].pnl[idx] = 0;
				m->scopes[j].pnl_gen++;
			}
		}
	}
	h->s = slot;
	int64_t span = h->s - h->s0 + 1;
	h->n = span < (int64_t)h->window ? (size_t)span : h->window;
}

/* The instrument missed too many bars: its old history no longer joins up
 * with the new one, so it starts again (and lacks data until it has enough). */
static void restart(var_model *m, uint32_t id, int64_t slot)
{
	var_hist *h = &m->hist;
	var_inst *in = &h->inst[id];
	for (size_t j = 0; j < m->max_scopes; j++) {
		var_scope *sc = &m->scopes[j];
		if (sc->live && sc->held_at[id] >= 0)
			revalue(h, sc, in, sc->value[id], 0);
	}
	memset(in->ret, 0, h->window * sizeof *in->ret);
	for (size_t j = 0; j < m->max_scopes; j++) {
		var_scope *sc = &m->scopes[j];
		if (sc->live && sc->held_at[id] >= 0)
			sc->value[id] = 0; /* the ring is zero now: any value matches it; revalued below */
	}
	in->first_ret = slot + 1;
}

void var_book_on_bar(var_model *m, const th_event *ev)
{
	const th_bar *b = &ev->u.bar;
	var_hist *h = &m->hist;
	if (b->interval_ns <= 0 || b->close <= 0 || b->open_time_ns < 0 || b->price_scale < 0 ||
		b->price_scale > TH_SCALE_MAX)
		return;
	if (h->interval_ns == 0)
		h->interval_ns = b->interval_ns; /* adopt the first timeframe seen */
	else if (b->interval_ns != h->interval_ns)
		return;
	int32_t sid = var_hist_intern(h, ev->h.venue, ev->h.symbol);
	if (sid < 0) {
		if (!m->warned_full) {
			m->api->logf(m->ctx, TH_LOG_WARN, "var: instrument table full (max_instruments %lld): %s:%s ignored",
				(long long)m->cfg.max_instruments, ev->h.venue, ev->h.symbol);
			m->warned_full = 1;
		}
		return;
	}
	uint32_t id = (uint32_t)sid;
	var_inst *in = &h->inst[id];
	int64_t slot = b->open_time_ns / h->interval_ns;
	if (in->has_close && slot <= in->last_slot)
		return; /* a repeat or an older bar: the window only moves forward */
	if (!h->started) {
		h->started = 1;
		h->s0 = h->s = slot;
		h->n = 1;
	} else if (slot > h->s) {
		advance(m, slot);
	}
	if (!in->has_close) {
		in->first_ret = slot + 1;
	} else if (slot - in->last_slot - 1 > m->cfg.max_stale_bars) {
		restart(m, id, slot);
	} else if (slot >= h->s0 && slot > h->s - (int64_t)h->window) {
		double r = var_hist_return(in->close, in->close_scale, b->close, b->price_scale);
		size_t idx = var_hist_idx(h, slot);
		in->ret[idx] = r;
		for (size_t j = 0; j < m->max_scopes; j++) {
			var_scope *sc = &m->scopes[j];
			if (sc->live && sc->held_at[id] >= 0) {
				sc->pnl[idx] = var_add_sat(sc->pnl[idx], term(sc->value[id], r));
				sc->pnl_gen++;
			}
		}
	}
	in->close = b->close;
	in->close_scale = b->price_scale;
	in->has_close = 1;
	in->last_slot = slot;
	h->gen++;
	/* revalue the positions at the new close */
	for (size_t j = 0; j < m->max_scopes; j++) {
		var_scope *sc = &m->scopes[j];
		if (sc->live && sc->held_at[id] >= 0)
			var_book_set_position(m, sc, id, sc->qty[id], sc->qscale[id]);
	}
}
