/*
 * market — synthetic market generator state, shared by synth.c (iterator)
 * and synth_bar.c (the model that generates one bar). Not for other code.
 */
#ifndef TH_MARKET_SYNTH_INTERNAL_H
#define TH_MARKET_SYNTH_INTERNAL_H

#include "market/market_prng.h"
#include "market/synth.h"

#define SYNTH_DEFAULT_TRADE_LOTS 10

/* One intrabar trade and the quote shown just before it. */
typedef struct synth_trade_rec {
	int64_t ts_ns;
	th_price price;
	th_qty qty;
	th_price bid, ask;
	th_qty bid_qty, ask_qty;
	uint64_t trade_id;
	uint32_t aggressor;
} synth_trade_rec;

struct synth {
	synth_config cfg;
	th_instrument instruments[SYNTH_MAX_SYMBOLS];
	th_event_header header[SYNTH_MAX_SYMBOLS]; /* per symbol: zeroed, venue and symbol set (fill_header) */
	market_prng rng;

	/* model constants */
	double chol[SYNTH_MAX_SYMBOLS][SYNTH_MAX_SYMBOLS];
	double vol_mult[SYNTH_MAX_REGIMES];   /* normalised regime multipliers */
	double omega[SYNTH_MAX_SYMBOLS];      /* GARCH constant term */
	double dt_years, dt_days;
	/* jumps per bar in each regime (index 0 without regimes) and exp(-lambda)
	 * for market_prng_poisson_limit: fixed by the config, so computed once */
	double jump_lambda[SYNTH_MAX_REGIMES], jump_limit[SYNTH_MAX_REGIMES];

	/* model state */
	double garch_h[SYNTH_MAX_SYMBOLS];    /* current per-bar GARCH variance */
	th_price last_close[SYNTH_MAX_SYMBOLS];
	uint64_t next_trade_id[SYNTH_MAX_SYMBOLS];
	size_t regime;
	int trend_sign;                        /* +1 / -1, drawn on entering a regime */
	int64_t bar_open_ns;                   /* open time of the bar being emitted */

	/* the bar being emitted: trades[sym * trades_per_bar + k] */
	synth_trade_rec *trades;
	th_bar bars[SYNTH_MAX_SYMBOLS];
	size_t cursor[SYNTH_MAX_SYMBOLS];      /* events emitted per symbol: 2 per trade (quote, trade) */
	size_t bars_emitted;                   /* bar events emitted for this bar */
	int have_bar;                          /* a generated bar is being emitted */
	int finished;

	/* scratch for the intrabar path, trades_per_bar + 1 entries each */
	double *path;
	double *jump_at;
	double *spacing;

	synth_stats stats;
};

/* Correlation matrix from the config (full or common), unused entries filled
 * so the array is always fully initialised. */
void synth_correlation_matrix(const synth_config *cfg, double a[SYNTH_MAX_SYMBOLS][SYNTH_MAX_SYMBOLS]);

/* Generate the next bar period for all symbols into s->trades / s->bars. */
void synth_generate_bar(synth_t *s);

#endif
