/* The request body specs of the REST routes (api_body_specs.c). */
#ifndef HOST_API_API_BODY_SPECS_H
#define HOST_API_API_BODY_SPECS_H

#include "api/api_body.h"

extern const api_body_spec api_spec_empty;       /* actions without a body: any field is unknown */
extern const api_body_spec api_spec_transfer;
extern const api_body_spec api_spec_allocation;
extern const api_body_spec api_spec_rebalance;
extern const api_body_spec api_spec_goal;
extern const api_body_spec api_spec_goal_update;
extern const api_body_spec api_spec_order;
extern const api_body_spec api_spec_risk_state;
extern const api_body_spec api_spec_reason;
extern const api_body_spec api_spec_backtest;

#endif
