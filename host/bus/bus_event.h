/*
 * bus_event — what the bus accepts: validation and stored size of an event.
 *
 * The check is split in two so the hot path stays small: bus_event_checked_size()
 * is inline and only says yes (the size) or no (0); bus_event_explain() is the
 * cold path that writes a message naming what is wrong.
 */
#ifndef TH_BUS_EVENT_H
#define TH_BUS_EVENT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "tradehost/th_event.h"

/* Size in bytes that the bus copies for `ev` (header + used payload), or 0
 * when the bus rejects the event: unknown type, a header filter string
 * (venue, symbol, agent) without its NUL inside the field, a book with more
 * than TH_BOOK_LEVELS_MAX levels on a side, a custom payload longer than
 * TH_CUSTOM_MAX, or a size above TH_EVENT_MAX_SIZE. h.size as given by the
 * caller is ignored: the bus computes it. */
/* The payload half of bus_event_checked_size(): the size, or 0 for a refused
 * payload; the type must be known. Also used alone by bus_publish_stamped(),
 * which checks the header names after writing them. */
static inline uint32_t bus_event_body_size(const th_event *ev)
{
	/* th_event_size() clamps oversized counts; the bus refuses them instead,
	 * so a bad publisher learns about it. */
	if (ev->h.type == TH_EV_BOOK) {
		if (ev->u.book.nbids > TH_BOOK_LEVELS_MAX || ev->u.book.nasks > TH_BOOK_LEVELS_MAX)
			return 0;
	} else if (ev->h.type == TH_EV_CUSTOM) {
		if (ev->u.custom.len > TH_CUSTOM_MAX)
			return 0;
	}
	uint32_t n = th_event_size(ev);
	return n <= TH_EVENT_MAX_SIZE ? n : 0;
}

static inline uint32_t bus_event_checked_size(const th_event *ev)
{
	/* One unsigned compare covers both < 1 and >= TH_EV_TYPE_COUNT_. */
	if ((uint32_t)ev->h.type - 1u >= (uint32_t)TH_EV_TYPE_COUNT_ - 1u)
		return 0;
	/* A filter key whose last byte is not NUL is an unterminated (or
	 * silently truncated) string: reject rather than match garbage. */
	if (ev->h.venue[TH_VENUE_MAX - 1] | ev->h.symbol[TH_SYMBOL_MAX - 1] | ev->h.agent[TH_NAME_MAX - 1])
		return 0;
	return bus_event_body_size(ev);
}

/* Copy `size` bytes (from bus_event_checked_size) of any event; out of line,
 * so the compiler emits a plain memcpy call: inlined with the bounded size it
 * knows here, GCC picks `rep movsq`, whose start-up cost dominated the whole
 * publish in bench_bus. */
void bus_event_copy_bytes(void *dst, const th_event *ev, size_t size);

/* Copy an accepted event into the ring. The market-data types with a fixed
 * size (the hot ones) get a constant-size copy the compiler unrolls into a
 * few vector moves; everything else goes through memcpy. */
static inline void bus_event_copy(void *dst, const th_event *ev, uint32_t size)
{
	switch (ev->h.type) {
	case TH_EV_TRADE: memcpy(dst, ev, offsetof(th_event, u) + sizeof(th_trade)); return;
	case TH_EV_QUOTE: memcpy(dst, ev, offsetof(th_event, u) + sizeof(th_quote)); return;
	case TH_EV_BAR: memcpy(dst, ev, offsetof(th_event, u) + sizeof(th_bar)); return;
	default: bus_event_copy_bytes(dst, ev, size); return;
	}
}

/* Write into buf (cap bytes) why bus_event_checked_size(ev) returned 0. */
void bus_event_explain(const th_event *ev, char *buf, size_t cap);

/* Human name of an event type ("trade", "agent_msg", ...), "unknown" otherwise. */
const char *bus_event_type_name(uint32_t type);

#endif
