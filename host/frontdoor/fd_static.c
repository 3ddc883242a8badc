/* The dashboard's built files as the HTTP fallback (GET/HEAD of any path no
 * route serves). Public: the single-page app logs in on the client side.
 *
 * Safety: the path is walked one segment at a time with openat() from the
 * dashboard directory, every open with O_NOFOLLOW, and ".", ".." and hidden
 * segments are refused, so nothing outside the directory is ever opened,
 * symlinks included. SPA routing: a path that is not a file gets index.html,
 * except under /api/ and /assets/ (a missing asset is a real 404). */
#include "frontdoor/fd_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FD_STATIC_MAX_FILE ((size_t)64 << 20)

static const char *content_type(const char *name)
{
	static const struct { const char *ext, *type; } types[] = {
		{ ".html", "text/html; charset=utf-8" }, { ".js", "text/javascript; charset=utf-8" },
		{ ".mjs", "text/javascript; charset=utf-8" }, { ".css", "text/css; charset=utf-8" },
		{ ".svg", "image/svg+xml" }, { ".png", "image/png" }, { ".json", "application/json" },
		{ ".map", "application/json" }, { ".woff2", "font/woff2" }, { ".woff", "font/woff" },
		{ ".ico", "image/x-icon" }, { ".txt", "text/plain; charset=utf-8" }, { ".webmanifest", "application/manifest+json" },
		{ ".jpg", "image/jpeg" }, { ".webp", "image/webp" },
	};
	const char *dot = strrchr(name, '.');
	for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

/* Opens `path` (absolute URL path) below dirfd. Returns an fd, or -1 with
 * errno: EINVAL for a refused segment, ENOENT/ENOTDIR/ELOOP otherwise. */
static int open_beneath(int dirfd, const char *path, struct stat *st)
{
	char buf[1024];
	if (strlen(path) >= sizeof buf) {
		errno = ENAMETOOLONG;
		return -1;
	}
	snprintf(buf, sizeof buf, "%s", path);
	int cur = dup(dirfd);
	if (cur < 0)
		return -1;
	char *save = NULL;
	for (char *seg = strtok_r(buf, "/", &save); seg; seg = strtok_r(NULL, "/", &save)) {
		if (seg[0] == '.' || strchr(seg, '\\')) {
			close(cur);
			errno = EINVAL;
			return -1;
		}
		int next = openat(cur, seg, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
		int saved = errno;
		close(cur);
		if (next < 0) {
			errno = saved;
			return -1;
		}
		cur = next;
	}
	if (fstat(cur, st) != 0) {
		close(cur);
		return -1;
	}
	return cur;
}

static int read_all(int fd, size_t size, char **out)
{
	char *buf = malloc(size ? size : 1);
	if (!buf)
		return -1;
	size_t got = 0;
	while (got < size) {
		ssize_t n = read(fd, buf + got, size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			free(buf);
			return -1;
		}
		got += (size_t)n;
	}
	*out = buf;
	return 0;
}

/* Respond with the regular file open on `f` (closes it). */
static void send_file(http_request *req, int f, const struct stat *st, const char *name, int immutable)
{
	char *body = NULL;
	if ((size_t)st->st_size > FD_STATIC_MAX_FILE || read_all(f, (size_t)st->st_size, &body) != 0) {
		close(f);
		http_respond_error(req, 500, "internal", "cannot read the dashboard file");
		return;
	}
	close(f);
	http_response_header(req, "Cache-Control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
	http_response_header(req, "X-Content-Type-Options", "nosniff");
	http_respond(req, 200, content_type(name), body, (size_t)st->st_size);
	free(body);
}

static void serve(http_request *req, void *arg)
{
	const frontdoor *fd = arg;
	const char *dir = fd->cfg.dashboard_dir;
	const char *path = http_request_path(req);
	if (strncmp(path, "/api/", 5) == 0 || strcmp(path, "/api") == 0) {
		http_respond_error(req, 404, "not_found", "no such API route (see /api/v1/openapi.json)");
		return;
	}
	int dirfd = dir[0] ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	if (dirfd < 0) {
		char msg[4400];
		snprintf(msg, sizeof msg, "the dashboard is not installed (looked in \"%s\"; set http.dashboard_dir or build "
			"the dashboard); the API is at /api/v1", dir);
		http_respond_error(req, 404, "not_found", msg);
		return;
	}
	struct stat st;
	int f = open_beneath(dirfd, path, &st);
	if (f < 0 && errno == EINVAL) {
		close(dirfd);
		http_respond_error(req, 400, "bad_path", "path segments must not start with \".\"");
		return;
	}
	if (f >= 0 && S_ISDIR(st.st_mode)) {
		/* A directory: its index.html, else the SPA's. */
		int idx = openat(f, "index.html", O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
		close(f);
		f = idx;
		if (f >= 0 && fstat(f, &st) != 0) {
			close(f);
			f = -1;
		}
		path = "index.html";
	}
	if (f >= 0 && S_ISREG(st.st_mode)) {
		close(dirfd);
		send_file(req, f, &st, path, strncmp(path, "/assets/", 8) == 0);
		return;
	}
	if (f >= 0)
		close(f); /* a device, fifo ...: never served */
	if (strncmp(path, "/assets/", 8) == 0) {
		close(dirfd);
		http_respond_error(req, 404, "not_found", "no such dashboard asset");
		return;
	}
	f = openat(dirfd, "index.html", O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	close(dirfd);
	if (f < 0 || fstat(f, &st) != 0 || !S_ISREG(st.st_mode)) {
		if (f >= 0)
			close(f);
		http_respond_error(req, 404, "not_found", "the dashboard has no index.html");
		return;
	}
	send_file(req, f, &st, "index.html", 0);
}

int fd_static_register(frontdoor *fd, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	http_server_fallback(fd->http, AUTH_PUBLIC, serve, fd);
	return 0;
}
