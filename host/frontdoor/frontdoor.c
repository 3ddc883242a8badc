/* The front door: one HTTP server on the host's loop with the WebSocket hub,
 * bearer-token authentication in one guard, the audit log in the observer,
 * and the modules that register routes on it (REST, AG-UI, /metrics, the
 * dashboard's files). */
#include "frontdoor/fd_internal.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/fsutil.h"
#include "common/log.h"

/* The topics the WebSocket hub accepts (api_contract.md). */
static const char *const ws_topics[] = { "market", "orders", "fills", "positions", "equity", "risk", "goals",
	"alerts", "decisions", NULL };

static int64_t wall_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* --- GET /api/v1/ws, unless the REST module registered it --- */

static void ws_upgrade(http_request *req, void *arg)
{
	frontdoor *fd = arg;
	const auth_token_info *u = http_request_user(req);
	ws_hub_accept(fd->hub, req, u ? u->name : "-");
}

static int has_route(const http_server *s, const char *method, const char *pattern)
{
	for (size_t i = 0; i < http_server_route_count(s); i++) {
		const char *m, *p;
		int tag;
		if (http_server_route_at(s, i, &m, &p, &tag) == 0 && strcmp(m, method) == 0 && strcmp(p, pattern) == 0)
			return 1;
	}
	return 0;
}

/* --- first start --- */

static void login_url(const frontdoor *fd, char *buf, size_t cap)
{
	const char *host = fd->cfg.bind_addr;
	if (strcmp(host, "0.0.0.0") == 0)
		host = "127.0.0.1";
	else if (strcmp(host, "::") == 0)
		host = "::1";
	int v6 = strchr(host, ':') != NULL;
	snprintf(buf, cap, "%s://%s%s%s:%u/", fd->cfg.tls_cert[0] ? "https" : "http", v6 ? "[" : "", host, v6 ? "]" : "",
		(unsigned)http_server_port(fd->http));
}

static int announce(fd_impl *d, char *err, size_t errlen)
{
	frontdoor *fd = &d->pub;
	char url[160];
	login_url(fd, url, sizeof url);
	if (!fd->cfg.auth) {
		fprintf(stderr, "tradehost: dashboard: %s (authentication is off: loopback only)\n", url);
		return 0;
	}
	if (auth_count(fd->auth) > 0) {
		fprintf(stderr, "tradehost: dashboard: %s (log in with a token; `tradehost token create`)\n", url);
		return 0;
	}
	char token[AUTH_TOKEN_CHARS + 1], cerr[512];
	if (auth_create(fd->auth, "admin", AUTH_ADMIN, wall_ns() / 1000000000LL, token, sizeof token, cerr,
		    sizeof cerr) != 0) {
		snprintf(err, errlen, "cannot create the first admin token: %s", cerr);
		return -1;
	}
	fd_note_tokens_file(d);
	/* The only time this token exists in clear: printed once, never logged. */
	fprintf(stderr, "tradehost: dashboard: %s#token=%s\n", url, token);
	fflush(stderr);
	memset(token, 0, sizeof token);
	return 0;
}

/* --- lifecycle --- */

static int ensure_parent_dir(const char *file, char *err, size_t errlen)
{
	char tmp[PATH_MAX];
	snprintf(tmp, sizeof tmp, "%s", file);
	const char *dir = dirname(tmp);
	if (fs_mkdir_p(dir, 0700) != 0) {
		snprintf(err, errlen, "cannot create directory %s for %s: %s", dir, file, strerror(errno));
		return -1;
	}
	return 0;
}

frontdoor *frontdoor_create(host_t *h, trading_t *t, const char *config_path, const frontdoor_config *cfg, char *err,
	size_t errlen)
{
	fd_impl *d = calloc(1, sizeof *d);
	if (!d) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	frontdoor *fd = &d->pub;
	fd->host = h;
	fd->trading = t;
	fd->config_path = config_path;
	fd->cfg = *cfg;
	snprintf(d->nobody.name, sizeof d->nobody.name, "anonymous");
	d->nobody.role = AUTH_ADMIN;
	char e[1024];
	if (ensure_parent_dir(cfg->tokens_file, err, errlen) != 0 || ensure_parent_dir(cfg->audit_log, err, errlen) != 0)
		goto fail;
	if (!(fd->auth = auth_open(cfg->tokens_file, e, sizeof e))) {
		snprintf(err, errlen, "%s", e);
		goto fail;
	}
	fd_note_tokens_file(d);
	if (d->have_tokens_st && (d->tokens_st.st_mode & 022))
		log_warn("token file %s is writable by group or others (mode %03o): anyone who can write it can add "
			 "a token; chmod 600 it", cfg->tokens_file, (unsigned)(d->tokens_st.st_mode & 0777));
	if (!(fd->audit = auth_audit_open(cfg->audit_log, e, sizeof e))) {
		snprintf(err, errlen, "%s", e);
		goto fail;
	}
	if (!(fd->limiter = auth_limiter_create(cfg->rate_per_second, cfg->rate_burst))) {
		snprintf(err, errlen, "http.rate_per_second and http.rate_burst must be at least 1");
		goto fail;
	}
	http_server_options ho = { 0 };
	ho.bind_addr = cfg->bind_addr;
	ho.port = cfg->port;
	ho.tls_cert_file = cfg->tls_cert[0] ? cfg->tls_cert : NULL;
	ho.tls_key_file = cfg->tls_key[0] ? cfg->tls_key : NULL;
	ho.max_body_bytes = cfg->max_body_bytes;
	if (!(fd->http = http_server_create(host_event_base(h), &ho, e, sizeof e))) {
		snprintf(err, errlen, "http: %s", e);
		goto fail;
	}
	ws_hub_options wo = { 0 };
	wo.max_queue_bytes = cfg->ws_queue_bytes;
	wo.topics = ws_topics;
	if (!(fd->hub = ws_hub_create(host_event_base(h), &wo))) {
		snprintf(err, errlen, "cannot create the WebSocket hub");
		goto fail;
	}
	fd_guard_install(d);
	if (fd_metrics_register(fd, e, sizeof e) != 0) {
		snprintf(err, errlen, "metrics: %s", e);
		goto fail;
	}
#ifdef FD_HAVE_API
	if (api_register(fd, e, sizeof e) != 0) {
		snprintf(err, errlen, "api: %s", e);
		goto fail;
	}
#endif
#ifdef FD_HAVE_AGUI
	if (agui_register(fd, e, sizeof e) != 0) {
		snprintf(err, errlen, "agui: %s", e);
		goto fail;
	}
#endif
	if (!has_route(fd->http, "GET", "/api/v1/ws") &&
		http_server_route(fd->http, "GET", "/api/v1/ws", AUTH_VIEWER, ws_upgrade, fd) != 0) {
		snprintf(err, errlen, "cannot register GET /api/v1/ws");
		goto fail;
	}
	if (fd_static_register(fd, err, errlen) != 0)
		goto fail;
	if (announce(d, err, errlen) != 0)
		goto fail;
	char url[160];
	login_url(fd, url, sizeof url);
	log_info("front door listening on %s (auth %s, %zu routes, dashboard %s)", url, cfg->auth ? "on" : "off",
		http_server_route_count(fd->http), cfg->dashboard_dir[0] ? cfg->dashboard_dir : "not found");
	return fd;
fail:
	frontdoor_free(fd);
	return NULL;
}

void frontdoor_free(frontdoor *fd)
{
	if (!fd)
		return;
	fd_impl *d = (fd_impl *)fd;
	/* Connections first: their on_close callbacks still reach the modules'
	 * state (AG-UI runs, streams); nothing runs on the loop after this. */
	http_server_free(fd->http);
	fd->http = NULL;
#ifdef FD_HAVE_AGUI
	agui_free(fd->agui);
#endif
#ifdef FD_HAVE_API
	api_free(fd->api);
#endif
	fd_metrics_free(fd->metrics);
	ws_hub_free(fd->hub);
	auth_limiter_free(fd->limiter);
	auth_audit_close(fd->audit);
	auth_close(fd->auth);
	for (size_t i = 0; i < d->nusers; i++)
		free(d->users[i]);
	free(d->users);
	free(d);
}
