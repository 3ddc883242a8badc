/* ta_macd.c — MACD with TA-Lib's alignment of the fast EMA (definition in th_ta.h). */
#include <string.h>

#include "ta_avg.h"

static inline int ta_macd_step(th_ta_macd *s, double x, th_ta_macd_out *out)
{
	double slow, fast, signal;

	int ready = ta_ema_step(&s->slow, x, &slow);
	/* TA-Lib seeds the fast EMA on the `fast` inputs that end where the slow seed ends, so
	 * the first slow-fast inputs never reach it. */
	if (s->count < s->slow_period - s->fast_period) {
		s->count++;
		return 0;
	}
	ta_ema_step(&s->fast, x, &fast);
	if (!ready)
		return 0;
	fast = s->fast.value; /* the fast EMA became ready on the same bar as the slow one */
	double macd = fast - slow;
	if (!ta_ema_step(&s->signal, macd, &signal))
		return 0;
	out->macd = macd;
	out->signal = signal;
	out->hist = macd - signal;
	return 1;
}

int th_ta_macd_init(th_ta_macd *s, uint32_t fast, uint32_t slow, uint32_t signal, th_ta_error *err)
{
	memset(s, 0, sizeof *s);
	int rc = th_ta__check_period(err, "macd", "fast period", fast, 1);
	if (rc == TH_TA_OK)
		rc = th_ta__check_period(err, "macd", "slow period", slow, 1);
	if (rc == TH_TA_OK)
		rc = th_ta__check_period(err, "macd", "signal period", signal, 1);
	if (rc != TH_TA_OK)
		return rc;
	if (slow <= fast) {
		th_ta__error(err, "macd: slow period (%u) must be greater than fast period (%u)",
		             (unsigned)slow, (unsigned)fast);
		return TH_TA_EPARAM;
	}
	th_ta_ema_init(&s->fast, fast, NULL);
	th_ta_ema_init(&s->slow, slow, NULL);
	th_ta_ema_init(&s->signal, signal, NULL);
	s->fast_period = fast;
	s->slow_period = slow;
	s->signal_period = signal;
	return TH_TA_OK;
}

int th_ta_macd_update(th_ta_macd *s, double x, th_ta_macd_out *out)
{
	if (s->slow_period == 0)
		return TH_TA_EPARAM;
	if (ta_bad(x))
		return TH_TA_EINPUT;
	return ta_macd_step(s, x, out);
}

void th_ta_macd_reset(th_ta_macd *s)
{
	s->count = 0;
	th_ta_ema_reset(&s->fast);
	th_ta_ema_reset(&s->slow);
	th_ta_ema_reset(&s->signal);
}

void th_ta_macd_free(th_ta_macd *s)
{
	memset(s, 0, sizeof *s);
}

int th_ta_macd_batch(const double *in, size_t n, uint32_t fast, uint32_t slow, uint32_t signal,
                     double *macd, double *signal_line, double *hist)
{
	th_ta_macd s;
	int rc;

	if (n != 0 && in == NULL)
		return TH_TA_EPARAM;
	rc = th_ta_macd_init(&s, fast, slow, signal, NULL);
	if (rc != TH_TA_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		th_ta_macd_out o;
		if (ta_bad(in[i]))
			return TH_TA_EINPUT;
		if (ta_macd_step(&s, in[i], &o)) {
			if (macd != NULL)
				macd[i] = o.macd;
			if (signal_line != NULL)
				signal_line[i] = o.signal;
			if (hist != NULL)
				hist[i] = o.hist;
		}
	}
	return TH_TA_OK;
}
