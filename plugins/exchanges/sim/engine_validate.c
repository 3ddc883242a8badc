/*
 * sim engine — validation of an incoming order against its instrument, as a
 * real venue does it: every refusal carries a reason the operator can act on
 * (it travels in th_order_update.reason, 96 bytes, so messages stay short).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "engine_internal.h"
#include "sim_math.h"

static const char *sim_fmt(int64_t v, int scale, char *buf, size_t cap)
{
	if (th_fixed_format(v, scale, buf, cap) < 0)
		snprintf(buf, cap, "%lld", (long long)v);
	return buf;
}

__attribute__((format(printf, 3, 4))) static int sim_fail(char *reason, size_t cap, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, cap, fmt, ap);
	va_end(ap);
	return -1;
}

/* Reference price for the notional check of a market order: the side of the
 * standing quote it would take, else the last trade or bar close; 0 = unknown. */
static th_price sim_reference_price(const sim_book *b, uint32_t side)
{
	if (b->has_quote) {
		th_price px = side == TH_SIDE_BUY ? b->ask : b->bid;
		if (px > 0)
			return px;
	}
	return b->last_price;
}

th_qty sim_reduce_capacity(const sim_book *b, uint32_t side)
{
	if (side == TH_SIDE_SELL && b->position > 0)
		return b->position;
	if (side == TH_SIDE_BUY && b->position < 0)
		return -b->position;
	return 0;
}

int sim_validate(const sim_engine *e, const sim_book *b, const th_order *in, th_order *out, char *reason,
                 size_t cap)
{
	const th_instrument *inst = &b->inst;
	char x[48], y[48];
	(void)e;
	if (in->side != TH_SIDE_BUY && in->side != TH_SIDE_SELL) {
		snprintf(reason, cap, "invalid side %u", in->side);
		return -1;
	}
	if (in->type < TH_ORDER_MARKET || in->type > TH_ORDER_STOP_LIMIT) {
		snprintf(reason, cap, "invalid order type %u", in->type);
		return -1;
	}
	if (in->tif < TH_TIF_GTC || in->tif > TH_TIF_FOK) {
		snprintf(reason, cap, "invalid time in force %u", in->tif);
		return -1;
	}
	if (in->flags & ~(TH_ORDER_POST_ONLY | TH_ORDER_REDUCE_ONLY)) {
		snprintf(reason, cap, "unknown order flags 0x%x", in->flags & ~(TH_ORDER_POST_ONLY | TH_ORDER_REDUCE_ONLY));
		return -1;
	}

	int has_limit = in->type == TH_ORDER_LIMIT || in->type == TH_ORDER_STOP_LIMIT;
	int has_stop = in->type == TH_ORDER_STOP || in->type == TH_ORDER_STOP_LIMIT;
	th_order o = *in;
	o.price = 0;
	o.stop_price = 0;
	o.price_scale = inst->price_scale;
	o.qty_scale = inst->qty_scale;

	/* Scales: accept any scale that converts exactly (0.5 at scale 1 is 0.50 at scale 2). */
	if (sim_rescale_exact(in->qty, in->qty_scale, inst->qty_scale, &o.qty) != 0) {
		snprintf(reason, cap, "qty at qty_scale %d does not fit the instrument's qty_scale %d", in->qty_scale,
		         inst->qty_scale);
		return -1;
	}
	if (has_limit && sim_rescale_exact(in->price, in->price_scale, inst->price_scale, &o.price) != 0) {
		snprintf(reason, cap, "price at price_scale %d does not fit the instrument's price_scale %d",
		         in->price_scale, inst->price_scale);
		return -1;
	}
	if (has_stop && sim_rescale_exact(in->stop_price, in->price_scale, inst->price_scale, &o.stop_price) != 0) {
		snprintf(reason, cap, "stop_price at price_scale %d does not fit the instrument's price_scale %d",
		         in->price_scale, inst->price_scale);
		return -1;
	}

	if (o.qty <= 0)
		return sim_fail(reason, cap, "qty %s must be positive", sim_fmt(o.qty, inst->qty_scale, x, sizeof x));
	if (o.qty % inst->lot != 0)
		return sim_fail(reason, cap, "qty %s is not a multiple of lot %s",
		                sim_fmt(o.qty, inst->qty_scale, x, sizeof x), sim_fmt(inst->lot, inst->qty_scale, y, sizeof y));
	th_qty min_qty = inst->min_qty > 0 ? inst->min_qty : inst->lot;
	if (o.qty < min_qty)
		return sim_fail(reason, cap, "qty %s is below min_qty %s", sim_fmt(o.qty, inst->qty_scale, x, sizeof x),
		                sim_fmt(min_qty, inst->qty_scale, y, sizeof y));
	if (has_limit) {
		if (o.price <= 0)
			return sim_fail(reason, cap, "price %s must be positive",
			                sim_fmt(o.price, inst->price_scale, x, sizeof x));
		if (o.price % inst->tick != 0)
			return sim_fail(reason, cap, "price %s is not a multiple of tick %s",
			                sim_fmt(o.price, inst->price_scale, x, sizeof x),
			                sim_fmt(inst->tick, inst->price_scale, y, sizeof y));
	}
	if (has_stop) {
		if (o.stop_price <= 0)
			return sim_fail(reason, cap, "stop_price %s must be positive",
			                sim_fmt(o.stop_price, inst->price_scale, x, sizeof x));
		if (o.stop_price % inst->tick != 0)
			return sim_fail(reason, cap, "stop_price %s is not a multiple of tick %s",
			                sim_fmt(o.stop_price, inst->price_scale, x, sizeof x),
			                sim_fmt(inst->tick, inst->price_scale, y, sizeof y));
	}

	if (o.flags & TH_ORDER_POST_ONLY) {
		if (!has_limit)
			return sim_fail(reason, cap, "post-only needs a limit or stop-limit order");
		if (o.tif != TH_TIF_GTC)
			return sim_fail(reason, cap, "post-only order must be GTC, not IOC or FOK");
	}

	/* Notional at the price the order would trade at (best known estimate for market orders). */
	th_price ref = has_limit ? o.price : has_stop ? o.stop_price : sim_reference_price(b, o.side);
	if (inst->min_notional > 0 && ref > 0) {
		th_money notional;
		if (th_notional(ref, inst->price_scale, o.qty, inst->qty_scale, &notional) != 0)
			return sim_fail(reason, cap, "notional overflows");
		if (notional < inst->min_notional)
			return sim_fail(reason, cap, "notional %s is below min_notional %s",
			                sim_fmt(notional, TH_MONEY_SCALE, x, sizeof x),
			                sim_fmt(inst->min_notional, TH_MONEY_SCALE, y, sizeof y));
	}

	if (o.flags & TH_ORDER_REDUCE_ONLY) {
		th_qty capacity = sim_reduce_capacity(b, o.side);
		if (capacity == 0)
			return sim_fail(reason, cap, "reduce-only order would increase the position");
		if (o.qty > capacity)
			return sim_fail(reason, cap, "reduce-only qty %s exceeds the position %s",
			                sim_fmt(o.qty, inst->qty_scale, x, sizeof x),
			                sim_fmt(capacity, inst->qty_scale, y, sizeof y));
	}
	*out = o;
	return 0;
}
