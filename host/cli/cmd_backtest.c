/* tradehost backtest: replay the configured market at full speed through the
 * same bus, OMS, capital and sim venue as paper trading, on a simulated
 * clock, and write report.json and report.html. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "common/log.h"
#include "runtime/host.h"
#include "trading/trading.h"

extern char **environ;

enum { OPT_FROM = 2000, OPT_TO, OPT_OUT, OPT_BARS, OPT_SEED, OPT_SET, OPT_QUIET, OPT_DECODE_ONLY, OPT_PROGRESS_FD };

static const char usage_text[] =
	"Usage: tradehost backtest -c FILE [--from TIME] [--to TIME] [--out DIR] [--bars N] [--seed N]\n"
	"                          [--set KEY=VALUE]... [--quiet]\n"
	"\nReplay the configuration's market (the synthetic generator, CSV files or a bar file) at full speed with\n"
	"simulated time through the same bus, order manager, capital hierarchy and sim venue as paper\n"
	"trading, then write report.json and report.html. Same data and seed give byte-identical fills\n"
	"and equity.\n\n"
	"  -c, --config FILE  configuration (default " CLI_DEFAULT_CONFIG ")\n"
	"      --from TIME    first bar to replay, UTC, e.g. 2026-01-01T00:00:00Z\n"
	"      --to TIME      end of the replay (exclusive), UTC\n"
	"      --out DIR      report directory (default: backtest.out from the configuration)\n"
	"      --bars N       synthetic market: number of bars per symbol (overrides market.bars)\n"
	"      --seed N       synthetic market: seed (overrides market.seed)\n"
	"      --set KEY=VALUE override a setting (repeatable)\n"
	"      --quiet        no progress line\n"
	"      --progress-fd N  write \"progress <bars> <total>\" lines to file descriptor N (for a parent process)\n"
	"      --decode-only  benchmark baseline: only read/generate the market data, trade nothing\n"
	"  -h, --help         show this help\n"
	"\nExit status: 0 report written, 2 bad usage or configuration, 1 the backtest failed.\n";

int cli_cmd_backtest(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' }, { "from", required_argument, NULL, OPT_FROM },
		{ "to", required_argument, NULL, OPT_TO }, { "out", required_argument, NULL, OPT_OUT },
		{ "bars", required_argument, NULL, OPT_BARS }, { "seed", required_argument, NULL, OPT_SEED },
		{ "set", required_argument, NULL, OPT_SET }, { "quiet", no_argument, NULL, OPT_QUIET },
		{ "decode-only", no_argument, NULL, OPT_DECODE_ONLY },
		{ "progress-fd", required_argument, NULL, OPT_PROGRESS_FD },
		{ "help", no_argument, NULL, 'h' }, { 0, 0, 0, 0 },
	};
	const char *config = CLI_DEFAULT_CONFIG, *from = NULL, *to = NULL, *out = NULL;
	char *sets[64];
	char extra[4][160];
	size_t nsets = 0, nextra = 0;
	int quiet = 0, decode_only = 0, c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "+c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': config = optarg; break;
		case OPT_FROM: from = optarg; break;
		case OPT_TO: to = optarg; break;
		case OPT_OUT: out = optarg; break;
		case OPT_QUIET: quiet = 1; break;
		case OPT_DECODE_ONLY: decode_only = 1; break;
		case OPT_PROGRESS_FD: {
			char *end;
			long fd = strtol(optarg, &end, 10);
			if (!*optarg || *end || fd < 3 || fd > 1023) {
				fprintf(stderr, "backtest: --progress-fd expects an open file descriptor 3..1023, got \"%s\"\n", optarg);
				return CLI_USAGE;
			}
			trading_backtest_progress_fd((int)fd);
			break;
		}
		case OPT_BARS:
		case OPT_SEED: {
			char *end;
			strtoull(optarg, &end, 10);
			if (!*optarg || *end) {
				fprintf(stderr, "backtest: --%s expects a non-negative integer, got \"%s\"\n",
					c == OPT_BARS ? "bars" : "seed", optarg);
				return CLI_USAGE;
			}
			snprintf(extra[nextra], sizeof extra[nextra], "market.%s=%s", c == OPT_BARS ? "bars" : "seed", optarg);
			sets[nsets++] = extra[nextra++];
			break;
		}
		case OPT_SET:
			if (!strchr(optarg, '=') || nsets >= 60) {
				fprintf(stderr, "backtest: --set expects section.key=value, got \"%s\"\n", optarg);
				return CLI_USAGE;
			}
			sets[nsets++] = optarg;
			break;
		case 'h': fputs(usage_text, stdout); return CLI_OK;
		default: fprintf(stderr, "Run `tradehost backtest --help` for usage.\n"); return CLI_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "backtest: unexpected argument \"%s\"\n", argv[optind]);
		return CLI_USAGE;
	}
	char set_mode[] = "host.mode=\"backtest\"";
	sets[nsets++] = set_mode;
	host_config cfg;
	char err[2048];
	if (host_config_load(config, environ, sets, nsets, &cfg, err, sizeof err) != 0) {
		fprintf(stderr, "tradehost: configuration error: %s\n", err);
		return CLI_USAGE;
	}
	/* a replay is quiet unless asked for debug output */
	log_set_level(cfg.log_level == TH_LOG_DEBUG || cfg.log_level > TH_LOG_WARN ? cfg.log_level : TH_LOG_WARN);
	host_t *h = host_create(&cfg, HOST_CLOCK_SIM, err, sizeof err);
	if (!h) {
		host_config_free(&cfg);
		fprintf(stderr, "tradehost: %s\n", err);
		return CLI_RUNTIME;
	}
	static trading_config tc;
	const host_config *hc = host_get_config(h);
	int rc = CLI_USAGE;
	if (!toml_table_get(hc->tree, "market")) {
		fprintf(stderr, "tradehost: configuration error: a backtest needs a [market] section\n");
		goto out;
	}
	if (host_check(h, err, sizeof err) != 0 || trading_config_load(hc->tree, hc->base_dir, 0, &tc, err, sizeof err) != 0 ||
		trading_config_window(&tc, from, to, err, sizeof err) != 0) {
		fprintf(stderr, "tradehost: configuration error: %s\n", err);
		goto out;
	}
	if (out)
		snprintf(tc.out_dir, sizeof tc.out_dir, "%s", out);
	if (quiet)
		tc.progress = 0;
	if (!trading_config_recorded(&tc) && tc.synth.max_bars == 0 && !to) {
		fprintf(stderr, "tradehost: configuration error: the synthetic market is endless; set market.bars, "
				"--bars N or --to TIME\n");
		goto out;
	}
	/* the simulated clock starts where the data starts (CSV and bar file data
	 * carry their own times, so only a synthetic market's start is known up front) */
	if (!trading_config_recorded(&tc)) {
		host_set_sim_time(h, tc.synth.start_time_ns);
	} else {
		int64_t first;
		if (trading_config_first_time(&tc, &first, err, sizeof err) != 0) {
			fprintf(stderr, "tradehost: backtest failed: %s\n", err);
			rc = CLI_RUNTIME;
			goto out;
		}
		host_set_sim_time(h, first);
	}
	rc = CLI_RUNTIME;
	if (host_start(h, err, sizeof err) != 0) {
		fprintf(stderr, "tradehost: cannot start: %s\n", err);
		goto out;
	}
	trading_t *t = trading_create(h, &tc, TRADING_BACKTEST, err, sizeof err);
	if (decode_only) {
		uint64_t bars = 0;
		double secs = 0;
		struct timespec c0, c1;
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
		if (!t || trading_start(t, err, sizeof err) != 0 || trading_decode_only(t, &bars, &secs, err, sizeof err) != 0) {
			fprintf(stderr, "tradehost: decode failed: %s\n", err);
			trading_destroy(t);
			host_stop(h);
			goto out;
		}
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
		/* cpu time as well: on a shared machine the wall clock includes waiting for a core */
		double cpu = (double)(c1.tv_sec - c0.tv_sec) + (double)(c1.tv_nsec - c0.tv_nsec) / 1e9;
		printf("decode-only: %llu bars, %.3f s, %.0f bars/s; cpu %.3f s, %.0f bars per cpu-second\n",
			(unsigned long long)bars, secs, secs > 0 ? (double)bars / secs : 0.0, cpu, cpu > 0 ? (double)bars / cpu : 0.0);
		trading_stop(t);
		host_stop(h);
		trading_destroy(t);
		rc = CLI_OK;
		goto out;
	}
	if (!t || trading_start(t, err, sizeof err) != 0 || trading_backtest(t, config, err, sizeof err) != 0) {
		fprintf(stderr, "tradehost: backtest failed: %s\n", err);
		trading_destroy(t);
		host_stop(h);
		goto out;
	}
	trading_stop(t);
	host_stop(h);
	trading_destroy(t);
	rc = CLI_OK;
out:
	host_destroy(h);
	return rc;
}
