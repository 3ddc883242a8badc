/*
 * market — synthetic market configuration: defaults and validation.
 *
 * Validation happens once, up front, so the generator itself never meets a
 * nonsensical parameter; every message names the offending field the way the
 * host's TOML section spells it (symbols[i].tick, correlation[i][j], ...).
 */
#include "market/synth.h"
#include "market/synth_internal.h"
#include "market/market_err.h"
#include "market/market_linalg.h"

#include <math.h>
#include <string.h>

#define NS_PER_SEC 1000000000LL
#define NS_PER_DAY (86400LL * NS_PER_SEC)

static void set_regime(synth_regime_config *r, const char *name, double vol_mult, double trend, double jump_mult)
{
	memset(r, 0, sizeof *r);
	th_strlcpy(r->name, name, sizeof r->name);
	r->vol_mult = vol_mult;
	r->trend = trend;
	r->jump_mult = jump_mult;
}

void synth_config_defaults(synth_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->seed = 1;
	th_strlcpy(cfg->venue, "sim", sizeof cfg->venue);
	cfg->start_time_ns = 1704067200LL * NS_PER_SEC; /* 2024-01-01T00:00:00Z */
	cfg->bar_interval_ns = 60 * NS_PER_SEC;
	cfg->trades_per_bar = 20;
	cfg->spread_ticks = 2;
	cfg->common_correlation = 0.5;
	cfg->garch_alpha = 0.05;
	cfg->garch_beta = 0.90;
	cfg->jump_intensity = 0.5;
	cfg->jump_mean = 0.0;
	cfg->jump_stdev = 0.01;

	/* Mean stay in a regime is 1 / (1 - p_stay) bars; leaving picks one of
	 * the other regimes with equal probability. */
	static const double stay_bars[3] = { 600.0, 240.0, 120.0 };
	cfg->nregimes = 3;
	set_regime(&cfg->regimes[0], "calm", 0.8, 0.0, 0.5);
	set_regime(&cfg->regimes[1], "trending", 1.0, 15.0, 1.0);
	set_regime(&cfg->regimes[2], "volatile", 2.0, 0.0, 3.0);
	for (size_t i = 0; i < 3; i++) {
		double leave = 1.0 / stay_bars[i];
		for (size_t j = 0; j < 3; j++)
			cfg->regime_transition[i][j] = (i == j) ? 1.0 - leave : leave / 2.0;
	}
	cfg->start_regime = 0;
}

synth_symbol_config *synth_config_add_symbol(synth_config *cfg, const char *symbol, int32_t price_scale,
                                             int32_t qty_scale, th_price start_price, th_price tick, th_qty lot)
{
	if (cfg->nsymbols >= SYNTH_MAX_SYMBOLS)
		return NULL;
	synth_symbol_config *s = &cfg->symbols[cfg->nsymbols++];
	memset(s, 0, sizeof *s);
	th_strlcpy(s->symbol, symbol, sizeof s->symbol);
	s->price_scale = price_scale;
	s->qty_scale = qty_scale;
	s->start_price = start_price;
	s->tick = tick;
	s->lot = lot;
	s->volatility = 0.6;
	s->drift = 0.0;
	return s;
}

static int terminated(const char *s, size_t cap)
{
	return memchr(s, '\0', cap) != NULL;
}

/* finite and inside [lo, hi] */
static int in_range(double v, double lo, double hi)
{
	return isfinite(v) && v >= lo && v <= hi;
}

static int validate_symbol(const synth_config *cfg, size_t i, char *err, size_t errlen)
{
	const synth_symbol_config *s = &cfg->symbols[i];
	if (!terminated(s->symbol, sizeof s->symbol) || s->symbol[0] == '\0')
		return market_err(err, errlen, "symbols[%zu].symbol: must be a non-empty name of at most %d characters",
		                  i, TH_SYMBOL_MAX - 1);
	for (size_t j = 0; j < i; j++)
		if (strcmp(cfg->symbols[j].symbol, s->symbol) == 0)
			return market_err(err, errlen, "symbols[%zu].symbol: \"%s\" is already used by symbols[%zu]", i,
			                  s->symbol, j);
	if (!terminated(s->base, sizeof s->base))
		return market_err(err, errlen, "symbols[%zu].base: longer than %d characters", i, TH_ASSET_MAX - 1);
	if (!terminated(s->quote, sizeof s->quote))
		return market_err(err, errlen, "symbols[%zu].quote: longer than %d characters", i, TH_ASSET_MAX - 1);
	if (s->price_scale < 0 || s->price_scale > TH_SCALE_MAX)
		return market_err(err, errlen, "symbols[%zu].price_scale: %d is outside 0..%d", i, (int)s->price_scale,
		                  TH_SCALE_MAX);
	if (s->qty_scale < 0 || s->qty_scale > TH_SCALE_MAX)
		return market_err(err, errlen, "symbols[%zu].qty_scale: %d is outside 0..%d", i, (int)s->qty_scale,
		                  TH_SCALE_MAX);
	if (s->tick <= 0)
		return market_err(err, errlen, "symbols[%zu].tick: must be > 0 (got %lld)", i, (long long)s->tick);
	if (s->lot <= 0)
		return market_err(err, errlen, "symbols[%zu].lot: must be > 0 (got %lld)", i, (long long)s->lot);
	if (s->start_price <= 0)
		return market_err(err, errlen, "symbols[%zu].start_price: must be > 0 (got %lld)", i,
		                  (long long)s->start_price);
	if (s->start_price % s->tick != 0)
		return market_err(err, errlen, "symbols[%zu].start_price: %lld is not a multiple of tick %lld", i,
		                  (long long)s->start_price, (long long)s->tick);
	/* leave headroom for the price to grow and for ask = price + spread */
	if (s->start_price > INT64_MAX / 1024)
		return market_err(err, errlen, "symbols[%zu].start_price: %lld is too large for int64 headroom", i,
		                  (long long)s->start_price);
	if (s->min_qty < 0 || s->min_qty % s->lot != 0)
		return market_err(err, errlen, "symbols[%zu].min_qty: %lld must be >= 0 and a multiple of lot %lld", i,
		                  (long long)s->min_qty, (long long)s->lot);
	if (s->min_notional < 0)
		return market_err(err, errlen, "symbols[%zu].min_notional: must be >= 0", i);
	if (s->mean_trade_qty < 0 || s->mean_trade_qty % s->lot != 0)
		return market_err(err, errlen, "symbols[%zu].mean_trade_qty: %lld must be >= 0 and a multiple of lot %lld",
		                  i, (long long)s->mean_trade_qty, (long long)s->lot);
	/* a trade is at most ~40 mean sizes (exponential tail at 2^-53), quotes
	 * add two more; keep a bar's volume far from int64 overflow */
	int64_t mean = s->mean_trade_qty ? s->mean_trade_qty : SYNTH_DEFAULT_TRADE_LOTS * s->lot, bound;
	if (__builtin_mul_overflow(mean, (int64_t)128 * cfg->trades_per_bar, &bound))
		return market_err(err, errlen, "symbols[%zu].mean_trade_qty: %lld is too large: a bar's volume could "
		                  "overflow int64", i, (long long)mean);
	if (!in_range(s->volatility, 0.0, 10.0))
		return market_err(err, errlen, "symbols[%zu].volatility: %g must be an annualised fraction in 0..10", i,
		                  s->volatility);
	if (!in_range(s->drift, -100.0, 100.0))
		return market_err(err, errlen, "symbols[%zu].drift: %g must be an annualised fraction in -100..100", i,
		                  s->drift);
	return 0;
}

static int validate_correlation(const synth_config *cfg, char *err, size_t errlen)
{
	size_t n = cfg->nsymbols;
	if (!cfg->has_correlation_matrix) {
		if (!in_range(cfg->common_correlation, -1.0, 1.0))
			return market_err(err, errlen, "common_correlation: %g must be in -1..1", cfg->common_correlation);
	} else {
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0; j < n; j++) {
				double v = cfg->correlation[i][j];
				if (!in_range(v, -1.0, 1.0))
					return market_err(err, errlen, "correlation[%zu][%zu]: %g must be in -1..1", i, j, v);
				if (i == j && v != 1.0)
					return market_err(err, errlen, "correlation[%zu][%zu]: %g; the diagonal must be 1", i, j,
					                  v);
				if (fabs(v - cfg->correlation[j][i]) > 1e-12)
					return market_err(err, errlen,
					                  "correlation[%zu][%zu] (%g) differs from correlation[%zu][%zu] (%g): the "
					                  "matrix must be symmetric",
					                  i, j, v, j, i, cfg->correlation[j][i]);
			}
	}
	double a[SYNTH_MAX_SYMBOLS][SYNTH_MAX_SYMBOLS], l[SYNTH_MAX_SYMBOLS][SYNTH_MAX_SYMBOLS];
	synth_correlation_matrix(cfg, a);
	size_t bad = market_cholesky(&a[0][0], n, SYNTH_MAX_SYMBOLS, &l[0][0]);
	if (bad) {
		if (cfg->has_correlation_matrix)
			return market_err(err, errlen,
			                  "correlation: the matrix is not positive definite (Cholesky fails at row %zu, "
			                  "symbol \"%s\")",
			                  bad - 1, cfg->symbols[bad - 1].symbol);
		return market_err(err, errlen,
		                  "common_correlation: %g makes the %zu×%zu correlation matrix not positive definite "
		                  "(it must be in (%g, 1))",
		                  cfg->common_correlation, n, n, n > 1 ? -1.0 / (double)(n - 1) : -1.0);
	}
	return 0;
}

static int validate_regimes(const synth_config *cfg, char *err, size_t errlen)
{
	if (cfg->nregimes > SYNTH_MAX_REGIMES)
		return market_err(err, errlen, "nregimes: %zu is more than %d", cfg->nregimes, SYNTH_MAX_REGIMES);
	size_t n = cfg->nregimes ? cfg->nregimes : 1;
	if (cfg->start_regime >= n)
		return market_err(err, errlen, "start_regime: %zu but only %zu regime(s) are configured", cfg->start_regime,
		                  n);
	for (size_t i = 0; i < cfg->nregimes; i++) {
		const synth_regime_config *r = &cfg->regimes[i];
		if (!terminated(r->name, sizeof r->name))
			return market_err(err, errlen, "regimes[%zu].name: longer than %zu characters", i,
			                  sizeof r->name - 1);
		if (!in_range(r->vol_mult, 1e-6, 100.0))
			return market_err(err, errlen, "regimes[%zu].vol_mult: %g must be > 0 and <= 100", i, r->vol_mult);
		if (!in_range(r->trend, 0.0, 1000.0))
			return market_err(err, errlen, "regimes[%zu].trend: %g must be in 0..1000 (annualised)", i, r->trend);
		if (!in_range(r->jump_mult, 0.0, 1000.0))
			return market_err(err, errlen, "regimes[%zu].jump_mult: %g must be in 0..1000", i, r->jump_mult);
		double sum = 0.0;
		for (size_t j = 0; j < cfg->nregimes; j++) {
			double p = cfg->regime_transition[i][j];
			if (!in_range(p, 0.0, 1.0))
				return market_err(err, errlen, "regime_transition[%zu][%zu]: %g must be a probability in 0..1", i,
				                  j, p);
			sum += p;
		}
		if (fabs(sum - 1.0) > 1e-9)
			return market_err(err, errlen, "regime_transition[%zu]: the row sums to %.12g, it must sum to 1", i,
			                  sum);
	}
	return 0;
}

int synth_config_validate(const synth_config *cfg, char *err, size_t errlen)
{
	if (!terminated(cfg->venue, sizeof cfg->venue) || cfg->venue[0] == '\0')
		return market_err(err, errlen, "venue: must be a non-empty name of at most %d characters",
		                  TH_VENUE_MAX - 1);
	if (cfg->start_time_ns < 0)
		return market_err(err, errlen, "start_time_ns: %lld is before 1970", (long long)cfg->start_time_ns);
	if (cfg->bar_interval_ns <= 0 || cfg->bar_interval_ns > 366 * NS_PER_DAY)
		return market_err(err, errlen, "bar_interval_ns: %lld must be > 0 and at most 366 days",
		                  (long long)cfg->bar_interval_ns);
	if (cfg->trades_per_bar < 1 || cfg->trades_per_bar > SYNTH_MAX_TRADES_PER_BAR)
		return market_err(err, errlen, "trades_per_bar: %u must be in 1..%d (a bar is built from its trades)",
		                  cfg->trades_per_bar, SYNTH_MAX_TRADES_PER_BAR);
	if (cfg->spread_ticks < 1 || cfg->spread_ticks > 1000)
		return market_err(err, errlen, "spread_ticks: %u must be in 1..1000", cfg->spread_ticks);
	if (cfg->nsymbols < 1 || cfg->nsymbols > SYNTH_MAX_SYMBOLS)
		return market_err(err, errlen, "symbols: %zu configured, need 1..%d", cfg->nsymbols, SYNTH_MAX_SYMBOLS);
	for (size_t i = 0; i < cfg->nsymbols; i++)
		if (validate_symbol(cfg, i, err, errlen) != 0)
			return -1;
	if (validate_correlation(cfg, err, errlen) != 0)
		return -1;
	if (!in_range(cfg->garch_alpha, 0.0, 1.0))
		return market_err(err, errlen, "garch_alpha: %g must be in 0..1", cfg->garch_alpha);
	if (!in_range(cfg->garch_beta, 0.0, 1.0))
		return market_err(err, errlen, "garch_beta: %g must be in 0..1", cfg->garch_beta);
	if (!(cfg->garch_alpha + cfg->garch_beta < 1.0))
		return market_err(err, errlen, "garch_alpha + garch_beta: %g + %g must be < 1 for a stationary variance",
		                  cfg->garch_alpha, cfg->garch_beta);
	if (validate_regimes(cfg, err, errlen) != 0)
		return -1;
	if (!in_range(cfg->jump_intensity, 0.0, 1e6))
		return market_err(err, errlen, "jump_intensity: %g must be >= 0 (jumps per day)", cfg->jump_intensity);
	if (!in_range(cfg->jump_mean, -1.0, 1.0))
		return market_err(err, errlen, "jump_mean: %g must be a log return in -1..1", cfg->jump_mean);
	if (!in_range(cfg->jump_stdev, 0.0, 1.0))
		return market_err(err, errlen, "jump_stdev: %g must be in 0..1", cfg->jump_stdev);
	double max_mult = 1.0;
	for (size_t i = 0; i < cfg->nregimes; i++)
		if (cfg->regimes[i].jump_mult > max_mult)
			max_mult = cfg->regimes[i].jump_mult;
	double per_bar = cfg->jump_intensity * ((double)cfg->bar_interval_ns / (double)NS_PER_DAY) * max_mult;
	if (per_bar > 30.0)
		return market_err(err, errlen, "jump_intensity: %g per day means %g jumps per bar; at most 30 are supported",
		                  cfg->jump_intensity, per_bar);
	return 0;
}

void synth_correlation_matrix(const synth_config *cfg, double a[SYNTH_MAX_SYMBOLS][SYNTH_MAX_SYMBOLS])
{
	for (size_t i = 0; i < SYNTH_MAX_SYMBOLS; i++)
		for (size_t j = 0; j < SYNTH_MAX_SYMBOLS; j++) {
			if (i == j)
				a[i][j] = 1.0;
			else if (cfg->has_correlation_matrix)
				a[i][j] = cfg->correlation[i][j];
			else
				a[i][j] = cfg->common_correlation;
		}
}
