/*
 * arbitrage — the cross-venue edge, exactly, in integers.
 *
 * Buying on venue X at its ask and selling on venue Y at its bid earns,
 * per unit and after both taker fees,
 *   bid_Y * (1 - fee_Y) - ask_X * (1 + fee_X)
 * and the opportunity is taken when that exceeds threshold * ask_X.
 * Fees and the threshold are basis points with up to 4 decimals, i.e.
 * integers in units of 10^-8 (ARB_RATE_ONE = 100 %), so the comparison is
 * exact: bid_Y * (1e8 - fY) > ask_X * (1e8 + fX + thr), in 128 bits.
 * The limit prices are the touch itself rounded to the tick against us
 * (buy up, sell down) before the test, so the edge checked is the edge
 * the orders would lock in.
 */
#ifndef ARB_EDGE_H
#define ARB_EDGE_H

#include <stdint.h>
#include <tradehost/th_fixed.h>

#define ARB_RATE_ONE 100000000LL /* 100 % in units of 10^-4 bp */

typedef struct arb_touch {
	th_price bid, ask;
	th_qty bid_qty, ask_qty;
	int64_t ts_ns;
	int32_t valid, reserved_;
} arb_touch;

typedef struct arb_signal {
	int buy;                 /* venue index bought on (0 = a, 1 = b); sold on the other */
	th_price buy_px, sell_px;
	double gross_bps, fees_bps, net_bps; /* for explanations only */
} arb_signal;

/* fee[i]: taker fee of venue i, threshold: minimum net edge, both in 10^-8.
 * Returns 1 with *out filled when a direction clears the threshold (the
 * better one if both do), else 0. Touches must be valid (bid, ask > 0). */
int arb_edge_find(const arb_touch t[2], const int64_t fee[2], int64_t threshold, th_price tick, arb_signal *out);

#endif
