/* ma_cross on scripted closes: the cross-up buys, the cross-down sells what
 * it holds, nothing before `slow` bars, nothing while an order works, a
 * denial frees it, bad parameters are refused, and the same path gives the
 * same intents. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "fake_host.h"

static const th_plugin_desc *desc(void)
{
	return TH_ENTRY_NAME();
}

static void *start(fake_host *h, const char *fast, const char *slow)
{
	void *inst = NULL;
	fake_host_init(h, "agent", desc()->config_schema);
	fake_config(h, "symbol", "\"BTC-USDT\"");
	fake_config(h, "fast", fast);
	fake_config(h, "slow", slow);
	fake_config(h, "qty", "\"0.5\"");
	assert_int_equal(desc()->create(&h->api, fake_ctx(h), &inst), TH_OK);
	assert_int_equal(desc()->start(inst), TH_OK);
	return inst;
}

static void stop(fake_host *h, void *inst)
{
	desc()->stop(inst);
	desc()->destroy(inst);
	fake_host_free(h);
}

static void bar(fake_host *h, int64_t close)
{
	th_event ev;
	memset(&ev, 0, sizeof ev);
	th_event_init(&ev, TH_EV_BAR);
	th_strlcpy(ev.h.venue, "sim", sizeof ev.h.venue);
	th_strlcpy(ev.h.symbol, "BTC-USDT", sizeof ev.h.symbol);
	ev.u.bar.open = ev.u.bar.high = ev.u.bar.low = ev.u.bar.close = close;
	ev.u.bar.price_scale = 2;
	ev.u.bar.qty_scale = 4;
	fake_deliver(h, &ev);
}

/* The OMS's answer to the agent's last intent: a fill and FILLED. */
static void fill_last(fake_host *h, int side, int64_t qty)
{
	th_event f;
	memset(&f, 0, sizeof f);
	th_event_init(&f, TH_EV_FILL);
	f.h.flags = TH_EVENT_FLAG_OMS;
	th_strlcpy(f.h.agent, "agent", sizeof f.h.agent);
	f.u.fill.side = (uint32_t)side;
	f.u.fill.qty = qty;
	fake_deliver(h, &f);
	th_event o;
	memset(&o, 0, sizeof o);
	th_event_init(&o, TH_EV_ORDER);
	o.h.flags = TH_EVENT_FLAG_OMS;
	th_strlcpy(o.h.agent, "agent", sizeof o.h.agent);
	o.u.order.state = TH_ORDER_FILLED;
	fake_deliver(h, &o);
}

static void test_cross_up_buys_cross_down_sells(void **state)
{
	(void)state;
	fake_host h;
	void *inst = start(&h, "2", "4");
	int64_t down[] = { 1000, 990, 980, 970, 960 }; /* fast below slow: no cross yet */
	for (size_t i = 0; i < 5; i++)
		bar(&h, down[i]);
	assert_int_equal(fake_count(&h, TH_EV_INTENT), 0);
	bar(&h, 1100); /* SMA2 jumps above SMA4: cross up */
	assert_int_equal(fake_count(&h, TH_EV_INTENT), 1);
	const th_event *in = fake_event(&h, TH_EV_INTENT, 0);
	assert_int_equal(in->u.intent.order.side, TH_SIDE_BUY);
	assert_int_equal(in->u.intent.order.type, TH_ORDER_MARKET);
	assert_int_equal(in->u.intent.order.qty, 5000); /* 0.5 at qty scale 4 */
	assert_int_equal(fake_count(&h, TH_EV_AGENT_MSG), 1);
	assert_string_equal(fake_event(&h, TH_EV_AGENT_MSG, 0)->u.agent_msg.text,
		"BTC-USDT: SMA(2) crossed above SMA(4) at close 11.00 -> buy");
	fill_last(&h, TH_SIDE_BUY, 5000);
	bar(&h, 1200);
	bar(&h, 600); /* cross down while long: sell the whole position */
	assert_int_equal(fake_count(&h, TH_EV_INTENT), 2);
	in = fake_event(&h, TH_EV_INTENT, 1);
	assert_int_equal(in->u.intent.order.side, TH_SIDE_SELL);
	assert_int_equal(in->u.intent.order.qty, 5000);
	assert_string_equal(fake_event(&h, TH_EV_AGENT_MSG, 1)->u.agent_msg.text,
		"BTC-USDT: SMA(2) crossed below SMA(4) at close 6.00 -> sell to flat");
	stop(&h, inst);
}

static void test_no_signal_before_history_or_while_working(void **state)
{
	(void)state;
	fake_host h;
	void *inst = start(&h, "2", "6");
	/* fewer than `slow` bars: even an obvious cross (bar 3) gives nothing */
	int64_t p[] = { 1000, 500, 2000, 1000, 1000 };
	for (size_t i = 0; i < 5; i++)
		bar(&h, p[i]);
	assert_int_equal(fake_count(&h, TH_EV_INTENT), 0);
	bar(&h, 500);  /* 6 bars: SMA2 750 below SMA6 1000 */
	bar(&h, 2000); /* SMA2 1250 above SMA6 1167: cross up */
	assert_int_equal(fake_count(&h, TH_EV_INTENT), 1);
	bar(&h, 100);  /* cross down, but the buy is still working and nothing is held */
	bar(&h, 3000); /* cross up again while the order works: no second order */
	assert_int_equal(fake_count(&h, TH_EV_INTENT), 1);
	/* the risk pipeline denies the working intent: the agent is free again */
	th_event r;
	memset(&r, 0, sizeof r);
	th_event_init(&r, TH_EV_RISK);
	th_strlcpy(r.h.agent, "agent", sizeof r.h.agent);
	r.u.risk.intent_id = fake_event(&h, TH_EV_INTENT, 0)->u.intent.intent_id;
	r.u.risk.approved = 0;
	fake_deliver(&h, &r);
	bar(&h, 10);
	bar(&h, 10);
	bar(&h, 10);   /* SMA2 10 below SMA6 */
	bar(&h, 5000); /* cross up: a new intent, since the denied one no longer blocks */
	assert_int_equal(fake_count(&h, TH_EV_INTENT), 2);
	stop(&h, inst);
}

static void test_bad_parameters(void **state)
{
	(void)state;
	fake_host h;
	void *inst = NULL;
	fake_host_init(&h, "agent", desc()->config_schema);
	fake_config(&h, "symbol", "\"BTC-USDT\"");
	fake_config(&h, "fast", "10");
	fake_config(&h, "slow", "10");
	assert_int_equal(desc()->create(&h.api, fake_ctx(&h), &inst), TH_ERR_INVALID);
	assert_non_null(strstr(h.error, "slow (10) must be greater than fast (10)"));
	fake_host_free(&h);
}

static void test_deterministic(void **state)
{
	(void)state;
	th_intent first[16];
	size_t n_first = 0;
	for (int run = 0; run < 2; run++) {
		fake_host h;
		void *inst = start(&h, "3", "7");
		uint64_t x = 12345;
		size_t answered = 0;
		for (int i = 0; i < 400; i++) {
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			bar(&h, 100000 + (int64_t)(x >> 52));
			size_t n = fake_count(&h, TH_EV_INTENT);
			if (n > answered) { /* fill each new order at once */
				const th_event *in = fake_event(&h, TH_EV_INTENT, n - 1);
				fill_last(&h, (int)in->u.intent.order.side, in->u.intent.order.qty);
				answered = n;
			}
		}
		size_t n = fake_count(&h, TH_EV_INTENT);
		assert_true(n > 2);
		if (run == 0)
			n_first = n;
		assert_int_equal(n, n_first);
		for (size_t k = 0; k < n && k < 16; k++) {
			const th_event *in = fake_event(&h, TH_EV_INTENT, k);
			if (run == 0)
				first[k] = in->u.intent;
			else
				assert_memory_equal(&first[k], &in->u.intent, sizeof first[k]);
		}
		stop(&h, inst);
	}
}

/* The agent's running sums, ring positions and int64 compare (with its
 * 128-bit fallback) against a model that recomputes both averages from
 * scratch at 128 bits on every bar: over 1,500 bars (the 512-close ring
 * wraps), windows up to the 511 maximum, and a stretch of closes so large
 * that the products overflow int64 (the fallback must decide there), the
 * agent must trade on exactly the bars the model says. */
static void check_against_model(const char *fast_s, const char *slow_s, int64_t fast, int64_t slow, int64_t base,
                                int64_t spread)
{
	fake_host h;
	void *inst = start(&h, fast_s, slow_s);
	static int64_t closes[1500];
	uint64_t x = 777;
	int last_sign = 0, long_pos = 0;
	size_t expected = 0, answered = 0;
	for (int i = 0; i < 1500; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		/* a slow wave plus noise, so crosses happen every few dozen bars */
		int64_t wave = ((i / 40) % 2) ? spread : -spread;
		closes[i] = base + wave + (int64_t)(x >> 40) % (spread > 1 ? spread : 1);
		bar(&h, closes[i]);
		if (i + 1 < slow)
			continue;
		__extension__ __int128 fs = 0, ss = 0;
		for (int64_t k = 0; k < slow; k++) {
			ss += closes[i - k];
			if (k < fast)
				fs += closes[i - k];
		}
		__extension__ __int128 l = fs * slow, r = ss * fast;
		int sign = l > r ? 1 : l < r ? -1 : 0;
		if (sign != 0) {
			int crossed = last_sign != 0 && sign != last_sign;
			last_sign = sign;
			if (crossed && ((sign > 0 && !long_pos) || (sign < 0 && long_pos))) {
				expected++;
				long_pos = sign > 0;
			}
		}
		size_t n = fake_count(&h, TH_EV_INTENT);
		assert_int_equal(n, expected);
		if (n > answered) { /* fill each new order at once */
			const th_event *in = fake_event(&h, TH_EV_INTENT, n - 1);
			assert_int_equal(in->u.intent.order.side, long_pos ? TH_SIDE_BUY : TH_SIDE_SELL);
			fill_last(&h, (int)in->u.intent.order.side, in->u.intent.order.qty);
			answered = n;
		}
	}
	assert_true(expected > 4);
	stop(&h, inst);
}

static void test_matches_recomputed_averages(void **state)
{
	(void)state;
	check_against_model("3", "7", 3, 7, 100000, 500);
	check_against_model("200", "511", 200, 511, 100000, 5000);
	/* the ring is 64 slots for slow below 64, 512 from there: both edges */
	check_against_model("20", "63", 20, 63, 100000, 500);
	check_against_model("20", "64", 20, 64, 100000, 500);
	/* closes near 2^55: fast_sum * slow passes INT64_MAX, so only the
	 * 128-bit compare can decide */
	check_against_model("10", "30", 10, 30, (int64_t)1 << 55, (int64_t)1 << 40);
}

/* A bar at any price scale (bar() uses 2). */
static void bar_scaled(fake_host *h, int64_t close, int32_t price_scale)
{
	th_event ev;
	memset(&ev, 0, sizeof ev);
	th_event_init(&ev, TH_EV_BAR);
	th_strlcpy(ev.h.venue, "sim", sizeof ev.h.venue);
	th_strlcpy(ev.h.symbol, "BTC-USDT", sizeof ev.h.symbol);
	ev.u.bar.open = ev.u.bar.high = ev.u.bar.low = ev.u.bar.close = close;
	ev.u.bar.price_scale = price_scale;
	ev.u.bar.qty_scale = 4;
	fake_deliver(h, &ev);
}

/* Five falling closes, a jump (cross up: buy), a drop (cross down: sell):
 * each decision's text must name the close exactly as th_fixed_format()
 * writes it (the agent formats it its own way), and the agent must stamp
 * its events with its own name, as the host would. */
static void check_decision_texts(int32_t scale, const int64_t closes[7])
{
	fake_host h;
	void *inst = start(&h, "2", "4");
	size_t msgs = 0;
	for (int i = 0; i < 7; i++) {
		bar_scaled(&h, closes[i], scale);
		size_t m = fake_count(&h, TH_EV_AGENT_MSG);
		if (m == msgs)
			continue;
		assert_int_equal(m, msgs + 1);
		assert_int_equal(fake_count(&h, TH_EV_INTENT), m);
		const th_event *e = fake_event(&h, TH_EV_AGENT_MSG, m - 1);
		const th_event *in = fake_event(&h, TH_EV_INTENT, m - 1);
		int buy = in->u.intent.order.side == TH_SIDE_BUY;
		char num[32], want[256];
		assert_true(th_fixed_format(closes[i], scale, num, sizeof num) > 0);
		snprintf(want, sizeof want, "BTC-USDT: SMA(2) crossed %s SMA(4) at close %s -> %s", buy ? "above" : "below",
			num, buy ? "buy" : "sell to flat");
		assert_string_equal(e->u.agent_msg.text, want);
		assert_string_equal(e->u.agent_msg.kind, "decision");
		assert_string_equal(e->h.agent, "agent");
		assert_string_equal(e->h.symbol, "BTC-USDT");
		assert_string_equal(in->h.agent, "agent");
		assert_string_equal(in->h.venue, "sim");
		assert_int_equal(in->u.intent.order.price_scale, scale);
		fill_last(&h, (int)in->u.intent.order.side, in->u.intent.order.qty);
		msgs = m;
	}
	assert_int_equal(msgs, 2); /* the buy at closes[5], the sell at closes[6] */
	stop(&h, inst);
}

static void test_decision_text_formats_close(void **state)
{
	(void)state;
	const int64_t plain[7] = { 100000, 99000, 98000, 97000, 96000, 150000, 7 };
	check_decision_texts(2, plain);  /* "1500.00", "0.07" */
	check_decision_texts(0, plain);  /* no point */
	check_decision_texts(8, plain);  /* "0.00150000", "0.00000007" */
	const int64_t negative[7] = { -1000, -1010, -1020, -1030, -1040, -500, -5000 };
	check_decision_texts(2, negative); /* "-5.00", "-50.00" */
	const int64_t wide[7] = { 1000000000000000000, 990000000000000000, 980000000000000000, 970000000000000000,
		960000000000000000, 1999999999999999999, -123456789012345678 };
	check_decision_texts(18, wide); /* the largest scale, 19 digits, a negative below one */
}

/* The sign of SMA(fast) - SMA(slow) over closes[from..i], recomputed from
 * scratch at 128 bits; 0 while fewer than `slow` closes are there. */
static int model_sign(const int64_t *closes, int from, int i, int64_t fast, int64_t slow)
{
	if (i - from + 1 < slow)
		return 0;
	__extension__ __int128 fs = 0, ss = 0;
	for (int64_t k = 0; k < slow; k++) {
		ss += closes[i - k];
		if (k < fast)
			fs += closes[i - k];
	}
	__extension__ __int128 l = fs * slow, r = ss * fast;
	return l > r ? 1 : l < r ? -1 : 0;
}

typedef struct model {
	int last_sign, long_pos;
	size_t expected, answered;
} model;

/* One bar for the agent and the model: the agent must trade exactly when
 * the model says (each new order is filled at once). */
static void step_both(fake_host *h, model *m, const int64_t *closes, int from, int i, int64_t fast, int64_t slow)
{
	bar(h, closes[i]);
	int sign = model_sign(closes, from, i, fast, slow);
	if (sign != 0) {
		int crossed = m->last_sign != 0 && sign != m->last_sign;
		m->last_sign = sign;
		if (crossed && ((sign > 0 && !m->long_pos) || (sign < 0 && m->long_pos))) {
			m->expected++;
			m->long_pos = sign > 0;
		}
	}
	size_t n = fake_count(h, TH_EV_INTENT);
	assert_int_equal(n, m->expected);
	if (n > m->answered) {
		const th_event *in = fake_event(h, TH_EV_INTENT, n - 1);
		assert_int_equal(in->u.intent.order.side, m->long_pos ? TH_SIDE_BUY : TH_SIDE_SELL);
		fill_last(h, (int)in->u.intent.order.side, in->u.intent.order.qty);
		m->answered = n;
	}
}

/* Hot reload: agent A (periods fast_a/slow_a) sees bars 0..swap-1, hands
 * its state to a new agent B (fast_b/slow_b), which sees the rest. The
 * ring of closes is 64 slots for slow below 64, else 512, so B holds the
 * last min(swap, ring A, ring B) closes; with them (and A's side and
 * position) it must trade on exactly the bars a from-scratch model says.
 * With the same periods that is the run A would have had without the swap. */
static void check_reload(const char *fast_a_s, const char *slow_a_s, int64_t fast_a, int64_t slow_a,
                         const char *fast_b_s, const char *slow_b_s, int64_t fast_b, int64_t slow_b)
{
	enum { BARS = 1500, SWAP = 900 };
	static int64_t closes[BARS];
	uint64_t x = 4242;
	for (int i = 0; i < BARS; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		int64_t wave = ((i / 40) % 2) ? 500 : -500;
		closes[i] = 100000 + wave + (int64_t)(x >> 40) % 500;
	}
	fake_host ha, hb;
	model m = { 0 };
	void *a = start(&ha, fast_a_s, slow_a_s);
	for (int i = 0; i < SWAP; i++)
		step_both(&ha, &m, closes, 0, i, fast_a, slow_a);
	size_t before = m.expected;
	assert_true(before > 4);

	void *data = NULL, *b = NULL;
	size_t len = 0;
	assert_int_equal(desc()->export_state(a, &data, &len), TH_OK);
	fake_host_init(&hb, "agent", desc()->config_schema);
	fake_config(&hb, "symbol", "\"BTC-USDT\"");
	fake_config(&hb, "fast", fast_b_s);
	fake_config(&hb, "slow", slow_b_s);
	fake_config(&hb, "qty", "\"0.5\"");
	assert_int_equal(desc()->create(&hb.api, fake_ctx(&hb), &b), TH_OK);
	assert_int_equal(desc()->import_state(b, data, len), TH_OK);
	ha.api.free(fake_ctx(&ha), data);
	stop(&ha, a);
	assert_int_equal(desc()->start(b), TH_OK);

	int ring_a = slow_a < 64 ? 64 : 512, ring_b = slow_b < 64 ? 64 : 512;
	int kept = SWAP < ring_a ? SWAP : ring_a;
	kept = kept < ring_b ? kept : ring_b;
	m.expected = m.answered = 0; /* B's host counts its own intents */
	for (int i = SWAP; i < BARS; i++)
		step_both(&hb, &m, closes, SWAP - kept, i, fast_b, slow_b);
	assert_true(m.expected > 4);
	const th_event *first = fake_event(&hb, TH_EV_INTENT, 0);
	assert_int_equal(first->u.intent.intent_id, before + 1); /* the intent ids go on */
	stop(&hb, b);
}

static void test_hot_reload_keeps_history(void **state)
{
	(void)state;
	check_reload("3", "7", 3, 7, "3", "7", 3, 7);             /* 64-slot ring both sides */
	check_reload("200", "511", 200, 511, "200", "511", 200, 511); /* 512-slot ring both sides */
	check_reload("3", "100", 3, 100, "3", "7", 3, 7);         /* 512 -> 64: the last 64 closes move */
	check_reload("3", "7", 3, 7, "3", "100", 3, 100);         /* 64 -> 512: 64 closes, 36 more bars to warm up */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cross_up_buys_cross_down_sells),
		cmocka_unit_test(test_no_signal_before_history_or_while_working),
		cmocka_unit_test(test_bad_parameters),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_matches_recomputed_averages),
		cmocka_unit_test(test_decision_text_formats_close),
		cmocka_unit_test(test_hot_reload_keeps_history),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
