/*
 * The route table: patterns of literal and "{name}" segments, matched
 * against the decoded path segments. When several routes match, the method
 * decides first, then the more literal pattern (a literal segment beats a
 * parameter at the first position where they differ), then registration
 * order. A path that matches only routes of other methods is a 405 whose
 * Allow header lists them.
 */
#include "http/http_internal.h"

#include <stdlib.h>
#include <string.h>

static const char *const known_methods[] = { "GET", "POST", "PUT", "PATCH", "DELETE" };
/* the order of the Allow header */
static const char *const allow_order[] = { "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE" };

static void route_clear(http_route *rt)
{
	for (size_t i = 0; i < rt->nsegs; i++)
		free(rt->segs[i]);
	free(rt->segs);
	free(rt->is_param);
	free(rt->pattern);
	memset(rt, 0, sizeof(*rt));
}

void http_routes_free(http_server *s)
{
	for (size_t i = 0; i < s->nroutes; i++)
		route_clear(&s->routes[i]);
	free(s->routes);
	s->routes = NULL;
	s->nroutes = s->route_cap = 0;
}

/* "/a/{id}/b" -> segments; -1 for a malformed pattern. */
static int parse_pattern(const char *pattern, http_route *rt)
{
	if (pattern[0] != '/')
		return -1;
	size_t n = 0;
	for (const char *p = pattern; *p; p++)
		n += *p == '/';
	if (strcmp(pattern, "/") == 0)
		n = 0;
	rt->segs = calloc(n ? n : 1, sizeof(char *));
	rt->is_param = calloc(n ? n : 1, 1);
	if (!rt->segs || !rt->is_param)
		return -1;
	const char *s = pattern + 1;
	for (size_t i = 0; i < n; i++) {
		size_t len = strcspn(s, "/");
		int param = len >= 2 && s[0] == '{' && s[len - 1] == '}';
		const char *text = param ? s + 1 : s;
		size_t tlen = param ? len - 2 : len;
		if ((param && tlen == 0) || memchr(text, '{', tlen) || memchr(text, '}', tlen) ||
			memchr(text, '?', tlen) || memchr(text, '%', tlen))
			return -1;
		rt->segs[i] = strndup(text, tlen);
		if (!rt->segs[i])
			return -1;
		rt->is_param[i] = (unsigned char)param;
		rt->nsegs = i + 1;
		for (size_t j = 0; param && j < i; j++)
			if (rt->is_param[j] && strcmp(rt->segs[j], rt->segs[i]) == 0)
				return -1; /* the same parameter twice */
		s += len + 1;
	}
	return 0;
}

static int same_shape(const http_route *a, const http_route *b)
{
	if (a->nsegs != b->nsegs)
		return 0;
	for (size_t i = 0; i < a->nsegs; i++) {
		if (a->is_param[i] != b->is_param[i])
			return 0;
		if (!a->is_param[i] && strcmp(a->segs[i], b->segs[i]) != 0)
			return 0;
	}
	return 1;
}

int http_server_route(http_server *s, const char *method, const char *pattern, int tag, http_handler_fn fn,
	void *arg)
{
	int known = 0;
	for (size_t i = 0; method && i < sizeof(known_methods) / sizeof(known_methods[0]); i++)
		known |= strcmp(method, known_methods[i]) == 0;
	if (!known || !pattern || !fn)
		return -1;
	http_route rt = { 0 };
	if (parse_pattern(pattern, &rt) != 0 || !(rt.pattern = strdup(pattern))) {
		route_clear(&rt);
		return -1;
	}
	strcpy(rt.method, method);
	for (size_t i = 0; i < s->nroutes; i++)
		if (strcmp(s->routes[i].method, method) == 0 && same_shape(&s->routes[i], &rt)) {
			route_clear(&rt);
			return -1; /* "/a/{x}" and "/a/{y}" are the same route */
		}
	if (s->nroutes == s->route_cap) {
		size_t cap = s->route_cap ? s->route_cap * 2 : 16;
		http_route *nr = realloc(s->routes, cap * sizeof(*nr));
		if (!nr) {
			route_clear(&rt);
			return -1;
		}
		s->routes = nr;
		s->route_cap = cap;
	}
	rt.tag = tag;
	rt.fn = fn;
	rt.arg = arg;
	s->routes[s->nroutes++] = rt;
	return 0;
}

void http_server_fallback(http_server *s, int tag, http_handler_fn fn, void *arg)
{
	s->fallback = fn;
	s->fallback_arg = arg;
	s->fallback_tag = tag;
}

void http_server_set_guard(http_server *s, http_guard_fn fn, void *arg)
{
	s->guard = fn;
	s->guard_arg = arg;
}

void http_server_set_observer(http_server *s, http_observer_fn fn, void *arg)
{
	s->observer = fn;
	s->observer_arg = arg;
}

size_t http_server_route_count(const http_server *s)
{
	return s->nroutes;
}

int http_server_route_at(const http_server *s, size_t i, const char **method, const char **pattern, int *tag)
{
	if (i >= s->nroutes)
		return -1;
	if (method)
		*method = s->routes[i].method;
	if (pattern)
		*pattern = s->routes[i].pattern;
	if (tag)
		*tag = s->routes[i].tag;
	return 0;
}

static int route_matches(const http_route *rt, const http_target *t)
{
	if (rt->nsegs != t->nsegs)
		return 0;
	for (size_t i = 0; i < rt->nsegs; i++) {
		if (rt->is_param[i]) {
			if (!t->segs[i][0])
				return 0; /* a parameter is never empty */
		} else if (strcmp(rt->segs[i], t->segs[i]) != 0) {
			return 0;
		}
	}
	return 1;
}

/* Is a more specific than b? */
static int more_literal(const http_route *a, const http_route *b)
{
	for (size_t i = 0; i < a->nsegs; i++)
		if (a->is_param[i] != b->is_param[i])
			return !a->is_param[i];
	return 0;
}

/* Runs the guard, then the handler. The connection is held by the caller. */
static void run_handler(http_server *s, http_request *r, int tag, http_handler_fn fn, void *arg)
{
	http_conn *c = r->conn; /* held: valid even if the guard answered and r is gone */
	if (s->guard && s->guard(r, tag, s->guard_arg) != 0) {
		/* the guard must have answered; if it did not, do not leave the client hanging */
		if (c->active == r && r->state == HTTP_REQ_HANDLING)
			http_respond_error(r, 500, "server_error", "request refused without an answer");
		return;
	}
	fn(r, arg);
}

static void respond_405(http_server *s, http_request *r, const char *allowed_mask)
{
	char allow[64] = "";
	for (size_t i = 0; i < sizeof(allow_order) / sizeof(allow_order[0]); i++)
		if (allowed_mask[i]) {
			if (allow[0])
				strcat(allow, ", ");
			strcat(allow, allow_order[i]);
		}
	(void)s;
	http_response_header(r, "Allow", allow);
	http_respond_error(r, 405, "method_not_allowed", "method not allowed for this path (see the Allow header)");
}

void http_route_dispatch(http_server *s, http_request *r)
{
	const char *m = http_request_method(r);
	int head = strcmp(m, "HEAD") == 0;
	const http_route *best = NULL;
	char allowed[sizeof(allow_order) / sizeof(allow_order[0])] = { 0 };
	int path_known = 0;
	for (size_t i = 0; i < s->nroutes; i++) {
		const http_route *rt = &s->routes[i];
		if (!route_matches(rt, &r->target))
			continue;
		path_known = 1;
		for (size_t k = 0; k < sizeof(allow_order) / sizeof(allow_order[0]); k++)
			if (strcmp(rt->method, allow_order[k]) == 0 || (k == 1 && strcmp(rt->method, "GET") == 0))
				allowed[k] = 1;
		int method_ok = strcmp(rt->method, m) == 0 || (head && strcmp(rt->method, "GET") == 0);
		if (method_ok && (!best || more_literal(rt, best)))
			best = rt;
	}
	r->is_head = head;
	if (best) {
		r->route = best;
		run_handler(s, r, best->tag, best->fn, best->arg);
	} else if (path_known) {
		respond_405(s, r, allowed);
	} else if (s->fallback && (head || strcmp(m, "GET") == 0)) {
		run_handler(s, r, s->fallback_tag, s->fallback, s->fallback_arg);
	} else {
		http_respond_error(r, 404, "not_found", "no such resource");
	}
}
