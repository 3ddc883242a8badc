/* host/frontdoor: the [http] section (defaults, listen parsing, the refusals
 * that protect a non-loopback bind, TLS pairs, paths) and the exact
 * fixed-point text /metrics uses for money. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "frontdoor/fd_internal.h"

static int load(const char *toml, frontdoor_config *c, char *err, size_t errlen)
{
	toml_error te;
	toml_value *root = toml_parse(toml, strlen(toml), "t.toml", &te);
	assert_non_null(root);
	int rc = frontdoor_config_load(root, "/etc/th", "/var/th", c, err, errlen);
	toml_free(root);
	return rc;
}

static void expect_error(const char *toml, const char *want)
{
	frontdoor_config c;
	char err[1024] = "";
	if (load(toml, &c, err, sizeof err) == 0)
		fail_msg("accepted: %s", toml);
	if (!strstr(err, want))
		fail_msg("error \"%s\" does not contain \"%s\"", err, want);
}

static void test_defaults(void **state)
{
	(void)state;
	frontdoor_config c;
	char err[512];
	assert_int_equal(load("", &c, err, sizeof err), 0);
	assert_false(c.enabled); /* no [http] section: no listener */
	assert_int_equal(load("[http]\n", &c, err, sizeof err), 0);
	assert_true(c.enabled);
	assert_true(c.auth);
	assert_true(c.public_health);
	assert_true(c.public_metrics);
	assert_string_equal(c.bind_addr, "127.0.0.1");
	assert_int_equal(c.port, 8080);
	assert_string_equal(c.tls_cert, "");
	assert_string_equal(c.tokens_file, "/var/th/tokens");
	assert_string_equal(c.audit_log, "/var/th/audit.log");
	assert_int_equal(c.rate_per_second, 50);
	assert_int_equal(c.rate_burst, 100);
	assert_int_equal(c.max_body_bytes, 1048576);
	assert_int_equal(c.ws_queue_bytes, 1048576);
	assert_int_equal(frontdoor_sections[0][0], 'h');
	assert_null(frontdoor_sections[1]);
}

static void test_listen_forms(void **state)
{
	(void)state;
	frontdoor_config c;
	char err[512];
	assert_int_equal(load("[http]\nlisten = \"[::1]:9000\"\n", &c, err, sizeof err), 0);
	assert_string_equal(c.bind_addr, "::1");
	assert_int_equal(c.port, 9000);
	assert_int_equal(load("[http]\nlisten = \"localhost:0\"\n", &c, err, sizeof err), 0);
	assert_string_equal(c.bind_addr, "127.0.0.1");
	assert_int_equal(c.port, 0);
	assert_int_equal(load("[http]\nlisten = \"0.0.0.0:443\"\n", &c, err, sizeof err), 0);
	assert_int_equal(c.port, 443);
	expect_error("[http]\nlisten = \"127.0.0.1\"\n", "http.listen \"127.0.0.1\": expected address:port");
	expect_error("[http]\nlisten = \":80\"\n", "the address is missing");
	expect_error("[http]\nlisten = \"example.com:80\"\n", "\"example.com\" is not an IPv4 or IPv6 address");
	expect_error("[http]\nlisten = \"127.0.0.1:http\"\n", "port must be a number 0..65535");
	expect_error("[http]\nlisten = \"127.0.0.1:65536\"\n", "port must be a number 0..65535");
	expect_error("[http]\nlisten = \"127.0.0.1:\"\n", "port must be a number");
	expect_error("[http]\nlisten = \"[::1]8080\"\n", "expected [ipv6]:port");
	expect_error("[http]\nlisten = \"::1:8080\"\n", "expected address:port");
}

static void test_auth_off_only_on_loopback(void **state)
{
	(void)state;
	frontdoor_config c;
	char err[512];
	assert_int_equal(load("[http]\nauth = false\nlisten = \"127.0.0.5:1\"\n", &c, err, sizeof err), 0);
	assert_false(c.auth);
	assert_int_equal(load("[http]\nauth = false\nlisten = \"[::1]:1\"\n", &c, err, sizeof err), 0);
	expect_error("[http]\nauth = false\nlisten = \"0.0.0.0:8080\"\n", "http.auth = false is refused");
	expect_error("[http]\nauth = false\nlisten = \"[::]:8080\"\n", "http.auth = false is refused");
	expect_error("[http]\nauth = false\nlisten = \"10.0.0.1:8080\"\n", "bind to 127.0.0.1");
}

static void test_tls_and_paths(void **state)
{
	(void)state;
	frontdoor_config c;
	char err[512];
	expect_error("[http]\ntls_cert = \"c.pem\"\n", "http.tls_cert is set but http.tls_key is not");
	expect_error("[http]\ntls_key = \"k.pem\"\n", "http.tls_key is set but http.tls_cert is not");
	assert_int_equal(load("[http]\ntls_cert = \"c.pem\"\ntls_key = \"/k/k.pem\"\ntokens_file = \"tok\"\n"
			      "audit_log = \"/log/a\"\ndashboard_dir = \"ui\"\n",
				 &c, err, sizeof err),
		0);
	assert_string_equal(c.tls_cert, "/etc/th/c.pem");
	assert_string_equal(c.tls_key, "/k/k.pem");
	assert_string_equal(c.tokens_file, "/etc/th/tok");
	assert_string_equal(c.audit_log, "/log/a");
	assert_string_equal(c.dashboard_dir, "/etc/th/ui");
}

static void test_schema_refusals(void **state)
{
	(void)state;
	expect_error("[http]\ncolour = \"blue\"\n", "colour");
	expect_error("[http]\nrate_burst = 0\n", "rate_burst");
	expect_error("[http]\nmax_body_bytes = 10\n", "max_body_bytes");
	expect_error("[http]\nauth = \"no\"\n", "auth");
	expect_error("[http]\nlisten = 8080\n", "listen");
}

static void test_describe(void **state)
{
	(void)state;
	char buf[8192] = "";
	FILE *f = fmemopen(buf, sizeof buf - 1, "w");
	frontdoor_config_describe(f, 1);
	fclose(f);
	assert_non_null(strstr(buf, "### `[http]`"));
	assert_non_null(strstr(buf, "| `listen` | string | `\"127.0.0.1:8080\"`"));
	assert_non_null(strstr(buf, "`tokens_file`"));
}

static const char *fixed(int64_t v, int scale)
{
	static fd_text t;
	fd_text_free(&t);
	fd_text_fixed(&t, v, scale);
	return t.p;
}

static void test_fixed_text(void **state)
{
	(void)state;
	assert_string_equal(fixed(12345678900, 8), "123.456789");
	assert_string_equal(fixed(10000000000000, 8), "100000");
	assert_string_equal(fixed(0, 8), "0");
	assert_string_equal(fixed(-5, 8), "-0.00000005");
	assert_string_equal(fixed(-150000000, 8), "-1.5");
	assert_string_equal(fixed(INT64_MIN, 8), "-92233720368.54775808");
	assert_string_equal(fixed(INT64_MAX, 8), "92233720368.54775807");
	assert_string_equal(fixed(250, 4), "0.025");
	assert_string_equal(fixed(42, 0), "42");
	fd_text t = { 0 };
	fd_text_fixed_u(&t, 1000, 9);
	fd_text_puts(&t, " ");
	fd_text_fixed_u(&t, UINT64_MAX, 9);
	assert_string_equal(t.p, "0.000001 18446744073.709551615");
	fd_text_free(&t);
	fixed(0, 0);
}

static void test_label_escaping(void **state)
{
	(void)state;
	fd_text t = { 0 };
	fd_text_label(&t, "a\"b\\c\nd");
	assert_string_equal(t.p, "a\\\"b\\\\c\\nd");
	fd_text_free(&t);
	/* a long printf goes through the heap path */
	char big[2000];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	fd_text_printf(&t, "%s|%d", big, 7);
	assert_int_equal(t.len, sizeof big - 1 + 2);
	assert_string_equal(t.p + sizeof big - 1, "|7");
	fd_text_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_listen_forms),
		cmocka_unit_test(test_auth_off_only_on_loopback),
		cmocka_unit_test(test_tls_and_paths),
		cmocka_unit_test(test_schema_refusals),
		cmocka_unit_test(test_describe),
		cmocka_unit_test(test_fixed_text),
		cmocka_unit_test(test_label_escaping),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
