/* Capital operations that must survive a restart: journaled, then applied. */
#include <stdio.h>

#include "oms/oms_internal.h"

int oms_deposit(oms_t *o, th_money amount, char *err, size_t errlen)
{
	oms_rec_deposit r = { amount };
	if (amount <= 0) {
		snprintf(err, errlen, "deposit must be positive");
		return -1;
	}
	if (capital_deposit(o->capital, amount) != 0) {
		snprintf(err, errlen, "deposit refused by the ledger");
		return -1;
	}
	size_t len = oms_enc_deposit(o->buf, sizeof o->buf, &r);
	return oms_journal(o, OMS_REC_DEPOSIT, len, NULL, NULL);
}

int oms_allocate(oms_t *o, const char *from, const char *to, th_money amount, char *err, size_t errlen)
{
	oms_rec_allocate r = { .amount = amount };
	th_strlcpy(r.from, from, sizeof r.from);
	th_strlcpy(r.to, to, sizeof r.to);
	if (capital_allocate(o->capital, from, to, amount, err, errlen) != 0)
		return -1;
	size_t len = oms_enc_allocate(o->buf, sizeof o->buf, &r);
	return oms_journal(o, OMS_REC_ALLOCATE, len, NULL, NULL);
}

int oms_collect_profits(oms_t *o, const char *wallet, char *err, size_t errlen)
{
	oms_rec_collect r;
	th_strlcpy(r.wallet, wallet, sizeof r.wallet);
	if (capital_collect_profits(o->capital, wallet, err, errlen) != 0)
		return -1;
	size_t len = oms_enc_collect(o->buf, sizeof o->buf, &r);
	return oms_journal(o, OMS_REC_COLLECT, len, NULL, NULL);
}
