/* Risk: trading states, breaker events, limits and decision counters; the
 * state, kill and resume actions go through the trading layer's operator
 * commands (the same ones the control socket runs), which journal them. */
#include <stdio.h>
#include <string.h>

#include <tradehost/th_risk.h>

#include "api/api_internal.h"
#include "common/log.h"
#include "oms/oms.h"
#include "runtime/metrics_registry.h"

static const char *const reason_names[] = { "approved", "state", "notional", "position", "exposure",
	"concentration", "rate", "price_band", "conformity", "restricted", "self_trade", "open_orders", "leverage", "var",
	"drawdown", "capital", "error", "no_data" };
#define NREASONS (sizeof reason_names / sizeof reason_names[0])

static json_t *risk_instances(api *a, const char *plugin_filter)
{
	const host_config *hc = host_get_config(a->host);
	json_t *o = json_object();
	for (size_t i = 0; i < host_instance_count(a->host); i++) {
		host_instance_info in;
		if (host_instance_info_at(a->host, i, &in) != 0 || strcmp(in.kind, "risk") != 0)
			continue;
		if (plugin_filter && strcmp(in.plugin, plugin_filter) != 0)
			continue;
		const toml_value *cfg = NULL;
		for (size_t k = 0; k < hc->ninstances; k++)
			if (!strcmp(hc->instances[k].name, in.name))
				cfg = hc->instances[k].config;
		json_object_set_new(o, in.name, json_pack("{s:s, s:b, s:o}", "plugin", in.plugin, "running", in.running,
			"config", cfg ? api_toml_json(cfg) : json_object()));
	}
	return o;
}

/* The figures a risk plugin publishes as metrics (host_metrics): gauges
 * documented as "money at scale 8" become decimal strings, others integers. */
static json_t *plugin_figures(api *a, const char *plugin)
{
	const metrics_registry *r = host_metrics(a->host);
	json_t *o = json_object();
	for (size_t i = 0; r && i < metrics_registry_count(r); i++) {
		const metric_series *m = metrics_registry_at(r, i);
		if (strcmp(m->plugin, plugin) != 0)
			continue;
		char key[100];
		snprintf(key, sizeof key, "%s.%s", m->instance, m->name);
		json_object_set_new(o, key, strstr(m->help, "money at scale 8") ? api_json_money(m->value)
			: json_integer((json_int_t)m->value));
	}
	return o;
}

void api_h_risk(api *a, http_request *req, const json_t *body)
{
	(void)body;
	json_t *states = json_array();
	int scope, state;
	const char *name;
	for (size_t i = 0; oms_trading_state_at(a->oms, i, &scope, &name, &state); i++)
		json_array_append_new(states, json_pack("{s:s, s:s, s:s}", "scope", api_scope_name(scope), "name", name,
			"state", trade_state_name(state)));
	json_t *breakers = json_array();
	for (size_t i = 0; i < api_ring_count(&a->risk_events); i++) {
		json_t *e = json_deep_copy(api_ring_at(&a->risk_events, i, NULL));
		json_object_del(e, "kind");
		json_array_append_new(breakers, e);
	}
	json_t *by_reason = json_object();
	for (size_t r = 1; r < NREASONS; r++)
		if (a->risk_by_reason[r])
			json_object_set_new(by_reason, reason_names[r], json_integer((json_int_t)a->risk_by_reason[r]));
	/* VaR / ES figures: what the var plugin publishes as metrics, its
	 * configured limits and the denials it caused */
	json_t *var = json_pack("{s:I, s:o, s:o}", "denied", (json_int_t)a->risk_by_reason[TH_RISK_VAR], "instances",
		risk_instances(a, "var"), "figures", plugin_figures(a, "var"));
	int killed = oms_trading_state(a->oms, TH_SCOPE_HOST, "") == TH_STATE_HALTED;
	api_reply(req, 200, json_pack("{s:b, s:o, s:o, s:o, s:o, s:o, s:{s:I, s:I, s:o}}", "killed", killed, "states",
		states, "breakers", breakers, "var", var, "drawdown", plugin_figures(a, "drawdown"), "limits",
		risk_instances(a, NULL), "decisions", "approved", (json_int_t)a->risk_approved, "denied",
		(json_int_t)a->risk_denied, "by_reason", by_reason));
}

static int known_scope_name(api *a, const char *scope, const char *name)
{
	if (!strcmp(scope, "farm"))
		return capital_kind_of(a->capital, name, NULL, 0) == CAPITAL_KIND_FARM;
	if (!strcmp(scope, "agent"))
		return capital_kind_of(a->capital, name, NULL, 0) == CAPITAL_KIND_AGENT;
	char venue[TH_VENUE_MAX];
	const char *colon = strchr(name, ':');
	if (!colon || (size_t)(colon - name) >= sizeof venue)
		return 0;
	snprintf(venue, sizeof venue, "%.*s", (int)(colon - name), name);
	return api_instrument(a, venue, colon + 1) != NULL;
}

void api_h_risk_state(api *a, http_request *req, const json_t *body)
{
	const char *scope = api_body_str(body, "scope"), *name = api_body_str(body, "name");
	const char *state = api_body_str(body, "state"), *reason = api_body_str(body, "reason");
	int host = !strcmp(scope, "host");
	if (!host && !name) {
		api_error(req, 400, "missing_field", "missing field \"name\": a %s scope needs one", scope);
		return;
	}
	if (!host && !known_scope_name(a, scope, name)) {
		api_error(req, 404, "not_found", "no %s named \"%.40s\"%s", scope, name,
			!strcmp(scope, "instrument") ? " (expected venue:symbol)" : "");
		return;
	}
	char args[160], reply[512];
	snprintf(args, sizeof args, "%s %s %s", scope, host ? "-" : name, state);
	if (host_run_command(a->host, "state", args, reply, sizeof reply) != 0) {
		api_error(req, 409, "conflict", "cannot set the state: %s", reply);
		return;
	}
	if (reason)
		log_msg(TH_LOG_INFO, NULL, "api: %s %s set %s: %s", scope, host ? "" : name, state, reason);
	api_reply(req, 200, json_pack("{s:s, s:s, s:s}", "scope", scope, "name", host ? "" : name, "state", state));
}

void api_h_risk_kill(api *a, http_request *req, const json_t *body)
{
	const char *reason = api_body_str(body, "reason");
	char reply[512] = "";
	size_t canceled = 0;
	if (host_run_command(a->host, "kill", reason ? reason : "", reply, sizeof reply) != 0) {
		api_error(req, 409, "conflict", "kill switch failed: %s", reply);
		return;
	}
	/* "kill switch: trading HALTED for the host, N open order(s) canceled" */
	const char *n = strstr(reply, "host, ");
	if (n)
		sscanf(n + 6, "%zu", &canceled);
	log_msg(TH_LOG_WARN, NULL, "api: kill switch (%s): %s", reason ? reason : "no reason given", reply);
	api_reply(req, 200, json_pack("{s:b, s:I}", "killed", 1, "canceled", (json_int_t)canceled));
}

void api_h_risk_resume(api *a, http_request *req, const json_t *body)
{
	const char *reason = api_body_str(body, "reason");
	char reply[512] = "";
	if (host_run_command(a->host, "resume", "", reply, sizeof reply) != 0) {
		api_error(req, 409, "conflict", "resume failed: %s", reply);
		return;
	}
	log_msg(TH_LOG_INFO, NULL, "api: trading resumed (%s)", reason ? reason : "no reason given");
	api_reply(req, 200, json_pack("{s:b, s:I}", "killed", 0, "canceled", (json_int_t)0));
}
