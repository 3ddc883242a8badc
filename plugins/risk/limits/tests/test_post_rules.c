/*
 * limits — post-trade rules per wallet level (agent, farm, host), each with
 * an intent just inside and just outside its limit; orders that reduce a
 * figure pass even when it is over the limit; missing prices or wallet
 * figures deny with NO_DATA.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "lim_rig.h"

static void start_ok(rig *r)
{
	int rc = rig_start(r);
	if (rc != TH_OK)
		fail_msg("create failed (%d): %s", rc, r->h.error);
}

static void pos(rig *r, const char *wallet, const char *symbol, double qty)
{
	fake_pf_position(&r->pf, wallet, "sim", symbol, QTY(qty), 0, PS, QS);
}

static const char *message(rig *r, const th_event *e)
{
	static th_risk_verdict v;
	v = rig_check(r, e);
	return v.message;
}

/* ------------------------------------------------------------- position */

static void test_position_qty_agent(void **state)
{
	(void)state;
	rig r;
	rig_init(&r);
	fake_config(&r.h, "agent_max_position_qty", "0.5");
	pos(&r, "marcus", "BTCUSDT", 0.3);
	pos(&r, "alex", "BTCUSDT", 0.7); /* already over the limit */
	start_ok(&r);

	th_event e = rig_market(&r, "marcus", TH_SIDE_BUY, QTY(0.2));
	rig_expect_deny(&r, &e, TH_RISK_NO_DATA); /* cannot value without a price */
	fake_pf_price(&r.pf, "sim", "BTCUSDT", PX(20000), PS);
	rig_expect_ok(&r, &e);
	e = rig_market(&r, "marcus", TH_SIDE_BUY, QTY(0.2001));
	rig_expect_deny(&r, &e, TH_RISK_POSITION);
	assert_non_null(strstr(message(&r, &e), "agent_max_position_qty: |position| of agent marcus in sim:BTCUSDT would be 0.5001 (max 0.5)"));
	e = rig_market(&r, "marcus", TH_SIDE_SELL, QTY(0.8)); /* to -0.5 */
	rig_expect_ok(&r, &e);
	e = rig_market(&r, "marcus", TH_SIDE_SELL, QTY(0.8001));
	rig_expect_deny(&r, &e, TH_RISK_POSITION);
	/* a fresh instrument starts flat */
	e = rig_intent(&r, "marcus", "ETHUSDT", TH_SIDE_BUY, TH_ORDER_LIMIT, PX(2000), QTY(0.5));
	fake_pf_price(&r.pf, "sim", "ETHUSDT", PX(2000), PS);
	rig_expect_ok(&r, &e);
	e.u.intent.order.qty = QTY(0.5001);
	rig_expect_deny(&r, &e, TH_RISK_POSITION);

	/* over the limit: reducing passes, growing does not */
	e = rig_market(&r, "alex", TH_SIDE_SELL, QTY(0.1));
	rig_expect_ok(&r, &e);
	e = rig_market(&r, "alex", TH_SIDE_BUY, QTY(0.0001));
	rig_expect_deny(&r, &e, TH_RISK_POSITION);
	e = rig_market(&r, "alex", TH_SIDE_SELL, QTY(1.3)); /* 0.7 long -> 0.6 short: smaller */
	rig_expect_ok(&r, &e);
	e = rig_market(&r, "alex", TH_SIDE_SELL, QTY(1.4001));
	rig_expect_deny(&r, &e, TH_RISK_POSITION);
	rig_end(&r);
}

static void test_position_notional(void **state)
{
	(void)state;
	rig r;
	rig_init(&r);
	fake_pf_price(&r.pf, "sim", "BTCUSDT", PX(20000), PS);
	fake_config(&r.h, "agent_max_position_notional", "10000");
	fake_config(&r.h, "instrument_overrides", "[\"sim:ETHUSDT:agent_max_position_notional=2000\"]");
	fake_pf_price(&r.pf, "sim", "ETHUSDT", PX(2000), PS);
	start_ok(&r);
	/* valued at the last price, not at the limit price */
	th_event e = rig_limit(&r, "marcus", TH_SIDE_BUY, PX(19000), QTY(0.5));
	rig_expect_ok(&r, &e);
	e = rig_limit(&r, "marcus", TH_SIDE_BUY, PX(19000), QTY(0.5001));
	rig_expect_deny(&r, &e, TH_RISK_POSITION);
	assert_non_null(strstr(message(&r, &e), "would be 10002 (max 10000)"));
	e = rig_intent(&r, "marcus", "ETHUSDT", TH_SIDE_SELL, TH_ORDER_MARKET, 0, QTY(1));
	rig_expect_ok(&r, &e);
	e.u.intent.order.qty = QTY(1.0001);
	rig_expect_deny(&r, &e, TH_RISK_POSITION);
	/* over the limit after a price move: reducing passes, growing does not */
	pos(&r, "alex", "BTCUSDT", 0.6); /* 12000 */
	e = rig_market(&r, "alex", TH_SIDE_SELL, QTY(0.05));
	rig_expect_ok(&r, &e);
	e = rig_market(&r, "alex", TH_SIDE_BUY, QTY(0.0001));
	rig_expect_deny(&r, &e, TH_RISK_POSITION);
	rig_end(&r);
}

/* Farm and host wallets are checked after the agent's, each with its own limit. */
static void test_position_farm_and_host(void **state)
{
	(void)state;
	rig r;
	rig_init(&r);
	fake_pf_price(&r.pf, "sim", "BTCUSDT", PX(20000), PS);
	fake_config(&r.h, "farm_max_position_qty", "1");
	fake_config(&r.h, "host_max_position_qty", "2");
	fake_config(&r.h, "instrument_overrides", "[\"sim:ETHUSDT:host_max_position_qty=5\"]");
	pos(&r, "alpha", "BTCUSDT", 0.9);
	pos(&r, "total", "BTCUSDT", 1.95);
	start_ok(&r);
	th_event e = rig_market(&r, "marcus", TH_SIDE_BUY, QTY(0.05));
	rig_expect_ok(&r, &e);
	e = rig_market(&r, "marcus", TH_SIDE_BUY, QTY(0.0501)); /* farm 0.9501 ok, host 2.0001 */
	rig_expect_deny(&r, &e, TH_RISK_POSITION);
	assert_non_null(strstr(message(&r, &e), "host_max_position_qty: |position| of host"));
	e = rig_market(&r, "marcus", TH_SIDE_BUY, QTY(0.1001)); /* farm first */
	rig_expect_deny(&r, &e, TH_RISK_POSITION);
	assert_non_null(strstr(message(&r, &e), "farm_max_position_qty: |position| of farm alpha"));
	e = rig_market(&r, "sophia", TH_SIDE_BUY, QTY(0.0501)); /* beta holds nothing; the host does */
	rig_expect_deny(&r, &e, TH_RISK_POSITION);
	e = rig_market(&r, "sophia", TH_SIDE_BUY, QTY(0.05));
	rig_expect_ok(&r, &e);
	/* an agent without a farm: only agent and host levels */
	e = rig_market(&r, "loner", TH_SIDE_BUY, QTY(0.05));
	rig_expect_ok(&r, &e);
	/* the per-instrument override of the host limit */
	fake_pf_price(&r.pf, "sim", "ETHUSDT", PX(2000), PS);
	e = rig_intent(&r, "loner", "ETHUSDT", TH_SIDE_BUY, TH_ORDER_MARKET, 0, QTY(5));
	rig_expect_ok(&r, &e);
	e.u.intent.order.qty = QTY(5.0001);
	rig_expect_deny(&r, &e, TH_RISK_POSITION);
	rig_end(&r);
}

/* ------------------------------------------------------------- exposure */

static void test_gross_exposure(void **state)
{
	(void)state;
	rig r;
	rig_init(&r);
	fake_pf_price(&r.pf, "sim", "BTCUSDT", PX(20000), PS);
	fake_config(&r.h, "agent_max_gross_exposure", "50000");
	pos(&r, "marcus", "BTCUSDT", 1.0);
	pos(&r, "marcus", "ETHUSDT", 10);
	rig_wallet(&r, "marcus", M(100000), M(40000), M(40000), 2);
	start_ok(&r);
	th_event e = rig_market(&r, "marcus", TH_SIDE_BUY, QTY(0.5));
	rig_expect_ok(&r, &e);
	e = rig_market(&r, "marcus", TH_SIDE_BUY, QTY(0.5001));
	rig_expect_deny(&r, &e, TH_RISK_EXPOSURE);
	assert_non_null(strstr(message(&r, &e), "agent_max_gross_exposure: gross exposure of agent marcus would be 50002 (max 50000)"));
	e = rig_market(&r, "marcus", TH_SIDE_SELL, QTY(1.5)); /* BTC 20000 -> -10000: gross 30000 */
	rig_expect_ok(&r, &e);
	e = rig_market(&r, "marcus", TH_SIDE_SELL, QTY(2.5)); /* -30000: gross 50000 */
	rig_expect_ok(&r, &e);
	e = rig_market(&r, "marcus", TH_SIDE_SELL, QTY(2.5001));
	rig_expect_deny(&r, &e, TH_RISK_EXPOSURE);
	/* no wallet figures: NO_DATA */
	e = rig_market(&r, "alex", TH_SIDE_BUY, QTY(0.1));
	rig_expect_deny(&r, &e, TH_RISK_NO_DATA);
	rig_end(&r);
}

static void test_net_exposure(void **state)
{
	(void)state;
	rig r;
	rig_init(&r);
	fake_pf_price(&r.pf, "sim", "BTCUSDT", PX(20000), PS);
	fake_config(&r.h, "agent_max_net_exposure", "30000");
	pos(&r, "marcus", "BTCUSDT", 1.0);
	pos(&r, "marcus", "ETHUSDT", -5);
	rig_wallet(&r, "marcus", M(100000), M(30000), M(10000), 2);
	start_ok(&r);
	th_event e = rig_market(&r, "marcus", TH_SIDE_BUY, QTY(1.0)); /* net 30000 */
	rig_expect_ok(&r, &e);
	e = rig_market(&r, "marcus", TH_SIDE_BUY, QTY(1.0001));
	rig_expect_deny(&r, &e, TH_RISK_EXPOSURE);
	e = rig_market(&r, "marcus", TH_SIDE_SELL, QTY(2.0)); /* BTC -1: net -30000 */
	rig_expect_ok(&r, &e);
	e = rig_market(&r, "marcus", TH_SIDE_SELL, QTY(2.0001));
	rig_expect_deny(&r, &e, TH_RISK_EXPOSURE);
	assert_non_null(strstr(message(&r, &e), "|net exposure| of agent marcus would be 30002"));
	rig_end(&r);
}

/* Farm-level exposure with a per-farm override of the host-wide value. */
static void test_farm_gross_override(void **state)
{
	(void)state;
	rig r;
	rig_init(&r);
	fake_pf_price(&r.pf, "sim", "BTCUSDT", PX(20000), PS);
	fake_config(&r.h, "farm_max_gross_exposure", "1000000");
	fake_config(&r.h, "farm_overrides", "[\"beta:farm_max_gross_exposure=25000\"]");
	rig_wallet(&r, "alpha", M(100000), M(0), M(0), 0);
	rig_wallet(&r, "beta", M(100000), M(5000), M(5000), 0);
	start_ok(&r);
	th_event e = rig_market(&r, "sophia", TH_SIDE_BUY, QTY(1.0));
	rig_expect_ok(&r, &e);
	e = rig_market(&r, "sophia", TH_SIDE_BUY, QTY(1.0001));
	rig_expect_deny(&r, &e, TH_RISK_EXPOSURE);
	assert_non_null(strstr(message(&r, &e), "farm_max_gross_exposure"));
	e = rig_market(&r, "marcus", TH_SIDE_BUY, QTY(10));
	rig_expect_ok(&r, &e);
	rig_end(&r);
}

/* -------------------------------------------------------- concentration */

static void test_concentration_share(void **state)
{
	(void)state;
	rig r;
	rig_init(&r);
	fake_pf_price(&r.pf, "sim", "BTCUSDT", PX(20000), PS);
	fake_pf_price(&r.pf, "sim", "ETHUSDT", PX(2000), PS);
	fake_config(&r.h, "agent_max_concentration_bps", "2500");
	fake_config(&r.h, "instrument_overrides", "[\"sim:ETHUSDT:agent_max_concentration_bps=1000\"]");
	pos(&r, "marcus", "BTCUSDT", 0.25);
	rig_wallet(&r, "marcus", M(100000), M(5000), M(5000), 1);
	rig_wallet(&r, "alex", 0, M(5000), M(5000), 1);
	pos(&r, "alex", "BTCUSDT", 0.25);
	start_ok(&r);
	th_event e = rig_market(&r, "marcus", TH_SIDE_BUY, QTY(1.0)); /* 25000 of 100000 */
	rig_expect_ok(&r, &e);
	e = rig_market(&r, "marcus", TH_SIDE_BUY, QTY(1.0001));
	rig_expect_deny(&r, &e, TH_RISK_CONCENTRATION);
	assert_non_null(strstr(message(&r, &e), "2500 bps of equity 100000 (max 2500)"));
	e = rig_intent(&r, "marcus", "ETHUSDT", TH_SIDE_SELL, TH_ORDER_MARKET, 0, QTY(5)); /* 10000: 1000 bps */
	rig_expect_ok(&r, &e);
	e.u.intent.order.qty = QTY(5.0001);
	rig_expect_deny(&r, &e, TH_RISK_CONCENTRATION);
	/* no equity: growth is unbounded concentration, reduction passes */
	e = rig_market(&r, "alex", TH_SIDE_BUY, QTY(0.0001));
	rig_expect_deny(&r, &e, TH_RISK_CONCENTRATION);
	e = rig_market(&r, "alex", TH_SIDE_SELL, QTY(0.1));
	rig_expect_ok(&r, &e);
	rig_end(&r);
}

/* ETH 10 x 3000 and SOL 100 x 100: HHI 6250. Buying ETH raises it; the
 * limit 6400 is crossed between 0.8254 (6399.99) and 0.8255 (6400.006). */
static void hhi_rig(rig *r, const char *limit, const char *min_positions)
{
	rig_init(r);
	fake_pf_price(&r->pf, "sim", "ETHUSDT", PX(3000), PS);
	fake_pf_price(&r->pf, "sim", "SOLUSDT", PX(100), PS);
	fake_config(&r->h, "agent_max_hhi", limit);
	if (min_positions)
		fake_config(&r->h, "hhi_min_positions", min_positions);
	pos(r, "marcus", "ETHUSDT", 10);
	pos(r, "marcus", "SOLUSDT", 100);
	rig_wallet(r, "marcus", M(100000), M(40000), M(40000), 2);
	start_ok(r);
}

static void test_hhi(void **state)
{
	(void)state;
	rig r;
	hhi_rig(&r, "6400", "2");
	th_event e = rig_intent(&r, "marcus", "ETHUSDT", TH_SIDE_BUY, TH_ORDER_MARKET, 0, QTY(0.8254));
	rig_expect_ok(&r, &e);
	e.u.intent.order.qty = QTY(0.8255);
	rig_expect_deny(&r, &e, TH_RISK_CONCENTRATION);
	assert_non_null(strstr(message(&r, &e), "agent_max_hhi: HHI of agent marcus would rise to 6400 (max 6400)"));
	/* a new small position lowers HHI */
	fake_pf_price(&r.pf, "sim", "BTCUSDT", PX(20000), PS);
	e = rig_market(&r, "marcus", TH_SIDE_BUY, QTY(0.1));
	rig_expect_ok(&r, &e);
	rig_end(&r);

	/* below hhi_min_positions the rule does not apply */
	hhi_rig(&r, "6400", "3");
	e = rig_intent(&r, "marcus", "ETHUSDT", TH_SIDE_BUY, TH_ORDER_MARKET, 0, QTY(5));
	rig_expect_ok(&r, &e);
	rig_end(&r);
}

/* Already over the limit: growing the big position is denied, shrinking
 * either position passes (even though shrinking SOL raises HHI). */
static void test_hhi_reducing_passes(void **state)
{
	(void)state;
	rig r;
	hhi_rig(&r, "6000", "2");
	th_event e = rig_intent(&r, "marcus", "SOLUSDT", TH_SIDE_SELL, TH_ORDER_MARKET, 0, QTY(50));
	rig_expect_ok(&r, &e);
	e = rig_intent(&r, "marcus", "ETHUSDT", TH_SIDE_SELL, TH_ORDER_MARKET, 0, QTY(1));
	rig_expect_ok(&r, &e);
	e = rig_intent(&r, "marcus", "SOLUSDT", TH_SIDE_BUY, TH_ORDER_MARKET, 0, QTY(1)); /* HHI falls */
	rig_expect_ok(&r, &e);
	e = rig_intent(&r, "marcus", "ETHUSDT", TH_SIDE_BUY, TH_ORDER_MARKET, 0, QTY(0.0001));
	rig_expect_deny(&r, &e, TH_RISK_CONCENTRATION);
	rig_end(&r);
}

/* Another position without a price: the HHI input is missing. */
static void test_hhi_missing_price(void **state)
{
	(void)state;
	rig r;
	hhi_rig(&r, "6400", "2");
	pos(&r, "marcus", "XRPUSDT", 1000);
	rig_wallet(&r, "marcus", M(100000), M(40000), M(40000), 3);
	th_event e = rig_intent(&r, "marcus", "ETHUSDT", TH_SIDE_BUY, TH_ORDER_MARKET, 0, QTY(0.1));
	rig_expect_deny(&r, &e, TH_RISK_NO_DATA);
	assert_non_null(strstr(message(&r, &e), "sim:XRPUSDT"));
	fake_pf_price(&r.pf, "sim", "XRPUSDT", PX(0.5), PS);
	rig_expect_ok(&r, &e);
	rig_end(&r);
}

/* Marks of other positions follow the trades on the bus. */
static void test_hhi_marks_follow_trades(void **state)
{
	(void)state;
	rig r;
	hhi_rig(&r, "6400", "2");
	th_event e = rig_intent(&r, "marcus", "ETHUSDT", TH_SIDE_BUY, TH_ORDER_MARKET, 0, QTY(0.8255));
	rig_expect_deny(&r, &e, TH_RISK_CONCENTRATION);
	th_event t;
	memset(&t, 0, sizeof t);
	th_event_init(&t, TH_EV_TRADE);
	th_strlcpy(t.h.venue, "sim", sizeof t.h.venue);
	th_strlcpy(t.h.symbol, "SOLUSDT", sizeof t.h.symbol);
	t.u.trade.price = 20000; /* 200.00: SOL now worth 20000 */
	t.u.trade.price_scale = PS;
	t.u.trade.qty = QTY(1);
	t.u.trade.qty_scale = QS;
	fake_deliver(&r.h, &t);
	rig_expect_ok(&r, &e); /* (32476.5^2 + 20000^2) / 52476.5^2 = 5282 */
	/* and bar closes */
	th_event b;
	memset(&b, 0, sizeof b);
	th_event_init(&b, TH_EV_BAR);
	th_strlcpy(b.h.venue, "sim", sizeof b.h.venue);
	th_strlcpy(b.h.symbol, "SOLUSDT", sizeof b.h.symbol);
	b.u.bar.close = 10000;
	b.u.bar.price_scale = PS;
	fake_deliver(&r.h, &b);
	rig_expect_deny(&r, &e, TH_RISK_CONCENTRATION);
	rig_end(&r);
}

/* Fills change quantities in place (same instruments): the running HHI sums
 * follow, including a position that goes flat. */
static void test_hhi_follows_fills(void **state)
{
	(void)state;
	rig r;
	hhi_rig(&r, "6400", "2"); /* the clock does not move: only fill events re-read */
	th_event e = rig_intent(&r, "marcus", "ETHUSDT", TH_SIDE_BUY, TH_ORDER_MARKET, 0, QTY(0.8255));
	rig_expect_deny(&r, &e, TH_RISK_CONCENTRATION);
	r.pf.positions[1].pos.qty = QTY(200); /* SOL 20000: HHI 5200 before, 5282 after */
	rig_fill_event(&r);
	rig_expect_ok(&r, &e);
	/* with SOL at 20000 the limit is crossed between 11.6509 and 11.651 ETH */
	e.u.intent.order.qty = QTY(11.6509);
	rig_expect_ok(&r, &e);
	e.u.intent.order.qty = QTY(11.651);
	rig_expect_deny(&r, &e, TH_RISK_CONCENTRATION);
	e.u.intent.order.qty = QTY(0.8255);
	r.pf.positions[1].pos.qty = QTY(100);
	rig_fill_event(&r);
	rig_expect_deny(&r, &e, TH_RISK_CONCENTRATION);
	r.pf.positions[1].pos.qty = 0; /* SOL flat: one position left, below hhi_min_positions */
	rig_fill_event(&r);
	rig_expect_ok(&r, &e);
	r.pf.positions[1].pos.qty = QTY(100);
	rig_fill_event(&r);
	rig_expect_deny(&r, &e, TH_RISK_CONCENTRATION);
	rig_end(&r);
}

/* A position that goes flat no longer counts towards hhi_min_positions. */
static void test_hhi_flat_position_leaves_count(void **state)
{
	(void)state;
	rig r;
	hhi_rig(&r, "6400", "3");
	th_event e = rig_intent(&r, "marcus", "ETHUSDT", TH_SIDE_BUY, TH_ORDER_MARKET, 0, QTY(20));
	rig_expect_ok(&r, &e); /* two positions: below the minimum of 3 */
	fake_pf_price(&r.pf, "sim", "BTCUSDT", PX(20000), PS);
	pos(&r, "marcus", "BTCUSDT", 0.5);
	rig_wallet(&r, "marcus", M(100000), M(50000), M(50000), 3);
	rig_fill_event(&r);
	rig_expect_deny(&r, &e, TH_RISK_CONCENTRATION); /* 90000 / 10000 / 10000: 6860 */
	r.pf.positions[2].pos.qty = 0;
	rig_fill_event(&r);
	rig_expect_ok(&r, &e);
	rig_end(&r);
}

/* -------------------------------------------------------------- leverage */

static void test_leverage(void **state)
{
	(void)state;
	rig r;
	rig_init(&r);
	fake_pf_price(&r.pf, "sim", "BTCUSDT", PX(20000), PS);
	fake_config(&r.h, "agent_max_leverage", "2");
	fake_config(&r.h, "host_max_leverage", "1.5");
	pos(&r, "marcus", "BTCUSDT", 1.0);
	rig_wallet(&r, "marcus", M(50000), M(80000), M(80000), 2);
	rig_wallet(&r, "alex", M(-10), M(1000), M(1000), 0);
	rig_wallet(&r, "sophia", M(1000000), M(0), M(0), 0);
	rig_wallet(&r, "total", M(100000), M(140000), M(140000), 0);
	start_ok(&r);
	th_event e = rig_market(&r, "marcus", TH_SIDE_BUY, QTY(0.5)); /* 90000 / 50000: 1.8 ; host 150000 / 100000 */
	rig_expect_ok(&r, &e);
	e = rig_market(&r, "sophia", TH_SIDE_BUY, QTY(0.5001)); /* host 1.50002 */
	rig_expect_deny(&r, &e, TH_RISK_LEVERAGE);
	assert_non_null(strstr(message(&r, &e), "host_max_leverage: leverage of host would be 1.50002 (max 1.5)"));
	rig_wallet(&r, "total", M(1000000), M(140000), M(140000), 0);
	e = rig_market(&r, "marcus", TH_SIDE_BUY, QTY(1.0)); /* 100000 / 50000 = 2 */
	rig_expect_ok(&r, &e);
	e = rig_market(&r, "marcus", TH_SIDE_BUY, QTY(1.0001));
	rig_expect_deny(&r, &e, TH_RISK_LEVERAGE);
	assert_non_null(strstr(message(&r, &e), "agent_max_leverage: leverage of agent marcus would be 2.00004 (max 2)"));
	e = rig_market(&r, "marcus", TH_SIDE_SELL, QTY(0.5));
	rig_expect_ok(&r, &e);
	/* over the limit after a loss (80000 / 30000 = 2.67): reducing passes */
	rig_wallet(&r, "marcus", M(30000), M(80000), M(80000), 2);
	rig_expect_ok(&r, &e);
	e = rig_market(&r, "marcus", TH_SIDE_BUY, QTY(0.0001));
	rig_expect_deny(&r, &e, TH_RISK_LEVERAGE);
	/* negative equity: any growth is too much */
	e = rig_market(&r, "alex", TH_SIDE_BUY, QTY(0.0001));
	rig_expect_deny(&r, &e, TH_RISK_LEVERAGE);
	assert_non_null(strstr(message(&r, &e), "unbounded"));
	rig_end(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_position_qty_agent),
		cmocka_unit_test(test_position_notional),
		cmocka_unit_test(test_position_farm_and_host),
		cmocka_unit_test(test_gross_exposure),
		cmocka_unit_test(test_net_exposure),
		cmocka_unit_test(test_farm_gross_override),
		cmocka_unit_test(test_concentration_share),
		cmocka_unit_test(test_hhi),
		cmocka_unit_test(test_hhi_reducing_passes),
		cmocka_unit_test(test_hhi_missing_price),
		cmocka_unit_test(test_hhi_marks_follow_trades),
		cmocka_unit_test(test_hhi_follows_fills),
		cmocka_unit_test(test_hhi_flat_position_leaves_count),
		cmocka_unit_test(test_leverage),
	};
	return cmocka_run_group_tests_name("limits_post_rules", tests, NULL, NULL);
}
