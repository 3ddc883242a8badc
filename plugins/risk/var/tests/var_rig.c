/* Test rig for the var plugin (see var_rig.h). */
#include "var_rig.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "var_config.h"

void rig_init(rig *r)
{
	memset(r, 0, sizeof *r);
	r->desc = TH_ENTRY_NAME();
	r->risk = r->desc->kind_api;
	fake_host_init(&r->h, "var", r->desc->config_schema);
	fake_portfolio_attach(&r->h, &r->pf);
	fake_config(&r->h, "window", "50");
	fake_config(&r->h, "min_history", "20");
	fake_config(&r->h, "publish_ms", "60000");
	r->seed = 12345;
}

int rig_create(rig *r)
{
	return r->desc->create(&r->h.api, fake_ctx(&r->h), &r->inst);
}

void rig_start(rig *r)
{
	int rc = rig_create(r);
	if (rc != TH_OK)
		fprintf(stderr, "create failed: %s\n", r->h.error);
	assert_int_equal(rc, TH_OK);
	assert_int_equal(r->desc->start(r->inst), TH_OK);
	r->started = 1;
}

void rig_free(rig *r)
{
	if (r->inst) {
		if (r->started)
			assert_int_equal(r->desc->stop(r->inst), TH_OK);
		r->desc->destroy(r->inst);
		r->inst = NULL;
	}
	assert_int_equal(r->h.live_allocs, 0);
	fake_host_free(&r->h);
}

rig_series *rig_find(rig *r, const char *symbol)
{
	for (size_t i = 0; i < RIG_MAX_SYMBOLS; i++)
		if (strcmp(r->series[i].symbol, symbol) == 0)
			return &r->series[i];
	for (size_t i = 0; i < RIG_MAX_SYMBOLS; i++) {
		if (!r->series[i].symbol[0]) {
			snprintf(r->series[i].symbol, sizeof r->series[i].symbol, "%s", symbol);
			return &r->series[i];
		}
	}
	fail_msg("too many symbols");
	return NULL;
}

void rig_bar(rig *r, const char *symbol, int64_t slot, th_price close)
{
	rig_series *s = rig_find(r, symbol);
	assert_true(s->n < RIG_MAX_BARS);
	s->slot[s->n] = slot;
	s->close[s->n++] = close;
	th_event ev;
	th_event_init(&ev, TH_EV_BAR);
	th_strlcpy(ev.h.venue, "sim", sizeof ev.h.venue);
	th_strlcpy(ev.h.symbol, symbol, sizeof ev.h.symbol);
	memset(&ev.u.bar, 0, sizeof ev.u.bar);
	ev.u.bar.open_time_ns = slot * RIG_INTERVAL;
	ev.u.bar.interval_ns = RIG_INTERVAL;
	ev.u.bar.open = ev.u.bar.high = ev.u.bar.low = ev.u.bar.close = close;
	ev.u.bar.price_scale = 2;
	ev.u.bar.qty_scale = 8;
	fake_advance_to(&r->h, (slot + 1) * RIG_INTERVAL);
	fake_deliver(&r->h, &ev);
}

static double next_u(rig *r)
{
	r->seed = r->seed * 6364136223846793005ull + 1442695040888963407ull;
	return (double)(r->seed >> 11) / 9007199254740992.0; /* [0, 1) */
}

void rig_walk(rig *r, const char *const *symbols, size_t nsym, int64_t first, size_t count)
{
	static const th_price start[RIG_MAX_SYMBOLS] = { 3000000, 200000, 10000, 50000 };
	for (size_t k = 0; k < count; k++) {
		for (size_t i = 0; i < nsym; i++) {
			rig_series *s = rig_find(r, symbols[i]);
			size_t which = (size_t)(s - r->series);
			th_price prev = s->n ? s->close[s->n - 1] : start[which];
			double u = (next_u(r) - 0.5) * 0.06;
			th_price close = (th_price)llround((double)prev * (1.0 + u));
			rig_bar(r, symbols[i], first + (int64_t)k, close);
		}
	}
}

th_price rig_last(rig *r, const char *symbol)
{
	rig_series *s = rig_find(r, symbol);
	return s->n ? s->close[s->n - 1] : 0;
}

double rig_ret(rig *r, const char *symbol, size_t k)
{
	rig_series *s = rig_find(r, symbol);
	assert_true(s->n >= k + 2);
	double c = (double)s->close[s->n - 1 - k], p = (double)s->close[s->n - 2 - k];
	return c / p - 1.0;
}

void rig_refresh(rig *r)
{
	fake_advance_to(&r->h, r->h.now_ns + RIG_INTERVAL);
}

void rig_pos(rig *r, const char *wallet, const char *symbol, th_qty qty)
{
	fake_portfolio *pf = &r->pf;
	for (size_t i = 0; i < pf->npositions; i++) {
		if (strcmp(pf->positions[i].wallet, wallet) == 0 && strcmp(pf->positions[i].pos.symbol, symbol) == 0) {
			pf->positions[i].pos.qty = qty;
			return;
		}
	}
	fake_pf_position(pf, wallet, "sim", symbol, qty, rig_last(r, symbol), 2, 8);
}

void rig_pos3(rig *r, const char *agent, const char *farm, const char *symbol, th_qty qty)
{
	rig_pos(r, agent, symbol, qty);
	rig_pos(r, farm, symbol, qty);
	rig_pos(r, "total", symbol, qty);
}

void rig_fill(rig *r, const char *agent, const char *symbol)
{
	th_event ev;
	th_event_init(&ev, TH_EV_FILL);
	ev.h.flags = TH_EVENT_FLAG_OMS;
	th_strlcpy(ev.h.venue, "sim", sizeof ev.h.venue);
	th_strlcpy(ev.h.symbol, symbol, sizeof ev.h.symbol);
	th_strlcpy(ev.h.agent, agent, sizeof ev.h.agent);
	memset(&ev.u.fill, 0, sizeof ev.u.fill);
	fake_deliver(&r->h, &ev);
}

th_risk_verdict rig_check(rig *r, const char *agent, const char *farm, const char *symbol, int side, th_price price,
	th_qty qty)
{
	th_event ev;
	th_event_init(&ev, TH_EV_INTENT);
	memset(&ev.u.intent, 0, sizeof ev.u.intent);
	th_strlcpy(ev.h.venue, "sim", sizeof ev.h.venue);
	th_strlcpy(ev.h.symbol, symbol, sizeof ev.h.symbol);
	th_strlcpy(ev.h.agent, agent, sizeof ev.h.agent);
	th_strlcpy(ev.u.intent.farm, farm, sizeof ev.u.intent.farm);
	ev.u.intent.intent_id = 1;
	ev.u.intent.action = TH_INTENT_PLACE;
	th_order *o = &ev.u.intent.order;
	th_strlcpy(o->symbol, symbol, sizeof o->symbol);
	o->side = (uint32_t)side;
	o->type = price > 0 ? TH_ORDER_LIMIT : TH_ORDER_MARKET;
	o->tif = TH_TIF_GTC;
	o->price = price;
	o->qty = qty;
	o->price_scale = 2;
	o->qty_scale = 8;
	th_risk_verdict v;
	memset(&v, 0xab, sizeof v); /* the plugin must fill every field */
	assert_int_equal(r->risk->check(r->inst, &ev, &v), TH_OK);
	return v;
}

int64_t rig_value(th_qty qty, th_price close)
{
	__extension__ __int128 p = (__int128)qty * close;
	return (int64_t)(p / 100);
}

static int cmp_desc(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x < y) - (x > y);
}

double rig_es975(const double *pnl, size_t n)
{
	double *loss = malloc(n * sizeof *loss);
	assert_non_null(loss);
	for (size_t i = 0; i < n; i++)
		loss[i] = -pnl[i];
	qsort(loss, n, sizeof *loss, cmp_desc);
	double m = (double)n * 0.025;
	size_t whole = (size_t)floor(m + 1e-9);
	double frac = m - (double)whole, sum = 0.0;
	for (size_t j = 0; j < whole; j++)
		sum += loss[j];
	if (frac > 1e-9)
		sum += frac * loss[whole];
	free(loss);
	return sum / m;
}

double rig_var(const double *pnl, size_t n, double conf)
{
	double *loss = malloc(n * sizeof *loss);
	assert_non_null(loss);
	for (size_t i = 0; i < n; i++)
		loss[i] = -pnl[i];
	qsort(loss, n, sizeof *loss, cmp_desc); /* descending: the r-th smallest is at n - r */
	size_t rank = (size_t)ceil((double)n * conf - 1e-9);
	double v = loss[n - rank];
	free(loss);
	return v;
}
