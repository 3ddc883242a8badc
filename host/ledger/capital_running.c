/* Running totals of the capital hierarchy: per-wallet sums (cash, reserved,
 * collateral, position value, cost, realized, fees, exposure, counts) kept
 * up to date by every posting, position change, mark and order, so that
 * reading a farm's or the host's figures does not walk every position.
 *
 * Three levels are updated together: the agent, its farm, the total. A
 * position's contribution is taken out before it changes and put back after
 * (cap_pos_book -1 / +1); a mark revalues only the positions in that
 * instrument (each instrument lists its holders). The per-instrument
 * aggregates of a farm and of the host carry the summed quantity, valued at
 * the mark like capital_positions() reports it, for gross / net exposure.
 *
 * Nothing here is state in the replay sense: it is derived, never dumped,
 * and capital_check() compares it with a full recomputation. */
#include <stdlib.h>
#include <string.h>
#include <tradehost/th_status.h>

#include "ledger/capital_internal.h"

static cap_i128 cap_abs(cap_i128 v)
{
	return v < 0 ? -v : v;
}

int cap_note_account(capital_t *c, int32_t acct, int32_t wallet, int role)
{
	if (acct < 0)
		return TH_OK;
	if ((size_t)acct >= c->acct_cap) {
		size_t cap = c->acct_cap ? c->acct_cap : 64;
		while (cap <= (size_t)acct)
			cap *= 2;
		int32_t *w = realloc(c->acct_wallet, cap * sizeof *w);
		if (!w)
			return TH_ERR_NOMEM;
		c->acct_wallet = w;
		unsigned char *r = realloc(c->acct_role, cap);
		if (!r)
			return TH_ERR_NOMEM;
		c->acct_role = r;
		memset(r + c->acct_cap, 0, cap - c->acct_cap);
		c->acct_cap = cap;
	}
	c->acct_wallet[acct] = wallet;
	c->acct_role[acct] = (unsigned char)role;
	return TH_OK;
}

int cap_post(capital_t *c, const ledger_posting *p, size_t n, const char *memo, char *err, size_t errlen)
{
	int rc = ledger_post(c->ledger, p, n, memo, err, errlen);
	if (rc != TH_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		int32_t a = p[i].account;
		if (a < 0 || (size_t)a >= c->acct_cap || !c->acct_role[a])
			continue;
		const cap_wallet *w = &c->w[c->acct_wallet[a]];
		cap_run *farm = w->kind == CAPITAL_KIND_AGENT ? &c->w[w->parent].run : NULL;
		switch (c->acct_role[a]) {
		case CAP_ROLE_CASH:
			c->total_run.cash += p[i].amount;
			if (farm)
				farm->cash += p[i].amount;
			break;
		case CAP_ROLE_RESERVED:
			c->total_run.reserved += p[i].amount;
			if (farm)
				farm->reserved += p[i].amount;
			break;
		case CAP_ROLE_COLLATERAL:
			c->total_run.collateral += p[i].amount;
			if (farm)
				farm->collateral += p[i].amount;
			break;
		default:
			break;
		}
	}
	return TH_OK;
}

/* One position's additive figures into (sign +1) or out of (-1) a sum. */
static void run_position(cap_run *r, const cap_position *p, int sign)
{
	cap_i128 s = sign;
	r->value += s * p->value;
	r->cost += s * p->cost;
	r->abs_cost += s * cap_abs(p->cost);
	r->realized += s * p->realized;
	r->fees += s * p->fees;
	if (p->qty != 0)
		r->positions += sign > 0 ? 1 : (size_t)-1;
	r->trades += sign > 0 ? p->trades : -p->trades;
	r->wins += sign > 0 ? p->wins : -p->wins;
	r->losses += sign > 0 ? p->losses : -p->losses;
}

/* An aggregated (or an agent's own) position's exposure into or out of a sum. */
static void run_exposure(cap_run *r, th_money value, int nonflat, int sign)
{
	cap_i128 s = sign;
	r->gross += s * cap_abs(value);
	r->net += s * value;
	if (nonflat)
		r->held += sign > 0 ? 1 : (size_t)-1;
}

static void agg_position(cap_agg *a, const cap_position *p, int sign)
{
	cap_i128 s = sign;
	a->qty += s * p->qty;
	a->cost += s * p->cost;
	a->realized += s * p->realized;
	a->fees += s * p->fees;
	a->trades += sign > 0 ? p->trades : -p->trades;
	a->wins += sign > 0 ? p->wins : -p->wins;
	a->losses += sign > 0 ? p->losses : -p->losses;
}

/* qty x mark at one mark, remembering the last product: on a mark the
 * holder's position, its farm's aggregate and the host's aggregate usually
 * hold the same quantity (one agent per instrument), so one 128-bit
 * multiply-and-round serves all three. The result is the same function of
 * (mark, qty) either way. */
typedef struct cap_memo {
	th_qty qty;
	th_money value;
	int valid;
} cap_memo;

static inline th_money memo_value(const cap_instr *in, cap_memo *m, th_qty qty)
{
	if (qty == 0)
		return 0;
	if (!m->valid || m->qty != qty) {
		m->qty = qty;
		m->value = cap_value_of(in, qty);
		m->valid = 1;
	}
	return m->value;
}

/* Re-values an aggregate at its instrument's mark, keeping the owner's
 * exposure sums in step. */
static inline void agg_revalue(const cap_instr *in, cap_agg *a, cap_run *owner, cap_memo *m)
{
	if (a->qty == 0)
		return; /* flat: worth 0 at any mark, and it already is */
	th_money old = a->value, now = memo_value(in, m, cap_sat(a->qty));
	if (now == old)
		return;
	/* run_exposure() out with the old value and in with the new, as one
	 * step: the quantity did not change, so neither did `held` */
	a->value = now;
	owner->gross += cap_abs(now) - cap_abs(old);
	owner->net += (cap_i128)now - old;
}

void cap_pos_book(capital_t *c, int32_t agent, int32_t pos, int sign)
{
	cap_wallet *w = &c->w[agent], *farm = &c->w[w->parent];
	cap_position *p = &w->pos[pos];
	const cap_instr *in = &c->ins[p->instr];
	if (sign > 0)
		p->value = cap_position_value(c, p);
	run_position(&w->run, p, sign);
	run_position(&farm->run, p, sign);
	run_position(&c->total_run, p, sign);
	run_exposure(&w->run, p->value, p->qty != 0, sign);
	/* the aggregates: out with the old exposure, change the sums, back in */
	cap_agg *fa = &farm->agg[p->instr], *ta = &c->ins[p->instr].all;
	run_exposure(&farm->run, fa->value, fa->qty != 0, -1);
	agg_position(fa, p, sign);
	fa->value = cap_value_of(in, cap_sat(fa->qty));
	run_exposure(&farm->run, fa->value, fa->qty != 0, +1);
	run_exposure(&c->total_run, ta->value, ta->qty != 0, -1);
	agg_position(ta, p, sign);
	ta->value = cap_value_of(in, cap_sat(ta->qty));
	run_exposure(&c->total_run, ta->value, ta->qty != 0, +1);
}

void cap_instr_mark(capital_t *c, int32_t instr, th_price mark, int64_t now_ns)
{
	cap_instr *in = &c->ins[instr];
	cap_memo memo = { 0, 0, 0 };
	in->mark = mark;
	in->mark_ns = now_ns;
	for (size_t h = 0; h < in->nhold; h++) {
		cap_wallet *w = &c->w[in->hold_w[h]];
		cap_position *p = &w->pos[in->hold_p[h]];
		if (p->qty == 0)
			continue; /* flat: worth 0 at any mark */
		th_money old = p->value, now = memo_value(in, &memo, p->qty);
		if (now == old)
			continue;
		cap_i128 d = (cap_i128)now - old;
		p->value = now;
		w->run.value += d;
		c->w[w->parent].run.value += d;
		c->total_run.value += d;
		w->run.gross += cap_abs(now) - cap_abs(old);
		w->run.net += d;
	}
	for (size_t f = 0; f < in->nfarms; f++) {
		cap_wallet *farm = &c->w[in->farms[f]];
		agg_revalue(in, &farm->agg[instr], &farm->run, &memo);
	}
	agg_revalue(in, &in->all, &c->total_run, &memo);
}

static int grow_i32(int32_t **a, size_t *cap, size_t need)
{
	if (need <= *cap)
		return 0;
	size_t n = *cap ? *cap * 2 : 4;
	while (n < need)
		n *= 2;
	int32_t *g = realloc(*a, n * sizeof *g);
	if (!g)
		return -1;
	*a = g;
	*cap = n;
	return 0;
}

int cap_holder_reserve(capital_t *c, int32_t agent, int32_t instr)
{
	cap_instr *in = &c->ins[instr];
	cap_wallet *farm = &c->w[c->w[agent].parent];
	if (in->nhold == in->caphold) {
		/* both arrays share one capacity; a failure between the two reallocs
		 * leaves hold_w larger than recorded, which is harmless */
		size_t n = in->caphold ? in->caphold * 2 : 4;
		int32_t *hw = realloc(in->hold_w, n * sizeof *hw);
		if (!hw)
			return TH_ERR_NOMEM;
		in->hold_w = hw;
		int32_t *hp = realloc(in->hold_p, n * sizeof *hp);
		if (!hp)
			return TH_ERR_NOMEM;
		in->hold_p = hp;
		in->caphold = n;
	}
	if (grow_i32(&in->farms, &in->capfarms, in->nfarms + 1) != 0)
		return TH_ERR_NOMEM;
	if (farm->nagg < c->nins) {
		cap_agg *g = realloc(farm->agg, c->nins * sizeof *g);
		if (!g)
			return TH_ERR_NOMEM;
		memset(g + farm->nagg, 0, (c->nins - farm->nagg) * sizeof *g);
		farm->agg = g;
		farm->nagg = c->nins;
	}
	return TH_OK;
}

void cap_holder_commit(capital_t *c, int32_t agent, int32_t instr, int32_t pos)
{
	cap_instr *in = &c->ins[instr];
	int32_t fi = c->w[agent].parent;
	cap_agg *fa = &c->w[fi].agg[instr];
	in->hold_w[in->nhold] = agent;
	in->hold_p[in->nhold++] = pos;
	if (!fa->used) {
		fa->used = 1;
		in->farms[in->nfarms++] = fi;
	}
	in->all.used = 1;
}

void cap_order_count(capital_t *c, int32_t agent, int sign)
{
	size_t d = sign > 0 ? 1 : (size_t)-1;
	c->w[agent].run.open_orders += d;
	c->w[c->w[agent].parent].run.open_orders += d;
	c->total_run.open_orders += d;
}

void cap_running_free(capital_t *c)
{
	for (size_t i = 0; i < c->nins; i++) {
		free(c->ins[i].hold_w);
		free(c->ins[i].hold_p);
		free(c->ins[i].farms);
	}
	for (size_t i = 0; i < c->nw; i++)
		free(c->w[i].agg);
	free(c->acct_wallet);
	free(c->acct_role);
}
