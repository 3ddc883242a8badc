/* Capital hierarchy setup: creation, wallets (master, farms, agents), the
 * world accounts, settings and small helpers shared by the capital_*.c files. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tradehost/th_status.h>

#include "ledger/capital_internal.h"

void cap_err(char *err, size_t errlen, const char *fmt, ...)
{
	if (!err || errlen == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

const char *cap_fmt(th_money v, char *buf, size_t cap)
{
	if (th_fixed_format(v, TH_MONEY_SCALE, buf, cap) < 0)
		snprintf(buf, cap, "?");
	return buf;
}

int32_t cap_wallet_find(const capital_t *c, const char *name)
{
	int32_t i = c->hint_wallet;
	if (!name)
		return -1;
	if (i >= 0 && (size_t)i < c->nw && strcmp(c->w[i].name, name) == 0)
		return i; /* the hint: see capital.hint_wallet */
	if (!ledger_map_get(c->wallet_by_name, name, &i))
		return -1;
	((capital_t *)c)->hint_wallet = i;
	return i;
}

int cap_curve_init(cap_curve *cv, size_t cap)
{
	memset(cv, 0, sizeof *cv);
	cv->pts = calloc(cap, sizeof *cv->pts);
	if (!cv->pts)
		return -1;
	cv->cap = cap;
	cv->nav = cv->peak_nav = CAPITAL_NAV_ONE;
	return 0;
}

/* "external/USDT", "market/BTC", "fees/BNB": created on first use. */
int32_t cap_world_account(capital_t *c, const char *kind, const char *asset, char *err, size_t errlen)
{
	char name[64];
	snprintf(name, sizeof name, "%s/%s", kind, asset);
	int32_t id = ledger_find(c->ledger, name);
	if (id >= 0)
		return id;
	return ledger_open(c->ledger, name, asset, 0, err, errlen);
}

static int cap_add_wallet(capital_t *c, const char *name, int kind, int32_t parent, char *err, size_t errlen)
{
	char acct[TH_NAME_MAX + 32];
	const char *prefix = kind == CAPITAL_KIND_MASTER ? "master" : kind == CAPITAL_KIND_FARM ? "farm" : "agent";
	if (c->nw == c->capw) {
		size_t cap = c->capw ? c->capw * 2 : 16;
		void *g = realloc(c->w, cap * sizeof *c->w);
		if (!g) {
			cap_err(err, errlen, "out of memory adding wallet '%s'", name);
			return TH_ERR_NOMEM;
		}
		c->w = g;
		c->capw = cap;
	}
	cap_wallet nw;
	memset(&nw, 0, sizeof nw);
	memcpy(nw.name, name, strlen(name) + 1);
	nw.kind = kind;
	nw.parent = parent;
	nw.acct_reserved = nw.acct_collateral = -1;
	/* Accounts are opened first; a failure leaves at most unused empty
	 * accounts behind, never a half-registered wallet. */
	if (kind == CAPITAL_KIND_MASTER)
		snprintf(acct, sizeof acct, "master/cash");
	else
		snprintf(acct, sizeof acct, "%s/%s/cash", prefix, name);
	nw.acct_cash = ledger_open(c->ledger, acct, c->quote, LEDGER_NO_OVERDRAFT, err, errlen);
	if (nw.acct_cash < 0)
		return nw.acct_cash;
	if (kind == CAPITAL_KIND_AGENT) {
		snprintf(acct, sizeof acct, "agent/%s/reserved", name);
		nw.acct_reserved = ledger_open(c->ledger, acct, c->quote, LEDGER_NO_OVERDRAFT, err, errlen);
		if (nw.acct_reserved < 0)
			return nw.acct_reserved;
		snprintf(acct, sizeof acct, "agent/%s/collateral", name);
		nw.acct_collateral = ledger_open(c->ledger, acct, c->quote, LEDGER_NO_OVERDRAFT, err, errlen);
		if (nw.acct_collateral < 0)
			return nw.acct_collateral;
	}
	int32_t wi = (int32_t)c->nw;
	if (cap_note_account(c, nw.acct_cash, wi, CAP_ROLE_CASH) != TH_OK ||
		cap_note_account(c, nw.acct_reserved, wi, CAP_ROLE_RESERVED) != TH_OK ||
		cap_note_account(c, nw.acct_collateral, wi, CAP_ROLE_COLLATERAL) != TH_OK) {
		cap_err(err, errlen, "out of memory adding wallet '%s'", name);
		return TH_ERR_NOMEM;
	}
	if (cap_curve_init(&nw.curve, c->curve_limit) != 0 ||
		ledger_map_put(c->wallet_by_name, name, wi) < 0) {
		free(nw.curve.pts);
		cap_err(err, errlen, "out of memory adding wallet '%s'", name);
		return TH_ERR_NOMEM;
	}
	c->w[c->nw++] = nw;
	return TH_OK;
}

capital_t *capital_create(const char *quote_asset, char *err, size_t errlen)
{
	if (!quote_asset || !quote_asset[0] || strlen(quote_asset) >= TH_ASSET_MAX || strchr(quote_asset, '/')) {
		cap_err(err, errlen, "capital: quote asset '%s' must be 1..%d characters without '/'",
			quote_asset ? quote_asset : "", TH_ASSET_MAX - 1);
		return NULL;
	}
	capital_t *c = calloc(1, sizeof *c);
	if (!c)
		goto nomem;
	memcpy(c->quote, quote_asset, strlen(quote_asset) + 1);
	c->curve_limit = CAPITAL_CURVE_LIMIT_DEFAULT;
	c->lookback = 30;
	c->min_history = 5;
	c->ledger = ledger_create();
	c->wallet_by_name = ledger_map_create();
	c->ins_by_key = ledger_map_create();
	c->ord_by_key = ledger_map_create();
	if (!c->ledger || !c->wallet_by_name || !c->ins_by_key || !c->ord_by_key)
		goto nomem;
	if (cap_curve_init(&c->total_curve, c->curve_limit) != 0)
		goto nomem;
	c->acct_external = cap_world_account(c, "external", c->quote, err, errlen);
	c->acct_market = cap_world_account(c, "market", c->quote, err, errlen);
	c->acct_fees = cap_world_account(c, "fees", c->quote, err, errlen);
	if (c->acct_external < 0 || c->acct_market < 0 || c->acct_fees < 0)
		goto fail;
	if (cap_add_wallet(c, CAPITAL_MASTER_NAME, CAPITAL_KIND_MASTER, -1, err, errlen) != TH_OK)
		goto fail;
	return c;
nomem:
	cap_err(err, errlen, "out of memory creating the capital hierarchy");
fail:
	capital_destroy(c);
	return NULL;
}

void capital_destroy(capital_t *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nw; i++) {
		free(c->w[i].pos);
		free(c->w[i].curve.pts);
	}
	cap_running_free(c);
	free(c->w);
	free(c->ins);
	free(c->ord);
	free(c->total_curve.pts);
	ledger_map_destroy(c->wallet_by_name);
	ledger_map_destroy(c->ins_by_key);
	ledger_map_destroy(c->ord_by_key);
	ledger_destroy(c->ledger);
	free(c);
}

const char *capital_quote(const capital_t *c)
{
	return c->quote;
}

const ledger_t *capital_ledger(const capital_t *c)
{
	return c->ledger;
}

static int cap_check_name(const capital_t *c, const char *what, const char *name, char *err, size_t errlen)
{
	if (!name || !name[0] || strlen(name) >= TH_NAME_MAX) {
		cap_err(err, errlen, "%s name '%s' must be 1..%d characters", what, name ? name : "", TH_NAME_MAX - 1);
		return TH_ERR_INVALID;
	}
	if (strchr(name, '/')) {
		cap_err(err, errlen, "%s name '%s' must not contain '/'", what, name);
		return TH_ERR_INVALID;
	}
	if (strcmp(name, CAPITAL_MASTER_NAME) == 0 || strcmp(name, CAPITAL_TOTAL_NAME) == 0) {
		cap_err(err, errlen, "%s name '%s' is reserved", what, name);
		return TH_ERR_INVALID;
	}
	if (cap_wallet_find(c, name) >= 0) {
		cap_err(err, errlen, "%s name '%s' is already used by a farm or agent", what, name);
		return TH_ERR_EXISTS;
	}
	return TH_OK;
}

int capital_add_farm(capital_t *c, const char *farm, char *err, size_t errlen)
{
	int rc = cap_check_name(c, "farm", farm, err, errlen);
	if (rc != TH_OK)
		return rc;
	return cap_add_wallet(c, farm, CAPITAL_KIND_FARM, CAP_MASTER, err, errlen);
}

int capital_add_agent(capital_t *c, const char *agent, const char *farm, char *err, size_t errlen)
{
	int32_t f = cap_wallet_find(c, farm);
	if (f < 0 || c->w[f].kind != CAPITAL_KIND_FARM) {
		cap_err(err, errlen, "agent '%s': farm '%s' does not exist", agent ? agent : "", farm ? farm : "");
		return TH_ERR_NOT_FOUND;
	}
	int rc = cap_check_name(c, "agent", agent, err, errlen);
	if (rc != TH_OK)
		return rc;
	return cap_add_wallet(c, agent, CAPITAL_KIND_AGENT, f, err, errlen);
}

int capital_set_weight(capital_t *c, const char *child, double weight, char *err, size_t errlen)
{
	int32_t i = cap_wallet_find(c, child);
	if (i <= CAP_MASTER) {
		cap_err(err, errlen, "weight: '%s' is not a farm or agent", child ? child : "");
		return TH_ERR_NOT_FOUND;
	}
	if (!isfinite(weight) || weight < 0) {
		cap_err(err, errlen, "weight of '%s' must be a finite number >= 0", child);
		return TH_ERR_INVALID;
	}
	c->w[i].weight = weight;
	return TH_OK;
}

int capital_set_perf_window(capital_t *c, int lookback, int min_history, char *err, size_t errlen)
{
	if (min_history < 2 || lookback < min_history || lookback > 100000) {
		cap_err(err, errlen, "performance window: need 2 <= min_history (%d) <= lookback (%d) <= 100000",
			min_history, lookback);
		return TH_ERR_INVALID;
	}
	c->lookback = lookback;
	c->min_history = min_history;
	return TH_OK;
}

int capital_set_curve_limit(capital_t *c, size_t points, char *err, size_t errlen)
{
	if (points < 2 || points > ((size_t)1 << 24)) {
		cap_err(err, errlen, "curve limit %zu out of range 2..%zu", points, (size_t)1 << 24);
		return TH_ERR_INVALID;
	}
	/* Resize everything or nothing: copy into new rings first, then swap in. */
	size_t n = c->nw + 1;
	cap_point **fresh = calloc(n, sizeof *fresh);
	int ok = fresh != NULL;
	for (size_t i = 0; ok && i < n; i++) {
		fresh[i] = cap_curve_copy(i < c->nw ? &c->w[i].curve : &c->total_curve, points);
		ok = fresh[i] != NULL;
	}
	if (!ok) {
		for (size_t i = 0; fresh && i < n; i++)
			free(fresh[i]);
		free(fresh);
		cap_err(err, errlen, "out of memory resizing equity curves");
		return TH_ERR_NOMEM;
	}
	for (size_t i = 0; i < n; i++)
		cap_curve_adopt(i < c->nw ? &c->w[i].curve : &c->total_curve, fresh[i], points);
	free(fresh);
	c->curve_limit = points;
	return TH_OK;
}
