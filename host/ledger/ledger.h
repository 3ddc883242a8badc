/*
 * ledger — a double-entry ledger of fixed-point balances.
 *
 * Accounts have a small integer id (0, 1, 2, ... in creation order), a unique
 * name and an asset ("USDT", "BTC", ...). A balance is an int64 in
 * TH_MONEY_SCALE units of the account's asset (1 BTC = 100000000).
 *
 * A transaction is a list of postings (account, signed amount). It is applied
 * all-or-nothing: ledger_post() refuses the whole transaction, changing
 * nothing, when
 *   - the postings of any one asset do not sum to exactly zero,
 *   - an account flagged LEDGER_NO_OVERDRAFT would end below zero,
 *   - a balance would overflow int64, or an account id is unknown;
 * the error text names the account or asset at fault. The same account may
 * appear several times in one transaction; its postings are netted first.
 *
 * Invariant (ledger_check): for every asset, the sum of all balances is 0.
 * The outside world is represented by ordinary accounts (the capital layer
 * uses "external/<asset>", "market/<asset>" and "fees/<asset>"), which is
 * what lets every movement balance.
 *
 * Pure library: no clock, no I/O, no threads; iteration is always by id, so
 * the same calls in the same order give byte-identical state.
 */
#ifndef HOST_LEDGER_LEDGER_H
#define HOST_LEDGER_LEDGER_H

#include <stddef.h>
#include <stdint.h>
#include <tradehost/th_fixed.h>

typedef struct ledger ledger_t;

typedef struct ledger_posting {
	int32_t account; /* id from ledger_open() */
	th_money amount; /* + credit to the account's balance, - debit */
} ledger_posting;

#define LEDGER_NO_OVERDRAFT 0x1u /* the balance may never go below zero */

/* Called after every successful transaction (e.g. to publish or record it).
 * `txid` counts transactions from 1. Must not call back into the ledger. */
typedef void (*ledger_hook)(void *arg, uint64_t txid, const ledger_posting *p, size_t n, const char *memo);

ledger_t *ledger_create(void);
void ledger_destroy(ledger_t *l);

/* Creates an account with balance 0. Returns its id (>= 0), or a negative
 * th_status: TH_ERR_EXISTS (name taken), TH_ERR_INVALID (empty name, asset
 * empty or longer than TH_ASSET_MAX-1), TH_ERR_NOMEM. */
int32_t ledger_open(ledger_t *l, const char *name, const char *asset, unsigned flags, char *err, size_t errlen);
/* Id of the named account, or -1. */
int32_t ledger_find(const ledger_t *l, const char *name);

size_t ledger_count(const ledger_t *l);
/* Accessors for id in [0, ledger_count): out-of-range ids give 0 / "". */
th_money ledger_balance(const ledger_t *l, int32_t id);
/* The balances of n accounts in one call (out[i] for ids[i]; an id that is
 * not an account reads 0, like ledger_balance): every equity snapshot reads
 * an agent's three accounts. */
void ledger_balances(const ledger_t *l, const int32_t *ids, size_t n, th_money *out);
const char *ledger_name(const ledger_t *l, int32_t id);
const char *ledger_asset(const ledger_t *l, int32_t id);
unsigned ledger_flags(const ledger_t *l, int32_t id);

/* Applies one balanced transaction atomically (see above). `memo` describes
 * it in error messages and to the hook; may be NULL. Returns TH_OK,
 * TH_ERR_INVALID (unbalanced, unknown account, n == 0), TH_ERR_LIMIT
 * (overdraft or overflow) or TH_ERR_NOMEM. */
int ledger_post(ledger_t *l, const ledger_posting *p, size_t n, const char *memo, char *err, size_t errlen);

/* Verifies that every asset's balances sum to zero. TH_OK or TH_ERR with the
 * offending asset and its sum in err. */
int ledger_check(const ledger_t *l, char *err, size_t errlen);

/* Sum of the balances of all accounts in `asset` (0 for a balanced ledger). */
th_money ledger_asset_sum(const ledger_t *l, const char *asset);

uint64_t ledger_tx_count(const ledger_t *l);
void ledger_set_hook(ledger_t *l, ledger_hook fn, void *arg);

#endif
