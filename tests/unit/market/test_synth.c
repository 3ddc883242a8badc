/*
 * Tests for the seeded synthetic market: determinism, bars reconciling with
 * their trades, tick conformity, correlation, volatility clustering, jump
 * rate, regime switching and configuration errors.
 *
 * Statistics are computed in double here (test code only) on log returns of
 * the int64 bar closes.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "market/synth.h"

#define SEC 1000000000LL

/* BTC-like and ETH-like symbols at realistic scales. */
static void two_symbol_config(synth_config *c)
{
	synth_config_defaults(c);
	synth_symbol_config *a = synth_config_add_symbol(c, "BTCUSDT", 2, 5, 6000000, 1, 1); /* 60000.00 */
	synth_symbol_config *b = synth_config_add_symbol(c, "ETHUSDT", 2, 4, 300000, 1, 1);  /* 3000.00 */
	assert_non_null(a);
	assert_non_null(b);
	th_strlcpy(a->base, "BTC", sizeof a->base);
	th_strlcpy(a->quote, "USDT", sizeof a->quote);
}

/* Bar closes per symbol for `bars` bars (closes[sym * bars + k]). */
static void collect_closes(const synth_config *c, size_t bars, th_price *closes, size_t *regimes)
{
	char err[256];
	synth_t *s = synth_create(c, err, sizeof err);
	if (!s)
		fail_msg("synth_create: %s", err);
	size_t count[SYNTH_MAX_SYMBOLS] = { 0 };
	th_event ev;
	size_t seen = 0;
	while (seen < bars * c->nsymbols && synth_next(s, &ev) == 1) {
		if (ev.h.type != TH_EV_BAR)
			continue;
		size_t sym = 0;
		while (strcmp(c->symbols[sym].symbol, ev.h.symbol) != 0)
			sym++;
		closes[sym * bars + count[sym]] = ev.u.bar.close;
		if (regimes && sym == 0)
			regimes[count[sym]] = synth_current_regime(s);
		count[sym]++;
		seen++;
	}
	assert_int_equal(seen, bars * c->nsymbols);
	synth_destroy(s);
}

static void log_returns(const th_price *closes, size_t n, double *r)
{
	for (size_t k = 1; k < n; k++)
		r[k - 1] = log((double)closes[k] / (double)closes[k - 1]);
}

static double correlation(const double *x, const double *y, size_t n)
{
	double mx = 0, my = 0, sxx = 0, syy = 0, sxy = 0;
	for (size_t i = 0; i < n; i++) {
		mx += x[i];
		my += y[i];
	}
	mx /= (double)n;
	my /= (double)n;
	for (size_t i = 0; i < n; i++) {
		sxx += (x[i] - mx) * (x[i] - mx);
		syy += (y[i] - my) * (y[i] - my);
		sxy += (x[i] - mx) * (y[i] - my);
	}
	return sxy / sqrt(sxx * syy);
}

/* lag-1 autocorrelation of squared returns */
static double acf1_squared(const double *r, size_t n)
{
	double *sq = malloc(n * sizeof *sq);
	assert_non_null(sq);
	for (size_t i = 0; i < n; i++)
		sq[i] = r[i] * r[i];
	double v = correlation(sq, sq + 1, n - 1);
	free(sq);
	return v;
}

static void test_determinism(void **state)
{
	(void)state;
	synth_config c;
	char err[256];
	two_symbol_config(&c);
	c.seed = 42;
	c.trades_per_bar = 7;
	synth_t *a = synth_create(&c, err, sizeof err), *b = synth_create(&c, err, sizeof err);
	assert_non_null(a);
	assert_non_null(b);
	th_event ea, eb;
	for (int i = 0; i < 20000; i++) {
		/* different garbage: the generator must overwrite every byte that travels
		 * (header + the payload th_event_size counts; the bus copies only those) */
		memset(&ea, 0xAA, sizeof ea);
		memset(&eb, 0x55, sizeof eb);
		assert_int_equal(synth_next(a, &ea), 1);
		assert_int_equal(synth_next(b, &eb), 1);
		assert_int_equal(th_event_size(&ea), th_event_size(&eb));
		assert_memory_equal(&ea, &eb, th_event_size(&ea));
	}
	synth_destroy(b);

	/* another seed: a different stream from the start */
	synth_destroy(a);
	a = synth_create(&c, err, sizeof err);
	c.seed = 43;
	b = synth_create(&c, err, sizeof err);
	assert_non_null(a);
	assert_non_null(b);
	int differing = 0;
	for (int i = 0; i < 1000; i++) {
		assert_int_equal(synth_next(a, &ea), 1);
		assert_int_equal(synth_next(b, &eb), 1);
		if (ea.h.type == TH_EV_TRADE && eb.h.type == TH_EV_TRADE && ea.u.trade.price != eb.u.trade.price)
			differing++;
		if (ea.h.ts_ns != eb.h.ts_ns)
			differing++;
	}
	assert_true(differing > 100);
	synth_destroy(a);
	synth_destroy(b);
}

/* With bars only the generator skips the work on values that never leave it
 * (trade times, quote sizes) but must draw the same numbers: the bars are
 * byte-for-byte those of the full intrabar stream of the same seed. */
static void test_bars_only_same_bars(void **state)
{
	(void)state;
	synth_config c;
	char err[256];
	two_symbol_config(&c);
	c.seed = 7;
	c.trades_per_bar = 3;
	synth_t *full = synth_create(&c, err, sizeof err);
	c.bars_only = 1;
	synth_t *bars = synth_create(&c, err, sizeof err);
	assert_non_null(full);
	assert_non_null(bars);
	th_event ef, eb;
	for (int i = 0; i < 20000; i++) {
		memset(&eb, 0xAA, sizeof eb);
		assert_int_equal(synth_next(bars, &eb), 1);
		assert_int_equal(eb.h.type, TH_EV_BAR);
		do {
			memset(&ef, 0x55, sizeof ef);
			assert_int_equal(synth_next(full, &ef), 1);
		} while (ef.h.type != TH_EV_BAR);
		assert_int_equal(th_event_size(&ef), th_event_size(&eb));
		assert_memory_equal(&ef, &eb, th_event_size(&eb));
	}
	synth_destroy(full);
	synth_destroy(bars);
}

static void test_bars_reconcile_with_trades(void **state)
{
	(void)state;
	synth_config c;
	char err[256];
	two_symbol_config(&c);
	c.trades_per_bar = 25;
	c.spread_ticks = 3;
	c.max_bars = 300;
	synth_t *s = synth_create(&c, err, sizeof err);
	assert_non_null(s);

	struct acc {
		int have;
		th_price o, h, l, cl;
		th_qty v;
		uint32_t n;
		int64_t first_ts, last_ts;
	} acc[2];
	memset(acc, 0, sizeof acc);
	th_event ev, prev_quote[2];
	int have_quote[2] = { 0, 0 };
	int64_t last_ts = INT64_MIN;
	uint64_t bars = 0, trades = 0, quotes = 0, next_id[2] = { 1, 1 };
	while (synth_next(s, &ev) == 1) {
		size_t sym = strcmp(ev.h.symbol, "BTCUSDT") == 0 ? 0 : 1;
		assert_string_equal(ev.h.venue, "sim");
		assert_true(ev.h.ts_ns >= last_ts); /* time order */
		last_ts = ev.h.ts_ns;
		assert_int_equal(ev.h.size, th_event_size(&ev));
		struct acc *a = &acc[sym];
		if (ev.h.type == TH_EV_QUOTE) {
			quotes++;
			prev_quote[sym] = ev;
			have_quote[sym] = 1;
		} else if (ev.h.type == TH_EV_TRADE) {
			const th_trade *t = &ev.u.trade;
			trades++;
			/* the quote just before shows the traded price on the aggressed side */
			assert_true(have_quote[sym]);
			assert_int_equal(prev_quote[sym].h.ts_ns, ev.h.ts_ns);
			const th_quote *q = &prev_quote[sym].u.quote;
			assert_true(q->ask > q->bid);
			assert_true(q->ask - q->bid <= 3 * c.symbols[sym].tick);
			if (t->aggressor == TH_SIDE_BUY) {
				assert_int_equal(q->ask, t->price);
				assert_true(q->ask_qty >= t->qty);
			} else {
				assert_int_equal(t->aggressor, TH_SIDE_SELL);
				assert_int_equal(q->bid, t->price);
				assert_true(q->bid_qty >= t->qty);
			}
			have_quote[sym] = 0;
			assert_int_equal(t->trade_id, next_id[sym]++);
			assert_true(t->qty > 0 && t->qty % c.symbols[sym].lot == 0);
			if (!a->have) {
				a->have = 1;
				a->o = a->h = a->l = t->price;
				a->first_ts = ev.h.ts_ns;
			}
			if (t->price > a->h)
				a->h = t->price;
			if (t->price < a->l)
				a->l = t->price;
			a->cl = t->price;
			a->v += t->qty;
			a->n++;
			a->last_ts = ev.h.ts_ns;
		} else {
			assert_int_equal(ev.h.type, TH_EV_BAR);
			const th_bar *b = &ev.u.bar;
			bars++;
			assert_true(a->have);
			assert_int_equal(b->open, a->o);
			assert_int_equal(b->high, a->h);
			assert_int_equal(b->low, a->l);
			assert_int_equal(b->close, a->cl);
			assert_int_equal(b->volume, a->v);
			assert_int_equal(b->trades, a->n);
			assert_int_equal(b->trades, 25);
			assert_int_equal(b->interval_ns, 60 * SEC);
			assert_int_equal(ev.h.ts_ns, b->open_time_ns + b->interval_ns);
			assert_true(a->first_ts >= b->open_time_ns);
			assert_true(a->last_ts < b->open_time_ns + b->interval_ns);
			assert_int_equal(b->open_time_ns, c.start_time_ns + (int64_t)(bars - 1) / 2 * 60 * SEC);
			memset(a, 0, sizeof *a);
		}
	}
	assert_int_equal(bars, 600);
	assert_int_equal(trades, 600 * 25);
	assert_int_equal(quotes, trades);
	assert_int_equal(synth_next(s, &ev), 0); /* stays ended */
	synth_destroy(s);
}

static void test_prices_on_tick_and_positive(void **state)
{
	(void)state;
	synth_config c;
	char err[256];
	synth_config_defaults(&c);
	/* a cheap, wildly volatile coin with a coarse tick, so rounding and the
	 * one-tick floor are actually exercised */
	synth_symbol_config *p = synth_config_add_symbol(&c, "PEPEUSDT", 4, 0, 200, 5, 1000);
	p->volatility = 8.0;
	synth_config_add_symbol(&c, "BTCUSDT", 2, 5, 6000000, 10, 1);
	c.jump_intensity = 50.0;
	c.jump_stdev = 0.2;
	c.jump_mean = -0.05;
	c.max_bars = 3000;
	c.trades_per_bar = 10;
	synth_t *s = synth_create(&c, err, sizeof err);
	assert_non_null(s);
	th_event ev;
	size_t n = 0;
	th_price min_pepe = INT64_MAX;
	while (synth_next(s, &ev) == 1) {
		if (ev.h.type == TH_EV_TRADE && strcmp(ev.h.symbol, "PEPEUSDT") == 0 && ev.u.trade.price < min_pepe)
			min_pepe = ev.u.trade.price;
		th_price tick = strcmp(ev.h.symbol, "PEPEUSDT") == 0 ? 5 : 10;
		th_price px[4];
		int k = 0;
		if (ev.h.type == TH_EV_TRADE) {
			px[k++] = ev.u.trade.price;
			assert_int_equal(ev.u.trade.qty % (tick == 5 ? 1000 : 1), 0);
		} else if (ev.h.type == TH_EV_QUOTE) {
			px[k++] = ev.u.quote.bid;
			px[k++] = ev.u.quote.ask;
		} else {
			px[k++] = ev.u.bar.open;
			px[k++] = ev.u.bar.high;
			px[k++] = ev.u.bar.low;
			px[k++] = ev.u.bar.close;
		}
		for (int i = 0; i < k; i++) {
			assert_true(px[i] > 0);
			assert_int_equal(px[i] % tick, 0);
		}
		n++;
	}
	assert_int_equal(n, 3000 * 2 * (2 * 10 + 1));
	/* with this seed the drifting coin reaches the one-tick floor (a 5e-4 price) */
	print_message("lowest PEPEUSDT trade: %lld\n", (long long)min_pepe);
	assert_int_equal(min_pepe, 5);
	synth_destroy(s);
}

static void test_correlation(void **state)
{
	(void)state;
	enum { BARS = 20000 };
	synth_config c;
	two_symbol_config(&c);
	c.has_correlation_matrix = 1;
	c.correlation[0][0] = c.correlation[1][1] = 1.0;
	c.correlation[0][1] = c.correlation[1][0] = 0.8;
	c.jump_intensity = 0.0; /* independent jumps would dilute the diffusion correlation */
	c.trades_per_bar = 4;
	th_price *closes = malloc(2 * BARS * sizeof *closes);
	double *ra = malloc(BARS * sizeof *ra), *rb = malloc(BARS * sizeof *rb);
	assert_non_null(closes);
	collect_closes(&c, BARS, closes, NULL);
	log_returns(closes, BARS, ra);
	log_returns(closes + BARS, BARS, rb);
	double rho = correlation(ra, rb, BARS - 1);
	/* Tolerance: sampling error is about (1 − ρ²)/√n ≈ 0.0025; GARCH vols that
	 * differ per symbol pull the return correlation slightly below the shock
	 * correlation. 0.03 covers both with a wide margin. */
	print_message("correlation at 0.8: %.4f\n", rho);
	assert_true(fabs(rho - 0.8) < 0.03);

	/* and the control: uncorrelated shocks give ~0 */
	c.has_correlation_matrix = 0;
	c.common_correlation = 0.0;
	collect_closes(&c, BARS, closes, NULL);
	log_returns(closes, BARS, ra);
	log_returns(closes + BARS, BARS, rb);
	rho = correlation(ra, rb, BARS - 1);
	print_message("correlation at 0.0: %.4f\n", rho);
	assert_true(fabs(rho) < 0.03);
	free(closes);
	free(ra);
	free(rb);
}

static void test_volatility_clustering(void **state)
{
	(void)state;
	enum { BARS = 20000 };
	synth_config c;
	synth_config_defaults(&c);
	synth_config_add_symbol(&c, "BTCUSDT", 2, 5, 6000000, 1, 1);
	c.nregimes = 0; /* isolate GARCH */
	c.jump_intensity = 0.0;
	c.garch_alpha = 0.10;
	c.garch_beta = 0.85;
	c.trades_per_bar = 4;
	th_price *closes = malloc(BARS * sizeof *closes);
	double *r = malloc(BARS * sizeof *r);
	collect_closes(&c, BARS, closes, NULL);
	log_returns(closes, BARS, r);
	double acf = acf1_squared(r, BARS - 1);
	/* GARCH(1,1) theory: α(1 − αβ − β²)/(1 − 2αβ − β²) = 0.179 */
	print_message("acf1 of squared returns, GARCH 0.10/0.85: %.4f\n", acf);
	assert_true(acf > 0.08);

	/* control: constant volatility shows no clustering (SE ≈ 0.007) */
	c.garch_alpha = 0.0;
	c.garch_beta = 0.0;
	collect_closes(&c, BARS, closes, NULL);
	log_returns(closes, BARS, r);
	acf = acf1_squared(r, BARS - 1);
	print_message("acf1 of squared returns, constant vol: %.4f\n", acf);
	assert_true(fabs(acf) < 0.04);
	free(closes);
	free(r);
}

static void test_jump_rate(void **state)
{
	(void)state;
	enum { BARS = 14400 }; /* 10 days of 1m bars */
	synth_config c;
	char err[256];
	synth_config_defaults(&c);
	synth_symbol_config *sc = synth_config_add_symbol(&c, "BTCUSDT", 2, 5, 6000000, 1, 1);
	sc->volatility = 0.1; /* per-bar σ ≈ 1.4e-4, so a 1 % move is unmistakably a jump */
	c.nregimes = 0;
	c.garch_alpha = c.garch_beta = 0.0;
	c.jump_intensity = 20.0; /* per day → 200 expected */
	c.jump_mean = 0.0;
	c.jump_stdev = 0.05;
	c.trades_per_bar = 4;
	c.max_bars = BARS;
	synth_t *s = synth_create(&c, err, sizeof err);
	assert_non_null(s);
	th_event ev;
	th_price prev = sc->start_price;
	uint64_t big = 0;
	while (synth_next(s, &ev) == 1) {
		if (ev.h.type != TH_EV_BAR)
			continue;
		double r = log((double)ev.u.bar.close / (double)prev);
		if (fabs(r) > 0.01)
			big++;
		prev = ev.u.bar.close;
	}
	uint64_t jumps = synth_get_stats(s)->jumps[0];
	print_message("jumps: %llu counted, %llu bars with |r| > 1%% (expected ~200 / ~168)\n",
	              (unsigned long long)jumps, (unsigned long long)big);
	/* Poisson(200): ±4σ ≈ ±57 */
	assert_true(jumps >= 143 && jumps <= 257);
	/* the returns show them: P(|N(0, 0.05)| > 1 %) ≈ 0.84, no false positives at 70σ */
	assert_true(big >= jumps * 6 / 10 && big <= jumps);
	synth_destroy(s);

	/* intensity 0 means no jumps at all */
	c.jump_intensity = 0.0;
	s = synth_create(&c, err, sizeof err);
	while (synth_next(s, &ev) == 1)
		;
	assert_int_equal(synth_get_stats(s)->jumps[0], 0);
	synth_destroy(s);
}

static void test_regimes(void **state)
{
	(void)state;
	enum { BARS = 30000 };
	synth_config c;
	char err[256];
	synth_config_defaults(&c); /* calm / trending / volatile */
	synth_config_add_symbol(&c, "BTCUSDT", 2, 5, 6000000, 1, 1);
	c.jump_intensity = 0.0;
	c.garch_alpha = c.garch_beta = 0.0; /* isolate the regime effect */
	c.trades_per_bar = 4;
	th_price *closes = malloc(BARS * sizeof *closes);
	size_t *reg = malloc(BARS * sizeof *reg);
	collect_closes(&c, BARS, closes, reg);
	double var[3] = { 0 }, cnt[3] = { 0 };
	for (size_t k = 1; k < BARS; k++) {
		double r = log((double)closes[k] / (double)closes[k - 1]);
		var[reg[k]] += r * r;
		cnt[reg[k]]++;
	}
	for (int i = 0; i < 3; i++) {
		assert_true(cnt[i] > 1000); /* every regime visited for a while */
		var[i] /= cnt[i];
	}
	print_message("variance ratio volatile/calm: %.2f (configured 6.25)\n", var[2] / var[0]);
	assert_true(var[2] / var[0] > 4.0 && var[2] / var[0] < 9.0);

	synth_t *s = synth_create(&c, err, sizeof err);
	th_event ev;
	for (size_t k = 0; k < BARS; k++)
		while (synth_next(s, &ev) == 1 && ev.h.type != TH_EV_BAR)
			;
	const synth_stats *st = synth_get_stats(s);
	/* mean stays 600/240/120 bars → roughly 30000/300 switches */
	assert_true(st->regime_switches > 30 && st->regime_switches < 400);
	assert_int_equal(st->bars_in_regime[0] + st->bars_in_regime[1] + st->bars_in_regime[2], st->bars);
	synth_destroy(s);
	free(closes);
	free(reg);
}

static void test_instruments_and_limit(void **state)
{
	(void)state;
	synth_config c;
	char err[256];
	two_symbol_config(&c);
	th_strlcpy(c.venue, "paper", sizeof c.venue);
	c.max_bars = 2;
	c.start_time_ns = 1700000000LL * SEC;
	synth_t *s = synth_create(&c, err, sizeof err);
	size_t n = 0;
	const th_instrument *in = synth_instruments(s, &n);
	assert_int_equal(n, 2);
	assert_string_equal(in[0].venue, "paper");
	assert_string_equal(in[0].symbol, "BTCUSDT");
	assert_string_equal(in[0].base, "BTC");
	assert_string_equal(in[0].quote, "USDT");
	assert_int_equal(in[0].price_scale, 2);
	assert_int_equal(in[0].qty_scale, 5);
	assert_int_equal(in[0].tick, 1);
	assert_int_equal(in[0].min_qty, 1); /* defaults to one lot */
	assert_string_equal(in[1].symbol, "ETHUSDT");
	th_event ev;
	int bars = 0;
	int64_t first_ts = -1;
	while (synth_next(s, &ev) == 1) {
		if (first_ts < 0)
			first_ts = ev.h.ts_ns;
		if (ev.h.type == TH_EV_BAR)
			bars++;
	}
	assert_int_equal(bars, 4);
	assert_true(first_ts >= c.start_time_ns && first_ts < c.start_time_ns + 60 * SEC);
	assert_int_equal(synth_next(s, &ev), 0);
	synth_destroy(s);
}

static void expect_config_error(const synth_config *c, const char *want)
{
	char err[512] = "";
	synth_t *s = synth_create(c, err, sizeof err);
	assert_null(s);
	if (!strstr(err, want))
		fail_msg("error \"%s\" does not contain \"%s\"", err, want);
	assert_int_equal(synth_config_validate(c, err, sizeof err), -1);
}

static void test_config_errors(void **state)
{
	(void)state;
	synth_config c;

	two_symbol_config(&c);
	c.symbols[1].tick = 0;
	expect_config_error(&c, "symbols[1].tick: must be > 0");

	two_symbol_config(&c);
	c.symbols[0].lot = -1;
	expect_config_error(&c, "symbols[0].lot: must be > 0");

	two_symbol_config(&c);
	c.symbols[0].tick = 7;
	expect_config_error(&c, "symbols[0].start_price: 6000000 is not a multiple of tick 7");

	two_symbol_config(&c);
	th_strlcpy(c.symbols[1].symbol, "BTCUSDT", TH_SYMBOL_MAX);
	expect_config_error(&c, "symbols[1].symbol: \"BTCUSDT\" is already used by symbols[0]");

	two_symbol_config(&c);
	synth_config_add_symbol(&c, "SOLUSDT", 2, 2, 10000, 1, 1);
	c.has_correlation_matrix = 1;
	for (int i = 0; i < 3; i++)
		c.correlation[i][i] = 1.0;
	c.correlation[0][1] = c.correlation[1][0] = 0.9;
	c.correlation[0][2] = c.correlation[2][0] = 0.9;
	c.correlation[1][2] = c.correlation[2][1] = -0.9;
	expect_config_error(&c, "correlation: the matrix is not positive definite (Cholesky fails at row 2, symbol "
	                        "\"SOLUSDT\")");

	c.correlation[1][2] = 0.5; /* now asymmetric */
	expect_config_error(&c, "correlation[1][2] (0.5) differs from correlation[2][1] (-0.9)");

	c.correlation[1][2] = c.correlation[2][1] = 0.5;
	c.correlation[1][1] = 0.9;
	expect_config_error(&c, "correlation[1][1]: 0.9; the diagonal must be 1");

	two_symbol_config(&c);
	c.common_correlation = 1.0;
	expect_config_error(&c, "common_correlation: 1 makes the 2×2 correlation matrix not positive definite");

	two_symbol_config(&c);
	c.garch_alpha = 0.2;
	c.garch_beta = 0.8;
	expect_config_error(&c, "garch_alpha + garch_beta: 0.2 + 0.8 must be < 1");

	two_symbol_config(&c);
	c.trades_per_bar = 0;
	expect_config_error(&c, "trades_per_bar: 0 must be in 1..100000");

	two_symbol_config(&c);
	c.bar_interval_ns = 0;
	expect_config_error(&c, "bar_interval_ns: 0 must be > 0");

	two_symbol_config(&c);
	c.regime_transition[1][1] = 0.5;
	expect_config_error(&c, "regime_transition[1]: the row sums to");

	two_symbol_config(&c);
	c.symbols[0].volatility = NAN;
	expect_config_error(&c, "symbols[0].volatility");

	two_symbol_config(&c);
	c.jump_intensity = 1e5;
	expect_config_error(&c, "jump_intensity: 100000 per day means");

	synth_config_defaults(&c);
	expect_config_error(&c, "symbols: 0 configured, need 1..32");

	two_symbol_config(&c);
	c.venue[0] = '\0';
	expect_config_error(&c, "venue: must be a non-empty name");

	/* and the fixed config is accepted */
	two_symbol_config(&c);
	char err[256];
	assert_int_equal(synth_config_validate(&c, err, sizeof err), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_determinism),
		cmocka_unit_test(test_bars_only_same_bars),
		cmocka_unit_test(test_bars_reconcile_with_trades),
		cmocka_unit_test(test_prices_on_tick_and_positive),
		cmocka_unit_test(test_correlation),
		cmocka_unit_test(test_volatility_clustering),
		cmocka_unit_test(test_jump_rate),
		cmocka_unit_test(test_regimes),
		cmocka_unit_test(test_instruments_and_limit),
		cmocka_unit_test(test_config_errors),
	};
	return cmocka_run_group_tests_name("market_synth", tests, NULL, NULL);
}
