/*
 * limits — hot-reload hand-over. Only the order-rate windows are state (the
 * caches are re-read from the host): without them a reload would let every
 * agent burst a fresh minute's worth of orders.
 *
 * Layout (host byte order; the blob never leaves the process):
 *   "LIMR" u32 version=1 u32 agents, then per agent:
 *   char name[TH_NAME_MAX] u32 count u32 0 int64 times[count] (oldest first)
 */
#include <string.h>

#include "lim_internal.h"

#define MAGIC 0x524d494cu /* "LIMR" */
#define VERSION 1u

typedef struct head {
	uint32_t magic, version, agents;
} head;

typedef struct agent_head {
	char name[TH_NAME_MAX];
	uint32_t count, zero;
} agent_head;

int lim_export_state(void *instance, void **data, size_t *len)
{
	lim *L = instance;
	size_t size = sizeof(head);
	for (size_t i = 0; i < L->nrates; i++)
		size += sizeof(agent_head) + L->rates[i]->n * sizeof(int64_t);
	unsigned char *buf = L->api->alloc(L->ctx, size);
	if (!buf)
		return TH_ERR_NOMEM;
	head h = { MAGIC, VERSION, (uint32_t)L->nrates };
	size_t at = 0;
	memcpy(buf, &h, sizeof h);
	at += sizeof h;
	for (size_t i = 0; i < L->nrates; i++) {
		const lim_rate *r = L->rates[i];
		agent_head a;
		memset(&a, 0, sizeof a);
		th_strlcpy(a.name, r->agent, sizeof a.name);
		a.count = (uint32_t)r->n;
		memcpy(buf + at, &a, sizeof a);
		at += sizeof a;
		for (size_t k = 0; k < r->n; k++) {
			int64_t t = r->ts[(r->head + k) % r->cap];
			memcpy(buf + at, &t, sizeof t);
			at += sizeof t;
		}
	}
	*data = buf;
	*len = size;
	return TH_OK;
}

int lim_import_state(void *instance, const void *data, size_t len)
{
	lim *L = instance;
	const unsigned char *p = data;
	head h;
	size_t at = sizeof h;
	if (len < sizeof h)
		goto bad;
	memcpy(&h, p, sizeof h);
	if (h.magic != MAGIC || h.version != VERSION)
		goto bad;
	for (uint32_t i = 0; i < h.agents; i++) {
		agent_head a;
		if (len - at < sizeof a)
			goto bad;
		memcpy(&a, p + at, sizeof a);
		at += sizeof a;
		if (!memchr(a.name, 0, sizeof a.name) || !a.name[0] || (len - at) / sizeof(int64_t) < a.count)
			goto bad;
		lim_rate *r = lim_rate_get(L, a.name);
		if (!r)
			return TH_ERR_NOMEM;
		for (uint32_t k = 0; k < a.count; k++) {
			int64_t t;
			memcpy(&t, p + at, sizeof t);
			at += sizeof t;
			if (lim_rate_record(L, r, t) != TH_OK)
				return TH_ERR_NOMEM;
		}
	}
	if (at != len)
		goto bad;
	return TH_OK;
bad:
	L->api->set_error(L->ctx, "limits: hand-over state is malformed (%zu bytes); rate windows start empty", len);
	return TH_ERR_INVALID;
}
