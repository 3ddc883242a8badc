/*
 * example_exchange — a venue that accepts every order and never fills it.
 * Shows the exchange table: calls are asynchronous, results travel back as
 * TH_EV_ORDER events, and a query for an unknown id answers TH_ORDER_ABSENT
 * (never a guess).
 */
#include <stdlib.h>
#include <string.h>
#include <tradehost/tradehost.h>

#define MAX_ORDERS 1024

typedef struct venue {
	const th_host_api *api;
	th_ctx *ctx;
	th_instrument instrument;
	th_order orders[MAX_ORDERS];
	uint32_t state[MAX_ORDERS];
	size_t n;
} venue;

static const th_config_field schema[] = {
	{ "symbol", TH_CONFIG_STRING, 0, "\"BTC-USDT\"", NULL, NULL, "the one instrument this venue lists" },
	TH_CONFIG_END,
};

static void report(venue *v, const th_order *o, uint32_t state, const char *reason)
{
	th_event ev;
	th_event_init(&ev, TH_EV_ORDER);
	memset(&ev.u.order, 0, sizeof ev.u.order);
	th_strlcpy(ev.h.venue, v->api->instance_name(v->ctx), sizeof ev.h.venue);
	th_strlcpy(ev.h.symbol, o ? o->symbol : "", sizeof ev.h.symbol);
	if (o) {
		th_strlcpy(ev.u.order.client_order_id, o->client_order_id, sizeof ev.u.order.client_order_id);
		ev.u.order.side = o->side;
		ev.u.order.qty = o->qty;
		ev.u.order.price = o->price;
	}
	ev.u.order.state = state;
	th_strlcpy(ev.u.order.reason, reason, sizeof ev.u.order.reason);
	v->api->publish(v->ctx, &ev);
}

static int find(const venue *v, const char *clid)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->orders[i].client_order_id, clid) == 0)
			return (int)i;
	return -1;
}

static int x_instruments(void *arg, const th_instrument **out, size_t *count)
{
	venue *v = arg;
	*out = &v->instrument;
	*count = 1;
	return TH_OK;
}

static int x_submit(void *arg, const th_order *o)
{
	venue *v = arg;
	int i = find(v, o->client_order_id);
	if (i >= 0) { /* idempotent: a resend reports the existing order */
		report(v, &v->orders[i], v->state[i], "");
		return TH_OK;
	}
	if (v->n == MAX_ORDERS) {
		report(v, o, TH_ORDER_REJECTED, "venue full");
		return TH_OK;
	}
	v->orders[v->n] = *o;
	v->state[v->n] = TH_ORDER_ACCEPTED;
	v->n++;
	report(v, o, TH_ORDER_ACCEPTED, "");
	return TH_OK;
}

static int x_cancel(void *arg, const char *clid)
{
	venue *v = arg;
	int i = find(v, clid);
	if (i < 0)
		return TH_ERR_NOT_FOUND;
	v->state[i] = TH_ORDER_CANCELED;
	report(v, &v->orders[i], TH_ORDER_CANCELED, "canceled by request");
	return TH_OK;
}

static int x_query(void *arg, const char *clid)
{
	venue *v = arg;
	int i = find(v, clid);
	if (i < 0) {
		th_order unknown = { 0 };
		th_strlcpy(unknown.client_order_id, clid, sizeof unknown.client_order_id);
		report(v, &unknown, TH_ORDER_ABSENT, "no such order");
	} else {
		report(v, &v->orders[i], v->state[i], "");
	}
	return TH_OK;
}

static const th_exchange_api xapi = {
	.struct_size = sizeof(th_exchange_api),
	.instruments = x_instruments,
	.submit = x_submit,
	.cancel = x_cancel,
	.query = x_query,
};

static int v_create(const th_host_api *api, th_ctx *ctx, void **out)
{
	venue *v = calloc(1, sizeof *v);
	const char *sym;
	if (!v)
		return TH_ERR_NOMEM;
	v->api = api;
	v->ctx = ctx;
	api->config_string(ctx, "symbol", &sym);
	th_strlcpy(v->instrument.venue, api->instance_name(ctx), sizeof v->instrument.venue);
	th_strlcpy(v->instrument.symbol, sym, sizeof v->instrument.symbol);
	v->instrument.price_scale = 2;
	v->instrument.qty_scale = 6;
	v->instrument.tick = 1;
	v->instrument.lot = 1;
	*out = v;
	return TH_OK;
}

static int v_start(void *arg) { (void)arg; return TH_OK; }
static int v_stop(void *arg) { (void)arg; return TH_OK; }
static void v_destroy(void *arg) { free(arg); }

static const th_plugin_desc desc = {
	TH_PLUGIN_HEADER(TH_KIND_EXCHANGE, "example_exchange"),
	.version = "1.0.0",
	.description = "example: a venue that accepts orders and never fills",
	.config_schema = schema,
	.create = v_create,
	.start = v_start,
	.stop = v_stop,
	.destroy = v_destroy,
	.kind_api = &xapi,
};

TH_PLUGIN_DEFINE(desc)
