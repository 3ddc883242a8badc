/*
 * A small backtest to write out: the host, two farms given out of order,
 * three agents (one with a name that needs HTML escaping) and four trades.
 */
#ifndef REPORT_TEST_FIXTURE_H
#define REPORT_TEST_FIXTURE_H

#include "report/report.h"
#include "report_test_util.h"

#define EVIL_NAME "<script>alert(\"x\")</script> & co"

typedef struct fixture {
	int64_t t[4];
	th_money host_eq[4], farm_eq[4], flat_eq[4];
	report_series series[6];
	report_trade trades[4];
	report_meta meta;
} fixture;

static inline report_trade fixture_trade(const char *agent, const char *farm, th_money pnl,
					 int64_t entry)
{
	report_trade t;
	memset(&t, 0, sizeof t);
	t.agent = agent;
	t.farm = farm;
	t.venue = "sim";
	t.symbol = "BTCUSDT";
	t.side = pnl >= 0 ? TH_SIDE_BUY : TH_SIDE_SELL;
	t.entry_ns = entry;
	t.exit_ns = entry + 90 * SEC;
	t.qty = 500;             /* 0.500 at scale 3 */
	t.qty_scale = 3;
	t.entry_price = 4200050; /* 42000.50 at scale 2 */
	t.exit_price = 4210000;
	t.price_scale = 2;
	t.net_pnl = pnl;
	t.fees = 2100025;        /* 0.02100025 */
	return t;
}

static inline void fixture_init(fixture *f)
{
	memset(f, 0, sizeof *f);
	for (int i = 0; i < 4; i++)
		f->t[i] = T0 + i * DAY;
	const th_money host[4] = { M(100), M(110), M(99), 10890000000LL };
	const th_money farm[4] = { M(60), M(65), M(58), 6012345678LL };
	const th_money flat[4] = { M(40), M(40), M(40), M(40) };
	memcpy(f->host_eq, host, sizeof host);
	memcpy(f->farm_eq, farm, sizeof farm);
	memcpy(f->flat_eq, flat, sizeof flat);

	report_series *s = f->series;
	s[0] = (report_series){ .name = "zeta", .kind = REPORT_KIND_FARM, .t_ns = f->t,
				.equity = f->flat_eq, .n = 4, .initial_capital = M(40) };
	s[1] = (report_series){ .name = "total", .kind = REPORT_KIND_HOST, .t_ns = f->t,
				.equity = f->host_eq, .n = 4, .initial_capital = M(100),
				.fees = 8400100, .exposure_ns = DAY };
	s[2] = (report_series){ .name = "alpha", .kind = REPORT_KIND_FARM, .t_ns = f->t,
				.equity = f->farm_eq, .n = 4, .initial_capital = M(60),
				.fees = 4200050 };
	s[3] = (report_series){ .name = "mm", .kind = REPORT_KIND_AGENT, .parent = "zeta",
				.t_ns = f->t, .equity = f->flat_eq, .n = 4, .initial_capital = M(40) };
	s[4] = (report_series){ .name = EVIL_NAME, .kind = REPORT_KIND_AGENT, .parent = "alpha",
				.t_ns = f->t, .equity = f->farm_eq, .n = 4, .initial_capital = M(60) };
	s[5] = (report_series){ .name = "bob", .kind = REPORT_KIND_AGENT, .parent = "alpha",
				.t_ns = f->t, .equity = f->farm_eq, .n = 4, .initial_capital = M(60) };

	f->trades[0] = fixture_trade("bob", "alpha", 123456789, T0 + SEC);
	f->trades[1] = fixture_trade(EVIL_NAME, "alpha", -50000000, T0 + DAY);
	f->trades[2] = fixture_trade("bob", "alpha", 1, T0 + 2 * DAY);
	f->trades[3] = fixture_trade("bob", "alpha", -3, T0 + 2 * DAY + 5);

	f->meta = (report_meta){ .config = "config/back<test>.toml", .seed = 18446744073709551615ULL,
				 .from_ns = T0, .to_ns = T0 + 3 * DAY, .bars = 4320,
				 .generated_by = "tradehost 0.1.0" };
}

#endif
