/*
 * market — the little linear algebra the synthetic market needs.
 */
#ifndef TH_MARKET_LINALG_H
#define TH_MARKET_LINALG_H

#include <stddef.h>

/*
 * Cholesky factorisation A = L·Lᵀ of the n×n symmetric matrix `a` (row-major,
 * row stride `stride`), writing the lower triangle of L into `l` (same
 * layout; the upper triangle is zeroed). Correlated normals are then L·z for
 * independent z. Returns 0, or the 1-based index of the first pivot that is
 * not strictly positive (the matrix is not positive definite).
 */
size_t market_cholesky(const double *a, size_t n, size_t stride, double *l);

/*
 * Stationary distribution of the n-state Markov chain with row-stochastic
 * transition matrix `p` (row stride `stride`) into pi[n]. Iterates the lazy
 * chain (P + I)/2, which has the same stationary law but is aperiodic, so the
 * iteration converges even for chains that flip back and forth.
 */
void market_markov_stationary(const double *p, size_t n, size_t stride, double *pi);

#endif
