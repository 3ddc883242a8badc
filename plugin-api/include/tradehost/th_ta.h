/*
 * tradehost SDK — streaming technical-analysis indicators (library `tradehost::ta`,
 * file libtradehost_ta.a, linked INTO the plugin; the host does not provide it).
 *
 * Depends on the C standard headers only.
 *
 * Conventions shared by every indicator <name>:
 *
 *   int  th_ta_<name>_init(th_ta_<name> *s, params..., th_ta_error *err);
 *   int  th_ta_<name>_update(th_ta_<name> *s, inputs..., outputs *out);
 *   void th_ta_<name>_reset(th_ta_<name> *s);
 *   void th_ta_<name>_free(th_ta_<name> *s);
 *   int  th_ta_<name>_batch(const double *in..., size_t n, params..., double *out...);
 *
 * - State is caller-owned (a plain struct: stack, arena, inside your plugin state). Its fields
 *   are private. Indicators with a window allocate their buffers ONCE in _init (malloc);
 *   _update never allocates. Call _free for every state whose _init succeeded (it is a no-op
 *   for the indicators without a window, so calling it always is the simple rule). _free on a
 *   zeroed or already-freed state is safe. _init does not free an earlier state: _free it first.
 * - _init validates the parameters: 0 on success, TH_TA_EPARAM (with err->msg naming the
 *   parameter and its allowed range, if err is not NULL) or TH_TA_ENOMEM. After a failed _init
 *   the state is zeroed; _update on it returns TH_TA_EPARAM and never touches memory.
 * - _update returns 1 when *out holds a valid value, 0 while warming up ("not ready": *out is
 *   untouched), or TH_TA_EINPUT if an input is NaN, infinite or larger in magnitude than
 *   TH_TA_INPUT_MAX (the state is then unchanged, as if the call never happened). Outputs are
 *   always finite: no NaN or Inf ever leaves an update.
 *   "First valid index" below is the 0-based index of the first update that returns 1, i.e.
 *   the number of updates that return 0 first (TA-Lib calls it the lookback).
 * - _reset forgets all data but keeps parameters and buffers (e.g. at a session boundary).
 * - _batch runs the SAME step code as _update over arrays (out[i] belongs to in[i]) and so
 *   produces bit-identical numbers. out[i] is written exactly where _update would return 1;
 *   other entries are left untouched (pre-fill them if you need a sentinel). Output pointers
 *   of multi-output indicators may be NULL to skip that output. Returns 0, TH_TA_EPARAM,
 *   TH_TA_ENOMEM (it allocates one state), or TH_TA_EINPUT at the first bad input (entries
 *   before it are written, none after). An output array may be the same as an input array.
 *
 * Values follow the TA-Lib definitions (seeds and lookback of TA-Lib 0.4/0.6 with default
 * settings: no unstable period, classic compatibility); where TA-Lib has no such function the
 * definition used is spelled out. Intentional differences from TA-Lib, all in degenerate
 * cases: TA-Lib treats |v| < 1e-8 as zero (an absolute tolerance that breaks low-priced
 * instruments); here only exact zero counts, except the variance floor of STDDEV/BBANDS/ZSCORE.
 *
 * Rolling sums are compensated (Kahan-Babuska/Neumaier two-sum) and removals subtract exactly
 * what was added, so 10 M-bar runs do not drift (tests check this against a fresh recompute).
 * An outlier (up to TH_TA_INPUT_MAX) that has left a window does not leave lasting damage
 * either: once per turn of the window, if a sum's magnitude has shrunk by more than 2^32
 * from its peak, it is rebuilt from the window buffer (O(n), amortised O(1)).
 *
 * Prices are fixed-point in tradehost (th_price at the instrument's price_scale); indicator
 * values are analytics and use double. Convert with th_ta_price().
 */
#ifndef TRADEHOST_TH_TA_H
#define TRADEHOST_TH_TA_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Return codes. TH_TA_EPARAM and TH_TA_ENOMEM have the values of TH_ERR_INVALID and
 * TH_ERR_NOMEM (th_status.h) so a plugin may hand them on as a th_status. */
#define TH_TA_OK 0
#define TH_TA_EPARAM (-2)  /* bad parameter, or the state was never initialised */
#define TH_TA_ENOMEM (-3)  /* the one allocation in _init failed */
#define TH_TA_EINPUT (-40) /* an input is NaN, infinite, beyond TH_TA_INPUT_MAX, or invalid
                            * for this indicator (negative volume, zig-zag price <= 0 ...) */

/* Largest period (window length) any indicator accepts. */
#define TH_TA_PERIOD_MAX 1000000u
/* Largest accepted |input|. Far above any price or volume, small enough that squares and
 * sums over TH_TA_PERIOD_MAX values stay finite, which is what guarantees finite outputs. */
#define TH_TA_INPUT_MAX 1e50

typedef struct th_ta_error {
	char msg[160];
} th_ta_error;

/* Short English text for a return code ("bad parameter", ...); never NULL. */
const char *th_ta_strerror(int code);

/* A fixed-point mantissa (th_price, th_qty, th_money) at `scale` fractional digits as a double:
 * 12345 at scale 2 -> 123.45 (correctly rounded while |mantissa| <= 2^53). A scale outside
 * 0..18 yields NaN, which every _update rejects with TH_TA_EINPUT rather than using it. */
static inline double th_ta_price(int64_t mantissa, int scale)
{
	static const double th_ta_pow10[19] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9,
		1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18 };
	if (scale < 0 || scale > 18)
		return (double)NAN;
	return (double)mantissa / th_ta_pow10[scale];
}

/* ------------------------------------------------------------------------------------------
 * Building blocks embedded in the states below. Private: use only through the indicators.
 * ---------------------------------------------------------------------------------------- */

/* Compensated sum: the value is sum + comp; peak is the largest |sum| since it was cleared
 * (an outlier that has left a window still leaves rounding residue of about 1e-32 * peak,
 * so windows rebuild their sums from the buffer when peak dwarfs the current value). */
typedef struct th_ta_ksum {
	double sum, comp, peak;
} th_ta_ksum;

/* The last `cap` inputs; buf[head] is the next slot to write (the oldest value once full). */
typedef struct th_ta_ring {
	double *buf;
	uint32_t cap, head, count;
} th_ta_ring;

/* Rolling maximum over the last `cap` inputs (van Herk / Gil-Werman): the input stream is cut
 * into blocks of cap values; the window is a suffix of the previous block (its suffix maxima
 * are computed once, when that block completes: O(cap) per cap updates) plus a prefix of the
 * current one (a running maximum). Amortised O(1), no data-dependent branches, exact.
 * Minimums are kept as maxima of -x. */
typedef struct th_ta_winmax {
	double *val; /* the current block, by offset */
	double *suf; /* suf[j]: max of the previous block's offsets j..cap-1; suf[cap] = -inf */
	uint32_t cap, pos;
	double prefix;
	uint64_t seen;
} th_ta_winmax;

/* Rolling mean and population variance of the last `period` inputs. Sums are kept of
 * (x - shift), where shift is re-centred on the window mean (sums recomputed from the window,
 * O(period) once per `period` updates at most) when the mean drifts away or an outlier has
 * passed through, so the variance does not lose digits to cancellation on large prices with
 * small moves. */
typedef struct th_ta_moments {
	uint32_t period;
	th_ta_ring ring;
	double shift;
	th_ta_ksum s1, s2;
} th_ta_moments;

/* ------------------------------------------------------------------------------------------
 * SMA — simple moving average.
 *   sma_t = (x_{t-n+1} + ... + x_t) / n
 *   Params: period n in 1..TH_TA_PERIOD_MAX.  First valid index: n-1.  Window buffer: n doubles.
 * ---------------------------------------------------------------------------------------- */
typedef struct th_ta_sma {
	uint32_t period;
	th_ta_ring ring;
	th_ta_ksum sum;
} th_ta_sma;

int th_ta_sma_init(th_ta_sma *s, uint32_t period, th_ta_error *err);
int th_ta_sma_update(th_ta_sma *s, double x, double *out);
void th_ta_sma_reset(th_ta_sma *s);
void th_ta_sma_free(th_ta_sma *s);
int th_ta_sma_batch(const double *in, size_t n, uint32_t period, double *out);

/* ------------------------------------------------------------------------------------------
 * EMA — exponential moving average (TA-Lib EMA).
 *   k = 2 / (n + 1);  seed ema_{n-1} = SMA of the first n inputs;
 *   ema_t = (x_t - ema_{t-1}) * k + ema_{t-1}.
 *   Params: period n in 1..TH_TA_PERIOD_MAX.  First valid index: n-1.  No buffer.
 * ---------------------------------------------------------------------------------------- */
typedef struct th_ta_ema {
	uint32_t period, count;
	double k;
	th_ta_ksum seed;
	double value;
} th_ta_ema;

int th_ta_ema_init(th_ta_ema *s, uint32_t period, th_ta_error *err);
int th_ta_ema_update(th_ta_ema *s, double x, double *out);
void th_ta_ema_reset(th_ta_ema *s);
void th_ta_ema_free(th_ta_ema *s);
int th_ta_ema_batch(const double *in, size_t n, uint32_t period, double *out);

/* ------------------------------------------------------------------------------------------
 * SMMA / RMA — Wilder's smoothed moving average (the smoothing inside TA-Lib RSI and ATR;
 * Pine's ta.rma).
 *   seed smma_{n-1} = SMA of the first n inputs;  smma_t = (smma_{t-1} * (n-1) + x_t) / n.
 *   Params: period n in 1..TH_TA_PERIOD_MAX.  First valid index: n-1.  No buffer.
 * ---------------------------------------------------------------------------------------- */
typedef struct th_ta_smma {
	uint32_t period, count;
	th_ta_ksum seed;
	double value;
} th_ta_smma;

int th_ta_smma_init(th_ta_smma *s, uint32_t period, th_ta_error *err);
int th_ta_smma_update(th_ta_smma *s, double x, double *out);
void th_ta_smma_reset(th_ta_smma *s);
void th_ta_smma_free(th_ta_smma *s);
int th_ta_smma_batch(const double *in, size_t n, uint32_t period, double *out);

/* ------------------------------------------------------------------------------------------
 * WMA — linearly weighted moving average (TA-Lib WMA): newest weight n, oldest weight 1.
 *   wma_t = (1*x_{t-n+1} + 2*x_{t-n+2} + ... + n*x_t) / (n(n+1)/2).
 *   O(1) update: W' = W + n*x_t - S, S' = S + x_t - x_{t-n} (S: plain sum of the window).
 *   Params: period n in 1..TH_TA_PERIOD_MAX.  First valid index: n-1.  Window buffer: n doubles.
 * ---------------------------------------------------------------------------------------- */
typedef struct th_ta_wma {
	uint32_t period;
	th_ta_ring ring;
	th_ta_ksum sum, wsum;
	double denom;
} th_ta_wma;

int th_ta_wma_init(th_ta_wma *s, uint32_t period, th_ta_error *err);
int th_ta_wma_update(th_ta_wma *s, double x, double *out);
void th_ta_wma_reset(th_ta_wma *s);
void th_ta_wma_free(th_ta_wma *s);
int th_ta_wma_batch(const double *in, size_t n, uint32_t period, double *out);

/* ------------------------------------------------------------------------------------------
 * RSI — relative strength index, Wilder smoothing (TA-Lib RSI, classic mode).
 *   change_t = x_t - x_{t-1}; gain = max(change, 0), loss = max(-change, 0).
 *   Seed (at t = n): avg_gain = (sum of the first n gains) / n, same for avg_loss.
 *   Then avg = (avg * (n-1) + gain_or_loss) / n.
 *   rsi = 100 * avg_gain / (avg_gain + avg_loss); 0 when both are exactly 0 (as TA-Lib).
 *   Params: period n in 2..TH_TA_PERIOD_MAX.  First valid index: n (needs n+1 prices).
 *   No buffer.
 * ---------------------------------------------------------------------------------------- */
typedef struct th_ta_rsi {
	uint32_t period, count; /* count: 0 before the first price, then 1 */
	double prev;
	th_ta_smma gain, loss;
} th_ta_rsi;

int th_ta_rsi_init(th_ta_rsi *s, uint32_t period, th_ta_error *err);
int th_ta_rsi_update(th_ta_rsi *s, double x, double *out);
void th_ta_rsi_reset(th_ta_rsi *s);
void th_ta_rsi_free(th_ta_rsi *s);
int th_ta_rsi_batch(const double *in, size_t n, uint32_t period, double *out);

/* ------------------------------------------------------------------------------------------
 * ATR — average true range (TA-Lib ATR).
 *   tr_t = max(high_t - low_t, |high_t - close_{t-1}|, |low_t - close_{t-1}|), defined from the
 *   second bar on (the first bar has no previous close and only provides it).
 *   Seed (at t = n): atr = SMA of tr_1..tr_n; then atr_t = (atr_{t-1} * (n-1) + tr_t) / n.
 *   Params: period n in 1..TH_TA_PERIOD_MAX.  First valid index: n.  No buffer.
 * ---------------------------------------------------------------------------------------- */
typedef struct th_ta_atr {
	uint32_t period;
	int have_prev;
	double prev_close;
	th_ta_smma tr;
} th_ta_atr;

int th_ta_atr_init(th_ta_atr *s, uint32_t period, th_ta_error *err);
int th_ta_atr_update(th_ta_atr *s, double high, double low, double close, double *out);
void th_ta_atr_reset(th_ta_atr *s);
void th_ta_atr_free(th_ta_atr *s);
int th_ta_atr_batch(const double *high, const double *low, const double *close, size_t n,
                    uint32_t period, double *out);

/* Three lines: Bollinger bands, Donchian channel. */
typedef struct th_ta_bands {
	double upper, middle, lower;
} th_ta_bands;

/* ------------------------------------------------------------------------------------------
 * BBANDS — Bollinger bands (TA-Lib BBANDS, MA type SMA, nbdevup = nbdevdn = k).
 *   middle = SMA(n); sd = population standard deviation of the same n inputs (divides by n);
 *   upper = middle + k*sd; lower = middle - k*sd.
 *   Params: period n in 2..TH_TA_PERIOD_MAX; k finite, 0 <= k <= 1000.
 *   First valid index: n-1.  Window buffer: n doubles.
 *   A variance below the rounding noise of the window (64 * DBL_EPSILON * mean squared
 *   deviation from the internal shift) is reported as exactly 0.
 * ---------------------------------------------------------------------------------------- */
typedef struct th_ta_bbands {
	double k;
	th_ta_moments m;
} th_ta_bbands;

int th_ta_bbands_init(th_ta_bbands *s, uint32_t period, double k, th_ta_error *err);
int th_ta_bbands_update(th_ta_bbands *s, double x, th_ta_bands *out);
void th_ta_bbands_reset(th_ta_bbands *s);
void th_ta_bbands_free(th_ta_bbands *s);
int th_ta_bbands_batch(const double *in, size_t n, uint32_t period, double k, double *upper,
                       double *middle, double *lower);

/* ------------------------------------------------------------------------------------------
 * STDDEV — rolling population standard deviation (TA-Lib STDDEV with nbdev = 1).
 *   sd_t = sqrt( (1/n) * sum (x_i - mean)^2 ) over the last n inputs (same variance floor as
 *   BBANDS).
 *   Params: period n in 2..TH_TA_PERIOD_MAX.  First valid index: n-1.  Window buffer: n doubles.
 * ---------------------------------------------------------------------------------------- */
typedef struct th_ta_stddev {
	th_ta_moments m;
} th_ta_stddev;

int th_ta_stddev_init(th_ta_stddev *s, uint32_t period, th_ta_error *err);
int th_ta_stddev_update(th_ta_stddev *s, double x, double *out);
void th_ta_stddev_reset(th_ta_stddev *s);
void th_ta_stddev_free(th_ta_stddev *s);
int th_ta_stddev_batch(const double *in, size_t n, uint32_t period, double *out);

/* ------------------------------------------------------------------------------------------
 * ZSCORE — rolling z-score (not in TA-Lib; the usual definition on STDDEV's quantities).
 *   z_t = (x_t - SMA_n) / STDDEV_n, the window including x_t; 0 when STDDEV is 0.
 *   Params: period n in 2..TH_TA_PERIOD_MAX.  First valid index: n-1.  Window buffer: n doubles.
 * ---------------------------------------------------------------------------------------- */
typedef struct th_ta_zscore {
	th_ta_moments m;
} th_ta_zscore;

int th_ta_zscore_init(th_ta_zscore *s, uint32_t period, th_ta_error *err);
int th_ta_zscore_update(th_ta_zscore *s, double x, double *out);
void th_ta_zscore_reset(th_ta_zscore *s);
void th_ta_zscore_free(th_ta_zscore *s);
int th_ta_zscore_batch(const double *in, size_t n, uint32_t period, double *out);

/* ------------------------------------------------------------------------------------------
 * MACD — moving average convergence/divergence (TA-Lib MACD).
 *   macd = EMA_fast - EMA_slow; signal = EMA_signal(macd); hist = macd - signal.
 *   All EMAs seeded with the SMA of their first inputs, k = 2/(p+1). As in TA-Lib, the fast
 *   EMA starts at the same bar as the slow one: its seed is the SMA of x_{slow-fast} ..
 *   x_{slow-1} (not of the first `fast` inputs), so the MACD line starts at index slow-1.
 *   Params: 1 <= fast < slow <= TH_TA_PERIOD_MAX; signal in 1..TH_TA_PERIOD_MAX.
 *   First valid index: slow + signal - 2 (33 for 12,26,9). No buffer. The update returns 1
 *   only once all three values are valid.
 * ---------------------------------------------------------------------------------------- */
typedef struct th_ta_macd_out {
	double macd, signal, hist;
} th_ta_macd_out;

typedef struct th_ta_macd {
	uint32_t fast_period, slow_period, signal_period, count;
	th_ta_ema fast, slow, signal;
} th_ta_macd;

int th_ta_macd_init(th_ta_macd *s, uint32_t fast, uint32_t slow, uint32_t signal, th_ta_error *err);
int th_ta_macd_update(th_ta_macd *s, double x, th_ta_macd_out *out);
void th_ta_macd_reset(th_ta_macd *s);
void th_ta_macd_free(th_ta_macd *s);
int th_ta_macd_batch(const double *in, size_t n, uint32_t fast, uint32_t slow, uint32_t signal,
                     double *macd, double *signal_line, double *hist);

/* ------------------------------------------------------------------------------------------
 * STOCH — slow stochastic oscillator (TA-Lib STOCH, both MA types SMA).
 *   raw_t = (close_t - LL) / ((HH - LL) / 100), HH/LL = highest high / lowest low of the last
 *   k_period bars including t; raw = 0 when HH == LL (as TA-Lib).
 *   (raw is also 0 if the close lies so far outside a microscopic range that the ratio would
 *   overflow.)  %K = SMA_{k_smooth}(raw);  %D = SMA_{d_period}(%K).
 *   Params: k_period, k_smooth, d_period each in 1..TH_TA_PERIOD_MAX (common: 14,3,3).
 *   First valid index: k_period + k_smooth + d_period - 3.  Buffers: 2 rolling maxima of
 *   2*k_period+1 doubles each and rings of k_smooth and d_period doubles.
 * ---------------------------------------------------------------------------------------- */
typedef struct th_ta_stoch_out {
	double k, d;
} th_ta_stoch_out;

typedef struct th_ta_stoch {
	th_ta_winmax hh, ll;
	th_ta_sma k, d;
	uint32_t k_period;
} th_ta_stoch;

int th_ta_stoch_init(th_ta_stoch *s, uint32_t k_period, uint32_t k_smooth, uint32_t d_period,
                     th_ta_error *err);
int th_ta_stoch_update(th_ta_stoch *s, double high, double low, double close, th_ta_stoch_out *out);
void th_ta_stoch_reset(th_ta_stoch *s);
void th_ta_stoch_free(th_ta_stoch *s);
int th_ta_stoch_batch(const double *high, const double *low, const double *close, size_t n,
                      uint32_t k_period, uint32_t k_smooth, uint32_t d_period, double *k, double *d);

/* ------------------------------------------------------------------------------------------
 * ADX — average directional index (TA-Lib ADX, no rounding), with +DI / -DI.
 *   From the second bar: up = high_t - high_{t-1}, down = low_{t-1} - low_t;
 *   -DM1 = down if down > 0 and up < down; else +DM1 = up if up > 0 and up > down; else both 0.
 *   tr as in ATR. Bars 1..n-1: DMn and TRn are plain sums. From bar n on, Wilder's sum
 *   smoothing: DMn = DMn - DMn/n + DM1 (same for TRn).
 *   +DI = 100 * (+DMn / TRn), -DI likewise; DX = 100 * |+DI - -DI| / (+DI + -DI).
 *   ADX seed (bar 2n-1) = (sum of DX over bars n..2n-1) / n; then ADX = (ADX*(n-1) + DX)/n.
 *   A bar with TRn == 0 or +DI + -DI == 0 contributes no DX (seed: adds nothing; later: ADX
 *   unchanged), and reports both DIs as 0 when TRn == 0 — as TA-Lib. (TRn counts as 0 also
 *   when a DMn exceeds it by 1e250 times, possible only with closes outside the bars' ranges,
 *   where the ratio would overflow.)
 *   Params: period n in 1..TH_TA_PERIOD_MAX.  First valid index: 2n-1 (27 for 14). No buffer.
 * ---------------------------------------------------------------------------------------- */
typedef struct th_ta_adx_out {
	double adx, plus_di, minus_di;
} th_ta_adx_out;

typedef struct th_ta_adx {
	uint32_t period, count; /* count: bars seen, saturating at 2n */
	double prev_high, prev_low, prev_close;
	double plus_dm, minus_dm, tr;
	double sum_dx, adx;
} th_ta_adx;

int th_ta_adx_init(th_ta_adx *s, uint32_t period, th_ta_error *err);
int th_ta_adx_update(th_ta_adx *s, double high, double low, double close, th_ta_adx_out *out);
void th_ta_adx_reset(th_ta_adx *s);
void th_ta_adx_free(th_ta_adx *s);
int th_ta_adx_batch(const double *high, const double *low, const double *close, size_t n,
                    uint32_t period, double *adx, double *plus_di, double *minus_di);

/* ------------------------------------------------------------------------------------------
 * DONCHIAN — Donchian channel: upper = highest high of the last n bars (TA-Lib MAX on high),
 *   lower = lowest low (TA-Lib MIN on low), middle = (upper + lower) / 2; the window includes
 *   the current bar.
 *   Params: period n in 1..TH_TA_PERIOD_MAX.  First valid index: n-1.
 *   Buffers: 2 rolling maxima of 2n+1 doubles each.  Amortised O(1) per update.
 * ---------------------------------------------------------------------------------------- */
typedef struct th_ta_donchian {
	th_ta_winmax hh, ll;
	uint32_t period;
} th_ta_donchian;

int th_ta_donchian_init(th_ta_donchian *s, uint32_t period, th_ta_error *err);
int th_ta_donchian_update(th_ta_donchian *s, double high, double low, th_ta_bands *out);
void th_ta_donchian_reset(th_ta_donchian *s);
void th_ta_donchian_free(th_ta_donchian *s);
int th_ta_donchian_batch(const double *high, const double *low, size_t n, uint32_t period,
                         double *upper, double *middle, double *lower);

/* ------------------------------------------------------------------------------------------
 * VWAP — volume-weighted average price (not in TA-Lib; the usual definition):
 *   tp_t = (high_t + low_t + close_t) / 3;  vwap = sum(tp * volume) / sum(volume).
 *   period 0: cumulative since init/_reset (reset it at your session boundary);
 *   period n: over the last n bars.
 *   Ready when (n > 0: at least n bars seen, and) the window holds at least one bar with
 *   volume > 0 — a window of zero volume is "not ready", never a division by zero. (Also not
 *   ready in the one turn of the window after an extreme outlier left it, if the rounding
 *   residue would make |vwap| exceed TH_TA_INPUT_MAX.)
 *   First valid index: the first bar with volume > 0 (period 0); for period n, n-1 if that
 *   window has volume.  Volume must be >= 0 (else TH_TA_EINPUT).
 *   Params: period in 0..TH_TA_PERIOD_MAX.  Buffers (n > 0): 2 rings of n doubles.
 * ---------------------------------------------------------------------------------------- */
typedef struct th_ta_vwap {
	uint32_t period;
	int live;        /* set by a successful _init (period 0 is a valid parameter) */
	uint64_t traded; /* bars with volume > 0 in the window (exact, unlike the float sum) */
	th_ta_ring pv_ring, vol_ring;
	th_ta_ksum pv, vol;
} th_ta_vwap;

int th_ta_vwap_init(th_ta_vwap *s, uint32_t period, th_ta_error *err);
int th_ta_vwap_update(th_ta_vwap *s, double high, double low, double close, double volume,
                      double *out);
void th_ta_vwap_reset(th_ta_vwap *s);
void th_ta_vwap_free(th_ta_vwap *s);
int th_ta_vwap_batch(const double *high, const double *low, const double *close,
                     const double *volume, size_t n, uint32_t period, double *out);

/* ------------------------------------------------------------------------------------------
 * LINREG_SLOPE — slope of the least-squares line through the last n inputs against
 *   x = 0..n-1 (TA-Lib LINEARREG_SLOPE), in price units per bar:
 *   slope = (n * sum(i*y_i) - sum(i) * sum(y_i)) / (n * sum(i^2) - sum(i)^2).
 *   O(1) update of sum(i*y_i) like WMA; sums kept of (y - shift), which leaves the slope
 *   unchanged and avoids cancellation on large prices. The recurrence for sum(i*y_i) adds a
 *   rounding error per update, so once per turn of the window (every n updates) the sums are
 *   recomputed from the buffer around the window mean: amortised O(1) (about twice the work
 *   of the bare recurrence), no accumulated error, and an outlier is forgotten one turn after
 *   it left.
 *   Params: period n in 2..TH_TA_PERIOD_MAX.  First valid index: n-1.  Window buffer: n doubles.
 * ---------------------------------------------------------------------------------------- */
typedef struct th_ta_linreg {
	uint32_t period;
	th_ta_ring ring;
	double shift;
	th_ta_ksum sum, wsum;
	double sum_x, denom;
} th_ta_linreg;

int th_ta_linreg_init(th_ta_linreg *s, uint32_t period, th_ta_error *err);
int th_ta_linreg_update(th_ta_linreg *s, double x, double *out);
void th_ta_linreg_reset(th_ta_linreg *s);
void th_ta_linreg_free(th_ta_linreg *s);
int th_ta_linreg_batch(const double *in, size_t n, uint32_t period, double *out);

/* ------------------------------------------------------------------------------------------
 * ZIGZAG — percentage zig-zag pivots on high/low (neither TA-Lib nor Tulip has one; this is
 *   the common non-repainting definition). p = pct / 100.
 *   In an up leg the candidate is the highest high H since the leg began. A bar that makes a
 *   new high moves the candidate (its own low is not compared: the order of high and low
 *   inside a bar is unknown). Any other bar with low <= H * (1 - p) CONFIRMS the high pivot H
 *   and starts a down leg whose candidate is that bar's low. Down legs mirror this
 *   (high >= L * (1 + p)). Before the first pivot both candidates (highest high, lowest low
 *   so far) run at once and the first confirmation decides the direction; a bar can confirm
 *   both only if both candidates come from the same bar, and then the high pivot wins.
 *   The update returns 1 on the bar that confirms a pivot and writes the pivot: its bar index
 *   (0-based count of updates since init/_reset), price and kind (+1 high, -1 low).
 *   Pivots alternate high/low. Inputs must satisfy 0 < low <= high (else TH_TA_EINPUT).
 *   Params: pct finite, 0 < pct < 100.  No buffer.
 * ---------------------------------------------------------------------------------------- */
typedef struct th_ta_zigzag_pivot {
	uint64_t index;
	double price;
	int kind; /* +1 high pivot, -1 low pivot */
} th_ta_zigzag_pivot;

typedef struct th_ta_zigzag {
	double p;
	uint64_t n;  /* bars seen */
	int dir;     /* 0 before the first pivot, +1 up leg, -1 down leg */
	double hi, lo;
	uint64_t hi_idx, lo_idx;
} th_ta_zigzag;

int th_ta_zigzag_init(th_ta_zigzag *s, double pct, th_ta_error *err);
int th_ta_zigzag_update(th_ta_zigzag *s, double high, double low, th_ta_zigzag_pivot *out);
void th_ta_zigzag_reset(th_ta_zigzag *s);
void th_ta_zigzag_free(th_ta_zigzag *s);
/* out[t] is written on each bar t that confirms a pivot. */
int th_ta_zigzag_batch(const double *high, const double *low, size_t n, double pct,
                       th_ta_zigzag_pivot *out);

#ifdef __cplusplus
}
#endif

#endif
