/*
 * var_hist — instruments and their rolling windows of bar returns.
 *
 * Time is cut into slots of one bar interval (slot = bar open time /
 * interval). Every ring in the plugin — each instrument's returns and each
 * scope's scenario P&L — has `window` entries indexed the same way,
 * (slot - s0) mod window, where s0 is the first slot seen; so scenario i of
 * one vector is the same bar as scenario i of any other, and instruments are
 * aligned by time, not by arrival.
 *
 * Invariant: for every slot in the current window, ret[idx(slot)] is the
 * return the instrument made over that bar, or exactly 0 when it made none
 * (no bar yet in the newest slot, a missed bar, before its history starts).
 */
#ifndef PLUGINS_RISK_VAR_HIST_H
#define PLUGINS_RISK_VAR_HIST_H

#include <stddef.h>
#include <stdint.h>
#include <tradehost/tradehost.h>

#include "var_config.h"
#include "var_stats.h"

typedef struct var_inst {
	char venue[TH_VENUE_MAX];
	char symbol[TH_SYMBOL_MAX];
	char base[TH_ASSET_MAX];   /* base asset from the host's instrument table ("" until known) */
	th_price close;            /* last accepted bar close */
	int32_t close_scale;
	int has_close;
	int64_t last_slot;         /* slot of the last accepted bar */
	int64_t first_ret;         /* first slot of its current, uninterrupted history */
	double *ret;               /* `window` simple returns */
	int shocks_ready;          /* shock[] resolved from the stress scenarios */
	double shock[VAR_MAX_SCENARIOS];
} var_inst;

typedef struct var_hist {
	const th_host_api *api;
	th_ctx *ctx;
	size_t window;
	size_t max_inst;
	int64_t max_stale;
	var_inst *inst;
	size_t ninst;
	uint32_t *table;           /* open addressing on (venue, symbol): index + 1, 0 = empty */
	size_t tmask;
	int64_t interval_ns;       /* 0 until the first bar when adopting */
	int started;               /* s0 is set */
	int64_t s0, s;             /* first and newest slot seen */
	size_t n;                  /* scenarios in the window: min(window, s - s0 + 1) */
	uint64_t gen;              /* bumps on every change of a ring or a close */
} var_hist;

int var_hist_init(var_hist *h, const th_host_api *api, th_ctx *ctx, size_t window, size_t max_inst,
	int64_t interval_ns, int64_t max_stale);
void var_hist_free(var_hist *h);

/* Index of (venue, symbol), or -1. */
int32_t var_hist_find(const var_hist *h, const char *venue, const char *symbol);
/* Index of (venue, symbol), added if new; -1 when the table is full or memory ran out. */
int32_t var_hist_intern(var_hist *h, const char *venue, const char *symbol);

static inline size_t var_hist_idx(const var_hist *h, int64_t slot)
{
	return (size_t)((slot - h->s0) % (int64_t)h->window);
}
/* The n most recent slots (n <= h->n). */
static inline var_span var_hist_recent(const var_hist *h, size_t n)
{
	return var_span_recent(h->window, var_hist_idx(h, h->s), n);
}

/* Scenarios an instrument can support now: its history in the window, or 0
 * when it has no close or missed more than max_stale bars. */
size_t var_hist_usable(const var_hist *h, const var_inst *in);
/* 1 if the newest slot is recent enough at `now_ns` (the feed is alive):
 * now < (s + 2 + max_stale) x interval, i.e. at most max_stale bars missing. */
int var_hist_fresh(const var_hist *h, int64_t now_ns);

/* Simple return of a bar close against the previous close (any scales). */
double var_hist_return(th_price prev, int32_t prev_scale, th_price close, int32_t close_scale);

#endif
