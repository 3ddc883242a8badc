/*
 * pairs — decisions and leg handling.
 *
 * Legs are market IOC orders sent together on the bar that decides. Nothing
 * new is decided while any order of either leg is working. When the entry
 * legs have finished, a pair with one leg empty (rejected, denied, not
 * filled) is unwound at once: the filled leg is closed at market. A partial
 * leg is kept as it is (the pair is held with the quantities that filled).
 * Exits close whatever each leg holds; anything left over (a partial exit)
 * is closed on the next bar.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "kit_msg.h"
#include "pairs.h"

static th_qty qabs(th_qty q)
{
	return q < 0 ? -q : q;
}

static int busy(const pairs *g)
{
	return kit_book_live(&g->s.book, "") > 0;
}

/* "sell 0.0153 BTC-USDT" appended to buf */
static int market(pairs *g, int leg, uint32_t side, th_qty qty, char *buf, size_t cap)
{
	char q[40];
	const char *sym = g->p.sym[leg];
	int rc = kit_place_ioc(&g->s.book, g->api, g->ctx, g->p.venue, sym, side, TH_ORDER_MARKET, 0, qty,
		g->s.inst[leg].price_scale, g->s.inst[leg].qty_scale, leg, NULL);
	if (rc != TH_OK) {
		g->api->logf(g->ctx, TH_LOG_WARN, "%s: order for %s not published (status %d)", PAIRS_PLUGIN, sym, rc);
		return rc;
	}
	size_t n = strlen(buf);
	snprintf(buf + n, cap - n, "%s%s %s %s", n ? ", " : "", side == TH_SIDE_BUY ? "buy" : "sell",
		kit_fmt_short(q, sizeof q, qty, g->s.inst[leg].qty_scale), sym);
	return TH_OK;
}

static void say(pairs *g, const char *rule, const char *orders)
{
	char text[TH_AGENT_TEXT_MAX - 160];
	pairs_describe(g, text, sizeof text);
	kit_say(g->api, g->ctx, g->p.sym[0], "decision", "%s -> %s%s%s", text, rule, orders[0] ? ": " : "", orders);
}

static void close_legs(pairs *g, const char *rule)
{
	char orders[160] = "";
	for (int leg = 0; leg < 2; leg++)
		if (g->s.pos[leg].qty != 0)
			market(g, leg, g->s.pos[leg].qty > 0 ? TH_SIDE_SELL : TH_SIDE_BUY, qabs(g->s.pos[leg].qty), orders,
				sizeof orders);
	g->s.target = 0;
	g->s.entering = 0;
	say(g, rule, orders);
}

/* dir +1: long the spread (buy A), -1: short it (sell A). */
static void enter(pairs *g, int dir)
{
	const pairs_fit *f = &g->fit;
	double b = fabs(f->beta);
	th_qty qa = 0, qb = 0;
	int64_t nb = 0;
	if (!(b > 0 && b <= 1e6) ||
		th_fixed_muldiv(g->p.notional_cfg, (int64_t)llround(b * 1e9), 1000000000LL, &nb) != 0 ||
		kit_qty_for_notional(&g->s.inst[0], g->p.notional_cfg, g->s.last_close[0], &qa) != 0 ||
		kit_qty_for_notional(&g->s.inst[1], nb, g->s.last_close[1], &qb) != 0 || qa < g->s.inst[0].min_qty ||
		qb < g->s.inst[1].min_qty || qa <= 0 || qb <= 0) {
		/* said once per streak of such bars, not on every bar */
		if (g->s.undersized_at + 1 != g->s.pairs_seen)
			say(g, "no entry: a leg sized from notional and the hedge ratio is below the lot size", "");
		g->s.undersized_at = g->s.pairs_seen;
		return;
	}
	uint32_t side_a = dir > 0 ? TH_SIDE_BUY : TH_SIDE_SELL;
	uint32_t opp = side_a == TH_SIDE_BUY ? TH_SIDE_SELL : TH_SIDE_BUY;
	uint32_t side_b = f->beta > 0 ? opp : side_a; /* a negative hedge ratio hedges with the same side */
	char orders[160] = "";
	if (market(g, 0, side_a, qa, orders, sizeof orders) != TH_OK)
		return;
	market(g, 1, side_b, qb, orders, sizeof orders);
	g->s.target = dir;
	g->s.entering = 1;
	say(g, dir > 0 ? "enter long spread (z below -entry)" : "enter short spread (z above entry)", orders);
}

void pairs_decide(pairs *g)
{
	pairs_persist *s = &g->s;
	uint32_t n = s->count < g->p.window ? s->count : g->p.window;
	double y[PAIRS_WINDOW_MAX], x[PAIRS_WINDOW_MAX];
	if (s->count < g->p.window) {
		memset(&g->fit, 0, sizeof g->fit);
		snprintf(g->fit.why, sizeof g->fit.why, "warming up (%u of %u pairs)", s->count, g->p.window);
		return;
	}
	for (uint32_t i = 0; i < n; i++) {
		uint32_t k = (s->head + PAIRS_WINDOW_MAX - n + i) % PAIRS_WINDOW_MAX;
		y[i] = s->ly[k];
		x[i] = s->lx[k];
	}
	pairs_fit_window(y, x, n, &g->p, g->scratch, &g->fit);
	const pairs_fit *f = &g->fit;
	if (s->halted || busy(g))
		return;
	if (s->entering) {
		s->entering = 0;
		if (s->target != 0 && (s->pos[0].qty == 0 || s->pos[1].qty == 0)) {
			close_legs(g, "a leg of the entry did not fill: unwinding the other");
			return;
		}
	}
	if (s->target != 0) {
		double az = fabs(f->z);
		if (!f->ok)
			return; /* hold: no reading this bar */
		if (az < g->p.exit_z)
			close_legs(g, "exit: the spread converged (|z| below exit)");
		else if (g->p.stop_z > 0 && az > g->p.stop_z)
			close_legs(g, "stop: |z| above the stop level");
		else if (g->p.exit_on_break && !f->coint)
			close_legs(g, "exit: co-integration no longer holds");
		return;
	}
	if (s->pos[0].qty != 0 || s->pos[1].qty != 0) {
		close_legs(g, "flattening what is left of the pair");
		return;
	}
	if (!f->ok || !f->coint)
		return;
	if (f->z > g->p.entry_z)
		enter(g, -1);
	else if (f->z < -g->p.entry_z)
		enter(g, +1);
}

void pairs_on_own(pairs *g, const th_event *ev)
{
	kit_update up;
	int k = kit_book_on_event(&g->s.book, g->api, g->ctx, ev, &up);
	int leg = strcmp(up.symbol, g->p.sym[0]) == 0 ? 0 : strcmp(up.symbol, g->p.sym[1]) == 0 ? 1 : -1;
	if (leg < 0)
		return;
	const kit_inst *in = &g->s.inst[leg];
	if (k == KIT_UP_FILL) {
		if (!in->known || up.price_scale != in->price_scale || up.qty_scale != in->qty_scale) {
			g->api->logf(g->ctx, TH_LOG_WARN, "%s: fill of %s at scales %d/%d ignored", PAIRS_PLUGIN, up.symbol,
				up.price_scale, up.qty_scale);
			return;
		}
		kit_pos_apply(&g->s.pos[leg], up.side, up.price, up.qty);
	} else if (k == KIT_UP_CLOSED && up.state == TH_ORDER_REJECTED) {
		kit_say(g->api, g->ctx, g->p.sym[0], "explanation", "%s: order for %s rejected: %s", g->p.sym[0], up.symbol,
			up.reason);
	}
}

int pairs_describe(const pairs *g, char *buf, size_t cap)
{
	const pairs_fit *f = &g->fit;
	const char *state = g->s.target > 0 ? "long spread" : g->s.target < 0 ? "short spread" : "flat";
	if (!f->ok)
		return snprintf(buf, cap, "%s/%s: %s; %s", g->p.sym[0], g->p.sym[1], f->why[0] ? f->why : "no reading yet",
			state);
	return snprintf(buf, cap,
		"%s/%s: hedge ratio %.4f, z %+.2f (entry %g, exit %g%s), ADF t %.2f vs %.2f (%d%%), half-life %.1f bars: "
		"%s; %s",
		g->p.sym[0], g->p.sym[1], f->beta, f->z, g->p.entry_z, g->p.exit_z, g->p.stop_z > 0 ? ", stop set" : "",
		f->adf_t, f->adf_crit, g->p.level, f->half_life, f->coint ? "co-integrated" : f->why, state);
}
