/* Writing AG-UI events on a run's SSE stream: framing, ids, and the
 * whole-message / whole-tool-call / step helpers (see agui_run.c). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agui/agui_run_internal.h"

void agui_next_id(agui_run *r, const char *kind, char *out, size_t cap)
{
	snprintf(out, cap, "%s-%s%" PRIu64, r->idp, kind, ++r->seq);
}

json_t *agui_ev_new(const char *type)
{
	json_t *e = json_object();
	if (e && json_object_set_new(e, "type", json_string(type)) != 0) {
		json_decref(e);
		return NULL;
	}
	return e;
}

int agui_write_raw(agui_run *r, const char *data, size_t len)
{
	if (r->failed || r->closed || !r->req)
		return -1;
	if (http_stream_write(r->req, data, len) != 0) {
		/* the client is gone or reads too slowly: end the run */
		r->failed = 1;
		return -1;
	}
	r->last_write_ms = agui_now_ms(r->a);
	return 0;
}

/* Sends `e` (released here) as one SSE frame "data: <json>\n\n" (LF only). */
void agui_send_ev(agui_run *r, json_t *e)
{
	if (!e || r->failed || r->closed) {
		if (!e)
			r->failed = 1; /* out of memory: a hole in the stream would mislead the client */
		json_decref(e);
		return;
	}
	if (agui_set(e, "timestamp", json_integer(agui_now_ms(r->a))) != 0) {
		json_decref(e);
		r->failed = 1;
		return;
	}
	char *body = json_dumps(e, JSON_COMPACT);
	json_decref(e);
	if (!body) {
		r->failed = 1;
		return;
	}
	size_t n = strlen(body);
	char *frame = malloc(n + 9);
	if (!frame) {
		free(body);
		r->failed = 1;
		return;
	}
	memcpy(frame, "data: ", 6);
	memcpy(frame + 6, body, n);
	memcpy(frame + 6 + n, "\n\n", 2);
	free(body);
	agui_write_raw(r, frame, n + 8);
	free(frame);
}

json_t *agui_with_str(json_t *e, const char *key, const char *value)
{
	if (e && agui_set(e, key, agui_text(value)) != 0) {
		json_decref(e);
		return NULL;
	}
	return e;
}

json_t *agui_with(json_t *e, const char *key, json_t *value)
{
	if (e && agui_set(e, key, value) != 0) {
		json_decref(e);
		return NULL;
	}
	if (!e)
		json_decref(value);
	return e;
}

/* --- steps, messages, tool calls --- */

void agui_step_close(agui_run *r)
{
	if (!r->step_open)
		return;
	r->step_open = 0;
	agui_send_ev(r, agui_with_str(agui_ev_new("STEP_FINISHED"), "stepName", r->step_name));
}

static uint64_t next_cycle(agui_run *r, const char *agent)
{
	for (size_t i = 0; i < r->ncycles; i++)
		if (strcmp(r->cycles[i].agent, agent) == 0)
			return ++r->cycles[i].n;
	if (r->ncycles == r->cap_cycles) {
		size_t cap = r->cap_cycles ? r->cap_cycles * 2 : 16;
		agent_cycles *c = realloc(r->cycles, cap * sizeof *c);
		if (!c)
			return 0; /* out of memory: cycle 0, the name is still unique enough */
		r->cycles = c;
		r->cap_cycles = cap;
	}
	agent_cycles *c = &r->cycles[r->ncycles++];
	th_strlcpy(c->agent, agent, sizeof c->agent);
	c->n = 1;
	return 1;
}

void agui_step_ensure(agui_run *r, const char *agent)
{
	if (r->step_open && strcmp(r->step_agent, agent) == 0)
		return;
	agui_step_close(r);
	th_strlcpy(r->step_agent, agent, sizeof r->step_agent);
	snprintf(r->step_name, sizeof r->step_name, "%s cycle %" PRIu64, agent, next_cycle(r, agent));
	r->step_open = 1;
	r->step_msg[0] = '\0';
	r->n_steps++;
	agui_send_ev(r, agui_with_str(agui_ev_new("STEP_STARTED"), "stepName", r->step_name));
}

/* One whole assistant message; its id goes to id_out (may be NULL).
 * `metadata` (released here) may be NULL. */
void agui_text_message(agui_run *r, const char *name, const char *text, json_t *metadata, char *id_out)
{
	char id[AGUI_EVENT_ID_MAX];
	agui_next_id(r, "m", id, sizeof id);
	json_t *start = agui_with_str(agui_with_str(agui_ev_new("TEXT_MESSAGE_START"), "messageId", id), "role", "assistant");
	start = agui_with_str(start, "name", name);
	if (metadata)
		start = agui_with(start, "metadata", metadata);
	agui_send_ev(r, start);
	if (text[0])
		agui_send_ev(r, agui_with_str(agui_with_str(agui_ev_new("TEXT_MESSAGE_CONTENT"), "messageId", id), "delta", text));
	agui_send_ev(r, agui_with_str(agui_ev_new("TEXT_MESSAGE_END"), "messageId", id));
	r->n_messages++;
	if (id_out)
		snprintf(id_out, AGUI_EVENT_ID_MAX, "%s", id);
}

/* A whole tool call with `args` (released here) as its JSON arguments. */
void agui_tool_call(agui_run *r, const char *tool, json_t *args, const char *parent, char *id_out)
{
	char id[AGUI_EVENT_ID_MAX];
	agui_next_id(r, "t", id, sizeof id);
	char *text = args ? json_dumps(args, JSON_COMPACT) : NULL;
	json_decref(args);
	if (!text) {
		r->failed = 1;
		return;
	}
	json_t *start = agui_with_str(agui_with_str(agui_ev_new("TOOL_CALL_START"), "toolCallId", id), "toolCallName", tool);
	if (parent && parent[0])
		start = agui_with_str(start, "parentMessageId", parent);
	agui_send_ev(r, start);
	agui_send_ev(r, agui_with_str(agui_with_str(agui_ev_new("TOOL_CALL_ARGS"), "toolCallId", id), "delta", text));
	agui_send_ev(r, agui_with_str(agui_ev_new("TOOL_CALL_END"), "toolCallId", id));
	free(text);
	r->n_tool_calls++;
	snprintf(id_out, AGUI_EVENT_ID_MAX, "%s", id);
}

/* TOOL_CALL_RESULT whose content is `result` (released here) as JSON text. */
void agui_tool_result(agui_run *r, const char *call_id, json_t *result)
{
	char *text = result ? json_dumps(result, JSON_COMPACT) : NULL;
	json_decref(result);
	if (!text) {
		r->failed = 1;
		return;
	}
	char id[AGUI_EVENT_ID_MAX];
	agui_next_id(r, "r", id, sizeof id);
	json_t *e = agui_with_str(agui_with_str(agui_ev_new("TOOL_CALL_RESULT"), "messageId", id), "toolCallId", call_id);
	e = agui_with_str(agui_with_str(e, "content", text), "role", "tool");
	free(text);
	agui_send_ev(r, e);
}
