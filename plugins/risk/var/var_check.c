/*
 * check(): post-trade expected shortfall against the limits of the intent's
 * agent, its farm and the host.
 *
 * The intent is valued at its own price (limit / stop-limit: price; stop:
 * stop_price) or, for a market order, at the host's last price (else our last
 * bar close). Its scenario P&L is value x return per scenario; the post-trade
 * P&L of a scope is the scope's precomputed ring plus that vector, so the cost
 * is one pass over the scenarios per scope plus a ~k-entry heap — no
 * allocation, no position reads (unless sync_on_check).
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

/* The scope's ES after the trade (m->delta holds the trade's P&L, `dmax` its
 * largest entry). Only scenarios whose post-trade P&L is at most the k-th
 * smallest pre-trade P&L + dmax can be among the k worst (the k worst
 * pre-trade scenarios are all below that), so the heap sees a few dozen
 * candidates instead of every scenario. The k-th smallest pre-trade P&L is
 * cached until the scope's P&L changes. */
static int64_t es_post(var_model *m, var_scope *sc, var_span sp, size_t n, int64_t dmax)
{
	size_t k = var_es_need(n, VAR_CONF_975);
	if (sc->kth_gen != sc->pnl_gen || sc->kth_slot != m->hist.s || sc->kth_n != n || sc->kth_k != k) {
		var_tail(sc->pnl, NULL, sp, m->tail, k);
		sc->kth = m->tail[k - 1];
		sc->kth_gen = sc->pnl_gen;
		sc->kth_slot = m->hist.s;
		sc->kth_n = n;
		sc->kth_k = k;
	}
	var_tail_bounded(sc->pnl, m->delta, sp, sc->kth + dmax, m->scratch, m->tail, k);
	return horizon(m, var_expected_shortfall(m->tail, n, VAR_CONF_975));
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

	size_t delta_n = 0;
	int64_t dmax = 0;
	for (int i = 0; i < 3; i++) {
		if (want[i].limit <= 0)
			continue;
		char label[48], a[32], b[32];
		var_scope *sc = var_scope_get(m, want[i].kind, want[i].name, 1);
		if (!sc)
			return deny(v, TH_RISK_ERROR, "cannot track the portfolio of %s (out of memory)",
				want[i].name[0] ? want[i].name : "the host");
		if (m->cfg.sync_on_check || sc->dirty || sc->broken)
			var_scope_sync(m, sc);
		if (sc->broken)
			return deny(v, TH_RISK_ERROR, "%s: %s", scope_label(sc, label, sizeof label), sc->why);
		int32_t bad;
		size_t n = var_scope_scenarios(m, sc, &bad);
		if (n < (size_t)m->cfg.min_history) {
			const var_inst *bi = bad >= 0 ? &h->inst[bad] : in;
			return nodata(m, v, "%s:%s in the %s portfolio has %zu usable bars of history, %lld needed",
				bi->venue, bi->symbol, scope_label(sc, label, sizeof label), n, (long long)m->cfg.min_history);
		}
		if (n > n_intent)
			n = n_intent;
		var_span sp = var_hist_recent(h, n);
		if (n > delta_n) { /* recent spans nest: the longest one serves every scope */
			dmax = var_book_delta(m, (uint32_t)id, value, sp);
			delta_n = n;
		}
		int64_t post = es_post(m, sc, sp, n, dmax);
		if (post <= sc->limit)
			continue;
		if (m->cfg.allow_risk_reducing && post < es_pre(m, sc, sp, n))
			continue; /* above the limit, but the trade lowers the risk */
		if (m->have_metrics)
			m->api->metric_add(m->ctx, m->metrics.denied, 1);
		return deny(v, TH_RISK_VAR, "post-trade ES97.5 %s > limit %s (%s, %zu scenarios)",
			money_text(post, a, sizeof a), money_text(sc->limit, b, sizeof b), scope_label(sc, label, sizeof label),
			n);
	}
	return TH_OK;
}
