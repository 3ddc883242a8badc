#include "runtime/control.h"

#include <errno.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/listener.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/log.h"
#include "runtime/runtime_internal.h"

struct control {
	host_t *host;
	struct evconnlistener *listener;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
};

static int fill_addr(struct sockaddr_un *sa, const char *path)
{
	memset(sa, 0, sizeof *sa);
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sa->sun_path)
		return -1;
	strcpy(sa->sun_path, path);
	return 0;
}

static void reply_status(host_t *h, struct evbuffer *out)
{
	size_t n = host_instance_count(h);
	evbuffer_add_printf(out, "ok %zu instance(s)\n", n);
	for (size_t i = 0; i < n; i++) {
		host_instance_info info;
		host_instance_info_at(h, i, &info);
		evbuffer_add_printf(out, "%s %s %s %s %u %s\n", info.name, info.plugin, info.kind,
			info.version[0] ? info.version : "-", info.generation, info.running ? "running" : "stopped");
	}
}

static void on_event(struct bufferevent *bev, short what, void *arg)
{
	(void)what;
	(void)arg;
	bufferevent_free(bev);
}

static void on_written(struct bufferevent *bev, void *arg)
{
	(void)arg;
	if (evbuffer_get_length(bufferevent_get_output(bev)) == 0)
		bufferevent_free(bev);
}

static void on_read(struct bufferevent *bev, void *arg)
{
	control *c = arg;
	struct evbuffer *in = bufferevent_get_input(bev), *out = bufferevent_get_output(bev);
	size_t len;
	char *line = evbuffer_readln(in, &len, EVBUFFER_EOL_LF);
	if (!line) {
		if (evbuffer_get_length(in) > 256) /* nobody sends that much; stop listening to it */
			bufferevent_free(bev);
		return;
	}
	if (strcmp(line, "reload") == 0) {
		char summary[1024];
		if (bus_dispatching(c->host->bus)) {
			host_schedule_reload(c->host);
			evbuffer_add_printf(out, "ok reload scheduled\n");
		} else {
			int failures = host_reload(c->host, summary, sizeof summary);
			log_msg(failures ? TH_LOG_ERROR : TH_LOG_INFO, NULL, "reload (control socket): %s", summary);
			evbuffer_add_printf(out, "%s %s\n", failures ? "error" : "ok", summary);
		}
	} else if (strcmp(line, "status") == 0) {
		reply_status(c->host, out);
	} else {
		/* commands registered by other subsystems: "name args..." */
		char name[32] = "", reply[1024] = "";
		const char *args = strchr(line, ' ');
		size_t n = args ? (size_t)(args - line) : strlen(line);
		if (n < sizeof name)
			memcpy(name, line, n);
		name[n < sizeof name ? n : 0] = '\0';
		int rc = host_run_command(c->host, name, args ? args + 1 : "", reply, sizeof reply);
		if (rc < 0)
			evbuffer_add_printf(out, "error unknown command \"%.64s\" (known: reload, status, kill, resume, "
				"state)\n", line);
		else
			evbuffer_add_printf(out, "%s %s\n", rc == 0 ? "ok" : "error", reply);
	}
	free(line);
	/* One request per connection: stop reading, close once the reply is out. */
	bufferevent_disable(bev, EV_READ);
	bufferevent_setcb(bev, NULL, on_written, on_event, c);
	bufferevent_enable(bev, EV_WRITE);
}

static void on_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa, int salen, void *arg)
{
	(void)sa;
	(void)salen;
	struct bufferevent *bev = bufferevent_socket_new(evconnlistener_get_base(l), fd, BEV_OPT_CLOSE_ON_FREE);
	if (!bev) {
		close(fd);
		return;
	}
	bufferevent_setcb(bev, on_read, NULL, on_event, arg);
	bufferevent_enable(bev, EV_READ);
}

control *control_open(host_t *h, struct event_base *base, const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sa;
	if (fill_addr(&sa, path) != 0) {
		snprintf(err, errlen, "control socket path too long: %s", path);
		return NULL;
	}
	/* A socket file that answers belongs to a running host: never steal it. */
	char reply[64];
	if (control_request(path, "status", reply, sizeof reply) >= 0) {
		snprintf(err, errlen, "another tradehost is already running with control socket %s", path);
		return NULL;
	}
	unlink(path); /* stale file from a host that died */
	control *c = calloc(1, sizeof *c);
	if (!c) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	c->host = h;
	snprintf(c->path, sizeof c->path, "%s", path);
	mode_t old = umask(0177);
	c->listener = evconnlistener_new_bind(base, on_accept, c, LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, 16,
		(struct sockaddr *)&sa, (int)sizeof sa);
	umask(old);
	if (!c->listener) {
		snprintf(err, errlen, "cannot listen on control socket %s: %s", path, strerror(errno));
		free(c);
		return NULL;
	}
	return c;
}

void control_close(control *c)
{
	if (!c)
		return;
	evconnlistener_free(c->listener);
	unlink(c->path);
	free(c);
}

int control_request(const char *path, const char *command, char *reply, size_t cap)
{
	struct sockaddr_un sa;
	if (fill_addr(&sa, path) != 0)
		return -1;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		close(fd);
		return -1;
	}
	char line[128];
	int n = snprintf(line, sizeof line, "%s\n", command);
	if (write(fd, line, (size_t)n) != n) {
		close(fd);
		return -1;
	}
	size_t got = 0;
	while (got + 1 < cap) {
		ssize_t r = read(fd, reply + got, cap - 1 - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	reply[got] = '\0';
	if (got == 0)
		return -1;
	return strncmp(reply, "ok", 2) == 0 ? 0 : 1;
}
