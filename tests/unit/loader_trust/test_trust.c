/*
 * test_trust.c — trust_check_dir() / trust_check_file(): who may write where plugins come from.
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

#include "loader/trust.h"
#include "trust_test_util.h"

/* A uid that owns nothing on a test machine. */
#define TT_OTHER_UID 54321

typedef struct fixture {
	char *root;    /* mkdtemp dir, 0700, parent /tmp (sticky) */
	char *plugins; /* root/plugins, 0755 */
	char err[512];
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);

	assert_non_null(f);
	f->root = tt_mkdtemp();
	f->plugins = tt_join(f->root, "plugins");
	assert_int_equal(mkdir(f->plugins, 0755), 0);
	assert_int_equal(chmod(f->plugins, 0755), 0); /* past the umask */
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	tt_rmtree(f->root);
	free(f->plugins);
	free(f->root);
	free(f);
	return 0;
}

static void test_good_dir_accepted(void **state)
{
	fixture *f = *state;

	f->err[0] = '\0';
	assert_int_equal(trust_check_dir(f->plugins, f->err, sizeof f->err), 0);
	assert_string_equal(f->err, "");
}

static void test_world_writable_dir_refused(void **state)
{
	fixture *f = *state;
	char want[PATH_MAX + 128];

	assert_int_equal(chmod(f->plugins, 0777), 0);
	assert_int_equal(trust_check_dir(f->plugins, f->err, sizeof f->err), -1);
	snprintf(want, sizeof want,
	         "plugin directory %s is world-writable (mode 0777); refusing to load plugins from it", f->plugins);
	assert_string_equal(f->err, want);
}

static void test_sticky_does_not_excuse_plugin_dir(void **state)
{
	fixture *f = *state;

	/* The sticky bit is fine on parents, but nobody else may add files to the plugin dir. */
	assert_int_equal(chmod(f->plugins, 01777), 0);
	assert_int_equal(trust_check_dir(f->plugins, f->err, sizeof f->err), -1);
	assert_non_null(strstr(f->err, "world-writable (mode 1777)"));
}

static void test_group_writable_dir_refused(void **state)
{
	fixture *f = *state;

	assert_int_equal(chmod(f->plugins, 0775), 0);
	assert_int_equal(trust_check_dir(f->plugins, f->err, sizeof f->err), -1);
	assert_non_null(strstr(f->err, f->plugins));
	assert_non_null(strstr(f->err, "is group-writable (mode 0775)"));
}

static void test_world_writable_parent_refused_unless_sticky(void **state)
{
	fixture *f = *state;
	char *mid = tt_join(f->root, "shared");
	char *inner = tt_join(mid, "plugins");

	assert_int_equal(mkdir(mid, 0755), 0);
	assert_int_equal(mkdir(inner, 0755), 0);
	assert_int_equal(chmod(inner, 0755), 0);
	assert_int_equal(chmod(mid, 0777), 0);
	assert_int_equal(trust_check_dir(inner, f->err, sizeof f->err), -1);
	assert_non_null(strstr(f->err, mid));
	assert_non_null(strstr(f->err, "world-writable without the sticky bit (mode 0777)"));

	assert_int_equal(chmod(mid, 01777), 0); /* like /tmp */
	assert_int_equal(trust_check_dir(inner, f->err, sizeof f->err), 0);

	/* Only world-writable matters for parents. */
	assert_int_equal(chmod(mid, 0775), 0);
	assert_int_equal(trust_check_dir(inner, f->err, sizeof f->err), 0);
	free(inner);
	free(mid);
}

static void test_symlink_resolved_before_checking(void **state)
{
	fixture *f = *state;
	char *link = tt_join(f->root, "link");

	assert_int_equal(symlink(f->plugins, link), 0);
	assert_int_equal(trust_check_dir(link, f->err, sizeof f->err), 0);
	assert_int_equal(chmod(f->plugins, 0777), 0);
	assert_int_equal(trust_check_dir(link, f->err, sizeof f->err), -1);
	/* The message names the real directory, which is what the operator must fix. */
	assert_non_null(strstr(f->err, f->plugins));
	free(link);
}

static void test_dir_owned_by_someone_else_refused(void **state)
{
	fixture *f = *state;

	if (geteuid() != 0)
		skip(); /* only root can give a directory away */
	assert_int_equal(chown(f->plugins, TT_OTHER_UID, (gid_t)-1), 0);
	assert_int_equal(trust_check_dir(f->plugins, f->err, sizeof f->err), -1);
	assert_non_null(strstr(f->err, "is owned by uid 54321"));
	assert_non_null(strstr(f->err, f->plugins));
}

static void test_missing_dir_and_not_a_dir(void **state)
{
	fixture *f = *state;
	char *missing = tt_join(f->root, "nope");
	char *file = tt_join(f->root, "file");

	assert_int_equal(trust_check_dir(missing, f->err, sizeof f->err), -1);
	assert_non_null(strstr(f->err, "cannot resolve plugin directory"));
	assert_non_null(strstr(f->err, missing));

	tt_write_text(file, "x", 0644);
	assert_int_equal(trust_check_dir(file, f->err, sizeof f->err), -1);
	assert_non_null(strstr(f->err, "is not a directory"));

	assert_int_equal(trust_check_dir("", f->err, sizeof f->err), -1);
	/* NULL err buffer is allowed. */
	assert_int_equal(trust_check_dir(missing, NULL, 0), -1);
	free(file);
	free(missing);
}

static int open_file(fixture *f, const char *name, mode_t mode, char **path_out)
{
	char *path = tt_join(f->plugins, name);
	int fd;

	tt_write_text(path, "bytes", mode);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	*path_out = path;
	return fd;
}

static void test_file_checks(void **state)
{
	fixture *f = *state;
	char *path;
	int fd;

	fd = open_file(f, "ok.so", 0644, &path);
	assert_int_equal(trust_check_file(fd, path, f->err, sizeof f->err), 0);

	assert_int_equal(fchmod(fd, 0666), 0);
	assert_int_equal(trust_check_file(fd, path, f->err, sizeof f->err), -1);
	assert_non_null(strstr(f->err, path));
	assert_non_null(strstr(f->err, "world-writable (mode 0666)"));

	assert_int_equal(fchmod(fd, 0664), 0);
	assert_int_equal(trust_check_file(fd, path, f->err, sizeof f->err), -1);
	assert_non_null(strstr(f->err, "group-writable (mode 0664)"));

	/* Read-only for everybody but the owner is the normal installed mode. */
	assert_int_equal(fchmod(fd, 0444), 0);
	assert_int_equal(trust_check_file(fd, path, f->err, sizeof f->err), 0);

	if (geteuid() == 0) {
		assert_int_equal(fchown(fd, TT_OTHER_UID, (gid_t)-1), 0);
		assert_int_equal(trust_check_file(fd, path, f->err, sizeof f->err), -1);
		assert_non_null(strstr(f->err, "is owned by uid 54321"));
	}
	close(fd);
	free(path);
}

static void test_file_not_regular(void **state)
{
	fixture *f = *state;
	int fd = open(f->plugins, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	assert_true(fd >= 0);
	assert_int_equal(trust_check_file(fd, f->plugins, f->err, sizeof f->err), -1);
	assert_non_null(strstr(f->err, "is not a regular file"));
	close(fd);

	assert_int_equal(trust_check_file(-1, "bad-fd", f->err, sizeof f->err), -1);
	assert_non_null(strstr(f->err, "cannot stat plugin file bad-fd"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_good_dir_accepted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_world_writable_dir_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sticky_does_not_excuse_plugin_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_group_writable_dir_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_world_writable_parent_refused_unless_sticky, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlink_resolved_before_checking, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dir_owned_by_someone_else_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_dir_and_not_a_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_not_regular, setup, teardown),
	};

	return cmocka_run_group_tests_name("loader_trust.trust", tests, NULL, NULL);
}
