/*
 * limits — post-trade rules of one wallet (the agent's, its farm's or the
 * host's "total"): the order is assumed filled in full, valued at the last
 * price, and the wallet's position, gross / net exposure, concentration,
 * HHI and leverage are recomputed. A rule denies only when the post-trade
 * figure is above its limit AND the order makes that figure worse, so an
 * order that reduces risk always passes even in a wallet already over a limit.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lim_internal.h"

typedef struct post {
	lim *L;
	lim_chk *c;
	int level;
	const char *wallet;
	char who[TH_NAME_MAX + 8]; /* "agent marcus", "farm alpha", "host" */
	const int64_t *e;           /* this level's limits, by lim_measure */
	th_wallet_stats st;
	lim_book *book;
	const th_position *p;       /* the wallet's position in the instrument, or NULL */
	int qs;                     /* common quantity scale */
	th_qty q_pre, q_post;
	th_money v_pre, v_post;     /* signed position value at the last price */
} post;

static const char *key_of(const post *P, int m)
{
	return lim_rules[LIM_POST_RULE(P->level, m)].key;
}

static uint32_t reason_of(const post *P, int m)
{
	return lim_rules[LIM_POST_RULE(P->level, m)].reason;
}

/* Position before and after, at a scale fine enough for both. */
static int quantities(post *P, th_risk_verdict *v)
{
	const th_order *o = P->c->o;
	int ps = P->p ? P->p->qty_scale : o->qty_scale;
	P->qs = ps > o->qty_scale ? ps : o->qty_scale;
	th_qty pre = 0, dq;
	if ((P->p && th_fixed_rescale(P->p->qty, ps, P->qs, &pre) != 0) || th_fixed_rescale(o->qty, o->qty_scale, P->qs, &dq) != 0 ||
		__builtin_add_overflow(pre, o->side == TH_SIDE_BUY ? dq : -dq, &P->q_post))
		return lim_deny(v, TH_RISK_POSITION, "%s: position of %s overflows", key_of(P, LIM_M_POSITION_QTY), P->who);
	P->q_pre = pre;
	if (th_notional(P->c->last, P->c->last_scale, P->q_pre, P->qs, &P->v_pre) != 0 ||
		th_notional(P->c->last, P->c->last_scale, P->q_post, P->qs, &P->v_post) != 0)
		return lim_deny(v, TH_RISK_POSITION, "%s: position value of %s overflows", key_of(P, LIM_M_POSITION_NOTIONAL), P->who);
	return 0;
}

static int over(const post *P, int m, th_risk_verdict *v, const char *what, int64_t got, int64_t limit, int scale)
{
	char a[48], b[48];
	return lim_deny(v, reason_of(P, m), "%s: %s of %s would be %s (max %s)", key_of(P, m), what, P->who,
		lim_fmt(a, sizeof a, got, scale), lim_fmt(b, sizeof b, limit, scale));
}

/* Index of the order's instrument in the book, or -1; is its cached value
 * missing a mark? (The check values it at the fresh last price anyway.) */
static long self_index(const post *P, int *self_missing)
{
	long i = P->p ? (long)(P->p - P->book->pos) : -1;
	*self_missing = i >= 0 && P->p->qty != 0 && P->book->val[i] == 0;
	return i;
}

/* HHI before and after from the wallet's running sums: the order's
 * instrument is taken out of them and put back at v and v'. O(1) per check
 * unless some other position has no mark yet. */
static int rule_hhi(post *P, th_risk_verdict *v)
{
	int64_t limit = P->e[LIM_M_HHI];
	lim *L = P->L;
	lim_book *b = P->book;
	int self_missing;
	long self = self_index(P, &self_missing);
	if (b->n_missing > (size_t)self_missing) {
		lim_book_revalue(L, b); /* asks the host for the marks still missing */
		self = self_index(P, &self_missing);
		for (size_t i = 0; b->n_missing > (size_t)self_missing && i < b->n; i++)
			if ((long)i != self && b->pos[i].qty != 0 && b->val[i] == 0)
				return lim_deny(v, TH_RISK_NO_DATA, "%s: no last price for %s:%s held by %s", key_of(P, LIM_M_HHI),
					b->pos[i].venue, b->pos[i].symbol, P->who);
	}
	double sv = self >= 0 ? b->val[self] : 0;
	double o_abs = b->sum_abs - fabs(sv), o_sq = b->sum_sq - sv * sv;
	long o_n = (long)b->n_live - (self >= 0 && P->p->qty != 0);
	if (o_abs < 0)
		o_abs = 0;
	if (o_sq < 0)
		o_sq = 0;
	double pre_v = (double)P->v_pre / 1e8, post_v = (double)P->v_post / 1e8;
	double pre_abs = o_abs + fabs(pre_v), post_abs = o_abs + fabs(post_v);
	double pre = pre_abs > 0 ? (o_sq + pre_v * pre_v) / (pre_abs * pre_abs) * 10000.0 : 0;
	double hhi = post_abs > 0 ? (o_sq + post_v * post_v) / (post_abs * post_abs) * 10000.0 : 0;
	long count = o_n + (P->q_post != 0);
	/* HHI is a floating-point statistic: a millionth of a point is noise.
	 * Shrinking a position can raise HHI (the rest weighs more) but never
	 * adds risk, so only orders that grow this position are held to it. */
	if (count >= L->hhi_min_positions && lim_abs(P->v_post) > lim_abs(P->v_pre) && hhi > (double)limit + 1e-6 &&
		hhi > pre + 1e-6)
		return lim_deny(v, TH_RISK_CONCENTRATION, "%s: HHI of %s would rise to %.0f (max %lld)", key_of(P, LIM_M_HHI),
			P->who, hhi, (long long)limit);
	return 0;
}

static int check_rules(post *P, th_risk_verdict *v)
{
	__extension__ typedef __int128 i128;
	const int64_t *e = P->e;
	th_money a_pre = lim_abs(P->v_pre), a_post = lim_abs(P->v_post);
	char a[48], b[48];

	if (e[LIM_M_POSITION_QTY] != LIM_OFF && lim_abs(P->q_post) > lim_abs(P->q_pre) &&
		lim_cmp_scaled(lim_abs(P->q_post), P->qs, e[LIM_M_POSITION_QTY], LIM_QTY_SCALE) > 0)
		return lim_deny(v, TH_RISK_POSITION, "%s: |position| of %s in %s would be %s (max %s)",
			key_of(P, LIM_M_POSITION_QTY), P->who, P->c->key, lim_fmt(a, sizeof a, lim_abs(P->q_post), P->qs),
			lim_fmt(b, sizeof b, e[LIM_M_POSITION_QTY], LIM_QTY_SCALE));
	if (e[LIM_M_POSITION_NOTIONAL] != LIM_OFF && a_post > a_pre && a_post > e[LIM_M_POSITION_NOTIONAL])
		return lim_deny(v, TH_RISK_POSITION, "%s: |position value| of %s in %s would be %s (max %s)",
			key_of(P, LIM_M_POSITION_NOTIONAL), P->who, P->c->key, lim_fmt(a, sizeof a, a_post, TH_MONEY_SCALE),
			lim_fmt(b, sizeof b, e[LIM_M_POSITION_NOTIONAL], TH_MONEY_SCALE));

	/* gross and net move only by this instrument's change of value */
	i128 g_pre = P->st.gross_exposure, g_post = g_pre - a_pre + a_post;
	i128 n_pre = P->st.net_exposure, n_post = n_pre - P->v_pre + P->v_post;
	i128 an_pre = n_pre < 0 ? -n_pre : n_pre, an_post = n_post < 0 ? -n_post : n_post;
	i128 eq = P->st.equity;
	if (g_post > INT64_MAX || n_post > INT64_MAX || n_post < -INT64_MAX)
		return lim_deny(v, TH_RISK_EXPOSURE, "exposure of %s overflows", P->who);
	if (e[LIM_M_GROSS] != LIM_OFF && g_post > g_pre && g_post > e[LIM_M_GROSS])
		return over(P, LIM_M_GROSS, v, "gross exposure", (int64_t)g_post, e[LIM_M_GROSS], TH_MONEY_SCALE);
	if (e[LIM_M_NET] != LIM_OFF && an_post > an_pre && an_post > e[LIM_M_NET])
		return over(P, LIM_M_NET, v, "|net exposure|", (int64_t)an_post, e[LIM_M_NET], TH_MONEY_SCALE);
	/* shares of equity; with no positive equity any growth is too much */
	if (e[LIM_M_CONCENTRATION] != LIM_OFF && a_post > a_pre &&
		(eq <= 0 || (i128)a_post * 10000 > (i128)e[LIM_M_CONCENTRATION] * eq)) {
		long long bps = eq > 0 ? (long long)((i128)a_post * 10000 / eq) : -1;
		return lim_deny(v, TH_RISK_CONCENTRATION, "%s: %s in %s would be %lld bps of equity %s (max %lld)",
			key_of(P, LIM_M_CONCENTRATION), P->who, P->c->key, bps, lim_fmt(a, sizeof a, P->st.equity, TH_MONEY_SCALE),
			(long long)e[LIM_M_CONCENTRATION]);
	}
	if (e[LIM_M_HHI] != LIM_OFF && rule_hhi(P, v))
		return 1;
	if (e[LIM_M_LEVERAGE] != LIM_OFF && g_post > g_pre &&
		(eq <= 0 || g_post * th_pow10(LIM_RATIO_SCALE) > (i128)e[LIM_M_LEVERAGE] * eq)) {
		int64_t lev = eq > 0 ? (int64_t)(g_post * 1000000 / eq) : -1; /* 6 digits: never shows "2 (max 2)" */
		return lim_deny(v, TH_RISK_LEVERAGE, "%s: leverage of %s would be %s (max %s)", key_of(P, LIM_M_LEVERAGE),
			P->who, eq > 0 ? lim_fmt(a, sizeof a, lev, 6) : "unbounded (equity <= 0)",
			lim_fmt(b, sizeof b, e[LIM_M_LEVERAGE], LIM_RATIO_SCALE));
	}
	return 0;
}

int lim_rule_post_trade(lim *L, lim_chk *c, int level, const char *wallet, th_risk_verdict *v)
{
	post P;
	char why[128];
	int first = -1, need_stats = 0;
	memset(&P, 0, sizeof P);
	P.L = L;
	P.c = c;
	P.level = level;
	P.wallet = wallet;
	P.e = &c->eff[LIM_POST_RULE(level, 0)];
	for (int m = LIM_M_COUNT - 1; m >= 0; m--) {
		if (P.e[m] == LIM_OFF)
			continue;
		first = m;
		need_stats |= m >= LIM_M_GROSS;
	}
	if (first < 0)
		return 0;
	/* "agent marcus" / "farm alpha" / "host" for messages; no printf on the hot path */
	const char *word = level == LIM_LEVEL_AGENT ? "agent " : level == LIM_LEVEL_FARM ? "farm " : "host";
	size_t nw = strlen(word), nn = level == LIM_LEVEL_HOST ? 0 : strnlen(wallet, TH_NAME_MAX - 1);
	memcpy(P.who, word, nw);
	memcpy(P.who + nw, wallet, nn);
	P.who[nw + nn] = '\0';
	if (!lim_last(L, c))
		return lim_deny(v, TH_RISK_NO_DATA, "%s: no last price for %s to value the position", key_of(&P, first), c->key);
	long expect = -1;
	if (need_stats) {
		if (L->api->wallet_stats(L->ctx, wallet, &P.st) != TH_OK)
			return lim_deny(v, TH_RISK_NO_DATA, "%s: no wallet figures for %s", key_of(&P, first), P.who);
		expect = (long)P.st.positions;
	}
	if (!(P.book = lim_book_get(L, wallet, c->now_ns, expect, why, sizeof why)))
		return lim_deny(v, TH_RISK_ERROR, "%s: %s", key_of(&P, first), why);
	P.p = lim_book_find(P.book, c->key);
	if (quantities(&P, v))
		return 1;
	return check_rules(&P, v);
}
