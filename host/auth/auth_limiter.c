/* Per-token rate limit as a token bucket, kept in the GCRA form: each name
 * stores only its "theoretical arrival time" (TAT). A request at `now` is
 * admitted if TAT - now <= (burst - 1) x interval, and then moves TAT one
 * interval on. That is exactly a bucket of `burst` refilled at `per_second`,
 * in integer nanoseconds, with no refill loop. */
#include "auth/auth.h"

#include <stdlib.h>
#include <string.h>

typedef struct bucket {
	char name[AUTH_NAME_MAX];
	int64_t tat_ns;
} bucket;

struct auth_limiter {
	int64_t interval_ns;  /* time to refill one request */
	int64_t tolerance_ns; /* (burst - 1) intervals */
	bucket *b;
	size_t n, cap;
};

auth_limiter *auth_limiter_create(uint32_t per_second, uint32_t burst)
{
	if (per_second == 0 || burst == 0)
		return NULL;
	auth_limiter *l = calloc(1, sizeof *l);
	if (!l)
		return NULL;
	l->interval_ns = 1000000000LL / per_second;
	if (l->interval_ns < 1)
		l->interval_ns = 1;
	l->tolerance_ns = (int64_t)(burst - 1) * l->interval_ns;
	return l;
}

void auth_limiter_free(auth_limiter *l)
{
	if (!l)
		return;
	free(l->b);
	free(l);
}

static bucket *lookup(auth_limiter *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (strncmp(l->b[i].name, name, AUTH_NAME_MAX) == 0)
			return &l->b[i];
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 16;
		bucket *nb = realloc(l->b, ncap * sizeof *nb);
		if (!nb)
			return NULL;
		l->b = nb;
		l->cap = ncap;
	}
	bucket *b = &l->b[l->n++];
	memset(b, 0, sizeof *b);
	strncpy(b->name, name, AUTH_NAME_MAX - 1);
	b->tat_ns = INT64_MIN;
	return b;
}

int auth_limiter_allow(auth_limiter *l, const char *name, int64_t now_ns, uint32_t *retry_after_ms)
{
	if (!l)
		return 1;
	bucket *b = lookup(l, name ? name : "");
	if (!b)
		return 1; /* out of memory: fail open rather than lock everybody out */
	int64_t tat = b->tat_ns < now_ns ? now_ns : b->tat_ns;
	int64_t ahead = tat - now_ns;
	if (ahead > l->tolerance_ns) {
		int64_t wait_ns = ahead - l->tolerance_ns;
		if (retry_after_ms)
			*retry_after_ms = (uint32_t)((wait_ns + 999999) / 1000000);
		return 0;
	}
	b->tat_ns = tat + l->interval_ns;
	if (retry_after_ms)
		*retry_after_ms = 0;
	return 1;
}
