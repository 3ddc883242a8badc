/* Fixed-point records -> contract JSON (see api_json.h). */
#include "api/api_json.h"
#include "common/money_text.h"

#include <stdio.h>
#include <string.h>

json_t *api_json_fixed(int64_t v, int scale)
{
	char buf[48];
	if (th_fixed_format(v, scale, buf, sizeof buf) < 0)
		return json_string("0");
	return json_string(buf);
}

void api_money_text(th_money v, char *buf, size_t cap)
{
	money_text(v, buf, cap);
}

json_t *api_json_money(th_money v)
{
	char buf[48];
	api_money_text(v, buf, sizeof buf);
	return json_string(buf);
}





int api_order_state_open(uint32_t state)
{
	return state == TH_ORDER_SUBMITTED || state == TH_ORDER_ACCEPTED || state == TH_ORDER_PARTIALLY_FILLED ||
		state == TH_ORDER_UNKNOWN;
}


const char *api_scope_name(int scope)
{
	switch (scope) {
	case TH_SCOPE_HOST: return "host";
	case TH_SCOPE_FARM: return "farm";
	case TH_SCOPE_AGENT: return "agent";
	case TH_SCOPE_INSTRUMENT: return "instrument";
	default: return "host";
	}
}

const char *api_wallet_kind_name(int kind)
{
	switch (kind) {
	case CAPITAL_KIND_MASTER: return "master";
	case CAPITAL_KIND_FARM: return "farm";
	case CAPITAL_KIND_AGENT: return "agent";
	default: return "total";
	}
}

const char *api_alert_level_name(uint32_t level)
{
	return level == TH_ALERT_CRITICAL ? "critical" : level == TH_ALERT_WARNING ? "warning" : "info";
}

json_t *api_json_order(const oms_order_view *v, int manual)
{
	const th_order *o = v->order;
	json_t *j = json_object();
	json_object_set_new(j, "client_order_id", json_string(v->client_order_id));
	json_object_set_new(j, "agent", json_string(v->agent ? v->agent : ""));
	json_object_set_new(j, "farm", json_string(v->farm ? v->farm : ""));
	json_object_set_new(j, "venue", json_string(v->venue ? v->venue : ""));
	json_object_set_new(j, "symbol", json_string(o->symbol));
	json_object_set_new(j, "side", json_string(trade_side_name(o->side)));
	json_object_set_new(j, "type", json_string(trade_order_type_name(o->type)));
	json_object_set_new(j, "tif", json_string(trade_tif_name(o->tif, o->flags)));
	json_object_set_new(j, "price", api_json_fixed(o->type == TH_ORDER_STOP ? o->stop_price : o->price,
		o->price_scale));
	json_object_set_new(j, "qty", api_json_fixed(o->qty, o->qty_scale));
	json_object_set_new(j, "filled_qty", api_json_fixed(v->filled_qty, o->qty_scale));
	json_object_set_new(j, "state", json_string(trade_order_state_name(v->state)));
	json_object_set_new(j, "reason", json_string(v->reason ? v->reason : ""));
	json_object_set_new(j, "created_ms", json_integer(api_ms(v->created_ns)));
	json_object_set_new(j, "updated_ms", json_integer(api_ms(v->updated_ns)));
	json_object_set_new(j, "manual", json_boolean(manual));
	return j;
}

json_t *api_json_fill(const th_event *ev)
{
	const th_fill *f = &ev->u.fill;
	json_t *j = json_object();
	json_object_set_new(j, "venue", json_string(ev->h.venue));
	json_object_set_new(j, "symbol", json_string(ev->h.symbol));
	json_object_set_new(j, "client_order_id", json_string(f->client_order_id));
	json_object_set_new(j, "agent", json_string(ev->h.agent));
	json_object_set_new(j, "side", json_string(trade_side_name(f->side)));
	json_object_set_new(j, "price", api_json_fixed(f->price, f->price_scale));
	json_object_set_new(j, "qty", api_json_fixed(f->qty, f->qty_scale));
	json_object_set_new(j, "fee", api_json_money(f->fee));
	json_object_set_new(j, "liquidity", json_string(f->liquidity == TH_LIQ_MAKER ? "maker" : "taker"));
	json_object_set_new(j, "ts_ms", json_integer(api_ms(ev->h.ts_ns)));
	json_object_set_new(j, "trade_id", json_string(f->venue_trade_id));
	return j;
}

json_t *api_json_wallet(const capital_stats *st, th_money peak, const char *weight)
{
	json_t *j = json_object();
	if (peak < st->equity)
		peak = st->equity;
	int64_t dd_bps = 0;
	if (peak > 0 && st->equity < peak)
		th_fixed_muldiv(peak - st->equity, 10000, peak, &dd_bps);
	json_object_set_new(j, "name", json_string(st->name));
	json_object_set_new(j, "kind", json_string(api_wallet_kind_name(st->kind)));
	json_object_set_new(j, "parent", json_string(st->parent));
	json_object_set_new(j, "equity", api_json_money(st->equity));
	json_object_set_new(j, "cash", api_json_money(st->cash));
	json_object_set_new(j, "reserved", api_json_money(st->reserved));
	json_object_set_new(j, "allocated", api_json_money(st->allocated));
	json_object_set_new(j, "realized_pnl", api_json_money(st->realized_pnl));
	json_object_set_new(j, "unrealized_pnl", api_json_money(st->unrealized_pnl));
	json_object_set_new(j, "fees", api_json_money(st->fees));
	json_object_set_new(j, "peak_equity", api_json_money(peak));
	json_object_set_new(j, "drawdown_bps", json_integer(dd_bps));
	json_object_set_new(j, "weight", json_string(weight ? weight : "0"));
	return j;
}

json_t *api_json_position(const char *wallet, const capital_position *p)
{
	json_t *j = json_object();
	json_object_set_new(j, "wallet", json_string(wallet));
	json_object_set_new(j, "venue", json_string(p->p.venue));
	json_object_set_new(j, "symbol", json_string(p->p.symbol));
	json_object_set_new(j, "qty", api_json_fixed(p->p.qty, p->p.qty_scale));
	json_object_set_new(j, "avg_price", api_json_fixed(p->p.avg_price, p->p.price_scale));
	json_object_set_new(j, "mark", api_json_fixed(p->mark, p->p.price_scale));
	json_object_set_new(j, "unrealized_pnl", api_json_money(p->unrealized_pnl));
	json_object_set_new(j, "realized_pnl", api_json_money(p->p.realized_pnl));
	return j;
}

json_t *api_json_bar(const char *venue, const char *symbol, const th_bar *b)
{
	json_t *j = json_object();
	json_object_set_new(j, "venue", json_string(venue));
	json_object_set_new(j, "symbol", json_string(symbol));
	json_object_set_new(j, "ts_ms", json_integer(api_ms(b->open_time_ns)));
	json_object_set_new(j, "open", api_json_fixed(b->open, b->price_scale));
	json_object_set_new(j, "high", api_json_fixed(b->high, b->price_scale));
	json_object_set_new(j, "low", api_json_fixed(b->low, b->price_scale));
	json_object_set_new(j, "close", api_json_fixed(b->close, b->price_scale));
	json_object_set_new(j, "volume", api_json_fixed(b->volume, b->qty_scale));
	return j;
}
