/*
 * tradehost SDK — typed events carried by the host's event bus.
 *
 * An event is a fixed header followed by one payload chosen by `type`. Events
 * are variable-sized: `size` counts header + the payload bytes actually used,
 * so the bus copies only what matters (see th_event_size()). Use
 * th_event_init() to fill the header.
 *
 * Ownership: publish() copies the event; the publisher keeps its buffer.
 * A handler receives a `const th_event *` that is borrowed for the duration of
 * the call only — copy what you keep.
 * Depends on the C standard headers only.
 */
#ifndef TRADEHOST_TH_EVENT_H
#define TRADEHOST_TH_EVENT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "th_types.h"

/* Event types double as topic bits: TH_TOPIC(type) for subscriptions. */
typedef enum th_event_type {
	TH_EV_TRADE = 1,         /* market data: a public trade */
	TH_EV_QUOTE = 2,         /* market data: best bid/ask */
	TH_EV_BOOK = 3,          /* market data: order book snapshot or diff */
	TH_EV_BAR = 4,           /* market data: an OHLCV bar */
	TH_EV_INTENT = 5,        /* an agent wants to trade (before risk) */
	TH_EV_ORDER = 6,         /* an order changed state */
	TH_EV_FILL = 7,          /* an execution */
	TH_EV_RISK = 8,          /* a risk decision on an intent */
	TH_EV_ALERT = 9,         /* something an operator should see */
	TH_EV_AGENT_MSG = 10,    /* an agent's decision, explanation or chat text */
	TH_EV_LIFECYCLE = 11,    /* plugin instance loaded / started / stopped / swapped / failed */
	TH_EV_CUSTOM = 12,       /* opaque bytes between cooperating plugins */
	TH_EV_GOAL = 13,         /* a goal's progress, or it was hit or missed */
	TH_EV_TYPE_COUNT_ = 14   /* not a type; first free value */
} th_event_type;

#define TH_TOPIC(type) (1u << (type))
#define TH_TOPIC_MARKET (TH_TOPIC(TH_EV_TRADE) | TH_TOPIC(TH_EV_QUOTE) | TH_TOPIC(TH_EV_BOOK) | TH_TOPIC(TH_EV_BAR))
#define TH_TOPIC_ALL 0xFFFFFFFEu

typedef enum th_intent_action {
	TH_INTENT_PLACE = 0,      /* place `order` (client_order_id empty: the OMS assigns it) */
	TH_INTENT_CANCEL = 1,     /* cancel the agent's order order.client_order_id */
	TH_INTENT_CANCEL_ALL = 2  /* cancel all the agent's open orders (order.symbol "" = every symbol) */
} th_intent_action;

typedef struct th_intent {
	uint64_t intent_id;      /* unique per agent; set by the agent */
	uint32_t action;         /* th_intent_action */
	uint32_t reserved_;      /* 0 */
	char farm[TH_NAME_MAX];  /* filled by the host from the agent's farm */
	th_order order;
} th_intent;

typedef struct th_order_update {
	char client_order_id[TH_CLORD_MAX];
	char venue_order_id[TH_VENUE_ID_MAX];
	uint32_t state;          /* th_order_state */
	uint32_t side;           /* th_side */
	th_qty qty;              /* original quantity */
	th_qty filled_qty;       /* cumulative */
	th_price price;
	int32_t price_scale;
	int32_t qty_scale;
	char reason[96];         /* why rejected / canceled / unknown; "" otherwise */
	uint64_t intent_id;      /* OMS re-publications: the agent's intent that made this order (0 from venues) */
} th_order_update;

typedef struct th_fill {
	char client_order_id[TH_CLORD_MAX];
	char venue_trade_id[TH_VENUE_ID_MAX]; /* unique per venue: duplicates are ignored */
	uint32_t side;           /* th_side */
	uint32_t liquidity;      /* th_liquidity */
	th_price price;
	th_qty qty;
	th_money fee;            /* in fee_asset, TH_MONEY_SCALE; negative = rebate */
	char fee_asset[TH_ASSET_MAX];
	int32_t price_scale;
	int32_t qty_scale;
} th_fill;

typedef struct th_risk_decision {
	uint64_t intent_id;
	uint32_t approved;       /* 1 approved, 0 denied */
	uint32_t reason_code;    /* 0 when approved; see th_risk.h */
	char plugin[TH_NAME_MAX];/* the risk instance that decided (first denial) */
	char message[128];
} th_risk_decision;

typedef enum th_alert_level { TH_ALERT_INFO = 1, TH_ALERT_WARNING = 2, TH_ALERT_CRITICAL = 3 } th_alert_level;

typedef struct th_alert {
	uint32_t level;          /* th_alert_level */
	char code[TH_NAME_MAX];  /* stable machine-readable code, e.g. "journal_fsync_failed" */
	char text[256];
} th_alert;

#define TH_AGENT_TEXT_MAX 512
typedef struct th_agent_msg {
	char kind[16];           /* "decision", "explanation", "chat" */
	char text[TH_AGENT_TEXT_MAX]; /* NUL-terminated; only strlen+1 bytes travel */
} th_agent_msg;

typedef enum th_lifecycle_state {
	TH_LC_LOADED = 1, TH_LC_STARTED = 2, TH_LC_STOPPED = 3,
	TH_LC_SWAPPED = 4, TH_LC_FAILED = 5, TH_LC_DESTROYED = 6
} th_lifecycle_state;

typedef struct th_lifecycle {
	char instance[TH_NAME_MAX];
	char plugin[TH_NAME_MAX];
	uint32_t state;          /* th_lifecycle_state */
	uint32_t generation;     /* increments on every hot swap of the instance */
} th_lifecycle;

typedef enum th_goal_state { TH_GOAL_PROGRESS = 1, TH_GOAL_HIT = 2, TH_GOAL_MISSED = 3 } th_goal_state;

typedef struct th_goal {
	uint32_t goal_id;
	uint32_t state;          /* th_goal_state */
	char target[TH_NAME_MAX];/* agent or farm; "" for the whole host */
	char label[64];
	int64_t progress_ppm;    /* overall progress, 0..1000000 */
	th_money profit;         /* since the goal started */
	uint32_t trades;
	uint32_t reserved_;
	char text[160];          /* what happened, for people */
} th_goal;

#define TH_CUSTOM_MAX 256
typedef struct th_custom {
	uint32_t len;            /* bytes used in data */
	uint32_t tag;            /* application-defined */
	uint8_t data[TH_CUSTOM_MAX];
} th_custom;

/* th_event_header.flags */
/* Set only by the host (the host clears it on every plugin publish): an order/fill event re-published
 * by the order manager with h.agent set to the owning agent (venues publish the raw ones with agent
 * ""), or an operator's intent (REST) published for observers after the host decided it itself — the
 * intent pipeline skips flagged intents. */
#define TH_EVENT_FLAG_OMS 0x1u

typedef struct th_event_header {
	uint16_t type;           /* th_event_type */
	uint16_t flags;          /* TH_EVENT_FLAG_* */
	uint32_t size;           /* bytes: header + used payload */
	uint64_t seq;            /* set by the bus at publish: global publication order */
	int64_t ts_ns;           /* host clock at publish when 0; else the event's own time */
	char venue[TH_VENUE_MAX];/* filter keys; "" when not applicable */
	char symbol[TH_SYMBOL_MAX];
	char agent[TH_NAME_MAX];
} th_event_header;

typedef struct th_event {
	th_event_header h;
	union {
		th_trade trade;
		th_quote quote;
		th_book book;
		th_bar bar;
		th_intent intent;
		th_order_update order;
		th_fill fill;
		th_risk_decision risk;
		th_alert alert;
		th_agent_msg agent_msg;
		th_lifecycle lifecycle;
		th_custom custom;
		th_goal goal;
	} u;
} th_event;

/* Largest event the bus accepts. */
#define TH_EVENT_MAX_SIZE (sizeof(th_event))

/* Bytes of `ev` that matter, given its type and payload (variable-length
 * payloads — book levels, agent text, custom bytes — count only what is used). */
static inline uint32_t th_event_size(const th_event *ev)
{
	size_t base = offsetof(th_event, u);
	switch (ev->h.type) {
	case TH_EV_TRADE: return (uint32_t)(base + sizeof(th_trade));
	case TH_EV_QUOTE: return (uint32_t)(base + sizeof(th_quote));
	case TH_EV_BOOK: {
		uint32_t n = ev->u.book.nbids + ev->u.book.nasks;
		if (n > 2 * TH_BOOK_LEVELS_MAX)
			n = 2 * TH_BOOK_LEVELS_MAX;
		return (uint32_t)(base + offsetof(th_book, levels) + n * sizeof(th_book_level));
	}
	case TH_EV_BAR: return (uint32_t)(base + sizeof(th_bar));
	case TH_EV_INTENT: return (uint32_t)(base + sizeof(th_intent));
	case TH_EV_ORDER: return (uint32_t)(base + sizeof(th_order_update));
	case TH_EV_FILL: return (uint32_t)(base + sizeof(th_fill));
	case TH_EV_RISK: return (uint32_t)(base + sizeof(th_risk_decision));
	case TH_EV_ALERT: return (uint32_t)(base + sizeof(th_alert));
	case TH_EV_AGENT_MSG: {
		const char *z = (const char *)memchr(ev->u.agent_msg.text, 0, TH_AGENT_TEXT_MAX);
		size_t n = z ? (size_t)(z - ev->u.agent_msg.text) : TH_AGENT_TEXT_MAX - 1;
		return (uint32_t)(base + offsetof(th_agent_msg, text) + n + 1);
	}
	case TH_EV_LIFECYCLE: return (uint32_t)(base + sizeof(th_lifecycle));
	case TH_EV_GOAL: return (uint32_t)(base + sizeof(th_goal));
	case TH_EV_CUSTOM: {
		uint32_t n = ev->u.custom.len > TH_CUSTOM_MAX ? TH_CUSTOM_MAX : ev->u.custom.len;
		return (uint32_t)(base + offsetof(th_custom, data) + n);
	}
	default: return (uint32_t)base;
	}
}

/* Zero the header and set its type; the caller fills the payload, then the
 * bus computes the size at publish. */
static inline void th_event_init(th_event *ev, th_event_type type)
{
	memset(&ev->h, 0, sizeof ev->h);
	ev->h.type = (uint16_t)type;
}

/* Copy a C string into a fixed field, truncating; returns 0, or -1 if truncated. */
static inline int th_strlcpy(char *dst, const char *src, size_t cap)
{
	size_t n = strlen(src);
	if (cap == 0)
		return -1;
	if (n >= cap) {
		memcpy(dst, src, cap - 1);
		dst[cap - 1] = '\0';
		return -1;
	}
	memcpy(dst, src, n + 1);
	return 0;
}

/* What a subscriber wants: topic bits, plus optional exact-match filters
 * ("" or NULL = any). Strings are copied by subscribe(). */
typedef struct th_subscription {
	uint32_t topics;          /* OR of TH_TOPIC(type) */
	const char *venue;
	const char *symbol;
	const char *agent;
} th_subscription;

#endif
