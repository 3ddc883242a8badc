/* The REST API's pure parts: the validating body decoder (every error code
 * with a message naming the field), decimal text checks, the schema a spec
 * generates, and the converters from fixed-point records to contract JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "api/api_body.h"
#include "api/api_body_specs.h"
#include "api/api_json.h"

static json_t *decode(const api_body_spec *spec, const char *text, api_body_error *e)
{
	return api_body_decode(spec, text, strlen(text), e);
}

static void expect_error(const api_body_spec *spec, const char *text, const char *code, const char *in_message)
{
	api_body_error e;
	json_t *j = decode(spec, text, &e);
	if (j) {
		json_decref(j);
		fail_msg("accepted %s", text);
	}
	assert_string_equal(e.code, code);
	if (!strstr(e.message, in_message))
		fail_msg("message \"%s\" does not name \"%s\"", e.message, in_message);
}

static void test_valid_order(void **state)
{
	(void)state;
	api_body_error e;
	json_t *j = decode(&api_spec_order,
		"{\"agent\":\"marcus\",\"venue\":\"sim\",\"symbol\":\"BTC-USDT\",\"side\":\"buy\",\"type\":\"limit\","
		"\"qty\":\"0.0150\",\"price\":\"65012.25\",\"tif\":\"post_only\"}", &e);
	assert_non_null(j);
	assert_string_equal(api_body_str(j, "agent"), "marcus");
	assert_string_equal(api_body_str(j, "qty"), "0.0150");
	assert_null(api_body_str(j, "stop_price"));
	json_decref(j);
}

static void test_error_codes(void **state)
{
	(void)state;
	expect_error(&api_spec_transfer, "{\"from\":\"master\",", "bad_json", "line 1");
	expect_error(&api_spec_transfer, "[]", "bad_json", "object");
	expect_error(&api_spec_transfer, "\"x\"", "bad_json", "object");
	expect_error(&api_spec_transfer, "{\"from\":\"a\",\"from\":\"b\",\"to\":\"c\",\"amount\":\"1\"}", "bad_json",
		"duplicate");
	expect_error(&api_spec_transfer, "{\"from\":\"a\",\"to\":\"b\",\"amount\":\"1\",\"memo\":\"x\"}", "unknown_field",
		"memo");
	expect_error(&api_spec_transfer, "{\"from\":\"a\",\"amount\":\"1\"}", "missing_field", "\"to\"");
	expect_error(&api_spec_transfer, "", "missing_field", "\"from\"");
	expect_error(&api_spec_transfer, "{\"from\":1,\"to\":\"b\",\"amount\":\"1\"}", "bad_field", "\"from\"");
	expect_error(&api_spec_transfer, "{\"from\":\"\",\"to\":\"b\",\"amount\":\"1\"}", "bad_field", "\"from\"");
	/* money is never a JSON number */
	expect_error(&api_spec_transfer, "{\"from\":\"a\",\"to\":\"b\",\"amount\":1000}", "bad_field", "amount");
	expect_error(&api_spec_transfer, "{\"from\":\"a\",\"to\":\"b\",\"amount\":\"1e3\"}", "bad_field", "amount");
	expect_error(&api_spec_transfer, "{\"from\":\"a\",\"to\":\"b\",\"amount\":\"-5\"}", "bad_field", "positive");
	expect_error(&api_spec_transfer, "{\"from\":\"a\",\"to\":\"b\",\"amount\":\"0\"}", "bad_field", "positive");
	expect_error(&api_spec_transfer, "{\"from\":\"a\",\"to\":\"b\",\"amount\":\"0.000000001\"}", "bad_field", "8");
	expect_error(&api_spec_order,
		"{\"agent\":\"a\",\"venue\":\"sim\",\"symbol\":\"X\",\"side\":\"hold\",\"type\":\"limit\",\"qty\":\"1\"}",
		"bad_field", "buy, sell");
	expect_error(&api_spec_backtest, "{\"bars\":0}", "bad_field", "bars");
	expect_error(&api_spec_backtest, "{\"bars\":1.5}", "bad_field", "integer");
	expect_error(&api_spec_backtest, "{\"seed\":\"7\"}", "bad_field", "seed");
	expect_error(&api_spec_empty, "{\"x\":1}", "unknown_field", "none");
	/* a string with an embedded NUL is refused, not cut short */
	expect_error(&api_spec_reason, "{\"reason\":\"a\\u0000b\"}", "bad_json", "u0000");
}

static void test_empty_body(void **state)
{
	(void)state;
	api_body_error e;
	json_t *j = api_body_decode(&api_spec_reason, " \r\n", 3, &e);
	assert_non_null(j);
	assert_int_equal(json_object_size(j), 0);
	json_decref(j);
	j = api_body_decode(&api_spec_empty, NULL, 0, &e);
	assert_non_null(j);
	json_decref(j);
}

static void test_decimal(void **state)
{
	(void)state;
	int64_t v = 0;
	assert_int_equal(api_decimal_check("65012.25", 2, API_DEC_POSITIVE), 0);
	assert_int_equal(api_decimal_check("60000", 18, API_DEC_POSITIVE), 0); /* syntax only: no scaling overflow */
	assert_int_equal(api_decimal_check("-0.5", 1, 0), 0);
	assert_int_equal(api_decimal_check("0", 0, API_DEC_NONNEG), 0);
	assert_int_equal(api_decimal_check("-0", 0, API_DEC_NONNEG), -1);
	assert_int_equal(api_decimal_check("0.000", 3, API_DEC_POSITIVE), -1);
	assert_int_equal(api_decimal_check(".5", 2, 0), -1);
	assert_int_equal(api_decimal_check("5.", 2, 0), -1);
	assert_int_equal(api_decimal_check("+5", 2, 0), -1);
	assert_int_equal(api_decimal_check("1 ", 2, 0), -1);
	assert_int_equal(api_decimal_check("1.234", 2, 0), -1);
	assert_int_equal(api_decimal_check("1234567890123456789", 0, 0), -1); /* 19 significant digits */
	assert_int_equal(api_decimal_check("000000000000000000001", 0, 0), 0);
	assert_int_equal(api_decimal_parse("0.0150", 4, &v), 0);
	assert_int_equal(v, 150);
	assert_int_equal(api_decimal_parse("1000", 8, &v), 0);
	assert_int_equal(v, 100000000000LL);
	v = 7;
	assert_int_equal(api_decimal_parse("0.00001", 4, &v), -1);
	assert_int_equal(v, 7);
	assert_int_equal(api_decimal_parse("100000000000", 8, &v), -1); /* 10^19 overflows */
	assert_int_equal(api_decimal_parse("+1", 2, &v), -1);
}

static void test_schema(void **state)
{
	(void)state;
	json_t *s = api_body_schema(&api_spec_order);
	assert_string_equal(json_string_value(json_object_get(s, "type")), "object");
	assert_true(json_is_false(json_object_get(s, "additionalProperties")));
	json_t *req = json_object_get(s, "required");
	assert_int_equal(json_array_size(req), 6);
	json_t *qty = json_object_get(json_object_get(s, "properties"), "qty");
	assert_string_equal(json_string_value(json_object_get(qty, "type")), "string");
	assert_string_equal(json_string_value(json_object_get(qty, "pattern")), "^[0-9]+(\\.[0-9]{1,18})?$");
	json_t *side = json_object_get(json_object_get(s, "properties"), "side");
	assert_int_equal(json_array_size(json_object_get(side, "enum")), 2);
	json_decref(s);
	/* every spec yields a schema listing exactly its fields */
	for (size_t i = 0; api_body_specs[i]; i++) {
		s = api_body_schema(api_body_specs[i]);
		assert_int_equal(json_object_size(json_object_get(s, "properties")), api_body_specs[i]->nfields);
		json_decref(s);
	}
}

static void assert_json_str(const json_t *o, const char *key, const char *want)
{
	const char *got = json_string_value(json_object_get(o, key));
	if (!got || strcmp(got, want) != 0)
		fail_msg("%s is \"%s\", want \"%s\"", key, got ? got : "(not a string)", want);
}

static void test_money_and_fixed(void **state)
{
	(void)state;
	char buf[48];
	api_money_text(10000000000000LL, buf, sizeof buf);
	assert_string_equal(buf, "100000.00");
	api_money_text(1500000, buf, sizeof buf);
	assert_string_equal(buf, "0.015");
	api_money_text(-312340000, buf, sizeof buf);
	assert_string_equal(buf, "-3.1234");
	api_money_text(1, buf, sizeof buf);
	assert_string_equal(buf, "0.00000001");
	api_money_text(INT64_MIN, buf, sizeof buf);
	assert_string_equal(buf, "-92233720368.54775808");
	json_t *j = api_json_fixed(150, 4);
	assert_string_equal(json_string_value(j), "0.0150");
	json_decref(j);
	j = api_json_fixed(6501225, 2);
	assert_string_equal(json_string_value(j), "65012.25");
	json_decref(j);
}

static void test_order_json(void **state)
{
	(void)state;
	th_order o;
	memset(&o, 0, sizeof o);
	strcpy(o.symbol, "BTC-USDT");
	o.side = TH_SIDE_SELL;
	o.type = TH_ORDER_LIMIT;
	o.tif = TH_TIF_GTC;
	o.flags = TH_ORDER_POST_ONLY;
	o.price = 6501225;
	o.price_scale = 2;
	o.qty = 150;
	o.qty_scale = 4;
	oms_order_view v = { "th000000000001", "marcus", "momentum", "sim", &o, TH_ORDER_PARTIALLY_FILLED, 50,
		1700000000123456789LL, 1700000001000000000LL, "" };
	json_t *j = api_json_order(&v, 1);
	assert_json_str(j, "client_order_id", "th000000000001");
	assert_json_str(j, "side", "sell");
	assert_json_str(j, "type", "limit");
	assert_json_str(j, "tif", "post_only");
	assert_json_str(j, "price", "65012.25");
	assert_json_str(j, "qty", "0.0150");
	assert_json_str(j, "filled_qty", "0.0050");
	assert_json_str(j, "state", "partially_filled");
	assert_int_equal(json_integer_value(json_object_get(j, "created_ms")), 1700000000123LL);
	assert_true(json_is_true(json_object_get(j, "manual")));
	json_decref(j);
	/* a stop order's price is its trigger */
	o.type = TH_ORDER_STOP;
	o.stop_price = 6400000;
	j = api_json_order(&v, 0);
	assert_json_str(j, "price", "64000.00");
	assert_json_str(j, "type", "stop");
	json_decref(j);
	assert_true(api_order_state_open(TH_ORDER_UNKNOWN));
	assert_false(api_order_state_open(TH_ORDER_CANCELED));
}

static void test_fill_wallet_position_json(void **state)
{
	(void)state;
	th_event ev;
	th_event_init(&ev, TH_EV_FILL);
	memset(&ev.u.fill, 0, sizeof ev.u.fill);
	strcpy(ev.h.venue, "sim");
	strcpy(ev.h.symbol, "ETH-USDT");
	strcpy(ev.h.agent, "mia");
	ev.h.ts_ns = 2000000000LL;
	strcpy(ev.u.fill.client_order_id, "th7");
	strcpy(ev.u.fill.venue_trade_id, "t-9");
	ev.u.fill.side = TH_SIDE_BUY;
	ev.u.fill.liquidity = TH_LIQ_MAKER;
	ev.u.fill.price = 350012;
	ev.u.fill.price_scale = 2;
	ev.u.fill.qty = 5000;
	ev.u.fill.qty_scale = 4;
	ev.u.fill.fee = -35001; /* a rebate */
	json_t *j = api_json_fill(&ev);
	assert_json_str(j, "price", "3500.12");
	assert_json_str(j, "qty", "0.5000");
	assert_json_str(j, "fee", "-0.00035001");
	assert_json_str(j, "liquidity", "maker");
	assert_json_str(j, "trade_id", "t-9");
	assert_int_equal(json_integer_value(json_object_get(j, "ts_ms")), 2000);
	json_decref(j);

	capital_stats st;
	memset(&st, 0, sizeof st);
	strcpy(st.name, "marcus");
	strcpy(st.parent, "momentum");
	st.kind = CAPITAL_KIND_AGENT;
	st.equity = 9000LL * 100000000;
	st.cash = 8000LL * 100000000;
	st.allocated = 10000LL * 100000000;
	j = api_json_wallet(&st, 10000LL * 100000000, "0.5");
	assert_json_str(j, "kind", "agent");
	assert_json_str(j, "equity", "9000.00");
	assert_json_str(j, "peak_equity", "10000.00");
	assert_int_equal(json_integer_value(json_object_get(j, "drawdown_bps")), 1000);
	assert_json_str(j, "weight", "0.5");
	json_decref(j);
	/* a peak below the equity is the equity: no negative drawdown */
	j = api_json_wallet(&st, 1, NULL);
	assert_json_str(j, "peak_equity", "9000.00");
	assert_int_equal(json_integer_value(json_object_get(j, "drawdown_bps")), 0);
	json_decref(j);

	capital_position p;
	memset(&p, 0, sizeof p);
	strcpy(p.p.venue, "sim");
	strcpy(p.p.symbol, "BTC-USDT");
	p.p.qty = -200;
	p.p.qty_scale = 4;
	p.p.avg_price = 6500000;
	p.p.price_scale = 2;
	p.mark = 6400000;
	p.unrealized_pnl = 200000000;
	j = api_json_position("marcus", &p);
	assert_json_str(j, "qty", "-0.0200");
	assert_json_str(j, "avg_price", "65000.00");
	assert_json_str(j, "mark", "64000.00");
	assert_json_str(j, "unrealized_pnl", "2.00");
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_order),
		cmocka_unit_test(test_error_codes),
		cmocka_unit_test(test_empty_body),
		cmocka_unit_test(test_decimal),
		cmocka_unit_test(test_schema),
		cmocka_unit_test(test_money_and_fixed),
		cmocka_unit_test(test_order_json),
		cmocka_unit_test(test_fill_wallet_position_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
