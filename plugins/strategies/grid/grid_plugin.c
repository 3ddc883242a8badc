/*
 * grid — plugin glue: configuration (a grid with no levels, lower >= upper,
 * levels closer than a tick are refused), subscriptions, learning the
 * instrument, hot-reload state. The trading logic is in grid_cells.c.
 */
#include <stdio.h>
#include <string.h>

#include "grid.h"
#include "kit_blob.h"
#include "kit_cfg.h"
#include "kit_msg.h"
#include "kit_orders.h"

static const th_config_field schema[] = {
	{ "symbol", TH_CONFIG_STRING, 1, NULL, NULL, NULL, "instrument to trade, e.g. \"BTC-USDT\"" },
	{ "venue", TH_CONFIG_STRING, 0, "\"sim\"", NULL, NULL, "venue instance whose bars are read and traded on" },
	{ "lower", TH_CONFIG_DECIMAL, 1, NULL, "0", NULL, "lowest grid level (price)" },
	{ "upper", TH_CONFIG_DECIMAL, 1, NULL, "0", NULL, "highest grid level (price), above lower" },
	{ "levels", TH_CONFIG_INT, 0, "10", "2", "200", "number of price levels, lower and upper included" },
	{ "spacing", TH_CONFIG_STRING, 0, "\"arithmetic\"", NULL, NULL,
		"arithmetic (equal price steps) or geometric (equal ratios)" },
	{ "qty", TH_CONFIG_DECIMAL, 0, "\"0.01\"", "0", NULL, "quantity of each grid order (a multiple of lot)" },
	{ "max_position", TH_CONFIG_DECIMAL, 0, "\"0\"", "0", NULL,
		"bound on the worst-case position either way (0 = (levels - 1) x qty)" },
	{ "allow_short", TH_CONFIG_BOOL, 0, "false", NULL, NULL,
		"also sell at empty levels above the price and buy back one level down" },
	{ "post_only", TH_CONFIG_BOOL, 0, "false", NULL, NULL, "send grid orders post-only (never take liquidity)" },
	KIT_SCHEMA_TICK_LOT,
	TH_CONFIG_END,
};

static int read_params(const th_host_api *api, th_ctx *ctx, grid_params *p, kit_inst *inst)
{
	int64_t levels;
	char spacing[16];
	memset(p, 0, sizeof *p);
	if (kit_cfg_string(api, ctx, GRID_PLUGIN, "symbol", p->symbol, sizeof p->symbol) != TH_OK ||
		kit_cfg_string(api, ctx, GRID_PLUGIN, "venue", p->venue, sizeof p->venue) != TH_OK ||
		kit_cfg_decimal(api, ctx, GRID_PLUGIN, "lower", &p->lower_cfg) != TH_OK ||
		kit_cfg_decimal(api, ctx, GRID_PLUGIN, "upper", &p->upper_cfg) != TH_OK ||
		kit_cfg_decimal(api, ctx, GRID_PLUGIN, "qty", &p->qty_cfg) != TH_OK ||
		kit_cfg_decimal(api, ctx, GRID_PLUGIN, "max_position", &p->max_pos_cfg) != TH_OK ||
		kit_cfg_bool(api, ctx, GRID_PLUGIN, "allow_short", &p->allow_short) != TH_OK ||
		kit_cfg_bool(api, ctx, GRID_PLUGIN, "post_only", &p->post_only) != TH_OK ||
		kit_inst_config(inst, api, ctx, GRID_PLUGIN) != TH_OK)
		return TH_ERR_INVALID;
	if (api->config_int(ctx, "levels", &levels) != TH_OK) {
		api->set_error(ctx, "%s: key 'levels': not an integer", GRID_PLUGIN);
		return TH_ERR_INVALID;
	}
	if (levels < 2) {
		api->set_error(ctx, "%s: key 'levels': a grid needs at least 2 levels (got %lld)", GRID_PLUGIN,
			(long long)levels);
		return TH_ERR_INVALID;
	}
	if (levels > GRID_LEVELS_MAX) {
		api->set_error(ctx, "%s: key 'levels': at most %d levels (got %lld)", GRID_PLUGIN, GRID_LEVELS_MAX,
			(long long)levels);
		return TH_ERR_INVALID;
	}
	p->nlevels = (uint32_t)levels;
	const char *sp = NULL;
	if (api->config_string(ctx, "spacing", &sp) != TH_OK || !sp || strlen(sp) >= sizeof spacing) {
		api->set_error(ctx, "%s: key 'spacing': must be \"arithmetic\" or \"geometric\"", GRID_PLUGIN);
		return TH_ERR_INVALID;
	}
	if (strcmp(sp, "arithmetic") == 0) {
		p->spacing = GRID_ARITHMETIC;
	} else if (strcmp(sp, "geometric") == 0) {
		p->spacing = GRID_GEOMETRIC;
	} else {
		api->set_error(ctx, "%s: key 'spacing': \"%s\" is neither \"arithmetic\" nor \"geometric\"", GRID_PLUGIN, sp);
		return TH_ERR_INVALID;
	}
	char a[40], b[40];
	if (p->lower_cfg <= 0) {
		api->set_error(ctx, "%s: key 'lower': must be greater than 0", GRID_PLUGIN);
		return TH_ERR_INVALID;
	}
	if (p->lower_cfg >= p->upper_cfg) {
		api->set_error(ctx, "%s: key 'lower' (%s) must be below 'upper' (%s)", GRID_PLUGIN,
			kit_fmt_short(a, sizeof a, p->lower_cfg, KIT_CFG_SCALE), kit_fmt_short(b, sizeof b, p->upper_cfg, KIT_CFG_SCALE));
		return TH_ERR_INVALID;
	}
	if (p->qty_cfg <= 0 || p->qty_cfg % inst->lot_cfg != 0) {
		api->set_error(ctx, "%s: key 'qty': must be a positive multiple of 'lot'", GRID_PLUGIN);
		return TH_ERR_INVALID;
	}
	if (p->max_pos_cfg < 0 || p->max_pos_cfg % inst->lot_cfg != 0) {
		api->set_error(ctx, "%s: key 'max_position': must be 0 or a positive multiple of 'lot'", GRID_PLUGIN);
		return TH_ERR_INVALID;
	}
	if (p->max_pos_cfg > 0 && p->max_pos_cfg < p->qty_cfg) {
		api->set_error(ctx, "%s: key 'max_position': below 'qty', no grid order could ever be placed", GRID_PLUGIN);
		return TH_ERR_INVALID;
	}
	return TH_OK;
}

static int g_create(const th_host_api *api, th_ctx *ctx, void **out)
{
	grid *g = api->alloc(ctx, sizeof *g);
	char why[160];
	if (!g)
		return TH_ERR_NOMEM;
	memset(g, 0, sizeof *g);
	g->api = api;
	g->ctx = ctx;
	if (read_params(api, ctx, &g->p, &g->s.inst) != TH_OK) {
		api->free(ctx, g);
		return TH_ERR_INVALID;
	}
	if (grid_levels_build(&g->p, g->s.inst.tick_cfg, g->s.level_cfg, why, sizeof why) != 0) {
		api->set_error(ctx, "%s: %s", GRID_PLUGIN, why);
		api->free(ctx, g);
		return TH_ERR_INVALID;
	}
	th_strlcpy(g->s.symbol, g->p.symbol, sizeof g->s.symbol);
	g->s.nlevels = g->p.nlevels;
	kit_book_init(&g->s.book);
	g->s.relay = 1;            /* a fresh instance first clears what a previous run left */
	g->s.relay_from_host = 1;  /* and takes its position from the ledger */
	*out = g;
	return TH_OK;
}

static void halt(grid *g, const char *why)
{
	g->s.halted = 1;
	th_strlcpy(g->s.halt_reason, why, sizeof g->s.halt_reason);
	g->api->logf(g->ctx, TH_LOG_ERROR, "%s: not trading %s: %s", GRID_PLUGIN, g->p.symbol, why);
	kit_say(g->api, g->ctx, g->p.symbol, "explanation", "%s: not trading: %s", g->p.symbol, why);
}

/* Scales, tick and lot of the instrument; the ladder, qty and bound at them. */
static int learn(grid *g, grid_persist *s, int32_t price_scale, int32_t qty_scale, char *why, size_t cap)
{
	if (s->inst.known)
		return kit_inst_learn(&s->inst, g->api, g->ctx, g->p.venue, g->p.symbol, price_scale, qty_scale, why, cap);
	if (kit_inst_learn(&s->inst, g->api, g->ctx, g->p.venue, g->p.symbol, price_scale, qty_scale, why, cap) != 0)
		return -1;
	th_qty mx = 0;
	if (kit_inst_qty(&s->inst, g->p.qty_cfg, &s->qty) != 0) {
		snprintf(why, cap, "qty does not fit the instrument (scale %d, lot, minimum quantity)", qty_scale);
		s->inst.known = 0;
		return -1;
	}
	if (g->p.max_pos_cfg > 0 && kit_cfg_to_scale(g->p.max_pos_cfg, qty_scale, &mx) != 0) {
		snprintf(why, cap, "max_position has more digits than the market's quantity scale (%d)", qty_scale);
		s->inst.known = 0;
		return -1;
	}
	s->max_pos = g->p.max_pos_cfg > 0 ? kit_qty_floor(&s->inst, mx) : s->qty * (th_qty)(g->p.nlevels - 1);
	if (grid_levels_fit(s->level_cfg, s->nlevels, &s->inst, s->level, why, cap) != 0) {
		s->inst.known = 0;
		return -1;
	}
	return 0;
}

static void on_bar(void *arg, const th_event *ev)
{
	grid *g = arg;
	const th_bar *b = &ev->u.bar;
	char why[160];
	if (ev->h.type != TH_EV_BAR || strcmp(ev->h.symbol, g->p.symbol) != 0 || g->s.halted)
		return;
	if (learn(g, &g->s, b->price_scale, b->qty_scale, why, sizeof why) != 0) {
		halt(g, why);
		return;
	}
	kit_book_sweep(&g->s.book, g->api, g->ctx, g->p.symbol, b->interval_ns);
	grid_on_close(g, b->close);
}

static void on_own(void *arg, const th_event *ev)
{
	grid_on_own(arg, ev);
}

static int g_start(void *arg)
{
	grid *g = arg;
	return kit_subscribe(g->api, g->ctx, g->p.venue, g->p.symbol, on_bar, g, on_own, g);
}

/* The grid's orders stay at the venue: stopping an agent is not closing its
 * book (the host keeps orders; a restart or reload takes them over). */
static int g_stop(void *arg)
{
	(void)arg;
	return TH_OK;
}

static void g_destroy(void *arg)
{
	grid *g = arg;
	g->api->free(g->ctx, g);
}

static int g_export(void *arg, void **data, size_t *len)
{
	grid *g = arg;
	return kit_blob_export(g->api, g->ctx, GRID_STATE_MAGIC, GRID_STATE_VERSION, &g->s, sizeof g->s, data, len);
}

/* Same grid: carry on with the old orders, cells and position. Another grid
 * (levels changed): keep the orders and position, then relay — cancel the
 * old orders and give the position to the new cells. */
static int g_import(void *arg, const void *data, size_t len)
{
	grid *g = arg;
	char why[160];
	const grid_persist *old = kit_blob_payload(data, len, GRID_STATE_MAGIC, GRID_STATE_VERSION, sizeof *old, why,
		sizeof why);
	if (!old) {
		g->api->set_error(g->ctx, "%s: import: %s", GRID_PLUGIN, why);
		return TH_ERR_INVALID;
	}
	if (strcmp(old->symbol, g->p.symbol) != 0) {
		g->api->set_error(g->ctx, "%s: import: the state is for %s, the configuration trades %s", GRID_PLUGIN,
			old->symbol, g->p.symbol);
		return TH_ERR_INVALID;
	}
	grid_persist *s = g->api->alloc(g->ctx, sizeof *s);
	if (!s)
		return TH_ERR_NOMEM;
	*s = g->s; /* this configuration's geometry and instrument settings */
	s->book = old->book;
	s->pos = old->pos;
	s->last_close = old->last_close;
	int rc = TH_OK;
	if (old->inst.known && learn(g, s, old->inst.price_scale, old->inst.qty_scale, why, sizeof why) != 0) {
		g->api->set_error(g->ctx, "%s: import: %s", GRID_PLUGIN, why);
		rc = TH_ERR_INVALID;
	}
	int same = old->nlevels == s->nlevels && memcmp(old->level_cfg, s->level_cfg, sizeof s->level_cfg) == 0;
	if (same) {
		memcpy(s->cell, old->cell, sizeof s->cell);
		s->relay = old->relay;
		s->relay_cancel_sent = old->relay_cancel_sent;
		s->relay_from_host = old->relay_from_host;
	} else {
		memset(s->cell, 0, sizeof s->cell);
		s->relay = 1;
		s->relay_cancel_sent = 0;
		s->relay_from_host = 0; /* the handed-over position is the truth */
	}
	if (rc == TH_OK)
		g->s = *s;
	g->api->free(g->ctx, s);
	return rc;
}

static int g_explain(void *arg, char *buf, size_t cap)
{
	grid_status(arg, buf, cap);
	return TH_OK;
}

static const th_strategy_api strategy_api = { .struct_size = sizeof(th_strategy_api), .explain = g_explain };

static const th_plugin_desc desc = {
	TH_PLUGIN_HEADER(TH_KIND_STRATEGY, GRID_PLUGIN),
	.version = "1.0.0",
	.description = "grid: resting buys below the price and sells one level up, arithmetic or geometric levels",
	.config_schema = schema,
	.create = g_create,
	.start = g_start,
	.stop = g_stop,
	.destroy = g_destroy,
	.export_state = g_export,
	.import_state = g_import,
	.kind_api = &strategy_api,
};

TH_PLUGIN_DEFINE(desc)
