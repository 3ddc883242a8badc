/*
 * pairs — the statistics of one window: OLS hedge ratio of log prices,
 * z-score of the residual, Engle-Granger / Dickey-Fuller t-statistic with
 * MacKinnon's critical value, AR(1) half-life. Dimensionless doubles only;
 * every output is checked finite before it is used.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "pairs.h"

/* MacKinnon, J. G. (2010), "Critical Values for Cointegration Tests", Queen's
 * Economics Department Working Paper 1227, table 2, N = 2 variables, case
 * "c" (constant in the co-integrating regression): crit(T) = b_inf + b1/T + b2/T^2. */
double pairs_mackinnon_crit(int level, double T)
{
	double b_inf, b1, b2;
	if (level == 1) {
		b_inf = -3.89644;
		b1 = -10.9519;
		b2 = -22.527;
	} else if (level == 10) {
		b_inf = -3.04445;
		b1 = -4.2412;
		b2 = -2.720;
	} else {
		b_inf = -3.33613;
		b1 = -6.1101;
		b2 = -6.823;
	}
	return b_inf + b1 / T + b2 / (T * T);
}

static void fail(pairs_fit *f, const char *why)
{
	f->ok = 0;
	f->coint = 0;
	snprintf(f->why, sizeof f->why, "%s", why);
}

void pairs_fit_window(const double *y, const double *x, uint32_t n, const pairs_params *p, double *e, pairs_fit *f)
{
	memset(f, 0, sizeof *f);
	if (n < 3) {
		fail(f, "not enough pairs");
		return;
	}
	double mx = 0, my = 0, sxx = 0, sxy = 0;
	for (uint32_t i = 0; i < n; i++) {
		mx += x[i];
		my += y[i];
	}
	mx /= n;
	my /= n;
	for (uint32_t i = 0; i < n; i++) {
		sxx += (x[i] - mx) * (x[i] - mx);
		sxy += (x[i] - mx) * (y[i] - my);
	}
	if (!(sxx > 1e-18 * n)) {
		fail(f, "B did not move over the window: no hedge ratio");
		return;
	}
	f->beta = sxy / sxx;
	f->alpha = my - f->beta * mx;
	double ss = 0;
	for (uint32_t i = 0; i < n; i++) {
		e[i] = y[i] - f->alpha - f->beta * x[i];
		ss += e[i] * e[i];
	}
	f->sd = sqrt(ss / n);
	/* an exact line (up to rounding) has no spread to trade */
	if (!(f->sd > 1e-12 * (fabs(my) + 1.0)) || !isfinite(f->beta) || !isfinite(f->alpha)) {
		fail(f, "the spread has no variance");
		return;
	}
	f->z = e[n - 1] / f->sd;
	/* Dickey-Fuller on the residuals: de_t = rho e_{t-1} + u_t, t = 1..n-1 */
	double see = 0, sed = 0, suu = 0;
	for (uint32_t t = 1; t < n; t++) {
		see += e[t - 1] * e[t - 1];
		sed += e[t - 1] * (e[t] - e[t - 1]);
	}
	double rho = sed / see;
	for (uint32_t t = 1; t < n; t++) {
		double u = (e[t] - e[t - 1]) - rho * e[t - 1];
		suu += u * u;
	}
	double T = (double)(n - 1);
	double s2 = suu / (T - 1.0);
	double se = sqrt(s2 / see);
	f->adf_t = se > 0 ? rho / se : (rho < 0 ? -1e9 : 1e9);
	f->adf_crit = pairs_mackinnon_crit(p->level, T);
	f->phi = 1.0 + rho;
	f->half_life = f->phi > 0 && f->phi < 1 ? -log(2.0) / log(f->phi) : INFINITY;
	if (!isfinite(f->z) || !isfinite(f->adf_t) || !isfinite(f->phi)) {
		fail(f, "the window's statistics are not finite");
		return;
	}
	f->ok = 1;
	double max_hl = p->max_half_life > 0 ? p->max_half_life : (double)p->window / 2.0;
	if (!(f->adf_t < f->adf_crit))
		snprintf(f->why, sizeof f->why, "no co-integration: ADF t %.2f not below %.2f (%d%%)", f->adf_t,
			f->adf_crit, p->level);
	else if (!(f->half_life <= max_hl))
		snprintf(f->why, sizeof f->why, "half-life %.1f bars above %.1f", f->half_life, max_hl);
	else
		f->coint = 1;
}
