/* Capital operations that must survive a restart: journaled, then applied. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oms/oms_internal.h"

int oms_deposit(oms_t *o, th_money amount, char *err, size_t errlen)
{
	oms_rec_deposit r = { amount };
	if (amount <= 0) {
		snprintf(err, errlen, "deposit must be positive");
		return -1;
	}
	if (capital_deposit(o->capital, amount) != 0) {
		snprintf(err, errlen, "deposit refused by the ledger");
		return -1;
	}
	size_t len = oms_enc_deposit(o->buf, sizeof o->buf, &r);
	return oms_journal(o, OMS_REC_DEPOSIT, len, NULL, NULL);
}

int oms_allocate(oms_t *o, const char *from, const char *to, th_money amount, char *err, size_t errlen)
{
	oms_rec_allocate r = { .amount = amount };
	th_strlcpy(r.from, from, sizeof r.from);
	th_strlcpy(r.to, to, sizeof r.to);
	if (capital_allocate(o->capital, from, to, amount, err, errlen) != 0)
		return -1;
	size_t len = oms_enc_allocate(o->buf, sizeof o->buf, &r);
	return oms_journal(o, OMS_REC_ALLOCATE, len, NULL, NULL);
}

int oms_collect_profits(oms_t *o, const char *wallet, char *err, size_t errlen)
{
	oms_rec_collect r;
	th_strlcpy(r.wallet, wallet, sizeof r.wallet);
	if (capital_collect_profits(o->capital, wallet, err, errlen) != 0)
		return -1;
	size_t len = oms_enc_collect(o->buf, sizeof o->buf, &r);
	return oms_journal(o, OMS_REC_COLLECT, len, NULL, NULL);
}

int oms_apply_named(oms_t *o, uint16_t type, const oms_rec_named *r, char *err, size_t errlen)
{
	switch (type) {
	case OMS_REC_PAUSE: {
		size_t i;
		for (i = 0; i < o->npaused && strcmp(o->paused[i], r->name) != 0; i++)
			;
		if (r->value && i == o->npaused) {
			char (*grown)[TH_NAME_MAX] = realloc(o->paused, (o->npaused + 1) * sizeof *grown);
			if (!grown) {
				snprintf(err, errlen, "out of memory");
				return -1;
			}
			o->paused = grown;
			th_strlcpy(o->paused[o->npaused++], r->name, TH_NAME_MAX);
		} else if (!r->value && i < o->npaused) {
			memmove(&o->paused[i], &o->paused[i + 1], (o->npaused - i - 1) * sizeof *o->paused);
			o->npaused--;
		}
		return 0;
	}
	case OMS_REC_GOAL_DONE: {
		uint64_t idx = (uint64_t)r->value & 0xFFFFFFFFu;
		if (idx < sizeof o->goal_done)
			o->goal_done[idx] = (uint8_t)((uint64_t)r->value >> 32);
		return 0;
	}
	case OMS_REC_TRADING_STATE: {
		/* name is "<scope>:<scope name>" */
		char *colon = strchr(r->name, ':');
		int scope = atoi(r->name);
		const char *name = colon ? colon + 1 : "";
		for (size_t i = 0; i < o->nstates; i++) {
			if (o->states[i].scope == scope && strcmp(o->states[i].name, name) == 0) {
				o->states[i].state = (int)r->value;
				return 0;
			}
		}
		if (o->nstates == sizeof o->states / sizeof o->states[0]) {
			snprintf(err, errlen, "too many trading-state scopes (at most %zu)", sizeof o->states / sizeof o->states[0]);
			return -1;
		}
		o->states[o->nstates].scope = scope;
		th_strlcpy(o->states[o->nstates].name, name, sizeof o->states[0].name);
		o->states[o->nstates].state = (int)r->value;
		o->nstates++;
		return 0;
	}
	case OMS_REC_SET_ALLOCATION:
		return capital_set_allocation(o->capital, r->name, r->value, err, errlen) == TH_OK ? 0 : -1;
	case OMS_REC_SET_WEIGHT:
		return capital_set_weight(o->capital, r->name, (double)r->value / 1e9, err, errlen) == TH_OK ? 0 : -1;
	default:
		snprintf(err, errlen, "unknown record type %u", type);
		return -1;
	}
}

static int named_op(oms_t *o, uint16_t type, const char *name, int64_t value, char *err, size_t errlen)
{
	oms_rec_named r = { .value = value };
	th_strlcpy(r.name, name, sizeof r.name);
	if (oms_apply_named(o, type, &r, err, errlen) != 0)
		return -1;
	size_t len = oms_enc_named(o->buf, sizeof o->buf, &r);
	return oms_journal(o, type, len, NULL, NULL);
}

int oms_set_allocation(oms_t *o, const char *wallet, th_money amount, char *err, size_t errlen)
{
	return named_op(o, OMS_REC_SET_ALLOCATION, wallet, amount, err, errlen);
}

int oms_set_weight(oms_t *o, const char *wallet, double weight, char *err, size_t errlen)
{
	/* the weight is a configuration ratio, journaled as parts per 10^9 */
	return named_op(o, OMS_REC_SET_WEIGHT, wallet, (int64_t)(weight * 1e9 + 0.5), err, errlen);
}

int oms_set_paused(oms_t *o, const char *name, int paused)
{
	char err[64];
	return named_op(o, OMS_REC_PAUSE, name, paused ? 1 : 0, err, sizeof err);
}

int oms_is_paused(const oms_t *o, const char *agent, const char *farm)
{
	for (size_t i = 0; i < o->npaused; i++)
		if (strcmp(o->paused[i], agent) == 0 || strcmp(o->paused[i], "*") == 0 ||
			(farm && farm[0] && strcmp(o->paused[i], farm) == 0))
			return 1;
	return 0;
}

int oms_goal_done(oms_t *o, uint32_t index, int state)
{
	char err[64];
	if (index >= sizeof o->goal_done)
		return -1;
	return named_op(o, OMS_REC_GOAL_DONE, "goal", (int64_t)((uint64_t)state << 32 | index), err, sizeof err);
}

int oms_goal_state(const oms_t *o, uint32_t index)
{
	return index < sizeof o->goal_done ? o->goal_done[index] : 0;
}

/* The rebalance is journaled as the transfers it made: give-backs first
 * (child -> scope), then top-ups (scope -> child), which is an order in
 * which each replayed transfer finds the free cash it needs. */
int oms_rebalance(oms_t *o, const char *scope, int rule, int64_t now_ns, char *err, size_t errlen)
{
	char names[64][TH_NAME_MAX];
	th_money before[64];
	size_t n = capital_children(o->capital, scope, names, 64);
	if (n > 64)
		n = 64;
	for (size_t i = 0; i < n; i++) {
		capital_stats st;
		capital_stats_get(o->capital, names[i], &st);
		before[i] = st.cash;
	}
	if (capital_rebalance(o->capital, scope, rule, NULL, 0, now_ns, err, errlen) != TH_OK)
		return -1;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < n; i++) {
			capital_stats st;
			capital_stats_get(o->capital, names[i], &st);
			th_money delta = st.cash - before[i];
			if ((pass == 0 && delta >= 0) || (pass == 1 && delta <= 0))
				continue;
			oms_rec_allocate r = { .amount = delta < 0 ? -delta : delta };
			th_strlcpy(r.from, delta < 0 ? names[i] : scope, sizeof r.from);
			th_strlcpy(r.to, delta < 0 ? scope : names[i], sizeof r.to);
			size_t len = oms_enc_allocate(o->buf, sizeof o->buf, &r);
			if (oms_journal(o, OMS_REC_ALLOCATE, len, NULL, NULL) != 0) {
				snprintf(err, errlen, "%s", oms_halt_text(o));
				return -1;
			}
		}
	}
	return 0;
}

int oms_set_trading_state(oms_t *o, int scope, const char *name, int state)
{
	char err[128], key[TH_NAME_MAX + 8];
	if (scope < TH_SCOPE_HOST || scope > TH_SCOPE_INSTRUMENT || state < TH_STATE_ACTIVE || state > TH_STATE_HALTED)
		return TH_ERR_INVALID;
	snprintf(key, sizeof key, "%d:%s", scope, name);
	return named_op(o, OMS_REC_TRADING_STATE, key, state, err, sizeof err) == 0 ? TH_OK : TH_ERR;
}

int oms_trading_state(const oms_t *o, int scope, const char *name)
{
	for (size_t i = 0; i < o->nstates; i++)
		if (o->states[i].scope == scope && strcmp(o->states[i].name, name) == 0)
			return o->states[i].state;
	return TH_STATE_ACTIVE;
}

int oms_trading_state_at(const oms_t *o, size_t i, int *scope, const char **name, int *state)
{
	for (size_t k = 0; k < o->nstates; k++) {
		if (o->states[k].state == TH_STATE_ACTIVE)
			continue;
		if (i-- == 0) {
			*scope = o->states[k].scope;
			*name = o->states[k].name;
			*state = o->states[k].state;
			return 1;
		}
	}
	return 0;
}

int oms_journal_decision(oms_t *o, const th_event *intent, int approved, uint32_t reason, const char *who,
	const char *message)
{
	if (!oms_journaling(o))
		return 0; /* audit only: nothing to build without a journal */
	oms_rec_decision r = { 0 };
	th_strlcpy(r.agent, intent->h.agent, sizeof r.agent);
	th_strlcpy(r.who, who, sizeof r.who);
	r.intent_id = intent->u.intent.intent_id;
	r.approved = approved ? 1 : 0;
	r.reason_code = reason;
	th_strlcpy(r.message, message ? message : "", sizeof r.message);
	size_t len = oms_enc_decision(o->buf, sizeof o->buf, &r);
	return oms_journal(o, OMS_REC_RISK_DECISION, len, NULL, NULL);
}
