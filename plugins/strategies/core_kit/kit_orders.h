/*
 * core_kit — the agent's own orders: intents out, OMS answers in.
 *
 * A strategy publishes TH_EV_INTENT with an empty client order id; the OMS
 * names the order and answers on the bus with events flagged
 * TH_EVENT_FLAG_OMS and h.agent = the agent. Answers are matched to intents:
 *   - TH_EV_RISK denied             -> the pending intent with that intent_id;
 *   - TH_EV_ORDER with u.order.intent_id (hosts that fill it in) -> that
 *     intent, which learns its clid;
 *   - TH_EV_ORDER / TH_EV_FILL with a known clid -> that order.
 * Hosts whose order updates carry no intent id (intent_id 0 everywhere) are
 * matched by order instead — which relies on the bus delivering events in
 * publication order, as th_host.h guarantees:
 *   - SUBMITTED with an unknown clid   -> the oldest unanswered intent of the
 *                                         same symbol and side gets that clid;
 *   - REJECTED without a clid          -> the oldest unanswered intent of the
 *                                         same symbol and side is rejected.
 * Once the book has seen one intent id from the host it never guesses again
 * (an order the host made for the agent, e.g. a de-leveraging order, must not
 * take an intent's place).
 * The book is plain data (no pointers) so it travels in export_state as is.
 */
#ifndef KIT_ORDERS_H
#define KIT_ORDERS_H

#include <stddef.h>
#include <stdint.h>
#include <tradehost/tradehost.h>

#define KIT_MAX_ORDERS 256

typedef struct kit_order {
	uint64_t intent_id;
	int64_t sent_ns;          /* host time the intent was published */
	char clid[TH_CLORD_MAX];  /* "" until the OMS names the order */
	char symbol[TH_SYMBOL_MAX];
	uint32_t side, type;
	th_price price;           /* limit price (0 for market orders) */
	th_qty qty;               /* as the OMS accepted it (risk may shrink it) */
	th_qty filled;            /* cumulative */
	int32_t tag;              /* the strategy's label: grid cell, pair leg ... */
	uint32_t state;           /* 0: intent sent, no answer yet; else th_order_state */
	uint8_t used;             /* slot in use: the order is working */
	uint8_t cancel_wanted;    /* cancel as soon as the clid is known */
	uint8_t cancel_sent;
	uint8_t pad_;
} kit_order;

typedef struct kit_book {
	uint64_t next_intent;
	uint32_t host_ids;        /* 1: the host names intents in order updates */
	uint32_t pad_;
	kit_order o[KIT_MAX_ORDERS];
} kit_book;

typedef enum kit_up_kind {
	KIT_UP_NONE = 0,   /* nothing the strategy must act on */
	KIT_UP_OPEN = 1,   /* the OMS accepted the intent: the order has a clid */
	KIT_UP_FILL = 2,   /* an execution (position changes) */
	KIT_UP_CLOSED = 3  /* the order reached a final state (filled, canceled, rejected) */
} kit_up_kind;

typedef struct kit_update {
	int kind;                 /* kit_up_kind */
	int known;                /* 1 if the order is (was) in the book */
	kit_order order;          /* the book's view after the event */
	char symbol[TH_SYMBOL_MAX];
	uint32_t side;            /* FILL: the execution */
	th_price price;
	th_qty qty;
	int32_t price_scale, qty_scale;
	uint32_t state;           /* CLOSED: the final state */
	char reason[128];         /* CLOSED: why (rejections, cancels) */
} kit_update;

void kit_book_init(kit_book *b);

/* Publish a PLACE intent for `o` (client_order_id ignored) on `venue` and
 * remember it under `tag`. TH_ERR_LIMIT if the book is full, or what
 * publish returned. *intent_id (may be NULL) receives the id used. */
int kit_place(kit_book *b, const th_host_api *api, th_ctx *ctx, const char *venue, const th_order *o,
	int32_t tag, uint64_t *intent_id);

/* An IOC order of `type` (TH_ORDER_MARKET: price 0) for symbol at the given
 * scales, through kit_place. */
int kit_place_ioc(kit_book *b, const th_host_api *api, th_ctx *ctx, const char *venue, const char *symbol,
	uint32_t side, uint32_t type, th_price price, th_qty qty, int32_t price_scale, int32_t qty_scale, int32_t tag,
	uint64_t *intent_id);

/* Subscribe to the bars of symbol on venue (on_bar) and to the agent's own
 * ORDER / FILL / RISK events (on_own): the OMS re-publishes order and fill
 * events with h.agent set, and a risk denial produces no order event at all,
 * so without the RISK topic a book would wait for a denied intent. */
int kit_subscribe(const th_host_api *api, th_ctx *ctx, const char *venue, const char *symbol, th_event_fn on_bar,
	void *bar_arg, th_event_fn on_own, void *own_arg);
/* Its two halves, for a strategy with bars of several symbols. */
int kit_subscribe_bars(const th_host_api *api, th_ctx *ctx, const char *venue, const char *symbol, th_event_fn on_bar,
	void *arg);
int kit_subscribe_own(const th_host_api *api, th_ctx *ctx, th_event_fn on_own, void *arg);

/* Ask for `o` to be canceled (now if its clid is known, else as soon as it is). */
int kit_cancel(kit_book *b, const th_host_api *api, th_ctx *ctx, const char *venue, kit_order *o);

/* CANCEL_ALL for symbol ("" = every symbol) of this agent. */
int kit_cancel_all(kit_book *b, const th_host_api *api, th_ctx *ctx, const char *venue, const char *symbol);

/* Feed an event from the agent's own subscription (ORDER, FILL, RISK).
 * Fills *up and returns up->kind. Closed orders leave the book. */
int kit_book_on_event(kit_book *b, const th_host_api *api, th_ctx *ctx, const th_event *ev, kit_update *up);

/* Forget intents that got no answer at all (no risk decision, no order
 * event) for longer than max_age_ns: the host answers every intent at once,
 * so such an entry can only be a lost event, and it must not block the
 * strategy forever. Orders the OMS acknowledged never expire. Returns how
 * many were dropped. */
size_t kit_book_expire(kit_book *b, int64_t now_ns, int64_t max_age_ns);

/* kit_book_expire with max age = 3 bar intervals, said as an explanation. */
void kit_book_sweep(kit_book *b, const th_host_api *api, th_ctx *ctx, const char *symbol, int64_t bar_interval_ns);

/* Working orders of symbol ("" or NULL = all). */
size_t kit_book_live(const kit_book *b, const char *symbol);

/* The working order of symbol with tag, or NULL. */
kit_order *kit_book_by_tag(kit_book *b, const char *symbol, int32_t tag);

/* th_plugin_desc.stop of a strategy whose orders are all IOC: nothing rests
 * at the venue, and the host drops the subscriptions itself. */
int kit_no_stop(void *arg);

/* Is this terminal? */
int kit_state_final(uint32_t state);

#endif
