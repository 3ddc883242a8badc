/* mean_reversion — indicators and the entry/exit rule (no host calls). */
#include <stdio.h>
#include <string.h>

#include "mean_reversion.h"

int mr_ind_init(mr_ind *ind, const mr_params *p, th_ta_error *err)
{
	memset(ind, 0, sizeof *ind);
	int rc = th_ta_bbands_init(&ind->bb, p->bb_period, p->bb_k, err);
	if (rc == TH_TA_OK)
		rc = th_ta_rsi_init(&ind->rsi, p->rsi_period, err);
	if (rc != TH_TA_OK)
		mr_ind_free(ind);
	return rc;
}

void mr_ind_free(mr_ind *ind)
{
	th_ta_bbands_free(&ind->bb);
	th_ta_rsi_free(&ind->rsi);
}

void mr_ind_feed(mr_ind *ind, const th_bar *b)
{
	double close = th_ta_price(b->close, b->price_scale);
	th_ta_bands bands;
	double v;
	/* a refused input leaves the indicator and the last valid values as they were */
	if (th_ta_bbands_update(&ind->bb, close, &bands) == 1) {
		ind->bands = bands;
		ind->bb_ok = 1;
	}
	if (th_ta_rsi_update(&ind->rsi, close, &v) == 1) {
		ind->rsi_v = v;
		ind->rsi_ok = 1;
	}
}

int mr_ind_replay(mr_ind *ind, const mr_params *p, const kit_hist *h)
{
	th_ta_error err;
	mr_ind_free(ind);
	int rc = mr_ind_init(ind, p, &err);
	for (uint32_t i = 0; rc == TH_TA_OK && i < h->count; i++) {
		th_bar b;
		kit_hist_bar(h, kit_hist_at(h, i), &b);
		mr_ind_feed(ind, &b);
	}
	return rc;
}

void mr_evaluate(const mr_params *p, const mr_ind *ind, const kit_hist *h, th_qty position, th_price entry,
	mr_signal *sig)
{
	memset(sig, 0, sizeof *sig);
	const kit_hbar *now = kit_hist_back(h, 0);
	sig->ready = now && ind->bb_ok && ind->rsi_ok;
	if (!sig->ready) {
		snprintf(sig->rule, sizeof sig->rule, "warming up (%u bars seen)", h->count);
		return;
	}
	double close = th_ta_price(now->close, h->price_scale);
	double in = th_ta_price(entry, h->price_scale);
	sig->close = close;
	sig->upper = ind->bands.upper;
	sig->middle = ind->bands.middle;
	sig->lower = ind->bands.lower;
	sig->rsi = ind->rsi_v;
	if (position > 0) {
		sig->stop = p->stop_pct > 0 && in > 0 ? in * (1.0 - p->stop_pct / 100.0) : 0;
		sig->action = MR_SELL;
		sig->exit = 1;
		if (close >= sig->middle)
			snprintf(sig->rule, sizeof sig->rule, "exit long: close back at the middle band");
		else if (sig->rsi > p->rsi_exit)
			snprintf(sig->rule, sizeof sig->rule, "exit long: RSI above %g", p->rsi_exit);
		else if (sig->stop > 0 && close <= sig->stop)
			snprintf(sig->rule, sizeof sig->rule, "exit long: stop loss %g%% below entry", p->stop_pct);
		else {
			sig->action = MR_NONE;
			sig->exit = 0;
			snprintf(sig->rule, sizeof sig->rule, "hold long: waiting for the middle band");
		}
	} else if (position < 0) {
		sig->stop = p->stop_pct > 0 && in > 0 ? in * (1.0 + p->stop_pct / 100.0) : 0;
		sig->action = MR_BUY;
		sig->exit = 1;
		if (close <= sig->middle)
			snprintf(sig->rule, sizeof sig->rule, "exit short: close back at the middle band");
		else if (sig->rsi < 100.0 - p->rsi_exit)
			snprintf(sig->rule, sizeof sig->rule, "exit short: RSI below %g", 100.0 - p->rsi_exit);
		else if (sig->stop > 0 && close >= sig->stop)
			snprintf(sig->rule, sizeof sig->rule, "exit short: stop loss %g%% above entry", p->stop_pct);
		else {
			sig->action = MR_NONE;
			sig->exit = 0;
			snprintf(sig->rule, sizeof sig->rule, "hold short: waiting for the middle band");
		}
	} else if (close < sig->lower && sig->rsi < p->oversold) {
		sig->action = MR_BUY;
		snprintf(sig->rule, sizeof sig->rule, "enter long: close below the lower band and RSI below %g",
			p->oversold);
	} else if (p->allow_short && close > sig->upper && sig->rsi > p->overbought) {
		sig->action = MR_SELL;
		snprintf(sig->rule, sizeof sig->rule, "enter short: close above the upper band and RSI above %g",
			p->overbought);
	} else if (close < sig->lower) {
		snprintf(sig->rule, sizeof sig->rule, "flat: below the lower band but RSI not below %g", p->oversold);
	} else if (close > sig->upper && p->allow_short) {
		snprintf(sig->rule, sizeof sig->rule, "flat: above the upper band but RSI not above %g", p->overbought);
	} else {
		snprintf(sig->rule, sizeof sig->rule, "flat: close inside the bands");
	}
}

int mr_describe(const mr_params *p, const mr_signal *sig, char *buf, size_t cap)
{
	if (!sig->ready)
		return snprintf(buf, cap, "%s: %s", p->symbol, sig->rule);
	char stop[48] = "";
	if (sig->stop > 0)
		snprintf(stop, sizeof stop, ", stop %.10g", sig->stop);
	return snprintf(buf, cap, "%s: close %.10g, BB(%u, %g) lower %.10g middle %.10g upper %.10g, RSI(%u) %.2f%s -> %s",
		p->symbol, sig->close, p->bb_period, p->bb_k, sig->lower, sig->middle, sig->upper, p->rsi_period, sig->rsi,
		stop, sig->rule);
}
