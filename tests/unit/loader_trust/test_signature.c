/*
 * test_signature.c — key files, signing, and every way sig_verify() must say no.
 */
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
#include <sodium.h>

#include "loader/signature.h"
#include "trust_test_util.h"

/* C11 will not convert uint8_t (*)[32] to const uint8_t (*)[32] implicitly. */
#define TT_KEYS(p) ((const uint8_t (*)[SIG_PUBLIC_KEY_BYTES])(p))

typedef struct fixture {
	char *dir;
	char *sk_a, *pk_a, *sk_b, *pk_b; /* two independent key pairs */
	char *plugin, *sig;              /* dir/plugin.so and dir/plugin.so.sig */
	uint8_t key_a[SIG_PUBLIC_KEY_BYTES], key_b[SIG_PUBLIC_KEY_BYTES];
	char err[1024];
} fixture;

static const char plugin_bytes[] = "\x7f" "ELF pretend plugin bytes, enough to sign";

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);

	assert_non_null(f);
	f->dir = tt_mkdtemp();
	f->sk_a = tt_join(f->dir, "a.secret");
	f->pk_a = tt_join(f->dir, "a.public");
	f->sk_b = tt_join(f->dir, "b.secret");
	f->pk_b = tt_join(f->dir, "b.public");
	f->plugin = tt_join(f->dir, "plugin.so");
	f->sig = tt_join(f->dir, "plugin.so.sig");
	assert_int_equal(sig_keygen(f->sk_a, f->pk_a, 0, f->err, sizeof f->err), 0);
	assert_int_equal(sig_keygen(f->sk_b, f->pk_b, 0, f->err, sizeof f->err), 0);
	assert_int_equal(sig_load_public(f->pk_a, f->key_a, f->err, sizeof f->err), 0);
	assert_int_equal(sig_load_public(f->pk_b, f->key_b, f->err, sizeof f->err), 0);
	tt_write_file(f->plugin, plugin_bytes, sizeof plugin_bytes - 1, 0644);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	tt_rmtree(f->dir);
	free(f->dir);
	free(f->sk_a);
	free(f->pk_a);
	free(f->sk_b);
	free(f->pk_b);
	free(f->plugin);
	free(f->sig);
	free(f);
	return 0;
}

/* Verify the plugin file's current bytes against f->sig with the given keys. */
static int verify_plugin(fixture *f, const uint8_t (*keys)[SIG_PUBLIC_KEY_BYTES], size_t nkeys)
{
	size_t len;
	uint8_t *data = tt_read_file(f->plugin, &len);
	int rc = sig_verify(data, len, f->sig, keys, nkeys, f->err, sizeof f->err);

	free(data);
	return rc;
}

static void test_keygen_files(void **state)
{
	fixture *f = *state;
	uint8_t *text;
	size_t len;
	uint8_t raw[SIG_SECRET_KEY_BYTES];
	size_t rawlen = 0;
	const char *end = NULL;

	assert_int_equal(tt_mode(f->sk_a), 0600);
	assert_int_equal(tt_mode(f->pk_a), 0644);

	/* Secret file: tag, space, base64 of 64 bytes, newline — and its second half is the public key. */
	text = tt_read_file(f->sk_a, &len);
	assert_memory_equal(text, "tradehost-ed25519-secret ", 25);
	assert_int_equal(text[len - 1], '\n');
	assert_int_equal(sodium_base642bin(raw, sizeof raw, (const char *)text + 25, len - 26, NULL, &rawlen, &end,
	                                   sodium_base64_VARIANT_ORIGINAL),
	                 0);
	assert_int_equal(rawlen, 64);
	assert_memory_equal(raw + 32, f->key_a, 32);
	free(text);

	text = tt_read_file(f->pk_a, &len);
	assert_memory_equal(text, "tradehost-ed25519-public ", 25);
	assert_int_equal(len, 25 + 44 + 1); /* base64 of 32 bytes is 44 characters */
	free(text);

	/* Two key pairs are different. */
	assert_memory_not_equal(f->key_a, f->key_b, SIG_PUBLIC_KEY_BYTES);
}

static void test_keygen_refuses_overwrite_without_force(void **state)
{
	fixture *f = *state;
	uint8_t before[SIG_PUBLIC_KEY_BYTES], after[SIG_PUBLIC_KEY_BYTES];
	char *fresh_secret = tt_join(f->dir, "fresh.secret");

	memcpy(before, f->key_a, sizeof before);
	assert_int_equal(sig_keygen(f->sk_a, f->pk_a, 0, f->err, sizeof f->err), -1);
	assert_non_null(strstr(f->err, "already exists"));
	assert_non_null(strstr(f->err, f->sk_a));
	assert_int_equal(sig_load_public(f->pk_a, after, f->err, sizeof f->err), 0);
	assert_memory_equal(before, after, sizeof before);

	/* Public file exists, secret does not: refused before the secret is written. */
	assert_int_equal(sig_keygen(fresh_secret, f->pk_a, 0, f->err, sizeof f->err), -1);
	assert_non_null(strstr(f->err, f->pk_a));
	assert_int_equal(access(fresh_secret, F_OK), -1);

	/* --force replaces both, keeping the secret at 0600 even if it had been loosened. */
	assert_int_equal(chmod(f->sk_a, 0644), 0);
	assert_int_equal(sig_keygen(f->sk_a, f->pk_a, 1, f->err, sizeof f->err), 0);
	assert_int_equal(tt_mode(f->sk_a), 0600);
	assert_int_equal(sig_load_public(f->pk_a, after, f->err, sizeof f->err), 0);
	assert_memory_not_equal(before, after, sizeof before);

	assert_int_equal(sig_keygen(f->sk_a, f->sk_a, 1, f->err, sizeof f->err), -1);
	assert_non_null(strstr(f->err, "must differ"));
	free(fresh_secret);
}

static void test_round_trip(void **state)
{
	fixture *f = *state;
	uint8_t *text;
	size_t len;

	assert_int_equal(sig_sign_file(f->sk_a, f->plugin, NULL, f->err, sizeof f->err), 0);
	text = tt_read_file(f->sig, &len);
	assert_memory_equal(text, "tradehost-ed25519-signature ", 28);
	assert_int_equal(len, 28 + 88 + 1); /* base64 of 64 bytes is 88 characters */
	free(text);
	assert_int_equal(tt_mode(f->sig), 0644);
	assert_int_equal(verify_plugin(f, TT_KEYS(&f->key_a), 1), 0);
	assert_int_equal(verify_plugin(f, TT_KEYS(&f->key_b), 1), -1);
}

static void test_tampered_byte_refused(void **state)
{
	fixture *f = *state;
	const uint8_t (*keys)[SIG_PUBLIC_KEY_BYTES] = TT_KEYS(&f->key_a);
	char want[PATH_MAX + 128];

	assert_int_equal(sig_sign_file(f->sk_a, f->plugin, NULL, f->err, sizeof f->err), 0);
	tt_flip_byte(f->plugin, 10);
	assert_int_equal(verify_plugin(f, keys, 1), -1);
	snprintf(want, sizeof want, "signature of %s does not verify with any trusted key (1 tried)", f->plugin);
	assert_string_equal(f->err, want);

	/* Flipping it back restores the original bytes, so the signature holds again. */
	tt_flip_byte(f->plugin, 10);
	assert_int_equal(verify_plugin(f, keys, 1), 0);

	/* A truncated file is tampering too. */
	tt_write_file(f->plugin, plugin_bytes, sizeof plugin_bytes - 2, 0644);
	assert_int_equal(verify_plugin(f, keys, 1), -1);
}

static void test_untrusted_key_refused(void **state)
{
	fixture *f = *state;
	uint8_t keys[2][SIG_PUBLIC_KEY_BYTES];

	assert_int_equal(sig_sign_file(f->sk_a, f->plugin, NULL, f->err, sizeof f->err), 0);
	memcpy(keys[0], f->key_b, SIG_PUBLIC_KEY_BYTES);
	memcpy(keys[1], f->key_a, SIG_PUBLIC_KEY_BYTES);
	assert_int_equal(verify_plugin(f, TT_KEYS(keys), 1), -1);
	assert_non_null(strstr(f->err, "does not verify with any trusted key"));
	/* Any one of several trusted keys is enough. */
	assert_int_equal(verify_plugin(f, TT_KEYS(keys), 2), 0);
	/* No trusted keys at all: refused, with a message saying so. */
	assert_int_equal(verify_plugin(f, NULL, 0), -1);
	assert_non_null(strstr(f->err, "no trusted keys"));
}

static void test_missing_sig_refused(void **state)
{
	fixture *f = *state;
	const uint8_t (*keys)[SIG_PUBLIC_KEY_BYTES] = TT_KEYS(&f->key_a);
	char want[PATH_MAX + 64];

	assert_int_equal(verify_plugin(f, keys, 1), -1);
	snprintf(want, sizeof want, "no signature file %s", f->sig);
	assert_string_equal(f->err, want);
}

/* Write text as the signature file and expect verification to fail with detail in the message. */
static void expect_malformed(fixture *f, const char *text, const char *detail)
{
	const uint8_t (*keys)[SIG_PUBLIC_KEY_BYTES] = TT_KEYS(&f->key_a);
	char prefix[PATH_MAX + 64];

	tt_write_text(f->sig, text, 0644);
	assert_int_equal(verify_plugin(f, keys, 1), -1);
	snprintf(prefix, sizeof prefix, "malformed signature file %s: ", f->sig);
	if (strncmp(f->err, prefix, strlen(prefix)) != 0 || strstr(f->err, detail) == NULL)
		fail_msg("for %s\n got: %s\nwant: %s...%s", text, f->err, prefix, detail);
}

static void test_malformed_sig_refused(void **state)
{
	fixture *f = *state;
	uint8_t zeros[64] = { 0 };
	char b64[sodium_base64_ENCODED_LEN(64, sodium_base64_VARIANT_ORIGINAL)];
	char line[256];
	uint8_t *good;

	expect_malformed(f, "", "the file is empty");
	expect_malformed(f, "hello world\n", "line 1, column 1: expected a line starting with 'tradehost-ed25519-signature '");
	expect_malformed(f, "tradehost-ed25519-signature\n", "expected a line starting with");
	expect_malformed(f, "tradehost-ed25519-signature \n", "line 1, column 29: missing base64 data");
	expect_malformed(f, "tradehost-ed25519-signature AAA*AAAA\n", "line 1, column 32: invalid or truncated base64");

	/* 63 bytes instead of 64. */
	sodium_bin2base64(b64, sizeof b64, zeros, 63, sodium_base64_VARIANT_ORIGINAL);
	snprintf(line, sizeof line, "tradehost-ed25519-signature %s\n", b64);
	expect_malformed(f, line, "decodes to 63 bytes, expected 64");

	/* A good signature followed by junk on a second line. */
	assert_int_equal(sig_sign_file(f->sk_a, f->plugin, NULL, f->err, sizeof f->err), 0);
	good = tt_read_file(f->sig, NULL);
	snprintf(line, sizeof line, "%sextra\n", (const char *)good);
	expect_malformed(f, line, "line 2, column 1: unexpected text after the base64 data");

	/* A key file in place of a signature says what it is. */
	tt_copy_file(f->pk_a, f->sig, 0644);
	{
		uint8_t *pub = tt_read_file(f->pk_a, NULL);

		expect_malformed(f, (const char *)pub, "this is a public key file");
		free(pub);
	}

	/* Trailing CRLF and spaces are tolerated: the good line still verifies. */
	snprintf(line, sizeof line, "%.*s  \r\n", (int)strlen((const char *)good) - 1, (const char *)good);
	tt_write_text(f->sig, line, 0644);
	assert_int_equal(verify_plugin(f, TT_KEYS(&f->key_a), 1), 0);
	free(good);
}

static void test_public_key_file_errors(void **state)
{
	fixture *f = *state;
	uint8_t pk[SIG_PUBLIC_KEY_BYTES];
	char *missing = tt_join(f->dir, "missing.public");

	assert_int_equal(sig_load_public(missing, pk, f->err, sizeof f->err), -1);
	assert_non_null(strstr(f->err, "cannot read public key file"));
	assert_non_null(strstr(f->err, missing));

	/* Configuring the secret key as a trusted key is a mistake worth naming exactly. */
	assert_int_equal(sig_load_public(f->sk_a, pk, f->err, sizeof f->err), -1);
	assert_non_null(strstr(f->err, "this is a secret key file"));
	/* ...and the message never echoes key material. */
	{
		uint8_t *secret_text = tt_read_file(f->sk_a, NULL);

		assert_null(strstr(f->err, (const char *)secret_text + 25));
		assert_null(strstr(f->err, "tradehost-ed25519-secret "));
		free(secret_text);
	}
	free(missing);
}

static void test_secret_key_checks(void **state)
{
	fixture *f = *state;
	uint8_t *text;
	size_t len;

	/* Readable by others: refused before signing anything. */
	assert_int_equal(chmod(f->sk_a, 0640), 0);
	assert_int_equal(sig_sign_file(f->sk_a, f->plugin, NULL, f->err, sizeof f->err), -1);
	assert_non_null(strstr(f->err, "accessible by group or others (mode 0640)"));
	assert_int_equal(access(f->sig, F_OK), -1);
	assert_int_equal(chmod(f->sk_a, 0600), 0);
	assert_int_equal(sig_check_secret(f->sk_a, f->err, sizeof f->err), 0);

	/* Corrupt the stored public half: the key no longer matches its seed. */
	text = tt_read_file(f->sk_a, &len);
	text[25 + 60] = text[25 + 60] == 'A' ? 'B' : 'A';
	tt_write_file(f->sk_a, text, len, 0600);
	sodium_memzero(text, len);
	free(text);
	assert_int_equal(sig_check_secret(f->sk_a, f->err, sizeof f->err), -1);
	assert_non_null(strstr(f->err, "public half does not match its seed"));

	/* A public key given as the secret key. */
	tt_copy_file(f->pk_a, f->sk_b, 0600);
	assert_int_equal(sig_check_secret(f->sk_b, f->err, sizeof f->err), -1);
	assert_non_null(strstr(f->err, "malformed secret key file"));
	assert_non_null(strstr(f->err, "this is a public key file"));
}

static void test_sign_bytes_explicit_path(void **state)
{
	fixture *f = *state;
	char *out = tt_join(f->dir, "detached.bin");
	static const uint8_t data[] = { 1, 2, 3, 4, 5 };
	const uint8_t (*keys)[SIG_PUBLIC_KEY_BYTES] = TT_KEYS(&f->key_b);

	assert_int_equal(sig_sign_bytes(f->sk_b, data, sizeof data, "five bytes", out, f->err, sizeof f->err), 0);
	assert_int_equal(sig_verify(data, sizeof data, out, keys, 1, f->err, sizeof f->err), 0);
	assert_int_equal(sig_verify(data, sizeof data - 1, out, keys, 1, f->err, sizeof f->err), -1);
	/* The name in messages is the path itself when it has no .sig suffix. */
	assert_non_null(strstr(f->err, "signature of "));
	assert_non_null(strstr(f->err, "detached.bin does not verify"));
	/* Empty input is signable and verifiable too. */
	assert_int_equal(sig_sign_bytes(f->sk_b, NULL, 0, NULL, out, f->err, sizeof f->err), 0);
	assert_int_equal(sig_verify(NULL, 0, out, keys, 1, f->err, sizeof f->err), 0);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_keygen_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keygen_refuses_overwrite_without_force, setup, teardown),
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tampered_byte_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_untrusted_key_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_sig_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_sig_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_public_key_file_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_secret_key_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sign_bytes_explicit_path, setup, teardown),
	};

	return cmocka_run_group_tests_name("loader_trust.signature", tests, NULL, NULL);
}
