/* host/auth: the token store (create, check, revoke, reload from the file,
 * malformed files named by line, atomic 0600 file), the GCRA limiter with a
 * fake clock, and the audit log's JSON lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <jansson.h>

#include "auth/auth.h"

typedef struct fixture {
	char dir[64];
	char path[128];
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/th-auth.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/tokens", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static void test_roles(void **state)
{
	(void)state;
	auth_role r;
	assert_int_equal(auth_role_parse("viewer", &r), 0);
	assert_int_equal(r, AUTH_VIEWER);
	assert_int_equal(auth_role_parse("trader", &r), 0);
	assert_int_equal(r, AUTH_TRADER);
	assert_int_equal(auth_role_parse("admin", &r), 0);
	assert_int_equal(r, AUTH_ADMIN);
	assert_int_equal(auth_role_parse("root", &r), -1);
	assert_int_equal(auth_role_parse("public", &r), -1); /* not a role a token can have */
	assert_string_equal(auth_role_name(AUTH_TRADER), "trader");
	assert_true(AUTH_VIEWER < AUTH_TRADER && AUTH_TRADER < AUTH_ADMIN);
}

static void test_create_check_revoke_reload(void **state)
{
	fixture *f = *state;
	char err[512], tok_a[AUTH_TOKEN_CHARS + 1], tok_v[AUTH_TOKEN_CHARS + 1];
	auth_store *s = auth_open(f->path, err, sizeof err);
	assert_non_null(s);
	assert_int_equal(auth_count(s), 0);
	assert_int_equal(access(f->path, F_OK), -1); /* nothing written until a token exists */

	assert_int_equal(auth_create(s, "admin", AUTH_ADMIN, 1700000000, tok_a, sizeof tok_a, err, sizeof err), 0);
	assert_int_equal(auth_create(s, "ops.viewer-1", AUTH_VIEWER, 1700000001, tok_v, sizeof tok_v, err, sizeof err), 0);
	assert_int_equal(strlen(tok_a), AUTH_TOKEN_CHARS);
	assert_memory_equal(tok_a, "th_", 3);
	assert_string_not_equal(tok_a, tok_v);
	for (size_t i = 3; i < AUTH_TOKEN_CHARS; i++) /* URL-safe base64 */
		assert_non_null(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", tok_a[i]));

	struct stat st;
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* the plaintext is never stored */
	FILE *fp = fopen(f->path, "r");
	char buf[4096];
	size_t n = fread(buf, 1, sizeof buf - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	assert_null(strstr(buf, tok_a + 3));
	assert_non_null(strstr(buf, "admin admin 1700000000 "));

	auth_token_info info;
	assert_int_equal(auth_check(s, tok_a, &info), 0);
	assert_string_equal(info.name, "admin");
	assert_int_equal(info.role, AUTH_ADMIN);
	assert_int_equal(auth_check(s, tok_v, &info), 0);
	assert_string_equal(info.name, "ops.viewer-1");
	assert_int_equal(info.role, AUTH_VIEWER);

	/* duplicates and bad names are refused, and nothing changes */
	char tok_x[AUTH_TOKEN_CHARS + 1];
	assert_int_equal(auth_create(s, "admin", AUTH_VIEWER, 0, tok_x, sizeof tok_x, err, sizeof err), -1);
	assert_non_null(strstr(err, "already exists"));
	assert_int_equal(auth_create(s, "bad name", AUTH_VIEWER, 0, tok_x, sizeof tok_x, err, sizeof err), -1);
	assert_non_null(strstr(err, "bad name"));
	assert_int_equal(auth_create(s, "", AUTH_VIEWER, 0, tok_x, sizeof tok_x, err, sizeof err), -1);
	assert_int_equal(auth_create(s, "abcdefghijabcdefghijabcdefghijab", AUTH_VIEWER, 0, tok_x, sizeof tok_x, err,
				 sizeof err), -1); /* 32 characters */
	assert_int_equal(auth_count(s), 2);

	/* reload from the file: same tokens valid */
	auth_store *s2 = auth_open(f->path, err, sizeof err);
	assert_non_null(s2);
	assert_int_equal(auth_count(s2), 2);
	assert_int_equal(auth_at(s2, 1, &info), 0);
	assert_string_equal(info.name, "ops.viewer-1");
	assert_int_equal(info.created_s, 1700000001);
	assert_int_equal(auth_check(s2, tok_a, &info), 0);
	assert_string_equal(info.name, "admin");

	/* revoke: the token stops working, also after a reload */
	assert_int_equal(auth_revoke(s, "admin", err, sizeof err), 0);
	assert_int_equal(auth_check(s, tok_a, NULL), -1);
	assert_int_equal(auth_check(s, tok_v, NULL), 0);
	assert_int_equal(auth_revoke(s, "admin", err, sizeof err), -1);
	assert_non_null(strstr(err, "no token named \"admin\""));
	auth_close(s2);
	s2 = auth_open(f->path, err, sizeof err);
	assert_non_null(s2);
	assert_int_equal(auth_count(s2), 1);
	assert_int_equal(auth_check(s2, tok_a, NULL), -1);
	assert_int_equal(auth_check(s2, tok_v, NULL), 0);
	auth_close(s2);
	auth_close(s);
}

static void test_wrong_tokens(void **state)
{
	fixture *f = *state;
	char err[512], tok[AUTH_TOKEN_CHARS + 1];
	auth_store *s = auth_open(f->path, err, sizeof err);
	assert_int_equal(auth_create(s, "t", AUTH_TRADER, 1, tok, sizeof tok, err, sizeof err), 0);
	char bad[AUTH_TOKEN_CHARS + 8];
	/* one character changed */
	memcpy(bad, tok, sizeof tok);
	bad[10] = bad[10] == 'A' ? 'B' : 'A';
	assert_int_equal(auth_check(s, bad, NULL), -1);
	/* truncated, extended, empty, prefix missing */
	memcpy(bad, tok, sizeof tok);
	bad[AUTH_TOKEN_CHARS - 1] = '\0';
	assert_int_equal(auth_check(s, bad, NULL), -1);
	snprintf(bad, sizeof bad, "%sx", tok);
	assert_int_equal(auth_check(s, bad, NULL), -1);
	assert_int_equal(auth_check(s, "", NULL), -1);
	assert_int_equal(auth_check(s, NULL, NULL), -1);
	assert_int_equal(auth_check(s, tok + 3, NULL), -1);
	assert_int_equal(auth_check(s, tok, NULL), 0);
	auth_close(s);
}

static void expect_malformed(const char *path, const char *text, const char *want)
{
	char err[512] = "";
	write_file(path, text);
	auth_store *s = auth_open(path, err, sizeof err);
	if (s)
		fail_msg("accepted a malformed token file: %s", text);
	if (!strstr(err, want))
		fail_msg("error \"%s\" does not contain \"%s\"", err, want);
}

static void test_malformed_file(void **state)
{
	fixture *f = *state;
	const char *h = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	char text[512], want[256];
	snprintf(text, sizeof text, "# comment\n\nadmin admin 1 %s\nbob boss 2 %s\n", h, h);
	snprintf(want, sizeof want, "%s:4: role \"boss\"", f->path);
	expect_malformed(f->path, text, want);
	snprintf(text, sizeof text, "admin admin 1\n");
	snprintf(want, sizeof want, "%s:1: expected 4 fields", f->path);
	expect_malformed(f->path, text, want);
	snprintf(text, sizeof text, "admin admin 1 %s extra\n", h);
	expect_malformed(f->path, text, want);
	snprintf(text, sizeof text, "admin admin 1 %.60s\n", h);
	snprintf(want, sizeof want, "%s:1: hash must be 64 hex digits", f->path);
	expect_malformed(f->path, text, want);
	snprintf(text, sizeof text, "admin admin 1 %.63sz\n", h);
	expect_malformed(f->path, text, want);
	snprintf(text, sizeof text, "admin admin -5 %s\n", h);
	snprintf(want, sizeof want, "%s:1: created time \"-5\"", f->path);
	expect_malformed(f->path, text, want);
	snprintf(text, sizeof text, "a/b admin 1 %s\n", h);
	snprintf(want, sizeof want, "%s:1: token name \"a/b\"", f->path);
	expect_malformed(f->path, text, want);
	snprintf(text, sizeof text, "a admin 1 %s\na viewer 2 %s\n", h, h);
	snprintf(want, sizeof want, "%s:2: token name \"a\" appears twice", f->path);
	expect_malformed(f->path, text, want);
	/* a well-formed hand-written file is accepted */
	snprintf(text, sizeof text, "  # comment\r\nadmin\tadmin 1 %s\r\n", h);
	write_file(f->path, text);
	char err[256];
	auth_store *s = auth_open(f->path, err, sizeof err);
	assert_non_null(s);
	assert_int_equal(auth_count(s), 1);
	auth_close(s);
}

static void test_unwritable_file_keeps_state(void **state)
{
	fixture *f = *state;
	/* The store's directory disappears (works as root too, unlike chmod):
	 * a failed write must leave memory as it was. */
	char sub[128], gone[160], path[160], err[512], tok[AUTH_TOKEN_CHARS + 1];
	snprintf(sub, sizeof sub, "%s/sub", f->dir);
	snprintf(gone, sizeof gone, "%s/gone", f->dir);
	snprintf(path, sizeof path, "%s/tokens", sub);
	assert_int_equal(mkdir(sub, 0700), 0);
	auth_store *s = auth_open(path, err, sizeof err);
	assert_int_equal(auth_create(s, "a", AUTH_ADMIN, 1, tok, sizeof tok, err, sizeof err), 0);
	assert_int_equal(rename(sub, gone), 0);
	assert_int_equal(auth_create(s, "b", AUTH_ADMIN, 1, tok, sizeof tok, err, sizeof err), -1);
	assert_non_null(strstr(err, "cannot write token file"));
	assert_int_equal(auth_count(s), 1);
	assert_int_equal(auth_revoke(s, "a", err, sizeof err), -1);
	assert_int_equal(auth_count(s), 1);
	auth_token_info info;
	assert_int_equal(auth_at(s, 0, &info), 0);
	assert_string_equal(info.name, "a");
	auth_close(s);
}

static void test_limiter_fake_clock(void **state)
{
	(void)state;
	auth_limiter *l = auth_limiter_create(10, 5); /* 10/s, burst 5 */
	int64_t t = 1000000000LL;
	uint32_t retry = 0;
	for (int i = 0; i < 5; i++)
		assert_int_equal(auth_limiter_allow(l, "alice", t, &retry), 1);
	assert_int_equal(auth_limiter_allow(l, "alice", t, &retry), 0);
	assert_int_equal(retry, 100); /* one request refills in 100 ms */
	/* another token has its own bucket */
	assert_int_equal(auth_limiter_allow(l, "bob", t, &retry), 1);
	/* 99 ms later still nothing; at 100 ms exactly one */
	assert_int_equal(auth_limiter_allow(l, "alice", t + 99000000LL, &retry), 0);
	assert_int_equal(retry, 1);
	assert_int_equal(auth_limiter_allow(l, "alice", t + 100000000LL, &retry), 1);
	assert_int_equal(auth_limiter_allow(l, "alice", t + 100000000LL, &retry), 0);
	/* a long pause refills to the burst, never beyond */
	t += 60000000000LL;
	int ok = 0;
	for (int i = 0; i < 20; i++)
		ok += auth_limiter_allow(l, "alice", t, &retry);
	assert_int_equal(ok, 5);
	/* a steady 10/s is sustained forever */
	for (int i = 1; i <= 1000; i++)
		assert_int_equal(auth_limiter_allow(l, "alice", t + i * 100000000LL, &retry), 1);
	auth_limiter_free(l);
	assert_null(auth_limiter_create(0, 5));
}

static void test_audit_json_lines(void **state)
{
	fixture *f = *state;
	char path[160], err[256];
	snprintf(path, sizeof path, "%s/audit.log", f->dir);
	auth_audit *a = auth_audit_open(path, err, sizeof err);
	assert_non_null(a);
	assert_int_equal(auth_audit_write(a, 1700000000123456789LL, "admin", AUTH_ADMIN, "POST", "/api/v1/risk/kill", 200,
				 "127.0.0.1:5000", "reason \"test\"\n"), 0);
	assert_int_equal(auth_audit_write(a, 1700000001000000000LL, NULL, AUTH_PUBLIC, "DELETE", "/x\"y\\z", 401,
				 "127.0.0.1:5001", NULL), 0);
	assert_int_equal(auth_audit_write(a, 1700000002000000000LL, "t", AUTH_TRADER, "PUT", "/bad\xff", 404,
				 "127.0.0.1:5002", ""), 0);
	auth_audit_close(a);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	FILE *fp = fopen(path, "r");
	char line[1024];
	int lines = 0;
	while (fgets(line, sizeof line, fp)) {
		json_error_t je;
		json_t *o = json_loads(line, 0, &je);
		if (!o)
			fail_msg("audit line %d is not JSON: %s (%s)", lines + 1, line, je.text);
		assert_true(json_is_object(o));
		assert_non_null(json_object_get(o, "ts"));
		assert_non_null(json_object_get(o, "method"));
		assert_true(json_is_integer(json_object_get(o, "status")));
		if (lines == 0) {
			assert_string_equal(json_string_value(json_object_get(o, "ts")), "2023-11-14T22:13:20.123Z");
			assert_string_equal(json_string_value(json_object_get(o, "token")), "admin");
			assert_string_equal(json_string_value(json_object_get(o, "role")), "admin");
			assert_string_equal(json_string_value(json_object_get(o, "path")), "/api/v1/risk/kill");
			assert_string_equal(json_string_value(json_object_get(o, "detail")), "reason \"test\"\n");
			assert_int_equal(json_integer_value(json_object_get(o, "status")), 200);
		} else if (lines == 1) {
			assert_true(json_is_null(json_object_get(o, "token")));
			assert_string_equal(json_string_value(json_object_get(o, "path")), "/x\"y\\z");
			assert_null(json_object_get(o, "detail"));
		}
		json_decref(o);
		lines++;
	}
	fclose(fp);
	assert_int_equal(lines, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roles),
		cmocka_unit_test_setup_teardown(test_create_check_revoke_reload, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_tokens, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unwritable_file_keeps_state, setup, teardown),
		cmocka_unit_test(test_limiter_fake_clock),
		cmocka_unit_test_setup_teardown(test_audit_json_lines, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
