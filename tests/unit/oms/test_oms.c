/* OMS against a scripted venue, a real journal in a temp dir and the real
 * capital hierarchy: durability before send, deterministic ids, validation,
 * fill de-duplication, restart replay, reconciliation, journal failure. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "oms/oms.h"
#include "oms/oms_records.h"

/* --- a scripted venue and bus --- */
typedef struct fake {
	int64_t now;
	th_instrument ins;
	th_order submitted[64];
	int nsubmit;
	char queried[64][TH_CLORD_MAX];
	int nquery;
	char canceled[64][TH_CLORD_MAX];
	int ncancel;
	th_event published[256];
	int npublished;
	th_price last;
	int submit_rc;
} fake;

static int64_t f_now(void *c) { return ((fake *)c)->now; }
static const th_instrument *f_instrument(void *c, const char *venue, const char *symbol)
{
	fake *f = c;
	return strcmp(venue, "sim") == 0 && strcmp(symbol, f->ins.symbol) == 0 ? &f->ins : NULL;
}
static int f_submit(void *c, const char *venue, const th_order *o)
{
	fake *f = c;
	(void)venue;
	f->submitted[f->nsubmit++] = *o;
	return f->submit_rc;
}
static int f_cancel(void *c, const char *venue, const char *clid)
{
	fake *f = c;
	(void)venue;
	th_strlcpy(f->canceled[f->ncancel++], clid, TH_CLORD_MAX);
	return TH_OK;
}
static int f_query(void *c, const char *venue, const char *clid)
{
	fake *f = c;
	(void)venue;
	th_strlcpy(f->queried[f->nquery++], clid, TH_CLORD_MAX);
	return TH_OK;
}
static int f_publish(void *c, const th_event *ev)
{
	fake *f = c;
	if (f->npublished < 256)
		f->published[f->npublished++] = *ev;
	return TH_OK;
}
static th_price f_last(void *c, const char *venue, const char *symbol, int32_t *scale)
{
	fake *f = c;
	(void)venue;
	(void)symbol;
	*scale = 2;
	return f->last;
}

typedef struct world {
	fake f;
	char dir[64];
	journal_t *j;
	capital_t *c;
	oms_t *o;
} world;

static void world_open(world *w, int fresh)
{
	char err[512];
	oms_env env = { &w->f, f_now, f_instrument, f_submit, f_cancel, f_query, f_publish, f_last };
	journal_options jo = { 0 };
	jo.mode = JOURNAL_SYNC_EACH;
	assert_int_equal(journal_open(w->dir, &jo, &w->j, err, sizeof err), 0);
	w->c = capital_create("USDT", err, sizeof err);
	assert_non_null(w->c);
	assert_int_equal(capital_add_farm(w->c, "farm", err, sizeof err), 0);
	assert_int_equal(capital_add_agent(w->c, "alice", "farm", err, sizeof err), 0);
	w->o = oms_create(&env, NULL, w->j, w->c, err, sizeof err);
	assert_non_null(w->o);
	assert_int_equal(oms_recover(w->o, err, sizeof err), 0);
	if (fresh) {
		assert_int_equal(oms_deposit(w->o, 10000 * 100000000LL, err, sizeof err), 0);
		assert_int_equal(oms_allocate(w->o, "master", "farm", 10000 * 100000000LL, err, sizeof err), 0);
		assert_int_equal(oms_allocate(w->o, "farm", "alice", 10000 * 100000000LL, err, sizeof err), 0);
	}
}

static void world_close(world *w)
{
	oms_destroy(w->o);
	journal_close(w->j);
	capital_destroy(w->c);
}

static int setup(void **state)
{
	world *w = calloc(1, sizeof *w);
	snprintf(w->dir, sizeof w->dir, "/tmp/th-oms-XXXXXX");
	assert_non_null(mkdtemp(w->dir));
	w->f.now = 1000;
	th_strlcpy(w->f.ins.venue, "sim", sizeof w->f.ins.venue);
	th_strlcpy(w->f.ins.symbol, "BTC-USDT", sizeof w->f.ins.symbol);
	th_strlcpy(w->f.ins.base, "BTC", sizeof w->f.ins.base);
	th_strlcpy(w->f.ins.quote, "USDT", sizeof w->f.ins.quote);
	w->f.ins.price_scale = 2;
	w->f.ins.qty_scale = 4;
	w->f.ins.tick = 1;       /* 0.01 */
	w->f.ins.lot = 10;       /* 0.0010 */
	w->f.ins.min_notional = 5 * 100000000LL;
	w->f.last = 6500000;     /* 65000.00 */
	world_open(w, 1);
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	world *w = *state;
	char cmd[128];
	world_close(w);
	snprintf(cmd, sizeof cmd, "rm -rf %s", w->dir);
	assert_int_equal(system(cmd), 0);
	free(w);
	return 0;
}

static th_event intent(const char *agent, int side, int type, th_price px, th_qty qty)
{
	th_event ev;
	memset(&ev, 0, sizeof ev);
	th_event_init(&ev, TH_EV_INTENT);
	th_strlcpy(ev.h.venue, "sim", sizeof ev.h.venue);
	th_strlcpy(ev.h.agent, agent, sizeof ev.h.agent);
	th_strlcpy(ev.u.intent.order.symbol, "BTC-USDT", sizeof ev.u.intent.order.symbol);
	ev.u.intent.order.side = (uint32_t)side;
	ev.u.intent.order.type = (uint32_t)type;
	ev.u.intent.order.tif = TH_TIF_GTC;
	ev.u.intent.order.price = px;
	ev.u.intent.order.qty = qty;
	ev.u.intent.order.price_scale = 2;
	ev.u.intent.order.qty_scale = 4;
	return ev;
}

static th_event venue_order(const char *clid, uint32_t state)
{
	th_event ev;
	memset(&ev, 0, sizeof ev);
	th_event_init(&ev, TH_EV_ORDER);
	th_strlcpy(ev.h.venue, "sim", sizeof ev.h.venue);
	th_strlcpy(ev.u.order.client_order_id, clid, sizeof ev.u.order.client_order_id);
	ev.u.order.state = state;
	return ev;
}

static th_event venue_fill(const char *clid, const char *trade_id, int side, th_price px, th_qty qty)
{
	th_event ev;
	memset(&ev, 0, sizeof ev);
	th_event_init(&ev, TH_EV_FILL);
	th_strlcpy(ev.h.venue, "sim", sizeof ev.h.venue);
	th_strlcpy(ev.h.symbol, "BTC-USDT", sizeof ev.h.symbol);
	th_strlcpy(ev.u.fill.client_order_id, clid, sizeof ev.u.fill.client_order_id);
	th_strlcpy(ev.u.fill.venue_trade_id, trade_id, sizeof ev.u.fill.venue_trade_id);
	th_strlcpy(ev.u.fill.fee_asset, "USDT", sizeof ev.u.fill.fee_asset);
	ev.u.fill.side = (uint32_t)side;
	ev.u.fill.price = px;
	ev.u.fill.qty = qty;
	ev.u.fill.fee = 1000000; /* 0.01 USDT */
	ev.u.fill.price_scale = 2;
	ev.u.fill.qty_scale = 4;
	ev.u.fill.liquidity = TH_LIQ_MAKER;
	return ev;
}

/* Wait until the journal worker made everything durable and completions ran. */
static void settle(world *w)
{
	for (int i = 0; i < 200; i++) {
		oms_poll(w->o);
		if (journal_durable_lsn(w->j) + 1 == journal_next_lsn(w->j)) {
			oms_poll(w->o);
			return;
		}
		usleep(1000);
	}
	fail_msg("journal did not settle");
}

static void test_sent_only_when_durable(void **state)
{
	world *w = *state;
	char err[256];
	th_event in = intent("alice", TH_SIDE_BUY, TH_ORDER_LIMIT, 6400000, 100);
	assert_int_equal(oms_submit(w->o, &in, 0, err, sizeof err), TH_OK);
	/* Nothing reaches the venue before the completion of the ORDER_NEW record. */
	assert_int_equal(w->f.nsubmit, 0);
	settle(w);
	assert_int_equal(w->f.nsubmit, 1);
	assert_string_equal(w->f.submitted[0].client_order_id, "th000000000001");
	assert_int_equal(w->f.submitted[0].qty, 100);
	assert_int_equal(oms_sent_count(w->o), 1);
	/* deterministic, increasing ids */
	assert_int_equal(oms_submit(w->o, &in, 0, err, sizeof err), TH_OK);
	settle(w);
	assert_string_equal(w->f.submitted[1].client_order_id, "th000000000002");
}

static void test_validation_rejects(void **state)
{
	world *w = *state;
	char err[256];
	th_event in = intent("alice", TH_SIDE_BUY, TH_ORDER_LIMIT, 6400000, 105); /* not a multiple of lot 10 */
	assert_int_equal(oms_submit(w->o, &in, 0, err, sizeof err), TH_ERR_INVALID);
	assert_non_null(strstr(err, "lot size"));
	in = intent("alice", TH_SIDE_BUY, TH_ORDER_LIMIT, 6400001, 100);
	in.u.intent.order.price = 6400000;
	w->f.ins.tick = 100; /* 1.00 */
	in.u.intent.order.price = 6400050;
	assert_int_equal(oms_submit(w->o, &in, 0, err, sizeof err), TH_ERR_INVALID);
	assert_non_null(strstr(err, "tick"));
	w->f.ins.tick = 1;
	in = intent("alice", TH_SIDE_BUY, TH_ORDER_LIMIT, 100, 10); /* 1.00 x 0.001 = 0.001 < 5 */
	assert_int_equal(oms_submit(w->o, &in, 0, err, sizeof err), TH_ERR_INVALID);
	assert_non_null(strstr(err, "notional"));
	th_strlcpy(in.u.intent.order.symbol, "DOGE-USDT", sizeof in.u.intent.order.symbol);
	assert_int_equal(oms_submit(w->o, &in, 0, err, sizeof err), TH_ERR_NOT_FOUND);
	assert_non_null(strstr(err, "unknown instrument DOGE-USDT"));
	/* more than the sub-wallet: 1 BTC at 64000 > 10000 USDT */
	in = intent("alice", TH_SIDE_BUY, TH_ORDER_LIMIT, 6400000, 10000);
	assert_int_equal(oms_submit(w->o, &in, 0, err, sizeof err), TH_ERR_LIMIT);
	settle(w);
	assert_int_equal(w->f.nsubmit, 0);
	/* each rejection told the agent */
	int rejected = 0;
	for (int i = 0; i < w->f.npublished; i++)
		rejected += w->f.published[i].h.type == TH_EV_ORDER && w->f.published[i].u.order.state == TH_ORDER_REJECTED &&
			strcmp(w->f.published[i].h.agent, "alice") == 0;
	assert_int_equal(rejected, 5);
}

static void test_fills_once_and_capital(void **state)
{
	world *w = *state;
	char err[256];
	th_event in = intent("alice", TH_SIDE_BUY, TH_ORDER_LIMIT, 6400000, 100);
	assert_int_equal(oms_submit(w->o, &in, 0, err, sizeof err), TH_OK);
	settle(w);
	th_event acc = venue_order("th000000000001", TH_ORDER_ACCEPTED);
	oms_on_venue_event(w->o, &acc);
	th_event f1 = venue_fill("th000000000001", "T1", TH_SIDE_BUY, 6400000, 40);
	oms_on_venue_event(w->o, &f1);
	oms_on_venue_event(w->o, &f1); /* replayed by the venue: ignored */
	th_event f2 = venue_fill("th000000000001", "T2", TH_SIDE_BUY, 6400000, 60);
	oms_on_venue_event(w->o, &f2);
	th_event done = venue_order("th000000000001", TH_ORDER_FILLED);
	oms_on_venue_event(w->o, &done);
	assert_int_equal(oms_fill_count(w->o), 2);
	oms_order_view v;
	assert_int_equal(oms_order_at(w->o, 0, &v), 0);
	assert_int_equal(v.state, TH_ORDER_FILLED);
	assert_int_equal(v.filled_qty, 100);
	capital_position pos[4];
	assert_int_equal(capital_positions(w->c, "alice", 0, pos, 4), 1);
	assert_int_equal(pos[0].p.qty, 100);
	assert_int_equal(capital_check(w->c, err, sizeof err), TH_OK);
	/* the agent got its fills, tagged */
	int agent_fills = 0;
	for (int i = 0; i < w->f.npublished; i++)
		agent_fills += w->f.published[i].h.type == TH_EV_FILL && (w->f.published[i].h.flags & TH_EVENT_FLAG_OMS) &&
			strcmp(w->f.published[i].h.agent, "alice") == 0;
	assert_int_equal(agent_fills, 2);
}

static void test_restart_replays_and_reconciles(void **state)
{
	world *w = *state;
	char err[256];
	th_event in = intent("alice", TH_SIDE_BUY, TH_ORDER_LIMIT, 6400000, 100);
	for (int i = 0; i < 3; i++)
		assert_int_equal(oms_submit(w->o, &in, 0, err, sizeof err), TH_OK);
	settle(w);
	th_event f = venue_fill("th000000000001", "T1", TH_SIDE_BUY, 6400000, 100);
	oms_on_venue_event(w->o, &f);
	th_event done = venue_order("th000000000001", TH_ORDER_FILLED);
	oms_on_venue_event(w->o, &done);
	settle(w);
	char before[4096];
	size_t blen;
	char *dump = capital_dump(w->c, &blen);
	assert_true(blen < sizeof before);
	memcpy(before, dump, blen);
	free(dump);
	world_close(w);

	/* restart */
	memset(&w->f.submitted, 0, sizeof w->f.submitted);
	w->f.nsubmit = w->f.nquery = 0;
	world_open(w, 0);
	dump = capital_dump(w->c, &blen);
	assert_memory_equal(dump, before, blen); /* the ledger is rebuilt exactly */
	free(dump);
	assert_int_equal(oms_order_count(w->o), 3);
	assert_int_equal(oms_fill_count(w->o), 1);
	/* unknown outcomes are queried, never resent; trading halts meanwhile */
	assert_int_equal(oms_reconcile(w->o), 2);
	assert_int_equal(w->f.nquery, 2);
	assert_string_equal(w->f.queried[0], "th000000000002");
	assert_string_equal(w->f.queried[1], "th000000000003");
	assert_int_equal(w->f.nsubmit, 0);
	assert_int_equal(oms_halted(w->o), OMS_HALT_RECONCILING);
	th_event next = intent("alice", TH_SIDE_BUY, TH_ORDER_LIMIT, 6400000, 100);
	assert_int_equal(oms_submit(w->o, &next, 0, err, sizeof err), TH_ERR_STATE);
	/* the venue has #2 resting and never saw #3 */
	th_event a2 = venue_order("th000000000002", TH_ORDER_ACCEPTED);
	oms_on_venue_event(w->o, &a2);
	assert_int_equal(oms_halted(w->o), OMS_HALT_RECONCILING);
	th_event a3 = venue_order("th000000000003", TH_ORDER_ABSENT);
	oms_on_venue_event(w->o, &a3);
	assert_int_equal(oms_halted(w->o), OMS_RUNNING);
	oms_order_view v;
	assert_int_equal(oms_order_at(w->o, 2, &v), 0);
	assert_int_equal(v.state, TH_ORDER_REJECTED);
	assert_non_null(strstr(v.reason, "never received"));
	/* a duplicate of the old fill after restart is still ignored */
	oms_on_venue_event(w->o, &f);
	assert_int_equal(oms_fill_count(w->o), 1);
	/* the id counter continues */
	assert_int_equal(oms_submit(w->o, &next, 0, err, sizeof err), TH_OK);
	settle(w);
	assert_int_equal(w->f.nsubmit, 1);
	assert_string_equal(w->f.submitted[0].client_order_id, "th000000000004");
	assert_int_equal(capital_check(w->c, err, sizeof err), TH_OK);
}

static void test_cancel_never_blocked(void **state)
{
	world *w = *state;
	char err[256];
	th_event in = intent("alice", TH_SIDE_BUY, TH_ORDER_LIMIT, 6400000, 100);
	assert_int_equal(oms_submit(w->o, &in, 0, err, sizeof err), TH_OK);
	settle(w);
	oms_set_operator_halt(w->o, 1);
	assert_int_equal(oms_submit(w->o, &in, 0, err, sizeof err), TH_ERR_STATE);
	th_event c = in;
	c.u.intent.action = TH_INTENT_CANCEL;
	th_strlcpy(c.u.intent.order.client_order_id, "th000000000001", TH_CLORD_MAX);
	assert_int_equal(oms_submit(w->o, &c, 0, err, sizeof err), TH_OK);
	assert_int_equal(w->f.ncancel, 1);
	/* another agent cannot cancel alice's order */
	th_strlcpy(c.h.agent, "mallory", sizeof c.h.agent);
	assert_int_equal(oms_submit(w->o, &c, 0, err, sizeof err), TH_ERR_NOT_FOUND);
	assert_int_equal(w->f.ncancel, 1);
}

static void test_unknown_submit_outcome_is_queried(void **state)
{
	world *w = *state;
	char err[256];
	w->f.submit_rc = TH_ERR_IO; /* e.g. a timeout: it may have arrived */
	th_event in = intent("alice", TH_SIDE_BUY, TH_ORDER_LIMIT, 6400000, 100);
	assert_int_equal(oms_submit(w->o, &in, 0, err, sizeof err), TH_OK);
	settle(w);
	assert_int_equal(w->f.nsubmit, 1);
	assert_int_equal(w->f.nquery, 1);
	assert_int_equal(oms_halted(w->o), OMS_HALT_RECONCILING);
	w->f.now += 2000000000LL;
	oms_tick(w->o); /* unanswered: asked again, never resent */
	assert_int_equal(w->f.nquery, 2);
	assert_int_equal(w->f.nsubmit, 1);
	th_event a = venue_order("th000000000001", TH_ORDER_ACCEPTED);
	oms_on_venue_event(w->o, &a);
	assert_int_equal(oms_halted(w->o), OMS_RUNNING);
}

/* A rebalance is journaled as the transfers it made, so after a replay the
 * balances, allocations and flows are identical; only the bookkeeping of how
 * they got there differs (transaction count, last rebalance time). Drop those
 * two tokens before comparing. */
static void normalize(char *dump, size_t *len)
{
	static const char *const tokens[] = { "transactions=", "last_rebalance=" };
	for (size_t k = 0; k < 2; k++) {
		char *p;
		while ((p = strstr(dump, tokens[k])) != NULL) {
			char *end = p + strlen(tokens[k]);
			while (*end && *end != ' ' && *end != '\n')
				end++;
			memmove(p, end, strlen(end) + 1);
		}
	}
	*len = strlen(dump);
}

static void test_rebalance_and_settings_replay(void **state)
{
	world *w = *state;
	char err[256];
	assert_int_equal(capital_add_agent(w->c, "bob", "farm", err, sizeof err), 0);
	/* bob was added after the deposit: rebalance the farm equally over alice and bob */
	assert_int_equal(oms_rebalance(w->o, "farm", CAPITAL_RULE_EQUAL, w->f.now, err, sizeof err), 0);
	capital_stats st;
	assert_int_equal(capital_stats_get(w->c, "bob", &st), TH_OK);
	assert_int_equal(st.cash, 5000 * 100000000LL);
	assert_int_equal(oms_set_paused(w->o, "bob", 1), 0);
	assert_int_equal(oms_goal_done(w->o, 3, TH_GOAL_HIT), 0);
	assert_true(oms_is_paused(w->o, "bob", "farm"));
	settle(w);
	size_t blen;
	char *before = capital_dump(w->c, &blen);
	world_close(w);
	/* the restarted world adds bob the same way (configuration), then replays */
	char e2[512];
	oms_env env = { &w->f, f_now, f_instrument, f_submit, f_cancel, f_query, f_publish, f_last };
	journal_options jo = { 0 };
	assert_int_equal(journal_open(w->dir, &jo, &w->j, e2, sizeof e2), 0);
	w->c = capital_create("USDT", e2, sizeof e2);
	assert_int_equal(capital_add_farm(w->c, "farm", e2, sizeof e2), 0);
	assert_int_equal(capital_add_agent(w->c, "alice", "farm", e2, sizeof e2), 0);
	assert_int_equal(capital_add_agent(w->c, "bob", "farm", e2, sizeof e2), 0);
	w->o = oms_create(&env, NULL, w->j, w->c, e2, sizeof e2);
	assert_int_equal(oms_recover(w->o, e2, sizeof e2), 0);
	size_t alen;
	char *after = capital_dump(w->c, &alen);
	normalize(before, &blen);
	normalize(after, &alen);
	if (alen != blen || memcmp(after, before, blen) != 0) {
		FILE *a = fopen("/tmp/oms-dump-before.txt", "w"), *b = fopen("/tmp/oms-dump-after.txt", "w");
		fwrite(before, 1, blen, a);
		fwrite(after, 1, alen, b);
		fclose(a);
		fclose(b);
		fail_msg("capital after replay differs (see /tmp/oms-dump-before.txt and -after.txt)");
	}
	free(before);
	free(after);
	assert_true(oms_is_paused(w->o, "bob", "farm"));
	assert_false(oms_is_paused(w->o, "alice", "farm"));
	assert_int_equal(oms_goal_state(w->o, 3), TH_GOAL_HIT);
	assert_int_equal(oms_goal_state(w->o, 2), 0);
}

/* Runtime (API) goals: the records round-trip field by field, and a
 * restart rebuilds them with the same ids, updates, ends and deletions. */
static oms_api_goal goal_def(const char *label, const char *value)
{
	oms_api_goal g;
	memset(&g, 0, sizeof g);
	th_strlcpy(g.spec.label, label, sizeof g.spec.label);
	g.spec.scope = GOALS_SCOPE_AGENT;
	th_strlcpy(g.spec.target, "alice", sizeof g.spec.target);
	g.spec.criteria = GOALS_PROFIT | GOALS_DEADLINE;
	g.spec.profit = 12345678900LL;
	g.spec.deadline_ns = 4102444800000000000LL;
	th_strlcpy(g.kind, "profit", sizeof g.kind);
	th_strlcpy(g.value, value, sizeof g.value);
	th_strlcpy(g.action, "pause", sizeof g.action);
	g.created_ns = 1700000000000000000LL;
	return g;
}

static void test_goal_records_round_trip(void **state)
{
	(void)state;
	oms_rec_goal r, back;
	memset(&r, 0, sizeof r);
	r.id = 7;
	th_strlcpy(r.spec.label, "reach 123.45", sizeof r.spec.label);
	r.spec.scope = GOALS_SCOPE_FARM;
	th_strlcpy(r.spec.target, "farm", sizeof r.spec.target);
	r.spec.criteria = GOALS_PROFIT | GOALS_RETURN | GOALS_TRADES | GOALS_WIN_RATE | GOALS_DRAWDOWN | GOALS_DEADLINE;
	r.spec.profit = 12345000000LL;
	r.spec.return_bps = -250;
	r.spec.trades = 200;
	r.spec.win_rate_bps = 5500;
	r.spec.max_drawdown_bps = 1000;
	r.spec.deadline_ns = 4102444800000000000LL;
	r.spec.on_hit.flags = GOALS_ACT_COLLECT | GOALS_ACT_SET_WEIGHT;
	r.spec.on_hit.weight = 0.25;
	r.spec.on_miss.flags = GOALS_ACT_SET_AMOUNT;
	r.spec.on_miss.amount = 500 * 100000000LL;
	th_strlcpy(r.kind, "drawdown", sizeof r.kind);
	th_strlcpy(r.value, "10.00", sizeof r.value);
	th_strlcpy(r.action, "collect", sizeof r.action);
	r.created_ns = 1700000000123456789LL;
	uint8_t buf[1024];
	size_t len = oms_enc_goal(buf, sizeof buf, &r);
	assert_true(len > 0);
	assert_int_equal(oms_dec_goal(buf, len, &back), 0);
	assert_int_equal(back.id, 7);
	assert_string_equal(back.spec.label, r.spec.label);
	assert_int_equal(back.spec.scope, GOALS_SCOPE_FARM);
	assert_string_equal(back.spec.target, "farm");
	assert_int_equal(back.spec.criteria, r.spec.criteria);
	assert_int_equal(back.spec.profit, r.spec.profit);
	assert_int_equal(back.spec.return_bps, -250);
	assert_int_equal(back.spec.trades, 200);
	assert_int_equal(back.spec.win_rate_bps, 5500);
	assert_int_equal(back.spec.max_drawdown_bps, 1000);
	assert_int_equal(back.spec.deadline_ns, r.spec.deadline_ns);
	assert_int_equal(back.spec.on_hit.flags, r.spec.on_hit.flags);
	assert_true(back.spec.on_hit.weight == 0.25);
	assert_int_equal(back.spec.on_miss.flags, GOALS_ACT_SET_AMOUNT);
	assert_int_equal(back.spec.on_miss.amount, r.spec.on_miss.amount);
	assert_string_equal(back.kind, "drawdown");
	assert_string_equal(back.value, "10.00");
	assert_string_equal(back.action, "collect");
	assert_int_equal(back.created_ns, r.created_ns);
	/* short, over-long and wrong-version payloads are refused */
	assert_int_equal(oms_dec_goal(buf, len - 1, &back), -1);
	uint8_t longer[1025];
	memcpy(longer, buf, len);
	longer[len] = 0;
	assert_int_equal(oms_dec_goal(longer, len + 1, &back), -1);
	buf[0] ^= 0x40;
	assert_int_equal(oms_dec_goal(buf, len, &back), -1);
	/* too small a buffer: 0, never a partial record */
	assert_int_equal(oms_enc_goal(buf, 20, &r), 0);

	oms_rec_goal_ref ref = { 9, TH_GOAL_MISSED, 420000 }, ref_back;
	len = oms_enc_goal_ref(buf, sizeof buf, &ref);
	assert_int_equal(oms_dec_goal_ref(buf, len, &ref_back), 0);
	assert_int_equal(ref_back.id, 9);
	assert_int_equal(ref_back.state, TH_GOAL_MISSED);
	assert_int_equal(ref_back.progress_ppm, 420000);
	assert_int_equal(oms_dec_goal_ref(buf, len - 3, &ref_back), -1);
}

static void test_api_goals_replay(void **state)
{
	world *w = *state;
	char err[256];
	uint32_t id[4];
	oms_api_goal a = goal_def("first", "100"), b = goal_def("second", "200"), c = goal_def("third", "300");
	assert_int_equal(oms_api_goal_create(w->o, &a, &id[0], err, sizeof err), 0);
	assert_int_equal(oms_api_goal_create(w->o, &b, &id[1], err, sizeof err), 0);
	assert_int_equal(oms_api_goal_create(w->o, &c, &id[2], err, sizeof err), 0);
	assert_int_equal(id[0], 1);
	assert_int_equal(id[1], 2);
	assert_int_equal(id[2], 3);
	b.id = 2;
	th_strlcpy(b.value, "250.5", sizeof b.value);
	b.spec.profit = 25050000000LL;
	th_strlcpy(b.spec.label, "second, raised", sizeof b.spec.label);
	assert_int_equal(oms_api_goal_update(w->o, &b, err, sizeof err), 0);
	assert_int_equal(oms_api_goal_end(w->o, 1, TH_GOAL_HIT, 1000000, err, sizeof err), 0);
	assert_int_equal(oms_api_goal_delete(w->o, 3, err, sizeof err), 0);
	/* refused operations change nothing and say why */
	assert_int_equal(oms_api_goal_delete(w->o, 3, err, sizeof err), -1);
	assert_non_null(strstr(err, "g-3"));
	assert_int_equal(oms_api_goal_end(w->o, 2, TH_GOAL_PROGRESS, 0, err, sizeof err), -1);
	c.id = 3;
	assert_int_equal(oms_api_goal_update(w->o, &c, err, sizeof err), -1);
	settle(w);
	world_close(w);
	world_open(w, 0);

	const oms_api_goal *g1 = oms_api_goal_at(w->o, 0), *g2 = oms_api_goal_at(w->o, 1);
	assert_non_null(g1);
	assert_non_null(g2);
	assert_null(oms_api_goal_at(w->o, 2));
	assert_null(oms_api_goal_get(w->o, 3));
	assert_int_equal(g1->id, 1);
	assert_int_equal(g1->state, TH_GOAL_HIT);
	assert_int_equal(g1->progress_ppm, 1000000);
	assert_string_equal(g1->spec.label, "first");
	assert_string_equal(g1->action, "pause");
	assert_int_equal(g1->created_ns, a.created_ns);
	assert_ptr_equal(oms_api_goal_get(w->o, 2), g2);
	assert_int_equal(g2->state, 0);
	assert_string_equal(g2->value, "250.5");
	assert_string_equal(g2->spec.label, "second, raised");
	assert_int_equal(g2->spec.profit, 25050000000LL);
	assert_int_equal(g2->spec.scope, GOALS_SCOPE_AGENT);
	assert_string_equal(g2->spec.target, "alice");
	assert_int_equal(g2->spec.deadline_ns, b.spec.deadline_ns);
	/* the deleted id 3 is never reused */
	assert_int_equal(oms_api_goal_create(w->o, &c, &id[3], err, sizeof err), 0);
	assert_int_equal(id[3], 4);
}

/* fdatasync fails: the journal enters FAILED, the order is never sent and
 * every later intent is refused with the reason. */
static int sync_fails; /* set once the journal is open: the disk "breaks" */

static int failing_sync(void *ctx, int fd)
{
	(void)ctx;
	if (!sync_fails)
		return fdatasync(fd);
	errno = EIO;
	return -1;
}

static void test_journal_failure_halts(void **state)
{
	world *w = *state;
	char err[256];
	world_close(w);
	journal_io_ops io = { .fdatasync = failing_sync, .fsync = failing_sync };
	journal_options jo = { 0 };
	jo.io = &io;
	oms_env env = { &w->f, f_now, f_instrument, f_submit, f_cancel, f_query, f_publish, f_last };
	sync_fails = 0;
	if (journal_open(w->dir, &jo, &w->j, err, sizeof err) != 0)
		fail_msg("journal_open: %s", err);
	sync_fails = 1;
	w->c = capital_create("USDT", err, sizeof err);
	assert_int_equal(capital_add_farm(w->c, "farm", err, sizeof err), 0);
	assert_int_equal(capital_add_agent(w->c, "alice", "farm", err, sizeof err), 0);
	w->o = oms_create(&env, NULL, w->j, w->c, err, sizeof err);
	assert_int_equal(oms_recover(w->o, err, sizeof err), 0);
	th_event in = intent("alice", TH_SIDE_BUY, TH_ORDER_LIMIT, 6400000, 100);
	int rc = oms_submit(w->o, &in, 0, err, sizeof err);
	for (int i = 0; i < 200 && !journal_failed(w->j); i++) {
		oms_poll(w->o);
		usleep(1000);
	}
	oms_poll(w->o);
	(void)rc;
	assert_true(journal_failed(w->j));
	assert_int_equal(w->f.nsubmit, 0); /* nothing left the host */
	assert_int_equal(oms_halted(w->o), OMS_HALT_JOURNAL);
	assert_int_equal(oms_submit(w->o, &in, 0, err, sizeof err), TH_ERR_STATE);
	assert_non_null(strstr(err, "journal"));
	int alerts = 0;
	for (int i = 0; i < w->f.npublished; i++)
		alerts += w->f.published[i].h.type == TH_EV_ALERT &&
			strcmp(w->f.published[i].u.alert.code, "journal_failed") == 0;
	assert_int_equal(alerts, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sent_only_when_durable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_validation_rejects, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fills_once_and_capital, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restart_replays_and_reconciles, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel_never_blocked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_submit_outcome_is_queried, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rebalance_and_settings_replay, setup, teardown),
		cmocka_unit_test_setup_teardown(test_journal_failure_halts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_goal_records_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_api_goals_replay, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
