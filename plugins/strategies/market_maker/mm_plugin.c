/*
 * market_maker — inventory-aware market making (Avellaneda–Stoikov style).
 *
 * The agent watches the touch (TH_EV_QUOTE) of one symbol on one venue,
 * estimates the volatility of the mid, and keeps one post-only limit bid and
 * one post-only limit ask around a reservation price that leans against its
 * inventory (mm_model.h). Quotes are refreshed when the mid has moved by more
 * than `requote_bps` since the last refresh, and on a timer; a quote whose
 * price is stale is canceled first and replaced only once the cancel is
 * confirmed, so the agent never has two orders working on one side.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mm_internal.h"

#define NS_PER_MS 1000000LL

static const th_config_field schema[] = {
	{ "symbol", TH_CONFIG_STRING, 1, NULL, NULL, NULL, "instrument to quote, e.g. \"BTC-USDT\"" },
	{ "venue", TH_CONFIG_STRING, 0, "\"sim\"", NULL, NULL, "venue instance to quote on" },
	{ "order_qty", TH_CONFIG_DECIMAL, 0, "\"0.01\"", "0", NULL, "size of each quote (> 0, a multiple of lot)" },
	{ "max_position", TH_CONFIG_DECIMAL, 0, "\"0.05\"", "0", NULL,
		"inventory bound: a side is not quoted when its fill would take |position| beyond this (>= order_qty)" },
	{ "gamma", TH_CONFIG_FLOAT, 0, "0.1", "0.000001", "1000", "risk aversion, per (bp x quote size)" },
	{ "kappa", TH_CONFIG_FLOAT, 0, "0.5", "0.000001", "1000000",
		"order-book liquidity: fill intensity falls e-fold every 1/kappa bp away from the mid" },
	{ "horizon_seconds", TH_CONFIG_FLOAT, 0, "60", "0.001", "31536000",
		"T - t of the model: the rolling horizon the inventory risk is priced over, seconds" },
	{ "vol_window", TH_CONFIG_INT, 0, "50", "2", "100000",
		"mid changes in the realized volatility; quoting starts after vol_window + 1 quotes" },
	{ "min_spread_bps", TH_CONFIG_FLOAT, 0, "2", "0", "5000", "smallest total spread quoted, bp of the mid" },
	{ "max_spread_bps", TH_CONFIG_FLOAT, 0, "200", "0", "5000", "largest total spread quoted, bp of the mid" },
	{ "max_skew_bps", TH_CONFIG_FLOAT, 0, "50", "0", "2500",
		"largest distance of the reservation price from the mid, bp" },
	{ "requote_bps", TH_CONFIG_FLOAT, 0, "5", "0", "10000", "refresh the quotes when the mid moves more than this" },
	{ "refresh_ms", TH_CONFIG_INT, 0, "10000", "0", "86400000", "refresh the quotes on this timer too (0 = off)" },
	{ "tick", TH_CONFIG_DECIMAL, 0, "\"0\"", "0", NULL, "price increment; 0 = one unit of the price scale" },
	{ "lot", TH_CONFIG_DECIMAL, 0, "\"0\"", "0", NULL, "quantity increment; 0 = one unit of the quantity scale" },
	TH_CONFIG_END,
};

/* v (scale 8) at `scale`, refusing any loss of digits. */
static int exact_rescale(int64_t v8, int32_t scale, int64_t *out)
{
	int64_t back;
	if (th_fixed_rescale(v8, 8, scale, out) != 0 || th_fixed_rescale(*out, scale, 8, &back) != 0 || back != v8)
		return -1;
	return 0;
}

static void disable(mm_agent *a, const char *fmt_key, const char *detail)
{
	char text[256];
	a->disabled = 1;
	snprintf(text, sizeof text, "%s: %s %s; not quoting", a->symbol, fmt_key, detail);
	a->api->logf(a->ctx, TH_LOG_ERROR, "%s", text);
	mm_publish_msg(a, "explanation", text);
}

int mm_learn_scales(mm_agent *a, int32_t price_scale, int32_t qty_scale)
{
	if (a->disabled)
		return -1;
	if (a->b.have_scales)
		return a->b.price_scale == price_scale && a->b.qty_scale == qty_scale ? 0 : -1;
	if (price_scale < 0 || price_scale > TH_SCALE_MAX || qty_scale < 0 || qty_scale > TH_SCALE_MAX)
		return -1;
	th_price tick = 1;
	th_qty lot = 1, qty, maxp;
	if (a->tick8 > 0 && exact_rescale(a->tick8, price_scale, &tick) != 0) {
		disable(a, "key 'tick'", "has more digits than the instrument's price scale");
		return -1;
	}
	if (a->lot8 > 0 && exact_rescale(a->lot8, qty_scale, &lot) != 0) {
		disable(a, "key 'lot'", "has more digits than the instrument's quantity scale");
		return -1;
	}
	if (exact_rescale(a->qty8, qty_scale, &qty) != 0 || qty <= 0 || qty % lot != 0) {
		disable(a, "key 'order_qty'", "is not a positive multiple of the lot at the instrument's quantity scale");
		return -1;
	}
	if (th_fixed_rescale(a->max_pos8, 8, qty_scale, &maxp) != 0) {
		disable(a, "key 'max_position'", "does not fit the instrument's quantity scale");
		return -1;
	}
	a->tick = tick;
	a->lot = lot;
	a->order_qty = qty;
	a->max_pos = maxp;
	a->b.price_scale = price_scale;
	a->b.qty_scale = qty_scale;
	a->b.have_scales = 1;
	return 0;
}

void mm_vol_push(mm_agent *a, double r_bps, double dt_s)
{
	double m_r2, m_dt;
	if (!isfinite(r_bps) || !isfinite(r_bps * r_bps) || !isfinite(dt_s) || dt_s <= 0)
		return; /* both windows must take the same samples: refuse before either sees it */
	int rc1 = th_ta_sma_update(&a->mean_r2, r_bps * r_bps, &m_r2);
	int rc2 = th_ta_sma_update(&a->mean_dt, dt_s, &m_dt);
	a->ring[a->b.samples_seen % a->vol_window] = (mm_sample){ r_bps, dt_s };
	a->b.samples_seen++;
	if (rc1 == 1 && rc2 == 1 && m_dt > 0 && m_r2 >= 0) {
		a->sigma = sqrt(m_r2 / m_dt);
		a->sigma_ready = isfinite(a->sigma);
	}
}

/* One volatility sample per quote that moved the clock: the mid's return in
 * bp and the seconds it took. Quotes arrive at irregular times, so sigma is
 * the realized volatility sqrt(sum r^2 / sum dt) in bp per sqrt(second)
 * rather than a stdev of returns each scaled by its own sqrt(dt) (which two
 * quotes a millisecond apart would blow up). Quotes at the same instant only
 * move the reference forward. */
static void sample_mid(mm_agent *a, th_price mid2, int64_t t_ns)
{
	mm_book *b = &a->b;
	if (b->ref_mid2 > 0 && t_ns > b->ref_ns) {
		double r_bps = 1e4 * (double)(mid2 - b->ref_mid2) / (double)b->ref_mid2;
		mm_vol_push(a, r_bps, (double)(t_ns - b->ref_ns) / 1e9);
	} else if (b->ref_mid2 > 0) {
		return; /* same instant: keep the older reference so the next sample spans both */
	}
	b->ref_mid2 = mid2;
	b->ref_ns = t_ns;
}

static void on_quote(void *arg, const th_event *ev)
{
	mm_agent *a = arg;
	const th_quote *q = &ev->u.quote;
	th_price mid2;
	if (q->bid <= 0 || q->ask <= q->bid || __builtin_add_overflow(q->bid, q->ask, &mid2))
		return; /* one-sided or crossed touch: nothing to quote around */
	if (mm_learn_scales(a, q->price_scale, q->qty_scale) != 0)
		return;
	a->b.bid = q->bid;
	a->b.ask = q->ask;
	sample_mid(a, mid2, ev->h.ts_ns ? ev->h.ts_ns : a->api->now_ns(a->ctx));
	if (!a->sigma_ready)
		return; /* warm-up: not enough mid returns for a volatility yet */
	if (a->b.quoted_mid2 == 0) {
		mm_refresh(a, 1, "first quotes after warm-up");
		return;
	}
	double moved = 1e4 * fabs((double)(mid2 - a->b.quoted_mid2)) / (double)a->b.quoted_mid2;
	if (moved > a->requote_bps) {
		char why[96];
		snprintf(why, sizeof why, "mid moved %.2f bp > %.2f bp", moved, a->requote_bps);
		mm_refresh(a, 1, why);
	}
}

static void on_timer(void *arg, uint64_t id)
{
	(void)id;
	mm_agent *a = arg;
	if (a->b.quoted_mid2 != 0)
		mm_refresh(a, 1, "refresh timer");
}

/* ------------------------------------------------------------- lifecycle */

static int cfg_err(const th_host_api *api, th_ctx *ctx, const char *key, const char *why)
{
	api->set_error(ctx, "market_maker: key '%s': %s", key, why);
	return TH_ERR_INVALID;
}

static int read_config(mm_agent *a)
{
	const th_host_api *api = a->api;
	th_ctx *ctx = a->ctx;
	int64_t window, refresh_ms;
	if (api->config_string(ctx, "symbol", &a->symbol) != TH_OK || !a->symbol[0] ||
		strlen(a->symbol) >= TH_SYMBOL_MAX)
		return cfg_err(api, ctx, "symbol", "required, 1 to 23 characters");
	if (api->config_string(ctx, "venue", &a->venue) != TH_OK || !a->venue[0] || strlen(a->venue) >= TH_VENUE_MAX)
		return cfg_err(api, ctx, "venue", "1 to 15 characters");
	if (api->config_decimal(ctx, "order_qty", 8, &a->qty8) != TH_OK || a->qty8 <= 0)
		return cfg_err(api, ctx, "order_qty", "must be a decimal > 0 with at most 8 fractional digits");
	if (api->config_decimal(ctx, "max_position", 8, &a->max_pos8) != TH_OK || a->max_pos8 < a->qty8)
		return cfg_err(api, ctx, "max_position", "must be a decimal >= order_qty (else no side could ever be quoted)");
	if (api->config_decimal(ctx, "tick", 8, &a->tick8) != TH_OK || a->tick8 < 0)
		return cfg_err(api, ctx, "tick", "must be a decimal >= 0 with at most 8 fractional digits");
	if (api->config_decimal(ctx, "lot", 8, &a->lot8) != TH_OK || a->lot8 < 0)
		return cfg_err(api, ctx, "lot", "must be a decimal >= 0 with at most 8 fractional digits");
	if (a->lot8 > 0 && a->qty8 % a->lot8 != 0)
		return cfg_err(api, ctx, "order_qty", "must be a multiple of lot");
	mm_params *p = &a->params;
	if (api->config_double(ctx, "gamma", &p->gamma) != TH_OK || !isfinite(p->gamma) || p->gamma <= 0)
		return cfg_err(api, ctx, "gamma", "must be a number > 0");
	if (api->config_double(ctx, "kappa", &p->kappa) != TH_OK || !isfinite(p->kappa) || p->kappa <= 0)
		return cfg_err(api, ctx, "kappa", "must be a number > 0");
	if (api->config_double(ctx, "horizon_seconds", &p->horizon_s) != TH_OK || !isfinite(p->horizon_s) ||
		p->horizon_s <= 0)
		return cfg_err(api, ctx, "horizon_seconds", "must be a number > 0");
	if (api->config_double(ctx, "min_spread_bps", &p->min_spread_bps) != TH_OK || !(p->min_spread_bps >= 0) ||
		p->min_spread_bps > MM_MAX_SPREAD_BPS)
		return cfg_err(api, ctx, "min_spread_bps", "must be within 0..5000");
	if (api->config_double(ctx, "max_spread_bps", &p->max_spread_bps) != TH_OK || !(p->max_spread_bps >= 0) ||
		p->max_spread_bps > MM_MAX_SPREAD_BPS)
		return cfg_err(api, ctx, "max_spread_bps", "must be within 0..5000");
	if (p->max_spread_bps < p->min_spread_bps)
		return cfg_err(api, ctx, "max_spread_bps", "must be >= min_spread_bps");
	if (api->config_double(ctx, "max_skew_bps", &p->max_skew_bps) != TH_OK || !(p->max_skew_bps >= 0) ||
		p->max_skew_bps > MM_MAX_SKEW_BPS)
		return cfg_err(api, ctx, "max_skew_bps", "must be within 0..2500");
	if (api->config_double(ctx, "requote_bps", &a->requote_bps) != TH_OK || !(a->requote_bps >= 0) ||
		a->requote_bps > 10000)
		return cfg_err(api, ctx, "requote_bps", "must be within 0..10000");
	if (api->config_int(ctx, "vol_window", &window) != TH_OK || window < 2 || window > 100000)
		return cfg_err(api, ctx, "vol_window", "must be within 2..100000");
	if (api->config_int(ctx, "refresh_ms", &refresh_ms) != TH_OK || refresh_ms < 0 || refresh_ms > 86400000)
		return cfg_err(api, ctx, "refresh_ms", "must be within 0..86400000");
	a->vol_window = (uint32_t)window;
	a->refresh_ns = refresh_ms * NS_PER_MS;
	return TH_OK;
}

static void free_agent(mm_agent *a)
{
	th_ta_sma_free(&a->mean_r2);
	th_ta_sma_free(&a->mean_dt);
	if (a->ring)
		a->api->free(a->ctx, a->ring);
	a->api->free(a->ctx, a);
}

static int s_create(const th_host_api *api, th_ctx *ctx, void **out)
{
	mm_agent *a = api->alloc(ctx, sizeof *a);
	if (!a)
		return TH_ERR_NOMEM;
	memset(a, 0, sizeof *a);
	a->api = api;
	a->ctx = ctx;
	int rc = read_config(a);
	if (rc != TH_OK) {
		free_agent(a);
		return rc;
	}
	th_ta_error terr;
	if (th_ta_sma_init(&a->mean_r2, a->vol_window, &terr) != TH_TA_OK ||
		th_ta_sma_init(&a->mean_dt, a->vol_window, &terr) != TH_TA_OK) {
		api->set_error(ctx, "market_maker: key 'vol_window': %s", terr.msg);
		free_agent(a);
		return TH_ERR_INVALID;
	}
	a->ring = api->alloc(ctx, a->vol_window * sizeof *a->ring);
	if (!a->ring) {
		free_agent(a);
		return TH_ERR_NOMEM;
	}
	*out = a;
	return TH_OK;
}

static int s_start(void *arg)
{
	mm_agent *a = arg;
	uint64_t id;
	th_subscription quotes = { .topics = TH_TOPIC(TH_EV_QUOTE), .venue = a->venue, .symbol = a->symbol };
	th_subscription own = { .topics = TH_TOPIC(TH_EV_ORDER) | TH_TOPIC(TH_EV_FILL) | TH_TOPIC(TH_EV_RISK),
		.agent = a->api->instance_name(a->ctx) };
	int rc = a->api->subscribe(a->ctx, &quotes, on_quote, a, &id);
	if (rc == TH_OK)
		rc = a->api->subscribe(a->ctx, &own, mm_on_own_event, a, &id);
	if (rc == TH_OK && a->refresh_ns > 0)
		rc = a->api->timer_add(a->ctx, a->refresh_ns, a->refresh_ns, on_timer, a, &a->timer_id);
	if (rc != TH_OK)
		a->api->set_error(a->ctx, "market_maker: cannot subscribe or start the refresh timer (%d)", rc);
	return rc;
}

/* Working quotes are left alone: in a hot reload the new generation takes
 * them over (export/import); on shutdown the host's order policy applies. */
static int s_stop(void *arg)
{
	(void)arg;
	return TH_OK;
}

static void s_destroy(void *arg)
{
	free_agent(arg);
}

static const char *slot_text(const mm_slot *s)
{
	static const char *const names[] = { "idle", "placing", "working", "canceling" };
	return s->state <= MM_CANCELING ? names[s->state] : "?";
}

static int s_explain(void *arg, char *buf, size_t cap)
{
	mm_agent *a = arg;
	const mm_book *b = &a->b;
	if (!b->have_scales || !a->sigma_ready) {
		snprintf(buf, cap, "%s on %s: warming up, %llu of %u mid-return samples%s", a->symbol, a->venue,
			(unsigned long long)b->samples_seen, a->vol_window, a->disabled ? " (disabled: see the log)" : "");
		return TH_OK;
	}
	char pos[32], bid[32], ask[32];
	th_fixed_format(b->position, b->qty_scale, pos, sizeof pos);
	th_fixed_format(b->slots[MM_BID].price, b->price_scale, bid, sizeof bid);
	th_fixed_format(b->slots[MM_ASK].price, b->price_scale, ask, sizeof ask);
	snprintf(buf, cap,
		"%s on %s: sigma %.3f bp/sqrt(s), position %s; bid %s %s, ask %s %s; %llu placed, %llu canceled, %llu "
		"fills, %llu refused",
		a->symbol, a->venue, a->sigma, pos, slot_text(&b->slots[MM_BID]), b->slots[MM_BID].state ? bid : "-",
		slot_text(&b->slots[MM_ASK]), b->slots[MM_ASK].state ? ask : "-", (unsigned long long)b->placed,
		(unsigned long long)b->canceled, (unsigned long long)b->fills, (unsigned long long)b->refused);
	return TH_OK;
}

static const th_strategy_api strategy_api = { .struct_size = sizeof(th_strategy_api), .explain = s_explain };

static const th_plugin_desc desc = {
	TH_PLUGIN_HEADER(TH_KIND_STRATEGY, "market_maker"),
	.version = "1.0.0",
	.description = "market making: inventory-aware post-only quotes around an Avellaneda-Stoikov reservation price",
	.config_schema = schema,
	.create = s_create,
	.start = s_start,
	.stop = s_stop,
	.destroy = s_destroy,
	.export_state = mm_export,
	.import_state = mm_import,
	.kind_api = &strategy_api,
};

TH_PLUGIN_DEFINE(desc)
