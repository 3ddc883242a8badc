/*
 * market_maker — the quoting model (Avellaneda–Stoikov, rolling horizon),
 * kept free of host calls so it can be tested on its own.
 *
 * Everything relative is in basis points of the mid, which keeps the
 * parameters independent of the instrument's price level:
 *   var   = gamma * sigma^2 * tau                      (bp)
 *   r     = mid * (1 - q * var / 10^4)                 reservation price
 *   delta = var + (2 / gamma) * ln(1 + gamma / kappa)  total spread (bp)
 * with sigma in bp per sqrt(second), tau = T - t in seconds (held constant:
 * the agent always looks `horizon` seconds ahead) and q the inventory in
 * units of the quote size. The spread is clamped to [min, max], the
 * reservation offset q*var to +-max_skew. Doubles are used only for these
 * dimensionless figures; the quotes themselves are computed from the integer
 * mid with an integer offset in parts per 10^9 and rounded to the tick
 * (bid down, ask up), then kept strictly behind the opposite touch so a
 * post-only order never crosses.
 */
#ifndef MM_MODEL_H
#define MM_MODEL_H

#include <stdint.h>
#include <tradehost/th_fixed.h>

typedef struct mm_params {
	double gamma;          /* risk aversion, per (bp x quote size), > 0 */
	double kappa;          /* fill intensity decays e-fold per 1/kappa bp from the mid, > 0 */
	double horizon_s;      /* T - t, seconds, > 0 */
	double min_spread_bps; /* clamp of the total spread */
	double max_spread_bps;
	double max_skew_bps;   /* clamp of |mid - r| */
} mm_params;

typedef struct mm_quote {
	double var_bps;        /* gamma * sigma^2 * tau */
	double raw_spread_bps; /* the model's spread before the clamp */
	double spread_bps;     /* after the clamp */
	double skew_bps;       /* (mid - r) / mid in bp after the clamp; > 0 when long */
	th_price mid2;         /* bid + ask of the touch (twice the mid, exact) */
	th_price reservation;  /* r, to the nearest price unit (for explanations) */
	th_price bid, ask;     /* quotes at the tick; 0 = that side cannot be quoted */
} mm_quote;

/* Largest accepted values of the clamps: offsets stay below 100 % of the mid. */
#define MM_MAX_SPREAD_BPS 5000.0
#define MM_MAX_SKEW_BPS 2500.0

/* Quotes for the touch (bid, ask) at tick `tick` (> 0), volatility sigma_bps
 * (bp per sqrt(s), >= 0) and inventory q (quote sizes). Returns 0, or -1 when
 * the inputs are unusable (non-finite, crossed touch, bad parameters). */
int mm_model_quote(const mm_params *p, th_price bid, th_price ask, th_price tick, double sigma_bps, double q,
	mm_quote *out);

/* Price rounding to a tick (> 0) for positive prices. */
th_price mm_floor_tick(th_price p, th_price tick);
th_price mm_ceil_tick(th_price p, th_price tick);

#endif
