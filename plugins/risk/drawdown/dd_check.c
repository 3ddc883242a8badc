/*
 * drawdown — check(): the per-intent gate. Pure reading: it takes the
 * current drawdown of the intent's agent, farm and the host from the wallet
 * figures, combines it with the latched breaker levels (a level stays in
 * force until it re-arms, even if the drawdown recovered) and
 *   - at hard or kill: denies (TH_RISK_DRAWDOWN) an intent that opens or grows exposure,
 *   - at soft: approves a growing intent for qty x soft_scale_pct rounded down to the lot,
 *   - approves everything that only reduces.
 * Actions (trading state, de-leveraging) are never taken here: when a level
 * is reached that is not latched yet, an immediate evaluation is scheduled.
 * No allocation: the scope table and scan buffers were sized at create.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dd_exposure.h"
#include "dd_internal.h"
#include "dd_math.h"
#include "dd_table.h"

typedef struct worst {
	int level;       /* effective level: max(reached now, latched) */
	int reached;     /* level reached by the current drawdown */
	int kind;
	const dd_scope *scope;
	int64_t ppm;     /* current drawdown */
} worst;

/* Appends to a verdict message; the 128-byte message is cut, never overrun. */
__attribute__((format(printf, 2, 3))) static void say(th_risk_verdict *v, const char *fmt, ...)
{
	size_t n = strnlen(v->message, sizeof v->message);
	va_list ap;
	if (n + 1 >= sizeof v->message)
		return;
	va_start(ap, fmt);
	vsnprintf(v->message + n, sizeof v->message - n, fmt, ap);
	va_end(ap);
}

static int deny(dd_model *m, th_risk_verdict *v, uint32_t reason)
{
	v->approved = 0;
	v->reason_code = reason;
	v->max_qty = 0;
	m->api->metric_add(m->ctx, m->metric.denied, 1);
	if (reason == TH_RISK_NO_DATA)
		m->api->metric_add(m->ctx, m->metric.no_data, 1);
	return TH_OK;
}

static int approve(th_risk_verdict *v, th_qty max_qty)
{
	v->approved = 1;
	v->reason_code = TH_RISK_APPROVED;
	v->max_qty = max_qty;
	return TH_OK;
}

static const char *shown_name(const dd_scope *s)
{
	return s->kind == DD_HOST ? "" : s->name;
}

/* "drawdown: farm trend drawdown 10.5% (hard level 10%, latched)" */
static void describe(const dd_model *m, const worst *w, th_risk_verdict *v)
{
	char now[32], lim[32];
	dd_fmt_pct(w->ppm, now, sizeof now);
	dd_fmt_pct(m->cfg.level_ppm[w->kind][w->level - 1], lim, sizeof lim);
	say(v, "drawdown: %s%s%s drawdown %s%% (%s level %s%%%s)", dd_kind_name(w->kind), w->kind == DD_HOST ? "" : " ",
		shown_name(w->scope), now, dd_level_name(w->level), lim, w->reached < w->level ? ", latched" : "");
}

/* Soft level: scale a growing intent down to the lot. */
static int scale(dd_model *m, const th_event *ev, const worst *w, th_risk_verdict *v)
{
	const th_order *o = &ev->u.intent.order;
	const th_instrument *ins = m->api->instrument(m->ctx, ev->h.venue, o->symbol);
	th_qty lot, min_qty, q, back;
	if (!ins) {
		say(v, "drawdown: no instrument %s:%s to round the scaled quantity", ev->h.venue,
			o->symbol);
		return deny(m, v, TH_RISK_NO_DATA);
	}
	/* The lot at the order's qty scale; refuse if it cannot be expressed exactly there. */
	if (th_fixed_rescale(ins->lot, ins->qty_scale, o->qty_scale, &lot) != 0 ||
	    th_fixed_rescale(lot, o->qty_scale, ins->qty_scale, &back) != 0 || back != ins->lot || lot <= 0 ||
	    th_fixed_rescale(ins->min_qty, ins->qty_scale, o->qty_scale, &min_qty) != 0) {
		say(v, "drawdown: lot of %s:%s does not fit the order's qty scale %d",
			ev->h.venue, o->symbol, (int)o->qty_scale);
		return deny(m, v, TH_RISK_NO_DATA);
	}
	if (dd_scale_qty(o->qty, m->cfg.scale_bps, lot, &q) != 0) {
		say(v, "drawdown: cannot scale quantity %lld", (long long)o->qty);
		return deny(m, v, TH_RISK_ERROR);
	}
	if (q >= o->qty)
		return approve(v, 0);
	if (q <= 0 || q < min_qty) {
		describe(m, w, v);
		say(v, ": scaled quantity below the lot / min_qty");
		return deny(m, v, TH_RISK_DRAWDOWN);
	}
	describe(m, w, v);
	say(v, ": scaled to %lld", (long long)q);
	m->api->metric_add(m->ctx, m->metric.scaled, 1);
	return approve(v, q);
}

int dd_check(void *instance, const th_event *ev, th_risk_verdict *v)
{
	dd_model *m = instance;
	const th_host_api *api = m->api;
	worst w = { DD_NONE, DD_NONE, DD_HOST, NULL, 0 };

	v->message[0] = '\0';
	if (ev->h.type != TH_EV_INTENT) {
		say(v, "drawdown: event type %u is not an intent", (unsigned)ev->h.type);
		return deny(m, v, TH_RISK_ERROR);
	}
	if (ev->u.intent.action != TH_INTENT_PLACE)
		return approve(v, 0); /* cancels only ever reduce risk */

	const char *farm = ev->u.intent.farm;
	if (farm[0] == '\0' && ev->h.agent[0] != '\0') {
		const char *f = api->agent_farm(m->ctx, ev->h.agent);
		if (f)
			farm = f;
	}
	const char *names[DD_KINDS] = { ev->h.agent, farm, "" };

	for (int kind = 0; kind < DD_KINDS; kind++) {
		if (!dd_kind_enabled(&m->cfg, kind) || (kind != DD_HOST && names[kind][0] == '\0'))
			continue;
		int added;
		dd_scope *s = dd_table_add(&m->table, kind, names[kind], &added);
		if (!s) {
			say(v, "drawdown: cannot track %s %.31s: max_scopes = %u reached",
				dd_kind_name(kind), names[kind], (unsigned)m->cfg.max_scopes);
			return deny(m, v, TH_RISK_ERROR);
		}
		th_wallet_stats st;
		if (api->wallet_stats(m->ctx, dd_wallet_of(s), &st) != TH_OK) {
			say(v, "drawdown: no wallet figures for %s %.31s",
				dd_kind_name(kind), dd_wallet_of(s));
			return deny(m, v, TH_RISK_NO_DATA);
		}
		th_money peak = dd_effective_peak(s, &st, m->cfg.peak_self);
		int reached = dd_level_reached(&m->cfg, kind, peak, st.equity);
		int latched = dd_highest_latched(s);
		if (added || reached > latched)
			dd_eval_soon(m); /* latch and act (and persist a new scope) right after this callback */
		int level = reached > latched ? reached : latched;
		if (level > w.level) {
			w.level = level;
			w.reached = reached;
			w.kind = kind;
			w.scope = s;
			w.ppm = dd_ppm(peak, st.equity);
		}
	}

	if (w.level == DD_NONE || !dd_intent_grows(m, ev))
		return approve(v, 0);
	if (w.level >= DD_HARD) {
		describe(m, &w, v);
		say(v, ": only reducing orders");
		return deny(m, v, TH_RISK_DRAWDOWN);
	}
	return scale(m, ev, &w, v);
}
