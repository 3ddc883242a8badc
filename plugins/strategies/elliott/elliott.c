/*
 * elliott — Elliott wave agent (long and short).
 *
 * Pivots come from the SDK's percentage zig-zag (th_ta_zigzag, confirmed
 * without repainting) on bar highs and lows; each confirmed pivot re-reads the
 * latest pivots as counts (elliott_count.c) and may:
 *   - arm a wave-3 setup: the last three pivots are a valid 1-2; the agent
 *     enters when a close breaks the end of wave 1, with the stop at the end
 *     of wave 2 and the target at end-of-2 + w3_target x wave 1;
 *   - enter a wave-5 trade: the last five pivots are a valid 1-2-3-4; the
 *     agent enters on the bar that confirms the end of wave 4, with the stop
 *     at the end of wave 1 (a wave 4 below it breaks the overlap rule) and the
 *     target at end-of-4 + w5_target x wave 1, capped at wave 3's length
 *     when wave 3 is shorter than wave 1 (wave 3 may not be the shortest);
 *   - label a complete impulse or a zig-zag A-B-C (explanation messages).
 * A trade is closed at market when the bar reaches its stop (the invalidation
 * level) or its target, or when the zig-zag confirms the pivot that ends the
 * wave being traded. A confirmed pivot disarms a pending wave-3 setup (the
 * structure changed); so does a price beyond the start of wave 1.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tradehost/tradehost.h>
#include <tradehost/th_ta.h>

#include "elliott_count.h"
#include "kit_cfg.h"
#include "kit_msg.h"
#include "kit_pat.h"

#define EW_PIVOTS 10

typedef struct ew_params {
	double zigzag_pct, w3_target, w5_target;
	ew_rules rules;
	int32_t trade_wave3, trade_wave5, allow_short, pad_;
} ew_params;

typedef struct ew_pivot {
	th_price price;
	int32_t kind; /* +1 high, -1 low */
	int32_t pad_;
	uint64_t index; /* bar index of the pivot */
} ew_pivot;

/* A wave-3 setup waiting for its trigger. */
typedef struct ew_setup {
	int32_t armed, dir;
	th_price p[3]; /* start of 1 (invalidation), end of 1 (trigger), end of 2 (stop) */
	double r2;
} ew_setup;

/* The trade in progress (valid while the position has its sign). */
typedef struct ew_trade {
	int32_t wave, dir; /* 3 or 5; +1 long, -1 short */
	th_price stop, target; /* target 0 = none */
} ew_trade;

/* Plain data: copied as is on hot reload. */
typedef struct ew_state {
	th_ta_zigzag zz;
	ew_pivot piv[EW_PIVOTS]; /* oldest first */
	uint32_t npiv, pad_;
	ew_setup w3;
	ew_trade trade;
	int32_t last_label, last_label_dir; /* 0 none, 5 impulse, 3 A-B-C (for explain) */
} ew_state;

typedef struct ew_agent {
	kit_pat pa; /* first: the instance is also the kit's (kit_pat_plugin) */
	ew_params p;
	ew_state st;
} ew_agent;

static const th_config_field schema[] = {
	KIT_SCHEMA_PATTERN,
	{ "zigzag_pct", TH_CONFIG_FLOAT, 0, "1.0", "0.01", "50", "reversal in percent that confirms a zig-zag pivot" },
	{ "tolerance", TH_CONFIG_FLOAT, 0, "0.05", "0", "0.5", "widening of every Fibonacci ratio band, on both sides" },
	{ "w2_min", TH_CONFIG_FLOAT, 0, "0.382", "0", "1", "smallest wave-2 retracement of wave 1" },
	{ "w2_max", TH_CONFIG_FLOAT, 0, "0.786", "0", "1", "largest wave-2 retracement of wave 1 (greater than w2_min)" },
	{ "w3_min", TH_CONFIG_FLOAT, 0, "1.0", "0.1", "10", "wave 3 must be at least this multiple of wave 1" },
	{ "w4_min", TH_CONFIG_FLOAT, 0, "0.236", "0", "1", "smallest wave-4 retracement of wave 3" },
	{ "w4_max", TH_CONFIG_FLOAT, 0, "0.618", "0", "1", "largest wave-4 retracement of wave 3 (greater than w4_min)" },
	{ "w3_target", TH_CONFIG_FLOAT, 0, "1.618", "0", "10",
		"wave-3 trades take profit at end of wave 2 + this x wave 1; 0 = no target" },
	{ "w5_target", TH_CONFIG_FLOAT, 0, "1.0", "0", "10",
		"wave-5 trades take profit at end of wave 4 + this x wave 1 (never beyond a wave 3 shorter than wave 1); 0 = only that cap" },
	{ "trade_wave3", TH_CONFIG_BOOL, 0, "true", NULL, NULL, "trade wave-3 setups (break of the wave-1 end)" },
	{ "trade_wave5", TH_CONFIG_BOOL, 0, "true", NULL, NULL, "trade wave-5 setups (end of a valid wave 4)" },
	{ "allow_short", TH_CONFIG_BOOL, 0, "true", NULL, NULL, "also trade bearish counts (sell short)" },
	TH_CONFIG_END,
};

static const char *px(const ew_agent *e, th_price v, char *buf, size_t cap)
{
	return kit_fmt(buf, cap, v, e->pa.book.price_scale);
}

/* base + dir * mult * len, as an exact price; 0 (no target) if mult is 0 or out of range. */
static th_price project(th_price base, int dir, double mult, th_price len)
{
	th_price off;
	if (mult <= 0 || kit_mantissa_from_double(mult * (double)len, 0, &off) != 0)
		return 0;
	th_price t = base + dir * off;
	return t > 0 ? t : 0;
}

static void push_pivot(ew_agent *e, th_price price, int kind, uint64_t index)
{
	ew_state *s = &e->st;
	if (s->npiv == EW_PIVOTS) {
		memmove(s->piv, s->piv + 1, (EW_PIVOTS - 1) * sizeof s->piv[0]);
		s->npiv--;
	}
	s->piv[s->npiv].price = price;
	s->piv[s->npiv].kind = kind;
	s->piv[s->npiv].index = index;
	s->npiv++;
}

/* The last n pivot prices, oldest first. */
static void last_prices(const ew_agent *e, int n, th_price *out)
{
	for (int i = 0; i < n; i++)
		out[i] = e->st.piv[e->st.npiv - (uint32_t)n + (uint32_t)i].price;
}

static int side_allowed(const ew_agent *e, int dir)
{
	return dir > 0 || e->p.allow_short;
}

static void check_exit(ew_agent *e, const th_bar *b, int new_kind)
{
	kit_pat *a = &e->pa;
	ew_trade *t = &e->st.trade;
	int dir = a->book.pos.qty > 0 ? 1 : a->book.pos.qty < 0 ? -1 : 0;
	if (dir == 0 || kit_pat_busy(a) || t->dir != dir)
		return;
	char why[300], l[32], h[32], s[32];
	if (dir > 0 ? b->low <= t->stop : b->high >= t->stop) {
		snprintf(why, sizeof why, "Elliott wave-%d %s: bar %s %s reached the stop %s (%s): count invalidated", t->wave,
			dir > 0 ? "long" : "short", dir > 0 ? "low" : "high", px(e, dir > 0 ? b->low : b->high, l, sizeof l),
			px(e, t->stop, s, sizeof s),
			t->wave == 3 ? "end of wave 2: wave 3 cannot go beyond its start" : "end of wave 1: wave 4 may not overlap it");
	} else if (t->target > 0 && (dir > 0 ? b->high >= t->target : b->low <= t->target)) {
		snprintf(why, sizeof why, "Elliott wave-%d %s: bar %s %s reached the target %s", t->wave,
			dir > 0 ? "long" : "short", dir > 0 ? "high" : "low", px(e, dir > 0 ? b->high : b->low, h, sizeof h),
			px(e, t->target, s, sizeof s));
	} else if (new_kind == dir) {
		const ew_pivot *pv = &e->st.piv[e->st.npiv - 1];
		snprintf(why, sizeof why, "Elliott wave-%d %s: the zig-zag confirmed the %s pivot %s that ends wave %d",
			t->wave, dir > 0 ? "long" : "short", dir > 0 ? "high" : "low", px(e, pv->price, h, sizeof h), t->wave);
	} else {
		return;
	}
	kit_pat_exit(a, why);
}

static void arm_wave3(ew_agent *e, int dir)
{
	th_price p[3];
	ew_ratios r;
	last_prices(e, 3, p);
	if (ew_check_12(p, dir, &e->p.rules, &r) != EW_VALID)
		return;
	e->st.w3.armed = 1;
	e->st.w3.dir = dir;
	memcpy(e->st.w3.p, p, sizeof p);
	e->st.w3.r2 = r.r2;
}

static void enter_wave5(ew_agent *e, const th_bar *b, int dir)
{
	kit_pat *a = &e->pa;
	th_price p[5];
	ew_ratios r;
	last_prices(e, 5, p);
	if (ew_check_1234(p, dir, &e->p.rules, &r) != EW_VALID)
		return;
	th_price w1 = dir * (p[1] - p[0]), w3 = dir * (p[3] - p[2]);
	th_price target = project(p[4], dir, e->p.w5_target, w1);
	/* wave 3 may not end up the shortest: wave 5 can be at most as long as a short wave 3 */
	if (w3 < w1) {
		th_price cap = p[4] + dir * w3;
		if (target == 0 || (dir > 0 ? cap < target : cap > target))
			target = cap;
	}
	char c[5][32], tg[32], cl[32], why[420];
	for (int i = 0; i < 5; i++)
		px(e, p[i], c[i], sizeof c[i]);
	px(e, b->close, cl, sizeof cl);
	if (target > 0 && (dir > 0 ? b->close >= target : b->close <= target)) {
		kit_pat_say(a, "explanation", "Elliott %s 1-2-3-4 (%s %s %s %s %s) complete but close %s is already past the "
			"wave-5 target %s: no entry", dir > 0 ? "bullish" : "bearish", c[0], c[1], c[2], c[3], c[4], cl,
			px(e, target, tg, sizeof tg));
		return;
	}
	/* long enough for the usual prices; a longer text is cut, never overflowed */
	if (snprintf(why, sizeof why,
		"Elliott wave-5 %s: 1-2-3-4 at %s %s %s %s %s (wave 2 = %.3f x wave 1, wave 3 = %.3f x wave 1, wave 4 = "
		"%.3f x wave 3; wave 4 clear of wave 1); close %s confirmed the end of wave 4; stop %s (end of wave 1), "
		"target %s",
		dir > 0 ? "long" : "short", c[0], c[1], c[2], c[3], c[4], r.r2, r.r3, r.r4, cl, c[1],
		target > 0 ? px(e, target, tg, sizeof tg) : "none") < 0)
		return;
	if (kit_pat_enter(a, b, dir > 0 ? TH_SIDE_BUY : TH_SIDE_SELL, why) == TH_OK) {
		e->st.trade.wave = 5;
		e->st.trade.dir = dir;
		e->st.trade.stop = p[1];
		e->st.trade.target = target;
	}
}

static void label_completed(ew_agent *e, int kind)
{
	ew_state *s = &e->st;
	ew_ratios r, rabc;
	th_price p[9];
	char c[9][32];
	/* a new pivot of kind k ends a k-direction impulse ... */
	if (s->npiv >= 6) {
		last_prices(e, 6, p);
		if (ew_check_impulse(p, kind, &e->p.rules, &r) == EW_VALID) {
			for (int i = 0; i < 6; i++)
				px(e, p[i], c[i], sizeof c[i]);
			s->last_label = 5;
			s->last_label_dir = kind;
			kit_pat_say(&e->pa, "explanation",
				"Elliott %s impulse 1-2-3-4-5 complete: %s %s %s %s %s %s (wave 2 = %.3f x 1, wave 3 = %.3f x 1, "
				"wave 4 = %.3f x 3; wave 3 not the shortest)",
				kind > 0 ? "bullish" : "bearish", c[0], c[1], c[2], c[3], c[4], c[5], r.r2, r.r3, r.r4);
		}
	}
	/* ... or an A-B-C against a (-k)-direction impulse */
	if (s->npiv >= 9) {
		last_prices(e, 9, p);
		if (ew_check_impulse(p, -kind, &e->p.rules, &r) == EW_VALID &&
			ew_check_abc(p + 5, -kind, e->p.rules.tol, &rabc) == EW_VALID) {
			for (int i = 5; i < 9; i++)
				px(e, p[i], c[i], sizeof c[i]);
			s->last_label = 3;
			s->last_label_dir = -kind;
			kit_pat_say(&e->pa, "explanation",
				"Elliott A-B-C correction of the %s impulse complete: from %s, A %s, B %s, C %s (B = %.3f x A, C = "
				"%.3f x A)",
				kind < 0 ? "bullish" : "bearish", c[5], c[6], c[7], c[8], rabc.rb, rabc.rc);
		}
	}
}

static void check_wave3_trigger(ew_agent *e, const th_bar *b)
{
	kit_pat *a = &e->pa;
	ew_setup *w = &e->st.w3;
	int dir = w->dir;
	char c[3][32], cl[32], tg[32], why[420];
	if (dir > 0 ? b->low <= w->p[0] : b->high >= w->p[0]) {
		w->armed = 0;
		kit_pat_say(a, "explanation", "Elliott wave-3 setup dropped: price went beyond the start of wave 1 %s",
			px(e, w->p[0], c[0], sizeof c[0]));
		return;
	}
	if (!(dir > 0 ? b->close > w->p[1] : b->close < w->p[1]))
		return;
	w->armed = 0; /* one shot: the break happened, traded or not */
	if (a->book.pos.qty != 0 || kit_pat_busy(a))
		return;
	th_price w1 = dir * (w->p[1] - w->p[0]);
	th_price target = project(w->p[2], dir, e->p.w3_target, w1);
	for (int i = 0; i < 3; i++)
		px(e, w->p[i], c[i], sizeof c[i]);
	px(e, b->close, cl, sizeof cl);
	if (target > 0 && (dir > 0 ? b->close >= target : b->close <= target))
		return; /* the whole projected move already happened in one bar */
	if (snprintf(why, sizeof why,
		"Elliott wave-3 %s: 1-2 at %s %s %s (wave 2 retraced %.3f of wave 1, band %.3f..%.3f); close %s broke the "
		"end of wave 1 %s; stop %s (end of wave 2), target %s",
		dir > 0 ? "long" : "short", c[0], c[1], c[2], w->r2, e->p.rules.w2_min - e->p.rules.tol,
		e->p.rules.w2_max + e->p.rules.tol, cl, c[1], c[2], target > 0 ? px(e, target, tg, sizeof tg) : "none") < 0)
		return;
	if (kit_pat_enter(a, b, dir > 0 ? TH_SIDE_BUY : TH_SIDE_SELL, why) == TH_OK) {
		e->st.trade.wave = 3;
		e->st.trade.dir = dir;
		e->st.trade.stop = w->p[2];
		e->st.trade.target = target;
	}
}

static void on_bar(void *arg, const th_event *ev)
{
	ew_agent *e = arg;
	kit_pat *a = &e->pa;
	const th_bar *b = &ev->u.bar;
	if (!kit_pat_bar(a, b))
		return;
	int ps = a->book.price_scale;
	th_ta_zigzag_pivot pv;
	int new_kind = 0;
	if (th_ta_zigzag_update(&e->st.zz, th_ta_price(b->high, ps), th_ta_price(b->low, ps), &pv) == 1) {
		th_price price;
		if (kit_mantissa_from_double(pv.price, ps, &price) == 0) {
			push_pivot(e, price, pv.kind, pv.index);
			new_kind = pv.kind;
		}
	}
	check_exit(e, b, new_kind);
	if (new_kind) {
		/* The structure changed: re-read it. A low pivot can complete a bullish
		 * 1-2 or 1-2-3-4, a high pivot a bearish one. */
		int dir = -new_kind;
		e->st.w3.armed = 0;
		if (e->p.trade_wave3 && side_allowed(e, dir) && e->st.npiv >= 3)
			arm_wave3(e, dir);
		if (e->p.trade_wave5 && side_allowed(e, dir) && e->st.npiv >= 5 && a->book.pos.qty == 0 && !kit_pat_busy(a))
			enter_wave5(e, b, dir);
		label_completed(e, new_kind);
	}
	if (e->st.w3.armed)
		check_wave3_trigger(e, b);
}

static int bad(const th_host_api *api, th_ctx *ctx, const char *key, const char *msg)
{
	api->set_error(ctx, "elliott: key '%s' %s", key, msg);
	return TH_ERR_INVALID;
}

static int read_double(const th_host_api *api, th_ctx *ctx, const char *key, double lo, double hi, double *out)
{
	return kit_cfg_double(api, ctx, "elliott", key, lo, hi, out) == TH_OK;
}

/* The wave rules' keys and the relations between them; set_error names the key. */
static int read_params(const th_host_api *api, th_ctx *ctx, ew_params *p)
{
	ew_rules *r = &p->rules;
	if (!read_double(api, ctx, "zigzag_pct", 0.01, 50, &p->zigzag_pct) ||
		!read_double(api, ctx, "tolerance", 0, 0.5, &r->tol) || !read_double(api, ctx, "w2_min", 0, 1, &r->w2_min) ||
		!read_double(api, ctx, "w2_max", 0, 1, &r->w2_max))
		return TH_ERR_INVALID;
	if (r->w2_max <= r->w2_min)
		return bad(api, ctx, "w2_max", "must be greater than w2_min");
	if (!read_double(api, ctx, "w3_min", 0.1, 10, &r->w3_min) || !read_double(api, ctx, "w4_min", 0, 1, &r->w4_min) ||
		!read_double(api, ctx, "w4_max", 0, 1, &r->w4_max))
		return TH_ERR_INVALID;
	if (r->w4_max <= r->w4_min)
		return bad(api, ctx, "w4_max", "must be greater than w4_min");
	int b3 = 1, b5 = 1, bs = 1;
	if (!read_double(api, ctx, "w3_target", 0, 10, &p->w3_target) ||
		!read_double(api, ctx, "w5_target", 0, 10, &p->w5_target) ||
		kit_cfg_bool(api, ctx, "elliott", "trade_wave3", &b3) != TH_OK ||
		kit_cfg_bool(api, ctx, "elliott", "trade_wave5", &b5) != TH_OK ||
		kit_cfg_bool(api, ctx, "elliott", "allow_short", &bs) != TH_OK)
		return TH_ERR_INVALID;
	if (!b3 && !b5)
		return bad(api, ctx, "trade_wave3", "and trade_wave5 are both false: the agent would never trade");
	p->trade_wave3 = b3;
	p->trade_wave5 = b5;
	p->allow_short = bs;
	return TH_OK;
}

/* Changed parameters: pivots and setups restart, the open trade (its stop
 * and target) is kept. */
static void reloaded(void *agent, int same_params, const void *old_state)
{
	ew_agent *e = agent;
	if (same_params)
		return;
	memcpy(&e->st.trade, (const unsigned char *)old_state + offsetof(ew_state, trade), sizeof e->st.trade);
	e->pa.api->logf(e->pa.ctx, TH_LOG_INFO, "elliott %s: parameters changed: pivots restart, open trade kept",
		e->pa.symbol);
}

static int configure(void *agent, const th_host_api *api, th_ctx *ctx)
{
	ew_agent *e = agent;
	th_ta_error err;
	if (read_params(api, ctx, &e->p) != TH_OK)
		return TH_ERR_INVALID;
	if (th_ta_zigzag_init(&e->st.zz, e->p.zigzag_pct, &err) != TH_TA_OK)
		return bad(api, ctx, "zigzag_pct", err.msg);
	return TH_OK;
}

static const kit_pat_plugin plug = {
	.name = "elliott",
	.size = sizeof(ew_agent),
	.configure = configure,
	.on_bar = on_bar,
	.magic = "ELLIOTT",
	.version = 2,
	KIT_PAT_STATE(ew_agent, p, st),
	.reloaded = reloaded,
};

static int s_create(const th_host_api *api, th_ctx *ctx, void **out)
{
	return kit_pat_create(&plug, api, ctx, out);
}

static int s_explain(void *arg, char *buf, size_t cap)
{
	ew_agent *e = arg;
	const ew_state *s = &e->st;
	char t[4][32];
	int n = snprintf(buf, cap, "elliott %s: %u pivots", e->pa.symbol, s->npiv);
	for (uint32_t i = s->npiv > 5 ? s->npiv - 5 : 0; i < s->npiv && n > 0 && (size_t)n < cap; i++)
		n += snprintf(buf + n, cap - (size_t)n, "%s%c %s", i == (s->npiv > 5 ? s->npiv - 5 : 0) ? " (" : ", ",
			s->piv[i].kind > 0 ? 'H' : 'L', px(e, s->piv[i].price, t[0], sizeof t[0]));
	if (s->npiv && n > 0 && (size_t)n < cap)
		n += snprintf(buf + n, cap - (size_t)n, ")");
	if (s->w3.armed && n > 0 && (size_t)n < cap)
		n += snprintf(buf + n, cap - (size_t)n, "; wave-3 %s armed: close %s %s, dropped %s %s",
			s->w3.dir > 0 ? "long" : "short", s->w3.dir > 0 ? "above" : "below", px(e, s->w3.p[1], t[1], sizeof t[1]),
			s->w3.dir > 0 ? "at or below" : "at or above", px(e, s->w3.p[0], t[2], sizeof t[2]));
	if (e->pa.book.pos.qty != 0 && n > 0 && (size_t)n < cap)
		snprintf(buf + n, cap - (size_t)n, "; in a wave-%d %s, stop %s, target %s", s->trade.wave,
			s->trade.dir > 0 ? "long" : "short", px(e, s->trade.stop, t[1], sizeof t[1]),
			s->trade.target ? px(e, s->trade.target, t[3], sizeof t[3]) : "none");
	return TH_OK;
}

static const th_strategy_api strategy_api = { .struct_size = sizeof(th_strategy_api), .explain = s_explain };

static const th_plugin_desc desc = {
	TH_PLUGIN_HEADER(TH_KIND_STRATEGY, "elliott"),
	.version = "1.0.0",
	.description = "Elliott wave: zig-zag counts checked by the wave rules and Fibonacci bands; trades waves 3 and 5",
	.config_schema = schema,
	.create = s_create,
	KIT_PAT_DESC_ENTRIES,
	.kind_api = &strategy_api,
};

TH_PLUGIN_DEFINE(desc)
