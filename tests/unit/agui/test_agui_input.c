/*
 * The AG-UI endpoint's pure parts: RunAgentInput validation (codes and the
 * field named in the message), the question taken from the last user
 * message, money and fixed-point formatting, UTF-8 repair of agent text,
 * and the keyword answers built from a state document.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "agui/agui_internal.h"

static int parse(const char *body, agui_input *in, const char **code, char *msg)
{
	return agui_input_parse(body, strlen(body), in, code, msg, 256);
}

static void expect_error(const char *body, const char *code, const char *needle)
{
	agui_input in;
	const char *got = NULL;
	char msg[256] = "";
	if (parse(body, &in, &got, msg) == 0)
		fail_msg("accepted: %s", body);
	if (strcmp(got, code) != 0 || !strstr(msg, needle))
		fail_msg("%s\n got %s: %s\n want %s containing \"%s\"", body, got, msg, code, needle);
}

static void test_valid_minimal(void **state)
{
	(void)state;
	agui_input in;
	const char *code;
	char msg[256];
	assert_int_equal(parse("{\"threadId\":\"t\",\"runId\":\"r\",\"messages\":[]}", &in, &code, msg), 0);
	assert_string_equal(in.thread_id, "t");
	assert_string_equal(in.run_id, "r");
	assert_int_equal(in.duration_ms, AGUI_DURATION_DEFAULT_MS);
	assert_null(in.question);
	agui_input_free(&in);
}

/* What HttpAgent sends, plus fields the endpoint ignores. */
static void test_valid_full(void **state)
{
	(void)state;
	const char *body = "{\"threadId\":\"t\",\"runId\":\"r\",\"protocolVersion\":\"1.0\",\"state\":null,"
			   "\"messages\":[{\"id\":\"s\",\"role\":\"system\",\"content\":\"be brief\"},"
			   "{\"id\":\"a\",\"role\":\"assistant\",\"content\":null,\"toolCalls\":[]},"
			   "{\"id\":\"x\",\"role\":\"tool\",\"content\":\"ok\",\"toolCallId\":\"c1\"},"
			   "{\"id\":\"u\",\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"my\"},"
			   "{\"type\":\"image\",\"source\":{\"type\":\"url\",\"value\":\"http://x\"}},"
			   "{\"type\":\"text\",\"text\":\"positions?\"}]}],"
			   "\"tools\":[{\"name\":\"n\",\"description\":\"d\",\"parameters\":{}}],"
			   "\"context\":[{\"description\":\"d\",\"value\":\"v\"}],"
			   "\"forwardedProps\":{\"duration_ms\":0,\"other\":1},\"resume\":[],\"newerField\":[1]}";
	agui_input in;
	const char *code = NULL;
	char msg[256] = "";
	if (parse(body, &in, &code, msg) != 0)
		fail_msg("%s: %s", code, msg);
	assert_int_equal(in.duration_ms, 0);
	assert_string_equal(in.question, "my positions?");
	agui_input_free(&in);

	/* the question is only the LAST message, and only when it is the user's */
	assert_int_equal(parse("{\"threadId\":\"t\",\"runId\":\"r\",\"messages\":[{\"id\":\"u\",\"role\":\"user\","
			       "\"content\":\"q\"},{\"id\":\"a\",\"role\":\"assistant\",\"content\":\"answer\"}],"
			       "\"forwardedProps\":{\"duration_ms\":3600000}}",
				 &in, &code, msg),
		0);
	assert_null(in.question);
	assert_int_equal(in.duration_ms, 3600000);
	agui_input_free(&in);
	/* forwardedProps that is not an object carries no duration */
	assert_int_equal(parse("{\"threadId\":\"t\",\"runId\":\"r\",\"messages\":[],\"forwardedProps\":\"x\"}", &in,
				 &code, msg),
		0);
	assert_int_equal(in.duration_ms, AGUI_DURATION_DEFAULT_MS);
	agui_input_free(&in);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("", "bad_json", "not valid JSON");
	expect_error("{\"threadId\":\"t\",\"threadId\":\"u\",\"runId\":\"r\",\"messages\":[]}", "bad_json", "duplicate");
	expect_error("42", "bad_json", "not valid JSON"); /* a bare scalar is not a JSON text for jansson */
	expect_error("[1]", "bad_field", "RunAgentInput");
	expect_error("{\"runId\":\"r\",\"messages\":[]}", "missing_field", "threadId is required");
	expect_error("{\"threadId\":\"t\",\"messages\":[]}", "missing_field", "runId is required");
	expect_error("{\"threadId\":null,\"runId\":\"r\",\"messages\":[]}", "bad_field", "threadId must be a string");
	expect_error("{\"threadId\":\"t\",\"runId\":\"r\",\"parentRunId\":1,\"messages\":[]}", "bad_field", "parentRunId");
	expect_error("{\"threadId\":\"t\",\"runId\":\"r\"}", "missing_field", "messages is required");
	expect_error("{\"threadId\":\"t\",\"runId\":\"r\",\"messages\":\"hi\"}", "bad_field", "messages must be an array");
	expect_error("{\"threadId\":\"t\",\"runId\":\"r\",\"messages\":[7]}", "bad_field", "messages[0] must be");
	expect_error("{\"threadId\":\"t\",\"runId\":\"r\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
		"missing_field", "messages[0].id");
	expect_error("{\"threadId\":\"t\",\"runId\":\"r\",\"messages\":[{\"id\":\"1\",\"role\":\"bot\"}]}", "bad_field",
		"messages[0].role must be one of");
	expect_error("{\"threadId\":\"t\",\"runId\":\"r\",\"messages\":[{\"id\":\"1\",\"role\":\"user\"}]}",
		"missing_field", "messages[0].content");
	expect_error("{\"threadId\":\"t\",\"runId\":\"r\",\"messages\":[{\"id\":\"1\",\"role\":\"user\",\"content\":"
		     "[{\"type\":\"text\"}]}]}",
		"missing_field", "messages[0].content[0].text");
	expect_error("{\"threadId\":\"t\",\"runId\":\"r\",\"messages\":[{\"id\":\"1\",\"role\":\"tool\",\"content\":"
		     "\"x\"}]}",
		"missing_field", "messages[0].toolCallId");
	expect_error("{\"threadId\":\"t\",\"runId\":\"r\",\"messages\":[{\"id\":\"1\",\"role\":\"tool\",\"content\":"
		     "[{\"type\":\"text\",\"text\":\"ok\"}]}]}",
		"missing_field", "messages[0].toolCallId");
	expect_error("{\"threadId\":\"t\",\"runId\":\"r\",\"messages\":[{\"id\":\"1\",\"role\":\"system\"}]}",
		"missing_field", "messages[0].content");
	expect_error("{\"threadId\":\"t\",\"runId\":\"r\",\"messages\":[{\"id\":\"1\",\"role\":\"activity\","
		     "\"activityType\":\"a\",\"content\":[]}]}",
		"bad_field", "messages[0].content must be an object");
	expect_error("{\"threadId\":\"t\",\"runId\":\"r\",\"messages\":[],\"tools\":{}}", "bad_field", "tools must be");
	expect_error("{\"threadId\":\"t\",\"runId\":\"r\",\"messages\":[],\"context\":[{\"description\":\"d\","
		     "\"value\":3}]}",
		"bad_field", "context[0].value");
	expect_error("{\"threadId\":\"t\",\"runId\":\"r\",\"messages\":[],\"resume\":[{\"status\":\"resolved\"}]}",
		"missing_field", "resume[0].interruptId");
	expect_error("{\"threadId\":\"t\",\"runId\":\"r\",\"messages\":[],\"forwardedProps\":null}", "bad_field",
		"forwardedProps must not be null");
	expect_error("{\"threadId\":\"t\",\"runId\":\"r\",\"messages\":[],\"forwardedProps\":{\"duration_ms\":\"5\"}}",
		"bad_field", "duration_ms");
	expect_error("{\"threadId\":\"t\",\"runId\":\"r\",\"messages\":[],\"forwardedProps\":{\"duration_ms\":3600001}}",
		"bad_field", "duration_ms");
	char big[600];
	snprintf(big, sizeof big, "{\"threadId\":\"%0300d\",\"runId\":\"r\",\"messages\":[]}", 0);
	expect_error(big, "bad_field", "threadId is longer than 256");
}

static void test_formatting(void **state)
{
	(void)state;
	char buf[48];
	agui_money_text(10000000000000LL, buf, sizeof buf); /* 100000 at scale 8 */
	assert_string_equal(buf, "100000.00");
	agui_money_text(1234500000LL, buf, sizeof buf);
	assert_string_equal(buf, "12.345");
	agui_money_text(-1, buf, sizeof buf);
	assert_string_equal(buf, "-0.00000001");
	agui_money_text(0, buf, sizeof buf);
	assert_string_equal(buf, "0.00");
	agui_fixed_text(150, 4, buf, sizeof buf);
	assert_string_equal(buf, "0.0150");
	agui_fixed_text(6501225, 2, buf, sizeof buf);
	assert_string_equal(buf, "65012.25");
	agui_fixed_text(-7, 0, buf, sizeof buf);
	assert_string_equal(buf, "-7");
}

static void test_text_repairs_utf8(void **state)
{
	(void)state;
	json_t *ok = agui_text("caf\xc3\xa9 \xe2\x82\xac");
	assert_string_equal(json_string_value(ok), "caf\xc3\xa9 \xe2\x82\xac");
	json_decref(ok);
	/* a lone continuation byte, an overlong '/', a surrogate, a cut sequence */
	json_t *bad = agui_text("a\x80" "b\xc0\xaf" "c\xed\xa0\x80" "d\xe2\x82");
	assert_non_null(bad);
	assert_string_equal(json_string_value(bad), "a?b??c???d??");
	json_decref(bad);
}

static json_t *load(const char *text)
{
	json_error_t e;
	json_t *v = json_loads(text, 0, &e);
	if (!v)
		fail_msg("bad test JSON: %s", e.text);
	return v;
}

#define WALLET(eq, net)                                                                                               \
	"{\"equity\":\"" eq "\",\"cash\":\"1.00\",\"reserved\":\"0.00\",\"allocated\":\"1.00\",\"realized_pnl\":\"0.00\"," \
	"\"unrealized_pnl\":\"0.00\",\"fees\":\"0.00\",\"net_pnl\":\"" net "\",\"drawdown_bps\":12,\"trades\":3,"        \
	"\"wins\":2,\"losses\":1,\"open_orders\":0,\"position_count\":1}"

static const char *state_doc =
	"{\"trading\":true,\"quote\":\"USDT\",\"marks\":{},"
	"\"risk\":{\"host\":\"active\",\"halt\":\"\",\"open_orders\":0,"
	"\"scopes\":[{\"scope\":\"agent\",\"name\":\"mia\",\"state\":\"halted\"}]},"
	"\"master\":" WALLET("0.00", "0.00") ",\"total\":" WALLET("100012.50", "12.50") ","
	"\"farms\":{\"momentum\":{\"state\":\"active\",\"paused\":false,\"agents\":[\"marcus\"],\"wallet\":" WALLET(
		"40012.50", "12.50") "}},"
	"\"agents\":{\"marcus\":{\"farm\":\"momentum\",\"state\":\"active\",\"paused\":true,\"wallet\":" WALLET(
		"40012.50", "12.50") ",\"positions\":[{\"venue\":\"sim\",\"symbol\":\"BTC-USDT\",\"qty\":\"-0.0500\","
		"\"avg_price\":\"65000.00\",\"mark\":\"64750.00\",\"value\":\"-3237.50\",\"unrealized_pnl\":\"12.50\","
		"\"realized_pnl\":\"0.00\",\"fees\":\"1.60\"}]}}}";

static void test_answers(void **state)
{
	(void)state;
	struct agui a = { 0 };
	json_t *doc = load(state_doc);
	char *s = agui_answer(&a, doc, "What are my POSITIONS?");
	assert_non_null(strstr(s, "- marcus: short 0.0500 BTC-USDT on sim, avg price 65000.00, mark 64750.00"));
	assert_null(strstr(s, "Profit and loss"));
	assert_true(s[strlen(s) - 1] != '\n');
	free(s);
	s = agui_answer(&a, doc, "how's the pnl and the risk?");
	assert_non_null(strstr(s, "whole host: equity 100012.50 USDT"));
	assert_non_null(strstr(s, "agent marcus: equity 40012.50 USDT"));
	assert_non_null(strstr(s, "max drawdown 12 bps, 3 trades (2 won)"));
	assert_non_null(strstr(s, "- agent mia is halted"));
	assert_non_null(strstr(s, "- agent marcus is paused"));
	free(s);
	s = agui_answer(&a, doc, "which agents run?");
	assert_non_null(strstr(s, "Agents (1 in 1 farms)"));
	assert_non_null(strstr(s, "marcus (farm momentum): active, paused, equity 40012.50 USDT"));
	free(s);
	s = agui_answer(&a, doc, "hi");
	assert_non_null(strstr(s, "I can report positions, PnL, risk, orders and agents"));
	assert_non_null(strstr(s, "Total equity is 100012.50 USDT"));
	free(s);
	json_decref(doc);
	doc = load("{\"trading\":false,\"marks\":{}}");
	s = agui_answer(&a, doc, "positions?");
	assert_non_null(strstr(s, "Trading is not running"));
	free(s);
	json_decref(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_minimal),
		cmocka_unit_test(test_valid_full),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_formatting),
		cmocka_unit_test(test_text_repairs_utf8),
		cmocka_unit_test(test_answers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
