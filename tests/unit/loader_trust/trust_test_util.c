/*
 * trust_test_util.c — helpers shared by the loader_trust tests (see the header).
 */
#include "trust_test_util.h"

#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

char *tt_mkdtemp(void)
{
	char *dir = strdup("/tmp/th-trust-test-XXXXXX");

	assert_non_null(dir);
	assert_non_null(mkdtemp(dir));
	return dir;
}

static int tt_rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	/* Best effort: keep walking so one stuck entry does not leave the rest behind. */
	if (flag == FTW_DP)
		(void)rmdir(path);
	else
		(void)unlink(path);
	return 0;
}

void tt_rmtree(const char *path)
{
	if (path != NULL)
		nftw(path, tt_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

char *tt_join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);

	assert_non_null(p);
	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

void tt_write_file(const char *path, const void *data, size_t len, mode_t mode)
{
	const char *p = data;
	ssize_t n;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	assert_true(fd >= 0);
	while (len > 0) {
		n = write(fd, p, len);
		assert_true(n > 0);
		p += n;
		len -= (size_t)n;
	}
	assert_int_equal(fchmod(fd, mode), 0);
	assert_int_equal(close(fd), 0);
}

void tt_write_text(const char *path, const char *text, mode_t mode)
{
	tt_write_file(path, text, strlen(text), mode);
}

uint8_t *tt_read_file(const char *path, size_t *len)
{
	struct stat st;
	uint8_t *buf;
	size_t used = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	buf = malloc((size_t)st.st_size + 1);
	assert_non_null(buf);
	while ((n = read(fd, buf + used, (size_t)st.st_size - used)) > 0)
		used += (size_t)n;
	assert_int_equal(used, (size_t)st.st_size);
	close(fd);
	buf[used] = '\0';
	if (len != NULL)
		*len = used;
	return buf;
}

void tt_copy_file(const char *src, const char *dst, mode_t mode)
{
	size_t len;
	uint8_t *data = tt_read_file(src, &len);

	tt_write_file(dst, data, len, mode);
	free(data);
}

void tt_flip_byte(const char *path, size_t offset)
{
	uint8_t b;
	int fd = open(path, O_RDWR | O_CLOEXEC);

	assert_true(fd >= 0);
	assert_int_equal(pread(fd, &b, 1, (off_t)offset), 1);
	b ^= 0x01;
	assert_int_equal(pwrite(fd, &b, 1, (off_t)offset), 1);
	close(fd);
}

unsigned tt_mode(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return (unsigned)(st.st_mode & 07777);
}
