/*
 * Journal records written by the OMS. Every operation that changes orders
 * or capital is one record, so replaying the journal in order rebuilds the
 * exact state. Encoded field by field (common/codec.h).
 */
#ifndef HOST_OMS_RECORDS_H
#define HOST_OMS_RECORDS_H

#include <stddef.h>
#include <stdint.h>
#include <tradehost/th_event.h>

#include "ledger/goals.h"

enum {
	OMS_REC_DEPOSIT = 1,
	OMS_REC_ALLOCATE = 2,
	OMS_REC_ORDER_NEW = 3,
	OMS_REC_ORDER_UPDATE = 4,
	OMS_REC_FILL = 5,
	OMS_REC_COLLECT = 6,
	OMS_REC_PAUSE = 7,          /* an agent or farm paused / resumed (goal action, operator) */
	OMS_REC_GOAL_DONE = 8,      /* a configured goal was hit or missed: never re-armed after a restart */
	OMS_REC_SET_ALLOCATION = 9, /* a wallet's allocated capital set (goal action) */
	OMS_REC_SET_WEIGHT = 10,    /* a wallet's fixed-rule weight set (goal action) */
	OMS_REC_TRADING_STATE = 11, /* a scope's trading state set (breaker, operator, kill switch) */
	OMS_REC_RISK_DECISION = 12, /* the pipeline's verdict on an intent (audit; not replayed into state) */
	OMS_REC_GOAL_SET = 13,      /* a runtime (API) goal created or changed: its whole definition */
	OMS_REC_GOAL_DELETE = 14,   /* a runtime goal deleted (its id is never reused) */
	OMS_REC_GOAL_END = 15       /* a runtime goal hit or missed: never re-armed after a restart */
};
/* New record types take new numbers and keep OMS_REC_VERSION: an older
 * host skips types it does not know (oms_recover), while a changed encoding
 * of an existing type needs a new version. */

typedef struct oms_rec_decision {
	char agent[TH_NAME_MAX], who[TH_NAME_MAX];
	uint64_t intent_id;
	uint32_t approved, reason_code;
	char message[128];
} oms_rec_decision;

#define OMS_REC_VERSION 1

typedef struct oms_rec_deposit {
	th_money amount;
} oms_rec_deposit;

typedef struct oms_rec_allocate {
	char from[TH_NAME_MAX + 8], to[TH_NAME_MAX + 8];
	th_money amount;
} oms_rec_allocate;

typedef struct oms_rec_order_new {
	uint64_t counter;        /* the client-order-id counter value used */
	uint64_t intent_id;
	char agent[TH_NAME_MAX], farm[TH_NAME_MAX], venue[TH_VENUE_MAX];
	th_order order;          /* client_order_id assigned */
	th_price reserve_price;  /* price used for the capital reservation */
	th_money fee_budget;
} oms_rec_order_new;

typedef struct oms_rec_order_update {
	char client_order_id[TH_CLORD_MAX];
	char venue_order_id[TH_VENUE_ID_MAX];
	uint32_t state;
	th_qty filled_qty;
	char reason[96];
} oms_rec_order_update;

typedef struct oms_rec_fill {
	char venue[TH_VENUE_MAX];
	th_fill fill;
} oms_rec_fill;

typedef struct oms_rec_collect {
	char wallet[TH_NAME_MAX + 8];
} oms_rec_collect;

/* PAUSE, GOAL_DONE, SET_ALLOCATION and SET_WEIGHT share one shape: a name
 * and a number (pause flag, goal index | state << 32, amount, weight ppb). */
typedef struct oms_rec_named {
	char name[TH_NAME_MAX + 8];
	int64_t value;
} oms_rec_named;

/* GOAL_SET: a runtime goal as the operator defined it (oms_api_goal). The
 * spec's action weights are journaled as parts per 10^9 (no float in the
 * journal; API goals do not use them). */
typedef struct oms_rec_goal {
	uint32_t id;
	goals_spec spec;
	char kind[16], value[40], action[16];
	int64_t created_ns;
} oms_rec_goal;

/* GOAL_DELETE (state 0) and GOAL_END (TH_GOAL_HIT / TH_GOAL_MISSED and the
 * progress it finished with). */
typedef struct oms_rec_goal_ref {
	uint32_t id;
	uint32_t state;
	int64_t progress_ppm;
} oms_rec_goal_ref;

/* Encode into buf; returns the length, or 0 if it does not fit. */
size_t oms_enc_deposit(uint8_t *buf, size_t cap, const oms_rec_deposit *r);
size_t oms_enc_allocate(uint8_t *buf, size_t cap, const oms_rec_allocate *r);
size_t oms_enc_order_new(uint8_t *buf, size_t cap, const oms_rec_order_new *r);
size_t oms_enc_order_update(uint8_t *buf, size_t cap, const oms_rec_order_update *r);
size_t oms_enc_fill(uint8_t *buf, size_t cap, const oms_rec_fill *r);
size_t oms_enc_collect(uint8_t *buf, size_t cap, const oms_rec_collect *r);
size_t oms_enc_named(uint8_t *buf, size_t cap, const oms_rec_named *r);
size_t oms_enc_decision(uint8_t *buf, size_t cap, const oms_rec_decision *r);
size_t oms_enc_goal(uint8_t *buf, size_t cap, const oms_rec_goal *r);
size_t oms_enc_goal_ref(uint8_t *buf, size_t cap, const oms_rec_goal_ref *r);

/* Decode; 0 ok, -1 malformed (short, over-long string, unknown version). */
int oms_dec_deposit(const void *p, size_t len, oms_rec_deposit *r);
int oms_dec_allocate(const void *p, size_t len, oms_rec_allocate *r);
int oms_dec_order_new(const void *p, size_t len, oms_rec_order_new *r);
int oms_dec_order_update(const void *p, size_t len, oms_rec_order_update *r);
int oms_dec_fill(const void *p, size_t len, oms_rec_fill *r);
int oms_dec_collect(const void *p, size_t len, oms_rec_collect *r);
int oms_dec_named(const void *p, size_t len, oms_rec_named *r);
int oms_dec_decision(const void *p, size_t len, oms_rec_decision *r);
int oms_dec_goal(const void *p, size_t len, oms_rec_goal *r);
int oms_dec_goal_ref(const void *p, size_t len, oms_rec_goal_ref *r);

#endif
