/* Filters on venue, symbol and agent compare names 8 bytes at a time
 * (compiled to header words and masks by host/bus/bus_filter.c, checked by
 * bus_entry_match in host/bus/bus_internal.h). Through the public bus API: for names of every
 * length a field allows, against event names that equal them, differ at
 * one position (before, at and after each word boundary), are a prefix or
 * an extension of them, or carry garbage after their NUL, an event is
 * delivered exactly when strcmp says the names are equal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "bus/bus.h"

typedef enum { F_VENUE, F_SYMBOL, F_AGENT } field_kind;

static size_t field_size(field_kind k)
{
	return k == F_VENUE ? TH_VENUE_MAX : k == F_SYMBOL ? TH_SYMBOL_MAX : TH_NAME_MAX;
}

static void count(void *arg, const th_event *ev)
{
	(void)ev;
	(*(size_t *)arg)++;
}

/* A name of n characters, the i-th from the seed. */
static void make_name(char *out, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		out[i] = (char)('A' + (seed * 7 + i * 13) % 26);
	out[n] = '\0';
}

/* Publishes one trade whose `kind` name is `name` (the field first filled
 * with `garbage` so the bytes after the NUL are not zero) and returns how
 * many of the bus's subscribers received it. */
static size_t deliveries(bus_t *b, size_t *counter, field_kind kind, const char *name, char garbage)
{
	th_event ev;
	memset(&ev, 0, sizeof ev);
	th_event_init(&ev, TH_EV_TRADE);
	char *f = kind == F_VENUE ? ev.h.venue : kind == F_SYMBOL ? ev.h.symbol : ev.h.agent;
	size_t cap = field_size(kind);
	memset(f, garbage, cap - 1);
	f[cap - 1] = '\0';
	memcpy(f, name, strlen(name) + 1);
	ev.h.ts_ns = 1;
	ev.u.trade.price = 1;
	ev.u.trade.qty = 1;
	*counter = 0;
	assert_int_equal(bus_publish(b, &ev), TH_OK);
	return *counter;
}

static void check_field(field_kind kind)
{
	size_t cap = field_size(kind);
	size_t checked = 0, matched = 0;
	for (size_t len = 1; len < cap; len++) {
		char want[64], got[64];
		make_name(want, len, (unsigned)len);
		bus_t *b = bus_create(NULL);
		assert_non_null(b);
		size_t counter = 0;
		th_subscription s = { .topics = TH_TOPIC(TH_EV_TRADE) };
		if (kind == F_VENUE)
			s.venue = want;
		else if (kind == F_SYMBOL)
			s.symbol = want;
		else
			s.agent = want;
		assert_int_equal(bus_subscribe(b, NULL, &s, count, &counter, NULL), TH_OK);
		for (int g = 0; g < 2; g++) {
			char garbage = g ? 'Z' : '\0';
			/* equal */
			assert_int_equal(deliveries(b, &counter, kind, want, garbage), 1);
			matched++;
			/* one character different, at every position */
			for (size_t pos = 0; pos < len; pos++) {
				memcpy(got, want, len + 1);
				got[pos] = got[pos] == 'a' ? 'b' : 'a';
				assert_int_equal(deliveries(b, &counter, kind, got, garbage), 0);
				checked++;
			}
			/* every proper prefix, and the name one character longer */
			for (size_t n = 0; n < len; n++) {
				memcpy(got, want, n);
				got[n] = '\0';
				assert_int_equal(deliveries(b, &counter, kind, got, garbage), 0);
				checked++;
			}
			if (len + 1 < cap) {
				memcpy(got, want, len);
				got[len] = 'x';
				got[len + 1] = '\0';
				assert_int_equal(deliveries(b, &counter, kind, got, garbage), 0);
				checked++;
			}
		}
		bus_destroy(b);
	}
	/* the loops ran: every length, both garbage fills */
	assert_int_equal(matched, 2 * (cap - 1));
	assert_true(checked > 4 * cap);
}

static void test_venue(void **state)
{
	(void)state;
	check_field(F_VENUE);
}

static void test_symbol(void **state)
{
	(void)state;
	check_field(F_SYMBOL);
}

static void test_agent(void **state)
{
	(void)state;
	check_field(F_AGENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_venue),
		cmocka_unit_test(test_symbol),
		cmocka_unit_test(test_agent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
