/* Which registered route pattern serves a request: the label of the request
 * metrics (a pattern keeps the label set small; raw paths would not). */
#include "frontdoor/fd_internal.h"

#include <string.h>

/* Segment-wise match of "/api/v1/orders/{id}" against "/api/v1/orders/42". */
static int pattern_matches(const char *pat, const char *path)
{
	while (*pat && *path) {
		if (*pat != '/' || *path != '/')
			return 0;
		pat++;
		path++;
		size_t pl = strcspn(pat, "/"), xl = strcspn(path, "/");
		if (pat[0] == '{') {
			if (xl == 0)
				return 0;
		} else if (pl != xl || memcmp(pat, path, pl) != 0) {
			return 0;
		}
		pat += pl;
		path += xl;
	}
	return *pat == '\0' && *path == '\0';
}

const char *fd_route_of(const http_server *s, const char *method, const char *path)
{
	if (!s || !method || !path)
		return NULL;
	if (strcmp(method, "HEAD") == 0)
		method = "GET";
	for (size_t i = 0; i < http_server_route_count(s); i++) {
		const char *m, *p;
		int tag;
		if (http_server_route_at(s, i, &m, &p, &tag) == 0 && strcmp(m, method) == 0 && pattern_matches(p, path))
			return p;
	}
	return NULL;
}
