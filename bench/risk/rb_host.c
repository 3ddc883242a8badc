#include "rb_host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define USDT 100000000LL

static rb_host *g_host;

static void die(const char *what, const char *err)
{
	fprintf(stderr, "bench_risk: real host book: %s: %s\n", what, err);
	exit(1);
}

capital_t *rb_host_book(const rb_world *w)
{
	char err[256];
	capital_t *c = capital_create("USDT", err, sizeof err);
	if (!c)
		die("capital_create", err);
	if (capital_deposit(c, 20000000 * USDT) != TH_OK)
		die("deposit", "refused");
	for (int f = 0; f < RB_NFARMS; f++)
		if (capital_add_farm(c, w->farm[f], err, sizeof err) != TH_OK ||
			capital_allocate(c, "master", w->farm[f], 10000000 * USDT, err, sizeof err) != TH_OK)
			die(w->farm[f], err);
	for (int a = 0; a < RB_NAGENTS; a++) {
		const char *farm = w->farm[a / RB_AGENTS_PER_FARM];
		if (capital_add_agent(c, w->agent[a], farm, err, sizeof err) != TH_OK ||
			capital_allocate(c, farm, w->agent[a], 2000000 * USDT, err, sizeof err) != TH_OK)
			die(w->agent[a], err);
		for (int k = 0; k < RB_POS_PER_AGENT; k++) {
			int i = w->held[a][k];
			th_qty q = w->qty[a][k];
			th_fill fill;
			memset(&fill, 0, sizeof fill);
			snprintf(fill.client_order_id, sizeof fill.client_order_id, "%s-%d", w->agent[a], k);
			snprintf(fill.venue_trade_id, sizeof fill.venue_trade_id, "t-%s-%d", w->agent[a], k);
			fill.side = q > 0 ? TH_SIDE_BUY : TH_SIDE_SELL;
			fill.price = w->px[i];
			fill.qty = q > 0 ? q : -q;
			fill.price_scale = RB_PRICE_SCALE;
			fill.qty_scale = RB_QTY_SCALE;
			if (capital_fill_unreserved(c, w->agent[a], &w->pf.instruments[i], &fill, 1, err, sizeof err) != TH_OK)
				die("capital_fill_unreserved", err);
		}
	}
	return c;
}

/* The "venue instance": the world's instrument table, one owner for good. */
static int world_list(void *arg, const char *venue, const void *const known[2], const void *owner[2],
	const th_instrument **list, size_t *n)
{
	rb_world *w = arg;
	(void)known;
	if (strcmp(venue, RB_VENUE) != 0)
		return -1;
	owner[0] = w;
	owner[1] = w->pf.instruments;
	*list = w->pf.instruments;
	*n = RB_NINST;
	return 0;
}

int rb_host_init(rb_host *h, rb_world *w, char *err, size_t cap)
{
	memset(h, 0, sizeof *h);
	h->world = w;
	h->capital = rb_host_book(w);
	h->view = trading_view_create(h->capital, world_list, w);
	if (!h->view) {
		snprintf(err, cap, "out of memory creating the trading view");
		return -1;
	}
	for (int i = 0; i < RB_NINST; i++)
		trading_view_set_price(h->view, RB_VENUE, w->symbol[i], w->px[i], RB_PRICE_SCALE);
	return 0;
}

void rb_host_free(rb_host *h)
{
	trading_view_destroy(h->view);
	capital_destroy(h->capital);
	memset(h, 0, sizeof *h);
}

void rb_host_on_bars(rb_host *h)
{
	const rb_world *w = h->world;
	for (int i = 0; i < RB_NINST; i++) {
		trading_view_set_price(h->view, RB_VENUE, w->symbol[i], w->px[i], RB_PRICE_SCALE);
		capital_mark(h->capital, RB_VENUE, w->symbol[i], w->px[i], RB_PRICE_SCALE, 0);
	}
}

/* The slots, as host_api.c forwards them to the provider (its argument
 * checks included). */
static const th_instrument *host_instrument(th_ctx *ctx, const char *venue, const char *symbol)
{
	(void)ctx;
	return venue && symbol ? trading_view_instrument(g_host->view, venue, symbol) : NULL;
}

static th_price host_last_price(th_ctx *ctx, const char *venue, const char *symbol, int32_t *scale)
{
	int32_t dummy;
	(void)ctx;
	return venue && symbol ? trading_view_last_price(g_host->view, venue, symbol, scale ? scale : &dummy) : 0;
}

static int host_wallet_stats(th_ctx *ctx, const char *wallet, th_wallet_stats *out)
{
	(void)ctx;
	if (!wallet || !out)
		return TH_ERR_INVALID;
	return trading_view_wallet_stats(g_host->view, wallet, out);
}

static size_t host_positions(th_ctx *ctx, const char *wallet, th_position *out, size_t cap)
{
	(void)ctx;
	return wallet && (out || cap == 0) ? trading_view_positions(g_host->view, wallet, out, cap) : 0;
}

void rb_host_install(rb_host *h, rb_plugin *p)
{
	g_host = h;
	p->h.api.instrument = host_instrument;
	p->h.api.last_price = host_last_price;
	p->h.api.wallet_stats = host_wallet_stats;
	p->h.api.positions = host_positions;
}
