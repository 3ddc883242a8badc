/* Farms, agents and wallets. Every change goes through the OMS (transfer,
 * allocation, rebalance, pause) so it is journaled and survives a restart;
 * nothing here writes to the capital hierarchy directly. */
#include <stdio.h>
#include <string.h>

#include "api/api_internal.h"
#include "oms/oms.h"
#include "trading/trading_coord.h"

/* A ratio from the configuration as decimal text (not money). */
static void ratio_text(double w, char *buf, size_t cap)
{
	if (!(w >= 0) || w > 1e9)
		w = 0;
	snprintf(buf, cap, "%.6f", w);
	size_t n = strlen(buf);
	while (n > 1 && buf[n - 1] == '0' && buf[n - 2] != '.')
		buf[--n] = '\0';
}

static const trading_farm_cfg *farm_cfg(const api *a, const char *name)
{
	for (size_t i = 0; a->tcfg && i < a->tcfg->nfarms; i++)
		if (strcmp(a->tcfg->farms[i].name, name) == 0)
			return &a->tcfg->farms[i];
	return NULL;
}

static size_t farm_agent_count(const api *a, const char *farm)
{
	const host_config *hc = host_get_config(a->host);
	size_t n = 0;
	for (size_t i = 0; i < hc->ninstances; i++)
		n += strcmp(hc->instances[i].farm, farm) == 0;
	return n;
}

json_t *api_wallet_json(api *a, const char *name)
{
	capital_stats st;
	if (capital_stats_get(a->capital, name, &st) != TH_OK)
		return NULL;
	char weight[32] = "1";
	if (st.kind == CAPITAL_KIND_FARM) {
		const trading_farm_cfg *f = farm_cfg(a, name);
		ratio_text(f ? f->weight : 0, weight, sizeof weight);
	} else if (st.kind == CAPITAL_KIND_AGENT) {
		/* agents share their farm by its rule; the configured split is equal */
		size_t n = farm_agent_count(a, st.parent);
		ratio_text(n ? 1.0 / (double)n : 0, weight, sizeof weight);
	}
	return api_json_wallet(&st, api_track_peak(a, name, st.equity), weight);
}

static int worst_state(api *a, const char *farm, const char *agent)
{
	int s = oms_trading_state(a->oms, TH_SCOPE_HOST, "");
	if (farm && farm[0]) {
		int f = oms_trading_state(a->oms, TH_SCOPE_FARM, farm);
		s = f > s ? f : s;
	}
	if (agent) {
		int g = oms_trading_state(a->oms, TH_SCOPE_AGENT, agent);
		s = g > s ? g : s;
	}
	return s;
}

static json_t *farm_json(api *a, const trading_farm_cfg *f)
{
	const host_config *hc = host_get_config(a->host);
	json_t *agents = json_array();
	for (size_t i = 0; i < hc->ninstances; i++)
		if (strcmp(hc->instances[i].farm, f->name) == 0)
			json_array_append_new(agents, json_string(hc->instances[i].name));
	json_t *wallet = api_wallet_json(a, f->name);
	return json_pack("{s:s, s:s, s:s, s:b, s:o, s:o}", "name", f->name, "coordination",
		coord_mode_name(f->coordination), "state", trade_state_name(worst_state(a, f->name, NULL)), "paused",
		oms_is_paused(a->oms, f->name, NULL), "agents", agents, "wallet", wallet ? wallet : json_object());
}

void api_h_farms(api *a, http_request *req, const json_t *body)
{
	(void)body;
	json_t *list = json_array();
	for (size_t i = 0; i < a->tcfg->nfarms; i++)
		json_array_append_new(list, farm_json(a, &a->tcfg->farms[i]));
	api_reply(req, 200, json_pack("{s:o}", "farms", list));
}

void api_h_farm(api *a, http_request *req, const json_t *body)
{
	(void)body;
	const char *name = http_request_param(req, "name");
	const trading_farm_cfg *f = farm_cfg(a, name);
	if (!f) {
		api_error(req, 404, "not_found", "no farm named \"%.40s\"", name);
		return;
	}
	api_reply(req, 200, farm_json(a, f));
}

static void set_paused(api *a, http_request *req, const char *name, int farm, int paused)
{
	if (oms_set_paused(a->oms, name, paused) != TH_OK) {
		api_error(req, 409, "conflict", "cannot %s %s %s (the journal refused the record)", paused ? "pause" : "resume",
			farm ? "farm" : "agent", name);
		return;
	}
	api_reply(req, 200, json_pack("{s:s, s:b}", "name", name, "paused", paused));
}

void api_h_farm_pause(api *a, http_request *req, const json_t *body)
{
	(void)body;
	const char *name = http_request_param(req, "name");
	if (!farm_cfg(a, name)) {
		api_error(req, 404, "not_found", "no farm named \"%.40s\"", name);
		return;
	}
	set_paused(a, req, name, 1, 1);
}

void api_h_farm_resume(api *a, http_request *req, const json_t *body)
{
	(void)body;
	const char *name = http_request_param(req, "name");
	if (!farm_cfg(a, name)) {
		api_error(req, 404, "not_found", "no farm named \"%.40s\"", name);
		return;
	}
	set_paused(a, req, name, 1, 0);
}

static const host_instance_cfg *agent_cfg(const api *a, const char *name)
{
	const host_config *hc = host_get_config(a->host);
	for (size_t i = 0; i < hc->ninstances; i++)
		if (hc->instances[i].farm[0] && strcmp(hc->instances[i].name, name) == 0)
			return &hc->instances[i];
	return NULL;
}

static int instance_running(const api *a, const char *name)
{
	for (size_t i = 0; i < host_instance_count(a->host); i++) {
		host_instance_info in;
		if (host_instance_info_at(a->host, i, &in) == 0 && strcmp(in.name, name) == 0)
			return in.running;
	}
	return 0;
}

static json_t *agent_json(api *a, const host_instance_cfg *ic)
{
	json_t *wallet = api_wallet_json(a, ic->name);
	return json_pack("{s:s, s:s, s:s, s:b, s:b, s:s, s:o}", "name", ic->name, "farm", ic->farm, "plugin", ic->plugin,
		"running", instance_running(a, ic->name), "paused", oms_is_paused(a->oms, ic->name, ic->farm), "state",
		trade_state_name(worst_state(a, ic->farm, ic->name)), "wallet", wallet ? wallet : json_object());
}

void api_h_agents(api *a, http_request *req, const json_t *body)
{
	(void)body;
	const host_config *hc = host_get_config(a->host);
	json_t *list = json_array();
	for (size_t i = 0; i < hc->ninstances; i++)
		if (hc->instances[i].farm[0])
			json_array_append_new(list, agent_json(a, &hc->instances[i]));
	api_reply(req, 200, json_pack("{s:o}", "agents", list));
}

void api_h_agent(api *a, http_request *req, const json_t *body)
{
	(void)body;
	const char *name = http_request_param(req, "name");
	const host_instance_cfg *ic = agent_cfg(a, name);
	if (!ic) {
		api_error(req, 404, "not_found", "no agent named \"%.40s\"", name);
		return;
	}
	json_t *j = agent_json(a, ic), *positions = json_array();
	capital_position pos[64];
	size_t n = capital_positions(a->capital, name, 0, pos, 64);
	for (size_t i = 0; i < n && i < 64; i++)
		json_array_append_new(positions, api_json_position(name, &pos[i]));
	capital_stats st;
	size_t open = capital_stats_get(a->capital, name, &st) == TH_OK ? st.open_orders : 0;
	json_object_set_new(j, "positions", positions);
	json_object_set_new(j, "open_orders", json_integer((json_int_t)open));
	api_reply(req, 200, j);
}

void api_h_agent_pause(api *a, http_request *req, const json_t *body)
{
	(void)body;
	const char *name = http_request_param(req, "name");
	if (!agent_cfg(a, name)) {
		api_error(req, 404, "not_found", "no agent named \"%.40s\"", name);
		return;
	}
	set_paused(a, req, name, 0, 1);
}

void api_h_agent_resume(api *a, http_request *req, const json_t *body)
{
	(void)body;
	const char *name = http_request_param(req, "name");
	if (!agent_cfg(a, name)) {
		api_error(req, 404, "not_found", "no agent named \"%.40s\"", name);
		return;
	}
	set_paused(a, req, name, 0, 0);
}

static json_t *wallet_list(api *a)
{
	json_t *list = json_array();
	json_t *m = api_wallet_json(a, CAPITAL_MASTER_NAME);
	if (m)
		json_array_append_new(list, m);
	char farms[64][TH_NAME_MAX], agents[256][TH_NAME_MAX];
	size_t nf = capital_children(a->capital, CAPITAL_MASTER_NAME, farms, 64);
	for (size_t i = 0; i < nf && i < 64; i++) {
		json_t *w = api_wallet_json(a, farms[i]);
		if (w)
			json_array_append_new(list, w);
	}
	for (size_t i = 0; i < nf && i < 64; i++) {
		size_t na = capital_children(a->capital, farms[i], agents, 256);
		for (size_t k = 0; k < na && k < 256; k++) {
			json_t *w = api_wallet_json(a, agents[k]);
			if (w)
				json_array_append_new(list, w);
		}
	}
	/* The host as a whole, as the ledger defines it (master cash + the farms'
	 * equity, PnL and fees of every agent): clients read it here instead of
	 * adding wallets up themselves. */
	json_t *total = api_wallet_json(a, CAPITAL_TOTAL_NAME);
	return json_pack("{s:s, s:o, s:o}", "quote", capital_quote(a->capital), "wallets", list, "total",
		total ? total : json_object());
}

void api_h_wallets(api *a, http_request *req, const json_t *body)
{
	(void)body;
	api_reply(req, 200, wallet_list(a));
}

void api_h_wallet(api *a, http_request *req, const json_t *body)
{
	(void)body;
	const char *name = http_request_param(req, "name");
	json_t *w = api_wallet_json(a, name);
	if (!w) {
		api_error(req, 404, "not_found", "no wallet named \"%.40s\" (master, total, a farm or an agent)", name);
		return;
	}
	api_reply(req, 200, w);
}

static int known_wallet(api *a, http_request *req, const char *field, const char *name)
{
	if (capital_kind_of(a->capital, name, NULL, 0) < 0) {
		api_error(req, 404, "not_found", "%s: no wallet named \"%.40s\"", field, name);
		return 0;
	}
	return 1;
}

void api_h_transfer(api *a, http_request *req, const json_t *body)
{
	const char *from = api_body_str(body, "from"), *to = api_body_str(body, "to");
	th_money amount;
	char err[256];
	if (!known_wallet(a, req, "from", from) || !known_wallet(a, req, "to", to))
		return;
	api_decimal_parse(api_body_str(body, "amount"), TH_MONEY_SCALE, &amount);
	if (oms_allocate(a->oms, from, to, amount, err, sizeof err) != TH_OK) {
		api_error(req, 409, "conflict", "transfer %s -> %s refused: %s", from, to, err);
		return;
	}
	json_t *jf = api_wallet_json(a, from), *jt = api_wallet_json(a, to);
	api_reply(req, 200, json_pack("{s:o, s:o}", "from", jf ? jf : json_object(), "to", jt ? jt : json_object()));
}

void api_h_allocation(api *a, http_request *req, const json_t *body)
{
	const char *name = http_request_param(req, "name");
	th_money amount;
	char err[256];
	int kind = capital_kind_of(a->capital, name, NULL, 0);
	if (kind < 0) {
		api_error(req, 404, "not_found", "no wallet named \"%.40s\"", name);
		return;
	}
	if (kind != CAPITAL_KIND_FARM && kind != CAPITAL_KIND_AGENT) {
		api_error(req, 409, "conflict", "%s has no allocation: only farms and agents are allocated capital", name);
		return;
	}
	api_decimal_parse(api_body_str(body, "amount"), TH_MONEY_SCALE, &amount);
	if (oms_set_allocation(a->oms, name, amount, err, sizeof err) != TH_OK) {
		api_error(req, 409, "conflict", "allocation of %s refused: %s", name, err);
		return;
	}
	api_reply(req, 200, api_wallet_json(a, name));
}

void api_h_rebalance(api *a, http_request *req, const json_t *body)
{
	const char *scope = api_body_str(body, "scope"), *rule_s = api_body_str(body, "rule");
	int rule;
	const trading_farm_cfg *f = NULL;
	if (strcmp(scope, CAPITAL_MASTER_NAME) != 0 && !(f = farm_cfg(a, scope))) {
		api_error(req, 404, "not_found", "scope: \"%.40s\" is neither \"master\" nor a farm", scope);
		return;
	}
	/* the configured rules are stored as CAPITAL_RULE_* - 1, as trading_rebalance uses them */
	rule = f ? f->rule + 1 : a->tcfg->master_rule + 1;
	if (rule_s && strcmp(rule_s, "configured") != 0)
		rule = !strcmp(rule_s, "fixed") ? CAPITAL_RULE_FIXED : !strcmp(rule_s, "equal") ? CAPITAL_RULE_EQUAL
			: !strcmp(rule_s, "perf_sharpe") ? CAPITAL_RULE_PERF_SHARPE : CAPITAL_RULE_PERF_INVVOL;
	char err[256];
	if (oms_rebalance(a->oms, scope, rule, host_now_ns(a->host), err, sizeof err) != TH_OK) {
		api_error(req, 409, "conflict", "rebalance of %s refused: %s", scope, err);
		return;
	}
	api_reply(req, 200, wallet_list(a));
}
