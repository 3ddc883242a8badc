/*
 * var_figures — the risk figures of one scope, and their publication.
 *
 * At every refresh (publish_ms) the plugin computes, for each tracked scope,
 * the figures below, sets its gauges, and (publish_events) publishes one
 * TH_EV_CUSTOM event per scope whose payload is a var_figures_wire. The
 * layout is fixed (offsets in the README), host byte order, so a consumer
 * (dashboard, REST front door) can decode it by copying into this struct.
 * All money fields are th_money at TH_MONEY_SCALE, positive = loss.
 */
#ifndef PLUGINS_RISK_VAR_FIGURES_H
#define PLUGINS_RISK_VAR_FIGURES_H

#include <stddef.h>
#include <stdint.h>
#include <tradehost/tradehost.h>

#include "var_model.h"

#define VAR_FIGURES_TAG 0x31526156u /* the bytes "VaR1" in little-endian order */
#define VAR_FIGURES_VERSION 1u

#define VAR_FIG_NO_DATA 0x1u  /* too little history: the statistical figures are 0 */
#define VAR_FIG_BROKEN 0x2u   /* the scope's positions could not be read or valued */

typedef struct var_figures_wire {
	uint8_t version;            /* VAR_FIGURES_VERSION */
	uint8_t scope_kind;         /* th_state_scope: 1 host, 2 farm, 3 agent */
	uint8_t flags;              /* VAR_FIG_* */
	uint8_t nwindows;           /* entries used in window_loss / window_end_age */
	uint32_t scenarios;         /* scenarios (bars) the figures rest on */
	uint32_t horizon_bars;
	uint32_t positions;         /* instruments held */
	char name[32];              /* farm or agent; "" for the host */
	int64_t var95, var99, es975;        /* historical simulation, horizon-scaled */
	int64_t pvar95, pvar99, pes975;     /* parametric, EWMA covariance, horizon-scaled */
	int64_t stress_shock;       /* worst configured shock scenario */
	int64_t stress_vol;         /* parametric VaR 99 with volatilities x stress_vol_multiplier */
	int64_t stress_corr1;       /* parametric VaR 99 with every correlation set to one */
	int64_t stress_hist;        /* worst replayed historical window */
	int64_t gross_value;        /* sum of |position value| */
	int64_t window_loss[8];     /* the k worst n-bar windows, worst first */
	uint32_t window_end_age[8]; /* bars between each window's last bar and the newest */
} var_figures_wire;

_Static_assert(sizeof(var_figures_wire) == 232, "var_figures_wire layout is part of the plugin's interface");
_Static_assert(sizeof(var_figures_wire) <= TH_CUSTOM_MAX, "var_figures_wire must fit a TH_EV_CUSTOM payload");

/* Computes the figures of one scope (synced by the caller). */
void var_figures_compute(var_model *m, var_scope *sc, var_figures_wire *out);
/* Registers the instance-wide gauges and counters (at create). */
int var_figures_register(var_model *m);
/* The refresh: resync positions, compute, set gauges, publish. */
void var_figures_refresh(var_model *m);
/* The shock of a scenario for an instrument: "venue:symbol", then symbol,
 * then base asset, then "*", else 0. */
double var_shock_for(const var_scenario *sc, const char *venue, const char *symbol, const char *base);

#endif
