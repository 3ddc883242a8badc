/*
 * Farm coordinators: how a farm combines its agents' intents before the risk
 * pipeline ([capital.farms.<farm>] coordination = ...):
 *
 *   independent   every intent goes on as it is (the default)
 *   voting        intents on the same symbol made for the same event are
 *                 collected; the side with the most agents wins if it has at
 *                 least `quorum` of the farm's agents, the others are denied
 *                 ("outvoted"); a tie denies both
 *   hierarchical  the farm's `leader` agent sets the direction per symbol
 *                 (its last intent's side); followers' intents pass only when
 *                 they agree; the leader's always pass
 *   weighted      each intent's quantity is scaled by the agent's performance
 *                 weight: its nav over the best nav in the farm (1 for the
 *                 best, down to 0), rounded down to the lot
 *   emergency     flatten: no intent that opens or grows exposure passes; on
 *                 entering the mode every open order of the farm's agents is
 *                 canceled and their positions are closed at market
 *
 * Voting needs every agent's say for an event before deciding: the first
 * intent of a round queues a private flush event on the bus, which the bus
 * delivers after the intents the other agents published while handling the
 * same market event.
 */
#ifndef HOST_TRADING_COORD_H
#define HOST_TRADING_COORD_H

#include <tradehost/th_event.h>

typedef enum coord_mode {
	COORD_INDEPENDENT = 0,
	COORD_VOTING = 1,
	COORD_HIERARCHICAL = 2,
	COORD_WEIGHTED = 3,
	COORD_EMERGENCY = 4
} coord_mode;

int coord_mode_parse(const char *s); /* -1 if unknown */
const char *coord_mode_name(int mode);

#endif
