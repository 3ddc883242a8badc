/*
 * tradehost SDK — trading domain types.
 *
 * Plain, fixed-size C structs with no pointers, so they can be copied into bus
 * events, journal records and plugin state without ownership questions.
 * Strings are NUL-terminated inside fixed arrays (truncation is an error the
 * host reports, never silent). Prices and quantities are th_price / th_qty at
 * the instrument's scales; money is th_money at TH_MONEY_SCALE (th_fixed.h).
 * Depends on the C standard headers only.
 */
#ifndef TRADEHOST_TH_TYPES_H
#define TRADEHOST_TH_TYPES_H

#include <stdint.h>
#include "th_fixed.h"

#define TH_VENUE_MAX 16    /* "sim", "binance", ... incl. NUL */
#define TH_SYMBOL_MAX 24   /* venue-native symbol incl. NUL */
#define TH_ASSET_MAX 12    /* "BTC", "USDT" incl. NUL */
#define TH_NAME_MAX 32     /* agent, farm, instance and plugin names incl. NUL */
#define TH_CLORD_MAX 40    /* client order id incl. NUL (Binance allows 36 chars) */
#define TH_VENUE_ID_MAX 48 /* venue order / trade id incl. NUL */

typedef enum th_side { TH_SIDE_BUY = 1, TH_SIDE_SELL = 2 } th_side;

typedef enum th_order_type {
	TH_ORDER_MARKET = 1,
	TH_ORDER_LIMIT = 2,
	TH_ORDER_STOP = 3,       /* market once the stop price trades */
	TH_ORDER_STOP_LIMIT = 4  /* limit at `price` once `stop_price` trades */
} th_order_type;

typedef enum th_time_in_force {
	TH_TIF_GTC = 1, /* good till canceled */
	TH_TIF_IOC = 2, /* fill what can be filled now, cancel the rest */
	TH_TIF_FOK = 3  /* fill completely now or not at all */
} th_time_in_force;

/* th_order.flags */
#define TH_ORDER_POST_ONLY 0x1u   /* rejected if it would take liquidity */
#define TH_ORDER_REDUCE_ONLY 0x2u /* may only shrink an existing position */

typedef enum th_order_state {
	TH_ORDER_SUBMITTED = 1,        /* journaled and sent; no venue answer yet */
	TH_ORDER_ACCEPTED = 2,         /* resting at the venue */
	TH_ORDER_PARTIALLY_FILLED = 3,
	TH_ORDER_FILLED = 4,           /* terminal */
	TH_ORDER_CANCELED = 5,         /* terminal */
	TH_ORDER_REJECTED = 6,         /* terminal */
	TH_ORDER_EXPIRED = 7,          /* terminal */
	TH_ORDER_UNKNOWN = 8,          /* outcome not known (timeout, 5xx, crash): query, never resend */
	TH_ORDER_ABSENT = 9            /* reply to a query: the venue has no order with this client id */
} th_order_state;

typedef enum th_liquidity { TH_LIQ_MAKER = 1, TH_LIQ_TAKER = 2 } th_liquidity;

typedef struct th_instrument {
	char venue[TH_VENUE_MAX];
	char symbol[TH_SYMBOL_MAX];
	char base[TH_ASSET_MAX];
	char quote[TH_ASSET_MAX];
	int32_t price_scale;   /* fractional digits of th_price for this instrument */
	int32_t qty_scale;     /* fractional digits of th_qty */
	th_price tick;         /* price increment (at price_scale), > 0 */
	th_qty lot;            /* quantity increment (at qty_scale), > 0 */
	th_qty min_qty;        /* smallest order quantity, multiple of lot */
	th_money min_notional; /* smallest price*qty (TH_MONEY_SCALE) */
} th_instrument;

typedef struct th_trade {
	th_price price;
	th_qty qty;
	uint64_t trade_id;
	uint32_t aggressor;    /* th_side of the taker, 0 if unknown */
	int32_t price_scale;
	int32_t qty_scale;
} th_trade;

typedef struct th_quote {
	th_price bid, ask;
	th_qty bid_qty, ask_qty;
	int32_t price_scale;
	int32_t qty_scale;
} th_quote;

typedef struct th_book_level {
	th_price price;
	th_qty qty;            /* absolute; 0 deletes the level in a diff */
} th_book_level;

#define TH_BOOK_LEVELS_MAX 50
typedef struct th_book {
	uint64_t first_seq;    /* venue sequence range covered by this update */
	uint64_t last_seq;
	uint32_t is_snapshot;  /* 1: replaces the book; 0: diff */
	uint32_t nbids, nasks; /* counts used in levels[]: bids first, then asks */
	int32_t price_scale;
	int32_t qty_scale;
	th_book_level levels[TH_BOOK_LEVELS_MAX * 2];
} th_book;

typedef struct th_bar {
	int64_t open_time_ns;  /* start of the bar */
	int64_t interval_ns;   /* timeframe, e.g. 60e9 for 1m */
	th_price open, high, low, close;
	th_qty volume;
	uint32_t trades;
	int32_t price_scale;
	int32_t qty_scale;
} th_bar;

/* An order as the OMS sends it to an exchange plugin. */
typedef struct th_order {
	char client_order_id[TH_CLORD_MAX];
	char symbol[TH_SYMBOL_MAX];
	uint32_t side;          /* th_side */
	uint32_t type;          /* th_order_type */
	uint32_t tif;           /* th_time_in_force */
	uint32_t flags;         /* TH_ORDER_POST_ONLY | TH_ORDER_REDUCE_ONLY */
	th_price price;         /* limit price (LIMIT, STOP_LIMIT) */
	th_price stop_price;    /* trigger (STOP, STOP_LIMIT) */
	th_qty qty;
	int32_t price_scale;
	int32_t qty_scale;
} th_order;

typedef struct th_position {
	char venue[TH_VENUE_MAX];
	char symbol[TH_SYMBOL_MAX];
	th_qty qty;             /* signed: > 0 long, < 0 short */
	th_price avg_price;     /* average entry price of the open quantity */
	th_money realized_pnl;
	th_money fees;
	int32_t price_scale;
	int32_t qty_scale;
} th_position;

typedef struct th_balance {
	char venue[TH_VENUE_MAX];
	char asset[TH_ASSET_MAX];
	th_money total;
	th_money reserved;      /* held by open orders */
} th_balance;

/* Trading states (for the host, a farm, an agent or an instrument). */
typedef enum th_trading_state {
	TH_STATE_ACTIVE = 1,   /* normal trading */
	TH_STATE_REDUCING = 2, /* only orders that shrink a position (no growth, no flip); cancels pass */
	TH_STATE_HALTED = 3    /* only cancels */
} th_trading_state;

typedef enum th_state_scope {
	TH_SCOPE_HOST = 1,       /* name "" */
	TH_SCOPE_FARM = 2,
	TH_SCOPE_AGENT = 3,
	TH_SCOPE_INSTRUMENT = 4  /* name "venue:symbol" */
} th_state_scope;

/* A wallet's figures as the capital hierarchy sees them (TH_MONEY_SCALE). */
typedef struct th_wallet_stats {
	th_money equity;        /* cash + reserved + positions at mark */
	th_money cash;
	th_money reserved;      /* held by open orders */
	th_money realized_pnl;
	th_money unrealized_pnl;
	th_money fees;
	th_money gross_exposure;/* sum of |position value| */
	th_money net_exposure;  /* sum of position value (signed) */
	th_money peak_equity;   /* highest equity seen (for drawdown) */
	uint32_t open_orders;
	uint32_t positions;
} th_wallet_stats;

#endif
