/*
 * api_json — converters from the host's fixed-point records to the REST
 * contract's JSON (docs: /work/briefs/api_contract.md; the schemas are in
 * api_schemas.c). Money, prices and quantities become decimal strings;
 * counts and times integers. No double ever carries a value of money.
 */
#ifndef HOST_API_API_JSON_H
#define HOST_API_API_JSON_H

#include <jansson.h>
#include <stdint.h>
#include <tradehost/th_event.h>

#include "common/trade_names.h"
#include "ledger/capital.h"
#include "oms/oms.h"

/* Exactly `scale` fractional digits ("65012.25" at 2, "0.0150" at 4). */
json_t *api_json_fixed(int64_t v, int scale);
/* Money (TH_MONEY_SCALE): trailing zeros past the second decimal dropped
 * ("100000.00", "0.015", "-3.1234"). Exact, never rounded. */
json_t *api_json_money(th_money v);
void api_money_text(th_money v, char *buf, size_t cap);

int api_order_state_open(uint32_t state);            /* not final */
const char *api_scope_name(int scope);               /* "host" | "farm" | "agent" | "instrument" */
const char *api_wallet_kind_name(int kind);          /* "master" | "farm" | "agent" | "total" */
const char *api_alert_level_name(uint32_t level);    /* "info" | "warning" | "critical" */

/* ORDER: `manual` says whether an operator placed it through the API. */
json_t *api_json_order(const oms_order_view *v, int manual);

/* FILL from an OMS re-published TH_EV_FILL (h.agent = the owning agent). */
json_t *api_json_fill(const th_event *ev);

/* WALLET from the capital figures. peak/drawdown: the highest equity seen
 * and the current fall from it in bp; weight: decimal text. */
json_t *api_json_wallet(const capital_stats *st, th_money peak, const char *weight);

/* POSITION of `wallet`. */
json_t *api_json_position(const char *wallet, const capital_position *p);

/* A bar as the contract's market topic / bars route carries it. */
json_t *api_json_bar(const char *venue, const char *symbol, const th_bar *b);

/* Unix ms from host ns. */
static inline int64_t api_ms(int64_t ns)
{
	return ns / 1000000;
}

#endif
