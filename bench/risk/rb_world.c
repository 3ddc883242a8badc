#include "rb_world.h"

#include <stdio.h>
#include <string.h>

#define UNIT 1000000LL       /* one unit of quantity at RB_QTY_SCALE */
#define USDT 100000000LL     /* one unit of money at TH_MONEY_SCALE */
#define INST_PER_FARM (RB_NINST / RB_NFARMS)

/* Equity of each wallet level (constant: equal to its peak). */
#define AGENT_EQUITY (2000000 * USDT)
#define FARM_EQUITY (10000000 * USDT)
#define HOST_EQUITY (20000000 * USDT)

uint64_t rb_world_rand(rb_world *w)
{
	/* PCG-style LCG, high bits: deterministic across runs and machines */
	w->rng = w->rng * 6364136223846793005ull + 1442695040888963407ull;
	return w->rng >> 33;
}

static int farm_of(int agent)
{
	return agent / RB_AGENTS_PER_FARM;
}

static void add_instrument(rb_world *w, int i)
{
	fake_portfolio *pf = &w->pf;
	th_instrument *ins = &pf->instruments[pf->ninstruments++];
	memset(ins, 0, sizeof *ins);
	snprintf(w->symbol[i], sizeof w->symbol[i], "S%03d-USDT", i);
	th_strlcpy(ins->venue, RB_VENUE, sizeof ins->venue);
	th_strlcpy(ins->symbol, w->symbol[i], sizeof ins->symbol);
	snprintf(ins->base, sizeof ins->base, "S%03d", i);
	th_strlcpy(ins->quote, "USDT", sizeof ins->quote);
	ins->price_scale = RB_PRICE_SCALE;
	ins->qty_scale = RB_QTY_SCALE;
	ins->tick = 1;
	ins->lot = UNIT / 1000;
	ins->min_qty = UNIT / 1000;
	ins->min_notional = 1 * USDT;
}

/* Signed value of qty of instrument i at its last price, money. */
static th_money value_of(const rb_world *w, int i, th_qty qty)
{
	th_money v = 0;
	th_notional(w->px[i], RB_PRICE_SCALE, qty, RB_QTY_SCALE, &v);
	return v;
}

/* Per-instrument sums of the agents' quantities, for one farm (farm >= 0) or all. */
static void aggregate(const rb_world *w, int farm, th_qty *sum)
{
	memset(sum, 0, RB_NINST * sizeof *sum);
	for (int a = 0; a < RB_NAGENTS; a++)
		if (farm < 0 || farm_of(a) == farm)
			for (int k = 0; k < RB_POS_PER_AGENT; k++)
				sum[w->held[a][k]] += w->qty[a][k];
}

static void wallet_figures(rb_world *w, const char *wallet, const th_qty *sum, th_money equity, uint32_t orders)
{
	th_wallet_stats st;
	memset(&st, 0, sizeof st);
	for (int i = 0; i < RB_NINST; i++) {
		if (sum[i] == 0)
			continue;
		th_money v = value_of(w, i, sum[i]);
		st.gross_exposure += v < 0 ? -v : v;
		st.net_exposure += v;
		st.positions++;
	}
	st.equity = equity;
	st.peak_equity = equity;
	st.cash = equity - st.net_exposure;
	st.open_orders = orders;
	fake_pf_wallet(&w->pf, wallet, &st);
}

/* Wallet figures at the current last prices (the host marks wallets on every bar). */
static void revalue_wallets(rb_world *w)
{
	static th_qty sum[RB_NINST];
	for (int a = 0; a < RB_NAGENTS; a++) {
		memset(sum, 0, sizeof sum);
		for (int k = 0; k < RB_POS_PER_AGENT; k++)
			sum[w->held[a][k]] = w->qty[a][k];
		wallet_figures(w, w->agent[a], sum, AGENT_EQUITY, RB_ORDERS_PER_AGENT);
	}
	for (int f = 0; f < RB_NFARMS; f++) {
		aggregate(w, f, sum);
		wallet_figures(w, w->farm[f], sum, FARM_EQUITY, RB_AGENTS_PER_FARM * RB_ORDERS_PER_AGENT);
	}
	aggregate(w, -1, sum);
	wallet_figures(w, "total", sum, HOST_EQUITY, RB_NAGENTS * RB_ORDERS_PER_AGENT);
}

static void add_positions(rb_world *w)
{
	static th_qty sum[RB_NINST];
	for (int a = 0; a < RB_NAGENTS; a++) {
		int f = farm_of(a), j = a % RB_AGENTS_PER_FARM;
		for (int k = 0; k < RB_POS_PER_AGENT; k++) {
			int i = f * INST_PER_FARM + (j * (INST_PER_FARM / RB_AGENTS_PER_FARM) + k) % INST_PER_FARM;
			th_qty q = (th_qty)(rb_world_rand(w) % 20 + 1) * UNIT;
			w->held[a][k] = i;
			w->qty[a][k] = ((a + k) & 1) ? -q : q;
			fake_pf_position(&w->pf, w->agent[a], RB_VENUE, w->symbol[i], w->qty[a][k], w->px[i], RB_PRICE_SCALE,
				RB_QTY_SCALE);
		}
	}
	/* farm and host wallets: aggregated per instrument, as the host reports them */
	for (int f = -1; f < RB_NFARMS; f++) {
		aggregate(w, f, sum);
		for (int i = 0; i < RB_NINST; i++)
			if (sum[i] != 0)
				fake_pf_position(&w->pf, f < 0 ? "total" : w->farm[f], RB_VENUE, w->symbol[i], sum[i], w->px[i],
					RB_PRICE_SCALE, RB_QTY_SCALE);
	}
}

/* Resting orders far from the market: they count for max_open_orders and
 * are scanned by self-trade prevention, but no intent ever crosses them. */
static void add_orders(rb_world *w)
{
	for (int a = 0; a < RB_NAGENTS; a++) {
		for (int k = 0; k < RB_ORDERS_PER_AGENT; k++) {
			int i = w->held[a][k * 7];
			th_order o;
			memset(&o, 0, sizeof o);
			snprintf(o.client_order_id, sizeof o.client_order_id, "rest-%d-%d", a, k);
			th_strlcpy(o.symbol, w->symbol[i], sizeof o.symbol);
			o.side = (k & 1) ? TH_SIDE_SELL : TH_SIDE_BUY;
			o.type = TH_ORDER_LIMIT;
			o.tif = TH_TIF_GTC;
			o.price = o.side == TH_SIDE_BUY ? w->px[i] / 4 : w->px[i] * 4;
			o.qty = UNIT;
			o.price_scale = RB_PRICE_SCALE;
			o.qty_scale = RB_QTY_SCALE;
			fake_pf_order(&w->pf, w->agent[a], &o);
		}
	}
}

void rb_world_init(rb_world *w, uint64_t seed)
{
	memset(w, 0, sizeof *w);
	w->rng = seed;
	w->next_slot = RB_SLOT0;
	for (int f = 0; f < RB_NFARMS; f++)
		snprintf(w->farm[f], sizeof w->farm[f], "f%d", f);
	for (int a = 0; a < RB_NAGENTS; a++) {
		snprintf(w->agent[a], sizeof w->agent[a], "a%d", a);
		fake_pf_farm(&w->pf, w->agent[a], w->farm[farm_of(a)]);
	}
	for (int i = 0; i < RB_NINST; i++) {
		add_instrument(w, i);
		w->px[i] = 10000 + (th_price)(rb_world_rand(w) % 90000); /* 100.00 .. 999.99 */
		fake_pf_price(&w->pf, RB_VENUE, w->symbol[i], w->px[i], RB_PRICE_SCALE);
	}
	add_positions(w);
	add_orders(w);
	revalue_wallets(w);
}

int64_t rb_world_next_close_ns(const rb_world *w)
{
	return (w->next_slot + 1) * RB_BAR_NS;
}

void rb_world_bar_round(rb_world *w, void (*deliver)(void *arg, const th_event *bar), void *arg)
{
	th_event ev;
	th_event_init(&ev, TH_EV_BAR);
	th_strlcpy(ev.h.venue, RB_VENUE, sizeof ev.h.venue);
	memset(&ev.u.bar, 0, sizeof ev.u.bar);
	ev.u.bar.open_time_ns = w->next_slot * RB_BAR_NS;
	ev.u.bar.interval_ns = RB_BAR_NS;
	ev.u.bar.price_scale = RB_PRICE_SCALE;
	ev.u.bar.qty_scale = RB_QTY_SCALE;
	ev.h.ts_ns = rb_world_next_close_ns(w);
	for (int i = 0; i < RB_NINST; i++) {
		th_price open = w->px[i];
		/* +-0.5 % in steps of 0.001 %, never below 1.00 */
		th_price move = open * ((th_price)(rb_world_rand(w) % 1001) - 500) / 100000;
		w->px[i] = open + move < 100 ? 100 : open + move;
		th_strlcpy(ev.h.symbol, w->symbol[i], sizeof ev.h.symbol);
		ev.u.bar.open = open;
		ev.u.bar.close = w->px[i];
		ev.u.bar.high = open > w->px[i] ? open : w->px[i];
		ev.u.bar.low = open < w->px[i] ? open : w->px[i];
		ev.u.bar.volume = 100 * UNIT;
		ev.u.bar.trades = 10;
		deliver(arg, &ev);
		/* the host's last price follows the bar close; prices[i] is instrument i (added in order) */
		w->pf.prices[i].price = w->px[i];
	}
	w->next_slot++;
	revalue_wallets(w);
}

void rb_world_intent(rb_world *w, th_event *ev, uint64_t intent_id)
{
	int a = (int)(rb_world_rand(w) % RB_NAGENTS);
	int i = (rb_world_rand(w) & 1) ? w->held[a][rb_world_rand(w) % RB_POS_PER_AGENT]
				      : (int)(rb_world_rand(w) % RB_NINST);
	th_event_init(ev, TH_EV_INTENT);
	th_strlcpy(ev->h.venue, RB_VENUE, sizeof ev->h.venue);
	th_strlcpy(ev->h.symbol, w->symbol[i], sizeof ev->h.symbol);
	th_strlcpy(ev->h.agent, w->agent[a], sizeof ev->h.agent);
	memset(&ev->u.intent, 0, sizeof ev->u.intent);
	ev->u.intent.intent_id = intent_id;
	ev->u.intent.action = TH_INTENT_PLACE;
	th_strlcpy(ev->u.intent.farm, w->farm[farm_of(a)], sizeof ev->u.intent.farm);
	th_order *o = &ev->u.intent.order;
	snprintf(o->client_order_id, sizeof o->client_order_id, "%s-%llu", w->agent[a], (unsigned long long)intent_id);
	th_strlcpy(o->symbol, w->symbol[i], sizeof o->symbol);
	o->side = (rb_world_rand(w) & 1) ? TH_SIDE_BUY : TH_SIDE_SELL;
	o->type = TH_ORDER_LIMIT;
	o->tif = TH_TIF_GTC;
	o->price = w->px[i] + (th_price)(rb_world_rand(w) % 5) - 2;
	o->qty = (th_qty)(rb_world_rand(w) % 5 + 1) * UNIT;
	o->price_scale = RB_PRICE_SCALE;
	o->qty_scale = RB_QTY_SCALE;
}

uint32_t rb_world_positions(const rb_world *w, const char *wallet)
{
	for (size_t i = 0; i < w->pf.nwallets; i++)
		if (strcmp(w->pf.wallets[i].wallet, wallet) == 0)
			return w->pf.wallets[i].stats.positions;
	return 0;
}
