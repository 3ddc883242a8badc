/*
 * check(): post-trade ES against limits at the agent, farm and host scopes
 * (just inside and just outside each limit), the risk-reducing exception,
 * per-name overrides, market orders at the host's last price, fills moving
 * the precomputed portfolios, and every no-data denial.
 *
 * Reference values are computed here from the recorded closes: returns
 * c_t / c_{t-1} - 1, P&L per scenario = sum of value x return in double, ES by
 * sorting. The plugin rounds each position's term to 1e-8 money, so the two
 * agree within one unit (1e-8) per position; "just inside / outside" is
 * +-3e-8 around the reference.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "var_rig.h"

#define BTC "BTC-USDT"
#define ETH "ETH-USDT"
#define QTY(x) ((th_qty)((x) * 100000000.0 + 0.5))

static const char *const both[2] = { BTC, ETH };

typedef struct book {
	th_qty btc, eth;
} book;

/* Positions used across tests: marcus (farm alpha) long BTC short ETH, sophia
 * (alpha) long ETH, riley (beta) long BTC. */
static const book MARCUS = { 50000000, -1000000000 };   /* 0.5 BTC, -10 ETH */
static const book ALPHA = { 50000000, 1000000000 };     /* + sophia's 20 ETH */
static const book TOTAL = { 150000000, 1000000000 };    /* + riley's 1 BTC */

static void positions(rig *r)
{
	rig_pos(r, "marcus", BTC, MARCUS.btc);
	rig_pos(r, "marcus", ETH, MARCUS.eth);
	rig_pos(r, "sophia", ETH, 2000000000);
	rig_pos(r, "riley", BTC, 100000000);
	rig_pos(r, "alpha", BTC, ALPHA.btc);
	rig_pos(r, "alpha", ETH, ALPHA.eth);
	rig_pos(r, "beta", BTC, 100000000);
	rig_pos(r, "total", BTC, TOTAL.btc);
	rig_pos(r, "total", ETH, TOTAL.eth);
	fake_pf_farm(&r->pf, "marcus", "alpha");
	fake_pf_farm(&r->pf, "sophia", "alpha");
	fake_pf_farm(&r->pf, "riley", "beta");
}

/* Reference post-trade ES over the n newest scenarios. */
static double es_post(rig *r, book b, const char *sym, int side, th_price px, th_qty qty, size_t n)
{
	double pnl[RIG_MAX_BARS];
	double vb = (double)rig_value(b.btc, rig_last(r, BTC)), ve = (double)rig_value(b.eth, rig_last(r, ETH));
	double vi = (double)rig_value(qty, px) * (side == TH_SIDE_BUY ? 1 : -1);
	for (size_t k = 0; k < n; k++) {
		pnl[k] = vb * rig_ret(r, BTC, k) + ve * rig_ret(r, ETH, k);
		if (sym)
			pnl[k] += vi * rig_ret(r, sym, k);
	}
	return rig_es975(pnl, n);
}

static const char *money(char *buf, size_t cap, int64_t v)
{
	assert_true(th_fixed_format(v, TH_MONEY_SCALE, buf, cap) > 0);
	return buf;
}

/* A rig with 61 bars of both instruments (50 scenarios in a 50-bar window,
 * the ring wrapped) and the test positions. */
static void ready(rig *r)
{
	rig_start(r);
	positions(r);
	rig_walk(r, both, 2, RIG_SLOT0, 61);
}

static void limit_case(const char *key, book b, int expect_approve, int64_t offset)
{
	static char lit[64];
	rig r, probe;
	/* first the reference on the same market (the walk is deterministic) */
	rig_init(&probe);
	ready(&probe);
	th_price px = rig_last(&probe, BTC) + 1500; /* a limit buy slightly above the last close */
	th_qty q = QTY(0.25);
	double ref = es_post(&probe, b, BTC, TH_SIDE_BUY, px, q, 50);
	assert_true(ref > 0);
	rig_free(&probe);

	char buf[48];
	snprintf(lit, sizeof lit, "\"%s\"", money(buf, sizeof buf, llround(ref) + offset));
	rig_init(&r);
	fake_config(&r.h, key, lit);
	ready(&r);
	th_risk_verdict v = rig_check(&r, "marcus", "alpha", BTC, TH_SIDE_BUY, px, q);
	if (expect_approve) {
		assert_int_equal(v.approved, 1);
		assert_int_equal(v.reason_code, TH_RISK_APPROVED);
		assert_int_equal(v.max_qty, 0);
	} else {
		assert_int_equal(v.approved, 0);
		assert_int_equal(v.reason_code, TH_RISK_VAR);
		assert_non_null(strstr(v.message, "post-trade ES97.5"));
	}
	assert_int_equal(fake_metric(&r.h, "var_denied_total"), expect_approve ? 0 : 1);
	rig_free(&r);
}

static void test_agent_limit_inside_outside(void **state)
{
	(void)state;
	limit_case("es_limit_agent", MARCUS, 1, +3);
	limit_case("es_limit_agent", MARCUS, 0, -3);
}

static void test_farm_limit_inside_outside(void **state)
{
	(void)state;
	limit_case("es_limit_farm", ALPHA, 1, +3);
	limit_case("es_limit_farm", ALPHA, 0, -3);
}

static void test_host_limit_inside_outside(void **state)
{
	(void)state;
	limit_case("es_limit_host", TOTAL, 1, +3);
	limit_case("es_limit_host", TOTAL, 0, -3);
}

static void test_denial_names_scope(void **state)
{
	(void)state;
	rig r;
	rig_init(&r);
	fake_config(&r.h, "es_limit_farm", "\"0.01\"");
	ready(&r);
	th_risk_verdict v = rig_check(&r, "marcus", "alpha", BTC, TH_SIDE_BUY, 0, QTY(0.1));
	assert_int_equal(v.reason_code, TH_RISK_VAR);
	assert_non_null(strstr(v.message, "farm alpha"));
	assert_non_null(strstr(v.message, "limit 0.01"));
	assert_non_null(strstr(v.message, "50 scenarios"));
	/* riley's farm (beta) has no... it has the same default farm limit */
	v = rig_check(&r, "riley", "beta", BTC, TH_SIDE_BUY, 0, QTY(0.1));
	assert_non_null(strstr(v.message, "farm beta"));
	rig_free(&r);
}

static void test_risk_reducing(void **state)
{
	(void)state;
	for (int allow = 0; allow < 2; allow++) {
		rig r;
		rig_init(&r);
		fake_config(&r.h, "es_limit_host", "\"1\""); /* far below the book's ES */
		fake_config(&r.h, "allow_risk_reducing", allow ? "true" : "false");
		ready(&r);
		th_price px = rig_last(&r, BTC);
		/* selling 0.5 of the 1.5 BTC lowers the ES (checked here first) */
		double pre = es_post(&r, TOTAL, NULL, 0, 0, 0, 50);
		double post = es_post(&r, TOTAL, BTC, TH_SIDE_SELL, px, QTY(0.5), 50);
		assert_true(post < pre && post > 1e8);
		th_risk_verdict v = rig_check(&r, "riley", "beta", BTC, TH_SIDE_SELL, px, QTY(0.5));
		assert_int_equal(v.approved, allow ? 1 : 0);
		/* buying more raises it: denied either way */
		v = rig_check(&r, "riley", "beta", BTC, TH_SIDE_BUY, px, QTY(0.5));
		assert_int_equal(v.approved, 0);
		assert_int_equal(v.reason_code, TH_RISK_VAR);
		rig_free(&r);
	}
}

static void test_overrides(void **state)
{
	(void)state;
	rig r;
	rig_init(&r);
	/* agents default to a tiny limit; marcus is exempt, sophia gets a huge one */
	fake_config(&r.h, "es_limit_agent", "\"0.5\"");
	fake_config(&r.h, "es_limits", "[\"agent:marcus=0\", \"agent:sophia=1000000\"]");
	ready(&r);
	assert_int_equal(rig_check(&r, "marcus", "alpha", BTC, TH_SIDE_BUY, 0, QTY(1)).approved, 1);
	assert_int_equal(rig_check(&r, "sophia", "alpha", BTC, TH_SIDE_BUY, 0, QTY(1)).approved, 1);
	th_risk_verdict v = rig_check(&r, "riley", "beta", BTC, TH_SIDE_BUY, 0, QTY(1));
	assert_int_equal(v.approved, 0);
	assert_non_null(strstr(v.message, "agent riley"));
	rig_free(&r);
}

static void test_market_order_at_last_price(void **state)
{
	(void)state;
	static char lit[64];
	for (int inside = 0; inside < 2; inside++) {
		rig probe, r;
		rig_init(&probe);
		ready(&probe);
		th_price last = rig_last(&probe, BTC) * 2; /* the host's last trade, far from our close */
		double ref = es_post(&probe, MARCUS, BTC, TH_SIDE_BUY, last, QTY(1), 50);
		rig_free(&probe);
		char buf[48];
		snprintf(lit, sizeof lit, "%s", money(buf, sizeof buf, llround(ref) + (inside ? 3 : -3)));
		rig_init(&r);
		fake_config(&r.h, "es_limit_agent", lit);
		ready(&r);
		fake_pf_price(&r.pf, "sim", BTC, last, 2);
		assert_int_equal(rig_check(&r, "marcus", "alpha", BTC, TH_SIDE_BUY, 0, QTY(1)).approved, inside);
		rig_free(&r);
	}
}

static void test_fill_moves_portfolio(void **state)
{
	(void)state;
	static char lit[64];
	rig r;
	rig_init(&r);
	/* a limit between the ES of 0.5 BTC and of 2.5 BTC (agent scope) */
	rig probe;
	rig_init(&probe);
	ready(&probe);
	book small = { QTY(0.5), 0 }, big = { QTY(2.5), 0 };
	double lo = es_post(&probe, small, BTC, TH_SIDE_BUY, rig_last(&probe, BTC), QTY(0.01), 50);
	double hi = es_post(&probe, big, BTC, TH_SIDE_BUY, rig_last(&probe, BTC), QTY(0.01), 50);
	rig_free(&probe);
	char buf[48];
	snprintf(lit, sizeof lit, "%s", money(buf, sizeof buf, llround((lo + hi) / 2)));
	fake_config(&r.h, "es_limit_agent", lit);
	rig_start(&r);
	rig_walk(&r, both, 2, RIG_SLOT0, 61);
	rig_pos(&r, "ana", BTC, QTY(0.5));
	rig_fill(&r, "ana", BTC);
	th_price px = rig_last(&r, BTC);
	assert_int_equal(rig_check(&r, "ana", "", BTC, TH_SIDE_BUY, px, QTY(0.01)).approved, 1);
	/* the ledger moves; until the fill event arrives the plugin still holds 0.5 */
	rig_pos(&r, "ana", BTC, QTY(2.5));
	assert_int_equal(rig_check(&r, "ana", "", BTC, TH_SIDE_BUY, px, QTY(0.01)).approved, 1);
	rig_fill(&r, "ana", BTC);
	assert_int_equal(rig_check(&r, "ana", "", BTC, TH_SIDE_BUY, px, QTY(0.01)).approved, 0);
	/* flat again */
	rig_pos(&r, "ana", BTC, 0);
	rig_fill(&r, "ana", BTC);
	assert_int_equal(rig_check(&r, "ana", "", BTC, TH_SIDE_BUY, px, QTY(0.01)).approved, 1);
	rig_free(&r);
}

static void test_sync_on_check(void **state)
{
	(void)state;
	rig r;
	rig_init(&r);
	fake_config(&r.h, "es_limit_agent", "\"100\"");
	fake_config(&r.h, "sync_on_check", "true");
	rig_start(&r);
	rig_walk(&r, both, 2, RIG_SLOT0, 61);
	th_price px = rig_last(&r, BTC);
	assert_int_equal(rig_check(&r, "ana", "", BTC, TH_SIDE_BUY, px, QTY(0.001)).approved, 1);
	rig_pos(&r, "ana", BTC, QTY(10)); /* no fill event: read anyway */
	assert_int_equal(rig_check(&r, "ana", "", BTC, TH_SIDE_BUY, px, QTY(0.001)).approved, 0);
	rig_free(&r);
}

static void expect_nodata(rig *r, const char *agent, const char *sym, const char *needle)
{
	th_risk_verdict v = rig_check(r, agent, "alpha", sym, TH_SIDE_BUY, 0, QTY(0.01));
	assert_int_equal(v.approved, 0);
	assert_int_equal(v.reason_code, TH_RISK_NO_DATA);
	if (!strstr(v.message, needle))
		fail_msg("message \"%s\" lacks \"%s\"", v.message, needle);
}

static void test_no_data_unknown_instrument(void **state)
{
	(void)state;
	rig r;
	rig_init(&r);
	fake_config(&r.h, "es_limit_host", "\"1000000\"");
	rig_start(&r);
	expect_nodata(&r, "marcus", BTC, "no recent bars"); /* nothing at all yet */
	rig_walk(&r, both, 2, RIG_SLOT0, 61);
	expect_nodata(&r, "marcus", "SOL-USDT", "no bars seen for sim:SOL-USDT");
	assert_int_equal(fake_metric(&r.h, "var_nodata_total"), 2);
	assert_int_equal(rig_check(&r, "marcus", "alpha", BTC, TH_SIDE_BUY, 0, QTY(0.01)).approved, 1);
	rig_free(&r);
}

static void test_no_data_short_history(void **state)
{
	(void)state;
	rig r;
	rig_init(&r);
	fake_config(&r.h, "es_limit_host", "\"1000000\"");
	rig_start(&r);
	/* 20 bars = 19 returns: one short of min_history 20 */
	rig_walk(&r, both, 2, RIG_SLOT0, 20);
	expect_nodata(&r, "marcus", BTC, "19 usable bars of history, 20 needed");
	rig_walk(&r, both, 2, RIG_SLOT0 + 20, 1);
	assert_int_equal(rig_check(&r, "marcus", "alpha", BTC, TH_SIDE_BUY, 0, QTY(0.01)).approved, 1);
	rig_free(&r);
}

static void test_no_data_in_portfolio(void **state)
{
	(void)state;
	rig r;
	rig_init(&r);
	fake_config(&r.h, "es_limit_agent", "\"1000000\"");
	rig_start(&r);
	/* BTC has 40 bars of history, ETH (held by marcus) only its last 10 */
	const char *const btc[1] = { BTC };
	rig_walk(&r, btc, 1, RIG_SLOT0, 30);
	rig_walk(&r, both, 2, RIG_SLOT0 + 30, 10);
	rig_pos(&r, "marcus", ETH, QTY(-1));
	rig_fill(&r, "marcus", ETH);
	expect_nodata(&r, "marcus", BTC, "ETH-USDT in the agent marcus portfolio has 9 usable bars");
	/* an agent without ETH may trade BTC */
	assert_int_equal(rig_check(&r, "sophia", "alpha", BTC, TH_SIDE_BUY, 0, QTY(0.01)).approved, 1);
	rig_free(&r);
}

static void test_no_data_stale(void **state)
{
	(void)state;
	rig r;
	rig_init(&r);
	fake_config(&r.h, "es_limit_host", "\"1000000\"");
	fake_config(&r.h, "publish_ms", "3600000");
	rig_start(&r);
	rig_walk(&r, both, 2, RIG_SLOT0, 61);
	assert_int_equal(rig_check(&r, "marcus", "alpha", ETH, TH_SIDE_BUY, 0, QTY(0.01)).approved, 1);
	/* ETH misses 4 bars (max_stale_bars 3) while BTC goes on */
	const char *const btc[1] = { BTC };
	rig_walk(&r, btc, 1, RIG_SLOT0 + 61, 3);
	assert_int_equal(rig_check(&r, "marcus", "alpha", ETH, TH_SIDE_BUY, 0, QTY(0.01)).approved, 1);
	rig_walk(&r, btc, 1, RIG_SLOT0 + 64, 1);
	expect_nodata(&r, "marcus", ETH, "ETH-USDT has 0 usable bars");
	/* it comes back: a gap of 4 > 3 restarts its history */
	rig_walk(&r, both, 2, RIG_SLOT0 + 65, 1);
	expect_nodata(&r, "marcus", ETH, "has 0 usable bars");
	rig_walk(&r, both, 2, RIG_SLOT0 + 66, 19);
	expect_nodata(&r, "marcus", ETH, "has 19 usable bars");
	rig_walk(&r, both, 2, RIG_SLOT0 + 85, 1);
	assert_int_equal(rig_check(&r, "marcus", "alpha", ETH, TH_SIDE_BUY, 0, QTY(0.01)).approved, 1);
	/* the whole feed stops: 4 bar intervals later nothing is measurable */
	fake_advance_to(&r.h, r.h.now_ns + 3 * RIG_INTERVAL);
	assert_int_equal(rig_check(&r, "marcus", "alpha", BTC, TH_SIDE_BUY, 0, QTY(0.01)).approved, 1);
	fake_advance_to(&r.h, r.h.now_ns + RIG_INTERVAL);
	expect_nodata(&r, "marcus", BTC, "no recent bars");
	rig_free(&r);
}

static void test_cancel_and_measure_only(void **state)
{
	(void)state;
	rig r;
	rig_init(&r);
	rig_start(&r); /* no limit at all: figures only */
	th_risk_verdict v = rig_check(&r, "marcus", "alpha", "SOL-USDT", TH_SIDE_BUY, 0, QTY(1));
	assert_int_equal(v.approved, 1);
	rig_free(&r);

	rig_init(&r);
	fake_config(&r.h, "es_limit_host", "\"1\"");
	rig_start(&r);
	th_event ev;
	th_event_init(&ev, TH_EV_INTENT);
	memset(&ev.u.intent, 0, sizeof ev.u.intent);
	ev.u.intent.action = TH_INTENT_CANCEL_ALL;
	th_strlcpy(ev.h.agent, "marcus", sizeof ev.h.agent);
	assert_int_equal(r.risk->check(r.inst, &ev, &v), TH_OK);
	assert_int_equal(v.approved, 1);
	/* a PLACE with nonsense side is an error, not an approval */
	rig_walk(&r, both, 2, RIG_SLOT0, 61);
	v = rig_check(&r, "marcus", "alpha", BTC, 7, 0, QTY(1));
	assert_int_equal(v.approved, 0);
	assert_int_equal(v.reason_code, TH_RISK_ERROR);
	rig_free(&r);
}

static long alloc_calls;
static void *(*real_alloc)(th_ctx *, size_t);
static void *counting_alloc(th_ctx *ctx, size_t size)
{
	alloc_calls++;
	return real_alloc(ctx, size);
}

static void test_no_allocation_per_check(void **state)
{
	(void)state;
	rig r;
	rig_init(&r);
	fake_config(&r.h, "es_limit_host", "\"1000000\"");
	fake_config(&r.h, "es_limit_agent", "\"1000000\"");
	fake_config(&r.h, "es_limit_farm", "\"1000000\"");
	ready(&r);
	assert_int_equal(rig_check(&r, "marcus", "alpha", BTC, TH_SIDE_BUY, 0, QTY(0.1)).approved, 1);
	real_alloc = r.h.api.alloc;
	r.h.api.alloc = counting_alloc;
	alloc_calls = 0;
	for (int i = 0; i < 100; i++)
		assert_int_equal(rig_check(&r, "marcus", "alpha", i % 2 ? BTC : ETH, TH_SIDE_BUY, 0, QTY(0.1)).approved, 1);
	assert_int_equal(alloc_calls, 0);
	r.h.api.alloc = real_alloc;
	rig_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_agent_limit_inside_outside),
		cmocka_unit_test(test_farm_limit_inside_outside),
		cmocka_unit_test(test_host_limit_inside_outside),
		cmocka_unit_test(test_denial_names_scope),
		cmocka_unit_test(test_risk_reducing),
		cmocka_unit_test(test_overrides),
		cmocka_unit_test(test_market_order_at_last_price),
		cmocka_unit_test(test_fill_moves_portfolio),
		cmocka_unit_test(test_sync_on_check),
		cmocka_unit_test(test_no_data_unknown_instrument),
		cmocka_unit_test(test_no_data_short_history),
		cmocka_unit_test(test_no_data_in_portfolio),
		cmocka_unit_test(test_no_data_stale),
		cmocka_unit_test(test_cancel_and_measure_only),
		cmocka_unit_test(test_no_allocation_per_check),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
