/* Orders: instruments and positions on first use, reservations, releases,
 * finishing an order (its trade), and marks. Fills are in capital_fill.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tradehost/th_status.h>

#include "ledger/capital_internal.h"

const char *cap_side_name(uint32_t side)
{
	return side == TH_SIDE_BUY ? "BUY" : side == TH_SIDE_SELL ? "SELL" : "?";
}

int32_t cap_agent_find(const capital_t *c, const char *agent, char *err, size_t errlen)
{
	int32_t a = cap_wallet_find(c, agent);
	if (a < 0 || c->w[a].kind != CAPITAL_KIND_AGENT) {
		cap_err(err, errlen, "unknown agent '%s'", agent ? agent : "");
		return -1;
	}
	return a;
}

/* The instrument map's key "venue/symbol" into key[cap], built with two
 * memcpy: it is made for every order and every bar, where snprintf cost
 * more than everything else the lookup does. -1 when it does not fit. */
static int cap_instr_key(char *key, size_t cap, const char *venue, const char *symbol)
{
	size_t lv = strlen(venue), ls = strlen(symbol);
	if (lv + ls + 2 > cap)
		return -1;
	memcpy(key, venue, lv);
	key[lv] = '/';
	memcpy(key + lv + 1, symbol, ls + 1);
	return 0;
}

/* Whether `ins` is exactly the registered instrument `ii`: then it passes
 * every check of cap_instr_lookup, since `ii` passed them when registered. */
static int cap_instr_same(const capital_t *c, int32_t ii, const th_instrument *ins)
{
	if (ii < 0 || (size_t)ii >= c->nins)
		return 0;
	const cap_instr *in = &c->ins[ii];
	return strcmp(in->symbol, ins->symbol) == 0 &&
		strcmp(in->venue, ins->venue) == 0 && strcmp(in->base, ins->base) == 0 &&
		strcmp(ins->quote, c->quote) == 0 && in->price_scale == ins->price_scale &&
		in->qty_scale == ins->qty_scale;
}

/* Remembers `ins`, just found valid and registered as `ii` (see
 * capital.ins_seen; the cast as for the hints: the capital is never const). */
static void cap_instr_seen(capital_t *c, const th_instrument *ins, int32_t ii)
{
	memcpy(c->ins_seen, ins, sizeof c->ins_seen);
	c->ins_seen_idx = ii;
	c->ins_seen_set = 1;
}

/* Validates `ins` and finds its index (-1 when not registered yet). */
int cap_instr_lookup(const capital_t *c, const th_instrument *ins, int32_t *idx, char *err, size_t errlen)
{
	char key[TH_VENUE_MAX + TH_SYMBOL_MAX + 2];
	if (ins && c->ins_seen_set && memcmp(ins, c->ins_seen, sizeof c->ins_seen) == 0) {
		*idx = c->ins_seen_idx; /* see capital.ins_seen */
		return TH_OK;
	}
	if (ins && cap_instr_same(c, c->hint_instr, ins)) {
		*idx = c->hint_instr; /* see capital.hint_instr */
		cap_instr_seen((capital_t *)c, ins, *idx);
		return TH_OK;
	}
	if (!ins || !ins->venue[0] || !ins->symbol[0] || strchr(ins->venue, '/') ||
		!memchr(ins->venue, 0, sizeof ins->venue) || !memchr(ins->symbol, 0, sizeof ins->symbol)) {
		cap_err(err, errlen, "instrument needs a venue (without '/') and a symbol");
		return TH_ERR_INVALID;
	}
	if (!ins->base[0] || !memchr(ins->base, 0, sizeof ins->base) || strchr(ins->base, '/')) {
		cap_err(err, errlen, "instrument %s/%s has no base asset", ins->venue, ins->symbol);
		return TH_ERR_INVALID;
	}
	if (strcmp(ins->base, c->quote) == 0) {
		cap_err(err, errlen, "instrument %s/%s has the quote asset %s as its base", ins->venue, ins->symbol, c->quote);
		return TH_ERR_INVALID;
	}
	if (strcmp(ins->quote, c->quote) != 0) {
		cap_err(err, errlen, "instrument %s/%s is quoted in '%.*s'; the capital hierarchy is kept in %s", ins->venue,
			ins->symbol, (int)sizeof ins->quote, ins->quote, c->quote);
		return TH_ERR_INVALID;
	}
	if (ins->price_scale < 0 || ins->price_scale > TH_SCALE_MAX || ins->qty_scale < 0 ||
		ins->qty_scale > TH_MONEY_SCALE) {
		cap_err(err, errlen, "instrument %s/%s: price_scale %d must be 0..%d and qty_scale %d 0..%d", ins->venue,
			ins->symbol, (int)ins->price_scale, TH_SCALE_MAX, (int)ins->qty_scale, TH_MONEY_SCALE);
		return TH_ERR_INVALID;
	}
	/* venue and symbol are NUL-terminated inside their fields (checked
	 * above), so the key always fits */
	if (cap_instr_key(key, sizeof key, ins->venue, ins->symbol) != 0 || !ledger_map_get(c->ins_by_key, key, idx)) {
		*idx = -1;
		return TH_OK;
	}
	((capital_t *)c)->hint_instr = *idx;
	const cap_instr *in = &c->ins[*idx];
	if (in->price_scale != ins->price_scale || in->qty_scale != ins->qty_scale || strcmp(in->base, ins->base) != 0) {
		cap_err(err, errlen,
			"instrument %s/%s changed: known as base %s, scales %d/%d; now base %s, scales %d/%d", ins->venue,
			ins->symbol, in->base, (int)in->price_scale, (int)in->qty_scale, ins->base, (int)ins->price_scale,
			(int)ins->qty_scale);
		return TH_ERR_INVALID;
	}
	cap_instr_seen((capital_t *)c, ins, *idx);
	return TH_OK;
}

static int32_t cap_instr_create(capital_t *c, const th_instrument *ins, char *err, size_t errlen)
{
	char key[TH_VENUE_MAX + TH_SYMBOL_MAX + 2];
	if (c->nins == c->capins) {
		size_t cap = c->capins ? c->capins * 2 : 16;
		void *g = realloc(c->ins, cap * sizeof *c->ins);
		if (!g)
			goto nomem;
		c->ins = g;
		c->capins = cap;
	}
	if (cap_stale_reserve(c, c->nins + 1) != TH_OK)
		goto nomem;
	int32_t mb = cap_world_account(c, "market", ins->base, err, errlen);
	if (mb < 0)
		return mb;
	cap_instr *in = &c->ins[c->nins];
	memset(in, 0, sizeof *in);
	memcpy(in->venue, ins->venue, strlen(ins->venue) + 1);
	memcpy(in->symbol, ins->symbol, strlen(ins->symbol) + 1);
	memcpy(in->base, ins->base, strlen(ins->base) + 1);
	in->price_scale = ins->price_scale;
	in->qty_scale = ins->qty_scale;
	in->acct_market_base = mb;
	cap_instr_key(key, sizeof key, ins->venue, ins->symbol); /* fits: validated by cap_instr_lookup */
	if (ledger_map_put(c->ins_by_key, key, (int32_t)c->nins) < 0)
		goto nomem;
	return (int32_t)c->nins++;
nomem:
	cap_err(err, errlen, "out of memory registering instrument %s/%s", ins->venue, ins->symbol);
	return TH_ERR_NOMEM;
}

static int32_t cap_position_find(const cap_wallet *w, int32_t instr)
{
	for (size_t i = 0; i < w->npos; i++)
		if (w->pos[i].instr == instr)
			return (int32_t)i;
	return -1;
}

/* Registers instrument and position on first use (after validation passed). */
int cap_position_get(capital_t *c, int32_t agent, const th_instrument *ins, int32_t *pos_index, char *err, size_t errlen)
{
	char acct[TH_NAME_MAX + TH_VENUE_MAX + TH_SYMBOL_MAX + 16];
	int32_t ii;
	int rc = cap_instr_lookup(c, ins, &ii, err, errlen);
	if (rc != TH_OK)
		return rc;
	if (ii < 0 && (ii = cap_instr_create(c, ins, err, errlen)) < 0)
		return ii;
	cap_wallet *w = &c->w[agent];
	int32_t pi = cap_position_find(w, ii);
	if (pi >= 0) {
		*pos_index = pi;
		return TH_OK;
	}
	if (w->npos == w->cappos) {
		size_t cap = w->cappos ? w->cappos * 2 : 4;
		void *g = realloc(w->pos, cap * sizeof *w->pos);
		if (!g) {
			cap_err(err, errlen, "out of memory adding a position for agent '%s'", w->name);
			return TH_ERR_NOMEM;
		}
		w->pos = g;
		w->cappos = cap;
	}
	if (cap_holder_reserve(c, agent, ii) != TH_OK) {
		cap_err(err, errlen, "out of memory adding a position for agent '%s'", w->name);
		return TH_ERR_NOMEM;
	}
	snprintf(acct, sizeof acct, "agent/%s/pos/%s/%s", w->name, ins->venue, ins->symbol);
	int32_t ab = ledger_open(c->ledger, acct, ins->base, 0, err, errlen);
	if (ab < 0)
		return ab;
	cap_position *p = &w->pos[w->npos];
	memset(p, 0, sizeof *p);
	p->instr = ii;
	p->acct_base = ab;
	*pos_index = (int32_t)w->npos++;
	cap_holder_commit(c, agent, ii, *pos_index); /* flat: adds nothing to the sums yet */
	return TH_OK;
}

int cap_order_index_add(capital_t *c, const char *key)
{
	if (c->ord_indexed)
		return ledger_map_put(c->ord_by_key, key, (int32_t)c->nord) < 0 ? -1 : 0;
	if (c->nord + 1 <= CAP_ORDER_SCAN_MAX)
		return 0; /* few: found by scanning */
	/* Past the scan limit: index every open order and the new one. */
	for (size_t i = 0; i <= c->nord; i++) {
		if (ledger_map_put(c->ord_by_key, i < c->nord ? c->ord[i].key : key, (int32_t)i) < 0) {
			while (i--)
				ledger_map_del(c->ord_by_key, c->ord[i].key);
			return -1;
		}
	}
	c->ord_indexed = 1;
	return 0;
}

void cap_order_index_undo(capital_t *c, const char *key)
{
	/* A map just built stays: it holds exactly the open orders again. */
	if (c->ord_indexed)
		ledger_map_del(c->ord_by_key, key);
}

void cap_order_remove(capital_t *c, size_t idx)
{
	cap_order_count(c, c->ord[idx].agent, -1);
	if (c->ord_indexed)
		ledger_map_del(c->ord_by_key, c->ord[idx].key);
	size_t last = c->nord - 1;
	if (idx != last) {
		c->ord[idx] = c->ord[last];
		if (c->ord_indexed)
			ledger_map_put(c->ord_by_key, c->ord[idx].key, (int32_t)idx); /* replaces: cannot fail */
	}
	c->nord--;
	if (c->nord == 0)
		c->ord_indexed = 0; /* the map is empty: scan again */
}

void cap_record_trade(capital_t *c, int32_t agent, int32_t pos, th_money pnl)
{
	cap_wallet *w = &c->w[agent];
	w->trades++;
	if (pnl > 0)
		w->wins++;
	else if (pnl < 0)
		w->losses++;
	cap_pos_trade(c, agent, pos, pnl > 0 ? 1 : pnl < 0 ? -1 : 0);
}

/* The part of a new order that only reduces the position, net of what the
 * agent's other open orders on the same side already plan to reduce. */
static th_qty cap_reduce_allowance(const cap_position *p, uint32_t side, th_qty qty)
{
	th_qty avail = 0;
	if (!p)
		return 0;
	if (side == TH_SIDE_SELL && p->qty > 0)
		avail = p->qty - p->pend_reduce_sell;
	else if (side == TH_SIDE_BUY && p->qty < 0)
		avail = -p->qty - p->pend_reduce_buy;
	if (avail < 0)
		avail = 0;
	return qty < avail ? qty : avail;
}

int capital_reserve(capital_t *c, const char *agent, const char *order_key, const th_instrument *ins, int side,
	th_price price, th_qty qty, th_money fee_budget, int unchecked, char *err, size_t errlen)
{
	char b1[48], b2[48], b3[48], b4[48];
	int32_t ai = cap_agent_find(c, agent, err, errlen);
	if (ai < 0)
		return TH_ERR_NOT_FOUND;
	size_t key_len = order_key ? strlen(order_key) : 0;
	if (!order_key || !order_key[0] || key_len >= CAPITAL_KEY_MAX) {
		cap_err(err, errlen, "order key '%s' must be 1..%d characters", order_key ? order_key : "",
			CAPITAL_KEY_MAX - 1);
		return TH_ERR_INVALID;
	}
	if (cap_order_find(c, order_key) >= 0) {
		cap_err(err, errlen, "order '%s' already holds a reservation", order_key);
		return TH_ERR_EXISTS;
	}
	if (side != TH_SIDE_BUY && side != TH_SIDE_SELL) {
		cap_err(err, errlen, "order '%s': side %d is neither buy (1) nor sell (2)", order_key, side);
		return TH_ERR_INVALID;
	}
	if (price <= 0 || qty <= 0 || fee_budget < 0) {
		cap_err(err, errlen, "order '%s': price (%lld) and qty (%lld) must be > 0, fee budget (%lld) >= 0", order_key,
			(long long)price, (long long)qty, (long long)fee_budget);
		return TH_ERR_INVALID;
	}
	int32_t ii;
	int rc = cap_instr_lookup(c, ins, &ii, err, errlen);
	if (rc != TH_OK)
		return rc;
	cap_wallet *w = &c->w[ai];
	int32_t pi = ii >= 0 ? cap_position_find(w, ii) : -1;
	th_qty reduce = cap_reduce_allowance(pi >= 0 ? &w->pos[pi] : NULL, (uint32_t)side, qty);
	th_qty open = qty - reduce;
	th_money notional = 0, fee_part = 0, amount;
	/* the open part's share of the fee budget: open <= qty, so it cannot
	 * overflow (th_fixed_muldiv's result, without its 128-bit division) */
	if (open > 0)
		fee_part = cap_share(fee_budget, open, qty);
	if (open > 0 && th_notional(price, ins->price_scale, open, ins->qty_scale, &notional) != 0) {
		cap_err(err, errlen, "order '%s': notional of %lld x %lld overflows", order_key, (long long)price,
			(long long)qty);
		return TH_ERR_INVALID;
	}
	if (__builtin_add_overflow(notional, fee_part, &amount)) {
		cap_err(err, errlen, "order '%s': reservation overflows", order_key);
		return TH_ERR_INVALID;
	}
	if (!unchecked && amount > 0) {
		th_money free = cap_agent_free(c, w);
		if (amount > free) {
			cap_figures f;
			cap_agent_figures(c, w, &f);
			cap_err(err, errlen,
				"agent '%s' cannot reserve %s %s for order '%s' (%s %s/%s): free capital is %s %s "
				"(equity %s, committed %s)",
				w->name, cap_fmt(amount, b1, sizeof b1), c->quote, order_key, cap_side_name((uint32_t)side),
				ins->venue, ins->symbol, cap_fmt(free, b2, sizeof b2), c->quote,
				cap_fmt(cap_sat((cap_i128)f.cash + f.reserved + f.collateral + f.value), b3, sizeof b3),
				cap_fmt(cap_sat((cap_i128)f.abs_cost + f.reserved), b4, sizeof b4));
			return TH_ERR_LIMIT;
		}
	}
	if (amount > 0 && cap_cash(c, w) < amount) {
		cap_err(err, errlen, "agent '%s' cannot reserve %s %s for order '%s': only %s %s of cash", w->name,
			cap_fmt(amount, b1, sizeof b1), c->quote, order_key, cap_fmt(cap_cash(c, w), b2, sizeof b2), c->quote);
		return TH_ERR_LIMIT;
	}
	if (c->nord == c->capord) {
		size_t cap = c->capord ? c->capord * 2 : 64;
		void *g = realloc(c->ord, cap * sizeof *c->ord);
		if (!g) {
			cap_err(err, errlen, "out of memory reserving order '%s'", order_key);
			return TH_ERR_NOMEM;
		}
		c->ord = g;
		c->capord = cap;
	}
	if (pi < 0) { /* first order of this agent in this instrument */
		rc = cap_position_get(c, ai, ins, &pi, err, errlen);
		if (rc != TH_OK)
			return rc;
		w = &c->w[ai];
	}
	if (cap_order_index_add(c, order_key) != 0) {
		cap_err(err, errlen, "out of memory reserving order '%s'", order_key);
		return TH_ERR_NOMEM;
	}
	if (amount > 0) {
		ledger_posting p[2] = { { w->acct_cash, -amount }, { w->acct_reserved, amount } };
		rc = cap_post(c, p, 2, "reserve", err, errlen);
		if (rc != TH_OK) {
			cap_order_index_undo(c, order_key);
			return rc;
		}
	}
	cap_order *o = &c->ord[c->nord++];
	memset(o, 0, sizeof *o);
	memcpy(o->key, order_key, key_len + 1);
	o->agent = ai;
	o->pos = pi;
	o->side = (uint32_t)side;
	o->price = price;
	o->qty = o->remaining = qty;
	o->reduce_rem = reduce;
	o->open_rem = open;
	o->res_rem = amount;
	o->fee_budget = fee_budget;
	c->hint_order = (int32_t)(c->nord - 1); /* its fill usually comes next */
	cap_order_count(c, ai, +1);
	cap_position *p = &w->pos[pi];
	if (side == TH_SIDE_SELL)
		p->pend_reduce_sell += reduce;
	else
		p->pend_reduce_buy += reduce;
	return TH_OK;
}

int32_t cap_order_find(const capital_t *c, const char *key)
{
	int32_t i = c->hint_order;
	if (!key)
		return -1;
	if (i >= 0 && (size_t)i < c->nord && strcmp(c->ord[i].key, key) == 0)
		return i; /* the hint: see capital.hint_order */
	if (!c->ord_indexed) {
		for (i = 0; (size_t)i < c->nord && strcmp(c->ord[i].key, key) != 0; i++)
			;
		if ((size_t)i == c->nord)
			return -1;
	} else if (!ledger_map_get(c->ord_by_key, key, &i)) {
		return -1;
	}
	((capital_t *)c)->hint_order = i;
	return i;
}

/* Returns the order's remaining reservation and planned reduction, counts its
 * trade, and forgets it. */
int cap_order_finish(capital_t *c, size_t idx, char *err, size_t errlen)
{
	cap_order *o = &c->ord[idx];
	cap_wallet *w = &c->w[o->agent];
	if (o->res_rem > 0) {
		ledger_posting p[2] = { { w->acct_reserved, -o->res_rem }, { w->acct_cash, o->res_rem } };
		int rc = cap_post(c, p, 2, "release", err, errlen);
		if (rc != TH_OK)
			return rc;
	}
	cap_position *pos = &w->pos[o->pos];
	if (o->side == TH_SIDE_SELL)
		pos->pend_reduce_sell -= o->reduce_rem;
	else
		pos->pend_reduce_buy -= o->reduce_rem;
	if (o->reduced > 0)
		cap_record_trade(c, o->agent, o->pos, o->trade_pnl);
	cap_order_remove(c, idx);
	return TH_OK;
}

int capital_release(capital_t *c, const char *order_key)
{
	int32_t idx = cap_order_find(c, order_key);
	if (idx < 0)
		return TH_ERR_NOT_FOUND;
	return cap_order_finish(c, (size_t)idx, NULL, 0);
}

int32_t capital_instrument_index(const capital_t *c, const char *venue, const char *symbol)
{
	char key[TH_VENUE_MAX + TH_SYMBOL_MAX + 2];
	int32_t ii;
	if (cap_instr_key(key, sizeof key, venue, symbol) != 0)
		return -1;
	return ledger_map_get(c->ins_by_key, key, &ii) ? ii : -1;
}

size_t capital_instrument_count(const capital_t *c)
{
	return c->nins;
}

int capital_mark_index(capital_t *c, int32_t instr, th_price mark, int price_scale, int64_t now_ns)
{
	if (instr < 0 || (size_t)instr >= c->nins)
		return TH_ERR_INVALID;
	const cap_instr *in = &c->ins[instr];
	th_price v = mark;
	if (mark <= 0)
		return TH_ERR_INVALID;
	if (price_scale != in->price_scale) {
		/* a mark at another scale must convert exactly */
		th_price back;
		if (th_fixed_rescale(mark, price_scale, in->price_scale, &v) != 0 ||
			th_fixed_rescale(v, in->price_scale, price_scale, &back) != 0 || back != mark || v <= 0)
			return TH_ERR_INVALID;
	}
	cap_instr_mark(c, instr, v, now_ns);
	return TH_OK;
}

int capital_mark(capital_t *c, const char *venue, const char *symbol, th_price mark, int price_scale, int64_t now_ns)
{
	if (!venue || !symbol)
		return TH_ERR_INVALID;
	int32_t ii = capital_instrument_index(c, venue, symbol);
	if (ii < 0)
		return TH_OK;
	return capital_mark_index(c, ii, mark, price_scale, now_ns);
}
