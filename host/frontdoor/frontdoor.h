/*
 * frontdoor — how operators, dashboards and programs see and steer a running
 * host: one HTTP server on the host's loop carrying
 *   /api/v1/...        REST (host/api), OpenAPI at /api/v1/openapi.json
 *   /api/v1/ws         WebSocket stream (host/ws)
 *   /agui              AG-UI 1.0 over SSE (host/agui)
 *   /metrics           Prometheus text format (host/frontdoor/fd_metrics.c)
 *   /                  the dashboard's built files (fallback route)
 * with bearer-token authentication (host/auth) in one guard.
 *
 * Configuration: the [http] section (frontdoor_config_load).
 */
#ifndef HOST_FRONTDOOR_FRONTDOOR_H
#define HOST_FRONTDOOR_FRONTDOOR_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "auth/auth.h"
#include "config/toml.h"
#include "http/http.h"
#include "runtime/host.h"
#include "trading/trading.h"
#include "ws/ws.h"

typedef struct frontdoor_config {
	int enabled;                 /* [http] enabled, default true */
	char bind_addr[64];          /* from listen = "127.0.0.1:8080" */
	uint16_t port;
	char tls_cert[4096], tls_key[4096]; /* both or neither */
	int auth;                    /* default true; false only with a loopback bind */
	int public_health, public_metrics; /* default true */
	size_t max_body_bytes;       /* default 1 MiB */
	char dashboard_dir[4096];    /* default <exe>/../share/tradehost/dashboard, else the build tree's */
	char tokens_file[4096];      /* default <state_dir>/tokens */
	char audit_log[4096];        /* default <state_dir>/audit.log */
	uint32_t rate_per_second, rate_burst; /* per token, default 50 / 100 */
	size_t ws_queue_bytes;       /* per WebSocket client, default 1 MiB */
} frontdoor_config;

/* Reads [http] (every key validated; unknown keys named). */
int frontdoor_config_load(const toml_value *root, const char *base_dir, const char *state_dir, frontdoor_config *out,
	char *err, size_t errlen);
void frontdoor_config_describe(FILE *out, int markdown);
extern const char *const frontdoor_sections[]; /* {"http", NULL} */

/* Route tags: the minimum role (auth_role). Public routes use AUTH_PUBLIC.
 * The guard leaves the caller for handlers: http_request_user(req) is a
 * `const auth_token_info *` (name, role), valid while the request lives;
 * NULL on a public route called without a (valid) token. With [http]
 * auth = false every caller is {"anonymous", AUTH_ADMIN}. */

typedef struct frontdoor frontdoor;
struct api;
struct agui;
struct fd_metrics;

struct frontdoor {
	host_t *host;
	trading_t *trading;          /* NULL when the host runs without [market] */
	const char *config_path;
	frontdoor_config cfg;
	http_server *http;
	ws_hub *hub;
	auth_store *auth;
	auth_limiter *limiter;
	auth_audit *audit;
	struct api *api;             /* host/api */
	struct agui *agui;           /* host/agui */
	struct fd_metrics *metrics;  /* host/frontdoor/fd_metrics.c */
};

/* After trading_start (or host_start without trading). On a first start
 * with no token file, creates an "admin" token and prints a login URL once
 * on stderr. Returns NULL with err set if the port cannot be bound etc. */
frontdoor *frontdoor_create(host_t *h, trading_t *t, const char *config_path, const frontdoor_config *cfg, char *err,
	size_t errlen);
void frontdoor_free(frontdoor *fd);

/* Each module registers its routes on fd->http and keeps its state in its
 * own struct (freed by its *_free). */
int api_register(frontdoor *fd, char *err, size_t errlen);
void api_free(struct api *a);
int agui_register(frontdoor *fd, char *err, size_t errlen);
void agui_free(struct agui *a);
int fd_metrics_register(frontdoor *fd, char *err, size_t errlen);
void fd_metrics_free(struct fd_metrics *m);

#endif
