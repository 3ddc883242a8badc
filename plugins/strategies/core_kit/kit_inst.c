/* core_kit — instrument scales, tick/lot rounding, safe double -> fixed. */
#include "kit_inst.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* tick and lot: > 0, or >= 0 when zero_ok (0 = the venue's step). */
static int read_steps(kit_inst *in, const th_host_api *api, th_ctx *ctx, const char *plugin, int zero_ok)
{
	memset(in, 0, sizeof *in);
	if (kit_cfg_decimal(api, ctx, plugin, "tick", &in->tick_cfg) != TH_OK ||
		kit_cfg_decimal(api, ctx, plugin, "lot", &in->lot_cfg) != TH_OK)
		return TH_ERR_INVALID;
	const char *key = NULL;
	if (zero_ok ? in->tick_cfg < 0 : in->tick_cfg <= 0)
		key = "tick";
	else if (zero_ok ? in->lot_cfg < 0 : in->lot_cfg <= 0)
		key = "lot";
	if (key) {
		api->set_error(ctx, "%s: key '%s': must be %s", plugin, key, zero_ok ? "0 or more" : "greater than 0");
		return TH_ERR_INVALID;
	}
	return TH_OK;
}

int kit_inst_config(kit_inst *in, const th_host_api *api, th_ctx *ctx, const char *plugin)
{
	return read_steps(in, api, ctx, plugin, 0);
}

int kit_inst_config_steps(kit_inst *in, const th_host_api *api, th_ctx *ctx, const char *plugin)
{
	return read_steps(in, api, ctx, plugin, 1);
}

int kit_cfg_to_scale(int64_t v_cfg, int32_t scale, int64_t *out)
{
	int64_t v, back;
	if (scale < 0 || scale > TH_SCALE_MAX || th_fixed_rescale(v_cfg, KIT_CFG_SCALE, scale, &v) != 0)
		return -1;
	if (th_fixed_rescale(v, scale, KIT_CFG_SCALE, &back) != 0 || back != v_cfg)
		return -1; /* the value has digits the instrument's scale cannot hold */
	*out = v;
	return 0;
}

int kit_inst_learn(kit_inst *in, const th_host_api *api, th_ctx *ctx, const char *venue, const char *symbol,
	int32_t price_scale, int32_t qty_scale, char *why, size_t cap)
{
	if (in->known) {
		if (price_scale == in->price_scale && qty_scale == in->qty_scale)
			return 0;
		snprintf(why, cap, "market scales changed from %d/%d to %d/%d", in->price_scale, in->qty_scale,
			price_scale, qty_scale);
		return -1;
	}
	const th_instrument *ins = NULL;
	if (api && TH_HOST_HAS(api, instrument))
		ins = api->instrument(ctx, venue, symbol);
	if (ins && ins->price_scale == price_scale && ins->qty_scale == qty_scale && ins->tick > 0 && ins->lot > 0) {
		/* the venue's own rules: what the OMS checks orders against */
		in->tick = ins->tick;
		in->lot = ins->lot;
		in->min_qty = ins->min_qty > ins->lot ? ins->min_qty : ins->lot;
		in->from_host = 1;
	} else {
		th_price tick;
		th_qty lot;
		if (kit_cfg_to_scale(in->tick_cfg, price_scale, &tick) != 0 || tick <= 0) {
			snprintf(why, cap, "tick is finer than the market's price scale (%d digits)", price_scale);
			return -1;
		}
		if (kit_cfg_to_scale(in->lot_cfg, qty_scale, &lot) != 0 || lot <= 0) {
			snprintf(why, cap, "lot is finer than the market's quantity scale (%d digits)", qty_scale);
			return -1;
		}
		in->tick = tick;
		in->lot = lot;
		in->min_qty = lot;
		in->from_host = 0;
	}
	in->price_scale = price_scale;
	in->qty_scale = qty_scale;
	in->known = 1;
	return 0;
}

/* A configured step (> 0) at `scale`: digits beyond the scale dropped, at
 * least one unit. 0 for "not configured". */
static int64_t cfg_step(int64_t v_cfg, int32_t scale)
{
	int64_t v;
	if (v_cfg <= 0)
		return 0;
	if (th_fixed_rescale(v_cfg, KIT_CFG_SCALE, scale, &v) != 0 || v < 1)
		return 1;
	return v;
}

void kit_inst_learn_steps(kit_inst *in, const th_host_api *api, th_ctx *ctx, const char *venue, const char *symbol,
	int32_t price_scale, int32_t qty_scale)
{
	const th_instrument *ins = NULL;
	if (api && TH_HOST_HAS(api, instrument))
		ins = api->instrument(ctx, venue, symbol);
	if (ins && (ins->price_scale != price_scale || ins->qty_scale != qty_scale))
		ins = NULL; /* the venue's steps are at other scales than the bars */
	in->tick = cfg_step(in->tick_cfg, price_scale);
	in->lot = cfg_step(in->lot_cfg, qty_scale);
	in->from_host = ins && (!in->tick || !in->lot);
	if (!in->tick)
		in->tick = ins && ins->tick > 0 ? ins->tick : 1;
	if (!in->lot)
		in->lot = ins && ins->lot > 0 ? ins->lot : 1;
	in->min_qty = ins && ins->min_qty > in->lot ? ins->min_qty : in->lot;
	in->price_scale = price_scale;
	in->qty_scale = qty_scale;
	in->known = 1;
}

int kit_inst_qty_down(const kit_inst *in, int64_t qty_cfg, th_qty *out)
{
	th_qty q;
	if (!in->known || th_fixed_rescale(qty_cfg, KIT_CFG_SCALE, in->qty_scale, &q) != 0)
		return -1;
	q = kit_qty_floor(in, q);
	if (q <= 0 || q < in->min_qty)
		return -1;
	*out = q;
	return 0;
}

/* A configured quantity at the instrument's scale, floored to the lot. -1 if
 * it has more digits than the scale or ends below the minimum quantity. */
int kit_inst_qty(const kit_inst *in, int64_t qty_cfg, th_qty *out)
{
	th_qty q;
	if (!in->known || kit_cfg_to_scale(qty_cfg, in->qty_scale, &q) != 0)
		return -1;
	return kit_inst_qty_down(in, qty_cfg, out);
}

th_price kit_price_round(const kit_inst *in, th_price px, int dir)
{
	th_price t = in->tick > 0 ? in->tick : 1;
	th_price base = px / t * t; /* toward zero */
	if (px < 0 && base != px)
		base -= t; /* floor for negatives */
	th_price rem = px - base;
	th_price r = base;
	if (rem != 0) {
		if (dir > 0 || (dir == 0 && rem * 2 >= t))
			r = base + t;
	}
	return r < t ? t : r;
}

th_qty kit_qty_floor(const kit_inst *in, th_qty q)
{
	th_qty l = in->lot > 0 ? in->lot : 1;
	return q <= 0 ? 0 : q / l * l;
}

int kit_price_from_double(const kit_inst *in, double v, int dir, th_price *out)
{
	if (!in->known || !isfinite(v) || v <= 0)
		return -1;
	double m = v * (double)th_pow10(in->price_scale);
	if (!isfinite(m) || m >= 9.0e18)
		return -1;
	/* Round the mantissa toward the requested direction first, then to the tick. */
	double r = dir < 0 ? floor(m) : dir > 0 ? ceil(m) : nearbyint(m);
	*out = kit_price_round(in, (th_price)r, dir);
	return 0;
}

int kit_mantissa_from_double(double v, int32_t scale, int64_t *out)
{
	if (!isfinite(v) || scale < 0 || scale > TH_SCALE_MAX)
		return -1;
	double m = v * (double)th_pow10(scale);
	/* 4.6e18 (about 2^62): far from int64 overflow, beyond any price compared with */
	if (!(fabs(m) < 4.6e18))
		return -1;
	*out = (int64_t)llround(m);
	return 0;
}

int kit_muldiv_floor(int64_t a, int64_t b, int64_t d, int64_t *out)
{
	__extension__ typedef __int128 i128;
	if (d <= 0 || a < 0 || b < 0)
		return -1;
	i128 q = (i128)a * (i128)b / d;
	if (q > INT64_MAX)
		return -1;
	*out = (int64_t)q;
	return 0;
}

int kit_qty_for_notional(const kit_inst *in, int64_t notional_cfg, th_price px, th_qty *out)
{
	/* qty_mantissa = notional / price, both moved to integers:
	 * notional_cfg / 10^C divided by px / 10^ps, times 10^qs. */
	int shift = in->price_scale + in->qty_scale - KIT_CFG_SCALE;
	int64_t q;
	if (px <= 0 || notional_cfg < 0 || !in->known)
		return -1;
	if (shift >= 0) {
		if (shift > TH_SCALE_MAX || kit_muldiv_floor(notional_cfg, th_pow10(shift), px, &q) != 0)
			return -1;
	} else {
		int64_t d;
		if (-shift > TH_SCALE_MAX || __builtin_mul_overflow(px, th_pow10(-shift), &d))
			return -1;
		q = notional_cfg / d;
	}
	*out = kit_qty_floor(in, q);
	return 0;
}
