/*
 * mean_reversion — Bollinger bands with RSI confirmation (internal header).
 *
 * Long when the close is below the lower band AND RSI is below `oversold`;
 * flat again when the close is back at the middle band, or RSI rises above
 * `rsi_exit`, or (optional) the close falls `stop_pct` percent below the
 * entry. The short side mirrors it when allowed (above the upper band with
 * RSI above `overbought`; out at the middle band, RSI below 100 - rsi_exit,
 * or stop_pct above the entry).
 *
 * Indicators (th_ta, heap-owning) are rebuilt from the bar history after a
 * reload; everything else is plain data in kit_solo.
 */
#ifndef MEAN_REVERSION_H
#define MEAN_REVERSION_H

#include <stddef.h>
#include <stdint.h>
#include <tradehost/tradehost.h>
#include <tradehost/th_ta.h>

#include "kit_solo.h"

#define MR_PLUGIN "mean_reversion"
#define MR_STATE_MAGIC "MEANREV"
#define MR_STATE_VERSION 1u
#define MR_PERIOD_MAX 1000

typedef struct mr_params {
	char symbol[TH_SYMBOL_MAX];
	uint32_t bb_period, rsi_period;
	double bb_k;          /* band width in standard deviations */
	double oversold, overbought, rsi_exit;
	double stop_pct;      /* 0 = no stop */
	int allow_short;
} mr_params;

typedef struct mr_ind {
	th_ta_bbands bb;
	th_ta_rsi rsi;
	int bb_ok, rsi_ok;
	th_ta_bands bands;
	double rsi_v;
} mr_ind;

typedef struct mr_persist {
	kit_solo solo;
} mr_persist;

typedef struct mean_reversion {
	kit_solo_agent k; /* first: the kit runs the plugin lifecycle (kit_solo_rule) */
	mr_params p;
	mr_ind ind;
	mr_persist s;
} mean_reversion;

typedef enum mr_action { MR_NONE = 0, MR_BUY = 1, MR_SELL = 2 } mr_action;

typedef struct mr_signal {
	int action;     /* mr_action */
	int exit;       /* closes the position */
	int ready;
	double close, upper, middle, lower, rsi, stop;
	char rule[96];
} mr_signal;

/* mean_reversion_signal.c */
int mr_ind_init(mr_ind *ind, const mr_params *p, th_ta_error *err);
void mr_ind_free(mr_ind *ind);
void mr_ind_feed(mr_ind *ind, const th_bar *b);
int mr_ind_replay(mr_ind *ind, const mr_params *p, const kit_hist *h);
/* entry: average entry price of the position (0 when flat). */
void mr_evaluate(const mr_params *p, const mr_ind *ind, const kit_hist *h, th_qty position, th_price entry,
	mr_signal *sig);
int mr_describe(const mr_params *p, const mr_signal *sig, char *buf, size_t cap);

#endif
