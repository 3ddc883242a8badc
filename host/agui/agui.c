/*
 * POST /agui — the AG-UI 1.0 endpoint of the front door (viewer role).
 *
 * The body is a RunAgentInput (agui_input.c); the answer is an SSE stream of
 * AG-UI events (agui_run.c) showing the host's agents at work: their
 * messages, decision cycles, orders and the portfolio state. Errors found
 * before the stream starts are plain JSON errors (400 naming the field, 429
 * when AGUI_MAX_RUNS streams are open).
 *
 * The module keeps, for all runs, the last price of every instrument seen
 * on the bus, so a run's first snapshot already shows prices.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agui/agui_internal.h"
#include "bus/bus.h"
#include "common/log.h"

int64_t agui_now_ms(const struct agui *a)
{
	return host_now_ns(a->fd->host) / 1000000;
}

static void on_market(void *arg, const th_event *ev)
{
	agui_mark_update(arg, ev);
}

static void on_post(http_request *req, void *arg)
{
	struct agui *a = arg;
	size_t len = 0;
	const char *body = http_request_body(req, &len);
	agui_input in;
	const char *code = "bad_json";
	char msg[256];
	if (agui_input_parse(body, len, &in, &code, msg, sizeof msg) != 0) {
		http_respond_error(req, strcmp(code, "internal") == 0 ? 500 : 400, code, msg);
		return;
	}
	if (a->nruns >= AGUI_MAX_RUNS) {
		agui_input_free(&in);
		snprintf(msg, sizeof msg, "at most %d AG-UI runs may stream at once; retry when one has finished",
			AGUI_MAX_RUNS);
		http_response_header(req, "Retry-After", "1");
		http_respond_error(req, 429, "rate_limited", msg);
		return;
	}
	agui_run_start(a, req, &in);
}

int agui_register(frontdoor *fd, char *err, size_t errlen)
{
	struct agui *a = calloc(1, sizeof *a);
	if (!a) {
		snprintf(err, errlen, "agui: out of memory");
		return -1;
	}
	a->fd = fd;
	a->started_ms = agui_now_ms(a);
	th_subscription s = { 0 };
	s.topics = TH_TOPIC(TH_EV_TRADE) | TH_TOPIC(TH_EV_BAR);
	if (bus_subscribe(host_bus(fd->host), a, &s, on_market, a, &a->market_sub) != TH_OK) {
		snprintf(err, errlen, "agui: cannot subscribe to market data: %s", bus_last_error(host_bus(fd->host)));
		free(a);
		return -1;
	}
	if (http_server_route(fd->http, "POST", AGUI_PATH, AUTH_VIEWER, on_post, a) != 0) {
		snprintf(err, errlen, "agui: cannot register POST %s (already registered?)", AGUI_PATH);
		bus_unsubscribe(host_bus(fd->host), a->market_sub);
		free(a);
		return -1;
	}
	fd->agui = a;
	return 0;
}

void agui_free(struct agui *a)
{
	if (!a)
		return;
	/* Open streams end properly (RUN_FINISHED) so clients see a clean end
	 * of the run rather than a cut connection. */
	while (a->runs)
		agui_run_stop(a->runs);
	bus_unsubscribe(host_bus(a->fd->host), a->market_sub);
	if (a->fd->agui == a)
		a->fd->agui = NULL;
	free(a);
}
