/*
 * limits — reading the configuration: host-wide defaults from the rule keys,
 * per-agent / per-farm / per-instrument override lists ("NAME:rule=value"),
 * the restricted list, and the consistency checks. Every bad entry is refused
 * at create with the list key, the entry's index and text, and what is wrong.
 */
#include <stdio.h>
#include <string.h>

#include "lim_internal.h"

typedef enum { SC_AGENT = 0, SC_FARM = 1, SC_INSTRUMENT = 2 } scope_ix;
static const char *const scope_list[3] = { "agent_overrides", "farm_overrides", "instrument_overrides" };
static const char *const scope_word[3] = { "agent", "farm", "instrument" };
static const uint32_t scope_bit[3] = { LIM_SCOPE_AGENT, LIM_SCOPE_FARM, LIM_SCOPE_INSTRUMENT };

static int kind_scale(uint32_t kind)
{
	return kind == LIM_K_MONEY ? TH_MONEY_SCALE : kind == LIM_K_QTY ? LIM_QTY_SCALE : kind == LIM_K_RATIO ? LIM_RATIO_SCALE : 0;
}

static const char *kind_text(uint32_t kind)
{
	switch (kind) {
	case LIM_K_MONEY: return "a decimal amount with at most 8 fractional digits";
	case LIM_K_QTY: return "a decimal quantity with at most 8 fractional digits";
	case LIM_K_RATIO: return "a decimal ratio with at most 4 fractional digits";
	case LIM_K_INT: return "an integer";
	default: return "true or false";
	}
}

/* "[min, max]" of a rule for messages. */
static void range_text(const lim_rule_def *d, char *buf, size_t cap)
{
	char lo[48], hi[48];
	int s = kind_scale(d->kind);
	if (d->max == INT64_MAX)
		snprintf(buf, cap, ">= %s", lim_fmt(lo, sizeof lo, d->min, s));
	else
		snprintf(buf, cap, "%s..%s", lim_fmt(lo, sizeof lo, d->min, s), lim_fmt(hi, sizeof hi, d->max, s));
}

/* ------------------------------------------------------------- defaults */

static int read_default(lim *L, int r)
{
	const lim_rule_def *d = &lim_rules[r];
	int64_t v = 0;
	int b = 0, rc;
	switch (d->kind) {
	case LIM_K_INT: rc = L->api->config_int(L->ctx, d->key, &v); break;
	case LIM_K_BOOL: rc = L->api->config_bool(L->ctx, d->key, &b); v = b; break;
	default: rc = L->api->config_decimal(L->ctx, d->key, kind_scale(d->kind), &v); break;
	}
	if (rc == TH_ERR_NOT_FOUND) {
		/* unset: a numeric rule is off; a switch stays on (fail closed) */
		L->defaults.v[r] = d->kind == LIM_K_BOOL ? 1 : LIM_OFF;
		return TH_OK;
	}
	if (rc != TH_OK) {
		L->api->set_error(L->ctx, "key '%s': invalid value (expected %s)", d->key, kind_text(d->kind));
		return TH_ERR_INVALID;
	}
	if (v < d->min || v > d->max) {
		char range[100], got[48];
		range_text(d, range, sizeof range);
		L->api->set_error(L->ctx, "key '%s' = %s is out of range (%s)", d->key,
			lim_fmt(got, sizeof got, v, kind_scale(d->kind)), range);
		return TH_ERR_INVALID;
	}
	L->defaults.v[r] = v;
	L->defaults.present |= (uint64_t)1 << r;
	return TH_OK;
}

static int read_int(lim *L, const char *key, int64_t lo, int64_t hi, int64_t fallback, int64_t *out)
{
	int rc = L->api->config_int(L->ctx, key, out);
	if (rc == TH_ERR_NOT_FOUND) {
		*out = fallback;
		return TH_OK;
	}
	if (rc != TH_OK || *out < lo || *out > hi) {
		L->api->set_error(L->ctx, "key '%s': expected an integer in %lld..%lld", key, (long long)lo, (long long)hi);
		return TH_ERR_INVALID;
	}
	return TH_OK;
}

/* ------------------------------------------------------------ overrides */

/* Trimmed copy of s[0..n) into out; -1 if it does not fit. */
static int trimmed(const char *s, size_t n, char *out, size_t cap)
{
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n >= cap)
		return -1;
	memcpy(out, s, n);
	out[n] = '\0';
	return 0;
}

/* Value text of rule r into *out; 0, or -1 with *why. */
static int parse_value(int r, const char *text, int64_t *out, char *why, size_t cap)
{
	const lim_rule_def *d = &lim_rules[r];
	if (strcmp(text, "off") == 0) {
		*out = d->kind == LIM_K_BOOL ? 0 : LIM_OFF;
		return 0;
	}
	if (d->kind == LIM_K_BOOL) {
		if (strcmp(text, "true") == 0 || strcmp(text, "false") == 0) {
			*out = text[0] == 't';
			return 0;
		}
		snprintf(why, cap, "value '%s' of '%s' is not true, false or off", text, d->key);
		return -1;
	}
	int64_t v;
	if (th_fixed_parse(text, strlen(text), kind_scale(d->kind), &v) != 0) {
		snprintf(why, cap, "value '%s' of '%s' is not %s (or off)", text, d->key, kind_text(d->kind));
		return -1;
	}
	if (v < d->min || v > d->max) {
		char range[100];
		range_text(d, range, sizeof range);
		snprintf(why, cap, "value '%s' of '%s' is out of range (%s)", text, d->key, range);
		return -1;
	}
	*out = v;
	return 0;
}

/* The override set of (scope, name), created on first use. */
static lim_set *set_for(lim *L, int sc, const char *name)
{
	lim_map *m = sc == SC_AGENT ? &L->agent_sets : sc == SC_FARM ? &L->farm_sets : &L->inst_sets;
	uint32_t ix;
	if (lim_map_get(m, name, &ix))
		return &L->sets[ix];
	if (lim_grow(L->api, L->ctx, (void **)&L->sets, &L->capsets, L->nsets + 1, sizeof *L->sets) != TH_OK ||
		lim_map_put(m, name, (uint32_t)L->nsets) != TH_OK)
		return NULL;
	lim_set *s = &L->sets[L->nsets++];
	memset(s, 0, sizeof *s);
	return s;
}

/* A name in an override list: an agent or farm name, or "venue:symbol". */
static int check_name(int sc, const char *name, char *why, size_t cap)
{
	if (!name[0]) {
		snprintf(why, cap, "the %s name is empty", scope_word[sc]);
		return -1;
	}
	if (strpbrk(name, " \t*") != NULL) {
		snprintf(why, cap, "%s name '%s' contains a blank or '*'", scope_word[sc], name);
		return -1;
	}
	if (sc != SC_INSTRUMENT) {
		if (strchr(name, ':')) {
			snprintf(why, cap, "%s name '%s' contains ':' (entries are NAME:rule=value, without a scope prefix)",
				scope_word[sc], name);
			return -1;
		}
		if (strlen(name) >= TH_NAME_MAX) {
			snprintf(why, cap, "%s name '%s' is longer than %d characters", scope_word[sc], name, TH_NAME_MAX - 1);
			return -1;
		}
		return 0;
	}
	const char *colon = strchr(name, ':');
	if (!colon || strchr(colon + 1, ':') || colon == name || !colon[1]) {
		snprintf(why, cap, "instrument '%s' is not VENUE:SYMBOL", name);
		return -1;
	}
	if ((size_t)(colon - name) >= TH_VENUE_MAX || strlen(colon + 1) >= TH_SYMBOL_MAX) {
		snprintf(why, cap, "instrument '%s': venue or symbol too long", name);
		return -1;
	}
	return 0;
}

static void allowed_text(uint32_t scopes, char *buf, size_t cap)
{
	buf[0] = '\0';
	for (int sc = 0; sc < 3; sc++)
		if (scopes & scope_bit[sc])
			snprintf(buf + strlen(buf), cap - strlen(buf), "%s%s", buf[0] ? ", " : "", scope_list[sc]);
	if (!buf[0])
		snprintf(buf, cap, "none: set the key itself");
}

static int parse_override(lim *L, int sc, const char *entry, char *why, size_t cap)
{
	char name[LIM_KEY_MAX + 8], key[64], value[64], allowed[120];
	const char *eq = strchr(entry, '=');
	const char *colon = NULL;
	for (const char *p = entry; eq && p < eq; p++)
		if (*p == ':')
			colon = p;
	if (!eq || !colon) {
		snprintf(why, cap, "expected %s:rule=value", sc == SC_INSTRUMENT ? "VENUE:SYMBOL" : "NAME");
		return -1;
	}
	if (trimmed(entry, (size_t)(colon - entry), name, sizeof name) != 0 ||
		trimmed(colon + 1, (size_t)(eq - colon - 1), key, sizeof key) != 0 ||
		trimmed(eq + 1, strlen(eq + 1), value, sizeof value) != 0) {
		snprintf(why, cap, "a part of the entry is too long");
		return -1;
	}
	if (check_name(sc, name, why, cap) != 0)
		return -1;
	int r = lim_rule_find(key);
	if (r < 0) {
		snprintf(why, cap, "unknown rule '%s'", key);
		return -1;
	}
	if (!(lim_rules[r].scopes & scope_bit[sc])) {
		allowed_text(lim_rules[r].scopes, allowed, sizeof allowed);
		snprintf(why, cap, "rule '%s' cannot be set per %s (allowed in: %s)", key, scope_word[sc], allowed);
		return -1;
	}
	int64_t v;
	if (parse_value(r, value, &v, why, cap) != 0)
		return -1;
	lim_set *s = set_for(L, sc, name);
	if (!s) {
		snprintf(why, cap, "out of memory");
		return -1;
	}
	if (s->present & ((uint64_t)1 << r)) {
		snprintf(why, cap, "rule '%s' is given twice for %s '%s'", key, scope_word[sc], name);
		return -1;
	}
	s->present |= (uint64_t)1 << r;
	s->v[r] = v;
	return 0;
}

static int read_list(lim *L, const char *list, size_t *n)
{
	int rc = L->api->config_list_len(L->ctx, list, n);
	if (rc == TH_ERR_NOT_FOUND) {
		*n = 0;
		return TH_OK;
	}
	if (rc != TH_OK)
		L->api->set_error(L->ctx, "key '%s': expected a list of strings", list);
	return rc;
}

static int read_overrides(lim *L, int sc)
{
	size_t n;
	char why[200];
	if (read_list(L, scope_list[sc], &n) != TH_OK)
		return TH_ERR_INVALID;
	for (size_t i = 0; i < n; i++) {
		const char *entry;
		if (L->api->config_list_at(L->ctx, scope_list[sc], i, &entry) != TH_OK) {
			L->api->set_error(L->ctx, "%s[%zu]: cannot be read", scope_list[sc], i);
			return TH_ERR_INVALID;
		}
		if (parse_override(L, sc, entry, why, sizeof why) != 0) {
			L->api->set_error(L->ctx, "%s[%zu] \"%s\": %s", scope_list[sc], i, entry, why);
			return TH_ERR_INVALID;
		}
	}
	return TH_OK;
}

/* ----------------------------------------------------------- restricted */

/* "VENUE:SYMBOL" with '*' allowed as a whole part; "" stored for '*'. */
static int parse_instrument_pattern(const char *text, lim_restriction *out, char *why, size_t cap)
{
	char buf[LIM_KEY_MAX + 8];
	if (trimmed(text, strlen(text), buf, sizeof buf) != 0) {
		snprintf(why, cap, "instrument is too long");
		return -1;
	}
	char *colon = strchr(buf, ':');
	if (!colon || strchr(colon + 1, ':') || colon == buf || !colon[1]) {
		snprintf(why, cap, "'%s' is not VENUE:SYMBOL", buf);
		return -1;
	}
	*colon = '\0';
	const char *venue = buf, *symbol = colon + 1;
	if ((strchr(venue, '*') && strcmp(venue, "*") != 0) || (strchr(symbol, '*') && strcmp(symbol, "*") != 0)) {
		snprintf(why, cap, "'*' must stand for a whole venue or symbol");
		return -1;
	}
	if (strpbrk(venue, " \t=") || strpbrk(symbol, " \t=") || strlen(venue) >= TH_VENUE_MAX ||
		strlen(symbol) >= TH_SYMBOL_MAX) {
		snprintf(why, cap, "venue or symbol is too long or contains a blank");
		return -1;
	}
	th_strlcpy(out->venue, strcmp(venue, "*") ? venue : "", sizeof out->venue);
	th_strlcpy(out->symbol, strcmp(symbol, "*") ? symbol : "", sizeof out->symbol);
	return 0;
}

static int parse_restriction(const char *entry, lim_restriction *out, char *why, size_t cap)
{
	memset(out, 0, sizeof *out);
	const char *eq = strchr(entry, '=');
	if (!eq)
		return parse_instrument_pattern(entry, out, why, cap);
	char who[TH_NAME_MAX + 16];
	if (trimmed(entry, (size_t)(eq - entry), who, sizeof who) != 0) {
		snprintf(why, cap, "the name before '=' is too long");
		return -1;
	}
	const char *name;
	if (strncmp(who, "agent:", 6) == 0) {
		out->who = LIM_WHO_AGENT;
		name = who + 6;
	} else if (strncmp(who, "farm:", 5) == 0) {
		out->who = LIM_WHO_FARM;
		name = who + 5;
	} else {
		snprintf(why, cap, "'%s' before '=' is not agent:NAME or farm:NAME", who);
		return -1;
	}
	if (check_name(out->who == LIM_WHO_AGENT ? SC_AGENT : SC_FARM, name, why, cap) != 0)
		return -1;
	th_strlcpy(out->name, name, sizeof out->name);
	return parse_instrument_pattern(eq + 1, out, why, cap);
}

static int read_restricted(lim *L)
{
	size_t n;
	char why[200];
	if (read_list(L, "restricted", &n) != TH_OK)
		return TH_ERR_INVALID;
	if (n == 0)
		return TH_OK;
	if (!(L->restricted = L->api->alloc(L->ctx, n * sizeof *L->restricted)))
		return TH_ERR_NOMEM;
	for (size_t i = 0; i < n; i++) {
		const char *entry;
		lim_restriction *r = &L->restricted[i];
		if (L->api->config_list_at(L->ctx, "restricted", i, &entry) != TH_OK) {
			L->api->set_error(L->ctx, "restricted[%zu]: cannot be read", i);
			return TH_ERR_INVALID;
		}
		if (parse_restriction(entry, r, why, sizeof why) != 0) {
			L->api->set_error(L->ctx, "restricted[%zu] \"%s\": %s", i, entry, why);
			return TH_ERR_INVALID;
		}
		for (size_t k = 0; k < i; k++) {
			if (memcmp(&L->restricted[k], r, sizeof *r) == 0) {
				L->api->set_error(L->ctx, "restricted[%zu] \"%s\": same entry as restricted[%zu]", i, entry, k);
				return TH_ERR_INVALID;
			}
		}
		L->nrestricted = i + 1;
	}
	return TH_OK;
}

/* ---------------------------------------------------------- consistency */

static int on(const lim_set *s, const lim_set *d, int r, int64_t *v)
{
	*v = (s->present & ((uint64_t)1 << r)) ? s->v[r] : d->v[r];
	return *v != LIM_OFF;
}

/* Limits that can never bind, given another limit at the same scope, are
 * almost always typos: refuse them, naming both keys. */
static int check_pairs(lim *L, const lim_set *s, const char *where)
{
	int64_t a, b;
	char x[48], y[48];
	if (on(s, &L->defaults, LIM_R_RATE_SECOND, &a) && on(s, &L->defaults, LIM_R_RATE_MINUTE, &b) && a > b) {
		L->api->set_error(L->ctx, "%s: max_orders_per_second (%lld) is above max_orders_per_minute (%lld)", where,
			(long long)a, (long long)b);
		return TH_ERR_INVALID;
	}
	for (int lvl = 0; lvl < LIM_LEVEL_COUNT; lvl++) {
		int rg = LIM_POST_RULE(lvl, LIM_M_GROSS), rn = LIM_POST_RULE(lvl, LIM_M_NET);
		if (on(s, &L->defaults, rn, &a) && on(s, &L->defaults, rg, &b) && a > b) {
			L->api->set_error(L->ctx, "%s: %s (%s) is above %s (%s): |net| never exceeds gross", where,
				lim_rules[rn].key, lim_fmt(x, sizeof x, a, TH_MONEY_SCALE), lim_rules[rg].key,
				lim_fmt(y, sizeof y, b, TH_MONEY_SCALE));
			return TH_ERR_INVALID;
		}
	}
	return TH_OK;
}

static int check_consistency(lim *L)
{
	if (check_pairs(L, &L->defaults, "host-wide keys") != TH_OK)
		return TH_ERR_INVALID;
	const lim_map *maps[3] = { &L->agent_sets, &L->farm_sets, &L->inst_sets };
	for (int sc = 0; sc < 3; sc++) {
		for (size_t i = 0; i < maps[sc]->cap; i++) {
			const lim_map_slot *slot = &maps[sc]->slots[i];
			char where[128];
			if (!slot->used)
				continue;
			snprintf(where, sizeof where, "%s for '%s'", scope_list[sc], slot->key);
			if (check_pairs(L, &L->sets[slot->value], where) != TH_OK)
				return TH_ERR_INVALID;
		}
	}
	return TH_OK;
}

/* Rule r is on at some scope (host-wide or in an override). */
static int anywhere(const lim *L, int r)
{
	if ((L->defaults.present & ((uint64_t)1 << r)) && L->defaults.v[r] != LIM_OFF)
		return 1;
	for (size_t i = 0; i < L->nsets; i++)
		if ((L->sets[i].present & ((uint64_t)1 << r)) && L->sets[i].v[r] != LIM_OFF)
			return 1;
	return 0;
}

int lim_config_load(lim *L)
{
	int rc;
	lim_map_init(&L->agent_sets, L->api, L->ctx);
	lim_map_init(&L->farm_sets, L->api, L->ctx);
	lim_map_init(&L->inst_sets, L->api, L->ctx);
	for (int r = 0; r < LIM_RULE_COUNT; r++)
		if ((rc = read_default(L, r)) != TH_OK)
			return rc;
	int64_t age_ms;
	if ((rc = read_int(L, "hhi_min_positions", 2, 1000000, 3, &L->hhi_min_positions)) != TH_OK ||
		(rc = read_int(L, "cache_max_age_ms", 0, 60000, 1000, &age_ms)) != TH_OK)
		return rc;
	L->cache_max_age_ns = age_ms * 1000000;
	for (int sc = 0; sc < 3; sc++)
		if ((rc = read_overrides(L, sc)) != TH_OK)
			return rc;
	if ((rc = read_restricted(L)) != TH_OK || (rc = check_consistency(L)) != TH_OK)
		return rc;
	for (int lvl = 0; lvl < LIM_LEVEL_COUNT; lvl++)
		L->any_hhi |= anywhere(L, LIM_POST_RULE(lvl, LIM_M_HHI));
	L->any_rate = anywhere(L, LIM_R_RATE_SECOND) || anywhere(L, LIM_R_RATE_MINUTE);
	return TH_OK;
}

void lim_config_free(lim *L)
{
	lim_map_free(&L->agent_sets);
	lim_map_free(&L->farm_sets);
	lim_map_free(&L->inst_sets);
	if (L->sets)
		L->api->free(L->ctx, L->sets);
	if (L->restricted)
		L->api->free(L->ctx, L->restricted);
	L->sets = NULL;
	L->restricted = NULL;
	L->nsets = L->capsets = L->nrestricted = 0;
}

/* ----------------------------------------------------------- resolution */

void lim_resolve(const lim *L, const char *agent, const char *farm, const char *inst_key, int64_t *eff)
{
	const lim_set *m[3];
	size_t n = 0;
	uint32_t ix;
	uint64_t any = 0;
	if (inst_key[0] && lim_map_get(&L->inst_sets, inst_key, &ix))
		m[n++] = &L->sets[ix];
	if (agent[0] && lim_map_get(&L->agent_sets, agent, &ix))
		m[n++] = &L->sets[ix];
	if (farm[0] && lim_map_get(&L->farm_sets, farm, &ix))
		m[n++] = &L->sets[ix];
	memcpy(eff, L->defaults.v, sizeof L->defaults.v);
	for (size_t k = 0; k < n; k++)
		any |= m[k]->present;
	if (!any)
		return;
	/* overrides replace the host-wide value; several matching overrides
	 * (instrument, agent, farm) combine to the tightest */
	for (int r = 0; r < LIM_RULE_COUNT; r++) {
		uint64_t bit = (uint64_t)1 << r;
		if (!(any & bit))
			continue;
		int first = 1;
		for (size_t k = 0; k < n; k++) {
			if (!(m[k]->present & bit))
				continue;
			int64_t v = m[k]->v[r];
			if (first || (lim_rules[r].kind == LIM_K_BOOL ? v > eff[r] : v < eff[r]))
				eff[r] = v;
			first = 0;
		}
	}
}
