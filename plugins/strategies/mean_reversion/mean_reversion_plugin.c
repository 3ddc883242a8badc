/*
 * mean_reversion — plugin glue: configuration (with the relations between
 * the RSI levels checked), subscriptions, decisions and hot-reload state. The
 * rule is in mean_reversion_signal.c; orders, fills and scales in
 * core_kit/kit_solo.c.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "kit_cfg.h"
#include "mean_reversion.h"

static const th_config_field schema[] = {
	KIT_SCHEMA_SOLO,
	{ "bb_period", TH_CONFIG_INT, 0, "20", "2", "1000", "Bollinger band period (SMA and standard deviation), bars" },
	{ "bb_k", TH_CONFIG_FLOAT, 0, "2.0", "0.1", "10", "band half-width in standard deviations" },
	{ "rsi_period", TH_CONFIG_INT, 0, "14", "2", "1000", "RSI period (Wilder), bars" },
	{ "oversold", TH_CONFIG_FLOAT, 0, "30", "0", "100", "long entry needs RSI below this" },
	{ "overbought", TH_CONFIG_FLOAT, 0, "70", "0", "100", "short entry needs RSI above this" },
	{ "rsi_exit", TH_CONFIG_FLOAT, 0, "60", "0", "100",
		"a long also exits when RSI rises above this (a short when RSI falls below 100 - rsi_exit)" },
	{ "stop_pct", TH_CONFIG_FLOAT, 0, "0", "0", "100", "stop loss distance from the entry, percent (0 = none)" },
	{ "allow_short", TH_CONFIG_BOOL, 0, "false", NULL, NULL, "also trade the mirrored short side" },
	TH_CONFIG_END,
};

static int read_params(const th_host_api *api, th_ctx *ctx, mr_params *p, kit_solo *solo)
{
	int64_t bb, rsi;
	memset(p, 0, sizeof *p);
	if (kit_solo_config(solo, api, ctx, MR_PLUGIN) != TH_OK ||
		kit_cfg_int(api, ctx, MR_PLUGIN, "bb_period", 2, MR_PERIOD_MAX, &bb) != TH_OK ||
		kit_cfg_int(api, ctx, MR_PLUGIN, "rsi_period", 2, MR_PERIOD_MAX, &rsi) != TH_OK ||
		kit_cfg_double(api, ctx, MR_PLUGIN, "bb_k", 0.1, 10, &p->bb_k) != TH_OK ||
		kit_cfg_double(api, ctx, MR_PLUGIN, "oversold", 0, 100, &p->oversold) != TH_OK ||
		kit_cfg_double(api, ctx, MR_PLUGIN, "overbought", 0, 100, &p->overbought) != TH_OK ||
		kit_cfg_double(api, ctx, MR_PLUGIN, "rsi_exit", 0, 100, &p->rsi_exit) != TH_OK ||
		kit_cfg_double(api, ctx, MR_PLUGIN, "stop_pct", 0, 100, &p->stop_pct) != TH_OK ||
		kit_cfg_bool(api, ctx, MR_PLUGIN, "allow_short", &p->allow_short) != TH_OK)
		return TH_ERR_INVALID;
	th_strlcpy(p->symbol, solo->symbol, sizeof p->symbol);
	p->bb_period = (uint32_t)bb;
	p->rsi_period = (uint32_t)rsi;
	if (p->oversold >= p->overbought) {
		api->set_error(ctx, "%s: key 'oversold' (%g) must be below 'overbought' (%g)", MR_PLUGIN, p->oversold,
			p->overbought);
		return TH_ERR_INVALID;
	}
	/* An exit level at or below the entry level would close the trade on the
	 * bar that opened it. */
	if (p->rsi_exit <= p->oversold) {
		api->set_error(ctx, "%s: key 'rsi_exit' (%g) must be above 'oversold' (%g)", MR_PLUGIN, p->rsi_exit,
			p->oversold);
		return TH_ERR_INVALID;
	}
	if (p->allow_short && 100.0 - p->rsi_exit >= p->overbought) {
		api->set_error(ctx, "%s: key 'rsi_exit' (%g): the short exit level 100 - rsi_exit must be below "
			"'overbought' (%g)", MR_PLUGIN, p->rsi_exit, p->overbought);
		return TH_ERR_INVALID;
	}
	return TH_OK;
}

static void feed(void *agent, const th_bar *b)
{
	mean_reversion *m = agent;
	mr_ind_feed(&m->ind, b);
}

static int evaluate(const void *agent, uint32_t *side, int *exit, char *text, size_t cap)
{
	const mean_reversion *m = agent;
	const kit_solo *s = &m->s.solo;
	mr_signal sig;
	mr_evaluate(&m->p, &m->ind, &s->hist, s->pos.qty, s->pos.avg, &sig);
	mr_describe(&m->p, &sig, text, cap);
	*side = sig.action == MR_BUY ? TH_SIDE_BUY : TH_SIDE_SELL;
	*exit = sig.exit;
	return sig.action != MR_NONE;
}

static int replay(void *agent)
{
	mean_reversion *m = agent;
	return mr_ind_replay(&m->ind, &m->p, &m->s.solo.hist) == TH_TA_OK ? 0 : -1;
}

static int configure(void *agent, const th_host_api *api, th_ctx *ctx)
{
	mean_reversion *m = agent;
	return read_params(api, ctx, &m->p, &m->s.solo);
}

static int init_ind(void *agent, th_ta_error *err)
{
	mean_reversion *m = agent;
	return mr_ind_init(&m->ind, &m->p, err);
}

static void fini(void *agent)
{
	mean_reversion *m = agent;
	mr_ind_free(&m->ind);
}

static const kit_solo_rule rule = {
	.size = sizeof(mean_reversion),
	.configure = configure,
	.init_ind = init_ind,
	.fini = fini,
	.magic = MR_STATE_MAGIC,
	.version = MR_STATE_VERSION,
	.solo_off = offsetof(mean_reversion, s.solo),
	.feed = feed,
	.evaluate = evaluate,
	.replay = replay,
};

static int r_create(const th_host_api *api, th_ctx *ctx, void **out)
{
	return kit_solo_create(&rule, api, ctx, out);
}

static const th_strategy_api strategy_api = { .struct_size = sizeof(th_strategy_api), .explain = kit_solo_explain };

static const th_plugin_desc desc = {
	TH_PLUGIN_HEADER(TH_KIND_STRATEGY, MR_PLUGIN),
	.version = "1.0.0",
	.description = "mean reversion: buy below the lower Bollinger band with RSI oversold, exit at the middle band",
	.config_schema = schema,
	.create = r_create,
	KIT_SOLO_DESC_ENTRIES,
	.kind_api = &strategy_api,
};

TH_PLUGIN_DEFINE(desc)
