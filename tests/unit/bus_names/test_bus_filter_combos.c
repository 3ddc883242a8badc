/* Filters on several fields at once (host/bus/bus_filter.c compiles them to
 * header words; bus_entry_match in bus_internal.h checks them). Through the
 * public API, many random subscriptions — each with any mix of venue,
 * symbol and agent filters of every length a field allows — receive a
 * random stream of events exactly when strcmp says every filtered field
 * equals the event's; names are often near misses (one character changed,
 * a prefix, one character longer) and the bytes after each event name's
 * NUL are garbage. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "bus/bus.h"

#define NSUBS 64
#define NEVENTS 20000

static uint64_t rnd(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * UINT64_C(2685821657736338717);
}

typedef struct fsub {
	char venue[TH_VENUE_MAX];
	char symbol[TH_SYMBOL_MAX];
	char agent[TH_NAME_MAX];
	size_t got;
} fsub;

static void count(void *arg, const th_event *ev)
{
	(void)ev;
	((fsub *)arg)->got++;
}

/* A random name of 1..cap-1 letters from a small alphabet (so events hit it). */
static void rand_name(uint64_t *s, char *out, size_t cap)
{
	size_t n = 1 + rnd(s) % (cap - 1);
	for (size_t i = 0; i < n; i++)
		out[i] = (char)('a' + rnd(s) % 3);
	out[n] = '\0';
}

/* An event name near `want` (or `want` itself, or random), written into a
 * field of `cap` bytes whose bytes after the NUL are garbage. */
static void near_name(uint64_t *s, const char *want, char *field, size_t cap)
{
	char tmp[64];
	size_t n = strlen(want);
	memcpy(tmp, want, n + 1);
	switch (rnd(s) % 6) {
	case 0: /* equal */
	case 1:
		break;
	case 2: /* one character changed */
		if (n)
			tmp[rnd(s) % n] ^= 0x20;
		break;
	case 3: /* a proper prefix */
		tmp[n ? rnd(s) % n : 0] = '\0';
		break;
	case 4: /* one character longer */
		if (n + 1 < cap) {
			tmp[n] = 'a';
			tmp[n + 1] = '\0';
		}
		break;
	default:
		rand_name(s, tmp, cap);
		break;
	}
	for (size_t i = 0; i < cap - 1; i++)
		field[i] = (char)(1 + rnd(s) % 255);
	field[cap - 1] = '\0';
	memcpy(field, tmp, strlen(tmp) + 1);
}

static int field_ok(const char *filter, const char *name)
{
	return filter[0] == '\0' || strcmp(filter, name) == 0;
}

static void test_random_combinations(void **state)
{
	(void)state;
	uint64_t seed = UINT64_C(0x9e3779b97f4a7c15);
	bus_t *b = bus_create(NULL);
	assert_non_null(b);
	static fsub subs[NSUBS];
	memset(subs, 0, sizeof subs);
	size_t want[NSUBS] = { 0 };
	for (int i = 0; i < NSUBS; i++) {
		fsub *f = &subs[i];
		/* Each field filtered with probability 1/2 (all 8 combinations occur). */
		if (rnd(&seed) & 1)
			rand_name(&seed, f->venue, sizeof f->venue);
		if (rnd(&seed) & 1)
			rand_name(&seed, f->symbol, sizeof f->symbol);
		if (rnd(&seed) & 1)
			rand_name(&seed, f->agent, sizeof f->agent);
		th_subscription s = { .topics = TH_TOPIC(TH_EV_TRADE) | TH_TOPIC(TH_EV_FILL),
			                  .venue = f->venue, .symbol = f->symbol, .agent = f->agent };
		assert_int_equal(bus_subscribe(b, NULL, &s, count, f, NULL), TH_OK);
	}
	size_t matches = 0, full_matches = 0;
	for (int k = 0; k < NEVENTS; k++) {
		/* Aim at one subscriber's names so matches are common. */
		const fsub *aim = &subs[rnd(&seed) % NSUBS];
		th_event ev;
		memset(&ev, 0, sizeof ev);
		th_event_init(&ev, (rnd(&seed) & 1) ? TH_EV_TRADE : TH_EV_FILL);
		char vname[TH_VENUE_MAX], sname[TH_SYMBOL_MAX], aname[TH_NAME_MAX];
		if (aim->venue[0])
			memcpy(vname, aim->venue, sizeof vname);
		else
			rand_name(&seed, vname, sizeof vname);
		if (aim->symbol[0])
			memcpy(sname, aim->symbol, sizeof sname);
		else
			rand_name(&seed, sname, sizeof sname);
		if (aim->agent[0])
			memcpy(aname, aim->agent, sizeof aname);
		else
			rand_name(&seed, aname, sizeof aname);
		near_name(&seed, vname, ev.h.venue, sizeof ev.h.venue);
		near_name(&seed, sname, ev.h.symbol, sizeof ev.h.symbol);
		near_name(&seed, aname, ev.h.agent, sizeof ev.h.agent);
		ev.h.ts_ns = 1;
		for (int i = 0; i < NSUBS; i++) {
			const fsub *f = &subs[i];
			int ok = field_ok(f->venue, ev.h.venue) && field_ok(f->symbol, ev.h.symbol) &&
			         field_ok(f->agent, ev.h.agent);
			want[i] += (size_t)ok;
			matches += (size_t)ok;
			full_matches += (size_t)(ok && f->venue[0] && f->symbol[0] && f->agent[0]);
		}
		assert_int_equal(bus_publish(b, &ev), TH_OK);
	}
	for (int i = 0; i < NSUBS; i++) {
		if (subs[i].got != want[i])
			fail_msg("subscriber %d (venue \"%s\" symbol \"%s\" agent \"%s\"): got %zu events, want %zu", i,
			         subs[i].venue, subs[i].symbol, subs[i].agent, subs[i].got, want[i]);
	}
	/* The stream exercised matches, including subscribers filtering all three fields. */
	assert_true(matches > NEVENTS / 4);
	assert_true(full_matches > 100);
	bus_destroy(b);
}

/* The longest filters every field allows, all at once (9 header words):
 * delivered only when all three match, and each field's last byte counts. */
static void test_longest_names(void **state)
{
	(void)state;
	char v[TH_VENUE_MAX], s[TH_SYMBOL_MAX], a[TH_NAME_MAX];
	memset(v, 'v', sizeof v - 1);
	v[sizeof v - 1] = '\0';
	memset(s, 's', sizeof s - 1);
	s[sizeof s - 1] = '\0';
	memset(a, 'a', sizeof a - 1);
	a[sizeof a - 1] = '\0';
	bus_t *b = bus_create(NULL);
	assert_non_null(b);
	fsub f;
	memset(&f, 0, sizeof f);
	th_subscription sub = { .topics = TH_TOPIC(TH_EV_TRADE), .venue = v, .symbol = s, .agent = a };
	assert_int_equal(bus_subscribe(b, NULL, &sub, count, &f, NULL), TH_OK);
	for (int which = -1; which < 3; which++) {
		th_event ev;
		memset(&ev, 0, sizeof ev);
		th_event_init(&ev, TH_EV_TRADE);
		memcpy(ev.h.venue, v, sizeof v);
		memcpy(ev.h.symbol, s, sizeof s);
		memcpy(ev.h.agent, a, sizeof a);
		if (which == 0)
			ev.h.venue[TH_VENUE_MAX - 2] = 'x';
		else if (which == 1)
			ev.h.symbol[TH_SYMBOL_MAX - 2] = 'x';
		else if (which == 2)
			ev.h.agent[TH_NAME_MAX - 2] = 'x';
		f.got = 0;
		assert_int_equal(bus_publish(b, &ev), TH_OK);
		assert_int_equal(f.got, which < 0 ? 1 : 0);
	}
	bus_destroy(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_combinations),
		cmocka_unit_test(test_longest_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
