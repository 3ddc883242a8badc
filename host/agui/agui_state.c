/*
 * The portfolio document an AG-UI client holds as its agent state (sent
 * whole in STATE_SNAPSHOT, then as JSON Patch in STATE_DELTA):
 *
 * {
 *   "trading": true, "quote": "USDT",
 *   "risk":   {"host": "active", "halt": "", "open_orders": 3,
 *              "scopes": [{"scope":"agent","name":"mia","state":"halted"}]},
 *   "master": WALLET, "total": WALLET,
 *   "farms":  {"momentum": {"state":"active","paused":false,"agents":["marcus","mia"],"wallet":WALLET}},
 *   "agents": {"marcus": {"farm":"momentum","state":"active","paused":false,
 *                         "wallet":WALLET,"positions":[POSITION]}},
 *   "marks":  {"sim:BTC-USDT": "65012.25"}
 * }
 * WALLET = {"equity","cash","reserved","allocated","realized_pnl",
 *           "unrealized_pnl","fees","net_pnl" (decimal strings in the quote
 *           asset), "drawdown_bps","trades","wins","losses","open_orders",
 *           "position_count" (integers)}
 * POSITION = {"venue","symbol","qty","avg_price","mark","value",
 *             "unrealized_pnl","realized_pnl","fees"}
 * Farms and agents are objects keyed by name so that a patch names them
 * ("/agents/marcus/wallet/equity") instead of shifting array indices.
 * Without [market] the document is {"trading": false, "marks": {...}}.
 * No member is ever null (AG-UI clients refuse nulls).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agui/agui_internal.h"
#include "ledger/capital.h"
#include "oms/oms.h"
#include "trading/trading.h"

#define FARMS_MAX 64
#define AGENTS_PER_FARM_MAX 256

static json_t *wallet_json(const capital_stats *s)
{
	json_t *w = json_object();
	if (!w)
		return NULL;
	int bad = 0;
	bad |= agui_set(w, "equity", agui_money(s->equity));
	bad |= agui_set(w, "cash", agui_money(s->cash));
	bad |= agui_set(w, "reserved", agui_money(s->reserved));
	bad |= agui_set(w, "allocated", agui_money(s->allocated));
	bad |= agui_set(w, "realized_pnl", agui_money(s->realized_pnl));
	bad |= agui_set(w, "unrealized_pnl", agui_money(s->unrealized_pnl));
	bad |= agui_set(w, "fees", agui_money(s->fees));
	bad |= agui_set(w, "net_pnl", agui_money(s->net_pnl));
	bad |= agui_set(w, "drawdown_bps", json_integer(s->max_drawdown_bps));
	bad |= agui_set(w, "trades", json_integer(s->trades));
	bad |= agui_set(w, "wins", json_integer(s->wins));
	bad |= agui_set(w, "losses", json_integer(s->losses));
	bad |= agui_set(w, "open_orders", json_integer((json_int_t)s->open_orders));
	bad |= agui_set(w, "position_count", json_integer((json_int_t)s->positions));
	if (bad) {
		json_decref(w);
		return NULL;
	}
	return w;
}

static json_t *wallet_of(capital_t *c, const char *name)
{
	capital_stats s;
	if (capital_stats_get(c, name, &s) != TH_OK)
		memset(&s, 0, sizeof s); /* a wallet that vanished mid-reload reads as empty */
	return wallet_json(&s);
}

static json_t *positions_of(capital_t *c, const char *agent)
{
	json_t *arr = json_array();
	size_t n = capital_positions(c, agent, 0, NULL, 0);
	capital_position *ps = n ? calloc(n, sizeof *ps) : NULL;
	if (!arr || (n && !ps)) {
		free(ps);
		json_decref(arr);
		return NULL;
	}
	n = capital_positions(c, agent, 0, ps, n);
	for (size_t i = 0; i < n; i++) {
		const capital_position *p = &ps[i];
		json_t *o = json_object();
		int bad = !o;
		if (o) {
			bad |= agui_set(o, "venue", agui_text(p->p.venue));
			bad |= agui_set(o, "symbol", agui_text(p->p.symbol));
			bad |= agui_set(o, "qty", agui_fixed(p->p.qty, p->p.qty_scale));
			bad |= agui_set(o, "avg_price", agui_fixed(p->p.avg_price, p->p.price_scale));
			bad |= agui_set(o, "mark", agui_fixed(p->mark, p->p.price_scale));
			bad |= agui_set(o, "value", agui_money(p->value));
			bad |= agui_set(o, "unrealized_pnl", agui_money(p->unrealized_pnl));
			bad |= agui_set(o, "realized_pnl", agui_money(p->p.realized_pnl));
			bad |= agui_set(o, "fees", agui_money(p->p.fees));
		}
		if (bad || json_array_append_new(arr, o) != 0) {
			if (bad)
				json_decref(o);
			free(ps);
			json_decref(arr);
			return NULL;
		}
	}
	free(ps);
	return arr;
}

static const char *scope_name(int scope)
{
	switch (scope) {
	case TH_SCOPE_HOST: return "host";
	case TH_SCOPE_FARM: return "farm";
	case TH_SCOPE_AGENT: return "agent";
	case TH_SCOPE_INSTRUMENT: return "instrument";
	default: return "unknown";
	}
}

static json_t *risk_json(oms_t *o)
{
	json_t *r = json_object(), *scopes = json_array();
	if (!r || !scopes) {
		json_decref(r);
		json_decref(scopes);
		return NULL;
	}
	int bad = 0;
	int scope, state;
	const char *name;
	for (size_t i = 0; oms_trading_state_at(o, i, &scope, &name, &state); i++) {
		json_t *s = json_object();
		int sbad = !s;
		if (s) {
			sbad |= agui_set(s, "scope", json_string(scope_name(scope)));
			sbad |= agui_set(s, "name", agui_text(name));
			sbad |= agui_set(s, "state", json_string(trade_state_name(state)));
		}
		if (sbad) {
			json_decref(s);
			bad = 1;
			break;
		}
		bad |= json_array_append_new(scopes, s) != 0;
	}
	bad |= agui_set(r, "host", json_string(trade_state_name(oms_trading_state(o, TH_SCOPE_HOST, ""))));
	bad |= agui_set(r, "halt", agui_text(oms_halted(o) == OMS_RUNNING ? "" : oms_halt_text(o)));
	bad |= agui_set(r, "open_orders", json_integer((json_int_t)oms_open_order_count(o)));
	bad |= agui_set(r, "scopes", scopes);
	if (bad) {
		json_decref(r);
		return NULL;
	}
	return r;
}

static json_t *agent_json(capital_t *c, oms_t *o, const char *agent, const char *farm)
{
	json_t *a = json_object();
	if (!a)
		return NULL;
	int bad = 0;
	bad |= agui_set(a, "farm", agui_text(farm));
	bad |= agui_set(a, "state", json_string(trade_state_name(oms_trading_state(o, TH_SCOPE_AGENT, agent))));
	bad |= agui_set(a, "paused", json_boolean(oms_is_paused(o, agent, farm)));
	bad |= agui_set(a, "wallet", wallet_of(c, agent));
	bad |= agui_set(a, "positions", positions_of(c, agent));
	if (bad) {
		json_decref(a);
		return NULL;
	}
	return a;
}

/* farms and agents, walked down the capital hierarchy */
static int hierarchy_json(capital_t *c, oms_t *o, json_t *doc)
{
	json_t *farms = json_object(), *agents = json_object();
	char(*fnames)[TH_NAME_MAX] = calloc(FARMS_MAX, TH_NAME_MAX);
	char(*anames)[TH_NAME_MAX] = calloc(AGENTS_PER_FARM_MAX, TH_NAME_MAX);
	int bad = !farms || !agents || !fnames || !anames;
	size_t nf = bad ? 0 : capital_children(c, CAPITAL_MASTER_NAME, fnames, FARMS_MAX);
	if (nf > FARMS_MAX)
		nf = FARMS_MAX;
	for (size_t i = 0; i < nf && !bad; i++) {
		const char *farm = fnames[i];
		json_t *f = json_object(), *list = json_array();
		bad |= !f || !list;
		size_t na = bad ? 0 : capital_children(c, farm, anames, AGENTS_PER_FARM_MAX);
		if (na > AGENTS_PER_FARM_MAX)
			na = AGENTS_PER_FARM_MAX;
		for (size_t k = 0; k < na && !bad; k++) {
			bad |= json_array_append_new(list, agui_text(anames[k])) != 0;
			bad |= agui_set(agents, anames[k], agent_json(c, o, anames[k], farm));
		}
		if (bad) {
			json_decref(f);
			json_decref(list);
			break;
		}
		bad |= agui_set(f, "state", json_string(trade_state_name(oms_trading_state(o, TH_SCOPE_FARM, farm))));
		/* "" as the agent: only the farm's own pause (or a global one) counts */
		bad |= agui_set(f, "paused", json_boolean(oms_is_paused(o, "", farm)));
		bad |= agui_set(f, "agents", list);
		bad |= agui_set(f, "wallet", wallet_of(c, farm));
		bad |= agui_set(farms, farm, f);
	}
	free(fnames);
	free(anames);
	if (bad) {
		json_decref(farms);
		json_decref(agents);
		return -1;
	}
	bad |= agui_set(doc, "farms", farms);
	bad |= agui_set(doc, "agents", agents);
	return bad ? -1 : 0;
}

static json_t *marks_json(const struct agui *a)
{
	json_t *m = json_object();
	for (size_t i = 0; m && i < a->nmarks; i++) {
		if (agui_set(m, a->marks[i].key, agui_fixed(a->marks[i].price, a->marks[i].scale)) != 0) {
			json_decref(m);
			return NULL;
		}
	}
	return m;
}

json_t *agui_state_build(struct agui *a)
{
	json_t *doc = json_object();
	if (!doc)
		return NULL;
	trading_t *t = a->fd->trading;
	int bad = agui_set(doc, "trading", json_boolean(t != NULL));
	bad |= agui_set(doc, "marks", marks_json(a));
	if (t && !bad) {
		capital_t *c = trading_capital(t);
		oms_t *o = trading_oms(t);
		bad |= agui_set(doc, "quote", agui_text(capital_quote(c)));
		bad |= agui_set(doc, "risk", risk_json(o));
		bad |= agui_set(doc, "master", wallet_of(c, CAPITAL_MASTER_NAME));
		bad |= agui_set(doc, "total", wallet_of(c, CAPITAL_TOTAL_NAME));
		bad |= bad ? 1 : hierarchy_json(c, o, doc);
	}
	if (bad) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

void agui_mark_update(struct agui *a, const th_event *ev)
{
	th_price px;
	int32_t scale;
	if (ev->h.type == TH_EV_TRADE) {
		px = ev->u.trade.price;
		scale = ev->u.trade.price_scale;
	} else if (ev->h.type == TH_EV_BAR) {
		px = ev->u.bar.close;
		scale = ev->u.bar.price_scale;
	} else {
		return;
	}
	char key[TH_VENUE_MAX + TH_SYMBOL_MAX];
	snprintf(key, sizeof key, "%s:%s", ev->h.venue, ev->h.symbol);
	size_t i = 0;
	while (i < a->nmarks && strcmp(a->marks[i].key, key) != 0)
		i++;
	if (i == a->nmarks) {
		if (a->nmarks == AGUI_MARKS_MAX)
			return; /* bounded: instruments past the first 64 are not shown */
		a->nmarks++;
		memcpy(a->marks[i].key, key, sizeof key);
	}
	a->marks[i].price = px;
	a->marks[i].scale = scale;
}
