/*
 * bench_risk — the risk pipeline as the host runs it (host/trading/
 * trading_pipeline.c, run_risk): every stage in order, a fresh verdict per
 * stage, an error return or a denial stops the intent, the smallest
 * scale-down wins. Stamps CLOCK_MONOTONIC before the first stage and after
 * each stage, so one pass gives the total and every stage's share.
 */
#ifndef BENCH_RISK_RB_PIPELINE_H
#define BENCH_RISK_RB_PIPELINE_H

#include <stddef.h>
#include <stdint.h>

#include <tradehost/tradehost.h>

#define RB_MAX_STAGES 4

typedef struct rb_stage {
	const char *name;
	const th_risk_api *api;
	void *inst;
} rb_stage;

/* Outcome of one intent. */
typedef struct rb_result {
	int approved;
	size_t ran;               /* stages whose check() was called */
	th_qty max_qty;           /* smallest scale-down asked for, 0 = none */
	th_risk_verdict verdict;  /* the deciding verdict when denied */
	int64_t stamp[RB_MAX_STAGES + 1]; /* ns: before stage 0, after each stage that ran */
} rb_result;

/* Runs `intent` through stages[0..n) (n <= RB_MAX_STAGES). */
void rb_pipeline_run(const rb_stage *stages, size_t n, const th_event *intent, rb_result *out);

/* The baseline stage: a check() that approves without looking, reached
 * through a th_risk_api table like a plugin's. */
extern const th_risk_api rb_trivial_api;

int64_t rb_now_ns(void);

#endif
