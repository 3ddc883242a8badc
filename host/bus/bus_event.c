/* bus_event — cold path: explain why an event was rejected, and type names for messages. */
#include "bus/bus_event.h"

#include <stdio.h>
#include <string.h>

void bus_event_copy_bytes(void *dst, const th_event *ev, size_t size)
{
	memcpy(dst, ev, size);
}

const char *bus_event_type_name(uint32_t type)
{
	static const char *const names[TH_EV_TYPE_COUNT_] = {
		[TH_EV_TRADE] = "trade",       [TH_EV_QUOTE] = "quote",   [TH_EV_BOOK] = "book",
		[TH_EV_BAR] = "bar",           [TH_EV_INTENT] = "intent", [TH_EV_ORDER] = "order",
		[TH_EV_FILL] = "fill",         [TH_EV_RISK] = "risk",     [TH_EV_ALERT] = "alert",
		[TH_EV_AGENT_MSG] = "agent_msg", [TH_EV_LIFECYCLE] = "lifecycle", [TH_EV_CUSTOM] = "custom", [TH_EV_GOAL] = "goal",
	};
	if (type == 0 || type >= TH_EV_TYPE_COUNT_)
		return "unknown";
	return names[type];
}

void bus_event_explain(const th_event *ev, char *buf, size_t cap)
{
	const th_event_header *h = &ev->h;
	if (h->type == 0 || h->type >= TH_EV_TYPE_COUNT_) {
		snprintf(buf, cap, "event type %u is unknown (valid types are 1..%d)", (unsigned)h->type,
		         TH_EV_TYPE_COUNT_ - 1);
		return;
	}
	const char *tn = bus_event_type_name(h->type);
	if (h->venue[TH_VENUE_MAX - 1] != '\0') {
		snprintf(buf, cap, "%s event: header field 'venue' is not NUL-terminated within %d bytes", tn,
		         TH_VENUE_MAX);
		return;
	}
	if (h->symbol[TH_SYMBOL_MAX - 1] != '\0') {
		snprintf(buf, cap, "%s event: header field 'symbol' is not NUL-terminated within %d bytes", tn,
		         TH_SYMBOL_MAX);
		return;
	}
	if (h->agent[TH_NAME_MAX - 1] != '\0') {
		snprintf(buf, cap, "%s event: header field 'agent' is not NUL-terminated within %d bytes", tn,
		         TH_NAME_MAX);
		return;
	}
	if (h->type == TH_EV_BOOK && (ev->u.book.nbids > TH_BOOK_LEVELS_MAX || ev->u.book.nasks > TH_BOOK_LEVELS_MAX)) {
		snprintf(buf, cap, "book event: nbids=%u nasks=%u, but at most %d levels per side fit",
		         (unsigned)ev->u.book.nbids, (unsigned)ev->u.book.nasks, TH_BOOK_LEVELS_MAX);
		return;
	}
	if (h->type == TH_EV_CUSTOM && ev->u.custom.len > TH_CUSTOM_MAX) {
		snprintf(buf, cap, "custom event: len=%u exceeds TH_CUSTOM_MAX (%d)", (unsigned)ev->u.custom.len,
		         TH_CUSTOM_MAX);
		return;
	}
	snprintf(buf, cap, "%s event: size %u exceeds TH_EVENT_MAX_SIZE (%zu)", tn, (unsigned)th_event_size(ev),
	         (size_t)TH_EVENT_MAX_SIZE);
}
