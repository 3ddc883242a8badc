/*
 * var_stats — the estimators, on scenario P&L vectors, with no host calls.
 *
 * A scenario P&L vector holds, for each past bar ("scenario"), the money P&L
 * the portfolio would have made over that bar: sum over positions of
 * value x return. The vectors live in rings shared by every instrument and
 * scope (see var_hist.h), so the estimators read a var_span: the n most
 * recent entries as at most two contiguous pieces, oldest first.
 *
 * Money stays int64 at TH_MONEY_SCALE: VaR and ES are computed exactly from
 * the integer P&L entries. Only the parametric (EWMA) figures go through
 * double, as the brief allows for statistics; they are rounded back to money.
 */
#ifndef PLUGINS_RISK_VAR_STATS_H
#define PLUGINS_RISK_VAR_STATS_H

#include <stddef.h>
#include <stdint.h>

/* Confidence levels in basis points: integers, so ranks are exact. */
#define VAR_CONF_95 9500u
#define VAR_CONF_99 9900u
#define VAR_CONF_975 9750u

/* Standard normal quantiles for the parametric figures. */
#define VAR_Z95 1.6448536269514722
#define VAR_Z99 2.3263478740408408
#define VAR_Z975 1.959963984540054

/* The n most recent entries of a ring: [a0, a0+n0) then [a1, a1+n1), oldest first. */
typedef struct var_span {
	size_t a0, n0;
	size_t a1, n1;
} var_span;

/* The n (<= len) entries ending at ring index `newest` of a ring of `len`. */
var_span var_span_recent(size_t len, size_t newest, size_t n);
static inline size_t var_span_size(var_span s)
{
	return s.n0 + s.n1;
}

/* Range of the P&L arithmetic: one term (value x return) is clamped to
 * +-2^61 money units, a sum to +-2^62 (about 2.3e10 and 4.6e10 in currency
 * at scale 8), so base + delta never overflows int64 and the tail scan needs
 * no overflow checks. A book beyond that saturates instead of wrapping. */
#define VAR_TERM_CAP 2305843009213693952.0 /* 2^61 */
#define VAR_SUM_CAP (INT64_C(1) << 62)

/* Money from a double, rounded half away from zero, clamped to the term cap
 * (NaN gives the cap). Every P&L term goes through this one function, so
 * adding a term and later subtracting it gives back exactly what was there.
 * Branch-free and inline: it runs once per scenario in check(). */
__attribute__((always_inline)) static inline int64_t var_money_round(double x)
{
	double y = x + (x >= 0 ? 0.5 : -0.5);
	y = y < VAR_TERM_CAP ? y : VAR_TERM_CAP;
	y = y > -VAR_TERM_CAP ? y : -VAR_TERM_CAP;
	return (int64_t)y;
}

/* Adds, saturating at +-VAR_SUM_CAP. */
static inline int64_t var_add_sat(int64_t a, int64_t b)
{
	int64_t r;
	if (__builtin_expect(__builtin_add_overflow(a, b, &r), 0))
		return a > 0 ? VAR_SUM_CAP : -VAR_SUM_CAP;
	return r > VAR_SUM_CAP ? VAR_SUM_CAP : (r < -VAR_SUM_CAP ? -VAR_SUM_CAP : r);
}

/* Number of worst entries needed for VaR / ES at `conf_bp` over n scenarios. */
size_t var_var_rank(size_t n, uint32_t conf_bp); /* VaR is the var_var_rank-th worst P&L */
size_t var_es_need(size_t n, uint32_t conf_bp);  /* ES reads this many worst P&L values */

/* The k smallest values of base[i] (+ delta[i] when delta != NULL) over the
 * span, into out[0..k) in ascending order (out[0] = worst). k <= span size. */
void var_tail(const int64_t *base, const int64_t *delta, var_span sp, int64_t *out, size_t k);

/* The same, faster when a bound is known: only entries <= bound are
 * candidates, and at least k entries must be (e.g. bound = the k-th smallest
 * base + the largest delta). `cand` holds span size entries. Returns the
 * number of candidates (for tests). Entries are within +-VAR_SUM_CAP. */
size_t var_tail_bounded(const int64_t *base, const int64_t *delta, var_span sp, int64_t bound, int64_t *cand,
	int64_t *out, size_t k);

/* Ring indices of the k smallest base entries over the span, in no
 * particular order (ties: any of them). k <= span size. For the tight
 * candidate bound of check(): the k-th smallest of base + delta is at most
 * max over these indices of base[i] + delta[i] (true of any k entries). */
void var_tail_index(const int64_t *base, var_span sp, size_t k, uint32_t *idx);

/* Partial selection (quickselect): reorders a[0..n) so that a[0..k) are the
 * k smallest entries with a[k-1] the k-th smallest (the others in no
 * particular order). 1 <= k <= n. O(n) on average. var_expected_shortfall
 * reads only the sum of the first entries and the boundary one, so it gives
 * the same result on this as on a sorted tail. */
void var_select_smallest(int64_t *a, size_t n, size_t k);

/* From an ascending tail of n scenarios (holding at least var_var_rank /
 * var_es_need entries), as a LOSS in money (positive = loss):
 *   VaR_a = the ceil(n*a)-th smallest loss (the empirical a-quantile);
 *   ES_a  = (sum of the floor(m) largest losses + (m - floor(m)) x the next one) / m,
 *           m = n(1-a) — the mean of the worst (1-a) share of scenarios, with
 *           the boundary scenario weighted by its fraction (Acerbi–Tasche). */
int64_t var_value_at_risk(const int64_t *tail, size_t n, uint32_t conf_bp);
int64_t var_expected_shortfall(const int64_t *tail, size_t n, uint32_t conf_bp);

/* EWMA (RiskMetrics, zero mean) second moments over a span, newest weight
 * (1-l), then (1-l)l, (1-l)l^2 ..., normalised by the weight sum 1 - l^n so a
 * short window is not biased low:
 *   cov(x, y) = sum_k w_k x_k y_k,  w_k = (1-l) l^k / (1-l^n),  k = 0 newest. */
double var_ewma_cov(const double *x, const double *y, size_t n, double lambda); /* chronological arrays */
/* The same for one ring of doubles (variance) and for a P&L ring (money^2):
 * the portfolio variance v' S v equals the EWMA second moment of the
 * scenario P&L, because S = sum_k w_k r_k r_k'. */
double var_ewma_var_ring(const double *ring, var_span sp, double lambda);
double var_ewma_var_pnl(const int64_t *ring, var_span sp, double lambda);

/* Normal density at z (for the parametric ES factor phi(z)/(1-a)). */
double var_normal_pdf(double z);

/* Historical stress: the sums of every `len`-entry window of the span
 * (chronological), then the k worst, not overlapping, greedily from the worst.
 * Writes each window's loss (positive = loss) and the age in bars of its
 * last entry (0 = the newest); returns how many were found (0 if the span is
 * shorter than len). `scratch` holds span size entries. */
size_t var_worst_windows(const int64_t *ring, var_span sp, size_t len, size_t k, int64_t *loss, uint32_t *end_age,
	int64_t *scratch);

#endif
