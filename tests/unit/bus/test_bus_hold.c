/* bus_hold / bus_release: what the host relies on during a hot swap. While
 * held, publishes queue and reach nobody; subscribers removed before the
 * release never see them; subscribers added before the release see only
 * events published after they subscribed; release delivers in order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "bus_test_util.h"

static void test_hold_defers_delivery(void **state)
{
	(void)state;
	bus_t *b = bus_create(NULL);
	static bt_log log;
	memset(&log, 0, sizeof log);
	bt_rec old_gen = { &log, 1 }, new_gen = { &log, 2 };
	th_subscription sub = { .topics = TH_TOPIC(TH_EV_TRADE) };
	uint64_t old_id, new_id;
	assert_int_equal(bus_subscribe(b, &old_gen, &sub, bt_record, &old_gen, &old_id), TH_OK);

	th_event ev = bt_trade("sim", "BTC", NULL, 1);
	assert_int_equal(bus_publish(b, &ev), TH_OK);
	assert_int_equal(log.n, 1); /* not held: delivered at once */

	bus_hold(b);
	bus_hold(b); /* holds nest */
	assert_int_equal(bus_subscribe(b, &new_gen, &sub, bt_record, &new_gen, &new_id), TH_OK);
	ev = bt_trade("sim", "BTC", NULL, 2);
	assert_int_equal(bus_publish(b, &ev), TH_OK);
	assert_int_equal(log.n, 1); /* held: queued only */
	assert_int_equal(bus_unsubscribe_owner(b, &old_gen), 1);
	bus_release(b);
	assert_int_equal(log.n, 1); /* still one hold left */
	bus_release(b);
	assert_int_equal(log.n, 2);
	assert_int_equal(log.tag[1], 2); /* only the new generation got event 2 */
	assert_int_equal(log.seq[1], 2);
	bus_release(b); /* unbalanced release is harmless */
	ev = bt_trade("sim", "BTC", NULL, 3);
	assert_int_equal(bus_publish(b, &ev), TH_OK);
	assert_int_equal(log.n, 3);
	bus_destroy(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_hold_defers_delivery) };
	return cmocka_run_group_tests(tests, NULL, NULL);
}
