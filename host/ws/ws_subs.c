/* Per-client topic subscriptions: "name" or "name:key" (see ws.h). */
#include "ws/ws_hub_internal.h"

#include <stdlib.h>
#include <string.h>

bool ws_subs_match(const ws_client *c, const char *topic, size_t topic_len, const char *key)
{
	for (size_t i = 0; i < c->nsubs; i++) {
		const char *s = c->subs[i];
		if (strncmp(s, topic, topic_len) != 0)
			continue;
		if (s[topic_len] == '\0')
			return true; /* the whole topic: every key */
		if (key && s[topic_len] == ':' && strcmp(s + topic_len + 1, key) == 0)
			return true;
	}
	return false;
}

int ws_subs_add(ws_client *c, const char *sub)
{
	for (size_t i = 0; i < c->nsubs; i++)
		if (strcmp(c->subs[i], sub) == 0)
			return 1;
	if (c->nsubs >= WS_MAX_SUBSCRIPTIONS)
		return -1;
	if (c->nsubs == c->subs_cap) {
		size_t cap = c->subs_cap ? c->subs_cap * 2 : 4;
		char **ns = realloc(c->subs, cap * sizeof(*ns));
		if (!ns)
			return -1;
		c->subs = ns;
		c->subs_cap = cap;
	}
	char *copy = strdup(sub);
	if (!copy)
		return -1;
	c->subs[c->nsubs++] = copy;
	return 0;
}

bool ws_subs_remove(ws_client *c, const char *sub)
{
	for (size_t i = 0; i < c->nsubs; i++) {
		if (strcmp(c->subs[i], sub) == 0) {
			free(c->subs[i]);
			c->subs[i] = c->subs[--c->nsubs];
			return true;
		}
	}
	return false;
}

void ws_subs_clear(ws_client *c)
{
	for (size_t i = 0; i < c->nsubs; i++)
		free(c->subs[i]);
	free(c->subs);
	c->subs = NULL;
	c->nsubs = c->subs_cap = 0;
}

const char *ws_subs_validate(const ws_hub *h, const char *sub)
{
	size_t len = strlen(sub);
	if (len == 0)
		return "empty topic";
	if (len > WS_MAX_TOPIC_LEN)
		return "topic longer than 128 characters";
	/* Printable ASCII only: topics end up in log lines and in every published message. */
	for (size_t i = 0; i < len; i++)
		if (sub[i] <= 0x20 || sub[i] >= 0x7F || sub[i] == '"' || sub[i] == '\\')
			return "topic contains a character outside printable ASCII (or a quote/backslash)";
	const char *colon = strchr(sub, ':');
	size_t nlen = colon ? (size_t)(colon - sub) : len;
	if (nlen == 0)
		return "topic name before ':' is empty";
	if (colon && colon[1] == '\0')
		return "topic key after ':' is empty";
	if (!h->topics)
		return NULL;
	for (size_t i = 0; i < h->ntopics; i++)
		if (strlen(h->topics[i]) == nlen && strncmp(h->topics[i], sub, nlen) == 0)
			return NULL;
	return "unknown topic";
}
