/* The trading layer answers the host API's portfolio and trading-state slots
 * (ABI 1.1) for risk plugins, and the operator's kill switch. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/log.h"
#include "trading/trading_internal.h"

/* Wallet figures and positions come from the view (trading_view.c): O(1)
 * running totals in the capital hierarchy and a hashed peak per wallet. */
static int pv_wallet_stats(void *ctx, const char *wallet, th_wallet_stats *out)
{
	return trading_view_wallet_stats(((trading_t *)ctx)->view, wallet, out);
}

static size_t pv_positions(void *ctx, const char *wallet, th_position *out, size_t cap)
{
	return trading_view_positions(((trading_t *)ctx)->view, wallet, out, cap);
}

static size_t pv_open_orders(void *ctx, const char *agent, th_order *out, char (*agents)[TH_NAME_MAX],
	char (*venues)[TH_VENUE_MAX], size_t cap)
{
	trading_t *t = ctx;
	size_t n = 0, open = oms_open_orders(t->oms);
	for (size_t i = 0; i < open; i++) {
		oms_order_view v;
		oms_open_order_at(t->oms, i, &v);
		if (agent && strcmp(v.agent, agent) != 0)
			continue;
		if (n < cap) {
			out[n] = *v.order;
			out[n].qty = v.order->qty - v.filled_qty; /* what can still trade */
			if (agents)
				th_strlcpy(agents[n], v.agent, TH_NAME_MAX);
			if (venues)
				th_strlcpy(venues[n], v.venue, TH_VENUE_MAX);
		}
		n++;
	}
	return n;
}

static int pv_trading_state(void *ctx, int scope, const char *name)
{
	return oms_trading_state(((trading_t *)ctx)->oms, scope, name);
}

static const char *scope_name(int scope)
{
	switch (scope) {
	case TH_SCOPE_HOST: return "host";
	case TH_SCOPE_FARM: return "farm";
	case TH_SCOPE_AGENT: return "agent";
	case TH_SCOPE_INSTRUMENT: return "instrument";
	default: return "?";
	}
}

static const char *state_name(int state)
{
	return state == TH_STATE_HALTED ? "HALTED" : state == TH_STATE_REDUCING ? "REDUCING" : "ACTIVE";
}

int trading_set_state(trading_t *t, int scope, const char *name, int state, const char *reason, const char *who)
{
	int before = oms_trading_state(t->oms, scope, name);
	int rc = oms_set_trading_state(t->oms, scope, name, state);
	if (rc != TH_OK || before == state)
		return rc;
	th_event ev;
	th_event_init(&ev, TH_EV_ALERT);
	memset(&ev.u.alert, 0, sizeof ev.u.alert);
	ev.u.alert.level = state == TH_STATE_ACTIVE ? TH_ALERT_INFO : state == TH_STATE_REDUCING ? TH_ALERT_WARNING
		: TH_ALERT_CRITICAL;
	th_strlcpy(ev.u.alert.code, "trading_state", sizeof ev.u.alert.code);
	char text[512];
	snprintf(text, sizeof text, "%s %s: %s -> %s by %s: %s", scope_name(scope), name[0] ? name : "(all)",
		state_name(before), state_name(state), who, reason);
	th_strlcpy(ev.u.alert.text, text, sizeof ev.u.alert.text);
	bus_publish(t->bus, &ev);
	log_msg(state == TH_STATE_ACTIVE ? TH_LOG_INFO : TH_LOG_WARN, NULL, "trading state %s", text);
	return TH_OK;
}

static int pv_set_trading_state(void *ctx, int scope, const char *name, int state, const char *reason, const char *who)
{
	return trading_set_state(ctx, scope, name, state, reason, who);
}

/* Which agents does a scope cover, and on which instrument (NULL = all)? */
static int in_scope(trading_t *t, int scope, const char *name, const char *agent)
{
	switch (scope) {
	case TH_SCOPE_HOST:
	case TH_SCOPE_INSTRUMENT:
		return 1;
	case TH_SCOPE_FARM: {
		const char *farm = host_instance_farm(t->host, agent);
		return farm && strcmp(farm, name) == 0;
	}
	case TH_SCOPE_AGENT:
		return strcmp(agent, name) == 0;
	default:
		return 0;
	}
}

int trading_reduce_exposure(trading_t *t, int scope, const char *name, uint32_t step_bps)
{
	const host_config *hc = host_get_config(t->host);
	char venue[TH_VENUE_MAX] = "", symbol[TH_SYMBOL_MAX] = "";
	if (scope == TH_SCOPE_INSTRUMENT) {
		const char *colon = strchr(name, ':');
		if (!colon || (size_t)(colon - name) >= sizeof venue)
			return TH_ERR_INVALID;
		memcpy(venue, name, (size_t)(colon - name));
		th_strlcpy(symbol, colon + 1, sizeof symbol);
	}
	int sent = 0;
	char err[256];
	for (size_t i = 0; i < hc->ninstances; i++) {
		const char *agent = hc->instances[i].name;
		if (!in_scope(t, scope, name, agent))
			continue;
		/* cancel first, so resting orders cannot re-open what is being cut */
		size_t open = oms_open_orders(t->oms);
		for (size_t k = 0; k < open; k++) {
			oms_order_view v;
			oms_open_order_at(t->oms, k, &v);
			if (strcmp(v.agent, agent) != 0 || (symbol[0] && (strcmp(v.venue, venue) || strcmp(v.order->symbol, symbol))))
				continue;
			th_event c;
			th_event_init(&c, TH_EV_INTENT);
			memset(&c.u.intent, 0, sizeof c.u.intent);
			th_strlcpy(c.h.agent, agent, sizeof c.h.agent);
			c.u.intent.action = TH_INTENT_CANCEL;
			th_strlcpy(c.u.intent.order.client_order_id, v.client_order_id, TH_CLORD_MAX);
			oms_submit(t->oms, &c, 0, err, sizeof err); /* terminal orders answer "closed": fine */
		}
		capital_position pos[32];
		size_t n = capital_positions(t->capital, agent, 0, pos, 32);
		for (size_t k = 0; k < n && k < 32; k++) {
			th_position *p = &pos[k].p;
			if (p->qty == 0 || (symbol[0] && (strcmp(p->venue, venue) || strcmp(p->symbol, symbol))))
				continue;
			const th_instrument *ins = tv_instrument(t, p->venue, p->symbol);
			th_qty lot = ins && ins->lot > 0 ? ins->lot : 1, held = p->qty > 0 ? p->qty : -p->qty, cut = held;
			th_fixed_muldiv(held, step_bps, 10000, &cut);
			cut -= cut % lot;
			if (cut < lot)
				cut = lot < held ? lot : held;
			if (cut > held)
				cut = held;
			th_event ev;
			th_event_init(&ev, TH_EV_INTENT);
			memset(&ev.u.intent, 0, sizeof ev.u.intent);
			th_strlcpy(ev.h.venue, p->venue, sizeof ev.h.venue);
			th_strlcpy(ev.h.symbol, p->symbol, sizeof ev.h.symbol);
			th_strlcpy(ev.h.agent, agent, sizeof ev.h.agent);
			const char *farm = host_instance_farm(t->host, agent);
			th_strlcpy(ev.u.intent.farm, farm ? farm : "", sizeof ev.u.intent.farm);
			th_order *o = &ev.u.intent.order;
			th_strlcpy(o->symbol, p->symbol, sizeof o->symbol);
			o->side = p->qty > 0 ? TH_SIDE_SELL : TH_SIDE_BUY;
			o->type = TH_ORDER_MARKET;
			o->tif = TH_TIF_IOC;
			/* no venue-side reduce-only flag: the venue nets all agents together,
			 * while "reduce" here is per agent; the host sized it to reduce */
			o->qty = cut;
			o->price_scale = p->price_scale;
			o->qty_scale = p->qty_scale;
			/* de-leveraging bypasses the risk plugins (it only reduces) but
			 * not the OMS, its journal or its checks */
			if (oms_submit(t->oms, &ev, 0, err, sizeof err) == TH_OK)
				sent++;
			else
				log_warn("de-leveraging %s %s for %s: %s", p->symbol, p->venue, agent, err);
		}
	}
	return sent;
}

static int pv_reduce_exposure(void *ctx, int scope, const char *name, uint32_t step_bps)
{
	return trading_reduce_exposure(ctx, scope, name, step_bps);
}

/* --- operator commands on the control socket --- */

static int cmd_kill(void *arg, const char *args, char *reply, size_t cap)
{
	trading_t *t = arg;
	(void)args;
	trading_set_state(t, TH_SCOPE_HOST, "", TH_STATE_HALTED, "kill switch", "operator");
	size_t canceled = oms_cancel_all(t->oms, NULL);
	snprintf(reply, cap, "kill switch: trading HALTED for the host, %zu open order(s) canceled", canceled);
	return 0;
}

static int cmd_resume(void *arg, const char *args, char *reply, size_t cap)
{
	trading_t *t = arg;
	(void)args;
	trading_set_state(t, TH_SCOPE_HOST, "", TH_STATE_ACTIVE, "resumed", "operator");
	snprintf(reply, cap, "host trading state ACTIVE");
	return 0;
}

static int parse_scope(const char *s)
{
	return !strcmp(s, "host") ? TH_SCOPE_HOST : !strcmp(s, "farm") ? TH_SCOPE_FARM : !strcmp(s, "agent") ? TH_SCOPE_AGENT
		: !strcmp(s, "instrument") ? TH_SCOPE_INSTRUMENT : 0;
}

static int parse_state(const char *s)
{
	return !strcasecmp(s, "active") ? TH_STATE_ACTIVE : !strcasecmp(s, "reducing") ? TH_STATE_REDUCING
		: !strcasecmp(s, "halted") ? TH_STATE_HALTED : 0;
}

/* "state" lists the non-ACTIVE scopes; "state SCOPE NAME STATE" sets one
 * (NAME "-" for the host). */
static int cmd_state(void *arg, const char *args, char *reply, size_t cap)
{
	trading_t *t = arg;
	char scope[16], name[80], state[16];
	if (sscanf(args, "%15s %79s %15s", scope, name, state) == 3) {
		int sc = parse_scope(scope), st = parse_state(state);
		if (!sc || !st) {
			snprintf(reply, cap, "usage: state host|farm|agent|instrument NAME active|reducing|halted");
			return 1;
		}
		const char *nm = sc == TH_SCOPE_HOST ? "" : name;
		if (trading_set_state(t, sc, nm, st, "set by the operator", "operator") != TH_OK) {
			snprintf(reply, cap, "cannot set the state");
			return 1;
		}
		snprintf(reply, cap, "%s %s is %s", scope, sc == TH_SCOPE_HOST ? "" : name, state_name(st));
		return 0;
	}
	size_t pos = (size_t)snprintf(reply, cap, "trading states:");
	int sc, st;
	const char *nm;
	size_t n = 0;
	for (size_t i = 0; oms_trading_state_at(t->oms, i, &sc, &nm, &st) && pos < cap; i++, n++)
		pos += (size_t)snprintf(reply + pos, cap - pos, " %s %s=%s;", scope_name(sc), nm[0] ? nm : "-", state_name(st));
	if (n == 0 && pos < cap)
		snprintf(reply + pos, cap - pos, " everything ACTIVE");
	return 0;
}

void trading_install_provider(trading_t *t)
{
	host_portfolio_provider p = {
		.ctx = t,
		.instrument = tv_instrument,
		.last_price = trading_last_price,
		.wallet_stats = pv_wallet_stats,
		.positions = pv_positions,
		.open_orders = pv_open_orders,
		.trading_state = pv_trading_state,
		.set_trading_state = pv_set_trading_state,
		.reduce_exposure = pv_reduce_exposure,
	};
	host_set_portfolio_provider(t->host, &p);
	host_register_command(t->host, "kill", cmd_kill, t);
	host_register_command(t->host, "resume", cmd_resume, t);
	host_register_command(t->host, "state", cmd_state, t);
}
