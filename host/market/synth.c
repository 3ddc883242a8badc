/*
 * market — synthetic market: lifecycle and the time-ordered event iterator.
 * The model itself (one bar at a time) lives in synth_bar.c.
 */
#include "market/synth.h"
#include "market/synth_internal.h"
#include "market/market_err.h"
#include "market/market_linalg.h"

#include <math.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>

#define NS_PER_YEAR (365.0 * 86400.0 * 1e9)
#define NS_PER_DAY (86400.0 * 1e9)

static void setup_regimes(synth_t *s)
{
	const synth_config *c = &s->cfg;
	if (c->nregimes <= 1) {
		s->vol_mult[0] = 1.0;
		return;
	}
	/* Scale the multipliers so E[m²] under the stationary law is 1: then the
	 * configured volatility is the long-run volatility whatever the regimes. */
	double pi[SYNTH_MAX_REGIMES], ms = 0.0;
	market_markov_stationary(&c->regime_transition[0][0], c->nregimes, SYNTH_MAX_REGIMES, pi);
	for (size_t i = 0; i < c->nregimes; i++)
		ms += pi[i] * c->regimes[i].vol_mult * c->regimes[i].vol_mult;
	double k = ms > 0.0 ? 1.0 / sqrt(ms) : 1.0;
	for (size_t i = 0; i < c->nregimes; i++)
		s->vol_mult[i] = c->regimes[i].vol_mult * k;
}

synth_t *synth_create(const synth_config *cfg, char *err, size_t errlen)
{
	if (synth_config_validate(cfg, err, errlen) != 0)
		return NULL;
	synth_t *s = calloc(1, sizeof *s);
	if (!s) {
		market_err(err, errlen, "synth: out of memory");
		return NULL;
	}
	s->cfg = *cfg;
	synth_config *c = &s->cfg;
	size_t n = c->trades_per_bar;
	s->trades = calloc(c->nsymbols * n, sizeof *s->trades);
	s->path = calloc(n + 1, sizeof *s->path);
	s->jump_at = calloc(n + 1, sizeof *s->jump_at);
	s->spacing = calloc(n + 1, sizeof *s->spacing);
	if (!s->trades || !s->path || !s->jump_at || !s->spacing) {
		synth_destroy(s);
		market_err(err, errlen, "synth: out of memory for %zu trades per bar", n);
		return NULL;
	}

	s->dt_years = (double)c->bar_interval_ns / NS_PER_YEAR;
	s->dt_days = (double)c->bar_interval_ns / NS_PER_DAY;
	for (size_t i = 0; i < c->nsymbols; i++) {
		synth_symbol_config *sc = &c->symbols[i];
		if (sc->min_qty == 0)
			sc->min_qty = sc->lot;
		if (sc->mean_trade_qty == 0)
			sc->mean_trade_qty = SYNTH_DEFAULT_TRADE_LOTS * sc->lot;

		th_instrument *in = &s->instruments[i];
		th_strlcpy(in->venue, c->venue, sizeof in->venue);
		th_strlcpy(in->symbol, sc->symbol, sizeof in->symbol);
		th_strlcpy(in->base, sc->base, sizeof in->base);
		th_strlcpy(in->quote, sc->quote, sizeof in->quote);
		in->price_scale = sc->price_scale;
		in->qty_scale = sc->qty_scale;
		in->tick = sc->tick;
		in->lot = sc->lot;
		in->min_qty = sc->min_qty;
		in->min_notional = sc->min_notional;
		/* every event of the symbol starts from this header (zero from calloc,
		 * the instrument's zero-padded names; formatted once:
		 * copying the names per event was a tenth of the generator's time) */
		_Static_assert(sizeof in->venue == sizeof s->header[i].venue && sizeof in->symbol == sizeof s->header[i].symbol,
		               "instrument and header name fields");
		memcpy(s->header[i].venue, in->venue, sizeof s->header[i].venue);
		memcpy(s->header[i].symbol, in->symbol, sizeof s->header[i].symbol);

		double var_bar = sc->volatility * sc->volatility * s->dt_years;
		s->omega[i] = var_bar * (1.0 - c->garch_alpha - c->garch_beta);
		s->garch_h[i] = var_bar; /* start at the long-run level */
		s->last_close[i] = sc->start_price;
		s->next_trade_id[i] = 1;
	}

	double a[SYNTH_MAX_SYMBOLS][SYNTH_MAX_SYMBOLS];
	synth_correlation_matrix(c, a);
	market_cholesky(&a[0][0], c->nsymbols, SYNTH_MAX_SYMBOLS, &s->chol[0][0]); /* validated above */
	setup_regimes(s);
	for (size_t g = 0; g < (c->nregimes ? c->nregimes : 1); g++) {
		/* the expression synth_bar.c used per bar, so the same doubles */
		double lambda = c->jump_intensity * s->dt_days * (c->nregimes ? c->regimes[g].jump_mult : 1.0);
		s->jump_lambda[g] = lambda;
		s->jump_limit[g] = lambda > 0.0 ? exp(-lambda) : 1.0;
	}

	market_prng_seed(&s->rng, c->seed);
	s->regime = c->start_regime;
	s->trend_sign = market_prng_below(&s->rng, 2) ? 1 : -1;
	return s;
}

void synth_destroy(synth_t *s)
{
	if (!s)
		return;
	free(s->trades);
	free(s->path);
	free(s->jump_at);
	free(s->spacing);
	free(s);
}

/* The symbol's header (s->header[sym]: zeroed, venue and symbol set) with
 * this event's type and time. Byte-identical streams: no stale bytes in the
 * header; the payload is cleared by the caller or copied whole. */
static void put_header(const synth_t *s, size_t sym, th_event *out, th_event_type type, int64_t ts)
{
	memcpy(&out->h, &s->header[sym], sizeof out->h);
	out->h.type = (uint16_t)type;
	out->h.ts_ns = ts;
}

static void fill_header(const synth_t *s, size_t sym, th_event *out, th_event_type type, int64_t ts, size_t payload)
{
	put_header(s, sym, out, type, ts);
	memset(&out->u, 0, payload); /* no stale padding in the payload that travels */
}

static void emit_trade_or_quote(synth_t *s, size_t sym, th_event *out)
{
	const synth_symbol_config *sc = &s->cfg.symbols[sym];
	size_t k = s->cursor[sym] / 2;
	const synth_trade_rec *t = &s->trades[sym * s->cfg.trades_per_bar + k];
	if (s->cursor[sym] % 2 == 0) {
		fill_header(s, sym, out, TH_EV_QUOTE, t->ts_ns, sizeof(th_quote));
		out->u.quote.bid = t->bid;
		out->u.quote.ask = t->ask;
		out->u.quote.bid_qty = t->bid_qty;
		out->u.quote.ask_qty = t->ask_qty;
		out->u.quote.price_scale = sc->price_scale;
		out->u.quote.qty_scale = sc->qty_scale;
	} else {
		fill_header(s, sym, out, TH_EV_TRADE, t->ts_ns, sizeof(th_trade));
		out->u.trade.price = t->price;
		out->u.trade.qty = t->qty;
		out->u.trade.trade_id = t->trade_id;
		out->u.trade.aggressor = t->aggressor;
		out->u.trade.price_scale = sc->price_scale;
		out->u.trade.qty_scale = sc->qty_scale;
	}
	out->h.size = th_event_size(out);
	s->cursor[sym]++;
}

int synth_next(synth_t *s, th_event *out)
{
	const synth_config *c = &s->cfg;
	size_t ntr = c->trades_per_bar;
	for (;;) {
		if (s->finished)
			return 0;
		if (!s->have_bar) {
			int64_t offset, open;
			if (c->max_bars && s->stats.bars >= c->max_bars) {
				s->finished = 1;
				return 0;
			}
			/* the clock must stay inside int64 including the bar's close time */
			if (s->stats.bars >= (uint64_t)INT64_MAX ||
			    __builtin_mul_overflow((int64_t)s->stats.bars + 1, c->bar_interval_ns, &offset) ||
			    __builtin_add_overflow(c->start_time_ns, offset, &open)) {
				s->finished = 1;
				return 0;
			}
			s->bar_open_ns = open - c->bar_interval_ns;
			synth_generate_bar(s);
			/* with bars only the intrabar path built the bar but is not
			 * emitted; only the configured symbols' cursors are read (a
			 * memset of the whole array was half of this function) */
			size_t start = c->bars_only ? 2 * ntr : 0;
			for (size_t i = 0; i < c->nsymbols; i++)
				s->cursor[i] = start;
			s->bars_emitted = 0;
			s->have_bar = 1;
		}
		/* earliest pending quote/trade; ties go to the lower symbol index,
		 * and a quote precedes its trade because both share a timestamp */
		size_t best = SIZE_MAX;
		int64_t best_ts = 0;
		for (size_t i = 0; i < c->nsymbols; i++) {
			if (s->cursor[i] >= 2 * ntr)
				continue;
			int64_t ts = s->trades[i * ntr + s->cursor[i] / 2].ts_ns;
			if (best == SIZE_MAX || ts < best_ts) {
				best = i;
				best_ts = ts;
			}
		}
		if (best != SIZE_MAX) {
			emit_trade_or_quote(s, best, out);
			return 1;
		}
		if (s->bars_emitted < c->nsymbols) {
			size_t i = s->bars_emitted++;
			put_header(s, i, out, TH_EV_BAR, s->bars[i].open_time_ns + s->bars[i].interval_ns);
			memcpy(&out->u.bar, &s->bars[i], sizeof out->u.bar); /* padding too */
			out->h.size = th_event_size(out);
			return 1;
		}
		s->have_bar = 0;
	}
}

const th_instrument *synth_instruments(const synth_t *s, size_t *count)
{
	if (count)
		*count = s->cfg.nsymbols;
	return s->instruments;
}

size_t synth_current_regime(const synth_t *s)
{
	return s->regime;
}

const synth_stats *synth_get_stats(const synth_t *s)
{
	return &s->stats;
}
