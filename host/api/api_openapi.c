/* The OpenAPI 3.0.3 document, generated from the route table (api_routes.c),
 * the body specs (api_body_specs.c) and the component schemas
 * (api_schemas.c) — nothing in it is written twice. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_internal.h"

static const char *role_name(int role)
{
	static const char *const names[] = { "public", "viewer", "trader", "admin" };
	return role >= 0 && role <= 3 ? names[role] : "admin";
}

static json_t *error_response(const char *description, const char *schema)
{
	char ref[128];
	snprintf(ref, sizeof ref, "#/components/schemas/%s", schema ? schema : "Error");
	return json_pack("{s:s, s:{s:{s:{s:s}}}}", "description", description, "content", "application/json", "schema",
		"$ref", ref);
}

/* "name:type:description;..." -> query parameters */
static void add_query_params(json_t *params, const char *spec)
{
	char buf[512];
	snprintf(buf, sizeof buf, "%s", spec);
	char *save = NULL;
	for (char *item = strtok_r(buf, ";", &save); item; item = strtok_r(NULL, ";", &save)) {
		char *type = strchr(item, ':');
		if (!type)
			continue;
		*type++ = '\0';
		char *desc = strchr(type, ':');
		if (desc)
			*desc++ = '\0';
		json_t *p = json_pack("{s:s, s:s, s:b, s:{s:s}}", "name", item, "in", "query", "required", 0, "schema",
			"type", type);
		if (desc && *desc)
			json_object_set_new(p, "description", json_string(desc));
		json_array_append_new(params, p);
	}
}

static void add_path_params(json_t *params, const char *path)
{
	for (const char *p = strchr(path, '{'); p; p = strchr(p + 1, '{')) {
		const char *end = strchr(p, '}');
		if (!end)
			break;
		json_t *name = json_stringn(p + 1, (size_t)(end - p - 1));
		json_array_append_new(params, json_pack("{s:o, s:s, s:b, s:{s:s}}", "name", name, "in", "path", "required",
			1, "schema", "type", "string"));
	}
}

static void operation_id(const api_route *r, char *buf, size_t cap)
{
	size_t n = (size_t)snprintf(buf, cap, "%s", r->method);
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)tolower((unsigned char)buf[i]);
	int upper = 1;
	for (const char *p = r->path; *p && n + 1 < cap; p++) {
		if (isalnum((unsigned char)*p)) {
			buf[n++] = upper ? (char)toupper((unsigned char)*p) : *p;
			upper = 0;
		} else {
			upper = 1;
		}
	}
	buf[n] = '\0';
}

static json_t *responses_of(const api_route *r)
{
	json_t *res = json_object();
	char code[8];
	snprintf(code, sizeof code, "%d", r->status);
	if (r->status == 101) {
		json_object_set_new(res, code, json_pack("{s:s}", "description", "switching to the WebSocket protocol"));
	} else {
		json_t *schema = json_loads(r->response, 0, NULL);
		if (!schema)
			schema = json_object();
		json_object_set_new(res, code, json_pack("{s:s, s:{s:{s:o}}}", "description", r->summary, "content",
			r->content_type ? r->content_type : "application/json", "schema", schema));
	}
	if (r->body || r->query)
		json_object_set_new(res, "400", error_response("bad request: bad_json, bad_field, unknown_field, missing_field",
			NULL));
	if (r->body)
		json_object_set_new(res, "413", error_response("request body too large", NULL));
	if (r->role != AUTH_PUBLIC || (r->flags & API_HEALTH_ROLE)) {
		json_object_set_new(res, "401", error_response("unauthorized: no or an invalid bearer token", NULL));
		json_object_set_new(res, "403", error_response("forbidden: the token's role is below the route's", NULL));
		json_object_set_new(res, "429", error_response("rate limited (Retry-After)", NULL));
	}
	if (r->errors) {
		char buf[64];
		snprintf(buf, sizeof buf, "%s", r->errors);
		char *save = NULL;
		for (char *item = strtok_r(buf, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
			const char *what = !strcmp(item, "404") ? "not_found" : !strcmp(item, "409") ? "conflict"
				: !strcmp(item, "422") ? "rejected (risk_denied, oms_rejected)" : !strcmp(item, "426")
				? "upgrade required" : !strcmp(item, "429") ? "too many backtests running"
				: !strcmp(item, "503") ? "not_ready / no_trading" : "error";
			/* /ready answers 503 with its own body, not an error */
			const char *schema = !strcmp(item, "503") && r->fn == api_h_ready ? "Ready" : NULL;
			json_object_set_new(res, item, error_response(what, schema));
		}
	}
	return res;
}

static json_t *operation(const api_route *r)
{
	char opid[96];
	operation_id(r, opid, sizeof opid);
	json_t *op = json_pack("{s:s, s:s, s:s}", "operationId", opid, "summary", r->summary, "x-required-role",
		role_name((r->flags & API_HEALTH_ROLE) ? AUTH_PUBLIC : r->role));
	json_t *params = json_array();
	add_path_params(params, r->path);
	if (r->query)
		add_query_params(params, r->query);
	if (json_array_size(params))
		json_object_set_new(op, "parameters", params);
	else
		json_decref(params);
	if (r->body) {
		int required = 0;
		for (size_t i = 0; i < r->body->nfields; i++)
			required |= r->body->fields[i].required;
		json_object_set_new(op, "requestBody", json_pack("{s:b, s:{s:{s:o}}}", "required", required, "content",
			"application/json", "schema", api_body_schema(r->body)));
	}
	json_object_set_new(op, "responses", responses_of(r));
	if (r->role == AUTH_PUBLIC && !(r->flags & API_HEALTH_ROLE))
		json_object_set_new(op, "security", json_array());
	return op;
}

char *api_openapi_build(const frontdoor *fd, size_t *len)
{
	json_t *components = json_loads(api_components_json, 0, NULL);
	if (!components)
		return NULL;
	json_t *doc = json_pack("{s:s, s:{s:s, s:s, s:s}, s:[{s:s}]}", "openapi", "3.0.3", "info", "title",
		"tradehost REST API", "version", TH_VERSION_STRING, "description",
		"Money, prices and quantities are decimal strings; times are unix ms. Errors: "
		"{\"error\":{\"code\",\"message\"}}.", "servers", "url", "/");
	json_t *paths = json_object();
	for (size_t i = 0; i < api_route_count; i++) {
		const api_route *r = &api_routes[i];
		char path[256], method[16];
		snprintf(path, sizeof path, "%s%s", API_PREFIX, r->path);
		snprintf(method, sizeof method, "%s", r->method);
		for (char *m = method; *m; m++)
			*m = (char)tolower((unsigned char)*m);
		json_t *item = json_object_get(paths, path);
		if (!item) {
			item = json_object();
			json_object_set_new(paths, path, item);
		}
		json_t *op = operation(r);
		/* [http] public_health = false makes health and ready need a viewer token */
		if ((r->flags & API_HEALTH_ROLE) && fd && fd->cfg.public_health)
			json_object_set_new(op, "security", json_array());
		json_object_set_new(item, method, op);
	}
	json_object_set_new(doc, "paths", paths);
	json_object_set_new(doc, "components", json_pack("{s:o, s:{s:{s:s, s:s}}}", "schemas", components,
		"securitySchemes", "bearer", "type", "http", "scheme", "bearer"));
	json_object_set_new(doc, "security", json_pack("[{s:[]}]", "bearer"));
	char *text = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(doc);
	if (text && len)
		*len = strlen(text);
	return text;
}
