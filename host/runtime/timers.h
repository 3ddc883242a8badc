/*
 * Host timers on the host clock. One min-heap ordered by (due time, id) so
 * timers due at the same instant fire in creation order — deterministic in
 * backtests. The heap never reads a clock: the caller says what time it is
 * (wall time from the libevent driver in paper/live, simulated time in
 * backtests), which is what lets both modes run the same plugin code.
 */
#ifndef HOST_RUNTIME_TIMERS_H
#define HOST_RUNTIME_TIMERS_H

#include <stddef.h>
#include <stdint.h>
#include <tradehost/th_host.h>

typedef struct timers timers_t;

timers_t *timers_create(void);
void timers_destroy(timers_t *t);

/* `owner` identifies who added the timer (a plugin instance context) so
 * timers_cancel_owner can drop them all when the instance stops. */
int timers_add(timers_t *t, const void *owner, int64_t due_ns, int64_t interval_ns, th_timer_fn fn, void *arg,
	uint64_t *id_out);
/* TH_ERR_NOT_FOUND if the id is unknown or belongs to another owner (owner
 * NULL skips the owner check). */
int timers_cancel(timers_t *t, const void *owner, uint64_t id);
size_t timers_cancel_owner(timers_t *t, const void *owner);

/* The first member of every timers_t: the earliest due time, kept up to
 * date by each heap change, so that asking for it costs one load where it is
 * asked on every event (the backtest's simulated clock) instead of a call. */
typedef struct timers_head {
	int64_t next_due_ns; /* INT64_MAX when no timer is pending */
} timers_head;

/* Earliest due time, or INT64_MAX when no timer is pending. */
static inline int64_t timers_next_due(const timers_t *t)
{
	return ((const timers_head *)(const void *)t)->next_due_ns;
}
/* Where that time lives (stable for the life of t). */
const int64_t *timers_next_due_ptr(const timers_t *t);
/* Fire every timer due at or before now_ns, in (due, id) order. A periodic
 * timer is re-armed at due + interval. With catch_up (simulated time) it then
 * fires once for every interval that elapsed, exactly as a backtest needs;
 * without (wall time) a stalled process skips the missed periods instead of
 * firing them in a burst. Never fires for a time beyond now_ns. Returns the
 * number fired. */
size_t timers_run_due(timers_t *t, int64_t now_ns, int catch_up);
size_t timers_pending(const timers_t *t);

#endif
