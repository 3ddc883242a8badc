/* The front door's guard and observer: who is calling (bearer token, or
 * ?access_token= on the WebSocket route only), may they (route tag = minimum
 * role), are they over their rate, and the audit line and request metrics
 * once the response is out. */
#include "frontdoor/fd_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "common/log.h"

static int64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int64_t wall_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* --- identities handed to handlers --- */

static const auth_token_info *remember_user(fd_impl *d, const auth_token_info *info)
{
	for (size_t i = 0; i < d->nusers; i++) {
		if (strcmp(d->users[i]->name, info->name) == 0) {
			*d->users[i] = *info; /* a re-created token may have another role */
			return d->users[i];
		}
	}
	if (d->nusers == d->capusers) {
		size_t ncap = d->capusers ? d->capusers * 2 : 8;
		auth_token_info **nu = realloc(d->users, ncap * sizeof *nu);
		if (!nu)
			return NULL;
		d->users = nu;
		d->capusers = ncap;
	}
	auth_token_info *u = malloc(sizeof *u);
	if (!u)
		return NULL;
	*u = *info;
	d->users[d->nusers++] = u;
	return u;
}

/* Pick up `tradehost token create/revoke` done by another process: reopen
 * the token file when its identity or mtime changed. A broken file keeps
 * the tokens loaded before (and is logged once). */
static void refresh_tokens(fd_impl *d)
{
	frontdoor *fd = &d->pub;
	struct stat st;
	int exists = stat(fd->cfg.tokens_file, &st) == 0;
	if (d->have_tokens_st == exists && (!exists || (st.st_ino == d->tokens_st.st_ino &&
							  st.st_size == d->tokens_st.st_size &&
							  st.st_mtim.tv_sec == d->tokens_st.st_mtim.tv_sec &&
							  st.st_mtim.tv_nsec == d->tokens_st.st_mtim.tv_nsec)))
		return;
	char err[512];
	auth_store *s = auth_open(fd->cfg.tokens_file, err, sizeof err);
	if (!s) {
		if (!d->tokens_reload_failed)
			log_error("token file changed but cannot be read, keeping the previous tokens: %s", err);
		d->tokens_reload_failed = 1;
		d->tokens_st = st;
		d->have_tokens_st = exists;
		return;
	}
	auth_close(fd->auth);
	fd->auth = s;
	d->tokens_reload_failed = 0;
	d->tokens_st = st;
	d->have_tokens_st = exists;
	log_info("token file reloaded: %zu token(s)", auth_count(s));
}

void fd_note_tokens_file(fd_impl *d)
{
	d->have_tokens_st = stat(d->pub.cfg.tokens_file, &d->tokens_st) == 0;
}

/* --- the guard --- */

static const char *presented_token(http_request *req)
{
	const char *h = http_request_header(req, "Authorization");
	if (h) {
		while (*h == ' ')
			h++;
		if (strncasecmp(h, "Bearer ", 7) != 0)
			return "";
		h += 7;
		while (*h == ' ')
			h++;
		return h;
	}
	/* Browsers cannot set headers on a WebSocket: the query parameter is
	 * accepted there and nowhere else (URLs end up in logs and history). */
	if (strcmp(http_request_method(req), "GET") == 0 && strcmp(http_request_path(req), "/api/v1/ws") == 0)
		return http_request_query(req, "access_token");
	return NULL;
}

/* The minimum role of a request: the route's tag, except that health and
 * metrics can be made private in [http]. */
static int required_role(const frontdoor *fd, http_request *req, int tag)
{
	if (tag != AUTH_PUBLIC)
		return tag;
	const char *path = http_request_path(req);
	if (!fd->cfg.public_health && (strcmp(path, "/api/v1/health") == 0 || strcmp(path, "/api/v1/ready") == 0))
		return AUTH_VIEWER;
	if (!fd->cfg.public_metrics && strcmp(path, "/metrics") == 0)
		return AUTH_VIEWER;
	return AUTH_PUBLIC;
}

static int guard(http_request *req, int tag, void *arg)
{
	fd_impl *d = arg;
	frontdoor *fd = &d->pub;
	int need = required_role(fd, req, tag);
	if (!fd->cfg.auth) {
		http_request_set_user(req, &d->nobody);
		return 0;
	}
	const char *token = presented_token(req);
	if (need == AUTH_PUBLIC && !token)
		return 0;
	refresh_tokens(d);
	auth_token_info info;
	if (!token || auth_check(fd->auth, token, &info) != 0) {
		if (need == AUTH_PUBLIC)
			return 0; /* a public route does not fail because of a bad token */
		http_response_header(req, "WWW-Authenticate", token ? "Bearer realm=\"tradehost\", error=\"invalid_token\""
								    : "Bearer realm=\"tradehost\"");
		http_respond_error(req, 401, "unauthorized", "authentication required");
		return -1;
	}
	const auth_token_info *user = remember_user(d, &info);
	http_request_set_user(req, (void *)user);
	uint32_t retry_ms = 0;
	if (!auth_limiter_allow(fd->limiter, info.name, mono_ns(), &retry_ms)) {
		char secs[16], msg[256];
		snprintf(secs, sizeof secs, "%u", (retry_ms + 999) / 1000);
		http_response_header(req, "Retry-After", secs);
		snprintf(msg, sizeof msg, "token \"%s\" is over its rate limit of %u requests/s (burst %u); retry in %u ms",
			info.name, fd->cfg.rate_per_second, fd->cfg.rate_burst, retry_ms);
		http_respond_error(req, 429, "rate_limited", msg);
		return -1;
	}
	if ((int)info.role < need) {
		char msg[256];
		snprintf(msg, sizeof msg, "%s %s needs the %s role; token \"%s\" has %s", http_request_method(req),
			http_request_path(req), auth_role_name((auth_role)need), info.name, auth_role_name(info.role));
		http_respond_error(req, 403, "forbidden", msg);
		return -1;
	}
	return 0;
}

/* --- the observer: audit and request metrics --- */

static void observer(http_request *req, int status, void *arg)
{
	fd_impl *d = arg;
	frontdoor *fd = &d->pub;
	if (fd->metrics)
		fd_metrics_observe(fd->metrics, req, status);
	const char *m = http_request_method(req);
	if (!fd->audit || strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0)
		return;
	const auth_token_info *u = http_request_user(req);
	/* Requests the server answered itself (404, 405, 413 ...) never met the
	 * guard: still name the caller if a valid token came with them. */
	auth_token_info seen;
	const char *token = u ? NULL : presented_token(req);
	if (token && auth_check(fd->auth, token, &seen) == 0)
		u = &seen;
	if (auth_audit_write(fd->audit, wall_ns(), u ? u->name : NULL, u ? u->role : AUTH_PUBLIC, m,
		    http_request_path(req), status, http_request_peer(req), NULL) != 0)
		log_error("cannot write the audit log %s", fd->cfg.audit_log);
}

void fd_guard_install(fd_impl *d)
{
	http_server_set_guard(d->pub.http, guard, d);
	http_server_set_observer(d->pub.http, observer, d);
}
