/* Shared helpers for the bus tests: event builders and a recording handler. */
#ifndef TH_BUS_TEST_UTIL_H
#define TH_BUS_TEST_UTIL_H

#include <stdint.h>
#include <string.h>

#include "bus/bus.h"

/* A trade event with the given header keys (NULL = ""), trade_id = id. */
static inline th_event bt_trade(const char *venue, const char *symbol, const char *agent, uint64_t id)
{
	th_event ev;
	memset(&ev, 0, sizeof ev);
	th_event_init(&ev, TH_EV_TRADE);
	th_strlcpy(ev.h.venue, venue ? venue : "", sizeof ev.h.venue);
	th_strlcpy(ev.h.symbol, symbol ? symbol : "", sizeof ev.h.symbol);
	th_strlcpy(ev.h.agent, agent ? agent : "", sizeof ev.h.agent);
	ev.h.ts_ns = 1; /* non-zero: no clock needed */
	ev.u.trade.trade_id = id;
	ev.u.trade.price = (th_price)(1000 + id);
	ev.u.trade.qty = 5;
	return ev;
}

/* Any event type with an id stored in h.ts_ns (every type has a header). */
static inline th_event bt_typed(th_event_type type, int64_t id)
{
	th_event ev;
	memset(&ev, 0, sizeof ev);
	th_event_init(&ev, type);
	ev.h.ts_ns = id;
	return ev;
}

/* Records what a handler saw. */
#define BT_LOG_MAX 4096
typedef struct bt_log {
	size_t n;
	uint64_t seq[BT_LOG_MAX];
	uint64_t tag[BT_LOG_MAX];  /* who received it (the tag passed as arg) */
	int64_t ts[BT_LOG_MAX];
	uint16_t type[BT_LOG_MAX];
} bt_log;

typedef struct bt_rec {
	bt_log *log;
	uint64_t tag;
} bt_rec;

static inline void bt_record(void *arg, const th_event *ev)
{
	bt_rec *r = arg;
	bt_log *l = r->log;
	if (l->n < BT_LOG_MAX) {
		l->seq[l->n] = ev->h.seq;
		l->tag[l->n] = r->tag;
		l->ts[l->n] = ev->h.ts_ns;
		l->type[l->n] = ev->h.type;
		l->n++;
	}
}

/* Deterministic PRNG (xorshift64*) so failures reproduce. */
static inline uint64_t bt_rand(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * UINT64_C(2685821657736338717);
}

#endif
