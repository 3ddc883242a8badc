/*
 * var — portfolio VaR / expected shortfall / stress risk model.
 *
 * Keeps a rolling window of bar returns per instrument and, for the host,
 * every farm and every agent, the scenario P&L of its current positions; an
 * intent is denied when the expected shortfall (97.5 %) after the trade would
 * pass a configured limit. Figures are published as gauges and TH_EV_CUSTOM
 * events. See README.md for the estimators and the configuration.
 *
 * This file is the plugin glue: descriptor, lifecycle, subscriptions, timer,
 * state hand-over.
 */
#include <math.h>
#include <string.h>
#include <tradehost/tradehost.h>

#include "var_check.h"
#include "var_figures.h"
#include "var_model.h"
#include "var_state.h"

static void model_free(var_model *m)
{
	const th_host_api *api = m->api;
	th_ctx *ctx = m->ctx;
	var_scopes_free(m);
	var_hist_free(&m->hist);
	var_release(api, ctx, m->tail);
	var_release(api, ctx, m->scratch);
	api->free(ctx, m);
}

static int v_create(const th_host_api *api, th_ctx *ctx, void **out)
{
	char err[256];
	var_model *m = api->alloc(ctx, sizeof *m);
	if (!m)
		return TH_ERR_NOMEM;
	memset(m, 0, sizeof *m);
	m->api = api;
	m->ctx = ctx;
	if (var_config_load(api, ctx, &m->cfg, err, sizeof err) != 0) {
		api->set_error(ctx, "var: %s", err);
		api->free(ctx, m);
		return TH_ERR_INVALID;
	}
	if (!TH_HOST_HAS(api, positions)) {
		api->set_error(ctx, "var: the host lacks the ABI 1.1 positions() view this model needs");
		api->free(ctx, m);
		return TH_ERR_UNSUPPORTED;
	}
	size_t w = (size_t)m->cfg.window;
	m->sqrt_h = sqrt((double)m->cfg.horizon_bars);
	if (var_hist_init(&m->hist, api, ctx, w, (size_t)m->cfg.max_instruments, m->cfg.bar_interval_ns,
			m->cfg.max_stale_bars) != TH_OK) {
		api->set_error(ctx, "var: out of memory for %lld instruments", (long long)m->cfg.max_instruments);
		api->free(ctx, m);
		return TH_ERR_NOMEM;
	}
	m->tail = api->alloc(ctx, w * sizeof *m->tail);
	m->scratch = api->alloc(ctx, VAR_CHECK_SCOPES * w * sizeof *m->scratch);
	if (var_scopes_init(m) != TH_OK || !m->tail || !m->scratch) {
		api->set_error(ctx, "var: out of memory");
		model_free(m);
		return TH_ERR_NOMEM;
	}
	if (var_figures_register(m) != TH_OK) {
		model_free(m);
		return TH_ERR;
	}
	if (!var_config_has_limits(&m->cfg))
		api->logf(ctx, TH_LOG_WARN, "var: no ES limit configured: figures only, every intent approved");
	*out = m;
	return TH_OK;
}

static void on_bar(void *arg, const th_event *ev)
{
	if (ev->h.type == TH_EV_BAR)
		var_book_on_bar(arg, ev);
}

static void on_fill(void *arg, const th_event *ev)
{
	/* the OMS's re-publication names the agent; the venue's raw one does not */
	if (ev->h.type == TH_EV_FILL && (ev->h.flags & TH_EVENT_FLAG_OMS) && ev->h.agent[0])
		var_scopes_on_fill(arg, ev->h.agent);
}

static void on_timer(void *arg, uint64_t id)
{
	(void)id;
	var_figures_refresh(arg);
}

/* History saved by the last stop, if this instance did not get one by hot reload. */
static void restore(var_model *m)
{
	unsigned char probe[1];
	size_t len = 0;
	int rc = m->api->state_get(m->ctx, VAR_STATE_KEY, probe, sizeof probe, &len);
	if (rc != TH_ERR_LIMIT && rc != TH_OK)
		return;
	void *buf = m->api->alloc(m->ctx, len ? len : 1);
	if (!buf)
		return;
	if (m->api->state_get(m->ctx, VAR_STATE_KEY, buf, len, &len) == TH_OK && var_state_load(m, buf, len) != TH_OK)
		m->api->logf(m->ctx, TH_LOG_WARN, "var: saved history is malformed: starting empty");
	m->api->free(m->ctx, buf);
}

static int v_start(void *arg)
{
	var_model *m = arg;
	th_subscription bars = { .topics = TH_TOPIC(TH_EV_BAR) };
	th_subscription fills = { .topics = TH_TOPIC(TH_EV_FILL) };
	if (!m->hist.started)
		restore(m);
	int rc = m->api->subscribe(m->ctx, &bars, on_bar, m, &m->sub_bar);
	if (rc == TH_OK)
		rc = m->api->subscribe(m->ctx, &fills, on_fill, m, &m->sub_fill);
	if (rc == TH_OK)
		rc = m->api->timer_add(m->ctx, m->cfg.publish_ns, m->cfg.publish_ns, on_timer, m, &m->timer);
	if (rc != TH_OK) {
		m->api->set_error(m->ctx, "var: cannot subscribe to bars and fills or start the refresh timer (%d)", rc);
		return rc;
	}
	var_scope_get(m, VAR_SCOPE_HOST, "", 1);
	m->running = 1;
	return TH_OK;
}

/* Keeps the history for a quick restart when it fits the host's value limit. */
static void persist(var_model *m)
{
	void *data;
	size_t len;
	if (var_state_save(m, &data, &len) != TH_OK)
		return;
	if (len <= ((size_t)1 << 20)) {
		if (m->api->state_put(m->ctx, VAR_STATE_KEY, data, len) != TH_OK)
			m->api->logf(m->ctx, TH_LOG_WARN, "var: history not saved: the next start begins empty");
	} else {
		m->api->logf(m->ctx, TH_LOG_INFO, "var: history of %zu bytes exceeds 1 MiB: not saved", len);
	}
	m->api->free(m->ctx, data);
}

static int v_stop(void *arg)
{
	var_model *m = arg;
	if (!m->running)
		return TH_OK;
	m->running = 0;
	m->api->unsubscribe(m->ctx, m->sub_bar);
	m->api->unsubscribe(m->ctx, m->sub_fill);
	m->api->timer_cancel(m->ctx, m->timer);
	persist(m);
	return TH_OK;
}

static void v_destroy(void *arg)
{
	if (arg)
		model_free(arg);
}

static int v_export(void *arg, void **data, size_t *len)
{
	return var_state_save(arg, data, len);
}

static int v_import(void *arg, const void *data, size_t len)
{
	var_model *m = arg;
	int rc = var_state_load(m, data, len);
	if (rc != TH_OK)
		m->api->set_error(m->ctx, "var: the previous instance's history is malformed");
	return rc;
}

static const th_risk_api risk_api = { .struct_size = sizeof(th_risk_api), .check = var_check };

static const th_plugin_desc desc = {
	TH_PLUGIN_HEADER(TH_KIND_RISK, "var"),
	.version = "1.0.0",
	.description = "portfolio VaR / expected shortfall / stress: denies intents whose post-trade ES passes a limit",
	.config_schema = var_schema,
	.create = v_create,
	.start = v_start,
	.stop = v_stop,
	.destroy = v_destroy,
	.export_state = v_export,
	.import_state = v_import,
	.kind_api = &risk_api,
};

TH_PLUGIN_DEFINE(desc)
