/*
 * core_kit — a position built from the agent's own fills (as the OMS
 * re-publishes them): signed quantity and average entry price, exact
 * fixed-point. The strategy never assumes an order filled; it only believes
 * fills.
 */
#ifndef KIT_POS_H
#define KIT_POS_H

#include <stdint.h>
#include <tradehost/tradehost.h>

typedef struct kit_pos {
	th_qty qty;     /* > 0 long, < 0 short, at the instrument's qty scale */
	th_price avg;   /* average entry price of the open quantity; 0 when flat */
} kit_pos;

/* Apply one fill. Returns the signed quantity before it. */
th_qty kit_pos_apply(kit_pos *p, uint32_t side, th_price px, th_qty qty);

/* The agent's position in symbol on venue as the host's ledger has it (ABI
 * 1.1 `positions` slot), for a fresh instance after a restart. Returns 1 and
 * fills *out (flat if the ledger has none) when the host can tell and the
 * scales match `qty_scale` / `price_scale`; 0 when it cannot. */
int kit_pos_from_host(const th_host_api *api, th_ctx *ctx, const char *venue, const char *symbol,
	int32_t price_scale, int32_t qty_scale, kit_pos *out);

#endif
