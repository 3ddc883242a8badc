/* host/common: the string map (against a reference model, with deletions
 * that exercise the backward shift), mkdir -p, and the log line format. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/fsutil.h"
#include "common/log.h"
#include "common/strmap.h"
#include "tradehost/th_fixed.h"

#define KEYS 3000

static void test_strmap_against_model(void **state)
{
	(void)state;
	strmap *m = strmap_create();
	static int64_t model[KEYS];
	static int present[KEYS];
	char key[32];
	uint64_t x = 99;
	size_t live = 0;
	for (int step = 0; step < 200000; step++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		int k = (int)((x >> 33) % KEYS), op = (int)((x >> 20) % 3);
		snprintf(key, sizeof key, "th%012d", k);
		if (op == 0) {
			int rc = strmap_put(m, key, step);
			assert_int_equal(rc, present[k] ? 1 : 0);
			live += !present[k];
			present[k] = 1;
			model[k] = step;
		} else if (op == 1) {
			assert_int_equal(strmap_del(m, key), present[k]);
			live -= present[k];
			present[k] = 0;
		} else {
			int64_t v = -1;
			assert_int_equal(strmap_get(m, key, &v), present[k]);
			if (present[k])
				assert_int_equal(v, model[k]);
		}
		assert_int_equal(strmap_size(m), live);
	}
	/* every key is still found after all the deletions and growth */
	for (int k = 0; k < KEYS; k++) {
		snprintf(key, sizeof key, "th%012d", k);
		assert_int_equal(strmap_get(m, key, NULL), present[k]);
	}
	strmap_destroy(m);
}

static void test_mkdir_p(void **state)
{
	(void)state;
	char base[] = "/tmp/th-common-XXXXXX", path[128], cmd[160];
	struct stat st;
	assert_non_null(mkdtemp(base));
	snprintf(path, sizeof path, "%s/a/b/c", base);
	assert_int_equal(fs_mkdir_p(path, 0700), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(fs_mkdir_p(path, 0700), 0); /* exists: fine */
	snprintf(path, sizeof path, "%s/file", base);
	FILE *f = fopen(path, "w");
	fclose(f);
	snprintf(path, sizeof path, "%s/file/below", base);
	assert_int_equal(fs_mkdir_p(path, 0700), -1); /* a file in the way */
	snprintf(cmd, sizeof cmd, "rm -rf %s", base);
	assert_int_equal(system(cmd), 0);
}

static void test_log_lines(void **state)
{
	(void)state;
	int fds[2];
	char buf[2048];
	assert_int_equal(pipe(fds), 0);
	log_set_stream(fds[1]);
	log_set_level(TH_LOG_INFO);
	log_msg(TH_LOG_DEBUG, NULL, "hidden %d", 1); /* below the level: nothing */
	th_log_field fields[] = { { "order", "th000000000001" }, { "reason", "price off \"tick\"" }, { "empty", "" } };
	log_fields(TH_LOG_WARN, "sim", "rejected", fields, 3);
	log_set_stream(2);
	close(fds[1]);
	ssize_t n = read(fds[0], buf, sizeof buf - 1);
	close(fds[0]);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_null(strstr(buf, "hidden"));
	assert_non_null(strstr(buf, "WARN  [sim] rejected order=th000000000001 reason=\"price off \\\"tick\\\"\" empty=\"\"\n"));
	assert_int_equal(buf[4], '-'); /* an ISO date first */
	assert_int_equal(log_level_parse("warn"), TH_LOG_WARN);
	assert_int_equal(log_level_parse("DEBUG"), TH_LOG_DEBUG);
	assert_int_equal(log_level_parse("loud"), -1);
}

/* th_notional: exact results, rounding, and extreme operands refused without
 * overflowing the 128-bit intermediate (UBSan catches that in the sanitizer build). */
static void test_notional(void **state)
{
	(void)state;
	th_money m;
	/* 2.50 (scale 2) x 3 (scale 0) = 7.5 at money scale 8 */
	assert_int_equal(th_notional(250, 2, 3, 0, &m), 0);
	assert_int_equal(m, 750000000);
	/* scales summing above the money scale: rounded half away from zero */
	assert_int_equal(th_notional(15, 9, 1, 0, &m), 0); /* 1.5e-8 -> 2e-8 */
	assert_int_equal(m, 2);
	assert_int_equal(th_notional(-15, 9, 1, 0, &m), 0);
	assert_int_equal(m, -2);
	/* both operands near the int64 limits with a scale-up: refused, no overflow */
	assert_int_equal(th_notional(INT64_MAX, 0, INT64_MAX, 0, &m), -1);
	assert_int_equal(th_notional(INT64_MIN, 0, INT64_MAX, 0, &m), -1);
	assert_int_equal(th_notional(INT64_MAX / 100000000 + 1, 0, 1, 0, &m), -1);
	assert_int_equal(th_notional(INT64_MAX / 100000000, 0, 1, 0, &m), 0);
	assert_int_equal(m, (INT64_MAX / 100000000) * 100000000);
	/* bad scales */
	assert_int_equal(th_notional(1, -1, 1, 0, &m), -1);
	assert_int_equal(th_notional(1, 0, 1, TH_SCALE_MAX + 1, &m), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strmap_against_model),
		cmocka_unit_test(test_notional),
		cmocka_unit_test(test_mkdir_p),
		cmocka_unit_test(test_log_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
