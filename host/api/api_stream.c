/* The bus -> WebSocket bridge and the bounded rings the REST reads serve
 * (bars, alerts, agent decisions, fills, risk events): one bus subscription
 * converts each event to the contract's JSON once, keeps what the REST
 * routes list, and publishes it to the hub. An equity snapshot of every
 * wallet goes out once a second. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_internal.h"
#include "oms/oms.h"

static void publish(api *a, const char *topic, const char *key, const json_t *j)
{
	if (!a->fd->hub)
		return;
	char *text = json_dumps(j, JSON_COMPACT);
	if (text) {
		ws_hub_publish(a->fd->hub, topic, key, text, strlen(text));
		free(text);
	}
}

static int hub_has_clients(const api *a)
{
	if (!a->fd->hub)
		return 0;
	ws_hub_stats st;
	ws_hub_stats_get(a->fd->hub, &st);
	return st.clients > 0;
}

static api_bar_ring *bar_ring(api *a, const char *venue, const char *symbol, int create)
{
	for (size_t i = 0; i < a->nbars; i++)
		if (!strcmp(a->bars[i].symbol, symbol) && !strcmp(a->bars[i].venue, venue))
			return &a->bars[i];
	if (!create || a->nbars >= 256)
		return NULL;
	if (a->nbars == a->cap_bars) {
		size_t cap = a->cap_bars ? a->cap_bars * 2 : 8;
		api_bar_ring *grown = realloc(a->bars, cap * sizeof *grown);
		if (!grown)
			return NULL;
		a->bars = grown;
		a->cap_bars = cap;
	}
	api_bar_ring *r = &a->bars[a->nbars++];
	memset(r, 0, sizeof *r);
	th_strlcpy(r->venue, venue, sizeof r->venue);
	th_strlcpy(r->symbol, symbol, sizeof r->symbol);
	return r;
}

const api_bar_ring *api_bars_of(api *a, const char *venue, const char *symbol)
{
	return bar_ring(a, venue, symbol, 0);
}

th_price api_last_price(api *a, const char *venue, const char *symbol, int32_t *scale)
{
	const api_bar_ring *r = bar_ring(a, venue, symbol, 0);
	if (!r || r->n == 0)
		return 0;
	const th_bar *b = &r->bars[(r->head + r->n - 1) % API_BARS_KEEP];
	*scale = b->price_scale;
	return b->close;
}

static void on_bar(api *a, const th_event *ev)
{
	api_bar_ring *r = bar_ring(a, ev->h.venue, ev->h.symbol, 1);
	if (r) {
		if (r->n == API_BARS_KEEP) {
			r->bars[r->head] = ev->u.bar;
			r->head = (r->head + 1) % API_BARS_KEEP;
		} else {
			r->bars[(r->head + r->n++) % API_BARS_KEEP] = ev->u.bar;
		}
	}
	if (!hub_has_clients(a))
		return;
	json_t *j = api_json_bar(ev->h.venue, ev->h.symbol, &ev->u.bar);
	json_object_set_new(j, "kind", json_string("bar"));
	publish(a, "market", ev->h.symbol, j);
	json_decref(j);
}

static void on_trade(api *a, const th_event *ev)
{
	if (!hub_has_clients(a))
		return;
	const th_trade *t = &ev->u.trade;
	json_t *j = json_pack("{s:s, s:s, s:s, s:I, s:o, s:o, s:s}", "kind", "trade", "venue", ev->h.venue, "symbol",
		ev->h.symbol, "ts_ms", (json_int_t)api_ms(ev->h.ts_ns), "price", api_json_fixed(t->price, t->price_scale), "qty",
		api_json_fixed(t->qty, t->qty_scale), "side", trade_side_name(t->aggressor));
	publish(a, "market", ev->h.symbol, j);
	json_decref(j);
}

static void on_order(api *a, const th_event *ev)
{
	/* the OMS re-publishes every change with the owning agent: the whole order from its view */
	if (!(ev->h.flags & TH_EVENT_FLAG_OMS) || !a->oms || !hub_has_clients(a))
		return;
	for (size_t i = oms_order_count(a->oms); i > 0; i--) {
		oms_order_view v;
		if (oms_order_at(a->oms, i - 1, &v) == 0 && !strcmp(v.client_order_id, ev->u.order.client_order_id)) {
			json_t *j = api_json_order(&v, api_is_manual(a, v.client_order_id));
			publish(a, "orders", NULL, j);
			json_decref(j);
			return;
		}
	}
}

static void on_fill(api *a, const th_event *ev)
{
	if (!(ev->h.flags & TH_EVENT_FLAG_OMS))
		return; /* venues' raw fills: the OMS re-publishes each with its agent */
	json_t *j = api_json_fill(ev);
	publish(a, "fills", NULL, j);
	api_ring_push(&a->fills, j);
	if (!a->capital || !hub_has_clients(a))
		return;
	capital_position pos[32];
	size_t n = capital_positions(a->capital, ev->h.agent, 1, pos, 32);
	for (size_t i = 0; i < n && i < 32; i++) {
		if (strcmp(pos[i].p.venue, ev->h.venue) || strcmp(pos[i].p.symbol, ev->h.symbol))
			continue;
		json_t *p = api_json_position(ev->h.agent, &pos[i]);
		publish(a, "positions", NULL, p);
		json_decref(p);
	}
}

static void on_risk(api *a, const th_event *ev)
{
	const th_risk_decision *d = &ev->u.risk;
	if (d->approved)
		a->risk_approved++;
	else
		a->risk_denied++;
	if (d->reason_code < sizeof a->risk_by_reason / sizeof a->risk_by_reason[0])
		a->risk_by_reason[d->reason_code]++;
	json_t *j = json_pack("{s:s, s:I, s:s, s:s, s:s, s:b, s:i, s:s, s:s}", "kind", "decision", "ts_ms",
		(json_int_t)api_ms(ev->h.ts_ns), "agent", ev->h.agent, "venue", ev->h.venue, "symbol", ev->h.symbol,
		"approved", (int)d->approved, "reason_code", (int)d->reason_code, "plugin", d->plugin, "message", d->message);
	publish(a, "risk", NULL, j);
	json_decref(j);
}

static int breaker_code(const char *code)
{
	return !strncmp(code, "drawdown", 8) || !strncmp(code, "var", 3) || !strcmp(code, "trading_state") ||
		strstr(code, "breaker") != NULL;
}

static void on_alert(api *a, const th_event *ev)
{
	const th_alert *al = &ev->u.alert;
	const char *source = ev->h.agent[0] ? ev->h.agent : al->code;
	json_t *j = json_pack("{s:I, s:s, s:s, s:s, s:s}", "ts_ms", (json_int_t)api_ms(ev->h.ts_ns), "level",
		api_alert_level_name(al->level), "source", source, "code", al->code, "message", al->text);
	publish(a, "alerts", NULL, j);
	api_ring_push(&a->alerts, j);
	if (breaker_code(al->code)) {
		json_t *r = json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:s}", "kind",
			!strcmp(al->code, "trading_state") ? "state" : "breaker", "ts_ms", (json_int_t)api_ms(ev->h.ts_ns),
			"source", source, "scope", "", "name", al->code, "state", strstr(al->code, "rearm") ? "rearmed"
			: api_alert_level_name(al->level), "message", al->text);
		publish(a, "risk", NULL, r);
		api_ring_push(&a->risk_events, r);
	}
}

static void on_agent_msg(api *a, const th_event *ev)
{
	const char *farm = host_instance_farm(a->host, ev->h.agent);
	json_t *j = json_pack("{s:I, s:s, s:s, s:s, s:s}", "ts_ms", (json_int_t)api_ms(ev->h.ts_ns), "agent", ev->h.agent,
		"farm", farm ? farm : "", "kind", ev->u.agent_msg.kind, "text", ev->u.agent_msg.text);
	publish(a, "decisions", NULL, j);
	api_ring_push(&a->decisions, j);
}

static void on_event(void *arg, const th_event *ev)
{
	api *a = arg;
	switch (ev->h.type) {
	case TH_EV_BAR: on_bar(a, ev); break;
	case TH_EV_TRADE: on_trade(a, ev); break;
	case TH_EV_ORDER: on_order(a, ev); break;
	case TH_EV_FILL: on_fill(a, ev); break;
	case TH_EV_RISK: on_risk(a, ev); break;
	case TH_EV_ALERT: on_alert(a, ev); break;
	case TH_EV_AGENT_MSG: on_agent_msg(a, ev); break;
	case TH_EV_GOAL: {
		json_t *g = api_goal_event_json(a, ev);
		if (g) {
			publish(a, "goals", NULL, g);
			json_decref(g);
		}
		break;
	}
	default: break;
	}
}

/* Once a second: every wallet's figures and the host total (the dashboard's
 * equity chart). */
static void on_equity_tick(void *arg, uint64_t id)
{
	(void)id;
	api *a = arg;
	if (!a->capital || !hub_has_clients(a))
		return;
	json_t *wallets = json_array();
	json_t *m = api_wallet_json(a, CAPITAL_MASTER_NAME);
	if (m)
		json_array_append_new(wallets, m);
	char farms[64][TH_NAME_MAX], agents[256][TH_NAME_MAX];
	size_t nf = capital_children(a->capital, CAPITAL_MASTER_NAME, farms, 64);
	for (size_t i = 0; i < nf && i < 64; i++) {
		json_t *w = api_wallet_json(a, farms[i]);
		if (w)
			json_array_append_new(wallets, w);
		size_t na = capital_children(a->capital, farms[i], agents, 256);
		for (size_t k = 0; k < na && k < 256; k++)
			if ((w = api_wallet_json(a, agents[k])))
				json_array_append_new(wallets, w);
	}
	json_t *total = api_wallet_json(a, CAPITAL_TOTAL_NAME); /* the host as a whole, as in GET /wallets */
	json_t *j = json_pack("{s:I, s:o, s:o}", "ts_ms", (json_int_t)api_ms(host_now_ns(a->host)), "wallets", wallets,
		"total", total ? total : json_object());
	publish(a, "equity", NULL, j);
	json_decref(j);
}

int api_stream_start(api *a, char *err, size_t errlen)
{
	th_subscription s = { .topics = TH_TOPIC(TH_EV_BAR) | TH_TOPIC(TH_EV_TRADE) | TH_TOPIC(TH_EV_ORDER) |
		TH_TOPIC(TH_EV_FILL) | TH_TOPIC(TH_EV_RISK) | TH_TOPIC(TH_EV_ALERT) | TH_TOPIC(TH_EV_AGENT_MSG) |
		TH_TOPIC(TH_EV_GOAL) };
	uint64_t id;
	if (bus_subscribe(a->bus, a, &s, on_event, a, &id) != TH_OK) {
		snprintf(err, errlen, "api: cannot subscribe to the bus: %s", bus_last_error(a->bus));
		return -1;
	}
	if (host_add_timer(a->host, a, 1000000000LL, 1000000000LL, on_equity_tick, a, &a->stream_timer) != 0) {
		snprintf(err, errlen, "api: cannot add the equity timer");
		return -1;
	}
	return 0;
}

void api_stream_stop(api *a)
{
	host_cancel_timers(a->host, a);
	bus_unsubscribe_owner(a->bus, a);
}
