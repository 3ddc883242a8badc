/*
 * crash_check — the journal view: every OMS record decoded here with the
 * record codec (oms_records.h), independently of the OMS's own replay, into
 * a list of orders (with their last state and journaled fills) and fills.
 *
 * Record-level invariants are checked while reading:
 *   b  no client order id is journaled twice as ORDER_NEW, and the counter
 *      behind the ids only ever grows (ids are never reused);
 *   d  a venue trade id is journaled at most once (the OMS applies a fill
 *      once), and every fill and update refers to a journaled order.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "crash_check.h"
#include "oms/oms_records.h"

static void *grow(void *arr, size_t *cap, size_t elem, size_t need)
{
	if (need <= *cap)
		return arr;
	size_t ncap = *cap ? *cap * 2 : 256;
	while (ncap < need)
		ncap *= 2;
	void *p = realloc(arr, ncap * elem);
	if (!p) {
		fprintf(stderr, "crash_check: out of memory\n");
		exit(2);
	}
	*cap = ncap;
	return p;
}

jorder *crash_journal_order(const crash_journal *cj, const char *clid)
{
	int64_t i;
	return strmap_get(cj->by_clid, clid, &i) ? &cj->orders[i] : NULL;
}

static uint64_t last_counter(const crash_journal *cj)
{
	return cj->norders ? cj->orders[cj->norders - 1].counter : 0;
}

static void on_order_new(crash_journal *cj, const journal_record *rec, const oms_rec_order_new *r)
{
	const th_order *o = &r->order;
	jorder *dup = crash_journal_order(cj, o->client_order_id);
	if (dup) {
		crash_problem("b", "client order id %s journaled as a new order twice (records %llu and %llu)",
			o->client_order_id, (unsigned long long)dup->lsn, (unsigned long long)rec->lsn);
		return;
	}
	if (r->counter <= last_counter(cj))
		crash_problem("b", "order %s (record %llu) uses id counter %llu after counter %llu was already used",
			o->client_order_id, (unsigned long long)rec->lsn, (unsigned long long)r->counter,
			(unsigned long long)last_counter(cj));
	cj->orders = grow(cj->orders, &cj->cap_orders, sizeof *cj->orders, cj->norders + 1);
	jorder *x = &cj->orders[cj->norders];
	memset(x, 0, sizeof *x);
	th_strlcpy(x->clid, o->client_order_id, sizeof x->clid);
	th_strlcpy(x->agent, r->agent, sizeof x->agent);
	th_strlcpy(x->venue, r->venue, sizeof x->venue);
	th_strlcpy(x->symbol, o->symbol, sizeof x->symbol);
	x->side = o->side;
	x->qty = o->qty;
	x->counter = r->counter;
	x->lsn = rec->lsn;
	x->state = TH_ORDER_SUBMITTED;
	if (strmap_put(cj->by_clid, x->clid, (int64_t)cj->norders) < 0) {
		fprintf(stderr, "crash_check: out of memory\n");
		exit(2);
	}
	cj->norders++;
}

static void on_update(crash_journal *cj, const journal_record *rec, const oms_rec_order_update *r)
{
	jorder *o = crash_journal_order(cj, r->client_order_id);
	cj->updates++;
	if (!o) {
		crash_problem("c", "record %llu updates order %s that was never journaled as new",
			(unsigned long long)rec->lsn, r->client_order_id);
		return;
	}
	o->state = r->state;
	th_strlcpy(o->reason, r->reason, sizeof o->reason);
}

static void on_fill(crash_journal *cj, const journal_record *rec, const oms_rec_fill *r)
{
	char key[TH_VENUE_MAX + TH_VENUE_ID_MAX + 2];
	int64_t prev;
	snprintf(key, sizeof key, "%s|%s", r->venue, r->fill.venue_trade_id);
	if (strmap_get(cj->fill_ids, key, &prev)) {
		crash_problem("d", "fill %s on %s journaled twice (record %llu; first for order %s)", r->fill.venue_trade_id,
			r->venue, (unsigned long long)rec->lsn, cj->fills[prev].clid);
		return;
	}
	jorder *o = crash_journal_order(cj, r->fill.client_order_id);
	if (!o) {
		crash_problem("d", "record %llu: fill %s for order %s that was never journaled as new",
			(unsigned long long)rec->lsn, r->fill.venue_trade_id, r->fill.client_order_id);
		return;
	}
	if (r->fill.side != o->side || r->fill.qty <= 0)
		crash_problem("d", "record %llu: fill %s of order %s has side %u qty %lld (order side %u)",
			(unsigned long long)rec->lsn, r->fill.venue_trade_id, o->clid, r->fill.side, (long long)r->fill.qty,
			o->side);
	cj->fills = grow(cj->fills, &cj->cap_fills, sizeof *cj->fills, cj->nfills + 1);
	jfill *f = &cj->fills[cj->nfills];
	memset(f, 0, sizeof *f);
	th_strlcpy(f->venue, r->venue, sizeof f->venue);
	th_strlcpy(f->trade_id, r->fill.venue_trade_id, sizeof f->trade_id);
	th_strlcpy(f->clid, r->fill.client_order_id, sizeof f->clid);
	f->side = r->fill.side;
	f->qty = r->fill.qty;
	f->price = r->fill.price;
	if (strmap_put(cj->fill_ids, key, (int64_t)cj->nfills) < 0) {
		fprintf(stderr, "crash_check: out of memory\n");
		exit(2);
	}
	cj->nfills++;
	o->fill_qty += r->fill.qty;
	o->nfills++;
}

typedef struct replay_arg {
	crash_journal *cj;
	char *err;
	size_t errlen;
} replay_arg;

static int on_record(void *arg, const journal_record *rec)
{
	replay_arg *a = arg;
	crash_journal *cj = a->cj;
	int rc = 0;
	cj->records++;
	switch (rec->type) {
	case OMS_REC_DEPOSIT: {
		oms_rec_deposit r;
		rc = oms_dec_deposit(rec->payload, rec->len, &r);
		cj->deposits++;
		break;
	}
	case OMS_REC_ALLOCATE: {
		oms_rec_allocate r;
		rc = oms_dec_allocate(rec->payload, rec->len, &r);
		cj->allocations++;
		break;
	}
	case OMS_REC_COLLECT: {
		oms_rec_collect r;
		rc = oms_dec_collect(rec->payload, rec->len, &r);
		cj->collects++;
		break;
	}
	case OMS_REC_ORDER_NEW: {
		oms_rec_order_new r;
		rc = oms_dec_order_new(rec->payload, rec->len, &r);
		if (rc == 0)
			on_order_new(cj, rec, &r);
		break;
	}
	case OMS_REC_ORDER_UPDATE: {
		oms_rec_order_update r;
		rc = oms_dec_order_update(rec->payload, rec->len, &r);
		if (rc == 0)
			on_update(cj, rec, &r);
		break;
	}
	case OMS_REC_FILL: {
		oms_rec_fill r;
		rc = oms_dec_fill(rec->payload, rec->len, &r);
		if (rc == 0)
			on_fill(cj, rec, &r);
		break;
	}
	default:
		cj->other++; /* another subsystem's record */
		return 0;
	}
	if (rc != 0) {
		snprintf(a->err, a->errlen, "journal record %llu (type %u, %u bytes) does not decode",
			(unsigned long long)rec->lsn, rec->type, rec->len);
		return -1;
	}
	return 0;
}

int crash_journal_load(const char *state_dir, crash_journal *cj, char *err, size_t errlen)
{
	char dir[4200];
	memset(cj, 0, sizeof *cj);
	cj->by_clid = strmap_create();
	cj->fill_ids = strmap_create();
	if (!cj->by_clid || !cj->fill_ids) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	snprintf(dir, sizeof dir, "%s/journal", state_dir);
	/* journal_open would create a missing directory: an audit must not. */
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s is not a journal directory (%s)", dir, errno ? strerror(errno) : "not a directory");
		return -1;
	}
	journal_options jo;
	memset(&jo, 0, sizeof jo);
	if (journal_open(dir, &jo, &cj->j, err, errlen) != 0)
		return -1;
	replay_arg a = { cj, err, errlen };
	err[0] = '\0';
	int rc = journal_replay(cj->j, 0, on_record, &a);
	if (rc != 0) {
		if (!err[0])
			snprintf(err, errlen, "replaying %s failed: %s", dir, journal_error(cj->j));
		return -1;
	}
	return 0;
}

void crash_journal_close(crash_journal *cj)
{
	if (cj->j && journal_close(cj->j) != 0)
		fprintf(stderr, "crash_check: closing the journal reported an error\n");
	cj->j = NULL;
	strmap_destroy(cj->by_clid);
	strmap_destroy(cj->fill_ids);
	free(cj->orders);
	free(cj->fills);
	memset(cj, 0, sizeof *cj);
}
