/* Goals: hit / miss / deadline / drawdown transitions exactly once, progress
 * events, actions (collect, pause, set allocation), CRUD and validation.
 * Agents A and B of farm F start with 1000 USDT each; trades are round trips
 * of 1 BTC on sim/BTCUSDT (price scale 2, qty scale 3), no fees. */
#include "ledger_test_util.h"

#include <math.h>
#include <stdlib.h>
#include <tradehost/th_status.h>

#include "ledger/goals.h"

#define MAX_EVENTS 64

typedef struct fx {
	capital_t *c;
	goals_t *g;
	th_instrument btc;
	int key;
	char err[512];
	goals_event ev[MAX_EVENTS];
	int nev;
} fx;

static void on_event(void *arg, const goals_event *ev)
{
	fx *f = arg;
	if (f->nev < MAX_EVENTS)
		f->ev[f->nev] = *ev;
	f->nev++;
}

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	f->c = capital_create("USDT", f->err, sizeof f->err);
	f->g = goals_new();
	assert_non_null(f->c);
	assert_non_null(f->g);
	assert_int_equal(capital_add_farm(f->c, "F", f->err, sizeof f->err), 0);
	assert_int_equal(capital_add_farm(f->c, "G", f->err, sizeof f->err), 0);
	assert_int_equal(capital_add_agent(f->c, "A", "F", f->err, sizeof f->err), 0);
	assert_int_equal(capital_add_agent(f->c, "B", "F", f->err, sizeof f->err), 0);
	assert_int_equal(capital_deposit(f->c, USD(10000)), 0);
	assert_int_equal(capital_allocate(f->c, "master", "F", USD(9000), f->err, sizeof f->err), 0);
	assert_int_equal(capital_allocate(f->c, "F", "A", USD(1000), f->err, sizeof f->err), 0);
	assert_int_equal(capital_allocate(f->c, "F", "B", USD(1000), f->err, sizeof f->err), 0);
	f->btc = test_instrument("sim", "BTCUSDT", "BTC", 2, 3);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	goals_free(f->g);
	capital_destroy(f->c);
	free(f);
	return 0;
}

static void trade(fx *f, const char *agent, int side, th_price px, th_qty qty)
{
	char key[32];
	snprintf(key, sizeof key, "k%d", ++f->key);
	int rc = capital_reserve(f->c, agent, key, &f->btc, side, px, qty, 0, 0, f->err, sizeof f->err);
	if (rc != 0)
		print_error("reserve: %s\n", f->err);
	assert_int_equal(rc, 0);
	th_fill fl = test_fill(&f->btc, key, side, px, qty, 0, "USDT");
	assert_int_equal(capital_fill(f->c, key, &fl, 0, f->err, sizeof f->err), 0);
}

/* Buy 1 BTC at 100.00 and sell it at 100.00 + profit (in cents). */
static void round_trip(fx *f, const char *agent, int profit_cents)
{
	trade(f, agent, TH_SIDE_BUY, 10000, 1000);
	trade(f, agent, TH_SIDE_SELL, 10000 + profit_cents, 1000);
}

static uint32_t create(fx *f, const goals_spec *s, int64_t now)
{
	uint32_t id = 0;
	int rc = goals_create(f->g, f->c, s, now, &id, f->err, sizeof f->err);
	if (rc != 0)
		print_error("goals_create: %s\n", f->err);
	assert_int_equal(rc, 0);
	return id;
}

static goals_spec agent_goal(const char *agent)
{
	goals_spec s;
	memset(&s, 0, sizeof s);
	s.scope = GOALS_SCOPE_AGENT;
	snprintf(s.target, sizeof s.target, "%s", agent);
	return s;
}

static int evaluate(fx *f, int64_t now)
{
	f->nev = 0;
	return goals_evaluate(f->g, f->c, now, on_event, f);
}

static void test_profit_goal_hit_once_and_collect(void **state)
{
	fx *f = *state;
	goals_spec s = agent_goal("A");
	snprintf(s.label, sizeof s.label, "ten dollars");
	s.criteria = GOALS_PROFIT;
	s.profit = USD(10);
	s.on_hit.flags = GOALS_ACT_COLLECT;
	uint32_t id = create(f, &s, 0);
	assert_int_equal(id, 1);
	assert_int_equal(evaluate(f, 1), 0);
	assert_int_equal(f->nev, 1); /* the first evaluation always reports */
	assert_int_equal(f->ev[0].kind, GOALS_EV_PROGRESS);
	assert_int_equal(f->ev[0].goal.m.profit, 0);
	assert_int_equal(evaluate(f, 2), 0);
	assert_int_equal(f->nev, 0); /* nothing moved, nothing reported */
	round_trip(f, "A", 400);    /* +4 */
	assert_int_equal(evaluate(f, 3), 0);
	assert_int_equal(f->nev, 1);
	assert_int_equal(f->ev[0].goal.m.profit, USD(4));
	assert_int_equal(f->ev[0].goal.m.trades, 1);
	assert_true(fabs(f->ev[0].goal.p.profit - 0.4) < 1e-12);
	assert_true(fabs(f->ev[0].goal.p.overall - 0.4) < 1e-12);
	round_trip(f, "A", 600); /* +6: 10 in total */
	assert_int_equal(evaluate(f, 4), 1);
	assert_int_equal(f->nev, 1);
	assert_int_equal(f->ev[0].kind, GOALS_EV_HIT);
	assert_int_equal(f->ev[0].goal.state, GOALS_HIT);
	assert_int_equal(f->ev[0].goal.end_ns, 4);
	assert_int_equal(f->ev[0].action_status, TH_OK);
	assert_true(f->ev[0].goal.p.profit == 1.0);
	/* the action moved the 10 of realized profit to the master */
	assert_int_equal(test_stats(f->c, "master").cash, USD(1010));
	assert_int_equal(test_stats(f->c, "A").cash, USD(1000));
	/* exactly once: more profit, more evaluations, no new event */
	round_trip(f, "A", 500);
	assert_int_equal(evaluate(f, 5), 0);
	assert_int_equal(f->nev, 0);
	goals_info gi;
	assert_int_equal(goals_get(f->g, id, &gi), 0);
	assert_int_equal(gi.state, GOALS_HIT);
	assert_string_equal(gi.spec.label, "ten dollars");
	assert_capital_ok(f->c);
}

static void test_200_trades_with_5_profit_each(void **state)
{
	fx *f = *state;
	goals_spec s = agent_goal("A");
	s.criteria = GOALS_TRADES | GOALS_PROFIT;
	s.trades = 200;
	s.profit = 200 * USD(5);
	create(f, &s, 0);
	for (int i = 0; i < 199; i++)
		round_trip(f, "A", 500);
	assert_int_equal(evaluate(f, 10), 0);
	assert_int_equal(f->nev, 1);
	const goals_info *gi = &f->ev[0].goal;
	assert_int_equal(gi->m.trades, 199);
	assert_int_equal(gi->m.wins, 199);
	assert_int_equal(gi->m.profit, USD(995));
	assert_int_equal(gi->m.win_rate_bps, 10000);
	assert_true(fabs(gi->p.trades - 0.995) < 1e-12);
	assert_true(fabs(gi->p.profit - 0.995) < 1e-12);
	round_trip(f, "A", 500);
	assert_int_equal(evaluate(f, 11), 1);
	assert_int_equal(f->ev[0].kind, GOALS_EV_HIT);
	assert_int_equal(f->ev[0].goal.m.trades, 200);
	assert_int_equal(f->ev[0].goal.m.profit, USD(1000));
	assert_int_equal(f->ev[0].goal.m.return_bps, 10000); /* 1000 on 1000 */
}

static void test_deadline_miss_and_pause(void **state)
{
	fx *f = *state;
	goals_spec s = agent_goal("A");
	s.criteria = GOALS_PROFIT | GOALS_DEADLINE;
	s.profit = USD(100);
	s.deadline_ns = 1000;
	s.on_miss.flags = GOALS_ACT_PAUSE;
	uint32_t id = create(f, &s, 0);
	assert_int_equal(evaluate(f, 500), 0);
	assert_true(fabs(f->ev[0].goal.p.time - 0.5) < 1e-12);
	assert_int_equal(evaluate(f, 1000), 0); /* at the deadline: still on */
	assert_false(goals_is_paused(f->g, f->c, "A"));
	assert_int_equal(evaluate(f, 1001), 1);
	assert_int_equal(f->ev[0].kind, GOALS_EV_MISSED);
	assert_int_equal(f->ev[0].goal.miss_reason, GOALS_MISS_DEADLINE);
	assert_int_equal(f->ev[0].goal.end_ns, 1001);
	assert_true(goals_is_paused(f->g, f->c, "A"));
	assert_false(goals_is_paused(f->g, f->c, "B"));
	assert_int_equal(evaluate(f, 2000), 0);
	assert_int_equal(f->nev, 0);
	assert_int_equal(goals_resume(f->g, "A"), 0);
	assert_false(goals_is_paused(f->g, f->c, "A"));
	/* targets met only after the deadline: a miss, not a hit */
	goals_spec late = agent_goal("B");
	late.criteria = GOALS_PROFIT | GOALS_DEADLINE;
	late.profit = USD(1);
	late.deadline_ns = 3000;
	create(f, &late, 2000);
	round_trip(f, "B", 200);
	assert_int_equal(evaluate(f, 3001), 1);
	assert_int_equal(f->ev[0].kind, GOALS_EV_MISSED);
	assert_int_equal(f->ev[0].goal.m.profit, USD(2));
	goals_info gi;
	assert_int_equal(goals_get(f->g, id, &gi), 0);
	assert_int_equal(gi.state, GOALS_MISSED);
}

static void test_drawdown_ceiling_between_evaluations(void **state)
{
	fx *f = *state;
	trade(f, "A", TH_SIDE_BUY, 10000, 10000); /* 10 BTC at 100: all of A's cash */
	assert_int_equal(capital_snapshot_equity(f->c, 1), 0);
	goals_spec s = agent_goal("A");
	s.criteria = GOALS_PROFIT | GOALS_DRAWDOWN;
	s.profit = USD(1000);
	s.max_drawdown_bps = 500;
	uint32_t id = create(f, &s, 1);
	goals_spec fs;
	memset(&fs, 0, sizeof fs);
	fs.scope = GOALS_SCOPE_FARM;
	snprintf(fs.target, sizeof fs.target, "F");
	fs.criteria = GOALS_PROFIT | GOALS_DRAWDOWN;
	fs.profit = USD(1000);
	fs.max_drawdown_bps = 40; /* F's equity is 9000: a 40 loss is 44 bp */
	fs.on_miss.flags = GOALS_ACT_PAUSE;
	uint32_t fid = create(f, &fs, 1);
	capital_mark(f->c, "sim", "BTCUSDT", 9600, 2, 2); /* -4% */
	assert_int_equal(capital_snapshot_equity(f->c, 2), 0);
	assert_int_equal(evaluate(f, 2), 1); /* the farm goal breaks at 44 bp */
	assert_int_equal(f->nev, 2);
	assert_int_equal(f->ev[0].kind, GOALS_EV_PROGRESS);
	assert_int_equal(f->ev[0].goal.id, id);
	assert_int_equal(f->ev[0].goal.m.drawdown_bps, 400);
	assert_true(fabs(f->ev[0].goal.p.drawdown - 0.8) < 1e-12);
	assert_int_equal(f->ev[1].kind, GOALS_EV_MISSED);
	assert_int_equal(f->ev[1].goal.id, fid);
	assert_int_equal(f->ev[1].goal.miss_reason, GOALS_MISS_DRAWDOWN);
	assert_int_equal(f->ev[1].goal.m.drawdown_bps, 44); /* 40 / 9000 */
	/* the farm is paused, so are its agents */
	assert_true(goals_is_paused(f->g, f->c, "F"));
	assert_true(goals_is_paused(f->g, f->c, "A"));
	assert_true(goals_is_paused(f->g, f->c, "B"));
	/* -6% in a snapshot, then a full recovery before the next evaluation:
	 * the breach is still seen */
	capital_mark(f->c, "sim", "BTCUSDT", 9400, 2, 3);
	assert_int_equal(capital_snapshot_equity(f->c, 3), 0);
	capital_mark(f->c, "sim", "BTCUSDT", 10000, 2, 4);
	assert_int_equal(capital_snapshot_equity(f->c, 4), 0);
	assert_int_equal(evaluate(f, 4), 1);
	assert_int_equal(f->nev, 1);
	assert_int_equal(f->ev[0].kind, GOALS_EV_MISSED);
	assert_int_equal(f->ev[0].goal.miss_reason, GOALS_MISS_DRAWDOWN);
	assert_int_equal(f->ev[0].goal.m.drawdown_bps, 600);
	assert_int_equal(evaluate(f, 5), 0);
	assert_int_equal(f->nev, 0);
}

static void test_win_rate_and_return(void **state)
{
	fx *f = *state;
	goals_spec s = agent_goal("A");
	s.criteria = GOALS_WIN_RATE | GOALS_TRADES | GOALS_RETURN;
	s.win_rate_bps = 6000;
	s.trades = 5;
	s.return_bps = 100; /* 1% of 1000 = 10 */
	create(f, &s, 0);
	round_trip(f, "A", 500);
	round_trip(f, "A", -100);
	round_trip(f, "A", 500);
	round_trip(f, "A", -100);
	assert_int_equal(evaluate(f, 1), 0);
	assert_int_equal(f->ev[0].goal.m.win_rate_bps, 5000);
	assert_int_equal(f->ev[0].goal.m.losses, 2);
	assert_int_equal(f->ev[0].goal.m.return_bps, 80);
	assert_true(fabs(f->ev[0].goal.p.win_rate - 5000.0 / 6000.0) < 1e-12);
	assert_true(fabs(f->ev[0].goal.p.ret - 0.8) < 1e-12);
	round_trip(f, "A", 500); /* 3 of 5 won, 13 profit = 130 bp */
	assert_int_equal(evaluate(f, 2), 1);
	assert_int_equal(f->ev[0].kind, GOALS_EV_HIT);
	assert_int_equal(f->ev[0].goal.m.win_rate_bps, 6000);
	assert_int_equal(f->ev[0].goal.m.return_bps, 130);
}

static void test_survive_goal(void **state)
{
	fx *f = *state;
	goals_spec s = agent_goal("B");
	s.criteria = GOALS_DEADLINE | GOALS_DRAWDOWN;
	s.deadline_ns = 100;
	s.max_drawdown_bps = 1000;
	create(f, &s, 0);
	assert_int_equal(evaluate(f, 100), 0);
	assert_int_equal(evaluate(f, 101), 1);
	assert_int_equal(f->ev[0].kind, GOALS_EV_HIT);
	assert_true(f->ev[0].goal.p.overall == 1.0);
}

static void test_allocation_actions(void **state)
{
	fx *f = *state;
	/* on hit: A's allocation becomes 500; farm G's weight becomes 3 */
	goals_spec s = agent_goal("A");
	s.criteria = GOALS_PROFIT;
	s.profit = USD(1);
	s.on_hit.flags = GOALS_ACT_SET_AMOUNT;
	s.on_hit.amount = USD(500);
	create(f, &s, 0);
	goals_spec g;
	memset(&g, 0, sizeof g);
	g.scope = GOALS_SCOPE_FARM;
	snprintf(g.target, sizeof g.target, "G");
	g.criteria = GOALS_DEADLINE;
	g.deadline_ns = 5;
	g.on_hit.flags = GOALS_ACT_SET_WEIGHT;
	g.on_hit.weight = 3.0;
	create(f, &g, 0);
	/* on hit: B asks for 20000 more than the farm holds -> action error */
	goals_spec b = agent_goal("B");
	b.criteria = GOALS_PROFIT;
	b.profit = USD(1);
	b.on_hit.flags = GOALS_ACT_SET_AMOUNT | GOALS_ACT_PAUSE;
	b.on_hit.amount = USD(20000);
	create(f, &b, 0);
	round_trip(f, "A", 100);
	round_trip(f, "B", 100);
	assert_int_equal(evaluate(f, 10), 3);
	assert_int_equal(f->nev, 3);
	assert_int_equal(f->ev[0].action_status, TH_OK);
	assert_int_equal(test_stats(f->c, "A").allocated, USD(500));
	assert_int_equal(test_stats(f->c, "A").cash, USD(501));
	assert_int_equal(f->ev[2].kind, GOALS_EV_HIT);
	assert_int_equal(f->ev[2].action_status, TH_ERR_LIMIT);
	assert_non_null(strstr(f->ev[2].action_error, "farm 'F' has"));
	assert_true(goals_is_paused(f->g, f->c, "B")); /* later actions still ran */
	/* G weighs 3, F 0 (never set): a fixed rebalance gives G everything */
	capital_set_weight(f->c, "F", 1.0, f->err, sizeof f->err);
	assert_int_equal(capital_allocate(f->c, "F", "master", USD(7500), f->err, sizeof f->err), 0);
	/* master 8500, F equity 1502 (A 501 + B 1001), G 0 -> total 10002 */
	assert_int_equal(capital_rebalance(f->c, "master", CAPITAL_RULE_FIXED, NULL, 0, 11, f->err, sizeof f->err), 0);
	assert_int_equal(test_stats(f->c, "G").equity, 750150000000LL); /* 3/4 of 10002 */
	assert_capital_ok(f->c);
}

static void test_host_goal(void **state)
{
	fx *f = *state;
	goals_spec s;
	memset(&s, 0, sizeof s);
	s.scope = GOALS_SCOPE_HOST;
	s.criteria = GOALS_PROFIT;
	s.profit = USD(3);
	s.on_hit.flags = GOALS_ACT_COLLECT | GOALS_ACT_PAUSE;
	create(f, &s, 0);
	round_trip(f, "A", 100);
	round_trip(f, "B", 100);
	assert_int_equal(evaluate(f, 1), 0);
	round_trip(f, "B", 100);
	assert_int_equal(evaluate(f, 2), 1);
	assert_int_equal(f->ev[0].goal.m.profit, USD(3));
	assert_int_equal(test_stats(f->c, "master").cash, USD(1003)); /* 1000 left + 3 collected */
	assert_true(goals_is_paused(f->g, f->c, "A"));
	assert_true(goals_is_paused(f->g, f->c, "G"));
	assert_int_equal(goals_resume(f->g, ""), 0);
	assert_false(goals_is_paused(f->g, f->c, "A"));
}

static void test_crud_and_validation(void **state)
{
	fx *f = *state;
	goals_spec s = agent_goal("Z");
	s.criteria = GOALS_PROFIT;
	s.profit = USD(1);
	assert_int_equal(goals_create(f->g, f->c, &s, 0, NULL, f->err, sizeof f->err), TH_ERR_NOT_FOUND);
	assert_non_null(strstr(f->err, "agent 'Z' does not exist"));
	s = agent_goal("F"); /* a farm, not an agent */
	s.criteria = GOALS_PROFIT;
	s.profit = USD(1);
	assert_int_equal(goals_create(f->g, f->c, &s, 0, NULL, f->err, sizeof f->err), TH_ERR_NOT_FOUND);
	s = agent_goal("A");
	assert_int_equal(goals_create(f->g, f->c, &s, 0, NULL, f->err, sizeof f->err), TH_ERR_INVALID);
	assert_non_null(strstr(f->err, "at least one target"));
	s.criteria = GOALS_PROFIT | GOALS_DEADLINE;
	s.profit = USD(1);
	s.deadline_ns = 50;
	assert_int_equal(goals_create(f->g, f->c, &s, 50, NULL, f->err, sizeof f->err), TH_ERR_INVALID);
	assert_non_null(strstr(f->err, "deadline 50 is not after"));
	s.criteria = GOALS_WIN_RATE;
	s.win_rate_bps = 0;
	assert_int_equal(goals_create(f->g, f->c, &s, 0, NULL, f->err, sizeof f->err), TH_ERR_INVALID);
	assert_non_null(strstr(f->err, "win rate"));
	goals_spec h;
	memset(&h, 0, sizeof h);
	h.scope = GOALS_SCOPE_HOST;
	h.criteria = GOALS_PROFIT;
	h.profit = USD(1);
	h.on_miss.flags = GOALS_ACT_SET_AMOUNT;
	assert_int_equal(goals_create(f->g, f->c, &h, 0, NULL, f->err, sizeof f->err), TH_ERR_INVALID);
	assert_non_null(strstr(f->err, "need an agent or farm target"));
	h.on_miss.flags = 0;
	snprintf(h.target, sizeof h.target, "A");
	assert_int_equal(goals_create(f->g, f->c, &h, 0, NULL, f->err, sizeof f->err), TH_ERR_INVALID);
	/* CRUD */
	s = agent_goal("A");
	s.criteria = GOALS_PROFIT;
	s.profit = USD(5);
	uint32_t a = create(f, &s, 0), b = create(f, &s, 0), c = create(f, &s, 0);
	assert_int_equal(a, 1);
	assert_int_equal(c, 3);
	assert_int_equal(goals_delete(f->g, b), 0);
	assert_int_equal(goals_delete(f->g, b), TH_ERR_NOT_FOUND);
	uint32_t ids[8];
	assert_int_equal(goals_list(f->g, ids, 8), 2);
	assert_int_equal(ids[0], 1);
	assert_int_equal(ids[1], 3);
	assert_int_equal(create(f, &s, 0), 4); /* ids are never reused */
	s.profit = USD(2);
	assert_int_equal(goals_update(f->g, f->c, c, &s, f->err, sizeof f->err), 0);
	goals_info gi;
	assert_int_equal(goals_get(f->g, c, &gi), 0);
	assert_int_equal(gi.spec.profit, USD(2));
	goals_spec moved = agent_goal("B");
	moved.criteria = GOALS_PROFIT;
	moved.profit = USD(2);
	assert_int_equal(goals_update(f->g, f->c, c, &moved, f->err, sizeof f->err), TH_ERR_INVALID);
	assert_non_null(strstr(f->err, "cannot change"));
	assert_int_equal(goals_update(f->g, f->c, 99, &s, f->err, sizeof f->err), TH_ERR_NOT_FOUND);
	assert_int_equal(goals_get(f->g, 2, &gi), TH_ERR_NOT_FOUND);
	round_trip(f, "A", 300);
	assert_int_equal(evaluate(f, 1), 1); /* only goal 3 (profit 2) is hit */
	assert_int_equal(goals_get(f->g, 3, &gi), 0);
	assert_int_equal(gi.state, GOALS_HIT);
	assert_int_equal(goals_get(f->g, 1, &gi), 0);
	assert_int_equal(gi.state, GOALS_ACTIVE);
	size_t len = 0;
	char *d = goals_dump(f->g, &len);
	assert_non_null(d);
	assert_true(len > 0);
	assert_non_null(strstr(d, "goal 3 "));
	assert_null(strstr(d, "goal 2 "));
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_profit_goal_hit_once_and_collect, setup, teardown),
		cmocka_unit_test_setup_teardown(test_200_trades_with_5_profit_each, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deadline_miss_and_pause, setup, teardown),
		cmocka_unit_test_setup_teardown(test_drawdown_ceiling_between_evaluations, setup, teardown),
		cmocka_unit_test_setup_teardown(test_win_rate_and_return, setup, teardown),
		cmocka_unit_test_setup_teardown(test_survive_goal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_allocation_actions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_host_goal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_crud_and_validation, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
