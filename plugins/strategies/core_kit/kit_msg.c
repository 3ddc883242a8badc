/* core_kit — agent messages and number formatting for them. */
#include "kit_msg.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int kit_sayv(const th_host_api *api, th_ctx *ctx, const char *venue, const char *symbol, const char *kind,
	const char *fmt, va_list ap)
{
	th_event ev;
	th_event_init(&ev, TH_EV_AGENT_MSG);
	memset(&ev.u.agent_msg, 0, sizeof ev.u.agent_msg);
	if (venue)
		th_strlcpy(ev.h.venue, venue, sizeof ev.h.venue);
	th_strlcpy(ev.h.symbol, symbol, sizeof ev.h.symbol);
	th_strlcpy(ev.u.agent_msg.kind, kind, sizeof ev.u.agent_msg.kind);
	vsnprintf(ev.u.agent_msg.text, sizeof ev.u.agent_msg.text, fmt, ap);
	return api->publish(ctx, &ev);
}

int kit_say(const th_host_api *api, th_ctx *ctx, const char *symbol, const char *kind, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = kit_sayv(api, ctx, NULL, symbol, kind, fmt, ap);
	va_end(ap);
	return rc;
}

const char *kit_fmt(char *buf, size_t cap, int64_t v, int32_t scale)
{
	if (th_fixed_format(v, scale, buf, cap) < 0)
		snprintf(buf, cap, "?");
	return buf;
}

const char *kit_fmt_short(char *buf, size_t cap, int64_t v, int32_t scale)
{
	kit_fmt(buf, cap, v, scale);
	if (strchr(buf, '.')) {
		size_t n = strlen(buf);
		while (n > 0 && buf[n - 1] == '0')
			buf[--n] = '\0';
		if (n > 0 && buf[n - 1] == '.')
			buf[--n] = '\0';
	}
	return buf;
}
