/*
 * limits — compliance limits as a risk plugin: the descriptor, the instance
 * lifecycle and check(), which runs the rules cheapest first and stops at the
 * first denial. Everything check() reads is either in the intent, a single
 * host call (instrument, last price, wallet figures), or a cache that order
 * and fill events invalidate, so a check does not allocate in steady state.
 */
#include <string.h>

#include "lim_internal.h"

static const char *const needed_slots =
	"instrument, last_price, wallet_stats, positions, open_orders, agent_farm";

static int host_has_slots(const th_host_api *api)
{
	return TH_HOST_HAS(api, instrument) && TH_HOST_HAS(api, last_price) && TH_HOST_HAS(api, wallet_stats) &&
		TH_HOST_HAS(api, positions) && TH_HOST_HAS(api, open_orders) && TH_HOST_HAS(api, agent_farm);
}

static void lim_release(lim *L)
{
	lim_config_free(L);
	lim_marks_free(L);
	lim_books_free(L);
	lim_orders_free(L);
	lim_rates_free(L);
	L->api->free(L->ctx, L);
}

static int lim_create(const th_host_api *api, th_ctx *ctx, void **out)
{
	if (!host_has_slots(api)) {
		api->set_error(ctx, "limits needs the host's ABI 1.1 portfolio slots (%s)", needed_slots);
		return TH_ERR_UNSUPPORTED;
	}
	lim *L = api->alloc(ctx, sizeof *L);
	if (!L)
		return TH_ERR_NOMEM;
	memset(L, 0, sizeof *L);
	L->api = api;
	L->ctx = ctx;
	lim_map_init(&L->marks.index, api, ctx);
	lim_map_init(&L->book_index, api, ctx);
	lim_map_init(&L->rate_index, api, ctx);
	int rc = lim_config_load(L);
	if (rc != TH_OK) {
		lim_release(L);
		return rc;
	}
	L->have_metrics =
		api->metric_register(ctx, TH_METRIC_COUNTER, "limits_checks_total", "intents checked", &L->m_checks) == TH_OK &&
		api->metric_register(ctx, TH_METRIC_COUNTER, "limits_denials_total", "intents denied", &L->m_denials) == TH_OK;
	*out = L;
	return TH_OK;
}

/* Any order or fill may have changed the open orders; only fills move
 * positions. (Both the venue's raw events and the OMS's re-published ones
 * count: whichever comes first invalidates.) */
static void on_trading_event(void *arg, const th_event *ev)
{
	lim *L = arg;
	if (ev->h.type == TH_EV_FILL)
		L->gen_positions++;
	L->gen_orders++;
	L->active_since_refresh = 1;
}

/* Every half cache_max_age_ms: aged caches are re-read here, between
 * checks, instead of inside the check that finds them aged — but only when
 * a check or a trading event happened since the last run. With neither,
 * nobody used the copies and nothing announced a change: re-reading them
 * again is wasted work (and in a backtest, where a bar's time step fires
 * every period it spans — 120 runs per one-minute bar at the default age —
 * it was most of the replay). A check after such a quiet spell re-reads an
 * aged copy itself, as before. */
static void on_refresh(void *arg, uint64_t id)
{
	lim *L = arg;
	(void)id;
	if (!L->active_since_refresh)
		return;
	L->active_since_refresh = 0;
	int64_t now = L->api->now_ns(L->ctx);
	lim_books_refresh(L, now, L->cache_max_age_ns / 2);
	lim_orders_refresh(L, now, L->cache_max_age_ns / 2);
}

static int lim_start(void *arg)
{
	lim *L = arg;
	th_subscription s = { .topics = TH_TOPIC(TH_EV_ORDER) | TH_TOPIC(TH_EV_FILL) };
	if (L->api->subscribe(L->ctx, &s, on_trading_event, L, &L->sub_events) == TH_OK) {
		L->subscribed_events = 1;
	} else {
		/* without invalidation events the caches would go stale: read every time */
		L->cache_max_age_ns = 0;
		L->api->logf(L->ctx, TH_LOG_WARN, "limits: no order/fill subscription; positions are re-read on every check");
	}
	if (L->cache_max_age_ns > 0) {
		int64_t half = L->cache_max_age_ns / 2 > 0 ? L->cache_max_age_ns / 2 : 1;
		/* without the timer, check() keeps re-reading aged caches itself */
		L->refresh_running = L->api->timer_add(L->ctx, half, half, on_refresh, L, &L->refresh_timer) == TH_OK;
	}
	if (L->any_hhi) {
		th_subscription m = { .topics = TH_TOPIC(TH_EV_TRADE) | TH_TOPIC(TH_EV_BAR) };
		if (L->api->subscribe(L->ctx, &m, lim_on_market, L, &L->sub_market) != TH_OK) {
			L->api->set_error(L->ctx, "limits: cannot subscribe to trades and bars (needed by the HHI rules)");
			return TH_ERR;
		}
		L->subscribed_market = 1;
	}
	return TH_OK;
}

static int lim_stop(void *arg)
{
	lim *L = arg;
	if (L->subscribed_events)
		L->api->unsubscribe(L->ctx, L->sub_events);
	if (L->subscribed_market)
		L->api->unsubscribe(L->ctx, L->sub_market);
	if (L->refresh_running)
		L->api->timer_cancel(L->ctx, L->refresh_timer);
	L->subscribed_events = L->subscribed_market = L->refresh_running = 0;
	return TH_OK;
}

static void lim_destroy(void *arg)
{
	lim *L = arg;
	if (!L)
		return;
	/* destroyed without a stop (a replaced instance): its timer must not fire on freed memory */
	if (L->refresh_running)
		L->api->timer_cancel(L->ctx, L->refresh_timer);
	lim_release(L);
}

/* Fill the per-check context; 1 (denied) if the intent lacks what every rule needs. */
static int prepare(lim *L, const th_event *ev, lim_chk *c, th_risk_verdict *v)
{
	c->ev = ev;
	c->o = &ev->u.intent.order;
	c->agent = ev->h.agent;
	c->venue = ev->h.venue;
	c->farm = ev->u.intent.farm;
	if (!memchr(ev->h.agent, 0, sizeof ev->h.agent) || !memchr(ev->h.venue, 0, sizeof ev->h.venue) ||
		!memchr(c->o->symbol, 0, sizeof c->o->symbol) || !memchr(ev->u.intent.farm, 0, sizeof ev->u.intent.farm))
		return lim_deny(v, TH_RISK_ERROR, "limits: intent has an unterminated name");
	if (!c->agent[0])
		return lim_deny(v, TH_RISK_ERROR, "limits: intent without an agent");
	if (!c->farm[0]) {
		const char *f = L->api->agent_farm(L->ctx, c->agent);
		c->farm = f ? f : "";
	}
	if (lim_inst_key(c->key, c->venue, c->o->symbol) != 0)
		return lim_deny(v, TH_RISK_CONFORMITY, "conformity: intent without a venue or symbol");
	c->now_ns = L->api->now_ns(L->ctx);
	lim_resolve(L, c->agent, c->farm, c->key, c->eff);
	return 0;
}

static int run_rules(lim *L, lim_chk *c, lim_rate **rec, th_risk_verdict *v)
{
	return lim_rule_restricted(L, c, v) || lim_rule_sanity(c, v) || lim_rule_conformity(L, c, v) ||
		lim_rule_price_band(L, c, v) || lim_rule_order_notional(L, c, v) || lim_rule_self_trade(L, c, v) ||
		lim_rule_open_orders(L, c, v) || lim_rule_rate(L, c, rec, v) ||
		lim_rule_post_trade(L, c, LIM_LEVEL_AGENT, c->agent, v) ||
		(c->farm[0] && lim_rule_post_trade(L, c, LIM_LEVEL_FARM, c->farm, v)) ||
		lim_rule_post_trade(L, c, LIM_LEVEL_HOST, "total", v);
}

static int lim_check(void *arg, const th_event *ev, th_risk_verdict *v)
{
	lim *L = arg;
	lim_chk c;
	lim_rate *rec = NULL;
	memset(v, 0, sizeof *v);
	L->active_since_refresh = 1;
	if (L->have_metrics)
		L->api->metric_add(L->ctx, L->m_checks, 1);
	if (!ev || ev->h.type != TH_EV_INTENT) {
		lim_deny(v, TH_RISK_ERROR, "limits: not an intent");
	} else if (ev->u.intent.action != TH_INTENT_PLACE) {
		v->approved = 1; /* cancels only ever reduce risk */
		return TH_OK;
	} else {
		memset(&c, 0, sizeof c);
		if (!prepare(L, ev, &c, v) && !run_rules(L, &c, &rec, v)) {
			if (rec && lim_rate_record(L, rec, c.now_ns) != TH_OK) {
				lim_deny(v, TH_RISK_ERROR, "order rate: out of memory");
			} else {
				v->approved = 1;
				/* the OMS places it before the next check: open orders changed */
				L->gen_orders++;
				return TH_OK;
			}
		}
	}
	if (L->have_metrics)
		L->api->metric_add(L->ctx, L->m_denials, 1);
	return TH_OK;
}

static const th_risk_api lim_risk_api = { .struct_size = sizeof(th_risk_api), .check = lim_check };

static const th_plugin_desc lim_desc = {
	TH_PLUGIN_HEADER(TH_KIND_RISK, "limits"),
	.version = "1.0.0",
	.description = "compliance limits: notional, position, exposure, concentration, rate, price band, "
		"conformity, restricted list, self-trade, open orders, leverage",
	.config_schema = lim_schema,
	.create = lim_create,
	.start = lim_start,
	.stop = lim_stop,
	.destroy = lim_destroy,
	.export_state = lim_export_state,
	.import_state = lim_import_state,
	.kind_api = &lim_risk_api,
};

TH_PLUGIN_DEFINE(lim_desc)
