/*
 * drawdown — does an intent open or grow exposure? Only such intents are
 * denied at the hard level and scaled at the soft level; an order that only
 * shrinks what the agent holds always passes (it is what de-leveraging wants).
 *
 * The test is against the agent's OWN position in the instrument (venue from
 * the intent header, symbol from the order), because that is the position the
 * order moves. An order reduces when its side is opposite to that position
 * and its quantity, plus every open order of the agent on the same symbol and
 * side (they would reduce the same position first), is at most |position|.
 * Anything else — flat, same side, a flip, an unknown side, more positions or
 * orders than position_scan_max — counts as growing (fail closed).
 */
#ifndef DRAWDOWN_DD_EXPOSURE_H
#define DRAWDOWN_DD_EXPOSURE_H

#include "dd_internal.h"

/* 1: opens or grows exposure; 0: only reduces. */
int dd_intent_grows(dd_model *m, const th_event *intent);

#endif
