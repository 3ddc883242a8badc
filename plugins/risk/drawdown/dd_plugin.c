/*
 * drawdown — risk plugin: drawdown breakers per agent, per farm and for the
 * host, each with soft (scale down), hard (REDUCING + de-leverage) and kill
 * (HALTED + flatten) levels. See README.md for the rules.
 *
 * This file is the lifecycle: create reads and checks the configuration,
 * sizes every buffer (check() never allocates) and restores the breaker table
 * from the host state store; start arms the evaluation tick; stop persists.
 */
#include <stdio.h>
#include <string.h>

#include "dd_config.h"
#include "dd_internal.h"
#include "dd_persist.h"
#include "dd_table.h"

static const th_risk_api dd_risk_api = { .struct_size = sizeof(th_risk_api), .check = dd_check };

/* The ABI 1.1 slots the breaker cannot work without, by name for the error. */
static int require_slots(const th_host_api *api, th_ctx *ctx)
{
	const char *missing = NULL;
	if (!TH_HOST_HAS(api, instrument))
		missing = "instrument";
	else if (!TH_HOST_HAS(api, wallet_stats))
		missing = "wallet_stats";
	else if (!TH_HOST_HAS(api, positions))
		missing = "positions";
	else if (!TH_HOST_HAS(api, open_orders))
		missing = "open_orders";
	else if (!TH_HOST_HAS(api, agent_farm))
		missing = "agent_farm";
	else if (!TH_HOST_HAS(api, trading_state))
		missing = "trading_state";
	else if (!TH_HOST_HAS(api, set_trading_state))
		missing = "set_trading_state";
	else if (!TH_HOST_HAS(api, reduce_exposure))
		missing = "reduce_exposure";
	if (missing) {
		api->set_error(ctx, "drawdown: the host lacks the ABI 1.1 slot %s() (host ABI %u.%u)", missing,
			(unsigned)api->abi_major, (unsigned)api->abi_minor);
		return TH_ERR_UNSUPPORTED;
	}
	return TH_OK;
}

static void model_free(dd_model *m)
{
	const th_host_api *api = m->api;
	th_ctx *ctx = m->ctx;
	dd_table_free(&m->table, api, ctx);
	api->free(ctx, m->pos_buf);
	api->free(ctx, m->ord_buf);
	api->free(ctx, m->blob);
	api->free(ctx, m);
}

static int register_metrics(dd_model *m)
{
	const th_host_api *api = m->api;
	dd_metrics *x = &m->metric;
	if (api->metric_register(m->ctx, TH_METRIC_COUNTER, "drawdown_trips_total", "breaker levels tripped", &x->trips) ||
	    api->metric_register(m->ctx, TH_METRIC_COUNTER, "drawdown_rearms_total", "breaker levels re-armed", &x->rearms) ||
	    api->metric_register(m->ctx, TH_METRIC_COUNTER, "drawdown_denied_total", "intents denied", &x->denied) ||
	    api->metric_register(m->ctx, TH_METRIC_COUNTER, "drawdown_scaled_total", "intents scaled down at the soft level",
		    &x->scaled) ||
	    api->metric_register(m->ctx, TH_METRIC_COUNTER, "drawdown_deleverage_steps_total",
		    "reduce_exposure calls (hard steps and kill flattens)", &x->steps) ||
	    api->metric_register(m->ctx, TH_METRIC_COUNTER, "drawdown_no_data_total", "wallet figures missing", &x->no_data) ||
	    api->metric_register(m->ctx, TH_METRIC_GAUGE, "drawdown_host_ppm", "host drawdown from peak, ppm", &x->host_dd_ppm)) {
		api->set_error(m->ctx, "drawdown: cannot register metrics");
		return TH_ERR;
	}
	return TH_OK;
}

/* Breaker table from the state store (absent on the first start). */
static int restore(dd_model *m)
{
	size_t len = 0;
	char err[160];
	int rc = m->api->state_get(m->ctx, DD_STATE_KEY, m->blob, m->blob_cap, &len);
	if (rc == TH_ERR_NOT_FOUND)
		return TH_OK;
	if (rc == TH_ERR_LIMIT) {
		m->api->set_error(m->ctx, "drawdown: state key %s holds %zu bytes, more than max_scopes = %u allows",
			DD_STATE_KEY, len, (unsigned)m->cfg.max_scopes);
		return TH_ERR_INVALID;
	}
	if (rc != TH_OK) {
		m->api->set_error(m->ctx, "drawdown: cannot read state key %s (%d)", DD_STATE_KEY, rc);
		return rc;
	}
	if (dd_decode(&m->table, m->blob, len, err, sizeof err) != 0) {
		m->api->set_error(m->ctx, "drawdown: state key %s: %s", DD_STATE_KEY, err);
		return TH_ERR_INVALID;
	}
	return TH_OK;
}

/* A restored breaker may have a level latched that this configuration has
 * switched off: it would never re-arm (off levels are not evaluated), so it is
 * dropped now; the trading state follows on the first tick. */
static void drop_disabled_latches(dd_model *m)
{
	for (uint32_t i = 0; i < m->table.count; i++) {
		dd_scope *s = &m->table.scopes[i];
		for (int level = DD_SOFT; level <= DD_KILL; level++) {
			if (m->cfg.level_ppm[s->kind][level - 1] == 0 && (s->latched & DD_BIT(level))) {
				s->latched &= (uint8_t)~DD_BIT(level);
				s->below_since_ns[level - 1] = 0;
				m->dirty = 1;
			}
		}
	}
}

/* Scopes watched from the start: the host and the configured names. */
static int add_watched(dd_model *m, int kind, const char *key)
{
	size_t n = 0;
	if (kind == DD_HOST) {
		if (dd_kind_enabled(&m->cfg, DD_HOST) && !dd_table_add(&m->table, DD_HOST, "", NULL))
			goto full;
		return TH_OK;
	}
	m->api->config_list_len(m->ctx, key, &n); /* validated in dd_config_read */
	for (size_t i = 0; i < n; i++) {
		const char *name;
		int added;
		m->api->config_list_at(m->ctx, key, i, &name);
		if (!dd_table_add(&m->table, kind, name, &added))
			goto full;
		m->dirty |= added;
	}
	return TH_OK;
full:
	m->api->set_error(m->ctx, "drawdown: max_scopes = %u is too small for the watched and restored scopes (%s)",
		(unsigned)m->cfg.max_scopes, key);
	return TH_ERR_INVALID;
}

static int dd_create(const th_host_api *api, th_ctx *ctx, void **out)
{
	dd_config cfg;
	int rc;
	if ((rc = require_slots(api, ctx)) != TH_OK)
		return rc;
	if ((rc = dd_config_read(api, ctx, &cfg)) != TH_OK)
		return rc;
	dd_model *m = api->alloc(ctx, sizeof *m);
	if (!m)
		return TH_ERR_NOMEM;
	memset(m, 0, sizeof *m);
	m->api = api;
	m->ctx = ctx;
	m->cfg = cfg;
	m->blob_cap = dd_blob_cap(cfg.max_scopes);
	m->pos_buf = api->alloc(ctx, (size_t)cfg.scan_max * sizeof *m->pos_buf);
	m->ord_buf = api->alloc(ctx, (size_t)cfg.scan_max * sizeof *m->ord_buf);
	m->blob = api->alloc(ctx, m->blob_cap);
	if (!m->pos_buf || !m->ord_buf || !m->blob || dd_table_init(&m->table, api, ctx, cfg.max_scopes) != TH_OK) {
		api->set_error(ctx, "drawdown: out of memory for max_scopes = %u, position_scan_max = %u",
			(unsigned)cfg.max_scopes, (unsigned)cfg.scan_max);
		model_free(m);
		return TH_ERR_NOMEM;
	}
	if ((rc = register_metrics(m)) != TH_OK || (rc = restore(m)) != TH_OK) {
		model_free(m);
		return rc;
	}
	drop_disabled_latches(m);
	if ((rc = add_watched(m, DD_HOST, "host")) != TH_OK || (rc = add_watched(m, DD_AGENT, "watch_agents")) != TH_OK ||
	    (rc = add_watched(m, DD_FARM, "watch_farms")) != TH_OK) {
		model_free(m);
		return rc;
	}
	m->last_persist_ns = api->now_ns(ctx);
	*out = m;
	return TH_OK;
}

static void on_tick(void *arg, uint64_t timer_id)
{
	(void)timer_id;
	dd_eval_all(arg);
}

static int dd_start(void *instance)
{
	dd_model *m = instance;
	int rc = m->api->timer_add(m->ctx, m->cfg.eval_ns, m->cfg.eval_ns, on_tick, m, &m->tick_timer);
	if (rc != TH_OK) {
		m->api->set_error(m->ctx, "drawdown: cannot start the evaluation timer (%d)", rc);
		return rc;
	}
	m->started = 1;
	dd_eval_soon(m); /* first evaluation right away: restored breakers re-assert their state */
	return TH_OK;
}

static int dd_stop(void *instance)
{
	dd_model *m = instance;
	if (!m->started)
		return TH_OK;
	m->started = 0;
	m->eval_pending = 0; /* the host drops our timers after stop */
	m->api->timer_cancel(m->ctx, m->tick_timer);
	if (m->dirty || m->peak_dirty)
		dd_persist_now(m);
	return TH_OK;
}

static void dd_destroy(void *instance)
{
	model_free(instance);
}

static int dd_export(void *instance, void **data, size_t *len)
{
	dd_model *m = instance;
	uint8_t *buf = m->api->alloc(m->ctx, m->blob_cap);
	if (!buf)
		return TH_ERR_NOMEM;
	*len = dd_encode(&m->table, buf, m->blob_cap);
	*data = buf;
	return TH_OK;
}

static int dd_import(void *instance, const void *data, size_t len)
{
	dd_model *m = instance;
	char err[160];
	if (dd_decode(&m->table, data, len, err, sizeof err) != 0) {
		m->api->set_error(m->ctx, "drawdown: hand-over state: %s", err);
		return TH_ERR_INVALID;
	}
	drop_disabled_latches(m);
	/* The new configuration may watch more names than the old one. */
	if (add_watched(m, DD_HOST, "host") != TH_OK || add_watched(m, DD_AGENT, "watch_agents") != TH_OK ||
	    add_watched(m, DD_FARM, "watch_farms") != TH_OK)
		return TH_ERR_INVALID;
	m->dirty = 1;
	return TH_OK;
}

static const th_plugin_desc dd_desc = {
	TH_PLUGIN_HEADER(TH_KIND_RISK, "drawdown"),
	.version = "1.0.0",
	.description = "drawdown breakers per agent, farm and host: soft scale-down, hard REDUCING + de-leverage, kill HALTED + flatten",
	.config_schema = dd_schema,
	.create = dd_create,
	.start = dd_start,
	.stop = dd_stop,
	.destroy = dd_destroy,
	.export_state = dd_export,
	.import_state = dd_import,
	.kind_api = &dd_risk_api,
};

TH_PLUGIN_DEFINE(dd_desc)
