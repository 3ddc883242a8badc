/*
 * market_maker — hot-reload hand-over.
 *
 * Blob: a header (magic, version, symbol and venue the state belongs to, the
 * number of volatility samples), the mm_book as is (plain data, same build
 * family: a reload hands state between two generations of one host
 * process), then the samples oldest first. The new generation replays the
 * samples into its own volatility window (whose length may have changed)
 * and re-derives tick, lot and sizes from its own configuration.
 */
#include <stdio.h>
#include <string.h>

#include "mm_internal.h"

#define MM_STATE_MAGIC 0x314b4d4du /* "MMK1" */
#define MM_STATE_VERSION 1u

typedef struct mm_state_header {
	uint32_t magic, version;
	uint32_t book_size, nsamples;
	char symbol[TH_SYMBOL_MAX];
	char venue[TH_VENUE_MAX];
} mm_state_header;

int mm_export(void *instance, void **data, size_t *len)
{
	mm_agent *a = instance;
	uint32_t n = a->b.samples_seen < a->vol_window ? (uint32_t)a->b.samples_seen : a->vol_window;
	size_t size = sizeof(mm_state_header) + sizeof(mm_book) + (size_t)n * sizeof(mm_sample);
	unsigned char *p = a->api->alloc(a->ctx, size);
	if (!p)
		return TH_ERR_NOMEM;
	mm_state_header h;
	memset(&h, 0, sizeof h);
	h.magic = MM_STATE_MAGIC;
	h.version = MM_STATE_VERSION;
	h.book_size = sizeof(mm_book);
	h.nsamples = n;
	th_strlcpy(h.symbol, a->symbol, sizeof h.symbol);
	th_strlcpy(h.venue, a->venue, sizeof h.venue);
	memcpy(p, &h, sizeof h);
	memcpy(p + sizeof h, &a->b, sizeof a->b);
	uint64_t first = a->b.samples_seen - n;
	for (uint32_t i = 0; i < n; i++)
		memcpy(p + sizeof h + sizeof a->b + (size_t)i * sizeof(mm_sample), &a->ring[(first + i) % a->vol_window],
			sizeof(mm_sample));
	*data = p;
	*len = size;
	return TH_OK;
}

int mm_import(void *instance, const void *data, size_t len)
{
	mm_agent *a = instance;
	mm_state_header h;
	if (len < sizeof h) {
		a->api->set_error(a->ctx, "market_maker: state of %zu bytes is too short", len);
		return TH_ERR_INVALID;
	}
	memcpy(&h, data, sizeof h);
	if (h.magic != MM_STATE_MAGIC || h.version != MM_STATE_VERSION || h.book_size != sizeof(mm_book) ||
		len != sizeof h + sizeof(mm_book) + (size_t)h.nsamples * sizeof(mm_sample)) {
		a->api->set_error(a->ctx, "market_maker: state is not a version %u market_maker state", MM_STATE_VERSION);
		return TH_ERR_INVALID;
	}
	if (!memchr(h.symbol, 0, sizeof h.symbol) || !memchr(h.venue, 0, sizeof h.venue) ||
		strcmp(h.symbol, a->symbol) != 0 || strcmp(h.venue, a->venue) != 0) {
		/* the position and orders belong to another market: refuse rather than mix them up */
		a->api->set_error(a->ctx, "market_maker: state belongs to %.23s on %.15s, the configuration quotes %s on %s",
			h.symbol, h.venue, a->symbol, a->venue);
		return TH_ERR_INVALID;
	}
	const unsigned char *p = data;
	mm_book b;
	memcpy(&b, p + sizeof h, sizeof b);
	b.orphan[sizeof b.orphan - 1] = '\0';
	for (int i = 0; i < 2; i++)
		b.slots[i].clid[sizeof b.slots[i].clid - 1] = '\0';
	a->b = b;
	a->b.samples_seen = 0;
	if (b.have_scales) {
		a->b.have_scales = 0;
		mm_learn_scales(a, b.price_scale, b.qty_scale); /* with this generation's tick, lot and sizes */
	}
	th_ta_sma_reset(&a->mean_r2);
	th_ta_sma_reset(&a->mean_dt);
	a->sigma_ready = 0;
	for (uint32_t i = 0; i < h.nsamples; i++) {
		mm_sample x;
		memcpy(&x, p + sizeof h + sizeof b + (size_t)i * sizeof x, sizeof x);
		mm_vol_push(a, x.r_bps, x.dt_s);
	}
	return TH_OK;
}
