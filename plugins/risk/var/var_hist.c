/*
 * Instrument table and return windows (see var_hist.h). Memory comes from the
 * host's per-instance allocator; a ring is allocated once, when its instrument
 * is first seen (on a bar or a position), never on the check() path.
 */
#include "var_hist.h"

#include <string.h>

static uint32_t key_hash(const char *venue, const char *symbol)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (const char *p = venue; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	h = (h ^ 0x1fu) * 16777619u;
	for (const char *p = symbol; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	return h;
}

int var_hist_init(var_hist *h, const th_host_api *api, th_ctx *ctx, size_t window, size_t max_inst,
	int64_t interval_ns, int64_t max_stale)
{
	memset(h, 0, sizeof *h);
	h->api = api;
	h->ctx = ctx;
	h->window = window;
	h->max_inst = max_inst;
	h->max_stale = max_stale;
	h->interval_ns = interval_ns;
	size_t tsize = 16;
	while (tsize < 2 * max_inst)
		tsize *= 2;
	h->tmask = tsize - 1;
	h->table = api->alloc(ctx, tsize * sizeof *h->table);
	h->inst = api->alloc(ctx, max_inst * sizeof *h->inst);
	if (!h->table || !h->inst) {
		var_hist_free(h);
		return TH_ERR_NOMEM;
	}
	memset(h->table, 0, tsize * sizeof *h->table);
	memset(h->inst, 0, max_inst * sizeof *h->inst);
	return TH_OK;
}

void var_hist_free(var_hist *h)
{
	if (!h->api)
		return;
	for (size_t i = 0; h->inst && i < h->ninst; i++)
		if (h->inst[i].ret)
			h->api->free(h->ctx, h->inst[i].ret);
	if (h->inst)
		h->api->free(h->ctx, h->inst);
	if (h->table)
		h->api->free(h->ctx, h->table);
	h->inst = NULL;
	h->table = NULL;
	h->ninst = 0;
}

int32_t var_hist_find(const var_hist *h, const char *venue, const char *symbol)
{
	for (size_t i = key_hash(venue, symbol) & h->tmask;; i = (i + 1) & h->tmask) {
		uint32_t e = h->table[i];
		if (e == 0)
			return -1;
		const var_inst *in = &h->inst[e - 1];
		if (strcmp(in->symbol, symbol) == 0 && strcmp(in->venue, venue) == 0)
			return (int32_t)(e - 1);
	}
}

int32_t var_hist_intern(var_hist *h, const char *venue, const char *symbol)
{
	size_t i = key_hash(venue, symbol) & h->tmask;
	for (;; i = (i + 1) & h->tmask) {
		uint32_t e = h->table[i];
		if (e == 0)
			break;
		const var_inst *in = &h->inst[e - 1];
		if (strcmp(in->symbol, symbol) == 0 && strcmp(in->venue, venue) == 0)
			return (int32_t)(e - 1);
	}
	if (h->ninst == h->max_inst)
		return -1;
	var_inst *in = &h->inst[h->ninst];
	memset(in, 0, sizeof *in);
	in->ret = h->api->alloc(h->ctx, h->window * sizeof *in->ret);
	if (!in->ret)
		return -1;
	memset(in->ret, 0, h->window * sizeof *in->ret);
	th_strlcpy(in->venue, venue, sizeof in->venue);
	th_strlcpy(in->symbol, symbol, sizeof in->symbol);
	in->first_ret = INT64_MAX;
	h->table[i] = (uint32_t)(h->ninst + 1);
	return (int32_t)h->ninst++;
}

size_t var_hist_usable(const var_hist *h, const var_inst *in)
{
	if (!in->has_close || !h->started || in->first_ret > h->s)
		return 0;
	if (h->s - in->last_slot > h->max_stale)
		return 0;
	int64_t cover = h->s - in->first_ret + 1;
	return cover < (int64_t)h->n ? (size_t)cover : h->n;
}

int var_hist_fresh(const var_hist *h, int64_t now_ns)
{
	__extension__ typedef __int128 i128;
	if (!h->started || h->interval_ns <= 0)
		return 0;
	return (i128)now_ns < ((i128)h->s + 2 + h->max_stale) * (i128)h->interval_ns;
}

double var_hist_return(th_price prev, int32_t prev_scale, th_price close, int32_t close_scale)
{
	if (prev_scale == close_scale)
		return (double)(close - prev) / (double)prev;
	double p = (double)prev / (double)th_pow10(prev_scale);
	double c = (double)close / (double)th_pow10(close_scale);
	return c / p - 1.0;
}
