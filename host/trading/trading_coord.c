#include "trading/trading_coord.h"

#include <stdio.h>
#include <string.h>

#include <tradehost/th_risk.h>

#include "common/log.h"
#include "trading/trading_internal.h"

static const char *const mode_names[] = { "independent", "voting", "hierarchical", "weighted", "emergency" };

int coord_mode_parse(const char *s)
{
	for (int i = 0; i < 5; i++)
		if (strcmp(s, mode_names[i]) == 0)
			return i;
	return -1;
}

const char *coord_mode_name(int mode)
{
	return mode >= 0 && mode < 5 ? mode_names[mode] : "unknown";
}

#define COORD_FLUSH_TAG 0x434f4f52u /* "COOR" */

static int farm_index(const trading_t *t, const char *farm)
{
	for (size_t i = 0; i < t->cfg.nfarms; i++)
		if (strcmp(t->cfg.farms[i].name, farm) == 0)
			return (int)i;
	return -1;
}

static size_t farm_agents(const trading_t *t, const char *farm)
{
	const host_config *hc = host_get_config(t->host);
	size_t n = 0;
	for (size_t i = 0; i < hc->ninstances; i++)
		n += strcmp(hc->instances[i].farm, farm) == 0;
	return n;
}

/* The agent's signed position on the intent's instrument. */
static th_qty position_of(trading_t *t, const char *agent, const char *venue, const char *symbol)
{
	capital_position pos[32];
	size_t n = capital_positions(t->capital, agent, 0, pos, 32);
	for (size_t i = 0; i < n && i < 32; i++)
		if (strcmp(pos[i].p.venue, venue) == 0 && strcmp(pos[i].p.symbol, symbol) == 0)
			return pos[i].p.qty;
	return 0;
}

/* True when the intent can only shrink the agent's position: opposite side
 * and, with the agent's open orders on that side, no more than it holds (so
 * it can neither grow nor flip the position). */
int trading_intent_reduces(trading_t *t, const th_event *in)
{
	th_qty pos = position_of(t, in->h.agent, in->h.venue, in->u.intent.order.symbol);
	th_qty q = in->u.intent.order.qty;
	size_t open = oms_open_orders(t->oms);
	for (size_t i = 0; i < open; i++) {
		oms_order_view v;
		oms_open_order_at(t->oms, i, &v);
		if (strcmp(v.agent, in->h.agent) != 0 || strcmp(v.venue, in->h.venue) != 0 ||
			strcmp(v.order->symbol, in->u.intent.order.symbol) != 0 || v.order->side != in->u.intent.order.side)
			continue;
		q += v.order->qty - v.filled_qty;
	}
	if (in->u.intent.order.side == TH_SIDE_SELL)
		return pos > 0 && q <= pos;
	return pos < 0 && q <= -pos;
}

static void queue_flush(trading_t *t, int farm)
{
	th_event ev;
	th_event_init(&ev, TH_EV_CUSTOM);
	memset(&ev.u.custom, 0, sizeof ev.u.custom);
	ev.u.custom.tag = COORD_FLUSH_TAG;
	ev.u.custom.len = sizeof farm;
	memcpy(ev.u.custom.data, &farm, sizeof farm);
	bus_publish(t->bus, &ev);
}

/* Decides each buffered intent of a farm's voting round. */
static void count_votes(trading_t *t, int farm)
{
	coord_ballot *b = &t->ballots[farm];
	const trading_farm_cfg *f = &t->cfg.farms[farm];
	size_t members = farm_agents(t, f->name);
	for (size_t i = 0; i < b->n; i++) {
		const th_event *in = &b->intents[i];
		if (!in->h.type)
			continue; /* already decided with its symbol */
		const char *sym = in->u.intent.order.symbol;
		size_t buys = 0, sells = 0;
		for (size_t k = i; k < b->n; k++)
			if (b->intents[k].h.type && strcmp(b->intents[k].u.intent.order.symbol, sym) == 0) {
				if (b->intents[k].u.intent.order.side == TH_SIDE_BUY)
					buys++;
				else
					sells++;
			}
		uint32_t winner = buys > sells ? TH_SIDE_BUY : sells > buys ? TH_SIDE_SELL : 0;
		size_t votes = buys > sells ? buys : sells;
		if ((double)votes < f->quorum * (double)members)
			winner = 0;
		for (size_t k = i; k < b->n; k++) {
			th_event *x = &b->intents[k];
			if (!x->h.type || strcmp(x->u.intent.order.symbol, sym) != 0)
				continue;
			if (x->u.intent.order.side == winner) {
				trading_proceed(t, x, 0, "voting");
			} else {
				char why[128];
				snprintf(why, sizeof why, "outvoted in farm %s on %s: %zu buy, %zu sell of %zu agents (quorum %.0f%%)",
					f->name, sym, buys, sells, members, f->quorum * 100);
				trading_deny(t, x, TH_RISK_STATE, why, "coordinator");
			}
			x->h.type = 0;
		}
	}
	b->n = 0;
}

void trading_on_coord_flush(void *arg, const th_event *ev)
{
	trading_t *t = arg;
	int farm;
	if (ev->u.custom.tag != COORD_FLUSH_TAG || ev->u.custom.len != sizeof farm)
		return;
	memcpy(&farm, ev->u.custom.data, sizeof farm);
	if (farm >= 0 && (size_t)farm < t->cfg.nfarms)
		count_votes(t, farm);
}

void trading_coordinate(trading_t *t, const th_event *in)
{
	int fi = farm_index(t, in->u.intent.farm);
	if (fi < 0) {
		trading_proceed(t, in, 0, NULL);
		return;
	}
	const trading_farm_cfg *f = &t->cfg.farms[fi];
	char why[160];
	switch (f->coordination) {
	case COORD_VOTING: {
		coord_ballot *b = &t->ballots[fi];
		if (b->n == COORD_BALLOT_MAX) {
			trading_deny(t, in, TH_RISK_RATE, "voting round full", "coordinator");
			return;
		}
		memcpy(&b->intents[b->n++], in, th_event_size(in));
		if (b->n == 1)
			queue_flush(t, fi);
		return;
	}
	case COORD_HIERARCHICAL: {
		const char *sym = in->u.intent.order.symbol;
		coord_direction *d = NULL;
		for (size_t i = 0; i < t->ndirections; i++)
			if (t->directions[i].farm == fi && strcmp(t->directions[i].symbol, sym) == 0)
				d = &t->directions[i];
		if (strcmp(in->h.agent, f->leader) == 0) {
			if (!d && t->ndirections < COORD_DIRECTIONS_MAX) {
				d = &t->directions[t->ndirections++];
				d->farm = fi;
				th_strlcpy(d->symbol, sym, sizeof d->symbol);
			}
			if (d)
				d->side = in->u.intent.order.side;
			trading_proceed(t, in, 0, NULL);
			return;
		}
		if (d && d->side == in->u.intent.order.side) {
			trading_proceed(t, in, 0, NULL);
			return;
		}
		snprintf(why, sizeof why, "leader %s of farm %s has not gone this way on %s", f->leader, f->name, sym);
		trading_deny(t, in, TH_RISK_STATE, why, "coordinator");
		return;
	}
	case COORD_WEIGHTED: {
		capital_stats st;
		int64_t best = 0, mine = 0;
		const host_config *hc = host_get_config(t->host);
		for (size_t i = 0; i < hc->ninstances; i++) {
			if (strcmp(hc->instances[i].farm, f->name) != 0 || capital_stats_get(t->capital, hc->instances[i].name, &st) != TH_OK)
				continue;
			int64_t nav = st.nav > 0 ? st.nav : 0;
			if (nav > best)
				best = nav;
			if (strcmp(hc->instances[i].name, in->h.agent) == 0)
				mine = nav;
		}
		const th_instrument *ins = tv_instrument(t, in->h.venue, in->u.intent.order.symbol);
		th_qty lot = ins && ins->lot > 0 ? ins->lot : 1, scaled = in->u.intent.order.qty;
		if (best > 0 && th_fixed_muldiv(in->u.intent.order.qty, mine, best, &scaled) == 0)
			scaled -= scaled % lot;
		if (scaled <= 0) {
			snprintf(why, sizeof why, "weighted farm %s: %s's performance weight rounds the order to nothing",
				f->name, in->h.agent);
			trading_deny(t, in, TH_RISK_CAPITAL, why, "coordinator");
			return;
		}
		trading_proceed(t, in, scaled, NULL);
		return;
	}
	case COORD_EMERGENCY:
		if (trading_intent_reduces(t, in)) {
			trading_proceed(t, in, 0, NULL);
			return;
		}
		snprintf(why, sizeof why, "farm %s is flattening (emergency): only orders that reduce a position pass", f->name);
		trading_deny(t, in, TH_RISK_STATE, why, "coordinator");
		return;
	default:
		trading_proceed(t, in, 0, NULL);
	}
}

/* Emergency: cancel every open order of the farm's agents and close their
 * positions at market, each order attributed to its agent. */
void trading_flatten_farm(trading_t *t, const char *farm)
{
	const host_config *hc = host_get_config(t->host);
	char err[256];
	for (size_t i = 0; i < hc->ninstances; i++) {
		const char *agent = hc->instances[i].name;
		if (strcmp(hc->instances[i].farm, farm) != 0)
			continue;
		oms_cancel_all(t->oms, agent);
		capital_position pos[32];
		size_t n = capital_positions(t->capital, agent, 0, pos, 32);
		for (size_t k = 0; k < n && k < 32; k++) {
			if (pos[k].p.qty == 0)
				continue;
			th_event ev;
			th_event_init(&ev, TH_EV_INTENT);
			memset(&ev.u.intent, 0, sizeof ev.u.intent);
			th_strlcpy(ev.h.venue, pos[k].p.venue, sizeof ev.h.venue);
			th_strlcpy(ev.h.symbol, pos[k].p.symbol, sizeof ev.h.symbol);
			th_strlcpy(ev.h.agent, agent, sizeof ev.h.agent);
			th_strlcpy(ev.u.intent.farm, farm, sizeof ev.u.intent.farm);
			th_order *o = &ev.u.intent.order;
			th_strlcpy(o->symbol, pos[k].p.symbol, sizeof o->symbol);
			o->side = pos[k].p.qty > 0 ? TH_SIDE_SELL : TH_SIDE_BUY;
			o->type = TH_ORDER_MARKET;
			o->tif = TH_TIF_IOC;
			o->qty = pos[k].p.qty > 0 ? pos[k].p.qty : -pos[k].p.qty;
			o->price_scale = pos[k].p.price_scale;
			o->qty_scale = pos[k].p.qty_scale;
			if (oms_submit(t->oms, &ev, 0, err, sizeof err) != TH_OK)
				log_warn("flatten %s %s for %s: %s", pos[k].p.symbol, pos[k].p.venue, agent, err);
		}
	}
}
