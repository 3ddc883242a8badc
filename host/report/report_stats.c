/*
 * report — performance statistics of one equity curve and its trades. The
 * formulas and the conventions for undefined values are in report.h.
 */
#include "report/report_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A stdev this small relative to |mean| is rounding noise of a constant
 * return (e.g. three returns of exactly 0.1 whose mean rounds to
 * 0.10000000000000002), not risk: Sharpe is then undefined, not 1e16. */
#define REPORT_STDEV_NOISE 1e-12

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Median spacing of strictly increasing times (n >= 2); 0 on allocation
 * failure. Sorting a copy is O(n log n), fine for one call per series. */
static int64_t median_spacing(const int64_t *t, size_t n)
{
	size_t m = n - 1;
	int64_t *d = malloc(m * sizeof *d);
	if (!d)
		return 0;
	for (size_t i = 0; i < m; i++)
		d[i] = t[i + 1] - t[i];
	qsort(d, m, sizeof *d, cmp_i64);
	int64_t med = (m % 2) ? d[m / 2] : d[m / 2 - 1] + (d[m / 2] - d[m / 2 - 1]) / 2;
	free(d);
	return med;
}

static void set_undef(report_stats *o, unsigned bit, double *field)
{
	o->undefined |= bit;
	*field = 0.0;
}

/* Per-period returns into r (room for n - 1); returns how many were defined. */
static size_t period_returns(const th_money *e, size_t n, double *r)
{
	size_t k = 0;
	for (size_t i = 1; i < n; i++) {
		if (e[i - 1] <= 0)
			continue; /* no defined return from a non-positive base */
		int64_t diff;
		double num = __builtin_sub_overflow(e[i], e[i - 1], &diff)
				     ? (double)e[i] - (double)e[i - 1]
				     : (double)diff;
		r[k++] = num / (double)e[i - 1];
	}
	return k;
}

static void return_ratios(const double *r, size_t nr, double ppy, report_stats *o)
{
	double sum = 0.0, down = 0.0;
	for (size_t i = 0; i < nr; i++) {
		sum += r[i];
		if (r[i] < 0)
			down += r[i] * r[i];
	}
	double mean = nr ? sum / (double)nr : 0.0;
	double ss = 0.0;
	for (size_t i = 0; i < nr; i++)
		ss += (r[i] - mean) * (r[i] - mean);
	double annual = sqrt(ppy);

	double sd = nr >= 2 ? sqrt(ss / (double)(nr - 1)) : 0.0;
	if (nr < 2 || ppy <= 0 || sd == 0.0 || sd <= REPORT_STDEV_NOISE * fabs(mean))
		set_undef(o, REPORT_UNDEF_SHARPE, &o->sharpe);
	else
		o->sharpe = mean / sd * annual;

	double dd = nr >= 1 ? sqrt(down / (double)nr) : 0.0;
	if (nr < 1 || ppy <= 0 || dd == 0.0)
		set_undef(o, REPORT_UNDEF_SORTINO, &o->sortino);
	else
		o->sortino = mean / dd * annual;
}

static int drawdown(const report_series *s, report_stats *o, char *err, size_t errlen)
{
	o->max_drawdown = 0.0;
	o->max_drawdown_money = 0;
	if (s->n == 0)
		return 0;
	th_money peak = s->equity[0];
	for (size_t i = 1; i < s->n; i++) {
		th_money e = s->equity[i];
		if (e > peak) {
			peak = e;
			continue;
		}
		th_money dd;
		if (__builtin_sub_overflow(peak, e, &dd))
			return report_err(err, errlen,
					  "report: %s '%s': drawdown at sample %zu overflows money",
					  report_kind_name(s->kind), s->name, i);
		if (dd > o->max_drawdown_money)
			o->max_drawdown_money = dd;
		if (peak > 0) {
			double f = (double)dd / (double)peak;
			if (f > o->max_drawdown)
				o->max_drawdown = f;
		}
	}
	return 0;
}

static void growth_ratios(const report_series *s, report_stats *o)
{
	if (o->start_equity > 0)
		o->total_return = (double)o->net_profit / (double)o->start_equity;
	else
		set_undef(o, REPORT_UNDEF_TOTAL_RETURN, &o->total_return);

	if (s->n < 2 || o->start_equity <= 0) {
		set_undef(o, REPORT_UNDEF_CAGR, &o->cagr);
	} else if (o->end_equity <= 0) {
		o->cagr = -1.0;
	} else {
		/* expm1/log1p keep small growth rates accurate */
		double years = (double)o->elapsed_ns / (double)REPORT_JULIAN_YEAR_NS;
		double growth = (double)o->net_profit / (double)o->start_equity;
		o->cagr = expm1(log1p(growth) / years);
		if (!isfinite(o->cagr))
			set_undef(o, REPORT_UNDEF_CAGR, &o->cagr);
	}

	if ((o->undefined & REPORT_UNDEF_CAGR) || o->max_drawdown <= 0.0)
		set_undef(o, REPORT_UNDEF_CALMAR, &o->calmar);
	else
		o->calmar = o->cagr / o->max_drawdown;

	if (s->n < 2) {
		set_undef(o, REPORT_UNDEF_EXPOSURE, &o->exposure);
	} else {
		double x = (double)s->exposure_ns / (double)o->elapsed_ns;
		o->exposure = x > 1.0 ? 1.0 : x;
	}
}

static int trade_ratios(const report_series *s, const report_trade *trades, size_t ntrades,
			report_stats *o, char *err, size_t errlen)
{
	for (size_t i = 0; i < ntrades; i++) {
		const report_trade *t = &trades[i];
		if (!report_trade_belongs(s, t))
			continue;
		if (report_check_trade(t, i, err, errlen) != 0)
			return -1;
		o->trades++;
		int overflow = 0;
		if (t->net_pnl > 0) {
			o->wins++;
			overflow = __builtin_add_overflow(o->gross_profit, t->net_pnl, &o->gross_profit);
		} else if (t->net_pnl < 0) {
			o->losses++;
			overflow = __builtin_sub_overflow(o->gross_loss, t->net_pnl, &o->gross_loss);
		}
		if (overflow)
			return report_err(err, errlen,
					  "report: %s '%s': gross profit or loss overflows money at trade %zu",
					  report_kind_name(s->kind), s->name, i);
	}
	if (o->trades > 0)
		o->win_rate = (double)o->wins / (double)o->trades;
	else
		set_undef(o, REPORT_UNDEF_WIN_RATE, &o->win_rate);
	if (o->gross_loss > 0)
		o->profit_factor = (double)o->gross_profit / (double)o->gross_loss;
	else
		set_undef(o, REPORT_UNDEF_PROFIT_FACTOR, &o->profit_factor);
	return 0;
}

int report_trade_belongs(const report_series *s, const report_trade *t)
{
	switch (s->kind) {
	case REPORT_KIND_HOST:
		return 1;
	case REPORT_KIND_FARM:
		return t->farm && strcmp(t->farm, s->name) == 0;
	case REPORT_KIND_AGENT:
		return t->agent && strcmp(t->agent, s->name) == 0 &&
		       (!s->parent || (t->farm && strcmp(t->farm, s->parent) == 0));
	default:
		return 0;
	}
}

/* Replace -0.0 (and anything non-finite, which the code above should never
 * produce) so the JSON reads the same on every run and platform. */
static void tidy(double *v, unsigned bit, report_stats *o)
{
	if (!isfinite(*v))
		set_undef(o, bit, v);
	else if (*v == 0.0)
		*v = 0.0;
}

int report_compute(const report_series *s, const report_trade *trades, size_t ntrades,
		   int64_t periods_per_year_hint, report_stats *out, char *err, size_t errlen)
{
	if (!out)
		return report_err(err, errlen, "report: report_compute needs an output struct");
	if (report_check_series(s, err, errlen) != 0)
		return -1;
	if (ntrades > 0 && !trades)
		return report_err(err, errlen, "report: %zu trades but no trade array", ntrades);
	if (periods_per_year_hint < 0)
		return report_err(err, errlen, "report: periods_per_year %lld is negative",
				  (long long)periods_per_year_hint);

	report_stats o;
	memset(&o, 0, sizeof o);
	o.samples = s->n;
	o.fees = s->fees;
	o.start_equity = s->n ? s->equity[0] : s->initial_capital;
	o.end_equity = s->n ? s->equity[s->n - 1] : s->initial_capital;
	if (__builtin_sub_overflow(o.end_equity, o.start_equity, &o.net_profit))
		return report_err(err, errlen, "report: %s '%s': net profit overflows money",
				  report_kind_name(s->kind), s->name);
	o.elapsed_ns = s->n >= 2 ? s->t_ns[s->n - 1] - s->t_ns[0] : 0;

	if (periods_per_year_hint > 0) {
		o.periods_per_year = (double)periods_per_year_hint;
	} else if (s->n >= 2) {
		int64_t med = median_spacing(s->t_ns, s->n);
		if (med <= 0)
			return report_err(err, errlen, "report: out of memory");
		o.periods_per_year = (double)REPORT_YEAR_NS / (double)med;
	}

	double *r = NULL;
	if (s->n >= 2) {
		r = malloc((s->n - 1) * sizeof *r);
		if (!r)
			return report_err(err, errlen, "report: out of memory");
		o.returns = period_returns(s->equity, s->n, r);
	}
	return_ratios(r, o.returns, o.periods_per_year, &o);
	free(r);

	if (drawdown(s, &o, err, errlen) != 0)
		return -1;
	growth_ratios(s, &o);
	if (trade_ratios(s, trades, ntrades, &o, err, errlen) != 0)
		return -1;

	tidy(&o.total_return, REPORT_UNDEF_TOTAL_RETURN, &o);
	tidy(&o.cagr, REPORT_UNDEF_CAGR, &o);
	tidy(&o.sharpe, REPORT_UNDEF_SHARPE, &o);
	tidy(&o.sortino, REPORT_UNDEF_SORTINO, &o);
	tidy(&o.calmar, REPORT_UNDEF_CALMAR, &o);
	tidy(&o.win_rate, REPORT_UNDEF_WIN_RATE, &o);
	tidy(&o.profit_factor, REPORT_UNDEF_PROFIT_FACTOR, &o);
	tidy(&o.exposure, REPORT_UNDEF_EXPOSURE, &o);
	*out = o;
	return 0;
}
