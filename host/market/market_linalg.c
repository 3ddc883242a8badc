/*
 * market — Cholesky factorisation and Markov stationary distribution.
 */
#include "market/market_linalg.h"

#include <math.h>

size_t market_cholesky(const double *a, size_t n, size_t stride, double *l)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++)
			l[i * stride + j] = 0.0;
	for (size_t j = 0; j < n; j++) {
		double d = a[j * stride + j];
		for (size_t k = 0; k < j; k++)
			d -= l[j * stride + k] * l[j * stride + k];
		/* a tiny tolerance keeps a numerically singular matrix (e.g. two
		 * symbols at correlation 1) from passing as "positive definite" */
		if (!(d > 1e-12))
			return j + 1;
		double ljj = sqrt(d);
		l[j * stride + j] = ljj;
		for (size_t i = j + 1; i < n; i++) {
			double s = a[i * stride + j];
			for (size_t k = 0; k < j; k++)
				s -= l[i * stride + k] * l[j * stride + k];
			l[i * stride + j] = s / ljj;
		}
	}
	return 0;
}

#define MARKOV_MAX_STATES 16

void market_markov_stationary(const double *p, size_t n, size_t stride, double *pi)
{
	double next[MARKOV_MAX_STATES];
	if (n == 0)
		return;
	if (n > MARKOV_MAX_STATES)
		n = MARKOV_MAX_STATES;
	for (size_t i = 0; i < n; i++)
		pi[i] = 1.0 / (double)n;
	for (int iter = 0; iter < 200000; iter++) {
		double delta = 0.0;
		for (size_t j = 0; j < n; j++) {
			double s = 0.5 * pi[j];
			for (size_t i = 0; i < n; i++)
				s += 0.5 * pi[i] * p[i * stride + j];
			next[j] = s;
		}
		for (size_t j = 0; j < n; j++) {
			delta += fabs(next[j] - pi[j]);
			pi[j] = next[j];
		}
		if (delta < 1e-15)
			break;
	}
}
