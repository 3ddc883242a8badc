/* core_kit testing — strategy rig (see kit_rig.h). */
#include "kit_rig.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

void kit_rig_init(kit_rig *r, const th_plugin_desc *d, const char *name)
{
	memset(r, 0, sizeof *r);
	fake_host_init(&r->h, name, d->config_schema);
	kit_oms_init(&r->oms, &r->h, "sim");
	r->d = d;
	r->t = 1767225600000000000LL; /* 2026-01-01 */
	r->ps = 2;
	r->qs = 4;
}

int kit_rig_start(kit_rig *r)
{
	int rc = r->d->create(&r->h.api, fake_ctx(&r->h), &r->inst);
	if (rc != TH_OK) {
		r->inst = NULL;
		return rc;
	}
	return r->d->start(r->inst);
}

static void configure(kit_rig *r, const th_plugin_desc *d, const char *name, void (*config)(fake_host *h),
	const char *const *kv)
{
	kit_rig_init(r, d, name);
	if (config)
		config(&r->h);
	for (size_t i = 0; kv && kv[i]; i += 2)
		fake_config(&r->h, kv[i], kv[i + 1]);
}

void kit_rig_open(kit_rig *r, const th_plugin_desc *d, const char *name, void (*config)(fake_host *h),
	const char *const *kv)
{
	configure(r, d, name, config, kv);
	int rc = kit_rig_start(r);
	if (rc != TH_OK)
		fail_msg("create/start failed (%d): %s", rc, r->h.error);
}

void kit_rig_refused(const th_plugin_desc *d, const char *name, void (*config)(fake_host *h), const char *const *kv,
	const char *needle)
{
	kit_rig r;
	configure(&r, d, name, config, kv);
	const char *what = kv && kv[0] ? kv[0] : "(base configuration)";
	if (kit_rig_start(&r) >= 0)
		fail_msg("%s = %s was accepted", what, kv && kv[0] ? kv[1] : "");
	if (!strstr(r.h.error, needle))
		fail_msg("error for %s is '%s', expected '%s'", what, r.h.error, needle);
	assert_null(r.inst);
	assert_int_equal(kit_rig_close(&r), 0);
}

long kit_rig_close(kit_rig *r)
{
	if (r->inst) {
		r->d->stop(r->inst);
		r->d->destroy(r->inst);
		r->inst = NULL;
	}
	long leaked = r->h.live_allocs;
	fake_host_free(&r->h);
	return leaked;
}

static th_price *last_close(kit_rig *r, const char *symbol)
{
	for (int i = 0; i < KIT_OMS_MAX_SYMBOLS; i++) {
		if (!r->last[i].symbol[0]) {
			snprintf(r->last[i].symbol, sizeof r->last[i].symbol, "%s", symbol);
			r->last[i].close = 0;
		}
		if (strcmp(r->last[i].symbol, symbol) == 0)
			return &r->last[i].close;
	}
	return &r->last[0].close;
}

void kit_rig_bar(kit_rig *r, const char *symbol, th_price close, th_qty volume)
{
	th_price *prev = last_close(r, symbol);
	th_price open = *prev ? *prev : close;
	th_price hi = (open > close ? open : close) + 50, lo = (open < close ? open : close) - 50;
	if (lo < 1)
		lo = 1;
	kit_oms_set_price(&r->oms, symbol, close);
	kit_test_bar(&r->h, "sim", symbol, r->t, open, hi, lo, close, volume, r->ps, r->qs);
	kit_oms_pump(&r->oms);
	*prev = close;
}

void kit_rig_step(kit_rig *r)
{
	r->t += 60000000000LL;
}

void kit_rig_bar1(kit_rig *r, const char *symbol, th_price close, th_qty volume)
{
	kit_rig_bar(r, symbol, close, volume);
	kit_rig_step(r);
}

size_t kit_rig_intents(const kit_rig *r)
{
	return fake_count(&r->h, TH_EV_INTENT);
}

const th_intent *kit_rig_intent(const kit_rig *r, size_t k)
{
	const th_event *ev = fake_event(&r->h, TH_EV_INTENT, k);
	return ev ? &ev->u.intent : NULL;
}

size_t kit_rig_places(const kit_rig *r)
{
	size_t n = 0;
	for (size_t i = 0; i < r->h.nevents; i++)
		n += r->h.events[i].h.type == TH_EV_INTENT && r->h.events[i].u.intent.action == TH_INTENT_PLACE;
	return n;
}

const char *kit_rig_last_msg(const kit_rig *r, const char *kind)
{
	const char *text = NULL;
	for (size_t i = 0; i < r->h.nevents; i++)
		if (r->h.events[i].h.type == TH_EV_AGENT_MSG && strcmp(r->h.events[i].u.agent_msg.kind, kind) == 0)
			text = r->h.events[i].u.agent_msg.text;
	return text;
}

size_t kit_rig_msgs_with(const kit_rig *r, const char *needle)
{
	size_t n = 0;
	for (size_t i = 0; i < r->h.nevents; i++)
		n += r->h.events[i].h.type == TH_EV_AGENT_MSG && strstr(r->h.events[i].u.agent_msg.text, needle) != NULL;
	return n;
}
