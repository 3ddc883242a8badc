/* grid — the cells: entries on bar closes, exits after entries, relaying (see grid.h). */
#include <stdio.h>
#include <string.h>

#include "grid.h"
#include "kit_msg.h"

int grid_is_entry(const grid_cell *c, uint32_t side)
{
	return (c->mode == GRID_LONG && side == TH_SIDE_BUY) || (c->mode == GRID_SHORT && side == TH_SIDE_SELL);
}

static uint32_t ncells(const grid *g)
{
	return g->s.nlevels - 1;
}

/* What is still working on one side: the worst case if it all fills. */
static th_qty resting(const grid *g, uint32_t side)
{
	th_qty sum = 0;
	for (size_t i = 0; i < KIT_MAX_ORDERS; i++) {
		const kit_order *o = &g->s.book.o[i];
		if (o->used && o->side == side && strcmp(o->symbol, g->p.symbol) == 0 && o->qty > o->filled)
			sum += o->qty - o->filled;
	}
	return sum;
}

static int working(grid *g, uint32_t cell)
{
	return kit_book_by_tag(&g->s.book, g->p.symbol, (int32_t)cell) != NULL;
}

/* Appends "buy 0.01@64000.00" to a summary. */
static void note(char *buf, size_t cap, const grid *g, uint32_t side, th_price px, th_qty qty)
{
	char p[40], q[40];
	size_t n = strlen(buf);
	if (n + 48 >= cap) {
		if (n + 4 < cap && strcmp(buf + n - 3, "...") != 0)
			snprintf(buf + n, cap - n, "...");
		return;
	}
	snprintf(buf + n, cap - n, "%s%s %s@%s", n ? ", " : "", side == TH_SIDE_BUY ? "buy" : "sell",
		kit_fmt_short(q, sizeof q, qty, g->s.inst.qty_scale), kit_fmt(p, sizeof p, px, g->s.inst.price_scale));
}

static int place(grid *g, uint32_t cell, uint32_t side, th_price px, th_qty qty)
{
	th_order o;
	memset(&o, 0, sizeof o);
	th_strlcpy(o.symbol, g->p.symbol, sizeof o.symbol);
	o.side = side;
	o.type = TH_ORDER_LIMIT;
	o.tif = TH_TIF_GTC;
	o.flags = g->p.post_only ? TH_ORDER_POST_ONLY : 0;
	o.price = px;
	o.qty = qty;
	o.price_scale = g->s.inst.price_scale;
	o.qty_scale = g->s.inst.qty_scale;
	int rc = kit_place(&g->s.book, g->api, g->ctx, g->p.venue, &o, (int32_t)cell, NULL);
	if (rc != TH_OK)
		g->api->logf(g->ctx, TH_LOG_WARN, "%s: order for %s not published (status %d)", GRID_PLUGIN, g->p.symbol, rc);
	return rc;
}

/* The second leg of a cell that holds something. */
static int place_exit(grid *g, uint32_t i, char *sum, size_t cap)
{
	grid_cell *c = &g->s.cell[i];
	uint32_t side = c->mode == GRID_LONG ? TH_SIDE_SELL : TH_SIDE_BUY;
	th_price px = c->mode == GRID_LONG ? g->s.level[i + 1] : g->s.level[i];
	if (c->held <= 0 || c->mode == GRID_IDLE || place(g, i, side, px, c->held) != TH_OK)
		return 0;
	note(sum, cap, g, side, px, c->held);
	return 1;
}

static int entry_allowed(const grid *g, uint32_t side)
{
	if (side == TH_SIDE_BUY)
		return g->s.pos.qty + resting(g, TH_SIDE_BUY) + g->s.qty <= g->s.max_pos;
	return g->p.allow_short && g->s.pos.qty - resting(g, TH_SIDE_SELL) - g->s.qty >= -g->s.max_pos;
}

static size_t host_open_orders(const grid *g)
{
	th_order o[256];
	size_t n = g->api->open_orders(g->ctx, g->api->instance_name(g->ctx), o, NULL, NULL, 256), mine = 0;
	for (size_t i = 0; i < n && i < 256; i++)
		mine += strcmp(o[i].symbol, g->p.symbol) == 0;
	return n > 256 ? n : mine; /* more than we can look at: count them all */
}

/* Give an inherited position to the cells nearest the price, as inventory to
 * unwind at the far side of each cell. */
static void seed(grid *g, th_price close)
{
	memset(g->s.cell, 0, sizeof g->s.cell);
	th_qty left = g->s.pos.qty > 0 ? g->s.pos.qty : -g->s.pos.qty;
	uint32_t nc = ncells(g);
	if (g->s.pos.qty > 0) {
		uint32_t j = 0;
		while (j < nc - 1 && g->s.level[j + 1] <= close)
			j++; /* the cell containing the close, or the top one */
		for (uint32_t i = j; i < nc && left > 0; i++) {
			th_qty q = i == nc - 1 || left < g->s.qty ? left : g->s.qty;
			g->s.cell[i].mode = GRID_LONG;
			g->s.cell[i].held = q;
			left -= q;
		}
	} else if (g->s.pos.qty < 0) {
		int32_t j = (int32_t)nc - 1;
		while (j > 0 && g->s.level[j] >= close)
			j--; /* the cell containing the close, or the bottom one */
		for (int32_t i = j; i >= 0 && left > 0; i--) {
			th_qty q = i == 0 || left < g->s.qty ? left : g->s.qty;
			g->s.cell[i].mode = GRID_SHORT;
			g->s.cell[i].held = q;
			left -= q;
		}
	}
}

/* Returns 1 when the grid may trade on this close. */
static int relay_step(grid *g, th_price close)
{
	int host_view = TH_HOST_HAS(g->api, open_orders);
	size_t ours = kit_book_live(&g->s.book, g->p.symbol);
	size_t theirs = host_view ? host_open_orders(g) : 0;
	if (!g->s.relay_cancel_sent && (ours || theirs || !host_view)) {
		/* orders this instance cannot account for (a previous run's, or a
		 * different grid's): cancel them all before laying the grid */
		kit_cancel_all(&g->s.book, g->api, g->ctx, g->p.venue, g->p.symbol);
		g->s.relay_cancel_sent = 1;
		kit_say(g->api, g->ctx, g->p.symbol, "decision",
			"%s: canceling the agent's %zu open order(s) on the symbol before laying the grid", g->p.symbol,
			host_view ? theirs : ours);
		if (host_view || ours)
			return 0; /* wait until they are gone */
	} else if (ours || theirs) {
		return 0;
	}
	if (g->s.relay_from_host) {
		kit_pos held;
		if (kit_pos_from_host(g->api, g->ctx, g->p.venue, g->p.symbol, g->s.inst.price_scale, g->s.inst.qty_scale,
			    &held))
			g->s.pos = held;
	}
	seed(g, close);
	g->s.relay = 0;
	g->s.relay_cancel_sent = 0;
	char px[40], pos[40], lo[40], hi[40];
	kit_say(g->api, g->ctx, g->p.symbol, "decision",
		"%s: grid of %u levels %s..%s laid at close %s with position %s given to the nearest cells", g->p.symbol,
		g->s.nlevels, kit_fmt(lo, sizeof lo, g->s.level[0], g->s.inst.price_scale),
		kit_fmt(hi, sizeof hi, g->s.level[g->s.nlevels - 1], g->s.inst.price_scale),
		kit_fmt(px, sizeof px, close, g->s.inst.price_scale),
		kit_fmt_short(pos, sizeof pos, g->s.pos.qty, g->s.inst.qty_scale));
	return 1;
}

void grid_on_close(grid *g, th_price close)
{
	char placed[300] = "";
	uint32_t nc = ncells(g);
	int n = 0;
	g->s.last_close = close;
	if (g->s.relay && !relay_step(g, close))
		return;
	/* exits the cells still owe (an exit that was canceled or rejected) */
	for (uint32_t i = 0; i < nc; i++)
		if (g->s.cell[i].held > 0 && !working(g, i))
			n += place_exit(g, i, placed, sizeof placed);
	/* long entries below the close, nearest first, within the bound */
	for (int32_t i = (int32_t)nc - 1; i >= 0; i--) {
		grid_cell *c = &g->s.cell[i];
		if (g->s.level[i] >= close || c->held > 0 || working(g, (uint32_t)i))
			continue;
		if (!entry_allowed(g, TH_SIDE_BUY))
			break;
		if (place(g, (uint32_t)i, TH_SIDE_BUY, g->s.level[i], g->s.qty) == TH_OK) {
			c->mode = GRID_LONG;
			note(placed, sizeof placed, g, TH_SIDE_BUY, g->s.level[i], g->s.qty);
			n++;
		}
	}
	/* short entries above the close, nearest first */
	for (uint32_t i = 0; g->p.allow_short && i < nc; i++) {
		grid_cell *c = &g->s.cell[i];
		if (g->s.level[i] < close || c->held > 0 || working(g, i))
			continue;
		if (!entry_allowed(g, TH_SIDE_SELL))
			break;
		if (place(g, i, TH_SIDE_SELL, g->s.level[i + 1], g->s.qty) == TH_OK) {
			c->mode = GRID_SHORT;
			note(placed, sizeof placed, g, TH_SIDE_SELL, g->s.level[i + 1], g->s.qty);
			n++;
		}
	}
	if (n > 0) {
		char c[40], pos[40], mx[40];
		kit_say(g->api, g->ctx, g->p.symbol, "decision",
			"%s: close %s; grid rule: buy at each empty level below the close%s, sell what a cell bought one level "
			"up; placed %d: %s; position %s (bound +/-%s)",
			g->p.symbol, kit_fmt(c, sizeof c, close, g->s.inst.price_scale),
			g->p.allow_short ? ", sell at each empty level above it" : "", n, placed,
			kit_fmt_short(pos, sizeof pos, g->s.pos.qty, g->s.inst.qty_scale),
			kit_fmt_short(mx, sizeof mx, g->s.max_pos, g->s.inst.qty_scale));
	}
}

static void on_closed(grid *g, const kit_update *up)
{
	int32_t i = up->order.tag;
	if (i < 0 || (uint32_t)i >= ncells(g))
		return;
	grid_cell *c = &g->s.cell[i];
	if (up->state == TH_ORDER_REJECTED)
		kit_say(g->api, g->ctx, g->p.symbol, "explanation", "%s: grid order of cell %d rejected: %s", g->p.symbol, i,
			up->reason);
	if (c->held <= 0) {
		c->held = 0;
		c->mode = GRID_IDLE; /* round trip done (or the entry never filled): re-armed on the next close */
		return;
	}
	if (grid_is_entry(c, up->order.side) && !g->s.relay) {
		char placed[120] = "", px[40], q[40];
		if (place_exit(g, (uint32_t)i, placed, sizeof placed))
			kit_say(g->api, g->ctx, g->p.symbol, "decision", "%s: cell %d %s %s at %s filled -> %s", g->p.symbol, i,
				up->order.side == TH_SIDE_BUY ? "bought" : "sold",
				kit_fmt_short(q, sizeof q, c->held, g->s.inst.qty_scale),
				kit_fmt(px, sizeof px, up->order.price, g->s.inst.price_scale), placed);
	}
	/* an exit that ended with something still held is placed again on the next close */
}

void grid_on_own(grid *g, const th_event *ev)
{
	kit_update up;
	int k = kit_book_on_event(&g->s.book, g->api, g->ctx, ev, &up);
	if (strcmp(up.symbol, g->p.symbol) != 0 || !g->s.inst.known)
		return;
	if (k == KIT_UP_FILL) {
		if (up.price_scale != g->s.inst.price_scale || up.qty_scale != g->s.inst.qty_scale)
			return;
		kit_pos_apply(&g->s.pos, up.side, up.price, up.qty);
		int32_t i = up.order.tag;
		if (up.known && i >= 0 && (uint32_t)i < ncells(g)) {
			grid_cell *c = &g->s.cell[i];
			c->held += grid_is_entry(c, up.side) ? up.qty : -up.qty;
			if (c->held < 0)
				c->held = 0;
		}
	} else if (k == KIT_UP_CLOSED && up.known) {
		on_closed(g, &up);
	}
}

int grid_status(const grid *g, char *buf, size_t cap)
{
	char pos[40] = "0", lo[40] = "?", hi[40] = "?";
	uint32_t holding = 0;
	size_t buys = 0, sells = 0;
	for (uint32_t i = 0; i + 1 < g->s.nlevels; i++)
		holding += g->s.cell[i].held > 0;
	for (size_t i = 0; i < KIT_MAX_ORDERS; i++) {
		const kit_order *o = &g->s.book.o[i];
		if (o->used && strcmp(o->symbol, g->p.symbol) == 0) {
			buys += o->side == TH_SIDE_BUY;
			sells += o->side == TH_SIDE_SELL;
		}
	}
	if (g->s.inst.known) {
		kit_fmt_short(pos, sizeof pos, g->s.pos.qty, g->s.inst.qty_scale);
		kit_fmt(lo, sizeof lo, g->s.level[0], g->s.inst.price_scale);
		kit_fmt(hi, sizeof hi, g->s.level[g->s.nlevels - 1], g->s.inst.price_scale);
	}
	return snprintf(buf, cap, "%s: grid of %u levels %s..%s (%s); working buys %zu, sells %zu; %u cell(s) holding; "
		"position %s%s%s%s",
		g->p.symbol, g->s.nlevels, lo, hi, g->p.spacing == GRID_GEOMETRIC ? "geometric" : "arithmetic", buys, sells,
		holding, pos, g->s.relay ? "; relaying (waiting for old orders to go)" : "",
		g->s.halted ? "; not trading: " : "", g->s.halted ? g->s.halt_reason : "");
}
