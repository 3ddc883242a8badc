/*
 * drawdown — the evaluation tick (every eval_seconds of host time, and right
 * after a check() that saw a level not latched yet). Per scope, in order:
 *
 *  1. manual re-arm: a hard/kill breaker is latched, the scope's trading state
 *     was REDUCING/HALTED when we last looked and is ACTIVE now -> an operator
 *     lifted it: every level re-arms and the peak is re-based to the current
 *     equity (otherwise the same drawdown would trip again on this tick);
 *  2. the peak moves up (dd_effective_peak);
 *  3. each enabled level: reached -> latched (trip); latched and below ->
 *     re-armed once it stayed below for <level>_rearm_seconds;
 *  4. trading state follows the latched levels: kill -> HALTED, hard ->
 *     REDUCING, none -> ACTIVE. We only ever tighten a looser state, and only
 *     loosen a state we set ourselves that nobody changed since;
 *  5. de-leveraging: kill latched -> reduce_exposure(10000) now and again every
 *     step_seconds until the scope is flat; hard latched and still reached ->
 *     reduce_exposure(step_bps) every step_seconds until flat or the
 *     drawdown is back below the hard level.
 * Changes are persisted at the end of the tick (peak-only changes at most
 * once a minute).
 */
#include <stdio.h>
#include <string.h>

#include "dd_internal.h"
#include "dd_math.h"
#include "dd_persist.h"

static void alert(dd_model *m, uint32_t level, const char *code, const char *text)
{
	th_event ev;
	th_event_init(&ev, TH_EV_ALERT);
	memset(&ev.u.alert, 0, sizeof ev.u.alert);
	ev.u.alert.level = level;
	th_strlcpy(ev.u.alert.code, code, sizeof ev.u.alert.code);
	th_strlcpy(ev.u.alert.text, text, sizeof ev.u.alert.text);
	if (m->api->publish(m->ctx, &ev) != TH_OK)
		m->api->logf(m->ctx, TH_LOG_WARN, "drawdown: alert not published: %s", text);
	m->api->logf(m->ctx, level >= TH_ALERT_CRITICAL ? TH_LOG_ERROR : TH_LOG_WARN, "%s", text);
}

static const char *label(const dd_scope *s, char *buf, size_t cap)
{
	if (s->kind == DD_HOST)
		snprintf(buf, cap, "host");
	else
		snprintf(buf, cap, "%s %s", dd_kind_name(s->kind), s->name);
	return buf;
}

static void manual_rearm(dd_model *m, dd_scope *s, const th_wallet_stats *st)
{
	char who[48], text[256];
	s->latched = 0;
	memset(s->below_since_ns, 0, sizeof s->below_since_ns);
	s->owned_state = 0;
	s->peak = st->equity;
	s->host_peak_floor = st->peak_equity;
	m->dirty = 1;
	m->api->metric_add(m->ctx, m->metric.rearms, 1);
	snprintf(text, sizeof text, "drawdown breaker of %s re-armed by the operator (state set ACTIVE); peak re-based",
		label(s, who, sizeof who));
	alert(m, TH_ALERT_INFO, "drawdown_rearm", text);
}

static void trip(dd_model *m, dd_scope *s, int level, th_money peak, th_money equity, int64_t now)
{
	char who[48], dd[32], lim[32], text[256];
	static const char *const codes[] = { "", "drawdown_soft", "drawdown_hard", "drawdown_kill" };
	s->latched |= (uint8_t)DD_BIT(level);
	s->below_since_ns[level - 1] = 0;
	if (level >= DD_HARD)
		s->next_step_ns = now; /* the first de-leveraging step is due now */
	m->dirty = 1;
	m->api->metric_add(m->ctx, m->metric.trips, 1);
	dd_fmt_pct(dd_ppm(peak, equity), dd, sizeof dd);
	dd_fmt_pct(m->cfg.level_ppm[s->kind][level - 1], lim, sizeof lim);
	snprintf(text, sizeof text, "drawdown %s level tripped for %s: %s%% from peak (level %s%%)", dd_level_name(level),
		label(s, who, sizeof who), dd, lim);
	alert(m, level == DD_SOFT ? TH_ALERT_WARNING : TH_ALERT_CRITICAL, codes[level], text);
}

static void rearm(dd_model *m, dd_scope *s, int level)
{
	char who[48], text[256];
	s->latched &= (uint8_t)~DD_BIT(level);
	s->below_since_ns[level - 1] = 0;
	m->dirty = 1;
	m->api->metric_add(m->ctx, m->metric.rearms, 1);
	snprintf(text, sizeof text, "drawdown %s level re-armed for %s after %lld s below it", dd_level_name(level),
		label(s, who, sizeof who), (long long)(m->cfg.rearm_ns[level - 1] / 1000000000LL));
	alert(m, TH_ALERT_INFO, "drawdown_rearm", text);
}

static void set_state(dd_model *m, dd_scope *s, int state, int cur)
{
	char who[48], reason[128];
	int level = dd_highest_latched(s);
	if (level >= DD_HARD)
		snprintf(reason, sizeof reason, "drawdown %s level of %s", dd_level_name(level), label(s, who, sizeof who));
	else
		snprintf(reason, sizeof reason, "drawdown breakers of %s re-armed", label(s, who, sizeof who));
	int rc = m->api->set_trading_state(m->ctx, dd_th_scope(s->kind), s->name, state, reason);
	if (rc != TH_OK) {
		/* Retried on the next tick: nothing is recorded as done. */
		m->api->logf(m->ctx, TH_LOG_ERROR, "drawdown: set_trading_state(%s, %d) failed (%d), state stays %d",
			label(s, who, sizeof who), state, rc, cur);
		return;
	}
	s->seen_state = (uint8_t)state;
	s->owned_state = (uint8_t)(state > TH_STATE_ACTIVE ? state : 0);
	m->dirty = 1;
}

static void follow_state(dd_model *m, dd_scope *s, int cur)
{
	int level = dd_highest_latched(s);
	int desired = level == DD_KILL ? TH_STATE_HALTED : level == DD_HARD ? TH_STATE_REDUCING : TH_STATE_ACTIVE;
	if (desired > cur) {
		set_state(m, s, desired, cur);
	} else if (desired < cur && s->owned_state == cur) {
		set_state(m, s, desired, cur);
	} else if (s->owned_state != 0 && s->owned_state != cur) {
		s->owned_state = 0; /* someone else changed it: it is theirs now */
		m->dirty = 1;
	}
}

static void deleverage(dd_model *m, dd_scope *s, const th_wallet_stats *st, int reached, int64_t now)
{
	uint32_t bps;
	if (s->latched & DD_BIT(DD_KILL))
		bps = 10000;
	else if ((s->latched & DD_BIT(DD_HARD)) && reached >= DD_HARD)
		bps = m->cfg.step_bps;
	else
		return;
	if ((st->positions == 0 && st->open_orders == 0) || now < s->next_step_ns)
		return;
	int sent = m->api->reduce_exposure(m->ctx, dd_th_scope(s->kind), s->name, bps);
	if (sent < 0) {
		char who[48];
		m->api->logf(m->ctx, TH_LOG_ERROR, "drawdown: reduce_exposure(%s, %u bps) failed (%d)", label(s, who, sizeof who),
			bps, sent);
	}
	m->api->metric_add(m->ctx, m->metric.steps, 1);
	s->next_step_ns = now + m->cfg.step_ns;
	m->dirty = 1;
}

static void eval_scope(dd_model *m, dd_scope *s, int64_t now)
{
	const th_host_api *api = m->api;
	th_wallet_stats st;
	if (api->wallet_stats(m->ctx, dd_wallet_of(s), &st) != TH_OK) {
		/* No figures: nothing can be measured; latched levels stay as they are. */
		api->metric_add(m->ctx, m->metric.no_data, 1);
		return;
	}
	int cur = api->trading_state(m->ctx, dd_th_scope(s->kind), s->name);
	if ((s->latched & (DD_BIT(DD_HARD) | DD_BIT(DD_KILL))) && cur == TH_STATE_ACTIVE && s->seen_state > TH_STATE_ACTIVE)
		manual_rearm(m, s, &st);
	if (s->seen_state != cur) {
		s->seen_state = (uint8_t)cur;
		m->dirty = 1;
	}

	th_money peak = dd_effective_peak(s, &st, m->cfg.peak_self);
	if (peak != s->peak) {
		s->peak = peak;
		m->peak_dirty = 1;
	}
	int reached = dd_level_reached(&m->cfg, s->kind, peak, st.equity);
	for (int level = DD_SOFT; level <= DD_KILL; level++) {
		if (m->cfg.level_ppm[s->kind][level - 1] == 0)
			continue;
		int bit = (int)DD_BIT(level);
		if (reached >= level) {
			if (!(s->latched & bit))
				trip(m, s, level, peak, st.equity, now);
			else if (s->below_since_ns[level - 1] != 0) {
				s->below_since_ns[level - 1] = 0; /* back above: the re-arm clock restarts */
				m->dirty = 1;
			}
		} else if (s->latched & bit) {
			if (s->below_since_ns[level - 1] == 0) {
				s->below_since_ns[level - 1] = now;
				m->dirty = 1;
			}
			if (now - s->below_since_ns[level - 1] >= m->cfg.rearm_ns[level - 1])
				rearm(m, s, level);
		}
	}
	follow_state(m, s, cur);
	deleverage(m, s, &st, reached, now);
	if (s->kind == DD_HOST)
		api->metric_set(m->ctx, m->metric.host_dd_ppm, dd_ppm(peak, st.equity));
}

int dd_persist_now(dd_model *m)
{
	size_t len = dd_encode(&m->table, m->blob, m->blob_cap);
	if (len == 0)
		return TH_ERR;
	int rc = m->api->state_put(m->ctx, DD_STATE_KEY, m->blob, len);
	if (rc != TH_OK) {
		m->api->logf(m->ctx, TH_LOG_ERROR, "drawdown: state_put(%s) failed (%d); retried next tick", DD_STATE_KEY, rc);
		return rc;
	}
	m->dirty = 0;
	m->peak_dirty = 0;
	m->last_persist_ns = m->api->now_ns(m->ctx);
	return TH_OK;
}

void dd_eval_all(dd_model *m)
{
	int64_t now = m->api->now_ns(m->ctx);
	for (uint32_t i = 0; i < m->table.count; i++)
		eval_scope(m, &m->table.scopes[i], now);
	if (m->dirty || (m->peak_dirty && now - m->last_persist_ns >= DD_PEAK_PERSIST_NS))
		dd_persist_now(m);
}

static void on_soon(void *arg, uint64_t timer_id)
{
	dd_model *m = arg;
	(void)timer_id;
	m->eval_pending = 0;
	dd_eval_all(m);
}

void dd_eval_soon(dd_model *m)
{
	if (m->eval_pending || !m->started)
		return;
	if (m->api->timer_add(m->ctx, 0, 0, on_soon, m, NULL) == TH_OK)
		m->eval_pending = 1; /* else the periodic tick catches it */
}
