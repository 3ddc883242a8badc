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

#endif
