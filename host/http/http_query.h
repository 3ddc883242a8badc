/*
 * http_query — the request target taken apart: the percent-decoded path,
 * its segments (what routes match against) and the query parameters. Pure
 * string work, shared by the server and the parser fuzz target.
 *
 * A path segment that decodes to "." or "..", or contains an encoded "/",
 * is refused: the decoded path is handed to handlers (the dashboard's static
 * files among them) and must mean exactly what its segments mean.
 */
#ifndef HOST_HTTP_HTTP_QUERY_H
#define HOST_HTTP_HTTP_QUERY_H

#include <stddef.h>

/* Percent-decodes src[0..n) into dst (room for n + 1 bytes, NUL-terminated);
 * with plus_space '+' becomes ' ' (query strings). Returns the decoded
 * length, or -1 for a malformed escape or an encoded NUL. */
long http_pct_decode(const char *src, size_t n, char *dst, int plus_space);

typedef struct http_target {
	const char *path;     /* decoded, starts with '/', without the query */
	const char **segs;    /* decoded segments: "/" has none, "/a/" has "a" and "" */
	size_t nsegs;
	const char **qnames;  /* decoded query parameters in order */
	const char **qvalues; /* "" for a name without '=' */
	size_t nquery;
	char *store;          /* owns every string above */
	const char **ptrs;    /* owns the arrays above */
} http_target;

/* Splits an origin-form ("/a/b?x=1") or absolute-form ("http://h/a") target.
 * Returns 0, or -1 with *error naming the problem (a 400). */
int http_target_parse(const char *target, http_target *out, const char **error);
void http_target_free(http_target *t);

#endif
