/*
 * example_risk — a risk model that denies any intent whose quantity exceeds a
 * configured maximum. Shows the risk table: check() fills a verdict with a
 * reason code and a message; it must be fast and never block.
 */
#include <stdio.h>
#include <stdlib.h>
#include <tradehost/tradehost.h>

typedef struct model {
	const th_host_api *api;
	th_ctx *ctx;
	th_qty max_qty;  /* at scale 8; rescaled to the order's qty scale per check */
	uint32_t denied_metric;
} model;

static const th_config_field schema[] = {
	{ "max_qty", TH_CONFIG_DECIMAL, 1, NULL, "0", NULL, "largest quantity one order may have" },
	TH_CONFIG_END,
};

static int r_check(void *arg, const th_event *intent, th_risk_verdict *v)
{
	model *m = arg;
	const th_order *o = &intent->u.intent.order;
	th_qty limit;
	if (th_fixed_rescale(m->max_qty, 8, o->qty_scale, &limit) != 0 || o->qty > limit) {
		v->approved = 0;
		v->reason_code = TH_RISK_POSITION;
		snprintf(v->message, sizeof v->message, "quantity above max_qty");
		m->api->metric_add(m->ctx, m->denied_metric, 1);
		return TH_OK;
	}
	v->approved = 1;
	return TH_OK;
}

static const th_risk_api risk_api = { .struct_size = sizeof(th_risk_api), .check = r_check };

static int r_create(const th_host_api *api, th_ctx *ctx, void **out)
{
	model *m = calloc(1, sizeof *m);
	if (!m)
		return TH_ERR_NOMEM;
	m->api = api;
	m->ctx = ctx;
	if (api->config_decimal(ctx, "max_qty", 8, &m->max_qty) != TH_OK ||
		api->metric_register(ctx, TH_METRIC_COUNTER, "example_denied_total", "intents denied", &m->denied_metric) != TH_OK) {
		free(m);
		return TH_ERR_INVALID;
	}
	*out = m;
	return TH_OK;
}

static int r_start(void *arg) { (void)arg; return TH_OK; }
static int r_stop(void *arg) { (void)arg; return TH_OK; }
static void r_destroy(void *arg) { free(arg); }

static const th_plugin_desc desc = {
	TH_PLUGIN_HEADER(TH_KIND_RISK, "example_risk"),
	.version = "1.0.0",
	.description = "example: deny orders above a maximum quantity",
	.config_schema = schema,
	.create = r_create,
	.start = r_start,
	.stop = r_stop,
	.destroy = r_destroy,
	.kind_api = &risk_api,
};

TH_PLUGIN_DEFINE(desc)
