/* Read side: per-wallet and per-venue figures, positions, hierarchy, orders. */
#include <stdlib.h>
#include <string.h>
#include <tradehost/th_status.h>

#include "ledger/capital_internal.h"

static void cap_copy(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Adds one agent's figures into the running sums of *s. */
static void cap_add_agent(const capital_t *c, const cap_wallet *w, capital_stats *s, cap_i128 *acc)
{
	cap_figures f;
	cap_agent_figures(c, w, &f);
	acc[0] += f.reserved;
	acc[1] += f.collateral;
	acc[2] += f.value;
	acc[3] += (cap_i128)f.abs_cost + f.reserved;
	acc[4] += f.realized;
	acc[5] += f.unrealized;
	acc[6] += f.fees;
	acc[7] += f.cash;
	s->trades += f.trades;
	s->wins += f.wins;
	s->losses += f.losses;
	s->positions += f.positions;
	for (size_t i = 0; i < c->nord; i++)
		if (&c->w[c->ord[i].agent] == w)
			s->open_orders++;
}

static void cap_fill_curve(const cap_curve *cv, capital_stats *s)
{
	s->max_drawdown = cv->max_dd_money;
	s->max_drawdown_bps = cv->max_dd_bps;
	s->nav = cv->nav;
	s->curve_points = cv->n;
}

int capital_stats_get(const capital_t *c, const char *wallet, capital_stats *out)
{
	memset(out, 0, sizeof *out);
	cap_i128 acc[8] = { 0 };
	int total = wallet && strcmp(wallet, CAPITAL_TOTAL_NAME) == 0;
	int32_t wi = total ? -1 : cap_wallet_find(c, wallet);
	if (!total && wi < 0)
		return TH_ERR_NOT_FOUND;
	if (total) {
		cap_copy(out->name, sizeof out->name, CAPITAL_TOTAL_NAME);
		out->kind = CAPITAL_KIND_TOTAL;
		for (size_t i = 0; i < c->nw; i++) {
			if (c->w[i].kind == CAPITAL_KIND_AGENT)
				cap_add_agent(c, &c->w[i], out, acc);
			else
				acc[7] += cap_cash(c, &c->w[i]);
		}
		out->cash = cap_sat(acc[7]);
		out->equity = cap_total_equity(c);
		out->free = cap_cash(c, &c->w[CAP_MASTER]);
		out->allocated = c->total_flow;
		out->flow = c->total_flow;
		cap_fill_curve(&c->total_curve, out);
	} else {
		const cap_wallet *w = &c->w[wi];
		cap_copy(out->name, sizeof out->name, w->name);
		if (w->parent >= 0)
			cap_copy(out->parent, sizeof out->parent, c->w[w->parent].name);
		out->kind = w->kind;
		if (w->kind == CAPITAL_KIND_AGENT) {
			cap_add_agent(c, w, out, acc);
			out->free = cap_agent_free(c, w);
		} else {
			for (size_t i = 0; i < c->nw && w->kind == CAPITAL_KIND_FARM; i++)
				if (c->w[i].parent == wi)
					cap_add_agent(c, &c->w[i], out, acc);
			out->free = cap_cash(c, w);
		}
		out->cash = w->kind == CAPITAL_KIND_AGENT ? cap_sat(acc[7]) : cap_cash(c, w);
		out->equity = cap_wallet_equity(c, wi);
		out->allocated = w->allocated;
		out->flow = w->flow;
		cap_fill_curve(&w->curve, out);
	}
	out->reserved = cap_sat(acc[0]);
	out->collateral = cap_sat(acc[1]);
	out->position_value = cap_sat(acc[2]);
	out->committed = cap_sat(acc[3]);
	out->realized_pnl = cap_sat(acc[4]);
	out->unrealized_pnl = cap_sat(acc[5]);
	out->fees = cap_sat(acc[6]);
	out->net_pnl = cap_sat(acc[4] - acc[6] + acc[5]);
	return TH_OK;
}

int capital_venue_stats(const capital_t *c, const char *venue, capital_stats *out)
{
	memset(out, 0, sizeof *out);
	if (!venue)
		return TH_ERR_NOT_FOUND;
	cap_i128 value = 0, abs_cost = 0, realized = 0, unreal = 0, fees = 0;
	int seen = 0;
	for (size_t i = 0; i < c->nw; i++) {
		const cap_wallet *w = &c->w[i];
		for (size_t k = 0; k < w->npos; k++) {
			const cap_position *p = &w->pos[k];
			if (strcmp(c->ins[p->instr].venue, venue) != 0)
				continue;
			seen = 1;
			th_money v = cap_position_value(c, p);
			value += v;
			abs_cost += p->cost < 0 ? -(cap_i128)p->cost : p->cost;
			realized += p->realized;
			unreal += (cap_i128)v - p->cost;
			fees += p->fees;
			out->trades += p->trades;
			out->wins += p->wins;
			out->losses += p->losses;
			if (p->qty != 0)
				out->positions++;
		}
	}
	for (size_t i = 0; i < c->nord; i++)
		if (strcmp(c->ins[c->w[c->ord[i].agent].pos[c->ord[i].pos].instr].venue, venue) == 0)
			out->open_orders++;
	if (!seen)
		return TH_ERR_NOT_FOUND;
	cap_copy(out->name, sizeof out->name, venue);
	out->kind = CAPITAL_KIND_VENUE;
	out->position_value = out->equity = cap_sat(value);
	out->committed = cap_sat(abs_cost);
	out->realized_pnl = cap_sat(realized);
	out->unrealized_pnl = cap_sat(unreal);
	out->fees = cap_sat(fees);
	out->net_pnl = cap_sat(realized - fees + unreal);
	return TH_OK;
}

/* |cost| / |qty| as a price at the instrument's scale, half away from zero. */
static th_price cap_avg_price(const cap_instr *in, th_money cost, th_qty qty)
{
	if (qty == 0)
		return 0;
	int e = in->price_scale + in->qty_scale - TH_MONEY_SCALE;
	cap_i128 num = cost < 0 ? -(cap_i128)cost : cost, den = qty < 0 ? -(cap_i128)qty : qty;
	if (e >= 0)
		num *= th_pow10(e);
	else
		den *= th_pow10(-e);
	cap_i128 q = num / den, r = num % den;
	if (r * 2 >= den)
		q++;
	return cap_sat(q);
}

static void cap_position_out(const capital_t *c, const cap_position *p, const char *agent, capital_position *o)
{
	const cap_instr *in = &c->ins[p->instr];
	memset(o, 0, sizeof *o);
	cap_copy(o->p.venue, sizeof o->p.venue, in->venue);
	cap_copy(o->p.symbol, sizeof o->p.symbol, in->symbol);
	o->p.qty = p->qty;
	o->p.avg_price = cap_avg_price(in, p->cost, p->qty);
	o->p.realized_pnl = p->realized;
	o->p.fees = p->fees;
	o->p.price_scale = in->price_scale;
	o->p.qty_scale = in->qty_scale;
	cap_copy(o->agent, sizeof o->agent, agent);
	o->cost = p->cost;
	o->value = cap_position_value(c, p);
	o->unrealized_pnl = cap_sat((cap_i128)o->value - p->cost);
	o->mark = in->mark;
	o->mark_ns = in->mark_ns;
	o->trades = p->trades;
	o->wins = p->wins;
	o->losses = p->losses;
}

size_t capital_positions(const capital_t *c, const char *wallet, int include_flat, capital_position *out, size_t max)
{
	size_t count = 0;
	int total = wallet && strcmp(wallet, CAPITAL_TOTAL_NAME) == 0;
	int32_t wi = total ? -1 : cap_wallet_find(c, wallet);
	if (!total && (wi < 0 || c->w[wi].kind == CAPITAL_KIND_MASTER))
		return 0;
	if (!total && c->w[wi].kind == CAPITAL_KIND_AGENT) {
		const cap_wallet *w = &c->w[wi];
		for (size_t k = 0; k < w->npos; k++) {
			if (w->pos[k].qty == 0 && !include_flat)
				continue;
			if (count < max)
				cap_position_out(c, &w->pos[k], w->name, &out[count]);
			count++;
		}
		return count;
	}
	/* Aggregate per instrument over the scope's agents: one pass over their
	 * positions into a slot per instrument (the scratch is a cache, hence the
	 * cast), then out in instrument order. O(instruments + positions). */
	capital_t *mc = (capital_t *)c;
	if (c->nins == 0)
		return 0;
	if (mc->agg_cap < c->nins) {
		cap_position *agg = realloc(mc->agg, c->nins * sizeof *agg);
		unsigned char *seen = agg ? realloc(mc->agg_seen, c->nins) : NULL;
		if (agg)
			mc->agg = agg;
		if (!seen)
			return 0; /* out of memory: nothing to report */
		mc->agg_seen = seen;
		mc->agg_cap = c->nins;
	}
	memset(mc->agg, 0, c->nins * sizeof *mc->agg);
	memset(mc->agg_seen, 0, c->nins);
	for (size_t i = 0; i < c->nw; i++) {
		const cap_wallet *w = &c->w[i];
		if (w->kind != CAPITAL_KIND_AGENT || (!total && w->parent != wi))
			continue;
		for (size_t k = 0; k < w->npos; k++) {
			const cap_position *p = &w->pos[k];
			cap_position *sum = &mc->agg[p->instr];
			mc->agg_seen[p->instr] = 1;
			sum->qty = cap_sat((cap_i128)sum->qty + p->qty);
			sum->cost = cap_sat((cap_i128)sum->cost + p->cost);
			sum->realized = cap_sat((cap_i128)sum->realized + p->realized);
			sum->fees = cap_sat((cap_i128)sum->fees + p->fees);
			sum->trades += p->trades;
			sum->wins += p->wins;
			sum->losses += p->losses;
		}
	}
	for (size_t ii = 0; ii < c->nins; ii++) {
		cap_position *sum = &mc->agg[ii];
		sum->instr = (int32_t)ii;
		if (!mc->agg_seen[ii] || (sum->qty == 0 && !include_flat))
			continue;
		if (count < max)
			cap_position_out(c, sum, "", &out[count]);
		count++;
	}
	return count;
}

size_t capital_children(const capital_t *c, const char *scope, char (*names)[TH_NAME_MAX], size_t max)
{
	int32_t si = cap_wallet_find(c, scope);
	size_t n = 0;
	if (si < 0)
		return 0;
	for (size_t i = 0; i < c->nw; i++) {
		if (c->w[i].parent != si)
			continue;
		if (n < max)
			cap_copy(names[n], TH_NAME_MAX, c->w[i].name);
		n++;
	}
	return n;
}

int capital_kind_of(const capital_t *c, const char *wallet, char *parent, size_t parent_cap)
{
	if (parent && parent_cap)
		parent[0] = '\0';
	if (wallet && strcmp(wallet, CAPITAL_TOTAL_NAME) == 0)
		return CAPITAL_KIND_TOTAL;
	int32_t wi = cap_wallet_find(c, wallet);
	if (wi < 0)
		return -1;
	if (parent && parent_cap && c->w[wi].parent >= 0)
		cap_copy(parent, parent_cap, c->w[c->w[wi].parent].name);
	return c->w[wi].kind;
}

int capital_order_get(const capital_t *c, const char *order_key, capital_order_info *out)
{
	int32_t i;
	memset(out, 0, sizeof *out);
	if (!order_key || !ledger_map_get(c->ord_by_key, order_key, &i))
		return TH_ERR_NOT_FOUND;
	const cap_order *o = &c->ord[i];
	const cap_instr *in = &c->ins[c->w[o->agent].pos[o->pos].instr];
	cap_copy(out->agent, sizeof out->agent, c->w[o->agent].name);
	cap_copy(out->venue, sizeof out->venue, in->venue);
	cap_copy(out->symbol, sizeof out->symbol, in->symbol);
	out->side = o->side;
	out->price = o->price;
	out->qty = o->qty;
	out->remaining = o->remaining;
	out->reduce_remaining = o->reduce_rem;
	out->open_remaining = o->open_rem;
	out->reserved = o->res_rem;
	return TH_OK;
}

size_t capital_order_count(const capital_t *c)
{
	return c->nord;
}
