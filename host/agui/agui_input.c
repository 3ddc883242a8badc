/*
 * The POST /agui body: an AG-UI 1.0 RunAgentInput, checked against the
 * spec's schema (@ag-ui/core RunAgentInputSchema) as far as this endpoint
 * reads it:
 *   required  threadId (string), runId (string), messages (Message[])
 *   optional  protocolVersion, parentRunId (strings), state (any, null
 *             allowed), tools ({name, description}[]), context
 *             ({description, value}[]), forwardedProps (any but null),
 *             resume ({interruptId, status}[])
 * Unknown top-level fields are accepted and ignored: the schema is a loose
 * object, and clients newer than 1.0 may add fields.
 * forwardedProps.duration_ms (integer, 0..3600000, default 10000) bounds
 * the live part of the run; 0 = answer the question and finish.
 * Every refusal is a 400 whose message names the field (e.g.
 * "messages[2].content must be a string or an array of content parts").
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agui/agui_internal.h"

typedef struct checker {
	const char **code;
	char *msg;
	size_t cap;
} checker;

static int fail(checker *c, const char *code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(checker *c, const char *code, const char *fmt, ...)
{
	va_list ap;
	*c->code = code;
	va_start(ap, fmt);
	vsnprintf(c->msg, c->cap, fmt, ap);
	va_end(ap);
	return -1;
}

/* A required string member, or an optional one (absent or null allowed). */
static int want_string(checker *c, const json_t *obj, const char *key, const char *where, int required)
{
	char field[160];
	/* a path longer than the buffer is cut: it only names the field in a message */
	if (snprintf(field, sizeof field, "%s%s", where, key) >= (int)sizeof field)
		field[sizeof field - 1] = '\0';
	const json_t *v = json_object_get(obj, key);
	if (!v || (!required && json_is_null(v)))
		return required ? fail(c, "missing_field", "%s is required", field) : 0;
	if (!json_is_string(v))
		return fail(c, "bad_field", "%s must be a string", field);
	return 0;
}

static int check_parts(checker *c, const json_t *arr, const char *field)
{
	for (size_t i = 0; i < json_array_size(arr); i++) {
		const json_t *part = json_array_get(arr, i);
		char where[160];
		snprintf(where, sizeof where, "%s[%zu].", field, i);
		if (!json_is_object(part))
			return fail(c, "bad_field", "%s must be an array of content part objects", field);
		if (want_string(c, part, "type", where, 1) != 0)
			return -1;
		if (strcmp(json_string_value(json_object_get(part, "type")), "text") == 0 &&
			want_string(c, part, "text", where, 1) != 0)
			return -1;
	}
	return 0;
}

static int check_message(checker *c, const json_t *m, size_t i)
{
	static const char *const roles[] = { "developer", "system", "assistant", "user", "tool", "activity", "reasoning" };
	char where[64], field[96];
	snprintf(where, sizeof where, "messages[%zu].", i);
	if (!json_is_object(m)) {
		snprintf(field, sizeof field, "messages[%zu]", i);
		return fail(c, "bad_field", "%s must be a message object", field);
	}
	if (want_string(c, m, "id", where, 1) != 0 || want_string(c, m, "role", where, 1) != 0)
		return -1;
	const char *role = json_string_value(json_object_get(m, "role"));
	size_t r = 0;
	while (r < sizeof roles / sizeof roles[0] && strcmp(roles[r], role) != 0)
		r++;
	snprintf(field, sizeof field, "messages[%zu].role", i);
	if (r == sizeof roles / sizeof roles[0])
		return fail(c, "bad_field",
			"%s must be one of developer, system, assistant, user, tool, activity, reasoning (got \"%s\")", field,
			role);
	const json_t *content = json_object_get(m, "content");
	snprintf(field, sizeof field, "messages[%zu].content", i);
	if (strcmp(role, "user") == 0 || strcmp(role, "tool") == 0) {
		if (!content)
			return fail(c, "missing_field", "%s is required", field);
		if (json_is_array(content)) {
			if (check_parts(c, content, field) != 0)
				return -1;
		} else if (!json_is_string(content)) {
			return fail(c, "bad_field", "%s must be a string or an array of content parts", field);
		}
		return strcmp(role, "tool") == 0 ? want_string(c, m, "toolCallId", where, 1) : 0;
	}
	if (strcmp(role, "activity") == 0) {
		if (want_string(c, m, "activityType", where, 1) != 0)
			return -1;
		if (!json_is_object(content))
			return fail(c, "bad_field", "%s must be an object for an activity message", field);
		return 0;
	}
	if (strcmp(role, "assistant") == 0) {
		const json_t *calls = json_object_get(m, "toolCalls");
		if (calls && !json_is_null(calls) && !json_is_array(calls)) {
			snprintf(field, sizeof field, "messages[%zu].toolCalls", i);
			return fail(c, "bad_field", "%s must be an array", field);
		}
		return want_string(c, m, "content", where, 0);
	}
	return want_string(c, m, "content", where, 1); /* developer, system, reasoning */
}

/* An optional array of objects whose listed members are required strings. */
static int check_object_array(checker *c, const json_t *root, const char *key, const char *const *members)
{
	const json_t *arr = json_object_get(root, key);
	if (!arr || json_is_null(arr))
		return 0;
	if (!json_is_array(arr))
		return fail(c, "bad_field", "%s must be an array", key);
	for (size_t i = 0; i < json_array_size(arr); i++) {
		const json_t *o = json_array_get(arr, i);
		char where[64];
		snprintf(where, sizeof where, "%s[%zu]", key, i);
		if (!json_is_object(o))
			return fail(c, "bad_field", "%s must be an object", where);
		strcat(where, ".");
		for (const char *const *m = members; *m; m++)
			if (want_string(c, o, *m, where, 1) != 0)
				return -1;
	}
	return 0;
}

static int read_duration(checker *c, const json_t *root, int64_t *out)
{
	*out = AGUI_DURATION_DEFAULT_MS;
	const json_t *fp = json_object_get(root, "forwardedProps");
	if (!fp)
		return 0;
	if (json_is_null(fp))
		return fail(c, "bad_field", "forwardedProps must not be null (omit it)");
	const json_t *d = json_is_object(fp) ? json_object_get(fp, "duration_ms") : NULL;
	if (!d)
		return 0;
	if (!json_is_integer(d) || json_integer_value(d) < 0 || json_integer_value(d) > AGUI_DURATION_MAX_MS)
		return fail(c, "bad_field", "forwardedProps.duration_ms must be an integer from 0 to %d (ms)", AGUI_DURATION_MAX_MS);
	*out = (int64_t)json_integer_value(d);
	return 0;
}

/* The last message's text when it is the user's; parts are joined. */
static char *question_of(const json_t *messages)
{
	size_t n = json_array_size(messages);
	if (n == 0)
		return NULL;
	const json_t *last = json_array_get(messages, n - 1);
	if (strcmp(json_string_value(json_object_get(last, "role")), "user") != 0)
		return NULL;
	const json_t *content = json_object_get(last, "content");
	if (json_is_string(content))
		return strdup(json_string_value(content));
	size_t total = 1;
	for (size_t i = 0; i < json_array_size(content); i++) {
		const char *t = json_string_value(json_object_get(json_array_get(content, i), "text"));
		total += t ? strlen(t) + 1 : 0;
	}
	char *q = malloc(total);
	if (!q)
		return NULL;
	q[0] = '\0';
	for (size_t i = 0; i < json_array_size(content); i++) {
		const char *t = json_string_value(json_object_get(json_array_get(content, i), "text"));
		if (t) {
			if (q[0])
				strcat(q, " ");
			strcat(q, t);
		}
	}
	return q;
}

int agui_input_parse(const char *body, size_t len, agui_input *out, const char **code, char *msg, size_t msgcap)
{
	checker c = { code, msg, msgcap };
	memset(out, 0, sizeof *out);
	json_error_t e;
	json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &e);
	if (!root) {
		*code = "bad_json";
		snprintf(msg, msgcap, "the body is not valid JSON (line %d, column %d: %s)", e.line, e.column, e.text);
		return -1;
	}
	static const char *const tool_members[] = { "name", "description", NULL };
	static const char *const context_members[] = { "description", "value", NULL };
	static const char *const resume_members[] = { "interruptId", "status", NULL };
	int rc = -1;
	if (!json_is_object(root)) {
		fail(&c, "bad_field", "the body must be a RunAgentInput object");
		goto done;
	}
	if (want_string(&c, root, "threadId", "", 1) != 0 || want_string(&c, root, "runId", "", 1) != 0 ||
		want_string(&c, root, "protocolVersion", "", 0) != 0 || want_string(&c, root, "parentRunId", "", 0) != 0)
		goto done;
	const char *thread = json_string_value(json_object_get(root, "threadId"));
	const char *run = json_string_value(json_object_get(root, "runId"));
	if (strlen(thread) > AGUI_ID_MAX || strlen(run) > AGUI_ID_MAX) {
		fail(&c, "bad_field", "%s is longer than %d characters", strlen(thread) > AGUI_ID_MAX ? "threadId" : "runId",
			AGUI_ID_MAX);
		goto done;
	}
	const json_t *messages = json_object_get(root, "messages");
	if (!messages) {
		fail(&c, "missing_field", "messages is required (an array, may be empty)");
		goto done;
	}
	if (!json_is_array(messages)) {
		fail(&c, "bad_field", "messages must be an array");
		goto done;
	}
	for (size_t i = 0; i < json_array_size(messages); i++)
		if (check_message(&c, json_array_get(messages, i), i) != 0)
			goto done;
	if (check_object_array(&c, root, "tools", tool_members) != 0 ||
		check_object_array(&c, root, "context", context_members) != 0 ||
		check_object_array(&c, root, "resume", resume_members) != 0 || read_duration(&c, root, &out->duration_ms) != 0)
		goto done;
	out->thread_id = strdup(thread);
	out->run_id = strdup(run);
	out->question = question_of(messages);
	if (!out->thread_id || !out->run_id) {
		agui_input_free(out);
		*code = "internal";
		snprintf(msg, msgcap, "out of memory");
		goto done;
	}
	rc = 0;
done:
	json_decref(root);
	return rc;
}

void agui_input_free(agui_input *in)
{
	free(in->thread_id);
	free(in->run_id);
	free(in->question);
	memset(in, 0, sizeof *in);
}
