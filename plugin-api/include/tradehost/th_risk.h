/*
 * tradehost SDK — risk models.
 *
 * Every intent passes the configured risk instances in order before the
 * order manager sees it; the first denial stops it. check() runs on the loop
 * thread and must not block. An error return counts as a denial (fail closed).
 * The table may grow through minor versions (append-only; check struct_size).
 * Depends on the C standard headers only.
 */
#ifndef TRADEHOST_TH_RISK_H
#define TRADEHOST_TH_RISK_H

#include <stddef.h>
#include <stdint.h>
#include "th_event.h"

/* Reason codes: append-only, never renumbered. */
typedef enum th_risk_reason {
	TH_RISK_APPROVED = 0,
	TH_RISK_STATE = 1,         /* trading state forbids it (HALTED / REDUCING) */
	TH_RISK_NOTIONAL = 2,      /* order notional above limit */
	TH_RISK_POSITION = 3,      /* position limit */
	TH_RISK_EXPOSURE = 4,      /* gross / net exposure */
	TH_RISK_CONCENTRATION = 5,
	TH_RISK_RATE = 6,          /* order rate */
	TH_RISK_PRICE_BAND = 7,    /* fat finger */
	TH_RISK_CONFORMITY = 8,    /* tick / lot / min notional */
	TH_RISK_RESTRICTED = 9,
	TH_RISK_SELF_TRADE = 10,
	TH_RISK_OPEN_ORDERS = 11,
	TH_RISK_LEVERAGE = 12,
	TH_RISK_VAR = 13,          /* VaR / expected shortfall */
	TH_RISK_DRAWDOWN = 14,
	TH_RISK_CAPITAL = 15,      /* not enough free capital in the sub-wallet */
	TH_RISK_ERROR = 16,        /* the risk plugin failed: fail closed */
	TH_RISK_NO_DATA = 17       /* missing market data for the check */
} th_risk_reason;

typedef struct th_risk_verdict {
	uint32_t approved;     /* 1 approve, 0 deny */
	uint32_t reason_code;  /* th_risk_reason when denied */
	th_qty max_qty;        /* > 0: approve only this much (soft scaling); 0: as asked */
	char message[128];     /* human text for the denial */
} th_risk_verdict;

typedef struct th_risk_api {
	uint32_t struct_size; /* sizeof(th_risk_api) as compiled */
	/* Mandatory. `intent` (type TH_EV_INTENT) is borrowed; fill *verdict. */
	int (*check)(void *instance, const th_event *intent, th_risk_verdict *verdict);
} th_risk_api;

#endif
