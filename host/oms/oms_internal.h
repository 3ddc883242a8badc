/* Private to host/oms. */
#ifndef HOST_OMS_INTERNAL_H
#define HOST_OMS_INTERNAL_H

#include "common/strmap.h"
#include "oms/oms.h"
#include "oms/oms_records.h"

typedef struct oms_order {
	char clid[TH_CLORD_MAX];
	char agent[TH_NAME_MAX], farm[TH_NAME_MAX], venue[TH_VENUE_MAX];
	char venue_order_id[TH_VENUE_ID_MAX];
	char reason[96];
	th_order order;
	uint64_t intent_id;
	uint32_t state;          /* th_order_state; SUBMITTED until the venue answers */
	th_qty filled;           /* Σ applied fills */
	int64_t created_ns, updated_ns;
	int sent;                /* submit() called (this process) */
	int durable;             /* ORDER_NEW record durable */
	int cancel_wanted;       /* cancel asked before the order was sent */
	int reserved;            /* capital reservation outstanding */
	int querying;            /* reconciliation query outstanding */
	int64_t query_ns;
} oms_order;

struct oms {
	oms_env env;
	oms_options opt;
	journal_t *journal;
	capital_t *capital;
	oms_order *orders;
	size_t norders, cap;
	strmap *by_clid;         /* clid -> index, for clids the dense index does not cover */
	/* Our own clids ("<prefix><counter>", oms_submit.c) are looked up by
	 * counter in a dense array: by_counter[c] is 1 + the index of the order
	 * whose clid is the canonical text of counter c, or 0. Recent orders,
	 * the ones venues report on, sit together, so a lookup stays in cache
	 * where a hash probe over every order ever made did not. */
	uint32_t *by_counter;
	size_t nby_counter;
	size_t own_in_hash;      /* own canonical clids kept in by_clid (counter too large for the array) */
	size_t prefix_len;
	strmap *fills_seen;      /* "venue|venue_trade_id" */
	uint64_t next_counter;
	uint64_t fills, sent;
	size_t unresolved;       /* reconciliation queries not yet answered */
	int operator_halt;
	int replaying;
	char halt_text[256];
	char (*paused)[TH_NAME_MAX];  /* paused agents and farms */
	size_t npaused;
	uint8_t goal_done[256];  /* per configured goal index: 0 or th_goal_state */
	struct { int scope; char name[TH_NAME_MAX + TH_SYMBOL_MAX + 2]; int state; } states[64];
	size_t nstates;
	oms_api_goal *api_goals; /* runtime goals, in id order */
	size_t napi_goals, cap_api_goals;
	uint32_t next_api_goal;  /* ids are never reused: one past the largest seen */
	size_t *open;            /* indices of orders that may still be open (terminal ones are dropped lazily) */
	size_t nopen, cap_open;
	size_t *pending;         /* FIFO of order indices awaiting ORDER_NEW durability */
	size_t pending_head, pending_len, pending_cap;
	uint8_t buf[4096];       /* record encoding scratch */
};

int oms_is_terminal(uint32_t state);
oms_order *oms_find(oms_t *o, const char *clid);
/* Index order `idx` under its clid: 0, or -1 out of memory. */
int oms_index_put(oms_t *o, const char *clid, size_t idx);
/* Journal one record; returns 0, or -1 after halting on a journal failure.
 * With `done`, the callback runs when the record is durable. */
int oms_journal(oms_t *o, uint16_t type, size_t len, journal_done_fn done, void *arg);
void oms_publish_order(oms_t *o, const oms_order *ord);
void oms_finish(oms_t *o, oms_order *ord); /* terminal: release what is still reserved */

int oms_pending_push(oms_t *o, size_t idx);
/* The journal failed: log, raise one critical alert; trading stays halted. */
void oms_halt_journal(oms_t *o);
void oms_on_order_durable(void *arg, uint64_t lsn, int status);
void oms_send_order(oms_t *o, oms_order *ord);

/* Apply records (shared by live operation and journal replay). */
int oms_apply_order_new(oms_t *o, const oms_rec_order_new *r, char *err, size_t errlen);
void oms_apply_update(oms_t *o, oms_order *ord, const oms_rec_order_update *r);
int oms_apply_fill(oms_t *o, const oms_rec_fill *r);
/* PAUSE / GOAL_DONE / SET_ALLOCATION / SET_WEIGHT. */
int oms_apply_named(oms_t *o, uint16_t type, const oms_rec_named *r, char *err, size_t errlen);
/* GOAL_SET / GOAL_DELETE / GOAL_END (oms_goals.c). */
int oms_apply_goal(oms_t *o, const oms_rec_goal *r, char *err, size_t errlen);
int oms_apply_goal_ref(oms_t *o, uint16_t type, const oms_rec_goal_ref *r, char *err, size_t errlen);

#endif
