/* Runtime pieces on their own: the timer heap, the per-instance state store
 * (disk and memory), the metrics registry and configuration equality. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "config/toml.h"
#include "runtime/runtime_internal.h"
#include "runtime/metrics_registry.h"
#include "runtime/state_mem.h"
#include "runtime/state_store.h"
#include "runtime/timers.h"
#include "runtime/toml_equal.h"

typedef struct fired_log {
	uint64_t ids[64];
	int n;
} fired_log;

static void record(void *arg, uint64_t id)
{
	fired_log *l = arg;
	l->ids[l->n++] = id;
}

static void test_timers_order_and_cancel(void **state)
{
	(void)state;
	timers_t *t = timers_create();
	fired_log log = { .n = 0 };
	int owner_a, owner_b;
	uint64_t a, b, c, p;
	assert_int_equal(timers_add(t, &owner_a, 300, 0, record, &log, &a), TH_OK);
	assert_int_equal(timers_add(t, &owner_a, 100, 0, record, &log, &b), TH_OK);
	assert_int_equal(timers_add(t, &owner_b, 100, 0, record, &log, &c), TH_OK); /* same time: creation order */
	assert_int_equal(timers_add(t, &owner_b, 50, 100, record, &log, &p), TH_OK); /* periodic */
	assert_int_equal(timers_next_due(t), 50);
	assert_int_equal(timers_run_due(t, 99, 1), 1);
	assert_int_equal(timers_run_due(t, 250, 1), 4); /* b, c at 100, p at 150 and 250 */
	assert_int_equal(log.n, 5);
	assert_int_equal(log.ids[0], p);
	assert_int_equal(log.ids[1], b);
	assert_int_equal(log.ids[2], c);
	assert_int_equal(log.ids[3], p);
	assert_int_equal(log.ids[4], p);
	/* another owner cannot cancel it; the owner can */
	/* wall-time mode skips what a stall swallowed: one firing, next due now + interval */
	assert_int_equal(timers_run_due(t, 10000, 0), 2); /* a at 300 and p once */
	assert_int_equal(log.n, 7);
	assert_int_equal(timers_next_due(t), 10100);
	assert_int_equal(timers_add(t, &owner_a, 20000, 0, record, &log, &a), TH_OK);
	assert_int_equal(timers_cancel(t, &owner_b, a), TH_ERR_NOT_FOUND);
	assert_int_equal(timers_cancel(t, &owner_a, a), TH_OK);
	assert_int_equal(timers_cancel_owner(t, &owner_b), 1); /* the periodic one */
	assert_int_equal(timers_pending(t), 0);
	assert_int_equal(timers_next_due(t), INT64_MAX);
	assert_int_equal(timers_add(t, &owner_a, 1, -5, record, &log, NULL), TH_ERR_INVALID);
	timers_destroy(t);
}

/* timers_next_due() reads a cached earliest due time: it follows every
 * heap change (add before the head, cancel of the head, a periodic re-arm,
 * a one-shot firing, cancel by owner), and its address stays put. */
static void test_timers_next_due_cache(void **state)
{
	(void)state;
	timers_t *t = timers_create();
	fired_log log = { .n = 0 };
	int owner;
	uint64_t a, b, p;
	const int64_t *due = timers_next_due_ptr(t);
	assert_int_equal(*due, INT64_MAX);
	assert_int_equal(timers_add(t, &owner, 500, 0, record, &log, &a), TH_OK);
	assert_int_equal(timers_next_due(t), 500);
	assert_int_equal(timers_add(t, &owner, 200, 0, record, &log, &b), TH_OK);
	assert_int_equal(timers_next_due(t), 200);
	assert_int_equal(timers_cancel(t, &owner, b), TH_OK);
	assert_int_equal(timers_next_due(t), 500);
	for (int i = 0; i < 40; i++) /* grows the heap array: the cache is not in it */
		assert_int_equal(timers_add(t, NULL, 1000 + i, 0, record, &log, NULL), TH_OK);
	assert_int_equal(timers_add(t, &owner, 100, 300, record, &log, &p), TH_OK);
	assert_int_equal(timers_next_due(t), 100);
	assert_ptr_equal(timers_next_due_ptr(t), due);
	assert_int_equal(timers_run_due(t, 100, 1), 1); /* p re-armed at 400 */
	assert_int_equal(*due, 400);
	assert_int_equal(timers_run_due(t, 450, 1), 1);
	assert_int_equal(*due, 500); /* a; p now at 700 */
	assert_int_equal(timers_run_due(t, 500, 1), 1);
	assert_int_equal(*due, 700);
	assert_int_equal(timers_cancel_owner(t, &owner), 1);
	assert_int_equal(*due, 1000);
	assert_int_equal(timers_run_due(t, 5000, 1), 40);
	assert_int_equal(*due, INT64_MAX);
	timers_destroy(t);
}

/* host_sim_advance() (the backtest loop's inline clock step) does what
 * host_set_sim_time() does: two hosts on the simulated clock, one driven
 * by each, see the same timer firings at the same times, including a
 * timer added from a callback, a time that goes backwards (ignored) and a
 * jump over several periods. */
typedef struct sim_probe {
	host_t *h;
	int64_t at[64];
	int n;
	int added;
} sim_probe;

static void sim_fire(void *arg, uint64_t id)
{
	sim_probe *p = arg;
	(void)id;
	if (p->n < 64)
		p->at[p->n] = host_now_ns(p->h);
	p->n++;
	if (!p->added) { /* a one-shot due 5 ns after this first firing */
		p->added = 1;
		assert_int_equal(timers_add(p->h->timers, NULL, host_now_ns(p->h) + 5, 0, sim_fire, p, NULL), TH_OK);
	}
}

static void sim_host_init(host_t *h, sim_probe *p)
{
	memset(h, 0, sizeof *h);
	memset(p, 0, sizeof *p);
	h->clock_mode = HOST_CLOCK_SIM;
	h->bus = bus_create(NULL);
	h->timers = timers_create();
	assert_non_null(h->bus);
	assert_non_null(h->timers);
	h->sim.next_due_ns = timers_next_due_ptr(h->timers);
	p->h = h;
	assert_int_equal(timers_add(h->timers, NULL, 100, 50, sim_fire, p, NULL), TH_OK);
}

static void test_sim_advance_matches_set_sim_time(void **state)
{
	(void)state;
	host_t a, b;
	sim_probe pa, pb;
	sim_host_init(&a, &pa);
	sim_host_init(&b, &pb);
	host_sim_clock *c = host_sim_clock_of(&b);
	assert_non_null(c);
	const int64_t times[] = { 10, 60, 99, 100, 104, 105, 90, 149, 151, 400, 400, 401, 1000 };
	for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
		host_set_sim_time(&a, times[i]);
		host_sim_advance(&b, c, times[i]);
		assert_int_equal(host_now_ns(&a), host_now_ns(&b));
		assert_int_equal(pa.n, pb.n);
	}
	assert_int_equal(pa.n, 1 + 1 + 18); /* 100, the one-shot at 105, then 150..1000 */
	for (int i = 0; i < pa.n && i < 64; i++)
		assert_int_equal(pa.at[i], pb.at[i]);
	assert_int_equal(pa.at[1], 105);
	assert_int_equal(host_now_ns(&b), 1000);
	/* the wall clock has no simulated clock to hand out */
	host_t w;
	memset(&w, 0, sizeof w);
	w.clock_mode = HOST_CLOCK_REAL;
	assert_null(host_sim_clock_of(&w));
	for (int k = 0; k < 2; k++) {
		host_t *h = k ? &b : &a;
		bus_destroy(h->bus);
		timers_destroy(h->timers);
	}
}

/* host_instance_farm skips names by their first letter before strcmp, and
 * run_risk asks host_instance_kind_at instead of the whole info: the same
 * answers, including names sharing a first letter or a prefix, the empty
 * name and a slot that is not running. */
static void test_instance_lookups(void **state)
{
	(void)state;
	host_t h;
	memset(&h, 0, sizeof h);
	host_instance_cfg ic[4];
	memset(ic, 0, sizeof ic);
	const char *names[4] = { "sim", "simx", "marcus", "mar" }, *farms[4] = { "", "", "trend", "other" };
	for (int i = 0; i < 4; i++) {
		snprintf(ic[i].name, sizeof ic[i].name, "%s", names[i]);
		snprintf(ic[i].farm, sizeof ic[i].farm, "%s", farms[i]);
	}
	h.cfg.instances = ic;
	h.cfg.ninstances = 4;
	assert_string_equal(host_instance_farm(&h, "marcus"), "trend");
	assert_string_equal(host_instance_farm(&h, "mar"), "other");
	assert_string_equal(host_instance_farm(&h, "sim"), "");
	assert_null(host_instance_farm(&h, "marc"));
	assert_null(host_instance_farm(&h, "m"));
	assert_null(host_instance_farm(&h, ""));
	assert_null(host_instance_farm(&h, "x"));
	/* slots: a running "sim" and "simx", a stopped "mar" */
	slot_t s[3];
	slot_t *sp[3] = { &s[0], &s[1], &s[2] };
	struct th_ctx ctx[2];
	loader_module mod;
	th_plugin_desc desc;
	int inst[2];
	memset(s, 0, sizeof s);
	memset(ctx, 0, sizeof ctx);
	memset(&mod, 0, sizeof mod);
	memset(&desc, 0, sizeof desc);
	mod.desc = &desc;
	for (int i = 0; i < 2; i++) {
		ctx[i].module = &mod;
		ctx[i].instance = &inst[i];
		s[i].live = &ctx[i];
	}
	snprintf(s[0].name, sizeof s[0].name, "simx");
	snprintf(s[1].name, sizeof s[1].name, "sim");
	snprintf(s[2].name, sizeof s[2].name, "mar");
	h.slots = sp;
	h.nslots = 3;
	const void *api = NULL;
	assert_ptr_equal(host_instance_handle(&h, "sim", &api), &inst[1]);
	assert_ptr_equal(host_instance_handle(&h, "simx", NULL), &inst[0]);
	assert_null(host_instance_handle(&h, "si", NULL));
	assert_null(host_instance_handle(&h, "mar", NULL)); /* not running */
	assert_null(host_instance_handle(&h, "", NULL));
	/* the kind accessor agrees with the info's kind name */
	s[0].kind = TH_KIND_EXCHANGE;
	s[1].kind = TH_KIND_RISK;
	s[2].kind = TH_KIND_STRATEGY;
	for (size_t i = 0; i < 3; i++) {
		host_instance_info info;
		assert_int_equal(host_instance_info_at(&h, i, &info), 0);
		assert_int_equal(host_instance_kind_at(&h, i) == TH_KIND_RISK, strcmp(info.kind, "risk") == 0);
	}
	assert_int_equal(host_instance_kind_at(&h, 1), TH_KIND_RISK);
	assert_int_equal(host_instance_kind_at(&h, 3), 0);
}

static void test_state_store_disk(void **state)
{
	(void)state;
	char dir[] = "/tmp/th-state-XXXXXX", buf[16], cmd[64];
	size_t len = 0;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(state_store_get(dir, "inst", "k", buf, sizeof buf, &len), TH_ERR_NOT_FOUND);
	assert_int_equal(state_store_put(dir, "inst", "k", "hello", 5), TH_OK);
	assert_int_equal(state_store_put(dir, "inst", "k", "world!", 6), TH_OK); /* replaced whole */
	assert_int_equal(state_store_get(dir, "inst", "k", buf, sizeof buf, &len), TH_OK);
	assert_int_equal(len, 6);
	assert_memory_equal(buf, "world!", 6);
	assert_int_equal(state_store_get(dir, "inst", "k", buf, 3, &len), TH_ERR_LIMIT); /* cap too small */
	assert_int_equal(len, 6);
	assert_int_equal(state_store_get(dir, "other", "k", buf, sizeof buf, &len), TH_ERR_NOT_FOUND); /* per instance */
	assert_int_equal(state_store_put(dir, "inst", "../escape", "x", 1), TH_ERR_INVALID);
	assert_int_equal(state_store_put(dir, "inst", ".hidden", "x", 1), TH_ERR_INVALID);
	assert_int_equal(state_store_put(dir, "inst", "", "x", 1), TH_ERR_INVALID);
	assert_int_equal(state_store_delete(dir, "inst", "k"), TH_OK);
	assert_int_equal(state_store_delete(dir, "inst", "k"), TH_ERR_NOT_FOUND);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_state_store_memory(void **state)
{
	(void)state;
	state_mem *m = state_mem_create();
	char buf[8];
	size_t len;
	assert_int_equal(state_mem_put(m, "a", "k", "12345", 5), TH_OK);
	assert_int_equal(state_mem_put(m, "b", "k", "xy", 2), TH_OK);
	assert_int_equal(state_mem_get(m, "a", "k", buf, sizeof buf, &len), TH_OK);
	assert_int_equal(len, 5);
	assert_int_equal(state_mem_get(m, "b", "k", buf, sizeof buf, &len), TH_OK);
	assert_memory_equal(buf, "xy", 2);
	assert_int_equal(state_mem_get(m, "a", "k", buf, 2, &len), TH_ERR_LIMIT);
	assert_int_equal(state_mem_delete(m, "a", "k"), TH_OK);
	assert_int_equal(state_mem_get(m, "a", "k", buf, sizeof buf, &len), TH_ERR_NOT_FOUND);
	assert_int_equal(state_mem_put(m, "a", "bad/key", "x", 1), TH_ERR_INVALID);
	state_mem_destroy(m);
}

static void test_metrics_registry(void **state)
{
	(void)state;
	metrics_registry *r = metrics_registry_create();
	uint32_t c, g, again;
	assert_int_equal(metrics_registry_register(r, "sim", "sim", TH_METRIC_COUNTER, "fills_total", "fills", &c), TH_OK);
	assert_int_equal(metrics_registry_register(r, "sim", "sim", TH_METRIC_GAUGE, "open_orders", "open", &g), TH_OK);
	/* a new generation of the instance gets the same series back */
	assert_int_equal(metrics_registry_register(r, "sim", "sim", TH_METRIC_COUNTER, "fills_total", "fills", &again), TH_OK);
	assert_int_equal(again, c);
	assert_int_equal(metrics_registry_register(r, "sim", "sim", TH_METRIC_GAUGE, "fills_total", "x", &again), TH_ERR_EXISTS);
	assert_int_equal(metrics_registry_register(r, "sim", "sim", TH_METRIC_COUNTER, "fills", "no _total", &again),
		TH_ERR_INVALID);
	assert_int_equal(metrics_registry_register(r, "sim", "sim", TH_METRIC_GAUGE, "Bad-Name", "", &again), TH_ERR_INVALID);
	metrics_registry_add(r, "sim", c, 3);
	metrics_registry_add(r, "sim", c, -1); /* counters never go down */
	metrics_registry_add(r, "other", c, 100); /* only the owner moves a series */
	metrics_registry_set(r, "sim", g, 7);
	metrics_registry_set(r, "sim", c, 99); /* set is for gauges */
	assert_int_equal(metrics_registry_at(r, c)->value, 3);
	assert_int_equal(metrics_registry_at(r, g)->value, 7);
	assert_int_equal(metrics_registry_count(r), 2);
	metrics_registry_destroy(r);
}

/* The owner key spares the name compare once a key has matched; it must
 * never let another instance move a series: not a slot created after the
 * owner was removed by a reload (new key), nor a key cached for the old
 * generation of a re-added instance. */
static void test_metrics_owner_key_follows_reload(void **state)
{
	(void)state;
	metrics_registry *r = metrics_registry_create();
	uint32_t a, b;
	assert_int_equal(metrics_registry_register(r, "alpha", "p", TH_METRIC_COUNTER, "orders_total", "", &a), TH_OK);
	assert_int_equal(metrics_registry_register(r, "beta", "p", TH_METRIC_GAUGE, "open", "", &b), TH_OK);
	metrics_registry_add_as(r, "alpha", 1, a, 2);  /* checked by name, key 1 remembered */
	metrics_registry_add_as(r, "alpha", 1, a, 3);  /* answered by the key */
	assert_int_equal(metrics_registry_at(r, a)->value, 5);
	/* alpha is removed by a reload; gamma is a new slot with a new key and
	 * must not move alpha's series, whatever the cache holds */
	metrics_registry_add_as(r, "gamma", 2, a, 100);
	metrics_registry_set_as(r, "gamma", 2, b, 100);
	assert_int_equal(metrics_registry_at(r, a)->value, 5);
	assert_int_equal(metrics_registry_at(r, b)->value, 0);
	/* alpha comes back under a new key: same series, counted on */
	metrics_registry_add_as(r, "alpha", 3, a, 1);
	assert_int_equal(metrics_registry_at(r, a)->value, 6);
	metrics_registry_add_as(r, "gamma", 2, a, 100);
	assert_int_equal(metrics_registry_at(r, a)->value, 6);
	/* beta's gauge through its own key, and the key-less calls still decide by name */
	metrics_registry_set_as(r, "beta", 4, b, 9);
	metrics_registry_set(r, "gamma", b, 1);
	assert_int_equal(metrics_registry_at(r, b)->value, 9);
	metrics_registry_set(r, "beta", b, 11);
	assert_int_equal(metrics_registry_at(r, b)->value, 11);
	metrics_registry_add_as(r, "alpha", 3, 99, 1); /* unknown id: ignored */
	metrics_registry_destroy(r);
}

static toml_value *parse(const char *text)
{
	toml_error e;
	toml_value *v = toml_parse(text, strlen(text), "test", &e);
	assert_non_null(v);
	return v;
}

static void test_config_equality(void **state)
{
	(void)state;
	toml_value *a = parse("x = 1\ny = [\"a\", 2.50]\n[t]\nz = true\n");
	toml_value *b = parse("[t]\nz = true\n[u]\n");
	toml_value *a2 = parse("y = [\"a\", 2.50]\nx = 1\n[t]\nz = true\n"); /* other key order */
	toml_value *a3 = parse("x = 1\ny = [\"a\", 2.5]\n[t]\nz = true\n");  /* 2.5 is not the literal 2.50 */
	assert_true(toml_equal(a, a2));
	assert_false(toml_equal(a, b));
	assert_false(toml_equal(a, a3));
	assert_true(toml_equal(NULL, NULL));
	assert_false(toml_equal(a, NULL));
	toml_free(a);
	toml_free(b);
	toml_free(a2);
	toml_free(a3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timers_order_and_cancel),
		cmocka_unit_test(test_timers_next_due_cache),
		cmocka_unit_test(test_sim_advance_matches_set_sim_time),
		cmocka_unit_test(test_state_store_disk),
		cmocka_unit_test(test_state_store_memory),
		cmocka_unit_test(test_metrics_registry),
		cmocka_unit_test(test_metrics_owner_key_follows_reload),
		cmocka_unit_test(test_instance_lookups),
		cmocka_unit_test(test_config_equality),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
