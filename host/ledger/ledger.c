#include "ledger/ledger.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tradehost/th_status.h>
#include <tradehost/th_types.h>

#include "ledger/ledger_map.h"

__extension__ typedef __int128 ledger_i128;

typedef struct ledger_account {
	char *name;
	int32_t asset; /* index into ledger.assets */
	unsigned flags;
	th_money balance;
	/* ledger_post's netting: while post number `post_mark` is netted, this
	 * account's postings are summed in net slot `post_slot`. Finding the
	 * slot this way is O(1) per posting instead of a search of the slots. */
	uint64_t post_mark;
	size_t post_slot;
} ledger_account;

struct ledger {
	ledger_account *acc;
	size_t nacc, capacc;
	char (*assets)[TH_ASSET_MAX]; /* interned asset names, in first-use order */
	size_t nassets, capassets;
	ledger_map *by_name;
	uint64_t txs;
	uint64_t posts;  /* post numbers handed out, one or two per ledger_post (ledger_account.post_mark) */
	ledger_hook hook;
	void *hook_arg;
	/* Scratch for ledger_post (grown on demand, never shrunk): the netted
	 * accounts and amounts, and the per-asset sums (at most one asset per
	 * posting). */
	int32_t *net_acc, *sum_asset;
	ledger_i128 *net_amt, *sum_amt;
	size_t capnet;
};

static void ledger_seterr(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void ledger_seterr(char *err, size_t errlen, const char *fmt, ...)
{
	if (!err || errlen == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

ledger_t *ledger_create(void)
{
	ledger_t *l = calloc(1, sizeof *l);
	if (!l)
		return NULL;
	l->by_name = ledger_map_create();
	if (!l->by_name) {
		free(l);
		return NULL;
	}
	return l;
}

void ledger_destroy(ledger_t *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->nacc; i++)
		free(l->acc[i].name);
	free(l->acc);
	free(l->assets);
	free(l->net_acc);
	free(l->net_amt);
	free(l->sum_asset);
	free(l->sum_amt);
	ledger_map_destroy(l->by_name);
	free(l);
}

static int32_t ledger_intern_asset(ledger_t *l, const char *asset)
{
	for (size_t i = 0; i < l->nassets; i++)
		if (strcmp(l->assets[i], asset) == 0)
			return (int32_t)i;
	if (l->nassets == l->capassets) {
		size_t cap = l->capassets ? l->capassets * 2 : 8;
		void *g = realloc(l->assets, cap * sizeof *l->assets);
		if (!g)
			return -1;
		l->assets = g;
		l->capassets = cap;
	}
	memcpy(l->assets[l->nassets], asset, strlen(asset) + 1);
	return (int32_t)l->nassets++;
}

int32_t ledger_open(ledger_t *l, const char *name, const char *asset, unsigned flags, char *err, size_t errlen)
{
	if (!name || !name[0]) {
		ledger_seterr(err, errlen, "ledger account name is empty");
		return TH_ERR_INVALID;
	}
	if (!asset || !asset[0] || strlen(asset) >= TH_ASSET_MAX) {
		ledger_seterr(err, errlen, "ledger account '%s': asset '%s' must be 1..%d characters", name,
			asset ? asset : "", TH_ASSET_MAX - 1);
		return TH_ERR_INVALID;
	}
	if (ledger_map_get(l->by_name, name, NULL)) {
		ledger_seterr(err, errlen, "ledger account '%s' already exists", name);
		return TH_ERR_EXISTS;
	}
	if (l->nacc >= INT32_MAX) {
		ledger_seterr(err, errlen, "too many ledger accounts");
		return TH_ERR_LIMIT;
	}
	if (l->nacc == l->capacc) {
		size_t cap = l->capacc ? l->capacc * 2 : 32;
		void *g = realloc(l->acc, cap * sizeof *l->acc);
		if (!g)
			goto nomem;
		l->acc = g;
		l->capacc = cap;
	}
	int32_t a = ledger_intern_asset(l, asset);
	char *copy = strdup(name);
	if (a < 0 || !copy) {
		free(copy);
		goto nomem;
	}
	int32_t id = (int32_t)l->nacc;
	if (ledger_map_put(l->by_name, name, id) < 0) {
		free(copy);
		goto nomem;
	}
	l->acc[id] = (ledger_account){ copy, a, flags, 0, 0, 0 };
	l->nacc++;
	return id;
nomem:
	ledger_seterr(err, errlen, "out of memory opening ledger account '%s'", name);
	return TH_ERR_NOMEM;
}

int32_t ledger_find(const ledger_t *l, const char *name)
{
	int32_t id;
	return ledger_map_get(l->by_name, name, &id) ? id : -1;
}

size_t ledger_count(const ledger_t *l)
{
	return l->nacc;
}

static int ledger_valid_id(const ledger_t *l, int32_t id)
{
	return id >= 0 && (size_t)id < l->nacc;
}

th_money ledger_balance(const ledger_t *l, int32_t id)
{
	return ledger_valid_id(l, id) ? l->acc[id].balance : 0;
}

void ledger_balances(const ledger_t *l, const int32_t *ids, size_t n, th_money *out)
{
	for (size_t i = 0; i < n; i++)
		out[i] = ledger_valid_id(l, ids[i]) ? l->acc[ids[i]].balance : 0;
}

const char *ledger_name(const ledger_t *l, int32_t id)
{
	return ledger_valid_id(l, id) ? l->acc[id].name : "";
}

const char *ledger_asset(const ledger_t *l, int32_t id)
{
	return ledger_valid_id(l, id) ? l->assets[l->acc[id].asset] : "";
}

unsigned ledger_flags(const ledger_t *l, int32_t id)
{
	return ledger_valid_id(l, id) ? l->acc[id].flags : 0;
}

/* Formats a money amount for messages; values outside int64 are shown as such. */
static const char *ledger_fmt(ledger_i128 v, char *buf, size_t cap)
{
	if (v > INT64_MAX || v < INT64_MIN)
		snprintf(buf, cap, "%s", v > 0 ? "(beyond +int64)" : "(beyond -int64)");
	else if (th_fixed_format((int64_t)v, TH_MONEY_SCALE, buf, cap) < 0)
		snprintf(buf, cap, "?");
	return buf;
}

static int ledger_reserve_scratch(ledger_t *l, size_t n)
{
	if (n <= l->capnet)
		return 0;
	int32_t *a = realloc(l->net_acc, n * sizeof *a);
	if (!a)
		return -1;
	l->net_acc = a;
	ledger_i128 *m = realloc(l->net_amt, n * sizeof *m);
	if (!m)
		return -1;
	l->net_amt = m;
	a = realloc(l->sum_asset, n * sizeof *a);
	if (!a)
		return -1;
	l->sum_asset = a;
	m = realloc(l->sum_amt, n * sizeof *m);
	if (!m)
		return -1;
	l->sum_amt = m;
	l->capnet = n;
	return 0;
}

/* The usual transaction, applied directly: every account distinct, in at
 * most LEDGER_SIMPLE_ASSETS assets (a fill moves quote and base), amounts
 * summing to zero per asset in 64 bits, no balance overflowing or going
 * below zero where that is not allowed. Returns 0 when it applied it, -1
 * (nothing changed) for anything else, which ledger_post's general way then
 * nets, checks and explains exactly as before. Each posting's account is
 * marked with a post number of its own to find repeats in one pass. */
#define LEDGER_SIMPLE_ASSETS 4
static int ledger_post_simple(ledger_t *l, const ledger_posting *p, size_t n)
{
	uint64_t mark = ++l->posts;
	int32_t asset[LEDGER_SIMPLE_ASSETS];
	int64_t sum[LEDGER_SIMPLE_ASSETS];
	size_t na = 0;
	for (size_t i = 0; i < n; i++) {
		if (!ledger_valid_id(l, p[i].account))
			return -1;
		ledger_account *a = &l->acc[p[i].account];
		if (a->post_mark == mark)
			return -1; /* a repeat: netting needed */
		a->post_mark = mark;
		size_t j = 0;
		while (j < na && asset[j] != a->asset)
			j++;
		if (j == na) {
			if (na == LEDGER_SIMPLE_ASSETS)
				return -1;
			asset[na] = a->asset;
			sum[na++] = 0;
		}
		int64_t nb;
		if (__builtin_add_overflow(sum[j], p[i].amount, &sum[j]) ||
			__builtin_add_overflow(a->balance, p[i].amount, &nb) || ((a->flags & LEDGER_NO_OVERDRAFT) && nb < 0))
			return -1;
	}
	for (size_t j = 0; j < na; j++)
		if (sum[j] != 0)
			return -1;
	for (size_t i = 0; i < n; i++)
		l->acc[p[i].account].balance += p[i].amount;
	return 0;
}

int ledger_post(ledger_t *l, const ledger_posting *p, size_t n, const char *memo, char *err, size_t errlen)
{
	char b1[48], b2[48];
	if (n > 0 && p && ledger_post_simple(l, p, n) == 0) {
		l->txs++;
		if (l->hook)
			l->hook(l->hook_arg, l->txs, p, n, memo);
		return TH_OK;
	}
	const char *what = memo ? memo : "(no memo)";
	if (n == 0 || !p) {
		ledger_seterr(err, errlen, "transaction '%s' has no postings", what);
		return TH_ERR_INVALID;
	}
	if (ledger_reserve_scratch(l, n) != 0) {
		ledger_seterr(err, errlen, "out of memory posting '%s'", what);
		return TH_ERR_NOMEM;
	}
	/* Net the postings per account, and sum them per asset, both in order
	 * of first appearance (transactions are small: linear searches are
	 * fine). An asset first appears with the first posting in it, which is
	 * also where its account first appears, so the asset named below is the
	 * first unbalanced one in either order. */
	size_t k = 0, na = 0;
	uint64_t mark = ++l->posts; /* never 0: a new account's mark matches no post */
	for (size_t i = 0; i < n; i++) {
		if (!ledger_valid_id(l, p[i].account)) {
			ledger_seterr(err, errlen, "transaction '%s': posting %zu names unknown account id %d", what, i,
				(int)p[i].account);
			return TH_ERR_INVALID;
		}
		ledger_account *acct = &l->acc[p[i].account];
		size_t j = acct->post_slot;
		if (acct->post_mark != mark) {
			acct->post_mark = mark;
			acct->post_slot = j = k;
			l->net_acc[k] = p[i].account;
			l->net_amt[k++] = 0;
		}
		l->net_amt[j] += p[i].amount;
		int32_t asset = acct->asset;
		j = 0;
		while (j < na && l->sum_asset[j] != asset)
			j++;
		if (j == na) {
			l->sum_asset[na] = asset;
			l->sum_amt[na++] = 0;
		}
		l->sum_amt[j] += p[i].amount;
	}
	/* Per asset the postings must sum to zero. */
	for (size_t j = 0; j < na; j++)
		if (l->sum_amt[j] != 0) {
			ledger_seterr(err, errlen, "transaction '%s' refused: postings in %s sum to %s, not zero", what,
				l->assets[l->sum_asset[j]], ledger_fmt(l->sum_amt[j], b1, sizeof b1));
			return TH_ERR_INVALID;
		}
	/* Overdraft and overflow, checked before anything changes. */
	for (size_t i = 0; i < k; i++) {
		const ledger_account *a = &l->acc[l->net_acc[i]];
		ledger_i128 nb = (ledger_i128)a->balance + l->net_amt[i];
		if (nb > INT64_MAX || nb < INT64_MIN) {
			ledger_seterr(err, errlen, "transaction '%s' refused: balance of account '%s' would overflow", what,
				a->name);
			return TH_ERR_LIMIT;
		}
		if ((a->flags & LEDGER_NO_OVERDRAFT) && nb < 0) {
			ledger_seterr(err, errlen,
				"transaction '%s' refused: account '%s' would go negative (balance %s %s, change %s)", what,
				a->name, ledger_fmt(a->balance, b1, sizeof b1), l->assets[a->asset],
				ledger_fmt(l->net_amt[i], b2, sizeof b2));
			return TH_ERR_LIMIT;
		}
	}
	for (size_t i = 0; i < k; i++)
		l->acc[l->net_acc[i]].balance += (th_money)l->net_amt[i];
	l->txs++;
	if (l->hook)
		l->hook(l->hook_arg, l->txs, p, n, memo);
	return TH_OK;
}

int ledger_check(const ledger_t *l, char *err, size_t errlen)
{
	char b[48];
	for (size_t a = 0; a < l->nassets; a++) {
		ledger_i128 sum = 0;
		for (size_t i = 0; i < l->nacc; i++)
			if ((size_t)l->acc[i].asset == a)
				sum += l->acc[i].balance;
		if (sum != 0) {
			ledger_seterr(err, errlen, "ledger out of balance: %s accounts sum to %s, not zero", l->assets[a],
				ledger_fmt(sum, b, sizeof b));
			return TH_ERR;
		}
	}
	return TH_OK;
}

th_money ledger_asset_sum(const ledger_t *l, const char *asset)
{
	ledger_i128 sum = 0;
	for (size_t i = 0; i < l->nacc; i++)
		if (strcmp(l->assets[l->acc[i].asset], asset) == 0)
			sum += l->acc[i].balance;
	return sum > INT64_MAX ? INT64_MAX : sum < INT64_MIN ? INT64_MIN : (th_money)sum;
}

uint64_t ledger_tx_count(const ledger_t *l)
{
	return l->txs;
}

void ledger_set_hook(ledger_t *l, ledger_hook fn, void *arg)
{
	l->hook = fn;
	l->hook_arg = arg;
}
