/* Valuation: position values, agent / farm / total equity, free capital.
 * Read side only, so sums saturate instead of failing: values near int64's
 * limits (9.2e10 quote units at scale 8) are far outside any real book.
 *
 * Two ways to the same figures: from the running totals (capital_running.c,
 * O(1)), which everything but the checks uses, and the *_full functions,
 * which walk every position and are the reference capital_check() holds the
 * running totals to. (They can differ only where an intermediate sum
 * saturates, i.e. beyond int64 money.) */
#include <string.h>

#include "ledger/capital_internal.h"

th_money cap_position_value(const capital_t *c, const cap_position *p)
{
	return cap_value_of(&c->ins[p->instr], p->qty);
}

th_money cap_cash(const capital_t *c, const cap_wallet *w)
{
	return ledger_balance(c->ledger, w->acct_cash);
}

/* From the running totals. */
void cap_agent_figures(const capital_t *c, const cap_wallet *w, cap_figures *f)
{
	cap_settle(c);
	memset(f, 0, sizeof *f);
	f->cash = ledger_balance(c->ledger, w->acct_cash);
	f->reserved = ledger_balance(c->ledger, w->acct_reserved);
	f->collateral = ledger_balance(c->ledger, w->acct_collateral);
	f->value = cap_sat(w->run.value);
	f->cost = cap_sat(w->run.cost);
	f->abs_cost = cap_sat(w->run.abs_cost);
	f->unrealized = cap_sat(w->run.value - w->run.cost);
	f->realized = cap_sat(w->run.realized);
	f->fees = cap_sat(w->run.fees);
	f->positions = w->run.positions;
	f->trades = w->trades;
	f->wins = w->wins;
	f->losses = w->losses;
}

/* From every position. */
void cap_agent_figures_full(const capital_t *c, const cap_wallet *w, cap_figures *f)
{
	memset(f, 0, sizeof *f);
	f->cash = ledger_balance(c->ledger, w->acct_cash);
	f->reserved = ledger_balance(c->ledger, w->acct_reserved);
	f->collateral = ledger_balance(c->ledger, w->acct_collateral);
	cap_i128 value = 0, cost = 0, abs_cost = 0, realized = 0, fees = 0;
	for (size_t i = 0; i < w->npos; i++) {
		const cap_position *p = &w->pos[i];
		value += cap_position_value(c, p);
		cost += p->cost;
		abs_cost += p->cost < 0 ? -(cap_i128)p->cost : p->cost;
		realized += p->realized;
		fees += p->fees;
		if (p->qty != 0)
			f->positions++;
	}
	f->value = cap_sat(value);
	f->cost = cap_sat(cost);
	f->abs_cost = cap_sat(abs_cost);
	f->unrealized = cap_sat(value - cost);
	f->realized = cap_sat(realized);
	f->fees = cap_sat(fees);
	f->trades = w->trades;
	f->wins = w->wins;
	f->losses = w->losses;
}

th_money cap_figures_equity(const cap_figures *f)
{
	return cap_sat((cap_i128)f->cash + f->reserved + f->collateral + f->value);
}

/* cap_figures_equity(cap_agent_figures()) without the figures it does not
 * need: every snapshot reads it for every agent. */
th_money cap_agent_equity(const capital_t *c, const cap_wallet *w)
{
	cap_settle(c);
	return cap_agent_equity_settled(c, w);
}

th_money cap_agent_free(const capital_t *c, const cap_wallet *w)
{
	cap_figures f;
	cap_agent_figures(c, w, &f);
	cap_i128 equity = (cap_i128)f.cash + f.reserved + f.collateral + f.value;
	cap_i128 committed = (cap_i128)f.abs_cost + f.reserved;
	cap_i128 room = equity - committed;
	cap_i128 free = room < f.cash ? room : f.cash;
	return free < 0 ? 0 : cap_sat(free);
}

th_money cap_agent_equity_at_cost(const capital_t *c, const cap_wallet *w)
{
	cap_figures f;
	cap_agent_figures(c, w, &f);
	return cap_sat((cap_i128)f.cash + f.reserved + f.collateral + f.cost);
}

/* Running: a farm's equity is its cash plus its agents' accounts and
 * position values, all kept as sums. */
th_money cap_wallet_equity(const capital_t *c, int32_t wi)
{
	cap_settle(c);
	return cap_wallet_equity_settled(c, wi);
}

th_money cap_total_equity(const capital_t *c)
{
	cap_settle(c);
	const cap_run *r = &c->total_run;
	return cap_sat(r->cash + r->reserved + r->collateral + r->value);
}

th_money cap_wallet_equity_full(const capital_t *c, int32_t wi)
{
	const cap_wallet *w = &c->w[wi];
	cap_figures f;
	if (w->kind == CAPITAL_KIND_AGENT) {
		cap_agent_figures_full(c, w, &f);
		return cap_figures_equity(&f);
	}
	cap_i128 e = cap_cash(c, w);
	if (w->kind == CAPITAL_KIND_FARM)
		for (size_t i = 0; i < c->nw; i++)
			if (c->w[i].parent == wi && c->w[i].kind == CAPITAL_KIND_AGENT) {
				cap_agent_figures_full(c, &c->w[i], &f);
				e += cap_figures_equity(&f);
			}
	return cap_sat(e);
}

th_money cap_total_equity_full(const capital_t *c)
{
	cap_i128 e = 0;
	for (size_t i = 0; i < c->nw; i++) {
		const cap_wallet *w = &c->w[i];
		if (w->kind == CAPITAL_KIND_AGENT) {
			cap_figures f;
			cap_agent_figures_full(c, w, &f);
			e += cap_figures_equity(&f);
		} else {
			e += cap_cash(c, w);
		}
	}
	return cap_sat(e);
}
