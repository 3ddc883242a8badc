/*
 * arbitrage — hot-reload hand-over: a header naming the market the state
 * belongs to, then the arb_book as is (plain data, handed between two
 * generations of one host process). Orders in flight keep being tracked by
 * the new generation; tick, lot and sizes are re-derived from its own
 * configuration.
 */
#include <stdio.h>
#include <string.h>

#include "arb_internal.h"

#define ARB_STATE_MAGIC 0x31425241u /* "ARB1" */
#define ARB_STATE_VERSION 1u

typedef struct arb_state_header {
	uint32_t magic, version, book_size, reserved_;
	char symbol[TH_SYMBOL_MAX];
	char venue[2][TH_VENUE_MAX];
} arb_state_header;

int arb_export(void *instance, void **data, size_t *len)
{
	arb_agent *a = instance;
	size_t size = sizeof(arb_state_header) + sizeof(arb_book);
	unsigned char *p = a->api->alloc(a->ctx, size);
	if (!p)
		return TH_ERR_NOMEM;
	arb_state_header h;
	memset(&h, 0, sizeof h);
	h.magic = ARB_STATE_MAGIC;
	h.version = ARB_STATE_VERSION;
	h.book_size = sizeof(arb_book);
	th_strlcpy(h.symbol, a->symbol, sizeof h.symbol);
	th_strlcpy(h.venue[0], a->venue[0], sizeof h.venue[0]);
	th_strlcpy(h.venue[1], a->venue[1], sizeof h.venue[1]);
	memcpy(p, &h, sizeof h);
	memcpy(p + sizeof h, &a->b, sizeof a->b);
	*data = p;
	*len = size;
	return TH_OK;
}

int arb_import(void *instance, const void *data, size_t len)
{
	arb_agent *a = instance;
	arb_state_header h;
	if (len != sizeof h + sizeof(arb_book)) {
		a->api->set_error(a->ctx, "arbitrage: state of %zu bytes is not a version %u arbitrage state", len,
			ARB_STATE_VERSION);
		return TH_ERR_INVALID;
	}
	memcpy(&h, data, sizeof h);
	if (h.magic != ARB_STATE_MAGIC || h.version != ARB_STATE_VERSION || h.book_size != sizeof(arb_book)) {
		a->api->set_error(a->ctx, "arbitrage: state is not a version %u arbitrage state", ARB_STATE_VERSION);
		return TH_ERR_INVALID;
	}
	h.symbol[sizeof h.symbol - 1] = '\0';
	h.venue[0][sizeof h.venue[0] - 1] = h.venue[1][sizeof h.venue[1] - 1] = '\0';
	if (strcmp(h.symbol, a->symbol) != 0 || strcmp(h.venue[0], a->venue[0]) != 0 ||
		strcmp(h.venue[1], a->venue[1]) != 0) {
		/* positions per venue mean nothing for another pair of markets */
		a->api->set_error(a->ctx, "arbitrage: state belongs to %s on %s/%s, the configuration trades %s on %s/%s",
			h.symbol, h.venue[0], h.venue[1], a->symbol, a->venue[0], a->venue[1]);
		return TH_ERR_INVALID;
	}
	arb_book b;
	memcpy(&b, (const unsigned char *)data + sizeof h, sizeof b);
	for (int i = 0; i < ARB_MAX_ORDERS; i++)
		b.orders[i].clid[sizeof b.orders[i].clid - 1] = '\0';
	a->b = b;
	if (b.have_scales) {
		a->b.have_scales = 0;
		arb_learn_scales(a, b.price_scale, b.qty_scale);
	}
	return TH_OK;
}
