/* Backtests from the API: a child process of the same executable
 *   /proc/self/exe backtest -c <running config> --out <state_dir>/backtests/<id>
 *       --progress-fd 3 --quiet [--bars N --from T --to T --seed N] [--set ...]
 * (the host's --set overrides are passed on, its TRADEHOST__ environment is
 * inherited), so a crash or a long run never touches the trading loop. Its
 * progress lines and stderr come through non-blocking pipes watched on the
 * loop; a timer reaps it with waitpid(pid, WNOHANG) (only our own pids, so
 * nothing else's children are stolen). Reports are served from the out dir.
 * The list covers backtests started since this host started. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <event2/event.h>

#include "api/api_internal.h"
#include "common/fsutil.h"
#include "common/log.h"

#define API_BACKTESTS_RUNNING_MAX 2
#define BT_RUNNING 0
#define BT_DONE 1
#define BT_FAILED 2

static json_t *bt_json(const api_backtest *b)
{
	int64_t ppm = 0;
	if (b->state == BT_DONE)
		ppm = 1000000;
	else if (b->total > 0)
		ppm = (int64_t)(b->bars >= b->total ? 999999 : b->bars * 1000000 / b->total);
	return json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:s}", "id", b->id, "state",
		b->state == BT_RUNNING ? "running" : b->state == BT_DONE ? "done" : "failed", "progress_ppm", (json_int_t)ppm,
		"bars", (json_int_t)b->bars, "started_ms", (json_int_t)b->started_ms, "finished_ms",
		(json_int_t)b->finished_ms, "error", b->error);
}

static api_backtest *find_bt(api *a, const char *id)
{
	for (size_t i = 0; i < a->nbacktests; i++)
		if (!strcmp(a->backtests[i]->id, id))
			return a->backtests[i];
	return NULL;
}

static void close_pipe(struct event **ev, int *fd)
{
	if (*ev) {
		event_free(*ev);
		*ev = NULL;
	}
	if (*fd >= 0) {
		close(*fd);
		*fd = -1;
	}
}

static void parse_progress(api_backtest *b, const char *line)
{
	unsigned long long bars, total;
	if (sscanf(line, "progress %llu %llu", &bars, &total) == 2) {
		b->bars = bars;
		b->total = total;
	}
}

static void on_progress(evutil_socket_t fd, short what, void *arg)
{
	(void)what;
	api_backtest *b = arg;
	char buf[512];
	ssize_t n = read(fd, buf, sizeof buf);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		close_pipe(&b->progress_ev, &b->progress_fd);
		return;
	}
	for (ssize_t i = 0; i < n; i++) {
		if (buf[i] == '\n') {
			b->line[b->line_len] = '\0';
			parse_progress(b, b->line);
			b->line_len = 0;
		} else if (b->line_len + 1 < sizeof b->line) {
			b->line[b->line_len++] = buf[i];
		}
	}
}

static void on_stderr(evutil_socket_t fd, short what, void *arg)
{
	(void)what;
	api_backtest *b = arg;
	char buf[512];
	ssize_t n = read(fd, buf, sizeof buf);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		close_pipe(&b->err_ev, &b->err_fd);
		return;
	}
	/* keep the tail: the last lines say why a run failed */
	size_t cap = sizeof b->error - 1, add = (size_t)n;
	if (add >= cap) {
		memcpy(b->error, buf + add - cap, cap);
		b->error_len = cap;
	} else {
		if (b->error_len + add > cap) {
			size_t drop = b->error_len + add - cap;
			memmove(b->error, b->error + drop, b->error_len - drop);
			b->error_len -= drop;
		}
		memcpy(b->error + b->error_len, buf, add);
		b->error_len += add;
	}
	b->error[b->error_len] = '\0';
}

static void finish(api *a, api_backtest *b, int status)
{
	char report[4300];
	struct stat st;
	b->pid = 0;
	b->finished_ms = api_ms(host_now_ns(a->host));
	/* drain what is left in the pipes before judging */
	if (b->progress_fd >= 0)
		on_progress(b->progress_fd, EV_READ, b);
	if (b->err_fd >= 0)
		on_stderr(b->err_fd, EV_READ, b);
	close_pipe(&b->progress_ev, &b->progress_fd);
	close_pipe(&b->err_ev, &b->err_fd);
	snprintf(report, sizeof report, "%s/report.json", b->out_dir);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && stat(report, &st) == 0) {
		b->state = BT_DONE;
		b->error[0] = '\0';
		b->error_len = 0;
		return;
	}
	b->state = BT_FAILED;
	/* the last non-empty line of stderr, else how it ended */
	while (b->error_len && (b->error[b->error_len - 1] == '\n' || b->error[b->error_len - 1] == '\r'))
		b->error[--b->error_len] = '\0';
	char *last = strrchr(b->error, '\n'), *cr = strrchr(b->error, '\r');
	last = cr > last ? cr : last;
	if (last)
		memmove(b->error, last + 1, strlen(last + 1) + 1);
	if (!b->error[0]) {
		if (WIFSIGNALED(status))
			snprintf(b->error, sizeof b->error, "backtest process killed by signal %d", WTERMSIG(status));
		else
			snprintf(b->error, sizeof b->error, "backtest process exited with status %d", WEXITSTATUS(status));
	}
	log_warn("backtest %s failed: %s", b->id, b->error);
}

static void on_reap(void *arg, uint64_t id)
{
	(void)id;
	api *a = arg;
	for (size_t i = 0; i < a->nbacktests; i++) {
		api_backtest *b = a->backtests[i];
		int status;
		if (b->pid > 0 && waitpid(b->pid, &status, WNOHANG) == b->pid)
			finish(a, b, status);
	}
}

static int running_count(const api *a)
{
	int n = 0;
	for (size_t i = 0; i < a->nbacktests; i++)
		n += a->backtests[i]->state == BT_RUNNING;
	return n;
}

/* A slot: a new one, or the oldest finished run's (its files stay on disk). */
static api_backtest *new_slot(api *a)
{
	if (a->nbacktests == API_BACKTESTS_MAX) {
		size_t i = 0;
		while (i < a->nbacktests && a->backtests[i]->state == BT_RUNNING)
			i++;
		if (i == a->nbacktests)
			return NULL;
		free(a->backtests[i]);
		memmove(&a->backtests[i], &a->backtests[i + 1], (a->nbacktests - i - 1) * sizeof a->backtests[0]);
		a->nbacktests--;
	}
	api_backtest *b = calloc(1, sizeof *b);
	if (!b)
		return NULL;
	b->progress_fd = b->err_fd = -1;
	a->backtests[a->nbacktests++] = b;
	return b;
}

static void drop_last_slot(api *a)
{
	free(a->backtests[--a->nbacktests]);
}

static void child_exec(char **argv, int progress_w, int err_w)
{
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	int devnull = open("/dev/null", O_RDWR);
	if (devnull >= 0) {
		dup2(devnull, 0);
		dup2(devnull, 1);
	}
	dup2(err_w, 2);
	dup2(progress_w, 3);
	/* nothing of the host (listening sockets, the journal) leaks into the child */
	for (int fd = 4; fd < 1024; fd++)
		close(fd);
	execv(argv[0], argv);
	dprintf(2, "cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

static int spawn(api *a, api_backtest *b, const json_t *body, char *err, size_t errlen)
{
	const host_config *hc = host_get_config(a->host);
	char bars[32], seed[32];
	char *argv[200];
	size_t n = 0;
	argv[n++] = "/proc/self/exe";
	argv[n++] = "backtest";
	argv[n++] = "-c";
	argv[n++] = (char *)(a->fd->config_path ? a->fd->config_path : hc->path);
	argv[n++] = "--out";
	argv[n++] = b->out_dir;
	argv[n++] = "--progress-fd";
	argv[n++] = "3";
	argv[n++] = "--quiet";
	if (json_object_get(body, "bars")) {
		snprintf(bars, sizeof bars, "%lld", (long long)api_body_int(body, "bars", 0));
		argv[n++] = "--bars";
		argv[n++] = bars;
	}
	if (json_object_get(body, "seed")) {
		snprintf(seed, sizeof seed, "%lld", (long long)api_body_int(body, "seed", 0));
		argv[n++] = "--seed";
		argv[n++] = seed;
	}
	if (api_body_str(body, "from")) {
		argv[n++] = "--from";
		argv[n++] = (char *)api_body_str(body, "from");
	}
	if (api_body_str(body, "to")) {
		argv[n++] = "--to";
		argv[n++] = (char *)api_body_str(body, "to");
	}
	for (size_t i = 0; i < hc->noverrides && n + 3 < sizeof argv / sizeof argv[0]; i++) {
		argv[n++] = "--set";
		argv[n++] = hc->overrides[i];
	}
	argv[n] = NULL;
	int pp[2], ep[2];
	if (pipe2(pp, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "cannot create a pipe: %s", strerror(errno));
		return -1;
	}
	if (pipe2(ep, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "cannot create a pipe: %s", strerror(errno));
		close(pp[0]);
		close(pp[1]);
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "cannot start the backtest process: %s", strerror(errno));
		close(pp[0]);
		close(pp[1]);
		close(ep[0]);
		close(ep[1]);
		return -1;
	}
	if (pid == 0)
		child_exec(argv, pp[1], ep[1]);
	close(pp[1]);
	close(ep[1]);
	fcntl(pp[0], F_SETFL, O_NONBLOCK);
	fcntl(ep[0], F_SETFL, O_NONBLOCK);
	b->pid = pid;
	b->progress_fd = pp[0];
	b->err_fd = ep[0];
	b->progress_ev = event_new(host_event_base(a->host), pp[0], EV_READ | EV_PERSIST, on_progress, b);
	b->err_ev = event_new(host_event_base(a->host), ep[0], EV_READ | EV_PERSIST, on_stderr, b);
	if (b->progress_ev)
		event_add(b->progress_ev, NULL);
	if (b->err_ev)
		event_add(b->err_ev, NULL);
	return 0;
}

void api_h_backtest_start(api *a, http_request *req, const json_t *body)
{
	const host_config *hc = host_get_config(a->host);
	if (!toml_table_get(hc->tree, "market")) {
		api_error(req, 503, "no_trading", "a backtest needs a [market] section in the configuration");
		return;
	}
	if (running_count(a) >= API_BACKTESTS_RUNNING_MAX) {
		api_error(req, 429, "rate_limited", "%d backtests are running: wait for one to finish",
			API_BACKTESTS_RUNNING_MAX);
		return;
	}
	api_backtest *b = new_slot(a);
	if (!b) {
		api_error(req, 429, "rate_limited", "too many backtests running");
		return;
	}
	b->started_ms = api_ms(host_now_ns(a->host));
	snprintf(b->id, sizeof b->id, "bt-%lld-%llu", (long long)b->started_ms, (unsigned long long)++a->bt_counter);
	snprintf(b->out_dir, sizeof b->out_dir, "%s/backtests/%s", hc->state_dir, b->id);
	char err[256];
	if (fs_mkdir_p(b->out_dir, 0755) != 0) {
		api_error(req, 503, "not_ready", "cannot create the backtest directory %.300s: %s", b->out_dir, strerror(errno));
		drop_last_slot(a);
		return;
	}
	if (spawn(a, b, body, err, sizeof err) != 0) {
		drop_last_slot(a);
		api_error(req, 503, "not_ready", "%s", err);
		return;
	}
	if (!a->bt_timer &&
		host_add_timer(a->host, &a->bt_timer, 200000000LL, 200000000LL, on_reap, a, &a->bt_timer) != 0)
		log_warn("backtests: cannot add the reaper timer");
	log_info("backtest %s started (pid %d): %s", b->id, b->pid, b->out_dir);
	api_reply(req, 202, bt_json(b));
}

void api_h_backtests(api *a, http_request *req, const json_t *body)
{
	(void)body;
	json_t *list = json_array();
	for (size_t i = a->nbacktests; i > 0; i--)
		json_array_append_new(list, bt_json(a->backtests[i - 1]));
	api_reply(req, 200, json_pack("{s:o}", "backtests", list));
}

void api_h_backtest_get(api *a, http_request *req, const json_t *body)
{
	(void)body;
	const char *id = http_request_param(req, "id");
	api_backtest *b = find_bt(a, id);
	if (!b) {
		api_error(req, 404, "not_found", "no backtest \"%.40s\" (started since this host started)", id);
		return;
	}
	api_reply(req, 200, bt_json(b));
}

static void serve_report(api *a, http_request *req, const char *file, const char *ctype)
{
	const char *id = http_request_param(req, "id");
	api_backtest *b = find_bt(a, id);
	if (!b) {
		api_error(req, 404, "not_found", "no backtest \"%.40s\"", id);
		return;
	}
	if (b->state != BT_DONE) {
		api_error(req, 409, "conflict", "backtest %s is %s: no report", id, b->state == BT_RUNNING ? "running" : "failed");
		return;
	}
	char path[4300];
	snprintf(path, sizeof path, "%s/%s", b->out_dir, file);
	FILE *f = fopen(path, "rb");
	if (!f) {
		api_error(req, 404, "not_found", "report %s of backtest %s is missing", file, id);
		return;
	}
	char *data = NULL;
	size_t len = 0, cap = 0;
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 65536;
			char *grown = realloc(data, cap);
			if (!grown)
				break;
			data = grown;
		}
		size_t got = fread(data + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	fclose(f);
	http_respond(req, 200, ctype, data ? data : "", len);
	free(data);
}

void api_h_backtest_report(api *a, http_request *req, const json_t *body)
{
	(void)body;
	serve_report(a, req, "report.json", "application/json");
}

void api_h_backtest_report_html(api *a, http_request *req, const json_t *body)
{
	(void)body;
	serve_report(a, req, "report.html", "text/html; charset=utf-8");
}

void api_backtests_stop(api *a)
{
	host_cancel_timers(a->host, &a->bt_timer);
	for (size_t i = 0; i < a->nbacktests; i++) {
		api_backtest *b = a->backtests[i];
		if (b->pid > 0) {
			kill(b->pid, SIGTERM);
			waitpid(b->pid, NULL, 0);
			b->pid = 0;
		}
		close_pipe(&b->progress_ev, &b->progress_fd);
		close_pipe(&b->err_ev, &b->err_fd);
		free(b);
	}
	a->nbacktests = 0;
}
