/*
 * var_model — the plugin instance: configuration, return history, and the
 * precomputed scenario P&L of every tracked scope (host, farms, agents).
 *
 * A scope's `pnl` ring is kept equal, at all times, to
 *     pnl[i] = sum over its instruments of var_money_round(value x ret[i])
 * where value is the position's money value at the last bar close. Every
 * change — a new return, a new close (revaluation), a position change — adds
 * the new terms and subtracts the old ones through the same rounding, so the
 * vector never drifts and check() only has to add the intent's own vector.
 */
#ifndef PLUGINS_RISK_VAR_MODEL_H
#define PLUGINS_RISK_VAR_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include <tradehost/tradehost.h>

#include "var_config.h"
#include "var_hist.h"

#define VAR_HOST_WALLET "total"
#define VAR_CHECK_SCOPES 3 /* a check measures the agent, its farm and the host */

/* api->free for pointers that may still be NULL (a create that failed halfway). */
static inline void var_release(const th_host_api *api, th_ctx *ctx, void *p)
{
	if (p)
		api->free(ctx, p);
}

typedef struct var_scope {
	int live;
	int kind;                  /* var_scope_kind */
	char name[TH_NAME_MAX];    /* agent or farm; "" for the host */
	char wallet[TH_NAME_MAX];  /* wallet read through positions(): the name, or "total" */
	th_money limit;            /* post-trade ES limit, 0 = none */
	uint64_t last_used;        /* for least-recently-used eviction */
	int synced;                /* positions read at least once */
	int dirty;                 /* a fill touched it: read positions again before use */
	int broken;                /* positions could not be represented: checks deny */
	char why[112];
	int64_t *pnl;              /* scenario P&L ring (window entries, money) */
	th_qty *qty;               /* per instrument (max_instruments entries) */
	int8_t *qscale;
	th_money *value;           /* qty at the last close, the value baked into pnl */
	int32_t *held_at;          /* position of the instrument in held[], -1 if flat */
	uint32_t *held;            /* instruments with a position */
	size_t nheld;
	uint64_t pos_gen;          /* bumps when the held set or a quantity changes */
	uint64_t pnl_gen;          /* bumps whenever pnl changes */
	/* the ring indices of the k worst P&L of the n newest scenarios, for
	 * the candidate bound of check()'s tail scan; valid for (pnl_gen,
	 * newest slot, n, k); room for var_es_need(window) entries */
	uint64_t kth_gen;
	int64_t kth_slot;
	size_t kth_n, kth_k;
	uint32_t *kidx;
	/* data-quality cache, valid while neither history nor positions changed */
	uint64_t meta_hist_gen, meta_pos_gen;
	int meta_valid;
	size_t meta_n;             /* scenarios every held instrument supports */
	int32_t meta_bad;          /* an instrument lacking data, or -1 */
	int metrics_ok;
	uint32_t metric[3];        /* var95, var99, es975 gauges */
} var_scope;

typedef struct var_metric_ids {
	uint32_t var95, var99, es975, pvar95, pvar99;
	uint32_t stress_shock, stress_vol, stress_corr1, stress_hist, scenarios;
	uint32_t denied, nodata;
} var_metric_ids;

typedef struct var_model {
	const th_host_api *api;
	th_ctx *ctx;
	var_config cfg;
	var_hist hist;
	var_scope *scopes;
	size_t max_scopes;
	uint64_t use_clock;
	double sqrt_h;              /* sqrt(horizon_bars) */
	/* scratch for position syncs (never on the check path unless sync_on_check) */
	th_position *pos_buf;
	size_t pos_cap;
	uint32_t *mark;
	uint32_t mark_gen;
	th_qty *newq;
	int8_t *newqs;
	uint32_t *touched;
	/* scratch for check() and the figures: allocated once */
	int64_t *tail;              /* worst entries (window) */
	int64_t *scratch;           /* window sums; tail candidates (VAR_CHECK_SCOPES x window) */
	var_metric_ids metrics;
	int have_metrics;
	uint64_t sub_bar, sub_fill, timer;
	int running;
	int warned_full;
} var_model;

/* --- var_book.c: the incremental engine --- */
/* A bar from the bus: returns, window advance, revaluation of every scope. */
void var_book_on_bar(var_model *m, const th_event *ev);
/* Sets a scope's position in one instrument and updates its P&L ring.
 * Returns 0, or -1 if the value overflows (the scope is then broken). */
int var_book_set_position(var_model *m, var_scope *sc, uint32_t id, th_qty qty, int32_t qty_scale);

/* --- var_scope.c: the scope table and position syncs --- */
int var_scopes_init(var_model *m);
void var_scopes_free(var_model *m);
/* The scope, created (and synced) if absent and `create`; NULL if it cannot be. */
var_scope *var_scope_get(var_model *m, int kind, const char *name, int create);
/* Reads the scope's positions and applies what changed. */
int var_scope_sync(var_model *m, var_scope *sc);
/* Scenarios every instrument of the scope supports now (0 = some lacks data;
 * *bad names it). */
size_t var_scope_scenarios(var_model *m, var_scope *sc, int32_t *bad);
/* A fill of `agent`: its scope, its farm's and the host's read positions again. */
void var_scopes_on_fill(var_model *m, const char *agent);

#endif
