/*
 * pairs — statistical arbitrage on two co-integrated symbols (internal header).
 *
 * On every aligned pair of bars (A and B with the same open time) the agent
 * regresses log(A) on log(B) over the last `window` pairs (OLS with an
 * intercept: log A = alpha + beta log B + e), computes the z-score of the
 * latest residual (e / population standard deviation of the window's
 * residuals), and runs an Engle-Granger check on the residuals: a
 * Dickey-Fuller regression without constant or lags, de_t = rho e_{t-1} + u_t,
 * whose t-statistic must be below MacKinnon's (2010) critical value for two
 * variables with a constant, at T = window - 1 observations, AND whose AR(1)
 * coefficient phi = 1 + rho must give a half-life of mean reversion
 * -ln 2 / ln phi within `max_half_life` bars. No entry while the check fails.
 *
 * Entries at |z| > entry_z (z > 0: the spread is rich: sell A, buy beta-worth
 * of B; z < 0 the reverse), exits at |z| < exit_z, on a stop at |z| > stop_z
 * (if set) or when the check fails (if exit_on_break). Legs: A is sized by
 * `notional` (quote currency) at A's close, B by |beta| x notional at B's
 * close, both market IOC orders on the same bar.
 */
#ifndef PAIRS_H
#define PAIRS_H

#include <stddef.h>
#include <stdint.h>
#include <tradehost/tradehost.h>

#include "kit_inst.h"
#include "kit_orders.h"
#include "kit_pos.h"

#define PAIRS_PLUGIN "pairs"
#define PAIRS_STATE_MAGIC "PAIRS"
#define PAIRS_STATE_VERSION 1u
#define PAIRS_WINDOW_MIN 20
#define PAIRS_WINDOW_MAX 1000

typedef struct pairs_params {
	char sym[2][TH_SYMBOL_MAX];   /* [0] = A (regressed), [1] = B (regressor) */
	char venue[TH_VENUE_MAX];
	uint32_t window;
	double entry_z, exit_z, stop_z; /* stop 0 = none */
	double max_half_life;           /* bars */
	int level;                      /* 1, 5 or 10 (%) */
	int exit_on_break;
	int64_t notional_cfg;           /* leg A size, quote currency at KIT_CFG_SCALE */
} pairs_params;

/* One fit of the window. */
typedef struct pairs_fit {
	int ok;               /* regression and z defined */
	int coint;            /* the co-integration check passed */
	double alpha, beta, sd, z;
	double adf_t, adf_crit, phi, half_life;
	char why[96];         /* what failed, for explanations */
} pairs_fit;

/* pairs_stats.c: fit n pairs (oldest first); scratch holds n doubles. */
void pairs_fit_window(const double *y, const double *x, uint32_t n, const pairs_params *p, double *scratch,
	pairs_fit *out);
/* MacKinnon (2010) critical value, 2 variables, constant: level 1, 5 or 10, T observations. */
double pairs_mackinnon_crit(int level, double T);

/* Plain data: the hot-reload hand-over. */
typedef struct pairs_persist {
	char sym[2][TH_SYMBOL_MAX];
	kit_inst inst[2];
	kit_book book;                 /* both legs' orders */
	kit_pos pos[2];
	double ly[PAIRS_WINDOW_MAX];   /* log closes of A, ring */
	double lx[PAIRS_WINDOW_MAX];   /* log closes of B, ring */
	uint32_t head, count;
	uint64_t pairs_seen;
	struct {
		int64_t open_time_ns;
		th_price close;
		int32_t valid, pad_;
	} pend[2];                     /* a leg's bar waiting for the other's */
	th_price last_close[2];
	int32_t target;                /* +1 long spread (long A), -1 short spread, 0 flat */
	int32_t entering;              /* 1: entry legs sent, not all finished yet */
	uint64_t undersized_at;        /* pairs_seen when "legs below one lot" was last said */
	uint32_t halted;
	char halt_reason[160];
} pairs_persist;

typedef struct pairs {
	const th_host_api *api;
	th_ctx *ctx;
	pairs_params p;
	pairs_persist s;
	double scratch[PAIRS_WINDOW_MAX];
	pairs_fit fit;                 /* the latest, for explain() */
} pairs;

/* pairs_legs.c */
/* One aligned observation has been recorded: decide and trade. */
void pairs_decide(pairs *g);
void pairs_on_own(pairs *g, const th_event *ev);
int pairs_describe(const pairs *g, char *buf, size_t cap);

#endif
