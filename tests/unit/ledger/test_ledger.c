/* The double-entry ledger: balanced all-or-nothing transactions, overdraft
 * refusal naming the account, the per-asset invariant, and the index map. */
#include "ledger_test_util.h"

#include <stdlib.h>
#include <tradehost/th_status.h>

#include "ledger/ledger.h"
#include "ledger/ledger_map.h"

typedef struct hook_log {
	int calls;
	uint64_t last_tx;
	size_t last_n;
	char memo[32];
} hook_log;

static void on_tx(void *arg, uint64_t txid, const ledger_posting *p, size_t n, const char *memo)
{
	hook_log *h = arg;
	(void)p;
	h->calls++;
	h->last_tx = txid;
	h->last_n = n;
	snprintf(h->memo, sizeof h->memo, "%s", memo ? memo : "");
}

static void test_open_and_find(void **state)
{
	(void)state;
	char err[256];
	ledger_t *l = ledger_create();
	assert_int_equal(ledger_open(l, "ext", "USDT", 0, err, sizeof err), 0);
	assert_int_equal(ledger_open(l, "cash", "USDT", LEDGER_NO_OVERDRAFT, err, sizeof err), 1);
	assert_int_equal(ledger_open(l, "btc", "BTC", 0, err, sizeof err), 2);
	assert_int_equal(ledger_open(l, "cash", "USDT", 0, err, sizeof err), TH_ERR_EXISTS);
	assert_non_null(strstr(err, "'cash' already exists"));
	assert_int_equal(ledger_open(l, "x", "", 0, err, sizeof err), TH_ERR_INVALID);
	assert_non_null(strstr(err, "asset"));
	assert_int_equal(ledger_open(l, "y", "ABCDEFGHIJKLMNOP", 0, err, sizeof err), TH_ERR_INVALID);
	assert_int_equal(ledger_open(l, "", "USDT", 0, err, sizeof err), TH_ERR_INVALID);
	assert_int_equal(ledger_find(l, "btc"), 2);
	assert_int_equal(ledger_find(l, "nope"), -1);
	assert_int_equal(ledger_count(l), 3);
	assert_string_equal(ledger_name(l, 1), "cash");
	assert_string_equal(ledger_asset(l, 2), "BTC");
	assert_int_equal(ledger_flags(l, 1), LEDGER_NO_OVERDRAFT);
	assert_string_equal(ledger_name(l, 99), "");
	ledger_destroy(l);
}

static void test_post_balanced(void **state)
{
	(void)state;
	char err[256];
	hook_log h = { 0 };
	ledger_t *l = ledger_create();
	ledger_set_hook(l, on_tx, &h);
	int32_t ext = ledger_open(l, "ext", "USDT", 0, err, sizeof err);
	int32_t cash = ledger_open(l, "cash", "USDT", LEDGER_NO_OVERDRAFT, err, sizeof err);
	int32_t mkt = ledger_open(l, "mkt", "USDT", 0, err, sizeof err);
	int32_t pos = ledger_open(l, "pos", "BTC", 0, err, sizeof err);
	int32_t mkb = ledger_open(l, "mktbtc", "BTC", 0, err, sizeof err);
	ledger_posting dep[] = { { ext, -USD(1000) }, { cash, USD(1000) } };
	assert_int_equal(ledger_post(l, dep, 2, "deposit", err, sizeof err), 0);
	/* A buy: 0.5 BTC for 30000.5 USDT... too much: refused, nothing applied. */
	ledger_posting buy[] = { { cash, -USD(30000) }, { mkt, USD(30000) }, { pos, 50000000 }, { mkb, -50000000 } };
	assert_int_equal(ledger_post(l, buy, 4, "buy", err, sizeof err), TH_ERR_LIMIT);
	assert_non_null(strstr(err, "account 'cash' would go negative"));
	assert_non_null(strstr(err, "'buy'"));
	assert_int_equal(ledger_balance(l, cash), USD(1000));
	assert_int_equal(ledger_balance(l, pos), 0);
	assert_int_equal(ledger_balance(l, mkt), 0);
	/* 0.01 BTC for 600 USDT: both assets balance. */
	buy[0].amount = -USD(600);
	buy[1].amount = USD(600);
	buy[2].amount = 1000000;
	buy[3].amount = -1000000;
	assert_int_equal(ledger_post(l, buy, 4, "buy", err, sizeof err), 0);
	assert_int_equal(ledger_balance(l, cash), USD(400));
	assert_int_equal(ledger_balance(l, pos), 1000000);
	assert_int_equal(ledger_balance(l, mkb), -1000000);
	assert_int_equal(ledger_check(l, err, sizeof err), 0);
	assert_int_equal(ledger_asset_sum(l, "USDT"), 0);
	assert_int_equal(ledger_tx_count(l), 2);
	assert_int_equal(h.calls, 2);
	assert_int_equal(h.last_tx, 2);
	assert_int_equal(h.last_n, 4);
	assert_string_equal(h.memo, "buy");
	ledger_destroy(l);
}

static void test_unbalanced_refused(void **state)
{
	(void)state;
	char err[256];
	ledger_t *l = ledger_create();
	int32_t a = ledger_open(l, "a", "USDT", 0, err, sizeof err);
	int32_t b = ledger_open(l, "b", "USDT", 0, err, sizeof err);
	int32_t x = ledger_open(l, "x", "BTC", 0, err, sizeof err);
	ledger_posting p[] = { { a, -USD(5) }, { b, USD(4) } };
	assert_int_equal(ledger_post(l, p, 2, "short by one", err, sizeof err), TH_ERR_INVALID);
	assert_non_null(strstr(err, "USDT sum to -1.00000000"));
	assert_int_equal(ledger_balance(l, a), 0);
	/* Cross-asset postings never balance each other. */
	ledger_posting q[] = { { a, -USD(5) }, { x, USD(5) } };
	assert_int_equal(ledger_post(l, q, 2, "mixed", err, sizeof err), TH_ERR_INVALID);
	assert_int_equal(ledger_balance(l, x), 0);
	ledger_posting bad[] = { { 7, 1 }, { a, -1 } };
	assert_int_equal(ledger_post(l, bad, 2, "bad id", err, sizeof err), TH_ERR_INVALID);
	assert_non_null(strstr(err, "unknown account id 7"));
	assert_int_equal(ledger_post(l, p, 0, "empty", err, sizeof err), TH_ERR_INVALID);
	assert_int_equal(ledger_tx_count(l), 0);
	ledger_destroy(l);
}

static void test_netting_and_overflow(void **state)
{
	(void)state;
	char err[256];
	ledger_t *l = ledger_create();
	int32_t ext = ledger_open(l, "ext", "USDT", 0, err, sizeof err);
	int32_t cash = ledger_open(l, "cash", "USDT", LEDGER_NO_OVERDRAFT, err, sizeof err);
	/* The same no-overdraft account credited and debited in one transaction:
	 * only the net counts, so this passes from a zero balance. */
	ledger_posting p[] = { { cash, USD(10) }, { cash, -USD(10) }, { ext, USD(3) }, { ext, -USD(3) } };
	assert_int_equal(ledger_post(l, p, 4, "net zero", err, sizeof err), 0);
	ledger_posting big[] = { { ext, -INT64_MAX }, { cash, INT64_MAX } };
	assert_int_equal(ledger_post(l, big, 2, "max", err, sizeof err), 0);
	ledger_posting more[] = { { ext, -1 }, { cash, 1 } };
	assert_int_equal(ledger_post(l, more, 2, "overflow", err, sizeof err), TH_ERR_LIMIT);
	assert_non_null(strstr(err, "overflow"));
	assert_int_equal(ledger_balance(l, cash), INT64_MAX);
	assert_int_equal(ledger_check(l, err, sizeof err), 0);
	ledger_destroy(l);
}

static void test_map_churn(void **state)
{
	(void)state;
	ledger_map *m = ledger_map_create();
	char key[32];
	/* Insert 2000, delete every third, re-check all: exercises growth and
	 * backward-shift deletion across probe runs. */
	for (int i = 0; i < 2000; i++) {
		snprintf(key, sizeof key, "k%d", i);
		assert_int_equal(ledger_map_put(m, key, i), 0);
	}
	for (int i = 0; i < 2000; i += 3) {
		snprintf(key, sizeof key, "k%d", i);
		assert_int_equal(ledger_map_del(m, key), 1);
		assert_int_equal(ledger_map_del(m, key), 0);
	}
	for (int i = 0; i < 2000; i++) {
		int32_t v = -1;
		snprintf(key, sizeof key, "k%d", i);
		int found = ledger_map_get(m, key, &v);
		assert_int_equal(found, i % 3 != 0);
		if (found)
			assert_int_equal(v, i);
	}
	assert_int_equal(ledger_map_size(m), 2000 - 667);
	snprintf(key, sizeof key, "k1");
	assert_int_equal(ledger_map_put(m, key, 77), 1);
	int32_t v;
	assert_int_equal(ledger_map_get(m, "k1", &v), 1);
	assert_int_equal(v, 77);
	ledger_map_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_and_find),
		cmocka_unit_test(test_post_balanced),
		cmocka_unit_test(test_unbalanced_refused),
		cmocka_unit_test(test_netting_and_overflow),
		cmocka_unit_test(test_map_churn),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
