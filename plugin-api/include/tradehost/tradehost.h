/*
 * tradehost SDK — umbrella header. Include this from a plugin:
 *     #include <tradehost/tradehost.h>
 * Depends on the C standard headers only.
 */
#ifndef TRADEHOST_TRADEHOST_H
#define TRADEHOST_TRADEHOST_H

#include "th_status.h"
#include "th_fixed.h"
#include "th_types.h"
#include "th_event.h"
#include "th_config.h"
#include "th_host.h"
#include "th_plugin.h"
#include "th_strategy.h"
#include "th_exchange.h"
#include "th_risk.h"
#include "th_llm.h"

#endif
