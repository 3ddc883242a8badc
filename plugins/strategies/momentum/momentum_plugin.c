/*
 * momentum — plugin glue: configuration, subscriptions, decisions and
 * hot-reload state. The rule itself is in momentum_signal.c; the common
 * single-symbol machinery (orders, fills, scales) in core_kit/kit_solo.c.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "kit_cfg.h"
#include "momentum.h"

static const th_config_field schema[] = {
	KIT_SCHEMA_SOLO,
	{ "ema_period", TH_CONFIG_INT, 0, "20", "1", "1000", "trend filter: EMA period of closes, bars" },
	{ "roc_period", TH_CONFIG_INT, 0, "10", "1", "1000", "rate of change look-back, bars" },
	{ "roc_threshold", TH_CONFIG_FLOAT, 0, "1.0", "0", "100",
		"minimum rate of change over roc_period for an entry, percent" },
	{ "volume_period", TH_CONFIG_INT, 0, "20", "1", "1000", "bars in the average volume" },
	{ "volume_factor", TH_CONFIG_FLOAT, 0, "1.5", "0", "100",
		"entry needs the bar's volume above this multiple of the previous bars' average" },
	{ "atr_period", TH_CONFIG_INT, 0, "14", "1", "1000", "ATR period for the trailing stop, bars" },
	{ "atr_mult", TH_CONFIG_FLOAT, 0, "3.0", "0", "100",
		"trailing stop distance from the best close since entry, in ATRs (0 = no trailing stop)" },
	{ "allow_short", TH_CONFIG_BOOL, 0, "false", NULL, NULL, "also trade the mirrored short side" },
	TH_CONFIG_END,
};

static int read_params(const th_host_api *api, th_ctx *ctx, mom_params *p, kit_solo *solo)
{
	int64_t v[4];
	static const char *const periods[4] = { "ema_period", "roc_period", "volume_period", "atr_period" };
	memset(p, 0, sizeof *p);
	if (kit_solo_config(solo, api, ctx, MOM_PLUGIN) != TH_OK)
		return TH_ERR_INVALID;
	th_strlcpy(p->symbol, solo->symbol, sizeof p->symbol);
	for (int i = 0; i < 4; i++)
		if (kit_cfg_int(api, ctx, MOM_PLUGIN, periods[i], 1, MOM_PERIOD_MAX, &v[i]) != TH_OK)
			return TH_ERR_INVALID;
	p->ema_period = (uint32_t)v[0];
	p->roc_period = (uint32_t)v[1];
	p->volume_period = (uint32_t)v[2];
	p->atr_period = (uint32_t)v[3];
	if (kit_cfg_double(api, ctx, MOM_PLUGIN, "roc_threshold", 0, 100, &p->roc_threshold) != TH_OK ||
		kit_cfg_double(api, ctx, MOM_PLUGIN, "volume_factor", 0, 100, &p->volume_factor) != TH_OK ||
		kit_cfg_double(api, ctx, MOM_PLUGIN, "atr_mult", 0, 100, &p->atr_mult) != TH_OK ||
		kit_cfg_bool(api, ctx, MOM_PLUGIN, "allow_short", &p->allow_short) != TH_OK)
		return TH_ERR_INVALID;
	return TH_OK;
}

static void feed(void *agent, const th_bar *b)
{
	momentum *m = agent;
	mom_ind_feed(&m->ind, b);
}

static int evaluate(const void *agent, uint32_t *side, int *exit, char *text, size_t cap)
{
	const momentum *m = agent;
	const kit_solo *s = &m->s.solo;
	mom_signal sig;
	mom_evaluate(&m->p, &m->ind, &s->hist, s->pos.qty, s->extreme, &sig);
	mom_describe(&m->p, &sig, text, cap);
	*side = sig.action == MOM_BUY ? TH_SIDE_BUY : TH_SIDE_SELL;
	*exit = sig.exit;
	return sig.action != MOM_NONE;
}

static int replay(void *agent)
{
	momentum *m = agent;
	return mom_ind_replay(&m->ind, &m->p, &m->s.solo.hist) == TH_TA_OK ? 0 : -1;
}

static int configure(void *agent, const th_host_api *api, th_ctx *ctx)
{
	momentum *m = agent;
	return read_params(api, ctx, &m->p, &m->s.solo);
}

static int init_ind(void *agent, th_ta_error *err)
{
	momentum *m = agent;
	return mom_ind_init(&m->ind, &m->p, err);
}

static void fini(void *agent)
{
	momentum *m = agent;
	mom_ind_free(&m->ind);
}

static const kit_solo_rule rule = {
	.size = sizeof(momentum),
	.configure = configure,
	.init_ind = init_ind,
	.fini = fini,
	.magic = MOM_STATE_MAGIC,
	.version = MOM_STATE_VERSION,
	.solo_off = offsetof(momentum, s.solo),
	.feed = feed,
	.evaluate = evaluate,
	.replay = replay,
};

static int m_create(const th_host_api *api, th_ctx *ctx, void **out)
{
	return kit_solo_create(&rule, api, ctx, out);
}

static const th_strategy_api strategy_api = { .struct_size = sizeof(th_strategy_api), .explain = kit_solo_explain };

static const th_plugin_desc desc = {
	TH_PLUGIN_HEADER(TH_KIND_STRATEGY, MOM_PLUGIN),
	.version = "1.0.0",
	.description = "trend following: close above EMA with rate of change and volume confirmation, ATR trailing stop",
	.config_schema = schema,
	.create = m_create,
	KIT_SOLO_DESC_ENTRIES,
	.kind_api = &strategy_api,
};

TH_PLUGIN_DEFINE(desc)
