/*
 * var_check — the risk table's check(): deny an intent whose post-trade
 * expected shortfall (97.5 %) would exceed the limit of its agent, its farm
 * or the host (TH_RISK_VAR), or whose inputs lack market data
 * (TH_RISK_NO_DATA).
 */
#ifndef PLUGINS_RISK_VAR_CHECK_H
#define PLUGINS_RISK_VAR_CHECK_H

#include <tradehost/tradehost.h>

#include "var_model.h"

int var_check(void *instance, const th_event *intent, th_risk_verdict *verdict);

#endif
