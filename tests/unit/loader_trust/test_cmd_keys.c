/*
 * test_cmd_keys.c — `tradehost keygen` / `tradehost sign`: exit codes 0/1/2 and what they print.
 */
#include <fcntl.h>
#include <limits.h>
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

#include "cli/cmd_keys.h"
#include "loader/signature.h"
#include "trust_test_util.h"

#define TT_KEYS(p) ((const uint8_t (*)[SIG_PUBLIC_KEY_BYTES])(p))

typedef int (*cmd_fn)(int, char **);

typedef struct fixture {
	char *dir, *sk, *pk, *plugin, *plugin2, *missing;
	char *out, *errout; /* captured stdout / stderr of the last command */
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);

	assert_non_null(f);
	f->dir = tt_mkdtemp();
	f->sk = tt_join(f->dir, "k.secret");
	f->pk = tt_join(f->dir, "k.public");
	f->plugin = tt_join(f->dir, "a.so");
	f->plugin2 = tt_join(f->dir, "b.so");
	f->missing = tt_join(f->dir, "missing.so");
	tt_write_text(f->plugin, "plugin a", 0644);
	tt_write_text(f->plugin2, "plugin b", 0644);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	tt_rmtree(f->dir);
	free(f->dir);
	free(f->sk);
	free(f->pk);
	free(f->plugin);
	free(f->plugin2);
	free(f->missing);
	free(f->out);
	free(f->errout);
	free(f);
	return 0;
}

/* Point fd at a fresh capture file; returns the saved original fd. */
static int capture_begin(int fd, const char *path)
{
	int saved = dup(fd), cap;

	assert_true(saved >= 0);
	cap = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(cap >= 0);
	assert_true(dup2(cap, fd) >= 0);
	close(cap);
	return saved;
}

static void capture_end(int fd, int saved)
{
	assert_true(dup2(saved, fd) >= 0);
	close(saved);
}

/* Run cmd with a NULL-terminated word list; stdout/stderr land in f->out/f->errout. */
static int run(fixture *f, cmd_fn cmd, ...)
{
	char *argv[16];
	char *out_path = tt_join(f->dir, "stdout.txt"), *err_path = tt_join(f->dir, "stderr.txt");
	int argc = 0, rc, saved_out, saved_err;
	va_list ap;

	va_start(ap, cmd);
	while ((argv[argc] = va_arg(ap, char *)) != NULL) {
		argc++;
		assert_true(argc < 15);
	}
	va_end(ap);

	fflush(stdout);
	fflush(stderr);
	saved_out = capture_begin(STDOUT_FILENO, out_path);
	saved_err = capture_begin(STDERR_FILENO, err_path);
	rc = cmd(argc, argv);
	fflush(stdout);
	fflush(stderr);
	capture_end(STDOUT_FILENO, saved_out);
	capture_end(STDERR_FILENO, saved_err);

	free(f->out);
	free(f->errout);
	f->out = (char *)tt_read_file(out_path, NULL);
	f->errout = (char *)tt_read_file(err_path, NULL);
	unlink(out_path);
	unlink(err_path);
	free(out_path);
	free(err_path);
	return rc;
}

static void expect_stderr(fixture *f, const char *needle)
{
	if (strstr(f->errout, needle) == NULL)
		fail_msg("stderr lacks \"%s\"; it was:\n%s", needle, f->errout);
}

static void test_help(void **state)
{
	fixture *f = *state;

	assert_int_equal(run(f, cli_cmd_keygen, "keygen", "--help", NULL), 0);
	assert_non_null(strstr(f->out, "Usage: tradehost keygen [--force] SECRET_KEY_FILE PUBLIC_KEY_FILE"));
	assert_string_equal(f->errout, "");
	assert_int_equal(run(f, cli_cmd_sign, "sign", "-h", NULL), 0);
	assert_non_null(strstr(f->out, "Usage: tradehost sign -k SECRET_KEY_FILE PLUGIN.so"));
	assert_string_equal(f->errout, "");
}

static void test_keygen_exit_codes(void **state)
{
	fixture *f = *state;
	uint8_t before[SIG_PUBLIC_KEY_BYTES], after[SIG_PUBLIC_KEY_BYTES];
	char err[256];

	assert_int_equal(run(f, cli_cmd_keygen, "keygen", f->sk, f->pk, NULL), 0);
	assert_non_null(strstr(f->out, "wrote secret key"));
	assert_int_equal(tt_mode(f->sk), 0600);
	assert_int_equal(sig_load_public(f->pk, before, err, sizeof err), 0);

	/* Existing files: runtime failure (1), keys untouched. */
	assert_int_equal(run(f, cli_cmd_keygen, "keygen", f->sk, f->pk, NULL), 1);
	expect_stderr(f, "already exists");
	assert_int_equal(sig_load_public(f->pk, after, err, sizeof err), 0);
	assert_memory_equal(before, after, sizeof before);

	/* --force after the operands works too (GNU argument permutation). */
	assert_int_equal(run(f, cli_cmd_keygen, "keygen", f->sk, f->pk, "--force", NULL), 0);
	assert_int_equal(sig_load_public(f->pk, after, err, sizeof err), 0);
	assert_memory_not_equal(before, after, sizeof before);

	/* Unwritable place: 1. */
	assert_int_equal(run(f, cli_cmd_keygen, "keygen", "/nonexistent-dir/k.secret", "/nonexistent-dir/k.public", NULL),
	                 1);
	expect_stderr(f, "/nonexistent-dir/k.secret");
}

static void test_keygen_usage_errors(void **state)
{
	fixture *f = *state;

	assert_int_equal(run(f, cli_cmd_keygen, "keygen", NULL), 2);
	expect_stderr(f, "missing SECRET_KEY_FILE and PUBLIC_KEY_FILE");
	assert_int_equal(run(f, cli_cmd_keygen, "keygen", f->sk, NULL), 2);
	expect_stderr(f, "missing PUBLIC_KEY_FILE");
	assert_int_equal(run(f, cli_cmd_keygen, "keygen", "a", "b", "c", NULL), 2);
	expect_stderr(f, "unexpected argument 'c'");
	assert_int_equal(run(f, cli_cmd_keygen, "keygen", "--bogus", f->sk, f->pk, NULL), 2);
	expect_stderr(f, "unknown option '--bogus'");
	assert_int_equal(run(f, cli_cmd_keygen, "keygen", "-x", f->sk, f->pk, NULL), 2);
	expect_stderr(f, "unknown option '-x'");
	expect_stderr(f, "Try 'tradehost keygen --help'");
	/* Nothing was written by any of those. */
	assert_int_equal(access(f->sk, F_OK), -1);
}

static void test_sign_good(void **state)
{
	fixture *f = *state;
	uint8_t pk[SIG_PUBLIC_KEY_BYTES];
	char err[512], *sig = tt_join(f->dir, "a.so.sig"), *sig2 = tt_join(f->dir, "b.so.sig");
	uint8_t *data;
	size_t len;

	assert_int_equal(run(f, cli_cmd_keygen, "keygen", f->sk, f->pk, NULL), 0);
	assert_int_equal(run(f, cli_cmd_sign, "sign", "-k", f->sk, f->plugin, f->plugin2, NULL), 0);
	assert_non_null(strstr(f->out, "signed "));
	assert_int_equal(sig_load_public(f->pk, pk, err, sizeof err), 0);
	data = tt_read_file(f->plugin, &len);
	assert_int_equal(sig_verify(data, len, sig, TT_KEYS(&pk), 1, err, sizeof err), 0);
	free(data);
	data = tt_read_file(f->plugin2, &len);
	assert_int_equal(sig_verify(data, len, sig2, TT_KEYS(&pk), 1, err, sizeof err), 0);
	free(data);
	/* The output never contains the secret key text. */
	data = tt_read_file(f->sk, &len);
	assert_null(strstr(f->out, (const char *)data + 25));
	assert_null(strstr(f->errout, (const char *)data + 25));
	free(data);

	/* Long option spelling. */
	assert_int_equal(run(f, cli_cmd_sign, "sign", "--key", f->sk, f->plugin, NULL), 0);
	free(sig);
	free(sig2);
}

static void test_sign_runtime_failures(void **state)
{
	fixture *f = *state;
	char *sig2 = tt_join(f->dir, "b.so.sig");

	/* Missing key file: 1, naming it. */
	assert_int_equal(run(f, cli_cmd_sign, "sign", "-k", f->sk, f->plugin, NULL), 1);
	expect_stderr(f, "cannot read secret key file");
	expect_stderr(f, f->sk);

	/* Missing plugin: 1, naming it — and the other plugin is still signed. */
	assert_int_equal(run(f, cli_cmd_keygen, "keygen", f->sk, f->pk, NULL), 0);
	assert_int_equal(run(f, cli_cmd_sign, "sign", "-k", f->sk, f->missing, f->plugin2, NULL), 1);
	expect_stderr(f, f->missing);
	assert_int_equal(access(sig2, F_OK), 0);

	/* A secret key readable by others: 1, with the fix in the message. */
	assert_int_equal(chmod(f->sk, 0644), 0);
	assert_int_equal(run(f, cli_cmd_sign, "sign", "-k", f->sk, f->plugin, NULL), 1);
	expect_stderr(f, "chmod 600");
	free(sig2);
}

static void test_sign_usage_errors(void **state)
{
	fixture *f = *state;

	assert_int_equal(run(f, cli_cmd_sign, "sign", f->plugin, NULL), 2);
	expect_stderr(f, "missing -k SECRET_KEY_FILE");
	assert_int_equal(run(f, cli_cmd_sign, "sign", "-k", f->sk, NULL), 2);
	expect_stderr(f, "no PLUGIN.so given");
	assert_int_equal(run(f, cli_cmd_sign, "sign", f->plugin, "-k", NULL), 2);
	expect_stderr(f, "option '-k' needs a value");
	assert_int_equal(run(f, cli_cmd_sign, "sign", "--key", NULL), 2);
	expect_stderr(f, "option '--key' needs a value");
	assert_int_equal(run(f, cli_cmd_sign, "sign", "--force", "-k", f->sk, f->plugin, NULL), 2);
	expect_stderr(f, "unknown option '--force'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_help, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keygen_exit_codes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keygen_usage_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sign_good, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sign_runtime_failures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sign_usage_errors, setup, teardown),
	};

	return cmocka_run_group_tests_name("loader_trust.cmd_keys", tests, NULL, NULL);
}
