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

int th_ta__mono_init(th_ta_mono *m, uint32_t cap)
{
	memset(m, 0, sizeof *m);
	m->val = calloc(cap, sizeof *m->val);
	m->seq = calloc(cap, sizeof *m->seq);
	if (m->val == NULL || m->seq == NULL) {
		th_ta__mono_free(m);
		return TH_TA_ENOMEM;
	}
	m->cap = cap;
	return TH_TA_OK;
}

void th_ta__mono_free(th_ta_mono *m)
{
	free(m->val);
	free(m->seq);
	memset(m, 0, sizeof *m);
}
