/*
 * momentum — trend following with volume confirmation (internal header).
 *
 * The rule (README.md has it in prose): long when the close is above EMA(n),
 * the rate of change over m bars is at least `roc_threshold` percent and the
 * bar's volume is above `volume_factor` x the average volume of the previous
 * `volume_period` bars; flat again on the opposite trend condition or when the
 * close falls through an ATR trailing stop. Shorts mirror it when allowed.
 *
 * State is split in two: `mom_ind` (th_ta indicators, which own heap buffers
 * and are rebuilt from the bar history after a reload) and `mom_persist`
 * (plain data: exported and imported as is).
 */
#ifndef MOMENTUM_H
#define MOMENTUM_H

#include <stddef.h>
#include <stdint.h>
#include <tradehost/tradehost.h>
#include <tradehost/th_ta.h>

#include "kit_hist.h"
#include "kit_solo.h"

#define MOM_PLUGIN "momentum"
#define MOM_STATE_MAGIC "MOMENTUM"
#define MOM_STATE_VERSION 1u
#define MOM_PERIOD_MAX 1000 /* < KIT_HIST_CAP: the ROC look-back lives in the history */

typedef struct mom_params {
	char symbol[TH_SYMBOL_MAX]; /* copy of the solo's, for messages */
	uint32_t ema_period, roc_period, volume_period, atr_period;
	double roc_threshold;  /* percent */
	double volume_factor;  /* volume must exceed factor x average */
	double atr_mult;       /* trailing stop distance in ATRs; 0 = no trailing stop */
	int allow_short;
} mom_params;

/* Indicator values after the latest bar. */
typedef struct mom_ind {
	th_ta_ema ema;
	th_ta_sma volume;
	th_ta_atr atr;
	int ema_ok, atr_ok, vol_prev_ok;
	double ema_v, atr_v;
	double vol_prev_avg;   /* average volume of the bars before the latest one */
	double vol_last_avg;   /* average volume including the latest bar (next bar's vol_prev_avg) */
	int vol_last_ok;
} mom_ind;

/* Everything a hot reload hands over (plain data). */
typedef struct mom_persist {
	kit_solo solo;
} mom_persist;

typedef struct momentum {
	kit_solo_agent k; /* first: the kit runs the plugin lifecycle (kit_solo_rule) */
	mom_params p;
	mom_ind ind;
	mom_persist s;
} momentum;

typedef enum mom_action { MOM_NONE = 0, MOM_BUY = 1, MOM_SELL = 2 } mom_action;

/* What the rule says on this bar, and why. */
typedef struct mom_signal {
	int action;            /* mom_action */
	int exit;              /* 1: closes the position (qty = |position|) */
	int ready;             /* 0: still warming up */
	double close, ema, roc, volume, vol_avg, atr, stop;
	char rule[96];
} mom_signal;

/* momentum_signal.c */
int mom_ind_init(mom_ind *ind, const mom_params *p, th_ta_error *err);
void mom_ind_free(mom_ind *ind);
/* Feed one bar (after it was pushed to the history). */
void mom_ind_feed(mom_ind *ind, const th_bar *b);
/* Rebuild the indicators from the history (import_state). */
int mom_ind_replay(mom_ind *ind, const mom_params *p, const kit_hist *h);
/* Evaluate the rule on the latest bar. */
void mom_evaluate(const mom_params *p, const mom_ind *ind, const kit_hist *h, th_qty position, th_price extreme,
	mom_signal *sig);
/* Text for decisions and explain(). */
int mom_describe(const mom_params *p, const mom_signal *sig, char *buf, size_t cap);

#endif
