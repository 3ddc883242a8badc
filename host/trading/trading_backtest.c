/* The backtest driver: pull events from the source in time order, move the
 * simulated clock to each event's time (firing due timers such as the sim
 * venue's latency), publish it, and sample equity at every bar time. At the
 * end, gather the equity curves and trades and write the report. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/fsutil.h"
#include "common/log.h"
#include "trading/trading_internal.h"
#include "trading/trading_trades.h"

static void on_oms_fill(void *arg, const th_event *ev)
{
	if (ev->h.flags & TH_EVENT_FLAG_OMS)
		trade_book_on_fill(arg, ev, ev->h.ts_ns);
}

static int progress_fd = -1;

void trading_backtest_progress_fd(int fd)
{
	progress_fd = fd;
}

/* One line per step for the parent (the REST API's backtest runner). */
static void progress_line(const trading_t *t, uint64_t expected)
{
	if (progress_fd >= 0)
		dprintf(progress_fd, "progress %llu %llu\n", (unsigned long long)t->bars, (unsigned long long)expected);
}

static double wall_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU time of the process: on a shared machine the wall clock also counts
 * time spent waiting for a core, so benchmarks print both. */
static double cpu_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void progress(const trading_t *t, uint64_t expected_bars, double started, int done)
{
	double el = wall_seconds() - started;
	double rate = el > 0 ? (double)t->bars / el : 0;
	if (expected_bars)
		fprintf(stderr, "\rbacktest: %5.1f%%  %llu/%llu bars  %.0f bars/s   ", 100.0 * (double)t->bars / (double)expected_bars,
			(unsigned long long)t->bars, (unsigned long long)expected_bars, rate);
	else
		fprintf(stderr, "\rbacktest: %llu bars  %.0f bars/s   ", (unsigned long long)t->bars, rate);
	if (done)
		fputc('\n', stderr);
}

/* One report series per wallet: the host total, every farm, every agent. */
typedef struct series_buf {
	report_series s;
	int64_t *t;
	th_money *eq;
	char name[TH_NAME_MAX], parent[TH_NAME_MAX];
} series_buf;

static int fill_series(trading_t *t, trade_book *tb, const char *wallet, report_kind kind, series_buf *sb)
{
	capital_stats st;
	if (capital_stats_get(t->capital, wallet, &st) != TH_OK)
		return -1;
	size_t n = capital_curve(t->capital, wallet, 0, NULL, 0);
	capital_point *pts = calloc(n ? n : 1, sizeof *pts);
	sb->t = calloc(n ? n : 1, sizeof *sb->t);
	sb->eq = calloc(n ? n : 1, sizeof *sb->eq);
	if (!pts || !sb->t || !sb->eq) {
		free(pts);
		return -1;
	}
	n = capital_curve(t->capital, wallet, 0, pts, n);
	for (size_t i = 0; i < n; i++) {
		sb->t[i] = pts[i].t_ns;
		sb->eq[i] = pts[i].equity;
	}
	free(pts);
	th_strlcpy(sb->name, kind == REPORT_KIND_HOST ? "total" : wallet, sizeof sb->name);
	th_strlcpy(sb->parent, st.parent, sizeof sb->parent);
	sb->s.name = sb->name;
	sb->s.kind = kind;
	sb->s.parent = kind == REPORT_KIND_AGENT ? sb->parent : NULL;
	sb->s.t_ns = sb->t;
	sb->s.equity = sb->eq;
	sb->s.n = n;
	sb->s.initial_capital = n ? sb->eq[0] : st.allocated;
	sb->s.fees = st.fees;
	sb->s.exposure_ns = trade_book_exposure(tb, kind == REPORT_KIND_HOST ? "total" : wallet);
	return 0;
}

static int write_report(trading_t *t, trade_book *tb, const char *config_path, double replay_cpu, char *err,
	size_t errlen)
{
	char farms[TRADING_MAX_FARMS][TH_NAME_MAX], agents[256][TH_NAME_MAX];
	size_t nf = capital_children(t->capital, "master", farms, TRADING_MAX_FARMS), na = 0;
	if (nf > TRADING_MAX_FARMS)
		nf = TRADING_MAX_FARMS;
	for (size_t i = 0; i < nf; i++) {
		size_t k = capital_children(t->capital, farms[i], agents + na, 256 - na);
		na += k < 256 - na ? k : 256 - na;
	}
	size_t ns = 1 + nf + na;
	series_buf *sb = calloc(ns, sizeof *sb);
	report_series *series = calloc(ns, sizeof *series);
	int rc = -1;
	if (!sb || !series) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (fill_series(t, tb, "total", REPORT_KIND_HOST, &sb[0]) != 0) {
		snprintf(err, errlen, "cannot read the total equity curve");
		goto out;
	}
	size_t used = 1;
	for (size_t i = 0; i < nf + na; i++) {
		int agent = i >= nf;
		if (fill_series(t, tb, agent ? agents[i - nf] : farms[i], agent ? REPORT_KIND_AGENT : REPORT_KIND_FARM,
			    &sb[used]) != 0) {
			snprintf(err, errlen, "cannot read the equity curve of %s", agent ? agents[i - nf] : farms[i]);
			goto out;
		}
		used++;
	}
	for (size_t i = 0; i < ns; i++)
		series[i] = sb[i].s;
	report_meta meta = { 0 };
	meta.config = config_path;
	meta.seed = t->cfg.synth.seed;
	meta.from_ns = sb[0].s.n ? sb[0].t[0] : 0;
	meta.to_ns = sb[0].s.n ? sb[0].t[sb[0].s.n - 1] : 0;
	meta.bars = t->bars;
	meta.generated_by = "tradehost " TH_VERSION_STRING;
	char path[4200];
	if (fs_mkdir_p(t->cfg.out_dir, 0755) != 0) {
		snprintf(err, errlen, "cannot create report directory %s", t->cfg.out_dir);
		goto out;
	}
	snprintf(path, sizeof path, "%s/report.json", t->cfg.out_dir);
	if (report_write_json(path, &meta, series, ns, trade_book_trades(tb), trade_book_count(tb), err, errlen) != 0)
		goto out;
	snprintf(path, sizeof path, "%s/report.html", t->cfg.out_dir);
	if (report_write_html(path, &meta, series, ns, trade_book_trades(tb), trade_book_count(tb), err, errlen) != 0)
		goto out;
	report_stats st;
	if (report_compute(&series[0], trade_book_trades(tb), trade_book_count(tb), 0, &st, err, errlen) == 0) {
		char net[40];
		th_fixed_format(st.net_profit, TH_MONEY_SCALE, net, sizeof net);
		printf("backtest: %llu bars, %zu trades, net profit %s %s, return %.2f%%, max drawdown %.2f%%, Sharpe %.2f\n",
			(unsigned long long)t->bars, st.trades, net, t->cfg.quote, st.total_return * 100,
			st.max_drawdown * 100, st.sharpe);
		printf("replay: %.3f s, %.0f bars/s, %llu events; cpu %.3f s, %.0f bars per cpu-second\n", t->replay_seconds,
			t->replay_seconds > 0 ? (double)t->bars / t->replay_seconds : 0.0, (unsigned long long)t->events_seen,
			replay_cpu, replay_cpu > 0 ? (double)t->bars / replay_cpu : 0.0);
	}
	printf("risk: %llu intents, %llu approved, %llu denied", (unsigned long long)t->intents,
		(unsigned long long)t->approved, (unsigned long long)t->denied);
	static const char *const reasons[] = { "approved", "state", "notional", "position", "exposure", "concentration",
		"rate", "price_band", "conformity", "restricted", "self_trade", "open_orders", "leverage", "var", "drawdown",
		"capital", "error", "no_data" };
	int first = 1;
	for (size_t r = 1; r < sizeof reasons / sizeof reasons[0]; r++) {
		if (t->denials_by_reason[r]) {
			printf("%s%s %llu", first ? " (" : ", ", reasons[r], (unsigned long long)t->denials_by_reason[r]);
			first = 0;
		}
	}
	printf("%s\n", first ? "" : ")");
	printf("report: %s/report.json and %s/report.html\n", t->cfg.out_dir, t->cfg.out_dir);
	rc = 0;
out:
	for (size_t i = 0; sb && i < ns; i++) {
		free(sb[i].t);
		free(sb[i].eq);
	}
	free(sb);
	free(series);
	return rc;
}

int trading_backtest(trading_t *t, const char *config_path, char *err, size_t errlen)
{
	trade_book *tb = trade_book_create(t->capital);
	uint64_t sub;
	th_subscription fills = { .topics = TH_TOPIC(TH_EV_FILL) };
	if (!tb || bus_subscribe(t->bus, tb, &fills, on_oms_fill, tb, &sub) != TH_OK) {
		trade_book_destroy(tb);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	size_t nsym;
	market_source_instruments(t->feed.source, &nsym);
	/* a bar file's header says how many bars follow (a window may cut it short:
	 * then the curve is merely thinner than it could be) */
	uint64_t expected = t->cfg.source_barfile ? t->cfg.barfile_bars
			    : t->cfg.source_csv ? 0 : t->cfg.synth.max_bars * nsym;
	/* Equity is sampled at bar closes; long runs sample every stride-th bar
	 * time so curves stay under ~200k points (statistics annualise from the
	 * actual spacing, charts downsample anyway). */
	uint64_t per_symbol = expected / (nsym ? nsym : 1);
	uint64_t stride = per_symbol > 200000 ? (per_symbol + 199999) / 200000 : 1;
	/* the limit only has to hold every sample: a generated market's symbols
	 * share their bar times, a bar file's need not (room for every bar then) */
	uint64_t points = !expected ? 1u << 22 : (t->cfg.source_barfile ? expected : per_symbol) / stride + 4;
	capital_set_curve_limit(t->capital, points, err, errlen);
	int show = t->cfg.progress && isatty(2);
	/* mirror venues replay the same bars: they count in t->bars */
	uint64_t progress_total = expected * (1 + t->cfg.nmirrors);
	uint64_t progress_step = progress_total >= 100 ? progress_total / 100 : 1000;
	double started = wall_seconds(), cpu_started = cpu_seconds();
	th_event ev;
	int64_t bar_time = 0, now = 0;
	/* Countdowns instead of a division per event: the bar time that gets a
	 * sample is every stride-th (the first one included), and a progress line
	 * is due once t->bars reaches the next multiple of progress_step. */
	uint64_t until_sample = 0, next_progress = progress_step;
	/* The terminal's progress line is redrawn at every 65536th bar; both
	 * progress outputs are rare, so the loop compares t->bars with the
	 * nearer of the two thresholds only (one compare per bar). */
	uint64_t next_show = show ? 0 : UINT64_MAX;
	uint64_t next_check = next_progress < next_show ? next_progress : next_show;
	/* a backtest host runs on the simulated clock: moved inline per event */
	host_sim_clock *sim = host_sim_clock_of(t->host);
	int rc;
	while ((rc = feed_next(&t->feed, &ev, err, errlen)) == 1) {
		t->events_seen++;
		if (bar_time && ev.h.ts_ns > bar_time) {
			/* every symbol's bar of that time is in */
			if (until_sample-- == 0) {
				until_sample = stride - 1;
				capital_snapshot_equity(t->capital, bar_time);
				trading_goals_evaluate(t, bar_time);
				if (t->cfg.rebalance_ns > 0 && bar_time - t->last_rebalance_ns >= t->cfg.rebalance_ns)
					trading_rebalance(t, bar_time);
			}
			bar_time = 0;
		}
		now = ev.h.ts_ns;
		if (sim)
			host_sim_advance(t->host, sim, now);
		else
			host_set_sim_time(t->host, now);
		/* ev is scratch until the next feed_next(): handlers read it in place */
		bus_publish_in_place(t->bus, &ev);
		if (ev.h.type != TH_EV_BAR)
			continue;
		bar_time = now;
		if (t->bars < next_check)
			continue;
		if (t->bars >= next_show) {
			/* t->bars may have moved by more than one (bars published by a venue) */
			if ((t->bars & 0xFFFF) == 0)
				progress(t, expected, started, 0);
			next_show = (t->bars | 0xFFFF) + 1;
		}
		if (t->bars >= next_progress) {
			if (t->bars % progress_step == 0)
				progress_line(t, progress_total);
			next_progress = (t->bars / progress_step + 1) * progress_step;
		}
		next_check = next_progress < next_show ? next_progress : next_show;
	}
	progress_line(t, progress_total);
	if (bar_time)
		capital_snapshot_equity(t->capital, bar_time);
	t->replay_seconds = wall_seconds() - started;
	double replay_cpu = cpu_seconds() - cpu_started;
	if (show)
		progress(t, expected, started, 1);
	bus_unsubscribe_owner(t->bus, tb);
	trade_book_finish(tb, now);
	if (rc < 0) {
		trade_book_destroy(tb);
		return -1;
	}
	char cerr[256];
	if (capital_check(t->capital, cerr, sizeof cerr) != TH_OK) {
		snprintf(err, errlen, "ledger check failed after the run: %s", cerr);
		trade_book_destroy(tb);
		return -1;
	}
	rc = write_report(t, tb, config_path, replay_cpu, err, errlen);
	trade_book_destroy(tb);
	return rc;
}

int trading_decode_only(trading_t *t, uint64_t *bars, double *seconds, char *err, size_t errlen)
{
	th_event ev;
	uint64_t n = 0;
	int rc;
	double started = wall_seconds();
	while ((rc = feed_next(&t->feed, &ev, err, errlen)) == 1)
		n += ev.h.type == TH_EV_BAR;
	*seconds = wall_seconds() - started;
	*bars = n;
	return rc < 0 ? -1 : 0;
}
