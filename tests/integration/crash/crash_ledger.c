/*
 * crash_check — the ledger view: the capital hierarchy rebuilt the way the
 * host rebuilds it at startup (trading_create + oms_recover): farms from
 * [capital.farms], agents from the instances' farm keys, both in file order,
 * then the OMS replays the journal into it. The venue stub answers only
 * instrument lookups; replay must never call the venue, so any other call
 * is a problem.
 */
#include <stdio.h>
#include <string.h>

#include "crash_check.h"
#include "ledger/capital.h"
#include "oms/oms.h"

typedef struct stub {
	const crash_config *cfg;
	size_t venue_calls;
} stub;

static int64_t stub_now(void *ctx)
{
	(void)ctx;
	return 0;
}

static const th_instrument *stub_instrument(void *ctx, const char *venue, const char *symbol)
{
	return crash_config_instrument(((stub *)ctx)->cfg, venue, symbol);
}

static int stub_submit(void *ctx, const char *venue, const th_order *order)
{
	(void)venue;
	(void)order;
	((stub *)ctx)->venue_calls++;
	return TH_ERR_STATE;
}

static int stub_clid_call(void *ctx, const char *venue, const char *clid)
{
	(void)venue;
	(void)clid;
	((stub *)ctx)->venue_calls++;
	return TH_ERR_STATE;
}

static int stub_publish(void *ctx, const th_event *ev)
{
	(void)ctx;
	(void)ev;
	return TH_OK;
}

static th_price stub_last_price(void *ctx, const char *venue, const char *symbol, int32_t *scale)
{
	(void)ctx;
	(void)venue;
	(void)symbol;
	(void)scale;
	return 0;
}

static capital_t *build_capital(const crash_config *cfg)
{
	char err[256];
	capital_t *c = capital_create(cfg->quote, err, sizeof err);
	if (!c) {
		crash_problem("e", "capital_create(\"%s\") failed: %s", cfg->quote, err);
		return NULL;
	}
	for (size_t i = 0; i < cfg->nfarms; i++) {
		if (capital_add_farm(c, cfg->farms[i], err, sizeof err) != TH_OK) {
			crash_problem("e", "capital_add_farm(%s): %s", cfg->farms[i], err);
			capital_destroy(c);
			return NULL;
		}
	}
	for (size_t i = 0; i < cfg->nagents; i++) {
		if (capital_add_agent(c, cfg->agents[i].name, cfg->agents[i].farm, err, sizeof err) != TH_OK) {
			crash_problem("e", "capital_add_agent(%s, %s): %s", cfg->agents[i].name, cfg->agents[i].farm, err);
			capital_destroy(c);
			return NULL;
		}
	}
	return c;
}

/* The OMS's replay and crash_journal's must see the same orders in the same
 * states: two independent readings of one journal. */
static void compare_replays(const oms_t *o, const crash_journal *cj)
{
	if (oms_order_count(o) != cj->norders)
		crash_problem("e", "the OMS replayed %zu orders, the journal holds %zu", oms_order_count(o), cj->norders);
	if (oms_fill_count(o) != cj->nfills)
		crash_problem("e", "the OMS applied %llu fills, the journal holds %zu", (unsigned long long)oms_fill_count(o),
			cj->nfills);
	for (size_t i = 0; i < oms_order_count(o); i++) {
		oms_order_view ov;
		oms_order_at(o, i, &ov);
		const jorder *j = crash_journal_order(cj, ov.client_order_id);
		if (!j) {
			crash_problem("e", "the OMS replayed order %s that the journal reader did not see", ov.client_order_id);
			continue;
		}
		if (ov.state != j->state || ov.filled_qty != j->fill_qty)
			crash_problem("e", "order %s: OMS replay says %s filled %lld, journal reader says %s filled %lld",
				j->clid, crash_state_name(ov.state), (long long)ov.filled_qty, crash_state_name(j->state),
				(long long)j->fill_qty);
	}
}

void crash_ledger_rebuild(const crash_config *cfg, crash_journal *cj, crash_ledger_result *out)
{
	char err[512] = "";
	memset(out, 0, sizeof *out);
	capital_t *c = build_capital(cfg);
	if (!c)
		return;
	stub st = { cfg, 0 };
	oms_env env = { &st, stub_now, stub_instrument, stub_submit, stub_clid_call, stub_clid_call, stub_publish,
		stub_last_price };
	oms_t *o = oms_create(&env, NULL, cj->j, c, err, sizeof err);
	if (!o) {
		crash_problem("e", "oms_create failed: %s", err);
		capital_destroy(c);
		return;
	}
	if (oms_recover(o, err, sizeof err) != 0) {
		crash_problem("e", "the host could not restart on this journal: oms_recover failed: %s", err);
	} else {
		out->recovered = 1;
		out->oms_orders = oms_order_count(o);
		out->oms_open = oms_open_order_count(o);
		out->oms_fills = oms_fill_count(o);
		compare_replays(o, cj);
		if (capital_check(c, err, sizeof err) != TH_OK)
			crash_problem("e", "capital_check after replay: %s", err);
		capital_position pos[CRASH_MAX_SYMBOLS * 4];
		size_t n = capital_positions(c, CAPITAL_TOTAL_NAME, 0, pos, sizeof pos / sizeof pos[0]);
		if (n > sizeof pos / sizeof pos[0])
			n = sizeof pos / sizeof pos[0];
		for (size_t k = 0; k < n; k++) {
			const th_position *p = &pos[k].p;
			size_t i;
			for (i = 0; i < cfg->nins; i++)
				if (strcmp(cfg->ins[i].venue, p->venue) == 0 && strcmp(cfg->ins[i].symbol, p->symbol) == 0)
					break;
			if (i == cfg->nins) {
				crash_problem("e", "the ledger holds a position on %s/%s, an instrument the venue does not list",
					p->venue, p->symbol);
				continue;
			}
			out->position[i] += p->qty;
		}
		out->npositions = cfg->nins;
	}
	if (st.venue_calls)
		crash_problem("e", "replaying the journal called the venue %zu time(s); recovery must only read",
			st.venue_calls);
	oms_destroy(o);
	capital_destroy(c);
}
