/*
 * The scope table: which portfolios (host, farms, agents) have a precomputed
 * scenario P&L ring, and how each is kept in step with the host's positions.
 *
 * Positions are read through the host's positions() view and applied as a
 * diff against what the scope already holds, so a sync is cheap when little
 * changed and never double-counts, whatever the order in which the OMS's
 * fill events and the ledger update reach us. Syncs happen when a fill of the
 * scope arrives, on the refresh timer, and when a scope is first needed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "var_model.h"

static void scope_free_arrays(var_model *m, var_scope *sc)
{
	var_release(m->api, m->ctx, sc->pnl);
	var_release(m->api, m->ctx, sc->qty);
	var_release(m->api, m->ctx, sc->qscale);
	var_release(m->api, m->ctx, sc->value);
	var_release(m->api, m->ctx, sc->held_at);
	var_release(m->api, m->ctx, sc->held);
	var_release(m->api, m->ctx, sc->kidx);
	sc->kidx = NULL;
	sc->pnl = NULL;
	sc->qty = NULL;
	sc->qscale = NULL;
	sc->value = NULL;
	sc->held_at = NULL;
	sc->held = NULL;
}

static int scope_alloc_arrays(var_model *m, var_scope *sc)
{
	size_t w = m->hist.window, ni = m->hist.max_inst;
	if (sc->pnl)
		return 0;
	sc->pnl = m->api->alloc(m->ctx, w * sizeof *sc->pnl);
	sc->qty = m->api->alloc(m->ctx, ni * sizeof *sc->qty);
	sc->qscale = m->api->alloc(m->ctx, ni * sizeof *sc->qscale);
	sc->value = m->api->alloc(m->ctx, ni * sizeof *sc->value);
	sc->held_at = m->api->alloc(m->ctx, ni * sizeof *sc->held_at);
	sc->held = m->api->alloc(m->ctx, ni * sizeof *sc->held);
	sc->kidx = m->api->alloc(m->ctx, var_es_need(w, VAR_CONF_975) * sizeof *sc->kidx);
	sc->kth_gen = 0; /* kidx holds nothing yet */
	sc->kth_n = 0;
	if (!sc->pnl || !sc->qty || !sc->qscale || !sc->value || !sc->held_at || !sc->held || !sc->kidx) {
		scope_free_arrays(m, sc);
		return -1;
	}
	return 0;
}

/* Empty portfolio: P&L ring all zero, nothing held. */
static void scope_clear(var_model *m, var_scope *sc)
{
	size_t w = m->hist.window, ni = m->hist.max_inst;
	memset(sc->pnl, 0, w * sizeof *sc->pnl);
	memset(sc->qty, 0, ni * sizeof *sc->qty);
	memset(sc->qscale, 0, ni * sizeof *sc->qscale);
	memset(sc->value, 0, ni * sizeof *sc->value);
	memset(sc->held_at, 0xff, ni * sizeof *sc->held_at); /* -1 */
	sc->nheld = 0;
	sc->broken = 0;
	sc->why[0] = '\0';
	sc->synced = 0;
	sc->meta_valid = 0;
	sc->pos_gen++;
	sc->pnl_gen++;
}

int var_scopes_init(var_model *m)
{
	size_t ni = m->hist.max_inst;
	m->max_scopes = (size_t)m->cfg.max_scopes;
	m->scopes = m->api->alloc(m->ctx, m->max_scopes * sizeof *m->scopes);
	m->mark = m->api->alloc(m->ctx, ni * sizeof *m->mark);
	m->newq = m->api->alloc(m->ctx, ni * sizeof *m->newq);
	m->newqs = m->api->alloc(m->ctx, ni * sizeof *m->newqs);
	m->touched = m->api->alloc(m->ctx, ni * sizeof *m->touched);
	m->pos_cap = 64;
	m->pos_buf = m->api->alloc(m->ctx, m->pos_cap * sizeof *m->pos_buf);
	if (!m->scopes || !m->mark || !m->newq || !m->newqs || !m->touched || !m->pos_buf)
		return TH_ERR_NOMEM;
	memset(m->scopes, 0, m->max_scopes * sizeof *m->scopes);
	memset(m->mark, 0, ni * sizeof *m->mark);
	m->mark_gen = 0;
	return TH_OK;
}

void var_scopes_free(var_model *m)
{
	if (m->scopes)
		for (size_t i = 0; i < m->max_scopes; i++)
			scope_free_arrays(m, &m->scopes[i]);
	var_release(m->api, m->ctx, m->scopes);
	var_release(m->api, m->ctx, m->mark);
	var_release(m->api, m->ctx, m->newq);
	var_release(m->api, m->ctx, m->newqs);
	var_release(m->api, m->ctx, m->touched);
	var_release(m->api, m->ctx, m->pos_buf);
	m->scopes = NULL;
	m->mark = NULL;
	m->newq = NULL;
	m->newqs = NULL;
	m->touched = NULL;
	m->pos_buf = NULL;
}

static void broken(var_scope *sc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void broken(var_scope *sc, const char *fmt, ...)
{
	va_list ap;
	sc->broken = 1;
	va_start(ap, fmt);
	vsnprintf(sc->why, sizeof sc->why, fmt, ap);
	va_end(ap);
}

/* Reads the scope's positions into m->pos_buf (growing it); count or -1. */
static long read_positions(var_model *m, var_scope *sc)
{
	for (;;) {
		size_t n = m->api->positions(m->ctx, sc->wallet, m->pos_buf, m->pos_cap);
		if (n <= m->pos_cap)
			return (long)n;
		size_t cap = n + n / 2;
		th_position *buf = m->api->alloc(m->ctx, cap * sizeof *buf);
		if (!buf) {
			broken(sc, "out of memory reading the positions of %s", sc->wallet);
			return -1;
		}
		var_release(m->api, m->ctx, m->pos_buf);
		m->pos_buf = buf;
		m->pos_cap = cap;
	}
}

int var_scope_sync(var_model *m, var_scope *sc)
{
	if (sc->broken)
		scope_clear(m, sc); /* start again from nothing: the diff base is not trusted */
	long n = read_positions(m, sc);
	if (n < 0)
		return -1;
	if (++m->mark_gen == 0) {
		memset(m->mark, 0, m->hist.max_inst * sizeof *m->mark);
		m->mark_gen = 1;
	}
	uint32_t gen = m->mark_gen;
	size_t ntouched = 0;
	for (long i = 0; i < n; i++) {
		const th_position *p = &m->pos_buf[i];
		if (p->qty == 0)
			continue;
		if (p->qty_scale < 0 || p->qty_scale > TH_SCALE_MAX) {
			broken(sc, "position %s:%s has an invalid qty scale", p->venue, p->symbol);
			return -1;
		}
		int32_t id = var_hist_intern(&m->hist, p->venue, p->symbol);
		if (id < 0) {
			broken(sc, "instrument table full (max_instruments) at %s:%s", p->venue, p->symbol);
			return -1;
		}
		if (m->mark[id] != gen) {
			m->mark[id] = gen;
			m->newq[id] = p->qty;
			m->newqs[id] = (int8_t)p->qty_scale;
			m->touched[ntouched++] = (uint32_t)id;
		} else { /* the same instrument twice: add them up at the first one's scale */
			th_qty q;
			if (th_fixed_rescale(p->qty, p->qty_scale, m->newqs[id], &q) != 0 ||
				__builtin_add_overflow(m->newq[id], q, &m->newq[id])) {
				broken(sc, "positions of %s:%s do not add up in range", p->venue, p->symbol);
				return -1;
			}
		}
	}
	for (size_t i = 0; i < ntouched; i++) {
		uint32_t id = m->touched[i];
		if (sc->qty[id] != m->newq[id] || sc->qscale[id] != m->newqs[id])
			if (var_book_set_position(m, sc, id, m->newq[id], m->newqs[id]) != 0)
				return -1;
	}
	/* backwards: removing swaps the last entry (already seen) into place */
	for (size_t j = sc->nheld; j-- > 0;) {
		uint32_t id = sc->held[j];
		if (m->mark[id] != gen && var_book_set_position(m, sc, id, 0, sc->qscale[id]) != 0)
			return -1;
	}
	sc->synced = 1;
	sc->dirty = 0;
	return 0;
}

static var_scope *find(var_model *m, int kind, const char *name)
{
	for (size_t i = 0; i < m->max_scopes; i++) {
		var_scope *sc = &m->scopes[i];
		if (sc->live && sc->kind == kind && strcmp(sc->name, name) == 0)
			return sc;
	}
	return NULL;
}

var_scope *var_scope_get(var_model *m, int kind, const char *name, int create)
{
	var_scope *sc = find(m, kind, name);
	if (sc || !create) {
		if (sc)
			sc->last_used = ++m->use_clock;
		return sc;
	}
	/* a free slot, else the least recently used farm or agent (never the host) */
	var_scope *victim = NULL;
	for (size_t i = 0; i < m->max_scopes && !victim; i++)
		if (!m->scopes[i].live)
			victim = &m->scopes[i];
	if (!victim) {
		for (size_t i = 0; i < m->max_scopes; i++) {
			var_scope *c = &m->scopes[i];
			if (c->kind != VAR_SCOPE_HOST && (!victim || c->last_used < victim->last_used))
				victim = c;
		}
	}
	if (!victim)
		return NULL;
	if (victim->live)
		m->api->logf(m->ctx, TH_LOG_DEBUG, "var: scope %s dropped from the cache (max_scopes)", victim->wallet);
	victim->live = 0;
	if (scope_alloc_arrays(m, victim) != 0)
		return NULL;
	scope_clear(m, victim);
	victim->kind = kind;
	th_strlcpy(victim->name, name, sizeof victim->name);
	th_strlcpy(victim->wallet, kind == VAR_SCOPE_HOST ? VAR_HOST_WALLET : name, sizeof victim->wallet);
	victim->limit = var_config_limit(&m->cfg, kind, name);
	victim->metrics_ok = 0;
	victim->live = 1;
	victim->last_used = ++m->use_clock;
	var_scope_sync(m, victim); /* a failure leaves it broken: checks on it deny */
	return victim;
}

size_t var_scope_scenarios(var_model *m, var_scope *sc, int32_t *bad)
{
	const var_hist *h = &m->hist;
	if (sc->meta_valid && sc->meta_hist_gen == h->gen && sc->meta_pos_gen == sc->pos_gen) {
		*bad = sc->meta_bad;
		return sc->meta_n;
	}
	size_t n = h->n;
	int32_t worst = -1;
	for (size_t j = 0; j < sc->nheld; j++) {
		uint32_t id = sc->held[j];
		size_t u = var_hist_usable(h, &h->inst[id]);
		if (u < n || (u == 0 && worst < 0)) {
			n = u;
			worst = (int32_t)id;
		}
	}
	sc->meta_valid = 1;
	sc->meta_hist_gen = h->gen;
	sc->meta_pos_gen = sc->pos_gen;
	sc->meta_n = n;
	sc->meta_bad = worst;
	*bad = worst;
	return n;
}

void var_scopes_on_fill(var_model *m, const char *agent)
{
	const char *farm = NULL;
	if (TH_HOST_HAS(m->api, agent_farm))
		farm = m->api->agent_farm(m->ctx, agent);
	/* an agent that trades gets its own figures, and so does its farm */
	var_scope_get(m, VAR_SCOPE_AGENT, agent, 1);
	if (farm && farm[0])
		var_scope_get(m, VAR_SCOPE_FARM, farm, 1);
	for (size_t i = 0; i < m->max_scopes; i++) {
		var_scope *sc = &m->scopes[i];
		if (!sc->live)
			continue;
		if (sc->kind == VAR_SCOPE_HOST || (sc->kind == VAR_SCOPE_AGENT && strcmp(sc->name, agent) == 0) ||
			(sc->kind == VAR_SCOPE_FARM && (!farm || strcmp(sc->name, farm) == 0)))
			var_scope_sync(m, sc);
	}
}
