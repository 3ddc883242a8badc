/* Exact cross-venue edge test (see arb_edge.h). */
#include "arb_edge.h"

__extension__ typedef __int128 arb_i128;

static th_price up_to_tick(th_price p, th_price tick)
{
	th_price r = p % tick;
	return r == 0 ? p : p - r + tick;
}

/* Net edge of buying at buy_px (fee fb) and selling at sell_px (fee fs),
 * scaled by 10^8 (in units of price x 10^-8): positive = profit. */
static arb_i128 net_edge(th_price buy_px, int64_t fb, th_price sell_px, int64_t fs)
{
	return (arb_i128)sell_px * (ARB_RATE_ONE - fs) - (arb_i128)buy_px * (ARB_RATE_ONE + fb);
}

int arb_edge_find(const arb_touch t[2], const int64_t fee[2], int64_t threshold, th_price tick, arb_signal *out)
{
	int found = 0;
	arb_i128 best = 0;
	if (tick <= 0)
		return 0;
	for (int x = 0; x < 2; x++) {
		int y = 1 - x;
		if (!t[x].valid || !t[y].valid || t[x].ask <= 0 || t[y].bid <= 0)
			continue;
		th_price buy = up_to_tick(t[x].ask, tick);
		th_price sell = t[y].bid - t[y].bid % tick;
		if (sell <= 0)
			continue;
		arb_i128 net = net_edge(buy, fee[x], sell, fee[y]);
		/* strictly more than threshold * buy price */
		if (net <= (arb_i128)buy * threshold || (found && net <= best))
			continue;
		found = 1;
		best = net;
		out->buy = x;
		out->buy_px = buy;
		out->sell_px = sell;
		out->gross_bps = 1e4 * (double)(sell - buy) / (double)buy;
		out->fees_bps = (double)(fee[x] + fee[y]) / 1e4;
		out->net_bps = 1e4 * (double)net / (double)ARB_RATE_ONE / (double)buy;
	}
	return found;
}
