/*
 * limits — check() latency with every rule on and 1,000 open positions in
 * the agent's, the farm's and the host's wallets (HHI sums all of them at
 * each level), 50 resting orders and busy rate windows.
 *
 * Figure: p50 / p99 of check() with the caches warm (steady state between
 * order/fill events). Baseline, measured in the same run: the same checks
 * with cache_max_age_ms = 0, i.e. re-reading every wallet's positions and
 * the open orders on each check (what a cache-less plugin would do).
 * Printed as a ratio. No pass/fail: timing belongs in benchmarks, not tests.
 *
 * The fake host provides config, clock, allocation and bus; this file adds
 * portfolio slots sized for 1,000 positions (the fake portfolio holds 32).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <tradehost/tradehost.h>

#include "fake_host.h"

#define NPOS 1000
#define NORD 50
#define NCHECKS 20000

static th_position g_pos[NPOS];
static th_order g_ord[NORD];
static th_instrument g_ins;
static char g_agent[5][TH_NAME_MAX];

static int sym_index(const char *symbol)
{
	return (symbol[0] == 'S') ? atoi(symbol + 1) : -1;
}

static const th_instrument *b_instrument(th_ctx *ctx, const char *venue, const char *symbol)
{
	(void)ctx;
	(void)venue;
	int i = sym_index(symbol);
	if (i < 0 || i >= NPOS)
		return NULL;
	th_strlcpy(g_ins.symbol, symbol, sizeof g_ins.symbol);
	return &g_ins;
}

static th_price b_last_price(th_ctx *ctx, const char *venue, const char *symbol, int32_t *scale)
{
	(void)ctx;
	(void)venue;
	int i = sym_index(symbol);
	*scale = 2;
	return i >= 0 && i < NPOS ? 10000 + i : 0;
}

static int b_wallet_stats(th_ctx *ctx, const char *wallet, th_wallet_stats *out)
{
	(void)ctx;
	(void)wallet;
	memset(out, 0, sizeof *out);
	out->equity = 100000000LL * 100000000;
	out->gross_exposure = 150000LL * 100000000;
	out->net_exposure = 50000LL * 100000000;
	out->positions = NPOS;
	out->open_orders = NORD;
	return TH_OK;
}

static size_t b_positions(th_ctx *ctx, const char *wallet, th_position *out, size_t cap)
{
	(void)ctx;
	(void)wallet;
	if (cap)
		memcpy(out, g_pos, (cap < NPOS ? cap : NPOS) * sizeof *out);
	return NPOS;
}

static size_t b_open_orders(th_ctx *ctx, const char *agent, th_order *out, char (*agents)[TH_NAME_MAX],
	char (*venues)[TH_VENUE_MAX], size_t cap)
{
	(void)ctx;
	(void)agent;
	for (size_t i = 0; i < NORD && i < cap; i++) {
		out[i] = g_ord[i];
		if (agents)
			memcpy(agents[i], g_agent[i % 5], TH_NAME_MAX);
		if (venues)
			snprintf(venues[i], TH_VENUE_MAX, "sim");
	}
	return NORD;
}

static const char *b_agent_farm(th_ctx *ctx, const char *agent)
{
	(void)ctx;
	(void)agent;
	return "alpha";
}

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static void setup_data(void)
{
	memset(&g_ins, 0, sizeof g_ins);
	th_strlcpy(g_ins.venue, "sim", sizeof g_ins.venue);
	g_ins.price_scale = 2;
	g_ins.qty_scale = 4;
	g_ins.tick = 1;
	g_ins.lot = 1;
	g_ins.min_qty = 1;
	for (int i = 0; i < NPOS; i++) {
		memset(&g_pos[i], 0, sizeof g_pos[i]);
		th_strlcpy(g_pos[i].venue, "sim", sizeof g_pos[i].venue);
		snprintf(g_pos[i].symbol, sizeof g_pos[i].symbol, "S%04d", i);
		g_pos[i].qty = (i % 3 == 0 ? -1 : 1) * (10000 + i * 7);
		g_pos[i].price_scale = 2;
		g_pos[i].qty_scale = 4;
	}
	for (int i = 0; i < 5; i++)
		snprintf(g_agent[i], sizeof g_agent[i], "agent%d", i);
	for (int i = 0; i < NORD; i++) {
		memset(&g_ord[i], 0, sizeof g_ord[i]);
		snprintf(g_ord[i].symbol, sizeof g_ord[i].symbol, "S%04d", 900 + i);
		g_ord[i].side = i % 2 ? TH_SIDE_BUY : TH_SIDE_SELL;
		g_ord[i].type = TH_ORDER_LIMIT;
		g_ord[i].price = 10000;
		g_ord[i].qty = 10000;
		g_ord[i].price_scale = 2;
		g_ord[i].qty_scale = 4;
	}
}

static int64_t g_trade_p50; /* the plugin's trade handler (marks for HHI), last run */

/* Runs NCHECKS checks, each after one trade that moves the mark of a held
 * instrument; fills p50/p99 of check() in ns; returns the approvals. */
static int run(const char *cache_age, int64_t *p50, int64_t *p99)
{
	static int64_t lat[NCHECKS], tlat[NCHECKS];
	fake_host h;
	const th_plugin_desc *d = TH_ENTRY_NAME();
	const th_risk_api *risk = d->kind_api;
	void *inst;
	fake_host_init(&h, "limits", d->config_schema);
	h.api.instrument = b_instrument;
	h.api.last_price = b_last_price;
	h.api.wallet_stats = b_wallet_stats;
	h.api.positions = b_positions;
	h.api.open_orders = b_open_orders;
	h.api.agent_farm = b_agent_farm;
	fake_config(&h, "cache_max_age_ms", cache_age);
	fake_config(&h, "max_order_notional", "1000000");
	fake_config(&h, "price_band_bps", "1000");
	fake_config(&h, "max_open_orders", "1000");
	fake_config(&h, "max_orders_per_second", "100000");
	fake_config(&h, "max_orders_per_minute", "1000000");
	fake_config(&h, "restricted", "[\"sim:LUNA\", \"agent:x=sim:S0001\", \"farm:beta=sim:*\"]");
	fake_config(&h, "agent_overrides", "[\"agent1:max_order_notional=500000\", \"agent2:agent_max_hhi=9000\"]");
	fake_config(&h, "instrument_overrides", "[\"sim:S0500:agent_max_position_qty=100\"]");
	static const char *const lvl[3] = { "agent", "farm", "host" };
	static char keys[3][7][48];
	static const char *const what[7] = { "_max_position_qty", "_max_position_notional", "_max_gross_exposure",
		"_max_net_exposure", "_max_concentration_bps", "_max_hhi", "_max_leverage" };
	static const char *const val[7] = { "1000", "100000000", "100000000", "100000000", "10000", "10000", "10" };
	for (int l = 0; l < 3; l++)
		for (int m = 0; m < 7; m++) {
			snprintf(keys[l][m], sizeof keys[l][m], "%s%s", lvl[l], what[m]);
			fake_config(&h, keys[l][m], val[m]);
		}
	if (d->create(&h.api, fake_ctx(&h), &inst) != TH_OK || d->start(inst) != TH_OK) {
		fprintf(stderr, "create failed: %s\n", h.error);
		exit(1);
	}
	th_event ev;
	memset(&ev, 0, sizeof ev);
	th_event_init(&ev, TH_EV_INTENT);
	th_strlcpy(ev.h.venue, "sim", sizeof ev.h.venue);
	th_strlcpy(ev.h.agent, "agent1", sizeof ev.h.agent);
	th_strlcpy(ev.u.intent.farm, "alpha", sizeof ev.u.intent.farm);
	ev.u.intent.action = TH_INTENT_PLACE;
	th_order *o = &ev.u.intent.order;
	th_strlcpy(o->symbol, "S0500", sizeof o->symbol);
	o->side = TH_SIDE_BUY;
	o->type = TH_ORDER_LIMIT;
	o->price = 10500;
	o->qty = 100;
	o->price_scale = 2;
	o->qty_scale = 4;
	th_event tr;
	memset(&tr, 0, sizeof tr);
	th_event_init(&tr, TH_EV_TRADE);
	th_strlcpy(tr.h.venue, "sim", sizeof tr.h.venue);
	tr.u.trade.price_scale = 2;
	tr.u.trade.qty = 1;
	tr.u.trade.qty_scale = 4;
	int approved = 0;
	for (int i = 0; i < NCHECKS; i++) {
		th_risk_verdict v;
		snprintf(tr.h.symbol, sizeof tr.h.symbol, "S%04d", (i * 7) % NPOS);
		tr.u.trade.price = 10000 + (i * 7) % NPOS + (i % 2 ? 1 : -1);
		int64_t t0 = now_ns();
		fake_deliver(&h, &tr);
		tlat[i] = now_ns() - t0;
		h.now_ns += 1000000; /* 1 ms apart on the host clock */
		ev.u.intent.intent_id = (uint64_t)i + 1;
		int64_t t = now_ns();
		risk->check(inst, &ev, &v);
		lat[i] = now_ns() - t;
		approved += v.approved == 1;
		if (i == 0 && !v.approved)
			fprintf(stderr, "first check denied: %s\n", v.message);
	}
	d->stop(inst);
	d->destroy(inst);
	fake_host_free(&h);
	qsort(lat, NCHECKS, sizeof lat[0], cmp_i64);
	qsort(tlat, NCHECKS, sizeof tlat[0], cmp_i64);
	g_trade_p50 = tlat[NCHECKS / 2];
	*p50 = lat[NCHECKS / 2];
	*p99 = lat[NCHECKS * 99 / 100];
	return approved;
}

/* `limits_bench cached` runs only the cached case (for a profiler). */
int main(int argc, char **argv)
{
	int64_t c50, c99, b50, b99;
	setup_data();
	run("60000", &c50, &c99); /* warm-up */
	int a1 = run("60000", &c50, &c99);
	if (argc > 1 && strcmp(argv[1], "cached") == 0) {
		for (int i = 0; i < 20; i++)
			run("60000", &c50, &c99);
		printf("cached: p50 %.2f us p99 %.2f us (%d approved)\n", c50 / 1e3, c99 / 1e3, a1);
		return 0;
	}
	int64_t trade_p50 = g_trade_p50;
	int a0 = run("0", &b50, &b99);
	printf("limits check(), all rules on, %d positions per wallet x 3 wallets, %d open orders, %d checks\n", NPOS,
		NORD, NCHECKS);
	printf("  cached (steady state):        p50 %7.2f us  p99 %7.2f us  (%d approved)\n", c50 / 1e3, c99 / 1e3, a1);
	printf("  baseline, re-read every check: p50 %7.2f us  p99 %7.2f us  (%d approved)\n", b50 / 1e3, b99 / 1e3, a0);
	printf("  ratio baseline / cached:       p50 %.1fx  p99 %.1fx\n", (double)b50 / (double)c50, (double)b99 / (double)c99);
	printf("  trade event (mark update for HHI, outside check): p50 %.2f us\n", trade_p50 / 1e3);
	return 0;
}
