/* core_kit — ring of recent bars for indicator replay after a hot reload. */
#include "kit_hist.h"

#include <string.h>

void kit_hist_init(kit_hist *h)
{
	memset(h, 0, sizeof *h);
}

void kit_hist_push(kit_hist *h, const th_bar *b)
{
	kit_hbar *s = &h->bars[h->head];
	s->open_time_ns = b->open_time_ns;
	s->open = b->open;
	s->high = b->high;
	s->low = b->low;
	s->close = b->close;
	s->volume = b->volume;
	h->price_scale = b->price_scale;
	h->qty_scale = b->qty_scale;
	h->head = (h->head + 1) % KIT_HIST_CAP;
	if (h->count < KIT_HIST_CAP)
		h->count++;
	h->total++;
}

const kit_hbar *kit_hist_at(const kit_hist *h, uint32_t i)
{
	if (i >= h->count)
		return NULL;
	uint32_t first = (h->head + KIT_HIST_CAP - h->count) % KIT_HIST_CAP;
	return &h->bars[(first + i) % KIT_HIST_CAP];
}

const kit_hbar *kit_hist_back(const kit_hist *h, uint32_t ago)
{
	if (ago >= h->count)
		return NULL;
	return kit_hist_at(h, h->count - 1 - ago);
}

void kit_hist_bar(const kit_hist *h, const kit_hbar *hb, th_bar *out)
{
	memset(out, 0, sizeof *out);
	out->open_time_ns = hb->open_time_ns;
	out->open = hb->open;
	out->high = hb->high;
	out->low = hb->low;
	out->close = hb->close;
	out->volume = hb->volume;
	out->price_scale = h->price_scale;
	out->qty_scale = h->qty_scale;
}
