/*
 * check(): post-trade expected shortfall against the limits of the intent's
 * agent, its farm and the host.
 *
 * The intent is valued at its own price (limit / stop-limit: price; stop:
 * stop_price) or, for a market order, at the host's last price (else our last
 * bar close). Its scenario P&L is value x return per scenario; the post-trade
 * P&L of a scope is the scope's precomputed ring plus that vector, so the cost
 * is one pass over the scenarios for all three scopes together plus a
 * selection among ~k candidates per scope (es_post_all) — no allocation, no
 * position reads (unless sync_on_check).
 *
 * Anything that cannot be measured denies: no bars for an instrument, stale
 * data, too little history (TH_RISK_NO_DATA); positions that could not be
 * read or valued, an overflowing notional (TH_RISK_ERROR).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "var_check.h"
#include "var_figures.h"

static void vdeny(th_risk_verdict *v, uint32_t reason, const char *fmt, va_list ap) __attribute__((format(printf, 3, 0)));
static void vdeny(th_risk_verdict *v, uint32_t reason, const char *fmt, va_list ap)
{
	v->approved = 0;
	v->reason_code = reason;
	vsnprintf(v->message, sizeof v->message, fmt, ap);
}

static int deny(th_risk_verdict *v, uint32_t reason, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int deny(th_risk_verdict *v, uint32_t reason, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vdeny(v, reason, fmt, ap);
	va_end(ap);
	return TH_OK;
}

/* Not enough market data: deny, and count it. */
static int nodata(var_model *m, th_risk_verdict *v, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int nodata(var_model *m, th_risk_verdict *v, const char *fmt, ...)
{
	va_list ap;
	if (m->have_metrics)
		m->api->metric_add(m->ctx, m->metrics.nodata, 1);
	va_start(ap, fmt);
	vdeny(v, TH_RISK_NO_DATA, fmt, ap);
	va_end(ap);
	return TH_OK;
}

/* Money as text with 2 to 8 decimals ("1234.5" -> "1234.50"). */
static const char *money_text(th_money v, char *buf, size_t cap)
{
	int n = th_fixed_format(v, TH_MONEY_SCALE, buf, cap);
	if (n < 0)
		return "?";
	while (n > 0 && buf[n - 1] == '0' && buf[n - 3] != '.')
		buf[--n] = '\0';
	return buf;
}

static const char *scope_label(const var_scope *sc, char *buf, size_t cap)
{
	if (sc->kind == VAR_SCOPE_HOST)
		snprintf(buf, cap, "host");
	else
		snprintf(buf, cap, "%s %s", sc->kind == VAR_SCOPE_FARM ? "farm" : "agent", sc->name);
	return buf;
}

/* The price the intent is valued at; 0 if there is none. */
static th_price intent_price(var_model *m, const th_event *ev, const var_inst *in, int32_t *scale)
{
	const th_order *o = &ev->u.intent.order;
	if ((o->type == TH_ORDER_LIMIT || o->type == TH_ORDER_STOP_LIMIT) && o->price > 0) {
		*scale = o->price_scale;
		return o->price;
	}
	if (o->type == TH_ORDER_STOP && o->stop_price > 0) {
		*scale = o->price_scale;
		return o->stop_price;
	}
	if (TH_HOST_HAS(m->api, last_price)) {
		int32_t s = 0;
		th_price p = m->api->last_price(m->ctx, ev->h.venue, o->symbol, &s);
		if (p > 0) {
			*scale = s;
			return p;
		}
	}
	*scale = in->close_scale;
	return in->close;
}

static int64_t horizon(const var_model *m, int64_t x)
{
	return m->cfg.horizon_bars == 1 ? x : var_money_round((double)x * m->sqrt_h);
}

/* The scope's ES before the trade. */
static int64_t es_pre(var_model *m, const var_scope *sc, var_span sp, size_t n)
{
	size_t k = var_es_need(n, VAR_CONF_975);
	var_tail(sc->pnl, NULL, sp, m->tail, k);
	return horizon(m, var_expected_shortfall(m->tail, n, VAR_CONF_975));
}

/* The ring indices of the scope's k worst pre-trade scenarios, cached until
 * its P&L changes. */
static const uint32_t *worst_index(var_model *m, var_scope *sc, var_span sp, size_t n, size_t k)
{
	if (sc->kth_gen != sc->pnl_gen || sc->kth_slot != m->hist.s || sc->kth_n != n || sc->kth_k != k) {
		var_tail_index(sc->pnl, sp, k, sc->kidx);
		sc->kth_gen = sc->pnl_gen;
		sc->kth_slot = m->hist.s;
		sc->kth_n = n;
		sc->kth_k = k;
	}
	return sc->kidx;
}

/* One scope of a check, between the phases. */
typedef struct post_scope {
	var_scope *sc;
	var_span sp;
	size_t n, k;
	int64_t bound;  /* candidates are post-trade P&L <= bound */
	int64_t *cand;  /* VAR_CHECK_SCOPES x window scratch, one window each */
	size_t ncand;
	int64_t post;   /* post-trade ES */
} post_scope;

/* The post-trade ES of every scope (1..VAR_CHECK_SCOPES) for a trade of
 * `value` in instrument `ret`'s returns.
 *
 * A scenario's post-trade P&L is pnl[i] + d[i], d[i] = round(value x r[i]).
 * The k worst pre-trade scenarios K give a bound: the k-th smallest
 * post-trade P&L is at most max over K of pnl[j] + d[j] (any k entries bound
 * it), so only entries at or below that can be in the tail. The bound costs
 * k terms; then ONE pass over the scenarios computes d[i] once and gathers
 * every scope's candidates (scopes share the span when their history does,
 * the usual case; otherwise each scope takes its own pass). The candidates
 * (about k of them) go through a partial selection. Same ES as sorting every
 * post-trade scenario. */
static void es_post_all(var_model *m, const double *r, double value, post_scope *ps, size_t nps)
{
	for (size_t s = 0; s < nps; s++) {
		const uint32_t *K = worst_index(m, ps[s].sc, ps[s].sp, ps[s].n, ps[s].k);
		int64_t b = INT64_MIN;
		for (size_t j = 0; j < ps[s].k; j++) {
			int64_t x = ps[s].sc->pnl[K[j]] + var_money_round(value * r[K[j]]);
			b = x > b ? x : b;
		}
		ps[s].bound = b;
		ps[s].cand = m->scratch + s * m->hist.window;
		ps[s].ncand = 0;
	}
	int shared = 1;
	for (size_t s = 1; s < nps; s++)
		shared &= ps[s].n == ps[0].n;
	for (size_t first = 0; first < nps; first++) {
		size_t last = shared ? nps : first + 1; /* scopes [first, last) in this pass */
		/* three lanes in locals (the compiler keeps them in registers); an
		 * unused lane reads lane 0's P&L against a bound nothing passes, so it
		 * only ever writes its one-entry sink */
		int64_t sink[3][1];
		const int64_t *p[3];
		int64_t *c[3], b[3];
		size_t nc[3] = { 0, 0, 0 };
		for (size_t l = 0; l < 3; l++) {
			size_t s = first + l;
			int used = s < last;
			p[l] = used ? ps[s].sc->pnl : ps[first].sc->pnl;
			c[l] = used ? ps[s].cand : sink[l];
			b[l] = used ? ps[s].bound : INT64_MIN;
		}
		const int64_t *p0 = p[0], *p1 = p[1], *p2 = p[2];
		int64_t *c0 = c[0], *c1 = c[1], *c2 = c[2], b0 = b[0], b1 = b[1], b2 = b[2];
		size_t n0 = 0, n1 = 0, n2 = 0;
		const size_t a[2] = { ps[first].sp.a0, ps[first].sp.a1 }, len[2] = { ps[first].sp.n0, ps[first].sp.n1 };
		for (int part = 0; part < 2; part++) {
			for (size_t i = a[part]; i < a[part] + len[part]; i++) {
				int64_t d = var_money_round(value * r[i]);
				/* no branch on the data: write every entry, advance past candidates */
				int64_t x0 = p0[i] + d, x1 = p1[i] + d, x2 = p2[i] + d;
				c0[n0] = x0;
				n0 += x0 <= b0;
				c1[n1] = x1;
				n1 += x1 <= b1;
				c2[n2] = x2;
				n2 += x2 <= b2;
			}
		}
		nc[0] = n0;
		nc[1] = n1;
		nc[2] = n2;
		for (size_t l = 0; l < 3 && first + l < last; l++)
			ps[first + l].ncand = nc[l];
		if (shared)
			break;
	}
	for (size_t s = 0; s < nps; s++) {
		/* the k worst candidates to the front, the k-th at k-1: all the ES reads */
		var_select_smallest(ps[s].cand, ps[s].ncand, ps[s].k);
		ps[s].post = horizon(m, var_expected_shortfall(ps[s].cand, ps[s].n, VAR_CONF_975));
	}
}

int var_check(void *arg, const th_event *ev, th_risk_verdict *v)
{
	var_model *m = arg;
	var_hist *h = &m->hist;
	const th_intent *it = &ev->u.intent;
	const th_order *o = &it->order;
	v->approved = 1;
	v->reason_code = TH_RISK_APPROVED;
	v->max_qty = 0;
	v->message[0] = '\0';
	if (ev->h.type != TH_EV_INTENT || it->action != TH_INTENT_PLACE)
		return TH_OK;

	/* the scopes with a limit */
	const char *farm = it->farm;
	if (!farm[0] && TH_HOST_HAS(m->api, agent_farm) && ev->h.agent[0])
		farm = m->api->agent_farm(m->ctx, ev->h.agent);
	struct {
		int kind;
		const char *name;
		th_money limit;
	} want[3] = { { VAR_SCOPE_AGENT, ev->h.agent, 0 }, { VAR_SCOPE_FARM, farm ? farm : "", 0 }, { VAR_SCOPE_HOST, "", 0 } };
	int any = 0;
	for (int i = 0; i < 3; i++) {
		if (want[i].kind != VAR_SCOPE_HOST && !want[i].name[0])
			continue;
		want[i].limit = var_config_limit(&m->cfg, want[i].kind, want[i].name);
		any |= want[i].limit > 0;
	}
	if (!any)
		return TH_OK; /* nothing limits this intent: the plugin only measures */

	/* the intent's instrument must have usable history */
	if (!var_hist_fresh(h, m->api->now_ns(m->ctx)))
		return nodata(m, v, "no recent bars (feed stale or not started): VaR cannot be measured");
	int32_t id = var_hist_find(h, ev->h.venue, o->symbol);
	if (id < 0 || !h->inst[id].has_close)
		return nodata(m, v, "no bars seen for %s:%s: VaR cannot be measured", ev->h.venue, o->symbol);
	const var_inst *in = &h->inst[id];
	size_t n_intent = var_hist_usable(h, in);
	if (n_intent < (size_t)m->cfg.min_history)
		return nodata(m, v, "%s:%s has %zu usable bars of history, %lld needed", ev->h.venue, o->symbol,
			n_intent, (long long)m->cfg.min_history);

	/* the intent's value, signed by side */
	int32_t pscale;
	th_price px = intent_price(m, ev, in, &pscale);
	th_money value;
	if (px <= 0)
		return nodata(m, v, "no price for %s:%s", ev->h.venue, o->symbol);
	if ((o->side != TH_SIDE_BUY && o->side != TH_SIDE_SELL) || o->qty <= 0 ||
		th_notional(px, pscale, o->qty, o->qty_scale, &value) != 0)
		return deny(v, TH_RISK_ERROR, "intent cannot be valued (side, quantity or notional out of range)");
	if (o->side == TH_SIDE_SELL)
		value = -value;

	/* Phase 1, in order agent -> farm -> host: each limited scope must be
	 * measurable. The first that is not ends the list: the scopes before it
	 * are still measured (a breach there is reported first, as before). */
	post_scope ps[VAR_CHECK_SCOPES];
	size_t nps = 0;
	char why[sizeof v->message] = "";
	uint32_t why_reason = 0;
	int why_nodata = 0;
	for (int i = 0; i < 3 && !why_reason; i++) {
		if (want[i].limit <= 0)
			continue;
		char label[48];
		var_scope *sc = var_scope_get(m, want[i].kind, want[i].name, 1);
		if (!sc) {
			why_reason = TH_RISK_ERROR;
			snprintf(why, sizeof why, "cannot track the portfolio of %s (out of memory)",
				want[i].name[0] ? want[i].name : "the host");
			break;
		}
		if (m->cfg.sync_on_check || sc->dirty || sc->broken)
			var_scope_sync(m, sc);
		if (sc->broken) {
			why_reason = TH_RISK_ERROR;
			snprintf(why, sizeof why, "%s: %s", scope_label(sc, label, sizeof label), sc->why);
			break;
		}
		int32_t bad;
		size_t n = var_scope_scenarios(m, sc, &bad);
		if (n < (size_t)m->cfg.min_history) {
			const var_inst *bi = bad >= 0 ? &h->inst[bad] : in;
			why_reason = TH_RISK_NO_DATA;
			why_nodata = 1;
			snprintf(why, sizeof why, "%s:%s in the %s portfolio has %zu usable bars of history, %lld needed",
				bi->venue, bi->symbol, scope_label(sc, label, sizeof label), n, (long long)m->cfg.min_history);
			break;
		}
		if (n > n_intent)
			n = n_intent;
		ps[nps].sc = sc;
		ps[nps].n = n;
		ps[nps].k = var_es_need(n, VAR_CONF_975);
		ps[nps].sp = var_hist_recent(h, n);
		nps++;
	}

	/* Phase 2: every measurable scope's post-trade ES in one pass. */
	if (nps)
		es_post_all(m, h->inst[id].ret, (double)value, ps, nps);

	/* Phase 3, in order: the first breach denies. */
	for (size_t s = 0; s < nps; s++) {
		char label[48], a[32], b[32];
		var_scope *sc = ps[s].sc;
		if (ps[s].post <= sc->limit)
			continue;
		if (m->cfg.allow_risk_reducing && ps[s].post < es_pre(m, sc, ps[s].sp, ps[s].n))
			continue; /* above the limit, but the trade lowers the risk */
		if (m->have_metrics)
			m->api->metric_add(m->ctx, m->metrics.denied, 1);
		return deny(v, TH_RISK_VAR, "post-trade ES97.5 %s > limit %s (%s, %zu scenarios)",
			money_text(ps[s].post, a, sizeof a), money_text(sc->limit, b, sizeof b),
			scope_label(sc, label, sizeof label), ps[s].n);
	}
	if (why_nodata)
		return nodata(m, v, "%s", why);
	if (why_reason)
		return deny(v, why_reason, "%s", why);
	return TH_OK;
}
