/*
 * market — the synthetic market model: generates one bar period for every
 * symbol (see synth.h for the model). Draw order is fixed — regime, shocks,
 * then per symbol: jumps, path, times, sizes — so a seed fully determines
 * the stream.
 */
#include "market/synth_internal.h"

#include <math.h>
#include <string.h>

/* Step the Markov regime chain once (one step per bar). */
static void step_regime(synth_t *s)
{
	const synth_config *c = &s->cfg;
	if (c->nregimes <= 1)
		return;
	double u = market_prng_uniform(&s->rng), acc = 0.0;
	size_t next = s->regime;
	for (size_t j = 0; j < c->nregimes; j++) {
		acc += c->regime_transition[s->regime][j];
		if (u < acc) {
			next = j;
			break;
		}
	}
	if (next != s->regime) {
		s->regime = next;
		s->stats.regime_switches++;
		/* a trending regime trends up or down; the direction is fresh each time */
		s->trend_sign = market_prng_below(&s->rng, 2) ? 1 : -1;
	}
}

/*
 * Price at log return x from the bar's open reference p0, as an exact int64
 * multiple of tick inside [tick, max]. The double only carries the
 * dimensionless factor e^x. Rounding to the tick is stochastic — up with
 * probability equal to the fractional part — so the rounded price is an
 * unbiased estimate of the continuous one: with nearest rounding a price only
 * a few ticks above zero would stick (every move smaller than half a tick
 * rounds back to where it was), and rounding would bias long runs.
 */
static th_price price_at(market_prng *r, th_price p0, double x, th_price tick)
{
	const double max_ticks = (double)(INT64_MAX / 4 / tick);
	double q = (double)p0 * exp(x) / (double)tick;
	double u = market_prng_uniform(r); /* drawn unconditionally: a fixed draw count per trade */
	if (!(q >= 1.0))
		return tick; /* the floor; also catches NaN */
	if (q > max_ticks)
		q = max_ticks;
	double whole = floor(q);
	int64_t ticks = (int64_t)whole + (u < q - whole ? 1 : 0);
	return ticks * tick;
}

/* Size drawn as an exponential number of lots around `mean`, at least 1 lot. */
static th_qty draw_lots(market_prng *r, th_qty mean, th_qty lot)
{
	double lots = market_prng_exponential(r) * (double)(mean / lot);
	int64_t n = (int64_t)(lots + 0.5);
	return (n < 1 ? 1 : n) * lot;
}

/* A draw whose value nobody reads: with bars only, the trade times and the
 * quote sizes never leave the generator, but their draws still advance the
 * stream so a seed gives the same bars with or without intrabar events.
 * market_prng_exponential (and so draw_lots) takes exactly one u64; skipping
 * its log() was a fifth of the generator's time. */
static void skip_exponential(market_prng *r)
{
	(void)market_prng_u64(r);
}

static void generate_symbol(synth_t *s, size_t i, double z)
{
	const synth_config *c = &s->cfg;
	const synth_symbol_config *sc = &c->symbols[i];
	const synth_regime_config *rg = c->nregimes ? &c->regimes[s->regime] : NULL;
	market_prng *r = &s->rng;
	size_t n = c->trades_per_bar;

	/* diffusion return for the bar, then the GARCH update with this bar's shock */
	double sg = sqrt(s->garch_h[i]);
	double sigma = sg * s->vol_mult[c->nregimes ? s->regime : 0];
	double drift = sc->drift + (rg ? rg->trend * s->trend_sign : 0.0);
	double diff = drift * s->dt_years - 0.5 * sigma * sigma + sigma * z;
	double eps = sg * z;
	s->garch_h[i] = s->omega[i] + c->garch_alpha * eps * eps + c->garch_beta * s->garch_h[i];

	/* jumps: Poisson count, each a log step at a random trade of the bar */
	memset(s->jump_at, 0, (n + 1) * sizeof *s->jump_at);
	size_t g = rg ? s->regime : 0;
	uint32_t njumps = s->jump_lambda[g] > 0.0 ? market_prng_poisson_limit(r, s->jump_limit[g]) : 0;
	for (uint32_t j = 0; j < njumps; j++) {
		size_t at = (size_t)market_prng_below(r, n);
		s->jump_at[at] += c->jump_mean + c->jump_stdev * market_prng_normal(r);
	}
	s->stats.jumps[i] += njumps;

	/* Brownian bridge from 0 to `diff` over n steps: random walk W, then
	 * X_k = W_k − (k/n)·(W_n − diff) so the last trade lands on the bar return */
	double step = sigma / sqrt((double)n), w = 0.0;
	s->path[0] = 0.0;
	for (size_t k = 1; k <= n; k++) {
		w += step * market_prng_normal(r);
		s->path[k] = w;
	}
	double fix = s->path[n] - diff;
	double jumps = 0.0;
	for (size_t k = 1; k <= n; k++) {
		jumps += s->jump_at[k - 1];
		s->path[k] = s->path[k] - ((double)k / (double)n) * fix + jumps;
	}

	/* trade times: sorted uniforms inside the bar from normalised exponential
	 * spacings (no sort needed); only drawn when the trades are emitted */
	const int intrabar = !c->bars_only;
	double total = 0.0;
	for (size_t k = 0; k <= n; k++) {
		if (!intrabar) {
			skip_exponential(r);
			continue;
		}
		s->spacing[k] = market_prng_exponential(r);
		total += s->spacing[k];
	}

	th_price p0 = s->last_close[i], prev = p0;
	int64_t interval = c->bar_interval_ns;
	double cum = 0.0;
	th_bar *bar = &s->bars[i];
	memset(bar, 0, sizeof *bar);
	bar->open_time_ns = s->bar_open_ns;
	bar->interval_ns = interval;
	bar->price_scale = sc->price_scale;
	bar->qty_scale = sc->qty_scale;
	bar->trades = (uint32_t)n;

	for (size_t k = 0; k < n; k++) {
		synth_trade_rec *t = &s->trades[i * n + k];
		if (intrabar) {
			cum += s->spacing[k];
			int64_t off = (int64_t)(cum / total * (double)interval);
			if (off < 0)
				off = 0;
			if (off >= interval)
				off = interval - 1;
			t->ts_ns = s->bar_open_ns + off;
		}
		t->price = price_at(r, p0, s->path[k + 1], sc->tick);
		t->qty = draw_lots(r, sc->mean_trade_qty, sc->lot);
		t->trade_id = s->next_trade_id[i]++;

		/* an uptick was bought, a downtick sold; an unchanged price either */
		if (t->price > prev)
			t->aggressor = TH_SIDE_BUY;
		else if (t->price < prev)
			t->aggressor = TH_SIDE_SELL;
		else
			t->aggressor = market_prng_below(r, 2) ? TH_SIDE_BUY : TH_SIDE_SELL;
		th_price spread = (th_price)(1 + market_prng_below(r, c->spread_ticks)) * sc->tick;
		if (t->aggressor == TH_SIDE_BUY && t->price - spread < sc->tick)
			t->aggressor = TH_SIDE_SELL; /* no room for a positive bid below */
		/* the aggressor took the touch it traded at: that side showed at least the traded size */
		th_qty touch = t->qty, other = 0;
		if (intrabar) {
			touch += draw_lots(r, sc->mean_trade_qty, sc->lot);
			other = draw_lots(r, sc->mean_trade_qty, sc->lot);
		} else {
			skip_exponential(r);
			skip_exponential(r);
		}
		if (t->aggressor == TH_SIDE_BUY) {
			t->ask = t->price;
			t->bid = t->price - spread;
			t->ask_qty = touch;
			t->bid_qty = other;
		} else {
			t->bid = t->price;
			t->ask = t->price + spread;
			t->bid_qty = touch;
			t->ask_qty = other;
		}

		if (k == 0) {
			bar->open = bar->high = bar->low = t->price;
		} else {
			if (t->price > bar->high)
				bar->high = t->price;
			if (t->price < bar->low)
				bar->low = t->price;
		}
		bar->close = t->price;
		bar->volume += t->qty;
		prev = t->price;
	}
	s->last_close[i] = bar->close;
}

void synth_generate_bar(synth_t *s)
{
	const synth_config *c = &s->cfg;
	size_t ns = c->nsymbols;
	double indep[SYNTH_MAX_SYMBOLS], z[SYNTH_MAX_SYMBOLS];

	if (s->stats.bars > 0)
		step_regime(s);
	s->stats.bars_in_regime[s->regime]++;

	/* correlated shocks z = L·n */
	for (size_t i = 0; i < ns; i++)
		indep[i] = market_prng_normal(&s->rng);
	for (size_t i = 0; i < ns; i++) {
		double v = 0.0;
		for (size_t k = 0; k <= i; k++)
			v += s->chol[i][k] * indep[k];
		z[i] = v;
	}
	for (size_t i = 0; i < ns; i++)
		generate_symbol(s, i, z[i]);
	s->stats.bars++;
}
