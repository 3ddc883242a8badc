/* Private to host/agui: shared state of the AG-UI endpoint and the pieces
 * its files share. Everything runs on the host's loop thread. */
#ifndef HOST_AGUI_INTERNAL_H
#define HOST_AGUI_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <tradehost/th_event.h>

#include "common/trade_names.h"
#include "frontdoor/frontdoor.h"

#define AGUI_PATH "/agui"
#define AGUI_DURATION_DEFAULT_MS 10000
#define AGUI_DURATION_MAX_MS 3600000
#define AGUI_MAX_RUNS 64            /* concurrent streams; more get 429 */
#define AGUI_DELTA_INTERVAL_MS 500  /* STATE_DELTA at most this often */
#define AGUI_TICK_MS 100            /* closes finished steps, paces deltas */
#define AGUI_KEEPALIVE_MS 15000     /* SSE comment when nothing else was sent */
#define AGUI_ID_MAX 256             /* threadId / runId length limit */
#define AGUI_MARKS_MAX 64           /* instruments whose last price the state shows */

/* Last traded price (or bar close) per venue:symbol, kept from the bus so a
 * run's first snapshot already shows prices. */
typedef struct agui_mark {
	char key[TH_VENUE_MAX + TH_SYMBOL_MAX]; /* "sim:BTC-USDT" */
	th_price price;
	int32_t scale;
} agui_mark;

typedef struct agui_run agui_run;

struct agui {
	frontdoor *fd;
	uint64_t market_sub;        /* bus subscription feeding marks */
	agui_mark marks[AGUI_MARKS_MAX];
	size_t nmarks;
	agui_run *runs;             /* live runs (linked through agui_run.next) */
	size_t nruns;
	uint64_t next_run;          /* serial for ids */
	int64_t started_ms;         /* makes ids unique across host restarts */
};

int64_t agui_now_ms(const struct agui *a);

/* --- agui_input.c: the request body --- */
typedef struct agui_input {
	char *thread_id, *run_id;   /* malloc'd */
	int64_t duration_ms;
	char *question;             /* text of the last message when its role is "user", else NULL */
} agui_input;

/* Parses and validates a RunAgentInput. Returns 0, or -1 with an error code
 * (bad_json, bad_field, missing_field) and a message naming the field. */
int agui_input_parse(const char *body, size_t len, agui_input *out, const char **code, char *msg, size_t msgcap);
void agui_input_free(agui_input *in);

/* --- agui_json.c: JSON helpers --- */
/* Money (TH_MONEY_SCALE) as a decimal string with trailing zeros trimmed to
 * two decimals ("100000.00", "12.345"). */
json_t *agui_money(th_money v);
void agui_money_text(th_money v, char *buf, size_t cap);
/* A price or quantity at its instrument scale, all digits kept ("0.0150"). */
json_t *agui_fixed(int64_t v, int32_t scale);
void agui_fixed_text(int64_t v, int32_t scale, char *buf, size_t cap);
/* A string that is always valid UTF-8 (invalid bytes become '?'), never NULL
 * unless out of memory. */
json_t *agui_text(const char *s);
/* obj[key] = v, releasing v; returns -1 (and counts nothing) on failure. */
int agui_set(json_t *obj, const char *key, json_t *v);

/* --- agui_state.c: the portfolio document of STATE_SNAPSHOT / STATE_DELTA --- */
/* The whole document without its "updated_ms" member (the run adds it).
 * NULL only when out of memory. */
json_t *agui_state_build(struct agui *a);
void agui_mark_update(struct agui *a, const th_event *ev);

/* --- agui_answer.c: answering a question about the portfolio --- */
/* An assistant reply (malloc'd) built from the state document and the
 * order manager. */
char *agui_answer(struct agui *a, const json_t *state, const char *question);

/* --- agui_run.c: one streaming run --- */
/* Takes the request (it streams from here on) and the input (its strings
 * are moved). Answers an error itself if the stream cannot start. */
void agui_run_start(struct agui *a, http_request *req, agui_input *in);
/* Ends a run now (host shutdown): closes what is open, RUN_FINISHED, ends
 * the stream, frees the run. */
void agui_run_stop(agui_run *r);

#endif
