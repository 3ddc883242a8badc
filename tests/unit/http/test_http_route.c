/* Routing over real loopback connections: params, literal-over-param, 404, 405 + Allow,
 * HEAD, the fallback, the guard, the observer and the route table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <event2/event.h>

#include "http/http.h"
#include "http_test_client.h"

enum { TAG_OPEN = 0, TAG_SECRET = 7, TAG_FALLBACK = 9 };

typedef struct fixture {
	struct event_base *base;
	http_server *srv;
	int last_status;   /* seen by the observer */
	int observed;
	int guard_tags[16];
	int nguard;
} fixture;

static void text(http_request *r, const char *body)
{
	http_respond(r, 200, "text/plain", body, strlen(body));
}

static void h_list(http_request *r, void *arg)
{
	(void)arg;
	http_response_header(r, "X-Custom", "yes");
	http_response_header(r, "Content-Length", "999"); /* the server's: dropped */
	http_response_header(r, "X-Bad", "a\r\nInjected: 1"); /* would split the header: dropped */
	text(r, "list of orders");
}

static void h_order(http_request *r, void *arg)
{
	(void)arg;
	char b[256];
	snprintf(b, sizeof(b), "%s id=%s", http_request_method(r), http_request_param(r, "id"));
	text(r, b);
}

static void h_open(http_request *r, void *arg)
{
	(void)arg;
	text(r, "open orders");
}

static void h_two(http_request *r, void *arg)
{
	(void)arg;
	char b[256];
	snprintf(b, sizeof(b), "a=%s b=%s none=%s path=%s", http_request_param(r, "a"), http_request_param(r, "b"),
		http_request_param(r, "zz") ? "set" : "null", http_request_path(r));
	text(r, b);
}

static void h_query(http_request *r, void *arg)
{
	(void)arg;
	char b[512] = "";
	const char *n, *v;
	for (size_t i = 0; http_request_query_at(r, i, &n, &v); i++)
		snprintf(b + strlen(b), sizeof(b) - strlen(b), "%s=%s;", n, v);
	snprintf(b + strlen(b), sizeof(b) - strlen(b), "first x=%s target=%s", http_request_query(r, "x"),
		http_request_target(r));
	text(r, b);
}

static void h_secret(http_request *r, void *arg)
{
	(void)arg;
	text(r, (const char *)http_request_user(r));
}

static void h_fallback(http_request *r, void *arg)
{
	(void)arg;
	char b[256];
	snprintf(b, sizeof(b), "static %s", http_request_path(r));
	text(r, b);
}

static int guard(http_request *r, int tag, void *arg)
{
	fixture *f = arg;
	if (f->nguard < 16)
		f->guard_tags[f->nguard++] = tag;
	if (tag != TAG_SECRET)
		return 0;
	const char *auth = http_request_header(r, "authorization");
	if (!auth || strcmp(auth, "Bearer good") != 0) {
		http_respond_error(r, 401, "unauthorized", "a valid token is required");
		return -1;
	}
	http_request_set_user(r, "alice");
	return 0;
}

static int lazy_guard(http_request *r, int tag, void *arg)
{
	(void)r;
	(void)tag;
	(void)arg;
	return -1; /* refuses without answering: the server must still answer */
}

static void observer(http_request *r, int status, void *arg)
{
	(void)r;
	fixture *f = arg;
	f->last_status = status;
	f->observed++;
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	f->base = event_base_new();
	char err[256];
	http_server_options o = { .port = 0 };
	f->srv = http_server_create(f->base, &o, err, sizeof(err));
	if (!f->srv)
		fail_msg("http_server_create: %s", err);
	assert_int_not_equal(http_server_port(f->srv), 0);
	assert_int_equal(http_server_route(f->srv, "GET", "/api/v1/orders", TAG_OPEN, h_list, NULL), 0);
	assert_int_equal(http_server_route(f->srv, "POST", "/api/v1/orders", TAG_OPEN, h_list, NULL), 0);
	assert_int_equal(http_server_route(f->srv, "GET", "/api/v1/orders/{id}", TAG_OPEN, h_order, NULL), 0);
	assert_int_equal(http_server_route(f->srv, "DELETE", "/api/v1/orders/{id}", TAG_OPEN, h_order, NULL), 0);
	assert_int_equal(http_server_route(f->srv, "GET", "/api/v1/orders/open", TAG_OPEN, h_open, NULL), 0);
	assert_int_equal(http_server_route(f->srv, "GET", "/items/{a}/sub/{b}", TAG_OPEN, h_two, NULL), 0);
	assert_int_equal(http_server_route(f->srv, "GET", "/q", TAG_OPEN, h_query, NULL), 0);
	assert_int_equal(http_server_route(f->srv, "GET", "/secret", TAG_SECRET, h_secret, NULL), 0);
	http_server_set_guard(f->srv, guard, f);
	http_server_set_observer(f->srv, observer, f);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	http_server_free(f->srv);
	event_base_free(f->base);
	free(f);
	return 0;
}

static int get(fixture *f, const char *raw, ht_response *r)
{
	return ht_request(f->base, http_server_port(f->srv), raw, r);
}

static void expect_body(fixture *f, const char *raw, int status, const char *body)
{
	ht_response r;
	int st = get(f, raw, &r);
	if (st != status || strcmp(r.body, body) != 0)
		fail_msg("%s-> %d \"%s\", want %d \"%s\"", raw, st, st > 0 ? r.body : "", status, body);
	ht_response_free(&r);
}

static void test_params_and_specificity(void **state)
{
	fixture *f = *state;
	expect_body(f, "GET /api/v1/orders/42 HTTP/1.1\r\nHost: x\r\n\r\n", 200, "GET id=42");
	expect_body(f, "GET /api/v1/orders/open HTTP/1.1\r\nHost: x\r\n\r\n", 200, "open orders");
	expect_body(f, "DELETE /api/v1/orders/open HTTP/1.1\r\nHost: x\r\n\r\n", 200, "DELETE id=open");
	expect_body(f, "GET /api/v1/orders/a%20b%2Bc HTTP/1.1\r\nHost: x\r\n\r\n", 200, "GET id=a b+c");
	expect_body(f, "GET /items/x1/sub/y%2e2 HTTP/1.1\r\nHost: x\r\n\r\n", 200,
		"a=x1 b=y.2 none=null path=/items/x1/sub/y.2");
	expect_body(f, "GET /q?x=1&y=a+b&x=2&flag HTTP/1.1\r\nHost: x\r\n\r\n", 200,
		"x=1;y=a b;x=2;flag=;first x=1 target=/q?x=1&y=a+b&x=2&flag");
	/* a parameter segment is never empty, and trailing slashes are distinct paths */
	expect_body(f, "GET /api/v1/orders/ HTTP/1.1\r\nHost: x\r\n\r\n", 404,
		"{\"error\":{\"code\":\"not_found\",\"message\":\"no such resource\"}}");
}

static void test_404_405(void **state)
{
	fixture *f = *state;
	ht_response r;
	assert_int_equal(get(f, "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n", &r), 404);
	assert_string_equal(ht_header(&r, "Content-Type"), "application/json");
	assert_non_null(strstr(r.body, "\"code\":\"not_found\""));
	assert_int_equal(f->last_status, 404);
	ht_response_free(&r);

	assert_int_equal(get(f, "PUT /api/v1/orders/42 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", &r), 405);
	assert_string_equal(ht_header(&r, "Allow"), "GET, HEAD, DELETE");
	assert_non_null(strstr(r.body, "method_not_allowed"));
	ht_response_free(&r);

	assert_int_equal(get(f, "PATCH /api/v1/orders HTTP/1.1\r\nHost: x\r\n\r\n", &r), 405);
	assert_string_equal(ht_header(&r, "Allow"), "GET, HEAD, POST");
	ht_response_free(&r);

	/* unknown methods are a 405 on a known path too */
	assert_int_equal(get(f, "BREW /q HTTP/1.1\r\nHost: x\r\n\r\n", &r), 405);
	assert_string_equal(ht_header(&r, "Allow"), "GET, HEAD");
	ht_response_free(&r);

	/* a path that cannot be decoded is a 400, not a 404 */
	assert_int_equal(get(f, "GET /api/v1/orders/%2F..%2F HTTP/1.1\r\nHost: x\r\n\r\n", &r), 400);
	assert_non_null(strstr(r.body, "encoded '/'"));
	ht_response_free(&r);
}

static void test_server_headers(void **state)
{
	fixture *f = *state;
	ht_response r;
	assert_int_equal(get(f, "GET /api/v1/orders HTTP/1.1\r\nHost: x\r\n\r\n", &r), 200);
	assert_string_equal(ht_header(&r, "Server"), "tradehost");
	assert_string_equal(ht_header(&r, "Content-Length"), "14");
	assert_string_equal(ht_header(&r, "Content-Type"), "text/plain");
	assert_string_equal(ht_header(&r, "X-Custom"), "yes");
	assert_null(ht_header(&r, "X-Bad"));
	assert_null(ht_header(&r, "Injected"));
	assert_string_equal(ht_header(&r, "Connection"), "keep-alive");
	const char *date = ht_header(&r, "Date");
	assert_non_null(date);
	assert_int_equal(strlen(date), 29); /* "Sun, 06 Nov 1994 08:49:37 GMT" */
	assert_non_null(strstr(date, " GMT"));
	assert_non_null(strstr(r.head, "HTTP/1.1 200 OK\r\n"));
	ht_response_free(&r);
}

static void test_head(void **state)
{
	fixture *f = *state;
	ht_client c;
	assert_int_equal(ht_connect(&c, f->base, http_server_port(f->srv), 0), 0);
	/* HEAD then GET on one connection: if HEAD leaked a body, the GET would misparse */
	ht_sends(&c, "HEAD /api/v1/orders HTTP/1.1\r\nHost: x\r\n\r\nGET /api/v1/orders/7 HTTP/1.1\r\nHost: x\r\n\r\n");
	ht_response r;
	assert_int_equal(ht_read(&c, &r, 1, 5000), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(ht_header(&r, "Content-Length"), "14");
	ht_response_free(&r);
	assert_int_equal(ht_read(&c, &r, 0, 5000), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "GET id=7");
	ht_response_free(&r);
	ht_close(&c);
	/* HEAD of an unknown path */
	assert_int_equal(get(f, "HEAD /nope HTTP/1.1\r\nHost: x\r\n\r\n", &r), 404);
	ht_response_free(&r);
}

static void test_fallback(void **state)
{
	fixture *f = *state;
	http_server_fallback(f->srv, TAG_FALLBACK, h_fallback, NULL);
	f->nguard = 0;
	expect_body(f, "GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n", 200, "static /index.html");
	assert_int_equal(f->nguard, 1);
	assert_int_equal(f->guard_tags[0], TAG_FALLBACK);
	ht_response r;
	assert_int_equal(get(f, "POST /index.html HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", &r), 404);
	ht_response_free(&r);
	/* a known path with another method is still a 405, not the fallback */
	assert_int_equal(get(f, "PUT /q HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", &r), 405);
	ht_response_free(&r);
	http_server_fallback(f->srv, 0, NULL, NULL);
	assert_int_equal(get(f, "GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n", &r), 404);
	ht_response_free(&r);
}

static void test_guard(void **state)
{
	fixture *f = *state;
	ht_response r;
	f->nguard = 0;
	assert_int_equal(get(f, "GET /secret HTTP/1.1\r\nHost: x\r\n\r\n", &r), 401);
	assert_non_null(strstr(r.body, "\"unauthorized\""));
	assert_int_equal(f->last_status, 401);
	ht_response_free(&r);
	expect_body(f, "GET /secret HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer good\r\n\r\n", 200, "alice");
	assert_int_equal(f->guard_tags[0], TAG_SECRET);
	/* 404 and 405 are answered before any guard runs */
	f->nguard = 0;
	assert_int_equal(get(f, "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n", &r), 404);
	ht_response_free(&r);
	assert_int_equal(f->nguard, 0);

	http_server_set_guard(f->srv, lazy_guard, NULL);
	assert_int_equal(get(f, "GET /q HTTP/1.1\r\nHost: x\r\n\r\n", &r), 500);
	ht_response_free(&r);
	http_server_set_guard(f->srv, guard, f);
}

static void test_observer_counts(void **state)
{
	fixture *f = *state;
	f->observed = 0;
	ht_response r;
	assert_int_equal(get(f, "GET /q HTTP/1.1\r\nHost: x\r\n\r\n", &r), 200);
	ht_response_free(&r);
	assert_int_equal(get(f, "GET /q HTTP/1.1\r\nHost: x\r\nX: \x01\r\n\r\n", &r), 400); /* the server's own error */
	ht_response_free(&r);
	ht_pump(f->base, 10);
	assert_int_equal(f->observed, 2);
	assert_int_equal(f->last_status, 400);
}

static void noop(http_request *r, void *arg)
{
	(void)arg;
	text(r, "");
}

static void test_route_table(void **state)
{
	fixture *f = *state;
	http_server *s = f->srv;
	size_t before = http_server_route_count(s);
	assert_int_equal(http_server_route(s, "GET", "/api/v1/orders/{other}", 0, noop, NULL), -1);
	assert_int_equal(http_server_route(s, "GET", "/api/v1/orders", 0, noop, NULL), -1);
	static const char *const bad[] = { "", "a", "/{}", "/a{b}", "/{a}b", "/{x}/{x}", "/a?b", "/%41" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (http_server_route(s, "GET", bad[i], 0, noop, NULL) != -1)
			fail_msg("pattern \"%s\" was accepted", bad[i]);
	assert_int_equal(http_server_route(s, "HEAD", "/h", 0, noop, NULL), -1);
	assert_int_equal(http_server_route(s, "get", "/h", 0, noop, NULL), -1);
	assert_int_equal(http_server_route(s, "GET", "/h", 0, NULL, NULL), -1);
	assert_int_equal(http_server_route_count(s), before);
	assert_int_equal(http_server_route(s, "PUT", "/", 5, noop, NULL), 0);
	assert_int_equal(http_server_route_count(s), before + 1);
	const char *m, *p;
	int tag;
	assert_int_equal(http_server_route_at(s, before, &m, &p, &tag), 0);
	assert_string_equal(m, "PUT");
	assert_string_equal(p, "/");
	assert_int_equal(tag, 5);
	assert_int_equal(http_server_route_at(s, 0, &m, &p, &tag), 0);
	assert_string_equal(p, "/api/v1/orders");
	assert_int_equal(http_server_route_at(s, before + 1, &m, &p, &tag), -1);
}

static void test_bind_errors(void **state)
{
	fixture *f = *state;
	char err[256];
	http_server_options o = { .port = http_server_port(f->srv) };
	assert_null(http_server_create(f->base, &o, err, sizeof(err)));
	assert_non_null(strstr(err, "cannot bind 127.0.0.1:"));
	assert_non_null(strstr(err, "in use"));
	o = (http_server_options){ .bind_addr = "localhost" };
	assert_null(http_server_create(f->base, &o, err, sizeof(err)));
	assert_non_null(strstr(err, "numeric"));
	o = (http_server_options){ .tls_cert_file = "/nonexistent.pem" };
	assert_null(http_server_create(f->base, &o, err, sizeof(err)));
	assert_non_null(strstr(err, "tls_key_file"));
	assert_string_equal(http_status_text(404), "Not Found");
	assert_string_equal(http_status_text(799), "Unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_params_and_specificity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_404_405, setup, teardown),
		cmocka_unit_test_setup_teardown(test_server_headers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_head, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fallback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_guard, setup, teardown),
		cmocka_unit_test_setup_teardown(test_observer_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_route_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bind_errors, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
