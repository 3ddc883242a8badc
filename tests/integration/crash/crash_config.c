/*
 * crash_check — the parts of the host configuration the audit needs: the
 * venue's instruments (as the sim plugin builds them from its config), the
 * quote asset, and the farms and agents in the order the host creates them.
 *
 * The venue's scales, tick and lot must be written out in the config: the
 * checker refuses to guess the plugin's defaults, because an instrument that
 * differs from the venue's would make the decoded state disagree for the
 * wrong reason.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "config/schema.h"
#include "config/toml.h"
#include "crash_check.h"

static int bad(char *err, size_t errlen, const char *path, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int bad(char *err, size_t errlen, const char *path, const char *fmt, ...)
{
	char what[384];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	snprintf(err, errlen, "%s: %s", path, what);
	return -1;
}

const th_instrument *crash_config_instrument(const crash_config *c, const char *venue, const char *symbol)
{
	for (size_t i = 0; i < c->nins; i++)
		if (strcmp(c->ins[i].venue, venue) == 0 && strcmp(c->ins[i].symbol, symbol) == 0)
			return &c->ins[i];
	return NULL;
}

/* Copies a TOML string at `key` of `table` into dst; absent leaves dst. */
static int get_name(const toml_value *table, const char *key, char *dst, size_t cap)
{
	const char *s;
	size_t n;
	if (!table || config_get_string(table, key, &s, &n) != TH_OK)
		return 0;
	if (n == 0 || n >= cap)
		return -1;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return 1;
}

/* "BTC-USDT" -> base "BTC", quote "USDT". */
static int split_symbol(const char *sym, th_instrument *in)
{
	const char *dash = strchr(sym, '-');
	size_t n = strlen(sym);
	if (!dash || dash == sym || !dash[1] || n >= sizeof in->symbol || (size_t)(dash - sym) >= sizeof in->base ||
		strlen(dash + 1) >= sizeof in->quote)
		return -1;
	memcpy(in->base, sym, (size_t)(dash - sym));
	in->base[dash - sym] = '\0';
	th_strlcpy(in->quote, dash + 1, sizeof in->quote);
	th_strlcpy(in->symbol, sym, sizeof in->symbol);
	return 0;
}

static int load_instruments(const toml_value *vcfg, const char *path, crash_config *c, char *err, size_t errlen)
{
	char derr[256], where[64];
	int64_t ps, qs;
	th_instrument proto;
	memset(&proto, 0, sizeof proto);
	snprintf(where, sizeof where, "instances.%s.config", c->venue);
	if (!vcfg)
		return bad(err, errlen, path, "[%s] is missing: the venue instance's config is needed", where);
	if (config_get_int(vcfg, "price_scale", &ps) != TH_OK || config_get_int(vcfg, "qty_scale", &qs) != TH_OK ||
		ps < 0 || ps > TH_SCALE_MAX || qs < 0 || qs > TH_SCALE_MAX)
		return bad(err, errlen, path, "%s: price_scale and qty_scale must be given explicitly (0..18)", where);
	proto.price_scale = (int32_t)ps;
	proto.qty_scale = (int32_t)qs;
	if (config_get_decimal(vcfg, "tick", (int)ps, &proto.tick, derr, sizeof derr) != TH_OK || proto.tick <= 0)
		return bad(err, errlen, path, "%s.tick must be given explicitly: %s", where, derr);
	if (config_get_decimal(vcfg, "lot", (int)qs, &proto.lot, derr, sizeof derr) != TH_OK || proto.lot <= 0)
		return bad(err, errlen, path, "%s.lot must be given explicitly: %s", where, derr);
	/* Optional, with the plugin's documented defaults (0; min_qty 0 = one lot). */
	derr[0] = '\0';
	int rq = config_get_decimal(vcfg, "min_qty", (int)qs, &proto.min_qty, derr, sizeof derr);
	int rn = config_get_decimal(vcfg, "min_notional", TH_MONEY_SCALE, &proto.min_notional, derr, sizeof derr);
	if ((rq != TH_OK && rq != TH_ERR_NOT_FOUND) || (rn != TH_OK && rn != TH_ERR_NOT_FOUND))
		return bad(err, errlen, path, "%s.min_qty / min_notional: %s", where, derr);
	if (proto.min_qty == 0)
		proto.min_qty = proto.lot;

	const char *syms[CRASH_MAX_SYMBOLS + 1];
	size_t n = 0;
	if (config_get_string_list(vcfg, "symbols", syms, CRASH_MAX_SYMBOLS + 1, &n) != TH_OK || n == 0)
		return bad(err, errlen, path, "%s.symbols must be a non-empty list of strings", where);
	if (n > CRASH_MAX_SYMBOLS)
		return bad(err, errlen, path, "%s.symbols: more symbols than the checker supports", where);
	for (size_t i = 0; i < n; i++) {
		th_instrument *in = &c->ins[i];
		*in = proto;
		th_strlcpy(in->venue, c->venue, sizeof in->venue);
		if (split_symbol(syms[i], in) != 0)
			return bad(err, errlen, path, "%s.symbols: \"%s\" is not BASE-QUOTE", where, syms[i]);
	}
	c->nins = n;
	return 0;
}

static int load_hierarchy(const toml_value *root, const char *path, crash_config *c, char *err, size_t errlen)
{
	const toml_value *capital = toml_table_get(root, "capital");
	const toml_value *farms = capital ? toml_table_get(capital, "farms") : NULL;
	for (size_t i = 0; farms && i < toml_table_size(farms); i++) {
		size_t klen;
		const char *name = toml_table_key_at(farms, i, &klen);
		if (c->nfarms == CRASH_MAX_FARMS || klen == 0 || klen >= TH_NAME_MAX)
			return bad(err, errlen, path, "capital.farms: too many farms or a bad farm name");
		memcpy(c->farms[c->nfarms], name, klen);
		c->farms[c->nfarms++][klen] = '\0';
	}
	const toml_value *inst = toml_table_get(root, "instances");
	for (size_t i = 0; inst && i < toml_table_size(inst); i++) {
		size_t klen;
		const char *name = toml_table_key_at(inst, i, &klen);
		crash_agent a;
		memset(&a, 0, sizeof a);
		int rc = get_name(toml_table_value_at(inst, i), "farm", a.farm, sizeof a.farm);
		if (rc == 0)
			continue; /* not an agent */
		if (rc < 0 || klen == 0 || klen >= TH_NAME_MAX || c->nagents == CRASH_MAX_AGENTS)
			return bad(err, errlen, path, "instances: bad agent name or farm, or too many agents");
		memcpy(a.name, name, klen);
		a.name[klen] = '\0';
		c->agents[c->nagents++] = a;
	}
	return 0;
}

int crash_config_load(const char *path, crash_config *c, char *err, size_t errlen)
{
	toml_error terr;
	memset(c, 0, sizeof *c);
	toml_value *root = toml_parse_file(path, &terr);
	if (!root) {
		toml_error_format(&terr, err, errlen);
		return -1;
	}
	int rc = -1;
	th_strlcpy(c->quote, "USDT", sizeof c->quote);
	th_strlcpy(c->venue, "sim", sizeof c->venue);
	if (get_name(toml_table_get(root, "capital"), "quote", c->quote, sizeof c->quote) < 0 ||
		get_name(toml_table_get(root, "market"), "venue", c->venue, sizeof c->venue) < 0) {
		bad(err, errlen, path, "capital.quote or market.venue is empty or too long");
		goto out;
	}
	const toml_value *inst = toml_table_get(root, "instances");
	const toml_value *vinst = inst ? toml_table_get(inst, c->venue) : NULL;
	const char *plugin = NULL;
	if (!vinst || config_get_string(vinst, "plugin", &plugin, NULL) != TH_OK || strcmp(plugin, "sim") != 0) {
		bad(err, errlen, path, "market.venue is \"%s\" but [instances.%s] is not a sim venue", c->venue, c->venue);
		goto out;
	}
	if (load_instruments(toml_table_get(vinst, "config"), path, c, err, errlen) != 0 ||
		load_hierarchy(root, path, c, err, errlen) != 0)
		goto out;
	rc = 0;
out:
	toml_free(root);
	return rc;
}
