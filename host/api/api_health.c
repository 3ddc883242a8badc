/* Health, readiness, the OpenAPI document, the caller, plugins, reload, the
 * running configuration (redacted) and the WebSocket upgrade. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "api/api_internal.h"
#include "oms/oms.h"

void api_h_health(api *a, http_request *req, const json_t *body)
{
	(void)body;
	const host_config *hc = host_get_config(a->host);
	api_reply(req, 200, json_pack("{s:s, s:s, s:I, s:s}", "status", "ok", "version", TH_VERSION_STRING, "uptime_s",
		(json_int_t)api_uptime_s(a), "mode", hc->mode ? hc->mode : "paper"));
}

void api_h_ready(api *a, http_request *req, const json_t *body)
{
	(void)body;
	if (a->oms) {
		oms_halt_reason why = oms_halted(a->oms);
		if (why == OMS_HALT_RECONCILING || why == OMS_HALT_JOURNAL) {
			api_reply(req, 503, json_pack("{s:b, s:s}", "ready", 0, "reason",
				why == OMS_HALT_RECONCILING ? "reconciling" : "journal_failed"));
			return;
		}
	}
	api_reply(req, 200, json_pack("{s:b}", "ready", 1));
}

void api_h_openapi(api *a, http_request *req, const json_t *body)
{
	(void)body;
	http_respond(req, 200, "application/json", a->openapi, a->openapi_len);
}

void api_h_me(api *a, http_request *req, const json_t *body)
{
	(void)a;
	(void)body;
	/* the guard leaves the checked token; none when [http] auth = false (loopback only): full rights */
	const auth_token_info *who = http_request_user(req);
	api_reply(req, 200, json_pack("{s:s, s:s}", "name", who ? who->name : "local", "role",
		who ? auth_role_name(who->role) : "admin"));
}

void api_h_plugins(api *a, http_request *req, const json_t *body)
{
	(void)body;
	json_t *list = json_array();
	for (size_t i = 0; i < host_instance_count(a->host); i++) {
		host_instance_info in;
		if (host_instance_info_at(a->host, i, &in) != 0)
			continue;
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:I, s:b}", "name", in.name, "plugin",
			in.plugin ? in.plugin : "", "kind", in.kind ? in.kind : "", "version", in.version ? in.version : "",
			"generation", (json_int_t)in.generation, "running", in.running));
	}
	api_reply(req, 200, json_pack("{s:o}", "plugins", list));
}

void api_h_reload(api *a, http_request *req, const json_t *body)
{
	(void)body;
	char summary[512] = "";
	int failures = host_reload(a->host, summary, sizeof summary);
	api_reply(req, 200, json_pack("{s:i, s:s}", "failures", failures, "summary", summary));
}

/* Keys that may hold secrets are never shown: *secret*, *key*, *token*, *password*. */
static int secret_key(const char *key)
{
	static const char *const words[] = { "secret", "key", "token", "password" };
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcasestr(key, words[i]))
			return 1;
	return 0;
}

json_t *api_toml_json(const toml_value *v)
{
	const char *s;
	size_t len;
	int64_t i;
	double d;
	bool b;
	switch (toml_type_of(v)) {
	case TOML_TABLE: {
		json_t *o = json_object();
		for (size_t k = 0; k < toml_table_size(v); k++) {
			size_t klen;
			const char *key = toml_table_key_at(v, k, &klen);
			char name[256];
			snprintf(name, sizeof name, "%.*s", (int)klen, key);
			json_object_set_new(o, name, secret_key(name) ? json_string("***") : api_toml_json(toml_table_value_at(v, k)));
		}
		return o;
	}
	case TOML_ARRAY: {
		json_t *arr = json_array();
		for (size_t k = 0; k < toml_array_len(v); k++)
			json_array_append_new(arr, api_toml_json(toml_array_at(v, k)));
		return arr;
	}
	case TOML_STRING:
		return toml_as_string(v, &s, &len) ? json_stringn(s, len) : json_null();
	case TOML_INTEGER:
		return toml_as_int(v, &i) ? json_integer(i) : json_null();
	case TOML_FLOAT: {
		/* the literal as written: a configuration ratio, not money, but exact text anyway */
		const char *raw = toml_raw_literal(v);
		if (raw)
			return json_string(raw);
		return toml_as_double(v, &d) ? json_real(d) : json_null();
	}
	case TOML_BOOL:
		return toml_as_bool(v, &b) ? json_boolean(b) : json_null();
	default: {
		const char *text = toml_datetime_text(v);
		return text ? json_string(text) : json_null();
	}
	}
}

void api_h_config(api *a, http_request *req, const json_t *body)
{
	(void)body;
	const host_config *hc = host_get_config(a->host);
	api_reply(req, 200, api_toml_json(hc->tree));
}

void api_h_ws(api *a, http_request *req, const json_t *body)
{
	(void)body;
	const auth_token_info *who = http_request_user(req);
	if (!a->fd->hub) {
		api_error(req, 503, "not_ready", "the WebSocket hub is not running");
		return;
	}
	ws_hub_accept(a->fd->hub, req, who ? who->name : "local");
}
