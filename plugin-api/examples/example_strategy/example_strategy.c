/*
 * example_strategy — the smallest useful strategy agent: a moving-average
 * crossover on bars. It shows the parts every strategy has: a config schema,
 * create/start/stop/destroy, a bus subscription, fixed-point arithmetic, and
 * publishing an intent together with the explanation of why.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tradehost/tradehost.h>

#define MAX_PERIOD 256

typedef struct agent {
	const th_host_api *api;
	th_ctx *ctx;
	const char *symbol;
	int64_t fast, slow;
	th_qty qty;               /* at scale 8; rescaled to the bar's qty_scale per order */
	th_price closes[MAX_PERIOD];
	int64_t count;
	int last_sign;            /* +1 fast above slow, -1 below, 0 unknown */
	uint64_t next_intent;
} agent;

static const th_config_field schema[] = {
	{ "symbol", TH_CONFIG_STRING, 1, NULL, NULL, NULL, "instrument to trade, e.g. \"BTC-USDT\"" },
	{ "fast", TH_CONFIG_INT, 0, "5", "1", "255", "fast moving-average period (bars)" },
	{ "slow", TH_CONFIG_INT, 0, "20", "2", "256", "slow moving-average period (bars); must exceed fast" },
	{ "qty", TH_CONFIG_DECIMAL, 0, "0.01", "0", NULL, "order quantity" },
	TH_CONFIG_END,
};

/* Sum of the last n closes (n <= count); fixed point, no double. */
static th_price sum_last(const agent *a, int64_t n)
{
	th_price s = 0;
	for (int64_t i = 0; i < n; i++)
		s += a->closes[(a->count - 1 - i) % MAX_PERIOD];
	return s;
}

static void on_bar(void *arg, const th_event *ev)
{
	agent *a = arg;
	const th_bar *b = &ev->u.bar;
	a->closes[a->count % MAX_PERIOD] = b->close;
	a->count++;
	if (a->count < a->slow)
		return; /* not enough history: no signal, never garbage */
	/* Compare fast/slow averages without division: fast_sum*slow vs slow_sum*fast. */
	__extension__ __int128 lhs = (__int128)sum_last(a, a->fast) * a->slow;
	__extension__ __int128 rhs = (__int128)sum_last(a, a->slow) * a->fast;
	int sign = lhs > rhs ? 1 : lhs < rhs ? -1 : 0;
	int crossed = sign != 0 && a->last_sign != 0 && sign != a->last_sign;
	if (sign != 0)
		a->last_sign = sign;
	if (!crossed)
		return;
	th_event intent;
	th_event_init(&intent, TH_EV_INTENT);
	memset(&intent.u.intent, 0, sizeof intent.u.intent);
	th_strlcpy(intent.h.venue, ev->h.venue, sizeof intent.h.venue);
	th_strlcpy(intent.h.symbol, a->symbol, sizeof intent.h.symbol);
	intent.u.intent.intent_id = ++a->next_intent;
	th_order *o = &intent.u.intent.order;
	th_strlcpy(o->symbol, a->symbol, sizeof o->symbol);
	o->side = sign > 0 ? TH_SIDE_BUY : TH_SIDE_SELL;
	o->type = TH_ORDER_MARKET;
	o->tif = TH_TIF_IOC;
	if (th_fixed_rescale(a->qty, 8, b->qty_scale, &o->qty) != 0 || o->qty <= 0)
		return; /* the configured qty does not fit this instrument's scale */
	o->price_scale = b->price_scale;
	o->qty_scale = b->qty_scale;
	a->api->publish(a->ctx, &intent);

	th_event msg;
	th_event_init(&msg, TH_EV_AGENT_MSG);
	th_strlcpy(msg.h.symbol, a->symbol, sizeof msg.h.symbol);
	th_strlcpy(msg.u.agent_msg.kind, "explanation", sizeof msg.u.agent_msg.kind);
	snprintf(msg.u.agent_msg.text, sizeof msg.u.agent_msg.text, "SMA(%lld) crossed %s SMA(%lld): %s",
		(long long)a->fast, sign > 0 ? "above" : "below", (long long)a->slow, sign > 0 ? "buy" : "sell");
	a->api->publish(a->ctx, &msg);
}

static int s_create(const th_host_api *api, th_ctx *ctx, void **out)
{
	agent *a = calloc(1, sizeof *a);
	if (!a)
		return TH_ERR_NOMEM;
	a->api = api;
	a->ctx = ctx;
	api->config_string(ctx, "symbol", &a->symbol);
	api->config_int(ctx, "fast", &a->fast);
	api->config_int(ctx, "slow", &a->slow);
	if (a->slow <= a->fast) {
		api->set_error(ctx, "slow (%lld) must be greater than fast (%lld)", (long long)a->slow, (long long)a->fast);
		free(a);
		return TH_ERR_INVALID;
	}
	if (api->config_decimal(ctx, "qty", 8, &a->qty) != TH_OK) {
		free(a);
		return TH_ERR_INVALID;
	}
	*out = a;
	return TH_OK;
}

static int s_start(void *arg)
{
	agent *a = arg;
	th_subscription sub = { .topics = TH_TOPIC(TH_EV_BAR), .symbol = a->symbol };
	uint64_t id;
	return a->api->subscribe(a->ctx, &sub, on_bar, a, &id);
}

static int s_stop(void *arg)
{
	(void)arg;
	return TH_OK; /* the host drops our subscription */
}

static void s_destroy(void *arg)
{
	free(arg);
}

static const th_plugin_desc desc = {
	TH_PLUGIN_HEADER(TH_KIND_STRATEGY, "example_strategy"),
	.version = "1.0.0",
	.description = "example: moving-average crossover on bars",
	.config_schema = schema,
	.create = s_create,
	.start = s_start,
	.stop = s_stop,
	.destroy = s_destroy,
};

TH_PLUGIN_DEFINE(desc)
