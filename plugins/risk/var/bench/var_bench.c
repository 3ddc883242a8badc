/*
 * var_bench — latency of the var plugin's check() at the size the risk brief
 * sets as the target: 1,000 open positions, a 1,000-scenario ES, and three
 * scopes (agent, farm, host) limited, so each check computes three
 * post-trade ES. Also the cost of a bar (returns + revaluation of the
 * precomputed portfolios).
 *
 * Baseline, measured in the same run: three plain passes over a
 * 1,000-entry int64 vector (a sum), the least any scenario-based ES of three
 * scopes can cost. The figure is printed beside it as a ratio.
 *
 * Runs the plugin in-process on the fake host (tests/support), with the
 * positions() view replaced by one serving 1,000 positions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fake_host.h"
#include "fake_portfolio.h"

#define NINST 1000
#define WINDOW 1000
#define NBARS (WINDOW + 1)
#ifndef NCHECKS
#define NCHECKS 200000
#endif
#define INTERVAL 60000000000LL
#define SLOT0 28333334LL

static th_position total[NINST], farm[100], agent[10];

static size_t bench_positions(th_ctx *ctx, const char *wallet, th_position *out, size_t cap)
{
	(void)ctx;
	const th_position *src = total;
	size_t n = NINST;
	if (strcmp(wallet, "f") == 0) {
		src = farm;
		n = 100;
	} else if (strcmp(wallet, "a") == 0) {
		src = agent;
		n = 10;
	} else if (strcmp(wallet, "total") != 0) {
		return 0;
	}
	for (size_t i = 0; i < n && i < cap; i++)
		out[i] = src[i];
	return n;
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
	return (x > y) - (x < y);
}

static uint64_t seed = 7;
static uint64_t rnd(void)
{
	seed = seed * 6364136223846793005ull + 1442695040888963407ull;
	return seed >> 33;
}

static void symbol_of(char *buf, size_t cap, size_t i)
{
	snprintf(buf, cap, "S%04zu-USDT", i);
}

int main(void)
{
	const th_plugin_desc *desc = TH_ENTRY_NAME();
	const th_risk_api *risk = desc->kind_api;
	static fake_host h;
	static fake_portfolio pf;
	fake_host_init(&h, "var", desc->config_schema);
	fake_portfolio_attach(&h, &pf);
	h.api.positions = bench_positions;
	fake_config(&h, "window", "1000");
	fake_config(&h, "min_history", "100");
	fake_config(&h, "max_instruments", "1024");
	fake_config(&h, "publish_ms", "86400000");
	fake_config(&h, "es_limit_host", "\"100000000\"");
	fake_config(&h, "es_limit_farm", "\"100000000\"");
	fake_config(&h, "es_limit_agent", "\"100000000\"");
	fake_pf_farm(&pf, "a", "f");
	for (size_t i = 0; i < NINST; i++) {
		th_position *p = &total[i];
		th_strlcpy(p->venue, "sim", sizeof p->venue);
		symbol_of(p->symbol, sizeof p->symbol, i);
		p->qty = (th_qty)(rnd() % 1000 + 1) * 1000000 * ((i & 1) ? -1 : 1);
		p->price_scale = 2;
		p->qty_scale = 8;
		if (i < 100)
			farm[i] = *p;
		if (i < 10)
			agent[i] = *p;
	}
	void *inst;
	if (desc->create(&h.api, fake_ctx(&h), &inst) != TH_OK || desc->start(inst) != TH_OK) {
		fprintf(stderr, "var_bench: create/start failed: %s\n", h.error);
		return 1;
	}

	/* bars: 1,001 per instrument, the host holding all of them */
	static th_price px[NINST];
	for (size_t i = 0; i < NINST; i++)
		px[i] = 100000 + (th_price)(rnd() % 100000);
	th_event ev;
	th_event_init(&ev, TH_EV_BAR);
	th_strlcpy(ev.h.venue, "sim", sizeof ev.h.venue);
	memset(&ev.u.bar, 0, sizeof ev.u.bar);
	ev.u.bar.interval_ns = INTERVAL;
	ev.u.bar.price_scale = 2;
	int64_t t0 = now_ns();
	for (int64_t k = 0; k < NBARS; k++) {
		fake_advance_to(&h, (SLOT0 + k + 1) * INTERVAL);
		for (size_t i = 0; i < NINST; i++) {
			px[i] += (th_price)(rnd() % 2001) - 1000;
			if (px[i] < 1000)
				px[i] = 1000;
			symbol_of(ev.h.symbol, sizeof ev.h.symbol, i);
			ev.u.bar.open_time_ns = (SLOT0 + k) * INTERVAL;
			ev.u.bar.close = px[i];
			fake_deliver(&h, &ev);
		}
	}
	double bar_us = (double)(now_ns() - t0) / 1000.0 / ((double)NBARS * NINST);

	/* checks: agent "a" of farm "f", random instrument and side, limit orders */
	th_event in;
	th_event_init(&in, TH_EV_INTENT);
	memset(&in.u.intent, 0, sizeof in.u.intent);
	th_strlcpy(in.h.venue, "sim", sizeof in.h.venue);
	th_strlcpy(in.h.agent, "a", sizeof in.h.agent);
	th_strlcpy(in.u.intent.farm, "f", sizeof in.u.intent.farm);
	in.u.intent.action = TH_INTENT_PLACE;
	in.u.intent.order.type = TH_ORDER_LIMIT;
	in.u.intent.order.price_scale = 2;
	in.u.intent.order.qty_scale = 8;
	static int64_t lat[NCHECKS];
	size_t approved = 0;
	for (size_t c = 0; c < NCHECKS; c++) {
		size_t i = rnd() % NINST;
		th_order *o = &in.u.intent.order;
		symbol_of(o->symbol, sizeof o->symbol, i);
		o->side = (rnd() & 1) ? TH_SIDE_BUY : TH_SIDE_SELL;
		o->price = px[i];
		o->qty = (th_qty)(rnd() % 100 + 1) * 1000000;
		th_risk_verdict v;
		int64_t a = now_ns();
		risk->check(inst, &in, &v);
		lat[c] = now_ns() - a;
		approved += v.approved;
	}
	qsort(lat, NCHECKS, sizeof lat[0], cmp_i64);

	/* baseline: three plain passes over a 1,000-entry vector */
	static int64_t vec[WINDOW], base[NCHECKS / 10];
	for (size_t i = 0; i < WINDOW; i++)
		vec[i] = (int64_t)rnd();
	volatile int64_t sink = 0;
	for (size_t c = 0; c < NCHECKS / 10; c++) {
		int64_t a = now_ns(), s = 0;
		for (int pass = 0; pass < 3; pass++)
			for (size_t i = 0; i < WINDOW; i++)
				s += vec[i] ^ (int64_t)c;
		sink += s;
		base[c] = now_ns() - a;
	}
	qsort(base, NCHECKS / 10, sizeof base[0], cmp_i64);
	(void)sink;

	double p50 = (double)lat[NCHECKS / 2] / 1000.0, p99 = (double)lat[NCHECKS * 99 / 100] / 1000.0;
	double b50 = (double)base[NCHECKS / 20] / 1000.0;
	printf("var check, %d positions, %d-scenario ES, 3 scopes: p50 %.2f us  p99 %.2f us  max %.2f us (%zu/%d approved)\n",
		NINST, WINDOW, p50, p99, (double)lat[NCHECKS - 1] / 1000.0, approved, NCHECKS);
	printf("baseline (3 passes over %d int64): p50 %.2f us   ratio check p50 / baseline p50 = %.1f\n", WINDOW, b50,
		p50 / b50);
	printf("bar: %.2f us per bar with the host holding all %d instruments (window %d)\n", bar_us, NINST, WINDOW);
	desc->stop(inst);
	desc->destroy(inst);
	fake_host_free(&h);
	return 0;
}
