/* Private state of the capital hierarchy, shared by the capital_*.c files. */
#ifndef HOST_LEDGER_CAPITAL_INTERNAL_H
#define HOST_LEDGER_CAPITAL_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>

#include "ledger/capital.h"
#include "ledger/ledger_map.h"

__extension__ typedef __int128 cap_i128;

#define CAP_MASTER 0 /* wallet index of the master wallet */

/* A curve point as the ring stores it: capital_point without its seq. The
 * points held are consecutive (appends number them one by one, the ring
 * drops the oldest, a resize keeps the newest), so the k-th oldest of the
 * n held has seq = cv->seq - n + 1 + k (cap_point_seq) and need not be
 * stored: 32 bytes a point instead of 40, and the curves are the largest
 * thing a long backtest writes while it runs (fresh pages, page faults). */
typedef struct cap_point {
	int64_t t_ns;
	th_money equity;
	th_money flow;
	int64_t nav;
} cap_point;

typedef struct cap_curve {
	cap_point *pts;      /* ring of `cap` points */
	size_t cap, head, n; /* head = index of the oldest point */
	uint64_t seq;        /* points ever appended */
	int64_t nav, peak_nav, max_dd_bps;
	th_money last_equity, last_flow;
	th_money peak_perf, max_dd_money; /* perf = equity - flow */
} cap_curve;

/* A farm's or the host's sum of its agents' positions in one instrument,
 * kept up to date on every fill and mark (capital_running.c), so aggregated
 * positions and exposures are read without walking every agent. */
typedef struct cap_agg {
	cap_i128 qty, cost, realized, fees;
	th_money value;           /* saturated qty x mark, as capital_positions reports it */
	uint32_t trades, wins, losses;
	int used;                 /* an agent of the scope has a position record here */
} cap_agg;

/* Running totals of a wallet, updated incrementally (capital_running.c) so
 * that capital_stats_get() is O(1) in the number of positions. i128 sums,
 * saturated when read, exactly like the full recomputation
 * (capital_stats_recompute) that capital_check() compares them with. */
typedef struct cap_run {
	/* farm: its agents' cash / reserved / collateral accounts; total: every
	 * wallet's cash and every agent's reserved / collateral; unused for an
	 * agent (its accounts are read from the ledger, O(1)) */
	cap_i128 cash, reserved, collateral;
	/* the agents' positions: sum of qty x mark, cost, |cost|, realized, fees */
	cap_i128 value, cost, abs_cost, realized, fees;
	/* exposure of the wallet's positions aggregated per instrument (an
	 * agent's are its own): sum |value|, sum value, how many are non-flat */
	cap_i128 gross, net;
	size_t held;
	size_t positions;          /* non-flat agent positions */
	size_t open_orders;
	uint32_t trades, wins, losses;
} cap_run;

typedef struct cap_instr {
	char venue[TH_VENUE_MAX];
	char symbol[TH_SYMBOL_MAX];
	char base[TH_ASSET_MAX];
	int32_t price_scale, qty_scale;
	th_price mark;       /* 0 = never marked */
	int64_t mark_ns;
	/* The mark moved since its holders' values (and the aggregates') were
	 * last brought to it: listed in capital.stale, revalued by cap_settle(). */
	int stale;
	int32_t acct_market_base;
	int32_t acct_fees_base;
	cap_agg all;               /* the host's aggregate */
	int32_t *hold_w, *hold_p;  /* agent positions in it: wallet and position index */
	size_t nhold, caphold;
	int32_t *farms;            /* farms whose aggregate of it is used */
	size_t nfarms, capfarms;
} cap_instr;

typedef struct cap_position {
	int32_t instr;
	int32_t acct_base;   /* "agent/A/pos/<venue>/<symbol>" */
	th_qty qty;          /* signed */
	th_money cost;       /* signed cost basis of the open qty */
	th_money entry_fees; /* fees paid opening the open qty (for trade PnL) */
	th_money realized;   /* gross */
	th_money fees;       /* quote-valued fees of all its fills */
	th_qty pend_reduce_buy, pend_reduce_sell; /* open orders' planned reductions */
	uint32_t trades, wins, losses;
	th_money value;      /* qty x mark at the current mark (running totals) */
} cap_position;

typedef struct cap_wallet {
	char name[TH_NAME_MAX];
	int kind;            /* CAPITAL_KIND_MASTER / FARM / AGENT */
	int32_t parent;      /* wallet index, -1 for master */
	int32_t acct_cash, acct_reserved, acct_collateral; /* -1 where not applicable */
	th_money allocated;
	th_money flow;
	th_money collected;  /* profits sent up (for a farm: incl. its agents') */
	double weight;       /* CAPITAL_RULE_FIXED weight (0 = none), normalised at rebalance */
	uint32_t trades, wins, losses;
	cap_position *pos;
	size_t npos, cappos;
	cap_curve curve;
	int64_t last_rebalance_ns;
	cap_run run;         /* running totals (agent: its positions; farm: its agents) */
	cap_agg *agg;        /* farm: per instrument index, nagg entries */
	size_t nagg;
} cap_wallet;

typedef struct cap_order {
	char key[CAPITAL_KEY_MAX];
	int32_t agent, pos;  /* wallet index, position index in that agent */
	uint32_t side;
	th_price price;
	th_qty qty, remaining, reduce_rem, open_rem;
	th_money res_rem;    /* still held in "agent/A/reserved" */
	th_money fee_budget;
	th_money trade_pnl;  /* accumulated over its reducing fills */
	th_qty reduced;      /* qty of its fills that reduced a position */
} cap_order;

struct capital {
	char quote[TH_ASSET_MAX];
	ledger_t *ledger;
	int32_t acct_external, acct_market, acct_fees; /* quote-asset world accounts */
	cap_wallet *w;       /* w[0] is the master wallet */
	size_t nw, capw;
	ledger_map *wallet_by_name;
	cap_instr *ins;
	size_t nins, capins;
	cap_run total_run;    /* running totals of the whole host */
	/* which wallet account an account id is (capital_running.c), so every
	 * posting keeps the farm and host cash sums current */
	int32_t *acct_wallet;
	unsigned char *acct_role;
	size_t acct_cap;
	ledger_map *ins_by_key; /* "venue/symbol" */
	/* Instruments whose mark moved since the last cap_settle() (each listed
	 * once, cap_instr.stale set); room for every instrument is allocated when
	 * one is registered, so a mark never allocates. */
	int32_t *stale;
	size_t nstale, capstale;
	cap_order *ord;
	size_t nord, capord;
	/* Open orders by key. They are few (a backtest's strategy has one or
	 * two, a live book rarely more than a few dozen) and each is reserved,
	 * looked up and removed once or twice, where hashing its key for every
	 * step (and re-hashing the order moved into a removed one's place) cost
	 * more than comparing it with each open order's key. So the map is used
	 * only while there are many: ord_indexed says it holds exactly the open
	 * orders; it is built when their number passes CAP_ORDER_SCAN_MAX and
	 * dropped when it falls to 0 (then empty), else keys are scanned. */
	ledger_map *ord_by_key;
	int ord_indexed;
	/* The wallet, instrument and open order found by name last time: the
	 * same agent, symbol and order come back call after call (reserve, fill,
	 * release, reads of that agent), and comparing one name is far cheaper
	 * than hashing it. A hint is only used after its name compares equal to
	 * the one asked for, and names are unique, so it cannot be stale; an
	 * index past the end (orders move and go) just misses. Updated by const
	 * lookups too (see cap_settle for why that is sound). */
	int32_t hint_wallet, hint_instr, hint_order;
	/* The exact leading bytes (names and scales: what cap_instr_lookup
	 * checks) of the last instrument it found valid and registered, as
	 * index ins_seen_idx; ins_seen_set 0: none yet. Callers pass the same
	 * venue instrument over and over, and byte-equal input is the same
	 * instrument and passes the same checks, so one memcmp replaces the
	 * four name compares of cap_instr_same. Nothing makes it stale: a
	 * registered instrument keeps its index and fields, and the quote
	 * asset its value, for the capital's lifetime. */
	char ins_seen[offsetof(th_instrument, tick)];
	int32_t ins_seen_idx;
	int ins_seen_set;
	/* The exact bytes of the last fill's fee_asset field that was a valid
	 * fee asset naming the quote asset (fee_quote_set 0: none yet). Fills
	 * repeat it, and equal bytes are the same name with the same checks'
	 * outcome, so one compare of the field replaces memchr, strchr and
	 * strcmp per fill. Never stale: the quote asset cannot change. */
	char fee_quote_seen[TH_ASSET_MAX];
	int fee_quote_set;
	cap_curve total_curve;
	th_money total_flow;  /* net deposits */
	size_t curve_limit;
	int lookback, min_history;
};

/* capital.c */
void cap_err(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
const char *cap_fmt(th_money v, char *buf, size_t cap); /* "12.50000000" */
int32_t cap_wallet_find(const capital_t *c, const char *name);
int32_t cap_world_account(capital_t *c, const char *kind, const char *asset, char *err, size_t errlen);
int cap_curve_init(cap_curve *cv, size_t cap);

/* capital_value.c: valuation (read side, saturating on absurd overflow).
 * The cap_* functions read the running totals (O(1) per agent, O(1) for a
 * farm or the total); the *_full variants recompute from every position,
 * for capital_check() and capital_stats_recompute(). */
typedef struct cap_figures {
	th_money cash, reserved, collateral, value, cost, abs_cost, unrealized, realized, fees;
	uint32_t trades, wins, losses;
	size_t positions;
} cap_figures;
/* cap_sat and cap_value_of are inline: every mark of every bar runs them for
 * each holder and aggregate. */
static inline th_money cap_sat(cap_i128 v)
{
	/* One comparison for the usual in-range value: its low 64 bits, sign-
	 * extended back, are the value itself (the narrowing keeps the low bits,
	 * as GCC and Clang define it). */
	th_money lo = (th_money)v;
	if ((cap_i128)lo == v)
		return lo;
	return v < 0 ? INT64_MIN : INT64_MAX;
}
th_money cap_position_value(const capital_t *c, const cap_position *p);
void cap_agent_figures(const capital_t *c, const cap_wallet *w, cap_figures *f);
void cap_agent_figures_full(const capital_t *c, const cap_wallet *w, cap_figures *f);
th_money cap_figures_equity(const cap_figures *f);
th_money cap_agent_equity(const capital_t *c, const cap_wallet *w);
th_money cap_agent_free(const capital_t *c, const cap_wallet *w);
th_money cap_agent_equity_at_cost(const capital_t *c, const cap_wallet *w);
th_money cap_wallet_equity(const capital_t *c, int32_t wi); /* any wallet index */
th_money cap_total_equity(const capital_t *c);
th_money cap_wallet_equity_full(const capital_t *c, int32_t wi);
th_money cap_total_equity_full(const capital_t *c);
th_money cap_cash(const capital_t *c, const cap_wallet *w);
/* a x b / d rounded half away from zero (d > 0), like th_fixed_muldiv,
 * when a x b fits 64 bits (nearly always), without its 128-bit division.
 * 0, or -1 when the product does not fit (the caller then takes the
 * 128-bit way). |r| >= d - |r| is 2|r| >= d without overflow. */
static inline int cap_muldiv64(int64_t a, int64_t b, int64_t d, int64_t *out)
{
	int64_t p;
	if (d <= 0 || __builtin_mul_overflow(a, b, &p))
		return -1;
	int64_t q = p / d, r = p % d, ar = r < 0 ? -r : r;
	if (r != 0 && ar >= d - ar)
		q += p < 0 ? -1 : 1;
	*out = q;
	return 0;
}
/* total x part / whole, rounded half away from zero; exactly total when the
 * part is the whole, so the last piece takes whatever rounding left.
 * |part| <= |whole|, so it cannot overflow. */
static inline th_money cap_share(th_money total, th_qty part, th_qty whole)
{
	th_money v = 0;
	if (part == whole)
		return total;
	if (cap_muldiv64(total, part, whole, &v) == 0)
		return v;
	th_fixed_muldiv(total, part, whole, &v);
	return v;
}
/* qty x mark, saturated */
static inline th_money cap_value_of(const cap_instr *in, th_qty qty)
{
	th_money v;
	if (qty == 0)
		return 0;
	/* Where the money scale is at least price + qty scale (the usual case)
	 * th_notional is qty x mark x 10^-shift in 128 bits; when that product
	 * fits 64 bits, 64-bit multiplies give the same value for less (every
	 * settle and fill values positions). Overflow takes the general way. */
	int shift = in->price_scale + in->qty_scale - TH_MONEY_SCALE;
	if (in->price_scale >= 0 && in->qty_scale >= 0 && shift <= 0) {
		int64_t p;
		if (!__builtin_mul_overflow(in->mark, qty, &p) && !__builtin_mul_overflow(p, th_pow10(-shift), &v))
			return v;
	}
	if (th_notional(in->mark, in->price_scale, qty, in->qty_scale, &v) == 0)
		return v;
	return (qty > 0) == (in->mark > 0) ? INT64_MAX : INT64_MIN;
}

/* cap_agent_equity and cap_wallet_equity without cap_settle(), for a caller
 * that has just settled; inline because a snapshot reads every wallet's
 * (one settle check and no calls per wallet but the ledger's). */
static inline th_money cap_agent_equity_settled(const capital_t *c, const cap_wallet *w)
{
	const int32_t ids[3] = { w->acct_cash, w->acct_reserved, w->acct_collateral };
	th_money b[3];
	ledger_balances(c->ledger, ids, 3, b);
	return cap_sat((cap_i128)b[0] + b[1] + b[2] + cap_sat(w->run.value));
}
static inline th_money cap_wallet_equity_settled(const capital_t *c, int32_t wi)
{
	const cap_wallet *w = &c->w[wi];
	if (w->kind == CAPITAL_KIND_AGENT)
		return cap_agent_equity_settled(c, w);
	cap_i128 e = ledger_balance(c->ledger, w->acct_cash);
	if (w->kind == CAPITAL_KIND_FARM)
		e += w->run.cash + w->run.reserved + w->run.collateral + w->run.value;
	return cap_sat(e);
}

/* capital_running.c: the running totals.
 * cap_post: ledger_post() plus the farm / host cash sums. Every capital
 * transaction goes through it. */
#define CAP_ROLE_CASH 1
#define CAP_ROLE_RESERVED 2
#define CAP_ROLE_COLLATERAL 3
int cap_post(capital_t *c, const ledger_posting *p, size_t n, const char *memo, char *err, size_t errlen);
int cap_note_account(capital_t *c, int32_t acct, int32_t wallet, int role);
/* Replaces an agent's position with *next (qty, cost, entry fees, realized,
 * fees, pending reductions, counts; its instrument and account stay) and
 * values it at the mark, moving every running sum and aggregate by the
 * difference. */
void cap_pos_set(capital_t *c, int32_t agent, int32_t pos, const cap_position *next);
/* One more trade on the position (a win when outcome > 0, a loss when < 0),
 * in its counts and every sum of them. */
void cap_pos_trade(capital_t *c, int32_t agent, int32_t pos, int outcome);
/* Sets an instrument's mark. The holders are revalued lazily: the mark is
 * recorded and the instrument listed as stale; cap_settle() brings every
 * stale instrument's holders and aggregates to its mark. Marks arrive on
 * every bar but values are read far less often (snapshots, risk checks,
 * the API), and revaluing at each read gives the very same figures, since
 * a value is a function of (mark, qty) alone and the sums are exact i128. */
static inline void cap_instr_mark(capital_t *c, int32_t instr, th_price mark, int64_t now_ns)
{
	cap_instr *in = &c->ins[instr];
	in->mark = mark;
	in->mark_ns = now_ns;
	if (!in->stale) {
		in->stale = 1;
		c->stale[c->nstale++] = instr; /* room: cap_stale_reserve */
	}
}
/* Room in the stale list for a newly registered instrument (call before
 * c->nins grows). */
int cap_stale_reserve(capital_t *c, size_t nins);
/* Every read of a cached value (cap_position.value, cap_agg.value, the
 * value / gross / net of a cap_run) must come after cap_settle(). Readers
 * take a const capital_t because logically nothing changes: the marks are
 * the state and the values a cache of it. The cache is updated through a
 * cast, which is defined behaviour because every capital_t comes from
 * capital_create() (never a const object), and safe because the capital is
 * used from one thread only (capital.h). */
void cap_settle_slow(capital_t *c);
static inline void cap_settle(const capital_t *c)
{
	if (c->nstale)
		cap_settle_slow((capital_t *)c);
}
/* A new position of `agent` in `instr`: reserve room first (may fail, changes
 * nothing visible), then commit once the position exists (cannot fail). */
int cap_holder_reserve(capital_t *c, int32_t agent, int32_t instr);
void cap_holder_commit(capital_t *c, int32_t agent, int32_t instr, int32_t pos);
void cap_order_count(capital_t *c, int32_t agent, int sign);
void cap_running_free(capital_t *c);

/* capital_curve.c */
void cap_curve_append(cap_curve *cv, int64_t t_ns, th_money equity, th_money flow);
int64_t cap_curve_nav_live(const cap_curve *cv, th_money equity, th_money flow);
/* nav x adj / last_equity by the definition (128-bit), the reference the
 * fast path of cap_curve_nav_live is held to. */
int64_t cap_nav_scale_exact(int64_t nav, cap_i128 adj, th_money last_equity);
/* Up to `max` most recent flow-adjusted returns, oldest first; returns count. */
size_t cap_curve_returns(const cap_curve *cv, double *out, size_t max);
/* Resizing in two steps so a whole set of curves changes or none does:
 * copy the newest min(n, cap) points into a new ring, then adopt it. */
cap_point *cap_curve_copy(const cap_curve *cv, size_t cap);
void cap_curve_adopt(cap_curve *cv, cap_point *pts, size_t cap);
/* The k-th oldest point held (k < cv->n), with its seq. */
static inline capital_point cap_curve_point(const cap_curve *cv, size_t k)
{
	size_t i = cv->head + k;
	if (i >= cv->cap)
		i -= cv->cap; /* head < cap and k < n <= cap: one wrap at most */
	const cap_point *p = &cv->pts[i];
	return (capital_point){ cv->seq - cv->n + 1 + k, p->t_ns, p->equity, p->flow, p->nav };
}

/* capital_move.c: after the ledger moved `amount` of cash from wallet `from`
 * to the adjacent wallet `to` (parent <-> child), update flows, and when
 * `allocation` is set the child's allocated capital. */
void cap_note_transfer(capital_t *c, int32_t from, int32_t to, th_money amount, int allocation);

/* capital_orders.c */
const char *cap_side_name(uint32_t side);
int32_t cap_agent_find(const capital_t *c, const char *agent, char *err, size_t errlen);
/* Index of the open order `key`, or -1. */
int32_t cap_order_find(const capital_t *c, const char *key);
#define CAP_ORDER_SCAN_MAX 8
/* Makes `key` findable as order c->nord (about to be appended): 0, or -1
 * out of memory with nothing changed. */
int cap_order_index_add(capital_t *c, const char *key);
/* Takes back cap_order_index_add() when the order is not appended after all. */
void cap_order_index_undo(capital_t *c, const char *key);
/* Validates `ins`; *idx = its index, or -1 when not registered yet. */
int cap_instr_lookup(const capital_t *c, const th_instrument *ins, int32_t *idx, char *err, size_t errlen);
/* Registers instrument and position on first use (after validation). */
int cap_position_get(capital_t *c, int32_t agent, const th_instrument *ins, int32_t *pos_index, char *err, size_t errlen);
void cap_record_trade(capital_t *c, int32_t agent, int32_t pos, th_money pnl);
/* Returns what is left of the order's reservation and planned reduction,
 * counts its trade, forgets it. */
int cap_order_finish(capital_t *c, size_t idx, char *err, size_t errlen);
void cap_order_remove(capital_t *c, size_t idx);

#endif
