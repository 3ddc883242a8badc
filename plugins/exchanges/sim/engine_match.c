/*
 * sim engine — execution: how the host's orders fill against the market.
 *
 * Every market event becomes one or more "points" of liquidity (sim_liq): a
 * quote is one point with separate bid/ask prices and sizes, a trade is one
 * point at its price with a participation budget, a bar is a path of points
 * (README.md, "Fill model"). At each point, in this order:
 *   1. orders waiting for liquidity (market remainders, and IOC/FOK/market
 *      orders that arrived with no standing quote) take it, as takers, in
 *      arrival order;
 *   2. stops whose trigger price the point reached trigger, in arrival order,
 *      and meet the same point as new orders (takers);
 *   3. resting limit orders the point trades through fill as makers at their
 *      own limit price (the open, when a bar gaps through them), best price
 *      first, then arrival order.
 * Finished orders leave the book afterwards (sim_sweep), so pointers stay
 * valid while a point is processed.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"
#include "sim_math.h"

static int sim_is_buy(const sim_order *o)
{
	return o->o.side == TH_SIDE_BUY;
}

static int sim_has_limit(const th_order *o)
{
	return o->type == TH_ORDER_LIMIT || o->type == TH_ORDER_STOP_LIMIT;
}

static th_qty sim_remaining(const sim_order *o)
{
	return o->o.qty - o->filled;
}

const sim_liq *sim_standing(sim_book *b, int respect_quote_size, sim_liq *L)
{
	if (!b->has_quote || (b->ask <= 0 && b->bid <= 0))
		return NULL;
	memset(L, 0, sizeof *L);
	L->buy_px = b->ask;
	L->sell_px = b->bid;
	L->buy_avail = respect_quote_size ? &b->ask_left : NULL;
	L->sell_avail = respect_quote_size ? &b->bid_left : NULL;
	return L;
}

/* Can `o` take from `L` at all, price-wise? */
static int sim_crosses(const th_order *o, const sim_liq *L)
{
	if (o->side == TH_SIDE_BUY)
		return L->buy_px > 0 && (!sim_has_limit(o) || o->price >= L->buy_px);
	return L->sell_px > 0 && (!sim_has_limit(o) || o->price <= L->sell_px);
}

int sim_precheck(const sim_engine *e, const sim_book *b, const th_order *o, th_qty remaining, const sim_liq *L,
                 char *reason, size_t cap)
{
	(void)e;
	if (!L)
		return 0; /* no standing market: decided at the first opportunity */
	if ((o->flags & TH_ORDER_POST_ONLY) && sim_crosses(o, L)) {
		th_strlcpy(reason, "post-only order would take liquidity", cap);
		return -1;
	}
	if (o->tif == TH_TIF_FOK) {
		const th_qty *avail = o->side == TH_SIDE_BUY ? L->buy_avail : L->sell_avail;
		int ok = sim_crosses(o, L) && (!avail || *avail >= remaining);
		if (ok && (o->flags & TH_ORDER_REDUCE_ONLY))
			ok = sim_reduce_capacity(b, o->side) >= remaining;
		if (!ok) {
			th_strlcpy(reason, "FOK order cannot be filled completely", cap);
			return -1;
		}
	}
	return 0;
}

th_qty sim_execute(sim_engine *e, sim_book *b, sim_order *o, th_price px, th_qty qty, uint32_t liquidity)
{
	const th_instrument *in = &b->inst;
	int buy = sim_is_buy(o);
	if (o->o.flags & TH_ORDER_REDUCE_ONLY) {
		/* The position may have shrunk since the order was accepted. */
		th_qty capacity = sim_reduce_capacity(b, o->o.side);
		if (capacity == 0) {
			sim_finish(e, o, TH_ORDER_CANCELED, "reduce-only: the position is already closed");
			return 0;
		}
		if (qty > capacity)
			qty = capacity;
	}
	if (qty <= 0 || px <= 0)
		return 0;

	th_money notional, fee;
	int64_t bps = liquidity == TH_LIQ_MAKER ? e->cfg.maker_fee_bps : e->cfg.taker_fee_bps;
	if (th_notional(px, in->price_scale, qty, in->qty_scale, &notional) != 0 || sim_fee(notional, bps, &fee) != 0 ||
	    __builtin_add_overflow(o->fees, fee, &o->fees)) {
		sim_finish(e, o, TH_ORDER_CANCELED, "notional or fee overflows int64");
		return 0;
	}
	if (sim_mem_reserve(e, &o->fills, &o->capfills, sizeof *o->fills, o->nfills + 1) != TH_OK) {
		sim_finish(e, o, TH_ORDER_CANCELED, "venue out of memory");
		return 0;
	}
	sim_fill_rec *f = &o->fills[o->nfills++];
	f->trade_no = e->next_trade_no++;
	f->price = px;
	f->qty = qty;
	f->fee = fee;
	f->liquidity = liquidity;

	o->filled += qty;
	b->position += buy ? qty : -qty;
	b->fees += fee;
	if (o->filled == o->o.qty) {
		o->state = TH_ORDER_FILLED;
		o->phase = SIM_PH_DONE;
	} else {
		o->state = TH_ORDER_PARTIALLY_FILLED;
	}
	sim_set_reason(o, "");
	e->changes++;
	sim_emit_fill(e, o, f);

	/* One order update per execution: the state the order is left in. An
	 * order that this execution leaves open but that ends right away (the
	 * unfilled rest of an IOC/FOK, a reduce-only whose position is now
	 * closed) reports only its final state, with the cumulative filled_qty;
	 * an interim PARTIALLY_FILLED that nothing could act on would cost the
	 * host a bus delivery and an OMS journal record for nothing. */
	if (o->phase != SIM_PH_DONE && (o->o.flags & TH_ORDER_REDUCE_ONLY) && sim_reduce_capacity(b, o->o.side) == 0)
		sim_finish(e, o, TH_ORDER_CANCELED, "reduce-only: the position is closed");
	else if (o->phase == SIM_PH_DONE || !o->ending)
		sim_emit_order(e, o);
	return qty;
}

/* Take from `L` as a taker: at the quote/trade/path price plus slippage,
 * never beyond the order's limit, up to the available size. */
static th_qty sim_take(sim_engine *e, sim_book *b, sim_order *o, const sim_liq *L)
{
	int buy = sim_is_buy(o);
	if (!sim_crosses(&o->o, L))
		return 0;
	th_price px = sim_slip(buy ? L->buy_px : L->sell_px, buy, e->cfg.slippage_bps, b->inst.tick);
	if (sim_has_limit(&o->o)) {
		if (buy && px > o->o.price)
			px = o->o.price;
		if (!buy && px < o->o.price)
			px = o->o.price;
	}
	th_qty *avail = buy ? L->buy_avail : L->sell_avail;
	th_qty want = sim_remaining(o);
	if (avail && want > *avail)
		want = *avail;
	if (want <= 0)
		return 0;
	th_qty got = sim_execute(e, b, o, px, want, TH_LIQ_TAKER);
	if (avail)
		*avail -= got;
	return got;
}

int sim_activate(sim_engine *e, sim_book *b, sim_order *o, const sim_liq *L)
{
	char reason[SIM_REASON_MAX];
	int limit = sim_has_limit(&o->o);
	if (!L) {
		/* Nothing standing to trade against: a GTC limit rests; everything
		 * else meets the next market event as its first opportunity. */
		o->phase = limit && o->o.tif == TH_TIF_GTC ? SIM_PH_RESTING : SIM_PH_ARRIVING;
		return 0;
	}
	if (sim_precheck(e, b, &o->o, sim_remaining(o), L, reason, sizeof reason) != 0) {
		sim_finish(e, o, TH_ORDER_CANCELED, reason);
		return 1;
	}
	if (o->o.flags & TH_ORDER_POST_ONLY) {
		o->phase = SIM_PH_RESTING; /* it does not cross (checked above) */
		return 0;
	}
	o->ending = o->o.tif != TH_TIF_GTC; /* see sim_order.ending */
	sim_take(e, b, o, L);
	o->ending = 0;
	if (o->phase == SIM_PH_DONE)
		return 0;
	if (o->o.tif != TH_TIF_GTC)
		sim_finish(e, o, TH_ORDER_CANCELED, "IOC: unfilled remainder canceled");
	else
		o->phase = limit ? SIM_PH_RESTING : SIM_PH_TAKING;
	return 0;
}

static int sim_triggered(const sim_order *o, const sim_liq *L)
{
	if (sim_is_buy(o))
		return L->buy_px > 0 && L->buy_px >= o->o.stop_price;
	return L->sell_px > 0 && L->sell_px <= o->o.stop_price;
}

int sim_trigger(sim_engine *e, sim_book *b, sim_order *o, const sim_liq *L)
{
	if (o->phase != SIM_PH_TRIGGER || !sim_triggered(o, L))
		return 0;
	sim_activate(e, b, o, L);
	return 1;
}

/* Resting orders `L` trades through: buys at or above the price sellers
 * offer, sells at or below the price buyers bid. */
static int sim_maker_crossed(const sim_order *o, const sim_liq *L)
{
	if (sim_is_buy(o))
		return L->buy_px > 0 && o->o.price >= L->buy_px;
	return L->sell_px > 0 && o->o.price <= L->sell_px;
}

/* Price-time priority: buys before sells (they never compete for the same
 * side of a quote; on a trade or bar the shared budget goes to buys first),
 * better price first, then earlier arrival. */
static int sim_priority_cmp(const void *pa, const void *pb)
{
	const sim_order *a = *(sim_order *const *)pa, *b = *(sim_order *const *)pb;
	if (a->o.side != b->o.side)
		return a->o.side == TH_SIDE_BUY ? -1 : 1;
	if (a->o.price != b->o.price) {
		int better = a->o.side == TH_SIDE_BUY ? a->o.price > b->o.price : a->o.price < b->o.price;
		return better ? -1 : 1;
	}
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void sim_fill_makers(sim_engine *e, sim_book *b, const sim_liq *L)
{
	size_t n = 0;
	if (sim_mem_reserve(e, &e->scratch, &e->capscratch, sizeof *e->scratch, b->nopen) != TH_OK)
		return; /* out of memory: these makers simply do not fill at this point */
	for (size_t i = 0; i < b->nopen; i++) {
		sim_order *o = b->open[i];
		if (o->phase == SIM_PH_RESTING && sim_maker_crossed(o, L))
			e->scratch[n++] = o;
	}
	if (n == 0)
		return;
	qsort(e->scratch, n, sizeof *e->scratch, sim_priority_cmp);
	for (size_t i = 0; i < n; i++) {
		sim_order *o = e->scratch[i];
		int buy = sim_is_buy(o);
		th_qty *avail = buy ? L->buy_avail : L->sell_avail;
		th_qty want = sim_remaining(o);
		if (avail && want > *avail)
			want = *avail;
		if (want <= 0)
			continue;
		/* A bar that opens beyond the limit fills it at the open; otherwise the
		 * market traded through the limit, which would have been hit there. */
		th_price px = L->gap ? (buy ? L->buy_px : L->sell_px) : o->o.price;
		th_qty got = sim_execute(e, b, o, px, want, TH_LIQ_MAKER);
		if (avail)
			*avail -= got;
	}
}

void sim_market_point(sim_engine *e, sim_book *b, const sim_liq *L)
{
	size_t n = b->nopen; /* no order joins the book while a point is processed */
	if (n == 0)
		return; /* the common case in a backtest: nothing to match, trigger, fill or sweep */
	for (size_t i = 0; i < n; i++) {
		sim_order *o = b->open[i];
		if (o->phase == SIM_PH_TAKING)
			sim_take(e, b, o, L);
		else if (o->phase == SIM_PH_ARRIVING)
			sim_activate(e, b, o, L);
	}
	for (size_t i = 0; i < n; i++)
		sim_trigger(e, b, b->open[i], L);
	sim_fill_makers(e, b, L);
	sim_sweep(e, b);
}

/* ------------------------------------------------------------ market events */

/* Participation share of a traded volume, whole lots. */
static th_qty sim_budget(const sim_engine *e, const sim_book *b, th_qty volume)
{
	if (volume <= 0)
		return 0;
	return sim_floor_to(sim_muldiv_floor(volume, e->cfg.participation_ppm, SIM_PPM), b->inst.lot);
}

static void sim_trade(sim_engine *e, sim_book *b, const th_trade *t)
{
	th_price px;
	th_qty qty;
	if (sim_rescale(t->price, t->price_scale, b->inst.price_scale, SIM_ROUND_NEAREST, &px) != 0 || px <= 0 ||
	    sim_rescale(t->qty, t->qty_scale, b->inst.qty_scale, SIM_ROUND_DOWN, &qty) != 0)
		return;
	b->last_price = px;
	b->ticks_since_bar++;
	th_qty budget = sim_budget(e, b, qty);
	sim_liq L = { .buy_px = px, .sell_px = px, .buy_avail = &budget, .sell_avail = &budget };
	sim_market_point(e, b, &L);
}

void sim_engine_on_trade(sim_engine *e, const char *symbol, const th_trade *t)
{
	sim_book *b = sim_book_find(e, symbol);
	if (b)
		sim_trade(e, b, t);
}

uint64_t sim_engine_on_trade_at(sim_engine *e, size_t index, const th_trade *t)
{
	sim_trade(e, &e->books[index], t);
	return e->changes;
}

static void sim_quote(sim_engine *e, sim_book *b, const th_quote *q)
{
	th_price bid, ask;
	th_qty bq, aq;
	/* Off-scale prices round against the host: bids down, asks up. */
	if (sim_rescale(q->bid, q->price_scale, b->inst.price_scale, SIM_ROUND_DOWN, &bid) != 0 ||
	    sim_rescale(q->ask, q->price_scale, b->inst.price_scale, SIM_ROUND_UP, &ask) != 0 ||
	    sim_rescale(q->bid_qty, q->qty_scale, b->inst.qty_scale, SIM_ROUND_DOWN, &bq) != 0 ||
	    sim_rescale(q->ask_qty, q->qty_scale, b->inst.qty_scale, SIM_ROUND_DOWN, &aq) != 0)
		return;
	b->has_quote = 1;
	b->bid = bid > 0 ? bid : 0;
	b->ask = ask > 0 ? ask : 0;
	b->bid_left = bq > 0 ? sim_floor_to(bq, b->inst.lot) : 0;
	b->ask_left = aq > 0 ? sim_floor_to(aq, b->inst.lot) : 0;
	b->ticks_since_bar++;
	sim_liq storage;
	const sim_liq *L = sim_standing(b, e->cfg.respect_quote_size, &storage);
	if (L)
		sim_market_point(e, b, L);
}

void sim_engine_on_quote(sim_engine *e, const char *symbol, const th_quote *q)
{
	sim_book *b = sim_book_find(e, symbol);
	if (b)
		sim_quote(e, b, q);
}

uint64_t sim_engine_on_quote_at(sim_engine *e, size_t index, const th_quote *q)
{
	sim_quote(e, &e->books[index], q);
	return e->changes;
}

/* The next price on the way from `cur` towards `to` at which something
 * happens: a stop triggers or a resting limit is reached. 0 if none. */
static th_price sim_next_event(const sim_book *b, th_price cur, th_price to)
{
	int up = to > cur;
	th_price best = 0;
	for (size_t i = 0; i < b->nopen; i++) {
		const sim_order *o = b->open[i];
		th_price p;
		if (o->phase == SIM_PH_TRIGGER && (o->o.side == TH_SIDE_BUY) == up)
			p = o->o.stop_price; /* buy stops trigger going up, sell stops going down */
		else if (o->phase == SIM_PH_RESTING && (o->o.side == TH_SIDE_SELL) == up)
			p = o->o.price; /* sells are reached going up, buys going down */
		else
			continue;
		if (up ? (p > cur && p <= to && (!best || p < best)) : (p < cur && p >= to && (!best || p > best)))
			best = p;
	}
	return best;
}

static void sim_bar_segment(sim_engine *e, sim_book *b, th_price from, th_price to, th_qty *avail)
{
	th_price cur = from;
	while (cur != to) {
		th_price p = sim_next_event(b, cur, to);
		if (!p)
			return;
		cur = p;
		sim_liq L = { .buy_px = cur, .sell_px = cur, .buy_avail = avail, .sell_avail = avail };
		sim_market_point(e, b, &L);
	}
}

/* The whole bar model; kept out of line so the fast path in
 * sim_engine_on_bar_at stays a leaf (no register saves for a few compares). */
static __attribute__((noinline)) uint64_t sim_bar(sim_engine *e, sim_book *b, const th_bar *bar);

void sim_engine_on_bar(sim_engine *e, const char *symbol, const th_bar *bar)
{
	sim_book *b = sim_book_find(e, symbol);
	if (b)
		(void)sim_bar(e, b, bar);
}

uint64_t sim_engine_on_bar_at(sim_engine *e, size_t index, const th_bar *bar)
{
	if (sim_engine_bar_idle(e, index, bar))
		return e->changes;
	return sim_bar(e, &e->books[index], bar);
}

/* Returns the engine's change count after the bar. */
static uint64_t sim_bar(sim_engine *e, sim_book *b, const th_bar *bar)
{
	th_price o, h, l, c;
	th_qty vol;
	if (sim_rescale(bar->open, bar->price_scale, b->inst.price_scale, SIM_ROUND_NEAREST, &o) != 0 ||
	    sim_rescale(bar->high, bar->price_scale, b->inst.price_scale, SIM_ROUND_NEAREST, &h) != 0 ||
	    sim_rescale(bar->low, bar->price_scale, b->inst.price_scale, SIM_ROUND_NEAREST, &l) != 0 ||
	    sim_rescale(bar->close, bar->price_scale, b->inst.price_scale, SIM_ROUND_NEAREST, &c) != 0 ||
	    sim_rescale(bar->volume, bar->qty_scale, b->inst.qty_scale, SIM_ROUND_DOWN, &vol) != 0)
		return e->changes;
	if (o <= 0 || c <= 0 || l <= 0)
		return e->changes;
	/* Repair inconsistent bars instead of trusting them: the extremes must hold open and close. */
	if (h < o) h = o;
	if (h < c) h = c;
	if (l > o) l = o;
	if (l > c) l = c;

	/* A bar built from trades/quotes the venue already matched against would
	 * fill the same volume twice: bars drive matching only when they are the
	 * finest data the symbol has. */
	int covered = b->ticks_since_bar > 0;
	b->ticks_since_bar = 0;
	b->last_price = c;
	if (covered || b->nopen == 0)
		return e->changes; /* nothing rests or waits: the OHLC path would touch no order */

	th_qty budget = sim_budget(e, b, vol);
	th_qty *avail = vol > 0 ? &budget : NULL; /* no volume reported: unlimited */
	/* OHLC path: a falling bar (close < open) is assumed to have made its
	 * high first, a rising or flat one its low first. */
	th_price path[4] = { o, c < o ? h : l, c < o ? l : h, c };

	sim_liq L = { .buy_px = o, .sell_px = o, .buy_avail = avail, .sell_avail = avail, .gap = 1 };
	sim_market_point(e, b, &L);
	for (int k = 1; k < 4; k++)
		sim_bar_segment(e, b, path[k - 1], path[k], avail);
	return e->changes;
}
