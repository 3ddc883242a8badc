/* Goals from [[goals]]: created at start (unless the journal says they
 * already finished), evaluated on a schedule, published as TH_EV_GOAL, and
 * their actions applied through the OMS so they are journaled like every
 * other capital operation. */
#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "trading/trading_internal.h"

int trading_goals_start(trading_t *t, int64_t now, char *err, size_t errlen)
{
	if (t->cfg.ngoals == 0)
		return 0;
	t->goals = goals_new();
	if (!t->goals) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < t->cfg.ngoals; i++) {
		t->goal_ids[i] = 0;
		if (oms_goal_state(t->oms, (uint32_t)i))
			continue; /* hit or missed before a restart: stays finished */
		goals_spec spec = t->cfg.goals[i].spec;
		if (spec.criteria & GOALS_DEADLINE)
			spec.deadline_ns += now;
		char gerr[256];
		if (goals_create(t->goals, t->capital, &spec, now, &t->goal_ids[i], gerr, sizeof gerr) != TH_OK) {
			snprintf(err, errlen, "goals[%zu]: %s", i, gerr);
			return -1;
		}
		t->goal_last_ppm[i] = -1;
	}
	return 0;
}

static size_t config_index(const trading_t *t, uint32_t id)
{
	for (size_t i = 0; i < t->cfg.ngoals; i++)
		if (t->goal_ids[i] == id)
			return i;
	return SIZE_MAX;
}

typedef struct pending_events {
	goals_event ev[TRADING_MAX_GOALS];
	size_t n;
} pending_events;

static void collect(void *arg, const goals_event *ev)
{
	pending_events *p = arg;
	if (p->n < TRADING_MAX_GOALS)
		p->ev[p->n++] = *ev;
}

static void apply_actions(trading_t *t, const goals_spec *spec, const goals_actions *a, char *why, size_t cap)
{
	char err[256] = "";
	const char *target = spec->scope == GOALS_SCOPE_HOST ? "*" : spec->target;
	int failed = 0;
	if (a->flags & GOALS_ACT_COLLECT) {
		if (spec->scope == GOALS_SCOPE_HOST) {
			for (size_t f = 0; f < t->cfg.nfarms; f++)
				failed |= oms_collect_profits(t->oms, t->cfg.farms[f].name, err, sizeof err) != 0;
		} else {
			failed |= oms_collect_profits(t->oms, spec->target, err, sizeof err) != 0;
		}
	}
	if ((a->flags & GOALS_ACT_SET_AMOUNT) && spec->scope != GOALS_SCOPE_HOST)
		failed |= oms_set_allocation(t->oms, spec->target, a->amount, err, sizeof err) != 0;
	if ((a->flags & GOALS_ACT_SET_WEIGHT) && spec->scope != GOALS_SCOPE_HOST)
		failed |= oms_set_weight(t->oms, spec->target, a->weight, err, sizeof err) != 0;
	if (a->flags & GOALS_ACT_PAUSE)
		failed |= oms_set_paused(t->oms, target, 1) != 0;
	snprintf(why, cap, "%s%s", failed ? "; an action failed: " : "", failed ? err : "");
}

static void publish(trading_t *t, const goals_event *ev, const char *extra)
{
	const goals_info *g = &ev->goal;
	th_event out;
	th_event_init(&out, TH_EV_GOAL);
	memset(&out.u.goal, 0, sizeof out.u.goal);
	th_goal *e = &out.u.goal;
	e->goal_id = g->id;
	e->state = ev->kind == GOALS_EV_HIT ? TH_GOAL_HIT : ev->kind == GOALS_EV_MISSED ? TH_GOAL_MISSED : TH_GOAL_PROGRESS;
	th_strlcpy(e->target, g->spec.target, sizeof e->target);
	th_strlcpy(e->label, g->spec.label, sizeof e->label);
	double overall = g->p.overall < 0 ? 0 : g->p.overall > 1 ? 1 : g->p.overall;
	e->progress_ppm = (int64_t)(overall * 1000000.0);
	e->profit = g->m.profit;
	e->trades = g->m.trades;
	char profit[40];
	th_fixed_format(g->m.profit, TH_MONEY_SCALE, profit, sizeof profit);
	/* the text is for people; a long label may cut it short */
	char text[600];
	snprintf(text, sizeof text, "goal %u \"%s\" (%s) %s: profit %s, %u trades, %.0f%% done%s", g->id,
		g->spec.label, g->spec.scope == GOALS_SCOPE_HOST ? "host" : g->spec.target,
		e->state == TH_GOAL_HIT ? "hit" : e->state == TH_GOAL_MISSED ? "missed" : "progress", profit,
		g->m.trades, overall * 100, extra);
	th_strlcpy(e->text, text, sizeof e->text);
	bus_publish(t->bus, &out);
	if (e->state != TH_GOAL_PROGRESS)
		log_info("%s", text);
}

/* trading_goals_evaluate() with goals configured. Out of line so that the
 * call without goals (the backtest calls it at every equity sample) is a
 * test and a return, not the frame this part needs. */
static __attribute__((noinline)) void goals_evaluate_now(trading_t *t, int64_t now)
{
	pending_events p = { .n = 0 };
	goals_evaluate(t->goals, t->capital, now, collect, &p);
	for (size_t i = 0; i < p.n; i++) {
		const goals_event *ev = &p.ev[i];
		size_t idx = config_index(t, ev->goal.id);
		if (idx == SIZE_MAX)
			continue;
		if (ev->kind == GOALS_EV_PROGRESS) {
			/* progress travels when it moved by at least 1 %, not at every bar */
			int64_t ppm = (int64_t)(ev->goal.p.overall * 1000000.0);
			if (t->goal_last_ppm[idx] >= 0 && ppm / 10000 == t->goal_last_ppm[idx] / 10000)
				continue;
			t->goal_last_ppm[idx] = ppm;
			publish(t, ev, "");
			continue;
		}
		char why[300];
		oms_goal_done(t->oms, (uint32_t)idx, ev->kind == GOALS_EV_HIT ? TH_GOAL_HIT : TH_GOAL_MISSED);
		apply_actions(t, &t->cfg.goals[idx].spec,
			ev->kind == GOALS_EV_HIT ? &t->cfg.goals[idx].on_hit : &t->cfg.goals[idx].on_miss, why, sizeof why);
		publish(t, ev, why);
	}
}

void trading_goals_evaluate(trading_t *t, int64_t now)
{
	if (t->goals)
		goals_evaluate_now(t, now);
}

/* Scheduled rebalancing: the master wallet over its farms, then each farm
 * over its agents, each journaled as the transfers made. */
void trading_rebalance(trading_t *t, int64_t now)
{
	char err[256];
	if (oms_rebalance(t->oms, "master", t->cfg.master_rule + 1, now, err, sizeof err) != 0)
		log_warn("rebalance of the master wallet: %s", err);
	for (size_t f = 0; f < t->cfg.nfarms; f++)
		if (oms_rebalance(t->oms, t->cfg.farms[f].name, t->cfg.farms[f].rule + 1, now, err, sizeof err) != 0)
			log_warn("rebalance of farm %s: %s", t->cfg.farms[f].name, err);
	t->last_rebalance_ns = now;
}

int trading_goal_at(trading_t *t, size_t i, goals_info *out)
{
	if (i >= t->cfg.ngoals)
		return -1;
	memset(out, 0, sizeof *out);
	out->spec = t->cfg.goals[i].spec;
	int done = oms_goal_state(t->oms, (uint32_t)i);
	if (!t->goals || t->goal_ids[i] == 0 || goals_get(t->goals, t->goal_ids[i], out) != TH_OK) {
		/* finished before this start: the journal keeps only how it ended */
		out->state = done == TH_GOAL_HIT ? GOALS_HIT : GOALS_MISSED;
		return 1;
	}
	return 0;
}
