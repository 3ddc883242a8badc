/* Restart: replay the journal, then reconcile with the venues by client
 * order id. Nothing is resent: an order whose outcome is unknown is queried,
 * and trading stays halted until every query is answered. */
#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "oms/oms_internal.h"

typedef struct replay_ctx {
	oms_t *o;
	char *err;
	size_t errlen;
	uint64_t records;
} replay_ctx;

static int replay_one(void *arg, const journal_record *rec)
{
	replay_ctx *c = arg;
	oms_t *o = c->o;
	char err[256] = "";
	int rc = 0;
	c->records++;
	switch (rec->type) {
	case OMS_REC_DEPOSIT: {
		oms_rec_deposit r;
		rc = oms_dec_deposit(rec->payload, rec->len, &r);
		if (rc == 0)
			rc = capital_deposit(o->capital, r.amount);
		break;
	}
	case OMS_REC_ALLOCATE: {
		oms_rec_allocate r;
		rc = oms_dec_allocate(rec->payload, rec->len, &r);
		if (rc == 0)
			rc = capital_allocate(o->capital, r.from, r.to, r.amount, err, sizeof err);
		break;
	}
	case OMS_REC_ORDER_NEW: {
		oms_rec_order_new r;
		rc = oms_dec_order_new(rec->payload, rec->len, &r);
		if (rc == 0)
			rc = oms_apply_order_new(o, &r, NULL, NULL, err, sizeof err);
		break;
	}
	case OMS_REC_ORDER_UPDATE: {
		oms_rec_order_update r;
		rc = oms_dec_order_update(rec->payload, rec->len, &r);
		oms_order *ord = rc == 0 ? oms_find(o, r.client_order_id) : NULL;
		if (rc == 0 && !ord) {
			snprintf(err, sizeof err, "update for unknown order %s", r.client_order_id);
			rc = -1;
		} else if (rc == 0) {
			oms_apply_update(o, ord, &r);
		}
		break;
	}
	case OMS_REC_FILL: {
		oms_rec_fill r;
		rc = oms_dec_fill(rec->payload, rec->len, &r);
		if (rc == 0 && oms_apply_fill(o, &r, NULL) < 0) {
			snprintf(err, sizeof err, "fill %s for unknown order %s", r.fill.venue_trade_id, r.fill.client_order_id);
			rc = -1;
		}
		break;
	}
	case OMS_REC_COLLECT: {
		oms_rec_collect r;
		rc = oms_dec_collect(rec->payload, rec->len, &r);
		if (rc == 0)
			rc = capital_collect_profits(o->capital, r.wallet, err, sizeof err);
		break;
	}
	case OMS_REC_RISK_DECISION: {
		oms_rec_decision r;
		rc = oms_dec_decision(rec->payload, rec->len, &r); /* audit only: checked, not replayed */
		break;
	}
	case OMS_REC_GOAL_SET: {
		oms_rec_goal r;
		rc = oms_dec_goal(rec->payload, rec->len, &r);
		if (rc == 0)
			rc = oms_apply_goal(o, &r, err, sizeof err);
		break;
	}
	case OMS_REC_GOAL_DELETE:
	case OMS_REC_GOAL_END: {
		oms_rec_goal_ref r;
		rc = oms_dec_goal_ref(rec->payload, rec->len, &r);
		if (rc == 0)
			rc = oms_apply_goal_ref(o, rec->type, &r, err, sizeof err);
		break;
	}
	case OMS_REC_TRADING_STATE:
	case OMS_REC_PAUSE:
	case OMS_REC_GOAL_DONE:
	case OMS_REC_SET_ALLOCATION:
	case OMS_REC_SET_WEIGHT: {
		oms_rec_named r;
		rc = oms_dec_named(rec->payload, rec->len, &r);
		if (rc == 0)
			rc = oms_apply_named(o, rec->type, &r, err, sizeof err);
		break;
	}
	default:
		return 0; /* other subsystems' records */
	}
	if (rc != 0) {
		snprintf(c->err, c->errlen, "journal record %llu (type %u) cannot be replayed: %s",
			(unsigned long long)rec->lsn, rec->type, err[0] ? err : "malformed payload");
		return -1;
	}
	return 0;
}

int oms_recover(oms_t *o, char *err, size_t errlen)
{
	if (!o->journal)
		return 0;
	replay_ctx c = { o, err, errlen, 0 };
	o->replaying = 1;
	int rc = journal_replay(o->journal, 0, replay_one, &c);
	o->replaying = 0;
	if (rc != 0) {
		if (rc == -1 && !err[0])
			snprintf(err, errlen, "journal replay failed: %s", journal_error(o->journal));
		return -1;
	}
	size_t open = oms_open_order_count(o);
	log_info("journal replayed: %llu records, %zu orders (%zu not final), %llu fills, next client order id #%llu, "
		"%zu runtime goal(s)", (unsigned long long)c.records, o->norders, open, (unsigned long long)o->fills,
		(unsigned long long)o->next_counter, o->napi_goals);
	return 0;
}

int oms_reconcile(oms_t *o)
{
	int64_t now = o->env.now_ns(o->env.ctx);
	for (size_t i = 0; i < o->norders; i++) {
		oms_order *ord = oms_order_ref(o, i);
		if (oms_is_terminal(ord->state) || ord->querying)
			continue;
		ord->querying = 1;
		ord->query_ns = now;
		ord->sent = 1; /* whatever happened before the restart, it may be at the venue */
		ord->durable = 1;
		o->unresolved++;
	}
	if (o->unresolved)
		log_warn("reconciling %zu order(s) with their venues; trading halted until each is answered", o->unresolved);
	for (size_t i = 0; i < o->norders; i++) {
		oms_order *ord = oms_order_ref(o, i);
		if (ord->querying)
			o->env.query(o->env.ctx, ord->venue, ord->order.client_order_id);
	}
	return (int)o->unresolved;
}

void oms_tick(oms_t *o)
{
	int64_t now = o->env.now_ns(o->env.ctx);
	for (size_t i = 0; i < o->norders; i++) {
		oms_order *ord = oms_order_ref(o, i);
		if (ord->querying && now - ord->query_ns >= o->opt.requery_ns) {
			ord->query_ns = now;
			o->env.query(o->env.ctx, ord->venue, ord->order.client_order_id);
		}
	}
}
