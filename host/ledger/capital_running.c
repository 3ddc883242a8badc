/* Running totals of the capital hierarchy: per-wallet sums (cash, reserved,
 * collateral, position value, cost, realized, fees, exposure, counts) kept
 * up to date by every posting, position change, mark and order, so that
 * reading a farm's or the host's figures does not walk every position.
 *
 * Three levels are updated together: the agent, its farm, the total. A
 * position's change is added to each as one delta (cap_pos_set); a mark only records the price and lists the
 * instrument as stale, and the next read revalues the positions in it (each
 * instrument lists its holders; cap_settle). The per-instrument
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

/* How one position's additive figures change: new minus old. Counts are
 * unsigned and wrap, so adding a "negative" delta is exact modulo 2^n,
 * like taking the old figures out and putting the new ones in. */
typedef struct pos_delta {
	cap_i128 qty, value, cost, abs_cost, realized, fees;
	size_t nonflat; /* +1, 0 or (size_t)-1 */
	uint32_t trades, wins, losses;
} pos_delta;

static void run_add(cap_run *r, const pos_delta *d)
{
	r->value += d->value;
	r->cost += d->cost;
	r->abs_cost += d->abs_cost;
	r->realized += d->realized;
	r->fees += d->fees;
	r->positions += d->nonflat;
	r->trades += d->trades;
	r->wins += d->wins;
	r->losses += d->losses;
}

/* An aggregate takes the position's change; its value is re-derived from
 * the new summed quantity at the mark and its owner's exposure follows. */
static void agg_add(const cap_instr *in, cap_agg *a, cap_run *owner, const pos_delta *d)
{
	th_money old = a->value;
	size_t was = a->qty != 0;
	a->qty += d->qty;
	a->cost += d->cost;
	a->realized += d->realized;
	a->fees += d->fees;
	a->trades += d->trades;
	a->wins += d->wins;
	a->losses += d->losses;
	a->value = cap_value_of(in, cap_sat(a->qty));
	owner->gross += cap_abs(a->value) - cap_abs(old);
	owner->net += (cap_i128)a->value - old;
	owner->held += (size_t)(a->qty != 0) - was;
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

void cap_pos_set(capital_t *c, int32_t agent, int32_t pos, const cap_position *next)
{
	cap_wallet *w = &c->w[agent], *farm = &c->w[w->parent];
	cap_position *p = &w->pos[pos];
	const cap_instr *in = &c->ins[p->instr];
	/* Against the stored value, which may be at an earlier mark when the
	 * instrument is stale: the sums always equal the sum of stored values,
	 * and the settle after the mark revalues the rest. */
	th_money value = cap_value_of(in, next->qty);
	pos_delta d;
	d.qty = (cap_i128)next->qty - p->qty;
	d.value = (cap_i128)value - p->value;
	d.cost = (cap_i128)next->cost - p->cost;
	d.abs_cost = cap_abs(next->cost) - cap_abs(p->cost);
	d.realized = (cap_i128)next->realized - p->realized;
	d.fees = (cap_i128)next->fees - p->fees;
	d.nonflat = (size_t)(next->qty != 0) - (size_t)(p->qty != 0);
	d.trades = next->trades - p->trades;
	d.wins = next->wins - p->wins;
	d.losses = next->losses - p->losses;
	run_add(&w->run, &d);
	run_add(&farm->run, &d);
	run_add(&c->total_run, &d);
	/* the agent's own exposure is its position's */
	w->run.gross += cap_abs(value) - cap_abs(p->value);
	w->run.net += d.value;
	w->run.held += d.nonflat;
	agg_add(in, &farm->agg[p->instr], &farm->run, &d);
	agg_add(in, &c->ins[p->instr].all, &c->total_run, &d);
	int32_t instr = p->instr, acct_base = p->acct_base;
	*p = *next;
	p->instr = instr;
	p->acct_base = acct_base;
	p->value = value;
}

/* One more trade on a position, a win when outcome > 0, a loss when < 0:
 * cap_pos_set() for a change of the counts only, without revaluing
 * anything (every order that reduced a position ends here). */
void cap_pos_trade(capital_t *c, int32_t agent, int32_t pos, int outcome)
{
	cap_wallet *w = &c->w[agent];
	cap_position *p = &w->pos[pos];
	uint32_t win = outcome > 0, loss = outcome < 0;
	cap_run *runs[3] = { &w->run, &c->w[w->parent].run, &c->total_run };
	cap_agg *aggs[2] = { &c->w[w->parent].agg[p->instr], &c->ins[p->instr].all };
	p->trades++;
	p->wins += win;
	p->losses += loss;
	for (int i = 0; i < 3; i++) {
		runs[i]->trades++;
		runs[i]->wins += win;
		runs[i]->losses += loss;
	}
	for (int i = 0; i < 2; i++) {
		aggs[i]->trades++;
		aggs[i]->wins += win;
		aggs[i]->losses += loss;
	}
}

/* Brings the holders of one instrument and its aggregates to its mark. */
static void cap_instr_revalue(capital_t *c, int32_t instr)
{
	cap_instr *in = &c->ins[instr];
	cap_memo memo = { 0, 0, 0 };
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

void cap_settle_slow(capital_t *c)
{
	/* In the order the marks came: the sums are exact, so any order gives
	 * the same figures; this one is simply deterministic. */
	for (size_t k = 0; k < c->nstale; k++) {
		cap_instr_revalue(c, c->stale[k]);
		c->ins[c->stale[k]].stale = 0;
	}
	c->nstale = 0;
}

int cap_stale_reserve(capital_t *c, size_t nins)
{
	if (nins <= c->capstale)
		return TH_OK;
	size_t n = c->capstale ? c->capstale * 2 : 16;
	while (n < nins)
		n *= 2;
	int32_t *g = realloc(c->stale, n * sizeof *g);
	if (!g)
		return TH_ERR_NOMEM;
	c->stale = g;
	c->capstale = n;
	return TH_OK;
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
	free(c->stale);
}
