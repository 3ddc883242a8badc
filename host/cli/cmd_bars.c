/* tradehost bars: write binary bar files (.thb, host/market/barfile.h) from
 * the synthetic market or CSV files, and inspect them. A bar file replays
 * as a read, a CRC and a copy per bar, so a long backtest is generated (or
 * parsed) once and then replayed many times at full speed. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "market/barfile.h"
#include "market/source.h"
#include "runtime/host_config.h"
#include "trading/trading_config.h"

extern char **environ;

#define BARS_MAX_CSV 32

static const char usage_text[] =
	"Usage: tradehost bars convert --from-synthetic -c FILE [--bars N] [--seed N] [--set KEY=VALUE]... --out OUT.thb\n"
	"       tradehost bars convert --from-csv SYMBOL=FILE [--from-csv SYMBOL=FILE]... [--price-scale N]\n"
	"                              [--qty-scale N] [--format auto|generic|binance] --out OUT.thb\n"
	"       tradehost bars info FILE.thb\n"
	"\nconvert writes a binary bar file: fixed-size little-endian records of fixed-point integers with\n"
	"a CRC per block, replayed by `[market] source = \"barfile\"`, `path = \"OUT.thb\"` far faster than\n"
	"the generator or CSV. Only bars are stored (intrabar trades and quotes are dropped).\n"
	"  --from-synthetic    the synthetic market of the configuration's [market] section\n"
	"  -c, --config FILE   the configuration (with --from-synthetic)\n"
	"  --bars N            bars per symbol (overrides market.bars; the generator is endless without one)\n"
	"  --seed N            overrides market.seed\n"
	"  --set KEY=VALUE     override a setting (repeatable)\n"
	"  --from-csv SYMBOL=FILE  an OHLCV CSV file of one symbol (repeatable; bars are merged by time)\n"
	"  --price-scale N     CSV: fractional digits of prices (default 2)\n"
	"  --qty-scale N       CSV: fractional digits of volumes (default 4)\n"
	"  --format F          CSV layout: auto (default), generic or binance\n"
	"  --out FILE          the bar file to write (written as FILE.tmp, then renamed)\n"
	"\ninfo prints the header and symbol table, then reads and checks every block and record.\n"
	"\nExit status: 0 done, 2 bad usage or configuration, 1 conversion failed or the file is corrupt.\n";

enum { OPT_FROM_SYNTH = 3000, OPT_FROM_CSV, OPT_OUT, OPT_BARS, OPT_SEED, OPT_SET, OPT_PSCALE, OPT_QSCALE, OPT_FORMAT };

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int parse_uint(const char *opt, const char *s, long long max, long long *out)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	if (!*s || *end || v < 0 || v > max) {
		fprintf(stderr, "bars: %s expects an integer 0..%lld, got \"%s\"\n", opt, max, s);
		return -1;
	}
	*out = v;
	return 0;
}

/* Every bar of src into a new bar file at out; other events are counted. */
static int convert(market_source *src, const char *out)
{
	size_t n;
	const th_instrument *ins = market_source_instruments(src, &n);
	barfile_symbol *syms = calloc(n ? n : 1, sizeof *syms);
	if (!syms) {
		fprintf(stderr, "tradehost: out of memory\n");
		return CLI_RUNTIME;
	}
	for (size_t i = 0; i < n; i++) {
		th_strlcpy(syms[i].symbol, ins[i].symbol, sizeof syms[i].symbol);
		syms[i].price_scale = ins[i].price_scale;
		syms[i].qty_scale = ins[i].qty_scale;
		syms[i].interval_ns = 0; /* learned from each symbol's first bar */
	}
	char err[1024];
	barfile_writer *w = barfile_create(out, syms, n, err, sizeof err);
	free(syms);
	if (!w) {
		fprintf(stderr, "tradehost: %s\n", err);
		return CLI_RUNTIME;
	}
	static th_event ev; /* 1.7 KB: not on the stack of a loop that runs millions of times */
	uint64_t skipped = 0;
	size_t last = 0;
	double t0 = now_s();
	int rc;
	while ((rc = market_source_next(src, &ev, err, sizeof err)) == 1) {
		if (ev.h.type != TH_EV_BAR) {
			skipped++;
			continue;
		}
		/* bars of one symbol usually follow each other in the same order: try the next index first */
		size_t k = last + 1 < n ? last + 1 : 0, tries = 0;
		while (tries < n && strncmp(ins[k].symbol, ev.h.symbol, sizeof ev.h.symbol) != 0) {
			k = k + 1 < n ? k + 1 : 0;
			tries++;
		}
		if (tries == n) {
			fprintf(stderr, "tradehost: a bar of unknown symbol %.*s\n", (int)sizeof ev.h.symbol, ev.h.symbol);
			barfile_abort(w);
			return CLI_RUNTIME;
		}
		last = k;
		if (barfile_append(w, k, &ev.u.bar, err, sizeof err) != 0) {
			fprintf(stderr, "tradehost: %s\n", err);
			barfile_abort(w);
			return CLI_RUNTIME;
		}
	}
	if (rc < 0) {
		fprintf(stderr, "tradehost: reading the market failed: %s\n", err);
		barfile_abort(w);
		return CLI_RUNTIME;
	}
	uint64_t bars = barfile_written(w);
	if (barfile_finish(w, err, sizeof err) != 0) {
		fprintf(stderr, "tradehost: %s\n", err);
		return CLI_RUNTIME;
	}
	printf("bars: %llu bars of %zu symbol(s) written to %s in %.2f s", (unsigned long long)bars, n, out, now_s() - t0);
	if (skipped)
		printf(" (%llu intrabar trades/quotes not stored: bar files hold bars only)", (unsigned long long)skipped);
	printf("\n");
	return CLI_OK;
}

static market_source *open_synthetic(const char *config, char **sets, size_t nsets)
{
	host_config hc;
	char err[2048];
	static trading_config tc; /* ~1 MB: static, one conversion per process */
	if (host_config_load(config, environ, sets, nsets, &hc, err, sizeof err) != 0) {
		fprintf(stderr, "tradehost: configuration error: %s\n", err);
		return NULL;
	}
	market_source *src = NULL;
	if (trading_config_load(hc.tree, hc.base_dir, 0, &tc, err, sizeof err) != 0) {
		fprintf(stderr, "tradehost: configuration error: %s\n", err);
	} else if (trading_config_recorded(&tc)) {
		fprintf(stderr, "tradehost: configuration error: --from-synthetic: market.source of %s is not \"synthetic\"\n",
			config);
	} else if (tc.synth.max_bars == 0) {
		fprintf(stderr, "tradehost: configuration error: the synthetic market is endless; set market.bars or --bars N\n");
	} else if (!(src = market_source_synth(&tc.synth, &tc.source_opt, err, sizeof err))) {
		fprintf(stderr, "tradehost: configuration error: %s\n", err);
	}
	host_config_free(&hc);
	return src;
}

static market_source *open_csv(char **specs, size_t n, long long pscale, long long qscale, csv_bars_format fmt)
{
	market_csv_input in[BARS_MAX_CSV];
	memset(in, 0, sizeof in);
	for (size_t i = 0; i < n; i++) {
		const char *eq = strchr(specs[i], '=');
		if (!eq || eq == specs[i] || !eq[1] || (size_t)(eq - specs[i]) >= TH_SYMBOL_MAX) {
			fprintf(stderr, "bars: --from-csv expects SYMBOL=FILE (symbol of at most %d characters), got \"%s\"\n",
				TH_SYMBOL_MAX - 1, specs[i]);
			return NULL;
		}
		in[i].path = eq + 1;
		memcpy(in[i].instrument.symbol, specs[i], (size_t)(eq - specs[i]));
		th_strlcpy(in[i].instrument.venue, "csv", sizeof in[i].instrument.venue); /* not stored in the file */
		in[i].instrument.price_scale = (int32_t)pscale;
		in[i].instrument.qty_scale = (int32_t)qscale;
		in[i].format = fmt;
	}
	char err[1024];
	market_source *src = market_source_csv(in, n, NULL, err, sizeof err);
	if (!src)
		fprintf(stderr, "tradehost: %s\n", err);
	return src;
}

static int cmd_convert(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from-synthetic", no_argument, NULL, OPT_FROM_SYNTH }, { "from-csv", required_argument, NULL, OPT_FROM_CSV },
		{ "config", required_argument, NULL, 'c' }, { "out", required_argument, NULL, OPT_OUT },
		{ "bars", required_argument, NULL, OPT_BARS }, { "seed", required_argument, NULL, OPT_SEED },
		{ "set", required_argument, NULL, OPT_SET }, { "price-scale", required_argument, NULL, OPT_PSCALE },
		{ "qty-scale", required_argument, NULL, OPT_QSCALE }, { "format", required_argument, NULL, OPT_FORMAT },
		{ "help", no_argument, NULL, 'h' }, { 0, 0, 0, 0 },
	};
	const char *config = NULL, *out = NULL;
	char *csv[BARS_MAX_CSV], *sets[64];
	char extra[2][64];
	size_t ncsv = 0, nsets = 0, nextra = 0;
	int synth = 0, c;
	long long pscale = 2, qscale = 4, v;
	csv_bars_format fmt = CSV_BARS_AUTO;
	optind = 0;
	while ((c = getopt_long(argc, argv, "+c:h", opts, NULL)) != -1) {
		switch (c) {
		case OPT_FROM_SYNTH: synth = 1; break;
		case 'c': config = optarg; break;
		case OPT_OUT: out = optarg; break;
		case OPT_FROM_CSV:
			if (ncsv == BARS_MAX_CSV) {
				fprintf(stderr, "bars: at most %d --from-csv files\n", BARS_MAX_CSV);
				return CLI_USAGE;
			}
			csv[ncsv++] = optarg;
			break;
		case OPT_BARS:
		case OPT_SEED:
			if (parse_uint(c == OPT_BARS ? "--bars" : "--seed", optarg, (long long)(INT64_MAX / 2), &v) != 0)
				return CLI_USAGE;
			snprintf(extra[nextra], sizeof extra[nextra], "market.%s=%lld", c == OPT_BARS ? "bars" : "seed", v);
			sets[nsets++] = extra[nextra++];
			break;
		case OPT_SET:
			if (!strchr(optarg, '=') || nsets >= 60) {
				fprintf(stderr, "bars: --set expects section.key=value, got \"%s\"\n", optarg);
				return CLI_USAGE;
			}
			sets[nsets++] = optarg;
			break;
		case OPT_PSCALE:
		case OPT_QSCALE:
			if (parse_uint(c == OPT_PSCALE ? "--price-scale" : "--qty-scale", optarg, 18, c == OPT_PSCALE ? &pscale : &qscale) != 0)
				return CLI_USAGE;
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "auto") == 0)
				fmt = CSV_BARS_AUTO;
			else if (strcmp(optarg, "generic") == 0)
				fmt = CSV_BARS_GENERIC;
			else if (strcmp(optarg, "binance") == 0)
				fmt = CSV_BARS_BINANCE;
			else {
				fprintf(stderr, "bars: --format is auto, generic or binance, got \"%s\"\n", optarg);
				return CLI_USAGE;
			}
			break;
		case 'h': fputs(usage_text, stdout); return CLI_OK;
		default: fprintf(stderr, "Run `tradehost bars --help` for usage.\n"); return CLI_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "bars convert: unexpected argument \"%s\"\n", argv[optind]);
		return CLI_USAGE;
	}
	if (synth == (ncsv > 0)) {
		fprintf(stderr, "bars convert: give either --from-synthetic -c FILE or --from-csv SYMBOL=FILE...\n");
		return CLI_USAGE;
	}
	if (!out) {
		fprintf(stderr, "bars convert: --out FILE.thb is required\n");
		return CLI_USAGE;
	}
	if (synth && !config) {
		fprintf(stderr, "bars convert: --from-synthetic needs -c FILE (the configuration's [market] section)\n");
		return CLI_USAGE;
	}
	if (!synth && (config || nsets)) {
		fprintf(stderr, "bars convert: -c, --bars, --seed and --set go with --from-synthetic\n");
		return CLI_USAGE;
	}
	market_source *src = synth ? open_synthetic(config, sets, nsets) : open_csv(csv, ncsv, pscale, qscale, fmt);
	if (!src)
		return CLI_USAGE;
	int rc = convert(src, out);
	market_source_destroy(src);
	return rc;
}

static void print_time(int64_t ns)
{
	time_t s = (time_t)(ns / 1000000000LL);
	struct tm tm;
	char buf[32];
	if (gmtime_r(&s, &tm) && strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm))
		fputs(buf, stdout);
	else
		printf("%lld ns", (long long)ns);
}

static int cmd_info(int argc, char **argv)
{
	if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		fputs(usage_text, stdout);
		return CLI_OK;
	}
	if (argc != 2) {
		fprintf(stderr, "bars info: expects one FILE.thb\n");
		return CLI_USAGE;
	}
	char err[1024];
	barfile *f = barfile_open(argv[1], err, sizeof err);
	if (!f) {
		fprintf(stderr, "tradehost: %s\n", err);
		return CLI_RUNTIME;
	}
	size_t n;
	const barfile_symbol *syms = barfile_symbols(f, &n);
	printf("file: %s\nversion: %u\nbars: %llu\nsymbols: %zu\n", argv[1], BARFILE_VERSION,
		(unsigned long long)barfile_bar_count(f), n);
	uint64_t *per = calloc(n, sizeof *per);
	if (!per) {
		barfile_close(f);
		fprintf(stderr, "tradehost: out of memory\n");
		return CLI_RUNTIME;
	}
	th_bar bar;
	size_t sym;
	int64_t first = 0, last = 0;
	uint64_t seen = 0;
	int rc;
	while ((rc = barfile_next(f, &sym, &bar, err, sizeof err)) == 1) {
		if (seen++ == 0)
			first = bar.open_time_ns;
		last = bar.open_time_ns + bar.interval_ns;
		per[sym]++;
	}
	for (size_t i = 0; i < n; i++)
		printf("  %-24s price_scale %2d  qty_scale %2d  interval %lld s  %llu bars\n", syms[i].symbol,
			syms[i].price_scale, syms[i].qty_scale, (long long)(syms[i].interval_ns / 1000000000LL),
			(unsigned long long)per[i]);
	if (seen) {
		printf("from: ");
		print_time(first);
		printf("\nto: ");
		print_time(last);
		printf("\n");
	}
	free(per);
	barfile_close(f);
	if (rc < 0) {
		fprintf(stderr, "tradehost: %s\n", err);
		return CLI_RUNTIME;
	}
	printf("check: every block CRC and record is valid\n");
	return CLI_OK;
}

int cli_cmd_bars(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		fputs(usage_text, argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_USAGE : CLI_OK;
	}
	if (strcmp(argv[1], "convert") == 0)
		return cmd_convert(argc - 1, argv + 1);
	if (strcmp(argv[1], "info") == 0)
		return cmd_info(argc - 1, argv + 1);
	fprintf(stderr, "bars: unknown subcommand \"%s\" (convert or info); run `tradehost bars --help`\n", argv[1]);
	return CLI_USAGE;
}
