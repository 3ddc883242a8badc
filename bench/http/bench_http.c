/*
 * bench_http: requests/s of our HTTP server (host/http) beside libevent's evhttp, both
 * serving the same ~50-byte JSON body from one event loop in this process, measured with
 * wrk under the same settings. Rounds alternate ours/evhttp so both see the same machine
 * conditions; the medians and the median per-round ratio are printed.
 *
 *   bench_http [seconds=5] [rounds=3] [connections=50]      (needs wrk: apt-get install wrk)
 *
 * wrk runs as a child process whose output comes back through a pipe watched by the same
 * loop, so the servers never share a thread with anything but each other.
 */
#include "http/http.h"

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static const char BODY[] = "{\"status\":\"ok\",\"service\":\"tradehost\",\"seq\":12345}";

typedef struct run {
	const char *label;
	uint16_t port;
	double rps[64];
	double cpu_us[64]; /* server CPU (this process, user+sys) per request */
	long non2xx, errors;
} run;

typedef struct bench {
	struct event_base *base;
	run runs[2];
	int seconds, rounds, conns;
	int step; /* runs so far: even = ours, odd = evhttp */
	pid_t child;
	struct event *pipe_ev;
	double cpu_start; /* process CPU seconds when the current wrk run started */
	char out[16384];
	size_t out_len;
	int failed;
} bench;

static void ours_hello(http_request *r, void *arg)
{
	(void)arg;
	http_respond(r, 200, "application/json", BODY, sizeof(BODY) - 1);
}

static void evhttp_hello(struct evhttp_request *req, void *arg)
{
	(void)arg;
	struct evbuffer *b = evbuffer_new();
	evbuffer_add(b, BODY, sizeof(BODY) - 1);
	evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type", "application/json");
	evhttp_send_reply(req, 200, "OK", b);
	evbuffer_free(b);
}

static void start_next(bench *b);

static double cpu_seconds(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
	       ((double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_usec) / 1e6;
}

static void parse_wrk(bench *b, run *r)
{
	double rps = 0;
	const char *p = strstr(b->out, "Requests/sec:");
	if (!p || sscanf(p, "Requests/sec: %lf", &rps) != 1) {
		fprintf(stderr, "bench_http: could not read wrk's output:\n%s\n", b->out);
		b->failed = 1;
	}
	r->rps[b->step / 2] = rps;
	/* CPU per request is steadier than req/s when other jobs share the cores */
	long total = 0;
	if ((p = strstr(b->out, "requests in")) != NULL) {
		const char *q = p;
		while (q > b->out && q[-1] != '\n')
			q--;
		sscanf(q, " %ld requests in", &total);
	}
	r->cpu_us[b->step / 2] = total > 0 ? (cpu_seconds() - b->cpu_start) * 1e6 / (double)total : 0;
	long n = 0;
	if ((p = strstr(b->out, "Non-2xx or 3xx responses:")) && sscanf(p, "Non-2xx or 3xx responses: %ld", &n) == 1)
		r->non2xx += n;
	long c = 0, rd = 0, w = 0, t = 0;
	if ((p = strstr(b->out, "Socket errors:")) &&
		sscanf(p, "Socket errors: connect %ld, read %ld, write %ld, timeout %ld", &c, &rd, &w, &t) == 4)
		r->errors += c + rd + w + t;
	printf("  round %d %-8s %10.0f req/s %8.2f us CPU/request\n", b->step / 2 + 1, r->label, rps,
		r->cpu_us[b->step / 2]);
	fflush(stdout);
}

static void pipe_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)what;
	bench *b = arg;
	ssize_t n = read(fd, b->out + b->out_len, sizeof(b->out) - b->out_len - 1);
	if (n > 0) {
		b->out_len += (size_t)n;
		b->out[b->out_len] = '\0';
		return;
	}
	if (n < 0 && errno == EINTR)
		return;
	/* EOF: wrk is done */
	event_free(b->pipe_ev);
	b->pipe_ev = NULL;
	close(fd);
	int status = 0;
	waitpid(b->child, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "bench_http: wrk failed (is it installed? apt-get install wrk)\n%s\n", b->out);
		b->failed = 1;
		event_base_loopbreak(b->base);
		return;
	}
	parse_wrk(b, &b->runs[b->step % 2]);
	b->step++;
	start_next(b);
}

static void start_next(bench *b)
{
	if (b->step >= 2 * b->rounds || b->failed) {
		event_base_loopbreak(b->base);
		return;
	}
	run *r = &b->runs[b->step % 2];
	char url[64], dur[16], conns[16];
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/hello", (unsigned)r->port);
	snprintf(dur, sizeof(dur), "%ds", b->seconds);
	snprintf(conns, sizeof(conns), "%d", b->conns);
	char *argv[] = { "wrk", "-t1", "-c", conns, "-d", dur, url, NULL };
	int fds[2];
	if (pipe(fds) != 0) {
		perror("pipe");
		b->failed = 1;
		event_base_loopbreak(b->base);
		return;
	}
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
	posix_spawn_file_actions_addclose(&fa, fds[0]);
	int rc = posix_spawnp(&b->child, "wrk", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (rc != 0) {
		fprintf(stderr, "bench_http: cannot run wrk: %s (apt-get install wrk)\n", strerror(rc));
		close(fds[0]);
		b->failed = 1;
		event_base_loopbreak(b->base);
		return;
	}
	b->out_len = 0;
	b->out[0] = '\0';
	b->cpu_start = cpu_seconds();
	b->pipe_ev = event_new(b->base, fds[0], EV_READ | EV_PERSIST, pipe_cb, b);
	event_add(b->pipe_ev, NULL);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(const double *v, int n)
{
	double s[64];
	memcpy(s, v, (size_t)n * sizeof(double));
	qsort(s, (size_t)n, sizeof(double), cmp_double);
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

int main(int argc, char **argv)
{
	bench b = { .seconds = 5, .rounds = 3, .conns = 50 };
	if (argc > 1)
		b.seconds = atoi(argv[1]);
	if (argc > 2)
		b.rounds = atoi(argv[2]);
	if (argc > 3)
		b.conns = atoi(argv[3]);
	if (b.seconds < 1 || b.rounds < 1 || b.rounds > 64 || b.conns < 1) {
		fprintf(stderr, "usage: bench_http [seconds>=1] [rounds 1..64] [connections>=1]\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	b.base = event_base_new();

	char err[256];
	http_server_options o = { .port = 0, .max_connections = 10000 };
	http_server *ours = http_server_create(b.base, &o, err, sizeof(err));
	if (!ours) {
		fprintf(stderr, "bench_http: %s\n", err);
		return 1;
	}
	http_server_route(ours, "GET", "/hello", 0, ours_hello, NULL);

	struct evhttp *eh = evhttp_new(b.base);
	struct evhttp_bound_socket *sock = evhttp_bind_socket_with_handle(eh, "127.0.0.1", 0);
	if (!sock) {
		fprintf(stderr, "bench_http: evhttp cannot bind 127.0.0.1\n");
		return 1;
	}
	evhttp_set_cb(eh, "/hello", evhttp_hello, NULL);
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	getsockname(evhttp_bound_socket_get_fd(sock), (struct sockaddr *)&ss, &sl);

	b.runs[0] = (run){ .label = "ours", .port = http_server_port(ours) };
	b.runs[1] = (run){ .label = "evhttp", .port = ntohs(((struct sockaddr_in *)&ss)->sin_port) };
	printf("bench_http: wrk -t1 -c%d -d%ds, %d rounds, body %zu bytes, ours :%u, evhttp :%u\n", b.conns,
		b.seconds, b.rounds, sizeof(BODY) - 1, (unsigned)b.runs[0].port, (unsigned)b.runs[1].port);
	start_next(&b);
	event_base_dispatch(b.base);

	int rc = b.failed;
	if (!b.failed) {
		double ratios[64], cpu_ratios[64];
		for (int i = 0; i < b.rounds; i++) {
			ratios[i] = b.runs[1].rps[i] > 0 ? b.runs[0].rps[i] / b.runs[1].rps[i] : 0;
			cpu_ratios[i] = b.runs[0].cpu_us[i] > 0 ? b.runs[1].cpu_us[i] / b.runs[0].cpu_us[i] : 0;
		}
		printf("\n%-8s %12s %14s %10s %8s\n", "server", "median req/s", "median us/req", "non-2xx", "errors");
		for (int k = 0; k < 2; k++)
			printf("%-8s %12.0f %14.2f %10ld %8ld\n", b.runs[k].label, median(b.runs[k].rps, b.rounds),
				median(b.runs[k].cpu_us, b.rounds), b.runs[k].non2xx, b.runs[k].errors);
		printf("ratio ours/evhttp: %.2f req/s (median of per-round ratios; target >= 0.70)\n",
			median(ratios, b.rounds));
		printf("ratio ours/evhttp: %.2f by CPU per request (evhttp us / ours us; > 1 = ours cheaper)\n",
			median(cpu_ratios, b.rounds));
		if (b.runs[0].non2xx || b.runs[0].errors)
			printf("warning: our server had non-2xx responses or socket errors\n");
	}
	if (b.pipe_ev)
		event_free(b.pipe_ev);
	evhttp_free(eh);
	http_server_free(ours);
	event_base_free(b.base);
	return rc;
}
