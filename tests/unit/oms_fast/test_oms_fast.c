/* The OMS's per-order fast paths keep the exact behaviour of the slow ones:
 * fill de-duplication per order (inline first trade id, then a per-order
 * set) across many fills, venue replays and a journal restart; fills of
 * unknown orders or of another venue are never booked; order records in
 * chunks stay put while the OMS grows; oms_find's last-order cache never
 * answers for another id; published order events carry zeros after every
 * string, as th_strlcpy into a zeroed event did. Real journal (temp dir),
 * real capital hierarchy, a scripted venue. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "oms/oms_internal.h"

typedef struct venue {
	th_instrument ins;
	int nsubmit;
	th_event last_order_event; /* the OMS's last TH_EV_ORDER publication */
	int npublished_fills;
} venue;

static int64_t v_now(void *c) { (void)c; return 5000; }
static const th_instrument *v_instrument(void *c, const char *ven, const char *symbol)
{
	venue *v = c;
	return strcmp(ven, "sim") == 0 && strcmp(symbol, v->ins.symbol) == 0 ? &v->ins : NULL;
}
static int v_submit(void *c, const char *ven, const th_order *o) { (void)ven, (void)o; ((venue *)c)->nsubmit++; return TH_OK; }
static int v_clid(void *c, const char *ven, const char *clid) { (void)c, (void)ven, (void)clid; return TH_OK; }
static int v_publish(void *c, const th_event *ev)
{
	venue *v = c;
	if (ev->h.type == TH_EV_ORDER)
		v->last_order_event = *ev;
	else if (ev->h.type == TH_EV_FILL)
		v->npublished_fills++;
	return TH_OK;
}
static th_price v_last(void *c, const char *ven, const char *symbol, int32_t *scale)
{
	(void)c, (void)ven, (void)symbol;
	*scale = 2;
	return 6500000;
}

typedef struct world {
	venue v;
	char dir[64];
	journal_t *j;  /* NULL: no journal (a backtest) */
	capital_t *c;
	oms_t *o;
} world;

static void world_open(world *w, int with_journal, int fresh)
{
	char err[512];
	oms_env env = { &w->v, v_now, v_instrument, v_submit, v_clid, v_clid, v_publish, v_last };
	w->j = NULL;
	if (with_journal) {
		journal_options jo = { 0 };
		jo.mode = JOURNAL_SYNC_EACH;
		assert_int_equal(journal_open(w->dir, &jo, &w->j, err, sizeof err), 0);
	}
	w->c = capital_create("USDT", err, sizeof err);
	assert_non_null(w->c);
	assert_int_equal(capital_add_farm(w->c, "farm", err, sizeof err), 0);
	assert_int_equal(capital_add_agent(w->c, "alice", "farm", err, sizeof err), 0);
	w->o = oms_create(&env, NULL, w->j, w->c, err, sizeof err);
	assert_non_null(w->o);
	assert_int_equal(oms_recover(w->o, err, sizeof err), 0);
	if (fresh) {
		th_money cash = 1000000 * 100000000LL;
		assert_int_equal(oms_deposit(w->o, cash, err, sizeof err), 0);
		assert_int_equal(oms_allocate(w->o, "master", "farm", cash, err, sizeof err), 0);
		assert_int_equal(oms_allocate(w->o, "farm", "alice", cash, err, sizeof err), 0);
	}
}

static void world_close(world *w)
{
	oms_destroy(w->o);
	if (w->j)
		journal_close(w->j);
	capital_destroy(w->c);
}

static world *world_new(void)
{
	world *w = calloc(1, sizeof *w);
	assert_non_null(w);
	snprintf(w->dir, sizeof w->dir, "/tmp/th-omsfast-XXXXXX");
	assert_non_null(mkdtemp(w->dir));
	th_strlcpy(w->v.ins.venue, "sim", sizeof w->v.ins.venue);
	th_strlcpy(w->v.ins.symbol, "BTC-USDT", sizeof w->v.ins.symbol);
	th_strlcpy(w->v.ins.base, "BTC", sizeof w->v.ins.base);
	th_strlcpy(w->v.ins.quote, "USDT", sizeof w->v.ins.quote);
	w->v.ins.price_scale = 2;
	w->v.ins.qty_scale = 4;
	w->v.ins.tick = 1;
	w->v.ins.lot = 10;
	w->v.ins.min_notional = 1;
	return w;
}

static void world_free(world *w)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", w->dir);
	assert_int_equal(system(cmd), 0);
	free(w);
}

static void settle(world *w)
{
	if (!w->j)
		return;
	for (int i = 0; i < 2000; i++) {
		oms_poll(w->o);
		if (journal_durable_lsn(w->j) + 1 == journal_next_lsn(w->j)) {
			oms_poll(w->o);
			return;
		}
		usleep(1000);
	}
	fail_msg("journal did not settle");
}

static void place(world *w, th_qty qty)
{
	char err[256];
	th_event ev;
	memset(&ev, 0, sizeof ev);
	th_event_init(&ev, TH_EV_INTENT);
	th_strlcpy(ev.h.venue, "sim", sizeof ev.h.venue);
	th_strlcpy(ev.h.agent, "alice", sizeof ev.h.agent);
	ev.u.intent.action = TH_INTENT_PLACE;
	th_strlcpy(ev.u.intent.farm, "farm", sizeof ev.u.intent.farm);
	th_strlcpy(ev.u.intent.order.symbol, "BTC-USDT", sizeof ev.u.intent.order.symbol);
	ev.u.intent.order.side = TH_SIDE_BUY;
	ev.u.intent.order.type = TH_ORDER_LIMIT;
	ev.u.intent.order.tif = TH_TIF_GTC;
	ev.u.intent.order.price = 6400000;
	ev.u.intent.order.qty = qty;
	ev.u.intent.order.price_scale = 2;
	ev.u.intent.order.qty_scale = 4;
	if (oms_submit(w->o, &ev, 0, err, sizeof err) != TH_OK)
		fail_msg("submit: %s", err);
}

static void venue_order(world *w, const char *ven, const char *clid, uint32_t state, const char *reason)
{
	th_event ev;
	memset(&ev, 0, sizeof ev);
	th_event_init(&ev, TH_EV_ORDER);
	th_strlcpy(ev.h.venue, ven, sizeof ev.h.venue);
	th_strlcpy(ev.u.order.client_order_id, clid, sizeof ev.u.order.client_order_id);
	th_strlcpy(ev.u.order.reason, reason, sizeof ev.u.order.reason);
	ev.u.order.state = state;
	oms_on_venue_event(w->o, &ev);
}

static void venue_fill(world *w, const char *ven, const char *clid, const char *trade_id, th_qty qty)
{
	th_event ev;
	memset(&ev, 0, sizeof ev);
	th_event_init(&ev, TH_EV_FILL);
	th_strlcpy(ev.h.venue, ven, sizeof ev.h.venue);
	th_strlcpy(ev.h.symbol, "BTC-USDT", sizeof ev.h.symbol);
	th_strlcpy(ev.u.fill.client_order_id, clid, sizeof ev.u.fill.client_order_id);
	th_strlcpy(ev.u.fill.venue_trade_id, trade_id, sizeof ev.u.fill.venue_trade_id);
	th_strlcpy(ev.u.fill.fee_asset, "USDT", sizeof ev.u.fill.fee_asset);
	ev.u.fill.side = TH_SIDE_BUY;
	ev.u.fill.price = 6400000;
	ev.u.fill.qty = qty;
	ev.u.fill.fee = 100;
	ev.u.fill.price_scale = 2;
	ev.u.fill.qty_scale = 4;
	ev.u.fill.liquidity = TH_LIQ_MAKER;
	oms_on_venue_event(w->o, &ev);
}

static th_qty filled_of(world *w, size_t i)
{
	oms_order_view v;
	assert_int_equal(oms_order_at(w->o, i, &v), 0);
	return v.filled_qty;
}

/* One order filled in 100 pieces (the first trade id inline, the rest in
 * the order's own set), every fill replayed by the venue right away and
 * again at the end, then a restart from the journal: each fill is booked
 * exactly once, before and after the restart. */
static void test_many_fills_once_across_restart(void **state)
{
	(void)state;
	world *w = world_new();
	world_open(w, 1, 1);
	place(w, 1000);
	place(w, 1000);
	settle(w);
	venue_order(w, "sim", "th000000000001", TH_ORDER_ACCEPTED, "");
	char tid[32];
	for (int i = 0; i < 100; i++) {
		snprintf(tid, sizeof tid, "T%d", i);
		venue_fill(w, "sim", "th000000000001", tid, 10);
		venue_fill(w, "sim", "th000000000001", tid, 10); /* replayed: ignored */
	}
	for (int i = 99; i >= 0; i--) {
		snprintf(tid, sizeof tid, "T%d", i);
		venue_fill(w, "sim", "th000000000001", tid, 10);
	}
	/* A trade id that is a prefix or an extension of a known one is another trade. */
	venue_fill(w, "sim", "th000000000002", "T1", 10);
	venue_fill(w, "sim", "th000000000002", "T10", 10);
	venue_fill(w, "sim", "th000000000002", "T1", 10);
	venue_fill(w, "sim", "th000000000002", "T", 10);
	assert_int_equal(oms_fill_count(w->o), 103);
	assert_int_equal(w->v.npublished_fills, 103);
	assert_int_equal(filled_of(w, 0), 1000);
	assert_int_equal(filled_of(w, 1), 30);
	char err[256];
	assert_int_equal(capital_check(w->c, err, sizeof err), TH_OK);
	settle(w);
	size_t blen;
	char *before = capital_dump(w->c, &blen);
	world_close(w);

	world_open(w, 1, 0);
	size_t alen;
	char *after = capital_dump(w->c, &alen);
	assert_int_equal(alen, blen);
	assert_memory_equal(after, before, blen);
	free(after);
	assert_int_equal(oms_fill_count(w->o), 103);
	assert_int_equal(filled_of(w, 0), 1000);
	/* The venue replays everything after the restart: nothing is booked twice. */
	for (int i = 0; i < 100; i++) {
		snprintf(tid, sizeof tid, "T%d", i);
		venue_fill(w, "sim", "th000000000001", tid, 10);
	}
	venue_fill(w, "sim", "th000000000002", "T10", 10);
	venue_fill(w, "sim", "th000000000002", "T", 10);
	assert_int_equal(oms_fill_count(w->o), 103);
	after = capital_dump(w->c, &alen);
	assert_memory_equal(after, before, blen);
	free(after);
	free(before);
	/* A new trade on the second order is still booked. */
	venue_fill(w, "sim", "th000000000002", "T11", 10);
	assert_int_equal(oms_fill_count(w->o), 104);
	assert_int_equal(filled_of(w, 1), 40);
	world_close(w);
	world_free(w);
}

/* Fills naming an order that is not ours, or our order on another venue,
 * are never booked, however often they come; and the de-duplication is
 * per order: a trade id one order saw does not hide another order's fill. */
static void test_unknown_and_foreign_fills(void **state)
{
	(void)state;
	world *w = world_new();
	world_open(w, 0, 1);
	place(w, 100);
	place(w, 100);
	venue_fill(w, "sim", "th000000000099", "X1", 10);  /* unknown order */
	venue_fill(w, "sim", "zz000000000001", "X1", 10);  /* foreign id */
	venue_fill(w, "other", "th000000000001", "X1", 10); /* ours, but another venue */
	venue_fill(w, "other", "th000000000001", "X1", 10);
	assert_int_equal(oms_fill_count(w->o), 0);
	assert_int_equal(filled_of(w, 0), 0);
	venue_fill(w, "sim", "th000000000001", "X1", 10);
	venue_fill(w, "sim", "th000000000002", "X1", 10);  /* same trade id, other order */
	venue_fill(w, "sim", "th000000000001", "X1", 10);
	assert_int_equal(oms_fill_count(w->o), 2);
	assert_int_equal(filled_of(w, 0), 10);
	assert_int_equal(filled_of(w, 1), 10);
	char err[256];
	assert_int_equal(capital_check(w->c, err, sizeof err), TH_OK);
	world_close(w);
	world_free(w);
}

static int zero_after_string(const char *field, size_t cap)
{
	size_t n = strnlen(field, cap);
	for (size_t i = n; i < cap; i++)
		if (field[i])
			return 0;
	return 1;
}

/* Thousands of orders across several chunks: a record's address never
 * changes, every order is found under its id (the last-order cache never
 * answers for another id, not even a prefix of its own), and the published
 * events carry zeros after each string even when a long reason is replaced
 * by a short one. */
static void test_chunks_cache_and_padded_events(void **state)
{
	(void)state;
	world *w = world_new();
	world_open(w, 0, 1);
	place(w, 10);
	oms_order *first = oms_find(w->o, "th000000000001");
	assert_non_null(first);
	const size_t n = 3 * OMS_CHUNK_ORDERS + 7;
	for (size_t i = 1; i < n; i++)
		place(w, 10);
	assert_int_equal(oms_order_count(w->o), n);
	assert_ptr_equal(oms_find(w->o, "th000000000001"), first);
	assert_string_equal(first->order.client_order_id, "th000000000001");
	char clid[TH_CLORD_MAX];
	for (size_t i = n; i >= 1; i -= 97) {
		snprintf(clid, sizeof clid, "th%012zu", i);
		oms_order *o = oms_find(w->o, clid);
		assert_non_null(o);
		assert_string_equal(o->order.client_order_id, clid);
		assert_ptr_equal(o, oms_order_ref(w->o, i - 1));
		assert_ptr_equal(oms_find(w->o, clid), o);          /* from the cache */
		char near[TH_CLORD_MAX + 1];
		snprintf(near, sizeof near, "%.*s", (int)strlen(clid) - 1, clid);
		assert_null(oms_find(w->o, near));                  /* a prefix of the cached id */
		assert_ptr_equal(oms_find(w->o, clid), o);
		snprintf(near, sizeof near, "%s0", clid);
		assert_null(oms_find(w->o, near));                  /* an extension of it */
		assert_ptr_equal(oms_find(w->o, clid), o);
		assert_null(oms_find(w->o, "th00000000000"));       /* a prefix of every id */
		assert_ptr_equal(oms_find(w->o, "th000000000001"), first);
		assert_ptr_equal(oms_find(w->o, clid), o);
		snprintf(clid, sizeof clid, "th%012zu", n + i);     /* never placed */
		assert_null(oms_find(w->o, clid));
		if (i < 97)
			break;
	}
	venue_order(w, "sim", "th000000000002", TH_ORDER_ACCEPTED,
		"a long reason that fills most of the field, longer than the next one by far");
	venue_order(w, "sim", "th000000000002", TH_ORDER_CANCELED, "short");
	const th_event *ev = &w->v.last_order_event;
	assert_int_equal(ev->h.type, TH_EV_ORDER);
	assert_string_equal(ev->u.order.client_order_id, "th000000000002");
	assert_string_equal(ev->u.order.reason, "short");
	assert_int_equal(ev->u.order.state, TH_ORDER_CANCELED);
	assert_true(zero_after_string(ev->u.order.reason, sizeof ev->u.order.reason));
	assert_true(zero_after_string(ev->u.order.client_order_id, sizeof ev->u.order.client_order_id));
	assert_true(zero_after_string(ev->u.order.venue_order_id, sizeof ev->u.order.venue_order_id));
	assert_true(zero_after_string(ev->h.venue, sizeof ev->h.venue));
	assert_true(zero_after_string(ev->h.symbol, sizeof ev->h.symbol));
	assert_true(zero_after_string(ev->h.agent, sizeof ev->h.agent));
	oms_order_view v;
	assert_int_equal(oms_order_at(w->o, 1, &v), 0);
	assert_string_equal(v.reason, "short");
	assert_int_equal(w->v.nsubmit, (int)n);
	char err[256];
	assert_int_equal(capital_check(w->c, err, sizeof err), TH_OK);
	world_close(w);
	world_free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_many_fills_once_across_restart),
		cmocka_unit_test(test_unknown_and_foreign_fills),
		cmocka_unit_test(test_chunks_cache_and_padded_events),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
