/*
 * The request object handed to guards and handlers: its life and its
 * read-only accessors. A request made for a parse error may lack a method or
 * target; accessors then return "" so observers need no special case.
 */
#include "http/http_internal.h"

#include <stdlib.h>
#include <string.h>

http_request *http_request_new(http_conn *c, http_message *msg)
{
	http_request *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->conn = c;
	r->server = c->server;
	r->msg = *msg;
	memset(msg, 0, sizeof(*msg));
	r->state = HTTP_REQ_HANDLING;
	r->status = 500;
	return r;
}

void http_request_free(http_request *r)
{
	http_message_free(&r->msg);
	http_target_free(&r->target);
	free(r->resp_headers);
	free(r);
}

const char *http_request_method(const http_request *r)
{
	return r->msg.method ? r->msg.method : "";
}

const char *http_request_path(const http_request *r)
{
	return r->target.path ? r->target.path : "";
}

const char *http_request_target(const http_request *r)
{
	return r->msg.target ? r->msg.target : "";
}

const char *http_request_query(const http_request *r, const char *name)
{
	for (size_t i = 0; i < r->target.nquery; i++)
		if (strcmp(r->target.qnames[i], name) == 0)
			return r->target.qvalues[i];
	return NULL;
}

int http_request_query_at(const http_request *r, size_t i, const char **name, const char **value)
{
	if (i >= r->target.nquery)
		return 0;
	*name = r->target.qnames[i];
	*value = r->target.qvalues[i];
	return 1;
}

const char *http_request_param(const http_request *r, const char *name)
{
	const http_route *rt = r->route;
	if (!rt)
		return NULL;
	for (size_t i = 0; i < rt->nsegs && i < r->target.nsegs; i++)
		if (rt->is_param[i] && strcmp(rt->segs[i], name) == 0)
			return r->target.segs[i];
	return NULL;
}

const char *http_request_header(const http_request *r, const char *name)
{
	return http_message_header(&r->msg, name);
}

const char *http_request_body(const http_request *r, size_t *len)
{
	if (len)
		*len = r->msg.body_len;
	return r->msg.body ? r->msg.body : "";
}

const char *http_request_peer(const http_request *r)
{
	return r->conn->peer;
}

void http_request_set_user(http_request *r, void *user)
{
	r->user = user;
}

void *http_request_user(const http_request *r)
{
	return r->user;
}

void http_request_on_close(http_request *r, void (*fn)(void *arg), void *arg)
{
	r->on_close = fn;
	r->on_close_arg = arg;
}

struct bufferevent *http_request_take(http_request *r)
{
	http_conn *c = r->conn;
	/* only a request nobody has started answering; never a stream */
	if (r->state != HTTP_REQ_HANDLING || c->dead || !c->bev || c->active != r)
		return NULL;
	http_conn_hold(c);
	struct bufferevent *bev = http_conn_detach(c);
	r->state = HTTP_REQ_DONE;
	r->status = 101; /* the new owner answers; for the observer this is the upgrade */
	if (r->server->observer)
		r->server->observer(r, r->status, r->server->observer_arg);
	c->active = NULL;
	http_request_free(r);
	http_conn_free(c);
	http_conn_release(c);
	return bev;
}
