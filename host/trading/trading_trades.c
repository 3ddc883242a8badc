#include "trading/trading_trades.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tradehost/th_status.h>

#include "common/strmap.h"
#include "trading/name_key.h"
#include "trading/trade_math.h"

/* Exposure clocks of a position: its agent's, its farm's, the total's. */
enum { CLOCK_AGENT, CLOCK_FARM, CLOCK_TOTAL, CLOCK_KINDS };

typedef struct pos_state {
	char agent[TH_NAME_MAX], venue[TH_VENUE_MAX], symbol[TH_SYMBOL_MAX];
	/* The agent's farm, read once when the position is first seen: capital
	 * never moves an agent to another farm (the parent is set when the
	 * wallet is created), so it stays right for the book's lifetime. */
	char farm[TH_NAME_MAX];
	/* indices in trade_book.clocks of the agent's, farm's and total's
	 * clocks (-1: none, e.g. an agent without a farm), looked up at the
	 * position's first open; the clock array only grows, so they stay valid */
	int32_t clock[CLOCK_KINDS];
	int clocks_known;
	/* its capital position, found by name at its first fill and then read
	 * by index (capital_position_core_at: valid for the capital's life) */
	capital_position_ref cref;
	int cref_known;
	th_qty qty;
	th_price avg;
	th_money realized, fees;
	th_money open_fees;           /* fees paid opening the current position, not yet attributed */
	int64_t opened_ns;
	char last_clid[TH_CLORD_MAX]; /* the trade being built by this order, if any */
	size_t last_trade;
} pos_state;

/* A wallet's exposure clock: time while any of its positions is open. */
typedef struct clock_state {
	char name[TH_NAME_MAX];
	size_t open_positions;
	int64_t since_ns, total_ns;
} clock_state;

struct trade_book {
	capital_t *capital;
	/* Each position is allocated on its own and never moves: the trades
	 * borrow its names (report_trade's strings) instead of copying three
	 * names into every trade, which was most of the memory (and the fresh
	 * pages touched) per trade. */
	pos_state **pos;
	size_t npos, cap_pos;
	strmap *pos_index;
	size_t last_pos;              /* index of the position the last fill touched */
	/* its names as fill headers carry them: a run of fills of one position
	 * finds it by a few word compares (name_key.h) */
	name_key last_agent, last_venue, last_symbol;
	report_trade *trades;
	size_t ntrades, cap_trades;
	clock_state *clocks;
	size_t nclocks, cap_clocks;
};

trade_book *trade_book_create(capital_t *c)
{
	trade_book *b = calloc(1, sizeof *b);
	if (!b)
		return NULL;
	b->capital = c;
	b->pos_index = strmap_create();
	if (!b->pos_index) {
		free(b);
		return NULL;
	}
	return b;
}

void trade_book_destroy(trade_book *b)
{
	if (!b)
		return;
	strmap_destroy(b->pos_index);
	for (size_t i = 0; i < b->npos; i++)
		free(b->pos[i]);
	free(b->pos);
	free(b->trades);
	free(b->clocks);
	free(b);
}

/* Appends src and then sep to the key being built at *at (the caller's
 * buffer has room for every part at its maximum length). */
static void key_part(char *key, size_t *at, const char *src, size_t max, char sep)
{
	size_t n = strnlen(src, max - 1);
	memcpy(key + *at, src, n);
	*at += n;
	key[(*at)++] = sep;
}

static pos_state *position(trade_book *b, const th_event *fill)
{
	const char *agent = fill->h.agent, *venue = fill->h.venue, *symbol = fill->h.symbol;
	/* Fills come in runs for one position (an order's fills, an agent
	 * trading one symbol): try the last one before building a key. */
	if (b->last_pos < b->npos && name_key_is(&b->last_symbol, symbol, TH_SYMBOL_MAX) &&
		name_key_is(&b->last_agent, agent, TH_NAME_MAX) && name_key_is(&b->last_venue, venue, TH_VENUE_MAX))
		return b->pos[b->last_pos];
	char key[TH_NAME_MAX + TH_VENUE_MAX + TH_SYMBOL_MAX];
	size_t at = 0;
	key_part(key, &at, agent, TH_NAME_MAX, '|');
	key_part(key, &at, venue, TH_VENUE_MAX, '|');
	key_part(key, &at, symbol, TH_SYMBOL_MAX, '\0');
	int64_t i;
	if (!strmap_get(b->pos_index, key, &i)) {
		if (b->npos == b->cap_pos) {
			size_t cap = b->cap_pos ? b->cap_pos * 2 : 16;
			pos_state **grown = realloc(b->pos, cap * sizeof *grown);
			if (!grown)
				return NULL;
			b->pos = grown;
			b->cap_pos = cap;
		}
		pos_state *p = calloc(1, sizeof *p);
		if (!p)
			return NULL;
		th_strlcpy(p->agent, agent, sizeof p->agent);
		th_strlcpy(p->venue, venue, sizeof p->venue);
		th_strlcpy(p->symbol, symbol, sizeof p->symbol);
		capital_kind_of(b->capital, p->agent, p->farm, sizeof p->farm);
		if (strmap_put(b->pos_index, key, (int64_t)b->npos) < 0) {
			free(p);
			return NULL;
		}
		b->pos[b->npos] = p;
		i = (int64_t)b->npos++;
	}
	b->last_pos = (size_t)i;
	name_key_set(&b->last_agent, b->pos[i]->agent, TH_NAME_MAX);
	name_key_set(&b->last_venue, b->pos[i]->venue, TH_VENUE_MAX);
	name_key_set(&b->last_symbol, b->pos[i]->symbol, TH_SYMBOL_MAX);
	return b->pos[i];
}

static clock_state *clock_of(trade_book *b, const char *name)
{
	for (size_t i = 0; i < b->nclocks; i++)
		if (strcmp(b->clocks[i].name, name) == 0)
			return &b->clocks[i];
	if (b->nclocks == b->cap_clocks) {
		size_t cap = b->cap_clocks ? b->cap_clocks * 2 : 16;
		clock_state *c = realloc(b->clocks, cap * sizeof *c);
		if (!c)
			return NULL;
		b->clocks = c;
		b->cap_clocks = cap;
	}
	clock_state *c = &b->clocks[b->nclocks++];
	memset(c, 0, sizeof *c);
	th_strlcpy(c->name, name, sizeof c->name);
	return c;
}

/* A position opened (+1) or closed (-1): move the clocks of the agent, its
 * farm and the total. */
static void exposure_step(trade_book *b, pos_state *p, int delta, int64_t now)
{
	if (!p->clocks_known) {
		const char *names[CLOCK_KINDS] = { p->agent, p->farm, "total" };
		for (int k = 0; k < CLOCK_KINDS; k++) {
			clock_state *c = names[k][0] ? clock_of(b, names[k]) : NULL;
			p->clock[k] = c ? (int32_t)(c - b->clocks) : -1;
		}
		/* out of memory: look them up again next time */
		p->clocks_known = (!p->agent[0] || p->clock[CLOCK_AGENT] >= 0) && (!p->farm[0] || p->clock[CLOCK_FARM] >= 0) &&
			p->clock[CLOCK_TOTAL] >= 0;
	}
	for (int k = 0; k < CLOCK_KINDS; k++) {
		if (p->clock[k] < 0)
			continue;
		clock_state *c = &b->clocks[p->clock[k]];
		if (delta > 0 && c->open_positions++ == 0)
			c->since_ns = now;
		if (delta < 0 && c->open_positions > 0 && --c->open_positions == 0)
			c->total_ns += now - c->since_ns;
	}
}

static report_trade *new_trade(trade_book *b)
{
	if (b->ntrades == b->cap_trades) {
		size_t cap = b->cap_trades ? b->cap_trades * 2 : 256;
		report_trade *t = realloc(b->trades, cap * sizeof *t);
		if (!t)
			return NULL;
		b->trades = t;
		b->cap_trades = cap;
	}
	report_trade *t = &b->trades[b->ntrades];
	memset(t, 0, sizeof *t);
	b->ntrades++;
	return t;
}

void trade_book_on_fill(trade_book *b, const th_event *ev, int64_t now)
{
	const th_fill *f = &ev->u.fill;
	pos_state *p = position(b, ev);
	/* only the four figures it follows, not the whole capital_position
	 * (names, value, mark): this runs on every fill */
	capital_position_core pos;
	const capital_position_core *cp = &pos;
	if (!p)
		return;
	if (!p->cref_known) {
		if (capital_position_ref_of(b->capital, p->agent, p->venue, p->symbol, &p->cref) != TH_OK)
			return;
		p->cref_known = 1;
	}
	if (capital_position_core_at(b->capital, p->cref, &pos) != TH_OK)
		return;
	th_qty signed_fill = f->side == TH_SIDE_BUY ? f->qty : -f->qty;
	int reduces = p->qty != 0 && ((p->qty > 0) != (signed_fill > 0));
	if (reduces) {
		th_qty closed = f->qty < (p->qty > 0 ? p->qty : -p->qty) ? f->qty : (p->qty > 0 ? p->qty : -p->qty);
		/* The trade carries its share of the entry fees too, so the trades'
		 * PnL plus open positions reconciles with the equity change. */
		th_qty held = p->qty > 0 ? p->qty : -p->qty;
		th_money entry_fee = 0;
		muldiv_round(p->open_fees, closed, held, &entry_fee);
		p->open_fees -= entry_fee;
		th_money pnl = (cp->realized_pnl - p->realized) - (cp->fees - p->fees) - entry_fee;
		report_trade *t = NULL;
		if (strcmp(p->last_clid, f->client_order_id) == 0 && p->last_trade < b->ntrades)
			t = &b->trades[p->last_trade]; /* another fill of the same closing order */
		if (!t && (t = new_trade(b)) != NULL) {
			size_t i = (size_t)(t - b->trades);
			/* borrowed from the position, which never moves */
			t->agent = p->agent;
			t->farm = p->farm;
			t->symbol = p->symbol;
			t->venue = p->venue;
			t->side = p->qty > 0 ? TH_SIDE_BUY : TH_SIDE_SELL;
			t->entry_ns = p->opened_ns;
			t->entry_price = p->avg;
			t->price_scale = f->price_scale;
			t->qty_scale = f->qty_scale;
			th_strlcpy(p->last_clid, f->client_order_id, sizeof p->last_clid);
			p->last_trade = i;
		}
		if (t) {
			/* exit price: quantity-weighted over the order's closing fills */
			t->exit_price = weighted_price(t->exit_price, t->qty, f->price, closed);
			t->qty += closed;
			t->exit_ns = now;
			t->net_pnl += pnl;
			t->fees += cp->fees - p->fees + entry_fee;
		}
	} else {
		p->last_clid[0] = '\0';
		p->open_fees += cp->fees - p->fees;
	}
	th_qty before = p->qty;
	p->qty = cp->qty;
	p->avg = cp->avg_price;
	p->realized = cp->realized_pnl;
	p->fees = cp->fees;
	if (before == 0 && p->qty != 0) {
		p->opened_ns = now;
		exposure_step(b, p, +1, now);
	} else if (before != 0 && p->qty == 0) {
		exposure_step(b, p, -1, now);
	} else if (before != 0 && p->qty != 0 && (before > 0) != (p->qty > 0)) {
		p->opened_ns = now; /* flipped: the new position starts now */
	}
	if (p->qty == 0)
		p->open_fees = 0;
}

void trade_book_finish(trade_book *b, int64_t now)
{
	for (size_t i = 0; i < b->nclocks; i++) {
		clock_state *c = &b->clocks[i];
		if (c->open_positions > 0) {
			c->total_ns += now - c->since_ns;
			c->since_ns = now;
		}
	}
}

size_t trade_book_count(const trade_book *b)
{
	return b->ntrades;
}

const report_trade *trade_book_trades(const trade_book *b)
{
	return b->trades;
}

int64_t trade_book_exposure(const trade_book *b, const char *wallet)
{
	for (size_t i = 0; i < b->nclocks; i++)
		if (strcmp(b->clocks[i].name, wallet) == 0)
			return b->clocks[i].total_ns;
	return 0;
}
