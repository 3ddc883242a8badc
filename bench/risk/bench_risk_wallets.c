/*
 * bench_risk_wallets — what the real host's wallet_stats() costs for the
 * book of bench_risk (1,000 agent positions over 500 instruments, 10 agents
 * in 2 farms), the call the risk plugins make per intent: limits for the
 * agent, farm and host levels, drawdown for the same three scopes.
 *
 * The host answers it with trading_view_wallet_stats() (host/trading/
 * trading_view.c, installed by trading_provider.c): capital_stats_get(),
 * which reads running totals, and a hashed peak. This program books the same
 * positions in the host's capital library (rb_host_book) and times that call.
 *
 * Beside it, in the same run: capital_stats_recompute(), the full
 * recomputation from every position (what every wallet_stats() call cost
 * before the running totals, together with a pass over the positions for
 * gross / net), and a baseline copying the same number of positions out of
 * a flat array and summing their values.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/capital.h"
#include "rb_host.h"
#include "rb_pipeline.h"
#include "rb_stats.h"
#include "rb_world.h"

#define CALLS 200
#define REPS 5

static rb_world g_world;
static th_position g_flat[RB_NINST];

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

static int world_list(void *arg, const char *venue, const void *const known[2], const void *owner[2],
	const th_instrument **list, size_t *n)
{
	(void)arg;
	(void)venue;
	(void)known;
	(void)owner;
	(void)list;
	(void)n;
	return -1; /* instruments are not asked for here */
}

int main(void)
{
	rb_world_init(&g_world, 1);
	capital_t *c = rb_host_book(&g_world);
	trading_view *view = trading_view_create(c, world_list, NULL);
	if (!view) {
		fprintf(stderr, "bench_risk_wallets: out of memory\n");
		return 1;
	}
	for (int i = 0; i < RB_NINST; i++) {
		snprintf(g_flat[i].symbol, sizeof g_flat[i].symbol, "%s", g_world.symbol[i]);
		g_flat[i].qty = (th_qty)(i + 1) * 1000000;
	}
	const char *const wallet[3] = { g_world.agent[0], g_world.farm[0], "total" };
	static int64_t host_ns[CALLS], full_ns[CALLS], base_ns[CALLS];
	double per_intent = 0, per_intent_full = 0;
	volatile th_money sink = 0;
	printf("wallet_stats() as the host answers it (trading_view_wallet_stats: running totals), %d agents x %d"
	       " positions over %d instruments\n",
		RB_NAGENTS, RB_POS_PER_AGENT, RB_NINST);
	printf("  %-8s %9s %12s %18s %14s\n", "wallet", "positions", "host p50 us", "recompute p50 us", "baseline p50");
	for (int w = 0; w < 3; w++) {
		rb_summary host[REPS], full[REPS], base[REPS], hm, fm, bm, lo, hi;
		size_t n = 0;
		for (int r = 0; r < REPS; r++) {
			for (int k = 0; k < CALLS; k++) {
				th_wallet_stats ws;
				capital_stats st;
				int64_t t0 = rb_now_ns();
				trading_view_wallet_stats(view, wallet[w], &ws);
				host_ns[k] = rb_now_ns() - t0;
				n = ws.positions;
				sink += ws.gross_exposure;
				t0 = rb_now_ns();
				capital_stats_recompute(c, wallet[w], &st);
				full_ns[k] = rb_now_ns() - t0;
				if (st.gross_exposure != ws.gross_exposure || st.equity != ws.equity) {
					fprintf(stderr, "bench_risk_wallets: %s: running and recomputed figures differ\n", wallet[w]);
					return 1;
				}
				t0 = rb_now_ns();
				sink += flat_copy(n);
				base_ns[k] = rb_now_ns() - t0;
			}
			host[r] = rb_summarise(host_ns, CALLS);
			full[r] = rb_summarise(full_ns, CALLS);
			base[r] = rb_summarise(base_ns, CALLS);
		}
		rb_median_of(host, REPS, &hm, &lo, &hi);
		rb_median_of(full, REPS, &fm, &lo, &hi);
		rb_median_of(base, REPS, &bm, &lo, &hi);
		printf("  %-8s %9zu %12.3f %18.1f %14.2f\n", wallet[w], n, hm.p50 / 1e3, fm.p50 / 1e3, bm.p50 / 1e3);
		per_intent += 2 * hm.p50; /* limits and drawdown each ask for this wallet once per intent */
		per_intent_full += 2 * fm.p50;
	}
	printf("per intent (limits + drawdown: agent, farm and host wallets each): %.2f us; recomputed each time %.1f us\n",
		per_intent / 1e3, per_intent_full / 1e3);
	(void)sink;
	trading_view_destroy(view);
	capital_destroy(c);
	return 0;
}
