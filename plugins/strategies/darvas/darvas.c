/*
 * darvas — Darvas box breakout agent (long only).
 *
 * Boxes come from darvas_box.c. A close above a confirmed box's top, on a bar
 * whose volume is above volume_factor x the average volume of the previous
 * volume_period bars, buys. The position is closed at market on a close below
 * the stop: the bottom of the box it broke out of, raised to the bottom of
 * every later box confirmed above it when `trailing` is on. Volume and prices
 * stay fixed-point integers throughout (exact comparisons, nothing to round).
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tradehost/tradehost.h>

#include "darvas_box.h"
#include "kit_cfg.h"
#include "kit_msg.h"
#include "kit_pat.h"

#define DARVAS_MAX_VOLUME 512

/* Volume sums: 512 volumes x 10^4 x a factor overflow int64 long before a bar does. */
__extension__ typedef __int128 darvas_i128;

typedef struct darvas_params {
	int64_t lookback, confirm, volume_period;
	int64_t volume_factor4; /* volume_factor at 4 decimals; 0 = no volume filter */
	int32_t trailing;
	int32_t pad_;
} darvas_params;

/* Everything the strategy remembers; plain data (hot reload copies it). */
typedef struct darvas_state {
	darvas_box box;
	th_qty volumes[DARVAS_MAX_VOLUME]; /* ring of bar volumes */
	uint64_t nvol;
	th_price stop;                     /* exit on a close below this while long */
} darvas_state;

typedef struct darvas_agent {
	kit_pat pa; /* first: the instance is also the kit's (kit_pat_plugin) */
	darvas_params p;
	darvas_state st;
} darvas_agent;

static const th_config_field schema[] = {
	KIT_SCHEMA_PATTERN,
	{ "lookback", TH_CONFIG_INT, 0, "20", "2", "512",
		"a box top starts at a high above the highs of the previous lookback-1 bars" },
	{ "confirm_bars", TH_CONFIG_INT, 0, "3", "1", "100",
		"bars that must not exceed the top, and bars after the bottom that must not undercut it" },
	{ "volume_period", TH_CONFIG_INT, 0, "20", "1", "512",
		"bars in the average volume a breakout is compared with (the breakout bar excluded)" },
	{ "volume_factor", TH_CONFIG_DECIMAL, 0, "\"1.5\"", "0", "100",
		"a breakout buys only if its volume > volume_factor x average volume; 0 disables the filter" },
	{ "trailing", TH_CONFIG_BOOL, 0, "true", NULL, NULL,
		"raise the stop to the bottom of each new box confirmed above the entry box" },
	TH_CONFIG_END,
};

/* Average volume of the previous volume_period bars, times period (i.e. the sum). */
static int volume_sum(const darvas_agent *d, darvas_i128 *sum)
{
	uint64_t n = (uint64_t)d->p.volume_period;
	if (d->st.nvol < n)
		return 0;
	*sum = 0;
	for (uint64_t k = 1; k <= n; k++)
		*sum += d->st.volumes[(d->st.nvol - k) % DARVAS_MAX_VOLUME];
	return 1;
}

static void on_breakout(darvas_agent *d, const th_bar *b, th_price box_top, th_price box_bottom)
{
	kit_pat *a = &d->pa;
	int ps = a->book.price_scale, qs = a->book.qty_scale;
	char c[32], t[32], bo[32], v[32], av[32], k[32];
	darvas_i128 sum = 0;
	int have_avg = volume_sum(d, &sum);
	th_qty avg = have_avg ? (th_qty)(sum / d->p.volume_period) : 0;
	int vol_ok = d->p.volume_factor4 == 0 ||
		(have_avg && (darvas_i128)b->volume * d->p.volume_period * 10000 > (darvas_i128)d->p.volume_factor4 * sum);
	kit_fmt(c, sizeof c, b->close, ps);
	kit_fmt(t, sizeof t, box_top, ps);
	kit_fmt(bo, sizeof bo, box_bottom, ps);
	kit_fmt(v, sizeof v, b->volume, qs);
	kit_fmt(av, sizeof av, avg, qs);
	kit_fmt(k, sizeof k, d->p.volume_factor4, 4);
	if (a->book.pos.qty != 0 || kit_pat_busy(a))
		return; /* already in (no pyramiding) or an order is working */
	char why[400];
	if (!vol_ok) {
		if (have_avg)
			kit_pat_say(a, "explanation",
				"close %s broke above box [%s, %s] but volume %s <= %s x average %s (%lld bars): no entry", c, bo, t,
				v, k, av, (long long)d->p.volume_period);
		else
			kit_pat_say(a, "explanation", "close %s broke above box [%s, %s] before %lld bars of volume history: no entry",
				c, bo, t, (long long)d->p.volume_period);
		return;
	}
	if (d->p.volume_factor4 == 0)
		snprintf(why, sizeof why, "Darvas breakout: close %s above box top %s (box [%s, %s]), volume filter off", c,
			t, bo, t);
	else
		snprintf(why, sizeof why,
			"Darvas breakout: close %s above box top %s (box [%s, %s]) on volume %s > %s x average %s (%lld bars); "
			"stop: close below %s",
			c, t, bo, t, v, k, av, (long long)d->p.volume_period, bo);
	if (kit_pat_enter(a, b, TH_SIDE_BUY, why) == TH_OK)
		d->st.stop = box_bottom;
}

static void on_bar(void *arg, const th_event *ev)
{
	darvas_agent *d = arg;
	kit_pat *a = &d->pa;
	const th_bar *b = &ev->u.bar;
	if (!kit_pat_bar(a, b))
		return;
	int ps = a->book.price_scale;
	char c[32], s[32];

	/* Exit first: the stop is the level under which the box thesis is wrong. */
	if (a->book.pos.qty > 0 && !kit_pat_busy(a) && b->close < d->st.stop) {
		char why[200];
		snprintf(why, sizeof why, "close %s below the box bottom stop %s", kit_fmt(c, sizeof c, b->close, ps),
			kit_fmt(s, sizeof s, d->st.stop, ps));
		kit_pat_exit(a, why);
	}

	/* The box as it was before this bar: a breakout is judged against it. */
	th_price top = d->st.box.box_top, bottom = d->st.box.box_bottom;
	int e = darvas_box_update(&d->st.box, b->high, b->low, b->close);
	if (e == DARVAS_BREAKOUT) {
		on_breakout(d, b, top, bottom);
	} else if (e == DARVAS_CONFIRMED && a->book.pos.qty > 0 && d->p.trailing && d->st.box.box_bottom > d->st.stop) {
		char t[32];
		d->st.stop = d->st.box.box_bottom;
		kit_pat_say(a, "explanation", "new box [%s, %s] confirmed above the entry: stop raised to %s",
			kit_fmt(s, sizeof s, d->st.box.box_bottom, ps), kit_fmt(t, sizeof t, d->st.box.box_top, ps), s);
	}
	d->st.volumes[d->st.nvol % DARVAS_MAX_VOLUME] = b->volume;
	d->st.nvol++;
}

/* The box keys; the common ones are read by kit_pat_config. */
static int read_params(const th_host_api *api, th_ctx *ctx, darvas_params *p)
{
	int trailing = 1;
	if (kit_cfg_int(api, ctx, "darvas", "lookback", 2, DARVAS_MAX_LOOKBACK, &p->lookback) != TH_OK ||
		kit_cfg_int(api, ctx, "darvas", "confirm_bars", 1, 100, &p->confirm) != TH_OK ||
		kit_cfg_int(api, ctx, "darvas", "volume_period", 1, DARVAS_MAX_VOLUME, &p->volume_period) != TH_OK)
		return TH_ERR_INVALID;
	/* at 4 decimals: the volume comparison stays in integers */
	if (api->config_decimal(ctx, "volume_factor", 4, &p->volume_factor4) != TH_OK || p->volume_factor4 < 0 ||
		p->volume_factor4 > 1000000) {
		api->set_error(ctx, "darvas: key 'volume_factor': must be a decimal in 0..100 with at most 4 fractional "
			"digits");
		return TH_ERR_INVALID;
	}
	if (kit_cfg_bool(api, ctx, "darvas", "trailing", &trailing) != TH_OK)
		return TH_ERR_INVALID;
	p->trailing = trailing;
	return TH_OK;
}

/* After a hot reload with other box parameters the boxes warm up again, but
 * the protective stop of an open position is kept. */
static void reloaded(void *agent, int same_params, const void *old_state)
{
	darvas_agent *d = agent;
	if (same_params)
		return;
	memcpy(&d->st.stop, (const unsigned char *)old_state + offsetof(darvas_state, stop), sizeof d->st.stop);
	d->pa.api->logf(d->pa.ctx, TH_LOG_INFO, "darvas %s: parameters changed: boxes restart, position kept",
		d->pa.symbol);
}

static int configure(void *agent, const th_host_api *api, th_ctx *ctx)
{
	darvas_agent *d = agent;
	if (read_params(api, ctx, &d->p) != TH_OK)
		return TH_ERR_INVALID;
	darvas_box_init(&d->st.box, (int32_t)d->p.lookback, (int32_t)d->p.confirm);
	return TH_OK;
}

static const kit_pat_plugin plug = {
	.name = "darvas",
	.size = sizeof(darvas_agent),
	.configure = configure,
	.on_bar = on_bar,
	.magic = "DARVAS",
	.version = 2,
	KIT_PAT_STATE(darvas_agent, p, st),
	.reloaded = reloaded,
};

static int s_create(const th_host_api *api, th_ctx *ctx, void **out)
{
	return kit_pat_create(&plug, api, ctx, out);
}

static int s_explain(void *arg, char *buf, size_t cap)
{
	darvas_agent *d = arg;
	const darvas_box *x = &d->st.box;
	int ps = d->pa.book.price_scale < 0 ? 0 : d->pa.book.price_scale;
	char t[32], b[32], s[32], q[32];
	if (x->phase == DARVAS_BOX)
		snprintf(buf, cap, "darvas %s: box [%s, %s]: waiting for a close above %s on volume; position %s, stop %s",
			d->pa.symbol, kit_fmt(b, sizeof b, x->box_bottom, ps), kit_fmt(t, sizeof t, x->box_top, ps), t,
			kit_fmt(q, sizeof q, d->pa.book.pos.qty, d->pa.book.qty_scale < 0 ? 0 : d->pa.book.qty_scale),
			kit_fmt(s, sizeof s, d->st.stop, ps));
	else if (x->phase == DARVAS_FORMING)
		snprintf(buf, cap, "darvas %s: box forming: top %s held %d/%d bars, bottom %s held %d/%d bars", d->pa.symbol,
			kit_fmt(t, sizeof t, x->top, ps), x->top_count, x->confirm, x->have_bottom ? kit_fmt(b, sizeof b, x->bottom, ps) : "-",
			x->have_bottom ? x->bottom_count : 0, x->confirm);
	else
		snprintf(buf, cap, "darvas %s: %s (%llu bars seen, lookback %d)", d->pa.symbol, darvas_phase_name(x->phase),
			(unsigned long long)x->n, x->lookback);
	return TH_OK;
}

static const th_strategy_api strategy_api = { .struct_size = sizeof(th_strategy_api), .explain = s_explain };

static const th_plugin_desc desc = {
	TH_PLUGIN_HEADER(TH_KIND_STRATEGY, "darvas"),
	.version = "1.0.0",
	.description = "Darvas box breakout with a volume filter, long only, stop under the (trailing) box",
	.config_schema = schema,
	.create = s_create,
	KIT_PAT_DESC_ENTRIES,
	.kind_api = &strategy_api,
};

TH_PLUGIN_DEFINE(desc)
