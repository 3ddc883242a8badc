/*
 * core_kit — the instrument as a strategy sees it: scales learnt from the
 * first market event; tick, lot and minimum quantity from the host's
 * instrument table when it has one (ABI 1.1 `instrument` slot), else from the
 * agent's `tick` / `lot` config keys (read at KIT_CFG_SCALE fractional
 * digits; defaults match the host's [market] defaults). Prices sent in
 * intents are rounded to the tick and quantities floored to the lot, so the
 * OMS's tick/lot checks pass.
 */
#ifndef KIT_INST_H
#define KIT_INST_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <tradehost/tradehost.h>

#include "kit_cfg.h"

typedef struct kit_inst {
	th_price tick_cfg;       /* tick at KIT_CFG_SCALE */
	th_qty lot_cfg;          /* lot at KIT_CFG_SCALE */
	int32_t known;           /* 1 once the scales are learnt */
	int32_t price_scale, qty_scale;
	th_price tick;           /* at price_scale, > 0 once known */
	th_qty lot;              /* at qty_scale, > 0 once known */
	th_qty min_qty;          /* at qty_scale (a multiple of lot; at least one lot) */
	int32_t from_host;       /* 1: tick/lot came from the host's instrument table */
	int32_t pad_;
} kit_inst;

/* Schema rows for the keys kit_inst_config() reads; paste into a schema. */
#define KIT_SCHEMA_TICK_LOT \
	{ "tick", TH_CONFIG_DECIMAL, 0, "\"0.01\"", NULL, NULL, \
	  "price increment of the instrument (limit prices are rounded to it)" }, \
	{ "lot", TH_CONFIG_DECIMAL, 0, "\"0.0001\"", NULL, NULL, \
	  "quantity increment of the instrument (quantities are floored to it)" }

/* Read and check "tick" and "lot" (both > 0). */
int kit_inst_config(kit_inst *in, const th_host_api *api, th_ctx *ctx, const char *plugin);

/* The same, but 0 is allowed for either key: "the venue's step" (see
 * kit_inst_learn_steps). */
int kit_inst_config_steps(kit_inst *in, const th_host_api *api, th_ctx *ctx, const char *plugin);

/* Learn the scales from a market event of symbol on venue, and tick/lot from
 * the host if it can tell (api may be NULL: config only). Fails (with a reason
 * in why) if the configured tick or lot is finer than the scale can express.
 * Idempotent for the same scales; different scales later are refused. */
int kit_inst_learn(kit_inst *in, const th_host_api *api, th_ctx *ctx, const char *venue, const char *symbol,
	int32_t price_scale, int32_t qty_scale, char *why, size_t cap);

/* The other rule for tick and lot (chart-pattern agents, configured with
 * kit_inst_config_steps): a configured step > 0 wins, one unit of the scale if
 * it is finer than the scale can express; a step of 0 is the venue's (host
 * ABI 1.1 instrument table, at these scales), else one unit. The minimum
 * quantity is the venue's when the host can tell. Never fails. */
void kit_inst_learn_steps(kit_inst *in, const th_host_api *api, th_ctx *ctx, const char *venue, const char *symbol,
	int32_t price_scale, int32_t qty_scale);

/* A configured quantity (KIT_CFG_SCALE) at the instrument's qty scale,
 * digits beyond the scale dropped, floored to the lot; -1 if that is below
 * the minimum quantity (or zero). */
int kit_inst_qty_down(const kit_inst *in, int64_t qty_cfg, th_qty *out);

/* A configured quantity (KIT_CFG_SCALE) at the instrument's qty scale,
 * floored to the lot; -1 if it has more digits than the scale or is below
 * the minimum quantity. */
int kit_inst_qty(const kit_inst *in, int64_t qty_cfg, th_qty *out);

/* A KIT_CFG_SCALE value at `scale`, exactly; -1 if digits would be lost. */
int kit_cfg_to_scale(int64_t v_cfg, int32_t scale, int64_t *out);

/* Round a price to the tick: dir < 0 down, > 0 up, 0 nearest (ties up).
 * Never below one tick. Needs known scales. */
th_price kit_price_round(const kit_inst *in, th_price px, int dir);

/* Floor a non-negative quantity to the lot (0 if below one lot). */
th_qty kit_qty_floor(const kit_inst *in, th_qty q);

/* Analytics (double) -> price at the instrument's scale, rounded to the tick.
 * Refuses NaN, Inf, values <= 0 and values outside int64: nothing
 * non-finite ever reaches an intent. */
int kit_price_from_double(const kit_inst *in, double v, int dir, th_price *out);

/* A fixed-point mantissa as a double, for analytics only (indicators,
 * statistics): NaN for a scale outside 0..18. */
static inline double kit_px(int64_t mantissa, int32_t scale)
{
	return scale >= 0 && scale <= TH_SCALE_MAX ? (double)mantissa / (double)th_pow10(scale) : NAN;
}

/* Analytics (double) -> a mantissa at `scale`, rounded to nearest, no tick
 * (indicator levels compared with prices). -1 for NaN, Inf, a scale outside
 * 0..18 or a magnitude beyond 4.6e18. */
int kit_mantissa_from_double(double v, int32_t scale, int64_t *out);

/* floor(a * b / d) with a 128-bit intermediate; d > 0, a,b >= 0. -1 on overflow. */
int kit_muldiv_floor(int64_t a, int64_t b, int64_t d, int64_t *out);

/* Quantity (qty_scale, floored to the lot) that `notional_cfg` (quote money at
 * KIT_CFG_SCALE) buys at price `px` (price_scale). 0 if less than one lot;
 * -1 on overflow or px <= 0. */
int kit_qty_for_notional(const kit_inst *in, int64_t notional_cfg, th_price px, th_qty *out);

#endif
