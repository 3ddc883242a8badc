/*
 * sim — configuration schema and reader.
 *
 * The host validates types, bounds and defaults against the schema before
 * create(); this file still checks every value it relies on (a host or test
 * harness could hand over anything) and the rules a schema cannot express:
 * symbol syntax, tick/lot against the chosen scales, min_qty a multiple of lot.
 * Every message starts with the key it is about.
 */
#include <stdio.h>
#include <string.h>

#include "sim_config.h"

/* clang-format off */
const th_config_field sim_config_schema[] = {
	{ "symbols", TH_CONFIG_STRING_LIST, 1, NULL, NULL, NULL,
	  "Instruments the venue trades, as BASE-QUOTE (e.g. [\"BTC-USDT\", \"ETH-USDT\"]); fees are charged in QUOTE." },
	{ "price_scale", TH_CONFIG_INT, 0, "2", "0", "18",
	  "Fractional digits of prices for every symbol." },
	{ "qty_scale", TH_CONFIG_INT, 0, "6", "0", "18",
	  "Fractional digits of quantities for every symbol." },
	{ "tick", TH_CONFIG_DECIMAL, 0, "\"0.01\"", NULL, NULL,
	  "Price increment; order prices must be multiples of it (at most price_scale digits)." },
	{ "lot", TH_CONFIG_DECIMAL, 0, "\"0.000001\"", NULL, NULL,
	  "Quantity increment; order quantities must be multiples of it (at most qty_scale digits)." },
	{ "min_qty", TH_CONFIG_DECIMAL, 0, "\"0\"", "0", NULL,
	  "Smallest order quantity, a multiple of lot; 0 means one lot." },
	{ "min_notional", TH_CONFIG_DECIMAL, 0, "\"0\"", "0", NULL,
	  "Smallest price*qty of an order in the quote asset; 0 means no minimum." },
	{ "maker_fee_bps", TH_CONFIG_DECIMAL, 0, "\"10\"", "-100", "1000",
	  "Fee on maker fills in basis points of notional (up to 4 decimals); negative is a rebate." },
	{ "taker_fee_bps", TH_CONFIG_DECIMAL, 0, "\"10\"", "-100", "1000",
	  "Fee on taker fills in basis points of notional (up to 4 decimals); negative is a rebate." },
	{ "latency_ms", TH_CONFIG_INT, 0, "0", "0", "600000",
	  "Delay from request to matching engine, and again from engine to host reports, on the host clock." },
	{ "slippage_bps", TH_CONFIG_DECIMAL, 0, "\"0\"", "0", "1000",
	  "Price concession on taker fills in basis points (up to 4 decimals), rounded against the trader to the tick." },
	{ "participation", TH_CONFIG_FLOAT, 0, "1.0", "0.0", "1.0",
	  "Share of each market trade's (or bar's) volume the host's orders may fill." },
	{ "respect_quote_size", TH_CONFIG_BOOL, 0, "false", NULL, NULL,
	  "Limit taker fills to the displayed quote size; the rest waits for the next quote or trade." },
	{ "market_venue", TH_CONFIG_STRING, 0, "\"\"", NULL, NULL,
	  "Venue name (h.venue) of the market events to match against; empty means this instance's name." },
	{ "persist", TH_CONFIG_BOOL, 0, "false", NULL, NULL,
	  "Save orders, fills counter and positions to the host state store after every change." },
	{ "retain_closed", TH_CONFIG_INT, 0, "4096", "0", "1000000",
	  "Finished orders the venue remembers for queries and duplicate detection (oldest forgotten first)." },
	TH_CONFIG_END
};
/* clang-format on */

static int sim_bad(const th_host_api *api, th_ctx *ctx, int rc, const char *key, const char *what)
{
	api->set_error(ctx, "sim: key '%s': %s", key, what);
	return rc;
}

static int sim_get_int(const th_host_api *api, th_ctx *ctx, const char *key, int64_t lo, int64_t hi, int64_t *out)
{
	char what[96];
	if (api->config_int(ctx, key, out) != TH_OK)
		return sim_bad(api, ctx, TH_ERR_INVALID, key, "missing or not an integer");
	if (*out < lo || *out > hi) {
		snprintf(what, sizeof what, "%lld is out of range %lld..%lld", (long long)*out, (long long)lo,
		         (long long)hi);
		return sim_bad(api, ctx, TH_ERR_INVALID, key, what);
	}
	return TH_OK;
}

static int sim_get_decimal(const th_host_api *api, th_ctx *ctx, const char *key, int scale, int64_t lo, int64_t hi,
                           int64_t *out)
{
	char what[160], a[48], b[48];
	if (api->config_decimal(ctx, key, scale, out) != TH_OK) {
		snprintf(what, sizeof what, "not a decimal with at most %d fractional digits", scale);
		return sim_bad(api, ctx, TH_ERR_INVALID, key, what);
	}
	if (*out < lo || *out > hi) {
		th_fixed_format(lo, scale, a, sizeof a);
		th_fixed_format(hi, scale, b, sizeof b);
		snprintf(what, sizeof what, "must be between %s and %s", a, b);
		return sim_bad(api, ctx, TH_ERR_INVALID, key, what);
	}
	return TH_OK;
}

static int sim_asset_ok(const char *s, size_t n)
{
	if (n == 0 || n >= TH_ASSET_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
			return 0;
	}
	return 1;
}

/* "BTC-USDT" -> base "BTC", quote "USDT". */
static int sim_split_symbol(const char *sym, th_instrument *in)
{
	size_t n = strlen(sym);
	const char *dash = strchr(sym, '-');
	if (n == 0 || n >= TH_SYMBOL_MAX || !dash || strchr(dash + 1, '-'))
		return -1;
	size_t nb = (size_t)(dash - sym), nq = n - nb - 1;
	if (!sim_asset_ok(sym, nb) || !sim_asset_ok(dash + 1, nq))
		return -1;
	memcpy(in->base, sym, nb);
	in->base[nb] = '\0';
	memcpy(in->quote, dash + 1, nq);
	in->quote[nq] = '\0';
	th_strlcpy(in->symbol, sym, sizeof in->symbol);
	return 0;
}

static int sim_read_symbols(const th_host_api *api, th_ctx *ctx, const char *venue, sim_settings *s,
                            const th_instrument *proto)
{
	char what[160];
	size_t n;
	if (api->config_list_len(ctx, "symbols", &n) != TH_OK)
		return sim_bad(api, ctx, TH_ERR_INVALID, "symbols", "missing or not a list of strings");
	if (n == 0)
		return sim_bad(api, ctx, TH_ERR_INVALID, "symbols", "needs at least one symbol, e.g. [\"BTC-USDT\"]");
	if (n > SIM_MAX_SYMBOLS) {
		snprintf(what, sizeof what, "%zu symbols, at most %d", n, SIM_MAX_SYMBOLS);
		return sim_bad(api, ctx, TH_ERR_INVALID, "symbols", what);
	}
	s->instruments = api->alloc(ctx, n * sizeof *s->instruments);
	if (!s->instruments)
		return sim_bad(api, ctx, TH_ERR_NOMEM, "symbols", "out of memory");
	for (size_t i = 0; i < n; i++) {
		const char *sym;
		th_instrument *in = &s->instruments[i];
		*in = *proto;
		if (api->config_list_at(ctx, "symbols", i, &sym) != TH_OK || !sym) {
			snprintf(what, sizeof what, "element %zu is not a string", i);
			return sim_bad(api, ctx, TH_ERR_INVALID, "symbols", what);
		}
		if (sim_split_symbol(sym, in) != 0) {
			snprintf(what, sizeof what, "element %zu '%.40s' is not BASE-QUOTE (letters and digits, e.g. \"BTC-USDT\")",
			         i, sym);
			return sim_bad(api, ctx, TH_ERR_INVALID, "symbols", what);
		}
		th_strlcpy(in->venue, venue, sizeof in->venue);
		for (size_t j = 0; j < i; j++) {
			if (strcmp(s->instruments[j].symbol, in->symbol) == 0) {
				snprintf(what, sizeof what, "'%s' is listed twice", in->symbol);
				return sim_bad(api, ctx, TH_ERR_INVALID, "symbols", what);
			}
		}
		s->ninstruments = i + 1;
	}
	return TH_OK;
}

int sim_settings_read(const th_host_api *api, th_ctx *ctx, sim_settings *s)
{
	int64_t price_scale, qty_scale, latency_ms, retain;
	int rc;
	memset(s, 0, sizeof *s);
	const char *venue = api->instance_name(ctx);
	if (!venue || !venue[0] || strlen(venue) >= TH_VENUE_MAX) {
		api->set_error(ctx, "sim: instance name '%s' must be 1..%d characters: it is the venue name in events",
		               venue ? venue : "", TH_VENUE_MAX - 1);
		return TH_ERR_INVALID;
	}

	th_instrument proto;
	memset(&proto, 0, sizeof proto);
	if ((rc = sim_get_int(api, ctx, "price_scale", 0, TH_SCALE_MAX, &price_scale)) != TH_OK ||
	    (rc = sim_get_int(api, ctx, "qty_scale", 0, TH_SCALE_MAX, &qty_scale)) != TH_OK)
		return rc;
	proto.price_scale = (int32_t)price_scale;
	proto.qty_scale = (int32_t)qty_scale;
	if ((rc = sim_get_decimal(api, ctx, "tick", proto.price_scale, 1, INT64_MAX, &proto.tick)) != TH_OK ||
	    (rc = sim_get_decimal(api, ctx, "lot", proto.qty_scale, 1, INT64_MAX, &proto.lot)) != TH_OK ||
	    (rc = sim_get_decimal(api, ctx, "min_qty", proto.qty_scale, 0, INT64_MAX, &proto.min_qty)) != TH_OK ||
	    (rc = sim_get_decimal(api, ctx, "min_notional", TH_MONEY_SCALE, 0, INT64_MAX, &proto.min_notional)) != TH_OK)
		return rc;
	if (proto.min_qty % proto.lot != 0)
		return sim_bad(api, ctx, TH_ERR_INVALID, "min_qty", "must be a multiple of lot");
	if (proto.min_qty == 0)
		proto.min_qty = proto.lot; /* instruments() reports the effective minimum */

	/* Rates are basis points with SIM_BPS_SCALE digits: -100 bp .. 1000 bp. */
	const int64_t bp = 10000;
	sim_engine_config *ec = &s->engine;
	if ((rc = sim_get_decimal(api, ctx, "maker_fee_bps", SIM_BPS_SCALE, -100 * bp, 1000 * bp, &ec->maker_fee_bps)) !=
	            TH_OK ||
	    (rc = sim_get_decimal(api, ctx, "taker_fee_bps", SIM_BPS_SCALE, -100 * bp, 1000 * bp, &ec->taker_fee_bps)) !=
	            TH_OK ||
	    (rc = sim_get_decimal(api, ctx, "slippage_bps", SIM_BPS_SCALE, 0, 1000 * bp, &ec->slippage_bps)) != TH_OK)
		return rc;
	if ((rc = sim_get_int(api, ctx, "latency_ms", 0, 600000, &latency_ms)) != TH_OK ||
	    (rc = sim_get_int(api, ctx, "retain_closed", 0, 1000000, &retain)) != TH_OK)
		return rc;
	s->latency_ns = latency_ms * 1000000;
	ec->retain_closed = (size_t)retain;

	/* participation is dimensionless, so the schema takes a float; the engine
	 * works in exact parts per million from here on. */
	double part;
	if (api->config_double(ctx, "participation", &part) != TH_OK)
		return sim_bad(api, ctx, TH_ERR_INVALID, "participation", "missing or not a number");
	if (!(part >= 0.0 && part <= 1.0))
		return sim_bad(api, ctx, TH_ERR_INVALID, "participation", "must be between 0 and 1");
	ec->participation_ppm = (int64_t)(part * SIM_PPM + 0.5);

	int flag;
	if (api->config_bool(ctx, "respect_quote_size", &flag) != TH_OK)
		return sim_bad(api, ctx, TH_ERR_INVALID, "respect_quote_size", "missing or not a boolean");
	ec->respect_quote_size = flag != 0;
	if (api->config_bool(ctx, "persist", &flag) != TH_OK)
		return sim_bad(api, ctx, TH_ERR_INVALID, "persist", "missing or not a boolean");
	s->persist = flag != 0;

	const char *mv;
	if (api->config_string(ctx, "market_venue", &mv) != TH_OK || !mv)
		return sim_bad(api, ctx, TH_ERR_INVALID, "market_venue", "missing or not a string");
	if (!mv[0])
		mv = venue;
	if (strlen(mv) >= TH_VENUE_MAX) {
		char what[96];
		snprintf(what, sizeof what, "'%.40s' is longer than %d characters", mv, TH_VENUE_MAX - 1);
		return sim_bad(api, ctx, TH_ERR_INVALID, "market_venue", what);
	}
	th_strlcpy(s->market_venue, mv, sizeof s->market_venue);

	rc = sim_read_symbols(api, ctx, venue, s, &proto);
	if (rc != TH_OK) {
		sim_settings_free(api, ctx, s);
		return rc;
	}
	return TH_OK;
}

void sim_settings_free(const th_host_api *api, th_ctx *ctx, sim_settings *s)
{
	if (s->instruments)
		api->free(ctx, s->instruments);
	s->instruments = NULL;
	s->ninstruments = 0;
}
