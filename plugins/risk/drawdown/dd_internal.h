/*
 * drawdown — shared types of the drawdown-breaker risk plugin.
 *
 * One dd_scope per watched agent, farm and the host holds that scope's
 * breaker: which levels are latched (tripped and not yet re-armed), the peak
 * the drawdown is measured from, re-arm clocks and the de-leveraging
 * schedule. The table lives in memory allocated at create (check() never
 * allocates) and is persisted through the host state store on every change.
 */
#ifndef DRAWDOWN_DD_INTERNAL_H
#define DRAWDOWN_DD_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <tradehost/tradehost.h>

/* Breaker levels, in increasing severity. Index (level - 1) in arrays. */
enum dd_level { DD_NONE = 0, DD_SOFT = 1, DD_HARD = 2, DD_KILL = 3 };
#define DD_LEVELS 3
#define DD_BIT(level) (1u << ((level) - 1))

/* Scope kinds; the order is the order check() evaluates them in. */
enum dd_kind { DD_AGENT = 0, DD_FARM = 1, DD_HOST = 2 };
#define DD_KINDS 3

typedef struct dd_config {
	int64_t level_ppm[DD_KINDS][DD_LEVELS]; /* drawdown thresholds, parts per million of peak; 0 = level off */
	int64_t scale_bps;                      /* soft level: approved share of a growing intent, 1..10000 */
	uint32_t step_bps;                      /* hard level: share of each position cut per step */
	int64_t step_ns;                        /* hard/kill: time between de-leveraging steps */
	int64_t rearm_ns[DD_LEVELS];            /* time below a level before it re-arms */
	int64_t eval_ns;                        /* evaluation tick */
	int peak_self;                          /* 1: ignore the host's peak_equity, track our own */
	uint32_t max_scopes;
	uint32_t scan_max;                      /* positions / open orders read for the growth test */
} dd_config;

typedef struct dd_scope {
	uint8_t kind;          /* enum dd_kind */
	uint8_t latched;       /* DD_BIT(level) of every tripped, not yet re-armed level */
	uint8_t seen_state;    /* trading state last observed or set by us (0: never looked) */
	uint8_t owned_state;   /* state we set and that nobody changed since (0: none) */
	char name[TH_NAME_MAX];/* agent or farm name; "" for the host */
	th_money peak;         /* peak equity we measure from (see dd_math.h) */
	th_money host_peak_floor; /* host peak_equity at the last manual re-arm: older host peaks are ignored */
	int64_t below_since_ns[DD_LEVELS]; /* latched level: when drawdown went back below it (0: not below) */
	int64_t next_step_ns;  /* next de-leveraging step is due at or after this host time */
} dd_scope;

typedef struct dd_table {
	dd_scope *scopes;      /* dense, in insertion order */
	uint32_t count, cap;
	uint32_t *slots;       /* open addressing: scope index + 1, 0 = empty */
	uint32_t mask;
} dd_table;

typedef struct dd_metrics {
	uint32_t trips, rearms, denied, scaled, steps, no_data, host_dd_ppm;
} dd_metrics;

typedef struct dd_model {
	const th_host_api *api;
	th_ctx *ctx;
	dd_config cfg;
	dd_table table;
	th_position *pos_buf;  /* scan buffers for the growth test, cfg.scan_max each */
	th_order *ord_buf;
	uint8_t *blob;         /* persistence buffer, blob_cap bytes */
	size_t blob_cap;
	dd_metrics metric;
	uint64_t tick_timer;
	int started;
	int eval_pending;      /* an immediate evaluation is scheduled */
	int dirty;             /* breaker state changed: persist at the end of the evaluation */
	int peak_dirty;        /* only peaks moved: persisted at most every DD_PEAK_PERSIST_NS */
	int64_t last_persist_ns;
} dd_model;

#define DD_STATE_KEY "drawdown.breakers"
#define DD_PEAK_PERSIST_NS (60LL * 1000000000LL)

/* dd_check.c */
int dd_check(void *instance, const th_event *intent, th_risk_verdict *verdict);

/* dd_eval.c: evaluate every scope now (latch, re-arm, trading state, de-leverage, persist). */
void dd_eval_all(dd_model *m);
/* Ask for an evaluation as soon as the current callback returns (0-delay timer). */
void dd_eval_soon(dd_model *m);
/* Persist the breaker table now; returns a th_status. */
int dd_persist_now(dd_model *m);

/* Helpers shared by check and eval. */
const char *dd_kind_name(int kind);         /* "agent", "farm", "host" */
const char *dd_level_name(int level);       /* "soft", "hard", "kill" */
const char *dd_wallet_of(const dd_scope *s);/* wallet_stats name: the agent, the farm, or "total" */
int dd_th_scope(int kind);                  /* TH_SCOPE_* of a dd_kind */
int dd_kind_enabled(const dd_config *c, int kind);
int dd_highest_latched(const dd_scope *s);

#endif
