/*
 * limits — rules that look at the order itself and the host's open orders:
 * restricted instruments, basic sanity, tick / lot / min-notional conformity,
 * the fat-finger price band, order notional, self-trade prevention, open
 * orders per agent and the per-agent order rate.
 */
#include <stdio.h>
#include <string.h>

#include "lim_internal.h"

#define SECOND_NS 1000000000LL
#define MINUTE_NS (60 * SECOND_NS)

static const char *side_word(uint32_t side)
{
	return side == TH_SIDE_BUY ? "buy" : "sell";
}

int lim_rule_restricted(const lim *L, const lim_chk *c, th_risk_verdict *v)
{
	for (size_t i = 0; i < L->nrestricted; i++) {
		const lim_restriction *r = &L->restricted[i];
		if ((r->who == LIM_WHO_AGENT && strcmp(r->name, c->agent) != 0) ||
			(r->who == LIM_WHO_FARM && (!c->farm[0] || strcmp(r->name, c->farm) != 0)))
			continue;
		if ((r->venue[0] && strcmp(r->venue, c->venue) != 0) || (r->symbol[0] && strcmp(r->symbol, c->o->symbol) != 0))
			continue;
		return lim_deny(v, TH_RISK_RESTRICTED, "restricted: %s is on the restricted list (restricted[%zu]%s%s)",
			c->key, i, r->who == LIM_WHO_ALL ? "" : r->who == LIM_WHO_AGENT ? ", agent " : ", farm ", r->name);
	}
	return 0;
}

int lim_rule_sanity(const lim_chk *c, th_risk_verdict *v)
{
	const th_order *o = c->o;
	if (o->side != TH_SIDE_BUY && o->side != TH_SIDE_SELL)
		return lim_deny(v, TH_RISK_CONFORMITY, "conformity: side %u is neither buy nor sell", o->side);
	if (o->type < TH_ORDER_MARKET || o->type > TH_ORDER_STOP_LIMIT)
		return lim_deny(v, TH_RISK_CONFORMITY, "conformity: unknown order type %u", o->type);
	if (o->price_scale < 0 || o->price_scale > TH_SCALE_MAX || o->qty_scale < 0 || o->qty_scale > TH_SCALE_MAX)
		return lim_deny(v, TH_RISK_CONFORMITY, "conformity: price or quantity scale out of range");
	if (o->qty <= 0)
		return lim_deny(v, TH_RISK_CONFORMITY, "conformity: quantity must be positive");
	if ((o->type == TH_ORDER_LIMIT || o->type == TH_ORDER_STOP_LIMIT) && o->price <= 0)
		return lim_deny(v, TH_RISK_CONFORMITY, "conformity: a limit order needs a positive price");
	if ((o->type == TH_ORDER_STOP || o->type == TH_ORDER_STOP_LIMIT) && o->stop_price <= 0)
		return lim_deny(v, TH_RISK_CONFORMITY, "conformity: a stop order needs a positive stop price");
	return 0;
}

/* v at scale `from` rewritten at scale `to` without losing digits; -1 if it would. */
static int rescale_exact(int64_t x, int from, int to, int64_t *out)
{
	if (th_fixed_rescale(x, from, to, out) != 0)
		return -1;
	return (to >= from || x % th_pow10(from - to) == 0) ? 0 : -1;
}

/* The price that values the order: its limit price, its stop trigger, or the
 * last price for a market order. 0 when there is none. */
static th_price order_price(lim *L, lim_chk *c, int32_t *scale)
{
	const th_order *o = c->o;
	switch (o->type) {
	case TH_ORDER_LIMIT:
	case TH_ORDER_STOP_LIMIT: *scale = o->price_scale; return o->price;
	case TH_ORDER_STOP: *scale = o->price_scale; return o->stop_price;
	default: {
		th_price last = lim_last(L, c);
		*scale = c->last_scale;
		return last;
	}
	}
}

static int on_grid(lim_chk *c, th_price px, const th_instrument *ins, const char *what, th_risk_verdict *v)
{
	char a[48], b[48];
	th_price p;
	if (rescale_exact(px, c->o->price_scale, ins->price_scale, &p) != 0 || (ins->tick > 0 && p % ins->tick != 0))
		return lim_deny(v, TH_RISK_CONFORMITY, "conformity: %s %s is not a multiple of the tick %s on %s", what,
			lim_fmt(a, sizeof a, px, c->o->price_scale), lim_fmt(b, sizeof b, ins->tick, ins->price_scale), c->key);
	return 0;
}

int lim_rule_conformity(lim *L, lim_chk *c, th_risk_verdict *v)
{
	if (!c->eff[LIM_R_CONFORMITY])
		return 0;
	const th_order *o = c->o;
	char a[48], b[48];
	const th_instrument *ins = L->api->instrument(L->ctx, c->venue, o->symbol);
	if (!ins)
		return lim_deny(v, TH_RISK_NO_DATA, "conformity: no instrument definition for %s", c->key);
	th_qty q;
	if (rescale_exact(o->qty, o->qty_scale, ins->qty_scale, &q) != 0 || (ins->lot > 0 && q % ins->lot != 0))
		return lim_deny(v, TH_RISK_CONFORMITY, "conformity: quantity %s is not a multiple of the lot %s on %s",
			lim_fmt(a, sizeof a, o->qty, o->qty_scale), lim_fmt(b, sizeof b, ins->lot, ins->qty_scale), c->key);
	if (q < ins->min_qty)
		return lim_deny(v, TH_RISK_CONFORMITY, "conformity: quantity %s is below the minimum %s on %s",
			lim_fmt(a, sizeof a, o->qty, o->qty_scale), lim_fmt(b, sizeof b, ins->min_qty, ins->qty_scale), c->key);
	if ((o->type == TH_ORDER_LIMIT || o->type == TH_ORDER_STOP_LIMIT) && on_grid(c, o->price, ins, "price", v))
		return 1;
	if ((o->type == TH_ORDER_STOP || o->type == TH_ORDER_STOP_LIMIT) && on_grid(c, o->stop_price, ins, "stop price", v))
		return 1;
	if (ins->min_notional > 0) {
		int32_t ps;
		th_money n;
		th_price px = order_price(L, c, &ps);
		if (!px)
			return lim_deny(v, TH_RISK_NO_DATA, "conformity: no last price for %s to check the minimum notional", c->key);
		if (th_notional(px, ps, o->qty, o->qty_scale, &n) == 0 && n < ins->min_notional)
			return lim_deny(v, TH_RISK_CONFORMITY, "conformity: notional %s is below the minimum %s on %s",
				lim_fmt(a, sizeof a, n, TH_MONEY_SCALE), lim_fmt(b, sizeof b, ins->min_notional, TH_MONEY_SCALE), c->key);
	}
	return 0;
}

int lim_rule_price_band(lim *L, lim_chk *c, th_risk_verdict *v)
{
	__extension__ typedef __int128 i128;
	int64_t band = c->eff[LIM_R_PRICE_BAND];
	const th_order *o = c->o;
	/* stop orders trigger away from the market by design: not banded */
	if (band == LIM_OFF || (o->type != TH_ORDER_LIMIT && o->type != TH_ORDER_MARKET))
		return 0;
	if (!lim_last(L, c))
		return lim_deny(v, TH_RISK_NO_DATA, "price_band_bps: no last price for %s", c->key);
	if (o->type == TH_ORDER_MARKET)
		return 0;
	int s = o->price_scale > c->last_scale ? o->price_scale : c->last_scale;
	i128 p = (i128)o->price * th_pow10(s - o->price_scale), last = (i128)c->last * th_pow10(s - c->last_scale);
	i128 dev = p > last ? p - last : last - p;
	if (dev * 10000 > (i128)band * last) {
		char a[48], b[48];
		long long bps = (long long)(dev * 10000 / last);
		return lim_deny(v, TH_RISK_PRICE_BAND, "price_band_bps: limit %s is %lld bps from the last price %s on %s (max %lld)",
			lim_fmt(a, sizeof a, o->price, o->price_scale), bps, lim_fmt(b, sizeof b, c->last, c->last_scale), c->key,
			(long long)band);
	}
	return 0;
}

int lim_rule_order_notional(lim *L, lim_chk *c, th_risk_verdict *v)
{
	int64_t limit = c->eff[LIM_R_ORDER_NOTIONAL];
	if (limit == LIM_OFF)
		return 0;
	int32_t ps;
	th_money n;
	char a[48], b[48];
	th_price px = order_price(L, c, &ps);
	if (!px)
		return lim_deny(v, TH_RISK_NO_DATA, "max_order_notional: no last price for %s to value a market order", c->key);
	if (th_notional(px, ps, c->o->qty, c->o->qty_scale, &n) != 0)
		return lim_deny(v, TH_RISK_NOTIONAL, "max_order_notional: order notional overflows");
	if (n > limit)
		return lim_deny(v, TH_RISK_NOTIONAL, "max_order_notional: notional %s on %s is above %s",
			lim_fmt(a, sizeof a, n, TH_MONEY_SCALE), c->key, lim_fmt(b, sizeof b, limit, TH_MONEY_SCALE));
	return 0;
}

int lim_rule_self_trade(lim *L, lim_chk *c, th_risk_verdict *v)
{
	const th_order *o = c->o;
	char why[128], a[48];
	if (!c->eff[LIM_R_SELF_TRADE] || (o->type != TH_ORDER_LIMIT && o->type != TH_ORDER_MARKET))
		return 0;
	const lim_orders *oo = lim_orders_get(L, c->now_ns, why, sizeof why);
	if (!oo)
		return lim_deny(v, TH_RISK_ERROR, "self_trade_prevention: %s", why);
	for (size_t i = 0; i < oo->n; i++) {
		const th_order *r = &oo->o[i];
		/* only resting limit orders on the other side of the same venue and
		 * symbol can be hit */
		if (r->side == o->side || r->type != TH_ORDER_LIMIT || r->price <= 0 || strcmp(r->symbol, o->symbol) != 0 ||
			strcmp(oo->venue[i], c->venue) != 0)
			continue;
		int crosses = o->type == TH_ORDER_MARKET ||
			(o->side == TH_SIDE_BUY ? lim_cmp_scaled(o->price, o->price_scale, r->price, r->price_scale) >= 0
			                        : lim_cmp_scaled(o->price, o->price_scale, r->price, r->price_scale) <= 0);
		if (crosses)
			return lim_deny(v, TH_RISK_SELF_TRADE, "self_trade_prevention: the %s would cross the resting %s %s of %s on %s",
				side_word(o->side), side_word(r->side), lim_fmt(a, sizeof a, r->price, r->price_scale), oo->agent[i],
				o->symbol);
	}
	return 0;
}

int lim_rule_open_orders(lim *L, lim_chk *c, th_risk_verdict *v)
{
	int64_t limit = c->eff[LIM_R_OPEN_ORDERS];
	char why[128];
	if (limit == LIM_OFF)
		return 0;
	const lim_orders *oo = lim_orders_get(L, c->now_ns, why, sizeof why);
	if (!oo)
		return lim_deny(v, TH_RISK_ERROR, "max_open_orders: %s", why);
	int64_t n = 0;
	for (size_t i = 0; i < oo->n; i++)
		n += strcmp(oo->agent[i], c->agent) == 0;
	if (n + 1 > limit)
		return lim_deny(v, TH_RISK_OPEN_ORDERS, "max_open_orders: agent %s already has %lld open orders (max %lld)",
			c->agent, (long long)n, (long long)limit);
	return 0;
}

int lim_rule_rate(lim *L, lim_chk *c, lim_rate **to_record, th_risk_verdict *v)
{
	int64_t per_s = c->eff[LIM_R_RATE_SECOND], per_m = c->eff[LIM_R_RATE_MINUTE];
	*to_record = NULL;
	if (per_s == LIM_OFF && per_m == LIM_OFF)
		return 0;
	lim_rate *r = lim_rate_get(L, c->agent);
	if (!r)
		return lim_deny(v, TH_RISK_ERROR, "order rate: out of memory");
	int64_t keep = per_m != LIM_OFF ? MINUTE_NS : SECOND_NS;
	size_t n;
	if (per_s != LIM_OFF && (int64_t)(n = lim_rate_count(r, c->now_ns, SECOND_NS, keep)) >= per_s)
		return lim_deny(v, TH_RISK_RATE, "max_orders_per_second: agent %s placed %zu orders in the last second (max %lld)",
			c->agent, n, (long long)per_s);
	if (per_m != LIM_OFF && (int64_t)(n = lim_rate_count(r, c->now_ns, MINUTE_NS, keep)) >= per_m)
		return lim_deny(v, TH_RISK_RATE, "max_orders_per_minute: agent %s placed %zu orders in the last minute (max %lld)",
			c->agent, n, (long long)per_m);
	*to_record = r;
	return 0;
}
