/*
 * arbitrage — cross-venue arbitrage of one symbol between two venue instances.
 *
 * The agent keeps the touch of `symbol` on `venue_a` and `venue_b`. When
 * buying on one venue's ask and selling on the other's bid earns more than
 * `threshold_bps` after both taker fees (arb_edge.h), it sends both legs at
 * once as IOC limit orders at those prices. When the legs come back unequal
 * (one filled, the other did not, or partly), the difference is the
 * residual: it is hedged at market at once by the configured policy
 * (arb_legs.c). Per-venue positions come from the agent's OMS fills.
 */
#include <stdio.h>
#include <string.h>

#include "arb_internal.h"

#define NS_PER_MS 1000000LL

static const th_config_field schema[] = {
	{ "symbol", TH_CONFIG_STRING, 1, NULL, NULL, NULL, "instrument traded on both venues, e.g. \"BTC-USDT\"" },
	{ "venue_a", TH_CONFIG_STRING, 0, "\"sim\"", NULL, NULL, "first venue instance" },
	{ "venue_b", TH_CONFIG_STRING, 0, "\"sim_b\"", NULL, NULL, "second venue instance (not venue_a)" },
	{ "qty", TH_CONFIG_DECIMAL, 0, "\"0.01\"", "0", NULL, "quantity of each leg (> 0, at most max_residual)" },
	{ "max_position", TH_CONFIG_DECIMAL, 0, "\"0.05\"", "0", NULL,
		"largest |position| on either venue; legs are sized down to stay within it" },
	{ "max_residual", TH_CONFIG_DECIMAL, 0, "\"0.01\"", "0", NULL,
		"largest unhedged net position (venue_a + venue_b) the agent may ever hold (>= qty)" },
	{ "fee_a_bps", TH_CONFIG_DECIMAL, 0, "\"10\"", "-100", "1000", "taker fee on venue_a, bp (4 decimals)" },
	{ "fee_b_bps", TH_CONFIG_DECIMAL, 0, "\"10\"", "-100", "1000", "taker fee on venue_b, bp (4 decimals)" },
	{ "threshold_bps", TH_CONFIG_DECIMAL, 0, "\"1\"", "0", "10000",
		"minimum edge after both fees, bp of the buy price (4 decimals)" },
	{ "residual_policy", TH_CONFIG_STRING, 0, "\"flatten\"", NULL, NULL,
		"flatten (undo the excess at market where it filled) or retry (complete the missing leg at market)" },
	{ "max_hedge_attempts", TH_CONFIG_INT, 0, "3", "1", "100",
		"hedges in a row that may fail before the agent alerts and retries only on its timer" },
	{ "check_ms", TH_CONFIG_INT, 0, "1000", "1", "3600000", "timer period for hedge retries" },
	{ "max_quote_age_ms", TH_CONFIG_INT, 0, "1000", "1", "86400000",
		"a venue's touch older than this is not traded on" },
	{ "cap_to_quote_size", TH_CONFIG_BOOL, 0, "true", NULL, NULL,
		"size legs to at most the displayed quantity at both touches" },
	{ "tick", TH_CONFIG_DECIMAL, 0, "\"0\"", "0", NULL, "price increment; 0 = one unit of the price scale" },
	{ "lot", TH_CONFIG_DECIMAL, 0, "\"0\"", "0", NULL, "quantity increment; 0 = one unit of the quantity scale" },
	TH_CONFIG_END,
};

void arb_publish_msg(arb_agent *a, const char *kind, const char *text)
{
	th_event ev;
	th_event_init(&ev, TH_EV_AGENT_MSG);
	th_strlcpy(ev.h.symbol, a->symbol, sizeof ev.h.symbol);
	th_strlcpy(ev.u.agent_msg.kind, kind, sizeof ev.u.agent_msg.kind);
	th_strlcpy(ev.u.agent_msg.text, text, sizeof ev.u.agent_msg.text);
	a->api->publish(a->ctx, &ev);
	a->api->logf(a->ctx, TH_LOG_DEBUG, "%s: %s", kind, text); /* the same words in a debug log */
}

int arb_venue_index(const arb_agent *a, const char *venue)
{
	return strcmp(venue, a->venue[ARB_A]) == 0 ? ARB_A : strcmp(venue, a->venue[ARB_B]) == 0 ? ARB_B : -1;
}

static int exact_rescale(int64_t v8, int32_t scale, int64_t *out)
{
	int64_t back;
	if (th_fixed_rescale(v8, 8, scale, out) != 0 || th_fixed_rescale(*out, scale, 8, &back) != 0 || back != v8)
		return -1;
	return 0;
}

static int disable(arb_agent *a, const char *key, const char *why)
{
	char text[256];
	a->disabled = 1;
	snprintf(text, sizeof text, "%s: key '%s' %s; not trading", a->symbol, key, why);
	a->api->logf(a->ctx, TH_LOG_ERROR, "%s", text);
	arb_publish_msg(a, "explanation", text);
	return -1;
}

int arb_learn_scales(arb_agent *a, int32_t price_scale, int32_t qty_scale)
{
	if (a->disabled)
		return -1;
	if (a->b.have_scales)
		return a->b.price_scale == price_scale && a->b.qty_scale == qty_scale ? 0 : -1;
	if (price_scale < 0 || price_scale > TH_SCALE_MAX || qty_scale < 0 || qty_scale > TH_SCALE_MAX)
		return -1;
	th_price tick = 1;
	th_qty lot = 1, qty, maxp, maxr;
	if (a->tick8 > 0 && exact_rescale(a->tick8, price_scale, &tick) != 0)
		return disable(a, "tick", "has more digits than the instrument's price scale");
	if (a->lot8 > 0 && exact_rescale(a->lot8, qty_scale, &lot) != 0)
		return disable(a, "lot", "has more digits than the instrument's quantity scale");
	if (exact_rescale(a->qty8, qty_scale, &qty) != 0 || qty <= 0 || qty % lot != 0)
		return disable(a, "qty", "is not a positive multiple of the lot at the instrument's quantity scale");
	if (th_fixed_rescale(a->max_pos8, 8, qty_scale, &maxp) != 0 ||
		th_fixed_rescale(a->max_res8, 8, qty_scale, &maxr) != 0)
		return disable(a, "max_position", "or max_residual does not fit the instrument's quantity scale");
	a->tick = tick;
	a->lot = lot;
	a->qty = qty;
	a->max_pos = maxp;
	a->max_res = maxr;
	a->b.price_scale = price_scale;
	a->b.qty_scale = qty_scale;
	a->b.have_scales = 1;
	return 0;
}

static void on_quote(void *arg, const th_event *ev)
{
	arb_agent *a = arg;
	const th_quote *q = &ev->u.quote;
	int v = arb_venue_index(a, ev->h.venue);
	if (v < 0 || q->bid <= 0 || q->ask <= q->bid)
		return;
	if (arb_learn_scales(a, q->price_scale, q->qty_scale) != 0)
		return; /* another scale than the other venue's: not comparable */
	arb_touch *t = &a->b.touch[v];
	t->bid = q->bid;
	t->ask = q->ask;
	t->bid_qty = q->bid_qty;
	t->ask_qty = q->ask_qty;
	t->ts_ns = ev->h.ts_ns ? ev->h.ts_ns : a->api->now_ns(a->ctx);
	t->valid = 1;
	arb_evaluate(a);
}

static void on_timer(void *arg, uint64_t id)
{
	(void)id;
	arb_check(arg);
}

/* ------------------------------------------------------------- lifecycle */

static int cfg_err(arb_agent *a, const char *key, const char *why)
{
	a->api->set_error(a->ctx, "arbitrage: key '%s': %s", key, why);
	return TH_ERR_INVALID;
}

static int read_config(arb_agent *a)
{
	const th_host_api *api = a->api;
	th_ctx *ctx = a->ctx;
	const char *policy;
	int64_t attempts, check_ms, age_ms;
	if (api->config_string(ctx, "symbol", &a->symbol) != TH_OK || !a->symbol[0] ||
		strlen(a->symbol) >= TH_SYMBOL_MAX)
		return cfg_err(a, "symbol", "required, 1 to 23 characters");
	if (api->config_string(ctx, "venue_a", &a->venue[ARB_A]) != TH_OK || !a->venue[ARB_A][0] ||
		strlen(a->venue[ARB_A]) >= TH_VENUE_MAX)
		return cfg_err(a, "venue_a", "1 to 15 characters");
	if (api->config_string(ctx, "venue_b", &a->venue[ARB_B]) != TH_OK || !a->venue[ARB_B][0] ||
		strlen(a->venue[ARB_B]) >= TH_VENUE_MAX)
		return cfg_err(a, "venue_b", "1 to 15 characters");
	if (strcmp(a->venue[ARB_A], a->venue[ARB_B]) == 0)
		return cfg_err(a, "venue_b", "must name another venue than venue_a");
	if (api->config_decimal(ctx, "qty", 8, &a->qty8) != TH_OK || a->qty8 <= 0)
		return cfg_err(a, "qty", "must be a decimal > 0 with at most 8 fractional digits");
	if (api->config_decimal(ctx, "max_residual", 8, &a->max_res8) != TH_OK || a->max_res8 < a->qty8)
		return cfg_err(a, "max_residual", "must be >= qty (one unfilled leg leaves a residual of up to qty)");
	if (api->config_decimal(ctx, "max_position", 8, &a->max_pos8) != TH_OK || a->max_pos8 < a->qty8)
		return cfg_err(a, "max_position", "must be >= qty");
	if (api->config_decimal(ctx, "tick", 8, &a->tick8) != TH_OK || a->tick8 < 0)
		return cfg_err(a, "tick", "must be a decimal >= 0 with at most 8 fractional digits");
	if (api->config_decimal(ctx, "lot", 8, &a->lot8) != TH_OK || a->lot8 < 0)
		return cfg_err(a, "lot", "must be a decimal >= 0 with at most 8 fractional digits");
	if (a->lot8 > 0 && a->qty8 % a->lot8 != 0)
		return cfg_err(a, "qty", "must be a multiple of lot");
	/* basis points with 4 decimals = units of 10^-8 */
	if (api->config_decimal(ctx, "fee_a_bps", 4, &a->fee[ARB_A]) != TH_OK || a->fee[ARB_A] < -1000000 ||
		a->fee[ARB_A] > 10000000)
		return cfg_err(a, "fee_a_bps", "must be within -100..1000 with at most 4 decimals");
	if (api->config_decimal(ctx, "fee_b_bps", 4, &a->fee[ARB_B]) != TH_OK || a->fee[ARB_B] < -1000000 ||
		a->fee[ARB_B] > 10000000)
		return cfg_err(a, "fee_b_bps", "must be within -100..1000 with at most 4 decimals");
	if (api->config_decimal(ctx, "threshold_bps", 4, &a->threshold) != TH_OK || a->threshold < 0 ||
		a->threshold > ARB_RATE_ONE)
		return cfg_err(a, "threshold_bps", "must be within 0..10000 with at most 4 decimals");
	if (api->config_string(ctx, "residual_policy", &policy) != TH_OK)
		return cfg_err(a, "residual_policy", "must be \"flatten\" or \"retry\"");
	if (strcmp(policy, "flatten") == 0)
		a->policy = ARB_FLATTEN;
	else if (strcmp(policy, "retry") == 0)
		a->policy = ARB_RETRY;
	else
		return cfg_err(a, "residual_policy", "must be \"flatten\" or \"retry\"");
	if (api->config_int(ctx, "max_hedge_attempts", &attempts) != TH_OK || attempts < 1 || attempts > 100)
		return cfg_err(a, "max_hedge_attempts", "must be within 1..100");
	if (api->config_int(ctx, "check_ms", &check_ms) != TH_OK || check_ms < 1 || check_ms > 3600000)
		return cfg_err(a, "check_ms", "must be within 1..3600000");
	if (api->config_int(ctx, "max_quote_age_ms", &age_ms) != TH_OK || age_ms < 1 || age_ms > 86400000)
		return cfg_err(a, "max_quote_age_ms", "must be within 1..86400000");
	if (api->config_bool(ctx, "cap_to_quote_size", &a->cap_to_quote) != TH_OK)
		return cfg_err(a, "cap_to_quote_size", "must be true or false");
	a->max_hedges = (uint32_t)attempts;
	a->check_ns = check_ms * NS_PER_MS;
	a->max_age_ns = age_ms * NS_PER_MS;
	return TH_OK;
}

static int s_create(const th_host_api *api, th_ctx *ctx, void **out)
{
	arb_agent *a = api->alloc(ctx, sizeof *a);
	if (!a)
		return TH_ERR_NOMEM;
	memset(a, 0, sizeof *a);
	a->api = api;
	a->ctx = ctx;
	int rc = read_config(a);
	if (rc != TH_OK) {
		api->free(ctx, a);
		return rc;
	}
	/* metrics are a convenience: an agent without them still trades */
	a->metrics = api->metric_register(ctx, TH_METRIC_COUNTER, "arb_episodes_total", "arbitrage opportunities taken",
			     &a->m_episodes) == TH_OK &&
		api->metric_register(ctx, TH_METRIC_COUNTER, "arb_hedges_total", "residual hedges sent", &a->m_hedges) ==
			TH_OK &&
		api->metric_register(ctx, TH_METRIC_GAUGE, "arb_residual", "net position venue_a + venue_b, qty units",
			&a->m_residual) == TH_OK;
	*out = a;
	return TH_OK;
}

static int s_start(void *arg)
{
	arb_agent *a = arg;
	uint64_t id;
	int rc = TH_OK;
	for (int v = 0; v < 2 && rc == TH_OK; v++) {
		th_subscription quotes = { .topics = TH_TOPIC(TH_EV_QUOTE), .venue = a->venue[v], .symbol = a->symbol };
		rc = a->api->subscribe(a->ctx, &quotes, on_quote, a, &id);
	}
	th_subscription own = { .topics = TH_TOPIC(TH_EV_ORDER) | TH_TOPIC(TH_EV_FILL) | TH_TOPIC(TH_EV_RISK),
		.agent = a->api->instance_name(a->ctx) };
	if (rc == TH_OK)
		rc = a->api->subscribe(a->ctx, &own, arb_on_own_event, a, &id);
	if (rc == TH_OK)
		rc = a->api->timer_add(a->ctx, a->check_ns, a->check_ns, on_timer, a, &id);
	if (rc != TH_OK)
		a->api->set_error(a->ctx, "arbitrage: cannot subscribe or start the check timer (%d)", rc);
	return rc;
}

static int s_stop(void *arg)
{
	(void)arg;
	return TH_OK; /* IOC orders finish on their own; the host drops subscriptions and timers */
}

static void s_destroy(void *arg)
{
	arb_agent *a = arg;
	a->api->free(a->ctx, a);
}

static int s_explain(void *arg, char *buf, size_t cap)
{
	arb_agent *a = arg;
	const arb_book *b = &a->b;
	if (!b->have_scales) {
		snprintf(buf, cap, "%s on %s/%s: waiting for quotes%s", a->symbol, a->venue[ARB_A], a->venue[ARB_B],
			a->disabled ? " (disabled: see the log)" : "");
		return TH_OK;
	}
	char pa[32], pb[32], res[32];
	th_fixed_format(b->pos[ARB_A], b->qty_scale, pa, sizeof pa);
	th_fixed_format(b->pos[ARB_B], b->qty_scale, pb, sizeof pb);
	th_fixed_format(arb_residual(a), b->qty_scale, res, sizeof res);
	snprintf(buf, cap,
		"%s: position %s %s, %s %s, residual %s; %llu opportunities (%llu complete, %llu partial), %llu hedges, %llu "
		"refused; last net edge %.2f bp; %s%s",
		a->symbol, a->venue[ARB_A], pa, a->venue[ARB_B], pb, res, (unsigned long long)b->episodes,
		(unsigned long long)b->full, (unsigned long long)b->partial, (unsigned long long)b->hedges,
		(unsigned long long)b->refused, b->episodes ? b->last.net_bps : 0.0,
		arb_busy(a) ? "orders in flight" : "waiting for an edge",
		b->halted ? "; HALTED: residual hedges keep failing" : "");
	return TH_OK;
}

static const th_strategy_api strategy_api = { .struct_size = sizeof(th_strategy_api), .explain = s_explain };

static const th_plugin_desc desc = {
	TH_PLUGIN_HEADER(TH_KIND_STRATEGY, "arbitrage"),
	.version = "1.0.0",
	.description = "cross-venue arbitrage: buy the cheaper venue, sell the dearer one with IOC legs, hedge residuals",
	.config_schema = schema,
	.create = s_create,
	.start = s_start,
	.stop = s_stop,
	.destroy = s_destroy,
	.export_state = arb_export,
	.import_state = arb_import,
	.kind_api = &strategy_api,
};

TH_PLUGIN_DEFINE(desc)
