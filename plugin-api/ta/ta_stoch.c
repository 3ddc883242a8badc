/* ta_stoch.c — slow stochastic oscillator, TA-Lib STOCH with SMA smoothing (see th_ta.h). */
#include <math.h>
#include <string.h>

#include "ta_avg.h"

static inline int ta_stoch_step(th_ta_stoch *s, double high, double low, double close,
                                th_ta_stoch_out *out)
{
	double k, d;

	double hh = ta_winmax_push(&s->hh, high);
	double ll = -ta_winmax_push(&s->ll, -low); /* rolling min = -(rolling max of -x) */
	if (ta_winmax_seen(&s->hh) < s->k_period)
		return 0;
	/* TA-Lib's expression, including the division of the range by 100 first. A close far
	 * outside a (sub)microscopic range would overflow: count that range as zero too, so no
	 * Inf can enter the averages. */
	double diff = (hh - ll) / 100.0;
	double num = close - ll;
	double raw = (diff != 0.0 && fabs(num) <= diff * 1e250) ? num / diff : 0.0;
	if (!ta_sma_step(&s->k, raw, &k))
		return 0;
	if (!ta_sma_step(&s->d, k, &d))
		return 0;
	out->k = k;
	out->d = d;
	return 1;
}

int th_ta_stoch_init(th_ta_stoch *s, uint32_t k_period, uint32_t k_smooth, uint32_t d_period,
                     th_ta_error *err)
{
	memset(s, 0, sizeof *s);
	int rc = th_ta__check_period(err, "stoch", "k period", k_period, 1);
	if (rc == TH_TA_OK)
		rc = th_ta__check_period(err, "stoch", "k smoothing", k_smooth, 1);
	if (rc == TH_TA_OK)
		rc = th_ta__check_period(err, "stoch", "d period", d_period, 1);
	if (rc != TH_TA_OK)
		return rc;
	if (th_ta__winmax_init(&s->hh, k_period) != TH_TA_OK ||
	    th_ta__winmax_init(&s->ll, k_period) != TH_TA_OK ||
	    th_ta_sma_init(&s->k, k_smooth, NULL) != TH_TA_OK ||
	    th_ta_sma_init(&s->d, d_period, NULL) != TH_TA_OK) {
		th_ta_stoch_free(s);
		th_ta__error(err, "stoch: cannot allocate its windows");
		return TH_TA_ENOMEM;
	}
	s->k_period = k_period;
	return TH_TA_OK;
}

int th_ta_stoch_update(th_ta_stoch *s, double high, double low, double close, th_ta_stoch_out *out)
{
	if (s->k_period == 0)
		return TH_TA_EPARAM;
	if (ta_bad(high) || ta_bad(low) || ta_bad(close))
		return TH_TA_EINPUT;
	return ta_stoch_step(s, high, low, close, out);
}

void th_ta_stoch_reset(th_ta_stoch *s)
{
	th_ta__winmax_clear(&s->hh);
	th_ta__winmax_clear(&s->ll);
	th_ta_sma_reset(&s->k);
	th_ta_sma_reset(&s->d);
}

void th_ta_stoch_free(th_ta_stoch *s)
{
	th_ta__winmax_free(&s->hh);
	th_ta__winmax_free(&s->ll);
	th_ta_sma_free(&s->k);
	th_ta_sma_free(&s->d);
	memset(s, 0, sizeof *s);
}

int th_ta_stoch_batch(const double *high, const double *low, const double *close, size_t n,
                      uint32_t k_period, uint32_t k_smooth, uint32_t d_period, double *k, double *d)
{
	th_ta_stoch s;
	int rc;

	if (n != 0 && (high == NULL || low == NULL || close == NULL))
		return TH_TA_EPARAM;
	rc = th_ta_stoch_init(&s, k_period, k_smooth, d_period, NULL);
	if (rc != TH_TA_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		th_ta_stoch_out o;
		if (ta_bad(high[i]) || ta_bad(low[i]) || ta_bad(close[i])) {
			rc = TH_TA_EINPUT;
			break;
		}
		if (ta_stoch_step(&s, high[i], low[i], close[i], &o)) {
			if (k != NULL)
				k[i] = o.k;
			if (d != NULL)
				d[i] = o.d;
		}
	}
	th_ta_stoch_free(&s);
	return rc;
}
