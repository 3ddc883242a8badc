/* Goals: the configured [[goals]] (read-only here, ids "cfg-N") and goals
 * created through the API (ids "g-N").
 *
 * An API goal's definition, its updates, its deletion and how it ended are
 * journaled by the OMS (oms_api_goal_*), which keeps its id across
 * restarts. The active ones are armed in this module's goals library
 * instance and evaluated once a second against the live capital hierarchy;
 * their actions (pause, collect) go through the OMS as well. After a
 * restart an active goal is re-armed with a baseline taken then (as
 * configured goals are); a finished one stays finished. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_internal.h"
#include "common/log.h"
#include "oms/oms.h"
#include "trading/trading.h"

static const char *goal_state_name(int state)
{
	return state == GOALS_HIT ? "hit" : state == GOALS_MISSED ? "missed" : "active";
}

static const char *goal_scope_name(int scope)
{
	return scope == GOALS_SCOPE_AGENT ? "agent" : scope == GOALS_SCOPE_FARM ? "farm" : "host";
}

static int64_t progress_ppm(const goals_info *g)
{
	/* a ratio from the goals library, not money */
	double p = g->state == GOALS_HIT ? 1.0 : g->p.overall;
	p = p < 0 ? 0 : p > 1 ? 1 : p;
	return (int64_t)(p * 1000000.0);
}

/* The first criterion of a spec as the contract's (kind, value). */
static void spec_kind(const goals_spec *s, const char **kind, char *value, size_t cap)
{
	if (s->criteria & GOALS_PROFIT) {
		*kind = "profit";
		api_money_text(s->profit, value, cap);
	} else if (s->criteria & GOALS_RETURN) {
		*kind = "return";
		th_fixed_format(s->return_bps, 2, value, cap);
	} else if (s->criteria & GOALS_TRADES) {
		*kind = "trades";
		snprintf(value, cap, "%u", s->trades);
	} else if (s->criteria & GOALS_WIN_RATE) {
		*kind = "win_rate";
		th_fixed_format(s->win_rate_bps, 2, value, cap);
	} else {
		*kind = "drawdown";
		th_fixed_format(s->max_drawdown_bps, 2, value, cap);
	}
}

static const char *actions_name(const goals_actions *act)
{
	if (act->flags & GOALS_ACT_PAUSE)
		return "pause";
	if (act->flags & GOALS_ACT_COLLECT)
		return "collect";
	if (act->flags & GOALS_ACT_SET_AMOUNT)
		return "set_allocation";
	if (act->flags & GOALS_ACT_SET_WEIGHT)
		return "set_weight";
	return "none";
}

static json_t *goal_json(const char *id, const goals_info *g, const char *kind, const char *value, int64_t deadline_ms,
	const char *action, int64_t ppm)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:I, s:s}", "id", id, "scope",
		goal_scope_name(g->spec.scope), "target", g->spec.target, "kind", kind, "value", value, "deadline_ms",
		(json_int_t)deadline_ms, "action", action, "state", goal_state_name(g->state), "progress_ppm",
		(json_int_t)ppm, "label", g->spec.label);
}

static json_t *cfg_goal_json(api *a, size_t i, const goals_info *g)
{
	char id[24], value[48];
	const char *kind;
	snprintf(id, sizeof id, "cfg-%zu", i + 1);
	spec_kind(&g->spec, &kind, value, sizeof value);
	const trading_goal_cfg *c = &a->tcfg->goals[i];
	int64_t deadline = (g->spec.criteria & GOALS_DEADLINE) && g->start_ns ? api_ms(g->spec.deadline_ns) : 0;
	return goal_json(id, g, kind, value, deadline, actions_name(!strcmp(kind, "drawdown") ? &c->on_miss : &c->on_hit),
		progress_ppm(g));
}

static api_goal_meta *meta_of(api *a, uint32_t id)
{
	for (size_t i = 0; i < a->ngoal_meta; i++)
		if (a->goal_meta[i].id == id)
			return &a->goal_meta[i];
	return NULL;
}

static api_goal_meta *meta_of_lib(api *a, uint32_t lib_id)
{
	for (size_t i = 0; i < a->ngoal_meta; i++)
		if (a->goal_meta[i].lib_id == lib_id)
			return &a->goal_meta[i];
	return NULL;
}

static int64_t deadline_ms_of(const goals_spec *s)
{
	return (s->criteria & GOALS_DEADLINE) ? s->deadline_ns / 1000000 : 0;
}

/* A goal that ended shows how it ended (journaled, so the same before and
 * after a restart); an active one its live figures. */
static json_t *api_goal_json(api *a, uint32_t id)
{
	const oms_api_goal *d = oms_api_goal_get(a->oms, id);
	if (!d)
		return NULL;
	goals_info g;
	int64_t ppm = d->progress_ppm;
	api_goal_meta *m = meta_of(a, id);
	if (!d->state && m && goals_get(a->goals, m->lib_id, &g) == TH_OK) {
		ppm = progress_ppm(&g);
	} else {
		memset(&g, 0, sizeof g);
		g.spec = d->spec;
		g.state = d->state == TH_GOAL_HIT ? GOALS_HIT : d->state == TH_GOAL_MISSED ? GOALS_MISSED : GOALS_ACTIVE;
	}
	char sid[24];
	snprintf(sid, sizeof sid, "g-%u", id);
	return goal_json(sid, &g, d->kind, d->value, deadline_ms_of(&d->spec), d->action, ppm);
}

json_t *api_goal_event_json(api *a, const th_event *ev)
{
	goals_info g;
	for (size_t i = 0; a->t && trading_goal_at(a->t, i, &g) >= 0; i++)
		if (g.id == ev->u.goal.goal_id && g.start_ns)
			return cfg_goal_json(a, i, &g);
	return NULL;
}

/* "cfg-N" -> config index (returns 1), "g-N" -> goals id (returns 2), else 0. */
static int parse_id(const char *s, size_t *out)
{
	char *end;
	int kind = !strncmp(s, "cfg-", 4) ? 1 : !strncmp(s, "g-", 2) ? 2 : 0;
	if (!kind)
		return 0;
	const char *num = s + (kind == 1 ? 4 : 2);
	unsigned long v = strtoul(num, &end, 10);
	if (!*num || *end || v == 0 || v > 1000000)
		return 0;
	*out = kind == 1 ? v - 1 : v;
	return kind;
}

void api_h_goals(api *a, http_request *req, const json_t *body)
{
	(void)body;
	json_t *list = json_array();
	goals_info g;
	for (size_t i = 0; trading_goal_at(a->t, i, &g) >= 0; i++)
		json_array_append_new(list, cfg_goal_json(a, i, &g));
	const oms_api_goal *d;
	for (size_t i = 0; (d = oms_api_goal_at(a->oms, i)) != NULL; i++) {
		json_t *j = api_goal_json(a, d->id);
		if (j)
			json_array_append_new(list, j);
	}
	api_reply(req, 200, json_pack("{s:o}", "goals", list));
}

void api_h_goal_get(api *a, http_request *req, const json_t *body)
{
	(void)body;
	const char *id = http_request_param(req, "id");
	size_t n;
	goals_info g;
	json_t *j = NULL;
	int kind = parse_id(id, &n);
	if (kind == 1 && trading_goal_at(a->t, n, &g) >= 0)
		j = cfg_goal_json(a, n, &g);
	else if (kind == 2)
		j = api_goal_json(a, (uint32_t)n);
	if (!j) {
		api_error(req, 404, "not_found", "no goal \"%.40s\"", id);
		return;
	}
	api_reply(req, 200, j);
}

/* Fills the criterion of `kind` from decimal text; -1 after answering 400. */
static int set_criterion(http_request *req, goals_spec *s, const char *kind, const char *value)
{
	int64_t v;
	s->criteria &= ~(GOALS_TARGETS | GOALS_DRAWDOWN);
	if (!strcmp(kind, "profit")) {
		s->criteria |= GOALS_PROFIT;
		if (api_decimal_parse(value, TH_MONEY_SCALE, &s->profit) == 0)
			return 0;
	} else if (!strcmp(kind, "trades")) {
		s->criteria |= GOALS_TRADES;
		if (api_decimal_parse(value, 0, &v) == 0 && v > 0 && v <= UINT32_MAX) {
			s->trades = (uint32_t)v;
			return 0;
		}
	} else if (api_decimal_parse(value, 2, &v) == 0) { /* percent with 2 decimals = basis points */
		if (!strcmp(kind, "return")) {
			s->criteria |= GOALS_RETURN;
			s->return_bps = v;
		} else if (!strcmp(kind, "win_rate")) {
			s->criteria |= GOALS_WIN_RATE;
			s->win_rate_bps = v;
		} else {
			s->criteria |= GOALS_DRAWDOWN;
			s->max_drawdown_bps = v;
		}
		return 0;
	}
	api_error(req, 400, "bad_field", "field \"value\": \"%.40s\" is not a valid %s (%s)", value, kind,
		!strcmp(kind, "profit") ? "a quote amount" : !strcmp(kind, "trades") ? "a whole number of trades"
		: "a percent with at most 2 decimals");
	return -1;
}

static void set_deadline(goals_spec *s, int64_t deadline_ms)
{
	s->criteria &= ~GOALS_DEADLINE;
	s->deadline_ns = 0;
	if (deadline_ms > 0) {
		s->criteria |= GOALS_DEADLINE;
		s->deadline_ns = deadline_ms * 1000000;
	}
}

static size_t api_goal_count(const api *a)
{
	size_t n = 0;
	while (oms_api_goal_at(a->oms, n))
		n++;
	return n;
}

/* Arms a goal in api.goals for evaluation; TH_OK or the library's status. */
static int arm(api *a, uint32_t id, const goals_spec *s, int64_t now, char *err, size_t errlen)
{
	if (a->ngoal_meta >= API_GOALS_MAX) {
		snprintf(err, errlen, "at most %d API goals are evaluated at a time", API_GOALS_MAX);
		return TH_ERR_LIMIT;
	}
	uint32_t lib_id;
	int rc = goals_create(a->goals, a->capital, s, now, &lib_id, err, errlen);
	if (rc != TH_OK)
		return rc;
	a->goal_meta[a->ngoal_meta++] = (api_goal_meta){ id, lib_id };
	return TH_OK;
}

static void disarm(api *a, api_goal_meta *m)
{
	goals_delete(a->goals, m->lib_id);
	*m = a->goal_meta[--a->ngoal_meta];
}

void api_h_goal_create(api *a, http_request *req, const json_t *body)
{
	const char *scope = api_body_str(body, "scope"), *target = api_body_str(body, "target");
	const char *kind = api_body_str(body, "kind"), *value = api_body_str(body, "value");
	const char *action = api_body_str(body, "action"), *label = api_body_str(body, "label");
	if (api_goal_count(a) >= API_GOALS_MAX) {
		api_error(req, 409, "conflict", "at most %d API goals at a time: delete some first", API_GOALS_MAX);
		return;
	}
	oms_api_goal d;
	memset(&d, 0, sizeof d);
	goals_spec *s = &d.spec;
	s->scope = !strcmp(scope, "agent") ? GOALS_SCOPE_AGENT : !strcmp(scope, "farm") ? GOALS_SCOPE_FARM : GOALS_SCOPE_HOST;
	if (s->scope != GOALS_SCOPE_HOST) {
		int want = s->scope == GOALS_SCOPE_AGENT ? CAPITAL_KIND_AGENT : CAPITAL_KIND_FARM;
		if (!target) {
			api_error(req, 400, "missing_field", "missing field \"target\": a %s goal needs the %s's name", scope, scope);
			return;
		}
		if (capital_kind_of(a->capital, target, NULL, 0) != want) {
			api_error(req, 404, "not_found", "target: no %s named \"%.40s\"", scope, target);
			return;
		}
		th_strlcpy(s->target, target, sizeof s->target);
	}
	th_strlcpy(s->label, label ? label : "", sizeof s->label);
	if (set_criterion(req, s, kind, value) != 0)
		return;
	set_deadline(s, api_body_int(body, "deadline_ms", 0));
	th_strlcpy(d.kind, kind, sizeof d.kind);
	th_strlcpy(d.value, value, sizeof d.value);
	th_strlcpy(d.action, action ? action : "none", sizeof d.action);
	d.created_ns = host_now_ns(a->host);
	/* the goals library validates the spec before anything is journaled */
	goals_t *check = goals_new();
	char err[256];
	uint32_t id, unused;
	int rc = check ? goals_create(check, a->capital, s, d.created_ns, &unused, err, sizeof err) : TH_ERR_NOMEM;
	goals_free(check);
	if (rc != TH_OK) {
		api_error(req, 400, "bad_field", "goal refused: %s", check ? err : "out of memory");
		return;
	}
	if (oms_api_goal_create(a->oms, &d, &id, err, sizeof err) != 0) {
		api_error(req, 409, "conflict", "goal not created: the journal refused the record (%s)", err);
		return;
	}
	if (arm(a, id, s, d.created_ns, err, sizeof err) != TH_OK)
		log_warn("api goal g-%u is journaled but not evaluated: %s", id, err);
	api_reply(req, 201, api_goal_json(a, id));
}

/* -1 after answering: configured goals are changed in the configuration file. */
static int api_goal_id(http_request *req, uint32_t *id)
{
	const char *s = http_request_param(req, "id");
	size_t n;
	int kind = parse_id(s, &n);
	if (kind == 1) {
		api_error(req, 409, "conflict", "goal %s comes from the configuration file: change it there", s);
		return -1;
	}
	if (kind != 2) {
		api_error(req, 404, "not_found", "no goal \"%.40s\"", s);
		return -1;
	}
	*id = (uint32_t)n;
	return 0;
}

void api_h_goal_update(api *a, http_request *req, const json_t *body)
{
	uint32_t id;
	if (api_goal_id(req, &id) != 0)
		return;
	const oms_api_goal *cur = oms_api_goal_get(a->oms, id);
	if (!cur) {
		api_error(req, 404, "not_found", "no goal \"g-%u\"", id);
		return;
	}
	if (cur->state) {
		api_error(req, 409, "conflict", "goal g-%u was already %s: a finished goal does not change", id,
			cur->state == TH_GOAL_HIT ? "hit" : "missed");
		return;
	}
	oms_api_goal d = *cur;
	const char *value = api_body_str(body, "value"), *action = api_body_str(body, "action");
	const char *label = api_body_str(body, "label");
	if (value && set_criterion(req, &d.spec, d.kind, value) != 0)
		return;
	set_deadline(&d.spec, api_body_int(body, "deadline_ms", deadline_ms_of(&cur->spec)));
	if (label)
		th_strlcpy(d.spec.label, label, sizeof d.spec.label);
	if (value)
		th_strlcpy(d.value, value, sizeof d.value);
	if (action)
		th_strlcpy(d.action, action, sizeof d.action);
	char err[256];
	api_goal_meta *m = meta_of(a, id);
	if (m && goals_update(a->goals, a->capital, m->lib_id, &d.spec, err, sizeof err) != TH_OK) {
		api_error(req, 400, "bad_field", "update refused: %s", err);
		return;
	}
	if (oms_api_goal_update(a->oms, &d, err, sizeof err) != 0) {
		api_error(req, 409, "conflict", "goal g-%u not updated: the journal refused the record (%s)", id, err);
		return;
	}
	api_reply(req, 200, api_goal_json(a, id));
}

void api_h_goal_delete(api *a, http_request *req, const json_t *body)
{
	(void)body;
	uint32_t id;
	char err[256];
	if (api_goal_id(req, &id) != 0)
		return;
	if (!oms_api_goal_get(a->oms, id)) {
		api_error(req, 404, "not_found", "no goal \"g-%u\"", id);
		return;
	}
	if (oms_api_goal_delete(a->oms, id, err, sizeof err) != 0) {
		api_error(req, 409, "conflict", "goal g-%u not deleted: the journal refused the record (%s)", id, err);
		return;
	}
	api_goal_meta *m = meta_of(a, id);
	if (m)
		disarm(a, m);
	char sid[24];
	snprintf(sid, sizeof sid, "g-%u", id);
	api_reply(req, 200, json_pack("{s:s}", "deleted", sid));
}

/* --- evaluation --- */

typedef struct goal_events {
	goals_event ev[API_GOALS_MAX];
	size_t n;
} goal_events;

static void collect(void *arg, const goals_event *ev)
{
	goal_events *p = arg;
	if (p->n < API_GOALS_MAX)
		p->ev[p->n++] = *ev;
}

static void apply_action(api *a, const goals_info *g, const oms_api_goal *d)
{
	char err[256] = "";
	const char *target = g->spec.scope == GOALS_SCOPE_HOST ? "*" : g->spec.target;
	int rc = 0;
	if (!strcmp(d->action, "pause")) {
		rc = oms_set_paused(a->oms, target, 1);
	} else if (!strcmp(d->action, "collect")) {
		if (g->spec.scope == GOALS_SCOPE_HOST) {
			for (size_t f = 0; f < a->tcfg->nfarms; f++)
				rc |= oms_collect_profits(a->oms, a->tcfg->farms[f].name, err, sizeof err);
		} else {
			rc = oms_collect_profits(a->oms, g->spec.target, err, sizeof err);
		}
	}
	if (rc != 0)
		log_warn("api goal g-%u: action %s failed: %s", d->id, d->action, err);
}

/* A goal hit or missed: its action (a drawdown ceiling acts when breached,
 * the others when hit), then the end is journaled so a restart does not
 * re-arm it. */
static void on_goal_end(api *a, const goals_event *ev, const oms_api_goal *d)
{
	char err[256];
	int ceiling = !strcmp(d->kind, "drawdown");
	if ((ev->kind == GOALS_EV_HIT && !ceiling) ||
		(ev->kind == GOALS_EV_MISSED && ceiling && ev->goal.miss_reason == GOALS_MISS_DRAWDOWN))
		apply_action(a, &ev->goal, d);
	if (oms_api_goal_end(a->oms, d->id, ev->kind == GOALS_EV_HIT ? TH_GOAL_HIT : TH_GOAL_MISSED,
		    progress_ppm(&ev->goal), err, sizeof err) != 0)
		log_warn("api goal g-%u: its end could not be journaled: %s", d->id, err);
	log_info("api goal g-%u %s", d->id, ev->kind == GOALS_EV_HIT ? "hit" : "missed");
}

static void on_goals_tick(void *arg, uint64_t tid)
{
	(void)tid;
	api *a = arg;
	static goal_events evs; /* loop thread only; too large for the stack */
	evs.n = 0;
	goals_evaluate(a->goals, a->capital, host_now_ns(a->host), collect, &evs);
	for (size_t i = 0; i < evs.n; i++) {
		const goals_event *ev = &evs.ev[i];
		api_goal_meta *m = meta_of_lib(a, ev->goal.id);
		const oms_api_goal *d = m ? oms_api_goal_get(a->oms, m->id) : NULL;
		if (!d)
			continue;
		uint32_t id = d->id;
		if (ev->kind != GOALS_EV_PROGRESS) {
			on_goal_end(a, ev, d);
			disarm(a, m); /* finished: nothing left to evaluate */
		}
		json_t *j = api_goal_json(a, id);
		if (j && a->fd->hub) {
			char *text = json_dumps(j, JSON_COMPACT);
			if (text)
				ws_hub_publish(a->fd->hub, "goals", NULL, text, strlen(text));
			free(text);
		}
		json_decref(j);
	}
}

/* Re-arms the journaled goals that are still active. Their baseline is
 * taken now, as for configured goals; one whose deadline passed while the
 * host was down is armed just before it, so the first evaluation ends it
 * the normal way (action and journal included). */
static void rearm(api *a)
{
	int64_t now = host_now_ns(a->host);
	const oms_api_goal *d;
	char err[256];
	for (size_t i = 0; (d = oms_api_goal_at(a->oms, i)) != NULL; i++) {
		if (d->state)
			continue;
		int64_t start = now;
		if ((d->spec.criteria & GOALS_DEADLINE) && d->spec.deadline_ns <= now)
			start = d->spec.deadline_ns - 1;
		if (arm(a, d->id, &d->spec, start, err, sizeof err) == TH_OK)
			continue;
		/* e.g. its agent or farm left the configuration: it can no longer be measured */
		log_warn("api goal g-%u cannot be re-armed after the restart (%s): marked missed", d->id, err);
		uint32_t id = d->id;
		if (oms_api_goal_end(a->oms, id, TH_GOAL_MISSED, 0, err, sizeof err) != 0)
			log_warn("api goal g-%u: its end could not be journaled: %s", id, err);
	}
	if (a->ngoal_meta)
		log_info("api goals: %zu re-armed from the journal", a->ngoal_meta);
}

int api_goals_start(api *a, char *err, size_t errlen)
{
	if (!a->t)
		return 0;
	a->goals = goals_new();
	if (!a->goals) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	rearm(a);
	if (host_add_timer(a->host, &a->goals_timer, 1000000000LL, 1000000000LL, on_goals_tick, a, &a->goals_timer) != 0) {
		snprintf(err, errlen, "api: cannot add the goals timer");
		return -1;
	}
	return 0;
}

void api_goals_stop(api *a)
{
	host_cancel_timers(a->host, &a->goals_timer);
	goals_free(a->goals);
	a->goals = NULL;
	a->ngoal_meta = 0;
}
