/*
 * cli/cmd_indicator.c — `tradehost indicator NAME[:PARAM,...] < ohlcv.csv`.
 *
 * Reads `timestamp,open,high,low,close,volume` rows from stdin, feeds each bar to one
 * streaming indicator of the SDK library (th_ta.h), and writes `timestamp,<outputs>` rows to
 * stdout: empty cells while the indicator is not ready, numbers printed with %.10g (10
 * significant digits: enough to compare runs, short enough to read). The timestamp is copied
 * verbatim, so any format works as long as it has no comma.
 *
 * The indicator table below is the single place that knows each indicator's name,
 * parameters, defaults, inputs and output columns; --help is generated from it.
 * Exit codes: 0 ok, 2 bad usage / bad parameter / bad CSV (the message names the line and
 * column), 1 I/O failure or out of memory.
 */
#include "cli/cmd_indicator.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <tradehost/th_ta.h>

#define IND_EXIT_OK 0
#define IND_EXIT_FAIL 1
#define IND_EXIT_USAGE 2

#define IND_MAX_PARAMS 3
#define IND_MAX_OUT 3

static const char ind_header[] = "timestamp,open,high,low,close,volume";

/* One parsed CSV bar. */
typedef struct ind_bar {
	double open, high, low, close, volume;
} ind_bar;

/* Every indicator's state; the table's callbacks pick their member. */
typedef union ind_state {
	th_ta_sma sma;
	th_ta_ema ema;
	th_ta_smma smma;
	th_ta_wma wma;
	th_ta_rsi rsi;
	th_ta_atr atr;
	th_ta_bbands bbands;
	th_ta_macd macd;
	th_ta_stoch stoch;
	th_ta_adx adx;
	th_ta_donchian donchian;
	th_ta_stddev stddev;
	th_ta_zscore zscore;
	th_ta_vwap vwap;
	th_ta_linreg linreg;
	th_ta_zigzag zigzag;
} ind_state;

typedef enum ind_param_kind { IND_INT, IND_REAL } ind_param_kind;

typedef struct ind_param {
	const char *name;
	ind_param_kind kind;
	double def;
} ind_param;

typedef struct ind_spec {
	const char *name;
	const char *alias; /* or NULL */
	const char *summary;
	const char *inputs;  /* which CSV columns feed it (for --help) */
	const char *columns; /* output header, comma separated; nout of them */
	size_t nparams, nout;
	ind_param params[IND_MAX_PARAMS];
	int (*init)(ind_state *st, const double *p, th_ta_error *err);
	/* 1: out[0..nout-1] valid; 0: not ready; < 0: th_ta error code */
	int (*update)(ind_state *st, const ind_bar *b, double *out);
	void (*release)(ind_state *st);
	const char *note; /* extra --help line, or NULL */
} ind_spec;

/* ---- adapters from the generic table to each indicator's API ---- */

static uint32_t ind_u32(double v)
{
	return (uint32_t)v; /* parameters were range-checked as integers by the parser */
}

#define IND_SIMPLE(NAME)                                                                      \
	static int ind_##NAME##_init(ind_state *st, const double *p, th_ta_error *err)         \
	{                                                                                      \
		return th_ta_##NAME##_init(&st->NAME, ind_u32(p[0]), err);                         \
	}                                                                                      \
	static int ind_##NAME##_update(ind_state *st, const ind_bar *b, double *out)           \
	{                                                                                      \
		return th_ta_##NAME##_update(&st->NAME, b->close, out);                            \
	}                                                                                      \
	static void ind_##NAME##_release(ind_state *st)                                        \
	{                                                                                      \
		th_ta_##NAME##_free(&st->NAME);                                                    \
	}

IND_SIMPLE(sma)
IND_SIMPLE(ema)
IND_SIMPLE(smma)
IND_SIMPLE(wma)
IND_SIMPLE(rsi)
IND_SIMPLE(stddev)
IND_SIMPLE(zscore)
IND_SIMPLE(linreg)

static int ind_atr_init(ind_state *st, const double *p, th_ta_error *err)
{
	return th_ta_atr_init(&st->atr, ind_u32(p[0]), err);
}

static int ind_atr_update(ind_state *st, const ind_bar *b, double *out)
{
	return th_ta_atr_update(&st->atr, b->high, b->low, b->close, out);
}

static void ind_atr_release(ind_state *st)
{
	th_ta_atr_free(&st->atr);
}

static int ind_bbands_init(ind_state *st, const double *p, th_ta_error *err)
{
	return th_ta_bbands_init(&st->bbands, ind_u32(p[0]), p[1], err);
}

static int ind_bbands_update(ind_state *st, const ind_bar *b, double *out)
{
	th_ta_bands o;
	int rc = th_ta_bbands_update(&st->bbands, b->close, &o);
	if (rc == 1) {
		out[0] = o.upper;
		out[1] = o.middle;
		out[2] = o.lower;
	}
	return rc;
}

static void ind_bbands_release(ind_state *st)
{
	th_ta_bbands_free(&st->bbands);
}

static int ind_macd_init(ind_state *st, const double *p, th_ta_error *err)
{
	return th_ta_macd_init(&st->macd, ind_u32(p[0]), ind_u32(p[1]), ind_u32(p[2]), err);
}

static int ind_macd_update(ind_state *st, const ind_bar *b, double *out)
{
	th_ta_macd_out o;
	int rc = th_ta_macd_update(&st->macd, b->close, &o);
	if (rc == 1) {
		out[0] = o.macd;
		out[1] = o.signal;
		out[2] = o.hist;
	}
	return rc;
}

static void ind_macd_release(ind_state *st)
{
	th_ta_macd_free(&st->macd);
}

static int ind_stoch_init(ind_state *st, const double *p, th_ta_error *err)
{
	return th_ta_stoch_init(&st->stoch, ind_u32(p[0]), ind_u32(p[1]), ind_u32(p[2]), err);
}

static int ind_stoch_update(ind_state *st, const ind_bar *b, double *out)
{
	th_ta_stoch_out o;
	int rc = th_ta_stoch_update(&st->stoch, b->high, b->low, b->close, &o);
	if (rc == 1) {
		out[0] = o.k;
		out[1] = o.d;
	}
	return rc;
}

static void ind_stoch_release(ind_state *st)
{
	th_ta_stoch_free(&st->stoch);
}

static int ind_adx_init(ind_state *st, const double *p, th_ta_error *err)
{
	return th_ta_adx_init(&st->adx, ind_u32(p[0]), err);
}

static int ind_adx_update(ind_state *st, const ind_bar *b, double *out)
{
	th_ta_adx_out o;
	int rc = th_ta_adx_update(&st->adx, b->high, b->low, b->close, &o);
	if (rc == 1) {
		out[0] = o.adx;
		out[1] = o.plus_di;
		out[2] = o.minus_di;
	}
	return rc;
}

static void ind_adx_release(ind_state *st)
{
	th_ta_adx_free(&st->adx);
}

static int ind_donchian_init(ind_state *st, const double *p, th_ta_error *err)
{
	return th_ta_donchian_init(&st->donchian, ind_u32(p[0]), err);
}

static int ind_donchian_update(ind_state *st, const ind_bar *b, double *out)
{
	th_ta_bands o;
	int rc = th_ta_donchian_update(&st->donchian, b->high, b->low, &o);
	if (rc == 1) {
		out[0] = o.upper;
		out[1] = o.middle;
		out[2] = o.lower;
	}
	return rc;
}

static void ind_donchian_release(ind_state *st)
{
	th_ta_donchian_free(&st->donchian);
}

static int ind_vwap_init(ind_state *st, const double *p, th_ta_error *err)
{
	return th_ta_vwap_init(&st->vwap, ind_u32(p[0]), err);
}

static int ind_vwap_update(ind_state *st, const ind_bar *b, double *out)
{
	return th_ta_vwap_update(&st->vwap, b->high, b->low, b->close, b->volume, out);
}

static void ind_vwap_release(ind_state *st)
{
	th_ta_vwap_free(&st->vwap);
}

static int ind_zigzag_init(ind_state *st, const double *p, th_ta_error *err)
{
	return th_ta_zigzag_init(&st->zigzag, p[0], err);
}

static int ind_zigzag_update(ind_state *st, const ind_bar *b, double *out)
{
	th_ta_zigzag_pivot pv;
	int rc = th_ta_zigzag_update(&st->zigzag, b->high, b->low, &pv);
	if (rc == 1) {
		out[0] = (double)pv.index;
		out[1] = (double)pv.kind;
		out[2] = pv.price;
	}
	return rc;
}

static void ind_zigzag_release(ind_state *st)
{
	th_ta_zigzag_free(&st->zigzag);
}

#define P_INT(n, d) { n, IND_INT, d }
#define P_REAL(n, d) { n, IND_REAL, d }
#define IND_FNS(x) ind_##x##_init, ind_##x##_update, ind_##x##_release

static const ind_spec ind_table[] = {
	{ "sma", NULL, "simple moving average", "close", "sma", 1, 1, { P_INT("period", 20) },
	  IND_FNS(sma) },
	{ "ema", NULL, "exponential moving average, seeded with the SMA", "close", "ema", 1, 1,
	  { P_INT("period", 20) }, IND_FNS(ema) },
	{ "smma", "rma", "Wilder's smoothed moving average", "close", "smma", 1, 1,
	  { P_INT("period", 14) }, IND_FNS(smma) },
	{ "wma", NULL, "linearly weighted moving average", "close", "wma", 1, 1,
	  { P_INT("period", 20) }, IND_FNS(wma) },
	{ "rsi", NULL, "relative strength index (Wilder)", "close", "rsi", 1, 1,
	  { P_INT("period", 14) }, IND_FNS(rsi) },
	{ "atr", NULL, "average true range", "high,low,close", "atr", 1, 1, { P_INT("period", 14) },
	  IND_FNS(atr) },
	{ "bbands", NULL, "Bollinger bands: SMA +- k population standard deviations", "close",
	  "upper,middle,lower", 2, 3, { P_INT("period", 20), P_REAL("k", 2) }, IND_FNS(bbands) },
	{ "macd", NULL, "MACD line, signal line and histogram", "close", "macd,signal,hist", 3, 3,
	  { P_INT("fast", 12), P_INT("slow", 26), P_INT("signal", 9) }, IND_FNS(macd) },
	{ "stoch", NULL, "slow stochastic %K and %D", "high,low,close", "k,d", 3, 2,
	  { P_INT("k_period", 14), P_INT("k_smooth", 3), P_INT("d_period", 3) }, IND_FNS(stoch) },
	{ "adx", NULL, "average directional index with +DI and -DI", "high,low,close",
	  "adx,plus_di,minus_di", 1, 3, { P_INT("period", 14) }, IND_FNS(adx) },
	{ "donchian", NULL, "Donchian channel: highest high, midpoint, lowest low", "high,low",
	  "upper,middle,lower", 1, 3, { P_INT("period", 20) }, IND_FNS(donchian) },
	{ "stddev", NULL, "rolling population standard deviation", "close", "stddev", 1, 1,
	  { P_INT("period", 20) }, IND_FNS(stddev) },
	{ "zscore", NULL, "rolling z-score of close", "close", "zscore", 1, 1,
	  { P_INT("period", 20) }, IND_FNS(zscore) },
	{ "vwap", NULL, "volume-weighted typical price; period 0 = cumulative from the first row",
	  "high,low,close,volume", "vwap", 1, 1, { P_INT("period", 0) }, IND_FNS(vwap) },
	{ "linreg_slope", "slope", "least-squares slope per bar", "close", "slope", 1, 1,
	  { P_INT("period", 14) }, IND_FNS(linreg) },
	{ "zigzag", NULL, "zig-zag pivots, each confirmed by a reversal of pct percent", "high,low",
	  "pivot_row,pivot_kind,pivot_price", 1, 3, { P_REAL("pct", 5) }, IND_FNS(zigzag),
	  "a row has values when it confirms a pivot: pivot_row = the pivot's 0-based data\n"
	  "                     row, pivot_kind = 1 (high) or -1 (low)" },
};

#define IND_COUNT (sizeof ind_table / sizeof ind_table[0])

/* ---- help ---- */

static void ind_usage(FILE *out)
{
	fputs("Usage: tradehost indicator NAME[:PARAM,...] < ohlcv.csv\n"
	      "\n"
	      "Run one streaming indicator of the SDK library over bars read from standard input\n"
	      "and write the series to standard output, both as CSV.\n"
	      "\n"
	      "Input:  the header line 'timestamp,open,high,low,close,volume', then one bar per\n"
	      "        line, oldest first. The timestamp is copied verbatim (any text without a\n"
	      "        comma); the other fields are decimal numbers, high >= low, volume >= 0.\n"
	      "        Empty lines are skipped; CRLF line ends are accepted.\n"
	      "Output: 'timestamp,<columns>' and one line per bar. A cell is empty while the\n"
	      "        indicator warms up (or has no value for that bar). Numbers are printed\n"
	      "        with printf's %.10g: 10 significant digits.\n"
	      "\n"
	      "Parameters are positional and comma-separated; a missing or empty one takes its\n"
	      "default (\"macd:,,5\" is macd 12,26,5). Names are case-insensitive.\n"
	      "Definitions, seeds and warm-up lengths follow TA-Lib; see tradehost/th_ta.h.\n"
	      "\n"
	      "Indicators (with their defaults):\n",
	      out);
	for (size_t i = 0; i < IND_COUNT; i++) {
		const ind_spec *s = &ind_table[i];
		char sig[64], names[96];
		int n = snprintf(sig, sizeof sig, "%s", s->name);
		int m = snprintf(names, sizeof names, "%s", "");
		for (size_t k = 0; k < s->nparams; k++) {
			n += snprintf(sig + n, sizeof sig - (size_t)n, "%s%g", k ? "," : ":", s->params[k].def);
			m += snprintf(names + m, sizeof names - (size_t)m, "%s%s", k ? ", " : "",
			              s->params[k].name);
		}
		fprintf(out, "  %-18s %s%s%s\n", sig, s->summary, s->alias ? "; alias " : "",
		        s->alias ? s->alias : "");
		fprintf(out, "  %-18s params: %s; reads %s; columns %s\n", "", names, s->inputs,
		        s->columns);
		if (s->note != NULL)
			fprintf(out, "  %-18s %s\n", "", s->note);
	}
	fputs("\n"
	      "Exit status: 0 success; 2 unknown indicator, bad parameter or bad CSV (the message\n"
	      "names the line and column; rows before it have been written); 1 read/write failure.\n"
	      "Example: tradehost indicator bbands:20,2 < btc-1h.csv > bbands.csv\n",
	      out);
}

/* ---- NAME[:PARAM,...] ---- */

static const ind_spec *ind_find(const char *name, size_t len)
{
	for (size_t i = 0; i < IND_COUNT; i++) {
		const ind_spec *s = &ind_table[i];
		if ((strlen(s->name) == len && strncasecmp(s->name, name, len) == 0) ||
		    (s->alias != NULL && strlen(s->alias) == len && strncasecmp(s->alias, name, len) == 0))
			return s;
	}
	return NULL;
}

/* Parse one parameter's text (not empty). Integers: decimal digits only, <= UINT32_MAX (the
 * library then checks its own range and names the parameter). Reals: finite decimals. */
static int ind_parse_param(const ind_spec *s, size_t k, const char *text, double *out)
{
	const ind_param *p = &s->params[k];
	char *end;

	if (p->kind == IND_INT) {
		if (strspn(text, "0123456789") != strlen(text)) {
			fprintf(stderr, "tradehost indicator: %s parameter %zu (%s) must be a whole number, "
			                "got '%s'\n", s->name, k + 1, p->name, text);
			return -1;
		}
		errno = 0;
		unsigned long long v = strtoull(text, &end, 10);
		if (errno != 0 || v > UINT32_MAX) {
			fprintf(stderr, "tradehost indicator: %s parameter %zu (%s) is too large: '%s'\n",
			        s->name, k + 1, p->name, text);
			return -1;
		}
		*out = (double)v;
		return 0;
	}
	errno = 0;
	double v = strtod(text, &end);
	if (end == text || *end != '\0' || errno == ERANGE || !isfinite(v)) {
		fprintf(stderr, "tradehost indicator: %s parameter %zu (%s) must be a finite number, "
		                "got '%s'\n", s->name, k + 1, p->name, text);
		return -1;
	}
	*out = v;
	return 0;
}

static const ind_spec *ind_parse_spec(const char *arg, double *params)
{
	const char *colon = strchr(arg, ':');
	size_t name_len = colon ? (size_t)(colon - arg) : strlen(arg);
	const ind_spec *s = ind_find(arg, name_len);

	if (s == NULL) {
		fprintf(stderr, "tradehost indicator: unknown indicator '%.*s'; known: ", (int)name_len, arg);
		for (size_t i = 0; i < IND_COUNT; i++)
			fprintf(stderr, "%s%s", i ? ", " : "", ind_table[i].name);
		fputs("\nTry 'tradehost indicator --help'.\n", stderr);
		return NULL;
	}
	for (size_t k = 0; k < s->nparams; k++)
		params[k] = s->params[k].def;
	if (colon == NULL)
		return s;

	/* Split the rest on commas: "a,b" -> 2 params, "" -> 1 empty param (= default). */
	const char *p = colon + 1;
	size_t k = 0;
	for (;;) {
		size_t len = strcspn(p, ",");
		if (k >= s->nparams) {
			fprintf(stderr, "tradehost indicator: %s takes %zu parameter%s (", s->name, s->nparams,
			        s->nparams == 1 ? "" : "s");
			for (size_t j = 0; j < s->nparams; j++)
				fprintf(stderr, "%s%s", j ? ", " : "", s->params[j].name);
			fprintf(stderr, "), got more in '%s'\n", arg);
			return NULL;
		}
		if (len > 0) {
			char text[64];
			if (len >= sizeof text) {
				fprintf(stderr, "tradehost indicator: %s parameter %zu (%s) is too long\n", s->name,
				        k + 1, s->params[k].name);
				return NULL;
			}
			memcpy(text, p, len);
			text[len] = '\0';
			if (ind_parse_param(s, k, text, &params[k]) != 0)
				return NULL;
		}
		k++;
		if (p[len] == '\0')
			break;
		p += len + 1;
	}
	return s;
}

/* ---- CSV ---- */

static void ind_chomp(char *line, size_t *len)
{
	while (*len > 0 && (line[*len - 1] == '\n' || line[*len - 1] == '\r'))
		line[--*len] = '\0';
}

static const char *const ind_num_names[5] = { "open", "high", "low", "close", "volume" };

/* Split a data line in place; *ts points at the timestamp. Returns 0 or -1 (message printed). */
static int ind_parse_row(char *line, unsigned long lineno, const char **ts, ind_bar *b)
{
	char *field[6];
	size_t n = 0;
	char *p = line;

	for (;;) {
		if (n < 6)
			field[n] = p;
		n++;
		char *comma = strchr(p, ',');
		if (comma == NULL)
			break;
		*comma = '\0';
		p = comma + 1;
	}
	if (n != 6) {
		fprintf(stderr, "tradehost indicator: line %lu: expected 6 fields (%s), got %zu\n", lineno,
		        ind_header, n);
		return -1;
	}
	if (field[0][0] == '\0') {
		fprintf(stderr, "tradehost indicator: line %lu: column 'timestamp' is empty\n", lineno);
		return -1;
	}
	double v[5];
	for (size_t k = 0; k < 5; k++) {
		const char *text = field[k + 1];
		char *end;
		errno = 0;
		v[k] = strtod(text, &end);
		while (*end == ' ' || *end == '\t')
			end++;
		if (end == text || *end != '\0' || text[0] == '\0') {
			fprintf(stderr, "tradehost indicator: line %lu: column '%s' is not a number: '%s'\n",
			        lineno, ind_num_names[k], text);
			return -1;
		}
		if (!isfinite(v[k])) {
			fprintf(stderr, "tradehost indicator: line %lu: column '%s' is not a finite number: "
			                "'%s'\n", lineno, ind_num_names[k], text);
			return -1;
		}
		if (fabs(v[k]) > TH_TA_INPUT_MAX || errno == ERANGE) {
			fprintf(stderr, "tradehost indicator: line %lu: column '%s' is out of range "
			                "(|x| <= %g): '%s'\n", lineno, ind_num_names[k], TH_TA_INPUT_MAX, text);
			return -1;
		}
	}
	*b = (ind_bar){ v[0], v[1], v[2], v[3], v[4] };
	if (b->high < b->low) {
		fprintf(stderr, "tradehost indicator: line %lu: high (%s) is below low (%s)\n", lineno,
		        field[2], field[3]);
		return -1;
	}
	if (b->volume < 0) {
		fprintf(stderr, "tradehost indicator: line %lu: column 'volume' is negative: '%s'\n", lineno,
		        field[5]);
		return -1;
	}
	*ts = field[0];
	return 0;
}

static void ind_print_number(FILE *out, double v)
{
	if (v == 0.0)
		v = 0.0; /* never print "-0" */
	fprintf(out, "%.10g", v);
}

/* Header check, then one output row per input row. */
static int ind_run(const ind_spec *s, ind_state *st)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t got;
	unsigned long lineno = 0;
	int rc = IND_EXIT_OK;

	got = getline(&line, &cap, stdin);
	lineno++;
	if (got < 0) {
		if (ferror(stdin)) {
			perror("tradehost indicator: reading standard input");
			rc = IND_EXIT_FAIL;
		} else {
			fprintf(stderr, "tradehost indicator: empty input: expected the header line '%s'\n",
			        ind_header);
			rc = IND_EXIT_USAGE;
		}
		free(line);
		return rc;
	}
	size_t len = (size_t)got;
	ind_chomp(line, &len);
	const char *hdr = line;
	if (len >= 3 && memcmp(hdr, "\xEF\xBB\xBF", 3) == 0)
		hdr += 3; /* a UTF-8 byte-order mark from spreadsheet exports */
	if (strcasecmp(hdr, ind_header) != 0) {
		fprintf(stderr, "tradehost indicator: line 1: expected the header '%s', got '%.80s'\n",
		        ind_header, hdr);
		free(line);
		return IND_EXIT_USAGE;
	}
	printf("timestamp,%s\n", s->columns);

	while ((got = getline(&line, &cap, stdin)) >= 0) {
		const char *ts;
		ind_bar b;
		double out[IND_MAX_OUT];

		lineno++;
		len = (size_t)got;
		ind_chomp(line, &len);
		if (len == 0)
			continue;
		if (strlen(line) != len) {
			fprintf(stderr, "tradehost indicator: line %lu: contains a NUL byte\n", lineno);
			rc = IND_EXIT_USAGE;
			break;
		}
		if (ind_parse_row(line, lineno, &ts, &b) != 0) {
			rc = IND_EXIT_USAGE;
			break;
		}
		int r = s->update(st, &b, out);
		if (r < 0) {
			fprintf(stderr, "tradehost indicator: line %lu: %s rejected the bar (it reads %s): %s\n",
			        lineno, s->name, s->inputs, th_ta_strerror(r));
			rc = IND_EXIT_USAGE;
			break;
		}
		fputs(ts, stdout);
		for (size_t k = 0; k < s->nout; k++) {
			putchar(',');
			if (r == 1)
				ind_print_number(stdout, out[k]);
		}
		putchar('\n');
	}
	if (rc == IND_EXIT_OK && ferror(stdin)) {
		perror("tradehost indicator: reading standard input");
		rc = IND_EXIT_FAIL;
	}
	free(line);
	return rc;
}

int cli_cmd_indicator(int argc, char **argv)
{
	const char *spec_arg = NULL;
	double params[IND_MAX_PARAMS];
	th_ta_error err = { "" };
	ind_state st;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			ind_usage(stdout);
			return IND_EXIT_OK;
		}
		if (a[0] == '-' && strcmp(a, "--") != 0) {
			fprintf(stderr, "tradehost indicator: unknown option '%s'\n"
			                "Try 'tradehost indicator --help'.\n", a);
			return IND_EXIT_USAGE;
		}
		if (strcmp(a, "--") == 0)
			continue;
		if (spec_arg != NULL) {
			fprintf(stderr, "tradehost indicator: one indicator at a time; got '%s' and '%s'\n",
			        spec_arg, a);
			return IND_EXIT_USAGE;
		}
		spec_arg = a;
	}
	if (spec_arg == NULL) {
		fputs("tradehost indicator: which indicator? e.g. 'tradehost indicator rsi:14 < bars.csv'\n"
		      "Try 'tradehost indicator --help' for the list.\n",
		      stderr);
		return IND_EXIT_USAGE;
	}
	const ind_spec *s = ind_parse_spec(spec_arg, params);
	if (s == NULL)
		return IND_EXIT_USAGE;
	int rc = s->init(&st, params, &err);
	if (rc != TH_TA_OK) {
		fprintf(stderr, "tradehost indicator: %s\n", err.msg[0] ? err.msg : th_ta_strerror(rc));
		return rc == TH_TA_ENOMEM ? IND_EXIT_FAIL : IND_EXIT_USAGE;
	}
	rc = ind_run(s, &st);
	s->release(&st);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("tradehost indicator: writing standard output");
		return IND_EXIT_FAIL;
	}
	return rc;
}
