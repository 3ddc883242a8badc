/*
 * core_kit — explanations: every decision a strategy takes is published as
 * TH_EV_AGENT_MSG kind "decision" with the indicator values and the rule that
 * fired, so an operator (and the tests) can see why an intent exists.
 */
#ifndef KIT_MSG_H
#define KIT_MSG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <tradehost/tradehost.h>

/* Publish an agent message of `kind` ("decision", "explanation") about
 * symbol; printf-style text, truncated to TH_AGENT_TEXT_MAX - 1. */
int kit_say(const th_host_api *api, th_ctx *ctx, const char *symbol, const char *kind, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* The same with the venue in the event header (NULL or "" = none), as a
 * va_list; kit_say is kit_sayv with no venue. */
int kit_sayv(const th_host_api *api, th_ctx *ctx, const char *venue, const char *symbol, const char *kind,
	const char *fmt, va_list ap) __attribute__((format(printf, 6, 0)));

/* A fixed-point value as decimal text in buf (at least 32 bytes); returns buf. */
const char *kit_fmt(char *buf, size_t cap, int64_t v, int32_t scale);

/* A fixed-point value with trailing fractional zeros removed ("0.5", "12"). */
const char *kit_fmt_short(char *buf, size_t cap, int64_t v, int32_t scale);

#endif
