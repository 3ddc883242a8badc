/*
 * market — xoshiro256** / splitmix64 and the draws built on them.
 * See market_prng.h for why these algorithms.
 */
#include "market/market_prng.h"

#include <math.h>

static inline uint64_t rotl64(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t market_splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void market_prng_seed(market_prng *r, uint64_t seed)
{
	uint64_t sm = seed;
	for (int i = 0; i < 4; i++)
		r->s[i] = market_splitmix64(&sm);
	/* splitmix64 is a bijection of its counter, so four consecutive outputs
	 * can never all be zero; the all-zero state is the one xoshiro must avoid. */
	r->spare_normal = 0.0;
	r->has_spare = 0;
}

uint64_t market_prng_u64(market_prng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl64(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl64(s[3], 45);
	return result;
}

double market_prng_uniform(market_prng *r)
{
	/* top 53 bits → exactly representable multiples of 2^-53 */
	return (double)(market_prng_u64(r) >> 11) * 0x1.0p-53;
}

double market_prng_uniform_pos(market_prng *r)
{
	return ((double)(market_prng_u64(r) >> 11) + 0.5) * 0x1.0p-53;
}

uint64_t market_prng_below(market_prng *r, uint64_t n)
{
	/* reject the short top slice of the 64-bit range that would bias the modulo */
	uint64_t limit = UINT64_MAX - (UINT64_MAX % n);
	uint64_t x;
	do
		x = market_prng_u64(r);
	while (x >= limit);
	return x % n;
}

double market_prng_normal(market_prng *r)
{
	if (r->has_spare) {
		r->has_spare = 0;
		return r->spare_normal;
	}
	double u, v, s;
	do {
		u = 2.0 * market_prng_uniform(r) - 1.0;
		v = 2.0 * market_prng_uniform(r) - 1.0;
		s = u * u + v * v;
	} while (s >= 1.0 || s == 0.0);
	double m = sqrt(-2.0 * log(s) / s);
	r->spare_normal = v * m;
	r->has_spare = 1;
	return u * m;
}

double market_prng_exponential(market_prng *r)
{
	return -log(market_prng_uniform_pos(r));
}

uint32_t market_prng_poisson_limit(market_prng *r, double limit)
{
	double p = 1.0;
	uint32_t k = 0;
	for (;;) {
		p *= market_prng_uniform(r);
		if (p <= limit)
			return k;
		k++;
	}
}
