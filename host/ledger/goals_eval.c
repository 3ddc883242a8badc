/* goals_evaluate: metrics since each goal's baseline, transitions (exactly
 * once) and the actions they trigger. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tradehost/th_status.h>

#include "ledger/goals_internal.h"

__extension__ typedef __int128 goals_i128;

static double goals_ratio(double have, double want)
{
	if (want <= 0)
		return 0;
	double r = have / want;
	return r < 0 ? 0 : r > 1 ? 1 : r;
}

/* Progress of one target: exactly 1 when met (decided on integers), else
 * the ratio, kept below 1 so a display never shows "done" too early. */
static double goals_prog(int met, double have, double want)
{
	if (met)
		return 1;
	double r = goals_ratio(have, want);
	return r < 0.999999 ? r : 0.999999;
}

/* Folds the curve points since the last evaluation and the live nav into the
 * goal's peak and max drawdown. */
static int goals_track_drawdown(goal *x, const capital_t *c, const char *w, int64_t *dd_max)
{
	size_t n = capital_curve(c, w, x->last_seq, NULL, 0);
	capital_point *pts = n ? malloc(n * sizeof *pts) : NULL;
	if (n && !pts)
		return TH_ERR_NOMEM;
	n = capital_curve(c, w, x->last_seq, pts, n);
	int64_t dd = x->info.m.drawdown_bps, live;
	for (size_t i = 0; i <= n; i++) {
		int64_t nav;
		if (i < n) {
			nav = pts[i].nav;
			x->last_seq = pts[i].seq;
		} else {
			capital_nav_live(c, w, &live);
			nav = live;
		}
		if (nav > x->peak_nav)
			x->peak_nav = nav;
		if (x->peak_nav > 0) {
			int64_t d = (int64_t)(((goals_i128)x->peak_nav - nav) * 10000 / x->peak_nav);
			if (d > dd)
				dd = d;
		}
	}
	free(pts);
	*dd_max = dd;
	return TH_OK;
}

static void goals_measure(goal *x, const capital_stats *st, int64_t dd, int64_t now_ns)
{
	goals_info *f = &x->info;
	const goals_spec *s = &f->spec;
	goals_metrics m;
	memset(&m, 0, sizeof m);
	m.profit = st->equity - st->flow - x->perf0;
	m.return_bps = f->start_equity > 0 ? (int64_t)((goals_i128)m.profit * 10000 / f->start_equity) : 0;
	m.trades = st->trades - x->trades0;
	m.wins = st->wins - x->wins0;
	m.losses = st->losses - x->losses0;
	m.win_rate_bps = m.trades ? (int64_t)m.wins * 10000 / m.trades : 0;
	m.drawdown_bps = dd;
	f->m = m;
	goals_progress p;
	memset(&p, 0, sizeof p);
	p.overall = 1;
	if (s->criteria & GOALS_PROFIT) {
		p.profit = goals_prog(m.profit >= s->profit, (double)m.profit, (double)s->profit);
		p.overall = p.profit < p.overall ? p.profit : p.overall;
	}
	if (s->criteria & GOALS_RETURN) {
		p.ret = goals_prog(f->start_equity > 0 && m.return_bps >= s->return_bps, (double)m.return_bps,
			(double)s->return_bps);
		p.overall = p.ret < p.overall ? p.ret : p.overall;
	}
	if (s->criteria & GOALS_TRADES) {
		p.trades = goals_prog(m.trades >= s->trades, (double)m.trades, (double)s->trades);
		p.overall = p.trades < p.overall ? p.trades : p.overall;
	}
	if (s->criteria & GOALS_WIN_RATE) {
		p.win_rate = goals_prog(m.trades > 0 && m.win_rate_bps >= s->win_rate_bps, (double)m.win_rate_bps,
			(double)s->win_rate_bps);
		p.overall = p.win_rate < p.overall ? p.win_rate : p.overall;
	}
	if (s->criteria & GOALS_DRAWDOWN)
		p.drawdown = s->max_drawdown_bps > 0 ? (double)dd / (double)s->max_drawdown_bps : (dd > 0 ? 2.0 : 0.0);
	if (s->criteria & GOALS_DEADLINE) {
		double span = (double)(s->deadline_ns - f->start_ns);
		p.time = goals_ratio((double)(now_ns - f->start_ns), span);
	}
	f->p = p;
}

/* Every target criterion met, decided on the integers (not the doubles). */
static int goals_targets_met(const goals_info *f)
{
	const goals_spec *s = &f->spec;
	if ((s->criteria & GOALS_PROFIT) && f->m.profit < s->profit)
		return 0;
	if ((s->criteria & GOALS_RETURN) && (f->start_equity <= 0 || f->m.return_bps < s->return_bps))
		return 0;
	if ((s->criteria & GOALS_TRADES) && f->m.trades < s->trades)
		return 0;
	if ((s->criteria & GOALS_WIN_RATE) && (f->m.trades == 0 || f->m.win_rate_bps < s->win_rate_bps))
		return 0;
	return 1;
}

static void goals_note(goals_event *ev, int rc, const char *msg)
{
	if (rc == TH_OK || ev->action_status != TH_OK)
		return;
	ev->action_status = rc;
	snprintf(ev->action_error, sizeof ev->action_error, "%s", msg);
}

static void goals_act(goals_t *g, capital_t *c, const goals_spec *s, const goals_actions *a, goals_event *ev)
{
	char err[200] = "";
	int rc;
	if (a->flags & GOALS_ACT_COLLECT) {
		if (s->scope == GOALS_SCOPE_HOST) {
			char(*farms)[TH_NAME_MAX] = NULL;
			size_t n = capital_children(c, CAPITAL_MASTER_NAME, NULL, 0);
			farms = n ? malloc(n * sizeof *farms) : NULL;
			if (n && !farms) {
				goals_note(ev, TH_ERR_NOMEM, "out of memory collecting profits");
			} else {
				capital_children(c, CAPITAL_MASTER_NAME, farms, n);
				for (size_t i = 0; i < n; i++) {
					rc = capital_collect_profits(c, farms[i], err, sizeof err);
					goals_note(ev, rc, err);
				}
			}
			free(farms);
		} else {
			rc = capital_collect_profits(c, s->target, err, sizeof err);
			goals_note(ev, rc, err);
		}
	}
	if (a->flags & GOALS_ACT_SET_AMOUNT) {
		rc = capital_set_allocation(c, s->target, a->amount, err, sizeof err);
		goals_note(ev, rc, err);
	}
	if (a->flags & GOALS_ACT_SET_WEIGHT) {
		rc = capital_set_weight(c, s->target, a->weight, err, sizeof err);
		goals_note(ev, rc, err);
	}
	if (a->flags & GOALS_ACT_PAUSE) {
		rc = goals_pause(g, s->scope == GOALS_SCOPE_HOST ? "" : s->target);
		goals_note(ev, rc, "out of memory pausing");
	}
}

static int goals_metrics_equal(const goals_metrics *a, const goals_metrics *b)
{
	return a->profit == b->profit && a->return_bps == b->return_bps && a->trades == b->trades &&
		a->wins == b->wins && a->losses == b->losses && a->win_rate_bps == b->win_rate_bps &&
		a->drawdown_bps == b->drawdown_bps;
}

int goals_evaluate(goals_t *g, capital_t *c, int64_t now_ns, goals_cb cb, void *arg)
{
	int transitions = 0;
	/* Actions never add or remove goals, so indexes stay valid. */
	for (size_t i = 0; i < g->n; i++) {
		goal *x = &g->v[i];
		goals_info *f = &x->info;
		if (f->state != GOALS_ACTIVE)
			continue;
		const char *w = goals_wallet(&f->spec);
		capital_stats st;
		if (capital_stats_get(c, w, &st) != TH_OK)
			continue;
		int64_t dd;
		int rc = goals_track_drawdown(x, c, w, &dd);
		if (rc != TH_OK)
			return rc;
		goals_measure(x, &st, dd, now_ns);
		const goals_spec *s = &f->spec;
		int deadline_passed = (s->criteria & GOALS_DEADLINE) && now_ns > s->deadline_ns;
		int kind = 0;
		if ((s->criteria & GOALS_DRAWDOWN) && dd > s->max_drawdown_bps) {
			kind = GOALS_EV_MISSED;
			f->miss_reason = GOALS_MISS_DRAWDOWN;
		} else if ((s->criteria & GOALS_TARGETS) && goals_targets_met(f) && !deadline_passed) {
			kind = GOALS_EV_HIT;
		} else if (deadline_passed) {
			kind = (s->criteria & GOALS_TARGETS) ? GOALS_EV_MISSED : GOALS_EV_HIT;
			if (kind == GOALS_EV_MISSED)
				f->miss_reason = GOALS_MISS_DEADLINE;
		}
		goals_event ev;
		memset(&ev, 0, sizeof ev);
		ev.now_ns = now_ns;
		ev.action_status = TH_OK;
		if (kind) {
			f->state = kind == GOALS_EV_HIT ? GOALS_HIT : GOALS_MISSED;
			f->end_ns = now_ns;
			transitions++;
			goals_act(g, c, s, kind == GOALS_EV_HIT ? &s->on_hit : &s->on_miss, &ev);
		} else if (x->emitted && goals_metrics_equal(&x->last_emitted, &f->m)) {
			continue;
		} else {
			kind = GOALS_EV_PROGRESS;
		}
		x->emitted = 1;
		x->last_emitted = x->info.m;
		ev.kind = kind;
		ev.goal = x->info;
		if (cb)
			cb(arg, &ev);
	}
	return transitions;
}
