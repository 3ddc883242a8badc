/*
 * market — the deterministic random source behind the synthetic market.
 *
 * xoshiro256** (Blackman & Vigna) for the stream, seeded through splitmix64 so
 * that any 64-bit seed — including 0 — gives a well-mixed, non-zero state.
 * Written from the published algorithm descriptions. The state is a plain
 * struct so a generator can be copied, and the same seed always yields the
 * same sequence on the same build (the derived draws use libm exp/log/sqrt,
 * which are deterministic for a given binary).
 */
#ifndef TH_MARKET_PRNG_H
#define TH_MARKET_PRNG_H

#include <stdint.h>

typedef struct market_prng {
	uint64_t s[4];
	double spare_normal; /* the polar method makes normals in pairs */
	int has_spare;
} market_prng;

/* One splitmix64 step: advances *state and returns the mixed output. */
uint64_t market_splitmix64(uint64_t *state);

void market_prng_seed(market_prng *r, uint64_t seed);
uint64_t market_prng_u64(market_prng *r);
/* Uniform in [0, 1) with 53 random bits. */
double market_prng_uniform(market_prng *r);
/* Uniform in (0, 1): never 0, so log() of it is finite. */
double market_prng_uniform_pos(market_prng *r);
/* Uniform integer in [0, n), n > 0, without modulo bias. */
uint64_t market_prng_below(market_prng *r, uint64_t n);
/* Standard normal N(0, 1) (Marsaglia polar method). */
double market_prng_normal(market_prng *r);
/* Exponential with mean 1. */
double market_prng_exponential(market_prng *r);
/* Poisson with mean lambda > 0, given limit = exp(-lambda) (Knuth's product
 * method; meant for lambda <= ~30). The caller computes the exp, once per
 * lambda it draws with many times. */
uint32_t market_prng_poisson_limit(market_prng *r, double limit);

#endif
