/*
 * ta_common.c — error text, parameter checks and the one-time allocations of the window
 * buffers (ring, deque) shared by the indicators.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ta_internal.h"

const char *th_ta_strerror(int code)
{
	switch (code) {
	case TH_TA_OK:
		return "ok";
	case TH_TA_EPARAM:
		return "bad parameter or uninitialised indicator state";
	case TH_TA_ENOMEM:
		return "out of memory";
	case TH_TA_EINPUT:
		return "bad input value (NaN, infinite, too large, or invalid for this indicator)";
	default:
		return "unknown indicator error";
	}
}

void th_ta__error(th_ta_error *err, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
}

int th_ta__check_period(th_ta_error *err, const char *who, const char *name, uint32_t v,
                        uint32_t min)
{
	if (v >= min && v <= TH_TA_PERIOD_MAX)
		return TH_TA_OK;
	th_ta__error(err, "%s: %s must be between %u and %u, got %u", who, name, (unsigned)min,
	             (unsigned)TH_TA_PERIOD_MAX, (unsigned)v);
	return TH_TA_EPARAM;
}

int th_ta__ring_init(th_ta_ring *r, uint32_t cap)
{
	memset(r, 0, sizeof *r);
	r->buf = calloc(cap, sizeof *r->buf);
	if (r->buf == NULL)
		return TH_TA_ENOMEM;
	r->cap = cap;
	return TH_TA_OK;
}

void th_ta__ring_free(th_ta_ring *r)
{
	free(r->buf);
	memset(r, 0, sizeof *r);
}

int th_ta__winmax_init(th_ta_winmax *m, uint32_t cap)
{
	memset(m, 0, sizeof *m);
	m->val = calloc(cap, sizeof *m->val);
	m->suf = calloc((size_t)cap + 1, sizeof *m->suf);
	if (m->val == NULL || m->suf == NULL) {
		th_ta__winmax_free(m);
		return TH_TA_ENOMEM;
	}
	m->cap = cap;
	th_ta__winmax_clear(m);
	return TH_TA_OK;
}

void th_ta__winmax_free(th_ta_winmax *m)
{
	free(m->val);
	free(m->suf);
	memset(m, 0, sizeof *m);
}

void th_ta__winmax_clear(th_ta_winmax *m)
{
	/* No previous block yet: its suffix maxima are -inf, so the first windows are prefixes. */
	for (uint32_t j = 0; j <= m->cap; j++)
		m->suf[j] = -HUGE_VAL;
	m->pos = 0;
	m->prefix = -HUGE_VAL;
	m->seen = 0;
}

void th_ta__winmax_close_block(th_ta_winmax *m)
{
	double run = -HUGE_VAL;
	for (uint32_t j = m->cap; j-- > 0;) {
		if (m->val[j] > run)
			run = m->val[j];
		m->suf[j] = run;
	}
	m->pos = 0;
}
