/*
 * market — replay source over the synthetic generator, with optional time
 * range and resampling of its bars (trades and quotes pass unchanged).
 */
#include "market/source.h"
#include "market/source_internal.h"
#include "market/market_err.h"
#include "market/resample.h"

#include <stdlib.h>
#include <string.h>

typedef struct synth_source {
	market_source base;
	synth_t *gen;
	resampler rs[SYNTH_MAX_SYMBOLS];
	/* resampled bars waiting to be returned, with their symbol index */
	th_bar pending[SYNTH_MAX_SYMBOLS * RESAMPLE_MAX_OUT];
	size_t pending_sym[SYNTH_MAX_SYMBOLS * RESAMPLE_MAX_OUT];
	size_t npending, pending_pos;
	int gen_done;
} synth_source;

static size_t symbol_index(const synth_source *s, const char *symbol)
{
	size_t n;
	const th_instrument *ins = synth_instruments(s->gen, &n);
	for (size_t i = 0; i < n; i++)
		if (strcmp(ins[i].symbol, symbol) == 0)
			return i;
	return 0; /* unreachable: the generator only emits its own symbols */
}

static void push_pending(synth_source *s, size_t sym, const th_bar *bar)
{
	if (s->pending_pos == s->npending)
		s->pending_pos = s->npending = 0;
	s->pending[s->npending] = *bar;
	s->pending_sym[s->npending] = sym;
	s->npending++;
}

/* The data ended (max_bars or to_ns): close what the options allow. */
static void finish(synth_source *s)
{
	const market_source_options *o = &s->base.opt;
	size_t n;
	th_bar bar;
	s->gen_done = 1;
	if (!o->resample_ns)
		return;
	synth_instruments(s->gen, &n);
	for (size_t i = 0; i < n; i++) {
		if (o->to_ns && resample_advance(&s->rs[i], o->to_ns, &bar))
			push_pending(s, i, &bar);
		else if (o->flush_partial && resample_flush(&s->rs[i], &bar))
			push_pending(s, i, &bar);
	}
}

static int synth_source_next(market_source *src, th_event *out, char *err, size_t errlen)
{
	synth_source *s = (synth_source *)src;
	const market_source_options *o = &src->opt;
	size_t n;
	const th_instrument *ins = synth_instruments(s->gen, &n);
	for (;;) {
		if (s->pending_pos < s->npending) {
			size_t k = s->pending_pos++;
			memset(out, 0, sizeof *out);
			market_source_bar_event(out, &ins[s->pending_sym[k]], &s->pending[k]);
			return 1;
		}
		if (s->gen_done)
			return 0;
		if (synth_next(s->gen, out) == 0) {
			finish(s);
			continue;
		}
		if (out->h.type != TH_EV_BAR) {
			if (market_source_in_range(o, out->h.ts_ns))
				return 1;
			continue; /* trades past to_ns are skipped until the bar that proves the range is over */
		}
		const th_bar *bar = &out->u.bar;
		if (o->to_ns && bar->open_time_ns >= o->to_ns) {
			finish(s); /* every symbol has a bar each period, so nothing in range follows */
			continue;
		}
		if (bar->open_time_ns < o->from_ns)
			continue;
		if (!o->resample_ns)
			return 1;
		size_t sym = symbol_index(s, out->h.symbol);
		th_bar done[RESAMPLE_MAX_OUT];
		int k = resample_bar(&s->rs[sym], bar, done, err, errlen);
		if (k < 0)
			return -1;
		for (int j = 0; j < k; j++)
			push_pending(s, sym, &done[j]);
	}
}

static const th_instrument *synth_source_instruments(const market_source *src, size_t *count)
{
	return synth_instruments(((const synth_source *)src)->gen, count);
}

static void synth_source_destroy(market_source *src)
{
	synth_source *s = (synth_source *)src;
	synth_destroy(s->gen);
	free(s);
}

static const market_source_ops synth_source_ops = { synth_source_next, synth_source_instruments,
	                                                synth_source_destroy };

market_source *market_source_synth(const synth_config *cfg, const market_source_options *opt, char *err,
                                   size_t errlen)
{
	market_source_options none = { 0 };
	if (!opt)
		opt = &none;
	if (market_source_check_options(opt, err, errlen) != 0)
		return NULL;
	synth_source *s = calloc(1, sizeof *s);
	if (!s) {
		market_err(err, errlen, "market source: out of memory");
		return NULL;
	}
	s->base.ops = &synth_source_ops;
	s->base.opt = *opt;
	s->gen = synth_create(cfg, err, errlen);
	if (!s->gen) {
		free(s);
		return NULL;
	}
	if (opt->resample_ns) {
		for (size_t i = 0; i < cfg->nsymbols; i++)
			if (resample_init(&s->rs[i], cfg->bar_interval_ns, opt->resample_ns, err, errlen) != 0) {
				synth_source_destroy(&s->base);
				return NULL;
			}
	}
	return &s->base;
}
