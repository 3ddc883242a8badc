/*
 * bench_journal: durable appends/s of the write-ahead journal beside the
 * raw fdatasync rate of the same disk, measured in the same run.
 *
 *   bench_journal [-t SECONDS] [-r REPS] [-p PAYLOAD_BYTES] [-c CPU] [DIR]
 *
 * DIR defaults to <build dir>/bench-journal-tmp (not /tmp, which may be
 * tmpfs and would make fdatasync free). Each measurement runs SECONDS
 * (default 2) and is repeated REPS times (default 3); the median is
 * printed with the min..max spread. Lines starting with "RESULT" are for
 * scripts (bench/journal/run.sh).
 *
 * Baselines:
 *   - bare write+fdatasync on a preallocated file: what the disk can do
 *     for one small synchronous write (the journal preallocates segments,
 *     so this is the like-for-like ceiling);
 *   - bare write+fdatasync appending to a growing file, for reference;
 *   - bare write() of the same bytes with no sync, for SYNC_NONE.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "journal/journal.h"

#ifndef TH_BENCH_JOURNAL_DEFAULT_DIR
#define TH_BENCH_JOURNAL_DEFAULT_DIR "bench-journal-tmp"
#endif

#define MAX_SAMPLES (1u << 21)
#define MAX_REPS 15

static double g_secs = 2.0;
static int g_reps = 3;
static size_t g_payload = 256;
static char g_dir[4096];
static uint8_t *g_buf;

typedef struct result {
	double rate[MAX_REPS];
	double extra[MAX_REPS]; /* a second per-rep figure (fdatasync/s) */
	uint32_t *lat_us;       /* per-op latency samples, all reps pooled */
	size_t nlat;
	uint32_t p50_us, p99_us;
	double median, min, max, extra_median;
} result;

static result *g_cur; /* where lat_add() records */

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void die(const char *what)
{
	fprintf(stderr, "bench_journal: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void lat_add(int64_t ns)
{
	if (g_cur->nlat < MAX_SAMPLES)
		g_cur->lat_us[g_cur->nlat++] = (uint32_t)(ns / 1000);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median_of(double *v)
{
	double s[MAX_REPS];
	memcpy(s, v, (size_t)g_reps * sizeof s[0]);
	qsort(s, (size_t)g_reps, sizeof s[0], cmp_double);
	return s[g_reps / 2];
}

static void finish(result *r)
{
	double s[MAX_REPS], e[MAX_REPS];
	memcpy(s, r->rate, sizeof s);
	memcpy(e, r->extra, sizeof e);
	qsort(s, (size_t)g_reps, sizeof s[0], cmp_double);
	qsort(e, (size_t)g_reps, sizeof e[0], cmp_double);
	r->median = s[g_reps / 2];
	r->min = s[0];
	r->max = s[g_reps - 1];
	r->extra_median = e[g_reps / 2];
	if (r->nlat > 0) {
		qsort(r->lat_us, r->nlat, sizeof r->lat_us[0], cmp_u32);
		r->p50_us = r->lat_us[r->nlat / 2];
		r->p99_us = r->lat_us[(r->nlat * 99) / 100];
	}
	free(r->lat_us);
	r->lat_us = NULL;
}

static void sub_path(char *out, size_t len, const char *name, int rep)
{
	snprintf(out, len, "%s/%s-%d", g_dir, name, rep);
}

static void rm_dir(const char *path)
{
	char cmd[8192];
	snprintf(cmd, sizeof cmd, "rm -rf -- '%s'", path);
	if (system(cmd) != 0)
		fprintf(stderr, "bench_journal: could not remove %s\n", path);
}

/* write(len) + fdatasync in a loop; preallocated or appending. */
static double bare_sync_loop(bool prealloc, int rep)
{
	char path[4200];
	sub_path(path, sizeof path, prealloc ? "bare-prealloc" : "bare-append", rep);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		die(path);
	if (prealloc) {
		if (fallocate(fd, 0, 0, 64 << 20) != 0)
			die("fallocate");
		if (fsync(fd) != 0)
			die("fsync");
	}
	size_t len = g_payload + 28; /* the bytes one journal record writes */
	int64_t start = now_ns(), end = start + (int64_t)(g_secs * 1e9), t = start;
	uint64_t ops = 0;
	while (t < end) {
		int64_t t0 = t;
		if (write(fd, g_buf, len) != (ssize_t)len)
			die("write");
		if (fdatasync(fd) != 0)
			die("fdatasync");
		ops++;
		t = now_ns();
		lat_add(t - t0);
	}
	close(fd);
	unlink(path);
	return (double)ops / ((double)(t - start) / 1e9);
}

static double bare_write_loop(int rep)
{
	char path[4200];
	sub_path(path, sizeof path, "bare-nosync", rep);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		die(path);
	size_t len = g_payload + 28;
	int64_t start = now_ns(), end = start + (int64_t)(g_secs * 1e9), t = start;
	uint64_t ops = 0;
	while (t < end) {
		for (int k = 0; k < 256; k++)
			if (write(fd, g_buf, len) != (ssize_t)len)
				die("write");
		ops += 256;
		t = now_ns();
	}
	close(fd);
	unlink(path);
	return (double)ops / ((double)(t - start) / 1e9);
}

/* Counts fdatasync calls made by the journal (through its io hook). */
static uint64_t g_datasyncs;
static int counting_fdatasync(void *ctx, int fd)
{
	(void)ctx;
	g_datasyncs++;
	return fdatasync(fd);
}

static journal_t *bench_open(const char *name, int rep, journal_options o, char *path, size_t pathlen)
{
	static journal_io_ops ops = { .fdatasync = counting_fdatasync };
	char err[512];
	journal_t *j = NULL;
	sub_path(path, pathlen, name, rep);
	o.io = &ops;
	if (journal_open(path, &o, &j, err, sizeof err) != 0) {
		fprintf(stderr, "bench_journal: journal_open: %s\n", err);
		exit(1);
	}
	return j;
}

static double journal_sync_loop(journal_sync_mode mode, int rep, double *syncs_per_s)
{
	char path[4200];
	journal_t *j = bench_open(mode == JOURNAL_SYNC_EACH ? "journal-each" : "journal-none", rep,
	                          (journal_options){ .mode = mode }, path, sizeof path);
	g_datasyncs = 0;
	int64_t start = now_ns(), end = start + (int64_t)(g_secs * 1e9), t = start;
	uint64_t ops = 0;
	while (t < end) {
		if (mode == JOURNAL_SYNC_EACH) {
			int64_t t0 = t;
			if (journal_append(j, 1, t0, g_buf, g_payload, NULL) != 0)
				goto failed;
			ops++;
			t = now_ns();
			lat_add(t - t0);
		} else {
			for (int k = 0; k < 1024; k++)
				if (journal_append(j, 1, t, g_buf, g_payload, NULL) != 0)
					goto failed;
			ops += 1024;
			t = now_ns();
		}
	}
	if (mode == JOURNAL_SYNC_NONE && journal_sync(j) != 0)
		goto failed;
	t = now_ns();
	*syncs_per_s = (double)g_datasyncs / ((double)(t - start) / 1e9);
	if (journal_close(j) != 0)
		die("journal_close");
	rm_dir(path);
	return (double)ops / ((double)(t - start) / 1e9);
failed:
	fprintf(stderr, "bench_journal: append failed: %s\n", journal_error(j));
	exit(1);
}

typedef struct async_state {
	uint64_t done;
	uint64_t failed;
	int64_t *issued_at; /* ring of append times by LSN */
	size_t ring;
} async_state;

static void async_done(void *arg, uint64_t lsn, int status)
{
	async_state *s = arg;
	if (status != 0)
		s->failed++;
	s->done++;
	lat_add(now_ns() - s->issued_at[lsn % s->ring]);
}

/* Group commit as the OMS would use it: keep up to `window` appends in
 * flight, wait on the notify fd, deliver completions. */
static double journal_async_loop(uint32_t batch, int64_t delay_us, size_t window, int rep, double *syncs_per_s)
{
	char path[4200];
	journal_t *j = bench_open("journal-batch", rep,
	                          (journal_options){ .mode = JOURNAL_SYNC_BATCH, .batch_max_records = batch,
	                                             .batch_max_delay_us = delay_us },
	                          path, sizeof path);
	async_state s = { 0, 0, calloc(window * 2, sizeof(int64_t)), window * 2 };
	g_datasyncs = 0;
	uint64_t issued = 0;
	struct pollfd pfd = { .fd = journal_notify_fd(j), .events = POLLIN };
	int64_t start = now_ns(), end = start + (int64_t)(g_secs * 1e9), t = start;
	while (t < end) {
		while (issued - s.done < window) {
			uint64_t lsn;
			if (journal_append_async(j, 1, t, g_buf, g_payload, async_done, &s, &lsn) != 0) {
				fprintf(stderr, "bench_journal: append failed: %s\n", journal_error(j));
				exit(1);
			}
			s.issued_at[lsn % s.ring] = t;
			issued++;
		}
		poll(&pfd, 1, 100);
		journal_poll_completions(j);
		t = now_ns();
	}
	/* Count only what was durable inside the measured interval. */
	uint64_t done = s.done;
	t = now_ns();
	*syncs_per_s = (double)g_datasyncs / ((double)(t - start) / 1e9);
	if (journal_close(j) != 0 || s.failed)
		die("journal_close");
	free(s.issued_at);
	rm_dir(path);
	return (double)done / ((double)(t - start) / 1e9);
}

static void usage(void)
{
	fprintf(stderr, "usage: bench_journal [-t SECONDS] [-r REPS] [-p PAYLOAD_BYTES] [-c CPU] [DIR]\n"
	                "  DIR defaults to %s (use a real disk, not tmpfs)\n",
	        TH_BENCH_JOURNAL_DEFAULT_DIR);
	exit(2);
}

int main(int argc, char **argv)
{
	int opt, cpu = -1;
	while ((opt = getopt(argc, argv, "t:r:p:c:h")) != -1) {
		switch (opt) {
		case 't': g_secs = atof(optarg); break;
		case 'r': g_reps = atoi(optarg); break;
		case 'p': g_payload = (size_t)atol(optarg); break;
		case 'c': cpu = atoi(optarg); break;
		default: usage();
		}
	}
	if (g_secs <= 0 || g_reps < 1 || g_reps > MAX_REPS || g_payload == 0 || g_payload > JOURNAL_MAX_PAYLOAD)
		usage();
	const char *base = optind < argc ? argv[optind] : TH_BENCH_JOURNAL_DEFAULT_DIR;
	if (mkdir(base, 0755) != 0 && errno != EEXIST)
		die(base);
	snprintf(g_dir, sizeof g_dir, "%s/run-%d", base, (int)getpid());
	if (mkdir(g_dir, 0755) != 0)
		die(g_dir);
	if (cpu >= 0) {
		cpu_set_t set;
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof set, &set) != 0)
			die("sched_setaffinity");
	}
	g_buf = malloc(g_payload + 64);
	if (!g_buf)
		die("malloc");
	for (size_t i = 0; i < g_payload + 64; i++)
		g_buf[i] = (uint8_t)(i * 31 + 7);

	printf("bench_journal: dir=%s payload=%zuB (record %zuB) %.1fs x %d reps, median [min..max]%s\n", g_dir, g_payload,
	       g_payload + 28, g_secs, g_reps, cpu >= 0 ? " (pinned)" : "");
	fflush(stdout);

	result bare_pre = { 0 }, bare_app = { 0 }, bare_nosync = { 0 }, each = { 0 }, batch = { 0 }, none = { 0 };
	result *all[] = { &bare_pre, &bare_app, &bare_nosync, &each, &batch, &none };
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		if (!(all[i]->lat_us = malloc(MAX_SAMPLES * sizeof(uint32_t))))
			die("malloc");
	/* Interleave baseline and journal rep by rep so drift (other load on
	 * the shared disk, cache state) hits both alike. */
	for (int r = 0; r < g_reps; r++) {
		g_cur = &bare_pre;
		bare_pre.rate[r] = bare_sync_loop(true, r);
		g_cur = &each;
		each.rate[r] = journal_sync_loop(JOURNAL_SYNC_EACH, r, &each.extra[r]);
		g_cur = &bare_app;
		bare_app.rate[r] = bare_sync_loop(false, r);
		g_cur = &batch;
		batch.rate[r] = journal_async_loop(64, 1000, 1024, r, &batch.extra[r]);
		g_cur = &bare_nosync;
		bare_nosync.rate[r] = bare_write_loop(r);
		g_cur = &none;
		none.rate[r] = journal_sync_loop(JOURNAL_SYNC_NONE, r, &none.extra[r]);
		fprintf(stderr, "rep %d/%d done\n", r + 1, g_reps);
	}
	/* Per-rep ratios: on a disk shared with other work the absolute rates
	 * swing a lot between reps, but a baseline and the journal run back to
	 * back see much the same conditions, so the median of paired ratios is
	 * the steadier figure. */
	double r_each_pre[MAX_REPS], r_each_app[MAX_REPS], r_batch_pre[MAX_REPS], r_none[MAX_REPS];
	for (int r = 0; r < g_reps; r++) {
		r_each_pre[r] = each.rate[r] / bare_pre.rate[r];
		r_each_app[r] = each.rate[r] / bare_app.rate[r];
		r_batch_pre[r] = batch.rate[r] / bare_pre.rate[r];
		r_none[r] = none.rate[r] / bare_nosync.rate[r];
	}
	double m_each_pre = median_of(r_each_pre), m_each_app = median_of(r_each_app);
	double m_batch_pre = median_of(r_batch_pre), m_none = median_of(r_none);
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		finish(all[i]);

	printf("baseline bare write+fdatasync, preallocated file : %10.0f ops/s  [%.0f..%.0f]  p50 %uus p99 %uus\n",
	       bare_pre.median, bare_pre.min, bare_pre.max, bare_pre.p50_us, bare_pre.p99_us);
	printf("baseline bare write+fdatasync, appending file    : %10.0f ops/s  [%.0f..%.0f]  p50 %uus p99 %uus\n",
	       bare_app.median, bare_app.min, bare_app.max, bare_app.p50_us, bare_app.p99_us);
	printf("journal  SYNC_EACH journal_append()              : %10.0f appends/s  [%.0f..%.0f]  p50 %uus p99 %uus"
	       "  ratio %.2fx of preallocated bare, %.2fx of appending bare (medians of paired reps)\n",
	       each.median, each.min, each.max, each.p50_us, each.p99_us, m_each_pre, m_each_app);
	printf("journal  SYNC_BATCH async (64 rec / 1000us, 1024 in flight): %10.0f appends/s  [%.0f..%.0f]  "
	       "%.0f fdatasync/s  append->durable p50 %uus p99 %uus  ratio %.1fx of preallocated bare\n",
	       batch.median, batch.min, batch.max, batch.extra_median, batch.p50_us, batch.p99_us, m_batch_pre);
	printf("baseline bare write() %zuB, no sync                 : %10.0f ops/s  [%.0f..%.0f]\n", g_payload + 28,
	       bare_nosync.median, bare_nosync.min, bare_nosync.max);
	printf("journal  SYNC_NONE journal_append()              : %10.0f appends/s  [%.0f..%.0f]  ratio %.2fx of bare "
	       "write()\n",
	       none.median, none.min, none.max, m_none);
	printf("RESULT bare_fdatasync_prealloc_ops_per_s=%.0f bare_fdatasync_append_ops_per_s=%.0f "
	       "sync_each_appends_per_s=%.0f sync_each_ratio=%.3f batch_appends_per_s=%.0f batch_ratio=%.2f "
	       "none_appends_per_s=%.0f\n",
	       bare_pre.median, bare_app.median, each.median, m_each_pre, batch.median, m_batch_pre, none.median);
	rmdir(g_dir);
	free(g_buf);
	return 0;
}
