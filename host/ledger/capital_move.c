/* Capital movements: deposits and withdrawals of the master wallet,
 * allocations along the hierarchy, and profit collection. */
#include <stdlib.h>
#include <string.h>
#include <tradehost/th_status.h>

#include "ledger/capital_internal.h"

void cap_note_transfer(capital_t *c, int32_t from, int32_t to, th_money amount, int allocation)
{
	cap_wallet *f = &c->w[from], *t = &c->w[to];
	/* A farm's equity includes its agents, so farm <-> agent moves cross no
	 * boundary of the farm: only the agent's flow changes. */
	if (t->parent == from) {
		t->flow += amount;
		if (allocation)
			t->allocated += amount;
		if (f->kind == CAPITAL_KIND_MASTER)
			f->flow -= amount;
	} else if (f->parent == to) {
		f->flow -= amount;
		if (allocation)
			f->allocated -= amount;
		else
			f->collected += amount;
		if (t->kind == CAPITAL_KIND_MASTER)
			t->flow += amount;
	}
}

int capital_deposit(capital_t *c, th_money amount)
{
	if (amount <= 0)
		return TH_ERR_INVALID;
	ledger_posting p[2] = { { c->acct_external, -amount }, { c->w[CAP_MASTER].acct_cash, amount } };
	int rc = cap_post(c, p, 2, "deposit", NULL, 0);
	if (rc != TH_OK)
		return rc;
	c->w[CAP_MASTER].allocated += amount;
	c->w[CAP_MASTER].flow += amount;
	c->total_flow += amount;
	return TH_OK;
}

int capital_withdraw(capital_t *c, th_money amount, char *err, size_t errlen)
{
	char b1[48], b2[48];
	if (amount <= 0) {
		cap_err(err, errlen, "withdrawal amount must be positive");
		return TH_ERR_INVALID;
	}
	th_money cash = cap_cash(c, &c->w[CAP_MASTER]);
	if (cash < amount) {
		cap_err(err, errlen, "cannot withdraw %s %s: the master wallet holds %s %s in cash", cap_fmt(amount, b1, sizeof b1),
			c->quote, cap_fmt(cash, b2, sizeof b2), c->quote);
		return TH_ERR_LIMIT;
	}
	ledger_posting p[2] = { { c->w[CAP_MASTER].acct_cash, -amount }, { c->acct_external, amount } };
	int rc = cap_post(c, p, 2, "withdraw", err, errlen);
	if (rc != TH_OK)
		return rc;
	c->w[CAP_MASTER].allocated -= amount;
	c->w[CAP_MASTER].flow -= amount;
	c->total_flow -= amount;
	return TH_OK;
}

static const char *cap_kind_name(int kind)
{
	return kind == CAPITAL_KIND_MASTER ? "master wallet" : kind == CAPITAL_KIND_FARM ? "farm" : "agent";
}

int capital_allocate(capital_t *c, const char *from, const char *to, th_money amount, char *err, size_t errlen)
{
	char b1[48], b2[48];
	int32_t f = cap_wallet_find(c, from), t = cap_wallet_find(c, to);
	if (f < 0 || t < 0) {
		cap_err(err, errlen, "allocate: unknown wallet '%s'", f < 0 ? (from ? from : "") : (to ? to : ""));
		return TH_ERR_NOT_FOUND;
	}
	if (c->w[t].parent != f && c->w[f].parent != t) {
		cap_err(err, errlen,
			"allocate: %s '%s' -> %s '%s' is not allowed (only master <-> farm and farm <-> its agents)",
			cap_kind_name(c->w[f].kind), from, cap_kind_name(c->w[t].kind), to);
		return TH_ERR_INVALID;
	}
	if (amount <= 0) {
		cap_err(err, errlen, "allocate %s -> %s: amount must be positive", from, to);
		return TH_ERR_INVALID;
	}
	th_money cash = cap_cash(c, &c->w[f]);
	if (cash < amount) {
		cap_err(err, errlen, "allocate %s -> %s: %s '%s' has %s %s of free cash, %s %s requested", from, to,
			cap_kind_name(c->w[f].kind), from, cap_fmt(cash, b1, sizeof b1), c->quote,
			cap_fmt(amount, b2, sizeof b2), c->quote);
		return TH_ERR_LIMIT;
	}
	ledger_posting p[2] = { { c->w[f].acct_cash, -amount }, { c->w[t].acct_cash, amount } };
	int rc = cap_post(c, p, 2, "allocate", err, errlen);
	if (rc != TH_OK)
		return rc;
	cap_note_transfer(c, f, t, amount, 1);
	return TH_OK;
}

int capital_set_allocation(capital_t *c, const char *wallet, th_money amount, char *err, size_t errlen)
{
	int32_t i = cap_wallet_find(c, wallet);
	if (i <= CAP_MASTER) {
		cap_err(err, errlen, "set allocation: '%s' is not a farm or agent", wallet ? wallet : "");
		return TH_ERR_NOT_FOUND;
	}
	if (amount < 0) {
		cap_err(err, errlen, "set allocation of '%s': amount must be >= 0", wallet);
		return TH_ERR_INVALID;
	}
	const char *parent = c->w[c->w[i].parent].name;
	th_money diff = amount - c->w[i].allocated;
	if (diff > 0)
		return capital_allocate(c, parent, wallet, diff, err, errlen);
	if (diff < 0)
		return capital_allocate(c, wallet, parent, -diff, err, errlen);
	return TH_OK;
}

/* Realized profit an agent can hand up now: min(cash, equity at cost - allocated). */
static th_money cap_agent_collectable(const capital_t *c, const cap_wallet *w)
{
	cap_i128 profit = (cap_i128)cap_agent_equity_at_cost(c, w) - w->allocated;
	th_money cash = cap_cash(c, w);
	cap_i128 m = profit < cash ? profit : cash;
	return m > 0 ? cap_sat(m) : 0;
}

int capital_collect_profits(capital_t *c, const char *wallet, char *err, size_t errlen)
{
	int32_t wi = cap_wallet_find(c, wallet);
	if (wi <= CAP_MASTER) {
		cap_err(err, errlen, "collect profits: '%s' is not a farm or agent", wallet ? wallet : "");
		return wi == CAP_MASTER ? TH_ERR_INVALID : TH_ERR_NOT_FOUND;
	}
	const cap_wallet *w = &c->w[wi];
	int32_t master_cash = c->w[CAP_MASTER].acct_cash;
	if (w->kind == CAPITAL_KIND_AGENT) {
		th_money m = cap_agent_collectable(c, w);
		if (m == 0)
			return TH_OK;
		ledger_posting p[2] = { { w->acct_cash, -m }, { master_cash, m } };
		int rc = cap_post(c, p, 2, "collect profits", err, errlen);
		if (rc != TH_OK)
			return rc;
		cap_note_transfer(c, wi, w->parent, m, 0);
		cap_note_transfer(c, w->parent, CAP_MASTER, m, 0);
		return TH_OK;
	}
	/* A farm: every agent's realized profit, then the farm's own, in one
	 * transaction. */
	size_t n = 0;
	for (size_t i = 0; i < c->nw; i++)
		if (c->w[i].parent == wi)
			n++;
	ledger_posting *p = calloc(2 * n + 2, sizeof *p);
	th_money *amt = calloc(n + 1, sizeof *amt);
	if (!p || !amt) {
		free(p);
		free(amt);
		cap_err(err, errlen, "out of memory collecting profits of '%s'", wallet);
		return TH_ERR_NOMEM;
	}
	size_t k = 0, np = 0;
	cap_i128 farm_at_cost = cap_cash(c, w), to_master = 0;
	for (size_t i = 0; i < c->nw; i++) {
		if (c->w[i].parent != wi)
			continue;
		th_money m = cap_agent_collectable(c, &c->w[i]);
		amt[k++] = m;
		farm_at_cost += (cap_i128)cap_agent_equity_at_cost(c, &c->w[i]) - m;
		if (m > 0) {
			p[np++] = (ledger_posting){ c->w[i].acct_cash, -m };
			to_master += m;
		}
	}
	cap_i128 farm_profit = farm_at_cost - w->allocated;
	th_money fcash = cap_cash(c, w);
	cap_i128 mf = farm_profit < fcash ? farm_profit : fcash;
	if (mf < 0)
		mf = 0;
	amt[k] = (th_money)mf;
	if (mf > 0)
		p[np++] = (ledger_posting){ w->acct_cash, (th_money)-mf };
	to_master += mf;
	int rc = TH_OK;
	if (to_master > 0) {
		p[np++] = (ledger_posting){ master_cash, cap_sat(to_master) };
		rc = cap_post(c, p, np, "collect profits", err, errlen);
	}
	if (rc == TH_OK && to_master > 0) {
		k = 0;
		for (size_t i = 0; i < c->nw; i++) {
			if (c->w[i].parent != wi)
				continue;
			if (amt[k] > 0) {
				cap_note_transfer(c, (int32_t)i, wi, amt[k], 0);
				cap_note_transfer(c, wi, CAP_MASTER, amt[k], 0);
			}
			k++;
		}
		if (amt[k] > 0)
			cap_note_transfer(c, wi, CAP_MASTER, amt[k], 0);
	}
	free(p);
	free(amt);
	return rc;
}
