/*
 * limits — the instance and the per-check context shared by the plugin's
 * source files. Nothing here is visible outside the plugin.
 */
#ifndef LIMITS_LIM_INTERNAL_H
#define LIMITS_LIM_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <tradehost/tradehost.h>

#include "lim_map.h"
#include "lim_rules.h"

/* Limits set at one scope: bit r of `present` says v[r] was given there. */
typedef struct lim_set {
	uint64_t present;
	int64_t v[LIM_RULE_COUNT];
} lim_set;

/* One entry of `restricted`: who (everyone, an agent, a farm) may not trade
 * which instrument; "" in venue or symbol stands for '*'. */
typedef enum lim_who { LIM_WHO_ALL = 0, LIM_WHO_AGENT = 1, LIM_WHO_FARM = 2 } lim_who;
typedef struct lim_restriction {
	uint32_t who;
	char name[TH_NAME_MAX];
	char venue[TH_VENUE_MAX];
	char symbol[TH_SYMBOL_MAX];
} lim_restriction;

/* Last prices seen on the bus (trades, bar closes), for valuing every
 * position of a wallet without one host call per position. Append-only, so
 * a slot number stays valid. */
typedef struct lim_mark {
	th_price price; /* 0: none yet */
	int32_t scale;
} lim_mark;

typedef struct lim_marks {
	lim_map index; /* "venue:symbol" -> slot */
	lim_mark *arr;
	size_t n, cap;
} lim_marks;

/* A wallet's positions as last read from the host, indexed by instrument. */
typedef struct lim_book {
	char wallet[TH_NAME_MAX];
	th_position *pos;
	size_t n, cap;
	th_position *spare;  /* the next read goes here, then the two swap */
	size_t cap_spare;
	int indexed;         /* index and mark_slot describe pos[] */
	/* HHI inputs, kept when marks are: each position's value at its mark
	 * (quote units; a dimensionless statistic, so double) and their sums,
	 * updated as marks move and recomputed whenever the wallet is re-read. */
	uint32_t *mark_slot; /* per position: slot in lim_marks */
	size_t cap_slots;
	double *val;
	size_t cap_val;
	double sum_abs, sum_sq;
	size_t n_missing;    /* positions without a mark (valued 0) */
	size_t n_live;       /* non-flat positions */
	unsigned partial_reads; /* re-reads since the sums were last recomputed in full */
	lim_map index;       /* "venue:symbol" -> position */
	uint64_t gen;        /* lim.gen_positions when read */
	int64_t read_ns;     /* host clock when read */
	int valid;
} lim_book;

/* Every open order of the host, as last read. */
typedef struct lim_orders {
	th_order *o;
	size_t n, cap;
	char (*agent)[TH_NAME_MAX];
	size_t cap_agents;
	char (*venue)[TH_VENUE_MAX];
	size_t cap_venues;
	uint64_t gen;
	int64_t read_ns;
	int valid;
} lim_orders;

/* Sliding-window order counter of one agent: the host times of the orders
 * it approved, oldest first, in a ring. */
typedef struct lim_rate {
	char agent[TH_NAME_MAX];
	int64_t *ts;
	size_t cap, head, n;
} lim_rate;

typedef struct lim {
	const th_host_api *api;
	th_ctx *ctx;

	/* configuration */
	lim_set defaults;
	lim_set *sets; /* override sets, indexed by the maps below */
	size_t nsets, capsets;
	lim_map agent_sets, farm_sets, inst_sets;
	lim_restriction *restricted;
	size_t nrestricted;
	int64_t hhi_min_positions;
	int64_t cache_max_age_ns;
	int any_hhi;   /* some HHI rule can be on: keep marks */
	int any_rate;  /* some rate rule can be on */

	/* caches, invalidated by order / fill events */
	uint64_t gen_positions, gen_orders;
	lim_marks marks;
	lim_map book_index; /* wallet -> books[] */
	lim_book **books;
	size_t nbooks, capbooks;
	lim_orders orders;
	lim_map rate_index; /* agent -> rates[] */
	lim_rate **rates;
	size_t nrates, caprates;

	uint64_t sub_events, sub_market;
	int subscribed_events, subscribed_market;
	uint64_t refresh_timer;    /* re-reads aged caches off the check path */
	int refresh_running;
	int active_since_refresh; /* a check or a trading event since the refresh timer last ran */
	uint32_t m_checks, m_denials;
	int have_metrics;
} lim;

/* What one check knows about the intent, filled as rules need it. */
typedef struct lim_chk {
	const th_event *ev;
	const th_order *o;
	const char *agent;
	const char *farm;  /* "" when the agent has no farm */
	const char *venue;
	char key[LIM_KEY_MAX]; /* "venue:symbol" */
	int64_t now_ns;
	int64_t eff[LIM_RULE_COUNT]; /* effective limits for this intent */
	int last_fetched;
	th_price last;     /* 0: no last price */
	int32_t last_scale;
} lim_chk;

/* ---- configuration (lim_config.c) ---- */
int lim_config_load(lim *L);
void lim_config_free(lim *L);
/* Effective limits for an agent / farm / instrument into eff[]. */
void lim_resolve(const lim *L, const char *agent, const char *farm, const char *inst_key, int64_t *eff);

/* ---- caches (lim_marks.c, lim_book.c, lim_orders.c) ---- */
void lim_marks_free(lim *L);
/* Slot of an instrument (created, seeded from the host's last price, if new); -1 on failure. */
int lim_marks_slot(lim *L, const char *venue, const char *symbol, uint32_t *slot);
void lim_on_market(void *arg, const th_event *ev);

void lim_books_free(lim *L);
/* The wallet's positions, re-read when stale; NULL (error set in *why) on failure.
 * `expect` >= 0: the position count the host just reported (a mismatch forces a re-read). */
lim_book *lim_book_get(lim *L, const char *wallet, int64_t now_ns, long expect, char *why, size_t cap);
/* From the refresh timer: re-reads every cached wallet whose copy is at
 * least min_age_ns old, so check() rarely finds one past cache_max_age_ms.
 * A failed read leaves the book invalid (check() reads it again). */
void lim_books_refresh(lim *L, int64_t now_ns, int64_t min_age_ns);
/* The wallet's position in an instrument, or NULL. */
const th_position *lim_book_find(const lim_book *b, const char *inst_key);
/* Recompute every position's value and the sums from the marks, asking the
 * host for marks still missing. */
void lim_book_revalue(lim *L, lim_book *b);
/* A mark moved: update the positions in the instrument `inst_key`, in every book. */
void lim_books_mark_moved(lim *L, const char *inst_key, uint32_t slot);

void lim_orders_free(lim *L);
const lim_orders *lim_orders_get(lim *L, int64_t now_ns, char *why, size_t cap);
/* The same for the open orders (refresh timer). */
void lim_orders_refresh(lim *L, int64_t now_ns, int64_t min_age_ns);

/* ---- rate windows (lim_rate.c) ---- */
void lim_rates_free(lim *L);
lim_rate *lim_rate_get(lim *L, const char *agent);
/* Orders in (now - window, now]; drops entries older than `keep_ns`. */
size_t lim_rate_count(lim_rate *r, int64_t now_ns, int64_t window_ns, int64_t keep_ns);
int lim_rate_record(lim *L, lim_rate *r, int64_t now_ns);

/* ---- hot-reload hand-over of the rate windows (lim_handover.c) ---- */
int lim_export_state(void *instance, void **data, size_t *len);
int lim_import_state(void *instance, const void *data, size_t len);

/* ---- rules (lim_order_rules.c, lim_post_rules.c): 1 = denied (verdict filled) ---- */
int lim_rule_restricted(const lim *L, const lim_chk *c, th_risk_verdict *v);
int lim_rule_sanity(const lim_chk *c, th_risk_verdict *v);
int lim_rule_conformity(lim *L, lim_chk *c, th_risk_verdict *v);
int lim_rule_price_band(lim *L, lim_chk *c, th_risk_verdict *v);
int lim_rule_order_notional(lim *L, lim_chk *c, th_risk_verdict *v);
int lim_rule_self_trade(lim *L, lim_chk *c, th_risk_verdict *v);
int lim_rule_open_orders(lim *L, lim_chk *c, th_risk_verdict *v);
int lim_rule_rate(lim *L, lim_chk *c, lim_rate **to_record, th_risk_verdict *v);
int lim_rule_post_trade(lim *L, lim_chk *c, int level, const char *wallet, th_risk_verdict *v);

/* ---- helpers (lim_util.c) ---- */
/* The last price of the intent's instrument (fetched once per check); 0 if none. */
th_price lim_last(lim *L, lim_chk *c);
/* Fill a denial. printf-style message. */
int lim_deny(th_risk_verdict *v, uint32_t reason, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;
/* Fixed-point text of v at scale, into buf (always NUL-terminated). */
const char *lim_fmt(char *buf, size_t cap, int64_t v, int scale);
/* Exact comparison of a (scale sa) with b (scale sb): -1, 0, 1. */
int lim_cmp_scaled(int64_t a, int sa, int64_t b, int sb);
/* |x|, saturating at INT64_MAX. */
int64_t lim_abs(int64_t x);
/* Grow a host-allocated array to at least `need` elements of `size` bytes. */
int lim_grow(const th_host_api *api, th_ctx *ctx, void **arr, size_t *cap, size_t need, size_t size);

#endif
