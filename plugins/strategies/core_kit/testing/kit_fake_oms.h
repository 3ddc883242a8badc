/*
 * core_kit testing — a stand-in for the host's risk pipeline + OMS + venue in
 * strategy unit tests, on top of tests/support/fake_host.
 *
 * It reads the intents the strategy published on the fake bus and answers
 * them the way the host does, in the same order: TH_EV_RISK (approved or
 * denied), TH_EV_ORDER SUBMITTED with a client order id, then for market
 * orders TH_EV_FILL + TH_EV_ORDER FILLED at `market_px[symbol]`; IOC limit
 * orders fill at once at their limit (taken as marketable); other limit orders
 * rest (ACCEPTED) until kit_oms_cross() fills them; cancels answer CANCELED.
 * Order updates carry the intent id (as the host's OMS does) unless
 * `no_intent_ids` is set (an older host).
 * Answers are delivered to the strategy's own subscription (h.agent = the
 * instance, OMS flag set).
 */
#ifndef KIT_FAKE_OMS_H
#define KIT_FAKE_OMS_H

#include <stddef.h>
#include <stdint.h>

#include "fake_host.h"

#define KIT_OMS_MAX_ORDERS 1024
#define KIT_OMS_MAX_SYMBOLS 4

typedef struct kit_oms_order {
	uint64_t intent_id;
	char clid[TH_CLORD_MAX];
	th_order o;
	th_qty filled;
	int live;
} kit_oms_order;

typedef struct kit_fake_oms {
	fake_host *h;
	char venue[TH_VENUE_MAX];
	size_t seen;                /* published events already answered */
	uint64_t next_clid;
	int reject_next;            /* reject the next N placements (OMS-style, no clid) */
	int reject_after;           /* ... after letting this many more placements through */
	int deny_next;              /* deny the next N placements (risk) */
	int hold_market;            /* acknowledge market orders without filling them */
	int no_intent_ids;          /* answer like a host whose order updates carry no intent id */
	th_qty fill_cap;            /* > 0: IOC orders fill at most this much, the rest is canceled */
	struct {
		char symbol[TH_SYMBOL_MAX];
		th_price px;
	} market[KIT_OMS_MAX_SYMBOLS];
	kit_oms_order orders[KIT_OMS_MAX_ORDERS];
	size_t norders;
	size_t placed, canceled, fills;
} kit_fake_oms;

void kit_oms_init(kit_fake_oms *m, fake_host *h, const char *venue);
/* Price at which market orders of symbol fill. */
void kit_oms_set_price(kit_fake_oms *m, const char *symbol, th_price px);
/* Answer every intent published since the last call (and those the answers cause). */
void kit_oms_pump(kit_fake_oms *m);
/* Fill resting limits of symbol that a price range [low, high] reaches, at their limit price. */
size_t kit_oms_cross(kit_fake_oms *m, const char *symbol, th_price low, th_price high);
/* Resting orders of symbol (side 0 = both). */
size_t kit_oms_resting(const kit_fake_oms *m, const char *symbol, uint32_t side);
const kit_oms_order *kit_oms_find_resting(const kit_fake_oms *m, const char *symbol, uint32_t side, th_price price);

/* A bar event as the market publishes it (h.venue = venue). */
void kit_test_bar(fake_host *h, const char *venue, const char *symbol, int64_t open_time_ns, th_price open,
	th_price high, th_price low, th_price close, th_qty volume, int32_t price_scale, int32_t qty_scale);

#endif
