/* Private to host/oms. */
#ifndef HOST_OMS_INTERNAL_H
#define HOST_OMS_INTERNAL_H

#include <string.h>

#include "common/strmap.h"
#include "oms/oms.h"
#include "oms/oms_records.h"

/* Every char field of an order record is NUL-padded to its full size (the
 * record starts zeroed and later writes go through oms_copy_padded), so the
 * record can be copied into events field by field with fixed-size copies and
 * the events still carry zeros after each string, as th_strlcpy into a zeroed
 * event did. */
typedef struct oms_order {
	th_order order;          /* order.client_order_id is the clid */
	char agent[TH_NAME_MAX], farm[TH_NAME_MAX], venue[TH_VENUE_MAX];
	char venue_order_id[TH_VENUE_ID_MAX];
	char reason[96];
	uint64_t intent_id;
	uint32_t state;          /* th_order_state; SUBMITTED until the venue answers */
	uint32_t ntrades;        /* fills applied: trade0, then more_trades */
	th_qty filled;           /* Σ applied fills */
	int64_t created_ns, updated_ns;
	int64_t query_ns;
	uint8_t sent;            /* submit() called (this process) */
	uint8_t durable;         /* ORDER_NEW record durable */
	uint8_t cancel_wanted;   /* cancel asked before the order was sent */
	uint8_t reserved;        /* capital reservation outstanding */
	uint8_t querying;        /* reconciliation query outstanding */
	/* Fill de-duplication is per order: a venue's replayed fill carries the
	 * same client order id, so the order's own trade ids (hot in cache while
	 * the order trades) answer it exactly, and nothing grows with the number
	 * of fills ever seen. Most orders fill once: the first trade id is kept
	 * inline, the others (second fill on) in a per-order set. */
	char trade0[TH_VENUE_ID_MAX];
	strmap *more_trades;
} oms_order;

/* Orders live in fixed-size chunks that never move: growth adds a chunk
 * instead of realloc-copying every record ever made (which touched the whole
 * array again at each doubling), so pointers to orders stay valid. Chunks
 * are mapped pre-faulted (oms_apply.c). */
#define OMS_CHUNK_SHIFT 10
#define OMS_CHUNK_ORDERS ((size_t)1 << OMS_CHUNK_SHIFT)

struct oms {
	oms_env env;
	oms_options opt;
	journal_t *journal;
	capital_t *capital;
	oms_order **chunks;      /* order i is chunks[i >> OMS_CHUNK_SHIFT][i % OMS_CHUNK_ORDERS] */
	size_t norders, nchunks, cap_chunks;
	strmap *by_clid;         /* clid -> index, for clids the dense index does not cover */
	/* Our own clids ("<prefix><counter>", oms_submit.c) are looked up by
	 * counter in a dense array: by_counter[c] is 1 + the index of the order
	 * whose clid is the canonical text of counter c, or 0. Recent orders,
	 * the ones venues report on, sit together, so a lookup stays in cache
	 * where a hash probe over every order ever made did not. */
	uint32_t *by_counter;
	size_t nby_counter;
	oms_order *last_found;   /* oms_find's one-entry cache (oms.c) */
	size_t own_in_hash;      /* own canonical clids kept in by_clid (counter too large for the array) */
	size_t prefix_len;
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

/* Release a chunk of order records (oms_apply.c allocates them). */
void oms_chunk_free(oms_order *chunk);
int oms_is_terminal(uint32_t state);
static inline oms_order *oms_order_ref(const oms_t *o, size_t i)
{
	return &o->chunks[i >> OMS_CHUNK_SHIFT][i & (OMS_CHUNK_ORDERS - 1)];
}
/* th_strlcpy that also zeroes the rest of dst (see oms_order). */
static inline void oms_copy_padded(char *dst, const char *src, size_t cap)
{
	size_t n = strnlen(src, cap - 1);
	memcpy(dst, src, n);
	memset(dst + n, 0, cap - n);
}
/* oms_copy_padded over a field that is padded already (a record's): empty
 * over empty, what most venue reports carry as their reason, is a no-op,
 * since a padded field whose first byte is NUL is all zeros. */
static inline void oms_update_padded(char *dst, const char *src, size_t cap)
{
	if (!src[0] && !dst[0])
		return;
	oms_copy_padded(dst, src, cap);
}
/* Whether a record's padded field `padded` (cap bytes, see oms_order) holds
 * the string in `field`, another field of at least cap bytes (an event's or
 * a journal record's). Every venue report asks this for its venue: a field that is byte for byte the record's (what a venue that
 * zero-pads its fields sends, as the sim does) is decided by one fixed-size
 * compare; anything else (bytes after the NUL) by strcmp. */
static inline int oms_field_eq(const char *padded, const char *field, size_t cap)
{
	return memcmp(padded, field, cap) == 0 || strcmp(padded, field) == 0;
}
/* Journal records are only encoded when they are written: not during replay,
 * nor without a journal (backtests), where encoding was pure cost. */
static inline int oms_journaling(const oms_t *o)
{
	return o->journal && !o->replaying;
}
/* The order with this client order id, or NULL. */
oms_order *oms_find(oms_t *o, const char *clid);
/* Index order `idx` under its clid: 0, or -1 out of memory. */
int oms_index_put(oms_t *o, const char *clid, size_t idx);
/* The same two for a clid known to be the canonical text of our counter `c`
 * ("<prefix><counter>", oms_submit.c), which place() has just made: no
 * parsing of the text again. */
oms_order *oms_find_own(oms_t *o, const char *clid, uint64_t c);
int oms_index_put_own(oms_t *o, const char *clid, uint64_t c, size_t idx);
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

/* Apply records (shared by live operation and journal replay).
 * oms_apply_order_new: `ins` is the order's instrument when the caller has
 * it (NULL: looked up); `out` (may be NULL) gets the new order. */
int oms_apply_order_new(oms_t *o, const oms_rec_order_new *r, const th_instrument *ins, oms_order **out, char *err,
	size_t errlen);
/* The same for an order place() made: its clid is the canonical text of
 * r->counter, so the index is reached by the counter alone. */
int oms_apply_order_new_own(oms_t *o, const oms_rec_order_new *r, const th_instrument *ins, oms_order **out,
	char *err, size_t errlen);
void oms_apply_update(oms_t *o, oms_order *ord, const oms_rec_order_update *r);
/* oms_apply_update's fields one by one, so a venue report is applied
 * straight from its event when no record has to be built (no journal). */
void oms_apply_update_fields(oms_t *o, oms_order *ord, uint32_t state, const char *venue_order_id,
	const char *reason);
/* 0 applied (*out, if not NULL, gets the order), 1 a duplicate of a fill
 * already applied to that order, -1 unknown order or not bookable. */
int oms_apply_fill(oms_t *o, const oms_rec_fill *r, oms_order **out);
/* PAUSE / GOAL_DONE / SET_ALLOCATION / SET_WEIGHT. */
int oms_apply_named(oms_t *o, uint16_t type, const oms_rec_named *r, char *err, size_t errlen);
/* GOAL_SET / GOAL_DELETE / GOAL_END (oms_goals.c). */
int oms_apply_goal(oms_t *o, const oms_rec_goal *r, char *err, size_t errlen);
int oms_apply_goal_ref(oms_t *o, uint16_t type, const oms_rec_goal_ref *r, char *err, size_t errlen);

#endif
