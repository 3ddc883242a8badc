#include "trading/trading_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/schema.h"
#include "market/barfile.h"
#include "trading/trading_coord.h"

const char *const trading_sections[] = { "market", "capital", "oms", "risk", "backtest", "goals", NULL };

static const th_config_field market_schema[] = {
	{ "source", TH_CONFIG_STRING, 0, "\"synthetic\"", NULL, NULL,
		"synthetic (seeded generator), csv, or barfile (a .thb file from `tradehost bars convert`)" },
	{ "venue", TH_CONFIG_STRING, 0, "\"sim\"", NULL, NULL, "venue instance whose market this is" },
	{ "symbols", TH_CONFIG_STRING_LIST, 0, "[\"BTC-USDT\", \"ETH-USDT\", \"SOL-USDT\"]", NULL, NULL,
		"instruments, BASE-QUOTE" },
	{ "start_prices", TH_CONFIG_STRING_LIST, 0, "[\"65000\", \"3500\", \"150\"]", NULL, NULL,
		"synthetic: first price of each symbol (decimal strings)" },
	{ "price_scale", TH_CONFIG_INT, 0, "2", "0", "12", "fractional digits of prices" },
	{ "qty_scale", TH_CONFIG_INT, 0, "4", "0", "12", "fractional digits of quantities" },
	{ "tick", TH_CONFIG_DECIMAL, 0, "\"0.01\"", NULL, NULL, "price increment" },
	{ "lot", TH_CONFIG_DECIMAL, 0, "\"0.0001\"", NULL, NULL, "quantity increment" },
	{ "volatility", TH_CONFIG_FLOAT, 0, "0.8", "0", "10", "synthetic: annualised volatility" },
	{ "correlation", TH_CONFIG_FLOAT, 0, "0.6", "-0.99", "0.99", "synthetic: pairwise return correlation" },
	{ "seed", TH_CONFIG_INT, 0, "42", "0", NULL, "synthetic: random seed (same seed, same market)" },
	{ "bar_seconds", TH_CONFIG_INT, 0, "60", "1", "86400", "bar interval (synthetic)" },
	{ "bar_ms", TH_CONFIG_INT, 0, "0", "0", "86400000", "bar interval in milliseconds; overrides bar_seconds when > 0" },
	{ "trades_per_bar", TH_CONFIG_INT, 0, "8", "1", "1000", "synthetic: intrabar trades per symbol" },
	{ "intrabar", TH_CONFIG_BOOL, 0, "true", NULL, NULL,
		"synthetic: publish the intrabar trades and quotes (false: bars only, faster backtests)" },
	{ "start", TH_CONFIG_STRING, 0, "\"2026-01-01T00:00:00Z\"", NULL, NULL,
		"backtest: time of the first bar (paper starts now)" },
	{ "bars", TH_CONFIG_INT, 0, "0", "0", NULL, "synthetic: bars to generate (0 = endless; backtests need a limit)" },
	{ "csv_files", TH_CONFIG_STRING_LIST, 0, "[]", NULL, NULL, "csv: one \"SYMBOL=path\" per symbol" },
	{ "path", TH_CONFIG_STRING, 0, "\"\"", NULL, NULL,
		"barfile: the .thb file; its symbols and scales are the market's (symbols and scales here are not used)" },
	{ "resample_seconds", TH_CONFIG_INT, 0, "0", "0", NULL, "resample bars to this timeframe (0 = as is)" },
	{ "mirror_venues", TH_CONFIG_STRING_LIST, 0, "[]", NULL, NULL,
		"more venue instances fed a copy of this market with a small mean-reverting price basis" },
	{ "mirror_basis_bps", TH_CONFIG_FLOAT, 0, "5.0", "0", "1000", "typical size of the mirror venues' basis, bps" },
	TH_CONFIG_END
};

static const th_config_field capital_schema[] = {
	{ "deposit", TH_CONFIG_DECIMAL, 0, "\"100000\"", "0", NULL, "initial master wallet balance" },
	{ "quote", TH_CONFIG_STRING, 0, "\"USDT\"", NULL, NULL, "currency of every wallet" },
	{ "rule", TH_CONFIG_STRING, 0, "\"fixed\"", NULL, NULL,
		"master -> farms: fixed (farm weights), equal, sharpe or invvol (performance-weighted)" },
	{ "rebalance_seconds", TH_CONFIG_INT, 0, "0", "0", NULL, "scheduled rebalancing period (0 = never)" },
	TH_CONFIG_END
};

static const th_config_field farm_schema[] = {
	{ "weight", TH_CONFIG_FLOAT, 0, "1.0", "0", NULL, "share of the master wallet under the fixed rule" },
	{ "rule", TH_CONFIG_STRING, 0, "\"equal\"", NULL, NULL, "farm -> agents: equal, sharpe or invvol" },
	{ "coordination", TH_CONFIG_STRING, 0, "\"independent\"", NULL, NULL,
		"how the farm combines its agents' intents: independent, voting, hierarchical, weighted or emergency" },
	{ "quorum", TH_CONFIG_FLOAT, 0, "0.5", "0", "1", "voting: share of the farm's agents the winning side needs" },
	{ "leader", TH_CONFIG_STRING, 0, "\"\"", NULL, NULL, "hierarchical: the agent whose direction the others follow" },
	TH_CONFIG_END
};

static const th_config_field oms_schema[] = {
	{ "journal_sync", TH_CONFIG_STRING, 0, "\"batch\"", NULL, NULL,
		"batch (group commit: every order is still durable before it is sent) or each (fsync per record)" },
	{ "batch_records", TH_CONFIG_INT, 0, "64", "1", "65536", "group commit: records per fsync at most" },
	{ "batch_delay_us", TH_CONFIG_INT, 0, "1000", "0", "1000000", "group commit: longest wait before an fsync" },
	{ "clid_prefix", TH_CONFIG_STRING, 0, "\"th\"", NULL, NULL, "client order id prefix (at most 8 characters)" },
	{ "market_reserve_bps", TH_CONFIG_INT, 0, "100", "0", "10000",
		"market orders reserve the last price plus this margin" },
	{ "fee_reserve_bps", TH_CONFIG_INT, 0, "10", "0", "10000", "fee budget reserved with each order" },
	TH_CONFIG_END
};

static const th_config_field risk_schema[] = {
	{ "timeout_us", TH_CONFIG_INT, 0, "5000", "0", "10000000",
		"paper/live: a risk plugin check slower than this denies the intent and raises an alert (0 = no limit)" },
	TH_CONFIG_END
};

static const th_config_field backtest_schema[] = {
	{ "out", TH_CONFIG_STRING, 0, "\"reports\"", NULL, NULL, "directory for report.json and report.html" },
	{ "progress", TH_CONFIG_BOOL, 0, "true", NULL, NULL, "show progress on a terminal" },
	TH_CONFIG_END
};

static const th_config_field goal_schema[] = {
	{ "label", TH_CONFIG_STRING, 0, "\"\"", NULL, NULL, "free text shown with the goal" },
	{ "scope", TH_CONFIG_STRING, 1, NULL, NULL, NULL, "agent, farm or host" },
	{ "target", TH_CONFIG_STRING, 0, "\"\"", NULL, NULL, "the agent or farm name (empty for host)" },
	{ "profit", TH_CONFIG_DECIMAL, 0, "\"0\"", "0", NULL, "target profit since the goal started (0 = none)" },
	{ "return_pct", TH_CONFIG_FLOAT, 0, "0", "0", "100000", "target return in % (0 = none)" },
	{ "trades", TH_CONFIG_INT, 0, "0", "0", "100000000", "target number of trades (0 = none)" },
	{ "win_rate_pct", TH_CONFIG_FLOAT, 0, "0", "0", "100", "target win rate in % (0 = none)" },
	{ "max_drawdown_pct", TH_CONFIG_FLOAT, 0, "0", "0", "100", "drawdown ceiling in %: breaching it misses the goal (0 = none)" },
	{ "deadline_seconds", TH_CONFIG_INT, 0, "0", "0", NULL, "deadline after the goal starts (0 = none)" },
	{ "on_hit", TH_CONFIG_STRING_LIST, 0, "[]", NULL, NULL, "actions when hit: collect, pause, set_weight, set_allocation" },
	{ "on_miss", TH_CONFIG_STRING_LIST, 0, "[]", NULL, NULL, "actions when missed: collect, pause, set_weight, set_allocation" },
	{ "set_weight", TH_CONFIG_FLOAT, 0, "0", "0", NULL, "the target's new fixed-rule weight for set_weight" },
	{ "set_allocation", TH_CONFIG_DECIMAL, 0, "\"0\"", "0", NULL, "the target's new allocated capital for set_allocation" },
	TH_CONFIG_END
};

void trading_config_describe(FILE *out, int markdown)
{
	static const struct { const char *header; const th_config_field *schema; } sections[] = {
		{ "[market]", market_schema }, { "[capital]", capital_schema },
		{ "[capital.farms.<farm>]", farm_schema }, { "[oms]", oms_schema }, { "[risk]", risk_schema },
		{ "[backtest]", backtest_schema },
		{ "[[goals]]", goal_schema },
	};
	for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
		fprintf(out, markdown ? "\n### `%s`\n\n" : "%s\n", sections[i].header);
		config_schema_describe(sections[i].schema, out, markdown ? CONFIG_DESCRIBE_MARKDOWN : CONFIG_DESCRIBE_TEXT);
	}
}

static int rule_parse(const char *s, int allow_fixed)
{
	if (allow_fixed && strcmp(s, "fixed") == 0) return 0;
	if (strcmp(s, "equal") == 0) return 1;
	if (strcmp(s, "sharpe") == 0) return 2;
	if (strcmp(s, "invvol") == 0) return 3;
	return -1;
}

/* Parses "2026-01-01T00:00:00Z" (UTC only) into Unix ns. */
static int parse_utc(const char *s, int64_t *out)
{
	int y, mo, d, h, mi, sec;
	char z;
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &sec, &z) != 7 || z != 'Z' || mo < 1 ||
		mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59)
		return -1;
	/* days from civil (proleptic Gregorian) */
	int64_t yy = y - (mo <= 2);
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t yoe = yy - era * 400;
	int64_t doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	int64_t days = era * 146097 + doe - 719468;
	*out = ((days * 24 + h) * 60 + mi) * 60 + sec;
	*out *= 1000000000LL;
	return 0;
}

static int validate_section(const toml_value *root, const char *name, const th_config_field *schema, toml_value **eff,
	char *err, size_t errlen)
{
	char verr[768];
	if (config_validate(toml_table_get(root, name), schema, name, eff, verr, sizeof verr) != TH_OK) {
		snprintf(err, errlen, "%s", verr);
		return -1;
	}
	return 0;
}

/* [market] source = "barfile": the file's header names the instruments and
 * their scales; venue, tick and lot come from this section. The header and
 * the file length are checked now, so a wrong or truncated file is a
 * configuration error naming the file. */
static int load_barfile(const toml_value *m, const char *base_dir, trading_config *c, char *err, size_t errlen)
{
	const char *path;
	config_get_string(m, "path", &path, NULL);
	if (!path[0]) {
		snprintf(err, errlen, "market.path: source = \"barfile\" needs the path of a .thb file");
		return -1;
	}
	if (path[0] == '/')
		snprintf(c->barfile_path, sizeof c->barfile_path, "%s", path);
	else
		snprintf(c->barfile_path, sizeof c->barfile_path, "%s/%s", base_dir, path);
	char ferr[512];
	barfile *f = barfile_open(c->barfile_path, ferr, sizeof ferr);
	if (!f) {
		snprintf(err, errlen, "market.path: %s", ferr);
		return -1;
	}
	size_t n;
	const barfile_symbol *syms = barfile_symbols(f, &n);
	int rc = -1;
	if (n > SYNTH_MAX_SYMBOLS) {
		snprintf(err, errlen, "market.path: %s has %zu symbols; a market has at most %d", c->barfile_path, n,
			SYNTH_MAX_SYMBOLS);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		th_instrument *in = &c->barfile_instruments[i];
		char derr[256];
		memset(in, 0, sizeof *in);
		th_strlcpy(in->venue, c->synth.venue, sizeof in->venue);
		th_strlcpy(in->symbol, syms[i].symbol, sizeof in->symbol);
		const char *dash = strchr(in->symbol, '-');
		if (dash && (size_t)(dash - in->symbol) < sizeof in->base && strlen(dash + 1) < sizeof in->quote) {
			memcpy(in->base, in->symbol, (size_t)(dash - in->symbol));
			th_strlcpy(in->quote, dash + 1, sizeof in->quote);
		}
		in->price_scale = syms[i].price_scale;
		in->qty_scale = syms[i].qty_scale;
		/* tick and lot are read at the file's scales */
		if (config_get_decimal(m, "tick", in->price_scale, &in->tick, derr, sizeof derr) != TH_OK ||
			config_get_decimal(m, "lot", in->qty_scale, &in->lot, derr, sizeof derr) != TH_OK) {
			snprintf(err, errlen, "market: %s (for %s at the file's scales %d/%d)", derr, in->symbol,
				in->price_scale, in->qty_scale);
			goto out;
		}
	}
	c->nbarfile = n;
	c->barfile_bars = barfile_bar_count(f);
	rc = 0;
out:
	barfile_close(f);
	return rc;
}

static int load_market(const toml_value *m, const char *base_dir, int64_t now_ns, trading_config *c, char *err,
	size_t errlen)
{
	const char *s, *symbols[SYNTH_MAX_SYMBOLS + 1], *prices[SYNTH_MAX_SYMBOLS + 1];
	size_t nsym = 0, nprice = 0;
	int64_t pscale, qscale, seed, bar_s, bar_ms, tpb, bars, resample;
	double vol, corr;
	config_get_string(m, "source", &s, NULL);
	if (strcmp(s, "synthetic") != 0 && strcmp(s, "csv") != 0 && strcmp(s, "barfile") != 0) {
		snprintf(err, errlen, "market.source is \"%s\"; expected synthetic, csv or barfile", s);
		return -1;
	}
	c->source_csv = strcmp(s, "csv") == 0;
	c->source_barfile = strcmp(s, "barfile") == 0;
	synth_config_defaults(&c->synth);
	config_get_string(m, "venue", &s, NULL);
	th_strlcpy(c->synth.venue, s, sizeof c->synth.venue);
	config_get_int(m, "price_scale", &pscale);
	config_get_int(m, "qty_scale", &qscale);
	th_price tick = 0;
	th_qty lot = 0;
	char derr[256];
	/* a bar file brings its own scales: its tick and lot are read in load_barfile */
	if (!c->source_barfile && (config_get_decimal(m, "tick", (int)pscale, &tick, derr, sizeof derr) != TH_OK ||
		config_get_decimal(m, "lot", (int)qscale, &lot, derr, sizeof derr) != TH_OK)) {
		snprintf(err, errlen, "market: %s", derr);
		return -1;
	}
	config_get_string_list(m, "symbols", symbols, SYNTH_MAX_SYMBOLS + 1, &nsym);
	config_get_string_list(m, "start_prices", prices, SYNTH_MAX_SYMBOLS + 1, &nprice);
	if (nsym == 0 || nsym > SYNTH_MAX_SYMBOLS) {
		snprintf(err, errlen, "market.symbols: between 1 and %d symbols", SYNTH_MAX_SYMBOLS);
		return -1;
	}
	config_get_double(m, "volatility", &vol);
	config_get_double(m, "correlation", &corr);
	config_get_int(m, "seed", &seed);
	config_get_int(m, "bar_seconds", &bar_s);
	config_get_int(m, "bar_ms", &bar_ms);
	config_get_int(m, "trades_per_bar", &tpb);
	config_get_int(m, "bars", &bars);
	config_get_int(m, "resample_seconds", &resample);
	c->synth.seed = (uint64_t)seed;
	c->synth.bar_interval_ns = bar_ms > 0 ? bar_ms * 1000000LL : bar_s * 1000000000LL;
	c->synth.trades_per_bar = (uint32_t)tpb;
	c->synth.max_bars = (uint64_t)bars;
	bool intrabar = true;
	config_get_bool(m, "intrabar", &intrabar);
	c->synth.bars_only = !intrabar;
	c->synth.common_correlation = corr;
	if (now_ns > 0) {
		c->synth.start_time_ns = now_ns - now_ns % c->synth.bar_interval_ns;
	} else {
		config_get_string(m, "start", &s, NULL);
		if (parse_utc(s, &c->synth.start_time_ns) != 0) {
			snprintf(err, errlen, "market.start \"%s\" is not a UTC time like 2026-01-01T00:00:00Z", s);
			return -1;
		}
	}
	c->source_opt.resample_ns = resample * 1000000000LL;
	const char *mirrors[5];
	size_t nm = 0;
	config_get_string_list(m, "mirror_venues", mirrors, 5, &nm);
	if (nm > 4) {
		snprintf(err, errlen, "market.mirror_venues: at most 4 venues");
		return -1;
	}
	for (size_t i = 0; i < nm; i++) {
		if (strlen(mirrors[i]) == 0 || strlen(mirrors[i]) >= TH_VENUE_MAX || strcmp(mirrors[i], c->synth.venue) == 0) {
			snprintf(err, errlen, "market.mirror_venues[%zu] \"%s\" must be another venue instance name", i, mirrors[i]);
			return -1;
		}
		th_strlcpy(c->mirror_venues[i], mirrors[i], sizeof c->mirror_venues[i]);
	}
	c->nmirrors = nm;
	config_get_double(m, "mirror_basis_bps", &c->mirror_basis_bps);
	if (c->source_barfile)
		return load_barfile(m, base_dir, c, err, errlen);
	if (!c->source_csv && nprice != nsym) {
		snprintf(err, errlen, "market.start_prices has %zu entries for %zu symbols", nprice, nsym);
		return -1;
	}
	for (size_t i = 0; i < nsym; i++) {
		th_price start = 0;
		char base[TH_ASSET_MAX] = "", quote[TH_ASSET_MAX] = "";
		const char *dash = strchr(symbols[i], '-');
		if (!dash || dash == symbols[i] || !dash[1] || (size_t)(dash - symbols[i]) >= sizeof base ||
			strlen(dash + 1) >= sizeof quote) {
			snprintf(err, errlen, "market.symbols: \"%s\" is not BASE-QUOTE", symbols[i]);
			return -1;
		}
		memcpy(base, symbols[i], (size_t)(dash - symbols[i]));
		th_strlcpy(quote, dash + 1, sizeof quote);
		if (!c->source_csv && th_fixed_parse(prices[i], strlen(prices[i]), (int)pscale, &start) != 0) {
			snprintf(err, errlen, "market.start_prices[%zu] \"%s\" is not a decimal with at most %lld digits",
				i, prices[i], (long long)pscale);
			return -1;
		}
		synth_symbol_config *sc = synth_config_add_symbol(&c->synth, symbols[i], (int32_t)pscale, (int32_t)qscale,
			start, tick, lot);
		if (!sc) {
			snprintf(err, errlen, "market.symbols: cannot add \"%s\"", symbols[i]);
			return -1;
		}
		th_strlcpy(sc->base, base, sizeof sc->base);
		th_strlcpy(sc->quote, quote, sizeof sc->quote);
		sc->volatility = vol;
	}
	if (c->source_csv) {
		const char *files[SYNTH_MAX_SYMBOLS + 1];
		size_t nfiles = 0;
		config_get_string_list(m, "csv_files", files, SYNTH_MAX_SYMBOLS + 1, &nfiles);
		if (nfiles != nsym) {
			snprintf(err, errlen, "market.csv_files needs one \"SYMBOL=path\" per symbol (%zu symbols, %zu files)",
				nsym, nfiles);
			return -1;
		}
		for (size_t i = 0; i < nfiles; i++) {
			const char *eq = strchr(files[i], '=');
			size_t k;
			for (k = 0; k < nsym; k++)
				if (eq && strlen(c->synth.symbols[k].symbol) == (size_t)(eq - files[i]) &&
					strncmp(c->synth.symbols[k].symbol, files[i], (size_t)(eq - files[i])) == 0)
					break;
			if (!eq || k == nsym) {
				snprintf(err, errlen, "market.csv_files[%zu] \"%s\" is not SYMBOL=path for a listed symbol", i,
					files[i]);
				return -1;
			}
			if (eq[1] == '/')
				snprintf(c->csv_paths[i], sizeof c->csv_paths[i], "%s", eq + 1);
			else
				snprintf(c->csv_paths[i], sizeof c->csv_paths[i], "%s/%s", base_dir, eq + 1);
			market_csv_input *in = &c->csv[i];
			memset(in, 0, sizeof *in);
			in->path = c->csv_paths[i];
			th_strlcpy(in->instrument.venue, c->synth.venue, sizeof in->instrument.venue);
			th_strlcpy(in->instrument.symbol, c->synth.symbols[k].symbol, sizeof in->instrument.symbol);
			in->instrument.price_scale = (int32_t)pscale;
			in->instrument.qty_scale = (int32_t)qscale;
			in->instrument.tick = tick;
			in->instrument.lot = lot;
		}
		c->ncsv = nfiles;
	} else if (synth_config_validate(&c->synth, err, errlen) != 0) {
		return -1;
	}
	return 0;
}

static int load_capital(const toml_value *cap_raw, const toml_value *cap, trading_config *c, char *err, size_t errlen)
{
	const char *s;
	int64_t reb;
	char derr[256];
	if (config_get_decimal(cap, "deposit", TH_MONEY_SCALE, &c->deposit, derr, sizeof derr) != TH_OK) {
		snprintf(err, errlen, "capital: %s", derr);
		return -1;
	}
	config_get_string(cap, "quote", &s, NULL);
	th_strlcpy(c->quote, s, sizeof c->quote);
	config_get_string(cap, "rule", &s, NULL);
	if ((c->master_rule = rule_parse(s, 1)) < 0) {
		snprintf(err, errlen, "capital.rule is \"%s\"; expected fixed, equal, sharpe or invvol", s);
		return -1;
	}
	config_get_int(cap, "rebalance_seconds", &reb);
	c->rebalance_ns = reb * 1000000000LL;
	const toml_value *farms = cap_raw ? toml_table_get(cap_raw, "farms") : NULL;
	for (size_t i = 0; farms && i < toml_table_size(farms); i++) {
		size_t klen;
		const char *name = toml_table_key_at(farms, i, &klen);
		if (c->nfarms == TRADING_MAX_FARMS || klen >= TH_NAME_MAX) {
			snprintf(err, errlen, "capital.farms: at most %d farms with names under %d characters",
				TRADING_MAX_FARMS, TH_NAME_MAX);
			return -1;
		}
		char where[96];
		snprintf(where, sizeof where, "capital.farms.%.*s", (int)klen, name);
		toml_value *eff = NULL;
		char verr[768];
		if (config_validate(toml_table_value_at(farms, i), farm_schema, where, &eff, verr, sizeof verr) != TH_OK) {
			snprintf(err, errlen, "%s", verr);
			return -1;
		}
		trading_farm_cfg *f = &c->farms[c->nfarms++];
		memcpy(f->name, name, klen);
		f->name[klen] = '\0';
		config_get_double(eff, "weight", &f->weight);
		config_get_string(eff, "rule", &s, NULL);
		f->rule = rule_parse(s, 0);
		if (f->rule < 0) {
			snprintf(err, errlen, "%s.rule is \"%s\"; expected equal, sharpe or invvol", where, s);
			toml_free(eff);
			return -1;
		}
		config_get_string(eff, "coordination", &s, NULL);
		f->coordination = coord_mode_parse(s);
		if (f->coordination < 0) {
			snprintf(err, errlen, "%s.coordination is \"%s\"; expected independent, voting, hierarchical, "
				"weighted or emergency", where, s);
			toml_free(eff);
			return -1;
		}
		config_get_double(eff, "quorum", &f->quorum);
		config_get_string(eff, "leader", &s, NULL);
		th_strlcpy(f->leader, s, sizeof f->leader);
		toml_free(eff);
		if (f->coordination == COORD_HIERARCHICAL && !f->leader[0]) {
			snprintf(err, errlen, "%s.leader is required with coordination = \"hierarchical\"", where);
			return -1;
		}
	}
	return 0;
}

static int parse_actions(const toml_value *g, const char *key, const char *where, goals_actions *a, double weight,
	th_money amount, char *err, size_t errlen)
{
	const char *names[8];
	size_t n = 0;
	config_get_string_list(g, key, names, 8, &n);
	memset(a, 0, sizeof *a);
	for (size_t i = 0; i < n && i < 8; i++) {
		if (strcmp(names[i], "collect") == 0)
			a->flags |= GOALS_ACT_COLLECT;
		else if (strcmp(names[i], "pause") == 0)
			a->flags |= GOALS_ACT_PAUSE;
		else if (strcmp(names[i], "set_weight") == 0)
			a->flags |= GOALS_ACT_SET_WEIGHT;
		else if (strcmp(names[i], "set_allocation") == 0)
			a->flags |= GOALS_ACT_SET_AMOUNT;
		else {
			snprintf(err, errlen, "%s.%s: unknown action \"%s\" (accepted: collect, pause, set_weight, "
				"set_allocation)", where, key, names[i]);
			return -1;
		}
	}
	a->weight = weight;
	a->amount = amount;
	return 0;
}

static int load_goals(const toml_value *root, trading_config *c, char *err, size_t errlen)
{
	const toml_value *list = toml_table_get(root, "goals");
	if (!list)
		return 0;
	if (toml_type_of(list) != TOML_ARRAY || toml_array_len(list) > TRADING_MAX_GOALS) {
		snprintf(err, errlen, "goals must be an array of tables ([[goals]]), at most %d", TRADING_MAX_GOALS);
		return -1;
	}
	for (size_t i = 0; i < toml_array_len(list); i++) {
		char where[32], verr[768];
		toml_value *g = NULL;
		snprintf(where, sizeof where, "goals[%zu]", i);
		if (config_validate(toml_array_at(list, i), goal_schema, where, &g, verr, sizeof verr) != TH_OK) {
			snprintf(err, errlen, "%s", verr);
			return -1;
		}
		trading_goal_cfg *gc = &c->goals[c->ngoals];
		goals_spec *sp = &gc->spec;
		memset(gc, 0, sizeof *gc);
		const char *s;
		double d, weight;
		int64_t v;
		th_money amount;
		int rc = -1;
		config_get_string(g, "label", &s, NULL);
		th_strlcpy(sp->label, s, sizeof sp->label);
		config_get_string(g, "scope", &s, NULL);
		sp->scope = strcmp(s, "agent") == 0 ? GOALS_SCOPE_AGENT : strcmp(s, "farm") == 0 ? GOALS_SCOPE_FARM
			: strcmp(s, "host") == 0 ? GOALS_SCOPE_HOST : 0;
		if (!sp->scope) {
			snprintf(err, errlen, "%s.scope is \"%s\"; expected agent, farm or host", where, s);
			goto next;
		}
		config_get_string(g, "target", &s, NULL);
		th_strlcpy(sp->target, s, sizeof sp->target);
		if (config_get_decimal(g, "profit", TH_MONEY_SCALE, &sp->profit, verr, sizeof verr) != TH_OK) {
			snprintf(err, errlen, "%s: %s", where, verr);
			goto next;
		}
		if (sp->profit > 0)
			sp->criteria |= GOALS_PROFIT;
		config_get_double(g, "return_pct", &d);
		if (d > 0) { /* percentages are configuration ratios, kept in basis points */
			sp->return_bps = (int64_t)(d * 100 + 0.5);
			sp->criteria |= GOALS_RETURN;
		}
		config_get_int(g, "trades", &v);
		if (v > 0) {
			sp->trades = (uint32_t)v;
			sp->criteria |= GOALS_TRADES;
		}
		config_get_double(g, "win_rate_pct", &d);
		if (d > 0) {
			sp->win_rate_bps = (int64_t)(d * 100 + 0.5);
			sp->criteria |= GOALS_WIN_RATE;
		}
		config_get_double(g, "max_drawdown_pct", &d);
		if (d > 0) {
			sp->max_drawdown_bps = (int64_t)(d * 100 + 0.5);
			sp->criteria |= GOALS_DRAWDOWN;
		}
		config_get_int(g, "deadline_seconds", &v);
		if (v > 0) {
			sp->deadline_ns = v * 1000000000LL; /* relative here; made absolute at creation */
			sp->criteria |= GOALS_DEADLINE;
		}
		config_get_double(g, "set_weight", &weight);
		if (config_get_decimal(g, "set_allocation", TH_MONEY_SCALE, &amount, verr, sizeof verr) != TH_OK) {
			snprintf(err, errlen, "%s: %s", where, verr);
			goto next;
		}
		if (parse_actions(g, "on_hit", where, &gc->on_hit, weight, amount, err, errlen) != 0 ||
			parse_actions(g, "on_miss", where, &gc->on_miss, weight, amount, err, errlen) != 0)
			goto next;
		c->ngoals++;
		rc = 0;
	next:
		toml_free(g);
		if (rc != 0)
			return -1;
	}
	return 0;
}

int trading_config_load(const toml_value *root, const char *base_dir, int64_t now_ns, trading_config *out, char *err,
	size_t errlen)
{
	toml_value *m = NULL, *cap = NULL, *oms = NULL, *bt = NULL, *risk = NULL;
	int rc = -1;
	memset(out, 0, sizeof *out);
	/* [capital] holds a nested farms table the flat schema does not know. */
	const toml_value *cap_raw = toml_table_get(root, "capital");
	toml_value *cap_flat = cap_raw ? toml_clone(cap_raw) : NULL;
	if (cap_flat)
		toml_table_remove(cap_flat, "farms", 5);
	char verr[768];
	if (validate_section(root, "market", market_schema, &m, err, errlen) != 0 ||
		config_validate(cap_flat, capital_schema, "capital", &cap, verr, sizeof verr) != TH_OK ||
		validate_section(root, "oms", oms_schema, &oms, err, errlen) != 0 ||
		validate_section(root, "backtest", backtest_schema, &bt, err, errlen) != 0 ||
		validate_section(root, "risk", risk_schema, &risk, err, errlen) != 0) {
		if (!cap)
			snprintf(err, errlen, "%s", verr);
		goto out;
	}
	if (load_market(m, base_dir, now_ns, out, err, errlen) != 0 || load_capital(cap_raw, cap, out, err, errlen) != 0 ||
		load_goals(root, out, err, errlen) != 0)
		goto out;
	const char *s;
	int64_t v;
	config_get_string(oms, "journal_sync", &s, NULL);
	if (strcmp(s, "batch") != 0 && strcmp(s, "each") != 0) {
		snprintf(err, errlen, "oms.journal_sync is \"%s\"; expected batch or each", s);
		goto out;
	}
	out->journal_each = strcmp(s, "each") == 0;
	config_get_int(oms, "batch_records", &v);
	out->batch_records = (uint32_t)v;
	config_get_int(oms, "batch_delay_us", &out->batch_delay_us);
	config_get_string(oms, "clid_prefix", &s, NULL);
	if (strlen(s) == 0 || strlen(s) > 8) {
		snprintf(err, errlen, "oms.clid_prefix \"%s\" must be 1 to 8 characters", s);
		goto out;
	}
	th_strlcpy(out->clid_prefix, s, sizeof out->clid_prefix);
	config_get_int(oms, "market_reserve_bps", &out->market_reserve_bps);
	config_get_int(oms, "fee_reserve_bps", &out->fee_reserve_bps);
	config_get_int(risk, "timeout_us", &v);
	out->risk_timeout_ns = v * 1000;
	config_get_string(bt, "out", &s, NULL);
	if (s[0] == '/')
		snprintf(out->out_dir, sizeof out->out_dir, "%s", s);
	else
		snprintf(out->out_dir, sizeof out->out_dir, "%s/%s", base_dir, s);
	bool b;
	config_get_bool(bt, "progress", &b);
	out->progress = b;
	rc = 0;
out:
	toml_free(m);
	toml_free(cap);
	toml_free(cap_flat);
	toml_free(oms);
	toml_free(bt);
	toml_free(risk);
	return rc;
}

int trading_config_window(trading_config *c, const char *from, const char *to, char *err, size_t errlen)
{
	int64_t f = 0, t = 0;
	if (from && parse_utc(from, &f) != 0) {
		snprintf(err, errlen, "--from \"%s\" is not a UTC time like 2026-01-01T00:00:00Z", from);
		return -1;
	}
	if (to && parse_utc(to, &t) != 0) {
		snprintf(err, errlen, "--to \"%s\" is not a UTC time like 2026-01-01T00:00:00Z", to);
		return -1;
	}
	if (from && to && t <= f) {
		snprintf(err, errlen, "--to must be later than --from");
		return -1;
	}
	c->source_opt.from_ns = f;
	c->source_opt.to_ns = t;
	if (from && !trading_config_recorded(c))
		c->synth.start_time_ns = f - f % c->synth.bar_interval_ns;
	return 0;
}

int trading_config_recorded(const trading_config *c)
{
	return c->source_csv || c->source_barfile;
}

market_source *trading_config_open_source(const trading_config *c, char *err, size_t errlen)
{
	if (c->source_barfile)
		return market_source_barfile(c->barfile_path, c->barfile_instruments, c->nbarfile, &c->source_opt, err,
			errlen);
	if (c->source_csv)
		return market_source_csv(c->csv, c->ncsv, &c->source_opt, err, errlen);
	return market_source_synth(&c->synth, &c->source_opt, err, errlen);
}

int trading_config_first_time(const trading_config *c, int64_t *out, char *err, size_t errlen)
{
	market_source *src = trading_config_open_source(c, err, errlen);
	static th_event ev;
	if (!src)
		return -1;
	int rc = market_source_next(src, &ev, err, errlen);
	market_source_destroy(src);
	if (rc < 0)
		return -1;
	*out = rc == 1 ? ev.h.ts_ns : 0;
	return 0;
}
