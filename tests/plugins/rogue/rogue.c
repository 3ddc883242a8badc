/*
 * Test-only plugins that misbehave on purpose.
 *
 * rogue (strategy): on every bar tries to reach the OMS and the venue other
 * than through an intent — forging a fill and an order event for venue
 * "sim", publishing a risk approval, proposing an intent in another agent's
 * name — and records what the host answered in its state store ("results").
 *
 * failrisk (risk, built from the same file with ROGUE_RISK): its check()
 * fails (mode 1) or spins for a long time (mode 2); the pipeline must deny
 * (fail closed) and raise an alert.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tradehost/tradehost.h>

typedef struct rogue {
	const th_host_api *api;
	th_ctx *ctx;
	int64_t mode, spin;
	int done;
} rogue;

#ifdef ROGUE_RISK
static const th_config_field schema[] = {
	{ "mode", TH_CONFIG_INT, 0, "1", "1", "2", "1: check() fails, 2: check() is slow" },
	{ "spin", TH_CONFIG_INT, 0, "200000000", "0", NULL, "mode 2: loop iterations per check" },
	TH_CONFIG_END,
};

static int r_check(void *arg, const th_event *intent, th_risk_verdict *v)
{
	rogue *r = arg;
	(void)intent;
	if (r->mode == 1)
		return TH_ERR;
	volatile int64_t x = 0;
	for (int64_t i = 0; i < r->spin; i++)
		x += i;
	v->approved = 1;
	return TH_OK;
}

static const th_risk_api kind_api = { .struct_size = sizeof(th_risk_api), .check = r_check };
#define ROGUE_KIND TH_KIND_RISK
#define ROGUE_NAME "failrisk"
#else
static const th_config_field schema[] = { TH_CONFIG_END };

static int forge(rogue *r, th_event_type type, const char *venue)
{
	th_event ev;
	memset(&ev, 0, sizeof ev);
	th_event_init(&ev, type);
	th_strlcpy(ev.h.venue, venue, sizeof ev.h.venue);
	th_strlcpy(ev.h.symbol, "BTC-USDT", sizeof ev.h.symbol);
	if (type == TH_EV_FILL) {
		th_strlcpy(ev.u.fill.client_order_id, "th000000000001", sizeof ev.u.fill.client_order_id);
		th_strlcpy(ev.u.fill.venue_trade_id, "FORGED-1", sizeof ev.u.fill.venue_trade_id);
		ev.u.fill.side = TH_SIDE_BUY;
		ev.u.fill.price = 100;
		ev.u.fill.qty = 10000;
		ev.u.fill.price_scale = 2;
		ev.u.fill.qty_scale = 4;
	} else if (type == TH_EV_ORDER) {
		th_strlcpy(ev.u.order.client_order_id, "th000000000001", sizeof ev.u.order.client_order_id);
		ev.u.order.state = TH_ORDER_FILLED;
	} else if (type == TH_EV_RISK) {
		ev.u.risk.approved = 1;
	}
	return r->api->publish(r->ctx, &ev);
}

static void on_bar(void *arg, const th_event *bar)
{
	rogue *r = arg;
	if (r->done++)
		return;
	int fill = forge(r, TH_EV_FILL, "sim"), order = forge(r, TH_EV_ORDER, "sim"), risk = forge(r, TH_EV_RISK, "");
	int mdata = forge(r, TH_EV_BAR, "sim");
	/* an intent in another agent's name: the host must stamp it as ours */
	th_event in;
	memset(&in, 0, sizeof in);
	th_event_init(&in, TH_EV_INTENT);
	th_strlcpy(in.h.venue, "sim", sizeof in.h.venue);
	th_strlcpy(in.h.agent, "victim", sizeof in.h.agent);
	th_strlcpy(in.u.intent.order.symbol, "BTC-USDT", sizeof in.u.intent.order.symbol);
	in.u.intent.order.side = TH_SIDE_BUY;
	in.u.intent.order.type = TH_ORDER_MARKET;
	in.u.intent.order.tif = TH_TIF_IOC;
	in.u.intent.order.qty = 1;
	in.u.intent.order.price_scale = bar->u.bar.price_scale;
	in.u.intent.order.qty_scale = bar->u.bar.qty_scale;
	int intent = r->api->publish(r->ctx, &in);
	char buf[128];
	int n = snprintf(buf, sizeof buf, "fill=%d order=%d risk=%d bar=%d intent=%d\n", fill, order, risk, mdata, intent);
	r->api->state_put(r->ctx, "results", buf, (size_t)n);
}
#define ROGUE_KIND TH_KIND_STRATEGY
#define ROGUE_NAME "rogue"
#endif

static int p_create(const th_host_api *api, th_ctx *ctx, void **out)
{
	rogue *r = calloc(1, sizeof *r);
	if (!r)
		return TH_ERR_NOMEM;
	r->api = api;
	r->ctx = ctx;
#ifdef ROGUE_RISK
	api->config_int(ctx, "mode", &r->mode);
	api->config_int(ctx, "spin", &r->spin);
#endif
	*out = r;
	return TH_OK;
}

static int p_start(void *arg)
{
#ifndef ROGUE_RISK
	rogue *r = arg;
	uint64_t id;
	th_subscription s = { .topics = TH_TOPIC(TH_EV_BAR) };
	return r->api->subscribe(r->ctx, &s, on_bar, r, &id);
#else
	(void)arg;
	return TH_OK;
#endif
}

static int p_stop(void *arg)
{
	(void)arg;
	return TH_OK;
}

static void p_destroy(void *arg)
{
	free(arg);
}

static const th_plugin_desc desc = {
	TH_PLUGIN_HEADER(ROGUE_KIND, ROGUE_NAME),
	.version = "0.0.1",
	.description = "test-only: misbehaves on purpose",
	.config_schema = schema,
	.create = p_create,
	.start = p_start,
	.stop = p_stop,
	.destroy = p_destroy,
#ifdef ROGUE_RISK
	.kind_api = &kind_api,
#endif
};

TH_PLUGIN_DEFINE(desc)
