/*
 * alligator — Bill Williams's Alligator agent (long and short).
 *
 * Lines (alligator_lines.c): jaw, teeth and lips are SMMAs of the median price
 * shifted forward. The alligator "eats up" when lips > teeth > jaw and "eats
 * down" when lips < teeth < jaw; anything else is the sleeping (or waking)
 * alligator. While flat, an entry needs the lines fanned out in the trade's
 * direction on this bar AND a confirmation, by `confirm`:
 *   fractal  the close breaks the last fractal accepted as a breakout level
 *            (up fractal above the teeth for longs, down fractal below the teeth
 *            for shorts; each fractal gives at most one signal);
 *   ao       the awesome oscillator is on the trade's side of zero and moving
 *            further that way (AO > 0 and rising for longs);
 *   either / both  one of them / both on the same bar.
 * A position is closed at market as soon as its fan closes (for a long: lips
 * <= teeth or teeth <= jaw), i.e. when the lines cross back.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tradehost/tradehost.h>
#include <tradehost/th_ta.h>

#include "alligator_lines.h"
#include "kit_cfg.h"
#include "kit_msg.h"
#include "kit_pat.h"

#define ALLIG_MAX_AO 256

enum { CONFIRM_FRACTAL = 0, CONFIRM_AO = 1, CONFIRM_EITHER = 2, CONFIRM_BOTH = 3 };
static const char *const confirm_names[] = { "fractal", "ao", "either", "both" };

typedef struct allig_params {
	int64_t jaw_period, jaw_shift, teeth_period, teeth_shift, lips_period, lips_shift;
	int64_t ao_fast, ao_slow;
	int32_t confirm, allow_short;
} allig_params;

/* Plain data: copied as is on hot reload (the AO's SMAs are rebuilt from `medians`). */
typedef struct allig_state {
	allig_line jaw, teeth, lips;
	allig_fractals fr;
	double medians[ALLIG_MAX_AO]; /* ring of the last median prices, to rebuild the AO */
	uint64_t nmed;
	double jaw_v, teeth_v, lips_v, ao, prev_ao; /* values at the last bar */
	int32_t lines_ready, ao_ready, have_prev_ao, pad_;
} allig_state;

typedef struct allig_agent {
	kit_pat pa; /* first: the instance is also the kit's (kit_pat_plugin) */
	allig_params p;
	allig_state st;
	th_ta_sma ao_fast, ao_slow; /* own window buffers: rebuilt, never copied */
} allig_agent;

static const th_config_field schema[] = {
	KIT_SCHEMA_PATTERN,
	{ "jaw_period", TH_CONFIG_INT, 0, "13", "3", "200", "SMMA period of the jaw (blue line), longest of the three" },
	{ "jaw_shift", TH_CONFIG_INT, 0, "8", "0", "64", "bars the jaw is shifted forward" },
	{ "teeth_period", TH_CONFIG_INT, 0, "8", "2", "199", "SMMA period of the teeth (red line), between lips and jaw" },
	{ "teeth_shift", TH_CONFIG_INT, 0, "5", "0", "64", "bars the teeth are shifted forward" },
	{ "lips_period", TH_CONFIG_INT, 0, "5", "1", "198", "SMMA period of the lips (green line), shortest of the three" },
	{ "lips_shift", TH_CONFIG_INT, 0, "3", "0", "64", "bars the lips are shifted forward" },
	{ "confirm", TH_CONFIG_STRING, 0, "\"fractal\"", NULL, NULL,
		"entry confirmation: \"fractal\" (fractal breakout), \"ao\" (awesome oscillator), \"either\" or \"both\"" },
	{ "ao_fast", TH_CONFIG_INT, 0, "5", "1", "255", "fast SMA period of the awesome oscillator" },
	{ "ao_slow", TH_CONFIG_INT, 0, "34", "2", "256", "slow SMA period of the awesome oscillator (greater than ao_fast)" },
	{ "allow_short", TH_CONFIG_BOOL, 0, "true", NULL, NULL, "also sell short when the alligator eats down" },
	TH_CONFIG_END,
};

static int uses_ao(const allig_agent *g)
{
	return g->p.confirm != CONFIRM_FRACTAL;
}

/* The AO on this median; 1 when both SMAs are warm. */
static int update_ao(allig_agent *g, double median, double *ao)
{
	double f = 0, s = 0;
	int rf = th_ta_sma_update(&g->ao_fast, median, &f);
	int rs = th_ta_sma_update(&g->ao_slow, median, &s);
	if (rf != 1 || rs != 1)
		return 0;
	*ao = f - s;
	return 1;
}

static void describe_lines(const allig_agent *g, char *buf, size_t cap)
{
	int ps = g->pa.book.price_scale;
	snprintf(buf, cap, "lips %.*f, teeth %.*f, jaw %.*f", ps, g->st.lips_v, ps, g->st.teeth_v, ps, g->st.jaw_v);
}

/* Confirmation text for a side (+1 long, -1 short), or NULL if not confirmed. */
static const char *confirmation(allig_agent *g, int dir, int frac, int ao_ok, char *buf, size_t cap)
{
	int ps = g->pa.book.price_scale;
	char lvl[32];
	int ok = g->p.confirm == CONFIRM_FRACTAL ? frac
		: g->p.confirm == CONFIRM_AO     ? ao_ok
		: g->p.confirm == CONFIRM_EITHER ? (frac || ao_ok)
		                                 : (frac && ao_ok);
	if (!ok)
		return NULL;
	int n = 0;
	buf[0] = '\0';
	if (frac)
		n = snprintf(buf, cap, "close broke the %s fractal at %s", dir > 0 ? "up" : "down",
			kit_fmt(lvl, sizeof lvl, dir > 0 ? g->st.fr.up : g->st.fr.down, ps));
	if (ao_ok && n >= 0 && (size_t)n < cap)
		snprintf(buf + n, cap - (size_t)n, "%sAO %.*f %s zero and %s", n ? "; " : "", ps + 2, g->st.ao,
			dir > 0 ? "above" : "below", dir > 0 ? "rising" : "falling");
	return buf;
}

static void on_bar(void *arg, const th_event *ev)
{
	allig_agent *g = arg;
	kit_pat *a = &g->pa;
	const th_bar *b = &ev->u.bar;
	if (!kit_pat_bar(a, b))
		return;
	int ps = a->book.price_scale;
	double median = th_ta_price(b->high, ps) / 2.0 + th_ta_price(b->low, ps) / 2.0;
	double jaw, teeth, lips;
	int rj = allig_line_update(&g->st.jaw, median, &jaw);
	int rt = allig_line_update(&g->st.teeth, median, &teeth);
	int rl = allig_line_update(&g->st.lips, median, &lips);
	g->st.medians[g->st.nmed % ALLIG_MAX_AO] = median;
	g->st.nmed++;
	double ao = 0;
	int ao_ready = update_ao(g, median, &ao);
	g->st.lines_ready = rj == 1 && rt == 1 && rl == 1;
	if (g->st.lines_ready) {
		g->st.jaw_v = jaw;
		g->st.teeth_v = teeth;
		g->st.lips_v = lips;
	}
	g->st.have_prev_ao = g->st.ao_ready;
	g->st.prev_ao = g->st.ao;
	g->st.ao_ready = ao_ready;
	if (ao_ready)
		g->st.ao = ao;

	/* Fractals: a new one becomes the breakout level if it is on the right side of the teeth. */
	th_price up = 0, down = 0;
	int found = allig_fractals_update(&g->st.fr, b->high, b->low, &up, &down);
	if (g->st.lines_ready) {
		if ((found & ALLIG_FRACTAL_UP) && th_ta_price(up, ps) > teeth) {
			g->st.fr.up = up;
			g->st.fr.has_up = 1;
		}
		if ((found & ALLIG_FRACTAL_DOWN) && th_ta_price(down, ps) < teeth) {
			g->st.fr.down = down;
			g->st.fr.has_down = 1;
		}
	}
	if (!g->st.lines_ready)
		return; /* warm-up: the jaw needs jaw_period + jaw_shift bars */

	int eats_up = lips > teeth && teeth > jaw;
	int eats_down = lips < teeth && teeth < jaw;
	char lines[160], why[420], conf[200];
	describe_lines(g, lines, sizeof lines);

	/* A fractal level is spent by the first close through it, traded or not. */
	int frac_long = g->st.fr.has_up && b->close > g->st.fr.up;
	int frac_short = g->st.fr.has_down && b->close < g->st.fr.down;
	int ao_long = ao_ready && g->st.have_prev_ao && ao > 0 && ao > g->st.prev_ao;
	int ao_short = ao_ready && g->st.have_prev_ao && ao < 0 && ao < g->st.prev_ao;

	if (a->book.pos.qty > 0 && !eats_up && !kit_pat_busy(a)) {
		snprintf(why, sizeof why, "Alligator lines crossed back (%s): the up fan closed", lines);
		kit_pat_exit(a, why);
	} else if (a->book.pos.qty < 0 && !eats_down && !kit_pat_busy(a)) {
		snprintf(why, sizeof why, "Alligator lines crossed back (%s): the down fan closed", lines);
		kit_pat_exit(a, why);
	} else if (a->book.pos.qty == 0 && !kit_pat_busy(a)) {
		const char *c;
		if (eats_up && (c = confirmation(g, 1, frac_long, ao_long, conf, sizeof conf))) {
			snprintf(why, sizeof why, "Alligator eats up (%s, lips > teeth > jaw); %s", lines, c);
			kit_pat_enter(a, b, TH_SIDE_BUY, why);
		} else if (eats_down && g->p.allow_short && (c = confirmation(g, -1, frac_short, ao_short, conf, sizeof conf))) {
			snprintf(why, sizeof why, "Alligator eats down (%s, lips < teeth < jaw); %s", lines, c);
			kit_pat_enter(a, b, TH_SIDE_SELL, why);
		}
	}
	if (frac_long)
		g->st.fr.has_up = 0;
	if (frac_short)
		g->st.fr.has_down = 0;
}

static int init_ao(allig_agent *g)
{
	th_ta_error err;
	if (th_ta_sma_init(&g->ao_fast, (uint32_t)g->p.ao_fast, &err) != TH_TA_OK)
		return -1;
	if (th_ta_sma_init(&g->ao_slow, (uint32_t)g->p.ao_slow, &err) != TH_TA_OK) {
		th_ta_sma_free(&g->ao_fast);
		return -1;
	}
	return 0;
}

static void fini(void *agent)
{
	allig_agent *g = agent;
	th_ta_sma_free(&g->ao_fast);
	th_ta_sma_free(&g->ao_slow);
}

static int bad(const th_host_api *api, th_ctx *ctx, const char *key, const char *msg)
{
	api->set_error(ctx, "alligator: key '%s' %s", key, msg);
	return TH_ERR_INVALID;
}

static int read_int(const th_host_api *api, th_ctx *ctx, const char *key, int64_t lo, int64_t hi, int64_t *out)
{
	return kit_cfg_int(api, ctx, "alligator", key, lo, hi, out) == TH_OK;
}

/* The alligator's own keys and the relations between them; set_error names
 * the key. */
static int read_params(const th_host_api *api, th_ctx *ctx, allig_params *p)
{
	if (!read_int(api, ctx, "jaw_period", 3, 200, &p->jaw_period) ||
		!read_int(api, ctx, "teeth_period", 2, 199, &p->teeth_period) ||
		!read_int(api, ctx, "lips_period", 1, 198, &p->lips_period) ||
		!read_int(api, ctx, "jaw_shift", 0, ALLIGATOR_MAX_SHIFT, &p->jaw_shift) ||
		!read_int(api, ctx, "teeth_shift", 0, ALLIGATOR_MAX_SHIFT, &p->teeth_shift) ||
		!read_int(api, ctx, "lips_shift", 0, ALLIGATOR_MAX_SHIFT, &p->lips_shift))
		return TH_ERR_INVALID;
	/* The jaw is the slow line and the lips the fast one: the fan is read in that order. */
	if (p->teeth_period >= p->jaw_period)
		return bad(api, ctx, "teeth_period", "must be smaller than jaw_period");
	if (p->lips_period >= p->teeth_period)
		return bad(api, ctx, "lips_period", "must be smaller than teeth_period");
	if (!read_int(api, ctx, "ao_fast", 1, ALLIG_MAX_AO - 1, &p->ao_fast) ||
		!read_int(api, ctx, "ao_slow", 2, ALLIG_MAX_AO, &p->ao_slow))
		return TH_ERR_INVALID;
	if (p->ao_slow <= p->ao_fast)
		return bad(api, ctx, "ao_slow", "must be greater than ao_fast");
	const char *confirm;
	p->confirm = -1;
	if (api->config_string(ctx, "confirm", &confirm) == TH_OK)
		for (int i = 0; i < 4; i++)
			if (strcmp(confirm, confirm_names[i]) == 0)
				p->confirm = i;
	if (p->confirm < 0)
		return bad(api, ctx, "confirm", "must be \"fractal\", \"ao\", \"either\" or \"both\"");
	int allow_short = 1;
	if (kit_cfg_bool(api, ctx, "alligator", "allow_short", &allow_short) != TH_OK)
		return TH_ERR_INVALID;
	p->allow_short = allow_short;
	return TH_OK;
}

/* The lines only if the parameters are unchanged (else they warm up again);
 * the AO's SMAs are rebuilt by replaying the saved medians (their windows are
 * the only history they have). */
static void reloaded(void *agent, int same_params, const void *old_state)
{
	allig_agent *g = agent;
	(void)old_state;
	if (!same_params) {
		g->pa.api->logf(g->pa.ctx, TH_LOG_INFO, "alligator %s: parameters changed: lines warm up again, position kept",
			g->pa.symbol);
		return;
	}
	th_ta_sma_reset(&g->ao_fast);
	th_ta_sma_reset(&g->ao_slow);
	uint64_t keep = g->st.nmed < (uint64_t)g->p.ao_slow ? g->st.nmed : (uint64_t)g->p.ao_slow;
	double ignored;
	for (uint64_t i = g->st.nmed - keep; i < g->st.nmed; i++)
		(void)update_ao(g, g->st.medians[i % ALLIG_MAX_AO], &ignored);
}

static int configure(void *agent, const th_host_api *api, th_ctx *ctx)
{
	allig_agent *g = agent;
	const allig_params *p = &g->p;
	if (read_params(api, ctx, &g->p) != TH_OK)
		return TH_ERR_INVALID;
	th_ta_error err;
	if (allig_line_init(&g->st.jaw, (uint32_t)p->jaw_period, (uint32_t)p->jaw_shift, &err) != TH_TA_OK ||
		allig_line_init(&g->st.teeth, (uint32_t)p->teeth_period, (uint32_t)p->teeth_shift, &err) != TH_TA_OK ||
		allig_line_init(&g->st.lips, (uint32_t)p->lips_period, (uint32_t)p->lips_shift, &err) != TH_TA_OK)
		return bad(api, ctx, "jaw_period", err.msg);
	return init_ao(g) == 0 ? TH_OK : TH_ERR_NOMEM;
}

static const kit_pat_plugin plug = {
	.name = "alligator",
	.size = sizeof(allig_agent),
	.configure = configure,
	.fini = fini,
	.on_bar = on_bar,
	.magic = "ALLIGATR",
	.version = 2,
	KIT_PAT_STATE(allig_agent, p, st),
	.reloaded = reloaded,
};

static int s_create(const th_host_api *api, th_ctx *ctx, void **out)
{
	return kit_pat_create(&plug, api, ctx, out);
}

static int s_explain(void *arg, char *buf, size_t cap)
{
	allig_agent *g = arg;
	char lines[160];
	if (!g->st.lines_ready) {
		snprintf(buf, cap, "alligator %s: warming up (%llu of %lld bars for the jaw)", g->pa.symbol,
			(unsigned long long)g->pa.book.bars, (long long)(g->p.jaw_period + g->p.jaw_shift));
		return TH_OK;
	}
	describe_lines(g, lines, sizeof lines);
	const char *mood = g->st.lips_v > g->st.teeth_v && g->st.teeth_v > g->st.jaw_v   ? "eating up"
		: g->st.lips_v < g->st.teeth_v && g->st.teeth_v < g->st.jaw_v                 ? "eating down"
		                                                                             : "sleeping";
	snprintf(buf, cap, "alligator %s: %s (%s); confirm by %s%s; position %lld", g->pa.symbol, mood, lines,
		confirm_names[g->p.confirm], uses_ao(g) && g->st.ao_ready ? " (AO ready)" : "",
		(long long)g->pa.book.pos.qty);
	return TH_OK;
}

static const th_strategy_api strategy_api = { .struct_size = sizeof(th_strategy_api), .explain = s_explain };

static const th_plugin_desc desc = {
	TH_PLUGIN_HEADER(TH_KIND_STRATEGY, "alligator"),
	.version = "1.0.0",
	.description = "Williams Alligator: trade the fanned-out lines confirmed by fractals or AO, exit when they cross back",
	.config_schema = schema,
	.create = s_create,
	KIT_PAT_DESC_ENTRIES,
	.kind_api = &strategy_api,
};

TH_PLUGIN_DEFINE(desc)
