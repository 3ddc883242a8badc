/* Private state of goals, shared by goals.c and goals_eval.c. */
#ifndef HOST_LEDGER_GOALS_INTERNAL_H
#define HOST_LEDGER_GOALS_INTERNAL_H

#include "ledger/goals.h"

typedef struct goal {
	goals_info info;
	/* Baseline at creation. */
	th_money perf0;               /* equity - flow */
	uint32_t trades0, wins0, losses0;
	/* Drawdown tracking since creation. */
	int64_t peak_nav;
	uint64_t last_seq;            /* curve points up to this seq already seen */
	/* PROGRESS events only when the figures moved. */
	int emitted;
	goals_metrics last_emitted;
} goal;

struct goals {
	goal *v;                      /* sorted by id */
	size_t n, cap;
	uint32_t next_id;
	char (*paused)[TH_NAME_MAX];  /* in the order they were paused; "" = host */
	size_t npaused, cappaused;
};

/* The capital wallet name a goal measures ("total" for the host). */
const char *goals_wallet(const goals_spec *s);
goal *goals_find(const goals_t *g, uint32_t id);

#endif
