/* Orders: the list with filters and cursor paging over the OMS, manual
 * placement through the risk pipeline (trading_submit_manual), cancel. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_internal.h"
#include "oms/oms.h"
#include "trading/trading.h"

static int state_matches(const char *filter, uint32_t state)
{
	if (!filter || !strcmp(filter, "all"))
		return 1;
	int open = api_order_state_open(state);
	return !strcmp(filter, "open") ? open : !open;
}

void api_h_orders(api *a, http_request *req, const json_t *body)
{
	(void)body;
	const char *state = http_request_query(req, "state"), *agent = http_request_query(req, "agent");
	const char *venue = http_request_query(req, "venue"), *symbol = http_request_query(req, "symbol");
	const char *cursor = http_request_query(req, "cursor");
	int64_t limit;
	if (state && strcmp(state, "open") && strcmp(state, "closed") && strcmp(state, "all")) {
		api_error(req, 400, "bad_field", "query parameter state must be open, closed or all, got \"%.20s\"", state);
		return;
	}
	if (api_query_int(req, "limit", 1, 500, 100, &limit) != 0)
		return;
	size_t count = oms_order_count(a->oms), start = count;
	/* newest first; the cursor is the position to continue below (stable: orders are only appended) */
	if (cursor && *cursor) {
		char *end;
		unsigned long long c = strtoull(cursor, &end, 10);
		if (*end || c > count) {
			api_error(req, 400, "bad_field", "query parameter cursor \"%.40s\" is not a cursor of this list", cursor);
			return;
		}
		start = (size_t)c;
	}
	json_t *list = json_array();
	size_t i = start;
	while (i > 0 && json_array_size(list) < (size_t)limit) {
		oms_order_view v;
		i--;
		if (oms_order_at(a->oms, i, &v) != 0)
			continue;
		if (!state_matches(state, v.state) || (agent && strcmp(agent, v.agent)) ||
			(venue && strcmp(venue, v.venue)) || (symbol && strcmp(symbol, v.order->symbol)))
			continue;
		json_array_append_new(list, api_json_order(&v, api_is_manual(a, v.client_order_id)));
	}
	char next[32] = "";
	if (i > 0 && json_array_size(list) == (size_t)limit)
		snprintf(next, sizeof next, "%zu", i);
	api_reply(req, 200, json_pack("{s:o, s:s}", "orders", list, "next_cursor", next));
}

static int find_order(api *a, const char *clid, oms_order_view *out)
{
	for (size_t i = oms_order_count(a->oms); i > 0; i--)
		if (oms_order_at(a->oms, i - 1, out) == 0 && strcmp(out->client_order_id, clid) == 0)
			return 0;
	return -1;
}

void api_h_order_get(api *a, http_request *req, const json_t *body)
{
	(void)body;
	const char *id = http_request_param(req, "id");
	oms_order_view v;
	if (find_order(a, id, &v) != 0) {
		api_error(req, 404, "not_found", "no order with client order id \"%.40s\"", id);
		return;
	}
	api_reply(req, 200, api_json_order(&v, api_is_manual(a, id)));
}

static int parse_at_scale(http_request *req, const char *field, const char *text, int scale, const th_instrument *ins,
	int64_t *out)
{
	if (api_decimal_parse(text, scale, out) != 0 || *out <= 0) {
		api_error(req, 400, "bad_field", "field \"%s\": \"%.40s\" needs at most %d decimals for %s on %s", field, text,
			scale, ins->symbol, ins->venue);
		return -1;
	}
	return 0;
}

static uint32_t side_of(const char *s)
{
	return !strcmp(s, "buy") ? TH_SIDE_BUY : TH_SIDE_SELL;
}

static uint32_t type_of(const char *s)
{
	return !strcmp(s, "market") ? TH_ORDER_MARKET : !strcmp(s, "limit") ? TH_ORDER_LIMIT : !strcmp(s, "stop")
		? TH_ORDER_STOP : TH_ORDER_STOP_LIMIT;
}

/* Fills the order from the body; -1 after answering 400 / 404. */
static int build_order(api *a, http_request *req, const json_t *body, th_event *ev)
{
	const char *agent = api_body_str(body, "agent"), *venue = api_body_str(body, "venue");
	const char *symbol = api_body_str(body, "symbol"), *tif = api_body_str(body, "tif");
	const char *price = api_body_str(body, "price"), *stop = api_body_str(body, "stop_price");
	if (capital_kind_of(a->capital, agent, NULL, 0) != CAPITAL_KIND_AGENT) {
		api_error(req, 404, "not_found", "agent: no agent named \"%.40s\" (a strategy instance with a farm)", agent);
		return -1;
	}
	const th_instrument *ins = api_instrument(a, venue, symbol);
	if (!ins) {
		api_error(req, 404, "not_found", "no instrument %.24s on venue \"%.16s\"", symbol, venue);
		return -1;
	}
	th_event_init(ev, TH_EV_INTENT);
	memset(&ev->u.intent, 0, sizeof ev->u.intent);
	th_strlcpy(ev->h.agent, agent, sizeof ev->h.agent);
	th_strlcpy(ev->h.venue, venue, sizeof ev->h.venue);
	th_strlcpy(ev->h.symbol, symbol, sizeof ev->h.symbol);
	th_intent *in = &ev->u.intent;
	in->intent_id = a->manual_next++;
	in->action = TH_INTENT_PLACE;
	th_order *o = &in->order;
	th_strlcpy(o->symbol, symbol, sizeof o->symbol);
	o->side = side_of(api_body_str(body, "side"));
	o->type = type_of(api_body_str(body, "type"));
	o->price_scale = ins->price_scale;
	o->qty_scale = ins->qty_scale;
	if (parse_at_scale(req, "qty", api_body_str(body, "qty"), ins->qty_scale, ins, &o->qty) != 0)
		return -1;
	int needs_price = o->type == TH_ORDER_LIMIT || o->type == TH_ORDER_STOP_LIMIT;
	int needs_stop = o->type == TH_ORDER_STOP || o->type == TH_ORDER_STOP_LIMIT;
	if (o->type == TH_ORDER_STOP && !stop && price) {
		stop = price; /* the contract's single price field is the trigger of a stop order */
		price = NULL;
	}
	if (needs_price && !price) {
		api_error(req, 400, "missing_field", "missing field \"price\": a %s order needs a limit price",
			api_body_str(body, "type"));
		return -1;
	}
	if (needs_stop && !stop) {
		api_error(req, 400, "missing_field", "missing field \"stop_price\": a %s order needs a trigger price",
			api_body_str(body, "type"));
		return -1;
	}
	if (o->type == TH_ORDER_MARKET && price) {
		api_error(req, 400, "bad_field", "field \"price\": a market order takes no price");
		return -1;
	}
	if (price && parse_at_scale(req, "price", price, ins->price_scale, ins, &o->price) != 0)
		return -1;
	if (stop && parse_at_scale(req, "stop_price", stop, ins->price_scale, ins, &o->stop_price) != 0)
		return -1;
	o->tif = o->type == TH_ORDER_MARKET ? TH_TIF_IOC : TH_TIF_GTC;
	if (tif) {
		if (!strcmp(tif, "post_only")) {
			o->tif = TH_TIF_GTC;
			o->flags |= TH_ORDER_POST_ONLY;
		} else {
			o->tif = !strcmp(tif, "ioc") ? TH_TIF_IOC : !strcmp(tif, "fok") ? TH_TIF_FOK : TH_TIF_GTC;
		}
	}
	return 0;
}

/* The OMS just created the order: the newest one of this agent on this instrument. */
static int newest_order(api *a, const th_event *ev, oms_order_view *out)
{
	for (size_t i = oms_order_count(a->oms); i > 0; i--) {
		if (oms_order_at(a->oms, i - 1, out) != 0)
			continue;
		if (!strcmp(out->agent, ev->h.agent) && !strcmp(out->venue, ev->h.venue) &&
			!strcmp(out->order->symbol, ev->u.intent.order.symbol))
			return 0;
	}
	return -1;
}

void api_h_order_place(api *a, http_request *req, const json_t *body)
{
	th_event ev;
	char reason[320];
	if (build_order(a, req, body, &ev) != 0)
		return;
	size_t before = oms_order_count(a->oms);
	int rc = trading_submit_manual(a->t, &ev, reason, sizeof reason);
	if (rc == 0) {
		api_error(req, 422, "risk_denied", "%s", reason);
		return;
	}
	if (rc < 0) {
		api_error(req, 422, "oms_rejected", "the order manager refused the order: %s", reason);
		return;
	}
	oms_order_view v;
	if (oms_order_count(a->oms) == before || newest_order(a, &ev, &v) != 0) {
		api_error(req, 422, "oms_rejected", "the order was approved but the order manager kept no order");
		return;
	}
	th_strlcpy(a->manual[a->nmanual++ % API_MANUAL_KEEP], v.client_order_id, TH_CLORD_MAX);
	api_reply(req, 202, api_json_order(&v, 1));
}

void api_h_order_cancel(api *a, http_request *req, const json_t *body)
{
	(void)body;
	const char *id = http_request_param(req, "id");
	oms_order_view v;
	if (find_order(a, id, &v) != 0) {
		api_error(req, 404, "not_found", "no order with client order id \"%.40s\"", id);
		return;
	}
	if (!api_order_state_open(v.state)) {
		api_error(req, 409, "conflict", "order %s is already %s", id, trade_order_state_name(v.state));
		return;
	}
	th_event ev;
	th_event_init(&ev, TH_EV_INTENT);
	memset(&ev.u.intent, 0, sizeof ev.u.intent);
	th_strlcpy(ev.h.agent, v.agent, sizeof ev.h.agent);
	th_strlcpy(ev.h.venue, v.venue, sizeof ev.h.venue);
	th_strlcpy(ev.h.symbol, v.order->symbol, sizeof ev.h.symbol);
	ev.u.intent.intent_id = a->manual_next++;
	ev.u.intent.action = TH_INTENT_CANCEL;
	th_strlcpy(ev.u.intent.order.client_order_id, id, TH_CLORD_MAX);
	th_strlcpy(ev.u.intent.order.symbol, v.order->symbol, sizeof ev.u.intent.order.symbol);
	char reason[320];
	if (trading_submit_manual(a->t, &ev, reason, sizeof reason) <= 0) {
		api_error(req, 409, "conflict", "cannot cancel %s: %s", id, reason);
		return;
	}
	/* the venue confirms asynchronously: the view shows the order as it is now */
	if (find_order(a, id, &v) != 0) {
		api_error(req, 404, "not_found", "order %s vanished", id);
		return;
	}
	api_reply(req, 202, api_json_order(&v, api_is_manual(a, id)));
}
