/*
 * test_image.c — image_open(): the bytes that were checked are the bytes dlopen() maps,
 * and a replaced file always loads as new code.
 *
 * TT_PLUGIN_V1 / TT_PLUGIN_V2 are real .so files built from tiny.c whose
 * trust_tiny_answer() returns 42 and 43.
 */
#include <dlfcn.h>
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
#include <sodium.h>

#include "loader/image.h"
#include "loader/signature.h"
#include "trust_test_util.h"

#ifndef TT_PLUGIN_V1
#error "TT_PLUGIN_V1 must name the built test plugin"
#endif

#define TT_KEYS(p) ((const uint8_t (*)[SIG_PUBLIC_KEY_BYTES])(p))

typedef struct fixture {
	char *dir;
	char *plugin;  /* dir/tiny.so, a copy of v1 */
	char *sk, *pk;
	uint8_t key[SIG_PUBLIC_KEY_BYTES];
	char err[1024];
} fixture;

typedef int (*answer_fn)(void);

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);

	assert_non_null(f);
	f->dir = tt_mkdtemp();
	f->plugin = tt_join(f->dir, "tiny.so");
	f->sk = tt_join(f->dir, "k.secret");
	f->pk = tt_join(f->dir, "k.public");
	tt_copy_file(TT_PLUGIN_V1, f->plugin, 0644);
	assert_int_equal(sig_keygen(f->sk, f->pk, 0, f->err, sizeof f->err), 0);
	assert_int_equal(sig_load_public(f->pk, f->key, f->err, sizeof f->err), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	tt_rmtree(f->dir);
	free(f->dir);
	free(f->plugin);
	free(f->sk);
	free(f->pk);
	free(f);
	return 0;
}

/* dlopen the image the way the loader does and call its answer function. */
static void *load(const image_t *img, int *answer)
{
	void *h = dlopen(img->dl_path, RTLD_NOW | RTLD_LOCAL);
	answer_fn fn;
	void *sym;

	if (h == NULL)
		fail_msg("dlopen(%s) failed: %s", img->dl_path, dlerror());
	sym = dlsym(h, "trust_tiny_answer");
	assert_non_null(sym);
	memcpy(&fn, &sym, sizeof fn); /* ISO C has no object-to-function pointer cast */
	*answer = fn();
	return h;
}

static void test_unsigned_image_loads(void **state)
{
	fixture *f = *state;
	uint8_t expect[IMAGE_HASH_BYTES], on_disk[IMAGE_HASH_BYTES];
	size_t len;
	uint8_t *bytes = tt_read_file(f->plugin, &len);
	image_t img;
	void *h;
	int answer = 0;

	assert_int_equal(image_open(f->plugin, 0, NULL, 0, &img, f->err, sizeof f->err), 0);
	assert_int_equal(strncmp(img.dl_path, "/proc/self/fd/", 14), 0);
	assert_true(img.memfd >= 0);
	assert_int_equal(img.size, len);
	assert_int_equal(img.signature_verified, 0);

	/* The hash is BLAKE2b-256 of the file, and image_hash_file agrees with it. */
	crypto_generichash(expect, sizeof expect, bytes, len, NULL, 0);
	assert_memory_equal(img.hash, expect, IMAGE_HASH_BYTES);
	assert_int_equal(image_hash_file(f->plugin, on_disk, f->err, sizeof f->err), 0);
	assert_memory_equal(on_disk, expect, IMAGE_HASH_BYTES);

	/* The memfd is sealed: not even this process can change the verified bytes. */
	assert_int_equal(fcntl(img.memfd, F_GET_SEALS) & (F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL),
	                 F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL);
	assert_int_equal(write(img.memfd, "x", 1), -1);

	h = load(&img, &answer);
	assert_int_equal(answer, 42);
	assert_int_equal(dlclose(h), 0);
	image_close(&img);
	assert_int_equal(img.memfd, -1);
	image_close(&img); /* idempotent */
	free(bytes);
}

static void test_signed_image(void **state)
{
	fixture *f = *state;
	char *sig = tt_join(f->dir, "tiny.so.sig");
	image_t img;
	void *h;
	int answer = 0;

	/* Required but missing. */
	assert_int_equal(image_open(f->plugin, 1, TT_KEYS(&f->key), 1, &img, f->err, sizeof f->err), -1);
	assert_non_null(strstr(f->err, "no signature file"));
	assert_int_equal(img.memfd, -1);

	assert_int_equal(sig_sign_file(f->sk, f->plugin, NULL, f->err, sizeof f->err), 0);
	assert_int_equal(access(sig, F_OK), 0);
	assert_int_equal(image_open(f->plugin, 1, TT_KEYS(&f->key), 1, &img, f->err, sizeof f->err), 0);
	assert_int_equal(img.signature_verified, 1);
	h = load(&img, &answer);
	assert_int_equal(answer, 42);
	dlclose(h);
	image_close(&img);

	/* One flipped byte deep in the file: refused, and no memfd is left behind. */
	tt_flip_byte(f->plugin, img.size / 2);
	assert_int_equal(image_open(f->plugin, 1, TT_KEYS(&f->key), 1, &img, f->err, sizeof f->err), -1);
	assert_non_null(strstr(f->err, "does not verify with any trusted key"));
	assert_int_equal(img.memfd, -1);
	assert_string_equal(img.dl_path, "");

	/* A different (v2) build carrying v1's signature: refused. */
	tt_copy_file(TT_PLUGIN_V2, f->plugin, 0644);
	assert_int_equal(image_open(f->plugin, 1, TT_KEYS(&f->key), 1, &img, f->err, sizeof f->err), -1);
	assert_non_null(strstr(f->err, "does not verify"));
	free(sig);
}

static void test_verified_bytes_are_loaded_bytes(void **state)
{
	fixture *f = *state;
	image_t img;
	void *h;
	int answer = 0;

	/* Verify v1, then swap the file on disk for v2 before dlopen: v1 still loads. */
	assert_int_equal(sig_sign_file(f->sk, f->plugin, NULL, f->err, sizeof f->err), 0);
	assert_int_equal(image_open(f->plugin, 1, TT_KEYS(&f->key), 1, &img, f->err, sizeof f->err), 0);
	tt_copy_file(TT_PLUGIN_V2, f->plugin, 0644);
	h = load(&img, &answer);
	assert_int_equal(answer, 42);
	dlclose(h);
	image_close(&img);
}

static void test_overwritten_file_reloads_as_new_code(void **state)
{
	fixture *f = *state;
	image_t old_img, new_img;
	uint8_t on_disk[IMAGE_HASH_BYTES];
	void *old_h, *new_h;
	int old_answer = 0, new_answer = 0;

	assert_int_equal(image_open(f->plugin, 0, NULL, 0, &old_img, f->err, sizeof f->err), 0);
	old_h = load(&old_img, &old_answer);
	assert_int_equal(old_answer, 42);

	/* Overwrite in place (same inode, same path), as `cp new.so plugins/` does. */
	tt_copy_file(TT_PLUGIN_V2, f->plugin, 0644);
	assert_int_equal(image_hash_file(f->plugin, on_disk, f->err, sizeof f->err), 0);
	assert_memory_not_equal(on_disk, old_img.hash, IMAGE_HASH_BYTES);

	/* Generation swap: the old library is still loaded while the new one comes up. */
	assert_int_equal(image_open(f->plugin, 0, NULL, 0, &new_img, f->err, sizeof f->err), 0);
	assert_memory_equal(new_img.hash, on_disk, IMAGE_HASH_BYTES);
	assert_string_not_equal(new_img.dl_path, old_img.dl_path);
	new_h = load(&new_img, &new_answer);
	assert_ptr_not_equal(new_h, old_h);
	assert_int_equal(new_answer, 43);

	/* The old generation keeps running its own code until it is closed. */
	{
		void *sym = dlsym(old_h, "trust_tiny_answer");
		answer_fn fn;

		assert_non_null(sym);
		memcpy(&fn, &sym, sizeof fn);
		assert_int_equal(fn(), 42);
	}
	dlclose(old_h);
	image_close(&old_img);
	dlclose(new_h);
	image_close(&new_img);
}

static void test_hash_changes_with_content(void **state)
{
	fixture *f = *state;
	uint8_t a[IMAGE_HASH_BYTES], b[IMAGE_HASH_BYTES], c[IMAGE_HASH_BYTES];

	assert_int_equal(image_hash_file(f->plugin, a, f->err, sizeof f->err), 0);
	tt_flip_byte(f->plugin, 100);
	assert_int_equal(image_hash_file(f->plugin, b, f->err, sizeof f->err), 0);
	assert_memory_not_equal(a, b, IMAGE_HASH_BYTES);
	tt_flip_byte(f->plugin, 100);
	assert_int_equal(image_hash_file(f->plugin, c, f->err, sizeof f->err), 0);
	assert_memory_equal(a, c, IMAGE_HASH_BYTES);

	assert_int_equal(image_hash_file("/nonexistent/th-trust.so", a, f->err, sizeof f->err), -1);
	assert_non_null(strstr(f->err, "cannot open plugin file /nonexistent/th-trust.so"));
}

static void test_untrusted_or_bad_files_refused(void **state)
{
	fixture *f = *state;
	char *empty = tt_join(f->dir, "empty.so");
	image_t img;

	assert_int_equal(chmod(f->plugin, 0666), 0);
	assert_int_equal(image_open(f->plugin, 0, NULL, 0, &img, f->err, sizeof f->err), -1);
	assert_non_null(strstr(f->err, "world-writable (mode 0666)"));
	assert_int_equal(img.memfd, -1);

	assert_int_equal(image_open("/nonexistent/th-trust.so", 0, NULL, 0, &img, f->err, sizeof f->err), -1);
	assert_non_null(strstr(f->err, "cannot open plugin file /nonexistent/th-trust.so"));

	tt_write_file(empty, "", 0, 0644);
	assert_int_equal(image_open(empty, 0, NULL, 0, &img, f->err, sizeof f->err), -1);
	assert_non_null(strstr(f->err, "is empty"));

	assert_int_equal(image_open(f->dir, 0, NULL, 0, &img, f->err, sizeof f->err), -1);
	assert_non_null(strstr(f->err, "is not a regular file"));
	free(empty);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_unsigned_image_loads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_signed_image, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verified_bytes_are_loaded_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overwritten_file_reloads_as_new_code, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hash_changes_with_content, setup, teardown),
		cmocka_unit_test_setup_teardown(test_untrusted_or_bad_files_refused, setup, teardown),
	};

	return cmocka_run_group_tests_name("loader_trust.image", tests, NULL, NULL);
}
