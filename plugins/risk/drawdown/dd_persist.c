#include "dd_persist.h"

#include <stdio.h>
#include <string.h>

#include "dd_table.h"

static const uint8_t magic[4] = { 'T', 'H', 'D', 'D' };
#define DD_BLOB_VERSION 1u

size_t dd_blob_cap(uint32_t cap)
{
	return DD_BLOB_HEADER + (size_t)cap * DD_BLOB_RECORD_MAX;
}

static uint8_t *put_u32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		*p++ = (uint8_t)(v >> (8 * i));
	return p;
}

static uint8_t *put_i64(uint8_t *p, int64_t v)
{
	uint64_t u = (uint64_t)v;
	for (int i = 0; i < 8; i++)
		*p++ = (uint8_t)(u >> (8 * i));
	return p;
}

size_t dd_encode(const dd_table *t, uint8_t *buf, size_t cap)
{
	uint8_t *p = buf;
	if (cap < dd_blob_cap(t->count))
		return 0;
	memcpy(p, magic, 4);
	p = put_u32(p + 4, DD_BLOB_VERSION);
	p = put_u32(p, t->count);
	for (uint32_t i = 0; i < t->count; i++) {
		const dd_scope *s = &t->scopes[i];
		size_t n = strlen(s->name);
		*p++ = s->kind;
		*p++ = s->latched;
		*p++ = s->seen_state;
		*p++ = s->owned_state;
		*p++ = (uint8_t)n;
		memcpy(p, s->name, n);
		p += n;
		p = put_i64(p, s->peak);
		p = put_i64(p, s->host_peak_floor);
		for (int l = 0; l < DD_LEVELS; l++)
			p = put_i64(p, s->below_since_ns[l]);
		p = put_i64(p, s->next_step_ns);
	}
	return (size_t)(p - buf);
}

typedef struct reader {
	const uint8_t *p, *end;
} reader;

static int get_u8(reader *r, uint8_t *v)
{
	if (r->p >= r->end)
		return -1;
	*v = *r->p++;
	return 0;
}

static int get_u32(reader *r, uint32_t *v)
{
	if (r->end - r->p < 4)
		return -1;
	*v = 0;
	for (int i = 0; i < 4; i++)
		*v |= (uint32_t)r->p[i] << (8 * i);
	r->p += 4;
	return 0;
}

static int get_i64(reader *r, int64_t *v)
{
	uint64_t u = 0;
	if (r->end - r->p < 8)
		return -1;
	for (int i = 0; i < 8; i++)
		u |= (uint64_t)r->p[i] << (8 * i);
	r->p += 8;
	*v = (int64_t)u;
	return 0;
}

#define FAIL(...)                                  \
	do {                                       \
		snprintf(err, errcap, __VA_ARGS__); \
		dd_table_clear(t);                 \
		return -1;                         \
	} while (0)

int dd_decode(dd_table *t, const uint8_t *buf, size_t len, char *err, size_t errcap)
{
	reader r = { buf, buf + len };
	uint32_t version = 0, count = 0;
	dd_table_clear(t);
	if (len < DD_BLOB_HEADER || memcmp(buf, magic, 4) != 0)
		FAIL("not a drawdown breaker state (bad magic)");
	r.p += 4;
	get_u32(&r, &version);
	get_u32(&r, &count);
	if (version != DD_BLOB_VERSION)
		FAIL("breaker state version %u, expected %u", version, DD_BLOB_VERSION);
	if (count > t->cap)
		FAIL("breaker state holds %u scopes, above max_scopes = %u", count, t->cap);
	for (uint32_t i = 0; i < count; i++) {
		uint8_t kind, latched, seen, owned, n;
		char name[TH_NAME_MAX];
		if (get_u8(&r, &kind) || get_u8(&r, &latched) || get_u8(&r, &seen) || get_u8(&r, &owned) || get_u8(&r, &n))
			FAIL("scope %u: truncated", i);
		if (kind >= DD_KINDS)
			FAIL("scope %u: bad kind %u", i, kind);
		if (latched > 7 || seen > TH_STATE_HALTED || owned > TH_STATE_HALTED)
			FAIL("scope %u: bad breaker flags", i);
		if (n >= TH_NAME_MAX || r.end - r.p < n)
			FAIL("scope %u: bad name length %u", i, n);
		memcpy(name, r.p, n);
		name[n] = '\0';
		r.p += n;
		if (memchr(name, '\0', n) != NULL)
			FAIL("scope %u: NUL inside the name", i);
		if ((kind == DD_HOST) != (n == 0))
			FAIL("scope %u: the host scope, and only it, has an empty name", i);
		int added;
		dd_scope *s = dd_table_add(t, kind, name, &added);
		if (!s || !added)
			FAIL("scope %u (%s): duplicate", i, name);
		s->latched = latched;
		s->seen_state = seen;
		s->owned_state = owned;
		if (get_i64(&r, &s->peak) || get_i64(&r, &s->host_peak_floor) || get_i64(&r, &s->below_since_ns[0]) ||
		    get_i64(&r, &s->below_since_ns[1]) || get_i64(&r, &s->below_since_ns[2]) || get_i64(&r, &s->next_step_ns))
			FAIL("scope %u (%s): truncated", i, name);
	}
	if (r.p != r.end)
		FAIL("%zu trailing bytes after %u scopes", (size_t)(r.end - r.p), count);
	return 0;
}
