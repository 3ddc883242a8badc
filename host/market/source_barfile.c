/*
 * market — replay source over a binary bar file (barfile.h), with optional
 * time range and resampling. The file is already in event-time order, so
 * replay is read, check, copy: no merge, no parsing.
 */
#include "market/source.h"
#include "market/source_internal.h"
#include "market/barfile.h"
#include "market/market_err.h"
#include "market/resample.h"

#include <stdlib.h>
#include <string.h>

typedef struct barfile_source {
	market_source base;
	barfile *file;
	size_t n;
	th_instrument *instruments;
	int64_t max_interval_ns;
	resampler *rs;              /* one per symbol when resampling */
	th_bar *pending;            /* resampled bars waiting, with their symbol */
	size_t *pending_sym;
	size_t npending, pending_pos, pending_cap;
	int done;
} barfile_source;

static void push_pending(barfile_source *s, size_t sym, const th_bar *bar)
{
	if (s->pending_pos == s->npending)
		s->pending_pos = s->npending = 0;
	/* capacity: every symbol's closing bars plus one bar's worth (see create) */
	if (s->npending == s->pending_cap)
		return;
	s->pending[s->npending] = *bar;
	s->pending_sym[s->npending] = sym;
	s->npending++;
}

/* The data ended (end of file or past to_ns): close what the options allow. */
static void finish(barfile_source *s)
{
	const market_source_options *o = &s->base.opt;
	th_bar bar;
	s->done = 1;
	if (!o->resample_ns)
		return;
	for (size_t i = 0; i < s->n; i++) {
		if (o->to_ns && resample_advance(&s->rs[i], o->to_ns, &bar))
			push_pending(s, i, &bar);
		else if (o->flush_partial && resample_flush(&s->rs[i], &bar))
			push_pending(s, i, &bar);
	}
}

static int barfile_source_next(market_source *src, th_event *out, char *err, size_t errlen)
{
	barfile_source *s = (barfile_source *)src;
	const market_source_options *o = &src->opt;
	for (;;) {
		if (s->pending_pos < s->npending) {
			size_t k = s->pending_pos++;
			market_source_bar_event(out, &s->instruments[s->pending_sym[k]], &s->pending[k]);
			return 1;
		}
		if (s->done)
			return 0;
		size_t sym;
		th_bar bar;
		int rc = barfile_next(s->file, &sym, &bar, err, errlen);
		if (rc < 0)
			return -1;
		if (rc == 0) {
			finish(s);
			continue;
		}
		if (o->to_ns && bar.open_time_ns >= o->to_ns) {
			/* event times never decrease, so once this bar's close is a whole
			 * longest interval past to_ns no later bar can open before it */
			if (bar.open_time_ns + bar.interval_ns - s->max_interval_ns >= o->to_ns)
				finish(s);
			continue;
		}
		if (bar.open_time_ns < o->from_ns)
			continue;
		if (!o->resample_ns) {
			market_source_bar_event(out, &s->instruments[sym], &bar);
			return 1;
		}
		th_bar done[RESAMPLE_MAX_OUT];
		char why[256];
		int k = resample_bar(&s->rs[sym], &bar, done, why, sizeof why);
		if (k < 0)
			return market_err(err, errlen, "%s: %s: %s", barfile_path(s->file), s->instruments[sym].symbol, why);
		for (int j = 0; j < k; j++)
			push_pending(s, sym, &done[j]);
	}
}

static const th_instrument *barfile_source_instruments(const market_source *src, size_t *count)
{
	const barfile_source *s = (const barfile_source *)src;
	if (count)
		*count = s->n;
	return s->instruments;
}

static void barfile_source_destroy(market_source *src)
{
	barfile_source *s = (barfile_source *)src;
	barfile_close(s->file);
	free(s->instruments);
	free(s->rs);
	free(s->pending);
	free(s->pending_sym);
	free(s);
}

static const market_source_ops barfile_source_ops = { barfile_source_next, barfile_source_instruments,
	                                                  barfile_source_destroy };

static market_source *create_fail(barfile_source *s)
{
	barfile_source_destroy(&s->base);
	return NULL;
}

market_source *market_source_barfile(const char *path, const th_instrument *instruments, size_t n,
                                     const market_source_options *opt, char *err, size_t errlen)
{
	market_source_options none = { 0 };
	if (!opt)
		opt = &none;
	if (market_source_check_options(opt, err, errlen) != 0)
		return NULL;
	barfile_source *s = calloc(1, sizeof *s);
	if (!s) {
		market_err(err, errlen, "market source: out of memory");
		return NULL;
	}
	s->base.ops = &barfile_source_ops;
	s->base.opt = *opt;
	if (!(s->file = barfile_open(path, err, errlen)))
		return create_fail(s);
	size_t nsym;
	const barfile_symbol *syms = barfile_symbols(s->file, &nsym);
	if (n != nsym) {
		market_err(err, errlen, "%s: the file has %zu symbols, %zu instruments were given", path, nsym, n);
		return create_fail(s);
	}
	s->n = n;
	s->instruments = calloc(n, sizeof *s->instruments);
	if (!s->instruments) {
		market_err(err, errlen, "market source: out of memory");
		return create_fail(s);
	}
	for (size_t i = 0; i < n; i++) {
		const th_instrument *in = &instruments[i];
		th_instrument *ins = &s->instruments[i];
		if (!memchr(in->venue, '\0', sizeof in->venue) || !in->venue[0]) {
			market_err(err, errlen, "%s: instrument %zu: venue must be a non-empty name of at most %d characters",
			           path, i, TH_VENUE_MAX - 1);
			return create_fail(s);
		}
		if (strncmp(in->symbol, syms[i].symbol, sizeof in->symbol) != 0 || in->price_scale != syms[i].price_scale ||
		    in->qty_scale != syms[i].qty_scale) {
			market_err(err, errlen, "%s: symbol %zu is %s with scales %d/%d; the instrument given is %.*s with %d/%d",
			           path, i, syms[i].symbol, syms[i].price_scale, syms[i].qty_scale, (int)sizeof in->symbol,
			           in->symbol, in->price_scale, in->qty_scale);
			return create_fail(s);
		}
		/* field by field so unused bytes are zero: events copy these arrays whole */
		th_strlcpy(ins->venue, in->venue, sizeof ins->venue);
		th_strlcpy(ins->symbol, syms[i].symbol, sizeof ins->symbol);
		if (memchr(in->base, '\0', sizeof ins->base))
			th_strlcpy(ins->base, in->base, sizeof ins->base);
		if (memchr(in->quote, '\0', sizeof ins->quote))
			th_strlcpy(ins->quote, in->quote, sizeof ins->quote);
		ins->price_scale = in->price_scale;
		ins->qty_scale = in->qty_scale;
		ins->tick = in->tick;
		ins->lot = in->lot;
		ins->min_qty = in->min_qty;
		ins->min_notional = in->min_notional;
		if (syms[i].interval_ns > s->max_interval_ns)
			s->max_interval_ns = syms[i].interval_ns;
	}
	if (opt->resample_ns) {
		s->rs = calloc(n, sizeof *s->rs);
		s->pending_cap = n * (RESAMPLE_MAX_OUT + 1);
		s->pending = calloc(s->pending_cap, sizeof *s->pending);
		s->pending_sym = calloc(s->pending_cap, sizeof *s->pending_sym);
		if (!s->rs || !s->pending || !s->pending_sym) {
			market_err(err, errlen, "market source: out of memory");
			return create_fail(s);
		}
		for (size_t i = 0; i < n; i++) {
			char why[256];
			if (resample_init(&s->rs[i], syms[i].interval_ns, opt->resample_ns, why, sizeof why) != 0) {
				market_err(err, errlen, "%s: %s: %s", path, syms[i].symbol, why);
				return create_fail(s);
			}
		}
	}
	return &s->base;
}
