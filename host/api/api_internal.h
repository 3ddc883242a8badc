/* Private to host/api: the module's state and the pieces shared by its files. */
#ifndef HOST_API_API_INTERNAL_H
#define HOST_API_API_INTERNAL_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "api/api_body.h"
#include "api/api_json.h"
#include "bus/bus.h"
#include "frontdoor/frontdoor.h"
#include "ledger/goals.h"
#include "trading/trading_config.h"

#define API_PREFIX "/api/v1"

typedef struct api api;

typedef void (*api_fn)(api *a, http_request *req, const json_t *body);

/* api_route.flags */
#define API_NEEDS_TRADING 0x1u /* 503 no_trading when the host runs without [market] */
#define API_HEALTH_ROLE 0x2u   /* public unless [http] public_health = false (then viewer) */

/* One REST route: what is registered and what the OpenAPI document says. */
typedef struct api_route {
	const char *method;
	const char *path;               /* below API_PREFIX, e.g. "/orders/{id}" */
	int role;                       /* auth_role: the minimum role (the http route tag) */
	unsigned flags;
	api_fn fn;
	const api_body_spec *body;      /* NULL: the route takes no body */
	const char *query;              /* query parameters, "name:type:description;..." or NULL */
	int status;                     /* success status */
	const char *response;           /* JSON Schema text of the success body */
	const char *content_type;       /* NULL = application/json */
	const char *summary;
	const char *errors;             /* extra error statuses documented, e.g. "404,409" */
} api_route;

extern const api_route api_routes[];
extern const size_t api_route_count;

/* Bounded ring of JSON records (alerts, decisions, fills, risk events):
 * the newest `cap` entries, each with a sequence number for cursors. */
typedef struct api_ring {
	json_t **items;
	uint64_t *seq;
	size_t cap, n, head;            /* head: index of the oldest */
	uint64_t next_seq;
} api_ring;
int api_ring_init(api_ring *r, size_t cap);
void api_ring_free(api_ring *r);
void api_ring_push(api_ring *r, json_t *item);     /* steals the reference */
size_t api_ring_count(const api_ring *r);
/* i = 0 is the newest. */
const json_t *api_ring_at(const api_ring *r, size_t i, uint64_t *seq);

/* Recent bars of one instrument. */
#define API_BARS_KEEP 1000
typedef struct api_bar_ring {
	char venue[TH_VENUE_MAX], symbol[TH_SYMBOL_MAX];
	th_bar bars[API_BARS_KEEP];
	size_t n, head;
} api_bar_ring;

/* A goal created through the API that is being evaluated: its definition
 * and state are journaled by the OMS (oms_api_goal, public id "g-<id>");
 * api.goals evaluates it under its own id. */
typedef struct api_goal_meta {
	uint32_t id;                    /* the OMS's id, stable across restarts */
	uint32_t lib_id;                /* the id in api.goals */
} api_goal_meta;
#define API_GOALS_MAX 256

/* A backtest child process. */
typedef struct api_backtest {
	char id[40];
	char out_dir[4200];
	int pid;                        /* 0 once reaped */
	int progress_fd, err_fd;        /* -1 once closed */
	struct event *progress_ev, *err_ev;
	char line[128];                 /* partial progress line */
	size_t line_len;
	uint64_t bars, total;
	int state;                      /* 0 running, 1 done, 2 failed */
	int64_t started_ms, finished_ms;
	char error[512];
	size_t error_len;
} api_backtest;
#define API_BACKTESTS_MAX 64

#define API_MANUAL_KEEP 1024

struct api {
	frontdoor *fd;
	host_t *host;
	trading_t *t;                   /* NULL without [market] */
	bus_t *bus;
	struct oms *oms;
	struct capital *capital;
	trading_config *tcfg;           /* the running [market]/[capital] settings; NULL without trading */
	int64_t started_mono_ns;
	char *openapi;                  /* the generated document (text) */
	size_t openapi_len;
	struct api_route_ctx *ctx;      /* one per route */
	/* rings filled from the bus */
	api_ring alerts, decisions, fills, risk_events;
	api_bar_ring *bars;
	size_t nbars, cap_bars;
	uint64_t risk_approved, risk_denied, risk_by_reason[32];
	uint64_t stream_timer;
	/* peaks of wallet equity seen (for drawdown) */
	struct { char name[TH_NAME_MAX]; th_money peak; } peaks[128];
	size_t npeaks;
	/* manual orders: intent ids from 2^63 up, their client order ids */
	uint64_t manual_next;
	char manual[API_MANUAL_KEEP][TH_CLORD_MAX];
	size_t nmanual;
	/* goals created at runtime (defined in the OMS; the active ones armed here) */
	goals_t *goals;
	api_goal_meta goal_meta[API_GOALS_MAX];
	size_t ngoal_meta;
	uint64_t goals_timer;
	/* backtests */
	api_backtest *backtests[API_BACKTESTS_MAX]; /* heap: pipe events point at them */
	size_t nbacktests;
	uint64_t bt_timer;
	uint64_t bt_counter;
};

/* Replies. api_reply steals `j`. */
void api_reply(http_request *req, int status, json_t *j);
void api_error(http_request *req, int status, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* A query parameter as an integer in [min, max] (default when absent);
 * -1 after answering 400. */
int api_query_int(http_request *req, const char *name, int64_t min, int64_t max, int64_t dflt, int64_t *out);

/* Host-wide reads. */
th_money api_track_peak(api *a, const char *wallet, th_money equity);
json_t *api_wallet_json(api *a, const char *name);  /* NULL if unknown */
int api_is_manual(const api *a, const char *clid);
const th_instrument *api_instrument(api *a, const char *venue, const char *symbol);
th_price api_last_price(api *a, const char *venue, const char *symbol, int32_t *scale);

int64_t api_uptime_s(const api *a);                 /* seconds since the API started */
json_t *api_toml_json(const toml_value *v);          /* configuration -> JSON, secrets redacted */
const api_bar_ring *api_bars_of(api *a, const char *venue, const char *symbol); /* NULL if none */
json_t *api_goal_event_json(api *a, const th_event *ev); /* a configured goal's TH_EV_GOAL -> GOAL */

/* The OpenAPI document (api_openapi.c). */
char *api_openapi_build(const frontdoor *fd, size_t *len);
extern const char api_components_json[]; /* api_schemas.c */

/* Module parts: each subscribes / starts what it needs; 0 or -1 with err. */
int api_stream_start(api *a, char *err, size_t errlen);
void api_stream_stop(api *a);
int api_goals_start(api *a, char *err, size_t errlen);
void api_goals_stop(api *a);
void api_backtests_stop(api *a);

/* Handlers, by area. */
void api_h_health(api *a, http_request *req, const json_t *body);
void api_h_ready(api *a, http_request *req, const json_t *body);
void api_h_openapi(api *a, http_request *req, const json_t *body);
void api_h_me(api *a, http_request *req, const json_t *body);
void api_h_plugins(api *a, http_request *req, const json_t *body);
void api_h_reload(api *a, http_request *req, const json_t *body);
void api_h_config(api *a, http_request *req, const json_t *body);
void api_h_ws(api *a, http_request *req, const json_t *body);

void api_h_farms(api *a, http_request *req, const json_t *body);
void api_h_farm(api *a, http_request *req, const json_t *body);
void api_h_farm_pause(api *a, http_request *req, const json_t *body);
void api_h_farm_resume(api *a, http_request *req, const json_t *body);
void api_h_agents(api *a, http_request *req, const json_t *body);
void api_h_agent(api *a, http_request *req, const json_t *body);
void api_h_agent_pause(api *a, http_request *req, const json_t *body);
void api_h_agent_resume(api *a, http_request *req, const json_t *body);
void api_h_wallets(api *a, http_request *req, const json_t *body);
void api_h_wallet(api *a, http_request *req, const json_t *body);
void api_h_transfer(api *a, http_request *req, const json_t *body);
void api_h_allocation(api *a, http_request *req, const json_t *body);
void api_h_rebalance(api *a, http_request *req, const json_t *body);

void api_h_goals(api *a, http_request *req, const json_t *body);
void api_h_goal_create(api *a, http_request *req, const json_t *body);
void api_h_goal_get(api *a, http_request *req, const json_t *body);
void api_h_goal_update(api *a, http_request *req, const json_t *body);
void api_h_goal_delete(api *a, http_request *req, const json_t *body);

void api_h_orders(api *a, http_request *req, const json_t *body);
void api_h_order_place(api *a, http_request *req, const json_t *body);
void api_h_order_get(api *a, http_request *req, const json_t *body);
void api_h_order_cancel(api *a, http_request *req, const json_t *body);

void api_h_fills(api *a, http_request *req, const json_t *body);
void api_h_positions(api *a, http_request *req, const json_t *body);
void api_h_balances(api *a, http_request *req, const json_t *body);
void api_h_instruments(api *a, http_request *req, const json_t *body);
void api_h_bars(api *a, http_request *req, const json_t *body);
void api_h_alerts(api *a, http_request *req, const json_t *body);
void api_h_decisions(api *a, http_request *req, const json_t *body);

void api_h_risk(api *a, http_request *req, const json_t *body);
void api_h_risk_state(api *a, http_request *req, const json_t *body);
void api_h_risk_kill(api *a, http_request *req, const json_t *body);
void api_h_risk_resume(api *a, http_request *req, const json_t *body);

void api_h_backtests(api *a, http_request *req, const json_t *body);
void api_h_backtest_start(api *a, http_request *req, const json_t *body);
void api_h_backtest_get(api *a, http_request *req, const json_t *body);
void api_h_backtest_report(api *a, http_request *req, const json_t *body);
void api_h_backtest_report_html(api *a, http_request *req, const json_t *body);

#endif
