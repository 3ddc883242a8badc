/* capital_check: re-derives the invariants from the ledger and the raw
 * position / order records instead of trusting any cached total. */
#include <stdlib.h>
#include <string.h>
#include <tradehost/th_status.h>

#include "ledger/capital_internal.h"

static int cap_check_agent(const capital_t *c, size_t ai, cap_i128 *pnl_side, char *err, size_t errlen)
{
	char b1[48], b2[48], b3[48];
	const cap_wallet *w = &c->w[ai];
	cap_figures f;
	cap_agent_figures_full(c, w, &f);
	if (f.cash < 0 || f.reserved < 0 || f.collateral < 0) {
		cap_err(err, errlen, "agent '%s' has a negative cash, reserved or collateral balance", w->name);
		return TH_ERR;
	}
	cap_i128 res = 0;
	for (size_t i = 0; i < c->nord; i++)
		if (c->ord[i].agent == (int32_t)ai)
			res += c->ord[i].res_rem;
	if (res != f.reserved) {
		cap_err(err, errlen, "agent '%s': reserved account holds %s but its open orders hold %s", w->name,
			cap_fmt(f.reserved, b1, sizeof b1), cap_fmt(cap_sat(res), b2, sizeof b2));
		return TH_ERR;
	}
	cap_i128 coll = 0;
	for (size_t k = 0; k < w->npos; k++) {
		const cap_position *p = &w->pos[k];
		const cap_instr *in = &c->ins[p->instr];
		if (p->cost < 0)
			coll += 2 * (cap_i128)-p->cost;
		if ((p->qty > 0 && p->cost < 0) || (p->qty < 0 && p->cost > 0) || (p->qty == 0 && p->cost != 0)) {
			cap_err(err, errlen, "agent '%s' %s/%s: cost basis %s does not match qty %lld", w->name, in->venue,
				in->symbol, cap_fmt(p->cost, b1, sizeof b1), (long long)p->qty);
			return TH_ERR;
		}
		th_money qb = 0;
		th_fixed_rescale(p->qty, in->qty_scale, TH_MONEY_SCALE, &qb);
		if (ledger_balance(c->ledger, p->acct_base) != qb) {
			cap_err(err, errlen, "agent '%s' %s/%s: ledger holds %lld base units, position qty is %lld", w->name,
				in->venue, in->symbol, (long long)ledger_balance(c->ledger, p->acct_base), (long long)p->qty);
			return TH_ERR;
		}
		cap_i128 pb = 0, ps = 0;
		for (size_t i = 0; i < c->nord; i++) {
			const cap_order *o = &c->ord[i];
			if (o->agent != (int32_t)ai || o->pos != (int32_t)k)
				continue;
			if (o->reduce_rem < 0 || o->open_rem < 0 || o->res_rem < 0 ||
				o->reduce_rem + o->open_rem != o->remaining) {
				cap_err(err, errlen, "order '%s' has inconsistent remaining quantities", o->key);
				return TH_ERR;
			}
			if (o->side == TH_SIDE_BUY)
				pb += o->reduce_rem;
			else
				ps += o->reduce_rem;
		}
		if (pb != p->pend_reduce_buy || ps != p->pend_reduce_sell) {
			cap_err(err, errlen, "agent '%s' %s/%s: planned reductions %lld/%lld differ from its orders' %lld/%lld",
				w->name, in->venue, in->symbol, (long long)p->pend_reduce_buy, (long long)p->pend_reduce_sell,
				(long long)pb, (long long)ps);
			return TH_ERR;
		}
	}
	if (coll != f.collateral) {
		cap_err(err, errlen, "agent '%s': collateral account holds %s, its shorts need %s", w->name,
			cap_fmt(f.collateral, b1, sizeof b1), cap_fmt(cap_sat(coll), b2, sizeof b2));
		return TH_ERR;
	}
	/* 1x margin at cost: committed never beyond equity with positions at cost. */
	cap_i128 committed = (cap_i128)f.abs_cost + f.reserved;
	cap_i128 at_cost = (cap_i128)f.cash + f.reserved + f.collateral + f.cost;
	if (committed > at_cost) {
		cap_err(err, errlen, "agent '%s' is overcommitted: committed %s > equity at cost %s", w->name,
			cap_fmt(cap_sat(committed), b1, sizeof b1), cap_fmt(cap_sat(at_cost), b2, sizeof b2));
		return TH_ERR;
	}
	/* Conservation of the agent's capital, from its own bookkeeping. */
	cap_i128 want = (cap_i128)w->allocated + f.realized - f.fees - w->collected;
	if (at_cost != want || (cap_i128)w->flow != (cap_i128)w->allocated - w->collected) {
		cap_err(err, errlen, "agent '%s': equity at cost %s != allocated + realized - fees - collected %s (flow %s)",
			w->name, cap_fmt(cap_sat(at_cost), b1, sizeof b1), cap_fmt(cap_sat(want), b2, sizeof b2),
			cap_fmt(w->flow, b3, sizeof b3));
		return TH_ERR;
	}
	*pnl_side += (cap_i128)f.realized - f.fees + f.unrealized;
	return TH_OK;
}

/* A farm's capital at cost is what the master allocated to it plus its
 * agents' net realized PnL minus the profits sent up; the master holds the
 * net deposits minus what the farms hold as allocation plus what they sent. */
static int cap_check_allocations(const capital_t *c, char *err, size_t errlen)
{
	char b1[48], b2[48];
	cap_i128 master_want = c->w[CAP_MASTER].allocated;
	for (size_t fi = 0; fi < c->nw; fi++) {
		const cap_wallet *fw = &c->w[fi];
		if (fw->kind != CAPITAL_KIND_FARM)
			continue;
		cap_i128 at_cost = cap_cash(c, fw), want = (cap_i128)fw->allocated - fw->collected;
		for (size_t i = 0; i < c->nw; i++) {
			if (c->w[i].parent != (int32_t)fi)
				continue;
			cap_figures f;
			cap_agent_figures_full(c, &c->w[i], &f);
			at_cost += (cap_i128)f.cash + f.reserved + f.collateral + f.cost;
			want += (cap_i128)f.realized - f.fees;
		}
		if (at_cost != want || (cap_i128)fw->flow != (cap_i128)fw->allocated - fw->collected) {
			cap_err(err, errlen, "farm '%s': capital at cost %s != allocated + agents' net PnL - collected %s",
				fw->name, cap_fmt(cap_sat(at_cost), b1, sizeof b1), cap_fmt(cap_sat(want), b2, sizeof b2));
			return TH_ERR;
		}
		master_want += (cap_i128)fw->collected - fw->allocated;
	}
	th_money mcash = cap_cash(c, &c->w[CAP_MASTER]);
	if (mcash != master_want || c->w[CAP_MASTER].flow != mcash) {
		cap_err(err, errlen, "master wallet: cash %s != net deposits - farm allocations + collected profits %s",
			cap_fmt(mcash, b1, sizeof b1), cap_fmt(cap_sat(master_want), b2, sizeof b2));
		return TH_ERR;
	}
	return TH_OK;
}

/* The running totals (capital_running.c) against a full recomputation. */
static int cap_check_running_one(const capital_t *c, const char *wallet, char *err, size_t errlen)
{
	char b1[48], b2[48];
	capital_stats run, full;
	capital_stats_get(c, wallet, &run);
	capital_stats_recompute(c, wallet, &full);
#define CAP_SAME_MONEY(f)                                                                                              \
	if (run.f != full.f) {                                                                                         \
		cap_err(err, errlen, "wallet '%s': running %s %s != recomputed %s", wallet, #f, cap_fmt(run.f, b1, sizeof b1), \
			cap_fmt(full.f, b2, sizeof b2));                                                               \
		return TH_ERR;                                                                                         \
	}
#define CAP_SAME_COUNT(f)                                                                                              \
	if (run.f != full.f) {                                                                                         \
		cap_err(err, errlen, "wallet '%s': running %s %llu != recomputed %llu", wallet, #f,                     \
			(unsigned long long)run.f, (unsigned long long)full.f);                                        \
		return TH_ERR;                                                                                         \
	}
	CAP_SAME_MONEY(cash)
	CAP_SAME_MONEY(reserved)
	CAP_SAME_MONEY(collateral)
	CAP_SAME_MONEY(position_value)
	CAP_SAME_MONEY(equity)
	CAP_SAME_MONEY(committed)
	CAP_SAME_MONEY(free)
	CAP_SAME_MONEY(realized_pnl)
	CAP_SAME_MONEY(unrealized_pnl)
	CAP_SAME_MONEY(fees)
	CAP_SAME_MONEY(net_pnl)
	CAP_SAME_MONEY(gross_exposure)
	CAP_SAME_MONEY(net_exposure)
	CAP_SAME_COUNT(trades)
	CAP_SAME_COUNT(wins)
	CAP_SAME_COUNT(losses)
	CAP_SAME_COUNT(positions)
	CAP_SAME_COUNT(open_orders)
	CAP_SAME_COUNT(held)
#undef CAP_SAME_MONEY
#undef CAP_SAME_COUNT
	/* whatever the lists above miss (names, curve figures, allocations) */
	if (memcmp(&run, &full, sizeof run) != 0) {
		cap_err(err, errlen, "wallet '%s': running figures differ from the recomputation", wallet);
		return TH_ERR;
	}
	return TH_OK;
}

static int cap_check_running(const capital_t *c, char *err, size_t errlen)
{
	for (size_t i = 0; i < c->nw; i++)
		if (cap_check_running_one(c, c->w[i].name, err, errlen) != TH_OK)
			return TH_ERR;
	return cap_check_running_one(c, CAPITAL_TOTAL_NAME, err, errlen);
}

/* The lazy revaluation's bookkeeping (cap_instr_mark / cap_settle): the
 * stale list names each stale instrument once, and every instrument not
 * listed has its holders and aggregates valued at its current mark. Run
 * before anything settles, so a mark that failed to list its instrument
 * shows up here as a stale value. */
static int cap_check_marks(const capital_t *c, char *err, size_t errlen)
{
	size_t flagged = 0;
	for (size_t ii = 0; ii < c->nins; ii++)
		flagged += c->ins[ii].stale != 0;
	if (flagged != c->nstale) {
		cap_err(err, errlen, "%zu instruments are flagged stale but %zu are listed", flagged, c->nstale);
		return TH_ERR;
	}
	for (size_t k = 0; k < c->nstale; k++)
		if (c->stale[k] < 0 || (size_t)c->stale[k] >= c->nins || !c->ins[c->stale[k]].stale) {
			cap_err(err, errlen, "stale list entry %zu (%d) is not a stale instrument", k, (int)c->stale[k]);
			return TH_ERR;
		}
	for (size_t ii = 0; ii < c->nins; ii++) {
		const cap_instr *in = &c->ins[ii];
		if (in->stale)
			continue;
		for (size_t h = 0; h < in->nhold; h++) {
			const cap_position *p = &c->w[in->hold_w[h]].pos[in->hold_p[h]];
			if (p->value != cap_position_value(c, p)) {
				cap_err(err, errlen, "agent '%s': value of %s/%s is not at the current mark, yet not listed stale",
					c->w[in->hold_w[h]].name, in->venue, in->symbol);
				return TH_ERR;
			}
		}
		for (size_t f = 0; f < in->nfarms; f++) {
			const cap_agg *a = &c->w[in->farms[f]].agg[ii];
			if (a->value != cap_value_of(in, cap_sat(a->qty))) {
				cap_err(err, errlen, "farm '%s': value of %s/%s is not at the current mark, yet not listed stale",
					c->w[in->farms[f]].name, in->venue, in->symbol);
				return TH_ERR;
			}
		}
		if (in->all.value != cap_value_of(in, cap_sat(in->all.qty))) {
			cap_err(err, errlen, "total: value of %s/%s is not at the current mark, yet not listed stale", in->venue,
				in->symbol);
			return TH_ERR;
		}
	}
	return TH_OK;
}

int capital_check(const capital_t *c, char *err, size_t errlen)
{
	char b1[48], b2[48];
	int rc = cap_check_marks(c, err, errlen);
	if (rc != TH_OK)
		return rc;
	rc = ledger_check(c->ledger, err, errlen);
	if (rc != TH_OK)
		return rc;
	cap_i128 wallets = 0, pnl = 0, quote_held = 0;
	for (size_t i = 0; i < c->nw; i++) {
		const cap_wallet *w = &c->w[i];
		th_money cash = cap_cash(c, w);
		if (cash < 0) {
			cap_err(err, errlen, "wallet '%s' has negative cash", w->name);
			return TH_ERR;
		}
		quote_held += cash;
		if (w->kind == CAPITAL_KIND_AGENT) {
			if (cap_check_agent(c, i, &pnl, err, errlen) != TH_OK)
				return TH_ERR;
			quote_held += (cap_i128)ledger_balance(c->ledger, w->acct_reserved) +
				ledger_balance(c->ledger, w->acct_collateral);
		}
	}
	/* Sum of the wallets, built top-down as the hierarchy defines it. */
	wallets = cap_cash(c, &c->w[CAP_MASTER]);
	for (size_t i = 0; i < c->nw; i++)
		if (c->w[i].kind == CAPITAL_KIND_FARM)
			wallets += cap_wallet_equity_full(c, (int32_t)i);
	cap_i128 deposits = -(cap_i128)ledger_balance(c->ledger, c->acct_external);
	if (deposits != c->total_flow) {
		cap_err(err, errlen, "net deposits %s differ from the external account's %s",
			cap_fmt(cap_sat(c->total_flow), b1, sizeof b1), cap_fmt(cap_sat(deposits), b2, sizeof b2));
		return TH_ERR;
	}
	cap_i128 total = deposits + pnl;
	if (wallets != total || cap_total_equity_full(c) != total) {
		cap_err(err, errlen, "sum of wallets %s != total %s (net deposits + realized - fees + unrealized)",
			cap_fmt(cap_sat(wallets), b1, sizeof b1), cap_fmt(cap_sat(total), b2, sizeof b2));
		return TH_ERR;
	}
	/* The quote the wallets hold is exactly what the world accounts gave. */
	cap_i128 world = (cap_i128)ledger_balance(c->ledger, c->acct_external) + ledger_balance(c->ledger, c->acct_market) +
		ledger_balance(c->ledger, c->acct_fees);
	if (quote_held != -world) {
		cap_err(err, errlen, "wallets hold %s %s but the world accounts account for %s", cap_fmt(cap_sat(quote_held),
			b1, sizeof b1), c->quote, cap_fmt(cap_sat(-world), b2, sizeof b2));
		return TH_ERR;
	}
	if (cap_check_allocations(c, err, errlen) != TH_OK)
		return TH_ERR;
	/* The order index (capital.ord_indexed): the map holds exactly the open
	 * orders, or it is empty and the orders are few enough to scan. */
	size_t indexed = c->ord_indexed ? c->nord : 0;
	if (!c->ord_indexed && c->nord > CAP_ORDER_SCAN_MAX) {
		cap_err(err, errlen, "%zu open orders are not indexed (at most %d are scanned)", c->nord,
			CAP_ORDER_SCAN_MAX);
		return TH_ERR;
	}
	for (size_t i = 0; i < c->nord; i++) {
		int32_t j;
		if (c->ord_indexed && (!ledger_map_get(c->ord_by_key, c->ord[i].key, &j) || j != (int32_t)i)) {
			cap_err(err, errlen, "order index for '%s' is stale", c->ord[i].key);
			return TH_ERR;
		}
		if (cap_order_find(c, c->ord[i].key) != (int32_t)i) {
			cap_err(err, errlen, "order '%s' is not found where it is (or held twice)", c->ord[i].key);
			return TH_ERR;
		}
	}
	if (ledger_map_size(c->ord_by_key) != indexed) {
		cap_err(err, errlen, "order index holds %zu keys for %zu orders", ledger_map_size(c->ord_by_key), indexed);
		return TH_ERR;
	}
	return cap_check_running(c, err, errlen);
}
