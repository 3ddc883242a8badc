/* momentum — indicators and the entry/exit rule (no host calls: unit-testable). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "momentum.h"

int mom_ind_init(mom_ind *ind, const mom_params *p, th_ta_error *err)
{
	memset(ind, 0, sizeof *ind);
	int rc = th_ta_ema_init(&ind->ema, p->ema_period, err);
	if (rc == TH_TA_OK)
		rc = th_ta_sma_init(&ind->volume, p->volume_period, err);
	if (rc == TH_TA_OK)
		rc = th_ta_atr_init(&ind->atr, p->atr_period, err);
	if (rc != TH_TA_OK)
		mom_ind_free(ind);
	return rc;
}

void mom_ind_free(mom_ind *ind)
{
	th_ta_ema_free(&ind->ema);
	th_ta_sma_free(&ind->volume);
	th_ta_atr_free(&ind->atr);
}

void mom_ind_feed(mom_ind *ind, const th_bar *b)
{
	double close = th_ta_price(b->close, b->price_scale);
	double high = th_ta_price(b->high, b->price_scale);
	double low = th_ta_price(b->low, b->price_scale);
	double vol = th_ta_price(b->volume, b->qty_scale);
	double v;
	/* The volume filter compares this bar with the bars BEFORE it: the
	 * average that included the previous bar is this bar's reference. */
	ind->vol_prev_avg = ind->vol_last_avg;
	ind->vol_prev_ok = ind->vol_last_ok;
	int rc = th_ta_sma_update(&ind->volume, vol, &v);
	if (rc == 1) {
		ind->vol_last_avg = v;
		ind->vol_last_ok = 1;
	}
	/* An update that returns an error leaves the indicator untouched; the
	 * "ok" flags keep the last valid state, and the rule reads only them. */
	if (th_ta_ema_update(&ind->ema, close, &v) == 1) {
		ind->ema_v = v;
		ind->ema_ok = 1;
	}
	if (th_ta_atr_update(&ind->atr, high, low, close, &v) == 1) {
		ind->atr_v = v;
		ind->atr_ok = 1;
	}
}

int mom_ind_replay(mom_ind *ind, const mom_params *p, const kit_hist *h)
{
	th_ta_error err;
	mom_ind_free(ind);
	int rc = mom_ind_init(ind, p, &err);
	if (rc != TH_TA_OK)
		return rc;
	for (uint32_t i = 0; i < h->count; i++) {
		th_bar b;
		kit_hist_bar(h, kit_hist_at(h, i), &b);
		mom_ind_feed(ind, &b);
	}
	return TH_TA_OK;
}

void mom_evaluate(const mom_params *p, const mom_ind *ind, const kit_hist *h, th_qty position, th_price extreme,
	mom_signal *sig)
{
	memset(sig, 0, sizeof *sig);
	const kit_hbar *now = kit_hist_back(h, 0);
	const kit_hbar *then = kit_hist_back(h, p->roc_period);
	sig->ready = now && then && ind->ema_ok && ind->atr_ok && ind->vol_prev_ok;
	if (!sig->ready) {
		snprintf(sig->rule, sizeof sig->rule, "warming up (%u bars seen)", h->count);
		return;
	}
	double close = th_ta_price(now->close, h->price_scale);
	double past = th_ta_price(then->close, h->price_scale);
	sig->close = close;
	sig->ema = ind->ema_v;
	sig->roc = past > 0 ? (close / past - 1.0) * 100.0 : 0.0;
	sig->volume = th_ta_price(now->volume, h->qty_scale);
	sig->vol_avg = ind->vol_prev_avg;
	sig->atr = ind->atr_v;
	int up = close > sig->ema && sig->roc >= p->roc_threshold;
	int down = close < sig->ema && sig->roc <= -p->roc_threshold;
	int loud = sig->volume > p->volume_factor * sig->vol_avg;
	double anchor = th_ta_price(extreme, h->price_scale);
	if (position > 0) {
		sig->stop = p->atr_mult > 0 ? anchor - p->atr_mult * sig->atr : 0;
		if (down) {
			sig->action = MOM_SELL;
			sig->exit = 1;
			snprintf(sig->rule, sizeof sig->rule, "exit long: trend reversed (close < EMA, ROC <= -%g%%)",
				p->roc_threshold);
		} else if (p->atr_mult > 0 && close <= sig->stop) {
			sig->action = MOM_SELL;
			sig->exit = 1;
			snprintf(sig->rule, sizeof sig->rule, "exit long: close at or below the ATR trailing stop");
		} else {
			snprintf(sig->rule, sizeof sig->rule, "hold long");
		}
	} else if (position < 0) {
		sig->stop = p->atr_mult > 0 ? anchor + p->atr_mult * sig->atr : 0;
		if (up) {
			sig->action = MOM_BUY;
			sig->exit = 1;
			snprintf(sig->rule, sizeof sig->rule, "exit short: trend reversed (close > EMA, ROC >= %g%%)",
				p->roc_threshold);
		} else if (p->atr_mult > 0 && close >= sig->stop) {
			sig->action = MOM_BUY;
			sig->exit = 1;
			snprintf(sig->rule, sizeof sig->rule, "exit short: close at or above the ATR trailing stop");
		} else {
			snprintf(sig->rule, sizeof sig->rule, "hold short");
		}
	} else if (up && loud) {
		sig->action = MOM_BUY;
		snprintf(sig->rule, sizeof sig->rule, "enter long: close > EMA, ROC >= %g%%, volume > %g x average",
			p->roc_threshold, p->volume_factor);
	} else if (p->allow_short && down && loud) {
		sig->action = MOM_SELL;
		snprintf(sig->rule, sizeof sig->rule, "enter short: close < EMA, ROC <= -%g%%, volume > %g x average",
			p->roc_threshold, p->volume_factor);
	} else if ((up || (down && p->allow_short)) && !loud) {
		snprintf(sig->rule, sizeof sig->rule, "flat: trend without volume confirmation");
	} else if (down) {
		snprintf(sig->rule, sizeof sig->rule, "flat: downtrend, shorts disabled");
	} else {
		snprintf(sig->rule, sizeof sig->rule, "flat: no trend");
	}
}

int mom_describe(const mom_params *p, const mom_signal *sig, char *buf, size_t cap)
{
	if (!sig->ready)
		return snprintf(buf, cap, "%s: %s", p->symbol, sig->rule);
	char stop[48] = "";
	if (sig->stop > 0)
		snprintf(stop, sizeof stop, ", trailing stop %.6g", sig->stop);
	return snprintf(buf, cap,
		"%s: close %.10g, EMA(%u) %.10g, ROC(%u) %+.3f%% (threshold %g%%), volume %.6g vs average %.6g "
		"(x%g), ATR(%u) %.6g%s -> %s",
		p->symbol, sig->close, p->ema_period, sig->ema, p->roc_period, sig->roc, p->roc_threshold, sig->volume,
		sig->vol_avg, p->volume_factor, p->atr_period, sig->atr, stop, sig->rule);
}
