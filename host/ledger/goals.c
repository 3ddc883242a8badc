/* Goals: CRUD by id, pauses, canonical dump. Evaluation is in goals_eval.c. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tradehost/th_status.h>

#include "ledger/goals_internal.h"

static void goals_err(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void goals_err(char *err, size_t errlen, const char *fmt, ...)
{
	if (!err || errlen == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

goals_t *goals_new(void)
{
	goals_t *g = calloc(1, sizeof *g);
	if (g)
		g->next_id = 1;
	return g;
}

void goals_free(goals_t *g)
{
	if (!g)
		return;
	free(g->v);
	free(g->paused);
	free(g);
}

const char *goals_wallet(const goals_spec *s)
{
	return s->scope == GOALS_SCOPE_HOST ? CAPITAL_TOTAL_NAME : s->target;
}

goal *goals_find(const goals_t *g, uint32_t id)
{
	size_t lo = 0, hi = g->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (g->v[mid].info.id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < g->n && g->v[lo].info.id == id ? &g->v[lo] : NULL;
}

static int goals_check_actions(const goals_spec *s, const goals_actions *a, const char *when, char *err, size_t errlen)
{
	if (a->flags & ~(GOALS_ACT_COLLECT | GOALS_ACT_PAUSE | GOALS_ACT_SET_WEIGHT | GOALS_ACT_SET_AMOUNT)) {
		goals_err(err, errlen, "goal: unknown action bits 0x%x on %s", a->flags, when);
		return TH_ERR_INVALID;
	}
	if ((a->flags & (GOALS_ACT_SET_WEIGHT | GOALS_ACT_SET_AMOUNT)) && s->scope == GOALS_SCOPE_HOST) {
		goals_err(err, errlen, "goal: set-allocation actions on %s need an agent or farm target, not the host", when);
		return TH_ERR_INVALID;
	}
	if ((a->flags & GOALS_ACT_SET_WEIGHT) && (!isfinite(a->weight) || a->weight < 0)) {
		goals_err(err, errlen, "goal: weight on %s must be finite and >= 0", when);
		return TH_ERR_INVALID;
	}
	if ((a->flags & GOALS_ACT_SET_AMOUNT) && a->amount < 0) {
		goals_err(err, errlen, "goal: amount on %s must be >= 0", when);
		return TH_ERR_INVALID;
	}
	return TH_OK;
}

static int goals_check_spec(const capital_t *c, const goals_spec *s, int64_t now_ns, char *err, size_t errlen)
{
	if (!memchr(s->label, 0, sizeof s->label) || !memchr(s->target, 0, sizeof s->target)) {
		goals_err(err, errlen, "goal: label or target is not NUL-terminated");
		return TH_ERR_INVALID;
	}
	if (s->scope == GOALS_SCOPE_HOST) {
		if (s->target[0]) {
			goals_err(err, errlen, "goal: a host goal has no target (got '%s')", s->target);
			return TH_ERR_INVALID;
		}
	} else if (s->scope == GOALS_SCOPE_AGENT || s->scope == GOALS_SCOPE_FARM) {
		int want = s->scope == GOALS_SCOPE_AGENT ? CAPITAL_KIND_AGENT : CAPITAL_KIND_FARM;
		if (capital_kind_of(c, s->target, NULL, 0) != want) {
			goals_err(err, errlen, "goal: %s '%s' does not exist", want == CAPITAL_KIND_AGENT ? "agent" : "farm",
				s->target);
			return TH_ERR_NOT_FOUND;
		}
	} else {
		goals_err(err, errlen, "goal: scope %d is not agent (1), farm (2) or host (3)", s->scope);
		return TH_ERR_INVALID;
	}
	if (s->criteria & ~(GOALS_TARGETS | GOALS_DRAWDOWN | GOALS_DEADLINE)) {
		goals_err(err, errlen, "goal: unknown criteria bits 0x%x", s->criteria);
		return TH_ERR_INVALID;
	}
	if (!(s->criteria & (GOALS_TARGETS | GOALS_DEADLINE))) {
		goals_err(err, errlen, "goal: needs at least one target (profit, return, trades, win rate) or a deadline");
		return TH_ERR_INVALID;
	}
	if ((s->criteria & GOALS_PROFIT) && s->profit <= 0) {
		goals_err(err, errlen, "goal: profit target must be > 0");
		return TH_ERR_INVALID;
	}
	if ((s->criteria & GOALS_RETURN) && s->return_bps <= 0) {
		goals_err(err, errlen, "goal: return target must be > 0 bp");
		return TH_ERR_INVALID;
	}
	if ((s->criteria & GOALS_TRADES) && s->trades == 0) {
		goals_err(err, errlen, "goal: trade count target must be > 0");
		return TH_ERR_INVALID;
	}
	if ((s->criteria & GOALS_WIN_RATE) && (s->win_rate_bps <= 0 || s->win_rate_bps > 10000)) {
		goals_err(err, errlen, "goal: win rate target must be 1..10000 bp");
		return TH_ERR_INVALID;
	}
	if ((s->criteria & GOALS_DRAWDOWN) && (s->max_drawdown_bps < 0 || s->max_drawdown_bps > 10000)) {
		goals_err(err, errlen, "goal: drawdown ceiling must be 0..10000 bp");
		return TH_ERR_INVALID;
	}
	if ((s->criteria & GOALS_DEADLINE) && s->deadline_ns <= now_ns) {
		goals_err(err, errlen, "goal: deadline %lld is not after the goal's start %lld", (long long)s->deadline_ns,
			(long long)now_ns);
		return TH_ERR_INVALID;
	}
	int rc = goals_check_actions(s, &s->on_hit, "hit", err, errlen);
	return rc != TH_OK ? rc : goals_check_actions(s, &s->on_miss, "miss", err, errlen);
}

int goals_create(goals_t *g, const capital_t *c, const goals_spec *spec, int64_t now_ns, uint32_t *id, char *err,
	size_t errlen)
{
	int rc = goals_check_spec(c, spec, now_ns, err, errlen);
	if (rc != TH_OK)
		return rc;
	if (g->next_id == UINT32_MAX) {
		goals_err(err, errlen, "goal ids exhausted");
		return TH_ERR_LIMIT;
	}
	if (g->n == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 16;
		void *grown = realloc(g->v, cap * sizeof *g->v);
		if (!grown) {
			goals_err(err, errlen, "out of memory creating a goal");
			return TH_ERR_NOMEM;
		}
		g->v = grown;
		g->cap = cap;
	}
	const char *w = goals_wallet(spec);
	capital_stats st;
	capital_stats_get(c, w, &st);
	goal *x = &g->v[g->n++];
	memset(x, 0, sizeof *x);
	x->info.id = g->next_id++;
	x->info.spec = *spec;
	x->info.state = GOALS_ACTIVE;
	x->info.start_ns = now_ns;
	x->info.start_equity = st.equity;
	x->perf0 = st.equity - st.flow;
	x->trades0 = st.trades;
	x->wins0 = st.wins;
	x->losses0 = st.losses;
	capital_nav_live(c, w, &x->peak_nav);
	x->last_seq = capital_curve_seq(c, w);
	if (id)
		*id = x->info.id;
	return TH_OK;
}

int goals_get(const goals_t *g, uint32_t id, goals_info *out)
{
	const goal *x = goals_find(g, id);
	if (!x)
		return TH_ERR_NOT_FOUND;
	*out = x->info;
	return TH_OK;
}

int goals_update(goals_t *g, const capital_t *c, uint32_t id, const goals_spec *spec, char *err, size_t errlen)
{
	goal *x = goals_find(g, id);
	if (!x) {
		goals_err(err, errlen, "goal %u does not exist", id);
		return TH_ERR_NOT_FOUND;
	}
	if (spec->scope != x->info.spec.scope || strncmp(spec->target, x->info.spec.target, sizeof spec->target) != 0) {
		goals_err(err, errlen, "goal %u: scope and target cannot change (delete and create a new goal)", id);
		return TH_ERR_INVALID;
	}
	/* The deadline must lie after the goal's start, not after now. */
	int rc = goals_check_spec(c, spec, x->info.start_ns, err, errlen);
	if (rc != TH_OK)
		return rc;
	x->info.spec = *spec;
	return TH_OK;
}

int goals_delete(goals_t *g, uint32_t id)
{
	goal *x = goals_find(g, id);
	if (!x)
		return TH_ERR_NOT_FOUND;
	size_t i = (size_t)(x - g->v);
	memmove(&g->v[i], &g->v[i + 1], (g->n - i - 1) * sizeof *g->v);
	g->n--;
	return TH_OK;
}

size_t goals_list(const goals_t *g, uint32_t *ids, size_t max)
{
	for (size_t i = 0; i < g->n && i < max; i++)
		ids[i] = g->v[i].info.id;
	return g->n;
}

static int goals_paused_index(const goals_t *g, const char *name)
{
	for (size_t i = 0; i < g->npaused; i++)
		if (strcmp(g->paused[i], name) == 0)
			return (int)i;
	return -1;
}

bool goals_is_paused(const goals_t *g, const capital_t *c, const char *name)
{
	char parent[TH_NAME_MAX];
	if (!name)
		return false;
	if (goals_paused_index(g, "") >= 0 || goals_paused_index(g, name) >= 0)
		return true;
	if (capital_kind_of(c, name, parent, sizeof parent) == CAPITAL_KIND_AGENT && goals_paused_index(g, parent) >= 0)
		return true;
	return false;
}

int goals_pause(goals_t *g, const char *name)
{
	if (!name || strlen(name) >= TH_NAME_MAX)
		return TH_ERR_INVALID;
	if (goals_paused_index(g, name) >= 0)
		return TH_OK;
	if (g->npaused == g->cappaused) {
		size_t cap = g->cappaused ? g->cappaused * 2 : 8;
		void *grown = realloc(g->paused, cap * sizeof *g->paused);
		if (!grown)
			return TH_ERR_NOMEM;
		g->paused = grown;
		g->cappaused = cap;
	}
	memcpy(g->paused[g->npaused++], name, strlen(name) + 1);
	return TH_OK;
}

int goals_resume(goals_t *g, const char *name)
{
	int i = name ? goals_paused_index(g, name) : -1;
	if (i < 0)
		return TH_OK;
	memmove(&g->paused[i], &g->paused[i + 1], (g->npaused - (size_t)i - 1) * sizeof *g->paused);
	g->npaused--;
	return TH_OK;
}

char *goals_dump(const goals_t *g, size_t *len)
{
	size_t cap = 512 + g->n * 2048 + g->npaused * (TH_NAME_MAX + 16);
	char *buf = malloc(cap);
	size_t n = 0;
	if (!buf)
		return NULL;
#define GOALS_PUT(...)                                                        \
	do {                                                                  \
		int k_ = snprintf(buf + n, cap - n, __VA_ARGS__);             \
		if (k_ < 0 || (size_t)k_ >= cap - n) {                        \
			free(buf);                                            \
			return NULL;                                          \
		}                                                             \
		n += (size_t)k_;                                              \
	} while (0)
	GOALS_PUT("goals next_id=%u count=%zu\n", g->next_id, g->n);
	for (size_t i = 0; i < g->n; i++) {
		const goal *x = &g->v[i];
		const goals_info *f = &x->info;
		const goals_spec *s = &f->spec;
		GOALS_PUT("goal %u label=%s scope=%d target=%s criteria=0x%x profit=%lld return=%lld trades=%u win=%lld "
			  "dd=%lld deadline=%lld hit=%x/%a/%lld miss=%x/%a/%lld\n",
			f->id, s->label, s->scope, s->target, s->criteria, (long long)s->profit, (long long)s->return_bps,
			s->trades, (long long)s->win_rate_bps, (long long)s->max_drawdown_bps, (long long)s->deadline_ns,
			s->on_hit.flags, s->on_hit.weight, (long long)s->on_hit.amount, s->on_miss.flags, s->on_miss.weight,
			(long long)s->on_miss.amount);
		GOALS_PUT(" state=%d miss=%d start=%lld end=%lld start_equity=%lld perf0=%lld base=%u/%u/%u peak_nav=%lld "
			  "seq=%llu emitted=%d\n",
			f->state, f->miss_reason, (long long)f->start_ns, (long long)f->end_ns, (long long)f->start_equity,
			(long long)x->perf0, x->trades0, x->wins0, x->losses0, (long long)x->peak_nav,
			(unsigned long long)x->last_seq, x->emitted);
		GOALS_PUT(" metrics profit=%lld return=%lld trades=%u wins=%u losses=%u win=%lld dd=%lld "
			  "progress=%a/%a/%a/%a/%a/%a/%a\n",
			(long long)f->m.profit, (long long)f->m.return_bps, f->m.trades, f->m.wins, f->m.losses,
			(long long)f->m.win_rate_bps, (long long)f->m.drawdown_bps, f->p.profit, f->p.ret, f->p.trades,
			f->p.win_rate, f->p.drawdown, f->p.time, f->p.overall);
	}
	for (size_t i = 0; i < g->npaused; i++)
		GOALS_PUT("paused '%s'\n", g->paused[i]);
#undef GOALS_PUT
	if (len)
		*len = n;
	return buf;
}
