/*
 * bench_risk_wallets — what the real host's wallet_stats() costs for the
 * book of bench_risk (1,000 agent positions over 500 instruments, 10 agents
 * in 2 farms), the call the risk plugins make per intent: limits for the
 * agent, farm and host levels, drawdown for the same three scopes.
 *
 * bench_risk runs the plugins on the fake host, whose wallet_stats() is a
 * table read. The host answers it in host/trading/trading_provider.c
 * (pv_wallet_stats): capital_stats_get() plus capital_positions() of the
 * wallet (for gross / net exposure). This program books the same positions
 * in the host's capital library (host/ledger) and times that pair of calls,
 * which is what pv_wallet_stats does (it is static, so it is not called
 * itself; its own extra work is a short linear peak lookup).
 *
 * Baseline, in the same run: copying the same number of positions out of a
 * flat array and summing their values (the least a wallet_stats() that
 * derives gross / net from the positions must cost). Printed as a ratio.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/capital.h"
#include "rb_pipeline.h"
#include "rb_stats.h"
#include "rb_world.h"

#define CALLS 200
#define REPS 5
#define USDT 100000000LL

static rb_world g_world;
static capital_position g_scratch[4096];
static th_position g_flat[RB_NINST];

static void die(const char *what, const char *err)
{
	fprintf(stderr, "bench_risk_wallets: %s: %s\n", what, err);
	exit(1);
}

/* The capital hierarchy of rb_world: farms, agents, their cash, and every
 * agent position booked as a fill at the instrument's price. */
static capital_t *book(void)
{
	char err[256];
	capital_t *c = capital_create("USDT", err, sizeof err);
	if (!c)
		die("capital_create", err);
	capital_deposit(c, 100000000 * USDT);
	for (int f = 0; f < RB_NFARMS; f++)
		if (capital_add_farm(c, g_world.farm[f], err, sizeof err) != TH_OK ||
			capital_allocate(c, "master", g_world.farm[f], 40000000 * USDT, err, sizeof err) != TH_OK)
			die(g_world.farm[f], err);
	for (int a = 0; a < RB_NAGENTS; a++) {
		const char *farm = g_world.farm[a / RB_AGENTS_PER_FARM];
		if (capital_add_agent(c, g_world.agent[a], farm, err, sizeof err) != TH_OK ||
			capital_allocate(c, farm, g_world.agent[a], 5000000 * USDT, err, sizeof err) != TH_OK)
			die(g_world.agent[a], err);
		for (int k = 0; k < RB_POS_PER_AGENT; k++) {
			int i = g_world.held[a][k];
			th_qty q = g_world.qty[a][k];
			th_fill fill;
			memset(&fill, 0, sizeof fill);
			snprintf(fill.client_order_id, sizeof fill.client_order_id, "%s-%d", g_world.agent[a], k);
			snprintf(fill.venue_trade_id, sizeof fill.venue_trade_id, "t-%s-%d", g_world.agent[a], k);
			fill.side = q > 0 ? TH_SIDE_BUY : TH_SIDE_SELL;
			fill.price = g_world.px[i];
			fill.qty = q > 0 ? q : -q;
			fill.price_scale = RB_PRICE_SCALE;
			fill.qty_scale = RB_QTY_SCALE;
			if (capital_fill_unreserved(c, g_world.agent[a], &g_world.pf.instruments[i], &fill, 1, err, sizeof err) !=
				TH_OK)
				die("capital_fill_unreserved", err);
		}
	}
	return c;
}

/* pv_wallet_stats' work: the figures, then every position (gross / net). */
static size_t host_wallet_stats(const capital_t *c, const char *wallet, th_money *gross)
{
	capital_stats st;
	if (capital_stats_get(c, wallet, &st) != TH_OK)
		return 0;
	size_t n = capital_positions(c, wallet, 0, g_scratch, sizeof g_scratch / sizeof g_scratch[0]);
	*gross = 0;
	for (size_t i = 0; i < n; i++)
		*gross += g_scratch[i].value < 0 ? -g_scratch[i].value : g_scratch[i].value;
	return n;
}

/* Baseline: copy n positions out of a flat array and sum their values. */
static th_money flat_copy(size_t n)
{
	static th_position out[RB_NINST];
	th_money gross = 0;
	memcpy(out, g_flat, n * sizeof *out);
	for (size_t i = 0; i < n; i++) {
		th_money v = 0;
		th_notional(g_world.px[i], RB_PRICE_SCALE, out[i].qty, RB_QTY_SCALE, &v);
		gross += v < 0 ? -v : v;
	}
	return gross;
}

int main(void)
{
	rb_world_init(&g_world, 1);
	capital_t *c = book();
	for (int i = 0; i < RB_NINST; i++) {
		snprintf(g_flat[i].symbol, sizeof g_flat[i].symbol, "%s", g_world.symbol[i]);
		g_flat[i].qty = (th_qty)(i + 1) * 1000000;
	}
	const char *const wallet[3] = { g_world.agent[0], g_world.farm[0], "total" };
	static int64_t host_ns[CALLS], base_ns[CALLS];
	double per_intent = 0, per_intent_base = 0;
	volatile th_money sink = 0;
	printf("wallet_stats() as the host answers it (capital_stats_get + capital_positions), %d agents x %d positions"
	       " over %d instruments\n",
		RB_NAGENTS, RB_POS_PER_AGENT, RB_NINST);
	printf("  %-8s %9s %14s %14s %8s\n", "wallet", "positions", "host p50 us", "baseline p50", "ratio");
	for (int w = 0; w < 3; w++) {
		rb_summary host[REPS], base[REPS], hm, bm, lo, hi;
		size_t n = 0;
		for (int r = 0; r < REPS; r++) {
			for (int k = 0; k < CALLS; k++) {
				th_money g = 0;
				int64_t t0 = rb_now_ns();
				n = host_wallet_stats(c, wallet[w], &g);
				host_ns[k] = rb_now_ns() - t0;
				sink += g;
				t0 = rb_now_ns();
				sink += flat_copy(n);
				base_ns[k] = rb_now_ns() - t0;
			}
			host[r] = rb_summarise(host_ns, CALLS);
			base[r] = rb_summarise(base_ns, CALLS);
		}
		rb_median_of(host, REPS, &hm, &lo, &hi);
		rb_median_of(base, REPS, &bm, &lo, &hi);
		printf("  %-8s %9zu %14.1f %14.2f %7.0fx\n", wallet[w], n, hm.p50 / 1e3, bm.p50 / 1e3, hm.p50 / bm.p50);
		per_intent += 2 * hm.p50; /* limits and drawdown each ask for this wallet once per intent */
		per_intent_base += 2 * bm.p50;
	}
	printf("per intent (limits + drawdown: agent, farm and host wallets each): %.1f us, baseline %.2f us\n",
		per_intent / 1e3, per_intent_base / 1e3);
	(void)sink;
	capital_destroy(c);
	return 0;
}
