#include "trading/trading_feed.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Per-event persistence of the basis: close to 1 so it wanders slowly and
 * reverts (half-life ~70 events). */
#define FEED_BASIS_PHI 0.99

int feed_init(feed *f, market_source *source, const char (*mirrors)[TH_VENUE_MAX], size_t nmirrors, double basis_bps,
	uint64_t seed, char *err, size_t errlen)
{
	memset(f, 0, sizeof *f);
	f->source = source;
	if (nmirrors > FEED_MAX_MIRRORS) {
		snprintf(err, errlen, "market.mirror_venues: at most %d mirror venues", FEED_MAX_MIRRORS);
		return -1;
	}
	size_t nsym;
	market_source_instruments(source, &nsym);
	if (nmirrors && nsym > FEED_MAX_SYMBOLS) {
		snprintf(err, errlen, "market: mirror venues support at most %d symbols", FEED_MAX_SYMBOLS);
		return -1;
	}
	for (size_t i = 0; i < nmirrors; i++)
		th_strlcpy(f->mirrors[i], mirrors[i], sizeof f->mirrors[i]);
	f->nmirrors = nmirrors;
	f->basis_bps = basis_bps;
	market_prng_seed(&f->rng, seed ^ 0x6d6972726f72ULL); /* "mirror": independent of the market's draws */
	return 0;
}

void feed_destroy(feed *f)
{
	market_source_destroy(f->source);
	f->source = NULL;
}

/* p x (1 + b/10000), rounded to the tick, at least one tick. */
static th_price shift(th_price p, double bps, th_price tick)
{
	if (p <= 0)
		return p;
	/* the basis is a dimensionless ratio; it becomes integer parts per 10^8 before it touches a price */
	int64_t ppb = (int64_t)llround(bps * 10000.0);
	th_price out;
	if (th_fixed_muldiv(p, 100000000LL + ppb, 100000000LL, &out) != 0)
		return p;
	if (tick > 0) {
		out = (out + tick / 2) / tick * tick;
		if (out < tick)
			out = tick;
	}
	return out;
}

static void mirror(feed *f, const th_event *ev, size_t m, th_event *out)
{
	size_t nsym;
	const th_instrument *ins = market_source_instruments(f->source, &nsym);
	size_t k = 0;
	while (k < nsym && strcmp(ins[k].symbol, ev->h.symbol) != 0)
		k++;
	th_price tick = k < nsym ? ins[k].tick : 0;
	double *b = k < FEED_MAX_SYMBOLS ? &f->basis[m][k] : &f->basis[m][0];
	/* AR(1) with stationary stdev basis_bps */
	*b = FEED_BASIS_PHI * *b + f->basis_bps * sqrt(1 - FEED_BASIS_PHI * FEED_BASIS_PHI) * market_prng_normal(&f->rng);
	memcpy(out, ev, th_event_size(ev));
	th_strlcpy(out->h.venue, f->mirrors[m], sizeof out->h.venue);
	switch (ev->h.type) {
	case TH_EV_TRADE:
		out->u.trade.price = shift(ev->u.trade.price, *b, tick);
		break;
	case TH_EV_QUOTE:
		out->u.quote.bid = shift(ev->u.quote.bid, *b, tick);
		out->u.quote.ask = shift(ev->u.quote.ask, *b, tick);
		if (out->u.quote.ask <= out->u.quote.bid)
			out->u.quote.ask = out->u.quote.bid + (tick > 0 ? tick : 1);
		break;
	case TH_EV_BAR:
		/* the same monotone map on O/H/L/C keeps low <= open, close <= high */
		out->u.bar.open = shift(ev->u.bar.open, *b, tick);
		out->u.bar.high = shift(ev->u.bar.high, *b, tick);
		out->u.bar.low = shift(ev->u.bar.low, *b, tick);
		out->u.bar.close = shift(ev->u.bar.close, *b, tick);
		break;
	default:
		break;
	}
}

/* feed_next() with mirror venues. Out of line: inlined, its frame (six
 * saved registers and the stack for mirror()) was set up on every call,
 * also on the usual path that has no mirrors and only jumps to the source. */
static __attribute__((noinline)) int feed_next_mirrored(feed *f, th_event *out, char *err, size_t errlen)
{
	if (f->qlen) {
		memcpy(out, &f->queue[f->qhead], th_event_size(&f->queue[f->qhead]));
		f->qhead++;
		f->qlen--;
		return 1;
	}
	int rc = market_source_next(f->source, out, err, errlen);
	if (rc != 1)
		return rc;
	for (size_t m = 0; m < f->nmirrors; m++)
		mirror(f, out, m, &f->queue[m]);
	f->qhead = 0;
	f->qlen = f->nmirrors;
	return 1;
}

int feed_next(feed *f, th_event *out, char *err, size_t errlen)
{
	/* Without mirror venues (the usual backtest) this is the source's next
	 * event, and the call ends in a jump to it (no frame of its own). */
	if (!f->nmirrors)
		return market_source_next(f->source, out, err, errlen);
	return feed_next_mirrored(f, out, err, errlen);
}
