/*
 * rng.c - the sweep's random numbers: xoshiro256** (Blackman and Vigna)
 * whose state is filled by splitmix64 from a hash of (seed, run, stream),
 * uniform doubles and integers, and gamma variates (Marsaglia and Tsang)
 * for Dirichlet draws.  Every draw is a pure function of (seed, run,
 * stream), so a run's inputs do not depend on the thread or process that
 * plans it.
 */
#include <math.h>

#include "sweep_int.h"

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* One splitmix64 step as a mixing function. */
static uint64_t mix(uint64_t v)
{
	return splitmix64(&v);
}

void sweep_rng_seed(struct sweep_rng *r, uint64_t seed, uint64_t run, uint64_t stream)
{
	uint64_t x = mix(mix(seed) ^ run) ^ mix(stream + 0x5851F42D4C957F2Dull);
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t sweep_rng_next(struct sweep_rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

double sweep_rng_unit(struct sweep_rng *r)
{
	return (double)(sweep_rng_next(r) >> 11) * 0x1.0p-53;
}

int64_t sweep_rng_int(struct sweep_rng *r, int64_t lo, int64_t hi)
{
	uint64_t span = (uint64_t)(hi - lo) + 1;
	if (span == 0) /* the whole range */
		return (int64_t)sweep_rng_next(r);
	/* Rejection keeps every value equally likely. */
	uint64_t limit = UINT64_MAX - UINT64_MAX % span, v;
	do
		v = sweep_rng_next(r);
	while (v >= limit);
	return lo + (int64_t)(v % span);
}

/* A standard normal by the polar method (no cached second value, so a
 * draw depends only on the generator's state). */
static double normal(struct sweep_rng *r)
{
	double u, v, q;
	do {
		u = 2 * sweep_rng_unit(r) - 1;
		v = 2 * sweep_rng_unit(r) - 1;
		q = u * u + v * v;
	} while (q >= 1 || q == 0);
	return u * sqrt(-2 * log(q) / q);
}

/* Marsaglia and Tsang (2000); for shape < 1, Gamma(shape + 1) * U^(1/shape). */
double sweep_rng_gamma(struct sweep_rng *r, double shape)
{
	if (shape < 1) {
		double g = sweep_rng_gamma(r, shape + 1);
		double u;
		do
			u = sweep_rng_unit(r);
		while (u == 0);
		return g * pow(u, 1 / shape);
	}
	double d = shape - 1.0 / 3, c = 1 / sqrt(9 * d);
	for (;;) {
		double x, v;
		do {
			x = normal(r);
			v = 1 + c * x;
		} while (v <= 0);
		v = v * v * v;
		double u = sweep_rng_unit(r);
		if (u < 1 - 0.0331 * x * x * x * x)
			return d * v;
		if (u > 0 && log(u) < 0.5 * x * x + d * (1 - v + log(v)))
			return d * v;
	}
}
