/* Fills: position (average cost), realized PnL, fees, shorts' collateral,
 * release of the order's reservation and shortfall draws up the hierarchy.
 *
 * Two phases so that a refused fill changes nothing: fill_plan() computes
 * every amount from the current state without touching it (a position or
 * instrument that does not exist yet is planned as flat); fill_commit()
 * registers what is new, posts one ledger transaction and only then updates
 * positions and orders. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tradehost/th_status.h>

#include "ledger/capital_internal.h"

typedef struct fill_plan {
	int buy;
	th_qty q, red, op, a, b, newq;
	th_money rel;                       /* reservation released */
	th_money fee_q, fee_other, fee_red; /* quote-valued fee, foreign-asset fee, reducing part's fee */
	th_money n_red, n_op, cr, efr, qb;
	th_money from_farm, from_master;    /* shortfall draws */
	th_money d_cash, d_coll, d_mkt;     /* ledger changes (d_cash includes the draws) */
	th_money newcost, newfees, newreal, newpfees, trade_pnl;
	const char *fee_asset;
} fill_plan;

static int fits(cap_i128 v)
{
	return v >= INT64_MIN && v <= INT64_MAX;
}

static int fill_plan_make(const capital_t *c, const cap_wallet *w, const cap_position *pos, const cap_instr *in,
	const cap_order *o, const th_fill *f, fill_plan *pl, char *err, size_t errlen)
{
	char b1[48], b2[48], b3[48];
	const char *what = o ? o->key : f->client_order_id;
	memset(pl, 0, sizeof *pl);
	if (f->side != TH_SIDE_BUY && f->side != TH_SIDE_SELL) {
		cap_err(err, errlen, "fill for '%s': side %u is neither buy nor sell", what, f->side);
		return TH_ERR_INVALID;
	}
	if (f->qty <= 0 || f->price <= 0) {
		cap_err(err, errlen, "fill for '%s': price (%lld) and qty (%lld) must be > 0", what, (long long)f->price,
			(long long)f->qty);
		return TH_ERR_INVALID;
	}
	if (f->price_scale != in->price_scale || f->qty_scale != in->qty_scale) {
		cap_err(err, errlen, "fill for '%s': scales %d/%d differ from instrument %s/%s's %d/%d", what,
			(int)f->price_scale, (int)f->qty_scale, in->venue, in->symbol, (int)in->price_scale,
			(int)in->qty_scale);
		return TH_ERR_INVALID;
	}
	if (o && f->side != o->side) {
		cap_err(err, errlen, "fill for '%s' is a %s, the order a %s", what, cap_side_name(f->side),
			cap_side_name(o->side));
		return TH_ERR_INVALID;
	}
	if (o && f->qty > o->remaining) {
		cap_err(err, errlen, "fill for '%s': qty %lld exceeds the order's unfilled %lld", what, (long long)f->qty,
			(long long)o->remaining);
		return TH_ERR_INVALID;
	}
	/* see capital.fee_quote_seen */
	int fee_in_quote = c->fee_quote_set && memcmp(f->fee_asset, c->fee_quote_seen, sizeof f->fee_asset) == 0;
	if (!fee_in_quote) {
		if (!memchr(f->fee_asset, 0, sizeof f->fee_asset) || strchr(f->fee_asset, '/')) {
			cap_err(err, errlen, "fill for '%s': fee asset is invalid", what);
			return TH_ERR_INVALID;
		}
		fee_in_quote = !f->fee_asset[0] || strcmp(f->fee_asset, c->quote) == 0;
		if (fee_in_quote) { /* the cast as for the hints (capital.hint_wallet) */
			memcpy(((capital_t *)c)->fee_quote_seen, f->fee_asset, sizeof f->fee_asset);
			((capital_t *)c)->fee_quote_set = 1;
		}
	}
	pl->buy = f->side == TH_SIDE_BUY;
	pl->q = f->qty;
	th_qty Q = pos->qty;
	if (__builtin_add_overflow(Q, pl->buy ? pl->q : -pl->q, &pl->newq)) {
		cap_err(err, errlen, "fill for '%s': position quantity overflows", what);
		return TH_ERR_LIMIT;
	}
	if (pl->buy && Q < 0)
		pl->red = pl->q < -Q ? pl->q : -Q;
	else if (!pl->buy && Q > 0)
		pl->red = pl->q < Q ? pl->q : Q;
	pl->op = pl->q - pl->red;
	/* The order's plan: its reduction allowance first, then the reserved part. */
	pl->a = o ? (pl->q < o->reduce_rem ? pl->q : o->reduce_rem) : 0;
	pl->b = pl->q - pl->a;
	pl->rel = (o && pl->b > 0) ? cap_share(o->res_rem, pl->b, o->open_rem) : 0;
	/* The fee in quote money (see capital.h, Fees). */
	pl->fee_asset = f->fee_asset;
	if (fee_in_quote) {
		pl->fee_q = f->fee;
	} else if (strcmp(f->fee_asset, in->base) == 0) {
		if (th_fixed_muldiv(f->fee, f->price, th_pow10(in->price_scale), &pl->fee_q) != 0) {
			cap_err(err, errlen, "fill for '%s': fee value overflows", what);
			return TH_ERR_INVALID;
		}
	} else {
		pl->fee_other = f->fee;
	}
	if ((pl->red && th_notional(f->price, in->price_scale, pl->red, in->qty_scale, &pl->n_red) != 0) ||
		(pl->op && th_notional(f->price, in->price_scale, pl->op, in->qty_scale, &pl->n_op) != 0) ||
		th_fixed_rescale(pl->q, in->qty_scale, TH_MONEY_SCALE, &pl->qb) != 0) {
		cap_err(err, errlen, "fill for '%s': notional overflows", what);
		return TH_ERR_LIMIT;
	}
	th_qty absQ = Q < 0 ? -Q : Q;
	if (pl->red) {
		pl->cr = cap_share(pos->cost, pl->red, absQ);
		pl->efr = cap_share(pos->entry_fees, pl->red, absQ);
	}
	cap_i128 realized = 0, d_cash = pl->rel, d_coll = 0, d_mkt = 0;
	if (pl->red && !pl->buy) { /* selling out of a long */
		realized = (cap_i128)pl->n_red - pl->cr;
		d_cash += pl->n_red;
		d_mkt -= pl->n_red;
	} else if (pl->red) { /* buying back a short: paid from its collateral (cr < 0) */
		realized = -(cap_i128)pl->cr - pl->n_red;
		d_coll += 2 * (cap_i128)pl->cr;
		d_cash += -2 * (cap_i128)pl->cr - pl->n_red;
		d_mkt += pl->n_red;
	}
	if (pl->op && pl->buy) {
		d_cash -= pl->n_op;
		d_mkt += pl->n_op;
	} else if (pl->op) { /* a new short: proceeds and an equal margin go to collateral */
		d_cash -= pl->n_op;
		d_coll += 2 * (cap_i128)pl->n_op;
		d_mkt -= pl->n_op;
	}
	d_cash -= pl->fee_q;
	pl->fee_red = pl->red ? cap_share(pl->fee_q, pl->red, pl->q) : 0;
	/* Shortfall: the trade happened, so the farm and then the master pay. */
	cap_i128 after = (cap_i128)cap_cash(c, w) + d_cash;
	if (after < 0) {
		cap_i128 need = -after;
		th_money fcash = cap_cash(c, &c->w[w->parent]), mcash = cap_cash(c, &c->w[CAP_MASTER]);
		pl->from_farm = (th_money)(need < fcash ? need : fcash);
		need -= pl->from_farm;
		if (need > mcash) {
			cap_err(err, errlen,
				"fill for '%s' of agent '%s' needs %s %s more than the agent's cash; farm '%s' (%s) and the "
				"master wallet (%s) cannot cover it",
				what, w->name, cap_fmt(cap_sat(-after), b1, sizeof b1), c->quote, c->w[w->parent].name,
				cap_fmt(fcash, b2, sizeof b2), cap_fmt(mcash, b3, sizeof b3));
			return TH_ERR_LIMIT;
		}
		pl->from_master = (th_money)need;
	}
	cap_i128 dcash_total = d_cash + pl->from_farm + pl->from_master;
	cap_i128 newcost = (cap_i128)pos->cost - pl->cr + (pl->buy ? pl->n_op : -(cap_i128)pl->n_op);
	cap_i128 newfees = (cap_i128)pos->entry_fees - pl->efr + (pl->fee_q - pl->fee_red);
	cap_i128 newreal = (cap_i128)pos->realized + realized;
	cap_i128 newpfees = (cap_i128)pos->fees + pl->fee_q;
	cap_i128 trade = realized - pl->efr - pl->fee_red;
	if (!fits(dcash_total) || !fits(d_coll) || !fits(d_mkt) || !fits(newcost) || !fits(newfees) ||
		!fits(newreal) || !fits(newpfees) || !fits(trade)) {
		cap_err(err, errlen, "fill for '%s': amounts overflow", what);
		return TH_ERR_LIMIT;
	}
	pl->d_cash = (th_money)dcash_total;
	pl->d_coll = (th_money)d_coll;
	pl->d_mkt = (th_money)d_mkt;
	pl->newcost = (th_money)newcost;
	pl->newfees = (th_money)newfees;
	pl->newreal = (th_money)newreal;
	pl->newpfees = (th_money)newpfees;
	pl->trade_pnl = (th_money)trade;
	return TH_OK;
}

static int fill_commit(capital_t *c, int32_t ai, int32_t pi, cap_order *o, const fill_plan *pl, th_price price,
	int64_t now_ns, char *err, size_t errlen)
{
	cap_wallet *w = &c->w[ai];
	cap_position *pos = &w->pos[pi];
	cap_instr *in = &c->ins[pos->instr];
	int32_t fi = w->parent, acct_owed = -1, acct_fee_other = -1;
	if (pl->fee_other != 0) {
		char name[TH_NAME_MAX + TH_ASSET_MAX + 16];
		snprintf(name, sizeof name, "agent/%s/owed/%s", w->name, pl->fee_asset);
		acct_owed = ledger_find(c->ledger, name);
		if (acct_owed < 0)
			acct_owed = ledger_open(c->ledger, name, pl->fee_asset, 0, err, errlen);
		acct_fee_other = acct_owed >= 0 ? cap_world_account(c, "fees", pl->fee_asset, err, errlen) : -1;
		if (acct_owed < 0 || acct_fee_other < 0)
			return TH_ERR_NOMEM;
	}
	ledger_posting p[12];
	size_t np = 0;
	p[np++] = (ledger_posting){ w->acct_cash, pl->d_cash };
	if (pl->rel)
		p[np++] = (ledger_posting){ w->acct_reserved, -pl->rel };
	if (pl->d_coll)
		p[np++] = (ledger_posting){ w->acct_collateral, pl->d_coll };
	if (pl->d_mkt)
		p[np++] = (ledger_posting){ c->acct_market, pl->d_mkt };
	if (pl->fee_q)
		p[np++] = (ledger_posting){ c->acct_fees, pl->fee_q };
	p[np++] = (ledger_posting){ pos->acct_base, pl->buy ? pl->qb : -pl->qb };
	p[np++] = (ledger_posting){ in->acct_market_base, pl->buy ? -pl->qb : pl->qb };
	if (pl->fee_other) {
		p[np++] = (ledger_posting){ acct_owed, -pl->fee_other };
		p[np++] = (ledger_posting){ acct_fee_other, pl->fee_other };
	}
	if (pl->from_farm)
		p[np++] = (ledger_posting){ c->w[fi].acct_cash, -pl->from_farm };
	if (pl->from_master)
		p[np++] = (ledger_posting){ c->w[CAP_MASTER].acct_cash, -pl->from_master };
	int rc = cap_post(c, p, np, "fill", err, errlen);
	if (rc != TH_OK)
		return rc;
	/* Posted: the bookkeeping below cannot fail. */
	if (pl->from_farm)
		cap_note_transfer(c, fi, ai, pl->from_farm, 1);
	if (pl->from_master) {
		cap_note_transfer(c, CAP_MASTER, fi, pl->from_master, 1);
		cap_note_transfer(c, fi, ai, pl->from_master, 1);
	}
	cap_position next = *pos;
	next.qty = pl->newq;
	next.cost = pl->newcost;
	next.entry_fees = pl->newfees;
	next.realized = pl->newreal;
	next.fees = pl->newpfees;
	cap_pos_set(c, ai, pi, &next);
	cap_instr_mark(c, pos->instr, price, now_ns);
	if (!o) {
		if (pl->red)
			cap_record_trade(c, ai, pi, pl->trade_pnl);
		return TH_OK;
	}
	if (pl->red) {
		o->trade_pnl = cap_sat((cap_i128)o->trade_pnl + pl->trade_pnl);
		o->reduced += pl->red;
	}
	o->remaining -= pl->q;
	o->reduce_rem -= pl->a;
	o->open_rem -= pl->b;
	o->res_rem -= pl->rel;
	if (o->side == TH_SIDE_SELL)
		pos->pend_reduce_sell -= pl->a;
	else
		pos->pend_reduce_buy -= pl->a;
	if (o->remaining == 0)
		return cap_order_finish(c, (size_t)(o - c->ord), err, errlen);
	return TH_OK;
}

int capital_fill(capital_t *c, const char *order_key, const th_fill *f, int64_t now_ns, char *err, size_t errlen)
{
	int32_t idx = cap_order_find(c, order_key);
	if (idx < 0) {
		cap_err(err, errlen, "fill for unknown order '%s' (no open reservation)", order_key ? order_key : "");
		return TH_ERR_NOT_FOUND;
	}
	if (!f) {
		cap_err(err, errlen, "fill for '%s' is NULL", order_key);
		return TH_ERR_INVALID;
	}
	cap_order *o = &c->ord[idx];
	const cap_wallet *w = &c->w[o->agent];
	const cap_position *pos = &w->pos[o->pos];
	fill_plan pl;
	int rc = fill_plan_make(c, w, pos, &c->ins[pos->instr], o, f, &pl, err, errlen);
	if (rc != TH_OK)
		return rc;
	return fill_commit(c, o->agent, o->pos, o, &pl, f->price, now_ns, err, errlen);
}

int capital_fill_unreserved(capital_t *c, const char *agent, const th_instrument *ins, const th_fill *f, int64_t now_ns,
	char *err, size_t errlen)
{
	int32_t ai = cap_agent_find(c, agent, err, errlen), ii, pi = -1;
	if (ai < 0)
		return TH_ERR_NOT_FOUND;
	if (!f) {
		cap_err(err, errlen, "fill is NULL");
		return TH_ERR_INVALID;
	}
	int rc = cap_instr_lookup(c, ins, &ii, err, errlen);
	if (rc != TH_OK)
		return rc;
	const cap_wallet *w = &c->w[ai];
	/* Plan against the existing position, or a flat one not yet registered. */
	cap_position flat;
	cap_instr tmp;
	memset(&flat, 0, sizeof flat);
	memset(&tmp, 0, sizeof tmp);
	const cap_position *pos = &flat;
	const cap_instr *in = &tmp;
	if (ii >= 0) {
		in = &c->ins[ii];
		for (size_t k = 0; k < w->npos; k++)
			if (w->pos[k].instr == ii)
				pos = &w->pos[pi = (int32_t)k];
	} else {
		memcpy(tmp.venue, ins->venue, sizeof tmp.venue);
		memcpy(tmp.symbol, ins->symbol, sizeof tmp.symbol);
		memcpy(tmp.base, ins->base, sizeof tmp.base);
		tmp.price_scale = ins->price_scale;
		tmp.qty_scale = ins->qty_scale;
	}
	fill_plan pl;
	rc = fill_plan_make(c, w, pos, in, NULL, f, &pl, err, errlen);
	if (rc != TH_OK)
		return rc;
	if (pi < 0 && (rc = cap_position_get(c, ai, ins, &pi, err, errlen)) != TH_OK)
		return rc;
	return fill_commit(c, ai, pi, NULL, &pl, f->price, now_ns, err, errlen);
}
