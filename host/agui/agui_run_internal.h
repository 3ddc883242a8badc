/* Private to host/agui: one AG-UI run and the functions its three files
 * share (agui_run.c: lifetime; agui_emit.c: writing events; agui_feed.c:
 * bus events -> AG-UI events). See agui_run.c for the stream's shape. */
#ifndef HOST_AGUI_RUN_H
#define HOST_AGUI_RUN_H

#include <stddef.h>
#include <stdint.h>

#include <event2/event.h>
#include <jansson.h>
#include <tradehost/th_event.h>

#include "agui/agui_internal.h"

#define AGUI_PENDING_MAX 256
#define AGUI_EVENT_ID_MAX 96

enum { PEND_FREE = 0, PEND_PLACE = 1, PEND_CANCEL = 2 };

typedef struct pending_call {
	int kind;
	char id[AGUI_EVENT_ID_MAX];                /* toolCallId */
	char agent[TH_NAME_MAX];
	uint64_t intent_id;             /* place: the agent's intent */
	char clid[TH_CLORD_MAX];        /* cancel: the order to cancel */
} pending_call;

typedef struct agent_cycles {
	char agent[TH_NAME_MAX];
	uint64_t n;
} agent_cycles;

struct agui_run {
	struct agui *a;
	agui_run *next;
	http_request *req;              /* NULL once the connection closed */
	char *thread_id, *run_id;
	char idp[64];                   /* prefix of every id this run makes */
	uint64_t seq;
	uint64_t sub;                   /* bus subscription, 0 = none */
	struct event *tick, *deadline;
	json_t *state;                  /* the document the client holds, minus updated_ms */
	int64_t started_ms, last_write_ms, last_delta_ms, last_check_ms;
	int step_open;
	char step_agent[TH_NAME_MAX];
	char step_name[TH_NAME_MAX + 32];
	char step_msg[AGUI_EVENT_ID_MAX];          /* the step's last text message: parent of its tool calls */
	agent_cycles *cycles;
	size_t ncycles, cap_cycles;
	pending_call pend[AGUI_PENDING_MAX];
	size_t pend_next;
	uint64_t n_messages, n_tool_calls, n_steps, n_deltas;
	int busy;                       /* entry points on the stack */
	int failed, closed, ending;
};

/* --- agui_emit.c: writing events (every function is a no-op once the run failed) --- */
void agui_next_id(agui_run *r, const char *kind, char *out, size_t cap);
json_t *agui_ev_new(const char *type);                    /* {"type": type} */
/* obj[key] = value and returns obj; on any failure releases both and returns NULL */
json_t *agui_with(json_t *e, const char *key, json_t *value);
json_t *agui_with_str(json_t *e, const char *key, const char *value);
int agui_write_raw(agui_run *r, const char *data, size_t len);
/* Sends e (released) as "data: <json>\n\n" with its timestamp; a NULL e
 * (out of memory) or a failed write marks the run failed. */
void agui_send_ev(agui_run *r, json_t *e);
void agui_step_close(agui_run *r);
void agui_step_ensure(agui_run *r, const char *agent);   /* the agent's step, opened if needed */
void agui_text_message(agui_run *r, const char *name, const char *text, json_t *metadata, char *id_out);
void agui_tool_call(agui_run *r, const char *tool, json_t *args, const char *parent, char *id_out);
void agui_tool_result(agui_run *r, const char *call_id, json_t *result);

/* --- agui_feed.c: what the bus says, as AG-UI events --- */
void agui_feed_event(agui_run *r, const th_event *ev);
/* reallocate calls for the wallets of `group` ("farms"/"agents") whose
 * allocation differs between the two state documents */
void agui_feed_reallocations(agui_run *r, const json_t *old, const json_t *cur, const char *group, const char *kind);

#endif
