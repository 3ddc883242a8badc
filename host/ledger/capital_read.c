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

/* --- from the running totals (capital_running.c) --- */

static void cap_fill_curve(const cap_curve *cv, capital_stats *s)
{
	s->max_drawdown = cv->max_dd_money;
	s->max_drawdown_bps = cv->max_dd_bps;
	s->nav = cv->nav;
	s->curve_points = cv->n;
}

/* The position-derived figures of a running sum. */
static void cap_out_run(const cap_run *r, capital_stats *out)
{
	out->position_value = cap_sat(r->value);
	out->realized_pnl = cap_sat(r->realized);
	out->unrealized_pnl = cap_sat(r->value - r->cost);
	out->fees = cap_sat(r->fees);
	out->net_pnl = cap_sat(r->realized - r->fees + (r->value - r->cost));
	out->positions = r->positions;
	out->open_orders = r->open_orders;
	out->held = r->held;
	out->gross_exposure = cap_sat(r->gross);
	out->net_exposure = cap_sat(r->net);
}

int capital_stats_get(const capital_t *c, const char *wallet, capital_stats *out)
{
	cap_settle(c); /* cap_out_run reads the cached values */
	memset(out, 0, sizeof *out);
	int total = wallet && strcmp(wallet, CAPITAL_TOTAL_NAME) == 0;
	int32_t wi = total ? -1 : cap_wallet_find(c, wallet);
	if (!total && wi < 0)
		return TH_ERR_NOT_FOUND;
	if (total) {
		const cap_run *r = &c->total_run;
		cap_copy(out->name, sizeof out->name, CAPITAL_TOTAL_NAME);
		out->kind = CAPITAL_KIND_TOTAL;
		cap_out_run(r, out);
		out->trades = r->trades;
		out->wins = r->wins;
		out->losses = r->losses;
		out->cash = cap_sat(r->cash);
		out->reserved = cap_sat(r->reserved);
		out->collateral = cap_sat(r->collateral);
		out->committed = cap_sat(r->abs_cost + r->reserved);
		out->equity = cap_total_equity(c);
		out->free = cap_cash(c, &c->w[CAP_MASTER]);
		out->allocated = c->total_flow;
		out->flow = c->total_flow;
		cap_fill_curve(&c->total_curve, out);
		return TH_OK;
	}
	const cap_wallet *w = &c->w[wi];
	cap_copy(out->name, sizeof out->name, w->name);
	if (w->parent >= 0)
		cap_copy(out->parent, sizeof out->parent, c->w[w->parent].name);
	out->kind = w->kind;
	out->cash = cap_cash(c, w);
	out->free = out->cash;
	if (w->kind == CAPITAL_KIND_AGENT) {
		cap_figures f;
		cap_agent_figures(c, w, &f);
		cap_out_run(&w->run, out);
		out->reserved = f.reserved;
		out->collateral = f.collateral;
		out->committed = cap_sat((cap_i128)f.abs_cost + f.reserved);
		out->free = cap_agent_free(c, w);
		out->trades = w->trades;
		out->wins = w->wins;
		out->losses = w->losses;
	} else if (w->kind == CAPITAL_KIND_FARM) {
		cap_out_run(&w->run, out);
		out->reserved = cap_sat(w->run.reserved);
		out->collateral = cap_sat(w->run.collateral);
		out->committed = cap_sat(w->run.abs_cost + w->run.reserved);
		out->trades = w->run.trades;
		out->wins = w->run.wins;
		out->losses = w->run.losses;
	}
	out->equity = cap_wallet_equity(c, wi);
	out->allocated = w->allocated;
	out->flow = w->flow;
	cap_fill_curve(&w->curve, out);
	return TH_OK;
}

/* --- the full recomputation, the reference for the running totals --- */

/* Adds one agent's figures into the sums of *s. */
static void cap_add_agent(const capital_t *c, const cap_wallet *w, capital_stats *s, cap_i128 *acc)
{
	cap_figures f;
	cap_agent_figures_full(c, w, &f);
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

/* Gross / net exposure and non-flat count of the scope's positions summed per
 * instrument (wi = an agent, a farm, or -1 for the total). */
static void cap_exposure_full(const capital_t *c, int32_t wi, capital_stats *out)
{
	cap_i128 gross = 0, net = 0;
	if (wi >= 0 && c->w[wi].kind == CAPITAL_KIND_AGENT) {
		const cap_wallet *w = &c->w[wi];
		for (size_t k = 0; k < w->npos; k++) {
			th_money v = cap_position_value(c, &w->pos[k]);
			gross += v < 0 ? -(cap_i128)v : v;
			net += v;
			out->held += w->pos[k].qty != 0;
		}
	} else if (c->nins > 0 && (wi < 0 || c->w[wi].kind == CAPITAL_KIND_FARM)) {
		cap_i128 *qty = calloc(c->nins, sizeof *qty);
		if (!qty)
			return; /* out of memory: reported as no exposure (check / tests only) */
		for (size_t i = 0; i < c->nw; i++) {
			const cap_wallet *w = &c->w[i];
			if (w->kind != CAPITAL_KIND_AGENT || (wi >= 0 && w->parent != wi))
				continue;
			for (size_t k = 0; k < w->npos; k++)
				qty[w->pos[k].instr] += w->pos[k].qty;
		}
		for (size_t ii = 0; ii < c->nins; ii++) {
			th_money v = cap_value_of(&c->ins[ii], cap_sat(qty[ii]));
			gross += v < 0 ? -(cap_i128)v : v;
			net += v;
			out->held += qty[ii] != 0;
		}
		free(qty);
	}
	out->gross_exposure = cap_sat(gross);
	out->net_exposure = cap_sat(net);
}

int capital_stats_recompute(const capital_t *c, const char *wallet, capital_stats *out)
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
		out->equity = cap_total_equity_full(c);
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
			cap_figures f;
			cap_add_agent(c, w, out, acc);
			cap_agent_figures_full(c, w, &f);
			cap_i128 room = (cap_i128)f.cash + f.reserved + f.collateral + f.value - ((cap_i128)f.abs_cost + f.reserved);
			cap_i128 free = room < f.cash ? room : f.cash;
			out->free = free < 0 ? 0 : cap_sat(free);
		} else {
			for (size_t i = 0; i < c->nw && w->kind == CAPITAL_KIND_FARM; i++)
				if (c->w[i].parent == wi)
					cap_add_agent(c, &c->w[i], out, acc);
			out->free = cap_cash(c, w);
		}
		out->cash = w->kind == CAPITAL_KIND_AGENT ? cap_sat(acc[7]) : cap_cash(c, w);
		out->equity = cap_wallet_equity_full(c, wi);
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
	cap_exposure_full(c, wi, out);
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
	if (num <= UINT64_MAX && den <= UINT64_MAX) {
		/* the usual case, read after every fill: the same quotient and
		 * remainder without a 128-bit division */
		uint64_t q64 = (uint64_t)num / (uint64_t)den, r64 = (uint64_t)num % (uint64_t)den;
		return cap_sat((cap_i128)q64 + (r64 >= (uint64_t)den - r64));
	}
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
	/* Farm / total: the running per-instrument aggregates, in instrument order. */
	for (size_t ii = 0; ii < c->nins; ii++) {
		const cap_agg *a = total ? &c->ins[ii].all : ii < c->w[wi].nagg ? &c->w[wi].agg[ii] : NULL;
		if (!a || !a->used || (a->qty == 0 && !include_flat))
			continue;
		if (count < max) {
			cap_position sum;
			memset(&sum, 0, sizeof sum);
			sum.instr = (int32_t)ii;
			sum.qty = cap_sat(a->qty);
			sum.cost = cap_sat(a->cost);
			sum.realized = cap_sat(a->realized);
			sum.fees = cap_sat(a->fees);
			sum.trades = a->trades;
			sum.wins = a->wins;
			sum.losses = a->losses;
			cap_position_out(c, &sum, "", &out[count]);
		}
		count++;
	}
	return count;
}

/* The agent's position in venue/symbol, or NULL. */
static const cap_position *cap_agent_position(const capital_t *c, const char *agent, const char *venue,
	const char *symbol, const cap_wallet **wallet)
{
	int32_t wi = cap_wallet_find(c, agent);
	if (wi < 0 || c->w[wi].kind != CAPITAL_KIND_AGENT)
		return NULL;
	const cap_wallet *w = &c->w[wi];
	*wallet = w;
	for (size_t k = 0; k < w->npos; k++) {
		const cap_instr *in = &c->ins[w->pos[k].instr];
		if (strcmp(in->symbol, symbol) == 0 && strcmp(in->venue, venue) == 0)
			return &w->pos[k];
	}
	return NULL;
}

int capital_position_of(const capital_t *c, const char *agent, const char *venue, const char *symbol,
	capital_position *out)
{
	const cap_wallet *w = NULL;
	const cap_position *p = cap_agent_position(c, agent, venue, symbol, &w);
	if (!p)
		return TH_ERR_NOT_FOUND;
	cap_position_out(c, p, w->name, out);
	return TH_OK;
}

int capital_position_ref_of(const capital_t *c, const char *agent, const char *venue, const char *symbol,
	capital_position_ref *out)
{
	const cap_wallet *w = NULL;
	const cap_position *p = cap_agent_position(c, agent, venue, symbol, &w);
	if (!p)
		return TH_ERR_NOT_FOUND;
	out->wallet = (int32_t)(w - c->w);
	out->pos = (int32_t)(p - w->pos);
	return TH_OK;
}

int capital_position_core_at(const capital_t *c, capital_position_ref ref, capital_position_core *out)
{
	/* bounds only: an index once given keeps naming the same position
	 * (wallets and positions are appended, never removed) */
	if (ref.wallet < 0 || (size_t)ref.wallet >= c->nw || c->w[ref.wallet].kind != CAPITAL_KIND_AGENT || ref.pos < 0 ||
		(size_t)ref.pos >= c->w[ref.wallet].npos)
		return TH_ERR_NOT_FOUND;
	const cap_position *p = &c->w[ref.wallet].pos[ref.pos];
	out->qty = p->qty;
	out->avg_price = cap_avg_price(&c->ins[p->instr], p->cost, p->qty);
	out->realized_pnl = p->realized;
	out->fees = p->fees;
	return TH_OK;
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
	memset(out, 0, sizeof *out);
	int32_t i = cap_order_find(c, order_key);
	if (i < 0)
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
