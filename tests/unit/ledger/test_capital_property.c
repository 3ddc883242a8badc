/* Property test: seeded random sequences of deposits, withdrawals,
 * allocations, reservations, partial fills at random prices (with quote,
 * base and foreign-asset fees, slippage beyond the reserved price, shorts),
 * releases, marks, snapshots, rebalances, profit collection and goal
 * evaluations. After EVERY step capital_check() must pass, the running totals
 * (capital_stats_get, aggregated positions) must equal a full recomputation
 * (capital_stats_recompute, the agents' positions summed); a call that fails
 * must leave the state byte-identical (checked on a sample of steps); and the
 * same seed run twice must give byte-identical dumps (replay). */
#include "ledger_test_util.h"

#include <stdlib.h>
#include <tradehost/th_status.h>

#include "ledger/goals.h"

#define NFARMS 2
#define NAGENTS 6
#define NINS 3
#define MAXKEYS 256
#define STEPS_PER_SEED 30000
#define NSEEDS 4

typedef struct rng {
	uint64_t s;
} rng;

static uint64_t rnd(rng *r)
{
	/* xorshift64* */
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 2685821657736338717ULL;
}

static int64_t rnd_range(rng *r, int64_t lo, int64_t hi)
{
	return lo + (int64_t)(rnd(r) % (uint64_t)(hi - lo + 1));
}

typedef struct stats {
	uint64_t ok[16], failed[16];
	uint64_t events, transitions;
} stats;

typedef struct sim {
	capital_t *c;
	goals_t *g;
	rng r;
	th_instrument ins[NINS];
	th_price px[NINS];
	char keys[MAXKEYS][32];
	int nkeys;
	uint64_t next_key;
	int64_t now;
	stats st;
	char err[512];
} sim;

static const char *farm_names[NFARMS] = { "F1", "F2" };
static const char *agent_names[NAGENTS] = { "A1", "A2", "A3", "B1", "B2", "B3" };

enum {
	OP_DEPOSIT,
	OP_WITHDRAW,
	OP_ALLOCATE,
	OP_RESERVE,
	OP_FILL,
	OP_RELEASE,
	OP_MARK,
	OP_SNAPSHOT,
	OP_REBALANCE,
	OP_COLLECT,
	OP_WEIGHT,
	OP_UNRESERVED,
	OP_GOALS,
	OP_COUNT
};

static const int op_weight[OP_COUNT] = { 2, 1, 8, 25, 25, 7, 15, 5, 3, 3, 1, 2, 3 };

static void on_goal_event(void *arg, const goals_event *ev)
{
	sim *s = arg;
	s->st.events++;
	if (ev->kind != GOALS_EV_PROGRESS)
		s->st.transitions++;
}

static void sim_init(sim *s, uint64_t seed)
{
	memset(s, 0, sizeof *s);
	s->r.s = seed * 0x9E3779B97F4A7C15ULL + 1;
	s->c = capital_create("USDT", s->err, sizeof s->err);
	s->g = goals_new();
	assert_non_null(s->c);
	assert_int_equal(capital_set_curve_limit(s->c, 64, s->err, sizeof s->err), 0);
	assert_int_equal(capital_set_perf_window(s->c, 20, 4, s->err, sizeof s->err), 0);
	for (int i = 0; i < NFARMS; i++) {
		assert_int_equal(capital_add_farm(s->c, farm_names[i], s->err, sizeof s->err), 0);
		assert_int_equal(capital_set_weight(s->c, farm_names[i], (double)(i + 1), s->err, sizeof s->err), 0);
	}
	for (int i = 0; i < NAGENTS; i++)
		assert_int_equal(capital_add_agent(s->c, agent_names[i], farm_names[i / 3], s->err, sizeof s->err), 0);
	s->ins[0] = test_instrument("sim", "BTCUSDT", "BTC", 2, 5);
	s->ins[1] = test_instrument("sim", "ETHUSDT", "ETH", 2, 4);
	s->ins[2] = test_instrument("bin", "SOLUSDT", "SOL", 3, 2);
	s->px[0] = 3000000; /* 30000.00 */
	s->px[1] = 200000;  /* 2000.00 */
	s->px[2] = 100000;  /* 100.000 */
	/* A few goals whose actions touch capital during the run. */
	goals_spec g;
	memset(&g, 0, sizeof g);
	g.scope = GOALS_SCOPE_AGENT;
	snprintf(g.target, sizeof g.target, "A1");
	g.criteria = GOALS_PROFIT | GOALS_DRAWDOWN;
	g.profit = USD(50);
	g.max_drawdown_bps = 3000;
	g.on_hit.flags = GOALS_ACT_COLLECT;
	g.on_miss.flags = GOALS_ACT_SET_AMOUNT;
	g.on_miss.amount = USD(100);
	assert_int_equal(goals_create(s->g, s->c, &g, 0, NULL, s->err, sizeof s->err), 0);
	memset(&g, 0, sizeof g);
	g.scope = GOALS_SCOPE_FARM;
	snprintf(g.target, sizeof g.target, "F2");
	g.criteria = GOALS_TRADES | GOALS_WIN_RATE | GOALS_DEADLINE;
	g.trades = 40;
	g.win_rate_bps = 4000;
	g.deadline_ns = 20000;
	g.on_hit.flags = GOALS_ACT_COLLECT | GOALS_ACT_SET_WEIGHT;
	g.on_hit.weight = 3;
	assert_int_equal(goals_create(s->g, s->c, &g, 0, NULL, s->err, sizeof s->err), 0);
	memset(&g, 0, sizeof g);
	g.scope = GOALS_SCOPE_HOST;
	g.criteria = GOALS_RETURN;
	g.return_bps = 50;
	g.on_hit.flags = GOALS_ACT_COLLECT;
	assert_int_equal(goals_create(s->g, s->c, &g, 0, NULL, s->err, sizeof s->err), 0);
}

static void sim_free(sim *s)
{
	goals_free(s->g);
	capital_destroy(s->c);
}

static const char *rnd_wallet(sim *s)
{
	int k = (int)rnd_range(&s->r, 0, NFARMS + NAGENTS);
	if (k == 0)
		return CAPITAL_MASTER_NAME;
	return k <= NFARMS ? farm_names[k - 1] : agent_names[k - 1 - NFARMS];
}

static int ins_index(sim *s, const char *venue, const char *symbol)
{
	for (int i = 0; i < NINS; i++)
		if (strcmp(s->ins[i].venue, venue) == 0 && strcmp(s->ins[i].symbol, symbol) == 0)
			return i;
	fail_msg("unknown instrument %s/%s", venue, symbol);
	return -1;
}

/* Price within +-pct percent of p, at least 1. */
static th_price rnd_price(sim *s, th_price p, int pct)
{
	th_price d = p * pct / 100;
	th_price v = p + rnd_range(&s->r, -d, d);
	return v > 0 ? v : 1;
}

static th_money fee_for(sim *s, const th_instrument *in, th_price px, th_qty qty)
{
	th_money n = 0;
	assert_int_equal(th_notional(px, in->price_scale, qty, in->qty_scale, &n), 0);
	return n * rnd_range(&s->r, -1, 10) / 10000; /* -1..10 bp: rebates too */
}

static void forget_key(sim *s, int k)
{
	memmove(s->keys[k], s->keys[s->nkeys - 1], sizeof s->keys[k]);
	s->nkeys--;
}

#define ALLOW(st) (1u << (unsigned)-(st))

/* Runs one random operation; returns its op code and status, and in
 * *allowed the failure statuses that are legitimate for what was asked
 * (anything else, e.g. an unbalanced transaction refused by the ledger,
 * is a bug). */
static int sim_step(sim *s, int *status, unsigned *allowed)
{
	*allowed = 0;
	int total = 0, pick, op = 0;
	for (int i = 0; i < OP_COUNT; i++)
		total += op_weight[i];
	pick = (int)rnd_range(&s->r, 0, total - 1);
	while (pick >= op_weight[op])
		pick -= op_weight[op++];
	s->now += rnd_range(&s->r, 1, 5);
	int rc = TH_OK;
	char *err = s->err;
	size_t el = sizeof s->err;
	switch (op) {
	case OP_DEPOSIT:
		rc = capital_deposit(s->c, rnd_range(&s->r, 1, USD(5000)));
		break;
	case OP_WITHDRAW:
		rc = capital_withdraw(s->c, rnd_range(&s->r, 1, USD(2000)), err, el);
		*allowed = ALLOW(TH_ERR_LIMIT);
		break;
	case OP_ALLOCATE: {
		/* Mostly valid edges with affordable amounts, sometimes not. */
		int a = (int)rnd_range(&s->r, 0, NAGENTS - 1), f = a / 3;
		const char *from, *to;
		switch (rnd_range(&s->r, 0, 4)) {
		case 0: from = CAPITAL_MASTER_NAME; to = farm_names[f]; break;
		case 1: from = farm_names[f]; to = CAPITAL_MASTER_NAME; break;
		case 2: from = farm_names[f]; to = agent_names[a]; break;
		case 3: from = agent_names[a]; to = farm_names[f]; break;
		default: from = rnd_wallet(s); to = rnd_wallet(s); break;
		}
		capital_stats st;
		th_money cash = capital_stats_get(s->c, from, &st) == TH_OK ? st.cash : 0;
		th_money amount = rnd_range(&s->r, 0, 9) == 0 ? rnd_range(&s->r, -5, USD(100000))
							    : (cash > 0 ? rnd_range(&s->r, 1, cash) : 1);
		rc = capital_allocate(s->c, from, to, amount, err, el);
		*allowed = ALLOW(TH_ERR_LIMIT) | ALLOW(TH_ERR_INVALID);
		break;
	}
	case OP_RESERVE: {
		if (s->nkeys >= MAXKEYS)
			return -1;
		int a = (int)rnd_range(&s->r, 0, NAGENTS - 1), i = (int)rnd_range(&s->r, 0, NINS - 1);
		const th_instrument *in = &s->ins[i];
		int side = (int)rnd_range(&s->r, 1, 2);
		th_price px = rnd_price(s, s->px[i], 5);
		/* notional up to ~ 400 USDT: qty = budget / price at qty scale */
		th_money budget = rnd_range(&s->r, USD(1), USD(400));
		th_qty qty = (th_qty)((__int128)budget * th_pow10(in->qty_scale + in->price_scale - TH_MONEY_SCALE) / px);
		if (qty <= 0)
			qty = 1;
		th_money fee_budget = fee_for(s, in, px, qty);
		if (fee_budget < 0)
			fee_budget = 0;
		snprintf(s->keys[s->nkeys], sizeof s->keys[0], "o%llu", (unsigned long long)++s->next_key);
		rc = capital_reserve(s->c, agent_names[a], s->keys[s->nkeys], in, side, px, qty, fee_budget, 0, err, el);
		*allowed = ALLOW(TH_ERR_LIMIT); /* over the agent's free capital */
		if (rc == TH_OK)
			s->nkeys++;
		break;
	}
	case OP_FILL: {
		if (s->nkeys == 0)
			return -1;
		int k = (int)rnd_range(&s->r, 0, s->nkeys - 1);
		capital_order_info oi;
		if (capital_order_get(s->c, s->keys[k], &oi) != TH_OK) {
			forget_key(s, k);
			return -1;
		}
		int i = ins_index(s, oi.venue, oi.symbol);
		const th_instrument *in = &s->ins[i];
		th_qty q = rnd_range(&s->r, 0, 1) ? oi.remaining : rnd_range(&s->r, 1, oi.remaining);
		/* Mostly at or better than the order price, sometimes worse (slippage). */
		th_price px = rnd_price(s, oi.price, 3);
		th_fill f = test_fill(in, s->keys[k], (int)oi.side, px, q, 0, "USDT");
		int64_t kind = rnd_range(&s->r, 0, 9);
		if (kind < 8) {
			f.fee = fee_for(s, in, px, q);
		} else if (kind == 8) {
			snprintf(f.fee_asset, sizeof f.fee_asset, "%s", in->base);
			f.fee = rnd_range(&s->r, 0, 1000);
		} else {
			snprintf(f.fee_asset, sizeof f.fee_asset, "BNB");
			f.fee = rnd_range(&s->r, 0, 100000);
		}
		*allowed = ALLOW(TH_ERR_LIMIT); /* the whole chain out of cash */
		if (rnd_range(&s->r, 0, 49) == 0) {
			f.qty = oi.remaining + 1; /* invalid: must be refused */
			*allowed = ALLOW(TH_ERR_INVALID);
		}
		rc = capital_fill(s->c, s->keys[k], &f, s->now, err, el);
		if (f.qty > oi.remaining && rc == TH_OK)
			fail_msg("an over-quantity fill was accepted");
		if (rc == TH_OK && capital_order_get(s->c, s->keys[k], &oi) != TH_OK)
			forget_key(s, k);
		s->px[i] = px;
		break;
	}
	case OP_RELEASE: {
		if (s->nkeys == 0)
			return -1;
		int k = (int)rnd_range(&s->r, 0, s->nkeys - 1);
		rc = capital_release(s->c, s->keys[k]);
		forget_key(s, k);
		break;
	}
	case OP_MARK: {
		int i = (int)rnd_range(&s->r, 0, NINS - 1);
		s->px[i] = rnd_price(s, s->px[i], 2);
		rc = capital_mark(s->c, s->ins[i].venue, s->ins[i].symbol, s->px[i], s->ins[i].price_scale, s->now);
		break;
	}
	case OP_SNAPSHOT:
		rc = capital_snapshot_equity(s->c, s->now);
		break;
	case OP_REBALANCE: {
		int k = (int)rnd_range(&s->r, 0, NFARMS);
		const char *scope = k == 0 ? CAPITAL_MASTER_NAME : farm_names[k - 1];
		int rule = (int)rnd_range(&s->r, 1, 4);
		rc = capital_rebalance(s->c, scope, rule, NULL, 0, s->now, err, el);
		*allowed = ALLOW(TH_ERR_INVALID); /* fixed rule with all agent weights 0 */
		break;
	}
	case OP_COLLECT:
		rc = capital_collect_profits(s->c, rnd_wallet(s), err, el);
		*allowed = ALLOW(TH_ERR_INVALID); /* "master" */
		break;
	case OP_WEIGHT: {
		int a = (int)rnd_range(&s->r, 0, NAGENTS - 1);
		rc = capital_set_weight(s->c, agent_names[a], (double)rnd_range(&s->r, 0, 4) / 2.0, err, el);
		break;
	}
	case OP_UNRESERVED: {
		int a = (int)rnd_range(&s->r, 0, NAGENTS - 1), i = (int)rnd_range(&s->r, 0, NINS - 1);
		const th_instrument *in = &s->ins[i];
		th_price px = rnd_price(s, s->px[i], 1);
		th_qty q = (th_qty)((__int128)USD(rnd_range(&s->r, 1, 50)) *
			th_pow10(in->qty_scale + in->price_scale - TH_MONEY_SCALE) / px);
		th_fill f = test_fill(in, "late", (int)rnd_range(&s->r, 1, 2), px, q > 0 ? q : 1, 0, "USDT");
		rc = capital_fill_unreserved(s->c, agent_names[a], in, &f, s->now, err, el);
		*allowed = ALLOW(TH_ERR_LIMIT);
		break;
	}
	case OP_GOALS:
		rc = goals_evaluate(s->g, s->c, s->now, on_goal_event, s);
		if (rc > 0)
			rc = TH_OK;
		break;
	}
	*status = rc;
	return op;
}

/* The running totals against a full recomputation, and the aggregated
 * positions of every farm and the total against a model summed here from the
 * agents' own positions (capital_check covers the figures too; this names
 * the wallet and the step). */
static void check_running(sim *s, uint64_t seed, int step)
{
	static const char *scopes[NFARMS + 1 + NAGENTS + 1];
	size_t ns = 0;
	scopes[ns++] = CAPITAL_TOTAL_NAME;
	scopes[ns++] = CAPITAL_MASTER_NAME;
	for (int f = 0; f < NFARMS; f++)
		scopes[ns++] = farm_names[f];
	for (int a = 0; a < NAGENTS; a++)
		scopes[ns++] = agent_names[a];
	for (size_t k = 0; k < ns; k++) {
		capital_stats run, full;
		assert_int_equal(capital_stats_get(s->c, scopes[k], &run), TH_OK);
		assert_int_equal(capital_stats_recompute(s->c, scopes[k], &full), TH_OK);
		if (memcmp(&run, &full, sizeof run) != 0)
			fail_msg("seed %llu step %d: running figures of '%s' differ from the recomputation (equity %lld / %lld,"
				 " gross %lld / %lld)", (unsigned long long)seed, step, scopes[k], (long long)run.equity,
				(long long)full.equity, (long long)run.gross_exposure, (long long)full.gross_exposure);
		/* exposure as a provider would derive it from the listed positions */
		capital_position pos[NINS];
		size_t n = capital_positions(s->c, scopes[k], 0, pos, NINS);
		th_money gross = 0, net = 0;
		for (size_t i = 0; i < n && i < NINS; i++) {
			gross += pos[i].value < 0 ? -pos[i].value : pos[i].value;
			net += pos[i].value;
		}
		if (n != run.held || gross != run.gross_exposure || net != run.net_exposure)
			fail_msg("seed %llu step %d: '%s' holds %zu positions, gross %lld, net %lld; stats say %zu, %lld, %lld",
				(unsigned long long)seed, step, scopes[k], n, (long long)gross, (long long)net, run.held,
				(long long)run.gross_exposure, (long long)run.net_exposure);
	}
	/* aggregated positions == the sum of the agents' positions per instrument */
	for (int f = -1; f < NFARMS; f++) {
		th_qty qty[NINS] = { 0 };
		th_money cost[NINS] = { 0 }, real[NINS] = { 0 }, fees[NINS] = { 0 };
		uint32_t trades[NINS] = { 0 };
		int seen[NINS] = { 0 };
		for (int a = 0; a < NAGENTS; a++) {
			if (f >= 0 && a / 3 != f)
				continue;
			capital_position pos[NINS];
			size_t n = capital_positions(s->c, agent_names[a], 1, pos, NINS);
			for (size_t i = 0; i < n; i++) {
				int ii = ins_index(s, pos[i].p.venue, pos[i].p.symbol);
				seen[ii] = 1;
				qty[ii] += pos[i].p.qty;
				cost[ii] += pos[i].cost;
				real[ii] += pos[i].p.realized_pnl;
				fees[ii] += pos[i].p.fees;
				trades[ii] += pos[i].trades;
			}
		}
		const char *scope = f < 0 ? CAPITAL_TOTAL_NAME : farm_names[f];
		capital_position agg[NINS];
		size_t n = capital_positions(s->c, scope, 1, agg, NINS), want = 0;
		for (int ii = 0; ii < NINS; ii++)
			want += (size_t)seen[ii];
		if (n != want)
			fail_msg("seed %llu step %d: '%s' lists %zu instruments, its agents hold %zu", (unsigned long long)seed,
				step, scope, n, want);
		for (size_t i = 0; i < n; i++) {
			int ii = ins_index(s, agg[i].p.venue, agg[i].p.symbol);
			th_money value = 0;
			if (qty[ii] != 0)
				assert_int_equal(th_notional(agg[i].mark, agg[i].p.price_scale, qty[ii], agg[i].p.qty_scale, &value), 0);
			if (agg[i].p.qty != qty[ii] || agg[i].cost != cost[ii] || agg[i].p.realized_pnl != real[ii] ||
				agg[i].p.fees != fees[ii] || agg[i].trades != trades[ii] || agg[i].value != value)
				fail_msg("seed %llu step %d: '%s' %s: aggregated qty %lld cost %lld value %lld, agents' sum qty %lld "
					 "cost %lld value %lld", (unsigned long long)seed, step, scope, agg[i].p.symbol,
					(long long)agg[i].p.qty, (long long)agg[i].cost, (long long)agg[i].value, (long long)qty[ii],
					(long long)cost[ii], (long long)value);
		}
	}
}

static void run(uint64_t seed, int steps, char **dump_out, stats *st_out)
{
	sim *s = malloc(sizeof *s);
	assert_non_null(s);
	sim_init(s, seed);
	for (int step = 0; step < steps; step++) {
		/* On a sample of steps, a failing call must change nothing. */
		char *before = step % 61 == 0 ? capital_dump(s->c, NULL) : NULL;
		int rc = 0;
		unsigned allowed = 0;
		int op = sim_step(s, &rc, &allowed);
		if (op < 0) {
			free(before);
			continue;
		}
		if (rc == TH_OK) {
			s->st.ok[op]++;
		} else {
			s->st.failed[op]++;
			if (rc > 0 || rc < -31 || !(allowed & ALLOW(rc)))
				fail_msg("seed %llu step %d op %d: unexpected status %d: %s", (unsigned long long)seed, step, op,
					rc, s->err);
			if (before) {
				char *after = capital_dump(s->c, NULL);
				if (strcmp(before, after) != 0)
					fail_msg("seed %llu step %d op %d failed (%d: %s) but changed the state",
						(unsigned long long)seed, step, op, rc, s->err);
				free(after);
			}
		}
		free(before);
		/* Marks revalue lazily, at the first read: on odd steps the reads
		 * come first, on even ones capital_check() (which settles). */
		if (step & 1)
			check_running(s, seed, step);
		char e[512];
		if (capital_check(s->c, e, sizeof e) != TH_OK)
			fail_msg("seed %llu step %d op %d (rc %d): capital_check: %s", (unsigned long long)seed, step, op, rc, e);
		if (!(step & 1))
			check_running(s, seed, step);
	}
	if (dump_out) {
		char *d = capital_dump(s->c, NULL), *g = goals_dump(s->g, NULL);
		assert_non_null(d);
		assert_non_null(g);
		size_t n = strlen(d) + strlen(g) + 1;
		*dump_out = malloc(n);
		snprintf(*dump_out, n, "%s%s", d, g);
		free(d);
		free(g);
	}
	if (st_out)
		*st_out = s->st;
	sim_free(s);
	free(s);
}

static void test_invariants_every_step(void **state)
{
	(void)state;
	stats sum;
	memset(&sum, 0, sizeof sum);
	for (uint64_t seed = 1; seed <= NSEEDS; seed++) {
		stats st;
		run(seed, STEPS_PER_SEED, NULL, &st);
		for (int i = 0; i < OP_COUNT; i++) {
			sum.ok[i] += st.ok[i];
			sum.failed[i] += st.failed[i];
		}
		sum.events += st.events;
		sum.transitions += st.transitions;
	}
	static const char *names[OP_COUNT] = { "deposit", "withdraw", "allocate", "reserve", "fill", "release", "mark",
		"snapshot", "rebalance", "collect", "weight", "unreserved", "goals" };
	printf("%d steps over %d seeds; ok / refused per operation:\n", NSEEDS * STEPS_PER_SEED, NSEEDS);
	for (int i = 0; i < OP_COUNT; i++)
		printf("  %-10s %7llu / %llu\n", names[i], (unsigned long long)sum.ok[i], (unsigned long long)sum.failed[i]);
	printf("  goal events %llu, transitions %llu\n", (unsigned long long)sum.events,
		(unsigned long long)sum.transitions);
	/* The run must actually exercise the interesting paths, not just refuse. */
	assert_true(sum.ok[OP_FILL] > 10000);
	assert_true(sum.ok[OP_RESERVE] > 10000);
	assert_true(sum.failed[OP_RESERVE] > 100); /* over-budget reservations refused */
	assert_true(sum.failed[OP_FILL] > 100);    /* over-quantity fills refused */
	assert_true(sum.ok[OP_REBALANCE] > 1000);
	assert_true(sum.ok[OP_ALLOCATE] > 1000);
	assert_true(sum.ok[OP_UNRESERVED] > 500);
	assert_true(sum.transitions >= 3);
}

static void test_replay_is_deterministic(void **state)
{
	(void)state;
	for (uint64_t seed = 11; seed <= 12; seed++) {
		char *a = NULL, *b = NULL;
		run(seed, 20000, &a, NULL);
		run(seed, 20000, &b, NULL);
		assert_true(strlen(a) > 1000);
		if (strcmp(a, b) != 0)
			fail_msg("seed %llu: two runs of the same sequence differ", (unsigned long long)seed);
		char *other = NULL;
		run(seed + 100, 20000, &other, NULL);
		assert_true(strcmp(a, other) != 0); /* the dump does reflect the sequence */
		free(a);
		free(b);
		free(other);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_invariants_every_step),
		cmocka_unit_test(test_replay_is_deterministic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
