/*
 * The words the front door uses for the SDK's trading enums (REST, WebSocket,
 * AG-UI, metrics all say the same thing).
 */
#ifndef HOST_COMMON_TRADE_NAMES_H
#define HOST_COMMON_TRADE_NAMES_H

#include <stdint.h>

const char *trade_side_name(uint32_t side);             /* "buy" | "sell" | "" */
const char *trade_order_type_name(uint32_t type);       /* "market" | "limit" | "stop" | "stop_limit" */
const char *trade_tif_name(uint32_t tif, uint32_t flags); /* "gtc" | "ioc" | "fok" | "post_only" */
const char *trade_order_state_name(uint32_t state);     /* "submitted" ... "absent" */
const char *trade_state_name(int state);                /* "active" | "reducing" | "halted" */

#endif
