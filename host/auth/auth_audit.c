/* The audit log: one JSON object per line, appended with a single write()
 * per record (O_APPEND), so lines from concurrent writers never interleave
 * and nothing sits in a stdio buffer when the process dies. */
#include "auth/auth.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct auth_audit {
	int fd;
};

auth_audit *auth_audit_open(const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open audit log %s: %s", path, strerror(errno));
		return NULL;
	}
	auth_audit *a = malloc(sizeof *a);
	if (!a) {
		close(fd);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	a->fd = fd;
	return a;
}

void auth_audit_close(auth_audit *a)
{
	if (!a)
		return;
	close(a->fd);
	free(a);
}

/* RFC 3339 UTC with milliseconds. */
static void format_ts(int64_t now_ns, char *buf, size_t cap)
{
	time_t secs = (time_t)(now_ns / 1000000000LL);
	struct tm tm;
	gmtime_r(&secs, &tm);
	char date[32];
	strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, cap, "%s.%03dZ", date, (int)((now_ns / 1000000) % 1000));
}

int auth_audit_write(auth_audit *a, int64_t now_ns, const char *token_name, auth_role role, const char *method,
	const char *path, int status, const char *peer, const char *detail)
{
	if (!a)
		return -1;
	char ts[48];
	format_ts(now_ns, ts, sizeof ts);
	/* json_string rejects invalid UTF-8; fall back so a hostile path cannot
	 * suppress its own audit line. */
	json_t *o = json_object();
	json_object_set_new(o, "ts", json_string(ts));
	json_object_set_new(o, "token", token_name ? json_string(token_name) : json_null());
	json_object_set_new(o, "role", json_string(auth_role_name(role)));
	json_object_set_new(o, "method", json_string(method ? method : ""));
	json_t *p = json_string(path ? path : "");
	json_object_set_new(o, "path", p ? p : json_string("(not UTF-8)"));
	json_object_set_new(o, "status", json_integer(status));
	json_object_set_new(o, "peer", json_string(peer ? peer : ""));
	if (detail && detail[0]) {
		json_t *d = json_string(detail);
		json_object_set_new(o, "detail", d ? d : json_string("(not UTF-8)"));
	}
	char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (!text)
		return -1;
	size_t len = strlen(text);
	text[len] = '\n'; /* replaces the NUL: one write for the whole line */
	ssize_t w;
	do
		w = write(a->fd, text, len + 1);
	while (w < 0 && errno == EINTR);
	free(text);
	return w == (ssize_t)(len + 1) ? 0 : -1;
}
