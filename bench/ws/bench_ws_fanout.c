/*
 * bench_ws_fanout — WebSocket fan-out of the hub (host/ws) beside a raw TCP
 * baseline measured in the same run (docs/benchmarks/ws.md).
 *
 * One process: the server loop on the main thread, all clients on a second
 * thread with its own event_base. N clients subscribe to one topic; the
 * server publishes M messages at a steady rate (a batch every millisecond);
 * every message carries its publish time, so each delivery gives a latency.
 *   ws:  http_server + ws_hub_accept on GET /ws, ws_hub_publish per message;
 *        clients are RFC 6455 clients built from the codec.
 *   raw: a plain listener; the same message bytes written to every
 *        connection's bufferevent, newline-delimited, no framing, no topics.
 *
 * Usage: bench_ws_fanout [clients=1000] [messages=2000] [rate/s=200] [payload=100] [repetitions=3]
 */
#include "bench_ws.h"

#include "http/http.h"
#include "ws/ws.h"

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <event2/thread.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

typedef struct server {
	bw_run *run;
	struct event_base *base;
	size_t rate;
	size_t payload;
	/* ws */
	http_server *http;
	ws_hub *hub;
	/* raw */
	struct evconnlistener *listener;
	struct bufferevent **raw;
	size_t nraw;
	/* publishing */
	size_t published;
	uint64_t start_ns, last_pub_ns, done_ns, cpu0, cpu1;
	char *pad;
	struct event *tick;
} server;

static void on_ws(http_request *req, void *arg)
{
	server *s = arg;
	ws_hub_accept(s->hub, req, "bench");
}

static void on_raw_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa, int len, void *arg)
{
	(void)l;
	(void)sa;
	(void)len;
	server *s = arg;
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	struct bufferevent *bev = bufferevent_socket_new(s->base, fd, BEV_OPT_CLOSE_ON_FREE);
	bufferevent_enable(bev, EV_WRITE);
	s->raw[s->nraw++] = bev;
}

/* One message: {"t":<publish ns>,"seq":n,"pad":"xx..."} */
static size_t make_message(server *s, char *buf, size_t cap)
{
	int n = snprintf(buf, cap, "{\"t\":%llu,\"seq\":%zu,\"pad\":\"%s\"}", (unsigned long long)bw_now_ns(),
		s->published, s->pad);
	return n < 0 ? 0 : (size_t)n;
}

static void publish_one(server *s)
{
	char msg[8192];
	size_t n = make_message(s, msg, sizeof(msg));
	if (s->run->mode == BW_MODE_WS) {
		ws_hub_publish(s->hub, "bench", NULL, msg, n);
	} else {
		/* the same bytes a WebSocket client receives in its frame payload, plus a newline */
		char line[8300];
		int ln = snprintf(line, sizeof(line), "{\"topic\":\"bench\",\"data\":%.*s}\n", (int)n, msg);
		for (size_t i = 0; i < s->nraw; i++)
			bufferevent_write(s->raw[i], line, (size_t)ln);
	}
	s->published++;
}

static void tick_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	server *s = arg;
	bw_run *run = s->run;
	uint64_t now = bw_now_ns();
	if (!s->start_ns) {
		/* wait until every client is subscribed (or connected, raw) */
		if (atomic_load(&run->connected) + atomic_load(&run->failed) < run->clients)
			return;
		s->start_ns = now;
		s->cpu0 = bw_thread_cpu_ns();
	}
	/* steady rate: catch up to where the schedule says we should be */
	size_t due = (size_t)((now - s->start_ns) * s->rate / 1000000000u) + 1;
	if (due > run->messages)
		due = run->messages;
	while (s->published < due)
		publish_one(s);
	if (s->published == run->messages && !s->last_pub_ns)
		s->last_pub_ns = now;
	size_t want = run->messages * (atomic_load(&run->connected));
	if (s->published == run->messages &&
		(atomic_load(&run->delivered) >= want || now - s->last_pub_ns > 30000000000ull)) {
		s->done_ns = now;
		s->cpu1 = bw_thread_cpu_ns();
		event_base_loopbreak(s->base);
	}
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

typedef struct result {
	double msgs_per_s, p50_us, p99_us, max_us, server_ns_per_msg;
	size_t delivered, failed, dropped;
} result;

static int run_mode(bw_mode mode, size_t clients, size_t messages, size_t rate, size_t payload, result *res)
{
	bw_run *run = calloc(1, sizeof(*run));
	server s = { .run = run, .rate = rate, .payload = payload };
	run->mode = mode;
	run->clients = clients;
	run->messages = messages;
	run->lat_ns = malloc(clients * messages * sizeof(uint32_t));
	s.pad = malloc(payload + 1);
	s.raw = calloc(clients, sizeof(*s.raw));
	if (!run->lat_ns || !s.pad || !s.raw)
		return -1;
	memset(s.pad, 'x', payload);
	s.pad[payload] = '\0';
	s.base = event_base_new();

	if (mode == BW_MODE_WS) {
		char err[256];
		http_server_options ho = { .bind_addr = "127.0.0.1", .max_connections = clients + 16 };
		s.http = http_server_create(s.base, &ho, err, sizeof(err));
		if (!s.http) {
			fprintf(stderr, "bench_ws_fanout: %s\n", err);
			return -1;
		}
		static const char *const topics[] = { "bench", NULL };
		/* queues sized so a steady run never drops: this measures fan-out, not overload */
		ws_hub_options wo = { .max_clients = clients + 16, .max_queue_bytes = 16u << 20, .topics = topics };
		s.hub = ws_hub_create(s.base, &wo);
		http_server_route(s.http, "GET", "/ws", 0, on_ws, &s);
		run->port = http_server_port(s.http);
	} else {
		struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = 0 };
		sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		s.listener = evconnlistener_new_bind(s.base, on_raw_accept, &s, LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE,
			1024, (struct sockaddr *)&sin, sizeof(sin));
		if (!s.listener) {
			perror("bench_ws_fanout: listen");
			return -1;
		}
		struct sockaddr_in bound;
		socklen_t bl = sizeof(bound);
		getsockname(evconnlistener_get_fd(s.listener), (struct sockaddr *)&bound, &bl);
		run->port = ntohs(bound.sin_port);
	}
	s.tick = event_new(s.base, -1, EV_PERSIST, tick_cb, &s);
	struct timeval tv = { 0, 1000 };
	event_add(s.tick, &tv);

	pthread_t th;
	pthread_create(&th, NULL, bw_client_thread, run);
	event_base_dispatch(s.base);
	atomic_store(&run->stop, true);
	pthread_join(th, NULL);

	size_t n = atomic_load(&run->nlat);
	if (n > clients * messages)
		n = clients * messages;
	qsort(run->lat_ns, n, sizeof(uint32_t), cmp_u32);
	res->delivered = atomic_load(&run->delivered);
	res->failed = atomic_load(&run->failed);
	double secs = (double)(s.done_ns - s.start_ns) / 1e9;
	res->msgs_per_s = secs > 0 ? (double)res->delivered / secs : 0;
	res->p50_us = n ? run->lat_ns[n / 2] / 1e3 : 0;
	res->p99_us = n ? run->lat_ns[(size_t)((double)n * 0.99)] / 1e3 : 0;
	res->max_us = n ? run->lat_ns[n - 1] / 1e3 : 0;
	res->server_ns_per_msg = res->delivered ? (double)(s.cpu1 - s.cpu0) / (double)res->delivered : 0;
	res->dropped = 0;
	if (s.hub) {
		ws_hub_stats st;
		ws_hub_stats_get(s.hub, &st);
		res->dropped = st.dropped_slow;
		ws_hub_free(s.hub);
		http_server_free(s.http);
	}
	for (size_t i = 0; i < s.nraw; i++)
		bufferevent_free(s.raw[i]);
	if (s.listener)
		evconnlistener_free(s.listener);
	event_free(s.tick);
	event_base_free(s.base);
	free(s.raw);
	free(s.pad);
	free(run->lat_ns);
	free(run);
	return 0;
}

static void print_row(const char *name, int rep, const result *r, size_t expect)
{
	printf("%-4s %3d %10zu/%-10zu %10.0f %9.1f %9.1f %10.1f %13.0f %7zu %8zu\n", name, rep, r->delivered, expect,
		r->msgs_per_s, r->p50_us, r->p99_us, r->max_us, r->server_ns_per_msg, r->failed, r->dropped);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(double), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

#define MAX_REPS 15

int main(int argc, char **argv)
{
	size_t clients = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000;
	size_t messages = argc > 2 ? strtoul(argv[2], NULL, 10) : 2000;
	size_t rate = argc > 3 ? strtoul(argv[3], NULL, 10) : 200;
	size_t payload = argc > 4 ? strtoul(argv[4], NULL, 10) : 100;
	int reps = argc > 5 ? atoi(argv[5]) : 3;
	if (!clients || !messages || !rate || payload > 4096 || reps < 1 || reps > MAX_REPS) {
		fprintf(stderr, "usage: %s [clients] [messages] [rate/s] [payload bytes <= 4096] [repetitions <= %d]\n",
			argv[0], MAX_REPS);
		return 2;
	}
	/* two descriptors per connection (both ends live in this process) */
	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	rlim_t want = (rlim_t)(2 * clients + 64);
	if (rl.rlim_cur < want) {
		rl.rlim_cur = want < rl.rlim_max ? want : rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur < want) {
		fprintf(stderr, "bench_ws_fanout: need %llu file descriptors, the hard limit is %llu\n",
			(unsigned long long)want, (unsigned long long)rl.rlim_max);
		return 1;
	}
	evthread_use_pthreads();

	printf("bench_ws_fanout: %zu clients, %zu messages at %zu/s, %zu-byte pad, %d repetitions (raw and ws alternate)\n",
		clients, messages, rate, payload, reps);
	printf("mode rep  delivered/expected     msgs/s   p50 us    p99 us     max us server ns/msg  failed  dropped\n");
	double thr[MAX_REPS], p99[MAX_REPS], cpu[MAX_REPS];
	bool ok = true;
	size_t expect = clients * messages;
	for (int r = 0; r < reps; r++) {
		result raw, ws;
		if (run_mode(BW_MODE_RAW, clients, messages, rate, payload, &raw) != 0 ||
			run_mode(BW_MODE_WS, clients, messages, rate, payload, &ws) != 0)
			return 1;
		print_row("raw", r + 1, &raw, expect);
		print_row("ws", r + 1, &ws, expect);
		fflush(stdout);
		thr[r] = raw.msgs_per_s > 0 ? ws.msgs_per_s / raw.msgs_per_s : 0;
		p99[r] = raw.p99_us > 0 ? ws.p99_us / raw.p99_us : 0;
		cpu[r] = raw.server_ns_per_msg > 0 ? ws.server_ns_per_msg / raw.server_ns_per_msg : 0;
		ok = ok && ws.delivered == expect && raw.delivered == expect && !ws.failed && !raw.failed && !ws.dropped;
	}
	printf("ratio ws/raw (median of %d): throughput %.2f, p99 latency %.2f, server CPU per message %.2f\n", reps,
		median(thr, reps), median(p99, reps), median(cpu, reps));
	if (!ok)
		printf("WARNING: not every message reached every client\n");
	return ok ? 0 : 1;
}
