/*
 * The client's JSON control protocol (see ws.h): subscribe, unsubscribe,
 * ping. A bad request gets an error message and the connection stays open:
 * a dashboard with a typo in a topic should see why, not a reconnect loop.
 */
#include "ws/ws_hub_internal.h"

#include <jansson.h>

#include <stdio.h>
#include <string.h>

static void send_json(ws_client *c, json_t *msg)
{
	char *text = json_dumps(msg, JSON_COMPACT);
	json_decref(msg);
	if (text) {
		ws_client_send_text(c, text);
		free(text);
	}
}

static void send_error(ws_client *c, const char *code, const char *message)
{
	send_json(c, json_pack("{s:s, s:s, s:s}", "type", "error", "code", code, "message", message));
}

static void subscribe(ws_client *c, json_t *topics, bool add)
{
	size_t i;
	json_t *t;
	char msg[256];
	/* All or nothing: a request naming one bad topic changes no subscription. */
	json_array_foreach(topics, i, t) {
		if (!json_is_string(t)) {
			snprintf(msg, sizeof(msg), "topics[%zu] is not a string", i);
			send_error(c, "bad_request", msg);
			return;
		}
		const char *why = ws_subs_validate(c->hub, json_string_value(t));
		if (why) {
			snprintf(msg, sizeof(msg), "topics[%zu] \"%.*s\": %s", i, WS_MAX_TOPIC_LEN, json_string_value(t),
				why);
			send_error(c, "unknown_topic", msg);
			return;
		}
	}
	if (add && c->nsubs + json_array_size(topics) > WS_MAX_SUBSCRIPTIONS) {
		snprintf(msg, sizeof(msg), "at most %d subscriptions per connection", WS_MAX_SUBSCRIPTIONS);
		send_error(c, "too_many_subscriptions", msg);
		return;
	}
	json_t *done = json_array();
	json_array_foreach(topics, i, t) {
		const char *s = json_string_value(t);
		if (add ? ws_subs_add(c, s) >= 0 : ws_subs_remove(c, s))
			json_array_append_new(done, json_string(s));
	}
	send_json(c, json_pack("{s:s, s:o}", "type", add ? "subscribed" : "unsubscribed", "topics", done));
}

void ws_control_handle(ws_client *c, const uint8_t *text, size_t len)
{
	json_error_t jerr;
	json_t *root = json_loadb((const char *)text, len, JSON_REJECT_DUPLICATES, &jerr);
	char msg[256];
	if (!root) {
		snprintf(msg, sizeof(msg), "message is not JSON: %s at column %d", jerr.text, jerr.column);
		send_error(c, "bad_json", msg);
		return;
	}
	const char *op = json_string_value(json_object_get(root, "op"));
	if (!json_is_object(root) || !op) {
		send_error(c, "bad_request", "message must be an object with a string \"op\"");
	} else if (strcmp(op, "subscribe") == 0 || strcmp(op, "unsubscribe") == 0) {
		json_t *topics = json_object_get(root, "topics");
		if (!json_is_array(topics) || json_array_size(topics) == 0)
			send_error(c, "bad_request", "\"topics\" must be a non-empty array of topic names");
		else
			subscribe(c, topics, op[0] == 's');
	} else if (strcmp(op, "ping") == 0) {
		send_json(c, json_pack("{s:s}", "type", "pong"));
	} else {
		snprintf(msg, sizeof(msg), "unknown op \"%.64s\" (expected subscribe, unsubscribe or ping)", op);
		send_error(c, "unknown_op", msg);
	}
	json_decref(root);
}
