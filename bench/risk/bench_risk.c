/*
 * bench_risk — pre-trade latency per intent through the three risk plugins
 * (issue 5): the built limits.so, var.so and drawdown.so, loaded with dlopen
 * exactly as the host loads them, each instance on its own fake host reading
 * one shared fake portfolio of 1,000 open positions (rb_world.h), var
 * keeping a 1,000-scenario expected shortfall.
 *
 * Each intent goes limits -> var -> drawdown the way the host's pipeline
 * runs them (rb_pipeline.h); CLOCK_MONOTONIC is read before the first and
 * after every check, so one pass gives the total and each plugin's share.
 * Target from the issue: p99 <= 20 us.
 *
 * Baseline, measured in the same run: the same loop with three trivial
 * check() functions behind the same kind of function-pointer table (the
 * pipeline's own overhead, clock reads included). Printed as a ratio.
 *
 * Between intents (outside the timed region) the host clock moves on by
 * --spacing-us and every minute of host time a new bar round arrives, so
 * timers, caches that age (limits re-reads a wallet older than 1 s) and
 * bar updates happen as they would on a running host.
 *
 * --host real / both (default both): a second set of the same three
 * instances reads the host's own portfolio code instead of the fake table —
 * trading_view over a real capital hierarchy holding the same book
 * (rb_host.h) — so wallet_stats(), positions(), instrument() and
 * last_price() cost what they cost in the host. Both sets see every bar;
 * each repetition measures the sets one after the other, and the results are
 * printed side by side.
 *
 * Protocol (as the other benchmarks): pinned to CPU 0 (--cpu), warm-up,
 * five repetitions, the median of each figure reported with its spread.
 * Not a test: nothing here asserts a speed.
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rb_host.h"
#include "rb_lookup.h"
#include "rb_options.h"
#include "rb_pipeline.h"
#include "rb_plugins.h"
#include "rb_setup.h"
#include "rb_stats.h"
#include "rb_world.h"

#define NSTAGES 3
#define RB_HISTORY_BARS (RB_VAR_WINDOW + 50)

/* One repetition's samples, per intent, in ns. */
typedef struct samples {
	int64_t *total;
	int64_t *stage[NSTAGES];
	unsigned char *reread; /* positions() was called during the checks */
	size_t n;
	size_t denied;
	char first_denial[384];
} samples;

/* One set of the three plugin instances and the portfolio it reads. */
typedef struct rig {
	const char *label;
	int real;                  /* reads g_host (else the fake portfolio) */
	rb_plugin p[NSTAGES];      /* limits, var, drawdown */
	size_t (*positions)(th_ctx *, const char *, th_position *, size_t); /* before counting */
} rig;

static rb_world g_world;
static rb_host g_host;
static rig g_rigs[2];
static size_t g_nrigs;
static int64_t g_now;
static size_t g_bar_rounds;

/* positions() is only called when a plugin re-reads a wallet (limits: cache
 * older than cache_max_age_ms; var: a scope to sync), so counting its calls
 * costs nothing on the usual check and tells which slow checks re-read. */
static size_t g_position_reads;

static size_t counted_positions(th_ctx *ctx, const char *wallet, th_position *out, size_t cap)
{
	g_position_reads++;
	/* the ctx is the plugin's fake host, inside its rig */
	const rig *r = (const char *)ctx >= (const char *)&g_rigs[1] ? &g_rigs[1] : &g_rigs[0];
	return r->positions(ctx, wallet, out, cap);
}

/* ------------------------------------------------------------- host clock */

static void deliver_all(void *arg, const th_event *bar)
{
	(void)arg;
	for (size_t r = 0; r < g_nrigs; r++)
		for (int i = 0; i < NSTAGES; i++)
			fake_deliver(&g_rigs[r].p[i].h, bar);
}

static void advance_all(int64_t t)
{
	for (size_t r = 0; r < g_nrigs; r++)
		for (int i = 0; i < NSTAGES; i++)
			rb_plugin_advance(&g_rigs[r].p[i], t);
}

/* Moves every plugin's host clock to t, delivering the bar rounds that close
 * by then at their close time (the plugins' timers fire in between); the
 * real host's last prices and marks follow each round. */
static void host_time(int64_t t)
{
	while (rb_world_next_close_ns(&g_world) <= t) {
		advance_all(rb_world_next_close_ns(&g_world));
		rb_world_bar_round(&g_world, deliver_all, NULL);
		if (g_host.view)
			rb_host_on_bars(&g_host);
		g_bar_rounds++;
	}
	advance_all(t);
	g_now = t;
}

/* ------------------------------------------------------------------ loops */

static void samples_alloc(samples *s, size_t n)
{
	memset(s, 0, sizeof *s);
	s->total = calloc(n, sizeof *s->total);
	s->reread = calloc(n, sizeof *s->reread);
	for (int i = 0; i < NSTAGES; i++)
		s->stage[i] = calloc(n, sizeof *s->stage[i]);
	if (!s->total || !s->reread || !s->stage[0] || !s->stage[1] || !s->stage[2]) {
		fprintf(stderr, "bench_risk: out of memory for %zu samples\n", n);
		exit(1);
	}
}

static void samples_free(samples *s)
{
	free(s->total);
	free(s->reread);
	for (int i = 0; i < NSTAGES; i++)
		free(s->stage[i]);
	memset(s, 0, sizeof *s);
}

/* n intents through `stages`; `live` moves the host clock (and bars) between
 * intents, which only the real plugins need. */
static void run(const rb_stage *stages, int live, const rb_options *o, size_t n, uint64_t *intent_id, samples *s)
{
	th_event ev;
	rb_result r;
	s->n = n;
	s->denied = 0;
	s->first_denial[0] = '\0';
	for (size_t k = 0; k < n; k++) {
		if (live)
			host_time(g_now + o->spacing_ns);
		rb_world_intent(&g_world, &ev, ++*intent_id);
		ev.h.ts_ns = g_now;
		size_t reads = g_position_reads;
		rb_pipeline_run(stages, NSTAGES, &ev, &r);
		s->reread[k] = g_position_reads != reads;
		s->total[k] = r.stamp[r.ran] - r.stamp[0];
		for (size_t i = 0; i < NSTAGES; i++)
			s->stage[i][k] = i < r.ran ? r.stamp[i + 1] - r.stamp[i] : 0;
		if (!r.approved && s->denied++ == 0)
			snprintf(s->first_denial, sizeof s->first_denial, "%s denied %s %s (reason %u): %s",
				stages[r.ran - 1].name, ev.h.agent, ev.u.intent.order.symbol, r.verdict.reason_code,
				r.verdict.message);
	}
}

/* One repetition split by whether the checks re-read positions(): the
 * total and the limits time of those that did, the total of those that did
 * not (its p99 is what p99 would be with re-reads off the hot path). */
typedef struct reread_split {
	rb_summary with_total, with_limits, without_total;
} reread_split;

static reread_split split_rereads(const samples *s)
{
	reread_split out;
	int64_t *a = malloc(s->n * sizeof *a), *b = malloc(s->n * sizeof *b), *c = malloc(s->n * sizeof *c);
	size_t nw = 0, nn = 0;
	if (!a || !b || !c) {
		fprintf(stderr, "bench_risk: out of memory\n");
		exit(1);
	}
	for (size_t k = 0; k < s->n; k++) {
		if (s->reread[k]) {
			a[nw] = s->total[k];
			b[nw++] = s->stage[0][k];
		} else {
			c[nn++] = s->total[k];
		}
	}
	out.with_total = rb_summarise(a, nw);
	out.with_limits = rb_summarise(b, nw);
	out.without_total = rb_summarise(c, nn);
	free(a);
	free(b);
	free(c);
	return out;
}

/* Of the intents at or above the p99 of the total, the share of time each
 * stage took (sums over `tail`, added to), and how many of them (and of
 * all intents) re-read a wallet's positions. */
static void tail_shares(const samples *s, double p99_ns, double tail[NSTAGES], size_t reread[2][2])
{
	for (size_t k = 0; k < s->n; k++) {
		reread[0][0]++;
		reread[0][1] += s->reread[k];
		if ((double)s->total[k] < p99_ns)
			continue;
		reread[1][0]++;
		reread[1][1] += s->reread[k];
		for (int i = 0; i < NSTAGES; i++)
			tail[i] += (double)s->stage[i][k];
	}
}

/* ----------------------------------------------------------------- output */

static void print_row(const char *label, const rb_summary *m, const rb_summary *lo, const rb_summary *hi)
{
	printf("  %-26s %8.2f %8.2f %8.2f %8.2f %9.1f   p99 %.2f-%.2f\n", label, m->p50 / 1e3, m->p99 / 1e3,
		m->p999 / 1e3, m->mean / 1e3, m->max / 1e3, lo->p99 / 1e3, hi->p99 / 1e3);
}

/* Pin to one CPU (0: the protocol's CPU for the system under test); a
 * failure only costs stability, so it is reported, not fatal. */
static int pin_cpu(int cpu)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof set, &set) == 0 ? 0 : -1;
}

static int setup(const rb_options *o)
{
	char err[512];
	rb_world_init(&g_world, o->seed);
	static const char *const names[NSTAGES] = { "limits", "var", "drawdown" };
	if ((o->host & RB_HOST_REAL) && rb_host_init(&g_host, &g_world, err, sizeof err) != 0) {
		fprintf(stderr, "bench_risk: %s\n", err);
		return -1;
	}
	g_nrigs = 0;
	if (o->host & RB_HOST_FAKE)
		g_rigs[g_nrigs++] = (rig){ .label = "fake host", .real = 0 };
	if (o->host & RB_HOST_REAL)
		g_rigs[g_nrigs++] = (rig){ .label = "real host", .real = 1 };
	for (size_t r = 0; r < g_nrigs; r++) {
		rig *g = &g_rigs[r];
		for (int i = 0; i < NSTAGES; i++) {
			if (rb_plugin_load(&g->p[i], o->dir, names[i], &g_world.pf, err, sizeof err) != 0) {
				fprintf(stderr, "bench_risk: %s\n", err);
				return -1;
			}
			if (g->real)
				rb_host_install(&g_host, &g->p[i]);
			else if (o->indexed)
				rb_indexed_lookups(&g->p[i], &g_world);
		}
		g->positions = g->p[0].h.api.positions;
		for (int i = 0; i < NSTAGES; i++)
			g->p[i].h.api.positions = counted_positions;
		rb_setup_limits(&g->p[0]);
		rb_setup_var(&g->p[1]);
		rb_setup_drawdown(&g->p[2]);
		for (int i = 0; i < NSTAGES; i++)
			if (rb_plugin_start(&g->p[i], err, sizeof err) != 0) {
				fprintf(stderr, "bench_risk: %s\n", err);
				return -1;
			}
	}
	/* history: more than window + 1 closes per instrument, so the window of
	 * returns (= scenarios) is full whatever the refresh timers saw */
	g_now = g_rigs[0].p[0].h.now_ns;
	for (int k = 0; k < RB_HISTORY_BARS; k++)
		host_time(rb_world_next_close_ns(&g_world));
	return 0;
}

/* What one rig's repetitions gave. */
typedef struct rig_result {
	rb_summary tot[RB_MAX_REPS], stage[NSTAGES][RB_MAX_REPS];
	rb_summary rr_total[RB_MAX_REPS], rr_limits[RB_MAX_REPS], rr_none[RB_MAX_REPS];
	double tail[NSTAGES];  /* the stamps are contiguous: the stages add up to the total */
	size_t reread[2][2];   /* [all, tail][intents, with a re-read] */
	size_t denied;
	char first_denial[384];
} rig_result;

static void record(const samples *s, size_t r, rig_result *res)
{
	if (s->denied && !res->first_denial[0])
		snprintf(res->first_denial, sizeof res->first_denial, "%s", s->first_denial);
	res->denied += s->denied;
	/* rb_summarise sorts in place: the tail is attributed per intent first,
	 * against the p99 of a sorted copy */
	int64_t *copy = malloc(s->n * sizeof *copy);
	if (!copy) {
		fprintf(stderr, "bench_risk: out of memory\n");
		exit(1);
	}
	memcpy(copy, s->total, s->n * sizeof *copy);
	res->tot[r] = rb_summarise(copy, s->n);
	free(copy);
	tail_shares(s, res->tot[r].p99, res->tail, res->reread);
	reread_split split = split_rereads(s);
	res->rr_total[r] = split.with_total;
	res->rr_limits[r] = split.with_limits;
	res->rr_none[r] = split.without_total;
	for (int i = 0; i < NSTAGES; i++)
		res->stage[i][r] = rb_summarise(s->stage[i], s->n);
}

static void print_rig(const rig *g, const rig_result *res, const rb_options *o, const rb_summary *bm)
{
	rb_summary m, lo, hi;
	printf("\n== %s: %s ==\n", g->label,
		g->real ? "the host's trading_view over a real capital hierarchy (rb_host.h)"
			: o->indexed ? "fake portfolio, instrument() / last_price() indexed (--indexed-lookups)"
				     : "fake portfolio table (linear instrument / price scans)");
	printf("approved %zu of %zu\n", o->intents * o->reps - res->denied, o->intents * o->reps);
	if (res->denied)
		printf("WARNING: %zu intents denied (not all three plugins ran); first: %s\n", res->denied,
			res->first_denial);
	printf("per intent, median of %zu repetitions, us:\n", o->reps);
	printf("  %-26s %8s %8s %8s %8s %9s   spread\n", "", "p50", "p99", "p99.9", "mean", "max");
	rb_median_of(res->tot, o->reps, &m, &lo, &hi);
	print_row("limits -> var -> drawdown", &m, &lo, &hi);
	for (int i = 0; i < NSTAGES; i++) {
		char label[40];
		rb_summary sm, slo, shi;
		rb_median_of(res->stage[i], o->reps, &sm, &slo, &shi);
		snprintf(label, sizeof label, "  %s check()", g->p[i].name);
		print_row(label, &sm, &slo, &shi);
	}
	printf("ratio pipeline / baseline: p50 %.1fx  p99 %.1fx\n", m.p50 / bm->p50, m.p99 / bm->p99);
	double all = res->tail[0] + res->tail[1] + res->tail[2];
	if (all > 0)
		printf("slowest 1 %% of intents, time by stage: limits %.0f %%, var %.0f %%, drawdown %.0f %%\n",
			100 * res->tail[0] / all, 100 * res->tail[1] / all, 100 * res->tail[2] / all);
	if (res->reread[0][0] && res->reread[1][0]) {
		rb_summary rt, rl, rn, lo2, hi2;
		rb_median_of(res->rr_total, o->reps, &rt, &lo2, &hi2);
		rb_median_of(res->rr_limits, o->reps, &rl, &lo2, &hi2);
		rb_median_of(res->rr_none, o->reps, &rn, &lo2, &hi2);
		printf("checks that re-read a wallet's positions(): %.2f %% of all intents, %.1f %% of the slowest 1 %%\n",
			100.0 * (double)res->reread[0][1] / (double)res->reread[0][0],
			100.0 * (double)res->reread[1][1] / (double)res->reread[1][0]);
		if (res->reread[0][1])
			printf("  those checks: p50 %.2f us (limits alone %.2f us); the others: p99 %.2f us\n", rt.p50 / 1e3,
				rl.p50 / 1e3, rn.p99 / 1e3);
	}
	printf("%s: target p99 <= 20 us: %s (p99 %.2f us, spread %.2f-%.2f)\n", g->label,
		m.p99 <= 20000 ? "met" : "NOT met", m.p99 / 1e3, lo.p99 / 1e3, hi.p99 / 1e3);
}

int main(int argc, char **argv)
{
	rb_options o;
	if (rb_options_parse(argc, argv, &o) != 0) {
		rb_options_usage(argv[0]);
		return 2;
	}
	int pinned = pin_cpu(o.cpu);
	printf("command:");
	for (int i = 0; i < argc; i++)
		printf(" %s", argv[i]);
	printf("\n");
	if (setup(&o) != 0)
		return 1;
	size_t history = g_bar_rounds;
	printf("plugins: %s/{limits,var,drawdown}.so via dlopen; %s CPU %d\n", o.dir,
		pinned == 0 ? "pinned to" : "NOT pinned (sched_setaffinity failed) to", o.cpu);
	printf("book: %d open agent positions (%d agents x %d) over %d instruments; farm wallets f0 %u / f1 %u"
	       " positions, host %u; %d resting orders\n",
		RB_NAGENTS * RB_POS_PER_AGENT, RB_NAGENTS, RB_POS_PER_AGENT, RB_NINST, rb_world_positions(&g_world, "f0"),
		rb_world_positions(&g_world, "f1"), rb_world_positions(&g_world, "total"), RB_NAGENTS * RB_ORDERS_PER_AGENT);
	printf("var: window %d, %zu one-minute bars per instrument fed before timing\n", RB_VAR_WINDOW, history);
	printf("limits: %zu config keys, every rule on; drawdown: defaults\n", g_rigs[0].p[0].nkeys);

	for (size_t r = 0; r < g_nrigs; r++) {
		int bad = rb_probe(&g_world, &g_rigs[r].p[0], &g_rigs[r].p[1], &g_rigs[r].p[2]);
		if (bad) {
			fprintf(stderr, "bench_risk: %s: %d probe(s) did not get the expected verdict: configuration not live\n",
				g_rigs[r].label, bad);
			return 1;
		}
	}

	rb_stage real[2][NSTAGES], base[NSTAGES];
	for (size_t r = 0; r < g_nrigs; r++)
		for (int i = 0; i < NSTAGES; i++)
			real[r][i] = (rb_stage){ g_rigs[r].p[i].name, g_rigs[r].p[i].risk, g_rigs[r].p[i].inst };
	for (int i = 0; i < NSTAGES; i++)
		base[i] = (rb_stage){ "trivial", &rb_trivial_api, NULL };
	uint64_t intent_id = 0;
	samples s;
	samples_alloc(&s, o.intents > o.warmup ? o.intents : o.warmup);
	for (size_t r = 0; r < g_nrigs; r++)
		run(real[r], 1, &o, o.warmup, &intent_id, &s);
	run(base, 0, &o, o.warmup, &intent_id, &s);
	/* the gauge is set by var's refresh timer (publish_ms, 10 s of host time) */
	host_time(g_now + 10000000000LL);
	for (size_t r = 0; r < g_nrigs; r++) {
		int64_t scenarios = fake_metric(&g_rigs[r].p[1].h, "var_scenarios_host");
		printf("%s: var_scenarios_host gauge after warm-up: %lld (scenarios behind the host ES)%s\n",
			g_rigs[r].label, (long long)scenarios, scenarios == RB_VAR_WINDOW ? "" : "  WARNING: not the full window");
	}

	static rb_summary bl[RB_MAX_REPS];
	static rig_result res[2];
	size_t bars_before = g_bar_rounds;
	for (size_t rep = 0; rep < o.reps; rep++) {
		run(base, 0, &o, o.intents, &intent_id, &s);
		bl[rep] = rb_summarise(s.total, s.n);
		printf("rep %zu: baseline p50 %.3f p99 %.3f us", rep + 1, bl[rep].p50 / 1e3, bl[rep].p99 / 1e3);
		for (size_t r = 0; r < g_nrigs; r++) {
			run(real[r], 1, &o, o.intents, &intent_id, &s);
			record(&s, rep, &res[r]);
			printf(" | %s p50 %.2f p99 %.2f us", g_rigs[r].label, res[r].tot[rep].p50 / 1e3,
				res[r].tot[rep].p99 / 1e3);
		}
		printf("\n");
	}

	rb_summary bm, blo, bhi;
	printf("\n%zu intents x %zu repetitions per portfolio (+%zu warm-up), host clock +%lld us per intent, %zu bar"
	       " rounds during timing\n",
		o.intents, o.reps, o.warmup, (long long)(o.spacing_ns / 1000), g_bar_rounds - bars_before);
	rb_median_of(bl, o.reps, &bm, &blo, &bhi);
	printf("baseline, 3 trivial checks: p50 %.2f p99 %.2f us\n", bm.p50 / 1e3, bm.p99 / 1e3);
	for (size_t r = 0; r < g_nrigs; r++)
		print_rig(&g_rigs[r], &res[r], &o, &bm);

	samples_free(&s);
	for (size_t r = 0; r < g_nrigs; r++)
		for (int i = 0; i < NSTAGES; i++) {
			const char *name = g_rigs[r].p[i].name;
			long leaked = rb_plugin_unload(&g_rigs[r].p[i]);
			if (leaked)
				printf("note: %s (%s) left %ld allocations at destroy\n", name, g_rigs[r].label, leaked);
		}
	if (g_host.view)
		rb_host_free(&g_host);
	return 0;
}
