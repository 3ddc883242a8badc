/*
 * History (de)serialisation for hot reload and restarts (see var_state.h).
 * The reader checks every length before it copies, and a blob that does not
 * add up is refused whole: a reload never runs on half a history.
 */
#include "var_state.h"

#include <string.h>

#define MAGIC 0x48524156u /* "VARH" */
#define VERSION 1u
#define HDR_SIZE (6 * 4 + 2 * 8)
#define REC_SIZE (TH_VENUE_MAX + TH_SYMBOL_MAX + 8 + 4 + 4 + 8 + 8)

typedef struct cursor {
	unsigned char *p;
	const unsigned char *r;
	size_t off, len;
} cursor;

static void put(cursor *c, const void *v, size_t n)
{
	memcpy(c->p + c->off, v, n);
	c->off += n;
}

static int get(cursor *c, void *v, size_t n)
{
	if (c->len - c->off < n)
		return -1;
	memcpy(v, c->r + c->off, n);
	c->off += n;
	return 0;
}

int var_state_save(var_model *m, void **data, size_t *len)
{
	const var_hist *h = &m->hist;
	uint32_t count = h->started ? (uint32_t)h->n : 0, ninst = (uint32_t)h->ninst, pad = 0;
	uint32_t magic = MAGIC, version = VERSION, window = (uint32_t)h->window;
	size_t size = HDR_SIZE + (size_t)ninst * (REC_SIZE + (size_t)count * sizeof(double));
	cursor c = { m->api->alloc(m->ctx, size), NULL, 0, size };
	if (!c.p)
		return TH_ERR_NOMEM;
	put(&c, &magic, 4);
	put(&c, &version, 4);
	put(&c, &window, 4);
	put(&c, &count, 4);
	put(&c, &ninst, 4);
	put(&c, &pad, 4);
	put(&c, &h->interval_ns, 8);
	put(&c, &h->s, 8);
	var_span sp = count ? var_hist_recent(h, count) : (var_span){ 0, 0, 0, 0 };
	for (size_t i = 0; i < h->ninst; i++) {
		const var_inst *in = &h->inst[i];
		int32_t has = in->has_close;
		put(&c, in->venue, TH_VENUE_MAX);
		put(&c, in->symbol, TH_SYMBOL_MAX);
		put(&c, &in->close, 8);
		put(&c, &in->close_scale, 4);
		put(&c, &has, 4);
		put(&c, &in->last_slot, 8);
		put(&c, &in->first_ret, 8);
		put(&c, in->ret + sp.a0, sp.n0 * sizeof(double));
		put(&c, in->ret + sp.a1, sp.n1 * sizeof(double));
	}
	*data = c.p;
	*len = c.off;
	return TH_OK;
}

int var_state_load(var_model *m, const void *data, size_t len)
{
	var_hist *h = &m->hist;
	cursor c = { NULL, data, 0, len };
	uint32_t magic, version, window, count, ninst, pad;
	int64_t interval, newest;
	if (get(&c, &magic, 4) || get(&c, &version, 4) || get(&c, &window, 4) || get(&c, &count, 4) ||
		get(&c, &ninst, 4) || get(&c, &pad, 4) || get(&c, &interval, 8) || get(&c, &newest, 8))
		return TH_ERR_INVALID;
	if (magic != MAGIC || version != VERSION || count > window ||
		(len - HDR_SIZE) / (REC_SIZE + (size_t)count * sizeof(double)) != ninst ||
		(len - HDR_SIZE) % (REC_SIZE + (size_t)count * sizeof(double)) != 0)
		return TH_ERR_INVALID;
	if (count == 0 || interval <= 0 || h->started)
		return TH_OK;
	if (m->cfg.bar_interval_ns && m->cfg.bar_interval_ns != interval) {
		m->api->logf(m->ctx, TH_LOG_INFO, "var: saved history is of another timeframe (%lld ns): not loaded",
			(long long)interval);
		return TH_OK;
	}
	size_t keep = count < h->window ? count : h->window;
	h->interval_ns = interval;
	h->started = 1;
	h->s = newest;
	h->s0 = newest - (int64_t)keep + 1;
	h->n = keep;
	for (uint32_t i = 0; i < ninst; i++) {
		char venue[TH_VENUE_MAX], symbol[TH_SYMBOL_MAX];
		int64_t close, last_slot, first_ret;
		int32_t scale, has;
		if (get(&c, venue, sizeof venue) || get(&c, symbol, sizeof symbol) || get(&c, &close, 8) ||
			get(&c, &scale, 4) || get(&c, &has, 4) || get(&c, &last_slot, 8) || get(&c, &first_ret, 8))
			return TH_ERR_INVALID;
		venue[TH_VENUE_MAX - 1] = '\0';
		symbol[TH_SYMBOL_MAX - 1] = '\0';
		size_t skip = (count - keep) * sizeof(double);
		int32_t id = var_hist_intern(h, venue, symbol);
		if (id < 0 || scale < 0 || scale > TH_SCALE_MAX) {
			c.off += (size_t)count * sizeof(double); /* no room, or junk: leave it out */
			continue;
		}
		var_inst *in = &h->inst[id];
		c.off += skip;
		if (get(&c, in->ret, keep * sizeof(double)))
			return TH_ERR_INVALID;
		in->close = close;
		in->close_scale = scale;
		in->has_close = has != 0 && close > 0;
		in->last_slot = last_slot;
		in->first_ret = first_ret;
	}
	h->gen++;
	return TH_OK;
}
