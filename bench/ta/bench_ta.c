/*
 * bench_ta — streaming indicator throughput beside a bare loop, and streaming vs batch cost.
 *
 *   bench_ta [bars] [repetitions]        (defaults: 10000000 bars, 5 repetitions)
 *
 * Part 1, throughput: for every indicator, `_update` called once per bar over the whole
 * synthetic series (a plain, non-inlined call into the static library, as a plugin makes it),
 * its outputs summed so nothing is optimised away. Baseline: a bare loop that only reads the
 * same input columns (close; high+low; high+low+close; or all four) from the same arrays
 * and sums them. Both run back to back in every repetition; the table shows median updates
 * per second and the median of the per-repetition ratios indicator/bare (with its range).
 *
 * Part 2, streaming vs batch (research target P3: streaming per-update cost <= 2x batch
 * per-bar cost, outputs equal within 1e-9): for SMA, EMA, ATR, BBANDS and RSI, the update
 * loop writing each output into an array, against `_batch` over the same arrays. Both write
 * the same cells; the outputs are compared bit for bit.
 *
 * The series is a deterministic mean-reverting random walk around 30 000 with 0.01 ticks.
 * The process pins itself to CPU 0 when allowed.
 */
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <math.h>

#include <tradehost/th_ta.h>

#define BENCH_MAX_REPS 15

typedef struct bench_series {
	size_t n;
	double *h, *l, *c, *v;
} bench_series;

static volatile double bench_sink; /* results land here so no loop is optimised away */

static uint64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * UINT64_C(1000000000) + (uint64_t)ts.tv_nsec;
}

static void *bench_alloc(size_t n)
{
	void *p = malloc(n * sizeof(double));
	if (p == NULL) {
		fprintf(stderr, "bench_ta: out of memory for %zu bars\n", n);
		exit(1);
	}
	return p;
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

static double rng_unit(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (double)((rng_state * 2685821657736338717ULL) >> 11) * (1.0 / 9007199254740992.0);
}

static bench_series make_series(size_t n)
{
	bench_series s = { n, bench_alloc(n), bench_alloc(n), bench_alloc(n), bench_alloc(n) };
	double px = 30000.0;
	for (size_t i = 0; i < n; i++) {
		px += (rng_unit() - 0.5) * 30.0 - 0.001 * (px - 30000.0);
		s.c[i] = round(px * 100.0) / 100.0;
		s.h[i] = s.c[i] + round(rng_unit() * 1500.0) / 100.0;
		s.l[i] = s.c[i] - round(rng_unit() * 1500.0) / 100.0;
		s.v[i] = round(rng_unit() * 100000.0) / 100.0;
	}
	return s;
}

/* ---------- bare loops: read the same columns, sum them ---------- */

static double bare_c(const bench_series *s)
{
	double acc = 0;
	for (size_t i = 0; i < s->n; i++)
		acc += s->c[i];
	return acc;
}

static double bare_hl(const bench_series *s)
{
	double acc = 0;
	for (size_t i = 0; i < s->n; i++)
		acc += s->h[i] + s->l[i];
	return acc;
}

static double bare_hlc(const bench_series *s)
{
	double acc = 0;
	for (size_t i = 0; i < s->n; i++)
		acc += s->h[i] + s->l[i] + s->c[i];
	return acc;
}

static double bare_hlcv(const bench_series *s)
{
	double acc = 0;
	for (size_t i = 0; i < s->n; i++)
		acc += s->h[i] + s->l[i] + s->c[i] + s->v[i];
	return acc;
}

/* ---------- one streaming run per indicator ---------- */

static void must(int rc, const char *what)
{
	if (rc != TH_TA_OK) {
		fprintf(stderr, "bench_ta: %s init failed: %s\n", what, th_ta_strerror(rc));
		exit(1);
	}
}

#define RUN_CLOSE(FN, TYPE, NAME, ...)                                                         \
	static double FN(const bench_series *s)                                                \
	{                                                                                      \
		TYPE st;                                                                           \
		double acc = 0, v;                                                                 \
		must(th_ta_##NAME##_init(&st, __VA_ARGS__, NULL), #NAME);                          \
		for (size_t i = 0; i < s->n; i++)                                                  \
			if (th_ta_##NAME##_update(&st, s->c[i], &v) == 1)                              \
				acc += v;                                                                  \
		th_ta_##NAME##_free(&st);                                                          \
		return acc;                                                                        \
	}

RUN_CLOSE(run_sma, th_ta_sma, sma, 20)
RUN_CLOSE(run_ema, th_ta_ema, ema, 20)
RUN_CLOSE(run_smma, th_ta_smma, smma, 14)
RUN_CLOSE(run_wma, th_ta_wma, wma, 20)
RUN_CLOSE(run_rsi, th_ta_rsi, rsi, 14)
RUN_CLOSE(run_stddev, th_ta_stddev, stddev, 20)
RUN_CLOSE(run_zscore, th_ta_zscore, zscore, 20)
RUN_CLOSE(run_linreg, th_ta_linreg, linreg, 14)

static double run_atr(const bench_series *s)
{
	th_ta_atr st;
	double acc = 0, v;
	must(th_ta_atr_init(&st, 14, NULL), "atr");
	for (size_t i = 0; i < s->n; i++)
		if (th_ta_atr_update(&st, s->h[i], s->l[i], s->c[i], &v) == 1)
			acc += v;
	return acc;
}

static double run_bbands(const bench_series *s)
{
	th_ta_bbands st;
	th_ta_bands o;
	double acc = 0;
	must(th_ta_bbands_init(&st, 20, 2.0, NULL), "bbands");
	for (size_t i = 0; i < s->n; i++)
		if (th_ta_bbands_update(&st, s->c[i], &o) == 1)
			acc += o.upper + o.middle + o.lower;
	th_ta_bbands_free(&st);
	return acc;
}

static double run_macd(const bench_series *s)
{
	th_ta_macd st;
	th_ta_macd_out o;
	double acc = 0;
	must(th_ta_macd_init(&st, 12, 26, 9, NULL), "macd");
	for (size_t i = 0; i < s->n; i++)
		if (th_ta_macd_update(&st, s->c[i], &o) == 1)
			acc += o.macd + o.signal + o.hist;
	return acc;
}

static double run_stoch(const bench_series *s)
{
	th_ta_stoch st;
	th_ta_stoch_out o;
	double acc = 0;
	must(th_ta_stoch_init(&st, 14, 3, 3, NULL), "stoch");
	for (size_t i = 0; i < s->n; i++)
		if (th_ta_stoch_update(&st, s->h[i], s->l[i], s->c[i], &o) == 1)
			acc += o.k + o.d;
	th_ta_stoch_free(&st);
	return acc;
}

static double run_adx(const bench_series *s)
{
	th_ta_adx st;
	th_ta_adx_out o;
	double acc = 0;
	must(th_ta_adx_init(&st, 14, NULL), "adx");
	for (size_t i = 0; i < s->n; i++)
		if (th_ta_adx_update(&st, s->h[i], s->l[i], s->c[i], &o) == 1)
			acc += o.adx + o.plus_di + o.minus_di;
	return acc;
}

static double run_donchian(const bench_series *s)
{
	th_ta_donchian st;
	th_ta_bands o;
	double acc = 0;
	must(th_ta_donchian_init(&st, 20, NULL), "donchian");
	for (size_t i = 0; i < s->n; i++)
		if (th_ta_donchian_update(&st, s->h[i], s->l[i], &o) == 1)
			acc += o.upper + o.middle + o.lower;
	th_ta_donchian_free(&st);
	return acc;
}

static double run_vwap_n(const bench_series *s, uint32_t period)
{
	th_ta_vwap st;
	double acc = 0, v;
	must(th_ta_vwap_init(&st, period, NULL), "vwap");
	for (size_t i = 0; i < s->n; i++)
		if (th_ta_vwap_update(&st, s->h[i], s->l[i], s->c[i], s->v[i], &v) == 1)
			acc += v;
	th_ta_vwap_free(&st);
	return acc;
}

static double run_vwap20(const bench_series *s)
{
	return run_vwap_n(s, 20);
}

static double run_vwap0(const bench_series *s)
{
	return run_vwap_n(s, 0);
}

static double run_zigzag(const bench_series *s)
{
	th_ta_zigzag st;
	th_ta_zigzag_pivot p;
	double acc = 0;
	must(th_ta_zigzag_init(&st, 0.1, NULL), "zigzag");
	for (size_t i = 0; i < s->n; i++)
		if (th_ta_zigzag_update(&st, s->h[i], s->l[i], &p) == 1)
			acc += p.price;
	return acc;
}

typedef double (*run_fn)(const bench_series *s);

typedef struct bench_case {
	const char *name;
	const char *inputs;
	run_fn run, bare;
} bench_case;

static const bench_case cases[] = {
	{ "sma:20", "c", run_sma, bare_c },
	{ "ema:20", "c", run_ema, bare_c },
	{ "smma:14", "c", run_smma, bare_c },
	{ "wma:20", "c", run_wma, bare_c },
	{ "rsi:14", "c", run_rsi, bare_c },
	{ "atr:14", "hlc", run_atr, bare_hlc },
	{ "bbands:20,2", "c", run_bbands, bare_c },
	{ "macd:12,26,9", "c", run_macd, bare_c },
	{ "stoch:14,3,3", "hlc", run_stoch, bare_hlc },
	{ "adx:14", "hlc", run_adx, bare_hlc },
	{ "donchian:20", "hl", run_donchian, bare_hl },
	{ "stddev:20", "c", run_stddev, bare_c },
	{ "zscore:20", "c", run_zscore, bare_c },
	{ "vwap:20", "hlcv", run_vwap20, bare_hlcv },
	{ "vwap:0", "hlcv", run_vwap0, bare_hlcv },
	{ "linreg_slope:14", "c", run_linreg, bare_c },
	{ "zigzag:0.1", "hl", run_zigzag, bare_hl },
};
#define NCASES (sizeof cases / sizeof cases[0])

/* ---------- streaming vs batch, writing outputs into arrays ---------- */

typedef struct sb_out {
	double *a, *b, *c;
} sb_out;

static void sb_sma_stream(const bench_series *s, sb_out *o)
{
	th_ta_sma st;
	must(th_ta_sma_init(&st, 20, NULL), "sma");
	for (size_t i = 0; i < s->n; i++)
		th_ta_sma_update(&st, s->c[i], &o->a[i]);
	th_ta_sma_free(&st);
}

static void sb_sma_batch(const bench_series *s, sb_out *o)
{
	must(th_ta_sma_batch(s->c, s->n, 20, o->a), "sma batch");
}

static void sb_ema_stream(const bench_series *s, sb_out *o)
{
	th_ta_ema st;
	must(th_ta_ema_init(&st, 20, NULL), "ema");
	for (size_t i = 0; i < s->n; i++)
		th_ta_ema_update(&st, s->c[i], &o->a[i]);
}

static void sb_ema_batch(const bench_series *s, sb_out *o)
{
	must(th_ta_ema_batch(s->c, s->n, 20, o->a), "ema batch");
}

static void sb_atr_stream(const bench_series *s, sb_out *o)
{
	th_ta_atr st;
	must(th_ta_atr_init(&st, 14, NULL), "atr");
	for (size_t i = 0; i < s->n; i++)
		th_ta_atr_update(&st, s->h[i], s->l[i], s->c[i], &o->a[i]);
}

static void sb_atr_batch(const bench_series *s, sb_out *o)
{
	must(th_ta_atr_batch(s->h, s->l, s->c, s->n, 14, o->a), "atr batch");
}

static void sb_bbands_stream(const bench_series *s, sb_out *o)
{
	th_ta_bbands st;
	th_ta_bands b;
	must(th_ta_bbands_init(&st, 20, 2.0, NULL), "bbands");
	for (size_t i = 0; i < s->n; i++)
		if (th_ta_bbands_update(&st, s->c[i], &b) == 1) {
			o->a[i] = b.upper;
			o->b[i] = b.middle;
			o->c[i] = b.lower;
		}
	th_ta_bbands_free(&st);
}

static void sb_bbands_batch(const bench_series *s, sb_out *o)
{
	must(th_ta_bbands_batch(s->c, s->n, 20, 2.0, o->a, o->b, o->c), "bbands batch");
}

static void sb_rsi_stream(const bench_series *s, sb_out *o)
{
	th_ta_rsi st;
	must(th_ta_rsi_init(&st, 14, NULL), "rsi");
	for (size_t i = 0; i < s->n; i++)
		th_ta_rsi_update(&st, s->c[i], &o->a[i]);
}

static void sb_rsi_batch(const bench_series *s, sb_out *o)
{
	must(th_ta_rsi_batch(s->c, s->n, 14, o->a), "rsi batch");
}

typedef void (*sb_fn)(const bench_series *s, sb_out *o);

typedef struct sb_case {
	const char *name;
	int nout;
	sb_fn stream, batch;
} sb_case;

static const sb_case sb_cases[] = {
	{ "sma:20", 1, sb_sma_stream, sb_sma_batch },
	{ "ema:20", 1, sb_ema_stream, sb_ema_batch },
	{ "atr:14", 1, sb_atr_stream, sb_atr_batch },
	{ "bbands:20,2", 3, sb_bbands_stream, sb_bbands_batch },
	{ "rsi:14", 1, sb_rsi_stream, sb_rsi_batch },
};
#define NSB (sizeof sb_cases / sizeof sb_cases[0])

/* ---------- statistics ---------- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double min_of(const double *v, int n)
{
	double m = v[0];
	for (int i = 1; i < n; i++)
		m = v[i] < m ? v[i] : m;
	return m;
}

static double max_of(const double *v, int n)
{
	double m = v[0];
	for (int i = 1; i < n; i++)
		m = v[i] > m ? v[i] : m;
	return m;
}

static double timed(run_fn f, const bench_series *s)
{
	uint64_t t0 = mono_ns();
	bench_sink = f(s);
	return (double)(mono_ns() - t0);
}

static double timed_sb(sb_fn f, const bench_series *s, sb_out *o)
{
	uint64_t t0 = mono_ns();
	f(s, o);
	return (double)(mono_ns() - t0);
}

static void fill_nan(double *a, size_t n)
{
	for (size_t i = 0; i < n; i++)
		a[i] = NAN;
}

int main(int argc, char **argv)
{
	size_t n = 10000000;
	int reps = 5;

	if (argc > 1)
		n = (size_t)strtoull(argv[1], NULL, 10);
	if (argc > 2)
		reps = atoi(argv[2]);
	if (n < 1000 || reps < 1 || reps > BENCH_MAX_REPS) {
		fprintf(stderr, "usage: %s [bars >= 1000] [repetitions 1..%d]\n", argv[0], BENCH_MAX_REPS);
		return 2;
	}
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	int pinned = sched_setaffinity(0, sizeof set, &set) == 0;

	bench_series s = make_series(n);
	printf("bench_ta: %zu bars, %d repetitions, %s\n\n", n, reps,
	       pinned ? "pinned to CPU 0" : "not pinned");

	/* Part 1 */
	printf("%-16s %-5s %12s %12s %8s %15s %8s\n", "indicator", "reads", "M updates/s",
	       "bare M/s", "ratio", "(ratio range)", "ns/upd");
	for (size_t k = 0; k < NCASES; k++) {
		double ind[BENCH_MAX_REPS], bare[BENCH_MAX_REPS], ratio[BENCH_MAX_REPS];
		timed(cases[k].run, &s); /* warm-up: caches, branch predictors, frequency */
		for (int r = 0; r < reps; r++) {
			bare[r] = timed(cases[k].bare, &s);
			ind[r] = timed(cases[k].run, &s);
			ratio[r] = bare[r] / ind[r];
		}
		double lo = min_of(ratio, reps), hi = max_of(ratio, reps);
		double mi = median(ind, reps), mb = median(bare, reps), mr = median(ratio, reps);
		char range[32];
		snprintf(range, sizeof range, "(%.3f-%.3f)", lo, hi);
		printf("%-16s %-5s %12.1f %12.1f %8.3f %15s %8.2f\n", cases[k].name, cases[k].inputs,
		       (double)n / mi * 1e3, (double)n / mb * 1e3, mr, range, mi / (double)n);
	}

	/* Part 2 */
	printf("\nstreaming vs batch, outputs written to arrays (P3 target: stream/batch <= 2)\n");
	printf("%-16s %14s %14s %13s %15s %s\n", "indicator", "stream ns/bar", "batch ns/bar",
	       "stream/batch", "(range)", "outputs");
	sb_out so = { bench_alloc(n), bench_alloc(n), bench_alloc(n) };
	sb_out bo = { bench_alloc(n), bench_alloc(n), bench_alloc(n) };
	for (size_t k = 0; k < NSB; k++) {
		double st[BENCH_MAX_REPS], bt[BENCH_MAX_REPS], ratio[BENCH_MAX_REPS];
		fill_nan(so.a, n), fill_nan(so.b, n), fill_nan(so.c, n);
		fill_nan(bo.a, n), fill_nan(bo.b, n), fill_nan(bo.c, n);
		sb_cases[k].stream(&s, &so); /* warm-up, and first touch of the output pages */
		sb_cases[k].batch(&s, &bo);
		for (int r = 0; r < reps; r++) {
			st[r] = timed_sb(sb_cases[k].stream, &s, &so);
			bt[r] = timed_sb(sb_cases[k].batch, &s, &bo);
			ratio[r] = st[r] / bt[r];
		}
		size_t differ = 0;
		double maxdiff = 0;
		const double *sa[3] = { so.a, so.b, so.c }, *ba[3] = { bo.a, bo.b, bo.c };
		for (int j = 0; j < sb_cases[k].nout; j++)
			for (size_t i = 0; i < n; i++) {
				if (memcmp(&sa[j][i], &ba[j][i], sizeof(double)) != 0)
					differ++;
				double d = fabs(sa[j][i] - ba[j][i]);
				if (d > maxdiff) /* NaN (not-ready cells) compares false: skipped */
					maxdiff = d;
			}
		char range[32], verdict[64];
		snprintf(range, sizeof range, "(%.2f-%.2f)", min_of(ratio, reps), max_of(ratio, reps));
		if (differ == 0)
			snprintf(verdict, sizeof verdict, "bit-identical");
		else
			snprintf(verdict, sizeof verdict, "%zu cells differ, max %.3g", differ, maxdiff);
		double ms = median(st, reps), mbt = median(bt, reps);
		printf("%-16s %14.2f %14.2f %13.2f %15s %s\n", sb_cases[k].name, ms / (double)n,
		       mbt / (double)n, median(ratio, reps), range, verdict);
	}
	free(so.a), free(so.b), free(so.c), free(bo.a), free(bo.b), free(bo.c);
	free(s.h), free(s.l), free(s.c), free(s.v);
	return 0;
}
