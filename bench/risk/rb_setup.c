#include "rb_setup.h"

#include <stdio.h>
#include <string.h>

void rb_setup_limits(rb_plugin *p)
{
	/* order rules */
	rb_config(p, "max_order_notional", "\"50000\"");
	rb_config(p, "price_band_bps", "500");
	rb_config(p, "conformity", "true");
	rb_config(p, "self_trade_prevention", "true");
	rb_config(p, "max_open_orders", "1000");
	rb_config(p, "max_orders_per_second", "2000");
	rb_config(p, "max_orders_per_minute", "120000");
	/* post-trade rules, three levels. Positions are 1-20 units (an instrument's
	 * farm and host positions: the sum of two agents); prices 1-1000 USDT. */
	static const char *const level[3] = { "agent", "farm", "host" };
	static const char *const rule[7] = { "_max_position_qty", "_max_position_notional", "_max_gross_exposure",
		"_max_net_exposure", "_max_concentration_bps", "_max_hhi", "_max_leverage" };
	static const char *const value[3][7] = {
		{ "\"60\"", "\"500000\"", "\"5000000\"", "\"5000000\"", "2000", "2500", "\"5\"" },
		{ "\"120\"", "\"1000000\"", "\"20000000\"", "\"20000000\"", "2000", "2500", "\"5\"" },
		{ "\"120\"", "\"2000000\"", "\"40000000\"", "\"40000000\"", "2000", "2500", "\"5\"" },
	};
	static char keys[3][7][48];
	for (int l = 0; l < 3; l++)
		for (int r = 0; r < 7; r++) {
			snprintf(keys[l][r], sizeof keys[l][r], "%s%s", level[l], rule[r]);
			rb_config(p, keys[l][r], value[l][r]);
		}
	/* lists: every kind of entry, none matching the benchmark's intents */
	rb_config(p, "restricted",
		"[\"sim:LUNA-USDT\", \"*:SHIB-USDT\", \"agent:a0=binance:*\", \"farm:f1=sim:S999-USDT\"]");
	rb_config(p, "agent_overrides",
		"[\"a1:max_order_notional=60000\", \"a2:agent_max_hhi=3000\", \"a3:price_band_bps=600\"]");
	rb_config(p, "farm_overrides", "[\"f0:farm_max_gross_exposure=25000000\", \"f1:max_orders_per_second=3000\"]");
	rb_config(p, "instrument_overrides",
		"[\"sim:S007-USDT:agent_max_position_qty=50\", \"sim:S300-USDT:max_order_notional=40000\"]");
}

void rb_setup_var(rb_plugin *p)
{
	rb_config(p, "window", "1000");
	rb_config(p, "min_history", "100");
	rb_config(p, "es_limit_agent", "\"1000000\"");
	rb_config(p, "es_limit_farm", "\"5000000\"");
	rb_config(p, "es_limit_host", "\"10000000\"");
	rb_config(p, "es_limits", "[\"agent:a3=2000000\", \"farm:f1=6000000\"]");
}

void rb_setup_drawdown(rb_plugin *p)
{
	(void)p; /* defaults: agent 10/20/30 %, farm 5/10/15 %, host 3/6/10 % */
}

/* The cheapest instrument: the most units under the order-notional limit. */
static int cheapest(const rb_world *w)
{
	int best = 0;
	for (int i = 1; i < RB_NINST; i++)
		if (w->px[i] < w->px[best])
			best = i;
	return best;
}

static int expect(const char *what, rb_plugin *p, const th_event *ev, int approved, uint32_t reason)
{
	th_risk_verdict v;
	memset(&v, 0, sizeof v);
	int rc = p->risk->check(p->inst, ev, &v);
	int ok = rc == TH_OK && (int)v.approved == approved && (approved || v.reason_code == reason);
	printf("  probe %-9s %-34s %s (reason %u%s%s)\n", p->name, what, ok ? "ok" : "UNEXPECTED", v.reason_code,
		v.message[0] ? ": " : "", v.message);
	return !ok;
}

int rb_probe(rb_world *w, rb_plugin *limits, rb_plugin *var, rb_plugin *drawdown)
{
	th_event ev, probe;
	int bad = 0;
	uint64_t saved = w->rng;
	rb_world_intent(w, &ev, 1);
	w->rng = saved; /* probes do not shift the benchmark's intent sequence */
	bad += expect("ordinary intent approved", limits, &ev, 1, 0);
	bad += expect("ordinary intent approved", var, &ev, 1, 0);
	bad += expect("ordinary intent approved", drawdown, &ev, 1, 0);

	probe = ev;
	th_strlcpy(probe.u.intent.order.symbol, "LUNA-USDT", sizeof probe.u.intent.order.symbol);
	bad += expect("restricted instrument", limits, &probe, 0, TH_RISK_RESTRICTED);

	probe = ev;
	probe.u.intent.order.qty += 1; /* not a multiple of the lot */
	bad += expect("off-lot quantity", limits, &probe, 0, TH_RISK_CONFORMITY);

	probe = ev;
	probe.u.intent.order.price *= 2;
	bad += expect("price 2x last (band 5 %)", limits, &probe, 0, TH_RISK_PRICE_BAND);

	probe = ev;
	probe.u.intent.order.qty = 100000 * 1000000LL; /* 100,000 units */
	bad += expect("notional above max_order_notional", limits, &probe, 0, TH_RISK_NOTIONAL);

	/* 100 units of the cheapest instrument (about 100 USDT): the notional fits
	 * under 50,000, the agent's position (max 60 units) does not */
	int i = cheapest(w);
	probe = ev;
	th_strlcpy(probe.h.symbol, w->symbol[i], sizeof probe.h.symbol);
	th_strlcpy(probe.u.intent.order.symbol, w->symbol[i], sizeof probe.u.intent.order.symbol);
	probe.u.intent.order.price = w->px[i];
	probe.u.intent.order.qty = 100 * 1000000LL;
	bad += expect("agent position above 60 units", limits, &probe, 0, TH_RISK_POSITION);

	probe = ev;
	probe.u.intent.order.qty = 10000000 * 1000000LL; /* 10 M units: ES far above every limit */
	bad += expect("ES of 10 M units above limit", var, &probe, 0, TH_RISK_VAR);
	return bad;
}
