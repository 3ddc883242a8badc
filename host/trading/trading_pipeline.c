/* The path of an intent: the agent's farm is stamped on it, then every
 * configured risk instance checks it in order (the first denial stops it;
 * an error counts as a denial: fail closed), the decision is published, and
 * only an approved intent reaches the OMS. Cancels are never blocked.
 * An operator's order or cancel (trading_submit_manual) takes the same path
 * and is published on the bus for observers like an agent's intent. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <tradehost/tradehost.h>

#include "common/log.h"
#include "trading/trading_internal.h"

/* A fixed-size name field copied whole (fixed-size moves, no strlen): the
 * same string as th_strlcpy() gives, including its truncation of a field
 * that lacks a NUL. */
static void copy_field(char *dst, const char *src, size_t size)
{
	memcpy(dst, src, size);
	dst[size - 1] = '\0';
}

/* Runs once per intent: the header is set field by field (no memset of the
 * names that are overwritten anyway) and the names are copied whole. */
static void publish_decision(trading_t *t, const th_event *intent, const th_risk_verdict *v, const char *who)
{
	th_event ev;
	ev.h.type = TH_EV_RISK;
	ev.h.flags = 0;
	ev.h.size = 0;
	ev.h.seq = 0;
	ev.h.ts_ns = 0;
	copy_field(ev.h.venue, intent->h.venue, sizeof ev.h.venue);
	copy_field(ev.h.symbol, intent->h.symbol, sizeof ev.h.symbol);
	copy_field(ev.h.agent, intent->h.agent, sizeof ev.h.agent);
	memset(&ev.u.risk, 0, sizeof ev.u.risk);
	ev.u.risk.intent_id = intent->u.intent.intent_id;
	/* every verdict is journaled (audit) and counted by reason */
	oms_journal_decision(t->oms, intent, (int)v->approved, v->reason_code, who, v->message);
	if (v->reason_code < sizeof t->denials_by_reason / sizeof t->denials_by_reason[0])
		t->denials_by_reason[v->reason_code]++;
	ev.u.risk.approved = v->approved;
	ev.u.risk.reason_code = v->reason_code;
	th_strlcpy(ev.u.risk.plugin, who, sizeof ev.u.risk.plugin);
	/* a plugin's verdict may hold anything after its NUL: copy the string
	 * only, so the decision carries zeros there (as the memset left them) */
	th_strlcpy(ev.u.risk.message, v->message, sizeof ev.u.risk.message);
	bus_publish(t->bus, &ev);
}

static int64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* A failing or slow risk plugin is a denial, and an operator should know. */
static void risk_alert(trading_t *t, const char *code, const char *text)
{
	th_event ev;
	th_event_init(&ev, TH_EV_ALERT);
	memset(&ev.u.alert, 0, sizeof ev.u.alert);
	ev.u.alert.level = TH_ALERT_CRITICAL;
	th_strlcpy(ev.u.alert.code, code, sizeof ev.u.alert.code);
	th_strlcpy(ev.u.alert.text, text, sizeof ev.u.alert.text);
	bus_publish(t->bus, &ev);
	log_error("%s", text);
}

/* Runs the risk instances in configuration order. Returns 1 approved (with
 * *max_qty the smallest scale-down asked for, 0 = none), 0 denied. */
static int run_risk(trading_t *t, const th_event *intent, th_qty *max_qty, th_risk_verdict *v, char *who, size_t cap)
{
	*max_qty = 0;
	for (size_t i = 0; i < host_instance_count(t->host); i++) {
		/* every intent asks this of every instance: the kind alone, not
		 * the whole info, rejects the others (kind name "risk" is exactly
		 * TH_KIND_RISK) */
		if (host_instance_kind_at(t->host, i) != TH_KIND_RISK)
			continue;
		host_instance_info info;
		host_instance_info_at(t->host, i, &info);
		const void *api;
		void *inst = host_instance_handle(t->host, info.name, &api);
		th_strlcpy(who, info.name, cap);
		memset(v, 0, sizeof *v);
		if (!inst) {
			v->reason_code = TH_RISK_ERROR;
			snprintf(v->message, sizeof v->message, "risk instance %s is not running: denied", info.name);
			return 0;
		}
		const th_risk_api *r = api;
		/* Backtests do not time checks: wall time would make them nondeterministic. */
		int timed = t->mode == TRADING_PAPER && t->cfg.risk_timeout_ns > 0;
		int64_t started = timed ? mono_ns() : 0;
		int rc = r->check(inst, intent, v);
		int64_t took = timed ? mono_ns() - started : 0;
		if (rc != TH_OK) {
			memset(v, 0, sizeof *v);
			v->reason_code = TH_RISK_ERROR;
			snprintf(v->message, sizeof v->message, "risk instance %s failed (%d): denied (fail closed)", info.name, rc);
			risk_alert(t, "risk_plugin_failed", v->message);
			return 0;
		}
		if (timed && took > t->cfg.risk_timeout_ns) {
			memset(v, 0, sizeof *v);
			v->reason_code = TH_RISK_ERROR;
			snprintf(v->message, sizeof v->message, "risk instance %s took %lld us (limit %lld us): denied (fail closed)",
				info.name, (long long)(took / 1000), (long long)(t->cfg.risk_timeout_ns / 1000));
			risk_alert(t, "risk_plugin_slow", v->message);
			return 0;
		}
		if (!v->approved) {
			if (v->reason_code == TH_RISK_APPROVED)
				v->reason_code = TH_RISK_ERROR; /* a denial must say why */
			return 0;
		}
		if (v->max_qty > 0 && (*max_qty == 0 || v->max_qty < *max_qty))
			*max_qty = v->max_qty;
	}
	memset(v, 0, sizeof *v);
	v->approved = 1;
	th_strlcpy(who, "pipeline", cap);
	return 1;
}

/* The strictest trading state over the intent's host, farm, agent and
 * instrument: HALTED lets nothing through, REDUCING only orders that shrink
 * the agent's position without flipping it. */
static int state_blocks(trading_t *t, const th_event *in, char *why, size_t cap)
{
	int any_scope, any_state;
	const char *any_name;
	/* Nearly always every scope is ACTIVE: then there is nothing to look up
	 * (and no instrument key to format) for this intent. */
	if (!oms_trading_state_at(t->oms, 0, &any_scope, &any_name, &any_state))
		return 0;
	char inst[TH_VENUE_MAX + TH_SYMBOL_MAX + 2];
	snprintf(inst, sizeof inst, "%s:%s", in->h.venue, in->u.intent.order.symbol);
	const struct { int scope; const char *name; const char *label; } scopes[] = {
		{ TH_SCOPE_HOST, "", "host" }, { TH_SCOPE_FARM, in->u.intent.farm, "farm" },
		{ TH_SCOPE_AGENT, in->h.agent, "agent" }, { TH_SCOPE_INSTRUMENT, inst, "instrument" },
	};
	int worst = TH_STATE_ACTIVE;
	size_t at = 0;
	for (size_t i = 0; i < 4; i++) {
		if (scopes[i].scope == TH_SCOPE_FARM && !scopes[i].name[0])
			continue;
		int st = oms_trading_state(t->oms, scopes[i].scope, scopes[i].name);
		if (st > worst) {
			worst = st;
			at = i;
		}
	}
	if (worst == TH_STATE_HALTED) {
		snprintf(why, cap, "trading HALTED (%s %s): only cancels pass", scopes[at].label, scopes[at].name);
		return 1;
	}
	if (worst == TH_STATE_REDUCING && !trading_intent_reduces(t, in)) {
		snprintf(why, cap, "trading REDUCING (%s %s): the order would grow or flip the position", scopes[at].label,
			scopes[at].name);
		return 1;
	}
	return 0;
}

void trading_deny(trading_t *t, const th_event *intent, uint32_t reason, const char *message, const char *who)
{
	th_risk_verdict v;
	memset(&v, 0, sizeof v);
	v.reason_code = reason;
	th_strlcpy(v.message, message, sizeof v.message);
	t->denied++;
	publish_decision(t, intent, &v, who);
}

void trading_proceed(trading_t *t, const th_event *intent, th_qty coord_max_qty, const char *who)
{
	char err[256], risk_who[TH_NAME_MAX];
	th_qty max_qty;
	th_risk_verdict v;
	(void)who;
	if (!run_risk(t, intent, &max_qty, &v, risk_who, sizeof risk_who)) {
		t->denied++;
		publish_decision(t, intent, &v, risk_who);
		return;
	}
	if (coord_max_qty > 0 && (max_qty == 0 || coord_max_qty < max_qty))
		max_qty = coord_max_qty;
	t->approved++;
	publish_decision(t, intent, &v, risk_who);
	if (oms_submit(t->oms, intent, max_qty, err, sizeof err) != TH_OK)
		log_debug("intent %llu of %s not placed: %s", (unsigned long long)intent->u.intent.intent_id,
			intent->h.agent, err);
}

void trading_on_intent(void *arg, const th_event *ev)
{
	trading_t *t = arg;
	th_event intent;
	char err[256], why[160];
	/* The host's copy of an operator's intent (publish_operator_intent):
	 * trading_submit_manual already ran it. Plugins cannot set the flag
	 * (host_api clears it). */
	if (ev->h.flags & TH_EVENT_FLAG_OMS)
		return;
	memcpy(&intent, ev, th_event_size(ev));
	t->intents++;
	const char *farm = host_instance_farm(t->host, ev->h.agent);
	th_strlcpy(intent.u.intent.farm, farm ? farm : "", sizeof intent.u.intent.farm);
	if (intent.u.intent.action != TH_INTENT_PLACE) {
		if (oms_submit(t->oms, &intent, 0, err, sizeof err) != TH_OK)
			log_debug("cancel from %s not applied: %s", ev->h.agent, err);
		return;
	}
	if (state_blocks(t, &intent, why, sizeof why)) {
		trading_deny(t, &intent, TH_RISK_STATE, why, "trading-state");
		return;
	}
	if (oms_is_paused(t->oms, intent.h.agent, intent.u.intent.farm)) {
		snprintf(why, sizeof why, "agent %s is paused (goal action or operator)", intent.h.agent);
		trading_deny(t, &intent, TH_RISK_STATE, why, "goals");
		return;
	}
	trading_coordinate(t, &intent);
}

/* An operator's intent (REST) does not come over the bus like an agent's:
 * it is published here, before the pipeline decides, so observers (the
 * AG-UI feed) see it and pair it with the decision and the order manager's
 * updates that follow. It carries TH_EVENT_FLAG_OMS, the host's own mark,
 * so trading_on_intent does not run it a second time. */
static void publish_operator_intent(trading_t *t, const th_event *intent)
{
	th_event ev;
	memcpy(&ev, intent, th_event_size(intent));
	ev.h.flags |= TH_EVENT_FLAG_OMS;
	ev.h.ts_ns = 0; /* stamped at publish */
	bus_publish(t->bus, &ev);
}

int trading_submit_manual(trading_t *t, const th_event *ev, char *reason, size_t cap)
{
	th_event intent;
	char err[256], why[160], who[TH_NAME_MAX];
	memcpy(&intent, ev, th_event_size(ev));
	reason[0] = '\0';
	const char *farm = host_instance_farm(t->host, ev->h.agent);
	th_strlcpy(intent.u.intent.farm, farm ? farm : "", sizeof intent.u.intent.farm);
	publish_operator_intent(t, &intent);
	if (intent.u.intent.action != TH_INTENT_PLACE) {
		if (oms_submit(t->oms, &intent, 0, err, sizeof err) != TH_OK) {
			snprintf(reason, cap, "%s", err);
			return -1;
		}
		return 1;
	}
	t->intents++;
	if (state_blocks(t, &intent, why, sizeof why)) {
		trading_deny(t, &intent, TH_RISK_STATE, why, "trading-state");
		snprintf(reason, cap, "%s", why);
		return 0;
	}
	if (oms_is_paused(t->oms, intent.h.agent, intent.u.intent.farm)) {
		snprintf(why, sizeof why, "agent %s is paused (goal action or operator)", intent.h.agent);
		trading_deny(t, &intent, TH_RISK_STATE, why, "goals");
		snprintf(reason, cap, "%s", why);
		return 0;
	}
	th_qty max_qty;
	th_risk_verdict v;
	if (!run_risk(t, &intent, &max_qty, &v, who, sizeof who)) {
		t->denied++;
		publish_decision(t, &intent, &v, who);
		snprintf(reason, cap, "denied by %s: %s", who, v.message);
		return 0;
	}
	t->approved++;
	publish_decision(t, &intent, &v, who);
	if (oms_submit(t->oms, &intent, max_qty, err, sizeof err) != TH_OK) {
		snprintf(reason, cap, "%s", err);
		return -1;
	}
	return 1;
}
