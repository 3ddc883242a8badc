/* Equity curves: snapshots, the flow-adjusted nav, drawdown and the returns
 * the performance-weighted allocation rules use. */
#include <stdlib.h>
#include <string.h>
#include <tradehost/th_status.h>

#include "ledger/capital_internal.h"

/* nav x adj / last_equity rounded half away from zero, clamped to
 * 0..INT64_MAX: the definition, in 128 bits (last_equity > 0, nav >= 0). */
int64_t cap_nav_scale_exact(int64_t nav, cap_i128 adj, th_money last_equity)
{
	cap_i128 n = (cap_i128)nav * adj;
	cap_i128 q = n / last_equity, r = n % last_equity;
	if (r != 0 && (r < 0 ? -r : r) * 2 >= last_equity)
		q += n < 0 ? -1 : 1;
	if (q < 0)
		return 0;
	return q > INT64_MAX ? INT64_MAX : (int64_t)q;
}

/* The same without 128-bit division, which costs about as much as the rest
 * of a snapshot. Between two snapshots equity moves by a small x, so
 * with adj = E + x:  nav x adj / E = nav + nav x x / E.  Where
 * nav x adj >= 0, rounding half away from zero is floor(. + 1/2), so the
 * result is nav + floor(nav x x / E) + (remainder >= E / 2), all in int64
 * when nav x x fits. Where nav x adj < 0 both forms give a value <= 0,
 * clamped to 0. Anything that would overflow takes the exact path.
 * tests/unit/ledger_lazy holds the two equal on random and edge inputs. */
static inline int64_t cap_nav_scale(int64_t nav, int64_t x, cap_i128 adj, th_money last_equity)
{
	int64_t p, res;
	if (x == 0)
		return nav; /* equity and flow unchanged */
	if (__builtin_mul_overflow(nav, x, &p))
		return cap_nav_scale_exact(nav, adj, last_equity);
	int64_t q = p / last_equity, r = p % last_equity;
	if (r < 0) { /* floor division: the remainder in [0, E) */
		q--;
		r += last_equity;
	}
	if (__builtin_add_overflow(nav, q, &res) || __builtin_add_overflow(res, r >= last_equity - r, &res))
		return cap_nav_scale_exact(nav, adj, last_equity);
	return res < 0 ? 0 : res;
}

/* Inline here so each snapshot's four appends do not pay a call for it. */
static inline int64_t curve_nav(const cap_curve *cv, th_money equity, th_money flow)
{
	if (cv->seq == 0)
		return CAPITAL_NAV_ONE;
	/* Nothing to measure a return against: the nav carries over. */
	if (cv->last_equity <= 0)
		return cv->nav;
	/* adj = equity - (flow - last_flow) and x = adj - last_equity in 64
	 * bits, which nearly always fit (128-bit arithmetic costs several
	 * instructions per step); where one does not, the exact way. */
	int64_t df, adj, x;
	if (__builtin_sub_overflow(flow, cv->last_flow, &df) || __builtin_sub_overflow(equity, df, &adj) ||
		__builtin_sub_overflow(adj, cv->last_equity, &x))
		return cap_nav_scale_exact(cv->nav, (cap_i128)equity - ((cap_i128)flow - cv->last_flow), cv->last_equity);
	return cap_nav_scale(cv->nav, x, adj, cv->last_equity);
}

int64_t cap_curve_nav_live(const cap_curve *cv, th_money equity, th_money flow)
{
	return curve_nav(cv, equity, flow);
}

/* The next ring slot (head < cap and n <= cap, so one wrap at most). */
static inline size_t curve_slot(cap_curve *cv)
{
	size_t slot;
	if (cv->n < cv->cap) {
		slot = cv->head + cv->n;
		if (slot >= cv->cap)
			slot -= cv->cap;
		cv->n++;
	} else {
		slot = cv->head;
		cv->head = cv->head + 1 == cv->cap ? 0 : cv->head + 1;
	}
	return slot;
}

/* Inline so a snapshot's four appends do not each pay a call. */
static inline void curve_append(cap_curve *cv, int64_t t_ns, th_money equity, th_money flow)
{
	if (cv->seq > 0 && equity == cv->last_equity && flow == cv->last_flow) {
		/* Nothing moved since the last point (a wallet that only holds
		 * cash, anything flat): the nav carries over (curve_nav) and the
		 * peaks and drawdowns already count this very nav and perf. */
		cv->seq++;
		cv->pts[curve_slot(cv)] = (cap_point){ t_ns, equity, flow, cv->nav };
		return;
	}
	int64_t nav = curve_nav(cv, equity, flow);
	th_money perf, ddm;
	if (__builtin_sub_overflow(equity, flow, &perf))
		perf = cap_sat((cap_i128)equity - flow);
	if (cv->seq == 0) {
		cv->peak_nav = nav;
		cv->peak_perf = perf;
	}
	if (nav > cv->peak_nav)
		cv->peak_nav = nav;
	/* 0 <= nav <= peak_nav: at the peak the drawdown is 0, which never raises
	 * the maximum; below it the gap fits 64-bit arithmetic unless huge. */
	if (cv->peak_nav > 0 && nav < cv->peak_nav) {
		/* Below the peak on most points, but the maximum rarely moves: ask
		 * floor(gap x 10000 / peak) > max as gap x 10000 >= (max + 1) x peak
		 * (the same for gap >= 0, peak > 0; exact in 128 bits) and divide
		 * only for a new maximum. */
		int64_t gap = cv->peak_nav - nav, lhs, rhs;
		int more = !__builtin_mul_overflow(gap, (int64_t)10000, &lhs) && cv->max_dd_bps < INT64_MAX &&
				!__builtin_mul_overflow(cv->max_dd_bps + 1, cv->peak_nav, &rhs)
			? lhs >= rhs
			: (cap_i128)gap * 10000 >= ((cap_i128)cv->max_dd_bps + 1) * cv->peak_nav;
		if (more) {
			int64_t dd = gap <= INT64_MAX / 10000 ? gap * 10000 / cv->peak_nav
							      : (int64_t)((cap_i128)gap * 10000 / cv->peak_nav);
			if (dd > cv->max_dd_bps)
				cv->max_dd_bps = dd;
		}
	}
	if (perf > cv->peak_perf)
		cv->peak_perf = perf;
	if (__builtin_sub_overflow(cv->peak_perf, perf, &ddm))
		ddm = cap_sat((cap_i128)cv->peak_perf - perf);
	if (ddm > cv->max_dd_money)
		cv->max_dd_money = ddm;
	cv->seq++;
	cv->pts[curve_slot(cv)] = (cap_point){ t_ns, equity, flow, nav };
	cv->nav = nav;
	cv->last_equity = equity;
	cv->last_flow = flow;
}

void cap_curve_append(cap_curve *cv, int64_t t_ns, th_money equity, th_money flow)
{
	curve_append(cv, t_ns, equity, flow);
}

static const cap_point *cap_curve_at(const cap_curve *cv, size_t k)
{
	return &cv->pts[(cv->head + k) % cv->cap];
}

size_t cap_curve_returns(const cap_curve *cv, double *out, size_t max)
{
	/* Walk back from the newest pair so the window is the most recent one. */
	size_t got = 0;
	for (size_t k = cv->n; k >= 2 && got < max; k--) {
		const cap_point *prev = cap_curve_at(cv, k - 2), *cur = cap_curve_at(cv, k - 1);
		if (prev->equity <= 0)
			continue;
		cap_i128 gain = (cap_i128)cur->equity - ((cap_i128)cur->flow - prev->flow) - prev->equity;
		out[got++] = (double)gain / (double)prev->equity;
	}
	for (size_t i = 0; i < got / 2; i++) {
		double t = out[i];
		out[i] = out[got - 1 - i];
		out[got - 1 - i] = t;
	}
	return got;
}

cap_point *cap_curve_copy(const cap_curve *cv, size_t cap)
{
	cap_point *p = calloc(cap, sizeof *p);
	if (!p)
		return NULL;
	size_t keep = cv->n < cap ? cv->n : cap;
	for (size_t k = 0; k < keep; k++)
		p[k] = *cap_curve_at(cv, cv->n - keep + k);
	return p;
}

void cap_curve_adopt(cap_curve *cv, cap_point *pts, size_t cap)
{
	free(cv->pts);
	cv->pts = pts;
	cv->n = cv->n < cap ? cv->n : cap;
	cv->head = 0;
	cv->cap = cap;
}

int capital_snapshot_equity(capital_t *c, int64_t now_ns)
{
	/* One settle for every wallet's equity (each reader would check again). */
	cap_settle(c);
	for (size_t i = 0; i < c->nw; i++)
		curve_append(&c->w[i].curve, now_ns, cap_wallet_equity_settled(c, (int32_t)i), c->w[i].flow);
	curve_append(&c->total_curve, now_ns, cap_total_equity(c), c->total_flow);
	return TH_OK;
}

static const cap_curve *cap_curve_of(const capital_t *c, const char *wallet, th_money *equity, th_money *flow)
{
	if (wallet && strcmp(wallet, CAPITAL_TOTAL_NAME) == 0) {
		if (equity)
			*equity = cap_total_equity(c);
		if (flow)
			*flow = c->total_flow;
		return &c->total_curve;
	}
	int32_t i = cap_wallet_find(c, wallet);
	if (i < 0)
		return NULL;
	if (equity)
		*equity = cap_wallet_equity(c, i);
	if (flow)
		*flow = c->w[i].flow;
	return &c->w[i].curve;
}

size_t capital_curve(const capital_t *c, const char *wallet, uint64_t after_seq, capital_point *out, size_t max)
{
	const cap_curve *cv = cap_curve_of(c, wallet, NULL, NULL);
	if (!cv)
		return 0;
	size_t count = 0;
	for (size_t k = 0; k < cv->n; k++) {
		if (cv->seq - cv->n + 1 + k <= after_seq) /* the point's seq (cap_point) */
			continue;
		if (count < max)
			out[count] = cap_curve_point(cv, k);
		count++;
	}
	return count;
}

uint64_t capital_curve_seq(const capital_t *c, const char *wallet)
{
	const cap_curve *cv = cap_curve_of(c, wallet, NULL, NULL);
	return cv ? cv->seq : 0;
}

int capital_nav_live(const capital_t *c, const char *wallet, int64_t *nav)
{
	th_money e, f;
	const cap_curve *cv = cap_curve_of(c, wallet, &e, &f);
	if (!cv)
		return TH_ERR_NOT_FOUND;
	*nav = cap_curve_nav_live(cv, e, f);
	return TH_OK;
}
