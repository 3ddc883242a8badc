/*
 * tradehost SDK — exchange connectors (venues).
 *
 * The order manager calls these on the loop thread, only for orders that are
 * already journaled and risk-approved. Calls are asynchronous: they return
 * TH_OK when the request was taken, and the outcome arrives later as
 * TH_EV_ORDER / TH_EV_FILL events that the plugin publishes with h.venue set
 * to its instance name and the client order id filled in.
 * A connector must never read a missing report as "no order": when it cannot
 * tell, it publishes TH_ORDER_UNKNOWN, and the host queries again.
 * The table may grow through minor versions (append-only; check struct_size).
 * Depends on the C standard headers only.
 */
#ifndef TRADEHOST_TH_EXCHANGE_H
#define TRADEHOST_TH_EXCHANGE_H

#include <stddef.h>
#include <stdint.h>
#include "th_types.h"

typedef struct th_exchange_api {
	uint32_t struct_size; /* sizeof(th_exchange_api) as compiled */
	/* Mandatory. Point *out at the venue's instruments (an array owned by the
	 * plugin, valid until stop) and set *count. */
	int (*instruments)(void *instance, const th_instrument **out, size_t *count);
	/* Mandatory. `order` is borrowed for the call. */
	int (*submit)(void *instance, const th_order *order);
	/* Mandatory. Cancel by client order id (borrowed). */
	int (*cancel)(void *instance, const char *client_order_id);
	/* Mandatory. Ask for the current state of an order by client order id;
	 * the answer is a TH_EV_ORDER event (TH_ORDER_ABSENT if the venue has no
	 * such order) plus TH_EV_FILL events for fills the host may have missed. */
	int (*query)(void *instance, const char *client_order_id);
} th_exchange_api;

#endif
