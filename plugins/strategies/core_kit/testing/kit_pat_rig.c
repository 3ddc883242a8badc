/* core_kit testing — pattern agent rig (see kit_pat_rig.h). */
#include "kit_pat_rig.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#define PT_BAR_NS 60000000000LL

void pt_init(pt_run *r, const th_plugin_desc *desc, const char *const *kv)
{
	memset(r, 0, sizeof *r);
	fake_host_init(&r->h, "agent1", desc->config_schema);
	r->desc = desc;
	r->auto_fill = 1;
	r->t_ns = 1767225600000000000LL; /* 2026-01-01 */
	r->h.now_ns = r->t_ns;
	kit_oms_init(&r->oms, &r->h, PT_VENUE);
	fake_config(&r->h, "symbol", "\"" PT_SYMBOL "\"");
	for (size_t i = 0; kv && kv[i]; i += 2)
		fake_config(&r->h, kv[i], kv[i + 1]);
}

int pt_create(pt_run *r)
{
	r->h.error[0] = '\0';
	return r->desc->create(&r->h.api, fake_ctx(&r->h), &r->inst);
}

void pt_start(pt_run *r, const th_plugin_desc *desc, const char *const *kv)
{
	pt_init(r, desc, kv);
	int rc = pt_create(r);
	if (rc != TH_OK)
		fail_msg("create failed (%d): %s", rc, r->h.error);
	assert_int_equal(r->desc->start(r->inst), TH_OK);
}

void pt_finish(pt_run *r)
{
	if (r->inst) {
		r->desc->stop(r->inst);
		r->desc->destroy(r->inst);
		r->inst = NULL;
	}
	assert_int_equal(r->h.live_allocs, 0);
	fake_host_free(&r->h);
}

void pt_refused(const th_plugin_desc *desc, const char *const *kv, const char *expect)
{
	pt_run r;
	pt_init(&r, desc, kv);
	assert_int_equal(pt_create(&r), TH_ERR_INVALID);
	if (!strstr(r.h.error, expect))
		fail_msg("%s=%s: error \"%s\" does not contain \"%s\"", kv && kv[0] ? kv[0] : "-",
			kv && kv[0] ? kv[1] : "-", r.h.error, expect);
	r.inst = NULL;
	pt_finish(&r);
}

void pt_refused_each(const th_plugin_desc *desc, const pt_bad *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *const kv[] = { cases[i].key, cases[i].value, NULL };
		pt_refused(desc, kv, cases[i].expect);
	}
}

/* The kit's fake OMS answers: risk decision, then (approved) SUBMITTED, a
 * fill of the whole quantity or of fill_cap (IOC limits at their limit,
 * market orders at the last close), FILLED or the IOC remainder CANCELED. */
void pt_answer(pt_run *r)
{
	r->oms.deny_next = r->deny ? 1 << 30 : 0;
	r->oms.fill_cap = r->fill_cap;
	kit_oms_set_price(&r->oms, PT_SYMBOL, r->last_close);
	kit_oms_pump(&r->oms);
}

void pt_bar(pt_run *r, th_price open, th_price high, th_price low, th_price close, th_qty volume)
{
	kit_test_bar(&r->h, PT_VENUE, PT_SYMBOL, r->t_ns, open, high, low, close, volume, PT_PRICE_SCALE, PT_QTY_SCALE);
	r->t_ns += PT_BAR_NS;
	r->last_close = close;
	if (r->auto_fill)
		pt_answer(r);
}

void pt_step(pt_run *r, th_price close, th_price wick, th_qty volume)
{
	th_price open = r->last_close > 0 ? r->last_close : close;
	th_price hi = open > close ? open : close, lo = open < close ? open : close;
	pt_bar(r, open, hi + wick, lo - wick, close, volume);
}

size_t pt_intents(const pt_run *r)
{
	return fake_count(&r->h, TH_EV_INTENT);
}

const th_intent *pt_intent(const pt_run *r, size_t k)
{
	const th_event *ev = fake_event(&r->h, TH_EV_INTENT, k);
	return ev ? &ev->u.intent : NULL;
}

const char *pt_message(const pt_run *r, const char *kind, size_t k)
{
	for (size_t i = 0; i < r->h.nevents; i++) {
		const th_event *ev = &r->h.events[i];
		if (ev->h.type == TH_EV_AGENT_MSG && strcmp(ev->u.agent_msg.kind, kind) == 0 && k-- == 0)
			return ev->u.agent_msg.text;
	}
	return NULL;
}

size_t pt_messages(const pt_run *r, const char *kind)
{
	size_t n = 0;
	while (pt_message(r, kind, n))
		n++;
	return n;
}

int pt_handover(pt_run *from, pt_run *to)
{
	void *data = NULL;
	size_t len = 0;
	int rc = from->desc->export_state(from->inst, &data, &len);
	if (rc != TH_OK)
		return rc;
	rc = to->desc->import_state(to->inst, data, len);
	from->h.api.free(fake_ctx(&from->h), data);
	return rc;
}
