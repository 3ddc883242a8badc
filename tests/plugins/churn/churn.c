/*
 * churn — a test-only strategy that trades as much as it can, so the crash
 * test (tests/integration/crash) always has orders in every phase of their
 * life when the host is killed:
 *   - on every bar it sends a market order: buy `qty` when it believes it is
 *     flat, sell everything it believes it holds when long;
 *   - every `limit_every` bars it places a GTC limit buy `offset_bps` below
 *     the close (rounded down to the tick) and, once it has two or more
 *     resting, cancels the oldest, so cancels are in flight too.
 *
 * Its position is only what the OMS's re-published fills told it in this
 * process: after a restart it starts from zero and learns from new fills
 * (including those of orders the OMS reconciles). It never sells more than
 * that, so it can never go short even though the venue may hold more.
 * Everything is driven by bars: the same market gives the same intents.
 */
#include <stdio.h>
#include <string.h>
#include <tradehost/tradehost.h>

#define CHURN_MAX_RESTING 16
/* Tags of the client order ids the agent puts on its own intents: the OMS
 * replaces them with its own ids, but echoes them when it rejects an intent. */
#define CHURN_TAG_MARKET "cm"
#define CHURN_TAG_LIMIT "cl"

typedef struct churn {
	const th_host_api *api;
	th_ctx *ctx;
	const char *symbol, *venue;
	th_qty qty8;                  /* configured quantity at scale 8 */
	th_price tick;                /* at tick_scale */
	int64_t offset_bps, limit_every;
	th_qty position;              /* believed: sum of this process's OMS fills */
	uint64_t bars, next_intent;
	int market_pending;           /* a market order is in flight: wait for its outcome */
	char market_tag[TH_CLORD_MAX];/* our id on that intent (echoed on rejection) */
	char market_clid[TH_CLORD_MAX];/* the OMS's id for it, once announced */
	char resting[CHURN_MAX_RESTING][TH_CLORD_MAX]; /* our open limit orders, oldest first */
	size_t nresting;
	uint64_t sent_market, sent_limit, sent_cancel, rejected;
} churn;

static const th_config_field schema[] = {
	{ "symbol", TH_CONFIG_STRING, 1, NULL, NULL, NULL, "instrument to trade, e.g. \"BTC-USDT\"" },
	{ "venue", TH_CONFIG_STRING, 0, "\"sim\"", NULL, NULL, "venue instance to trade on" },
	{ "qty", TH_CONFIG_DECIMAL, 0, "\"0.01\"", "0", NULL, "quantity of each buy" },
	{ "tick", TH_CONFIG_DECIMAL, 0, "\"0.01\"", "0", NULL, "the venue's price increment (limit prices are multiples)" },
	{ "offset_bps", TH_CONFIG_INT, 0, "200", "1", "9999", "limit buys rest this far below the close" },
	{ "limit_every", TH_CONFIG_INT, 0, "3", "1", "1000", "place a limit buy every this many bars" },
	TH_CONFIG_END,
};

static int is_terminal(uint32_t s)
{
	return s == TH_ORDER_FILLED || s == TH_ORDER_CANCELED || s == TH_ORDER_REJECTED || s == TH_ORDER_EXPIRED;
}

static void intent_init(churn *c, th_event *ev, uint32_t action)
{
	th_event_init(ev, TH_EV_INTENT);
	memset(&ev->u.intent, 0, sizeof ev->u.intent);
	th_strlcpy(ev->h.venue, c->venue, sizeof ev->h.venue);
	th_strlcpy(ev->h.symbol, c->symbol, sizeof ev->h.symbol);
	ev->u.intent.intent_id = ++c->next_intent;
	ev->u.intent.action = action;
	th_strlcpy(ev->u.intent.order.symbol, c->symbol, sizeof ev->u.intent.order.symbol);
}

static void send_market(churn *c, const th_bar *b, uint32_t side, th_qty qty)
{
	th_event ev;
	intent_init(c, &ev, TH_INTENT_PLACE);
	th_order *o = &ev.u.intent.order;
	snprintf(o->client_order_id, sizeof o->client_order_id, CHURN_TAG_MARKET "%llu",
		(unsigned long long)ev.u.intent.intent_id);
	o->side = side;
	o->type = TH_ORDER_MARKET;
	o->tif = TH_TIF_IOC;
	o->qty = qty;
	o->price_scale = b->price_scale;
	o->qty_scale = b->qty_scale;
	if (c->api->publish(c->ctx, &ev) != TH_OK)
		return; /* bus full: try again at the next bar */
	c->market_pending = 1;
	th_strlcpy(c->market_tag, o->client_order_id, sizeof c->market_tag);
	c->market_clid[0] = '\0';
	c->sent_market++;
}

static void send_limit_buy(churn *c, const th_bar *b, th_qty qty)
{
	th_price tick, px;
	if (th_fixed_rescale(c->tick, 8, b->price_scale, &tick) != 0 || tick <= 0)
		return;
	if (th_fixed_muldiv(b->close, 10000 - c->offset_bps, 10000, &px) != 0)
		return;
	px -= px % tick;
	if (px <= 0)
		return;
	th_event ev;
	intent_init(c, &ev, TH_INTENT_PLACE);
	th_order *o = &ev.u.intent.order;
	snprintf(o->client_order_id, sizeof o->client_order_id, CHURN_TAG_LIMIT "%llu",
		(unsigned long long)ev.u.intent.intent_id);
	o->side = TH_SIDE_BUY;
	o->type = TH_ORDER_LIMIT;
	o->tif = TH_TIF_GTC;
	o->price = px;
	o->qty = qty;
	o->price_scale = b->price_scale;
	o->qty_scale = b->qty_scale;
	if (c->api->publish(c->ctx, &ev) == TH_OK)
		c->sent_limit++;
}

static void forget_resting(churn *c, size_t i)
{
	memmove(&c->resting[i], &c->resting[i + 1], (c->nresting - i - 1) * sizeof c->resting[0]);
	c->nresting--;
}

/* Cancel the oldest resting limit order. It leaves the list at once: if the
 * cancel loses the race against a fill, the fill still reaches us. */
static void cancel_oldest(churn *c)
{
	th_event ev;
	intent_init(c, &ev, TH_INTENT_CANCEL);
	th_strlcpy(ev.u.intent.order.client_order_id, c->resting[0], sizeof ev.u.intent.order.client_order_id);
	if (c->api->publish(c->ctx, &ev) != TH_OK)
		return;
	forget_resting(c, 0);
	c->sent_cancel++;
}

static void on_bar(void *arg, const th_event *ev)
{
	churn *c = arg;
	const th_bar *b = &ev->u.bar;
	th_qty qty;
	c->bars++;
	if (th_fixed_rescale(c->qty8, 8, b->qty_scale, &qty) != 0 || qty <= 0)
		return;
	if (!c->market_pending) {
		if (c->position > 0)
			send_market(c, b, TH_SIDE_SELL, c->position);
		else
			send_market(c, b, TH_SIDE_BUY, qty);
	}
	if (c->bars % (uint64_t)c->limit_every == 0) {
		if (c->nresting >= 2)
			cancel_oldest(c);
		send_limit_buy(c, b, qty);
	}
}

static void on_order_update(churn *c, const th_order_update *u)
{
	/* Our own tag: the OMS (or the pipeline) refused the intent outright. */
	if (strncmp(u->client_order_id, CHURN_TAG_MARKET, 2) == 0 ||
		strncmp(u->client_order_id, CHURN_TAG_LIMIT, 2) == 0) {
		c->rejected++;
		if (c->market_pending && strcmp(u->client_order_id, c->market_tag) == 0)
			c->market_pending = 0;
		return;
	}
	if (u->price == 0) {
		/* A market order. A new one is announced SUBMITTED (orders the OMS
		 * reconciles after a restart never are), so that is ours in flight. */
		if (c->market_pending && !c->market_clid[0] && u->state == TH_ORDER_SUBMITTED)
			th_strlcpy(c->market_clid, u->client_order_id, sizeof c->market_clid);
		if (c->market_pending && strcmp(u->client_order_id, c->market_clid) == 0 && is_terminal(u->state))
			c->market_pending = 0;
		return;
	}
	/* A limit order (ours, or one of an earlier process the OMS reconciled). */
	size_t i;
	for (i = 0; i < c->nresting && strcmp(c->resting[i], u->client_order_id) != 0; i++)
		;
	if (is_terminal(u->state)) {
		if (i < c->nresting)
			forget_resting(c, i);
	} else if (i == c->nresting && c->nresting < CHURN_MAX_RESTING) {
		th_strlcpy(c->resting[c->nresting++], u->client_order_id, sizeof c->resting[0]);
	}
}

/* The OMS re-publishes fills and order outcomes with h.agent = us. */
static void on_own(void *arg, const th_event *ev)
{
	churn *c = arg;
	if (!(ev->h.flags & TH_EVENT_FLAG_OMS))
		return;
	if (ev->h.type == TH_EV_FILL)
		c->position += ev->u.fill.side == TH_SIDE_BUY ? ev->u.fill.qty : -ev->u.fill.qty;
	else if (ev->h.type == TH_EV_ORDER)
		on_order_update(c, &ev->u.order);
}

static int c_create(const th_host_api *api, th_ctx *ctx, void **out)
{
	churn *c = api->alloc(ctx, sizeof *c);
	if (!c) {
		api->set_error(ctx, "churn: out of memory");
		return TH_ERR_NOMEM;
	}
	memset(c, 0, sizeof *c);
	c->api = api;
	c->ctx = ctx;
	const char *what = NULL;
	if (api->config_string(ctx, "symbol", &c->symbol) != TH_OK || !c->symbol || !c->symbol[0])
		what = "symbol: missing or empty";
	else if (api->config_string(ctx, "venue", &c->venue) != TH_OK || !c->venue || !c->venue[0])
		what = "venue: missing or empty";
	else if (api->config_decimal(ctx, "qty", 8, &c->qty8) != TH_OK || c->qty8 <= 0)
		what = "qty: must be a positive decimal with at most 8 fractional digits";
	else if (api->config_decimal(ctx, "tick", 8, &c->tick) != TH_OK || c->tick <= 0)
		what = "tick: must be a positive decimal with at most 8 fractional digits";
	else if (api->config_int(ctx, "offset_bps", &c->offset_bps) != TH_OK || c->offset_bps < 1 ||
		c->offset_bps > 9999)
		what = "offset_bps: must be 1..9999";
	else if (api->config_int(ctx, "limit_every", &c->limit_every) != TH_OK || c->limit_every < 1)
		what = "limit_every: must be at least 1";
	if (what) {
		api->set_error(ctx, "churn: %s", what);
		api->free(ctx, c);
		return TH_ERR_INVALID;
	}
	*out = c;
	return TH_OK;
}

static int c_start(void *arg)
{
	churn *c = arg;
	uint64_t id;
	th_subscription bars = { .topics = TH_TOPIC(TH_EV_BAR), .venue = c->venue, .symbol = c->symbol };
	th_subscription own = { .topics = TH_TOPIC(TH_EV_FILL) | TH_TOPIC(TH_EV_ORDER),
		.agent = c->api->instance_name(c->ctx) };
	int rc = c->api->subscribe(c->ctx, &bars, on_bar, c, &id);
	return rc != TH_OK ? rc : c->api->subscribe(c->ctx, &own, on_own, c, &id);
}

static int c_stop(void *arg)
{
	churn *c = arg;
	c->api->logf(c->ctx, TH_LOG_INFO,
		"churn: %llu bars, sent %llu market, %llu limit, %llu cancel; %llu refused; believed position %lld",
		(unsigned long long)c->bars, (unsigned long long)c->sent_market, (unsigned long long)c->sent_limit,
		(unsigned long long)c->sent_cancel, (unsigned long long)c->rejected, (long long)c->position);
	return TH_OK;
}

static void c_destroy(void *arg)
{
	churn *c = arg;
	if (c)
		c->api->free(c->ctx, c);
}

static const th_strategy_api strategy_api = { .struct_size = sizeof(th_strategy_api) };

static const th_plugin_desc desc = {
	TH_PLUGIN_HEADER(TH_KIND_STRATEGY, "churn"),
	.version = "1.0.0",
	.description = "test only: trades on every bar and keeps limit orders and cancels in flight",
	.config_schema = schema,
	.create = c_create,
	.start = c_start,
	.stop = c_stop,
	.destroy = c_destroy,
	.kind_api = &strategy_api,
};

TH_PLUGIN_DEFINE(desc)
