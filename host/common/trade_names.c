#include "common/trade_names.h"

#include <tradehost/th_event.h>
#include <tradehost/th_types.h>

const char *trade_side_name(uint32_t side)
{
	return side == TH_SIDE_BUY ? "buy" : side == TH_SIDE_SELL ? "sell" : "";
}

const char *trade_order_type_name(uint32_t type)
{
	switch (type) {
	case TH_ORDER_LIMIT: return "limit";
	case TH_ORDER_STOP: return "stop";
	case TH_ORDER_STOP_LIMIT: return "stop_limit";
	default: return "market";
	}
}

const char *trade_tif_name(uint32_t tif, uint32_t flags)
{
	if (flags & TH_ORDER_POST_ONLY)
		return "post_only";
	return tif == TH_TIF_IOC ? "ioc" : tif == TH_TIF_FOK ? "fok" : "gtc";
}

const char *trade_order_state_name(uint32_t state)
{
	switch (state) {
	case TH_ORDER_SUBMITTED: return "submitted";
	case TH_ORDER_ACCEPTED: return "accepted";
	case TH_ORDER_PARTIALLY_FILLED: return "partially_filled";
	case TH_ORDER_FILLED: return "filled";
	case TH_ORDER_CANCELED: return "canceled";
	case TH_ORDER_REJECTED: return "rejected";
	case TH_ORDER_EXPIRED: return "expired";
	case TH_ORDER_ABSENT: return "absent";
	default: return "unknown";
	}
}

const char *trade_state_name(int state)
{
	return state == TH_STATE_HALTED ? "halted" : state == TH_STATE_REDUCING ? "reducing" : "active";
}
