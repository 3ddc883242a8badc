/* Goals created at runtime (the REST API): every create, update, delete and
 * end is one journal record, applied by the same functions live and on
 * replay, so a restart rebuilds the same goals under the same ids. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oms/oms_internal.h"

static oms_api_goal *find(const oms_t *o, uint32_t id)
{
	/* ids are appended in increasing order: a binary search */
	size_t lo = 0, hi = o->napi_goals;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (o->api_goals[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < o->napi_goals && o->api_goals[lo].id == id ? &o->api_goals[lo] : NULL;
}

static void set_definition(oms_api_goal *g, const oms_rec_goal *r)
{
	g->spec = r->spec;
	th_strlcpy(g->kind, r->kind, sizeof g->kind);
	th_strlcpy(g->value, r->value, sizeof g->value);
	th_strlcpy(g->action, r->action, sizeof g->action);
	g->created_ns = r->created_ns;
}

int oms_apply_goal(oms_t *o, const oms_rec_goal *r, char *err, size_t errlen)
{
	oms_api_goal *g = find(o, r->id);
	if (g) {
		set_definition(g, r);
		return 0;
	}
	if (r->id == 0 || r->id < o->next_api_goal) {
		/* a smaller id than one already seen is a deleted goal: never reused */
		snprintf(err, errlen, "goal g-%u: id 0 or already used (next is g-%u)", r->id, o->next_api_goal);
		return -1;
	}
	if (o->napi_goals == o->cap_api_goals) {
		size_t cap = o->cap_api_goals ? o->cap_api_goals * 2 : 16;
		oms_api_goal *grown = realloc(o->api_goals, cap * sizeof *grown);
		if (!grown) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		o->api_goals = grown;
		o->cap_api_goals = cap;
	}
	g = &o->api_goals[o->napi_goals++];
	memset(g, 0, sizeof *g);
	g->id = r->id;
	set_definition(g, r);
	o->next_api_goal = r->id + 1;
	return 0;
}

int oms_apply_goal_ref(oms_t *o, uint16_t type, const oms_rec_goal_ref *r, char *err, size_t errlen)
{
	oms_api_goal *g = find(o, r->id);
	if (!g) {
		snprintf(err, errlen, "no goal g-%u", r->id);
		return -1;
	}
	if (type == OMS_REC_GOAL_DELETE) {
		size_t i = (size_t)(g - o->api_goals);
		memmove(g, g + 1, (o->napi_goals - i - 1) * sizeof *g);
		o->napi_goals--;
		return 0;
	}
	if (r->state != TH_GOAL_HIT && r->state != TH_GOAL_MISSED) {
		snprintf(err, errlen, "goal g-%u: end state %u is neither hit nor missed", r->id, r->state);
		return -1;
	}
	g->state = (int)r->state;
	g->progress_ppm = r->progress_ppm;
	return 0;
}

static void to_record(const oms_api_goal *def, uint32_t id, oms_rec_goal *r)
{
	memset(r, 0, sizeof *r);
	r->id = id;
	r->spec = def->spec;
	th_strlcpy(r->kind, def->kind, sizeof r->kind);
	th_strlcpy(r->value, def->value, sizeof r->value);
	th_strlcpy(r->action, def->action, sizeof r->action);
	r->created_ns = def->created_ns;
}

static int journal_goal(oms_t *o, uint16_t type, size_t len, char *err, size_t errlen)
{
	if (oms_journal(o, type, len, NULL, NULL) != 0) {
		snprintf(err, errlen, "%s", o->halt_text[0] ? o->halt_text : "journal failure");
		return -1;
	}
	return 0;
}

int oms_api_goal_create(oms_t *o, const oms_api_goal *def, uint32_t *id, char *err, size_t errlen)
{
	oms_rec_goal r;
	to_record(def, o->next_api_goal, &r);
	/* encoded before it is applied: nothing changes when it cannot be journaled */
	size_t len = oms_enc_goal(o->buf, sizeof o->buf, &r);
	if (len == 0 || o->next_api_goal == UINT32_MAX) {
		snprintf(err, errlen, len ? "goal ids exhausted" : "goal record does not fit the record buffer");
		return -1;
	}
	if (oms_apply_goal(o, &r, err, errlen) != 0)
		return -1;
	if (id)
		*id = r.id;
	return journal_goal(o, OMS_REC_GOAL_SET, len, err, errlen);
}

int oms_api_goal_update(oms_t *o, const oms_api_goal *def, char *err, size_t errlen)
{
	oms_rec_goal r;
	if (!find(o, def->id)) {
		snprintf(err, errlen, "no goal g-%u", def->id);
		return -1;
	}
	to_record(def, def->id, &r);
	size_t len = oms_enc_goal(o->buf, sizeof o->buf, &r);
	if (len == 0) {
		snprintf(err, errlen, "goal record does not fit the record buffer");
		return -1;
	}
	if (oms_apply_goal(o, &r, err, errlen) != 0)
		return -1;
	return journal_goal(o, OMS_REC_GOAL_SET, len, err, errlen);
}

static int ref_op(oms_t *o, uint16_t type, uint32_t id, int state, int64_t ppm, char *err, size_t errlen)
{
	oms_rec_goal_ref r = { id, (uint32_t)state, ppm };
	if (oms_apply_goal_ref(o, type, &r, err, errlen) != 0)
		return -1;
	return journal_goal(o, type, oms_enc_goal_ref(o->buf, sizeof o->buf, &r), err, errlen);
}

int oms_api_goal_delete(oms_t *o, uint32_t id, char *err, size_t errlen)
{
	return ref_op(o, OMS_REC_GOAL_DELETE, id, 0, 0, err, errlen);
}

int oms_api_goal_end(oms_t *o, uint32_t id, int state, int64_t progress_ppm, char *err, size_t errlen)
{
	return ref_op(o, OMS_REC_GOAL_END, id, state, progress_ppm, err, errlen);
}

const oms_api_goal *oms_api_goal_get(const oms_t *o, uint32_t id)
{
	return find(o, id);
}

const oms_api_goal *oms_api_goal_at(const oms_t *o, size_t i)
{
	return i < o->napi_goals ? &o->api_goals[i] : NULL;
}
