/*
 * market — seeded synthetic market: the default paper-trading and backtest feed.
 *
 * The generator produces, in time order, for each bar of `bar_interval_ns`:
 *   - `trades_per_bar` intrabar trades per symbol (TH_EV_TRADE), each preceded
 *     by a TH_EV_QUOTE with the same timestamp whose bid or ask is the trade
 *     price (the side the aggressor took) and whose spread is 1..spread_ticks
 *     ticks;
 *   - then one TH_EV_BAR per symbol (in symbol order) built from exactly those
 *     trades: open = first trade, close = last, high/low = extremes, volume =
 *     sum of quantities, trades = count. The bar event's h.ts_ns is the bar's
 *     close time (open_time_ns + interval_ns): a bar is only known once it has
 *     ended, so a backtest can never see it early.
 * Trades of different symbols are merged by (time, symbol index).
 *
 * The model, per bar (Δt = bar interval in years of 365 days; crypto trades
 * around the clock):
 *   - correlated standard normals z = L·n, with L the Cholesky factor of the
 *     correlation matrix and n independent N(0,1);
 *   - GARCH(1,1) variance per symbol: h' = ω + α·ε² + β·h, with ω chosen so
 *     the long-run per-bar variance is volatility²·Δt (volatility clustering);
 *   - a Markov regime chain (calm / trending / volatile by default) scales the
 *     volatility, adds a trend drift whose sign is drawn on entering the
 *     regime, and scales the jump rate. The volatility multipliers are
 *     normalised so that their mean square under the chain's stationary law is
 *     1: the configured volatility is the long-run volatility;
 *   - Poisson jumps per symbol (rate jump_intensity per day × the regime's
 *     jump multiplier), each a log-price step ~ N(jump_mean, jump_stdev²) at a
 *     random trade inside the bar;
 *   - the diffusion log return over the bar is (μ − σ²/2)·Δt + σ·z; the trade
 *     path inside the bar is a Brownian bridge that ends exactly at it, plus
 *     the jump steps.
 * The random process draws dimensionless log returns as double; the price
 * state itself is an int64 at the instrument's price scale. Each trade price
 * is round_to_tick(P_open · e^x) where P_open is the previous bar's close
 * (int64) and x the path's log return so far, never below one tick — so every
 * price is an exact multiple of the tick and rounding errors do not compound
 * across trades. The rounding is stochastic (up with probability equal to the
 * fraction of a tick), which keeps prices unbiased and stops a price that is
 * only a few ticks high from sticking where nearest rounding would pin it.
 *
 * Determinism: the same configuration and seed give a byte-identical event
 * stream on the same build (every emitted th_event is fully zeroed first, so
 * even padding bytes match).
 */
#ifndef TH_MARKET_SYNTH_H
#define TH_MARKET_SYNTH_H

#include <stddef.h>
#include <stdint.h>

#include "tradehost/th_event.h"
#include "tradehost/th_types.h"

#define SYNTH_MAX_SYMBOLS 32
#define SYNTH_MAX_REGIMES 4
#define SYNTH_MAX_TRADES_PER_BAR 100000

typedef struct synth_symbol_config {
	char symbol[TH_SYMBOL_MAX]; /* required, unique */
	char base[TH_ASSET_MAX];    /* optional, copied into th_instrument */
	char quote[TH_ASSET_MAX];   /* optional */
	int32_t price_scale;        /* 0..18 */
	int32_t qty_scale;          /* 0..18 */
	th_price start_price;       /* > 0, a multiple of tick, at price_scale */
	th_price tick;              /* > 0 */
	th_qty lot;                 /* > 0 */
	th_qty min_qty;             /* 0 = one lot */
	th_money min_notional;      /* TH_MONEY_SCALE; 0 = none */
	th_qty mean_trade_qty;      /* mean trade size, a multiple of lot; 0 = 10 lots */
	double volatility;          /* annualised, e.g. 0.6 = 60 %/year; 0..10 */
	double drift;               /* annualised expected return, e.g. 0.05 */
} synth_symbol_config;

typedef struct synth_regime_config {
	char name[16];     /* for stats and messages, e.g. "calm" */
	double vol_mult;   /* relative volatility (> 0), normalised as described above */
	double trend;      /* annualised drift magnitude added while in the regime (>= 0) */
	double jump_mult;  /* multiplies jump_intensity (>= 0) */
} synth_regime_config;

typedef struct synth_config {
	uint64_t seed;
	char venue[TH_VENUE_MAX];    /* h.venue of every event, e.g. "sim" */
	int64_t start_time_ns;       /* open time of the first bar (Unix ns, >= 0) */
	int64_t bar_interval_ns;     /* > 0, e.g. 60 s */
	uint32_t trades_per_bar;     /* 1..SYNTH_MAX_TRADES_PER_BAR, per symbol */
	uint32_t spread_ticks;       /* quoted spread is 1..spread_ticks ticks; >= 1 */
	uint64_t max_bars;           /* stop after this many bars; 0 = never end */
	int bars_only;               /* 1: emit only the bars (intrabar trades still shape them) */

	size_t nsymbols;             /* 1..SYNTH_MAX_SYMBOLS */
	synth_symbol_config symbols[SYNTH_MAX_SYMBOLS];

	/* Correlation between the symbols' return shocks: the full matrix when
	 * has_correlation_matrix is set (symmetric, unit diagonal, entries in
	 * [-1, 1], positive definite), else one pairwise `common_correlation`. */
	int has_correlation_matrix;
	double correlation[SYNTH_MAX_SYMBOLS][SYNTH_MAX_SYMBOLS];
	double common_correlation;

	/* GARCH(1,1): alpha, beta >= 0 and alpha + beta < 1. 0/0 = constant volatility. */
	double garch_alpha;
	double garch_beta;

	/* Jumps: expected count per symbol per day at jump_mult 1, and the normal
	 * law of the log jump size. intensity 0 = no jumps. */
	double jump_intensity;
	double jump_mean;
	double jump_stdev;

	/* Regimes: nregimes 0 or 1 = no switching. transition[i][j] is the
	 * per-bar probability of moving from regime i to j (rows sum to 1). */
	size_t nregimes;
	synth_regime_config regimes[SYNTH_MAX_REGIMES];
	double regime_transition[SYNTH_MAX_REGIMES][SYNTH_MAX_REGIMES];
	size_t start_regime;
} synth_config;

/* Counters for tests and reports. */
typedef struct synth_stats {
	uint64_t bars;                              /* completed bar periods */
	uint64_t jumps[SYNTH_MAX_SYMBOLS];          /* jumps per symbol */
	uint64_t regime_switches;
	uint64_t bars_in_regime[SYNTH_MAX_REGIMES];
} synth_stats;

typedef struct synth synth_t;

/*
 * Fill `cfg` with the documented defaults: seed 1, venue "sim", start
 * 2024-01-01T00:00:00Z, 60 s bars, 20 trades per bar, spread up to 2 ticks,
 * unlimited bars, no symbols, common correlation 0.5, GARCH α 0.05 β 0.90,
 * jumps 0.5/day with log size N(0, 0.01²), and three regimes
 * calm (vol ×0.8, no trend, jumps ×0.5, mean stay 600 bars),
 * trending (vol ×1.0, trend 15/yr — about 0.7 % per 4-hour stay —, jumps ×1,
 * mean stay 240 bars),
 * volatile (vol ×2.0, no trend, jumps ×3, mean stay 120 bars).
 */
void synth_config_defaults(synth_config *cfg);

/*
 * Append a symbol with the model defaults (volatility 0.6, drift 0, mean trade
 * 10 lots, min_qty one lot). Returns the new entry for further edits, or NULL
 * when SYNTH_MAX_SYMBOLS are already configured.
 */
synth_symbol_config *synth_config_add_symbol(synth_config *cfg, const char *symbol, int32_t price_scale,
                                             int32_t qty_scale, th_price start_price, th_price tick, th_qty lot);

/* Check a configuration. Returns 0, or -1 with a message naming the field in err. */
int synth_config_validate(const synth_config *cfg, char *err, size_t errlen);

/* Create a generator (the config is copied). NULL with a message on bad config. */
synth_t *synth_create(const synth_config *cfg, char *err, size_t errlen);
void synth_destroy(synth_t *s);

/* Next event in time order: 1 = *out filled, 0 = end (only when max_bars is set). */
int synth_next(synth_t *s, th_event *out);

/* Instrument definitions, one per configured symbol, in config order. */
const th_instrument *synth_instruments(const synth_t *s, size_t *count);

/* Index of the regime the current bar is generated in. */
size_t synth_current_regime(const synth_t *s);

const synth_stats *synth_get_stats(const synth_t *s);

#endif
