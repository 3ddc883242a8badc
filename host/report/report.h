/*
 * report — backtest performance statistics, report.json and report.html.
 *
 * The backtest driver hands over, for the whole host and for each farm and
 * each agent, an equity curve sampled at bar closes (report_series), plus the
 * list of closed trades (report_trade). This subsystem computes the
 * statistics a trader expects and writes them as a deterministic JSON file
 * and as one self-contained HTML page (inline CSS and SVG, nothing fetched).
 *
 * Money stays int64 fixed-point (th_money, TH_MONEY_SCALE) from input to
 * output: money in report.json is a decimal string with every digit
 * (th_fixed_format). Doubles appear only for dimensionless ratios.
 *
 * ---------------------------------------------------------------------------
 * Definitions (E_0..E_{n-1} = equity samples at times t_0 < ... < t_{n-1})
 * ---------------------------------------------------------------------------
 *  start_equity   E_0 (initial_capital when the curve is empty). The driver
 *                 should make its first sample the starting point (t = start
 *                 of the backtest, equity = initial capital).
 *  end_equity     E_{n-1} (initial_capital when the curve is empty).
 *  net_profit     end_equity - start_equity (exact, money).
 *  total_return   net_profit / start_equity.       Undefined if start <= 0.
 *  returns        r_i = (E_i - E_{i-1}) / E_{i-1}, i = 1..n-1. A period whose
 *                 previous equity is <= 0 has no defined return and is left
 *                 out of the return series (N below counts kept returns).
 *  periods/year   P = periods_per_year_hint when > 0; otherwise
 *                 REPORT_YEAR_NS / median(t_i - t_{i-1}) with a 365-day year
 *                 (1-minute bars -> 525600, daily 24/7 bars -> 365). The
 *                 median of an even count is the mean of the two middle
 *                 spacings (integer ns). Pass 252 for daily exchange bars.
 *  sharpe         mean(r) / stdev(r) * sqrt(P); stdev is the sample standard
 *                 deviation (divisor N-1); risk-free rate 0.
 *                 Undefined if N < 2 or stdev == 0 (stdev below 1e-12 x |mean|
 *                 counts as 0: that is rounding noise of a constant return).
 *  sortino        mean(r) / DD * sqrt(P) with downside deviation
 *                 DD = sqrt( sum(min(r_i, 0)^2) / N ) (target 0, divided by
 *                 the count of ALL returns). Undefined if N < 1 or DD == 0.
 *  cagr           (E_{n-1} / E_0)^(1 / years) - 1 with
 *                 years = (t_{n-1} - t_0) / REPORT_JULIAN_YEAR_NS (365.25 d).
 *                 -1 when E_{n-1} <= 0 (everything lost). Undefined if n < 2,
 *                 E_0 <= 0, or the result overflows a double (an absurdly
 *                 short span with a large gain).
 *  max_drawdown   max_i (peak_i - E_i) / peak_i, peak_i = max(E_0..E_i), over
 *                 samples whose running peak is > 0; a positive fraction
 *                 (0.25 = 25 % below the peak; > 1 if equity went negative).
 *                 0 for fewer than 2 samples (nothing can have been lost).
 *  max_drawdown_money  max_i (peak_i - E_i), exact money (>= 0).
 *  calmar         cagr / max_drawdown. Undefined if cagr is undefined or
 *                 max_drawdown == 0.
 *  trades         closed trades that belong to the series (see below);
 *                 wins: net_pnl > 0, losses: net_pnl < 0 (break-even trades
 *                 count in trades only).
 *  win_rate       wins / trades.                    Undefined if trades == 0.
 *  gross_profit   sum of net_pnl over wins; gross_loss = -sum over losses
 *                 (both >= 0, exact money).
 *  profit_factor  gross_profit / gross_loss. Undefined if gross_loss == 0
 *                 (no losing trade: the ratio would be infinite, or 0/0).
 *  exposure       exposure_ns / (t_{n-1} - t_0), clipped to [0, 1] (time in
 *                 market counted before the first sample is not in the span).
 *                 Undefined if n < 2.
 *  fees           the series' fees total as given by the driver (money).
 *
 * Undefined ratios: the double in report_stats is 0 and the matching
 * REPORT_UNDEF_* bit is set in report_stats.undefined. report.json OMITS the
 * key of an undefined ratio and names it in the entry's "undefined" array (so
 * the file is valid JSON, never NaN/Inf, no sentinel like 1e9 skews a sort or
 * an average, and a consumer cannot mistake a convention for a measurement);
 * report.html shows
 * "n/a" ("∞" for a profit factor with profits and no losses). gross_profit
 * and gross_loss are always written, so the infinite case stays readable.
 *
 * Which trades belong to a series: the host series takes every trade; a farm
 * series takes trades whose farm equals its name; an agent series takes
 * trades whose agent equals its name and, if the series has a parent farm,
 * whose farm equals that parent.
 */
#ifndef TH_REPORT_REPORT_H
#define TH_REPORT_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "tradehost/th_fixed.h"
#include "tradehost/th_types.h"

/* Length of a year for annualising per-period returns (365 days: markets the
 * host trades run 24/7, so a year has 365 daily or 525600 one-minute bars). */
#define REPORT_YEAR_NS (365LL * 86400LL * 1000000000LL)
/* Length of a year for CAGR's elapsed time: the Julian year averages leap
 * days over multi-year spans. */
#define REPORT_JULIAN_YEAR_NS (36525LL * 864LL * 1000000000LL)

/* Longest chart path in report.html; longer curves are downsampled keeping
 * each bucket's minimum and maximum (so peaks and troughs stay visible). */
#define REPORT_CHART_MAX_POINTS 2000

typedef enum report_kind {
	REPORT_KIND_HOST = 1,  /* the whole host: exactly one per report */
	REPORT_KIND_FARM = 2,
	REPORT_KIND_AGENT = 3
} report_kind;

/* One equity curve. Borrowed pointers: the caller keeps them alive for the
 * duration of the call. t_ns must be strictly increasing. */
typedef struct report_series {
	const char *name;          /* "total" for the host, else farm / agent name */
	report_kind kind;
	const char *parent;        /* agent: its farm (or NULL); others: NULL */
	const int64_t *t_ns;       /* sample times (bar closes), ns since the epoch */
	const th_money *equity;    /* equity at each sample */
	size_t n;                  /* number of samples; 0 allowed */
	th_money initial_capital;  /* allocated capital at the start */
	th_money fees;             /* fees paid in total */
	int64_t exposure_ns;       /* time with a non-zero position, >= 0 */
} report_series;

/* One closed (round-trip) trade. Strings are borrowed. */
typedef struct report_trade {
	const char *agent;
	const char *farm;          /* NULL or "" for an agent outside any farm */
	const char *venue;
	const char *symbol;
	uint32_t side;             /* th_side of the ENTRY: TH_SIDE_BUY = long */
	int64_t entry_ns, exit_ns; /* exit_ns >= entry_ns */
	th_qty qty;                /* > 0, at qty_scale */
	int32_t qty_scale;
	th_price entry_price, exit_price; /* at price_scale */
	int32_t price_scale;
	th_money net_pnl;          /* realised PnL with fees already subtracted */
	th_money fees;             /* fees paid on entry + exit (informational) */
} report_trade;

/* Bits of report_stats.undefined. */
enum {
	REPORT_UNDEF_TOTAL_RETURN = 1u << 0,
	REPORT_UNDEF_CAGR = 1u << 1,
	REPORT_UNDEF_SHARPE = 1u << 2,
	REPORT_UNDEF_SORTINO = 1u << 3,
	REPORT_UNDEF_CALMAR = 1u << 4,
	REPORT_UNDEF_WIN_RATE = 1u << 5,
	REPORT_UNDEF_PROFIT_FACTOR = 1u << 6,
	REPORT_UNDEF_EXPOSURE = 1u << 7
};

typedef struct report_stats {
	th_money start_equity, end_equity, net_profit;
	th_money max_drawdown_money, fees, gross_profit, gross_loss;
	double total_return, cagr, sharpe, sortino, calmar, max_drawdown;
	double win_rate, profit_factor, exposure;
	double periods_per_year;   /* the P used for sharpe / sortino (0 if none) */
	size_t samples;            /* equity points */
	size_t returns;            /* N: defined per-period returns */
	size_t trades, wins, losses;
	int64_t elapsed_ns;        /* t_{n-1} - t_0, 0 if n < 2 */
	unsigned undefined;        /* REPORT_UNDEF_* bits; those doubles are 0 */
} report_stats;

/* What the run was; printed in the report's "meta" block. Strings borrowed. */
typedef struct report_meta {
	const char *config;        /* config file path (as given on the command line) */
	uint64_t seed;
	int64_t from_ns, to_ns;    /* backtest window */
	uint64_t bars;             /* bars replayed */
	const char *generated_by;  /* e.g. "tradehost 0.1.0"; NULL -> "tradehost" */
	int64_t periods_per_year;  /* hint for every series; 0 = from median spacing */
} report_meta;

/* Statistics of one series over the trades that belong to it (the caller
 * passes the full trade list). periods_per_year_hint > 0 overrides the
 * annualisation factor. Returns 0, or -1 with a message in err on bad input
 * (unsorted times, NULL arrays, bad trade fields, money overflow). */
int report_compute(const report_series *s, const report_trade *trades, size_t ntrades,
		   int64_t periods_per_year_hint, report_stats *out, char *err, size_t errlen);

/* 1 if trade t counts towards series s (rule above), else 0. */
int report_trade_belongs(const report_series *s, const report_trade *t);

/* Write report.json (layout in report_json.c). series must hold exactly one
 * REPORT_KIND_HOST series; farm names and (farm, agent) pairs must be unique.
 * Farms are listed sorted by name, agents by (farm, name), trades in the
 * given order. Same input => byte-identical file. The file is written to a
 * temporary name and renamed, so a reader never sees half a report.
 * Returns 0, or -1 with a message in err. */
int report_write_json(const char *path, const report_meta *meta, const report_series *series,
		      size_t nseries, const report_trade *trades, size_t ntrades, char *err,
		      size_t errlen);

/* Write report.html: one self-contained page (summary tables for the total,
 * each farm and each agent, equity and drawdown charts of the total as inline
 * SVG, the first REPORT_HTML_MAX_TRADES trades). Same inputs and rules as
 * report_write_json; deterministic too. */
#define REPORT_HTML_MAX_TRADES 500
int report_write_html(const char *path, const report_meta *meta, const report_series *series,
		      size_t nseries, const report_trade *trades, size_t ntrades, char *err,
		      size_t errlen);

/* Pick at most max_points indices of y[0..n) for a chart: all of them when
 * n <= max_points; otherwise the first and last points plus, for each of
 * (max_points - 2) / 2 equal buckets of the interior, the bucket's minimum
 * and maximum in time order (one index when they coincide). Writes
 * ascending indices to idx (room for max(max_points, 4)) and returns their
 * count. max_points < 4 is treated as 4. */
size_t report_downsample_minmax(const double *y, size_t n, size_t max_points, size_t *idx);

#endif
