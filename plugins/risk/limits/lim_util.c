/*
 * limits — small helpers: denials, fixed-point text and comparison, the
 * intent's last price, growing host-allocated arrays.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lim_internal.h"

int lim_deny(th_risk_verdict *v, uint32_t reason, const char *fmt, ...)
{
	va_list ap;
	v->approved = 0;
	v->reason_code = reason;
	v->max_qty = 0;
	va_start(ap, fmt);
	vsnprintf(v->message, sizeof v->message, fmt, ap);
	va_end(ap);
	return 1;
}

const char *lim_fmt(char *buf, size_t cap, int64_t v, int scale)
{
	if (th_fixed_format(v, scale, buf, cap) < 0)
		snprintf(buf, cap, "?");
	/* trailing zeros carry no information in a message: "2.50000000" -> "2.5" */
	char *dot = strchr(buf, '.');
	if (dot) {
		char *end = buf + strlen(buf);
		while (end > dot + 1 && end[-1] == '0')
			*--end = '\0';
		if (end == dot + 1)
			*dot = '\0';
	}
	return buf;
}

int lim_cmp_scaled(int64_t a, int sa, int64_t b, int sb)
{
	__extension__ typedef __int128 i128;
	int s = sa > sb ? sa : sb;
	i128 x = (i128)a * th_pow10(s - sa), y = (i128)b * th_pow10(s - sb);
	return x < y ? -1 : x > y ? 1 : 0;
}

int64_t lim_abs(int64_t x)
{
	return x == INT64_MIN ? INT64_MAX : x < 0 ? -x : x;
}

th_price lim_last(lim *L, lim_chk *c)
{
	if (!c->last_fetched) {
		int32_t scale = 0;
		c->last_fetched = 1;
		c->last = L->api->last_price(L->ctx, c->venue, c->o->symbol, &scale);
		c->last_scale = scale;
		if (c->last < 0 || scale < 0 || scale > TH_SCALE_MAX)
			c->last = 0; /* unusable: treated as missing */
	}
	return c->last;
}

int lim_grow(const th_host_api *api, th_ctx *ctx, void **arr, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return TH_OK;
	size_t n = *cap ? *cap : 8;
	while (n < need)
		n *= 2;
	void *fresh = api->alloc(ctx, n * size);
	if (!fresh)
		return TH_ERR_NOMEM;
	if (*arr) {
		memcpy(fresh, *arr, *cap * size);
		api->free(ctx, *arr);
	}
	*arr = fresh;
	*cap = n;
	return TH_OK;
}
