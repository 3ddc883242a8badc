/*
 * bus_filter — compile a subscription's exact-match filters (venue, symbol,
 * agent) into the header words the dispatch loop compares (bus_entry_match
 * in bus_internal.h).
 *
 * A filter string of n characters must equal the header field exactly, so
 * the n bytes and the NUL after them are compared; the rest of the field is
 * ignored (publishers may leave bytes after the NUL unset). Those n + 1
 * bytes span ceil((n + 1) / 8) words of the field. Values and masks are
 * built by copying bytes, so they come out right for either byte order.
 */
#include <stddef.h>
#include <string.h>

#include "bus/bus_internal.h"

/* Append the words of one optional filter string; "" and NULL mean "any". */
static int bus_filter_add(bus_t *b, bus_entry *e, const char *key, const char *src, size_t field_off, size_t field)
{
	if (!src || !*src)
		return TH_OK;
	size_t n = strnlen(src, field);
	if (n >= field) {
		bus_set_error(b, "subscription filter '%s' (\"%.*s...\") is longer than the header field allows (%zu bytes max)",
		              key, 24, src, field - 1);
		return TH_ERR_INVALID;
	}
	for (size_t at = 0; at <= n; at += 8) {
		unsigned char val[8] = { 0 }, mask[8] = { 0 };
		size_t take = n + 1 - at < 8 ? n + 1 - at : 8; /* the last word ends with the NUL */
		memcpy(val, src + at, take);                    /* includes the NUL in the last word */
		memset(mask, 0xff, take);
		bus_fword *w = &e->w[e->nwords];
		memcpy(&w->val, val, 8);
		memcpy(&w->mask, mask, 8);
		e->off[e->nwords] = (uint8_t)(field_off + at);
		e->nwords++;
	}
	return TH_OK;
}

int bus_filter_compile(bus_t *b, const th_subscription *s, bus_entry *e)
{
	e->nwords = 0;
	int rc = bus_filter_add(b, e, "venue", s->venue, offsetof(th_event_header, venue), TH_VENUE_MAX);
	if (rc == TH_OK)
		rc = bus_filter_add(b, e, "symbol", s->symbol, offsetof(th_event_header, symbol), TH_SYMBOL_MAX);
	if (rc == TH_OK)
		rc = bus_filter_add(b, e, "agent", s->agent, offsetof(th_event_header, agent), TH_NAME_MAX);
	return rc;
}
