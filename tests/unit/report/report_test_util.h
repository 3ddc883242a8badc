/*
 * Shared fixtures for the report tests: temp directories, whole-file reads,
 * and a relative-tolerance double check.
 */
#ifndef REPORT_TEST_UTIL_H
#define REPORT_TEST_UTIL_H

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SEC 1000000000LL
#define MINUTE (60 * SEC)
#define DAY (86400 * SEC)
#define T0 (1704067200LL * SEC) /* 2024-01-01T00:00:00Z */
#define M(units) ((th_money)(units) * 100000000LL) /* whole money units */

/* Relative tolerance of every known-value check in these tests. */
#define REL_TOL 1e-12

static inline int close_rel(double got, double want)
{
	double scale = fabs(want) > 1.0 ? fabs(want) : 1.0;
	return fabs(got - want) <= REL_TOL * scale;
}

#define assert_close(got, want)                                                               \
	do {                                                                                  \
		double g_ = (got), w_ = (want);                                               \
		if (!close_rel(g_, w_))                                                       \
			fail_msg("%s = %.17g, want %.17g (rel tol %g)", #got, g_, w_, REL_TOL); \
	} while (0)

/* cmocka setup / teardown: *state is a fresh mkdtemp directory under /tmp,
 * removed with everything in it after the test, even when the test fails. */
static inline int tmpdir_setup(void **state)
{
	char *dir = malloc(64);
	if (!dir)
		return -1;
	snprintf(dir, 64, "/tmp/th_report_test_XXXXXX");
	if (!mkdtemp(dir)) {
		free(dir);
		return -1;
	}
	*state = dir;
	return 0;
}

static inline int tmpdir_teardown(void **state)
{
	char *dir = *state, p[512];
	DIR *d = opendir(dir);
	for (struct dirent *e; d && (e = readdir(d));) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		unlink(p);
	}
	if (d)
		closedir(d);
	int rc = rmdir(dir);
	free(dir);
	return rc;
}

/* Whole file, NUL-terminated; *len gets its size. Caller frees. */
static inline char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (buf) {
		buf[n] = '\0';
		if (len)
			*len = (size_t)n;
	}
	return buf;
}

#endif
