/*
 * capital — the capital hierarchy (master wallet -> farms -> agents), the
 * portfolio of every agent (orders' reservations, positions, PnL) and the
 * equity curves, all booked on a double-entry ledger (ledger.h) in one quote
 * asset (e.g. "USDT").
 *
 * Pure library for the loop thread: no clock (time comes in as int64 ns), no
 * I/O, no threads. Marks are cheap (they record the price); positions are
 * revalued at the next read of a value-derived figure, so even the const
 * read functions update that internal cache and must not run concurrently
 * with any other call. Every state-changing call is an operation the OMS
 * journals; replaying the same calls in the same order gives byte-identical
 * state (capital_dump()). Iteration is always in creation order.
 *
 * Wallets and accounts
 *   master   "master/cash"                       the treasury; deposits land here
 *   farm F   "farm/F/cash"                       a farm's unallocated cash
 *   agent A  "agent/A/cash"       free cash
 *            "agent/A/reserved"   held by open orders (capital_reserve)
 *            "agent/A/collateral" held by short positions (see Shorts)
 *            "agent/A/pos/<venue>/<symbol>"  base-asset holdings of a position
 *            "agent/A/owed/<asset>"  fees charged in an asset that is neither
 *                                    the quote nor the base (see Fees)
 *   world    "external/<asset>" (deposits come from it), "market/<asset>"
 *            (counterparty of every fill), "fees/<asset>".
 *   Cash, reserved and collateral accounts are "no overdraft".
 *
 * Figures (all th_money in the quote asset at TH_MONEY_SCALE)
 *   position value  = qty x mark (th_notional, rounded half away from zero)
 *   agent equity    = cash + reserved + collateral + sum of position values
 *   farm equity     = farm cash + sum of its agents' equity
 *   total           = master cash + sum of farm equity
 *   committed       = sum |position cost| + reserved            (agents)
 *   free capital    = cash + min(0, unrealized PnL), at least 0 (agents)
 *                   = min(cash, equity - committed): unrealized losses
 *                     reduce buying power, unrealized gains do not add to it
 *                     until realized.
 *
 * Policy: 1x margin; an agent can never commit more than its sub-wallet.
 * capital_reserve() holds notional (price x qty) + fee budget for the part
 * of an order that opens or increases exposure; the part that only reduces
 * the existing position (net of what other open orders already plan to
 * reduce) holds nothing. It refuses when that exceeds the agent's free
 * capital, naming the agent, the amount needed and the free capital.
 *
 * Positions (per agent and instrument = venue + symbol) carry a signed qty,
 * a cost basis (signed money: what was paid for a long, minus what was
 * received for a short) and accumulated realized PnL and fees.
 *   - Average cost, not FIFO: a reduction of q out of |Q| removes
 *     cost x q / |Q| (rounded half away from zero; the last unit removes the
 *     rest exactly). realized += proceeds - removed cost (long) or
 *     removed |cost| - price paid (short). realized_pnl is gross of fees;
 *     fees are reported separately; net PnL = realized - fees + unrealized.
 *   - avg_price (reporting only) = |cost| / |qty| at the instrument's price
 *     scale, rounded half away from zero. The exact value is the cost basis.
 *   - A fill that crosses zero is split into the reducing part and the
 *     opening part (each part's notional computed on its own).
 *   - Shorts (1x margin): opening a short of notional N moves the proceeds N
 *     and a margin N from the agent's cash into its collateral account, so
 *     collateral = 2 x |cost| of its shorts. Covering pays the buy from the
 *     collateral and returns the rest to cash. The short's value in equity is
 *     qty x mark (negative), so equity = cash + ... - |qty| x mark.
 *
 * Fills (capital_fill) release the matching share of the order's
 * reservation, then pay the trade and the fee from the agent's cash.
 * A fill always reflects a trade that happened at the venue, so when the
 * agent's cash cannot pay it (the fill price was worse than the reserved
 * price, a fee above budget, a short covered at a loss beyond its margin,
 * or an order whose planned reduction was consumed by another order), the
 * shortfall is drawn from the agent's farm cash and then from the master
 * wallet, booked as an allocation (agent and farm `allocated` grow). Only if
 * the whole chain lacks the cash is the fill refused (TH_ERR_LIMIT), with
 * nothing changed.
 *
 * Fees: a fee in the quote asset (or with fee_asset "") is paid from cash.
 * A fee in the base asset is valued at the fill price and paid in quote
 * (the venue's base balance will then differ from the position by that dust;
 * balance reconciliation against the venue is outside this library). A fee
 * in any other asset (e.g. BNB) is booked in that asset on
 * "agent/A/owed/<asset>" against "fees/<asset>" and is not part of equity
 * or PnL (there is no price for it here); capital_stats reports nothing for
 * it, the ledger account shows it.
 *
 * Trades and win rate: a "trade" is one order that reduced or closed a
 * position, counted once when the order finishes (last fill, or release
 * after a partial fill). Its PnL is the realized PnL of its reducing fills
 * minus their fees minus the share of entry fees carried by the closed
 * quantity. PnL > 0 is a win, < 0 a loss, exactly 0 neither (a scratch).
 * capital_fill_unreserved() counts each reducing fill as one trade.
 *
 * Equity curves: capital_snapshot_equity() appends (time, equity, flow, nav)
 * to every wallet's curve (agents, farms, "master", "total"). `flow` is the
 * cumulative net capital moved into the wallet from outside it (deposits,
 * allocations, shortfall draws, minus withdrawals and collected profits), so
 * performance is separated from funding:
 *   return_k = (E_k - (F_k - F_{k-1}) - E_{k-1}) / E_{k-1}   (E_{k-1} > 0)
 *   nav_k    = nav_{k-1} x (E_k - dF) / E_{k-1}  (int64, 1.0 = 10^9; the first
 *              point is 10^9; unchanged while E_{k-1} <= 0)
 *   max_drawdown_bps = max over points of (peak nav - nav) x 10000 / peak nav
 *   max_drawdown     = max of (peak of E - F) - (E - F), in money.
 * Each curve keeps the last `curve_limit` points (default 4096) in a ring;
 * drawdown peaks cover the whole history.
 *
 * What depends on marks: equity, free capital (the reserve check), rebalance
 * targets, curves and goals. Marks are not derived from journaled records,
 * so the OMS must journal capital_mark / capital_snapshot_equity /
 * capital_rebalance calls (or replay the marks) for those to replay exactly;
 * reservations replayed with unchecked = 1 skip the mark-dependent check.
 * Cash, allocations, fills and profit collection never depend on marks.
 *
 * Errors: functions return TH_OK or a negative th_status, with a message in
 * err (when err != NULL) naming the wallet, order, instrument or amount.
 * Nothing is changed by a call that fails (out of memory aside, which may
 * leave an unused empty ledger account behind).
 */
#ifndef HOST_LEDGER_CAPITAL_H
#define HOST_LEDGER_CAPITAL_H

#include <stddef.h>
#include <stdint.h>
#include <tradehost/th_event.h>
#include <tradehost/th_types.h>

#include "ledger/ledger.h"

typedef struct capital capital_t;

#define CAPITAL_MASTER_NAME "master" /* the master wallet */
#define CAPITAL_TOTAL_NAME "total"   /* read side: the whole host */
#define CAPITAL_KEY_MAX 64           /* order keys incl. NUL */
#define CAPITAL_NAV_ONE 1000000000LL /* nav 1.0 */
#define CAPITAL_CURVE_LIMIT_DEFAULT 4096

typedef enum capital_rule {
	CAPITAL_RULE_FIXED = 1,       /* configured weights (or the weights argument) */
	CAPITAL_RULE_EQUAL = 2,       /* 1/n each */
	CAPITAL_RULE_PERF_SHARPE = 3, /* proportional to max(0, mean/stdev of returns) */
	CAPITAL_RULE_PERF_INVVOL = 4  /* proportional to 1/stdev of returns */
} capital_rule;

typedef enum capital_kind {
	CAPITAL_KIND_MASTER = 0,
	CAPITAL_KIND_FARM = 1,
	CAPITAL_KIND_AGENT = 2,
	CAPITAL_KIND_TOTAL = 3,
	CAPITAL_KIND_VENUE = 4
} capital_kind;

/* --- setup --- */

/* `quote_asset` is the currency of every wallet, e.g. "USDT". */
capital_t *capital_create(const char *quote_asset, char *err, size_t errlen);
void capital_destroy(capital_t *c);
const char *capital_quote(const capital_t *c);
const ledger_t *capital_ledger(const capital_t *c);

/* Names are 1..TH_NAME_MAX-1 characters without '/', unique across farms and
 * agents, and neither "master" nor "total". */
int capital_add_farm(capital_t *c, const char *farm, char *err, size_t errlen);
int capital_add_agent(capital_t *c, const char *agent, const char *farm, char *err, size_t errlen);

/* The weight a farm (child of master) or agent (child of its farm) gets under
 * CAPITAL_RULE_FIXED; children never given one weigh 0. Finite, >= 0. */
int capital_set_weight(capital_t *c, const char *child, double weight, char *err, size_t errlen);
/* Performance rules use each child's last `lookback` returns (default 30); a
 * child with fewer than `min_history` (default 5, >= 2) gets the equal share. */
int capital_set_perf_window(capital_t *c, int lookback, int min_history, char *err, size_t errlen);
/* Points kept per equity curve (>= 2); shrinking drops the oldest. */
int capital_set_curve_limit(capital_t *c, size_t points, char *err, size_t errlen);

/* --- capital movements --- */

/* external -> master wallet. TH_ERR_INVALID if amount <= 0. */
int capital_deposit(capital_t *c, th_money amount);
/* master wallet -> external, from the master's cash only. */
int capital_withdraw(capital_t *c, th_money amount, char *err, size_t errlen);
/* Moves free cash along one edge of the hierarchy: master <-> farm, or farm <->
 * one of its agents. Downward moves add to the child's `allocated`, upward
 * moves subtract from it. The source must hold `amount` in cash (an agent's
 * reserved funds, collateral and positions never move). */
int capital_allocate(capital_t *c, const char *from, const char *to, th_money amount, char *err, size_t errlen);
/* Moves cash between `wallet` (a farm or agent) and its parent so that its
 * allocated capital becomes `amount` (>= 0); refused when the side giving
 * lacks the cash. */
int capital_set_allocation(capital_t *c, const char *wallet, th_money amount, char *err, size_t errlen);
/* Rebalances the children of `scope` ("master": its farms; a farm: its
 * agents). Weights: FIXED uses `weights` (nweights = number of children, in
 * capital_children() order) or, when weights is NULL, the configured ones;
 * EQUAL 1/n; PERF_SHARPE / PERF_INVVOL score each child from its last
 * `lookback` curve returns (score = max(0, mean/stdev) or 1/stdev, sample
 * stdev). Children with fewer than `min_history` returns, or zero variance,
 * get the equal share 1/n; the remaining share is split among the others in
 * proportion to their scores (equally if every score is 0). Weights are
 * normalised and turned into integer parts per 10^9.
 *   scope equity = scope cash + sum of children's equity
 *   target_i     = floor(scope equity x w_i)
 * Children above target give back min(excess, their cash); then the scope's
 * cash goes to children below target (each its deficit, or shares
 * proportional to the deficits when cash is short, rounded down). Only cash
 * moves: a child whose capital is tied up in orders or positions may stay
 * above target. One ledger transaction; `allocated` follows the moves. */
int capital_rebalance(capital_t *c, const char *scope, int rule, const double *weights, size_t nweights, int64_t now_ns,
	char *err, size_t errlen);
/* Moves realized profit up to the master wallet:
 *   agent: min(cash, equity at cost - allocated)  -> master (via its farm)
 *   farm:  collects each of its agents first, then
 *          min(farm cash, farm equity at cost - allocated) -> master
 * where equity at cost values positions at their cost basis, so unrealized
 * PnL is never collected (and the result does not depend on marks).
 * Nothing to collect is not an error. */
int capital_collect_profits(capital_t *c, const char *wallet, char *err, size_t errlen);

/* --- orders, fills, marks --- */

/* Reserves capital for an order of `agent` on instrument `ins` (venue,
 * symbol, base, quote = the capital's quote, scales; qty_scale <= 8 so base
 * holdings fit the ledger's scale). side is th_side; price > 0 is the
 * reservation price (for market orders the OMS passes last price + buffer);
 * qty > 0; fee_budget >= 0 is the fee the whole order may cost (reserved in
 * proportion to the opening part). order_key (< CAPITAL_KEY_MAX chars) must
 * be unique among open orders. unchecked = 1 skips the free-capital check
 * (journal replay of a reservation accepted before: marks differ after a
 * restart); cash must still cover it. TH_ERR_LIMIT when the agent's free
 * capital is short. */
int capital_reserve(capital_t *c, const char *agent, const char *order_key, const th_instrument *ins, int side,
	th_price price, th_qty qty, th_money fee_budget, int unchecked, char *err, size_t errlen);
/* Cancel / reject / expire / done: returns what is left of the reservation to
 * the agent's cash and forgets the order. TH_ERR_NOT_FOUND if the key is
 * unknown (e.g. already finished by its last fill). */
int capital_release(capital_t *c, const char *order_key);
/* Books a fill of an open order: f->side must be the order's, price/qty at
 * the instrument's scales, 0 < qty <= the order's unfilled qty. Applies cash,
 * base holdings, position, fee and realized PnL, releases the matching share
 * of the reservation, sets the instrument's mark to the fill price. When the
 * order is completely filled it is finished (no release needed). Venue trade
 * id de-duplication is the caller's job. */
int capital_fill(capital_t *c, const char *order_key, const th_fill *f, int64_t now_ns, char *err, size_t errlen);
/* Books a fill that has no open reservation (e.g. a fill that arrived after
 * its order was released). Paid from cash, with the shortfall rule above. */
int capital_fill_unreserved(capital_t *c, const char *agent, const th_instrument *ins, const th_fill *f, int64_t now_ns,
	char *err, size_t errlen);
/* Sets the mark of an instrument already used by an order or position
 * (others are ignored: returns TH_OK). price_scale may differ from the
 * instrument's if the value converts exactly, else TH_ERR_INVALID. */
int capital_mark(capital_t *c, const char *venue, const char *symbol, th_price mark, int price_scale, int64_t now_ns);
/* The same by instrument index, for callers that mark the same instruments
 * on every bar (the trading view keeps the index beside its last price):
 * capital_instrument_index() is the index, or -1 while no order or position
 * has used the instrument; indexes never change and instruments are never
 * removed, so a -1 needs asking again only once capital_instrument_count()
 * has grown. capital_mark_index() with an index out of range is
 * TH_ERR_INVALID. */
int32_t capital_instrument_index(const capital_t *c, const char *venue, const char *symbol);
size_t capital_instrument_count(const capital_t *c);
int capital_mark_index(capital_t *c, int32_t instr, th_price mark, int price_scale, int64_t now_ns);
/* Appends one point to every wallet's equity curve (see above). */
int capital_snapshot_equity(capital_t *c, int64_t now_ns);

/* Verifies, independently of the cached figures:
 *  - the ledger balances per asset;
 *  - every cash / reserved / collateral account >= 0; each agent's reserved
 *    balance == sum of its open reservations; collateral == 2 x sum |short
 *    cost|; each position's base account == its qty; pending reductions ==
 *    those of its open orders;
 *  - sum of wallets == the total: master + sum(farm cash + sum agent equity)
 *    equals net deposits + sum(realized - fees + unrealized), and the quote
 *    held by wallets equals minus the world accounts in the ledger;
 *  - no agent committed beyond its equity at cost:
 *    sum |cost| + reserved <= cash + reserved + collateral + sum cost;
 *  - conservation along the hierarchy: each agent's equity at cost ==
 *    allocated + realized - fees - profits collected; each farm's cash plus
 *    its agents' equity at cost == its allocated + its agents' net realized
 *    PnL - profits it sent up; master cash == net deposits - the farms'
 *    allocations + profits received; every flow == allocated - collected;
 *  - the running totals (capital_stats_get) equal a full recomputation
 *    (capital_stats_recompute) for every wallet and the total.
 * TH_OK, or TH_ERR with the first violation named in err. */
int capital_check(const capital_t *c, char *err, size_t errlen);

/* --- read side --- */

typedef struct capital_stats {
	char name[TH_NAME_MAX];
	char parent[TH_NAME_MAX]; /* "" for master / total / venue */
	int kind;                 /* capital_kind */
	th_money cash;            /* agent: free cash; farm / master: its own cash; total: all cash */
	th_money reserved;
	th_money collateral;
	th_money position_value;  /* sum qty x mark */
	th_money equity;
	th_money committed;
	th_money free;            /* capital_reserve's free capital (agents; cash for others) */
	th_money allocated;       /* net capital allocated by the parent (master: net deposits) */
	th_money flow;            /* cumulative net capital moved in from outside (see curves) */
	th_money realized_pnl;    /* gross of fees */
	th_money unrealized_pnl;
	th_money fees;
	th_money net_pnl;         /* realized - fees + unrealized */
	uint32_t trades, wins, losses;
	th_money max_drawdown;
	int64_t max_drawdown_bps;
	int64_t nav;              /* at the last snapshot */
	size_t positions;         /* non-flat positions */
	size_t open_orders;
	size_t curve_points;      /* points held */
	/* The wallet's positions as capital_positions() reports them (a farm's
	 * and the total's aggregated per instrument): how many are non-flat, the
	 * sum of |value| and the sum of value. */
	size_t held;
	th_money gross_exposure;
	th_money net_exposure;
} capital_stats;

/* `wallet`: "master", "total", a farm or an agent. Farm / total aggregate
 * their agents. TH_ERR_NOT_FOUND for unknown names. O(1) in the number of
 * positions: read from running totals that every posting, fill, mark and
 * order keeps current. */
int capital_stats_get(const capital_t *c, const char *wallet, capital_stats *out);
/* The same figures recomputed from every position, account and order (the
 * reference the running totals are checked against; O(positions)). */
int capital_stats_recompute(const capital_t *c, const char *wallet, capital_stats *out);
/* Aggregates positions, PnL, fees and trades of every agent on one venue.
 * Wallet cash is not kept per venue, so cash, reserved, collateral, free,
 * allocated and flow are 0 and equity = position_value. TH_ERR_NOT_FOUND
 * when no position ever used the venue. */
int capital_venue_stats(const capital_t *c, const char *venue, capital_stats *out);

typedef struct capital_position {
	th_position p;            /* venue, symbol, qty, avg_price, realized_pnl, fees, scales */
	char agent[TH_NAME_MAX];  /* "" when aggregated over several agents */
	th_money cost;            /* signed cost basis */
	th_money value;           /* qty x mark */
	th_money unrealized_pnl;  /* value - cost */
	th_price mark;            /* at p.price_scale; 0 if never marked */
	int64_t mark_ns;
	uint32_t trades, wins, losses;
} capital_position;

/* Positions with qty != 0 (and flat ones with history when include_flat).
 * agent name: its positions, in first-use order; farm / "total": aggregated
 * per instrument over the agents (agent = ""), in instrument order, from
 * running per-instrument sums (O(instruments)). Returns how many exist; at
 * most `max` are written. */
size_t capital_positions(const capital_t *c, const char *wallet, int include_flat, capital_position *out, size_t max);
/* One agent's position in one instrument, flat or not, as capital_positions()
 * reports it, without copying the agent's others (the backtest's trade book
 * reads it on every fill). TH_OK, or TH_ERR_NOT_FOUND when `agent` is not an
 * agent or has never traded the instrument. */
int capital_position_of(const capital_t *c, const char *agent, const char *venue, const char *symbol,
	capital_position *out);
/* The four figures of capital_position_of() that the backtest's trade book
 * follows on every fill, equal to its p.qty, p.avg_price, p.realized_pnl and
 * p.fees, without the names, value and mark it would also fill in. */
typedef struct capital_position_core {
	th_qty qty;
	th_price avg_price;
	th_money realized_pnl, fees;
} capital_position_core;
/* They are read by a remembered reference, for a caller that reads one
 * position on every fill (the trade book): found once by name with
 * capital_position_ref_of(), then read with no name lookup at all. A
 * reference stays valid for the capital's lifetime, because wallets and
 * positions are only ever appended (never removed or reordered); an
 * out-of-range one is TH_ERR_NOT_FOUND. */
typedef struct capital_position_ref {
	int32_t wallet, pos;
} capital_position_ref;
int capital_position_ref_of(const capital_t *c, const char *agent, const char *venue, const char *symbol,
	capital_position_ref *out);
int capital_position_core_at(const capital_t *c, capital_position_ref ref, capital_position_core *out);

typedef struct capital_point {
	uint64_t seq;     /* 1, 2, 3 ... per curve, never reused */
	int64_t t_ns;
	th_money equity;
	th_money flow;
	int64_t nav;
} capital_point;

/* Points of the wallet's curve with seq > after_seq that are still held,
 * oldest first. Returns how many match; at most `max` are written. */
size_t capital_curve(const capital_t *c, const char *wallet, uint64_t after_seq, capital_point *out, size_t max);
/* Seq of the wallet's newest point (0 if none). */
uint64_t capital_curve_seq(const capital_t *c, const char *wallet);
/* The nav the wallet would have if a snapshot were taken now (no change). */
int capital_nav_live(const capital_t *c, const char *wallet, int64_t *nav);

/* Children of "master" (farms) or of a farm (agents), in creation order. */
size_t capital_children(const capital_t *c, const char *scope, char (*names)[TH_NAME_MAX], size_t max);
/* Kind of a wallet name (capital_kind) or -1 if unknown; parent copied when not NULL. */
int capital_kind_of(const capital_t *c, const char *wallet, char *parent, size_t parent_cap);

typedef struct capital_order_info {
	char agent[TH_NAME_MAX];
	char venue[TH_VENUE_MAX];
	char symbol[TH_SYMBOL_MAX];
	uint32_t side;
	th_price price;
	th_qty qty, remaining;
	th_qty reduce_remaining; /* part planned to reduce the position (reserves nothing) */
	th_qty open_remaining;   /* part that opens exposure */
	th_money reserved;       /* what is still held */
} capital_order_info;

int capital_order_get(const capital_t *c, const char *order_key, capital_order_info *out);
size_t capital_order_count(const capital_t *c);

/* Canonical text of the whole state (ledger, wallets, instruments, positions,
 * orders sorted by key, curves): equal state <=> equal text. malloc'd, NUL-
 * terminated; *len (optional) gets strlen. NULL when out of memory. */
char *capital_dump(const capital_t *c, size_t *len);

#endif
