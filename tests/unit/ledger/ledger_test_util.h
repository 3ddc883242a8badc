/* Helpers shared by the ledger / capital / goals tests. */
#ifndef TESTS_UNIT_LEDGER_TEST_UTIL_H
#define TESTS_UNIT_LEDGER_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ledger/capital.h"

/* Whole and fractional quote units at TH_MONEY_SCALE: USD(12) = 12.00000000. */
#define USD(x) ((th_money)(x) * 100000000LL)
/* Cents and 1e-4 units, for hand-computed fees and prices. */
#define CENTS(x) ((th_money)(x) * 1000000LL)

static inline th_instrument test_instrument(const char *venue, const char *symbol, const char *base, int ps, int qs)
{
	th_instrument in;
	memset(&in, 0, sizeof in);
	snprintf(in.venue, sizeof in.venue, "%s", venue);
	snprintf(in.symbol, sizeof in.symbol, "%s", symbol);
	snprintf(in.base, sizeof in.base, "%s", base);
	snprintf(in.quote, sizeof in.quote, "USDT");
	in.price_scale = ps;
	in.qty_scale = qs;
	in.tick = 1;
	in.lot = 1;
	in.min_qty = 1;
	return in;
}

static inline th_fill test_fill(const th_instrument *in, const char *key, int side, th_price px, th_qty qty, th_money fee,
	const char *fee_asset)
{
	th_fill f;
	memset(&f, 0, sizeof f);
	snprintf(f.client_order_id, sizeof f.client_order_id, "%s", key);
	snprintf(f.venue_trade_id, sizeof f.venue_trade_id, "t-%s", key);
	snprintf(f.fee_asset, sizeof f.fee_asset, "%s", fee_asset ? fee_asset : "USDT");
	f.side = (uint32_t)side;
	f.liquidity = TH_LIQ_TAKER;
	f.price = px;
	f.qty = qty;
	f.fee = fee;
	f.price_scale = in->price_scale;
	f.qty_scale = in->qty_scale;
	return f;
}

static inline capital_stats test_stats(const capital_t *c, const char *wallet)
{
	capital_stats s;
	assert_int_equal(capital_stats_get(c, wallet, &s), 0);
	return s;
}

/* capital_check() must pass; on failure the message is printed. */
#define assert_capital_ok(c)                                                  \
	do {                                                                  \
		char e_[512] = "";                                            \
		int rc_ = capital_check((c), e_, sizeof e_);                  \
		if (rc_ != 0)                                                 \
			print_error("capital_check: %s\n", e_);               \
		assert_int_equal(rc_, 0);                                     \
	} while (0)

static inline th_money test_balance(const capital_t *c, const char *account)
{
	const ledger_t *l = capital_ledger(c);
	int32_t id = ledger_find(l, account);
	assert_true(id >= 0);
	return ledger_balance(l, id);
}

#endif
