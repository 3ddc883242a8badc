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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tradehost/tradehost.h>

#include "darvas_box.h"
#include "pattern_agent.h"

#define DARVAS_MAX_VOLUME 512

/* Volume sums: 512 volumes x 10^4 x a factor overflow int64 long before a bar does. */
__extension__ typedef __int128 darvas_i128;
#define DARVAS_STATE_MAGIC 0x53565244u /* "DRVS" */
#define DARVAS_STATE_VERSION 1u

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

typedef struct darvas_saved {
	uint32_t magic, version;
	darvas_params params;
	pa_book book;
	darvas_state st;
} darvas_saved;

typedef struct darvas_agent {
	pa_agent pa;
	darvas_params p;
	darvas_state st;
} darvas_agent;

static const th_config_field schema[] = {
	PA_COMMON_CONFIG,
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
	pa_agent *a = &d->pa;
	int ps = a->book.price_scale, qs = a->book.qty_scale;
	char c[32], t[32], bo[32], v[32], av[32], k[32];
	darvas_i128 sum = 0;
	int have_avg = volume_sum(d, &sum);
	th_qty avg = have_avg ? (th_qty)(sum / d->p.volume_period) : 0;
	int vol_ok = d->p.volume_factor4 == 0 ||
		(have_avg && (darvas_i128)b->volume * d->p.volume_period * 10000 > (darvas_i128)d->p.volume_factor4 * sum);
	pa_px(b->close, ps, c, sizeof c);
	pa_px(box_top, ps, t, sizeof t);
	pa_px(box_bottom, ps, bo, sizeof bo);
	pa_px(b->volume, qs, v, sizeof v);
	pa_px(avg, qs, av, sizeof av);
	pa_px(d->p.volume_factor4, 4, k, sizeof k);
	if (a->book.position != 0 || pa_busy(a))
		return; /* already in (no pyramiding) or an order is working */
	char why[400];
	if (!vol_ok) {
		if (have_avg)
			pa_message(a, "explanation",
				"close %s broke above box [%s, %s] but volume %s <= %s x average %s (%lld bars): no entry", c, bo, t,
				v, k, av, (long long)d->p.volume_period);
		else
			pa_message(a, "explanation", "close %s broke above box [%s, %s] before %lld bars of volume history: no entry",
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
	if (pa_enter(a, b, TH_SIDE_BUY, why) == TH_OK)
		d->st.stop = box_bottom;
}

static void on_bar(void *arg, const th_event *ev)
{
	darvas_agent *d = arg;
	pa_agent *a = &d->pa;
	const th_bar *b = &ev->u.bar;
	if (!pa_accept_bar(a, b))
		return;
	pa_finish_exit(a, b);
	int ps = a->book.price_scale;
	char c[32], s[32];

	/* Exit first: the stop is the level under which the box thesis is wrong. */
	if (a->book.position > 0 && !pa_busy(a) && b->close < d->st.stop) {
		char why[200];
		snprintf(why, sizeof why, "close %s below the box bottom stop %s", pa_px(b->close, ps, c, sizeof c),
			pa_px(d->st.stop, ps, s, sizeof s));
		pa_exit(a, b, why);
	}

	/* The box as it was before this bar: a breakout is judged against it. */
	th_price top = d->st.box.box_top, bottom = d->st.box.box_bottom;
	int e = darvas_box_update(&d->st.box, b->high, b->low, b->close);
	if (e == DARVAS_BREAKOUT) {
		on_breakout(d, b, top, bottom);
	} else if (e == DARVAS_CONFIRMED && a->book.position > 0 && d->p.trailing && d->st.box.box_bottom > d->st.stop) {
		char t[32];
		d->st.stop = d->st.box.box_bottom;
		pa_message(a, "explanation", "new box [%s, %s] confirmed above the entry: stop raised to %s",
			pa_px(d->st.box.box_bottom, ps, s, sizeof s), pa_px(d->st.box.box_top, ps, t, sizeof t), s);
	}
	d->st.volumes[d->st.nvol % DARVAS_MAX_VOLUME] = b->volume;
	d->st.nvol++;
}

static int bad(const th_host_api *api, th_ctx *ctx, darvas_agent *d, const char *msg, const char *key)
{
	api->set_error(ctx, "darvas: key '%s' %s", key, msg);
	free(d);
	return TH_ERR_INVALID;
}

static int s_create(const th_host_api *api, th_ctx *ctx, void **out)
{
	darvas_agent *d = calloc(1, sizeof *d);
	if (!d)
		return TH_ERR_NOMEM;
	int rc = pa_configure(&d->pa, "darvas", api, ctx);
	if (rc != TH_OK) {
		free(d);
		return rc;
	}
	int trailing = 1;
	if (api->config_int(ctx, "lookback", &d->p.lookback) != TH_OK || d->p.lookback < 2 ||
		d->p.lookback > DARVAS_MAX_LOOKBACK)
		return bad(api, ctx, d, "must be an integer in 2..512", "lookback");
	if (api->config_int(ctx, "confirm_bars", &d->p.confirm) != TH_OK || d->p.confirm < 1 || d->p.confirm > 100)
		return bad(api, ctx, d, "must be an integer in 1..100", "confirm_bars");
	if (api->config_int(ctx, "volume_period", &d->p.volume_period) != TH_OK || d->p.volume_period < 1 ||
		d->p.volume_period > DARVAS_MAX_VOLUME)
		return bad(api, ctx, d, "must be an integer in 1..512", "volume_period");
	if (api->config_decimal(ctx, "volume_factor", 4, &d->p.volume_factor4) != TH_OK || d->p.volume_factor4 < 0 ||
		d->p.volume_factor4 > 1000000)
		return bad(api, ctx, d, "must be a decimal in 0..100 with at most 4 fractional digits", "volume_factor");
	if (api->config_bool(ctx, "trailing", &trailing) != TH_OK)
		return bad(api, ctx, d, "must be true or false", "trailing");
	d->p.trailing = trailing;
	darvas_box_init(&d->st.box, (int32_t)d->p.lookback, (int32_t)d->p.confirm);
	*out = d;
	return TH_OK;
}

static int s_start(void *arg)
{
	darvas_agent *d = arg;
	return pa_subscribe(&d->pa, on_bar, d);
}

static int s_stop(void *arg)
{
	(void)arg;
	return TH_OK;
}

static void s_destroy(void *arg)
{
	free(arg);
}

static int s_export(void *arg, void **data, size_t *len)
{
	darvas_agent *d = arg;
	darvas_saved *s = d->pa.api->alloc(d->pa.ctx, sizeof *s);
	if (!s)
		return TH_ERR_NOMEM;
	memset(s, 0, sizeof *s);
	s->magic = DARVAS_STATE_MAGIC;
	s->version = DARVAS_STATE_VERSION;
	s->params = d->p;
	s->book = d->pa.book;
	s->st = d->st;
	*data = s;
	*len = sizeof *s;
	return TH_OK;
}

/* The position and the order in flight always carry over; the boxes only if
 * the box parameters are unchanged (otherwise they warm up again). */
static int s_import(void *arg, const void *data, size_t len)
{
	darvas_agent *d = arg;
	const darvas_saved *s = data;
	if (len != sizeof *s || s->magic != DARVAS_STATE_MAGIC || s->version != DARVAS_STATE_VERSION) {
		d->pa.api->set_error(d->pa.ctx, "darvas: hot-reload state has another format (%zu bytes)", len);
		return TH_ERR_INVALID;
	}
	d->pa.book = s->book;
	if (memcmp(&s->params, &d->p, sizeof d->p) == 0) {
		d->st = s->st;
	} else {
		/* keep the protective stop of an open position even when the boxes restart */
		d->st.stop = s->st.stop;
		d->pa.api->logf(d->pa.ctx, TH_LOG_INFO, "darvas %s: parameters changed: boxes restart, position kept",
			d->pa.symbol);
	}
	return TH_OK;
}

static int s_explain(void *arg, char *buf, size_t cap)
{
	darvas_agent *d = arg;
	const darvas_box *x = &d->st.box;
	int ps = d->pa.book.price_scale < 0 ? 0 : d->pa.book.price_scale;
	char t[32], b[32], s[32], q[32];
	if (x->phase == DARVAS_BOX)
		snprintf(buf, cap, "darvas %s: box [%s, %s]: waiting for a close above %s on volume; position %s, stop %s",
			d->pa.symbol, pa_px(x->box_bottom, ps, b, sizeof b), pa_px(x->box_top, ps, t, sizeof t), t,
			pa_px(d->pa.book.position, d->pa.book.qty_scale < 0 ? 0 : d->pa.book.qty_scale, q, sizeof q),
			pa_px(d->st.stop, ps, s, sizeof s));
	else if (x->phase == DARVAS_FORMING)
		snprintf(buf, cap, "darvas %s: box forming: top %s held %d/%d bars, bottom %s held %d/%d bars", d->pa.symbol,
			pa_px(x->top, ps, t, sizeof t), x->top_count, x->confirm, x->have_bottom ? pa_px(x->bottom, ps, b, sizeof b) : "-",
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
	.start = s_start,
	.stop = s_stop,
	.destroy = s_destroy,
	.export_state = s_export,
	.import_state = s_import,
	.kind_api = &strategy_api,
};

TH_PLUGIN_DEFINE(desc)
