/*
 * Conformance runner for the toml-test suite (Debian's golang-github-burntsushi-toml-dev
 * ships a copy). Runs the real `toml-test-decoder` executable on every case, with the
 * case file as stdin:
 *   each .toml under valid/    must exit 0 and print JSON semantically equal to the .json
 *                              beside it (floats compared numerically, date-times as points
 *                              in time);
 *   each .toml under invalid/  must exit 1 with a message on stderr (a crash or sanitizer
 *                              report is a failure, not a rejection).
 * Cases listed in the skip file (one "<case> <reason>" per line) are not run.
 *
 * usage: toml_test_runner SUITE_DIR DECODER [SKIP_FILE]
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* Exit codes the sanitizers use in the child, so a sanitizer report is never mistaken
 * for the decoder's ordinary "invalid input" exit status 1. */
enum { ASAN_EXIT = 86, UBSAN_EXIT = 87, CASE_TIMEOUT_SECONDS = 30 };

typedef struct strlist {
	char **items;
	size_t len, cap;
} strlist;

static void strlist_push(strlist *l, char *s)
{
	if (l->len == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->items = realloc(l->items, l->cap * sizeof(*l->items));
		if (!l->items) {
			perror("realloc");
			exit(2);
		}
	}
	l->items[l->len++] = s;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collects "<rel>/<name>" for every *.toml below root/rel, recursively. */
static void collect(const char *root, const char *rel, strlist *out)
{
	char dirpath[4096];
	snprintf(dirpath, sizeof(dirpath), "%s/%s", root, rel);
	DIR *d = opendir(dirpath);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char child[4096], full[8192];
		snprintf(child, sizeof(child), "%s/%s", rel, e->d_name);
		snprintf(full, sizeof(full), "%s/%s", root, child);
		struct stat st;
		if (stat(full, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			collect(root, child, out);
		} else {
			size_t n = strlen(child);
			if (n > 5 && strcmp(child + n - 5, ".toml") == 0)
				strlist_push(out, strdup(child));
		}
	}
	closedir(d);
}

/* ---- skip list --------------------------------------------------------------------- */

typedef struct skip {
	char *name;   /* "valid/string/escape-esc" */
	char *reason;
	bool used;
} skip;

static skip *skips;
static size_t nskips;

static bool load_skips(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "toml-test: cannot open skip file %s: %s\n", path, strerror(errno));
		return false;
	}
	char line[1024];
	int lineno = 0;
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		char *p = line + strspn(line, " \t");
		if (*p == '\0' || *p == '#')
			continue;
		char *name = p;
		char *sp = p + strcspn(p, " \t");
		char *reason = sp + strspn(sp, " \t");
		if (*sp == '\0' || *reason == '\0') {
			fprintf(stderr, "toml-test: %s:%d: skip entry '%s' has no reason; write \"<case> <why it cannot pass>\"\n",
			        path, lineno, name);
			fclose(f);
			return false;
		}
		*sp = '\0';
		skips = realloc(skips, (nskips + 1) * sizeof(*skips));
		if (!skips) {
			fclose(f);
			return false;
		}
		skips[nskips++] = (skip){ strdup(name), strdup(reason), false };
	}
	fclose(f);
	return true;
}

static skip *find_skip(const char *case_name)
{
	for (size_t i = 0; i < nskips; i++)
		if (strcmp(skips[i].name, case_name) == 0)
			return &skips[i];
	return NULL;
}

/* ---- running the decoder ----------------------------------------------------------- */

typedef struct run_result {
	int status;   /* waitpid status */
	char *out, *err;
	size_t outlen, errlen;
} run_result;

static void append(char **buf, size_t *len, const char *data, size_t n)
{
	char *nb = realloc(*buf, *len + n + 1);
	if (!nb) {
		perror("realloc");
		exit(2);
	}
	memcpy(nb + *len, data, n);
	*len += n;
	nb[*len] = '\0';
	*buf = nb;
}

static void add_sanitizer_exitcode(const char *var, int code)
{
	char buf[2048];
	const char *old = getenv(var);
	snprintf(buf, sizeof(buf), "%s%sexitcode=%d", old ? old : "", old && *old ? ":" : "", code);
	setenv(var, buf, 1);
}

static bool run_decoder(const char *decoder, const char *input, run_result *r)
{
	memset(r, 0, sizeof(*r));
	append(&r->out, &r->outlen, "", 0);
	append(&r->err, &r->errlen, "", 0);
	int po[2], pe[2];
	if (pipe(po) != 0 || pipe(pe) != 0) {
		perror("pipe");
		return false;
	}
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return false;
	}
	if (pid == 0) {
		int in = open(input, O_RDONLY);
		if (in < 0 || dup2(in, 0) < 0 || dup2(po[1], 1) < 0 || dup2(pe[1], 2) < 0)
			_exit(126);
		close(in);
		close(po[0]);
		close(pe[0]);
		close(po[1]);
		close(pe[1]);
		add_sanitizer_exitcode("ASAN_OPTIONS", ASAN_EXIT);
		add_sanitizer_exitcode("UBSAN_OPTIONS", UBSAN_EXIT);
		alarm(CASE_TIMEOUT_SECONDS); /* survives exec: a hang ends in SIGALRM */
		execl(decoder, decoder, (char *)NULL);
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	struct pollfd fds[2] = { { po[0], POLLIN, 0 }, { pe[0], POLLIN, 0 } };
	int open_fds = 2;
	char buf[65536];
	while (open_fds > 0) {
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			perror("poll");
			break;
		}
		for (int i = 0; i < 2; i++) {
			if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			ssize_t n = read(fds[i].fd, buf, sizeof(buf));
			if (n > 0) {
				if (i == 0)
					append(&r->out, &r->outlen, buf, (size_t)n);
				else
					append(&r->err, &r->errlen, buf, (size_t)n);
			} else if (n == 0 || errno != EINTR) {
				close(fds[i].fd);
				fds[i].fd = -1;
				open_fds--;
			}
		}
	}
	while (waitpid(pid, &r->status, 0) < 0) {
		if (errno != EINTR) {
			perror("waitpid");
			return false;
		}
	}
	return true;
}

static void describe_status(int status, char *buf, size_t n)
{
	if (WIFSIGNALED(status))
		snprintf(buf, n, "killed by signal %d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
	else if (WEXITSTATUS(status) == ASAN_EXIT)
		snprintf(buf, n, "AddressSanitizer error");
	else if (WEXITSTATUS(status) == UBSAN_EXIT)
		snprintf(buf, n, "UndefinedBehaviorSanitizer error");
	else if (WEXITSTATUS(status) == 127)
		snprintf(buf, n, "decoder could not be executed");
	else
		snprintf(buf, n, "exit status %d", WEXITSTATUS(status));
}

/* ---- semantic comparison ----------------------------------------------------------- */

typedef struct when {
	bool has_date, has_time, has_offset;
	int64_t days;  /* days since 1970-01-01 */
	int64_t secs;  /* seconds into the day, minus the offset */
	int64_t nanos;
} when;

/* Days since the epoch of a proleptic Gregorian date (the usual era-based formula). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static bool digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

static bool parse_when(const char *s, when *w)
{
	memset(w, 0, sizeof(*w));
	int y, mo, d, h, mi, se;
	if (strlen(s) >= 10 && s[4] == '-') {
		if (!digits(s, 4, &y) || !digits(s + 5, 2, &mo) || s[7] != '-' || !digits(s + 8, 2, &d))
			return false;
		w->has_date = true;
		w->days = days_from_civil(y, mo, d);
		s += 10;
		if (*s == '\0')
			return true;
		if (*s != 'T' && *s != 't' && *s != ' ')
			return false;
		s++;
	}
	if (!digits(s, 2, &h) || s[2] != ':' || !digits(s + 3, 2, &mi) || s[5] != ':' || !digits(s + 6, 2, &se))
		return false;
	w->has_time = true;
	w->secs = h * 3600 + mi * 60 + se;
	s += 8;
	if (*s == '.') {
		s++;
		int64_t ns = 0;
		int nd = 0;
		while (*s >= '0' && *s <= '9') {
			if (nd < 9) {
				ns = ns * 10 + (*s - '0');
				nd++;
			}
			s++;
		}
		if (nd == 0)
			return false;
		for (; nd < 9; nd++)
			ns *= 10;
		w->nanos = ns;
	}
	if (*s == 'Z' || *s == 'z') {
		w->has_offset = true;
		s++;
	} else if (*s == '+' || *s == '-') {
		int oh, om;
		if (!digits(s + 1, 2, &oh) || s[3] != ':' || !digits(s + 4, 2, &om))
			return false;
		w->has_offset = true;
		w->secs -= (*s == '-' ? -1 : 1) * (oh * 3600 + om * 60);
		s += 6;
	}
	return *s == '\0';
}

static bool same_instant(const char *a, const char *b)
{
	when x, y;
	if (!parse_when(a, &x) || !parse_when(b, &y))
		return false;
	if (x.has_date != y.has_date || x.has_time != y.has_time || x.has_offset != y.has_offset)
		return false;
	int64_t sx = x.days * 86400 + x.secs, sy = y.days * 86400 + y.secs;
	return sx == sy && x.nanos == y.nanos;
}

static bool same_float(const char *a, const char *b)
{
	bool na = strstr(a, "nan") != NULL, nb = strstr(b, "nan") != NULL;
	if (na || nb)
		return na && nb;
	char *ea, *eb;
	double x = strtod(a, &ea), y = strtod(b, &eb);
	return *a && *b && *ea == '\0' && *eb == '\0' && x == y;
}

static bool is_tagged(const json_t *v)
{
	return json_is_object(v) && json_object_size(v) == 2 && json_is_string(json_object_get(v, "type")) &&
	       json_is_string(json_object_get(v, "value"));
}

/* Compares expected `w` with decoder output `h`; on mismatch writes the key path and why. */
static bool same_json(const json_t *w, const json_t *h, const char *path, char *why, size_t whylen)
{
	if (is_tagged(w)) {
		if (!is_tagged(h)) {
			snprintf(why, whylen, "%s: expected a tagged value, got something else", path);
			return false;
		}
		const char *wt = json_string_value(json_object_get(w, "type"));
		const char *ht = json_string_value(json_object_get(h, "type"));
		const char *wv = json_string_value(json_object_get(w, "value"));
		const char *hv = json_string_value(json_object_get(h, "value"));
		bool ok;
		if (strcmp(wt, ht) != 0)
			ok = false;
		else if (strcmp(wt, "float") == 0)
			ok = same_float(wv, hv);
		else if (strncmp(wt, "date", 4) == 0 || strncmp(wt, "time", 4) == 0)
			ok = same_instant(wv, hv);
		else
			ok = json_string_length(json_object_get(w, "value")) == json_string_length(json_object_get(h, "value")) &&
			     memcmp(wv, hv, json_string_length(json_object_get(w, "value"))) == 0;
		if (!ok)
			snprintf(why, whylen, "%s: expected %s %s, got %s %s", path, wt, wv, ht, hv);
		return ok;
	}
	if (json_is_object(w)) {
		if (!json_is_object(h) || is_tagged(h)) {
			snprintf(why, whylen, "%s: expected a table", path);
			return false;
		}
		if (json_object_size(w) != json_object_size(h)) {
			snprintf(why, whylen, "%s: expected %zu keys, got %zu", path, json_object_size(w), json_object_size(h));
			return false;
		}
		const char *key;
		json_t *wv;
		json_object_foreach((json_t *)w, key, wv) {
			char sub[1024];
			snprintf(sub, sizeof(sub), "%s.%s", path, key);
			const json_t *hv = json_object_get(h, key);
			if (!hv) {
				snprintf(why, whylen, "%s: missing in decoder output", sub);
				return false;
			}
			if (!same_json(wv, hv, sub, why, whylen))
				return false;
		}
		return true;
	}
	if (json_is_array(w)) {
		if (!json_is_array(h) || json_array_size(w) != json_array_size(h)) {
			snprintf(why, whylen, "%s: expected an array of %zu elements", path, json_array_size(w));
			return false;
		}
		for (size_t i = 0; i < json_array_size(w); i++) {
			char sub[1024];
			snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
			if (!same_json(json_array_get(w, i), json_array_get(h, i), sub, why, whylen))
				return false;
		}
		return true;
	}
	snprintf(why, whylen, "%s: unexpected JSON in the expected file", path);
	return false;
}

/* ---- main -------------------------------------------------------------------------- */

int main(int argc, char **argv)
{
	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: %s SUITE_DIR DECODER [SKIP_FILE]\n", argv[0]);
		return 2;
	}
	const char *suite = argv[1], *decoder = argv[2];
	struct stat st;
	char vdir[4096];
	snprintf(vdir, sizeof(vdir), "%s/valid", suite);
	if (stat(vdir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr,
		        "toml-test: suite not found at %s (no valid/ folder).\n"
		        "Install it with: apt-get install golang-github-burntsushi-toml-dev\n",
		        suite);
		return 1;
	}
	if (access(decoder, X_OK) != 0) {
		fprintf(stderr, "toml-test: decoder %s is not executable: %s\n", decoder, strerror(errno));
		return 1;
	}
	if (argc == 4 && !load_skips(argv[3]))
		return 1;
	signal(SIGPIPE, SIG_IGN);

	strlist cases = { 0 };
	collect(suite, "valid", &cases);
	collect(suite, "invalid", &cases);
	qsort(cases.items, cases.len, sizeof(*cases.items), cmp_str);

	int valid_ok = 0, invalid_ok = 0, failed = 0, skipped = 0;
	for (size_t i = 0; i < cases.len; i++) {
		const char *rel = cases.items[i];
		char name[4096];
		snprintf(name, sizeof(name), "%.*s", (int)(strlen(rel) - 5), rel);
		skip *sk = find_skip(name);
		if (sk) {
			sk->used = true;
			skipped++;
			printf("SKIP %s: %s\n", name, sk->reason);
			continue;
		}
		char input[8192];
		snprintf(input, sizeof(input), "%s/%s", suite, rel);
		bool valid = strncmp(rel, "valid/", 6) == 0;
		run_result r;
		if (!run_decoder(decoder, input, &r))
			return 2;
		char status[128];
		describe_status(r.status, status, sizeof(status));
		bool exited = WIFEXITED(r.status);
		if (valid) {
			char why[2048] = "";
			bool ok = false;
			if (!exited || WEXITSTATUS(r.status) != 0) {
				snprintf(why, sizeof(why), "decoder rejected a valid document (%s): %s", status, r.err);
			} else {
				char expected_path[8192];
				snprintf(expected_path, sizeof(expected_path), "%s/%s.json", suite, name);
				json_error_t jerr;
				json_t *want = json_load_file(expected_path, JSON_ALLOW_NUL, &jerr);
				json_t *have = json_loadb(r.out, r.outlen, JSON_ALLOW_NUL, &jerr);
				if (!want)
					snprintf(why, sizeof(why), "cannot read %.1000s", expected_path);
				else if (!have)
					snprintf(why, sizeof(why), "decoder printed invalid JSON: %s", jerr.text);
				else
					ok = same_json(want, have, "$", why, sizeof(why));
				json_decref(want);
				json_decref(have);
			}
			if (ok) {
				valid_ok++;
			} else {
				failed++;
				printf("FAIL %s: %s\n", name, why);
			}
		} else {
			if (exited && WEXITSTATUS(r.status) == 1 && r.errlen > 0) {
				invalid_ok++;
			} else {
				failed++;
				if (exited && WEXITSTATUS(r.status) == 0)
					printf("FAIL %s: decoder accepted an invalid document\n", name);
				else if (exited && WEXITSTATUS(r.status) == 1)
					printf("FAIL %s: rejected without a message on stderr\n", name);
				else
					printf("FAIL %s: %s\n%s", name, status, r.err);
			}
		}
		free(r.out);
		free(r.err);
	}
	for (size_t i = 0; i < nskips; i++) {
		if (!skips[i].used) {
			failed++;
			printf("FAIL skip entry %s matches no case in the suite; remove it\n", skips[i].name);
		}
	}
	if (cases.len == 0) {
		failed++;
		printf("FAIL no cases found under %s\n", suite);
	}
	printf("toml-test: %d valid passed, %d invalid rejected, %d failed, %d skipped\n", valid_ok, invalid_ok, failed,
	       skipped);
	for (size_t i = 0; i < cases.len; i++)
		free(cases.items[i]);
	free(cases.items);
	for (size_t i = 0; i < nskips; i++) {
		free(skips[i].name);
		free(skips[i].reason);
	}
	free(skips);
	return failed ? 1 : 0;
}
